-- What the tour found missing (schema/013_tour.sql): a clerk withdraws an
-- appeal while it waits; a supervisor corrects the number of a message the
-- gateway refused (E_MOBILE) or cancels it; the gateway's answer in its own
-- words; the inquiries a clerk transferred away.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

-- The SQLSTATE and HINT a statement is refused with (pgTAP's throws_ok
-- does not look at the hint, which is the machine-readable reason).
CREATE FUNCTION public.refusal(stmt text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
DECLARE
	st text;
	h text;
BEGIN
	EXECUTE stmt;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, h = PG_EXCEPTION_HINT;
	RETURN st || ' ' || coalesce(h, '');
END $$;
GRANT EXECUTE ON FUNCTION public.refusal(text) TO PUBLIC;

-- ------------------------------------------------- withdrawing an appeal
SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a1 \gset
SELECT hall.submit('SC002', applicant_json('李四', '230102198502023333', '13822223333'), 'web') AS a2 \gset
SET hall.fake_now = '2025-09-29 09:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :a1, :a1, ''), 'clerk A completes a1');
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :a2, :a2, ''), 'and a2');
SET SESSION AUTHORIZATION t_portal;
SELECT hall.rate('application', :a1, 1, '让我跑了三趟') AS r1 \gset
SELECT hall.rate('application', :a2, 5, '很快') AS r2 \gset

SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(refusal(format('SELECT hall.withdraw_appeal(%s)', :r1)), '55000 reason:appeal_none',
	'nothing to withdraw before an appeal');
SELECT lives_ok(format('SELECT hall.appeal(%s, %L)', :r1, '申诉错了这一条'), 'clerk A appeals r1');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT is(refusal(format('SELECT hall.withdraw_appeal(%s)', :r1)), 'P0002 reason:not_found:rating',
	'another clerk cannot withdraw it (nor learn that it exists)');
SET SESSION AUTHORIZATION t_sup_s;
SELECT is(refusal(format('SELECT hall.withdraw_appeal(%s)', :r1)), 'P0002 reason:not_found:rating',
	'nor the supervisor: the appeal is the clerk''s');
SET hall.fake_now = '2025-09-29 10:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.withdraw_appeal(%s)', :r1), 'clerk A withdraws the waiting appeal');
SELECT is((SELECT row(appeal_state, appeal_reason, appeal_at, counts)::text FROM hall.v_my_ratings WHERE id = :r1),
	row(NULL::text, NULL::text, NULL::timestamptz, true)::text, 'the rating has no appeal any more, and still counts');
SELECT is((SELECT appeals_pending FROM hall.v_rating_summary), 0::bigint, 'no appeal waiting in the figures');
SELECT results_eq($$SELECT action, actor::text COLLATE "default", from_state, to_state, details->>'reason'
                    FROM hall.audit WHERE rating_id = $$ || :r1 || $$ AND action = 'withdraw_appeal'$$,
	$$VALUES ('withdraw_appeal', 't_clerk_a', 'pending', NULL::text, '申诉错了这一条')$$,
	'one audit row: who withdrew it, and the reason it had (the clerk reads it through RLS)');
SELECT is(refusal(format('SELECT hall.withdraw_appeal(%s)', :r1)), '55000 reason:appeal_none', 'withdrawn once');
SELECT lives_ok(format('SELECT hall.appeal(%s, %L)', :r1, '当天系统故障，非本人原因'), 'the rating may be appealed again');
SET SESSION AUTHORIZATION t_sup_s;
SELECT lives_ok(format('SELECT hall.judge_appeal(%s, false, %L)', :r1, '理由不成立'), 'the supervisor dismisses it');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(refusal(format('SELECT hall.withdraw_appeal(%s)', :r1)), '55000 reason:appeal_judged',
	'a judged appeal cannot be withdrawn');
SELECT is((SELECT appeal_state FROM hall.v_my_ratings WHERE id = :r1), 'dismissed', 'it stays dismissed');
SELECT is(refusal(format('SELECT hall.withdraw_appeal(%s)', 999999999)), 'P0002 reason:not_found:rating', 'no such rating');
SET SESSION AUTHORIZATION t_portal;
SELECT throws_ok(format('SELECT hall.withdraw_appeal(%s)', :r1), '42501', NULL, 'the portal may not call it');

-- ------------------------------------------------ the gateway's own words
RESET SESSION AUTHORIZATION;
SELECT is(hall.gateway_words('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>', 503),
	'Service Temporarily Unavailable', 'HTML: the tags go, and the status it repeats');
SELECT is(hall.gateway_words(E'<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>', 502),
	'Bad Gateway', 'nginx''s page: the first line only, not the title twice nor "nginx"');
SELECT is(hall.gateway_words('{"code":"E_MOBILE","message":"手机号码无效"}', 400), '手机号码无效', 'JSON: its message');
SELECT is(hall.gateway_code('{"code":"E_MOBILE","message":"手机号码无效"}'), 'E_MOBILE', 'and its code');
SELECT is(hall.gateway_words('{"error":"bad recipient E400"}', 400), 'bad recipient E400', 'JSON: an error string');
SELECT is(hall.gateway_code('{"error":"bad recipient E400"}'), '', 'no code there');
SELECT is(hall.gateway_code('{"code":"E_MOBILE","message":"手机号码无效，请核'), 'E_MOBILE',
	'an answer cut short still gives its code');
SELECT is(hall.gateway_words(E'Service Unavailable\r\nRetry-After: 30', 503), 'Service Unavailable', 'plain text: line one');
SELECT is(hall.gateway_words(E'<p>a &amp; b &lt;c&gt;\x1b[2J\x07</p>', 500), 'a & b <c> [2J', 'entities decoded, controls gone');
SELECT is(hall.gateway_words(repeat('错', 300), 500), repeat('错', 119) || '…', 'at most 120 characters');
SELECT is(hall.gateway_words(NULL, NULL), '', 'nothing said: empty');
SELECT is(hall.gateway_words('<html><body></body></html>', 503), '', 'markup only: empty');

-- ------------------------------------------- correcting or cancelling
CREATE ROLE t_notifier97 IN ROLE hall_notifier;
SET hall.fake_now = '2025-10-14 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('周九', '230102196606066666', '1360000666'), 'web') AS b1 \gset
SELECT hall.submit('SC002', applicant_json('吴十', '230102195505055555', '13500005555'), 'web') AS b2 \gset
SELECT hall.submit('GA001', applicant_json('赵六', '230102199202025678', '13900002222'), 'app') AS g1 \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L); SELECT hall.claim(%s); SELECT hall.approve(%s, %L)',
                       :b1, :b1, '准予许可', :b2, :b2, '准予许可'), 'clerk A approves b1 and b2');
SET SESSION AUTHORIZATION t_clerk_g;
SELECT lives_ok(format('SELECT hall.claim(%s); SELECT hall.approve(%s, %L)', :g1, :g1, '准予办理'), 'clerk G approves g1');
RESET SESSION AUTHORIZATION;
SELECT id AS m1, key AS k1 FROM hall.outbox WHERE app_id = :b1 \gset
SELECT id AS m2 FROM hall.outbox WHERE app_id = :b2 \gset
SELECT id AS m3 FROM hall.outbox WHERE app_id = :g1 \gset
SET SESSION AUTHORIZATION t_notifier97;
SELECT is((SELECT count(*) FROM hall.outbox_claim('w97', 10, 60) WHERE id IN (:m1, :m2, :m3)), 3::bigint,
	'the dispatcher claims the three messages');
SELECT ok(hall.outbox_failed(:m1, 'w97', 400, 'HTTP 400', '{"code":"E_MOBILE","message":"手机号码无效"}'),
	'the gateway refuses b1''s number (E_MOBILE): failed');
SELECT ok(hall.outbox_failed(:m2, 'w97', 503, 'HTTP 503; gave up after 3 attempts',
                             '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>'),
	'b2''s gives up on a 503 page');
SELECT ok(hall.outbox_failed(:m3, 'w97', 400, 'HTTP 400', '{"code":"E_MOBILE","message":"bad"}'), 'and GA''s g1 fails');

SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq(format('SELECT id, has_phone, phone_masked FROM hall.v_outbox_failed_phone ORDER BY id'),
	format($$VALUES (%s::bigint, true, '1*******66'), (%s::bigint, true, '135****5555')$$, :m1, :m2),
	'SCJG''s supervisor sees the numbers of the department''s failed messages, masked only');
SELECT is(refusal(format('SELECT hall.outbox_correct(%s, %L, %L)', :m3, '13900002223', '号码已核实')),
	'P0002 reason:not_found:notification', 'not another department''s message');
SELECT is(refusal(format('SELECT hall.outbox_correct(%s, %L, %L)', :m1, '1360000666', '号码已核实')),
	'22023 reason:phone_invalid', 'a number of 10 digits is refused');
SELECT is(refusal(format('SELECT hall.outbox_correct(%s, %L, %L)', :m1, '23600006666', '号码已核实')),
	'22023 reason:phone_invalid', 'so is one that is no mobile number');
SELECT is(refusal(format('SELECT hall.outbox_correct(%s, %L, %L)', :m1, E'\t', '号码已核实')),
	'22023 reason:text_empty:outbox_phone', 'a blank number is no number');
SELECT is(refusal(format('SELECT hall.outbox_correct(%s, %L, %L)', :m1, '13600006666', E' \u200b ')),
	'22023 reason:text_empty:outbox_fix_note', 'a correction needs a note');
SELECT is(refusal(format('SELECT hall.outbox_correct(%s, %L, %L)', :m1, '1360000666 ', '号码已核实')),
	'22023 reason:phone_invalid', 'the same wrong number again is still invalid');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok(format('SELECT hall.outbox_correct(%s, %L, %L)', :m1, '13600006666', '号码已核实'), '42501', NULL,
	'a clerk may not correct a message');
SET SESSION AUTHORIZATION t_trainer;
SELECT throws_ok(format('SELECT hall.outbox_cancel(%s, %L)', :m1, '联系不上'), '42501', NULL,
	'nor may the trainer cancel one');
SET hall.fake_now = '2025-10-14 11:00+08';
SET SESSION AUTHORIZATION t_sup_s;
SELECT lives_ok(format('SELECT hall.outbox_correct(%s, %L, %L)', :m1, '+86 136-0000-6666', '电话核实，少输了一位'),
	'SCJG''s supervisor corrects b1''s number');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT row(state, attempts, not_before, failed_at, payload->>'phone')::text FROM hall.outbox WHERE id = :m1),
	row('pending', 0, '2025-10-14 11:00+08'::timestamptz, NULL::timestamptz, '13600006666')::text,
	'b1''s message: pending, due now, attempts from zero, to the cleaned number');
SELECT isnt((SELECT key FROM hall.outbox WHERE id = :m1), :'k1'::uuid,
	'with a new Idempotency-Key (the gateway may remember its refusal under the old one)');
SELECT results_eq($$SELECT actor::text COLLATE "default", from_state, to_state, note, details->>'phone_was', details->>'phone',
                          details->>'old_key', details->>'last_error'
                     FROM hall.audit WHERE action = 'outbox_correct'$$,
	format($$VALUES ('t_sup_s', 'failed', 'pending', '电话核实，少输了一位', '1*******66', '136****6666', %L, 'HTTP 400')$$, :'k1'),
	'one audit row: who, why, the old and new number masked, the old key and error');
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'outbox_correct' AND (note || details::text) ~ '13600006666|1360000666'),
	0::bigint, 'no full phone number in the audit log');
SET SESSION AUTHORIZATION t_sup_s;
SELECT is(refusal(format('SELECT hall.outbox_correct(%s, %L, %L)', :m1, '13600006667', '再改')),
	'55000 reason:outbox_not_failed', 'a pending message is not corrected');
SELECT is(refusal(format('SELECT hall.outbox_cancel(%s, %L)', :m3, '联系不上')),
	'P0002 reason:not_found:notification', 'nor is another department''s cancelled');
SELECT is(refusal(format('SELECT hall.outbox_cancel(%s, %L)', :m2, '')),
	'22023 reason:text_empty:outbox_cancel_note', 'cancelling needs a note');
SELECT lives_ok(format('SELECT hall.outbox_cancel(%s, %L)', :m2, '申请人已到窗口领证，无需再通知'), 'the supervisor cancels b2''s');
SELECT is(refusal(format('SELECT hall.outbox_cancel(%s, %L)', :m2, '再取消')), '55000 reason:outbox_not_failed',
	'cancelled once');
SELECT matches(refusal(format('SELECT hall.outbox_requeue(%s, %L)', :m2, '重发')), '^55000', 'and a cancelled one is not requeued');
SELECT is_empty(format('SELECT id FROM hall.v_outbox_failed WHERE id IN (%s, %s)', :m1, :m2),
	'neither is in the failed list any more');
SELECT results_eq('SELECT state, n FROM hall.v_outbox_summary WHERE state = ''failed''', $$VALUES ('failed', 1::bigint)$$,
	'the summary counts one failed message: GA''s');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT state FROM hall.outbox WHERE id = :m2), 'cancelled', 'b2''s message is cancelled');
SELECT results_eq($$SELECT actor::text COLLATE "default", from_state, to_state, note FROM hall.audit WHERE action = 'outbox_cancel'$$,
	$$VALUES ('t_sup_s', 'failed', 'cancelled', '申请人已到窗口领证，无需再通知')$$, 'one audit row for the cancellation');
SET SESSION AUTHORIZATION t_notifier97;
SELECT results_eq(format($$SELECT id FROM hall.outbox_claim('w97', 10, 60) WHERE id IN (%s, %s)$$, :m1, :m2),
	format('VALUES (%s::bigint)', :m1),
	'the dispatcher takes the corrected message, never the cancelled one');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT payload->>'phone' FROM hall.outbox WHERE id = :m1), '13600006666', 'and posts it to the new number');
SET SESSION AUTHORIZATION t_sup_g;
SELECT lives_ok(format('SELECT hall.outbox_cancel(%s, %L)', :m3, '号码停机'), 'GA''s supervisor cancels GA''s');

-- ------------------------------------------- inquiries I transferred
SET hall.fake_now = '2025-10-15 09:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.ask('web', 'SCJG', '{"name": "孙七", "phone": "13700001111"}', '居住证办理', '居住证在哪里办？') AS q1 \gset
SELECT hall.ask('web', 'SCJG', '{"name": "郑一", "phone": "13400004444"}', '个体户登记', '要带什么？') AS q2 \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is_empty('SELECT * FROM hall.my_transfers()', 'clerk A has transferred nothing yet');
SELECT lives_ok(format('SELECT hall.transfer_inquiry(%s, %L, %L)', :q1, 'GA', '属公安局职责'), 'clerk A transfers q1 to GA');
SELECT lives_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q2, '请带身份证。'), 'and answers q2');
SELECT is_empty(format('SELECT 1 FROM hall.v_inquiries WHERE id = %s', :q1), 'q1 is no longer visible to clerk A');
SELECT results_eq('SELECT ref, subject, asker_name, to_department, to_department_name, note, answered, transferred_at FROM hall.my_transfers()',
	$$VALUES ('Z251015-0001', '居住证办理', '孙七', 'GA', '公安局', '属公安局职责', false, '2025-10-15 09:00+08'::timestamptz)$$,
	'hall.my_transfers(): what it was, where it went, the note, not answered yet');
SELECT results_eq(format('SELECT ref FROM hall.v_inquiries q JOIN hall.v_inquiry_replies r ON r.inquiry_id = q.id WHERE r.staff_id = %s', sid('t_clerk_a')),
	$$VALUES ('Z251015-0002')$$, 'the answered one is read through row-level security, as before');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT is_empty('SELECT * FROM hall.my_transfers()', 'clerk B sees none of clerk A''s transfers');
SET SESSION AUTHORIZATION t_clerk_g;
SELECT lives_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q1, '请到公安1号窗口办理。'), 'GA''s clerk answers q1');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is((SELECT answered FROM hall.my_transfers()), true, 'clerk A sees that it has been answered');
SELECT is((SELECT count(*) FROM hall.my_transfers(0)), 1::bigint, 'a limit below 1 still gives a row');
SET SESSION AUTHORIZATION t_portal;
SELECT throws_ok('SELECT * FROM hall.my_transfers()', '42501', NULL, 'the portal may not call it');

SELECT * FROM finish();
ROLLBACK;
