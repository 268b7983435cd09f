-- The training room (issue 12): a trainer runs an exercise for a class of
-- trainees on a demo database, with the database's clock as the exercise's
-- own, and sees from the audit log what each trainee did.
--
-- An exercise (hall.exercises):
--
--   (none) --exercise_begin(scenario, title, clock_at)--> running --exercise_end()--> ended
--                 sets the clock to clock_at (running),          (at most one running)
--                 notes where the audit log and the refusals
--                 stood, so that only what follows is counted
--
-- The cases an exercise needs are loaded by the client (db/training.c,
-- `hallctl exercise start`) through the public's functions (hall.demo_submit,
-- demo_ask, ...: 012), in the transaction that calls exercise_begin.
--
-- The training clock (011's set_clock, stepped here by hall.clock_step):
--
--   running --clock_step('pause')--> paused --clock_step('run')--> running
--   either  --clock_step('next_workday_9' | '+1h' | '-30m' | '+2d')--> the same state, at the new moment
--   either  --clock_step('real')--> the real clock
--
-- What a trainee did is read, never stored twice: the audit log (who, when,
-- what, with the one-time notice's breach and the reply's on_time in its
-- details) plus hall.refusals, the actions the database refused, which the
-- audit log cannot keep (the refused transaction rolled back): the terminal
-- notes each one afterwards with hall.note_refusal (a reason code, never the
-- database's English).
--
--   hall.training_room(since)          one row per trainee with the counts
--   hall.training_actions(staff, since) one trainee's actions in time order
--   hall.training_debrief(since)       what went well, what went late,
--                                      which rule was broken and where
--
-- "Since" is a moment of the training clock, normally the running
-- exercise's started_at.  The clock may have been set back before the demo
-- data's own history: for the exercise started at exactly `since`, only
-- the audit rows and refusals recorded after it began are counted (its
-- audit_from, refusal_from), never the seed's.
--
-- A trainee is an active clerk who did something (or was refused) since
-- then, or is connected to this database now.
--
-- Everything here but note_refusal answers on a demo database only
-- (55000 reason:not_demo) and is granted to hall_trainer alone.
--
-- At the end, the reset in a second: hall.demo_reset (012) now puts back
-- only the rows written since the last reset (hall.demo_delta, a mark kept
-- in hall_demo_seed._mark), 012's whole reload kept as the fallback.
SET LOCAL ROLE hall_admin;

INSERT INTO hall.text_fields (field, what, multiline, min_chars, max_chars) VALUES
	('exercise_title',    'the title of a training exercise',           false, 1, 60),
	('exercise_scenario', 'the scenario an exercise was started from',  false, 1, 60);

CREATE TABLE hall.exercises (
	id           int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	scenario     text NOT NULL,
	title        text NOT NULL,
	started_at   timestamptz NOT NULL,        -- training clock
	clock_at     timestamptz,                 -- the moment the clock was set to (NULL: left alone)
	started_by   int REFERENCES hall.staff,
	audit_from   bigint NOT NULL,             -- hall.audit ids above this one are the exercise's
	refusal_from bigint NOT NULL,             -- hall.refusals ids likewise
	ended_at     timestamptz
);
CREATE UNIQUE INDEX exercises_one_running ON hall.exercises ((true)) WHERE ended_at IS NULL;

-- Refused actions, noted by the terminal after the rollback.  Reason codes
-- only (src/db/refusals.def), never the message text.
CREATE TABLE hall.refusals (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at       timestamptz NOT NULL,
	staff_id int NOT NULL REFERENCES hall.staff,
	action   text NOT NULL,
	sqlstate text NOT NULL,
	reason   text NOT NULL,
	app_id   bigint
);
CREATE INDEX refusals_staff ON hall.refusals (staff_id, at);

-- A demo database generated before this migration keeps a seed without
-- these two tables; give it their (empty) copies, so that its reset
-- (hall.demo_reset, 012) goes on working without generating it again.
DO $$
BEGIN
	IF to_regclass('hall_demo_seed._info') IS NOT NULL THEN
		CREATE TABLE hall_demo_seed.exercises AS SELECT * FROM hall.exercises WITH NO DATA;
		CREATE TABLE hall_demo_seed.refusals AS SELECT * FROM hall.refusals WITH NO DATA;
	END IF;
END $$;

-- --------------------------------------------------------------- helpers

-- The trainer's own functions: a demo database, a trainer (or the
-- superuser).  The grants let only hall_trainer in; this says why when
-- the database is not a demo one.
CREATE FUNCTION hall.training_only(what text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN PERFORM hall.demo_only(what); END $$;
REVOKE ALL ON FUNCTION hall.training_only(text) FROM PUBLIC;

-- Where the room's three readers start: refused off demo and without a
-- moment; then the audit id and refusal id after which actions count for
-- `since`: those of the exercise started at exactly that moment, else none
-- (0, 0).  Returned as values, so that the audit log is read by its key.
CREATE FUNCTION hall.training_floor(since timestamptz, OUT audit_from bigint, OUT refusal_from bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	PERFORM hall.training_only('the training room can be read');
	IF training_floor.since IS NULL THEN
		RAISE EXCEPTION 'the training room needs the moment to count from'
			USING ERRCODE = '22004', HINT = 'reason:training_since';
	END IF;
	SELECT coalesce(max(e.audit_from), 0), coalesce(max(e.refusal_from), 0) INTO audit_from, refusal_from
	FROM hall.exercises e WHERE e.started_at = training_floor.since;
END $$;
REVOKE ALL ON FUNCTION hall.training_floor(timestamptz) FROM PUBLIC;

-- The trainees' audit rows since `since`, each with what the rules say
-- about it: rule is 'second_return' (a return that broke the one-time
-- notice), 'late_reply' (a reply after its due day), 'late_decision' (an
-- approval or rejection after the case's due day), 'late_claim' (accepted
-- after the §32 acceptance deadline), else NULL.
CREATE FUNCTION hall.training_acts(since timestamptz, audit_from bigint)
RETURNS TABLE(id bigint, at timestamptz, staff_id int, action text, app_id bigint, inquiry_id bigint,
              note text, details jsonb, rule text, minutes numeric)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	RETURN QUERY
	SELECT a.id, a.at, a.staff_id, a.action, a.app_id, a.inquiry_id, a.note, a.details,
	       CASE
	           WHEN a.action = 'return' AND (a.details->>'breach')::boolean THEN 'second_return'
	           WHEN a.action = 'reply' AND NOT (a.details->>'on_time')::boolean THEN 'late_reply'
	           WHEN a.action IN ('approve', 'reject')
	                AND (a.at AT TIME ZONE 'Asia/Shanghai')::date > ap.due_date THEN 'late_decision'
	           WHEN a.action = 'claim' AND (a.details->>'late')::boolean THEN 'late_claim'
	       END,
	       -- reply: minutes from the question's arrival; a decision: minutes
	       -- from this trainee's claim of the case
	       CASE
	           WHEN a.action = 'reply' THEN
	               round(greatest(0, extract(epoch FROM a.at - q.received_at) / 60)::numeric, 1)
	           WHEN a.action IN ('approve', 'reject', 'return', 'escalate') THEN
	               (SELECT round(greatest(0, extract(epoch FROM a.at - c.at) / 60)::numeric, 1)
	                FROM hall.audit c
	                WHERE c.app_id = a.app_id AND c.id < a.id AND c.staff_id = a.staff_id
	                  AND (c.action = 'claim' OR (c.action = 'receive' AND c.to_state = 'in_review'))
	                ORDER BY c.id DESC LIMIT 1)
	       END
	FROM hall.audit a
	JOIN hall.staff s ON s.id = a.staff_id AND s.kind = 'clerk'
	LEFT JOIN hall.applications ap ON ap.id = a.app_id
	LEFT JOIN hall.inquiries q ON q.id = a.inquiry_id
	WHERE a.at >= training_acts.since AND a.id > training_acts.audit_from;
END $$;
REVOKE ALL ON FUNCTION hall.training_acts(timestamptz, bigint) FROM PUBLIC;

CREATE FUNCTION hall.training_refused(since timestamptz, refusal_from bigint)
RETURNS TABLE(id bigint, at timestamptz, staff_id int, action text, reason text, app_id bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	RETURN QUERY
	SELECT r.id, r.at, r.staff_id, r.action, r.reason, r.app_id
	FROM hall.refusals r
	WHERE r.at >= training_refused.since AND r.id > training_refused.refusal_from;
END $$;
REVOKE ALL ON FUNCTION hall.training_refused(timestamptz, bigint) FROM PUBLIC;

-- ------------------------------------------------------------ the room

-- One row per trainee: claims (受理: a claim or an accepting reception),
-- approvals, returns, notice_breaches (returns that broke the one-time
-- notice), escalations, replies with their average minutes from the
-- question's arrival, gone_late (late replies + late decisions + cases the
-- trainee holds now past their due day), the average minutes from a
-- trainee's claim to their decision on the case (approve, reject, return,
-- escalate), refused (hall.refusals) and the time of the last of these.
CREATE FUNCTION hall.training_room(since timestamptz)
RETURNS TABLE(staff_id int, login text, name text, claims int, approvals int, returns int,
              notice_breaches int, escalations int, replies int, reply_minutes_avg numeric,
              gone_late int, handling_minutes_avg numeric, refused int, last_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_audit_from bigint;
	v_refusal_from bigint;
	v_today date := hall.today();
BEGIN
	SELECT f.audit_from, f.refusal_from INTO v_audit_from, v_refusal_from FROM hall.training_floor(training_room.since) f;
	RETURN QUERY
	WITH acts AS MATERIALIZED (SELECT * FROM hall.training_acts(training_room.since, v_audit_from)),
	refused AS MATERIALIZED (SELECT * FROM hall.training_refused(training_room.since, v_refusal_from)),
	per AS (
		SELECT x.staff_id,
		       count(*) FILTER (WHERE x.action = 'claim'
		                           OR (x.action = 'receive' AND x.details->>'outcome' = 'accept'))::int AS claims,
		       count(*) FILTER (WHERE x.action = 'approve')::int AS approvals,
		       count(*) FILTER (WHERE x.action = 'return')::int AS returns,
		       count(*) FILTER (WHERE x.rule = 'second_return')::int AS breaches,
		       count(*) FILTER (WHERE x.action = 'escalate')::int AS escalations,
		       count(*) FILTER (WHERE x.action = 'reply')::int AS replies,
		       round(avg(x.minutes) FILTER (WHERE x.action = 'reply'), 1) AS reply_avg,
		       count(*) FILTER (WHERE x.rule IN ('late_reply', 'late_decision'))::int AS late,
		       round(avg(x.minutes) FILTER (WHERE x.action <> 'reply'), 1) AS handling_avg,
		       max(x.at) AS last_at
		FROM acts x GROUP BY x.staff_id),
	ref AS (SELECT r.staff_id, count(*)::int AS n, max(r.at) AS last_at FROM refused r GROUP BY r.staff_id),
	held AS (
		SELECT a.claimed_by AS staff_id, count(*)::int AS n
		FROM hall.applications a
		WHERE a.state = 'in_review' AND a.claimed_by IS NOT NULL AND a.due_date < v_today
		GROUP BY a.claimed_by),
	online AS (
		SELECT DISTINCT p.usename FROM pg_catalog.pg_stat_activity p
		WHERE p.datname = pg_catalog.current_database() AND p.usename IS NOT NULL)
	SELECT s.id, s.login::text, s.name,
	       coalesce(p.claims, 0), coalesce(p.approvals, 0), coalesce(p.returns, 0), coalesce(p.breaches, 0),
	       coalesce(p.escalations, 0), coalesce(p.replies, 0), p.reply_avg,
	       coalesce(p.late, 0) + coalesce(h.n, 0), p.handling_avg, coalesce(r.n, 0),
	       nullif(greatest(coalesce(p.last_at, '-infinity'), coalesce(r.last_at, '-infinity')), '-infinity')
	FROM hall.staff s
	LEFT JOIN per p ON p.staff_id = s.id
	LEFT JOIN ref r ON r.staff_id = s.id
	LEFT JOIN held h ON h.staff_id = s.id
	WHERE s.kind = 'clerk' AND s.active
	  AND (p.staff_id IS NOT NULL OR r.staff_id IS NOT NULL
	       OR EXISTS (SELECT 1 FROM online o WHERE o.usename = s.login))
	ORDER BY s.login;
END $$;

-- One trainee's actions since `since`, in time order: each audit row
-- (action as the audit log names it: claim, approve, return, escalate,
-- reply, transfer, receive, ...) and each refused one (action: what was
-- attempted; rule 'refused'; detail: the reason code).  case_no is the
-- case's number, or the inquiry's reference for an inquiry.  detail: the
-- return's materials and defects, the escalation's reason, the
-- transfer's department, a decision's note (staff's text: clean it before
-- showing it).  rule: see hall.training_acts, or 'refused'.
CREATE FUNCTION hall.training_actions(staff int, since timestamptz)
RETURNS TABLE(at timestamptz, action text, application_id bigint, case_no text, inquiry_id bigint,
              detail text, rule text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_audit_from bigint;
	v_refusal_from bigint;
	v_today date := hall.today();
BEGIN
	SELECT f.audit_from, f.refusal_from INTO v_audit_from, v_refusal_from FROM hall.training_floor(training_actions.since) f;
	RETURN QUERY
	SELECT y.at, y.action, y.app_id, y.case_no, y.inquiry_id, y.detail, y.rule
	FROM (
		SELECT x.at, x.id, 0 AS src, x.action, x.app_id, coalesce(ap.case_no, q.ref) AS case_no, x.inquiry_id,
		       CASE x.action
		           WHEN 'return' THEN concat_ws('；',
		               (SELECT string_agg(m.name, '、' ORDER BY m.ord, m.id) FROM hall.materials m
		                WHERE m.id IN (SELECT jsonb_array_elements_text(x.details->'material_ids')::int)),
		               nullif(x.note, ''), nullif(x.details->>'breach_reason', ''))
		           WHEN 'transfer' THEN concat_ws('；', x.details->>'to', nullif(x.note, ''))
		           ELSE x.note
		       END AS detail,
		       x.rule
		FROM hall.training_acts(training_actions.since, v_audit_from) x
		LEFT JOIN hall.applications ap ON ap.id = x.app_id
		LEFT JOIN hall.inquiries q ON q.id = x.inquiry_id
		WHERE x.staff_id = training_actions.staff
		UNION ALL
		SELECT r.at, r.id, 1, r.action, r.app_id, ap.case_no, NULL::bigint, r.reason, 'refused'
		FROM hall.training_refused(training_actions.since, v_refusal_from) r
		LEFT JOIN hall.applications ap ON ap.id = r.app_id
		WHERE r.staff_id = training_actions.staff
	) y
	ORDER BY y.at, y.src, y.id;
END $$;

-- The debrief: for each trainee, then for the class (staff_id NULL),
--   kind 'well'  code claims | approved_on_time | replied_on_time |
--                complete_notice (returns that kept the one-time notice):
--                one row per code with its count n (> 0);
--   kind 'late'  code late_reply | late_decision | late_claim |
--                overdue_held (held now past its due day): one row per item,
--                with its case (or inquiry reference) and when;
--   kind 'rule'  code second_return (the one-time notice broken), or
--                'refused:' || reason (an action the database refused):
--                one row per event, with its case and when.
-- The class's rows add up the trainees' per kind and code (at: the last).
-- Codes, not sentences: the terminal says them in Chinese.
CREATE FUNCTION hall.training_debrief(since timestamptz)
RETURNS TABLE(staff_id int, login text, name text, kind text, code text, case_no text,
              application_id bigint, at timestamptz, n int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_audit_from bigint;
	v_refusal_from bigint;
	v_today date := hall.today();
BEGIN
	SELECT f.audit_from, f.refusal_from INTO v_audit_from, v_refusal_from FROM hall.training_floor(training_debrief.since) f;
	RETURN QUERY
	WITH acts AS MATERIALIZED (SELECT * FROM hall.training_acts(training_debrief.since, v_audit_from)),
	refused AS MATERIALIZED (SELECT * FROM hall.training_refused(training_debrief.since, v_refusal_from)),
	lines AS (
		-- what went well
		SELECT x.staff_id, 'well'::text AS kind, w.code, NULL::text AS case_no, NULL::bigint AS app_id,
		       max(x.at) AS at, count(*)::int AS n
		FROM acts x
		CROSS JOIN LATERAL (SELECT CASE
			WHEN x.action = 'claim' OR (x.action = 'receive' AND x.details->>'outcome' = 'accept') THEN 'claims'
			WHEN x.action = 'approve' AND x.rule IS NULL THEN 'approved_on_time'
			WHEN x.action = 'reply' AND x.rule IS NULL THEN 'replied_on_time'
			WHEN x.action = 'return' AND x.rule IS NULL THEN 'complete_notice'
		END AS code) w
		WHERE w.code IS NOT NULL
		GROUP BY x.staff_id, w.code
		UNION ALL
		-- what went late, and which rule was broken where
		SELECT x.staff_id, CASE WHEN x.rule = 'second_return' THEN 'rule' ELSE 'late' END, x.rule,
		       coalesce(ap.case_no, q.ref), x.app_id, x.at, 1
		FROM acts x
		LEFT JOIN hall.applications ap ON ap.id = x.app_id
		LEFT JOIN hall.inquiries q ON q.id = x.inquiry_id
		WHERE x.rule IS NOT NULL
		UNION ALL
		SELECT a.claimed_by, 'late', 'overdue_held', a.case_no, a.id, hall.end_of_day(a.due_date), 1
		FROM hall.applications a
		WHERE a.state = 'in_review' AND a.claimed_by IS NOT NULL AND a.due_date < v_today
		  AND (EXISTS (SELECT 1 FROM acts x WHERE x.staff_id = a.claimed_by)
		       OR EXISTS (SELECT 1 FROM refused r WHERE r.staff_id = a.claimed_by))
		UNION ALL
		SELECT r.staff_id, 'rule', 'refused:' || r.reason, ap.case_no, r.app_id, r.at, 1
		FROM refused r
		LEFT JOIN hall.applications ap ON ap.id = r.app_id),
	trainees AS (SELECT l.* FROM lines l JOIN hall.staff s ON s.id = l.staff_id AND s.kind = 'clerk')
	SELECT t.staff_id, s.login::text, s.name, t.kind, t.code, t.case_no, t.app_id, t.at, t.n
	FROM trainees t JOIN hall.staff s ON s.id = t.staff_id
	UNION ALL
	SELECT NULL::int, NULL::text, NULL::text, t.kind, t.code, NULL::text, NULL::bigint, max(t.at), sum(t.n)::int
	FROM trainees t GROUP BY t.kind, t.code
	ORDER BY 2 NULLS LAST, 4, 8, 5, 6;
END $$;

REVOKE ALL ON FUNCTION hall.training_room(timestamptz), hall.training_actions(int, timestamptz),
	hall.training_debrief(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.training_room(timestamptz), hall.training_actions(int, timestamptz),
	hall.training_debrief(timestamptz) TO hall_trainer;

-- ------------------------------------------------------------ exercises

-- The running exercise, if any; state is the clock's: 'running' or
-- 'paused' (standing still).
CREATE FUNCTION hall.exercise_current()
RETURNS TABLE(id int, scenario text, title text, started_at timestamptz, clock_at timestamptz, state text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	PERFORM hall.training_only('exercises can be run');
	RETURN QUERY
	SELECT e.id, e.scenario, e.title, e.started_at, e.clock_at,
	       CASE WHEN coalesce(hall.setting('clock_paused'), '') <> '' THEN 'paused' ELSE 'running' END
	FROM hall.exercises e WHERE e.ended_at IS NULL;
END $$;

-- Begin an exercise: the clock set to clock_at, running (NULL: left as
-- it is), the exercise recorded with where the audit log and the
-- refusals stand.  One at a time (55000 reason:exercise_running).  The
-- scenario's cases are the caller's to load, in the same transaction,
-- through the public's functions.
CREATE FUNCTION hall.exercise_begin(scenario text, title text, clock_at timestamptz) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_scenario text;
	v_title text;
	v_id int;
	v_running hall.exercises;
BEGIN
	PERFORM hall.training_only('exercises can be run');
	v_scenario := hall.require_text(exercise_begin.scenario, 'exercise_scenario');
	v_title := hall.require_text(exercise_begin.title, 'exercise_title');
	PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('hall.exercises'));
	SELECT * INTO v_running FROM hall.exercises e WHERE e.ended_at IS NULL;
	IF FOUND THEN
		RAISE EXCEPTION 'exercise "%" is running: end it first', v_running.title
			USING ERRCODE = '55000', HINT = 'reason:exercise_running';
	END IF;
	IF exercise_begin.clock_at IS NOT NULL THEN
		PERFORM hall.set_clock(exercise_begin.clock_at, true);
	END IF;
	INSERT INTO hall.exercises (scenario, title, started_at, clock_at, started_by, audit_from, refusal_from)
	VALUES (v_scenario, v_title, hall.now(), exercise_begin.clock_at, hall.actor_id(),
	        (SELECT coalesce(max(a.id), 0) FROM hall.audit a),
	        (SELECT coalesce(max(r.id), 0) FROM hall.refusals r))
	RETURNING id INTO v_id;
	PERFORM hall.log('exercise_begin', NULL, NULL, NULL, NULL, NULL, 'running', v_title,
	                 jsonb_build_object('exercise', v_id, 'scenario', v_scenario, 'clock_at', exercise_begin.clock_at));
	PERFORM hall.notify('hall_training', '');
	RETURN v_id;
END $$;

-- End the running exercise (55000 reason:no_exercise when none runs).  The
-- clock is left where it is.
CREATE FUNCTION hall.exercise_end() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	e hall.exercises;
BEGIN
	PERFORM hall.training_only('exercises can be run');
	SELECT * INTO e FROM hall.exercises x WHERE x.ended_at IS NULL FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no exercise is running'
			USING ERRCODE = '55000', HINT = 'reason:no_exercise';
	END IF;
	UPDATE hall.exercises x SET ended_at = hall.now() WHERE x.id = e.id;
	PERFORM hall.log('exercise_end', NULL, NULL, NULL, NULL, 'running', 'ended', e.title,
	                 jsonb_build_object('exercise', e.id, 'scenario', e.scenario));
	PERFORM hall.notify('hall_training', '');
END $$;

REVOKE ALL ON FUNCTION hall.exercise_current(), hall.exercise_begin(text, text, timestamptz), hall.exercise_end()
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.exercise_current(), hall.exercise_begin(text, text, timestamptz), hall.exercise_end()
	TO hall_trainer;

-- ---------------------------------------------------------------- clock

-- Step the training clock: 'next_workday_9' (the next working day after
-- today, 09:00 Asia/Shanghai, by hall.workday_add), '+1h' / '-30m' / '+2d'
-- (1 to 9999 minutes, hours or days), 'pause' (stand still at now),
-- 'run' (run on from now), 'real' (back to the real clock).  A step keeps
-- the clock running or paused as it was.  Demo databases only (set_clock
-- alone also serves test databases); returns the new hall.now().
CREATE FUNCTION hall.clock_step(what text) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_paused boolean := coalesce(hall.setting('clock_paused'), '') <> '';
	m text[];
	v_at timestamptz;
BEGIN
	PERFORM hall.training_only('the training clock can be set');
	IF clock_step.what = 'pause' THEN
		RETURN hall.set_clock(hall.now(), false);
	ELSIF clock_step.what = 'run' THEN
		RETURN hall.set_clock(hall.now(), true);
	ELSIF clock_step.what = 'real' THEN
		RETURN hall.set_clock(NULL, true);
	ELSIF clock_step.what = 'next_workday_9' THEN
		v_at := (hall.workday_add(hall.today(), 1) + time '09:00') AT TIME ZONE 'Asia/Shanghai';
	ELSE
		m := regexp_match(coalesce(clock_step.what, ''), '^([+-])([0-9]{1,4})([mhd])$');
		IF m IS NULL THEN
			RAISE EXCEPTION 'clock step "%": next_workday_9, pause, run, real or +N/-N with m, h or d',
				clock_step.what
				USING ERRCODE = '22023', HINT = 'reason:clock_step';
		END IF;
		v_at := hall.now() + (m[1] || m[2] || CASE m[3] WHEN 'm' THEN ' minutes' WHEN 'h' THEN ' hours'
		                                         ELSE ' days' END)::interval;
	END IF;
	RETURN hall.set_clock(v_at, NOT v_paused);
END $$;
REVOKE ALL ON FUNCTION hall.clock_step(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.clock_step(text) TO hall_trainer;

-- ------------------------------------------------------------- refusals

-- The terminal notes an action the database refused (its transaction rolled
-- back, so the audit log cannot have it): the action's name, the SQLSTATE,
-- the reason code of the hint (no message text) and the case, if any.
-- Any staff member, for themselves; the row itself is the record (this is
-- the log of what the audit log could not keep, so no audit row).  Refused
-- (22023 reason:refusal_invalid) when a field is not a code.  Only the
-- training room reads these rows: elsewhere than on a demo database the
-- call checks its fields and writes nothing (no row, no NOTIFY on every
-- refusal of a real hall).
CREATE FUNCTION hall.note_refusal(action text, sqlstate text, reason text, application bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
BEGIN
	IF coalesce(note_refusal.action, '') !~ '^[a-z][a-z0-9_]{0,39}$'
	   OR coalesce(note_refusal.sqlstate, '') !~ '^[0-9A-Z]{5}$'
	   OR coalesce(note_refusal.reason, '') !~ '^[a-z][a-z0-9_]{0,39}(:[a-z0-9_]{1,40})*$'
	   OR length(note_refusal.reason) > 120 THEN
		RAISE EXCEPTION 'a refusal is noted as codes: action [a-z_], SQLSTATE, reason code'
			USING ERRCODE = '22023', HINT = 'reason:refusal_invalid';
	END IF;
	IF hall.mode() IS DISTINCT FROM 'demo' THEN
		RETURN;
	END IF;
	INSERT INTO hall.refusals (at, staff_id, action, sqlstate, reason, app_id)
	VALUES (hall.now(), me.id, note_refusal.action, note_refusal.sqlstate, note_refusal.reason,
	        note_refusal.application);
	PERFORM hall.notify('hall_training', '');
END $$;
REVOKE ALL ON FUNCTION hall.note_refusal(text, text, text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.note_refusal(text, text, text, bigint) TO hall_clerk, hall_supervisor, hall_trainer;

-- ------------------------------------------------------ reset in a second
-- hall.demo_reset (012) emptied every data table and loaded it again from
-- the seed: 2.7 - 4.3 s at the default scale (20,000 cases, 234,100 rows)
-- on a 2-core machine, most of it writing rows that had not changed
-- (doc/performance.md, P7).  An exercise changes a few hundred rows, so the
-- reset now puts back only those:
--
--   hall_demo_seed._mark says when the data last equalled the seed: at
--   the end of the generation or of the last reset, the transaction id
--   after the newest that transaction used, and the transactions still
--   running then.  A row whose xmin is older than that id and not one of
--   those running transactions' is as the seed has it; any other row was
--   written since ("touched").  One
--   sequential scan of each data table finds them (no seed table is read),
--   but of the audit log, which is append-only: its rows after the seed's
--   last id are the new ones.
--   Then, in one transaction, with the data tables locked against writers
--   (readers go on) and their triggers set aside, the foreign keys in
--   place:
--     1. children first: delete the touched rows the seed does not have
--        (and, by the identity key, rows after the seed's last id);
--     2. update the touched rows the seed has back to the seed's values;
--     3. parents first: insert the seed's rows that are missing (a row
--        deleted since: counted, not searched for, unless the count differs).
--   A table without a primary key is emptied and loaded whole if touched.
--   Anything unexpected (a key cycle, a constraint the order cannot meet)
--   rolls the attempt back and falls back to the whole reload, which
--   remains as hall.demo_reload().
--
-- Limits: xmin comparison is valid for 2^31 transactions after the mark
-- and for rows not frozen by VACUUM FREEZE since (autovacuum freezes only
-- rows older than vacuum_freeze_min_age, 50 million transactions); a
-- trainer's database is far from both.
ALTER FUNCTION hall.demo_reset() RENAME TO demo_reload;
REVOKE ALL ON FUNCTION hall.demo_reload() FROM PUBLIC, hall_trainer;
ALTER FUNCTION hall.demo_keep_seed(jsonb) RENAME TO demo_copy_seed;
REVOKE ALL ON FUNCTION hall.demo_copy_seed(jsonb) FROM PUBLIC;

-- Note that the data equal the seed now: the snapshot's xmax, the
-- transactions running, and the seed's row counts (counted once per seed).
CREATE FUNCTION hall.demo_mark() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_counts jsonb;
	v_n bigint;
	t record;
BEGIN
	IF to_regclass('hall_demo_seed._mark') IS NULL THEN
		CREATE TABLE hall_demo_seed._mark (next_xid xid8 NOT NULL, running xid8[] NOT NULL, counts jsonb NOT NULL);
	END IF;
	SELECT m.counts INTO v_counts FROM hall_demo_seed._mark m;
	IF v_counts IS NULL THEN
		-- Once per seed: its row counts, and an index on each copy's key so
		-- that a reset finds the seed's version of a row without a scan.
		v_counts := '{}';
		FOR t IN SELECT x.name,
		                (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY array_position(c.conkey, a.attnum))
		                 FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_attribute a
		                      ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
		                 WHERE c.conrelid = ('hall.' || quote_ident(x.name))::regclass AND c.contype = 'p') AS pk
		         FROM hall.demo_data_tables() x(name) LOOP
			IF to_regclass('hall_demo_seed.' || quote_ident(t.name)) IS NULL THEN
				-- not copied (the audit log, 012): its rows now are the seed's
				EXECUTE format('SELECT count(*) FROM hall.%I', t.name) INTO v_n;
				v_counts := v_counts || jsonb_build_object(t.name, v_n);
				CONTINUE;
			END IF;
			EXECUTE format('SELECT count(*) FROM hall_demo_seed.%I', t.name) INTO v_n;
			v_counts := v_counts || jsonb_build_object(t.name, v_n);
			IF t.pk IS NOT NULL THEN
				EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON hall_demo_seed.%I (%s)', t.name || '_key', t.name, t.pk);
				EXECUTE format('ANALYZE hall_demo_seed.%I', t.name);
			END IF;
		END LOOP;
	END IF;
	-- Written in a subtransaction of its own, the mark's row takes the
	-- newest transaction id this reset has used (the rows it put back were
	-- written by older ones of ours: the snapshot's xmax would not cover
	-- them); the other transactions running now (their ids locked in
	-- pg_locks, subtransactions and prepared ones included) will write
	-- after it and are listed.
	BEGIN
		DELETE FROM hall_demo_seed._mark;
		INSERT INTO hall_demo_seed._mark (next_xid, running, counts)
		SELECT '0'::xid8,
		       ARRAY(SELECT l.transactionid::text::xid8 FROM pg_catalog.pg_locks l
		             WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
		               AND l.pid IS DISTINCT FROM pg_catalog.pg_backend_pid()),
		       v_counts;
		UPDATE hall_demo_seed._mark m SET next_xid = (m.xmin::text::bigint + 1)::text::xid8;
	EXCEPTION WHEN OTHERS THEN
		RAISE;
	END;
END $$;
REVOKE ALL ON FUNCTION hall.demo_mark() FROM PUBLIC;

-- The generator's last step: the seed copied (012's function), then marked.
CREATE FUNCTION hall.demo_keep_seed(info jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	PERFORM hall.demo_copy_seed(demo_keep_seed.info);
	PERFORM hall.demo_mark();
END $$;
REVOKE ALL ON FUNCTION hall.demo_keep_seed(jsonb) FROM PUBLIC;

-- Put back the rows written since the mark (see above).  NULL when there is
-- no mark; raises when the order of the foreign keys cannot be met (the
-- caller falls back to the whole reload).  Returns {"restored": rows
-- deleted, updated or inserted, "tables": the seed's counts}.
CREATE FUNCTION hall.demo_delta() RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_hi xid;
	v_run xid[];
	v_counts jsonb;
	v_seq jsonb;
	v_tables text;
	t record;
	v_cols text;
	v_set text;
	v_touched text;
	v_untouched bigint;
	v_beyond bigint;
	v_tids tid[];
	v_n bigint;
	v_last bigint;
	v_restored bigint := 0;
	v_names text[] := '{}';
	v_joins text[] := '{}';
	v_tid_list text[] := '{}';
	v_present bigint[] := '{}';
	v_trg_on text[] := '{}';
	v_sql text;
	i int;
BEGIN
	IF to_regclass('hall_demo_seed._mark') IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT (m.next_xid::text::numeric % 4294967296)::text::xid,
	       ARRAY(SELECT (x::text::numeric % 4294967296)::text::xid FROM unnest(m.running) x), m.counts
	INTO v_hi, v_run, v_counts FROM hall_demo_seed._mark m;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT x.sequences INTO v_seq FROM hall_demo_seed._info x;

	-- No writer meanwhile (readers go on).
	SELECT string_agg(format('hall.%I', x.name), ', ' ORDER BY x.name) INTO v_tables FROM hall.demo_data_tables() x(name);
	EXECUTE 'LOCK TABLE ' || v_tables || ' IN EXCLUSIVE MODE';
	-- A row is as the seed has it when written before the mark by a
	-- transaction that had ended by then.
	v_touched := format('NOT (age(x.xmin) > age(%L::xid) AND x.xmin <> ALL (%L::xid[]))', v_hi, v_run);

	-- Phase 1, children first: the touched rows found (one scan), those the
	-- seed does not have deleted.
	FOR t IN
		WITH RECURSIVE dt AS (SELECT x.name, ('hall.' || quote_ident(x.name))::regclass AS rel
		                      FROM hall.demo_data_tables() x(name)),
		fk AS (SELECT k.conrelid AS child, k.confrelid AS parent FROM pg_catalog.pg_constraint k
		       WHERE k.contype = 'f' AND k.conrelid <> k.confrelid
		         AND k.conrelid IN (SELECT rel FROM dt) AND k.confrelid IN (SELECT rel FROM dt)),
		depth (rel, d) AS (SELECT rel, 0 FROM dt
		                   UNION ALL
		                   SELECT fk.child, depth.d + 1 FROM depth JOIN fk ON fk.parent = depth.rel WHERE depth.d < 64)
		SELECT dt.name, dt.rel, max(depth.d) AS d,
		       (SELECT string_agg(format('s.%1$I = x.%1$I', a.attname), ' AND ')
		        FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_attribute a
		             ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
		        WHERE c.conrelid = dt.rel AND c.contype = 'p') AS pkjoin,
		       (SELECT a.attname FROM pg_catalog.pg_attribute a
		        WHERE a.attrelid = dt.rel AND a.attidentity <> '' AND NOT a.attisdropped LIMIT 1) AS ident
		FROM dt JOIN depth USING (rel)
		GROUP BY dt.name, dt.rel
		ORDER BY max(depth.d) DESC, dt.name
	LOOP
		IF t.d >= 64 THEN
			RAISE EXCEPTION 'demo_delta: the foreign keys of hall.% form a cycle', t.name
				USING ERRCODE = '55000', HINT = 'reason:demo_delta';
		END IF;
		-- Identity rows after the seed's last id are new, touched or not
		-- (the last reset's own audit row).
		v_last := NULL;
		v_sql := CASE WHEN t.ident IS NULL THEN NULL ELSE pg_catalog.pg_get_serial_sequence(t.rel::text, t.ident) END;
		IF v_sql IS NOT NULL THEN
			v_last := hall.demo_seed_last_id(v_seq, v_sql);
		END IF;
		IF t.name = 'audit' AND v_last IS NOT NULL THEN
			-- Append-only (004's guard refuses UPDATE and DELETE): its new
			-- rows are those after the seed's last id, found by the key,
			-- not by a scan of the largest table.
			EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM hall.audit x WHERE x.id > %s LIMIT 1) n', v_last)
			INTO v_beyond;
			v_untouched := (v_counts->>t.name)::bigint;
			v_tids := NULL;
		ELSE
			EXECUTE format('SELECT count(*) FILTER (WHERE NOT (%1$s) AND %2$s), count(*) FILTER (WHERE NOT (%2$s)),
			                       array_agg(x.ctid) FILTER (WHERE %1$s)
			                FROM hall.%3$I x',
			               v_touched, CASE WHEN v_last IS NULL THEN 'true' ELSE format('x.%I <= %s', t.ident, v_last) END,
			               t.name)
			INTO v_untouched, v_beyond, v_tids;
		END IF;
		IF v_tids IS NULL AND v_beyond = 0 AND v_untouched = (v_counts->>t.name)::bigint THEN
			CONTINUE;  -- as the seed has it
		END IF;
		v_names := v_names || t.name::text;
		v_joins := v_joins || t.pkjoin;
		v_tid_list := v_tid_list || coalesce(v_tids, '{}')::text;
		v_present := v_present || CASE WHEN t.pkjoin IS NULL THEN -1 ELSE v_untouched END;
		-- Its triggers set aside, back as each was at the end: what they
		-- compute is in the seed.  Not the province feed's (021, feed_*):
		-- they follow these statements' rows into schema feed, as they
		-- follow every transition, so that a city's feed stays right.
		SELECT v_trg_on || coalesce(array_agg(format('ALTER TABLE %s %s TRIGGER %I', g.tgrelid::regclass,
		                                 CASE g.tgenabled WHEN 'A' THEN 'ENABLE ALWAYS' WHEN 'R' THEN 'ENABLE REPLICA'
		                                                  ELSE 'ENABLE' END, g.tgname)), '{}')
		INTO v_trg_on
		FROM pg_catalog.pg_trigger g
		WHERE g.tgrelid = t.rel AND NOT g.tgisinternal AND g.tgenabled <> 'D' AND g.tgname NOT LIKE 'feed\_%';
		FOR v_sql IN SELECT format('ALTER TABLE %s DISABLE TRIGGER %I', g.tgrelid::regclass, g.tgname)
		             FROM pg_catalog.pg_trigger g
		             WHERE g.tgrelid = t.rel AND NOT g.tgisinternal AND g.tgenabled <> 'D'
		               AND g.tgname NOT LIKE 'feed\_%' LOOP
			EXECUTE v_sql;
		END LOOP;
		IF t.pkjoin IS NULL THEN
			EXECUTE format('DELETE FROM hall.%I', t.name);   -- no key to match rows by: the whole table
		ELSIF v_last IS NOT NULL AND t.pkjoin = format('s.%1$I = x.%1$I', t.ident) THEN
			-- keyed by identity: the seed's rows are those up to its last id
			EXECUTE format('DELETE FROM hall.%I x WHERE x.%I > %s', t.name, t.ident, v_last);
		ELSE
			EXECUTE format('DELETE FROM hall.%I x WHERE (x.ctid = ANY ($1) AND NOT EXISTS (SELECT 1 FROM hall_demo_seed.%I s WHERE %s)) %s',
			               t.name, t.name, t.pkjoin,
			               CASE WHEN v_last IS NOT NULL THEN format('OR x.%I > %s', t.ident, v_last) ELSE '' END)
			USING coalesce(v_tids, '{}');
		END IF;
		GET DIAGNOSTICS v_n = ROW_COUNT;
		v_restored := v_restored + v_n;
	END LOOP;

	-- Phase 2 and 3, parents first: the touched rows the seed has, back to
	-- its values; the seed's rows missing, inserted.
	FOR i IN REVERSE cardinality(v_names) .. 1 LOOP
		SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
		       string_agg(format('%1$I = s.%1$I', a.attname), ', ' ORDER BY a.attnum) FILTER (WHERE a.attidentity <> 'a')
		INTO v_cols, v_set
		FROM pg_catalog.pg_attribute a
		WHERE a.attrelid = ('hall.' || quote_ident(v_names[i]))::regclass AND a.attnum > 0 AND NOT a.attisdropped
		  AND a.attgenerated = '';
		IF v_present[i] = -1 THEN
			EXECUTE format('INSERT INTO hall.%I (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM hall_demo_seed.%I',
			               v_names[i], v_cols, v_cols, v_names[i]);
			GET DIAGNOSTICS v_n = ROW_COUNT;
			v_restored := v_restored + v_n;
			CONTINUE;
		END IF;
		v_tids := v_tid_list[i]::tid[];
		IF cardinality(v_tids) > 0 AND v_set IS NOT NULL THEN
			EXECUTE format('UPDATE hall.%I x SET %s FROM hall_demo_seed.%I s WHERE x.ctid = ANY ($1) AND %s',
			               v_names[i], v_set, v_names[i], v_joins[i])
			USING v_tids;
			GET DIAGNOSTICS v_n = ROW_COUNT;
			v_restored := v_restored + v_n;
			v_present[i] := v_present[i] + v_n;
		END IF;
		IF v_present[i] < (v_counts->>v_names[i])::bigint THEN
			EXECUTE format('INSERT INTO hall.%I (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM hall_demo_seed.%I s
			                WHERE NOT EXISTS (SELECT 1 FROM hall.%I x WHERE %s)',
			               v_names[i], v_cols, v_cols, v_names[i], v_names[i], v_joins[i]);
			GET DIAGNOSTICS v_n = ROW_COUNT;
			v_restored := v_restored + v_n;
			v_present[i] := v_present[i] + v_n;
		END IF;
		IF v_present[i] <> (v_counts->>v_names[i])::bigint THEN
			RAISE EXCEPTION 'demo_delta: hall.% has % rows of the seed''s %', v_names[i], v_present[i], v_counts->>v_names[i]
				USING ERRCODE = '55000', HINT = 'reason:demo_delta';
		END IF;
	END LOOP;

	FOREACH v_sql IN ARRAY v_trg_on LOOP
		EXECUTE v_sql;
	END LOOP;
	FOR t IN SELECT key, value FROM jsonb_each(v_seq) LOOP
		IF to_regclass(t.key) IS NOT NULL THEN
			PERFORM pg_catalog.setval(t.key::regclass, (t.value->>0)::bigint, (t.value->>1)::boolean);
		END IF;
	END LOOP;
	RETURN jsonb_build_object('restored', v_restored, 'tables', v_counts);
END $$;
REVOKE ALL ON FUNCTION hall.demo_delta() FROM PUBLIC;

-- Back to the seed (as 012's demo_reset: a trainer, a demo database, the
-- settings, calendar and clock left alone, sessions stay logged in and are
-- told to reload, the reset the one audit row after it): the rows written
-- since the mark put back (hall.demo_delta), or, without a mark or when
-- that fails, every data table reloaded (hall.demo_reload).  Then marked.
-- Returns the seed's info with rows (the seed's), tables (their counts),
-- kept_at, restored (rows put back by the delta) and how (delta | reload).
CREATE FUNCTION hall.demo_reset() RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_delta jsonb;
	v_res jsonb;
	v_info jsonb;
	v_total bigint;
	d record;
BEGIN
	PERFORM hall.demo_only('the demo data can be reset');
	-- A seed older than the schema is not loaded, not even in part (as 012;
	-- the audit log is kept in place, not copied).
	IF to_regclass('hall_demo_seed._info') IS NOT NULL AND hall.demo_seed_outdated() IS NOT NULL THEN
		RETURN hall.demo_reload();   -- which refuses with demo_seed_outdated
	END IF;
	PERFORM pg_catalog.set_config('lock_timeout', '15s', true);
	BEGIN
		v_delta := hall.demo_delta();
	EXCEPTION
		WHEN lock_not_available THEN
			RAISE EXCEPTION 'the demo data is in use: a session has held it for 15 seconds; try the reset again'
				USING ERRCODE = '55P03', HINT = 'reason:demo_busy';
		WHEN OTHERS THEN
			-- the whole reload below, which says why if it cannot either
			RAISE LOG 'hall.demo_reset: putting back only the changed rows failed (%), reloading everything', SQLERRM;
			v_delta := NULL;
	END;
	IF v_delta IS NULL THEN
		v_res := hall.demo_reload();
		PERFORM hall.demo_mark();
		RETURN v_res || jsonb_build_object('how', 'reload');
	END IF;

	SELECT x.info INTO v_info FROM hall_demo_seed._info x;
	SELECT sum(value::bigint) INTO v_total FROM jsonb_each_text(v_delta->'tables');
	PERFORM hall.demo_mark();
	PERFORM hall.notify('hall_queue', '');
	FOR d IN SELECT code FROM hall.departments ORDER BY code LOOP
		PERFORM hall.notify('hall_inquiries', d.code);
		PERFORM hall.notify('hall_ratings', d.code);
	END LOOP;
	PERFORM hall.notify('hall_outbox', '');
	PERFORM hall.notify('hall_training', '');
	PERFORM hall.log('demo_reset', NULL, NULL, NULL, NULL, NULL, NULL, '',
	                 v_info || jsonb_build_object('rows', v_total, 'restored', v_delta->'restored'));
	RETURN v_info || jsonb_build_object('rows', v_total, 'tables', v_delta->'tables', 'restored', v_delta->'restored',
	                                    'how', 'delta', 'kept_at', (SELECT kept_at FROM hall_demo_seed._info));
END $$;
REVOKE ALL ON FUNCTION hall.demo_reset() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.demo_reset() TO hall_trainer;
