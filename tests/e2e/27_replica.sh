#!/usr/bin/env bash
# Story: the supervisor's figures from a streaming standby (issue 11,
# doc/replica.md).  The hall's database gets a hot standby (pg_basebackup
# -R, its own port); hallterm's [database] report_dsn points at it.  super01
# opens the timeliness screen: its figures are read on the standby, as
# super01, with nothing said; E saves the table from there.  The standby is stopped: the title says
# 报表库不可用，数据取自主库 and the figures are still there (F5 reads them
# from the primary); it comes back and the sentence goes.  Its replay
# paused: F5 says 报表库延迟 N 秒.
source "$(dirname "$0")/lib.sh"
: "${E2E_PORT:=55612}"        # a cluster of our own when run alone
SPORT=${E2E_STANDBY_PORT:-55613}
e2e_setup
T0=$SECONDS

PRIMARY_DIR=$E2E_CLUSTER_DIR
S=$E2E_TMP/standby
HBA=$PRIMARY_DIR/data/pg_hba.conf
primary_env="PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=$PGUSER"
ons() { psql -X -Atq -h "$S/run" -p "$SPORT" -d "$E2E_DB" -c "$1"; }
# The standby goes and the primary's pg_hba.conf is as it was, whatever
# happens: before e2e_done (which removes $E2E_TMP), and at exit.
standby_gone() {
	cluster_stop "$S"
	if [ -f "$HBA.before27" ]; then
		cluster_as_owner sh -c "cat '$HBA.before27' > '$HBA' && rm -f '$HBA.before27'"
		psql -X -Atq -d postgres -c 'SELECT pg_reload_conf()' >/dev/null 2>&1
	fi
}
finish() {
	standby_gone
	e2e_done
}
old_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "standby_gone; $old_trap" EXIT

# ---- the standby -----------------------------------------------------------------
cluster_as_owner sh -c "cp '$HBA' '$HBA.before27' && echo 'local replication $PGUSER trust' >> '$HBA'"
psql -X -Atq -d postgres -c "SELECT pg_reload_conf()" >/dev/null
mkdir -p "$S"
[ "$(id -u)" = 0 ] && chown postgres: "$S"
cluster_as_owner "$(cluster_pgbin)/pg_basebackup" -D "$S/data" -R -X stream -c fast -N -h "$PGHOST" -p "$PGPORT" \
	-U "$PGUSER" >"$E2E_TMP/basebackup.log" 2>&1
tap_is "$?" 0 "pg_basebackup -R makes a standby of the hall's database" "$(cat "$E2E_TMP/basebackup.log")"
cluster_start "$S" "$SPORT" >/dev/null
export $primary_env
tap_is "$(ons 'SELECT pg_is_in_recovery()')" t "the standby runs on port $SPORT, in recovery"
echo "# standby ready in $((SECONDS - T0)) s"

cat >"$E2E_TMP/hallterm.ini" <<EOF
[database]
connect_timeout = 5
reconnect_max_seconds = 2
report_dsn = "host=$S/run port=$SPORT"
report_max_lag = 1
[drafts]
autosave_seconds = 1
EOF

# ---- super01's timeliness, from the standby -----------------------------------------
e2e_start super01 || { tap_ok 1 "super01 logs in"; finish; }
e2e_wait "每日按时率" 10
tap_ok $? "super01's first screen is timeliness"
e2e_wait_re "办结 [0-9]+ 件：按时率" 10
tap_ok $? "with the department's figures"
tap_is "$(ons "SELECT usename FROM pg_stat_activity WHERE application_name = 'hallterm-report'")" super01 \
	"read on the standby, logged in as super01 with the password typed at the login"
tap_ok "$(e2e_screen | sed -n 1p | grep -q '报表库' && echo 1 || echo 0)" "the title says nothing of it while the standby is current"
e2e_shot replica_fresh

# E: the table as CSV, streamed by the standby.
e2e_keys E
e2e_wait "保存为"
e2e_keys C-u
e2e_type "$E2E_TMP/clerks.csv"
e2e_keys Enter
e2e_wait "字节顺序标记"
e2e_keys n
e2e_wait "已保存 CSV" 10
tap_ok $? "E saves the table as CSV from the standby"
want=$(PGPASSWORD=demo psql -X -At -h "$S/run" -p "$SPORT" -U super01 -d "$E2E_DB" -c \
	"select count(*) + 1 from hall.timeliness_clerks(date_trunc('month', hall.today())::date, hall.today())")
tap_is "$(wc -l <"$E2E_TMP/clerks.csv" | tr -d ' ')" "$want" "a header and one line per clerk ($((want - 1)))"

# ---- the standby stopped ---------------------------------------------------------------
cluster_stop "$S"
e2e_wait "报表库不可用，数据取自主库" 10
tap_ok $? "the standby stopped: the title says the figures come from the primary"
e2e_keys F5
sleep 1
screen=$(e2e_screen_both)
tap_like "$screen" "办结 [0-9]+ 件：按时率" "the figures are still shown, read again from the primary (F5)"
tap_like "$(e2e_screen | sed -n 1p)" "报表库不可用，数据取自主库" "and the title still says where they come from"
e2e_shot replica_down

# ---- back, then behind -------------------------------------------------------------------
cluster_start "$S" "$SPORT" >/dev/null
export $primary_env
e2e_wait_gone "报表库不可用" 10
tap_ok $? "the standby back: the report database reconnects by itself and the sentence goes"
# The lag counts from the last commit replayed: one just before the pause.
lsn=$(e2e_psql "SELECT txid_current(); SELECT pg_current_wal_lsn()" | tail -1)
for _ in $(seq 50); do [ "$(ons "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && break; sleep 0.1; done
ons "SELECT pg_wal_replay_pause()" >/dev/null
e2e_psql "SELECT txid_current()" >/dev/null
sleep 2
e2e_keys F5
e2e_wait_re "报表库延迟 [0-9]+ 秒" 10
tap_ok $? "its replay paused (report_max_lag 1): F5 says how far behind it is"
tap_like "$(e2e_screen_both)" "办结 [0-9]+ 件：按时率" "the figures still there"
e2e_shot replica_behind
ons "SELECT pg_wal_replay_resume()" >/dev/null

e2e_quit
echo "# 27_replica: $((SECONDS - T0)) s"
finish
