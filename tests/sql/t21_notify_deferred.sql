-- Deferred notifications (schema/005, hall.notify): a session that sets
-- hall.notify = 'deferred' keeps its transitions' NOTIFYs in a session
-- setting until hall.flush_notify(); a rolled-back transition keeps none;
-- other sessions notify at commit as before.  (That the terminal's flush
-- reaches the other screens is tests/e2e/11_live_update.sh.)
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a1 \gset
SELECT hall.submit('SC002', applicant_json('赵六', '230102199202025678', '13900001111'), 'web') AS a2 \gset
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(current_setting('hall.notify_pending', true), NULL, 'nothing kept before deferred mode');
SELECT hall.claim(:a1);
SELECT is(coalesce(current_setting('hall.notify_pending', true), ''), '',
	'without hall.notify = deferred a transition notifies at commit and keeps nothing');

SET hall.notify = 'deferred';
SELECT hall.approve(:a1, '');
SELECT is(current_setting('hall.notify_pending'), E'hall_queue:A01\nhall_outbox:\n',
	'deferred: the window''s channel and the outbox wake are kept, each once');

-- A transition that fails keeps nothing: its subtransaction is undone
-- with the setting it changed.
SAVEPOINT before_claim;
SELECT hall.claim(:a2);
SELECT is(current_setting('hall.notify_pending'), E'hall_queue:A01\nhall_outbox:\n', 'a second change of the same window is kept once');
ROLLBACK TO SAVEPOINT before_claim;
SELECT is(current_setting('hall.notify_pending'), E'hall_queue:A01\nhall_outbox:\n',
	'a rolled-back transition leaves the kept notifications as they were');
SELECT throws_ok(format('SELECT hall.approve(%s, %L)', :a2, ''), '55000', NULL, 'approving an unclaimed case is refused');
SELECT is(current_setting('hall.notify_pending'), E'hall_queue:A01\nhall_outbox:\n', 'and a refusal keeps nothing');

SELECT is(hall.flush_notify(), 2, 'flush sends the two kept notifications');
SELECT is(current_setting('hall.notify_pending'), '', 'and forgets them');
SELECT is(hall.flush_notify(), 0, 'a second flush sends nothing');

-- The setting is the session's own: a forged entry on another channel is
-- not sent.
SELECT set_config('hall.notify_pending', E'other_channel:x\nhall_queue:A02\n', false);
SELECT is(hall.flush_notify(), 1, 'only hall_* channels are sent');
RESET hall.notify;
RESET SESSION AUTHORIZATION;

SELECT ok(has_function_privilege('t_clerk_a', 'hall.flush_notify()', 'EXECUTE'), 'a clerk may flush');
SELECT ok(NOT has_function_privilege('t_clerk_a', 'hall.notify(text, text)', 'EXECUTE'),
	'hall.notify itself is for the schema''s functions');

SELECT * FROM finish();
ROLLBACK;
