-- Inquiries: deadlines per channel, replies on time or late, transfers
-- (the clock keeps running), notifications to the asker or to 12345.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.ask('hotline', 'SCJG', '{"name": "孙七", "phone": "13700001111"}', '个体户登记', '需要带哪些材料？') AS q1 \gset
SELECT hall.ask('web', 'SCJG', '{"name": "周九", "phone": "13600006666"}', '食品经营许可', E'办理要多久？\n谢谢') AS q2 \gset
SELECT hall.ask('app', 'SCJG', '{"name": "吴十", "phone": "13500005555"}', '居住证', '在哪里办？') AS q3 \gset
SELECT throws_ok($$SELECT hall.ask('fax', 'SCJG', '{"name": "x"}', 's', 'b')$$, '22023', NULL, 'unknown channel');
SELECT throws_ok($$SELECT hall.ask('web', 'NOPE', '{"name": "x"}', 's', 'b')$$, '22023', NULL, 'unknown department');
SELECT throws_ok($$SELECT hall.ask('web', 'SCJG', '{"name": "x"}', 's', '  ')$$, '22023', NULL, 'an empty question');
SELECT throws_ok($$SELECT hall.ask('web', 'SCJG', '[]', 's', 'b')$$, '22023', NULL, 'the asker is an object');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok($$SELECT hall.ask('web', 'SCJG', '{"name": "x"}', 's', 'b')$$, '42501', NULL, 'a clerk does not ask');
RESET SESSION AUTHORIZATION;

SELECT results_eq(format('SELECT ref, due_days, due_date FROM hall.inquiries WHERE id IN (%s, %s, %s) ORDER BY id', :q1, :q2, :q3),
	$$VALUES ('Z250926-0001', 3, '2025-09-30'::date), ('Z250926-0002', 5, '2025-10-10'::date), ('Z250926-0003', 5, '2025-10-10'::date)$$,
	'references, and deadlines per channel: hotline 3 (Sep 30), web and app 5 (Oct 10)');
SELECT is((SELECT body FROM hall.inquiries WHERE id = :q2), E'办理要多久？\n谢谢', 'the text is kept, line breaks too');
SELECT is((SELECT count(*) FROM hall.audit WHERE inquiry_id = :q1), 1::bigint, 'ask: one audit row');

SET hall.fake_now = '2025-09-30 10:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT results_eq('SELECT id, days_left, urgency FROM hall.v_inquiries',
	format('VALUES (%s::bigint, 0, %L), (%s::bigint, 2, %L), (%s::bigint, 2, %L)', :q1, 'warning', :q2, 'ok', :q3, 'ok'),
	'Sep 30: the hotline one is due today (yellow) and listed first');
SELECT is((SELECT phone_masked FROM hall.v_inquiries WHERE id = :q1), '137****1111', 'the asker''s phone is masked');

-- Transfer: the clock keeps running.
SELECT throws_ok(format('SELECT hall.transfer_inquiry(%s, %L, %L)', :q3, 'SCJG', '转'), '22023', NULL, 'a transfer to the same department');
SELECT throws_ok(format('SELECT hall.transfer_inquiry(%s, %L, %L)', :q3, 'NOPE', '转'), '22023', NULL, 'to an unknown department');
SELECT throws_ok(format('SELECT hall.transfer_inquiry(%s, %L, %L)', :q3, 'GA', ''), '22023', NULL, 'without a note');
SELECT lives_ok(format('SELECT hall.transfer_inquiry(%s, %L, %L)', :q3, 'GA', '居住证由公安局办理'), 'clerk A transfers q3 to GA');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT department_code || ' ' || transfer_count || ' ' || due_date FROM hall.inquiries WHERE id = :q3), 'GA 1 2025-10-10',
	'now with GA, transferred once, still due Oct 10');
SELECT is((SELECT count(*) FROM hall.audit WHERE inquiry_id = :q3), 2::bigint, 'transfer: one audit row');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is((SELECT count(*) FROM hall.v_inquiries WHERE id = :q3), 0::bigint, 'clerk A no longer sees it');
SELECT throws_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q3, '请到公安局'), 'P0002', NULL, 'nor may answer it');
SET SESSION AUTHORIZATION t_clerk_g;
SELECT is((SELECT count(*) FROM hall.v_inquiries WHERE id = :q3), 1::bigint, 'GA''s clerk sees it');
SELECT lives_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q3, '请携带身份证到公安局 1 号窗口办理。'), 'and answers it');

-- A late reply to the hotline.
SET hall.fake_now = '2025-10-09 10:00+08';
SET SESSION AUTHORIZATION t_clerk_g;
SELECT throws_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q1, '请到窗口咨询'), 'P0002', NULL, 'another department''s clerk cannot answer');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is((SELECT days_left || ' ' || urgency FROM hall.v_inquiries WHERE id = :q1), '-1 overdue', 'Oct 9: the hotline one is late');
SELECT throws_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q1, '  '), '22023', NULL, 'an empty reply');
SELECT lives_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q1, '需身份证和经营场所证明。'), 'clerk A answers on Oct 9');
SELECT throws_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q1, 'again'), '55000', NULL, 'answering twice');
SELECT throws_ok(format('SELECT hall.transfer_inquiry(%s, %L, %L)', :q1, 'GA', '属公安业务'), '55000', NULL, 'transferring an answered inquiry');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT state || ' ' || answered_by FROM hall.inquiries WHERE id = :q1), 'answered ' || sid('t_clerk_a'), 'answered by clerk A');
SELECT is((SELECT on_time FROM hall.replies WHERE inquiry_id = :q1), false, 'after Sep 30: not on time');
SELECT is((SELECT body FROM hall.replies WHERE inquiry_id = :q1), '需身份证和经营场所证明。', 'the reply is kept in full');
SELECT is((SELECT count(*) FROM hall.audit WHERE inquiry_id = :q1), 2::bigint, 'reply: one audit row');
SELECT is((SELECT recipient || ' ' || event FROM hall.outbox WHERE inquiry_id = :q1), '12345 inquiry_reply', 'a hotline reply goes to 12345');
SELECT is((SELECT payload->>'reply' FROM hall.outbox WHERE inquiry_id = :q1), '需身份证和经营场所证明。', 'with the reply');

-- A reply on time at 23:00: the SMS waits, the 12345 message does not.
SET hall.fake_now = '2025-10-09 11:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.ask('hotline', 'SCJG', '{"name": "郑一", "phone": "13400004444"}', '营业时间', '周六上班吗？') AS q4 \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT ref || ' ' || due_date FROM hall.inquiries WHERE id = :q4), 'Z251009-0001 2025-10-13', 'hotline of Oct 9 due Oct 13');
SET hall.fake_now = '2025-10-09 23:00+08';
SET SESSION AUTHORIZATION t_sup_s;
SELECT lives_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q2, '一般 5 个工作日。'), 'the supervisor answers q2 at 23:00');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q4, '10 月 11 日（周六）正常上班。'), 'clerk A answers q4 at 23:00');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT on_time FROM hall.replies WHERE inquiry_id = :q2), true, 'q2 is on time');
SELECT is((SELECT recipient || ' ' || not_before FROM hall.outbox WHERE inquiry_id = :q2),
	'applicant ' || '2025-10-10 08:00+08'::timestamptz, 'the web asker''s SMS waits for 08:00');
SELECT is((SELECT recipient || ' ' || not_before FROM hall.outbox WHERE inquiry_id = :q4),
	'12345 ' || '2025-10-09 23:00+08'::timestamptz, 'the 12345 message leaves at once');
SELECT is((SELECT payload->>'phone' FROM hall.outbox WHERE inquiry_id = :q2), '13600006666', 'the gateway gets the full phone');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT results_eq(format('SELECT staff_name, body FROM hall.v_inquiry_replies WHERE inquiry_id = %s', :q2),
	$$VALUES ('刘洋', '一般 5 个工作日。')$$, 'who answered and what');
SELECT is((SELECT urgency FROM hall.v_inquiries WHERE id = :q2), 'answered', 'answered ones are not urgent');

SELECT * FROM finish();
ROLLBACK;
