#!/usr/bin/env bash
# `make bench`: every figure of doc/performance.md as a ratio against the raw
# limit of the same machine, measured in one run on one throwaway cluster
# (port BENCH_PORT, default 55640), the hallterm path and its raw baseline
# alternated over BENCH_ROUNDS rounds (default 5), medians and spreads
# printed.  Then the table goes into doc/performance.md between its
# <!-- bench:results-SCALE --> markers (and the plans and notes between
# <!-- bench:notes-SCALE -->); the prose around them is hand-written.
#
#   make bench                        BENCH_SCALE=1000000 (default)
#   BENCH_SCALE=32104514 make bench   the seed city's 32 million (tests/bench/history.sh)
#
# The data: `hallctl demo --scale min(BENCH_SCALE, 1M) --at BENCH_AT` (P4;
# BENCH_AT default 2026-11-23 10:00+08, so the supervisor's months are
# always the same), then above 1M the lean history of tests/bench/history.sh
# (closed cases and their audit rows, further back in time) up to
# BENCH_SCALE.  The load runs as tests/lib/cluster.sh starts the cluster
# (fsync off); the cluster is then restarted with fsync, synchronous_commit
# and full_page_writes on, so that every figure after it pays durable
# commits as a production server would.
#
# The figures, one script each (each also runs alone on BENCH_DB):
#   P1 p1_transitions.sh  claim+approve cycles/s at 1, 8, 32 sessions vs a bare-table cycle
#   P2 p2_queue.sh        the queue page statement as the terminal sends it vs a raw index scan
#   P3 p3_terminal.sh     hallterm vs pspg in tmux: first screen, RSS, keys
#   P4 p4_demo.sh         hallctl demo vs INSERT ... SELECT of the same rows
#   P5 p5_supervisor.sh   supervisor figures and the dashboard vs a raw count
#   P6 p6_notify.sh       the dispatcher vs curl to the same receiver
#   P8 p8_calls.sh        20 windows calling tickets: cycles/s vs a bare table, call -> display NOTIFY
#   P7 p7_reset.sh        hallctl demo --reset (the trainer's) vs reloading the seed's rows into bare tables
# and the other tests/bench/*_bench.sh after them (printed, not tabled).
# The exit status says whether a script failed (a target missed is a MISS
# in the table, not a failure).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
export HALLCTL=$PWD/$BUILD/hallctl HALLTERM=$PWD/$BUILD/hallterm RECEIVER=$PWD/$BUILD/tests/receiver
export HALLTERM_LOCALEDIR=$PWD/$BUILD/locale TZ=Asia/Shanghai QBENCH=$PWD/$BUILD/tests/qbench
source tests/lib/cluster.sh
source tests/bench/lib.sh
export BENCH_PORT=${BENCH_PORT:-55640}
export BENCH_DB=bench BENCH_SCALE=${BENCH_SCALE:-1000000} BENCH_AT=${BENCH_AT:-2026-11-23 10:00+08}
export BENCH_ROUNDS=${BENCH_ROUNDS:-5}
DOC=${BENCH_DOC:-doc/performance.md}
OUT=$(mktemp -d /tmp/hallterm-bench.XXXXXX)
export BENCH_RESULTS=$OUT/results.tsv BENCH_NOTES=$OUT/notes.md
: >"$BENCH_RESULTS"
: >"$BENCH_NOTES"
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }'; }
t_start=$(now)
free_before=$(df -k --output=avail /tmp | tail -1)
loads=""
sample_load() { loads+="$(cut -d' ' -f1 /proc/loadavg) "; }

mkdir -p "$(dirname "$QBENCH")"
cc -std=c11 -O2 -Wall -Wextra -Werror -I"$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)" \
	-o "$QBENCH" tests/bench/qbench.c -lpq

cluster_temp "$BENCH_PORT"
sampler=""
trap '[ -z "$sampler" ] || kill "$sampler" 2>/dev/null; cluster_stop "$CLUSTER_TMP"; rm -rf "$CLUSTER_TMP" "$OUT"' EXIT
export BENCH_SERVER_LOG=$CLUSTER_TMP/server.log
createdb "$BENCH_DB"
"$HALLCTL" --dsn "dbname=$BENCH_DB" migrate >/dev/null

# Autovacuum works when it likes: a worker busy during a figure (after the
# 32M history's load, hall.audit past its insert threshold) reads and
# dirties pages the figure does not.  A sampler looks every 2 s and the
# header names, per figure, the tables it found being vacuumed.
echo load >"$OUT/figure"
(
	while sleep 2; do
		bench_psql -c "SELECT regexp_replace(query, '^autovacuum: ', '') FROM pg_stat_activity
		               WHERE backend_type = 'autovacuum worker' AND query <> ''" 2>/dev/null |
			sed "s/^/$(cat "$OUT/figure" 2>/dev/null)\t/" >>"$OUT/autovac.tsv" || true
	done
) &
sampler=$!

failed=""
run_fig() { # run_fig NAME SCRIPT ARGS...: one figure script, its failure noted
	local name=$1 t
	shift
	echo "== $name"
	echo "${name%% *}" >"$OUT/figure"
	t=$(now)
	sample_load
	bash "$@" || failed="$failed $name"
	sample_load
	echo "   ($(took "$t") s)"
}

demo_scale=$(( BENCH_SCALE < 1000000 ? BENCH_SCALE : 1000000 ))
run_fig "P4 demo load" tests/bench/p4_demo.sh "$demo_scale"
t_hist=""
if [ "$BENCH_SCALE" -gt "$demo_scale" ]; then
	echo "== history up to $BENCH_SCALE cases (tests/bench/history.sh)"
	echo history >"$OUT/figure"
	t=$(now)
	bash tests/bench/history.sh "$BENCH_SCALE" || failed="$failed history"
	t_hist=$(took "$t")
fi
cases=$(bench_psql -c "SELECT count(*) FROM hall.applications")
dbsize=$(bench_psql -c "SELECT pg_size_pretty(pg_database_size(current_database()))")
clusize=$(du -sh "$CLUSTER_TMP" 2>/dev/null | cut -f1)
echo "   $cases cases; database $dbsize, cluster directory $clusize"
t_load=$(took "$t_start")

echo restart >"$OUT/figure"
echo "== restart with durable commits (fsync, synchronous_commit, full_page_writes on)"
bench_psql -c "CHECKPOINT" >/dev/null
bench_restart "$CLUSTER_TMP" -c fsync=on -c synchronous_commit=on -c full_page_writes=on
# warm the cache a little as a server that has been running would be
bench_psql -c "SELECT count(*) FROM hall.applications WHERE state IN ('submitted', 'in_review', 'returned', 'escalated')" >/dev/null

run_fig "P2 queue page" tests/bench/p2_queue.sh
run_fig "P3 terminal" tests/bench/p3_terminal.sh
run_fig "P5 supervisor" tests/bench/p5_supervisor.sh
run_fig "P6 dispatcher" tests/bench/p6_notify.sh
run_fig "P8 ticket calls" tests/bench/p8_calls.sh
run_fig "P1 transitions" tests/bench/p1_transitions.sh
# Above 1M the history of tests/bench/history.sh was loaded after the demo's
# seed was kept: a reset would take all of it out again, which is not what P7 measures.
if [ "$BENCH_SCALE" -le 1000000 ]; then
	run_fig "P7 demo reset" tests/bench/p7_reset.sh
fi
for b in tests/bench/*_bench.sh; do
	[ -f "$b" ] || continue
	run_fig "$(basename "$b" .sh)" "$b"
done
free_after=$(df -k --output=avail /tmp | tail -1)
peak_used=$(du -sk "$CLUSTER_TMP" 2>/dev/null | cut -f1)

# ------------------------------------------------------------------ the table
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
dirty=$(git status --porcelain -- schema src 2>/dev/null | grep -q . && echo ", with uncommitted changes to schema/ or src/" || true)
load_range=$(tr ' ' '\n' <<<"$loads" | grep -v '^$' | stat_spread)
{
	echo "\`BENCH_SCALE=$BENCH_SCALE make bench\`, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit$dirty; $(nproc) CPUs,"
	echo "$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo) GB RAM; $(fmt_num "$cases") cases$( [ -n "$t_hist" ] && echo " (the demo's 1,000,000 and the lean history of \`tests/bench/history.sh\`, $t_hist s)"), database $dbsize;"
	echo "load and set-up $t_load s, all $(took "$t_start") s; the cluster directory took $(fmt_num "$((peak_used / 1024))") MB of disk."
	echo "Load average (1 min) between the figures: $load_range (P1's sessions included)."
	echo "Autovacuum at work (sampled every 2 s; figure: table × samples): $(sort "$OUT/autovac.tsv" 2>/dev/null | uniq -c |
		awk -F'\t' '{ split($1, a, " "); printf "%s%s: %s × %s", (NR > 1 ? "; " : ""), a[2], $2, a[1] } END { if (NR == 0) printf "none" }')."
	echo "Medians of $BENCH_ROUNDS rounds unless the row says otherwise; \"raw\" is the baseline measured"
	echo "in the same run; the last column gives the spread of the rounds or the other figures measured beside."
	echo
	echo "| | figure | hallterm | raw | × raw | target | | rounds, notes |"
	echo "| --- | --- | ---: | ---: | ---: | --- | --- | --- |"
	while IFS=$'\t' read -r id fig val raw ratio unit target verdict spread; do
		# the figure's name carries its unit
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$id" "$fig" "$val" "$raw" "$ratio" "$target" "$verdict" "$spread"
	done < <(sort -s -t$'\t' -k1,1 "$BENCH_RESULTS")
} >"$OUT/table.md"
echo
cat "$OUT/table.md"
if [ -n "$failed" ]; then
	echo
	echo "failed:$failed" >&2
fi

python3 tests/bench/doc_blocks.py "$DOC" "results-$BENCH_SCALE" "$OUT/table.md"
python3 tests/bench/doc_blocks.py "$DOC" "notes-$BENCH_SCALE" "$BENCH_NOTES"
echo
echo "doc/performance.md: results-$BENCH_SCALE and notes-$BENCH_SCALE rewritten"
[ -z "$failed" ]
