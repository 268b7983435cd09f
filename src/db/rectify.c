/* db/rectify.c - the follow-up of bad ratings; see rectify.h. */
#include "db/rectify.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/xalloc.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')"
#define OPT_TS(col) "coalesce(" TS(col) ", '')"

/* ------------------------------------------------------------ one rating */

void rating_detail_free(rating_detail *d)
{
	if (!d)
		return;
	db_rows_free(d->store_);
	free(d);
}

static void detail_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	rectify_get_fn fn = (rectify_get_fn)any;
	rating_detail *d;
	db_rows *r;
	int c = 0;

	if (reply->status != DB_OK || reply->rows->nrows == 0) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	d = x_calloc(1, sizeof *d);
	d->store_ = r;
	d->id = db_rows_ll(r, 0, c++);
	d->kind = db_rows_get(r, 0, c++);
	d->target = db_rows_get(r, 0, c++);
	d->staff_login = db_rows_get(r, 0, c++);
	d->staff_name = db_rows_get(r, 0, c++);
	d->level = db_rows_int(r, 0, c++);
	d->comment = db_rows_get(r, 0, c++);
	d->rated_at = db_rows_get(r, 0, c++);
	d->counts = db_rows_bool(r, 0, c++);
	d->bad = db_rows_bool(r, 0, c++);
	d->open = db_rows_bool(r, 0, c++);
	d->mine = db_rows_bool(r, 0, c++);
	d->appeal_state = db_rows_get(r, 0, c++);
	d->appeal_reason = db_rows_get(r, 0, c++);
	d->appeal_at = db_rows_get(r, 0, c++);
	d->appeal_note = db_rows_get(r, 0, c++);
	d->appeal_judged_at = db_rows_get(r, 0, c++);
	d->callback_due = db_rows_get(r, 0, c++);
	d->rectify_due = db_rows_get(r, 0, c++);
	d->verified_at = db_rows_get(r, 0, c++);
	d->verify_note = db_rows_get(r, 0, c++);
	d->rectified_at = db_rows_get(r, 0, c++);
	d->rectify_note = db_rows_get(r, 0, c++);
	d->callback_at = db_rows_get(r, 0, c++);
	d->callback_note = db_rows_get(r, 0, c++);
	d->closed_at = db_rows_get(r, 0, c++);
	d->callback_late = db_rows_bool(r, 0, c++);
	d->rectify_late = db_rows_bool(r, 0, c++);
	fn(ctx, d, reply);
}

int rectify_get(db_session *s, long long id, rectify_get_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT v.id, v.kind, coalesce(v.target, ''), v.login, v.staff_name, v.level, v.comment,"
		"       " TS("v.rated_at") ", v.counts, v.bad, v.rectification_open,"
		"       v.staff_id = (SELECT hall.my_id()),"
		"       coalesce(v.appeal_state, ''), coalesce(v.appeal_reason, ''), " OPT_TS("v.appeal_at") ","
		"       coalesce(v.appeal_note, ''), " OPT_TS("v.appeal_judged_at") ","
		"       coalesce(v.callback_due::text, ''), coalesce(v.rectify_due::text, ''),"
		"       " OPT_TS("v.verified_at") ", coalesce(v.verify_note, ''),"
		"       " OPT_TS("v.rectified_at") ", coalesce(v.rectify_note, ''),"
		"       " OPT_TS("v.callback_at") ", coalesce(v.callback_note, ''),"
		"       " OPT_TS("v.closed_at") ", v.callback_late, v.rectify_late"
		"  FROM hall.v_ratings v WHERE v.id = $1::bigint";
	char id_s[24];
	const char *params[1] = { id_s };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_call(s, sql, 1, params, detail_adapt, (db_any_fn)fn, ctx);
}

/* ------------------------------------------------------ the open ones */

void bad_ratings_free(bad_ratings *b)
{
	if (!b)
		return;
	free(b->rows);
	db_rows_free(b->store_);
	free(b);
}

static void list_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	rectify_list_fn fn = (rectify_list_fn)any;
	bad_ratings *b;
	db_rows *r;

	if (reply->status != DB_OK) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	b = x_calloc(1, sizeof *b);
	b->store_ = r;
	b->n = r->nrows;
	b->rows = x_calloc(b->n ? (size_t)b->n : 1, sizeof *b->rows);
	for (int i = 0; i < b->n; i++) {
		bad_rating *x = &b->rows[i];
		int c = 0;
		x->id = db_rows_ll(r, i, c++);
		x->rated_at = db_rows_get(r, i, c++);
		x->staff_name = db_rows_get(r, i, c++);
		x->target = db_rows_get(r, i, c++);
		x->level = db_rows_int(r, i, c++);
		x->comment = db_rows_get(r, i, c++);
		x->appeal_state = db_rows_get(r, i, c++);
		x->callback_due = db_rows_get(r, i, c++);
		x->rectify_due = db_rows_get(r, i, c++);
		x->open = db_rows_bool(r, i, c++);
		x->verified = db_rows_bool(r, i, c++);
		x->late = db_rows_bool(r, i, c++);
		x->ref = db_rows_get(r, i, c++);
		x->callback_done = db_rows_bool(r, i, c++);
		x->callback_late = db_rows_bool(r, i, c++);
		x->rectify_done = db_rows_bool(r, i, c++);
		x->rectify_late = db_rows_bool(r, i, c++);
	}
	fn(ctx, b, reply);
}

int rectify_list(db_session *s, int limit, rectify_list_fn fn, void *ctx)
{
	/* Straight from the tables (the open index of rectifications), with
	 * the late flags as hall.v_ratings computes them. */
	static const char sql[] =
		"WITH t AS MATERIALIZED (SELECT hall.today() AS today),"
		" pick AS ((SELECT x.rating_id AS id FROM hall.rectifications x WHERE x.closed_at IS NULL)"
		"          UNION"
		"          (SELECT r.id FROM hall.ratings r WHERE r.appeal_state = 'pending'))"
		"SELECT r.id, " TS("r.rated_at") ", s.name,"
		"       coalesce(a.case_no || ' ' || i.name, q.ref || ' ' || q.subject, k.label || ' ' || ln.name, ''),"
		"       r.level, r.comment,"
		"       coalesce(r.appeal_state, ''), coalesce(x.callback_due::text, ''), coalesce(x.rectify_due::text, ''),"
		"       x.rating_id IS NOT NULL AND x.closed_at IS NULL, x.verified_at IS NOT NULL,"
		"       l.callback_late OR l.rectify_late AS late,"
		"       coalesce(a.case_no, q.ref, k.label, ''), x.callback_at IS NOT NULL, l.callback_late,"
		"       x.rectified_at IS NOT NULL, l.rectify_late"
		"  FROM pick JOIN hall.ratings r ON r.id = pick.id"
		"  JOIN hall.staff s ON s.id = r.staff_id"
		"  LEFT JOIN hall.rectifications x ON x.rating_id = r.id"
		"  LEFT JOIN hall.applications a ON r.kind = 'application' AND a.id = r.target_id"
		"  LEFT JOIN hall.items i ON i.id = a.item_id"
		"  LEFT JOIN hall.inquiries q ON r.kind = 'inquiry' AND q.id = r.target_id"
		"  LEFT JOIN hall.tickets k ON r.kind = 'service' AND k.id = r.target_id"
		"  LEFT JOIN hall.lines ln ON ln.code = k.line_code"
		"  CROSS JOIN t"
		"  CROSS JOIN LATERAL (SELECT"
		"       coalesce(x.callback_at > hall.end_of_day(x.callback_due)"
		"                OR (x.callback_at IS NULL AND t.today > x.callback_due), false) AS callback_late,"
		"       coalesce(x.rectified_at > hall.end_of_day(x.rectify_due)"
		"                OR (x.rectified_at IS NULL AND t.today > x.rectify_due), false) AS rectify_late,"
		"       coalesce((x.callback_at IS NULL AND t.today > x.callback_due)"
		"                OR (x.rectified_at IS NULL AND t.today > x.rectify_due), false) AS overdue_now) l"
		/* Waiting for a ruling first; a ruling already made gives no
		 * precedence (NULL appeal states sort with the judged ones);
		 * then a step overdue now (one done late is past). */
		" ORDER BY coalesce(r.appeal_state = 'pending', false) DESC,"
		"          CASE WHEN r.appeal_state = 'pending' THEN r.appeal_at END DESC NULLS LAST,"
		"          l.overdue_now DESC, x.rectify_due NULLS LAST, r.id"
		" LIMIT $1::int";
	char lim[16];
	const char *params[1] = { lim };

	snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 200);
	return db_session_call(s, sql, 1, params, list_adapt, (db_any_fn)fn, ctx);
}

/* -------------------------------------------------------------- actions */

int rectify_step(db_session *s, long long id, const char *step, const char *note, db_reply_fn fn, void *ctx)
{
	char id_s[24];
	const char *params[3] = { id_s, step, note ? note : "" };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_change(s, "SELECT hall.rectify($1::bigint, $2::text, $3::text)", 3, params, fn, ctx);
}

int rectify_appeal(db_session *s, long long id, const char *reason, db_reply_fn fn, void *ctx)
{
	char id_s[24];
	const char *params[2] = { id_s, reason ? reason : "" };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_change(s, "SELECT hall.appeal($1::bigint, $2::text)", 2, params, fn, ctx);
}

int rectify_withdraw(db_session *s, long long id, db_reply_fn fn, void *ctx)
{
	char id_s[24];
	const char *params[1] = { id_s };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_change(s, "SELECT hall.withdraw_appeal($1::bigint)", 1, params, fn, ctx);
}

int rectify_judge(db_session *s, long long id, int upheld, const char *note, db_reply_fn fn, void *ctx)
{
	char id_s[24];
	const char *params[3] = { id_s, upheld ? "true" : "false", note ? note : "" };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_change(s, "SELECT hall.judge_appeal($1::bigint, $2::boolean, $3::text)", 3, params, fn,
	                        ctx);
}
