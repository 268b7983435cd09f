-- Inquiries (咨询) with their reply deadline, ratings (好差评) with the
-- rectification of bad ones, and the views of both, including the
-- supervisor's overdue list.
SET LOCAL ROLE hall_admin;

-- Inquiry references are read out on the phone: "Z250930-0007".
CREATE TABLE hall.inquiry_counters (
	day date PRIMARY KEY,
	n   int NOT NULL
);

-- Lock an inquiry for a staff action of its department.
CREATE FUNCTION hall.inquiry_for_staff(p_inq bigint) RETURNS hall.inquiries
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	q hall.inquiries;
	me hall.staff := hall.me();
BEGIN
	SELECT * INTO q FROM hall.inquiries WHERE id = p_inq FOR UPDATE;
	IF NOT FOUND OR me.kind NOT IN ('clerk', 'supervisor') OR me.department_code IS DISTINCT FROM q.department_code THEN
		PERFORM hall.not_found('inquiry', p_inq);
	END IF;
	IF q.state <> 'open' THEN
		RAISE EXCEPTION 'inquiry % is already answered: it may have changed since your screen was drawn', q.ref
			USING ERRCODE = '55000', HINT = 'reason:inquiry_answered';
	END IF;
	-- A supervisor gave it to one clerk (hall.reassign_inquiry, 016): the
	-- other clerks leave it to them; a supervisor may still act.
	IF me.kind = 'clerk' AND q.assigned_to IS NOT NULL AND q.assigned_to <> me.id THEN
		RAISE EXCEPTION 'inquiry % is assigned to %, not to you', q.ref,
			(SELECT x.name FROM hall.staff x WHERE x.id = q.assigned_to)
			USING ERRCODE = '42501', HINT = 'reason:inquiry_assigned_other';
	END IF;
	RETURN q;
END $$;

CREATE FUNCTION hall.ask(channel text, department_code text, asker jsonb, subject text, body text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	t timestamptz := hall.now();
	d date := (t AT TIME ZONE 'Asia/Shanghai')::date;
	v_days int;
	v_subject text := hall.require_text(ask.subject, 'inquiry_subject');
	v_body text := hall.require_text(ask.body, 'inquiry_body');
	v_name text;
	v_phone text;
	k int;
	v_ref text;
	v_id bigint;
BEGIN
	IF ask.channel IS NULL OR ask.channel NOT IN ('web', 'app', 'hotline') THEN
		RAISE EXCEPTION 'unknown inquiry channel "%": web, app or hotline', ask.channel
			USING ERRCODE = '22023', HINT = 'reason:bad_channel';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM hall.departments x WHERE x.code = ask.department_code) THEN
		RAISE EXCEPTION 'no department %', ask.department_code
			USING ERRCODE = '22023', HINT = 'reason:department_unknown';
	END IF;
	IF ask.asker IS NULL OR jsonb_typeof(ask.asker) <> 'object' THEN
		RAISE EXCEPTION 'the asker must be a JSON object {name, phone}'
			USING ERRCODE = '22023', HINT = 'reason:asker_invalid';
	END IF;
	v_name := hall.optional_text(ask.asker->>'name', 'asker_name');
	v_phone := hall.optional_text(ask.asker->>'phone', 'asker_phone');
	IF v_name = '' THEN
		v_name := '匿名';
	END IF;
	v_days := hall.setting_int('inquiry_days_' || ask.channel);

	INSERT INTO hall.inquiry_counters AS c (day, n) VALUES (d, 1)
	ON CONFLICT (day) DO UPDATE SET n = c.n + 1
	RETURNING c.n INTO k;
	v_ref := 'Z' || to_char(d, 'YYMMDD') || '-' || CASE WHEN k < 10000 THEN lpad(k::text, 4, '0') ELSE k::text END;

	INSERT INTO hall.inquiries (ref, channel, department_code, asker_name, asker_phone, subject, body,
		received_at, received_on, due_days, due_date, updated_at)
	VALUES (v_ref, ask.channel, ask.department_code, v_name, v_phone, v_subject, v_body,
		t, d, v_days, hall.workday_add(d, v_days), t)
	RETURNING id INTO v_id;
	PERFORM hall.log('ask', NULL, v_id, NULL, NULL, NULL, 'open', '',
		jsonb_build_object('ref', v_ref, 'channel', ask.channel, 'department', ask.department_code));
	PERFORM hall.notify('hall_inquiries', ask.department_code);
	RETURN v_id;
END $$;

CREATE FUNCTION hall.reply_inquiry(inq bigint, body text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_body text := hall.require_text(reply_inquiry.body, 'reply_body');
	q hall.inquiries := hall.inquiry_for_staff(reply_inquiry.inq);
	me int := hall.my_id();
	t timestamptz := hall.now();
	v_on_time boolean := hall.today() <= q.due_date;
	v_reply bigint;
	v_text text;
BEGIN
	INSERT INTO hall.replies (inquiry_id, staff_id, body, replied_at, on_time)
	VALUES (q.id, me, v_body, t, v_on_time) RETURNING id INTO v_reply;
	UPDATE hall.inquiries x SET state = 'answered', answered_at = t, answered_by = me, updated_at = t
	WHERE x.id = q.id;
	PERFORM hall.log('reply', NULL, q.id, NULL, NULL, 'open', 'answered', '',
		jsonb_build_object('reply_id', v_reply, 'on_time', v_on_time));
	v_text := format('您的咨询（编号 %s）「%s」已答复：%s', q.ref, q.subject, v_body);
	PERFORM hall.enqueue('inquiry_reply', CASE WHEN q.channel = 'hotline' THEN '12345' ELSE 'applicant' END,
		NULL, q.id,
		jsonb_build_object('event', 'inquiry_reply', 'ref', q.ref, 'channel', q.channel, 'subject', q.subject,
		                   'name', q.asker_name, 'phone', q.asker_phone, 'reply', v_body,
		                   'replied_at', t, 'on_time', v_on_time, 'text', v_text));
	PERFORM hall.notify('hall_inquiries', q.department_code);
END $$;

CREATE FUNCTION hall.transfer_inquiry(inq bigint, department_code text, note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_note text := hall.require_text(transfer_inquiry.note, 'transfer_note');
	q hall.inquiries := hall.inquiry_for_staff(transfer_inquiry.inq);
BEGIN
	IF NOT EXISTS (SELECT 1 FROM hall.departments x WHERE x.code = transfer_inquiry.department_code) THEN
		RAISE EXCEPTION 'inquiry %: no department %', q.ref, transfer_inquiry.department_code
			USING ERRCODE = '22023', HINT = 'reason:department_unknown';
	END IF;
	IF transfer_inquiry.department_code = q.department_code THEN
		RAISE EXCEPTION 'inquiry % is already with department %', q.ref, q.department_code
			USING ERRCODE = '22023', HINT = 'reason:transfer_same_department';
	END IF;
	-- The clock keeps running: due_date is unchanged.
	UPDATE hall.inquiries x SET department_code = transfer_inquiry.department_code,
		transfer_count = x.transfer_count + 1, updated_at = hall.now()
	WHERE x.id = q.id;
	PERFORM hall.log('transfer', NULL, q.id, NULL, NULL, 'open', 'open', v_note,
		jsonb_build_object('from', q.department_code, 'to', transfer_inquiry.department_code));
	PERFORM hall.notify('hall_inquiries', q.department_code);
	PERFORM hall.notify('hall_inquiries', transfer_inquiry.department_code);
END $$;

-- The one place a rating is recorded (an applicant's, the pad's at the
-- counter, a default one, 023): a bad one (levels 1-2) opens its
-- rectification with its callback and rectify deadlines.
CREATE FUNCTION hall.rating_record(p_kind text, p_target bigint, p_staff int, p_dept text, p_level int,
                                   p_comment text, p_proactive boolean, p_app bigint, p_inquiry bigint,
                                   p_details jsonb DEFAULT '{}') RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	t timestamptz := hall.now();
	today date := hall.today();
	v_id bigint;
BEGIN
	INSERT INTO hall.ratings (kind, target_id, staff_id, department_code, level, comment, proactive, rated_at)
	VALUES (p_kind, p_target, p_staff, p_dept, p_level, coalesce(p_comment, ''), p_proactive, t)
	RETURNING id INTO v_id;
	IF p_level <= 2 THEN
		INSERT INTO hall.rectifications (rating_id, opened_at, callback_due, rectify_due)
		VALUES (v_id, t, hall.workday_add(today, hall.setting_int('callback_days')),
		        hall.workday_add(today, hall.setting_int('rectify_days')));
	END IF;
	PERFORM hall.log('rate', p_app, p_inquiry, v_id, NULL, NULL, NULL, coalesce(p_comment, ''),
		jsonb_build_object('level', p_level, 'staff_id', p_staff, 'bad', p_level <= 2) || coalesce(p_details, '{}'));
	PERFORM hall.notify('hall_ratings', p_dept);
	RETURN v_id;
END $$;

-- The applicant's rating of a target whose staff member, department and
-- label the caller has found: the first one is recorded; the second is the
-- follow-up (追评), allowed once the rectification of a bad rating is
-- closed.  Returns the rating.
CREATE FUNCTION hall.rate_apply(p_kind text, p_target bigint, p_staff int, p_dept text, p_label text,
                                p_level int, p_comment text, p_app bigint, p_inquiry bigint,
                                p_details jsonb DEFAULT '{}') RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	rt hall.ratings;
	rc hall.rectifications;
BEGIN
	IF p_staff IS NULL THEN
		RAISE EXCEPTION '% has no staff member to rate', p_label
			USING ERRCODE = '55000', HINT = 'reason:rate_no_staff';
	END IF;
	SELECT * INTO rt FROM hall.ratings r WHERE r.kind = p_kind AND r.target_id = p_target FOR UPDATE;
	IF NOT FOUND THEN
		RETURN hall.rating_record(p_kind, p_target, p_staff, p_dept, p_level, p_comment, true, p_app, p_inquiry,
		                          p_details);
	END IF;
	SELECT * INTO rc FROM hall.rectifications x WHERE x.rating_id = rt.id;
	IF rt.followup_level IS NOT NULL OR rc.rating_id IS NULL OR rc.closed_at IS NULL THEN
		RAISE EXCEPTION '% is already rated%', p_label,
			CASE WHEN rt.followup_level IS NOT NULL THEN ' and followed up'
			     WHEN rc.rating_id IS NULL THEN ''
			     ELSE ': a follow-up is possible once the rectification is closed' END
			USING ERRCODE = '55000', HINT = 'reason:already_rated';
	END IF;
	UPDATE hall.ratings r SET followup_level = p_level, followup_comment = p_comment, followup_at = hall.now()
	WHERE r.id = rt.id;
	PERFORM hall.log('followup', p_app, p_inquiry, rt.id, NULL, NULL, NULL, p_comment,
		jsonb_build_object('level', p_level, 'staff_id', rt.staff_id));
	RETURN rt.id;
END $$;

-- A rating from the applicant, of a completed case, an answered inquiry or
-- (kind 'service', id the ticket: the online rating the SMS links to) a
-- finished service at a window, which hall.rate_service (023) finds.
CREATE FUNCTION hall.rate(kind text, id bigint, level int, comment text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_comment text := hall.optional_text(rate.comment, 'rating_comment');
	v_staff int;
	v_dept text;
	v_app bigint;
	v_inq bigint;
	v_label text;
BEGIN
	IF rate.kind IS NULL OR rate.kind NOT IN ('application', 'inquiry', 'service') THEN
		RAISE EXCEPTION 'rating kind "%": application, inquiry or service', rate.kind
			USING ERRCODE = '22023', HINT = 'reason:bad_rating_kind';
	END IF;
	IF rate.level IS NULL OR rate.level NOT BETWEEN 1 AND 5 THEN
		RAISE EXCEPTION 'a rating level is 1 to 5, not %', rate.level
			USING ERRCODE = '22023', HINT = 'reason:rating_level';
	END IF;
	IF rate.kind = 'service' THEN
		RETURN hall.rate_service(rate.id, rate.level, v_comment);
	ELSIF rate.kind = 'application' THEN
		SELECT a.closed_by, a.department_code, a.id, a.case_no INTO v_staff, v_dept, v_app, v_label
		FROM hall.applications a WHERE a.id = rate.id AND a.state = 'completed';
		IF NOT FOUND THEN
			IF EXISTS (SELECT 1 FROM hall.applications a WHERE a.id = rate.id) THEN
				RAISE EXCEPTION 'case % is not completed: only completed cases are rated',
					(SELECT a.case_no FROM hall.applications a WHERE a.id = rate.id)
					USING ERRCODE = '55000', HINT = 'reason:rate_not_closed';
			END IF;
			RAISE EXCEPTION 'case #% does not exist', rate.id
				USING ERRCODE = 'P0002', HINT = 'reason:not_found:case';
		END IF;
	ELSE
		SELECT q.answered_by, q.department_code, q.id, q.ref INTO v_staff, v_dept, v_inq, v_label
		FROM hall.inquiries q WHERE q.id = rate.id AND q.state = 'answered';
		IF NOT FOUND THEN
			IF EXISTS (SELECT 1 FROM hall.inquiries q WHERE q.id = rate.id) THEN
				RAISE EXCEPTION 'inquiry % is not answered yet: only answered inquiries are rated',
					(SELECT q.ref FROM hall.inquiries q WHERE q.id = rate.id)
					USING ERRCODE = '55000', HINT = 'reason:rate_not_closed';
			END IF;
			RAISE EXCEPTION 'inquiry #% does not exist', rate.id
				USING ERRCODE = 'P0002', HINT = 'reason:not_found:inquiry';
		END IF;
	END IF;
	RETURN hall.rate_apply(rate.kind, rate.id, v_staff, v_dept, v_label, rate.level, v_comment, v_app, v_inq);
END $$;
REVOKE ALL ON FUNCTION hall.rating_record(text, bigint, int, text, int, text, boolean, bigint, bigint, jsonb),
	hall.rate_apply(text, bigint, int, text, text, int, text, bigint, bigint, jsonb) FROM PUBLIC;

-- A bad rating's steps: verify, then rectify and call back.
CREATE FUNCTION hall.rectify(rating bigint, step text, note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
	v_note text := hall.require_text(rectify.note, 'rectify_note');
	rt hall.ratings;
	rc hall.rectifications;
	t timestamptz := hall.now();
BEGIN
	IF rectify.step IS NULL OR rectify.step NOT IN ('verify', 'rectify', 'callback') THEN
		RAISE EXCEPTION 'rectification step "%": verify, rectify or callback', rectify.step
			USING ERRCODE = '22023', HINT = 'reason:bad_rectify_step';
	END IF;
	SELECT * INTO rt FROM hall.ratings r WHERE r.id = rectify.rating;
	IF NOT FOUND OR NOT (me.id = rt.staff_id OR (me.kind = 'supervisor' AND me.department_code = rt.department_code)) THEN
		PERFORM hall.not_found('rating', rectify.rating);
	END IF;
	SELECT * INTO rc FROM hall.rectifications x WHERE x.rating_id = rt.id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'rating #% is not a bad rating: nothing to rectify', rt.id
			USING ERRCODE = '55000', HINT = 'reason:not_bad_rating';
	END IF;
	IF rectify.step = 'verify' AND rc.verified_at IS NOT NULL
	   OR rectify.step = 'rectify' AND rc.rectified_at IS NOT NULL
	   OR rectify.step = 'callback' AND rc.callback_at IS NOT NULL THEN
		RAISE EXCEPTION 'rating #%: the % step is already recorded', rt.id, rectify.step
			USING ERRCODE = '55000', HINT = 'reason:step_done:' || rectify.step;
	END IF;
	IF rectify.step <> 'verify' AND rc.verified_at IS NULL THEN
		RAISE EXCEPTION 'rating #%: verify the rating before the % step', rt.id, rectify.step
			USING ERRCODE = '55000', HINT = 'reason:verify_first:' || rectify.step;
	END IF;
	IF rectify.step = 'verify' THEN
		rc.verified_at := t; rc.verified_by := me.id; rc.verify_note := v_note;
	ELSIF rectify.step = 'rectify' THEN
		rc.rectified_at := t; rc.rectified_by := me.id; rc.rectify_note := v_note;
	ELSE
		rc.callback_at := t; rc.callback_by := me.id; rc.callback_note := v_note;
	END IF;
	IF rc.verified_at IS NOT NULL AND rc.rectified_at IS NOT NULL AND rc.callback_at IS NOT NULL THEN
		rc.closed_at := t;
	END IF;
	UPDATE hall.rectifications x SET
		verified_at = rc.verified_at, verified_by = rc.verified_by, verify_note = rc.verify_note,
		rectified_at = rc.rectified_at, rectified_by = rc.rectified_by, rectify_note = rc.rectify_note,
		callback_at = rc.callback_at, callback_by = rc.callback_by, callback_note = rc.callback_note,
		closed_at = rc.closed_at
	WHERE x.rating_id = rt.id;
	PERFORM hall.log('rectify', NULL, NULL, rt.id, NULL, NULL, NULL, v_note,
		jsonb_build_object('step', rectify.step, 'closed', rc.closed_at IS NOT NULL));
END $$;

CREATE FUNCTION hall.appeal(rating bigint, reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
	v_reason text := hall.require_text(appeal.reason, 'appeal_reason');
	rt hall.ratings;
BEGIN
	SELECT * INTO rt FROM hall.ratings r WHERE r.id = appeal.rating AND r.staff_id = me.id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM hall.not_found('rating', appeal.rating);
	END IF;
	IF rt.level > 2 THEN
		RAISE EXCEPTION 'rating #% is not a bad rating: only levels 1 and 2 can be appealed', rt.id
			USING ERRCODE = '55000', HINT = 'reason:not_bad_rating';
	END IF;
	IF rt.appeal_state IS NOT NULL THEN
		RAISE EXCEPTION 'rating #% was already appealed (%)', rt.id, rt.appeal_state
			USING ERRCODE = '55000', HINT = 'reason:already_appealed';
	END IF;
	UPDATE hall.ratings r SET appeal_state = 'pending', appeal_reason = v_reason, appeal_at = hall.now()
	WHERE r.id = rt.id;
	PERFORM hall.log('appeal', NULL, NULL, rt.id, NULL, NULL, 'pending', v_reason, NULL);
END $$;

CREATE FUNCTION hall.judge_appeal(rating bigint, upheld boolean, note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_note text := hall.optional_text(judge_appeal.note, 'appeal_note');
	rt hall.ratings;
	me hall.staff;
BEGIN
	IF judge_appeal.upheld IS NULL THEN
		RAISE EXCEPTION 'upheld must be true or false' USING ERRCODE = '22023', HINT = 'reason:bad_choice';
	END IF;
	SELECT * INTO rt FROM hall.ratings r WHERE r.id = judge_appeal.rating FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM hall.not_found('rating', judge_appeal.rating);
	END IF;
	me := hall.require_supervisor(rt.department_code, 'rating', rt.id);
	IF rt.appeal_state IS DISTINCT FROM 'pending' THEN
		RAISE EXCEPTION 'rating #% has no appeal waiting', rt.id
			USING ERRCODE = '55000', HINT = 'reason:no_appeal_pending';
	END IF;
	UPDATE hall.ratings r SET appeal_state = CASE WHEN judge_appeal.upheld THEN 'upheld' ELSE 'dismissed' END,
		appeal_note = v_note, appeal_judged_by = me.id, appeal_judged_at = hall.now(),
		counts = NOT judge_appeal.upheld
	WHERE r.id = rt.id;
	PERFORM hall.log('judge_appeal', NULL, NULL, rt.id, NULL, 'pending',
		CASE WHEN judge_appeal.upheld THEN 'upheld' ELSE 'dismissed' END, v_note,
		jsonb_build_object('upheld', judge_appeal.upheld));
END $$;

GRANT EXECUTE ON FUNCTION hall.ask(text, text, jsonb, text, text), hall.rate(text, bigint, int, text)
	TO hall_portal;
GRANT EXECUTE ON FUNCTION hall.reply_inquiry(bigint, text), hall.transfer_inquiry(bigint, text, text),
	hall.rectify(bigint, text, text)
	TO hall_clerk, hall_supervisor;
GRANT EXECUTE ON FUNCTION hall.appeal(bigint, text) TO hall_clerk, hall_supervisor;
GRANT EXECUTE ON FUNCTION hall.judge_appeal(bigint, boolean, text) TO hall_supervisor;

-- ------------------------------------------------------------------- views

CREATE VIEW hall.v_inquiries WITH (security_invoker = true) AS
SELECT q.id, q.ref, q.channel, q.department_code, q.asker_name, q.phone_masked, q.subject, q.body,
       q.received_at, q.received_on, q.due_days, q.due_date, q.state,
       CASE WHEN q.state = 'open' THEN hall.days_left(q.due_date, t.today) END AS days_left,
       CASE WHEN q.state = 'open' THEN hall.urgency(q.due_date, t.today, t.warn) ELSE 'answered' END AS urgency,
       NOT hall.calendar_published(extract(year FROM q.due_date)::int) AS calendar_unpublished,
       q.answered_at, q.answered_by, s.name AS answered_by_name,
       (SELECT r.on_time FROM hall.replies r WHERE r.inquiry_id = q.id ORDER BY r.id DESC LIMIT 1) AS on_time,
       q.transfer_count, q.updated_at, q.assigned_to, z.name AS assigned_to_name
FROM hall.inquiries q
LEFT JOIN hall.staff s ON s.id = q.answered_by
LEFT JOIN hall.staff z ON z.id = q.assigned_to
CROSS JOIN (SELECT hall.today() AS today, hall.setting_int('warn_days') AS warn OFFSET 0) t
ORDER BY q.state <> 'open', q.due_date, q.id;

CREATE VIEW hall.v_inquiry_replies WITH (security_invoker = true) AS
SELECT r.id, r.inquiry_id, r.staff_id, s.name AS staff_name, r.body, r.replied_at, r.on_time
FROM hall.replies r
JOIN hall.staff s ON s.id = r.staff_id;

-- Ratings with their rectification, the base of the rating views.  The
-- target label (case number and item, or inquiry reference and subject)
-- is NULL when the caller cannot see the case or inquiry any more.
CREATE VIEW hall.v_ratings WITH (security_invoker = true) AS
SELECT r.id, r.kind, r.target_id,
       coalesce(a.case_no || ' ' || i.name, q.ref || ' ' || q.subject) AS target,
       r.staff_id, s.login, s.name AS staff_name, r.department_code, r.level, r.comment, r.proactive,
       r.rated_at, r.counts, r.appeal_state, r.appeal_reason, r.appeal_at, r.appeal_note, r.appeal_judged_at,
       r.followup_level, r.followup_comment, r.followup_at,
       x.rating_id IS NOT NULL AS bad,
       x.opened_at, x.callback_due, x.rectify_due,
       x.verified_at, x.verify_note, x.rectified_at, x.rectify_note, x.callback_at, x.callback_note, x.closed_at,
       (x.rating_id IS NOT NULL AND x.closed_at IS NULL) AS rectification_open,
       coalesce(x.callback_at > hall.end_of_day(x.callback_due)
                OR (x.callback_at IS NULL AND t.today > x.callback_due), false) AS callback_late,
       coalesce(x.rectified_at > hall.end_of_day(x.rectify_due)
                OR (x.rectified_at IS NULL AND t.today > x.rectify_due), false) AS rectify_late
FROM hall.ratings r
JOIN hall.staff s ON s.id = r.staff_id
LEFT JOIN hall.rectifications x ON x.rating_id = r.id
LEFT JOIN hall.applications a ON r.kind = 'application' AND a.id = r.target_id
LEFT JOIN hall.items i ON i.id = a.item_id
LEFT JOIN hall.inquiries q ON r.kind = 'inquiry' AND q.id = r.target_id
CROSS JOIN (SELECT hall.today() AS today OFFSET 0) t;

-- The caller's own ratings (a supervisor's too, not the department's).
CREATE VIEW hall.v_my_ratings WITH (security_invoker = true) AS
SELECT v.* FROM hall.v_ratings v
WHERE v.staff_id = (SELECT hall.my_id());

-- Per staff member: counts per level over the ratings that count,
-- satisfaction = levels 4-5 over all that count.
CREATE VIEW hall.v_rating_summary WITH (security_invoker = true) AS
SELECT v.staff_id, v.login, v.staff_name, v.department_code,
       count(*) FILTER (WHERE v.counts) AS ratings,
       count(*) FILTER (WHERE v.counts AND v.level = 5) AS n5,
       count(*) FILTER (WHERE v.counts AND v.level = 4) AS n4,
       count(*) FILTER (WHERE v.counts AND v.level = 3) AS n3,
       count(*) FILTER (WHERE v.counts AND v.level = 2) AS n2,
       count(*) FILTER (WHERE v.counts AND v.level = 1) AS n1,
       round(count(*) FILTER (WHERE v.counts AND v.level >= 4)::numeric
             / nullif(count(*) FILTER (WHERE v.counts), 0), 4) AS satisfaction,
       count(*) FILTER (WHERE NOT v.counts) AS not_counting,
       count(*) FILTER (WHERE v.rectification_open) AS rectifications_open,
       count(*) FILTER (WHERE v.bad AND (v.callback_late OR v.rectify_late)) AS rectifications_late,
       count(*) FILTER (WHERE v.appeal_state = 'pending') AS appeals_pending,
       max(v.rated_at) AS last_rated_at
FROM hall.v_ratings v
GROUP BY v.staff_id, v.login, v.staff_name, v.department_code;

-- Per staff member per ISO week, the last 12 weeks (current one included),
-- zero rows filled in for the sparkline.
CREATE VIEW hall.v_rating_weeks WITH (security_invoker = true) AS
WITH w AS (
	SELECT g::date AS week_start
	FROM (SELECT date_trunc('week', hall.today()::timestamp) AS cur OFFSET 0) c,
	     generate_series(c.cur - interval '11 weeks', c.cur, interval '1 week') g
), s AS (
	SELECT DISTINCT r.staff_id FROM hall.ratings r
)
SELECT s.staff_id, w.week_start,
       extract(isoyear FROM w.week_start)::int AS iso_year, extract(week FROM w.week_start)::int AS iso_week,
       count(r.id) AS ratings,
       count(r.id) FILTER (WHERE r.level >= 4) AS good,
       count(r.id) FILTER (WHERE r.level <= 2) AS bad,
       round(count(r.id) FILTER (WHERE r.level >= 4)::numeric / nullif(count(r.id), 0), 4) AS satisfaction
FROM s CROSS JOIN w
LEFT JOIN hall.ratings r ON r.staff_id = s.staff_id AND r.counts
	AND (r.rated_at AT TIME ZONE 'Asia/Shanghai')::date >= w.week_start
	AND (r.rated_at AT TIME ZONE 'Asia/Shanghai')::date < w.week_start + 7
GROUP BY s.staff_id, w.week_start;

-- Supervisor: open bad ratings' rectifications, late flags.
CREATE VIEW hall.v_bad_ratings WITH (security_invoker = true) AS
SELECT v.* FROM hall.v_ratings v
WHERE v.rectification_open;

-- Supervisor: open cases and inquiries overdue or within warn_days, by staff
-- member (cases not yet claimed and inquiries have none).  hall.days_left
-- and hall.urgency are written out over hall.days (as in hall.v_queue, 005),
-- today and the warning limit once a statement (init plans): two function
-- calls a row, each with its SET search_path, were most of the dashboard's
-- counts (doc/performance.md, P5).
CREATE VIEW hall.v_overdue WITH (security_invoker = true) AS
SELECT 'application'::text AS kind, a.id, a.case_no AS ref, i.name AS title, a.department_code, a.window_code,
       a.claimed_by AS staff_id, s.name AS staff_name, a.state, a.sort_due AS deadline,
       CASE WHEN a.sort_due < t.today THEN least(-1, dd.cum - t.today_cum) ELSE dd.cum - t.today_cum END AS days_left,
       CASE WHEN a.sort_due < t.today THEN 'overdue' WHEN dd.cum - t.today_cum <= t.warn THEN 'warning'
            ELSE 'ok' END AS urgency
FROM hall.applications a
JOIN hall.items i ON i.id = a.item_id
LEFT JOIN hall.staff s ON s.id = a.claimed_by
CROSS JOIN (SELECT (SELECT hall.today()) AS today, (SELECT hall.setting_int('warn_days')) AS warn,
                   (SELECT x.cum FROM hall.days x WHERE x.d = hall.today()) AS today_cum,
                   (SELECT hall.workday_add(hall.today(), hall.setting_int('warn_days') + 1)) AS warn_limit OFFSET 0) t
LEFT JOIN hall.days dd ON dd.d = a.sort_due
WHERE a.state IN ('submitted', 'in_review', 'returned', 'escalated') AND a.sort_due < t.warn_limit
UNION ALL
SELECT 'inquiry', q.id, q.ref, q.subject, q.department_code, NULL, NULL, NULL, q.state, q.due_date,
       CASE WHEN q.due_date < t.today THEN least(-1, dd.cum - t.today_cum) ELSE dd.cum - t.today_cum END,
       CASE WHEN q.due_date < t.today THEN 'overdue' WHEN dd.cum - t.today_cum <= t.warn THEN 'warning'
            ELSE 'ok' END
FROM hall.inquiries q
CROSS JOIN (SELECT (SELECT hall.today()) AS today, (SELECT hall.setting_int('warn_days')) AS warn,
                   (SELECT x.cum FROM hall.days x WHERE x.d = hall.today()) AS today_cum,
                   (SELECT hall.workday_add(hall.today(), hall.setting_int('warn_days') + 1)) AS warn_limit OFFSET 0) t
LEFT JOIN hall.days dd ON dd.d = q.due_date
WHERE q.state = 'open' AND q.due_date < t.warn_limit;

GRANT SELECT ON hall.v_inquiries, hall.v_inquiry_replies, hall.v_ratings, hall.v_my_ratings,
	hall.v_rating_summary, hall.v_rating_weeks, hall.v_overdue, hall.v_bad_ratings
	TO hall_clerk, hall_supervisor, hall_trainer;
