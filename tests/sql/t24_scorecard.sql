-- The monthly scorecard, its closing and the platform's figures
-- (schema/018_scorecard.sql; doc/sql-interface.md "Monthly scorecard ...").
-- A small hall written directly (as the superuser), read on NOW = Wed
-- 2025-11-05 10:00, every figure worked out by hand below.  Months:
-- September (M1) and October (M2) 2025.  Default weights: satisfaction
-- 40, on time 30, reply on time 15 (no window has one), rectified 15; a
-- red card -2.
--
--  case window clerk channel  month rating (proactive)      other
--  s1   A01   a     web       Sep   5 (p)
--  s2   A01   a     web       Sep   4 (p)
--  s3   A02   c     web       Sep   5 (p)
--  s4   A02   c     web       Sep   2 (p), not rectified
--  s5   B01   g     web       Sep   4 (p)
--  x1   A01   a     web       Oct   5 (p)
--  x2   A01   a     app       Oct   3 (not proactive)
--  x3   A01   a     window    Oct   1 (p), rectified, closed, follow-up 4   returned once
--  x4   A01   a     window    Oct   unrated (rated 1 on Nov 6: after closing)
--  x5   A01   a     kiosk     Oct   unrated                                closed late
--  y1   A02   c     web       Oct   2 (p), open
--  y2   A02   c     web       Oct   3 (p)                                  entity applicant
--  z1   B01   g     app       Oct   5 (p)
--  red card: A01, clerk a, issued Oct 20.
--
-- October, A01: completed 5, on time 4 (0.8); services 5, unrated 2
-- (0.4); ratings 3, good (3-5) 2 (0.6667), satisfied (4-5) 1 (0.3333),
-- proactive 2 (0.6667), proactive good 1/2 (0.5); bad 1, rectified 1 (1),
-- closed 1 (1), follow-ups 1 good 1 (1).  Score (40 x .3333 + 30 x .8 +
-- 15 x 1) / 85 x 100 = 61.567 - 2 = 59.57.
-- A02: completed 2 (1.0); ratings 2, good 1 (.5), satisfied 0 (0);
-- proactive 2 (1), proactive good 1/2 (.5); bad 1, rectified 0.  Score
-- (0 + 30 + 0) / 85 x 100 = 35.29.
-- B01: satisfied 1/1, on time 1, no bad: (40 + 30) / 70 x 100 = 100.
-- September: A01 100, B01 100, A02 (40 x .5 + 30) / 85 x 100 = 58.82.
-- Hall ranks (the trainer): Sep A01 1, B01 1, A02 3; Oct B01 1, A01 2
-- (change -1), A02 3 (0).  Satisfaction bottom: Sep A02 (.5), Oct A02
-- (0): bottom two months running.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();


CREATE TEMP TABLE t24_case (tag text PRIMARY KEY, id bigint);
CREATE FUNCTION pg_temp.mk(tag text, item text, win text, clerk text, channel text, received timestamptz,
                           closed timestamptz, due date, returns int, kind text DEFAULT 'person') RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_ap bigint;
	v_id bigint;
BEGIN
	INSERT INTO hall.applicants (kind, name, id_number) VALUES (kind, '申请人' || tag, '2301021990' || lpad(length(tag)::text || ascii(tag)::text, 8, '0'))
	RETURNING applicants.id INTO v_ap;
	INSERT INTO hall.applications (case_no, item_id, applicant_id, department_code, window_code, channel, state,
		received_at, received_on, accept_due, accepted_on, clock_start, promised_days, due_date, sort_due,
		return_count, closed_at, closed_by, updated_at)
	SELECT 'T24-' || tag, i.id, v_ap, i.department_code, win, channel, 'completed',
	       received, (received AT TIME ZONE 'Asia/Shanghai')::date, due, (received AT TIME ZONE 'Asia/Shanghai')::date,
	       (received AT TIME ZONE 'Asia/Shanghai')::date, 5, due, due, returns, closed, sid(clerk), closed
	FROM hall.items i WHERE i.code = item
	RETURNING applications.id INTO v_id;
	INSERT INTO t24_case VALUES (tag, v_id);
END $$;
CREATE FUNCTION pg_temp.rate(tag text, level int, proactive boolean, at timestamptz) RETURNS bigint
LANGUAGE sql AS $$
	INSERT INTO hall.ratings (kind, target_id, staff_id, department_code, level, proactive, rated_at)
	SELECT 'application', a.id, a.closed_by, a.department_code, level, proactive, at
	FROM hall.applications a JOIN t24_case t ON t.id = a.id WHERE t.tag = rate.tag
	RETURNING id
$$;

SELECT pg_temp.mk('s1', 'SC002', 'A01', 't_clerk_a', 'web', '2025-09-08 10:00+08', '2025-09-10 10:00+08', '2025-09-15', 0);
SELECT pg_temp.mk('s2', 'SC002', 'A01', 't_clerk_a', 'web', '2025-09-08 11:00+08', '2025-09-10 11:00+08', '2025-09-15', 0);
SELECT pg_temp.mk('s3', 'SC001', 'A02', 't_clerk_c', 'web', '2025-09-08 10:00+08', '2025-09-10 10:00+08', '2025-09-15', 0);
SELECT pg_temp.mk('s4', 'SC001', 'A02', 't_clerk_c', 'web', '2025-09-08 11:00+08', '2025-09-10 11:00+08', '2025-09-15', 0);
SELECT pg_temp.mk('s5', 'GA001', 'B01', 't_clerk_g', 'web', '2025-09-08 10:00+08', '2025-09-10 10:00+08', '2025-09-15', 0);
SELECT pg_temp.mk('x1', 'SC002', 'A01', 't_clerk_a', 'web', '2025-10-09 10:00+08', '2025-10-10 10:00+08', '2025-10-16', 0);
SELECT pg_temp.mk('x2', 'SC002', 'A01', 't_clerk_a', 'app', '2025-10-09 11:00+08', '2025-10-10 11:00+08', '2025-10-16', 0);
SELECT pg_temp.mk('x3', 'SC002', 'A01', 't_clerk_a', 'window', '2025-10-09 14:00+08', '2025-10-13 10:00+08', '2025-10-16', 1);
SELECT pg_temp.mk('x4', 'SC002', 'A01', 't_clerk_a', 'window', '2025-10-10 10:00+08', '2025-10-14 10:00+08', '2025-10-17', 0);
SELECT pg_temp.mk('x5', 'SC002', 'A01', 't_clerk_a', 'kiosk', '2025-10-10 11:00+08', '2025-10-21 10:00+08', '2025-10-17', 0);
SELECT pg_temp.mk('y1', 'SC001', 'A02', 't_clerk_c', 'web', '2025-10-09 10:00+08', '2025-10-10 10:00+08', '2025-10-16', 0);
SELECT pg_temp.mk('y2', 'SC001', 'A02', 't_clerk_c', 'web', '2025-10-09 11:00+08', '2025-10-10 11:00+08', '2025-10-16', 0, 'entity');
SELECT pg_temp.mk('z1', 'GA001', 'B01', 't_clerk_g', 'app', '2025-10-09 10:00+08', '2025-10-10 10:00+08', '2025-10-14', 0);

SELECT pg_temp.rate('s1', 5, true, '2025-09-11 10:00+08'), pg_temp.rate('s2', 4, true, '2025-09-11 10:00+08'),
       pg_temp.rate('s3', 5, true, '2025-09-11 10:00+08'), pg_temp.rate('s4', 2, true, '2025-09-11 10:00+08'),
       pg_temp.rate('s5', 4, true, '2025-09-11 10:00+08'),
       pg_temp.rate('x1', 5, true, '2025-10-11 10:00+08'), pg_temp.rate('x2', 3, false, '2025-10-11 10:00+08'),
       pg_temp.rate('y1', 2, true, '2025-10-11 10:00+08'), pg_temp.rate('y2', 3, true, '2025-10-11 10:00+08'),
       pg_temp.rate('z1', 5, true, '2025-10-11 10:00+08');
SELECT pg_temp.rate('x3', 1, true, '2025-10-14 10:00+08') AS rx3 \gset
UPDATE hall.ratings SET followup_level = 4, followup_at = '2025-10-20 10:00+08' WHERE id = :rx3;
INSERT INTO hall.rectifications (rating_id, opened_at, callback_due, rectify_due, verified_at, rectified_at, callback_at, closed_at)
SELECT r.id, r.rated_at, '2025-10-15', '2025-11-04',
       CASE WHEN r.id = :rx3 THEN '2025-10-15 10:00+08'::timestamptz END,
       CASE WHEN r.id = :rx3 THEN '2025-10-16 10:00+08'::timestamptz END,
       CASE WHEN r.id = :rx3 THEN '2025-10-17 10:00+08'::timestamptz END,
       CASE WHEN r.id = :rx3 THEN '2025-10-17 10:00+08'::timestamptz END
FROM hall.ratings r WHERE r.level <= 2;
INSERT INTO hall.cards (color, rule, kind, item_id, ref, department_code, window_code, staff_id, issued_at, issued_on, due_date)
SELECT 'red', 'case_overdue', 'application', t.id, 'T24-x5', 'SCJG', 'A01', sid('t_clerk_a'), '2025-10-20 10:00+08', '2025-10-20', '2025-10-27'
FROM t24_case t WHERE t.tag = 'x5';

SET hall.fake_now = '2025-11-05 10:00+08';

-- ------------------------------------------------------------ the hall (trainer)
SET SESSION AUTHORIZATION t_trainer;
SELECT results_eq($$SELECT window_code, completed, on_time, on_time_rate, services, unrated, unrated_rate, ratings,
                           good_rate, satisfaction_rate, proactive_rate, proactive_good_rate,
                           bad, rectify_rate, callback_rectify_rate, callback_satisfaction_rate, red_cards
                    FROM hall.scorecard_windows('2025-10-01') ORDER BY window_code$$,
	$$VALUES ('A01', 5::bigint, 4::bigint, 0.8000, 5::bigint, 2::bigint, 0.4000, 3::bigint,
	          0.6667, 0.3333, 0.6667, 0.5000, 1::bigint, 1.0000, 1.0000, 1.0000, 1::bigint),
	         ('A02', 2, 2, 1.0000, 2, 0, 0.0000, 2, 0.5000, 0.0000, 1.0000, 0.5000, 1, 0.0000, 0.0000, NULL, 0),
	         ('B01', 1, 1, 1.0000, 1, 0, 0.0000, 1, 1.0000, 1.0000, 1.0000, 1.0000, 0, NULL, NULL, NULL, 0)$$,
	'October per window: on time, unrated, the GB/T rates, cards');
SELECT results_eq($$SELECT window_code, score, rank, prev_rank, rank_change, bottom, bottom_two_months
                    FROM hall.scorecard_windows('2025-10-01')$$,
	$$VALUES ('B01', 100.00, 1::bigint, 1::bigint, 0::bigint, false, false),
	         ('A01', 59.57, 2, 1, -1, false, false),
	         ('A02', 35.29, 3, 3, 0, true, true)$$,
	'October ranking of the hall: score, rank, last month''s, the change, bottom two months running');
SELECT results_eq($$SELECT window_code, score, rank FROM hall.scorecard_windows('2025-09-01')$$,
	$$VALUES ('A01', 100.00, 1::bigint), ('B01', 100.00, 1::bigint), ('A02', 58.82, 3::bigint)$$,
	'September: ties share a rank');
SELECT results_eq($$SELECT login, completed, ratings, satisfaction_rate, red_cards, score, rank
                    FROM hall.scorecard_clerks('2025-10-01') WHERE login IN ('t_clerk_a', 't_clerk_c')$$,
	$$VALUES ('t_clerk_a', 5::bigint, 3::bigint, 0.3333, 1::bigint, 59.57, 2::bigint),
	         ('t_clerk_c', 2, 2, 0.0000, 0, 35.29, 3)$$,
	'per clerk: the same figures, the card counted against its clerk');

-- Platform, October (8 cases): channels web 3, app 2, window 2, kiosk 1;
-- online 5; trips: x3 window + 1 return = 2, x4 and x5 one each, the
-- rest 0: one trip 7, no visit 5; 行政许可 7, 公共服务 1; entity 1.
SELECT results_eq($$SELECT dimension, key, cases, share FROM hall.platform_figures('2025-10-01') WHERE scope_code IS NULL$$,
	$$VALUES ('total', 'all', 8::bigint, 1.0000), ('channel', 'window', 2, 0.2500), ('channel', 'web', 3, 0.3750),
	         ('channel', 'app', 2, 0.2500), ('channel', 'kiosk', 1, 0.1250), ('online', 'online', 5, 0.6250),
	         ('one_trip', 'one_trip', 7, 0.8750), ('no_visit', 'no_visit', 5, 0.6250),
	         ('applicant', 'person', 7, 0.8750), ('applicant', 'entity', 1, 0.1250),
	         ('category', '行政许可', 7, 0.8750), ('category', '公共服务', 1, 0.1250)$$,
	'platform figures of the hall for October');

-- ------------------------------------------------------------ a supervisor
SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq($$SELECT window_code, rank, bottom_two_months FROM hall.scorecard_windows('2025-10-01')$$,
	$$VALUES ('A01', 1::bigint, false), ('A02', 2::bigint, true)$$,
	'a supervisor ranks their own department''s windows');
SELECT is((SELECT count(*) FROM hall.platform_figures('2025-10-01') WHERE scope_code = 'SCJG' AND dimension = 'total' AND cases = 7), 1::bigint,
	'a supervisor reads their department''s platform figures ...');
SELECT is((SELECT cases FROM hall.platform_figures('2025-10-01') WHERE scope_code IS NULL AND dimension = 'total'), 8::bigint,
	'... and the hall''s');
SELECT is(refusal_of($$SELECT hall.scorecard_close('2025-10-01', 'GA')$$), '42501 reason:not_your_department',
	'a supervisor cannot close another department''s month');
SELECT is(refusal_of($$SELECT hall.scorecard_close('2025-11-01')$$), '55000 reason:month_not_over',
	'a month that has not ended cannot be closed');
SELECT is(hall.scorecard_close('2025-10-01'), 5, 'the supervisor closes October: 2 windows and 3 clerks frozen');
SELECT is(refusal_of($$SELECT hall.scorecard_close('2025-10-01')$$), '55000 reason:month_closed', 'closing twice is refused');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'scorecard_close' AND details->>'department' = 'SCJG'), 1::bigint,
	'the closing is audited');

-- A late rating (Nov 6) of a case completed in October.
SELECT pg_temp.rate('x4', 1, true, '2025-11-05 09:00+08');
SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq($$SELECT window_code, unrated, unrated_rate, score, frozen FROM hall.scorecard_windows('2025-10-01')$$,
	$$VALUES ('A01', 2::bigint, 0.4000, 59.57, true), ('A02', 0::bigint, 0.0000, 35.29, true)$$,
	'a closed month is frozen: the late rating changes nothing in October');
SELECT is((SELECT ratings FROM hall.scorecard_windows('2025-11-01') WHERE window_code = 'A01'), 1::bigint,
	'the late rating counts in November, the month it arrived');
SET SESSION AUTHORIZATION t_trainer;
SELECT is((SELECT unrated FROM hall.scorecard_windows('2025-10-01') WHERE window_code = 'A01'), 2::bigint,
	'the hall-wide view reads the frozen rows of SCJG too');
RESET SESSION AUTHORIZATION;
SELECT is(refusal_of($$UPDATE hall.scorecard_frozen SET figures = '{}'$$), '42501 reason:month_closed',
	'not even the owner may change a frozen row');

-- ------------------------------------------------------------ refusals
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(left(refusal_of($$SELECT hall.scorecard_close('2025-10-01')$$), 5), '42501', 'a clerk cannot close a month');
SELECT is(left(refusal_of($$SELECT * FROM hall.scorecard_windows('2025-10-01')$$), 5), '42501', 'a clerk reads no scorecard');
SELECT is(left(refusal_of($$SELECT * FROM hall.report_platform('2025-10-01')$$), 5), '42501', 'nor the platform figures');
SET SESSION AUTHORIZATION t_trainer;
SELECT is(left(refusal_of($$SELECT hall.scorecard_close('2025-09-01', 'GA')$$), 5), '42501', 'the trainer cannot close a month');
SELECT is((SELECT count(*) FROM hall.report_scorecard('2025-10-01')),
	(SELECT count(*) FROM hall.scorecard_windows('2025-10-01')) + (SELECT count(*) FROM hall.scorecard_clerks('2025-10-01')),
	'the scorecard report has a row per window and per clerk');
SELECT is((SELECT count(*) FROM hall.scorecard_windows('2025-10-01')), 3::bigint, 'the hall: 3 windows');
SELECT is((SELECT count(*) FROM hall.report_cards('2025-10-01') WHERE "颜色" = '红牌'), 1::bigint, 'the cards report lists the red card');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
