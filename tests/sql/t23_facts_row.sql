-- The daily facts (019) follow every UPDATE of a case, now made row by row
-- (facts_application_row, plain cached statements) rather than by the
-- statement trigger's EXECUTEd text: after each kind of change the facts
-- equal their definition (hall.facts_drift() all 0), and the figures a
-- supervisor reads moved as they should.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

CREATE FUNCTION pg_temp.drift() RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(fact || '=' || rows_differing, ' ' ORDER BY fact) FROM hall.facts_drift() WHERE rows_differing <> 0
$$;

SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a1 \gset
SELECT hall.submit('SC002', applicant_json('赵六', '230102199202025678', '13900001111'), 'web') AS a2 \gset
SELECT hall.submit('SC002', applicant_json('钱七', '230102199303036789', '13900002222'), 'app') AS a3 \gset
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.drift(), NULL, 'three cases submitted: the facts in step');

SELECT is((SELECT tgtype & 1 FROM pg_trigger WHERE tgrelid = 'hall.applications'::regclass AND tgname = 'facts_update')::int,
	1, 'facts_update of hall.applications is a row trigger');

-- claim and approve in time
SET hall.fake_now = '2025-09-29 10:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.claim(:a1);
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.drift(), NULL, 'claim: in step (accept_misses loses the case)');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.approve(:a1, '');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.drift(), NULL, 'approve: in step');
SELECT is((SELECT completed || '/' || on_time || '/' || early FROM hall.completed_days
           WHERE window_code = 'A01' AND day = '2025-09-29' AND staff_id = sid('t_clerk_a')), '1/1/1',
	'one case completed that day by that clerk, on time and early');

-- a return for correction moves the platform key (returns 0 -> 1); the
-- resubmission and a late acceptance
SET SESSION AUTHORIZATION t_clerk_b;
SELECT hall.claim(:a2);
SELECT hall.return_for_correction(:a2, ARRAY[mat('SC002', '营业执照')], '营业执照复印件不清晰');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.drift(), NULL, 'return: in step');
SELECT is((SELECT sum(n)::int FROM hall.platform_days WHERE returns = 1), 1, 'platform_days counts one case returned once');
SET SESSION AUTHORIZATION t_portal;
SELECT hall.resubmit(:a2, ARRAY[mat('SC002', '营业执照')]);
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.drift(), NULL, 'resubmit: in step');

SET hall.fake_now = '2025-10-20 10:00+08';
SET SESSION AUTHORIZATION t_clerk_b;
SELECT hall.claim(:a3);
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.drift(), NULL, 'a late claim: in step');
SELECT is((SELECT count(*)::int FROM hall.accept_misses WHERE app_id = :a3 AND accepted_on IS NOT NULL), 1,
	'the late acceptance is a miss');
SELECT is((SELECT m.claim_id || '/' || m.staff_id FROM hall.accept_misses m WHERE m.app_id = :a3),
	(SELECT x.id || '/' || sid('t_clerk_b') FROM hall.audit x WHERE x.app_id = :a3 AND x.action = 'claim'),
	'... accepted by the claim''s audit row, clerk B''s (facts_claim: a row trigger, for claims only)');
SELECT is((SELECT string_agg(tgname || ':' || tgenabled::text, ',' ORDER BY tgname) FROM pg_trigger
           WHERE tgrelid = 'hall.audit'::regclass AND tgname LIKE 'facts\_%'),
	'facts_claim:O,facts_insert:R,facts_truncate:A',
	'the audit''s facts: a row trigger for the sessions, the statement trigger for bulk loads under replica');

-- a rated completed case that changes window (an administrator's UPDATE:
-- the trigger follows any update, not only the functions')
SET SESSION AUTHORIZATION t_portal;
SELECT hall.rate('application', :a1, 2, '等太久') AS r1 \gset
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.drift(), NULL, 'a rating: in step');
UPDATE hall.applications SET window_code = 'A02' WHERE id = :a1;
SELECT is(pg_temp.drift(), NULL, 'the rated case moved to another window: in step');
SELECT is((SELECT ratings FROM hall.rating_days WHERE window_code = 'A02' AND staff_id = sid('t_clerk_a')), 1::bigint,
	'its rating counts for the new window');

-- an update that touches no fact does not fire the trigger's body
SELECT is(pg_temp.drift(), NULL, 'still in step');
UPDATE hall.applications SET queue_rank = queue_rank WHERE id = :a2;
SELECT is(pg_temp.drift(), NULL, 'an update of nothing the facts read: in step');

-- a bulk update of many cases in one statement (the calendar's deadlines)
UPDATE hall.applications SET accept_due = accept_due + 1, due_date = due_date + 1;
SELECT is(pg_temp.drift(), NULL, 'every case''s deadlines moved in one statement: in step');

-- a completed case reopened by hand goes back out of completed_days
UPDATE hall.applications SET state = 'in_review', closed_at = NULL, closed_by = NULL WHERE id = :a1;
SELECT is(pg_temp.drift(), NULL, 'a completed case reopened: in step');
SELECT is((SELECT count(*)::int FROM hall.completed_days WHERE day = '2025-09-29'), 0, 'the day has no completed case left');

-- the other closed states are counted per window and state in
-- closed_counts (the dashboard's counts read it, not the cases)
SET SESSION AUTHORIZATION t_clerk_b;
SELECT hall.reject(:a3, '材料不符合法定形式');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.drift(), NULL, 'a rejection: in step');
SET SESSION AUTHORIZATION t_portal;
SELECT hall.withdraw(:a2);
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.drift(), NULL, 'a withdrawal: in step');
SELECT is((SELECT string_agg(window_code || ':' || state || '=' || n, ' ' ORDER BY state) FROM hall.closed_counts),
	'A01:rejected=1 A01:withdrawn=1', 'closed_counts: one rejected and one withdrawn at A01');
SET SESSION AUTHORIZATION t_sup_s;
SELECT is((SELECT string_agg(state || '=' || cases, ' ' ORDER BY state) FROM hall.v_summary
           WHERE window_code = 'A01' AND state IN ('rejected', 'withdrawn', 'terminated')),
	'rejected=1 withdrawn=1', 'the supervisor''s counts say so');
SELECT is((SELECT count(*)::int FROM hall.closed_counts), 2, 'the supervisor reads their department''s rows');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_clerk_c;
SELECT is((SELECT count(*)::int FROM hall.closed_counts), 0, 'a clerk of A02 reads none of A01''s');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_clerk_g;
SELECT is((SELECT count(*)::int FROM hall.v_summary WHERE state = 'rejected'), 0, 'nor does a clerk of another department');
RESET SESSION AUTHORIZATION;
UPDATE hall.applications SET window_code = 'A02' WHERE id = :a3;
SELECT is(pg_temp.drift(), NULL, 'a rejected case moved to another window by hand: in step');
UPDATE hall.applications SET state = 'submitted', closed_at = NULL, claimed_by = NULL WHERE id = :a2;
SELECT is(pg_temp.drift(), NULL, 'a withdrawn case taken back by hand: in step');
SELECT is((SELECT string_agg(window_code || ':' || state || '=' || n, ' ' ORDER BY state) FROM hall.closed_counts),
	'A02:rejected=1', '... which leaves one rejected case, at A02 (a row that falls to 0 goes)');
SET SESSION AUTHORIZATION t_sup_s;
SELECT throws_ok($$UPDATE hall.closed_counts SET n = n + 1$$, '42501', NULL, 'a supervisor cannot write it');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
