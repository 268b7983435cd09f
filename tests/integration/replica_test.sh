#!/usr/bin/env bash
# The supervisors' figures from a streaming standby ([database] report_dsn,
# db/replica.c; doc/replica.md), against a real primary and a real hot
# standby made by pg_basebackup -R:
#
#   the report path reads from the standby (pg_is_in_recovery() true on that
#   connection), logged in with the password given for the primary, and
#   shows a transition made on the primary once it has replayed; every read
#   the report screens route there runs on a standby (none writes);
#   a standby whose replay is paused is said to be N s behind, then read no
#   more past report_fallback_lag (the primary answers), then used again;
#   a read the replay cancels (SQLSTATE 40001, a recovery conflict) is read
#   again on the primary, not refused;
#   the standby stopped: the same figure from the primary, and the program
#   says so (报表库不可用，数据取自主库); started again: back to it;
#   the primary stopped and the standby promoted: with
#   host=primary,standby target_session_attrs=read-write the primary session
#   finds the new primary by itself, read-write, and the figures follow.
#
# tests/lib/replicatest (the db/ modules, no screen) plays the terminal;
# tests/e2e/27_replica.sh shows the same on the screen.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/lib/tap.sh
BUILD=${1:-build}
HALLCTL=${HALLCTL:-$PWD/$BUILD/hallctl}
REPLICATEST=${REPLICATEST:-$(dirname "$HALLCTL")/tests/replicatest}
: "${HALLTERM_LOCALEDIR:=$(dirname "$HALLCTL")/locale}"
# The driver speaks the hall's language; the servers keep their English log.
export TZ=Asia/Shanghai LC_ALL=C.UTF-8 HALLTERM_LOCALEDIR
PORT=${TEST_PORT:-55610}
SPORT=$((PORT + 1))
T0=$SECONDS

cluster_temp "$PORT" || exit 1
P=$CLUSTER_TMP
S=$CLUSTER_TMP/standby
DPID=
stop_all() {
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null
	cluster_stop "$S"
	cluster_stop "$P"
	rm -rf "$P"
}
trap stop_all EXIT
PRIMARY_ENV="PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=$PGUSER"
onp() { psql -X -v ON_ERROR_STOP=1 -Atq -h "$P/run" -p "$PORT" -d hall -c "$1"; }
ons() { psql -X -v ON_ERROR_STOP=1 -Atq -h "$S/run" -p "$SPORT" -d hall -c "$1"; }
as_user() { PGPASSWORD=demo psql -X -v ON_ERROR_STOP=1 -Atq -h "$P/run" -p "$PORT" -U "$1" -d hall -c "$2"; }

# ---- the primary: the demo hall, replication allowed to its superuser ----------
createdb hall
out=$("$HALLCTL" --dsn dbname=hall migrate 2>&1) || { tap_ok 1 "migrate" "$out"; tap_done; }
out=$("$HALLCTL" --dsn dbname=hall demo --scale 300 --seed 7 --at '2026-11-23 10:00+08' 2>&1)
tap_is "$?" 0 "the demo hall on the primary (wal_level $(onp 'show wal_level'))" "$out"
cluster_as_owner sh -c "echo 'local replication $PGUSER trust' >> '$P/data/pg_hba.conf'"
onp "SELECT pg_reload_conf()" >/dev/null
# A table the conflict story locks; super01 may read it.
onp "CREATE TABLE public.conflict_probe (x int); INSERT INTO public.conflict_probe VALUES (1);
     GRANT SELECT ON public.conflict_probe TO super01"

# ---- the standby: pg_basebackup -R, another port --------------------------------
cluster_as_owner "$(cluster_pgbin)/pg_basebackup" -D "$S/data" -R -X stream -c fast -N -h "$P/run" -p "$PORT" \
	-U "$PGUSER" >"$P/basebackup.log" 2>&1
tap_is "$?" 0 "pg_basebackup -R copies the primary" "$(cat "$P/basebackup.log")"
# A replay that waits for nobody: a read in its way is cancelled at once.
cluster_as_owner sh -c "printf 'max_standby_streaming_delay = 0\nhot_standby_feedback = off\n' >> '$S/data/postgresql.conf'"
cluster_start "$S" "$SPORT" || { tap_ok 1 "the standby starts"; tap_done; }
export $PRIMARY_ENV
tap_is "$(ons 'SELECT pg_is_in_recovery()')" t "the standby runs, in recovery, on port $SPORT"
echo "# set up in $((SECONDS - T0)) s (load average $(cut -d' ' -f1 /proc/loadavg))"

# The department's figures of this month, as super01 sees them on the primary.
FROM=2026-11-01 TO=2026-11-23
completed_now() {
	PGPASSWORD=demo psql -X -Atq -h "$P/run" -p "$PORT" -U super01 -d hall \
		-c "SELECT completed FROM hall.timeliness_department('$FROM', '$TO')"
}
# Wait until the standby has replayed everything the primary wrote so far.
replayed() {
	local lsn i
	lsn=$(onp "SELECT pg_current_wal_lsn()")
	for i in $(seq 100); do
		[ "$(ons "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && return 0
		sleep 0.1
	done
	return 1
}

# ---- the terminal's report path (tests/lib/replicatest) ----------------------
# say COMMAND: one line to the driver, its one line of answer in $REPLY.
start_driver() { # PRIMARY_DSN REPORT_DSN
	coproc DRIVER { LANGUAGE=zh_CN exec "$REPLICATEST" "$1" "$2" super01 demo 1 3 2>>"$P/driver.log"; }
	DPID=$DRIVER_PID
	IFS= read -r -t 15 REPLY <&"${DRIVER[0]}"
}
say() {
	echo "$1" >&"${DRIVER[1]}"
	REPLY=
	IFS= read -r -t 40 REPLY <&"${DRIVER[0]}"
}
field() { # NAME: the value of NAME= in $REPLY (up to the next space; note: the rest)
	if [ "$1" = note ]; then
		printf '%s' "${REPLY#*note=}"
	else
		printf '%s' "$REPLY" | tr ' ' '\n' | sed -n "s/^$1=//p"
	fi
}

# The report DSN names no dbname nor user nor password: the primary's are used.
start_driver "host=$P/run port=$PORT dbname=hall" "host=$S/run port=$SPORT"
tap_like "$REPLY" "^started primary=ready replica=ready" "the terminal connects to the primary and to the report database" \
	"$(cat "$P/driver.log")"
tap_is "$(ons "SELECT usename || ' ' || application_name FROM pg_stat_activity WHERE application_name = 'hallterm-report'")" \
	"super01 hallterm-report" "on the standby as super01, with the password given for the primary"

want=$(completed_now)
say "read $FROM $TO"
tap_like "$REPLY" "^route=replica recovery=t port=$SPORT " "a figure read through the report path comes from the standby" "$REPLY"
tap_is "$(field completed)" "$want" "the department's cases completed this month, as on the primary ($want)"
tap_is "$(field note)" "" "nothing to say while the standby is current"
# Every read the report screens send there runs on a standby: none writes.
say "every $FROM $TO 2026-11-01"
tap_like "$REPLY" "^route=replica every=20 failed=0 answered=20" \
	"all 20 reads the report screens route (figures, drill-downs, the 7 exports) run on the standby" "$REPLY"

# A transition on the primary: a clerk of SCJG approves a case they hold.
read -r app clerk < <(onp "SELECT a.id, s.login FROM hall.applications a JOIN hall.staff s ON s.id = a.claimed_by
	WHERE a.state = 'in_review' AND a.department_code = 'SCJG' AND s.kind = 'clerk' ORDER BY a.id LIMIT 1" | tr '|' ' ')
as_user "$clerk" "SELECT hall.approve($app, '准予许可')" >/dev/null
tap_is "$(completed_now)" "$((want + 1))" "$clerk approves case $app on the primary: $((want + 1)) completed there"
replayed
tap_is "$?" 0 "the standby replays it"
say "read $FROM $TO"
tap_like "$REPLY" "^route=replica recovery=t port=$SPORT completed=$((want + 1)) " \
	"the figure read from the standby then shows the transition ($((want + 1)))" "$REPLY"
want=$((want + 1))

# ---- lag: the replay paused -----------------------------------------------------
# The lag counts from the last commit replayed: one just before the pause,
# one after it that waits.
onp "SELECT txid_current()" >/dev/null
replayed
since=$(date +%s%N)
ons "SELECT pg_wal_replay_pause()" >/dev/null
onp "SELECT txid_current()" >/dev/null
until_ms() { # sleep until MS milliseconds after $since
	local left=$(( $1 - ($(date +%s%N) - since) / 1000000 ))
	[ "$left" -gt 0 ] && sleep "$(printf '%d.%03d' $((left / 1000)) $((left % 1000)))"
}
until_ms 1500
say "read $FROM $TO"
tap_like "$REPLY" "^route=replica recovery=t .*state=behind " "paused (report_max_lag 1): still read from the standby" "$REPLY"
tap_like "$(field note)" "^报表库延迟 [0-9]+ 秒$" "and the program says how far behind it is: $(field note)"
until_ms 3600
say "read $FROM $TO"
tap_like "$REPLY" "^route=primary recovery=f port=$PORT .*state=too_far " \
	"past report_fallback_lag (3 s) the figures come from the primary" "$REPLY"
tap_like "$(field note)" "^报表库延迟 [0-9]+ 秒，数据取自主库$" "and it says so: $(field note)"
ons "SELECT pg_wal_replay_resume()" >/dev/null
replayed
say "read $FROM $TO"
tap_like "$REPLY" "^route=replica recovery=t .*state=fresh note=$" "replay resumed: back to the standby, nothing to say" "$REPLY"

# ---- a recovery conflict: read again on the primary -------------------------------
echo "slowread 1.5" >&"${DRIVER[1]}"
sleep 0.5
onp "BEGIN; LOCK TABLE public.conflict_probe IN ACCESS EXCLUSIVE MODE; COMMIT" >/dev/null
IFS= read -r -t 30 REPLY <&"${DRIVER[0]}"
tap_like "$REPLY" "^route=primary recovery=f port=$PORT completed=1 retried=1 " \
	"a read the replay cancels on the standby is read again on the primary" "$REPLY"
# The standby cancels the statement (SQLSTATE 40001) and, when its cancel
# comes again once the statement is over, drops the connection: read again
# on the primary either way.
tap_like "$(grep -c 'conflict with recovery' "$S/server.log")" "^[1-9]" "the standby did cancel it: conflict with recovery" \
	"$(tail -5 "$S/server.log")"
tap_like "$(tail -3 "$P/driver.log")" "said (no \\(40001\\)|nothing)" "its SQLSTATE 40001, or the connection it dropped, sent the read to the primary"

# ---- the standby stopped, then back -----------------------------------------------
cluster_stop "$S"
say "wait-down 10"
tap_is "$REPLY" ok "the standby stopped: the program knows"
say "read $FROM $TO"
tap_like "$REPLY" "^route=primary recovery=f port=$PORT completed=$want " \
	"the same figure ($want) now comes from the primary" "$REPLY"
tap_is "$(field note)" "报表库不可用，数据取自主库" "and the program says so"
cluster_start "$S" "$SPORT" >/dev/null
export $PRIMARY_ENV
say "wait-replica 15"
tap_is "$REPLY" ok "the standby back: the report database reconnects by itself"
replayed   # it catches up first (until then it is, rightly, said to be behind)
say "read $FROM $TO"
tap_like "$REPLY" "^route=replica recovery=t port=$SPORT completed=$want .*note=$" "and the figures come from it again" \
	"$REPLY
$(tail -5 "$P/driver.log")
$(tail -5 "$S/server.log")"
say quit
wait "$DPID" 2>/dev/null
DPID=

# ---- promotion: the primary stopped, the standby promoted ------------------------
start_driver "host=$P/run,$S/run port=$PORT,$SPORT dbname=hall target_session_attrs=read-write" \
	"host=$S/run port=$SPORT dbname=hall"
say "where"
tap_like "$REPLY" "^port=$PORT recovery=f read_only=off" "host=a,b target_session_attrs=read-write: the primary session is on the primary" "$REPLY"
cluster_stop "$P"
say "wait-primary-down 10"
tap_is "$REPLY" ok "the primary stopped: the program knows"
say "state"
tap_like "$REPLY" "^primary=(down|connecting) replica=ready" "the report database is still there" "$REPLY"
say "read $FROM $TO"
tap_like "$REPLY" "^route=replica recovery=t port=$SPORT completed=$want " \
	"the figures are still read, from the standby, while the primary is down" "$REPLY"
cluster_as_owner "$(cluster_pgbin)/pg_ctl" -D "$S/data" -w promote >/dev/null
tap_is "$(ons 'SELECT pg_is_in_recovery()')" f "the standby is promoted"
say "wait-primary 20"
tap_is "$REPLY" ok "the primary session reconnects by itself (the second host)"
say "where"
tap_like "$REPLY" "^port=$SPORT recovery=f read_only=off" "to the promoted standby, read-write" "$REPLY"
say "read $FROM $TO"
tap_like "$REPLY" "^route=replica recovery=f port=$SPORT completed=$want .*state=fresh note=$" \
	"the figures follow, nothing to say" "$REPLY"
say quit
wait "$DPID" 2>/dev/null
DPID=
echo "# replica_test: $((SECONDS - T0)) s"
tap_done
