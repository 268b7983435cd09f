/* db/replica.h - the supervisors' reads from a streaming hot standby.
 *
 * [database] report_dsn names a physical standby of the hall database
 * (doc/replica.md).  The terminal then keeps a second db_session there,
 * logged in as the same person with the same password (a physical standby
 * has the primary's roles), and the report screens read their figures and
 * stream their exports through replica_route():
 *
 *   the standby, when it is connected and not too far behind;
 *   the primary otherwise (and the screen says why: replica_note());
 *   whichever of the two is connected when the other is not.
 *
 * Nothing that writes ever goes to the standby: a standby refuses it
 * anyway (SQLSTATE 25006), and the screens send every action to the
 * primary session.  LISTEN can't run on a standby either: the
 * notifications that reload a screen still come from the primary.
 *
 * How far behind: replica_check() queues one cheap query on the standby
 * (background), 0 when everything received has been replayed (an idle
 * primary sends nothing, so the last replayed commit may be old without
 * anything missing), else the age of the last replayed commit.  WAL that
 * carries no commit (a vacuum, a checkpoint) caught between received and
 * replayed would read as the whole quiet time before it, so a measurement
 * over max_lag is looked at again a quarter of a second later, and counts
 * as 0 when the replay has passed what was received at the first look (a
 * standby that keeps up); otherwise the second value is believed.  Over
 * max_lag the screens say "report database N s behind" and still read
 * there; over fallback_lag (0: never) they read from the primary and say
 * so.  The age is the standby's clock against the primary's commit times:
 * keep both on NTP.
 *
 * libpq only, no curses; the decisions (replica_decide, replica_lag_*,
 * replica_note, replica_is_conflict) are pure functions for the unit
 * tests. */
#ifndef HALLTERM_DB_REPLICA_H
#define HALLTERM_DB_REPLICA_H

#include <stddef.h>

#include "db/session.h"

typedef enum replica_state {
	REPLICA_NONE,    /* no report_dsn: everything on the primary, as ever */
	REPLICA_WAITING, /* its first connection is still being tried: the primary, nothing said */
	REPLICA_FRESH,   /* connected, at most max_lag behind: reads go there */
	REPLICA_BEHIND,  /* connected, over max_lag behind: reads still go there, said */
	REPLICA_TOO_FAR, /* over fallback_lag behind: reads on the primary, said */
	REPLICA_DOWN,    /* not connected: reads on the primary, said */
} replica_state;

/* ---- pure decisions ---------------------------------------------------- */

/* What is known of the standby's lag: measurements confirmed as above. */
typedef struct replica_lag {
	int known;        /* a confirmed value is in `seconds` */
	double seconds;   /* the confirmed lag */
	int pending_over; /* the last measurement was over max_lag, unconfirmed */
} replica_lag;

/* A new measurement (seconds >= 0; negative: unknown, e.g. NULL);
 * second_look: it is the look again asked for.  Returns 1 when it is
 * over max_lag and must be looked at again to be believed. */
int replica_lag_measured(replica_lag *l, double seconds, int max_lag, int second_look);
/* Forget everything (a new connection). */
void replica_lag_reset(replica_lag *l);

/* The state from the facts: configured (report_dsn set), st the standby
 * session's state, tried (an attempt to connect has finished, whatever
 * its outcome), the lag, the two thresholds (fallback_lag 0: never). */
replica_state replica_decide(int configured, db_state st, int tried, const replica_lag *lag, int max_lag,
                             int fallback_lag);

/* 1 when reads go to the standby in that state. */
int replica_state_reads_there(replica_state st);

/* The sentence a screen shows for the state, translated ("" for NONE,
 * WAITING and FRESH): DOWN "Report database unavailable: figures from the
 * primary" (报表库不可用，数据取自主库); BEHIND and TOO_FAR "Report database
 * N s behind" (报表库延迟 N 秒) when the reads still go there (reads_there:
 * replica_route() chose the standby), else "Report database N s behind:
 * figures from the primary" (报表库延迟 N 秒，数据取自主库).  Returns buf. */
const char *replica_note(replica_state st, double lag, int reads_there, char *buf, size_t n);

/* 1 when a failed read is the standby cancelling it for a conflict with
 * the replay (SQLSTATE 40001 "canceling statement due to conflict with
 * recovery"): a transient refusal to read again on the primary, never to
 * show. */
int replica_is_conflict(const db_reply *reply);

/* ---- the second session --------------------------------------------------- */

typedef struct replica replica;

/* Open report_dsn as the primary's user with its password (and its dbname
 * when report_dsn names none).  NULL when report_dsn is empty.  Waits at
 * most min(connect_timeout, 3) seconds; a standby that does not answer by
 * then is tried again in the background (db_session's backoff up to
 * reconnect_max), so it never holds up the login for long.  primary is
 * borrowed and must outlive the replica. */
replica *replica_open(db_session *primary, const char *report_dsn, int connect_timeout, int reconnect_max,
                      int max_lag, int fallback_lag);
void replica_free(replica *r);

/* The standby's session (the caller polls it like the primary's). */
db_session *replica_session(const replica *r);

/* Called when the state may have changed (the standby's connection, a
 * new lag); fn may be NULL. */
void replica_on_change(replica *r, void (*fn)(void *ctx), void *ctx);

/* Where a report read goes now: see above.  r may be NULL (the primary).
 * NULL when neither is connected. */
db_session *replica_route(replica *r, db_session *primary);

/* The state now (REPLICA_NONE for r NULL) and the confirmed lag (0 when
 * unknown) in *lag if not NULL. */
replica_state replica_state_now(const replica *r, double *lag);

/* Queue the lag query on the standby, unless one is on its way or the
 * standby is not connected (nothing to do for r NULL).  Call on every
 * reload of a report screen. */
void replica_check(replica *r);

/* 1 while a lag query is on its way. */
int replica_checking(const replica *r);

/* The standby answered its last lag query as a server in recovery (0: a
 * promoted standby, or report_dsn names a primary; -1 unknown). */
int replica_in_recovery(const replica *r);

#endif
