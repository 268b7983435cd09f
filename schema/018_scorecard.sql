-- The monthly scorecard, its ranking and its closing; the platform's own
-- figures; the CSV reports (the supervisors' issue).  doc/sql-interface.md,
-- section "Monthly scorecard, platform figures and reports (018)", defines
-- every figure; in short:
--
--   hall.scorecard_windows(month) / hall.scorecard_clerks(month)
--       one row per window / clerk in the caller's scope (timeliness_scope(),
--       015): the GB/T 39734-2020 rating figures, the on-time rates of 015,
--       cards (017), breaches, supervision flags (016), a composite score
--       (weights: hall.settings score_*), its rank among the rows in scope,
--       the rank change since the previous month, and for windows the
--       flag "bottom by satisfaction two months running".
--         好评率          good_rate        levels 3-5 / ratings (counting)
--         满意率          satisfaction_rate levels 4-5 / ratings
--         主动评价率      proactive_rate   proactive / ratings
--         主动评价好评率  proactive_good_rate  levels 3-5 of those / proactive
--         未评率          unrated_rate     services of the month (cases completed,
--                                          inquiries answered, window services:
--                                          tickets finished, 023) without a rating
--         差评整改率      rectify_rate     bad ratings (1-2) rectified / bad
--         回访整改率      callback_rectify_rate  bad ratings closed (verified,
--                                          rectified, called back) / bad
--         回访整改满意率  callback_satisfaction_rate  follow-up ratings (追评)
--                                          3-5 / closed bad ratings followed up
--       Ratings count in the month they were given (rated_at); a case's
--       services in the month it was completed.
--   hall.scorecard_close(month, department)
--       a supervisor freezes their department's month (after it has ended):
--       its rows are copied into hall.scorecard_frozen and read from there
--       for ever after; a rating arriving later counts in its own month.
--   hall.platform_figures(month)
--       cases received in the month by channel, the online share (网上办件),
--       跑一次 and 不见面 shares, per item category and applicant kind: for
--       the caller's department and for the whole hall.
--   hall.report_timeliness / _scorecard / _platform / _cards (month)
--       the same tables with Chinese column names, for
--       COPY (SELECT * FROM hall.report_scorecard($1)) TO STDOUT WITH CSV HEADER
--       (hallctl report, the terminal's export).
SET LOCAL ROLE hall_admin;

-- ------------------------------------------------------------ settings

INSERT INTO hall.settings (key, value, note) VALUES
	('score_weight_satisfaction', '40', 'scorecard: weight of the satisfaction rate (levels 4-5)'),
	('score_weight_on_time', '30', 'scorecard: weight of the on-time completion rate'),
	('score_weight_reply_on_time', '15', 'scorecard: weight of the on-time reply rate (clerks only: an inquiry has no window)'),
	('score_weight_rectified', '15', 'scorecard: weight of the callback-and-rectification rate (回访整改率)'),
	('score_penalty_red_card', '2', 'scorecard: points off per red card issued in the month'),
	('score_penalty_yellow_card', '0.5', 'scorecard: points off per yellow card issued in the month'),
	('score_penalty_breach', '1', 'scorecard: points off per breach of the one-time notice'),
	('score_penalty_supervision_late', '1', 'scorecard: points off per supervision flag (督办) answered late or still open past its day');

-- ------------------------------------------------------------ the figures

-- One scorecard row (a window's or a clerk's) before ranking: what a
-- closed month keeps.
CREATE TYPE hall.scorecard_figures AS (
	grp text,                    -- 'window' | 'clerk'
	department_code text,
	window_code text,
	staff_id int,
	completed bigint, on_time bigint, on_time_rate numeric, early_rate numeric, accept_missed bigint,
	answered bigint, answered_on_time bigint, answer_on_time_rate numeric,
	services bigint, unrated bigint, unrated_rate numeric,
	ratings bigint, good bigint, good_rate numeric, satisfied bigint, satisfaction_rate numeric,
	proactive bigint, proactive_rate numeric, proactive_good bigint, proactive_good_rate numeric,
	bad bigint, bad_rectified bigint, rectify_rate numeric, bad_closed bigint, callback_rectify_rate numeric,
	followups bigint, followups_good bigint, callback_satisfaction_rate numeric,
	yellow_cards bigint, red_cards bigint, breaches bigint, supervisions bigint, supervisions_late bigint,
	score numeric
);

CREATE TABLE hall.scorecard_closed (
	month           date NOT NULL CHECK (extract(day FROM month) = 1),
	department_code text NOT NULL REFERENCES hall.departments,
	closed_by       int REFERENCES hall.staff,      -- NULL: an administrator (hallctl)
	closed_actor    name NOT NULL,
	closed_at       timestamptz NOT NULL,
	PRIMARY KEY (month, department_code)
);
CREATE TABLE hall.scorecard_frozen (
	month           date NOT NULL,
	department_code text NOT NULL,
	grp             text NOT NULL CHECK (grp IN ('window', 'clerk')),
	key             text NOT NULL,                  -- window code or staff id
	figures         jsonb NOT NULL,                 -- a hall.scorecard_figures
	PRIMARY KEY (month, department_code, grp, key),
	FOREIGN KEY (month, department_code) REFERENCES hall.scorecard_closed
);
COMMENT ON TABLE hall.scorecard_frozen IS
	'the scorecard rows of a closed month (hall.scorecard_close), as they were when it was closed';

-- A closed month never changes: not even its owner may alter the rows.
CREATE FUNCTION hall.scorecard_frozen_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF current_setting('hall.demo_reset', true) = 'on' AND hall.mode() = 'demo' THEN
		RETURN NULL;
	END IF;
	RAISE EXCEPTION 'a closed month''s scorecard is never changed'
		USING ERRCODE = '42501', HINT = 'reason:month_closed';
END $$;
CREATE TRIGGER scorecard_frozen_guard BEFORE UPDATE OR DELETE ON hall.scorecard_frozen
	FOR EACH ROW EXECUTE FUNCTION hall.scorecard_frozen_guard();
CREATE TRIGGER scorecard_closed_guard BEFORE UPDATE OR DELETE ON hall.scorecard_closed
	FOR EACH ROW EXECUTE FUNCTION hall.scorecard_frozen_guard();

ALTER TABLE hall.scorecard_closed ENABLE ROW LEVEL SECURITY;
ALTER TABLE hall.scorecard_frozen ENABLE ROW LEVEL SECURITY;
CREATE POLICY department ON hall.scorecard_closed FOR SELECT TO hall_supervisor
	USING (department_code = (SELECT hall.my_department()));
CREATE POLICY hall_all ON hall.scorecard_closed FOR SELECT TO hall_trainer, hall_director USING (true);
CREATE POLICY department ON hall.scorecard_frozen FOR SELECT TO hall_supervisor
	USING (department_code = (SELECT hall.my_department()));
CREATE POLICY hall_all ON hall.scorecard_frozen FOR SELECT TO hall_trainer, hall_director USING (true);
GRANT SELECT ON hall.scorecard_closed, hall.scorecard_frozen TO hall_supervisor, hall_trainer, hall_director;

-- The first day of a month; 22023 reason:month for NULL.
CREATE FUNCTION hall.month_start(month date) RETURNS date
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
BEGIN
	IF month IS NULL THEN
		RAISE EXCEPTION 'which month? give its first day (2026-10-01)'
			USING ERRCODE = '22023', HINT = 'reason:month';
	END IF;
	RETURN date_trunc('month', month)::date;
END $$;

-- The composite score of one row: 100 x the weighted mean of the rates
-- that exist (satisfaction, on time, reply on time, rectified; a NULL rate
-- and its weight are left out), minus the penalties; NULL when no rate
-- exists.  2 decimals.
CREATE FUNCTION hall.scorecard_score(f hall.scorecard_figures) RETURNS numeric
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT round(100 * sum(c.w * c.x) / nullif(sum(c.w), 0)
	             - coalesce(hall.setting('score_penalty_red_card')::numeric, 0) * coalesce(f.red_cards, 0)
	             - coalesce(hall.setting('score_penalty_yellow_card')::numeric, 0) * coalesce(f.yellow_cards, 0)
	             - coalesce(hall.setting('score_penalty_breach')::numeric, 0) * coalesce(f.breaches, 0)
	             - coalesce(hall.setting('score_penalty_supervision_late')::numeric, 0) * coalesce(f.supervisions_late, 0), 2)
	FROM (VALUES (hall.setting('score_weight_satisfaction')::numeric, f.satisfaction_rate),
	             (hall.setting('score_weight_on_time')::numeric, f.on_time_rate),
	             (hall.setting('score_weight_reply_on_time')::numeric, f.answer_on_time_rate),
	             (hall.setting('score_weight_rectified')::numeric, f.callback_rectify_rate)) c(w, x)
	WHERE c.x IS NOT NULL AND c.w > 0
	HAVING count(*) > 0
$$;

-- The live figures of a month for the caller's scope (015's
-- timeliness_scope(): a supervisor's department, the hall or one
-- department for the others), one row per window and per clerk.  Invoker
-- rights: read through the caller's row-level security.  What is counted
-- per case or rating is summed from the daily facts of 019_facts.sql
-- (completed_days, rating_days, answer_facts); the bad ratings (their
-- rectification and callback change), cards and supervision flags are
-- read one by one, through their indexes.
CREATE FUNCTION hall.scorecard_live(month date)
RETURNS SETOF hall.scorecard_figures
LANGUAGE plpgsql STABLE SET jit = off SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_dept text := hall.timeliness_scope();
	v_all boolean := v_dept IS NULL;
	m0 date := hall.month_start(month);
	m1 date := (hall.month_start(month) + interval '1 month')::date - 1;
	p0 timestamptz := hall.end_of_day(m0 - 1);
	p1 timestamptz := hall.end_of_day(m1);
	v_today date := hall.today();
	v_soon date := hall.workday_add(hall.today(), coalesce(hall.setting_int('warn_days'), 1) + 1);
BEGIN
	RETURN QUERY
	WITH t AS MATERIALIZED (
		-- the month's counts of 015 (not what is open now: see rows; the
		-- bad ratings are counted below)
		SELECT * FROM hall.timeliness_counts(m0, m1, false) x WHERE x.grp IN ('clerk', 'window')
	), ev AS (
		-- e, staff, window and up to six counts (what each is: g below)
		-- services of the month: completed cases and answered inquiries, rated or not
		SELECT 's'::text AS e, c.staff_id, c.window_code, sum(c.completed)::bigint AS n1,
		       sum(c.completed - c.rated)::bigint AS n2,
		       0::bigint AS n3, 0::bigint AS n4, 0::bigint AS n5, 0::bigint AS n6
		FROM hall.completed_days c
		WHERE c.day BETWEEN m0 AND m1
		  AND (v_all OR c.department_code = v_dept)
		GROUP BY c.staff_id, c.window_code
		UNION ALL
		SELECT 's', q.staff_id, NULL, count(*), count(*) FILTER (WHERE NOT q.rated), 0, 0, 0, 0
		FROM hall.answer_facts q
		WHERE q.day BETWEEN m0 AND m1
		  AND (v_all OR q.department_code = v_dept)
		GROUP BY q.staff_id
		UNION ALL
		-- services at a window (a ticket finished: its rating request, 023),
		-- unrated while no rating came; a default rating (默认评价) is a
		-- rating, not proactive (主动评价率 leaves it out)
		SELECT 's', rq.staff_id, rq.window_code, count(*), count(*) FILTER (WHERE rq.rating_id IS NULL), 0, 0, 0, 0
		FROM hall.rating_requests rq
		WHERE rq.opened_at >= p0 AND rq.opened_at < p1
		  AND (v_all OR rq.department_code = v_dept)
		GROUP BY 2, 3
		UNION ALL
		-- ratings given in the month that count: how many, levels 3-5,
		-- levels 4-5, proactive, proactive with levels 3-5
		SELECT 'r', r.staff_id, r.window_code, sum(r.ratings)::bigint, sum(r.good)::bigint, sum(r.satisfied)::bigint,
		       sum(r.proactive)::bigint, sum(r.proactive_good)::bigint, 0
		FROM hall.rating_days r
		WHERE r.day BETWEEN m0 AND m1
		  AND (v_all OR r.department_code = v_dept)
		GROUP BY r.staff_id, r.window_code
		UNION ALL
		-- the bad ones among them (levels 1-2): how many, rectified,
		-- closed, closed and followed up, ... with levels 3-5
		SELECT 'b', r.staff_id, a.window_code, count(*), count(*) FILTER (WHERE x.rectified_at IS NOT NULL),
		       count(*) FILTER (WHERE x.closed_at IS NOT NULL),
		       count(*) FILTER (WHERE x.closed_at IS NOT NULL AND r.followup_level IS NOT NULL),
		       count(*) FILTER (WHERE x.closed_at IS NOT NULL AND r.followup_level >= 3), 0
		FROM hall.ratings r
		LEFT JOIN hall.applications a ON r.kind = 'application' AND a.id = r.target_id
		LEFT JOIN hall.rectifications x ON x.rating_id = r.id
		WHERE r.level <= 2 AND r.counts AND r.rated_at >= p0 AND r.rated_at < p1
		  AND (v_all OR r.department_code = v_dept)
		GROUP BY 2, 3
		UNION ALL
		-- cards issued in the month: yellow, red
		SELECT 'c', c.staff_id, c.window_code, count(*) FILTER (WHERE c.color = 'yellow'),
		       count(*) FILTER (WHERE c.color = 'red'), 0, 0, 0, 0
		FROM hall.cards c
		WHERE c.issued_on BETWEEN m0 AND m1
		  AND (v_all OR c.department_code = v_dept)
		GROUP BY 2, 3
		UNION ALL
		-- supervision flags raised in the month; late: answered after the
		-- end of reply_due, or still open and reply_due past
		SELECT 'v', s.staff_id, s.window_code, count(*),
		       count(*) FILTER (WHERE coalesce(s.answered_at >= hall.end_of_day(s.reply_due), v_today > s.reply_due)),
		       0, 0, 0, 0
		FROM hall.supervisions s
		WHERE s.flagged_at >= p0 AND s.flagged_at < p1
		  AND (v_all OR s.department_code = v_dept)
		GROUP BY 2, 3
	), g AS (
		SELECT CASE WHEN GROUPING(ev.staff_id) = 0 THEN 'clerk' ELSE 'window' END AS grp,
		       ev.staff_id, ev.window_code,
		       coalesce(sum(ev.n1) FILTER (WHERE ev.e = 's'), 0)::bigint AS services,
		       coalesce(sum(ev.n2) FILTER (WHERE ev.e = 's'), 0)::bigint AS unrated,
		       coalesce(sum(ev.n1) FILTER (WHERE ev.e = 'r'), 0)::bigint AS ratings,
		       coalesce(sum(ev.n2) FILTER (WHERE ev.e = 'r'), 0)::bigint AS good,
		       coalesce(sum(ev.n3) FILTER (WHERE ev.e = 'r'), 0)::bigint AS satisfied,
		       coalesce(sum(ev.n4) FILTER (WHERE ev.e = 'r'), 0)::bigint AS proactive,
		       coalesce(sum(ev.n5) FILTER (WHERE ev.e = 'r'), 0)::bigint AS proactive_good,
		       coalesce(sum(ev.n1) FILTER (WHERE ev.e = 'b'), 0)::bigint AS bad,
		       coalesce(sum(ev.n2) FILTER (WHERE ev.e = 'b'), 0)::bigint AS bad_rectified,
		       coalesce(sum(ev.n3) FILTER (WHERE ev.e = 'b'), 0)::bigint AS bad_closed,
		       coalesce(sum(ev.n4) FILTER (WHERE ev.e = 'b'), 0)::bigint AS followups,
		       coalesce(sum(ev.n5) FILTER (WHERE ev.e = 'b'), 0)::bigint AS followups_good,
		       coalesce(sum(ev.n1) FILTER (WHERE ev.e = 'c'), 0)::bigint AS yellow_cards,
		       coalesce(sum(ev.n2) FILTER (WHERE ev.e = 'c'), 0)::bigint AS red_cards,
		       coalesce(sum(ev.n1) FILTER (WHERE ev.e = 'v'), 0)::bigint AS supervisions,
		       coalesce(sum(ev.n2) FILTER (WHERE ev.e = 'v'), 0)::bigint AS supervisions_late
		FROM ev
		GROUP BY GROUPING SETS ((ev.staff_id), (ev.window_code))
	), rows AS (
		SELECT 'window'::text AS grp, w.department_code, w.code AS window_code, NULL::int AS staff_id
		FROM hall.windows w
		WHERE v_all OR w.department_code = v_dept
		UNION ALL
		SELECT 'clerk', s.department_code, NULL, s.id
		FROM hall.staff s
		WHERE s.kind = 'clerk' AND (v_all OR s.department_code = v_dept)
		  AND (s.active OR EXISTS (SELECT 1 FROM g WHERE g.grp = 'clerk' AND g.staff_id = s.id)
		                OR EXISTS (SELECT 1 FROM t WHERE t.grp = 'clerk' AND t.staff_id = s.id)
		                -- or holds a case overdue or due soon (015's open_case)
		                OR EXISTS (SELECT 1 FROM hall.applications a
		                           WHERE a.claimed_by = s.id AND a.state IN ('in_review', 'escalated')
		                             AND a.sort_due < v_soon AND (v_all OR a.department_code = v_dept)))
	)
	SELECT (f).*
	FROM (
		SELECT ROW(x.grp, x.department_code, x.window_code, x.staff_id,
		       coalesce(t.completed, 0), coalesce(t.on_time, 0), t.on_time_rate, t.early_rate, coalesce(t.accept_missed, 0),
		       CASE WHEN x.grp = 'clerk' THEN coalesce(t.answered, 0) END,
		       CASE WHEN x.grp = 'clerk' THEN coalesce(t.answered_on_time, 0) END,
		       CASE WHEN x.grp = 'clerk' THEN t.answer_on_time_rate END,
		       coalesce(g.services, 0), coalesce(g.unrated, 0), round(g.unrated::numeric / nullif(g.services, 0), 4),
		       coalesce(g.ratings, 0), coalesce(g.good, 0), round(g.good::numeric / nullif(g.ratings, 0), 4),
		       coalesce(g.satisfied, 0), round(g.satisfied::numeric / nullif(g.ratings, 0), 4),
		       coalesce(g.proactive, 0), round(g.proactive::numeric / nullif(g.ratings, 0), 4),
		       coalesce(g.proactive_good, 0), round(g.proactive_good::numeric / nullif(g.proactive, 0), 4),
		       coalesce(g.bad, 0), coalesce(g.bad_rectified, 0), round(g.bad_rectified::numeric / nullif(g.bad, 0), 4),
		       coalesce(g.bad_closed, 0), round(g.bad_closed::numeric / nullif(g.bad, 0), 4),
		       coalesce(g.followups, 0), coalesce(g.followups_good, 0), round(g.followups_good::numeric / nullif(g.followups, 0), 4),
		       coalesce(g.yellow_cards, 0), coalesce(g.red_cards, 0), coalesce(t.breaches, 0),
		       coalesce(g.supervisions, 0), coalesce(g.supervisions_late, 0), NULL::numeric)::hall.scorecard_figures AS f
		FROM rows x
		LEFT JOIN t ON t.grp = x.grp AND (t.staff_id = x.staff_id OR t.window_code = x.window_code)
		LEFT JOIN g ON g.grp = x.grp AND (g.staff_id = x.staff_id OR g.window_code = x.window_code)
	) y;
END $$;

-- The figures of a month for the caller's scope, scored: frozen rows for
-- the departments whose month is closed, live ones for the others.
CREATE FUNCTION hall.scorecard_rows(month date)
RETURNS TABLE (f hall.scorecard_figures, frozen boolean)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_dept text := hall.timeliness_scope();
	m0 date := hall.month_start(month);
	v_open boolean;
BEGIN
	SELECT EXISTS (SELECT 1 FROM hall.departments d
	               WHERE (v_dept IS NULL OR d.code = v_dept)
	                 AND NOT EXISTS (SELECT 1 FROM hall.scorecard_closed c WHERE c.month = m0 AND c.department_code = d.code))
	INTO v_open;
	RETURN QUERY
	SELECT jsonb_populate_record(NULL::hall.scorecard_figures, z.figures), true
	FROM hall.scorecard_frozen z
	WHERE z.month = m0 AND (v_dept IS NULL OR z.department_code = v_dept);
	IF v_open THEN
		RETURN QUERY
		SELECT ROW(l.grp, l.department_code, l.window_code, l.staff_id, l.completed, l.on_time, l.on_time_rate,
		           l.early_rate, l.accept_missed, l.answered, l.answered_on_time, l.answer_on_time_rate,
		           l.services, l.unrated, l.unrated_rate, l.ratings, l.good, l.good_rate, l.satisfied,
		           l.satisfaction_rate, l.proactive, l.proactive_rate, l.proactive_good, l.proactive_good_rate,
		           l.bad, l.bad_rectified, l.rectify_rate, l.bad_closed, l.callback_rectify_rate,
		           l.followups, l.followups_good, l.callback_satisfaction_rate,
		           l.yellow_cards, l.red_cards, l.breaches, l.supervisions, l.supervisions_late,
		           hall.scorecard_score(l))::hall.scorecard_figures, false
		FROM hall.scorecard_live(m0) l
		WHERE NOT EXISTS (SELECT 1 FROM hall.scorecard_closed c WHERE c.month = m0 AND c.department_code = l.department_code);
	END IF;
END $$;

-- Ranked: rank by score (highest first, ties share a rank, no score no
-- rank) among the rows of the same kind in scope; the previous month's
-- rank and the change (positive = moved up); for windows, bottom: the
-- lowest satisfaction rate of the windows in scope with ratings (when at
-- least two have some), and bottom_two_months: bottom this month and the
-- month before.
CREATE FUNCTION hall.scorecard_ranked(month date, kind text)
RETURNS TABLE (f hall.scorecard_figures, frozen boolean, rank bigint, prev_rank bigint, rank_change bigint,
               bottom boolean, bottom_two_months boolean)
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	WITH cur AS (
		SELECT r.f, r.frozen FROM hall.scorecard_rows(month) r WHERE (r.f).grp = kind
	), prev AS (
		SELECT r.f FROM hall.scorecard_rows((hall.month_start(month) - interval '1 month')::date) r WHERE (r.f).grp = kind
	), rk AS (
		SELECT x.f, x.frozen,
		       CASE WHEN (x.f).score IS NOT NULL THEN rank() OVER (ORDER BY (x.f).score DESC NULLS LAST) END AS rank,
		       (x.f).satisfaction_rate = min((x.f).satisfaction_rate) OVER ()
		           AND count((x.f).satisfaction_rate) OVER () >= 2 AS bottom
		FROM cur x
	), pk AS (
		SELECT p.f,
		       CASE WHEN (p.f).score IS NOT NULL THEN rank() OVER (ORDER BY (p.f).score DESC NULLS LAST) END AS rank,
		       (p.f).satisfaction_rate = min((p.f).satisfaction_rate) OVER ()
		           AND count((p.f).satisfaction_rate) OVER () >= 2 AS bottom
		FROM prev p
	)
	SELECT c.f, c.frozen, c.rank, p.rank, p.rank - c.rank,
	       coalesce(c.bottom, false), coalesce(c.bottom AND p.bottom, false)
	FROM rk c
	LEFT JOIN pk p ON (p.f).grp = (c.f).grp
	                  AND ((p.f).window_code = (c.f).window_code OR (p.f).staff_id = (c.f).staff_id)
$$;

CREATE FUNCTION hall.scorecard_windows(month date)
RETURNS TABLE (window_code text, window_name text, department_code text,
               rank bigint, prev_rank bigint, rank_change bigint, score numeric,
               bottom boolean, bottom_two_months boolean,
               completed bigint, on_time bigint, on_time_rate numeric, early_rate numeric, accept_missed bigint,
               services bigint, unrated bigint, unrated_rate numeric,
               ratings bigint, good_rate numeric, satisfaction_rate numeric, proactive_rate numeric, proactive_good_rate numeric,
               bad bigint, rectify_rate numeric, callback_rectify_rate numeric, callback_satisfaction_rate numeric,
               yellow_cards bigint, red_cards bigint, breaches bigint, supervisions bigint, supervisions_late bigint,
               frozen boolean)
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT (r.f).window_code, w.name, (r.f).department_code,
	       r.rank, r.prev_rank, r.rank_change, (r.f).score, r.bottom, r.bottom_two_months,
	       (r.f).completed, (r.f).on_time, (r.f).on_time_rate, (r.f).early_rate, (r.f).accept_missed,
	       (r.f).services, (r.f).unrated, (r.f).unrated_rate,
	       (r.f).ratings, (r.f).good_rate, (r.f).satisfaction_rate, (r.f).proactive_rate, (r.f).proactive_good_rate,
	       (r.f).bad, (r.f).rectify_rate, (r.f).callback_rectify_rate, (r.f).callback_satisfaction_rate,
	       (r.f).yellow_cards, (r.f).red_cards, (r.f).breaches, (r.f).supervisions, (r.f).supervisions_late,
	       r.frozen
	FROM hall.scorecard_ranked(scorecard_windows.month, 'window') r
	LEFT JOIN hall.windows w ON w.code = (r.f).window_code
	ORDER BY r.rank NULLS LAST, (r.f).window_code
$$;

CREATE FUNCTION hall.scorecard_clerks(month date)
RETURNS TABLE (staff_id int, login text, name text, department_code text,
               rank bigint, prev_rank bigint, rank_change bigint, score numeric,
               completed bigint, on_time bigint, on_time_rate numeric, early_rate numeric, accept_missed bigint,
               answered bigint, answer_on_time_rate numeric,
               services bigint, unrated bigint, unrated_rate numeric,
               ratings bigint, good_rate numeric, satisfaction_rate numeric, proactive_rate numeric, proactive_good_rate numeric,
               bad bigint, rectify_rate numeric, callback_rectify_rate numeric, callback_satisfaction_rate numeric,
               yellow_cards bigint, red_cards bigint, breaches bigint, supervisions bigint, supervisions_late bigint,
               frozen boolean)
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT (r.f).staff_id, s.login::text, s.name, (r.f).department_code,
	       r.rank, r.prev_rank, r.rank_change, (r.f).score,
	       (r.f).completed, (r.f).on_time, (r.f).on_time_rate, (r.f).early_rate, (r.f).accept_missed,
	       (r.f).answered, (r.f).answer_on_time_rate,
	       (r.f).services, (r.f).unrated, (r.f).unrated_rate,
	       (r.f).ratings, (r.f).good_rate, (r.f).satisfaction_rate, (r.f).proactive_rate, (r.f).proactive_good_rate,
	       (r.f).bad, (r.f).rectify_rate, (r.f).callback_rectify_rate, (r.f).callback_satisfaction_rate,
	       (r.f).yellow_cards, (r.f).red_cards, (r.f).breaches, (r.f).supervisions, (r.f).supervisions_late,
	       r.frozen
	FROM hall.scorecard_ranked(scorecard_clerks.month, 'clerk') r
	LEFT JOIN hall.staff s ON s.id = (r.f).staff_id
	ORDER BY r.rank NULLS LAST, s.login
$$;

-- ------------------------------------------------------------ closing

-- Close a department's month: its rows as they are now are copied into
-- hall.scorecard_frozen and read from there ever after.  A supervisor
-- closes their own department (department NULL or theirs); the director
-- and an administrator name one.  Refused: a clerk or the trainer (42501
-- reason:supervisor_only), another department (42501
-- reason:not_your_department), a month that has not ended (55000
-- reason:month_not_over), a month already closed (55000
-- reason:month_closed).  Audited: scorecard_close, details {month,
-- department, windows, clerks}.
CREATE FUNCTION hall.scorecard_close(month date, department text DEFAULT NULL) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	m0 date := hall.month_start(month);
	v_admin boolean := pg_catalog.pg_has_role(session_user, 'hall_admin', 'MEMBER')
	                   AND NOT EXISTS (SELECT 1 FROM hall.staff s WHERE s.login = session_user);
	me hall.staff;
	v_dept text := scorecard_close.department;
	v_scope text := current_setting('hall.scope_department', true);
	n int;
	nw int;
BEGIN
	IF NOT v_admin THEN
		me := hall.me();
		IF me.kind = 'supervisor' THEN
			IF v_dept IS NOT NULL AND v_dept IS DISTINCT FROM me.department_code THEN
				RAISE EXCEPTION 'you may close the month of your own department only, not of %', v_dept
					USING ERRCODE = '42501', HINT = 'reason:not_your_department';
			END IF;
			v_dept := me.department_code;
		ELSIF me.kind <> 'director' THEN
			RAISE EXCEPTION 'only a supervisor closes a month'
				USING ERRCODE = '42501', HINT = 'reason:supervisor_only';
		END IF;
	END IF;
	IF v_dept IS NULL OR NOT EXISTS (SELECT 1 FROM hall.departments d WHERE d.code = v_dept) THEN
		RAISE EXCEPTION 'which department''s month? name one (got %)', coalesce(v_dept, 'none')
			USING ERRCODE = '22023', HINT = 'reason:close_department';
	END IF;
	IF (m0 + interval '1 month')::date > hall.today() THEN
		RAISE EXCEPTION 'the month % has not ended yet: it can be closed from %', to_char(m0, 'YYYY-MM'),
			(m0 + interval '1 month')::date
			USING ERRCODE = '55000', HINT = 'reason:month_not_over';
	END IF;
	PERFORM 1 FROM hall.departments d WHERE d.code = v_dept FOR UPDATE;   -- one closing at a time
	IF EXISTS (SELECT 1 FROM hall.scorecard_closed c WHERE c.month = m0 AND c.department_code = v_dept) THEN
		RAISE EXCEPTION 'the month % of % is already closed', to_char(m0, 'YYYY-MM'), v_dept
			USING ERRCODE = '55000', HINT = 'reason:month_closed';
	END IF;
	-- The department's rows, computed as its supervisor sees them.
	PERFORM set_config('hall.scope_department', v_dept, true);
	INSERT INTO hall.scorecard_closed (month, department_code, closed_by, closed_actor, closed_at)
	VALUES (m0, v_dept, me.id, session_user, hall.now());
	INSERT INTO hall.scorecard_frozen (month, department_code, grp, key, figures)
	SELECT m0, v_dept, r.grp, coalesce(r.window_code, r.staff_id::text), to_jsonb(r)
	FROM hall.scorecard_rows_for(m0, v_dept) r;
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM set_config('hall.scope_department', coalesce(v_scope, ''), true);   -- as the caller had it
	SELECT count(*) INTO nw FROM hall.scorecard_frozen z WHERE z.month = m0 AND z.department_code = v_dept AND z.grp = 'window';
	PERFORM hall.log('scorecard_close', NULL, NULL, NULL, NULL, NULL, NULL, '',
		jsonb_build_object('month', m0, 'department', v_dept, 'windows', nw, 'clerks', n - nw));
	RETURN n;
END $$;

-- scorecard_rows for one named department, whoever calls (used by
-- scorecard_close only, which has checked the caller): the live rows
-- computed with the department as scope.
CREATE FUNCTION hall.scorecard_rows_for(month date, department text)
RETURNS SETOF hall.scorecard_figures
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT ROW(l.grp, l.department_code, l.window_code, l.staff_id, l.completed, l.on_time, l.on_time_rate,
	           l.early_rate, l.accept_missed, l.answered, l.answered_on_time, l.answer_on_time_rate,
	           l.services, l.unrated, l.unrated_rate, l.ratings, l.good, l.good_rate, l.satisfied,
	           l.satisfaction_rate, l.proactive, l.proactive_rate, l.proactive_good, l.proactive_good_rate,
	           l.bad, l.bad_rectified, l.rectify_rate, l.bad_closed, l.callback_rectify_rate,
	           l.followups, l.followups_good, l.callback_satisfaction_rate,
	           l.yellow_cards, l.red_cards, l.breaches, l.supervisions, l.supervisions_late,
	           hall.scorecard_score(l))::hall.scorecard_figures
	FROM hall.scorecard_live(month) l
	WHERE l.department_code = department
$$;

-- ------------------------------------------------------------ the platform

-- The platform's own figures for the cases received in a month (seed,
-- chapter 2): for the hall, and for the caller's department (a
-- supervisor's; the others' when narrowed with hall.scope_department).
-- Rows (scope_code NULL = the hall, dimension, key, label, cases, share
-- of the scope's cases, 4 decimals):
--   total     all         every case received
--   channel   window|web|app|kiosk
--   online    online      网上办件: web or app
--   one_trip  one_trip    最多跑一次: at most one trip to the hall and at
--                         most one return
--   no_visit  no_visit    全程不见面: no trip at all
--   category  the item's category (行政许可, 社会保障 ...)
--   applicant person|entity  个人 / 法人
-- Trips: a case submitted at the window or a kiosk is one trip, and each
-- of its resubmissions after a return another (materials are brought
-- back where the case was submitted; an online case resubmits online);
-- an item that is not online (hall.items.online false: the licence or
-- certificate is collected at the hall) adds one.  SECURITY DEFINER: a
-- supervisor reads the hall's shares too (aggregates over every
-- department, about no colleague); refused to clerks as the timeliness
-- figures are (timeliness_scope()).
CREATE FUNCTION hall.platform_figures(month date)
RETURNS TABLE (scope_code text, scope_name text, dimension text, key text, label text,
               cases bigint, share numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET jit = off SET search_path = pg_catalog, hall, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_dept text := hall.timeliness_scope();
	m0 date := hall.month_start(platform_figures.month);
	m1 date := (hall.month_start(platform_figures.month) + interval '1 month')::date - 1;
BEGIN
	RETURN QUERY
	WITH c AS MATERIALIZED (
		-- the month's cases from the daily facts of 019 (hall.platform_days):
		-- a few thousand rows, summed per department, channel, category,
		-- applicant kind and trips (returns: 2 = two or more, which is all
		-- the trips and the one-trip test need to know)
		SELECT f.department_code, f.channel, i.category, f.applicant_kind AS applicant,
		       CASE WHEN f.channel IN ('window', 'kiosk') THEN 1 + f.returns ELSE 0 END
		       + CASE WHEN i.online THEN 0 ELSE 1 END AS trips,
		       f.returns AS return_count, sum(f.n) AS n
		FROM hall.platform_days f
		JOIN hall.items i ON i.id = f.item_id
		WHERE f.day BETWEEN m0 AND m1
		GROUP BY 1, 2, 3, 4, 5, 6
	), s AS (
		SELECT l.code, d.dimension, d.key, sum(c.n)::bigint AS n
		FROM c
		CROSS JOIN LATERAL (SELECT NULL::text AS code UNION ALL SELECT c.department_code WHERE c.department_code = v_dept) l
		CROSS JOIN LATERAL (VALUES ('total', 'all'), ('channel', c.channel),
		                           ('online', CASE WHEN c.channel IN ('web', 'app') THEN 'online' END),
		                           ('one_trip', CASE WHEN c.trips <= 1 AND c.return_count <= 1 THEN 'one_trip' END),
		                           ('no_visit', CASE WHEN c.trips = 0 THEN 'no_visit' END),
		                           ('category', c.category), ('applicant', c.applicant)) d(dimension, key)
		WHERE d.key IS NOT NULL
		GROUP BY 1, 2, 3
	), k AS (
		-- every row a scope has, the empty ones too (a month with no kiosk case)
		SELECT l.code, v.dimension, v.key, v.label, v.ord
		FROM (SELECT NULL::text AS code UNION ALL SELECT v_dept WHERE v_dept IS NOT NULL) l
		CROSS JOIN (VALUES ('total', 'all', '合计', 1), ('channel', 'window', '窗口', 2), ('channel', 'web', '网站', 3),
		                   ('channel', 'app', '移动端', 4), ('channel', 'kiosk', '自助终端', 5),
		                   ('online', 'online', '网上办件', 6), ('one_trip', 'one_trip', '最多跑一次', 7),
		                   ('no_visit', 'no_visit', '全程不见面', 8),
		                   ('applicant', 'person', '个人', 9), ('applicant', 'entity', '法人', 10)) v(dimension, key, label, ord)
		UNION ALL
		SELECT DISTINCT s.code, s.dimension, s.key, s.key, 20 FROM s WHERE s.dimension = 'category'
	)
	SELECT k.code, coalesce((SELECT d.name FROM hall.departments d WHERE d.code = k.code), hall.setting('hall_name')),
	       k.dimension, k.key, k.label, coalesce(s.n, 0),
	       round(coalesce(s.n, 0)::numeric / nullif(t.n, 0), 4)
	FROM k
	LEFT JOIN s ON s.code IS NOT DISTINCT FROM k.code AND s.dimension = k.dimension AND s.key = k.key
	LEFT JOIN s t ON t.code IS NOT DISTINCT FROM k.code AND t.dimension = 'total'
	ORDER BY k.code NULLS FIRST, k.ord, coalesce(s.n, 0) DESC, k.key;
END $$;

-- ------------------------------------------------------------ CSV reports
--
-- The tables of this issue with Chinese column names, for
--   COPY (SELECT * FROM hall.report_scorecard('2026-10-01')) TO STDOUT WITH CSV HEADER
-- (hallctl report, the terminal's export).  The same scope and refusals as
-- the functions they read.  Rates as numbers 0..1.

CREATE FUNCTION hall.report_timeliness(month date)
RETURNS TABLE ("月份" text, "类别" text, "部门" text, "窗口" text, "工号" text, "姓名" text,
               "办结件数" bigint, "按时办结" bigint, "超期办结" bigint, "按时办结率" numeric, "提前办结率" numeric,
               "受理超时" bigint, "答复件数" bigint, "按时答复" bigint, "按时答复率" numeric,
               "答复用时中位数(工时)" numeric, "答复用时P90(工时)" numeric,
               "超期在办" bigint, "临期在办" bigint, "违反一次性告知" bigint, "差评" bigint, "差评已整改" bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	m0 date := hall.month_start(month);
	m1 date := (hall.month_start(month) + interval '1 month')::date - 1;
	v_m text := to_char(hall.month_start(month), 'YYYY-MM');
BEGIN
	RETURN QUERY
	SELECT v_m, '合计', coalesce(d.department_code, ''), '', '', d.department_name,
	       d.completed, d.on_time, d.late, d.on_time_rate, d.early_rate, d.accept_missed,
	       d.answered, d.answered_on_time, d.answer_on_time_rate, d.reply_hours_median, d.reply_hours_p90,
	       d.overdue_cases, d.due_soon_cases, d.breaches, d.bad_ratings, d.bad_rectified
	FROM hall.timeliness_department(m0, m1) d;
	RETURN QUERY
	SELECT v_m, '窗口', w.department_code, w.window_code, '', w.window_name,
	       w.completed, w.on_time, w.late, w.on_time_rate, w.early_rate, w.accept_missed,
	       w.answered, w.answered_on_time, w.answer_on_time_rate, w.reply_hours_median, w.reply_hours_p90,
	       w.overdue_cases, w.due_soon_cases, w.breaches, w.bad_ratings, w.bad_rectified
	FROM hall.timeliness_windows(m0, m1) w;
	RETURN QUERY
	SELECT v_m, '工作人员', c.department_code, '', c.login, c.name,
	       c.completed, c.on_time, c.late, c.on_time_rate, c.early_rate, c.accept_missed,
	       c.answered, c.answered_on_time, c.answer_on_time_rate, c.reply_hours_median, c.reply_hours_p90,
	       c.overdue_cases, c.due_soon_cases, c.breaches, c.bad_ratings, c.bad_rectified
	FROM hall.timeliness_clerks(m0, m1) c;
END $$;

CREATE FUNCTION hall.report_scorecard(month date)
RETURNS TABLE ("月份" text, "类别" text, "部门" text, "窗口" text, "工号" text, "姓名" text,
               "排名" bigint, "上月排名" bigint, "排名变化" bigint, "综合得分" numeric,
               "办结件数" bigint, "按时办结率" numeric, "提前办结率" numeric, "受理超时" bigint,
               "答复件数" bigint, "按时答复率" numeric,
               "服务件数" bigint, "未评件数" bigint, "未评率" numeric, "评价数" bigint,
               "好评率" numeric, "满意率" numeric, "主动评价率" numeric, "主动评价好评率" numeric,
               "差评数" bigint, "差评整改率" numeric, "回访整改率" numeric, "回访整改满意率" numeric,
               "黄牌" bigint, "红牌" bigint, "违反一次性告知" bigint, "督办" bigint, "督办超时" bigint,
               "满意率末位" text, "连续两月末位" text, "已关账" text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_m text := to_char(hall.month_start(month), 'YYYY-MM');
BEGIN
	RETURN QUERY
	SELECT v_m, '窗口', w.department_code, w.window_code, '', w.window_name,
	       w.rank, w.prev_rank, w.rank_change, w.score,
	       w.completed, w.on_time_rate, w.early_rate, w.accept_missed, NULL::bigint, NULL::numeric,
	       w.services, w.unrated, w.unrated_rate, w.ratings,
	       w.good_rate, w.satisfaction_rate, w.proactive_rate, w.proactive_good_rate,
	       w.bad, w.rectify_rate, w.callback_rectify_rate, w.callback_satisfaction_rate,
	       w.yellow_cards, w.red_cards, w.breaches, w.supervisions, w.supervisions_late,
	       CASE WHEN w.bottom THEN '是' ELSE '' END, CASE WHEN w.bottom_two_months THEN '是' ELSE '' END,
	       CASE WHEN w.frozen THEN '是' ELSE '' END
	FROM hall.scorecard_windows(month) w;
	RETURN QUERY
	SELECT v_m, '工作人员', c.department_code, '', c.login, c.name,
	       c.rank, c.prev_rank, c.rank_change, c.score,
	       c.completed, c.on_time_rate, c.early_rate, c.accept_missed, c.answered, c.answer_on_time_rate,
	       c.services, c.unrated, c.unrated_rate, c.ratings,
	       c.good_rate, c.satisfaction_rate, c.proactive_rate, c.proactive_good_rate,
	       c.bad, c.rectify_rate, c.callback_rectify_rate, c.callback_satisfaction_rate,
	       c.yellow_cards, c.red_cards, c.breaches, c.supervisions, c.supervisions_late,
	       '', '', CASE WHEN c.frozen THEN '是' ELSE '' END
	FROM hall.scorecard_clerks(month) c;
END $$;

CREATE FUNCTION hall.report_platform(month date)
RETURNS TABLE ("月份" text, "范围" text, "维度" text, "项目" text, "件数" bigint, "占比" numeric)
LANGUAGE sql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT to_char(hall.month_start(month), 'YYYY-MM'), p.scope_name,
	       CASE p.dimension WHEN 'total' THEN '合计' WHEN 'channel' THEN '渠道' WHEN 'online' THEN '网上办件'
	                        WHEN 'one_trip' THEN '跑一次' WHEN 'no_visit' THEN '不见面'
	                        WHEN 'category' THEN '事项类别' WHEN 'applicant' THEN '申请人类型' ELSE p.dimension END,
	       p.label, p.cases, p.share
	FROM hall.platform_figures(month) p
$$;

-- The cards issued in the month (017), in the caller's scope.
CREATE FUNCTION hall.report_cards(month date)
RETURNS TABLE ("月份" text, "颜色" text, "规则" text, "对象类型" text, "编号" text, "部门" text,
               "窗口" text, "工号" text, "姓名" text, "发出日期" date, "整改期限" date, "消除时间" text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	v_dept text := hall.timeliness_scope();
	m0 date := hall.month_start(month);
BEGIN
	RETURN QUERY
	SELECT to_char(m0, 'YYYY-MM'), CASE c.color WHEN 'red' THEN '红牌' ELSE '黄牌' END, c.rule,
	       CASE c.kind WHEN 'application' THEN '办件' WHEN 'inquiry' THEN '咨询' ELSE '评价' END,
	       c.ref, c.department_code, coalesce(c.window_code, ''), coalesce(s.login::text, ''), coalesce(s.name, ''),
	       c.issued_on, c.due_date,
	       coalesce(to_char(c.cleared_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), '')
	FROM hall.cards c
	LEFT JOIN hall.staff s ON s.id = c.staff_id
	WHERE c.issued_on >= m0 AND c.issued_on < (m0 + interval '1 month')::date
	  AND (v_dept IS NULL OR c.department_code = v_dept)
	ORDER BY c.issued_on, c.id;
END $$;

-- ------------------------------------------------------------ grants

REVOKE ALL ON FUNCTION hall.scorecard_close(date, text), hall.scorecard_rows_for(date, text),
	hall.scorecard_frozen_guard(), hall.platform_figures(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.month_start(date), hall.scorecard_score(hall.scorecard_figures),
	hall.scorecard_live(date), hall.scorecard_rows(date), hall.scorecard_ranked(date, text),
	hall.scorecard_windows(date), hall.scorecard_clerks(date), hall.platform_figures(date),
	hall.report_timeliness(date), hall.report_scorecard(date), hall.report_platform(date), hall.report_cards(date)
	TO hall_supervisor, hall_trainer, hall_director;
GRANT EXECUTE ON FUNCTION hall.scorecard_close(date, text) TO hall_supervisor, hall_director;
