-- Working hours and response timeliness (the supervisors' issue, first
-- slice: the database only).  doc/timeliness.md defines every figure.
--
--   hall.opening_hours          the hall's opening hours per ISO weekday, with
--                               the lunch break (several spans a day)
--   hall.working_seconds(a, b)  seconds of opening hours between two instants
--                               (working_seconds_each: many at once)
--   hall.working_deadline(t, s) the instant s seconds of opening hours after t
--   hall.hours_set(...)         the administrator changes a weekday's hours
--   hall.hours_makeup(d)        ... and which weekday's a make-up day keeps
--   hall.timeliness_clerks / _windows / _department / _daily
--                               the supervisor's figures for a period
--
-- Which hours a date has: a holiday (hall.calendar 'holiday') none; a
-- make-up working day on a weekend (hall.calendar 'workday', 调休上班) those
-- of the weekday in setting makeup_hours_isodow (1 = Monday); any other date
-- those of its own weekday (Saturday and Sunday have none unless the
-- administrator gives them some).  Times are Asia/Shanghai wall-clock
-- times; Shanghai has kept no daylight saving time since 1991, so a local
-- hour is a real hour.
SET LOCAL ROLE hall_admin;

-- ------------------------------------------------------------ opening hours

CREATE TABLE hall.opening_hours (
	isodow int  NOT NULL CHECK (isodow BETWEEN 1 AND 7),   -- 1 = Monday ... 7 = Sunday
	opens  time NOT NULL,
	closes time NOT NULL,                                 -- '24:00' = midnight at the end of the day
	PRIMARY KEY (isodow, opens),
	CHECK (opens < closes)
);
COMMENT ON TABLE hall.opening_hours IS
	'the hall''s opening hours per ISO weekday (several spans a day: the lunch break); hall.hours_set changes them';
INSERT INTO hall.opening_hours (isodow, opens, closes)
SELECT d, s.opens::time, s.closes::time
FROM generate_series(1, 5) d, (VALUES ('09:00', '12:00'), ('13:00', '17:00')) s(opens, closes);

-- The spans of one weekday may not overlap, however the rows are written
-- (hall.hours_set checks first and says which; this catches a bulk load).
CREATE FUNCTION hall.opening_hours_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v record;
BEGIN
	SELECT a.isodow, a.opens AS a_opens, a.closes AS a_closes, b.opens AS b_opens, b.closes AS b_closes INTO v
	FROM hall.opening_hours a
	JOIN hall.opening_hours b ON b.isodow = a.isodow AND b.opens > a.opens AND b.opens < a.closes
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'opening hours of weekday %: % overlaps %', v.isodow,
			to_char(v.a_opens, 'HH24:MI') || '-' || to_char(v.a_closes, 'HH24:MI'),
			to_char(v.b_opens, 'HH24:MI') || '-' || to_char(v.b_closes, 'HH24:MI')
			USING ERRCODE = '22023', HINT = 'reason:hours_overlap';
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER opening_hours_check AFTER INSERT OR UPDATE ON hall.opening_hours
	FOR EACH STATEMENT EXECUTE FUNCTION hall.opening_hours_check();

INSERT INTO hall.settings (key, value, note) VALUES
	('makeup_hours_isodow', '1', 'a make-up working day on a weekend (调休上班) has the opening hours of this weekday (1 = Monday ... 7)');

INSERT INTO hall.text_fields (field, what, multiline, min_chars, max_chars) VALUES
	('opening_spans', 'the opening hours of a day (09:00-12:00,13:00-17:00)', false, 0, 200);

-- The hours are configuration, as the calendar is: the demo generator and
-- hall.demo_reset() (012) must neither empty nor restore them.  This is
-- 012's list with opening_hours added.
CREATE OR REPLACE FUNCTION hall.demo_data_tables() RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT c.relname::text
	FROM pg_catalog.pg_class c
	WHERE c.relnamespace = 'hall'::regnamespace AND c.relkind IN ('r', 'p')
	  AND c.relname NOT IN ('calendar', 'calendar_years', 'days', 'settings', 'text_fields', 'opening_hours')
	ORDER BY 1
$$;

-- The opening spans of every date from from_day to to_day, in order.
CREATE FUNCTION hall.opening_spans(from_day date, to_day date)
RETURNS TABLE (d date, opens time, closes time)
LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT g.d, h.opens, h.closes
	FROM (SELECT coalesce(hall.setting_int('makeup_hours_isodow'), 1) AS makeup OFFSET 0) s
	CROSS JOIN LATERAL (SELECT t::date AS d FROM generate_series(from_day::timestamp, to_day::timestamp, interval '1 day') t) g
	LEFT JOIN hall.calendar c ON c.d = g.d
	JOIN hall.opening_hours h ON h.isodow = CASE
		WHEN c.kind = 'holiday' THEN 0
		WHEN c.kind = 'workday' AND extract(isodow FROM g.d) >= 6 THEN s.makeup
		ELSE extract(isodow FROM g.d)::int END
	ORDER BY g.d, h.opens
$$;

-- Seconds of opening hours in [t0, t1); 0 when t1 <= t0.  One set-based
-- sum over the spans of the dates from t0's to t1's (opening_spans' rule,
-- written out here so that a call is one query, about 50 us).
CREATE FUNCTION hall.working_seconds(t0 timestamptz, t1 timestamptz) RETURNS bigint
LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT coalesce(sum(extract(epoch FROM least(g.d + h.closes, x.l1) - greatest(g.d + h.opens, x.l0))), 0)::bigint
	FROM (SELECT t0 AT TIME ZONE 'Asia/Shanghai' AS l0, t1 AT TIME ZONE 'Asia/Shanghai' AS l1,
	             coalesce(hall.setting_int('makeup_hours_isodow'), 1) AS makeup
	      OFFSET 0) x
	CROSS JOIN LATERAL (SELECT t::date AS d
	                    FROM generate_series(x.l0::date::timestamp, x.l1::date::timestamp, interval '1 day') t) g
	LEFT JOIN hall.calendar c ON c.d = g.d
	JOIN hall.opening_hours h ON h.isodow = CASE
		WHEN c.kind = 'holiday' THEN 0
		WHEN c.kind = 'workday' AND extract(isodow FROM g.d) >= 6 THEN x.makeup
		ELSE extract(isodow FROM g.d)::int END
	WHERE x.l1 > x.l0
	  AND g.d + h.closes > x.l0 AND g.d + h.opens < x.l1
$$;

-- working_seconds for many intervals at once, set-based: the answer for
-- (t0[n], t1[n]) in row n (NULL when either is NULL, 0 when t1 <= t0).  The
-- opening spans of the dates the intervals touch are read once, into
-- arrays in time order with the opening time before each span; an
-- instant's position is that of the last span opened at or before it
-- (width_bucket: a binary search) plus what of that span has passed, and
-- an interval's seconds the difference of its two positions.  No join or
-- sort per interval, whatever its length: a department's month, 6,000
-- reply times, in 25 - 40 ms (the joins on the date it replaces: 45 -
-- 90 ms).  (The timeliness figures compute every reply time of a period
-- with one call.)
CREATE FUNCTION hall.working_seconds_each(t0 timestamptz[], t1 timestamptz[])
RETURNS TABLE (n int, seconds bigint)
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	WITH p AS MATERIALIZED (
		SELECT u.n::int AS n, u.a AT TIME ZONE 'Asia/Shanghai' AS l0, u.b AT TIME ZONE 'Asia/Shanghai' AS l1
		FROM unnest(t0, t1) WITH ORDINALITY u(a, b, n)
	), sp AS (
		SELECT array_agg(s.o ORDER BY s.o) AS o, array_agg(s.c ORDER BY s.o) AS c, array_agg(s.before ORDER BY s.o) AS b
		FROM (SELECT x.d + x.opens AS o, x.d + x.closes AS c,
		             coalesce(sum(x.closes - x.opens) OVER (ORDER BY x.d, x.opens ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
		                      interval '0') AS before
		      FROM (SELECT min(p.l0)::date AS lo, max(p.l1)::date AS hi FROM p WHERE p.l1 > p.l0) r,
		           hall.opening_spans(r.lo, r.hi) x) s
	)
	SELECT p.n, CASE WHEN p.l0 IS NULL OR p.l1 IS NULL THEN NULL
	                 WHEN p.l1 <= p.l0 THEN 0
	                 ELSE extract(epoch FROM
	                        CASE WHEN w.i1 = 0 THEN interval '0' ELSE sp.b[w.i1] + (least(p.l1, sp.c[w.i1]) - sp.o[w.i1]) END
	                      - CASE WHEN w.i0 = 0 THEN interval '0' ELSE sp.b[w.i0] + (least(p.l0, sp.c[w.i0]) - sp.o[w.i0]) END)::bigint END
	FROM p
	CROSS JOIN sp
	CROSS JOIN LATERAL (SELECT coalesce(width_bucket(p.l0, sp.o), 0) AS i0, coalesce(width_bucket(p.l1, sp.o), 0) AS i1) w
	ORDER BY p.n
$$;

-- The instant when `seconds` seconds of opening hours have passed after t0:
-- the inverse of working_seconds (working_seconds(t0, working_deadline(t0, s))
-- = s).  0 gives t0; a count that ends exactly at a closing time gives that
-- closing time, not the next opening.  Walks the spans a month at a time.
CREATE FUNCTION hall.working_deadline(t0 timestamptz, seconds bigint) RETURNS timestamptz
LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	l0 timestamp := t0 AT TIME ZONE 'Asia/Shanghai';
	v_left bigint := working_deadline.seconds;
	v_from date := (t0 AT TIME ZONE 'Asia/Shanghai')::date;
	v_start timestamp;
	v_len bigint;
	r record;
BEGIN
	IF v_left < 0 THEN
		RAISE EXCEPTION 'working_deadline: seconds must not be negative (got %)', v_left
			USING ERRCODE = '22023', HINT = 'reason:seconds_negative';
	END IF;
	IF v_left = 0 THEN
		RETURN t0;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM hall.opening_hours) THEN
		RAISE EXCEPTION 'the hall has no opening hours: no deadline in working hours can be computed'
			USING ERRCODE = '55000', HINT = 'reason:no_opening_hours';
	END IF;
	WHILE v_from <= '2099-12-31'::date LOOP
		FOR r IN SELECT s.d, s.opens, s.closes FROM hall.opening_spans(v_from, v_from + 30) s LOOP
			v_start := greatest(r.d + r.opens, l0);
			CONTINUE WHEN v_start >= r.d + r.closes;
			v_len := extract(epoch FROM (r.d + r.closes) - v_start)::bigint;
			IF v_left <= v_len THEN
				RETURN (v_start + v_left * interval '1 second') AT TIME ZONE 'Asia/Shanghai';
			END IF;
			v_left := v_left - v_len;
		END LOOP;
		v_from := v_from + 31;
	END LOOP;
	RAISE EXCEPTION 'working_deadline: % + % working seconds is outside the calendar (2000-2099)', t0, seconds
		USING ERRCODE = '22008', HINT = 'reason:calendar_range';
END $$;

-- A weekday's hours as text, '09:00-12:00,13:00-17:00' ('' = closed).
CREATE FUNCTION hall.hours_spans(isodow int) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT coalesce(string_agg(to_char(h.opens, 'HH24:MI') || '-' || to_char(h.closes, 'HH24:MI'), ',' ORDER BY h.opens), '')
	FROM hall.opening_hours h
	WHERE h.isodow = hours_spans.isodow
$$;

-- ------------------------------------------------ administration (hallctl hours)

-- Set the opening hours of one weekday: spans 'HH:MM-HH:MM' separated by
-- commas, in order, not overlapping; '' closes the day.  Returns the hours
-- as stored.  Audited (before and after).
CREATE FUNCTION hall.hours_set(isodow int, spans text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_spans text := hall.optional_text(hours_set.spans, 'opening_spans');
	v_before text;
	v_after text;
	v_opens time[] := '{}';
	v_closes time[] := '{}';
	p record;
	m text[];
	k int;
	v_pair text;
BEGIN
	IF hours_set.isodow IS NULL OR hours_set.isodow NOT BETWEEN 1 AND 7 THEN
		RAISE EXCEPTION 'weekday %: 1 (Monday) to 7 (Sunday)', hours_set.isodow
			USING ERRCODE = '22023', HINT = 'reason:isodow';
	END IF;
	IF hours_set.spans IS NULL THEN
		RAISE EXCEPTION 'opening hours of weekday %: give the spans (09:00-12:00,13:00-17:00), or '''' to close the day', hours_set.isodow
			USING ERRCODE = '22023', HINT = 'reason:hours_format';
	END IF;
	IF v_spans <> '' THEN
		FOR p IN SELECT x.s, x.n FROM regexp_split_to_table(v_spans, '\s*[,，]\s*') WITH ORDINALITY x(s, n) ORDER BY x.n LOOP
			m := regexp_match(p.s, '^([01]?[0-9]|2[0-3]):([0-5][0-9])\s*-\s*([01]?[0-9]|2[0-3]|24):([0-5][0-9])$');
			IF m IS NULL OR (m[3] = '24' AND m[4] <> '00') THEN
				RAISE EXCEPTION 'opening hours "%": each span is HH:MM-HH:MM (00:00 to 24:00), spans separated by commas', p.s
					USING ERRCODE = '22023', HINT = 'reason:hours_format';
			END IF;
			v_opens := v_opens || make_time(m[1]::int, m[2]::int, 0);
			v_closes := v_closes || make_time(m[3]::int, m[4]::int, 0);
			k := cardinality(v_opens);
			IF v_opens[k] >= v_closes[k] THEN
				RAISE EXCEPTION 'opening hours "%": the hall must open before it closes', p.s
					USING ERRCODE = '22023', HINT = 'reason:hours_order';
			END IF;
		END LOOP;
		-- Overlap first (whatever the order they were written in), then order.
		SELECT a.s || ' and ' || b.s INTO v_pair
		FROM unnest(v_opens, v_closes) WITH ORDINALITY a0(o, c, n)
		CROSS JOIN LATERAL (SELECT to_char(a0.o, 'HH24:MI') || '-' || to_char(a0.c, 'HH24:MI') AS s) a
		JOIN unnest(v_opens, v_closes) WITH ORDINALITY b0(o, c, n) ON b0.n > a0.n AND b0.o < a0.c AND a0.o < b0.c
		CROSS JOIN LATERAL (SELECT to_char(b0.o, 'HH24:MI') || '-' || to_char(b0.c, 'HH24:MI') AS s) b
		ORDER BY a0.n, b0.n LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'opening hours of weekday %: the spans % overlap', hours_set.isodow, v_pair
				USING ERRCODE = '22023', HINT = 'reason:hours_overlap';
		END IF;
		FOR k IN 2 .. cardinality(v_opens) LOOP
			IF v_opens[k] < v_opens[k - 1] THEN
				RAISE EXCEPTION 'opening hours of weekday %: write the spans in order of the day (% after %)', hours_set.isodow,
					to_char(v_opens[k], 'HH24:MI') || '-' || to_char(v_closes[k], 'HH24:MI'),
					to_char(v_opens[k - 1], 'HH24:MI') || '-' || to_char(v_closes[k - 1], 'HH24:MI')
					USING ERRCODE = '22023', HINT = 'reason:hours_order';
			END IF;
		END LOOP;
	END IF;

	v_before := hall.hours_spans(hours_set.isodow);
	DELETE FROM hall.opening_hours h WHERE h.isodow = hours_set.isodow;
	INSERT INTO hall.opening_hours (isodow, opens, closes)
	SELECT hours_set.isodow, o, c FROM unnest(v_opens, v_closes) u(o, c);
	v_after := hall.hours_spans(hours_set.isodow);
	PERFORM hall.log('hours_set', NULL, NULL, NULL, NULL, NULL, NULL, '',
		jsonb_build_object('isodow', hours_set.isodow, 'before', v_before, 'after', v_after));
	RETURN v_after;
END $$;

-- Which weekday's hours a make-up working day on a weekend keeps.
CREATE FUNCTION hall.hours_makeup(isodow int) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_before text := hall.setting('makeup_hours_isodow');
BEGIN
	IF hours_makeup.isodow IS NULL OR hours_makeup.isodow NOT BETWEEN 1 AND 7 THEN
		RAISE EXCEPTION 'weekday %: 1 (Monday) to 7 (Sunday)', hours_makeup.isodow
			USING ERRCODE = '22023', HINT = 'reason:isodow';
	END IF;
	UPDATE hall.settings SET value = hours_makeup.isodow::text WHERE key = 'makeup_hours_isodow';
	PERFORM hall.log('hours_makeup', NULL, NULL, NULL, NULL, v_before, hours_makeup.isodow::text, '',
		jsonb_build_object('isodow', hours_makeup.isodow));
END $$;

-- hall_admin (the owner) and its members only.
REVOKE ALL ON FUNCTION hall.hours_set(int, text), hall.hours_makeup(int), hall.opening_hours_check() FROM PUBLIC;
GRANT SELECT ON hall.opening_hours TO hall_clerk, hall_supervisor, hall_trainer, hall_director;
GRANT EXECUTE ON FUNCTION hall.opening_spans(date, date), hall.working_seconds(timestamptz, timestamptz),
	hall.working_seconds_each(timestamptz[], timestamptz[]),
	hall.working_deadline(timestamptz, bigint), hall.hours_spans(int)
	TO hall_clerk, hall_supervisor, hall_trainer, hall_director;

-- --------------------------------------------------------------- timeliness
--
-- SECURITY INVOKER: every row is read through the caller's row-level
-- security (004), and besides that restricted to the caller's department
-- (a supervisor) or to nothing (the trainer: the whole hall).  Clerks are
-- refused (42501, reason:supervisor_only): these figures compare
-- colleagues.  A period is whole days [from_day, to_day], Asia/Shanghai.

-- The caller's department, NULL for the whole hall; 42501 for anybody
-- else.  A supervisor: their own department, always.  The hall-wide
-- callers (the trainer, the director, and for `hallctl report` an
-- administrator who is not staff: a member of hall_admin) read the whole
-- hall, or one department when the session says so with
-- SET hall.scope_department = 'CODE' (narrowing only: a supervisor's
-- setting is ignored, never widens).
CREATE FUNCTION hall.timeliness_scope() RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff;
	v_narrow text := nullif(current_setting('hall.scope_department', true), '');
BEGIN
	IF pg_catalog.pg_has_role(session_user, 'hall_admin', 'MEMBER')
	   AND NOT EXISTS (SELECT 1 FROM hall.staff s WHERE s.login = session_user) THEN
		RETURN v_narrow;
	END IF;
	me := hall.me();
	IF me.kind = 'supervisor' AND me.department_code IS NOT NULL THEN
		RETURN me.department_code;
	ELSIF me.kind IN ('trainer', 'director') THEN
		RETURN v_narrow;
	END IF;
	RAISE EXCEPTION 'only a supervisor (or the trainer) may read the timeliness figures'
		USING ERRCODE = '42501', HINT = 'reason:supervisor_only';
END $$;

CREATE FUNCTION hall.timeliness_period(from_day date, to_day date) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF from_day IS NULL OR to_day IS NULL OR to_day < from_day THEN
		RAISE EXCEPTION 'a period runs from one day to the same or a later day (got % to %)', from_day, to_day
			USING ERRCODE = '22023', HINT = 'reason:period';
	END IF;
	IF to_day - from_day >= 366 THEN
		RAISE EXCEPTION 'a period is at most 366 days (got %)', to_day - from_day + 1
			USING ERRCODE = '22023', HINT = 'reason:period_long:366';
	END IF;
END $$;

-- One row per event that a figure counts, tagged with who (staff_id),
-- where (window_code) and which department it belongs to:
--   completed     a case completed in the period (staff: closed_by)
--   accept_miss   a case whose acceptance deadline (§32) fell in the period
--                 and passed without acceptance (staff: whoever accepted
--                 it late, from the audit log; NULL if never accepted)
--   answered      an inquiry answered in the period (staff: answered_by;
--                 no window), with its reply time in working seconds
--   open_case     an open case overdue or due soon now (staff: its holder,
--                 NULL when unclaimed or returned)
--   open_inquiry  an open inquiry overdue or due soon now (no staff, no window)
--   breach        a return in the period that broke the one-time notice
--   bad_rating    a bad rating (level 1-2, still counting) given in the
--                 period (window: the rated case's; none for an inquiry)
-- jit is off: compiling this one big query took longer (1.3 s on the demo)
-- than running it.
CREATE FUNCTION hall.timeliness_facts(from_day date, to_day date)
RETURNS TABLE (fact text, staff_id int, window_code text, department_code text, day date,
               on_time boolean, early boolean, overdue boolean, due_soon boolean, secs bigint, rectified boolean)
LANGUAGE plpgsql STABLE SET jit = off SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_dept text := hall.timeliness_scope();
	v_all boolean := v_dept IS NULL;
	v_today date := hall.today();
	v_soon date;      -- due soon: deadline in [today, v_soon)
	p0 timestamptz;
	p1 timestamptz;
BEGIN
	PERFORM hall.timeliness_period(from_day, to_day);
	v_soon := hall.workday_add(v_today, coalesce(hall.setting_int('warn_days'), 1) + 1);
	p0 := hall.end_of_day(from_day - 1);
	p1 := hall.end_of_day(to_day);
	RETURN QUERY
	WITH miss AS MATERIALIZED (
		SELECT a.id, a.window_code, a.department_code, a.accept_due, a.accepted_on
		FROM hall.applications a
		WHERE a.accept_due BETWEEN from_day AND to_day
		  AND (a.accepted_on > a.accept_due
		       OR (a.accepted_on IS NULL
		           AND coalesce((a.closed_at AT TIME ZONE 'Asia/Shanghai')::date, v_today) > a.accept_due))
		  AND (v_all OR a.department_code = v_dept)
	), answered AS MATERIALIZED (
		SELECT q.id, q.answered_by, q.department_code, q.received_at, q.answered_at, q.due_date,
		       (q.answered_at AT TIME ZONE 'Asia/Shanghai')::date AS d, (row_number() OVER ())::int AS n
		FROM hall.inquiries q
		WHERE q.state = 'answered' AND q.answered_at >= p0 AND q.answered_at < p1
		  AND (v_all OR q.department_code = v_dept)
	), accepted_by AS (
		-- The first claim is the acceptance.  One pass over those audit rows
		-- (row-level security checked once a row, not once a case).
		SELECT DISTINCT ON (x.app_id) x.app_id, x.staff_id
		FROM hall.audit x
		WHERE x.action = 'claim' AND x.app_id IN (SELECT m.id FROM miss m WHERE m.accepted_on IS NOT NULL)
		ORDER BY x.app_id, x.id
	)
	SELECT 'completed'::text, a.closed_by, a.window_code, a.department_code, l.d,
	       NOT coalesce(l.d > a.due_date, false), coalesce(l.d < a.due_date, false),
	       NULL::boolean, NULL::boolean, NULL::bigint, NULL::boolean
	FROM hall.applications a
	CROSS JOIN LATERAL (SELECT (a.closed_at AT TIME ZONE 'Asia/Shanghai')::date AS d) l
	WHERE a.state = 'completed' AND a.closed_at >= p0 AND a.closed_at < p1
	  AND (v_all OR a.department_code = v_dept)
	UNION ALL
	SELECT 'accept_miss', b.staff_id, m.window_code, m.department_code, m.accept_due,
	       NULL, NULL, NULL, NULL, NULL, NULL
	FROM miss m
	LEFT JOIN accepted_by b ON b.app_id = m.id
	UNION ALL
	SELECT 'answered', q.answered_by, NULL, q.department_code, q.d,
	       coalesce(r.on_time, q.d <= q.due_date), NULL, NULL, NULL, w.seconds, NULL
	FROM answered q
	JOIN hall.working_seconds_each(ARRAY(SELECT x.received_at FROM answered x ORDER BY x.n),
	                               ARRAY(SELECT x.answered_at FROM answered x ORDER BY x.n)) w ON w.n = q.n
	LEFT JOIN LATERAL (SELECT x.on_time FROM hall.replies x WHERE x.inquiry_id = q.id ORDER BY x.id DESC LIMIT 1) r ON true
	UNION ALL
	SELECT 'open_case', CASE WHEN a.state IN ('in_review', 'escalated') THEN a.claimed_by END,
	       a.window_code, a.department_code, a.sort_due,
	       NULL, NULL, a.sort_due < v_today, a.sort_due >= v_today, NULL, NULL
	FROM hall.applications a
	WHERE a.state IN ('submitted', 'in_review', 'returned', 'escalated') AND a.sort_due < v_soon
	  AND (v_all OR a.department_code = v_dept)
	UNION ALL
	SELECT 'open_inquiry', NULL, NULL, q.department_code, q.due_date,
	       NULL, NULL, q.due_date < v_today, q.due_date >= v_today, NULL, NULL
	FROM hall.inquiries q
	WHERE q.state = 'open' AND q.due_date < v_soon
	  AND (v_all OR q.department_code = v_dept)
	UNION ALL
	SELECT 'breach', x.staff_id, a.window_code, a.department_code, (x.returned_at AT TIME ZONE 'Asia/Shanghai')::date,
	       NULL, NULL, NULL, NULL, NULL, NULL
	FROM hall.returns x
	JOIN hall.applications a ON a.id = x.app_id
	WHERE x.breach AND x.returned_at >= p0 AND x.returned_at < p1
	  AND (v_all OR a.department_code = v_dept)
	UNION ALL
	SELECT 'bad_rating', r.staff_id, a.window_code, r.department_code, (r.rated_at AT TIME ZONE 'Asia/Shanghai')::date,
	       NULL, NULL, NULL, NULL, NULL, coalesce(x.closed_at IS NOT NULL, false)
	FROM hall.ratings r
	LEFT JOIN hall.rectifications x ON x.rating_id = r.id
	LEFT JOIN hall.applications a ON r.kind = 'application' AND a.id = r.target_id
	WHERE r.level <= 2 AND r.counts AND r.rated_at >= p0 AND r.rated_at < p1
	  AND (v_all OR r.department_code = v_dept);
END $$;

-- The figures, per clerk (grp 'clerk', staff_id), per window (grp
-- 'window', window_code) and for everything in scope (grp 'all': one row
-- even when there is nothing).  Rates 0..1 with 4 decimals, NULL when
-- nothing was counted; reply times in working hours with 1 decimal
-- (percentile_cont: the median of an even number is the mean of the two
-- in the middle).
--
-- The same events as timeliness_facts, grouped the same way, but read
-- where they are cheapest (019_facts.sql keeps the facts in step):
--   completed      hall.completed_days, a few rows per clerk and day
--   accept_miss    hall.accept_misses, the period's misses only (the
--                  open, never accepted ones counted as of today)
--   answered       hall.answer_facts, one row per inquiry answered in
--                  the period: the reply times are computed here (they
--                  follow the opening hours; medians cannot be summed)
--   open_case, open_inquiry, breach, bad_rating: the base tables through
--                  partial indexes (open items; breaches; bad ratings)
-- live false: only what the scorecard (018) takes from here, the period's
-- completed cases, acceptance misses, answers and breaches; the other
-- columns 0 or NULL (no reply times, nothing open now, no bad ratings: the
-- scorecard counts those itself).
CREATE FUNCTION hall.timeliness_counts(from_day date, to_day date, live boolean)
RETURNS TABLE (grp text, staff_id int, window_code text,
               completed bigint, on_time bigint, late bigint, on_time_rate numeric, early bigint, early_rate numeric,
               accept_missed bigint,
               answered bigint, answered_on_time bigint, answer_on_time_rate numeric,
               reply_hours_median numeric, reply_hours_p90 numeric,
               overdue_cases bigint, due_soon_cases bigint, overdue_inquiries bigint, due_soon_inquiries bigint,
               breaches bigint, bad_ratings bigint, bad_rectified bigint)
LANGUAGE plpgsql STABLE SET jit = off SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_dept text := hall.timeliness_scope();
	v_all boolean := v_dept IS NULL;
	v_today date := hall.today();
	v_soon date;      -- due soon: deadline in [today, v_soon)
	p0 timestamptz;
	p1 timestamptz;
BEGIN
	PERFORM hall.timeliness_period(from_day, to_day);
	v_soon := hall.workday_add(v_today, coalesce(hall.setting_int('warn_days'), 1) + 1);
	p0 := hall.end_of_day(from_day - 1);
	p1 := hall.end_of_day(to_day);
	RETURN QUERY
	WITH answered AS MATERIALIZED (
		SELECT f.staff_id, f.on_time, f.received_at, f.answered_at, (row_number() OVER ())::int AS n
		FROM hall.answer_facts f
		WHERE f.day BETWEEN from_day AND to_day
		  AND (v_all OR f.department_code = v_dept)
	), times AS (
		-- the reply times' median and 90th percentile, per clerk and for
		-- all (whole): the only figures read one inquiry at a time
		SELECT GROUPING(q.staff_id) = 1 AS whole, q.staff_id,
		       percentile_cont(0.5) WITHIN GROUP (ORDER BY w.seconds) AS secs_median,
		       percentile_cont(0.9) WITHIN GROUP (ORDER BY w.seconds) AS secs_p90
		FROM answered q
		JOIN hall.working_seconds_each(ARRAY(SELECT x.received_at FROM answered x WHERE live ORDER BY x.n),
		                               ARRAY(SELECT x.answered_at FROM answered x WHERE live ORDER BY x.n)) w ON w.n = q.n
		WHERE live
		GROUP BY GROUPING SETS ((q.staff_id), ())
	), ev AS (
		-- fact, staff, window, events, of which on time / early / overdue /
		-- due soon / rectified
		SELECT 'completed'::text AS fact, c.staff_id, c.window_code,
		       sum(c.completed)::bigint AS n, sum(c.on_time)::bigint AS on_time, sum(c.early)::bigint AS early,
		       0::bigint AS overdue, 0::bigint AS due_soon, 0::bigint AS rectified
		FROM hall.completed_days c
		WHERE c.day BETWEEN from_day AND to_day
		  AND (v_all OR c.department_code = v_dept)
		GROUP BY c.staff_id, c.window_code
		UNION ALL
		SELECT 'accept_miss', CASE WHEN m.accepted_on IS NOT NULL THEN m.staff_id END, m.window_code,
		       count(*), 0, 0, 0, 0, 0
		FROM hall.accept_misses m
		WHERE m.accept_due BETWEEN from_day AND to_day
		  AND (m.accepted_on > m.accept_due OR (m.accepted_on IS NULL AND coalesce(m.closed_on, v_today) > m.accept_due))
		  AND (v_all OR m.department_code = v_dept)
		GROUP BY 2, 3
		UNION ALL
		SELECT 'answered', q.staff_id, NULL, count(*), count(*) FILTER (WHERE q.on_time), 0, 0, 0, 0
		FROM answered q
		GROUP BY q.staff_id
		UNION ALL
		SELECT 'open_case', CASE WHEN a.state IN ('in_review', 'escalated') THEN a.claimed_by END, a.window_code,
		       count(*), 0, 0, count(*) FILTER (WHERE a.sort_due < v_today), count(*) FILTER (WHERE a.sort_due >= v_today), 0
		FROM hall.applications a
		WHERE live AND a.state IN ('submitted', 'in_review', 'returned', 'escalated') AND a.sort_due < v_soon
		  AND (v_all OR a.department_code = v_dept)
		GROUP BY 2, 3
		UNION ALL
		SELECT 'open_inquiry', NULL, NULL,
		       count(*), 0, 0, count(*) FILTER (WHERE q.due_date < v_today), count(*) FILTER (WHERE q.due_date >= v_today), 0
		FROM hall.inquiries q
		WHERE live AND q.state = 'open' AND q.due_date < v_soon
		  AND (v_all OR q.department_code = v_dept)
		HAVING count(*) > 0
		UNION ALL
		SELECT 'breach', x.staff_id, a.window_code, count(*), 0, 0, 0, 0, 0
		FROM hall.returns x
		JOIN hall.applications a ON a.id = x.app_id
		WHERE x.breach AND x.returned_at >= p0 AND x.returned_at < p1
		  AND (v_all OR a.department_code = v_dept)
		GROUP BY 2, 3
		UNION ALL
		SELECT 'bad_rating', r.staff_id, a.window_code, count(*), 0, 0, 0, 0, count(*) FILTER (WHERE x.closed_at IS NOT NULL)
		FROM hall.ratings r
		LEFT JOIN hall.rectifications x ON x.rating_id = r.id
		LEFT JOIN hall.applications a ON r.kind = 'application' AND a.id = r.target_id
		WHERE live AND r.level <= 2 AND r.counts AND r.rated_at >= p0 AND r.rated_at < p1
		  AND (v_all OR r.department_code = v_dept)
		GROUP BY 2, 3
	)
	SELECT s.grp, s.staff_id, s.window_code,
	       s.completed, s.on_time, s.completed - s.on_time, round(s.on_time::numeric / nullif(s.completed, 0), 4),
	       s.early, round(s.early::numeric / nullif(s.completed, 0), 4),
	       s.accept_missed,
	       s.answered, s.answered_on_time, round(s.answered_on_time::numeric / nullif(s.answered, 0), 4),
	       round(t.secs_median::numeric / 3600, 1), round(t.secs_p90::numeric / 3600, 1),
	       s.overdue_cases, s.due_soon_cases, s.overdue_inquiries, s.due_soon_inquiries,
	       s.breaches, s.bad_ratings, s.bad_rectified
	FROM (
		SELECT CASE WHEN GROUPING(ev.staff_id) = 0 THEN 'clerk'
		            WHEN GROUPING(ev.window_code) = 0 THEN 'window' ELSE 'all' END AS grp,
		       ev.staff_id, ev.window_code,
		       coalesce(sum(ev.n) FILTER (WHERE ev.fact = 'completed'), 0)::bigint AS completed,
		       coalesce(sum(ev.on_time) FILTER (WHERE ev.fact = 'completed'), 0)::bigint AS on_time,
		       coalesce(sum(ev.early) FILTER (WHERE ev.fact = 'completed'), 0)::bigint AS early,
		       coalesce(sum(ev.n) FILTER (WHERE ev.fact = 'accept_miss'), 0)::bigint AS accept_missed,
		       coalesce(sum(ev.n) FILTER (WHERE ev.fact = 'answered'), 0)::bigint AS answered,
		       coalesce(sum(ev.on_time) FILTER (WHERE ev.fact = 'answered'), 0)::bigint AS answered_on_time,
		       coalesce(sum(ev.overdue) FILTER (WHERE ev.fact = 'open_case'), 0)::bigint AS overdue_cases,
		       coalesce(sum(ev.due_soon) FILTER (WHERE ev.fact = 'open_case'), 0)::bigint AS due_soon_cases,
		       coalesce(sum(ev.overdue) FILTER (WHERE ev.fact = 'open_inquiry'), 0)::bigint AS overdue_inquiries,
		       coalesce(sum(ev.due_soon) FILTER (WHERE ev.fact = 'open_inquiry'), 0)::bigint AS due_soon_inquiries,
		       coalesce(sum(ev.n) FILTER (WHERE ev.fact = 'breach'), 0)::bigint AS breaches,
		       coalesce(sum(ev.n) FILTER (WHERE ev.fact = 'bad_rating'), 0)::bigint AS bad_ratings,
		       coalesce(sum(ev.rectified) FILTER (WHERE ev.fact = 'bad_rating'), 0)::bigint AS bad_rectified
		FROM ev
		GROUP BY GROUPING SETS ((ev.staff_id), (ev.window_code), ())
	) s
	-- a clerk's reply times are theirs; a window has none, but the group
	-- of no window holds every inquiry, as does the whole
	LEFT JOIN times t ON CASE s.grp WHEN 'clerk' THEN NOT t.whole AND t.staff_id IS NOT DISTINCT FROM s.staff_id
	                                WHEN 'window' THEN t.whole AND s.window_code IS NULL
	                                ELSE t.whole END;
END $$;

CREATE FUNCTION hall.timeliness_sums(from_day date, to_day date)
RETURNS TABLE (grp text, staff_id int, window_code text,
               completed bigint, on_time bigint, late bigint, on_time_rate numeric, early bigint, early_rate numeric,
               accept_missed bigint,
               answered bigint, answered_on_time bigint, answer_on_time_rate numeric,
               reply_hours_median numeric, reply_hours_p90 numeric,
               overdue_cases bigint, due_soon_cases bigint, overdue_inquiries bigint, due_soon_inquiries bigint,
               breaches bigint, bad_ratings bigint, bad_rectified bigint)
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT * FROM hall.timeliness_counts(from_day, to_day, true)
$$;

-- One row per clerk of the caller's department (the trainer: of the hall),
-- active ones always, disabled ones when they have something to count.
CREATE FUNCTION hall.timeliness_clerks(from_day date, to_day date)
RETURNS TABLE (staff_id int, login text, name text, department_code text, active boolean,
               completed bigint, on_time bigint, late bigint, on_time_rate numeric, early bigint, early_rate numeric,
               accept_missed bigint,
               answered bigint, answered_on_time bigint, answer_on_time_rate numeric,
               reply_hours_median numeric, reply_hours_p90 numeric,
               overdue_cases bigint, due_soon_cases bigint, overdue_inquiries bigint, due_soon_inquiries bigint,
               breaches bigint, bad_ratings bigint, bad_rectified bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_dept text := hall.timeliness_scope();
BEGIN
	PERFORM hall.timeliness_period(from_day, to_day);
	RETURN QUERY
	SELECT s.id, s.login::text, s.name, s.department_code, s.active,
	       coalesce(g.completed, 0), coalesce(g.on_time, 0), coalesce(g.late, 0), g.on_time_rate,
	       coalesce(g.early, 0), g.early_rate, coalesce(g.accept_missed, 0),
	       coalesce(g.answered, 0), coalesce(g.answered_on_time, 0), g.answer_on_time_rate,
	       g.reply_hours_median, g.reply_hours_p90,
	       coalesce(g.overdue_cases, 0), coalesce(g.due_soon_cases, 0),
	       NULL::bigint, NULL::bigint,   -- an inquiry is held by nobody: department figures
	       coalesce(g.breaches, 0), coalesce(g.bad_ratings, 0), coalesce(g.bad_rectified, 0)
	FROM hall.staff s
	LEFT JOIN (SELECT x.* FROM hall.timeliness_sums(from_day, to_day) x WHERE x.grp = 'clerk') g ON g.staff_id = s.id
	WHERE s.kind = 'clerk' AND (v_dept IS NULL OR s.department_code = v_dept)
	  AND (s.active OR g.staff_id IS NOT NULL)
	ORDER BY s.department_code, s.login;
END $$;

-- One row per window of the caller's department (the trainer: of the hall).
-- Inquiries belong to a department, not to a window: their columns are NULL.
CREATE FUNCTION hall.timeliness_windows(from_day date, to_day date)
RETURNS TABLE (window_code text, window_name text, department_code text,
               completed bigint, on_time bigint, late bigint, on_time_rate numeric, early bigint, early_rate numeric,
               accept_missed bigint,
               answered bigint, answered_on_time bigint, answer_on_time_rate numeric,
               reply_hours_median numeric, reply_hours_p90 numeric,
               overdue_cases bigint, due_soon_cases bigint, overdue_inquiries bigint, due_soon_inquiries bigint,
               breaches bigint, bad_ratings bigint, bad_rectified bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_dept text := hall.timeliness_scope();
BEGIN
	PERFORM hall.timeliness_period(from_day, to_day);
	RETURN QUERY
	SELECT w.code, w.name, w.department_code,
	       coalesce(g.completed, 0), coalesce(g.on_time, 0), coalesce(g.late, 0), g.on_time_rate,
	       coalesce(g.early, 0), g.early_rate, coalesce(g.accept_missed, 0),
	       NULL::bigint, NULL::bigint, NULL::numeric, NULL::numeric, NULL::numeric,
	       coalesce(g.overdue_cases, 0), coalesce(g.due_soon_cases, 0),
	       NULL::bigint, NULL::bigint,
	       coalesce(g.breaches, 0), coalesce(g.bad_ratings, 0), coalesce(g.bad_rectified, 0)
	FROM hall.windows w
	LEFT JOIN (SELECT x.* FROM hall.timeliness_sums(from_day, to_day) x WHERE x.grp = 'window') g ON g.window_code = w.code
	WHERE v_dept IS NULL OR w.department_code = v_dept
	ORDER BY w.department_code, w.code;
END $$;

-- The department's totals, one row (the trainer: the whole hall, with
-- department_code NULL and the hall's name).  Everything of the
-- department, whoever did it (a supervisor's decisions and replies too).
CREATE FUNCTION hall.timeliness_department(from_day date, to_day date)
RETURNS TABLE (department_code text, department_name text, clerks bigint,
               completed bigint, on_time bigint, late bigint, on_time_rate numeric, early bigint, early_rate numeric,
               accept_missed bigint,
               answered bigint, answered_on_time bigint, answer_on_time_rate numeric,
               reply_hours_median numeric, reply_hours_p90 numeric,
               overdue_cases bigint, due_soon_cases bigint, overdue_inquiries bigint, due_soon_inquiries bigint,
               breaches bigint, bad_ratings bigint, bad_rectified bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_dept text := hall.timeliness_scope();
BEGIN
	PERFORM hall.timeliness_period(from_day, to_day);
	RETURN QUERY
	SELECT v_dept, coalesce((SELECT d.name FROM hall.departments d WHERE d.code = v_dept), hall.setting('hall_name')),
	       (SELECT count(*) FROM hall.staff s
	        WHERE s.kind = 'clerk' AND s.active AND (v_dept IS NULL OR s.department_code = v_dept)),
	       g.completed, g.on_time, g.late, g.on_time_rate, g.early, g.early_rate, g.accept_missed,
	       g.answered, g.answered_on_time, g.answer_on_time_rate, g.reply_hours_median, g.reply_hours_p90,
	       g.overdue_cases, g.due_soon_cases, g.overdue_inquiries, g.due_soon_inquiries,
	       g.breaches, g.bad_ratings, g.bad_rectified
	FROM hall.timeliness_sums(from_day, to_day) g
	WHERE g.grp = 'all';
END $$;

-- Per day of the period (every day, none left out: a chart's x axis), the
-- department's cases completed, on time, late and the on-time rate: the
-- daily facts of 019 (hall.completed_days), summed per day.
CREATE FUNCTION hall.timeliness_daily(from_day date, to_day date)
RETURNS TABLE (day date, workday boolean, completed bigint, on_time bigint, late bigint, on_time_rate numeric)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_dept text := hall.timeliness_scope();
BEGIN
	PERFORM hall.timeliness_period(from_day, to_day);
	RETURN QUERY
	SELECT g.d, hall.is_workday(g.d), coalesce(f.n, 0), coalesce(f.on_time, 0), coalesce(f.n - f.on_time, 0),
	       round(f.on_time::numeric / nullif(f.n, 0), 4)
	FROM (SELECT t::date AS d FROM generate_series(from_day::timestamp, to_day::timestamp, interval '1 day') t) g
	LEFT JOIN (SELECT c.day, sum(c.completed)::bigint AS n, sum(c.on_time)::bigint AS on_time
	           FROM hall.completed_days c
	           WHERE c.day BETWEEN from_day AND to_day
	             AND (v_dept IS NULL OR c.department_code = v_dept)
	           GROUP BY c.day) f ON f.day = g.d
	ORDER BY g.d;
END $$;

-- The helpers are granted with the functions that call them (SECURITY
-- INVOKER all along: the caller's row-level security applies).
GRANT EXECUTE ON FUNCTION hall.timeliness_scope(), hall.timeliness_period(date, date),
	hall.timeliness_facts(date, date), hall.timeliness_counts(date, date, boolean), hall.timeliness_sums(date, date),
	hall.timeliness_clerks(date, date), hall.timeliness_windows(date, date),
	hall.timeliness_department(date, date), hall.timeliness_daily(date, date)
	TO hall_supervisor, hall_trainer, hall_director;
