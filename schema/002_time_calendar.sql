-- Time and the working-day calendar.  Every rule reads the clock from
-- hall.now() and counts days with hall.workday_add/workdays_between, so one
-- place decides what "today" and "N working days" mean (Asia/Shanghai).
SET LOCAL ROLE hall_admin;

CREATE TABLE hall.settings (
	key   text PRIMARY KEY,
	value text NOT NULL,
	note  text NOT NULL DEFAULT ''
);
INSERT INTO hall.settings (key, value, note) VALUES
	('mode', 'production', 'production | demo | test: only demo and test databases honour hall.fake_now'),
	('warn_days', '1', 'yellow warning when this many working days or fewer are left'),
	('accept_days', '5', 'working days to claim (受理), return or reject a submitted case (§32)'),
	('escalation_days', '1', 'working days a supervisor has to decide an escalation'),
	('extension_max_days', '10', 'most working days one extension may grant (§42)'),
	('inquiry_days_web', '5', 'reply deadline, website inquiries'),
	('inquiry_days_app', '5', 'reply deadline, app inquiries'),
	('inquiry_days_hotline', '3', 'reply deadline, 12345 hotline transfers'),
	('callback_days', '1', 'working days to call back the author of a bad rating'),
	('rectify_days', '15', 'working days to rectify after a bad rating (local rules: 10 to 15)'),
	('quiet_start', '21:00', 'SMS to applicants wait from this time ...'),
	('quiet_end', '08:00', '... until this time (Asia/Shanghai)'),
	('resubmit_days', '20', 'working days the one-time notice gives the applicant to bring what is missing'),
	('hall_name', '市政务服务中心', 'the hall''s name, as the notices say it'),
	('hall_address', '市政务服务中心一楼', 'where applicants bring materials (the notices say it)'),
	('hall_phone', '12345', 'the phone number the notices give for questions'),
	('clock_offset', '', 'demo and test databases: an interval added to the real clock for every session ('''' = none)'),
	('clock_paused', '', 'demo and test databases: the moment the clock stands still at ('''' = it runs)');

-- The mode is read often: a STABLE function the planner can fold.
CREATE FUNCTION hall.mode() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN (SELECT value FROM hall.settings WHERE key = 'mode'); END $$;

CREATE FUNCTION hall.setting(k text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN (SELECT value FROM hall.settings WHERE key = k); END $$;

CREATE FUNCTION hall.setting_int(k text) RETURNS int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN (SELECT value::int FROM hall.settings WHERE key = k); END $$;

-- The one clock.  Every decision is stamped with the time it is made:
-- clock_timestamp(), not now(), which is the start of the transaction (a
-- transaction opened before a deadline and used after it must not make a
-- late action count as on time).  A demo or test database may be told what
-- time it is: for every session by the database's clock (clock_offset or
-- clock_paused, set with hall.set_clock, 011_clock.sql: the training room,
-- the whole-screen tests), or for one session with SET hall.fake_now =
-- '2025-09-30 16:00+08' (the pgTAP tests), which wins.  A production
-- database honours neither and logs the attempt, so nobody can back-date a
-- decision.
CREATE FUNCTION hall.now() RETURNS timestamptz
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	fake text := current_setting('hall.fake_now', true);
	v_offset text;
	v_paused text;
	v_mode text;
BEGIN
	IF fake IS NOT NULL AND fake <> '' THEN
		IF hall.mode() IN ('demo', 'test') THEN
			RETURN fake::timestamptz;
		END IF;
		RAISE WARNING 'hall.fake_now = % ignored for %: this is a production database', fake, session_user;
		RETURN pg_catalog.clock_timestamp();
	END IF;
	-- One read of the settings for all three (every transition asks the
	-- clock, and a demo database's clock is offset).
	SELECT max(value) FILTER (WHERE key = 'clock_offset'), max(value) FILTER (WHERE key = 'clock_paused'),
	       max(value) FILTER (WHERE key = 'mode')
	INTO v_offset, v_paused, v_mode
	FROM hall.settings WHERE key IN ('clock_offset', 'clock_paused', 'mode');
	IF coalesce(v_offset, '') = '' AND coalesce(v_paused, '') = '' THEN
		RETURN pg_catalog.clock_timestamp();
	END IF;
	IF v_mode NOT IN ('demo', 'test') THEN
		-- hall.set_clock refuses this; a setting written by hand is not obeyed either.
		RAISE WARNING 'the demo clock is ignored: this is a production database';
		RETURN pg_catalog.clock_timestamp();
	END IF;
	IF v_paused <> '' THEN
		RETURN v_paused::timestamptz;
	END IF;
	RETURN pg_catalog.clock_timestamp() + v_offset::interval;
END $$;

CREATE FUNCTION hall.today() RETURNS date
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN (hall.now() AT TIME ZONE 'Asia/Shanghai')::date; END $$;

-- A deadline date ends at midnight Asia/Shanghai (行政许可法 §82).
CREATE FUNCTION hall.end_of_day(d date) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN ((d + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'); END $$;

-- Exceptions to Monday-Friday, one row a date.
CREATE TABLE hall.calendar (
	d    date PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
	note text NOT NULL DEFAULT ''
);
-- Years whose official list is loaded; other years count Mon-Fri only and
-- the screens say so.
CREATE TABLE hall.calendar_years (
	year   int PRIMARY KEY,
	source text NOT NULL
);

-- Every date from 2000 to 2099 with the running count of working days, so
-- "the Nth working day after d" and "working days between" are two index
-- lookups instead of a loop; rebuilt whenever the calendar changes.
CREATE TABLE hall.days (
	d       date PRIMARY KEY,
	workday boolean NOT NULL,
	cum     int NOT NULL          -- working days in [2000-01-01, d]
);
CREATE UNIQUE INDEX days_cum ON hall.days (cum) WHERE workday;

CREATE FUNCTION hall.rebuild_days() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
	DELETE FROM hall.days;
	INSERT INTO hall.days (d, workday, cum)
	SELECT d, w, (sum(w::int) OVER (ORDER BY d))::int
	FROM (
		SELECT g::date AS d,
		       coalesce(c.kind = 'workday', extract(isodow FROM g) < 6) AS w
		FROM generate_series('2000-01-01'::date, '2099-12-31'::date, '1 day') g
		LEFT JOIN hall.calendar c ON c.d = g::date
	) s;
$$;

CREATE FUNCTION hall.is_workday(d date) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN (SELECT workday FROM hall.days WHERE days.d = is_workday.d); END $$;

-- The Nth working day after d (d itself does not count); n = 0 gives d.
CREATE FUNCTION hall.workday_add(d date, n int) RETURNS date
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	base int;
	r date;
BEGIN
	IF d IS NULL OR n IS NULL THEN
		RETURN NULL;
	END IF;
	IF n < 0 THEN
		RAISE EXCEPTION 'workday_add: n must not be negative (got %)', n
			USING ERRCODE = '22023', HINT = 'reason:workdays_negative';
	END IF;
	IF n = 0 THEN
		RETURN d;
	END IF;
	SELECT cum INTO base FROM hall.days WHERE days.d = workday_add.d;
	SELECT x.d INTO r FROM hall.days x WHERE x.workday AND x.cum = base + n;
	IF r IS NULL THEN
		RAISE EXCEPTION 'workday_add: % + % working days is outside the calendar (2000-2099)', d, n
			USING ERRCODE = '22008', HINT = 'reason:calendar_range';
	END IF;
	RETURN r;
END $$;

-- Working days after a up to and including b (negative when b < a).
CREATE FUNCTION hall.workdays_between(a date, b date) RETURNS int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	ca int;
	cb int;
BEGIN
	IF a IS NULL OR b IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT cum INTO ca FROM hall.days WHERE d = a;
	SELECT cum INTO cb FROM hall.days WHERE d = b;
	IF ca IS NULL OR cb IS NULL THEN
		RAISE EXCEPTION 'workdays_between: % or % is outside the calendar (2000-2099)', a, b
			USING ERRCODE = '22008', HINT = 'reason:calendar_range';
	END IF;
	RETURN cb - ca;
END $$;

CREATE FUNCTION hall.calendar_published(y int) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ BEGIN RETURN (SELECT EXISTS (SELECT 1 FROM hall.calendar_years WHERE year = y)); END $$;

-- The official lists of the State Council.
INSERT INTO hall.calendar (d, kind, note)
SELECT g::date, 'holiday', n FROM (VALUES
	('2025-01-01', '2025-01-01', '元旦'),
	('2025-01-28', '2025-02-04', '春节'),
	('2025-04-04', '2025-04-06', '清明节'),
	('2025-05-01', '2025-05-05', '劳动节'),
	('2025-05-31', '2025-06-02', '端午节'),
	('2025-10-01', '2025-10-08', '国庆节、中秋节'),
	('2026-01-01', '2026-01-03', '元旦'),
	('2026-02-15', '2026-02-23', '春节'),
	('2026-04-04', '2026-04-06', '清明节'),
	('2026-05-01', '2026-05-05', '劳动节'),
	('2026-06-19', '2026-06-21', '端午节'),
	('2026-09-25', '2026-09-27', '中秋节'),
	('2026-10-01', '2026-10-07', '国庆节')
) v(a, b, n), generate_series(a::date, b::date, '1 day') g;
INSERT INTO hall.calendar (d, kind, note) VALUES
	('2025-01-26', 'workday', '春节调休上班'),
	('2025-02-08', 'workday', '春节调休上班'),
	('2025-04-27', 'workday', '劳动节调休上班'),
	('2025-09-28', 'workday', '国庆节调休上班'),
	('2025-10-11', 'workday', '国庆节调休上班'),
	('2026-01-04', 'workday', '元旦调休上班'),
	('2026-02-14', 'workday', '春节调休上班'),
	('2026-02-28', 'workday', '春节调休上班'),
	('2026-05-09', 'workday', '劳动节调休上班'),
	('2026-09-20', 'workday', '国庆节调休上班'),
	('2026-10-10', 'workday', '国庆节调休上班');
INSERT INTO hall.calendar_years (year, source) VALUES
	(2025, '国办发明电〔2024〕12号'),
	(2026, '国务院办公厅 2025-11-04');
DO $$ BEGIN PERFORM hall.rebuild_days(); END $$;

GRANT SELECT ON hall.calendar, hall.calendar_years, hall.settings, hall.days TO hall_clerk, hall_supervisor, hall_trainer;
GRANT EXECUTE ON FUNCTION hall.now(), hall.today(), hall.end_of_day(date), hall.mode(), hall.setting(text),
	hall.setting_int(text), hall.is_workday(date), hall.workday_add(date, int),
	hall.workdays_between(date, date), hall.calendar_published(int)
	TO hall_clerk, hall_supervisor, hall_trainer, hall_portal;
