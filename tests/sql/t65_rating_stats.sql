-- hall.rating_stats (010): the ratings per staff member, department,
-- week, level and counts, kept in step with hall.ratings by its triggers,
-- and hall.my_rectification_counts(); what My ratings reads.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

-- The recount the table must equal after every statement.
CREATE TEMP VIEW recount AS
SELECT staff_id, department_code, date_trunc('week', rated_at AT TIME ZONE 'Asia/Shanghai')::date AS week,
       level, counts, count(*) AS n
FROM hall.ratings GROUP BY 1, 2, 3, 4, 5;
CREATE TEMP VIEW stats AS
SELECT staff_id, department_code, week, level, counts, n FROM hall.rating_stats;

-- My ratings' figures from the stats, as the caller (row-level security),
-- next to hall.v_rating_summary's.
CREATE TEMP VIEW mine WITH (security_invoker = true) AS
SELECT coalesce((SELECT sum(n) FILTER (WHERE counts) FROM hall.rating_stats WHERE staff_id = hall.my_id()), 0) AS ratings,
       coalesce((SELECT sum(n) FILTER (WHERE counts AND level = 1) FROM hall.rating_stats WHERE staff_id = hall.my_id()), 0) AS n1,
       coalesce((SELECT sum(n) FILTER (WHERE counts AND level = 2) FROM hall.rating_stats WHERE staff_id = hall.my_id()), 0) AS n2,
       coalesce((SELECT sum(n) FILTER (WHERE counts AND level >= 4) FROM hall.rating_stats WHERE staff_id = hall.my_id()), 0) AS good,
       coalesce((SELECT sum(n) FILTER (WHERE NOT counts) FROM hall.rating_stats WHERE staff_id = hall.my_id()), 0) AS not_counting,
       c.open, c.late
FROM hall.my_rectification_counts() c;
CREATE TEMP VIEW theirs WITH (security_invoker = true) AS
SELECT ratings::numeric, n1::numeric, n2::numeric, (n4 + n5)::numeric, not_counting::numeric,
       rectifications_open, rectifications_late
FROM hall.v_rating_summary WHERE staff_id = hall.my_id();
GRANT SELECT ON recount, stats, mine, theirs TO PUBLIC;

SELECT is((SELECT count(*) FROM hall.rating_stats), 0::bigint, 'no ratings, no stats');

SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a1 \gset
SELECT hall.submit('SC002', applicant_json('李四', '230102198502023333', '13822223333'), 'web') AS a2 \gset
SELECT hall.submit('SC002', applicant_json('赵六', '230102199202025678', '13900001111'), 'web') AS a3 \gset
SELECT hall.submit('GA001', applicant_json('钱八', '230102199303036789', '13900002222'), 'web') AS a4 \gset
SELECT hall.ask('web', 'SCJG', '{"name": "孙七", "phone": "13700001111"}', '许可', '多久？') AS q1 \gset
SET hall.fake_now = '2025-09-29 09:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.claim(:a1) \g /dev/null
SELECT hall.approve(:a1, '') \g /dev/null
SELECT hall.claim(:a3) \g /dev/null
SELECT hall.approve(:a3, '') \g /dev/null
SELECT hall.reply_inquiry(:q1, '5 个工作日') \g /dev/null
SET SESSION AUTHORIZATION t_clerk_b;
SELECT hall.claim(:a2) \g /dev/null
SELECT hall.approve(:a2, '') \g /dev/null
SET SESSION AUTHORIZATION t_clerk_g;
SELECT hall.claim(:a4) \g /dev/null
SELECT hall.approve(:a4, '') \g /dev/null

-- hall.rate(): a row each, by week of the hall's time zone.
SET hall.fake_now = '2025-09-30 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.rate('application', :a1, 2, '等了很久') AS r1 \gset
SELECT hall.rate('application', :a2, 5, '很快') AS r2 \gset
SELECT hall.rate('inquiry', :q1, 4, '清楚') AS r3 \gset
SELECT hall.rate('application', :a4, 5, '') AS r4 \gset
-- Sunday Oct 12, 23:30 in Beijing (15:30 UTC): still the week of Oct 6.
SET hall.fake_now = '2025-10-12 23:30+08';
SELECT hall.rate('application', :a3, 1, '') AS r5 \gset
RESET SESSION AUTHORIZATION;
SELECT set_eq('SELECT * FROM stats', 'SELECT * FROM recount', 'after hall.rate: the stats equal a recount');
SELECT results_eq(
	format('SELECT week, level, counts, n FROM hall.rating_stats WHERE staff_id = %s ORDER BY week, level', sid('t_clerk_a')),
	$$VALUES ('2025-09-29'::date, 2, true, 1::bigint), ('2025-09-29'::date, 4, true, 1::bigint),
	         ('2025-10-06'::date, 1, true, 1::bigint)$$,
	'clerk A: levels 2 and 4 in the week of Sep 29, level 1 in the week of Oct 6 (Sunday night in Beijing)');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT results_eq('SELECT * FROM mine', 'SELECT * FROM theirs', 'clerk A''s figures equal hall.v_rating_summary''s');
SELECT results_eq('SELECT ratings, open, late FROM mine', $$VALUES (3::numeric, 2::bigint, 1::bigint)$$,
	'three ratings, two rectifications open, r1''s callback (due Oct 9) late');

-- An appeal lodged changes nothing; upheld, the rating stops counting.
SELECT lives_ok(format('SELECT hall.appeal(%s, %L)', :r1, '系统故障'), 'clerk A appeals r1');
RESET SESSION AUTHORIZATION;
SELECT set_eq('SELECT * FROM stats', 'SELECT * FROM recount', 'after hall.appeal: still equal');
SET SESSION AUTHORIZATION t_sup_s;
SELECT lives_ok(format('SELECT hall.judge_appeal(%s, true, %L)', :r1, '属实'), 'the supervisor upholds it');
RESET SESSION AUTHORIZATION;
SELECT set_eq('SELECT * FROM stats', 'SELECT * FROM recount', 'after hall.judge_appeal (upheld): still equal');
SELECT results_eq(
	format('SELECT level, counts, n FROM hall.rating_stats WHERE staff_id = %s AND level = 2', sid('t_clerk_a')),
	$$VALUES (2, false, 1::bigint)$$, 'the level-2 rating moved to counts = false (the counting row is gone)');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT results_eq('SELECT * FROM mine', 'SELECT * FROM theirs', 'clerk A''s figures still equal the view''s');
SELECT results_eq('SELECT ratings, n2, good, not_counting FROM mine', $$VALUES (2::numeric, 0::numeric, 1::numeric, 1::numeric)$$,
	'two ratings count, one 4 of them: satisfaction 50 %');

-- The follow-up (追评) once r5's rectification is closed.
SET hall.fake_now = '2025-10-13 10:00+08';
SELECT hall.rectify(:r5, 'verify', '属实') \g /dev/null
SELECT hall.rectify(:r5, 'callback', '已回访') \g /dev/null
SELECT hall.rectify(:r5, 'rectify', '已整改') \g /dev/null
SET SESSION AUTHORIZATION t_portal;
SELECT is(hall.rate('application', :a3, 4, '改进了'), :r5::bigint, 'a follow-up rating');
RESET SESSION AUTHORIZATION;
SELECT set_eq('SELECT * FROM stats', 'SELECT * FROM recount', 'after the follow-up: still equal');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT results_eq('SELECT * FROM mine', 'SELECT * FROM theirs', 'and the figures');
SELECT results_eq('SELECT open, late FROM mine', $$VALUES (1::bigint, 1::bigint)$$, 'r5 closed on time, r1 open and late');
SET hall.fake_now = '2025-12-01 10:00+08';
SELECT results_eq('SELECT * FROM mine', 'SELECT * FROM theirs', 'Dec 1: equal');
SELECT results_eq('SELECT open, late FROM mine', $$VALUES (1::bigint, 1::bigint)$$, 'r1 still the one late');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT results_eq('SELECT open, late FROM hall.my_rectification_counts()', $$VALUES (0::bigint, 0::bigint)$$,
	'clerk B: none of clerk A''s rectifications');
RESET SESSION AUTHORIZATION;

-- Statements of hall_admin (corrections): several rows at once, a level,
-- a staff member or a time changed, ratings deleted, and under
-- session_replication_role = replica as the demo generator loads.
UPDATE hall.ratings SET level = 3 WHERE id IN (:r2, :r3);
SELECT set_eq('SELECT * FROM stats', 'SELECT * FROM recount', 'UPDATE of level, two rows: still equal');
UPDATE hall.ratings SET staff_id = sid('t_clerk_c'), rated_at = rated_at + interval '7 days' WHERE id = :r2;
SELECT set_eq('SELECT * FROM stats', 'SELECT * FROM recount', 'UPDATE of staff_id and rated_at: still equal');
UPDATE hall.ratings SET counts = true WHERE id = :r1;
UPDATE hall.ratings SET comment = comment || '。';
SELECT set_eq('SELECT * FROM stats', 'SELECT * FROM recount', 'UPDATE of every rating (counts back, comments): still equal');
DELETE FROM hall.ratings WHERE id = :r4;
SELECT set_eq('SELECT * FROM stats', 'SELECT * FROM recount', 'DELETE: still equal');
SELECT is((SELECT count(*) FROM hall.rating_stats WHERE staff_id = sid('t_clerk_g')), 0::bigint, 'no row left at 0');
SET LOCAL session_replication_role = replica;
INSERT INTO hall.ratings (kind, target_id, staff_id, department_code, level, comment, rated_at)
SELECT 'application', 1000000 + g, sid('t_clerk_b'), 'SCJG', 1 + g % 5, '', '2025-08-01 10:00+08'::timestamptz + g * interval '1 day'
FROM generate_series(1, 40) g;
UPDATE hall.ratings SET counts = false WHERE target_id > 1000000 AND level = 1;
SET LOCAL session_replication_role = origin;
SELECT set_eq('SELECT * FROM stats', 'SELECT * FROM recount', 'replica mode (the demo generator): still equal');
DELETE FROM hall.ratings WHERE target_id > 1000000 AND level > 2;
SELECT set_eq('SELECT * FROM stats', 'SELECT * FROM recount', 'and after a 24-row DELETE');

-- Reading: as hall.ratings.
SET SESSION AUTHORIZATION t_clerk_b;
SELECT ok((SELECT count(*) FROM hall.rating_stats) > 0, 'clerk B reads its own');
SELECT is((SELECT count(*) FROM hall.rating_stats WHERE staff_id <> sid('t_clerk_b')), 0::bigint,
	'clerk B cannot read another clerk''s stats');
SELECT is((SELECT count(*) FROM hall.rating_stats WHERE staff_id = sid('t_clerk_a')), 0::bigint, 'not even asking for clerk A''s');
SET SESSION AUTHORIZATION t_sup_s;
SELECT is((SELECT count(*) FROM hall.rating_stats), (SELECT count(*) FROM stats WHERE department_code = 'SCJG'),
	'the supervisor: the department''s');
SET SESSION AUTHORIZATION t_sup_g;
SELECT is((SELECT count(*) FROM hall.rating_stats), 0::bigint, 'not another department''s');
SET SESSION AUTHORIZATION t_trainer;
SELECT is((SELECT count(*) FROM hall.rating_stats), (SELECT count(*) FROM stats), 'the trainer: all');
SET SESSION AUTHORIZATION t_portal;
SELECT throws_ok('SELECT * FROM hall.rating_stats', '42501', NULL, 'the portal: nothing');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok($$INSERT INTO hall.rating_stats VALUES (1, 'SCJG', '2025-09-29', 5, true, 1)$$, '42501', NULL,
	'nobody but hall_admin writes it');
RESET SESSION AUTHORIZATION;

-- Out of step is an error, never a wrong figure.
SELECT throws_ok(format($q$DO $x$ BEGIN
	DELETE FROM hall.rating_stats WHERE staff_id = %s AND level = 1;
	UPDATE hall.ratings SET level = 2 WHERE id = %s;
END $x$$q$, sid('t_clerk_a'), :r5), 'XX000', NULL, 'a decrement without its row is refused');
SELECT set_eq('SELECT * FROM stats', 'SELECT * FROM recount', 'at the end: still equal');

SELECT * FROM finish();
ROLLBACK;
