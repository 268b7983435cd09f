-- The trainer's demo data: hall_demo.generate(scale, seed) empties the data
-- tables of a demo (or empty) database and fills them with a realistic,
-- deterministic hall: departments, windows, 63 service items, 24 staff
-- accounts (password 'demo'), `scale` cases over the last 90 days, inquiries,
-- ratings with their rectifications, and a few hundred notifications.
--
--   psql -v ON_ERROR_STOP=1 -1 -f schema/demo/demo.sql   (as a superuser)
--   SELECT hall_demo.generate(20000, 1);                  (or: hallctl demo)
--
-- Deterministic: every choice is a hash of (row number, seed, salt), never
-- random(), or for a case's item and channel a point of a Kronecker
-- sequence shifted by the seed; the same seed on the same day gives the same
-- data.  Dates are relative to hall.today() (a trainer may move it with
-- hall.fake_now).
--
-- The seed city's shares.  hall.platform_figures (018) of any full month of
-- the demo gives the figures of H city's platform (the seed study, chapter
-- 2: 114,523 cases): 网上办件 (web or app) 77.4%, 最多跑一次 80.9%, 全程不见面
-- 43.7%, 法人 34.8%, and the categories in its counts (行政许可 23%, 社会保障
-- 13%, 行政确认 7%, 劳动就业 5%, 社会救助 3%, 其他行政权力 3%, 基本医疗卫生
-- 2%; the other 44% are the seed's unlisted ones: 医保, 税务, 不动产, 户籍,
-- 公积金).  Each item of t_item carries a weight in cases per thousand (they
-- add up to 1000), its entity share, whether it is online (nothing to
-- collect at the hall; false: a licence, certificate or card is collected
-- there, one trip however the case came in) and its net share (of its cases
-- submitted on the web or the app; the rest at the window, 80%, and the
-- kiosks).  The shares are the weighted sums: 网上办件 = sum(w * net),
-- 全程不见面 = the same over the online items, 法人 = sum(w * e), and
-- 最多跑一次 = about 97.5% of 网上办件 (a second return to correct is a
-- second trip) plus 88% of the online items' window and kiosk cases (those
-- returned none).  So half the cases are for items collected at the hall,
-- two thirds of them submitted online: the gap between 77.4% and 43.7%.
-- Window and kiosk cases are 23% of all (every window still has its queue;
-- returns are as before).  The item and the channel are a Kronecker
-- sequence, so every month holds these shares to a few tenths of a point
-- at 20000 cases, not only on average (tests/integration/demo_test.sh checks
-- October 2026 within 2 points).
--
-- Fast: everything is set-based (INSERT ... SELECT over generate_series).
-- Working days are counted in the "cum" space of hall.days: the Nth working
-- day after d is the working day whose cum is cum(d) + N, so every deadline
-- is a join on hall.days, exactly what hall.workday_add answers.
--
-- The case lifecycle is simulated per case as a fixed path of up to 14
-- steps (submit, withdraw, claim, return, resubmit, claim again, ...,
-- extension, escalation, decision), each with a working day and a time; a
-- case's state is where its path stands at the end of yesterday.  The audit
-- rows are the steps taken, with the actions, states and details the
-- transition functions of 005-007 write.

CREATE SCHEMA IF NOT EXISTS hall_demo AUTHORIZATION hall_admin;

-- A uniform number in [0, 1) and a non-negative integer from (i, salt);
-- inlined by the planner (plain SQL, IMMUTABLE, no SET clause).
CREATE OR REPLACE FUNCTION hall_demo.u(i bigint, salt bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (pg_catalog.hashint8extended(i, salt) & 4503599627370495)::double precision / 4503599627370496.0 $$;

CREATE OR REPLACE FUNCTION hall_demo.h(i bigint, salt bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.hashint8extended(i, salt) & 9223372036854775807 $$;

-- The fractional part of i * a + off: a low-discrepancy draw in [0, 1)
-- (a Weyl sequence; a irrational), for the draws whose shares must hold in
-- every month, not only on average.
CREATE OR REPLACE FUNCTION hall_demo.kr(i bigint, a double precision, off double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (i * a + off) - floor(i * a + off) $$;

-- GB 11643-1999: the check character of an 18-digit citizen ID number
-- (ISO 7064 MOD 11-2 over the first 17 digits).
CREATE OR REPLACE FUNCTION hall_demo.id_check(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT substr('10X98765432', 1 + ((
		  (ascii(substr(s, 1, 1)) - 48) * 7 + (ascii(substr(s, 2, 1)) - 48) * 9
		+ (ascii(substr(s, 3, 1)) - 48) * 10 + (ascii(substr(s, 4, 1)) - 48) * 5
		+ (ascii(substr(s, 5, 1)) - 48) * 8 + (ascii(substr(s, 6, 1)) - 48) * 4
		+ (ascii(substr(s, 7, 1)) - 48) * 2 + (ascii(substr(s, 8, 1)) - 48) * 1
		+ (ascii(substr(s, 9, 1)) - 48) * 6 + (ascii(substr(s, 10, 1)) - 48) * 3
		+ (ascii(substr(s, 11, 1)) - 48) * 7 + (ascii(substr(s, 12, 1)) - 48) * 9
		+ (ascii(substr(s, 13, 1)) - 48) * 10 + (ascii(substr(s, 14, 1)) - 48) * 5
		+ (ascii(substr(s, 15, 1)) - 48) * 8 + (ascii(substr(s, 16, 1)) - 48) * 4
		+ (ascii(substr(s, 17, 1)) - 48) * 2) % 11), 1)
$$;

-- GB 32100-2015: an 18-character unified social credit code from its
-- registration-authority and entity-type prefix ('91' = enterprise), the
-- 6-digit area code and an 8-digit organization code body; the
-- organization code check (GB 11714) and the final check are computed.
CREATE OR REPLACE FUNCTION hall_demo.uscc(prefix text, area text, org8 text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	WITH o AS (
		SELECT org8 || CASE 11 - (
			  (ascii(substr(org8, 1, 1)) - 48) * 3 + (ascii(substr(org8, 2, 1)) - 48) * 7
			+ (ascii(substr(org8, 3, 1)) - 48) * 9 + (ascii(substr(org8, 4, 1)) - 48) * 10
			+ (ascii(substr(org8, 5, 1)) - 48) * 5 + (ascii(substr(org8, 6, 1)) - 48) * 8
			+ (ascii(substr(org8, 7, 1)) - 48) * 4 + (ascii(substr(org8, 8, 1)) - 48) * 2) % 11
			WHEN 10 THEN 'X' WHEN 11 THEN '0'
			ELSE (11 - ((ascii(substr(org8, 1, 1)) - 48) * 3 + (ascii(substr(org8, 2, 1)) - 48) * 7
			          + (ascii(substr(org8, 3, 1)) - 48) * 9 + (ascii(substr(org8, 4, 1)) - 48) * 10
			          + (ascii(substr(org8, 5, 1)) - 48) * 5 + (ascii(substr(org8, 6, 1)) - 48) * 8
			          + (ascii(substr(org8, 7, 1)) - 48) * 4 + (ascii(substr(org8, 8, 1)) - 48) * 2) % 11)::text
			END AS org
	), b AS (
		SELECT prefix || area || o.org AS s FROM o
	)
	SELECT b.s || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (31 - (
		SELECT sum((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(b.s, k, 1)) - 1)
		           * (ARRAY[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])[k])::int
		FROM generate_series(1, 17) k) % 31) % 31, 1)
	FROM b
$$;

-- Pick element 1 + (h mod n) of an array.
CREATE OR REPLACE FUNCTION hall_demo.pick(a text[], h bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT a[1 + (h % cardinality(a))::int] $$;

-- The moment of step x = cum * 100000 + second of the day, from the
-- midnights of the working days (t0[cum - base]); at the latest 18:30.
-- (STABLE, as timestamptz + interval is: an IMMUTABLE wrapper would not be inlined.)
CREATE OR REPLACE FUNCTION hall_demo.ts(t0 timestamptz[], base int, x bigint) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT t0[(x / 100000)::int - base] + least(x % 100000, 66600) * interval '1 second' $$;

-- Progress with timings, for whoever tunes the generator:
--   SET hall_demo.timing = on; SELECT hall_demo.generate(...);
CREATE OR REPLACE FUNCTION hall_demo.tick(what text) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	t timestamptz := clock_timestamp();
	prev text := current_setting('hall_demo.tick_at', true);
BEGIN
	IF coalesce(current_setting('hall_demo.timing', true), '') = 'on' THEN
		RAISE NOTICE 'hall_demo: % %', rpad(what, 24),
			CASE WHEN prev IS NULL OR prev = '' OR what = 'start' THEN ''
			     ELSE to_char(extract(epoch FROM t - prev::timestamptz), 'FM990.000') || ' s' END;
	END IF;
	PERFORM set_config('hall_demo.tick_at', t::text, true);
END $$;

-- `clock_at`, when given, sets the database's clock (hall.set_clock) to that
-- moment, running, before anything is generated: the whole-screen tests
-- get the same hall whatever day they run.
DROP FUNCTION IF EXISTS hall_demo.generate(int, bigint);
CREATE OR REPLACE FUNCTION hall_demo.generate(scale int DEFAULT 20000, seed bigint DEFAULT 1,
                                              clock_at timestamptz DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, hall, hall_demo, pg_temp
AS $gen$
DECLARE
	v_seed constant bigint := coalesce(seed, 1);
	v_s constant bigint := (v_seed % 1000000000000) * 1000;   -- salt base: hash(i, v_s + k), k < 1000
	v_scale int := greatest(coalesce(scale, 20000), 0);
	v_total bigint;     -- cases: scale, at least the 3 the terminal tests need
	v_today date;
	v_e int;            -- cum of the last working day before today: steps happen up to its end
	v_cmin int;         -- cum of the first working day of the 90 days
	v_acc int;
	v_escd int;
	v_cbd int;
	v_rfd int;
	v_np int;           -- persons
	v_ne int;           -- entities
	v_ninq int;         -- inquiries
	v_lim bigint;       -- last x (day*100000+second) that has happened
	v_end timestamptz;  -- the end of yesterday: nothing generated happens later
	v_t0 timestamptz[]; -- midnight of each working day, by cum - v_wbase
	v_wbase int;
	v_dd date[];        -- the working days themselves, by cum - v_wbase
	v_logins text[];    -- staff logins by id
	v_idx_defs text[];  -- secondary indexes built after the load
	v_idx_comments text[];
	v_idx_names text[];
	v_facts_off text[]; -- the fact triggers set aside for the load
	v_facts_on text[];
	v_idw int;
	v_ida int;
	v_idh int;
	v_role pg_catalog.pg_roles;
	v_acc_json jsonb;
	v_g text;
	v_r record;
	-- surnames, most common first (the generator prefers the head of the list)
	c_surnames constant text[] := '{王,李,张,刘,陈,杨,赵,黄,周,吴,徐,孙,马,朱,胡,郭,何,高,林,于,郑,梁,谢,宋,唐,许,韩,冯,邓,曹,彭,曾,肖,田,董,袁,潘,蒋,蔡,余,杜,叶,程,苏,魏,吕,丁,任,沈,姚,卢,姜,崔,钟,谭,陆,汪,范,金,石,廖,贾,夏,韦,付,方,白,邹,孟,熊,秦,邱,江,尹,薛,闫,段,雷,侯,龙,史,陶,黎,贺,顾,毛,郝,龚,邵,万,钱,严,武,戴,孔,常,关,佟,那,宫,初,隋,鲍,国,柴}';
	c_male constant text[] := '{伟,强,磊,军,勇,杰,涛,斌,超,明,刚,平,辉,鹏,华,飞,鑫,波,宇,浩,凯,健,俊,帆,帅,旭,宁,龙,林,阳,晨,博,文,东,海,峰,建,国,志,成,亮,振,天,子,然,刚,德,福,贵,山,春,长,玉,永,立,新,庆,宏,民,广,学,江,利,兴,金,忠,雷,彬,岩,松}';
	c_female constant text[] := '{芳,娜,敏,静,丽,艳,娟,霞,秀,玲,燕,红,梅,琳,雪,婷,颖,倩,洁,慧,晶,莉,萍,欣,悦,佳,怡,璐,琪,雯,月,蕾,薇,妍,楠,馨,瑶,雅,春,桂,凤,英,华,兰,淑,珍,玉,荣,丹,爽,冰,娇,岩,宇,晓,思,梦,诗}';
	c_areas constant text[] := '{230102,230103,230104,230108,230109,230110,230111,230112,230113}';
	c_phone constant text[] := '{130,131,132,133,135,136,137,138,139,150,151,152,153,155,156,157,158,159,180,181,182,183,185,186,187,188,189}';
	c_brand constant text[] := '{鑫,盛,华,泰,隆,兴,达,顺,恒,金,龙,冰,城,北,方,远,东,博,瑞,祥,宏,源,通,诚,信,丰,嘉,和,安,福,天,正,明,禾,润,晟,松,江,岳,中}';
	c_trade constant text[] := '{商贸有限公司,餐饮管理有限公司,科技有限公司,建筑工程有限公司,物流有限公司,食品有限公司,文化传媒有限公司,农业发展有限公司,医药连锁有限公司,房地产开发有限公司,装饰工程有限公司,汽车服务有限公司,商贸有限公司,餐饮管理有限公司}';
	c_depts constant text[] := '{SCJG,RSJ,YBJ,GAHJ,SWJ,MZJ,WJW,ZJJ,BDC,GJJ}';
	c_defects constant text[] := '{申请表未签字,复印件不清晰，请重新提供,身份证已过有效期,申请表填写信息与证件不一致,缺少经办人签字,材料未加盖单位公章,委托书未写明委托事项和期限,证明材料已超过有效期}';
	c_esc constant text[] := '{涉及历史遗留问题，需科长研判,申请人对材料认定有异议，请求复核,跨部门联办事项，需协调相关单位,申请事项法律适用存在疑问,涉及重大公共利益，需集体研究决定,现场核查情况与申报材料不一致}';
	c_approve constant text[] := '{"","","","",材料齐全，符合法定条件，准予许可,已办结，证照已通过EMS寄递,已办结，申请人现场领取,已办结，电子证照已推送至“全省事”}';
	c_sup_approve constant text[] := '{经研究，符合条件，准予许可,经集体研究，同意办理,已协调相关部门，同意办理}';
	c_reject constant text[] := '{不符合《中华人民共和国行政许可法》第三十八条规定的条件，不予许可,申请人不具备法定资格，依法不予许可,申请材料存在虚假内容，依法不予许可,经现场核查，经营场所不符合相关规定，不予许可,不属于本机关职权范围，已告知向有关机关申请,申请人不符合享受条件，依法不予办理}';
	c_back constant text[] := '{请补充现场核查记录后再行办理,请与申请人核实后按正常程序办理,情况已清楚，退回窗口继续办理}';
	c_ext_reason constant text[] := '{需现场核查，时限内无法完成,需征求相关部门意见,申请材料需组织专家评审,依法需公示，公示期不计入办理时限}';
	c_ext_yes constant text[] := '{同意延期,情况属实，同意延期,同意，请在延长期限内办结}';
	c_ext_no constant text[] := '{延期理由不充分，请按期办结,不同意延期，请加快办理}';
	c_inq_subject constant text[] := ARRAY[
		'{item}需要哪些材料', '{item}能否网上办理', '{item}办理进度咨询', '{place}能否就近办理{item}',
		'{item}是否需要本人到场', '{item}是否收费', '{item}办理时限', '关于{item}材料补正的疑问',
		'周末能否办理{item}', '外地户籍能否办理{item}'];
	c_inq_body constant text[] := ARRAY[
		'您好，我想办理{item}，请问需要准备哪些材料？复印件是否需要加盖公章？',
		'请问{item}可以在“e冰城”APP或者政务服务网上全程办理吗？还是必须到大厅窗口？',
		'我{n}天前提交了{item}的申请，到现在还没有结果，麻烦帮忙查一下进度。',
		'我住在{place}，请问{item}能在区政务服务中心就近办理吗？需要提前预约吗？',
		'家里老人行动不便，{item}可以委托子女代办吗？委托书有没有固定格式？',
		'请问办理{item}收不收费？如果收费，标准是多少，可以用微信或支付宝缴费吗？',
		'{item}从受理到办结一般需要几个工作日？能不能加急办理？',
		'窗口告知我{item}的材料需要补正，但我不清楚具体要补哪些，能否一次性告知清楚？',
		'我平时上班没时间，请问大厅周六有没有延时服务，可以办理{item}吗？',
		'我户籍不在哈尔滨，目前在{place}工作生活，可以在这里办理{item}吗？'];
	c_inq_reply constant text[] := ARRAY[
		'您好！办理{item}需提供：{materials}。复印件请使用A4纸，个人办理无需加盖公章。如有疑问可拨打12345咨询。',
		'您好！{item}已开通网上办理，您可登录黑龙江政务服务网或“e冰城”APP搜索“{item}”在线申报，材料审核通过后无需到现场。',
		'您好！经查询，您的申请已进入审核环节，我们会在承诺时限内办结并短信通知您，请耐心等待。给您带来不便，敬请谅解。',
		'您好！{item}已实现全市通办，您可就近到{place}政务服务中心办理，无需预约，工作日8:30-17:00均可办理。',
		'您好！{item}可以委托他人代办，代办人需携带委托书、委托人及代办人身份证原件。委托书模板可在政务服务网下载。',
		'您好！{item}不收取任何费用，请勿轻信任何收费代办信息。',
		'您好！{item}承诺办结时限为{days}个工作日，材料齐全的当场受理。确有特殊情况需加急的，请向窗口说明。',
		'您好！非常抱歉给您带来不便。经核实，需补正的材料已通过短信一次性告知，请您查收；如仍有疑问，可直接联系窗口工作人员。',
		'您好！市政务服务中心周六上午9:00-12:00提供延时服务，可以办理{item}，请携带相关材料前来。',
		'您好！{item}已纳入“跨省通办”，您可在居住地政务服务中心办理，持居住证的按本地居民同等对待。'];
	c_c5 constant text[] := '{办事效率高，态度很好,一次就办完了，点赞！,工作人员很耐心，讲解很细致,网上就办好了，非常方便,比以前快多了,服务热情周到,窗口小姑娘很专业}';
	c_c4 constant text[] := '{挺好的，就是排队时间有点长,整体满意,办理顺利,材料说明可以再清楚一些}';
	c_c3 constant text[] := '{等待时间有点长,跑了两趟才办完,网上申报页面不太好用,一般吧,电话不好打通}';
	c_c12 constant text[] := '{材料要求前后不一致，让我跑了三趟,窗口人员态度冷淡，问什么都不耐烦,超过承诺时限还没办完，也没人通知,网上说可以办，到了现场又说不行,打了好几次电话都没人接}';
	c_verify constant text[] := '{经调取窗口录像核实，情况属实,经核实，系材料告知不清导致申请人多次往返,经核实，系系统故障导致办理延误,经核实，申请人反映问题部分属实}';
	c_rectify constant text[] := '{已对窗口人员进行批评教育，并组织业务培训,已优化办事指南，补充材料说明,已调整窗口力量，缩短等候时间,已建立超期预警提醒，专人跟踪办理}';
	c_callback constant text[] := '{已电话回访申请人，申请人表示认可,已回访，申请人对整改结果基本满意,已回访，申请人表示理解,已上门回访并致歉，申请人表示满意}';
	c_followup constant text[] := '{后来处理得挺及时,整改后态度好多了,问题已经解决了,还行}';
	c_places constant text[] := '{道里区,南岗区,道外区,香坊区,平房区,松北区,呼兰区,阿城区,双城区,尚志市,五常市,依兰县,方正县,宾县,巴彦县,木兰县,通河县,延寿县}';
BEGIN
	PERFORM hall_demo.tick('start');
	-- ------------------------------------------------------------ guards
	IF NOT coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user), false) THEN
		RAISE EXCEPTION 'hall_demo.generate must run as a superuser (it creates the demo login roles)'
			USING ERRCODE = '42501', HINT = 'reason:demo_superuser';
	END IF;
	IF hall.mode() = 'production' AND EXISTS (SELECT 1 FROM hall.applications) THEN
		RAISE EXCEPTION 'refusing to generate demo data: this is a production database holding cases'
			USING ERRCODE = '55000', HINT = 'reason:demo_production',
			      DETAIL = 'demo data only goes into an empty or demo database; never into a real one';
	END IF;
	IF v_scale > 100000000 THEN
		RAISE EXCEPTION 'scale % is too large (at most 100000000)', v_scale
			USING ERRCODE = '22023', HINT = 'reason:demo_scale';
	END IF;
	PERFORM set_config('lock_timeout', '15s', true);
	PERFORM set_config('password_encryption', 'scram-sha-256', true);
	PERFORM set_config('work_mem', '256MB', true);
	PERFORM set_config('jit', 'off', true);
	BEGIN
		-- room for the work tables (possible only before a session's first temp table)
		PERFORM set_config('temp_buffers', '1GB', true);
	EXCEPTION WHEN OTHERS THEN
		NULL;
	END;
	PERFORM set_config('maintenance_work_mem', '512MB', true);

	UPDATE hall.settings SET value = 'demo' WHERE key = 'mode';

	-- ------------------------------------------------------------ reset
	PERFORM set_config('hall.demo_reset', 'on', true);
	-- The data tables (hall.demo_data_tables, 012): every table of the
	-- schema but the calendar, the settings and the text limits; the same
	-- list hall.demo_reset() restores.
	SELECT string_agg(format('hall.%I', x.name), ', ' ORDER BY x.name) INTO v_g FROM hall.demo_data_tables() x(name);
	EXECUTE 'TRUNCATE ' || v_g || ' RESTART IDENTITY CASCADE';
	PERFORM set_config('hall.demo_reset', 'off', true);

	-- The big tables are loaded without their large secondary indexes, which
	-- are built again, as they were, once the rows are in (a bulk build is
	-- cheaper than millions of insertions).  Constraint indexes and the
	-- small partial ones (open cases, ...) are kept.
	SELECT coalesce(array_agg(pg_get_indexdef(i.indexrelid) ORDER BY i.indexrelid), '{}'),
	       coalesce(array_agg(format('COMMENT ON INDEX %s IS %L', i.indexrelid::regclass, obj_description(i.indexrelid, 'pg_class')))
	                FILTER (WHERE obj_description(i.indexrelid, 'pg_class') IS NOT NULL), '{}'),
	       coalesce(array_agg(i.indexrelid::regclass::text), '{}')
	INTO v_idx_defs, v_idx_comments, v_idx_names
	FROM pg_catalog.pg_index i
	JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
	WHERE c.relnamespace = 'hall'::regnamespace
	  AND c.relname IN ('applicants_name', 'applicants_id_number', 'applicants_name_trgm',
	                    'case_numbers_case_no_trgm', 'applications_applicant', 'applications_claimed_by',
	                    'applications_closed_by', 'audit_app', 'audit_staff', 'ratings_staff', 'ratings_department',
	                    'outbox_app', 'outbox_inquiry')
	  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid);
	FOREACH v_g IN ARRAY v_idx_names LOOP
		EXECUTE 'DROP INDEX ' || v_g;
	END LOOP;
	-- So are the keys of the largest tables that no foreign key references
	-- (a key another table's foreign key needs stays): each row's insertion
	-- into a unique index costs about as much as the row itself (0.8 of
	-- 1.8 us for the audit log), a bulk build a fraction of that.
	SELECT v_idx_defs || coalesce(array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname,
	                                                pg_get_constraintdef(k.oid)) ORDER BY k.oid), '{}'),
	       v_idx_comments || coalesce(array_agg(format('COMMENT ON CONSTRAINT %I ON %s IS %L', k.conname, k.conrelid::regclass,
	                                                    obj_description(k.oid, 'pg_constraint')))
	                                  FILTER (WHERE obj_description(k.oid, 'pg_constraint') IS NOT NULL), '{}'),
	       coalesce(array_agg(format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname)), '{}')
	INTO v_idx_defs, v_idx_comments, v_idx_names
	FROM pg_catalog.pg_constraint k
	WHERE k.connamespace = 'hall'::regnamespace AND k.contype IN ('p', 'u')
	  AND k.conname IN ('audit_pkey', 'application_materials_pkey', 'case_numbers_pkey', 'applications_case_no_key',
	                    'ratings_kind_target_id_key')
	  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint f WHERE f.contype = 'f' AND f.conindid = k.conindid);
	FOREACH v_g IN ARRAY v_idx_names LOOP
		EXECUTE v_g;
	END LOOP;

	-- The daily facts (019) are computed once from the loaded rows
	-- (hall.facts_rebuild, after the indexes): their triggers, which fire
	-- under replica too, would compute them table by table, statement by
	-- statement, holding every inserted row in a transition table (13 s of
	-- a 1M demo, against 6 s for the rebuild).  Set aside for the load and
	-- back as each was (ALWAYS or REPLICA) at the end; the tables are locked
	-- by the TRUNCATE above, so no other session ever sees them off.  Their
	-- TRUNCATE triggers stay (they emptied the facts above).
	SELECT s.off, s.back INTO v_facts_off, v_facts_on
	FROM hall.demo_trigger_switches(4 | 8 | 16, 'facts\_%') s;   -- INSERT, DELETE or UPDATE
	FOREACH v_g IN ARRAY v_facts_off LOOP
		EXECUTE v_g;
	END LOOP;

	IF generate.clock_at IS NOT NULL THEN
		PERFORM hall.set_clock(generate.clock_at, true);
	END IF;
	v_today := hall.today();
	v_acc := hall.setting_int('accept_days');
	v_escd := hall.setting_int('escalation_days');
	v_cbd := hall.setting_int('callback_days');
	v_rfd := hall.setting_int('rectify_days');
	SELECT cum INTO v_e FROM hall.days WHERE d = v_today - 1;
	SELECT min(cum) INTO v_cmin FROM hall.days WHERE workday AND d >= v_today - 90;
	IF v_e IS NULL OR v_cmin IS NULL OR v_e - v_cmin < 40 THEN
		RAISE EXCEPTION 'hall.today() = % is outside the calendar the demo needs', v_today
			USING ERRCODE = '22008', HINT = 'reason:demo_calendar';
	END IF;
	v_lim := v_e::bigint * 100000 + 99999;
	v_end := (v_today::timestamp AT TIME ZONE 'Asia/Shanghai') - interval '1 minute';
	v_idw := hall.setting_int('inquiry_days_web');
	v_ida := hall.setting_int('inquiry_days_app');
	v_idh := hall.setting_int('inquiry_days_hotline');
	v_total := greatest(v_scale, 3);
	-- Applicants: most people apply once in 90 days; at large scales
	-- (stress tests) fewer people apply more often, which keeps the load fast.
	v_np := greatest(60, least(v_scale * 0.72, 60000 + v_scale * 0.04)::int);
	v_ne := greatest(12, least(v_scale * 0.06, 6000 + v_scale * 0.004)::int);
	v_ninq := greatest(200, v_scale / 10);

	-- Loading: the rows below are consistent by construction, so the
	-- foreign-key triggers are skipped (superuser only; this transaction only).
	PERFORM set_config('session_replication_role', 'replica', true);

	-- ------------------------------------------------------ reference data
	INSERT INTO hall.departments (code, name) VALUES
		('SCJG', '市场监管局'), ('RSJ', '人社局'), ('YBJ', '医保局'), ('GAHJ', '公安局户籍'),
		('SWJ', '税务局'), ('MZJ', '民政局'), ('WJW', '卫健委'), ('ZJJ', '住建局'),
		('BDC', '不动产登记中心'), ('GJJ', '公积金中心');
	INSERT INTO hall.windows (code, name, department_code) VALUES
		('A01', '综合受理1号窗口', 'SCJG'), ('A02', '综合受理2号窗口', 'SCJG'),
		('A03', '社保就业3号窗口', 'RSJ'), ('A04', '社保就业4号窗口', 'RSJ'),
		('A05', '医保服务5号窗口', 'YBJ'), ('A06', '户政服务6号窗口', 'GAHJ'),
		('A07', '税务办理7号窗口', 'SWJ'), ('A08', '民政服务8号窗口', 'MZJ'),
		('A09', '卫生健康9号窗口', 'WJW'), ('A10', '住房建设10号窗口', 'ZJJ'),
		('A11', '不动产登记11号窗口', 'BDC'), ('A12', '公积金12号窗口', 'GJJ');

	-- Work tables (dropped at commit; a second call in one transaction
	-- starts afresh).
	FOREACH v_g IN ARRAY ARRAY['t_item', 't_staff', 't_day', 't_islot', 't_wc', 't_dc', 't_wd', 't_app', 't_inq', 't_rate', 't_out', 't_tk'] LOOP
		IF to_regclass('pg_temp.' || v_g) IS NOT NULL THEN
			EXECUTE format('DROP TABLE pg_temp.%I', v_g);
		END IF;
	END LOOP;
	-- idx, code, name, department, category, promised days, weight (cases
	-- per thousand: the weights add up to 1000, one slot of t_islot each),
	-- entity share (法人), online (nothing to collect at the hall: the
	-- result is sent or mailed; hall.items.online), net share (of the
	-- item's cases submitted on the web or the app), materials.  The
	-- weighted sums are the seed city's shares: see the top of this file.
	CREATE TEMP TABLE t_item ON COMMIT DROP AS
	SELECT v.idx, v.code, v.name, v.dept, v.cat, v.days, v.w, v.e, v.online, v.net, v.mats, NULL::int AS id, NULL::int AS m_first,
	       NULL::text AS w1, NULL::text AS w2, NULL::int AS sup_id, NULL::text AS sup_login
	FROM (VALUES
	 (1, 'SCJG001', '食品经营许可证核发', 'SCJG', '行政许可', 10, 40, 0.85, false, 0.75, '{身份证原件及复印件,营业执照副本,食品经营许可申请书,经营场所平面图,食品安全管理制度文本,委托书}'::text[]),
	 (2, 'SCJG002', '个体工商户设立登记', 'SCJG', '行政许可', 3, 40, 0.00, false, 0.75, '{身份证原件及复印件,个体工商户登记申请书,经营场所使用证明}'),
	 (3, 'SCJG003', '有限责任公司设立登记', 'SCJG', '行政许可', 3, 32, 0.95, false, 0.88, '{公司登记申请书,公司章程,股东身份证明,住所使用证明,法定代表人任职文件}'),
	 (4, 'SCJG004', '营业执照变更登记', 'SCJG', '行政许可', 3, 32, 0.95, false, 0.88, '{变更登记申请书,营业执照正副本,股东会决议,委托书}'),
	 (5, 'SCJG005', '营业执照注销登记', 'SCJG', '行政许可', 5, 22, 0.95, true, 0.90, '{注销登记申请书,营业执照正副本,清税证明,清算报告}'),
	 (6, 'SCJG006', '小餐饮经营许可', 'SCJG', '行政许可', 7, 14, 0.30, false, 0.60, '{身份证原件及复印件,申请表,经营场所证明,从业人员健康证明}'),
	 (7, 'SCJG007', '药品零售企业经营许可', 'SCJG', '行政许可', 15, 6, 1.00, false, 0.85, '{申请表,营业执照副本,执业药师注册证,房屋产权证明,质量管理文件}'),
	 (8, 'SCJG008', '特种设备使用登记', 'SCJG', '行政确认', 5, 22, 1.00, false, 0.80, '{使用登记表,产品合格证,监督检验证书,营业执照副本}'),
	 (9, 'RSJ001', '城乡居民基本养老保险参保登记', 'RSJ', '社会保障', 3, 20, 0.00, true, 0.80, '{身份证原件及复印件,户口簿,参保登记表}'),
	 (10, 'RSJ002', '失业保险金申领', 'RSJ', '社会保障', 5, 20, 0.00, true, 0.92, '{身份证原件及复印件,解除劳动合同证明,银行卡,申请表}'),
	 (11, 'RSJ003', '企业职工基本养老保险待遇申领', 'RSJ', '社会保障', 10, 14, 0.00, true, 0.75, '{身份证原件及复印件,退休审批表,银行卡,申请表}'),
	 (12, 'RSJ004', '社会保障卡申领', 'RSJ', '社会保障', 5, 24, 0.00, false, 0.68, '{身份证原件及复印件,近期免冠照片,申请表}'),
	 (13, 'RSJ005', '就业创业证申领', 'RSJ', '劳动就业', 3, 14, 0.00, true, 0.85, '{身份证原件及复印件,户口簿,申请表}'),
	 (14, 'RSJ006', '职业技能等级证书补发', 'RSJ', '劳动就业', 10, 5, 0.00, false, 0.60, '{身份证原件及复印件,遗失声明,申请表}'),
	 (15, 'RSJ007', '高校毕业生就业见习补贴申领', 'RSJ', '劳动就业', 15, 13, 1.00, true, 0.92, '{营业执照副本,见习协议,补贴申请表,银行开户许可证}'),
	 (16, 'RSJ008', '工伤认定申请', 'RSJ', '行政确认', 20, 16, 0.60, true, 0.80, '{工伤认定申请表,劳动合同,医疗诊断证明,身份证原件及复印件,事故调查报告}'),
	 (17, 'RSJ009', '灵活就业人员社会保险登记', 'RSJ', '劳动就业', 3, 20, 0.00, true, 0.90, '{身份证原件及复印件,登记表}'),
	 (18, 'YBJ001', '医保关系转移接续', 'YBJ', '医保', 10, 16, 0.00, true, 0.92, '{身份证原件及复印件,参保缴费凭证,转移接续申请表}'),
	 (19, 'YBJ002', '异地就医备案', 'YBJ', '医保', 1, 34, 0.00, true, 0.97, '{身份证原件及复印件,备案申请表,异地居住证明}'),
	 (20, 'YBJ003', '门诊慢特病待遇认定', 'YBJ', '医保', 10, 10, 0.00, true, 0.85, '{身份证原件及复印件,诊断证明书,病历资料,申请表}'),
	 (21, 'YBJ004', '城乡居民医保参保登记', 'YBJ', '医保', 3, 16, 0.00, true, 0.92, '{身份证原件及复印件,户口簿,参保登记表}'),
	 (22, 'YBJ005', '医疗费用手工报销', 'YBJ', '医保', 15, 10, 0.00, true, 0.80, '{身份证原件及复印件,医疗费用发票,费用明细清单,出院小结,银行卡}'),
	 (23, 'YBJ006', '生育医疗费用报销', 'YBJ', '医保', 10, 8, 0.00, true, 0.90, '{身份证原件及复印件,出生医学证明,医疗费用发票,银行卡}'),
	 (24, 'GAHJ001', '户口迁入', 'GAHJ', '户籍', 5, 16, 0.00, false, 0.50, '{户口簿,身份证原件及复印件,准予迁入证明,房屋产权证明}'),
	 (25, 'GAHJ002', '出生登记', 'GAHJ', '户籍', 1, 16, 0.00, false, 0.75, '{出生医学证明,父母户口簿,父母身份证,结婚证}'),
	 (26, 'GAHJ003', '户口迁出', 'GAHJ', '户籍', 3, 8, 0.00, false, 0.55, '{户口簿,身份证原件及复印件,迁入地准迁证明}'),
	 (27, 'GAHJ004', '居民身份证换领', 'GAHJ', '户籍', 20, 22, 0.00, false, 0.45, '{户口簿,原居民身份证,申请表}'),
	 (28, 'GAHJ005', '居住证办理', 'GAHJ', '户籍', 10, 12, 0.00, false, 0.60, '{身份证原件及复印件,居住证明,近期免冠照片}'),
	 (29, 'GAHJ006', '死亡注销户口', 'GAHJ', '户籍', 1, 4, 0.00, false, 0.30, '{死亡医学证明,户口簿,申报人身份证}'),
	 (30, 'GAHJ007', '户口登记项目变更更正', 'GAHJ', '户籍', 10, 4, 0.00, false, 0.40, '{户口簿,身份证原件及复印件,变更更正证明材料,申请表}'),
	 (31, 'SWJ001', '增值税发票领用', 'SWJ', '税务', 1, 34, 0.95, true, 0.95, '{营业执照副本,经办人身份证,发票领用申请表}'),
	 (32, 'SWJ002', '个人所得税综合所得汇算清缴', 'SWJ', '税务', 5, 14, 0.00, true, 0.98, '{身份证原件及复印件,收入证明,专项附加扣除资料}'),
	 (33, 'SWJ003', '清税证明开具', 'SWJ', '税务', 3, 14, 1.00, true, 0.92, '{营业执照副本,清税申报表,经办人身份证}'),
	 (34, 'SWJ004', '代开增值税普通发票', 'SWJ', '税务', 1, 20, 0.50, false, 0.65, '{身份证原件及复印件,合同或协议,代开发票申请表}'),
	 (35, 'SWJ005', '纳税信用复评', 'SWJ', '其他行政权力', 15, 8, 1.00, true, 0.95, '{复评申请表,营业执照副本,情况说明}'),
	 (36, 'SWJ006', '契税申报缴纳', 'SWJ', '税务', 3, 12, 0.10, true, 0.90, '{身份证原件及复印件,房屋买卖合同,不动产权证书}'),
	 (37, 'MZJ001', '最低生活保障审核', 'MZJ', '社会救助', 20, 10, 0.00, true, 0.60, '{申请书,身份证原件及复印件,户口簿,家庭收入证明,家庭财产状况说明}'),
	 (38, 'MZJ002', '特困人员救助供养认定', 'MZJ', '社会救助', 20, 5, 0.00, true, 0.60, '{申请书,身份证原件及复印件,户口簿,残疾证或诊断证明}'),
	 (39, 'MZJ003', '临时救助申请', 'MZJ', '社会救助', 5, 8, 0.00, true, 0.70, '{申请书,身份证原件及复印件,困难情况证明}'),
	 (40, 'MZJ004', '结婚登记', 'MZJ', '行政确认', 1, 30, 0.00, false, 0.25, '{双方户口簿,双方身份证,近期双人合照}'),
	 (41, 'MZJ005', '高龄津贴申领', 'MZJ', '社会保障', 10, 12, 0.00, true, 0.60, '{身份证原件及复印件,户口簿,银行卡,申请表}'),
	 (42, 'MZJ006', '残疾人两项补贴申领', 'MZJ', '社会救助', 15, 8, 0.00, true, 0.55, '{身份证原件及复印件,残疾人证,申请表,银行卡}'),
	 (43, 'WJW001', '医师执业注册', 'WJW', '行政许可', 15, 10, 0.00, false, 0.85, '{医师资格证书,注册申请审核表,体检证明,聘用证明}'),
	 (44, 'WJW002', '公共场所卫生许可', 'WJW', '行政许可', 10, 14, 0.95, false, 0.85, '{申请表,营业执照副本,卫生检测报告,从业人员健康证明,经营场所平面图}'),
	 (45, 'WJW003', '出生医学证明补发', 'WJW', '基本医疗卫生', 5, 5, 0.00, false, 0.50, '{申请表,父母身份证,户口簿}'),
	 (46, 'WJW004', '母婴保健技术服务执业许可', 'WJW', '行政许可', 20, 3, 1.00, false, 0.80, '{申请表,营业执照副本,人员资质证明,设备清单}'),
	 (47, 'WJW005', '预防接种证补办', 'WJW', '基本医疗卫生', 3, 5, 0.00, false, 0.50, '{申请表,出生医学证明,监护人身份证}'),
	 (48, 'WJW006', '计划生育家庭特别扶助金申领', 'WJW', '基本医疗卫生', 10, 6, 0.00, true, 0.85, '{申请表,身份证原件及复印件,户口簿,独生子女父母光荣证}'),
	 (49, 'ZJJ001', '建筑工程施工许可证核发', 'ZJJ', '行政许可', 7, 10, 1.00, false, 0.90, '{申请表,用地批准手续,建设工程规划许可证,施工合同,资金到位证明}'),
	 (50, 'ZJJ002', '商品房预售许可', 'ZJJ', '行政许可', 10, 5, 1.00, false, 0.90, '{申请表,营业执照副本,国有土地使用证,建设工程规划许可证,施工进度证明}'),
	 (51, 'ZJJ003', '公共租赁住房申请', 'ZJJ', '社会保障', 20, 14, 0.00, true, 0.80, '{申请表,身份证原件及复印件,户口簿,收入证明,住房情况证明}'),
	 (52, 'ZJJ004', '建筑业企业资质核准', 'ZJJ', '行政许可', 20, 5, 1.00, false, 0.95, '{申请表,营业执照副本,人员证书,业绩证明}'),
	 (53, 'ZJJ005', '房屋租赁登记备案', 'ZJJ', '其他行政权力', 3, 20, 0.50, true, 0.88, '{房屋租赁合同,房屋产权证明,双方身份证明}'),
	 (54, 'BDC001', '不动产转移登记', 'BDC', '不动产', 5, 36, 0.15, false, 0.60, '{申请书,身份证原件及复印件,不动产权证书,房屋买卖合同,完税凭证,委托书}'),
	 (55, 'BDC002', '不动产首次登记', 'BDC', '不动产', 10, 10, 0.50, false, 0.75, '{申请书,身份证原件及复印件,土地权属来源证明,房屋竣工验收材料}'),
	 (56, 'BDC003', '不动产抵押登记', 'BDC', '不动产', 3, 24, 0.50, false, 0.75, '{申请书,身份证原件及复印件,不动产权证书,抵押合同,主债权合同}'),
	 (57, 'BDC004', '不动产登记资料查询', 'BDC', '不动产', 1, 14, 0.20, true, 0.70, '{查询申请书,身份证原件及复印件}'),
	 (58, 'BDC005', '不动产变更登记', 'BDC', '不动产', 5, 8, 0.10, false, 0.60, '{申请书,身份证原件及复印件,不动产权证书,变更证明材料}'),
	 (59, 'GJJ001', '住房公积金提取', 'GJJ', '公积金', 3, 42, 0.00, true, 0.95, '{身份证原件及复印件,提取申请表,银行卡,购房合同或租房证明}'),
	 (60, 'GJJ002', '住房公积金个人住房贷款', 'GJJ', '公积金', 15, 16, 0.00, false, 0.50, '{贷款申请表,身份证原件及复印件,婚姻状况证明,房屋买卖合同,收入证明}'),
	 (61, 'GJJ003', '住房公积金缴存登记', 'GJJ', '公积金', 3, 16, 1.00, true, 0.92, '{缴存登记表,营业执照副本,经办人身份证}'),
	 (62, 'GJJ004', '住房公积金异地转移接续', 'GJJ', '公积金', 5, 8, 0.00, true, 0.92, '{身份证原件及复印件,转移接续申请表}'),
	 (63, 'RSJ010', '单位社会保险参保登记', 'RSJ', '社会保障', 5, 24, 1.00, true, 0.92, '{单位参保登记表,营业执照副本,经办人身份证,劳动合同或用工名册}')
	) v(idx, code, name, dept, cat, days, w, e, online, net, mats);

	INSERT INTO hall.items (id, code, name, department_code, category, promised_days, legal_days, online)
	OVERRIDING SYSTEM VALUE
	SELECT idx, code, name, dept, cat, days, greatest(20, days), online
	FROM t_item ORDER BY idx;
	UPDATE t_item SET id = idx;
	INSERT INTO hall.materials (item_id, name, required, ord)
	SELECT t.id, m.name, m.name <> '委托书', m.ord    -- a power of attorney only when someone else applies
	FROM t_item t, unnest(t.mats) WITH ORDINALITY m(name, ord)
	ORDER BY t.idx, m.ord;
	UPDATE t_item t SET m_first = (SELECT min(id) FROM hall.materials m WHERE m.item_id = t.id);

	-- Windows of each item: departments with two windows split their items
	-- (every third item is served by both).
	UPDATE t_item t SET w1 = x.w1, w2 = x.w2
	FROM (
		SELECT i.idx,
		       CASE WHEN cardinality(ws) = 1 THEN ws[1]
		            WHEN k % 3 = 2 THEN ws[2] ELSE ws[1] END AS w1,
		       CASE WHEN cardinality(ws) = 2 AND k % 3 = 0 THEN ws[2] END AS w2
		FROM (SELECT idx, dept, row_number() OVER (PARTITION BY dept ORDER BY idx) AS k FROM t_item) i
		JOIN (SELECT department_code, array_agg(code ORDER BY code) AS ws FROM hall.windows GROUP BY 1) w
		  ON w.department_code = i.dept
	) x
	WHERE x.idx = t.idx;
	INSERT INTO hall.window_items (window_code, item_id)
	SELECT w1, id FROM t_item UNION ALL SELECT w2, id FROM t_item WHERE w2 IS NOT NULL;

	-- The front desk (020): the initials of each item's name in pinyin (a
	-- clerk finds 营业执照变更登记 by "yyzz"), its guide (办事指南) and its
	-- situations (情形) with their material lists.  Each item is filed in
	-- person (本人办理; an entity's: 法定代表人办理) or by an agent holding a
	-- power of attorney (委托代理人办理 / 委托经办人办理: the agent is recorded
	-- with the case, and an item whose list has a 委托书 requires it then,
	-- and only then).  A few supporting documents are optional; the
	-- non-essential ones may be accepted 容缺 (supplied within deferred_days
	-- working days), and the certificates of fact (证明) may be replaced by
	-- a signed commitment (告知承诺).
	UPDATE hall.items i SET initials = v.ini
	FROM (VALUES
		('SCJG001', 'spjyxkzhf'), ('SCJG002', 'gtgshsldj'), ('SCJG003', 'yxzrgssldj'), ('SCJG004', 'yyzzbgdj'),
		('SCJG005', 'yyzzzxdj'), ('SCJG006', 'xcyjyxk'), ('SCJG007', 'yplsqyjyxk'), ('SCJG008', 'tzsbsydj'),
		('RSJ001', 'cxjmjbylbxcbdj'), ('RSJ002', 'sybxjsl'), ('RSJ003', 'qyzgjbylbxdysl'), ('RSJ004', 'shbzksl'),
		('RSJ005', 'jycyzsl'), ('RSJ006', 'zyjndjzsbf'), ('RSJ007', 'gxbysjyjxbtsl'), ('RSJ008', 'gsrdsq'),
		('RSJ009', 'lhjyryshbxdj'), ('RSJ010', 'dwshbxcbdj'),
		('YBJ001', 'ybgxzyjx'), ('YBJ002', 'ydjyba'), ('YBJ003', 'mzmtbdyrd'), ('YBJ004', 'cxjmybcbdj'),
		('YBJ005', 'ylfysgbx'), ('YBJ006', 'syylfybx'),
		('GAHJ001', 'hkqr'), ('GAHJ002', 'csdj'), ('GAHJ003', 'hkqc'), ('GAHJ004', 'jmsfzhl'), ('GAHJ005', 'jzzbl'),
		('GAHJ006', 'swzxhk'), ('GAHJ007', 'hkdjxmbggz'),
		('SWJ001', 'zzsfply'), ('SWJ002', 'grsdszhsdhsqj'), ('SWJ003', 'qszmkj'), ('SWJ004', 'dkzzsptfp'),
		('SWJ005', 'nsxyfp'), ('SWJ006', 'qssbjn'),
		('MZJ001', 'zdshbzsh'), ('MZJ002', 'tkryjzgyrd'), ('MZJ003', 'lsjzsq'), ('MZJ004', 'jhdj'),
		('MZJ005', 'gljtsl'), ('MZJ006', 'cjrlxbtsl'),
		('WJW001', 'yszyzc'), ('WJW002', 'ggcswsxk'), ('WJW003', 'csyxzmbf'), ('WJW004', 'mybjjsfwzyxk'),
		('WJW005', 'yfjzzbb'), ('WJW006', 'jhsyjttbfzjsl'),
		('ZJJ001', 'jzgcsgxkzhf'), ('ZJJ002', 'spfysxk'), ('ZJJ003', 'ggzlzfsq'), ('ZJJ004', 'jzyqyzzhz'),
		('ZJJ005', 'fwzldjba'),
		('BDC001', 'bdczydj'), ('BDC002', 'bdcscdj'), ('BDC003', 'bdcdydj'), ('BDC004', 'bdcdjzlcx'), ('BDC005', 'bdcbgdj'),
		('GJJ001', 'zfgjjtq'), ('GJJ002', 'zfgjjgrzfdk'), ('GJJ003', 'zfgjjjcdj'), ('GJJ004', 'zfgjjydzyjx')
	) v(code, ini)
	WHERE i.code = v.code;

	INSERT INTO hall.item_guides (item_id, conditions, fee, result_place, basis)
	SELECT t.id,
	       CASE t.cat
	           WHEN '行政许可' THEN '申请人具备相应的民事行为能力和法定资格，申请事项符合法律、法规规定的许可条件，申请材料齐全、符合法定形式。'
	           WHEN '行政确认' THEN '申请人为依法应当办理确认的当事人，提交的证明材料真实、完整、有效。'
	           WHEN '社会保障' THEN '申请人符合国家和本省社会保险、社会保障政策规定的参保或待遇享受条件。'
	           WHEN '劳动就业' THEN '申请人符合本市就业创业扶持政策规定的条件。'
	           WHEN '医保' THEN '申请人已参加本市基本医疗保险，符合医疗保障政策规定的条件。'
	           WHEN '户籍' THEN '申请人符合户口登记管理规定，提交的证件真实有效。'
	           WHEN '税务' THEN '纳税人已办理税务登记或信息确认，无未办结的涉税事项。'
	           WHEN '社会救助' THEN '申请人家庭收入和财产状况符合本市社会救助标准。'
	           WHEN '基本医疗卫生' THEN '申请人符合国家和本省卫生健康政策规定的条件。'
	           WHEN '不动产' THEN '申请人为不动产权利人或者利害关系人，不动产权属清楚、界址清晰。'
	           WHEN '公积金' THEN '申请人在本市缴存住房公积金，符合住房公积金管理规定的条件。'
	           ELSE '申请人为相关事项的当事人，提交的材料真实、完整、有效。' END,
	       CASE t.code
	           WHEN 'GAHJ004' THEN '工本费20元（有效期满换领；丢失、损坏换领同）'
	           WHEN 'BDC001' THEN '登记费：住宅每件80元，非住宅每件550元'
	           WHEN 'BDC002' THEN '登记费：住宅每件80元，非住宅每件550元'
	           WHEN 'BDC003' THEN '登记费：住宅每件80元，非住宅每件550元'
	           ELSE '不收费' END,
	       CASE WHEN t.online THEN '办理结果以短信告知，电子证照推送至“全省事”APP；需要纸质结果的，可选择免费邮寄送达'
	            ELSE format('市政务服务中心%s领取，或选择免费邮寄送达', w.name) END,
	       CASE t.cat
	           WHEN '行政许可' THEN '《中华人民共和国行政许可法》及相关法律、法规'
	           WHEN '社会保障' THEN '《中华人民共和国社会保险法》'
	           WHEN '劳动就业' THEN '《中华人民共和国就业促进法》'
	           WHEN '医保' THEN '《中华人民共和国社会保险法》《医疗保障基金使用监督管理条例》'
	           WHEN '户籍' THEN '《中华人民共和国户口登记条例》《中华人民共和国居民身份证法》'
	           WHEN '税务' THEN '《中华人民共和国税收征收管理法》'
	           WHEN '社会救助' THEN '《社会救助暂行办法》'
	           WHEN '基本医疗卫生' THEN '《中华人民共和国基本医疗卫生与健康促进法》'
	           WHEN '不动产' THEN '《不动产登记暂行条例》'
	           WHEN '公积金' THEN '《住房公积金管理条例》'
	           ELSE '相关法律、法规和规章' END
	FROM t_item t JOIN hall.windows w ON w.code = t.w1
	ORDER BY t.idx;

	INSERT INTO hall.situations (item_id, code, name, by_agent, ord)
	SELECT t.id, s.code, CASE WHEN t.e >= 0.95 THEN s.ename ELSE s.pname END, s.by_agent, s.ord
	FROM t_item t
	CROSS JOIN (VALUES ('self', '本人办理', '法定代表人办理', false, 1),
	                   ('agent', '委托代理人办理', '委托经办人办理', true, 2)) s(code, pname, ename, by_agent, ord)
	ORDER BY t.idx, s.ord;
	INSERT INTO hall.situation_materials (situation_id, item_id, material_id, required, may_defer, may_commit, ord)
	SELECT s.id, s.item_id, m.id, NOT x.optional, x.defer AND NOT x.optional, x.commit AND NOT x.optional, m.ord
	FROM hall.situations s
	JOIN hall.materials m ON m.item_id = s.item_id
	CROSS JOIN LATERAL (SELECT
		m.name = ANY ('{经营场所平面图,专项附加扣除资料,病历资料,费用明细清单,设备清单,事故调查报告,情况说明}'::text[]) AS optional,
		m.name = ANY ('{食品安全管理制度文本,从业人员健康证明,股东会决议,清算报告,质量管理文件,卫生检测报告,施工进度证明,资金到位证明,监督检验证书,房屋竣工验收材料,聘用证明,体检证明,人员证书,业绩证明,银行开户许可证,劳动合同或用工名册}'::text[]) AS defer,
		m.name = ANY ('{经营场所使用证明,住所使用证明,经营场所证明,居住证明,异地居住证明,住房情况证明,家庭收入证明,家庭财产状况说明,困难情况证明,婚姻状况证明,解除劳动合同证明,收入证明,房屋产权证明}'::text[]) AS commit
	) x
	WHERE s.by_agent OR m.name <> '委托书'
	ORDER BY s.id, m.ord;

	PERFORM hall_demo.tick('reference data');
	-- ----------------------------------------------------------- staff
	-- The accounts log in with password 'demo'; hall.staff_add wants at
	-- least 8 characters, so the roles are made here the way it makes them.
	CREATE TEMP TABLE t_staff ON COMMIT DROP AS
	SELECT * FROM (VALUES
		(1, 'clerk01', '王丽', 'clerk', 'SCJG', '{A01}'::text[]),
		(2, 'clerk02', '张伟', 'clerk', 'SCJG', '{A02}'),
		(3, 'clerk03', '刘洋', 'clerk', 'RSJ', '{A03}'),
		(4, 'clerk04', '陈静', 'clerk', 'RSJ', '{A04}'),
		(5, 'clerk05', '杨帆', 'clerk', 'YBJ', '{A05}'),
		(6, 'clerk06', '赵敏', 'clerk', 'GAHJ', '{A06}'),
		(7, 'clerk07', '黄磊', 'clerk', 'SWJ', '{A07}'),
		(8, 'clerk08', '周婷', 'clerk', 'MZJ', '{A08}'),
		(9, 'clerk09', '吴昊', 'clerk', 'WJW', '{A09}'),
		(10, 'clerk10', '徐娜', 'clerk', 'ZJJ', '{A10}'),
		(11, 'clerk11', '孙浩', 'clerk', 'BDC', '{A11}'),
		(12, 'clerk12', '马丽娟', 'clerk', 'GJJ', '{A12}'),
		(13, 'clerk13', '朱红', 'clerk', 'SCJG', '{A01,A02}'),
		(14, 'clerk14', '胡军', 'clerk', 'RSJ', '{A03,A04}'),
		(15, 'clerk15', '郭晓燕', 'clerk', 'GAHJ', '{A06}'),
		(16, 'clerk16', '何志强', 'clerk', 'SWJ', '{A07}'),
		(17, 'clerk17', '高雪', 'clerk', 'BDC', '{A11}'),
		(18, 'clerk18', '林涛', 'clerk', 'GJJ', '{A12}'),
		(19, 'clerk19', '罗静怡', 'clerk', 'YBJ', '{A05}'),
		(20, 'clerk20', '郑凯', 'clerk', 'SCJG', '{A02}'),
		(21, 'super01', '李建国', 'supervisor', 'SCJG', '{}'),
		(22, 'super02', '王淑芬', 'supervisor', 'RSJ', '{}'),
		(23, 'super03', '张志刚', 'supervisor', 'BDC', '{}'),
		(24, 'trainer01', '陈晓梅', 'trainer', NULL, '{}')
	) v(id, login, name, kind, dept, windows);

	FOR v_r IN SELECT * FROM t_staff ORDER BY id LOOP
		SELECT * INTO v_role FROM pg_catalog.pg_roles WHERE rolname = v_r.login;
		IF NOT FOUND THEN
			EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', v_r.login, 'demo', 'hall_' || v_r.kind);
		ELSE
			IF v_role.rolsuper OR v_role.rolcreaterole OR v_role.rolbypassrls THEN
				RAISE EXCEPTION 'role % exists with special rights: not a demo staff account', v_r.login
					USING ERRCODE = '42501', HINT = 'reason:role_privileged';
			END IF;
			EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', v_r.login, 'demo');
			FOREACH v_g IN ARRAY ARRAY['hall_clerk', 'hall_supervisor', 'hall_trainer', 'hall_admin'] LOOP
				IF v_g <> 'hall_' || v_r.kind AND pg_has_role(v_r.login, v_g, 'MEMBER') THEN
					EXECUTE format('REVOKE %I FROM %I', v_g, v_r.login);
				END IF;
			END LOOP;
			IF NOT pg_has_role(v_r.login, 'hall_' || v_r.kind, 'MEMBER') THEN
				EXECUTE format('GRANT %I TO %I', 'hall_' || v_r.kind, v_r.login);
			END IF;
		END IF;
	END LOOP;

	-- The guest the login screen lists the training accounts with before
	-- anybody has logged in (src/db/staff.h): a login in no group, with a
	-- public password, that can call hall.demo_accounts() and nothing else
	-- of the schema (doc/security.md).
	SELECT * INTO v_role FROM pg_catalog.pg_roles WHERE rolname = 'hall_demo_guest';
	IF NOT FOUND THEN
		CREATE ROLE hall_demo_guest LOGIN PASSWORD 'guest' NOINHERIT;
	ELSIF v_role.rolsuper OR v_role.rolcreaterole OR v_role.rolbypassrls THEN
		RAISE EXCEPTION 'role hall_demo_guest exists with special rights: not the demo guest'
			USING ERRCODE = '42501', HINT = 'reason:role_privileged';
	END IF;

	-- The accounts must be able to connect even where PUBLIC may not.
	EXECUTE format('GRANT CONNECT ON DATABASE %I TO hall_clerk, hall_supervisor, hall_trainer, hall_demo_guest',
	               current_database());
	GRANT USAGE ON SCHEMA hall TO hall_demo_guest;

	INSERT INTO hall.staff (id, login, name, kind, department_code, active, created_at) OVERRIDING SYSTEM VALUE
	SELECT id, login, name, kind, dept, true, ((v_today - 120)::timestamp + time '09:00' + id * interval '2 min') AT TIME ZONE 'Asia/Shanghai'
	FROM t_staff ORDER BY id;
	INSERT INTO hall.staff_windows (staff_id, window_code)
	SELECT id, w FROM t_staff, unnest(windows) w;
	INSERT INTO hall.audit (at, actor, staff_id, action, note, details)
	SELECT ((v_today - 120)::timestamp + time '09:00' + id * interval '2 min') AT TIME ZONE 'Asia/Shanghai',
	       session_user, NULL, 'staff_add', login,
	       jsonb_build_object('staff', id, 'login', login, 'kind', kind, 'department', dept,
	                          'windows', to_jsonb(windows), 'role_existed', false)
	FROM t_staff ORDER BY id;
	UPDATE t_item t SET sup_id = s.id, sup_login = s.login
	FROM t_staff s WHERE s.kind = 'supervisor' AND s.dept = t.dept;

	PERFORM hall_demo.tick('staff');
	-- Clerks of each window and of each department.
	CREATE TEMP TABLE t_wc ON COMMIT DROP AS
	SELECT w AS window_code, array_agg(s.id ORDER BY s.id) AS ids, count(*)::int AS n
	FROM t_staff s, unnest(s.windows) w GROUP BY w;
	CREATE TEMP TABLE t_dc ON COMMIT DROP AS
	SELECT c.dept, array_agg(c.id ORDER BY c.id) AS ids, count(*)::int AS n,
	       (SELECT s.id FROM t_staff s WHERE s.kind = 'supervisor' AND s.dept = c.dept) AS sup
	FROM t_staff c WHERE c.kind = 'clerk' GROUP BY c.dept;

	-- 1000 slots: an item drawn by its weight is t_islot[h % 1000].
	CREATE TEMP TABLE t_islot ON COMMIT DROP AS
	WITH c AS (
		SELECT idx, sum(w) OVER (ORDER BY idx) AS hi, sum(w) OVER () AS tot FROM t_item
	)
	SELECT s, (SELECT c.idx FROM c WHERE s < c.hi * 1000 / c.tot ORDER BY c.idx LIMIT 1) AS idx
	FROM generate_series(0, 999) s;
	ALTER TABLE t_islot ADD PRIMARY KEY (s);

	-- Working days around the 90 days, with midnight (Asia/Shanghai).
	CREATE TEMP TABLE t_wd ON COMMIT DROP AS
	SELECT cum, d, (d::timestamp AT TIME ZONE 'Asia/Shanghai') AS t0
	FROM hall.days WHERE workday AND d BETWEEN v_today - 200 AND v_today + 400;
	ALTER TABLE t_wd ADD PRIMARY KEY (cum);
	SELECT min(cum) - 1, array_agg(t0 ORDER BY cum), array_agg(d ORDER BY cum) INTO v_wbase, v_t0, v_dd FROM t_wd;
	SELECT array_agg(login::text ORDER BY id) INTO v_logins FROM t_staff;
	ANALYZE t_item, t_islot, t_wc, t_dc, t_wd;

	PERFORM hall_demo.tick('lookups');
	-- ------------------------------------------------------- applicants
	-- Persons 1..np, entities np+1..np+ne.  Every name is plain Chinese:
	-- the hostile names (escape sequences in a citizen's name) belong to the
	-- tests that make them (tests/e2e/08_hostile_names.sh), not to a
	-- training room's screens.
	INSERT INTO hall.applicants (id, kind, name, id_number, phone) OVERRIDING SYSTEM VALUE
	SELECT i, 'person', nm, idno, ph
	FROM (
		SELECT i,
		       -- a skewed pick: common surnames are common
		       c_surnames[1 + floor(cardinality(c_surnames) * u(i, v_s + 101) ^ 2.2)::int]
		       || CASE WHEN male THEN pick(c_male, h(i, v_s + 102)) ELSE pick(c_female, h(i, v_s + 102)) END
		       || CASE WHEN u(i, v_s + 103) < 0.62
		               THEN CASE WHEN male THEN pick(c_male, h(i, v_s + 104)) ELSE pick(c_female, h(i, v_s + 104)) END
		               ELSE '' END AS nm,
		       s17 || id_check(s17) AS idno,
		       pick(c_phone, h(i, v_s + 105)) || lpad((h(i, v_s + 106) % 100000000)::text, 8, '0') AS ph
		FROM (
			SELECT i, male,
			       pick(c_areas, h(i, v_s + 107))
			       || to_char(date '1948-01-01' + floor(u(i, v_s + 108) * 21550)::int, 'YYYYMMDD')
			       || lpad((((h(i, v_s + 109) % 500) * 2) + CASE WHEN male THEN 1 ELSE 0 END)::text, 3, '0') AS s17
			FROM (SELECT i, u(i, v_s + 100) < 0.5 AS male FROM generate_series(1, v_np) i) a
		) b
	) c;
	INSERT INTO hall.applicants (id, kind, name, id_number, phone) OVERRIDING SYSTEM VALUE
	SELECT v_np + i, 'entity',
	       '哈尔滨' || pick(c_brand, h(i, v_s + 111)) || pick(c_brand, h(i, v_s + 112)) || pick(c_trade, h(i, v_s + 113)),
	       uscc('91', pick(c_areas, h(i, v_s + 114)), lpad((h(i, v_s + 115) % 100000000)::text, 8, '0')),
	       pick(c_phone, h(i, v_s + 116)) || lpad((h(i, v_s + 117) % 100000000)::text, 8, '0')
	FROM generate_series(1, v_ne) i;

	PERFORM hall_demo.tick('applicants');
	-- ---------------------------------------------------------- cases
	-- How many cases each working day receives (busier on Mondays and after
	-- holidays); cases are numbered in time order, so a case's id is its
	-- row number and its daily sequence is its place in the day.  Rows 1-3
	-- are the first day's first cases.
	CREATE TEMP TABLE t_day ON COMMIT DROP AS
	WITH w AS (
		SELECT x.cum AS c, x.d,
		       (CASE extract(isodow FROM x.d) WHEN 1 THEN 1.25 WHEN 2 THEN 1.1 WHEN 5 THEN 0.9 ELSE 1.0 END
		        * CASE WHEN NOT y.workday AND extract(isodow FROM y.d) < 6 THEN 1.3 ELSE 1.0 END
		        * (0.85 + 0.3 * u(x.cum, v_s + 90)))::double precision AS w
		FROM hall.days x JOIN hall.days y ON y.d = x.d - 1
		WHERE x.workday AND x.cum BETWEEN v_cmin AND v_e
	), c AS (
		SELECT w.c, w.d,
		       CASE WHEN w.c = v_e THEN v_total - 3
		            ELSE floor(sum(w.w) OVER (ORDER BY w.c) / sum(w.w) OVER () * (v_total - 3))::bigint END AS hi
		FROM w
	)
	SELECT c.c, c.d,
	       coalesce(lag(c.hi) OVER (ORDER BY c.c), 0) + CASE WHEN c.c = v_cmin THEN 1 ELSE 4 END AS first_i,
	       c.hi - coalesce(lag(c.hi) OVER (ORDER BY c.c), 0) + CASE WHEN c.c = v_cmin THEN 3 ELSE 0 END AS n
	FROM c;

	-- t_app: one row per case with its path.  x1..x14 encode each step as
	-- cum*100000 + second of the day (NULL: not on this case's path); a step
	-- has happened when x <= v_lim (the end of yesterday).
	--   1 submit  2 withdraw(submitted)  3 claim  4 return#1  5 resubmit#1 (or withdraw)
	--   6 claim  7 return#2  8 resubmit#2 (or withdraw)  9 claim
	--   10 request_extension  11 grant/refuse_extension  12 escalate  13 decide
	--   14 approve | reject | withdraw(in review)
	CREATE TEMP TABLE t_app ON COMMIT DROP AS
	WITH b AS (
		-- the case's draws
		SELECT g.i, g.c0, g.x1,
		       it.id AS item_id, it.name AS item_name, it.dept, it.days, it.m_first,
		       cardinality(it.mats) AS m_count, it.sup_id, it.sup_login,
		       CASE WHEN it.w2 IS NULL OR u(g.i, v_s + 2) < 0.5 THEN it.w1 ELSE it.w2 END AS win,
		       CASE WHEN u(g.i, v_s + 5) < it.e THEN v_np + 1 + h(g.i, v_s + 6) % v_ne
		            ELSE 1 + h(g.i, v_s + 6) % v_np END AS applicant_id,
		       -- the item's net share on the web (55%) and the app; the rest
		       -- at the window (80%) and the kiosks
		       CASE WHEN g.uc < it.net * 0.55 THEN 'web' WHEN g.uc < it.net THEN 'app'
		            WHEN g.uc < it.net + (1 - it.net) * 0.8 THEN 'window' ELSE 'kiosk' END AS channel,
		       h(g.i, v_s + 7) AS hclerk,
		       -- old cases are closed by yesterday; others within 45 working days
		       least(g.c0 + 45, CASE WHEN g.c0 < v_cmin + greatest(6, v_acc + 1) THEN v_e ELSE g.c0 + 45 END) AS cap,
		       u(g.i, v_s + 14) < 0.03 AS ws,
		       CASE WHEN u(g.i, v_s + 8) < 0.35 THEN 0 WHEN u(g.i, v_s + 8) < 0.65 THEN 1 WHEN u(g.i, v_s + 8) < 0.80 THEN 2
		            WHEN u(g.i, v_s + 8) < 0.88 THEN 3 WHEN u(g.i, v_s + 8) < 0.93 THEN 4 WHEN u(g.i, v_s + 8) < 0.95 THEN 5
		            ELSE 6 + (h(g.i, v_s + 8) % 4)::int END AS a_d,
		       CASE WHEN u(g.i, v_s + 9) < 0.86 THEN 0 WHEN u(g.i, v_s + 9) < 0.975 THEN 1 ELSE 2 END AS rn,
		       u(g.i, v_s + 10) < 0.28 AS nev,
		       u(g.i, v_s + 11) < 0.40 AS wret,
		       it.sup_id IS NOT NULL AND u(g.i, v_s + 12) < 0.05 AS ext,
		       u(g.i, v_s + 13) < 0.8 AS ext_ok,
		       3 + (h(g.i, v_s + 13) % 8)::int AS ext_days,
		       it.sup_id IS NOT NULL AND u(g.i, v_s + 15) < 0.15 AS esc,
		       CASE WHEN u(g.i, v_s + 16) < 0.65 THEN 'approve' WHEN u(g.i, v_s + 16) < 0.85 THEN 'reject' ELSE 'back' END AS esc_dec,
		       CASE WHEN u(g.i, v_s + 17) < 0.055 THEN 'reject' WHEN u(g.i, v_s + 17) < 0.075 THEN 'withdraw' ELSE 'approve' END AS fin,
		       u(g.i, v_s + 18) < 0.075 AS late,
		       -- working days between steps
		       (h(g.i, v_s + 22) % 3)::int AS i2, (h(g.i, v_s + 24) % 3)::int AS i4,
		       1 + (h(g.i, v_s + 25) % 6)::int AS p1, 3 + (h(g.i, v_s + 26) % 12)::int AS wl1,
		       (h(g.i, v_s + 27) % 2)::int AS i6, (h(g.i, v_s + 29) % 3)::int AS i7,
		       1 + (h(g.i, v_s + 28) % 6)::int AS p2, 3 + (h(g.i, v_s + 30) % 12)::int AS wl2,
		       (h(g.i, v_s + 31) % 2)::int AS i9, (h(g.i, v_s + 32) % 2)::int AS i10,
		       (h(g.i, v_s + 33) % 2)::int AS i11, (h(g.i, v_s + 34) % 2)::int AS i12,
		       -- supervisors decide escalations in a day or two, some later (overdue on their screen)
		       CASE WHEN u(g.i, v_s + 35) < 0.45 THEN (h(g.i, v_s + 36) % 2)::int
		            WHEN u(g.i, v_s + 35) < 0.75 THEN 1 + (h(g.i, v_s + 36) % 3)::int
		            ELSE 3 + (h(g.i, v_s + 36) % 6)::int END AS i13,
		       (h(g.i, v_s + 37) % 4)::int AS iw14, 1 + (h(g.i, v_s + 38) % 5)::int AS il14, u(g.i, v_s + 39) AS u14
		FROM (
			SELECT i, dy.c AS c0,
			       dy.c::bigint * 100000 + 30600 + floor((i - dy.first_i + u(i, v_s + 41)) * 30000.0 / dy.n)::bigint AS x1,
			       -- the item and the channel: a two-dimensional Kronecker
			       -- sequence (i times the golden ratio and sqrt 2, mod 1,
			       -- shifted by the seed), so that any run of consecutive cases
			       -- (a month) has the items' and channels' shares to within a
			       -- few cases, not the noise of independent draws
			       floor(1000 * kr(i, 0.6180339887498949, u(0, v_s + 1)))::int AS slot,
			       kr(i, 0.41421356237309515, u(0, v_s + 4)) AS uc
			FROM t_day dy, generate_series(dy.first_i, dy.first_i + dy.n - 1) i
		) g
		JOIN t_islot sl ON sl.s = g.slot
		JOIN t_item it ON it.idx = sl.idx
		OFFSET 0
	), a AS (
		-- which steps are on the path
		SELECT b.*,
		       ws AS a2,
		       NOT ws AS a3,
		       NOT ws AND rn >= 1 AS a4,
		       NOT ws AND rn >= 1 AND (rn = 2 OR NOT nev OR wret) AS a5,
		       rn = 1 AND nev AND wret AS w5,
		       NOT ws AND (rn = 2 OR (rn = 1 AND NOT nev)) AS a6,
		       NOT ws AND rn = 2 AS a7,
		       NOT ws AND rn = 2 AND (NOT nev OR wret) AS a8,
		       rn = 2 AND nev AND wret AS w8,
		       NOT ws AND rn = 2 AND NOT nev AS a9,
		       NOT ws AND NOT (rn >= 1 AND nev) AS cont
		FROM b
	), r1 AS (
		-- working days (cum) of the steps, uncapped
		SELECT a.*, c0 + i2 AS r2, c0 + a_d AS r3, c0 + a_d + i4 AS r4 FROM a
	), r2 AS (
		SELECT r1.*, r4 + CASE WHEN w5 THEN wl1 ELSE p1 END AS r5 FROM r1
	), r3 AS (
		SELECT r2.*, r5 + i6 AS r6 FROM r2
	), r4 AS (
		SELECT r3.*, r6 + i7 AS r7 FROM r3
	), r5 AS (
		SELECT r4.*, r7 + CASE WHEN w8 THEN wl2 ELSE p2 END AS r8 FROM r4
	), r6 AS (
		SELECT r5.*, r8 + i9 AS r9 FROM r5
	), r7 AS (
		SELECT r6.*, CASE WHEN rn = 0 THEN r3 WHEN rn = 1 THEN r6 ELSE r9 END AS rl FROM r6
	), r8 AS (
		SELECT r7.*, rl + i10 AS r10 FROM r7
	), r9 AS (
		SELECT r8.*, r10 + i11 AS r11 FROM r8
	), r10 AS (
		SELECT r9.*, CASE WHEN ext THEN r11 ELSE rl END + i12 AS r12 FROM r9
	), cap AS (
		SELECT r10.*,
		       least(r2, cap) AS e2, least(r3, cap) AS e3, least(r4, cap) AS e4, least(r5, cap) AS e5,
		       least(r6, cap) AS e6, least(r7, cap) AS e7, least(r8, cap) AS e8, least(r9, cap) AS e9,
		       least(r10, cap) AS e10, least(r11, cap) AS e11, least(r12, cap) AS e12, least(r12 + i13, cap) AS e13,
		       least(rl, cap) AS el
		FROM r10
		OFFSET 0
	), due AS (
		-- the clock: from the claim, or from receipt when claimed late (§32)
		SELECT cap.*,
		       CASE WHEN e3 <= c0 + v_acc THEN e3 ELSE c0 END AS cs,
		       CASE WHEN a5 AND NOT w5 THEN e5 - e4 ELSE 0 END + CASE WHEN a8 AND NOT w8 THEN e8 - e7 ELSE 0 END AS paused_full,
		       CASE WHEN ext AND ext_ok THEN ext_days ELSE 0 END AS ext_full,
		       CASE WHEN esc THEN e13 WHEN ext THEN e11 ELSE el END AS base14
		FROM cap
	), e14 AS (
		SELECT due.*,
		       least(cap, CASE
		           WHEN fin = 'withdraw' THEN base14 + iw14
		           WHEN late THEN greatest(base14, cs + days + ext_full + paused_full + il14)
		           ELSE base14 + floor(u14 ^ 1.3 * greatest(0, cs + days + ext_full + paused_full - base14 + 1))::int
		       END) AS e14
		FROM due
	), xa AS (
		-- times: a step is at its own time of its day, or just after the previous step
		SELECT e14.*,
		       CASE WHEN a2 THEN greatest(e2::bigint * 100000 + 30600 + h(i, v_s + 42) % 30600, x1 + 1800 + h(i, v_s + 55) % 7200) END AS x2,
		       CASE WHEN a3 THEN greatest(e3::bigint * 100000 + 30600 + h(i, v_s + 43) % 30600, x1 + 300 + h(i, v_s + 52) % 5400) END AS x3
		FROM e14
	), xb AS (
		SELECT xa.*, CASE WHEN a4 THEN greatest(e4::bigint * 100000 + 30600 + h(i, v_s + 44) % 30600, x3 + 300 + h(i, v_s + 54) % 3600) END AS x4 FROM xa
	), xc AS (
		SELECT xb.*, CASE WHEN a5 THEN greatest(e5::bigint * 100000 + 30600 + h(i, v_s + 45) % 30600, x4 + 1800 + h(i, v_s + 55) % 7200) END AS x5 FROM xb
	), xd AS (
		SELECT xc.*, CASE WHEN a6 THEN greatest(e6::bigint * 100000 + 30600 + h(i, v_s + 46) % 30600, x5 + 300 + h(i, v_s + 56) % 3600) END AS x6 FROM xc
	), xe AS (
		SELECT xd.*, CASE WHEN a7 THEN greatest(e7::bigint * 100000 + 30600 + h(i, v_s + 47) % 30600, x6 + 300 + h(i, v_s + 54) % 3600) END AS x7 FROM xd
	), xf AS (
		SELECT xe.*, CASE WHEN a8 THEN greatest(e8::bigint * 100000 + 30600 + h(i, v_s + 48) % 30600, x7 + 1800 + h(i, v_s + 55) % 7200) END AS x8 FROM xe
	), xg AS (
		SELECT xf.*, CASE WHEN a9 THEN greatest(e9::bigint * 100000 + 30600 + h(i, v_s + 49) % 30600, x8 + 300 + h(i, v_s + 56) % 3600) END AS x9 FROM xf
	), xh AS (
		SELECT xg.*, CASE WHEN rn = 0 THEN x3 WHEN rn = 1 THEN x6 ELSE x9 END AS xlc FROM xg
	), xi AS (
		SELECT xh.*, CASE WHEN cont AND ext THEN greatest(e10::bigint * 100000 + 30600 + h(i, v_s + 60) % 30600, xlc + 600 + h(i, v_s + 61) % 7200) END AS x10 FROM xh
	), xj AS (
		SELECT xi.*, CASE WHEN cont AND ext THEN greatest(e11::bigint * 100000 + 30600 + h(i, v_s + 62) % 30600, x10 + 900 + h(i, v_s + 63) % 7200) END AS x11 FROM xi
	), xk AS (
		SELECT xj.*, CASE WHEN cont AND esc THEN greatest(e12::bigint * 100000 + 30600 + h(i, v_s + 64) % 30600, coalesce(x11, xlc) + 600 + h(i, v_s + 65) % 7200) END AS x12 FROM xj
	), xl AS (
		SELECT xk.*, CASE WHEN cont AND esc THEN greatest(e13::bigint * 100000 + 30600 + h(i, v_s + 66) % 30600, x12 + 900 + h(i, v_s + 67) % 7200) END AS x13 FROM xk
	), xm AS (
		SELECT xl.*, CASE WHEN cont AND (NOT esc OR esc_dec = 'back')
		                  THEN greatest(e14::bigint * 100000 + 30600 + h(i, v_s + 68) % 30600, coalesce(x13, x11, xlc) + 600 + h(i, v_s + 69) % 7200) END AS x14
		FROM xl
		OFFSET 0
	), st AS (
		SELECT xm.*,
		       CASE
		           WHEN x14 <= v_lim THEN CASE fin WHEN 'approve' THEN 'completed' WHEN 'reject' THEN 'rejected' ELSE 'withdrawn' END
		           WHEN x13 <= v_lim THEN CASE esc_dec WHEN 'approve' THEN 'completed' WHEN 'reject' THEN 'rejected' ELSE 'in_review' END
		           WHEN x12 <= v_lim THEN 'escalated'
		           WHEN x11 <= v_lim OR x10 <= v_lim OR x9 <= v_lim THEN 'in_review'
		           WHEN x8 <= v_lim THEN CASE WHEN w8 THEN 'withdrawn' ELSE 'submitted' END
		           WHEN x7 <= v_lim THEN 'returned'
		           WHEN x6 <= v_lim THEN 'in_review'
		           WHEN x5 <= v_lim THEN CASE WHEN w5 THEN 'withdrawn' ELSE 'submitted' END
		           WHEN x4 <= v_lim THEN 'returned'
		           WHEN x3 <= v_lim THEN 'in_review'
		           WHEN x2 <= v_lim THEN 'withdrawn'
		           ELSE 'submitted'
		       END AS state,
		       -- the last step taken (the steps of a path are in time order)
		       CASE WHEN x14 <= v_lim THEN x14 WHEN x13 <= v_lim THEN x13 WHEN x12 <= v_lim THEN x12
		            WHEN x11 <= v_lim THEN x11 WHEN x10 <= v_lim THEN x10 WHEN x9 <= v_lim THEN x9
		            WHEN x8 <= v_lim THEN x8 WHEN x7 <= v_lim THEN x7 WHEN x6 <= v_lim THEN x6
		            WHEN x5 <= v_lim THEN x5 WHEN x4 <= v_lim THEN x4 WHEN x3 <= v_lim THEN x3
		            WHEN x2 <= v_lim THEN x2 ELSE x1 END AS xlast,
		       -- the claim held now (a return or resubmission drops it)
		       CASE WHEN x9 <= v_lim THEN x9
		            WHEN x7 <= v_lim THEN NULL WHEN x6 <= v_lim THEN x6
		            WHEN x4 <= v_lim THEN NULL WHEN x3 <= v_lim THEN x3 END AS xclaim,
		       coalesce(x4 <= v_lim, false)::int + coalesce(x7 <= v_lim, false)::int AS return_count,
		       coalesce(CASE WHEN x5 <= v_lim AND NOT w5 THEN e5 - e4 END, 0)
		       + coalesce(CASE WHEN x8 <= v_lim AND NOT w8 THEN e8 - e7 END, 0) AS paused_days,
		       CASE WHEN x11 <= v_lim AND ext_ok THEN ext_days ELSE 0 END AS extension_days,
		       (h(i, v_s + 80) % m_count)::int AS m1,
		       ((h(i, v_s + 80) % m_count + 1 + h(i, v_s + 81) % (m_count - 1)) % m_count)::int AS m2,
		       u(i, v_s + 82) < 0.4 AS two,
		       u(i, v_s + 83) < 0.15 AS br_draw
		FROM xm
	), rt AS (
		SELECT st.*,
		       (greatest(m1, CASE WHEN two THEN m2 ELSE m1 END) + 1) % m_count AS m3
		FROM st
		OFFSET 0
	)
	SELECT i AS id, i, c0, item_id, item_name, dept, days, m_first, m_count, sup_id, sup_login, win, applicant_id,
	       channel, state, xlast, xclaim, return_count, paused_days, extension_days, cs, paused_full, e3, e4, e5, e7, e8, e12,
	       w5, w8, ext, ext_ok, ext_days, esc, esc_dec, fin,
	       x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14,
	       to_char(dy.d, 'YYMMDD') || '-' || CASE WHEN i - dy.first_i + 1 < 10000 THEN lpad((i - dy.first_i + 1)::text, 4, '0')
	                                             ELSE (i - dy.first_i + 1)::text END AS case_no,
	       wc.ids[1 + (rt.hclerk % wc.n)::int] AS clerk_id,
	       CASE WHEN x3 <= v_lim THEN e3 END AS acc_c,
	       CASE WHEN x3 <= v_lim THEN cs END AS cs_c,
	       CASE WHEN state = 'returned' OR (state = 'withdrawn' AND (x8 <= v_lim AND w8 OR x5 <= v_lim AND w5))
	            THEN CASE WHEN x7 <= v_lim THEN e7 ELSE e4 END END AS ret_c,
	       -- the materials each return names; a second return names what was
	       -- resubmitted (one-time notice kept) or, rarely, something new
	       -- (a breach, with its reason)
	       CASE WHEN a4 THEN CASE WHEN two THEN ARRAY[m_first + least(m1, m2), m_first + greatest(m1, m2)]
	                              ELSE ARRAY[m_first + m1] END END AS ret1,
	       a7 AND br_draw AND m3 <> m1 AND NOT (two AND m3 = m2) AS br2,
	       CASE WHEN a7 THEN CASE WHEN br_draw AND m3 <> m1 AND NOT (two AND m3 = m2) THEN ARRAY[m_first + m3]
	                              ELSE ARRAY[m_first + CASE WHEN two THEN least(m1, m2) ELSE m1 END] END END AS ret2,
	       CASE WHEN a4 AND u(i, v_s + 84) < 0.3 THEN pick(c_defects, h(i, v_s + 84)) ELSE '' END AS def1,
	       CASE WHEN a7 AND u(i, v_s + 85) < 0.5 THEN pick(c_defects, h(i, v_s + 85)) ELSE '' END AS def2,
	       CASE WHEN esc THEN pick(c_esc, h(i, v_s + 70)) END AS esc_reason,
	       CASE
	           WHEN fin = 'approve' AND x14 IS NOT NULL THEN pick(c_approve, h(i, v_s + 71))
	           WHEN fin = 'reject' AND x14 IS NOT NULL THEN pick(c_reject, h(i, v_s + 72))
	           WHEN esc_dec = 'approve' AND x13 IS NOT NULL THEN pick(c_sup_approve, h(i, v_s + 71))
	           WHEN esc_dec = 'reject' AND x13 IS NOT NULL THEN pick(c_reject, h(i, v_s + 72))
	           ELSE ''
	       END AS dnote,
	       CASE WHEN esc THEN pick(c_back, h(i, v_s + 74)) END AS back_note,
	       CASE WHEN ext THEN pick(c_ext_reason, h(i, v_s + 75)) END AS ext_reason,
	       CASE WHEN ext THEN CASE WHEN ext_ok THEN pick(c_ext_yes, h(i, v_s + 76)) ELSE pick(c_ext_no, h(i, v_s + 76)) END END AS ext_note
	FROM rt
	JOIN t_day dy ON dy.c = rt.c0
	JOIN t_wc wc ON wc.window_code = rt.win;
	ALTER TABLE t_app ADD PRIMARY KEY (id);
	PERFORM hall_demo.tick('t_app');
	ANALYZE t_app;

	-- Case numbers: the day and its sequence.  Deadlines: joins on hall.days
	-- by cum, exactly hall.workday_add's answer (hash joins: one pass over
	-- hall.days instead of an index probe per case and date).
	PERFORM set_config('enable_nestloop', 'off', true);
	PERFORM set_config('enable_mergejoin', 'off', true);
	INSERT INTO hall.applications (id, case_no, item_id, applicant_id, department_code, window_code, channel, state,
		received_at, received_on, accept_due, accepted_on, clock_start, promised_days, extension_days, paused_days,
		returned_on, due_date, sort_due, claimed_by, claimed_at, escalated_at, escalation_reason, escalation_due,
		return_count, closed_at, closed_by, decision_note, updated_at)
	OVERRIDING SYSTEM VALUE
	SELECT a.id, a.case_no, a.item_id, a.applicant_id, a.dept, a.win, a.channel, a.state,
	       ts(v_t0, v_wbase, a.x1), rd.d, ad.d, acc.d, csd.d, a.days, a.extension_days, a.paused_days,
	       retd.d, dued.d,
	       CASE WHEN a.state IN ('returned', 'completed', 'rejected', 'withdrawn') THEN 'infinity'::date
	            WHEN a.acc_c IS NULL THEN ad.d ELSE dued.d END,
	       CASE WHEN a.held THEN a.clerk_id END,
	       CASE WHEN a.held THEN ts(v_t0, v_wbase, a.xclaim) END,
	       CASE WHEN a.x12 <= v_lim THEN ts(v_t0, v_wbase, a.x12) END,
	       CASE WHEN a.x12 <= v_lim THEN a.esc_reason END,
	       CASE WHEN a.state = 'escalated' THEN escd.d END,
	       a.return_count,
	       CASE WHEN a.state IN ('completed', 'rejected', 'withdrawn') THEN ts(v_t0, v_wbase, a.xlast) END,
	       CASE WHEN a.state IN ('completed', 'rejected') THEN CASE WHEN a.x14 <= v_lim THEN a.clerk_id ELSE a.sup_id END END,
	       CASE WHEN a.state IN ('completed', 'rejected') THEN a.dnote END,
	       ts(v_t0, v_wbase, a.xlast)
	FROM (SELECT t.*,
	             t.xclaim IS NOT NULL AND (t.state IN ('in_review', 'escalated', 'completed', 'rejected')
	                                       OR (t.state = 'withdrawn' AND t.x14 <= v_lim)) AS held
	      FROM t_app t) a
	JOIN hall.days rd ON rd.workday AND rd.cum = a.c0
	JOIN hall.days ad ON ad.workday AND ad.cum = a.c0 + v_acc
	LEFT JOIN hall.days acc ON acc.workday AND acc.cum = a.acc_c
	LEFT JOIN hall.days csd ON csd.workday AND csd.cum = a.cs_c
	LEFT JOIN hall.days dued ON dued.workday AND dued.cum = a.cs_c + a.days + a.extension_days + a.paused_days
	LEFT JOIN hall.days retd ON retd.workday AND retd.cum = a.ret_c
	LEFT JOIN hall.days escd ON escd.workday AND escd.cum = CASE WHEN a.state = 'escalated' THEN a.e12 + v_escd END;
	PERFORM set_config('enable_nestloop', 'on', true);
	PERFORM set_config('enable_mergejoin', 'on', true);
	PERFORM hall_demo.tick('applications');
	-- Their numbers for the search (014: its trigger does not fire for a replica).
	INSERT INTO hall.case_numbers (app_id, case_no) SELECT a.id, a.case_no FROM hall.applications a;

	-- Counters, so that hall.submit continues each day's sequence.
	INSERT INTO hall.case_counters (day, n)
	SELECT received_on, count(*) FROM hall.applications GROUP BY received_on;

	-- Every material of the item, as hall.submit records them; the returns
	-- mark theirs missing, the resubmissions resubmitted.
	INSERT INTO hall.application_materials (app_id, material_id, status, updated_at)
	SELECT a.id, a.m_first + k,
	       CASE WHEN a.x7 <= v_lim AND a.m_first + k = ANY (a.ret2) THEN
	                CASE WHEN a.x8 <= v_lim AND NOT a.w8 THEN 'resubmitted' ELSE 'missing' END
	            WHEN a.x4 <= v_lim AND a.m_first + k = ANY (a.ret1) THEN
	                CASE WHEN a.x5 <= v_lim AND NOT a.w5 THEN 'resubmitted' ELSE 'missing' END
	            ELSE 'submitted' END,
	       CASE WHEN a.x7 <= v_lim AND a.m_first + k = ANY (a.ret2) THEN
	                CASE WHEN a.x8 <= v_lim AND NOT a.w8 THEN ts(v_t0, v_wbase, a.x8) ELSE ts(v_t0, v_wbase, a.x7) END
	            WHEN a.x4 <= v_lim AND a.m_first + k = ANY (a.ret1) THEN
	                CASE WHEN a.x5 <= v_lim AND NOT a.w5 THEN ts(v_t0, v_wbase, a.x5) ELSE ts(v_t0, v_wbase, a.x4) END
	            ELSE ts(v_t0, v_wbase, a.x1) END
	FROM t_app a, generate_series(0, a.m_count - 1) k;
	PERFORM hall_demo.tick('application_materials');

	-- Returns with their one-time notice, worded as hall.return_for_correction words it.
	INSERT INTO hall.returns (app_id, seq, material_ids, defects, notice, breach, breach_reason, staff_id,
		returned_at, resubmitted_at, resubmitted_ids)
	SELECT r.id, r.seq, r.ids, r.defects,
	       format('一次性告知：您申请的「%s」（办件号 %s）需补正以下全部内容：', r.item_name, r.case_no)
	       || E'\n' || array_to_string(ARRAY(
	              SELECT format('%s. %s', k, n)
	              FROM unnest(ARRAY(SELECT m.name FROM hall.materials m WHERE m.id = ANY (r.ids) ORDER BY m.ord, m.id)
	                          || CASE WHEN r.defects <> '' THEN ARRAY['其他问题：' || r.defects] ELSE '{}'::text[] END)
	                   WITH ORDINALITY x(n, k)
	              ORDER BY k), E'\n')
	       || E'\n' || '请一次性补齐后重新提交；补正期间办理时限暂停计算。',
	       r.breach, CASE WHEN r.breach THEN '首次审查时遗漏该项材料，已报科长同意补充告知' END,
	       r.clerk_id, r.returned_at, r.resubmitted_at, CASE WHEN r.resubmitted_at IS NOT NULL THEN r.ids END
	FROM (
		SELECT a.id, 1 AS seq, a.ret1 AS ids, a.def1 AS defects, false AS breach, a.clerk_id, a.item_name,
		       a.case_no, ts(v_t0, v_wbase, a.x4) AS returned_at,
		       CASE WHEN a.x5 <= v_lim AND NOT a.w5 THEN ts(v_t0, v_wbase, a.x5) END AS resubmitted_at
		FROM t_app a
		WHERE a.x4 <= v_lim
		UNION ALL
		SELECT a.id, 2, a.ret2, a.def2, a.br2, a.clerk_id, a.item_name, a.case_no, ts(v_t0, v_wbase, a.x7),
		       CASE WHEN a.x8 <= v_lim AND NOT a.w8 THEN ts(v_t0, v_wbase, a.x8) END
		FROM t_app a
		WHERE a.x7 <= v_lim
	) r
	ORDER BY r.returned_at, r.id, r.seq;

	-- Extensions (延期): asked by the clerk, decided by the supervisor (at
	-- most one per case here, so it has the case's id).
	INSERT INTO hall.extensions (id, app_id, days, reason, requested_by, requested_at, state, decided_by, decided_at, note)
	OVERRIDING SYSTEM VALUE
	SELECT a.id, a.id, a.ext_days, a.ext_reason, a.clerk_id, ts(v_t0, v_wbase, a.x10),
	       CASE WHEN NOT a.x11 <= v_lim THEN 'pending' WHEN a.ext_ok THEN 'granted' ELSE 'refused' END,
	       CASE WHEN a.x11 <= v_lim THEN a.sup_id END,
	       CASE WHEN a.x11 <= v_lim THEN ts(v_t0, v_wbase, a.x11) END,
	       CASE WHEN a.x11 <= v_lim THEN a.ext_note END
	FROM t_app a
	WHERE a.x10 <= v_lim
	ORDER BY a.id;
	PERFORM hall_demo.tick('returns, extensions');

	-- The audit rows of every step taken, as the transition functions write
	-- them (hall.log: action, from and to state, note, details).
	INSERT INTO hall.audit (at, actor, staff_id, action, app_id, applicant_id, from_state, to_state, note, details)
	SELECT ts(v_t0, v_wbase, v.x),
	       CASE WHEN v.k IN (3, 4, 6, 7, 9, 10, 12) OR (v.k = 14 AND a.fin <> 'withdraw') THEN v_logins[a.clerk_id]
	            WHEN v.k IN (11, 13) THEN a.sup_login ELSE 'portal' END,
	       CASE WHEN v.k IN (3, 4, 6, 7, 9, 10, 12) OR (v.k = 14 AND a.fin <> 'withdraw') THEN a.clerk_id
	            WHEN v.k IN (11, 13) THEN a.sup_id END,
	       CASE v.k
	           WHEN 1 THEN 'submit' WHEN 2 THEN 'withdraw' WHEN 3 THEN 'claim' WHEN 4 THEN 'return'
	           WHEN 5 THEN CASE WHEN a.w5 THEN 'withdraw' ELSE 'resubmit' END
	           WHEN 6 THEN 'claim' WHEN 7 THEN 'return'
	           WHEN 8 THEN CASE WHEN a.w8 THEN 'withdraw' ELSE 'resubmit' END
	           WHEN 9 THEN 'claim' WHEN 10 THEN 'request_extension'
	           WHEN 11 THEN CASE WHEN a.ext_ok THEN 'grant_extension' ELSE 'refuse_extension' END
	           WHEN 12 THEN 'escalate' WHEN 13 THEN 'decide' ELSE a.fin END,
	       a.id, CASE WHEN v.k = 1 THEN a.applicant_id END,
	       CASE WHEN v.k IN (1) THEN NULL WHEN v.k IN (2, 3, 6, 9) THEN 'submitted' WHEN v.k IN (5, 8) THEN 'returned'
	            WHEN v.k = 13 THEN 'escalated' ELSE 'in_review' END,
	       CASE v.k
	           WHEN 1 THEN 'submitted' WHEN 2 THEN 'withdrawn' WHEN 4 THEN 'returned' WHEN 7 THEN 'returned'
	           WHEN 5 THEN CASE WHEN a.w5 THEN 'withdrawn' ELSE 'submitted' END
	           WHEN 8 THEN CASE WHEN a.w8 THEN 'withdrawn' ELSE 'submitted' END
	           WHEN 12 THEN 'escalated'
	           WHEN 13 THEN CASE a.esc_dec WHEN 'approve' THEN 'completed' WHEN 'reject' THEN 'rejected' ELSE 'in_review' END
	           WHEN 14 THEN CASE a.fin WHEN 'approve' THEN 'completed' WHEN 'reject' THEN 'rejected' ELSE 'withdrawn' END
	           ELSE 'in_review' END,
	       CASE v.k
	           WHEN 4 THEN a.def1
	           WHEN 7 THEN a.def2
	           WHEN 10 THEN a.ext_reason
	           WHEN 11 THEN a.ext_note
	           WHEN 12 THEN a.esc_reason
	           WHEN 13 THEN CASE WHEN a.esc_dec = 'back' THEN a.back_note ELSE a.dnote END
	           WHEN 14 THEN CASE WHEN a.fin = 'withdraw' THEN '' ELSE a.dnote END
	           ELSE '' END,
	       CASE v.k
	           WHEN 1 THEN jsonb_build_object('channel', a.channel, 'window', a.win, 'case_no', a.case_no)
	           WHEN 3 THEN jsonb_build_object('accepted', true, 'late', a.e3 > a.c0 + v_acc, 'clock_start', v_dd[a.cs - v_wbase])
	           WHEN 6 THEN '{}'::jsonb
	           WHEN 9 THEN '{}'::jsonb
	           WHEN 4 THEN jsonb_build_object('seq', 1, 'material_ids', to_jsonb(a.ret1), 'breach', false, 'breach_reason', NULL)
	           WHEN 7 THEN jsonb_build_object('seq', 2, 'material_ids', to_jsonb(a.ret2), 'breach', a.br2,
	                                          'breach_reason', CASE WHEN a.br2 THEN '首次审查时遗漏该项材料，已报科长同意补充告知' END)
	           WHEN 5 THEN CASE WHEN NOT a.w5 THEN jsonb_build_object('material_ids', to_jsonb(a.ret1),
	                           'paused_days', a.e5 - a.e4, 'returned_on', ts(v_t0, v_wbase, a.x4)::date) END
	           WHEN 8 THEN CASE WHEN NOT a.w8 THEN jsonb_build_object('material_ids', to_jsonb(a.ret2),
	                           'paused_days', a.e8 - a.e7, 'returned_on', ts(v_t0, v_wbase, a.x7)::date) END
	           WHEN 10 THEN jsonb_build_object('extension_id', a.id, 'days', a.ext_days)
	           WHEN 11 THEN jsonb_build_object('extension_id', a.id, 'days', a.ext_days, 'granted', a.ext_ok,
	                            'due_before', v_dd[a.cs + a.days + a.paused_full - v_wbase],
	                            'due_after', v_dd[a.cs + a.days + a.paused_full + CASE WHEN a.ext_ok THEN a.ext_days ELSE 0 END - v_wbase])
	           WHEN 13 THEN jsonb_build_object('decision', a.esc_dec)
	       END
	-- The 14 possible steps of each case by a CASE over a constant series,
	-- not a LATERAL VALUES list: the executor builds the expressions of a
	-- VALUES row that refers to the outer row again for every outer row (14
	-- million times at 1M cases; 3.8 s against 2.9 s on a test table of
	-- 1M rows).  OFFSET 0 keeps the cases outside, so the rows (and their
	-- ids) come in the same order as before.
	FROM t_app a
	CROSS JOIN LATERAL (SELECT s.k, CASE s.k WHEN 1 THEN a.x1 WHEN 2 THEN a.x2 WHEN 3 THEN a.x3 WHEN 4 THEN a.x4
	                                         WHEN 5 THEN a.x5 WHEN 6 THEN a.x6 WHEN 7 THEN a.x7 WHEN 8 THEN a.x8
	                                         WHEN 9 THEN a.x9 WHEN 10 THEN a.x10 WHEN 11 THEN a.x11 WHEN 12 THEN a.x12
	                                         WHEN 13 THEN a.x13 ELSE a.x14 END AS x
	                    FROM generate_series(1, 14) s(k) OFFSET 0) v
	WHERE v.x <= v_lim;
	PERFORM hall_demo.tick('audit (cases)');

	-- ------------------------------------------------------- inquiries
	-- Rows 1-21 are clerk01's (市场监管局): 1-8 open (some overdue, some
	-- due soon), 9-20 answered and rated one a week over the last 12 weeks,
	-- 21 answered and rated 1 (非常不满意) with its rectification open.
	CREATE TEMP TABLE t_inq ON COMMIT DROP AS
	WITH b AS (
		SELECT i, it.idx, it.name AS item_name, it.dept, it.days AS promised, array_to_string(it.mats, '、') AS mats,
		       CASE WHEN i <= 21 THEN (ARRAY['web', 'app', 'hotline'])[1 + i % 3]
		            WHEN u(i, v_s + 202) < 0.40 THEN 'web' WHEN u(i, v_s + 202) < 0.75 THEN 'app' ELSE 'hotline' END AS channel,
		       -- clerk01's rated weeks: 0 = this week
		       CASE WHEN i BETWEEN 9 AND 20 THEN i - 9 END AS wk
		FROM generate_series(1, v_ninq) i
		JOIN t_islot sl ON sl.s = CASE WHEN i <= 21 THEN 0 ELSE (h(i, v_s + 201) % 1000)::int END
		JOIN t_item it ON it.idx = CASE WHEN i <= 21 THEN 1 + i % 8 ELSE sl.idx END
	), r AS (
		-- the rating day of clerk01's weekly ratings (Wednesday; this week: yesterday, or today when today is Monday)
		SELECT b.*,
		       CASE WHEN wk IS NULL THEN NULL
		            WHEN wk = 0 THEN CASE WHEN extract(isodow FROM v_today) = 1 THEN v_today ELSE v_today - 1 END
		            ELSE date_trunc('week', v_today)::date - 7 * wk + 2 END AS rday,
		       v_today - 1 - floor(u(i, v_s + 203) * 90)::int AS d0
		FROM b
	), d AS (
		-- clerk01's open ones arrived 0 to 10 working days before yesterday
		SELECT r.*,
		       CASE WHEN i <= 8 THEN (ARRAY[0, 1, 2, 3, 4, 6, 8, 10])[i]
		            WHEN i <= 20 THEN NULL
		            WHEN i = 21 THEN NULL END AS age
		FROM r
	), rc AS (
		SELECT d.*,
		       CASE WHEN i <= 8 THEN v_e - age
		            WHEN i <= 20 THEN (SELECT cum FROM hall.days x WHERE x.d = d.rday - 1) - 2
		            WHEN i = 21 THEN v_e - 2
		            WHEN dd.workday OR (channel <> 'hotline' AND u(i, v_s + 204) < 0.35) THEN NULL
		            ELSE dd.cum END AS rcum,        -- received on this working day (NULL: on d0 itself)
		       dd.cum AS d0cum, dd.workday AS d0work
		-- others: any day for web and app (fewer on weekends), working days for the hotline
		FROM d JOIN hall.days dd ON dd.d = d.d0
	), rv AS (
		SELECT rc.*,
		       CASE WHEN rcum IS NULL THEN d0 ELSE (SELECT x.d FROM t_wd x WHERE x.cum = rc.rcum) END AS received_on,
		       coalesce(rcum, d0cum) AS base_cum,
		       CASE WHEN channel = 'hotline' OR i <= 21 THEN 30600 + (h(i, v_s + 205) % 30000)::int
		            ELSE 25200 + (h(i, v_s + 205) % 55800)::int END AS rsec,
		       CASE channel WHEN 'web' THEN v_idw WHEN 'app' THEN v_ida ELSE v_idh END AS due_days
		FROM rc OFFSET 0
	), an AS (
		SELECT rv.*,
		       -- working days to the answer: mostly in time, some on the last day, some late, a few never
		       CASE WHEN i <= 8 THEN NULL
		            WHEN i <= 20 THEN 2
		            WHEN i = 21 THEN 2
		            WHEN u(i, v_s + 206) < 0.80 THEN floor(u(i, v_s + 207) * due_days)::int
		            WHEN u(i, v_s + 206) < 0.88 THEN due_days
		            WHEN u(i, v_s + 206) < 0.985 OR received_on < v_today - 30 THEN due_days + 1 + (h(i, v_s + 207) % 6)::int
		            ELSE NULL END AS ad
		FROM rv
	), ac AS (
		SELECT an.*,
		       -- not before the day after a weekend or evening receipt
		       base_cum + greatest(ad, CASE WHEN (rcum IS NULL AND NOT d0work) OR rsec > 59400 THEN 1 ELSE 0 END) AS acum
		FROM an OFFSET 0
	)
	SELECT row_number() OVER (ORDER BY received_on, rsec, i) AS id,
	       row_number() OVER (PARTITION BY received_on ORDER BY rsec, i) AS seq,
	       ac.*,
	       ((received_on::timestamp + rsec * interval '1 second') AT TIME ZONE 'Asia/Shanghai') AS received_at,
	       CASE WHEN acum <= v_e THEN
	           CASE WHEN acum = base_cum AND (rcum IS NOT NULL OR d0work)
	                THEN ((received_on::timestamp + least(rsec + 1200 + (h(i, v_s + 208) % 12000)::int, 66600) * interval '1 second')
	                      AT TIME ZONE 'Asia/Shanghai')
	                ELSE ts(v_t0, v_wbase, acum::bigint * 100000 + 30600 + h(i, v_s + 208) % 30600) END
	       END AS answered_at,
	       acum <= base_cum + due_days AS on_time,
	       CASE WHEN i <= 21 THEN 1
	            WHEN u(i, v_s + 209) < 0.05 AND dc.sup IS NOT NULL THEN dc.sup
	            ELSE dc.ids[1 + (h(i, v_s + 210) % dc.n)::int] END AS staff_id,
	       -- transferred once from another department
	       CASE WHEN i > 21 AND u(i, v_s + 211) < 0.06 AND received_on < v_today - 1
	            THEN c_depts[1 + (array_position(c_depts, ac.dept) + (h(i, v_s + 212) % 9)::int) % 10] END AS from_dept,
	       CASE WHEN i <= 21 THEN 1 + i % 10 ELSE 1 + (h(i, v_s + 213) % 10)::int END AS tpl,
	       pick(c_places, h(i, v_s + 214)) AS place,
	       (3 + h(i, v_s + 215) % 12)::int AS waited
	FROM ac JOIN t_dc dc ON dc.dept = ac.dept;
	ALTER TABLE t_inq ADD PRIMARY KEY (id);
	PERFORM hall_demo.tick('t_inq');

	INSERT INTO hall.inquiries (id, ref, channel, department_code, asker_name, asker_phone, subject, body,
		received_at, received_on, due_days, due_date, state, answered_at, answered_by, transfer_count, updated_at)
	OVERRIDING SYSTEM VALUE
	SELECT q.id, 'Z' || to_char(q.received_on, 'YYMMDD') || '-' || CASE WHEN q.seq < 10000 THEN lpad(q.seq::text, 4, '0') ELSE q.seq::text END,
	       q.channel, q.dept,
	       CASE WHEN u(q.i, v_s + 220) < 0.12 THEN '匿名'
	            WHEN u(q.i, v_s + 220) < 0.50 THEN c_surnames[1 + floor(cardinality(c_surnames) * u(q.i, v_s + 221) ^ 2.2)::int]
	                                              || CASE WHEN u(q.i, v_s + 222) < 0.5 THEN '先生' ELSE '女士' END
	            ELSE c_surnames[1 + floor(cardinality(c_surnames) * u(q.i, v_s + 221) ^ 2.2)::int]
	                 || CASE WHEN u(q.i, v_s + 222) < 0.5 THEN pick(c_male, h(q.i, v_s + 223)) ELSE pick(c_female, h(q.i, v_s + 223)) END
	                 || CASE WHEN u(q.i, v_s + 224) < 0.6 THEN CASE WHEN u(q.i, v_s + 222) < 0.5 THEN pick(c_male, h(q.i, v_s + 225)) ELSE pick(c_female, h(q.i, v_s + 225)) END ELSE '' END
	       END,
	       CASE WHEN q.channel = 'web' AND u(q.i, v_s + 226) < 0.2 THEN ''
	            ELSE pick(c_phone, h(q.i, v_s + 227)) || lpad((h(q.i, v_s + 228) % 100000000)::text, 8, '0') END,
	       replace(replace(c_inq_subject[q.tpl], '{item}', q.item_name), '{place}', q.place),
	       replace(replace(replace(c_inq_body[q.tpl], '{item}', q.item_name), '{place}', q.place), '{n}', q.waited::text),
	       q.received_at, q.received_on, q.due_days, dd.d,
	       CASE WHEN q.answered_at IS NULL THEN 'open' ELSE 'answered' END,
	       q.answered_at, CASE WHEN q.answered_at IS NOT NULL THEN q.staff_id END,
	       CASE WHEN q.from_dept IS NOT NULL THEN 1 ELSE 0 END,
	       coalesce(q.answered_at, CASE WHEN q.from_dept IS NOT NULL THEN q.received_at + interval '75 min' ELSE q.received_at END)
	FROM t_inq q
	JOIN hall.days dd ON dd.workday AND dd.cum = q.base_cum + q.due_days
	ORDER BY q.id;

	INSERT INTO hall.inquiry_counters (day, n)
	SELECT received_on, count(*) FROM hall.inquiries GROUP BY received_on;

	INSERT INTO hall.replies (id, inquiry_id, staff_id, body, replied_at, on_time) OVERRIDING SYSTEM VALUE
	SELECT row_number() OVER (ORDER BY q.answered_at, q.id), q.id, q.staff_id,
	       replace(replace(replace(replace(c_inq_reply[q.tpl], '{item}', q.item_name), '{place}', q.place),
	               '{materials}', q.mats), '{days}', q.promised::text),
	       q.answered_at, q.on_time
	FROM t_inq q
	WHERE q.answered_at IS NOT NULL
	ORDER BY q.answered_at, q.id;

	INSERT INTO hall.audit (at, actor, staff_id, action, inquiry_id, from_state, to_state, note, details)
	SELECT x.at, x.actor, x.staff_id, x.action, x.inquiry_id, x.f, x.t, x.note, x.details
	FROM (
		SELECT q.received_at AS at, 'portal'::name AS actor, NULL::int AS staff_id, 'ask' AS action, q.id AS inquiry_id,
		       NULL AS f, 'open' AS t, '' AS note,
		       jsonb_build_object('ref', i.ref, 'channel', q.channel, 'department', coalesce(q.from_dept, q.dept)) AS details
		FROM t_inq q JOIN hall.inquiries i ON i.id = q.id
		UNION ALL
		SELECT q.received_at + interval '75 min', s.login, s.id, 'transfer', q.id, 'open', 'open',
		       '经核实不属于本部门职责，转' || d.name || '办理',
		       jsonb_build_object('from', q.from_dept, 'to', q.dept)
		FROM t_inq q
		JOIN hall.departments d ON d.code = q.dept
		JOIN t_staff s ON s.id = (SELECT ids[1] FROM t_dc WHERE t_dc.dept = q.from_dept)
		WHERE q.from_dept IS NOT NULL
		UNION ALL
		SELECT r.replied_at, s.login, s.id, 'reply', r.inquiry_id, 'open', 'answered', '',
		       jsonb_build_object('reply_id', r.id, 'on_time', r.on_time)
		FROM hall.replies r JOIN t_staff s ON s.id = r.staff_id
	) x
	ORDER BY x.at, x.inquiry_id, x.action;

	INSERT INTO hall.canned_replies (department_code, title, body) VALUES
		(NULL, '已受理', '您好！您的咨询已收到，我们将在规定时限内答复，请耐心等待。'),
		(NULL, '材料清单', '您好！所需材料清单可登录黑龙江政务服务网或“e冰城”APP查询对应事项的办事指南。'),
		(NULL, '网上办理', '您好！该事项已开通网上办理，您可登录黑龙江政务服务网或“全省事”APP在线申报，无需到现场。'),
		(NULL, '办公时间', '您好！市政务服务中心办公时间为工作日8:30-17:00，周六上午9:00-12:00提供延时服务。'),
		(NULL, '转办说明', '您好！您反映的问题不属于本部门职责，已转相关部门办理，请留意后续答复。'),
		(NULL, '致歉', '您好！非常抱歉给您带来不便，我们已督促相关窗口尽快办理，并将结果及时告知您。'),
		(NULL, '免费办理', '您好！该事项不收取任何费用，请勿轻信任何收费代办信息。'),
		('SCJG', '个体工商户登记', '您好！个体工商户设立登记可通过“e冰城”APP全程网办，材料齐全的当日办结。'),
		('SCJG', '食品经营许可', '您好！食品经营许可需提交申请书、营业执照、经营场所平面图及食品安全管理制度，承诺10个工作日内办结。'),
		('SCJG', '营业执照邮寄', '您好！营业执照可选择免费邮寄，办结后通过EMS寄递，请保持电话畅通。'),
		('RSJ', '社保卡申领', '您好！社会保障卡可在合作银行网点或“全省事”APP申领，制卡周期约5个工作日。'),
		('RSJ', '失业保险金', '您好！失业保险金可通过“全省事”APP线上申领，审核通过后按月发放至本人社保卡。'),
		('YBJ', '异地就医备案', '您好！异地就医备案可通过“国家医保服务平台”APP自助办理，即时生效。'),
		('GAHJ', '出生登记', '您好！新生儿出生登记可在“全省事”APP办理，需上传出生医学证明和父母身份证。'),
		('SWJ', '发票领用', '您好！增值税发票可通过电子税务局在线申领，选择邮寄或自助终端领取。'),
		('MZJ', '低保申请', '您好！最低生活保障可向户籍所在地乡镇（街道）提出申请，审核时限为20个工作日。'),
		('ZJJ', '公租房申请', '您好！公共租赁住房申请需提供家庭收入和住房情况证明，受理后按规定轮候。'),
		('BDC', '不动产转移登记', '您好！二手房转移登记实行“一窗受理、并行办理”，税费缴纳和登记一次办结。'),
		('BDC', '登记资料查询', '您好！不动产登记资料可凭身份证在自助查询机或“e冰城”APP查询打印。'),
		('GJJ', '公积金提取', '您好！住房公积金租房提取可通过公积金中心APP线上办理，1个工作日内到账。');
	PERFORM hall_demo.tick('inquiries');

	-- --------------------------------------------------------- ratings
	-- ~60% of completed cases and answered inquiries are rated, mostly 5
	-- and 4; levels 1-2 (差评) open a rectification.  Plus clerk01's.
	CREATE TEMP TABLE t_rate ON COMMIT DROP AS
	WITH src AS (
		SELECT 'application'::text AS kind, p.id AS target_id, p.closed_by AS staff_id, p.department_code AS dept,
		       p.closed_at AS t, p.id * 2 AS k
		FROM hall.applications p
		WHERE p.state = 'completed' AND u(p.id, v_s + 300) < 0.6
		UNION ALL
		SELECT 'inquiry', q.id, q.answered_by, q.department_code, q.answered_at, q.id * 2 + 1
		FROM hall.inquiries q
		WHERE q.state = 'answered' AND q.id NOT IN (SELECT id FROM t_inq WHERE i <= 21) AND u(q.id, v_s + 301) < 0.6
	), lv AS (
		SELECT src.*,
		       CASE WHEN u(k, v_s + 302) < 0.70 THEN 5 WHEN u(k, v_s + 302) < 0.88 THEN 4
		            WHEN u(k, v_s + 302) < 0.97 THEN 3 WHEN u(k, v_s + 302) < 0.99 THEN 2 ELSE 1 END AS level,
		       -- rated minutes to days later, never after the end of yesterday
		       least(t + CASE WHEN u(k, v_s + 303) < 0.5 THEN (5 + h(k, v_s + 304) % 115) * interval '1 minute'
		                      WHEN u(k, v_s + 303) < 0.85 THEN (2 + h(k, v_s + 304) % 28) * interval '1 hour'
		                      ELSE (24 + h(k, v_s + 304) % 72) * interval '1 hour' END,
		             t + (v_end - t) * u(k, v_s + 305)) AS rated_at
		FROM src
	), f AS (
		-- clerk01's weekly ratings and the bad one
		SELECT 'inquiry'::text AS kind, q.id AS target_id, 1 AS staff_id, 'SCJG'::text AS dept, NULL::timestamptz AS t,
		       -q.i AS k,
		       CASE WHEN q.i = 21 THEN 1 WHEN q.i % 3 = 0 THEN 4 ELSE 5 END AS level,
		       CASE WHEN q.i = 21 THEN greatest(q.answered_at + interval '3 hours', v_end - interval '4 hours')
		            WHEN q.wk = 0 AND q.rday = v_today THEN (v_today::timestamp + interval '30 seconds') AT TIME ZONE 'Asia/Shanghai'
		            ELSE (q.rday::timestamp + time '19:40') AT TIME ZONE 'Asia/Shanghai' END AS rated_at
		FROM t_inq q WHERE q.i BETWEEN 9 AND 21
	), al AS (
		SELECT * FROM lv UNION ALL SELECT * FROM f
	)
	SELECT row_number() OVER (ORDER BY al.rated_at, al.kind, al.target_id) AS id, al.*,
	       CASE WHEN al.k = -21 THEN '答复内容答非所问，问题一直没有解决，打电话也没人接。'
	            WHEN al.level = 5 THEN CASE WHEN u(al.k, v_s + 306) < 0.5 THEN '' ELSE pick(c_c5, h(al.k, v_s + 307)) END
	            WHEN al.level = 4 THEN CASE WHEN u(al.k, v_s + 306) < 0.6 THEN '' ELSE pick(c_c4, h(al.k, v_s + 307)) END
	            WHEN al.level = 3 THEN pick(c_c3, h(al.k, v_s + 307))
	            ELSE pick(c_c12, h(al.k, v_s + 307)) END AS comment,
	       al.k < 0 OR u(al.k, v_s + 308) < 0.82 AS proactive,
	       (al.rated_at AT TIME ZONE 'Asia/Shanghai')::date AS rday,
	       dd.cum AS rcum
	FROM al
	JOIN hall.days dd ON dd.d = (al.rated_at AT TIME ZONE 'Asia/Shanghai')::date;
	ALTER TABLE t_rate ADD PRIMARY KEY (id);

	INSERT INTO hall.ratings (id, kind, target_id, staff_id, department_code, level, comment, proactive, rated_at, counts)
	OVERRIDING SYSTEM VALUE
	SELECT id, kind, target_id, staff_id, dept, level, comment, proactive, rated_at, true
	FROM t_rate;

	-- Rectifications of the bad ratings: callback and rectification due in
	-- working days after the rating day.  Older ones are mostly closed (some
	-- late); recent ones are open.
	INSERT INTO hall.rectifications (rating_id, opened_at, callback_due, rectify_due, verified_at, verified_by, verify_note,
		rectified_at, rectified_by, rectify_note, callback_at, callback_by, callback_note, closed_at)
	SELECT x.id, x.rated_at, x.cbd, x.rfd,
	       x.vat, CASE WHEN x.vat IS NOT NULL THEN x.sup END, CASE WHEN x.vat IS NOT NULL THEN pick(c_verify, h(x.id, v_s + 320)) END,
	       x.rat, CASE WHEN x.rat IS NOT NULL THEN x.staff_id END, CASE WHEN x.rat IS NOT NULL THEN pick(c_rectify, h(x.id, v_s + 321)) END,
	       x.cat, CASE WHEN x.cat IS NOT NULL THEN x.sup END, CASE WHEN x.cat IS NOT NULL THEN pick(c_callback, h(x.id, v_s + 322)) END,
	       CASE WHEN x.vat IS NOT NULL AND x.rat IS NOT NULL AND x.cat IS NOT NULL THEN greatest(x.vat, x.rat, x.cat) END
	FROM (
		SELECT y.*,
		       CASE WHEN y.vat0 <= v_end THEN y.vat0 END AS vat,
		       CASE WHEN y.vat0 <= v_end AND y.rat0 <= v_end THEN y.rat0 END AS rat,
		       CASE WHEN y.vat0 <= v_end AND y.cat0 <= v_end THEN y.cat0 END AS cat
		FROM (
			SELECT r.id, r.rated_at, r.staff_id, cb.d AS cbd, rf.d AS rfd,
			       coalesce((SELECT dc.sup FROM t_dc dc WHERE dc.dept = r.dept), r.staff_id) AS sup,
			       CASE WHEN r.k = -21 THEN NULL
			            ELSE r.rated_at + (1 + h(r.id, v_s + 323) % 20) * interval '1 hour' END AS vat0,
			       greatest(r.rated_at + (3 + h(r.id, v_s + 323) % 20) * interval '1 hour',
			                CASE WHEN u(r.id, v_s + 324) < 0.15
			                     THEN ts(v_t0, v_wbase, (rf.cum + 1 + h(r.id, v_s + 325) % 3) * 100000 + 36000 + h(r.id, v_s + 326) % 25000)
			                     ELSE ts(v_t0, v_wbase, (r.rcum + 2 + h(r.id, v_s + 325) % 8) * 100000 + 36000 + h(r.id, v_s + 326) % 25000) END) AS rat0,
			       greatest(r.rated_at + (2 + h(r.id, v_s + 323) % 20) * interval '1 hour',
			                CASE WHEN u(r.id, v_s + 327) < 0.15
			                     THEN ts(v_t0, v_wbase, (cb.cum + 1 + h(r.id, v_s + 328) % 3) * 100000 + 36000 + h(r.id, v_s + 329) % 25000)
			                     ELSE ts(v_t0, v_wbase, (r.rcum + 1) * 100000 + 32400 + h(r.id, v_s + 329) % 25000) END) AS cat0
			FROM t_rate r
			JOIN hall.days cb ON cb.workday AND cb.cum = r.rcum + v_cbd
			JOIN hall.days rf ON rf.workday AND rf.cum = r.rcum + v_rfd
			WHERE r.level <= 2
		) y
	) x
	ORDER BY x.id;

	-- A few appeals (申诉) of bad ratings in departments with a supervisor:
	-- one waiting, one upheld (no longer counts), one dismissed, ...
	UPDATE hall.ratings r SET
		appeal_state = x.st, appeal_reason = x.reason, appeal_at = r.rated_at + interval '5 hours',
		appeal_note = CASE WHEN x.st <> 'pending' THEN x.note END,
		appeal_judged_by = CASE WHEN x.st <> 'pending' THEN x.sup END,
		appeal_judged_at = CASE WHEN x.st <> 'pending' THEN r.rated_at + interval '29 hours' END,
		counts = x.st <> 'upheld'
	FROM (
		SELECT z.id, z.sup, (ARRAY['pending', 'upheld', 'dismissed', 'upheld', 'dismissed'])[z.n] AS st,
		       (ARRAY['申请人因个人原因未能办理，与窗口服务无关，属恶意差评',
		              '该事项依法需要补正材料，已一次性告知，差评理由与事实不符',
		              '评价对象有误，申请人实际办理的是其他部门事项',
		              '申请人误操作评价，已电话确认',
		              '差评内容与办理过程不符'])[z.n] AS reason,
		       (ARRAY[NULL, '经调取录像核实，申诉理由成立', '经核实，窗口确有解释不到位情况，申诉不予支持',
		              '经核实评价对象有误，申诉成立', '申诉理由不充分'])[z.n] AS note
		FROM (
			SELECT r.id, i.sup_id AS sup, row_number() OVER (ORDER BY h(r.id, v_s + 330)) AS n
			FROM t_rate r JOIN (SELECT DISTINCT dept, sup_id FROM t_item WHERE sup_id IS NOT NULL) i ON i.dept = r.dept
			WHERE r.level <= 2 AND r.k >= 0 AND r.staff_id <> i.sup_id AND r.rated_at < v_end - interval '2 days'
		) z
		WHERE z.n <= 5
	) x
	WHERE r.id = x.id;

	-- Follow-up ratings (追评) on some closed rectifications.
	UPDATE hall.ratings r SET followup_level = 3 + (h(r.id, v_s + 331) % 3)::int,
		followup_comment = pick(c_followup, h(r.id, v_s + 332)), followup_at = least(x.closed_at + interval '1 day', v_end)
	FROM hall.rectifications x
	WHERE x.rating_id = r.id AND x.closed_at IS NOT NULL AND u(r.id, v_s + 333) < 0.3 AND r.appeal_state IS NULL;

	INSERT INTO hall.audit (at, actor, staff_id, action, app_id, inquiry_id, rating_id, from_state, to_state, note, details)
	SELECT x.at, x.actor, x.staff_id, x.action, x.app_id, x.inquiry_id, x.rating_id, x.f, x.t, x.note, x.details
	FROM (
		SELECT r.rated_at AS at, 'portal'::name AS actor, NULL::int AS staff_id, 'rate' AS action,
		       CASE WHEN r.kind = 'application' THEN r.target_id END AS app_id,
		       CASE WHEN r.kind = 'inquiry' THEN r.target_id END AS inquiry_id, r.id AS rating_id,
		       NULL AS f, NULL AS t, r.comment AS note,
		       jsonb_build_object('level', r.level, 'staff_id', r.staff_id, 'bad', r.level <= 2) AS details
		FROM hall.ratings r
		UNION ALL
		SELECT s.at, st.login, st.id, 'rectify', NULL, NULL, x.rating_id, NULL, NULL, s.note,
		       jsonb_build_object('step', s.step, 'closed', x.closed_at IS NOT NULL AND s.at = x.closed_at)
		FROM hall.rectifications x
		CROSS JOIN LATERAL (VALUES ('verify', x.verified_at, x.verified_by, x.verify_note),
		                           ('rectify', x.rectified_at, x.rectified_by, x.rectify_note),
		                           ('callback', x.callback_at, x.callback_by, x.callback_note)) s(step, at, who, note)
		JOIN t_staff st ON st.id = s.who
		WHERE s.at IS NOT NULL
		UNION ALL
		SELECT r.appeal_at, st.login, st.id, 'appeal', NULL, NULL, r.id, NULL, 'pending', r.appeal_reason, NULL
		FROM hall.ratings r JOIN t_staff st ON st.id = r.staff_id
		WHERE r.appeal_state IS NOT NULL
		UNION ALL
		SELECT r.appeal_judged_at, st.login, st.id, 'judge_appeal', NULL, NULL, r.id, 'pending', r.appeal_state,
		       r.appeal_note, jsonb_build_object('upheld', r.appeal_state = 'upheld')
		FROM hall.ratings r JOIN t_staff st ON st.id = r.appeal_judged_by
		WHERE r.appeal_judged_at IS NOT NULL
		UNION ALL
		SELECT r.followup_at, 'portal', NULL, 'followup',
		       CASE WHEN r.kind = 'application' THEN r.target_id END, CASE WHEN r.kind = 'inquiry' THEN r.target_id END,
		       r.id, NULL, NULL, r.followup_comment,
		       jsonb_build_object('level', r.followup_level, 'staff_id', r.staff_id)
		FROM hall.ratings r WHERE r.followup_at IS NOT NULL
	) x;
	PERFORM hall_demo.tick('ratings');

	-- A few ID numbers revealed (a logged action), for the supervisor's screen.
	INSERT INTO hall.audit (at, actor, staff_id, action, applicant_id, note, details)
	SELECT p.claimed_at + interval '4 min', s.login, s.id, 'reveal', p.applicant_id,
	       pick('{核实申请人身份信息,申请人电话无法接通，核对证件号码,户籍业务需核对完整证件号码,申请人称证件号码录入有误}', h(p.id, v_s + 340)),
	       jsonb_build_object('field', 'id_number')
	FROM hall.applications p JOIN t_staff s ON s.id = p.claimed_by
	WHERE p.state IN ('in_review', 'escalated') AND u(p.id, v_s + 341) < greatest(0.02, 40.0 / greatest(v_scale, 1))
	ORDER BY p.claimed_at, p.id
	LIMIT 60;

	-- ---------------------------------------------------------- outbox
	-- The most recent notifications, built as hall.notify_applicant and
	-- hall.reply_inquiry build them: most sent, the newest pending, a few failed.
	INSERT INTO hall.outbox (id, key, created_at, event, recipient, app_id, inquiry_id, payload, state, not_before,
		attempts, lease_until, leased_by, last_error, http_status, response, sent_at, last_attempt_at, failed_at)
	OVERRIDING SYSTEM VALUE
	SELECT o.id, md5(v_seed::text || ':outbox:' || o.id)::uuid, o.at, o.event, o.recipient, o.app_id, o.inquiry_id, o.payload,
	       o.st, CASE WHEN o.st = 'pending' AND o.retry THEN o.nb + interval '10 min' ELSE o.nb END,
	       CASE o.st WHEN 'sent' THEN CASE WHEN o.retry THEN 2 ELSE 1 END
	                 WHEN 'failed' THEN CASE WHEN o.perm THEN 1 ELSE 8 END
	                 ELSE CASE WHEN o.retry THEN 2 ELSE 0 END END,
	       NULL, CASE WHEN o.st <> 'pending' OR o.retry THEN 'hallctl-notify@hall-app01' END,
	       CASE WHEN o.st = 'failed' AND o.perm THEN 'HTTP 400: {"code":"E_MOBILE","message":"invalid mobile number"}'
	            WHEN o.st = 'failed' THEN 'HTTP 503: gateway unavailable (attempts used up)'
	            WHEN o.retry THEN 'HTTP 503: gateway unavailable' END,
	       CASE o.st WHEN 'sent' THEN 200 WHEN 'failed' THEN CASE WHEN o.perm THEN 400 ELSE 503 END
	                 ELSE CASE WHEN o.retry THEN 503 END END,
	       CASE WHEN o.st = 'failed' AND o.perm THEN '{"code":"E_MOBILE","message":"手机号码无效"}'
	            WHEN o.st = 'failed' THEN '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>' END,
	       CASE WHEN o.st = 'sent' THEN o.nb + (2 + o.id % 40) * interval '1 second' END,
	       CASE WHEN o.st = 'sent' THEN o.nb + (1 + o.id % 40) * interval '1 second'
	            WHEN o.st = 'failed' OR o.retry THEN o.nb + interval '1 second' END,
	       CASE WHEN o.st = 'failed' THEN o.nb + interval '3 seconds' END
	FROM (
		SELECT e.*, hall.release_time(e.recipient, e.at) AS nb,
		       CASE WHEN e.rk <= 18 THEN 'pending' WHEN e.rk % 53 = 7 THEN 'failed' ELSE 'sent' END AS st,
		       e.rk % 2 = 1 AS perm,
		       e.rk IN (3, 9, 15) OR e.rk % 61 = 20 AS retry,
		       row_number() OVER (ORDER BY e.at, e.aid) AS id
		FROM (
			SELECT n.*, row_number() OVER (ORDER BY n.at DESC, n.aid DESC) AS rk
			FROM (
				SELECT x.id AS aid, x.at, x.app_id, NULL::bigint AS inquiry_id, 'applicant' AS recipient,
				       CASE WHEN x.action IN ('approve', 'decide') AND x.to_state = 'completed' THEN 'approved'
				            WHEN x.action IN ('reject', 'decide') THEN 'rejected'
				            WHEN x.action = 'return' THEN 'returned'
				            WHEN x.action = 'escalate' THEN 'escalated'
				            ELSE 'extension_granted' END AS event,
				       x.action, x.note, x.details
				FROM hall.audit x
				WHERE x.app_id IS NOT NULL AND x.at >= v_end - interval '10 days' AND x.rating_id IS NULL
				  AND (x.action IN ('approve', 'reject', 'return', 'escalate', 'grant_extension')
				       OR (x.action = 'decide' AND x.to_state IN ('completed', 'rejected')))
				UNION ALL
				SELECT x.id, x.at, NULL, x.inquiry_id, CASE WHEN q.channel = 'hotline' THEN '12345' ELSE 'applicant' END,
				       'inquiry_reply', x.action, x.note, x.details
				FROM hall.audit x JOIN hall.inquiries q ON q.id = x.inquiry_id
				WHERE x.action = 'reply' AND x.at >= v_end - interval '10 days'
			) n
			ORDER BY n.at DESC, n.aid DESC
			LIMIT 400
		) e
	) o0
	CROSS JOIN LATERAL (
		SELECT o0.*,
		       CASE WHEN o0.event = 'inquiry_reply' THEN
		           (SELECT jsonb_build_object('event', 'inquiry_reply', 'ref', q.ref, 'channel', q.channel, 'subject', q.subject,
		                                      'name', q.asker_name, 'phone', q.asker_phone, 'reply', r.body,
		                                      'replied_at', r.replied_at, 'on_time', r.on_time,
		                                      'text', format('您的咨询（编号 %s）「%s」已答复：%s', q.ref, q.subject, r.body))
		            FROM hall.inquiries q JOIN hall.replies r ON r.inquiry_id = q.id WHERE q.id = o0.inquiry_id)
		       ELSE
		           (SELECT jsonb_build_object('event', o0.event, 'case_no', a.case_no, 'item', i.name,
		                                      'name', p.name, 'phone', p.phone,
		                                      'text', CASE o0.event
		                                          WHEN 'approved' THEN format('您申请的「%s」（办件号 %s）已办结，准予许可。', i.name, a.case_no)
		                                          WHEN 'rejected' THEN format('您申请的「%s」（办件号 %s）不予许可。理由：%s', i.name, a.case_no, o0.note)
		                                          WHEN 'escalated' THEN format('您申请的「%s」（办件号 %s）已提交上级审核，请耐心等待。', i.name, a.case_no)
		                                          WHEN 'returned' THEN rt.notice
		                                          ELSE format('您申请的「%s」（办件号 %s）办理时限延长 %s 个工作日，办结期限为 %s。理由：%s',
		                                                      i.name, a.case_no, o0.details->>'days',
		                                                      o0.details->>'due_after', ex.reason) END)
		                   || CASE o0.event
		                          WHEN 'rejected' THEN jsonb_build_object('reason', o0.note)
		                          WHEN 'returned' THEN jsonb_build_object('notice', rt.notice,
		                              'materials', to_jsonb(ARRAY(SELECT m.name FROM hall.materials m WHERE m.id = ANY (rt.material_ids) ORDER BY m.ord, m.id)),
		                              'defects', rt.defects, 'seq', rt.seq)
		                          WHEN 'extension_granted' THEN jsonb_build_object('days', (o0.details->>'days')::int,
		                              'due_date', (o0.details->>'due_after')::date)
		                          ELSE '{}'::jsonb END
		            FROM hall.applications a
		            JOIN hall.items i ON i.id = a.item_id
		            JOIN hall.applicants p ON p.id = a.applicant_id
		            LEFT JOIN hall.returns rt ON o0.event = 'returned' AND rt.app_id = a.id AND rt.seq = (o0.details->>'seq')::int
		            LEFT JOIN hall.extensions ex ON o0.event = 'extension_granted' AND ex.id = (o0.details->>'extension_id')::bigint
		            WHERE a.id = o0.app_id)
		       END AS payload
	) o
	ORDER BY o.id;
	PERFORM hall_demo.tick('outbox, reveals');

	-- --------------------------------------------------------- finish
	-- Identity sequences continue after the generated rows.
	FOREACH v_g IN ARRAY ARRAY['items', 'materials', 'staff', 'applicants', 'applications', 'returns', 'extensions',
	                           'audit', 'inquiries', 'replies', 'canned_replies', 'ratings', 'outbox'] LOOP
		EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''), coalesce((SELECT max(id) FROM hall.%I), 0) + 1, false)',
		               'hall.' || v_g, v_g);
	END LOOP;

	-- ------------------------------------------------ tickets (023)
	-- The business lines (one a department, its items), the windows that
	-- serve them, the pads on the counters (pad01 ... for A01 ..., role
	-- hall_pad) and the waiting room's display (display, role hall_display),
	-- all with password 'demo'; then the last working day's tickets: taken
	-- 09:00 - 16:30, 5% green channel, 15% appointments, 4% no-shows
	-- (dropped after two calls), the rest served and their rating requests:
	-- 78% rated at the pad, 7% online after the SMS, the others unrated
	-- (their SMS went; no phone is kept in the demo, so no message).  No
	-- default rating yet: they come rating_default_days after the service.
	-- Levels 3-5 only, and clerk01 serves none of them: the stories read
	-- clerk01's ratings and the departments' bad ones, and a bad service
	-- rating is what tests/e2e/29_tickets.sh makes itself.
	-- Here, after the sequences were set: these rows take their ids from them.
	INSERT INTO hall.lines (code, name, department_code, ord) VALUES
		('A', '商事登记', 'SCJG', 1), ('B', '社保就业', 'RSJ', 2), ('C', '医疗保障', 'YBJ', 3),
		('D', '户籍办理', 'GAHJ', 4), ('E', '税务办理', 'SWJ', 5), ('F', '民政服务', 'MZJ', 6),
		('G', '卫生健康', 'WJW', 7), ('H', '住房建设', 'ZJJ', 8), ('J', '不动产登记', 'BDC', 9),
		('K', '公积金', 'GJJ', 10);
	INSERT INTO hall.line_items (line_code, item_id)
	SELECT l.code, i.id FROM hall.lines l JOIN hall.items i ON i.department_code = l.department_code;
	INSERT INTO hall.window_lines (window_code, line_code)
	SELECT w.code, l.code FROM hall.windows w JOIN hall.lines l ON l.department_code = w.department_code;
	INSERT INTO hall.pads (login, window_code)
	SELECT 'pad' || substr(w.code, 2), w.code FROM hall.windows w;
	FOR v_r IN SELECT p.login::text AS login, 'hall_pad' AS grp FROM hall.pads p
	           UNION ALL SELECT 'display', 'hall_display' ORDER BY 1 LOOP
		SELECT * INTO v_role FROM pg_catalog.pg_roles WHERE rolname = v_r.login;
		IF NOT FOUND THEN
			EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', v_r.login, 'demo', v_r.grp);
		ELSIF v_role.rolsuper OR v_role.rolcreaterole OR v_role.rolbypassrls THEN
			RAISE EXCEPTION 'role % exists with special rights: not a demo pad or display', v_r.login
				USING ERRCODE = '42501', HINT = 'reason:role_privileged';
		ELSE
			EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', v_r.login, 'demo');
			IF NOT pg_has_role(v_r.login, v_r.grp, 'MEMBER') THEN
				EXECUTE format('GRANT %I TO %I', v_r.grp, v_r.login);
			END IF;
		END IF;
	END LOOP;

	CREATE TEMP TABLE t_tk ON COMMIT DROP AS
	WITH d AS (
		SELECT max(x.d) AS day FROM hall.days x WHERE x.workday AND x.d < v_today
	), lw AS (
		-- each line's windows, numbered, with the clerk who served there (not clerk01)
		SELECT wl.line_code, wl.window_code,
		       row_number() OVER (PARTITION BY wl.line_code ORDER BY wl.window_code) AS wn,
		       count(*) OVER (PARTITION BY wl.line_code) AS wc,
		       (SELECT min(sw.staff_id) FROM hall.staff_windows sw WHERE sw.window_code = wl.window_code AND sw.staff_id <> 1) AS staff_id
		FROM hall.window_lines wl
	), n AS (
		SELECT l.code, l.department_code, 24 + (h(l.ord, v_s + 900) % 20)::int AS n FROM hall.lines l
	), g AS (
		SELECT n.code AS line_code, n.department_code, d.day, k, n.n,
		       n.code::text || '-' || k AS kk,
		       ((d.day + time '09:00') AT TIME ZONE 'Asia/Shanghai')
		         + ((k - 1) * 450.0 / n.n + 10 * u(k * 31 + ascii(n.code), v_s + 901)) * interval '1 minute' AS taken_at,
		       CASE WHEN u(k * 31 + ascii(n.code), v_s + 902) < 0.05 THEN 'green'
		            WHEN u(k * 31 + ascii(n.code), v_s + 902) < 0.20 THEN 'app' ELSE 'kiosk' END AS channel,
		       u(k * 31 + ascii(n.code), v_s + 903) < 0.04 AS no_show,
		       (3 + h(k * 31 + ascii(n.code), v_s + 904) % 35)::int AS wait_min,
		       (4 + h(k * 31 + ascii(n.code), v_s + 905) % 14)::int AS service_min,
		       u(k * 31 + ascii(n.code), v_s + 906) AS rated,
		       u(k * 31 + ascii(n.code), v_s + 907) AS lv,
		       h(k * 31 + ascii(n.code), v_s + 908) AS hc
		FROM n CROSS JOIN d CROSS JOIN LATERAL generate_series(1, n.n) k
	)
	SELECT g.*, lw.window_code, lw.staff_id,
	       CASE WHEN g.channel = 'app' THEN date_trunc('hour', g.taken_at) + interval '1 hour' END AS slot_at,
	       g.line_code || lpad(g.k::text, 3, '0') AS label
	FROM g
	JOIN lw ON lw.line_code = g.line_code AND lw.wn = 1 + g.k % lw.wc;
	ALTER TABLE t_tk ADD COLUMN wait_from timestamptz, ADD COLUMN called_at timestamptz, ADD COLUMN finished_at timestamptz;
	UPDATE t_tk SET wait_from = greatest(taken_at, coalesce(slot_at, taken_at));
	UPDATE t_tk SET called_at = wait_from + wait_min * interval '1 minute';
	UPDATE t_tk SET finished_at = called_at + service_min * interval '1 minute' WHERE NOT no_show;

	INSERT INTO hall.ticket_counters (line_code, day, n)
	SELECT line_code, day, max(k) FROM t_tk GROUP BY 1, 2;
	INSERT INTO hall.tickets (line_code, department_code, day, number, label, channel, slot_at, taken_at, queue_rank,
	                          queue_at, state, called_at, last_called_at, window_code, staff_id, recalls, skips,
	                          finished_at, dropped_at)
	SELECT line_code, department_code, day, k, label, channel, slot_at, taken_at,
	       CASE WHEN channel = 'green' THEN 0 ELSE 1 END,
	       CASE WHEN no_show THEN called_at + interval '2 minutes' ELSE wait_from END,
	       CASE WHEN no_show THEN 'dropped' ELSE 'done' END,
	       called_at, CASE WHEN no_show THEN called_at + interval '20 minutes' ELSE called_at END,
	       window_code, staff_id,
	       CASE WHEN no_show THEN 1 ELSE 0 END, CASE WHEN no_show THEN 2 ELSE 0 END,
	       finished_at, CASE WHEN no_show THEN called_at + interval '21 minutes' END
	FROM t_tk ORDER BY taken_at, line_code;
	INSERT INTO hall.calls (ticket_id, line_code, label, window_code, staff_id, at, recall)
	SELECT x.id, x.line_code, x.label, t.window_code, t.staff_id, c.at, c.recall
	FROM hall.tickets x
	JOIN t_tk t ON t.line_code = x.line_code AND t.day = x.day AND t.k = x.number
	CROSS JOIN LATERAL (VALUES (t.called_at, false), (t.called_at + interval '1 minute', true),
	                           (t.called_at + interval '20 minutes', false)) c(at, recall)
	WHERE t.no_show OR c.at = t.called_at AND NOT c.recall;
	INSERT INTO hall.rating_requests (ticket_id, window_code, staff_id, department_code, opened_at, sms_at)
	SELECT x.id, x.window_code, x.staff_id, x.department_code, x.finished_at,
	       CASE WHEN t.rated >= 0.78 THEN x.finished_at + interval '30 minutes' END
	FROM hall.tickets x
	JOIN t_tk t ON t.line_code = x.line_code AND t.day = x.day AND t.k = x.number
	WHERE x.state = 'done';
	WITH r AS (
		INSERT INTO hall.ratings (kind, target_id, staff_id, department_code, level, comment, proactive, rated_at, counts)
		SELECT 'service', x.id, q.staff_id, q.department_code, v.level,
		       CASE WHEN v.level = 5 THEN CASE WHEN t.hc % 2 = 0 THEN '' ELSE pick(c_c5, t.hc) END
		            WHEN v.level = 4 THEN CASE WHEN t.hc % 3 = 0 THEN '' ELSE pick(c_c4, t.hc) END
		            WHEN v.level = 3 THEN pick(c_c3, t.hc) ELSE pick(c_c12, t.hc) END,
		       true,
		       CASE WHEN t.rated < 0.78 THEN x.finished_at + interval '1 minute' ELSE q.sms_at + interval '2 hours' END,
		       true
		FROM hall.tickets x
		JOIN t_tk t ON t.line_code = x.line_code AND t.day = x.day AND t.k = x.number
		JOIN hall.rating_requests q ON q.ticket_id = x.id
		CROSS JOIN LATERAL (SELECT CASE WHEN t.lv < 0.70 THEN 5 WHEN t.lv < 0.92 THEN 4 ELSE 3 END AS level) v
		WHERE t.rated < 0.85
		RETURNING id, target_id, level, rated_at
	)
	UPDATE hall.rating_requests q SET rating_id = r.id, rated_at = r.rated_at,
		channel = CASE WHEN q.sms_at IS NULL THEN 'pad' ELSE 'sms' END
	FROM r WHERE q.ticket_id = r.target_id;
	PERFORM hall_demo.tick('tickets');

	PERFORM set_config('session_replication_role', 'origin', true);
	-- What the skipped triggers would have said: screens and dispatchers look again.
	PERFORM pg_notify('hall_queue', '');   -- every window
	PERFORM pg_notify('hall_outbox', '');

	FOREACH v_g IN ARRAY v_idx_defs || v_idx_comments LOOP
		EXECUTE v_g;
	END LOOP;
	PERFORM hall_demo.tick('indexes');

	FOREACH v_g IN ARRAY v_facts_on LOOP
		EXECUTE v_g;
	END LOOP;
	PERFORM hall.facts_rebuild();
	PERFORM hall_demo.tick('facts');

	-- The seed `hallctl demo --reset` puts back (hall.demo_reset, 012): a
	-- copy of every data table as generated, kept in the database.
	IF pg_catalog.to_regprocedure('hall.demo_keep_seed(jsonb)') IS NOT NULL THEN
		PERFORM hall.demo_keep_seed(jsonb_build_object('scale', v_scale, 'seed', v_seed, 'today', v_today,
		                                               'clock_at', generate.clock_at));
		PERFORM hall_demo.tick('seed kept');
	END IF;

	ANALYZE hall.departments, hall.windows, hall.items, hall.materials, hall.window_items, hall.staff, hall.staff_windows,
		hall.applicants, hall.case_counters, hall.applications, hall.application_materials, hall.returns, hall.extensions,
		hall.audit, hall.inquiries, hall.inquiry_counters, hall.replies, hall.canned_replies, hall.ratings,
		hall.rectifications, hall.outbox;
	PERFORM hall_demo.tick('analyze');

	SELECT jsonb_agg(jsonb_build_object('login', s.login, 'name', s.name, 'kind', s.kind,
	                                    'windows', to_jsonb(s.windows), 'password', 'demo') ORDER BY s.id)
	INTO v_acc_json FROM t_staff s;
	RETURN jsonb_build_object(
		'seed', v_seed, 'scale', v_scale, 'today', v_today,
		'departments', (SELECT count(*) FROM hall.departments),
		'windows', (SELECT count(*) FROM hall.windows),
		'items', (SELECT count(*) FROM hall.items),
		'staff', (SELECT count(*) FROM hall.staff),
		'applicants', (SELECT count(*) FROM hall.applicants),
		'applications', (SELECT count(*) FROM hall.applications),
		'inquiries', (SELECT count(*) FROM hall.inquiries),
		'ratings', (SELECT count(*) FROM hall.ratings),
		'rectifications', (SELECT count(*) FROM hall.rectifications),
		'outbox', (SELECT count(*) FROM hall.outbox),
		'audit', (SELECT count(*) FROM hall.audit),
		'accounts', v_acc_json);
END
$gen$;

REVOKE ALL ON FUNCTION hall_demo.generate(int, bigint, timestamptz) FROM PUBLIC;
