/* db/session.c - one non-blocking connection with a FIFO of requests; see
 * session.h for the contract. */
#include "db/session.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/xalloc.h"
#include "db/conn.h"
#include "db/refusal.h"

#define SESSION_ERR_MAX 512
/* An attempt that neither succeeds nor fails (a host that drops packets)
 * is abandoned after this long when the conninfo names no timeout. */
#define SESSION_CONNECT_TIMEOUT_MS 10000
/* The most reads sent together in one pipeline (see send_batch). */
#define SESSION_PIPE_MAX 8

typedef struct request {
	char *sql;
	int nparams;
	char **params;
	db_reply_fn fn;
	db_adapt_fn adapt;  /* when set: adapt(reply, any, ctx) instead of fn */
	db_any_fn any;
	void *ctx;
	int background;     /* sent after every request the clerk waits for */
	FILE *copy_to;      /* COPY ... TO STDOUT: each row is written here as it comes */
	long long copied;   /* rows written (the header line counts) */
	int copy_failed;    /* a write to copy_to failed */
	int announce;       /* a change: follow its success with hall.flush_notify() */
	char *stmt;         /* a named prepared statement (db_session_call_prepared), or NULL */
	unsigned *types;    /* its parameters' type OIDs */
	int preparing;      /* on the wire: its PREPARE, the execution follows */
	int prepared_here;  /* pipelined with its PREPARE: the name is forgotten if that fails */
	struct request *next;
} request;

typedef struct listener {
	char *channel;
	db_notify_fn fn;          /* plain: gets the channel and the payload */
	db_notify_adapt_fn adapt; /* typed: turns the payload into any's arguments */
	db_any_fn any;
	void *ctx;
	struct listener *next;
} listener;

typedef struct name_set {
	char **v;
	int n;
} name_set;

struct db_session {
	PGconn *pg;
	db_state state;
	int want_flush;          /* PQflush() returned 1: wait for POLLOUT */
	PostgresPollingStatusType poll; /* while connecting */

	request *in_flight;
	/* Pipeline mode: the reads sent with in_flight, in order, answered
	 * after it (in_flight is never NULL while this is not). */
	request *piped;
	int pipeline;            /* the connection is in pipeline mode */
	int batches;             /* pipelines sent (db_session_batches) */
	PGresult *result;        /* the in-flight request's answer so far */
	int copying;             /* the in-flight request is in COPY OUT */
	request *head, *tail;
	request *last_queued; /* the request enqueue() placed last (db_session_call_change) */
	/* Forgotten with the connection: the statements prepared on it, and
	 * the channels it LISTENs to (never UNLISTENed, see
	 * db_session_unlisten_channel: a screen that listens again costs no
	 * round trip). */
	name_set prepared, heard;

	listener *listeners;

	db_state_fn state_fn;
	void *state_ctx;
	void (*wake_fn)(void *ctx);
	void *wake_ctx;
	int next_background; /* db_session_next_background() was called */

	/* Reconnection: the parameters of the first connection. */
	char **keys, **vals;
	int backoff_s, backoff_max_s;
	int connect_timeout_ms;
	long long next_attempt_ms;  /* DB_DISCONNECTED: when to try again */
	long long attempt_start_ms; /* DB_CONNECTING: when it began */

	char *user;
	char error[SESSION_ERR_MAX];
	char notice[SESSION_ERR_MAX]; /* the server's last notice, never printed */
};

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* libpq messages run over several lines ("FATAL:  ...\nDETAIL: ..."); the
 * status line has room for the first. */
static void set_line(char *buf, size_t n, const char *msg)
{
	size_t len;

	if (!msg)
		msg = "";
	while (*msg == ' ' || *msg == '\n')
		msg++;
	len = strcspn(msg, "\n");
	while (len > 0 && (msg[len - 1] == ' ' || msg[len - 1] == '\r'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(buf, msg, len);
	buf[len] = '\0';
}

static void set_error_from_conn(db_session *s)
{
	db_error_line(s->pg, s->error, sizeof s->error);
	if (!s->error[0])
		set_line(s->error, sizeof s->error, "connection to the database lost");
}

/* ------------------------------------------------------------ requests */

static void request_free(request *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->nparams; i++)
		free(r->params[i]);
	free(r->params);
	free(r->sql);
	free(r->stmt);
	free(r->types);
	free(r);
}

static request *request_new(const char *sql, int nparams, const char *const *params,
                            db_reply_fn fn, void *ctx)
{
	request *r = x_calloc(1, sizeof *r);

	r->sql = x_strdup(sql);
	r->nparams = nparams > 0 ? nparams : 0;
	if (r->nparams) {
		r->params = x_calloc((size_t)r->nparams, sizeof *r->params);
		for (int i = 0; i < r->nparams; i++)
			r->params[i] = params && params[i] ? x_strdup(params[i]) : NULL;
	}
	r->fn = fn;
	r->ctx = ctx;
	return r;
}

static void enqueue(db_session *s, request *r)
{
	request **pp = &s->head;

	r->background = s->next_background;
	s->next_background = 0;
	/* Foreground requests go before the first background one (FIFO
	 * within each class). */
	if (!r->background)
		while (*pp && !(*pp)->background)
			pp = &(*pp)->next;
	else
		while (*pp)
			pp = &(*pp)->next;
	r->next = *pp;
	*pp = r;
	if (!r->next)
		s->tail = r;
	s->last_queued = r;
	if (!s->in_flight && s->head == r && s->wake_fn)
		s->wake_fn(s->wake_ctx);
}

void db_session_next_background(db_session *s)
{
	s->next_background = 1;
}

static void deliver(request *r, const db_reply *rep)
{
	if (r->adapt) {
		if (r->any)
			r->adapt(rep, r->any, r->ctx);
	} else if (r->fn) {
		r->fn(r->ctx, rep);
	}
}

static void reply_error(request *r, db_status st, const char *msg, const char *sqlstate, const char *reason)
{
	db_reply rep = { .status = st, .rows = NULL, .error = msg, .sqlstate = sqlstate ? sqlstate : "",
	                 .reason = reason ? reason : "", .take_slot = NULL };

	deliver(r, &rep);
}

/* The public rows plus the one block that holds every string. */
typedef struct rows_owned {
	db_rows pub;
	char *block;
} rows_owned;

/* Copy a PGresult into strings the screens can keep without libpq. */
static db_rows *rows_from_result(const PGresult *res)
{
	int nr = PQntuples(res), nc = PQnfields(res);
	size_t total = 1, ncell = (size_t)nr * (size_t)nc;
	rows_owned *o = x_calloc(1, sizeof *o);
	db_rows *rows = &o->pub;
	char *p;

	rows->nrows = nr;
	rows->ncols = nc;
	for (int c = 0; c < nc; c++)
		total += strlen(PQfname(res, c)) + 1;
	for (int i = 0; i < nr; i++)
		for (int c = 0; c < nc; c++)
			total += (size_t)PQgetlength(res, i, c) + 1;
	rows->cell = x_calloc(ncell ? ncell : 1, sizeof *rows->cell);
	rows->null = x_calloc(ncell ? ncell : 1, 1);
	rows->names = x_calloc(nc ? (size_t)nc : 1, sizeof *rows->names);
	o->block = p = x_malloc(total);
	for (int c = 0; c < nc; c++) {
		size_t len = strlen(PQfname(res, c));
		memcpy(p, PQfname(res, c), len + 1);
		rows->names[c] = p;
		p += len + 1;
	}
	for (int i = 0; i < nr; i++) {
		for (int c = 0; c < nc; c++) {
			size_t k = (size_t)i * (size_t)nc + (size_t)c;
			size_t len = (size_t)PQgetlength(res, i, c);
			memcpy(p, PQgetvalue(res, i, c), len);
			p[len] = '\0';
			rows->cell[k] = p;
			rows->null[k] = (unsigned char)PQgetisnull(res, i, c);
			p += len + 1;
		}
	}
	return rows;
}

db_rows *db_rows_from_result(const void *res)
{
	return rows_from_result(res);
}

void db_rows_free(db_rows *rows)
{
	rows_owned *o = (rows_owned *)rows;

	if (!o)
		return;
	free(o->block);
	free(rows->names);
	free(rows->cell);
	free(rows->null);
	free(o);
}

/* ------------------------------------------------------------- the state */

static void notify_state(db_session *s)
{
	if (s->state_fn)
		s->state_fn(s->state_ctx, s->state, s->state == DB_READY ? "" : s->error);
}

static void schedule_attempt(db_session *s)
{
	s->next_attempt_ms = now_ms() + (long long)s->backoff_s * 1000;
	s->backoff_s = s->backoff_s * 2 > s->backoff_max_s ? s->backoff_max_s : s->backoff_s * 2;
}

/* The connection is gone: answer everything, then wait for the next
 * attempt.  The state changes first, so a callback that tries a new
 * request is refused instead of queued on a dead connection. */
static void names_clear(name_set *set)
{
	for (int i = 0; i < set->n; i++)
		free(set->v[i]);
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

static int names_has(const name_set *set, const char *name)
{
	for (int i = 0; i < set->n; i++)
		if (strcmp(set->v[i], name) == 0)
			return 1;
	return 0;
}

static void names_add(name_set *set, const char *name)
{
	set->v = x_realloc(set->v, (size_t)(set->n + 1) * sizeof *set->v);
	set->v[set->n++] = x_strdup(name);
}

static void names_remove(name_set *set, const char *name)
{
	for (int i = 0; i < set->n; i++)
		if (strcmp(set->v[i], name) == 0) {
			free(set->v[i]);
			set->v[i] = set->v[--set->n];
			return;
		}
}

static void forget_connection_names(db_session *s)
{
	names_clear(&s->prepared);
	names_clear(&s->heard);
}

/* Send r: its PREPARE first when it is a named statement this connection
 * has not prepared yet.  Alone, finish_request sends the execution once
 * the PREPARE is answered; in a pipeline (piped) both go now, and the name
 * counts as prepared at once, so a second use in the batch does not
 * prepare it again (read_pipeline forgets it if the PREPARE fails). */
static int send_request(db_session *s, request *r, int piped)
{
	const char *const *params = (const char *const *)r->params;

	r->preparing = r->prepared_here = 0;
	if (!r->stmt)
		return PQsendQueryParams(s->pg, r->sql, r->nparams, NULL, params, NULL, NULL, 0);
	if (!names_has(&s->prepared, r->stmt)) {
		r->preparing = 1;
		if (!PQsendPrepare(s->pg, r->stmt, r->sql, r->nparams, (const Oid *)r->types))
			return 0;
		if (!piped)
			return 1;
		names_add(&s->prepared, r->stmt);
		r->prepared_here = 1;
	}
	return PQsendQueryPrepared(s->pg, r->stmt, r->nparams, params, NULL, NULL, 0);
}

/* One statement gives one result; keep the last (an error wins over rows). */
static void keep_result(db_session *s, PGresult *res)
{
	if (s->result && PQresultStatus(s->result) == PGRES_FATAL_ERROR) {
		PQclear(res);
	} else {
		PQclear(s->result);
		s->result = res;
	}
}

static void connection_lost(db_session *s)
{
	request *r, *next;

	s->copying = 0;
	if (s->pg) {
		if (!s->error[0] || s->state == DB_READY)
			set_error_from_conn(s);
		/* The server's own last word ("terminating connection due to
		 * administrator command") says more than "server closed the
		 * connection unexpectedly". */
		if (s->notice[0])
			memcpy(s->error, s->notice, sizeof s->error);
		s->notice[0] = '\0';
		PQfinish(s->pg);
		s->pg = NULL;
	}
	PQclear(s->result);
	s->result = NULL;
	forget_connection_names(s);
	s->state = DB_DISCONNECTED;
	s->want_flush = 0;
	schedule_attempt(s);

	s->pipeline = 0;
	r = s->in_flight;
	s->in_flight = NULL;
	if (r) {
		r->next = s->piped;
		s->piped = NULL;
	}
	for (; r; r = next) {
		next = r->next;
		reply_error(r, DB_LOST,
		            _("the connection was lost before the database answered: reload to see whether it was done"),
		            "", "");
		request_free(r);
	}
	r = s->head;
	s->head = s->tail = NULL;
	for (; r; r = next) {
		next = r->next;
		reply_error(r, DB_OFFLINE, _("not connected to the database"), "", "");
		request_free(r);
	}
	notify_state(s);
}

/* LISTEN channel unless this connection already does. */
static void send_listen(db_session *s, const char *channel)
{
	if (names_has(&s->heard, channel))
		return;
	char *ident = PQescapeIdentifier(s->pg, channel, strlen(channel));
	if (!ident)
		return;
	char *sql = x_asprintf("LISTEN %s", ident);
	PQfreemem(ident);
	enqueue(s, request_new(sql, 0, NULL, NULL, NULL));
	free(sql);
	names_add(&s->heard, channel);
}

static void queue_listens(db_session *s)
{
	for (listener *l = s->listeners; l; l = l->next)
		send_listen(s, l->channel);
}

/* libpq's default notice processor writes to stderr, which is the
 * terminal curses is drawing on: a server shutting down would print
 * "FATAL: terminating connection ..." over the screen.  Notices (and the
 * server's last word before it goes) are kept as the session's message
 * instead. */
static void on_notice(void *arg, const char *message)
{
	db_session *s = arg;
	const char *p = message;

	/* "FATAL:  terminating ..." -> "terminating ...": the severity adds
	 * nothing on a status line. */
	while (*p >= 'A' && *p <= 'Z')
		p++;
	if (p > message && p[0] == ':') {
		p++;
		while (*p == ' ')
			p++;
		message = p;
	}
	set_line(s->notice, sizeof s->notice, message);
}

static void quiet(db_session *s)
{
	if (s->pg)
		PQsetNoticeProcessor(s->pg, on_notice, s);
}

static void keep_params(db_session *s)
{
	PQconninfoOption *opts = PQconninfo(s->pg), *o;
	int n = 0;

	if (!opts)
		return;
	for (o = opts; o->keyword; o++)
		n++;
	s->keys = x_calloc((size_t)n + 2, sizeof *s->keys);
	s->vals = x_calloc((size_t)n + 2, sizeof *s->vals);
	n = 0;
	for (o = opts; o->keyword; o++) {
		if (!o->val || !*o->val || strcmp(o->keyword, "client_encoding") == 0)
			continue;
		if (strcmp(o->keyword, "connect_timeout") == 0 && atoi(o->val) > 0)
			s->connect_timeout_ms = atoi(o->val) * 1000;
		s->keys[n] = x_strdup(o->keyword);
		s->vals[n] = x_strdup(o->val);
		n++;
	}
	s->keys[n] = x_strdup("client_encoding");
	s->vals[n] = x_strdup("UTF8");
	PQconninfoFree(opts);
}

db_session *db_session_new(void *pgv, int reconnect_max)
{
	db_session *s = x_calloc(1, sizeof *s);
	PGconn *pg = pgv;

	s->pg = pg;
	s->state = DB_READY;
	s->backoff_s = 1;
	s->backoff_max_s = reconnect_max > 0 ? reconnect_max : 30;
	s->connect_timeout_ms = SESSION_CONNECT_TIMEOUT_MS;
	s->user = x_strdup(PQuser(pg) ? PQuser(pg) : "");
	quiet(s);
	keep_params(s);
	if (PQsetnonblocking(pg, 1) != 0 || PQstatus(pg) != CONNECTION_OK)
		connection_lost(s);
	return s;
}

db_session *db_session_open(const char *conninfo, const char *user, const char *password,
                            int connect_timeout, int reconnect_max, int *needs_password,
                            char *err, size_t errlen)
{
	char why[SESSION_ERR_MAX];
	int needs = 0;
	/* Deferred notifications: see db_session_change(). */
	PGconn *pg = db_connect_with(conninfo, user, password, connect_timeout, "-c hall.notify=deferred", &needs,
	                             why, sizeof why);

	if (needs_password)
		*needs_password = needs;
	if (!pg) {
		/* libpq's words (and the server's) are for the log; the clerk gets
		 * one sentence that never tells a wrong password from an unknown
		 * user. */
		char *where = db_conninfo_describe(conninfo);
		log_msg(LOG_WARNING, "cannot connect to %s as %s: %s", where, user && *user ? user : "(default user)",
		        why);
		refusal_connect_text(why, needs, where, 0, err, errlen);
		free(where);
		return NULL;
	}
	return db_session_new(pg, reconnect_max);
}

/* The value of keyword in conninfo, else libpq's default for it (PG*
 * variables, the service file, the login name). */
static char *conninfo_value(const char *conninfo, const char *keyword)
{
	PQconninfoOption *opts = NULL, *o;
	char *msg = NULL, *v = NULL;

	if (conninfo && *conninfo) {
		opts = PQconninfoParse(conninfo, &msg);
		PQfreemem(msg);
		for (o = opts; o && o->keyword; o++)
			if (strcmp(o->keyword, keyword) == 0 && o->val && *o->val)
				v = x_strdup(o->val);
		PQconninfoFree(opts);
		if (v)
			return v;
	}
	opts = PQconndefaults();
	for (o = opts; o && o->keyword; o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val && *o->val)
			v = x_strdup(o->val);
	PQconninfoFree(opts);
	return v ? v : x_strdup("");
}

char *db_conninfo_user(const char *conninfo)
{
	return conninfo_value(conninfo, "user");
}

int db_conninfo_names_user(const char *conninfo)
{
	PQconninfoOption *opts, *o;
	char *msg = NULL;
	const char *env = getenv("PGUSER");
	int named = env && *env;

	if (named || !conninfo || !*conninfo)
		return named;
	opts = PQconninfoParse(conninfo, &msg);
	PQfreemem(msg);
	for (o = opts; o && o->keyword; o++)
		if (strcmp(o->keyword, "user") == 0 && o->val && *o->val)
			named = 1;
	PQconninfoFree(opts);
	return named;
}

char *db_conninfo_describe(const char *conninfo)
{
	char *db = conninfo_value(conninfo, "dbname");
	char *host = conninfo_value(conninfo, "host");
	char *port = conninfo_value(conninfo, "port");
	char *service = conninfo_value(conninfo, "service");
	char *out;

	if (!*db) {
		free(db);
		db = conninfo_value(conninfo, "user");
	}
	if (*service)
		out = x_asprintf("%s (service %s)", db, service);
	else
		out = x_asprintf("%s @ %s:%s", db, *host ? host : "localhost", *port ? port : "5432");
	free(db);
	free(host);
	free(port);
	free(service);
	return out;
}

void db_session_free(db_session *s)
{
	request *r, *next;
	listener *l, *lnext;

	if (!s)
		return;
	if (s->pg)
		PQfinish(s->pg);
	PQclear(s->result);
	request_free(s->in_flight);
	for (r = s->piped; r; r = next) {
		next = r->next;
		request_free(r);
	}
	for (r = s->head; r; r = next) {
		next = r->next;
		request_free(r);
	}
	for (l = s->listeners; l; l = lnext) {
		lnext = l->next;
		free(l->channel);
		free(l);
	}
	for (int i = 0; s->keys && s->keys[i]; i++) {
		/* The password lives here: wipe it before giving the memory back. */
		memset(s->vals[i], 0, strlen(s->vals[i]));
		free(s->keys[i]);
		free(s->vals[i]);
	}
	free(s->keys);
	free(s->vals);
	free(s->user);
	forget_connection_names(s);
	free(s);
}

void db_session_on_state(db_session *s, db_state_fn fn, void *ctx)
{
	s->state_fn = fn;
	s->state_ctx = ctx;
}

void db_session_on_wake(db_session *s, void (*fn)(void *ctx), void *ctx)
{
	s->wake_fn = fn;
	s->wake_ctx = ctx;
}

db_state db_session_state(const db_session *s)
{
	return s->state;
}

const char *db_session_error(const db_session *s)
{
	if (s->state == DB_READY)
		return "";
	return s->error[0] ? s->error : _("not connected to the database");
}

const char *db_session_param(const db_session *s, const char *keyword)
{
	for (int i = 0; s->keys && s->keys[i]; i++)
		if (strcmp(s->keys[i], keyword) == 0)
			return s->vals[i];
	return NULL;
}

const char *db_session_user(const db_session *s)
{
	return s->user;
}

int db_session_pending(const db_session *s)
{
	int n = s->in_flight ? 1 : 0;
	for (const request *r = s->piped; r; r = r->next)
		n++;
	for (const request *r = s->head; r; r = r->next)
		n++;
	return n;
}

int db_session_batches(const db_session *s)
{
	return s->batches;
}

/* ---------------------------------------------------------- requests in */

int db_session_query(db_session *s, const char *sql, int nparams, const char *const *params,
                     db_reply_fn fn, void *ctx)
{
	if (s->state != DB_READY) {
		s->next_background = 0;
		return -1;
	}
	enqueue(s, request_new(sql, nparams, params, fn, ctx));
	return 0;
}

int db_session_change(db_session *s, const char *sql, int nparams, const char *const *params,
                      db_reply_fn fn, void *ctx)
{
	if (s->state != DB_READY) {
		s->next_background = 0;
		return -1;
	}
	request *r = request_new(sql, nparams, params, fn, ctx);
	r->announce = 1;
	enqueue(s, r);
	return 0;
}

/* The change committed: send the notifications it kept (schema/005,
 * hall.notify) in a transaction of their own, before anything else
 * queued, so the other screens hear of it at once.  Nobody waits for the
 * answer; a failure is only logged. */
static void queue_flush(db_session *s)
{
	request *r = request_new("SELECT hall.flush_notify()", 0, NULL, NULL, NULL);

	r->next = s->head;
	s->head = r;
	if (!r->next)
		s->tail = r;
}

int db_session_copy_out(db_session *s, const char *sql, int nparams, const char *const *params, FILE *out,
                        db_reply_fn fn, void *ctx)
{
	request *r;

	if (s->state != DB_READY) {
		s->next_background = 0;
		return -1;
	}
	r = request_new(sql, nparams, params, fn, ctx);
	r->copy_to = out;
	enqueue(s, r);
	return 0;
}

int db_session_call(db_session *s, const char *sql, int nparams, const char *const *params,
                    db_adapt_fn adapt, db_any_fn fn, void *ctx)
{
	if (s->state != DB_READY) {
		s->next_background = 0;
		return -1;
	}
	request *r = request_new(sql, nparams, params, NULL, ctx);
	r->adapt = adapt;
	r->any = fn;
	enqueue(s, r);
	return 0;
}

int db_session_call_prepared(db_session *s, const char *name, const char *sql, int nparams, const unsigned *types,
                             const char *const *params, db_adapt_fn adapt, db_any_fn fn, void *ctx)
{
	if (db_session_call(s, sql, nparams, params, adapt, fn, ctx) < 0)
		return -1;
	request *r = s->last_queued;
	r->stmt = x_strdup(name);
	if (nparams > 0) {
		r->types = x_calloc((size_t)nparams, sizeof *r->types);
		memcpy(r->types, types, (size_t)nparams * sizeof *r->types);
	}
	return 0;
}

int db_session_call_change(db_session *s, const char *sql, int nparams, const char *const *params,
                           db_adapt_fn adapt, db_any_fn fn, void *ctx)
{
	if (db_session_call(s, sql, nparams, params, adapt, fn, ctx) < 0)
		return -1;
	s->last_queued->announce = 1;
	return 0;
}

db_rows *db_reply_take(const db_reply *reply)
{
	db_rows *rows;

	if (!reply || reply->status != DB_OK || !reply->take_slot)
		return NULL;
	rows = *reply->take_slot;
	*reply->take_slot = NULL;
	return rows;
}

void db_session_forget(db_session *s, void *ctx)
{
	if (s->in_flight && s->in_flight->ctx == ctx) {
		s->in_flight->fn = NULL;
		s->in_flight->any = NULL;
	}
	for (request *r = s->piped; r; r = r->next) {
		if (r->ctx == ctx) {
			r->fn = NULL;
			r->any = NULL;
		}
	}
	for (request *r = s->head; r; r = r->next) {
		if (r->ctx == ctx) {
			r->fn = NULL;
			r->any = NULL;
		}
	}
}

static listener *add_listener(db_session *s, const char *channel, void *ctx)
{
	listener *l = x_calloc(1, sizeof *l);

	l->channel = x_strdup(channel);
	l->ctx = ctx;
	l->next = s->listeners;
	s->listeners = l;
	if (s->state == DB_READY)
		send_listen(s, channel);
	return l;
}

void db_session_listen(db_session *s, const char *channel, db_notify_fn fn, void *ctx)
{
	add_listener(s, channel, ctx)->fn = fn;
}

void db_session_listen_typed(db_session *s, const char *channel, db_notify_adapt_fn adapt, db_any_fn fn,
                             void *ctx)
{
	listener *l = add_listener(s, channel, ctx);

	l->adapt = adapt;
	l->any = fn;
}

/* The server keeps listening (harmless: nobody is called); the channel is
 * heard again as soon as somebody else listens to it. */
void db_session_unlisten_channel(db_session *s, const char *channel, void *ctx)
{
	listener **pp = &s->listeners;

	while (*pp) {
		listener *l = *pp;
		if (l->ctx == ctx && (!channel || strcmp(l->channel, channel) == 0)) {
			*pp = l->next;
			free(l->channel);
			free(l);
		} else {
			pp = &l->next;
		}
	}
}

void db_session_unlisten(db_session *s, void *ctx)
{
	db_session_unlisten_channel(s, NULL, ctx);
}

/* --------------------------------------------------------- the event loop */

int db_session_fd(const db_session *s)
{
	return s->pg ? PQsocket(s->pg) : -1;
}

int db_session_events(const db_session *s)
{
	if (!s->pg)
		return 0;
	if (s->state == DB_CONNECTING)
		return s->poll == PGRES_POLLING_WRITING ? DB_WANT_WRITE : DB_WANT_READ;
	return DB_WANT_READ | (s->want_flush ? DB_WANT_WRITE : 0);
}

int db_session_timeout_ms(const db_session *s)
{
	long long now = now_ms(), t;

	if (s->state == DB_DISCONNECTED)
		t = s->next_attempt_ms - now;
	else if (s->state == DB_CONNECTING)
		t = s->attempt_start_ms + s->connect_timeout_ms - now;
	else if (s->head && !s->in_flight)
		t = 0; /* a request queued from a callback waits to be sent */
	else
		return -1;
	return t < 0 ? 0 : t > 1000000 ? 1000000 : (int)t;
}

static void attempt_failed(db_session *s)
{
	set_error_from_conn(s);
	PQfinish(s->pg);
	s->pg = NULL;
	s->state = DB_DISCONNECTED;
	schedule_attempt(s);
	notify_state(s);
}

static void start_attempt(db_session *s)
{
	if (!s->keys) {
		/* Nothing to reconnect with (the first connection never
		 * answered PQconninfo): stay down, say so. */
		set_line(s->error, sizeof s->error, "cannot reconnect: connection parameters unknown");
		s->next_attempt_ms = now_ms() + 3600 * 1000LL;
		return;
	}
	s->pg = PQconnectStartParams((const char *const *)s->keys, (const char *const *)s->vals, 0);
	s->attempt_start_ms = now_ms();
	if (!s->pg || PQstatus(s->pg) == CONNECTION_BAD) {
		attempt_failed(s);
		return;
	}
	quiet(s);
	s->state = DB_CONNECTING;
	s->poll = PGRES_POLLING_WRITING;
	notify_state(s);
}

/* PQconnectPoll must only be called once the socket is ready. */
static int socket_ready(db_session *s)
{
	struct pollfd p = { .fd = PQsocket(s->pg), .events = 0 };

	if (p.fd < 0)
		return 1;
	p.events = s->poll == PGRES_POLLING_WRITING ? POLLOUT : POLLIN;
	return poll(&p, 1, 0) > 0;
}

static void advance_attempt(db_session *s)
{
	if (!socket_ready(s)) {
		if (now_ms() - s->attempt_start_ms >= s->connect_timeout_ms) {
			set_line(s->error, sizeof s->error, "the database did not answer in time");
			PQfinish(s->pg);
			s->pg = NULL;
			s->state = DB_DISCONNECTED;
			schedule_attempt(s);
			notify_state(s);
		}
		return;
	}
	s->poll = PQconnectPoll(s->pg);
	if (s->poll == PGRES_POLLING_FAILED) {
		attempt_failed(s);
		return;
	}
	if (s->poll != PGRES_POLLING_OK)
		return;
	if (PQsetnonblocking(s->pg, 1) != 0) {
		attempt_failed(s);
		return;
	}
	s->state = DB_READY;
	s->backoff_s = 1;
	s->error[0] = '\0';
	queue_listens(s);
	notify_state(s);
}

/* The functions whose first parameter is a case (hall.applications.id). */
static const char *const case_functions[] = {
	"approve", "claim", "decide", "escalate", "grant_extension", "record_check", "reject", "release",
	"request_extension", "return_for_correction", "reveal", "supply_deferred", "refuse_extension", "terminate",
	NULL,
};

/* A change was refused: the transaction rolled back, so its audit event is
 * gone; the training room still counts it (hall.note_refusal, 022).  Only
 * the function's name, the SQLSTATE, the reason code (its arguments cut
 * off) and the case: never the database's English.  Nobody waits for the
 * answer; a failure (an older schema) is only logged. */
static void note_refusal(db_session *s, const request *r, const char *state, const char *reason)
{
	const char *p = strstr(r->sql, "hall."), *e;
	char action[64], code[64], *colon;
	const char *params[4];
	request *n;

	if (!p || strstr(r->sql, "hall.note_refusal"))
		return;
	p += 5;
	for (e = p; (*e >= 'a' && *e <= 'z') || *e == '_' || (*e >= '0' && *e <= '9'); e++)
		;
	if (e == p || (size_t)(e - p) >= sizeof action)
		return;
	memcpy(action, p, (size_t)(e - p));
	action[e - p] = '\0';
	snprintf(code, sizeof code, "%.*s", (int)sizeof code - 1, reason);
	colon = strchr(code, ':');
	if (colon)
		*colon = '\0';
	params[0] = action;
	params[1] = state;
	params[2] = *code ? code : NULL;
	params[3] = NULL;
	for (const char *const *f = case_functions; *f; f++)
		if (strcmp(*f, action) == 0 && r->nparams > 0 && r->params[0])
			params[3] = r->params[0];
	n = request_new("SELECT hall.note_refusal($1::text, $2::text, $3::text, $4::bigint)", 4, params, NULL, NULL);
	n->background = 1;
	/* After what the clerk waits for: at the end of the queue. */
	if (s->tail)
		s->tail->next = n;
	else
		s->head = n;
	s->tail = n;
}

/* Classify and deliver the finished in-flight request. */
static void finish_request(db_session *s)
{
	request *r = s->in_flight;
	PGresult *res = s->result;
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	s->in_flight = NULL;
	s->result = NULL;
	if (r->preparing && st == PGRES_COMMAND_OK) {
		/* Prepared: now the execution, still this request's turn. */
		PQclear(res);
		names_add(&s->prepared, r->stmt);
		s->in_flight = r;
		if (!send_request(s, r, 0)) {
			connection_lost(s);
			return;
		}
		int f = PQflush(s->pg);
		if (f < 0) {
			connection_lost(s);
			return;
		}
		s->want_flush = f == 1;
		return;
	}
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		db_rows *rows = rows_from_result(res);
		db_reply rep = { .status = DB_OK, .rows = rows, .error = NULL, .sqlstate = "", .reason = "",
		                 .take_slot = &rows, .copied = r->copied };
		PQclear(res);
		if (r->copy_failed) {
			db_rows_free(rows);
			reply_error(r, DB_FAILED, "could not write the copied rows", "", "");
			request_free(r);
			return;
		}
		if (r->announce)
			queue_flush(s);
		deliver(r, &rep);
		db_rows_free(rows); /* NULL if the callback took them */
		request_free(r);
		return;
	}
	/* A shutdown or a broken socket also arrives as an error result: the
	 * connection's own state tells a refusal from a loss. */
	const char *code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (PQstatus(s->pg) == CONNECTION_BAD || (code && strncmp(code, "57P", 3) == 0)) {
		s->in_flight = r; /* answered DB_LOST by connection_lost() */
		if (res)
			set_line(s->error, sizeof s->error, PQresultErrorMessage(res));
		PQclear(res);
		connection_lost(s);
		return;
	}
	char msg[SESSION_ERR_MAX], state[6] = "", reason[SESSION_ERR_MAX] = "";
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
	set_line(msg, sizeof msg, primary ? primary : res ? PQresultErrorMessage(res) : PQerrorMessage(s->pg));
	if (code)
		set_line(state, sizeof state, code);
	/* The machine-readable reason (db/refusal.h); any other hint is advice
	 * in English, for the log like the message. */
	if (hint && strncmp(hint, "reason:", 7) == 0)
		set_line(reason, sizeof reason, hint + 7);
	log_msg(LOG_NOTICE, "database refused (SQLSTATE %s%s%s): %s", *state ? state : "none",
	        *reason ? ", reason " : "", reason, msg);
	PQclear(res);
	if (r->announce && *reason)
		note_refusal(s, r, state, reason);
	reply_error(r, DB_FAILED, msg, state, reason);
	request_free(r);
}

/* A read that may share a pipeline: not a change (its flush must follow
 * its success), not a COPY (not allowed in pipeline mode), not background
 * work (a clerk's key queued after it must not wait behind a slow count). */
static int pipelinable(const request *r)
{
	return r && !r->announce && !r->copy_to && !r->background;
}

/* Send the reads at the head of the queue together when there are two or
 * more, in libpq's pipeline mode: one round trip for all of them (opening
 * a case asks six things at once), each with a sync of its own, so each
 * is its own implicit transaction as when sent alone and a refusal stays
 * its own.  Returns 1 when it sent them (or lost the connection trying),
 * 0 when the head goes alone. */
static int send_batch(db_session *s)
{
	request *r, *last = s->head;
	int n = 1, f;

	if (!pipelinable(last))
		return 0;
	while (n < SESSION_PIPE_MAX && pipelinable(last->next)) {
		last = last->next;
		n++;
	}
	if (n < 2 || !PQenterPipelineMode(s->pg))
		return 0;
	s->pipeline = 1;
	s->batches++;
	/* The batch leaves the queue whole: its first is in flight, the rest
	 * piped behind it in order. */
	s->in_flight = s->head;
	s->piped = s->head->next;
	s->head = last->next;
	if (!s->head)
		s->tail = NULL;
	last->next = NULL;
	s->in_flight->next = NULL;
	/* (in_flight's successor is the head of piped) */
	for (r = s->in_flight; r; r = r == s->in_flight ? s->piped : r->next) {
		if (!send_request(s, r, 1) || !PQpipelineSync(s->pg)) {
			set_error_from_conn(s);
			connection_lost(s);
			return 1;
		}
	}
	f = PQflush(s->pg);
	if (f < 0) {
		connection_lost(s);
		return 1;
	}
	s->want_flush = f == 1;
	return 1;
}

/* Pipeline mode: read what has come.  Per request: its PREPARE's result
 * when it was sent with one, then its own, each ended by a NULL, then
 * its sync; at the sync it is delivered and the next one's turn begins.
 * After the last, the connection leaves pipeline mode. */
static void read_pipeline(db_session *s)
{
	int ends = 0; /* NULLs in a row: never two without a result between */

	while (s->state == DB_READY && s->pipeline && s->in_flight && !PQisBusy(s->pg)) {
		request *r = s->in_flight;
		PGresult *res = PQgetResult(s->pg);
		ExecStatusType st;

		if (!res) {
			r->preparing = 0; /* the PREPARE's part (if any) is over */
			if (++ends > 1)
				break; /* wait for input rather than spin */
			continue;
		}
		ends = 0;
		st = PQresultStatus(res);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			if (r->prepared_here == 2)
				names_remove(&s->prepared, r->stmt);
			finish_request(s); /* delivers r; may lose the connection */
			if (s->state != DB_READY)
				return;
			s->in_flight = s->piped;
			s->piped = s->in_flight ? s->in_flight->next : NULL;
			if (s->in_flight)
				s->in_flight->next = NULL;
			continue;
		}
		if (st == PGRES_PIPELINE_ABORTED) {
			PQclear(res); /* after a failed PREPARE: its error is the answer */
			continue;
		}
		if (r->preparing) {
			if (st == PGRES_COMMAND_OK) {
				PQclear(res);
				continue;
			}
			r->prepared_here = 2;
		}
		keep_result(s, res);
	}
	if (s->state == DB_READY && s->pipeline && !s->in_flight) {
		if (!PQexitPipelineMode(s->pg)) {
			set_error_from_conn(s);
			connection_lost(s);
			return;
		}
		s->pipeline = 0;
	}
}

static void send_next(db_session *s)
{
	while (s->state == DB_READY && !s->in_flight && s->head) {
		if (send_batch(s))
			return;
		request *r = s->head;
		s->head = r->next;
		if (!s->head)
			s->tail = NULL;
		r->next = NULL;
		if (!send_request(s, r, 0)) {
			if (PQstatus(s->pg) == CONNECTION_BAD) {
				/* Never reached the server: not done, say so plainly. */
				reply_error(r, DB_OFFLINE, _("not connected to the database"), "", "");
				request_free(r);
				connection_lost(s);
				return;
			}
			char msg[SESSION_ERR_MAX];
			set_line(msg, sizeof msg, PQerrorMessage(s->pg));
			log_msg(LOG_WARNING, "could not send a statement: %s", msg);
			reply_error(r, DB_FAILED, msg, "", "");
			request_free(r);
			continue;
		}
		s->in_flight = r;
		int f = PQflush(s->pg);
		if (f < 0) {
			connection_lost(s);
			return;
		}
		s->want_flush = f == 1;
	}
}

static void deliver_notifies(db_session *s)
{
	PGnotify *n;

	while (s->pg && (n = PQnotifies(s->pg)) != NULL) {
		/* A callback may unlisten (free l): find the next one first. */
		for (listener *l = s->listeners, *next; l; l = next) {
			next = l->next;
			if (strcmp(l->channel, n->relname) != 0)
				continue;
			if (l->adapt)
				l->adapt(l->any, l->ctx, n->extra ? n->extra : "");
			else if (l->fn)
				l->fn(l->ctx, n->relname, n->extra ? n->extra : "");
		}
		PQfreemem(n);
	}
}

void db_session_process(db_session *s)
{
	if (s->state == DB_DISCONNECTED) {
		if (now_ms() >= s->next_attempt_ms)
			start_attempt(s);
		return;
	}
	if (s->state == DB_CONNECTING) {
		advance_attempt(s);
		return;
	}
	if (s->want_flush) {
		int f = PQflush(s->pg);
		if (f < 0) {
			connection_lost(s);
			return;
		}
		s->want_flush = f == 1;
	}
	if (!PQconsumeInput(s->pg) || PQstatus(s->pg) == CONNECTION_BAD) {
		connection_lost(s);
		return;
	}
	if (s->pipeline)
		read_pipeline(s);
	while (s->state == DB_READY && !s->pipeline && s->in_flight && s->copying) {
		/* COPY OUT: one row per PQgetCopyData; 0 = wait for more input,
		 * -1 = done (the final result follows), -2 = failed (likewise). */
		char *buf = NULL;
		int n = PQgetCopyData(s->pg, &buf, 1);
		if (n > 0) {
			request *r = s->in_flight;
			if (r->copy_to && fwrite(buf, 1, (size_t)n, r->copy_to) != (size_t)n)
				r->copy_failed = 1;
			r->copied++;
			PQfreemem(buf);
			continue;
		}
		if (n == 0)
			return;
		s->copying = 0;
	}
	while (s->state == DB_READY && !s->pipeline && s->in_flight && !PQisBusy(s->pg)) {
		PGresult *res = PQgetResult(s->pg);
		if (res && PQresultStatus(res) == PGRES_COPY_OUT) {
			PQclear(res);
			s->copying = 1;
			db_session_process(s);
			return;
		}
		if (!res) {
			finish_request(s);
			/* The callback may have queued more: send it now. */
			send_next(s);
			continue;
		}
		keep_result(s, res);
	}
	if (s->state != DB_READY)
		return;
	deliver_notifies(s);
	send_next(s);
}

int db_session_drain(db_session *s, int ms)
{
	long long end = now_ms() + ms;

	for (;;) {
		db_session_process(s);
		if (s->state == DB_READY && !s->in_flight && !s->head)
			return 0;
		long long left = end - now_ms();
		if (left <= 0)
			return -1;
		struct pollfd p = { .fd = db_session_fd(s), .events = 0 };
		int ev = db_session_events(s), t = db_session_timeout_ms(s);
		if (ev & DB_WANT_READ)
			p.events |= POLLIN;
		if (ev & DB_WANT_WRITE)
			p.events |= POLLOUT;
		if (t < 0 || t > left)
			t = (int)left;
		if (p.fd < 0) {
			poll(NULL, 0, t);
			continue;
		}
		if (poll(&p, 1, t) < 0 && errno != EINTR)
			return -1;
	}
}

/* ------------------------------------------------------------ row helpers */

const char *db_rows_get(const db_rows *r, int row, int col)
{
	if (!r || row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
		return "";
	return r->cell[(size_t)row * (size_t)r->ncols + (size_t)col];
}

int db_rows_null(const db_rows *r, int row, int col)
{
	if (!r || row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
		return 1;
	return r->null[(size_t)row * (size_t)r->ncols + (size_t)col];
}

long long db_rows_ll(const db_rows *r, int row, int col)
{
	return strtoll(db_rows_get(r, row, col), NULL, 10);
}

int db_rows_int(const db_rows *r, int row, int col)
{
	return (int)strtol(db_rows_get(r, row, col), NULL, 10);
}

int db_rows_bool(const db_rows *r, int row, int col)
{
	return strcmp(db_rows_get(r, row, col), "t") == 0;
}

/* ------------------------------------------------------------ parameters */

char *db_text_array(const char *const *items, int n)
{
	size_t len = 3;
	char *out, *p;

	for (int i = 0; i < n; i++)
		len += 2 * strlen(items[i] ? items[i] : "") + 4;
	p = out = x_malloc(len);
	*p++ = '{';
	for (int i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		*p++ = '"';
		for (const char *c = items[i] ? items[i] : ""; *c; c++) {
			if (*c == '"' || *c == '\\')
				*p++ = '\\';
			*p++ = *c;
		}
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return out;
}

char *db_int_array(const int *items, int n)
{
	size_t len = 3 + (size_t)(n > 0 ? n : 0) * 12;
	char *out = x_malloc(len), *p = out;

	*p++ = '{';
	for (int i = 0; i < n; i++)
		p += snprintf(p, len - (size_t)(p - out), i ? ",%d" : "%d", items[i]);
	*p++ = '}';
	*p = '\0';
	return out;
}

