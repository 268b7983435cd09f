-- The rules every function of the schema keeps, read from the catalog so
-- that a function added later is held to them too (doc/security.md):
-- a search_path ending in pg_temp, no temporary objects for callers, texts
-- checked after cleaning against their documented limits.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

-- 1. search_path.  Without pg_temp named last, PostgreSQL searches the
-- caller's temporary schema FIRST for tables and types: a caller's
-- pg_temp.text domain or pg_temp.pg_roles table would then run inside a
-- SECURITY DEFINER function with the owner's rights.
SELECT is(ARRAY(
	SELECT p.oid::regprocedure::text
	FROM pg_catalog.pg_proc p
	WHERE p.pronamespace IN (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname IN ('hall', 'hall_demo'))
	  AND p.prosecdef
	  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c ~ '^search_path=.*\mpg_temp$')
	ORDER BY 1), '{}'::text[],
	'every SECURITY DEFINER function sets a search_path that ends with pg_temp');
SELECT is(ARRAY(
	SELECT p.oid::regprocedure::text
	FROM pg_catalog.pg_proc p
	WHERE p.pronamespace IN (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname IN ('hall', 'hall_demo'))
	  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
	  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c ~ '^search_path=.*\mpg_temp$')
	ORDER BY 1), '{}'::text[],
	'and so does every other function that sets one (they run inside definer functions)');
-- Owned by hall_admin: a SECURITY DEFINER function runs with its owner's
-- rights, and a migration that lost its SET LOCAL ROLE (017's
-- hall.schedule_minutely resets it for pg_cron) would leave the superuser
-- owning what it creates after.
SELECT is(ARRAY(
	SELECT p.oid::regprocedure::text || ' ' || pg_catalog.pg_get_userbyid(p.proowner)
	FROM pg_catalog.pg_proc p
	WHERE p.pronamespace = 'hall'::regnamespace AND p.proowner <> 'hall_admin'::regrole
	ORDER BY 1), '{}'::text[], 'every function of schema hall belongs to hall_admin');
SELECT is(ARRAY(
	SELECT c.oid::regclass::text || ' ' || pg_catalog.pg_get_userbyid(c.relowner)
	FROM pg_catalog.pg_class c
	WHERE c.relnamespace = 'hall'::regnamespace AND c.relowner <> 'hall_admin'::regrole
	ORDER BY 1), '{}'::text[], 'and every table, view, index and sequence');
SELECT cmp_ok((SELECT count(*) FROM pg_catalog.pg_proc WHERE pronamespace = 'hall'::regnamespace AND prosecdef), '>', 50::bigint,
	'(the check above did look at the definer functions)');

-- 2. No temporary objects for staff or the portal: the second wall.
SELECT is(ARRAY(SELECT r FROM unnest(ARRAY['t_clerk_a', 't_sup_s', 't_trainer', 't_portal']) r
                WHERE has_database_privilege(r, current_database(), 'TEMPORARY')), '{}'::text[],
	'no staff or portal role may create temporary objects in the hall database');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok('CREATE TEMP TABLE pg_roles (rolname name, rolsuper boolean)', '42501', NULL,
	'a clerk cannot create a temporary table');
RESET SESSION AUTHORIZATION;

-- 3. Even where TEMPORARY is granted again by mistake, a shadow changes
-- nothing inside the functions: a type, a table, a function and an operator.
GRANT TEMPORARY ON DATABASE :"DBNAME" TO t_clerk_a;
SET SESSION AUTHORIZATION t_clerk_a;
CREATE TEMP TABLE settings (key text, value text);
INSERT INTO settings VALUES ('accept_days', '999'), ('mode', 'production');
CREATE TEMP TABLE staff_windows (staff_id int, window_code text);
CREATE FUNCTION pg_temp.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '2000-01-01'::timestamptz $$;
CREATE FUNCTION pg_temp.shadow_eq(int, int) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE OPERATOR pg_temp.= (LEFTARG = int, RIGHTARG = int, FUNCTION = pg_temp.shadow_eq);
CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (false);
SET search_path = pg_temp, hall, pg_catalog;
SET hall.fake_now = '2025-09-29 09:00+08';
-- (pgTAP itself would fall to the shadows: read the answers first.)
SELECT hall.setting('accept_days') AS s_accept, hall.mode() AS s_mode, hall.today() AS s_today,
       hall.clean_line(E'a\tb') AS s_clean \gset
DO $$
BEGIN
	PERFORM hall.escalate(999999, '需要上级决定');
EXCEPTION WHEN OTHERS THEN
	PERFORM pg_catalog.set_config('t95.escalate', SQLSTATE, false);
END $$;
RESET search_path;
RESET SESSION AUTHORIZATION;
DROP DOMAIN pg_temp.text;
SELECT is(:'s_accept'::text, '5', 'a temporary "settings" table does not replace hall.settings');
SELECT is(:'s_mode'::text, 'test', 'nor the mode');
SELECT is(:'s_today'::text, '2025-09-29', 'a temporary now() does not replace the clock');
SELECT is(:'s_clean'::text, 'a b', 'a temporary domain "text" does not enter the text helpers');
SELECT is(current_setting('t95.escalate')::text, 'P0002',
	'a temporary staff_windows or = operator does not open another window''s case');
REVOKE TEMPORARY ON DATABASE :"DBNAME" FROM t_clerk_a;

-- 4. Texts: every field a function names exists, with its limits.
SELECT is(ARRAY(
	SELECT DISTINCT m[1]
	FROM pg_catalog.pg_proc p, regexp_matches(p.prosrc, '(?:require|optional)_text\([^;]*?''([a-z_]+)''\)', 'g') m
	WHERE p.pronamespace = 'hall'::regnamespace AND p.proname NOT IN ('require_text', 'optional_text')
	  AND NOT EXISTS (SELECT 1 FROM hall.text_fields f WHERE f.field = m[1])
	ORDER BY 1), '{}'::text[],
	'every text field named by a function is in hall.text_fields');
SELECT is(ARRAY(
	SELECT f.field FROM hall.text_fields f
	WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p
	                  WHERE p.pronamespace = 'hall'::regnamespace AND p.prosrc LIKE '%''' || f.field || '''%')
	ORDER BY 1), '{}'::text[],
	'and every field of hall.text_fields is used');
SELECT is(ARRAY(
	SELECT p.oid::regprocedure::text
	FROM pg_catalog.pg_proc p
	WHERE p.pronamespace = 'hall'::regnamespace AND p.prosecdef
	  AND p.prosrc ~ '\mclean_(line|text)\(' AND p.proname NOT IN ('checked_text')
	ORDER BY 1), '{}'::text[],
	'no definer function cleans a text itself: each goes through require_text or optional_text');

SELECT throws_ok($$SELECT hall.require_text(E'\t\n', 'escalation_reason')$$, '22023', 'an escalation reason is required',
	'a reason of a tab and a newline is no reason');
SELECT throws_ok($$SELECT hall.require_text(E'\x07\x1b', 'escalation_reason')$$, '22023', NULL,
	'nor one of control characters');
SELECT throws_ok($$SELECT hall.require_text(E'\u200b\u200b\u3000\ufeff', 'reveal_reason')$$, '22023', NULL,
	'nor one of zero-width and ideographic spaces');
SELECT throws_ok($$SELECT hall.require_text('驳回', 'rejection_reason')$$, '22023',
	'the legal reason of a rejection needs at least 5 characters (got 2)', 'a rejection''s legal reason has at least 5 characters');
SELECT is(hall.require_text(E' 不符合《条例》\t第十条 ', 'rejection_reason'), '不符合《条例》 第十条',
	'a reason is stored cleaned');
SELECT throws_ok(format('SELECT hall.optional_text(%L, %L)', repeat('长', 1001), 'approve_note'), '22023',
	'an approval note may have at most 1000 characters (got 1001)', 'an optional note has a maximum too');
SELECT throws_ok(format('SELECT hall.require_text(%L, %L)', repeat('x', 1048576), 'reply_body'), '22023', NULL,
	'a 1 MB reply is refused before it is cleaned');
SELECT is(hall.optional_text(NULL, 'approve_note'), '', 'an optional note may be left out');
SELECT cmp_ok((SELECT max(max_chars) FROM hall.text_fields), '<=', 10000, 'no text field takes more than 10,000 characters');

-- The limits reach the functions: a real transition refuses a blank reason
-- and leaves no trace.
SET hall.fake_now = '2025-09-29 09:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', '{"name": "周九", "id_number": "230102198001011236", "phone": "13800000009"}', 'web') AS c \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.claim(:c);
SELECT throws_ok(format('SELECT hall.escalate(%s, %L)', :c, E'\t\n'), '22023', NULL, 'escalating with a blank reason is refused');
SELECT throws_ok(format('SELECT hall.reject(%s, %L)', :c, E'\x07'), '22023', NULL, 'rejecting with a bell for a reason is refused');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT state FROM hall.applications WHERE id = :c), 'in_review', 'the case is still in review');
SELECT is((SELECT count(*) FROM hall.audit WHERE app_id = :c AND action IN ('escalate', 'reject')), 0::bigint,
	'and nothing was written');

SELECT * FROM finish();
ROLLBACK;
