#!/usr/bin/env bash
# Faults on the way to the gateway: 300 messages queued by hall.enqueue,
# two `hallctl notify` dispatchers, a receiver (tests/lib/receiver.c) that
# answers 500 to every third request, and one dispatcher killed with
# SIGKILL in the middle of its work.  The other one finishes, taking over
# the killed one's claims when their lease runs out.  Then:
#
#  - the receiver took delivery of every message: each idempotency key was
#    answered 200 at least once, and delivered (first 200) exactly once;
#  - a key was posted again after a 200 only if the killed dispatcher held
#    it in flight when it died (it could not record the 200; the gateway
#    drops the repeat by its key);
#  - the outbox shows every row sent, with HTTP 200, recorded as sent by
#    exactly one dispatcher, and no row is marked sent that the receiver
#    did not accept;
#  - the figures: messages per second before the kill and overall (lease
#    wait included).
#
#   TEST_PORT=55632 HALLCTL=$PWD/build/hallctl bash tests/integration/dispatch_fault_test.sh
#
# RECEIVER names the receiver (default build/tests/receiver); FAULT_N the
# number of messages (300); KEEP_WORK=1 keeps the logs.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/cluster.sh
source tests/lib/tap.sh
HALLCTL=${HALLCTL:-$PWD/${1:-build}/hallctl}
RECEIVER=${RECEIVER:-$(dirname "$HALLCTL")/tests/receiver}
N=${FAULT_N:-300}
export TZ=Asia/Shanghai LC_ALL=C.UTF-8
for b in "$HALLCTL" "$RECEIVER"; do
	[ -x "$b" ] || { echo "Bail out! $b is missing: run make first"; exit 1; }
done

cluster_temp "${TEST_PORT:-55632}" >/dev/null || { echo "Bail out! cannot start PostgreSQL"; exit 1; }
WORK=$(mktemp -d /tmp/hallterm-dispatch.XXXXXX)
chmod 755 "$WORK"
PIDS=()
eval "set -- $(trap -p EXIT)"
CLUSTER_TRAP=${3:-}
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ -n "${KEEP_WORK:-}" ]; then echo "# kept $WORK" >&2; else rm -rf "$WORK"; fi
	eval "$CLUSTER_TRAP"
}
trap cleanup EXIT

DB=dispatch
q() { psql -X -v ON_ERROR_STOP=1 -Atqd "$DB" -c "$1"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

createdb "$DB"
out=$("$HALLCTL" --dsn "dbname=$DB" migrate 2>&1) || { echo "$out"; echo "Bail out! migrate failed"; exit 1; }
q "UPDATE hall.settings SET value = 'test' WHERE key = 'mode';
   UPDATE hall.settings SET value = '00:00' WHERE key IN ('quiet_start', 'quiet_end');
   CREATE ROLE fault_sender LOGIN PASSWORD 'sender-secret' IN ROLE hall_notifier" \
	|| { echo "Bail out! cannot set up"; exit 1; }

"$RECEIVER" 0 "$WORK/receiver.tsv" "$WORK/receiver.ctl" >"$WORK/receiver.port" 2>"$WORK/receiver.err" &
RECV_PID=$!
PIDS+=("$RECV_PID")
for _ in $(seq 50); do [ -s "$WORK/receiver.port" ] && break; sleep 0.1; done
PORT=$(head -1 "$WORK/receiver.port")
[ -n "$PORT" ] || { echo "Bail out! the receiver did not start"; exit 1; }
# One request in three fails; each answer takes 40 ms, so a dispatcher
# always has requests in flight.
printf '%s\n' "fail_every=3" "latency_ms=40" >"$WORK/receiver.ctl"

cat >"$WORK/notify.ini" <<EOF
[notify]
url = http://127.0.0.1:$PORT/v1/messages
connect_timeout_ms = 1000
timeout_ms = 2000
lease_seconds = 5
in_flight = 8
batch = 8
backoff_base_ms = 20
backoff_max_ms = 200
max_attempts = 20
quiet_start = 00:00
quiet_end = 00:00
EOF

# The messages, queued as the transitions queue them.
q "SELECT count(hall.enqueue('fault', CASE WHEN g % 2 = 0 THEN 'applicant' ELSE '12345' END, NULL, NULL,
	jsonb_build_object('event', 'fault', 'n', g, 'phone', '13800138000',
	                   'text', '您的办件已办结，请携带身份证领取。第' || g || '号')))
   FROM generate_series(1, $N) g" >/dev/null || { echo "Bail out! cannot queue"; exit 1; }
q "SELECT key FROM hall.outbox WHERE event = 'fault'" | sort >"$WORK/keys"
tap_is "$(wc -l <"$WORK/keys")" "$N" "$N messages queued"

declare -A DPID
start_dispatcher() { # NAME
	"$HALLCTL" --dsn "dbname=$DB user=fault_sender password=sender-secret" --config "$WORK/notify.ini" \
		notify --worker "$1" >"$WORK/$1.out" 2>"$WORK/$1.log" &
	DPID[$1]=$!
	PIDS+=($!)
}
accepted() { awk -F'\t' '$5 == 200' "$WORK/receiver.tsv" 2>/dev/null | wc -l; }

t0=$(now)
start_dispatcher alpha
start_dispatcher beta
# Kill alpha when about a third of the messages are through.
for _ in $(seq 300); do
	[ "$(accepted)" -ge $((N / 3)) ] && break
	sleep 0.05
done
kill -KILL "${DPID[alpha]}"
{ wait "${DPID[alpha]}"; } 2>/dev/null
t_kill=$(now)
at_kill=$(accepted)
# Its server session ends once the server sees the socket closed; only then
# is what it held final.
for _ in $(seq 100); do
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'hallctl notify alpha'")" = 0 ] && break
	sleep 0.05
done
q "SELECT key FROM hall.outbox WHERE event = 'fault' AND state = 'sending' AND leased_by = 'alpha'" | sort >"$WORK/held"
held=$(wc -l <"$WORK/held")
echo "# alpha killed after $(secs "$t0" "$t_kill") s, $at_kill messages accepted; it held $held claims in flight"
[ "$held" -gt 0 ]
tap_ok $? "the killed dispatcher held claims in flight ($held)"

# beta finishes, alpha's claims included once their lease has run out.
done_ok=1
for _ in $(seq 400); do
	[ "$(q "SELECT count(*) FROM hall.outbox WHERE event = 'fault' AND state = 'sent'")" = "$N" ] && { done_ok=0; break; }
	sleep 0.05
done
t_done=$(now)
tap_ok "$done_ok" "every message was sent in the end ($(secs "$t0" "$t_done") s)" \
	"$(q "SELECT state || ': ' || count(*) FROM hall.outbox WHERE event = 'fault' GROUP BY state")"
kill -TERM "${DPID[beta]}"
st=0; wait "${DPID[beta]}" || st=$?
tap_is "$st" 0 "the other dispatcher stops cleanly on SIGTERM"
kill -TERM "$RECV_PID"; wait "$RECV_PID" 2>/dev/null

# ---- the receiver's side ------------------------------------------------------
# receiver.tsv: SEQ METHOD PATH KEY STATUS DUP BODY
R=$WORK/receiver.tsv
requests=$(wc -l <"$R")
fails=$(awk -F'\t' '$5 == 500' "$R" | wc -l)
echo "# the receiver saw $requests requests, answered 500 to $fails"
# (The receiver counts a request cut off by the kill, but cannot log it.)
[ "$fails" -ge $((requests / 3 - held - 1)) ] && [ "$fails" -le $(((requests + held) / 3 + 1)) ]
tap_ok $? "the receiver failed one request in three ($fails of $requests)"
awk -F'\t' '$5 == 200 { print $4 }' "$R" | sort | uniq -c | awk '{ print $2, $1 }' >"$WORK/ok_counts"
awk -F'\t' '$5 == 200 && $6 == 0 { print $4 }' "$R" | sort >"$WORK/delivered"
tap_is "$(cut -d' ' -f1 "$WORK/ok_counts" | comm -3 - "$WORK/keys" | wc -l)" 0 \
	"every idempotency key was accepted (200) at least once, and no other key"
tap_is "$(uniq -d "$WORK/delivered" | wc -l) $(wc -l <"$WORK/delivered")" "0 $N" \
	"each key was delivered exactly once: $N deliveries"
awk '$2 > 1 { print $1 }' "$WORK/ok_counts" | sort >"$WORK/repeated"
repeats=$(wc -l <"$WORK/repeated")
echo "# keys posted again after a 200 (dropped by the receiver as repeats): $repeats"
tap_is "$(comm -23 "$WORK/repeated" "$WORK/held" | wc -l)" 0 \
	"a key was posted again after a 200 only if the killed dispatcher held it ($repeats of $held)"
tap_is "$(awk -F'\t' '$7 !~ /"event": "fault"/' "$R" | wc -l)" 0 "every body is the JSON payload, as queued"

# ---- the outbox's side -----------------------------------------------------------
tap_is "$(q "SELECT count(*) FROM hall.outbox WHERE event = 'fault'
	AND (state <> 'sent' OR http_status <> 200 OR sent_at IS NULL)")" 0 "every row is sent, with HTTP 200 and its time"
q "SELECT key FROM hall.outbox WHERE event = 'fault' AND state = 'sent'" | sort >"$WORK/sent"
tap_is "$(comm -23 "$WORK/sent" "$WORK/delivered" | wc -l)" 0 "no row is marked sent that the receiver did not accept"
# A dispatcher logs a delivery after recording it: the one SIGKILLed may
# have recorded its last row and not logged it, so one row may lack its
# line; none may have two.
cat "$WORK/alpha.log" "$WORK/beta.log" | grep -o 'outbox [0-9]* sent' | sort | uniq -c | awk '{ print $1 }' \
	| sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }' >"$WORK/sent_lines"
tap_like "$(cat "$WORK/sent_lines")" "^1:($N|$((N - 1))) $" \
	"each row was recorded as sent exactly once, by one dispatcher (logged: $(cat "$WORK/sent_lines"))"
tap_is "$(grep -c 'already recorded\|lease had passed' "$WORK/beta.log")" 0 \
	"the survivor never found a row settled under it"
held_list=$(sed "s/.*/'&'/" "$WORK/held" | paste -sd, -)
tap_is "$(q "SELECT count(*) FROM hall.outbox o WHERE event = 'fault' AND leased_by = 'beta' AND attempts > 1
	AND key::text IN (${held_list:-NULL})")" "$held" \
	"the survivor claimed every one of the killed dispatcher's claims again"
attempts=$(q "SELECT sum(attempts) FROM hall.outbox WHERE event = 'fault'")
[ "$attempts" -ge "$requests" ] && [ "$attempts" -le $((requests + held)) ]
tap_ok $? "attempts ($attempts) are the requests the receiver answered ($requests), plus at most those cut off by the kill"

rate_before=$(awk -v n="$at_kill" -v a="$t0" -v b="$t_kill" 'BEGIN { printf "%.0f", n / (b - a) }')
rate_all=$(awk -v n="$N" -v a="$t0" -v b="$t_done" 'BEGIN { printf "%.0f", n / (b - a) }')
echo "# $N messages, 2 dispatchers x 8 in flight, 40 ms a request, 1 in 3 failing:"
echo "#   before the kill $rate_before messages/s; overall $rate_all messages/s ($(secs "$t0" "$t_done") s, a 5 s lease included)"
tap_done
