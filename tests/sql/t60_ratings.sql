-- Ratings: one per completed case or answered inquiry, bad ones rectified
-- (verify, rectify, call back), appeals, the follow-up, the clerk's figures.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a1 \gset
SELECT hall.submit('SC002', applicant_json('李四', '230102198502023333', '13822223333'), 'web') AS a2 \gset
SELECT hall.submit('SC002', applicant_json('赵六', '230102199202025678', '13900001111'), 'web') AS a3 \gset
SELECT hall.ask('web', 'SCJG', '{"name": "孙七", "phone": "13700001111"}', '许可', '多久？') AS q1 \gset
SET hall.fake_now = '2025-09-29 09:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L); SELECT hall.reply_inquiry(%s, %L)', :a1, :a1, '', :q1, '5 个工作日'),
	'clerk A completes a1 and answers q1');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :a2, :a2, ''), 'clerk B completes a2');

SET hall.fake_now = '2025-09-30 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT throws_ok(format('SELECT hall.rate(%L, %s, 3, %L)', 'application', :a3, ''), '55000', NULL, 'a case not completed cannot be rated');
SELECT throws_ok(format('SELECT hall.rate(%L, %s, 6, %L)', 'application', :a1, ''), '22023', NULL, 'level 6');
SELECT throws_ok(format('SELECT hall.rate(%L, %s, 0, %L)', 'application', :a1, ''), '22023', NULL, 'level 0');
SELECT throws_ok(format('SELECT hall.rate(%L, %s, 3, %L)', 'window', :a1, ''), '22023', NULL, 'unknown kind');
SELECT throws_ok(format('SELECT hall.rate(%L, 999999, 3, %L)', 'application', ''), 'P0002', NULL, 'unknown case');
SELECT hall.rate('application', :a1, 2, '等了很久，态度冷淡') AS r1 \gset
SELECT hall.rate('application', :a2, 5, '很快') AS r2 \gset
SELECT hall.rate('inquiry', :q1, 4, '清楚') AS r3 \gset
SELECT throws_ok(format('SELECT hall.rate(%L, %s, 5, %L)', 'application', :a2, 'again'), '55000', NULL, 'one rating per case');
SELECT throws_ok(format('SELECT hall.rate(%L, %s, 5, %L)', 'application', :a1, 'changed my mind'), '55000',
	NULL, 'no follow-up while the rectification is open');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok(format('SELECT hall.rate(%L, %s, 5, %L)', 'application', :a1, ''), '42501', NULL, 'a clerk cannot rate');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT staff_id FROM hall.ratings WHERE id = :r1), sid('t_clerk_a'), 'a case''s rating is tied to who completed it');
SELECT is((SELECT staff_id FROM hall.ratings WHERE id = :r3), sid('t_clerk_a'), 'an inquiry''s to who answered it');
SELECT is((SELECT department_code FROM hall.ratings WHERE id = :r2), 'SCJG', 'and to the department');
SELECT is((SELECT callback_due FROM hall.rectifications WHERE rating_id = :r1), '2025-10-09'::date, 'a bad rating: call back by Oct 9');
SELECT is((SELECT rectify_due FROM hall.rectifications WHERE rating_id = :r1), '2025-10-28'::date, 'rectify within 15 working days: Oct 28');
SELECT is((SELECT count(*) FROM hall.rectifications), 1::bigint, 'only the bad rating opens a rectification');
SELECT is((SELECT count(*) FROM hall.audit WHERE rating_id = :r1), 1::bigint, 'rate: one audit row');

-- The clerk's own figures.
SET SESSION AUTHORIZATION t_clerk_a;
SELECT results_eq('SELECT ratings, n5, n4, n3, n2, n1, satisfaction, rectifications_open FROM hall.v_rating_summary',
	$$VALUES (2::bigint, 0::bigint, 1::bigint, 0::bigint, 1::bigint, 0::bigint, 0.5000::numeric, 1::bigint)$$,
	'clerk A: one 4, one 2, satisfaction 50%, one open rectification');
SELECT results_eq('SELECT id FROM hall.v_my_ratings ORDER BY id', format('VALUES (%s::bigint), (%s::bigint)', :r1, :r3), 'its two ratings');
SELECT is((SELECT target FROM hall.v_my_ratings WHERE id = :r1), '250926-0001 食品经营许可', 'with the case they are about');
SELECT is((SELECT count(*) FROM hall.v_rating_weeks), 12::bigint, 'twelve weeks of trend');
SELECT is((SELECT ratings FROM hall.v_rating_weeks WHERE week_start = '2025-09-29'), 2::bigint, 'two in the week of Sep 29');
SELECT is((SELECT iso_week FROM hall.v_rating_weeks WHERE week_start = '2025-09-29'), 40, 'ISO week 40');
SELECT is((SELECT sum(ratings) FROM hall.v_rating_weeks), 2::numeric, 'none in the other weeks');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT results_eq('SELECT ratings, satisfaction FROM hall.v_rating_summary', $$VALUES (1::bigint, 1.0000::numeric)$$,
	'clerk B: one rating, 100%');

-- Rectification.
SET hall.fake_now = '2025-10-09 10:00+08';
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok(format('SELECT hall.rectify(%s, %L, %L)', :r1, 'verify', '核实'), 'P0002', NULL, 'another clerk cannot rectify it');
SET SESSION AUTHORIZATION t_sup_g;
SELECT throws_ok(format('SELECT hall.rectify(%s, %L, %L)', :r1, 'verify', '核实'), 'P0002', NULL, 'nor another department''s supervisor');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok(format('SELECT hall.rectify(%s, %L, %L)', :r1, 'apologise', 'x'), '22023', NULL, 'unknown step');
SELECT throws_ok(format('SELECT hall.rectify(%s, %L, %L)', :r1, 'rectify', '整改'), '55000', NULL, 'rectify before verify');
SELECT throws_ok(format('SELECT hall.rectify(%s, %L, %L)', :r1, 'callback', '回访'), '55000', NULL, 'call back before verify');
SELECT throws_ok(format('SELECT hall.rectify(%s, %L, %L)', :r2, 'verify', '核实'), 'P0002', NULL, 'clerk A cannot touch clerk B''s rating');
SELECT throws_ok(format('SELECT hall.rectify(%s, %L, %L)', :r3, 'verify', '核实'), '55000', NULL, 'a good rating has nothing to rectify');
SELECT throws_ok(format('SELECT hall.rectify(%s, %L, %L)', :r1, 'verify', ''), '22023', NULL, 'a step needs a note');
SELECT lives_ok(format('SELECT hall.rectify(%s, %L, %L)', :r1, 'verify', '属实：当天排队过长'), 'clerk A verifies on Oct 9');
SELECT throws_ok(format('SELECT hall.rectify(%s, %L, %L)', :r1, 'verify', '核实'), '55000', NULL, 'each step once');
SET hall.fake_now = '2025-10-10 10:00+08';
SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq('SELECT id, callback_late, rectify_late FROM hall.v_bad_ratings', format('VALUES (%s::bigint, true, false)', :r1),
	'Oct 10: the supervisor sees the callback late');
SELECT lives_ok(format('SELECT hall.rectify(%s, %L, %L)', :r1, 'callback', '已电话回访，申请人表示理解'), 'the supervisor calls back');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.rectify(%s, %L, %L)', :r1, 'rectify', '增设叫号提醒'), 'clerk A rectifies');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT closed_at FROM hall.rectifications WHERE rating_id = :r1), '2025-10-10 10:00+08'::timestamptz, 'all three done: closed');
SELECT is((SELECT callback_by FROM hall.rectifications WHERE rating_id = :r1), sid('t_sup_s'), 'who called back is kept');
SELECT is((SELECT count(*) FROM hall.audit WHERE rating_id = :r1), 4::bigint, 'each step: one audit row');
SET SESSION AUTHORIZATION t_sup_s;
SELECT is((SELECT count(*) FROM hall.v_bad_ratings), 0::bigint, 'nothing open any more');
SELECT is((SELECT callback_late FROM hall.v_ratings WHERE id = :r1), true, 'the late callback stays on record');

-- The follow-up (追评), once.
SET SESSION AUTHORIZATION t_portal;
SELECT is(hall.rate('application', :a1, 4, '改进了'), :r1::bigint, 'after the rectification the applicant may follow up');
SELECT throws_ok(format('SELECT hall.rate(%L, %s, 5, %L)', 'application', :a1, 'again'), '55000', NULL, 'only once');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT level || '/' || followup_level || ' ' || followup_comment FROM hall.ratings WHERE id = :r1), '2/4 改进了',
	'the first level stays, the follow-up is stored apart');

-- Appeals.
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok(format('SELECT hall.appeal(%s, %L)', :r1, '恶意'), 'P0002', NULL, 'only the rated clerk appeals');
SELECT throws_ok(format('SELECT hall.appeal(%s, %L)', :r2, '恶意'), '55000', NULL, 'a good rating cannot be appealed');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok(format('SELECT hall.appeal(%s, %L)', :r1, ''), '22023', NULL, 'an appeal needs a reason');
SELECT lives_ok(format('SELECT hall.appeal(%s, %L)', :r1, '当天系统故障，非本人原因'), 'clerk A appeals');
SELECT throws_ok(format('SELECT hall.appeal(%s, %L)', :r1, 'again'), '55000', NULL, 'once');
SELECT throws_ok(format('SELECT hall.judge_appeal(%s, true, %L)', :r1, ''), '42501', NULL, 'a clerk cannot judge');
SET SESSION AUTHORIZATION t_sup_g;
SELECT throws_ok(format('SELECT hall.judge_appeal(%s, true, %L)', :r1, ''), 'P0002', NULL, 'nor another department');
SET SESSION AUTHORIZATION t_sup_s;
SELECT throws_ok(format('SELECT hall.judge_appeal(%s, true, %L)', :r2, ''), '55000', NULL, 'no appeal to judge');
SELECT is((SELECT appeals_pending FROM hall.v_rating_summary WHERE login = 't_clerk_a'), 1::bigint, 'the supervisor sees it waiting');
SELECT lives_ok(format('SELECT hall.judge_appeal(%s, true, %L)', :r1, '经核实系统故障'), 'upheld');
SELECT throws_ok(format('SELECT hall.judge_appeal(%s, false, %L)', :r1, ''), '55000', NULL, 'judged once');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT counts FROM hall.ratings WHERE id = :r1), false, 'an upheld appeal no longer counts');
SELECT is((SELECT count(*) FROM hall.audit WHERE rating_id = :r1), 7::bigint, 'rate, 3 steps, follow-up, appeal, judgement: 7 rows');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT results_eq('SELECT ratings, n2, satisfaction, not_counting FROM hall.v_rating_summary',
	$$VALUES (1::bigint, 0::bigint, 1.0000::numeric, 1::bigint)$$, 'clerk A: the bad rating left the figures');
SELECT is((SELECT ratings FROM hall.v_rating_weeks WHERE week_start = '2025-09-29'), 1::bigint, 'and the trend');
SELECT is((SELECT appeal_state FROM hall.v_my_ratings WHERE id = :r1), 'upheld', 'the clerk sees the outcome');

SELECT * FROM finish();
ROLLBACK;
