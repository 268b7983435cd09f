-- The training room (schema/022_training_room.sql): refused off demo
-- databases (the reset, the training clock, the room); on a demo database a
-- scripted trainee's morning counted exactly by training_room,
-- training_actions and training_debrief: three claims and one more after a
-- resubmission, an approval, a return, a refused second return naming a new
-- material, the same return with a reason (a breach of the one-time
-- notice), an escalation, a late reply.  Then the reset (022's
-- hall.demo_delta): only the rows changed since the seed's mark put back.
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

-- ------------------------------------------------------------- grants
SELECT is(ARRAY(SELECT r FROM unnest(ARRAY['t_clerk_a', 't_sup_s', 't_portal', 't_outsider']) r
                WHERE has_function_privilege(r, 'hall.training_room(timestamptz)', 'EXECUTE')
                   OR has_function_privilege(r, 'hall.training_actions(integer, timestamptz)', 'EXECUTE')
                   OR has_function_privilege(r, 'hall.training_debrief(timestamptz)', 'EXECUTE')
                   OR has_function_privilege(r, 'hall.exercise_begin(text, text, timestamptz)', 'EXECUTE')
                   OR has_function_privilege(r, 'hall.exercise_end()', 'EXECUTE')
                   OR has_function_privilege(r, 'hall.clock_step(text)', 'EXECUTE')), '{}'::text[],
	'only the trainer may read the training room, run exercises or step the clock');
SELECT ok(has_function_privilege('t_clerk_a', 'hall.note_refusal(text, text, text, bigint)', 'EXECUTE')
          AND NOT has_function_privilege('t_portal', 'hall.note_refusal(text, text, text, bigint)', 'EXECUTE'),
	'a clerk notes their refused actions; the portal does not');

-- ------------------------------------------------- not a demo database
-- run.sh makes this database a 'test' one.
SET SESSION AUTHORIZATION t_trainer;
SELECT is(refusal_of('SELECT hall.demo_reset()'), '55000 reason:not_demo', 'reset refused on a test database');
SELECT is(refusal_of($$SELECT hall.clock_step('next_workday_9')$$), '55000 reason:not_demo',
	'so is stepping the training clock');
SELECT is(refusal_of($$SELECT * FROM hall.training_room('2025-09-26 09:00+08')$$), '55000 reason:not_demo',
	'and the training room');
SELECT is(refusal_of($$SELECT hall.exercise_begin('x', '演练', NULL)$$), '55000 reason:not_demo',
	'and an exercise');
RESET SESSION AUTHORIZATION;
UPDATE hall.settings SET value = 'production' WHERE key = 'mode';
SET SESSION AUTHORIZATION t_trainer;
SELECT is(refusal_of('SELECT hall.demo_reset()'), '55000 reason:not_demo', 'reset refused on a production database');
SELECT is(refusal_of($$SELECT hall.set_clock('2025-09-30 16:00+08', true)$$), '55000 reason:clock_production',
	'the clock cannot be set on a production database');
SELECT is(refusal_of($$SELECT hall.clock_step('+1h')$$), '55000 reason:not_demo', 'nor stepped');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT value FROM hall.settings WHERE key = 'clock_offset') || '|'
          || (SELECT value FROM hall.settings WHERE key = 'clock_paused'), '|', 'the clock was left alone');
SELECT is((SELECT count(*) FROM hall.audit WHERE actor = 't_trainer'), 0::bigint, 'nothing was written');

-- ---------------------------------------------------- the training clock
UPDATE hall.settings SET value = 'demo' WHERE key = 'mode';
SET SESSION AUTHORIZATION t_trainer;
SELECT is(hall.set_clock('2025-09-30 16:30+08', false), '2025-09-30 16:30+08'::timestamptz,
	'the afternoon before the National Day holiday, standing still');
SELECT is(hall.clock_step('next_workday_9'), '2025-10-09 09:00+08'::timestamptz,
	'next working day 9:00 skips the holiday (Oct 1-8, 2025)');
SELECT is(hall.clock_step('+90m'), '2025-10-09 10:30+08'::timestamptz, 'a step of 90 minutes, still paused');
SELECT is(refusal_of($$SELECT hall.clock_step('tomorrow')$$), '22023 reason:clock_step', 'an unknown step is refused');
SELECT ok(hall.clock_step('run') >= '2025-10-09 10:30+08', 'and the clock runs on');
SELECT is(hall.clock_step('real') > '2026-01-01', true, 'back to the real clock');
RESET SESSION AUTHORIZATION;

-- --------------------------------------------------- a scripted trainee
SET hall.fake_now = '2025-09-26 09:00+08';
SET SESSION AUTHORIZATION t_trainer;
SELECT hall.exercise_begin('t28', '脚本', NULL) AS ex \gset
SELECT is((SELECT title || ' ' || state FROM hall.exercise_current()), '脚本 running', 'the exercise runs');
SELECT is(refusal_of($$SELECT hall.exercise_begin('t28b', '另一个', NULL)$$), '55000 reason:exercise_running',
	'one exercise at a time');
SELECT started_at AS since FROM hall.exercise_current() \gset
RESET SESSION AUTHORIZATION;

SET hall.fake_now = '2025-09-26 09:10+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('王五', '230102199001011234', '13812345678'), 'web') AS a1 \gset
SELECT hall.submit('SC002', applicant_json('李四', '230102198502023333', '13822223333'), 'app') AS a2 \gset
SELECT hall.submit('SC002', applicant_json('赵六', '230102197703034444', '13833334444'), 'web') AS a3 \gset
SELECT hall.ask('web', 'SCJG', '{"name": "孙七"}', '营业执照', '请问需要哪些材料？') AS q1 \gset
SET SESSION AUTHORIZATION t_clerk_a;
SET hall.fake_now = '2025-09-26 09:20+08';
SELECT hall.claim(:a1);
SELECT hall.claim(:a2);
SELECT hall.claim(:a3);
SET hall.fake_now = '2025-09-26 09:50+08';
SELECT hall.approve(:a1, '');
SET hall.fake_now = '2025-09-26 10:20+08';
SELECT hall.return_for_correction(:a2, ARRAY[mat('SC002', '营业执照')], '');
SET hall.fake_now = '2025-09-26 10:30+08';
SELECT hall.escalate(:a3, '申请人对经营范围有异议');
SET SESSION AUTHORIZATION t_portal;
SET hall.fake_now = '2025-09-26 11:00+08';
SELECT hall.resubmit(:a2, ARRAY[mat('SC002', '营业执照')]);
SET SESSION AUTHORIZATION t_clerk_a;
SET hall.fake_now = '2025-09-26 11:10+08';
SELECT hall.claim(:a2);
SET hall.fake_now = '2025-09-26 11:20+08';
-- a second return naming a material not resubmitted: refused, noted by the
-- terminal, then made with a reason (a breach)
SELECT is(refusal_of(format($$SELECT hall.return_for_correction(%s, ARRAY[%s], '')$$, :a2, mat('SC002', '申请书'))),
	'55000 reason:one_time_breach', 'a second return naming a new material is refused without a reason');
SELECT hall.note_refusal('return', '55000', 'one_time_breach', :a2);
SELECT is(refusal_of($$SELECT hall.note_refusal('return', '55000', 'Some English text', NULL)$$),
	'22023 reason:refusal_invalid', 'a refusal is noted as codes, never as text');
SET hall.fake_now = '2025-09-26 11:30+08';
SELECT hall.return_for_correction(:a2, ARRAY[mat('SC002', '申请书')], '', '上次漏看了申请书');
-- the question was due 5 working days after 09-26, i.e. on 10-10 (after the
-- holiday); answered on 10-13: late
SET hall.fake_now = '2025-10-13 09:30+08';
SELECT hall.reply_inquiry(:q1, '请携带身份证和营业执照原件。');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION t_trainer;
SELECT results_eq(
	format($$SELECT login, claims, approvals, returns, notice_breaches, escalations, replies, gone_late, refused,
	                handling_minutes_avg, last_at
	         FROM hall.training_room(%L)$$, :'since'),
	$$VALUES ('t_clerk_a'::text, 4, 1, 2, 1, 1, 1, 1, 1, 45.0::numeric, '2025-10-13 09:30+08'::timestamptz)$$,
	'the room counts the trainee exactly: 4 claims, 1 approval, 2 returns, 1 breach, 1 escalation, 1 late reply, 1 refusal; 45 minutes from claim to decision on average ((30 + 60 + 70 + 20) / 4)');
SELECT is((SELECT reply_minutes_avg FROM hall.training_room(:'since')), (17 * 24 * 60 + 20)::numeric,
	'the reply came 17 days and 20 minutes after the question');
SELECT results_eq(
	format($$SELECT action, case_no IS NOT NULL, coalesce(rule, '-') FROM hall.training_actions(
	             (SELECT id FROM hall.staff WHERE login = 't_clerk_a'), %L)$$, :'since'),
	$$VALUES ('claim'::text, true, '-'::text), ('claim', true, '-'), ('claim', true, '-'), ('approve', true, '-'),
	         ('return', true, '-'), ('escalate', true, '-'), ('claim', true, '-'), ('return', true, 'refused'),
	         ('return', true, 'second_return'), ('reply', true, 'late_reply')$$,
	'the trainee''s actions in time order, the refused one among them, each rule broken named');
SELECT is((SELECT detail FROM hall.training_actions((SELECT id FROM hall.staff WHERE login = 't_clerk_a'), :'since')
           WHERE rule = 'second_return'), '申请书；上次漏看了申请书', 'the breach names the new material and the reason');
SELECT results_eq(
	format($$SELECT coalesce(login, 'class'), kind, code, n, case_no IS NOT NULL FROM hall.training_debrief(%L)$$, :'since'),
	$$VALUES ('t_clerk_a'::text, 'late'::text, 'late_reply'::text, 1, true),
	         ('t_clerk_a', 'rule', 'refused:one_time_breach', 1, true),
	         ('t_clerk_a', 'rule', 'second_return', 1, true),
	         ('t_clerk_a', 'well', 'approved_on_time', 1, false),
	         ('t_clerk_a', 'well', 'complete_notice', 1, false),
	         ('t_clerk_a', 'well', 'claims', 4, false),
	         ('class', 'late', 'late_reply', 1, false),
	         ('class', 'rule', 'refused:one_time_breach', 1, false),
	         ('class', 'rule', 'second_return', 1, false),
	         ('class', 'well', 'approved_on_time', 1, false),
	         ('class', 'well', 'complete_notice', 1, false),
	         ('class', 'well', 'claims', 4, false)$$,
	'the debrief: what went well, what went late, which rule was broken where; the class adds them up');
SELECT is((SELECT case_no FROM hall.training_debrief(:'since') WHERE code = 'second_return' AND login IS NOT NULL),
	(SELECT case_no FROM hall.applications WHERE id = :a2), 'the breach is shown on its case');
SELECT is((SELECT count(*) FROM hall.training_room('2025-09-26 09:00+08') WHERE login = 't_clerk_b'), 0::bigint,
	'a clerk who did nothing and is not connected is not a trainee');
SELECT lives_ok('SELECT hall.exercise_end()', 'the exercise ends');
SELECT is((SELECT count(*) FROM hall.exercise_current()), 0::bigint, 'and none runs');
SELECT is(refusal_of('SELECT hall.exercise_end()'), '55000 reason:no_exercise', 'ending it again is refused');
RESET SESSION AUTHORIZATION;
RESET hall.fake_now;

-- ----------------------------------------- the reset puts back what changed
-- The generator's last step keeps the seed and marks it; then a trainee
-- works, an exercise begins, a refusal is noted; the reset puts back only
-- those rows, the exercise and the refusal gone with them.
SELECT hall.demo_keep_seed('{"scale": 3, "seed": 28}');
CREATE TEMP TABLE t28_seed AS
SELECT (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.applications x) AS apps,
       (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.returns x) AS returns,
       (SELECT count(*) FROM hall.audit) AS audit,
       (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.audit x) AS audit_rows,
       (SELECT max(id) FROM hall.audit) AS audit_last;
SET SESSION AUTHORIZATION t_trainer;
SELECT hall.exercise_begin('t28', '重置', NULL);
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.claim(:a2) FROM hall.applications WHERE id = :a2 AND state = 'submitted';
SELECT hall.note_refusal('claim', '55000', 'already_claimed', :a1);
SET SESSION AUTHORIZATION t_trainer;
SELECT is((hall.demo_reset())->>'how', 'delta', 'the reset puts back the rows changed since the mark (not every table)');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.applications x), (SELECT apps FROM t28_seed),
	'the cases are as the seed has them, to the last column');
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.returns x), (SELECT returns FROM t28_seed),
	'the returns too');
SELECT is((SELECT count(*) FROM hall.audit), (SELECT audit FROM t28_seed) + 1, 'the audit log is the seed''s and the reset''s row');
SELECT is((SELECT count(*) FROM hall.exercises WHERE ended_at IS NULL), 0::bigint,
	'no exercise runs after the reset (the one begun since the seed is gone)');
SELECT is((SELECT count(*) FROM hall.refusals), 1::bigint, 'the refusal noted since the seed is gone, the seed''s one stays');
SET SESSION AUTHORIZATION t_trainer;
SELECT is((hall.demo_reset())->>'restored', '1', 'a reset with nothing changed puts back one row: the last reset''s audit row');
RESET SESSION AUTHORIZATION;

-- The whole reload (a reset's fallback, 012) loads every table from the
-- seed but the audit log, which the seed keeps in place: its seed rows
-- stay as they are, the rows after them go.
SELECT ok(to_regclass('hall_demo_seed.audit') IS NULL, 'the seed has no copy of the audit log (append-only: kept in place)');
SELECT hall.log('t28_probe', NULL, NULL, NULL, NULL, NULL, NULL, '', NULL);
SELECT is((SELECT count(*) FROM hall.audit) , (SELECT audit FROM t28_seed) + 2, 'a row written since then is in the audit log');
SELECT is((hall.demo_reload())->>'seed', '28', 'the whole reload runs');
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.audit x WHERE x.id <= (SELECT audit_last FROM t28_seed)),
	(SELECT audit_rows FROM t28_seed), 'it keeps the audit log''s seed rows as they were');
SELECT is((SELECT string_agg(x.action, ',') FROM hall.audit x WHERE x.id > (SELECT audit_last FROM t28_seed)), 'demo_reset',
	'and drops the rows after them: only its own row follows');
SELECT is((SELECT string_agg(x::text, '|' ORDER BY x.id) FROM hall.applications x), (SELECT apps FROM t28_seed),
	'the cases are the seed''s');
SELECT is((SELECT tgenabled::text FROM pg_trigger WHERE tgrelid = 'hall.audit'::regclass AND tgname = 'audit_append_only'), 'O',
	'the audit log is append-only again after it');

SELECT * FROM finish();
ROLLBACK;
