-- The province's reporting database (issue 11): applied by `hallctl
-- province init` in a database of its own, never in a city's (the city
-- side is schema/021_province.sql).  doc/province.md has the design.
--
-- Each city publishes its feed (021: feed.city, feed.departments,
-- feed.department_days, counts per department and day, every row keyed by
-- the city's code); the province subscribes to each city (`hallctl province
-- add-city NAME CONNINFO`: one subscription city_<NAME>), and logical
-- replication applies the rows to the tables of the same names here, where
-- the cities' rows live side by side.  Nothing writes them but the
-- subscriptions.
--
--   province_admin        owns everything here (NOLOGIN)
--   province_supervisor   the province's supervisors: read the figures and
--                         the feed, change nothing (their logins are members)
--
-- The figures per city and month are those the city's supervisors see:
-- on-time rate = on_time / completed (015's timeliness), satisfaction =
-- satisfied (levels 4-5) / ratings that count (018's scorecard), rates
-- rounded to 4 decimals, NULL when nothing was counted.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'province_admin') THEN
		CREATE ROLE province_admin NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'province_supervisor') THEN
		CREATE ROLE province_supervisor NOLOGIN;
	END IF;
	EXECUTE format('GRANT CREATE, CONNECT, TEMPORARY ON DATABASE %I TO province_admin', current_database());
	EXECUTE format('GRANT CONNECT ON DATABASE %I TO province_supervisor', current_database());
	EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$;

SET LOCAL ROLE province_admin;
ALTER DEFAULT PRIVILEGES FOR ROLE province_admin REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE province_admin REVOKE ALL ON TABLES FROM PUBLIC;

-- ------------------------------------------------------------ the feed
--
-- The same tables as the cities' (021), same names, same columns: the
-- subscriptions write them.  No foreign keys: each city's rows arrive in its
-- own order.
CREATE SCHEMA feed;
CREATE TABLE feed.city (
	city_code       text PRIMARY KEY,
	name            text NOT NULL
);
CREATE TABLE feed.departments (
	city_code       text NOT NULL,
	department_code text NOT NULL,
	name            text NOT NULL,
	PRIMARY KEY (city_code, department_code)
);
CREATE TABLE feed.department_days (
	city_code       text NOT NULL,
	department_code text NOT NULL,
	day             date NOT NULL,
	received        bigint NOT NULL,
	completed       bigint NOT NULL,
	on_time         bigint NOT NULL,
	early           bigint NOT NULL,
	ratings         bigint NOT NULL,
	good            bigint NOT NULL,
	satisfied       bigint NOT NULL,
	PRIMARY KEY (city_code, department_code, day)
);
-- A month of every city: (day, city_code) ranges.
CREATE INDEX department_days_day ON feed.department_days (day, city_code);

-- ------------------------------------------------------------ the cities

CREATE SCHEMA province;
-- The cities added (hallctl province add-city): the name is the city's code
-- (its rows' city_code) and names its subscription, city_<name>, and the
-- replication slot on the city, province_<name>.  The connection string is
-- kept by the subscription only (pg_subscription, readable by superusers).
CREATE TABLE province.cities (
	name            text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{1,30}$'),
	subscription    text NOT NULL UNIQUE,
	added_at        timestamptz NOT NULL DEFAULT now(),
	added_by        name NOT NULL DEFAULT session_user
);

-- Each city and how its feed arrives: state
--   streaming   the subscription's worker is connected and has heard from
--               the city (changes or keepalives)
--   syncing     the first copy of some table is not done yet
--   waiting     enabled, but no worker connected: the city cannot be reached
--               now (a worker tries again every wal_retrieve_retry_interval)
--   disabled    the subscription is disabled
--   missing     no subscription (dropped by hand)
-- last_message: when the city's server last sent anything (changes or
-- keepalives, pg_stat_subscription.last_msg_send_time) to the worker
-- connected now (NULL while none is); received: when it arrived here; days:
-- the city's rows in feed.department_days.
CREATE VIEW province.city_status AS
SELECT c.name, f.name AS city_name,
       CASE WHEN s.oid IS NULL THEN 'missing'
            WHEN NOT s.subenabled THEN 'disabled'
            WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_subscription_rel r
                         WHERE r.srsubid = s.oid AND r.srsubstate <> 'r') THEN 'syncing'
            WHEN w.received_lsn IS NOT NULL THEN 'streaming'
            ELSE 'waiting' END AS state,
       CASE WHEN w.received_lsn IS NOT NULL THEN w.last_msg_send_time END AS last_message,
       CASE WHEN w.received_lsn IS NOT NULL THEN w.last_msg_receipt_time END AS received,
       (SELECT count(*) FROM feed.department_days d WHERE d.city_code = c.name) AS days,
       c.added_at
FROM province.cities c
LEFT JOIN feed.city f ON f.city_code = c.name
LEFT JOIN pg_catalog.pg_subscription s ON s.subname = c.subscription AND s.subdbid =
	(SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())
LEFT JOIN pg_catalog.pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL;

-- ------------------------------------------------------------ the figures

-- One row per city added (and any city whose rows are here) for the month
-- of `month` (any day of it; NULL: nothing): cases received, completed, on
-- time, the on-time rate, ratings, satisfied, satisfaction.
CREATE FUNCTION province.city_month(month date)
RETURNS TABLE (month_start date, city_code text, city_name text, received bigint, completed bigint, on_time bigint,
               on_time_rate numeric, ratings bigint, satisfied bigint, satisfaction_rate numeric)
LANGUAGE sql STABLE SET search_path = pg_catalog, province, pg_temp
AS $$
	WITH m AS (
		SELECT date_trunc('month', city_month.month)::date AS m0,
		       (date_trunc('month', city_month.month) + interval '1 month')::date - 1 AS m1
	), s AS (
		SELECT d.city_code, sum(d.received)::bigint AS received, sum(d.completed)::bigint AS completed,
		       sum(d.on_time)::bigint AS on_time, sum(d.ratings)::bigint AS ratings,
		       sum(d.satisfied)::bigint AS satisfied
		FROM feed.department_days d, m
		WHERE d.day BETWEEN m.m0 AND m.m1
		GROUP BY d.city_code
	), c AS (
		SELECT x.name AS city_code FROM province.cities x
		UNION SELECT f.city_code FROM feed.city f
		UNION SELECT s.city_code FROM s
	)
	SELECT m.m0, c.city_code, coalesce(f.name, c.city_code),
	       coalesce(s.received, 0), coalesce(s.completed, 0), coalesce(s.on_time, 0),
	       round(s.on_time::numeric / nullif(s.completed, 0), 4),
	       coalesce(s.ratings, 0), coalesce(s.satisfied, 0),
	       round(s.satisfied::numeric / nullif(s.ratings, 0), 4)
	FROM c CROSS JOIN m
	LEFT JOIN s ON s.city_code = c.city_code
	LEFT JOIN feed.city f ON f.city_code = c.city_code
	WHERE m.m0 IS NOT NULL
	ORDER BY c.city_code
$$;

-- The same per city and department (departments with something counted in
-- the month, or known to the city).
CREATE FUNCTION province.department_month(month date)
RETURNS TABLE (month_start date, city_code text, department_code text, department_name text, received bigint,
               completed bigint, on_time bigint, on_time_rate numeric, ratings bigint, satisfied bigint,
               satisfaction_rate numeric)
LANGUAGE sql STABLE SET search_path = pg_catalog, province, pg_temp
AS $$
	WITH m AS (
		SELECT date_trunc('month', department_month.month)::date AS m0,
		       (date_trunc('month', department_month.month) + interval '1 month')::date - 1 AS m1
	), s AS (
		SELECT d.city_code, d.department_code, sum(d.received)::bigint AS received,
		       sum(d.completed)::bigint AS completed, sum(d.on_time)::bigint AS on_time,
		       sum(d.ratings)::bigint AS ratings, sum(d.satisfied)::bigint AS satisfied
		FROM feed.department_days d, m
		WHERE d.day BETWEEN m.m0 AND m.m1
		GROUP BY 1, 2
	), k AS (
		SELECT x.city_code, x.department_code FROM feed.departments x
		UNION SELECT s.city_code, s.department_code FROM s
	)
	SELECT m.m0, k.city_code, k.department_code, coalesce(n.name, k.department_code),
	       coalesce(s.received, 0), coalesce(s.completed, 0), coalesce(s.on_time, 0),
	       round(s.on_time::numeric / nullif(s.completed, 0), 4),
	       coalesce(s.ratings, 0), coalesce(s.satisfied, 0),
	       round(s.satisfied::numeric / nullif(s.ratings, 0), 4)
	FROM k CROSS JOIN m
	LEFT JOIN s ON s.city_code = k.city_code AND s.department_code = k.department_code
	LEFT JOIN feed.departments n ON n.city_code = k.city_code AND n.department_code = k.department_code
	WHERE m.m0 IS NOT NULL
	ORDER BY k.city_code, k.department_code
$$;

-- For COPY (SELECT * FROM province.report('2026-11-01')) TO STDOUT WITH CSV
-- HEADER (hallctl province report --csv): city_month with Chinese column
-- names, the month as YYYY-MM, rates as numbers 0..1.
CREATE FUNCTION province.report(month date)
RETURNS TABLE ("月份" text, "城市代码" text, "城市" text, "收件" bigint, "办结件数" bigint, "按时办结" bigint,
               "按时办结率" numeric, "评价数" bigint, "满意" bigint, "满意率" numeric)
LANGUAGE sql STABLE SET search_path = pg_catalog, province, pg_temp
AS $$
	SELECT to_char(c.month_start, 'YYYY-MM'), c.city_code, c.city_name, c.received, c.completed, c.on_time,
	       c.on_time_rate, c.ratings, c.satisfied, c.satisfaction_rate
	FROM province.city_month(report.month) c
$$;

GRANT USAGE ON SCHEMA feed, province TO province_supervisor;
GRANT SELECT ON feed.city, feed.departments, feed.department_days, province.cities, province.city_status
	TO province_supervisor;
GRANT EXECUTE ON FUNCTION province.city_month(date), province.department_month(date), province.report(date)
	TO province_supervisor;
