/* db/conn.c - connect and run one statement; see conn.h. */
#include "db/conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/xalloc.h"

/* libpq's messages span lines ("connection to server ... failed: FATAL: ...");
 * a status line has room for one, so keep the most telling line. */
static void first_line(const char *msg, char *buf, size_t n)
{
	const char *s = msg ? msg : "";
	const char *best = s;
	size_t len;

	if (n == 0)
		return;
	/* "connection to server on socket ... failed: " is noise before the
	 * real reason on the same line; keep what follows the last "failed: ". */
	const char *f = strstr(s, "failed: ");
	const char *nl = strchr(s, '\n');
	if (f && (!nl || f < nl))
		best = f + strlen("failed: ");
	len = strcspn(best, "\n");
	while (len > 0 && (best[len - 1] == ' ' || best[len - 1] == '\r'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(buf, best, len);
	buf[len] = '\0';
}

const char *db_error_line(PGconn *pg, char *buf, size_t n)
{
	first_line(pg ? PQerrorMessage(pg) : _("out of memory"), buf, n);
	return buf;
}

int db_check_conninfo(const char *conninfo, char *err, size_t errlen)
{
	char *msg = NULL;
	PQconninfoOption *opts;

	if (!conninfo || !*conninfo)
		return 0;
	opts = PQconninfoParse(conninfo, &msg);
	if (!opts) {
		char line[256];
		first_line(msg ? msg : _("invalid connection string"), line, sizeof line);
		snprintf(err, errlen, _("bad connection string: %s"), line);
		PQfreemem(msg);
		return -1;
	}
	PQconninfoFree(opts);
	return 0;
}

/* The server options the connection would have (conninfo's options=, else
 * PGOPTIONS) followed by extra: "-c a=b -c c=d".  Newly allocated. */
static char *merged_options(const char *conninfo, const char *extra)
{
	const char *have = getenv("PGOPTIONS");
	PQconninfoOption *opts = NULL;
	char *out;

	if (conninfo && *conninfo && (opts = PQconninfoParse(conninfo, NULL)) != NULL)
		for (PQconninfoOption *o = opts; o->keyword; o++)
			if (strcmp(o->keyword, "options") == 0 && o->val && *o->val)
				have = o->val;
	out = have && *have ? x_asprintf("%s %s", have, extra) : x_strdup(extra);
	PQconninfoFree(opts);
	return out;
}

PGconn *db_connect(const char *conninfo, const char *user, const char *password,
                   int connect_timeout, int *needs_password, char *err, size_t errlen)
{
	return db_connect_with(conninfo, user, password, connect_timeout, NULL, needs_password, err, errlen);
}

PGconn *db_connect_with(const char *conninfo, const char *user, const char *password, int connect_timeout,
                        const char *options, int *needs_password, char *err, size_t errlen)
{
	const char *keys[12];
	const char *vals[12];
	char timeout[16];
	char *merged = NULL;
	int k = 0, first;
	PGconn *pg;

	if (needs_password)
		*needs_password = 0;
	if (db_check_conninfo(conninfo, err, errlen) < 0)
		return NULL;
	/* A window PC behind a flaky network would otherwise notice a silent
	 * drop only after the kernel's two hours.  These come before dbname,
	 * so the conninfo can still override them; sockets ignore them. */
	keys[k] = "keepalives";
	vals[k++] = "1";
	keys[k] = "keepalives_idle";
	vals[k++] = "30";
	keys[k] = "keepalives_interval";
	vals[k++] = "10";
	keys[k] = "keepalives_count";
	vals[k++] = "3";
	/* dbname is expanded as a full conninfo/URI; later keys override it. */
	first = k;
	keys[k] = "dbname";
	vals[k++] = conninfo && *conninfo ? conninfo : NULL;
	if (user && *user) {
		keys[k] = "user";
		vals[k++] = user;
	}
	if (password) {
		keys[k] = "password";
		vals[k++] = password;
	}
	if (connect_timeout > 0) {
		snprintf(timeout, sizeof timeout, "%d", connect_timeout);
		keys[k] = "connect_timeout";
		vals[k++] = timeout;
	}
	keys[k] = "application_name";
	vals[k++] = "hallterm";
	/* In the startup packet, not a SET afterwards: no round trip. */
	keys[k] = "client_encoding";
	vals[k++] = "UTF8";
	if (options && *options) {
		merged = merged_options(conninfo, options);
		keys[k] = "options";
		vals[k++] = merged;
	}
	keys[k] = NULL;
	vals[k] = NULL;
	if (!vals[first]) {
		/* An empty dbname entry would stop expansion; drop it. */
		memmove(keys + first, keys + first + 1, (size_t)(k - first) * sizeof keys[0]);
		memmove(vals + first, vals + first + 1, (size_t)(k - first) * sizeof vals[0]);
	}
	pg = PQconnectdbParams(keys, vals, 1);
	free(merged);
	if (pg && PQstatus(pg) == CONNECTION_OK)
		return pg;
	if (needs_password && pg && PQconnectionNeedsPassword(pg) && !password)
		*needs_password = 1;
	{
		char line[512];
		db_error_line(pg, line, sizeof line);
		snprintf(err, errlen, _("cannot connect: %s"), line);
	}
	PQfinish(pg);
	return NULL;
}

const char *db_sqlstate(const PGresult *res)
{
	const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	return s ? s : "";
}

const char *db_result_error(const PGresult *res, char *buf, size_t n)
{
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = db_sqlstate(res);
	char line[512];

	if (!primary)
		primary = res ? PQresultErrorMessage(res) : _("no result from the server");
	first_line(primary, line, sizeof line);
	if (*state)
		snprintf(buf, n, "%s (SQLSTATE %s)", line, state);
	else
		snprintf(buf, n, "%s", line);
	return buf;
}

PGresult *db_exec(PGconn *pg, const char *sql, int nparams, const char *const *params,
                  char *err, size_t errlen)
{
	PGresult *res = PQexecParams(pg, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	if (res)
		db_result_error(res, err, errlen);
	else
		db_error_line(pg, err, errlen);
	PQclear(res);
	return NULL;
}

int db_command(PGconn *pg, const char *sql, int nparams, const char *const *params,
               char *err, size_t errlen)
{
	PGresult *res = db_exec(pg, sql, nparams, params, err, errlen);
	if (!res)
		return -1;
	PQclear(res);
	return 0;
}
