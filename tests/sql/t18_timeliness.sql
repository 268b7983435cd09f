-- Timeliness for a period (schema/015_timeliness.sql, doc/timeliness.md):
-- a small hall built with the real functions, as the real roles, with the
-- clock moved; every figure compared with the answer worked out by hand
-- below.  Period P = Mon 2025-09-22 .. Sun 2025-10-12, read on NOW = Mon
-- 2025-10-13 10:00.
--
-- Working days (002): Sep 15-19, 22-26, Sun 28 (make-up), 29, 30, Oct 9,
-- 10, Sat 11 (make-up), 13, 14, 15 ...; Oct 1-8 National Day.  Hours
-- 09:00-12:00 and 13:00-17:00 (a make-up day: Monday's).
--
-- SCJG: windows A01 (clerks a, b; items SC001, SC002) and A02 (clerk c;
-- SC001); GA: B01 (clerk g).  Cases (promised 5 working days; GA001 3):
--
--  case  item  window  received   accept_due  accepted (by)  due     closed               P?
--  C0    SC002 A01     Mon Sep 8  Sep 15      Sep 16 (a) late Sep 15 Sep 19 a, late       no (closed before P; miss on Sep 15)
--  C1    SC002 A01     Mon Sep 15 Sep 22      Sep 16 (a)     Sep 23  Sep 22 a: early      yes
--  C2    SC002 A01     Wed Sep 17 Sep 24      Sep 17 (a)     Sep 24  Sep 24 a: on the day yes
--  C3    SC002 A01     Thu Sep 18 Sep 25      Sep 18 (b)     Sep 25  Sep 26 b: LATE       yes
--  C4    SC002 A01     Mon Sep 22 Sep 28      Sep 29 (b) LATE Sep 28 open, held by b: OVERDUE
--  C5    SC001 A02     Wed Sep 24 Sep 30      never: MISS            open, unclaimed: OVERDUE (acceptance)
--  C6    SC002 A01     Thu Sep 25 Oct 9       Sep 25 (a)     Oct 11  returned twice (paused Sep 26-29: 2 working days), the second a BREACH (a, Sep 29)
--  C7    SC001 A02     Mon Sep 29 Oct 13      Sep 29 (c)     Oct 13  Oct 10 c: early
--  C8    SC002 A01     Mon Sep 29 Oct 13      Sep 29 (a)     Oct 13  escalated; Oct 9 the supervisor approves: early
--  C9    SC002 A01     Tue Sep 30 Oct 14      Sep 30 (a)     Oct 14  open, held by a: DUE SOON (Oct 14 < Oct 15)
--  C12   SC002 A01     Tue Sep 23 Sep 29      never: MISS            withdrawn Oct 9 (after its deadline)
--  C13   SC002 A01     Tue Sep 23 Sep 29      never                  withdrawn Sep 24 (in time: no miss)
--  C10   GA001 B01     Mon Sep 22 Sep 28      Sep 22 (g)     Sep 25  Sep 26 g: LATE (GA)
--
-- Inquiries (web 5 working days, hotline 3), reply time in working hours:
--
--  inq  dept  channel  received          due     answered (by)        working time                              on time
--  Q10  SCJG  web      Thu Sep 18 10:00  Sep 25  Fri Sep 19 16:10 (a) (before P)
--  Q3   SCJG  hotline  Mon Sep 22 11:30  Sep 25  Fri Sep 26 12:30 (a) .5+4 Mon, 3x7 Tue-Thu, 3 Fri (12:00-12:30 lunch) = 28.5 h   late
--  Q1   SCJG  web      Fri Sep 26 16:00  Oct 10  Mon Sep 29 09:30 (a) 1 Fri, 0 Sat, 7 make-up Sun, .5 Mon = 8.5 h         yes
--  Q4   SCJG  web      Mon Sep 29 10:00  Oct 13  Mon Sep 29 11:15 (b) 1.25 h (shown 1.3)                                 yes
--  Q2   SCJG  hotline  Tue Sep 30 11:00  Oct 11  Thu Oct 9 14:00 (a)  1+4 Tue, 0 Oct 1-8, 3+1 Thu = 9 h                 yes
--  Q5   SCJG  web      Thu Oct 9 16:30   Oct 15  Sat Oct 11 09:10 (supervisor) .5 Thu, 7 Fri, 1/6 make-up Sat = 7 h 40 min yes
--  Q6   SCJG  hotline  Wed Oct 8 10:00   Oct 11  open: OVERDUE
--  Q7   SCJG  hotline  Fri Oct 10 10:00  Oct 14  open: DUE SOON
--  Q8   SCJG  web      Fri Oct 10 10:00  Oct 16  open: neither
--  Q9   GA    web      Fri Sep 26 16:00  Oct 10  Sun Sep 28 10:00 (g) 1 Fri, 1 make-up Sun = 2 h                         yes
--
-- Ratings: R6 C0 level 1 on Sep 19 (before P); R1 C2 level 2 Sep 25 (a;
-- verified, rectified, called back: closed); R2 C3 level 1 Sep 26 (b;
-- open); R5 C10 level 1 (GA, g); R3 Q1 level 5 (not bad); R4 C7 level 2
-- Oct 10 (c), appeal upheld: no longer counts.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

-- SQLSTATE and HINT of a statement that should be refused, or 'ok'.

-- ------------------------------------------------------------ the hall's month
SET hall.fake_now = '2025-09-08 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('甲', '230102199001010001', '13800000001'), 'web') AS c0 \gset

SET hall.fake_now = '2025-09-15 10:00+08';
SELECT hall.submit('SC002', applicant_json('乙', '230102199001010002', '13800000002'), 'web') AS c1 \gset

SET hall.fake_now = '2025-09-16 09:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.claim(:c0);   -- after its acceptance deadline (Sep 15): counts from receipt, due Sep 15
SELECT hall.claim(:c1);

SET hall.fake_now = '2025-09-17 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('丙', '230102199001010003', '13800000003'), 'web') AS c2 \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.claim(:c2);

SET hall.fake_now = '2025-09-18 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('丁', '230102199001010004', '13800000004'), 'web') AS c3 \gset
SELECT hall.ask('web', 'SCJG', '{"name": "问十"}', '营业时间', '周末办公吗？') AS q10 \gset
SET SESSION AUTHORIZATION t_clerk_b;
SELECT hall.claim(:c3);

SET hall.fake_now = '2025-09-19 16:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.approve(:c0, '');
SET hall.fake_now = '2025-09-19 16:10+08';
SELECT hall.reply_inquiry(:q10, '周末不办公，调休日照常。');
SET hall.fake_now = '2025-09-19 17:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.rate('application', :c0, 1, '太慢') AS r6 \gset

SET hall.fake_now = '2025-09-22 09:00+08';
SELECT hall.submit('SC002', applicant_json('戊', '230102199001010005', '13800000005'), 'web') AS c4 \gset
SELECT hall.submit('GA001', applicant_json('己', '230102199001010006', '13800000006'), 'web') AS c10 \gset
SET hall.fake_now = '2025-09-22 09:30+08';
SET SESSION AUTHORIZATION t_clerk_g;
SELECT hall.claim(:c10);
SET hall.fake_now = '2025-09-22 10:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.approve(:c1, '');
SET hall.fake_now = '2025-09-22 11:30+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.ask('hotline', 'SCJG', '{"name": "问三"}', '个体户', '需要什么材料？') AS q3 \gset

SET hall.fake_now = '2025-09-23 10:00+08';
SELECT hall.submit('SC002', applicant_json('庚', '230102199001010007', '13800000007'), 'web') AS c12 \gset
SELECT hall.submit('SC002', applicant_json('辛', '230102199001010008', '13800000008'), 'web') AS c13 \gset

SET hall.fake_now = '2025-09-24 10:00+08';
SELECT hall.submit('SC001', applicant_json('壬', '230102199001010009', '13800000009'), 'web') AS c5 \gset
SET hall.fake_now = '2025-09-24 11:00+08';
SELECT hall.withdraw(:c13);
SET hall.fake_now = '2025-09-24 15:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.approve(:c2, '');

SET hall.fake_now = '2025-09-25 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('癸', '230102199001010010', '13800000010'), 'web') AS c6 \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.claim(:c6);
SET hall.fake_now = '2025-09-25 11:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.rate('application', :c2, 2, '态度一般') AS r1 \gset
SET hall.fake_now = '2025-09-25 14:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.rectify(:r1, 'verify', '已核实情况');
SET hall.fake_now = '2025-09-25 15:00+08';
SELECT hall.rectify(:r1, 'rectify', '已整改到位');

SET hall.fake_now = '2025-09-26 09:00+08';
SELECT hall.return_for_correction(:c6, ARRAY[mat('SC002', '营业执照')], '');
SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_clerk_b;
SELECT hall.approve(:c3, '');
SET SESSION AUTHORIZATION t_clerk_g;
SELECT hall.approve(:c10, '');
SET hall.fake_now = '2025-09-26 11:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.rate('application', :c3, 1, '超期了') AS r2 \gset
SELECT hall.rate('application', :c10, 1, '超期了') AS r5 \gset
SET hall.fake_now = '2025-09-26 12:30+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.reply_inquiry(:q3, '身份证和经营场所证明。');
SET hall.fake_now = '2025-09-26 16:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.ask('web', 'SCJG', '{"name": "问一"}', '食品经营许可', '要多久？') AS q1 \gset
SELECT hall.ask('web', 'GA', '{"name": "问九"}', '居住证', '在哪里办？') AS q9 \gset
SET hall.fake_now = '2025-09-26 16:30+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.rectify(:r1, 'callback', '已回访，满意');

SET hall.fake_now = '2025-09-28 10:00+08';   -- the make-up Sunday
SET SESSION AUTHORIZATION t_clerk_g;
SELECT hall.reply_inquiry(:q9, '请到公安 1 号窗口。');

SET hall.fake_now = '2025-09-29 09:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.resubmit(:c6, ARRAY[mat('SC002', '营业执照')]);
SELECT hall.submit('SC001', applicant_json('子', '230102199001010011', '13800000011'), 'web') AS c7 \gset
SELECT hall.submit('SC002', applicant_json('丑', '230102199001010012', '13800000012'), 'web') AS c8 \gset
SET SESSION AUTHORIZATION t_clerk_b;
SELECT hall.claim(:c4);   -- a day after its acceptance deadline (Sep 28)
SET hall.fake_now = '2025-09-29 09:30+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.reply_inquiry(:q1, '五个工作日。');
SELECT hall.claim(:c8);
SELECT hall.claim(:c6);
SET SESSION AUTHORIZATION t_clerk_c;
SELECT hall.claim(:c7);
SET hall.fake_now = '2025-09-29 10:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.return_for_correction(:c6, ARRAY[mat('SC002', '申请书')], '', '申请书此前未发现问题');
SET SESSION AUTHORIZATION t_portal;
SELECT hall.ask('web', 'SCJG', '{"name": "问四"}', '名称核准', '可以网上办吗？') AS q4 \gset
SET hall.fake_now = '2025-09-29 11:15+08';
SET SESSION AUTHORIZATION t_clerk_b;
SELECT hall.reply_inquiry(:q4, '可以。');

SET hall.fake_now = '2025-09-30 09:30+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('寅', '230102199001010013', '13800000013'), 'web') AS c9 \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.claim(:c9);
SET hall.fake_now = '2025-09-30 10:00+08';
SELECT hall.escalate(:c8, '需科长决定');
SET hall.fake_now = '2025-09-30 11:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.ask('hotline', 'SCJG', '{"name": "问二"}', '许可证', '能加急吗？') AS q2 \gset

SET hall.fake_now = '2025-10-08 10:00+08';   -- still the holiday
SELECT hall.ask('hotline', 'SCJG', '{"name": "问六"}', '变更', '怎么变更地址？') AS q6 \gset

SET hall.fake_now = '2025-10-09 10:00+08';
SELECT hall.withdraw(:c12);
SET hall.fake_now = '2025-10-09 11:00+08';
SET SESSION AUTHORIZATION t_sup_s;
SELECT hall.decide(:c8, 'approve', '同意');
SET hall.fake_now = '2025-10-09 14:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.reply_inquiry(:q2, '不能加急。');
SET hall.fake_now = '2025-10-09 16:30+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.ask('web', 'SCJG', '{"name": "问五"}', '注销', '怎么注销？') AS q5 \gset

SET hall.fake_now = '2025-10-10 10:00+08';
SET SESSION AUTHORIZATION t_clerk_c;
SELECT hall.approve(:c7, '');
SET SESSION AUTHORIZATION t_portal;
SELECT hall.ask('hotline', 'SCJG', '{"name": "问七"}', '年报', '年报截止日期？') AS q7 \gset
SELECT hall.ask('web', 'SCJG', '{"name": "问八"}', '年报', '年报在哪里填？') AS q8 \gset
SET hall.fake_now = '2025-10-10 15:00+08';
SELECT hall.rate('application', :c7, 2, '不满意') AS r4 \gset
SELECT hall.rate('inquiry', :q1, 5, '') AS r3 \gset
SET hall.fake_now = '2025-10-10 15:30+08';
SET SESSION AUTHORIZATION t_clerk_c;
SELECT hall.appeal(:r4, '评价对象错误');
SET hall.fake_now = '2025-10-10 16:00+08';
SET SESSION AUTHORIZATION t_sup_s;
SELECT hall.judge_appeal(:r4, true, '属实');

SET hall.fake_now = '2025-10-11 09:10+08';   -- the make-up Saturday
SELECT hall.reply_inquiry(:q5, '网上办理。');

RESET SESSION AUTHORIZATION;
SET hall.fake_now = '2025-10-13 10:00+08';   -- NOW

-- The fixture is what the table above says.
SELECT results_eq(format($$SELECT case_no, window_code, state, accept_due, accepted_on, due_date, closed_by
                           FROM hall.applications WHERE id IN (%s) ORDER BY id$$,
                         array_to_string(ARRAY[:c0, :c1, :c2, :c3, :c4, :c10, :c12, :c13, :c5, :c6, :c7, :c8, :c9], ',')),
	format($$VALUES ('250908-0001', 'A01', 'completed', '2025-09-15'::date, '2025-09-16'::date, '2025-09-15'::date, %1$s),
	                ('250915-0001', 'A01', 'completed', '2025-09-22', '2025-09-16', '2025-09-23', %1$s),
	                ('250917-0001', 'A01', 'completed', '2025-09-24', '2025-09-17', '2025-09-24', %1$s),
	                ('250918-0001', 'A01', 'completed', '2025-09-25', '2025-09-18', '2025-09-25', %2$s),
	                ('250922-0001', 'A01', 'in_review', '2025-09-28', '2025-09-29', '2025-09-28', NULL),
	                ('250922-0002', 'B01', 'completed', '2025-09-28', '2025-09-22', '2025-09-25', %4$s),
	                ('250923-0001', 'A01', 'withdrawn', '2025-09-29', NULL, NULL, NULL),
	                ('250923-0002', 'A01', 'withdrawn', '2025-09-29', NULL, NULL, NULL),
	                ('250924-0001', 'A02', 'submitted', '2025-09-30', NULL, NULL, NULL),
	                ('250925-0001', 'A01', 'returned', '2025-10-09', '2025-09-25', '2025-10-11', NULL),
	                ('250929-0001', 'A02', 'completed', '2025-10-13', '2025-09-29', '2025-10-13', %3$s),
	                ('250929-0002', 'A01', 'completed', '2025-10-13', '2025-09-29', '2025-10-13', %5$s),
	                ('250930-0001', 'A01', 'in_review', '2025-10-14', '2025-09-30', '2025-10-14', NULL)$$,
	       sid('t_clerk_a'), sid('t_clerk_b'), sid('t_clerk_c'), sid('t_clerk_g'), sid('t_sup_s')),
	'the cases: windows, states, acceptance deadlines, acceptance, due dates, who closed them');
SELECT results_eq(format($$SELECT id, due_date, state, answered_by, on_time FROM hall.v_inquiries WHERE id IN (%s) ORDER BY id$$,
                         array_to_string(ARRAY[:q10, :q3, :q1, :q9, :q4, :q2, :q6, :q5, :q7, :q8], ',')),
	format($$VALUES (%s::bigint, '2025-09-25'::date, 'answered', %s, true), (%s, '2025-09-25', 'answered', %s, false),
	                (%s, '2025-10-10', 'answered', %s, true), (%s, '2025-10-10', 'answered', %s, true),
	                (%s, '2025-10-13', 'answered', %s, true), (%s, '2025-10-11', 'answered', %s, true),
	                (%s, '2025-10-11', 'open', NULL, NULL), (%s, '2025-10-15', 'answered', %s, true),
	                (%s, '2025-10-14', 'open', NULL, NULL), (%s, '2025-10-16', 'open', NULL, NULL)$$,
	       :q10, sid('t_clerk_a'), :q3, sid('t_clerk_a'), :q1, sid('t_clerk_a'), :q9, sid('t_clerk_g'),
	       :q4, sid('t_clerk_b'), :q2, sid('t_clerk_a'), :q6, :q5, sid('t_sup_s'), :q7, :q8),
	'the inquiries: due dates, who answered, on time');
SELECT results_eq(format($$SELECT seq, breach FROM hall.returns WHERE app_id = %s ORDER BY seq$$, :c6),
	$$VALUES (1, false), (2, true)$$, 'C6: the second return broke the one-time notice');
SELECT results_eq(format($$SELECT r.id, r.level, r.counts, x.closed_at IS NOT NULL FROM hall.ratings r
                           LEFT JOIN hall.rectifications x ON x.rating_id = r.id WHERE r.level <= 2 ORDER BY r.id$$),
	format($$VALUES (%s::bigint, 1, true, false), (%s, 2, true, true), (%s, 1, true, false), (%s, 1, true, false),
	                (%s, 2, false, false)$$, :r6, :r1, :r2, :r5, :r4),
	'the bad ratings: R1 rectified, R4''s appeal upheld');

-- The reply times, one by one, in working seconds.
SELECT results_eq(format($$SELECT id, hall.working_seconds(received_at, answered_at) FROM hall.inquiries
                           WHERE id IN (%s) ORDER BY id$$, array_to_string(ARRAY[:q3, :q1, :q9, :q4, :q2, :q5], ',')),
	format($$VALUES (%s::bigint, 102600::bigint), (%s, 30600), (%s, 7200), (%s, 4500), (%s, 32400), (%s, 27600)$$,
	       :q3, :q1, :q9, :q4, :q2, :q5),
	'reply times: Q3 28.5 h (lunch, nights), Q1 8.5 h (weekend, make-up Sunday), Q9 2 h, Q4 1.25 h, Q2 9 h (National Day), Q5 7 h 40 min (make-up Saturday)');

-- --------------------------------------------------------- the supervisor
SET SESSION AUTHORIZATION t_sup_s;

-- Per clerk.  Completed in P:
--   a: C1 (Sep 22 < due Sep 23: early), C2 (Sep 24 = due: on time, not early)
--      -> 2, on time 2, late 0, 100 %, early 1, 50 %     (C0 closed Sep 19: before P)
--   b: C3 (Sep 26 > due Sep 25: late) -> 1, 0, 1, 0 %, early 0, 0 %
--   c: C7 (Oct 10 < Oct 13: early) -> 1, 1, 0, 100 %, 1, 100 %
--   (C8 was approved by the supervisor: in no clerk's row.)
SELECT results_eq($$SELECT login, completed, on_time, late, on_time_rate, early, early_rate
                    FROM hall.timeliness_clerks('2025-09-22', '2025-10-12')$$,
	$$VALUES ('t_clerk_a'::text, 2::bigint, 2::bigint, 0::bigint, 1.0000::numeric, 1::bigint, 0.5000::numeric),
	         ('t_clerk_b', 1, 0, 1, 0.0000, 0, 0.0000),
	         ('t_clerk_c', 1, 1, 0, 1.0000, 1, 1.0000)$$,
	'per clerk: completed, on time, late (超期办结), on-time rate, early, early-finish rate (提前办结率)');
-- Acceptance misses: C4's deadline Sep 28 passed, accepted Sep 29 by b; C5
-- (A02) and C12 (A01, withdrawn Oct 9) never accepted: nobody's.  C0's
-- miss was on Sep 15, before P; C13 was withdrawn in time.
-- Inquiries: a answered Q3 (28.5 h, late), Q1 (8.5 h), Q2 (9 h) -> 3, 2
-- on time, 66.67 %, median 9.0 h, 90th percentile 9 + 0.8 x (28.5 - 9) =
-- 24.6 h; b answered Q4 (1.25 h) -> 1, 1, 100 %, 1.3 h; c none (NULL).
SELECT results_eq($$SELECT login, accept_missed, answered, answered_on_time, answer_on_time_rate,
                           reply_hours_median, reply_hours_p90
                    FROM hall.timeliness_clerks('2025-09-22', '2025-10-12')$$,
	$$VALUES ('t_clerk_a'::text, 0::bigint, 3::bigint, 2::bigint, 0.6667::numeric, 9.0::numeric, 24.6::numeric),
	         ('t_clerk_b', 1, 1, 1, 1.0000, 1.3, 1.3),
	         ('t_clerk_c', 0, 0, 0, NULL, NULL, NULL)$$,
	'per clerk: acceptance misses, inquiries answered, on time, rate, median and 90th percentile in working hours');
-- Now (Oct 13): a holds C9, due Oct 14 (due soon: before Oct 15, two
-- working days on); b holds C4, due Sep 28 (overdue).  Inquiries are held
-- by nobody: NULL.  Breaches: a's second return of C6.  Bad ratings in P:
-- a R1 (rectified), b R2 (open); c's R4 no longer counts; R6 was before P.
SELECT results_eq($$SELECT login, overdue_cases, due_soon_cases, overdue_inquiries, due_soon_inquiries,
                           breaches, bad_ratings, bad_rectified, active
                    FROM hall.timeliness_clerks('2025-09-22', '2025-10-12')$$,
	$$VALUES ('t_clerk_a'::text, 0::bigint, 1::bigint, NULL::bigint, NULL::bigint, 1::bigint, 1::bigint, 1::bigint, true),
	         ('t_clerk_b', 1, 0, NULL, NULL, 0, 1, 0, true),
	         ('t_clerk_c', 0, 0, NULL, NULL, 0, 0, 0, true)$$,
	'per clerk: open cases overdue and due soon held now, breaches, bad ratings and those rectified');

-- Per window.  A01 completed C1, C2, C3 and C8 (the supervisor's, Oct 9 <
-- Oct 13: early) -> 4, on time 3, late 1, 75 %, early 2 (C1, C8), 50 %;
-- misses C4, C12 -> 2; overdue C4, due soon C9; breach 1; bad R1, R2 (R1
-- rectified).  A02: C7 -> 1, 1, 0, 100 %, 1, 100 %; miss C5; C5 overdue
-- (its acceptance deadline); bad none (R4 does not count).
SELECT results_eq($$SELECT window_code, completed, on_time, late, on_time_rate, early, early_rate, accept_missed,
                           overdue_cases, due_soon_cases, breaches, bad_ratings, bad_rectified
                    FROM hall.timeliness_windows('2025-09-22', '2025-10-12')$$,
	$$VALUES ('A01'::text, 4::bigint, 3::bigint, 1::bigint, 0.7500::numeric, 2::bigint, 0.5000::numeric, 2::bigint,
	          1::bigint, 1::bigint, 1::bigint, 2::bigint, 1::bigint),
	         ('A02', 1, 1, 0, 1.0000, 1, 1.0000, 1, 1, 0, 0, 0, 0)$$,
	'per window: everything at the window, whoever did it');
SELECT is((SELECT count(*) FROM hall.timeliness_windows('2025-09-22', '2025-10-12')
           WHERE answered IS NULL AND answered_on_time IS NULL AND answer_on_time_rate IS NULL AND reply_hours_median IS NULL
             AND reply_hours_p90 IS NULL AND overdue_inquiries IS NULL AND due_soon_inquiries IS NULL), 2::bigint,
	'inquiries belong to no window: their columns are NULL');

-- The department.  Completed 5 (C1, C2, C3, C7, C8), on time 4, 80 %,
-- early 3 (C1, C7, C8), 60 %; misses 3; answered 5 (Q3, Q1, Q4, Q2 and
-- the supervisor's Q5), on time 4, 80 %; the reply times sorted: 1.25,
-- 7.67, 8.5, 9, 28.5 h -> median 8.5 h, 90th percentile 9 + 0.6 x 19.5 =
-- 20.7 h; open now: cases C4 and C5 overdue, C9 due soon; inquiries Q6
-- overdue (Oct 11), Q7 due soon (Oct 14), Q8 not yet (Oct 16); breaches 1;
-- bad ratings 2, 1 rectified.
SELECT results_eq($$SELECT department_code, department_name, clerks, completed, on_time, late, on_time_rate, early, early_rate,
                           accept_missed FROM hall.timeliness_department('2025-09-22', '2025-10-12')$$,
	$$VALUES ('SCJG'::text, '市场监督管理局'::text, 3::bigint, 5::bigint, 4::bigint, 1::bigint, 0.8000::numeric,
	          3::bigint, 0.6000::numeric, 3::bigint)$$,
	'the department: cases completed, on time, late, early, acceptance misses');
SELECT results_eq($$SELECT answered, answered_on_time, answer_on_time_rate, reply_hours_median, reply_hours_p90,
                           overdue_cases, due_soon_cases, overdue_inquiries, due_soon_inquiries, breaches, bad_ratings, bad_rectified
                    FROM hall.timeliness_department('2025-09-22', '2025-10-12')$$,
	$$VALUES (5::bigint, 4::bigint, 0.8000::numeric, 8.5::numeric, 20.7::numeric,
	          2::bigint, 1::bigint, 1::bigint, 1::bigint, 1::bigint, 2::bigint, 1::bigint)$$,
	'the department: inquiries, reply times, open items now, breaches, bad ratings');

-- Per day: C1 Sep 22, C2 Sep 24, C3 Sep 26 (late), C8 Oct 9, C7 Oct 10.
SELECT results_eq($$SELECT day, workday, completed, on_time, late, on_time_rate
                    FROM hall.timeliness_daily('2025-09-22', '2025-10-12') WHERE completed > 0 OR day IN ('2025-09-28', '2025-10-04')$$,
	$$VALUES ('2025-09-22'::date, true, 1::bigint, 1::bigint, 0::bigint, 1.0000::numeric),
	         ('2025-09-24', true, 1, 1, 0, 1.0000), ('2025-09-26', true, 1, 0, 1, 0.0000),
	         ('2025-09-28', true, 0, 0, 0, NULL), ('2025-10-04', false, 0, 0, 0, NULL),
	         ('2025-10-09', true, 1, 1, 0, 1.0000), ('2025-10-10', true, 1, 1, 0, 1.0000)$$,
	'per day: completed, on time, late, on-time rate; a make-up Sunday is a working day, a holiday is not');
SELECT is((SELECT count(*) FROM hall.timeliness_daily('2025-09-22', '2025-10-12')), 21::bigint,
	'every day of the period has its row, the empty ones too');
SELECT is((SELECT sum(completed) FROM hall.timeliness_daily('2025-09-22', '2025-10-12')),
	(SELECT completed::numeric FROM hall.timeliness_department('2025-09-22', '2025-10-12')), 'the days add up to the period');

-- A shorter period: the week of Sep 22 only.  a: C1, C2; Q3 (Sep 26);
-- b: C3, none answered (Q4 is Sep 29).  Misses with a deadline that week:
-- C4 (Sep 28).  The open items are those of now, whatever the period.
SELECT results_eq($$SELECT login, completed, early, accept_missed, answered, reply_hours_median, due_soon_cases, overdue_cases
                    FROM hall.timeliness_clerks('2025-09-22', '2025-09-28')$$,
	$$VALUES ('t_clerk_a'::text, 2::bigint, 1::bigint, 0::bigint, 1::bigint, 28.5::numeric, 1::bigint, 0::bigint),
	         ('t_clerk_b', 1, 0, 1, 0, NULL, 0, 1),
	         ('t_clerk_c', 0, 0, 0, 0, NULL, 0, 0)$$,
	'the week of Sep 22 only');
-- A period with nothing in it: zeros, rates NULL; the open items of now.
SELECT results_eq($$SELECT completed, on_time_rate, early_rate, answered, answer_on_time_rate, reply_hours_median,
                           overdue_cases, overdue_inquiries FROM hall.timeliness_department('2025-01-06', '2025-01-10')$$,
	$$VALUES (0::bigint, NULL::numeric, NULL::numeric, 0::bigint, NULL::numeric, NULL::numeric, 2::bigint, 1::bigint)$$,
	'a quiet week: zeros, no rates (nothing to divide by)');

SELECT is(refusal_of($$SELECT * FROM hall.timeliness_clerks('2025-10-12', '2025-09-22')$$), '22023 reason:period',
	'a period that ends before it begins is refused');
SELECT is(refusal_of($$SELECT * FROM hall.timeliness_department(NULL, '2025-09-22')$$), '22023 reason:period',
	'so is one without a beginning');
SELECT is(refusal_of($$SELECT * FROM hall.timeliness_daily('2024-01-01', '2025-01-01')$$), '22023 reason:period_long:366',
	'and one longer than 366 days');
SELECT is(refusal_of($$SELECT * FROM hall.timeliness_windows('2024-01-01', '2024-12-31')$$), 'ok', 'a leap year is 366 days');

-- ------------------------------------------- another department sees none of it
SET SESSION AUTHORIZATION t_sup_g;
-- GA: g completed C10 (Sep 26 > Sep 25: late), answered Q9 (2 h, on time);
-- bad R5, open.  Nothing of SCJG.
SELECT results_eq($$SELECT login, completed, on_time, late, on_time_rate, early, accept_missed, answered, answered_on_time,
                           reply_hours_median, overdue_cases, breaches, bad_ratings, bad_rectified
                    FROM hall.timeliness_clerks('2025-09-22', '2025-10-12')$$,
	$$VALUES ('t_clerk_g'::text, 1::bigint, 0::bigint, 1::bigint, 0.0000::numeric, 0::bigint, 0::bigint, 1::bigint, 1::bigint,
	          2.0::numeric, 0::bigint, 0::bigint, 1::bigint, 0::bigint)$$,
	'the supervisor of GA: one clerk, g, with GA''s figures only');
SELECT results_eq($$SELECT window_code, completed, accept_missed, overdue_cases FROM hall.timeliness_windows('2025-09-22', '2025-10-12')$$,
	$$VALUES ('B01'::text, 1::bigint, 0::bigint, 0::bigint)$$, 'one window, B01');
SELECT results_eq($$SELECT department_code, clerks, completed, on_time, accept_missed, answered, reply_hours_p90, overdue_cases,
                           overdue_inquiries, due_soon_inquiries, breaches, bad_ratings
                    FROM hall.timeliness_department('2025-09-22', '2025-10-12')$$,
	$$VALUES ('GA'::text, 1::bigint, 1::bigint, 0::bigint, 0::bigint, 1::bigint, 2.0::numeric, 0::bigint, 0::bigint, 0::bigint,
	          0::bigint, 1::bigint)$$,
	'GA''s totals: none of SCJG''s cases, inquiries, misses, breaches or ratings');
SELECT results_eq($$SELECT day, completed, on_time FROM hall.timeliness_daily('2025-09-22', '2025-10-12') WHERE completed > 0$$,
	$$VALUES ('2025-09-26'::date, 1::bigint, 0::bigint)$$, 'GA''s days: C10 on Sep 26, late');
SELECT is((SELECT count(*) FROM hall.timeliness_facts('2025-09-01', '2025-10-31') WHERE department_code <> 'GA'), 0::bigint,
	'not one of the events under the figures is another department''s');

-- ----------------------------------------------------- the trainer: the hall
SET SESSION AUTHORIZATION t_trainer;
-- Everything: completed 6 (SCJG 5 + C10), on time 4, early 3; answered 6,
-- on time 5; reply times 1.25, 2, 7.67, 8.5, 9, 28.5 h -> median (7.67 +
-- 8.5) / 2 = 8.08 -> 8.1 h, 90th percentile 9 + 0.5 x 19.5 = 18.75 -> 18.8 h.
SELECT results_eq($$SELECT department_code, department_name, clerks, completed, on_time, on_time_rate, early, accept_missed,
                           answered, answered_on_time, answer_on_time_rate, reply_hours_median, reply_hours_p90,
                           overdue_cases, due_soon_cases, overdue_inquiries, due_soon_inquiries, breaches, bad_ratings, bad_rectified
                    FROM hall.timeliness_department('2025-09-22', '2025-10-12')$$,
	$$VALUES (NULL::text, '市政务服务中心'::text, 4::bigint, 6::bigint, 4::bigint, 0.6667::numeric, 3::bigint, 3::bigint,
	          6::bigint, 5::bigint, 0.8333::numeric, 8.1::numeric, 18.8::numeric,
	          2::bigint, 1::bigint, 1::bigint, 1::bigint, 1::bigint, 3::bigint, 1::bigint)$$,
	'the trainer: one row for the whole hall');
SELECT results_eq($$SELECT department_code, login, completed FROM hall.timeliness_clerks('2025-09-22', '2025-10-12')$$,
	$$VALUES ('GA'::text, 't_clerk_g'::text, 1::bigint), ('SCJG', 't_clerk_a', 2), ('SCJG', 't_clerk_b', 1), ('SCJG', 't_clerk_c', 1)$$,
	'every clerk of the hall, by department');
SELECT results_eq($$SELECT window_code, completed FROM hall.timeliness_windows('2025-09-22', '2025-10-12')$$,
	$$VALUES ('B01'::text, 1::bigint), ('A01', 4), ('A02', 1)$$, 'every window of the hall, by department');

-- ------------------------------------------------------- clerks and others
-- These figures compare colleagues: a clerk gets 42501 from every one of
-- them (no EXECUTE), even for a window they serve themselves.
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(ARRAY(SELECT f || ' ' || refusal_of(format('SELECT * FROM hall.%s(%L, %L)', f, '2025-09-22', '2025-10-12'))
                FROM unnest(ARRAY['timeliness_clerks', 'timeliness_windows', 'timeliness_department', 'timeliness_daily',
                                  'timeliness_facts', 'timeliness_sums']) f),
	ARRAY['timeliness_clerks 42501', 'timeliness_windows 42501', 'timeliness_department 42501', 'timeliness_daily 42501',
	      'timeliness_facts 42501', 'timeliness_sums 42501'],
	'a clerk may call none of the timeliness functions');
SET SESSION AUTHORIZATION t_portal;
SELECT is(refusal_of($$SELECT * FROM hall.timeliness_department('2025-09-22', '2025-10-12')$$), '42501', 'nor the portal');
SET SESSION AUTHORIZATION t_outsider;
SELECT is(refusal_of($$SELECT * FROM hall.timeliness_department('2025-09-22', '2025-10-12')$$), '42501', 'nor a role outside the hall');
RESET SESSION AUTHORIZATION;
-- The second wall: were EXECUTE granted by mistake, the functions still
-- ask who is calling.
GRANT EXECUTE ON FUNCTION hall.timeliness_scope(), hall.timeliness_period(date, date), hall.timeliness_facts(date, date),
	hall.timeliness_sums(date, date), hall.timeliness_clerks(date, date), hall.timeliness_department(date, date) TO hall_clerk;
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(refusal_of($$SELECT * FROM hall.timeliness_clerks('2025-09-22', '2025-10-12')$$), '42501 reason:supervisor_only',
	'granted by mistake, a clerk is still refused: reason supervisor_only');
SELECT is(refusal_of($$SELECT * FROM hall.timeliness_facts('2025-09-22', '2025-10-12')$$), '42501 reason:supervisor_only',
	'the events too');
SET SESSION AUTHORIZATION t_ghost;
SELECT is(refusal_of($$SELECT * FROM hall.timeliness_department('2025-09-22', '2025-10-12')$$), '42501 reason:not_staff',
	'and a clerk role that is not staff is not staff');
RESET SESSION AUTHORIZATION;
REVOKE EXECUTE ON FUNCTION hall.timeliness_scope(), hall.timeliness_period(date, date), hall.timeliness_facts(date, date),
	hall.timeliness_sums(date, date), hall.timeliness_clerks(date, date), hall.timeliness_department(date, date) FROM hall_clerk;

-- ------------------------------------------ a disabled clerk keeps their row
-- b is disabled: C4 goes back to the queue (no longer b's), b's row stays
-- for what b did in the period, marked inactive.
SELECT hall.staff_disable('t_clerk_b');
SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq($$SELECT login, active, completed, accept_missed, answered, overdue_cases
                    FROM hall.timeliness_clerks('2025-09-22', '2025-10-12')$$,
	$$VALUES ('t_clerk_a'::text, true, 2::bigint, 0::bigint, 3::bigint, 0::bigint),
	         ('t_clerk_b', false, 1, 1, 1, 0),
	         ('t_clerk_c', true, 1, 0, 0, 0)$$,
	'a disabled clerk keeps the row of the period, inactive; the case they held is nobody''s now');
SELECT is((SELECT overdue_cases FROM hall.timeliness_windows('2025-09-22', '2025-10-12') WHERE window_code = 'A01'), 1::bigint,
	'but still overdue at its window');
SELECT is((SELECT count(*) FROM hall.timeliness_clerks('2025-01-06', '2025-01-10')), 2::bigint,
	'in a period where they did nothing, a disabled clerk has no row');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
