#!/usr/bin/env bash
# P6: notifications per second through one dispatcher (`hallctl notify
# --once`) to the local test receiver (tests/lib/receiver.c), answering at
# once and after 50 ms, against the raw limit of the same HTTP: curl
# posting the same number of messages to the same receiver with as many
# requests in flight (--parallel, connections kept alive), no database.
# P6_ROUNDS rounds (default 3), the two alternated.
#
#   bash tests/bench/p6_notify.sh          (after `make`; or via `make bench`)
#
# Under tests/bench/run.sh it uses that cluster (PG* environment) with a
# database of its own; alone it starts a throwaway cluster.  NOTIFY_BENCH_N
# messages per run (default 2,000).  Targets (issue 11): >= 1,000/s with
# an instant receiver, >= 500/s with a 50 ms one, at the default
# [notify] in_flight; a larger in_flight is measured beside it.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/lib.sh
ROUNDS=${P6_ROUNDS:-3}
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
RECEIVER=${RECEIVER:-$PWD/build/tests/receiver}
N=${NOTIFY_BENCH_N:-2000}
DB=notify_bench
export TZ=Asia/Shanghai

source tests/lib/cluster.sh
if [ -z "${BENCH_DB:-}" ]; then
	cluster_temp "${BENCH_PORT:-55641}" >/dev/null
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

# run LATENCY_MS IN_FLIGHT: one --once run over N fresh messages; prints
# the rate.
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
	[ "$sent" = "$N" ] || { echo "  only $sent of $N sent" >&2; exit 1; }
	awk -v n="$sent" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.1f\n", n / (t1 - t0) }'
}

# raw LATENCY_MS IN_FLIGHT: the same N posts by curl, no database; the rate.
raw() {
	local latency=$1 in_flight=$2 t0 t1
	printf 'latency_ms=%s\n' "$latency" >"$WORK/receiver.ctl"
	if [ ! -s "$WORK/curl.cfg" ]; then
		for ((i = 1; i <= N; i++)); do
			printf 'url = "http://127.0.0.1:%s/v1/messages"\nrequest = "POST"\nheader = "Content-Type: application/json"\nheader = "Idempotency-Key: raw-%s"\ndata = "{\\"event\\":\\"case_completed\\",\\"case_no\\":\\"250930-%s\\",\\"phone\\":\\"13800138000\\",\\"text\\":\\"您的办件已办结，请携带身份证领取。\\"}"\noutput = "/dev/null"\n' \
				"$PORT" "$i" "$i"
			if [ "$i" -lt "$N" ]; then echo next; fi
		done >"$WORK/curl.cfg"
	fi
	t0=$(date +%s.%N)
	curl -s --no-progress-meter --parallel --parallel-immediate --parallel-max "$in_flight" --config "$WORK/curl.cfg"
	t1=$(date +%s.%N)
	awk -v n="$N" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.1f\n", n / (t1 - t0) }'
}

echo "  $N notifications per run, one dispatcher, receiver on 127.0.0.1; $ROUNDS rounds, alternated with curl"
# the shipped default, as etc/hallterm.ini documents it
default_in_flight=$(sed -nE 's/^;?[[:space:]]*in_flight[[:space:]]*=[[:space:]]*([0-9]+).*/\1/p' etc/hallterm.ini | head -1)
default_in_flight=${default_in_flight:-8}
for cfg in "0 $default_in_flight" "50 $default_in_flight" "50 128"; do
	set -- $cfg
	d="" r=""
	for ((k = 1; k <= ROUNDS; k++)); do
		d+="$(run "$1" "$2") "
		r+="$(raw "$1" "$2") "
	done
	dm=$(tr ' ' '\n' <<<"$d" | grep -v '^$' | stat_median)
	rm_=$(tr ' ' '\n' <<<"$r" | grep -v '^$' | stat_median)
	echo "  receiver latency $1 ms, in_flight $2: dispatcher $d/s; curl $r/s"
	target="-" verdict="-"
	if [ "$2" = "$default_in_flight" ]; then
		target=$([ "$1" = 0 ] && echo "≥ 1,000/s" || echo "≥ 500/s")
		verdict=$(awk -v a="$dm" -v t="$([ "$1" = 0 ] && echo 1000 || echo 500)" 'BEGIN { print (a >= t) ? "ok" : "MISS" }')
	fi
	bench_result P6 "dispatcher, receiver ${1} ms, in_flight $2$([ "$2" = "$default_in_flight" ] && echo " (default)"), /s" \
		"$(fmt_num "$dm")" "$(fmt_num "$rm_")" /s "$target" "$verdict" \
		"dispatcher $(tr ' ' '\n' <<<"$d" | grep -v '^$' | stat_spread), curl $(tr ' ' '\n' <<<"$r" | grep -v '^$' | stat_spread)"
done
