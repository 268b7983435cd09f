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
CREATE INDEX applications_case_no_trgm ON hall.applications USING gin (case_no hall_ext.gin_trgm_ops);

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
