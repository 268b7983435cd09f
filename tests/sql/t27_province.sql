-- A city's feed for the province (schema/021_province.sql, doc/province.md):
-- nothing is kept before the city has a code; then feed.department_days is
-- the daily facts of 019 summed per department and day, in step after
-- every transition, rating, TRUNCATE (the demo) and department change,
-- written only where something changed; nothing personal is published;
-- hall.feed_join's refusals; who may read and join.  (The replication
-- itself, with three clusters: tests/integration/province_test.sh.)
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

-- ------------------------------------------------------------ what is published
SELECT results_eq($$SELECT tablename::text COLLATE "default", array_to_string(attnames::text[], ',') COLLATE "default" FROM pg_publication_tables
                    WHERE pubname = 'hall_feed' ORDER BY tablename$$,
	$$VALUES ('city', 'city_code,name'), ('department_days',
	          'city_code,department_code,day,received,completed,on_time,early,ratings,good,satisfied'),
	         ('departments', 'city_code,department_code,name')$$,
	'hall_feed publishes the three feed tables: codes, names of the city and its departments, counts; nobody''s name or number');
SELECT is((SELECT pubinsert AND pubupdate AND pubdelete AND NOT pubtruncate FROM pg_publication WHERE pubname = 'hall_feed'),
	true, 'inserts, updates and deletes, never a TRUNCATE (it would empty every city''s rows in the province)');
SELECT is((SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
           WHERE c.relnamespace = 'feed'::regnamespace AND i.indisprimary
             AND c.relname IN ('city', 'departments', 'department_days')
             AND (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = i.indkey[0]) = 'city_code'),
	3::bigint, 'each published table''s key begins with the city''s code: two cities'' rows never collide');

-- ------------------------------------------------------------ no code, no feed
SET hall.fake_now = '2026-03-02 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a1 \gset
SELECT hall.submit('SC002', applicant_json('李四', '230102198502023333', '13822223333'), 'web') AS a2 \gset
SELECT hall.submit('GA001', applicant_json('赵六', '230102199202025678', '13900001111'), 'app') AS a3 \gset
RESET SESSION AUTHORIZATION;
SELECT is(hall.setting('city_code'), '', 'a city starts with no code');
SELECT is((SELECT count(*) FROM feed.department_days) + (SELECT count(*) FROM feed.city) + (SELECT count(*) FROM feed.departments),
	0::bigint, 'and keeps no feed: three cases received, nothing written');
SELECT is((SELECT sum(rows_differing) FROM hall.feed_drift()), 0::numeric, 'which is its definition without a code');

-- ------------------------------------------------------------ feed_join's refusals
SELECT is(refusal_of($$SELECT * FROM hall.feed_join('Hangzhou')$$), '22023 reason:city_code_invalid', 'a code with capitals');
SELECT is(refusal_of($$SELECT * FROM hall.feed_join('1city')$$), '22023 reason:city_code_invalid', 'a code beginning with a digit');
SELECT is(refusal_of($$SELECT * FROM hall.feed_join('hang-zhou')$$), '22023 reason:city_code_invalid', 'a code with a dash');
SELECT is(refusal_of($$SELECT * FROM hall.feed_join('h')$$), '22023 reason:text_short:city_code:2', 'one letter');
SELECT is(refusal_of(format('SELECT * FROM hall.feed_join(%L)', repeat('a', 32))), '22023 reason:text_long:city_code:31',
	'32 letters');
SELECT is(refusal_of($$SELECT * FROM hall.feed_join(NULL)$$), '22023 reason:text_empty:city_code', 'no code');
SELECT is(refusal_of($$SELECT * FROM hall.feed_join('hangzhou')$$),
	CASE WHEN current_setting('wal_level') = 'logical' THEN 'ok' ELSE '55000 reason:wal_level' END,
	'a good code: refused only when the server''s wal_level is not logical (this cluster''s: ' || current_setting('wal_level') || ')');

-- Outside a province the fact tables' feed triggers are off (they cost
-- every approval two statement triggers for nothing); the code switches
-- them on.
SELECT is((SELECT string_agg(DISTINCT g.tgenabled::text, ',') FROM pg_trigger g
           WHERE g.tgname LIKE 'feed\_%' AND g.tgrelid IN ('hall.completed_days'::regclass, 'hall.rating_days'::regclass,
                                                        'hall.platform_days'::regclass)),
	'D', 'a city with no code keeps no feed: the fact tables'' feed triggers are off');

-- The join without logical replication (this cluster): what feed_join does
-- after its checks.
UPDATE hall.settings SET value = 'hangzhou' WHERE key = 'city_code';
SELECT is((SELECT count(*) FROM pg_trigger g
           WHERE g.tgname LIKE 'feed\_%' AND g.tgenabled = 'A'
             AND g.tgrelid IN ('hall.completed_days'::regclass, 'hall.rating_days'::regclass, 'hall.platform_days'::regclass)),
	12::bigint, 'the code set, all twelve are on (ENABLE ALWAYS)');
SELECT hall.feed_refresh_all();
SELECT is(refusal_of($$SELECT * FROM hall.feed_join('ningbo')$$), '55000 reason:city_code_set:hangzhou',
	'a city in the province as hangzhou cannot join again as ningbo');
SELECT results_eq($$SELECT city_code, name FROM feed.city$$, $$VALUES ('hangzhou', hall.setting('hall_name'))$$,
	'the city''s row: its code and its hall''s name');
SELECT results_eq($$SELECT city_code, department_code, name FROM feed.departments ORDER BY 2$$,
	$$VALUES ('hangzhou', 'GA', '公安局'), ('hangzhou', 'SCJG', '市场监督管理局')$$, 'its departments');
SELECT results_eq($$SELECT city_code, department_code, day, received, completed, on_time, early, ratings, good, satisfied
                    FROM feed.department_days ORDER BY 2$$,
	$$VALUES ('hangzhou', 'GA', '2026-03-02'::date, 1::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint),
	         ('hangzhou', 'SCJG', '2026-03-02'::date, 2::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint)$$,
	'the cases received that day, per department');

-- ------------------------------------------------------------ in step with the cases
SET hall.fake_now = '2026-03-03 10:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :a1, :a1, ''), 'clerk A completes a1 on Mar 3');
SET SESSION AUTHORIZATION t_clerk_g;
SELECT lives_ok(format('SELECT hall.claim(%s)', :a3), 'clerk G claims a3 (GA)');
RESET SESSION AUTHORIZATION;
SELECT results_eq($$SELECT department_code, day, received, completed, on_time, early FROM feed.department_days ORDER BY 1, 2$$,
	$$VALUES ('GA', '2026-03-02'::date, 1::bigint, 0::bigint, 0::bigint, 0::bigint),
	         ('SCJG', '2026-03-02'::date, 2::bigint, 0::bigint, 0::bigint, 0::bigint),
	         ('SCJG', '2026-03-03'::date, 0::bigint, 1::bigint, 1::bigint, 1::bigint)$$,
	'a completion is counted on its day: on time and early (due Mar 10)');
SELECT xmin::text AS ga_xmin FROM feed.department_days WHERE department_code = 'GA' \gset
SET hall.fake_now = '2026-03-16 10:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :a2, :a2, ''),
	'clerk A claims a2 after its acceptance deadline and completes it on Mar 16');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT xmin::text FROM feed.department_days WHERE department_code = 'GA'), :'ga_xmin',
	'GA''s row, which no SCJG transition changes, was not written again (nothing to replicate)');
SELECT is((SELECT completed || '/' || on_time FROM feed.department_days WHERE department_code = 'SCJG' AND day = '2026-03-16'),
	(SELECT count(*) || '/' || count(*) FILTER (WHERE '2026-03-16' <= due_date) FROM hall.applications WHERE id = :a2),
	'a2 counted on Mar 16, on time as 015 counts it (closed by the due day)');
SET SESSION AUTHORIZATION t_portal;
SELECT hall.rate('application', :a1, 5, '很快') AS r1 \gset
SELECT hall.rate('application', :a2, 3, '') AS r2 \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT ratings || '/' || good || '/' || satisfied FROM feed.department_days WHERE department_code = 'SCJG' AND day = '2026-03-16'),
	'2/2/1', 'two ratings given on Mar 16: both good (3-5), one satisfied (4-5)');
SELECT is((SELECT sum(rows_differing) FROM hall.feed_drift()), 0::numeric, 'the feed is its definition');

-- The same figures as the city's own (015, 016): the month of March.
SELECT is((SELECT sum(completed) || '/' || sum(on_time) FROM feed.department_days WHERE day BETWEEN '2026-03-01' AND '2026-03-31'),
	(SELECT completed || '/' || on_time FROM hall.timeliness_department('2026-03-01', '2026-03-31')),
	'completed and on time in March: as hall.timeliness_department');
SELECT is((SELECT sum(ratings) || '/' || sum(satisfied) FROM feed.department_days WHERE day BETWEEN '2026-03-01' AND '2026-03-31'),
	(SELECT sum(ratings) || '/' || sum(good) FROM hall.department_ratings('2026-03-01', '2026-03-31')),
	'ratings and satisfied in March: as hall.department_ratings');
SELECT is((SELECT sum(received) FROM feed.department_days WHERE day BETWEEN '2026-03-01' AND '2026-03-31'),
	(SELECT cases FROM hall.platform_figures('2026-03-01') WHERE dimension = 'total')::numeric,
	'cases received in March: as hall.platform_figures');

-- An upheld appeal takes a rating out: a row falls, one that falls to
-- nothing goes.
UPDATE hall.ratings SET counts = false WHERE id IN (:r1, :r2);
SELECT is((SELECT ratings FROM feed.department_days WHERE department_code = 'SCJG' AND day = '2026-03-16'), 0::bigint,
	'ratings that no longer count are no longer counted');
DELETE FROM hall.ratings WHERE id IN (:r1, :r2);
UPDATE hall.applications SET received_at = received_at + interval '1 day' WHERE id = :a3;
SELECT results_eq($$SELECT day, received FROM feed.department_days WHERE department_code = 'GA'$$,
	$$VALUES ('2026-03-03'::date, 1::bigint)$$,
	'a case whose receipt moves to another day moves; the day with nothing left is deleted');
SELECT is((SELECT sum(rows_differing) FROM hall.feed_drift()), 0::numeric, 'still its definition');

-- ------------------------------------------------------------ names
UPDATE hall.settings SET value = '杭州市民中心' WHERE key = 'hall_name';
SELECT is((SELECT name FROM feed.city), '杭州市民中心', 'a new hall name is sent');
UPDATE hall.departments SET name = '公安局出入境' WHERE code = 'GA';
SELECT is((SELECT name FROM feed.departments WHERE department_code = 'GA'), '公安局出入境', 'and a department''s');

-- ------------------------------------------------------------ TRUNCATE (the demo)
-- A TRUNCATE of the facts (the demo generator, hall.demo_reset) queues a
-- full refresh for the commit: here made to run now.
SELECT count(*) AS feed_before FROM feed.department_days \gset
TRUNCATE hall.completed_days;
SELECT is((SELECT count(*) FROM feed.refresh_due), 1::bigint, 'a TRUNCATE of the facts queues the refresh');
SELECT is((SELECT count(*) FROM feed.department_days), :feed_before::bigint, 'which waits for the commit');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT count(*) FROM feed.refresh_due), 0::bigint, 'and runs then, once');
SELECT is((SELECT sum(completed) FROM feed.department_days), 0::numeric, 'the completions are gone with the facts');
SELECT hall.facts_rebuild('{completed_days}');
SELECT is((SELECT sum(rows_differing) FROM hall.feed_drift()), 0::numeric, 'and back with them');
SELECT is(refusal_of('TRUNCATE feed.department_days'), '55000 reason:feed_truncate', 'the feed itself is never truncated');

-- ------------------------------------------------------------ who
SELECT is(has_function_privilege('hall_feed', 'hall.feed_join(text)', 'EXECUTE'), true,
	'hall_feed (the province''s login is a member) may join');
SELECT is(has_table_privilege('hall_feed', 'feed.department_days', 'SELECT'), true, 'and read the feed (the first copy)');
SELECT is(has_table_privilege('hall_feed', 'feed.department_days', 'INSERT'), false, 'but not write it');
SELECT is(has_table_privilege('hall_feed', 'hall.applications', 'SELECT'), false, 'nor read anything of the hall');
SELECT is(has_function_privilege('hall_supervisor', 'hall.feed_join(text)', 'EXECUTE')
          OR has_function_privilege('hall_clerk', 'hall.feed_join(text)', 'EXECUTE')
          OR has_function_privilege('hall_trainer', 'hall.feed_join(text)', 'EXECUTE'), false, 'no staff group may join');
SELECT is(has_function_privilege('hall_feed', 'hall.feed_refresh_all()', 'EXECUTE'), false,
	'nor call the machinery');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok('SELECT count(*) FROM feed.department_days', '42501', NULL, 'a clerk reads no feed');
SELECT throws_ok($$SELECT * FROM hall.feed_join('ningbo')$$, '42501', NULL, 'nor joins a province');
RESET SESSION AUTHORIZATION;

-- ------------------------------------------------------------ the demo
SELECT is((SELECT string_agg(g.tgname || ':' || g.tgenabled::text, ',' ORDER BY g.tgrelid::regclass::text, g.tgname)
           FROM pg_trigger g WHERE g.tgname LIKE 'feed\_%' AND g.tgrelid = 'hall.completed_days'::regclass),
	'feed_delete:A,feed_insert:A,feed_truncate:A,feed_update:A',
	'the feed''s triggers fire also under session_replication_role = replica (the demo generator)');

SELECT * FROM finish();
ROLLBACK;
