-- Administration: staff accounts and the holiday calendar.  hall_admin only
-- (its members and the superuser running hallctl); every change is audited.
SET LOCAL ROLE hall_admin;

-- A staff member logs in as their own role, member of hall_<kind>.  Roles
-- are cluster-wide (several databases share a cluster): an existing role is
-- given the new password and the group instead of being created.
CREATE FUNCTION hall.staff_add(login text, name text, kind text, department_code text, windows text[], password text)
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_name text := hall.require_text(staff_add.name, 'staff_name');
	v_group text;
	v_windows text[] := ARRAY(SELECT DISTINCT w FROM unnest(coalesce(staff_add.windows, '{}')) w ORDER BY w);
	v_bad text[];
	v_role pg_catalog.pg_roles;
	v_id int;
	g text;
BEGIN
	IF staff_add.login IS NULL OR staff_add.login !~ '^[a-z][a-z0-9_]{1,30}$' THEN
		RAISE EXCEPTION 'login "%": a lower-case letter, then 1 to 30 lower-case letters, digits or _', staff_add.login
			USING ERRCODE = '22023', HINT = 'reason:login_format';
	END IF;
	IF staff_add.login LIKE 'hall\_%' OR staff_add.login IN ('postgres', 'public') THEN
		RAISE EXCEPTION 'login "%" is reserved', staff_add.login
			USING ERRCODE = '22023', HINT = 'reason:login_reserved';
	END IF;
	IF staff_add.kind IS NULL OR staff_add.kind NOT IN ('clerk', 'supervisor', 'trainer', 'director', 'admin') THEN
		RAISE EXCEPTION 'staff kind "%": clerk, supervisor, trainer, director or admin', staff_add.kind
			USING ERRCODE = '22023', HINT = 'reason:staff_kind';
	END IF;
	IF staff_add.password IS NULL OR length(staff_add.password) < 8 THEN
		RAISE EXCEPTION 'the password of % must have at least 8 characters', staff_add.login
			USING ERRCODE = '22023', HINT = 'reason:password_short:8';
	END IF;
	IF staff_add.kind IN ('clerk', 'supervisor') AND staff_add.department_code IS NULL THEN
		RAISE EXCEPTION 'a % needs a department', staff_add.kind
			USING ERRCODE = '22023', HINT = 'reason:department_required';
	END IF;
	IF staff_add.department_code IS NOT NULL
	   AND NOT EXISTS (SELECT 1 FROM hall.departments d WHERE d.code = staff_add.department_code) THEN
		RAISE EXCEPTION 'no department %', staff_add.department_code
			USING ERRCODE = '22023', HINT = 'reason:department_unknown';
	END IF;
	v_bad := ARRAY(SELECT w FROM unnest(v_windows) w WHERE NOT EXISTS (SELECT 1 FROM hall.windows x WHERE x.code = w));
	IF cardinality(v_bad) > 0 THEN
		RAISE EXCEPTION 'no window %', array_to_string(v_bad, ', ')
			USING ERRCODE = '22023', HINT = 'reason:window_unknown';
	END IF;
	IF staff_add.kind = 'clerk' AND cardinality(v_windows) = 0 THEN
		RAISE EXCEPTION 'clerk % needs at least one window', staff_add.login
			USING ERRCODE = '22023', HINT = 'reason:window_required';
	END IF;
	v_bad := ARRAY(SELECT x.code FROM hall.windows x
	               WHERE x.code = ANY (v_windows) AND x.department_code IS DISTINCT FROM staff_add.department_code);
	IF cardinality(v_bad) > 0 THEN
		RAISE EXCEPTION 'window % is not of department %', array_to_string(v_bad, ', '), staff_add.department_code
			USING ERRCODE = '22023', HINT = 'reason:window_department';
	END IF;
	IF EXISTS (SELECT 1 FROM hall.staff s WHERE s.login = staff_add.login) THEN
		RAISE EXCEPTION 'staff % already exists', staff_add.login
			USING ERRCODE = '55000', HINT = 'reason:staff_exists';
	END IF;

	v_group := 'hall_' || staff_add.kind;
	SELECT * INTO v_role FROM pg_catalog.pg_roles r WHERE r.rolname = staff_add.login;
	IF NOT FOUND THEN
		EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', staff_add.login, staff_add.password, v_group);
	ELSE
		IF v_role.rolsuper OR v_role.rolcreaterole OR v_role.rolbypassrls THEN
			RAISE EXCEPTION 'role % exists with special rights: not a staff account', staff_add.login
				USING ERRCODE = '42501', HINT = 'reason:role_privileged';
		END IF;
		EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', staff_add.login, staff_add.password);
		-- One group only: a clerk who becomes a supervisor stops being a clerk.
		FOREACH g IN ARRAY ARRAY['hall_clerk', 'hall_supervisor', 'hall_trainer', 'hall_director', 'hall_admin'] LOOP
			IF g <> v_group AND pg_has_role(staff_add.login, g, 'MEMBER') THEN
				EXECUTE format('REVOKE %I FROM %I', g, staff_add.login);
			END IF;
		END LOOP;
		IF NOT pg_has_role(staff_add.login, v_group, 'MEMBER') THEN
			EXECUTE format('GRANT %I TO %I', v_group, staff_add.login);
		END IF;
	END IF;

	INSERT INTO hall.staff (login, name, kind, department_code)
	VALUES (staff_add.login, v_name, staff_add.kind, staff_add.department_code)
	RETURNING id INTO v_id;
	INSERT INTO hall.staff_windows (staff_id, window_code) SELECT v_id, w FROM unnest(v_windows) w;
	PERFORM hall.log('staff_add', NULL, NULL, NULL, NULL, NULL, NULL, staff_add.login,
		jsonb_build_object('staff', v_id, 'login', staff_add.login, 'kind', staff_add.kind,
		                   'department', staff_add.department_code, 'windows', to_jsonb(v_windows),
		                   'role_existed', v_role.rolname IS NOT NULL));
	RETURN v_id;
END $$;

-- Disable an account: it can no longer log in, it leaves its group (so a
-- session it still has open reads nothing more, not even the tables without
-- row-level security: privileges are checked at each statement), hall.me()
-- refuses it, and the cases it held go back to the queue.
CREATE FUNCTION hall.staff_disable(login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	s hall.staff;
	r hall.applications;
	n hall.applications;
	g text;
BEGIN
	SELECT * INTO s FROM hall.staff x WHERE x.login = staff_disable.login FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no staff member %', staff_disable.login
			USING ERRCODE = 'P0002', HINT = 'reason:not_found:staff';
	END IF;
	IF NOT s.active THEN
		RAISE EXCEPTION 'staff % is already disabled', s.login
			USING ERRCODE = '55000', HINT = 'reason:staff_disabled';
	END IF;
	UPDATE hall.staff x SET active = false WHERE x.id = s.id;
	IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = s.login) THEN
		EXECUTE format('ALTER ROLE %I NOLOGIN', s.login);
		FOREACH g IN ARRAY ARRAY['hall_clerk', 'hall_supervisor', 'hall_trainer', 'hall_director', 'hall_admin'] LOOP
			IF pg_catalog.pg_has_role(s.login, g, 'MEMBER') THEN
				EXECUTE format('REVOKE %I FROM %I', g, s.login);
			END IF;
		END LOOP;
	END IF;
	PERFORM hall.log('staff_disable', NULL, NULL, NULL, NULL, NULL, NULL, s.login,
		jsonb_build_object('staff', s.id, 'login', s.login));
	FOR r IN SELECT * FROM hall.applications a WHERE a.claimed_by = s.id AND a.state = 'in_review'
	         ORDER BY a.id FOR UPDATE LOOP
		n := r;
		n.state := 'submitted';
		n.claimed_by := NULL;
		n.claimed_at := NULL;
		PERFORM hall.app_commit(r, n, 'release', format('staff %s disabled', s.login), NULL);
	END LOOP;
END $$;

CREATE FUNCTION hall.calendar_set(d date, kind text, note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	old hall.calendar;
BEGIN
	IF calendar_set.d IS NULL OR calendar_set.d NOT BETWEEN '2000-01-01' AND '2099-12-31' THEN
		RAISE EXCEPTION 'calendar date % is outside 2000-2099', calendar_set.d
			USING ERRCODE = '22023', HINT = 'reason:calendar_range';
	END IF;
	IF calendar_set.kind IS NULL OR calendar_set.kind NOT IN ('holiday', 'workday') THEN
		RAISE EXCEPTION 'calendar kind "%": holiday or workday', calendar_set.kind
			USING ERRCODE = '22023', HINT = 'reason:calendar_kind';
	END IF;
	SELECT * INTO old FROM hall.calendar c WHERE c.d = calendar_set.d;
	INSERT INTO hall.calendar AS c (d, kind, note)
	VALUES (calendar_set.d, calendar_set.kind, hall.optional_text(calendar_set.note, 'calendar_note'))
	ON CONFLICT ON CONSTRAINT calendar_pkey DO UPDATE SET kind = excluded.kind, note = excluded.note;
	PERFORM hall.log('calendar_set', NULL, NULL, NULL, NULL, old.kind, calendar_set.kind,
		hall.optional_text(calendar_set.note, 'calendar_note'), jsonb_build_object('date', calendar_set.d));
END $$;

CREATE FUNCTION hall.calendar_remove(d date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	old hall.calendar;
BEGIN
	DELETE FROM hall.calendar c WHERE c.d = calendar_remove.d RETURNING * INTO old;
	IF old.d IS NULL THEN
		RAISE EXCEPTION 'no calendar exception on %', calendar_remove.d
			USING ERRCODE = 'P0002', HINT = 'reason:not_found:calendar_day';
	END IF;
	PERFORM hall.log('calendar_remove', NULL, NULL, NULL, NULL, old.kind, NULL, old.note,
		jsonb_build_object('date', old.d));
END $$;

CREATE FUNCTION hall.calendar_publish(year int, source text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_source text := hall.require_text(calendar_publish.source, 'calendar_source');
BEGIN
	IF calendar_publish.year IS NULL OR calendar_publish.year NOT BETWEEN 2000 AND 2099 THEN
		RAISE EXCEPTION 'calendar year % is outside 2000-2099', calendar_publish.year
			USING ERRCODE = '22023', HINT = 'reason:calendar_range';
	END IF;
	INSERT INTO hall.calendar_years AS y (year, source) VALUES (calendar_publish.year, v_source)
	ON CONFLICT ON CONSTRAINT calendar_years_pkey DO UPDATE SET source = excluded.source;
	PERFORM hall.recompute_open_dues();
	PERFORM hall.log('calendar_publish', NULL, NULL, NULL, NULL, NULL, NULL, v_source,
		jsonb_build_object('year', calendar_publish.year));
END $$;

-- Owner only (hall_admin and its members); stated for the reader.
REVOKE EXECUTE ON FUNCTION hall.staff_add(text, text, text, text, text[], text), hall.staff_disable(text),
	hall.calendar_set(date, text, text), hall.calendar_remove(date), hall.calendar_publish(int, text)
	FROM PUBLIC;
