-- Submitting and claiming cases, the acceptance deadline, the clerk's and
-- the supervisor's decisions, withdrawal, revealing an ID number.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

-- ------------------------------------------------------------- submit
SET hall.fake_now = '2025-09-26 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a1 \gset
SELECT hall.submit('SC001', applicant_json('赵六', '230102199202025678', '13900001111'), 'app') AS b1 \gset
SELECT hall.submit('SC001', applicant_json('王五', '230102199001011234', '13811112222'), 'kiosk') AS b2 \gset
SELECT throws_ok($$SELECT hall.submit('SC002', applicant_json('王五', '1', '1'), 'fax')$$, '22023', NULL, 'unknown channel');
SELECT throws_ok($$SELECT hall.submit('NOPE', applicant_json('王五', '1', '1'), 'web')$$, 'P0002', NULL, 'unknown item');
SELECT throws_ok($$SELECT hall.submit('SC002', '{"name": "无证"}', 'web')$$, '22023', NULL, 'applicant without ID number');
SELECT throws_ok($$SELECT hall.submit('SC002', '{"kind": "alien", "name": "x", "id_number": "1"}', 'web')$$, '22023', NULL, 'bad applicant kind');
SELECT throws_ok($$SELECT hall.submit('SC002', '"x"', 'web')$$, '22023', NULL, 'applicant not an object');
RESET SESSION AUTHORIZATION;

SELECT is((app(:a1)).case_no, '250926-0001', 'case number: receipt date and daily sequence');
SELECT is((app(:b2)).case_no, '250926-0003', 'third case of the day');
SELECT is((app(:a1)).state, 'submitted', 'a new case is submitted');
SELECT is((app(:a1)).window_code, 'A01', 'SC002 goes to A01, its only window');
SELECT is((app(:b1)).window_code, 'A02', 'SC001: A02 has fewer open cases than A01');
SELECT is((app(:b2)).window_code, 'A01', 'SC001 again: a tie, broken by window code');
SELECT is((app(:a1)).received_on, '2025-09-26'::date, 'received on Sep 26');
SELECT is((app(:a1)).accept_due, '2025-10-10'::date, 'to be accepted within 5 working days: Oct 10');
SELECT is((app(:a1)).sort_due, '2025-10-10'::date, 'an unaccepted case sorts by its acceptance deadline');
SELECT is((app(:a1)).due_date, NULL::date, 'no due date before acceptance');
SELECT is((app(:a1)).department_code, 'SCJG', 'the item''s department');
SELECT is((app(:a1)).applicant_id, (app(:b2)).applicant_id, 'the same ID number is the same applicant');
SELECT is((SELECT phone FROM hall.applicants WHERE id = (app(:b2)).applicant_id), '13811112222', 'whose phone is updated');
SELECT is((SELECT count(*) FROM hall.applicants), 2::bigint, 'two applicants');
SELECT results_eq(format('SELECT status FROM hall.application_materials WHERE app_id = %s ORDER BY material_id', :a1),
	$$VALUES ('submitted'), ('submitted'), ('submitted')$$, 'one submitted row per material of the item');
SELECT is(audit_count(:a1), 1::bigint, 'submit: one audit row');
SELECT is((SELECT action || ':' || coalesce(from_state, '-') || '>' || to_state || ':' || actor FROM hall.audit WHERE app_id = :a1),
	'submit:->submitted:t_portal', 'the audit row says who and what');

SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok($$SELECT hall.submit('SC002', applicant_json('x', '1', '1'), 'web')$$, '42501', NULL, 'a clerk cannot call submit');

-- -------------------------------------------------------------- claim
SET hall.fake_now = '2025-09-29 09:00+08';
SET SESSION AUTHORIZATION t_clerk_c;
SELECT throws_ok(format('SELECT hall.claim(%s)', :a1), 'P0002', format('no case #%s that you may act on', :a1),
	'a clerk of another window cannot claim, and is not told the case exists');
SELECT throws_ok('SELECT hall.claim(999999)', 'P0002', 'no case #999999 that you may act on',
	'the same words as for a case that does not exist');
SET SESSION AUTHORIZATION t_clerk_g;
SELECT throws_ok(format('SELECT hall.claim(%s)', :a1), 'P0002', NULL, 'nor a clerk of another department');
SET SESSION AUTHORIZATION t_sup_s;
SELECT throws_ok(format('SELECT hall.claim(%s)', :a1), '42501', NULL, 'a supervisor does not claim');
SET SESSION AUTHORIZATION t_ghost;
SELECT throws_ok(format('SELECT hall.claim(%s)', :a1), '42501', 'not a staff member: the account t_ghost is unknown or disabled',
	'a clerk role that is not staff is refused');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok('SELECT hall.claim(999999)', 'P0002', NULL, 'claiming a case that does not exist');
SELECT lives_ok(format('SELECT hall.claim(%s)', :a1), 'clerk A claims case 1 on Mon Sep 29');
RESET SESSION AUTHORIZATION;
SELECT is((app(:a1)).state, 'in_review', 'claimed: in review');
SELECT is((app(:a1)).claimed_by, sid('t_clerk_a'), 'held by clerk A');
SELECT is((app(:a1)).accepted_on, '2025-09-29'::date, 'accepted today');
SELECT is((app(:a1)).clock_start, '2025-09-29'::date, 'in time: the clock starts at acceptance');
SELECT is((app(:a1)).due_date, '2025-10-13'::date, 'Sep 29 + 5 working days = Oct 13 (National Day skipped)');
SELECT is((app(:a1)).sort_due, '2025-10-13'::date, 'and sorts by it');
SELECT is(audit_count(:a1), 2::bigint, 'claim: one more audit row');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok(format('SELECT hall.claim(%s)', :a1), '55000',
	'case 250926-0001 is in review, not submitted: it may have changed since your screen was drawn',
	'two clerks never hold the same case');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is((SELECT days_left FROM hall.v_queue WHERE id = :a1), 5, 'Sep 29: 5 working days left');
SELECT is((SELECT urgency FROM hall.v_queue WHERE id = :a1), 'ok', 'not urgent');
SELECT is((SELECT claimed_login FROM hall.v_queue WHERE id = :a1), 't_clerk_a', 'the queue shows who holds it');

-- ---------------------------------------------------------- claim_next
-- X is received later (sort_due Oct 13) but has the smaller id than Y
-- (received Sep 26, sort_due Oct 10): the most urgent comes first.
SET hall.fake_now = '2025-09-29 09:30+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('孙七', '230102197707077777', '13700007777'), 'web') AS x \gset
SET hall.fake_now = '2025-09-26 11:00+08';
SELECT hall.submit('SC002', applicant_json('周九', '230102196606066666', '13600006666'), 'web') AS y \gset
RESET SESSION AUTHORIZATION;
SELECT is((app(:x)).sort_due, '2025-10-13'::date, 'X: acceptance deadline Oct 13');
SET hall.fake_now = '2025-09-29 10:00+08';
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok($$SELECT hall.claim_next('A02')$$, '42501', 'you do not serve window A02', 'claim_next on a window not served');
SELECT is(hall.claim_next('A01'), :b2::bigint, 'claim_next takes B2 first (Oct 10, lower id than Y)');
SELECT is(hall.claim_next('A01'), :y::bigint, 'then Y (Oct 10)');
SELECT is(hall.claim_next('A01'), :x::bigint, 'then X (Oct 13)');
SELECT is(hall.claim_next('A01'), NULL::bigint, 'then nothing is left');
SELECT is(audit_count(:y), 2::bigint, 'claim_next: one audit row');

-- ------------------------------------------------------------ release
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok(format('SELECT hall.release(%s)', :x), '42501', NULL, 'only the holder releases');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT lives_ok(format('SELECT hall.release(%s)', :x), 'clerk B releases X');
RESET SESSION AUTHORIZATION;
SELECT is((app(:x)).state, 'submitted', 'released: submitted again');
SELECT is((app(:x)).claimed_by, NULL::int, 'and unclaimed');
SELECT is((app(:x)).accepted_on, '2025-09-29'::date, 'the acceptance stands');
SELECT is((app(:x)).sort_due, '2025-10-13'::date, 'an accepted case sorts by its due date');
SELECT is(audit_count(:x), 3::bigint, 'release: one audit row');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok(format('SELECT hall.release(%s)', :x), '55000', NULL, 'releasing a case not in review');

-- ------------------------------------------------------------ approve
SELECT throws_ok(format('SELECT hall.approve(%s, %L)', :a1, '同意'), '42501',
	'case 250926-0001 is claimed by 张敏 (t_clerk_a), not by you', 'clerk B cannot approve clerk A''s case');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.approve(%s, %L)', :a1, '材料齐全，准予许可'), 'clerk A approves case 1');
RESET SESSION AUTHORIZATION;
SELECT is((app(:a1)).state, 'completed', 'approved: completed');
SELECT is((app(:a1)).closed_by, sid('t_clerk_a'), 'closed by clerk A');
SELECT is((app(:a1)).decision_note, '材料齐全，准予许可', 'with the note');
SELECT is((app(:a1)).sort_due, 'infinity'::date, 'a closed case sorts last');
SELECT is(audit_count(:a1), 3::bigint, 'approve: one audit row');
SELECT is((SELECT count(*) FROM hall.outbox WHERE app_id = :a1), 1::bigint, 'one message queued');
SELECT is((SELECT event || '|' || recipient || '|' || (payload->>'phone') || '|' || (payload->>'case_no') FROM hall.outbox WHERE app_id = :a1),
	'approved|applicant|13811112222|250926-0001', 'to the applicant''s full (latest) phone, with the case number');
SELECT is((SELECT payload->>'text' FROM hall.outbox WHERE app_id = :a1),
	'您申请的「食品经营许可」（办件号 250926-0001）已办结，准予许可。', 'in Chinese');
SELECT is((SELECT not_before FROM hall.outbox WHERE app_id = :a1), '2025-09-29 10:00+08'::timestamptz, 'sent at once in the daytime');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok(format('SELECT hall.approve(%s, %L)', :a1, 'again'), '55000', NULL, 'approving twice');
SELECT is(audit_count(:a1), 3::bigint, 'a refused transition writes nothing');

-- ------------------------------------------------------------- reject
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok(format('SELECT hall.reject(%s, %L)', :y, ''), '22023', NULL, 'a rejection needs a reason');
SELECT lives_ok(format('SELECT hall.reject(%s, %L)', :y, '不符合《食品经营许可管理办法》第十条'), 'clerk B rejects Y');
RESET SESSION AUTHORIZATION;
SELECT is((app(:y)).state, 'rejected', 'rejected');
SELECT is(audit_count(:y), 3::bigint, 'reject: one audit row');
SELECT is((SELECT payload->>'text' FROM hall.outbox WHERE app_id = :y AND event = 'rejected'),
	'您申请的「食品经营许可」（办件号 250926-0004）不予许可。理由：不符合《食品经营许可管理办法》第十条', 'the applicant is told why');

-- ------------------------------------------------- escalate and decide
SET hall.fake_now = '2025-09-30 10:00+08';
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok(format('SELECT hall.escalate(%s, %L)', :b2, ' '), '22023', NULL, 'an escalation needs a reason');
SELECT lives_ok(format('SELECT hall.escalate(%s, %L)', :b2, '经营场所性质存疑'), 'clerk B escalates B2 on Sep 30');
RESET SESSION AUTHORIZATION;
SELECT is((app(:b2)).state, 'escalated', 'escalated');
SELECT is((app(:b2)).escalation_due, '2025-10-09'::date, 'the supervisor has 1 working day: Oct 9');
SELECT is((app(:b2)).sort_due, (app(:b2)).due_date, 'still sorted by the case''s due date');
SELECT is(audit_count(:b2), 3::bigint, 'escalate: one audit row');
SELECT is((SELECT count(*) FROM hall.outbox WHERE app_id = :b2 AND event = 'escalated'), 1::bigint, 'the applicant is told');
SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq('SELECT id, escalation_due, urgency FROM hall.v_escalations',
	format('VALUES (%s::bigint, %L::date, %L)', :b2, '2025-10-09', 'warning'), 'the supervisor sees it waiting, due within 1 day');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT throws_ok(format('SELECT hall.approve(%s, %L)', :b2, ''), '55000', NULL, 'the clerk cannot approve an escalated case');
SELECT throws_ok(format('SELECT hall.decide(%s, %L, %L)', :b2, 'approve', ''), '42501', NULL, 'a clerk cannot decide');
SET SESSION AUTHORIZATION t_sup_g;
SELECT throws_ok(format('SELECT hall.decide(%s, %L, %L)', :b2, 'approve', ''), 'P0002', NULL, 'a supervisor of another department cannot');
SET SESSION AUTHORIZATION t_sup_s;
SELECT throws_ok(format('SELECT hall.decide(%s, %L, %L)', :b2, 'maybe', ''), '22023', NULL, 'unknown decision');
SELECT throws_ok(format('SELECT hall.decide(%s, %L, %L)', :b2, 'reject', ''), '22023', NULL, 'a rejection needs its reason');
SELECT throws_ok(format('SELECT hall.decide(%s, %L, %L)', :x, 'approve', ''), '55000', NULL, 'deciding a case that is not escalated');
SELECT lives_ok(format('SELECT hall.decide(%s, %L, %L)', :b2, 'back', '请核实场所证明'), 'send it back');
RESET SESSION AUTHORIZATION;
SELECT is((app(:b2)).state, 'in_review', 'back in review');
SELECT is((app(:b2)).claimed_by, sid('t_clerk_b'), 'with the same clerk');
SELECT is((app(:b2)).escalation_due, NULL::date, 'no escalation deadline any more');
SELECT is(audit_count(:b2), 4::bigint, 'decide: one audit row');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT lives_ok(format('SELECT hall.escalate(%s, %L)', :b2, '仍有疑问'), 'escalate again');
SET SESSION AUTHORIZATION t_sup_s;
SELECT lives_ok(format('SELECT hall.decide(%s, %L, %L)', :b2, 'approve', '核实无误'), 'the supervisor approves');
RESET SESSION AUTHORIZATION;
SELECT is((app(:b2)).state, 'completed', 'completed by the supervisor');
SELECT is((app(:b2)).closed_by, sid('t_sup_s'), 'closed by the supervisor (rated for it)');
SELECT is(audit_count(:b2), 6::bigint, 'escalate + decide: two audit rows');
SELECT is((SELECT count(*) FROM hall.outbox WHERE app_id = :b2 AND event = 'approved'), 1::bigint, 'the applicant is told');
SET SESSION AUTHORIZATION t_sup_s;
SELECT throws_ok(format('SELECT hall.decide(%s, %L, %L)', :b2, 'approve', ''), '55000', NULL, 'deciding twice');

-- ------------------------------------------------------------ withdraw
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok(format('SELECT hall.withdraw(%s)', :x), '42501', NULL, 'a clerk cannot withdraw');
SET SESSION AUTHORIZATION t_portal;
SELECT lives_ok(format('SELECT hall.withdraw(%s)', :x), 'the applicant withdraws X');
SELECT throws_ok(format('SELECT hall.withdraw(%s)', :x), '55000', NULL, 'withdrawing twice');
SELECT throws_ok(format('SELECT hall.withdraw(%s)', :a1), '55000', NULL, 'a completed case cannot be withdrawn');
RESET SESSION AUTHORIZATION;
SELECT is((app(:x)).state, 'withdrawn', 'withdrawn');
SELECT is((app(:x)).sort_due, 'infinity'::date, 'off the queue');
SELECT is(audit_count(:x), 4::bigint, 'withdraw: one audit row');

-- --------------------------------------------- the 5-day acceptance rule
SET hall.fake_now = '2025-09-26 15:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('吴十', '230102195505055555', '13500005555'), 'window') AS late \gset
SELECT hall.submit('SC002', applicant_json('郑一', '230102194404044444', '13400004444'), 'window') AS edge \gset
SET hall.fake_now = '2025-10-10 09:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s)', :edge), 'claim on Oct 10, the last day to accept');
SET hall.fake_now = '2025-10-13 09:00+08';
SELECT lives_ok(format('SELECT hall.claim(%s)', :late), 'claim on Oct 13, after the acceptance deadline');
RESET SESSION AUTHORIZATION;
SELECT is((app(:edge)).clock_start, '2025-10-10'::date, 'in time: clock starts Oct 10');
SELECT is((app(:edge)).due_date, '2025-10-16'::date, 'Oct 10 + 5 = Oct 16 (make-up Saturday Oct 11 counts)');
SELECT is((app(:late)).accepted_on, '2025-10-13'::date, 'the late case is accepted Oct 13');
SELECT is((app(:late)).clock_start, '2025-09-26'::date, 'but its clock counts from receipt');
SELECT is((app(:late)).due_date, '2025-10-10'::date, 'so it was due Oct 10');
SELECT is((SELECT details->>'late' FROM hall.audit WHERE app_id = :late AND action = 'claim'), 'true', 'the claim is audited as late');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is((SELECT days_left FROM hall.v_queue WHERE id = :late), -2, 'Oct 13: two working days late (Oct 11, Oct 13)');
SELECT is((SELECT urgency FROM hall.v_queue WHERE id = :late), 'overdue', 'overdue');
SELECT is((SELECT accepted_late FROM hall.v_case WHERE id = :late), true, 'the case screen says it was accepted late');
SELECT matches((SELECT due_explain FROM hall.v_case WHERE id = :late), '2025-10-13 超期受理，自收件日起算', 'and explains the due date');
SELECT is((SELECT days_left FROM hall.v_queue WHERE id = :edge), 3, 'Oct 13 -> Oct 16: 3 left');
SET hall.fake_now = '2025-10-15 09:00+08';
SELECT is((SELECT days_left || ' ' || urgency FROM hall.v_queue WHERE id = :edge), '1 warning', 'Oct 15: 1 left, yellow');
SET hall.fake_now = '2025-10-16 09:00+08';
SELECT is((SELECT days_left || ' ' || urgency FROM hall.v_queue WHERE id = :edge), '0 warning', 'Oct 16: due today, yellow');
SET hall.fake_now = '2025-10-18 09:00+08';
SELECT is((SELECT days_left || ' ' || urgency FROM hall.v_queue WHERE id = :edge), '-1 overdue', 'Saturday after: red');
SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq('SELECT id FROM hall.v_overdue WHERE kind = ''application'' ORDER BY id',
	format('VALUES (%s::bigint), (%s::bigint), (%s::bigint)', :b1, :late, :edge),
	'the supervisor''s overdue list: B1 never accepted at A02, and the two at A01');
SELECT is((SELECT overdue FROM hall.v_summary WHERE window_code = 'A01' AND state = 'in_review'), 2::bigint, 'the status screen counts them');

-- -------------------------------------------------------------- reveal
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok(format('SELECT hall.reveal(%s, %L)', (app(:a1)).applicant_id, ''), '22023', NULL, 'revealing needs a reason');
SELECT is(hall.reveal((app(:a1)).applicant_id, '核对身份'), '230102199001011234', 'the clerk of the window sees the full number');
SELECT throws_ok('SELECT hall.reveal(999999, ''核对身份'')', 'P0002', NULL, 'unknown applicant');
SET SESSION AUTHORIZATION t_clerk_g;
SELECT throws_ok(format('SELECT hall.reveal(%s, %L)', (app(:a1)).applicant_id, '好奇'), 'P0002', NULL, 'a clerk without a case of theirs cannot');
SET SESSION AUTHORIZATION t_sup_g;
SELECT throws_ok(format('SELECT hall.reveal(%s, %L)', (app(:a1)).applicant_id, '好奇'), 'P0002', NULL, 'nor a supervisor of another department');
SET SESSION AUTHORIZATION t_sup_s;
SELECT is(hall.reveal((app(:a1)).applicant_id, '督查'), '230102199001011234', 'the supervisor of the department can');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM hall.audit WHERE action = 'reveal' AND applicant_id = (app(:a1)).applicant_id), 2::bigint,
	'each reveal is audited');
SELECT is((SELECT note FROM hall.audit WHERE action = 'reveal' AND actor = 't_clerk_a'), '核对身份', 'with its reason');

-- ------------------------------------------------- deadlines at each step
-- A claim derives the deadlines (the clock starts); an approval changes
-- nothing they derive from, so it keeps them as stored (schema/005,
-- compute_due(app, prev)): an acceptance window changed since applies to
-- a case when its own dates next move, not at its approval.
SET hall.fake_now = '2025-10-13 09:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('孙七', '230102198803031234', '13700001111'), 'web') AS dl \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.claim(%s)', :dl), 'a new case claimed on Mon Oct 13');
SELECT is((app(:dl)).due_date, hall.workday_add('2025-10-13', (app(:dl)).promised_days),
	'the claim set its due date: promised working days from today');
SELECT (app(:dl)).accept_due AS dl_accept, (app(:dl)).due_date AS dl_due \gset
RESET SESSION AUTHORIZATION;
UPDATE hall.settings SET value = '10' WHERE key = 'accept_days';
SELECT isnt((hall.compute_due(app(:dl))).accept_due, :'dl_accept'::date,
	'with 10 acceptance days the full derivation would move the acceptance deadline');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.approve(%s, %L)', :dl, ''), 'and the case is approved');
SELECT is((app(:dl)).accept_due, :'dl_accept'::date, 'the approval kept the acceptance deadline as stored');
SELECT is((app(:dl)).due_date, :'dl_due'::date, 'and the due date');
SELECT is((app(:dl)).sort_due, 'infinity'::date, 'a closed case sorts last');
RESET SESSION AUTHORIZATION;
UPDATE hall.settings SET value = '5' WHERE key = 'accept_days';

-- The pick of claim_next keeps one plan for the session: its generic plan
-- is the claimable index in the queue's order, which the plan cache did
-- not choose by itself (planned again at every claim, P1).
SELECT ok((SELECT 'plan_cache_mode=force_generic_plan' = ANY (proconfig) FROM pg_proc
           WHERE oid = 'hall.claim_next(text)'::regprocedure), 'claim_next runs with a generic plan');

SELECT * FROM finish();
ROLLBACK;
