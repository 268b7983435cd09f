-- Delivering the outbox: the dispatcher's claim and outcome functions, quiet
-- hours, and what supervisors see and may do.
--
-- Rows are written by the transitions (hall.enqueue) in their own
-- transaction; `hallctl notify` delivers them over HTTP.  The contract:
--
--   pending --outbox_claim--> sending --outbox_sent----> sent      (2xx only)
--      ^                         |  \---outbox_failed--> failed    (4xx, or attempts used up)
--      |                         \------outbox_retry---> pending   (later: not_before moves on)
--      \------------------------------- outbox_requeue <- failed   (a supervisor, audited)
--
-- * A claim is a lease: the row is 'sending', leased_by the worker, until
--   lease_until.  While a row is 'sending' its not_before equals its
--   lease_until, so the one index outbox_due orders both kinds of due rows:
--   pending ones whose time has come and claims whose sender went away.  A
--   killed dispatcher therefore loses nothing: its rows are claimed again
--   when the lease runs out (and attempts counts that claim too).
-- * Only the worker holding the lease may say "retry" or "failed".  A late
--   worker whose lease was taken over may still say "sent": the gateway
--   accepted the message, so the row is done whoever holds it now, and
--   recording that stops the new holder from sending it again (the gateway
--   would drop the copy anyway: the Idempotency-Key is the row's key).
--   'sent' is final; nothing moves a row out of it.
-- * Quiet hours (settings quiet_start/quiet_end, Asia/Shanghai): messages to
--   applicants are not sent at night.  hall.release_time(recipient, t) of
--   005 gives the first moment a message may go: hall.enqueue uses it for
--   not_before, outbox_retry and outbox_requeue apply it too, and
--   outbox_claim takes no applicant message while the hall is in quiet hours
--   (a backlog left from the evening waits for the morning as well).  The
--   12345 platform is never held.  release_time is non-decreasing in t,
--   which outbox_next_due relies on.
-- * Every change that makes a row due sends NOTIFY hall_outbox (the
--   functions that queue rows, and requeue), so dispatchers sleep until
--   there is work.
SET LOCAL ROLE hall_admin;

-- The dispatcher's role: it may claim and settle outbox rows, nothing else.
-- An administrator creates a login role IN ROLE hall_notifier for it.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'hall_notifier') THEN
		CREATE ROLE hall_notifier NOLOGIN;
	END IF;
END $$;
GRANT USAGE ON SCHEMA hall TO hall_notifier;

ALTER TABLE hall.outbox
	ADD COLUMN last_attempt_at timestamptz,   -- when it was last claimed
	ADD COLUMN failed_at       timestamptz;   -- when it was marked failed
COMMENT ON COLUMN hall.outbox.not_before IS
	'pending: not sent before this time; sending: equals lease_until (claimable again after it)';
COMMENT ON COLUMN hall.outbox.leased_by IS 'the worker that claimed it last';
COMMENT ON COLUMN hall.outbox.response IS 'first bytes (at most 512) of the gateway''s answer to a failed message';
CREATE INDEX outbox_state ON hall.outbox (state);

-- No trigger wakes the dispatchers: each function that queues rows sends
-- NOTIFY hall_outbox itself (hall.enqueue, the cards job of 017, the demo
-- and the training room).  A statement trigger on INSERT cost a transition
-- about 40 us of its 2 ms (the trigger machinery, not the NOTIFY), and a
-- row queued without one is still found by the dispatcher's next poll
-- (hall.outbox_next_due).

-- Claim up to batch due rows for worker, for lease_seconds.  Due: pending
-- with not_before reached, or sending with its lease run out; applicant
-- messages only outside quiet hours.  Oldest first; rows another worker is
-- claiming at this moment are skipped, not waited for.
CREATE FUNCTION hall.outbox_claim(worker text, batch int, lease_seconds int)
RETURNS SETOF hall.outbox
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	t timestamptz := hall.now();
	quiet boolean := hall.release_time('applicant', t) > t;
	lease timestamptz;
BEGIN
	IF worker IS NULL OR btrim(worker) = '' THEN
		RAISE EXCEPTION 'outbox_claim: worker must be named'
			USING ERRCODE = '22023', HINT = 'reason:outbox_claim_args';
	END IF;
	IF batch IS NULL OR batch < 1 OR batch > 10000 THEN
		RAISE EXCEPTION 'outbox_claim: batch must be 1 to 10000 (got %)', batch
			USING ERRCODE = '22023', HINT = 'reason:outbox_claim_args';
	END IF;
	IF lease_seconds IS NULL OR lease_seconds < 1 OR lease_seconds > 86400 THEN
		RAISE EXCEPTION 'outbox_claim: lease_seconds must be 1 to 86400 (got %)', lease_seconds
			USING ERRCODE = '22023', HINT = 'reason:outbox_claim_args';
	END IF;
	lease := t + make_interval(secs => lease_seconds);
	RETURN QUERY
	WITH due AS (
		SELECT o.id
		FROM hall.outbox o
		WHERE o.state IN ('pending', 'sending')
		  AND o.not_before <= t
		  AND (o.state = 'pending' OR o.lease_until IS NULL OR o.lease_until <= t)
		  AND (NOT quiet OR o.recipient <> 'applicant')
		ORDER BY o.not_before, o.id
		LIMIT batch
		FOR UPDATE SKIP LOCKED
	)
	UPDATE hall.outbox o
	SET state = 'sending',
	    lease_until = lease,
	    not_before = lease,
	    leased_by = worker,
	    attempts = o.attempts + 1,
	    last_attempt_at = t
	FROM due
	WHERE o.id = due.id
	RETURNING o.*;
END $$;

-- The gateway answered 2xx.  Returns 'sent'; 'sent_late' when the worker's
-- lease had been taken over (or the row had meanwhile been retried or
-- failed): recorded all the same, see the header; 'already_sent' when it
-- was (nothing changes); 'unknown' for no such row.
CREATE FUNCTION hall.outbox_sent(id bigint, worker text, http_status int)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.outbox;
BEGIN
	IF http_status IS NULL OR http_status NOT BETWEEN 200 AND 299 THEN
		RAISE EXCEPTION 'outbox_sent: HTTP % is not a success', http_status
			USING ERRCODE = '22023', HINT = 'reason:outbox_http_status';
	END IF;
	SELECT * INTO r FROM hall.outbox o WHERE o.id = outbox_sent.id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'unknown';
	END IF;
	IF r.state = 'sent' THEN
		RETURN 'already_sent';
	END IF;
	UPDATE hall.outbox o
	SET state = 'sent', sent_at = hall.now(), http_status = outbox_sent.http_status,
	    lease_until = NULL, response = NULL, failed_at = NULL
	WHERE o.id = outbox_sent.id;
	IF r.state = 'sending' AND r.leased_by IS NOT DISTINCT FROM worker THEN
		RETURN 'sent';
	END IF;
	RETURN 'sent_late';
END $$;

-- A transient failure (5xx, 408, 429, timeout, connection): try again at
-- next_at (moved past quiet hours for applicants).  Only the lease holder
-- may; returns false (and changes nothing) for anybody else.
CREATE FUNCTION hall.outbox_retry(id bigint, worker text, http_status int, error text, next_at timestamptz)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	UPDATE hall.outbox o
	SET state = 'pending',
	    not_before = hall.release_time(o.recipient, greatest(coalesce(next_at, hall.now()), hall.now())),
	    lease_until = NULL,
	    http_status = outbox_retry.http_status,
	    last_error = left(coalesce(error, ''), 1000)
	WHERE o.id = outbox_retry.id AND o.state = 'sending' AND o.leased_by = worker;
	RETURN FOUND;
END $$;

-- A permanent failure (4xx other than 408/429, or attempts used up): a
-- person must look.  response keeps the answer's first 512 characters.
-- Only the lease holder may; returns false for anybody else.
CREATE FUNCTION hall.outbox_failed(id bigint, worker text, http_status int, error text, response text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	UPDATE hall.outbox o
	SET state = 'failed',
	    lease_until = NULL,
	    failed_at = hall.now(),
	    http_status = outbox_failed.http_status,
	    last_error = left(coalesce(error, ''), 1000),
	    response = left(outbox_failed.response, 512)
	WHERE o.id = outbox_failed.id AND o.state = 'sending' AND o.leased_by = worker;
	RETURN FOUND;
END $$;

-- Seconds from hall.now() until the next row becomes due (<= 0: one is due
-- now), or NULL when nothing waits.  The dispatcher sleeps that long unless
-- a NOTIFY comes first.  release_time is non-decreasing, so the earliest
-- applicant row released is the release of the earliest applicant row.
CREATE FUNCTION hall.outbox_next_due() RETURNS double precision
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT extract(epoch FROM least(
		(SELECT min(not_before) FROM hall.outbox
		  WHERE state IN ('pending', 'sending') AND recipient <> 'applicant'),
		hall.release_time('applicant', greatest(
			(SELECT min(not_before) FROM hall.outbox
			  WHERE state IN ('pending', 'sending') AND recipient = 'applicant'),
			hall.now()))
	) - hall.now())::double precision
$$;

-- Who may see or requeue a failed message: a superuser, an administrator
-- or trainer, or a supervisor of the department of its case or inquiry
-- (any supervisor when it belongs to neither).  Staff log in as their own
-- role, so the login (session_user) names them.
CREATE FUNCTION hall.outbox_may_handle(app_id bigint, inquiry_id bigint)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user), false)
	    OR EXISTS (
		SELECT 1 FROM hall.staff s
		WHERE s.login = session_user AND s.active
		  AND (s.kind IN ('admin', 'trainer')
		       OR (s.kind = 'supervisor' AND s.department_code IS NOT DISTINCT FROM coalesce(
		               (SELECT a.department_code FROM hall.applications a WHERE a.id = outbox_may_handle.app_id),
		               (SELECT i.department_code FROM hall.inquiries i WHERE i.id = outbox_may_handle.inquiry_id),
		               s.department_code))))
$$;

-- Send a failed message again: back to pending (after quiet hours for an
-- applicant), attempts from zero; the audit log keeps who, when, why and
-- the error it had.  For staff only (hall.me()); raises P0002 for no such
-- row, 42501 for a row of another department, 55000 unless it is failed.
CREATE FUNCTION hall.outbox_requeue(id bigint, note text DEFAULT '')
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	me hall.staff := hall.me();
	r hall.outbox;
BEGIN
	SELECT * INTO r FROM hall.outbox o WHERE o.id = outbox_requeue.id FOR UPDATE;
	IF NOT FOUND OR NOT hall.outbox_may_handle(r.app_id, r.inquiry_id) THEN
		PERFORM hall.not_found('notification', outbox_requeue.id);
	END IF;
	IF r.state <> 'failed' THEN
		RAISE EXCEPTION 'notification % is %, only a failed one can be sent again', r.id, r.state
			USING ERRCODE = '55000', HINT = 'reason:requeue_not_failed:' || r.state;
	END IF;
	UPDATE hall.outbox o
	SET state = 'pending', attempts = 0, not_before = hall.release_time(o.recipient, hall.now()),
	    lease_until = NULL, failed_at = NULL
	WHERE o.id = r.id;
	PERFORM hall.log('outbox_requeue', r.app_id, r.inquiry_id, NULL, NULL, 'failed', 'pending',
	                 hall.optional_text(note, 'requeue_note'),
	                 jsonb_build_object('outbox_id', r.id, 'key', r.key, 'event', r.event,
	                                    'recipient', r.recipient, 'attempts', r.attempts,
	                                    'http_status', r.http_status, 'last_error', r.last_error));
	PERFORM hall.notify('hall_outbox', '');
END $$;

-- Counts by state, for the supervisor's outbox screen: one row per state,
-- zero included.  due: pending rows whose time has come (the rest wait for
-- a retry or for the morning); oldest: the oldest row's created_at.  The
-- counts cover the whole hall (no personal data); the failed list below is
-- per department.
CREATE VIEW hall.v_outbox_summary AS
SELECT s.state, s.ord,
       coalesce(c.n, 0) AS n,
       coalesce(c.due, 0) AS due,
       c.oldest
FROM (VALUES ('pending', 1), ('sending', 2), ('failed', 3), ('sent', 4)) s(state, ord)
LEFT JOIN (
	-- hall.now() once (an init plan), not once a row
	SELECT o.state, count(*) AS n,
	       count(*) FILTER (WHERE o.state = 'pending' AND o.not_before <= (SELECT hall.now())) AS due,
	       min(o.created_at) AS oldest
	FROM hall.outbox o
	GROUP BY o.state
) c ON c.state = s.state
ORDER BY s.ord;

-- The failed messages the viewer may requeue, newest first.  No payload
-- (it holds the applicant's phone number): the event, the case or inquiry,
-- and what went wrong.
CREATE VIEW hall.v_outbox_failed WITH (security_barrier) AS
SELECT o.id, o.key, o.event, o.recipient, o.created_at, o.failed_at, o.attempts,
       o.http_status, o.last_error, o.response,
       o.app_id, a.case_no, o.inquiry_id, i.ref AS inquiry_ref,
       coalesce(a.department_code, i.department_code) AS department_code
FROM hall.outbox o
LEFT JOIN hall.applications a ON a.id = o.app_id
LEFT JOIN hall.inquiries i ON i.id = o.inquiry_id
WHERE o.state = 'failed' AND hall.outbox_may_handle(o.app_id, o.inquiry_id);

GRANT EXECUTE ON FUNCTION hall.outbox_claim(text, int, int), hall.outbox_sent(bigint, text, int),
	hall.outbox_retry(bigint, text, int, text, timestamptz),
	hall.outbox_failed(bigint, text, int, text, text), hall.outbox_next_due(),
	hall.mode(), hall.now(), hall.setting(text)
	TO hall_notifier;
GRANT EXECUTE ON FUNCTION hall.outbox_requeue(bigint, text) TO hall_supervisor;
-- Functions in a view run with the reader's privileges.
GRANT EXECUTE ON FUNCTION hall.outbox_may_handle(bigint, bigint) TO hall_supervisor, hall_trainer;
GRANT SELECT ON hall.v_outbox_summary, hall.v_outbox_failed TO hall_supervisor, hall_trainer;
