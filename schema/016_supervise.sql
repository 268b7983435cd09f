-- Supervision: a supervisor gives a case or an inquiry to another clerk
-- (改派), flags an open one 督办 with a note and a reply deadline, and the
-- clerk answers the flag; the director reads the whole hall.
--
--   a case      submitted ──reassign──▶ in_review, held by the new clerk
--               in_review ──reassign──▶ in_review, held by the new clerk
--               (the window changes to one of the new clerk's windows that
--               serves the item, when the case's own window is not theirs)
--   an inquiry  open ──reassign_inquiry──▶ open, assigned to the new clerk
--               (only they, or a supervisor, may then reply or transfer it)
--
--   a 督办 flag  open ──answer_supervision (the clerk)──▶ answered
--                 │                                        (late when after
--                 └─ reply_due passes: late (the scorecard counts it)  reply_due)
--
-- Who may: hall.reassign / reassign_inquiry / supervise: a supervisor of
-- the item's department (others: the item is not found, or 42501
-- supervisor_only for a clerk).  The new holder: an active clerk of that
-- department with a window that serves the case's item (inquiries: any
-- active clerk of the department).  answer_supervision: the clerk the
-- flag names (the holder when it was raised) or, when it names nobody, any
-- clerk who may act on the item.  Every change writes one audit row and
-- NOTIFYs the screens (hall_queue with the window codes, hall_inquiries
-- with the department code: nothing a listener could not read).
SET LOCAL ROLE hall_admin;

-- ------------------------------------------------------ the director reads

-- hall_director (001) reads what the trainer reads, everywhere, and calls
-- only the functions that read (STABLE or IMMUTABLE) among the trainer's.
-- Later migrations grant it their own read functions by name.
DO $$
DECLARE
	p record;
	f record;
BEGIN
	FOR p IN SELECT c.relname FROM pg_catalog.pg_policy x JOIN pg_catalog.pg_class c ON c.oid = x.polrelid
	         WHERE x.polname = 'trainer_all' AND c.relnamespace = 'hall'::regnamespace LOOP
		EXECUTE format('CREATE POLICY director_all ON hall.%I FOR SELECT TO hall_director USING (true)', p.relname);
	END LOOP;
	FOR p IN SELECT DISTINCT g.table_name, g.privilege_type FROM information_schema.role_table_grants g
	         WHERE g.grantee = 'hall_trainer' AND g.table_schema = 'hall' AND g.privilege_type = 'SELECT' LOOP
		EXECUTE format('GRANT SELECT ON hall.%I TO hall_director', p.table_name);
	END LOOP;
	FOR f IN SELECT x.oid::regprocedure AS sig FROM pg_catalog.pg_proc x
	         WHERE x.pronamespace = 'hall'::regnamespace AND x.provolatile IN ('s', 'i')
	           AND pg_catalog.has_function_privilege('hall_trainer', x.oid, 'EXECUTE') LOOP
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO hall_director', f.sig);
	END LOOP;
END $$;
-- Column grants (the masked applicant and inquiry columns) are not in
-- role_table_grants' SELECT rows above: give them as 004 does.
GRANT SELECT (id, kind, name, id_masked, phone_masked) ON hall.applicants TO hall_director;
GRANT SELECT (id, ref, channel, department_code, asker_name, phone_masked, subject, body,
	received_at, received_on, due_days, due_date, state, answered_at, answered_by,
	transfer_count, assigned_to, updated_at) ON hall.inquiries TO hall_director;

-- ------------------------------------------------------------ the texts

INSERT INTO hall.text_fields (field, what, multiline, min_chars, max_chars) VALUES
	('reassign_note',      'the reason for a reassignment',          true,  2, 500),
	('supervision_note',   'what a 督办 flag asks',                  true,  2, 500),
	('supervision_answer', 'the answer to a 督办 flag',              true,  2, 1000);

-- ----------------------------------------------------------- reassignment

-- The active clerk `login` of department p_dept, or 22023 naming why not.
CREATE FUNCTION hall.reassign_target(p_login text, p_dept text) RETURNS hall.staff
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	t hall.staff;
BEGIN
	SELECT * INTO t FROM hall.staff s WHERE s.login = p_login;
	IF NOT FOUND OR NOT t.active OR t.kind <> 'clerk' OR t.department_code IS DISTINCT FROM p_dept THEN
		RAISE EXCEPTION 'no active clerk % in department %', coalesce(p_login, '(none)'), p_dept
			USING ERRCODE = '22023', HINT = 'reason:reassign_target';
	END IF;
	RETURN t;
END $$;

CREATE FUNCTION hall.reassign(app bigint, login text, note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_note text := hall.require_text(reassign.note, 'reassign_note');
	r hall.applications := hall.app_lock(reassign.app);
	me hall.staff := hall.require_supervisor(r.department_code, 'case', reassign.app);
	t hall.staff := hall.reassign_target(reassign.login, r.department_code);
	n hall.applications := r;
	v_window text;
	today date := hall.today();
	v_from int := CASE WHEN r.state = 'in_review' THEN r.claimed_by END;
BEGIN
	PERFORM hall.require_state(r, ARRAY['submitted', 'in_review']);
	IF v_from = t.id THEN
		RAISE EXCEPTION 'case % is already held by %', r.case_no, t.name
			USING ERRCODE = '22023', HINT = 'reason:reassign_same';
	END IF;
	-- The case's own window if the new clerk serves it, else the first of
	-- theirs that serves the item.
	SELECT w.window_code INTO v_window
	FROM hall.staff_windows w
	JOIN hall.window_items wi ON wi.window_code = w.window_code AND wi.item_id = r.item_id
	WHERE w.staff_id = t.id
	ORDER BY w.window_code <> r.window_code, w.window_code
	LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case %: no window of % serves item %', r.case_no, t.name, hall.item_name(r.item_id)
			USING ERRCODE = '22023', HINT = 'reason:reassign_window_item';
	END IF;
	n.state := 'in_review';
	n.claimed_by := t.id;
	n.claimed_at := hall.now();
	IF n.accepted_on IS NULL THEN
		-- Given before anybody accepted it: this is the acceptance (as a claim).
		n.accepted_on := today;
		n.clock_start := CASE WHEN today <= n.accept_due THEN today ELSE n.received_on END;
	END IF;
	UPDATE hall.applications x SET window_code = v_window WHERE x.id = r.id;
	n.window_code := v_window;
	PERFORM hall.app_commit(r, n, 'reassign', v_note,
		jsonb_build_object('from_staff', v_from, 'to_staff', t.id, 'to_login', t.login,
		                   'from_window', r.window_code, 'to_window', v_window,
		                   'accepted', r.accepted_on IS NULL));
	IF v_window <> r.window_code THEN
		PERFORM hall.notify('hall_queue', r.window_code);
	END IF;
END $$;

CREATE FUNCTION hall.reassign_inquiry(inq bigint, login text, note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_note text := hall.require_text(reassign_inquiry.note, 'reassign_note');
	q hall.inquiries;
	me hall.staff;
	t hall.staff;
BEGIN
	SELECT * INTO q FROM hall.inquiries x WHERE x.id = reassign_inquiry.inq FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM hall.not_found('inquiry', reassign_inquiry.inq);
	END IF;
	me := hall.require_supervisor(q.department_code, 'inquiry', reassign_inquiry.inq);
	IF q.state <> 'open' THEN
		RAISE EXCEPTION 'inquiry % is already answered: it may have changed since your screen was drawn', q.ref
			USING ERRCODE = '55000', HINT = 'reason:inquiry_answered';
	END IF;
	t := hall.reassign_target(reassign_inquiry.login, q.department_code);
	IF q.assigned_to = t.id THEN
		RAISE EXCEPTION 'inquiry % is already assigned to %', q.ref, t.name
			USING ERRCODE = '22023', HINT = 'reason:reassign_same';
	END IF;
	UPDATE hall.inquiries x SET assigned_to = t.id, updated_at = hall.now() WHERE x.id = q.id;
	PERFORM hall.log('reassign', NULL, q.id, NULL, NULL, 'open', 'open', v_note,
		jsonb_build_object('from_staff', q.assigned_to, 'to_staff', t.id, 'to_login', t.login));
	PERFORM hall.notify('hall_inquiries', q.department_code);
END $$;

-- --------------------------------------------------------------- 督办

CREATE TABLE hall.supervisions (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind            text NOT NULL CHECK (kind IN ('application', 'inquiry')),
	item_id         bigint NOT NULL,
	department_code text NOT NULL REFERENCES hall.departments,
	window_code     text REFERENCES hall.windows,     -- a case's window when flagged
	staff_id        int REFERENCES hall.staff,        -- who must answer; NULL: whoever may act on it
	note            text NOT NULL,
	reply_due       date NOT NULL,
	flagged_by      int NOT NULL REFERENCES hall.staff,
	flagged_at      timestamptz NOT NULL,
	answer          text,
	answered_by     int REFERENCES hall.staff,
	answered_at     timestamptz
);
-- One open flag per item.
CREATE UNIQUE INDEX supervisions_one_open ON hall.supervisions (kind, item_id) WHERE answered_at IS NULL;
CREATE INDEX supervisions_department ON hall.supervisions (department_code, flagged_at);
CREATE INDEX supervisions_staff_open ON hall.supervisions (staff_id) WHERE answered_at IS NULL;
COMMENT ON TABLE hall.supervisions IS
	'督办: a supervisor''s flag on an open case or inquiry, with a reply deadline; the clerk answers it';

ALTER TABLE hall.supervisions ENABLE ROW LEVEL SECURITY;
-- A clerk: the flags addressed to them, and those addressed to nobody on
-- an item they can see; a supervisor: the department's; trainer and
-- director: all.
CREATE POLICY clerk_own ON hall.supervisions FOR SELECT TO hall_clerk
	USING (staff_id = (SELECT hall.my_id())
	       OR (staff_id IS NULL AND department_code = (SELECT hall.my_department())
	           AND (window_code IS NULL OR window_code = ANY ((SELECT hall.my_windows())::text[]))));
CREATE POLICY department ON hall.supervisions FOR SELECT TO hall_supervisor
	USING (department_code = (SELECT hall.my_department()));
CREATE POLICY trainer_all ON hall.supervisions FOR SELECT TO hall_trainer USING (true);
CREATE POLICY director_all ON hall.supervisions FOR SELECT TO hall_director USING (true);
GRANT SELECT ON hall.supervisions TO hall_clerk, hall_supervisor, hall_trainer, hall_director;

-- Flag an open case or inquiry 督办.  reply_due NULL: the next working day.
-- Returns the flag's id.
CREATE FUNCTION hall.supervise(kind text, id bigint, note text, reply_due date DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_note text := hall.require_text(supervise.note, 'supervision_note');
	today date := hall.today();
	v_due date := coalesce(supervise.reply_due, hall.workday_add(today, 1));
	r hall.applications;
	q hall.inquiries;
	me hall.staff;
	v_dept text;
	v_window text;
	v_holder int;
	v_ref text;
	v_id bigint;
BEGIN
	IF supervise.kind = 'application' THEN
		r := hall.app_lock(supervise.id);
		me := hall.require_supervisor(r.department_code, 'case', supervise.id);
		PERFORM hall.require_state(r, ARRAY['submitted', 'in_review', 'returned', 'escalated']);
		v_dept := r.department_code;
		v_window := r.window_code;
		v_holder := CASE WHEN r.state IN ('in_review', 'escalated') THEN r.claimed_by END;
		v_ref := r.case_no;
	ELSIF supervise.kind = 'inquiry' THEN
		SELECT * INTO q FROM hall.inquiries x WHERE x.id = supervise.id FOR UPDATE;
		IF NOT FOUND THEN
			PERFORM hall.not_found('inquiry', supervise.id);
		END IF;
		me := hall.require_supervisor(q.department_code, 'inquiry', supervise.id);
		IF q.state <> 'open' THEN
			RAISE EXCEPTION 'inquiry % is already answered: it may have changed since your screen was drawn', q.ref
				USING ERRCODE = '55000', HINT = 'reason:inquiry_answered';
		END IF;
		v_dept := q.department_code;
		v_holder := q.assigned_to;
		v_ref := q.ref;
	ELSE
		RAISE EXCEPTION 'a 督办 flag is on a case (application) or an inquiry, not "%"', supervise.kind
			USING ERRCODE = '22023', HINT = 'reason:supervision_kind';
	END IF;
	IF v_due < today THEN
		RAISE EXCEPTION 'the reply deadline % has passed already (today is %)', v_due, today
			USING ERRCODE = '22023', HINT = 'reason:supervision_due_past';
	END IF;
	IF EXISTS (SELECT 1 FROM hall.supervisions s
	           WHERE s.kind = supervise.kind AND s.item_id = supervise.id AND s.answered_at IS NULL) THEN
		RAISE EXCEPTION '% already has an open 督办 flag: wait for its answer', v_ref
			USING ERRCODE = '55000', HINT = 'reason:supervision_open';
	END IF;
	INSERT INTO hall.supervisions (kind, item_id, department_code, window_code, staff_id, note, reply_due,
	                               flagged_by, flagged_at)
	VALUES (supervise.kind, supervise.id, v_dept, v_window, v_holder, v_note, v_due, me.id, hall.now())
	RETURNING hall.supervisions.id INTO v_id;
	PERFORM hall.log('supervise', CASE WHEN supervise.kind = 'application' THEN supervise.id END,
		CASE WHEN supervise.kind = 'inquiry' THEN supervise.id END, NULL, NULL, NULL, NULL, v_note,
		jsonb_build_object('supervision', v_id, 'staff', v_holder, 'reply_due', v_due));
	IF v_window IS NOT NULL THEN
		PERFORM hall.notify('hall_queue', v_window);
	ELSE
		PERFORM hall.notify('hall_inquiries', v_dept);
	END IF;
	RETURN v_id;
END $$;

-- The clerk answers a 督办 flag.
CREATE FUNCTION hall.answer_supervision(supervision bigint, answer text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_answer text := hall.require_text(answer_supervision.answer, 'supervision_answer');
	f hall.supervisions;
	me hall.staff := hall.me();
	v_may boolean;
BEGIN
	SELECT * INTO f FROM hall.supervisions x WHERE x.id = answer_supervision.supervision FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM hall.not_found('supervision', answer_supervision.supervision);
	END IF;
	v_may := me.kind = 'clerk' AND me.department_code = f.department_code
	         AND (f.staff_id = me.id
	              OR (f.staff_id IS NULL
	                  AND (f.window_code IS NULL
	                       OR EXISTS (SELECT 1 FROM hall.staff_windows w
	                                  WHERE w.staff_id = me.id AND w.window_code = f.window_code))));
	-- A flag addressed to a colleague is one the caller does not see (RLS):
	-- not found, as any other.
	IF NOT v_may THEN
		PERFORM hall.not_found('supervision', answer_supervision.supervision);
	END IF;
	IF f.answered_at IS NOT NULL THEN
		RAISE EXCEPTION 'this 督办 flag was answered already'
			USING ERRCODE = '55000', HINT = 'reason:supervision_answered';
	END IF;
	UPDATE hall.supervisions x SET answer = v_answer, answered_by = me.id, answered_at = hall.now()
	WHERE x.id = f.id;
	PERFORM hall.log('answer_supervision', CASE WHEN f.kind = 'application' THEN f.item_id END,
		CASE WHEN f.kind = 'inquiry' THEN f.item_id END, NULL, NULL, NULL, NULL, v_answer,
		jsonb_build_object('supervision', f.id, 'late', hall.today() > f.reply_due));
	IF f.window_code IS NOT NULL THEN
		PERFORM hall.notify('hall_queue', f.window_code);
	ELSE
		PERFORM hall.notify('hall_inquiries', f.department_code);
	END IF;
END $$;

-- The flags the caller can see, with the item's reference and whether
-- each is late (open past reply_due, or answered after it).
CREATE VIEW hall.v_supervisions WITH (security_invoker = true) AS
SELECT f.id, f.kind, f.item_id, coalesce(a.case_no, q.ref) AS ref, coalesce(i.name, q.subject) AS title,
       f.department_code, f.window_code, f.staff_id, s.name AS staff_name, f.note, f.reply_due,
       f.flagged_by, b.name AS flagged_by_name, f.flagged_at, f.answer, f.answered_by, f.answered_at,
       f.answered_at IS NULL AS open,
       CASE WHEN f.answered_at IS NULL THEN t.today > f.reply_due
            ELSE (f.answered_at AT TIME ZONE 'Asia/Shanghai')::date > f.reply_due END AS late
FROM hall.supervisions f
LEFT JOIN hall.staff s ON s.id = f.staff_id
LEFT JOIN hall.staff b ON b.id = f.flagged_by
LEFT JOIN hall.applications a ON f.kind = 'application' AND a.id = f.item_id
LEFT JOIN hall.items i ON i.id = a.item_id
LEFT JOIN hall.inquiries q ON f.kind = 'inquiry' AND q.id = f.item_id
CROSS JOIN (SELECT hall.today() AS today OFFSET 0) t;
GRANT SELECT ON hall.v_supervisions TO hall_clerk, hall_supervisor, hall_trainer, hall_director;

-- ------------------------------------------------- drill-down and ratings

-- What a supervisor opens from a clerk's or a window's row of the
-- timeliness screen: the items that went wrong in the period [from_day,
-- to_day] or are going wrong now.  what:
--   late         a case completed after its due day (超期办结)
--   overdue      an open case or inquiry past its deadline, held now
--   due_soon     ... whose deadline is within warn_days working days
--   accept_miss  a case whose acceptance deadline (§32) passed in the period
--   breach       a return in the period that broke the one-time notice
--   bad_rating   a bad rating (level 1-2) given in the period
--   supervision  a 督办 flag open past its reply deadline, or answered late
-- p_staff or p_window (one of them; both NULL: the whole scope).  The
-- caller's scope is hall.timeliness_scope()'s; SECURITY INVOKER.
CREATE FUNCTION hall.timeliness_items(from_day date, to_day date, p_staff int, p_window text)
RETURNS TABLE (what text, kind text, id bigint, ref text, title text, staff_name text, window_code text,
               deadline date, done_on date, days_left int)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_dept text := hall.timeliness_scope();
	v_all boolean := v_dept IS NULL;
	v_today date := hall.today();
	v_soon date := hall.workday_add(v_today, coalesce(hall.setting_int('warn_days'), 1) + 1);
	p0 timestamptz;
	p1 timestamptz;
BEGIN
	PERFORM hall.timeliness_period(from_day, to_day);
	p0 := hall.end_of_day(from_day - 1);
	p1 := hall.end_of_day(to_day);
	-- EXECUTE: planned for this call's arguments every time.  As a plain
	-- RETURN QUERY, PL/pgSQL's plan cache went generic at the sixth call
	-- of a session, and a generic plan cannot drop the branches and
	-- conditions the NULL arguments switch off (118 -> 188 ms for the
	-- department at 8M cases); plan_cache_mode = force_custom_plan on the
	-- function would be inherited by every function its rows call (213 ms).
	RETURN QUERY EXECUTE $q$
	SELECT x.* FROM (
		SELECT 'late'::text, 'application'::text, a.id, a.case_no, i.name, s.name, a.window_code,
		       a.due_date, (a.closed_at AT TIME ZONE 'Asia/Shanghai')::date, NULL::int
		FROM hall.applications a
		JOIN hall.items i ON i.id = a.item_id
		LEFT JOIN hall.staff s ON s.id = a.closed_by
		WHERE a.state = 'completed' AND a.closed_at >= $1 AND a.closed_at < $2
		  AND (a.closed_at AT TIME ZONE 'Asia/Shanghai')::date > a.due_date
		  AND ($3 OR a.department_code = $4)
		  AND ($5 IS NULL OR a.closed_by = $5) AND ($6 IS NULL OR a.window_code = $6)
		UNION ALL
		SELECT CASE WHEN a.sort_due < $7 THEN 'overdue' ELSE 'due_soon' END, 'application', a.id, a.case_no,
		       i.name, s.name, a.window_code, a.sort_due, NULL, hall.days_left(a.sort_due, $7)
		FROM hall.applications a
		JOIN hall.items i ON i.id = a.item_id
		LEFT JOIN hall.staff s ON s.id = a.claimed_by AND a.state IN ('in_review', 'escalated')
		WHERE a.state IN ('submitted', 'in_review', 'returned', 'escalated') AND a.sort_due < $8
		  AND ($3 OR a.department_code = $4)
		  AND ($5 IS NULL OR (a.claimed_by = $5 AND a.state IN ('in_review', 'escalated')))
		  AND ($6 IS NULL OR a.window_code = $6)
		UNION ALL
		SELECT CASE WHEN q.due_date < $7 THEN 'overdue' ELSE 'due_soon' END, 'inquiry', q.id, q.ref,
		       q.subject, s.name, NULL, q.due_date, NULL, hall.days_left(q.due_date, $7)
		FROM hall.inquiries q
		LEFT JOIN hall.staff s ON s.id = q.assigned_to
		WHERE q.state = 'open' AND q.due_date < $8 AND $6 IS NULL
		  AND ($3 OR q.department_code = $4)
		  AND ($5 IS NULL OR q.assigned_to = $5)
		UNION ALL
		SELECT 'accept_miss', 'application', a.id, a.case_no, i.name, s.name, a.window_code,
		       a.accept_due, a.accepted_on, NULL
		FROM hall.applications a
		JOIN hall.items i ON i.id = a.item_id
		LEFT JOIN hall.staff s ON s.id = a.claimed_by
		WHERE a.accept_due BETWEEN $9 AND $10
		  AND (a.accepted_on > a.accept_due
		       OR (a.accepted_on IS NULL
		           AND coalesce((a.closed_at AT TIME ZONE 'Asia/Shanghai')::date, $7) > a.accept_due))
		  AND ($3 OR a.department_code = $4)
		  AND ($5 IS NULL OR a.claimed_by = $5) AND ($6 IS NULL OR a.window_code = $6)
		UNION ALL
		SELECT 'breach', 'application', a.id, a.case_no, i.name, s.name, a.window_code,
		       NULL, (x.returned_at AT TIME ZONE 'Asia/Shanghai')::date, NULL
		FROM hall.returns x
		JOIN hall.applications a ON a.id = x.app_id
		JOIN hall.items i ON i.id = a.item_id
		LEFT JOIN hall.staff s ON s.id = x.staff_id
		WHERE x.breach AND x.returned_at >= $1 AND x.returned_at < $2
		  AND ($3 OR a.department_code = $4)
		  AND ($5 IS NULL OR x.staff_id = $5) AND ($6 IS NULL OR a.window_code = $6)
		UNION ALL
		SELECT 'bad_rating', r.kind, r.target_id, coalesce(a.case_no, q.ref), coalesce(i.name, q.subject), s.name,
		       a.window_code, x.rectify_due, (r.rated_at AT TIME ZONE 'Asia/Shanghai')::date, NULL
		FROM hall.ratings r
		JOIN hall.staff s ON s.id = r.staff_id
		LEFT JOIN hall.rectifications x ON x.rating_id = r.id
		LEFT JOIN hall.applications a ON r.kind = 'application' AND a.id = r.target_id
		LEFT JOIN hall.items i ON i.id = a.item_id
		LEFT JOIN hall.inquiries q ON r.kind = 'inquiry' AND q.id = r.target_id
		WHERE r.level <= 2 AND r.counts AND r.rated_at >= $1 AND r.rated_at < $2
		  AND ($3 OR r.department_code = $4)
		  AND ($5 IS NULL OR r.staff_id = $5) AND ($6 IS NULL OR a.window_code = $6)
		UNION ALL
		SELECT 'supervision', f.kind, f.item_id, f.ref, f.title, f.staff_name, f.window_code,
		       f.reply_due, (f.answered_at AT TIME ZONE 'Asia/Shanghai')::date, NULL
		FROM hall.v_supervisions f
		WHERE f.late AND (f.open OR f.answered_at >= $1) AND f.flagged_at < $2
		  AND ($3 OR f.department_code = $4)
		  AND ($5 IS NULL OR f.staff_id = $5) AND ($6 IS NULL OR f.window_code = $6)
	) x (what, kind, id, ref, title, staff_name, window_code, deadline, done_on, days_left)
	ORDER BY CASE x.what WHEN 'overdue' THEN 1 WHEN 'due_soon' THEN 2 WHEN 'supervision' THEN 3 WHEN 'late' THEN 4
	                     WHEN 'accept_miss' THEN 5 WHEN 'breach' THEN 6 ELSE 7 END,
	         x.deadline NULLS LAST, x.ref
	LIMIT 1000
	$q$ USING p0, p1, v_all, v_dept, p_staff, p_window, v_today, v_soon, from_day, to_day;
END $$;

-- The department's ratings per clerk for a period (`3` for a supervisor;
-- the trainer and the director: the hall): counts, satisfaction (levels
-- 4-5 over the ratings that count), bad ratings and how many are
-- rectified (closed), still open, and late.  The counts are summed from
-- the daily facts of 019 (hall.rating_days, kept by triggers); only the
-- bad ratings and the pending appeals, a few in a month, are read one by
-- one: a department's month at 1M cases in milliseconds, not the 0.4 s of
-- reading every rating (doc/performance.md).  Late as in hall.v_ratings.
CREATE FUNCTION hall.department_ratings(from_day date, to_day date)
RETURNS TABLE (staff_id int, login text, name text, department_code text,
               ratings bigint, good bigint, satisfaction numeric, bad bigint, bad_closed bigint, bad_open bigint,
               bad_late bigint, appeals_pending bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_dept text := hall.timeliness_scope();
	v_today date := hall.today();
	p0 timestamptz;
	p1 timestamptz;
BEGIN
	PERFORM hall.timeliness_period(from_day, to_day);
	p0 := hall.end_of_day(from_day - 1);
	p1 := hall.end_of_day(to_day);
	RETURN QUERY
	WITH c AS (
		SELECT d.staff_id, sum(d.ratings)::bigint AS n, sum(d.satisfied)::bigint AS good
		FROM hall.rating_days d
		WHERE d.day BETWEEN from_day AND to_day AND (v_dept IS NULL OR d.department_code = v_dept)
		GROUP BY d.staff_id
	), b AS (
		SELECT r.staff_id, count(*) AS bad, count(*) FILTER (WHERE x.closed_at IS NOT NULL) AS closed,
		       count(*) FILTER (WHERE x.closed_at IS NULL) AS open,
		       count(*) FILTER (WHERE coalesce(x.callback_at > hall.end_of_day(x.callback_due)
		                                       OR (x.callback_at IS NULL AND v_today > x.callback_due), false)
		                           OR coalesce(x.rectified_at > hall.end_of_day(x.rectify_due)
		                                       OR (x.rectified_at IS NULL AND v_today > x.rectify_due), false)) AS late
		FROM hall.rectifications x
		JOIN hall.ratings r ON r.id = x.rating_id
		WHERE r.rated_at >= p0 AND r.rated_at < p1 AND (v_dept IS NULL OR r.department_code = v_dept)
		GROUP BY r.staff_id
	), a AS (
		SELECT r.staff_id, count(*) AS n
		FROM hall.ratings r
		WHERE r.appeal_state = 'pending' AND r.rated_at >= p0 AND r.rated_at < p1
		  AND (v_dept IS NULL OR r.department_code = v_dept)
		GROUP BY r.staff_id
	)
	SELECT s.id, s.login::text, s.name, s.department_code,
	       coalesce(c.n, 0), coalesce(c.good, 0), round(c.good::numeric / nullif(c.n, 0), 4),
	       coalesce(b.bad, 0), coalesce(b.closed, 0), coalesce(b.open, 0), coalesce(b.late, 0), coalesce(a.n, 0)
	FROM hall.staff s
	LEFT JOIN c ON c.staff_id = s.id
	LEFT JOIN b ON b.staff_id = s.id
	LEFT JOIN a ON a.staff_id = s.id
	WHERE s.kind IN ('clerk', 'supervisor') AND (v_dept IS NULL OR s.department_code = v_dept)
	  AND (s.active OR c.staff_id IS NOT NULL OR b.staff_id IS NOT NULL OR a.staff_id IS NOT NULL)
	ORDER BY s.department_code, s.login;
END $$;

REVOKE ALL ON FUNCTION hall.reassign_target(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.reassign(bigint, text, text), hall.reassign_inquiry(bigint, text, text),
	hall.supervise(text, bigint, text, date)
	TO hall_supervisor, hall_clerk, hall_trainer;
GRANT EXECUTE ON FUNCTION hall.answer_supervision(bigint, text) TO hall_clerk, hall_supervisor, hall_trainer;
GRANT EXECUTE ON FUNCTION hall.timeliness_items(date, date, int, text), hall.department_ratings(date, date)
	TO hall_supervisor, hall_trainer, hall_director;
