-- Reassignment, 督办 flags, the drill-down of the timeliness screen, the
-- department's ratings, the director (schema/016_supervise.sql), as the
-- real roles with the clock moved.
--
-- Fixture: SCJG windows A01 (clerks a, b; SC001, SC002) and A02 (clerk c;
-- SC001 only); GA B01 (clerk g).  On Mon 2025-11-03:
--   K1 SC002 at A01, claimed by a  -> the supervisor gives it to b
--   K2 SC002 at A01, claimed by a  -> c's window A02 does not serve SC002: refused
--   K3 SC001 at A01, unclaimed     -> given to c: moves to A02, accepted, held by c
--   Q1 an inquiry of SCJG          -> assigned to b; a may not reply, b may
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();


SET hall.fake_now = '2025-11-03 09:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('甲', '230102199001010001', '13800000001'), 'web') AS k1 \gset
SELECT hall.submit('SC002', applicant_json('乙', '230102199001010002', '13800000002'), 'web') AS k2 \gset
SELECT hall.submit('SC001', applicant_json('丙', '230102199001010003', '13800000003'), 'web') AS k3 \gset
SELECT hall.ask('web', 'SCJG', '{"name": "问一"}', '营业时间', '周末办公吗？') AS q1 \gset
SELECT hall.ask('web', 'SCJG', '{"name": "问二"}', '材料', '要带什么？') AS q2 \gset
-- The portal submits to the first window serving the item: make K3 A01's.
RESET SESSION AUTHORIZATION;
UPDATE hall.applications SET window_code = 'A01' WHERE id = :k3;
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.claim(:k1);
SELECT hall.claim(:k2);

-- ------------------------------------------------------------ who may

SET SESSION AUTHORIZATION t_clerk_b;
SELECT is(refusal_of(format('SELECT hall.reassign(%s, %L, %L)', :k1, 't_clerk_b', '我来办')),
	'42501 reason:supervisor_only', 'a clerk may not reassign a case');
SELECT is(refusal_of(format('SELECT hall.reassign_inquiry(%s, %L, %L)', :q1, 't_clerk_b', '我来答')),
	'42501 reason:supervisor_only', 'nor an inquiry');
SELECT is(refusal_of(format('SELECT hall.supervise(%L, %s, %L)', 'application', :k1, '快办')),
	'42501 reason:supervisor_only', 'nor flag one 督办');
SET SESSION AUTHORIZATION t_sup_g;
SELECT is(refusal_of(format('SELECT hall.reassign(%s, %L, %L)', :k1, 't_clerk_g', '借调')),
	'P0002 reason:not_found:case', 'a supervisor of another department does not find the case');
SELECT is(refusal_of(format('SELECT hall.supervise(%L, %s, %L)', 'inquiry', :q1, '快答')),
	'P0002 reason:not_found:inquiry', '... nor the inquiry');

SET SESSION AUTHORIZATION t_sup_s;
SELECT is(refusal_of(format('SELECT hall.reassign(%s, %L, %L)', :k1, 't_clerk_g', '借调')),
	'22023 reason:reassign_target', 'the new holder must be a clerk of the department');
SELECT is(refusal_of(format('SELECT hall.reassign(%s, %L, %L)', :k1, 't_sup_s', '我来')),
	'22023 reason:reassign_target', '... a clerk, not a supervisor');
SELECT is(refusal_of(format('SELECT hall.reassign(%s, %L, %L)', :k2, 't_clerk_c', '病假')),
	'22023 reason:reassign_window_item', 'a clerk whose window does not serve the item is refused');
SELECT is(refusal_of(format('SELECT hall.reassign(%s, %L, %L)', :k1, 't_clerk_a', '病假')),
	'22023 reason:reassign_same', 'giving it to the clerk who holds it is refused');
SELECT is(refusal_of(format('SELECT hall.reassign(%s, %L, %L)', :k1, 't_clerk_b', ' ')),
	'22023 reason:text_empty:reassign_note', 'a reassignment needs a reason');
SELECT is((app(:k2)).claimed_by, sid('t_clerk_a'), 'refusals changed nothing');

-- ------------------------------------------------------------ reassign

SET hall.fake_now = '2025-11-04 10:00+08';
SELECT lives_ok(format('SELECT hall.reassign(%s, %L, %L)', :k1, 't_clerk_b', '张敏病假'), 'the supervisor gives K1 to b');
SELECT is((app(:k1)).claimed_by, sid('t_clerk_b'), 'K1 is held by b');
SELECT is((app(:k1)).window_code, 'A01', '... at the same window (b serves A01)');
SELECT is((app(:k1)).claimed_at, '2025-11-04 10:00+08'::timestamptz, '... since the moment of the decision');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT note || ' ' || (details->>'from_staff') || '>' || (details->>'to_staff') FROM hall.audit
           WHERE app_id = :k1 AND action = 'reassign'),
	'张敏病假 ' || sid('t_clerk_a') || '>' || sid('t_clerk_b'), 'audited with the reason, from and to');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(refusal_of(format('SELECT hall.approve(%s, %L)', :k1, '')),
	'42501 reason:claimed_by_other', 'a, from whom it was taken, can no longer act on it');
SELECT is((SELECT count(*) FROM hall.v_queue WHERE id = :k1 AND claimed_by = sid('t_clerk_a')), 0::bigint,
	'... nor does their queue show it as theirs');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT lives_ok(format('SELECT hall.approve(%s, %L)', :k1, '准予'), 'b approves it');

SET SESSION AUTHORIZATION t_sup_s;
SELECT lives_ok(format('SELECT hall.reassign(%s, %L, %L)', :k3, 't_clerk_c', '分流'),
	'an unclaimed case is given to c');
SELECT is(ROW((app(:k3)).state, (app(:k3)).window_code, (app(:k3)).claimed_by, (app(:k3)).accepted_on)::text,
	ROW('in_review', 'A02', sid('t_clerk_c'), '2025-11-04'::date)::text,
	'it moves to c''s window A02, held by c and accepted today');
SELECT is(refusal_of(format('SELECT hall.reassign(%s, %L, %L)', :k1, 't_clerk_a', '再派')),
	'55000 reason:stale_state', 'a completed case cannot be reassigned');

-- Inquiries
SELECT lives_ok(format('SELECT hall.reassign_inquiry(%s, %L, %L)', :q1, 't_clerk_b', '请李强答复'),
	'the supervisor assigns Q1 to b');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(refusal_of(format('SELECT hall.reply_inquiry(%s, %L)', :q1, '周末不办公。')),
	'42501 reason:inquiry_assigned_other', 'a may no longer reply to it');
SELECT is((SELECT assigned_to_name FROM hall.v_inquiries WHERE id = :q1), '李强', 'the list names who holds it');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT lives_ok(format('SELECT hall.reply_inquiry(%s, %L)', :q1, '周末不办公。'), 'b replies');

-- ------------------------------------------------------------ 督办

SET SESSION AUTHORIZATION t_sup_s;
SELECT is(refusal_of(format('SELECT hall.supervise(%L, %s, %L, %L)', 'application', :k3, '今天办结', '2025-11-03')),
	'22023 reason:supervision_due_past', 'a reply deadline in the past is refused');
SELECT is(refusal_of(format('SELECT hall.supervise(%L, %s, %L)', 'rating', :k3, '今天办结')),
	'22023 reason:supervision_kind', 'only cases and inquiries are flagged');
SELECT hall.supervise('application', :k3, '群众多次来电，请今天办结', NULL) AS f1 \gset
SELECT is((SELECT ROW(staff_id, reply_due, open, late)::text FROM hall.v_supervisions WHERE id = :f1),
	ROW(sid('t_clerk_c'), '2025-11-05'::date, true, false)::text,
	'the flag names the holder, is due the next working day, open and not late');
SELECT is(refusal_of(format('SELECT hall.supervise(%L, %s, %L)', 'application', :k3, '再催')),
	'55000 reason:supervision_open', 'one open flag per item');
SELECT hall.supervise('inquiry', :q2, '请尽快答复', '2025-11-05') AS f2 \gset

SET SESSION AUTHORIZATION t_clerk_a;
SELECT is((SELECT count(*) FROM hall.v_supervisions WHERE id = :f1), 0::bigint, 'a colleague does not see c''s flag');
SELECT is((SELECT count(*) FROM hall.v_supervisions WHERE id = :f2), 1::bigint,
	'a flag addressed to nobody is seen by the department''s clerks');
SELECT is(refusal_of(format('SELECT hall.answer_supervision(%s, %L)', :f1, '我来答')),
	'P0002 reason:not_found:supervision', '... and cannot answer c''s flag');

SET hall.fake_now = '2025-11-06 09:00+08';
SET SESSION AUTHORIZATION t_sup_s;
SELECT is((SELECT late FROM hall.v_supervisions WHERE id = :f1), true, 'open past its reply deadline: late');
SELECT is((SELECT count(*) FROM hall.timeliness_items('2025-11-01', '2025-11-30', sid('t_clerk_c'), NULL)
           WHERE what = 'supervision'), 1::bigint, 'the drill-down of c lists the late flag');
SET SESSION AUTHORIZATION t_clerk_c;
SELECT is(refusal_of(format('SELECT hall.answer_supervision(%s, %L)', :f1, ' ')),
	'22023 reason:text_empty:supervision_answer', 'an answer needs words');
SELECT lives_ok(format('SELECT hall.answer_supervision(%s, %L)', :f1, '已联系申请人，明日办结'), 'c answers the flag');
SELECT is((SELECT ROW(open, late, answered_by)::text FROM hall.v_supervisions WHERE id = :f1),
	ROW(false, true, sid('t_clerk_c'))::text, 'answered, and late (after its reply deadline)');
SELECT is(refusal_of(format('SELECT hall.answer_supervision(%s, %L)', :f1, '再答')),
	'55000 reason:supervision_answered', 'a flag is answered once');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT lives_ok(format('SELECT hall.answer_supervision(%s, %L)', :f2, '今日答复'),
	'a clerk of the department answers the flag addressed to nobody');

-- ------------------------------------------------------------ drill-down

SET SESSION AUTHORIZATION t_sup_s;
SELECT is((SELECT string_agg(what || ':' || ref, ',' ORDER BY ref) FROM hall.timeliness_items('2025-11-01', '2025-11-30', NULL, 'A02')),
	'supervision:' || (app(:k3)).case_no, 'a window''s items: A02 has the late flag on K3');
SELECT is(refusal_of($$SELECT * FROM hall.timeliness_items('2025-11-30', '2025-11-01', NULL, NULL)$$),
	'22023 reason:period', 'a period backwards is refused');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(refusal_of($$SELECT * FROM hall.timeliness_items('2025-11-01', '2025-11-30', NULL, NULL)$$),
	'42501', 'a clerk may not read colleagues'' items (not granted)');
SELECT is(refusal_of($$SELECT * FROM hall.department_ratings('2025-11-01', '2025-11-30')$$),
	'42501', '... nor the department''s ratings');

-- ------------------------------------------------------- department ratings

SET hall.fake_now = '2025-11-06 10:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.rate('application', :k1, 1, '太慢') AS r1 \gset
SELECT hall.rate('inquiry', :q1, 5, '') AS r2 \gset
SET SESSION AUTHORIZATION t_sup_s;
SELECT is((SELECT ROW(ratings, good, satisfaction, bad, bad_open)::text FROM hall.department_ratings('2025-11-01', '2025-11-30')
           WHERE login = 't_clerk_b'),
	ROW(2, 1, 0.5000, 1, 1)::text, 'b: two ratings, one good (50%), one bad being rectified');
SELECT is((SELECT count(*) FROM hall.department_ratings('2025-11-01', '2025-11-30') WHERE department_code <> 'SCJG'),
	0::bigint, 'a supervisor sees their department only');

-- ------------------------------------------------------------ the director

RESET SESSION AUTHORIZATION;
SELECT hall.staff_add('t_director', '孙主任', 'director', NULL, '{}', 'test-password-1');
SET SESSION AUTHORIZATION t_director;
SELECT is((SELECT count(DISTINCT department_code) FROM hall.timeliness_windows('2025-11-01', '2025-11-30')),
	2::bigint, 'the director reads every department''s windows');
SET hall.scope_department = 'GA';
SELECT is((SELECT string_agg(DISTINCT department_code, ',') FROM hall.timeliness_windows('2025-11-01', '2025-11-30')),
	'GA', '... or one, narrowed by hall.scope_department');
RESET hall.scope_department;
SELECT is((SELECT count(*) FROM hall.v_case WHERE id = :k3), 1::bigint, 'the director opens any case');
SELECT is(refusal_of(format('SELECT hall.reassign(%s, %L, %L)', :k3, 't_clerk_a', '改派')),
	'42501', 'but changes nothing: no reassignment (not granted)');
SELECT is(refusal_of(format('SELECT hall.approve(%s, %L)', :k3, '')),
	'42501', '... no decision (not even granted)');
SET SESSION AUTHORIZATION t_sup_s;
SET hall.scope_department = 'GA';
SELECT is((SELECT string_agg(DISTINCT department_code, ',') FROM hall.timeliness_windows('2025-11-01', '2025-11-30')),
	'SCJG', 'a supervisor''s hall.scope_department is ignored: never wider, never another');
RESET hall.scope_department;

SELECT * FROM finish();
ROLLBACK;
