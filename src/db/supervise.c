/* db/supervise.c - the supervisors' queries; see supervise.h. */
#include "db/supervise.h"

#include <stdio.h>
#include <string.h>

static void rows_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	sup_rows_fn fn = (sup_rows_fn)any;

	fn(ctx, reply->status == DB_OK ? db_reply_take(reply) : NULL, reply);
}

static int period_call(db_session *s, const char *sql, const char *from, const char *to, sup_rows_fn fn, void *ctx)
{
	const char *p[2] = { from, to };

	return db_session_call(s, sql, 2, p, rows_adapt, (db_any_fn)fn, ctx);
}

int sup_period(db_session *s, const char *name, sup_rows_fn fn, void *ctx)
{
	const char *p[1] = { name };

	/* The period before: yesterday, last week, last month (whole), the
	 * month before last. */
	return db_session_call(s,
		"SELECT to_char(f, 'YYYY-MM-DD'), to_char(l, 'YYYY-MM-DD'), to_char(pf, 'YYYY-MM-DD'), to_char(pl, 'YYYY-MM-DD')"
		"  FROM (SELECT hall.today()::timestamp AS t) x,"
		"  LATERAL (SELECT CASE $1 WHEN 'week' THEN date_trunc('week', t)"
		"                          WHEN 'month' THEN date_trunc('month', t)"
		"                          WHEN 'last_month' THEN date_trunc('month', t) - interval '1 month'"
		"                          ELSE t END::date AS f,"
		"                  CASE $1 WHEN 'last_month' THEN date_trunc('month', t) - interval '1 day'"
		"                          ELSE t END::date AS l,"
		"                  CASE $1 WHEN 'week' THEN date_trunc('week', t) - interval '1 week'"
		"                          WHEN 'month' THEN date_trunc('month', t) - interval '1 month'"
		"                          WHEN 'last_month' THEN date_trunc('month', t) - interval '2 months'"
		"                          ELSE t - interval '1 day' END::date AS pf,"
		"                  CASE $1 WHEN 'week' THEN date_trunc('week', t) - interval '1 day'"
		"                          WHEN 'month' THEN date_trunc('month', t) - interval '1 day'"
		"                          WHEN 'last_month' THEN date_trunc('month', t) - interval '1 month 1 day'"
		"                          ELSE t - interval '1 day' END::date AS pl) d",
		1, p, rows_adapt, (db_any_fn)fn, ctx);
}

int sup_clerks(db_session *s, const char *from, const char *to, sup_rows_fn fn, void *ctx)
{
	return period_call(s, "SELECT * FROM hall.timeliness_clerks($1::date, $2::date)", from, to, fn, ctx);
}

int sup_windows(db_session *s, const char *from, const char *to, sup_rows_fn fn, void *ctx)
{
	return period_call(s, "SELECT * FROM hall.timeliness_windows($1::date, $2::date)", from, to, fn, ctx);
}

int sup_department(db_session *s, const char *from, const char *to, sup_rows_fn fn, void *ctx)
{
	return period_call(s, "SELECT * FROM hall.timeliness_department($1::date, $2::date)", from, to, fn, ctx);
}

int sup_daily(db_session *s, const char *from, const char *to, sup_rows_fn fn, void *ctx)
{
	return period_call(s, "SELECT * FROM hall.timeliness_daily($1::date, $2::date)", from, to, fn, ctx);
}

int sup_items(db_session *s, const char *from, const char *to, long long staff_id, const char *window,
              sup_rows_fn fn, void *ctx)
{
	char id[24];
	const char *p[4] = { from, to, NULL, window && *window ? window : NULL };

	if (staff_id > 0) {
		snprintf(id, sizeof id, "%lld", staff_id);
		p[2] = id;
	}
	return db_session_call(s, "SELECT * FROM hall.timeliness_items($1::date, $2::date, $3::int, $4)", 4, p,
	                       rows_adapt, (db_any_fn)fn, ctx);
}

int sup_ratings(db_session *s, const char *from, const char *to, sup_rows_fn fn, void *ctx)
{
	return period_call(s, "SELECT * FROM hall.department_ratings($1::date, $2::date)", from, to, fn, ctx);
}

int sup_cards(db_session *s, const char *from, const char *to, sup_rows_fn fn, void *ctx)
{
	return period_call(s, "SELECT * FROM hall.card_counts($1::date, $2::date)", from, to, fn, ctx);
}

int sup_my_cards(db_session *s, sup_rows_fn fn, void *ctx)
{
	db_session_next_background(s);
	return db_session_call(s,
		"SELECT count(*) FILTER (WHERE color = 'red'), count(*) FILTER (WHERE color = 'yellow')"
		"  FROM hall.v_my_cards",
		0, NULL, rows_adapt, (db_any_fn)fn, ctx);
}

int sup_candidates(db_session *s, long long app_id, long long inquiry_id, sup_rows_fn fn, void *ctx)
{
	char id[24];
	const char *p[1] = { id };

	if (app_id > 0) {
		snprintf(id, sizeof id, "%lld", app_id);
		return db_session_call(s,
			"SELECT st.login::text, st.name, string_agg(w.window_code, ' ' ORDER BY w.window_code)"
			"  FROM hall.applications a"
			"  JOIN hall.window_items wi ON wi.item_id = a.item_id"
			"  JOIN hall.staff_windows w ON w.window_code = wi.window_code"
			"  JOIN hall.staff st ON st.id = w.staff_id"
			" WHERE a.id = $1::bigint AND st.kind = 'clerk' AND st.active"
			"   AND st.department_code = a.department_code"
			"   AND st.id IS DISTINCT FROM CASE WHEN a.state = 'in_review' THEN a.claimed_by END"
			" GROUP BY st.login, st.name ORDER BY st.login",
			1, p, rows_adapt, (db_any_fn)fn, ctx);
	}
	snprintf(id, sizeof id, "%lld", inquiry_id);
	return db_session_call(s,
		"SELECT st.login::text, st.name, coalesce(string_agg(w.window_code, ' ' ORDER BY w.window_code), '')"
		"  FROM hall.inquiries q"
		"  JOIN hall.staff st ON st.department_code = q.department_code"
		"  LEFT JOIN hall.staff_windows w ON w.staff_id = st.id"
		" WHERE q.id = $1::bigint AND st.kind = 'clerk' AND st.active"
		"   AND st.id IS DISTINCT FROM q.assigned_to"
		" GROUP BY st.login, st.name ORDER BY st.login",
		1, p, rows_adapt, (db_any_fn)fn, ctx);
}

static int call3(db_session *s, const char *sql, long long id, const char *a, const char *b, db_reply_fn fn,
                 void *ctx)
{
	char idbuf[24];
	const char *p[3] = { idbuf, a, b };

	snprintf(idbuf, sizeof idbuf, "%lld", id);
	return db_session_change(s, sql, b ? 3 : 2, p, fn, ctx);
}

int sup_reassign(db_session *s, long long app_id, const char *login, const char *note, db_reply_fn fn, void *ctx)
{
	return call3(s, "SELECT hall.reassign($1::bigint, $2, $3)", app_id, login, note, fn, ctx);
}

int sup_reassign_inquiry(db_session *s, long long inquiry_id, const char *login, const char *note,
                         db_reply_fn fn, void *ctx)
{
	return call3(s, "SELECT hall.reassign_inquiry($1::bigint, $2, $3)", inquiry_id, login, note, fn, ctx);
}

int sup_flag(db_session *s, const char *kind, long long id, const char *note, const char *reply_due,
             db_reply_fn fn, void *ctx)
{
	char idbuf[24];
	const char *p[4] = { kind, idbuf, note, reply_due && *reply_due ? reply_due : NULL };

	snprintf(idbuf, sizeof idbuf, "%lld", id);
	return db_session_change(s, "SELECT hall.supervise($1, $2::bigint, $3, $4::date)", 4, p, fn, ctx);
}

int sup_answer(db_session *s, long long flag_id, const char *answer, db_reply_fn fn, void *ctx)
{
	return call3(s, "SELECT hall.answer_supervision($1::bigint, $2)", flag_id, answer, NULL, fn, ctx);
}

int sup_open_flag(db_session *s, const char *kind, long long id, sup_rows_fn fn, void *ctx)
{
	char idbuf[24];
	const char *p[2] = { kind, idbuf };

	snprintf(idbuf, sizeof idbuf, "%lld", id);
	static const unsigned types[2] = { 25, 20 };

	return db_session_call_prepared(s, "hallterm_open_flag",
		"SELECT f.id, f.note, to_char(f.reply_due, 'YYYY-MM-DD'), coalesce(f.staff_name, ''),"
		"       coalesce(f.flagged_by_name, ''), f.late"
		"  FROM hall.open_flag_of($1, $2::bigint) f",
		2, types, p, rows_adapt, (db_any_fn)fn, ctx);
}

/* The tables as exported: Chinese headers, rates in per cent.  The period
 * is read back from the session's settings, set just before as
 * parameters: COPY takes no parameters of its own. */
#define FIG(t) \
	t ".completed AS \"办结数\", " t ".on_time AS \"按时办结\", " t ".late AS \"超期办结\", " \
	"round(" t ".on_time_rate * 100, 1) AS \"按时办结率%\", round(" t ".early_rate * 100, 1) AS \"提前办结率%\", " \
	t ".accept_missed AS \"超期受理\", " t ".answered AS \"咨询答复数\", " \
	"round(" t ".answer_on_time_rate * 100, 1) AS \"按时答复率%\", " t ".reply_hours_median AS \"答复用时中位数(工时)\", " \
	t ".reply_hours_p90 AS \"答复用时P90(工时)\", " t ".overdue_cases AS \"在办超期\", " \
	t ".due_soon_cases AS \"在办临期\", " t ".breaches AS \"违反一次性告知\", " t ".bad_ratings AS \"差评\", " \
	t ".bad_rectified AS \"差评已整改\""
#define PERIOD "current_setting('hall.export_from')::date, current_setting('hall.export_to')::date"

static const struct {
	const char *which, *sql;
} exports[] = {
	{ "clerks", "COPY (SELECT x.login AS \"工号\", x.name AS \"姓名\", x.department_code AS \"科室\", " FIG("x")
	            " FROM hall.timeliness_clerks(" PERIOD ") x) TO STDOUT WITH (FORMAT csv, HEADER)" },
	{ "windows", "COPY (SELECT x.window_code AS \"窗口\", x.window_name AS \"窗口名称\", x.department_code AS \"科室\", "
	             FIG("x") " FROM hall.timeliness_windows(" PERIOD ") x) TO STDOUT WITH (FORMAT csv, HEADER)" },
	{ "daily", "COPY (SELECT x.day AS \"日期\", CASE WHEN x.workday THEN '是' ELSE '否' END AS \"工作日\","
	           " x.completed AS \"办结数\", x.on_time AS \"按时办结\", x.late AS \"超期办结\","
	           " round(x.on_time_rate * 100, 1) AS \"按时办结率%\""
	           " FROM hall.timeliness_daily(" PERIOD ") x) TO STDOUT WITH (FORMAT csv, HEADER)" },
	{ "items", "COPY (SELECT x.what AS \"类别\", x.ref AS \"编号\", x.title AS \"事项\", x.staff_name AS \"经办人\","
	           " x.window_code AS \"窗口\", x.deadline AS \"期限\", x.done_on AS \"办结/发生日\", x.days_left AS \"剩余工作日\""
	           " FROM hall.timeliness_items(" PERIOD ", NULL, NULL) x) TO STDOUT WITH (FORMAT csv, HEADER)" },
	{ "ratings", "COPY (SELECT x.login AS \"工号\", x.name AS \"姓名\", x.department_code AS \"科室\","
	             " x.ratings AS \"评价数\", x.good AS \"满意数\", round(x.satisfaction * 100, 1) AS \"满意率%\","
	             " x.bad AS \"差评\", x.bad_closed AS \"差评已整改\", x.bad_open AS \"整改中\","
	             " x.bad_late AS \"整改逾期\", x.appeals_pending AS \"待裁定申诉\""
	             " FROM hall.department_ratings(" PERIOD ") x) TO STDOUT WITH (FORMAT csv, HEADER)" },
};

int sup_export(db_session *s, const char *which, const char *from, const char *to, FILE *out,
               db_reply_fn fn, void *ctx)
{
	const char *p[2] = { from, to };

	for (size_t i = 0; i < sizeof exports / sizeof exports[0]; i++) {
		if (strcmp(exports[i].which, which) != 0)
			continue;
		if (db_session_query(s, "SELECT set_config('hall.export_from', $1::date::text, false),"
		                        "       set_config('hall.export_to', $2::date::text, false)",
		                     2, p, NULL, NULL) < 0)
			return -1;
		return db_session_copy_out(s, exports[i].sql, 0, NULL, out, fn, ctx);
	}
	return -1;
}
