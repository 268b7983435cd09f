#!/usr/bin/env bash
# Notifications per second through one dispatcher (`hallctl notify --once`)
# to the local test receiver: answering at once, and after 50 ms.
#
#   bash tests/bench/notify_bench.sh          (after `make`; or via `make bench`)
#
# Under tests/bench/run.sh it uses that cluster (PG* environment) with a
# database of its own; alone it starts a throwaway cluster.  NOTIFY_BENCH_N
# messages per run (default 2,000).
set -euo pipefail
cd "$(dirname "$0")/../.."
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
RECEIVER=${RECEIVER:-$PWD/build/tests/receiver}
N=${NOTIFY_BENCH_N:-2000}
DB=notify_bench
export TZ=Asia/Shanghai

source tests/lib/cluster.sh
if [ -z "${BENCH_DB:-}" ]; then
	cluster_temp 55451 >/dev/null
fi
WORK=$(mktemp -d /tmp/hallterm-notify-bench.XXXXXX)
RECV_PID=
eval "set -- $(trap -p EXIT)"
PREV_TRAP=${3:-}
cleanup() {
	[ -n "$RECV_PID" ] && kill -TERM "$RECV_PID" 2>/dev/null && wait "$RECV_PID" 2>/dev/null
	rm -rf "$WORK"
	dropdb --if-exists "$DB" >/dev/null 2>&1 || true
	eval "$PREV_TRAP"
}
trap cleanup EXIT

q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$DB" "$@"; }
dropdb --if-exists "$DB" >/dev/null 2>&1 || true
createdb "$DB"
"$HALLCTL" --dsn "dbname=$DB" migrate >/dev/null
q -c "UPDATE hall.settings SET value = 'test' WHERE key = 'mode'"

"$RECEIVER" 0 "$WORK/receiver.tsv" "$WORK/receiver.ctl" >"$WORK/port" &
RECV_PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(head -1 "$WORK/port")

# run LATENCY_MS IN_FLIGHT: one --once run over N fresh messages.
run() {
	local latency=$1 in_flight=$2 t0 t1 sent
	printf 'latency_ms=%s\n' "$latency" >"$WORK/receiver.ctl"
	cat >"$WORK/bench.ini" <<-EOF
	[notify]
	url = http://127.0.0.1:$PORT/v1/messages
	in_flight = $in_flight
	batch = 1000
	EOF
	q -c "DELETE FROM hall.outbox"
	q -c "INSERT INTO hall.outbox (created_at, event, recipient, payload, not_before)
	      SELECT hall.now(), 'bench', '12345',
	             jsonb_build_object('event', 'case_completed', 'case_no', '250930-' || g,
	                                'phone', '13800138000', 'text', '您的办件已办结，请携带身份证领取。'),
	             hall.now()
	      FROM generate_series(1, $N) g"
	t0=$(date +%s.%N)
	"$HALLCTL" --dsn "dbname=$DB" --config "$WORK/bench.ini" notify --once 2>"$WORK/dispatcher.log"
	t1=$(date +%s.%N)
	sent=$(q -c "SELECT count(*) FROM hall.outbox WHERE state = 'sent'")
	awk -v n="$sent" -v t0="$t0" -v t1="$t1" -v l="$latency" -v f="$in_flight" 'BEGIN {
		printf "  receiver latency %3d ms, in_flight %3d: %5d sent in %6.2f s = %7.0f notifications/s\n",
		       l, f, n, t1 - t0, n / (t1 - t0) }'
	[ "$sent" = "$N" ] || { echo "  only $sent of $N sent" >&2; exit 1; }
}

echo "  $N notifications per run, one dispatcher, receiver on 127.0.0.1"
run 0 8
run 50 8
run 50 64
