-- The hall's opening hours (schema/015_timeliness.sql): seconds of opening
-- hours between two instants across the lunch break, nights, weekends,
-- holidays and make-up working days; the deadline in working hours as its
-- inverse; the administrator's hours_set and hours_makeup.
--
-- The calendar of 2025 (002): National Day holiday Oct 1-8 (Oct 4-5 are a
-- Saturday and Sunday inside it); make-up working days Sun Sep 28 and
-- Sat Oct 11.  Default hours Mon-Fri 09:00-12:00 and 13:00-17:00 (7 h =
-- 25,200 s a day), Saturday and Sunday none, a make-up day Monday's.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

-- SQLSTATE and HINT of a statement that should be refused, or 'ok'.

-- ------------------------------------------------------------ the defaults
SELECT results_eq('SELECT d, hall.hours_spans(d) FROM generate_series(1, 7) d',
	$$VALUES (1, '09:00-12:00,13:00-17:00'), (2, '09:00-12:00,13:00-17:00'), (3, '09:00-12:00,13:00-17:00'),
	         (4, '09:00-12:00,13:00-17:00'), (5, '09:00-12:00,13:00-17:00'), (6, ''), (7, '')$$,
	'default hours: Monday to Friday 09:00-12:00 and 13:00-17:00, the weekend closed');
SELECT is(hall.setting('makeup_hours_isodow'), '1', 'a make-up working day keeps Monday''s hours by default');
SELECT results_eq($$SELECT DISTINCT d FROM hall.opening_spans('2025-09-26', '2025-10-13') ORDER BY d$$,
	$$VALUES ('2025-09-26'::date), ('2025-09-28'), ('2025-09-29'), ('2025-09-30'), ('2025-10-09'), ('2025-10-10'),
	         ('2025-10-11'), ('2025-10-13')$$,
	'open from Sep 26 to Oct 13: not Sat Sep 27, open on the make-up Sunday Sep 28, closed Oct 1-8 and Sun Oct 12, open on the make-up Saturday Oct 11');
SELECT results_eq($$SELECT opens, closes FROM hall.opening_spans('2025-10-11', '2025-10-11')$$,
	$$VALUES ('09:00'::time, '12:00'::time), ('13:00', '17:00')$$, 'the make-up Saturday has Monday''s two spans');

-- ---------------------------------------------------------- working_seconds
SELECT is(hall.working_seconds('2025-09-29 09:30+08', '2025-09-29 11:00+08'), 5400::bigint,
	'Mon 09:30 to 11:00: 1.5 h');
SELECT is(hall.working_seconds('2025-09-29 11:00+08', '2025-09-29 14:00+08'), 7200::bigint,
	'Mon 11:00 to 14:00 across the lunch break: 1 h + 1 h');
SELECT is(hall.working_seconds('2025-09-29 12:10+08', '2025-09-29 12:50+08'), 0::bigint,
	'inside the lunch break: nothing');
SELECT is(hall.working_seconds('2025-09-29 12:30+08', '2025-09-29 13:30+08'), 1800::bigint,
	'from the lunch break to 13:30: 0.5 h');
SELECT is(hall.working_seconds('2025-09-22 16:00+08', '2025-09-23 10:00+08'), 7200::bigint,
	'overnight, Mon 16:00 to Tue 10:00: 1 h + 1 h');
SELECT is(hall.working_seconds('2025-09-22 18:00+08', '2025-09-23 08:30+08'), 0::bigint,
	'Mon 18:00 to Tue 08:30: closed all along');
SELECT is(hall.working_seconds('2025-09-19 16:00+08', '2025-09-22 10:00+08'), 7200::bigint,
	'a weekend, Fri 16:00 to Mon 10:00: Saturday and Sunday count nothing');
SELECT is(hall.working_seconds('2025-09-26 16:00+08', '2025-09-29 10:00+08'), 32400::bigint,
	'Fri Sep 26 16:00 to Mon 10:00 over the make-up Sunday Sep 28: 1 h + 7 h + 1 h');
SELECT is(hall.working_seconds('2025-09-30 16:00+08', '2025-10-09 10:00+08'), 7200::bigint,
	'across National Day, Tue Sep 30 16:00 to Thu Oct 9 10:00: 1 h + 1 h');
SELECT is(hall.working_seconds('2025-10-01 00:00+08', '2025-10-09 00:00+08'), 0::bigint,
	'Oct 1 to Oct 8, the holiday (its Saturday and Sunday too): nothing');
SELECT is(hall.working_seconds('2025-10-10 16:00+08', '2025-10-13 10:00+08'), 32400::bigint,
	'Fri Oct 10 16:00 to Mon 10:00 over the make-up Saturday Oct 11: 1 h + 7 h + 1 h');
SELECT is(hall.working_seconds('2025-10-11 08:00+08', '2025-10-11 20:00+08'), 25200::bigint,
	'the make-up Saturday alone: 7 h');
SELECT is(hall.working_seconds('2025-09-22 00:00+08', '2025-09-29 00:00+08'), 151200::bigint,
	'the week of Sep 22: 5 x 7 h, plus 7 h on the make-up Sunday');
SELECT is(hall.working_seconds('2025-01-01 00:00+08', '2026-01-01 00:00+08'),
	hall.workdays_between('2024-12-31', '2025-12-31') * 25200::bigint,
	'the whole of 2025: 7 h on every working day of the calendar and on no other day');
SELECT is(hall.working_seconds('2025-09-29 01:00+00', '2025-09-29 02:00+00'), 3600::bigint,
	'instants in another time zone are read in Asia/Shanghai (01:00Z = 09:00)');
SELECT is(hall.working_seconds('2025-09-29 11:00+08', '2025-09-29 11:00+08'), 0::bigint, 't1 = t0: 0');
SELECT is(hall.working_seconds('2025-09-29 14:00+08', '2025-09-29 11:00+08'), 0::bigint, 't1 before t0: 0');
SELECT is(hall.working_seconds(NULL, '2025-09-29 11:00+08'), NULL::bigint, 'NULL in, NULL out');
SELECT is(hall.working_seconds('2025-09-29 09:00+08', '2025-09-29 17:00+08')
          + hall.working_seconds('2025-09-29 17:00+08', '2025-10-13 10:00+08'),
          hall.working_seconds('2025-09-29 09:00+08', '2025-10-13 10:00+08'),
	'additive: [a, b) + [b, c) = [a, c)');

-- --------------------------------------------------------- working_deadline
SELECT is(hall.working_deadline('2025-09-29 11:00+08', 0), '2025-09-29 11:00+08'::timestamptz, '0 s: t0 itself');
SELECT is(hall.working_deadline('2025-09-29 11:00+08', 1800), '2025-09-29 11:30+08'::timestamptz, 'Mon 11:00 + 0.5 h = 11:30');
SELECT is(hall.working_deadline('2025-09-29 11:00+08', 3600), '2025-09-29 12:00+08'::timestamptz,
	'Mon 11:00 + 1 h = 12:00: a count that ends at a closing time ends there');
SELECT is(hall.working_deadline('2025-09-29 11:00+08', 3601), '2025-09-29 13:00:01+08'::timestamptz,
	'one second more: after the lunch break, 13:00:01');
SELECT is(hall.working_deadline('2025-09-29 12:30+08', 60), '2025-09-29 13:01+08'::timestamptz,
	'from inside the lunch break: counted from 13:00');
SELECT is(hall.working_deadline('2025-09-20 10:00+08', 1), '2025-09-22 09:00:01+08'::timestamptz,
	'from a Saturday: counted from Monday''s opening');
SELECT is(hall.working_deadline('2025-09-26 16:00+08', 30600), '2025-09-29 09:30+08'::timestamptz,
	'Fri 16:00 + 8.5 h = Mon 09:30 (1 h Friday, 7 h on the make-up Sunday)');
SELECT is(hall.working_deadline('2025-09-30 16:00+08', 7200), '2025-10-09 10:00+08'::timestamptz,
	'Tue Sep 30 16:00 + 2 h = Thu Oct 9 10:00, over National Day');
SELECT is(hall.working_deadline('2025-10-10 16:00+08', 3601), '2025-10-11 09:00:01+08'::timestamptz,
	'Fri Oct 10 16:00 + 1 h 1 s = the make-up Saturday at 09:00:01');
SELECT is(hall.working_deadline('2025-09-22 09:00+08', 25200 * 5), '2025-09-26 17:00+08'::timestamptz,
	'five working days of hours from Mon 09:00: Fri 17:00');
SELECT is(refusal_of($$SELECT hall.working_deadline('2025-09-29 11:00+08', -1)$$), '22023 reason:seconds_negative',
	'a negative count is refused');

-- The inverse of each other, at instants in and out of the opening hours,
-- over the lunch break, nights, the weekend, the holiday and the make-up days.
CREATE TEMP TABLE t16_instants AS
SELECT t::timestamptz AS t FROM unnest(ARRAY[
	'2025-09-19 08:00+08', '2025-09-19 11:59:59+08', '2025-09-19 12:00+08', '2025-09-19 12:30+08', '2025-09-19 16:59+08',
	'2025-09-20 10:00+08', '2025-09-26 15:00+08', '2025-09-27 23:00+08', '2025-09-28 09:00+08', '2025-09-28 13:00+08',
	'2025-09-30 11:45+08', '2025-09-30 17:00+08', '2025-10-03 10:00+08', '2025-10-08 23:59:59+08', '2025-10-10 16:30+08',
	'2025-10-11 12:10+08', '2025-12-31 16:00+08']) t;
SELECT is(ARRAY(
	SELECT format('%s + %s', i.t, s)
	FROM t16_instants i, unnest(ARRAY[1, 59, 1800, 3600, 10800, 10801, 25200, 30000, 25200 * 6 + 17, 25200 * 20]) s
	WHERE hall.working_seconds(i.t, hall.working_deadline(i.t, s)) <> s), '{}'::text[],
	'working_seconds(t0, working_deadline(t0, s)) = s, 17 instants x 10 counts');
SELECT is(ARRAY(
	SELECT format('%s .. %s', a.t, b.t)
	FROM t16_instants a JOIN t16_instants b ON b.t > a.t
	WHERE hall.working_deadline(a.t, hall.working_seconds(a.t, b.t)) > b.t
	   OR (hall.working_seconds(b.t - interval '1 second', b.t) = 1
	       AND hall.working_deadline(a.t, hall.working_seconds(a.t, b.t)) <> b.t)), '{}'::text[],
	'working_deadline(t0, working_seconds(t0, t1)) is t1 when the hall is open just before t1, never later than t1');

-- working_seconds_each: the same answers, many at once.
SELECT results_eq($$SELECT n, seconds FROM hall.working_seconds_each(
	ARRAY['2025-09-26 16:00+08', NULL, '2025-09-29 14:00+08', '2025-09-30 16:00+08', '2025-09-29 11:00+08', '2025-09-22 11:30+08']::timestamptz[],
	ARRAY['2025-09-29 10:00+08', '2025-09-29 10:00+08', '2025-09-29 11:00+08', '2025-10-09 10:00+08', '2025-09-29 11:00+08', '2025-09-26 12:30+08']::timestamptz[])$$,
	$$VALUES (1, 32400::bigint), (2, NULL), (3, 0), (4, 7200), (5, 0), (6, 102600)$$,
	'working_seconds_each: one row per pair, in order; NULL for a NULL, 0 when t1 <= t0');
SELECT is((SELECT count(*) FROM hall.working_seconds_each('{}', '{}')), 0::bigint, 'no pairs, no rows');
SELECT is(ARRAY(
	SELECT format('%s .. %s', p.t0, p.t1)
	FROM (SELECT row_number() OVER (ORDER BY a.t, b.t)::int AS n, a.t AS t0, b.t AS t1 FROM t16_instants a, t16_instants b) p
	JOIN hall.working_seconds_each(ARRAY(SELECT a.t FROM t16_instants a, t16_instants b ORDER BY a.t, b.t),
	                               ARRAY(SELECT b.t FROM t16_instants a, t16_instants b ORDER BY a.t, b.t)) w ON w.n = p.n
	WHERE w.seconds IS DISTINCT FROM hall.working_seconds(p.t0, p.t1)), '{}'::text[],
	'working_seconds_each agrees with working_seconds on all 289 pairs of the instants');

-- --------------------------------------------------------- who may see them
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(hall.working_seconds('2025-09-29 11:00+08', '2025-09-29 14:00+08'), 7200::bigint, 'a clerk may compute them');
SELECT is((SELECT count(*) FROM hall.opening_hours), 10::bigint, 'and read the hours');
SELECT is(refusal_of($$INSERT INTO hall.opening_hours VALUES (6, '09:00', '12:00')$$), '42501', 'but not write them');
SET SESSION AUTHORIZATION t_portal;
SELECT is(refusal_of($$SELECT hall.working_seconds('2025-09-29 11:00+08', '2025-09-29 14:00+08')$$), '42501',
	'the portal has no use for them');
RESET SESSION AUTHORIZATION;

-- ------------------------------------------------------------ hours_set: no
SELECT is(refusal_of($$SELECT hall.hours_set(1, '09:00-12:00,11:30-17:00')$$), '22023 reason:hours_overlap',
	'overlapping spans are refused');
SELECT is(refusal_of($$SELECT hall.hours_set(1, '13:00-17:00,09:00-17:30')$$), '22023 reason:hours_overlap',
	'overlapping spans, written out of order: the overlap is what is said');
SELECT is(refusal_of($$SELECT hall.hours_set(1, '09:00-12:00,09:00-12:00')$$), '22023 reason:hours_overlap',
	'the same span twice overlaps');
SELECT is(refusal_of($$SELECT hall.hours_set(1, '13:00-17:00,09:00-12:00')$$), '22023 reason:hours_order',
	'spans out of the order of the day are refused');
SELECT is(refusal_of($$SELECT hall.hours_set(1, '12:00-09:00')$$), '22023 reason:hours_order',
	'a span that closes before it opens is refused');
SELECT is(refusal_of($$SELECT hall.hours_set(1, '09:00-09:00')$$), '22023 reason:hours_order',
	'and one that closes when it opens');
SELECT throws_ok($$SELECT hall.hours_set(1, '9-12')$$, '22023',
	'opening hours "9-12": each span is HH:MM-HH:MM (00:00 to 24:00), spans separated by commas', 'hours without minutes are refused');
SELECT is(ARRAY(SELECT s FROM unnest(ARRAY['09:00-12:00;13:00-17:00', '09:00-12:00,', ',09:00-12:00', '09:00', '25:00-26:00',
	'09:60-10:00', '24:00-24:00', '23:00-24:30', '09:00-12:00 13:00-17:00', 'morning', '09.00-12.00', '０９:００-12:00']) s
	WHERE refusal_of(format('SELECT hall.hours_set(1, %L)', s)) <> '22023 reason:hours_format'), '{}'::text[],
	'and every other badly written span: wrong separator, empty span, no end, hour 25, minute 60, after 24:00, words');
SELECT is(refusal_of($$SELECT hall.hours_set(1, NULL)$$), '22023 reason:hours_format', 'NULL is not a way to close a day');
SELECT is(refusal_of(format('SELECT hall.hours_set(1, %L)', repeat('09:00-12:00,', 17) || '13:00-17:00')),
	'22023 reason:text_long:opening_spans:200', 'more than 200 characters of hours');
SELECT is(refusal_of($$SELECT hall.hours_set(0, '09:00-12:00')$$), '22023 reason:isodow', 'weekday 0 does not exist');
SELECT is(refusal_of($$SELECT hall.hours_set(8, '09:00-12:00')$$), '22023 reason:isodow', 'nor weekday 8');
SELECT is(refusal_of($$SELECT hall.hours_makeup(8)$$), '22023 reason:isodow', 'nor for the make-up days');
SELECT is(refusal_of($$INSERT INTO hall.opening_hours VALUES (1, '11:00', '12:30')$$), '22023 reason:hours_overlap',
	'an overlapping row written directly (a bulk load) is refused too');
SELECT is(hall.hours_spans(1), '09:00-12:00,13:00-17:00', 'none of that changed Monday');
SELECT is((SELECT count(*) FROM hall.audit WHERE action IN ('hours_set', 'hours_makeup')), 0::bigint, 'and nothing was audited');

SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok($$SELECT hall.hours_set(1, '08:00-12:00')$$, '42501', NULL, 'a clerk may not set the hours');
SELECT throws_ok($$SELECT hall.hours_makeup(5)$$, '42501', NULL, 'nor which hours a make-up day keeps');
SET SESSION AUTHORIZATION t_sup_s;
SELECT throws_ok($$SELECT hall.hours_set(1, '08:00-12:00')$$, '42501', NULL, 'nor a supervisor');
SET SESSION AUTHORIZATION t_trainer;
SELECT throws_ok($$SELECT hall.hours_set(1, '08:00-12:00')$$, '42501', NULL, 'nor the trainer');
RESET SESSION AUTHORIZATION;
SELECT is(ARRAY(SELECT r.rolname::text FROM pg_catalog.pg_roles r
                WHERE r.rolname IN ('hall_clerk', 'hall_supervisor', 'hall_trainer', 'hall_portal', 't_clerk_a', 't_sup_s')
                  AND (has_function_privilege(r.oid, 'hall.hours_set(int, text)', 'EXECUTE')
                       OR has_function_privilege(r.oid, 'hall.hours_makeup(int)', 'EXECUTE'))), '{}'::text[],
	'no group but hall_admin may execute hours_set or hours_makeup');

-- ----------------------------------------------------------- hours_set: yes
-- Monday becomes 08:30-12:00 and 13:30-17:30 (7.5 h); the Chinese comma and
-- spaces are understood, the stored form is returned.
SET hall.fake_now = '2025-09-29 08:00+08';
SELECT is(hall.hours_set(1, ' 8:30-12:00 ， 13:30 - 17:30 '), '08:30-12:00,13:30-17:30', 'Monday set: the hours as stored');
SELECT is(hall.hours_spans(1), '08:30-12:00,13:30-17:30', 'and read back');
SELECT is((SELECT details FROM hall.audit WHERE action = 'hours_set'),
	'{"isodow": 1, "before": "09:00-12:00,13:00-17:00", "after": "08:30-12:00,13:30-17:30"}'::jsonb,
	'audited with the hours before and after');
SELECT is((SELECT at FROM hall.audit WHERE action = 'hours_set'), '2025-09-29 08:00+08'::timestamptz, 'stamped with hall.now()');
SELECT is(hall.working_seconds('2025-09-29 00:00+08', '2025-09-30 00:00+08'), 27000::bigint, 'a Monday now has 7.5 h');
SELECT is(hall.working_seconds('2025-09-29 11:00+08', '2025-09-29 14:00+08'), 5400::bigint,
	'Mon 11:00 to 14:00: 1 h before the break, 0.5 h after it');
SELECT is(hall.working_seconds('2025-09-28 00:00+08', '2025-09-29 00:00+08'), 27000::bigint,
	'the make-up Sunday follows Monday''s new hours');
SELECT is(hall.working_seconds('2025-09-30 00:00+08', '2025-10-01 00:00+08'), 25200::bigint, 'Tuesday does not');
SELECT is(hall.working_deadline('2025-09-29 11:00+08', 3601), '2025-09-29 13:30:01+08'::timestamptz,
	'the deadline follows the new lunch break');
SELECT is(hall.working_deadline('2025-09-26 17:00+08', 60), '2025-09-28 08:31+08'::timestamptz,
	'and the new opening time, on the make-up Sunday');

-- Make-up days keep Friday's hours, and Friday becomes a morning.
SELECT lives_ok($$SELECT hall.hours_makeup(5)$$, 'make-up days now keep Friday''s hours');
SELECT is(hall.hours_set(5, '09:00-12:00'), '09:00-12:00', 'Friday: mornings only');
SELECT is(hall.working_seconds('2025-09-28 00:00+08', '2025-09-29 00:00+08'), 10800::bigint, 'the make-up Sunday: 3 h');
SELECT is(hall.working_seconds('2025-10-11 00:00+08', '2025-10-12 00:00+08'), 10800::bigint, 'the make-up Saturday too');
SELECT is((SELECT from_state || '>' || to_state FROM hall.audit WHERE action = 'hours_makeup'), '1>5', 'hours_makeup is audited');

-- A Saturday opening: plain Saturdays count, a Saturday in the holiday does not.
SELECT is(hall.hours_set(6, '09:00-11:00'), '09:00-11:00', 'Saturday mornings open');
SELECT is(hall.working_seconds('2025-09-20 00:00+08', '2025-09-21 00:00+08'), 7200::bigint, 'a plain Saturday: 2 h');
SELECT is(hall.working_seconds('2025-10-04 00:00+08', '2025-10-05 00:00+08'), 0::bigint, 'Saturday Oct 4, in the holiday: none');
SELECT is(hall.working_seconds('2025-10-11 00:00+08', '2025-10-12 00:00+08'), 10800::bigint,
	'the make-up Saturday keeps Friday''s hours, not Saturday''s');

-- A whole day, closing at midnight; then a day closed.
SELECT is(hall.hours_set(3, '00:00-24:00'), '00:00-24:00', 'Wednesday open day and night');
SELECT is(hall.working_seconds('2025-09-24 00:00+08', '2025-09-25 00:00+08'), 86400::bigint, 'a whole Wednesday: 24 h');
SELECT is(hall.working_seconds('2025-09-23 16:00+08', '2025-09-24 01:00+08'), 7200::bigint,
	'Tue 16:00 to Wed 01:00: 1 h on Tuesday, 1 h after midnight');
SELECT is(hall.hours_set(3, ''), '', 'Wednesday closed');
SELECT is(hall.working_seconds('2025-09-24 00:00+08', '2025-09-25 00:00+08'), 0::bigint, 'a Wednesday: nothing');
SELECT is(hall.working_deadline('2025-09-23 16:30+08', 3600), '2025-09-25 09:30+08'::timestamptz,
	'Tue 16:30 + 1 h = Thu 09:30, over the closed Wednesday');

SELECT is(ARRAY(
	SELECT format('%s .. %s', p.t0, p.t1)
	FROM (SELECT row_number() OVER (ORDER BY a.t, b.t)::int AS n, a.t AS t0, b.t AS t1 FROM t16_instants a, t16_instants b) p
	JOIN hall.working_seconds_each(ARRAY(SELECT a.t FROM t16_instants a, t16_instants b ORDER BY a.t, b.t),
	                               ARRAY(SELECT b.t FROM t16_instants a, t16_instants b ORDER BY a.t, b.t)) w ON w.n = p.n
	WHERE w.seconds IS DISTINCT FROM hall.working_seconds(p.t0, p.t1)), '{}'::text[],
	'with the new hours (Monday, Friday, Saturday, Wednesday, make-up days), the two still agree on every pair');

-- No hours at all: no deadline can be found.
DO $$ BEGIN PERFORM hall.hours_set(d, '') FROM generate_series(1, 7) d; END $$;
SELECT is((SELECT count(*) FROM hall.opening_hours), 0::bigint, 'every day closed');
SELECT is(hall.working_seconds('2025-09-22 00:00+08', '2025-10-22 00:00+08'), 0::bigint, 'a month: 0 s');
SELECT is(refusal_of($$SELECT hall.working_deadline('2025-09-29 11:00+08', 60)$$), '55000 reason:no_opening_hours',
	'and working_deadline says so instead of searching for ever');
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'hours_set'), 12::bigint, 'one audit row per hours_set');

SELECT * FROM finish();
ROLLBACK;
