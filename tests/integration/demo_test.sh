#!/usr/bin/env bash
# The trainer's demo database (`hallctl demo`, schema/demo/demo.sql): the same
# seed gives the same data, every state and deadline is right, the platform's
# figures of a month are the seed city's, the 24 demo accounts log in and see
# what their role lets them see, a production database holding cases is
# never touched, and the queue stays an index scan.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/lib/tap.sh
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
cluster_temp "${TEST_PORT:-55442}" || exit 1
createdb demo_t
DB=demo_t
DSN="dbname=$DB"
q() { psql -X -v ON_ERROR_STOP=1 -Atqd "$DB" -c "$1"; }
as() { # as LOGIN SQL: run SQL logged in as a demo account (password 'demo', scram)
	PGPASSWORD=demo psql -X -v ON_ERROR_STOP=1 -Atq -U "$1" -d "$DB" -c "$2"
}

out=$("$HALLCTL" --dsn "$DSN" migrate 2>&1); rc=$?
tap_is "$rc" 0 "migrate succeeds" "$out"

# Generated for a fixed moment (the database's clock, hall.set_clock): the
# same seed gives the same hall whatever day and hour the test runs (a run
# across midnight, a Monday with no rating yet this week).
AT='2026-11-23 10:00+08'

# The platform's figures of the last full month (October 2026 at $AT) for
# the whole hall are the seed city's (schema/demo/demo.sql, at the top):
# 网上办件 77.4%, 最多跑一次 80.9%, 全程不见面 43.7%, 法人 34.8%, each
# within 2 points.  check_shares DB WHAT: prints them, one test each.
check_shares() {
	local rows key label pct want ok
	rows=$(psql -X -v ON_ERROR_STOP=1 -Atqd "$1" -c "SELECT p.key, p.label, round(100 * p.share, 1), k.want,
		abs(100 * p.share - k.want) <= 2
		FROM hall.platform_figures('2026-10-01') p
		JOIN (VALUES ('online', 1, 77.4), ('one_trip', 2, 80.9), ('no_visit', 3, 43.7), ('entity', 4, 34.8)) k(key, ord, want)
		  ON k.key = p.key
		WHERE p.scope_code IS NULL ORDER BY k.ord" 2>&1)
	echo "# $2, October 2026: $(printf '%s\n' "$rows" | awk -F'|' '{ printf "%s%s %s%% (seed %s%%)", (NR > 1 ? ", " : ""), $2, $3, $4 }')"
	tap_ok "$([ "$(printf '%s\n' "$rows" | grep -c '|')" = 4 ]; echo $?)" "$2: platform_figures gives the four shares" "$rows"
	while IFS='|' read -r key label pct want ok; do
		tap_is "$ok" t "$2: $label $pct% is the seed city's $want% within 2 points"
	done <<<"$rows"
}

# -------------------------------------------------------------- generate
fingerprint() {
	q "SELECT md5(string_agg(a::text, '|' ORDER BY a.id)) FROM hall.applications a" &&
	q "SELECT md5(string_agg(p::text, '|' ORDER BY p.id)) FROM hall.applicants p"
}
out=$("$HALLCTL" --dsn "$DSN" demo --scale 2000 --seed 7 --at "$AT" 2>&1); rc=$?
tap_is "$rc" 0 "hallctl demo --scale 2000 --seed 7 succeeds on a fresh (production, empty) database"
tap_like "$out" "demo data created: 2000 cases, seed 7" "it says what it made"
tap_is "$(printf '%s\n' "$out" | grep -Ec '^  (clerk[0-9]{2}|super0[1-3]|trainer01) +(clerk|supervisor|trainer) +demo ')" 24 \
	"it prints the 24 accounts once, with their password"
tap_like "$out" "clerk01 +clerk +demo +A01 +王丽" "clerk01 serves window A01"
tap_is "$(q "SELECT value FROM hall.settings WHERE key = 'mode'")" "demo" "the database is now in demo mode"
tap_is "$(q "SELECT count(*) FROM hall.applications")" 2000 "2000 cases"
tap_is "$(q "SELECT count(*) FROM hall.applications a JOIN hall.case_numbers n ON n.app_id = a.id AND n.case_no = a.case_no")" \
	2000 "every case's number is in the search's table (the load runs as a replica: no trigger writes it)"
first=$(fingerprint)

out=$("$HALLCTL" --dsn "$DSN" demo --scale 2000 --seed 7 --at "$AT" 2>&1); rc=$?
tap_is "$rc" 0 "a second run with the same seed succeeds (reset in place)" "$out"
tap_is "$(fingerprint)" "$first" "the same seed gives identical cases and applicants"

# The generator is found wherever hallctl is run from: next to the program
# (build/hallctl -> schema/), not in the current directory.
createdb demo_where
out=$(cd /tmp && env -u HALLTERM_SCHEMA_DIR "$HALLCTL" migrate --dsn dbname=demo_where 2>&1); rc=$?
tap_is "$rc" 0 "migrate run from /tmp finds the migrations beside the program" "$out"
out=$(cd /tmp && env -u HALLTERM_SCHEMA_DIR "$HALLCTL" demo --scale 100 --dsn dbname=demo_where 2>&1); rc=$?
tap_is "$rc" 0 "demo run from /tmp finds schema/demo/demo.sql" "$out"
rel=$(realpath --relative-to=src/ctl "$HALLCTL")
out=$(cd src/ctl && env -u HALLTERM_SCHEMA_DIR "$rel" demo --dsn dbname=demo_where --scale 100 2>&1); rc=$?
tap_is "$rc" 0 "and from a subdirectory of the source tree, run by a relative path ($rel)" "$out"
out=$(cd /tmp && "$HALLCTL" demo --schema-dir /nonexistent --dsn dbname=demo_where 2>&1); rc=$?
tap_is "$rc" 2 "a --schema-dir without the generator is a usage error"
tap_like "$out" "^hallctl: /nonexistent/demo/demo\.sql: No such file" "that names the file it looked for"
dropdb demo_where

# Every check below is on the seed-7 data; a different seed is compared on a copy.
createdb demo_t8
"$HALLCTL" --dsn "dbname=demo_t8" migrate >/dev/null 2>&1
out=$("$HALLCTL" --dsn "dbname=demo_t8" demo --scale 2000 --seed 8 --at "$AT" 2>&1); rc=$?
tap_is "$rc" 0 "seed 8 on another database succeeds" "$out"
other=$(DB=demo_t8 fingerprint)
tap_ok "$([ "$other" != "$first" ]; echo $?)" "a different seed gives different data"

# The default demo (what `make demo` and a trainer get: 20000 cases, seed 1)
# has the seed city's shares.
out=$("$HALLCTL" --dsn "dbname=demo_t8" demo --at "$AT" 2>&1); rc=$?
tap_is "$rc" 0 "the default demo generates" "$out"
check_shares demo_t8 "the default demo (20000 cases, seed 1)"

# ------------------------------------------------------------ contents
tap_is "$(q "SELECT string_agg(s, ',' ORDER BY s) FROM (SELECT DISTINCT state s FROM hall.applications) x")" \
	"completed,escalated,in_review,rejected,returned,submitted,withdrawn" "every state is present"
tap_is "$(q "SELECT count(*) FILTER (WHERE state = 'completed') > count(*) / 2 FROM hall.applications")" t "most cases are completed"
tap_is "$(q "SELECT string_agg(c, ',' ORDER BY c) FROM (SELECT DISTINCT channel c FROM hall.applications) x")" \
	"app,kiosk,web,window" "every channel is present"
tap_is "$(q "SELECT count(*) FROM hall.applications WHERE received_on < hall.today() - 90 OR received_on >= hall.today()
	OR NOT hall.is_workday(received_on)
	OR (received_at AT TIME ZONE 'Asia/Shanghai')::time NOT BETWEEN '08:30' AND '17:30'")" 0 \
	"cases were received in the last 90 days, on working days, in working hours"
tap_is "$(q "SELECT count(*) FROM (SELECT case_no, to_char(received_on, 'YYMMDD') || '-'
	|| lpad((row_number() OVER (PARTITION BY received_on ORDER BY received_at, id))::text, 4, '0') AS want
	FROM hall.applications) x WHERE case_no <> want")" 0 \
	"case numbers are the day and its sequence in time order"

# Deadlines, every row, against hall.workday_add and hall.compute_due.
tap_is "$(q "SELECT count(*) FROM hall.applications a
	WHERE a.accept_due <> hall.workday_add(a.received_on, hall.setting_int('accept_days'))
	   OR a.clock_start IS DISTINCT FROM CASE WHEN a.accepted_on IS NULL THEN NULL
	                                          WHEN a.accepted_on <= a.accept_due THEN a.accepted_on ELSE a.received_on END
	   OR a.due_date IS DISTINCT FROM hall.workday_add(a.clock_start, a.promised_days + a.extension_days + a.paused_days)
	   OR a.sort_due <> CASE WHEN a.state IN ('returned', 'completed', 'rejected', 'withdrawn') THEN 'infinity'::date
	                         WHEN a.accepted_on IS NULL THEN a.accept_due ELSE a.due_date END
	   OR (a.state = 'escalated') <> (a.escalation_due IS NOT NULL)
	   OR a.escalation_due IS DISTINCT FROM CASE WHEN a.state = 'escalated' THEN
	          hall.workday_add((a.escalated_at AT TIME ZONE 'Asia/Shanghai')::date, hall.setting_int('escalation_days')) END")" 0 \
	"accept_due, clock_start, due_date, sort_due and escalation_due are hall.workday_add's answers, every case"
tap_is "$(q "SELECT count(*) FROM hall.applications a, hall.compute_due(a) c
	WHERE (a.accept_due, a.due_date, a.escalation_due, a.sort_due) IS DISTINCT FROM (c.accept_due, c.due_date, c.escalation_due, c.sort_due)")" 0 \
	"hall.compute_due agrees with every case"
tap_is "$(q "SELECT count(*) FROM hall.applications a WHERE a.paused_days <> coalesce((SELECT sum(hall.workdays_between(
	(r.returned_at AT TIME ZONE 'Asia/Shanghai')::date, (r.resubmitted_at AT TIME ZONE 'Asia/Shanghai')::date))
	FROM hall.returns r WHERE r.app_id = a.id AND r.resubmitted_at IS NOT NULL), 0)
	OR a.return_count <> (SELECT count(*) FROM hall.returns r WHERE r.app_id = a.id)
	OR (a.state = 'returned') <> (a.returned_on IS NOT NULL AND a.state NOT IN ('withdrawn'))")" 0 \
	"paused days are the working days between each return and its resubmission"
tap_is "$(q "SELECT count(*) FROM hall.inquiries q WHERE q.due_days <> hall.setting_int('inquiry_days_' || q.channel)
	OR q.due_date <> hall.workday_add(q.received_on, q.due_days)")" 0 "inquiry deadlines are hall.workday_add's answers"
tap_is "$(q "SELECT count(*) FROM hall.rectifications x
	WHERE x.callback_due <> hall.workday_add((x.opened_at AT TIME ZONE 'Asia/Shanghai')::date, hall.setting_int('callback_days'))
	   OR x.rectify_due <> hall.workday_add((x.opened_at AT TIME ZONE 'Asia/Shanghai')::date, hall.setting_int('rectify_days'))")" 0 \
	"rectification deadlines are hall.workday_add's answers"
tap_is "$(q "SELECT count(*) > 0 FROM hall.applications WHERE state IN ('submitted', 'in_review', 'escalated') AND sort_due < hall.today()")" t \
	"some open cases are overdue"
tap_is "$(q "SELECT count(*) > 0 FROM hall.applications WHERE state IN ('submitted', 'in_review', 'escalated')
	AND hall.urgency(sort_due, hall.today(), hall.setting_int('warn_days')) = 'warning'")" t "some are in the warning zone"
tap_is "$(q "SELECT count(*) FROM hall.applications WHERE state = 'in_review' AND (claimed_by IS NULL OR NOT EXISTS (
	SELECT 1 FROM hall.staff_windows w WHERE w.staff_id = claimed_by AND w.window_code = applications.window_code))")" 0 \
	"cases in review are claimed by a clerk of their window"
tap_is "$(q "SELECT count(*) FROM hall.applications a WHERE a.state = 'returned' AND NOT EXISTS (
	SELECT 1 FROM hall.returns r WHERE r.app_id = a.id AND r.seq = a.return_count AND r.resubmitted_at IS NULL
	  AND r.notice LIKE '一次性告知：%' || a.case_no || '%')")" 0 "every returned case has its one-time notice"
tap_is "$(q "SELECT count(*) FROM hall.applications WHERE state = 'escalated' AND (escalation_reason IS NULL OR escalation_due IS NULL)")" 0 \
	"escalated cases have a reason and a deadline"
tap_is "$(q "SELECT count(*) FROM hall.applications a WHERE (SELECT count(*) FROM hall.application_materials m WHERE m.app_id = a.id)
	<> (SELECT count(*) FROM hall.materials m WHERE m.item_id = a.item_id)")" 0 "every case has every material of its item"

# The audit log: one row per transition, with the actions and states the functions write.
tap_is "$(q "SELECT count(*) FROM hall.audit WHERE action NOT IN ('submit', 'claim', 'release', 'approve', 'return', 'resubmit',
	'escalate', 'decide', 'reject', 'withdraw', 'request_extension', 'grant_extension', 'refuse_extension', 'reveal',
	'ask', 'reply', 'transfer', 'rate', 'rectify', 'appeal', 'judge_appeal', 'followup', 'staff_add', 'set_clock')")" 0 \
	"the audit log uses the transition functions' action names"
tap_is "$(q "SELECT count(*) FROM hall.applications a WHERE a.state IS DISTINCT FROM
	(SELECT x.to_state FROM hall.audit x WHERE x.app_id = a.id AND x.to_state IS NOT NULL ORDER BY x.id DESC LIMIT 1)
	OR NOT EXISTS (SELECT 1 FROM hall.audit x WHERE x.app_id = a.id AND x.action = 'submit' AND x.to_state = 'submitted')")" 0 \
	"each case's audit trail starts with submit and ends in its state"
tap_is "$(q "SELECT count(*) FROM hall.audit x JOIN hall.audit y ON y.app_id = x.app_id AND y.id = (
	SELECT min(z.id) FROM hall.audit z WHERE z.app_id = x.app_id AND z.id > x.id AND z.to_state IS NOT NULL)
	WHERE x.to_state IS NOT NULL AND x.action <> 'reveal' AND (y.from_state IS DISTINCT FROM x.to_state OR y.at < x.at)")" 0 \
	"each transition starts from the state the previous one left, later in time"

# Applicants: realistic IDs (GB 11643 check digit), plain names.
tap_is "$(q "SELECT count(*) FROM hall.applicants WHERE kind = 'person' AND (id_number !~ '^2301(02|03|04|08|09|10|11|12|13)(19|20)[0-9]{9}[0-9X]$'
	OR substr('10X98765432', 1 + (SELECT sum(substr(id_number, k, 1)::int * (ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[k])
	                             FROM generate_series(1, 17) k)::int % 11, 1) <> right(id_number, 1))")" 0 \
	"every person's ID number is a Harbin number with a valid check digit"
tap_is "$(q "SELECT count(*) FROM hall.applicants WHERE kind = 'entity' AND id_number !~ '^91230[0-9]{3}[0-9]{8}[0-9X][0-9A-HJ-NPQRTUWXY]$'")" 0 \
	"entities have 18-character unified social credit codes"
tap_is "$(q "SELECT count(*) FROM hall.applicants WHERE phone !~ '^1[358][0-9]{9}$'")" 0 "phone numbers are 13x/15x/18x mobiles"

# Inquiries, ratings, outbox.
tap_is "$(q "SELECT count(*) >= 200 FROM hall.inquiries")" t "at least 200 inquiries"
tap_is "$(q "SELECT string_agg(c, ',' ORDER BY c) FROM (SELECT DISTINCT channel c FROM hall.inquiries) x")" "app,hotline,web" \
	"inquiries come from the web, the app and the hotline"
tap_is "$(q "SELECT count(*) FILTER (WHERE r.on_time) > 0 AND count(*) FILTER (WHERE NOT r.on_time) > 0 FROM hall.replies r")" t \
	"replies on time and late"
tap_is "$(q "SELECT count(*) FROM hall.replies r JOIN hall.inquiries q ON q.id = r.inquiry_id
	WHERE r.on_time <> ((r.replied_at AT TIME ZONE 'Asia/Shanghai')::date <= q.due_date)")" 0 "on_time means replied by the end of the due day"
tap_is "$(q "SELECT count(*) FROM hall.ratings r WHERE r.staff_id IS DISTINCT FROM CASE r.kind
	WHEN 'application' THEN (SELECT closed_by FROM hall.applications a WHERE a.id = r.target_id AND a.state = 'completed')
	WHEN 'inquiry' THEN (SELECT answered_by FROM hall.inquiries q WHERE q.id = r.target_id AND q.state = 'answered')
	ELSE (SELECT staff_id FROM hall.tickets x WHERE x.id = r.target_id AND x.state = 'done') END")" 0 \
	"ratings belong to whoever completed, answered or served at the window"
tap_is "$(q "SELECT count(*) FROM hall.ratings r WHERE (r.level <= 2) <> EXISTS (SELECT 1 FROM hall.rectifications x WHERE x.rating_id = r.id)")" 0 \
	"bad ratings, and only those, have a rectification"
tap_is "$(q "SELECT count(*) FILTER (WHERE closed_at IS NULL) > 0 AND count(*) FILTER (WHERE closed_at IS NOT NULL) > 0 FROM hall.rectifications")" t \
	"rectifications open and closed"
tap_is "$(q "SELECT count(*) > 0 FROM hall.ratings WHERE appeal_state IS NOT NULL")" t "a few appeals"
tap_is "$(q "SELECT count(*) BETWEEN 100 AND 1000 FROM hall.outbox")" t "a few hundred notifications"
tap_is "$(q "SELECT string_agg(s, ',' ORDER BY s) FROM (SELECT DISTINCT state s FROM hall.outbox) x")" "failed,pending,sent" \
	"sent, pending and failed notifications"
tap_is "$(q "SELECT count(*) FROM hall.outbox WHERE state = 'failed' AND (last_error IS NULL OR http_status IS NULL)")" 0 \
	"failed notifications say why"

# Loading skipped the foreign-key triggers: every reference must hold.
violations=$(q "DO \$\$
DECLARE c record; n bigint; total bigint := 0;
BEGIN
	FOR c IN SELECT conrelid::regclass AS t, confrelid::regclass AS r,
	                (SELECT string_agg(format('x.%I = y.%I', a.attname, b.attname), ' AND ')
	                 FROM unnest(conkey, confkey) k(ck, fk)
	                 JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k.ck
	                 JOIN pg_attribute b ON b.attrelid = confrelid AND b.attnum = k.fk) AS cond,
	                (SELECT string_agg(format('x.%I IS NOT NULL', a.attname), ' AND ')
	                 FROM unnest(conkey) ck JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = ck) AS nn
	         FROM pg_constraint WHERE contype = 'f' AND connamespace = 'hall'::regnamespace LOOP
		EXECUTE format('SELECT count(*) FROM %s x WHERE %s AND NOT EXISTS (SELECT 1 FROM %s y WHERE %s)', c.t, c.nn, c.r, c.cond) INTO n;
		total := total + n;
	END LOOP;
	RAISE NOTICE 'fk_violations=%', total;
END \$\$" 2>&1 | sed -n 's/.*fk_violations=//p')
tap_is "$violations" 0 "every foreign key holds"

# Counters: the next case and inquiry of a generated day continue its sequence.
day=$(q "SELECT max(received_on) FROM hall.applications")
next=$(q "SELECT lpad((count(*) + 1)::text, 4, '0') FROM hall.applications WHERE received_on = '$day'")
id=$(psql -X -Atqd "$DB" -c "SET hall.fake_now = '$day 17:10+08'" \
	-c "SELECT hall.submit('SCJG002', jsonb_build_object('kind', 'person', 'name', '测试申请人',
	      'id_number', '230102199001011237', 'phone', '13900000000'), 'web')" 2>&1)
got=$(q "SELECT case_no FROM hall.applications WHERE id = ${id:-0}" 2>&1)
tap_is "$got" "$(date -d "$day" +%y%m%d)-$next" "hall.submit continues the day's case numbers"
iday=$(q "SELECT max(received_on) FROM hall.inquiries")
inext=$(q "SELECT lpad((count(*) + 1)::text, 4, '0') FROM hall.inquiries WHERE received_on = '$iday'")
id=$(psql -X -Atqd "$DB" -c "SET hall.fake_now = '$iday 23:10+08'" \
	-c "SELECT hall.ask('web', 'SCJG', '{\"name\": \"测试\"}', '测试', '测试')" 2>&1)
got=$(q "SELECT ref FROM hall.inquiries WHERE id = ${id:-0}" 2>&1)
tap_is "$got" "Z$(date -d "$iday" +%y%m%d)-$inext" "hall.ask continues the day's inquiry references"

# -------------------------------------------------------------- accounts
ok=0
while IFS='|' read -r login kind; do
	got=$(as "$login" "SELECT hall.my_kind()" 2>&1)
	[ "$got" = "$kind" ] && ok=$((ok + 1))
done < <(q "SELECT login, kind FROM hall.staff ORDER BY id")
tap_is "$ok" 24 "all 24 demo accounts log in with password 'demo' (scram) and are who they say"
PGPASSWORD=wrong psql -X -Atq -U clerk01 -d "$DB" -c "SELECT 1" >/dev/null 2>&1; rc=$?
tap_ok "$([ "$rc" != 0 ]; echo $?)" "a wrong password is refused"
tap_is "$(q "SELECT count(*) FROM hall.staff WHERE kind = 'clerk'")|$(q "SELECT count(*) FROM hall.staff WHERE kind = 'supervisor'")|$(q "SELECT count(*) FROM hall.staff WHERE kind = 'trainer'")" \
	"20|3|1" "20 clerks, 3 supervisors, 1 trainer"
tap_is "$(q "SELECT count(*) FROM hall.staff s WHERE s.kind = 'clerk' AND (SELECT count(*) FROM hall.staff_windows w WHERE w.staff_id = s.id) NOT BETWEEN 1 AND 2")" 0 \
	"each clerk serves one or two windows"
tap_is "$(q "SELECT department_code FROM hall.staff WHERE login = 'super01'")" "$(q "SELECT department_code FROM hall.windows WHERE code = 'A01'")" \
	"super01 heads the department of window A01"

tap_is "$(as clerk01 "SELECT string_agg(w, ',') FROM unnest(hall.my_windows()) w")" "A01" "clerk01 serves A01"
tap_is "$(as clerk01 "SELECT count(*) FROM hall.v_queue WHERE window_code <> ALL (hall.my_windows())")" 0 \
	"clerk01 sees no other window's case (RLS)"
tap_is "$(as clerk01 "SELECT count(*) FROM hall.v_queue")" \
	"$(q "SELECT count(*) FROM hall.applications WHERE window_code = 'A01' AND state IN ('submitted', 'in_review', 'returned', 'escalated')")" \
	"clerk01 sees every open case of A01"
tap_is "$(q "SELECT count(*) FROM hall.applicants WHERE name ~ '[\\x01-\\x1f\\x7f-\\x9f]'")" 0 \
	"no applicant's name holds a control character (hostile names are the tests' own, not the training room's)"
tap_is "$(q "SELECT count(*) FROM hall.inquiries WHERE asker_name || subject || body ~ '[\\x01-\\x09\\x0b-\\x1f\\x7f-\\x9f]'")" 0 \
	"nor any inquiry"
tap_is "$(as clerk01 "SELECT count(DISTINCT week_start) FROM hall.v_rating_weeks WHERE staff_id = hall.my_id() AND ratings > 0")" 12 \
	"clerk01 has ratings in each of the last 12 weeks"
tap_is "$(as clerk01 "SELECT count(*) > 0 FROM hall.v_my_ratings WHERE bad AND rectification_open")" t \
	"clerk01 has a bad rating with its rectification open"
tap_is "$(as clerk01 "SELECT count(*) > 0 FROM hall.v_inquiries WHERE state = 'open'")" t "clerk01 has open inquiries in its department"
tap_is "$(as clerk01 "SELECT count(*) FROM hall.ratings WHERE staff_id <> hall.my_id()")" 0 "clerk01 sees no colleague's rating"
tap_is "$(as trainer01 "SELECT count(*) FROM hall.applications")" "$(q "SELECT count(*) FROM hall.applications")" "the trainer sees every case"
tap_is "$(PGPASSWORD=demo psql -X -Atq -U clerk01 -d "$DB" -c "SELECT count(*) FROM hall.demo_accounts()")" 24 \
	"the login screen lists the 24 demo accounts"

# -------------------------------------------------- production is sacred
createdb prod_t
"$HALLCTL" --dsn "dbname=prod_t" migrate >/dev/null 2>&1
"$HALLCTL" --dsn "dbname=prod_t" demo --scale 50 --seed 1 >/dev/null 2>&1
psql -X -qd prod_t -c "UPDATE hall.settings SET value = 'production' WHERE key = 'mode'"
before=$(psql -X -Atqd prod_t -c "SELECT count(*) || ':' || (SELECT count(*) FROM hall.audit) FROM hall.applications")
out=$("$HALLCTL" --dsn "dbname=prod_t" demo --scale 100 2>&1); rc=$?
tap_is "$rc" 1 "hallctl demo refuses a production database holding cases (exit 1)"
tap_like "$out" "production" "and says why"
tap_is "$(psql -X -Atqd prod_t -c "SELECT count(*) || ':' || (SELECT count(*) FROM hall.audit) FROM hall.applications")" "$before" \
	"nothing was touched"
tap_is "$(psql -X -Atqd prod_t -c "SELECT value FROM hall.settings WHERE key = 'mode'")" "production" "the mode stays production"
err=$(psql -X -qd prod_t -v VERBOSITY=verbose -c "\\set VERBOSITY verbose" -c "SELECT hall_demo.generate(10, 1)" 2>&1)
tap_like "$err" "55000" "hall_demo.generate raises SQLSTATE 55000 there"

# ----------------------------------------------------- the queue at size
t0=$(date +%s)
out=$("$HALLCTL" --dsn "$DSN" demo --scale 200000 --seed 3 --at "$AT" 2>&1); rc=$?
tap_is "$rc" 0 "200,000 cases generate" "$out"
echo "# 200000 cases in $(( $(date +%s) - t0 )) s"
check_shares "$DB" "200000 cases, seed 3"
plan=$(as clerk01 "EXPLAIN SELECT * FROM hall.v_queue WHERE window_code = 'A01'
	AND (queue_rank, sort_due, id) > (0::smallint, '2000-01-01', 0) ORDER BY queue_rank, sort_due, id LIMIT 30")
tap_like "$plan" "Index Scan using applications_queue" "clerk01's queue of A01 is an index scan on applications_queue" 
tap_ok "$(printf '%s' "$plan" | grep -Eq 'Seq Scan on applications|Sort'; [ $? != 0 ]; echo $?)" "with no sort and no sequential scan of the cases" "$plan"

tap_done
