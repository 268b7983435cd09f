-- Return for correction: the one-time notice, the paused clock across a
-- return and a resubmission, breaches of the notice, stale screens, and the
-- outbox (quiet hours).
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a \gset
SET hall.fake_now = '2025-09-29 09:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s)', :a), 'clerk A claims on Sep 29 (due Oct 13)');

-- ------------------------------------------------------ first return
SET hall.fake_now = '2025-09-30 15:00+08';
SELECT throws_ok(format('SELECT hall.return_for_correction(%s, %L, %L)', :a, '{}', ' '), '22023', NULL,
	'a return names a material or a defect');
SELECT throws_ok(format('SELECT hall.return_for_correction(%s, ARRAY[%s], %L)', :a, mat('SC001', '经营场所证明'), ''), '22023',
	NULL, 'a material of another item is refused');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok(format('SELECT hall.return_for_correction(%s, ARRAY[%s], %L)', :a, mat('SC002', '申请书'), ''), '42501',
	NULL, 'another clerk of the window cannot return clerk A''s case');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.return_for_correction(%s, ARRAY[%s, %s], %L)', :a,
	mat('SC002', '申请书'), mat('SC002', '营业执照'), '申请书缺少法定代表人签字'), 'clerk A returns it on Sep 30');
RESET SESSION AUTHORIZATION;
SELECT is((app(:a)).state, 'returned', 'returned');
SELECT is((app(:a)).returned_on, '2025-09-30'::date, 'on Sep 30');
SELECT is((app(:a)).sort_due, 'infinity'::date, 'the clock is paused: off the top of the queue');
SELECT is((app(:a)).return_count, 1, 'first return');
SELECT is(audit_count(:a), 3::bigint, 'return: one audit row');
SELECT is((SELECT notice FROM hall.returns WHERE app_id = :a AND seq = 1),
	E'一次性告知：您申请的「食品经营许可」（办件号 250926-0001）需补正以下全部内容：\n'
	'1. 营业执照\n'
	'2. 申请书\n'
	'3. 其他问题：申请书缺少法定代表人签字\n'
	'请于 2025-11-04 前（20 个工作日内）一次性补齐，到市政务服务中心市场监管 1 号窗口（市政务服务中心一楼）办理，或在网上重新提交；'
	'咨询电话 12345。补正期间办理时限暂停计算。',
	'the notice lists every material and the defects, by when (20 working days over National Day) and where to bring them');
SELECT is((SELECT breach FROM hall.returns WHERE app_id = :a AND seq = 1), false, 'a first return is no breach');
SELECT results_eq(format('SELECT m.name, am.status FROM hall.application_materials am JOIN hall.materials m ON m.id = am.material_id WHERE am.app_id = %s ORDER BY m.ord', :a),
	$$VALUES ('身份证', 'submitted'), ('营业执照', 'missing'), ('申请书', 'missing')$$, 'the named materials are missing');
SELECT is((SELECT count(*) FROM hall.outbox WHERE app_id = :a), 1::bigint, 'one message queued');
SELECT is((SELECT payload->>'notice' FROM hall.outbox WHERE app_id = :a), (SELECT notice FROM hall.returns WHERE app_id = :a),
	'the message carries the full notice');
SELECT is((SELECT payload->'materials' FROM hall.outbox WHERE app_id = :a), '["营业执照", "申请书"]'::jsonb, 'and the materials');
SELECT is((SELECT payload->>'phone' FROM hall.outbox WHERE app_id = :a), '13812345678', 'to the full phone number');
SELECT is((SELECT event || '/' || recipient FROM hall.outbox WHERE app_id = :a), 'returned/applicant', 'event returned, to the applicant');

SET SESSION AUTHORIZATION t_clerk_a;
SELECT is((SELECT urgency FROM hall.v_queue WHERE id = :a), 'paused', 'the queue shows it paused');
SELECT is((SELECT days_left FROM hall.v_queue WHERE id = :a), NULL::int, 'with no days left to count');
SELECT matches((SELECT due_explain FROM hall.v_case WHERE id = :a), '自 2025-09-30 退回补正，暂停计时', 'the case screen says why');
SELECT is((SELECT material_names FROM hall.v_case_returns WHERE app_id = :a), ARRAY['营业执照', '申请书'], 'v_case_returns names them');

-- A stale screen: clerk B still shows the case in review.
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok(format('SELECT hall.approve(%s, %L)', :a, ''), '55000',
	'case 250926-0001 is returned, not in review: it may have changed since your screen was drawn',
	'approving a case another clerk already returned');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok(format('SELECT hall.escalate(%s, %L)', :a, '需要上级'), '55000', NULL, 'escalating a returned case');
SELECT throws_ok(format('SELECT hall.return_for_correction(%s, ARRAY[%s], %L)', :a, mat('SC002', '身份证'), ''), '55000',
	NULL, 'returning twice without a resubmission');
SELECT throws_ok(format('SELECT hall.claim(%s)', :a), '55000', NULL, 'claiming a returned case');
SELECT is(audit_count(:a), 3::bigint, 'refusals write nothing');

-- ------------------------------------------------------------ resubmit
SET hall.fake_now = '2025-10-10 15:00+08';
SELECT throws_ok(format('SELECT hall.resubmit(%s, ARRAY[%s])', :a, mat('SC002', '营业执照')), '42501', NULL, 'a clerk cannot resubmit');
SET SESSION AUTHORIZATION t_portal;
SELECT throws_ok(format('SELECT hall.resubmit(%s, ARRAY[%s])', :a, mat('GA001', '居住证明')), '22023', NULL, 'a material of another item');
SELECT lives_ok(format('SELECT hall.resubmit(%s, ARRAY[%s])', :a, mat('SC002', '营业执照')), 'the applicant resubmits on Fri Oct 10');
SELECT throws_ok(format('SELECT hall.resubmit(%s, ARRAY[%s])', :a, mat('SC002', '营业执照')), '55000', NULL, 'resubmitting twice');
RESET SESSION AUTHORIZATION;
SELECT is((app(:a)).state, 'submitted', 'back in the queue');
SELECT is((app(:a)).claimed_by, NULL::int, 'unclaimed');
SELECT is((app(:a)).paused_days, 2, 'paused Oct 9 and Oct 10: 2 working days');
SELECT is((app(:a)).clock_start, '2025-09-29'::date, 'the clock start is kept');
SELECT is((app(:a)).due_date, '2025-10-15'::date, 'due Sep 29 + 5 + 2 = Oct 15');
SELECT is((app(:a)).sort_due, '2025-10-15'::date, 'and sorts by it');
SELECT is((app(:a)).returned_on, NULL::date, 'no longer returned');
SELECT is(audit_count(:a), 4::bigint, 'resubmit: one audit row');
SELECT is((SELECT resubmitted_at FROM hall.returns WHERE app_id = :a AND seq = 1), '2025-10-10 15:00+08'::timestamptz, 'the return is closed');
SELECT is((SELECT resubmitted_ids FROM hall.returns WHERE app_id = :a AND seq = 1), ARRAY[mat('SC002', '营业执照')], 'with what came back');
SELECT is((SELECT status FROM hall.application_materials WHERE app_id = :a AND material_id = mat('SC002', '营业执照')),
	'resubmitted', 'the material is resubmitted');

-- ------------------------------------- second return: the one-time notice
SET hall.fake_now = '2025-10-13 09:00+08';
SET SESSION AUTHORIZATION t_clerk_b;
SELECT lives_ok(format('SELECT hall.claim(%s)', :a), 'clerk B claims it on Oct 13');
RESET SESSION AUTHORIZATION;
SELECT is((app(:a)).accepted_on, '2025-09-29'::date, 'accepted once: the acceptance date stays');
SELECT is((app(:a)).due_date, '2025-10-15'::date, 'and the due date too');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok(format('SELECT hall.return_for_correction(%s, ARRAY[%s, %s], %L)', :a,
	mat('SC002', '营业执照'), mat('SC002', '身份证'), '身份证过期'), '55000',
	'case 250926-0001: 身份证 not resubmitted since the previous return; naming them now breaks the one-time notice and needs a breach reason',
	'naming a material that was not resubmitted is refused');
SELECT throws_ok(format('SELECT hall.return_for_correction(%s, ARRAY[%s], %L, %L)', :a, mat('SC002', '身份证'), '', '  '), '55000',
	NULL, 'a blank reason is no reason');
SET hall.fake_now = '2025-10-13 23:00+08';
SELECT lives_ok(format('SELECT hall.return_for_correction(%s, ARRAY[%s], %L)', :a, mat('SC002', '营业执照'), '营业执照复印件不清晰'),
	'naming only the resubmitted material is allowed (at 23:00)');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT breach FROM hall.returns WHERE app_id = :a AND seq = 2), false, 'and is no breach');
SELECT is((app(:a)).return_count, 2, 'second return');
SELECT is(audit_count(:a), 6::bigint, 'claim + return: two audit rows');
SELECT is((SELECT not_before FROM hall.outbox WHERE app_id = :a AND payload->>'seq' = '2'), '2025-10-14 08:00+08'::timestamptz,
	'a notice queued at 23:00 waits for 08:00 next morning');
SELECT is((SELECT created_at FROM hall.outbox WHERE app_id = :a AND payload->>'seq' = '2'), '2025-10-13 23:00+08'::timestamptz,
	'though created at 23:00');

SET hall.fake_now = '2025-10-14 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT lives_ok(format('SELECT hall.resubmit(%s, ARRAY[%s, %s])', :a, mat('SC002', '营业执照'), mat('SC002', '申请书')),
	'resubmitted on Oct 14');
RESET SESSION AUTHORIZATION;
SELECT is((app(:a)).paused_days, 3, 'one more paused working day (Oct 14)');
SELECT is((app(:a)).due_date, '2025-10-16'::date, 'due Sep 29 + 5 + 3 = Oct 16');

SET hall.fake_now = '2025-10-16 07:30+08';
SET SESSION AUTHORIZATION t_clerk_b;
SELECT lives_ok(format('SELECT hall.claim(%s)', :a), 'clerk B claims it again');
SELECT lives_ok(format('SELECT hall.return_for_correction(%s, ARRAY[%s, %s], %L, %L)', :a,
	mat('SC002', '申请书'), mat('SC002', '身份证'), '', '申请人当场出示的身份证已过期，首次未发现'),
	'naming a new material with a reason is allowed, at 07:30');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT breach FROM hall.returns WHERE app_id = :a AND seq = 3), true, 'and recorded as a breach');
SELECT is((SELECT breach_reason FROM hall.returns WHERE app_id = :a AND seq = 3), '申请人当场出示的身份证已过期，首次未发现', 'with its reason');
SELECT is((SELECT details->>'breach' FROM hall.audit WHERE app_id = :a AND action = 'return' ORDER BY id DESC LIMIT 1), 'true',
	'the audit row says so');
SELECT is((SELECT not_before FROM hall.outbox WHERE app_id = :a AND payload->>'seq' = '3'), '2025-10-16 08:00+08'::timestamptz,
	'a notice queued at 07:30 waits for 08:00 the same day');
SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq('SELECT login, returns, breaches FROM hall.v_breaches ORDER BY login',
	$$VALUES ('t_clerk_a'::name, 1::bigint, 0::bigint), ('t_clerk_b'::name, 2::bigint, 1::bigint)$$,
	'the supervisor counts the breach against clerk B');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok('SELECT * FROM hall.v_breaches', '42501', NULL, 'clerks do not read the breach report');

-- -------------------------------------------------------- quiet hours
RESET SESSION AUTHORIZATION;
SELECT is(hall.release_time('applicant', '2025-10-01 21:00+08'), '2025-10-02 08:00+08'::timestamptz, '21:00 is quiet');
SELECT is(hall.release_time('applicant', '2025-10-01 20:59+08'), '2025-10-01 20:59+08'::timestamptz, '20:59 is not');
SELECT is(hall.release_time('applicant', '2025-10-02 00:30+08'), '2025-10-02 08:00+08'::timestamptz, 'after midnight: 08:00 that day');
SELECT is(hall.release_time('applicant', '2025-10-02 08:00+08'), '2025-10-02 08:00+08'::timestamptz, '08:00 goes out');
SELECT is(hall.release_time('12345', '2025-10-01 23:00+08'), '2025-10-01 23:00+08'::timestamptz, 'the 12345 system is never held');
UPDATE hall.settings SET value = '12:00' WHERE key = 'quiet_start';
UPDATE hall.settings SET value = '14:00' WHERE key = 'quiet_end';
SELECT is(hall.release_time('applicant', '2025-10-01 13:00+08'), '2025-10-01 14:00+08'::timestamptz, 'a quiet window that does not wrap');
SELECT is(hall.release_time('applicant', '2025-10-01 23:00+08'), '2025-10-01 23:00+08'::timestamptz, 'outside it nothing waits');

SELECT * FROM finish();
ROLLBACK;
