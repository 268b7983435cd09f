/* db/replica.c - reads from a streaming standby; see replica.h. */
#include "db/replica.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/xalloc.h"
#include "db/conn.h"

/* The login never waits longer than this for the standby. */
#define REPLICA_LOGIN_TIMEOUT_S 3

/* ------------------------------------------------------------ decisions */

void replica_lag_reset(replica_lag *l)
{
	memset(l, 0, sizeof *l);
}

int replica_lag_measured(replica_lag *l, double seconds, int max_lag, int second_look)
{
	if (seconds < 0) {
		/* Unknown (nothing replayed since the standby started): keep
		 * what was known, believe nothing new. */
		l->pending_over = 0;
		return 0;
	}
	if (seconds > max_lag && !second_look) {
		/* WAL caught between received and replayed reads as the age of
		 * the last commit replayed, which may be the whole quiet time
		 * before it: look again before believing it. */
		l->pending_over = 1;
		return 1;
	}
	l->known = 1;
	l->seconds = seconds;
	l->pending_over = 0;
	return 0;
}

replica_state replica_decide(int configured, db_state st, int tried, const replica_lag *lag, int max_lag,
                             int fallback_lag)
{
	if (!configured)
		return REPLICA_NONE;
	if (st != DB_READY)
		return tried ? REPLICA_DOWN : REPLICA_WAITING;
	if (!lag || !lag->known || lag->seconds <= max_lag)
		return REPLICA_FRESH;
	if (fallback_lag > 0 && lag->seconds > fallback_lag)
		return REPLICA_TOO_FAR;
	return REPLICA_BEHIND;
}

int replica_state_reads_there(replica_state st)
{
	return st == REPLICA_FRESH || st == REPLICA_BEHIND;
}

const char *replica_note(replica_state st, double lag, int reads_there, char *buf, size_t n)
{
	long secs = lag < 0 ? 0 : (long)(lag + 0.5);

	if (!n)
		return buf;
	buf[0] = '\0';
	switch (st) {
	case REPLICA_DOWN:
		snprintf(buf, n, "%s", _("Report database unavailable: figures from the primary"));
		break;
	case REPLICA_BEHIND:
	case REPLICA_TOO_FAR:
		if (reads_there)
			snprintf(buf, n, _("Report database %ld s behind"), secs);
		else
			snprintf(buf, n, _("Report database %ld s behind: figures from the primary"), secs);
		break;
	default:
		break;
	}
	return buf;
}

int replica_is_conflict(const db_reply *reply)
{
	return reply && reply->status == DB_FAILED && reply->sqlstate && strcmp(reply->sqlstate, "40001") == 0;
}

/* ------------------------------------------------------ the second session */

struct replica {
	db_session *s;
	int max_lag, fallback_lag;
	int tried;          /* an attempt finished (connected or refused) */
	int was_down;       /* for the log: say each change once */
	replica_lag lag;
	int checking;       /* a lag query is on its way */
	int second_look;    /* it is the second look of queue_check() */
	char first_receive[64]; /* what the first look had received (an LSN, "" for none) */
	int in_recovery;    /* -1 unknown */
	replica_state logged;
	void (*change_fn)(void *ctx);
	void *change_ctx;
};

static replica_state decide(const replica *r)
{
	return replica_decide(1, db_session_state(r->s), r->tried, &r->lag, r->max_lag, r->fallback_lag);
}

static void changed(replica *r)
{
	replica_state st = decide(r);

	if (st != r->logged) {
		if (st == REPLICA_BEHIND || st == REPLICA_TOO_FAR)
			log_msg(LOG_WARNING, "report database %.0f s behind the primary%s", r->lag.seconds,
			        st == REPLICA_TOO_FAR ? ": reading from the primary" : "");
		else if (st == REPLICA_FRESH && (r->logged == REPLICA_BEHIND || r->logged == REPLICA_TOO_FAR))
			log_msg(LOG_NOTICE, "report database caught up (%.0f s behind)", r->lag.seconds);
		r->logged = st;
	}
	if (r->change_fn)
		r->change_fn(r->change_ctx);
}

static void lag_answered(void *ctx, const db_reply *reply);

/* The lag: 0 when everything received is replayed (or this is no standby),
 * else the age of the last commit replayed.  The second look, after a
 * first one over max_lag, waits REPLICA_SECOND_LOOK and reads 0 when the
 * replay has since passed what the first look had received: a standby
 * that keeps up, caught in the middle of WAL that carries no commit (a
 * vacuum, a checkpoint).  A standby that has replayed no commit since it
 * started counts from its start.  Nothing here writes; pg_last_* are open
 * to every role. */
#define REPLICA_SECOND_LOOK "0.25"
#define LAG_AGE \
	"greatest(0, extract(epoch FROM now() - coalesce(pg_last_xact_replay_timestamp(), pg_postmaster_start_time())))"

static void queue_check(replica *r)
{
	static const char first[] =
		"SELECT pg_is_in_recovery(), pg_last_wal_receive_lsn()::text,"
		"       CASE WHEN NOT pg_is_in_recovery() THEN 0"
		"            WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0"
		"            ELSE " LAG_AGE " END";
	static const char second[] =
		"SELECT pg_is_in_recovery(), pg_last_wal_receive_lsn()::text,"
		"       CASE WHEN NOT pg_is_in_recovery() THEN 0"
		"            WHEN pg_last_wal_replay_lsn() >= $1::pg_lsn THEN 0"
		"            ELSE " LAG_AGE " END"
		"  FROM pg_sleep(" REPLICA_SECOND_LOOK ")";
	const char *p[1] = { r->first_receive };
	int second_look = r->lag.pending_over;

	db_session_next_background(r->s);
	if (db_session_query(r->s, second_look ? second : first, second_look ? 1 : 0, second_look ? p : NULL,
	                     lag_answered, r) == 0) {
		r->checking = 1;
		r->second_look = second_look;
	}
}

static void lag_answered(void *ctx, const db_reply *reply)
{
	replica *r = ctx;
	double secs = -1;

	r->checking = 0;
	if (reply->status != DB_OK || !reply->rows || reply->rows->nrows != 1) {
		/* A standby that can't say (an old server, a role without the
		 * functions): believe it is current rather than never use it. */
		if (reply->status == DB_FAILED)
			log_msg(LOG_NOTICE, "report database: cannot read its lag: %s", reply->error ? reply->error : "");
		return;
	}
	r->in_recovery = db_rows_bool(reply->rows, 0, 0);
	if (!db_rows_null(reply->rows, 0, 2))
		secs = strtod(db_rows_get(reply->rows, 0, 2), NULL);
	if (!r->second_look)
		snprintf(r->first_receive, sizeof r->first_receive, "%s",
		         db_rows_null(reply->rows, 0, 1) ? "" : db_rows_get(reply->rows, 0, 1));
	if (replica_lag_measured(&r->lag, secs, r->max_lag, r->second_look)) {
		if (!r->first_receive[0])
			/* Nothing received to wait for (archive recovery): the
			 * first look is all there is. */
			replica_lag_measured(&r->lag, secs, r->max_lag, 1);
		else
			queue_check(r);
	}
	changed(r);
}

static void on_state(void *ctx, db_state st, const char *message)
{
	replica *r = ctx;

	if (st == DB_READY) {
		r->tried = 1;
		replica_lag_reset(&r->lag);
		r->in_recovery = -1;
		if (r->was_down)
			log_msg(LOG_NOTICE, "report database connected again");
		r->was_down = 0;
		queue_check(r);
	} else if (st == DB_DISCONNECTED) {
		r->tried = 1;
		r->checking = 0;
		if (!r->was_down)
			log_msg(LOG_WARNING, "report database unavailable, reading from the primary: %s",
			        message && *message ? message : "no answer");
		r->was_down = 1;
	}
	changed(r);
}

/* Start (or, blocking, make) a connection to dsn as user with password,
 * timeout seconds at most. */
static PGconn *connect_to(const char *dsn, const char *user, const char *password, const char *dbname,
                          int timeout, int blocking)
{
	const char *keys[12], *vals[12];
	char t[16];
	int k = 0;

	/* As db_connect(): keepalives first so the DSN may override them. */
	keys[k] = "keepalives", vals[k++] = "1";
	keys[k] = "keepalives_idle", vals[k++] = "30";
	keys[k] = "keepalives_interval", vals[k++] = "10";
	keys[k] = "keepalives_count", vals[k++] = "3";
	keys[k] = "dbname", vals[k++] = dsn;      /* expanded: a conninfo or URI */
	if (dbname && *dbname)
		keys[k] = "dbname", vals[k++] = dbname; /* only when the DSN names none */
	if (user && *user)
		keys[k] = "user", vals[k++] = user;
	if (password)
		keys[k] = "password", vals[k++] = password;
	snprintf(t, sizeof t, "%d", timeout);
	keys[k] = "connect_timeout", vals[k++] = t;
	keys[k] = "application_name", vals[k++] = "hallterm-report";
	keys[k] = "client_encoding", vals[k++] = "UTF8";
	keys[k] = NULL, vals[k] = NULL;
	return blocking ? PQconnectdbParams(keys, vals, 1) : PQconnectStartParams(keys, vals, 1);
}

/* 1 when dsn names a database of its own. */
static int names_dbname(const char *dsn)
{
	PQconninfoOption *opts = PQconninfoParse(dsn, NULL), *o;
	int named = 0;

	if (!opts)
		return 1; /* unparsable: libpq will say so; add nothing */
	for (o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "dbname") == 0 && o->val && *o->val)
			named = 1;
	PQconninfoFree(opts);
	return named;
}

replica *replica_open(db_session *primary, const char *report_dsn, int connect_timeout, int reconnect_max,
                      int max_lag, int fallback_lag)
{
	const char *dbname = NULL;
	int timeout = connect_timeout > 0 && connect_timeout < REPLICA_LOGIN_TIMEOUT_S ? connect_timeout
	                                                                                : REPLICA_LOGIN_TIMEOUT_S;
	PGconn *pg;
	replica *r;

	if (!report_dsn || !*report_dsn || !primary)
		return NULL;
	if (!names_dbname(report_dsn))
		dbname = db_session_param(primary, "dbname");
	pg = connect_to(report_dsn, db_session_user(primary), db_session_param(primary, "password"), dbname, timeout,
	                1);
	if (!pg || PQstatus(pg) != CONNECTION_OK) {
		char line[512] = "out of memory";
		if (pg)
			db_error_line(pg, line, sizeof line);
		log_msg(LOG_WARNING, "report database unavailable at login, reading from the primary: %s", line);
		PQfinish(pg);
		/* Keep its parameters for the session's own reconnection: a
		 * connection started (and dropped at once by db_session_new). */
		pg = connect_to(report_dsn, db_session_user(primary), db_session_param(primary, "password"), dbname,
		                timeout, 0);
		if (!pg)
			return NULL;
		r = x_calloc(1, sizeof *r);
		r->tried = 1;
		r->was_down = 1;
	} else {
		r = x_calloc(1, sizeof *r);
		r->tried = 1;
	}
	r->max_lag = max_lag;
	r->fallback_lag = fallback_lag;
	r->in_recovery = -1;
	r->logged = REPLICA_FRESH;
	r->s = db_session_new(pg, reconnect_max);
	db_session_on_state(r->s, on_state, r);
	if (db_session_state(r->s) == DB_READY)
		queue_check(r);
	return r;
}

void replica_free(replica *r)
{
	if (!r)
		return;
	db_session_free(r->s);
	free(r);
}

db_session *replica_session(const replica *r)
{
	return r ? r->s : NULL;
}

void replica_on_change(replica *r, void (*fn)(void *ctx), void *ctx)
{
	if (!r)
		return;
	r->change_fn = fn;
	r->change_ctx = ctx;
}

replica_state replica_state_now(const replica *r, double *lag)
{
	if (lag)
		*lag = r && r->lag.known ? r->lag.seconds : 0;
	return r ? decide(r) : REPLICA_NONE;
}

db_session *replica_route(replica *r, db_session *primary)
{
	int primary_up = primary && db_session_state(primary) == DB_READY;
	int standby_up = r && db_session_state(r->s) == DB_READY;

	if (standby_up && (replica_state_reads_there(decide(r)) || !primary_up))
		return r->s;
	if (primary_up)
		return primary;
	return NULL;
}

void replica_check(replica *r)
{
	if (!r || r->checking || db_session_state(r->s) != DB_READY)
		return;
	queue_check(r);
}

int replica_checking(const replica *r)
{
	return r && r->checking;
}

int replica_in_recovery(const replica *r)
{
	return r ? r->in_recovery : -1;
}
