-- The demo-wide clock: a demo or test database can be told what time it is,
-- for every session at once (the training room's clock, the whole-screen
-- tests' fixed moment), not only per session with hall.fake_now.
--
--   real clock --set_clock(t, true)--> running from t (real now + offset)
--       ^                                  |          ^
--       |                      set_clock(t, false)  set_clock(t, true)
--   set_clock(NULL)                        v          |
--       +------------------------------ standing still at t
--
-- Precedence in hall.now(): a session's hall.fake_now (tests), then the
-- database's clock (clock_offset or clock_paused), then the real clock.
-- A production database honours neither and says so in the log.
SET LOCAL ROLE hall_admin;

INSERT INTO hall.settings (key, value, note) VALUES
	('clock_offset', '', 'demo and test databases: an interval added to the real clock for every session ('''' = none)'),
	('clock_paused', '', 'demo and test databases: the moment the clock stands still at ('''' = it runs)');

CREATE OR REPLACE FUNCTION hall.now() RETURNS timestamptz
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	fake text := current_setting('hall.fake_now', true);
	v_offset text;
	v_paused text;
BEGIN
	IF fake IS NOT NULL AND fake <> '' THEN
		IF hall.mode() IN ('demo', 'test') THEN
			RETURN fake::timestamptz;
		END IF;
		RAISE WARNING 'hall.fake_now = % ignored for %: this is a production database', fake, session_user;
		RETURN pg_catalog.now();
	END IF;
	SELECT max(value) FILTER (WHERE key = 'clock_offset'), max(value) FILTER (WHERE key = 'clock_paused')
	INTO v_offset, v_paused
	FROM hall.settings WHERE key IN ('clock_offset', 'clock_paused');
	IF coalesce(v_offset, '') = '' AND coalesce(v_paused, '') = '' THEN
		RETURN pg_catalog.now();
	END IF;
	IF hall.mode() NOT IN ('demo', 'test') THEN
		-- set_clock refuses this; a hand-edited setting is not obeyed either.
		RAISE WARNING 'the demo clock is ignored: this is a production database';
		RETURN pg_catalog.now();
	END IF;
	IF v_paused <> '' THEN
		RETURN v_paused::timestamptz;
	END IF;
	RETURN pg_catalog.now() + v_offset::interval;
END $$;

-- Set the database's clock: to `moment`, running on from there (run) or standing
-- still; NULL goes back to the real clock.  Demo and test databases only.
CREATE FUNCTION hall.set_clock(moment timestamptz, run boolean DEFAULT true) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF hall.mode() NOT IN ('demo', 'test') THEN
		RAISE EXCEPTION 'the clock can only be set on a demo or test database'
			USING ERRCODE = '55000', HINT = 'reason:clock_production';
	END IF;
	UPDATE hall.settings SET value = CASE
		WHEN set_clock.moment IS NULL OR NOT coalesce(set_clock.run, true) THEN ''
		ELSE (set_clock.moment - pg_catalog.now())::text END
	WHERE key = 'clock_offset';
	UPDATE hall.settings SET value = CASE
		WHEN set_clock.moment IS NOT NULL AND NOT coalesce(set_clock.run, true) THEN set_clock.moment::text
		ELSE '' END
	WHERE key = 'clock_paused';
	PERFORM hall.log('set_clock', NULL, NULL, NULL, NULL, NULL, NULL, '',
	                 jsonb_build_object('at', set_clock.moment, 'run', coalesce(set_clock.run, true)));
	RETURN hall.now();
END $$;
REVOKE ALL ON FUNCTION hall.set_clock(timestamptz, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.set_clock(timestamptz, boolean) TO hall_trainer;
