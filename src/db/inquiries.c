/* db/inquiries.c - the queries of inquiries; see inquiries.h. */
#include "db/inquiries.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

/* The countdown of an inquiry: seconds of the hall's opening hours (015:
 * lunch breaks, evenings, weekends and holidays do not count) from now to
 * the end of its due day; -1 once that day has ended. */
#define WORK_LEFT(due) \
	"CASE WHEN hall.now() > hall.end_of_day(" due ") THEN -1" \
	" ELSE hall.working_seconds(hall.now(), hall.end_of_day(" due ")) END"
#define TS(col) "to_char(" col " AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')"

/* ------------------------------------------------------------- the list */

void inquiry_page_free(inquiry_page *p)
{
	if (!p)
		return;
	free(p->rows);
	db_rows_free(p->store_);
	free(p);
}

static void page_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	inquiries_page_fn fn = (inquiries_page_fn)any;
	inquiry_page *p;
	db_rows *r;
	int n;

	if (reply->status != DB_OK) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	p = x_calloc(1, sizeof *p);
	p->store_ = r;
	n = r->nrows;
	/* One row more than the page was asked for: it only says "more". */
	if (n > 0 && n > db_rows_int(r, 0, 12)) {
		n = db_rows_int(r, 0, 12);
		p->more = 1;
	}
	p->n = n;
	p->rows = x_calloc(n > 0 ? (size_t)n : 1, sizeof *p->rows);
	for (int i = 0; i < n; i++) {
		inquiry_row *q = &p->rows[i];
		q->id = db_rows_ll(r, i, 0);
		q->ref = db_rows_get(r, i, 1);
		q->channel = db_rows_get(r, i, 2);
		q->asker_name = db_rows_get(r, i, 3);
		q->subject = db_rows_get(r, i, 4);
		q->received_at = db_rows_get(r, i, 5);
		q->due_date = db_rows_get(r, i, 6);
		q->has_days_left = !db_rows_null(r, i, 7);
		q->days_left = db_rows_int(r, i, 7);
		q->urgency = db_rows_get(r, i, 8);
		q->seconds_left = db_rows_ll(r, i, 9);
		q->transfer_count = db_rows_int(r, i, 10);
	}
	fn(ctx, p, reply);
}

int inquiries_open(db_session *s, const char *after_due, long long after_id, int limit,
                   inquiries_page_fn fn, void *ctx)
{
	/* The base table, not hall.v_inquiries: the view sorts every
	 * inquiry of the department (answered ones too) before a LIMIT can
	 * apply.  Here inquiries_open (department_code, due_date, id) WHERE
	 * state = 'open' gives the page in order, and the countdown is
	 * computed, with the view's own functions, for its rows only.  RLS
	 * limits it to the caller's department. */
	static const char sql[] =
		"SELECT q.id, q.ref, q.channel, q.asker_name, q.subject, " TS("q.received_at") ","
		"       q.due_date::text, hall.days_left(q.due_date, t.today), hall.urgency(q.due_date, t.today, t.warn),"
		"       " WORK_LEFT("q.due_date") ", q.transfer_count,"
		"       q.department_code, $3::int - 1"
		"  FROM hall.inquiries q"
		" CROSS JOIN (SELECT hall.today() AS today, hall.setting_int('warn_days') AS warn) t"
		" WHERE q.state = 'open' AND q.department_code = (SELECT hall.my_department())"
		"   AND ($1::date IS NULL OR (q.due_date, q.id) > ($1::date, $2::bigint))"
		" ORDER BY q.due_date, q.id LIMIT $3::int";
	char id_s[24], lim[16];
	const char *params[3] = { after_due, after_due ? id_s : NULL, lim };

	if (limit < 1)
		limit = 1;
	snprintf(id_s, sizeof id_s, "%lld", after_id);
	/* One more than the page: see page_adapt. */
	snprintf(lim, sizeof lim, "%d", limit + 1);
	return db_session_call(s, sql, 3, params, page_adapt, (db_any_fn)fn, ctx);
}

/* ----------------------------------------------------------- one inquiry */

void inquiry_detail_free(inquiry_detail *d)
{
	if (!d)
		return;
	db_rows_free(d->store_);
	free(d);
}

static void detail_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	inquiries_detail_fn fn = (inquiries_detail_fn)any;
	inquiry_detail *d;
	db_rows *r;

	if (reply->status != DB_OK || reply->rows->nrows == 0) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	d = x_calloc(1, sizeof *d);
	d->store_ = r;
	d->id = db_rows_ll(r, 0, 0);
	d->ref = db_rows_get(r, 0, 1);
	d->channel = db_rows_get(r, 0, 2);
	d->department_code = db_rows_get(r, 0, 3);
	d->asker_name = db_rows_get(r, 0, 4);
	d->phone_masked = db_rows_get(r, 0, 5);
	d->subject = db_rows_get(r, 0, 6);
	d->body = db_rows_get(r, 0, 7);
	d->received_at = db_rows_get(r, 0, 8);
	d->due_date = db_rows_get(r, 0, 9);
	d->state = db_rows_get(r, 0, 10);
	d->urgency = db_rows_get(r, 0, 11);
	d->due_days = db_rows_int(r, 0, 12);
	d->has_days_left = !db_rows_null(r, 0, 13);
	d->days_left = db_rows_int(r, 0, 13);
	d->transfer_count = db_rows_int(r, 0, 14);
	d->calendar_unpublished = db_rows_bool(r, 0, 15);
	d->seconds_left = db_rows_ll(r, 0, 16);
	d->answered_at = db_rows_get(r, 0, 17);
	d->assigned_to_name = db_rows_get(r, 0, 19);
	d->answered_by_name = db_rows_get(r, 0, 18);
	fn(ctx, d, reply);
}

int inquiries_get(db_session *s, long long id, inquiries_detail_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT q.id, q.ref, q.channel, q.department_code, q.asker_name, coalesce(q.phone_masked, ''),"
		"       q.subject, q.body, " TS("q.received_at") ", q.due_date::text, q.state, q.urgency,"
		"       q.due_days, q.days_left, q.transfer_count, coalesce(q.calendar_unpublished, false),"
		"       " WORK_LEFT("q.due_date") ","
		"       coalesce(" TS("q.answered_at") ", ''), coalesce(q.answered_by_name, ''),"
		"       coalesce(q.assigned_to_name, '')"
		"  FROM hall.v_inquiries q WHERE q.id = $1::bigint";
	char id_s[24];
	const char *params[1] = { id_s };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_call(s, sql, 1, params, detail_adapt, (db_any_fn)fn, ctx);
}

/* --------------------------------------------------------------- replies */

void inquiry_replies_free(inquiry_replies *x)
{
	if (!x)
		return;
	free(x->rows);
	db_rows_free(x->store_);
	free(x);
}

static void replies_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	inquiries_replies_fn fn = (inquiries_replies_fn)any;
	inquiry_replies *x;
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
		x->rows[i].staff_name = db_rows_get(r, i, 0);
		x->rows[i].body = db_rows_get(r, i, 1);
		x->rows[i].replied_at = db_rows_get(r, i, 2);
		x->rows[i].on_time = db_rows_bool(r, i, 3);
	}
	fn(ctx, x, reply);
}

int inquiries_replies(db_session *s, long long id, inquiries_replies_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT r.staff_name, r.body, " TS("r.replied_at") ", r.on_time"
		"  FROM hall.v_inquiry_replies r WHERE r.inquiry_id = $1::bigint ORDER BY r.id";
	char id_s[24];
	const char *params[1] = { id_s };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_call(s, sql, 1, params, replies_adapt, (db_any_fn)fn, ctx);
}

/* ---------------------------------------------------------------- canned */

void canned_replies_free(canned_replies *c)
{
	if (!c)
		return;
	free(c->rows);
	db_rows_free(c->store_);
	free(c);
}

static void canned_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	inquiries_canned_fn fn = (inquiries_canned_fn)any;
	canned_replies *c;
	db_rows *r;

	if (reply->status != DB_OK) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	c = x_calloc(1, sizeof *c);
	c->store_ = r;
	c->n = r->nrows;
	c->rows = x_calloc(c->n ? (size_t)c->n : 1, sizeof *c->rows);
	for (int i = 0; i < c->n; i++) {
		c->rows[i].title = db_rows_get(r, i, 0);
		c->rows[i].body = db_rows_get(r, i, 1);
	}
	fn(ctx, c, reply);
}

int inquiries_canned(db_session *s, inquiries_canned_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT c.title, c.body FROM hall.canned_replies c"
		" WHERE c.department_code IS NULL OR c.department_code = hall.my_department()"
		" ORDER BY c.department_code NULLS LAST, c.title, c.id";

	return db_session_call(s, sql, 0, NULL, canned_adapt, (db_any_fn)fn, ctx);
}

/* ------------------------------------------------ answered or transferred */

void handled_inquiries_free(handled_inquiries *h)
{
	if (!h)
		return;
	free(h->rows);
	db_rows_free(h->store_);
	free(h);
}

static void handled_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	inquiries_handled_fn fn = (inquiries_handled_fn)any;
	handled_inquiries *h;
	db_rows *r;

	if (reply->status != DB_OK) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	h = x_calloc(1, sizeof *h);
	h->store_ = r;
	h->n = r->nrows;
	h->rows = x_calloc(h->n ? (size_t)h->n : 1, sizeof *h->rows);
	for (int i = 0; i < h->n; i++) {
		handled_inquiry *x = &h->rows[i];
		int c = 0;
		x->kind = db_rows_get(r, i, c++);
		x->id = db_rows_ll(r, i, c++);
		x->ref = db_rows_get(r, i, c++);
		x->channel = db_rows_get(r, i, c++);
		x->asker_name = db_rows_get(r, i, c++);
		x->subject = db_rows_get(r, i, c++);
		x->at = db_rows_get(r, i, c++);
		x->on_time = db_rows_bool(r, i, c++);
		x->to_department = db_rows_get(r, i, c++);
		x->note = db_rows_get(r, i, c++);
		x->answered = db_rows_bool(r, i, c++);
	}
	fn(ctx, h, reply);
}

int inquiries_handled(db_session *s, int limit, inquiries_handled_fn fn, void *ctx)
{
	/* Replies through row-level security (an answered inquiry stays with
	 * the department that answered it); transfers from the caller's own
	 * audit rows.  replies_staff (013) finds a clerk's latest replies. */
	static const char sql[] =
		"SELECT kind, id, ref, channel, asker_name, subject, " TS("at") ", on_time, to_dept, note, answered"
		"  FROM ((SELECT 'reply' AS kind, q.id, q.ref, q.channel, q.asker_name, q.subject, r.replied_at AS at,"
		"                r.on_time, '' AS to_dept, '' AS note, true AS answered, r.id AS k"
		"           FROM hall.replies r JOIN hall.inquiries q ON q.id = r.inquiry_id"
		"          WHERE r.staff_id = (SELECT hall.my_id())"
		"          ORDER BY r.replied_at DESC, r.id DESC LIMIT $1::int)"
		"        UNION ALL"
		"        (SELECT 'transfer', t.inquiry_id, t.ref, t.channel, t.asker_name, t.subject, t.transferred_at,"
		"                false, t.to_department_name, t.note, t.answered, 0"
		"           FROM hall.my_transfers($1::int) t)) x"
		" ORDER BY at DESC, k DESC LIMIT $1::int";
	char lim[16];
	const char *params[1] = { lim };

	snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 100);
	return db_session_call(s, sql, 1, params, handled_adapt, (db_any_fn)fn, ctx);
}

/* ----------------------------------------------------------- transitions */

int inquiries_reply(db_session *s, long long id, const char *body, db_reply_fn fn, void *ctx)
{
	char id_s[24];
	const char *params[2] = { id_s, body };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_change(s, "SELECT hall.reply_inquiry($1::bigint, $2::text)", 2, params, fn, ctx);
}

int inquiries_transfer(db_session *s, long long id, const char *department_code, const char *note,
                       db_reply_fn fn, void *ctx)
{
	char id_s[24];
	const char *params[3] = { id_s, department_code, note };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_change(s, "SELECT hall.transfer_inquiry($1::bigint, $2::text, $3::text)", 3, params, fn,
	                        ctx);
}

/* ---------------------------------------------------------- live updates */

/* The payload is the department code of the inquiry that changed (both
 * departments on a transfer), nothing else: any session may listen. */
static void on_notify(db_any_fn any, void *ctx, const char *payload)
{
	inquiries_notify_fn fn = (inquiries_notify_fn)any;

	fn(ctx, payload);
}

void inquiries_listen(db_session *s, inquiries_notify_fn fn, void *ctx)
{
	db_session_listen_typed(s, "hall_inquiries", on_notify, (db_any_fn)fn, ctx);
}

void inquiries_unlisten(db_session *s, void *ctx)
{
	if (s)
		db_session_unlisten_channel(s, "hall_inquiries", ctx);
}
