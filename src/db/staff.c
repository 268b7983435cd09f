/* db/staff.c - identity, demo accounts, departments; see staff.h. */
#include "db/staff.h"

#include <stdlib.h>

#include "common/xalloc.h"
#include "db/conn.h"

void staff_me_free(staff_me *me)
{
	if (!me)
		return;
	free(me->windows);
	free(me->window_names);
	db_rows_free(me->store_);
	free(me);
}

static void me_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	staff_me_fn fn = (staff_me_fn)any;
	staff_me *me;
	db_rows *r;

	if (reply->status != DB_OK || reply->rows->nrows == 0) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	me = x_calloc(1, sizeof *me);
	me->store_ = r;
	me->id = db_rows_int(r, 0, 0);
	me->login = db_rows_get(r, 0, 1);
	me->name = db_rows_get(r, 0, 2);
	me->kind = db_rows_get(r, 0, 3);
	me->department_code = db_rows_get(r, 0, 4);
	me->department_name = db_rows_get(r, 0, 5);
	me->mode = db_rows_get(r, 0, 6);
	me->today = db_rows_get(r, 0, 7);
	me->warn_days = db_rows_int(r, 0, 8);
	me->windows = x_calloc((size_t)r->nrows + 1, sizeof *me->windows);
	me->window_names = x_calloc((size_t)r->nrows + 1, sizeof *me->window_names);
	for (int i = 0; i < r->nrows; i++) {
		if (db_rows_null(r, i, 9))
			continue; /* no window at all: the one row of the LEFT JOIN */
		me->windows[me->nwindows] = db_rows_get(r, i, 9);
		me->window_names[me->nwindows++] = db_rows_get(r, i, 10);
	}
	fn(ctx, me, reply);
}

int staff_load_me(db_session *s, staff_me_fn fn, void *ctx)
{
	/* One row per window the queue reads (a clerk's own, a supervisor's
	 * department's, every window for the trainer), the person repeated. */
	static const char sql[] =
		"SELECT m.id, m.login, m.name, m.kind, coalesce(m.department_code, ''), coalesce(d.name, ''),"
		"       hall.mode(), hall.today()::text, coalesce(hall.setting_int('warn_days'), 1),"
		"       w.code, w.name"
		"  FROM hall.me() m"
		"  LEFT JOIN hall.departments d ON d.code = m.department_code"
		"  LEFT JOIN hall.windows w ON CASE m.kind"
		"         WHEN 'clerk' THEN w.code = ANY ((SELECT hall.my_windows())::text[])"  /* once, not per window */
		"         WHEN 'supervisor' THEN w.department_code = m.department_code"
		"         ELSE true END"
		" ORDER BY w.code";

	return db_session_call(s, sql, 0, NULL, me_adapt, (db_any_fn)fn, ctx);
}

/* ------------------------------------------------------- demo accounts */

void staff_accounts_free(staff_accounts *a)
{
	if (!a)
		return;
	free(a->rows);
	db_rows_free(a->store_);
	free(a);
}

static staff_accounts *accounts_from(db_rows *r);

static void accounts_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	staff_accounts_fn fn = (staff_accounts_fn)any;
	staff_accounts *a;
	db_rows *r;

	if (reply->status != DB_OK) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	a = accounts_from(r);
	fn(ctx, a, reply);
}

static staff_accounts *accounts_from(db_rows *r)
{
	staff_accounts *a = x_calloc(1, sizeof *a);

	a->store_ = r;
	a->n = r->nrows;
	a->rows = x_calloc(a->n ? (size_t)a->n : 1, sizeof *a->rows);
	for (int i = 0; i < a->n; i++) {
		a->rows[i].login = db_rows_get(r, i, 0);
		a->rows[i].name = db_rows_get(r, i, 1);
		a->rows[i].kind = db_rows_get(r, i, 2);
		a->rows[i].windows = db_rows_get(r, i, 3);
	}
	return a;
}

staff_accounts *staff_demo_accounts_guest(const char *conninfo, int connect_timeout)
{
	char err[256];
	PGconn *pg = db_connect(conninfo, STAFF_DEMO_GUEST, STAFF_DEMO_GUEST_PASSWORD, connect_timeout, NULL, err,
	                        sizeof err);
	PGresult *res;
	staff_accounts *a = NULL;

	if (!pg)
		return NULL;
	res = PQexec(pg, "SELECT login, name, kind, windows FROM hall.demo_accounts()");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
		a = accounts_from(db_rows_from_result(res));
	PQclear(res);
	PQfinish(pg);
	return a;
}

int staff_demo_accounts(db_session *s, staff_accounts_fn fn, void *ctx)
{
	return db_session_call(s, "SELECT login, name, kind, windows FROM hall.demo_accounts()", 0, NULL,
	                       accounts_adapt, (db_any_fn)fn, ctx);
}

/* ---------------------------------------------------------- departments */

void staff_departments_free(staff_departments *d)
{
	if (!d)
		return;
	free(d->rows);
	db_rows_free(d->store_);
	free(d);
}

static void departments_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	staff_departments_fn fn = (staff_departments_fn)any;
	staff_departments *d;
	db_rows *r;

	if (reply->status != DB_OK) {
		fn(ctx, NULL, reply);
		return;
	}
	r = db_reply_take(reply);
	d = x_calloc(1, sizeof *d);
	d->store_ = r;
	d->n = r->nrows;
	d->rows = x_calloc(d->n ? (size_t)d->n : 1, sizeof *d->rows);
	for (int i = 0; i < d->n; i++) {
		d->rows[i].code = db_rows_get(r, i, 0);
		d->rows[i].name = db_rows_get(r, i, 1);
	}
	fn(ctx, d, reply);
}

int staff_departments_load(db_session *s, staff_departments_fn fn, void *ctx)
{
	return db_session_call(s, "SELECT code, name FROM hall.departments ORDER BY code", 0, NULL,
	                       departments_adapt, (db_any_fn)fn, ctx);
}
