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
-- hall.now() (002) reads it: a session's hall.fake_now (tests) first, then
-- the database's clock (settings clock_offset or clock_paused), then the
-- real clock.  A production database honours neither and says so in the log.
SET LOCAL ROLE hall_admin;

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
		ELSE (set_clock.moment - pg_catalog.clock_timestamp())::text END
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
