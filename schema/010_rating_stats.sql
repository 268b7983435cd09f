-- My ratings in constant time: the number of ratings per staff member,
-- department, week, level and whether they count, kept in step with
-- hall.ratings by triggers.  The terminal's "My ratings" screen sums a
-- clerk's few hundred rows here instead of reading every rating of theirs
-- (a busy clerk of the 1M-case demo has 20,000: 33 ms a look, growing
-- with every rating).
--
-- week is the Monday of the rating's ISO week in the hall's time zone,
-- as hall.v_rating_weeks and the terminal count weeks.  counts is
-- ratings.counts (false once an appeal is upheld).  Rows whose n falls to
-- 0 are removed when the statement ends, so the table equals
--
--   SELECT staff_id, department_code,
--          date_trunc('week', rated_at AT TIME ZONE 'Asia/Shanghai')::date,
--          level, counts, count(*)
--   FROM hall.ratings GROUP BY 1, 2, 3, 4, 5
--
-- at every commit (tests/sql/t65_rating_stats.sql checks it).
SET LOCAL ROLE hall_admin;

CREATE TABLE hall.rating_stats (
	staff_id        int NOT NULL,
	department_code text NOT NULL,
	week            date NOT NULL,
	level           int NOT NULL,
	counts          boolean NOT NULL,
	n               bigint NOT NULL CHECK (n >= 0),
	PRIMARY KEY (staff_id, week, level, counts, department_code)
);

-- The triggers are statement-level with transition tables: one
-- aggregated upsert per statement, whatever its number of rows (the demo
-- generator inserts half a million ratings in one statement).  An UPDATE
-- or a DELETE counts -1 per old row and +1 per new row and applies the
-- sums that are not 0, so an update that changes none of the counted
-- columns (a follow-up, an appeal lodged) writes nothing; a row that
-- falls to 0 is deleted.  Concurrent ratings of the same staff member and
-- week wait for each other on the stats row (ON CONFLICT, UPDATE), in
-- key order.  A decrement without its row, or below 0, means the table is
-- out of step: an error, never a silent wrong figure.
CREATE FUNCTION hall.rating_stats_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_dec bigint;
	v_done bigint;
	v_zero hall.rating_stats[];
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO hall.rating_stats AS s (staff_id, department_code, week, level, counts, n)
		SELECT r.staff_id, r.department_code, date_trunc('week', r.rated_at AT TIME ZONE 'Asia/Shanghai')::date,
		       r.level, r.counts, count(*)
		FROM new_rows r
		GROUP BY 1, 2, 3, 4, 5
		ORDER BY 1, 3, 4, 5, 2
		ON CONFLICT (staff_id, week, level, counts, department_code) DO UPDATE SET n = s.n + excluded.n;
		RETURN NULL;
	ELSIF TG_OP = 'UPDATE' THEN
		WITH d AS MATERIALIZED (
			SELECT x.staff_id, x.department_code, x.week, x.level, x.counts, sum(x.n) AS n
			FROM (SELECT o.staff_id, o.department_code,
			             date_trunc('week', o.rated_at AT TIME ZONE 'Asia/Shanghai')::date AS week,
			             o.level, o.counts, -1 AS n
			      FROM old_rows o
			      UNION ALL
			      SELECT r.staff_id, r.department_code, date_trunc('week', r.rated_at AT TIME ZONE 'Asia/Shanghai')::date,
			             r.level, r.counts, 1
			      FROM new_rows r) x
			GROUP BY 1, 2, 3, 4, 5
			HAVING sum(x.n) <> 0
		), ins AS (
			INSERT INTO hall.rating_stats AS s (staff_id, department_code, week, level, counts, n)
			SELECT d.staff_id, d.department_code, d.week, d.level, d.counts, d.n
			FROM d WHERE d.n > 0
			ORDER BY d.staff_id, d.week, d.level, d.counts, d.department_code
			ON CONFLICT (staff_id, week, level, counts, department_code) DO UPDATE SET n = s.n + excluded.n
		), upd AS (
			UPDATE hall.rating_stats s SET n = s.n + d.n
			FROM d
			WHERE d.n < 0
			  AND (s.staff_id, s.week, s.level, s.counts, s.department_code)
			      = (d.staff_id, d.week, d.level, d.counts, d.department_code)
			RETURNING s.*
		)
		SELECT (SELECT count(*) FROM d WHERE d.n < 0),
		       (SELECT count(*) FROM upd),
		       (SELECT array_agg(ROW(u.staff_id, u.department_code, u.week, u.level, u.counts, u.n)::hall.rating_stats)
		          FROM upd u WHERE u.n = 0)
		INTO v_dec, v_done, v_zero;
	ELSE
		WITH d AS MATERIALIZED (
			SELECT o.staff_id, o.department_code, date_trunc('week', o.rated_at AT TIME ZONE 'Asia/Shanghai')::date AS week,
			       o.level, o.counts, -count(*) AS n
			FROM old_rows o
			GROUP BY 1, 2, 3, 4, 5
		), upd AS (
			UPDATE hall.rating_stats s SET n = s.n + d.n
			FROM d
			WHERE (s.staff_id, s.week, s.level, s.counts, s.department_code)
			      = (d.staff_id, d.week, d.level, d.counts, d.department_code)
			RETURNING s.*
		)
		SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM upd),
		       (SELECT array_agg(ROW(u.staff_id, u.department_code, u.week, u.level, u.counts, u.n)::hall.rating_stats)
		          FROM upd u WHERE u.n = 0)
		INTO v_dec, v_done, v_zero;
	END IF;
	IF v_done <> v_dec THEN
		RAISE EXCEPTION 'hall.rating_stats is out of step with hall.ratings (% of % decrements found)', v_done, v_dec
			USING ERRCODE = 'XX000', HINT = 'reason:rating_stats_drift';
	END IF;
	IF v_zero IS NOT NULL THEN
		DELETE FROM hall.rating_stats s
		USING unnest(v_zero) z
		WHERE (s.staff_id, s.week, s.level, s.counts, s.department_code)
		      = (z.staff_id, z.week, z.level, z.counts, z.department_code)
		  AND s.n = 0;
	END IF;
	RETURN NULL;
END $$;

CREATE FUNCTION hall.rating_stats_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	DELETE FROM hall.rating_stats;
	RETURN NULL;
END $$;

CREATE TRIGGER rating_stats_insert AFTER INSERT ON hall.ratings
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION hall.rating_stats_apply();
CREATE TRIGGER rating_stats_update AFTER UPDATE ON hall.ratings
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION hall.rating_stats_apply();
CREATE TRIGGER rating_stats_delete AFTER DELETE ON hall.ratings
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION hall.rating_stats_apply();
CREATE TRIGGER rating_stats_truncate AFTER TRUNCATE ON hall.ratings
	FOR EACH STATEMENT EXECUTE FUNCTION hall.rating_stats_truncate();
-- Also under session_replication_role = replica: the demo generator
-- loads its ratings that way (to skip the foreign-key checks), and the
-- stats must follow it.
ALTER TABLE hall.ratings ENABLE ALWAYS TRIGGER rating_stats_insert;
ALTER TABLE hall.ratings ENABLE ALWAYS TRIGGER rating_stats_update;
ALTER TABLE hall.ratings ENABLE ALWAYS TRIGGER rating_stats_delete;
ALTER TABLE hall.ratings ENABLE ALWAYS TRIGGER rating_stats_truncate;

-- The ratings there are now.  CREATE TRIGGER locked hall.ratings against
-- writers until this migration commits, so none is missed or counted twice.
INSERT INTO hall.rating_stats (staff_id, department_code, week, level, counts, n)
SELECT r.staff_id, r.department_code, date_trunc('week', r.rated_at AT TIME ZONE 'Asia/Shanghai')::date,
       r.level, r.counts, count(*)
FROM hall.ratings r
GROUP BY 1, 2, 3, 4, 5;

-- Reading: as hall.ratings (004).
ALTER TABLE hall.rating_stats ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON hall.rating_stats FOR SELECT TO hall_clerk
	USING (staff_id = (SELECT hall.my_id()));
CREATE POLICY department ON hall.rating_stats FOR SELECT TO hall_supervisor
	USING (department_code = (SELECT hall.my_department()) OR staff_id = (SELECT hall.my_id()));
CREATE POLICY trainer_all ON hall.rating_stats FOR SELECT TO hall_trainer USING (true);
GRANT SELECT ON hall.rating_stats TO hall_clerk, hall_supervisor, hall_trainer;

-- The rest of My ratings reads few rows, and finds them directly: the bad
-- ratings (for their rectification; also the first part of the
-- terminal's list) and the appeals waiting.
CREATE INDEX ratings_staff_bad ON hall.ratings (staff_id, rated_at) INCLUDE (id) WHERE level <= 2;
CREATE INDEX ratings_staff_appeal_pending ON hall.ratings (staff_id) WHERE appeal_state = 'pending';

-- The caller's open rectifications and those late (callback or
-- rectification after its day, or not done and its day past: as
-- hall.v_ratings says, with hall.end_of_day() written out), counted over
-- their own bad ratings only.  SECURITY DEFINER: the same rows as the
-- caller's row-level security allows (own ratings), without checking the
-- policy of hall.rectifications once per bad rating, which was most of the
-- screen's time; the covering index makes it an index-only scan.
CREATE INDEX rectifications_summary ON hall.rectifications (rating_id)
	INCLUDE (closed_at, callback_due, callback_at, rectify_due, rectified_at);

CREATE FUNCTION hall.my_rectification_counts(OUT open bigint, OUT late bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT count(*) FILTER (WHERE x.closed_at IS NULL),
	       count(*) FILTER (WHERE x.callback_at > ((x.callback_due + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
	                           OR (x.callback_at IS NULL AND t.today > x.callback_due)
	                           OR x.rectified_at > ((x.rectify_due + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
	                           OR (x.rectified_at IS NULL AND t.today > x.rectify_due))
	FROM (SELECT hall.my_id() AS me, hall.today() AS today OFFSET 0) t
	JOIN hall.ratings r ON r.staff_id = t.me AND r.level <= 2
	JOIN hall.rectifications x ON x.rating_id = r.id
$$;
GRANT EXECUTE ON FUNCTION hall.my_rectification_counts() TO hall_clerk, hall_supervisor, hall_trainer;

-- The index-only pass over all of a clerk's ratings that 009 indexed for
-- is gone; the index would only slow every rating down.
DROP INDEX hall.ratings_staff_summary;
