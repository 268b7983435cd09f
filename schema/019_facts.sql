-- The supervisors' figures without recounting: facts kept in step with the
-- cases, inquiries, replies, ratings and the audit log by triggers, so that
-- a department's month (015's timeliness, 018's scorecard and platform
-- figures) sums a few hundred rows instead of counting every case of the
-- month again (at 1M cases a department's month has about 50,000 completed
-- cases and 35,000 ratings: 0.8 - 1.2 s for a timeliness figure, 3 - 4 s
-- for the scorecard before; doc/performance.md, "Supervisor figures").
--
--   hall.completed_days   cases completed, per closing day (Asia/Shanghai),
--                         department, window and clerk (closed_by): how many,
--                         on time, early, and how many of them are rated
--   hall.rating_days      ratings that count, per rating day, department,
--                         clerk and window (the rated case's; NULL for an
--                         inquiry): how many, levels 3-5, levels 4-5,
--                         proactive, proactive with levels 3-5
--   hall.answer_facts     one row per answered inquiry: day, department,
--                         who answered, received and answered instants (the
--                         reply time in working hours is computed when read:
--                         it follows the opening hours, and medians cannot be
--                         summed), on time (its last reply's, else the due
--                         day), rated
--   hall.accept_misses    one row per case that missed or may still miss its
--                         acceptance deadline (§32): accepted after accept_due,
--                         or not accepted and not closed by then; who made its
--                         first claim (the audit log)
--   hall.platform_days    cases received, per day, department, item, channel,
--                         applicant kind and returns (0, 1, 2 = two or more)
--   hall.closed_counts    cases rejected, withdrawn and terminated, per
--                         department, window and state, all time (the
--                         dashboard's counts, hall.v_summary, at the end)
--
-- Each table equals, at every commit, its definition: the view
-- hall.<table>_computed over the base tables (hall.facts_drift() compares
-- them; hall.facts_rebuild() refills the tables).  What depends on today
-- (open cases, due soon, overdue) is not kept: the figures read it live,
-- through the partial indexes of open items.
--
-- The triggers are statement-level with transition tables, one aggregated
-- change per statement, whatever its number of rows (the demo generator
-- inserts a million cases in one statement), except UPDATE of
-- hall.applications: every transition is one, of one case, and a row
-- trigger with plain statements costs it a tenth of an EXECUTEd text
-- planned anew (facts_application_row); ENABLE ALWAYS, so they also
-- follow the generator, which loads under session_replication_role =
-- replica; TRUNCATE of a source table rebuilds the facts that depend on it.
-- The daily tables are changed by deltas (-1 per old row, +1 per new row,
-- applied where the sum is not 0; rows falling to 0 are deleted; a count
-- falling below 0 is an error: the table is out of step, and a wrong
-- figure would be worse); the per-item tables are refreshed for the items
-- a statement touched.  Concurrent writers of the same daily row (one
-- clerk, one day, one window) wait for each other on it, in key order.  A
-- transition (a claim, an approval) adds under a millisecond.
--
-- Reading: the SECURITY INVOKER figures read them through row-level
-- security as they read the base tables: a supervisor their department's
-- rows (rating_days: and their own, as hall.ratings), the trainer and the
-- director everything.
SET LOCAL ROLE hall_admin;

-- ------------------------------------------------------------ the tables

CREATE TABLE hall.completed_days (
	department_code text NOT NULL,
	day             date NOT NULL,          -- closed_at, Asia/Shanghai
	window_code     text NOT NULL,
	staff_id        int,                    -- closed_by
	completed       bigint NOT NULL,
	on_time         bigint NOT NULL,        -- closed on or before due_date (or no due_date)
	early           bigint NOT NULL,        -- closed before due_date
	rated           bigint NOT NULL,        -- with a rating (counting or not)
	UNIQUE NULLS NOT DISTINCT (department_code, day, window_code, staff_id)
);
COMMENT ON TABLE hall.completed_days IS
	'cases completed per day, department, window and clerk (019): kept in step with hall.applications and hall.ratings';

CREATE TABLE hall.rating_days (
	department_code text NOT NULL,          -- the rating's
	day             date NOT NULL,          -- rated_at, Asia/Shanghai
	staff_id        int NOT NULL,
	window_code     text,                   -- the rated case's window; NULL: an inquiry
	ratings         bigint NOT NULL,        -- that count (counts = true)
	good            bigint NOT NULL,        -- levels 3-5
	satisfied       bigint NOT NULL,        -- levels 4-5
	proactive       bigint NOT NULL,
	proactive_good  bigint NOT NULL,        -- proactive, levels 3-5
	UNIQUE NULLS NOT DISTINCT (department_code, day, staff_id, window_code)
);
COMMENT ON TABLE hall.rating_days IS
	'ratings that count per day, department, clerk and window (019): kept in step with hall.ratings and hall.applications';

CREATE TABLE hall.answer_facts (
	inquiry_id      bigint PRIMARY KEY,
	department_code text NOT NULL,
	day             date NOT NULL,          -- answered_at, Asia/Shanghai
	staff_id        int,                    -- answered_by
	received_at     timestamptz NOT NULL,
	answered_at     timestamptz NOT NULL,
	on_time         boolean NOT NULL,       -- the last reply's on_time, else day <= due_date
	rated           boolean NOT NULL
);
CREATE INDEX answer_facts_department_day ON hall.answer_facts (department_code, day)
	INCLUDE (staff_id, on_time, rated, received_at, answered_at);
COMMENT ON TABLE hall.answer_facts IS
	'one row per answered inquiry (019): kept in step with hall.inquiries, hall.replies and hall.ratings';

CREATE TABLE hall.accept_misses (
	app_id          bigint PRIMARY KEY,
	department_code text NOT NULL,
	window_code     text NOT NULL,
	accept_due      date NOT NULL,
	accepted_on     date,
	closed_on       date,                   -- closed_at, Asia/Shanghai
	claim_id        bigint,                 -- the case's first claim (hall.audit.id)
	staff_id        int                     -- ... and who made it
);
CREATE INDEX accept_misses_department_due ON hall.accept_misses (department_code, accept_due)
	INCLUDE (window_code, accepted_on, closed_on, staff_id);
COMMENT ON TABLE hall.accept_misses IS
	'cases accepted after accept_due, or not accepted and not closed by then (019): kept in step with hall.applications and hall.audit';

CREATE TABLE hall.platform_days (
	day             date NOT NULL,          -- received_at, Asia/Shanghai
	department_code text NOT NULL,
	item_id         int NOT NULL,
	channel         text NOT NULL,
	applicant_kind  text NOT NULL,
	returns         int NOT NULL,           -- return_count, 2 = two or more
	n               bigint NOT NULL,
	PRIMARY KEY (day, department_code, item_id, channel, applicant_kind, returns)
);
COMMENT ON TABLE hall.platform_days IS
	'cases received per day, department, item, channel, applicant kind and returns (019): kept in step with hall.applications';

-- No day in the key: nothing reads these by period, and a window's row per
-- state stays one row however long the hall runs.  Two clerks rejecting at
-- one window in the same instant wait for each other's commit on it (a
-- rejection is rarer than an approval, which keeps completed_days' clerk
-- key for that reason).
CREATE TABLE hall.closed_counts (
	department_code text NOT NULL,
	window_code     text NOT NULL,
	state           text NOT NULL CHECK (state IN ('rejected', 'withdrawn', 'terminated')),
	n               bigint NOT NULL,
	PRIMARY KEY (department_code, window_code, state)
);
COMMENT ON TABLE hall.closed_counts IS
	'cases rejected, withdrawn and terminated per department, window and state (019): kept in step with hall.applications';


-- ------------------------------------------------- what the tables equal
--
-- The definitions, as views over the base tables (hall_admin's only: they
-- read everything).  The per-item ones are also what a refresh inserts,
-- filtered on the items' ids.

CREATE VIEW hall.completed_days_computed AS
SELECT a.department_code, l.day, a.window_code, a.closed_by AS staff_id, count(*) AS completed,
       count(*) FILTER (WHERE NOT coalesce(l.day > a.due_date, false)) AS on_time,
       count(*) FILTER (WHERE coalesce(l.day < a.due_date, false)) AS early,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM hall.ratings r WHERE r.kind = 'application' AND r.target_id = a.id)) AS rated
FROM hall.applications a
CROSS JOIN LATERAL (SELECT (a.closed_at AT TIME ZONE 'Asia/Shanghai')::date AS day) l
WHERE a.state = 'completed' AND a.closed_at IS NOT NULL
GROUP BY 1, 2, 3, 4;

CREATE VIEW hall.rating_days_computed AS
SELECT r.department_code, (r.rated_at AT TIME ZONE 'Asia/Shanghai')::date AS day, r.staff_id, a.window_code,
       count(*) AS ratings, count(*) FILTER (WHERE r.level >= 3) AS good, count(*) FILTER (WHERE r.level >= 4) AS satisfied,
       count(*) FILTER (WHERE r.proactive) AS proactive, count(*) FILTER (WHERE r.proactive AND r.level >= 3) AS proactive_good
FROM hall.ratings r
LEFT JOIN hall.applications a ON r.kind = 'application' AND a.id = r.target_id
WHERE r.counts
GROUP BY 1, 2, 3, 4;

CREATE VIEW hall.answer_facts_computed AS
SELECT q.id AS inquiry_id, q.department_code, l.day, q.answered_by AS staff_id, q.received_at, q.answered_at,
       coalesce((SELECT (array_agg(x.on_time ORDER BY x.id DESC))[1] FROM hall.replies x WHERE x.inquiry_id = q.id),
                l.day <= q.due_date) AS on_time,
       EXISTS (SELECT 1 FROM hall.ratings r WHERE r.kind = 'inquiry' AND r.target_id = q.id) AS rated
FROM hall.inquiries q
CROSS JOIN LATERAL (SELECT (q.answered_at AT TIME ZONE 'Asia/Shanghai')::date AS day) l
WHERE q.state = 'answered' AND q.answered_at IS NOT NULL;

CREATE VIEW hall.accept_misses_computed AS
SELECT a.id AS app_id, a.department_code, a.window_code, a.accept_due, a.accepted_on, l.closed_on,
       c.id AS claim_id, c.staff_id
FROM hall.applications a
CROSS JOIN LATERAL (SELECT (a.closed_at AT TIME ZONE 'Asia/Shanghai')::date AS closed_on) l
LEFT JOIN LATERAL (SELECT x.id, x.staff_id FROM hall.audit x
                   WHERE x.app_id = a.id AND x.action = 'claim' ORDER BY x.id LIMIT 1) c ON true
WHERE a.accepted_on > a.accept_due
   OR (a.accepted_on IS NULL AND (l.closed_on IS NULL OR l.closed_on > a.accept_due));

CREATE VIEW hall.platform_days_computed AS
SELECT (a.received_at AT TIME ZONE 'Asia/Shanghai')::date AS day, a.department_code, a.item_id, a.channel,
       p.kind AS applicant_kind, least(a.return_count, 2) AS returns, count(*) AS n
FROM hall.applications a
JOIN hall.applicants p ON p.id = a.applicant_id
GROUP BY 1, 2, 3, 4, 5, 6;

CREATE VIEW hall.closed_counts_computed AS
SELECT a.department_code, a.window_code, a.state, count(*) AS n
FROM hall.applications a
WHERE a.state IN ('rejected', 'withdrawn', 'terminated')
GROUP BY 1, 2, 3;

-- Every fact table compared with its definition: one row per table with
-- the number of rows that differ (missing, extra or wrong), 0 when in
-- step.  For the tests, and for an administrator who doubts a figure.
CREATE FUNCTION hall.facts_drift()
RETURNS TABLE (fact text, rows_differing bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT 'completed_days', count(*) FROM (
		(SELECT * FROM hall.completed_days EXCEPT ALL SELECT * FROM hall.completed_days_computed)
		UNION ALL
		(SELECT * FROM hall.completed_days_computed EXCEPT ALL SELECT * FROM hall.completed_days)) x
	UNION ALL
	SELECT 'rating_days', count(*) FROM (
		(SELECT * FROM hall.rating_days EXCEPT ALL SELECT * FROM hall.rating_days_computed)
		UNION ALL
		(SELECT * FROM hall.rating_days_computed EXCEPT ALL SELECT * FROM hall.rating_days)) x
	UNION ALL
	SELECT 'answer_facts', count(*) FROM (
		(SELECT * FROM hall.answer_facts EXCEPT ALL SELECT * FROM hall.answer_facts_computed)
		UNION ALL
		(SELECT * FROM hall.answer_facts_computed EXCEPT ALL SELECT * FROM hall.answer_facts)) x
	UNION ALL
	SELECT 'accept_misses', count(*) FROM (
		(SELECT * FROM hall.accept_misses EXCEPT ALL SELECT * FROM hall.accept_misses_computed)
		UNION ALL
		(SELECT * FROM hall.accept_misses_computed EXCEPT ALL SELECT * FROM hall.accept_misses)) x
	UNION ALL
	SELECT 'platform_days', count(*) FROM (
		(SELECT * FROM hall.platform_days EXCEPT ALL SELECT * FROM hall.platform_days_computed)
		UNION ALL
		(SELECT * FROM hall.platform_days_computed EXCEPT ALL SELECT * FROM hall.platform_days)) x
	UNION ALL
	SELECT 'closed_counts', count(*) FROM (
		(SELECT * FROM hall.closed_counts EXCEPT ALL SELECT * FROM hall.closed_counts_computed)
		UNION ALL
		(SELECT * FROM hall.closed_counts_computed EXCEPT ALL SELECT * FROM hall.closed_counts)) x
$$;

-- Refill the named fact tables (NULL: all) from their definitions.
CREATE FUNCTION hall.facts_rebuild(facts text[] DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF facts IS NULL OR 'completed_days' = ANY (facts) THEN
		DELETE FROM hall.completed_days;
		INSERT INTO hall.completed_days SELECT * FROM hall.completed_days_computed;
	END IF;
	IF facts IS NULL OR 'rating_days' = ANY (facts) THEN
		DELETE FROM hall.rating_days;
		INSERT INTO hall.rating_days SELECT * FROM hall.rating_days_computed;
	END IF;
	IF facts IS NULL OR 'answer_facts' = ANY (facts) THEN
		DELETE FROM hall.answer_facts;
		INSERT INTO hall.answer_facts SELECT * FROM hall.answer_facts_computed;
	END IF;
	IF facts IS NULL OR 'accept_misses' = ANY (facts) THEN
		DELETE FROM hall.accept_misses;
		INSERT INTO hall.accept_misses SELECT * FROM hall.accept_misses_computed;
	END IF;
	IF facts IS NULL OR 'platform_days' = ANY (facts) THEN
		DELETE FROM hall.platform_days;
		INSERT INTO hall.platform_days SELECT * FROM hall.platform_days_computed;
	END IF;
	IF facts IS NULL OR 'closed_counts' = ANY (facts) THEN
		DELETE FROM hall.closed_counts;
		INSERT INTO hall.closed_counts SELECT * FROM hall.closed_counts_computed;
	END IF;
END $$;

-- ------------------------------------------------------ applying changes

-- The per-item tables: the rows of these items computed again (= ANY: an
-- index scan on the key, for one item as for the generator's 100,000).
-- Called by the trigger functions (as the owner) only.
CREATE FUNCTION hall.answer_facts_refresh(ids bigint[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	DELETE FROM hall.answer_facts f WHERE f.inquiry_id = ANY (ids);
	INSERT INTO hall.answer_facts
	SELECT c.* FROM hall.answer_facts_computed c WHERE c.inquiry_id = ANY (ids);
END $$;

CREATE FUNCTION hall.accept_misses_refresh(ids bigint[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	DELETE FROM hall.accept_misses m WHERE m.app_id = ANY (ids);
	INSERT INTO hall.accept_misses
	SELECT c.* FROM hall.accept_misses_computed c WHERE c.app_id = ANY (ids);
END $$;

-- The daily tables: the statement that adds the signed changes the query
-- d returns (one row per changed source row: the table's key and counts)
-- and returns the rows that fell to 0 and the number of rows that went
-- wrong (a count below 0, or a part above its whole), which the trigger
-- hands to <table>_settle: an error for the latter (the table is out of
-- step: an error, never a wrong figure), the others deleted.  (A text to
-- EXECUTE: the transition tables d reads are visible to the trigger
-- function only.  No CHECK on the counts: INSERT ... ON CONFLICT checks
-- the proposed row, a decrement, before it finds the existing one.)
CREATE FUNCTION hall.completed_days_change(d text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT format($q$
		SELECT hall.completed_days_add(array_agg(ROW(s.*)::hall.completed_days))
		FROM (SELECT d.department_code, d.day, d.window_code, d.staff_id,
		             sum(d.completed), sum(d.on_time), sum(d.early), sum(d.rated)
		      FROM (%s) d
		      GROUP BY 1, 2, 3, 4) s
	$q$, d)
$$;

-- Add signed changes (rows of the table's shape, the same key possibly
-- more than once) to hall.completed_days: the one statement that writes
-- it, for the statement triggers' EXECUTEd changes and the row trigger's
-- plain (cached) ones alike.
CREATE FUNCTION hall.completed_days_add(z hall.completed_days[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	zeros hall.completed_days[];
	wrong bigint;
BEGIN
	IF z IS NULL THEN
		RETURN;
	END IF;
	WITH up AS (
		INSERT INTO hall.completed_days AS c (department_code, day, window_code, staff_id, completed, on_time, early, rated)
		SELECT s.* FROM (
			SELECT d.department_code, d.day, d.window_code, d.staff_id,
			       sum(d.completed) AS completed, sum(d.on_time) AS on_time, sum(d.early) AS early, sum(d.rated) AS rated
			FROM unnest(z) d
			GROUP BY 1, 2, 3, 4) s
		WHERE (s.completed, s.on_time, s.early, s.rated) <> (0, 0, 0, 0)
		ORDER BY 1, 2, 3, 4
		ON CONFLICT (department_code, day, window_code, staff_id) DO UPDATE
		SET completed = c.completed + excluded.completed, on_time = c.on_time + excluded.on_time,
		    early = c.early + excluded.early, rated = c.rated + excluded.rated
		RETURNING c.*
	)
	SELECT array_agg(up) FILTER (WHERE up.completed = 0),
	       count(*) FILTER (WHERE up.completed < 0 OR up.on_time NOT BETWEEN 0 AND up.completed
	                        OR up.early NOT BETWEEN 0 AND up.completed OR up.rated NOT BETWEEN 0 AND up.completed)
	INTO zeros, wrong
	FROM up;
	PERFORM hall.completed_days_settle(zeros, wrong);
END $$;

CREATE FUNCTION hall.completed_days_settle(z hall.completed_days[], wrong bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF wrong > 0 THEN
		RAISE EXCEPTION 'hall.completed_days is out of step with hall.applications (% rows)', wrong
			USING ERRCODE = 'XX000', HINT = 'reason:facts_drift';
	END IF;
	IF z IS NULL THEN
		RETURN;
	END IF;
	DELETE FROM hall.completed_days c USING unnest(z) x
	WHERE (c.department_code, c.day, c.window_code) = (x.department_code, x.day, x.window_code)
	  AND c.staff_id IS NOT DISTINCT FROM x.staff_id AND c.completed = 0;
END $$;

CREATE FUNCTION hall.rating_days_change(d text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT format($q$
		SELECT hall.rating_days_add(array_agg(ROW(s.*)::hall.rating_days))
		FROM (SELECT d.department_code, d.day, d.staff_id, d.window_code,
		             sum(d.s),
		             coalesce(sum(d.s) FILTER (WHERE d.level >= 3), 0),
		             coalesce(sum(d.s) FILTER (WHERE d.level >= 4), 0),
		             coalesce(sum(d.s) FILTER (WHERE d.proactive), 0),
		             coalesce(sum(d.s) FILTER (WHERE d.proactive AND d.level >= 3), 0)
		      FROM (%s) d
		      GROUP BY 1, 2, 3, 4) s
	$q$, d)
$$;

-- As completed_days_add, for hall.rating_days.
CREATE FUNCTION hall.rating_days_add(z hall.rating_days[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	zeros hall.rating_days[];
	wrong bigint;
BEGIN
	IF z IS NULL THEN
		RETURN;
	END IF;
	WITH up AS (
		INSERT INTO hall.rating_days AS c (department_code, day, staff_id, window_code,
		                                   ratings, good, satisfied, proactive, proactive_good)
		SELECT s.* FROM (
			SELECT d.department_code, d.day, d.staff_id, d.window_code, sum(d.ratings) AS ratings,
			       sum(d.good) AS good, sum(d.satisfied) AS satisfied, sum(d.proactive) AS proactive,
			       sum(d.proactive_good) AS proactive_good
			FROM unnest(z) d
			GROUP BY 1, 2, 3, 4) s
		WHERE (s.ratings, s.good, s.satisfied, s.proactive, s.proactive_good) <> (0, 0, 0, 0, 0)
		ORDER BY 1, 2, 3, 4
		ON CONFLICT (department_code, day, staff_id, window_code) DO UPDATE
		SET ratings = c.ratings + excluded.ratings, good = c.good + excluded.good,
		    satisfied = c.satisfied + excluded.satisfied, proactive = c.proactive + excluded.proactive,
		    proactive_good = c.proactive_good + excluded.proactive_good
		RETURNING c.*
	)
	SELECT array_agg(up) FILTER (WHERE up.ratings = 0),
	       count(*) FILTER (WHERE up.ratings < 0 OR up.good NOT BETWEEN 0 AND up.ratings
	                        OR up.satisfied NOT BETWEEN 0 AND up.good OR up.proactive NOT BETWEEN 0 AND up.ratings
	                        OR up.proactive_good NOT BETWEEN 0 AND up.proactive)
	INTO zeros, wrong
	FROM up;
	PERFORM hall.rating_days_settle(zeros, wrong);
END $$;

CREATE FUNCTION hall.rating_days_settle(z hall.rating_days[], wrong bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF wrong > 0 THEN
		RAISE EXCEPTION 'hall.rating_days is out of step with hall.ratings (% rows)', wrong
			USING ERRCODE = 'XX000', HINT = 'reason:facts_drift';
	END IF;
	IF z IS NULL THEN
		RETURN;
	END IF;
	DELETE FROM hall.rating_days c USING unnest(z) x
	WHERE (c.department_code, c.day, c.staff_id) = (x.department_code, x.day, x.staff_id)
	  AND c.window_code IS NOT DISTINCT FROM x.window_code AND c.ratings = 0;
END $$;

CREATE FUNCTION hall.platform_days_change(d text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT format($q$
		SELECT hall.platform_days_add(array_agg(ROW(s.*)::hall.platform_days))
		FROM (SELECT d.day, d.department_code, d.item_id, d.channel, d.applicant_kind, d.returns, sum(d.s)
		      FROM (%s) d
		      GROUP BY 1, 2, 3, 4, 5, 6) s
	$q$, d)
$$;

-- As completed_days_add, for hall.platform_days.
CREATE FUNCTION hall.platform_days_add(z hall.platform_days[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	zeros hall.platform_days[];
	wrong bigint;
BEGIN
	IF z IS NULL THEN
		RETURN;
	END IF;
	WITH up AS (
		INSERT INTO hall.platform_days AS c (day, department_code, item_id, channel, applicant_kind, returns, n)
		SELECT d.day, d.department_code, d.item_id, d.channel, d.applicant_kind, d.returns, sum(d.n)
		FROM unnest(z) d
		GROUP BY 1, 2, 3, 4, 5, 6
		HAVING sum(d.n) <> 0
		ORDER BY 1, 2, 3, 4, 5, 6
		ON CONFLICT (day, department_code, item_id, channel, applicant_kind, returns) DO UPDATE
		SET n = c.n + excluded.n
		RETURNING c.*
	)
	SELECT array_agg(up) FILTER (WHERE up.n = 0), count(*) FILTER (WHERE up.n < 0)
	INTO zeros, wrong
	FROM up;
	PERFORM hall.platform_days_settle(zeros, wrong);
END $$;

CREATE FUNCTION hall.platform_days_settle(z hall.platform_days[], wrong bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF wrong > 0 THEN
		RAISE EXCEPTION 'hall.platform_days is out of step with hall.applications (% rows)', wrong
			USING ERRCODE = 'XX000', HINT = 'reason:facts_drift';
	END IF;
	IF z IS NULL THEN
		RETURN;
	END IF;
	DELETE FROM hall.platform_days c USING unnest(z) x
	WHERE (c.day, c.department_code, c.item_id, c.channel, c.applicant_kind, c.returns)
	      = (x.day, x.department_code, x.item_id, x.channel, x.applicant_kind, x.returns)
	  AND c.n = 0;
END $$;

-- Add signed changes to hall.closed_counts (no day, no part of a whole:
-- one function both adds and settles).
CREATE FUNCTION hall.closed_counts_add(z hall.closed_counts[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	zeros hall.closed_counts[];
	wrong bigint;
BEGIN
	IF z IS NULL THEN
		RETURN;
	END IF;
	WITH up AS (
		INSERT INTO hall.closed_counts AS c (department_code, window_code, state, n)
		SELECT d.department_code, d.window_code, d.state, sum(d.n)
		FROM unnest(z) d
		GROUP BY 1, 2, 3
		HAVING sum(d.n) <> 0
		ORDER BY 1, 2, 3
		ON CONFLICT (department_code, window_code, state) DO UPDATE
		SET n = c.n + excluded.n
		RETURNING c.*
	)
	SELECT array_agg(up) FILTER (WHERE up.n = 0), count(*) FILTER (WHERE up.n < 0)
	INTO zeros, wrong
	FROM up;
	IF wrong > 0 THEN
		RAISE EXCEPTION 'hall.closed_counts is out of step with hall.applications (% rows)', wrong
			USING ERRCODE = 'XX000', HINT = 'reason:facts_drift';
	END IF;
	IF zeros IS NOT NULL THEN
		DELETE FROM hall.closed_counts c USING unnest(zeros) x
		WHERE (c.department_code, c.window_code, c.state) = (x.department_code, x.window_code, x.state) AND c.n = 0;
	END IF;
END $$;

-- The trigger functions.  Each first finds, in plain (cached) statements
-- over the transition tables, which facts the statement touched: most
-- UPDATEs (a claim, a return, an appeal, a follow-up) touch one fact or
-- none.  Only then does it EXECUTE the changes, whose text serves INSERT,
-- UPDATE and DELETE alike: %1$s stands for the statement's old rows and
-- %2$s for its new ones, an empty relation of the same columns for the
-- side an INSERT or a DELETE lacks.

-- hall.applications (INSERT, DELETE, TRUNCATE): completed_days,
-- platform_days, rating_days (the window of a rated case), accept_misses,
-- closed_counts.
CREATE FUNCTION hall.facts_applications() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	o text := CASE WHEN TG_OP = 'INSERT' THEN '(SELECT * FROM new_rows LIMIT 0)' ELSE 'old_rows' END;
	n text := CASE WHEN TG_OP = 'DELETE' THEN '(SELECT * FROM old_rows LIMIT 0)' ELSE 'new_rows' END;
	v_completed boolean;   -- a completed case came, went or changed
	v_received boolean;    -- a case came, went or changed its platform key
	v_window boolean;      -- a case came, went or changed window
	v_ids bigint[];        -- the cases whose acceptance facts may have changed
	z_x hall.closed_counts[];
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM hall.facts_rebuild('{completed_days,rating_days,accept_misses,platform_days,closed_counts}');
		RETURN NULL;
	ELSIF TG_OP = 'INSERT' THEN
		SELECT coalesce(bool_or(a.state = 'completed'), false), true, true, array_agg(a.id)
		INTO v_completed, v_received, v_window, v_ids
		FROM new_rows a;
		SELECT array_agg(ROW(x.department_code, x.window_code, x.state, x.n)::hall.closed_counts) INTO z_x
		FROM (SELECT a.department_code, a.window_code, a.state, count(*) AS n FROM new_rows a
		      WHERE a.state IN ('rejected', 'withdrawn', 'terminated') GROUP BY 1, 2, 3) x;
	ELSE  -- DELETE (an UPDATE is facts_application_row's)
		SELECT coalesce(bool_or(a.state = 'completed'), false), true, true, array_agg(a.id)
		INTO v_completed, v_received, v_window, v_ids
		FROM old_rows a;
		SELECT array_agg(ROW(x.department_code, x.window_code, x.state, -x.n)::hall.closed_counts) INTO z_x
		FROM (SELECT a.department_code, a.window_code, a.state, count(*) AS n FROM old_rows a
		      WHERE a.state IN ('rejected', 'withdrawn', 'terminated') GROUP BY 1, 2, 3) x;
	END IF;
	PERFORM hall.closed_counts_add(z_x);
	IF v_completed THEN
		EXECUTE hall.completed_days_change(format($q$
			SELECT x.department_code, x.day, x.window_code, x.staff_id, x.s AS completed,
			       CASE WHEN NOT coalesce(x.day > x.due_date, false) THEN x.s ELSE 0 END AS on_time,
			       CASE WHEN coalesce(x.day < x.due_date, false) THEN x.s ELSE 0 END AS early,
			       CASE WHEN EXISTS (SELECT 1 FROM hall.ratings r WHERE r.kind = 'application' AND r.target_id = x.id)
			            THEN x.s ELSE 0 END AS rated
			FROM (SELECT a.id, a.department_code, (a.closed_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
			             a.window_code, a.closed_by AS staff_id, a.due_date, -1 AS s
			      FROM %1$s a WHERE a.state = 'completed' AND a.closed_at IS NOT NULL
			      UNION ALL
			      SELECT a.id, a.department_code, (a.closed_at AT TIME ZONE 'Asia/Shanghai')::date,
			             a.window_code, a.closed_by, a.due_date, 1
			      FROM %2$s a WHERE a.state = 'completed' AND a.closed_at IS NOT NULL) x
		$q$, o, n));
	END IF;
	IF v_received THEN
		EXECUTE hall.platform_days_change(format($q$
			SELECT x.day, x.department_code, x.item_id, x.channel, p.kind AS applicant_kind, x.returns, x.s
			FROM (SELECT (a.received_at AT TIME ZONE 'Asia/Shanghai')::date AS day, a.department_code, a.item_id,
			             a.channel, a.applicant_id, least(a.return_count, 2) AS returns, -1 AS s
			      FROM %1$s a
			      UNION ALL
			      SELECT (a.received_at AT TIME ZONE 'Asia/Shanghai')::date, a.department_code, a.item_id,
			             a.channel, a.applicant_id, least(a.return_count, 2), 1
			      FROM %2$s a) x
			JOIN hall.applicants p ON p.id = x.applicant_id
		$q$, o, n));
	END IF;
	IF v_window THEN
		-- the ratings of a case that changed window (or came or went)
		EXECUTE hall.rating_days_change(format($q$
			SELECT r.department_code, (r.rated_at AT TIME ZONE 'Asia/Shanghai')::date AS day, r.staff_id,
			       v.window_code, r.level, r.proactive, v.s
			FROM (SELECT coalesce(a.id, b.id) AS id, a.window_code AS w_old, b.window_code AS w_new
			      FROM (SELECT x.id, x.window_code FROM %1$s x) a
			      FULL JOIN (SELECT x.id, x.window_code FROM %2$s x) b ON b.id = a.id
			      WHERE a.window_code IS DISTINCT FROM b.window_code) w
			JOIN hall.ratings r ON r.kind = 'application' AND r.target_id = w.id AND r.counts
			CROSS JOIN LATERAL (VALUES (w.w_old, -1), (w.w_new, 1)) v(window_code, s)
		$q$, o, n));
	END IF;
	IF v_ids IS NOT NULL THEN
		PERFORM hall.accept_misses_refresh(v_ids);
	END IF;
	RETURN NULL;
END $$;

-- An UPDATE of hall.applications, row by row: the terminal's transitions
-- change one case a statement, and the statement trigger's EXECUTEd text
-- was planned again each time (half of a claim-and-approve cycle, and it
-- runs inside the commit every window waits for: doc/performance.md, P1).
-- The same changes in plain statements, whose plans the session keeps;
-- the trigger's WHEN leaves out every update that touches no fact (an
-- extension's note, a queue rank, a material's mark).  A bulk UPDATE (the
-- calendar's new deadlines) pays a few cached statements per case.
CREATE FUNCTION hall.facts_application_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	z_c hall.completed_days[];
	z_r hall.rating_days[];
	z_p hall.platform_days[];
	v_day date;
	v_on_time bigint;
	v_early bigint;
	v_rated bigint;
BEGIN
	IF NEW.state = 'completed' AND OLD.state <> 'completed' AND NEW.closed_at IS NOT NULL THEN
		-- A completion (every approval): one row up by one, written
		-- directly; the general path below (deltas of -1 and +1, rows that
		-- fall to 0, the check) was 0.15 ms of a 2 ms cycle.
		v_day := (NEW.closed_at AT TIME ZONE 'Asia/Shanghai')::date;
		v_on_time := CASE WHEN NOT coalesce(v_day > NEW.due_date, false) THEN 1 ELSE 0 END;
		v_early := CASE WHEN coalesce(v_day < NEW.due_date, false) THEN 1 ELSE 0 END;
		v_rated := CASE WHEN EXISTS (SELECT 1 FROM hall.ratings r WHERE r.kind = 'application' AND r.target_id = NEW.id)
		                THEN 1 ELSE 0 END;
		INSERT INTO hall.completed_days AS c (department_code, day, window_code, staff_id, completed, on_time, early, rated)
		VALUES (NEW.department_code, v_day, NEW.window_code, NEW.closed_by, 1, v_on_time, v_early, v_rated)
		ON CONFLICT (department_code, day, window_code, staff_id) DO UPDATE
		SET completed = c.completed + 1, on_time = c.on_time + excluded.on_time, early = c.early + excluded.early,
		    rated = c.rated + excluded.rated;
	ELSIF (OLD.state = 'completed' OR NEW.state = 'completed')
	   AND (OLD.state, OLD.closed_at, OLD.department_code, OLD.window_code, OLD.closed_by, OLD.due_date)
	       IS DISTINCT FROM (NEW.state, NEW.closed_at, NEW.department_code, NEW.window_code, NEW.closed_by, NEW.due_date)
	THEN
		SELECT array_agg(ROW(x.department_code, x.day, x.window_code, x.staff_id, x.s,
		                     CASE WHEN NOT coalesce(x.day > x.due_date, false) THEN x.s ELSE 0 END,
		                     CASE WHEN coalesce(x.day < x.due_date, false) THEN x.s ELSE 0 END,
		                     CASE WHEN EXISTS (SELECT 1 FROM hall.ratings r WHERE r.kind = 'application' AND r.target_id = NEW.id)
		                          THEN x.s ELSE 0 END)::hall.completed_days)
		INTO z_c
		FROM (VALUES (OLD.state, OLD.closed_at, OLD.department_code, (OLD.closed_at AT TIME ZONE 'Asia/Shanghai')::date,
		              OLD.window_code, OLD.closed_by, OLD.due_date, -1::bigint),
		             (NEW.state, NEW.closed_at, NEW.department_code, (NEW.closed_at AT TIME ZONE 'Asia/Shanghai')::date,
		              NEW.window_code, NEW.closed_by, NEW.due_date, 1::bigint))
		     x(state, closed_at, department_code, day, window_code, staff_id, due_date, s)
		WHERE x.state = 'completed' AND x.closed_at IS NOT NULL;
		PERFORM hall.completed_days_add(z_c);
	END IF;
	IF (OLD.received_at, OLD.department_code, OLD.item_id, OLD.channel, OLD.applicant_id, least(OLD.return_count, 2))
	   IS DISTINCT FROM (NEW.received_at, NEW.department_code, NEW.item_id, NEW.channel, NEW.applicant_id,
	                     least(NEW.return_count, 2))
	THEN
		SELECT array_agg(ROW(x.day, x.department_code, x.item_id, x.channel, p.kind, x.returns, x.s)::hall.platform_days)
		INTO z_p
		FROM (VALUES ((OLD.received_at AT TIME ZONE 'Asia/Shanghai')::date, OLD.department_code, OLD.item_id, OLD.channel,
		              OLD.applicant_id, least(OLD.return_count, 2), -1::bigint),
		             ((NEW.received_at AT TIME ZONE 'Asia/Shanghai')::date, NEW.department_code, NEW.item_id, NEW.channel,
		              NEW.applicant_id, least(NEW.return_count, 2), 1::bigint))
		     x(day, department_code, item_id, channel, applicant_id, returns, s)
		JOIN hall.applicants p ON p.id = x.applicant_id;
		PERFORM hall.platform_days_add(z_p);
	END IF;
	IF (OLD.state IN ('rejected', 'withdrawn', 'terminated') OR NEW.state IN ('rejected', 'withdrawn', 'terminated'))
	   AND (OLD.state, OLD.department_code, OLD.window_code) IS DISTINCT FROM (NEW.state, NEW.department_code, NEW.window_code)
	THEN
		-- a rejection, withdrawal or termination, or (by hand) a case
		-- taken back out of one
		PERFORM hall.closed_counts_add(ARRAY(
			SELECT ROW(x.department_code, x.window_code, x.state, x.n)::hall.closed_counts
			FROM (VALUES (OLD.department_code, OLD.window_code, OLD.state, -1::bigint),
			             (NEW.department_code, NEW.window_code, NEW.state, 1::bigint)) x(department_code, window_code, state, n)
			WHERE x.state IN ('rejected', 'withdrawn', 'terminated')));
	END IF;
	IF OLD.window_code IS DISTINCT FROM NEW.window_code THEN
		-- the case's ratings move with it
		SELECT array_agg(ROW(r.department_code, (r.rated_at AT TIME ZONE 'Asia/Shanghai')::date, r.staff_id, v.window_code,
		                     v.s, CASE WHEN r.level >= 3 THEN v.s ELSE 0 END, CASE WHEN r.level >= 4 THEN v.s ELSE 0 END,
		                     CASE WHEN r.proactive THEN v.s ELSE 0 END,
		                     CASE WHEN r.proactive AND r.level >= 3 THEN v.s ELSE 0 END)::hall.rating_days)
		INTO z_r
		FROM hall.ratings r
		CROSS JOIN (VALUES (OLD.window_code, -1::bigint), (NEW.window_code, 1::bigint)) v(window_code, s)
		WHERE r.kind = 'application' AND r.target_id = NEW.id AND r.counts;
		PERFORM hall.rating_days_add(z_r);
	END IF;
	IF (OLD.accept_due, OLD.accepted_on, OLD.closed_at, OLD.department_code, OLD.window_code)
	   IS DISTINCT FROM (NEW.accept_due, NEW.accepted_on, NEW.closed_at, NEW.department_code, NEW.window_code)
	   -- (a case accepted in time is no miss, before or after)
	   AND NOT coalesce(OLD.accepted_on <= OLD.accept_due AND NEW.accepted_on <= NEW.accept_due, false)
	THEN
		DELETE FROM hall.accept_misses m WHERE m.app_id = NEW.id;
		-- Accepted in time (every claim of a waiting case): no miss, so
		-- nothing to compute (the view's condition, and its audit read,
		-- were a tenth of a claim).
		IF NOT coalesce(NEW.accepted_on <= NEW.accept_due, false) THEN
			INSERT INTO hall.accept_misses
			SELECT c.* FROM hall.accept_misses_computed c WHERE c.app_id = NEW.id;
		END IF;
	END IF;
	RETURN NULL;
END $$;

-- hall.ratings: completed_days (rated), rating_days, answer_facts (rated).
CREATE FUNCTION hall.facts_ratings() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	o text := CASE WHEN TG_OP = 'INSERT' THEN '(SELECT * FROM new_rows LIMIT 0)' ELSE 'old_rows' END;
	n text := CASE WHEN TG_OP = 'DELETE' THEN '(SELECT * FROM old_rows LIMIT 0)' ELSE 'new_rows' END;
	v_target boolean;      -- a case's rating came, went or changed what it rates
	v_counted boolean;     -- ... or what rating_days counts of it
	v_ids bigint[];        -- the inquiries rated or no longer rated
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM hall.facts_rebuild('{completed_days,rating_days,answer_facts}');
		RETURN NULL;
	ELSIF TG_OP = 'INSERT' THEN
		SELECT coalesce(bool_or(a.kind = 'application'), false), coalesce(bool_or(a.counts), false),
		       array_agg(a.target_id) FILTER (WHERE a.kind = 'inquiry')
		INTO v_target, v_counted, v_ids
		FROM new_rows a;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT coalesce(bool_or(a.kind = 'application'), false), coalesce(bool_or(a.counts), false),
		       array_agg(a.target_id) FILTER (WHERE a.kind = 'inquiry')
		INTO v_target, v_counted, v_ids
		FROM old_rows a;
	ELSE
		SELECT coalesce(bool_or((a.kind, a.target_id) IS DISTINCT FROM (b.kind, b.target_id)), false),
		       coalesce(bool_or((a.counts OR b.counts)
		                        AND (a.department_code, a.rated_at, a.staff_id, a.kind, a.target_id, a.level, a.proactive, a.counts)
		                            IS DISTINCT FROM (b.department_code, b.rated_at, b.staff_id, b.kind, b.target_id, b.level,
		                                              b.proactive, b.counts)), false),
		       array_agg(x.target_id) FILTER (WHERE x.kind = 'inquiry')
		INTO v_target, v_counted, v_ids
		FROM old_rows a
		JOIN new_rows b ON b.id = a.id
		LEFT JOIN LATERAL (VALUES (a.kind, a.target_id), (b.kind, b.target_id)) x(kind, target_id)
		       ON (a.kind, a.target_id) IS DISTINCT FROM (b.kind, b.target_id);
	END IF;
	IF v_target THEN
		-- the rated cases
		EXECUTE hall.completed_days_change(format($q$
			SELECT a.department_code, (a.closed_at AT TIME ZONE 'Asia/Shanghai')::date AS day, a.window_code,
			       a.closed_by AS staff_id, 0 AS completed, 0 AS on_time, 0 AS early, t.s AS rated
			FROM (SELECT r.target_id, -1 AS s FROM %1$s r WHERE r.kind = 'application'
			      UNION ALL
			      SELECT r.target_id, 1 FROM %2$s r WHERE r.kind = 'application') t
			JOIN hall.applications a ON a.id = t.target_id AND a.state = 'completed' AND a.closed_at IS NOT NULL
		$q$, o, n));
	END IF;
	IF v_counted THEN
		EXECUTE hall.rating_days_change(format($q$
			SELECT r.department_code, (r.rated_at AT TIME ZONE 'Asia/Shanghai')::date AS day, r.staff_id,
			       a.window_code, r.level, r.proactive, r.s
			FROM (SELECT x.department_code, x.rated_at, x.staff_id, x.kind, x.target_id, x.level, x.proactive, -1 AS s
			      FROM %1$s x WHERE x.counts
			      UNION ALL
			      SELECT x.department_code, x.rated_at, x.staff_id, x.kind, x.target_id, x.level, x.proactive, 1
			      FROM %2$s x WHERE x.counts) r
			LEFT JOIN hall.applications a ON r.kind = 'application' AND a.id = r.target_id
		$q$, o, n));
	END IF;
	IF v_ids IS NOT NULL THEN
		-- the rated inquiries
		PERFORM hall.answer_facts_refresh(v_ids);
	END IF;
	RETURN NULL;
END $$;

-- hall.inquiries: answer_facts, for the inquiries whose state, answer,
-- department, receipt or due date changed (or that came or went).
CREATE FUNCTION hall.facts_inquiries() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_ids bigint[];
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM hall.facts_rebuild('{answer_facts}');
		RETURN NULL;
	ELSIF TG_OP = 'INSERT' THEN
		SELECT array_agg(a.id) INTO v_ids FROM new_rows a;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT array_agg(a.id) INTO v_ids FROM old_rows a;
	ELSE
		SELECT array_agg(b.id) INTO v_ids
		FROM old_rows a
		JOIN new_rows b ON b.id = a.id
		WHERE (a.state, a.answered_at, a.answered_by, a.department_code, a.received_at, a.due_date)
		      IS DISTINCT FROM (b.state, b.answered_at, b.answered_by, b.department_code, b.received_at, b.due_date);
	END IF;
	IF v_ids IS NOT NULL THEN
		PERFORM hall.answer_facts_refresh(v_ids);
	END IF;
	RETURN NULL;
END $$;

-- hall.replies: answer_facts (on time is the last reply's), for the
-- inquiries of the replies written, changed or removed.
CREATE FUNCTION hall.facts_replies() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_ids bigint[];
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM hall.facts_rebuild('{answer_facts}');
		RETURN NULL;
	ELSIF TG_OP = 'INSERT' THEN
		SELECT array_agg(DISTINCT a.inquiry_id) INTO v_ids FROM new_rows a;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT array_agg(DISTINCT a.inquiry_id) INTO v_ids FROM old_rows a;
	ELSE
		SELECT array_agg(DISTINCT x.inquiry_id) INTO v_ids
		FROM old_rows a
		JOIN new_rows b ON b.id = a.id
		CROSS JOIN LATERAL (VALUES (a.inquiry_id), (b.inquiry_id)) x(inquiry_id)
		WHERE (a.inquiry_id, a.on_time) IS DISTINCT FROM (b.inquiry_id, b.on_time);
	END IF;
	IF v_ids IS NOT NULL THEN
		PERFORM hall.answer_facts_refresh(v_ids);
	END IF;
	RETURN NULL;
END $$;

-- hall.audit (append-only: INSERT and, in a demo, TRUNCATE): a claim that
-- is the first of its case names who accepted it.  Two triggers, by who
-- writes: a transition's one row goes through hall.facts_audit_claim, a
-- row trigger that fires for claims only (ENABLE: the ordinary sessions);
-- a bulk load (the demo generator, under session_replication_role =
-- replica) through this statement trigger over its transition table
-- (ENABLE REPLICA).  The statement trigger on every audit INSERT cost a
-- claim-and-approve cycle 180 us of its 2 ms (two audit rows, two
-- transition tables, two trigger calls), most of it for approvals it had
-- nothing to do with.
CREATE FUNCTION hall.facts_audit_claim() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	UPDATE hall.accept_misses m SET claim_id = NEW.id, staff_id = NEW.staff_id
	WHERE m.app_id = NEW.app_id AND (m.claim_id IS NULL OR NEW.id < m.claim_id);
	RETURN NULL;
END $$;

CREATE FUNCTION hall.facts_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM hall.facts_rebuild('{accept_misses}');
		RETURN NULL;
	END IF;
	UPDATE hall.accept_misses m SET claim_id = c.id, staff_id = c.staff_id
	FROM (SELECT DISTINCT ON (x.app_id) x.app_id, x.id, x.staff_id
	      FROM new_rows x
	      WHERE x.action = 'claim' AND x.app_id IN (SELECT y.app_id FROM hall.accept_misses y)
	      ORDER BY x.app_id, x.id) c
	WHERE m.app_id = c.app_id AND (m.claim_id IS NULL OR c.id < m.claim_id);
	RETURN NULL;
END $$;

-- hall.applicants: an applicant's kind (person or entity) is read when
-- their cases are written; should it ever change, their cases move.
CREATE FUNCTION hall.facts_applicants() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.kind IS DISTINCT FROM o.kind) THEN
		EXECUTE hall.platform_days_change($q$
			SELECT (a.received_at AT TIME ZONE 'Asia/Shanghai')::date AS day, a.department_code, a.item_id, a.channel,
			       v.kind AS applicant_kind, least(a.return_count, 2) AS returns, v.s
			FROM old_rows o
			JOIN new_rows n ON n.id = o.id AND n.kind IS DISTINCT FROM o.kind
			JOIN hall.applications a ON a.applicant_id = o.id
			CROSS JOIN LATERAL (VALUES (o.kind, -1), (n.kind, 1)) v(kind, s)
		$q$);
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER facts_insert AFTER INSERT ON hall.applications
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_applications();
CREATE TRIGGER facts_update AFTER UPDATE ON hall.applications FOR EACH ROW
	WHEN ((OLD.state, OLD.closed_at, OLD.department_code, OLD.window_code, OLD.closed_by, OLD.due_date, OLD.received_at,
	       OLD.item_id, OLD.channel, OLD.applicant_id, least(OLD.return_count, 2), OLD.accept_due, OLD.accepted_on)
	      IS DISTINCT FROM
	      (NEW.state, NEW.closed_at, NEW.department_code, NEW.window_code, NEW.closed_by, NEW.due_date, NEW.received_at,
	       NEW.item_id, NEW.channel, NEW.applicant_id, least(NEW.return_count, 2), NEW.accept_due, NEW.accepted_on))
	EXECUTE FUNCTION hall.facts_application_row();
CREATE TRIGGER facts_delete AFTER DELETE ON hall.applications
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_applications();
CREATE TRIGGER facts_truncate AFTER TRUNCATE ON hall.applications
	FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_applications();

CREATE TRIGGER facts_insert AFTER INSERT ON hall.ratings
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_ratings();
CREATE TRIGGER facts_update AFTER UPDATE ON hall.ratings
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_ratings();
CREATE TRIGGER facts_delete AFTER DELETE ON hall.ratings
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_ratings();
CREATE TRIGGER facts_truncate AFTER TRUNCATE ON hall.ratings
	FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_ratings();

CREATE TRIGGER facts_insert AFTER INSERT ON hall.inquiries
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_inquiries();
CREATE TRIGGER facts_update AFTER UPDATE ON hall.inquiries
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_inquiries();
CREATE TRIGGER facts_delete AFTER DELETE ON hall.inquiries
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_inquiries();
CREATE TRIGGER facts_truncate AFTER TRUNCATE ON hall.inquiries
	FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_inquiries();

CREATE TRIGGER facts_insert AFTER INSERT ON hall.replies
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_replies();
CREATE TRIGGER facts_update AFTER UPDATE ON hall.replies
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_replies();
CREATE TRIGGER facts_delete AFTER DELETE ON hall.replies
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_replies();
CREATE TRIGGER facts_truncate AFTER TRUNCATE ON hall.replies
	FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_replies();

CREATE TRIGGER facts_insert AFTER INSERT ON hall.audit
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_audit();
CREATE TRIGGER facts_truncate AFTER TRUNCATE ON hall.audit
	FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_audit();

CREATE TRIGGER facts_update AFTER UPDATE ON hall.applicants
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hall.facts_applicants();

-- Also under session_replication_role = replica: the demo generator loads
-- that way (to skip the foreign-key checks), and the facts must follow it.
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT g.tgrelid::regclass AS tab, g.tgname FROM pg_catalog.pg_trigger g
	         WHERE g.tgname LIKE 'facts\_%' AND NOT g.tgisinternal
	           AND g.tgrelid IN ('hall.applications'::regclass, 'hall.ratings'::regclass, 'hall.inquiries'::regclass,
	                             'hall.replies'::regclass, 'hall.audit'::regclass, 'hall.applicants'::regclass) LOOP
		EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', t.tab, t.tgname);
	END LOOP;
END $$;
-- ... but the audit's: its statement trigger for bulk loads only, a row
-- trigger for each claim of the ordinary sessions (see hall.facts_audit).
ALTER TABLE hall.audit ENABLE REPLICA TRIGGER facts_insert;
CREATE TRIGGER facts_claim AFTER INSERT ON hall.audit FOR EACH ROW
	WHEN (NEW.action = 'claim' AND NEW.app_id IS NOT NULL) EXECUTE FUNCTION hall.facts_audit_claim();

-- What is there now.  CREATE TRIGGER locked the source tables against
-- writers until this migration commits, so nothing is missed or counted
-- twice.
SELECT hall.facts_rebuild();

-- ------------------------------------------------------------ reading

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['completed_days', 'rating_days', 'answer_facts', 'accept_misses', 'platform_days',
	                         'closed_counts'] LOOP
		EXECUTE format('ALTER TABLE hall.%I ENABLE ROW LEVEL SECURITY', t);
		-- rating_days as hall.ratings (004): the department's and one's own
		EXECUTE format('CREATE POLICY department ON hall.%I FOR SELECT TO hall_supervisor
		                USING (department_code = (SELECT hall.my_department())%s)', t,
		               CASE WHEN t = 'rating_days' THEN ' OR staff_id = (SELECT hall.my_id())' ELSE '' END);
		EXECUTE format('CREATE POLICY hall_all ON hall.%I FOR SELECT TO hall_trainer, hall_director USING (true)', t);
		EXECUTE format('GRANT SELECT ON hall.%I TO hall_supervisor, hall_trainer, hall_director', t);
	END LOOP;
END $$;

-- The cases per window and state (005's hall.v_summary, the dashboard's
-- and the queue header's counts) without counting every case ever closed:
-- the open states live (their partial indexes), the completed ones from
-- completed_days (the same number: a completed case always has closed_at),
-- the other closed states from closed_counts.  At 1M cases a supervisor's
-- counts read a few thousand rows instead of the department's 200,000 (a
-- sequential scan of all the cases).  The other closed states (about a
-- tenth of the cases) were read through a partial index of their own
-- until 32M cases, where a department's 600,000 of them took most of the
-- dashboard's 226 ms (doc/performance.md, P5).
-- A clerk reads these for their windows, as they read the cases.
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['completed_days', 'closed_counts'] LOOP
		EXECUTE format('CREATE POLICY clerk_windows ON hall.%I FOR SELECT TO hall_clerk
		                USING (window_code = ANY ((SELECT hall.my_windows())::text[]))', t);
		EXECUTE format('GRANT SELECT ON hall.%I TO hall_clerk', t);
	END LOOP;
END $$;
CREATE OR REPLACE VIEW hall.v_summary WITH (security_invoker = true) AS
SELECT a.department_code, a.window_code, a.state, count(*) AS cases,
       count(*) FILTER (WHERE a.sort_due < t.today) AS overdue,
       count(*) FILTER (WHERE a.sort_due >= t.today AND a.sort_due < t.warn_limit) AS warning
FROM hall.applications a
CROSS JOIN (SELECT (SELECT hall.today()) AS today,
                   (SELECT hall.workday_add(hall.today(), hall.setting_int('warn_days') + 1)) AS warn_limit OFFSET 0) t
WHERE a.state IN ('submitted', 'in_review', 'returned', 'escalated')
GROUP BY a.department_code, a.window_code, a.state
UNION ALL
SELECT x.department_code, x.window_code, x.state, x.n, 0::bigint, 0::bigint
FROM hall.closed_counts x
UNION ALL
-- the state as a constant: a filter on the state (the queue header asks
-- for the open ones) drops the branch when planning
SELECT c.department_code, c.window_code, 'completed'::text, sum(c.completed)::bigint, 0::bigint, 0::bigint
FROM hall.completed_days c
GROUP BY c.department_code, c.window_code;

-- Nobody but the owner calls the machinery.
REVOKE ALL ON FUNCTION hall.facts_rebuild(text[]), hall.answer_facts_refresh(bigint[]),
	hall.accept_misses_refresh(bigint[]), hall.completed_days_change(text), hall.completed_days_settle(hall.completed_days[], bigint),
	hall.rating_days_change(text), hall.rating_days_settle(hall.rating_days[], bigint), hall.platform_days_change(text),
	hall.platform_days_settle(hall.platform_days[], bigint), hall.facts_applications(), hall.facts_ratings(), hall.facts_inquiries(),
	hall.facts_replies(), hall.facts_audit(), hall.facts_audit_claim(), hall.facts_applicants(), hall.facts_drift(),
	hall.completed_days_add(hall.completed_days[]), hall.rating_days_add(hall.rating_days[]),
	hall.platform_days_add(hall.platform_days[]), hall.facts_application_row(),
	hall.closed_counts_add(hall.closed_counts[]) FROM PUBLIC;

-- ------------------------------------------------- what is read one by one
--
-- The figures still read some items one by one, for the period only: the
-- bad ratings (their rectification changes), the returns that broke the
-- one-time notice, and for 016's drill-down (hall.timeliness_items) the
-- cases completed late and those that missed their acceptance deadline.
CREATE INDEX ratings_department_bad ON hall.ratings (department_code, rated_at) WHERE level <= 2;
CREATE INDEX returns_breach_at ON hall.returns (returned_at) WHERE breach;
CREATE INDEX applications_completed_late ON hall.applications (department_code, closed_at)
	WHERE state = 'completed' AND (closed_at AT TIME ZONE 'Asia/Shanghai')::date > due_date;
CREATE INDEX applications_accept_missed ON hall.applications (department_code, accept_due)
	WHERE accepted_on IS NULL OR accepted_on > accept_due;
