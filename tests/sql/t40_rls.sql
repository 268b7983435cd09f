-- Who reads what: row-level security, column grants, no writes for
-- anybody but hall_admin, and the append-only audit log.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a \gset
SELECT hall.submit('SC002', applicant_json('李四', '230102198502023333', '13822223333'), 'web') AS a2 \gset
SELECT hall.submit('SC001', applicant_json('赵六', '230102199202025678', '13900001111'), 'app') AS c \gset
SELECT hall.submit('GA001', applicant_json('钱八', '230102198803031111', '13600002222'), 'app') AS g \gset
SELECT hall.ask('web', 'SCJG', '{"name": "孙七", "phone": "13700001111"}', '许可', '多久能办好？') AS q \gset
SELECT throws_ok('SELECT count(*) FROM hall.applications', '42501', NULL, 'the portal reads no table');
SELECT throws_ok('SELECT count(*) FROM hall.v_queue', '42501', NULL, 'nor a view');

-- Two completed cases at A01, one by clerk A, one by clerk B, each rated.
SET hall.fake_now = '2025-09-29 09:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :a, :a, ''), 'clerk A completes case a');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :a2, :a2, ''), 'clerk B completes case a2');
SET SESSION AUTHORIZATION t_portal;
SELECT hall.rate('application', :a, 2, '态度一般') AS ra \gset
SELECT hall.rate('application', :a2, 5, '很好') AS rb \gset

-- Cases.
SET SESSION AUTHORIZATION t_clerk_a;
SELECT results_eq('SELECT id FROM hall.applications ORDER BY id', format('VALUES (%s::bigint), (%s::bigint)', :a, :a2),
	'clerk A (A01) reads the cases of A01 only');
SELECT is((SELECT count(*) FROM hall.v_queue WHERE window_code = 'A02'), 0::bigint, 'asking for A02 gives nothing');
SELECT is((SELECT count(*) FROM hall.v_case WHERE id = :c), 0::bigint, 'nor the case screen of an A02 case');
-- Opening a case reads through hall.case_of and its siblings (020):
-- SECURITY INVOKER, so the same policies decide.
SELECT is(hall.my_windows(), ARRAY['A01'], 'clerk A serves A01');
-- Every policy of a clerk starts with hall.my_windows(): it asks who the
-- caller is once, not once for every row of staff_windows (it did, 0.3 ms
-- a call).
RESET SESSION AUTHORIZATION;
SET track_functions = 'all';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT coalesce((SELECT calls FROM pg_stat_xact_user_functions WHERE schemaname = 'hall' AND funcname = 'my_id'), 0) AS my_id_before \gset
SET enable_indexscan = off;  -- the scan of a hall's size, not the fixture's handful of rows
SET enable_bitmapscan = off;
DISCARD PLANS;
SELECT hall.my_windows();
RESET enable_indexscan;
RESET enable_bitmapscan;
SELECT is((SELECT calls FROM pg_stat_xact_user_functions WHERE schemaname = 'hall' AND funcname = 'my_id') - :my_id_before,
	1::bigint, 'hall.my_windows() asks for the caller''s id once');
SELECT is((SELECT count(*) FROM hall.case_of(:a)), 1::bigint, 'case_of: clerk A opens an A01 case');
SELECT is((SELECT count(*) FROM hall.case_materials_of(:a)), 3::bigint, 'with its materials');
SELECT ok((SELECT count(*) FROM hall.case_history_of(:a)) >= 3, 'and its history');
SELECT is((SELECT count(*) FROM hall.case_front_of(:a)), 1::bigint, 'and its front desk');
SELECT is((SELECT count(*) FROM hall.case_of(:c)) + (SELECT count(*) FROM hall.case_materials_of(:c))
          + (SELECT count(*) FROM hall.case_history_of(:c)) + (SELECT count(*) FROM hall.case_returns_of(:c))
          + (SELECT count(*) FROM hall.case_front_of(:c)) + (SELECT count(*) FROM hall.deferred_of(:c)),
	0::bigint, 'nothing of an A02 case through any of them');
SELECT is((SELECT count(*) FROM hall.applicants), 2::bigint, 'only the applicants of its cases');
SELECT is((SELECT count(*) FROM hall.application_materials), 6::bigint, 'their materials');
SELECT is((SELECT count(*) FROM hall.audit WHERE app_id = :c), 0::bigint, 'no audit rows of A02 cases');
SELECT throws_ok('SELECT id_number FROM hall.applicants', '42501', NULL, 'the full ID number is not readable');
SELECT throws_ok('SELECT phone FROM hall.applicants', '42501', NULL, 'nor the full phone number');
SELECT throws_ok('SELECT asker_phone FROM hall.inquiries', '42501', NULL, 'nor the asker''s phone');
SELECT is((SELECT id_masked FROM hall.applicants WHERE id = (app(:a)).applicant_id), '230102********1234', 'the masked one is');
SELECT is((SELECT phone_masked FROM hall.v_queue LIMIT 0), NULL, 'the queue selects masked columns only');
SELECT throws_ok('SELECT count(*) FROM hall.outbox', '42501', NULL, 'clerks do not read the outbox');
SET SESSION AUTHORIZATION t_clerk_c;
SELECT results_eq('SELECT id FROM hall.v_queue', format('VALUES (%s::bigint)', :c), 'clerk C (A02) sees only its case');
SELECT is((SELECT count(*) FROM hall.v_queue WHERE window_code = 'A01'), 0::bigint, 'and nothing of A01');
SELECT is((SELECT count(*) FROM hall.v_inquiries), 1::bigint, 'but the department''s inquiries');
SET SESSION AUTHORIZATION t_clerk_g;
SELECT results_eq('SELECT id FROM hall.applications', format('VALUES (%s::bigint)', :g), 'clerk G (B01) sees its case');
SELECT is((SELECT count(*) FROM hall.v_inquiries), 0::bigint, 'and no inquiry of another department');
SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq('SELECT id FROM hall.applications ORDER BY id',
	format('VALUES (%s::bigint), (%s::bigint), (%s::bigint)', :a, :a2, :c), 'the supervisor sees the department');
SET SESSION AUTHORIZATION t_sup_g;
SELECT results_eq('SELECT id FROM hall.applications', format('VALUES (%s::bigint)', :g), 'the other supervisor sees the other');
SET SESSION AUTHORIZATION t_trainer;
SELECT is((SELECT count(*) FROM hall.applications), 4::bigint, 'the trainer sees everything');
SELECT is((SELECT count(*) FROM hall.outbox), 2::bigint, 'including the outbox');
SELECT throws_ok('SELECT phone FROM hall.applicants', '42501', NULL, 'but not full numbers either');

-- Ratings: a clerk never sees a colleague's.
SET SESSION AUTHORIZATION t_clerk_b;
SELECT results_eq('SELECT id FROM hall.ratings', format('VALUES (%s::bigint)', :rb), 'clerk B reads only its own rating');
SELECT results_eq('SELECT id FROM hall.v_my_ratings', format('VALUES (%s::bigint)', :rb), 'v_my_ratings too');
SELECT is((SELECT count(*) FROM hall.v_rating_summary), 1::bigint, 'the summary has one row: its own');
SELECT is((SELECT count(*) FROM hall.rectifications), 0::bigint, 'no rectification of clerk A''s bad rating');
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'rate'), 1::bigint, 'the case history hides clerk A''s rating');
SELECT is((SELECT count(*) FROM hall.v_case_history WHERE app_id = :a), 3::bigint, 'but shows the rest of case a');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT results_eq('SELECT id FROM hall.v_my_ratings', format('VALUES (%s::bigint)', :ra), 'clerk A reads its own');
SELECT is((SELECT count(*) FROM hall.rectifications), 1::bigint, 'with its rectification');
SET SESSION AUTHORIZATION t_clerk_c;
SELECT is((SELECT count(*) FROM hall.ratings), 0::bigint, 'clerk C reads none');
SET SESSION AUTHORIZATION t_sup_s;
SELECT is((SELECT count(*) FROM hall.ratings), 2::bigint, 'the supervisor reads the department''s');
SELECT is((SELECT count(*) FROM hall.v_bad_ratings), 1::bigint, 'and the open bad one');
SET SESSION AUTHORIZATION t_sup_g;
SELECT is((SELECT count(*) FROM hall.ratings), 0::bigint, 'another department''s supervisor none');

-- Not staff, or not any more.
SET SESSION AUTHORIZATION t_ghost;
SELECT throws_ok('SELECT hall.me()', '42501', 'not a staff member: the account t_ghost is unknown or disabled', 'hall.me() refuses a non-staff role');
SELECT throws_ok('SELECT count(*) FROM hall.applications', '42501', NULL, 'so its queries fail instead of showing anything');
SET SESSION AUTHORIZATION t_outsider;
SELECT throws_ok('SELECT count(*) FROM hall.applications', '42501', NULL, 'a role of no group reads nothing');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'hall'::regnamespace AND p.proacl IS NULL),
	0::bigint, 'no hall function keeps the default ACL (EXECUTE for PUBLIC): every grant is explicit');
SELECT is(has_function_privilege('t_outsider', 'hall.withdraw(bigint)', 'EXECUTE'), false, 'a role of no group cannot withdraw cases');

-- Nobody but hall_admin writes any table.
SELECT is((SELECT count(*) FROM pg_class c CROSS JOIN unnest(ARRAY['hall_clerk', 'hall_supervisor', 'hall_trainer', 'hall_portal']) r
	WHERE c.relnamespace = 'hall'::regnamespace AND c.relkind IN ('r', 'v', 'p')
	  AND (has_table_privilege(r, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
	       OR has_any_column_privilege(r, c.oid, 'INSERT, UPDATE'))), 0::bigint,
	'no group role has INSERT, UPDATE, DELETE or TRUNCATE on any table or view');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok(format('UPDATE hall.applications SET state = %L WHERE id = %s', 'completed', :c), '42501', NULL, 'a clerk cannot UPDATE a case');
SELECT throws_ok($$INSERT INTO hall.audit (at, actor, action) VALUES (now(), 'x', 'forge')$$, '42501', NULL, 'nor INSERT into the audit log');
SELECT throws_ok('DELETE FROM hall.audit', '42501', NULL, 'nor DELETE from it');
SELECT throws_ok('UPDATE hall.audit SET note = $$x$$', '42501', NULL, 'nor UPDATE it');
SELECT throws_ok('TRUNCATE hall.audit', '42501', NULL, 'nor TRUNCATE it');
SELECT throws_ok('DELETE FROM hall.ratings', '42501', NULL, 'nor DELETE a rating');
SELECT throws_ok($$UPDATE hall.settings SET value = 'demo'$$, '42501', NULL, 'nor change a setting');
SELECT throws_ok($$INSERT INTO hall.calendar VALUES ('2025-12-25', 'holiday', '')$$, '42501', NULL, 'nor the calendar');
SELECT throws_ok($$UPDATE hall.v_queue SET state = 'completed'$$, '55000', NULL, 'the views are not updatable');
SET SESSION AUTHORIZATION t_sup_s;
SELECT throws_ok('UPDATE hall.ratings SET counts = false', '42501', NULL, 'a supervisor cannot UPDATE a rating');
SELECT throws_ok('UPDATE hall.applications SET claimed_by = NULL', '42501', NULL, 'nor a case');
SET SESSION AUTHORIZATION t_trainer;
SELECT throws_ok('DELETE FROM hall.outbox', '42501', NULL, 'the trainer cannot delete the outbox');
SET SESSION AUTHORIZATION t_portal;
SELECT throws_ok('DELETE FROM hall.applications', '42501', NULL, 'nor can the portal delete cases');

-- Append-only even for the owner and the superuser.
RESET SESSION AUTHORIZATION;
SELECT throws_ok('UPDATE hall.audit SET note = $$x$$', '42501', 'the audit log is append-only: UPDATE is not allowed',
	'the superuser cannot UPDATE the audit log');
SELECT throws_ok('DELETE FROM hall.audit', '42501', 'the audit log is append-only: DELETE is not allowed',
	'nor DELETE from it');
SELECT throws_ok('TRUNCATE hall.audit', '42501', 'the audit log is append-only: TRUNCATE is not allowed',
	'nor TRUNCATE it outside a demo reset');
SET ROLE hall_admin;
SELECT throws_ok('DELETE FROM hall.audit', '42501', NULL, 'nor can hall_admin');
RESET ROLE;
SET hall.demo_reset = 'on';
SELECT throws_ok('TRUNCATE hall.audit', '42501', NULL, 'demo_reset alone is not enough outside a demo database');
UPDATE hall.settings SET value = 'demo' WHERE key = 'mode';
RESET hall.demo_reset;
SELECT throws_ok('TRUNCATE hall.audit', '42501', NULL, 'a demo database without demo_reset refuses too');
SET hall.demo_reset = 'on';
SELECT lives_ok('TRUNCATE hall.audit', 'a demo reset may empty it');
SELECT is((SELECT count(*) FROM hall.audit), 0::bigint, 'empty');

SELECT * FROM finish();
ROLLBACK;
