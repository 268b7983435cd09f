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
	r record;
	v_defects text := hall.optional_text(return_notice_preview.defects, 'return_defects');
	lines text[] := '{}';
	k int := 0;
	m record;
BEGIN
	SELECT a.case_no, i.name AS item, a.item_id INTO r
	FROM hall.applications a JOIN hall.items i ON i.id = a.item_id
	WHERE a.id = return_notice_preview.app;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case #% does not exist', return_notice_preview.app USING ERRCODE = 'P0002';
	END IF;
	FOR m IN SELECT mt.name FROM hall.materials mt
	         WHERE mt.id = ANY (coalesce(return_notice_preview.material_ids, '{}')) AND mt.item_id = r.item_id
	         ORDER BY mt.ord, mt.id LOOP
		k := k + 1;
		lines := lines || format('%s. %s', k, m.name);
	END LOOP;
	IF v_defects <> '' THEN
		k := k + 1;
		lines := lines || format('%s. 其他问题：%s', k, v_defects);
	END IF;
	RETURN format('一次性告知：您申请的「%s」（办件号 %s）需补正以下全部内容：', r.item, r.case_no)
		|| E'\n' || array_to_string(lines, E'\n')
		|| E'\n' || '请一次性补齐后重新提交；补正期间办理时限暂停计算。';
END $$;

REVOKE EXECUTE ON FUNCTION hall.return_notice_preview(bigint, int[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hall.return_notice_preview(bigint, int[], text)
	TO hall_clerk, hall_supervisor, hall_trainer;

-- My ratings: the counts per level, the satisfaction and the 12-week trend
-- are one pass over the caller's own ratings; with the columns it reads in
-- the index, that pass is an index-only scan (a busy clerk of the 1M-case
-- demo has 20,000 ratings).
CREATE INDEX ratings_staff_summary ON hall.ratings (staff_id, rated_at) INCLUDE (level, counts, appeal_state, id);
