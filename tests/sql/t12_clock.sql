-- The database's own clock (hall.set_clock): every session of a demo or
-- test database sees the moment it was set to, running or standing still;
-- a session's hall.fake_now still wins; production refuses and ignores it.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

SELECT ok(hall.now() BETWEEN now() AND clock_timestamp(), 'with nothing set, hall.now() is the real clock');

-- Running: the clock shows the moment and runs on from it.
SELECT lives_ok($$SELECT hall.set_clock('2026-09-30 16:00+08', true)$$, 'the clock is set to the afternoon before National Day');
SELECT ok(hall.now() - '2026-09-30 16:00+08' BETWEEN '0'::interval AND '5 s', 'it shows that moment, running on');
SELECT is(hall.today(), '2026-09-30'::date, 'and that day');
SELECT ok(abs(extract(epoch FROM (SELECT value FROM hall.settings WHERE key = 'clock_offset')::interval
                                  - ('2026-09-30 16:00+08'::timestamptz - clock_timestamp()))) < 5,
          'kept as an offset from the real clock, so it runs');
SELECT pg_sleep(0.2);
SELECT ok(hall.now() - '2026-09-30 16:00+08' >= '0.2 s', 'and it does run: 0.2 s later it shows 0.2 s more');
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
SELECT ok(hall.now() BETWEEN now() AND clock_timestamp(), 'hall.now() is the real clock again');

-- Production: refused, and a setting written by hand is not obeyed.
UPDATE hall.settings SET value = 'production' WHERE key = 'mode';
SELECT throws_ok($$SELECT hall.set_clock('2026-09-30 16:00+08', true)$$, '55000', NULL,
                 'a production database refuses to set the clock');
SELECT is((SELECT value FROM hall.settings WHERE key = 'clock_offset'), '', 'and nothing changed');
UPDATE hall.settings SET value = '2020-01-01 00:00+08' WHERE key = 'clock_paused';
SET client_min_messages = error;
SELECT ok(hall.now() BETWEEN now() AND clock_timestamp(), 'a clock setting written by hand is ignored in production');
RESET client_min_messages;

UPDATE hall.settings SET value = '' WHERE key = 'clock_paused';
UPDATE hall.settings SET value = 'test' WHERE key = 'mode';

-- A decision is stamped with the time it is made, not when its transaction
-- began: a transaction opened before a deadline and used after it cannot
-- make a late action count as on time.
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', '{"name": "钱八", "id_number": "230102198001011236", "phone": "13800000008"}', 'web') AS late \gset
RESET SESSION AUTHORIZATION;
SELECT now() AS xact_start \gset
SELECT pg_sleep(1.2);
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s)', :late), 'a clerk claims 1.2 s into an open transaction');
RESET SESSION AUTHORIZATION;
SELECT ok((SELECT at FROM hall.audit WHERE app_id = :late AND action = 'claim') >= :'xact_start'::timestamptz + '1.2 s',
          'the claim is stamped when it was made, not when the transaction began');
SELECT ok((SELECT claimed_at FROM hall.applications WHERE id = :late) >= :'xact_start'::timestamptz + '1.2 s',
          'and so is the case''s claimed_at');
SELECT is((SELECT at FROM hall.audit WHERE app_id = :late AND action = 'claim'),
          (SELECT claimed_at FROM hall.applications WHERE id = :late),
          'one transition, one moment: the case and its audit row carry the same stamp');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.approve(%s, %L)', :late, ''), 'the clerk approves it');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT at FROM hall.audit WHERE app_id = :late AND action = 'approve'),
          (SELECT closed_at FROM hall.applications WHERE id = :late),
          'the approval too: closed_at and its audit row');
SELECT is((SELECT updated_at FROM hall.applications WHERE id = :late),
          (SELECT closed_at FROM hall.applications WHERE id = :late), 'and updated_at');
-- The clock moved inside one transaction: the action after the deadline is late.
SET LOCAL hall.fake_now = '2025-10-09 23:59:59+08';
SELECT is(hall.today(), '2025-10-09'::date, 'one second before midnight it is still Oct 9');
SET LOCAL hall.fake_now = '2025-10-10 00:00:01+08';
SELECT is(hall.today(), '2025-10-10'::date, 'in the same transaction, a second after midnight, it is Oct 10');

SELECT * FROM finish();
ROLLBACK;
