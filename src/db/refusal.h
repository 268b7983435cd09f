/* db/refusal.h - the one place that turns a refusal into words for the
 * clerk.
 *
 * The database refuses with a SQLSTATE and, in the HINT, a machine-readable
 * reason ("reason:text_short:reply_body:2", see doc/sql-interface.md); the
 * session copies both into the db_reply.  refusal_text() picks the sentence
 * by the reason's code (src/db/refusals.def), else by the SQLSTATE (its
 * class), else a general one - never by reading the English message, which
 * belongs in the log.  A connection that cannot be made has no SQLSTATE:
 * refusal_connect_text() reads libpq's message there, and only there.
 *
 * No libpq here (the unit tests link this file alone): everything comes in
 * as strings.  Every function writes one complete, translated sentence into
 * buf (cut at a character boundary when len is too small) and returns buf.
 */
#ifndef HALLTERM_DB_REFUSAL_H
#define HALLTERM_DB_REFUSAL_H

#include <stddef.h>

#include "db/session.h"

/* The sentence for a reply that is not DB_OK: DB_FAILED by its reason or
 * SQLSTATE; DB_LOST (done or not is unknown: reload); DB_OFFLINE (nothing
 * was done).  "" for DB_OK. */
const char *refusal_text(const db_reply *r, char *buf, size_t len);

/* The same from the parts: sqlstate "" when none, reason the HINT without
 * its "reason:" prefix ("" or NULL when none), e.g. "extension_days:1:10".
 * A reason with an unknown code, or with fewer arguments than its sentence
 * needs, is ignored (the SQLSTATE decides). */
const char *refusal_sentence(db_status status, const char *sqlstate, const char *reason, char *buf,
                             size_t len);

/* 1 when reason's code (the part before the first ':') has a sentence. */
int refusal_known(const char *reason);

/* Why a connection could not be made (or was lost), from libpq's message. */
typedef enum refusal_conn {
	REFUSAL_CONN_PASSWORD_NEEDED, /* the server wants a password none was given for */
	REFUSAL_CONN_BAD_LOGIN,       /* wrong password or unknown user: never says which */
	REFUSAL_CONN_NOT_ALLOWED,     /* the role may not log in (disabled) */
	REFUSAL_CONN_HOST_REFUSED,    /* pg_hba.conf has no entry for this host/user */
	REFUSAL_CONN_SSL,             /* SSL required by one side, not offered by the other */
	REFUSAL_CONN_NO_DATABASE,     /* the database does not exist */
	REFUSAL_CONN_TOO_MANY,        /* too many connections */
	REFUSAL_CONN_STARTING,        /* the server is starting up, shutting down, recovering */
	REFUSAL_CONN_UNREACHABLE,     /* not running, no route, no such socket, timeout */
	REFUSAL_CONN_LOST,            /* an established connection ended */
	REFUSAL_CONN_OTHER,
} refusal_conn;

/* Classify libpq's connection error text (PQerrorMessage, or one line of
 * it; English or libpq's and the server's zh_CN translations).
 * needs_password: PQconnectionNeedsPassword() said so. */
refusal_conn refusal_connect_kind(const char *libpq_message, int needs_password);

/* The sentence for a failed connection: server is where it points
 * (db_conninfo_describe), will_retry says whether the program tries again
 * by itself (a session reconnecting) or waits for the clerk (the login
 * screen: Enter).  Wrong password and unknown user get the same words. */
const char *refusal_connect_text(const char *libpq_message, int needs_password, const char *server,
                                 int will_retry, char *buf, size_t len);

#endif
