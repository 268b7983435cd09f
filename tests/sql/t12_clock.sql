-- The database's own clock (hall.set_clock): every session of a demo or
-- test database sees the moment it was set to, running or standing still;
-- a session's hall.fake_now still wins; production refuses and ignores it.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

SELECT is(hall.now(), now(), 'with nothing set, hall.now() is the real clock');

-- Running: the clock shows the moment and runs on from it.
SELECT lives_ok($$SELECT hall.set_clock('2026-09-30 16:00+08', true)$$, 'the clock is set to the afternoon before National Day');
SELECT is(hall.now(), '2026-09-30 16:00+08'::timestamptz, 'in this transaction it shows that moment');
SELECT is(hall.today(), '2026-09-30'::date, 'and that day');
SELECT is((SELECT value FROM hall.settings WHERE key = 'clock_offset')::interval,
          '2026-09-30 16:00+08'::timestamptz - now(), 'kept as an offset from the real clock, so it runs');
SELECT is((SELECT value FROM hall.settings WHERE key = 'clock_paused'), '', 'and not standing still');

-- A session's own fake time wins (the other tests rely on it).
SET hall.fake_now = '2025-10-09 10:00+08';
SELECT is(hall.now(), '2025-10-09 10:00+08'::timestamptz, 'hall.fake_now of the session wins over the clock');
RESET hall.fake_now;

-- Every role sees the same clock.
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(hall.today(), '2026-09-30'::date, 'a clerk sees the same day');
SELECT throws_ok($$SELECT hall.set_clock('2027-01-01 09:00+08', true)$$, '42501', NULL, 'a clerk cannot set the clock');
RESET SESSION AUTHORIZATION;

-- Standing still.
SET SESSION AUTHORIZATION t_trainer;
SELECT lives_ok($$SELECT hall.set_clock('2026-10-08 09:00+08', false)$$, 'the trainer stops the clock at the first working day after the holiday');
RESET SESSION AUTHORIZATION;
SELECT is(hall.now(), '2026-10-08 09:00+08'::timestamptz, 'it stands at that moment');
SELECT is((SELECT value FROM hall.settings WHERE key = 'clock_offset'), '', 'no offset while it stands still');
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'set_clock'), 2::bigint, 'each setting is audited');
SELECT is((SELECT actor::text FROM hall.audit WHERE action = 'set_clock' ORDER BY id DESC LIMIT 1), 't_trainer',
          'with who set it');

-- Back to the real clock.
SELECT lives_ok($$SELECT hall.set_clock(NULL)$$, 'NULL gives the real clock back');
SELECT is(hall.now(), now(), 'hall.now() is the real clock again');

-- Production: refused, and a setting written by hand is not obeyed.
UPDATE hall.settings SET value = 'production' WHERE key = 'mode';
SELECT throws_ok($$SELECT hall.set_clock('2026-09-30 16:00+08', true)$$, '55000', NULL,
                 'a production database refuses to set the clock');
SELECT is((SELECT value FROM hall.settings WHERE key = 'clock_offset'), '', 'and nothing changed');
UPDATE hall.settings SET value = '2020-01-01 00:00+08' WHERE key = 'clock_paused';
SET client_min_messages = error;
SELECT is(hall.now(), now(), 'a clock setting written by hand is ignored in production');
RESET client_min_messages;

SELECT * FROM finish();
ROLLBACK;
