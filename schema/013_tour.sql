-- What the tour of the hall found missing (issue 8): a clerk withdraws an
-- appeal still waiting; a supervisor corrects the phone number of a
-- notification the gateway refused as invalid, or cancels it; the
-- gateway's answer summarised in its own words; the inquiries a clerk
-- transferred to another department, which row-level security no longer
-- shows them.
--
--   pending --outbox_claim--> sending --outbox_failed--> failed
--      ^                                                   |  |
--      +---- outbox_requeue (as it is) --------------------+  |
--      +---- outbox_correct (new phone number, new key) ------+
--                                       outbox_cancel --> cancelled (final)
SET LOCAL ROLE hall_admin;

INSERT INTO hall.text_fields (field, what, multiline, min_chars, max_chars) VALUES
	('outbox_phone',       'the corrected phone number',             false, 1, 20),
	('outbox_fix_note',    'a note on correcting a notification',    true,  2, 500),
	('outbox_cancel_note', 'a note on cancelling a notification',    true,  2, 500);

-- ------------------------------------------------------- withdrawing an appeal

-- The rated clerk takes back an appeal the supervisor has not judged yet
-- (to word it again, or because it was lodged against the wrong rating).
-- The reason stays in the audit log; the rating may be appealed again.
CREATE FUNCTION hall.withdraw_appeal(rating bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
	rt hall.ratings;
BEGIN
	SELECT * INTO rt FROM hall.ratings r WHERE r.id = withdraw_appeal.rating AND r.staff_id = me.id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM hall.not_found('rating', withdraw_appeal.rating);
	END IF;
	IF rt.appeal_state IS NULL THEN
		RAISE EXCEPTION 'rating #% has no appeal to withdraw', rt.id
			USING ERRCODE = '55000', HINT = 'reason:appeal_none';
	END IF;
	IF rt.appeal_state <> 'pending' THEN
		RAISE EXCEPTION 'the appeal of rating #% was already judged (%): it can no longer be withdrawn',
			rt.id, rt.appeal_state USING ERRCODE = '55000', HINT = 'reason:appeal_judged';
	END IF;
	UPDATE hall.ratings r SET appeal_state = NULL, appeal_reason = NULL, appeal_at = NULL
	WHERE r.id = rt.id;
	PERFORM hall.log('withdraw_appeal', NULL, NULL, rt.id, NULL, 'pending', NULL, '',
		jsonb_build_object('reason', rt.appeal_reason, 'appealed_at', rt.appeal_at));
END $$;
GRANT EXECUTE ON FUNCTION hall.withdraw_appeal(bigint) TO hall_clerk, hall_supervisor;

-- ------------------------------------------------ the gateway's own words

-- The code a gateway put in its answer ("E_MOBILE"): the JSON field code
-- (or error_code), else the first E_WORD in the text; '' when none.
CREATE FUNCTION hall.gateway_code(response text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	j jsonb;
BEGIN
	IF response IS NULL OR response = '' THEN
		RETURN '';
	END IF;
	IF left(ltrim(response), 1) = '{' THEN
		BEGIN
			j := response::jsonb;
			IF jsonb_typeof(j) = 'object' AND coalesce(j->>'code', j->>'error_code', '') ~ '^[A-Za-z][A-Za-z0-9_.-]{0,39}$' THEN
				RETURN coalesce(j->>'code', j->>'error_code');
			END IF;
		EXCEPTION WHEN others THEN
			NULL; -- not JSON after all (cut at 512 characters): read it as text
		END;
	END IF;
	RETURN coalesce(substring(response FROM '\m(E_[A-Z0-9_]{2,38})\M'), '');
END $$;

-- What the gateway said, in its own words, for a person: the message of a
-- JSON answer (message, msg, error, description, detail), else the text of
-- an HTML or plain answer with its tags and entities gone, its first
-- non-empty line, without a leading HTTP status that repeats `status`;
-- at most 120 characters; '' when it said nothing readable.
CREATE FUNCTION hall.gateway_words(response text, status int) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	j jsonb;
	t text := coalesce(response, '');
	line text;
BEGIN
	IF left(ltrim(t), 1) = '{' THEN
		BEGIN
			j := t::jsonb;
			IF jsonb_typeof(j) = 'object' THEN
				t := coalesce(j->>'message', j->>'msg', j->>'error_description', j->>'description',
				              j->>'detail', CASE WHEN jsonb_typeof(j->'error') = 'string' THEN j->>'error' END,
				              j->'error'->>'message', '');
			END IF;
		EXCEPTION WHEN others THEN
			NULL;
		END;
	END IF;
	-- Markup: what a <title> says is repeated in <h1>; scripts and styles
	-- are not words.  Block tags end a line, other tags are a space.
	t := regexp_replace(t, '<(script|style|title|head)\M.*?</\1\s*>', ' ', 'gis');
	t := regexp_replace(t, '<!--.*?-->', ' ', 'gs');
	t := regexp_replace(t, '</?(p|div|h[1-6]|br|li|tr|title|body|html|pre|center|hr)\M[^>]*>', E'\n', 'gi');
	t := regexp_replace(t, '<[^>]*>', ' ', 'g');
	t := replace(replace(replace(replace(replace(replace(t,
		'&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&');
	-- Controls become spaces, except the line ends that split the lines.
	t := translate(t, E'\r\t\f' || chr(11), E'\n   ');
	t := regexp_replace(t, '[\x01-\x09\x0b-\x1f\x7f]', ' ', 'g');
	FOR line IN SELECT btrim(regexp_replace(l, '\s+', ' ', 'g')) FROM regexp_split_to_table(t, E'\n') l LOOP
		IF line <> '' THEN
			IF status IS NOT NULL THEN
				line := btrim(regexp_replace(line, '^(HTTP\s*)?' || status::text || '\M[\s:.-]*', '', 'i'));
			END IF;
			IF line <> '' THEN
				RETURN CASE WHEN length(line) > 120 THEN left(line, 119) || '…' ELSE line END;
			END IF;
		END IF;
	END LOOP;
	RETURN '';
END $$;
GRANT EXECUTE ON FUNCTION hall.gateway_code(text), hall.gateway_words(text, int)
	TO hall_supervisor, hall_trainer;

-- --------------------------------------------- correcting or cancelling

ALTER TABLE hall.outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE hall.outbox ADD CONSTRAINT outbox_state_check
	CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled'));

-- Lock a failed message for a decision of the supervisor of its
-- department (of its case or inquiry; any supervisor when it has neither).
-- Others, administrators and the trainer included, get "not found".
CREATE FUNCTION hall.outbox_for_supervisor(p_id bigint) RETURNS hall.outbox
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
	r hall.outbox;
	dept text;
BEGIN
	IF me.kind <> 'supervisor' THEN
		RAISE EXCEPTION 'only a supervisor of the department may correct or cancel a notification'
			USING ERRCODE = '42501', HINT = 'reason:supervisor_only';
	END IF;
	SELECT * INTO r FROM hall.outbox o WHERE o.id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM hall.not_found('notification', p_id);
	END IF;
	dept := coalesce((SELECT a.department_code FROM hall.applications a WHERE a.id = r.app_id),
	                 (SELECT i.department_code FROM hall.inquiries i WHERE i.id = r.inquiry_id),
	                 me.department_code);
	IF dept IS DISTINCT FROM me.department_code THEN
		PERFORM hall.not_found('notification', p_id);
	END IF;
	IF r.state <> 'failed' THEN
		RAISE EXCEPTION 'notification % is %: only a failed one can be corrected or cancelled', r.id, r.state
			USING ERRCODE = '55000', HINT = 'reason:outbox_not_failed';
	END IF;
	RETURN r;
END $$;

-- A mainland mobile number from what a person typed: spaces, dashes and a
-- leading +86 / 0086 are dropped; 22023 unless 11 digits starting 13-19.
CREATE FUNCTION hall.mobile_number(v text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	p text := hall.require_text(v, 'outbox_phone');
BEGIN
	p := regexp_replace(regexp_replace(p, '[\s()-]', '', 'g'), '^(\+86|0086)', '');
	IF p !~ '^1[3-9][0-9]{9}$' THEN
		RAISE EXCEPTION 'a mobile number has 11 digits and starts with 13 to 19 (got %)', hall.mask_phone(p)
			USING ERRCODE = '22023', HINT = 'reason:phone_invalid';
	END IF;
	RETURN p;
END $$;

-- The gateway refused the number (E_MOBILE): send the message again to a
-- corrected number.  It goes as a new message (a new Idempotency-Key: the
-- gateway may remember its refusal under the old one), due now (after the
-- quiet hours for an applicant), attempts from zero.  The audit row keeps
-- the old and new numbers masked only; the case's or inquiry's own number
-- is not changed (the applicant's record is corrected where it is kept).
CREATE FUNCTION hall.outbox_correct(id bigint, phone text, note text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_phone text := hall.mobile_number(outbox_correct.phone);
	v_note text := hall.require_text(outbox_correct.note, 'outbox_fix_note');
	r hall.outbox := hall.outbox_for_supervisor(outbox_correct.id);
	v_key uuid := gen_random_uuid();
BEGIN
	IF NOT r.payload ? 'phone' THEN
		RAISE EXCEPTION 'notification % carries no phone number to correct', r.id
			USING ERRCODE = '55000', HINT = 'reason:outbox_no_phone';
	END IF;
	IF r.payload->>'phone' = v_phone THEN
		RAISE EXCEPTION 'notification % already goes to that number: send it again (r) or cancel it', r.id
			USING ERRCODE = '22023', HINT = 'reason:phone_unchanged';
	END IF;
	UPDATE hall.outbox o
	SET payload = jsonb_set(o.payload, '{phone}', to_jsonb(v_phone)), key = v_key,
	    state = 'pending', attempts = 0, not_before = hall.release_time(o.recipient, hall.now()),
	    lease_until = NULL, failed_at = NULL
	WHERE o.id = r.id;
	PERFORM hall.log('outbox_correct', r.app_id, r.inquiry_id, NULL, NULL, 'failed', 'pending', v_note,
		jsonb_build_object('outbox_id', r.id, 'old_key', r.key, 'key', v_key, 'event', r.event,
		                   'recipient', r.recipient, 'phone_was', hall.mask_phone(r.payload->>'phone'),
		                   'phone', hall.mask_phone(v_phone), 'attempts', r.attempts,
		                   'http_status', r.http_status, 'last_error', r.last_error));
	PERFORM hall.notify('hall_outbox', '');
END $$;

-- Give up on a failed message (nobody can be reached, or it is no longer
-- true): 'cancelled' is final; the dispatcher never claims it.
CREATE FUNCTION hall.outbox_cancel(id bigint, note text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_note text := hall.require_text(outbox_cancel.note, 'outbox_cancel_note');
	r hall.outbox := hall.outbox_for_supervisor(outbox_cancel.id);
BEGIN
	UPDATE hall.outbox o SET state = 'cancelled', lease_until = NULL WHERE o.id = r.id;
	PERFORM hall.log('outbox_cancel', r.app_id, r.inquiry_id, NULL, NULL, 'failed', 'cancelled', v_note,
		jsonb_build_object('outbox_id', r.id, 'key', r.key, 'event', r.event, 'recipient', r.recipient,
		                   'attempts', r.attempts, 'http_status', r.http_status, 'last_error', r.last_error));
END $$;
GRANT EXECUTE ON FUNCTION hall.outbox_correct(bigint, text, text), hall.outbox_cancel(bigint, text)
	TO hall_supervisor;

-- The failed messages' number, masked, beside hall.v_outbox_failed (whose
-- columns stay as they are): whether there is one to correct.
CREATE VIEW hall.v_outbox_failed_phone WITH (security_barrier) AS
SELECT o.id, o.payload ? 'phone' AS has_phone, hall.mask_phone(o.payload->>'phone') AS phone_masked
FROM hall.outbox o
WHERE o.state = 'failed' AND hall.outbox_may_handle(o.app_id, o.inquiry_id);
GRANT SELECT ON hall.v_outbox_failed_phone TO hall_supervisor, hall_trainer;
-- Functions in a view run with the reader's privileges.
GRANT EXECUTE ON FUNCTION hall.mask_phone(text) TO hall_supervisor, hall_trainer;

-- ------------------------------------------- inquiries I transferred

-- The inquiries the caller transferred to another department, newest
-- first: what they were about and where they went, from the caller's own
-- audit rows (row-level security shows those, but no longer the inquiry:
-- it belongs to the other department now).  Only what the caller saw when
-- transferring, and whether it has been answered since.
CREATE FUNCTION hall.my_transfers(p_limit int DEFAULT 100)
RETURNS TABLE (inquiry_id bigint, ref text, channel text, asker_name text, subject text,
               transferred_at timestamptz, from_department text, to_department text,
               to_department_name text, note text, answered boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT q.id, q.ref, q.channel, q.asker_name, q.subject, a.at, a.details->>'from', a.details->>'to',
	       coalesce(d.name, a.details->>'to'), a.note, q.state = 'answered'
	FROM hall.audit a
	JOIN hall.inquiries q ON q.id = a.inquiry_id
	LEFT JOIN hall.departments d ON d.code = a.details->>'to'
	WHERE a.staff_id = (SELECT hall.my_id()) AND a.action = 'transfer'
	ORDER BY a.at DESC, a.id DESC
	LIMIT greatest(1, least(coalesce(p_limit, 100), 1000))
$$;
GRANT EXECUTE ON FUNCTION hall.my_transfers(int) TO hall_clerk, hall_supervisor;

-- "Answered by me" on the inquiries screen: a clerk's latest replies.
CREATE INDEX replies_staff ON hall.replies (staff_id, replied_at);
