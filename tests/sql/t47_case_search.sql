-- Finding a case by a part of its number or of the applicant's name
-- (hall.search_case_ids, 014): the numbers kept in hall.case_numbers as
-- cases are written, the scope of the caller applied, and the trigram
-- indexes used, which a LIKE under row-level security cannot.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a1 \gset
SELECT hall.submit('SC001', applicant_json('赵六', '230102199202025678', '13900001111'), 'app') AS b1 \gset
SELECT hall.submit('GA001', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS g1 \gset
RESET SESSION AUTHORIZATION;

-- -------------------------------------------------- the numbers' table
SELECT is((SELECT case_no FROM hall.case_numbers WHERE app_id = :a1), (app(:a1)).case_no,
	'a submitted case''s number is in hall.case_numbers');
SELECT is((SELECT count(*) FROM hall.case_numbers), (SELECT count(*) FROM hall.applications),
	'one number a case');
INSERT INTO hall.applications (case_no, item_id, applicant_id, department_code, window_code, channel, state,
	received_at, received_on, accept_due, promised_days, sort_due, updated_at)
SELECT 'BULK-' || g, (SELECT id FROM hall.items WHERE code = 'SC001'), (app(:b1)).applicant_id, 'SCJG', 'A02', 'web',
	'completed', now(), '2025-06-01', '2025-06-08', 5, 'infinity', now()
FROM generate_series(1, 3) g;
SELECT is((SELECT count(*) FROM hall.case_numbers WHERE case_no LIKE 'BULK-%'), 3::bigint,
	'several cases in one statement: all three');
UPDATE hall.applications SET case_no = 'RENUMBERED-1' WHERE case_no = 'BULK-1';
SELECT is((SELECT count(*) FROM hall.case_numbers WHERE case_no = 'RENUMBERED-1'), 1::bigint,
	'a number changed by hand follows');
SELECT is((SELECT count(*) FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
           JOIN pg_catalog.pg_am m ON m.oid = c.relam
           WHERE i.indrelid = 'hall.applications'::regclass AND m.amname = 'gin'), 0::bigint,
	'no GIN index on hall.applications: a transition writes none');

SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok('SELECT * FROM hall.case_numbers', '42501', NULL, 'a clerk does not read the table of numbers');
SELECT ok(NOT has_table_privilege('hall.case_numbers', 'INSERT, UPDATE, DELETE'), 'nor writes it');

-- ------------------------------------------------------- the search
SELECT is(ARRAY(SELECT hall.search_case_ids('%' || substr((app(:a1)).case_no, 4) || '%', '', '{A01,A02,B01}')),
	ARRAY[:a1::bigint], 'clerk of A01: a part of the number finds their case');
SELECT is(ARRAY(SELECT hall.search_case_ids('%王五%', '%王五%', '{A01,A02,B01}')), ARRAY[:a1::bigint],
	'by the name: only the case of their window, not the same person''s case at B01');
SELECT is(ARRAY(SELECT hall.search_case_ids('%nothing%', '王%', '{A01}')), ARRAY[:a1::bigint],
	'the name by its own pattern (the queue''s filter: the name''s beginning)');
SELECT is(ARRAY(SELECT hall.search_case_ids('%nothing%', '五%', '{A01}')), '{}'::bigint[], 'which is not the number''s');
SELECT is(ARRAY(SELECT hall.search_case_ids('%赵六%', '%赵六%', '{A02}')), '{}'::bigint[],
	'another window''s case is not found, even when asked for');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_clerk_g;
SELECT is(ARRAY(SELECT hall.search_case_ids('%王五%', '%王五%', '{A01,B01}')), ARRAY[:g1::bigint], 'clerk of B01: theirs');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_sup_s;
SELECT is(ARRAY(SELECT x FROM hall.search_case_ids('%王五%', '%王五%', '{A01,A02,B01}') x ORDER BY x), ARRAY[:a1::bigint],
	'supervisor of SCJG: the department''s cases, not GA''s');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_trainer;
SELECT is(ARRAY(SELECT x FROM hall.search_case_ids('%王五%', '%王五%', '{A01,A02,B01}') x ORDER BY x),
	ARRAY(SELECT unnest(ARRAY[:a1::bigint, :g1::bigint]) ORDER BY 1), 'the trainer: every window asked for');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_ghost;
SELECT throws_ok($$SELECT hall.search_case_ids('%王五%', '%王五%', '{A01}')$$, '42501', NULL, 'not a staff member: refused');
RESET SESSION AUTHORIZATION;

-- ---------------------------------------------- the indexes, at size
INSERT INTO hall.applications (case_no, item_id, applicant_id, department_code, window_code, channel, state,
	received_at, received_on, accept_due, promised_days, sort_due, updated_at)
SELECT 'S' || lpad(g::text, 7, '0'), (SELECT id FROM hall.items WHERE code = 'SC001'), (app(:b1)).applicant_id, 'SCJG',
	'A02', 'web', 'completed', now(), '2025-06-01', '2025-06-08', 5, 'infinity', now()
FROM generate_series(1, 50000) g;
ANALYZE hall.case_numbers;
ANALYZE hall.applications;
-- Scans of the index in this transaction (as a clerk: the function's, run as its owner).
CREATE FUNCTION pg_temp.scans() RETURNS bigint LANGUAGE sql AS
	$$ SELECT pg_catalog.pg_stat_get_xact_numscans('hall.case_numbers_case_no_trgm'::regclass) $$;
GRANT EXECUTE ON FUNCTION pg_temp.scans() TO PUBLIC;
SELECT pg_temp.scans() AS before \gset
SET SESSION AUTHORIZATION t_clerk_c;
SELECT is((SELECT count(*) FROM hall.search_case_ids('%0012345%', '%0012345%', '{A02}')), 1::bigint,
	'clerk of A02: one of 50,000 numbers found by a part of it');
RESET SESSION AUTHORIZATION;
SELECT cmp_ok(pg_temp.scans(), '>', :before::bigint, 'through the trigram index');

SELECT * FROM finish();
ROLLBACK;
