/* db/session.h - the terminal's one database connection, never blocking.
 *
 * hallterm keeps one PGconn for its whole life.  Every statement goes
 * through a FIFO of requests: the session sends one at a time with
 * PQsendQueryParams (or reads queued together in one pipeline, see
 * db_session_batches), reads the answer with PQconsumeInput/PQisBusy/
 * PQgetResult when the socket is readable, copies it into a neutral
 * db_rows (strings only) and hands it to the request's callback.  The
 * event loop polls db_session_fd() for db_session_events() and calls
 * db_session_process(); nothing here ever waits on the network.
 *
 * A lost connection (socket error, server shut down) moves the session to
 * DB_DISCONNECTED: the request on the wire is answered DB_LOST (it may or
 * may not have been done: the caller must reload to know), queued ones
 * DB_OFFLINE, and every new request is refused DB_OFFLINE at once, so no
 * action is ever half-done or silently kept for later.  The session then
 * reconnects in the background (PQconnectStartParams/PQconnectPoll) with
 * a backoff of 1 s, 2 s, 4 s ... up to reconnect_max seconds; on success it
 * repeats every LISTEN and calls the state callback with DB_READY, so the
 * current screen can reload.
 *
 * No libpq type appears in this header except through db_session_new(),
 * which adopts a connection made by db_connect().
 */
#ifndef HALLTERM_DB_SESSION_H
#define HALLTERM_DB_SESSION_H

#include <stddef.h>
#include <stdio.h>

typedef struct db_session db_session;

typedef enum db_state {
	DB_READY,        /* connected */
	DB_DISCONNECTED, /* lost; waiting for the next attempt */
	DB_CONNECTING,   /* an attempt is under way */
} db_state;

/* What happened to a request. */
typedef enum db_status {
	DB_OK,      /* rows (possibly none) */
	DB_FAILED,  /* the database refused: `error` is its message */
	DB_LOST,    /* sent, then the connection dropped: outcome unknown */
	DB_OFFLINE, /* never sent: no connection */
} db_status;

/* A result as strings.  Values are never NULL: SQL NULL reads as "" (ask
 * db_rows_null to tell them apart). */
typedef struct db_rows {
	int nrows, ncols;
	char **cell;          /* nrows * ncols, row-major */
	unsigned char *null;  /* nrows * ncols flags */
	char **names;         /* ncols column names */
} db_rows;

typedef struct db_reply {
	db_status status;
	const db_rows *rows;  /* DB_OK only; owned by the session, valid during the callback */
	const char *error;    /* not DB_OK: one line in the database's words (English:
	                         for the log; show refusal_text() of db/refusal.h) */
	const char *sqlstate; /* DB_FAILED: the SQLSTATE, else "" */
	const char *reason;   /* DB_FAILED: the machine-readable reason of the HINT
	                         'reason:<code>[:<arg>...]' without "reason:", as
	                         raised ("text_short:reply_body:2"); else "" */
	db_rows **take_slot;  /* private: see db_reply_take() */
	long long copied;     /* db_session_copy_out: the rows written, header included */
} db_reply;

typedef void (*db_reply_fn)(void *ctx, const db_reply *reply);
/* payload is the NOTIFY payload (never NULL). */
typedef void (*db_notify_fn)(void *ctx, const char *channel, const char *payload);
/* Called on every change of state; message says why (may be ""), in
 * libpq's words like db_session_error(). */
typedef void (*db_state_fn)(void *ctx, db_state state, const char *message);

/* Adopt pg (a PGconn * from db_connect(), passed as void * to keep libpq
 * out of this header), which must be connected.  Its parameters are kept
 * for reconnecting.  reconnect_max is the longest backoff, in seconds. */
db_session *db_session_new(void *pg, int reconnect_max);
/* Connect (blocking, at most connect_timeout seconds; 0: libpq's default)
 * with db_connect() and adopt the connection.  NULL on failure with one
 * sentence for the clerk in err (refusal_connect_text: a wrong password and
 * an unknown user read the same; libpq's own words go to the log), and
 * *needs_password set when the server wants a password that was not given
 * (ask for one and call again). */
db_session *db_session_open(const char *conninfo, const char *user, const char *password,
                            int connect_timeout, int reconnect_max, int *needs_password,
                            char *err, size_t errlen);

/* The user name a connection with conninfo would use (its user=, else
 * PGUSER, else the login name), newly allocated ("" when unknown). */
char *db_conninfo_user(const char *conninfo);

/* 1 when the user is named (user= in conninfo, or PGUSER), not merely the
 * operating-system login libpq falls back to. */
int db_conninfo_names_user(const char *conninfo);

/* Where conninfo points, for a login screen: "dbname on host:port", never
 * the password.  Newly allocated. */
char *db_conninfo_describe(const char *conninfo);

/* Closes the connection.  Pending callbacks are not called. */
void db_session_free(db_session *s);

void db_session_on_state(db_session *s, db_state_fn fn, void *ctx);
/* Called (from db_session_query and friends) when a request was queued
 * and the session needs db_session_process() soon to send it: the event
 * loop schedules that.  Never calls back into the caller's request. */
void db_session_on_wake(db_session *s, void (*fn)(void *ctx), void *ctx);
db_state db_session_state(const db_session *s);
/* The last connection error ("" when connected), in libpq's words: for
 * the log; the clerk reads refusal_connect_text() of it. */
const char *db_session_error(const db_session *s);
/* The login name the session runs as. */
const char *db_session_user(const db_session *s);
/* A parameter the session connected (and reconnects) with, by libpq
 * keyword ("dbname", "password" ...); NULL when it was not set.  For a
 * second connection as the same person (db/replica.c: a standby has the
 * primary's roles and passwords). */
const char *db_session_param(const db_session *s, const char *keyword);

/* Queue a statement with text parameters (NULL entries are SQL NULL);
 * sql and params are copied.  Returns 0 when queued: fn (may be NULL) is
 * then called exactly once, later, from db_session_process() (unless
 * forgotten, or the session is freed first).  Returns -1 when the session is not
 * connected: nothing is queued, fn is not called, and the caller says so
 * (db_session_error() has the reason). */
int db_session_query(db_session *s, const char *sql, int nparams, const char *const *params,
                     db_reply_fn fn, void *ctx);

/* Like db_session_query, for a statement that changes data (a transition,
 * a reply, ...).  The terminal's connection asks for deferred
 * notifications (hall.notify = 'deferred', schema/005): a change keeps its
 * NOTIFYs until, once it has succeeded, the session sends
 * hall.flush_notify() in a transaction of its own, so that commits of many
 * windows are not serialised by PostgreSQL's notification lock. */
int db_session_change(db_session *s, const char *sql, int nparams, const char *const *params,
                      db_reply_fn fn, void *ctx);

/* Queue a COPY (...) TO STDOUT statement: the database streams its rows
 * and each is written to out as it arrives (nothing is held in memory);
 * fn then gets DB_OK with reply->copied, the rows written (a header line
 * counts), or the refusal.  out stays the caller's (open until fn runs:
 * the caller closes it there).  A write error answers DB_FAILED. */
int db_session_copy_out(db_session *s, const char *sql, int nparams, const char *const *params, FILE *out,
                        db_reply_fn fn, void *ctx);

/* The next request queued is background work (counts for a header, a
 * list for a filter): requests queued after it for the clerk's keys are
 * sent first, so a slow count never delays opening a case. */
void db_session_next_background(db_session *s);

/* Drop the callbacks of every queued request whose ctx is ctx (a screen
 * that closes); the statements still run. */
void db_session_forget(db_session *s, void *ctx);

/* LISTEN on channel now and after every reconnect; fn gets each NOTIFY. */
void db_session_listen(db_session *s, const char *channel, db_notify_fn fn, void *ctx);
void db_session_unlisten(db_session *s, void *ctx);

/* For the event loop: the socket to poll (-1 when there is none), whether
 * to wait for reading and/or writing, and how long until
 * db_session_process() must be called anyway (ms, -1 for never). */
int db_session_fd(const db_session *s);
enum { DB_WANT_READ = 1, DB_WANT_WRITE = 2 };
int db_session_events(const db_session *s);
int db_session_timeout_ms(const db_session *s);

/* Do whatever can be done without waiting: read answers, call callbacks,
 * send the next request, deliver notifications, advance a reconnection.
 * Call when the socket is ready or the timeout has passed. */
void db_session_process(db_session *s);

/* Number of requests queued or on the wire. */
int db_session_pending(const db_session *s);
/* How many pipelines the session has sent: reads queued together (two or
 * more at the head of the queue, no change, COPY or background work
 * among them) go out at once in libpq's pipeline mode, each its own
 * implicit transaction, answered in order.  For tests and --bench. */
int db_session_batches(const db_session *s);

/* Run pending work until the queue is empty or ms milliseconds passed
 * (poll()s the socket itself): for start-up and tests only, never from a
 * screen.  Returns 0 when the queue emptied. */
int db_session_drain(db_session *s, int ms);

/* Take the rows of a DB_OK reply for keeping beyond the callback (NULL
 * otherwise, or when taken already); release them with db_rows_free(). */
db_rows *db_reply_take(const db_reply *reply);
void db_rows_free(db_rows *rows);

/* Generic typed callbacks: the db/ modules wrap a reply into their own
 * structs before calling the screen.  adapt receives the screen's callback
 * (cast back to its real type) and ctx; it is not called at all when the
 * request was forgotten.  Same contract as db_session_query otherwise. */
typedef void (*db_any_fn)(void);
typedef void (*db_adapt_fn)(const db_reply *reply, db_any_fn fn, void *ctx);
int db_session_call(db_session *s, const char *sql, int nparams, const char *const *params,
                    db_adapt_fn adapt, db_any_fn fn, void *ctx);
/* db_session_call through a named prepared statement: prepared once per
 * connection (again after a reconnect), planned by the server once it
 * finds its generic plan as good as a custom one, so a screen's page query
 * is not planned again for every page.  name is the statement's for the
 * connection's life: one name, one sql.  types are the parameters' type
 * OIDs (pg_type.h: 16 bool, 20 int8, 23 int4, 25 text, 1009 text[], 1082
 * date), so parameters a variant leaves unused are still typed. */
int db_session_call_prepared(db_session *s, const char *name, const char *sql, int nparams, const unsigned *types,
                             const char *const *params, db_adapt_fn adapt, db_any_fn fn, void *ctx);

/* db_session_call for a change (see db_session_change). */
int db_session_call_change(db_session *s, const char *sql, int nparams, const char *const *params,
                           db_adapt_fn adapt, db_any_fn fn, void *ctx);

/* LISTEN with a typed callback: adapt gets the caller's own function fn
 * (cast to db_any_fn), ctx and the payload, and calls fn with arguments
 * parsed from it.  The db/ modules use it so that screens get typed
 * notifications without each module keeping its own listener list. */
typedef void (*db_notify_adapt_fn)(db_any_fn fn, void *ctx, const char *payload);
void db_session_listen_typed(db_session *s, const char *channel, db_notify_adapt_fn adapt, db_any_fn fn,
                             void *ctx);
/* Stop ctx's listener of one channel (db_session_unlisten: of all). */
void db_session_unlisten_channel(db_session *s, const char *channel, void *ctx);

/* Array literals for text parameters ($1::text[], $1::int[]): quoted and
 * escaped, so any string is safe.  Newly allocated. */
char *db_text_array(const char *const *items, int n);
char *db_int_array(const int *items, int n);

/* Copy a PGresult (passed as void * to keep libpq out of this header)
 * into rows the caller owns (db_rows_free), for the few blocking queries
 * of db/ made outside the session. */
db_rows *db_rows_from_result(const void *res);

/* Helpers for callbacks. */
const char *db_rows_get(const db_rows *r, int row, int col);
int db_rows_null(const db_rows *r, int row, int col);
long long db_rows_ll(const db_rows *r, int row, int col);
int db_rows_int(const db_rows *r, int row, int col);
/* "t" -> 1, anything else 0. */
int db_rows_bool(const db_rows *r, int row, int col);

#endif
