/* ctl/notify_db.h - the dispatcher's side of hall.outbox (schema/008).
 *
 * Every statement is one call of a schema/008 function, parameterised;
 * the caller never builds SQL.  All return 0, or -1 with the database's
 * reason in err (PQstatus() then tells a lost connection from a refusal).
 */
#ifndef HALLTERM_CTL_NOTIFY_DB_H
#define HALLTERM_CTL_NOTIFY_DB_H

#include <stddef.h>
#include <libpq-fe.h>

/* One claimed row; the strings point into the claim's result. */
typedef struct ndb_row {
	long long id;
	int attempts;         /* including this claim */
	const char *key;      /* the Idempotency-Key */
	const char *payload;  /* JSON text, posted as is */
	const char *recipient;
} ndb_row;

typedef struct ndb_claim {
	PGresult *res;
	ndb_row *rows;
	int n;
} ndb_claim;

/* Name the session (pg_stat_activity) and, if listen, LISTEN hall_outbox. */
int ndb_session(PGconn *pg, const char *worker, int listen, char *err, size_t errlen);

/* hall.outbox_claim(worker, batch, lease_seconds).  Free with ndb_claim_free. */
int ndb_claim_rows(PGconn *pg, const char *worker, int batch, int lease_seconds,
                   ndb_claim *out, char *err, size_t errlen);
void ndb_claim_free(ndb_claim *c);

/* hall.outbox_sent: verdict receives "sent", "sent_late", "already_sent"
 * or "unknown". */
int ndb_sent(PGconn *pg, long long id, const char *worker, long status,
             char *verdict, size_t vlen, char *err, size_t errlen);

/* hall.outbox_retry at hall.now() + delay_ms; *applied is 0 when the lease
 * had passed to another worker.  status 0 is stored as NULL. */
int ndb_retry(PGconn *pg, long long id, const char *worker, long status, const char *error,
              long delay_ms, int *applied, char *err, size_t errlen);

/* hall.outbox_failed; response may be NULL. */
int ndb_failed(PGconn *pg, long long id, const char *worker, long status, const char *error,
               const char *response, int *applied, char *err, size_t errlen);

/* Seconds until the next row is due (<= 0: now); *none when nothing waits. */
int ndb_next_due(PGconn *pg, double *seconds, int *none, char *err, size_t errlen);

/* hall.mode() and the quiet hours of hall.settings ("HH:MM"). */
int ndb_mode(PGconn *pg, char *mode, size_t modelen, char *quiet_start, char *quiet_end,
             size_t qlen, char *err, size_t errlen);

#endif
