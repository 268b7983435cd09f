-- Tickets, the window, the display and 一次一评 (schema/023_tickets.sql):
-- numbering per line and day; the calling order (green channel, then the
-- longest wait, an appointment not before its slot); recall, skip once
-- back into the line, skip twice dropped; the window's status; the display
-- and the pad, each reading only what it may; one rating request per
-- service, rated once at the pad (a bad rating in the clerk's ratings with
-- its rectification open), the SMS when unrated, the default rating after
-- rating_default_days with the clock moved (0 = never); the figures.
--
-- Lines: A 商事登记 (SCJG; windows A01, A02), C 食品经营 (SCJG; A01 only),
-- B 居住证 (GA; B01).  Mon 3 Nov 2025, a working day.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

INSERT INTO hall.lines (code, name, department_code, ord) VALUES
	('A', '商事登记', 'SCJG', 1), ('C', '食品经营', 'SCJG', 2), ('B', '居住证', 'GA', 3);
INSERT INTO hall.window_lines (window_code, line_code) VALUES ('A01', 'A'), ('A02', 'A'), ('A01', 'C'), ('B01', 'B');
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 't29_pad') THEN
		CREATE ROLE t29_pad LOGIN PASSWORD 'test-password-1' IN ROLE hall_pad;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 't29_display') THEN
		CREATE ROLE t29_display LOGIN PASSWORD 'test-password-1' IN ROLE hall_display;
	END IF;
END $$;
INSERT INTO hall.pads (login, window_code) VALUES ('t29_pad', 'A01');

CREATE FUNCTION public.t29_ticket(p_label text, p_day date DEFAULT '2025-11-03') RETURNS hall.tickets
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog
AS $$ SELECT * FROM hall.tickets x WHERE x.label = p_label AND x.day = p_day $$;
CREATE FUNCTION public.t29_request(p_ticket bigint) RETURNS hall.rating_requests
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog
AS $$ SELECT * FROM hall.rating_requests q WHERE q.ticket_id = p_ticket $$;

-- ----------------------------------------------------------- numbering
SET hall.fake_now = '2025-11-03 09:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT is(hall.take_ticket('A', 'kiosk'), 'A001', 'the first ticket of line A today is A001');
SET hall.fake_now = '2025-11-03 09:01+08';
SELECT is(hall.take_ticket('A', 'kiosk'), 'A002', 'then A002');
SET hall.fake_now = '2025-11-03 09:02+08';
SELECT is(hall.take_ticket('A', 'app', '2025-11-03 09:30+08'), 'A003', 'an appointment for 09:30 today: A003');
SET hall.fake_now = '2025-11-03 09:03+08';
SELECT is(hall.take_ticket('A', 'green'), 'A004', 'the green channel: A004');
SET hall.fake_now = '2025-11-03 09:04+08';
SELECT is(hall.take_ticket('B', 'kiosk'), 'B001', 'line B counts on its own: B001');
SET hall.fake_now = '2025-11-03 09:05+08';
SELECT is(hall.take_ticket('C', 'kiosk', NULL, '13800000009'), 'C001', 'line C: C001 (with a phone for the SMS)');
SELECT is(hall.take_ticket('A', 'app', '2025-11-04 10:00+08'), 'A001',
	'an appointment for tomorrow is numbered in tomorrow''s line: A001 of Nov 4');
SELECT is(refusal_of($$SELECT hall.take_ticket('Z', 'kiosk')$$), '22023 reason:line_unknown', 'no line Z');
SELECT is(refusal_of($$SELECT hall.take_ticket('A', 'phone')$$), '22023 reason:ticket_channel', 'no channel "phone"');
SELECT is(refusal_of($$SELECT hall.take_ticket('A', 'app')$$), '22023 reason:ticket_slot', 'an appointment needs its slot');
SELECT is(refusal_of($$SELECT hall.take_ticket('A', 'app', '2025-11-02 10:00+08')$$), '22023 reason:ticket_slot',
	'and not a slot of yesterday');
SELECT is(refusal_of($$SELECT hall.take_ticket('A', 'kiosk', '2025-11-03 10:00+08')$$), '22023 reason:ticket_slot',
	'a kiosk ticket has no slot');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM hall.tickets WHERE day = '2025-11-03'), 6::bigint, 'six tickets for today, none refused made one');
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'take_ticket'), 7::bigint, 'each taken ticket is in the audit log');

-- A clerk sees the waiting of their windows' lines.
SET hall.fake_now = '2025-11-03 09:10+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(ARRAY(SELECT line_code || ':' || waiting FROM hall.v_line_waiting), '{A:3,C:1}',
	'clerk a (A01: lines A and C) sees A waiting 3 (A003 waits for its slot) and C 1');
SELECT is((SELECT waiting FROM hall.v_my_window WHERE window_code = 'A01'), 4, 'window A01 has 4 callable tickets');
SELECT is((SELECT status FROM hall.v_my_window WHERE window_code = 'A01'), 'idle', 'and it is idle');
SELECT is(refusal_of('SELECT phone FROM hall.tickets'), '42501', 'a clerk cannot read a ticket''s phone number');
SELECT is((SELECT phone_masked FROM hall.tickets WHERE label = 'C001'), '138****0009', 'only its masked form');

-- ----------------------------------------------------------- the window
SELECT is(refusal_of($$SELECT hall.window_set_status('A01', 'paused')$$), '22023 reason:text_empty:window_reason',
	'pausing needs a reason');
SELECT is(refusal_of($$SELECT hall.window_set_status('A01', 'serving')$$), '22023 reason:window_status',
	'serving is not set by hand');
SELECT is(refusal_of($$SELECT hall.window_set_status('A01', 'paused', '系统故障')$$), 'ok', 'paused with a reason');
SELECT is((SELECT status || ' ' || reason FROM hall.v_my_window WHERE window_code = 'A01'), 'paused 系统故障',
	'the window shows paused and why');
SELECT is(refusal_of($$SELECT hall.call_next('B01')$$), '42501 reason:window_not_yours', 'clerk a cannot call for B01');

-- ----------------------------------------------------------- the order
SELECT hall.call_next('A01') AS k1 \gset
SELECT is((SELECT label FROM t29_ticket('A004') WHERE id = :k1), 'A004', 'the green channel is called first');
SELECT is((SELECT status || ' ' || label FROM hall.v_my_window WHERE window_code = 'A01'), 'serving A004',
	'calling from paused: the window is serving A004');
SELECT is(refusal_of($$SELECT hall.call_next('A01')$$), '55000 reason:window_busy',
	'no second call while A004 is at the counter');
SELECT is(refusal_of($$SELECT hall.window_set_status('A01', 'away')$$), '55000 reason:window_busy',
	'nor leaving the window');
SELECT is(refusal_of(format('SELECT hall.recall(%s)', :k1)), 'ok', '重呼 A004');
SELECT is((SELECT recalls FROM t29_ticket('A004')), 1, 'A004 was called again once');
RESET SESSION AUTHORIZATION;

-- The display: only its two functions.
SET SESSION AUTHORIZATION t29_display;
SELECT is(ARRAY(SELECT label || '@' || window_code || CASE WHEN recall THEN ' again' ELSE '' END
                FROM hall.display_calls(ARRAY['A'], 5)), '{"A004@A01 again",A004@A01}',
	'the display shows the recall, then the call, newest first');
SELECT is(ARRAY(SELECT line_code || ':' || waiting FROM hall.display_waiting(ARRAY['A', 'B'])), '{A:2,B:1}',
	'and the waiting per line');
SELECT is(refusal_of('SELECT count(*) FROM hall.tickets'), '42501', 'the display cannot read the tickets');
SELECT is(refusal_of('SELECT count(*) FROM hall.calls'), '42501', 'nor the calls table');
SELECT is(refusal_of($$SELECT hall.call_next('A01')$$), '42501', 'nor call');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION t_clerk_c;
SELECT is(refusal_of(format('SELECT hall.finish_ticket(%s)', :k1)), 'P0002 reason:not_found:ticket',
	'clerk c (A02) cannot finish A01''s ticket');
SELECT hall.call_next('A02') AS k2 \gset
SELECT is((SELECT label FROM t29_ticket('A001') WHERE id = :k2), 'A001', 'A02 calls the longest waiting: A001');
RESET SESSION AUTHORIZATION;

SET hall.fake_now = '2025-11-03 09:12+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.finish_ticket(:k1) AS r1 \gset
SELECT is((SELECT status FROM hall.v_my_window WHERE window_code = 'A01'), 'idle', 'finished: A01 is idle');
SELECT is(refusal_of(format('SELECT hall.finish_ticket(%s)', :k1)), '55000 reason:ticket_state',
	'a service is finished once');
SELECT hall.call_next('A01') AS k3 \gset
SELECT is((SELECT label FROM t29_ticket('A002') WHERE id = :k3), 'A002', 'A01 calls A002 (A001 is at A02)');
SELECT is(hall.skip_ticket(:k3), 'waiting', '过号: A002 goes back into the line');
SELECT hall.call_next('A01') AS k4 \gset
SELECT is((SELECT label FROM t29_ticket('C001') WHERE id = :k4), 'C001',
	'then C001 (09:05) before A002, back at the end of the line since 09:12');
SET hall.fake_now = '2025-11-03 09:13+08';
SELECT hall.finish_ticket(:k4) AS r4 \gset
SELECT is(hall.call_next('A01'), :k3::bigint, 'A002 is called again');
SELECT is(hall.skip_ticket(:k3), 'dropped', 'skipped a second time: dropped');
SELECT is(hall.call_next('A01'), NULL::bigint, 'nobody else to call before 09:30 (A003 is an appointment)');
SET hall.fake_now = '2025-11-03 09:31+08';
SELECT is((SELECT label FROM t29_ticket('A003') WHERE id = hall.call_next('A01')), 'A003', 'A003 at its slot');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT state || ' ' || skips FROM t29_ticket('A002')), 'dropped 2', 'A002 dropped after two skips');
SELECT is((SELECT count(*) FROM hall.calls c JOIN hall.tickets x ON x.id = c.ticket_id WHERE x.label = 'A002'), 2::bigint,
	'A002 was called twice');
SELECT is((SELECT count(*) FROM hall.audit WHERE action IN ('call', 'recall', 'skip', 'drop', 'finish')), 11::bigint,
	'every call, recall, skip, drop and finish is in the audit log');

-- ----------------------------------------------------------- the pad
SET hall.fake_now = '2025-11-03 09:32+08';
SET SESSION AUTHORIZATION t29_pad;
SELECT is(ARRAY(SELECT request_id || ' ' || label FROM hall.pad_request('A01')), ARRAY[:r4 || ' C001'],
	'the pad shows the newest request of its window: C001');
SELECT is(refusal_of($$SELECT * FROM hall.pad_request('A02')$$), '42501 reason:pad_window', 'not the requests of A02');
SELECT is(refusal_of(format('SELECT hall.pad_rate(%s, 5, %L)', :r1, '')), '55000 reason:rating_request_gone',
	'A004''s request is no longer at the pad: C001 finished after it');
SELECT is(refusal_of(format('SELECT hall.pad_rate(%s, 6, %L)', :r4, '')), '22023 reason:rating_level', 'levels are 1-5');
SELECT is(refusal_of('SELECT count(*) FROM hall.rating_requests'), '42501', 'the pad reads no table');
RESET SESSION AUTHORIZATION;

-- A004 is rated online by the portal before any SMS; then C001 at the pad, 2.
SET SESSION AUTHORIZATION t_portal;
SELECT ok(hall.rate('service', :k1, 2, '等了太久') > 0, 'A004 is rated online, 2');
SELECT is(refusal_of(format($$SELECT hall.rate('service', %s, 4, '')$$, :k1)), '55000 reason:already_rated',
	'a second rating of A004 is refused');
SELECT is(refusal_of(format($$SELECT hall.rate('service', %s, 4, '')$$, :k3)), '55000 reason:rate_not_closed',
	'a dropped ticket has no service to rate');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t29_pad;
SELECT ok(hall.pad_rate(:r4, 2, '窗口人员态度冷淡') > 0, 'C001 is rated 2 at the pad');
SELECT is(refusal_of(format('SELECT hall.pad_rate(%s, 5, %L)', :r4, '')), '55000 reason:already_rated',
	'the same service is not rated twice');
SELECT is(ARRAY(SELECT label FROM hall.pad_request('A01')), '{}'::text[], 'the pad has nothing open now');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT channel FROM t29_request(:k1)), 'online', 'A004: rated online');
SELECT is((SELECT channel FROM t29_request(:k4)), 'pad', 'C001: rated at the pad');
SELECT is((SELECT count(*) FROM hall.rating_requests), 2::bigint, 'one request per finished service (A004, C001)');

SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(ARRAY(SELECT target || ' ' || level || ' ' || rectification_open FROM hall.v_my_ratings WHERE kind = 'service' ORDER BY id),
	'{"A004 商事登记 2 true","C001 食品经营 2 true"}',
	'clerk a sees both bad ratings of their services, each with its rectification open');
SELECT is(refusal_of(format($$SELECT hall.rectify(%s, 'verify', '已核实')$$,
	(SELECT id FROM hall.v_my_ratings WHERE kind = 'service' ORDER BY id LIMIT 1))), 'ok',
	'and verifies the first, as any bad rating');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_clerk_b;
SELECT is((SELECT count(*) FROM hall.v_my_ratings WHERE kind = 'service'), 0::bigint,
	'clerk b, of the same window, does not see them');
RESET SESSION AUTHORIZATION;

-- ----------------------------------------------------------- the case
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC001', applicant_json('钱七', '230102199001010077', '13800000077'), 'web') AS c_sc \gset
SELECT hall.submit('GA001', applicant_json('孙八', '230102199001010088', '13800000088'), 'web') AS c_ga \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(refusal_of(format('SELECT hall.link_ticket(%s, %s)', (SELECT id FROM t29_ticket('A003')), :c_sc)), 'ok',
	'A003, at the counter, is linked to the case received for it');
SELECT is(refusal_of(format('SELECT hall.link_ticket(%s, %s)', (SELECT id FROM t29_ticket('A003')), :c_ga)),
	'P0002 reason:not_found:case', 'not to a case of another department');
SELECT is(refusal_of(format('SELECT hall.link_ticket(%s, %s)', (SELECT id FROM t29_ticket('A001')), :c_sc)),
	'P0002 reason:not_found:ticket', 'nor is another window''s ticket linked');
SELECT hall.finish_ticket((SELECT id FROM t29_ticket('A003'))) AS r3 \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT application_id FROM t29_ticket('A003')), :c_sc::bigint, 'A003 leads to the case');
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'link_ticket' AND app_id = :c_sc), 1::bigint,
	'the link is in the case''s history');
SET SESSION AUTHORIZATION t_clerk_c;
SELECT hall.finish_ticket(:k2) AS r2 \gset
RESET SESSION AUTHORIZATION;

-- ----------------------------------------------------------- SMS
-- Unrated: A003 (A01, 09:32; its case's applicant has a phone) and A001
-- (A02, 09:32; no phone anywhere).  rating_sms_after_minutes = 30.
SELECT is((SELECT value FROM hall.settings WHERE key = 'rating_sms_after_minutes'), '30', 'the SMS waits 30 minutes');
SET hall.fake_now = '2025-11-03 10:01+08';
SELECT is((SELECT sms || ' ' || defaulted FROM hall.rating_requests_run()), '0 0', 'at 10:01 nothing is due yet');
SET hall.fake_now = '2025-11-03 10:03+08';
SELECT is((SELECT sms || ' ' || defaulted FROM hall.rating_requests_run()), '1 0',
	'at 10:03 one SMS is queued (A001 has no phone: its step is recorded without one)');
SELECT is((SELECT count(*) FROM hall.rating_requests WHERE sms_at IS NOT NULL), 2::bigint, 'both requests had their SMS step');
SELECT is((SELECT payload->>'phone' || ' ' || (payload->>'text' LIKE '%A003%' || (SELECT key::text FROM t29_request((SELECT id FROM t29_ticket('A003')))) || '%')
           FROM hall.outbox WHERE event = 'rating_sms'),
	'13800000077 true', 'the SMS goes to the case''s applicant, names the ticket and links to its request');
SELECT is((SELECT recipient || ' ' || app_id FROM hall.outbox WHERE event = 'rating_sms'), 'applicant ' || :c_sc,
	'as a message to the applicant of the case');
SELECT is((SELECT sms || ' ' || defaulted FROM hall.rating_requests_run()), '0 0', 'a second run sends nothing again');
SET SESSION AUTHORIZATION t29_pad;
SELECT is(ARRAY(SELECT label FROM hall.pad_request('A01')), '{}'::text[], 'after the SMS the pad no longer offers A003');
SELECT is(refusal_of(format('SELECT hall.pad_rate(%s, 5, %L)', :r3, '')), '55000 reason:rating_request_gone',
	'nor rates it');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_portal;
SELECT ok(hall.rate('service', (SELECT id FROM t29_ticket('A003')), 4, '') > 0, 'the citizen rates A003 by the SMS link');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT channel FROM t29_request((SELECT id FROM t29_ticket('A003')))), 'sms', 'A003: rated by SMS');

-- ----------------------------------------------------------- default
-- A001 stays unrated.  rating_default_days = 7, level 3: on Nov 10.
SET hall.fake_now = '2025-11-09 23:59+08';
SELECT is((SELECT defaulted FROM hall.rating_requests_run()), 0, 'six days on, no default rating yet');
UPDATE hall.settings SET value = '0' WHERE key = 'rating_default_days';
SET hall.fake_now = '2025-12-31 10:00+08';
SELECT is((SELECT defaulted FROM hall.rating_requests_run()), 0, 'with rating_default_days 0, never');
UPDATE hall.settings SET value = '7' WHERE key = 'rating_default_days';
-- The database's clock, as the cron job (a session of its own) reads it.
RESET hall.fake_now;
SELECT is(hall.set_clock('2025-11-10 00:01+08', false), '2025-11-10 00:01+08'::timestamptz,
	'the database''s clock moved to Mon Nov 10');
SELECT is((SELECT defaulted FROM hall.rating_requests_run()), 1, 'seven days on, A001 gets its default rating');
SELECT is((SELECT r.level || ' ' || r.proactive || ' ' || q.channel || ' ' || (q.defaulted_at IS NOT NULL)
                  || ' ' || (SELECT s.login FROM hall.staff s WHERE s.id = r.staff_id)
           FROM hall.rating_requests q JOIN hall.ratings r ON r.id = q.rating_id WHERE q.ticket_id = :k2),
	'3 false default true t_clerk_c', 'level 3 (基本满意), not proactive, recorded as a default, for clerk c');
SELECT is((SELECT count(*) FROM hall.rectifications x JOIN hall.rating_requests q ON q.rating_id = x.rating_id WHERE q.ticket_id = :k2),
	0::bigint, 'a default rating opens no rectification');
SELECT is((SELECT defaulted FROM hall.rating_requests_run()), 0, 'and only once');
SELECT is((SELECT count(*) FROM hall.facts_drift() WHERE rows_differing <> 0), 0::bigint,
	'the supervisors'' facts follow the service ratings');

-- ----------------------------------------------------------- figures
SET SESSION AUTHORIZATION t_sup_s;
SELECT is(ARRAY(SELECT concat_ws(' ', key, served, no_shows, rated_pad, rated_sms, defaulted, unrated)
                FROM hall.ticket_figures(NULL, '2025-11-03', '2025-11-03', 'window')),
	'{"A01 3 1 0.3333 0.6667 0.0000 0.0000","A02 1 0 0.0000 0.0000 1.0000 0.0000"}',
	'per window: A01 served 3, one no-show, 1/3 at the pad, 2/3 online; A02 one default');
SELECT is((SELECT wait_avg_s || ' ' || service_avg_s FROM hall.ticket_figures('SCJG', '2025-11-03', '2025-11-03', 'line') WHERE key = 'C'),
	'420.0 60.0', 'line C: C001 waited 7 minutes (taken 09:05, called 09:12) and was served 1 minute');
SELECT is(ARRAY(SELECT key FROM hall.ticket_figures(NULL, '2025-11-03', '2025-11-03', 'clerk')),
	ARRAY[sid('t_clerk_a')::text, sid('t_clerk_c')::text], 'per clerk: a and c');
SELECT is(refusal_of($$SELECT * FROM hall.ticket_figures('GA', '2025-11-03', '2025-11-03', 'line')$$),
	'42501 reason:not_your_department', 'a supervisor reads their own department only');
SELECT is(refusal_of($$SELECT * FROM hall.ticket_figures(NULL, '2025-11-03', '2025-11-03', 'day')$$),
	'22023 reason:figures_by', 'by line, window or clerk');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(refusal_of($$SELECT * FROM hall.ticket_figures(NULL, '2025-11-03', '2025-11-03', 'line')$$), '42501',
	'a clerk does not read the figures');
RESET SESSION AUTHORIZATION;

-- ----------------------------------------------------------- next day
SET hall.fake_now = '2025-11-04 09:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT is(hall.take_ticket('A', 'kiosk'), 'A002', 'on Nov 4 line A goes on after the appointment booked yesterday: A002');
SELECT is(hall.take_ticket('B', 'kiosk'), 'B001', 'and line B starts again at B001');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(ARRAY(SELECT line_code || ':' || waiting FROM hall.v_line_waiting), '{A:1,C:0}',
	'A002 waits; yesterday''s tickets do not, nor A001 of Nov 4 before its 10:00 slot');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
