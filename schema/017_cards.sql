-- Red and yellow cards (红黄牌), issued by the database on a schedule.
--
-- A card says "this item entered this condition, and this person held it".
-- hall.issue_cards() looks at what is open now and, for each item and rule,
-- issues at most one card ever (UNIQUE (kind, item_id, rule)):
--
--   item                          yellow (1 working day or less left)   red (past its day / a rule broken)
--   case, not yet accepted        case_warning   (accept_due near)      accept_missed   (§32 deadline passed)
--   case, accepted (in review,    case_warning   (due_date near)        case_overdue    (due_date passed)
--     escalated)
--   case, escalated               -                                     escalation_late (escalation_due passed)
--   case, open, with a return     -                                     notice_breach   (a return flagged breach)
--     flagged breach
--   inquiry, open                 inquiry_warning                       inquiry_overdue
--   bad rating's rectification    rectify_due    (callback or           rectify_overdue (callback or
--                                                 rectification near)                    rectification late)
--
-- "Near" and "passed" are the project's own (v_overdue, hall.urgency):
-- warning = deadline >= today and < workday_add(today, warn_days + 1);
-- overdue = deadline < today, both in Asia/Shanghai from hall.now().
-- A returned case has its clock paused (sort_due 'infinity'): no card.
--
-- A card's life:
--
--   (none) --condition holds--> open --condition ended--> cleared (cleared_at set)
--                                 ^                          |
--                                 +---condition holds again--+   (the same card reopens:
--                                                                 never a second card, no
--                                                                 second message)
--
-- "Condition ended": answered, closed, claimed (accept_missed), decided
-- (escalation_late), rectified and called back, deadline moved (extension,
-- calendar), a warning that became overdue (the red card takes over),
-- returned (clock paused).  notice_breach ends when the case closes.
--
-- Responsible person (staff_id): the clerk holding the case (claimed_by),
-- the clerk who made the breaching return, the rated clerk for a
-- rectification.  Nobody holds an unclaimed case, an inquiry or an
-- escalation waiting for the supervisor's decision: staff_id NULL, and the
-- message goes to the department's supervisors (one message, their logins
-- listed).  Each new card queues exactly one internal message in the outbox
-- (recipient 'staff'), in the same statement that issues it.
--
-- Scheduling: pg_cron runs SELECT hall.issue_cards() every minute when the
-- extension is available in this database (see the end of the file and
-- doc/architecture.md); otherwise etc/systemd/hallterm-cards.timer runs
-- `hallctl cards`.
SET LOCAL ROLE hall_admin;

CREATE TABLE hall.cards (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	color           text NOT NULL CHECK (color IN ('yellow', 'red')),
	rule            text NOT NULL CHECK (rule IN ('case_warning', 'inquiry_warning', 'rectify_due',
	                                              'case_overdue', 'inquiry_overdue', 'rectify_overdue',
	                                              'accept_missed', 'notice_breach', 'escalation_late')),
	kind            text NOT NULL CHECK (kind IN ('application', 'inquiry', 'rating')),
	item_id         bigint NOT NULL,        -- applications.id, inquiries.id or ratings.id
	ref             text NOT NULL,          -- case number or inquiry reference (a rating: its case's or inquiry's)
	department_code text NOT NULL REFERENCES hall.departments,
	window_code     text REFERENCES hall.windows,
	staff_id        int REFERENCES hall.staff,     -- who held it when issued; NULL: nobody
	issued_at       timestamptz NOT NULL,
	issued_on       date NOT NULL,          -- Asia/Shanghai day of issued_at
	due_date        date,                   -- the deadline the card is about (NULL: notice_breach)
	cleared_at      timestamptz,            -- when the item left the condition; NULL = open
	UNIQUE (kind, item_id, rule),
	CHECK ((color = 'yellow') = (rule IN ('case_warning', 'inquiry_warning', 'rectify_due')))
);
COMMENT ON TABLE hall.cards IS
	'red and yellow cards (红黄牌): one per item and rule, issued by hall.issue_cards(); open while cleared_at IS NULL';
CREATE INDEX cards_open ON hall.cards (kind, item_id, rule) WHERE cleared_at IS NULL;
CREATE INDEX cards_staff_open ON hall.cards (staff_id) WHERE cleared_at IS NULL;
CREATE INDEX cards_issued_on ON hall.cards (issued_on, staff_id);
-- A department's cards of a month (the scorecard, 018, and its card
-- report): an index-only scan of that department's month, however many
-- cards the hall has issued.
CREATE INDEX cards_department_issued ON hall.cards (department_code, issued_on)
	INCLUDE (color, staff_id, window_code);

-- What issue_cards reads, each a range scan over open items only: the
-- existing per-window and per-department indexes lead with the window or
-- department, which a hall-wide "due before D" cannot use.
CREATE INDEX applications_open_due ON hall.applications (sort_due)
	WHERE state IN ('submitted', 'in_review', 'escalated');
CREATE INDEX applications_escalation_due ON hall.applications (escalation_due)
	WHERE state = 'escalated';
CREATE INDEX inquiries_open_due ON hall.inquiries (due_date) WHERE state = 'open';

-- The words of a card's message.
CREATE FUNCTION hall.card_text(color text, rule text, kind text, ref text, due date) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT format('%s：%s %s %s%s',
		CASE color WHEN 'yellow' THEN '黄牌' ELSE '红牌' END,
		CASE kind WHEN 'application' THEN '办件' WHEN 'inquiry' THEN '咨询' ELSE '差评整改（' END
			|| CASE WHEN kind = 'rating' THEN ref || '）' ELSE '' END,
		CASE WHEN kind = 'rating' THEN '' ELSE ref END,
		CASE rule
			WHEN 'case_warning'    THEN '即将到期'
			WHEN 'inquiry_warning' THEN '答复即将到期'
			WHEN 'rectify_due'     THEN '核实整改或回访即将到期'
			WHEN 'case_overdue'    THEN '已超期'
			WHEN 'inquiry_overdue' THEN '答复已超期'
			WHEN 'rectify_overdue' THEN '整改或回访已超期'
			WHEN 'accept_missed'   THEN '超过受理期限未受理'
			WHEN 'notice_breach'   THEN '违反一次性告知'
			WHEN 'escalation_late' THEN '上报超期未决定'
		END,
		CASE WHEN due IS NULL THEN '' ELSE format('（期限 %s）', to_char(due, 'YYYY-MM-DD')) END)
$$;

-- Issue the cards due now, reopen cleared ones whose condition holds again,
-- clear open ones whose condition ended.  Returns the number of cards
-- issued (hall.issue_cards_run() below gives all three counts).  One
-- statement: the candidates are read through the partial indexes of open
-- items, so a run that changes nothing costs a few index range scans and
-- an anti-join with the open cards.  Runs are serialised by an advisory
-- lock (cron and `hallctl cards` at the same moment issue each card once
-- all the same, through the unique key; the lock keeps the counts honest).
CREATE FUNCTION hall.issue_cards_run(OUT issued int, OUT reopened int, OUT cleared int, OUT messages int)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_now   timestamptz := hall.now();
	v_today date := (v_now AT TIME ZONE 'Asia/Shanghai')::date;
	v_limit date := hall.workday_add((v_now AT TIME ZONE 'Asia/Shanghai')::date,
	                                 coalesce(hall.setting_int('warn_days'), 1) + 1);
	v_depts text[];
	d text;
BEGIN
	PERFORM pg_catalog.pg_advisory_xact_lock(4242000017);
	WITH cand AS MATERIALIZED (
		SELECT 'application'::text AS kind, a.id AS item_id,
		       CASE WHEN a.sort_due >= v_today THEN 'case_warning'
		            WHEN a.accepted_on IS NULL THEN 'accept_missed'
		            ELSE 'case_overdue' END AS rule,
		       a.case_no AS ref, a.department_code, a.window_code, a.claimed_by AS staff_id,
		       a.sort_due AS due_date, a.id AS app_id, NULL::bigint AS inquiry_id
		FROM hall.applications a
		WHERE a.state IN ('submitted', 'in_review', 'escalated') AND a.sort_due < v_limit
		UNION ALL
		SELECT 'application', a.id, 'escalation_late', a.case_no, a.department_code, a.window_code,
		       NULL::int, a.escalation_due, a.id, NULL::bigint
		FROM hall.applications a
		WHERE a.state = 'escalated' AND a.escalation_due < v_today
		UNION ALL
		(SELECT DISTINCT ON (x.app_id) 'application', x.app_id, 'notice_breach', a.case_no, a.department_code,
		        a.window_code, x.staff_id, NULL::date, a.id, NULL::bigint
		 FROM hall.returns x
		 JOIN hall.applications a ON a.id = x.app_id
		 WHERE x.breach AND a.state IN ('submitted', 'in_review', 'returned', 'escalated')
		 ORDER BY x.app_id, x.seq DESC)
		UNION ALL
		SELECT 'inquiry', q.id,
		       CASE WHEN q.due_date >= v_today THEN 'inquiry_warning' ELSE 'inquiry_overdue' END,
		       q.ref, q.department_code, NULL::text, NULL::int, q.due_date, NULL::bigint, q.id
		FROM hall.inquiries q
		WHERE q.state = 'open' AND q.due_date < v_limit
		UNION ALL
		SELECT 'rating', r.id, v.rule, coalesce(a.case_no, q.ref, r.id::text), r.department_code, a.window_code,
		       r.staff_id, v.due, a.id, q.id
		FROM hall.rectifications x
		JOIN hall.ratings r ON r.id = x.rating_id
		LEFT JOIN hall.applications a ON r.kind = 'application' AND a.id = r.target_id
		LEFT JOIN hall.inquiries q ON r.kind = 'inquiry' AND q.id = r.target_id
		CROSS JOIN LATERAL (VALUES
			('rectify_overdue',
			 (x.callback_at IS NULL AND x.callback_due < v_today) OR (x.rectified_at IS NULL AND x.rectify_due < v_today),
			 least(CASE WHEN x.callback_at IS NULL AND x.callback_due < v_today THEN x.callback_due END,
			       CASE WHEN x.rectified_at IS NULL AND x.rectify_due < v_today THEN x.rectify_due END)),
			('rectify_due',
			 (x.callback_at IS NULL AND x.callback_due >= v_today AND x.callback_due < v_limit)
			 OR (x.rectified_at IS NULL AND x.rectify_due >= v_today AND x.rectify_due < v_limit),
			 least(CASE WHEN x.callback_at IS NULL AND x.callback_due >= v_today THEN x.callback_due END,
			       CASE WHEN x.rectified_at IS NULL AND x.rectify_due >= v_today THEN x.rectify_due END))
		) v(rule, hit, due)
		WHERE x.closed_at IS NULL AND v.hit
	), ins AS (
		INSERT INTO hall.cards AS k (color, rule, kind, item_id, ref, department_code, window_code, staff_id,
		                             issued_at, issued_on, due_date)
		SELECT CASE WHEN c.rule IN ('case_warning', 'inquiry_warning', 'rectify_due') THEN 'yellow' ELSE 'red' END,
		       c.rule, c.kind, c.item_id, c.ref, c.department_code, c.window_code, c.staff_id,
		       v_now, v_today, c.due_date
		FROM cand c
		WHERE NOT EXISTS (SELECT 1 FROM hall.cards k2
		                  WHERE k2.kind = c.kind AND k2.item_id = c.item_id AND k2.rule = c.rule)
		ON CONFLICT (kind, item_id, rule) DO NOTHING
		RETURNING k.*
	), reo AS (
		UPDATE hall.cards k SET cleared_at = NULL
		FROM cand c
		WHERE k.kind = c.kind AND k.item_id = c.item_id AND k.rule = c.rule AND k.cleared_at IS NOT NULL
		RETURNING k.department_code
	), clr AS (
		UPDATE hall.cards k SET cleared_at = v_now
		WHERE k.cleared_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM cand c WHERE c.kind = k.kind AND c.item_id = k.item_id AND c.rule = k.rule)
		RETURNING k.department_code
	), msg AS (
		INSERT INTO hall.outbox (created_at, event, recipient, app_id, inquiry_id, payload, not_before)
		SELECT v_now, 'card', 'staff', c.app_id, c.inquiry_id,
		       jsonb_build_object('event', 'card', 'recipient', 'staff',
		                          'login', s.login, 'name', s.name,
		                          'supervisors', CASE WHEN i.staff_id IS NULL THEN sup.logins END,
		                          'color', i.color, 'rule', i.rule, 'kind', i.kind, 'ref', i.ref,
		                          'department', i.department_code, 'window', i.window_code,
		                          'due', i.due_date, 'issued_at', i.issued_at,
		                          'text', hall.card_text(i.color, i.rule, i.kind, i.ref, i.due_date)),
		       v_now
		FROM ins i
		JOIN cand c ON c.kind = i.kind AND c.item_id = i.item_id AND c.rule = i.rule
		LEFT JOIN hall.staff s ON s.id = i.staff_id
		LEFT JOIN LATERAL (
			SELECT jsonb_agg(u.login ORDER BY u.login) AS logins
			FROM hall.staff u
			WHERE u.kind = 'supervisor' AND u.active AND u.department_code = i.department_code
		) sup ON i.staff_id IS NULL
		WHERE s.id IS NOT NULL OR sup.logins IS NOT NULL
		RETURNING 1
	)
	SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM reo), (SELECT count(*) FROM clr),
	       (SELECT count(*) FROM msg),
	       ARRAY(SELECT DISTINCT x.department_code FROM (
	             SELECT department_code FROM ins UNION ALL SELECT department_code FROM reo
	             UNION ALL SELECT department_code FROM clr) x)
	INTO issued, reopened, cleared, messages, v_depts;
	-- The screens re-read their cards: the department code only.
	FOREACH d IN ARRAY v_depts LOOP
		PERFORM hall.notify('hall_cards', d);
	END LOOP;
	IF messages > 0 THEN
		PERFORM hall.notify('hall_outbox', '');   -- no trigger on the outbox wakes the dispatchers (008)
	END IF;
END $$;

-- What the scheduler calls: the number of cards issued.
CREATE FUNCTION hall.issue_cards() RETURNS int
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ SELECT (hall.issue_cards_run()).issued $$;

-- Only the owner (hall_admin and its members), the cron job (a superuser)
-- and hall_cards issue cards; no staff or portal role may.  hall_cards is
-- for the systemd timer's login (etc/systemd/hallterm-cards.service):
--   CREATE ROLE cards LOGIN PASSWORD '...' IN ROLE hall_cards;
-- it may call these two functions and nothing else.
REVOKE ALL ON FUNCTION hall.issue_cards(), hall.issue_cards_run() FROM PUBLIC;
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'hall_cards') THEN
		CREATE ROLE hall_cards NOLOGIN;
	END IF;
END $$;
GRANT USAGE ON SCHEMA hall TO hall_cards;
GRANT EXECUTE ON FUNCTION hall.issue_cards(), hall.issue_cards_run() TO hall_cards;

-- ------------------------------------------------------------------ reading

ALTER TABLE hall.cards ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON hall.cards FOR SELECT TO hall_clerk
	USING (staff_id = (SELECT hall.my_id()));
CREATE POLICY department ON hall.cards FOR SELECT TO hall_supervisor
	USING (department_code = (SELECT hall.my_department()) OR staff_id = (SELECT hall.my_id()));
CREATE POLICY trainer_all ON hall.cards FOR SELECT TO hall_trainer USING (true);
CREATE POLICY director_all ON hall.cards FOR SELECT TO hall_director USING (true);
GRANT SELECT ON hall.cards TO hall_clerk, hall_supervisor, hall_trainer, hall_director;

-- Every card the reader may see, with the holder's name.
CREATE VIEW hall.v_cards WITH (security_invoker = true) AS
SELECT k.id, k.color, k.rule, k.kind, k.item_id, k.ref, k.department_code, k.window_code,
       k.staff_id, s.login AS staff_login, s.name AS staff_name,
       k.issued_at, k.issued_on, k.due_date, k.cleared_at, k.cleared_at IS NULL AS open
FROM hall.cards k
LEFT JOIN hall.staff s ON s.id = k.staff_id;

-- The caller's open cards (the clerk's queue header): red first, then by
-- deadline.
CREATE VIEW hall.v_my_cards WITH (security_invoker = true) AS
SELECT k.id, k.color, k.rule, k.kind, k.item_id, k.ref, k.department_code, k.window_code,
       k.issued_at, k.due_date, hall.days_left(k.due_date, t.today) AS days_left
FROM hall.cards k
CROSS JOIN (SELECT hall.today() AS today OFFSET 0) t
WHERE k.staff_id = (SELECT hall.my_id()) AND k.cleared_at IS NULL
ORDER BY k.color = 'yellow', k.due_date NULLS FIRST, k.id;

-- Per holder: cards issued from from_day to to_day (issued_on), and those
-- open now whenever issued.  A clerk gets their own row; a supervisor
-- their department; the trainer, director and administrators the hall
-- (SET hall.scope_department narrows it, as for the timeliness figures).
-- Cards held by nobody come as one row per department with staff_id NULL.
CREATE FUNCTION hall.card_counts(from_day date, to_day date)
RETURNS TABLE (staff_id int, login text, name text, department_code text,
               yellow bigint, red bigint, open_yellow bigint, open_red bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_dept text;
BEGIN
	PERFORM hall.timeliness_period(from_day, to_day);
	IF EXISTS (SELECT 1 FROM hall.staff s WHERE s.login = session_user AND s.kind = 'clerk' AND s.active) THEN
		v_dept := NULL;                       -- row-level security: their own cards
	ELSE
		v_dept := hall.timeliness_scope();    -- refuses anybody else
	END IF;
	RETURN QUERY
	SELECT k.staff_id, s.login::text, s.name, coalesce(s.department_code, k.department_code),
	       count(*) FILTER (WHERE k.color = 'yellow' AND k.issued_on BETWEEN from_day AND to_day),
	       count(*) FILTER (WHERE k.color = 'red' AND k.issued_on BETWEEN from_day AND to_day),
	       count(*) FILTER (WHERE k.color = 'yellow' AND k.cleared_at IS NULL),
	       count(*) FILTER (WHERE k.color = 'red' AND k.cleared_at IS NULL)
	FROM hall.cards k
	LEFT JOIN hall.staff s ON s.id = k.staff_id
	WHERE (v_dept IS NULL OR k.department_code = v_dept)
	  AND (k.issued_on BETWEEN from_day AND to_day OR k.cleared_at IS NULL)
	GROUP BY k.staff_id, s.login, s.name, coalesce(s.department_code, k.department_code)
	ORDER BY 4, 2 NULLS FIRST;
END $$;

GRANT SELECT ON hall.v_cards, hall.v_my_cards TO hall_clerk, hall_supervisor, hall_trainer, hall_director;
GRANT SELECT ON hall.staff TO hall_director;
GRANT EXECUTE ON FUNCTION hall.card_counts(date, date) TO hall_clerk, hall_supervisor, hall_trainer, hall_director;
-- card_counts runs with the reader's rights: a clerk needs the period check too.
GRANT EXECUTE ON FUNCTION hall.timeliness_period(date, date) TO hall_clerk;
GRANT EXECUTE ON FUNCTION hall.days_left(date, date), hall.today() TO hall_director;

-- ------------------------------------------------------------------ schedule
--
-- pg_cron (Debian: postgresql-15-cron) runs the job inside the server, with
-- nobody logged in.  It can be created only by a superuser, only when the
-- server preloads it (shared_preload_libraries) and only in the one
-- database named by cron.database_name.  Anywhere else the migration
-- leaves a NOTICE and the administrator installs etc/hallterm-cards.timer
-- (`hallctl cards` every minute, etc/systemd/) instead.  The job runs as the migrating
-- superuser: pg_cron must log in as the job's user, and hall_admin cannot
-- log in; hall.issue_cards() is SECURITY DEFINER, so its work is done as
-- hall_admin all the same.  Re-running the migration replaces the job
-- (cron.schedule by name).
--
-- Every job of the hall is a minute's: this schedules one, and the
-- migrations of 020 and 023 call it for theirs.  It returns whether the
-- job is scheduled; when it cannot be, it says why and what to run instead
-- (p_otherwise, a format with one %s for the reason) in a NOTICE.  A
-- function, not a role's right: it works only for a superuser that runs a
-- migration, as pg_cron needs.  No SET clause: with one, PostgreSQL would
-- undo its SET LOCAL ROLE on return, and the rest of the migration would
-- create its objects as the superuser instead of hall_admin.
CREATE FUNCTION hall.schedule_minutely(p_job text, p_command text, p_otherwise text) RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
	v_why text;
BEGIN
	IF NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false) THEN
		v_why := 'the migration does not run as a superuser';
	ELSE
		RESET ROLE;
		IF NOT (current_setting('shared_preload_libraries') ~ '(^|[\s,"])pg_cron($|[\s,"])') THEN
			v_why := 'pg_cron is not in shared_preload_libraries';
		ELSIF current_setting('cron.database_name', true) IS DISTINCT FROM current_database() THEN
			v_why := format('cron.database_name is %s, not this database (%s)',
			                coalesce(current_setting('cron.database_name', true), 'unset'), current_database());
		ELSE
			CREATE EXTENSION IF NOT EXISTS pg_cron;
			EXECUTE 'SELECT cron.schedule($1, $2, $3)' USING p_job, '* * * * *', p_command;
		END IF;
		SET LOCAL ROLE hall_admin;
	END IF;
	IF v_why IS NOT NULL THEN
		RAISE NOTICE '%', format(p_otherwise, v_why);
	END IF;
	RETURN v_why IS NULL;
END $$;
REVOKE ALL ON FUNCTION hall.schedule_minutely(text, text, text) FROM PUBLIC;
DO $$ BEGIN PERFORM hall.schedule_minutely('hall_cards', 'SELECT hall.issue_cards()',
	'red and yellow cards are not scheduled in this database: %s; run `hallctl cards` every minute (etc/systemd/hallterm-cards.timer)'); END $$;
