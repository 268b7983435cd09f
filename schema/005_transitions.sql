-- The case lifecycle: deadlines, transitions, notifications, and the views
-- the terminal reads cases through.
--
--   submitted --claim--> in_review --approve--> completed
--       ^                  |  |  \--reject---> rejected
--       |                  |  \--escalate--> escalated --decide--> completed | rejected | in_review
--       |                  \--return--> returned (clock paused)
--       \-------resubmit-------------------/
--   (withdraw from submitted, in_review and returned)
--
-- The front desk (020) creates cases in in_review (受理 at the window),
-- returned (材料不全, before acceptance) and rejected (不予受理), and ends
-- open or completed ones as terminated (终止: 容缺 not supplied in time, a
-- 告知承诺 found false).  Closed states: completed, rejected, withdrawn,
-- terminated.
--
-- Every transition is one function: it locks the case row, checks the
-- caller's rights and the state it starts from (a stale screen or a race
-- loses cleanly), writes exactly one audit row, tells the screens
-- (NOTIFY hall_queue) and queues the applicant's notification in the outbox.
--
-- NOTIFY payloads say nothing a listener could not read anyway: any session
-- may LISTEN to any channel.  hall_queue carries only the window code of the
-- case that changed ('' = every window), hall_inquiries and hall_ratings only
-- a department code, hall_outbox nothing; a screen re-reads through
-- row-level security what it may see (doc/security.md).
--
-- Every NOTIFY goes through hall.notify().  PostgreSQL serialises the
-- commits of transactions that NOTIFY (a database-wide lock held from
-- before the commit record to after its fsync), so transitions that
-- notified in their own transaction ran one commit at a time however many
-- windows worked (doc/performance.md, P1).  A session that sets
-- hall.notify = 'deferred' (the terminal does, at login) keeps the
-- channels in a session setting instead, which a rollback undoes with the
-- transition; hall.flush_notify() then sends them in a transaction of its
-- own that writes nothing, so the lock is held for microseconds and no
-- fsync waits behind it.  A session that never flushes (it crashed) only
-- costs the other screens one live update: NOTIFY is a hint to re-read,
-- never the data.  Sessions that do not ask (portals, hallctl, pg_cron)
-- notify at commit as before.
SET LOCAL ROLE hall_admin;

-- Which materials the applicant resubmitted in answer to each return: a
-- later return may name only those without breaking the one-time notice.
ALTER TABLE hall.returns ADD COLUMN resubmitted_ids int[];

-- ------------------------------------------------------------------ helpers
--
-- The small functions a transition calls many times (the clock, the
-- settings, who am I, the audit row, the texts) are PL/pgSQL, not SQL:
-- a LANGUAGE sql function that cannot be inlined (every SECURITY DEFINER
-- one, every one with SET search_path) is parsed and planned again at each
-- call, which was over a third of a claim-and-approve cycle's CPU
-- (doc/performance.md, P1); PL/pgSQL keeps its plans for the session.

-- Tell the screens: NOTIFY now, or keep it for hall.flush_notify() when the
-- session asked for deferred notifications (see above).  Repeats within a
-- transaction are kept once, as PostgreSQL folds them.
CREATE FUNCTION hall.notify(p_channel text, p_payload text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	entry text := p_channel || ':' || coalesce(p_payload, '') || E'\n';
	pending text;
BEGIN
	IF coalesce(current_setting('hall.notify', true), '') <> 'deferred' THEN
		PERFORM pg_notify(p_channel, coalesce(p_payload, ''));
		RETURN;
	END IF;
	pending := coalesce(current_setting('hall.notify_pending', true), '');
	IF strpos(E'\n' || pending, E'\n' || entry) = 0 THEN
		-- Not local: it must outlive the transition's commit; a rollback
		-- (or a failed subtransaction) undoes it like the transition.
		PERFORM set_config('hall.notify_pending', pending || entry, false);
	END IF;
END $$;
COMMENT ON FUNCTION hall.notify(text, text) IS
	'NOTIFY channel with payload now, or at hall.flush_notify() when the session set hall.notify = deferred';

-- Send what the session's committed transitions kept (hall.notify
-- deferred), in this statement's own transaction, which writes nothing;
-- returns how many.  Call it outside an explicit transaction, after the
-- transition's commit.  Only hall_* channels are sent: the setting is the
-- session's own, but it is no way to speak on anyone else's channel.
CREATE FUNCTION hall.flush_notify() RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	pending text := coalesce(current_setting('hall.notify_pending', true), '');
	entry text;
	n integer := 0;
BEGIN
	IF pending = '' THEN
		RETURN 0;
	END IF;
	PERFORM set_config('hall.notify_pending', '', false);
	FOREACH entry IN ARRAY string_to_array(rtrim(pending, E'\n'), E'\n') LOOP
		CONTINUE WHEN entry !~ '^hall_[a-z_]+:';
		PERFORM pg_notify(split_part(entry, ':', 1), substr(entry, strpos(entry, ':') + 1));
		n := n + 1;
	END LOOP;
	RETURN n;
END $$;
COMMENT ON FUNCTION hall.flush_notify() IS
	'send the notifications kept by hall.notify in deferred mode; call after the transition committed';

-- Citizens' text is untrusted: no control characters, no bidi overrides.
CREATE FUNCTION hall.clean_line(s text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$ BEGIN RETURN btrim(regexp_replace(coalesce(s, ''), '[\u0001-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]', ' ', 'g')); END $$;

CREATE FUNCTION hall.clean_text(s text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$ BEGIN RETURN btrim(regexp_replace(replace(replace(coalesce(s, ''), E'\r\n', E'\n'), E'\t', ' '),
	                            '[\u0001-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]', ' ', 'g'),
	             E' \n'); END $$;

-- English state names for messages: 'in_review' -> 'in review'.
CREATE FUNCTION hall.state_word(s text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$ BEGIN RETURN replace(s, '_', ' '); END $$;

-- One audit row, written by every transition, at p_at: the moment the
-- transition read from hall.now() when it has one (a case's transition
-- stamps the case and its audit row alike, and asks the clock once), else
-- now.  Internal: no staff role may call it.
CREATE FUNCTION hall.log(p_action text, p_app bigint, p_inquiry bigint, p_rating bigint, p_applicant bigint,
                         p_from text, p_to text, p_note text, p_details jsonb, p_at timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_id bigint;
BEGIN
	INSERT INTO hall.audit (at, actor, staff_id, action, app_id, inquiry_id, rating_id, applicant_id,
	                        from_state, to_state, note, details)
	VALUES (coalesce(p_at, hall.now()), session_user, hall.actor_id(), p_action, p_app, p_inquiry, p_rating, p_applicant,
	        p_from, p_to, coalesce(p_note, ''), p_details)
	RETURNING id INTO v_id;
	RETURN v_id;
END $$;

-- When a message to the applicant may go out: SMS wait for the end of the
-- quiet hours (Asia/Shanghai; the window may wrap midnight).  Messages to
-- the 12345 hotline system are never held.
CREATE FUNCTION hall.release_time(recipient text, t timestamptz) RETURNS timestamptz
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	qs time;
	qe time;
	lt timestamp := t AT TIME ZONE 'Asia/Shanghai';
	tm time := lt::time;
	quiet boolean;
BEGIN
	IF recipient <> 'applicant' THEN
		RETURN t;
	END IF;
	-- both in one read: every approval asks
	SELECT max(value) FILTER (WHERE key = 'quiet_start'), max(value) FILTER (WHERE key = 'quiet_end')
	INTO qs, qe
	FROM hall.settings WHERE key IN ('quiet_start', 'quiet_end');
	IF qs IS NULL OR qe IS NULL OR qs = qe THEN
		RETURN t;
	END IF;
	quiet := CASE WHEN qs < qe THEN tm >= qs AND tm < qe ELSE tm >= qs OR tm < qe END;
	IF NOT quiet THEN
		RETURN t;
	ELSIF tm < qe THEN
		RETURN (lt::date + qe) AT TIME ZONE 'Asia/Shanghai';
	ELSE
		RETURN (lt::date + 1 + qe) AT TIME ZONE 'Asia/Shanghai';
	END IF;
END $$;

-- Queue one notification in the caller's transaction, created at p_at
-- (the transition's moment, when it has one) or now.  (The applicant's
-- messages about a case are written by hall.notify_applicant, the same
-- row.)
CREATE FUNCTION hall.enqueue(event text, recipient text, app bigint, inquiry bigint, payload jsonb,
                             p_at timestamptz DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	t timestamptz := coalesce(p_at, hall.now());
	oid_ bigint;
BEGIN
	INSERT INTO hall.outbox (created_at, event, recipient, app_id, inquiry_id, payload, not_before)
	VALUES (t, enqueue.event, enqueue.recipient, enqueue.app, enqueue.inquiry, enqueue.payload,
	        hall.release_time(enqueue.recipient, t))
	RETURNING id INTO oid_;
	PERFORM hall.notify('hall_outbox', '');
	RETURN oid_;
END $$;

-- ---------------------------------------------------------------- deadlines

-- The one place a case's dates are derived (domain.md, "Deadline"):
--   accept_due     = workday_add(received_on, accept_days)
--   due_date       = workday_add(clock_start, promised + extension + paused days)
--   escalation_due = workday_add(day of escalated_at, escalation_days), while escalated
--   sort_due       = accept_due before acceptance, due_date once accepted,
--                    'infinity' while returned and once closed
-- Days returned before acceptance (accept_paused, a case received at the
-- window as 材料不全) move accept_due too, and count in due_date only when
-- the clock starts at receipt (accepted late): when it starts at
-- acceptance they were before it (hall.clock_paused_days).
CREATE FUNCTION hall.clock_paused_days(clock_start date, received_on date, paused_days int, accept_paused int)
RETURNS int
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN paused_days - CASE WHEN clock_start > received_on THEN coalesce(accept_paused, 0) ELSE 0 END; END $$;

CREATE FUNCTION hall.sort_due(state text, accepted_on date, accept_due date, due_date date) RETURNS date
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	RETURN CASE
		WHEN state IN ('returned', 'completed', 'rejected', 'withdrawn', 'terminated') THEN 'infinity'::date
		WHEN accepted_on IS NULL THEN accept_due
		ELSE due_date
	END;
END $$;

CREATE FUNCTION hall.compute_due(app hall.applications) RETURNS hall.applications
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications := app;
BEGIN
	r.accept_due := hall.workday_add(r.received_on, hall.setting_int('accept_days') + coalesce(r.accept_paused, 0));
	IF r.clock_start IS NULL THEN
		r.due_date := NULL;
	ELSE
		r.due_date := hall.workday_add(r.clock_start, r.promised_days + r.extension_days
			+ hall.clock_paused_days(r.clock_start, r.received_on, r.paused_days, r.accept_paused));
	END IF;
	IF r.state = 'escalated' AND r.escalated_at IS NOT NULL THEN
		r.escalation_due := hall.workday_add((r.escalated_at AT TIME ZONE 'Asia/Shanghai')::date,
		                                     hall.setting_int('escalation_days'));
	END IF;
	r.sort_due := hall.sort_due(r.state, r.accepted_on, r.accept_due, r.due_date);
	RETURN r;
END $$;

-- A transition from prev to app: the dates are derived again only when
-- what they are derived from changed (a claim starts the clock, a return
-- pauses it, an extension moves it); otherwise (an approval, a release)
-- they stay as stored and only the queue's order follows the state.  A
-- change of the calendar recomputes every open case at once
-- (hall.recompute_open_dues); a changed accept_days or escalation_days
-- applies to a case when those inputs next change, not at whatever step
-- comes next.  An approval recomputed two deadlines it then kept: four
-- lookups of the working-day table and the settings, a tenth of its time
-- in the server (doc/performance.md, P1).
CREATE FUNCTION hall.compute_due(app hall.applications, prev hall.applications) RETURNS hall.applications
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications := app;
BEGIN
	IF (app.received_on, app.accept_paused, app.accepted_on, app.clock_start, app.promised_days, app.extension_days,
	    app.paused_days, app.state = 'escalated', app.escalated_at)
	   IS DISTINCT FROM
	   (prev.received_on, prev.accept_paused, prev.accepted_on, prev.clock_start, prev.promised_days, prev.extension_days,
	    prev.paused_days, prev.state = 'escalated', prev.escalated_at) THEN
		RETURN hall.compute_due(app);
	END IF;
	r.accept_due := prev.accept_due;
	r.due_date := prev.due_date;
	IF r.state = 'escalated' AND r.escalated_at IS NOT NULL THEN
		r.escalation_due := prev.escalation_due;
	END IF;
	r.sort_due := hall.sort_due(r.state, r.accepted_on, r.accept_due, r.due_date);
	RETURN r;
END $$;

-- Recompute every open deadline (after a calendar change).  Returns the
-- number of rows whose dates moved.
CREATE FUNCTION hall.recompute_open_dues() RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	n int;
	total int := 0;
BEGIN
	WITH c AS (
		SELECT a.id, x.accept_due, x.due_date, x.escalation_due, x.sort_due
		FROM hall.applications a, LATERAL hall.compute_due(a) x
		WHERE a.state IN ('submitted', 'in_review', 'returned', 'escalated')
	)
	UPDATE hall.applications a
	SET accept_due = c.accept_due, due_date = c.due_date, escalation_due = c.escalation_due, sort_due = c.sort_due
	FROM c
	WHERE a.id = c.id
	  AND (a.accept_due, a.due_date, a.escalation_due, a.sort_due)
	      IS DISTINCT FROM (c.accept_due, c.due_date, c.escalation_due, c.sort_due);
	GET DIAGNOSTICS n = ROW_COUNT;
	total := total + n;

	UPDATE hall.inquiries i
	SET due_date = hall.workday_add(i.received_on, i.due_days)
	WHERE i.state = 'open' AND i.due_date IS DISTINCT FROM hall.workday_add(i.received_on, i.due_days);
	GET DIAGNOSTICS n = ROW_COUNT;
	total := total + n;

	UPDATE hall.rectifications r
	SET callback_due = CASE WHEN r.callback_at IS NULL
	                        THEN hall.workday_add((r.opened_at AT TIME ZONE 'Asia/Shanghai')::date,
	                                              hall.setting_int('callback_days'))
	                        ELSE r.callback_due END,
	    rectify_due = CASE WHEN r.rectified_at IS NULL
	                       THEN hall.workday_add((r.opened_at AT TIME ZONE 'Asia/Shanghai')::date,
	                                             hall.setting_int('rectify_days'))
	                       ELSE r.rectify_due END
	WHERE r.closed_at IS NULL
	  AND (r.callback_at IS NULL AND r.callback_due IS DISTINCT FROM
	           hall.workday_add((r.opened_at AT TIME ZONE 'Asia/Shanghai')::date, hall.setting_int('callback_days'))
	       OR r.rectified_at IS NULL AND r.rectify_due IS DISTINCT FROM
	           hall.workday_add((r.opened_at AT TIME ZONE 'Asia/Shanghai')::date, hall.setting_int('rectify_days')));
	GET DIAGNOSTICS n = ROW_COUNT;
	total := total + n;

	IF total > 0 THEN
		PERFORM hall.notify('hall_queue', '');   -- every window: re-read
	END IF;
	RETURN total;
END $$;

-- Any change to the calendar rebuilds the day table and moves the open
-- deadlines, whoever makes it (hall.calendar_set or a bulk load).
CREATE FUNCTION hall.calendar_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	PERFORM hall.rebuild_days();
	PERFORM hall.recompute_open_dues();
	RETURN NULL;
END $$;

CREATE TRIGGER calendar_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hall.calendar
	FOR EACH STATEMENT EXECUTE FUNCTION hall.calendar_changed();

-- ------------------------------------------------------- transition plumbing

-- A refusal must not confirm what the caller may not see: a case, inquiry,
-- rating or notification that does not exist and one of another window or
-- department give the same SQLSTATE and the same words, naming only the id
-- the caller passed (doc/security.md).
CREATE FUNCTION hall.not_found(p_kind text, p_id bigint) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION 'no % #% that you may act on', p_kind, p_id
		USING ERRCODE = 'P0002', HINT = 'reason:not_found:' || p_kind;
END $$;

CREATE FUNCTION hall.app_lock(p_app bigint) RETURNS hall.applications
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications;
BEGIN
	IF p_app IS NULL THEN
		RAISE EXCEPTION 'no case given' USING ERRCODE = '22023', HINT = 'reason:case_missing';
	END IF;
	SELECT * INTO r FROM hall.applications WHERE id = p_app FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM hall.not_found('case', p_app);
	END IF;
	RETURN r;
END $$;

CREATE FUNCTION hall.require_state(r hall.applications, p_states text[]) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF NOT r.state = ANY (p_states) THEN
		RAISE EXCEPTION 'case % is %, not %: it may have changed since your screen was drawn',
			r.case_no, hall.state_word(r.state),
			array_to_string(ARRAY(SELECT hall.state_word(s) FROM unnest(p_states) s), ' or ')
			USING ERRCODE = '55000', HINT = 'reason:stale_state';
	END IF;
END $$;

-- Lock a case for a clerk's action: the caller serves the case's window,
-- the case is in one of the states, and (unless p_claim is false) the caller
-- holds the claim.
CREATE FUNCTION hall.clerk_case(p_app bigint, p_states text[], p_claim boolean DEFAULT true)
RETURNS hall.applications
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications;
	v_me int;
	v_mine boolean;
BEGIN
	-- Every clerk's step on a case starts here, so the usual answer takes
	-- two statements (the case locked; the caller and their window) and
	-- no other call; the refusals are app_lock's, me's and require_state's
	-- own, in the same order as before (doc/performance.md, P1).
	SELECT * INTO r FROM hall.applications WHERE id = p_app FOR UPDATE;
	IF NOT FOUND THEN
		r := hall.app_lock(p_app);
	END IF;
	SELECT s.id, EXISTS (SELECT 1 FROM hall.staff_windows w WHERE w.staff_id = s.id AND w.window_code = r.window_code)
	INTO v_me, v_mine
	FROM hall.staff s WHERE s.login = session_user AND s.active;
	IF v_me IS NULL THEN
		PERFORM hall.me();
	END IF;
	IF NOT v_mine THEN
		PERFORM hall.not_found('case', p_app);
	END IF;
	IF NOT r.state = ANY (p_states) THEN
		PERFORM hall.require_state(r, p_states);
	END IF;
	IF p_claim AND r.claimed_by IS DISTINCT FROM v_me THEN
		RAISE EXCEPTION 'case % is claimed by %, not by you', r.case_no,
			coalesce((SELECT name || ' (' || login || ')' FROM hall.staff WHERE id = r.claimed_by), 'nobody')
			USING ERRCODE = '42501', HINT = 'reason:claimed_by_other';
	END IF;
	RETURN r;
END $$;

-- The caller is a supervisor of the department of the p_kind #p_id.
CREATE FUNCTION hall.require_supervisor(p_department text, p_kind text, p_id bigint) RETURNS hall.staff
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
BEGIN
	IF me.kind <> 'supervisor' THEN
		RAISE EXCEPTION 'only a supervisor may decide this'
			USING ERRCODE = '42501', HINT = 'reason:supervisor_only';
	END IF;
	IF me.department_code IS DISTINCT FROM p_department THEN
		PERFORM hall.not_found(p_kind, p_id);
	END IF;
	RETURN me;
END $$;

-- Every text a person types, with its limits in characters after cleaning
-- (control characters become spaces, then the ends are trimmed): a required
-- text must keep at least min_chars characters and one visible character
-- (a reason of tabs, bells or zero-width spaces is no reason); no text may
-- exceed max_chars (the audit log keeps it forever).  doc/sql-interface.md
-- lists them; the terminal reads them to size its dialogs.  Refusals are
-- 22023 with HINT 'reason:text_empty|text_short|text_long:<field>'.
CREATE TABLE hall.text_fields (
	field     text PRIMARY KEY,
	what      text NOT NULL,          -- as English messages name it
	multiline boolean NOT NULL,       -- newlines kept (clean_text) or not (clean_line)
	min_chars int NOT NULL CHECK (min_chars >= 0),
	max_chars int NOT NULL CHECK (max_chars >= min_chars AND max_chars <= 10000)
);
INSERT INTO hall.text_fields (field, what, multiline, min_chars, max_chars) VALUES
	('approve_note',       'an approval note',                       true,  0, 1000),
	('return_defects',     'the defects of a return',                true,  0, 2000),
	('breach_reason',      'the reason for breaking the one-time notice', true, 2, 500),
	('escalation_reason',  'an escalation reason',                   true,  2, 1000),
	('decision_note',      'a decision note',                        true,  0, 1000),
	('rejection_reason',   'the legal reason of a rejection',        true,  5, 1000),
	('extension_reason',   'an extension reason',                    true,  2, 500),
	('extension_note',     'a note on an extension decision',        true,  0, 500),
	('reveal_reason',      'a reason for revealing an ID number',    false, 2, 200),
	('applicant_name',     'the applicant''s name',                  false, 1, 100),
	('applicant_id',       'the applicant''s ID number',             false, 1, 30),
	('applicant_phone',    'the applicant''s phone number',          false, 0, 30),
	('inquiry_subject',    'a subject',                              false, 1, 100),
	('inquiry_body',       'the question',                           true,  2, 4000),
	('asker_name',         'the asker''s name',                      false, 0, 50),
	('asker_phone',        'the asker''s phone number',              false, 0, 30),
	('reply_body',         'the reply',                              true,  2, 4000),
	('transfer_note',      'a transfer note',                        true,  2, 500),
	('rating_comment',     'a rating comment',                       true,  0, 1000),
	('rectify_note',       'a note on the step',                     true,  2, 1000),
	('appeal_reason',      'an appeal reason',                       true,  2, 1000),
	('appeal_note',        'a note on an appeal ruling',             true,  0, 1000),
	('requeue_note',       'a note on sending again',                true,  0, 500),
	('staff_name',         'a staff member''s name',                 false, 1, 50),
	('calendar_note',      'a calendar note',                        false, 0, 100),
	('calendar_source',    'the source of the calendar (the notice number)', false, 2, 200);
GRANT SELECT ON hall.text_fields TO hall_clerk, hall_supervisor, hall_trainer, hall_portal;

-- The cleaned text of field, or 22023 if it breaks the field's limits.
-- Required texts go through require_text, optional ones through
-- optional_text: one place checks what every function takes.
CREATE FUNCTION hall.checked_text(v text, p_field text, p_required boolean) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	f hall.text_fields;
	c text;
	n int;
BEGIN
	SELECT * INTO f FROM hall.text_fields x WHERE x.field = p_field;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no text field %', p_field USING ERRCODE = '22023', HINT = 'reason:text_field_unknown';
	END IF;
	-- Measure the raw text first: cleaning a megabyte is work already.
	IF length(v) > f.max_chars * 2 + 100 THEN
		RAISE EXCEPTION '% may have at most % characters (got %)', f.what, f.max_chars, length(v)
			USING ERRCODE = '22023', HINT = 'reason:text_long:' || f.field || ':' || f.max_chars;
	END IF;
	c := CASE WHEN f.multiline THEN hall.clean_text(v) ELSE hall.clean_line(v) END;
	n := length(c);
	IF n > f.max_chars THEN
		RAISE EXCEPTION '% may have at most % characters (got %)', f.what, f.max_chars, n
			USING ERRCODE = '22023', HINT = 'reason:text_long:' || f.field || ':' || f.max_chars;
	END IF;
	IF NOT p_required THEN
		RETURN c;
	END IF;
	-- Visible: something other than spaces and the zero-width and
	-- invisible formatting characters that cleaning leaves in.
	IF c !~ '[^[:space:]\u00ad\u034f\u115f\u1160\u180e\u200b-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufeff]' THEN
		RAISE EXCEPTION '% is required', f.what USING ERRCODE = '22023', HINT = 'reason:text_empty:' || f.field;
	END IF;
	IF n < f.min_chars THEN
		RAISE EXCEPTION '% needs at least % characters (got %)', f.what, f.min_chars, n
			USING ERRCODE = '22023', HINT = 'reason:text_short:' || f.field || ':' || f.min_chars;
	END IF;
	RETURN c;
END $$;

CREATE FUNCTION hall.require_text(v text, field text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN hall.checked_text(v, field, true); END $$;

-- (An empty optional text, the usual approval note, is '' without a look
-- at the field's limits.)
CREATE FUNCTION hall.optional_text(v text, field text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN CASE WHEN coalesce(v, '') = '' THEN '' ELSE hall.checked_text(v, field, false) END; END $$;

-- Write the new state of a case: recompute its dates, one audit row, tell
-- the screens.  Returns the row as stored.  p_at: the time the caller's
-- decision was made (hall.now() it read once, every stamp of the
-- transition the same), else now.
CREATE FUNCTION hall.app_commit(o hall.applications, n hall.applications, p_action text, p_note text,
                                p_details jsonb, p_at timestamptz DEFAULT NULL) RETURNS hall.applications
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications := hall.compute_due(n, o);
BEGIN
	r.updated_at := coalesce(p_at, hall.now());
	-- The case and its audit row (hall.log's row) in one statement: every
	-- statement a transition runs costs it an executor start and a set of
	-- relation locks, and at commit their release (doc/performance.md, P1).
	WITH u AS (
		UPDATE hall.applications SET
			state = r.state, accepted_on = r.accepted_on, clock_start = r.clock_start,
			extension_days = r.extension_days, paused_days = r.paused_days, accept_paused = r.accept_paused,
			returned_on = r.returned_on,
			accept_due = r.accept_due, due_date = r.due_date, sort_due = r.sort_due,
			claimed_by = r.claimed_by, claimed_at = r.claimed_at, escalated_at = r.escalated_at,
			escalation_reason = r.escalation_reason, escalation_due = r.escalation_due,
			return_count = r.return_count, closed_at = r.closed_at, closed_by = r.closed_by,
			decision_note = r.decision_note, updated_at = r.updated_at
		WHERE id = r.id
		RETURNING id
	)
	INSERT INTO hall.audit (at, actor, staff_id, action, app_id, from_state, to_state, note, details)
	SELECT r.updated_at, session_user, (SELECT s.id FROM hall.staff s WHERE s.login = session_user),   -- hall.actor_id()
	       p_action, u.id, o.state, r.state, coalesce(p_note, ''), p_details
	FROM u;
	PERFORM hall.notify('hall_queue', r.window_code);
	RETURN r;
END $$;

-- A message to the applicant of a case, created at p_at (or now).
-- hall.enqueue's row, written here in one statement with the case's item
-- and applicant: every approval sends one, and the call through enqueue
-- cost it a statement and two function calls (doc/performance.md, P1).
CREATE FUNCTION hall.notify_applicant(r hall.applications, p_event text, p_text text, p_extra jsonb DEFAULT '{}',
                                      p_at timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	t timestamptz := coalesce(p_at, hall.now());
	v_id bigint;
BEGIN
	INSERT INTO hall.outbox (created_at, event, recipient, app_id, inquiry_id, payload, not_before)
	SELECT t, p_event, 'applicant', r.id, NULL,
	       jsonb_build_object('event', p_event, 'case_no', r.case_no, 'item', i.name,
	                          'name', p.name, 'phone', p.phone, 'text', p_text) || coalesce(p_extra, '{}'),
	       hall.release_time('applicant', t)
	FROM hall.items i, hall.applicants p
	WHERE i.id = r.item_id AND p.id = r.applicant_id
	RETURNING id INTO v_id;
	IF v_id IS NOT NULL THEN
		PERFORM hall.notify('hall_outbox', '');
	END IF;
	RETURN v_id;
END $$;

CREATE FUNCTION hall.item_name(p_item int) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN (SELECT name FROM hall.items WHERE id = p_item); END $$;

-- Material ids that are not on the item's list (for 22023).
CREATE FUNCTION hall.check_materials(r hall.applications, p_ids int[]) RETURNS int[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	bad int[];
	ids int[] := ARRAY(SELECT DISTINCT x FROM unnest(coalesce(p_ids, '{}')) x ORDER BY x);
BEGIN
	IF array_position(ids, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'case %: a material id is empty', r.case_no
			USING ERRCODE = '22023', HINT = 'reason:material_invalid';
	END IF;
	bad := ARRAY(SELECT x FROM unnest(ids) x
	             WHERE NOT EXISTS (SELECT 1 FROM hall.materials m WHERE m.id = x AND m.item_id = r.item_id)
	             ORDER BY x);
	IF cardinality(bad) > 0 THEN
		RAISE EXCEPTION 'case %: material(s) % are not on the list of item %', r.case_no,
			array_to_string(bad, ', '), hall.item_name(r.item_id)
			USING ERRCODE = '22023', HINT = 'reason:material_invalid';
	END IF;
	RETURN ids;
END $$;

-- The one-time notice (一次性告知) of a return: every material and defect
-- numbered, by when and where to bring them (the window, the hall's address
-- and phone from hall.settings; the date resubmit_days working days on),
-- and that the clock is paused.  The return and its preview
-- (hall.return_notice_preview, 009) both use it, so the clerk confirms the
-- exact words the applicant gets.
CREATE FUNCTION hall.return_notice(r hall.applications, p_ids int[], p_defects text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	lines text[] := '{}';
	k int := 0;
	m record;
	w hall.windows;
	v_days int := coalesce(hall.setting_int('resubmit_days'), 20);
BEGIN
	SELECT * INTO w FROM hall.windows x WHERE x.code = r.window_code;
	FOR m IN SELECT mt.name FROM hall.materials mt
	         WHERE mt.id = ANY (coalesce(p_ids, '{}')) AND mt.item_id = r.item_id ORDER BY mt.ord, mt.id LOOP
		k := k + 1;
		lines := lines || format('%s. %s', k, m.name);
	END LOOP;
	IF coalesce(p_defects, '') <> '' THEN
		k := k + 1;
		lines := lines || format('%s. 其他问题：%s', k, p_defects);
	END IF;
	RETURN format('一次性告知：您申请的「%s」（办件号 %s）需补正以下全部内容：', hall.item_name(r.item_id), r.case_no)
		|| E'\n' || array_to_string(lines, E'\n')
		|| E'\n' || format('请于 %s 前（%s 个工作日内）一次性补齐，到%s%s（%s）办理，或在网上重新提交；',
		                    to_char(hall.workday_add(hall.today(), v_days), 'YYYY-MM-DD'), v_days,
		                    hall.setting('hall_name'), coalesce(w.name, r.window_code), hall.setting('hall_address'))
		|| format('咨询电话 %s。补正期间办理时限暂停计算。', hall.setting('hall_phone'));
END $$;

-- ----------------------------------------------------------- transitions

CREATE FUNCTION hall.submit(item_code text, applicant jsonb, channel text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	it hall.items;
	t timestamptz := hall.now();
	d date := (t AT TIME ZONE 'Asia/Shanghai')::date;
	a_kind text;
	a_name text;
	a_idno text;
	a_phone text;
	ap_id bigint;
	w text;
	n int;
	r hall.applications;
BEGIN
	IF submit.channel IS NULL OR submit.channel NOT IN ('window', 'web', 'app', 'kiosk') THEN
		RAISE EXCEPTION 'unknown channel "%": window, web, app or kiosk', submit.channel
			USING ERRCODE = '22023', HINT = 'reason:bad_channel';
	END IF;
	SELECT * INTO it FROM hall.items i WHERE i.code = submit.item_code;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no service item %', submit.item_code
			USING ERRCODE = 'P0002', HINT = 'reason:not_found:item';
	END IF;
	IF submit.applicant IS NULL OR jsonb_typeof(submit.applicant) <> 'object' THEN
		RAISE EXCEPTION 'the applicant must be a JSON object {kind, name, id_number, phone}'
			USING ERRCODE = '22023', HINT = 'reason:applicant_invalid';
	END IF;
	a_kind := coalesce(submit.applicant->>'kind', 'person');
	a_name := hall.require_text(submit.applicant->>'name', 'applicant_name');
	a_idno := upper(hall.require_text(submit.applicant->>'id_number', 'applicant_id'));
	a_phone := hall.optional_text(submit.applicant->>'phone', 'applicant_phone');
	IF a_kind NOT IN ('person', 'entity') THEN
		RAISE EXCEPTION 'applicant kind "%": person or entity', a_kind
			USING ERRCODE = '22023', HINT = 'reason:applicant_invalid';
	END IF;
	IF a_name = '' OR a_idno = '' THEN
		RAISE EXCEPTION 'the applicant needs a name and an ID number'
			USING ERRCODE = '22023', HINT = 'reason:applicant_invalid';
	END IF;

	SELECT p.id INTO ap_id FROM hall.applicants p
	WHERE p.id_number = a_idno AND p.kind = a_kind ORDER BY p.id LIMIT 1 FOR UPDATE;
	IF FOUND THEN
		UPDATE hall.applicants p SET name = a_name,
			phone = CASE WHEN a_phone <> '' THEN a_phone ELSE p.phone END
		WHERE p.id = ap_id;
	ELSE
		INSERT INTO hall.applicants (kind, name, id_number, phone)
		VALUES (a_kind, a_name, a_idno, a_phone) RETURNING id INTO ap_id;
	END IF;

	-- The window serving the item with the fewest open cases, ties by code.
	SELECT wi.window_code INTO w FROM hall.window_items wi
	WHERE wi.item_id = it.id
	ORDER BY (SELECT count(*) FROM hall.applications a
	          WHERE a.window_code = wi.window_code
	            AND a.state IN ('submitted', 'in_review', 'returned', 'escalated')), wi.window_code
	LIMIT 1;
	IF w IS NULL THEN
		RAISE EXCEPTION 'no window serves item % (%)', it.code, it.name
			USING ERRCODE = '55000', HINT = 'reason:item_no_window';
	END IF;

	INSERT INTO hall.case_counters AS c (day, n) VALUES (d, 1)
	ON CONFLICT (day) DO UPDATE SET n = c.n + 1
	RETURNING c.n INTO n;

	r.case_no := to_char(d, 'YYMMDD') || '-' || CASE WHEN n < 10000 THEN lpad(n::text, 4, '0') ELSE n::text END;
	r.item_id := it.id;
	r.applicant_id := ap_id;
	r.department_code := it.department_code;
	r.window_code := w;
	r.channel := submit.channel;
	r.state := 'submitted';
	r.received_at := t;
	r.received_on := d;
	r.promised_days := it.promised_days;
	r.extension_days := 0;
	r.paused_days := 0;
	r.return_count := 0;
	r := hall.compute_due(r);

	INSERT INTO hall.applications (case_no, item_id, applicant_id, department_code, window_code, channel, state,
		received_at, received_on, accept_due, promised_days, sort_due, updated_at)
	VALUES (r.case_no, r.item_id, r.applicant_id, r.department_code, r.window_code, r.channel, r.state,
		r.received_at, r.received_on, r.accept_due, r.promised_days, r.sort_due, t)
	RETURNING id INTO r.id;

	INSERT INTO hall.application_materials (app_id, material_id, status, updated_at)
	SELECT r.id, m.id, 'submitted', t FROM hall.materials m WHERE m.item_id = it.id;

	PERFORM hall.log('submit', r.id, NULL, NULL, ap_id, NULL, 'submitted', '',
		jsonb_build_object('channel', r.channel, 'window', w, 'case_no', r.case_no));
	PERFORM hall.notify('hall_queue', w);
	RETURN r.id;
END $$;

-- Claim a locked submitted case for the caller (shared by claim/claim_next).
CREATE FUNCTION hall.do_claim(r hall.applications, me hall.staff) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	n hall.applications := r;
	t timestamptz := hall.now();
	today date := (t AT TIME ZONE 'Asia/Shanghai')::date;
	details jsonb := '{}';
BEGIN
	n.state := 'in_review';
	n.claimed_by := me.id;
	n.claimed_at := t;
	IF n.accepted_on IS NULL THEN
		-- 受理: the clock starts today, or at receipt when claimed after the
		-- acceptance deadline (§32).
		n.accepted_on := today;
		n.clock_start := CASE WHEN today <= n.accept_due THEN today ELSE n.received_on END;
		details := jsonb_build_object('accepted', true, 'late', today > n.accept_due,
		                              'clock_start', n.clock_start);
	END IF;
	PERFORM hall.app_commit(r, n, 'claim', '', details, t);
END $$;

CREATE FUNCTION hall.claim(app bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications := hall.clerk_case(claim.app, ARRAY['submitted'], false);
BEGIN
	IF NOT EXISTS (SELECT 1 FROM hall.window_items WHERE window_code = r.window_code AND item_id = r.item_id) THEN
		RAISE EXCEPTION 'case %: window % does not serve item %', r.case_no, r.window_code, hall.item_name(r.item_id)
			USING ERRCODE = '42501', HINT = 'reason:window_item';
	END IF;
	IF r.claimed_by IS NOT NULL THEN
		RAISE EXCEPTION 'case % is already claimed', r.case_no
			USING ERRCODE = '55000', HINT = 'reason:already_claimed';
	END IF;
	PERFORM hall.do_claim(r, hall.me());
END $$;

-- plan_cache_mode: the pick's generic plan is the custom one's (the
-- claimable index in the queue's order, the first row), but its estimate
-- without the window's code is higher, so PostgreSQL kept planning it
-- again at every claim: 0.23 ms, a tenth of a claim-and-approve cycle
-- (pg_stat_statements, track_planning; doc/performance.md, P1).
CREATE FUNCTION hall.claim_next(window_code text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
	me hall.staff;
	r hall.applications;
BEGIN
	-- the caller, if they serve the window, in one statement (P1)
	SELECT s.* INTO me FROM hall.staff s
	WHERE s.login = session_user AND s.active
	  AND EXISTS (SELECT 1 FROM hall.staff_windows sw WHERE sw.staff_id = s.id AND sw.window_code = claim_next.window_code);
	IF NOT FOUND THEN
		me := hall.me();   -- refuses who is no staff member, in its words
		RAISE EXCEPTION 'you do not serve window %', claim_next.window_code
			USING ERRCODE = '42501', HINT = 'reason:window_not_yours';
	END IF;
	SELECT * INTO r FROM hall.applications a
	WHERE a.window_code = claim_next.window_code AND a.state = 'submitted' AND a.claimed_by IS NULL
	  AND EXISTS (SELECT 1 FROM hall.window_items wi WHERE wi.window_code = a.window_code AND wi.item_id = a.item_id)
	ORDER BY a.queue_rank, a.sort_due, a.id
	LIMIT 1
	FOR UPDATE SKIP LOCKED;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	PERFORM hall.do_claim(r, me);
	RETURN r.id;
END $$;

CREATE FUNCTION hall.release(app bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications := hall.clerk_case(release.app, ARRAY['in_review']);
	n hall.applications := r;
BEGIN
	n.state := 'submitted';
	n.claimed_by := NULL;
	n.claimed_at := NULL;
	PERFORM hall.app_commit(r, n, 'release', '', NULL);
END $$;

CREATE FUNCTION hall.approve(app bigint, note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications := hall.clerk_case(approve.app, ARRAY['in_review']);
	n hall.applications := r;
	v_note text := hall.optional_text(approve.note, 'approve_note');
	t timestamptz := hall.now();
BEGIN
	n.state := 'completed';
	n.closed_at := t;
	n.closed_by := r.claimed_by;          -- the caller: clerk_case checked the claim is theirs
	n.decision_note := v_note;
	n := hall.app_commit(r, n, 'approve', v_note, NULL, t);
	PERFORM hall.notify_applicant(n, 'approved',
		format('您申请的「%s」（办件号 %s）已办结，准予许可。', hall.item_name(n.item_id), n.case_no), '{}', t);
END $$;

CREATE FUNCTION hall.return_for_correction(app bigint, material_ids int[], defects text, breach_reason text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications := hall.clerk_case(return_for_correction.app, ARRAY['in_review']);
	n hall.applications := r;
	ids int[] := hall.check_materials(r, return_for_correction.material_ids);
	v_defects text := hall.optional_text(return_for_correction.defects, 'return_defects');
	v_reason text := nullif(hall.optional_text(return_for_correction.breach_reason, 'breach_reason'), '');
	allowed int[] := '{}';
	offending int[];
	is_breach boolean := false;
	names text[];
	notice text;
BEGIN
	IF cardinality(ids) = 0 AND v_defects = '' THEN
		RAISE EXCEPTION 'case %: a return names at least one material or describes the defects', r.case_no
			USING ERRCODE = '22023', HINT = 'reason:return_empty';
	END IF;

	-- One-time notice: a later return may only name what was resubmitted
	-- since the previous one.
	IF r.return_count > 0 THEN
		SELECT coalesce(x.resubmitted_ids, '{}') INTO allowed FROM hall.returns x
		WHERE x.app_id = r.id AND x.seq = r.return_count;
		offending := ARRAY(SELECT x FROM unnest(ids) x WHERE NOT x = ANY (coalesce(allowed, '{}')) ORDER BY x);
		IF cardinality(offending) > 0 THEN
			SELECT array_agg(mt.name ORDER BY mt.ord, mt.id) INTO names FROM hall.materials mt WHERE mt.id = ANY (offending);
			IF v_reason IS NULL THEN
				RAISE EXCEPTION 'case %: % not resubmitted since the previous return; naming them now breaks the one-time notice and needs a breach reason',
					r.case_no, array_to_string(names, '、')
					USING ERRCODE = '55000', HINT = 'reason:one_time_breach';
			END IF;
			is_breach := true;
		END IF;
	END IF;

	notice := hall.return_notice(r, ids, v_defects);
	names := ARRAY(SELECT mt.name FROM hall.materials mt WHERE mt.id = ANY (ids) ORDER BY mt.ord, mt.id);

	INSERT INTO hall.returns (app_id, seq, material_ids, defects, notice, breach, breach_reason, staff_id, returned_at)
	VALUES (r.id, r.return_count + 1, ids, v_defects, notice, is_breach, v_reason, hall.my_id(), hall.now());
	UPDATE hall.application_materials am SET status = 'missing', updated_at = hall.now()
	WHERE am.app_id = r.id AND am.material_id = ANY (ids);

	n.state := 'returned';
	n.returned_on := hall.today();
	n.return_count := r.return_count + 1;
	n.claimed_by := NULL;
	n.claimed_at := NULL;
	n := hall.app_commit(r, n, 'return', v_defects, jsonb_build_object('seq', n.return_count,
		'material_ids', to_jsonb(ids), 'breach', is_breach, 'breach_reason', v_reason));
	PERFORM hall.notify_applicant(n, 'returned', notice,
		jsonb_build_object('notice', notice, 'materials', to_jsonb(names), 'defects', v_defects,
		                   'seq', n.return_count));
END $$;

CREATE FUNCTION hall.resubmit(app bigint, material_ids int[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications := hall.app_lock(resubmit.app);
	n hall.applications := r;
	ids int[];
	paused int;
BEGIN
	PERFORM hall.require_state(r, ARRAY['returned']);
	ids := hall.check_materials(r, resubmit.material_ids);
	paused := greatest(0, hall.workdays_between(r.returned_on, hall.today()));

	UPDATE hall.application_materials am SET status = 'resubmitted', updated_at = hall.now()
	WHERE am.app_id = r.id AND am.material_id = ANY (ids);
	UPDATE hall.returns x SET resubmitted_at = hall.now(), resubmitted_ids = ids
	WHERE x.app_id = r.id AND x.seq = r.return_count AND x.resubmitted_at IS NULL;

	n.state := 'submitted';
	n.paused_days := r.paused_days + paused;
	IF r.accepted_on IS NULL THEN
		-- Returned before acceptance (材料不全 at the window, 020): the
		-- acceptance deadline moves by the days waited too.
		n.accept_paused := r.accept_paused + paused;
	END IF;
	n.returned_on := NULL;
	n.claimed_by := NULL;
	n.claimed_at := NULL;
	PERFORM hall.app_commit(r, n, 'resubmit', '', jsonb_build_object('material_ids', to_jsonb(ids),
		'paused_days', paused, 'returned_on', r.returned_on));
END $$;

CREATE FUNCTION hall.escalate(app bigint, reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_reason text := hall.require_text(escalate.reason, 'escalation_reason');
	r hall.applications := hall.clerk_case(escalate.app, ARRAY['in_review']);
	n hall.applications := r;
	t timestamptz := hall.now();
BEGIN
	n.state := 'escalated';
	n.escalated_at := t;
	n.escalation_reason := v_reason;
	n := hall.app_commit(r, n, 'escalate', v_reason, NULL, t);
	PERFORM hall.notify_applicant(n, 'escalated',
		format('您申请的「%s」（办件号 %s）已提交上级审核，请耐心等待。', hall.item_name(n.item_id), n.case_no));
END $$;

CREATE FUNCTION hall.decide(app bigint, decision text, note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications;
	n hall.applications;
	me hall.staff;
	v_note text := hall.optional_text(decide.note, 'decision_note');
	t timestamptz;
BEGIN
	IF decide.decision IS NULL OR decide.decision NOT IN ('approve', 'reject', 'back') THEN
		RAISE EXCEPTION 'decision "%": approve, reject or back', decide.decision
			USING ERRCODE = '22023', HINT = 'reason:bad_choice';
	END IF;
	IF decide.decision = 'reject' THEN
		v_note := hall.require_text(decide.note, 'rejection_reason');
	END IF;
	r := hall.app_lock(decide.app);
	me := hall.require_supervisor(r.department_code, 'case', r.id);
	PERFORM hall.require_state(r, ARRAY['escalated']);
	t := hall.now();
	n := r;
	n.escalation_due := NULL;
	IF decide.decision = 'approve' THEN
		n.state := 'completed';
	ELSIF decide.decision = 'reject' THEN
		n.state := 'rejected';
	ELSE
		n.state := 'in_review';
	END IF;
	IF n.state <> 'in_review' THEN
		n.closed_at := t;
		n.closed_by := me.id;
		n.decision_note := v_note;
	END IF;
	n := hall.app_commit(r, n, 'decide', v_note, jsonb_build_object('decision', decide.decision), t);
	IF n.state = 'completed' THEN
		PERFORM hall.notify_applicant(n, 'approved',
			format('您申请的「%s」（办件号 %s）已办结，准予许可。', hall.item_name(n.item_id), n.case_no));
	ELSIF n.state = 'rejected' THEN
		PERFORM hall.notify_applicant(n, 'rejected',
			format('您申请的「%s」（办件号 %s）不予许可。理由：%s', hall.item_name(n.item_id), n.case_no, v_note),
			jsonb_build_object('reason', v_note));
	END IF;
END $$;

CREATE FUNCTION hall.reject(app bigint, reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_reason text := hall.require_text(reject.reason, 'rejection_reason');
	r hall.applications := hall.clerk_case(reject.app, ARRAY['in_review']);
	n hall.applications := r;
	t timestamptz := hall.now();
BEGIN
	n.state := 'rejected';
	n.closed_at := t;
	n.closed_by := hall.my_id();
	n.decision_note := v_reason;
	n := hall.app_commit(r, n, 'reject', v_reason, NULL, t);
	PERFORM hall.notify_applicant(n, 'rejected',
		format('您申请的「%s」（办件号 %s）不予许可。理由：%s', hall.item_name(n.item_id), n.case_no, v_reason),
		jsonb_build_object('reason', v_reason));
END $$;

CREATE FUNCTION hall.withdraw(app bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications := hall.app_lock(withdraw.app);
	n hall.applications := r;
	t timestamptz := hall.now();
BEGIN
	PERFORM hall.require_state(r, ARRAY['submitted', 'in_review', 'returned']);
	n.state := 'withdrawn';
	n.closed_at := t;
	n.claimed_by := CASE WHEN r.state = 'in_review' THEN r.claimed_by END;
	PERFORM hall.app_commit(r, n, 'withdraw', '', NULL, t);
	UPDATE hall.extensions e SET state = 'refused', decided_at = t, note = 'withdrawn'
	WHERE e.app_id = r.id AND e.state = 'pending';
END $$;

CREATE FUNCTION hall.request_extension(app bigint, days int, reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	maxd int := hall.setting_int('extension_max_days');
	v_reason text := hall.require_text(request_extension.reason, 'extension_reason');
	r hall.applications;
	eid bigint;
BEGIN
	IF request_extension.days IS NULL OR request_extension.days < 1 OR request_extension.days > maxd THEN
		RAISE EXCEPTION 'an extension is 1 to % working days, not %', maxd, request_extension.days
			USING ERRCODE = '22023', HINT = 'reason:extension_days:1:' || maxd;
	END IF;
	r := hall.clerk_case(request_extension.app, ARRAY['in_review']);
	IF EXISTS (SELECT 1 FROM hall.extensions e WHERE e.app_id = r.id AND e.state = 'pending') THEN
		RAISE EXCEPTION 'case % already has an extension request waiting for the supervisor', r.case_no
			USING ERRCODE = '55000', HINT = 'reason:extension_pending';
	END IF;
	INSERT INTO hall.extensions (app_id, days, reason, requested_by, requested_at)
	VALUES (r.id, request_extension.days, v_reason, hall.my_id(), hall.now())
	RETURNING id INTO eid;
	PERFORM hall.app_commit(r, r, 'request_extension', v_reason,
		jsonb_build_object('extension_id', eid, 'days', request_extension.days));
END $$;

CREATE FUNCTION hall.grant_extension(app bigint, granted boolean, note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications;
	n hall.applications;
	me hall.staff;
	e hall.extensions;
	v_note text := hall.optional_text(grant_extension.note, 'extension_note');
BEGIN
	IF grant_extension.granted IS NULL THEN
		RAISE EXCEPTION 'granted must be true or false' USING ERRCODE = '22023', HINT = 'reason:bad_choice';
	END IF;
	r := hall.app_lock(grant_extension.app);
	me := hall.require_supervisor(r.department_code, 'case', r.id);
	SELECT * INTO e FROM hall.extensions x WHERE x.app_id = r.id AND x.state = 'pending' FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case % has no extension request waiting', r.case_no
			USING ERRCODE = '55000', HINT = 'reason:no_extension_pending';
	END IF;
	PERFORM hall.require_state(r, ARRAY['submitted', 'in_review', 'returned', 'escalated']);
	UPDATE hall.extensions x SET state = CASE WHEN grant_extension.granted THEN 'granted' ELSE 'refused' END,
		decided_by = me.id, decided_at = hall.now(), note = v_note
	WHERE x.id = e.id;
	n := r;
	IF grant_extension.granted THEN
		n.extension_days := r.extension_days + e.days;
	END IF;
	n := hall.compute_due(n);
	n := hall.app_commit(r, n, CASE WHEN grant_extension.granted THEN 'grant_extension' ELSE 'refuse_extension' END,
		v_note, jsonb_build_object('extension_id', e.id, 'days', e.days, 'granted', grant_extension.granted,
		                           'due_before', r.due_date, 'due_after', n.due_date));
	IF grant_extension.granted THEN
		PERFORM hall.notify_applicant(n, 'extension_granted',
			format('您申请的「%s」（办件号 %s）办理时限延长 %s 个工作日，办结期限为 %s。理由：%s',
			       hall.item_name(n.item_id), n.case_no, e.days, to_char(n.due_date, 'YYYY-MM-DD'), e.reason),
			jsonb_build_object('days', e.days, 'due_date', n.due_date));
	END IF;
END $$;

-- The full ID number of an applicant: a separate, logged action.
CREATE FUNCTION hall.reveal(applicant bigint, reason text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_reason text := hall.require_text(reveal.reason, 'reveal_reason');
	me hall.staff := hall.me();
	p hall.applicants;
BEGIN
	SELECT * INTO p FROM hall.applicants x WHERE x.id = reveal.applicant;
	IF NOT FOUND THEN
		PERFORM hall.not_found('applicant', reveal.applicant);
	END IF;
	IF NOT (me.kind = 'trainer'
	        OR EXISTS (SELECT 1 FROM hall.applications a
	                   WHERE a.applicant_id = p.id
	                     AND (a.window_code IN (SELECT sw.window_code FROM hall.staff_windows sw WHERE sw.staff_id = me.id)
	                          OR (me.kind = 'supervisor' AND a.department_code = me.department_code)))) THEN
		PERFORM hall.not_found('applicant', reveal.applicant);
	END IF;
	PERFORM hall.log('reveal', NULL, NULL, NULL, p.id, NULL, NULL, v_reason, jsonb_build_object('field', 'id_number'));
	RETURN p.id_number;
END $$;

GRANT EXECUTE ON FUNCTION hall.submit(text, jsonb, text), hall.resubmit(bigint, int[]), hall.withdraw(bigint)
	TO hall_portal;
GRANT EXECUTE ON FUNCTION hall.claim_next(text), hall.claim(bigint), hall.release(bigint),
	hall.approve(bigint, text), hall.return_for_correction(bigint, int[], text, text),
	hall.escalate(bigint, text), hall.reject(bigint, text), hall.request_extension(bigint, int, text)
	TO hall_clerk;
GRANT EXECUTE ON FUNCTION hall.decide(bigint, text, text), hall.grant_extension(bigint, boolean, text)
	TO hall_supervisor;
GRANT EXECUTE ON FUNCTION hall.reveal(bigint, text) TO hall_clerk, hall_supervisor, hall_trainer;
GRANT EXECUTE ON FUNCTION hall.flush_notify() TO hall_clerk, hall_supervisor, hall_trainer, hall_portal;
GRANT EXECUTE ON FUNCTION hall.compute_due(hall.applications), hall.state_word(text),
	hall.clock_paused_days(date, date, int, int),
	hall.clean_line(text), hall.clean_text(text), hall.require_text(text, text), hall.optional_text(text, text),
	hall.checked_text(text, text, boolean), hall.return_notice(hall.applications, int[], text)
	TO hall_clerk, hall_supervisor, hall_trainer;

-- ------------------------------------------------------------------- views
-- security_invoker: the caller's row-level security applies.

-- Working days left to a deadline; -1 or less once it has passed (also on
-- the weekend right after it).
CREATE FUNCTION hall.days_left(deadline date, today date) RETURNS int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN CASE
		WHEN deadline IS NULL OR deadline = 'infinity' THEN NULL
		WHEN deadline < today THEN least(-1, hall.workdays_between(today, deadline))
		ELSE hall.workdays_between(today, deadline)
	END; END $$;

CREATE FUNCTION hall.urgency(deadline date, today date, warn int) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN CASE
		WHEN deadline IS NULL OR deadline = 'infinity' THEN 'paused'
		WHEN deadline < today THEN 'overdue'
		WHEN hall.workdays_between(today, deadline) <= warn THEN 'warning'
		ELSE 'ok'
	END; END $$;
GRANT EXECUTE ON FUNCTION hall.days_left(date, date), hall.urgency(date, date, int)
	TO hall_clerk, hall_supervisor, hall_trainer;

-- The queue: open cases, the green channel (绿色通道, queue_rank 0) first,
-- then most urgent first: (queue_rank, sort_due, id).  Query it as
--   WHERE window_code = $1 AND (queue_rank, sort_due, id) > ($2, $3, $4)
--   ORDER BY queue_rank, sort_due, id LIMIT 30
-- which is an index scan on applications_queue.
CREATE VIEW hall.v_queue WITH (security_invoker = true) AS
SELECT a.id, a.case_no, a.item_id, i.code AS item_code, i.name AS item_name,
       a.applicant_id, p.name AS applicant_name, p.kind AS applicant_kind, p.id_masked, p.phone_masked,
       a.channel, a.state, a.received_at, a.received_on, a.accept_due, a.accepted_on, a.due_date, a.sort_due,
       nullif(a.sort_due, 'infinity') AS deadline,
       -- hall.days_left and hall.urgency, written out over hall.days: two
       -- function calls a row (four with workdays_between) were most of
       -- a queue page's cost (doc/performance.md, P2).  t45 checks that
       -- both ways give the same answers.
       CASE WHEN a.sort_due IS NULL OR a.sort_due = 'infinity' THEN NULL
            WHEN a.sort_due < t.today THEN least(-1, dd.cum - t.today_cum)
            ELSE dd.cum - t.today_cum END AS days_left,
       CASE WHEN a.sort_due IS NULL OR a.sort_due = 'infinity' THEN 'paused'
            WHEN a.sort_due < t.today THEN 'overdue'
            WHEN dd.cum - t.today_cum <= t.warn THEN 'warning'
            ELSE 'ok' END AS urgency,
       a.claimed_by, s.login AS claimed_login, s.name AS claimed_name, a.claimed_at,
       a.window_code, a.department_code, a.return_count,
       a.escalation_due, a.updated_at,
       -- A case returned when it was already overdue keeps its mark beside the pause.
       (a.state = 'returned' AND a.returned_on IS NOT NULL AND a.due_date IS NOT NULL
        AND a.returned_on > a.due_date) AS returned_overdue,
       a.queue_rank, a.green_channel
FROM hall.applications a
JOIN hall.items i ON i.id = a.item_id
JOIN hall.applicants p ON p.id = a.applicant_id
LEFT JOIN hall.staff s ON s.id = a.claimed_by
-- Today once a statement: uncorrelated sub-selects are init plans, while
-- a join's subquery is run again for every row of the page (hall.now()
-- each time).
CROSS JOIN (SELECT (SELECT hall.today()) AS today, (SELECT hall.setting_int('warn_days')) AS warn,
                   (SELECT x.cum FROM hall.days x WHERE x.d = hall.today()) AS today_cum OFFSET 0) t
LEFT JOIN hall.days dd ON dd.d = a.sort_due
WHERE a.state IN ('submitted', 'in_review', 'returned', 'escalated');

-- One case in full, with how its due date was computed.
CREATE VIEW hall.v_case WITH (security_invoker = true) AS
SELECT a.id, a.case_no, a.item_id, i.code AS item_code, i.name AS item_name, i.category AS item_category,
       a.applicant_id, p.name AS applicant_name, p.kind AS applicant_kind, p.id_masked, p.phone_masked,
       a.channel, a.state, a.window_code, w.name AS window_name, a.department_code, d.name AS department_name,
       a.received_at, a.received_on, a.accept_due, a.accepted_on, a.clock_start,
       (a.clock_start IS NOT NULL AND a.clock_start = a.received_on AND a.accepted_on > a.accept_due) AS accepted_late,
       a.promised_days, a.extension_days, a.paused_days, a.returned_on, a.due_date, a.sort_due,
       nullif(a.sort_due, 'infinity') AS deadline,
       CASE WHEN a.state IN ('completed', 'rejected', 'withdrawn', 'terminated') THEN NULL
            ELSE hall.days_left(a.sort_due, t.today) END AS days_left,
       CASE WHEN a.state IN ('completed', 'rejected', 'withdrawn', 'terminated') THEN 'closed'
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
                      a.promised_days, a.extension_days,
                      hall.clock_paused_days(a.clock_start, a.received_on, a.paused_days, a.accept_paused),
                      a.promised_days + a.extension_days
                      + hall.clock_paused_days(a.clock_start, a.received_on, a.paused_days, a.accept_paused),
                      to_char(a.due_date, 'YYYY-MM-DD'))
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
       a.updated_at,
       -- 超期办结: completed after its due date, marked wherever it appears.
       (a.state = 'completed' AND a.due_date IS NOT NULL
        AND (a.closed_at AT TIME ZONE 'Asia/Shanghai')::date > a.due_date) AS completed_late,
       (a.state = 'returned' AND a.returned_on IS NOT NULL AND a.due_date IS NOT NULL
        AND a.returned_on > a.due_date) AS returned_overdue,
       -- The front desk (020): the green channel, days returned before
       -- acceptance (the rest is hall.v_case_front's).
       a.queue_rank, a.green_channel, a.accept_paused
FROM hall.applications a
JOIN hall.items i ON i.id = a.item_id
JOIN hall.applicants p ON p.id = a.applicant_id
JOIN hall.windows w ON w.code = a.window_code
JOIN hall.departments d ON d.code = a.department_code
LEFT JOIN hall.staff s ON s.id = a.claimed_by
LEFT JOIN hall.staff c ON c.id = a.closed_by
LEFT JOIN hall.extensions e ON e.app_id = a.id AND e.state = 'pending'
CROSS JOIN (SELECT hall.today() AS today, hall.setting_int('warn_days') AS warn OFFSET 0) t;

CREATE VIEW hall.v_case_materials WITH (security_invoker = true) AS
SELECT am.app_id, am.material_id, m.name, m.required, m.ord, am.status, am.updated_at
FROM hall.application_materials am
JOIN hall.materials m ON m.id = am.material_id;

CREATE VIEW hall.v_case_history WITH (security_invoker = true) AS
SELECT x.id, x.app_id, x.at, x.actor, x.staff_id, s.name AS staff_name, x.action,
       x.from_state, x.to_state, x.note, x.details
FROM hall.audit x
LEFT JOIN hall.staff s ON s.id = x.staff_id
WHERE x.app_id IS NOT NULL;

CREATE VIEW hall.v_case_returns WITH (security_invoker = true) AS
SELECT x.id, x.app_id, x.seq, x.material_ids,
       ARRAY(SELECT m.name FROM hall.materials m WHERE m.id = ANY (x.material_ids) ORDER BY m.ord, m.id) AS material_names,
       x.defects, x.notice, x.breach, x.breach_reason, x.staff_id, s.name AS staff_name,
       x.returned_at, x.resubmitted_at, x.resubmitted_ids
FROM hall.returns x
JOIN hall.staff s ON s.id = x.staff_id;

-- Supervisor: escalations waiting for a decision, with their own deadline.
-- Days left and urgency written out over hall.days, today once (as v_queue).
CREATE VIEW hall.v_escalations WITH (security_invoker = true) AS
SELECT a.id, a.case_no, i.name AS item_name, a.department_code, a.window_code,
       a.claimed_by AS staff_id, s.name AS staff_name, a.escalation_reason, a.escalated_at, a.escalation_due,
       CASE WHEN a.escalation_due IS NULL OR a.escalation_due = 'infinity' THEN NULL
            WHEN a.escalation_due < t.today THEN least(-1, dd.cum - t.today_cum)
            ELSE dd.cum - t.today_cum END AS days_left,
       CASE WHEN a.escalation_due IS NULL OR a.escalation_due = 'infinity' THEN 'paused'
            WHEN a.escalation_due < t.today THEN 'overdue'
            WHEN dd.cum - t.today_cum <= t.warn THEN 'warning'
            ELSE 'ok' END AS urgency,
       a.due_date
FROM hall.applications a
JOIN hall.items i ON i.id = a.item_id
LEFT JOIN hall.staff s ON s.id = a.claimed_by
CROSS JOIN (SELECT (SELECT hall.today()) AS today, (SELECT hall.setting_int('warn_days')) AS warn,
                   (SELECT x.cum FROM hall.days x WHERE x.d = hall.today()) AS today_cum OFFSET 0) t
LEFT JOIN hall.days dd ON dd.d = a.escalation_due
WHERE a.state = 'escalated';

-- Supervisor: extension requests waiting for a decision.
CREATE VIEW hall.v_extensions WITH (security_invoker = true) AS
SELECT e.id, e.app_id, a.case_no, i.name AS item_name, a.department_code, a.window_code,
       e.days, e.reason, e.requested_by, s.name AS requested_by_name, e.requested_at,
       a.due_date,
       hall.workday_add(a.clock_start, a.promised_days + a.extension_days + e.days
                        + hall.clock_paused_days(a.clock_start, a.received_on, a.paused_days, a.accept_paused)) AS due_if_granted
FROM hall.extensions e
JOIN hall.applications a ON a.id = e.app_id
JOIN hall.items i ON i.id = a.item_id
JOIN hall.staff s ON s.id = e.requested_by
WHERE e.state = 'pending';

-- Supervisor: breaches of the one-time notice per clerk.
CREATE VIEW hall.v_breaches WITH (security_invoker = true) AS
SELECT x.staff_id, s.login, s.name, s.department_code,
       count(*) AS returns, count(*) FILTER (WHERE x.breach) AS breaches,
       max(x.returned_at) FILTER (WHERE x.breach) AS last_breach_at
FROM hall.returns x
JOIN hall.staff s ON s.id = x.staff_id
GROUP BY x.staff_id, s.login, s.name, s.department_code;

-- Status screen: cases per window and state.
CREATE VIEW hall.v_summary WITH (security_invoker = true) AS
SELECT a.department_code, a.window_code, a.state, count(*) AS cases,
       count(*) FILTER (WHERE a.sort_due < t.today) AS overdue,
       count(*) FILTER (WHERE a.sort_due >= t.today AND a.sort_due < t.warn_limit) AS warning
FROM hall.applications a
CROSS JOIN (SELECT hall.today() AS today,
                   hall.workday_add(hall.today(), hall.setting_int('warn_days') + 1) AS warn_limit OFFSET 0) t
GROUP BY a.department_code, a.window_code, a.state;

GRANT SELECT ON hall.v_queue, hall.v_case, hall.v_case_materials, hall.v_case_history, hall.v_case_returns,
	hall.v_escalations, hall.v_extensions, hall.v_summary
	TO hall_clerk, hall_supervisor, hall_trainer;
GRANT SELECT ON hall.v_breaches TO hall_supervisor, hall_trainer;

-- The rows of the terminal's queue page: v_queue's, narrowed to what the
-- page shows, with today, the warning days and today's working-day number
-- given rather than looked up a row.  LANGUAGE sql, not SECURITY DEFINER
-- and no SET: PostgreSQL inlines it into hall.queue_page's statements, so
-- the planner sees the index scan on applications_queue through it.  Not
-- granted to staff (they read v_queue): it has no scope of its own and
-- runs inside hall.queue_page, which applies it.  t45 checks that its
-- answers are v_queue's, column by column.
CREATE FUNCTION hall.queue_rows(p_today date, p_warn int, p_today_cum int)
RETURNS TABLE (id bigint, item_id int, case_no text, item_name text, applicant_name text, id_masked text,
               channel text, state text, sort_due date, deadline date, days_left int, urgency text,
               claimed_by int, claimed_login text, claimed_name text, window_code text, department_code text,
               return_count int, returned_overdue boolean, queue_rank smallint)
LANGUAGE sql STABLE
AS $$
SELECT a.id, a.item_id, a.case_no, i.name, p.name, p.id_masked, a.channel, a.state, a.sort_due,
       nullif(a.sort_due, 'infinity'::date),
       CASE WHEN a.sort_due IS NULL OR a.sort_due = 'infinity'::date THEN NULL
            WHEN a.sort_due < p_today THEN least(-1, dd.cum - p_today_cum)
            ELSE dd.cum - p_today_cum END,
       CASE WHEN a.sort_due IS NULL OR a.sort_due = 'infinity'::date THEN 'paused'
            WHEN a.sort_due < p_today THEN 'overdue'
            WHEN dd.cum - p_today_cum <= p_warn THEN 'warning'
            ELSE 'ok' END,
       a.claimed_by, s.login::text, s.name, a.window_code, a.department_code, a.return_count,
       (a.state = 'returned' AND a.returned_on IS NOT NULL AND a.due_date IS NOT NULL
        AND a.returned_on > a.due_date),
       a.queue_rank
FROM hall.applications a
JOIN hall.items i ON i.id = a.item_id
JOIN hall.applicants p ON p.id = a.applicant_id
LEFT JOIN hall.staff s ON s.id = a.claimed_by
LEFT JOIN hall.days dd ON dd.d = a.sort_due
WHERE a.state IN ('submitted', 'in_review', 'returned', 'escalated')
$$;

-- The terminal's queue page (src/db/cases.c): the windows' cases in queue
-- order, the first or the last page, or the page from, after or before the
-- key (p_rank, p_due, p_id: a row's queue_rank, sort_due and id; without
-- the rank it is read from the key's row).
-- A page is read many times a session with other keys: PL/pgSQL keeps one
-- generic plan per direction for the session (an index scan on
-- applications_queue, tests/sql/t45), where a prepared statement spent its
-- first five executions on custom plans and built the generic one at the
-- sixth (12-17 ms at a million cases, the P2 bench's p99).  A generic
-- plan cannot see how many of the window's rows lie past the key: at a
-- million cases one chose a bitmap scan of all of them and a sort (93 ms a
-- page, 1.5 s cold) where the index gives the order and the LIMIT stops it
-- after a page; without sorts the index order is the only plan left
-- (enable_sort off here only: the page's own 31 rows are still sorted).
-- SECURITY DEFINER, applying the scope of the row-level policies (004)
-- itself, once a page: a clerk's own windows, a supervisor's department,
-- a trainer's hall; anybody else sees nothing.  Through the caller's
-- policies every row paid an evaluation of the applicants' (a probe of
-- the applicant's cases at the clerk's windows) and the page two calls of
-- hall.my_windows(): 0.67 -> 0.52 ms a page at 8M cases (doc/performance.md,
-- P2).  The rows are v_queue's, whose applicant is by construction one of
-- a case the caller may see.  They come from hall.queue_rows with today
-- asked once a page (v_queue asks hall.today() twice, each a read of the
-- settings) and only the columns the page shows: 0.50 -> 0.41 ms a first
-- page at 1M (pgbench, as the clerk; a raw scan of the rows 0.11).
-- A search stays a statement of its own, planned with its pattern.
CREATE FUNCTION hall.queue_page(p_windows text[], p_dir text, p_due date, p_id bigint, p_state text,
                                p_item int, p_mine boolean, p_limit int, p_rank int DEFAULT NULL)
RETURNS TABLE (id bigint, item_id int, case_no text, item_name text, applicant_name text, id_masked text,
               channel text, state text, sort_due date, deadline date, days_left int, urgency text,
               claimed_login text, claimed_name text, window_code text, return_count int,
               returned_overdue boolean, queue_rank smallint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, hall, pg_temp SET plan_cache_mode = force_generic_plan SET enable_sort = off
AS $$
#variable_conflict use_column
DECLARE
	me hall.staff := hall.me();
	v_windows text[];       -- p_windows, those of them the caller may see
	v_dept text;            -- a supervisor's department: each case's is checked
	-- A plain parameter in the row comparison, so that it stays the index
	-- condition (an expression there, coalesce(p_rank, (SELECT ...)),
	-- became a filter over the whole window).
	v_rank smallint;
	v_today date := hall.today();
	v_warn int;
	v_today_cum int;
	-- No filter at all (a clerk's usual page).  The generic plan cannot
	-- know which filters are on: four of them estimated a window's 9,000
	-- rows at 3 and chose joins without caches (0.42 against 0.40 ms a
	-- page); behind "v_plain OR" they are estimated at half.
	v_plain boolean;
BEGIN
	IF me.kind = 'clerk' THEN
		-- (hall.my_windows() would ask hall.me() again, twice removed)
		v_windows := ARRAY(SELECT w FROM unnest(p_windows) w
		                   WHERE w IN (SELECT x.window_code FROM hall.staff_windows x WHERE x.staff_id = me.id));
	ELSIF me.kind = 'supervisor' THEN
		v_windows := p_windows;
		v_dept := me.department_code;
	ELSIF me.kind = 'trainer' THEN
		v_windows := p_windows;
	ELSE
		v_windows := '{}';
	END IF;
	IF p_dir IN ('from', 'after', 'before') AND (p_due IS NULL OR p_id IS NULL) THEN
		RAISE EXCEPTION 'a queue page % a key needs its date and id', p_dir
			USING ERRCODE = '22023', HINT = 'reason:bad_choice';
	END IF;
	IF p_dir IN ('from', 'after', 'before') THEN
		v_rank := coalesce(p_rank, (SELECT max(k.queue_rank) FROM hall.applications k
		                    WHERE k.id = p_id AND k.window_code = ANY (v_windows)
		                      AND (v_dept IS NULL OR k.department_code = v_dept)), 1);
	END IF;
	v_warn := (SELECT x.value::int FROM hall.settings x WHERE x.key = 'warn_days');
	v_today_cum := (SELECT x.cum FROM hall.days x WHERE x.d = v_today);
	v_plain := v_dept IS NULL AND p_state IS NULL AND p_item IS NULL AND NOT p_mine;
	CASE p_dir
	WHEN 'first' THEN
		RETURN QUERY SELECT q.id, q.item_id, q.case_no, q.item_name, q.applicant_name, q.id_masked, q.channel,
		    q.state, q.sort_due, q.deadline, q.days_left, q.urgency, q.claimed_login, q.claimed_name,
		    q.window_code, q.return_count, q.returned_overdue, q.queue_rank
		FROM unnest(v_windows) w(code) CROSS JOIN LATERAL (
		    SELECT * FROM hall.queue_rows(v_today, v_warn, v_today_cum) q
		    WHERE q.window_code = w.code
		      AND (v_plain OR ((v_dept IS NULL OR q.department_code = v_dept)
		                       AND (p_state IS NULL OR q.state = p_state) AND (p_item IS NULL OR q.item_id = p_item)
		                       AND (NOT p_mine OR q.claimed_by = me.id)))
		    ORDER BY q.queue_rank ASC, q.sort_due ASC, q.id ASC LIMIT p_limit) q
		ORDER BY q.queue_rank ASC, q.sort_due ASC, q.id ASC LIMIT p_limit;
	WHEN 'from' THEN
		RETURN QUERY SELECT q.id, q.item_id, q.case_no, q.item_name, q.applicant_name, q.id_masked, q.channel,
		    q.state, q.sort_due, q.deadline, q.days_left, q.urgency, q.claimed_login, q.claimed_name,
		    q.window_code, q.return_count, q.returned_overdue, q.queue_rank
		FROM unnest(v_windows) w(code) CROSS JOIN LATERAL (
		    SELECT * FROM hall.queue_rows(v_today, v_warn, v_today_cum) q
		    WHERE q.window_code = w.code
		      AND (q.queue_rank, q.sort_due, q.id) >= (v_rank, p_due, p_id)
		      AND (v_plain OR ((v_dept IS NULL OR q.department_code = v_dept)
		                       AND (p_state IS NULL OR q.state = p_state) AND (p_item IS NULL OR q.item_id = p_item)
		                       AND (NOT p_mine OR q.claimed_by = me.id)))
		    ORDER BY q.queue_rank ASC, q.sort_due ASC, q.id ASC LIMIT p_limit) q
		ORDER BY q.queue_rank ASC, q.sort_due ASC, q.id ASC LIMIT p_limit;
	WHEN 'after' THEN
		RETURN QUERY SELECT q.id, q.item_id, q.case_no, q.item_name, q.applicant_name, q.id_masked, q.channel,
		    q.state, q.sort_due, q.deadline, q.days_left, q.urgency, q.claimed_login, q.claimed_name,
		    q.window_code, q.return_count, q.returned_overdue, q.queue_rank
		FROM unnest(v_windows) w(code) CROSS JOIN LATERAL (
		    SELECT * FROM hall.queue_rows(v_today, v_warn, v_today_cum) q
		    WHERE q.window_code = w.code
		      AND (q.queue_rank, q.sort_due, q.id) > (v_rank, p_due, p_id)
		      AND (v_plain OR ((v_dept IS NULL OR q.department_code = v_dept)
		                       AND (p_state IS NULL OR q.state = p_state) AND (p_item IS NULL OR q.item_id = p_item)
		                       AND (NOT p_mine OR q.claimed_by = me.id)))
		    ORDER BY q.queue_rank ASC, q.sort_due ASC, q.id ASC LIMIT p_limit) q
		ORDER BY q.queue_rank ASC, q.sort_due ASC, q.id ASC LIMIT p_limit;
	WHEN 'before' THEN
		RETURN QUERY SELECT q.id, q.item_id, q.case_no, q.item_name, q.applicant_name, q.id_masked, q.channel,
		    q.state, q.sort_due, q.deadline, q.days_left, q.urgency, q.claimed_login, q.claimed_name,
		    q.window_code, q.return_count, q.returned_overdue, q.queue_rank
		FROM unnest(v_windows) w(code) CROSS JOIN LATERAL (
		    SELECT * FROM hall.queue_rows(v_today, v_warn, v_today_cum) q
		    WHERE q.window_code = w.code
		      AND (q.queue_rank, q.sort_due, q.id) < (v_rank, p_due, p_id)
		      AND (v_plain OR ((v_dept IS NULL OR q.department_code = v_dept)
		                       AND (p_state IS NULL OR q.state = p_state) AND (p_item IS NULL OR q.item_id = p_item)
		                       AND (NOT p_mine OR q.claimed_by = me.id)))
		    ORDER BY q.queue_rank DESC, q.sort_due DESC, q.id DESC LIMIT p_limit) q
		ORDER BY q.queue_rank DESC, q.sort_due DESC, q.id DESC LIMIT p_limit;
	WHEN 'last' THEN
		RETURN QUERY SELECT q.id, q.item_id, q.case_no, q.item_name, q.applicant_name, q.id_masked, q.channel,
		    q.state, q.sort_due, q.deadline, q.days_left, q.urgency, q.claimed_login, q.claimed_name,
		    q.window_code, q.return_count, q.returned_overdue, q.queue_rank
		FROM unnest(v_windows) w(code) CROSS JOIN LATERAL (
		    SELECT * FROM hall.queue_rows(v_today, v_warn, v_today_cum) q
		    WHERE q.window_code = w.code
		      AND (v_plain OR ((v_dept IS NULL OR q.department_code = v_dept)
		                       AND (p_state IS NULL OR q.state = p_state) AND (p_item IS NULL OR q.item_id = p_item)
		                       AND (NOT p_mine OR q.claimed_by = me.id)))
		    ORDER BY q.queue_rank DESC, q.sort_due DESC, q.id DESC LIMIT p_limit) q
		ORDER BY q.queue_rank DESC, q.sort_due DESC, q.id DESC LIMIT p_limit;
	ELSE
		RAISE EXCEPTION 'queue page direction "%": first, from, after, before or last', p_dir
			USING ERRCODE = '22023', HINT = 'reason:bad_choice';
	END CASE;
END $$;
GRANT EXECUTE ON FUNCTION hall.queue_page(text[], text, date, bigint, text, int, boolean, int, int)
	TO hall_clerk, hall_supervisor, hall_trainer;
