-- The front desk (020): receiving at the window (受理, 材料不全, 不予受理),
-- the check digits of ID numbers and credit codes, the numbered notices,
-- 容缺 (supplied in time, ended by the scheduled job), 告知承诺 (the
-- follow-up check), the green channel's place in the queue, 帮办代办 and
-- the supervisor's figures, and the refusals.  Dates: Monday 2 March 2026
-- onwards (no holiday in March 2026).
\set ON_ERROR_STOP 1
\set QUIET 1
BEGIN;
SELECT no_plan();

-- The checklist of a situation: every material marked original (an optional
-- one not applicable), but those named in marks (name -> mark).
CREATE FUNCTION pg_temp.marks(item text, sit text, marks jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_agg(jsonb_build_object('material_id', x.material_id,
	                                    'mark', coalesce(marks->>x.name, CASE WHEN x.required THEN 'original' ELSE 'na' END))
	                 ORDER BY x.ord)
	FROM hall.v_situation_materials x WHERE x.item_code = item AND x.situation = sit
$$;
-- What hall.receive(...) does, as refusal_of reads it.
CREATE FUNCTION pg_temp.rcv(item text, sit text, applicant jsonb, agent jsonb, marks jsonb, outcome text, note text,
                            opts jsonb DEFAULT '{}') RETURNS text
LANGUAGE sql AS $$
	SELECT public.refusal_of(format('SELECT hall.receive(%L, %L, %L, %L, %L, %L, %L, %L)',
	                                item, sit, applicant, agent, marks, outcome, note, opts))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.marks(text, text, jsonb), pg_temp.rcv(text, text, jsonb, jsonb, jsonb, text, text, jsonb)
	TO PUBLIC;
CREATE FUNCTION pg_temp.entity(name text, code text, rep text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$ SELECT jsonb_build_object('kind', 'entity', 'name', name, 'id_number', code, 'legal_rep', rep) $$;
GRANT EXECUTE ON FUNCTION pg_temp.entity(text, text, text) TO PUBLIC;

-- ------------------------------------------------------------ check digits
SELECT ok(hall.id_number_valid('11010519491231002X'), 'GB 11643: the standard''s own example, with an X check digit');
SELECT ok(hall.id_number_valid('440524188001010014'), 'GB 11643: its other example (born 1880)');
SELECT ok(hall.id_number_valid('230102199001011230'), 'a Harbin number, check digit 0');
SELECT ok(hall.id_number_valid('23010819520101003X'), 'another X');
SELECT ok(hall.id_number_valid('230104199602290012'), 'born on a leap day');
SELECT ok(NOT hall.id_number_valid('110105194912310021'), 'the example with a wrong check digit is refused');
SELECT ok(NOT hall.id_number_valid('230102199001011234'), 'a made-up number (check digit 4, should be 0) is refused');
SELECT ok(NOT hall.id_number_valid('23010419970229001X'), 'a right check digit on a day that never was (1997-02-29) is refused');
SELECT ok(NOT hall.id_number_valid('23010219900101123'), '17 characters are refused');
SELECT ok(NOT hall.id_number_valid('230102900101123'), 'the old 15-digit form (no check digit) is refused');
SELECT ok(NOT hall.id_number_valid('23010219900101123A'), 'a letter other than X is refused');
SELECT ok(hall.credit_code_valid('91350100M000100Y43'), 'GB 32100: the standard''s example');
SELECT ok(hall.credit_code_valid('911101080828461726'), 'an enterprise (91), digit check character');
SELECT ok(hall.credit_code_valid('92230102MA1ABCDE0K'), 'an individual business (92), letter check character');
SELECT ok(hall.credit_code_valid('91230103126900987T'), 'a Harbin enterprise');
SELECT ok(NOT hall.credit_code_valid('91350100M000100Y44'), 'a wrong check character is refused');
SELECT ok(NOT hall.credit_code_valid('91350100M000100I43'), 'I is not one of the 31 characters');
SELECT ok(NOT hall.credit_code_valid('91350100M000100Y4'), '17 characters are refused');
SELECT ok(NOT hall.credit_code_valid('91ABCDEFM000100Y43'), 'the area code is six digits');
SELECT is(hall.clock_paused_days('2026-03-02', '2026-03-02', 5, 3), 5,
	'a clock started at receipt counts the days returned before acceptance');
SELECT is(hall.clock_paused_days('2026-03-06', '2026-03-02', 5, 3), 2,
	'a clock started at acceptance does not');

-- ------------------------------------------------------------ finding items
SET hall.fake_now = '2026-03-02 10:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT results_eq($$SELECT code FROM hall.find_items('yyzz')$$, ARRAY['SC003'], 'yyzz finds 营业执照变更登记 by its initials');
SELECT results_eq($$SELECT code FROM hall.find_items('sc00')$$, ARRAY['SC001', 'SC002', 'SC003'],
	'a code prefix, in any case: the items A01 serves, not GA001');
SELECT results_eq($$SELECT code FROM hall.find_items('食品')$$, ARRAY['SC002'], 'a part of the name');
SELECT results_eq($$SELECT code FROM hall.find_items('SC002')$$, ARRAY['SC002'], 'the exact code');
SELECT is((SELECT count(*) FROM hall.find_items('jzz')), 0::bigint, 'an item of another department''s window is not offered');
SELECT is((SELECT windows FROM hall.find_items('SC001')), ARRAY['A01'], 'the windows given are the clerk''s own serving it');
SELECT is((SELECT count(*) FROM hall.find_items('')), 3::bigint, 'an empty query lists every item the clerk may receive');
SELECT is((SELECT conditions FROM hall.v_item_guides WHERE code = 'SC003'), '申请人具备相应的民事行为能力，申请材料齐全、符合法定形式。',
	'the guide: conditions');
SELECT is((SELECT promised_days || '/' || legal_days || ' ' || fee FROM hall.v_item_guides WHERE code = 'SC003'), '10/20 不收费',
	'the time limits and the fee');
SELECT results_eq($$SELECT name, required, may_defer, may_commit FROM hall.v_situation_materials
                    WHERE item_code = 'SC003' AND situation = 'agent' ORDER BY ord$$,
	$$VALUES ('变更登记申请书', true, false, false), ('营业执照正副本', true, false, false), ('股东会决议', true, true, false),
	         ('住所使用证明', true, false, true), ('法定代表人身份证', true, false, false), ('授权委托书', true, false, false),
	         ('受托人身份证', true, false, false), ('其他补充材料', false, false, false)$$,
	'the material list of a situation: required or optional, 容缺 and 告知承诺 where allowed');
SET SESSION AUTHORIZATION t_clerk_g;
SELECT results_eq($$SELECT code FROM hall.find_items('jzz')$$, ARRAY['GA001'], 'B01''s clerk finds 居住证办理 by jzz');
RESET SESSION AUTHORIZATION;

-- ------------------------------------------------------------ accept (受理)
SELECT pg_temp.marks('SC003', 'self') AS m_all \gset
SELECT count(*) AS applicants0 FROM hall.applicants \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.receive('SC003', 'self', applicant_json('张三', '230102199001011230', '13800001111'), NULL, :'m_all',
	'accept', '当场核验原件', '{}') AS acc \gset
RESET SESSION AUTHORIZATION;
SELECT is((app(:acc)).state, 'in_review', 'accepted: the case starts in review');
SELECT is((app(:acc)).claimed_by, sid('t_clerk_a'), 'held by the clerk who received it');
SELECT is((app(:acc)).channel, 'window', 'at the window');
SELECT is((app(:acc)).window_code, 'A01', 'the clerk''s window serving the item');
SELECT is((app(:acc)).accepted_on, '2026-03-02'::date, 'accepted today');
SELECT is((app(:acc)).clock_start, '2026-03-02'::date, 'the clock starts today');
SELECT is((app(:acc)).due_date, '2026-03-16'::date, 'due 10 working days on: Mar 16');
SELECT is((app(:acc)).sort_due, '2026-03-16'::date, 'and sorts by it');
SELECT is((app(:acc)).queue_rank, 1::smallint, 'not the green channel');
SELECT is((SELECT outcome || ' ' || staff_id FROM hall.receptions WHERE app_id = :acc), 'accept ' || sid('t_clerk_a'),
	'the reception: who and with which outcome');
SELECT is((SELECT number || ' ' || kind || ' ' || staff_id || ' ' || window_code || ' ' || issued_on FROM hall.notices WHERE app_id = :acc),
	'SCJG-2026-000001 acceptance ' || sid('t_clerk_a') || ' A01 2026-03-02', 'a numbered, dated acceptance notice (受理通知书)');
SELECT is(audit_count(:acc), 1::bigint, 'one audit row');
SELECT is((SELECT action || ':' || coalesce(from_state, '-') || '>' || to_state || ':' || actor || ':' || (details->>'notice')
           FROM hall.audit WHERE app_id = :acc), 'receive:->in_review:t_clerk_a:SCJG-2026-000001', 'which says who, what and the notice');
SELECT is((SELECT count(*) FROM hall.outbox WHERE app_id = :acc), 1::bigint, 'one message to the applicant');
SELECT is((SELECT event || ' ' || (payload->>'notice_no') || ' ' || (payload->>'due_date') FROM hall.outbox WHERE app_id = :acc),
	'accepted SCJG-2026-000001 2026-03-16', 'accepted, with the notice number and the due date');
SELECT results_eq(format($$SELECT m.name, am.status, am.mark FROM hall.application_materials am JOIN hall.materials m ON m.id = am.material_id
                          WHERE am.app_id = %s ORDER BY m.ord$$, :acc),
	$$VALUES ('变更登记申请书', 'submitted', 'original'), ('营业执照正副本', 'submitted', 'original'),
	         ('股东会决议', 'submitted', 'original'), ('住所使用证明', 'submitted', 'original'),
	         ('法定代表人身份证', 'submitted', 'original'), ('其他补充材料', 'not_applicable', 'na')$$,
	'the checklist as marked');
SELECT (SELECT id FROM hall.notices WHERE app_id = :acc) AS acc_notice \gset
SET SESSION AUTHORIZATION t_clerk_b;
SELECT hall.notice_text(:acc_notice) AS acc_text \gset
SELECT matches(:'acc_text'::text, '^市政务服务中心\n受理通知书\n编号：SCJG-2026-000001\n', 'the notice: the hall, its title, its number');
SELECT matches(:'acc_text'::text, '张三：', 'the applicant');
SELECT matches(:'acc_text'::text, '「营业执照变更登记」（办件号 260302-0001，申请情形：本人办理）', 'the item, the case number, the situation');
SELECT matches(:'acc_text'::text, '1\. 变更登记申请书（原件已核验）', 'the materials received');
SELECT doesnt_match(:'acc_text'::text, '其他补充材料', 'not those that do not apply');
SELECT matches(:'acc_text'::text, '承诺于2026年03月16日前办结', 'the promised date');
SELECT matches(:'acc_text'::text, '进度查询：凭办件号 260302-0001', 'how to ask about progress');
SELECT matches(:'acc_text'::text, '受理窗口：市场监管 1 号窗口（A01） +受理人：张敏', 'the window and the clerk');
SELECT matches(:'acc_text'::text, '备注：当场核验原件', 'the clerk''s note');
SELECT matches(:'acc_text'::text, '2026年03月02日$', 'dated');
SELECT is(hall.notice_text_by_number('scjg-2026-000001'), :'acc_text'::text, 'found by its number too');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM hall.applicants), (:applicants0 + 1)::bigint, 'a new applicant');

-- ------------------------------------------------------ not complete (材料不全)
SELECT pg_temp.marks('SC003', 'self', '{"股东会决议": "missing", "住所使用证明": "missing"}') AS m_inc \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.receive('SC003', 'self', applicant_json('张三', '230102199001011230', '13900002222'), NULL, :'m_inc',
	'incomplete', '申请书缺少法定代表人签字', '{}') AS inc \gset
RESET SESSION AUTHORIZATION;
SELECT is((app(:inc)).applicant_id, (app(:acc)).applicant_id, 'an applicant already known (the same ID number) is found');
SELECT is((SELECT count(*) FROM hall.applicants), (:applicants0 + 1)::bigint, 'not duplicated');
SELECT is((SELECT phone FROM hall.applicants WHERE id = (app(:inc)).applicant_id), '13900002222', 'their phone number brought up to date');
SELECT is((app(:inc)).state, 'returned', 'not complete: the case is created returned');
SELECT is((app(:inc)).accepted_on, NULL::date, 'not accepted');
SELECT is((app(:inc)).claimed_by, NULL::int, 'held by nobody');
SELECT is((app(:inc)).return_count, 1, 'with its first return');
SELECT is((app(:inc)).returned_on, '2026-03-02'::date, 'returned today');
SELECT is((app(:inc)).accept_due, '2026-03-09'::date, '§32 counts from this first visit: to be accepted by Mar 9');
SELECT is((app(:inc)).sort_due, 'infinity'::date, 'paused while the applicant gathers the materials');
SELECT is((SELECT seq || ' ' || material_ids::text || ' ' || defects FROM hall.returns WHERE app_id = :inc),
	'1 ' || ARRAY[mat('SC003', '股东会决议'), mat('SC003', '住所使用证明')]::text || ' 申请书缺少法定代表人签字',
	'the one-time notice names every missing material and the defects');
SELECT matches((SELECT notice FROM hall.returns WHERE app_id = :inc), '1\. 股东会决议\n2\. 住所使用证明\n3\. 其他问题：申请书缺少法定代表人签字',
	'in the words of 005');
SELECT is((SELECT number || ' ' || kind FROM hall.notices WHERE app_id = :inc), 'SCJG-2026-000002 correction',
	'a numbered one-time notice (一次性告知书)');
SELECT matches(hall.notice_text((SELECT id FROM hall.notices WHERE app_id = :inc)),
	'一次性告知书\n编号：SCJG-2026-000002\n.*现一次性告知您需要补正的全部内容：\n一次性告知：.*1\. 股东会决议\n2\. 住所使用证明\n.*已收取的材料：\n  1\. 变更登记申请书（原件已核验）',
	'its text: what is missing, what was received');
SELECT is((SELECT event || ' ' || (payload->>'notice_no') || ' ' || (payload->>'seq') FROM hall.outbox WHERE app_id = :inc),
	'returned SCJG-2026-000002 1', 'the applicant gets the one-time notice');
SELECT is((SELECT status FROM hall.application_materials WHERE app_id = :inc AND material_id = mat('SC003', '股东会决议')),
	'missing', 'the missing materials are missing');

-- ------------------------------------------------------ refuse (不予受理)
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(pg_temp.rcv('SC002', 'self', applicant_json('李四', '230102195503150021', ''), NULL, '[]', 'refuse', NULL),
	'22023 reason:text_empty:refusal_reason', 'refusing needs the legal reason');
SELECT is(pg_temp.rcv('SC002', 'self', applicant_json('李四', '230102195503150021', ''), NULL, '[]', 'refuse', '不行'),
	'22023 reason:text_short:refusal_reason:5', 'of at least 5 characters');
SELECT hall.receive('SC002', 'self', applicant_json('李四', '230102195503150021', ''), NULL, '[]',
	'refuse', '申请事项不属于本机关职权范围，依法不予受理', '{}') AS ref \gset
RESET SESSION AUTHORIZATION;
SELECT is((app(:ref)).state, 'rejected', 'refused to accept: a closed state');
SELECT is((app(:ref)).accepted_on, NULL::date, 'never accepted (不予受理, not 不予许可)');
SELECT is((app(:ref)).closed_by, sid('t_clerk_a'), 'closed by the clerk');
SELECT is((app(:ref)).decision_note, '申请事项不属于本机关职权范围，依法不予受理', 'with the legal reason');
SELECT is((app(:ref)).sort_due, 'infinity'::date, 'out of the queue');
SELECT is((SELECT number || ' ' || kind FROM hall.notices WHERE app_id = :ref), 'SCJG-2026-000003 refusal',
	'a numbered refusal (不予受理决定书)');
SELECT matches(hall.notice_text((SELECT id FROM hall.notices WHERE app_id = :ref)),
	'不予受理决定书\n.*决定不予受理。\n    理由：申请事项不属于本机关职权范围，依法不予受理\n.*六十日内依法申请行政复议',
	'its text: the reason and the remedies');
SELECT is((SELECT event || ' ' || (payload->>'reason') FROM hall.outbox WHERE app_id = :ref),
	'not_accepted 申请事项不属于本机关职权范围，依法不予受理', 'the applicant is told');

-- ------------------------------------------------------ who applies
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102199001011234', ''), NULL, :'m_all', 'accept', ''),
	'22023 reason:id_number_invalid:applicant', 'a wrong check digit is refused');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '110105194912310021', ''), NULL, :'m_all', 'accept', ''),
	'22023 reason:id_number_invalid:applicant', 'the standard''s example with its X changed to 1 too');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102203001010018', ''), NULL, :'m_all', 'accept', ''),
	'22023 reason:id_number_invalid:applicant', 'and a right check digit with a birth date yet to come');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '23010419970229001X', ''), NULL, :'m_all', 'accept', ''),
	'22023 reason:id_number_invalid:applicant', 'and one born on a day that never was');
SELECT is(pg_temp.rcv('SC003', 'self', pg_temp.entity('哈尔滨市某某商贸有限公司', '91350100M000100Y44', '王五'), NULL, :'m_all', 'accept', ''),
	'22023 reason:credit_code_invalid', 'a credit code with a wrong check character is refused');
SELECT is(pg_temp.rcv('SC003', 'self', pg_temp.entity('哈尔滨市某某商贸有限公司', '91230103126900987T', ''), NULL, :'m_all', 'accept', ''),
	'22023 reason:text_empty:legal_rep', 'an entity needs its legal representative');
SELECT is(pg_temp.rcv('SC003', 'self', '{"kind": "robot", "name": "x", "id_number": "1"}', NULL, :'m_all', 'accept', ''),
	'22023 reason:applicant_invalid', 'a person or an entity');
SELECT hall.receive('SC003', 'self', pg_temp.entity('哈尔滨市某某商贸有限公司', '91230103126900987t', '王五'), NULL, :'m_all',
	'accept', '', '{}') AS ent \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT kind || ' ' || id_number || ' ' || legal_rep FROM hall.applicants WHERE id = (app(:ent)).applicant_id),
	'entity 91230103126900987T 王五', 'an entity with a valid code (upper-cased) and its legal representative');

-- The agent (委托代理人) and the clerk as the agent (代办).
SELECT pg_temp.marks('SC003', 'agent') AS m_agent \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(pg_temp.rcv('SC003', 'agent', applicant_json('赵六', '230102198005050056', ''), NULL, :'m_agent', 'accept', ''),
	'22023 reason:agent_required', 'a situation filed by an agent needs the agent');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('赵六', '230102198005050056', ''),
	'{"name": "钱七", "id_number": "230106198808080027", "poa": "委托书 WT-2026-018"}', :'m_all', 'accept', ''),
	'22023 reason:agent_not_expected', 'and one filed in person takes none');
SELECT is(pg_temp.rcv('SC003', 'agent', applicant_json('赵六', '230102198005050056', ''),
	'{"name": "钱七", "id_number": "230106198808080028", "poa": "委托书 WT-2026-018"}', :'m_agent', 'accept', ''),
	'22023 reason:id_number_invalid:agent', 'the agent''s ID number is checked too');
SELECT is(pg_temp.rcv('SC003', 'agent', applicant_json('赵六', '230102198005050056', ''),
	'{"name": "钱七", "id_number": "230106198808080027"}', :'m_agent', 'accept', ''),
	'22023 reason:text_empty:poa_note', 'and the power of attorney is named');
SELECT is(pg_temp.rcv('SC003', 'agent', applicant_json('赵六', '230102198005050056', ''),
	'{"name": "钱七", "id_number": "230106198808080027", "poa": "WT-018"}', :'m_agent', 'accept', '',
	'{"proxy_poa": "授权委托书 DB-2026-007"}'),
	'22023 reason:agent_not_expected', 'a proxy filing has the clerk for its agent, no other');
SELECT hall.receive('SC003', 'agent', applicant_json('赵六', '230102198005050056', ''),
	'{"name": "钱七", "id_number": "230106198808080027", "phone": "13700003333", "poa": "委托书 WT-2026-018"}', :'m_agent',
	'accept', '', '{}') AS agt \gset
SELECT hall.receive('SC003', 'agent', applicant_json('孙八', '230102194001010024', ''), NULL, :'m_agent',
	'accept', '', '{"proxy_poa": "授权委托书 DB-2026-007"}') AS prx \gset
SELECT is((SELECT agent_name || ' ' || agent_id_masked || ' ' || agent_phone_masked || ' ' || poa FROM hall.v_case_front WHERE app_id = :agt),
	'钱七 230106********0027 137****3333 委托书 WT-2026-018', 'the agent recorded separately, numbers masked');
SELECT throws_ok(format('SELECT id_number FROM hall.case_agents WHERE app_id = %s', :agt), '42501', NULL,
	'the agent''s full ID number is not readable');
SELECT is((SELECT proxy_staff_id || ' ' || agent_name || ' ' || poa FROM hall.v_case_front WHERE app_id = :prx),
	sid('t_clerk_a') || ' 张敏 授权委托书 DB-2026-007', 'a proxy filing (代办): the clerk as the agent');
SELECT matches(hall.notice_text((SELECT notice_id FROM hall.v_case_front WHERE app_id = :agt)), '委托代理人：钱七（证件号码 230106\*+0027），授权委托书：委托书 WT-2026-018',
	'the notice names the agent, masked');
SELECT matches(hall.notice_text((SELECT notice_id FROM hall.v_case_front WHERE app_id = :prx)), '代办：本件由工作人员张敏依授权委托书（授权委托书 DB-2026-007）代为办理。',
	'and the proxy');

-- ------------------------------------------------------ the checklist
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL,
	(:'m_all'::jsonb) - 0, 'accept', ''), '22023 reason:checklist_incomplete:1', 'every material of the situation is marked');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL,
	(:'m_all'::jsonb) || jsonb_build_array(jsonb_build_object('material_id', mat('SC001', '身份证'), 'mark', 'original')), 'accept', ''),
	'22023 reason:material_invalid', 'a material of another item is refused');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL,
	(:'m_all'::jsonb) || jsonb_build_array(jsonb_build_object('material_id', mat('SC003', '授权委托书'), 'mark', 'original')), 'accept', ''),
	'22023 reason:material_invalid', 'so is one of the item outside the situation');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL,
	pg_temp.marks('SC003', 'self', '{"营业执照正副本": "lost"}'), 'accept', ''),
	'22023 reason:material_mark', 'a mark is original, copy, missing, na, deferred or commitment');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL,
	pg_temp.marks('SC003', 'self', '{"营业执照正副本": "na"}'), 'accept', ''),
	'22023 reason:material_required', 'a required material does not become not applicable');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL,
	pg_temp.marks('SC003', 'self', '{"营业执照正副本": "missing"}'), 'accept', ''),
	'22023 reason:accept_missing', 'a case missing a required material is not accepted');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL, :'m_all', 'incomplete', ''),
	'22023 reason:return_empty', 'nor returned with nothing missing');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL, '{"a": 1}', 'accept', ''),
	'22023 reason:checklist_invalid', 'the checklist is an array');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL, :'m_all', 'maybe', ''),
	'22023 reason:bad_choice', 'the outcome is accept, incomplete or refuse');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL,
	pg_temp.marks('SC003', 'self', '{"营业执照正副本": "copy", "其他补充材料": "missing"}'), 'accept', ''),
	'ok', 'a copy is received, and an optional material may be missing');

-- ------------------------------------------------------ 容缺
SELECT pg_temp.marks('SC003', 'self', '{"股东会决议": "deferred"}') AS m_def \gset
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('周九', '230102198005050056', ''), NULL,
	pg_temp.marks('SC003', 'self', '{"变更登记申请书": "deferred"}'), 'accept', '', '{"commitment_signed": true}'),
	'22023 reason:deferral_not_allowed', '容缺 only for a material listed for it');
SELECT is(pg_temp.rcv('SC002', 'self', applicant_json('周九', '230102198005050056', ''), NULL,
	pg_temp.marks('SC002', 'self', '{"营业执照": "deferred"}'), 'accept', '', '{"commitment_signed": true}'),
	'22023 reason:deferral_not_allowed', 'and only for an item that allows it');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('周九', '230102198005050056', ''), NULL, :'m_def', 'accept', ''),
	'22023 reason:commitment_unsigned', 'only after the applicant signed the commitment (承诺书)');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('周九', '230102198005050056', ''), NULL,
	pg_temp.marks('SC003', 'self', '{"股东会决议": "deferred", "住所使用证明": "missing"}'), 'incomplete', '',
	'{"commitment_signed": true}'), '22023 reason:deferral_accept_only', 'and only when accepting');
SELECT hall.receive('SC003', 'self', applicant_json('周九', '230102198005050056', ''), NULL, :'m_def',
	'accept', '', '{"commitment_signed": true}') AS def1 \gset
SELECT hall.receive('SC003', 'self', applicant_json('吴十', '230103198506070043', ''), NULL, :'m_def',
	'accept', '', '{"commitment_signed": true}') AS def2 \gset
RESET SESSION AUTHORIZATION;
UPDATE hall.settings SET value = '20' WHERE key = 'deferred_days';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT hall.receive('SC003', 'self', applicant_json('郑十一', '230104199602290012', ''), NULL, :'m_def',
	'accept', '', '{"commitment_signed": true}') AS def3 \gset
RESET SESSION AUTHORIZATION;
UPDATE hall.settings SET value = '5' WHERE key = 'deferred_days';
SELECT is((app(:def1)).state, 'in_review', 'accepted 容缺');
SELECT is((SELECT due_on || ' ' || state FROM hall.deferred_materials WHERE app_id = :def1 AND material_id = mat('SC003', '股东会决议')),
	'2026-03-09 open', 'the material owed within deferred_days (5) working days: Mar 9');
SELECT is((SELECT due_on FROM hall.deferred_materials WHERE app_id = :def3), (app(:def3)).due_date,
	'never later than the due date (deferred_days 20 would give Mar 30)');
SELECT is((SELECT n.number FROM hall.deferred_materials d JOIN hall.notices n ON n.id = d.notice_id WHERE d.app_id = :def1),
	(SELECT number FROM hall.notices WHERE app_id = :def1), 'the commitment is recorded with the acceptance notice''s number');
SELECT is((SELECT status || ' ' || mark FROM hall.application_materials WHERE app_id = :def1 AND material_id = mat('SC003', '股东会决议')),
	'deferred deferred', 'the material shows 容缺');
SELECT is((SELECT deferred_open || ' ' || deferred_due FROM hall.v_case_front WHERE app_id = :def1), '1 2026-03-09',
	'and the case shows 容缺 with its deadline');
SELECT matches(hall.notice_text((SELECT id FROM hall.notices WHERE app_id = :def1)),
	'容缺受理的材料（申请人已签署书面承诺书，承诺书随本通知书（编号 SCJG-2026-[0-9]{6}）存档）：\n  1\. 股东会决议：请于2026年03月09日前补交',
	'the notice says what is owed and by when');
SELECT matches((SELECT payload->>'text' FROM hall.outbox WHERE app_id = :def1), '容缺受理的材料请按期补交：股东会决议（2026-03-09前）',
	'and so does the message');

-- Completing is refused while it is owed; supplied in time, it goes on.
SET hall.fake_now = '2026-03-05 10:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(refusal_of(format('SELECT hall.approve(%s, %L)', :def1, '')), '55000 reason:deferred_open',
	'a case still owing a 容缺 material is not completed');
SET SESSION AUTHORIZATION t_clerk_c;
SELECT is(refusal_of(format('SELECT hall.supply_deferred(%s, %s)', :def1, mat('SC003', '股东会决议'))), 'P0002 reason:not_found:case',
	'a clerk of another window cannot record it');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT is(refusal_of(format('SELECT hall.supply_deferred(%s, %s)', :def1, mat('SC003', '营业执照正副本'))), '55000 reason:deferred_not_open',
	'a material that is not owed cannot be supplied');
SELECT lives_ok(format('SELECT hall.supply_deferred(%s, %s)', :def1, mat('SC003', '股东会决议')),
	'a colleague of the window records the material supplied on Mar 5');
SELECT is(refusal_of(format('SELECT hall.supply_deferred(%s, %s)', :def1, mat('SC003', '股东会决议'))), '55000 reason:deferred_not_open',
	'once');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT state || ' ' || supplied_by || ' ' || supplied_at FROM hall.deferred_materials WHERE app_id = :def1),
	'supplied ' || sid('t_clerk_b') || ' 2026-03-05 10:00:00+08', 'supplied: who and when');
SELECT is((SELECT status FROM hall.application_materials WHERE app_id = :def1 AND material_id = mat('SC003', '股东会决议')),
	'submitted', 'the material is in');
SELECT is((SELECT action || ' ' || from_state || '>' || to_state FROM hall.audit WHERE app_id = :def1 ORDER BY id DESC LIMIT 1),
	'supply_deferred in_review>in_review', 'audited');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT lives_ok(format('SELECT hall.approve(%s, %L)', :def1, ''), 'then the case is completed');

-- The deadline passes without it: the scheduled job ends the case.
SET hall.fake_now = '2026-03-09 23:00+08';
RESET SESSION AUTHORIZATION;
SELECT is((SELECT terminated FROM hall.front_desk_run()), 0, 'on its last day, nothing is ended');
SET hall.fake_now = '2026-03-10 00:30+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(refusal_of(format('SELECT hall.supply_deferred(%s, %s)', :def2, mat('SC003', '股东会决议'))), '55000 reason:deferred_late',
	'the day after, it is too late to supply it');
SELECT throws_ok('SELECT hall.front_desk_run()', '42501', NULL, 'a clerk cannot run the job');
SELECT throws_ok('SELECT hall.end_deferred()', '42501', NULL, 'nor its cron form');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT terminated || ' ' || messages FROM hall.front_desk_run()), '1 1', 'the job ends one case and tells its applicant');
SELECT is((app(:def2)).state, 'terminated', 'ended: terminated (终止)');
SELECT is((app(:def2)).closed_at, '2026-03-10 00:30+08'::timestamptz, 'at the time of the run');
SELECT is((app(:def2)).sort_due, 'infinity'::date, 'out of the queue');
SELECT is((SELECT state FROM hall.deferred_materials WHERE app_id = :def2), 'ended', 'the material is ended');
SELECT is((SELECT action || ' ' || from_state || '>' || to_state || ' ' || actor FROM hall.audit WHERE app_id = :def2 ORDER BY id DESC LIMIT 1),
	'terminate in_review>terminated ' || session_user, 'audited, by the job''s user');
SELECT matches((SELECT payload->>'text' FROM hall.outbox WHERE app_id = :def2 AND event = 'terminated'),
	'容缺受理的材料「股东会决议」未在 2026-03-09 前补交，已终止办理', 'the applicant is told');
SELECT is((app(:def3)).state, 'in_review', 'a case whose deadline is later goes on');
SELECT is(hall.end_deferred(), 0, 'a second run ends nothing');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is((SELECT urgency FROM hall.v_case WHERE id = :def2), 'closed', 'terminated is closed for the case view');
SELECT is((SELECT count(*) FROM hall.v_queue WHERE id = :def2), 0::bigint, 'and leaves the queue');
SELECT is(refusal_of(format('SELECT hall.supply_deferred(%s, %s)', :def2, mat('SC003', '股东会决议'))), '55000 reason:stale_state',
	'nothing is supplied to an ended case');
SET SESSION AUTHORIZATION t_sup_s;
SELECT results_eq('SELECT department_code, open, supplied, ended FROM hall.v_deferred_counts',
	$$VALUES ('SCJG', 1::bigint, 1::bigint, 1::bigint)$$, 'the supervisor sees the 容缺 cases open, supplied and ended');
SET SESSION AUTHORIZATION t_sup_g;
SELECT is((SELECT count(*) FROM hall.v_deferred_counts), 0::bigint, 'another department''s supervisor sees none');
RESET SESSION AUTHORIZATION;

-- ------------------------------------------------------ 告知承诺
SET hall.fake_now = '2026-03-02 11:00+08';
SELECT pg_temp.marks('SC003', 'self', '{"住所使用证明": "commitment"}') AS m_com \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('冯一', '230102198005050056', ''), NULL,
	pg_temp.marks('SC003', 'self', '{"股东会决议": "commitment"}'), 'accept', '', '{"commitment_signed": true}'),
	'22023 reason:commitment_not_allowed', '告知承诺 only for a proof listed for it');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('冯一', '230102198005050056', ''), NULL, :'m_com', 'accept', ''),
	'22023 reason:commitment_unsigned', 'and only signed');
SELECT hall.receive('SC003', 'self', applicant_json('冯一', '230102198005050056', ''), NULL, :'m_com',
	'accept', '', '{"commitment_signed": true}') AS com1 \gset
SELECT hall.receive('SC003', 'self', applicant_json('陈二', '230102195503150021', ''), NULL, :'m_com',
	'accept', '', '{"commitment_signed": true}') AS com2 \gset
SELECT hall.receive('SC003', 'self', applicant_json('褚三', '230106198808080027', ''), NULL, :'m_com',
	'accept', '', '{"commitment_signed": true}') AS com3 \gset
SELECT is((SELECT due_on || ' ' || state || ' ' || material_ids::text FROM hall.commitment_checks WHERE app_id = :com1),
	'2026-03-30 pending {' || mat('SC003', '住所使用证明') || '}', 'the follow-up check is due in commitment_check_days (20) working days');
SELECT is((SELECT days_left || ' ' || urgency FROM hall.v_commitment_checks WHERE app_id = :com1), '20 ok', 'and shows how long is left');
SELECT is((SELECT status FROM hall.application_materials WHERE app_id = :com1 AND material_id = mat('SC003', '住所使用证明')),
	'committed', 'the proof is replaced by the commitment');
SELECT matches(hall.notice_text((SELECT id FROM hall.notices WHERE app_id = :com1)),
	'以告知承诺方式办理的事项.*\n  1\. 住所使用证明\n  本机关将于2026年03月30日前对承诺内容进行核查', 'the notice says so');
SELECT is(refusal_of(format('SELECT hall.record_check(%s, true, %L)', :acc, '')), '55000 reason:check_none',
	'a case without a commitment has nothing to check');
SELECT lives_ok(format('SELECT hall.approve(%s, %L)', :com3, ''), 'one is completed meanwhile');
SET hall.fake_now = '2026-03-20 10:00+08';
SET SESSION AUTHORIZATION t_sup_g;
SELECT is(refusal_of(format('SELECT hall.record_check(%s, true, %L)', :com1, '')), 'P0002 reason:not_found:case',
	'another department''s supervisor cannot record the check');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT lives_ok(format('SELECT hall.record_check(%s, true, %L)', :com1, '现场核查属实'), 'a check found true');
SELECT is(refusal_of(format('SELECT hall.record_check(%s, false, %L)', :com1, '不实')), '55000 reason:check_done',
	'is recorded once');
SELECT is(refusal_of(format('SELECT hall.record_check(%s, false, %L)', :com2, '')), '22023 reason:text_empty:check_note',
	'a check found false needs its finding');
SELECT lives_ok(format('SELECT hall.record_check(%s, false, %L)', :com2, '经现场核查，实际住所与承诺不符'), 'a check found false');
SET SESSION AUTHORIZATION t_sup_s;
SELECT lives_ok(format('SELECT hall.record_check(%s, false, %L)', :com3, '经核查，住所使用证明承诺不实'),
	'the supervisor finds a completed case''s commitment false');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT state || ' ' || checked_by || ' ' || note FROM hall.commitment_checks WHERE app_id = :com1),
	'true ' || sid('t_clerk_b') || ' 现场核查属实', 'true: recorded, the case goes on');
SELECT is((app(:com1)).state, 'in_review', 'still in review');
SELECT is((app(:com2)).state || ' ' || (SELECT outcome FROM hall.commitment_checks WHERE app_id = :com2), 'terminated terminated',
	'false: an open case is ended');
SELECT is((app(:com3)).state || ' ' || (SELECT outcome FROM hall.commitment_checks WHERE app_id = :com3), 'terminated revoked',
	'false: a completed case is revoked');
SELECT is((SELECT string_agg(action || ':' || from_state || '>' || to_state, ' ' ORDER BY id) FROM hall.audit
           WHERE app_id IN (:com1, :com2, :com3) AND action IN ('record_check', 'terminate', 'revoke')),
	'record_check:in_review>in_review terminate:in_review>terminated revoke:completed>terminated', 'each recorded');
SELECT is((SELECT string_agg(event, ' ' ORDER BY id) FROM hall.outbox WHERE app_id IN (:com2, :com3) AND event IN ('terminated', 'revoked')),
	'terminated revoked', 'and the applicants told');

-- ------------------------------------------------------ the green channel
SET hall.fake_now = '2026-03-02 12:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT hall.submit('SC002', applicant_json('网上申请人', '230102198005050056', ''), 'web') AS web1 \gset
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('年轻人', '230102199001011230', ''), NULL, :'m_all', 'accept', '', '{"green": "elderly"}'),
	'22023 reason:green_age', 'the green channel for the elderly is for 70 or older');
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('某人', '230102199001011230', ''), NULL, :'m_all', 'accept', '', '{"green": "vip"}'),
	'22023 reason:green_channel', 'elderly, disabled or pregnant: nothing else');
SELECT hall.receive('SC003', 'self', applicant_json('老人', '11010519491231002x', ''), NULL, :'m_all',
	'accept', '', '{"green": "elderly"}') AS grn1 \gset
SELECT hall.receive('SC003', 'self', applicant_json('孕妇', '230106198808080027', ''), NULL, :'m_inc',
	'incomplete', '', '{"green": "pregnant"}') AS grn2 \gset
RESET SESSION AUTHORIZATION;
SELECT is((app(:grn1)).queue_rank || ' ' || (app(:grn1)).green_channel, '0 elderly', 'a green-channel case ranks 0');
SELECT is((SELECT id_number FROM hall.applicants WHERE id = (app(:grn1)).applicant_id), '11010519491231002X', 'the x upper-cased');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is((SELECT id FROM hall.v_queue WHERE window_code = 'A01' ORDER BY queue_rank, sort_due, id LIMIT 1), :grn1::bigint,
	'first in its window''s queue');
SELECT ok((app(:grn1)).sort_due > (app(:web1)).sort_due, 'though a case due earlier waits');
SELECT matches(hall.notice_text((SELECT id FROM hall.notices WHERE app_id = :grn1)), '绿色通道：70周岁以上老年人，优先办理。',
	'the notice says so');
-- Brought back complete, the green case is claimed first.
SET hall.fake_now = '2026-03-05 09:00+08';
SET SESSION AUTHORIZATION t_portal;
SELECT lives_ok(format('SELECT hall.resubmit(%s, ARRAY[%s, %s])', :grn2, mat('SC003', '股东会决议'), mat('SC003', '住所使用证明')),
	'the pregnant applicant brings the materials');
SELECT lives_ok(format('SELECT hall.resubmit(%s, ARRAY[%s])', :inc, mat('SC003', '股东会决议')),
	'the first returned case is resubmitted (one of its two materials)');
RESET SESSION AUTHORIZATION;
SELECT is((app(:inc)).state || ' ' || (app(:inc)).accept_paused || ' ' || (app(:inc)).accept_due || ' ' || (app(:inc)).sort_due,
	'submitted 3 2026-03-12 2026-03-12', 'the 3 working days waited move the acceptance deadline (Mar 9 -> Mar 12)');
SET SESSION AUTHORIZATION t_clerk_b;
SELECT is(hall.claim_next('A01'), :grn2::bigint, 'claim_next takes the green case before the web case due Mar 9');
SET hall.fake_now = '2026-03-06 09:00+08';
SELECT lives_ok(format('SELECT hall.claim(%s)', :inc), 'the resubmitted case is accepted on Mar 6, in time');
SELECT is((app(:inc)).clock_start || ' ' || (app(:inc)).due_date, '2026-03-06 2026-03-20',
	'its clock starts at acceptance, the days waited before it not counted: Mar 6 + 10 = Mar 20');
SELECT is(refusal_of(format('SELECT hall.return_for_correction(%s, ARRAY[%s], %L)', :inc, mat('SC003', '住所使用证明'), '')),
	'55000 reason:one_time_breach', 'the one-time notice holds from the first visit: 住所使用证明 was named then and not resubmitted');
SELECT is(refusal_of(format('SELECT hall.return_for_correction(%s, ARRAY[%s], %L)', :inc, mat('SC003', '股东会决议'), '')),
	'ok', 'what was resubmitted may be returned again');
RESET SESSION AUTHORIZATION;

-- ------------------------------------------------------ 帮办代办 and the figures
SET hall.fake_now = '2026-03-02 15:00+08';
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(pg_temp.rcv('SC002', 'self', applicant_json('某人', '230102199001011230', ''), NULL,
	pg_temp.marks('SC002', 'self'), 'accept', '', '{"channel": "kiosk"}'), '22023 reason:bad_channel',
	'a clerk files at the window, or online (web, app) for the applicant');
SELECT hall.receive('SC002', 'self', applicant_json('刘网', '230102198005050056', ''), NULL, pg_temp.marks('SC002', 'self'),
	'accept', '', '{"channel": "web"}') AS ast \gset
RESET SESSION AUTHORIZATION;
SELECT is((app(:ast)).channel || ' ' || (SELECT assisted_by FROM hall.receptions WHERE app_id = :ast), 'web ' || sid('t_clerk_a'),
	'帮办: filed on the web, marked with the clerk');
SELECT matches(hall.notice_text((SELECT id FROM hall.notices WHERE app_id = :ast)), '帮办：本件由工作人员张敏协助通过政务服务网提交。',
	'the notice says who helped');
SET SESSION AUTHORIZATION t_clerk_g;
SELECT hall.receive('GA001', 'self', applicant_json('公安申请人', '230103198506070043', ''), NULL, pg_temp.marks('GA001', 'self'),
	'accept', '', '{}') AS ga1 \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT number FROM hall.notices WHERE app_id = :ga1), 'GA-2026-000001', 'notice numbers run per department and year');
SELECT is((SELECT count(DISTINCT number) = count(*) AND bool_and(number ~ '^SCJG-2026-[0-9]{6}$') FROM hall.notices WHERE department_code = 'SCJG'),
	true, 'every SCJG notice has its own number');
SET SESSION AUTHORIZATION t_sup_s;
SELECT is((SELECT received || ' ' || accepted || ' ' || incomplete || ' ' || refused FROM hall.front_desk_counts('2026-03-15') WHERE login = 't_clerk_a'),
	(SELECT count(*) || ' ' || count(*) FILTER (WHERE outcome = 'accept') || ' ' || count(*) FILTER (WHERE outcome = 'incomplete')
	        || ' ' || count(*) FILTER (WHERE outcome = 'refuse')
	 FROM hall.receptions WHERE staff_id = sid('t_clerk_a')), 'the month''s receptions of a clerk, by outcome');
SELECT is((SELECT assisted || ' ' || proxy || ' ' || agent || ' ' || green || ' ' || deferred || ' ' || commitment
           FROM hall.front_desk_counts('2026-03-01') WHERE login = 't_clerk_a'), '1 1 1 2 3 3',
	'assisted (帮办), proxy (代办), by an agent, green channel, 容缺, 告知承诺');
SELECT is((SELECT received FROM hall.front_desk_counts('2026-03-01') WHERE login = 't_clerk_b'), 0::bigint,
	'every clerk of the department has a row');
SELECT is((SELECT count(*) FROM hall.front_desk_counts('2026-03-01') WHERE department_code <> 'SCJG'), 0::bigint,
	'a supervisor sees their department only');
SELECT is((SELECT received FROM hall.front_desk_counts('2026-02-01') WHERE login = 't_clerk_a'), 0::bigint, 'and the month asked for');
SELECT is(refusal_of($$SELECT * FROM hall.front_desk_counts(NULL)$$), '22023 reason:month', 'a month is needed');
SET SESSION AUTHORIZATION t_trainer;
SELECT is((SELECT received FROM hall.front_desk_counts('2026-03-01') WHERE login = 't_clerk_g'), 1::bigint, 'the trainer sees the hall');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(refusal_of($$SELECT * FROM hall.front_desk_counts('2026-03-01')$$), '42501 reason:supervisor_only',
	'a clerk does not read the figures');

-- ------------------------------------------------------ windows and refusals
RESET SESSION AUTHORIZATION;
SELECT count(*) AS apps0, (SELECT count(*) FROM hall.notices) AS notices0, (SELECT count(*) FROM hall.audit) AS audit0,
       (SELECT count(*) FROM hall.applicants) AS people0 FROM hall.applications \gset
SET SESSION AUTHORIZATION t_clerk_c;
SELECT is(pg_temp.rcv('SC002', 'self', applicant_json('王五', '230102198005050056', ''), NULL, pg_temp.marks('SC002', 'self'), 'accept', ''),
	'42501 reason:receive_window_item', 'a clerk whose window does not serve the item cannot receive it');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT is(pg_temp.rcv('GA001', 'self', applicant_json('王五', '230102198005050056', ''), NULL, pg_temp.marks('GA001', 'self'), 'accept', ''),
	'42501 reason:receive_window_item', 'nor another department''s item');
SELECT is(pg_temp.rcv('SC001', 'self', applicant_json('王五', '230102198005050056', ''), NULL, pg_temp.marks('SC001', 'self'), 'accept', '',
	'{"window": "A02"}'), '42501 reason:window_not_yours', 'nor at a window the clerk does not serve');
SELECT is(pg_temp.rcv('NOPE', 'self', applicant_json('王五', '230102198005050056', ''), NULL, '[]', 'accept', ''),
	'P0002 reason:not_found:item', 'an unknown item');
SELECT is(pg_temp.rcv('SC003', 'renew', applicant_json('王五', '230102198005050056', ''), NULL, '[]', 'accept', ''),
	'P0002 reason:not_found:situation', 'an unknown situation');
SET SESSION AUTHORIZATION t_sup_s;
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL, :'m_all', 'accept', ''),
	'42501', 'a supervisor does not receive (no EXECUTE)');
SET SESSION AUTHORIZATION t_portal;
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL, :'m_all', 'accept', ''),
	'42501', 'nor the portal');
SET SESSION AUTHORIZATION t_ghost;
SELECT is(pg_temp.rcv('SC003', 'self', applicant_json('王五', '230102198005050056', ''), NULL, :'m_all', 'accept', ''),
	'42501 reason:not_staff', 'nor a clerk role that is not staff');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM hall.applications) || ' ' || (SELECT count(*) FROM hall.notices) || ' '
          || (SELECT count(*) FROM hall.audit) || ' ' || (SELECT count(*) FROM hall.applicants),
	:apps0 || ' ' || :notices0 || ' ' || :audit0 || ' ' || :people0, 'the refusals wrote nothing');

-- ------------------------------------------------------ reading notices
SET SESSION AUTHORIZATION t_clerk_c;
SELECT is((SELECT count(*) FROM hall.notices), 0::bigint, 'A02''s clerk sees none of A01''s notices');
SELECT is(refusal_of(format('SELECT hall.notice_text(%s)', :acc_notice)), 'P0002 reason:not_found:notice',
	'and cannot print one: it does not exist for them');
SELECT is(refusal_of($$SELECT hall.notice_text_by_number('SCJG-2026-000001')$$), 'P0002 reason:not_found:notice', 'nor by its number');
SELECT is(refusal_of('SELECT hall.notice_text(999999)'), 'P0002 reason:not_found:notice', 'the same words as for none at all');
SELECT is((SELECT count(*) FROM hall.v_case_front WHERE app_id = :acc), 0::bigint, 'nor its front-desk record');
SET SESSION AUTHORIZATION t_sup_g;
SELECT is((SELECT count(*) FROM hall.notices WHERE department_code = 'SCJG'), 0::bigint, 'another department''s supervisor sees none');
RESET SESSION AUTHORIZATION;
SELECT count(*) AS scjg_notices FROM hall.notices WHERE department_code = 'SCJG' \gset
SET SESSION AUTHORIZATION t_sup_s;
SELECT is((SELECT count(*) FROM hall.v_notices), :scjg_notices::bigint, 'the supervisor sees the department''s');
SET SESSION AUTHORIZATION t_clerk_a;
SELECT throws_ok($$INSERT INTO hall.notices (number, kind, app_id, department_code, window_code, staff_id, issued_at, issued_on, body)
	VALUES ('SCJG-2026-999999', 'acceptance', 1, 'SCJG', 'A01', 1, now(), current_date, '伪造')$$, '42501', NULL,
	'nobody writes a notice by hand');
SELECT throws_ok($$UPDATE hall.notices SET body = '改过'$$, '42501', NULL, 'or changes one');
SELECT throws_ok($$UPDATE hall.deferred_materials SET state = 'supplied'$$, '42501', NULL, 'or marks a 容缺 material supplied');
SELECT throws_ok($$UPDATE hall.commitment_checks SET state = 'true'$$, '42501', NULL, 'or a check done');
SELECT is(hall.notice_text(:acc_notice), :'acc_text'::text, 'a reprint is the notice as issued, whatever happened to the case since');

SELECT * FROM finish();
ROLLBACK;
