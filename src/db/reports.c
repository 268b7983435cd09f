/* db/reports.c - the queries of the supervisors' screens; see reports.h. */
#include "db/reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')"

/* ---------------------------------------------------------------- counts */

void report_counts_free(report_counts *c)
{
	if (!c)
		return;
	db_rows_free(c->store_);
	free(c);
}

static void counts_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	reports_counts_fn fn = (reports_counts_fn)any;
	report_counts *c;
	db_rows *r;

	if (reply->status != DB_OK || reply->rows->nrows == 0) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	c = x_calloc(1, sizeof *c);
	c->store_ = r;
	/* Every row repeats the totals; one row per state. */
	c->cases_overdue = db_rows_ll(r, 0, 2);
	c->cases_warning = db_rows_ll(r, 0, 3);
	c->inquiries_overdue = db_rows_ll(r, 0, 4);
	c->inquiries_warning = db_rows_ll(r, 0, 5);
	c->escalations = db_rows_ll(r, 0, 6);
	c->escalations_late = db_rows_ll(r, 0, 7);
	c->extensions = db_rows_ll(r, 0, 8);
	c->bad_ratings_open = db_rows_ll(r, 0, 9);
	c->bad_ratings_late = db_rows_ll(r, 0, 10);
	c->breaches = db_rows_ll(r, 0, 11);
	c->deferred_open = db_rows_ll(r, 0, 12);
	c->deferred_supplied = db_rows_ll(r, 0, 13);
	c->deferred_ended = db_rows_ll(r, 0, 14);
	c->checks_pending = db_rows_ll(r, 0, 15);
	c->checks_late = db_rows_ll(r, 0, 16);
	for (int i = 0; i < r->nrows && i < REPORT_STATES; i++) {
		c->state[i] = db_rows_get(r, i, 0);
		c->state_cases[i] = db_rows_ll(r, i, 1);
		c->nstates++;
	}
	fn(ctx, c, reply);
}

int reports_counts(db_session *s, reports_counts_fn fn, void *ctx)
{
	/* The totals are computed once (a CTE) and repeated on each state row. */
	static const char sql[] =
		"WITH o AS (SELECT"
		"   count(*) FILTER (WHERE kind = 'application' AND urgency = 'overdue') AS co,"
		"   count(*) FILTER (WHERE kind = 'application' AND urgency = 'warning') AS cw,"
		"   count(*) FILTER (WHERE kind = 'inquiry' AND urgency = 'overdue') AS io,"
		"   count(*) FILTER (WHERE kind = 'inquiry' AND urgency = 'warning') AS iw"
		"   FROM hall.v_overdue),"
		" e AS (SELECT count(*) AS n, count(*) FILTER (WHERE urgency = 'overdue') AS late FROM hall.v_escalations),"
		" x AS (SELECT count(*) AS n FROM hall.v_extensions),"
		/* "!! late": a step overdue now (one made late is past: the
		 * attention list says which). */
		" b AS (SELECT count(*) AS n, count(*) FILTER (WHERE (callback_late AND callback_at IS NULL)"
		"                                               OR (rectify_late AND rectified_at IS NULL)) AS late"
		"       FROM hall.v_bad_ratings),"
		" br AS (SELECT count(*) AS n FROM hall.returns WHERE breach),"
		/* 容缺 cases (schema/020): a material still owed, all supplied,
		 * ended for want of one; 告知承诺 checks waiting, and late. */
		" d AS (SELECT coalesce(sum(open), 0) AS open, coalesce(sum(supplied), 0) AS supplied,"
		"              coalesce(sum(ended), 0) AS ended FROM hall.v_deferred_counts),"
		" k AS (SELECT count(*) AS n, count(*) FILTER (WHERE urgency = 'overdue') AS late"
		"       FROM hall.v_commitment_checks WHERE state = 'pending'),"
		" st AS (SELECT st.state, st.ord, coalesce(sum(v.cases), 0) AS cases"
		"        FROM unnest(ARRAY['submitted','in_review','returned','escalated','completed','rejected','withdrawn',"
		"                          'terminated'])"
		"             WITH ORDINALITY st(state, ord)"
		"        LEFT JOIN hall.v_summary v ON v.state = st.state"
		"        GROUP BY st.state, st.ord)"
		"SELECT st.state, st.cases, o.co, o.cw, o.io, o.iw, e.n, e.late, x.n, b.n, b.late, br.n,"
		"       d.open, d.supplied, d.ended, k.n, k.late"
		"  FROM st, o, e, x, b, br, d, k ORDER BY st.ord";

	db_session_next_background(s);
	return db_session_call(s, sql, 0, NULL, counts_adapt, (db_any_fn)fn, ctx);
}

/* ------------------------------------------------------------- attention */

void report_items_free(report_items *i)
{
	if (!i)
		return;
	free(i->rows);
	db_rows_free(i->store_);
	free(i);
}

static void items_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	reports_items_fn fn = (reports_items_fn)any;
	report_items *x;
	db_rows *r;

	if (reply->status != DB_OK) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	x = x_calloc(1, sizeof *x);
	x->store_ = r;
	x->n = r->nrows;
	x->rows = x_calloc(x->n ? (size_t)x->n : 1, sizeof *x->rows);
	for (int i = 0; i < x->n; i++) {
		report_item *it = &x->rows[i];
		it->kind = db_rows_get(r, i, 0);
		it->id = db_rows_ll(r, i, 1);
		it->ref = db_rows_get(r, i, 2);
		it->title = db_rows_get(r, i, 3);
		it->staff_name = db_rows_get(r, i, 4);
		it->deadline = db_rows_get(r, i, 5);
		it->has_days_left = !db_rows_null(r, i, 6);
		it->days_left = db_rows_int(r, i, 6);
		it->urgency = db_rows_get(r, i, 7);
		it->callback = db_rows_get(r, i, 8);
		it->rectify = db_rows_get(r, i, 9);
	}
	fn(ctx, x, reply);
}

int reports_attention(db_session *s, int limit, reports_items_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT kind, id, ref, title, staff, deadline, days_left, urgency, callback, rectify FROM ("
		" SELECT 'escalation' AS kind, e.id, e.case_no AS ref, e.item_name AS title,"
		"        coalesce(e.staff_name, '') AS staff, coalesce(e.escalation_due::text, '') AS deadline,"
		"        e.days_left, e.urgency, 1 AS ord, e.escalation_due AS d, '' AS callback, '' AS rectify"
		"   FROM hall.v_escalations e"
		" UNION ALL"
		" SELECT 'extension', x.app_id, x.case_no, x.item_name, x.requested_by_name,"
		"        coalesce(x.due_date::text, ''), NULL, 'warning', 2, x.due_date, '', ''"
		"   FROM hall.v_extensions x"
		" UNION ALL"
		" SELECT o.kind, o.id, o.ref, o.title, coalesce(o.staff_name, ''), coalesce(o.deadline::text, ''),"
		"        o.days_left, o.urgency, 3, o.deadline, '', ''"
		"   FROM hall.v_overdue o"
		" UNION ALL"
		/* A bad rating: its reference alone (never cut in the list), the
		 * level and the comment; the next step's date; each step's
		 * lateness apart, so a callback made late does not mark the
		 * rectification. */
		" SELECT 'rating', b.id,"
		"        coalesce((SELECT a.case_no FROM hall.applications a WHERE b.kind = 'application' AND a.id = b.target_id),"
		"                 (SELECT q.ref FROM hall.inquiries q WHERE b.kind = 'inquiry' AND q.id = b.target_id), ''),"
		"        b.level || ' ' || b.comment, b.staff_name,"
		"        coalesce((CASE WHEN b.callback_at IS NULL THEN b.callback_due ELSE b.rectify_due END)::text, ''), NULL,"
		"        CASE WHEN (b.callback_late AND b.callback_at IS NULL) OR (b.rectify_late AND b.rectified_at IS NULL)"
		"             THEN 'overdue' WHEN b.callback_late OR b.rectify_late THEN 'warning' ELSE 'ok' END,"
		"        4, CASE WHEN b.callback_at IS NULL THEN b.callback_due ELSE b.rectify_due END,"
		"        CASE WHEN NOT b.callback_late THEN '' WHEN b.callback_at IS NULL THEN 'overdue' ELSE 'late' END,"
		"        CASE WHEN NOT b.rectify_late THEN '' WHEN b.rectified_at IS NULL THEN 'overdue' ELSE 'late' END"
		"   FROM hall.v_bad_ratings b"
		") t ORDER BY ord, d, id LIMIT $1::int";
	char lim[16];
	const char *params[1] = { lim };

	snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 300);
	return db_session_call(s, sql, 1, params, items_adapt, (db_any_fn)fn, ctx);
}

/* ---------------------------------------------------------------- outbox */

void outbox_states_free(outbox_states *o)
{
	if (!o)
		return;
	free(o->rows);
	db_rows_free(o->store_);
	free(o);
}

static void states_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	reports_outbox_states_fn fn = (reports_outbox_states_fn)any;
	outbox_states *o;
	db_rows *r;

	if (reply->status != DB_OK) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	o = x_calloc(1, sizeof *o);
	o->store_ = r;
	o->n = r->nrows;
	o->rows = x_calloc(o->n ? (size_t)o->n : 1, sizeof *o->rows);
	for (int i = 0; i < o->n; i++) {
		o->rows[i].state = db_rows_get(r, i, 0);
		o->rows[i].n = db_rows_ll(r, i, 1);
		o->rows[i].due = db_rows_ll(r, i, 2);
		o->rows[i].oldest = db_rows_get(r, i, 3);
	}
	fn(ctx, o, reply);
}

int reports_outbox_states(db_session *s, reports_outbox_states_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT state, n, due, coalesce(" TS("oldest") ", '') FROM hall.v_outbox_summary ORDER BY ord";

	return db_session_call(s, sql, 0, NULL, states_adapt, (db_any_fn)fn, ctx);
}

void outbox_failures_free(outbox_failures *o)
{
	if (!o)
		return;
	free(o->rows);
	db_rows_free(o->store_);
	free(o);
}

static void failed_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	reports_outbox_failed_fn fn = (reports_outbox_failed_fn)any;
	outbox_failures *o;
	db_rows *r;

	if (reply->status != DB_OK) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	o = x_calloc(1, sizeof *o);
	o->store_ = r;
	o->n = r->nrows;
	o->rows = x_calloc(o->n ? (size_t)o->n : 1, sizeof *o->rows);
	for (int i = 0; i < o->n; i++) {
		outbox_failed *f = &o->rows[i];
		f->id = db_rows_ll(r, i, 0);
		f->event = db_rows_get(r, i, 1);
		f->recipient = db_rows_get(r, i, 2);
		f->created_at = db_rows_get(r, i, 3);
		f->failed_at = db_rows_get(r, i, 4);
		f->attempts = db_rows_int(r, i, 5);
		f->http_status = db_rows_int(r, i, 6);
		f->last_error = db_rows_get(r, i, 7);
		f->ref = db_rows_get(r, i, 8);
		f->response = db_rows_get(r, i, 9);
		f->gateway_words = db_rows_get(r, i, 10);
		f->gateway_code = db_rows_get(r, i, 11);
		f->has_phone = db_rows_bool(r, i, 12);
		f->phone_masked = db_rows_get(r, i, 13);
	}
	fn(ctx, o, reply);
}

int reports_outbox_failed(db_session *s, int limit, reports_outbox_failed_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT f.id, f.event, f.recipient, " TS("f.created_at") ", coalesce(" TS("f.failed_at") ", ''),"
		"       f.attempts, coalesce(f.http_status, 0), coalesce(f.last_error, ''),"
		"       coalesce(f.case_no, f.inquiry_ref, ''), coalesce(f.response, ''),"
		"       hall.gateway_words(f.response, f.http_status), hall.gateway_code(f.response),"
		"       coalesce(p.has_phone, false), coalesce(p.phone_masked, '')"
		"  FROM hall.v_outbox_failed f LEFT JOIN hall.v_outbox_failed_phone p ON p.id = f.id"
		" ORDER BY f.failed_at DESC NULLS LAST, f.id DESC LIMIT $1::int";
	char lim[16];
	const char *params[1] = { lim };

	snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 200);
	return db_session_call(s, sql, 1, params, failed_adapt, (db_any_fn)fn, ctx);
}

int reports_outbox_requeue(db_session *s, long long id, const char *note, db_reply_fn fn, void *ctx)
{
	char id_s[24];
	const char *params[2] = { id_s, note ? note : "" };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_change(s, "SELECT hall.outbox_requeue($1::bigint, $2::text)", 2, params, fn, ctx);
}

int reports_outbox_correct(db_session *s, long long id, const char *phone, const char *note, db_reply_fn fn,
                           void *ctx)
{
	char id_s[24];
	const char *params[3] = { id_s, phone ? phone : "", note ? note : "" };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_change(s, "SELECT hall.outbox_correct($1::bigint, $2::text, $3::text)", 3, params, fn, ctx);
}

int reports_outbox_cancel(db_session *s, long long id, const char *note, db_reply_fn fn, void *ctx)
{
	char id_s[24];
	const char *params[2] = { id_s, note ? note : "" };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_change(s, "SELECT hall.outbox_cancel($1::bigint, $2::text)", 2, params, fn, ctx);
}
