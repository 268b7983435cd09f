#!/usr/bin/env bash
# Two windows never call the same ticket (schema/023_tickets.sql), with real
# parallel sessions: 20 windows serve one business line holding 1,000
# tickets (a tenth of them green channel); 20 pgbench sessions, one a
# window, call the next ticket and finish it as fast as they can, 1,100
# times in all.  Every ticket is called exactly once, by one window, in
# one audit event, and finished with one rating request; no window had two
# tickets at its counter at once; the green channel went first.  As the
# claim race of race_test.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/lib/tap.sh
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
PGBENCH="$(cluster_pgbin)/pgbench"
cluster_temp "${TEST_PORT:-55448}" || exit 1
createdb race
"$HALLCTL" --dsn dbname=race migrate >/dev/null 2>&1 || { echo "not ok 1 - migrate"; exit 1; }
psql -qd race -v ON_ERROR_STOP=1 <<'SQL' >/dev/null || { echo "not ok 1 - set up"; exit 1; }
UPDATE hall.settings SET value = 'test' WHERE key = 'mode';
INSERT INTO hall.departments VALUES ('D1', '市场监管局');
INSERT INTO hall.windows SELECT 'W' || lpad(g::text, 2, '0'), '综合受理' || g || '号窗口', 'D1' FROM generate_series(1, 20) g;
INSERT INTO hall.lines (code, name, department_code) VALUES ('A', '商事登记', 'D1');
INSERT INTO hall.window_lines SELECT code, 'A' FROM hall.windows;
SELECT hall.staff_add('race_clerk', '王丽', 'clerk', 'D1', ARRAY(SELECT code FROM hall.windows ORDER BY 1), 'race-password');
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'race_portal') THEN
		CREATE ROLE race_portal LOGIN PASSWORD 'race-password' IN ROLE hall_portal;
	END IF;
END $$;
SQL
PGPASSWORD=race-password psql -qAtd race -U race_portal -v ON_ERROR_STOP=1 -c \
	"SELECT count(hall.take_ticket('A', CASE WHEN g % 10 = 0 THEN 'green' ELSE 'kiosk' END)) FROM generate_series(1, 1000) g" \
	>/dev/null || { echo "not ok 1 - take 1000 tickets"; exit 1; }
# (as autovacuum would have by then: the plan of call_next is the index's)
psql -qd race -c "ANALYZE hall.tickets" >/dev/null

work=$(mktemp -d); trap 'rm -rf "$work"; cluster_stop "$CLUSTER_TMP"; rm -rf "$CLUSTER_TMP"' EXIT
# Each session is one window (client_id 0-19): call, then finish.
cat > "$work/call.sql" <<'SQL'
\set w :client_id + 1
SELECT coalesce(hall.call_next('W' || lpad(:w::text, 2, '0')), 0) AS t \gset
\if :t > 0
SELECT hall.finish_ticket(:t);
\endif
SQL
# 20 clients, 55 calls each: 1,100 attempts for 1,000 tickets.
PGPASSWORD=race-password "$PGBENCH" -n -d race -U race_clerk -c 20 -j 2 -t 55 -f "$work/call.sql" \
	>"$work/call.log" 2>&1
tap_is "$?" 0 "20 windows call and finish 1,100 times without an error" "$(tail -5 "$work/call.log")"
q() { psql -Atd race -c "$1"; }
tap_is "$(q "SELECT count(*) FROM hall.tickets WHERE state = 'done'")" 1000 "every one of the 1,000 tickets was served"
tap_is "$(q "SELECT count(*) || ' ' || count(DISTINCT ticket_id) FROM hall.calls")" "1000 1000" \
	"1,000 calls, each of a different ticket: none called twice"
tap_is "$(q "SELECT count(*) FROM (SELECT (details->>'ticket') FROM hall.audit WHERE action = 'call' GROUP BY 1 HAVING count(*) = 1) s")" \
	1000 "each ticket has exactly one call event"
tap_is "$(q "SELECT count(*) || ' ' || count(DISTINCT ticket_id) FROM hall.rating_requests")" "1000 1000" \
	"one rating request per service"
tap_is "$(q "SELECT count(*) FROM hall.tickets x JOIN hall.calls c ON c.ticket_id = x.id WHERE c.window_code <> x.window_code")" 0 \
	"each ticket was served at the window that called it"
tap_is "$(q "SELECT count(*) FROM (SELECT finished_at, lead(last_called_at) OVER (PARTITION BY window_code ORDER BY last_called_at) AS next_call
	FROM hall.tickets) s WHERE next_call < finished_at")" 0 "no window had two tickets at its counter at once"
tap_is "$(q "SELECT count(DISTINCT window_code) FROM hall.tickets")" 20 "all 20 windows called"
# The green channel first: every green ticket was called before the last
# 10% of the kiosk tickets (concurrency may reorder neighbours, not that).
tap_is "$(q "SELECT count(*) FROM hall.tickets g WHERE g.channel = 'green' AND g.called_at >
	(SELECT percentile_disc(0.1) WITHIN GROUP (ORDER BY k.called_at) FROM hall.tickets k WHERE k.channel = 'kiosk')")" 0 \
	"the 100 green-channel tickets were called before the kiosk's"
tap_is "$(q "SELECT count(*) FROM hall.window_status WHERE status <> 'idle' OR ticket_id IS NOT NULL")" 0 \
	"every window is idle at the end"
tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/call.log" | head -1)
echo "# ${tps:-?} call-and-finish cycles a second over 20 windows"
tap_done
