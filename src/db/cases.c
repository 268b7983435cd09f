/* db/cases.c - the queries of cases; see cases.h. */
#include "db/cases.h"
#include "db/receive.h"
#include "db/supervise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')"

/* ------------------------------------------------------------ the queue */

/* Keyset pages over (queue_rank, sort_due, id): the green channel (绿色通道,
 * rank 0) first, one index scan per window (LATERAL), merged: never OFFSET,
 * never more than limit + 1 rows per window.  The key is the key row's
 * (queue_rank, sort_due, id), its rank sent as read with the row ($8; a
 * case's rank never changes); without it ($8 NULL) the rank is read by the
 * id, through row-level security again.  The five directions are
 * hall.queue_page (schema/005): its generic plans, an index scan on
 * applications_queue (tests/sql/t45), made once a session, called through
 * named prepared statements; the direction is picked from the constants
 * below, never from data.  A search is not a page of the queue: it is
 * cases_search, over every state. */
#define QUEUE_PAGE(dir, order) \
	"SELECT q.id, q.item_id, q.case_no, q.item_name, q.applicant_name, q.id_masked, q.channel, q.state," \
	"       q.sort_due::text, coalesce(q.deadline::text, ''), q.days_left, q.urgency," \
	"       coalesce(q.claimed_login, ''), coalesce(q.claimed_name, ''), q.window_code, q.return_count," \
	"       $6::int - 1, false, q.returned_overdue, q.queue_rank" \
	"  FROM hall.queue_page($1::text[], '" dir "', $2::date, $3::bigint, $4::text, $5::int, $7::boolean, $6::int," \
	"                       $8::int) q" \
	" ORDER BY q.queue_rank " order ", q.sort_due " order ", q.id " order

/* text[], date, bigint, text, int, int, boolean, int */
static const unsigned queue_types[8] = { 1009, 1082, 20, 25, 23, 23, 16, 23 };
/* A case's own reads (opening it): named prepared statements too, one int8
 * parameter; planning v_case and its siblings cost more than running them. */
static const unsigned id_type[1] = { 20 };

enum {
	Q_ID, Q_ITEM_ID, Q_CASE_NO, Q_ITEM, Q_NAME, Q_ID_MASKED, Q_CHANNEL, Q_STATE, Q_SORT_DUE,
	Q_DEADLINE, Q_DAYS_LEFT, Q_URGENCY, Q_CLAIMED_LOGIN, Q_CLAIMED_NAME, Q_WINDOW, Q_RETURNS, Q_PAGE,
	Q_COMPLETED_LATE, Q_RETURNED_OVERDUE, Q_RANK,
};

void case_page_free(case_page *p)
{
	if (!p)
		return;
	free(p->rows);
	db_rows_free(p->store_);
	free(p);
}

static void fill_row(case_row *c, const db_rows *r, int i)
{
	c->id = db_rows_ll(r, i, Q_ID);
	c->item_id = db_rows_int(r, i, Q_ITEM_ID);
	c->case_no = db_rows_get(r, i, Q_CASE_NO);
	c->item_name = db_rows_get(r, i, Q_ITEM);
	c->applicant_name = db_rows_get(r, i, Q_NAME);
	c->id_masked = db_rows_get(r, i, Q_ID_MASKED);
	c->channel = db_rows_get(r, i, Q_CHANNEL);
	c->state = db_rows_get(r, i, Q_STATE);
	c->sort_due = db_rows_get(r, i, Q_SORT_DUE);
	c->deadline = db_rows_get(r, i, Q_DEADLINE);
	c->has_days_left = !db_rows_null(r, i, Q_DAYS_LEFT);
	c->days_left = db_rows_int(r, i, Q_DAYS_LEFT);
	c->urgency = db_rows_get(r, i, Q_URGENCY);
	c->claimed_login = db_rows_get(r, i, Q_CLAIMED_LOGIN);
	c->claimed_name = db_rows_get(r, i, Q_CLAIMED_NAME);
	c->window_code = db_rows_get(r, i, Q_WINDOW);
	c->return_count = db_rows_int(r, i, Q_RETURNS);
	c->completed_late = db_rows_bool(r, i, Q_COMPLETED_LATE);
	c->returned_overdue = db_rows_bool(r, i, Q_RETURNED_OVERDUE);
	c->queue_rank = db_rows_null(r, i, Q_RANK) ? -1 : db_rows_int(r, i, Q_RANK);
}

/* The statement fetches one row more than the page (its last column says
 * how many the page holds): that row only tells whether there is more. */
static void queue_adapt(const db_reply *reply, db_any_fn any, void *ctx, int reverse)
{
	cases_page_fn fn = (cases_page_fn)any;
	case_page *p;
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
	if (n > 0 && n > db_rows_int(r, 0, Q_PAGE)) {
		n = db_rows_int(r, 0, Q_PAGE);
		p->more = 1;
	}
	p->rows = x_calloc(n > 0 ? (size_t)n : 1, sizeof *p->rows);
	p->n = n;
	/* Paging back reads DESC: nearest first; the page is shown ASC. */
	for (int i = 0; i < n; i++)
		fill_row(&p->rows[reverse ? n - 1 - i : i], r, i);
	fn(ctx, p, reply);
}

static void queue_adapt_fwd(const db_reply *reply, db_any_fn any, void *ctx)
{
	queue_adapt(reply, any, ctx, 0);
}

static void queue_adapt_rev(const db_reply *reply, db_any_fn any, void *ctx)
{
	queue_adapt(reply, any, ctx, 1);
}

/* LIKE pattern that matches any text containing s literally. */
static char *like_contains(const char *s)
{
	size_t len = strlen(s);
	char *out = x_malloc(2 * len + 3), *p = out;

	*p++ = '%';
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	*p++ = '%';
	*p = '\0';
	return out;
}

int cases_queue(db_session *s, const case_query *q, cases_page_fn fn, void *ctx)
{
	static const struct {
		const char *name; /* prepared */
		const char *sql;
	} forms[] = {
		[CASES_FIRST] = { "hallterm_queue_first", QUEUE_PAGE("first", "ASC") },
		[CASES_FROM] = { "hallterm_queue_from", QUEUE_PAGE("from", "ASC") },
		[CASES_AFTER] = { "hallterm_queue_after", QUEUE_PAGE("after", "ASC") },
		[CASES_BEFORE] = { "hallterm_queue_before", QUEUE_PAGE("before", "DESC") },
		[CASES_LAST] = { "hallterm_queue_last", QUEUE_PAGE("last", "DESC") },
	};
	cases_dir dir = q->dir;
	char *windows = db_text_array(q->windows, q->nwindows);
	char key_id[24], key_rank[16], item[16], limit[16];
	const char *params[8];
	int use_key, rc;

	/* A page after or before a key needs the key; without one it is the
	 * first or the last page. */
	if ((dir == CASES_FROM || dir == CASES_AFTER || dir == CASES_BEFORE) && !q->key_due)
		dir = dir == CASES_BEFORE ? CASES_LAST : CASES_FIRST;
	use_key = dir == CASES_FROM || dir == CASES_AFTER || dir == CASES_BEFORE;
	db_adapt_fn adapt = dir == CASES_BEFORE || dir == CASES_LAST ? queue_adapt_rev : queue_adapt_fwd;
	snprintf(key_id, sizeof key_id, "%lld", q->key_id);
	snprintf(key_rank, sizeof key_rank, "%d", q->key_rank);
	snprintf(item, sizeof item, "%d", q->item_id);
	snprintf(limit, sizeof limit, "%d", (q->limit < 1 ? 1 : q->limit > 500 ? 500 : q->limit) + 1);
	params[0] = windows;
	params[1] = use_key ? q->key_due : NULL;
	params[2] = use_key ? key_id : NULL;
	params[3] = q->state && *q->state ? q->state : NULL;
	params[4] = q->item_id > 0 ? item : NULL;
	params[5] = limit;
	params[6] = q->mine ? "true" : "false";
	params[7] = use_key && q->key_rank >= 0 ? key_rank : NULL;
	rc = db_session_call_prepared(s, forms[dir].name, forms[dir].sql, 8, queue_types, params, adapt,
	                              (db_any_fn)fn, ctx);
	free(windows);
	return rc;
}

/* ---------------------------------------------------------------- counts */

void case_counts_free(case_counts *c)
{
	if (!c)
		return;
	free(c->rows);
	db_rows_free(c->store_);
	free(c);
}

static void counts_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	cases_counts_fn fn = (cases_counts_fn)any;
	case_counts *c;
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
		c->rows[i].state = db_rows_get(r, i, 0);
		c->rows[i].cases = db_rows_ll(r, i, 1);
		c->rows[i].overdue = db_rows_ll(r, i, 2);
		c->rows[i].warning = db_rows_ll(r, i, 3);
	}
	fn(ctx, c, reply);
}

int cases_counts(db_session *s, const char *const *windows, int nwindows, int open_only,
                 cases_counts_fn fn, void *ctx)
{
	/* Every state is listed, zeros included, in the lifecycle's order.
	 * The filters are WHERE clauses on v_summary's grouping columns, so
	 * they reach the scan (the queue's partial index for the open
	 * states); as a join condition they would not, and the view would
	 * count every case of the windows first. */
	static const char sql[] =
		"WITH st AS (SELECT * FROM unnest(CASE WHEN $2::boolean"
		"                   THEN ARRAY['submitted','in_review','returned','escalated']"
		"                   ELSE ARRAY['submitted','in_review','returned','escalated',"
		"                              'completed','rejected','withdrawn','terminated'] END)"
		"       WITH ORDINALITY st(state, ord))"
		"SELECT st.state, coalesce(v.cases, 0), coalesce(v.overdue, 0), coalesce(v.warning, 0)"
		"  FROM st LEFT JOIN ("
		"       SELECT s.state, sum(s.cases) AS cases, sum(s.overdue) AS overdue, sum(s.warning) AS warning"
		"         FROM hall.v_summary s"
		"        WHERE s.window_code = ANY ($1::text[])"
		"          AND s.state = ANY (CASE WHEN $2::boolean"
		"                   THEN ARRAY['submitted','in_review','returned','escalated']"
		"                   ELSE ARRAY['submitted','in_review','returned','escalated',"
		"                              'completed','rejected','withdrawn','terminated'] END)"
		"        GROUP BY s.state) v ON v.state = st.state"
		" ORDER BY st.ord";
	char *w = db_text_array(windows, nwindows);
	const char *params[2] = { w, open_only ? "true" : "false" };
	int rc;

	db_session_next_background(s);
	rc = db_session_call(s, sql, 2, params, counts_adapt, (db_any_fn)fn, ctx);

	free(w);
	return rc;
}

/* ---------------------------------------------------------------- detail */

enum {
	D_ID, D_APPLICANT_ID, D_ITEM_ID, D_CASE_NO, D_ITEM_CODE, D_ITEM_NAME, D_ITEM_CATEGORY,
	D_APPLICANT_NAME, D_APPLICANT_KIND, D_ID_MASKED, D_PHONE_MASKED, D_CHANNEL, D_STATE,
	D_WINDOW_CODE, D_WINDOW_NAME, D_DEPARTMENT, D_RECEIVED_AT, D_ACCEPT_DUE, D_ACCEPTED_ON,
	D_DUE_DATE, D_DEADLINE, D_DUE_EXPLAIN, D_URGENCY, D_PROMISED, D_EXTENSION, D_PAUSED,
	D_DAYS_LEFT, D_ACCEPTED_LATE, D_UNPUBLISHED, D_CLAIMED_LOGIN, D_CLAIMED_NAME,
	D_ESCALATED_AT, D_ESCALATION_REASON, D_ESCALATION_DUE, D_RETURN_COUNT, D_BREACH_COUNT,
	D_LAST_NOTICE, D_EXT_ID, D_EXT_DAYS, D_EXT_REASON, D_EXT_DUE_IF_GRANTED, D_CLOSED_AT, D_CLOSED_NAME, D_DECISION_NOTE, D_MINE,
	D_COMPLETED_LATE, D_RETURNED_OVERDUE,
};

void case_detail_free(case_detail *c)
{
	if (!c)
		return;
	db_rows_free(c->store_);
	free(c);
}

static void detail_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	cases_detail_fn fn = (cases_detail_fn)any;
	case_detail *c;
	db_rows *r;

	if (reply->status != DB_OK || reply->rows->nrows == 0) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	c = x_calloc(1, sizeof *c);
	c->store_ = r;
	c->id = db_rows_ll(r, 0, D_ID);
	c->applicant_id = db_rows_ll(r, 0, D_APPLICANT_ID);
	c->item_id = db_rows_int(r, 0, D_ITEM_ID);
	c->case_no = db_rows_get(r, 0, D_CASE_NO);
	c->item_code = db_rows_get(r, 0, D_ITEM_CODE);
	c->item_name = db_rows_get(r, 0, D_ITEM_NAME);
	c->item_category = db_rows_get(r, 0, D_ITEM_CATEGORY);
	c->applicant_name = db_rows_get(r, 0, D_APPLICANT_NAME);
	c->applicant_kind = db_rows_get(r, 0, D_APPLICANT_KIND);
	c->id_masked = db_rows_get(r, 0, D_ID_MASKED);
	c->phone_masked = db_rows_get(r, 0, D_PHONE_MASKED);
	c->channel = db_rows_get(r, 0, D_CHANNEL);
	c->state = db_rows_get(r, 0, D_STATE);
	c->window_code = db_rows_get(r, 0, D_WINDOW_CODE);
	c->window_name = db_rows_get(r, 0, D_WINDOW_NAME);
	c->department_name = db_rows_get(r, 0, D_DEPARTMENT);
	c->received_at = db_rows_get(r, 0, D_RECEIVED_AT);
	c->accept_due = db_rows_get(r, 0, D_ACCEPT_DUE);
	c->accepted_on = db_rows_get(r, 0, D_ACCEPTED_ON);
	c->due_date = db_rows_get(r, 0, D_DUE_DATE);
	c->deadline = db_rows_get(r, 0, D_DEADLINE);
	c->due_explain = db_rows_get(r, 0, D_DUE_EXPLAIN);
	c->urgency = db_rows_get(r, 0, D_URGENCY);
	c->promised_days = db_rows_int(r, 0, D_PROMISED);
	c->extension_days = db_rows_int(r, 0, D_EXTENSION);
	c->paused_days = db_rows_int(r, 0, D_PAUSED);
	c->has_days_left = !db_rows_null(r, 0, D_DAYS_LEFT);
	c->days_left = db_rows_int(r, 0, D_DAYS_LEFT);
	c->accepted_late = db_rows_bool(r, 0, D_ACCEPTED_LATE);
	c->calendar_unpublished = db_rows_bool(r, 0, D_UNPUBLISHED);
	c->claimed_login = db_rows_get(r, 0, D_CLAIMED_LOGIN);
	c->claimed_name = db_rows_get(r, 0, D_CLAIMED_NAME);
	c->escalated_at = db_rows_get(r, 0, D_ESCALATED_AT);
	c->escalation_reason = db_rows_get(r, 0, D_ESCALATION_REASON);
	c->escalation_due = db_rows_get(r, 0, D_ESCALATION_DUE);
	c->return_count = db_rows_int(r, 0, D_RETURN_COUNT);
	c->breach_count = db_rows_int(r, 0, D_BREACH_COUNT);
	c->last_notice = db_rows_get(r, 0, D_LAST_NOTICE);
	c->extension_id = db_rows_ll(r, 0, D_EXT_ID);
	c->extension_pending_days = db_rows_int(r, 0, D_EXT_DAYS);
	c->extension_pending_reason = db_rows_get(r, 0, D_EXT_REASON);
	c->extension_due_if_granted = db_rows_get(r, 0, D_EXT_DUE_IF_GRANTED);
	c->closed_at = db_rows_get(r, 0, D_CLOSED_AT);
	c->closed_name = db_rows_get(r, 0, D_CLOSED_NAME);
	c->decision_note = db_rows_get(r, 0, D_DECISION_NOTE);
	c->mine = db_rows_bool(r, 0, D_MINE);
	c->completed_late = db_rows_bool(r, 0, D_COMPLETED_LATE);
	c->returned_overdue = db_rows_bool(r, 0, D_RETURNED_OVERDUE);
	fn(ctx, c, reply);
}

int cases_get(db_session *s, long long id, cases_detail_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT c.id, c.applicant_id, c.item_id, c.case_no, c.item_code, c.item_name, c.item_category,"
		"       c.applicant_name, c.applicant_kind, c.id_masked, coalesce(c.phone_masked, ''),"
		"       c.channel, c.state, c.window_code, c.window_name, c.department_name,"
		"       " TS("c.received_at") ", c.accept_due::text, coalesce(c.accepted_on::text, ''),"
		"       coalesce(c.due_date::text, ''), coalesce(c.deadline::text, ''), coalesce(c.due_explain, ''),"
		"       c.urgency, c.promised_days, c.extension_days, c.paused_days, c.days_left,"
		"       coalesce(c.accepted_late, false), coalesce(c.calendar_unpublished, false),"
		"       coalesce(c.claimed_login, ''), coalesce(c.claimed_name, ''),"
		"       coalesce(" TS("c.escalated_at") ", ''), coalesce(c.escalation_reason, ''),"
		"       coalesce(c.escalation_due::text, ''), c.return_count, c.breach_count,"
		"       coalesce(c.last_notice, ''), coalesce(c.extension_id, 0), coalesce(c.extension_pending_days, 0),"
		"       coalesce(c.extension_pending_reason, ''),"
		"       coalesce(CASE WHEN c.extension_pending_days > 0 AND c.clock_start IS NOT NULL"
		"                     THEN hall.workday_add(c.clock_start, c.promised_days + c.extension_days"
		"                                           + c.paused_days + c.extension_pending_days)::text END, ''),"
		"       coalesce(" TS("c.closed_at") ", ''), coalesce(c.closed_name, ''),"
		"       coalesce(c.decision_note, ''), coalesce(c.claimed_login = session_user, false),"
		"       c.completed_late, c.returned_overdue"
		"  FROM hall.case_of($1::bigint) c";
	char id_s[24];
	const char *params[1] = { id_s };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_call_prepared(s, "hallterm_case", sql, 1, id_type, params, detail_adapt, (db_any_fn)fn, ctx);
}

void cases_warm(db_session *s, long long id)
{
	/* The order of src/screens/case.c and its parts (casefront, supx). */
	db_session_next_background(s);
	cases_get(s, id, NULL, NULL);
	db_session_next_background(s);
	cases_materials(s, id, NULL, NULL);
	db_session_next_background(s);
	cases_returns(s, id, NULL, NULL);
	db_session_next_background(s);
	cases_history(s, id, NULL, NULL);
	db_session_next_background(s);
	receive_front(s, id, NULL, NULL);
	db_session_next_background(s);
	sup_open_flag(s, "application", id, NULL, NULL);
}

/* ------------------------------------------------------------- materials */

void case_materials_free(case_materials *m)
{
	if (!m)
		return;
	free(m->rows);
	db_rows_free(m->store_);
	free(m);
}

static void materials_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	cases_materials_fn fn = (cases_materials_fn)any;
	case_materials *m;
	db_rows *r;

	if (reply->status != DB_OK) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	m = x_calloc(1, sizeof *m);
	m->store_ = r;
	m->n = r->nrows;
	m->rows = x_calloc(m->n ? (size_t)m->n : 1, sizeof *m->rows);
	for (int i = 0; i < m->n; i++) {
		m->rows[i].material_id = db_rows_int(r, i, 0);
		m->rows[i].name = db_rows_get(r, i, 1);
		m->rows[i].required = db_rows_bool(r, i, 2);
		m->rows[i].status = db_rows_get(r, i, 3);
	}
	fn(ctx, m, reply);
}

int cases_materials(db_session *s, long long id, cases_materials_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT m.material_id, m.name, m.required, m.status FROM hall.case_materials_of($1::bigint) m"
		" ORDER BY m.ord, m.material_id";
	char id_s[24];
	const char *params[1] = { id_s };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_call_prepared(s, "hallterm_case_materials", sql, 1, id_type, params, materials_adapt, (db_any_fn)fn, ctx);
}

/* --------------------------------------------------------------- history */

void case_history_free(case_history *h)
{
	if (!h)
		return;
	free(h->rows);
	db_rows_free(h->store_);
	free(h);
}

static void history_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	cases_history_fn fn = (cases_history_fn)any;
	case_history *h;
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
		case_event *e = &h->rows[i];
		e->at = db_rows_get(r, i, 0);
		e->actor = db_rows_get(r, i, 1);
		e->staff_name = db_rows_get(r, i, 2);
		e->action = db_rows_get(r, i, 3);
		e->from_state = db_rows_get(r, i, 4);
		e->to_state = db_rows_get(r, i, 5);
		e->note = db_rows_get(r, i, 6);
	}
	fn(ctx, h, reply);
}

int cases_history(db_session *s, long long id, cases_history_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT " TS("h.at") ", h.actor, coalesce(h.staff_name, ''), h.action,"
		"       coalesce(h.from_state, ''), coalesce(h.to_state, ''), h.note"
		"  FROM hall.case_history_of($1::bigint) h ORDER BY h.id";
	char id_s[24];
	const char *params[1] = { id_s };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_call_prepared(s, "hallterm_case_history", sql, 1, id_type, params, history_adapt, (db_any_fn)fn, ctx);
}

/* --------------------------------------------------------------- returns */

void case_returns_free(case_returns *x)
{
	if (!x)
		return;
	free(x->rows);
	db_rows_free(x->store_);
	free(x);
}

static void returns_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	cases_returns_fn fn = (cases_returns_fn)any;
	case_returns *x;
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
		case_return *e = &x->rows[i];
		e->seq = db_rows_int(r, i, 0);
		e->materials = db_rows_get(r, i, 1);
		e->defects = db_rows_get(r, i, 2);
		e->notice = db_rows_get(r, i, 3);
		e->staff_name = db_rows_get(r, i, 4);
		e->returned_at = db_rows_get(r, i, 5);
		e->resubmitted_at = db_rows_get(r, i, 6);
		e->breach = db_rows_bool(r, i, 7);
		e->breach_reason = db_rows_get(r, i, 8);
	}
	fn(ctx, x, reply);
}

int cases_returns(db_session *s, long long id, cases_returns_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT x.seq, array_to_string(x.material_names, '、'), x.defects, x.notice, x.staff_name,"
		"       " TS("x.returned_at") ", coalesce(" TS("x.resubmitted_at") ", ''),"
		"       x.breach, coalesce(x.breach_reason, '')"
		"  FROM hall.case_returns_of($1::bigint) x ORDER BY x.seq";
	char id_s[24];
	const char *params[1] = { id_s };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_call_prepared(s, "hallterm_case_returns", sql, 1, id_type, params, returns_adapt, (db_any_fn)fn, ctx);
}

/* ----------------------------------------------------------------- items */

void case_items_free(case_items *x)
{
	if (!x)
		return;
	free(x->rows);
	db_rows_free(x->store_);
	free(x);
}

static void items_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	cases_items_fn fn = (cases_items_fn)any;
	case_items *x;
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
		x->rows[i].id = db_rows_int(r, i, 0);
		x->rows[i].code = db_rows_get(r, i, 1);
		x->rows[i].name = db_rows_get(r, i, 2);
	}
	fn(ctx, x, reply);
}

int cases_items(db_session *s, const char *const *windows, int nwindows, cases_items_fn fn, void *ctx)
{
	static const char sql[] =
		"SELECT DISTINCT i.id, i.code, i.name FROM hall.items i"
		"  JOIN hall.window_items wi ON wi.item_id = i.id"
		" WHERE wi.window_code = ANY ($1::text[]) ORDER BY i.code";
	char *w = db_text_array(windows, nwindows);
	const char *params[1] = { w };
	int rc;

	db_session_next_background(s);
	rc = db_session_call(s, sql, 1, params, items_adapt, (db_any_fn)fn, ctx);

	free(w);
	return rc;
}

/* ----------------------------------------------------------- transitions */

static void id_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	cases_id_fn fn = (cases_id_fn)any;

	fn(ctx, reply->status == DB_OK ? db_rows_ll(reply->rows, 0, 0) : 0, reply);
}

/* Any state, through RLS: open cases first (most urgent first), then the
 * closed ones, newest first.  The ids come from hall.search_case_ids (the
 * case number's and the name's trigram indexes, which a LIKE under RLS
 * cannot use) and, for a text that looks like an ID number, from
 * hall.applicants_by_id_number, which compares it inside the database
 * (audited, a few a minute): the number itself is never read. */
#define SEARCH_SQL \
	"SELECT q.id, q.item_id, q.case_no, q.item_name, q.applicant_name, q.id_masked, q.channel, q.state," \
	"       q.sort_due::text, coalesce(q.deadline::text, ''), q.days_left, q.urgency," \
	"       coalesce(q.claimed_login, ''), coalesce(q.claimed_name, ''), q.window_code, q.return_count," \
	"       $3::int - 1, q.completed_late, false, NULL::smallint" \
	"  FROM hall.v_cases q" \
	" WHERE q.window_code = ANY ($4::text[])" \
	"   AND q.id IN (SELECT hall.search_case_ids($1, $1, $4::text[])" \
	"                UNION ALL" \
	"                SELECT a.id FROM hall.applications a" \
	"                 WHERE $2::text IS NOT NULL AND a.window_code = ANY ($4::text[])" \
	"                   AND a.applicant_id IN (SELECT hall.applicants_by_id_number($2::text)))" \
	"   AND ($5::text IS NULL OR q.state = $5::text" \
	"        OR ($5::text = 'overdue' AND q.urgency = 'overdue')" \
	"        OR ($5::text = 'closed' AND q.state IN ('completed', 'rejected', 'withdrawn', 'terminated')))" \
	" ORDER BY q.urgency = 'closed', q.sort_due, q.closed_at DESC NULLS LAST, q.id" \
	" LIMIT $3::int"

int cases_peek_next(db_session *s, const char *const *windows, int nwindows, cases_page_fn fn, void *ctx)
{
	char *win = db_text_array(windows, nwindows);
	const char *params[1] = { win };
	int rc;

	/* The order of hall.claim_next: what n would claim, for the clerk to
	 * confirm by name first. */
	rc = db_session_call(s,
		"SELECT q.id, q.item_id, q.case_no, q.item_name, q.applicant_name, q.id_masked, q.channel, q.state,"
		"       q.sort_due::text, coalesce(q.deadline::text, ''), q.days_left, q.urgency,"
		"       '', '', q.window_code, q.return_count, 1, false, false, q.queue_rank"
		"  FROM unnest($1::text[]) w(code)"
		" CROSS JOIN LATERAL ("
		"   SELECT * FROM hall.v_queue q"
		"    WHERE q.window_code = w.code AND q.state = 'submitted' AND q.claimed_by IS NULL"
		"      AND EXISTS (SELECT 1 FROM hall.window_items wi WHERE wi.window_code = q.window_code"
		"                                                      AND wi.item_id = q.item_id)"
		"    ORDER BY q.sort_due, q.id LIMIT 1) q"
		" ORDER BY q.sort_due, q.id LIMIT 1",
		1, params, queue_adapt_fwd, (db_any_fn)fn, ctx);
	free(win);
	return rc;
}

/* 15 or 18 characters, digits and a final X: worth looking up. */
static int looks_like_id_number(const char *s)
{
	size_t n = strlen(s);

	if (n != 15 && n != 18)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && !(i == n - 1 && (s[i] == 'X' || s[i] == 'x')))
			return 0;
	return 1;
}

int cases_search(db_session *s, const char *const *windows, int nwindows, const char *text, const char *state,
                 int limit, cases_page_fn fn, void *ctx)
{
	char *like = like_contains(text), *win = db_text_array(windows, nwindows);
	char lim[16];
	const char *params[5];
	int rc;

	snprintf(lim, sizeof lim, "%d", (limit < 1 ? 1 : limit > 500 ? 500 : limit) + 1);
	params[0] = like;
	params[1] = looks_like_id_number(text) ? text : NULL;
	params[2] = lim;
	params[3] = win;
	params[4] = state && *state ? state : NULL;
	rc = db_session_call(s, SEARCH_SQL, 5, params, queue_adapt_fwd, (db_any_fn)fn, ctx);
	free(like);
	free(win);
	return rc;
}

int cases_find_no(db_session *s, const char *case_no, cases_id_fn fn, void *ctx)
{
	const char *params[1] = { case_no };

	/* Always one row (NULL when nothing matches), as id_adapt expects. */
	return db_session_call(s, "SELECT (SELECT id FROM hall.applications WHERE case_no = $1)", 1, params,
	                       id_adapt, (db_any_fn)fn, ctx);
}

static int call_id(db_session *s, const char *sql, long long id, const char *a, const char *b,
                   int nparams, db_reply_fn fn, void *ctx)
{
	char id_s[24];
	const char *params[3] = { id_s, a, b };

	snprintf(id_s, sizeof id_s, "%lld", id);
	return db_session_change(s, sql, nparams, params, fn, ctx);
}

int cases_claim(db_session *s, long long id, db_reply_fn fn, void *ctx)
{
	return call_id(s, "SELECT hall.claim($1::bigint)", id, NULL, NULL, 1, fn, ctx);
}

int cases_release(db_session *s, long long id, db_reply_fn fn, void *ctx)
{
	return call_id(s, "SELECT hall.release($1::bigint)", id, NULL, NULL, 1, fn, ctx);
}

int cases_approve(db_session *s, long long id, const char *note, db_reply_fn fn, void *ctx)
{
	return call_id(s, "SELECT hall.approve($1::bigint, $2::text)", id, note ? note : "", NULL, 2, fn, ctx);
}

int cases_escalate(db_session *s, long long id, const char *reason, db_reply_fn fn, void *ctx)
{
	return call_id(s, "SELECT hall.escalate($1::bigint, $2::text)", id, reason, NULL, 2, fn, ctx);
}

int cases_reject(db_session *s, long long id, const char *reason, db_reply_fn fn, void *ctx)
{
	return call_id(s, "SELECT hall.reject($1::bigint, $2::text)", id, reason, NULL, 2, fn, ctx);
}

int cases_decide(db_session *s, long long id, const char *decision, const char *note,
                 db_reply_fn fn, void *ctx)
{
	return call_id(s, "SELECT hall.decide($1::bigint, $2::text, $3::text)", id, decision, note, 3, fn, ctx);
}

int cases_request_extension(db_session *s, long long id, int days, const char *reason,
                            db_reply_fn fn, void *ctx)
{
	char d[16];

	snprintf(d, sizeof d, "%d", days);
	return call_id(s, "SELECT hall.request_extension($1::bigint, $2::int, $3::text)", id, d, reason, 3,
	               fn, ctx);
}

int cases_grant_extension(db_session *s, long long id, int granted, const char *note,
                          db_reply_fn fn, void *ctx)
{
	return call_id(s, "SELECT hall.grant_extension($1::bigint, $2::boolean, $3::text)", id,
	               granted ? "true" : "false", note ? note : "", 3, fn, ctx);
}

int cases_return(db_session *s, long long id, const int *material_ids, int nmaterials,
                 const char *defects, const char *breach_reason, db_reply_fn fn, void *ctx)
{
	char id_s[24];
	char *ids = db_int_array(material_ids, nmaterials);
	const char *params[4] = { id_s, ids, defects ? defects : "", breach_reason };
	int rc;

	snprintf(id_s, sizeof id_s, "%lld", id);
	rc = db_session_change(s, "SELECT hall.return_for_correction($1::bigint, $2::int[], $3::text, $4::text)",
	                      4, params, fn, ctx);
	free(ids);
	return rc;
}

int cases_is_breach_refusal(const db_reply *reply)
{
	/* hall.return_for_correction() raises 55000 with the reason
	 * one_time_breach for this one case; 55000 alone also means "the case
	 * changed state". */
	return reply && reply->status == DB_FAILED && reply->reason &&
	       strncmp(reply->reason, "one_time_breach", 15) == 0;
}

static void text_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	cases_text_fn fn = (cases_text_fn)any;

	fn(ctx, reply->status == DB_OK ? db_rows_get(reply->rows, 0, 0) : NULL, reply);
}

int cases_reveal(db_session *s, long long applicant_id, const char *reason, cases_text_fn fn, void *ctx)
{
	char id_s[24];
	const char *params[2] = { id_s, reason };

	snprintf(id_s, sizeof id_s, "%lld", applicant_id);
	return db_session_call(s, "SELECT hall.reveal($1::bigint, $2::text)", 2, params, text_adapt,
	                       (db_any_fn)fn, ctx);
}

int cases_notice_preview(db_session *s, long long id, const int *material_ids, int nmaterials,
                         const char *defects, cases_text_fn fn, void *ctx)
{
	char id_s[24];
	char *ids = db_int_array(material_ids, nmaterials);
	const char *params[3] = { id_s, ids, defects ? defects : "" };
	int rc;

	snprintf(id_s, sizeof id_s, "%lld", id);
	rc = db_session_call(s, "SELECT hall.return_notice_preview($1::bigint, $2::int[], $3::text)", 3, params,
	                     text_adapt, (db_any_fn)fn, ctx);
	free(ids);
	return rc;
}

/* ---------------------------------------------------------- live updates */

/* The payload is the window code of the case that changed, '' for all
 * windows: nothing else, since any session may listen (doc/security.md). */
static void on_queue_notify(db_any_fn any, void *ctx, const char *payload)
{
	cases_notify_fn fn = (cases_notify_fn)any;

	fn(ctx, payload);
}

void cases_listen(db_session *s, cases_notify_fn fn, void *ctx)
{
	db_session_listen_typed(s, "hall_queue", on_queue_notify, (db_any_fn)fn, ctx);
}

void cases_unlisten(db_session *s, void *ctx)
{
	if (s)
		db_session_unlisten_channel(s, "hall_queue", ctx);
}
