#!/usr/bin/env bash
# `make bench`: the figures quoted in doc/performance.md.  One throwaway
# cluster (port BENCH_PORT, default 55450) holds a demo database of
# BENCH_SCALE cases (default 1,000,000) generated at the fixed moment
# BENCH_AT (default 2026-11-23 10:00+08, so that the months the supervisor
# figures read are always the same); each bench script reuses it through
# BENCH_DB and the PG* environment.  Every script runs; the exit status
# says whether one failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
export HALLCTL=$PWD/$BUILD/hallctl HALLTERM=$PWD/$BUILD/hallterm RECEIVER=$PWD/$BUILD/tests/receiver
export HALLTERM_LOCALEDIR=$PWD/$BUILD/locale TZ=Asia/Shanghai
source tests/lib/cluster.sh
cluster_temp "${BENCH_PORT:-55450}"
export BENCH_DB=bench BENCH_SCALE=${BENCH_SCALE:-1000000} BENCH_AT=${BENCH_AT:-2026-11-23 10:00+08}
createdb "$BENCH_DB"
"$HALLCTL" --dsn "dbname=$BENCH_DB" migrate >/dev/null

echo "== demo generation"
/usr/bin/time -f "hallctl demo --scale $BENCH_SCALE --at '$BENCH_AT': %e s wall, %M KiB peak RSS (client)" \
	"$HALLCTL" --dsn "dbname=$BENCH_DB" demo --scale "$BENCH_SCALE" --at "$BENCH_AT" | head -1
psql -Atd "$BENCH_DB" -c "select 'cases: ' || count(*) from hall.applications"
psql -Atd "$BENCH_DB" -c "select 'database size: ' || pg_size_pretty(pg_database_size(current_database()))"
# Settle the new tables first, so autovacuum does not run under the timings.
psql -qd "$BENCH_DB" -c "VACUUM ANALYZE" >/dev/null

echo "== queue page query (30 rows, keyset, as clerk01 through RLS)"
w=$(mktemp -d)
cat > "$w/page.sql" <<'SQL'
SELECT * FROM hall.v_queue WHERE window_code = 'A01' AND (queue_rank, sort_due, id) > (0::smallint, '2000-01-01'::date, 0::bigint)
 ORDER BY queue_rank, sort_due, id LIMIT 30;
SQL
PGPASSWORD=demo "$(cluster_pgbin)/pgbench" -n -d "$BENCH_DB" -U clerk01 -M prepared -c 1 -T 10 -f "$w/page.sql" 2>/dev/null \
	| grep -E 'latency average|tps' | sed 's/^/  /'
PGPASSWORD=demo psql -Atd "$BENCH_DB" -U clerk01 -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) $(cat "$w/page.sql")" \
	| grep -E 'Index Scan|Execution Time' | sed 's/^/  /' | head -3
rm -rf "$w"

failed=""
for b in tests/bench/*_bench.sh; do
	[ -f "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	bash "$b" || failed="$failed $(basename "$b" .sh)"
done
if [ -n "$failed" ]; then
	echo "failed:$failed" >&2
	exit 1
fi
