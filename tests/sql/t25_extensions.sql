-- Extensions (延期): the clerk asks, the supervisor grants or refuses.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a \gset
SET hall.fake_now = '2025-09-29 09:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s)', :a), 'claimed Sep 29: due Oct 13');

SET hall.fake_now = '2025-10-09 10:00+08';
SELECT throws_ok(format('SELECT hall.request_extension(%s, 11, %L)', :a, '现场核查'), '22023',
	'an extension is 1 to 10 working days, not 11', 'more than extension_max_days');
SELECT throws_ok(format('SELECT hall.request_extension(%s, 0, %L)', :a, '现场核查'), '22023', NULL, 'zero days');
SELECT throws_ok(format('SELECT hall.request_extension(%s, 3, %L)', :a, ''), '22023', NULL, 'no reason');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok(format('SELECT hall.request_extension(%s, 3, %L)', :a, '现场核查'), '42501', NULL, 'not the holder');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.request_extension(%s, 3, %L)', :a, '需现场核查经营场所'), 'ask for 3 days');
SELECT throws_ok(format('SELECT hall.request_extension(%s, 2, %L)', :a, 'again'), '55000', NULL, 'one request at a time');
RESET SESSION AUTHORIZATION;
SELECT is(audit_count(:a), 3::bigint, 'request: one audit row');
SELECT is((app(:a)).due_date, '2025-10-13'::date, 'asking changes nothing yet');

SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq('SELECT app_id, days, due_date, due_if_granted FROM hall.v_extensions',
	format('VALUES (%s::bigint, 3, %L::date, %L::date)', :a, '2025-10-13', '2025-10-16'), 'the supervisor sees the request and its effect');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok(format('SELECT hall.grant_extension(%s, true, %L)', :a, ''), '42501', NULL, 'a clerk cannot grant');
SET SESSION AUTHORIZATION t_sup_g;
SELECT throws_ok(format('SELECT hall.grant_extension(%s, true, %L)', :a, ''), 'P0002', NULL, 'nor another department''s supervisor');
SET SESSION AUTHORIZATION t_sup_s;
SELECT throws_ok(format('SELECT hall.grant_extension(%s, NULL, %L)', :a, ''), '22023', NULL, 'granted must be given');
SELECT lives_ok(format('SELECT hall.grant_extension(%s, true, %L)', :a, '同意'), 'the supervisor grants it');
SELECT throws_ok(format('SELECT hall.grant_extension(%s, true, %L)', :a, ''), '55000', NULL, 'nothing left to grant');
RESET SESSION AUTHORIZATION;
SELECT is((app(:a)).extension_days, 3, '3 extension days');
SELECT is((app(:a)).due_date, '2025-10-16'::date, 'due Sep 29 + 5 + 3 = Oct 16');
SELECT is((app(:a)).sort_due, '2025-10-16'::date, 'sorted by it');
SELECT is(audit_count(:a), 4::bigint, 'grant: one audit row');
SELECT is((SELECT state FROM hall.extensions WHERE app_id = :a), 'granted', 'the request is granted');
SELECT is((SELECT payload->>'text' FROM hall.outbox WHERE app_id = :a AND event = 'extension_granted'),
	'您申请的「食品经营许可」（办件号 250926-0001）办理时限延长 3 个工作日，办结期限为 2025-10-16。理由：需现场核查经营场所',
	'the applicant is told the new due date');

SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.request_extension(%s, 10, %L)', :a, '再次延期'), 'ask for 10 more');
SET SESSION AUTHORIZATION t_sup_s;
SELECT lives_ok(format('SELECT hall.grant_extension(%s, false, %L)', :a, '不符合延期条件'), 'refused');
RESET SESSION AUTHORIZATION;
SELECT is((app(:a)).extension_days, 3, 'a refusal adds nothing');
SELECT is((SELECT count(*) FROM hall.outbox WHERE app_id = :a), 1::bigint, 'and tells the applicant nothing');
SELECT is((SELECT action FROM hall.audit WHERE app_id = :a ORDER BY id DESC LIMIT 1), 'refuse_extension', 'audited as a refusal');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT matches((SELECT due_explain FROM hall.v_case WHERE id = :a), '延期 3', 'the case screen explains the extension');

SELECT * FROM finish();
ROLLBACK;
