#!/usr/bin/env bash
# Real parallel sessions against the workflow functions:
#  - 16 sessions call hall.claim_next on one window holding 2,000 cases:
#    every case is claimed exactly once, by exactly one audit event;
#  - 8 sessions race to approve and to return the same 200 held cases
#    (stale screens, double keypresses): exactly one transition wins each
#    case and the audit log shows exactly one decision per case.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/lib/tap.sh
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
PGBENCH="$(cluster_pgbin)/pgbench"
cluster_temp 55447 || exit 1
createdb race
"$HALLCTL" --dsn dbname=race migrate >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
psql -qd race -v ON_ERROR_STOP=1 <<'SQL' >/dev/null || exit 1
UPDATE hall.settings SET value = 'test' WHERE key = 'mode';
INSERT INTO hall.departments VALUES ('D1', '市场监管局');
INSERT INTO hall.windows VALUES ('W1', '综合受理1号窗口', 'D1');
INSERT INTO hall.items (code, name, department_code, category, promised_days)
	VALUES ('IT1', '食品经营许可证核发', 'D1', '行政许可', 10);
INSERT INTO hall.materials (item_id, name, ord)
	SELECT id, m, o FROM hall.items, unnest(ARRAY['申请书', '营业执照副本', '身份证复印件']) WITH ORDINALITY AS x(m, o);
INSERT INTO hall.window_items SELECT 'W1', id FROM hall.items;
SELECT hall.staff_add('race_clerk', '王丽', 'clerk', 'D1', ARRAY['W1'], 'race-password');
SELECT hall.staff_add('race_clerk2', '李强', 'clerk', 'D1', ARRAY['W1'], 'race-password');
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'race_portal') THEN
		CREATE ROLE race_portal LOGIN PASSWORD 'race-password' IN ROLE hall_portal;
	END IF;
END $$;
SQL
PGPASSWORD=race-password psql -qAtd race -U race_portal -v ON_ERROR_STOP=1 -c \
	"SELECT count(hall.submit('IT1', jsonb_build_object('kind', 'person', 'name', '张' || g,
	   'id_number', '23010219800101' || lpad(g::text, 4, '0'), 'phone', '1380000' || lpad(g::text, 4, '0')), 'web'))
	 FROM generate_series(1, 2000) g" >/dev/null || { echo "not ok 1 - submit 2000 cases"; exit 1; }

work=$(mktemp -d); trap 'rm -rf "$work"; cluster_stop "$CLUSTER_TMP"; rm -rf "$CLUSTER_TMP"' EXIT
echo "SELECT hall.claim_next('W1');" > "$work/claim.sql"
# 16 clients, 130 calls each: 2,080 attempts for 2,000 cases.
PGPASSWORD=race-password "$PGBENCH" -n -d race -U race_clerk -c 16 -j 2 -t 130 -f "$work/claim.sql" \
	>"$work/claim.log" 2>&1
tap_is "$?" 0 "16 sessions call claim_next 2,080 times without an error" 
tap_is "$(psql -Atd race -c "select count(*) from hall.applications where state = 'in_review' and claimed_by is not null")" \
	2000 "every one of the 2,000 cases is claimed"
tap_is "$(psql -Atd race -c "select count(*) from (select app_id from hall.audit where action = 'claim' group by app_id having count(*) = 1) s")" \
	2000 "each case has exactly one claim event"
tap_is "$(psql -Atd race -c "select count(*) from hall.audit where action = 'claim'")" 2000 \
	"no claim event beyond one per case"

# The race: 8 sessions of the clerk who holds them try, at random, to
# approve or return each of the first 200 cases; refusals are expected.
cat > "$work/race.sql" <<'SQL'
\set n random(1, 200)
\set what random(0, 1)
DO $$ BEGIN
	IF :what = 0 THEN
		PERFORM hall.approve(:n, '同意');
	ELSE
		PERFORM hall.return_for_correction(:n, ARRAY(SELECT id FROM hall.materials ORDER BY id LIMIT 1), '材料不清晰');
	END IF;
EXCEPTION WHEN object_not_in_prerequisite_state OR insufficient_privilege THEN
	NULL; -- somebody else's transition won: that is the point
END $$;
SQL
PGPASSWORD=race-password "$PGBENCH" -n -d race -U race_clerk -c 8 -j 2 -t 400 -f "$work/race.sql" >"$work/race.log" 2>&1
tap_is "$?" 0 "8 racing sessions finish without an unexpected error" "$(tail -5 "$work/race.log")"
tap_is "$(psql -Atd race -c "select count(*) from hall.applications where id <= 200 and state in ('completed', 'returned')")" \
	200 "each raced case ended approved or returned"
tap_is "$(psql -Atd race -c "select count(*) from hall.audit where app_id <= 200 and action in ('approve', 'return')")" \
	200 "the audit log shows exactly one winning transition per case"
tap_is "$(psql -Atd race -c "select count(*) from hall.applications a where id <= 200 and
	(select count(*) from hall.audit e where e.app_id = a.id and e.to_state = a.state) <> 1")" \
	0 "each case's final state matches its one audit event"
tap_is "$(psql -Atd race -c "select count(*) from hall.returns r join hall.applications a on a.id = r.app_id
	where a.id <= 200 and a.state <> 'returned'")" 0 "no approved case carries a one-time notice"
tap_is "$(psql -Atd race -c "select count(*) = count(distinct app_id) from hall.returns where app_id <= 200")" t \
	"no case was returned twice in the race"
tap_done
