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
--   v_cases.completed_late, also added to v_case.
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
       CASE WHEN a.state IN ('completed', 'rejected', 'withdrawn') THEN NULL
            ELSE hall.days_left(a.sort_due, t.today) END AS days_left,
       CASE WHEN a.state IN ('completed', 'rejected', 'withdrawn') THEN 'closed'
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

-- v_case says it too.
CREATE OR REPLACE VIEW hall.v_case WITH (security_invoker = true) AS
SELECT v.*,
       (v.state = 'completed' AND v.due_date IS NOT NULL
        AND (v.closed_at AT TIME ZONE 'Asia/Shanghai')::date > v.due_date) AS completed_late,
       (v.state = 'returned' AND v.returned_on IS NOT NULL AND v.due_date IS NOT NULL
        AND v.returned_on > v.due_date) AS returned_overdue
FROM (
SELECT a.id, a.case_no, a.item_id, i.code AS item_code, i.name AS item_name, i.category AS item_category,
       a.applicant_id, p.name AS applicant_name, p.kind AS applicant_kind, p.id_masked, p.phone_masked,
       a.channel, a.state, a.window_code, w.name AS window_name, a.department_code, d.name AS department_name,
       a.received_at, a.received_on, a.accept_due, a.accepted_on, a.clock_start,
       (a.clock_start IS NOT NULL AND a.clock_start = a.received_on AND a.accepted_on > a.accept_due) AS accepted_late,
       a.promised_days, a.extension_days, a.paused_days, a.returned_on, a.due_date, a.sort_due,
       nullif(a.sort_due, 'infinity') AS deadline,
       CASE WHEN a.state IN ('completed', 'rejected', 'withdrawn') THEN NULL
            ELSE hall.days_left(a.sort_due, t.today) END AS days_left,
       CASE WHEN a.state IN ('completed', 'rejected', 'withdrawn') THEN 'closed'
            ELSE hall.urgency(a.sort_due, t.today, t.warn) END AS urgency,
       NOT hall.calendar_published(extract(year FROM coalesce(a.due_date, a.accept_due))::int) AS calendar_unpublished,
       concat_ws('；',
           CASE WHEN a.clock_start IS NULL THEN
               format('%s 收件，应于 %s 前受理（%s 个工作日）', to_char(a.received_on, 'YYYY-MM-DD'), to_char(a.accept_due, 'YYYY-MM-DD'), hall.setting('accept_days'))
           ELSE
               format('自 %s 起算（%s）+ 承诺 %s + 延期 %s + 补正暂停 %s = %s 个工作日，期限 %s',
                      to_char(a.clock_start, 'YYYY-MM-DD'),
                      CASE WHEN a.clock_start = a.received_on AND a.accepted_on > a.accept_due
                           THEN format('%s 超期受理，自收件日起算', to_char(a.accepted_on, 'YYYY-MM-DD'))
                           ELSE '受理日' END,
                      a.promised_days, a.extension_days, a.paused_days,
                      a.promised_days + a.extension_days + a.paused_days, to_char(a.due_date, 'YYYY-MM-DD'))
           END,
           CASE WHEN a.state = 'returned' THEN format('自 %s 退回补正，暂停计时', to_char(a.returned_on, 'YYYY-MM-DD')) END,
           CASE WHEN NOT hall.calendar_published(extract(year FROM coalesce(a.due_date, a.accept_due))::int)
                THEN format('%s 年节假日安排尚未公布，暂按周一至周五计算',
                            extract(year FROM coalesce(a.due_date, a.accept_due))) END
       ) AS due_explain,
       a.claimed_by, s.login AS claimed_login, s.name AS claimed_name, a.claimed_at,
       a.escalated_at, a.escalation_reason, a.escalation_due,
       a.return_count,
       (SELECT count(*) FROM hall.returns x WHERE x.app_id = a.id AND x.breach) AS breach_count,
       (SELECT x.notice FROM hall.returns x WHERE x.app_id = a.id ORDER BY x.seq DESC LIMIT 1) AS last_notice,
       e.id AS extension_id, e.days AS extension_pending_days, e.reason AS extension_pending_reason,
       a.closed_at, a.closed_by, c.login AS closed_login, c.name AS closed_name, a.decision_note,
       a.updated_at
FROM hall.applications a
JOIN hall.items i ON i.id = a.item_id
JOIN hall.applicants p ON p.id = a.applicant_id
JOIN hall.windows w ON w.code = a.window_code
JOIN hall.departments d ON d.code = a.department_code
LEFT JOIN hall.staff s ON s.id = a.claimed_by
LEFT JOIN hall.staff c ON c.id = a.closed_by
LEFT JOIN hall.extensions e ON e.app_id = a.id AND e.state = 'pending'
CROSS JOIN (SELECT hall.today() AS today, hall.setting_int('warn_days') AS warn OFFSET 0) t
) v;

-- The queue: a returned case that was overdue when it was returned keeps
-- its overdue mark beside the pause.
CREATE OR REPLACE VIEW hall.v_queue WITH (security_invoker = true) AS
SELECT a.id, a.case_no, a.item_id, i.code AS item_code, i.name AS item_name,
       a.applicant_id, p.name AS applicant_name, p.kind AS applicant_kind, p.id_masked, p.phone_masked,
       a.channel, a.state, a.received_at, a.received_on, a.accept_due, a.accepted_on, a.due_date, a.sort_due,
       nullif(a.sort_due, 'infinity') AS deadline,
       hall.days_left(a.sort_due, t.today) AS days_left,
       hall.urgency(a.sort_due, t.today, t.warn) AS urgency,
       a.claimed_by, s.login AS claimed_login, s.name AS claimed_name, a.claimed_at,
       a.window_code, a.department_code, a.return_count,
       a.escalation_due, a.updated_at,
       (a.state = 'returned' AND a.returned_on IS NOT NULL AND a.due_date IS NOT NULL
        AND a.returned_on > a.due_date) AS returned_overdue
FROM hall.applications a
JOIN hall.items i ON i.id = a.item_id
JOIN hall.applicants p ON p.id = a.applicant_id
LEFT JOIN hall.staff s ON s.id = a.claimed_by
CROSS JOIN (SELECT hall.today() AS today, hall.setting_int('warn_days') AS warn OFFSET 0) t
WHERE a.state IN ('submitted', 'in_review', 'returned', 'escalated');
