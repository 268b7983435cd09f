#!/usr/bin/env bash
# P4 demo load: `hallctl demo --scale SCALE --at BENCH_AT` into BENCH_DB (the
# database of `make bench`: it is generated here), against the raw limit of
# writing the same rows: one INSERT ... SELECT per table into a bare copy
# of it (CREATE TABLE ... (LIKE ...): no index, no constraint, no trigger),
# alternated over P4_ROUNDS rounds (default 3): demo, raw, demo, raw ...
#
#   tests/bench/p4_demo.sh SCALE     (BENCH_DB, BENCH_AT and the PG* environment: tests/bench/run.sh)
#
# The first demo fills an empty database (a new cluster's: new WAL files);
# the next ones generate it again over the last, as a trainer does (each
# empties the tables and keeps a new seed).  The same --at and seed give
# the same rows every time, so the database every other figure reads (the
# last demo's) holds the first demo's rows.  The raw copies are emptied
# between rounds.  The figure is the median of each side; every round is
# printed.  Then VACUUM ANALYZE, timed apart (not in the figure).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/lib.sh
SCALE=${1:?usage: p4_demo.sh SCALE}
: "${BENCH_DB:?BENCH_DB}"
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
AT=${BENCH_AT:-2026-11-23 10:00+08}
ROUNDS=${P4_ROUNDS:-3}
q() { bench_psql "$@"; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# the rounds of a list "12.3 11.8 ", one a line
rounds() { tr ' ' '\n' <<<"$1" | grep -v '^$'; }

demos=""
run_demo() {
	local t
	t=$(now)
	"$HALLCTL" --dsn "dbname=$BENCH_DB" demo --scale "$SCALE" --at "$AT" >/dev/null
	demos+="$(took "$t") "
}
run_demo

# The tables the demo filled, less what is derived from them (the facts of
# 010 and 019) and the calendar.
mapfile -t tabs < <(q -c "
	SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'hall' AND c.relkind = 'r'
	  AND c.relname NOT IN ('days', 'calendar', 'completed_days', 'rating_days', 'answer_facts', 'accept_misses',
	                        'platform_days', 'closed_counts', 'rating_stats')
	  AND EXISTS (SELECT 1 FROM pg_stat_user_tables s WHERE s.relid = c.oid AND s.n_tup_ins > 0)
	ORDER BY c.relname")
rows=$(for t in "${tabs[@]}"; do echo "SELECT count(*) FROM hall.$t;"; done | q | awk '{s += $1} END {print s}')
q -c "CREATE SCHEMA IF NOT EXISTS bench_raw" >/dev/null
for t in "${tabs[@]}"; do
	q -c "SET client_min_messages = warning; DROP TABLE IF EXISTS bench_raw.p4_$t; CREATE TABLE bench_raw.p4_$t (LIKE hall.$t)" >/dev/null
done
raws=""
for ((r = 1; r <= ROUNDS; r++)); do
	[ "$r" = 1 ] || run_demo
	t=$(now)
	{
		echo "BEGIN;"
		for tb in "${tabs[@]}"; do
			# generated columns are written by the copy's own defaults: skip them
			cols=$(q -c "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
			             WHERE attrelid = 'hall.$tb'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''")
			echo "INSERT INTO bench_raw.p4_$tb ($cols) SELECT $cols FROM hall.$tb;"
		done
		echo "COMMIT;"
	} | q >/dev/null
	raws+="$(took "$t") "
	for tb in "${tabs[@]}"; do echo "TRUNCATE bench_raw.p4_$tb;"; done | q >/dev/null
done
for t in "${tabs[@]}"; do echo "DROP TABLE bench_raw.p4_$t;"; done | q >/dev/null
raw=$(rounds "$raws" | stat_median)
demo=$(rounds "$demos" | stat_median)
echo "  hallctl demo --scale $SCALE --at '$AT': $demos s"
echo "  raw: INSERT ... SELECT of the same $(fmt_num "$rows") rows (${#tabs[@]} tables) into bare copies: $raws s"
bench_result P4 "hallctl demo --scale $(fmt_num "$SCALE"), s ($(fmt_num "$rows") rows in ${#tabs[@]} tables)" \
	"$(fmt_num "$demo")" "$(fmt_num "$raw")" s "< 120 s" \
	"$(awk -v a="$demo" -v s="$SCALE" 'BEGIN { print (s < 1000000) ? "-" : (a < 120) ? "ok" : "MISS" }')" \
	"demo rounds $(rounds "$demos" | paste -sd, | sed 's/,/, /g') s (the first into an empty cluster); raw $(rounds "$raws" | stat_spread) s"

t=$(now)
q -c "VACUUM ANALYZE" >/dev/null
echo "  VACUUM ANALYZE after the demo: $(took "$t") s"
