-- Delivering the outbox (schema/008_outbox.sql): the dispatcher's claim
-- (a lease), its outcomes (sent, retry, failed), who may call what, the
-- supervisor's requeue and views, and quiet hours for applicants.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT plan(102);

-- A dispatcher login, as an administrator would create it (rolled back
-- with everything else).
CREATE ROLE t_notifier IN ROLE hall_notifier;

-- ------------------------------------------------------------ fixtures
-- Tue Oct 14, 10:00: four messages, all due at once, queued by real
-- transitions in this order: r1 approve A (SCJG), r2 reply to a hotline
-- inquiry (SCJG, to 12345), r3 approve G (GA), r4 approve B (SCJG).
SET hall.fake_now = '2025-10-14 10:00+08';
SELECT is((SELECT count(*) FROM hall.outbox), 0::bigint, 'the outbox starts empty');
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a \gset
SELECT hall.submit('GA001', applicant_json('赵六', '230102199202025678', '13900002222'), 'app') AS g \gset
SELECT hall.submit('SC002', applicant_json('周九', '230102196606066666', '13600006666'), 'web') AS b \gset
SELECT hall.ask('hotline', 'SCJG', '{"name": "孙七", "phone": "13700001111"}', '个体户登记', '需要带哪些材料？') AS q \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :a, :a, '准予许可'), 'clerk A approves A');
SELECT lives_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q, '需身份证和经营场所证明。'), 'and answers the hotline inquiry');
SET SESSION AUTHORIZATION t_clerk_g;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :g, :g, '准予办理'), 'clerk G approves G');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :b, :b, '准予许可'), 'clerk A approves B');
RESET SESSION AUTHORIZATION;
SELECT id AS r1 FROM hall.outbox WHERE app_id = :a \gset
SELECT id AS r2 FROM hall.outbox WHERE inquiry_id = :q \gset
SELECT id AS r3 FROM hall.outbox WHERE app_id = :g \gset
SELECT id AS r4 FROM hall.outbox WHERE app_id = :b \gset
SELECT ok(:r1 < :r2 AND :r2 < :r3 AND :r3 < :r4, 'four messages, queued in that order');
SELECT results_eq('SELECT recipient, state, not_before, attempts, lease_until, leased_by FROM hall.outbox ORDER BY id',
	$$VALUES ('applicant', 'pending', '2025-10-14 10:00+08'::timestamptz, 0, NULL::timestamptz, NULL::text),
	         ('12345', 'pending', '2025-10-14 10:00+08', 0, NULL, NULL),
	         ('applicant', 'pending', '2025-10-14 10:00+08', 0, NULL, NULL),
	         ('applicant', 'pending', '2025-10-14 10:00+08', 0, NULL, NULL)$$,
	'all pending, due at once in the daytime, never tried');

-- ---------------------------------------------------------- who may call
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok($$SELECT * FROM hall.outbox_claim('clerk', 10, 60)$$, '42501', NULL, 'a clerk cannot claim messages');
SELECT throws_ok(format('SELECT hall.outbox_sent(%s, %L, 200)', :r1, 'clerk'), '42501', NULL, 'nor report one sent');
SELECT throws_ok(format('SELECT hall.outbox_retry(%s, %L, 503, %L, NULL)', :r1, 'clerk', 'x'), '42501', NULL,
	'nor put one back for a retry');
SELECT throws_ok(format('SELECT hall.outbox_failed(%s, %L, 400, %L, %L)', :r1, 'clerk', 'x', 'y'), '42501', NULL,
	'nor mark one failed');
SELECT throws_ok('SELECT hall.outbox_next_due()', '42501', NULL, 'nor ask when the next is due');
SELECT throws_ok(format('SELECT hall.outbox_requeue(%s, %L)', :r1, ''), '42501', NULL, 'nor requeue');
SELECT throws_ok('SELECT count(*) FROM hall.outbox', '42501', NULL, 'nor read the outbox (full phone numbers)');
SELECT throws_ok('SELECT * FROM hall.v_outbox_summary', '42501', NULL, 'nor the supervisor''s summary');
SELECT throws_ok('SELECT * FROM hall.v_outbox_failed', '42501', NULL, 'nor the failed list');
SET SESSION AUTHORIZATION t_sup_s;
SELECT throws_ok($$SELECT * FROM hall.outbox_claim('sup', 10, 60)$$, '42501', NULL, 'a supervisor does not dispatch');
SELECT throws_ok('SELECT count(*) FROM hall.outbox', '42501', NULL, 'nor read the outbox itself');
SET SESSION AUTHORIZATION t_notifier;
SELECT throws_ok('SELECT count(*) FROM hall.outbox', '42501', NULL, 'the dispatcher reads the outbox only through its functions');
SELECT throws_ok($$UPDATE hall.outbox SET state = 'sent'$$, '42501', NULL, 'and cannot write it directly');
SELECT throws_ok(format('SELECT hall.outbox_requeue(%s, %L)', :r1, ''), '42501', NULL, 'nor requeue');
SELECT throws_ok($$SELECT * FROM hall.outbox_claim(' ', 10, 60)$$, '22023', NULL, 'a claim names its worker');
SELECT throws_ok($$SELECT * FROM hall.outbox_claim('w1', 0, 60)$$, '22023', NULL, 'batch 0 is refused');
SELECT throws_ok($$SELECT * FROM hall.outbox_claim('w1', 10, 0)$$, '22023', NULL, 'a lease of 0 s is refused');

-- ---------------------------------------------------------------- claim
SELECT is(hall.outbox_next_due(), 0::double precision, '10:00: something is due now');
SELECT results_eq(
	$$SELECT id, state, attempts, leased_by, lease_until, not_before, last_attempt_at
	  FROM hall.outbox_claim('w1', 2, 60) ORDER BY id$$,
	format($$VALUES (%s::bigint, 'sending', 1, 'w1', '2025-10-14 10:01+08'::timestamptz, '2025-10-14 10:01+08'::timestamptz,
	                 '2025-10-14 10:00+08'::timestamptz),
	                (%s::bigint, 'sending', 1, 'w1', '2025-10-14 10:01+08', '2025-10-14 10:01+08', '2025-10-14 10:00+08')$$,
	       :r1, :r2),
	'w1 claims a batch of 2: the two oldest, leased for 60 s, not_before = lease_until, attempts 1');
RESET SESSION AUTHORIZATION;
SELECT results_eq(format('SELECT id, state, attempts, leased_by FROM hall.outbox WHERE id IN (%s, %s) ORDER BY id', :r3, :r4),
	format($$VALUES (%s::bigint, 'pending', 0, NULL::text), (%s::bigint, 'pending', 0, NULL)$$, :r3, :r4),
	'the other two are untouched');
SELECT results_eq(format('SELECT state, leased_by, lease_until FROM hall.outbox WHERE id IN (%s, %s) ORDER BY id', :r1, :r2),
	$$VALUES ('sending', 'w1', '2025-10-14 10:01+08'::timestamptz), ('sending', 'w1', '2025-10-14 10:01+08')$$,
	'the claim is stored');

SET hall.fake_now = '2025-10-14 10:00:30+08';
SET SESSION AUTHORIZATION t_notifier;
SELECT results_eq($$SELECT id, leased_by, attempts, lease_until FROM hall.outbox_claim('w2', 10, 60) ORDER BY id$$,
	format($$VALUES (%s::bigint, 'w2', 1, '2025-10-14 10:01:30+08'::timestamptz), (%s::bigint, 'w2', 1, '2025-10-14 10:01:30+08')$$,
	       :r3, :r4),
	'10:00:30, another worker: only the two w1 does not hold');
SET hall.fake_now = '2025-10-14 10:00:40+08';
SELECT is_empty($$SELECT * FROM hall.outbox_claim('w3', 10, 60)$$, '10:00:40, a third: nothing, the leases hold');

-- --------------------------------------------------- retry, failed, sent
SELECT is(hall.outbox_retry(:r3, 'w2', 503, 'gateway busy', '2025-10-14 10:30+08'), true, 'w2 puts r3 back for 10:30');
SELECT is(hall.outbox_retry(:r4, 'w1', 503, 'x', NULL), false, 'w1 cannot retry a row w2 holds');
SELECT is(hall.outbox_failed(:r4, 'w1', 400, 'x', 'y'), false, 'nor mark it failed');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT row(state, not_before, lease_until, http_status, last_error, attempts)::text FROM hall.outbox WHERE id = :r3),
	row('pending', '2025-10-14 10:30+08'::timestamptz, NULL::timestamptz, 503, 'gateway busy', 1)::text,
	'r3: pending again, due at 10:30, the error kept');
SELECT is((SELECT state || ' ' || leased_by FROM hall.outbox WHERE id = :r4), 'sending w2', 'r4: still w2''s');
SET SESSION AUTHORIZATION t_notifier;
SELECT is(hall.outbox_sent(:r4, 'w2', 200), 'sent', 'w2 reports r4 sent: ''sent''');
SELECT is(hall.outbox_sent(:r4, 'w2', 200), 'already_sent', 'reporting it again: ''already_sent''');
SELECT throws_ok(format('SELECT hall.outbox_sent(%s, %L, 500)', :r4, 'w2'), '22023', NULL, 'a 500 is no success');
SELECT is(hall.outbox_sent(999999999, 'w2', 200), 'unknown', 'no such row: ''unknown''');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT row(state, sent_at, http_status, lease_until)::text FROM hall.outbox WHERE id = :r4),
	row('sent', '2025-10-14 10:00:40+08'::timestamptz, 200, NULL::timestamptz)::text, 'r4: sent at 10:00:40, HTTP 200');
SET SESSION AUTHORIZATION t_notifier;
SELECT is(hall.outbox_next_due(), 20::double precision, 'next due at 10:01, when w1''s lease runs out: 20 s');

-- w1's lease (until 10:01) runs out; w3 takes its rows over.
SET hall.fake_now = '2025-10-14 10:01:30+08';
SELECT results_eq($$SELECT id, leased_by, attempts, lease_until FROM hall.outbox_claim('w3', 10, 60) ORDER BY id$$,
	format($$VALUES (%s::bigint, 'w3', 2, '2025-10-14 10:02:30+08'::timestamptz), (%s::bigint, 'w3', 2, '2025-10-14 10:02:30+08')$$,
	       :r1, :r2),
	'10:01:30: w3 gets r1 and r2 (lease expired; attempts 2), not r3 (due 10:30) nor r4 (sent)');
SELECT is(hall.outbox_retry(:r1, 'w1', 503, 'late', NULL), false, 'w1, late, cannot retry r1 any more');
SELECT is(hall.outbox_failed(:r2, 'w1', 400, 'late', ''), false, 'nor mark r2 failed');
SELECT is(hall.outbox_sent(:r1, 'w1', 200), 'sent_late', 'but its 2xx for r1 counts: ''sent_late''');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT row(state, sent_at, http_status, lease_until)::text FROM hall.outbox WHERE id = :r1),
	row('sent', '2025-10-14 10:01:30+08'::timestamptz, 200, NULL::timestamptz)::text, 'r1 is sent');
SET SESSION AUTHORIZATION t_notifier;
SELECT is(hall.outbox_sent(:r1, 'w3', 201), 'already_sent', 'w3, the new holder, learns it is done: ''already_sent''');
SELECT is(hall.outbox_failed(:r1, 'w3', 400, 'x', 'y'), false, 'a sent row cannot be marked failed');
SELECT is(hall.outbox_retry(:r1, 'w3', 503, 'x', NULL), false, 'nor retried');
SELECT is(hall.outbox_failed(:r2, 'w3', 400, 'invalid recipient', repeat('响', 600)), true, 'w3 marks r2 failed (HTTP 400)');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT row(state, sent_at, http_status)::text FROM hall.outbox WHERE id = :r1),
	row('sent', '2025-10-14 10:01:30+08'::timestamptz, 200)::text, 'r1 stays sent, as first recorded');
SELECT is((SELECT row(state, failed_at, http_status, last_error, lease_until, attempts)::text FROM hall.outbox WHERE id = :r2),
	row('failed', '2025-10-14 10:01:30+08'::timestamptz, 400, 'invalid recipient', NULL::timestamptz, 2)::text,
	'r2: failed at 10:01:30, with status and error');
SELECT is((SELECT length(response) FROM hall.outbox WHERE id = :r2), 512, 'the response is cut to 512 characters');

SET SESSION AUTHORIZATION t_sup_g;
SELECT results_eq('SELECT state, n, due, oldest FROM hall.v_outbox_summary',
	$$VALUES ('pending', 1::bigint, 0::bigint, '2025-10-14 10:00+08'::timestamptz), ('sending', 0, 0, NULL),
	         ('failed', 1, 0, '2025-10-14 10:00+08'), ('sent', 2, 0, '2025-10-14 10:00+08')$$,
	'summary: one row a state, zero included; the pending one is not due yet');

SET hall.fake_now = '2025-10-14 10:29+08';
SET SESSION AUTHORIZATION t_notifier;
SELECT is_empty($$SELECT * FROM hall.outbox_claim('w4', 10, 60)$$, '10:29: r3 is not due yet');
SELECT is(hall.outbox_next_due(), 60::double precision, 'it is due in 60 s');
SET hall.fake_now = '2025-10-14 10:30+08';
SELECT results_eq($$SELECT id, attempts FROM hall.outbox_claim('w4', 10, 60)$$, format('VALUES (%s::bigint, 2)', :r3),
	'10:30: w4 claims r3 (second attempt)');
SELECT is(hall.outbox_failed(:r3, 'w5', 404, 'x', 'y'), false, 'only the holder marks it failed');
SELECT is(hall.outbox_failed(:r3, 'w4', 404, 'no such number', 'not found'), true, 'w4 does');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT row(state, failed_at)::text FROM hall.outbox WHERE id = :r3),
	row('failed', '2025-10-14 10:30+08'::timestamptz)::text, 'r3 failed at 10:30');

-- --------------------------------------------------------------- views
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
           WHERE attrelid = 'hall.v_outbox_failed'::regclass AND attnum > 0),
	ARRAY['id', 'key', 'event', 'recipient', 'created_at', 'failed_at', 'attempts', 'http_status', 'last_error',
	      'response', 'app_id', 'case_no', 'inquiry_id', 'inquiry_ref', 'department_code'],
	'the failed list: what went wrong and where, no payload');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
           WHERE attrelid = 'hall.v_outbox_summary'::regclass AND attnum > 0),
	ARRAY['state', 'ord', 'n', 'due', 'oldest'], 'the summary: counts only');
SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq('SELECT id, event, recipient, attempts, http_status, last_error, failed_at, app_id, case_no, inquiry_id, inquiry_ref, department_code FROM hall.v_outbox_failed',
	format($$VALUES (%s::bigint, 'inquiry_reply', '12345', 2, 400, 'invalid recipient', '2025-10-14 10:01:30+08'::timestamptz,
	                 NULL::bigint, NULL::text, %s::bigint, 'Z251014-0001', 'SCJG')$$, :r2, :q),
	'SCJG''s supervisor sees the failed reply to the hotline inquiry (its department), not GA''s message');
SET SESSION AUTHORIZATION t_sup_g;
SELECT results_eq('SELECT id, event, recipient, attempts, http_status, last_error, response, app_id, case_no, department_code FROM hall.v_outbox_failed',
	format($$VALUES (%s::bigint, 'approved', 'applicant', 2, 404, 'no such number', 'not found', %s::bigint, '251014-0002', 'GA')$$,
	       :r3, :g),
	'GA''s supervisor sees GA''s failed message, with the case number');
SET SESSION AUTHORIZATION t_trainer;
SELECT results_eq('SELECT id FROM hall.v_outbox_failed ORDER BY id', format('VALUES (%s::bigint), (%s::bigint)', :r2, :r3),
	'the trainer sees both');
SELECT is((SELECT count(*) FROM hall.v_outbox_failed f
           WHERE f::text ~ '1370000|13900002222|孙七|赵六|需身份证|准予'), 0::bigint,
	'no phone number, name or message text in any row');

-- --------------------------------------------------------------- requeue
SET hall.fake_now = '2025-10-14 10:40+08';
SET SESSION AUTHORIZATION t_sup_g;
SELECT throws_ok(format('SELECT hall.outbox_requeue(%s, %L)', :r2, '重发'), 'P0002', NULL,
	'GA''s supervisor cannot requeue SCJG''s message');
SET SESSION AUTHORIZATION t_sup_s;
SELECT throws_ok(format('SELECT hall.outbox_requeue(%s, %L)', :r3, '重发'), 'P0002', NULL, 'nor SCJG''s GA''s');
SELECT throws_ok(format('SELECT hall.outbox_requeue(%s, %L)', :r1, '重发'), '55000', NULL, 'a sent message cannot be requeued');
SELECT throws_ok(format('SELECT hall.outbox_requeue(%s, %L)', 999999999, '重发'), 'P0002', NULL, 'no such message');
SELECT lives_ok(format('SELECT hall.outbox_requeue(%s, %L)', :r2, '号码已核实'), 'SCJG''s supervisor requeues r2');
SELECT throws_ok(format('SELECT hall.outbox_requeue(%s, %L)', :r2, '再发'), '55000', NULL, 'a pending message cannot be requeued');
SELECT is_empty('SELECT * FROM hall.v_outbox_failed', 'the failed list is empty now');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT row(state, attempts, not_before, lease_until, failed_at)::text FROM hall.outbox WHERE id = :r2),
	row('pending', 0, '2025-10-14 10:40+08'::timestamptz, NULL::timestamptz, NULL::timestamptz)::text,
	'r2: pending, attempts from zero, due now');
SELECT results_eq($$SELECT actor::text COLLATE "default", from_state, to_state, note, app_id, inquiry_id, details->>'outbox_id',
	                   details->>'attempts', details->>'http_status', details->>'last_error', details ? 'payload'
	                   FROM hall.audit WHERE action = 'outbox_requeue'$$,
	format($$VALUES ('t_sup_s', 'failed', 'pending', '号码已核实', NULL::bigint, %s::bigint, '%s', '2', '400', 'invalid recipient', false)$$,
	       :q, :r2),
	'one audit row: who, why, and the error it had (no payload)');
SET SESSION AUTHORIZATION t_sup_g;
SELECT lives_ok(format('SELECT hall.outbox_requeue(%s, %L)', :r3, '号码已更正'), 'GA''s supervisor requeues r3');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT row(state, attempts, not_before)::text FROM hall.outbox WHERE id = :r3),
	row('pending', 0, '2025-10-14 10:40+08'::timestamptz)::text, 'r3: pending, due now (daytime)');
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'outbox_requeue'), 2::bigint, 'one audit row each');
SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq('SELECT state, n, due FROM hall.v_outbox_summary',
	$$VALUES ('pending', 2::bigint, 2::bigint), ('sending', 0, 0), ('failed', 0, 0), ('sent', 2, 0)$$,
	'summary: two pending and due, two sent');

-- ------------------------------------------------------------ quiet hours
-- 23:00: an SMS to an applicant waits for 08:00; the 12345 message goes.
SET hall.fake_now = '2025-10-14 23:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('吴十', '230102195505055555', '13500005555'), 'web') AS c \gset
SELECT hall.ask('hotline', 'SCJG', '{"name": "郑一", "phone": "13400004444"}', '食品经营', '夜间咨询') AS q2 \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :c, :c, '准予许可'), '23:00: clerk A approves C');
SELECT lives_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q2, '请白天来电。'), 'and answers a hotline inquiry');
RESET SESSION AUTHORIZATION;
SELECT id AS rn FROM hall.outbox WHERE app_id = :c \gset
SELECT id AS rh FROM hall.outbox WHERE inquiry_id = :q2 \gset
SELECT is((SELECT row(recipient, created_at, not_before)::text FROM hall.outbox WHERE id = :rn),
	row('applicant', '2025-10-14 23:00+08'::timestamptz, '2025-10-15 08:00+08'::timestamptz)::text,
	'the SMS queued at 23:00 waits for 08:00 (quiet_end) the next morning');
SELECT is((SELECT row(recipient, created_at, not_before)::text FROM hall.outbox WHERE id = :rh),
	row('12345', '2025-10-14 23:00+08'::timestamptz, '2025-10-14 23:00+08'::timestamptz)::text,
	'the 12345 message is not held');
SET SESSION AUTHORIZATION t_notifier;
SELECT results_eq($$SELECT id FROM hall.outbox_claim('w5', 10, 60) ORDER BY id$$,
	format('VALUES (%s::bigint), (%s::bigint)', :r2, :rh),
	'23:00: only the 12345 messages are claimed; r3, due since 10:40, waits: it is for an applicant');
SELECT is(hall.outbox_sent(:r2, 'w5', 200), 'sent', 'r2 sent');
SELECT is(hall.outbox_sent(:rh, 'w5', 200), 'sent', 'the night reply sent');
SELECT is(hall.outbox_next_due(), 32400::double precision, 'nothing more until 08:00: 9 hours');

-- After midnight: the same morning, not the next.
SET hall.fake_now = '2025-10-15 00:30+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('钱二', '230102198808088888', '13300003333'), 'web') AS d \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :d, :d, '准予许可'), '00:30: clerk A approves D');
RESET SESSION AUTHORIZATION;
SELECT id AS rd FROM hall.outbox WHERE app_id = :d \gset
SELECT is((SELECT not_before FROM hall.outbox WHERE id = :rd), '2025-10-15 08:00+08'::timestamptz,
	'an SMS queued at 00:30 waits for 08:00 the same day');

SET hall.fake_now = '2025-10-15 07:59+08';
SET SESSION AUTHORIZATION t_notifier;
SELECT is_empty($$SELECT * FROM hall.outbox_claim('w6', 10, 60)$$, '07:59: still quiet, nothing is claimed');
SELECT is(hall.outbox_next_due(), 60::double precision, 'next due in 60 s');
SET hall.fake_now = '2025-10-15 08:00+08';
SELECT results_eq($$SELECT id FROM hall.outbox_claim('w6', 2, 60) ORDER BY id$$,
	format('VALUES (%s::bigint), (%s::bigint)', :r3, :rn), '08:00: the backlog goes, oldest first');
SELECT results_eq($$SELECT id FROM hall.outbox_claim('w6', 10, 60)$$, format('VALUES (%s::bigint)', :rd), 'then the rest');
SELECT is(hall.outbox_retry(:r3, 'w6', 429, 'slow down', '2025-10-15 21:30+08'), true, 'w6 retries r3 at 21:30');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT not_before FROM hall.outbox WHERE id = :r3), '2025-10-16 08:00+08'::timestamptz,
	'which is quiet: moved to 08:00 the next morning');
SET SESSION AUTHORIZATION t_notifier;
SELECT is(hall.outbox_failed(:rn, 'w6', 400, 'blocked', ''), true, 'w6 marks C''s SMS failed');
SELECT is(hall.outbox_sent(:rn, 'w6', 200), 'sent_late', 'then a 2xx for it after all: ''sent_late''');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT row(state, sent_at, failed_at)::text FROM hall.outbox WHERE id = :rn),
	row('sent', '2025-10-15 08:00+08'::timestamptz, NULL::timestamptz)::text, 'recorded as sent, no longer failed');
SET SESSION AUTHORIZATION t_sup_s;
SELECT throws_ok(format('SELECT hall.outbox_requeue(%s, %L)', :rn, ''), '55000', NULL, 'and sent is final');
SET SESSION AUTHORIZATION t_notifier;
SELECT is(hall.outbox_failed(:rd, 'w6', 400, 'bad', 'x'), true, 'w6 marks D''s SMS failed');
SET hall.fake_now = '2025-10-15 22:00+08';
SET SESSION AUTHORIZATION t_sup_s;
SELECT lives_ok(format('SELECT hall.outbox_requeue(%s, %L)', :rd, '夜间重发'), '22:00: the supervisor requeues it');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT row(state, attempts, not_before)::text FROM hall.outbox WHERE id = :rd),
	row('pending', 0, '2025-10-16 08:00+08'::timestamptz)::text,
	'a requeue at night waits for the morning too');

SELECT * FROM finish();
ROLLBACK;
