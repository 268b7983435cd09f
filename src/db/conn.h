/* db/conn.h - connecting to the hall database and running one statement.
 *
 * libpq only, no curses.  Used by both programs: hallctl runs its few
 * statements through db_exec(); hallterm's session layer builds on
 * db_connect() and db_error_line().  Errors are one line in a buffer the
 * caller owns, in the database's own words (its primary message, and the
 * SQLSTATE so a caller can tell a refusal from a lost connection).
 */
#ifndef HALLTERM_DB_CONN_H
#define HALLTERM_DB_CONN_H

#include <stddef.h>
#include <libpq-fe.h>

/* Connect with a conninfo string or URI (NULL or "" means: the PG*
 * environment, PGSERVICE, ~/.pgpass), optionally overriding user and
 * password (NULL: keep), with a connect timeout in seconds (0: libpq's).
 * Returns the connection, or NULL with a one-line reason in err; sets
 * *needs_password (if not NULL) when the server asked for a password that
 * was not given, so an interactive caller can ask for one and retry. */
PGconn *db_connect(const char *conninfo, const char *user, const char *password,
                   int connect_timeout, int *needs_password, char *err, size_t errlen);

/* db_connect, with server options (libpq's options=, "-c name=value ...")
 * added to those of conninfo or PGOPTIONS. */
PGconn *db_connect_with(const char *conninfo, const char *user, const char *password, int connect_timeout,
                        const char *options, int *needs_password, char *err, size_t errlen);

/* Checks that conninfo parses (URI or key=value) without connecting;
 * returns 0, or -1 with the reason in err. */
int db_check_conninfo(const char *conninfo, char *err, size_t errlen);

/* The first line of the connection's last error, trimmed. */
const char *db_error_line(PGconn *pg, char *buf, size_t n);

/* One line for a failed result: "message (SQLSTATE xxxxx)". */
const char *db_result_error(const PGresult *res, char *buf, size_t n);

/* The SQLSTATE of a failed result ("" if none). */
const char *db_sqlstate(const PGresult *res);

/* Run one parameterised statement.  Returns the result (caller PQclear()s)
 * when it succeeded, or NULL with the reason in err. */
PGresult *db_exec(PGconn *pg, const char *sql, int nparams, const char *const *params,
                  char *err, size_t errlen);

/* Like db_exec() for statements whose rows nobody reads: 0 or -1. */
int db_command(PGconn *pg, const char *sql, int nparams, const char *const *params,
               char *err, size_t errlen);

#endif
