-- Roles and the schema.  Group roles are cluster-wide, so they are created
-- only if missing; staff log in as their own roles, members of one group.
--   hall_admin       owns every object; migrations run as it; creates staff roles
--   hall_clerk       window clerks: read their windows through RLS, act through functions
--   hall_supervisor  section chiefs: their department, decisions
--   hall_trainer     the demo database's trainer: reads everything
--   hall_director    the hall's director and its e-supervision office (电子监察):
--                    read every department's figures and cases, change nothing
--   hall_portal      the public portal: submits, resubmits, asks, rates
DO $$
DECLARE r text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'hall_admin') THEN
		CREATE ROLE hall_admin NOLOGIN CREATEROLE;
	END IF;
	FOREACH r IN ARRAY ARRAY['hall_clerk', 'hall_supervisor', 'hall_trainer', 'hall_director', 'hall_portal'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
	EXECUTE format('GRANT CREATE, CONNECT, TEMPORARY ON DATABASE %I TO hall_admin', current_database());
	-- No staff or portal session needs a temporary object, and a temporary
	-- table, type, function or operator is how a caller would try to steer a
	-- SECURITY DEFINER function (doc/security.md): the second wall, behind
	-- every function's search_path ending in pg_temp.
	EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
	-- No JIT: every statement here is interactive, and compiling one whose
	-- plan passes jit_above_cost (a dashboard's counts, a month's figures)
	-- took 100 - 300 ms, longer than running it (doc/performance.md, P5;
	-- 015 and 018 already turned it off for their big functions).
	EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END $$;

CREATE SCHEMA hall AUTHORIZATION hall_admin;
GRANT USAGE ON SCHEMA hall TO hall_clerk, hall_supervisor, hall_trainer, hall_director, hall_portal;

-- Nobody gets a function or a table by default: each grant is explicit.
-- (Per-schema default privileges can only add to the global ones, so the
-- PUBLIC EXECUTE that functions get by default is revoked globally.)
ALTER DEFAULT PRIVILEGES FOR ROLE hall_admin REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE hall_admin REVOKE ALL ON TABLES FROM PUBLIC;
