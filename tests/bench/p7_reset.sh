#!/usr/bin/env bash
# P7 demo reset: `hallctl demo --reset` as the trainer (trainer01) on
# BENCH_DB (the demo of P4), against the raw limit of reloading the same rows:
# one TRUNCATE + INSERT ... SELECT per data table from the seed's copies
# (hall_demo_seed; the audit log, which the seed keeps in place, from
# hall.audit) into bare tables (no index, no key, no trigger), in one
# transaction.  Before each reset a trainee's worth of change: 20 actions of
# `hallctl simulate --rate 0`.  BENCH_ROUNDS rounds, the two alternated.
#
#   tests/bench/p7_reset.sh     (BENCH_DB, BENCH_SCALE and the PG* environment: tests/bench/run.sh)
#
# Target (issue 12): about a second at the default demo scale (20,000 cases);
# above it the figure is reported, not judged.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/lib.sh
: "${BENCH_DB:?BENCH_DB}"
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
ROUNDS=${BENCH_ROUNDS:-5}
q() { bench_psql "$@"; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
trainer="dbname=$BENCH_DB user=trainer01 password=demo"

scale=$(q -c "SELECT coalesce(info->>'scale', '?') FROM hall_demo_seed._info")
# table and where its seed's rows are (the audit log's in place, 012)
mapfile -t tabs < <(q -F ' ' -c "SELECT x, CASE WHEN to_regclass('hall_demo_seed.' || quote_ident(x)) IS NULL
                                              THEN 'hall.' ELSE 'hall_demo_seed.' END || quote_ident(x)
                                 FROM hall.demo_data_tables() x")
rows=$(q -c "SELECT sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %s',
                    coalesce(to_regclass('hall_demo_seed.' || quote_ident(x)), ('hall.' || quote_ident(x))::regclass)),
                    false, true, '')))[1]::text::bigint)
             FROM hall.demo_data_tables() x")
q -c "CREATE SCHEMA IF NOT EXISTS bench_raw" >/dev/null
for ts in "${tabs[@]}"; do
	read -r t src <<<"$ts"
	q -c "SET client_min_messages = warning; DROP TABLE IF EXISTS bench_raw.p7_$t;
	      CREATE TABLE bench_raw.p7_$t AS SELECT * FROM $src WITH NO DATA" >/dev/null
done
raw_sql=$( {
	echo "BEGIN;"
	for ts in "${tabs[@]}"; do
		read -r t src <<<"$ts"
		echo "TRUNCATE bench_raw.p7_$t; INSERT INTO bench_raw.p7_$t SELECT * FROM $src;"
	done
	echo "COMMIT;"
} )

resets="" raws=""
for ((r = 1; r <= ROUNDS; r++)); do
	"$HALLCTL" --dsn "$trainer" simulate --rate 0 --count 20 --seed "$r" >/dev/null 2>&1 || true
	t=$(now)
	"$HALLCTL" --dsn "$trainer" demo --reset >/dev/null
	resets+="$(took "$t") "
	t=$(now)
	q <<<"$raw_sql" >/dev/null
	raws+="$(took "$t") "
done
for ts in "${tabs[@]}"; do echo "DROP TABLE bench_raw.p7_${ts%% *};"; done | q >/dev/null

reset=$(tr ' ' '\n' <<<"$resets" | grep -v '^$' | stat_median)
raw=$(tr ' ' '\n' <<<"$raws" | grep -v '^$' | stat_median)
echo "  hallctl demo --reset (trainer01, after 20 simulated actions): $resets s"
echo "  raw: TRUNCATE + INSERT ... SELECT of the seed's $(fmt_num "$rows") rows (${#tabs[@]} tables) into bare copies: $raws s"
verdict=-
if [[ $scale =~ ^[0-9]+$ ]] && [ "$scale" -le 20000 ]; then
	verdict=$(awk -v a="$reset" 'BEGIN { print (a < 1.5) ? "ok" : "MISS" }')
fi
bench_result P7 "hallctl demo --reset at $(fmt_num "$scale") cases, s ($(fmt_num "$rows") rows in ${#tabs[@]} tables)" \
	"$(fmt_num "$reset")" "$(fmt_num "$raw")" s "≈ 1 s at 20,000" "$verdict" \
	"reset $(tr ' ' '\n' <<<"$resets" | grep -v '^$' | stat_spread) s; raw $(tr ' ' '\n' <<<"$raws" | grep -v '^$' | stat_spread) s"
