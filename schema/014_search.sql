-- Finding any case: applicants ask at the counter about their cases, open
-- or closed, by case number, by name (any part of it) or by ID number.
--
--   submitted ... completed | rejected | withdrawn
--   \_____________ hall.v_cases: every state, read through RLS ________/
--
-- * Names: a trigram index (pg_trgm, in its own schema hall_ext so none of
--   its functions land in schema hall) serves LIKE '%part%'.
-- * ID numbers are never shown and never readable by staff (column grants,
--   004): hall.applicants_by_id_number(typed) compares inside the database
--   and answers with applicant ids of the caller's own cases; every search
--   is audited and their rate is limited (a masked number plus an oracle is
--   a number).
-- * A case completed after its due date is 超期办结 everywhere it appears:
--   v_cases.completed_late, as v_case.completed_late (005).
SET LOCAL ROLE hall_admin;

CREATE SCHEMA IF NOT EXISTS hall_ext AUTHORIZATION hall_admin;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA hall_ext;

CREATE INDEX applicants_name_trgm ON hall.applicants USING gin (name hall_ext.gin_trgm_ops);

-- Case numbers, for the trigram index, in a table of their own: a case's
-- number never changes, but every transition writes a new version of its
-- row in hall.applications (the state is in the queue indexes' predicates,
-- so no update is HOT), and a trigram index there took every claim and
-- every approval through pg_trgm and the GIN pending list: a fifth of the
-- WAL of a claim-and-approve cycle and a tenth of its time
-- (doc/performance.md, P1).  Here a number is written once, when its case
-- is, by a statement trigger; the bulk loads that run as a replica (the
-- demo generator, tests/bench/history.sh) write theirs themselves, from
-- the loaded cases, cheaper than through a transition table of whole rows.
-- Nobody but the owner reads it, through hall.search_case_ids below.
CREATE TABLE hall.case_numbers (
	app_id  bigint PRIMARY KEY REFERENCES hall.applications ON DELETE CASCADE,
	case_no text NOT NULL
);
ALTER TABLE hall.case_numbers ENABLE ROW LEVEL SECURITY;
INSERT INTO hall.case_numbers (app_id, case_no) SELECT id, case_no FROM hall.applications;
CREATE INDEX case_numbers_case_no_trgm ON hall.case_numbers USING gin (case_no hall_ext.gin_trgm_ops);

CREATE FUNCTION hall.case_numbers_add() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	INSERT INTO hall.case_numbers (app_id, case_no) SELECT n.id, n.case_no FROM new_rows n;
	RETURN NULL;
END $$;
CREATE FUNCTION hall.case_numbers_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	UPDATE hall.case_numbers SET case_no = NEW.case_no WHERE app_id = NEW.id;
	RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION hall.case_numbers_add(), hall.case_numbers_change() FROM PUBLIC;
CREATE TRIGGER case_numbers_add AFTER INSERT ON hall.applications
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.case_numbers_add();
CREATE TRIGGER case_numbers_change AFTER UPDATE OF case_no ON hall.applications
	FOR EACH ROW WHEN (OLD.case_no IS DISTINCT FROM NEW.case_no) EXECUTE FUNCTION hall.case_numbers_change();

-- ------------------------------------------- by case number or by name

-- The ids of the cases among p_windows that the caller may see (the rules
-- of the row-level policies of 004) whose number matches the LIKE pattern
-- p_case_no or whose applicant's name matches p_name; the rows themselves
-- are read through hall.v_cases and its policies.  Here, as the owner,
-- because LIKE is not leakproof: under row-level security PostgreSQL
-- applies the policy to every row before it, so neither trigram index
-- served a clerk's search (a scan of all the window's cases, 0.4 s at
-- 200,000).  The scope is applied here too, or the ids would tell who has
-- a case.
CREATE FUNCTION hall.search_case_ids(p_case_no text, p_name text, p_windows text[]) RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
	v_windows text[];
BEGIN
	IF me.kind = 'clerk' THEN
		v_windows := ARRAY(SELECT w FROM unnest(p_windows) w WHERE w = ANY (hall.my_windows()));
	ELSIF me.kind IN ('trainer', 'supervisor') THEN
		v_windows := p_windows;   -- a supervisor's department is checked on each case below
	ELSE
		RETURN;
	END IF;
	RETURN QUERY
	SELECT n.app_id FROM hall.case_numbers n JOIN hall.applications a ON a.id = n.app_id
	WHERE n.case_no LIKE p_case_no AND a.window_code = ANY (v_windows)
	  AND (me.kind <> 'supervisor' OR a.department_code = me.department_code)
	UNION
	SELECT a.id FROM hall.applicants p JOIN hall.applications a ON a.applicant_id = p.id
	WHERE p.name LIKE p_name AND a.window_code = ANY (v_windows)
	  AND (me.kind <> 'supervisor' OR a.department_code = me.department_code);
END $$;
REVOKE ALL ON FUNCTION hall.search_case_ids(text, text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.search_case_ids(text, text, text[]) TO hall_clerk, hall_supervisor, hall_trainer;

-- --------------------------------------------------- by ID number, audited

-- The applicants with this full ID number that have a case the caller may
-- see (the rules of the row-level policies of 004).  The number itself is
-- never returned.  Because a clerk sees ten of the eighteen characters
-- (id_masked), an exact-match search is an oracle a patient clerk could
-- ask 36,000 birth dates: so every search is written to the audit log, with
-- the number masked, and more than id_search_per_minute searches a minute
-- are refused.
CREATE FUNCTION hall.applicants_by_id_number(id_number text) RETURNS SETOF bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
	v text := upper(regexp_replace(coalesce(applicants_by_id_number.id_number, ''), '\s', '', 'g'));
	v_limit int := coalesce(hall.setting_int('id_search_per_minute'), 10);
BEGIN
	IF v !~ '^[0-9]{15}$|^[0-9]{17}[0-9X]$' THEN
		RAISE EXCEPTION 'an ID number has 15 or 18 characters' USING ERRCODE = '22023', HINT = 'reason:id_number_format';
	END IF;
	IF (SELECT count(*) FROM hall.audit a
	    WHERE a.staff_id = me.id AND a.action = 'id_search' AND a.at > hall.now() - interval '1 minute') >= v_limit THEN
		RAISE EXCEPTION 'more than % searches by ID number in a minute', v_limit
			USING ERRCODE = '55000', HINT = 'reason:id_search_limit:' || v_limit;
	END IF;
	PERFORM hall.log('id_search', NULL, NULL, NULL, NULL, NULL, NULL, hall.mask_id(v), NULL);
	RETURN QUERY
	SELECT DISTINCT p.id FROM hall.applicants p JOIN hall.applications a ON a.applicant_id = p.id
	WHERE p.id_number = v
	  AND (me.kind = 'trainer'
	       OR (me.kind = 'clerk' AND a.window_code = ANY (hall.my_windows()))
	       OR (me.kind = 'supervisor' AND a.department_code = me.department_code));
END $$;
GRANT EXECUTE ON FUNCTION hall.applicants_by_id_number(text) TO hall_clerk, hall_supervisor, hall_trainer;
INSERT INTO hall.settings (key, value, note) VALUES
	('id_search_per_minute', '10', 'searches by full ID number one staff member may make a minute (each is audited)');

-- ------------------------------------------------------------ every case

-- The queue's columns for a case in any state, and how it ended.
CREATE VIEW hall.v_cases WITH (security_invoker = true) AS
SELECT a.id, a.case_no, a.item_id, i.code AS item_code, i.name AS item_name,
       a.applicant_id, p.name AS applicant_name, p.kind AS applicant_kind, p.id_masked,
       a.channel, a.state, a.received_at, a.sort_due,
       nullif(a.sort_due, 'infinity') AS deadline,
       CASE WHEN a.state IN ('completed', 'rejected', 'withdrawn', 'terminated') THEN NULL
            ELSE hall.days_left(a.sort_due, t.today) END AS days_left,
       CASE WHEN a.state IN ('completed', 'rejected', 'withdrawn', 'terminated') THEN 'closed'
            ELSE hall.urgency(a.sort_due, t.today, t.warn) END AS urgency,
       a.claimed_by, s.login AS claimed_login, s.name AS claimed_name,
       a.window_code, a.department_code, a.return_count, a.due_date, a.closed_at,
       (a.state = 'completed' AND a.due_date IS NOT NULL
        AND (a.closed_at AT TIME ZONE 'Asia/Shanghai')::date > a.due_date) AS completed_late
FROM hall.applications a
JOIN hall.items i ON i.id = a.item_id
JOIN hall.applicants p ON p.id = a.applicant_id
LEFT JOIN hall.staff s ON s.id = a.claimed_by
CROSS JOIN (SELECT hall.today() AS today, hall.setting_int('warn_days') AS warn OFFSET 0) t;
GRANT SELECT ON hall.v_cases TO hall_clerk, hall_supervisor, hall_trainer;
