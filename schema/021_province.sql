-- A city in a province (issue 11): what this hall sends to the province's
-- reporting database, by PostgreSQL logical replication.  doc/province.md
-- has the design; the province's own schema is schema/province/ (applied by
-- `hallctl province init` in the province's database, never here).
--
-- The feed (schema feed): three small tables, counts only, each row keyed
-- by the city's code so that the rows of every city can live side by side
-- in the province's tables of the same names:
--
--   feed.city              the city: its code and its hall's name
--   feed.departments       its departments: code and name
--   feed.department_days   per department and day (Asia/Shanghai): cases
--                          received; completed, of those on time and early;
--                          ratings that count, of those levels 3-5 and
--                          levels 4-5
--
-- Nothing personal leaves the city: no applicant, no staff member, no case,
-- no comment, only counts per department and day.  The counts are the daily
-- facts of 019 (hall.platform_days, hall.completed_days, hall.rating_days)
-- summed over windows, clerks, items and channels, so a month's figures in
-- the province are the city's own: on-time rate on_time / completed (015),
-- satisfaction satisfied / ratings (018, levels 4-5 over the ratings that
-- count, by the day given).
--
-- Kept in step by statement triggers on those three fact tables (ENABLE
-- ALWAYS, as 019's: the demo generator loads under session_replication_role
-- = replica; switched on only while the city has a code, see
-- hall.feed_triggers): each statement recomputes the feed rows of the (department,
-- day) it touched from the facts, writing only the rows that changed (so a
-- claim sends nothing, an approval one UPDATE of one row).  A TRUNCATE of a
-- fact table (the demo generator, hall.demo_reset(), which also loads the
-- facts with its INSERT triggers off) queues a full refresh that runs when
-- the transaction commits (a deferred trigger), against the facts as they
-- are then.  Nothing is kept while the city has no code (city_code '': not
-- in a province); hall.feed_join() sets the code and fills the feed.
--
-- Published as hall_feed (insert, update, delete: never truncate, which
-- would empty every city's rows in the province; the feed tables refuse
-- TRUNCATE).  The role hall_feed may read the feed (for the subscription's
-- initial copy) and join the province; the province's login for this city
-- is a member of it with the REPLICATION attribute (doc/province.md).
SET LOCAL ROLE hall_admin;

INSERT INTO hall.settings (key, value, note) VALUES
	('city_code', '', 'the city''s code in the province (021), set once by hallctl province add-city ('''' = not in a province)');

INSERT INTO hall.text_fields (field, what, multiline, min_chars, max_chars) VALUES
	('city_code', 'the city''s code in the province', false, 2, 31);

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'hall_feed') THEN
		CREATE ROLE hall_feed NOLOGIN;
	END IF;
END $$;

CREATE SCHEMA feed AUTHORIZATION hall_admin;
GRANT USAGE ON SCHEMA feed TO hall_feed;

CREATE TABLE feed.city (
	city_code       text PRIMARY KEY,
	name            text NOT NULL                  -- the setting hall_name
);
CREATE TABLE feed.departments (
	city_code       text NOT NULL,
	department_code text NOT NULL,
	name            text NOT NULL,
	PRIMARY KEY (city_code, department_code)
);
CREATE TABLE feed.department_days (
	city_code       text NOT NULL,
	department_code text NOT NULL,
	day             date NOT NULL,                 -- Asia/Shanghai
	received        bigint NOT NULL,               -- cases received (received_at)
	completed       bigint NOT NULL,               -- cases completed (closed_at)
	on_time         bigint NOT NULL,               -- ... closed on or before the due day
	early           bigint NOT NULL,               -- ... closed before the due day
	ratings         bigint NOT NULL,               -- ratings that count, given that day (rated_at)
	good            bigint NOT NULL,               -- ... levels 3-5
	satisfied       bigint NOT NULL,               -- ... levels 4-5
	PRIMARY KEY (city_code, department_code, day)
);
COMMENT ON TABLE feed.department_days IS
	'per department and day: cases received, completed (on time, early), ratings (good, satisfied); published to the province (021)';

-- A TRUNCATE queued in this transaction: the full refresh to run at commit.
-- Not published.
CREATE TABLE feed.refresh_due (
	txid            xid8 PRIMARY KEY
);

GRANT SELECT ON feed.city, feed.departments, feed.department_days TO hall_feed;

-- ------------------------------------------------- what the feed equals

-- The rows of feed.department_days for the (department, day) pairs given
-- (unnest(p_dept, p_day)), computed from the facts of 019: one row per pair
-- with something to count.  Each fact table is read through its unique
-- index on (department_code, day, ...) (platform_days: (day,
-- department_code, ...)), never summed whole.  PL/pgSQL for its cached
-- plan (an SQL function is planned at every call: 1 - 4 ms, for a query
-- that runs in under 1 ms).
CREATE FUNCTION hall.feed_days(p_dept text[], p_day date[])
RETURNS SETOF feed.department_days
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	RETURN QUERY
	WITH k AS MATERIALIZED (
		SELECT DISTINCT x.department_code, x.day FROM unnest(p_dept, p_day) x(department_code, day)
	), p AS (
		SELECT k.department_code, k.day, sum(f.n)::bigint AS received
		FROM k JOIN hall.platform_days f ON f.day = k.day AND f.department_code = k.department_code
		GROUP BY 1, 2
	), c AS (
		SELECT k.department_code, k.day, sum(f.completed)::bigint AS completed, sum(f.on_time)::bigint AS on_time,
		       sum(f.early)::bigint AS early
		FROM k JOIN hall.completed_days f ON f.department_code = k.department_code AND f.day = k.day
		GROUP BY 1, 2
	), r AS (
		SELECT k.department_code, k.day, sum(f.ratings)::bigint AS ratings, sum(f.good)::bigint AS good,
		       sum(f.satisfied)::bigint AS satisfied
		FROM k JOIN hall.rating_days f ON f.department_code = k.department_code AND f.day = k.day
		GROUP BY 1, 2
	)
	SELECT hall.setting('city_code'), k.department_code, k.day,
	       coalesce(p.received, 0), coalesce(c.completed, 0), coalesce(c.on_time, 0), coalesce(c.early, 0),
	       coalesce(r.ratings, 0), coalesce(r.good, 0), coalesce(r.satisfied, 0)
	FROM k
	LEFT JOIN p ON p.department_code = k.department_code AND p.day = k.day
	LEFT JOIN c ON c.department_code = k.department_code AND c.day = k.day
	LEFT JOIN r ON r.department_code = k.department_code AND r.day = k.day
	WHERE coalesce(p.received, 0) + coalesce(c.completed, 0) + coalesce(r.ratings, 0) > 0;
END $$;

-- Every (department, day) that the facts or the feed have.
CREATE FUNCTION hall.feed_all_keys(OUT depts text[], OUT days date[])
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT coalesce(array_agg(k.department_code), '{}'), coalesce(array_agg(k.day), '{}')
	FROM (SELECT f.department_code, f.day FROM hall.platform_days f
	      UNION SELECT f.department_code, f.day FROM hall.completed_days f
	      UNION SELECT f.department_code, f.day FROM hall.rating_days f
	      UNION SELECT f.department_code, f.day FROM feed.department_days f) k
$$;

-- The feed compared with its definition: one row per table with the number
-- of rows that differ (missing, extra or wrong), 0 when in step.  For the
-- tests, and for an administrator who doubts a provincial figure.  A city
-- with no code keeps no feed: 0 when the feed is empty.
CREATE FUNCTION hall.feed_drift()
RETURNS TABLE (part text, rows_differing bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_code text := coalesce(hall.setting('city_code'), '');
	k record;
BEGIN
	SELECT * INTO k FROM hall.feed_all_keys();
	RETURN QUERY
	WITH want AS (
		SELECT * FROM hall.feed_days(k.depts, k.days) WHERE v_code <> ''
	)
	SELECT 'department_days', count(*) FROM (
		(SELECT * FROM feed.department_days EXCEPT ALL SELECT * FROM want)
		UNION ALL
		(SELECT * FROM want EXCEPT ALL SELECT * FROM feed.department_days)) x
	UNION ALL
	SELECT 'departments', count(*) FROM (
		(SELECT * FROM feed.departments
		 EXCEPT ALL SELECT v_code, d.code, d.name FROM hall.departments d WHERE v_code <> '')
		UNION ALL
		(SELECT v_code, d.code, d.name FROM hall.departments d WHERE v_code <> ''
		 EXCEPT ALL SELECT * FROM feed.departments)) x
	UNION ALL
	SELECT 'city', count(*) FROM (
		(SELECT * FROM feed.city EXCEPT ALL SELECT v_code, hall.setting('hall_name') WHERE v_code <> '')
		UNION ALL
		(SELECT v_code, hall.setting('hall_name') WHERE v_code <> '' EXCEPT ALL SELECT * FROM feed.city)) x;
END $$;

-- ------------------------------------------------------ applying changes

-- The feed rows of these (department, day) pairs made equal to their
-- definition: rows that changed are updated, new ones inserted, those with
-- nothing left (or of another code) deleted; rows already right are not
-- written (nothing to replicate).  Nothing while the city has no code.
CREATE FUNCTION hall.feed_refresh(p_dept text[], p_day date[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF coalesce(hall.setting('city_code'), '') = '' OR coalesce(cardinality(p_dept), 0) = 0 THEN
		RETURN;
	END IF;
	-- one statement: the rows deleted (nothing left, or another code) and
	-- those written are different rows
	WITH want AS MATERIALIZED (
		SELECT * FROM hall.feed_days(p_dept, p_day)
	), gone AS (
		DELETE FROM feed.department_days f
		USING (SELECT DISTINCT x.department_code, x.day FROM unnest(p_dept, p_day) x(department_code, day)) k
		WHERE f.department_code = k.department_code AND f.day = k.day
		  AND NOT EXISTS (SELECT 1 FROM want w
		                  WHERE w.city_code = f.city_code AND w.department_code = f.department_code AND w.day = f.day)
	)
	INSERT INTO feed.department_days AS f
	SELECT * FROM want w ORDER BY w.department_code, w.day
	ON CONFLICT (city_code, department_code, day) DO UPDATE
	SET received = excluded.received, completed = excluded.completed, on_time = excluded.on_time,
	    early = excluded.early, ratings = excluded.ratings, good = excluded.good, satisfied = excluded.satisfied
	WHERE (f.received, f.completed, f.on_time, f.early, f.ratings, f.good, f.satisfied)
	      IS DISTINCT FROM (excluded.received, excluded.completed, excluded.on_time, excluded.early,
	                        excluded.ratings, excluded.good, excluded.satisfied);
END $$;

-- The city's row and its departments, made equal to their definition.
CREATE FUNCTION hall.feed_refresh_names() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_code text := coalesce(hall.setting('city_code'), '');
BEGIN
	DELETE FROM feed.city c WHERE c.city_code <> v_code OR v_code = '';
	DELETE FROM feed.departments f
	WHERE f.city_code <> v_code OR v_code = ''
	   OR NOT EXISTS (SELECT 1 FROM hall.departments d WHERE d.code = f.department_code);
	IF v_code = '' THEN
		RETURN;
	END IF;
	INSERT INTO feed.city AS c (city_code, name) VALUES (v_code, coalesce(hall.setting('hall_name'), v_code))
	ON CONFLICT (city_code) DO UPDATE SET name = excluded.name WHERE c.name IS DISTINCT FROM excluded.name;
	INSERT INTO feed.departments AS f (city_code, department_code, name)
	SELECT v_code, d.code, d.name FROM hall.departments d ORDER BY d.code
	ON CONFLICT (city_code, department_code) DO UPDATE SET name = excluded.name
	WHERE f.name IS DISTINCT FROM excluded.name;
END $$;

-- Everything: names and every (department, day) the facts or the feed have.
CREATE FUNCTION hall.feed_refresh_all() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	k record;
BEGIN
	PERFORM hall.feed_refresh_names();
	IF coalesce(hall.setting('city_code'), '') = '' THEN
		DELETE FROM feed.department_days;
		RETURN;
	END IF;
	SELECT * INTO k FROM hall.feed_all_keys();
	PERFORM hall.feed_refresh(k.depts, k.days);
END $$;

-- The triggers of the fact tables: the (department, day) pairs of the rows a
-- statement wrote or removed, refreshed; a TRUNCATE queues the full refresh
-- for the commit.
CREATE FUNCTION hall.feed_facts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_dept text[];
	v_day date[];
BEGIN
	IF coalesce(hall.setting('city_code'), '') = '' THEN
		RETURN NULL;
	ELSIF TG_OP = 'TRUNCATE' THEN
		INSERT INTO feed.refresh_due (txid) VALUES (pg_catalog.pg_current_xact_id()) ON CONFLICT DO NOTHING;
		RETURN NULL;
	ELSIF TG_OP = 'INSERT' THEN
		SELECT array_agg(x.department_code), array_agg(x.day) INTO v_dept, v_day
		FROM (SELECT DISTINCT n.department_code, n.day FROM new_rows n) x;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT array_agg(x.department_code), array_agg(x.day) INTO v_dept, v_day
		FROM (SELECT DISTINCT o.department_code, o.day FROM old_rows o) x;
	ELSE
		SELECT array_agg(x.department_code), array_agg(x.day) INTO v_dept, v_day
		FROM (SELECT n.department_code, n.day FROM new_rows n UNION SELECT o.department_code, o.day FROM old_rows o) x;
	END IF;
	IF v_dept IS NOT NULL THEN
		PERFORM hall.feed_refresh(v_dept, v_day);
	END IF;
	RETURN NULL;
END $$;

-- hall.departments (and the names in hall.settings): the names refreshed;
-- a TRUNCATE (the demo) queues the full refresh.
CREATE FUNCTION hall.feed_names() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF coalesce(hall.setting('city_code'), '') = '' THEN
		RETURN NULL;
	ELSIF TG_OP = 'TRUNCATE' THEN
		INSERT INTO feed.refresh_due (txid) VALUES (pg_catalog.pg_current_xact_id()) ON CONFLICT DO NOTHING;
	ELSE
		PERFORM hall.feed_refresh_names();
	END IF;
	RETURN NULL;
END $$;

-- The deferred full refresh, once per transaction that truncated.
CREATE FUNCTION hall.feed_refresh_due() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	DELETE FROM feed.refresh_due d WHERE d.txid = NEW.txid;
	PERFORM hall.feed_refresh_all();
	RETURN NULL;
END $$;

-- The feed is replicated row by row; a TRUNCATE is not published (in the
-- province it would empty every city's rows), so it is refused here.
CREATE FUNCTION hall.feed_no_truncate() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION 'the feed is replicated to the province row by row and is never truncated (refresh it with hall.feed_join)'
		USING ERRCODE = '55000', HINT = 'reason:feed_truncate';
END $$;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['completed_days', 'rating_days', 'platform_days'] LOOP
		EXECUTE format('CREATE TRIGGER feed_insert AFTER INSERT ON hall.%I REFERENCING NEW TABLE AS new_rows
		                FOR EACH STATEMENT EXECUTE FUNCTION hall.feed_facts()', t);
		EXECUTE format('CREATE TRIGGER feed_update AFTER UPDATE ON hall.%I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
		                FOR EACH STATEMENT EXECUTE FUNCTION hall.feed_facts()', t);
		EXECUTE format('CREATE TRIGGER feed_delete AFTER DELETE ON hall.%I REFERENCING OLD TABLE AS old_rows
		                FOR EACH STATEMENT EXECUTE FUNCTION hall.feed_facts()', t);
		EXECUTE format('CREATE TRIGGER feed_truncate AFTER TRUNCATE ON hall.%I
		                FOR EACH STATEMENT EXECUTE FUNCTION hall.feed_facts()', t);
	END LOOP;
END $$;
CREATE TRIGGER feed_names AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hall.departments
	FOR EACH STATEMENT EXECUTE FUNCTION hall.feed_names();
CREATE TRIGGER feed_names AFTER UPDATE ON hall.settings
	FOR EACH ROW WHEN (NEW.key = 'hall_name' AND NEW.value IS DISTINCT FROM OLD.value)
	EXECUTE FUNCTION hall.feed_names();
CREATE CONSTRAINT TRIGGER feed_refresh_due AFTER INSERT ON feed.refresh_due
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hall.feed_refresh_due();
CREATE TRIGGER feed_no_truncate BEFORE TRUNCATE ON feed.city
	FOR EACH STATEMENT EXECUTE FUNCTION hall.feed_no_truncate();
CREATE TRIGGER feed_no_truncate BEFORE TRUNCATE ON feed.departments
	FOR EACH STATEMENT EXECUTE FUNCTION hall.feed_no_truncate();
CREATE TRIGGER feed_no_truncate BEFORE TRUNCATE ON feed.department_days
	FOR EACH STATEMENT EXECUTE FUNCTION hall.feed_no_truncate();

-- Also under session_replication_role = replica (the demo generator).
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT g.tgrelid::regclass AS tab, g.tgname FROM pg_catalog.pg_trigger g
	         WHERE g.tgname LIKE 'feed\_%' AND NOT g.tgisinternal LOOP
		EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', t.tab, t.tgname);
	END LOOP;
END $$;

-- The fact tables' feed triggers are on only while the city has a code.
-- Each fires for every statement that writes a fact (an approval writes
-- completed_days with an INSERT ... ON CONFLICT UPDATE: two statement
-- triggers and their transition tables), and outside a province all they
-- did was find the code empty: a tenth of a claim-and-approve cycle
-- (doc/performance.md, P1).  Setting the code (hall.feed_join, or an UPDATE
-- of hall.settings by hand) switches them on, emptying it switches them
-- off; the feed is refreshed whole when a city joins (feed_join), so
-- nothing written while they were off is missed.
CREATE FUNCTION hall.feed_triggers(p_on boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT g.tgrelid::regclass AS tab, g.tgname FROM pg_catalog.pg_trigger g
	         WHERE g.tgname IN ('feed_insert', 'feed_update', 'feed_delete', 'feed_truncate') AND NOT g.tgisinternal
	           AND g.tgrelid IN ('hall.completed_days'::regclass, 'hall.rating_days'::regclass,
	                             'hall.platform_days'::regclass)
	           AND g.tgenabled <> CASE WHEN p_on THEN 'A' ELSE 'D' END
	         ORDER BY g.tgrelid, g.tgname LOOP
		EXECUTE format('ALTER TABLE %s %s TRIGGER %I', t.tab, CASE WHEN p_on THEN 'ENABLE ALWAYS' ELSE 'DISABLE' END,
		               t.tgname);
	END LOOP;
END $$;

CREATE FUNCTION hall.feed_switch() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	PERFORM hall.feed_triggers(coalesce(NEW.value, '') <> '');
	RETURN NULL;
END $$;
CREATE TRIGGER feed_switch AFTER INSERT OR UPDATE ON hall.settings
	FOR EACH ROW WHEN (NEW.key = 'city_code') EXECUTE FUNCTION hall.feed_switch();
SELECT hall.feed_triggers(coalesce(hall.setting('city_code'), '') <> '');

-- ------------------------------------------------------ the publication

-- The publication hall_feed of the three feed tables, made (or put right)
-- when missing or different.  Creating it needs no wal_level; subscribing
-- to it does (hall.feed_join checks).
CREATE FUNCTION hall.feed_publication() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_tables text[] := ARRAY['feed.city', 'feed.department_days', 'feed.departments'];
	v_messages text := pg_catalog.current_setting('client_min_messages');
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication p WHERE p.pubname = 'hall_feed') THEN
		-- without the warning that wal_level is not logical (yet)
		PERFORM pg_catalog.set_config('client_min_messages', 'error', true);
		CREATE PUBLICATION hall_feed FOR TABLE feed.city, feed.departments, feed.department_days
			WITH (publish = 'insert, update, delete');
		PERFORM pg_catalog.set_config('client_min_messages', v_messages, true);
	ELSIF (SELECT array_agg(format('%I.%I', t.schemaname, t.tablename) ORDER BY t.schemaname, t.tablename)
	       FROM pg_catalog.pg_publication_tables t WHERE t.pubname = 'hall_feed') IS DISTINCT FROM v_tables
	   OR NOT (SELECT p.pubinsert AND p.pubupdate AND p.pubdelete AND NOT p.pubtruncate
	           FROM pg_catalog.pg_publication p WHERE p.pubname = 'hall_feed') THEN
		ALTER PUBLICATION hall_feed SET TABLE feed.city, feed.departments, feed.department_days;
		ALTER PUBLICATION hall_feed SET (publish = 'insert, update, delete');
	END IF;
END $$;

SELECT hall.feed_publication();

-- ------------------------------------------------------ joining a province

-- The city joins a province as `code` (hallctl province add-city NAME, with
-- the province's connection to this database, a member of hall_feed or of
-- hall_admin): the code is set, once (the same code again is fine: a
-- province rebuilt adds the city again), the feed filled and the
-- publication made sure of.  Refused: a code that is not 2 to 31 lower-case
-- letters, digits and _ beginning with a letter (22023 text_short,
-- text_long, reason:city_code_invalid), a city that has another code
-- already (55000 reason:city_code_set:<code>), a server whose wal_level is
-- not logical (55000 reason:wal_level).
-- Returns the feed's rows per table.  Audit: feed_join.
CREATE FUNCTION hall.feed_join(code text)
RETURNS TABLE (city_code text, hall_name text, departments bigint, department_days bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_code text := hall.require_text(feed_join.code, 'city_code');
	v_old text;
BEGIN
	IF v_code !~ '^[a-z][a-z0-9_]*$' THEN
		RAISE EXCEPTION 'a city''s code is lower-case letters, digits and _, beginning with a letter (got %)', v_code
			USING ERRCODE = '22023', HINT = 'reason:city_code_invalid';
	END IF;
	SELECT s.value INTO v_old FROM hall.settings s WHERE s.key = 'city_code' FOR UPDATE;
	IF coalesce(v_old, '') NOT IN ('', v_code) THEN
		RAISE EXCEPTION 'this city is in the province as % already', v_old
			USING ERRCODE = '55000', HINT = 'reason:city_code_set:' || v_old;
	END IF;
	IF pg_catalog.current_setting('wal_level') <> 'logical' THEN
		RAISE EXCEPTION 'the server''s wal_level is %, and a province subscribes only with logical (set it and restart)',
			pg_catalog.current_setting('wal_level')
			USING ERRCODE = '55000', HINT = 'reason:wal_level';
	END IF;
	UPDATE hall.settings s SET value = v_code WHERE s.key = 'city_code' AND s.value IS DISTINCT FROM v_code;
	PERFORM hall.feed_refresh_all();
	PERFORM hall.feed_publication();
	PERFORM hall.log('feed_join', NULL, NULL, NULL, NULL, nullif(v_old, ''), v_code, '',
	                 jsonb_build_object('city_code', v_code));
	RETURN QUERY
	SELECT v_code, hall.setting('hall_name'), (SELECT count(*) FROM feed.departments),
	       (SELECT count(*) FROM feed.department_days);
END $$;

-- Nobody but the owner calls the machinery; hall_feed joins.
REVOKE ALL ON FUNCTION hall.feed_days(text[], date[]), hall.feed_all_keys(), hall.feed_drift(),
	hall.feed_refresh(text[], date[]), hall.feed_refresh_names(), hall.feed_refresh_all(), hall.feed_facts(),
	hall.feed_names(), hall.feed_refresh_due(), hall.feed_no_truncate(), hall.feed_publication(),
	hall.feed_triggers(boolean), hall.feed_switch(),
	hall.feed_join(text) FROM PUBLIC;
GRANT USAGE ON SCHEMA hall TO hall_feed;
GRANT EXECUTE ON FUNCTION hall.feed_join(text) TO hall_feed;
