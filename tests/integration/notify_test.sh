#!/usr/bin/env bash
# The outbox dispatcher (`hallctl notify`) against a real HTTP receiver on
# 127.0.0.1 (tests/lib/receiver.c), on a throwaway cluster.  TAP output.
#
#   bash tests/integration/notify_test.sh      (after `make`)
#
# HALLCTL and RECEIVER name the binaries (default build/hallctl and
# build/tests/receiver).  Outbox rows are inserted directly, as the
# superuser, with the payload built by jsonb_build_object as hall.enqueue
# does; the dispatchers log in as a member of hall_notifier.
set -euo pipefail

cd "$(dirname "$0")/../.."
HALLCTL=${HALLCTL:-build/hallctl}
RECEIVER=${RECEIVER:-build/tests/receiver}
for b in "$HALLCTL" "$RECEIVER"; do
	[ -x "$b" ] || { echo "Bail out! $b is missing: run make first"; exit 1; }
done
HALLCTL=$(cd "$(dirname "$HALLCTL")" && pwd)/$(basename "$HALLCTL")
RECEIVER=$(cd "$(dirname "$RECEIVER")" && pwd)/$(basename "$RECEIVER")

source tests/lib/cluster.sh
cluster_temp 55441 || { echo "Bail out! cannot start PostgreSQL"; exit 1; }

WORK=$(mktemp -d /tmp/hallterm-notify.XXXXXX)
chmod 755 "$WORK"
PIDS=()
# cluster_temp's own EXIT trap (stop and remove the cluster) runs after ours.
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

DB=notify_test
SENDER_DSN="dbname=$DB user=notify_sender password=sender-secret"
export LC_ALL=C.UTF-8 TZ=Asia/Shanghai

# ---- TAP ------------------------------------------------------------------
T=0
FAILED=0
ok() { T=$((T + 1)); echo "ok $T - $1"; }
not_ok() {
	T=$((T + 1)); FAILED=$((FAILED + 1)); echo "not ok $T - $1"; shift
	local l; for l in "$@"; do echo "#   $l"; done
}
is() { # GOT WANT DESCRIPTION
	if [ "$1" == "$2" ]; then ok "$3"; else not_ok "$3" "got:  $1" "want: $2"; fi
}
check() { # DESCRIPTION COMMAND...
	local d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# ---- helpers ----------------------------------------------------------------
q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$DB" "$@"; }
q_as() { # LOGIN PASSWORD SQL: run as a staff account; prints "ERROR: ..." on failure
	PGPASSWORD=$2 psql -X -q -At -d "dbname=$DB user=$1" -c "$3" 2>&1 | sed -e 's/^psql:[^E]*ERROR:  /ERROR: /'
}

# wait_for SQL WANT SECONDS: poll until the query returns WANT.
wait_for() {
	local i=0 n=$(($3 * 10)) got
	while [ $i -lt $n ]; do
		got=$(q -c "$1")
		[ "$got" == "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# timed out after $3 s waiting for [$1] = $2 (last: $got)"
	return 1
}

RECV_LOG=$WORK/receiver.tsv
RECV_CTL=$WORK/receiver.ctl
set_receiver() { # KEY=VALUE...: the receiver's behaviour from its next request on
	printf '%s\n' "$@" >"$RECV_CTL.tmp"
	mv "$RECV_CTL.tmp" "$RECV_CTL"
}

# The receiver's log lines for the rows of one event:
#   SEQ METHOD PATH KEY STATUS DUP BODY
recv_lines() { # EVENT
	q -c "SELECT key FROM hall.outbox WHERE event = '$1'" >"$WORK/keys.$1"
	awk -F'\t' 'NR == FNR { k[$1] = 1; next } ($4 in k)' "$WORK/keys.$1" "$RECV_LOG"
}
# Keys the receiver took delivery of (200, not a repeat), with how often.
delivered_counts() { # EVENT
	recv_lines "$1" | awk -F'\t' '$5 == 200 && $6 == 0 { n[$4]++ } END { for (k in n) print k, n[k] }'
}

write_ini() { # FILE KEY=VALUE...: a [notify] section pointing at the receiver
	local f=$1 kv k; shift
	local -A v=(
		[url]="http://127.0.0.1:$PORT/v1/messages" [connect_timeout_ms]=1000 [timeout_ms]=2000
		[lease_seconds]=5 [backoff_base_ms]=20 [backoff_max_ms]=400 [max_attempts]=20
		[quiet_start]=21:00 [quiet_end]=08:00
	)
	for kv in "$@"; do v[${kv%%=*}]=${kv#*=}; done
	{
		echo "[notify]"
		for k in "${!v[@]}"; do echo "$k = ${v[$k]}"; done
	} >"$f"
}

# start_dispatcher NAME INI [ARGS...]: in the background; pid in DPID[NAME].
declare -A DPID
start_dispatcher() {
	local name=$1 ini=$2; shift 2
	"$HALLCTL" --dsn "$SENDER_DSN" --config "$ini" notify --worker "$name" "$@" \
		>"$WORK/$name.out" 2>"$WORK/$name.log" &
	DPID[$name]=$!
	PIDS+=($!)
}
stop_dispatcher() { # NAME...: SIGTERM, wait; sets STOPPED to their exit statuses
	local n st
	STOPPED=
	for n in "$@"; do kill -TERM "${DPID[$n]}" 2>/dev/null || true; done
	for n in "$@"; do
		st=0
		wait "${DPID[$n]}" || st=$?
		STOPPED="${STOPPED:+$STOPPED }$st"
	done
}
run_once() { # INI [PGOPTIONS]: one `notify --once` run as "once"; prints its exit status
	local st=0
	PGOPTIONS=${2:-} "$HALLCTL" --dsn "$SENDER_DSN" --config "$1" notify --once --worker once \
		>>"$WORK/once.log" 2>&1 || st=$?
	echo "$st"
}

# ---- set-up -----------------------------------------------------------------
createdb "$DB"
"$HALLCTL" --dsn "dbname=$DB" migrate >"$WORK/migrate.out" 2>&1 \
	|| { cat "$WORK/migrate.out"; echo "Bail out! migrate failed"; exit 1; }
q <<'SQL'
UPDATE hall.settings SET value = 'test' WHERE key = 'mode';
-- No quiet hours until the quiet-hours test: the clock is real.
UPDATE hall.settings SET value = '00:00' WHERE key IN ('quiet_start', 'quiet_end');
CREATE ROLE notify_sender LOGIN PASSWORD 'sender-secret' IN ROLE hall_notifier;
INSERT INTO hall.departments (code, name) VALUES ('D1', '市场监管局'), ('D2', '人社局');
CREATE ROLE sup_d1 LOGIN PASSWORD 'sup1-secret' IN ROLE hall_supervisor;
CREATE ROLE sup_d2 LOGIN PASSWORD 'sup2-secret' IN ROLE hall_supervisor;
CREATE ROLE clerk_d2 LOGIN PASSWORD 'clerk-secret' IN ROLE hall_clerk;
INSERT INTO hall.staff (login, name, kind, department_code) VALUES
	('sup_d1', '王科长', 'supervisor', 'D1'),
	('sup_d2', '李科长', 'supervisor', 'D2'),
	('clerk_d2', '张三', 'clerk', 'D2');
SQL

# queue EVENT N [RECIPIENT|mixed] [NOT_BEFORE_SQL]: N rows, as hall.enqueue would.
queue() {
	local to="'${3:-12345}'"
	[ "${3:-}" = mixed ] && to="CASE WHEN g % 2 = 0 THEN 'applicant' ELSE '12345' END"
	q -c "INSERT INTO hall.outbox (created_at, event, recipient, payload, not_before)
	      SELECT hall.now(), '$1', $to,
	             jsonb_build_object('event', '$1', 'n', g, 'phone', '13800138000',
	                                'text', '您的办件已办结，请携带身份证领取。第' || g || '号'),
	             ${4:-hall.now()}
	      FROM generate_series(1, $2) g"
}

"$RECEIVER" 0 "$RECV_LOG" "$RECV_CTL" >"$WORK/receiver.port" 2>"$WORK/receiver.err" &
PIDS+=($!)
RECV_PID=$!
for _ in $(seq 50); do [ -s "$WORK/receiver.port" ] && break; sleep 0.1; done
PORT=$(head -1 "$WORK/receiver.port")
[ -n "$PORT" ] || { echo "Bail out! the receiver did not start"; exit 1; }
set_receiver "# ok"

# ---- an idle dispatcher sleeps ----------------------------------------------
write_ini "$WORK/fast.ini" "in_flight=16" "batch=50"
start_dispatcher idle "$WORK/fast.ini"
sleep 2.5
# utime + stime in clock ticks (fields 14 and 15 of /proc/PID/stat).
ticks=$(awk '{ print $14 + $15 }' "/proc/${DPID[idle]}/stat")
hz=$(getconf CLK_TCK)
check "an idle dispatcher waits in poll() (used $ticks ticks of CPU in 2.5 s)" test "$ticks" -le $((hz / 10))
stop_dispatcher idle
is "$STOPPED" 0 "an idle dispatcher exits 0 on SIGTERM"

# ---- 1,000 messages, two dispatchers, one request in three fails -----------
set_receiver "# bulk" "fail_every=3"
start_dispatcher bulk_a "$WORK/fast.ini"
start_dispatcher bulk_b "$WORK/fast.ini"
sleep 0.5
t0=$(date +%s.%N)
queue bulk 1000 mixed   # one transaction: one NOTIFY wakes both
if wait_for "SELECT count(*) FROM hall.outbox WHERE event = 'bulk' AND state = 'sent'" 1000 90; then
	ok "1,000 notifications sent through two dispatchers ($(awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.1f", t1 - t0 }') s)"
else
	not_ok "1,000 notifications sent through two dispatchers" \
		"$(q -c "SELECT state || ': ' || count(*) FROM hall.outbox WHERE event = 'bulk' GROUP BY state")"
fi
stop_dispatcher bulk_a bulk_b
is "$STOPPED" "0 0" "both dispatchers exit 0 on SIGTERM"
delivered_counts bulk >"$WORK/bulk.delivered"
is "$(wc -l <"$WORK/bulk.delivered")" 1000 "the receiver took delivery of all 1,000 idempotency keys"
is "$(awk '$2 != 1' "$WORK/bulk.delivered" | wc -l)" 0 "each key was delivered successfully exactly once"
is "$(recv_lines bulk | awk -F'\t' '$5 == 200 && $6 == 1' | wc -l)" 0 "no message was posted again after a 2xx"
fails=$(recv_lines bulk | awk -F'\t' '$5 == 500' | wc -l)
requests=$(recv_lines bulk | wc -l)
check "the receiver failed one request in three ($fails of $requests)" \
	test "$fails" -ge $((requests / 3 - 2)) -a "$fails" -gt 300
is "$(q -c "SELECT sum(attempts) FROM hall.outbox WHERE event = 'bulk'")" "$requests" \
	"attempts add up to the requests the receiver saw"
q -c "SELECT key FROM hall.outbox WHERE event = 'bulk' AND state = 'sent'" | sort >"$WORK/bulk.sent"
recv_lines bulk | awk -F'\t' '$5 == 200 { print $4 }' | sort -u >"$WORK/bulk.accepted"
is "$(comm -23 "$WORK/bulk.sent" "$WORK/bulk.accepted" | wc -l)" 0 "no row is marked sent that the receiver did not accept"
is "$(q -c "SELECT count(*) FROM hall.outbox WHERE event = 'bulk' AND (http_status <> 200 OR sent_at IS NULL)")" 0 \
	"sent rows carry the time and HTTP 200"
is "$(q -c "SELECT count(DISTINCT leased_by) FROM hall.outbox WHERE event = 'bulk'")" 2 "both dispatchers delivered"
is "$(cat "$WORK/bulk_a.log" "$WORK/bulk_b.log" | grep -c ' sent: HTTP 200')" 1000 \
	"one log line per delivery, 1,000 in all"
is "$(recv_lines bulk | awk -F'\t' '$7 !~ /"event": "bulk"/' | wc -l)" 0 "the body is the JSON payload, as queued"
check "the Idempotency-Key header is the row's key" \
	test "$(recv_lines bulk | awk -F'\t' '$5 == 200 && $6 == 0 { print $4 }' | sort -u)" == "$(sort "$WORK/bulk.sent")"

# ---- SIGKILL in the middle of a batch -------------------------------------
set_receiver "# kill" "latency_ms=300"
write_ini "$WORK/kill.ini" "in_flight=16" "batch=16"
queue kill 200
start_dispatcher kill_a "$WORK/kill.ini"
for _ in $(seq 100); do
	[ "$(recv_lines kill | wc -l)" -ge 40 ] && break
	sleep 0.1
done
kill -KILL "${DPID[kill_a]}"
{ wait "${DPID[kill_a]}"; } 2>/dev/null || true
held=$(q -c "SELECT count(*) FROM hall.outbox WHERE event = 'kill' AND state = 'sending' AND leased_by = 'kill_a'")
check "the killed dispatcher held $held claims in flight" test "$held" -gt 0
start_dispatcher kill_b "$WORK/kill.ini"
if wait_for "SELECT count(*) FROM hall.outbox WHERE event = 'kill' AND state = 'sent'" 200 60; then
	ok "after SIGKILL every message was sent (the next dispatcher took over after the lease)"
else
	not_ok "after SIGKILL every message was sent"
fi
stop_dispatcher kill_b
is "$STOPPED" 0 "the second dispatcher exits 0"
delivered_counts kill >"$WORK/kill.delivered"
is "$(wc -l <"$WORK/kill.delivered") $(awk '$2 != 1' "$WORK/kill.delivered" | wc -l)" "200 0" \
	"the receiver took delivery of each of the 200 keys exactly once"
repeats=$(recv_lines kill | awk -F'\t' '$5 == 200 && $6 == 1' | wc -l)
check "repeats of keys accepted before the kill ($repeats) were dropped by key, at most the $held in flight" \
	test "$repeats" -le "$held"
is "$(cat "$WORK/kill_a.log" "$WORK/kill_b.log" | grep -o 'outbox [0-9]* sent' | sort | uniq -d | wc -l)" 0 \
	"no row was recorded as sent twice"
# The dispatcher logs a delivery after recording it: SIGKILL between the
# two loses that one line (the row itself is recorded once, above).
logged=$(cat "$WORK/kill_a.log" "$WORK/kill_b.log" | grep -c ' sent: HTTP 200')
check "200 deliveries logged in all ($logged), but for the one the killed dispatcher may have recorded and not yet logged" \
	test "$logged" -le 200 -a "$logged" -ge 199
q -c "SELECT key FROM hall.outbox WHERE event = 'kill' AND state = 'sent'" | sort >"$WORK/kill.sent"
recv_lines kill | awk -F'\t' '$5 == 200 { print $4 }' | sort -u >"$WORK/kill.accepted"
is "$(comm -23 "$WORK/kill.sent" "$WORK/kill.accepted" | wc -l)" 0 "no row is marked sent that the receiver did not accept"
is "$(q -c "SELECT count(*) FROM hall.outbox WHERE event = 'kill' AND attempts >= 2 AND leased_by = 'kill_b'")" "$held" \
	"the killed dispatcher's claims were claimed again by the other"

# ---- SIGKILL after the gateway said 200, before the row was recorded ---------
# A lock held on the rows makes hall.outbox_sent wait, so the dispatcher is
# killed in exactly that window: the next one sends those messages again
# with the same key, and the receiver drops the repeats.
# (The receiver answers after 1.8 s, within the 2 s timeout: time enough,
# on a loaded machine, for the locker below to hold the rows first.)
set_receiver "# kill2" "latency_ms=1800"
write_ini "$WORK/kill2.ini" "in_flight=8" "batch=8"
queue kill2 8
start_dispatcher kill_c "$WORK/kill2.ini"
wait_for "SELECT count(*) FROM hall.outbox WHERE event = 'kill2' AND leased_by = 'kill_c'" 8 10 >/dev/null
PGAPPNAME=locker psql -X -q -d "$DB" -c "BEGIN; SELECT 1 FROM hall.outbox WHERE event = 'kill2' FOR UPDATE;
	SELECT pg_sleep(60); COMMIT;" >/dev/null 2>&1 &
PIDS+=($!)
LOCKER=$!
wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'locker' AND wait_event = 'PgSleep'" 1 10 \
	>/dev/null
for _ in $(seq 150); do
	[ "$(recv_lines kill2 | awk -F'\t' '$5 == 200' | wc -l)" -ge 8 ] && break
	sleep 0.1
done
sleep 0.3
kill -KILL "${DPID[kill_c]}"
{ wait "${DPID[kill_c]}"; } 2>/dev/null || true
q -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
      WHERE application_name IN ('locker', 'hallctl notify kill_c')" >/dev/null
wait "$LOCKER" 2>/dev/null || true
is "$(q -c "SELECT count(*) FROM hall.outbox WHERE event = 'kill2' AND state = 'sending'")" 8 \
	"killed after 8 answers of 200 and before recording them: the rows are still claimed"
start_dispatcher kill_d "$WORK/kill2.ini"
if wait_for "SELECT count(*) FROM hall.outbox WHERE event = 'kill2' AND state = 'sent'" 8 30; then
	ok "the next dispatcher sent them after the lease"
else
	not_ok "the next dispatcher sent them after the lease"
fi
stop_dispatcher kill_d
is "$(recv_lines kill2 | awk -F'\t' '$5 == 200 { print $6 }' | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')" \
	"0:8 1:8 " "each was posted twice with its key: delivered once, the repeat dropped by the receiver"
is "$(q -c "SELECT count(*) FROM hall.outbox WHERE event = 'kill2' AND attempts = 2 AND leased_by = 'kill_d'")" 8 \
	"and recorded as sent once, by the second dispatcher"

# ---- 400: failed with the response kept; a supervisor requeues it -----------
set_receiver "# bad" "action=400" 'body={"error":"invalid phone number 138"}'
q <<'SQL'
INSERT INTO hall.inquiries (ref, channel, department_code, asker_name, asker_phone, subject, body,
                            received_at, received_on, due_days, due_date, updated_at)
VALUES ('ZX-T-1', 'web', 'D2', '赵六', '13900139000', '社保转移', '如何办理？',
        hall.now(), hall.today(), 5, hall.today() + 7, hall.now());
INSERT INTO hall.outbox (created_at, event, recipient, inquiry_id, payload, not_before)
SELECT hall.now(), 'bad', 'applicant', id,
       jsonb_build_object('event', 'inquiry_reply', 'ref', ref, 'phone', asker_phone), hall.now()
FROM hall.inquiries WHERE ref = 'ZX-T-1';
SQL
BAD=$(q -c "SELECT id FROM hall.outbox WHERE event = 'bad'")
write_ini "$WORK/once.ini"
is "$(run_once "$WORK/once.ini")" 0 "notify --once exits 0 when the queue is drained"
is "$(q -c "SELECT state, attempts, http_status, last_error FROM hall.outbox WHERE id = $BAD" -F' ')" \
	"failed 1 400 HTTP 400" "a 400 marks the row failed at once, with the status"
is "$(q -c "SELECT response FROM hall.outbox WHERE id = $BAD")" '{"error":"invalid phone number 138"}' \
	"the response is kept"
is "$(q_as sup_d2 sup2-secret "SELECT id || ' ' || inquiry_ref || ' ' || http_status FROM hall.v_outbox_failed")" \
	"$BAD ZX-T-1 400" "the department's supervisor sees it in hall.v_outbox_failed"
is "$(q_as sup_d1 sup1-secret "SELECT count(*) FROM hall.v_outbox_failed")" 0 \
	"another department's supervisor does not"
is "$(q_as sup_d2 sup2-secret "SELECT n FROM hall.v_outbox_summary WHERE state = 'failed'")" 1 \
	"hall.v_outbox_summary counts it as failed"
check "another department's supervisor cannot requeue it, and is not told it exists" \
	grep -q "no notification #$BAD that you may act on" <<<"$(q_as sup_d1 sup1-secret "SELECT hall.outbox_requeue($BAD, 'x')")"
check "a clerk cannot requeue" \
	grep -q "permission denied" <<<"$(q_as clerk_d2 clerk-secret "SELECT hall.outbox_requeue($BAD, 'x')")"
set_receiver "# fixed"
is "$(q_as sup_d2 sup2-secret "SELECT hall.outbox_requeue($BAD, '号码已核实')")" "" \
	"the supervisor requeues it"
is "$(q -c "SELECT state, attempts FROM hall.outbox WHERE id = $BAD" -F' ')" "pending 0" \
	"requeued: pending, attempts from zero"
is "$(q -c "SELECT actor, from_state, to_state, note, details->>'outbox_id', details->>'http_status'
           FROM hall.audit WHERE action = 'outbox_requeue'" -F'|')" "sup_d2|failed|pending|号码已核实|$BAD|400" \
	"the requeue is audited"
check "requeuing a row that is not failed is refused" \
	grep -q "only a failed one" <<<"$(q_as sup_d2 sup2-secret "SELECT hall.outbox_requeue($BAD, 'again')")"
is "$(run_once "$WORK/once.ini")" 0 "notify --once runs again"
is "$(q -c "SELECT state, http_status FROM hall.outbox WHERE id = $BAD" -F' ')" "sent 200" "the requeued message is sent"
is "$(delivered_counts bad | awk '{ print $2 }')" 1 "and delivered once"

# ---- 429 with Retry-After, a hang past the timeout, a closed connection, 5xx until the end
write_ini "$WORK/faults.ini" "timeout_ms=1000" "max_attempts=3" "backoff_max_ms=200"
start_dispatcher faults "$WORK/faults.ini"

set_receiver "# 429" "fail_first=1" "fail_with=429" "retry_after=1"
queue r429 1
if wait_for "SELECT state FROM hall.outbox WHERE event = 'r429'" sent 15; then
	ok "429: retried and sent"
else
	not_ok "429: retried and sent"
fi
is "$(q -c "SELECT attempts, sent_at - created_at >= interval '1 second'
           FROM hall.outbox WHERE event = 'r429'" -F' ')" "2 t" "429: the second attempt waited for Retry-After: 1"

set_receiver "# hang" "fail_first=1" "fail_with=hang"
queue hang 1
if wait_for "SELECT state FROM hall.outbox WHERE event = 'hang'" sent 15; then
	ok "a request hanging past timeout_ms is retried and sent"
else
	not_ok "a request hanging past timeout_ms is retried and sent"
fi
check "the timeout is logged" grep -q "outbox $(q -c "SELECT id FROM hall.outbox WHERE event = 'hang'"): .*timed out" "$WORK/faults.log"

# libcurl itself retries once, on a fresh connection, a request whose reused
# connection was closed without an answer; a second close reaches us.
set_receiver "# close" "fail_first=2" "fail_with=close"
queue close 1
CLOSE=$(q -c "SELECT id FROM hall.outbox WHERE event = 'close'")
if wait_for "SELECT state FROM hall.outbox WHERE id = $CLOSE" sent 15; then
	ok "a connection closed without an answer is retried and sent"
else
	not_ok "a connection closed without an answer is retried and sent"
fi
check "the closed connection was logged and counted as an attempt" \
	test "$(grep -c "outbox $CLOSE: Empty reply from server" "$WORK/faults.log")" -ge 1 \
	-a "$(q -c "SELECT attempts FROM hall.outbox WHERE id = $CLOSE")" -ge 2
is "$(recv_lines close | awk -F'\t' '{ print $5 }' | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')" \
	"200:1 close:2 " "the receiver saw two closes and one delivery"

set_receiver "# 503" "action=503"
queue r503 1
if wait_for "SELECT state || ' ' || attempts FROM hall.outbox WHERE event = 'r503'" "failed 3" 15; then
	ok "5xx on every attempt: failed after max_attempts (3)"
else
	not_ok "5xx on every attempt: failed after max_attempts (3)"
fi
check "the last error says so" \
	grep -q "HTTP 503; gave up after 3 attempts" <<<"$(q -c "SELECT last_error FROM hall.outbox WHERE event = 'r503'")"
is "$(delivered_counts r503 | wc -l)" 0 "nothing was delivered for it"
set_receiver "# ok again"
stop_dispatcher faults
is "$STOPPED" 0 "the dispatcher exits 0"

# ---- quiet hours: queued at 23:00, held until 08:00 (moved clock) ------------
q -c "UPDATE hall.settings SET value = '21:00' WHERE key = 'quiet_start';
      UPDATE hall.settings SET value = '08:00' WHERE key = 'quiet_end'"
is "$(q -c "SELECT hall.release_time('applicant', '2025-06-10 23:00+08') = '2025-06-11 08:00+08',
                   hall.release_time('12345', '2025-06-10 23:00+08') = '2025-06-10 23:00+08'" -F' ')" "t t" \
	"hall.release_time: an SMS at 23:00 waits until 08:00; the 12345 platform does not"
queue night 1 applicant "hall.release_time('applicant', '2025-06-10 23:00+08')"
queue night12345 1 12345 "hall.release_time('12345', '2025-06-10 23:00+08')"
queue evening 1 applicant "'2025-06-10 20:30+08'"
night_clock() { echo "-c hall.fake_now=$1"; }
is "$(run_once "$WORK/once.ini" "$(night_clock 2025-06-10T23:30:00+08)")" 0 "notify --once at 23:30"
is "$(q -c "SELECT string_agg(event || ' ' || state, ', ' ORDER BY event)
           FROM hall.outbox WHERE event IN ('night', 'night12345', 'evening')")" \
	"evening pending, night pending, night12345 sent" \
	"at 23:30 the SMS waits (so does one left from 20:30); the 12345 message is sent"
run_once "$WORK/once.ini" "$(night_clock 2025-06-11T07:59:00+08)" >/dev/null
is "$(q -c "SELECT count(*) FROM hall.outbox WHERE event IN ('night', 'evening') AND state = 'pending'")" 2 \
	"at 07:59 they still wait"
is "$(run_once "$WORK/once.ini" "$(night_clock 2025-06-11T08:00:00+08)")" 0 "notify --once at 08:00"
is "$(q -c "SELECT string_agg(event || ' ' || state || ' ' || (sent_at = '2025-06-11 08:00+08'), ', ' ORDER BY event)
           FROM hall.outbox WHERE event IN ('night', 'evening')")" \
	"evening sent true, night sent true" "at 08:00 both are sent"
is "$(delivered_counts night | awk '{ print $2 }') $(delivered_counts evening | awk '{ print $2 }')" "1 1" \
	"each delivered once"

# ---- bad configuration: one line, exit status 2 -------------------------------
bad_config() { # DESCRIPTION INI-LINES...: hallctl notify must exit 2 with one line
	local d=$1 st=0; shift
	printf '%s\n' "$@" >"$WORK/bad.ini"
	"$HALLCTL" --dsn "$SENDER_DSN" --config "$WORK/bad.ini" notify --once \
		>"$WORK/bad.out" 2>"$WORK/bad.err" || st=$?
	if [ "$st" = 2 ] && [ "$(wc -l <"$WORK/bad.err")" = 1 ] && [ ! -s "$WORK/bad.out" ]; then
		ok "bad config, $d: exit 2, one line: $(cat "$WORK/bad.err")"
	else
		not_ok "bad config, $d: exit 2, one line" "status $st" "$(cat "$WORK/bad.err" "$WORK/bad.out")"
	fi
}
URL="url = http://127.0.0.1:$PORT/v1/messages"
bad_config "no URL" "[notify]" "timeout_ms = 1000"
bad_config "empty URL" "[notify]" "url ="
bad_config "a URL that is not http(s)" "[notify]" "url = ftp://127.0.0.1/messages"
bad_config "a negative timeout" "[notify]" "$URL" "timeout_ms = -5"
bad_config "a negative connect timeout" "[notify]" "$URL" "connect_timeout_ms = -1"
bad_config "a missing certificate" "[notify]" "$URL" "client_cert = $WORK/nonexistent.pem"
mkdir -p "$WORK/certdir"
bad_config "a certificate that is a directory" "[notify]" "$URL" "client_cert = $WORK/certdir"
echo "not a key" >"$WORK/key.pem"
chmod 000 "$WORK/key.pem"
if [ "$(id -u)" != 0 ]; then
	bad_config "an unreadable key" "[notify]" "$URL" "client_cert = $WORK/key.pem" "client_key = $WORK/key.pem"
fi
bad_config "a missing CA file" "[notify]" "$URL" "ca_file = /nonexistent/ca.pem"
bad_config "a lease shorter than a request" "[notify]" "$URL" "timeout_ms = 10000" "lease_seconds = 5"
q -c "UPDATE hall.settings SET value = 'production' WHERE key = 'mode'"
bad_config "insecure = true on a production database" "[notify]" "$URL" "insecure = true"
q -c "UPDATE hall.settings SET value = 'test' WHERE key = 'mode'"
st=0
"$HALLCTL" --dsn "$SENDER_DSN" --config "$WORK/once.ini" notify --bogus >/dev/null 2>"$WORK/bad.err" || st=$?
is "$st $(wc -l <"$WORK/bad.err")" "2 1" "an unknown option: exit 2, one line"

# ---- the whole outbox is settled; nothing leaked into the logs --------------------
is "$(q -c "SELECT count(*) FROM hall.outbox WHERE state IN ('pending', 'sending')")" 0 "nothing is left in flight"
check "no dispatcher log holds a phone number or payload" \
	test "$(cat "$WORK"/*.log | grep -c '13800138000\|13900139000\|您的办件')" = 0

kill -TERM "$RECV_PID"
st=0
wait "$RECV_PID" || st=$?
is "$st" 0 "the receiver exits 0 on SIGTERM"

echo "1..$T"
if [ "$FAILED" -gt 0 ]; then
	echo "# $FAILED of $T failed"
	exit 1
fi
