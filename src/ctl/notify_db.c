/* ctl/notify_db.c - the outbox statements of the dispatcher; see notify_db.h. */
#include "ctl/notify_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "db/conn.h"

int ndb_session(PGconn *pg, const char *worker, int listen, char *err, size_t errlen)
{
	char name[64];
	const char *params[1] = { name };

	/* application_name is cut at 63 bytes by the server anyway. */
	snprintf(name, sizeof name, "hallctl notify %s", worker);
	if (db_command(pg, "SELECT pg_catalog.set_config('application_name', $1, false)",
	               1, params, err, errlen) < 0)
		return -1;
	if (listen && db_command(pg, "LISTEN hall_outbox", 0, NULL, err, errlen) < 0)
		return -1;
	return 0;
}

int ndb_claim_rows(PGconn *pg, const char *worker, int batch, int lease_seconds,
                   ndb_claim *out, char *err, size_t errlen)
{
	char b[16], l[16];
	const char *params[3] = { worker, b, l };
	PGresult *res;
	int n;

	memset(out, 0, sizeof *out);
	snprintf(b, sizeof b, "%d", batch);
	snprintf(l, sizeof l, "%d", lease_seconds);
	res = db_exec(pg,
		"SELECT id, key, payload::text, attempts, recipient"
		"  FROM hall.outbox_claim($1, $2::int, $3::int) ORDER BY id",
		3, params, err, errlen);
	if (!res)
		return -1;
	n = PQntuples(res);
	out->res = res;
	out->n = n;
	out->rows = x_calloc((size_t)n, sizeof *out->rows);
	for (int i = 0; i < n; i++) {
		out->rows[i].id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		out->rows[i].key = PQgetvalue(res, i, 1);
		out->rows[i].payload = PQgetvalue(res, i, 2);
		out->rows[i].attempts = atoi(PQgetvalue(res, i, 3));
		out->rows[i].recipient = PQgetvalue(res, i, 4);
	}
	return 0;
}

void ndb_claim_free(ndb_claim *c)
{
	PQclear(c->res);
	free(c->rows);
	memset(c, 0, sizeof *c);
}

int ndb_sent(PGconn *pg, long long id, const char *worker, long status,
             char *verdict, size_t vlen, char *err, size_t errlen)
{
	char ids[32], st[16];
	const char *params[3] = { ids, worker, st };
	PGresult *res;

	snprintf(ids, sizeof ids, "%lld", id);
	snprintf(st, sizeof st, "%ld", status);
	res = db_exec(pg, "SELECT hall.outbox_sent($1::bigint, $2, $3::int)", 3, params, err, errlen);
	if (!res)
		return -1;
	snprintf(verdict, vlen, "%s", PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return 0;
}

static int bool_result(PGresult *res, int *applied)
{
	*applied = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return 0;
}

int ndb_retry(PGconn *pg, long long id, const char *worker, long status, const char *error,
              long delay_ms, int *applied, char *err, size_t errlen)
{
	char ids[32], st[16], delay[32];
	const char *params[5] = { ids, worker, status > 0 ? st : NULL, error, delay };
	PGresult *res;

	snprintf(ids, sizeof ids, "%lld", id);
	snprintf(st, sizeof st, "%ld", status);
	snprintf(delay, sizeof delay, "%ld", delay_ms);
	res = db_exec(pg,
		"SELECT hall.outbox_retry($1::bigint, $2, $3::int, $4,"
		"                         hall.now() + $5::bigint * interval '1 millisecond')",
		5, params, err, errlen);
	if (!res)
		return -1;
	return bool_result(res, applied);
}

int ndb_failed(PGconn *pg, long long id, const char *worker, long status, const char *error,
               const char *response, int *applied, char *err, size_t errlen)
{
	char ids[32], st[16];
	const char *params[5] = { ids, worker, status > 0 ? st : NULL, error, response };
	PGresult *res;

	snprintf(ids, sizeof ids, "%lld", id);
	snprintf(st, sizeof st, "%ld", status);
	res = db_exec(pg, "SELECT hall.outbox_failed($1::bigint, $2, $3::int, $4, $5)",
	              5, params, err, errlen);
	if (!res)
		return -1;
	return bool_result(res, applied);
}

int ndb_next_due(PGconn *pg, double *seconds, int *none, char *err, size_t errlen)
{
	PGresult *res = db_exec(pg, "SELECT hall.outbox_next_due()", 0, NULL, err, errlen);

	if (!res)
		return -1;
	*none = PQntuples(res) != 1 || PQgetisnull(res, 0, 0);
	*seconds = *none ? 0.0 : strtod(PQgetvalue(res, 0, 0), NULL);
	PQclear(res);
	return 0;
}

int ndb_mode(PGconn *pg, char *mode, size_t modelen, char *quiet_start, char *quiet_end,
             size_t qlen, char *err, size_t errlen)
{
	PGresult *res = db_exec(pg,
		"SELECT hall.mode(), coalesce(hall.setting('quiet_start'), ''),"
		"       coalesce(hall.setting('quiet_end'), '')",
		0, NULL, err, errlen);

	if (!res)
		return -1;
	snprintf(mode, modelen, "%s", PQgetvalue(res, 0, 0));
	snprintf(quiet_start, qlen, "%s", PQgetvalue(res, 0, 1));
	snprintf(quiet_end, qlen, "%s", PQgetvalue(res, 0, 2));
	PQclear(res);
	return 0;
}
