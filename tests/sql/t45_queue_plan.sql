-- The queue stays an index scan under row-level security: 200k cases, the
-- terminal's keyset query on v_queue, custom and generic plans.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

INSERT INTO hall.applicants (kind, name, id_number, phone)
SELECT 'person', '申请人' || g, '2301021990' || lpad(g::text, 8, '0'), '138' || lpad(g::text, 8, '0')
FROM generate_series(1, 20000) g;
INSERT INTO hall.applications (case_no, item_id, applicant_id, department_code, window_code, channel, state,
	received_at, received_on, accept_due, promised_days, sort_due, updated_at)
SELECT 'P' || g, (SELECT id FROM hall.items WHERE code = 'SC001'),
	(SELECT min(id) FROM hall.applicants) + g % 20000, 'SCJG', CASE WHEN g % 2 = 0 THEN 'A01' ELSE 'A02' END, 'web',
	(ARRAY['submitted', 'completed', 'completed', 'rejected', 'returned'])[1 + g % 5],
	now(), '2025-06-01'::date + g % 120, '2025-06-08'::date + g % 120, 5,
	CASE WHEN g % 5 = 0 THEN '2025-06-08'::date + g % 120 ELSE 'infinity' END, now()
FROM generate_series(1, 200000) g;
ANALYZE hall.applications;
ANALYZE hall.applicants;

CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE l text; r text := '';
BEGIN
	FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP r := r || l || E'\n'; END LOOP;
	RETURN r;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.plan_of(text) TO PUBLIC;
-- Rows this transaction fetched from hall.applications (t45's keyed pages).
CREATE FUNCTION pg_temp.fetched() RETURNS bigint LANGUAGE sql AS
	$$ SELECT coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0) FROM pg_stat_xact_user_tables
	   WHERE relid = 'hall.applications'::regclass $$;
GRANT EXECUTE ON FUNCTION pg_temp.fetched() TO PUBLIC;

-- A few green-channel cases (绿色通道: queue_rank 0), which lead the queue.
UPDATE hall.applications SET queue_rank = 0, green_channel = 'elderly'
WHERE case_no IN ('P1000', 'P1002', 'P1010', 'P1020', 'P1030');
ANALYZE hall.applications;

-- Who holds what: the index of claims holds the held states only (003),
-- so a clerk's claims of every closed case never enter a bitmap.
SELECT matches(pg_temp.plan_of($$SELECT id FROM hall.applications WHERE claimed_by = 1 AND state = 'in_review'$$),
	'applications_claimed_by', 'a clerk''s held cases are read from the index of claims');
SELECT is((SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i WHERE i.indexrelid = 'hall.applications_claimed_by'::regclass),
	$$(state = ANY (ARRAY['in_review'::text, 'escalated'::text]))$$, 'which holds the held states only');

SET SESSION AUTHORIZATION t_clerk_a;
SELECT matches(pg_temp.plan_of($$SELECT * FROM hall.v_queue WHERE window_code = 'A01'
	AND (queue_rank, sort_due, id) > (1, '2025-07-01', 0)
	ORDER BY queue_rank, sort_due, id LIMIT 30$$), 'Index Scan using applications_queue on applications[^\n]*\n *Index Cond: [^\n]*ROW\(queue_rank',
	'the keyset query is an index scan on applications_queue, the keyset its index condition');
SELECT doesnt_match(pg_temp.plan_of($$SELECT * FROM hall.v_queue WHERE window_code = 'A01'
	AND (queue_rank, sort_due, id) > (1, '2025-07-01', 0)
	ORDER BY queue_rank, sort_due, id LIMIT 30$$), 'Sort|Seq Scan on applications', 'with no sort and no sequential scan of the cases');
SELECT matches(pg_temp.plan_of($$SELECT * FROM hall.v_queue WHERE window_code = 'A01'
	ORDER BY queue_rank, sort_due, id LIMIT 30$$), 'Index Scan using applications_queue on applications',
	'the first page too');
-- Every row pays the applicants' policy probe (004): a clerk's names the
-- window with the applicant, both in the index condition, not the
-- window as a filter over all the applicant's cases (10 each here, 391 at
-- 32 million).
SELECT matches(pg_temp.plan_of($$SELECT * FROM hall.v_queue WHERE window_code = 'A01'
	ORDER BY queue_rank, sort_due, id LIMIT 30$$),
	'using applications_applicant on applications[^\n]*\n *Index Cond: \(\(applicant_id = [^\n]*AND \(window_code = ',
	'the applicant''s policy probe: applicant and window in the index condition');
PREPARE queue(text, smallint, date, bigint) AS
	SELECT * FROM hall.v_queue WHERE window_code = $1 AND (queue_rank, sort_due, id) > ($2, $3, $4)
	ORDER BY queue_rank, sort_due, id LIMIT 30;
SET plan_cache_mode = force_generic_plan;
SELECT matches(pg_temp.plan_of($$EXECUTE queue('A01', 1, '2025-07-01', 0)$$), 'Index Scan using applications_queue',
	'the generic plan of the prepared query too');
RESET plan_cache_mode;
-- The terminal's own form (src/db/cases.c): the key is (sort_due, id) of a
-- row, its rank read from the row itself.
SELECT matches(pg_temp.plan_of($$SELECT * FROM hall.v_queue q WHERE q.window_code = 'A01'
	AND (q.queue_rank, q.sort_due, q.id) >
	    ((SELECT coalesce(max(k.queue_rank), 1::smallint) FROM hall.applications k WHERE k.id = 1000), '2025-07-01'::date, 1000::bigint)
	ORDER BY q.queue_rank, q.sort_due, q.id LIMIT 30$$), 'Index Cond: [^\n]*ROW\(queue_rank, sort_due, id\) > ROW\(\$',
	'the terminal''s keyset, the rank read by the key''s id, is an index condition');
SELECT doesnt_match(pg_temp.plan_of($$SELECT * FROM hall.v_queue q WHERE q.window_code = 'A01'
	AND (q.queue_rank, q.sort_due, q.id) >
	    ((SELECT coalesce(max(k.queue_rank), 1::smallint) FROM hall.applications k WHERE k.id = 1000), '2025-07-01'::date, 1000::bigint)
	ORDER BY q.queue_rank, q.sort_due, q.id LIMIT 30$$), 'Sort|Seq Scan on applications|Filter: \(ROW',
	'with no sort and no sequential scan of the cases');
SELECT is((SELECT count(*) FROM hall.v_queue WHERE window_code = 'A01' AND (queue_rank, sort_due, id) > (1, '2025-07-01', 0)), 34996::bigint,
	'past the page boundary: A01''s 20000 returned cases and 15000 submitted ones due from Jul 1, but the 4 green ones (P1002 is closed)');
SELECT is(ARRAY(SELECT case_no FROM hall.v_queue WHERE window_code = 'A01' ORDER BY queue_rank, sort_due, id LIMIT 5),
	ARRAY(SELECT case_no FROM hall.applications WHERE window_code = 'A01' AND queue_rank = 0
	      AND state IN ('submitted', 'in_review', 'returned', 'escalated') ORDER BY sort_due, id)
	|| ARRAY(SELECT case_no FROM hall.applications WHERE window_code = 'A01' AND queue_rank = 1
	         AND state IN ('submitted', 'in_review', 'returned', 'escalated') ORDER BY sort_due, id LIMIT 1),
	'the green channel comes first, whatever its deadline');
SELECT is((SELECT count(*) FROM hall.v_queue WHERE window_code = 'A02'), 0::bigint, 'and RLS still hides A02');
SELECT matches(pg_temp.plan_of($$SELECT id FROM hall.applications WHERE window_code = 'A01' AND state = 'submitted'
	ORDER BY queue_rank, sort_due, id LIMIT 1$$), 'Index (Only )?Scan using applications_(claimable|queue)', 'claiming finds its case by index');


-- The terminal reads its pages through hall.queue_page (generic plans kept
-- by PL/pgSQL for the session): the same rows as v_queue, in each
-- direction, with the key of a row.
SELECT id AS k30, sort_due AS d30 FROM hall.v_queue WHERE window_code = 'A01'
	ORDER BY queue_rank, sort_due, id OFFSET 29 LIMIT 1 \gset
SELECT id AS k31, sort_due AS d31 FROM hall.v_queue WHERE window_code = 'A01'
	ORDER BY queue_rank, sort_due, id OFFSET 30 LIMIT 1 \gset
SELECT is(ARRAY(SELECT id FROM hall.queue_page('{A01}', 'first', NULL, NULL, NULL, NULL, false, 30)),
	ARRAY(SELECT id FROM hall.v_queue WHERE window_code = 'A01' ORDER BY queue_rank, sort_due, id LIMIT 30), 'queue_page first: the first 30 of v_queue, in order');
SELECT is(ARRAY(SELECT id FROM hall.queue_page('{A01}', 'after', :'d30', :k30, NULL, NULL, false, 30)),
	ARRAY(SELECT id FROM hall.v_queue WHERE window_code = 'A01' ORDER BY queue_rank, sort_due, id OFFSET 30 LIMIT 30), 'after the 30th: the next 30');
SELECT is(ARRAY(SELECT id FROM hall.queue_page('{A01}', 'from', :'d30', :k30, NULL, NULL, false, 30)),
	ARRAY(SELECT id FROM hall.v_queue WHERE window_code = 'A01' ORDER BY queue_rank, sort_due, id OFFSET 29 LIMIT 30), 'from the 30th: it and the next 29');
SELECT is(ARRAY(SELECT id FROM hall.queue_page('{A01}', 'before', :'d31', :k31, NULL, NULL, false, 30)),
	ARRAY(SELECT x.id FROM (SELECT id, queue_rank, sort_due FROM hall.v_queue WHERE window_code = 'A01'
	                        ORDER BY queue_rank, sort_due, id LIMIT 30) x
	      ORDER BY x.queue_rank DESC, x.sort_due DESC, x.id DESC),
	'before the 31st: the first 30, nearest first');
-- The terminal passes the key row's rank (it has the row): the same pages
-- without reading the key's row again through row-level security.
SELECT queue_rank AS r30 FROM hall.v_queue WHERE id = :k30 \gset
SELECT queue_rank AS r31 FROM hall.v_queue WHERE id = :k31 \gset
SELECT is(ARRAY(SELECT id FROM hall.queue_page('{A01}', 'after', :'d30', :k30, NULL, NULL, false, 30, :r30)),
	ARRAY(SELECT id FROM hall.queue_page('{A01}', 'after', :'d30', :k30, NULL, NULL, false, 30)),
	'after the 30th with its rank given: the same page');
SELECT is(ARRAY(SELECT id FROM hall.queue_page('{A01}', 'before', :'d31', :k31, NULL, NULL, false, 30, :r31)),
	ARRAY(SELECT id FROM hall.queue_page('{A01}', 'before', :'d31', :k31, NULL, NULL, false, 30)),
	'before the 31st with its rank given: the same page');
SELECT is(ARRAY(SELECT id FROM hall.queue_page('{A01}', 'from', :'d30', :k30, NULL, NULL, false, 30, 0)),
	ARRAY(SELECT id FROM hall.v_queue WHERE window_code = 'A01' AND (queue_rank, sort_due, id) >= (0, :'d30', :k30)
	      ORDER BY queue_rank, sort_due, id LIMIT 30),
	'the rank given is the key''s: rank 0 before it pages from the green channel''s place');
SELECT is(ARRAY(SELECT id FROM hall.queue_page('{A01}', 'last', NULL, NULL, NULL, NULL, false, 30)),
	ARRAY(SELECT id FROM hall.v_queue WHERE window_code = 'A01' ORDER BY queue_rank DESC, sort_due DESC, id DESC LIMIT 30), 'last: the last 30, nearest first');
-- A keyed page reads a page's worth of the window, not every case past the
-- key (the generic plan must follow the index, not scan and sort): counted
-- in the rows this transaction fetched from hall.applications.  These 200k
-- cases do not tempt the planner the other way; a million demo cases did
-- (the P2 bench: 93 ms a keyed page), hence enable_sort off in queue_page.
SELECT pg_temp.fetched() AS f0 \gset
SELECT count(*) FROM hall.queue_page('{A01}', 'after', :'d30', :k30, NULL, NULL, false, 30);
SELECT ok(pg_temp.fetched() - :f0 < 500, 'a page after a key fetches a page''s worth of cases, not the window''s 35,000');
SELECT pg_temp.fetched() AS f0 \gset
SELECT count(*) FROM hall.queue_page('{A01}', 'before', :'d31', :k31, NULL, NULL, false, 30);
SELECT ok(pg_temp.fetched() - :f0 < 500, 'and so does a page before one');
SELECT is((SELECT count(*) FROM hall.queue_page('{A01}', 'first', NULL, NULL, 'returned', NULL, false, 500)
           WHERE state <> 'returned'), 0::bigint, 'a state filter keeps that state only');
SELECT is((SELECT count(*) FROM hall.queue_page('{A02}', 'first', NULL, NULL, NULL, NULL, false, 30)), 0::bigint,
	'and the caller''s scope decides: nothing of A02 for a clerk of A01');
SELECT is((SELECT count(*) FROM hall.queue_page('{A01,A02}', 'first', NULL, NULL, NULL, NULL, false, 500) WHERE window_code <> 'A01'),
	0::bigint, '... also when A02 is asked for beside A01');
RESET SESSION AUTHORIZATION;
SELECT id AS k_a02, sort_due AS d_a02 FROM hall.applications WHERE window_code = 'A02' AND state = 'submitted'
	ORDER BY queue_rank, sort_due, id LIMIT 1 \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is((SELECT count(*) FROM hall.queue_page('{A02}', 'after', :'d_a02', :k_a02, NULL, NULL, false, 30)), 0::bigint,
	'... or a page after one of its cases');
SELECT is((SELECT prosecdef::text || ' ' || array_to_string(proconfig, ',') FROM pg_proc WHERE oid = 'hall.queue_page'::regproc),
	'true search_path=pg_catalog, hall, pg_temp,plan_cache_mode=force_generic_plan,enable_sort=off',
	'queue_page runs as the owner and applies the scope itself (no policy evaluated per row)');
SELECT throws_ok($$SELECT * FROM hall.queue_page('{A01}', 'sideways', NULL, NULL, NULL, NULL, false, 30)$$,
	'22023', NULL, 'an unknown direction is refused');
SELECT throws_ok($$SELECT * FROM hall.queue_page('{A01}', 'after', NULL, NULL, NULL, NULL, false, 30)$$,
	'22023', NULL, 'and a keyed page without its key');
RESET SESSION AUTHORIZATION;
-- The scopes of 004's policies, for each kind of staff.
SET SESSION AUTHORIZATION t_sup_s;
SELECT is((SELECT count(*) FROM hall.queue_page('{A01,A02,B01}', 'first', NULL, NULL, NULL, NULL, false, 100000)),
	(SELECT count(*) FROM hall.v_queue WHERE window_code IN ('A01', 'A02', 'B01')),
	'a supervisor''s pages: what their policy shows (SCJG''s windows)');
SELECT ok((SELECT count(*) FROM hall.queue_page('{A02}', 'first', NULL, NULL, NULL, NULL, false, 30)) = 30,
	'... A02 included');
RESET SESSION AUTHORIZATION;
-- a case of another department filed at an SCJG window (by hand: no
-- function would) stays out of the SCJG supervisor's pages
UPDATE hall.applications SET department_code = 'GA' WHERE id = :k_a02;
SET SESSION AUTHORIZATION t_sup_s;
SELECT is((SELECT count(*) FROM hall.queue_page('{A02}', 'first', NULL, NULL, NULL, NULL, false, 100000) WHERE id = :k_a02),
	0::bigint, '... but a case of another department, even at their window');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_sup_g;
SELECT is((SELECT count(*) FROM hall.queue_page('{A01,A02}', 'first', NULL, NULL, NULL, NULL, false, 100000)),
	1::bigint, 'GA''s supervisor: of SCJG''s windows, only that case of GA''s');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_trainer;
SELECT is((SELECT count(*) FROM hall.queue_page('{A01,A02}', 'first', NULL, NULL, NULL, NULL, false, 100000)),
	(SELECT count(*) FROM hall.applications WHERE window_code IN ('A01', 'A02')
	 AND state IN ('submitted', 'in_review', 'returned', 'escalated')),
	'the trainer''s: every open case of the windows asked for');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_clerk_g;
SELECT is((SELECT count(*) FROM hall.queue_page('{A01,A02,B01}', 'first', NULL, NULL, NULL, NULL, false, 100000)
           WHERE window_code <> 'B01'), 0::bigint, 'a clerk of B01: nothing of A01 or A02');
RESET SESSION AUTHORIZATION;
UPDATE hall.applications SET department_code = 'SCJG' WHERE id = :k_a02;
SET SESSION AUTHORIZATION t_clerk_a;


-- v_queue writes hall.days_left and hall.urgency out over hall.days (no
-- function call a row): the same answers as the functions, for every
-- deadline of the 200k cases, a fortnight of working days and holidays
-- around today, and the paused ('infinity') ones.
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM hall.v_queue q, LATERAL (SELECT hall.today() AS today) t
           WHERE (q.days_left, q.urgency) IS DISTINCT FROM
                 (hall.days_left(q.sort_due, t.today), hall.urgency(q.sort_due, t.today, hall.setting_int('warn_days')))),
	0::bigint, 'days left and urgency of the queue view equal hall.days_left and hall.urgency');
SET hall.fake_now = '2025-10-01 10:00+08';
SELECT is((SELECT count(*) FROM hall.v_queue q
           WHERE (q.days_left, q.urgency) IS DISTINCT FROM
                 (hall.days_left(q.sort_due, '2025-10-01'), hall.urgency(q.sort_due, '2025-10-01', hall.setting_int('warn_days')))),
	0::bigint, '... also on a holiday (National Day), with deadlines before, during and after it');
RESET hall.fake_now;
SELECT ok(has_table_privilege('hall_clerk', 'hall.days', 'SELECT'), 'the calendar''s running count is readable by staff (public dates)');

-- hall.queue_page reads hall.queue_rows, which writes v_queue's columns out
-- again over the base tables (today asked once a page): the same rows with
-- the same values, column by column, in every scope and with each filter,
-- on a working day and on a holiday.  Some cases claimed, one of them by
-- the clerk, and returned ones overdue, so that every column varies.
SELECT id AS clerk_a_id FROM hall.staff WHERE login = 't_clerk_a' \gset
SELECT id AS sup_id FROM hall.staff WHERE login = 't_sup_s' \gset
-- (every other one by its rank, not by its id's parity: the ids follow
-- whatever earlier test files drew from the sequence)
UPDATE hall.applications a SET state = 'in_review', claimed_by = CASE WHEN s.n % 2 = 0 THEN :clerk_a_id ELSE :sup_id END,
	claimed_at = now()
FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM hall.applications WHERE state = 'submitted' ORDER BY id LIMIT 40) s
WHERE a.id = s.id;
UPDATE hall.applications SET returned_on = '2025-06-01', due_date = '2025-07-01'
WHERE id IN (SELECT id FROM hall.applications WHERE state = 'returned' ORDER BY id LIMIT 20);
UPDATE hall.applications SET returned_on = '2025-07-15', due_date = '2025-07-01'
WHERE id IN (SELECT id FROM hall.applications WHERE state = 'returned' ORDER BY id DESC LIMIT 20);
CREATE FUNCTION pg_temp.page_rows(p_windows text[], p_state text, p_item int, p_mine boolean) RETURNS SETOF text
LANGUAGE sql AS $$
	SELECT row(q.*)::text FROM hall.queue_page(p_windows, 'first', NULL, NULL, p_state, p_item, p_mine, 1000000) q
$$;
CREATE FUNCTION pg_temp.view_rows(p_windows text[], p_state text, p_item int, p_mine boolean) RETURNS SETOF text
LANGUAGE sql AS $$
	SELECT row(v.id, v.item_id, v.case_no, v.item_name, v.applicant_name, v.id_masked, v.channel, v.state,
	           v.sort_due, v.deadline, v.days_left, v.urgency, v.claimed_login::text, v.claimed_name,
	           v.window_code, v.return_count, v.returned_overdue, v.queue_rank)::text
	FROM hall.v_queue v
	WHERE v.window_code = ANY (p_windows) AND (p_state IS NULL OR v.state = p_state)
	  AND (p_item IS NULL OR v.item_id = p_item) AND (NOT p_mine OR v.claimed_login = session_user)
	ORDER BY v.queue_rank, v.sort_due, v.id
$$;
GRANT EXECUTE ON FUNCTION pg_temp.page_rows(text[], text, int, boolean), pg_temp.view_rows(text[], text, int, boolean) TO PUBLIC;
SELECT is(ARRAY[(SELECT count(DISTINCT (days_left, urgency)) FROM hall.v_queue) > 10,
                (SELECT count(*) FROM hall.v_queue WHERE returned_overdue) > 0,
                (SELECT count(*) FROM hall.v_queue WHERE claimed_login IS NOT NULL) = 40],
	ARRAY[true, true, true], '(the cases compared vary in days left, urgency, claims and returns)');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(ARRAY(SELECT pg_temp.page_rows('{A01,A02}', NULL, NULL, false)), ARRAY(SELECT pg_temp.view_rows('{A01}', NULL, NULL, false)),
	'a clerk''s queue_page rows are v_queue''s, every column');
SELECT is(ARRAY(SELECT pg_temp.page_rows('{A01}', NULL, NULL, true)), ARRAY(SELECT pg_temp.view_rows('{A01}', NULL, NULL, true)),
	'... their own cases (20 of them)');
SELECT is(cardinality(ARRAY(SELECT pg_temp.page_rows('{A01}', NULL, NULL, true))), 20, '(their own cases: 20)');
SELECT is(ARRAY(SELECT pg_temp.page_rows('{A01}', 'returned', NULL, false)), ARRAY(SELECT pg_temp.view_rows('{A01}', 'returned', NULL, false)),
	'... a state''s');
SELECT is(ARRAY(SELECT pg_temp.page_rows('{A01}', NULL, (SELECT id FROM hall.items WHERE code = 'SC001'), false)),
	ARRAY(SELECT pg_temp.view_rows('{A01}', NULL, (SELECT id FROM hall.items WHERE code = 'SC001'), false)), '... an item''s');
-- (this session's today is past every deadline here: all overdue)
SET hall.fake_now = '2025-07-07 10:00+08';  -- a Monday: A01's 07-08 deadlines 1 working day away (warn_days 1)
SELECT is(ARRAY(SELECT pg_temp.page_rows('{A01}', NULL, NULL, false)), ARRAY(SELECT pg_temp.view_rows('{A01}', NULL, NULL, false)),
	'... on a day with deadlines before and after it, and some just at the warning''s edge');
SELECT is((SELECT count(DISTINCT urgency) FROM hall.v_queue), 4::bigint, '(paused, overdue, warning and ok, that day)');
SET hall.fake_now = '2025-10-01 10:00+08';
SELECT is(ARRAY(SELECT pg_temp.page_rows('{A01}', NULL, NULL, false)), ARRAY(SELECT pg_temp.view_rows('{A01}', NULL, NULL, false)),
	'... and on a holiday (National Day)');
RESET hall.fake_now;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_sup_s;
SELECT is(ARRAY(SELECT pg_temp.page_rows('{A01,A02,B01}', NULL, NULL, false)), ARRAY(SELECT pg_temp.view_rows('{A01,A02,B01}', NULL, NULL, false)),
	'a supervisor''s: v_queue''s rows, every column');
SELECT is(ARRAY(SELECT pg_temp.page_rows('{A01,A02}', NULL, NULL, true)), ARRAY(SELECT pg_temp.view_rows('{A01,A02}', NULL, NULL, true)),
	'... their own claims (20)');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_trainer;
SELECT is(ARRAY(SELECT pg_temp.page_rows('{A01,A02}', 'in_review', NULL, false)), ARRAY(SELECT pg_temp.view_rows('{A01,A02}', 'in_review', NULL, false)),
	'a trainer''s: v_queue''s rows, every column');
RESET SESSION AUTHORIZATION;
SELECT ok(NOT has_function_privilege('hall_clerk', 'hall.queue_rows(date, int, int)', 'EXECUTE')
          AND NOT has_function_privilege('hall_supervisor', 'hall.queue_rows(date, int, int)', 'EXECUTE'),
	'hall.queue_rows, which has no scope of its own, is not for staff');

SELECT * FROM finish();
ROLLBACK;
