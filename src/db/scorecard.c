/* db/scorecard.c - the month's scorecard queries; see scorecard.h. */
#include "db/scorecard.h"

#include <string.h>

static void rows_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	sc_rows_fn fn = (sc_rows_fn)any;

	fn(ctx, reply->status == DB_OK ? db_reply_take(reply) : NULL, reply);
}

static int month_call(db_session *s, const char *sql, const char *month, sc_rows_fn fn, void *ctx)
{
	const char *p[1] = { month };

	return db_session_call(s, sql, 1, p, rows_adapt, (db_any_fn)fn, ctx);
}

/* The figures both kinds share, from SC_SERVICES on (supervise.c's FIG). */
#define SC_TAIL \
	"x.services, x.unrated, x.unrated_rate, x.ratings, x.good_rate, x.satisfaction_rate, x.proactive_rate," \
	" x.proactive_good_rate, x.bad, x.rectify_rate, x.callback_rectify_rate, x.callback_satisfaction_rate," \
	" x.yellow_cards, x.red_cards, x.breaches, x.supervisions, x.supervisions_late, x.frozen"

int scorecard_windows(db_session *s, const char *month, sc_rows_fn fn, void *ctx)
{
	return month_call(s,
		"SELECT x.window_code, x.window_name, x.department_code, NULL::int,"
		"       x.rank, x.prev_rank, x.rank_change, x.score, x.bottom, x.bottom_two_months,"
		"       x.completed, x.on_time_rate, x.early_rate, x.accept_missed, NULL::bigint, NULL::numeric, " SC_TAIL
		"  FROM hall.scorecard_windows($1::date) x",
		month, fn, ctx);
}

int scorecard_clerks(db_session *s, const char *month, sc_rows_fn fn, void *ctx)
{
	return month_call(s,
		"SELECT x.login, x.name, x.department_code, x.staff_id,"
		"       x.rank, x.prev_rank, x.rank_change, x.score, NULL::boolean, NULL::boolean,"
		"       x.completed, x.on_time_rate, x.early_rate, x.accept_missed, x.answered, x.answer_on_time_rate, " SC_TAIL
		"  FROM hall.scorecard_clerks($1::date) x",
		month, fn, ctx);
}

int scorecard_closed(db_session *s, const char *month, sc_rows_fn fn, void *ctx)
{
	/* Row-level security keeps a supervisor to their own department. */
	return month_call(s,
		"SELECT c.department_code, coalesce(d.name, c.department_code),"
		"       to_char(c.closed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),"
		"       coalesce(st.name, c.closed_actor::text)"
		"  FROM hall.scorecard_closed c"
		"  LEFT JOIN hall.departments d ON d.code = c.department_code"
		"  LEFT JOIN hall.staff st ON st.id = c.closed_by"
		" WHERE c.month = hall.month_start($1::date)"
		" ORDER BY c.department_code",
		month, fn, ctx);
}

int scorecard_platform(db_session *s, const char *month, sc_rows_fn fn, void *ctx)
{
	return month_call(s, "SELECT * FROM hall.platform_figures($1::date)", month, fn, ctx);
}

int scorecard_close(db_session *s, const char *month, const char *department, db_reply_fn fn, void *ctx)
{
	const char *p[2] = { month, department && *department ? department : NULL };

	return db_session_change(s, "SELECT hall.scorecard_close($1::date, $2)", 2, p, fn, ctx);
}

/* COPY takes no parameters of its own: the month is set as a parameter
 * of set_config just before and read back in the statement. */
static const struct {
	const char *which, *sql;
} exports[] = {
	{ "scorecard", "COPY (SELECT * FROM hall.report_scorecard(current_setting('hall.export_month')::date))"
	               " TO STDOUT WITH (FORMAT csv, HEADER)" },
	{ "platform", "COPY (SELECT * FROM hall.report_platform(current_setting('hall.export_month')::date))"
	              " TO STDOUT WITH (FORMAT csv, HEADER)" },
};

int scorecard_export(db_session *s, const char *which, const char *month, FILE *out, db_reply_fn fn, void *ctx)
{
	const char *p[1] = { month };

	for (size_t i = 0; i < sizeof exports / sizeof exports[0]; i++) {
		if (strcmp(exports[i].which, which) != 0)
			continue;
		if (db_session_query(s, "SELECT set_config('hall.export_month', $1::date::text, false)", 1, p, NULL,
		                     NULL) < 0)
			return -1;
		return db_session_copy_out(s, exports[i].sql, 0, NULL, out, fn, ctx);
	}
	return -1;
}
