-- What the terminal (hallterm) needs beyond the views of 005-008.
--
-- hall.demo_accounts(): the login screen of a demo database lists the
-- training accounts.  The screen runs before anybody has logged in as
-- staff (e.g. as the cluster's local superuser in `make demo`), so the
-- function is a SECURITY DEFINER granted to PUBLIC; it answers only on a
-- database whose mode is 'demo' and gives logins, names, kinds and windows,
-- never a password or anything about a citizen.
SET LOCAL ROLE hall_admin;

CREATE FUNCTION hall.demo_accounts()
RETURNS TABLE (login text, name text, kind text, windows text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, hall, pg_temp
AS $$
	SELECT s.login::text, s.name, s.kind,
	       coalesce((SELECT string_agg(w.window_code, ',' ORDER BY w.window_code)
	                 FROM hall.staff_windows w WHERE w.staff_id = s.id), '')
	FROM hall.staff s
	WHERE s.active AND hall.mode() = 'demo'
	ORDER BY CASE s.kind WHEN 'clerk' THEN 1 WHEN 'supervisor' THEN 2 WHEN 'trainer' THEN 3 ELSE 4 END,
	         s.login
$$;

GRANT EXECUTE ON FUNCTION hall.demo_accounts() TO PUBLIC;

-- The one-time notice a return would send, without sending it: the return
-- dialog shows the clerk exactly what the applicant will read before they
-- confirm.  SECURITY INVOKER: the caller's row-level security decides
-- whether the case exists for them.  The wording is that of
-- hall.return_for_correction() (005); tests/e2e compares the two.
CREATE FUNCTION hall.return_notice_preview(app bigint, material_ids int[], defects text)
RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, hall, pg_temp
AS $$
DECLARE
	r hall.applications;
BEGIN
	-- Read through the caller's row-level security: a case they may not
	-- see does not exist for them.
	SELECT * INTO r FROM hall.applications a WHERE a.id = return_notice_preview.app;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case #% does not exist', return_notice_preview.app
			USING ERRCODE = 'P0002', HINT = 'reason:not_found:case';
	END IF;
	RETURN hall.return_notice(r, return_notice_preview.material_ids,
	                          hall.optional_text(return_notice_preview.defects, 'return_defects'));
END $$;

REVOKE EXECUTE ON FUNCTION hall.return_notice_preview(bigint, int[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.return_notice_preview(bigint, int[], text)
	TO hall_clerk, hall_supervisor, hall_trainer;

-- My ratings: the counts per level, the satisfaction and the 12-week trend
-- are one pass over the caller's own ratings; with the columns it reads in
-- the index, that pass is an index-only scan (a busy clerk of the 1M-case
-- demo has 20,000 ratings).
CREATE INDEX ratings_staff_summary ON hall.ratings (staff_id, rated_at) INCLUDE (level, counts, appeal_state, id);
