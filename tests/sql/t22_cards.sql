-- Red and yellow cards (schema/017_cards.sql): issued by hall.issue_cards()
-- once per item and rule, on time, with the clock moved; cleared when the
-- condition ends; the holder recorded; one outbox message per card; read
-- through row-level security.
--
-- November 2025 has no holiday: working days Mon-Fri.  warn_days = 1, so on
-- day D an item is yellow when its deadline is D or the next working day,
-- red when its deadline is before D.
--
--  item  what                                  deadline           cards (day issued)
--  C1    SC002 A01, claimed by a on Mon Nov 3  due Mon Nov 10     yellow case_warning (Fri 7); cleared when approved (Fri 7)
--  C2    SC001 A02, never claimed              accept Mon Nov 10  yellow case_warning (Fri 7), red accept_missed (Tue 11)
--  C3    GA001 B01, claimed by g, escalated    due Thu Nov 6,     yellow case_warning (Wed 5), red escalation_late (Thu 6),
--        Tue Nov 4                             escalation Wed 5   red case_overdue (Fri 7)
--  Q1    SCJG hotline Mon Nov 3                due Thu Nov 6      yellow inquiry_warning (Wed 5), red inquiry_overdue (Fri 7); cleared by the reply
--  C4    SC002 A01 by b, returned twice,       -                  red notice_breach (Wed 5), holder b
--        the second a breach (Wed Nov 5)
--  R1    C1 rated 1 on Fri Nov 7 (holder a)    callback Mon 10    yellow rectify_due (Fri 7), red rectify_overdue (Tue 11)
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

CREATE FUNCTION public.t22_refusal(stmt text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

-- The cards as the superuser sees them, one line each.
CREATE FUNCTION public.t22_cards() RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
	SELECT k.color || ' ' || k.rule || ' ' || k.ref || ' ' || coalesce(s.login, '-') || ' ' || k.issued_on
	       || CASE WHEN k.cleared_at IS NULL THEN ' open' ELSE ' cleared' END
	FROM hall.cards k LEFT JOIN hall.staff s ON s.id = k.staff_id
	ORDER BY k.id
$$;

-- ------------------------------------------------------------------ Mon 3
SET hall.fake_now = '2025-11-03 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('甲', '230102199001010001', '13800000001'), 'web') AS c1 \gset
SELECT hall.submit('SC001', applicant_json('乙', '230102199001010002', '13800000002'), 'web') AS c2 \gset
SELECT hall.submit('GA001', applicant_json('丙', '230102199001010003', '13800000003'), 'web') AS c3 \gset
SELECT hall.submit('SC002', applicant_json('丁', '230102199001010004', '13800000004'), 'web') AS c4 \gset
SELECT hall.ask('hotline', 'SCJG', '{"name": "问一"}', '个体户', '需要什么材料？') AS q1 \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.claim(:c1);
SET SESSION AUTHORIZATION t_clerk_g;
SELECT hall.claim(:c3);
SET SESSION AUTHORIZATION t_clerk_b;
SELECT hall.claim(:c4);
SELECT hall.return_for_correction(:c4, ARRAY[mat('SC002', '营业执照')], '');
RESET SESSION AUTHORIZATION;

SELECT is((SELECT due_date FROM app(:c1)), '2025-11-10'::date, 'C1 is due Mon Nov 10');
SELECT is((SELECT accept_due FROM app(:c2)), '2025-11-10'::date, 'C2 must be accepted by Mon Nov 10');
SELECT is((SELECT due_date FROM app(:c3)), '2025-11-06'::date, 'C3 is due Thu Nov 6');

SET hall.fake_now = '2025-11-03 12:00+08';
SELECT is(hall.issue_cards(), 0, 'Mon 3: nothing is near its deadline, no card');

-- A clerk may not issue cards, nor write them.
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(t22_refusal('SELECT hall.issue_cards()'), '42501', 'a clerk may not call hall.issue_cards()');
SELECT is(t22_refusal('SELECT * FROM hall.issue_cards_run()'), '42501', 'nor hall.issue_cards_run()');
SELECT is(t22_refusal($$INSERT INTO hall.cards (color, rule, kind, item_id, ref, department_code, issued_at, issued_on)
	VALUES ('red', 'case_overdue', 'application', 1, 'x', 'SCJG', now(), current_date)$$), '42501',
	'a clerk may not insert a card');
SELECT is(t22_refusal('UPDATE hall.cards SET cleared_at = now()'), '42501', 'nor clear one');
RESET SESSION AUTHORIZATION;

-- ------------------------------------------------------------------ Tue 4
SET hall.fake_now = '2025-11-04 10:00+08';
SET SESSION AUTHORIZATION t_clerk_g;
SELECT hall.escalate(:c3, '材料真实性存疑，请科长决定');
SET SESSION AUTHORIZATION t_portal;
SELECT hall.resubmit(:c4, ARRAY[mat('SC002', '营业执照')]);
RESET SESSION AUTHORIZATION;
SELECT is((SELECT escalation_due FROM app(:c3)), '2025-11-05'::date, 'C3''s escalation must be decided by Wed Nov 5');
SET hall.fake_now = '2025-11-04 12:00+08';
SELECT is(hall.issue_cards(), 0, 'Tue 4: still two working days or more everywhere, no card');

-- ------------------------------------------------------------------ Wed 5
SET hall.fake_now = '2025-11-05 09:00+08';
SET SESSION AUTHORIZATION t_clerk_b;
SELECT hall.claim(:c4);
SELECT hall.return_for_correction(:c4, ARRAY[mat('SC002', '身份证')], '', '身份证过期，首次未发现');
RESET SESSION AUTHORIZATION;

SET hall.fake_now = '2025-11-05 12:00+08';
SELECT is(hall.issue_cards(), 3, 'Wed 5: three cards');
SELECT set_eq('SELECT t22_cards()', ARRAY[
	'yellow case_warning ' || (SELECT case_no FROM app(:c3)) || ' t_clerk_g 2025-11-05 open',
	'yellow inquiry_warning ' || (SELECT ref FROM hall.inquiries WHERE id = :q1) || ' - 2025-11-05 open',
	'red notice_breach ' || (SELECT case_no FROM app(:c4)) || ' t_clerk_b 2025-11-05 open'],
	'C3 due tomorrow (held by g), Q1 due tomorrow (held by nobody), C4''s breach (made by b)');
SELECT is((SELECT issued_at FROM hall.cards WHERE rule = 'case_warning'), '2025-11-05 12:00+08'::timestamptz,
	'stamped with hall.now(), the moved clock');
SELECT is((SELECT due_date FROM hall.cards WHERE rule = 'case_warning'), '2025-11-06'::date, 'with the deadline it is about');
SELECT is(hall.issue_cards(), 0, 'a second run issues nothing');
SELECT is((SELECT count(*)::int FROM hall.cards), 3, 'and there are still three cards');

-- One message per card, to the holder (or the department's supervisors).
SELECT is((SELECT count(*)::int FROM hall.outbox WHERE recipient = 'staff' AND event = 'card'), 3, 'one outbox message per card');
SELECT is((SELECT payload->>'login' FROM hall.outbox WHERE recipient = 'staff' AND payload->>'rule' = 'case_warning'),
	't_clerk_g', 'the case''s message goes to its holder');
SELECT is((SELECT payload->'supervisors' FROM hall.outbox WHERE recipient = 'staff' AND payload->>'rule' = 'inquiry_warning'),
	'["t_sup_s"]'::jsonb, 'a card held by nobody goes to the department''s supervisors');
SELECT is((SELECT payload->>'color' || ' ' || (payload->>'text') FROM hall.outbox WHERE recipient = 'staff' AND payload->>'rule' = 'case_warning'),
	'yellow 黄牌：办件 ' || (SELECT case_no FROM app(:c3)) || ' 即将到期（期限 2025-11-06）', 'it says colour, item and deadline');
SELECT ok(NOT EXISTS (SELECT 1 FROM hall.outbox WHERE recipient = 'staff'
	AND (payload::text ~ '2301021990' OR payload ? 'phone')), 'and no ID or phone number');

-- ------------------------------------------------------------------ Thu 6
SET hall.fake_now = '2025-11-06 12:00+08';
SELECT is(hall.issue_cards(), 1, 'Thu 6: one card');
SELECT is((SELECT staff_id FROM hall.cards WHERE rule = 'escalation_late'), NULL::int,
	'the escalation left undecided (red, held by the supervisors, nobody by name)');
SELECT is((SELECT color FROM hall.cards WHERE rule = 'escalation_late'), 'red', 'red');

-- ------------------------------------------------------------------ Fri 7
SET hall.fake_now = '2025-11-07 12:00+08';
SELECT is(hall.issue_cards(), 4, 'Fri 7: four cards');
SELECT set_eq($$SELECT color || ' ' || rule || ' ' || ref FROM hall.cards WHERE issued_on = '2025-11-07'$$, ARRAY[
	'yellow case_warning ' || (SELECT case_no FROM app(:c1)),
	'yellow case_warning ' || (SELECT case_no FROM app(:c2)),
	'red case_overdue ' || (SELECT case_no FROM app(:c3)),
	'red inquiry_overdue ' || (SELECT ref FROM hall.inquiries WHERE id = :q1)],
	'C1 and C2 due Monday, C3 and Q1 overdue');
SELECT is((SELECT cleared_at FROM hall.cards WHERE rule = 'case_warning' AND item_id = :c3), '2025-11-07 12:00+08'::timestamptz,
	'C3''s yellow card is cleared when its red one is issued');
SELECT is((SELECT cleared_at FROM hall.cards WHERE rule = 'inquiry_warning'), '2025-11-07 12:00+08'::timestamptz,
	'and so is Q1''s');
SELECT is((SELECT count(*)::int FROM hall.cards WHERE kind = 'application' AND item_id = :c3 AND rule = 'case_warning'), 1,
	'still one card per item and rule');

SET hall.fake_now = '2025-11-07 14:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.approve(:c1, '');
SELECT hall.reply_inquiry(:q1, '请携带身份证和经营场所证明。');
SET hall.fake_now = '2025-11-07 15:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.rate('application', :c1, 1, '太慢') AS r1 \gset
RESET SESSION AUTHORIZATION;

SET hall.fake_now = '2025-11-07 16:00+08';
SELECT is(hall.issue_cards(), 1, 'Fri 7 16:00: one card, the bad rating''s callback due Monday');
SELECT is((SELECT color || ' ' || s.login FROM hall.cards k JOIN hall.staff s ON s.id = k.staff_id
	WHERE k.kind = 'rating' AND k.item_id = :r1 AND k.rule = 'rectify_due'), 'yellow t_clerk_a',
	'yellow, held by the rated clerk');
SELECT is((SELECT cleared_at FROM hall.cards WHERE item_id = :c1 AND rule = 'case_warning'), '2025-11-07 16:00+08'::timestamptz,
	'the completed case''s card is cleared');
SELECT is((SELECT cleared_at FROM hall.cards WHERE rule = 'inquiry_overdue'), '2025-11-07 16:00+08'::timestamptz,
	'and the answered inquiry''s');
SELECT is((SELECT count(*)::int FROM hall.cards WHERE cleared_at IS NULL), 5,
	'five cards open (C2 yellow, C3 two red, C4 red, R1 yellow)');

-- --------------------------------------------------------------- Tue 11
SET hall.fake_now = '2025-11-11 12:00+08';
SELECT is(hall.issue_cards(), 2, 'Tue 11: two red cards');
SELECT is((SELECT color FROM hall.cards WHERE item_id = :c2 AND rule = 'accept_missed'), 'red', 'C2 was not accepted in time');
SELECT is((SELECT staff_id FROM hall.cards WHERE item_id = :c2 AND rule = 'accept_missed'), NULL::int, 'nobody held it');
SELECT is((SELECT color FROM hall.cards WHERE kind = 'rating' AND item_id = :r1 AND rule = 'rectify_overdue'), 'red',
	'the callback is late');
SELECT is((SELECT count(*)::int FROM hall.outbox WHERE recipient = 'staff' AND event = 'card'),
	(SELECT count(*)::int FROM hall.cards), 'still one message per card');
SELECT is(hall.issue_cards(), 0, 'a second run issues nothing');

-- ------------------------------------------------------------- reading
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is((SELECT array_agg(rule ORDER BY rule) FROM hall.cards), ARRAY['case_warning', 'rectify_due', 'rectify_overdue'],
	'clerk a sees their own cards only');
SELECT is((SELECT array_agg(rule ORDER BY rule) FROM hall.v_my_cards), ARRAY['rectify_overdue'],
	'and their open ones in v_my_cards (the callback is late, no longer due)');

SET SESSION AUTHORIZATION t_clerk_g;
SELECT is((SELECT array_agg(rule ORDER BY rule) FROM hall.cards), ARRAY['case_overdue', 'case_warning'], 'clerk g sees theirs');
SELECT is(t22_refusal($$SELECT * FROM hall.card_counts('2025-11-01', '2025-11-30')$$), 'ok', 'a clerk may count');
SELECT results_eq($$SELECT login, yellow, red, open_yellow, open_red FROM hall.card_counts('2025-11-01', '2025-11-30')$$,
	$$VALUES ('t_clerk_g'::text, 1::bigint, 1::bigint, 0::bigint, 1::bigint)$$, 'their own counts');
SET SESSION AUTHORIZATION t_sup_s;
SELECT is((SELECT count(*)::int FROM hall.cards WHERE department_code <> 'SCJG'), 0, 'a supervisor sees their department''s');
SELECT results_eq($$SELECT coalesce(login, '-'), yellow, red, open_yellow, open_red FROM hall.card_counts('2025-11-01', '2025-11-30')$$,
	$$VALUES ('-'::text, 2::bigint, 2::bigint, 0::bigint, 1::bigint),
	         ('t_clerk_a', 2, 1, 0, 1),
	         ('t_clerk_b', 0, 1, 0, 1)$$,
	'per clerk in the department, and the cards held by nobody');
SELECT results_eq($$SELECT coalesce(login, '-'), yellow, red FROM hall.card_counts('2025-11-08', '2025-11-30')$$,
	$$VALUES ('-'::text, 0::bigint, 1::bigint), ('t_clerk_a', 0, 1), ('t_clerk_b', 0, 0)$$,
	'issued in the period; the open ones whenever issued');
SET SESSION AUTHORIZATION t_trainer;
SELECT is((SELECT count(*)::int FROM hall.v_cards), (SELECT count(*)::int FROM hall.cards), 'the trainer sees every card');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
