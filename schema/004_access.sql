-- Who is calling, and what each role may read.
--
-- Staff log in as their own role.  Inside a SECURITY DEFINER function
-- current_user is hall_admin, so the caller is session_user; hall.me() turns
-- it into the hall.staff row (or refuses unknown and disabled accounts).
--
-- Reading: row-level security on every table that holds cases, citizens,
-- inquiries, ratings or the audit log.  Clerks see their windows, supervisors
-- their department, the trainer everything, the portal nothing (it works
-- through functions only).  Writing: nobody but hall_admin has INSERT,
-- UPDATE or DELETE on any table; every change goes through the functions of
-- 005-007, which run as hall_admin.  The audit log is append-only even for
-- hall_admin and the superuser.
SET LOCAL ROLE hall_admin;

-- Functions are not PUBLIC: per-schema default privileges cannot revoke
-- the global default EXECUTE, so revoke it globally (001 does so too) and
-- from whatever 002-003 created.
ALTER DEFAULT PRIVILEGES FOR ROLE hall_admin REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA hall FROM PUBLIC;

-- ---------------------------------------------------------------- identity

CREATE FUNCTION hall.me() RETURNS hall.staff
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	s hall.staff;
BEGIN
	SELECT * INTO s FROM hall.staff WHERE login = session_user AND active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'not a staff member: the account % is unknown or disabled', session_user
			USING ERRCODE = '42501', HINT = 'reason:not_staff';
	END IF;
	RETURN s;
END $$;

CREATE FUNCTION hall.my_id() RETURNS int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN (hall.me()).id; END $$;

CREATE FUNCTION hall.my_kind() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN (hall.me()).kind; END $$;

CREATE FUNCTION hall.my_department() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN (hall.me()).department_code; END $$;

-- The caller's id is read once: written in the WHERE of the scan, a
-- STABLE function is called again for every row of staff_windows (0.3 ms
-- a call at 70 rows), and every row-level-security check of a clerk's
-- query starts here.
CREATE FUNCTION hall.my_windows() RETURNS text[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_me int := hall.my_id();
BEGIN
	RETURN (SELECT coalesce(array_agg(w.window_code ORDER BY w.window_code), '{}')
	        FROM hall.staff_windows w WHERE w.staff_id = v_me);
END $$;

-- The staff id of the session, or NULL (the portal, an administrator):
-- for the audit log, never refuses.
CREATE FUNCTION hall.actor_id() RETURNS int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN (SELECT id FROM hall.staff WHERE login = session_user); END $$;

GRANT EXECUTE ON FUNCTION hall.me(), hall.my_id(), hall.my_kind(), hall.my_department(), hall.my_windows()
	TO hall_clerk, hall_supervisor, hall_trainer;

-- ------------------------------------------------------------- audit log

-- Append-only for everybody, the owner and the superuser included.  The
-- demo generator may empty it, only in a demo database and only when it
-- says so (SET hall.demo_reset = 'on').
CREATE FUNCTION hall.audit_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' AND hall.mode() = 'demo'
	   AND current_setting('hall.demo_reset', true) = 'on' THEN
		RETURN NULL;
	END IF;
	RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP
		USING ERRCODE = '42501', HINT = 'reason:audit_append_only';
END $$;

CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON hall.audit
	FOR EACH ROW EXECUTE FUNCTION hall.audit_guard();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON hall.audit
	FOR EACH STATEMENT EXECUTE FUNCTION hall.audit_guard();

-- ------------------------------------------------------ row-level security
--
-- Policy quals call the identity functions inside a scalar sub-select, so
-- they run once per query (an InitPlan), and compare with leakproof
-- operators, so the planner can still use them and the caller's own
-- conditions as index conditions (the queue stays an index scan).

ALTER TABLE hall.applications ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.applicants ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.application_materials ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.returns ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.extensions ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.inquiries ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.replies ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.ratings ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.rectifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.outbox ENABLE ROW LEVEL SECURITY;

-- Cases: the clerk's windows, the supervisor's department, the trainer all.
CREATE POLICY clerk_windows ON hall.applications FOR SELECT TO hall_clerk
	USING (window_code = ANY ((SELECT hall.my_windows())::text[]));
CREATE POLICY supervisor_department ON hall.applications FOR SELECT TO hall_supervisor
	USING (department_code = (SELECT hall.my_department()));
CREATE POLICY trainer_all ON hall.applications FOR SELECT TO hall_trainer
	USING (true);

-- Applicants, materials, returns, extensions: those of a visible case (the
-- sub-select on hall.applications is itself filtered by its policies).
-- A clerk's probe names each of their windows with the applicant: every
-- row of their queue pays it, and "window_code = ANY (their windows)",
-- as the cases' policy says it, is on the index's second column, which
-- PostgreSQL 15 checks as a filter in a plain index scan, over all the
-- applicant's cases (391 index entries a row at 32 million cases: the
-- queue page 4.7x a raw scan, doc/performance.md, P2).  One equality
-- probe a window finds the first case and stops: a scalar sub-select with
-- LIMIT, which the planner keeps inside the loop over the windows (a join
-- it turned around, the windows again a filter).
CREATE POLICY clerk_visible_case ON hall.applicants FOR SELECT TO hall_clerk
	USING (EXISTS (SELECT 1 FROM unnest((SELECT hall.my_windows())) w(code)
	               WHERE (SELECT true FROM hall.applications a
	                      WHERE a.applicant_id = applicants.id AND a.window_code = w.code LIMIT 1)));
CREATE POLICY of_visible_case ON hall.applicants FOR SELECT TO hall_supervisor
	USING (EXISTS (SELECT 1 FROM hall.applications a WHERE a.applicant_id = applicants.id));
CREATE POLICY trainer_all ON hall.applicants FOR SELECT TO hall_trainer USING (true);

CREATE POLICY of_visible_case ON hall.application_materials FOR SELECT TO hall_clerk, hall_supervisor
	USING (EXISTS (SELECT 1 FROM hall.applications a WHERE a.id = application_materials.app_id));
CREATE POLICY trainer_all ON hall.application_materials FOR SELECT TO hall_trainer USING (true);

CREATE POLICY of_visible_case ON hall.returns FOR SELECT TO hall_clerk, hall_supervisor
	USING (EXISTS (SELECT 1 FROM hall.applications a WHERE a.id = returns.app_id));
CREATE POLICY trainer_all ON hall.returns FOR SELECT TO hall_trainer USING (true);

CREATE POLICY of_visible_case ON hall.extensions FOR SELECT TO hall_clerk, hall_supervisor
	USING (EXISTS (SELECT 1 FROM hall.applications a WHERE a.id = extensions.app_id));
CREATE POLICY trainer_all ON hall.extensions FOR SELECT TO hall_trainer USING (true);

-- Inquiries: the department's (clerks and supervisors alike).
CREATE POLICY department ON hall.inquiries FOR SELECT TO hall_clerk, hall_supervisor
	USING (department_code = (SELECT hall.my_department()));
CREATE POLICY trainer_all ON hall.inquiries FOR SELECT TO hall_trainer USING (true);

CREATE POLICY of_visible_inquiry ON hall.replies FOR SELECT TO hall_clerk, hall_supervisor
	USING (EXISTS (SELECT 1 FROM hall.inquiries i WHERE i.id = replies.inquiry_id));
CREATE POLICY trainer_all ON hall.replies FOR SELECT TO hall_trainer USING (true);

-- Ratings: a clerk sees only their own, never a colleague's.
CREATE POLICY own ON hall.ratings FOR SELECT TO hall_clerk
	USING (staff_id = (SELECT hall.my_id()));
CREATE POLICY department ON hall.ratings FOR SELECT TO hall_supervisor
	USING (department_code = (SELECT hall.my_department()) OR staff_id = (SELECT hall.my_id()));
CREATE POLICY trainer_all ON hall.ratings FOR SELECT TO hall_trainer USING (true);

-- A scalar sub-select, not EXISTS: the planner may turn an EXISTS into a
-- hash of every rating the reader sees (100,000 for a department at 1M
-- cases) to check a few hundred open rectifications; this one looks the
-- rating up by its key, row by row (doc/performance.md, P5).
CREATE POLICY of_visible_rating ON hall.rectifications FOR SELECT TO hall_clerk, hall_supervisor
	USING ((SELECT true FROM hall.ratings r WHERE r.id = rectifications.rating_id));
CREATE POLICY trainer_all ON hall.rectifications FOR SELECT TO hall_trainer USING (true);

-- The audit log: rows about a visible rating, case or inquiry (a rating's
-- rows follow the rating, so a clerk never reads a colleague's rating in
-- the history of a shared window's case), one's own actions, and, for a
-- supervisor, who of the department revealed an ID number.
CREATE POLICY visible ON hall.audit FOR SELECT TO hall_clerk, hall_supervisor
	USING (
		CASE
			WHEN rating_id IS NOT NULL THEN
				EXISTS (SELECT 1 FROM hall.ratings r WHERE r.id = audit.rating_id)
			WHEN app_id IS NOT NULL THEN
				EXISTS (SELECT 1 FROM hall.applications a WHERE a.id = audit.app_id)
			WHEN inquiry_id IS NOT NULL THEN
				EXISTS (SELECT 1 FROM hall.inquiries i WHERE i.id = audit.inquiry_id)
			ELSE false
		END
		OR staff_id = (SELECT hall.my_id())
		OR (action = 'reveal' AND (SELECT hall.my_kind()) = 'supervisor'
		    AND EXISTS (SELECT 1 FROM hall.staff s
		                WHERE s.id = audit.staff_id AND s.department_code = (SELECT hall.my_department())))
	);
CREATE POLICY trainer_all ON hall.audit FOR SELECT TO hall_trainer USING (true);

-- The outbox holds full phone numbers: the trainer's outbox screen only.
CREATE POLICY trainer_all ON hall.outbox FOR SELECT TO hall_trainer USING (true);

-- ------------------------------------------------------------------ grants
-- SELECT only; INSERT, UPDATE and DELETE belong to hall_admin alone.

GRANT SELECT ON hall.departments, hall.windows, hall.items, hall.materials, hall.window_items,
	hall.staff, hall.staff_windows, hall.canned_replies,
	hall.applications, hall.application_materials, hall.returns, hall.extensions, hall.audit,
	hall.replies, hall.ratings, hall.rectifications
	TO hall_clerk, hall_supervisor, hall_trainer;

-- Never the full ID number or phone number: hall.reveal() is the way.
GRANT SELECT (id, kind, name, id_masked, phone_masked, legal_rep) ON hall.applicants
	TO hall_clerk, hall_supervisor, hall_trainer;
GRANT SELECT (id, ref, channel, department_code, asker_name, phone_masked, subject, body,
	received_at, received_on, due_days, due_date, state, answered_at, answered_by,
	transfer_count, assigned_to, updated_at) ON hall.inquiries
	TO hall_clerk, hall_supervisor, hall_trainer;

GRANT SELECT ON hall.outbox TO hall_trainer;
