/* db/ratings.c - the queries of ratings; see ratings.h. */
#include "db/ratings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')"

void rating_summary_free(rating_summary *r)
{
	if (!r)
		return;
	db_rows_free(r->store_);
	free(r);
}

enum {
	S_RATINGS, S_N1, S_N2, S_N3, S_N4, S_N5, S_GOOD, S_NOT_COUNTING, S_APPEALS, S_OPEN, S_LATE, S_WEEKS,
};

static void summary_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	ratings_summary_fn fn = (ratings_summary_fn)any;
	rating_summary *r;
	db_rows *rows;
	char *p;
	int n = 0;

	if (reply->status != DB_OK || reply->rows->nrows == 0) {
		fn(ctx, NULL, reply);
		return;
	}
	rows = db_reply_take(reply);
	r = x_calloc(1, sizeof *r);
	r->store_ = rows;
	r->ratings = db_rows_ll(rows, 0, S_RATINGS);
	for (int l = 1; l <= 5; l++)
		r->per_level[l] = db_rows_ll(rows, 0, S_N1 + l - 1);
	r->has_satisfaction = r->ratings > 0;
	r->satisfaction = r->ratings > 0 ? (double)db_rows_ll(rows, 0, S_GOOD) / (double)r->ratings : 0.0;
	r->not_counting = db_rows_ll(rows, 0, S_NOT_COUNTING);
	r->appeals_pending = db_rows_ll(rows, 0, S_APPEALS);
	r->rectifications_open = db_rows_ll(rows, 0, S_OPEN);
	r->rectifications_late = db_rows_ll(rows, 0, S_LATE);
	/* "week:ratings:bad:good,..." (dates and numbers only: a comma or a
	 * colon can't be part of a value); split in place in the rows. */
	p = rows->cell[S_WEEKS];
	while (p && *p && n < 12) {
		char *next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		r->week_start[n] = p;
		p = strchr(p, ':');
		if (p) {
			*p++ = '\0';
			r->week_ratings[n] = strtoll(p, &p, 10);
			long long bad = *p == ':' ? strtoll(p + 1, &p, 10) : 0;
			long long good = *p == ':' ? strtoll(p + 1, &p, 10) : 0;
			r->week_bad[n] = bad;
			r->week_satisfaction[n] = r->week_ratings[n] > 0 ? (double)good / (double)r->week_ratings[n] : NAN;
		} else {
			r->week_satisfaction[n] = NAN;
		}
		n++;
		p = next;
	}
	r->nweeks = n;
	fn(ctx, r, reply);
}

int ratings_summary(db_session *s, ratings_summary_fn fn, void *ctx)
{
	/* The definitions of hall.v_rating_summary and hall.v_rating_weeks
	 * (levels 4-5 over the ratings that count; the rectification late
	 * when the callback or the rectification passed its day), computed in
	 * one pass over the caller's own ratings: the views aggregate every
	 * visible rating first, which costs half a second for a busy clerk of
	 * a city-sized database.  Rectifications exist for levels 1-2 only,
	 * so only those are joined. */
	static const char sql[] =
		"WITH me AS MATERIALIZED (SELECT hall.my_id() AS id, hall.today() AS today,"
		"                                (date_trunc('week', hall.today()::timestamp) - interval '11 weeks')::date AS w0),"
		" r AS MATERIALIZED (SELECT r.id, r.level, r.counts, r.appeal_state, r.rated_at"
		"                      FROM hall.ratings r WHERE r.staff_id = (SELECT id FROM me)),"
		" x AS (SELECT x.* FROM r JOIN hall.rectifications x ON x.rating_id = r.id WHERE r.level <= 2),"
		" wk AS (SELECT date_trunc('week', r.rated_at AT TIME ZONE 'Asia/Shanghai')::date AS w, count(*) AS n,"
		"               count(*) FILTER (WHERE r.level <= 2) AS bad, count(*) FILTER (WHERE r.level >= 4) AS good"
		"          FROM r WHERE r.counts AND r.rated_at >= ((SELECT w0 FROM me)::timestamp AT TIME ZONE 'Asia/Shanghai')"
		"         GROUP BY 1)"
		"SELECT count(*) FILTER (WHERE counts),"
		"       count(*) FILTER (WHERE counts AND level = 1), count(*) FILTER (WHERE counts AND level = 2),"
		"       count(*) FILTER (WHERE counts AND level = 3), count(*) FILTER (WHERE counts AND level = 4),"
		"       count(*) FILTER (WHERE counts AND level = 5), count(*) FILTER (WHERE counts AND level >= 4),"
		"       count(*) FILTER (WHERE NOT counts), count(*) FILTER (WHERE appeal_state = 'pending'),"
		"       (SELECT count(*) FROM x WHERE x.closed_at IS NULL),"
		"       (SELECT count(*) FROM x, me"
		"         WHERE x.callback_at > hall.end_of_day(x.callback_due) OR (x.callback_at IS NULL AND me.today > x.callback_due)"
		"            OR x.rectified_at > hall.end_of_day(x.rectify_due) OR (x.rectified_at IS NULL AND me.today > x.rectify_due)),"
		"       (SELECT string_agg(gg.g::text || ':' || coalesce(wk.n, 0) || ':' || coalesce(wk.bad, 0) || ':'"
		"                          || coalesce(wk.good, 0), ',' ORDER BY k)"
		"          FROM me, generate_series(0, 11) k, LATERAL (SELECT me.w0 + 7 * k AS g) gg"
		"          LEFT JOIN wk ON wk.w = gg.g)"
		"  FROM r";

	return db_session_call(s, sql, 0, NULL, summary_adapt, (db_any_fn)fn, ctx);
}

void rating_list_free(rating_list *l)
{
	if (!l)
		return;
	free(l->rows);
	db_rows_free(l->store_);
	free(l);
}

static void list_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	ratings_list_fn fn = (ratings_list_fn)any;
	rating_list *l;
	db_rows *r;

	if (reply->status != DB_OK) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	l = x_calloc(1, sizeof *l);
	l->store_ = r;
	l->n = r->nrows;
	l->rows = x_calloc(l->n ? (size_t)l->n : 1, sizeof *l->rows);
	for (int i = 0; i < l->n; i++) {
		rating_row *x = &l->rows[i];
		int c = 0;
		x->id = db_rows_ll(r, i, c++);
		x->kind = db_rows_get(r, i, c++);
		x->target = db_rows_get(r, i, c++);
		x->level = db_rows_int(r, i, c++);
		x->comment = db_rows_get(r, i, c++);
		x->rated_at = db_rows_get(r, i, c++);
		x->bad = db_rows_bool(r, i, c++);
		x->counts = db_rows_bool(r, i, c++);
		x->appeal_state = db_rows_get(r, i, c++);
		x->callback_due = db_rows_get(r, i, c++);
		x->rectify_due = db_rows_get(r, i, c++);
		x->verified_at = db_rows_get(r, i, c++);
		x->rectified_at = db_rows_get(r, i, c++);
		x->callback_at = db_rows_get(r, i, c++);
		x->closed_at = db_rows_get(r, i, c++);
		x->verify_note = db_rows_get(r, i, c++);
		x->rectify_note = db_rows_get(r, i, c++);
		x->callback_note = db_rows_get(r, i, c++);
		x->callback_late = db_rows_bool(r, i, c++);
		x->rectify_late = db_rows_bool(r, i, c++);
		x->open = db_rows_bool(r, i, c++);
		x->followup_level = db_rows_int(r, i, c++);
		x->followup_comment = db_rows_get(r, i, c++);
	}
	fn(ctx, l, reply);
}

int ratings_mine(db_session *s, int limit, ratings_list_fn fn, void *ctx)
{
	/* The bad ratings (with their rectification) and the latest
	 * commented ones, newest first, open rectifications on top; the
	 * target's label (made as hall.v_ratings makes it) for the rows shown
	 * only.  Late flags as in hall.v_ratings. */
	static const char sql[] =
		"WITH me AS MATERIALIZED (SELECT hall.my_id() AS id, hall.today() AS today),"
		" pick AS ((SELECT r.id FROM hall.ratings r"
		"            WHERE r.staff_id = (SELECT id FROM me) AND r.level <= 2"
		"            ORDER BY r.rated_at DESC LIMIT $1::int)"
		"          UNION"
		"          (SELECT r.id FROM hall.ratings r"
		"            WHERE r.staff_id = (SELECT id FROM me) AND r.comment <> ''"
		"            ORDER BY r.rated_at DESC LIMIT $1::int))"
		"SELECT r.id, r.kind, coalesce(a.case_no || ' ' || i.name, q.ref || ' ' || q.subject, ''), r.level, r.comment,"
		"       " TS("r.rated_at") ", x.rating_id IS NOT NULL, r.counts, coalesce(r.appeal_state, ''),"
		"       coalesce(x.callback_due::text, ''), coalesce(x.rectify_due::text, ''),"
		"       coalesce(" TS("x.verified_at") ", ''), coalesce(" TS("x.rectified_at") ", ''),"
		"       coalesce(" TS("x.callback_at") ", ''), coalesce(" TS("x.closed_at") ", ''),"
		"       coalesce(x.verify_note, ''), coalesce(x.rectify_note, ''), coalesce(x.callback_note, ''),"
		"       coalesce(x.callback_at > hall.end_of_day(x.callback_due)"
		"                OR (x.callback_at IS NULL AND me.today > x.callback_due), false),"
		"       coalesce(x.rectified_at > hall.end_of_day(x.rectify_due)"
		"                OR (x.rectified_at IS NULL AND me.today > x.rectify_due), false),"
		"       x.rating_id IS NOT NULL AND x.closed_at IS NULL,"
		"       coalesce(r.followup_level, 0), coalesce(r.followup_comment, '')"
		"  FROM pick JOIN hall.ratings r ON r.id = pick.id"
		"  LEFT JOIN hall.rectifications x ON x.rating_id = r.id"
		"  LEFT JOIN hall.applications a ON r.kind = 'application' AND a.id = r.target_id"
		"  LEFT JOIN hall.items i ON i.id = a.item_id"
		"  LEFT JOIN hall.inquiries q ON r.kind = 'inquiry' AND q.id = r.target_id"
		"  CROSS JOIN me"
		" ORDER BY (x.rating_id IS NOT NULL AND x.closed_at IS NULL) DESC, (x.rating_id IS NOT NULL) DESC,"
		"          r.rated_at DESC, r.id DESC"
		" LIMIT $1::int";
	char lim[16];
	const char *params[1] = { lim };

	snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 50);
	return db_session_call(s, sql, 1, params, list_adapt, (db_any_fn)fn, ctx);
}
