-- Tickets (取号), the clerk's window, the hall display and 一次一评 at the
-- counter (issue 13).
--
-- A citizen takes a number for a business line (hall.lines: a letter and a
-- group of items, 商事登记, 社保 ...) at the kiosk, by an app appointment
-- with a time slot, or through the green channel (绿色通道), numbered per
-- line and day ('A017').  A window serves some lines (hall.window_lines);
-- its clerk calls the next ticket of those lines, calls it again, skips a
-- no-show or finishes the service.  A ticket's life:
--
--   take_ticket --> waiting --call_next--> called --finish_ticket--> done
--                     ^                      |  ^
--                     |                      |  +-- recall (重呼: called again, same window)
--                     +--skip (first time)---+
--                        (过号: back into the line, at its end)
--                                            |
--                                            +--skip (second time)--> dropped
--
-- Calling order, over the lines of the window, today's tickets only:
-- green channel first, then the earliest queue_at: the time taken, an
-- appointment's slot (it is not called before its slot), or the moment of
-- a skip (a skipped ticket goes to the end of the line).  call_next locks
-- the ticket it takes FOR UPDATE SKIP LOCKED, as claim_next (005) does:
-- two windows never call the same ticket (tests/concurrency/
-- ticket_race_test.sh).
--
-- The window's status (hall.window_status), one row per window:
--
--   idle <--set_status--> paused (with a reason) / away
--     |  ^                   |
--  call_next  finish/skip    +--call_next (the clerk is back)--> serving
--     v  |
--   serving  (ticket_id: the ticket at the counter)
--
-- Every call and recall is a row of hall.calls, what the hall display shows
-- (hall.display_calls); NOTIFY hall_calls with the line code on every
-- change of a line's queue (taken, called, skipped).  The display and the
-- pad log in as roles of their own: hall_display reads the calls and the
-- waiting counts through two functions and nothing else; hall_pad (its
-- login listed in hall.pads with its window) sees and rates only the
-- request open at its window.
--
-- 一次一评: finishing a service opens its rating request (one per ticket):
--
--   open --pad_rate (at the counter)--------------------> rated (channel pad)
--     |--hall.rate('service', ticket) (portal, online)---> rated (online, or sms once the SMS went)
--     |--rating_requests_run: unrated after rating_sms_after_minutes --> SMS queued (sms_at)
--     +--rating_requests_run: unrated after rating_default_days --> defaulted
--                                (a rating of level rating_default_level, proactive = false:
--                                 默认评价; 0 days = never)
--
-- The pad shows the newest request of its window while it is unrated and no
-- SMS went for it.  A rating of a service is a row of hall.ratings of kind
-- 'service' whose target is the ticket, written by hall.rating_record (the
-- one place a rating is recorded, hall.rate's too): a bad one (levels 1-2)
-- opens its rectification as every bad rating does.  pg_cron runs
-- hall.rating_requests_run() every minute (as 017's cards); elsewhere
-- `hallctl cards` calls it from the systemd timer.  hall.ticket_figures
-- gives the supervisor's figures per line, window or clerk.
--
-- A called ticket is linked to the case it leads to with hall.link_ticket
-- (the terminal does it when the case is received at the front desk or
-- opened with /); hall.receive itself is unchanged.
SET LOCAL ROLE hall_admin;

DO $$
DECLARE r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['hall_display', 'hall_pad'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
END $$;
GRANT USAGE ON SCHEMA hall TO hall_display, hall_pad;

INSERT INTO hall.settings (key, value, note) VALUES
	('rating_sms_after_minutes', '30', 'a service unrated at the counter this many minutes after it ended gets an SMS with a link to rate online'),
	('rating_sms_text', '您在{hall}{window}办理的业务（{label}号）已办结，请对本次服务作出评价：{link}',
	 'the SMS; {hall}, {window}, {label} and {link} are filled in'),
	('rating_link', 'https://zwfw.example.gov.cn/hcp/{key}', 'the link to rate a service online; {key} is the request''s key'),
	('rating_default_days', '7', 'days after which an unrated service counts as rated rating_default_level (默认评价); 0 = never'),
	('rating_default_level', '3', 'the level of a default rating (local rules; 3 = 基本满意)');

INSERT INTO hall.text_fields (field, what, multiline, min_chars, max_chars) VALUES
	('window_reason', 'the reason for pausing the window', false, 2, 100);

-- A service rating: kind 'service', target the ticket.
ALTER TABLE hall.ratings DROP CONSTRAINT ratings_kind_check;
ALTER TABLE hall.ratings ADD CONSTRAINT ratings_kind_check CHECK (kind IN ('application', 'inquiry', 'service'));

-- ------------------------------------------------------------------ tables

-- A business line: the ticket letter, its name, the department whose
-- windows serve it.
CREATE TABLE hall.lines (
	code            text PRIMARY KEY CHECK (code ~ '^[A-Z]$'),
	name            text NOT NULL,
	department_code text NOT NULL REFERENCES hall.departments,
	ord             int NOT NULL DEFAULT 0
);

CREATE TABLE hall.line_items (
	line_code text NOT NULL REFERENCES hall.lines,
	item_id   int NOT NULL REFERENCES hall.items,
	PRIMARY KEY (line_code, item_id)
);

CREATE TABLE hall.window_lines (
	window_code text NOT NULL REFERENCES hall.windows,
	line_code   text NOT NULL REFERENCES hall.lines,
	PRIMARY KEY (window_code, line_code)
);
CREATE INDEX window_lines_line ON hall.window_lines (line_code);

CREATE TABLE hall.ticket_counters (
	line_code text NOT NULL,
	day       date NOT NULL,
	n         int NOT NULL,
	PRIMARY KEY (line_code, day)
);

--   day         the day it is for (an appointment's: its slot's)
--   queue_rank  0 green channel, 1 otherwise
--   queue_at    its place in the line: taken_at, the slot, or the last skip
--   called_at   the first call (the wait ends there), last_called_at the
--               current one (the service starts there)
CREATE TABLE hall.tickets (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	line_code       text NOT NULL REFERENCES hall.lines,
	department_code text NOT NULL REFERENCES hall.departments,
	day             date NOT NULL,
	number          int NOT NULL,
	label           text NOT NULL,
	channel         text NOT NULL CHECK (channel IN ('kiosk', 'app', 'green')),
	slot_at         timestamptz,
	phone           text NOT NULL DEFAULT '',
	phone_masked    text GENERATED ALWAYS AS (hall.mask_phone(phone)) STORED,
	taken_at        timestamptz NOT NULL,
	queue_rank      smallint NOT NULL CHECK (queue_rank IN (0, 1)),
	queue_at        timestamptz NOT NULL,
	state           text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'called', 'done', 'dropped')),
	called_at       timestamptz,
	last_called_at  timestamptz,
	window_code     text REFERENCES hall.windows,
	staff_id        int REFERENCES hall.staff,
	recalls         int NOT NULL DEFAULT 0,
	skips           int NOT NULL DEFAULT 0 CHECK (skips BETWEEN 0 AND 2),
	finished_at     timestamptz,
	dropped_at      timestamptz,
	application_id  bigint REFERENCES hall.applications,
	UNIQUE (line_code, day, number),
	CHECK ((channel = 'app') = (slot_at IS NOT NULL)),
	CHECK ((queue_rank = 0) = (channel = 'green')),
	CHECK ((state = 'waiting') OR called_at IS NOT NULL),
	CHECK ((state = 'called') <= (window_code IS NOT NULL AND staff_id IS NOT NULL))
);
CREATE INDEX tickets_waiting ON hall.tickets (line_code, day, queue_rank, queue_at, id) WHERE state = 'waiting';
CREATE INDEX tickets_day ON hall.tickets (department_code, day);
CREATE INDEX tickets_application ON hall.tickets (application_id) WHERE application_id IS NOT NULL;

-- Each call and recall: what the hall display shows.
CREATE TABLE hall.calls (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ticket_id   bigint NOT NULL REFERENCES hall.tickets,
	line_code   text NOT NULL,
	label       text NOT NULL,
	window_code text NOT NULL REFERENCES hall.windows,
	staff_id    int NOT NULL REFERENCES hall.staff,
	at          timestamptz NOT NULL,
	recall      boolean NOT NULL DEFAULT false
);
CREATE INDEX calls_at ON hall.calls (at DESC, id DESC);
CREATE INDEX calls_ticket ON hall.calls (ticket_id);

CREATE TABLE hall.window_status (
	window_code text PRIMARY KEY REFERENCES hall.windows,
	status      text NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'serving', 'paused', 'away')),
	reason      text,
	since       timestamptz NOT NULL,
	staff_id    int REFERENCES hall.staff,
	ticket_id   bigint REFERENCES hall.tickets,
	CHECK ((status = 'serving') = (ticket_id IS NOT NULL)),
	CHECK ((status = 'paused') = (reason IS NOT NULL))
);

-- One rating request per finished ticket.  channel: how it was rated
-- (pad at the counter, online before the SMS, sms = online after it,
-- default = 默认评价).
CREATE TABLE hall.rating_requests (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	key             uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
	ticket_id       bigint NOT NULL UNIQUE REFERENCES hall.tickets,
	window_code     text NOT NULL REFERENCES hall.windows,
	staff_id        int NOT NULL REFERENCES hall.staff,
	department_code text NOT NULL REFERENCES hall.departments,
	opened_at       timestamptz NOT NULL,
	rated_at        timestamptz,
	rating_id       bigint REFERENCES hall.ratings,
	channel         text CHECK (channel IN ('pad', 'online', 'sms', 'default')),
	sms_at          timestamptz,
	sms_outbox_id   bigint REFERENCES hall.outbox,
	defaulted_at    timestamptz,
	CHECK ((rating_id IS NULL) = (channel IS NULL)),
	CHECK ((defaulted_at IS NOT NULL) = (channel IS NOT DISTINCT FROM 'default'))
);
CREATE INDEX rating_requests_open ON hall.rating_requests (opened_at) WHERE rating_id IS NULL;
CREATE INDEX rating_requests_window ON hall.rating_requests (window_code, id DESC);
CREATE INDEX rating_requests_staff ON hall.rating_requests (staff_id);
CREATE INDEX rating_requests_department ON hall.rating_requests (department_code, opened_at); -- the scorecard's month (018)

-- The pads on the counters: a login of hall_pad and its window.
CREATE TABLE hall.pads (
	login       name PRIMARY KEY,
	window_code text NOT NULL REFERENCES hall.windows
);

-- ------------------------------------------------------------------ helpers

-- The lines the caller's windows serve.
CREATE FUNCTION hall.my_lines() RETURNS text[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_me int := hall.my_id();  -- once, not for every row (hall.my_windows, 004)
BEGIN
	RETURN (SELECT coalesce(array_agg(DISTINCT wl.line_code), '{}')
	        FROM hall.window_lines wl JOIN hall.staff_windows sw ON sw.window_code = wl.window_code
	        WHERE sw.staff_id = v_me);
END $$;

-- Lock the caller's window's status row (made on first use): the caller
-- must serve the window.  Calls of one window wait for each other here;
-- calls of different windows do not.
CREATE FUNCTION hall.window_lock(p_window text) RETURNS hall.window_status
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
	ws hall.window_status;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM hall.staff_windows sw WHERE sw.staff_id = me.id AND sw.window_code = p_window) THEN
		RAISE EXCEPTION 'you do not serve window %', p_window
			USING ERRCODE = '42501', HINT = 'reason:window_not_yours';
	END IF;
	SELECT * INTO ws FROM hall.window_status x WHERE x.window_code = p_window FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO hall.window_status (window_code, status, since, staff_id)
		VALUES (p_window, 'idle', hall.now(), me.id)
		ON CONFLICT (window_code) DO NOTHING;
		SELECT * INTO ws FROM hall.window_status x WHERE x.window_code = p_window FOR UPDATE;
	END IF;
	RETURN ws;
END $$;

-- Lock a ticket the caller is serving: called, at one of the caller's
-- windows, the window's current ticket.
CREATE FUNCTION hall.ticket_lock(p_ticket bigint) RETURNS hall.tickets
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
	tk hall.tickets;
BEGIN
	SELECT * INTO tk FROM hall.tickets x WHERE x.id = p_ticket;
	IF NOT FOUND OR tk.window_code IS NULL
	   OR NOT EXISTS (SELECT 1 FROM hall.staff_windows sw WHERE sw.staff_id = me.id AND sw.window_code = tk.window_code) THEN
		PERFORM hall.not_found('ticket', p_ticket);
	END IF;
	PERFORM hall.window_lock(tk.window_code);
	SELECT * INTO tk FROM hall.tickets x WHERE x.id = p_ticket FOR UPDATE;
	IF tk.state <> 'called' OR NOT EXISTS (SELECT 1 FROM hall.window_status ws
	                                       WHERE ws.window_code = tk.window_code AND ws.ticket_id = tk.id) THEN
		RAISE EXCEPTION 'ticket % is %, not at the counter: it may have changed since your screen was drawn',
			tk.label, tk.state
			USING ERRCODE = '55000', HINT = 'reason:ticket_state';
	END IF;
	RETURN tk;
END $$;

CREATE FUNCTION hall.ticket_log(p_action text, tk hall.tickets, p_from text, p_to text, p_note text,
                                p_details jsonb DEFAULT '{}') RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	PERFORM hall.log(p_action, tk.application_id, NULL, NULL, NULL, p_from, p_to, p_note,
		jsonb_build_object('ticket', tk.id, 'label', tk.label, 'line', tk.line_code, 'window', tk.window_code)
		|| coalesce(p_details, '{}'));
END $$;

-- -------------------------------------------------------- the public's side

-- Take a number: the label ('A017').  channel kiosk, app (with its slot,
-- today or a later day: the number is of the slot's day) or green.  phone
-- (optional) is where the rating SMS goes.
CREATE FUNCTION hall.take_ticket(line text, channel text, slot timestamptz DEFAULT NULL, phone text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	t timestamptz := hall.now();
	v_phone text := hall.optional_text(take_ticket.phone, 'applicant_phone');
	l hall.lines;
	d date;
	k int;
	v_label text;
	v_id bigint;
BEGIN
	SELECT * INTO l FROM hall.lines x WHERE x.code = take_ticket.line;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no business line %', take_ticket.line
			USING ERRCODE = '22023', HINT = 'reason:line_unknown';
	END IF;
	IF take_ticket.channel IS NULL OR take_ticket.channel NOT IN ('kiosk', 'app', 'green') THEN
		RAISE EXCEPTION 'unknown ticket channel "%": kiosk, app or green', take_ticket.channel
			USING ERRCODE = '22023', HINT = 'reason:ticket_channel';
	END IF;
	IF (take_ticket.channel = 'app') <> (take_ticket.slot IS NOT NULL)
	   OR (take_ticket.slot AT TIME ZONE 'Asia/Shanghai')::date < hall.today() THEN
		RAISE EXCEPTION 'an appointment (app) has a time slot of today or later, other tickets none'
			USING ERRCODE = '22023', HINT = 'reason:ticket_slot';
	END IF;
	d := coalesce((take_ticket.slot AT TIME ZONE 'Asia/Shanghai')::date, hall.today());
	INSERT INTO hall.ticket_counters AS c (line_code, day, n) VALUES (l.code, d, 1)
	ON CONFLICT (line_code, day) DO UPDATE SET n = c.n + 1
	RETURNING c.n INTO k;
	v_label := l.code || lpad(k::text, 3, '0');
	INSERT INTO hall.tickets (line_code, department_code, day, number, label, channel, slot_at, phone, taken_at,
	                          queue_rank, queue_at)
	VALUES (l.code, l.department_code, d, k, v_label, take_ticket.channel, take_ticket.slot, v_phone, t,
	        CASE WHEN take_ticket.channel = 'green' THEN 0 ELSE 1 END, greatest(t, coalesce(take_ticket.slot, t)))
	RETURNING id INTO v_id;
	PERFORM hall.log('take_ticket', NULL, NULL, NULL, NULL, NULL, 'waiting', '',
		jsonb_build_object('ticket', v_id, 'label', v_label, 'line', l.code, 'channel', take_ticket.channel,
		                   'slot', take_ticket.slot));
	PERFORM hall.notify('hall_calls', l.code);
	RETURN v_label;
END $$;

-- The trainer's simulate (as the demo_* of 012).
CREATE FUNCTION hall.demo_take_ticket(line text, channel text, slot timestamptz DEFAULT NULL, phone text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	PERFORM hall.demo_only('the public''s actions can be simulated');
	RETURN hall.take_ticket(demo_take_ticket.line, demo_take_ticket.channel, demo_take_ticket.slot, demo_take_ticket.phone);
END $$;

-- ------------------------------------------------------------ the window

CREATE FUNCTION hall.window_set_status(window_code text, status text, reason text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	ws hall.window_status;
	v_reason text;
BEGIN
	IF window_set_status.status IS NULL OR window_set_status.status NOT IN ('idle', 'paused', 'away') THEN
		RAISE EXCEPTION 'a window is set idle, paused or away, not "%"', window_set_status.status
			USING ERRCODE = '22023', HINT = 'reason:window_status';
	END IF;
	ws := hall.window_lock(window_set_status.window_code);
	IF ws.ticket_id IS NOT NULL THEN
		RAISE EXCEPTION 'window % is serving a ticket: finish or skip it first', ws.window_code
			USING ERRCODE = '55000', HINT = 'reason:window_busy';
	END IF;
	IF window_set_status.status = 'paused' THEN
		v_reason := hall.require_text(window_set_status.reason, 'window_reason');
	END IF;
	UPDATE hall.window_status x SET status = window_set_status.status, reason = v_reason, since = hall.now(),
		staff_id = hall.my_id()
	WHERE x.window_code = ws.window_code;
	PERFORM hall.log('window_status', NULL, NULL, NULL, NULL, ws.status, window_set_status.status, coalesce(v_reason, ''),
		jsonb_build_object('window', ws.window_code));
	PERFORM hall.notify('hall_queue', ws.window_code);
END $$;

-- Call the next ticket of the window's lines: the ticket's id, or NULL
-- when nobody waits.  The window must have no ticket at the counter.
CREATE FUNCTION hall.call_next(window_code text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	ws hall.window_status := hall.window_lock(call_next.window_code);
	me int := hall.my_id();
	t timestamptz := hall.now();
	v_today date := hall.today();
	v_lines text[];
	tk hall.tickets;
BEGIN
	IF ws.ticket_id IS NOT NULL THEN
		RAISE EXCEPTION 'window % is serving a ticket: finish or skip it first', ws.window_code
			USING ERRCODE = '55000', HINT = 'reason:window_busy';
	END IF;
	SELECT array_agg(wl.line_code ORDER BY wl.line_code) INTO v_lines
	FROM hall.window_lines wl WHERE wl.window_code = ws.window_code;
	IF cardinality(v_lines) = 1 THEN
		-- One line (most windows): the index gives the order, the first
		-- ticket nobody else is locking is the one.
		SELECT * INTO tk FROM hall.tickets x
		WHERE x.line_code = v_lines[1] AND x.day = v_today AND x.state = 'waiting' AND x.queue_at <= t
		ORDER BY x.queue_rank, x.queue_at, x.id
		LIMIT 1
		FOR UPDATE SKIP LOCKED;
	ELSE
		-- Several: the first 32 of each line by the index, the first of
		-- them nobody else is locking; when all are (more windows than
		-- that calling the same lines at once), every waiting ticket of
		-- those lines, sorted.
		SELECT * INTO tk FROM hall.tickets x
		WHERE x.id IN (SELECT c.id FROM unnest(v_lines) l(code)
		               CROSS JOIN LATERAL (SELECT y.id FROM hall.tickets y
		                                   WHERE y.line_code = l.code AND y.day = v_today AND y.state = 'waiting'
		                                     AND y.queue_at <= t
		                                   ORDER BY y.queue_rank, y.queue_at, y.id LIMIT 32) c)
		  AND x.state = 'waiting'
		ORDER BY x.queue_rank, x.queue_at, x.id
		LIMIT 1
		FOR UPDATE SKIP LOCKED;
		IF tk.id IS NULL THEN
			SELECT * INTO tk FROM hall.tickets x
			WHERE x.line_code = ANY (v_lines) AND x.day = v_today AND x.state = 'waiting' AND x.queue_at <= t
			ORDER BY x.queue_rank, x.queue_at, x.id
			LIMIT 1
			FOR UPDATE SKIP LOCKED;
		END IF;
	END IF;
	IF tk.id IS NULL THEN
		RETURN NULL;
	END IF;
	UPDATE hall.tickets x SET state = 'called', called_at = coalesce(x.called_at, t), last_called_at = t,
		window_code = ws.window_code, staff_id = me
	WHERE x.id = tk.id
	RETURNING * INTO tk;
	INSERT INTO hall.calls (ticket_id, line_code, label, window_code, staff_id, at, recall)
	VALUES (tk.id, tk.line_code, tk.label, ws.window_code, me, t, false);
	UPDATE hall.window_status x SET status = 'serving', reason = NULL, since = t, staff_id = me, ticket_id = tk.id
	WHERE x.window_code = ws.window_code;
	PERFORM hall.ticket_log('call', tk, 'waiting', 'called', '');
	PERFORM hall.notify('hall_calls', tk.line_code);
	RETURN tk.id;
END $$;

-- 重呼: call the ticket at the counter again.
CREATE FUNCTION hall.recall(ticket bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	tk hall.tickets := hall.ticket_lock(recall.ticket);
	t timestamptz := hall.now();
BEGIN
	UPDATE hall.tickets x SET recalls = x.recalls + 1 WHERE x.id = tk.id;
	INSERT INTO hall.calls (ticket_id, line_code, label, window_code, staff_id, at, recall)
	VALUES (tk.id, tk.line_code, tk.label, tk.window_code, hall.my_id(), t, true);
	PERFORM hall.ticket_log('recall', tk, 'called', 'called', '', jsonb_build_object('recalls', tk.recalls + 1));
	PERFORM hall.notify('hall_calls', tk.line_code);
END $$;

-- 过号: the citizen did not come.  The first time the ticket goes back into
-- its line, at the end; the second time it is dropped.  Returns the
-- ticket's new state ('waiting' or 'dropped').
CREATE FUNCTION hall.skip_ticket(ticket bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	tk hall.tickets := hall.ticket_lock(skip_ticket.ticket);
	t timestamptz := hall.now();
	v_state text := CASE WHEN tk.skips = 0 THEN 'waiting' ELSE 'dropped' END;
BEGIN
	UPDATE hall.tickets x SET state = v_state, skips = x.skips + 1,
		queue_at = CASE WHEN v_state = 'waiting' THEN t ELSE x.queue_at END,
		dropped_at = CASE WHEN v_state = 'dropped' THEN t END
	WHERE x.id = tk.id;
	UPDATE hall.window_status x SET status = 'idle', reason = NULL, since = t, ticket_id = NULL
	WHERE x.window_code = tk.window_code;
	PERFORM hall.ticket_log(CASE WHEN v_state = 'waiting' THEN 'skip' ELSE 'drop' END, tk, 'called', v_state, '');
	PERFORM hall.notify('hall_calls', tk.line_code);
	RETURN v_state;
END $$;

-- The service is over: the ticket is done and its rating request opens
-- (NOTIFY hall_pad with the window code wakes the pad).  Returns the
-- request's id.
CREATE FUNCTION hall.finish_ticket(ticket bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	tk hall.tickets := hall.ticket_lock(finish_ticket.ticket);
	t timestamptz := hall.now();
	v_req bigint;
BEGIN
	UPDATE hall.tickets x SET state = 'done', finished_at = t WHERE x.id = tk.id;
	UPDATE hall.window_status x SET status = 'idle', reason = NULL, since = t, ticket_id = NULL
	WHERE x.window_code = tk.window_code;
	INSERT INTO hall.rating_requests (ticket_id, window_code, staff_id, department_code, opened_at)
	VALUES (tk.id, tk.window_code, tk.staff_id, (SELECT w.department_code FROM hall.windows w WHERE w.code = tk.window_code), t)
	RETURNING id INTO v_req;
	PERFORM hall.ticket_log('finish', tk, 'called', 'done', '', jsonb_build_object('rating_request', v_req));
	PERFORM hall.notify('hall_pad', tk.window_code);
	PERFORM hall.notify('hall_queue', tk.window_code);
	RETURN v_req;
END $$;

-- The case a ticket led to (received at the front desk, or found with /):
-- a ticket called at one of the caller's windows, a case the caller may
-- see (a window of theirs or their department).  Linking again replaces.
CREATE FUNCTION hall.link_ticket(ticket bigint, application bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
	tk hall.tickets;
	a hall.applications;
BEGIN
	SELECT * INTO tk FROM hall.tickets x WHERE x.id = link_ticket.ticket FOR UPDATE;
	IF NOT FOUND OR tk.window_code IS NULL OR tk.state NOT IN ('called', 'done')
	   OR NOT EXISTS (SELECT 1 FROM hall.staff_windows sw WHERE sw.staff_id = me.id AND sw.window_code = tk.window_code) THEN
		PERFORM hall.not_found('ticket', link_ticket.ticket);
	END IF;
	SELECT * INTO a FROM hall.applications x WHERE x.id = link_ticket.application;
	IF NOT FOUND OR NOT (a.department_code = me.department_code
	                     OR EXISTS (SELECT 1 FROM hall.staff_windows sw WHERE sw.staff_id = me.id AND sw.window_code = a.window_code)) THEN
		PERFORM hall.not_found('case', link_ticket.application);
	END IF;
	UPDATE hall.tickets x SET application_id = a.id WHERE x.id = tk.id;
	tk.application_id := a.id;
	PERFORM hall.ticket_log('link_ticket', tk, NULL, NULL, '', jsonb_build_object('case_no', a.case_no));
END $$;

-- ------------------------------------------------------------ the display

-- The last n calls of today (1-50), newest first, of the given lines (NULL
-- or empty: every line).
CREATE FUNCTION hall.display_calls(lines text[], n int)
RETURNS TABLE (label text, window_code text, window_name text, at timestamptz, recall boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	t0 timestamptz := hall.end_of_day(hall.today() - 1);
	v_all boolean := display_calls.lines IS NULL OR cardinality(display_calls.lines) = 0;
BEGIN
	RETURN QUERY
	SELECT c.label, c.window_code, w.name, c.at, c.recall
	FROM hall.calls c
	JOIN hall.windows w ON w.code = c.window_code
	WHERE c.at > t0 AND (v_all OR c.line_code = ANY (display_calls.lines))
	ORDER BY c.at DESC, c.id DESC
	LIMIT least(greatest(coalesce(display_calls.n, 10), 1), 50);
END $$;

-- Today's waiting tickets per line (those callable now), every given line
-- (NULL or empty: every line), in the lines' order.
CREATE FUNCTION hall.display_waiting(lines text[])
RETURNS TABLE (line_code text, name text, waiting int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_today date := hall.today();
	t timestamptz := hall.now();
	v_all boolean := display_waiting.lines IS NULL OR cardinality(display_waiting.lines) = 0;
BEGIN
	RETURN QUERY
	SELECT l.code, l.name,
	       (SELECT count(*) FROM hall.tickets x
	        WHERE x.line_code = l.code AND x.day = v_today AND x.state = 'waiting' AND x.queue_at <= t)::int
	FROM hall.lines l
	WHERE v_all OR l.code = ANY (display_waiting.lines)
	ORDER BY l.ord, l.code;
END $$;

-- ---------------------------------------------------------------- ratings

-- A service rated online (hall.rate, kind 'service', id the ticket: the
-- link of the SMS), found through its rating request; recorded as every
-- applicant's rating (hall.rate_apply, 006: the follow-up too).  The
-- request says the rating came (channel online, or sms once the SMS went).
-- Ratings at the counter (hall.pad_rate) and default ones
-- (rating_requests_run) go to hall.rating_record (006) directly.
CREATE FUNCTION hall.rate_service(p_ticket bigint, p_level int, p_comment text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	rq hall.rating_requests;
	v_app bigint;
	v_label text;
	v_id bigint;
BEGIN
	SELECT * INTO rq FROM hall.rating_requests r WHERE r.ticket_id = p_ticket FOR UPDATE;
	IF NOT FOUND THEN
		IF EXISTS (SELECT 1 FROM hall.tickets x WHERE x.id = p_ticket) THEN
			RAISE EXCEPTION 'ticket #% is not finished: only a finished service is rated', p_ticket
				USING ERRCODE = '55000', HINT = 'reason:rate_not_closed';
		END IF;
		RAISE EXCEPTION 'ticket #% does not exist', p_ticket
			USING ERRCODE = 'P0002', HINT = 'reason:not_found:ticket';
	END IF;
	SELECT x.application_id, x.label INTO v_app, v_label FROM hall.tickets x WHERE x.id = p_ticket;
	v_id := hall.rate_apply('service', p_ticket, rq.staff_id, rq.department_code, v_label, p_level, p_comment,
		v_app, NULL, jsonb_build_object('ticket', p_ticket, 'label', v_label));
	IF rq.rating_id IS NULL THEN
		UPDATE hall.rating_requests r SET rated_at = hall.now(), rating_id = v_id,
			channel = CASE WHEN rq.sms_at IS NOT NULL THEN 'sms' ELSE 'online' END
		WHERE r.id = rq.id;
	END IF;
	RETURN v_id;
END $$;
REVOKE ALL ON FUNCTION hall.rate_service(bigint, int, text) FROM PUBLIC;

-- --------------------------------------------------------------- the pad

-- The pad's request: the newest of its window, while it is unrated and no
-- SMS went for it.  Callers must be the pad of that window.
CREATE FUNCTION hall.pad_check(p_window text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM hall.pads p WHERE p.login = session_user AND p.window_code = p_window) THEN
		RAISE EXCEPTION 'this pad (%) is not the pad of window %', session_user, p_window
			USING ERRCODE = '42501', HINT = 'reason:pad_window';
	END IF;
END $$;

CREATE FUNCTION hall.pad_request(window_code text)
RETURNS TABLE (request_id bigint, label text, item_name text, window_name text, opened_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
BEGIN
	PERFORM hall.pad_check(pad_request.window_code);
	RETURN QUERY
	SELECT r.id, x.label, coalesce(i.name, l.name), w.name, r.opened_at
	FROM (SELECT * FROM hall.rating_requests q WHERE q.window_code = pad_request.window_code ORDER BY q.id DESC LIMIT 1) r
	JOIN hall.tickets x ON x.id = r.ticket_id
	JOIN hall.lines l ON l.code = x.line_code
	JOIN hall.windows w ON w.code = r.window_code
	LEFT JOIN hall.applications a ON a.id = x.application_id
	LEFT JOIN hall.items i ON i.id = a.item_id
	WHERE r.rating_id IS NULL AND r.sms_at IS NULL;
END $$;

-- The citizen's rating at the counter: levels 1-5, an optional comment.
-- Returns the rating's id; a second rating is refused (already_rated).
CREATE FUNCTION hall.pad_rate(request bigint, level int, comment text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_comment text := hall.optional_text(pad_rate.comment, 'rating_comment');
	rq hall.rating_requests;
	tk hall.tickets;
	v_id bigint;
	t timestamptz := hall.now();
BEGIN
	IF pad_rate.level IS NULL OR pad_rate.level NOT BETWEEN 1 AND 5 THEN
		RAISE EXCEPTION 'a rating level is 1 to 5, not %', pad_rate.level
			USING ERRCODE = '22023', HINT = 'reason:rating_level';
	END IF;
	SELECT * INTO rq FROM hall.rating_requests r WHERE r.id = pad_rate.request FOR UPDATE;
	IF NOT FOUND OR NOT EXISTS (SELECT 1 FROM hall.pads p WHERE p.login = session_user AND p.window_code = rq.window_code) THEN
		PERFORM hall.not_found('rating_request', pad_rate.request);
	END IF;
	IF rq.rating_id IS NOT NULL THEN
		RAISE EXCEPTION 'this service is already rated'
			USING ERRCODE = '55000', HINT = 'reason:already_rated';
	END IF;
	IF rq.sms_at IS NOT NULL OR EXISTS (SELECT 1 FROM hall.rating_requests r WHERE r.window_code = rq.window_code AND r.id > rq.id) THEN
		RAISE EXCEPTION 'this service is no longer rated at the counter'
			USING ERRCODE = '55000', HINT = 'reason:rating_request_gone';
	END IF;
	SELECT * INTO tk FROM hall.tickets x WHERE x.id = rq.ticket_id;
	v_id := hall.rating_record('service', tk.id, rq.staff_id, rq.department_code, pad_rate.level, v_comment, true,
		tk.application_id, NULL, jsonb_build_object('ticket', tk.id, 'label', tk.label, 'channel', 'pad'));
	UPDATE hall.rating_requests r SET rated_at = t, rating_id = v_id, channel = 'pad' WHERE r.id = rq.id;
	RETURN v_id;
END $$;

-- ------------------------------------------------------------ the job

-- SMS for the requests unrated rating_sms_after_minutes after they opened
-- (to the ticket's phone, else the linked case's applicant's; none: the
-- step is recorded all the same, the request leaves the pad), then the
-- default ratings of those unrated rating_default_days days (0 = never).
-- Runs are serialised by an advisory lock.
CREATE FUNCTION hall.rating_requests_run(OUT sms int, OUT defaulted int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	t timestamptz := hall.now();
	v_min int := coalesce(hall.setting_int('rating_sms_after_minutes'), 30);
	v_days int := coalesce(hall.setting_int('rating_default_days'), 0);
	v_level int := coalesce(hall.setting_int('rating_default_level'), 3);
	v_text text := coalesce(hall.setting('rating_sms_text'), '');
	v_link text := coalesce(hall.setting('rating_link'), '');
	v_hall text := coalesce(hall.setting('hall_name'), '');
	r record;
	v_msg text;
	v_out bigint;
	v_rating bigint;
BEGIN
	sms := 0;
	defaulted := 0;
	PERFORM pg_advisory_xact_lock(hashtext('hall.rating_requests_run'));
	FOR r IN
		SELECT q.id, q.key, x.id AS ticket_id, x.label, x.application_id, w.name AS window_name,
		       coalesce(nullif(x.phone, ''), nullif(p.phone, '')) AS phone
		FROM hall.rating_requests q
		JOIN hall.tickets x ON x.id = q.ticket_id
		JOIN hall.windows w ON w.code = q.window_code
		LEFT JOIN hall.applications a ON a.id = x.application_id
		LEFT JOIN hall.applicants p ON p.id = a.applicant_id
		WHERE q.rating_id IS NULL AND q.sms_at IS NULL AND q.opened_at <= t - make_interval(mins => v_min)
		ORDER BY q.id
		FOR UPDATE OF q
	LOOP
		v_out := NULL;
		IF r.phone IS NOT NULL THEN
			v_msg := replace(replace(replace(replace(v_text, '{hall}', v_hall), '{window}', r.window_name),
			                 '{label}', r.label), '{link}', replace(v_link, '{key}', r.key::text));
			v_out := hall.enqueue('rating_sms', 'applicant', r.application_id, NULL,
				jsonb_build_object('event', 'rating_sms', 'ticket', r.label, 'phone', r.phone, 'text', v_msg,
				                   'key', r.key));
			sms := sms + 1;
		END IF;
		UPDATE hall.rating_requests q SET sms_at = t, sms_outbox_id = v_out WHERE q.id = r.id;
	END LOOP;
	IF v_days > 0 THEN
		FOR r IN
			SELECT q.*, x.application_id, x.label
			FROM hall.rating_requests q
			JOIN hall.tickets x ON x.id = q.ticket_id
			WHERE q.rating_id IS NULL
			  AND (q.opened_at AT TIME ZONE 'Asia/Shanghai')::date <= hall.today() - v_days
			ORDER BY q.id
			FOR UPDATE OF q
		LOOP
			v_rating := hall.rating_record('service', r.ticket_id, r.staff_id, r.department_code, v_level, '', false,
				r.application_id, NULL, jsonb_build_object('ticket', r.ticket_id, 'label', r.label, 'channel', 'default'));
			UPDATE hall.rating_requests q SET rated_at = t, rating_id = v_rating, channel = 'default', defaulted_at = t
			WHERE q.id = r.id;
			defaulted := defaulted + 1;
		END LOOP;
	END IF;
END $$;

-- What pg_cron calls: the number of SMS queued and ratings defaulted.
CREATE FUNCTION hall.rating_requests_job() RETURNS int
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ SELECT r.sms + r.defaulted FROM hall.rating_requests_run() r $$;

-- ------------------------------------------------------------ figures

-- Per line, window or clerk of the department, tickets of from_day to
-- to_day: served (done), wait (taken or slot to first call) and service
-- (last call to finish) in seconds, no-shows (dropped), and the shares of
-- the served rated at the pad, online (by the SMS link), by default, and
-- not rated.  A supervisor reads their department (department NULL: the
-- same); the trainer, the director and an administrator any (NULL: all).
CREATE FUNCTION hall.ticket_figures(department text, from_day date, to_day date, by text)
RETURNS TABLE (key text, name text, served int, wait_avg_s numeric, wait_p90_s numeric, service_avg_s numeric,
               no_shows int, rated_pad numeric, rated_sms numeric, defaulted numeric, unrated numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_scope text := hall.timeliness_scope();
	v_dept text := coalesce(ticket_figures.department, v_scope);
BEGIN
	PERFORM hall.timeliness_period(from_day, to_day);
	IF v_scope IS NOT NULL AND v_dept IS DISTINCT FROM v_scope
	   AND NOT pg_catalog.pg_has_role(session_user, 'hall_admin', 'MEMBER')
	   AND (hall.me()).kind = 'supervisor' THEN
		RAISE EXCEPTION 'a supervisor reads the figures of their own department'
			USING ERRCODE = '42501', HINT = 'reason:not_your_department';
	END IF;
	IF ticket_figures.by IS NULL OR ticket_figures.by NOT IN ('line', 'window', 'clerk') THEN
		RAISE EXCEPTION 'ticket figures are by line, window or clerk, not "%"', ticket_figures.by
			USING ERRCODE = '22023', HINT = 'reason:figures_by';
	END IF;
	RETURN QUERY
	WITH x AS MATERIALIZED (
		SELECT CASE ticket_figures.by WHEN 'line' THEN k.line_code WHEN 'window' THEN k.window_code
		            ELSE k.staff_id::text END AS key,
		       k.state,
		       extract(epoch FROM k.called_at - greatest(k.taken_at, coalesce(k.slot_at, k.taken_at))) AS wait_s,
		       extract(epoch FROM k.finished_at - k.last_called_at) AS service_s,
		       q.channel
		FROM hall.tickets k
		LEFT JOIN hall.rating_requests q ON q.ticket_id = k.id
		WHERE k.day BETWEEN from_day AND to_day AND (v_dept IS NULL OR k.department_code = v_dept)
		  AND k.state IN ('done', 'dropped')
	)
	SELECT x.key,
	       CASE ticket_figures.by WHEN 'line' THEN (SELECT l.name FROM hall.lines l WHERE l.code = x.key)
	            WHEN 'window' THEN (SELECT w.name FROM hall.windows w WHERE w.code = x.key)
	            ELSE (SELECT s.name FROM hall.staff s WHERE s.id::text = x.key) END,
	       count(*) FILTER (WHERE x.state = 'done')::int,
	       round(avg(x.wait_s) FILTER (WHERE x.state = 'done')::numeric, 1),
	       round((percentile_cont(0.9) WITHIN GROUP (ORDER BY x.wait_s) FILTER (WHERE x.state = 'done'))::numeric, 1),
	       round(avg(x.service_s) FILTER (WHERE x.state = 'done')::numeric, 1),
	       count(*) FILTER (WHERE x.state = 'dropped')::int,
	       round(count(*) FILTER (WHERE x.channel = 'pad')::numeric / nullif(count(*) FILTER (WHERE x.state = 'done'), 0), 4),
	       round(count(*) FILTER (WHERE x.channel IN ('sms', 'online'))::numeric / nullif(count(*) FILTER (WHERE x.state = 'done'), 0), 4),
	       round(count(*) FILTER (WHERE x.channel = 'default')::numeric / nullif(count(*) FILTER (WHERE x.state = 'done'), 0), 4),
	       round(count(*) FILTER (WHERE x.state = 'done' AND x.channel IS NULL)::numeric
	             / nullif(count(*) FILTER (WHERE x.state = 'done'), 0), 4)
	FROM x
	WHERE x.key IS NOT NULL
	GROUP BY x.key
	ORDER BY x.key;
END $$;

-- ------------------------------------------------------------------ reading

ALTER TABLE hall.tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.calls ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.window_status ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.rating_requests ENABLE ROW LEVEL SECURITY;

-- Tickets: a clerk those of their windows' lines and those their windows
-- called; a supervisor the department's; the trainer and director all.
CREATE POLICY clerk_lines ON hall.tickets FOR SELECT TO hall_clerk
	USING (line_code = ANY ((SELECT hall.my_lines())::text[]) OR window_code = ANY ((SELECT hall.my_windows())::text[]));
CREATE POLICY supervisor_department ON hall.tickets FOR SELECT TO hall_supervisor
	USING (department_code = (SELECT hall.my_department()));
CREATE POLICY trainer_all ON hall.tickets FOR SELECT TO hall_trainer, hall_director USING (true);

CREATE POLICY of_visible_ticket ON hall.calls FOR SELECT TO hall_clerk, hall_supervisor
	USING ((SELECT true FROM hall.tickets x WHERE x.id = calls.ticket_id));
CREATE POLICY trainer_all ON hall.calls FOR SELECT TO hall_trainer, hall_director USING (true);

CREATE POLICY clerk_windows ON hall.window_status FOR SELECT TO hall_clerk
	USING (window_code = ANY ((SELECT hall.my_windows())::text[]));
CREATE POLICY supervisor_department ON hall.window_status FOR SELECT TO hall_supervisor
	USING (EXISTS (SELECT 1 FROM hall.windows w WHERE w.code = window_status.window_code
	                                          AND w.department_code = (SELECT hall.my_department())));
CREATE POLICY trainer_all ON hall.window_status FOR SELECT TO hall_trainer, hall_director USING (true);

-- A clerk sees their own requests (whether rated and how, never before the
-- rating is final: it is written in one statement), a supervisor the
-- department's.
CREATE POLICY own ON hall.rating_requests FOR SELECT TO hall_clerk
	USING (staff_id = (SELECT hall.my_id()));
CREATE POLICY supervisor_department ON hall.rating_requests FOR SELECT TO hall_supervisor
	USING (department_code = (SELECT hall.my_department()));
CREATE POLICY trainer_all ON hall.rating_requests FOR SELECT TO hall_trainer, hall_director USING (true);

GRANT SELECT ON hall.lines, hall.line_items, hall.window_lines, hall.calls, hall.window_status,
	hall.rating_requests
	TO hall_clerk, hall_supervisor, hall_trainer, hall_director;
-- Never the full phone number (domain.md, personal data): the masked one.
GRANT SELECT (id, line_code, department_code, day, number, label, channel, slot_at, phone_masked, taken_at,
	queue_rank, queue_at, state, called_at, last_called_at, window_code, staff_id, recalls, skips, finished_at,
	dropped_at, application_id) ON hall.tickets
	TO hall_clerk, hall_supervisor, hall_trainer, hall_director;
GRANT SELECT ON hall.pads TO hall_trainer;

-- The windows of the caller: status, the ticket at the counter, the
-- waiting count of the window's lines (today's, callable now).
CREATE VIEW hall.v_my_window WITH (security_invoker = true) AS
SELECT sw.window_code, w.name AS window_name,
       coalesce(ws.status, 'idle') AS status, ws.reason, ws.since, ws.staff_id, s.name AS staff_name,
       ws.ticket_id, tk.label, tk.line_code, l.name AS line_name, tk.channel, tk.last_called_at AS called_at,
       tk.recalls, tk.skips, tk.application_id,
       (SELECT count(*) FROM hall.tickets x
        WHERE x.line_code IN (SELECT wl.line_code FROM hall.window_lines wl WHERE wl.window_code = sw.window_code)
          AND x.day = c.today AND x.state = 'waiting' AND x.queue_at <= c.t)::int AS waiting
FROM hall.staff_windows sw
JOIN hall.windows w ON w.code = sw.window_code
LEFT JOIN hall.window_status ws ON ws.window_code = sw.window_code
LEFT JOIN hall.staff s ON s.id = ws.staff_id
LEFT JOIN hall.tickets tk ON tk.id = ws.ticket_id
LEFT JOIN hall.lines l ON l.code = tk.line_code
CROSS JOIN (SELECT hall.today() AS today, hall.now() AS t OFFSET 0) c
WHERE sw.staff_id = (SELECT hall.my_id());

-- Today's waiting per line the reader may see (a clerk: the lines of their
-- windows), with the longest wait so far.
CREATE VIEW hall.v_line_waiting WITH (security_invoker = true) AS
SELECT l.code AS line_code, l.name, l.department_code,
       count(x.id)::int AS waiting,
       count(x.id) FILTER (WHERE x.queue_rank = 0)::int AS green,
       min(x.queue_at) AS oldest_at
FROM hall.lines l
CROSS JOIN (SELECT hall.today() AS today, hall.now() AS t OFFSET 0) c
LEFT JOIN hall.tickets x ON x.line_code = l.code AND x.day = c.today AND x.state = 'waiting' AND x.queue_at <= c.t
WHERE (SELECT hall.my_kind()) <> 'clerk' OR l.code = ANY ((SELECT hall.my_lines())::text[])
GROUP BY l.code, l.name, l.department_code, l.ord
ORDER BY l.ord, l.code;

-- hall.v_ratings (006) with a service rating's target: the ticket's label
-- and its line.
CREATE OR REPLACE VIEW hall.v_ratings WITH (security_invoker = true) AS
SELECT r.id, r.kind, r.target_id,
       coalesce(a.case_no || ' ' || i.name, q.ref || ' ' || q.subject, tk.label || ' ' || tl.name) AS target,
       r.staff_id, s.login, s.name AS staff_name, r.department_code, r.level, r.comment, r.proactive,
       r.rated_at, r.counts, r.appeal_state, r.appeal_reason, r.appeal_at, r.appeal_note, r.appeal_judged_at,
       r.followup_level, r.followup_comment, r.followup_at,
       x.rating_id IS NOT NULL AS bad,
       x.opened_at, x.callback_due, x.rectify_due,
       x.verified_at, x.verify_note, x.rectified_at, x.rectify_note, x.callback_at, x.callback_note, x.closed_at,
       (x.rating_id IS NOT NULL AND x.closed_at IS NULL) AS rectification_open,
       coalesce(x.callback_at > hall.end_of_day(x.callback_due)
                OR (x.callback_at IS NULL AND t.today > x.callback_due), false) AS callback_late,
       coalesce(x.rectified_at > hall.end_of_day(x.rectify_due)
                OR (x.rectified_at IS NULL AND t.today > x.rectify_due), false) AS rectify_late
FROM hall.ratings r
JOIN hall.staff s ON s.id = r.staff_id
LEFT JOIN hall.rectifications x ON x.rating_id = r.id
LEFT JOIN hall.applications a ON r.kind = 'application' AND a.id = r.target_id
LEFT JOIN hall.items i ON i.id = a.item_id
LEFT JOIN hall.inquiries q ON r.kind = 'inquiry' AND q.id = r.target_id
LEFT JOIN hall.tickets tk ON r.kind = 'service' AND tk.id = r.target_id
LEFT JOIN hall.lines tl ON tl.code = tk.line_code
CROSS JOIN (SELECT hall.today() AS today OFFSET 0) t;

GRANT SELECT ON hall.v_my_window, hall.v_line_waiting TO hall_clerk, hall_supervisor, hall_trainer;
GRANT EXECUTE ON FUNCTION hall.my_lines() TO hall_clerk, hall_supervisor, hall_trainer;

-- ------------------------------------------------------------------ grants

REVOKE ALL ON FUNCTION hall.window_lock(text), hall.ticket_lock(bigint),
	hall.ticket_log(text, hall.tickets, text, text, text, jsonb), hall.pad_check(text),
	hall.rating_requests_run(), hall.rating_requests_job() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.take_ticket(text, text, timestamptz, text) TO hall_portal;
GRANT EXECUTE ON FUNCTION hall.demo_take_ticket(text, text, timestamptz, text) TO hall_trainer;
GRANT EXECUTE ON FUNCTION hall.window_set_status(text, text, text), hall.call_next(text), hall.recall(bigint),
	hall.skip_ticket(bigint), hall.finish_ticket(bigint), hall.link_ticket(bigint, bigint)
	TO hall_clerk;
GRANT EXECUTE ON FUNCTION hall.display_calls(text[], int), hall.display_waiting(text[])
	TO hall_display, hall_clerk, hall_supervisor, hall_trainer;
GRANT EXECUTE ON FUNCTION hall.pad_request(text), hall.pad_rate(bigint, int, text) TO hall_pad;
GRANT EXECUTE ON FUNCTION hall.ticket_figures(text, date, date, text)
	TO hall_supervisor, hall_trainer, hall_director;
-- The job: the owner, the cron job (a superuser) and hall_cards (the
-- systemd timer's login, 017) only.
GRANT EXECUTE ON FUNCTION hall.rating_requests_run(), hall.rating_requests_job() TO hall_cards;

-- ------------------------------------------------------------------ schedule
--
-- As the cards of 017: pg_cron runs SELECT hall.rating_requests_job()
-- every minute as the migrating superuser when it can (superuser,
-- preloaded, this database); anywhere else a NOTICE, and `hallctl cards`
-- (a member of hall_cards) calls hall.rating_requests_run() from the
-- systemd timer.
DO $$ BEGIN PERFORM hall.schedule_minutely('hall_rating_requests', 'SELECT hall.rating_requests_job()',
	'the rating SMS and default ratings are not scheduled in this database: %s; run `hallctl cards` every minute'); END $$;
