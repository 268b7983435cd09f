-- Staff accounts: staff_add (new and existing roles), refusals,
-- staff_disable (no login, hall.me() refuses, held cases go back).
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

SELECT ok(hall.staff_add('t_new_clerk', '新员工', 'clerk', 'SCJG', '{A01,A02}', $$it's-a-secret$$) > 0, 'add a clerk of two windows');
SELECT is((SELECT rolcanlogin FROM pg_roles WHERE rolname = 't_new_clerk'), true, 'a login role is created');
SELECT is(pg_has_role('t_new_clerk', 'hall_clerk', 'MEMBER'), true, 'in the clerks'' group');
SELECT is(pg_has_role('t_new_clerk', 'hall_supervisor', 'MEMBER'), false, 'and no other');
SELECT is((SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = 't_new_clerk'), true, 'with a password (quotes and all)');
SELECT results_eq($$SELECT window_code FROM hall.staff_windows WHERE staff_id = sid('t_new_clerk') ORDER BY 1$$,
	$$VALUES ('A01'), ('A02')$$, 'serving its windows');
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'staff_add' AND note = 't_new_clerk'), 1::bigint, 'audited');
SELECT is((SELECT details ? 'password' FROM hall.audit WHERE action = 'staff_add' AND note = 't_new_clerk'), false,
	'without the password');
SET SESSION AUTHORIZATION t_new_clerk;
SELECT is(hall.my_windows(), ARRAY['A01', 'A02'], 'the new clerk is known to hall.me()');
SELECT is(hall.my_kind() || ' ' || hall.my_department(), 'clerk SCJG', 'as a clerk of SCJG');
RESET SESSION AUTHORIZATION;

-- A role that exists already (roles are cluster-wide) is reused.
CREATE ROLE t_preexisting LOGIN IN ROLE hall_clerk;
SELECT ok(hall.staff_add('t_preexisting', '调任科长', 'supervisor', 'SCJG', '{}', 'another-password') > 0, 'add an existing role as supervisor');
SELECT is(pg_has_role('t_preexisting', 'hall_supervisor', 'MEMBER'), true, 'now a supervisor');
SELECT is(pg_has_role('t_preexisting', 'hall_clerk', 'MEMBER'), false, 'and no longer a clerk');
SELECT is((SELECT details->>'role_existed' FROM hall.audit WHERE action = 'staff_add' AND note = 't_preexisting'), 'true',
	'the audit row says the role existed');

-- Refusals.
SELECT throws_ok($$SELECT hall.staff_add('Bad-Name', 'x', 'clerk', 'SCJG', '{A01}', 'long-enough')$$, '22023', NULL, 'not a simple identifier');
SELECT throws_ok($$SELECT hall.staff_add('x', 'x', 'clerk', 'SCJG', '{A01}', 'long-enough')$$, '22023', NULL, 'too short');
SELECT throws_ok($$SELECT hall.staff_add('a"; drop role x; --', 'x', 'clerk', 'SCJG', '{A01}', 'long-enough')$$, '22023', NULL, 'no injection through the login');
SELECT throws_ok($$SELECT hall.staff_add('hall_evil', 'x', 'clerk', 'SCJG', '{A01}', 'long-enough')$$, '22023', NULL, 'hall_ names are reserved');
SELECT throws_ok($$SELECT hall.staff_add('t_x', 'x', 'boss', 'SCJG', '{A01}', 'long-enough')$$, '22023', NULL, 'unknown kind');
SELECT throws_ok($$SELECT hall.staff_add('t_x', 'x', 'clerk', 'SCJG', '{Z99}', 'long-enough')$$, '22023', NULL, 'unknown window');
SELECT throws_ok($$SELECT hall.staff_add('t_x', 'x', 'clerk', 'SCJG', '{B01}', 'long-enough')$$, '22023', NULL, 'a window of another department');
SELECT throws_ok($$SELECT hall.staff_add('t_x', 'x', 'clerk', 'SCJG', '{}', 'long-enough')$$, '22023', NULL, 'a clerk without a window');
SELECT throws_ok($$SELECT hall.staff_add('t_x', 'x', 'clerk', 'NOPE', '{A01}', 'long-enough')$$, '22023', NULL, 'unknown department');
SELECT throws_ok($$SELECT hall.staff_add('t_x', 'x', 'clerk', 'SCJG', '{A01}', 'short')$$, '22023', NULL, 'a short password');
SELECT throws_ok($$SELECT hall.staff_add('t_x', ' ', 'clerk', 'SCJG', '{A01}', 'long-enough')$$, '22023', NULL, 'no name');
SELECT throws_ok($$SELECT hall.staff_add('t_clerk_a', 'x', 'clerk', 'SCJG', '{A01}', 'long-enough')$$, '55000', NULL, 'a staff member twice');
SELECT is((SELECT count(*) FROM pg_roles WHERE rolname = 't_x'), 0::bigint, 'no role was left behind');
SET SESSION AUTHORIZATION t_sup_s;
SELECT throws_ok($$SELECT hall.staff_add('t_y', 'y', 'clerk', 'SCJG', '{A01}', 'long-enough')$$, '42501', NULL, 'a supervisor cannot add staff');
SELECT throws_ok($$SELECT hall.staff_disable('t_clerk_b')$$, '42501', NULL, 'nor disable them');
RESET SESSION AUTHORIZATION;

-- Disabling: the held case goes back to the queue.
SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a \gset
SET hall.fake_now = '2025-09-29 09:00+08';
SET SESSION AUTHORIZATION t_clerk_b;
SELECT lives_ok(format('SELECT hall.claim(%s)', :a), 'clerk B holds a case');
RESET SESSION AUTHORIZATION;
SELECT throws_ok($$SELECT hall.staff_disable('t_nobody')$$, 'P0002', NULL, 'unknown staff');
SELECT lives_ok($$SELECT hall.staff_disable('t_clerk_b')$$, 'disable clerk B');
SELECT throws_ok($$SELECT hall.staff_disable('t_clerk_b')$$, '55000', NULL, 'disabled twice');
SELECT is((SELECT rolcanlogin FROM pg_roles WHERE rolname = 't_clerk_b'), false, 'the role can no longer log in');
SELECT is((SELECT active FROM hall.staff WHERE login = 't_clerk_b'), false, 'the staff row is inactive');
SELECT is((app(:a)).state, 'submitted', 'the held case is back in the queue');
SELECT is((app(:a)).claimed_by, NULL::int, 'unclaimed');
SELECT is((SELECT action || ' ' || actor FROM hall.audit WHERE app_id = :a ORDER BY id DESC LIMIT 1), 'release ' || session_user,
	'released on the record, by the administrator');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok('SELECT hall.me()', '42501', 'permission denied for schema hall', 'a disabled account has left its group: it may not even name the schema');
SELECT throws_ok('SELECT count(*) FROM hall.staff', '42501', NULL, 'its open session reads nothing more, not even the staff list');
SELECT throws_ok('SELECT count(*) FROM hall.settings', '42501', NULL, 'nor the settings');
SELECT throws_ok('SELECT count(*) FROM hall.v_queue', '42501', NULL, 'so does its queue');
SELECT throws_ok(format('SELECT hall.claim(%s)', :a), '42501', NULL, 'and every action');

SELECT * FROM finish();
ROLLBACK;
