-- The working-day calendar and the clock: the official 2025/2026 lists,
-- an unpublished 2027, fake time in test and production databases, and
-- a calendar change moving open due dates.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

-- National Day 2025: Oct 1-8 holidays, Sun Sep 28 and Sat Oct 11 work.
SELECT is(hall.workday_add('2025-09-26', 1), '2025-09-28'::date, 'Fri Sep 26 + 1 = make-up Sunday Sep 28');
SELECT is(hall.workday_add('2025-09-26', 5), '2025-10-10'::date, 'Sep 26 + 5 = Oct 10 (holidays skipped)');
SELECT is(hall.workday_add('2025-09-30', 1), '2025-10-09'::date, 'Sep 30 + 1 = Oct 9, after the holiday');
SELECT is(hall.workday_add('2025-09-30', 3), '2025-10-11'::date, 'Sep 30 + 3 = make-up Saturday Oct 11');
SELECT is(hall.workday_add('2025-09-30', 4), '2025-10-13'::date, 'Sep 30 + 4 = Mon Oct 13');
SELECT is(hall.workday_add('2025-10-03', 1), '2025-10-09'::date, 'from inside the holiday, + 1 = Oct 9');
SELECT is(hall.workdays_between('2025-09-30', '2025-10-10'), 2, 'Sep 30 .. Oct 10: 2 working days');
SELECT is(hall.workdays_between('2025-09-26', '2025-10-13'), 7, 'Sep 26 .. Oct 13: 7 working days');
SELECT is(hall.workdays_between('2025-10-13', '2025-10-10'), -2, 'backwards is negative');
SELECT is(hall.is_workday('2025-09-28'), true, 'Sun Sep 28 is a make-up workday');
SELECT is(hall.is_workday('2025-10-08'), false, 'Wed Oct 8 is a holiday');
SELECT is(hall.is_workday('2025-10-12'), false, 'Sun Oct 12 is a weekend');

-- Spring Festival 2025: Jan 28 - Feb 4, Sun Jan 26 and Sat Feb 8 work.
SELECT is(hall.workday_add('2025-01-24', 1), '2025-01-26'::date, 'Fri Jan 24 + 1 = make-up Sunday Jan 26');
SELECT is(hall.workday_add('2025-01-24', 2), '2025-01-27'::date, 'Jan 24 + 2 = Jan 27');
SELECT is(hall.workday_add('2025-01-24', 3), '2025-02-05'::date, 'Jan 24 + 3 = Feb 5, after the festival');
SELECT is(hall.workday_add('2025-01-27', 4), '2025-02-08'::date, 'Jan 27 + 4 = make-up Saturday Feb 8');
SELECT is(hall.workday_add('2025-01-27', 5), '2025-02-10'::date, 'Jan 27 + 5 = Mon Feb 10');
SELECT is(hall.workdays_between('2025-01-24', '2025-02-10'), 7, 'Jan 24 .. Feb 10: 7 working days');
SELECT is(hall.is_workday('2025-01-28'), false, 'Jan 28 is a holiday');

-- 2026 (published) and 2027 (not yet: Monday-Friday only).
SELECT is(hall.workday_add('2026-09-30', 1), '2026-10-08'::date, '2026: Sep 30 + 1 = Oct 8');
SELECT is(hall.workday_add('2026-12-31', 1), '2027-01-01'::date, '2027 unpublished: Fri Jan 1 counts as a working day');
SELECT is(hall.workday_add('2026-12-31', 2), '2027-01-04'::date, '2027: the weekend is skipped');
SELECT is(hall.calendar_published(2025), true, '2025 is published');
SELECT is(hall.calendar_published(2027), false, '2027 is not published');
SELECT is(hall.workday_add('2025-10-05', 0), '2025-10-05'::date, '+ 0 is the day itself');
SELECT throws_ok($$SELECT hall.workday_add('2025-10-05', -1)$$, '22023', NULL, 'a negative count is refused');

-- The clock.
SET hall.fake_now = '2025-09-30 23:30+08';
SELECT is(hall.today(), '2025-09-30'::date, 'today is the Asia/Shanghai date');
SET hall.fake_now = '2025-09-30 16:30+00';
SELECT is(hall.today(), '2025-10-01'::date, '16:30 UTC is already Oct 1 in Shanghai');
SELECT is(hall.now(), '2025-10-01 00:30+08'::timestamptz, 'a test database honours hall.fake_now');
SELECT is(hall.end_of_day('2025-10-13'), '2025-10-14 00:00+08'::timestamptz, 'a deadline ends at midnight Shanghai');
UPDATE hall.settings SET value = 'production' WHERE key = 'mode';
SET client_min_messages = error;
SELECT ok(hall.now() BETWEEN now() AND clock_timestamp(), 'a production database ignores hall.fake_now');
SELECT isnt(hall.today(), '2025-10-01'::date, 'and its today is the real one');
RESET client_min_messages;
UPDATE hall.settings SET value = 'test' WHERE key = 'mode';

-- A calendar change moves open due dates.
SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a1 \gset
SELECT hall.submit('SC002', applicant_json('赵六', '230102199202025678', '13900001111'), 'web') AS a2 \gset
SELECT hall.ask('hotline', 'SCJG', '{"name": "孙七", "phone": "13700001111"}', '营业执照', '需要什么材料？') AS q1 \gset
SET hall.fake_now = '2025-09-29 09:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s)', :a1), 'clerk claims case 1 on Sep 29');
RESET SESSION AUTHORIZATION;
SELECT is((app(:a1)).due_date, '2025-10-13'::date, 'claimed Sep 29, 5 days: due Oct 13');
SELECT is((app(:a2)).accept_due, '2025-10-10'::date, 'unclaimed case 2 must be accepted by Oct 10');
SELECT is((SELECT due_date FROM hall.inquiries WHERE id = :q1), '2025-09-30'::date, 'hotline inquiry of Sep 26 due Sep 30');

SELECT lives_ok($$SELECT hall.calendar_set('2025-10-10', 'holiday', '测试：临时放假')$$, 'declare Oct 10 a holiday');
SELECT is(hall.is_workday('2025-10-10'), false, 'the day table follows');
SELECT is((app(:a1)).due_date, '2025-10-14'::date, 'case 1 now due Oct 14');
SELECT is((app(:a1)).sort_due, '2025-10-14'::date, 'and sorts by it');
SELECT is((app(:a2)).accept_due, '2025-10-11'::date, 'case 2 acceptance deadline now Oct 11');
SELECT is((app(:a2)).sort_due, '2025-10-11'::date, 'and sorts by it');
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'calendar_set'), 1::bigint, 'one audit row for the change');
SELECT lives_ok($$SELECT hall.calendar_remove('2025-10-10')$$, 'remove it again');
SELECT is((app(:a1)).due_date, '2025-10-13'::date, 'case 1 back to Oct 13');
SELECT is((app(:a2)).accept_due, '2025-10-10'::date, 'case 2 back to Oct 10');
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'calendar_remove'), 1::bigint, 'the removal is audited');

-- A plain INSERT into the calendar (a bulk load) recomputes too.
INSERT INTO hall.calendar (d, kind, note) VALUES ('2025-09-30', 'holiday', 'bulk');
SELECT is((app(:a1)).due_date, '2025-10-14'::date, 'bulk insert of Sep 30 as holiday: case 1 due Oct 14');
SELECT is((SELECT due_date FROM hall.inquiries WHERE id = :q1), '2025-10-09'::date, 'and the open inquiry due Oct 9');
DELETE FROM hall.calendar WHERE d = '2025-09-30';
SELECT is((app(:a1)).due_date, '2025-10-13'::date, 'deleted again: Oct 13');

-- 2027: counted Mon-Fri, flagged, then published.
SET hall.fake_now = '2026-12-28 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('钱八', '230102198803031111', '13600002222'), 'app') AS a3 \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s)', :a3), 'claim a case on Dec 28 2026');
SELECT is((SELECT due_date FROM hall.v_case WHERE id = :a3), '2027-01-04'::date, 'due Jan 4 2027 (Mon-Fri count)');
SELECT is((SELECT calendar_unpublished FROM hall.v_case WHERE id = :a3), true, 'the case screen flags the unpublished year');
SELECT matches((SELECT due_explain FROM hall.v_case WHERE id = :a3), '2027 年节假日安排尚未公布', 'and explains it');
SELECT throws_ok($$SELECT hall.calendar_set('2027-01-01', 'holiday', '元旦')$$, '42501', NULL, 'a clerk cannot change the calendar');
SELECT throws_ok($$SELECT hall.calendar_publish(2027, 'x')$$, '42501', NULL, 'nor publish a year');
RESET SESSION AUTHORIZATION;
SELECT lives_ok($$SELECT hall.calendar_set('2027-01-01', 'holiday', '元旦')$$, 'the administrator adds Jan 1 2027');
SELECT is((app(:a3)).due_date, '2027-01-05'::date, 'the case moves to Jan 5');
SELECT lives_ok($$SELECT hall.calendar_publish(2027, '国办发明电〔2026〕1号')$$, 'and publishes 2027');
SELECT is(hall.calendar_published(2027), true, '2027 is published');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is((SELECT calendar_unpublished FROM hall.v_case WHERE id = :a3), false, 'the flag is gone');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'calendar_publish'), 1::bigint, 'publishing is audited');

-- Refusals.
SELECT throws_ok($$SELECT hall.calendar_set('2025-10-10', 'party', '')$$, '22023', NULL, 'unknown calendar kind');
SELECT throws_ok($$SELECT hall.calendar_remove('2025-03-03')$$, 'P0002', NULL, 'removing a date that is no exception');
SELECT throws_ok($$SELECT hall.calendar_publish(2027, '')$$, '22023', NULL, 'publishing needs a source');

SELECT * FROM finish();
ROLLBACK;
