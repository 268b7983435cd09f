/* db/ratings.c - the queries of ratings; see ratings.h. */
#include "db/ratings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')"
/* hall.end_of_day(d), written out: the function (SET search_path) is
 * not inlined, and calling it for each of a clerk's bad ratings cost
 * milliseconds. */
#define END_OF_DAY(d) "((" d " + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')"

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
	 * (levels 4-5 over the ratings that count) for the caller alone, from
	 * what schema/010_rating_stats.sql keeps for it: the counts per level
	 * and week in hall.rating_stats (a few rows a week, however many
	 * ratings: reading every rating took 33 ms for a busy clerk of a
	 * city-sized database), the open and late rectifications from
	 * hall.my_rectification_counts() (late as in hall.v_ratings), the
	 * pending appeals through their partial index. */
	static const char sql[] =
		"WITH me AS MATERIALIZED (SELECT hall.my_id() AS id,"
		"                                (date_trunc('week', hall.today()::timestamp) - interval '11 weeks')::date AS w0),"
		" s AS MATERIALIZED (SELECT st.week, st.level, st.counts, st.n"
		"                      FROM hall.rating_stats st WHERE st.staff_id = (SELECT id FROM me)),"
		" x AS MATERIALIZED (SELECT * FROM hall.my_rectification_counts()),"
		" wk AS (SELECT s.week AS w, sum(s.n) AS n, sum(s.n) FILTER (WHERE s.level <= 2) AS bad,"
		"               sum(s.n) FILTER (WHERE s.level >= 4) AS good"
		"          FROM s WHERE s.counts AND s.week >= (SELECT w0 FROM me)"
		"         GROUP BY 1)"
		"SELECT coalesce(sum(n) FILTER (WHERE counts), 0)::bigint,"
		"       coalesce(sum(n) FILTER (WHERE counts AND level = 1), 0)::bigint,"
		"       coalesce(sum(n) FILTER (WHERE counts AND level = 2), 0)::bigint,"
		"       coalesce(sum(n) FILTER (WHERE counts AND level = 3), 0)::bigint,"
		"       coalesce(sum(n) FILTER (WHERE counts AND level = 4), 0)::bigint,"
		"       coalesce(sum(n) FILTER (WHERE counts AND level = 5), 0)::bigint,"
		"       coalesce(sum(n) FILTER (WHERE counts AND level >= 4), 0)::bigint,"
		"       coalesce(sum(n) FILTER (WHERE NOT counts), 0)::bigint,"
		"       (SELECT count(*) FROM hall.ratings r"
		"         WHERE r.staff_id = (SELECT id FROM me) AND r.appeal_state = 'pending'),"
		"       (SELECT open FROM x), (SELECT late FROM x),"
		"       (SELECT string_agg(gg.g::text || ':' || coalesce(wk.n, 0) || ':' || coalesce(wk.bad, 0) || ':'"
		"                          || coalesce(wk.good, 0), ',' ORDER BY k)"
		"          FROM me, generate_series(0, 11) k, LATERAL (SELECT me.w0 + 7 * k AS g) gg"
		"          LEFT JOIN wk ON wk.w = gg.g)"
		"  FROM s";

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
		x->target_id = db_rows_ll(r, i, c++);
		x->ref = db_rows_get(r, i, c++);
		x->title = db_rows_get(r, i, c++);
		x->appeal_reason = db_rows_get(r, i, c++);
	}
	fn(ctx, l, reply);
}

int ratings_of(db_session *s, long long staff_id, const char *from, const char *to, int limit,
               ratings_list_fn fn, void *ctx)
{
	/* The bad ratings (with their rectification) and the latest
	 * commented ones, newest first, open rectifications on top; the
	 * target's label (made as hall.v_ratings makes it) for the rows shown
	 * only, once they are chosen.  Late flags as in hall.v_ratings.
	 * Another person's ratings are those row-level security shows (a
	 * supervisor: their department's). */
	static const char sql[] =
		"WITH me AS MATERIALIZED (SELECT coalesce($2::int, hall.my_id()) AS id, hall.today() AS today,"
		"                                " END_OF_DAY("($3::date - 1)") " AS p0, " END_OF_DAY("$4::date") " AS p1),"
		" pick AS ((SELECT r.id FROM hall.ratings r"
		"            WHERE r.staff_id = (SELECT id FROM me) AND r.level <= 2"
		"              AND r.rated_at >= coalesce((SELECT p0 FROM me), '-infinity')"
		"              AND r.rated_at < coalesce((SELECT p1 FROM me), 'infinity')"
		"            ORDER BY r.rated_at DESC LIMIT $1::int)"
		"          UNION"
		"          (SELECT r.id FROM hall.ratings r"
		"            WHERE r.staff_id = (SELECT id FROM me) AND r.comment <> ''"
		"              AND r.rated_at >= coalesce((SELECT p0 FROM me), '-infinity')"
		"              AND r.rated_at < coalesce((SELECT p1 FROM me), 'infinity')"
		"            ORDER BY r.rated_at DESC LIMIT $1::int)),"
		" t AS MATERIALIZED (SELECT r.id, r.kind, r.target_id, r.level, r.comment, r.rated_at, r.counts, r.appeal_state,"
		"                           r.appeal_reason, r.followup_level, r.followup_comment, x.rating_id IS NOT NULL AS bad,"
		"                           x.rating_id IS NOT NULL AND x.closed_at IS NULL AS open,"
		"                           x.callback_due, x.rectify_due, x.verified_at, x.rectified_at, x.callback_at, x.closed_at,"
		"                           x.verify_note, x.rectify_note, x.callback_note"
		"                      FROM pick JOIN hall.ratings r ON r.id = pick.id"
		"                      LEFT JOIN hall.rectifications x ON x.rating_id = r.id"
		"                     ORDER BY open DESC, bad DESC, r.rated_at DESC, r.id DESC"
		"                     LIMIT $1::int)"
		"SELECT t.id, t.kind,"
		"       coalesce((SELECT a.case_no || ' ' || i.name FROM hall.applications a JOIN hall.items i ON i.id = a.item_id"
		"                  WHERE t.kind = 'application' AND a.id = t.target_id),"
		"                (SELECT q.ref || ' ' || q.subject FROM hall.inquiries q"
		"                  WHERE t.kind = 'inquiry' AND q.id = t.target_id),"
		"                (SELECT k.label || ' ' || ln.name FROM hall.tickets k JOIN hall.lines ln ON ln.code = k.line_code"
		"                  WHERE t.kind = 'service' AND k.id = t.target_id), ''),"
		"       t.level, t.comment, " TS("t.rated_at") ", t.bad, t.counts, coalesce(t.appeal_state, ''),"
		"       coalesce(t.callback_due::text, ''), coalesce(t.rectify_due::text, ''),"
		"       coalesce(" TS("t.verified_at") ", ''), coalesce(" TS("t.rectified_at") ", ''),"
		"       coalesce(" TS("t.callback_at") ", ''), coalesce(" TS("t.closed_at") ", ''),"
		"       coalesce(t.verify_note, ''), coalesce(t.rectify_note, ''), coalesce(t.callback_note, ''),"
		"       coalesce(t.callback_at > " END_OF_DAY("t.callback_due")
		"                OR (t.callback_at IS NULL AND me.today > t.callback_due), false),"
		"       coalesce(t.rectified_at > " END_OF_DAY("t.rectify_due")
		"                OR (t.rectified_at IS NULL AND me.today > t.rectify_due), false),"
		"       t.open, coalesce(t.followup_level, 0), coalesce(t.followup_comment, ''),"
		"       t.target_id, coalesce(l.ref, ''), coalesce(l.title, ''), coalesce(t.appeal_reason, '')"
		"  FROM t CROSS JOIN me"
		"  LEFT JOIN LATERAL (SELECT a.case_no AS ref, i.name AS title"
		"                       FROM hall.applications a JOIN hall.items i ON i.id = a.item_id"
		"                      WHERE t.kind = 'application' AND a.id = t.target_id"
		"                     UNION ALL"
		"                     SELECT q.ref, q.subject FROM hall.inquiries q"
		"                      WHERE t.kind = 'inquiry' AND q.id = t.target_id"
		"                     UNION ALL"
		"                     SELECT k.label, ln.name FROM hall.tickets k JOIN hall.lines ln ON ln.code = k.line_code"
		"                      WHERE t.kind = 'service' AND k.id = t.target_id) l ON true"
		" ORDER BY t.open DESC, t.bad DESC, t.rated_at DESC, t.id DESC";
	char lim[16], id[24];
	const char *params[4] = { lim, NULL, from && *from ? from : NULL, to && *to ? to : NULL };

	snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 50);
	if (staff_id > 0) {
		snprintf(id, sizeof id, "%lld", staff_id);
		params[1] = id;
	}
	return db_session_call(s, sql, 4, params, list_adapt, (db_any_fn)fn, ctx);
}

int ratings_mine(db_session *s, int limit, ratings_list_fn fn, void *ctx)
{
	return ratings_of(s, 0, NULL, NULL, limit, fn, ctx);
}
