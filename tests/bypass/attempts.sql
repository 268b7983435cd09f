-- The bypass suite: what logged-in staff (and the portal) try through psql
-- to get around the rules of schema hall.  Run by
-- tests/integration/bypass_test.sh on a fresh demo database (hallctl demo
-- --scale 400 --at '2026-11-23 10:00+08'; clerk01 serves A01 of SCJG,
-- clerk02 A02 of SCJG, super01 is SCJG's supervisor; bypass_portal is a
-- login IN ROLE hall_portal made by the runner; every password is "demo").
-- Before the first attempt the runner adds material through the functions,
-- so that the attempts do not depend on what the demo happens to hold:
-- cases at A01, A02 and A03, clerk01's and clerk02's claims, an escalation
-- and an extension request in SCJG and in RSJ, bad ratings of clerk01,
-- clerk02 and clerk03 (the last two under appeal), open inquiries of SCJG
-- and RSJ, a failed notification in each.
-- What needs several sessions at once (LISTEN on every channel, a claim late
-- in a transaction, a session left open while its clerk is disabled) is
-- written in the runner itself, after the attempts.
--
-- FORMAT.  Everything above the first header is commentary.  Each attempt is
-- a header line
--
--   -- attempt: ROLE EXPECT description
--
-- followed by its SQL, up to the next header.  The runner sends the whole
-- block through ONE psql session logged in as ROLE (psql -X -v
-- ON_ERROR_STOP=1 -v VERBOSITY=verbose -f block), so the first failing
-- statement ends it.  EXPECT is the SQLSTATE that error must have (42501,
-- P0002, 22023, 55000, ...), "ok" for a block that must run to its end, or
-- alternatives joined by "|" (ok|22023: storing the text or refusing it are
-- both right).  An "ok" block that checks something raises when it sees what
-- it must not (DO $$ ... RAISE EXCEPTION ... $$), which makes it fail.
--
-- Whatever the outcome, the runner compares a fingerprint of the database
-- taken as the superuser before and after the block (every table's rows;
-- pg_proc, pg_class, pg_attribute, pg_roles, pg_auth_members, pg_trigger,
-- pg_namespace, pg_policy, pg_type, pg_operator, the database ACL, role and
-- database settings; objects of pg_catalog and information_schema counted,
-- temporary schemas left out): a refused block must change nothing at all,
-- exactly, audit log included.
--
-- Directives, comment lines anywhere in the block (they are sent to psql
-- too, as comments):
--   -- changes: SCHEMA.TABLE ...  tables a SUCCESSFUL block may change (the
--                                  catalogs never may); without it, nothing
--   -- hide: NAME ...             the values of these placeholders must not
--                                  appear anywhere in the block's output
--                                  (a refusal must not confirm a case, an
--                                  inquiry or a rating the caller may not see)
--   -- shape: TAG                 the error message, each run of digits
--                                  replaced by N, must equal that of the
--                                  first attempt with the same TAG (another
--                                  window's case reads like a case that does
--                                  not exist)
--   -- check: SQL                 one line of SQL run as the superuser after
--                                  a successful block, with the same
--                                  placeholders; it must print t.  Skipped
--                                  (TAP SKIP) when the block was refused.
--   -- temp: grant                the runner grants TEMPORARY ON DATABASE to
--                                  ROLE for this attempt only (and revokes it
--                                  after): the second wall, a function's
--                                  search_path ending in pg_temp, is tested
--                                  with the first one down
--
-- PLACEHOLDERS, computed as the superuser before the first attempt and again
-- after every attempt that changed anything (one that wrongly succeeded may
-- have used a case up), given to psql with -v: write :name or :'name'.
-- psql does not expand them inside $$ quotes: a DO block reads the same
-- values as current_setting('bypass.NAME') (passed in PGOPTIONS).  An
-- attempt that uses a placeholder without a value fails ("ran out of
-- material").
--   my_case, my_case_no      in review, held by clerk01 at A01, no extension pending
--   my_applicant             the applicant of my_case
--   my_submitted_case        submitted, unclaimed, at A01
--   my_inquiry               an open inquiry of SCJG (clerk01's department)
--   my_rating                a bad rating (level 1-2) of clerk01, its rectification open if any is
--   other_case, other_case_no, other_window, other_holder
--                            in review at A02, held by clerk02 (other_holder: 张伟)
--   other_submitted_case, other_submitted_case_no   submitted at A02
--   other_applicant, other_applicant_name   an applicant with cases at A02 only
--   other_inquiry, other_inquiry_ref, other_inquiry_dept   an open inquiry of RSJ
--   other_rating, other_rating_login, other_rating_name   a rating of clerk02
--   other_dept_case, other_dept_case_no, other_dept
--                            escalated at A03 (RSJ), with an extension pending
--   other_dept_rating        a rating of RSJ with an appeal pending
--   other_dept_outbox        a failed notification of an RSJ case
--   my_dept_escalated_case   an escalated case of SCJG (super01's department)
--   my_dept_extension_case   a case of SCJG with an extension request pending
--   my_dept_appeal           a rating of SCJG with an appeal pending
--   my_dept_outbox           a failed notification of an SCJG case
--   completed_case           a completed case nobody has rated
--   missing_case, missing_applicant, missing_inquiry, missing_rating
--                            ids that do not exist
--   today                    hall.today()
--
-- To add an attempt when a function lands: copy a block, change the header,
-- name the tables it may change if it is meant to succeed, and run
--   BYPASS_ONLY='words of its description' bash tests/integration/bypass_test.sh

-- ============================================================ direct writes
-- Nobody but hall_admin writes a table: every change is a function.

-- attempt: clerk01 42501 UPDATE hall.applications: complete my own case by hand
UPDATE hall.applications SET state = 'completed', closed_at = now(), closed_by = claimed_by WHERE id = :my_case;

-- attempt: clerk01 42501 UPDATE hall.applicants: rename an applicant
UPDATE hall.applicants SET name = '改过的名字' WHERE id = :my_applicant;

-- attempt: clerk01 42501 DELETE FROM hall.audit: erase my own traces
DELETE FROM hall.audit WHERE staff_id = (SELECT hall.my_id());

-- attempt: clerk01 42501 UPDATE hall.ratings: turn my bad ratings into good ones
UPDATE hall.ratings SET level = 5 WHERE staff_id = (SELECT hall.my_id()) AND level <= 2;

-- attempt: clerk01 42501 UPDATE hall.rectifications: close every open rectification
UPDATE hall.rectifications SET verified_at = now(), rectified_at = now(), callback_at = now(), closed_at = now()
WHERE closed_at IS NULL;

-- attempt: clerk01 42501 UPDATE hall.inquiries: mark an inquiry answered without a reply
UPDATE hall.inquiries SET state = 'answered', answered_at = now(), answered_by = (SELECT hall.my_id())
WHERE id = :my_inquiry;

-- attempt: clerk01 42501 INSERT INTO hall.replies: a back-dated reply "on time"
INSERT INTO hall.replies (inquiry_id, staff_id, body, replied_at, on_time)
VALUES (:my_inquiry, (SELECT hall.my_id()), '已电话答复', now() - interval '10 days', true);

-- attempt: clerk01 42501 TRUNCATE hall.outbox: drop the applicants' notifications
TRUNCATE hall.outbox CASCADE;

-- attempt: clerk01 42501 INSERT INTO hall.staff: an administrator account of my own
INSERT INTO hall.staff (login, name, kind, department_code) VALUES ('clerk01x', '王丽', 'admin', NULL);

-- attempt: clerk01 42501 INSERT INTO hall.staff_windows: serve window A02 too
INSERT INTO hall.staff_windows (staff_id, window_code) VALUES ((SELECT hall.my_id()), 'A02');

-- attempt: clerk01 42501 UPDATE hall.settings: move the demo clock back ten days
UPDATE hall.settings SET value = '-10 days' WHERE key = 'clock_offset';

-- attempt: clerk01 42501 INSERT INTO hall.calendar: declare tomorrow a holiday (deadlines move)
INSERT INTO hall.calendar (d, kind, note) VALUES (:'today'::date + 1, 'holiday', '放假');

-- attempt: clerk01 42501 UPDATE hall.days: today is no working day
UPDATE hall.days SET workday = false WHERE d = :'today';

-- attempt: clerk01 42501 INSERT, UPDATE, DELETE and TRUNCATE on every table outside the system schemas, each refused with 42501
DO $$
DECLARE
	r record;
	op text;
	stmt text;
	refused int := 0;
	through text[] := '{}';
	other text[] := '{}';
BEGIN
	FOR r IN
		SELECT n.nspname, c.relname,
		       (SELECT a.attname FROM pg_catalog.pg_attribute a
		        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		          AND a.attgenerated = '' AND a.attidentity = '' ORDER BY a.attnum LIMIT 1) AS col
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
		ORDER BY 1, 2
	LOOP
		FOREACH op IN ARRAY ARRAY['insert', 'update', 'delete', 'truncate'] LOOP
			stmt := CASE op
				WHEN 'insert' THEN format('INSERT INTO %I.%I DEFAULT VALUES', r.nspname, r.relname)
				WHEN 'update' THEN format('UPDATE %I.%I SET %I = %I', r.nspname, r.relname, r.col, r.col)
				WHEN 'delete' THEN format('DELETE FROM %I.%I', r.nspname, r.relname)
				ELSE format('TRUNCATE %I.%I CASCADE', r.nspname, r.relname)
			END;
			BEGIN
				EXECUTE stmt;
				through := through || stmt;
			EXCEPTION
				WHEN insufficient_privilege THEN refused := refused + 1;
				WHEN OTHERS THEN other := other || (stmt || ': ' || SQLSTATE || ' ' || SQLERRM);
			END;
		END LOOP;
	END LOOP;
	IF cardinality(through) > 0 OR cardinality(other) > 0 THEN
		RAISE EXCEPTION 'not refused: % went through; other errors: %', through, other;
	END IF;
	RAISE EXCEPTION 'all % writes refused', refused USING ERRCODE = '42501';
END $$;

-- attempt: super01 42501 INSERT, UPDATE, DELETE and TRUNCATE on every table outside the system schemas, each refused with 42501
DO $$
DECLARE
	r record;
	op text;
	stmt text;
	refused int := 0;
	through text[] := '{}';
	other text[] := '{}';
BEGIN
	FOR r IN
		SELECT n.nspname, c.relname,
		       (SELECT a.attname FROM pg_catalog.pg_attribute a
		        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		          AND a.attgenerated = '' AND a.attidentity = '' ORDER BY a.attnum LIMIT 1) AS col
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
		ORDER BY 1, 2
	LOOP
		FOREACH op IN ARRAY ARRAY['insert', 'update', 'delete', 'truncate'] LOOP
			stmt := CASE op
				WHEN 'insert' THEN format('INSERT INTO %I.%I DEFAULT VALUES', r.nspname, r.relname)
				WHEN 'update' THEN format('UPDATE %I.%I SET %I = %I', r.nspname, r.relname, r.col, r.col)
				WHEN 'delete' THEN format('DELETE FROM %I.%I', r.nspname, r.relname)
				ELSE format('TRUNCATE %I.%I CASCADE', r.nspname, r.relname)
			END;
			BEGIN
				EXECUTE stmt;
				through := through || stmt;
			EXCEPTION
				WHEN insufficient_privilege THEN refused := refused + 1;
				WHEN OTHERS THEN other := other || (stmt || ': ' || SQLSTATE || ' ' || SQLERRM);
			END;
		END LOOP;
	END LOOP;
	IF cardinality(through) > 0 OR cardinality(other) > 0 THEN
		RAISE EXCEPTION 'not refused: % went through; other errors: %', through, other;
	END IF;
	RAISE EXCEPTION 'all % writes refused', refused USING ERRCODE = '42501';
END $$;

-- attempt: bypass_portal 42501 INSERT, UPDATE, DELETE and TRUNCATE on every table outside the system schemas, each refused with 42501
DO $$
DECLARE
	r record;
	op text;
	stmt text;
	refused int := 0;
	through text[] := '{}';
	other text[] := '{}';
BEGIN
	FOR r IN
		SELECT n.nspname, c.relname,
		       (SELECT a.attname FROM pg_catalog.pg_attribute a
		        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		          AND a.attgenerated = '' AND a.attidentity = '' ORDER BY a.attnum LIMIT 1) AS col
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
		ORDER BY 1, 2
	LOOP
		FOREACH op IN ARRAY ARRAY['insert', 'update', 'delete', 'truncate'] LOOP
			stmt := CASE op
				WHEN 'insert' THEN format('INSERT INTO %I.%I DEFAULT VALUES', r.nspname, r.relname)
				WHEN 'update' THEN format('UPDATE %I.%I SET %I = %I', r.nspname, r.relname, r.col, r.col)
				WHEN 'delete' THEN format('DELETE FROM %I.%I', r.nspname, r.relname)
				ELSE format('TRUNCATE %I.%I CASCADE', r.nspname, r.relname)
			END;
			BEGIN
				EXECUTE stmt;
				through := through || stmt;
			EXCEPTION
				WHEN insufficient_privilege THEN refused := refused + 1;
				WHEN OTHERS THEN other := other || (stmt || ': ' || SQLSTATE || ' ' || SQLERRM);
			END;
		END LOOP;
	END LOOP;
	IF cardinality(through) > 0 OR cardinality(other) > 0 THEN
		RAISE EXCEPTION 'not refused: % went through; other errors: %', through, other;
	END IF;
	RAISE EXCEPTION 'all % writes refused', refused USING ERRCODE = '42501';
END $$;

-- attempt: clerk01 42501 SELECT ... FOR UPDATE: lock the cases of my window so nobody else can act
SELECT id FROM hall.applications WHERE window_code = 'A01' FOR UPDATE;

-- attempt: clerk01 42501 LOCK TABLE hall.applications IN ACCESS EXCLUSIVE MODE: stop the whole hall
BEGIN;
LOCK TABLE hall.applications IN ACCESS EXCLUSIVE MODE;

-- attempt: clerk01 42501 nextval on a table's sequence
SELECT nextval('hall.applications_id_seq');

-- ============================================= another window's case
-- A case the caller may not see: P0002, and the refusal reads like the one
-- for a case that does not exist (no case number, window or holder).

-- attempt: clerk01 P0002 claim a case that does not exist (the reference words for the cases below)
-- shape: case
SELECT hall.claim(:missing_case);

-- attempt: clerk01 P0002 claim a submitted case of window A02
-- hide: other_submitted_case_no other_window
-- shape: case
SELECT hall.claim(:other_submitted_case);

-- attempt: clerk01 P0002 approve a case of window A02
-- hide: other_case_no other_window other_holder
-- shape: case
SELECT hall.approve(:other_case, '准予许可');

-- attempt: clerk01 P0002 return a case of window A02 for correction
-- hide: other_case_no other_window other_holder
-- shape: case
SELECT hall.return_for_correction(:other_case, '{}', '申请书缺少法定代表人签字');

-- attempt: clerk01 P0002 escalate a case of window A02
-- hide: other_case_no other_window other_holder
-- shape: case
SELECT hall.escalate(:other_case, '材料真实性存疑，请科长审核');

-- attempt: clerk01 P0002 reject a case of window A02
-- hide: other_case_no other_window other_holder
-- shape: case
SELECT hall.reject(:other_case, '不符合法定条件，依法不予许可');

-- attempt: clerk01 P0002 request an extension for a case of window A02
-- hide: other_case_no other_window other_holder
-- shape: case
SELECT hall.request_extension(:other_case, 3, '需要现场核查');

-- attempt: clerk01 P0002 release a case of window A02
-- hide: other_case_no other_window other_holder
-- shape: case
SELECT hall.release(:other_case);

-- attempt: clerk01 P0002 preview the return notice of a case that does not exist
-- shape: preview
SELECT hall.return_notice_preview(:missing_case, '{}', '缺少签字');

-- attempt: clerk01 P0002 preview the return notice of a case of window A02
-- hide: other_case_no other_window
-- shape: preview
SELECT hall.return_notice_preview(:other_case, '{}', '缺少签字');

-- attempt: clerk01 P0002 reveal the ID number of an applicant who does not exist
-- shape: applicant
SELECT hall.reveal(:missing_applicant, '核对身份信息');

-- attempt: clerk01 P0002 reveal the ID number of an applicant of window A02 only
-- hide: other_applicant_name other_window
-- shape: applicant
SELECT hall.reveal(:other_applicant, '核对身份信息');

-- attempt: clerk01 P0002 reply to an inquiry that does not exist
-- shape: inquiry
SELECT hall.reply_inquiry(:missing_inquiry, '您好，请携带身份证原件到窗口办理。');

-- attempt: clerk01 P0002 reply to an inquiry of another department (RSJ)
-- hide: other_inquiry_ref other_inquiry_dept
-- shape: inquiry
SELECT hall.reply_inquiry(:other_inquiry, '您好，请携带身份证原件到窗口办理。');

-- attempt: clerk01 P0002 transfer an inquiry of another department to mine
-- hide: other_inquiry_ref other_inquiry_dept
-- shape: inquiry
SELECT hall.transfer_inquiry(:other_inquiry, 'SCJG', '转本科室办理');

-- attempt: clerk01 P0002 appeal a rating that does not exist
-- shape: rating
SELECT hall.appeal(:missing_rating, '评价与本人服务无关');

-- attempt: clerk01 P0002 appeal a colleague's rating
-- hide: other_rating_login other_rating_name
-- shape: rating
SELECT hall.appeal(:other_rating, '评价与本人服务无关');

-- attempt: clerk01 P0002 record a rectification step of a colleague's rating
-- hide: other_rating_login other_rating_name
-- shape: rating
SELECT hall.rectify(:other_rating, 'verify', '已核实情况');

-- attempt: super01 P0002 decide an escalated case of another department (RSJ)
-- hide: other_dept_case_no other_dept
-- shape: case
SELECT hall.decide(:other_dept_case, 'approve', '同意');

-- attempt: super01 P0002 grant the extension of a case of another department
-- hide: other_dept_case_no other_dept
-- shape: case
SELECT hall.grant_extension(:other_dept_case, true, '同意延期');

-- attempt: super01 P0002 judge the appeal of a rating of another department
-- hide: other_dept
-- shape: rating
SELECT hall.judge_appeal(:other_dept_rating, true, '申诉成立');

-- ================================= functions that are not the caller's
-- No EXECUTE: 42501 whatever the arguments.

-- attempt: clerk01 42501 hall.decide as a clerk
SELECT hall.decide(:my_case, 'approve', '同意');

-- attempt: clerk01 42501 hall.grant_extension as a clerk
SELECT hall.grant_extension(:my_case, true, '同意延期');

-- attempt: clerk01 42501 hall.judge_appeal as a clerk, on my own bad rating
SELECT hall.judge_appeal(:my_rating, true, '申诉成立');

-- attempt: clerk01 42501 hall.outbox_requeue as a clerk
SELECT hall.outbox_requeue(:other_dept_outbox, '重新发送');

-- attempt: clerk01 42501 hall.staff_add as a clerk: an administrator of my own
SELECT hall.staff_add('helper01', '助手', 'admin', NULL, NULL, 'password123');

-- attempt: clerk01 42501 hall.staff_disable as a clerk: disable a colleague
SELECT hall.staff_disable('clerk02');

-- attempt: clerk01 42501 hall.calendar_set as a clerk: tomorrow a holiday
SELECT hall.calendar_set(:'today'::date + 1, 'holiday', '放假');

-- attempt: clerk01 42501 hall.set_clock as a clerk: stop the clock before my deadlines
SELECT hall.set_clock('2026-11-01 09:00+08', false);

-- attempt: super01 42501 hall.staff_add as a supervisor: a clerk for my department
SELECT hall.staff_add('helper02', '助手', 'clerk', 'SCJG', '{A01}', 'password123');

-- attempt: clerk01 42501 hall.log: write a forged audit row
SELECT hall.log('approve', :other_case, NULL, NULL, NULL, 'in_review', 'completed', '', NULL);

-- attempt: clerk01 42501 hall.enqueue: send an SMS of my own to an applicant
SELECT hall.enqueue('approved', 'applicant', :my_case, NULL, '{"phone": "13800000000", "text": "恭喜"}');

-- attempt: clerk01 42501 hall.do_claim: claim a case of window A02 through the helper
SELECT hall.do_claim(a, s) FROM hall.applications a, hall.staff s
WHERE a.id = :other_submitted_case AND s.login = 'clerk01';

-- attempt: clerk01 42501 hall.outbox_claim: take the dispatcher's work (and read the phone numbers)
SELECT * FROM hall.outbox_claim('clerk01', 100, 3600);

-- attempt: bypass_portal 42501 the portal approves a case
SELECT hall.approve(:my_case, '准予');

-- ========================================================== reading
-- Row-level security and column grants: others' ratings, other windows,
-- full ID and phone numbers.

-- attempt: clerk01 ok hall.ratings shows only my own ratings
DO $$
BEGIN
	IF (SELECT count(*) FROM hall.ratings) = 0 THEN
		RAISE EXCEPTION 'no rating at all: the test sees nothing to check';
	END IF;
	IF EXISTS (SELECT 1 FROM hall.ratings WHERE staff_id <> hall.my_id()) THEN
		RAISE EXCEPTION 'clerk01 reads % ratings of colleagues',
			(SELECT count(*) FROM hall.ratings WHERE staff_id <> hall.my_id());
	END IF;
END $$;

-- attempt: clerk01 ok the rating views, statistics, rectifications and audit rows show nothing of a colleague's ratings
DO $$
DECLARE
	me int := hall.my_id();
	seen text[] := '{}';
BEGIN
	IF EXISTS (SELECT 1 FROM hall.v_ratings WHERE staff_id <> me) THEN seen := seen || 'v_ratings'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.v_my_ratings WHERE staff_id <> me) THEN seen := seen || 'v_my_ratings'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.v_bad_ratings WHERE staff_id <> me) THEN seen := seen || 'v_bad_ratings'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.v_rating_summary WHERE staff_id <> me) THEN seen := seen || 'v_rating_summary'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.v_rating_weeks WHERE staff_id <> me) THEN seen := seen || 'v_rating_weeks'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.rating_stats WHERE staff_id <> me) THEN seen := seen || 'rating_stats'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.rectifications x
	           WHERE x.rating_id <> ALL (ARRAY(SELECT r.id FROM hall.ratings r WHERE r.staff_id = me))) THEN
		seen := seen || 'rectifications'::text;
	END IF;
	IF EXISTS (SELECT 1 FROM hall.audit a
	           WHERE a.rating_id IS NOT NULL AND a.staff_id IS DISTINCT FROM me
	             AND a.rating_id <> ALL (ARRAY(SELECT r.id FROM hall.ratings r WHERE r.staff_id = me))) THEN
		seen := seen || 'audit'::text;
	END IF;
	IF cardinality(seen) > 0 THEN
		RAISE EXCEPTION 'a colleague''s ratings show in %', seen;
	END IF;
END $$;

-- attempt: clerk01 ok cases, their applicants, materials, returns, extensions and history of other windows are invisible
DO $$
DECLARE
	mine text[] := hall.my_windows();
	seen text[] := '{}';
BEGIN
	IF EXISTS (SELECT 1 FROM hall.applications WHERE window_code <> ALL (mine)) THEN seen := seen || 'applications'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.v_case WHERE window_code <> ALL (mine)) THEN seen := seen || 'v_case'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.v_queue WHERE window_code <> ALL (mine)) THEN seen := seen || 'v_queue'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.v_summary WHERE window_code <> ALL (mine)) THEN seen := seen || 'v_summary'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.v_overdue WHERE kind = 'application' AND window_code <> ALL (mine)) THEN seen := seen || 'v_overdue'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.v_escalations WHERE window_code <> ALL (mine)) THEN seen := seen || 'v_escalations'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.v_extensions WHERE window_code <> ALL (mine)) THEN seen := seen || 'v_extensions'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.applicants p WHERE NOT EXISTS (
	           SELECT 1 FROM hall.applications a WHERE a.applicant_id = p.id)) THEN seen := seen || 'applicants'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.application_materials m
	           WHERE m.app_id NOT IN (SELECT a.id FROM hall.applications a)) THEN seen := seen || 'application_materials'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.returns x WHERE x.app_id NOT IN (SELECT a.id FROM hall.applications a)) THEN seen := seen || 'returns'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.extensions x WHERE x.app_id NOT IN (SELECT a.id FROM hall.applications a)) THEN seen := seen || 'extensions'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.v_case_history h WHERE h.app_id NOT IN (SELECT a.id FROM hall.applications a)
	           AND h.staff_id IS DISTINCT FROM hall.my_id()) THEN seen := seen || 'v_case_history'::text; END IF;
	IF EXISTS (SELECT 1 FROM hall.applications WHERE id = current_setting('bypass.other_case')::bigint) THEN
		seen := seen || 'the case of A02 by id'::text;
	END IF;
	IF cardinality(seen) > 0 THEN
		RAISE EXCEPTION 'other windows'' cases show in %', seen;
	END IF;
END $$;

-- attempt: clerk01 42501 the table of case numbers (014) is not readable: it holds every window's
SELECT app_id, case_no FROM hall.case_numbers LIMIT 5;

-- attempt: clerk01 ok the search finds no case or applicant of another window, even asked for it by number and by name
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM hall.search_case_ids('%' || current_setting('bypass.other_case_no') || '%',
	                                              current_setting('bypass.other_applicant_name') || '%', '{A01,A02,A03}') x
	           WHERE x NOT IN (SELECT a.id FROM hall.applications a)) THEN
		RAISE EXCEPTION 'hall.search_case_ids named a case the clerk may not see';
	END IF;
	IF EXISTS (SELECT 1 FROM hall.search_case_ids('%', '%', '{A02,A03}')) THEN
		RAISE EXCEPTION 'hall.search_case_ids answered for windows that are not the clerk''s';
	END IF;
END $$;

-- attempt: clerk01 ok inquiries and replies of other departments are invisible
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM hall.inquiries WHERE department_code <> hall.my_department())
	   OR EXISTS (SELECT 1 FROM hall.v_inquiries WHERE department_code <> hall.my_department())
	   OR EXISTS (SELECT 1 FROM hall.replies r WHERE r.inquiry_id NOT IN (SELECT q.id FROM hall.inquiries q)) THEN
		RAISE EXCEPTION 'inquiries of other departments show';
	END IF;
END $$;

-- attempt: clerk01 42501 read the full ID numbers of hall.applicants
SELECT id, id_number FROM hall.applicants LIMIT 5;

-- attempt: clerk01 42501 read the full phone numbers of hall.applicants
SELECT id, phone FROM hall.applicants LIMIT 5;

-- attempt: clerk01 42501 read the askers' full phone numbers of hall.inquiries
SELECT id, asker_phone FROM hall.inquiries LIMIT 5;

-- attempt: clerk01 42501 read the outbox (full phone numbers in the payloads)
SELECT payload->>'phone' FROM hall.outbox LIMIT 5;

-- attempt: super01 42501 read the outbox as a supervisor
SELECT payload->>'phone' FROM hall.outbox LIMIT 5;

-- attempt: clerk01 ok no full ID number (18 digits) or mobile number (11 digits) in any column of any table or view I may read
DO $$
DECLARE
	re text := '(^|[^0-9])([0-9]{17}[0-9Xx]|1[3-9][0-9]{9})([^0-9]|$)';
	r record;
	col text;
	n bigint;
	hits text[] := '{}';
BEGIN
	-- One scan per table or view over every column the caller may read; the
	-- columns are looked at one by one only where something turns up.
	FOR r IN
		SELECT c.relname, array_agg(a.attname ORDER BY a.attnum) AS cols
		FROM pg_catalog.pg_class c
		JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace
		JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE ns.nspname = 'hall' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname <> 'days'
		  AND a.atttypid <> 'pg_catalog.bytea'::pg_catalog.regtype   -- digests: see the next attempts
		  AND pg_catalog.has_column_privilege(c.oid, a.attnum, 'SELECT')
		GROUP BY c.relname
		ORDER BY 1
	LOOP
		EXECUTE format('SELECT count(*) FROM hall.%I WHERE %s', r.relname,
		               (SELECT string_agg(format('%I::text ~ %L', x, re), ' OR ') FROM unnest(r.cols) x)) INTO n;
		CONTINUE WHEN n = 0;
		FOREACH col IN ARRAY r.cols LOOP
			EXECUTE format('SELECT count(*) FROM hall.%I WHERE %I::text ~ %L', r.relname, col, re) INTO n;
			IF n > 0 THEN
				hits := hits || format('%s.%s (%s rows)', r.relname, col, n);
			END IF;
		END LOOP;
	END LOOP;
	IF cardinality(hits) > 0 THEN
		RAISE EXCEPTION 'full ID or phone numbers readable in %', array_to_string(hits, ', ');
	END IF;
END $$;

-- attempt: super01 ok no full ID number or mobile number in any column of any table or view a supervisor may read
DO $$
DECLARE
	re text := '(^|[^0-9])([0-9]{17}[0-9Xx]|1[3-9][0-9]{9})([^0-9]|$)';
	r record;
	col text;
	n bigint;
	hits text[] := '{}';
BEGIN
	-- One scan per table or view over every column the caller may read; the
	-- columns are looked at one by one only where something turns up.
	FOR r IN
		SELECT c.relname, array_agg(a.attname ORDER BY a.attnum) AS cols
		FROM pg_catalog.pg_class c
		JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace
		JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE ns.nspname = 'hall' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname <> 'days'
		  AND a.atttypid <> 'pg_catalog.bytea'::pg_catalog.regtype   -- digests: see the next attempts
		  AND pg_catalog.has_column_privilege(c.oid, a.attnum, 'SELECT')
		GROUP BY c.relname
		ORDER BY 1
	LOOP
		EXECUTE format('SELECT count(*) FROM hall.%I WHERE %s', r.relname,
		               (SELECT string_agg(format('%I::text ~ %L', x, re), ' OR ') FROM unnest(r.cols) x)) INTO n;
		CONTINUE WHEN n = 0;
		FOREACH col IN ARRAY r.cols LOOP
			EXECUTE format('SELECT count(*) FROM hall.%I WHERE %I::text ~ %L', r.relname, col, re) INTO n;
			IF n > 0 THEN
				hits := hits || format('%s.%s (%s rows)', r.relname, col, n);
			END IF;
		END LOOP;
	END LOOP;
	IF cardinality(hits) > 0 THEN
		RAISE EXCEPTION 'full ID or phone numbers readable in %', array_to_string(hits, ', ');
	END IF;
END $$;

-- attempt: clerk01 55000 no full ID number recovered from id_masked (10 of 18 digits) by asking the search oracle every birth date: refused after id_search_per_minute searches
DO $$
DECLARE
	m text;
	c text;
	n int := 0;
BEGIN
	SELECT id_masked INTO m FROM hall.applicants WHERE kind = 'person' AND length(id_masked) = 18 ORDER BY id LIMIT 1;
	FOR c IN SELECT left(m, 6) || to_char(g, 'YYYYMMDD') || right(m, 4)
	         FROM generate_series(date '1950-01-01', date '2000-12-31', interval '1 day') g LOOP
		PERFORM hall.applicants_by_id_number(c);
		n := n + 1;
	END LOOP;
	RAISE EXCEPTION 'tried % birth dates unhindered', n;
END $$;

-- attempt: clerk01 ok a search by full ID number is written to the audit log, the number masked
-- changes: hall.audit
-- check: SELECT note ~ '^[0-9]{6}\*+[0-9X]{4}$' FROM hall.audit WHERE id = (SELECT max(id) FROM hall.audit WHERE action = 'id_search')
SELECT count(*) FROM hall.applicants_by_id_number('230102199001011234');

-- attempt: clerk01 22023 a search by ID number with something that is not one
SELECT hall.applicants_by_id_number('1; DROP TABLE hall.audit');

-- ======================================================= functions of 011-014
-- The training room's and the tour's functions: who may call them.

-- attempt: clerk01 42501 a clerk sets the training clock
SELECT hall.set_clock('2026-12-24 16:00+08', false);

-- attempt: clerk01 42501 a clerk resets the training database
SELECT hall.demo_reset();

-- attempt: super01 42501 a supervisor resets the training database
SELECT hall.demo_reset();

-- attempt: clerk01 42501 a clerk submits a case as the public through the trainer's wrapper
SELECT hall.demo_submit('SCJG001', '{"name": "李四", "id_number": "230102199001011234", "phone": "13800000000"}', 'web');

-- attempt: clerk01 P0002 withdraw the appeal of another clerk's rating
-- hide: other_rating_login other_rating_name
-- shape: rating
SELECT hall.withdraw_appeal(:other_rating);

-- attempt: clerk01 42501 a clerk corrects a failed notification's phone number
SELECT hall.outbox_correct(:my_dept_outbox, '13900001111', '号码有误');

-- attempt: clerk01 42501 a clerk cancels a failed notification
SELECT hall.outbox_cancel(:my_dept_outbox, '不再发送');

-- attempt: super01 P0002|42501 a supervisor corrects another department's failed notification
SELECT hall.outbox_correct(:other_dept_outbox, '13900001111', '号码有误');

-- attempt: super01 P0002|42501 a supervisor cancels another department's failed notification
SELECT hall.outbox_cancel(:other_dept_outbox, '不再发送');

-- attempt: super01 22023 a phone number that is no mobile number
SELECT hall.outbox_correct(:my_dept_outbox, '12345; DROP TABLE hall.outbox', '号码有误');

-- attempt: bypass_portal 42501 the portal reads the cases
SELECT count(*) FROM hall.applications;

-- attempt: bypass_portal 42501 the portal reads the case view
SELECT case_no, applicant_name, id_masked FROM hall.v_case LIMIT 5;

-- attempt: clerk01 22023 reveal an ID number with a reason made of control characters
SELECT hall.reveal(:my_applicant, E'\x01\x02\x03\x1b');

-- ======================================================== other identities
-- attempt: clerk01 42501 SET ROLE hall_admin
SET ROLE hall_admin;

-- attempt: clerk01 42501 SET ROLE hall_supervisor
SET ROLE hall_supervisor;

-- attempt: clerk01 42501 SET ROLE clerk02 (act as a colleague)
SET ROLE clerk02;

-- attempt: clerk01 42501 SET SESSION AUTHORIZATION super01
SET SESSION AUTHORIZATION super01;

-- attempt: clerk01 42501 GRANT hall_supervisor TO myself
GRANT hall_supervisor TO clerk01;

-- attempt: clerk01 42501 ALTER ROLE myself CREATEROLE
ALTER ROLE clerk01 CREATEROLE;

-- attempt: clerk01 42501 GRANT SELECT on the full ID numbers to myself
GRANT SELECT (id_number) ON hall.applicants TO clerk01;

-- attempt: clerk01 42501 switch off row-level security on hall.applications
ALTER TABLE hall.applications DISABLE ROW LEVEL SECURITY;

-- attempt: clerk01 42501 switch off the audit log's append-only trigger
ALTER TABLE hall.audit DISABLE TRIGGER audit_append_only;

-- attempt: clerk01 42501 replace hall.me() with a function of my own
CREATE OR REPLACE FUNCTION hall.me() RETURNS hall.staff LANGUAGE sql AS $$ SELECT * FROM hall.staff WHERE login = 'super01' $$;

-- attempt: clerk01 42501 CREATE SCHEMA for objects of my own
CREATE SCHEMA clerk01_tools;

-- attempt: clerk01 42501 CREATE TEMP TABLE staff, shadowing a hall table
CREATE TEMP TABLE staff (LIKE hall.staff);

-- attempt: clerk01 42501 CREATE DOMAIN pg_temp.text, shadowing a type the functions use
CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (VALUE IS NULL);

-- attempt: clerk01 42501 CREATE FUNCTION pg_temp.now()
CREATE FUNCTION pg_temp.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '2000-01-03 09:00+08'::timestamptz $$;

-- attempt: clerk01 42501 CREATE OPERATOR pg_temp.=
CREATE OPERATOR pg_temp.= (LEFTARG = pg_catalog.text, RIGHTARG = pg_catalog.text, FUNCTION = pg_catalog.texteq);

-- attempt: super01 42501 CREATE TEMP TABLE pg_roles, shadowing a catalog
CREATE TEMP TABLE pg_roles (rolname name, rolsuper boolean);

-- attempt: bypass_portal 42501 CREATE TEMP TABLE settings as the portal
CREATE TEMP TABLE settings (key text, value text, note text);

-- ================================ temporary objects with TEMPORARY granted
-- The second wall: every function's search_path ends in pg_temp, so no
-- temporary table, type, function or operator changes what it does.

-- attempt: clerk01 ok with TEMPORARY: a temporary domain "text" whose CHECK writes, evaluated by the definer, does not run inside hall.reply_inquiry
-- temp: grant
-- changes: hall.inquiries hall.replies hall.audit hall.outbox
-- check: SELECT count(*) = 0 FROM hall.canned_replies WHERE title = 'pwned'
-- check: SELECT state = 'answered' FROM hall.inquiries WHERE id = :my_inquiry
CREATE FUNCTION pg_temp.evil(v pg_catalog.text) RETURNS pg_catalog.bool LANGUAGE sql
AS $$ INSERT INTO hall.canned_replies (title, body) VALUES ('pwned', current_user) RETURNING true $$;
CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (pg_temp.evil(VALUE));
SELECT hall.reply_inquiry(:my_inquiry, '您好，变更经营范围请携带营业执照原件和变更申请书到A01窗口办理。');

-- attempt: clerk01 ok with TEMPORARY: a temporary domain "text" that refuses every value does not break hall.claim
-- temp: grant
-- changes: hall.applications hall.audit
-- check: SELECT state = 'in_review' AND claimed_by = (SELECT id FROM hall.staff WHERE login = 'clerk01') FROM hall.applications WHERE id = :my_submitted_case
CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (VALUE IS NULL);
SELECT hall.claim(:my_submitted_case);

-- attempt: clerk01 ok with TEMPORARY: a temporary domain "date" that refuses today does not change hall.today()
-- temp: grant
CREATE DOMAIN pg_temp.date AS pg_catalog.date CHECK (VALUE < '2000-01-01');
DO $$
BEGIN
	IF hall.today() IS DISTINCT FROM current_setting('bypass.today')::pg_catalog.date THEN
		RAISE EXCEPTION 'hall.today() says %', hall.today();
	END IF;
END $$;

-- attempt: clerk01 42501 with TEMPORARY: temporary tables staff_windows, staff, settings, applications and pg_roles do not let me claim at A02
-- temp: grant
CREATE TEMP TABLE staff_windows (staff_id int, window_code pg_catalog.text);
INSERT INTO staff_windows SELECT hall.my_id(), w FROM unnest(ARRAY['A01', 'A02']) w;
CREATE TEMP TABLE staff (LIKE hall.staff);
INSERT INTO staff SELECT * FROM hall.staff;
UPDATE staff SET kind = 'supervisor' WHERE login = session_user;
CREATE TEMP TABLE settings (key pg_catalog.text, value pg_catalog.text, note pg_catalog.text);
INSERT INTO settings VALUES ('mode', 'demo', ''), ('clock_offset', '-30 days', ''), ('clock_paused', '', '');
CREATE TEMP TABLE applications (LIKE hall.applications);
CREATE TEMP TABLE pg_roles (rolname name, rolsuper boolean);
INSERT INTO pg_roles VALUES (session_user, true);
GRANT SELECT ON staff_windows, staff, settings, applications, pg_roles TO PUBLIC;
SELECT hall.claim_next('A02');

-- attempt: clerk01 ok with TEMPORARY: the same temporary tables leave hall.claim of my own case as it is
-- temp: grant
-- changes: hall.applications hall.audit
-- check: SELECT state = 'in_review' AND claimed_by = (SELECT id FROM hall.staff WHERE login = 'clerk01') FROM hall.applications WHERE id = :my_submitted_case
-- check: SELECT bool_and((at AT TIME ZONE 'Asia/Shanghai')::date = :'today') FROM hall.audit WHERE app_id = :my_submitted_case AND action = 'claim'
CREATE TEMP TABLE staff_windows (staff_id int, window_code pg_catalog.text);
CREATE TEMP TABLE staff (LIKE hall.staff);
CREATE TEMP TABLE settings (key pg_catalog.text, value pg_catalog.text, note pg_catalog.text);
INSERT INTO settings VALUES ('mode', 'production', ''), ('clock_offset', '-30 days', '');
CREATE TEMP TABLE applications (LIKE hall.applications);
GRANT SELECT ON staff_windows, staff, settings, applications TO PUBLIC;
SELECT hall.claim(:my_submitted_case);

-- attempt: clerk01 ok with TEMPORARY: temporary functions now(), clock_timestamp() and my_windows() leave hall.claim as it is
-- temp: grant
-- changes: hall.applications hall.audit
-- check: SELECT state = 'in_review' AND claimed_by = (SELECT id FROM hall.staff WHERE login = 'clerk01') FROM hall.applications WHERE id = :my_submitted_case
-- check: SELECT bool_and((at AT TIME ZONE 'Asia/Shanghai')::date = :'today') FROM hall.audit WHERE app_id = :my_submitted_case AND action = 'claim'
CREATE FUNCTION pg_temp.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '2000-01-03 09:00+08'::timestamptz $$;
CREATE FUNCTION pg_temp.clock_timestamp() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '2000-01-03 09:00+08'::timestamptz $$;
CREATE FUNCTION pg_temp.my_windows() RETURNS text[] LANGUAGE sql AS $$ SELECT ARRAY['A01', 'A02'] $$;
SELECT hall.claim(:my_submitted_case);

-- attempt: clerk01 42501 with TEMPORARY: a temporary operator = that says yes to everything does not let me claim at A02
-- temp: grant
CREATE FUNCTION pg_temp.yes(pg_catalog.text, pg_catalog.text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR pg_temp.= (LEFTARG = pg_catalog.text, RIGHTARG = pg_catalog.text, FUNCTION = pg_temp.yes);
CREATE FUNCTION pg_temp.yes_int(int, int) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR pg_temp.= (LEFTARG = int, RIGHTARG = int, FUNCTION = pg_temp.yes_int);
SELECT hall.claim_next('A02');

-- attempt: super01 ok with TEMPORARY: a temporary pg_roles calling me a superuser does not show me another department's failed notifications
-- temp: grant
CREATE TEMP TABLE pg_roles (rolname name, rolsuper boolean);
INSERT INTO pg_roles VALUES (session_user, true);
GRANT SELECT ON pg_roles TO PUBLIC;
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM hall.v_outbox_failed WHERE department_code IS DISTINCT FROM hall.my_department()) THEN
		RAISE EXCEPTION 'super01 sees failed notifications of %',
			(SELECT string_agg(DISTINCT department_code, ', ') FROM hall.v_outbox_failed);
	END IF;
END $$;

-- attempt: super01 P0002|42501 with TEMPORARY: a temporary pg_roles calling me a superuser does not let me requeue another department's notification
-- temp: grant
-- hide: other_dept_case_no
CREATE TEMP TABLE pg_roles (rolname name, rolsuper boolean);
INSERT INTO pg_roles VALUES (session_user, true);
GRANT SELECT ON pg_roles TO PUBLIC;
SELECT hall.outbox_requeue(:other_dept_outbox, '重新发送');

-- attempt: bypass_portal ok with TEMPORARY: a temporary domain "text" whose CHECK writes does not run inside hall.ask
-- temp: grant
-- changes: hall.inquiries hall.inquiry_counters hall.audit
-- check: SELECT count(*) = 0 FROM hall.canned_replies WHERE title = 'pwned'
CREATE FUNCTION pg_temp.evil(v pg_catalog.text) RETURNS pg_catalog.bool LANGUAGE sql
AS $$ INSERT INTO hall.canned_replies (title, body) VALUES ('pwned', current_user) RETURNING true $$;
CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (pg_temp.evil(VALUE));
SELECT hall.ask('web', 'SCJG', '{"name": "市民", "phone": "13700000009"}', '个体户注销', '个体工商户注销需要哪些材料？');

-- ================================= reasons of control characters or spaces
-- Required texts are checked after cleaning: invisible is empty, 22023.

-- attempt: clerk01 22023 escalate with a reason of a tab and a newline
SELECT hall.escalate(:my_case, E'\t\n');

-- attempt: clerk01 22023 reject with a reason of one BEL
SELECT hall.reject(:my_case, E'\x07');

-- attempt: clerk01 22023 reveal with a reason of one zero-width space
SELECT hall.reveal(:my_applicant, E'\u200b');

-- attempt: clerk01 22023 return for correction with defects of three spaces and no material
SELECT hall.return_for_correction(:my_case, '{}', '   ');

-- attempt: clerk01 22023 reply with a body of two newlines
SELECT hall.reply_inquiry(:my_inquiry, E'\n\n');

-- attempt: clerk01 22023 request an extension with a reason of ideographic spaces
SELECT hall.request_extension(:my_case, 3, E'\u3000\u3000\u3000');

-- attempt: clerk01 22023 transfer an inquiry with a note of carriage returns
SELECT hall.transfer_inquiry(:my_inquiry, 'RSJ', E'\r\r\r');

-- attempt: clerk01 22023 appeal my bad rating with a reason of control characters
SELECT hall.appeal(:my_rating, E'\x01\x02\x7f');

-- attempt: clerk01 22023 rectification step with a note of zero-width spaces
SELECT hall.rectify(:my_rating, 'verify', E'\u200b\u200b\u200b');

-- attempt: super01 22023 reject an escalation with a note of control characters
SELECT hall.decide(:my_case, 'reject', E'\x01\x02\x03');

-- attempt: bypass_portal 22023 ask with a subject of one zero-width space
SELECT hall.ask('web', 'SCJG', '{"name": "市民", "phone": "13700000008"}', E'\u200b', '个体工商户注销需要哪些材料？');

-- ========================================= SQL and escapes through text
-- Stored verbatim (control characters cleaned away) or refused; never SQL,
-- and the catalogs never change.

-- attempt: clerk01 ok|22023 escalate with a reason that is an SQL injection
-- changes: hall.applications hall.audit hall.outbox
-- check: SELECT escalation_reason = $q$'); DROP TABLE hall.audit; --$q$ FROM hall.applications WHERE id = :my_case
SELECT hall.escalate(:my_case, $q$'); DROP TABLE hall.audit; --$q$);

-- attempt: clerk01 ok|22023 reject with a reason carrying terminal escape sequences
-- changes: hall.applications hall.audit hall.outbox
-- check: SELECT decision_note !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]' AND decision_note LIKE '%pwned%不予许可%' FROM hall.applications WHERE id = :my_case
-- check: SELECT bool_and(note !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]') FROM hall.audit WHERE app_id = :my_case
-- check: SELECT bool_and(payload->>'text' !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]' AND payload->>'reason' !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]') FROM hall.outbox WHERE app_id = :my_case AND event = 'rejected'
SELECT hall.reject(:my_case, E'\x1b]0;pwned\x07\x1b[2J 不予许可：材料不全');

-- attempt: clerk01 ok|22023 approve with a note of printf conversions
-- changes: hall.applications hall.audit hall.outbox
-- check: SELECT decision_note = '%s %n %x %p %% %1$s' FROM hall.applications WHERE id = :my_case
SELECT hall.approve(:my_case, '%s %n %x %p %% %1$s');

-- attempt: clerk01 ok|22023 return for correction with defects in 4-byte characters (emoji, musical symbols)
-- changes: hall.applications hall.audit hall.outbox hall.returns
-- check: SELECT defects = '照片不清晰 📷🙂 𝄞𠀀' AND notice LIKE '%照片不清晰 📷🙂 𝄞𠀀%' FROM hall.returns WHERE app_id = :my_case ORDER BY seq DESC LIMIT 1
SELECT hall.return_for_correction(:my_case, '{}', '照片不清晰 📷🙂 𝄞𠀀');

-- attempt: clerk01 ok|22023 request an extension with a reason that closes the string and deletes the staff
-- changes: hall.applications hall.audit hall.extensions
-- check: SELECT reason = $q$Robert'); DELETE FROM hall.staff; -- 延期$q$ FROM hall.extensions WHERE app_id = :my_case AND state = 'pending'
SELECT hall.request_extension(:my_case, 2, $q$Robert'); DELETE FROM hall.staff; -- 延期$q$);

-- attempt: clerk01 ok|22023 reply with a body carrying escapes and bidi overrides
-- changes: hall.inquiries hall.replies hall.audit hall.outbox
-- check: SELECT body !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]' AND body LIKE E'第一行\n%' AND body LIKE '%🙂%' FROM hall.replies WHERE inquiry_id = :my_inquiry
-- check: SELECT payload->>'reply' !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]' FROM hall.outbox WHERE inquiry_id = :my_inquiry AND event = 'inquiry_reply'
SELECT hall.reply_inquiry(:my_inquiry, E'第一行\n\x1b[2J\x1b]0;pwned\x07 \u202egnp.exe 请到窗口办理 🙂');

-- attempt: bypass_portal ok|22023 ask with a name, subject and body carrying escapes and an SQL injection
-- changes: hall.inquiries hall.inquiry_counters hall.audit
-- check: SELECT asker_name !~ '[\x01-\x1f\x7f-\x9f]' AND subject !~ '[\x01-\x1f\x7f-\x9f]' AND body !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]' AND body LIKE '%DROP TABLE hall.audit%' FROM hall.inquiries WHERE id = (SELECT max(id) FROM hall.inquiries)
SELECT hall.ask('web', 'SCJG', E'{"name": "\\u001b]0;pwned\\u0007张三", "phone": "13700000006"}',
                E'注销\x1b[31m咨询', $q$'); DROP TABLE hall.audit; -- 请问注销流程？$q$);

-- attempt: bypass_portal ok|22023 submit with an applicant name carrying escape sequences
-- changes: hall.applicants hall.applications hall.case_numbers hall.application_materials hall.case_counters hall.audit
-- check: SELECT name !~ '[\x01-\x1f\x7f-\x9f]' AND name LIKE '%李四%' FROM hall.applicants WHERE id = (SELECT max(id) FROM hall.applicants)
SELECT hall.submit('SCJG001', E'{"name": "\\u001b[2J\\u001b]0;pwned\\u0007李四", "id_number": "110105199203040056", "phone": "13700000005"}', 'web');

-- The same payload through the other texts: a reveal reason, a transfer
-- note, a rating comment and a supervisor's notes.
--   E'备注 \x1b]0;pwned\x07\x1b[2J \u202e\'); DROP TABLE hall.audit; -- %s %n 🙂'

-- attempt: clerk01 ok|22023 reveal with a reason carrying escapes and an SQL injection
-- changes: hall.audit
-- check: SELECT note !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]' AND note LIKE '%DROP TABLE hall.audit%🙂' FROM hall.audit WHERE id = (SELECT max(id) FROM hall.audit WHERE action = 'reveal')
SELECT hall.reveal(:my_applicant, E'备注 \x1b]0;pwned\x07\x1b[2J \u202e\'); DROP TABLE hall.audit; -- %s %n 🙂');

-- attempt: clerk01 ok|22023 transfer an inquiry with a note carrying escapes and an SQL injection
-- changes: hall.inquiries hall.audit
-- check: SELECT note !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]' AND note LIKE '%DROP TABLE hall.audit%🙂' FROM hall.audit WHERE id = (SELECT max(id) FROM hall.audit WHERE action = 'transfer' AND inquiry_id = :my_inquiry)
SELECT hall.transfer_inquiry(:my_inquiry, 'RSJ', E'备注 \x1b]0;pwned\x07\x1b[2J \u202e\'); DROP TABLE hall.audit; -- %s %n 🙂');

-- attempt: bypass_portal ok|22023 rate with a comment carrying escapes and an SQL injection
-- changes: hall.ratings hall.rating_stats hall.audit
-- check: SELECT comment !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]' AND comment LIKE '%DROP TABLE hall.audit%🙂' FROM hall.ratings WHERE kind = 'application' AND target_id = :completed_case
SELECT hall.rate('application', :completed_case, 5, E'备注 \x1b]0;pwned\x07\x1b[2J \u202e\'); DROP TABLE hall.audit; -- %s %n 🙂');

-- attempt: super01 ok|22023 send an escalation back with a note carrying escapes and an SQL injection
-- changes: hall.applications hall.audit
-- check: SELECT note !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]' AND note LIKE '%DROP TABLE hall.audit%🙂' FROM hall.audit WHERE id = (SELECT max(id) FROM hall.audit WHERE action = 'decide' AND app_id = :my_dept_escalated_case)
SELECT hall.decide(:my_dept_escalated_case, 'back', E'备注 \x1b]0;pwned\x07\x1b[2J \u202e\'); DROP TABLE hall.audit; -- %s %n 🙂');

-- attempt: super01 ok|22023 refuse an extension with a note carrying escapes and an SQL injection
-- changes: hall.extensions hall.applications hall.audit
-- check: SELECT note !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]' AND note LIKE '%DROP TABLE hall.audit%🙂' FROM hall.extensions WHERE app_id = :my_dept_extension_case AND state = 'refused' ORDER BY id DESC LIMIT 1
SELECT hall.grant_extension(:my_dept_extension_case, false, E'备注 \x1b]0;pwned\x07\x1b[2J \u202e\'); DROP TABLE hall.audit; -- %s %n 🙂');

-- attempt: super01 ok|22023 dismiss an appeal with a note carrying escapes and an SQL injection
-- changes: hall.ratings hall.rating_stats hall.audit
-- check: SELECT appeal_note !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]' AND appeal_note LIKE '%DROP TABLE hall.audit%🙂' FROM hall.ratings WHERE id = :my_dept_appeal
SELECT hall.judge_appeal(:my_dept_appeal, false, E'备注 \x1b]0;pwned\x07\x1b[2J \u202e\'); DROP TABLE hall.audit; -- %s %n 🙂');

-- attempt: super01 ok|22023 send a failed notification again with a note carrying escapes and an SQL injection
-- changes: hall.outbox hall.audit
-- check: SELECT note !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]' AND note LIKE '%DROP TABLE hall.audit%🙂' FROM hall.audit WHERE id = (SELECT max(id) FROM hall.audit WHERE action = 'outbox_requeue')
SELECT hall.outbox_requeue(:my_dept_outbox, E'备注 \x1b]0;pwned\x07\x1b[2J \u202e\'); DROP TABLE hall.audit; -- %s %n 🙂');

-- ================================================ NULLs and out of range
-- attempt: clerk01 22023 request an extension of 30 working days (at most 10)
SELECT hall.request_extension(:my_case, 30, '需要补充现场核查材料');

-- attempt: clerk01 22023 request an extension of -1 working days
SELECT hall.request_extension(:my_case, -1, '需要补充现场核查材料');

-- attempt: clerk01 22023 request an extension of NULL working days
SELECT hall.request_extension(:my_case, NULL, '需要补充现场核查材料');

-- attempt: clerk01 22023 claim NULL
SELECT hall.claim(NULL);

-- attempt: clerk01 22023 escalate with a NULL reason
SELECT hall.escalate(:my_case, NULL);

-- attempt: clerk01 22023 return for correction naming a NULL material
SELECT hall.return_for_correction(:my_case, ARRAY[NULL]::int[], '');

-- attempt: clerk01 22023 return for correction naming a material of no item (2147483647)
SELECT hall.return_for_correction(:my_case, ARRAY[2147483647], '');

-- attempt: clerk01 22023 rectification step "delete"
SELECT hall.rectify(:my_rating, 'delete', '删除差评');

-- attempt: bypass_portal 22023 rate with level 0
SELECT hall.rate('application', :completed_case, 0, '');

-- attempt: bypass_portal 22023 rate with level 6
SELECT hall.rate('application', :completed_case, 6, '');

-- attempt: bypass_portal 22023 rate with level NULL
SELECT hall.rate('application', :completed_case, NULL, '');

-- attempt: super01 22023 decide "maybe"
SELECT hall.decide(:my_case, 'maybe', '再看看');

-- attempt: super01 22023 grant an extension with granted NULL
SELECT hall.grant_extension(:my_case, NULL, '');

-- ==================================================== over-long texts
-- Every text has a maximum; anything over 10,000 characters is 22023.
-- (Last in the file: where such a text is still accepted, every later
-- fingerprint has megabytes more to hash.)

-- attempt: clerk01 22023 escalate with a 1 MB reason
SELECT hall.escalate(:my_case, repeat('理', 1048576));

-- attempt: clerk01 22023 approve with a 1 MB note
SELECT hall.approve(:my_case, repeat('x', 1048576));

-- attempt: clerk01 22023 reply with a 1 MB body
SELECT hall.reply_inquiry(:my_inquiry, repeat('答', 1048576));

-- attempt: bypass_portal 22023 ask with a 1 MB question
SELECT hall.ask('web', 'SCJG', '{"name": "市民", "phone": "13700000007"}', '长问题', repeat('问', 1048576));

-- attempt: bypass_portal 22023 rate with a 1 MB comment
SELECT hall.rate('application', :completed_case, 4, repeat('评', 1048576));

-- ================================================ working hours, timeliness (015)

-- attempt: clerk01 42501 a clerk sets the opening hours
SELECT hall.hours_set(1, '00:00-24:00');

-- attempt: super01 42501 a supervisor sets the opening hours
SELECT hall.hours_set(1, '00:00-24:00');

-- attempt: super01 42501 a supervisor changes which hours a make-up day has
SELECT hall.hours_makeup(6);

-- attempt: clerk01 42501 a clerk writes the opening hours directly
INSERT INTO hall.opening_hours VALUES (6, '09:00', '12:00');

-- attempt: clerk01 42501 a clerk reads the department's timeliness per clerk
SELECT * FROM hall.timeliness_clerks('2026-11-01', '2026-11-23');

-- attempt: bypass_portal 42501 the portal reads the department's timeliness
SELECT * FROM hall.timeliness_department('2026-11-01', '2026-11-23');

-- ================================================ reassignment, 督办 (016)

-- attempt: clerk01 42501 a clerk gives a colleague's case to themselves
SELECT hall.reassign((SELECT id FROM hall.applications WHERE state = 'in_review' AND claimed_by <> hall.my_id() LIMIT 1),
	'clerk01', '我来办');

-- attempt: clerk01 42501 a clerk writes a reassignment directly
UPDATE hall.applications SET claimed_by = hall.my_id() WHERE state = 'in_review';

-- attempt: clerk01 42501 a clerk takes an inquiry by assigning it to themselves
SELECT hall.reassign_inquiry((SELECT id FROM hall.inquiries WHERE state = 'open' LIMIT 1), 'clerk01', '我来答');

-- attempt: clerk01 42501 a clerk clears a 督办 flag by deleting it
DELETE FROM hall.supervisions;

-- attempt: clerk01 42501 a clerk flags a colleague 督办
SELECT hall.supervise('application', (SELECT id FROM hall.applications WHERE state = 'in_review' LIMIT 1), '快办');

-- attempt: super01 P0002 a supervisor reassigns a case they cannot see (another department's are
-- out of sight, so an id is all they could try; t19_supervise.sql gives a real one)
SELECT hall.reassign(999999999, 'clerk01', '借调');

-- attempt: super01 22023 a supervisor gives a case to a clerk of another department
SELECT hall.reassign((SELECT id FROM hall.applications WHERE state = 'in_review' LIMIT 1), 'clerk03', '借调');

-- attempt: clerk01 42501 a clerk reads the department's ratings per clerk
SELECT * FROM hall.department_ratings('2026-11-01', '2026-11-23');

-- attempt: clerk01 ok a clerk sees no 督办 flag addressed to a colleague
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM hall.supervisions WHERE staff_id IS NOT NULL AND staff_id <> hall.my_id()) THEN
		RAISE EXCEPTION 'a colleague''s flag is visible';
	END IF;
END $$;

-- ------------------------------------------------ red and yellow cards (017)

-- attempt: clerk01 42501 a clerk issues the cards themselves (only the cron job and hall_admin may)
SELECT hall.issue_cards();

-- attempt: super01 42501 a supervisor runs the card issuing with its counts
SELECT * FROM hall.issue_cards_run();

-- attempt: clerk01 42501 a clerk writes a card against a colleague
INSERT INTO hall.cards (color, rule, kind, item_id, ref, department_code, staff_id, issued_at, issued_on)
VALUES ('red', 'case_overdue', 'application', 1, 'x', 'SCJG', 2, now(), current_date);

-- attempt: clerk01 42501 a clerk clears their own cards
UPDATE hall.cards SET cleared_at = now() WHERE cleared_at IS NULL;

-- attempt: super01 42501 a supervisor deletes a clerk's card
DELETE FROM hall.cards;

-- attempt: clerk01 ok a clerk sees no colleague's card
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM hall.cards WHERE staff_id IS DISTINCT FROM hall.my_id()) THEN
		RAISE EXCEPTION 'a colleague''s card is visible';
	END IF;
END $$;

-- attempt: clerk01 ok a clerk's card counts show their own row only, whatever scope they ask for
SET hall.scope_department = 'RSJ';
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM hall.card_counts('2026-11-01', '2026-11-30') c
	           WHERE c.staff_id IS DISTINCT FROM hall.my_id()) THEN
		RAISE EXCEPTION 'a colleague''s card count is visible';
	END IF;
END $$;

-- ------------------------------------------------ the front desk (020)
-- clerk01 serves A01, whose items are SCJG001, 003, 004, 006 and 007;
-- SCJG002 is served by A02 alone, RSJ001 by RSJ's windows.

-- attempt: clerk01 42501 a clerk receives an item only another window serves (SCJG002 is A02's)
SELECT hall.receive('SCJG002', 'self', '{"name": "王五", "id_number": "230102199001011230"}', NULL,
	(SELECT jsonb_agg(jsonb_build_object('material_id', material_id, 'mark', 'original'))
	 FROM hall.v_situation_materials WHERE item_code = 'SCJG002' AND situation = 'self'), 'accept', '', '{}');

-- attempt: clerk01 42501 a clerk receives at a window they do not serve (A02 serves SCJG003 too)
SELECT hall.receive('SCJG003', 'self', '{"name": "王五", "id_number": "230102199001011230"}', NULL,
	(SELECT jsonb_agg(jsonb_build_object('material_id', material_id, 'mark', 'original'))
	 FROM hall.v_situation_materials WHERE item_code = 'SCJG003' AND situation = 'self'), 'accept', '', '{"window": "A02"}');

-- attempt: clerk01 42501 a clerk receives another department's item
SELECT hall.receive('RSJ001', 'self', '{"name": "王五", "id_number": "230102199001011230"}', NULL, '[]',
	'refuse', '不属于本窗口受理范围', '{}');

-- attempt: super01 42501 a supervisor receives at the window (no EXECUTE: supervisors have no window)
SELECT hall.receive('SCJG001', 'self', '{"name": "王五", "id_number": "230102199001011230"}', NULL, '[]',
	'refuse', '不属于本窗口受理范围', '{}');

-- attempt: bypass_portal 42501 the portal receives as if at a window
SELECT hall.receive('SCJG001', 'self', '{"name": "王五", "id_number": "230102199001011230"}', NULL, '[]',
	'refuse', '不属于本窗口受理范围', '{}');

-- attempt: clerk01 22023 a clerk receives with a made-up ID number (its check digit is wrong)
SELECT hall.receive('SCJG001', 'self', '{"name": "王五", "id_number": "230102199001011234"}', NULL,
	(SELECT jsonb_agg(jsonb_build_object('material_id', material_id, 'mark', 'original'))
	 FROM hall.v_situation_materials WHERE item_code = 'SCJG001' AND situation = 'self'), 'accept', '', '{}');

-- attempt: clerk01 22023 a clerk accepts 容缺 a material the item does not allow it for
SELECT hall.receive('SCJG001', 'self', '{"name": "王五", "id_number": "230102199001011230"}', NULL,
	(SELECT jsonb_agg(jsonb_build_object('material_id', material_id,
	                                     'mark', CASE WHEN name = '营业执照副本' THEN 'deferred' ELSE 'original' END))
	 FROM hall.v_situation_materials WHERE item_code = 'SCJG001' AND situation = 'self'),
	'accept', '', '{"commitment_signed": true}');

-- attempt: clerk01 42501 a clerk writes a notice by hand
INSERT INTO hall.notices (number, kind, app_id, department_code, window_code, staff_id, issued_at, issued_on, body)
VALUES ('SCJG-2026-999999', 'acceptance', :my_case, 'SCJG', 'A01', (SELECT hall.my_id()), now(), current_date, '受理通知书');

-- attempt: clerk01 42501 a clerk rewrites the notices already printed
UPDATE hall.notices SET body = '不予受理决定书';

-- attempt: clerk01 42501 a clerk takes a notice number for themselves
UPDATE hall.notice_counters SET n = n + 1;

-- attempt: clerk01 42501 a clerk marks every 容缺 material supplied by hand
UPDATE hall.deferred_materials SET state = 'supplied', supplied_at = now();

-- attempt: clerk01 42501 a clerk records a 告知承诺 check as true by hand
UPDATE hall.commitment_checks SET state = 'true', checked_at = now();

-- attempt: clerk01 42501 a clerk lets every material of an item be accepted 容缺
UPDATE hall.situation_materials SET may_defer = true;

-- attempt: clerk01 42501 a clerk credits a colleague with a 帮办 filing
UPDATE hall.receptions SET assisted_by = 2;

-- attempt: clerk01 42501 a clerk reads the full ID number of an agent
SELECT id_number FROM hall.case_agents;

-- attempt: clerk01 42501 a clerk runs the 容缺 job (only the cron job, hall_cards and hall_admin may)
SELECT * FROM hall.front_desk_run();

-- attempt: super01 42501 a supervisor ends the overdue 容缺 cases themselves
SELECT hall.end_deferred();

-- attempt: clerk01 42501 a clerk reads the supervisor's front-desk figures
SELECT * FROM hall.front_desk_counts('2026-11-01');

-- attempt: clerk01 P0002 a clerk prints a notice that does not exist (another window's reads the same)
SELECT hall.notice_text(999999999);

-- attempt: clerk01 P0002 a clerk records a 容缺 material supplied on another window's case
-- hide: other_case_no
-- shape: case
SELECT hall.supply_deferred(:other_case, 1);

-- attempt: clerk01 P0002 a clerk finds another window's case's commitment false
-- hide: other_case_no
-- shape: case
SELECT hall.record_check(:other_case, false, '承诺不实');

-- attempt: clerk01 ok a clerk sees no notice, reception or agent of another window
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM hall.notices n WHERE n.window_code <> ALL (hall.my_windows()))
	   OR EXISTS (SELECT 1 FROM hall.receptions r JOIN hall.applications a ON a.id = r.app_id
	              WHERE a.window_code <> ALL (hall.my_windows())) THEN
		RAISE EXCEPTION 'another window''s notice or reception is visible';
	END IF;
END $$;

-- attempt: clerk01 ok|22023 a clerk receives a walk-in whose name and note carry escapes and an SQL injection
-- changes: hall.applicants hall.applications hall.case_numbers hall.application_materials hall.receptions hall.notices hall.notice_counters hall.case_counters hall.audit hall.outbox
-- check: SELECT body !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]' AND body LIKE '%DROP TABLE hall.notices%' AND body LIKE '%受理通知书%' FROM hall.notices WHERE id = (SELECT max(id) FROM hall.notices)
-- check: SELECT name !~ '[\x01-\x1f\x7f-\x9f]' AND name LIKE '%赵六%' FROM hall.applicants WHERE id = (SELECT max(id) FROM hall.applicants)
SELECT hall.receive('SCJG001', 'self', E'{"name": "\\u001b]0;pwned\\u0007赵六", "id_number": "230102198005050056", "phone": "13700000009"}', NULL,
	(SELECT jsonb_agg(jsonb_build_object('material_id', material_id, 'mark', 'original'))
	 FROM hall.v_situation_materials WHERE item_code = 'SCJG001' AND situation = 'self'),
	'accept', E'\x1b[2J'') ; DROP TABLE hall.notices; --', '{}') AS walkin \gset
SELECT hall.notice_text((SELECT n.id FROM hall.notices n WHERE n.app_id = :walkin));
