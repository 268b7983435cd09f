#!/usr/bin/env bash
# A power cut in the middle of the working day: 16 clerks' sessions claim,
# approve, return and escalate cases; the PostgreSQL server and every one
# of its processes are killed with SIGKILL (no shutdown checkpoint); the
# server is started again and recovers from its WAL.  Then:
#
#  - every transition a client saw committed is in the database, with its
#    audit event and (approve, return, escalate) its outbox row, written by
#    the same transaction (same xmin);
#  - every case's state is the to_state of its last audit event, and the
#    cases the run touched were last written by that event's transaction;
#  - nothing half-done: no outbox row or one-time notice (hall.returns)
#    without the audit event of its transaction, no decision's audit event
#    without its outbox row, and at most one transition per client that
#    committed without its client seeing it (the call in flight at the cut).
#
# The run's server is durable, unlike every other test's: tests/lib/cluster.sh
# starts clusters with fsync = off, synchronous_commit = off and
# full_page_writes = off; here the setup (migrate, demo, new cases) runs
# like that, the server is then shut down cleanly and started again with
# fsync = on, synchronous_commit = on, full_page_writes = on, as a
# production server has them, for the run, the cut and the recovery.  A
# kill -9 of every server process loses what is only in the server's
# shared memory (WAL buffers, dirty pages), not the kernel's page cache: it
# proves the server's commit path and our one-transaction transitions, not
# the disk's honesty about fsync.
#
# A client is one psql running a script; it writes "transition case-id" to
# its own log (line-buffered, stdbuf -oL) only after psql has the call's
# answer (autocommit: the server commits before it answers), and before it
# sends the next call.
#
#   TEST_PORT=55631 HALLCTL=$PWD/build/hallctl bash tests/integration/crash_test.sh
#
# CRASH_CLIENTS (16) sessions, CRASH_SECONDS (3) of load before the cut,
# KEEP_WORK=1 keeps the logs and the cluster.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/cluster.sh
source tests/lib/tap.sh
HALLCTL=${HALLCTL:-$PWD/${1:-build}/hallctl}
CLIENTS=${CRASH_CLIENTS:-16}
LOAD_SECONDS=${CRASH_SECONDS:-3}
PORT=${TEST_PORT:-55631}
export TZ=Asia/Shanghai LC_ALL=C.UTF-8

[ -x "$HALLCTL" ] || { echo "Bail out! $HALLCTL is missing: run make first"; exit 1; }
command -v stdbuf >/dev/null || { echo "Bail out! stdbuf (coreutils) is missing"; exit 1; }
bin=$(cluster_pgbin) || { echo "Bail out! no PostgreSQL"; exit 1; }

T_START=$(date +%s.%N)
stage() { echo "# $(awk -v a="$T_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%5.1f", b - a }') s: $1"; }

cluster_temp "$PORT" >/dev/null || { echo "Bail out! cannot start PostgreSQL"; exit 1; }
WORK=$(mktemp -d /tmp/hallterm-crash.XXXXXX)
chmod 755 "$WORK"
CLIENT_PIDS=()
eval "set -- $(trap -p EXIT)"
CLUSTER_TRAP=${3:-}
cleanup() {
	local p
	for p in "${CLIENT_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ -n "${KEEP_WORK:-}" ]; then
		echo "# kept $WORK and $CLUSTER_TMP (stop it with pg_ctl -D $CLUSTER_TMP/data stop)" >&2
	else
		rm -rf "$WORK"
		eval "$CLUSTER_TRAP"
	fi
}
trap cleanup EXIT

# cluster_start's server, durable (and without pg_cron: no scheduled job
# writes while we count).
durable_start() {
	cluster_as_owner "$bin/pg_ctl" -D "$CLUSTER_TMP/data" -l "$CLUSTER_TMP/server.log" -w -t 60 start \
		-o "-c listen_addresses='' -k $CLUSTER_TMP/run -p $PORT -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=200 -c shared_buffers=256MB -c timezone=Asia/Shanghai -c log_min_messages=warning" \
		>/dev/null
}

DB=crash
q() { psql -X -v ON_ERROR_STOP=1 -Atqd "$DB" -c "$1"; }

# ---- set-up, on the fast server ---------------------------------------------
stage "cluster started"
createdb "$DB"
out=$("$HALLCTL" --dsn "dbname=$DB" migrate 2>&1) || { echo "$out"; echo "Bail out! migrate failed"; exit 1; }
out=$("$HALLCTL" --dsn "dbname=$DB" demo --scale 100 --seed 11 2>&1) || { echo "$out"; echo "Bail out! demo failed"; exit 1; }
stage "migrated, demo of 100 cases"
# Work for everybody: 20 new cases on the web for each window.
q "SELECT count(hall.submit(i.code, jsonb_build_object('kind', 'person', 'name', '张' || g,
	   'id_number', '23010219800101' || lpad(g::text, 4, '0'), 'phone', '1380000' || lpad(g::text, 4, '0')), 'web'))
   FROM (SELECT DISTINCT ON (wi.window_code) wi.window_code, it.code
         FROM hall.window_items wi JOIN hall.items it ON it.id = wi.item_id
         ORDER BY wi.window_code, it.id) i, generate_series(1, 20) g" >/dev/null \
	|| { echo "Bail out! cannot submit cases"; exit 1; }
# Where the run starts: everything after these is the run's.
q "CREATE TABLE public.mark AS SELECT (SELECT coalesce(max(id), 0) FROM hall.audit) AS audit0,
                                      (SELECT coalesce(max(id), 0) FROM hall.outbox) AS outbox0;
   CREATE TABLE public.returns0 AS SELECT app_id, seq FROM hall.returns;
   CREATE TABLE public.seen (login name, action text, app_id bigint)" \
	|| { echo "Bail out! cannot mark the start"; exit 1; }
mapfile -t CLERKS < <(q "SELECT s.login || ' ' || min(sw.window_code) FROM hall.staff s
	JOIN hall.staff_windows sw ON sw.staff_id = s.id
	WHERE s.kind = 'clerk' AND s.active GROUP BY s.login ORDER BY s.login LIMIT $CLIENTS")
[ "${#CLERKS[@]}" = "$CLIENTS" ] || { echo "Bail out! only ${#CLERKS[@]} clerks in the demo"; exit 1; }
stage "20 new cases a window"

cluster_stop "$CLUSTER_TMP"
durable_start || { echo "Bail out! cannot start PostgreSQL durable"; tail -5 "$CLUSTER_TMP/server.log"; exit 1; }
stage "restarted durable"
tap_is "$(q "SELECT current_setting('fsync') || '/' || current_setting('synchronous_commit') || '/' ||
             current_setting('full_page_writes')")" on/on/on \
	"the server of the run is durable: fsync, synchronous_commit and full_page_writes on"

# ---- the run ----------------------------------------------------------------
# One psql script per client: rounds of claim_next on the clerk's window,
# then approve, return or escalate (chosen here, at random) on the case it
# got (a window left empty waits a little before it looks again, so no
# client runs out of rounds before the cut).  Query results go to /dev/null
# (\o); \echo writes the client's log, only when the call succeeded
# (:ERROR false).  Every other client works as the terminal does
# (hall.notify = deferred, hall.flush_notify() after each transition, in a
# transaction of its own; PostgreSQL does not wait for the fsync of a
# commit that wrote nothing before it): the transitions it saw committed
# must be there all the same.
n=0
for c in "${CLERKS[@]}"; do
	set -- $c
	n=$((n + 1))
	awk -v w="$2" -v seed="$RANDOM" -v term=$((n % 2)) 'BEGIN {
		srand(seed)
		print "\\o /dev/null"
		flush = term ? "SELECT hall.flush_notify();" : ""
		if (term) print "SET hall.notify = '\''deferred'\'';"
		for (i = 0; i < 150; i++) {
			print "\\unset id"
			print "SELECT hall.claim_next('\''" w "'\'') AS id \\gset"
			print "\\if :{?id}"
			print "\\echo claim :id"
			print flush
			k = int(rand() * 3)
			if (k == 0) { act = "approve";  print "SELECT hall.approve(:id, '\''同意'\'');" }
			if (k == 1) { act = "return";   print "SELECT hall.return_for_correction(:id, '\''{}'\'', '\''身份证复印件不清晰'\'');" }
			if (k == 2) { act = "escalate"; print "SELECT hall.escalate(:id, '\''需要科长审核'\'');" }
			print "\\if :ERROR"
			print "\\else"
			print "\\echo " act " :id"
			print flush
			print "\\endif"
			print "\\else"
			print "SELECT pg_sleep(0.2);"
			print "\\endif"
		}
	}' >"$WORK/$1.sql"
done

t0=$(date +%s.%N)
for c in "${CLERKS[@]}"; do
	set -- $c
	PGPASSWORD=demo stdbuf -oL psql -X -q -d "dbname=$DB user=$1" -f "$WORK/$1.sql" \
		>"$WORK/$1.log" 2>"$WORK/$1.err" &
	CLIENT_PIDS+=($!)
done
sleep "$LOAD_SECONDS"

# The cut: stop the postmaster (SIGSTOP: it forks nothing more), then every
# process it started, then SIGKILL them all.  Backends are not in the
# postmaster's process group (each calls setsid), so they are found by
# parent pid.
PM=$(cluster_as_owner head -1 "$CLUSTER_TMP/data/postmaster.pid")
kill -STOP "$PM"
mapfile -t CHILDREN < <(ps -o pid= --ppid "$PM")
kill -STOP "${CHILDREN[@]}" 2>/dev/null
kill -KILL "$PM" "${CHILDREN[@]}" 2>/dev/null
t1=$(date +%s.%N)
for p in "$PM" "${CHILDREN[@]}"; do
	for _ in $(seq 200); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
done
lost=0
for p in "${CLIENT_PIDS[@]}"; do
	st=0; wait "$p" || st=$?
	[ "$st" = 0 ] || lost=$((lost + 1))
done
CLIENT_PIDS=()
stage "killed the postmaster and its ${#CHILDREN[@]} processes after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s of load"
tap_is "$lost" "$CLIENTS" "all $CLIENTS clients lost their server in the middle of their work" \
	"$(cat "$WORK"/*.err | sort | uniq -c | head -5)"

durable_start 2>"$WORK/restart.err"
tap_is "$?" 0 "the server starts again after the cut" "$(cat "$WORK/restart.err")"
tap_like "$(cat "$CLUSTER_TMP/server.log")" "was interrupted|not properly shut down" \
	"it found the cluster not shut down and recovered it from the WAL"
stage "recovered"

# ---- what the clients saw, what the database holds ---------------------------
bad_lines=0
for c in "${CLERKS[@]}"; do
	set -- $c
	awk -v l="$1" 'NF == 2 && $2 ~ /^[0-9]+$/ { print l "\t" $1 "\t" $2; next } { bad++ }
		END { print bad + 0 > "/dev/stderr" }' "$WORK/$1.log" 2>"$WORK/bad.$1" >>"$WORK/seen.tsv"
	bad_lines=$((bad_lines + $(cat "$WORK/bad.$1")))
done
tap_is "$bad_lines" 0 "every client log line is a transition and a case id"

# All the figures in one statement: NAME|VALUE lines.
declare -A F
while IFS='|' read -r k v; do F[$k]=$v; done < <(psql -X -q -v ON_ERROR_STOP=1 -At -d "$DB" <<SQL
SET jit = off;
\copy public.seen FROM '$WORK/seen.tsv'
WITH m AS (SELECT * FROM public.mark),
run AS (SELECT e.*, e.xmin AS x FROM hall.audit e, m WHERE e.id > m.audit0),
out AS (SELECT o.*, o.xmin AS x FROM hall.outbox o, m WHERE o.id > m.outbox0),
ret AS (SELECT r.*, r.xmin AS x FROM hall.returns r
        WHERE NOT EXISTS (SELECT 1 FROM public.returns0 r0 WHERE r0.app_id = r.app_id AND r0.seq = r.seq)),
seen_run AS (SELECT s.*, (SELECT min(e.x::text) FROM run e WHERE e.app_id = s.app_id AND e.action = s.action
                                                             AND e.actor = s.login) AS x
             FROM public.seen s)
SELECT 'seen', count(*)::text FROM seen_run
UNION ALL SELECT 'seen_by', coalesce(string_agg(action || ' ' || n, ', ' ORDER BY action), '')
	FROM (SELECT action, count(*) n FROM seen_run GROUP BY 1) s
UNION ALL SELECT 'seen_decisions', count(*)::text FROM seen_run WHERE action <> 'claim'
UNION ALL SELECT 'found', count(*)::text FROM seen_run WHERE x IS NOT NULL
UNION ALL SELECT 'found_outbox', count(*)::text FROM seen_run s WHERE s.action <> 'claim' AND EXISTS (
	SELECT 1 FROM out o WHERE o.x::text = s.x AND o.app_id = s.app_id
	  AND o.event = CASE s.action WHEN 'approve' THEN 'approved' WHEN 'return' THEN 'returned' ELSE 'escalated' END)
UNION ALL SELECT 'returns_seen', count(*)::text FROM seen_run WHERE action = 'return'
UNION ALL SELECT 'found_notice', count(*)::text FROM seen_run s WHERE s.action = 'return'
	AND EXISTS (SELECT 1 FROM ret r WHERE r.x::text = s.x AND r.app_id = s.app_id)
UNION ALL SELECT 'committed', count(*)::text FROM run
UNION ALL SELECT 'committed_by', coalesce(string_agg(action || ' ' || n, ', ' ORDER BY action), '')
	FROM (SELECT action, count(*) n FROM run GROUP BY 1) s
UNION ALL SELECT 'other_actions', count(*)::text FROM run WHERE action NOT IN ('claim', 'approve', 'return', 'escalate')
UNION ALL SELECT 'state_mismatch', count(*)::text FROM hall.applications a
	LEFT JOIN LATERAL (SELECT e.to_state FROM hall.audit e WHERE e.app_id = a.id AND e.to_state IS NOT NULL
	                   ORDER BY e.id DESC LIMIT 1) l ON true
	WHERE a.state IS DISTINCT FROM l.to_state
UNION ALL SELECT 'row_not_last_event', count(*)::text FROM hall.applications a
	JOIN LATERAL (SELECT e.id, e.xmin FROM hall.audit e WHERE e.app_id = a.id ORDER BY e.id DESC LIMIT 1) l ON true
	WHERE l.id > (SELECT audit0 FROM m) AND a.xmin <> l.xmin
UNION ALL SELECT 'outbox_orphans', count(*)::text FROM out o
	WHERE NOT EXISTS (SELECT 1 FROM run e WHERE e.x = o.x AND e.app_id = o.app_id)
UNION ALL SELECT 'decisions_without_outbox', count(*)::text FROM run e WHERE e.action IN ('approve', 'return', 'escalate')
	AND NOT EXISTS (SELECT 1 FROM out o WHERE o.x = e.x AND o.app_id = e.app_id)
UNION ALL SELECT 'notice_orphans', count(*)::text FROM ret r
	WHERE NOT EXISTS (SELECT 1 FROM run e WHERE e.x = r.x AND e.app_id = r.app_id AND e.action = 'return')
UNION ALL SELECT 'claims_unclaimed', count(*)::text FROM run e WHERE e.action = 'claim'
	AND EXISTS (SELECT 1 FROM hall.applications a WHERE a.id = e.app_id AND a.state = 'submitted')
UNION ALL SELECT 'decisions', count(*)::text FROM run WHERE action IN ('approve', 'return', 'escalate')
UNION ALL SELECT 'outbox_rows', count(*)::text FROM out
UNION ALL SELECT 'outbox_pending', count(*)::text FROM out WHERE state = 'pending';
SQL
)
[ -n "${F[seen]:-}" ] || { echo "Bail out! the figures could not be read"; exit 1; }

echo "# transitions the clients saw committed: ${F[seen]} (${F[seen_by]})"
echo "# found with their audit event: ${F[found]} of ${F[seen]}; decisions seen: ${F[seen_decisions]}, with their outbox row: ${F[found_outbox]}"
echo "# transitions committed in the run: ${F[committed]} (${F[committed_by]})"
[ "${F[seen_decisions]}" -ge 20 ]
tap_ok $? "the clients saw at least 20 decisions committed before the cut (${F[seen_decisions]})"
tap_is "${F[found]}" "${F[seen]}" "every transition a client saw committed has its audit event"
tap_is "${F[found_outbox]}" "${F[seen_decisions]}" \
	"every decision a client saw committed has its outbox row, written by the same transaction"
tap_is "${F[found_notice]}" "${F[returns_seen]}" \
	"every return a client saw committed has its one-time notice (hall.returns), of the same transaction"
unseen=$((${F[committed]} - ${F[seen]}))
[ "$unseen" -ge 0 ] && [ "$unseen" -le "$CLIENTS" ]
tap_ok $? "committed but not seen by its client: $unseen, at most the one call each client had in flight ($CLIENTS)"
tap_is "${F[other_actions]}" 0 "nothing but the clients' transitions was written in the run"
tap_is "${F[state_mismatch]}" 0 "no case's state disagrees with its last audit event"
tap_is "${F[row_not_last_event]}" 0 "each case the run touched was last written by its last audit event's transaction"
tap_is "${F[outbox_orphans]}" 0 "no outbox row without the audit event of its transaction"
tap_is "${F[decisions_without_outbox]}" 0 "no decision's audit event without its outbox row"
tap_is "${F[notice_orphans]}" 0 "no one-time notice without the return's audit event"
tap_is "${F[claims_unclaimed]}" 0 "no claim event whose case is still waiting to be claimed"
tap_is "${F[outbox_rows]} ${F[outbox_pending]}" "${F[decisions]} ${F[decisions]}" \
	"one outbox row per decision of the run (${F[decisions]}), each pending for the dispatcher"
stage "checked"
tap_done
