-- The trainer's own tools on a demo database, without the cluster's
-- superuser (doc/guide-trainer.md):
--
--   hall.demo_reset()         back to the data `hallctl demo` generated, in
--                             a second or two (`hallctl demo --reset`);
--   hall.demo_submit() ...    the public's five portal actions, for
--                             `hallctl simulate` run by a trainer.
--
-- Both answer only on a database whose mode is 'demo' (55000,
-- reason:not_demo) and are granted to hall_trainer alone.
--
-- The seed.  At its end hall_demo.generate (schema/demo/demo.sql) calls
-- hall.demo_keep_seed(), which copies every data table of schema hall into
-- schema hall_demo_seed (same names; owner hall_admin, readable by nobody
-- else) with the identity sequences' positions; hall.demo_reset() empties
-- the tables and loads them back from there.  The data tables are those the
-- generator empties: every table of schema hall but the calendar
-- (calendar, calendar_years, days), the settings (mode and the database's
-- clock, which a reset leaves as they are) and the text limits.  The audit
-- log is not copied: it is append-only (004), so the seed's rows are the
-- log's own up to the seed's last id, and a reset deletes those after it
-- (the largest table: 4.1 million rows, 4 s of copying at 1M cases).
SET LOCAL ROLE hall_admin;

CREATE SCHEMA hall_demo_seed AUTHORIZATION hall_admin;
COMMENT ON SCHEMA hall_demo_seed IS
	'the demo data as hallctl demo generated it, for hall.demo_reset(); hall_admin only';

-- The data tables: the generator's list (hall_demo.generate empties the
-- same ones), every table of schema hall but the calendar, the settings
-- and the text limits.
CREATE FUNCTION hall.demo_data_tables() RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT c.relname::text
	FROM pg_catalog.pg_class c
	WHERE c.relnamespace = 'hall'::regnamespace AND c.relkind IN ('r', 'p')
	  AND c.relname NOT IN ('calendar', 'calendar_years', 'days', 'settings', 'text_fields')
	ORDER BY 1
$$;
REVOKE ALL ON FUNCTION hall.demo_data_tables() FROM PUBLIC;

-- The tables the seed copies: the data tables but the audit log, which is
-- append-only and so kept in place (its rows up to the seed's last id).
CREATE FUNCTION hall.demo_seed_tables() RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$ SELECT x.name FROM hall.demo_data_tables() x(name) WHERE x.name <> 'audit' $$;
REVOKE ALL ON FUNCTION hall.demo_seed_tables() FROM PUBLIC;

-- The first table the seed is older than (its copy missing, or without a
-- column a later migration added), NULL when the seed fits the schema.
CREATE FUNCTION hall.demo_seed_outdated() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT x.name FROM hall.demo_seed_tables() x(name)
	WHERE to_regclass('hall_demo_seed.' || quote_ident(x.name)) IS NULL
	   OR EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
	              WHERE a.attrelid = ('hall.' || quote_ident(x.name))::regclass AND a.attnum > 0
	                AND NOT a.attisdropped AND a.attgenerated = ''
	                AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute b
	                                WHERE b.attrelid = ('hall_demo_seed.' || quote_ident(x.name))::regclass
	                                  AND b.attname = a.attname AND NOT b.attisdropped))
	ORDER BY x.name LIMIT 1
$$;
REVOKE ALL ON FUNCTION hall.demo_seed_outdated() FROM PUBLIC;

-- The last id the seed's rows of a table took, from its identity
-- sequence's position kept with the seed (sequences: {name: [last_value,
-- is_called]}); NULL when the seed has no position for it.
CREATE FUNCTION hall.demo_seed_last_id(p_sequences jsonb, p_sequence text) RETURNS bigint
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT (p_sequences->p_sequence->>0)::bigint - CASE WHEN (p_sequences->p_sequence->>1)::boolean THEN 0 ELSE 1 END $$;
REVOKE ALL ON FUNCTION hall.demo_seed_last_id(jsonb, text) FROM PUBLIC;

-- The trainer's functions answer on a demo database only, to an active
-- staff member (hall.me() refuses a disabled or unknown account) or the
-- superuser.  Called inside the definer functions below.
CREATE FUNCTION hall.demo_only(what text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF hall.mode() IS DISTINCT FROM 'demo' THEN
		RAISE EXCEPTION '% only on a demo database (this one''s mode is %)', what, coalesce(hall.mode(), 'unset')
			USING ERRCODE = '55000', HINT = 'reason:not_demo';
	END IF;
	IF NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false) THEN
		PERFORM hall.me();
	END IF;
END $$;
REVOKE ALL ON FUNCTION hall.demo_only(text) FROM PUBLIC;

-- The statements that set aside, and then put back as each was (ENABLE,
-- ENABLE ALWAYS, ENABLE REPLICA), the enabled triggers of the data tables
-- that fire on one of p_events (pg_trigger.tgtype bits: 4 INSERT, 8 DELETE,
-- 16 UPDATE) and whose name is LIKE p_like.  For the bulk loads of the
-- reset and the generator, in the transaction that locked the tables.
CREATE FUNCTION hall.demo_trigger_switches(p_events int, p_like text DEFAULT '%', OUT off text[], OUT back text[])
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT coalesce(array_agg(format('ALTER TABLE %s DISABLE TRIGGER %I', g.tgrelid::regclass, g.tgname)), '{}'),
	       coalesce(array_agg(format('ALTER TABLE %s %s TRIGGER %I', g.tgrelid::regclass,
	                                 CASE g.tgenabled WHEN 'A' THEN 'ENABLE ALWAYS' WHEN 'R' THEN 'ENABLE REPLICA'
	                                                  ELSE 'ENABLE' END, g.tgname)), '{}')
	FROM pg_catalog.pg_trigger g
	WHERE NOT g.tgisinternal AND g.tgenabled <> 'D' AND (g.tgtype & p_events) <> 0 AND g.tgname LIKE p_like
	  AND g.tgrelid IN (SELECT ('hall.' || quote_ident(x.name))::regclass FROM hall.demo_data_tables() x(name))
$$;
REVOKE ALL ON FUNCTION hall.demo_trigger_switches(int, text) FROM PUBLIC;

-- Keep the demo data as it is now as the seed that hall.demo_reset()
-- restores.  Called by hall_demo.generate, in its transaction, as its last
-- step; info (scale, seed, ...) is returned by the resets.  Not granted to
-- anybody: the superuser running the generator calls it.
CREATE FUNCTION hall.demo_keep_seed(info jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	t record;
	v_seq jsonb := '{}';
	v_last bigint;
	v_called boolean;
BEGIN
	PERFORM hall.demo_only('a seed to reset to is kept');
	FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
	         WHERE c.relnamespace = 'hall_demo_seed'::regnamespace AND c.relkind = 'r' LOOP
		EXECUTE format('DROP TABLE hall_demo_seed.%I', t.relname);
	END LOOP;
	FOR t IN SELECT x.name FROM hall.demo_seed_tables() x(name) LOOP
		EXECUTE format('CREATE TABLE hall_demo_seed.%I AS SELECT * FROM hall.%I', t.name, t.name);
	END LOOP;
	-- Where each identity sequence stands, so that new rows after a reset
	-- get the ids they got after the generation.
	FOR t IN SELECT format('hall.%I', s.relname) AS seq FROM pg_catalog.pg_class s
	         WHERE s.relnamespace = 'hall'::regnamespace AND s.relkind = 'S' ORDER BY 1 LOOP
		EXECUTE format('SELECT last_value, is_called FROM %s', t.seq) INTO v_last, v_called;
		v_seq := v_seq || jsonb_build_object(t.seq, jsonb_build_array(v_last, v_called));
	END LOOP;
	CREATE TABLE hall_demo_seed._info (kept_at timestamptz NOT NULL, info jsonb NOT NULL, sequences jsonb NOT NULL);
	INSERT INTO hall_demo_seed._info VALUES (hall.now(), coalesce(info, '{}'), v_seq);
END $$;
REVOKE ALL ON FUNCTION hall.demo_keep_seed(jsonb) FROM PUBLIC;

-- Back to the seed: every data table emptied and loaded from
-- hall_demo_seed, sequences where they were, in one transaction, as the
-- tables' owner (nothing here needs a superuser).  The audit log keeps the
-- seed's rows (see above) and loses those after the seed's last id, its
-- append-only guard set aside for that statement of this transaction.  The settings, the
-- calendar and the database's clock are left as they are; so are the login
-- roles (cluster-wide).  Screens are told to reload everything; sessions
-- stay logged in.  The reset itself is the one audit row written after the
-- load.  Returns the seed's info with the rows restored.
CREATE FUNCTION hall.demo_reset() RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_info jsonb;
	v_seq jsonb;
	v_tables text;
	v_cols text;
	v_rows bigint;
	v_total bigint := 0;
	v_counts jsonb := '{}';
	v_s record;
	v_sql text;
	v_fk_add text[];
	v_fk_drop text[];
	v_idx_add text[];
	v_idx_comment text[];
	v_idx_drop text[];
	v_trg_off text[];
	v_trg_on text[];
	t record;
	d record;
BEGIN
	PERFORM hall.demo_only('the demo data can be reset');
	IF to_regclass('hall_demo_seed._info') IS NULL THEN
		RAISE EXCEPTION 'this demo database keeps no seed to reset to: generate it again with hallctl demo'
			USING ERRCODE = '55000', HINT = 'reason:demo_no_seed';
	END IF;
	SELECT i.info, i.sequences INTO v_info, v_seq FROM hall_demo_seed._info i;
	-- Every table to be loaded must have its copy, with every column: a
	-- table or column added by a later migration (and the triggers that
	-- fill it, which the load sets aside) needs a new seed.
	v_sql := hall.demo_seed_outdated();
	IF v_sql IS NOT NULL THEN
		RAISE EXCEPTION 'the demo seed is older than the schema (hall.%): generate it again with hallctl demo', v_sql
			USING ERRCODE = '55000', HINT = 'reason:demo_seed_outdated';
	END IF;

	PERFORM pg_catalog.set_config('lock_timeout', '15s', true);
	-- Room to sort for the index builds and to hash for the key checks
	-- (as the generator has); this transaction only.
	PERFORM pg_catalog.set_config('maintenance_work_mem', '512MB', true);
	PERFORM pg_catalog.set_config('work_mem', '256MB', true);
	SELECT string_agg(format('hall.%I', x.name), ', ' ORDER BY x.name) INTO v_tables FROM hall.demo_data_tables() x(name);
	BEGIN
		EXECUTE 'LOCK TABLE ' || v_tables || ' IN ACCESS EXCLUSIVE MODE';
	EXCEPTION WHEN lock_not_available THEN
		RAISE EXCEPTION 'the demo data is in use: a session has held it for 15 seconds; try the reset again'
			USING ERRCODE = '55P03', HINT = 'reason:demo_busy';
	END;

	-- Loading a few hundred thousand rows through the foreign-key triggers,
	-- the row triggers and into every index is most of the time: the
	-- foreign keys and the secondary indexes of the data tables are dropped
	-- and made again, as they were, once the rows are in (one check per key
	-- instead of one per row; a bulk build instead of insertions), and the
	-- triggers that fire on INSERT are switched off meanwhile and back to
	-- what each was (ENABLE, ENABLE ALWAYS ...): what they compute (the
	-- rating statistics, the ID hashes) is in the seed already.  The
	-- tables' owner may do all of it; TRUNCATE has locked them already, and
	-- nobody sees the tables without their keys or triggers: it all commits
	-- at once.
	SELECT coalesce(array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname,
	                                 pg_catalog.pg_get_constraintdef(k.oid)) ORDER BY k.conrelid::regclass::text, k.conname), '{}'),
	       coalesce(array_agg(format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname)), '{}')
	INTO v_fk_add, v_fk_drop
	FROM pg_catalog.pg_constraint k
	WHERE k.contype = 'f' AND k.connamespace = 'hall'::regnamespace
	  AND k.conrelid IN (SELECT ('hall.' || quote_ident(x.name))::regclass FROM hall.demo_data_tables() x(name));
	SELECT coalesce(array_agg(pg_catalog.pg_get_indexdef(i.indexrelid) ORDER BY i.indexrelid), '{}'),
	       coalesce(array_agg(format('COMMENT ON INDEX %s IS %L', i.indexrelid::regclass,
	                                 pg_catalog.obj_description(i.indexrelid, 'pg_class')))
	                FILTER (WHERE pg_catalog.obj_description(i.indexrelid, 'pg_class') IS NOT NULL), '{}'),
	       coalesce(array_agg(format('DROP INDEX %s', i.indexrelid::regclass)), '{}')
	INTO v_idx_add, v_idx_comment, v_idx_drop
	FROM pg_catalog.pg_index i
	WHERE i.indrelid IN (SELECT ('hall.' || quote_ident(x.name))::regclass FROM hall.demo_data_tables() x(name))
	  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid);
	SELECT s.off, s.back INTO v_trg_off, v_trg_on FROM hall.demo_trigger_switches(4) s;   -- fire on INSERT
	FOREACH v_sql IN ARRAY v_fk_drop || v_idx_drop || v_trg_off LOOP
		EXECUTE v_sql;
	END LOOP;

	-- Emptied (the foreign keys are gone: the audit log, which stays, no
	-- longer holds the staff), but for the audit log, which loses only the
	-- rows after the seed's.
	SELECT string_agg(format('hall.%I', x.name), ', ' ORDER BY x.name) INTO v_sql FROM hall.demo_seed_tables() x(name);
	PERFORM pg_catalog.set_config('hall.demo_reset', 'on', true);
	EXECUTE 'TRUNCATE ' || v_sql;
	PERFORM pg_catalog.set_config('hall.demo_reset', 'off', true);
	v_rows := coalesce(hall.demo_seed_last_id(v_seq, pg_catalog.pg_get_serial_sequence('hall.audit', 'id')), 0);
	ALTER TABLE hall.audit DISABLE TRIGGER audit_append_only;
	DELETE FROM hall.audit x WHERE x.id > v_rows;
	ALTER TABLE hall.audit ENABLE TRIGGER audit_append_only;
	SELECT count(*) INTO v_rows FROM hall.audit;
	v_total := v_total + v_rows;
	v_counts := v_counts || jsonb_build_object('audit', v_rows);

	FOR t IN SELECT x.name FROM hall.demo_seed_tables() x(name) LOOP
		-- The stored columns (generated ones are computed again).
		SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
		FROM pg_catalog.pg_attribute a
		WHERE a.attrelid = ('hall.' || quote_ident(t.name))::regclass AND a.attnum > 0 AND NOT a.attisdropped
		  AND a.attgenerated = '';
		EXECUTE format('INSERT INTO hall.%I (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM hall_demo_seed.%I',
		               t.name, v_cols, v_cols, t.name);
		GET DIAGNOSTICS v_rows = ROW_COUNT;
		v_total := v_total + v_rows;
		v_counts := v_counts || jsonb_build_object(t.name, v_rows);
	END LOOP;
	FOREACH v_sql IN ARRAY v_idx_add || v_idx_comment || v_fk_add || v_trg_on LOOP
		EXECUTE v_sql;
	END LOOP;
	FOR v_s IN SELECT key, value FROM jsonb_each(v_seq) LOOP
		IF to_regclass(v_s.key) IS NOT NULL THEN
			PERFORM pg_catalog.setval(v_s.key::regclass, (v_s.value->>0)::bigint, (v_s.value->>1)::boolean);
		END IF;
	END LOOP;

	-- Every screen reloads what it shows; the dispatcher looks at the outbox.
	PERFORM hall.notify('hall_queue', '');
	FOR d IN SELECT code FROM hall.departments ORDER BY code LOOP
		PERFORM hall.notify('hall_inquiries', d.code);
		PERFORM hall.notify('hall_ratings', d.code);
	END LOOP;
	PERFORM hall.notify('hall_outbox', '');
	PERFORM hall.log('demo_reset', NULL, NULL, NULL, NULL, NULL, NULL, '',
	                 v_info || jsonb_build_object('rows', v_total));
	RETURN v_info || jsonb_build_object('rows', v_total, 'tables', v_counts,
	                                    'kept_at', (SELECT kept_at FROM hall_demo_seed._info));
END $$;
REVOKE ALL ON FUNCTION hall.demo_reset() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.demo_reset() TO hall_trainer;

-- ------------------------------------------------------------ simulate
-- The public's five portal actions, for a trainer running `hallctl
-- simulate` (who is no portal account and may not SET ROLE hall_portal):
-- each calls the portal's own function, so its checks, audit row, outbox
-- message and NOTIFY are the portal's, on a demo database only.  The
-- audit row names the trainer as the actor (session_user): the log says
-- who really acted.  No text is checked here: the portal's functions do.
CREATE FUNCTION hall.demo_submit(item_code text, applicant jsonb, channel text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	PERFORM hall.demo_only('the public''s actions can be simulated');
	RETURN hall.submit(demo_submit.item_code, demo_submit.applicant, demo_submit.channel);
END $$;

CREATE FUNCTION hall.demo_ask(channel text, department_code text, asker jsonb, subject text, body text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	PERFORM hall.demo_only('the public''s actions can be simulated');
	RETURN hall.ask(demo_ask.channel, demo_ask.department_code, demo_ask.asker, demo_ask.subject, demo_ask.body);
END $$;

CREATE FUNCTION hall.demo_resubmit(app bigint, material_ids int[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	PERFORM hall.demo_only('the public''s actions can be simulated');
	PERFORM hall.resubmit(demo_resubmit.app, demo_resubmit.material_ids);
END $$;

CREATE FUNCTION hall.demo_rate(kind text, id bigint, level int, comment text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	PERFORM hall.demo_only('the public''s actions can be simulated');
	RETURN hall.rate(demo_rate.kind, demo_rate.id, demo_rate.level, demo_rate.comment);
END $$;

CREATE FUNCTION hall.demo_withdraw(app bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	PERFORM hall.demo_only('the public''s actions can be simulated');
	PERFORM hall.withdraw(demo_withdraw.app);
END $$;

REVOKE ALL ON FUNCTION hall.demo_submit(text, jsonb, text), hall.demo_ask(text, text, jsonb, text, text),
	hall.demo_resubmit(bigint, int[]), hall.demo_rate(text, bigint, int, text), hall.demo_withdraw(bigint)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.demo_submit(text, jsonb, text), hall.demo_ask(text, text, jsonb, text, text),
	hall.demo_resubmit(bigint, int[]), hall.demo_rate(text, bigint, int, text), hall.demo_withdraw(bigint)
	TO hall_trainer;
