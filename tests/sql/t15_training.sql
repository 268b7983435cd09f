-- The trainer's tools (schema/012_training.sql): hall.demo_reset() and the
-- portal wrappers hall.demo_submit ... answer on a demo database only, to a
-- trainer only; on a demo database with a seed the reset puts every data
-- table, identity sequence and statistic back as the seed has them, leaves
-- the settings and the clock alone, and is the one audit row left after it.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

-- The SQLSTATE and HINT a statement is refused with.
CREATE FUNCTION public.t15_refusal(stmt text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
DECLARE
	st text;
	h text;
BEGIN
	EXECUTE stmt;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, h = PG_EXCEPTION_HINT;
	RETURN st || ' ' || coalesce(h, '');
END $$;
GRANT EXECUTE ON FUNCTION public.t15_refusal(text) TO PUBLIC;

-- ------------------------------------------------------------- grants
SELECT is(ARRAY(SELECT r FROM unnest(ARRAY['t_clerk_a', 't_sup_s', 't_portal', 't_outsider']) r
                WHERE has_function_privilege(r, 'hall.demo_reset()', 'EXECUTE')
                   OR has_function_privilege(r, 'hall.demo_submit(text, jsonb, text)', 'EXECUTE')
                   OR has_function_privilege(r, 'hall.demo_ask(text, text, jsonb, text, text)', 'EXECUTE')
                   OR has_function_privilege(r, 'hall.demo_resubmit(bigint, integer[])', 'EXECUTE')
                   OR has_function_privilege(r, 'hall.demo_rate(text, bigint, integer, text)', 'EXECUTE')
                   OR has_function_privilege(r, 'hall.demo_withdraw(bigint)', 'EXECUTE')
                   OR has_function_privilege(r, 'hall.demo_keep_seed(jsonb)', 'EXECUTE')), '{}'::text[],
	'no clerk, supervisor, portal or outsider may reset the demo or simulate through the trainer''s functions');
SELECT ok(has_function_privilege('t_trainer', 'hall.demo_reset()', 'EXECUTE')
          AND has_function_privilege('t_trainer', 'hall.demo_submit(text, jsonb, text)', 'EXECUTE'),
	'the trainer may');
SELECT ok(NOT has_function_privilege('t_trainer', 'hall.demo_keep_seed(jsonb)', 'EXECUTE'),
	'but not keep a seed of their own (only the generator does)');
SELECT ok(NOT has_schema_privilege('t_trainer', 'hall_demo_seed', 'USAGE'), 'nor read or change the seed');

-- ------------------------------------------------- not a demo database
-- run.sh makes this database a 'test' one.
SET SESSION AUTHORIZATION t_trainer;
SELECT is(t15_refusal('SELECT hall.demo_reset()'), '55000 reason:not_demo',
	'demo_reset is refused on a database that is not a demo one (55000, reason:not_demo)');
SELECT throws_ok('SELECT hall.demo_reset()', '55000',
	'the demo data can be reset only on a demo database (this one''s mode is test)', 'and says why');
SELECT is(t15_refusal($$SELECT hall.demo_submit('SC001', public.applicant_json('孙七', '230102198001011236', '13800000007'), 'web')$$),
	'55000 reason:not_demo', 'so is simulating the public there');
SELECT is(t15_refusal($$SELECT hall.demo_ask('web', 'SCJG', '{"name": "孙七"}', '问题', '请问需要哪些材料？')$$),
	'55000 reason:not_demo', 'asking too');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM hall.applications), 0::bigint, 'nothing was submitted');
SELECT is((SELECT count(*) FROM hall.audit WHERE actor = 't_trainer'), 0::bigint, 'nothing was written');

UPDATE hall.settings SET value = 'production' WHERE key = 'mode';
SET SESSION AUTHORIZATION t_trainer;
SELECT is(t15_refusal('SELECT hall.demo_reset()'), '55000 reason:not_demo', 'nor on a production database');
RESET SESSION AUTHORIZATION;

-- ------------------------------------------------------ a demo database
UPDATE hall.settings SET value = 'demo' WHERE key = 'mode';
SET SESSION AUTHORIZATION t_trainer;
SELECT is(t15_refusal('SELECT hall.demo_reset()'), '55000 reason:demo_no_seed',
	'without a seed kept by the generator there is nothing to reset to');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(t15_refusal('SELECT hall.demo_reset()'), '42501 ', 'a clerk may not reset a demo database');
RESET SESSION AUTHORIZATION;

-- The seed: a case completed and rated, a case waiting, an inquiry.
SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a1 \gset
SELECT hall.submit('SC002', applicant_json('李四', '230102198502023333', '13822223333'), 'app') AS a2 \gset
SELECT hall.ask('web', 'SCJG', '{"name": "赵六"}', '营业执照', '请问需要哪些材料？') AS q1 \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.claim(:a1);
SELECT hall.approve(:a1, '');
SET SESSION AUTHORIZATION t_portal;
SELECT hall.rate('application', :a1, 5, '很快') AS r1 \gset
RESET SESSION AUTHORIZATION;
RESET hall.fake_now;
SELECT hall.set_clock('2025-10-09 10:00+08', false);

CREATE TEMP TABLE t15_seed AS
SELECT (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.applications x) AS apps,
       (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.applicants x) AS people,
       (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.audit x) AS audit,
       (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.inquiries x) AS inquiries,
       (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.ratings x) AS ratings,
       (SELECT string_agg(x::text, '|' ORDER BY x::text) FROM hall.rating_stats x) AS stats,
       (SELECT string_agg(x::text, '|' ORDER BY x::text) FROM hall.application_materials x) AS mats,
       (SELECT string_agg(x::text, '|' ORDER BY x::text) FROM hall.case_counters x) AS counters,
       (SELECT string_agg(x::text, '|' ORDER BY x::text) FROM hall.outbox x) AS outbox,
       (SELECT max(id) FROM hall.audit) AS audit_max;
SELECT lives_ok($$SELECT hall.demo_keep_seed('{"scale": 2, "seed": 15}')$$, 'the generator keeps its seed');
SELECT is((SELECT count(*) FROM hall_demo_seed.applications), 2::bigint, 'a copy of every case');

-- A training session: the trainee claims and returns, the public submits,
-- the trainer simulates, the clock moves on.
SET SESSION AUTHORIZATION t_clerk_b;
SELECT hall.claim(:a2);
SELECT hall.return_for_correction(:a2, ARRAY[mat('SC002', '营业执照')], '');
SET SESSION AUTHORIZATION t_trainer;
SELECT ok(hall.demo_submit('SC002', applicant_json('孙七', '230102198001011236', '13800000007'), 'kiosk') > :a2,
	'the trainer submits a case for the public on a demo database');
SELECT is((SELECT actor::text FROM hall.audit WHERE action = 'submit' ORDER BY id DESC LIMIT 1), 't_trainer',
	'the audit log names the trainer as the one who did');
SELECT ok(hall.demo_ask('hotline', 'GA', '{"name": "周八"}', '居住证', '外地户口能办居住证吗？') > :q1, 'and asks a question');
SELECT lives_ok(format('SELECT hall.demo_resubmit(%s, ARRAY[%s])', :a2, mat('SC002', '营业执照')),
	'resubmits a returned case');
SELECT lives_ok(format('SELECT hall.demo_withdraw(%s)', :a2), 'withdraws it');
SELECT throws_ok(format($$SELECT hall.demo_rate('application', %s, 4, '')$$, :a1), '55000', NULL,
	'the portal''s own rules still hold (a case is rated once)');
SELECT hall.set_clock('2025-10-20 15:00+08', true);
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM hall.applications), 3::bigint, 'three cases before the reset');

-- A seed older than the schema is not loaded (a column added since, and
-- the trigger that would fill it, would be missing).
ALTER TABLE hall.staff ADD COLUMN t15_added int;
SET SESSION AUTHORIZATION t_trainer;
SELECT is(t15_refusal('SELECT hall.demo_reset()'), '55000 reason:demo_seed_outdated',
	'a seed kept before a column was added is refused (reason:demo_seed_outdated)');
RESET SESSION AUTHORIZATION;
ALTER TABLE hall.staff DROP COLUMN t15_added;

-- The reset.
SET SESSION AUTHORIZATION t_trainer;
SELECT is((hall.demo_reset())->>'seed', '15', 'the trainer resets the demo database to its seed');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.applications x), (SELECT apps FROM t15_seed),
	'the cases are as they were, to the last column');
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.applicants x), (SELECT people FROM t15_seed),
	'the applicants (masked columns and all)');
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.inquiries x), (SELECT inquiries FROM t15_seed),
	'the inquiries');
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.ratings x), (SELECT ratings FROM t15_seed),
	'the ratings');
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x::text) FROM hall.rating_stats x), (SELECT stats FROM t15_seed),
	'the rating statistics');
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x::text) FROM hall.application_materials x), (SELECT mats FROM t15_seed),
	'the materials of each case');
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x::text) FROM hall.case_counters x), (SELECT counters FROM t15_seed),
	'the day''s case counters');
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x::text) FROM hall.outbox x), (SELECT outbox FROM t15_seed),
	'the outbox');
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.audit x WHERE x.action <> 'demo_reset'),
	(SELECT audit FROM t15_seed), 'the audit log, but for the reset''s own row');
SELECT is((SELECT actor::text || ' ' || (id = (SELECT audit_max FROM t15_seed) + 1)::text FROM hall.audit
           WHERE action = 'demo_reset'), 't_trainer true',
	'which names the trainer and takes the id after the seed''s last (the sequences are back)');
SELECT is((SELECT value FROM hall.settings WHERE key = 'mode'), 'demo', 'the database stays a demo one');
SELECT ok(hall.now() >= '2025-10-20 15:00+08', 'and its clock is left where the trainer put it');
SELECT is(ARRAY(SELECT conname::text FROM pg_constraint WHERE conrelid = 'hall.applications'::regclass AND contype = 'f'
                ORDER BY 1),
	ARRAY['applications_applicant_id_fkey', 'applications_claimed_by_fkey', 'applications_closed_by_fkey',
	      'applications_department_code_fkey', 'applications_item_id_fkey', 'applications_window_code_fkey'],
	'the foreign keys are back');
SELECT ok(to_regclass('hall.applications_queue') IS NOT NULL AND to_regclass('hall.audit_app') IS NOT NULL,
	'so are the indexes');
SELECT is((SELECT string_agg(tgname || ':' || tgenabled::text, ',' ORDER BY tgname) FROM pg_trigger
           WHERE tgrelid = 'hall.ratings'::regclass AND NOT tgisinternal),
	'facts_delete:A,facts_insert:A,facts_truncate:A,facts_update:A,rating_stats_delete:A,rating_stats_insert:A,rating_stats_truncate:A,rating_stats_update:A',
	'and the triggers, each as it was (ENABLE ALWAYS)');

-- Life goes on after a reset: the next case gets the next number.
SET hall.fake_now = '2025-09-26 16:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('钱九', '230102197001011232', '13800000009'), 'web') AS a4 \gset
RESET SESSION AUTHORIZATION;
SELECT is(:a4::bigint, :a2::bigint + 1, 'a new case after the reset takes the id after the seed''s');
SELECT is((SELECT case_no FROM hall.applications WHERE id = :a4), '250926-0003', 'and the next case number of its day');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s)', :a4), 'a trainee works on as before');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
