-- The front desk (收件, issue 10): a clerk receives a walk-in applicant at
-- their window and decides on the spot, in one transaction through one
-- function, hall.receive():
--
--   (walk-in) --receive accept-----> in_review, held by the clerk, clock from today  + 受理通知书
--             --receive incomplete-> returned (材料不全, not accepted: §32 counts   + 一次性告知书
--             |                      from this first visit, the one-time notice
--             |                      rule from this first notice)
--             \-receive refuse-----> rejected (不予受理: accepted_on NULL; closed)  + 不予受理决定书
--
--   returned --resubmit (005)--> submitted --claim--> in_review ...  (days waited move
--                                                                    accept_due: accept_paused)
--
--   容缺 (a material accepted as deferred, listed deferrable for the situation):
--     open --supply_deferred-----------> supplied
--     open --deadline passed (job)-----> ended, and the case:  open --> terminated (终止)
--   告知承诺 (a signed commitment in place of a proof, listed for the situation):
--     pending --record_check(true)-----> true
--     pending --record_check(false)----> false, and the case:  open --> terminated
--                                                            completed --> terminated (撤销: revoked)
--   A case with a 容缺 material still open cannot be completed (a trigger:
--   approve and decide refuse it, 55000 reason:deferred_open).
--
-- What an item needs at the window lives here: its guide (办事指南:
-- conditions, fee, where the result is handed over, legal basis; the time
-- limits are hall.items'), its situations (情形: 本人 / 委托代理 / 新办 ...)
-- each with its own material list (required or optional, and whether 容缺
-- or 告知承诺 may stand in for it), and the pinyin initials of its name
-- (hall.items.initials, 003) to find it by.
--
-- Every outcome issues one numbered, dated notice (hall.notices: number
-- unique, DEPT-YYYY-NNNNNN per department and year), whose full printable
-- text is kept as issued: hall.notice_text() reads it again for a reprint,
-- through row-level security (a clerk reads the notices of the cases they
-- can see).  The applicant is told through the outbox (events accepted,
-- returned, not_accepted, terminated, revoked).
--
-- 帮办代办: a clerk may file on the web or the app for the applicant at
-- their window (channel web/app: receptions.assisted_by), or as the applicant's agent
-- under a power of attorney (代办: options.proxy_poa, hall.case_agents with
-- the clerk's staff_id).  绿色通道: the clerk states why (elderly: 70 or
-- older by the ID number of the person at the window, disabled, pregnant);
-- the case gets queue_rank 0 and comes first in its window's queue.
--
-- The scheduled job: hall.front_desk_run() ends the cases whose 容缺
-- deadline has passed; pg_cron runs hall.end_deferred() every minute like
-- the cards of 017 (job hall_front_desk), or `hallctl` as a member of
-- hall_cards calls hall.front_desk_run() (etc/systemd timer).
SET LOCAL ROLE hall_admin;

INSERT INTO hall.settings (key, value, note) VALUES
	('deferred_days', '5', 'working days an applicant has to supply a material accepted 容缺 (never later than the case''s due date)'),
	('commitment_check_days', '20', 'working days within which a 告知承诺 (a signed commitment in place of a proof) is checked (核查)');

INSERT INTO hall.text_fields (field, what, multiline, min_chars, max_chars) VALUES
	('legal_rep',      'the legal representative''s name',                  false, 1, 50),
	('agent_name',     'the agent''s name',                                 false, 1, 50),
	('agent_id',       'the agent''s ID number',                            false, 1, 30),
	('agent_phone',    'the agent''s phone number',                         false, 0, 30),
	('poa_note',       'the power of attorney (its number or what it authorises)', false, 2, 200),
	('receive_note',   'a note on the reception',                           true,  0, 1000),
	('refusal_reason', 'the legal reason for not accepting',                true,  5, 1000),
	('check_note',     'the finding of the check',                          true,  2, 1000),
	('item_query',     'the item searched for',                             false, 0, 50);

-- ------------------------------------------------------------------ items

-- 办事指南: what the guide says beside hall.items (promised_days, legal_days).
CREATE TABLE hall.item_guides (
	item_id      int PRIMARY KEY REFERENCES hall.items,
	conditions   text NOT NULL,                    -- 受理条件
	fee          text NOT NULL DEFAULT '不收费',   -- 收费标准
	result_place text NOT NULL,                    -- where and how the result is handed over
	basis        text NOT NULL DEFAULT ''          -- 设定依据
);

-- 情形: the applicant's situation, each with its own material list.
CREATE TABLE hall.situations (
	id       int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	item_id  int NOT NULL REFERENCES hall.items,
	code     text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,29}$'),
	name     text NOT NULL,
	by_agent boolean NOT NULL DEFAULT false,   -- filed by an agent (委托代理): the agent is required
	ord      int NOT NULL DEFAULT 0,
	UNIQUE (item_id, code),
	UNIQUE (id, item_id)
);

ALTER TABLE hall.materials ADD CONSTRAINT materials_id_item UNIQUE (id, item_id);

-- A situation's materials, all of them the item's (hall.materials: what a
-- one-time notice may name).  may_defer: 容缺, the case may be accepted
-- without it and it is supplied later; may_commit: 告知承诺, a signed
-- commitment may replace it.  Only a required material is either.
CREATE TABLE hall.situation_materials (
	situation_id int NOT NULL,
	item_id      int NOT NULL,
	material_id  int NOT NULL,
	required     boolean NOT NULL DEFAULT true,
	may_defer    boolean NOT NULL DEFAULT false,
	may_commit   boolean NOT NULL DEFAULT false,
	ord          int NOT NULL DEFAULT 0,
	PRIMARY KEY (situation_id, material_id),
	FOREIGN KEY (situation_id, item_id) REFERENCES hall.situations (id, item_id),
	FOREIGN KEY (material_id, item_id) REFERENCES hall.materials (id, item_id),
	CHECK (required OR NOT (may_defer OR may_commit))
);

-- ------------------------------------------------------------------ cases

-- A case received at the window: by whom, under which situation, with
-- which outcome, and (assisted_by, 帮办) filed on the web or the app by the
-- clerk for the applicant sitting at their window.  Cases the portal
-- submitted have none.
CREATE TABLE hall.receptions (
	app_id       bigint PRIMARY KEY REFERENCES hall.applications,
	situation_id int NOT NULL REFERENCES hall.situations,
	staff_id     int NOT NULL REFERENCES hall.staff,
	outcome      text NOT NULL CHECK (outcome IN ('accept', 'incomplete', 'refuse')),
	assisted_by  int REFERENCES hall.staff,
	received_at  timestamptz NOT NULL
);
CREATE INDEX receptions_staff ON hall.receptions (staff_id, received_at);
CREATE INDEX receptions_received_at ON hall.receptions (received_at);

-- 委托代理人: the person who filed for the applicant under a power of
-- attorney, or (staff_id set, 代办) the clerk who did.  The full numbers
-- stay here; staff read the masked columns.
CREATE TABLE hall.case_agents (
	app_id       bigint PRIMARY KEY REFERENCES hall.applications,
	staff_id     int REFERENCES hall.staff,
	name         text NOT NULL,
	id_number    text NOT NULL DEFAULT '',
	phone        text NOT NULL DEFAULT '',
	poa          text NOT NULL,
	id_masked    text GENERATED ALWAYS AS (hall.mask_id(id_number)) STORED,
	phone_masked text GENERATED ALWAYS AS (hall.mask_phone(phone)) STORED,
	CHECK ((staff_id IS NULL) = (id_number <> ''))
);
CREATE INDEX case_agents_staff ON hall.case_agents (staff_id) WHERE staff_id IS NOT NULL;

-- Notice numbers: per department and year, "SCJG-2026-000123".
CREATE TABLE hall.notice_counters (
	department_code text NOT NULL REFERENCES hall.departments,
	year            int NOT NULL,
	n               int NOT NULL,
	PRIMARY KEY (department_code, year)
);

-- 受理通知书 (acceptance), 一次性告知书 (correction), 不予受理决定书
-- (refusal): the text as printed, kept for reprints.
CREATE TABLE hall.notices (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	number          text NOT NULL UNIQUE,
	kind            text NOT NULL CHECK (kind IN ('acceptance', 'correction', 'refusal')),
	app_id          bigint NOT NULL REFERENCES hall.applications,
	department_code text NOT NULL REFERENCES hall.departments,
	window_code     text NOT NULL REFERENCES hall.windows,
	staff_id        int NOT NULL REFERENCES hall.staff,
	issued_at       timestamptz NOT NULL,
	issued_on       date NOT NULL,
	body            text NOT NULL
);
CREATE INDEX notices_app ON hall.notices (app_id);
CREATE INDEX notices_staff ON hall.notices (staff_id, issued_on);

-- 容缺: a material the case was accepted without, to be supplied by
-- due_on (deferred_days working days on, never after the due date); the
-- applicant's written commitment (承诺书) is recorded under the acceptance
-- notice.
CREATE TABLE hall.deferred_materials (
	app_id      bigint NOT NULL REFERENCES hall.applications,
	material_id int NOT NULL REFERENCES hall.materials,
	due_on      date NOT NULL,
	notice_id   bigint NOT NULL REFERENCES hall.notices,
	state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'supplied', 'ended')),
	supplied_at timestamptz,
	supplied_by int REFERENCES hall.staff,
	ended_at    timestamptz,
	PRIMARY KEY (app_id, material_id)
);
CREATE INDEX deferred_materials_open_due ON hall.deferred_materials (due_on) WHERE state = 'open';

-- 告知承诺: the proofs a signed commitment replaced, and the follow-up
-- check (核查) due by due_on.  A check found false ends the case
-- (outcome terminated) or, once completed, revokes it (revoked).
CREATE TABLE hall.commitment_checks (
	app_id       bigint PRIMARY KEY REFERENCES hall.applications,
	material_ids int[] NOT NULL,
	notice_id    bigint NOT NULL REFERENCES hall.notices,
	due_on       date NOT NULL,
	state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'true', 'false')),
	outcome      text CHECK (outcome IN ('terminated', 'revoked')),
	checked_at   timestamptz,
	checked_by   int REFERENCES hall.staff,
	note         text NOT NULL DEFAULT '',
	CHECK ((state = 'false') = (outcome IS NOT NULL))
);
CREATE INDEX commitment_checks_pending_due ON hall.commitment_checks (due_on) WHERE state = 'pending';

-- ------------------------------------------------------------ check digits

-- GB 11643-1999: the birth date of an 18-character citizen ID number, or
-- NULL when the number's form or date is not valid.
CREATE FUNCTION hall.id_birth_date(s text) RETURNS date
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF s IS NULL OR s !~ '^[1-9][0-9]{16}[0-9X]$' THEN
		RETURN NULL;
	END IF;
	RETURN make_date(substr(s, 7, 4)::int, substr(s, 11, 2)::int, substr(s, 13, 2)::int);
EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format OR numeric_value_out_of_range THEN
	RETURN NULL;
END $$;

-- An 18-character ID number whose check character (ISO 7064 MOD 11-2 over
-- the first 17 digits: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, the
-- remainder indexing "10X98765432") and birth date (1850 or later) hold.
-- Upper-case X only: hall.receive upper-cases what the clerk typed.
CREATE FUNCTION hall.id_number_valid(s text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	w constant int[] := ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	total int := 0;
	born date := hall.id_birth_date(s);
BEGIN
	IF born IS NULL OR born < date '1850-01-01' THEN
		RETURN false;
	END IF;
	FOR k IN 1..17 LOOP
		total := total + (ascii(substr(s, k, 1)) - 48) * w[k];
	END LOOP;
	RETURN substr('10X98765432', total % 11 + 1, 1) = substr(s, 18, 1);
END $$;

-- GB 32100-2015: an 18-character unified social credit code (统一社会信用
-- 代码) of the 31 characters 0-9 A-H J-N P-R T U W-Y, the 6-digit area
-- code in places 3-8, and the check character (place 18) that makes the
-- weighted sum (weights 3^(i-1) mod 31) a multiple of 31.
CREATE FUNCTION hall.credit_code_valid(s text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	cs constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
	w constant int[] := ARRAY[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
	total int := 0;
BEGIN
	IF s IS NULL OR s !~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' THEN
		RETURN false;
	END IF;
	FOR k IN 1..17 LOOP
		total := total + (strpos(cs, substr(s, k, 1)) - 1) * w[k];
	END LOOP;
	RETURN substr(cs, (31 - total % 31) % 31 + 1, 1) = substr(s, 18, 1);
END $$;

-- ------------------------------------------------------------ finding items

-- The items the caller may receive (a clerk: those their windows serve; a
-- supervisor: the department's; the trainer and the director: all) that
-- match query: the code, the pinyin initials ("yyzz" finds 营业执照变更登记)
-- or a part of the name.  Best first: the exact code, a code prefix, an
-- initials prefix, a name prefix, a part of the name, a part of the
-- initials; then by code.  An empty query lists them all.  windows: the
-- caller's windows serving the item (a clerk), or all of them.
CREATE FUNCTION hall.find_items(query text, max_rows int DEFAULT 30)
RETURNS TABLE (item_id int, code text, name text, department_code text, category text,
               promised_days int, legal_days int, online boolean, initials text, windows text[])
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	me hall.staff := hall.me();
	q text := hall.optional_text(find_items.query, 'item_query');
	ql text := lower(q);
	n int := least(greatest(coalesce(find_items.max_rows, 30), 1), 200);
BEGIN
	RETURN QUERY
	SELECT i.id, i.code, i.name, i.department_code, i.category, i.promised_days, i.legal_days, i.online, i.initials,
	       ARRAY(SELECT wi.window_code FROM hall.window_items wi
	             WHERE wi.item_id = i.id
	               AND (me.kind <> 'clerk' OR wi.window_code IN (SELECT sw.window_code FROM hall.staff_windows sw
	                                                            WHERE sw.staff_id = me.id))
	             ORDER BY 1)
	FROM hall.items i
	CROSS JOIN LATERAL (SELECT CASE
		WHEN ql = '' THEN 9
		WHEN lower(i.code) = ql THEN 0
		WHEN strpos(lower(i.code), ql) = 1 THEN 1
		WHEN strpos(i.initials, ql) = 1 THEN 2
		WHEN strpos(i.name, q) = 1 THEN 3
		WHEN strpos(i.name, q) > 0 THEN 4
		WHEN strpos(i.initials, ql) > 0 THEN 5
		END AS rank) m
	WHERE m.rank IS NOT NULL
	  AND CASE me.kind
	          WHEN 'clerk' THEN EXISTS (SELECT 1 FROM hall.window_items wi
	                                    JOIN hall.staff_windows sw ON sw.window_code = wi.window_code
	                                    WHERE wi.item_id = i.id AND sw.staff_id = me.id)
	          WHEN 'supervisor' THEN i.department_code = me.department_code
	          ELSE true
	      END
	ORDER BY m.rank, i.code
	LIMIT n;
END $$;

-- ------------------------------------------------------------------ notices

CREATE FUNCTION hall.date_cn(d date) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$ SELECT to_char(d, 'YYYY"年"MM"月"DD"日"') $$;

-- The next notice number of the department in the year of day.
CREATE FUNCTION hall.notice_number(p_department text, p_day date) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	y int := extract(year FROM p_day)::int;
	n int;
BEGIN
	INSERT INTO hall.notice_counters AS c (department_code, year, n) VALUES (p_department, y, 1)
	ON CONFLICT (department_code, year) DO UPDATE SET n = c.n + 1
	RETURNING c.n INTO n;
	RETURN format('%s-%s-%s', p_department, y, CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END);
END $$;

-- The printable text of a notice, from the case as it stands when issued
-- (called by hall.receive once the case, its materials, its agent, its
-- 容缺 and 告知承诺 rows are written); p_note: the clerk's note on an
-- acceptance (备注).
CREATE FUNCTION hall.notice_body(p_notice bigint, p_note text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	nt hall.notices;
	a hall.applications;
	p hall.applicants;
	wn text;
	clerk text;
	sit text;
	rc hall.receptions;
	g hall.case_agents;
	gd hall.item_guides;
	ret hall.returns;
	chk hall.commitment_checks;
	lines text[];
	k int;
	m record;
	v_intro text;
BEGIN
	SELECT * INTO nt FROM hall.notices x WHERE x.id = p_notice;
	SELECT * INTO a FROM hall.applications x WHERE x.id = nt.app_id;
	SELECT * INTO p FROM hall.applicants x WHERE x.id = a.applicant_id;
	SELECT x.name INTO wn FROM hall.windows x WHERE x.code = nt.window_code;
	SELECT x.name INTO clerk FROM hall.staff x WHERE x.id = nt.staff_id;
	SELECT * INTO rc FROM hall.receptions x WHERE x.app_id = a.id;
	SELECT x.name INTO sit FROM hall.situations x WHERE x.id = rc.situation_id;
	SELECT * INTO g FROM hall.case_agents x WHERE x.app_id = a.id;
	SELECT * INTO gd FROM hall.item_guides x WHERE x.item_id = a.item_id;

	v_intro := format('    您（单位）于%s申请办理的「%s」（办件号 %s%s）',
	                  hall.date_cn(a.received_on), hall.item_name(a.item_id), a.case_no,
	                  CASE WHEN sit IS NULL THEN '' ELSE '，申请情形：' || sit END);
	lines := ARRAY[hall.setting('hall_name'),
	               CASE nt.kind WHEN 'acceptance' THEN '受理通知书' WHEN 'correction' THEN '一次性告知书'
	                            ELSE '不予受理决定书' END,
	               '编号：' || nt.number,
	               '',
	               p.name || '：'];

	IF nt.kind = 'acceptance' THEN
		lines := lines || (v_intro || '，经审查，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。');
	ELSIF nt.kind = 'correction' THEN
		SELECT * INTO ret FROM hall.returns x WHERE x.app_id = a.id AND x.seq = 1;
		lines := lines || (v_intro || '，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知您需要补正的全部内容：')
		               || ret.notice;
	ELSE
		lines := lines || (v_intro || '，经审查，决定不予受理。')
		               || ('    理由：' || coalesce(a.decision_note, ''));
	END IF;

	-- What the applicant handed over, in the situation's order.
	k := 0;
	FOR m IN SELECT mt.name, am.mark
	         FROM hall.application_materials am
	         JOIN hall.materials mt ON mt.id = am.material_id
	         LEFT JOIN hall.situation_materials sm ON sm.situation_id = rc.situation_id AND sm.material_id = am.material_id
	         WHERE am.app_id = a.id AND am.mark IN ('original', 'copy')
	         ORDER BY sm.ord, mt.ord, mt.id LOOP
		k := k + 1;
		IF k = 1 THEN
			lines := lines || CASE WHEN nt.kind = 'refusal' THEN '已核对并当场退还的材料：'::text ELSE '已收取的材料：'::text END;
		END IF;
		lines := lines || format('  %s. %s（%s）', k, m.name, CASE m.mark WHEN 'original' THEN '原件已核验' ELSE '复印件' END);
	END LOOP;

	IF nt.kind = 'acceptance' THEN
		k := 0;
		FOR m IN SELECT mt.name, dm.due_on
		         FROM hall.deferred_materials dm
		         JOIN hall.materials mt ON mt.id = dm.material_id
		         WHERE dm.app_id = a.id ORDER BY mt.ord, mt.id LOOP
			k := k + 1;
			IF k = 1 THEN
				lines := lines || format('容缺受理的材料（申请人已签署书面承诺书，承诺书随本通知书（编号 %s）存档）：', nt.number);
			END IF;
			lines := lines || format('  %s. %s：请于%s前补交；逾期未补交的，本件终止办理。', k, m.name, hall.date_cn(m.due_on));
		END LOOP;
		SELECT * INTO chk FROM hall.commitment_checks x WHERE x.app_id = a.id;
		IF FOUND THEN
			lines := lines || format('以告知承诺方式办理的事项（申请人已书面承诺，承诺书随本通知书（编号 %s）存档）：', nt.number);
			k := 0;
			FOR m IN SELECT mt.name FROM hall.materials mt WHERE mt.id = ANY (chk.material_ids) ORDER BY mt.ord, mt.id LOOP
				k := k + 1;
				lines := lines || format('  %s. %s', k, m.name);
			END LOOP;
			lines := lines || format('  本机关将于%s前对承诺内容进行核查；承诺不实的，终止办理或者撤销准予许可的决定。',
			                         hall.date_cn(chk.due_on));
		END IF;
		lines := lines || format('承诺办结时限：%s 个工作日（法定时限 %s 个工作日），承诺于%s前办结。',
		                         a.promised_days, (SELECT i.legal_days FROM hall.items i WHERE i.id = a.item_id),
		                         hall.date_cn(a.due_date));
		IF gd.item_id IS NOT NULL THEN
			lines := lines || ('办理结果：' || gd.result_place);
		END IF;
	END IF;

	IF a.green_channel IS NOT NULL THEN
		lines := lines || format('绿色通道：%s，优先办理。',
		                         CASE a.green_channel WHEN 'elderly' THEN '70周岁以上老年人'
		                                              WHEN 'disabled' THEN '残疾人' ELSE '孕妇' END);
	END IF;
	IF g.app_id IS NOT NULL AND g.staff_id IS NULL THEN
		lines := lines || format('委托代理人：%s（证件号码 %s），授权委托书：%s', g.name, g.id_masked, g.poa);
	ELSIF g.app_id IS NOT NULL THEN
		lines := lines || format('代办：本件由工作人员%s依授权委托书（%s）代为办理。', g.name, g.poa);
	END IF;
	IF rc.assisted_by IS NOT NULL THEN
		lines := lines || format('帮办：本件由工作人员%s协助通过%s提交。',
		                         (SELECT s.name FROM hall.staff s WHERE s.id = rc.assisted_by),
		                         CASE a.channel WHEN 'web' THEN '政务服务网' ELSE '移动端（APP）' END);
	END IF;
	IF nt.kind = 'acceptance' AND coalesce(p_note, '') <> '' THEN
		lines := lines || ('备注：' || p_note);
	END IF;

	IF nt.kind = 'refusal' THEN
		lines := lines || '    如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。'::text;
	ELSE
		lines := lines || format('进度查询：凭办件号 %s 登录政务服务网或“e冰城”APP查询，或拨打咨询电话 %s。',
		                         a.case_no, hall.setting('hall_phone'));
	END IF;
	lines := lines || format('%s：%s（%s）    %s：%s',
	                         CASE nt.kind WHEN 'acceptance' THEN '受理窗口' ELSE '经办窗口' END,
	                         coalesce(wn, nt.window_code), nt.window_code,
	                         CASE nt.kind WHEN 'acceptance' THEN '受理人' ELSE '经办人' END, clerk)
	               || ''::text
	               || (hall.setting('hall_name') || '（' || (SELECT d.name FROM hall.departments d WHERE d.code = nt.department_code) || '）')
	               || hall.date_cn(nt.issued_on);
	RETURN array_to_string(lines, E'\n');
END $$;

-- Issue a notice of the case: the number, the row, then its text.
CREATE FUNCTION hall.notice_issue(p_kind text, r hall.applications, p_staff int, p_at timestamptz) RETURNS hall.notices
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	d date := (p_at AT TIME ZONE 'Asia/Shanghai')::date;
	nt hall.notices;
BEGIN
	INSERT INTO hall.notices (number, kind, app_id, department_code, window_code, staff_id, issued_at, issued_on, body)
	VALUES (hall.notice_number(r.department_code, d), p_kind, r.id, r.department_code, r.window_code, p_staff, p_at, d, '')
	RETURNING * INTO nt;
	RETURN nt;
END $$;

-- ------------------------------------------------------------------ receive

CREATE FUNCTION hall.receive(item_code text, situation text, applicant jsonb, agent jsonb, materials jsonb,
                             outcome text, note text, options jsonb DEFAULT '{}')
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
	t timestamptz := hall.now();
	d date := (t AT TIME ZONE 'Asia/Shanghai')::date;
	v_opts jsonb := coalesce(receive.options, '{}');
	v_agent jsonb := CASE WHEN jsonb_typeof(receive.agent) = 'null' THEN NULL ELSE receive.agent END;
	v_list jsonb := CASE WHEN jsonb_typeof(receive.materials) = 'null' THEN '[]'::jsonb
	                     ELSE coalesce(receive.materials, '[]'::jsonb) END;
	it hall.items;
	sit hall.situations;
	sm hall.situation_materials;
	v_window text;
	v_channel text;
	v_green text;
	v_signed boolean;
	a_kind text;
	a_name text;
	a_idno text;
	a_phone text;
	a_rep text := '';
	g_name text;
	g_idno text;
	g_phone text;
	g_poa text;
	v_proxy text;
	v_person text;
	v_note text;
	e jsonb;
	v_mid int;
	v_mark text;
	v_marks jsonb := '{}';
	v_unmarked int;
	v_missing int[] := '{}';
	v_missing_req int[] := '{}';
	v_deferred int[] := '{}';
	v_committed int[] := '{}';
	ap_id bigint;
	n int;
	r hall.applications;
	nt hall.notices;
	v_return_notice text;
	v_names text[];
	v_kind text;
BEGIN
	-- -------------------------------------------------------- what and where
	IF receive.outcome IS NULL OR receive.outcome NOT IN ('accept', 'incomplete', 'refuse') THEN
		RAISE EXCEPTION 'outcome "%": accept, incomplete or refuse', receive.outcome
			USING ERRCODE = '22023', HINT = 'reason:bad_choice';
	END IF;
	IF jsonb_typeof(v_opts) <> 'object' THEN
		RAISE EXCEPTION 'the options must be a JSON object' USING ERRCODE = '22023', HINT = 'reason:bad_choice';
	END IF;
	SELECT * INTO it FROM hall.items i WHERE i.code = receive.item_code;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no service item %', receive.item_code USING ERRCODE = 'P0002', HINT = 'reason:not_found:item';
	END IF;
	v_window := nullif(v_opts->>'window', '');
	IF v_window IS NOT NULL THEN
		IF NOT EXISTS (SELECT 1 FROM hall.staff_windows sw WHERE sw.staff_id = me.id AND sw.window_code = v_window) THEN
			RAISE EXCEPTION 'you do not serve window %', v_window
				USING ERRCODE = '42501', HINT = 'reason:window_not_yours';
		END IF;
		IF NOT EXISTS (SELECT 1 FROM hall.window_items wi WHERE wi.window_code = v_window AND wi.item_id = it.id) THEN
			RAISE EXCEPTION 'window % does not serve item % (%)', v_window, it.code, it.name
				USING ERRCODE = '42501', HINT = 'reason:receive_window_item';
		END IF;
	ELSE
		SELECT sw.window_code INTO v_window
		FROM hall.staff_windows sw
		JOIN hall.window_items wi ON wi.window_code = sw.window_code AND wi.item_id = it.id
		WHERE sw.staff_id = me.id
		ORDER BY sw.window_code LIMIT 1;
		IF v_window IS NULL THEN
			RAISE EXCEPTION 'none of your windows serves item % (%)', it.code, it.name
				USING ERRCODE = '42501', HINT = 'reason:receive_window_item';
		END IF;
	END IF;
	SELECT * INTO sit FROM hall.situations s WHERE s.item_id = it.id AND s.code = receive.situation;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'item % has no situation "%"', it.code, receive.situation
			USING ERRCODE = 'P0002', HINT = 'reason:not_found:situation';
	END IF;
	v_channel := coalesce(nullif(v_opts->>'channel', ''), 'window');
	IF v_channel NOT IN ('window', 'web', 'app') THEN
		RAISE EXCEPTION 'channel "%": window, or web or app for a filing made for the applicant (帮办)', v_channel
			USING ERRCODE = '22023', HINT = 'reason:bad_channel';
	END IF;
	v_green := nullif(v_opts->>'green', '');
	IF v_green IS NOT NULL AND v_green NOT IN ('elderly', 'disabled', 'pregnant') THEN
		RAISE EXCEPTION 'green channel "%": elderly, disabled or pregnant', v_green
			USING ERRCODE = '22023', HINT = 'reason:green_channel';
	END IF;
	v_signed := coalesce((v_opts->'commitment_signed') = 'true'::jsonb, false);

	-- -------------------------------------------------------- who applies
	IF receive.applicant IS NULL OR jsonb_typeof(receive.applicant) <> 'object' THEN
		RAISE EXCEPTION 'the applicant must be a JSON object {kind, name, id_number, phone, legal_rep}'
			USING ERRCODE = '22023', HINT = 'reason:applicant_invalid';
	END IF;
	a_kind := coalesce(receive.applicant->>'kind', 'person');
	IF a_kind NOT IN ('person', 'entity') THEN
		RAISE EXCEPTION 'applicant kind "%": person or entity', a_kind
			USING ERRCODE = '22023', HINT = 'reason:applicant_invalid';
	END IF;
	a_name := hall.require_text(receive.applicant->>'name', 'applicant_name');
	a_idno := hall.require_text(receive.applicant->>'id_number', 'applicant_id');
	a_idno := upper(regexp_replace(a_idno, '\s', '', 'g'));
	a_phone := hall.optional_text(receive.applicant->>'phone', 'applicant_phone');
	IF a_kind = 'person' THEN
		IF NOT hall.id_number_valid(a_idno) OR hall.id_birth_date(a_idno) > d THEN
			RAISE EXCEPTION 'the applicant''s ID number % is not a valid citizen ID number (GB 11643)', hall.mask_id(a_idno)
				USING ERRCODE = '22023', HINT = 'reason:id_number_invalid:applicant';
		END IF;
	ELSE
		IF NOT hall.credit_code_valid(a_idno) THEN
			RAISE EXCEPTION 'the applicant''s code % is not a valid unified social credit code (GB 32100)', hall.mask_id(a_idno)
				USING ERRCODE = '22023', HINT = 'reason:credit_code_invalid';
		END IF;
		a_rep := hall.require_text(receive.applicant->>'legal_rep', 'legal_rep');
	END IF;

	-- The agent: a person with a power of attorney, or the clerk (代办).
	IF v_opts ? 'proxy_poa' THEN
		v_proxy := hall.require_text(v_opts->>'proxy_poa', 'poa_note');
	END IF;
	IF v_agent IS NOT NULL AND v_proxy IS NOT NULL THEN
		RAISE EXCEPTION 'a proxy filing (代办) has the clerk for its agent: no other agent'
			USING ERRCODE = '22023', HINT = 'reason:agent_not_expected';
	END IF;
	IF sit.by_agent AND v_agent IS NULL AND v_proxy IS NULL THEN
		RAISE EXCEPTION 'situation "%" of item % is filed by an agent: the agent is needed', sit.name, it.code
			USING ERRCODE = '22023', HINT = 'reason:agent_required';
	END IF;
	IF NOT sit.by_agent AND (v_agent IS NOT NULL OR v_proxy IS NOT NULL) THEN
		RAISE EXCEPTION 'situation "%" of item % is filed by the applicant in person: choose a situation with an agent', sit.name, it.code
			USING ERRCODE = '22023', HINT = 'reason:agent_not_expected';
	END IF;
	IF v_agent IS NOT NULL THEN
		IF jsonb_typeof(v_agent) <> 'object' THEN
			RAISE EXCEPTION 'the agent must be a JSON object {name, id_number, phone, poa}'
				USING ERRCODE = '22023', HINT = 'reason:agent_invalid';
		END IF;
		g_name := hall.require_text(v_agent->>'name', 'agent_name');
		g_idno := hall.require_text(v_agent->>'id_number', 'agent_id');
		g_idno := upper(regexp_replace(g_idno, '\s', '', 'g'));
		IF NOT hall.id_number_valid(g_idno) OR hall.id_birth_date(g_idno) > d THEN
			RAISE EXCEPTION 'the agent''s ID number % is not a valid citizen ID number (GB 11643)', hall.mask_id(g_idno)
				USING ERRCODE = '22023', HINT = 'reason:id_number_invalid:agent';
		END IF;
		g_phone := hall.optional_text(v_agent->>'phone', 'agent_phone');
		g_poa := hall.require_text(v_agent->>'poa', 'poa_note');
	END IF;
	IF v_green = 'elderly' THEN
		-- The person at the window: the agent, else a person applying.
		v_person := coalesce(g_idno, CASE WHEN a_kind = 'person' THEN a_idno END);
		IF v_person IS NULL OR (hall.id_birth_date(v_person) + interval '70 years')::date > d THEN
			RAISE EXCEPTION 'the green channel for the elderly is for a person 70 or older at the window'
				USING ERRCODE = '22023', HINT = 'reason:green_age';
		END IF;
	END IF;

	-- -------------------------------------------------------- the checklist
	IF jsonb_typeof(v_list) <> 'array' THEN
		RAISE EXCEPTION 'the materials must be a JSON array of {material_id, mark}'
			USING ERRCODE = '22023', HINT = 'reason:checklist_invalid';
	END IF;
	FOR e IN SELECT x FROM jsonb_array_elements(v_list) x LOOP
		IF jsonb_typeof(e) <> 'object' OR coalesce(e->>'material_id', '') !~ '^[0-9]{1,9}$'
		   OR jsonb_typeof(e->'mark') IS DISTINCT FROM 'string' THEN
			RAISE EXCEPTION 'each material is {material_id, mark}, not %', left(e::text, 100)
				USING ERRCODE = '22023', HINT = 'reason:checklist_invalid';
		END IF;
		v_mid := (e->>'material_id')::int;
		v_mark := e->>'mark';
		IF v_mark NOT IN ('original', 'copy', 'missing', 'na', 'deferred', 'commitment') THEN
			RAISE EXCEPTION 'material mark "%": original, copy, missing, na, deferred or commitment', left(v_mark, 30)
				USING ERRCODE = '22023', HINT = 'reason:material_mark';
		END IF;
		SELECT * INTO sm FROM hall.situation_materials x WHERE x.situation_id = sit.id AND x.material_id = v_mid;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'material % is not on the list of situation "%" of item %', v_mid, sit.name, it.code
				USING ERRCODE = '22023', HINT = 'reason:material_invalid';
		END IF;
		IF v_marks ? v_mid::text THEN
			RAISE EXCEPTION 'material % is marked twice', v_mid USING ERRCODE = '22023', HINT = 'reason:checklist_invalid';
		END IF;
		v_marks := v_marks || jsonb_build_object(v_mid::text, v_mark);
		IF v_mark = 'na' AND sm.required THEN
			RAISE EXCEPTION 'material % is required in situation "%": it cannot be marked not applicable', v_mid, sit.name
				USING ERRCODE = '22023', HINT = 'reason:material_required';
		END IF;
		IF v_mark IN ('deferred', 'commitment') AND receive.outcome <> 'accept' THEN
			RAISE EXCEPTION '容缺 and 告知承诺 are ways of accepting: not with outcome %', receive.outcome
				USING ERRCODE = '22023', HINT = 'reason:deferral_accept_only';
		END IF;
		IF v_mark = 'deferred' AND NOT sm.may_defer THEN
			RAISE EXCEPTION 'material % of item % may not be accepted 容缺 (it is not on the list)', v_mid, it.code
				USING ERRCODE = '22023', HINT = 'reason:deferral_not_allowed';
		END IF;
		IF v_mark = 'commitment' AND NOT sm.may_commit THEN
			RAISE EXCEPTION 'material % of item % may not be replaced by a commitment (告知承诺)', v_mid, it.code
				USING ERRCODE = '22023', HINT = 'reason:commitment_not_allowed';
		END IF;
		IF v_mark = 'missing' THEN
			v_missing := v_missing || v_mid;
			IF sm.required THEN
				v_missing_req := v_missing_req || v_mid;
			END IF;
		ELSIF v_mark = 'deferred' THEN
			v_deferred := v_deferred || v_mid;
		ELSIF v_mark = 'commitment' THEN
			v_committed := v_committed || v_mid;
		END IF;
	END LOOP;
	IF receive.outcome <> 'refuse' THEN
		SELECT count(*) INTO v_unmarked FROM hall.situation_materials x
		WHERE x.situation_id = sit.id AND NOT v_marks ? x.material_id::text;
		IF v_unmarked > 0 THEN
			RAISE EXCEPTION '% material(s) of situation "%" are not marked', v_unmarked, sit.name
				USING ERRCODE = '22023', HINT = 'reason:checklist_incomplete:' || v_unmarked;
		END IF;
	END IF;
	IF cardinality(v_deferred) + cardinality(v_committed) > 0 AND NOT v_signed THEN
		RAISE EXCEPTION '容缺 and 告知承诺 need the applicant''s signed commitment (承诺书)'
			USING ERRCODE = '22023', HINT = 'reason:commitment_unsigned';
	END IF;
	v_missing := ARRAY(SELECT x FROM unnest(v_missing) x ORDER BY x);
	IF receive.outcome = 'accept' THEN
		IF cardinality(v_missing_req) > 0 THEN
			RAISE EXCEPTION 'required material(s) % are missing: the case is not complete', array_to_string(v_missing_req, ', ')
				USING ERRCODE = '22023', HINT = 'reason:accept_missing';
		END IF;
		v_note := hall.optional_text(receive.note, 'receive_note');
	ELSIF receive.outcome = 'incomplete' THEN
		v_note := hall.optional_text(receive.note, 'return_defects');
		IF cardinality(v_missing) = 0 AND v_note = '' THEN
			RAISE EXCEPTION 'a one-time notice names at least one missing material or describes the defects'
				USING ERRCODE = '22023', HINT = 'reason:return_empty';
		END IF;
	ELSE
		v_note := hall.require_text(receive.note, 'refusal_reason');
	END IF;

	-- -------------------------------------------------------- the applicant
	-- Two clerks receiving the same new applicant at once make one row.
	PERFORM pg_catalog.pg_advisory_xact_lock(424220, hashtext(a_idno));
	SELECT p.id INTO ap_id FROM hall.applicants p
	WHERE p.id_number = a_idno AND p.kind = a_kind ORDER BY p.id LIMIT 1 FOR UPDATE;
	IF FOUND THEN
		UPDATE hall.applicants p SET name = a_name,
			phone = CASE WHEN a_phone <> '' THEN a_phone ELSE p.phone END,
			legal_rep = CASE WHEN a_kind = 'entity' THEN a_rep ELSE p.legal_rep END
		WHERE p.id = ap_id;
	ELSE
		INSERT INTO hall.applicants (kind, name, id_number, phone, legal_rep)
		VALUES (a_kind, a_name, a_idno, a_phone, a_rep) RETURNING id INTO ap_id;
	END IF;

	-- -------------------------------------------------------- the case
	INSERT INTO hall.case_counters AS c (day, n) VALUES (d, 1)
	ON CONFLICT (day) DO UPDATE SET n = c.n + 1
	RETURNING c.n INTO n;
	r.case_no := to_char(d, 'YYMMDD') || '-' || CASE WHEN n < 10000 THEN lpad(n::text, 4, '0') ELSE n::text END;
	r.item_id := it.id;
	r.applicant_id := ap_id;
	r.department_code := it.department_code;
	r.window_code := v_window;
	r.channel := v_channel;
	r.received_at := t;
	r.received_on := d;
	r.promised_days := it.promised_days;
	r.extension_days := 0;
	r.paused_days := 0;
	r.accept_paused := 0;
	r.return_count := 0;
	r.queue_rank := CASE WHEN v_green IS NULL THEN 1 ELSE 0 END;
	r.green_channel := v_green;
	IF receive.outcome = 'accept' THEN
		r.state := 'in_review';
		r.claimed_by := me.id;
		r.claimed_at := t;
		r.accepted_on := d;
		r.clock_start := d;
	ELSIF receive.outcome = 'incomplete' THEN
		r.state := 'returned';
		r.returned_on := d;
		r.return_count := 1;
	ELSE
		r.state := 'rejected';
		r.closed_at := t;
		r.closed_by := me.id;
		r.decision_note := v_note;
	END IF;
	r := hall.compute_due(r);
	INSERT INTO hall.applications (case_no, item_id, applicant_id, department_code, window_code, channel, state,
		received_at, received_on, accept_due, accepted_on, clock_start, promised_days, extension_days, paused_days,
		accept_paused, returned_on, due_date, sort_due, claimed_by, claimed_at, return_count, closed_at, closed_by,
		decision_note, updated_at, queue_rank, green_channel)
	VALUES (r.case_no, r.item_id, r.applicant_id, r.department_code, r.window_code, r.channel, r.state,
		r.received_at, r.received_on, r.accept_due, r.accepted_on, r.clock_start, r.promised_days, r.extension_days,
		r.paused_days, r.accept_paused, r.returned_on, r.due_date, r.sort_due, r.claimed_by, r.claimed_at,
		r.return_count, r.closed_at, r.closed_by, r.decision_note, t, r.queue_rank, r.green_channel)
	RETURNING id INTO r.id;
	INSERT INTO hall.receptions (app_id, situation_id, staff_id, outcome, assisted_by, received_at)
	VALUES (r.id, sit.id, me.id, receive.outcome, CASE WHEN v_channel <> 'window' THEN me.id END, t);

	INSERT INTO hall.application_materials (app_id, material_id, status, mark, updated_at)
	SELECT r.id, y.k::int,
	       CASE y.v WHEN 'original' THEN 'submitted' WHEN 'copy' THEN 'submitted' WHEN 'missing' THEN 'missing'
	                WHEN 'na' THEN 'not_applicable' WHEN 'deferred' THEN 'deferred' ELSE 'committed' END,
	       y.v, t
	FROM jsonb_each_text(v_marks) AS y(k, v);

	IF g_name IS NOT NULL THEN
		INSERT INTO hall.case_agents (app_id, name, id_number, phone, poa)
		VALUES (r.id, g_name, g_idno, g_phone, g_poa);
	ELSIF v_proxy IS NOT NULL THEN
		INSERT INTO hall.case_agents (app_id, staff_id, name, poa)
		VALUES (r.id, me.id, me.name, v_proxy);
	END IF;

	IF receive.outcome = 'incomplete' THEN
		-- The first return of the case: 005's one-time notice rule holds
		-- from here (a later return may name only what was resubmitted).
		v_return_notice := hall.return_notice(r, v_missing, v_note);
		INSERT INTO hall.returns (app_id, seq, material_ids, defects, notice, staff_id, returned_at)
		VALUES (r.id, 1, v_missing, v_note, v_return_notice, me.id, t);
	END IF;

	v_kind := CASE receive.outcome WHEN 'accept' THEN 'acceptance' WHEN 'incomplete' THEN 'correction' ELSE 'refusal' END;
	nt := hall.notice_issue(v_kind, r, me.id, t);
	IF cardinality(v_deferred) > 0 THEN
		INSERT INTO hall.deferred_materials (app_id, material_id, due_on, notice_id)
		SELECT r.id, x, least(hall.workday_add(d, hall.setting_int('deferred_days')), r.due_date), nt.id
		FROM unnest(v_deferred) x;
	END IF;
	IF cardinality(v_committed) > 0 THEN
		INSERT INTO hall.commitment_checks (app_id, material_ids, notice_id, due_on)
		VALUES (r.id, ARRAY(SELECT x FROM unnest(v_committed) x ORDER BY x), nt.id,
		        hall.workday_add(d, hall.setting_int('commitment_check_days')));
	END IF;
	UPDATE hall.notices x SET body = hall.notice_body(nt.id, v_note) WHERE x.id = nt.id;

	PERFORM hall.log('receive', r.id, NULL, NULL, ap_id, NULL, r.state, v_note,
		jsonb_build_object('outcome', receive.outcome, 'case_no', r.case_no, 'window', v_window,
		                   'channel', v_channel, 'situation', sit.code, 'notice', nt.number, 'notice_id', nt.id,
		                   'assisted', v_channel <> 'window', 'proxy', v_proxy IS NOT NULL,
		                   'agent', g_name IS NOT NULL, 'green', v_green,
		                   'missing', to_jsonb(v_missing), 'deferred', to_jsonb(v_deferred),
		                   'committed', to_jsonb(v_committed)));

	IF receive.outcome = 'accept' THEN
		v_names := ARRAY(SELECT format('%s（%s前）', mt.name, to_char(dm.due_on, 'YYYY-MM-DD'))
		                 FROM hall.deferred_materials dm JOIN hall.materials mt ON mt.id = dm.material_id
		                 WHERE dm.app_id = r.id ORDER BY mt.ord, mt.id);
		PERFORM hall.notify_applicant(r, 'accepted',
			format('您申请的「%s」（办件号 %s）已受理，受理通知书编号 %s，承诺于 %s 前办结。%s可凭办件号查询办理进度，咨询电话 %s。',
			       it.name, r.case_no, nt.number, to_char(r.due_date, 'YYYY-MM-DD'),
			       CASE WHEN cardinality(v_names) > 0
			            THEN '容缺受理的材料请按期补交：' || array_to_string(v_names, '、') || '。' ELSE '' END,
			       hall.setting('hall_phone')),
			jsonb_build_object('notice_no', nt.number, 'due_date', r.due_date));
	ELSIF receive.outcome = 'incomplete' THEN
		PERFORM hall.notify_applicant(r, 'returned', v_return_notice,
			jsonb_build_object('notice', v_return_notice, 'notice_no', nt.number, 'seq', 1, 'defects', v_note,
			                   'materials', to_jsonb(ARRAY(SELECT mt.name FROM hall.materials mt
			                                               WHERE mt.id = ANY (v_missing) ORDER BY mt.ord, mt.id))));
	ELSE
		PERFORM hall.notify_applicant(r, 'not_accepted',
			format('您申请的「%s」（办件号 %s）不予受理，不予受理决定书编号 %s。理由：%s', it.name, r.case_no, nt.number, v_note),
			jsonb_build_object('notice_no', nt.number, 'reason', v_note));
	END IF;
	PERFORM hall.notify('hall_queue', v_window);
	RETURN r.id;
END $$;

-- The printable text of a notice, as issued (a reprint reads it again).
-- SECURITY INVOKER: a notice of a case the caller may not see does not
-- exist for them.
CREATE FUNCTION hall.notice_text(notice bigint) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v text;
BEGIN
	SELECT x.body INTO v FROM hall.notices x WHERE x.id = notice_text.notice;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no notice #% that you may act on', notice_text.notice
			USING ERRCODE = 'P0002', HINT = 'reason:not_found:notice';
	END IF;
	RETURN v;
END $$;

CREATE FUNCTION hall.notice_text_by_number(number text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v text;
BEGIN
	SELECT x.body INTO v FROM hall.notices x WHERE x.number = upper(btrim(notice_text_by_number.number));
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no notice % that you may act on', left(notice_text_by_number.number, 40)
			USING ERRCODE = 'P0002', HINT = 'reason:not_found:notice';
	END IF;
	RETURN v;
END $$;

-- ------------------------------------------------------------ 容缺 supplied

-- The applicant brought a material accepted 容缺: any clerk of the case's
-- window records it, before its deadline has passed.
CREATE FUNCTION hall.supply_deferred(app bigint, material int) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications := hall.clerk_case(supply_deferred.app, ARRAY['submitted', 'in_review', 'returned', 'escalated'], false);
	dm hall.deferred_materials;
	t timestamptz := hall.now();
BEGIN
	SELECT * INTO dm FROM hall.deferred_materials x
	WHERE x.app_id = r.id AND x.material_id = supply_deferred.material FOR UPDATE;
	IF NOT FOUND OR dm.state <> 'open' THEN
		RAISE EXCEPTION 'case %: material % is not waiting to be supplied (容缺)', r.case_no, supply_deferred.material
			USING ERRCODE = '55000', HINT = 'reason:deferred_not_open';
	END IF;
	IF (t AT TIME ZONE 'Asia/Shanghai')::date > dm.due_on THEN
		RAISE EXCEPTION 'case %: the deadline to supply material % was %', r.case_no, supply_deferred.material, dm.due_on
			USING ERRCODE = '55000', HINT = 'reason:deferred_late';
	END IF;
	UPDATE hall.deferred_materials x SET state = 'supplied', supplied_at = t, supplied_by = hall.my_id()
	WHERE x.app_id = r.id AND x.material_id = dm.material_id;
	UPDATE hall.application_materials am SET status = 'submitted', updated_at = t
	WHERE am.app_id = r.id AND am.material_id = dm.material_id;
	PERFORM hall.app_commit(r, r, 'supply_deferred', '',
		jsonb_build_object('material_id', dm.material_id, 'due_on', dm.due_on,
		                   'material', (SELECT m.name FROM hall.materials m WHERE m.id = dm.material_id)));
END $$;

-- A case is not completed while a 容缺 material is still owed: whatever
-- completes it (approve, decide) is refused.
CREATE FUNCTION hall.deferred_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_names text;
BEGIN
	SELECT string_agg(m.name, '、' ORDER BY m.ord, m.id) INTO v_names
	FROM hall.deferred_materials dm JOIN hall.materials m ON m.id = dm.material_id
	WHERE dm.app_id = NEW.id AND dm.state = 'open';
	IF v_names IS NOT NULL THEN
		RAISE EXCEPTION 'case %: % accepted 容缺 not supplied yet; it cannot be completed before', NEW.case_no, v_names
			USING ERRCODE = '55000', HINT = 'reason:deferred_open';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER applications_deferred_guard BEFORE UPDATE OF state ON hall.applications
	FOR EACH ROW WHEN (NEW.state = 'completed' AND OLD.state IS DISTINCT FROM 'completed')
	EXECUTE FUNCTION hall.deferred_guard();

-- End an open or completed case (终止, or 撤销 once completed): one audit
-- row, the applicant told, a pending extension refused, the 容缺 still
-- owed ended.  The caller has locked r.
CREATE FUNCTION hall.terminate_case(r hall.applications, p_action text, p_note text, p_details jsonb,
                                    p_event text, p_text text) RETURNS hall.applications
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	n hall.applications := r;
	t timestamptz := hall.now();
BEGIN
	n.state := 'terminated';
	n.closed_at := t;
	n.closed_by := hall.actor_id();
	n.decision_note := p_note;
	UPDATE hall.deferred_materials x SET state = 'ended', ended_at = t WHERE x.app_id = r.id AND x.state = 'open';
	UPDATE hall.extensions e SET state = 'refused', decided_at = t, note = 'terminated'
	WHERE e.app_id = r.id AND e.state = 'pending';
	n := hall.app_commit(r, n, p_action, p_note, p_details);
	PERFORM hall.notify_applicant(n, p_event, p_text);
	RETURN n;
END $$;

-- ------------------------------------------------------------ 告知承诺 checked

-- The follow-up check (核查) of a 告知承诺: true, or false with the finding,
-- which ends an open case (terminated) or revokes a completed one (the
-- state becomes terminated too; the audit action says revoke).  A clerk of
-- the case's window or a supervisor of its department records it.
CREATE FUNCTION hall.record_check(app bigint, truthful boolean, note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
	r hall.applications;
	c hall.commitment_checks;
	v_note text;
	v_outcome text;
	t timestamptz := hall.now();
	v_text text;
BEGIN
	IF record_check.truthful IS NULL THEN
		RAISE EXCEPTION 'truthful must be true or false' USING ERRCODE = '22023', HINT = 'reason:bad_choice';
	END IF;
	IF record_check.truthful THEN
		v_note := hall.optional_text(record_check.note, 'check_note');
	ELSE
		v_note := hall.require_text(record_check.note, 'check_note');
	END IF;
	IF me.kind = 'supervisor' THEN
		r := hall.app_lock(record_check.app);
		PERFORM hall.require_supervisor(r.department_code, 'case', r.id);
		PERFORM hall.require_state(r, ARRAY['submitted', 'in_review', 'returned', 'escalated', 'completed']);
	ELSE
		r := hall.clerk_case(record_check.app, ARRAY['submitted', 'in_review', 'returned', 'escalated', 'completed'], false);
	END IF;
	SELECT * INTO c FROM hall.commitment_checks x WHERE x.app_id = r.id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case % has no commitment (告知承诺) to check', r.case_no
			USING ERRCODE = '55000', HINT = 'reason:check_none';
	END IF;
	IF c.state <> 'pending' THEN
		RAISE EXCEPTION 'case %: the commitment was checked already (%)', r.case_no, c.state
			USING ERRCODE = '55000', HINT = 'reason:check_done';
	END IF;
	IF record_check.truthful THEN
		UPDATE hall.commitment_checks x SET state = 'true', checked_at = t, checked_by = me.id, note = v_note
		WHERE x.app_id = r.id;
		PERFORM hall.app_commit(r, r, 'record_check', v_note, jsonb_build_object('truthful', true, 'due_on', c.due_on));
		RETURN;
	END IF;
	v_outcome := CASE WHEN r.state = 'completed' THEN 'revoked' ELSE 'terminated' END;
	UPDATE hall.commitment_checks x SET state = 'false', outcome = v_outcome, checked_at = t, checked_by = me.id,
		note = v_note
	WHERE x.app_id = r.id;
	v_text := CASE v_outcome
		WHEN 'revoked' THEN format('您申请的「%s」（办件号 %s）经核查，告知承诺内容与实际不符，依法撤销准予许可的决定。核查结论：%s',
		                           hall.item_name(r.item_id), r.case_no, v_note)
		ELSE format('您申请的「%s」（办件号 %s）经核查，告知承诺内容与实际不符，终止办理。核查结论：%s',
		            hall.item_name(r.item_id), r.case_no, v_note) END;
	PERFORM hall.terminate_case(r, CASE v_outcome WHEN 'revoked' THEN 'revoke' ELSE 'terminate' END, v_note,
		jsonb_build_object('check', true, 'truthful', false, 'outcome', v_outcome), v_outcome, v_text);
END $$;

-- ------------------------------------------------------------ the schedule

-- End the cases whose 容缺 deadline has passed (the end of due_on, Asia/
-- Shanghai) without the material: each one terminated in its own row lock
-- (a case a clerk holds locked right now is skipped and ended at the next
-- run), the applicant told.  Runs are serialised by an advisory lock and
-- idempotent.  Returns the cases ended and the messages queued.
CREATE FUNCTION hall.front_desk_run(OUT terminated int, OUT messages int)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_today date := hall.today();
	c record;
	r hall.applications;
	v_names text[];
	v_due date;
BEGIN
	terminated := 0;
	messages := 0;
	PERFORM pg_catalog.pg_advisory_xact_lock(4242000020);
	FOR c IN SELECT DISTINCT dm.app_id FROM hall.deferred_materials dm
	         JOIN hall.applications a ON a.id = dm.app_id
	         WHERE dm.state = 'open' AND dm.due_on < v_today
	           AND a.state IN ('submitted', 'in_review', 'returned', 'escalated')
	         ORDER BY dm.app_id LOOP
		SELECT * INTO r FROM hall.applications a WHERE a.id = c.app_id FOR UPDATE SKIP LOCKED;
		CONTINUE WHEN NOT FOUND OR r.state NOT IN ('submitted', 'in_review', 'returned', 'escalated');
		SELECT array_agg(m.name ORDER BY m.ord, m.id), min(dm.due_on) INTO v_names, v_due
		FROM hall.deferred_materials dm JOIN hall.materials m ON m.id = dm.material_id
		WHERE dm.app_id = r.id AND dm.state = 'open' AND dm.due_on < v_today;
		CONTINUE WHEN v_names IS NULL;
		PERFORM hall.terminate_case(r, 'terminate',
			format('容缺受理的材料（%s）未在期限（%s）内补交，终止办理', array_to_string(v_names, '、'),
			       to_char(v_due, 'YYYY-MM-DD')),
			jsonb_build_object('deferred', to_jsonb(v_names), 'due_on', v_due),
			'terminated',
			format('您申请的「%s」（办件号 %s）容缺受理的材料「%s」未在 %s 前补交，已终止办理。如需办理，请重新申请。',
			       hall.item_name(r.item_id), r.case_no, array_to_string(v_names, '、'), to_char(v_due, 'YYYY-MM-DD')));
		terminated := terminated + 1;
		messages := messages + 1;
	END LOOP;
END $$;

-- What pg_cron calls: the number of cases ended.
CREATE FUNCTION hall.end_deferred() RETURNS int
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$ SELECT (hall.front_desk_run()).terminated $$;

-- ------------------------------------------------------------ the figures

-- Per clerk, the cases they received at the window in the month (by
-- received_at, Asia/Shanghai): received (one notice each), accepted,
-- incomplete (材料不全), refused (不予受理), assisted (帮办: filed on the web or
-- the app for the applicant), proxy (代办: as the agent under a power of
-- attorney), agent (filed by a 委托代理人), green (绿色通道), deferred (容缺)
-- and commitment (告知承诺).  Scope as hall.timeliness_scope(): a
-- supervisor their department, the trainer, the director and
-- administrators the hall (SET hall.scope_department narrows it); a clerk
-- is refused.  Every active clerk of the scope has a row, with zeros.
CREATE FUNCTION hall.front_desk_counts(month date)
RETURNS TABLE (staff_id int, login text, name text, department_code text,
               received bigint, accepted bigint, incomplete bigint, refused bigint,
               assisted bigint, proxy bigint, agent bigint, green bigint, deferred bigint, commitment bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_dept text := hall.timeliness_scope();
	m0 date;
	p0 timestamptz;
	p1 timestamptz;
BEGIN
	IF front_desk_counts.month IS NULL THEN
		RAISE EXCEPTION 'no month given' USING ERRCODE = '22023', HINT = 'reason:month';
	END IF;
	m0 := date_trunc('month', front_desk_counts.month)::date;
	p0 := m0::timestamp AT TIME ZONE 'Asia/Shanghai';
	p1 := (m0 + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai';
	RETURN QUERY
	WITH f AS (
		SELECT rc.staff_id AS sid, rc.app_id AS id, rc.outcome, rc.assisted_by IS NOT NULL AS assisted,
		       g.staff_id IS NOT NULL AS proxy, g.app_id IS NOT NULL AND g.staff_id IS NULL AS agent,
		       a.green_channel IS NOT NULL AS green,
		       EXISTS (SELECT 1 FROM hall.deferred_materials dm WHERE dm.app_id = a.id) AS deferred,
		       EXISTS (SELECT 1 FROM hall.commitment_checks cc WHERE cc.app_id = a.id) AS commitment
		FROM hall.receptions rc
		JOIN hall.applications a ON a.id = rc.app_id
		LEFT JOIN hall.case_agents g ON g.app_id = rc.app_id
		WHERE rc.received_at >= p0 AND rc.received_at < p1
		  AND (v_dept IS NULL OR a.department_code = v_dept)
	)
	SELECT s.id, s.login::text, s.name, s.department_code,
	       count(f.id), count(*) FILTER (WHERE f.outcome = 'accept'), count(*) FILTER (WHERE f.outcome = 'incomplete'),
	       count(*) FILTER (WHERE f.outcome = 'refuse'), count(*) FILTER (WHERE f.assisted),
	       count(*) FILTER (WHERE f.proxy), count(*) FILTER (WHERE f.agent), count(*) FILTER (WHERE f.green),
	       count(*) FILTER (WHERE f.deferred), count(*) FILTER (WHERE f.commitment)
	FROM hall.staff s
	LEFT JOIN f ON f.sid = s.id
	WHERE f.id IS NOT NULL
	   OR (s.kind = 'clerk' AND s.active AND (v_dept IS NULL OR s.department_code = v_dept))
	GROUP BY s.id, s.login, s.name, s.department_code
	ORDER BY s.department_code, s.login;
END $$;

-- ------------------------------------------------------------------ reading

ALTER TABLE hall.receptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.case_agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.deferred_materials ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.commitment_checks ENABLE ROW LEVEL SECURITY;

-- Those of a visible case (the sub-select on hall.applications is itself
-- filtered by its policies, 004); the trainer and the director all.
CREATE POLICY of_visible_case ON hall.receptions FOR SELECT TO hall_clerk, hall_supervisor
	USING (EXISTS (SELECT 1 FROM hall.applications a WHERE a.id = receptions.app_id));
CREATE POLICY of_visible_case ON hall.notices FOR SELECT TO hall_clerk, hall_supervisor
	USING (EXISTS (SELECT 1 FROM hall.applications a WHERE a.id = notices.app_id));
CREATE POLICY of_visible_case ON hall.case_agents FOR SELECT TO hall_clerk, hall_supervisor
	USING (EXISTS (SELECT 1 FROM hall.applications a WHERE a.id = case_agents.app_id));
CREATE POLICY of_visible_case ON hall.deferred_materials FOR SELECT TO hall_clerk, hall_supervisor
	USING (EXISTS (SELECT 1 FROM hall.applications a WHERE a.id = deferred_materials.app_id));
CREATE POLICY of_visible_case ON hall.commitment_checks FOR SELECT TO hall_clerk, hall_supervisor
	USING (EXISTS (SELECT 1 FROM hall.applications a WHERE a.id = commitment_checks.app_id));
CREATE POLICY trainer_all ON hall.receptions FOR SELECT TO hall_trainer USING (true);
CREATE POLICY trainer_all ON hall.notices FOR SELECT TO hall_trainer USING (true);
CREATE POLICY trainer_all ON hall.case_agents FOR SELECT TO hall_trainer USING (true);
CREATE POLICY trainer_all ON hall.deferred_materials FOR SELECT TO hall_trainer USING (true);
CREATE POLICY trainer_all ON hall.commitment_checks FOR SELECT TO hall_trainer USING (true);
CREATE POLICY director_all ON hall.receptions FOR SELECT TO hall_director USING (true);
CREATE POLICY director_all ON hall.notices FOR SELECT TO hall_director USING (true);
CREATE POLICY director_all ON hall.case_agents FOR SELECT TO hall_director USING (true);
CREATE POLICY director_all ON hall.deferred_materials FOR SELECT TO hall_director USING (true);
CREATE POLICY director_all ON hall.commitment_checks FOR SELECT TO hall_director USING (true);

GRANT SELECT ON hall.item_guides, hall.situations, hall.situation_materials, hall.receptions,
	hall.notices, hall.deferred_materials, hall.commitment_checks
	TO hall_clerk, hall_supervisor, hall_trainer, hall_director;
-- Never an agent's full ID or phone number.
GRANT SELECT (app_id, staff_id, name, poa, id_masked, phone_masked) ON hall.case_agents
	TO hall_clerk, hall_supervisor, hall_trainer, hall_director;
GRANT SELECT (legal_rep) ON hall.applicants TO hall_director;

-- An item's guide (办事指南) with its time limits and the windows serving it.
CREATE VIEW hall.v_item_guides WITH (security_invoker = true) AS
SELECT i.id AS item_id, i.code, i.name, i.department_code, d.name AS department_name, i.category,
       i.promised_days, i.legal_days, i.online, i.initials,
       g.conditions, g.fee, g.result_place, g.basis,
       ARRAY(SELECT wi.window_code FROM hall.window_items wi WHERE wi.item_id = i.id ORDER BY 1) AS windows
FROM hall.items i
JOIN hall.departments d ON d.code = i.department_code
LEFT JOIN hall.item_guides g ON g.item_id = i.id;

-- The situations of each item, and each situation's material list.
CREATE VIEW hall.v_situations WITH (security_invoker = true) AS
SELECT s.id AS situation_id, s.item_id, i.code AS item_code, s.code, s.name, s.by_agent, s.ord,
       (SELECT count(*) FROM hall.situation_materials x WHERE x.situation_id = s.id) AS materials
FROM hall.situations s
JOIN hall.items i ON i.id = s.item_id;

CREATE VIEW hall.v_situation_materials WITH (security_invoker = true) AS
SELECT s.id AS situation_id, s.item_id, i.code AS item_code, s.code AS situation, s.name AS situation_name,
       s.by_agent, x.material_id, m.name, x.required, x.may_defer, x.may_commit, x.ord
FROM hall.situation_materials x
JOIN hall.situations s ON s.id = x.situation_id
JOIN hall.items i ON i.id = s.item_id
JOIN hall.materials m ON m.id = x.material_id;

-- The notices the reader may see.
CREATE VIEW hall.v_notices WITH (security_invoker = true) AS
SELECT n.id, n.number, n.kind, n.app_id, a.case_no, i.name AS item_name, p.name AS applicant_name,
       n.department_code, n.window_code, n.staff_id, s.name AS staff_name, n.issued_at, n.issued_on
FROM hall.notices n
JOIN hall.applications a ON a.id = n.app_id
JOIN hall.items i ON i.id = a.item_id
JOIN hall.applicants p ON p.id = a.applicant_id
JOIN hall.staff s ON s.id = n.staff_id;

-- What the front desk recorded about a case: the situation, the agent
-- (or the clerk acting as one: 代办), the notice, the 容缺 still owed and
-- the 告知承诺 check.
CREATE VIEW hall.v_case_front WITH (security_invoker = true) AS
SELECT a.id AS app_id, a.case_no, rc.situation_id, s.code AS situation, s.name AS situation_name,
       rc.outcome, rc.staff_id AS received_by, rb.name AS received_by_name, rc.received_at,
       rc.assisted_by, ab.name AS assisted_by_name,
       a.green_channel, a.queue_rank,
       g.name AS agent_name, g.id_masked AS agent_id_masked, g.phone_masked AS agent_phone_masked, g.poa,
       g.staff_id AS proxy_staff_id,
       (SELECT n.id FROM hall.notices n WHERE n.app_id = a.id ORDER BY n.id LIMIT 1) AS notice_id,
       (SELECT n.number FROM hall.notices n WHERE n.app_id = a.id ORDER BY n.id LIMIT 1) AS notice_number,
       (SELECT n.kind FROM hall.notices n WHERE n.app_id = a.id ORDER BY n.id LIMIT 1) AS notice_kind,
       (SELECT count(*) FROM hall.deferred_materials dm WHERE dm.app_id = a.id AND dm.state = 'open') AS deferred_open,
       (SELECT min(dm.due_on) FROM hall.deferred_materials dm WHERE dm.app_id = a.id AND dm.state = 'open') AS deferred_due,
       c.state AS check_state, c.due_on AS check_due, c.outcome AS check_outcome
FROM hall.applications a
LEFT JOIN hall.receptions rc ON rc.app_id = a.id
LEFT JOIN hall.situations s ON s.id = rc.situation_id
LEFT JOIN hall.staff rb ON rb.id = rc.staff_id
LEFT JOIN hall.staff ab ON ab.id = rc.assisted_by
LEFT JOIN hall.case_agents g ON g.app_id = a.id
LEFT JOIN hall.commitment_checks c ON c.app_id = a.id;

-- Every 容缺 material, with its deadline (days_left and urgency while open).
CREATE VIEW hall.v_deferred WITH (security_invoker = true) AS
SELECT dm.app_id, a.case_no, i.name AS item_name, a.department_code, a.window_code, a.state AS case_state,
       dm.material_id, m.name AS material_name, dm.due_on, dm.state, n.number AS notice_number,
       dm.supplied_at, dm.supplied_by, s.name AS supplied_by_name, dm.ended_at,
       CASE WHEN dm.state = 'open' THEN hall.days_left(dm.due_on, t.today) END AS days_left,
       CASE WHEN dm.state = 'open' THEN hall.urgency(dm.due_on, t.today, t.warn) ELSE dm.state END AS urgency
FROM hall.deferred_materials dm
JOIN hall.applications a ON a.id = dm.app_id
JOIN hall.items i ON i.id = a.item_id
JOIN hall.materials m ON m.id = dm.material_id
JOIN hall.notices n ON n.id = dm.notice_id
LEFT JOIN hall.staff s ON s.id = dm.supplied_by
CROSS JOIN (SELECT hall.today() AS today, hall.setting_int('warn_days') AS warn OFFSET 0) t;

-- Per department, the cases accepted 容缺: open (a material still owed),
-- supplied (all of them brought), ended (terminated for want of one).
CREATE VIEW hall.v_deferred_counts WITH (security_invoker = true) AS
SELECT x.department_code,
       count(*) FILTER (WHERE x.ended) AS ended,
       count(*) FILTER (WHERE NOT x.ended AND x.open) AS open,
       count(*) FILTER (WHERE NOT x.ended AND NOT x.open) AS supplied,
       count(*) AS cases
FROM (SELECT a.department_code, dm.app_id,
             bool_or(dm.state = 'ended') AS ended, bool_or(dm.state = 'open') AS open
      FROM hall.deferred_materials dm
      JOIN hall.applications a ON a.id = dm.app_id
      GROUP BY a.department_code, dm.app_id) x
GROUP BY x.department_code;

-- The 告知承诺 checks, pending ones with their deadline.
CREATE VIEW hall.v_commitment_checks WITH (security_invoker = true) AS
SELECT c.app_id, a.case_no, i.name AS item_name, a.department_code, a.window_code, a.state AS case_state,
       c.material_ids,
       ARRAY(SELECT m.name FROM hall.materials m WHERE m.id = ANY (c.material_ids) ORDER BY m.ord, m.id) AS material_names,
       n.number AS notice_number, c.due_on, c.state, c.outcome, c.checked_at, c.checked_by, s.name AS checked_by_name,
       c.note,
       CASE WHEN c.state = 'pending' THEN hall.days_left(c.due_on, t.today) END AS days_left,
       CASE WHEN c.state = 'pending' THEN hall.urgency(c.due_on, t.today, t.warn) ELSE 'checked' END AS urgency
FROM hall.commitment_checks c
JOIN hall.applications a ON a.id = c.app_id
JOIN hall.items i ON i.id = a.item_id
JOIN hall.notices n ON n.id = c.notice_id
LEFT JOIN hall.staff s ON s.id = c.checked_by
CROSS JOIN (SELECT hall.today() AS today, hall.setting_int('warn_days') AS warn OFFSET 0) t;

GRANT SELECT ON hall.v_item_guides, hall.v_situations, hall.v_situation_materials, hall.v_notices,
	hall.v_case_front, hall.v_deferred, hall.v_deferred_counts, hall.v_commitment_checks
	TO hall_clerk, hall_supervisor, hall_trainer, hall_director;

-- Opening a case: the terminal reads the case (005's v_case) and its front
-- desk (above) through these.  Planning those views (row-level security
-- on every table they join) costs 10-50 times more than running them, and
-- a custom plan is made again for every case opened; PL/pgSQL keeps the
-- generic plan of its query for the session, so a case is planned once per
-- connection, not once per Enter (doc/performance.md, P3).  SECURITY
-- INVOKER: the caller's row-level security decides, as in the views.
CREATE FUNCTION hall.case_of(p_id bigint) RETURNS SETOF hall.v_case
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan
AS $$ BEGIN RETURN QUERY SELECT * FROM hall.v_case c WHERE c.id = p_id; END $$;
CREATE FUNCTION hall.case_front_of(p_id bigint) RETURNS SETOF hall.v_case_front
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan
AS $$ BEGIN RETURN QUERY SELECT * FROM hall.v_case_front f WHERE f.app_id = p_id; END $$;
CREATE FUNCTION hall.deferred_of(p_id bigint) RETURNS SETOF hall.v_deferred
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan
AS $$ BEGIN RETURN QUERY SELECT * FROM hall.v_deferred d WHERE d.app_id = p_id; END $$;
-- The case's other parts, for the same reason: a statement executed a few
-- times a session is always in PostgreSQL's first five custom plans, and
-- planning these (0.7-0.9 ms each) cost more than running them.
CREATE FUNCTION hall.case_materials_of(p_id bigint) RETURNS SETOF hall.v_case_materials
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan
AS $$ BEGIN RETURN QUERY SELECT * FROM hall.v_case_materials m WHERE m.app_id = p_id; END $$;
CREATE FUNCTION hall.case_history_of(p_id bigint) RETURNS SETOF hall.v_case_history
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan
AS $$ BEGIN RETURN QUERY SELECT * FROM hall.v_case_history h WHERE h.app_id = p_id; END $$;
CREATE FUNCTION hall.case_returns_of(p_id bigint) RETURNS SETOF hall.v_case_returns
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan
AS $$ BEGIN RETURN QUERY SELECT * FROM hall.v_case_returns x WHERE x.app_id = p_id; END $$;
CREATE FUNCTION hall.open_flag_of(p_kind text, p_id bigint) RETURNS SETOF hall.v_supervisions
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan
AS $$ BEGIN RETURN QUERY SELECT * FROM hall.v_supervisions f WHERE f.kind = p_kind AND f.item_id = p_id AND f.open; END $$;
REVOKE ALL ON FUNCTION hall.case_of(bigint), hall.case_front_of(bigint), hall.deferred_of(bigint),
	hall.case_materials_of(bigint), hall.case_history_of(bigint), hall.case_returns_of(bigint),
	hall.open_flag_of(text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.case_of(bigint), hall.case_front_of(bigint), hall.deferred_of(bigint),
	hall.case_materials_of(bigint), hall.case_history_of(bigint), hall.case_returns_of(bigint),
	hall.open_flag_of(text, bigint)
	TO hall_clerk, hall_supervisor, hall_trainer, hall_director;

-- ------------------------------------------------------------------ grants

REVOKE ALL ON FUNCTION hall.notice_number(text, date), hall.notice_body(bigint, text),
	hall.notice_issue(text, hall.applications, int, timestamptz), hall.deferred_guard(),
	hall.terminate_case(hall.applications, text, text, jsonb, text, text),
	hall.front_desk_run(), hall.end_deferred() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.id_birth_date(text), hall.id_number_valid(text), hall.credit_code_valid(text),
	hall.date_cn(date), hall.find_items(text, int), hall.notice_text(bigint), hall.notice_text_by_number(text)
	TO hall_clerk, hall_supervisor, hall_trainer, hall_director;
GRANT EXECUTE ON FUNCTION hall.receive(text, text, jsonb, jsonb, jsonb, text, text, jsonb),
	hall.supply_deferred(bigint, int)
	TO hall_clerk;
GRANT EXECUTE ON FUNCTION hall.record_check(bigint, boolean, text) TO hall_clerk, hall_supervisor;
-- A clerk is refused with reason:supervisor_only by the scope, not by a missing grant.
GRANT EXECUTE ON FUNCTION hall.front_desk_counts(date) TO hall_clerk, hall_supervisor, hall_trainer, hall_director;
-- The job: the owner, the cron job (a superuser) and hall_cards (the
-- systemd timer's login, 017) only.
GRANT EXECUTE ON FUNCTION hall.front_desk_run(), hall.end_deferred() TO hall_cards;

-- ------------------------------------------------------------------ schedule
--
-- As the cards of 017: pg_cron runs SELECT hall.end_deferred() every minute
-- as the migrating superuser when it can (superuser, preloaded, this
-- database); anywhere else a NOTICE, and `hallctl` (a member of
-- hall_cards) calls hall.front_desk_run() from the systemd timer.
DO $$ BEGIN PERFORM hall.schedule_minutely('hall_front_desk', 'SELECT hall.end_deferred()',
	'the 容缺 deadlines are not scheduled in this database: %s; run `hallctl` (hall.front_desk_run()) every minute'); END $$;
