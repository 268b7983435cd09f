/* db/trainroom.c - the training room's queries; see trainroom.h. */
#include "db/trainroom.h"

#include <stdio.h>

static void rows_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	troom_rows_fn fn = (troom_rows_fn)any;

	fn(ctx, reply->status == DB_OK ? db_reply_take(reply) : NULL, reply);
}

/* The exercise's start, else the training day's. */
#define SINCE "coalesce($1::timestamptz, hall.today()::timestamptz)"

int troom_room(db_session *s, const char *since, troom_rows_fn fn, void *ctx)
{
	const char *p[1] = { since && *since ? since : NULL };

	return db_session_call(s,
		"SELECT staff_id, login, name, claims, approvals, returns, notice_breaches, escalations, replies,"
		"       reply_minutes_avg, gone_late, handling_minutes_avg, refused, to_char(last_at, 'HH24:MI')"
		"  FROM hall.training_room(" SINCE ")",
		1, p, rows_adapt, (db_any_fn)fn, ctx);
}

int troom_actions(db_session *s, long long staff, const char *since, troom_rows_fn fn, void *ctx)
{
	char id[24];
	const char *p[2] = { since && *since ? since : NULL, id };

	snprintf(id, sizeof id, "%lld", staff);
	return db_session_call(s,
		"SELECT to_char(at, 'MM-DD HH24:MI'), action, application_id, case_no, inquiry_id, detail, rule"
		"  FROM hall.training_actions($2::int, " SINCE ")",
		2, p, rows_adapt, (db_any_fn)fn, ctx);
}

int troom_debrief(db_session *s, const char *since, troom_rows_fn fn, void *ctx)
{
	const char *p[1] = { since && *since ? since : NULL };

	/* The class-wide lines (no staff) after each trainee's. */
	return db_session_call(s,
		"SELECT staff_id, login, name, kind, code, case_no, application_id, to_char(at, 'MM-DD HH24:MI'), n"
		"  FROM hall.training_debrief(" SINCE ")"
		" ORDER BY staff_id IS NULL, login, CASE kind WHEN 'well' THEN 0 WHEN 'late' THEN 1 ELSE 2 END, at, code",
		1, p, rows_adapt, (db_any_fn)fn, ctx);
}

int troom_exercise(db_session *s, troom_rows_fn fn, void *ctx)
{
	return db_session_call(s,
		"SELECT id, scenario, title, started_at::text, to_char(started_at, 'MM-DD HH24:MI'), state"
		"  FROM hall.exercise_current()",
		0, NULL, rows_adapt, (db_any_fn)fn, ctx);
}

int troom_clock(db_session *s, troom_rows_fn fn, void *ctx)
{
	db_session_next_background(s);
	return db_session_call(s,
		"SELECT extract(epoch FROM hall.now())::float8, extract(epoch FROM clock_timestamp())::float8",
		0, NULL, rows_adapt, (db_any_fn)fn, ctx);
}

int troom_reset(db_session *s, db_reply_fn fn, void *ctx)
{
	return db_session_change(s, "SELECT hall.demo_reset()", 0, NULL, fn, ctx);
}

int troom_set_clock(db_session *s, const char *moment, int run, db_reply_fn fn, void *ctx)
{
	const char *p[2] = { moment, run ? "true" : "false" };

	return db_session_change(s, "SELECT hall.set_clock($1::timestamptz, $2::boolean)", 2, p, fn, ctx);
}

int troom_clock_step(db_session *s, const char *what, db_reply_fn fn, void *ctx)
{
	const char *p[1] = { what };

	return db_session_change(s, "SELECT hall.clock_step($1::text)", 1, p, fn, ctx);
}

int troom_exercise_end(db_session *s, db_reply_fn fn, void *ctx)
{
	return db_session_change(s, "SELECT hall.exercise_end()", 0, NULL, fn, ctx);
}
