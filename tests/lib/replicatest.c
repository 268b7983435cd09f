/* replicatest - hallterm's report path without a screen, for
 * tests/integration/replica_test.sh: the primary session and the report
 * database of db/replica.c, driven one command a line on stdin, one line
 * of answer each on stdout.
 *
 *   replicatest PRIMARY_DSN REPORT_DSN USER PASSWORD [MAX_LAG FALLBACK_LAG]
 *
 * The primary is opened as the login screen opens it (user and password
 * given apart from the DSN), the report database with replica_open(), so
 * it logs in with the password typed for the primary.  Commands:
 *
 *   read FROM TO       the department's figures of hall.timeliness_department
 *                      read through replica_route() as a screen reads them
 *                      (a standby's recovery conflict read again on the
 *                      primary, as app_report_again() has the screens do):
 *                      "route=replica|primary recovery=t|f port=N
 *                      completed=N retried=0|1 state=S note=TEXT"
 *   slowread SECONDS   the same route, a read that holds a lock on
 *                      public.conflict_probe for SECONDS (to be cancelled
 *                      by the replay): same answer, completed= the rows
 *   wait-replica SECS  "ok" once the report database is connected, else "timeout"
 *   wait-down SECS     "ok" once it is known to be down
 *   wait-primary SECS  "ok" once the primary is connected (and answers)
 *   wait-primary-down SECS  "ok" once the primary is known to be down
 *   every FROM TO MONTH  every read the report screens route (db/supervise,
 *                      scorecard, ratings, receive: figures, drill-downs,
 *                      exports) on the route, which must be the standby:
 *                      "route=replica every=N failed=0" or the first that
 *                      failed ("failed=NAME:SQLSTATE": one that writes)
 *   where              where the primary session is: "port=N recovery=t|f read_only=on|off"
 *   state              "primary=ready|down|connecting replica=... state=S note=TEXT"
 *   quit
 *
 * The note is replica_note() in the catalogue of the environment
 * (LANGUAGE=zh_CN: 报表库不可用，数据取自主库).
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "db/ratings.h"
#include "db/receive.h"
#include "db/replica.h"
#include "db/scorecard.h"
#include "db/session.h"
#include "db/supervise.h"

static db_session *primary;
static replica *rep;

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static const char *state_word(db_session *s)
{
	if (!s)
		return "none";
	switch (db_session_state(s)) {
	case DB_READY:
		return "ready";
	case DB_CONNECTING:
		return "connecting";
	default:
		return "down";
	}
}

static const char *rstate_word(replica_state st)
{
	static const char *const w[] = { "none", "waiting", "fresh", "behind", "too_far", "down" };
	return w[st];
}

/* Let both sessions do what they can for ms milliseconds (their sockets
 * polled, their timers kept): the event loop of the terminal, reduced. */
static void pump(int ms)
{
	long long end = now_ms() + ms;

	do {
		db_session *ss[2] = { primary, replica_session(rep) };
		struct pollfd p[2];
		int n = 0, t = 50;
		for (int i = 0; i < 2; i++) {
			if (!ss[i])
				continue;
			db_session_process(ss[i]);
			int to = db_session_timeout_ms(ss[i]);
			if (to >= 0 && to < t)
				t = to;
			int fd = db_session_fd(ss[i]), ev = db_session_events(ss[i]);
			if (fd < 0)
				continue;
			p[n].fd = fd;
			p[n].events = (short)(((ev & DB_WANT_READ) ? POLLIN : 0) | ((ev & DB_WANT_WRITE) ? POLLOUT : 0));
			p[n].revents = 0;
			n++;
		}
		poll(p, (nfds_t)n, t);
		for (int i = 0; i < 2; i++)
			if (ss[i])
				db_session_process(ss[i]);
	} while (now_ms() < end);
}

/* Pump until nothing is pending on either session (or ms passed). */
static void settle(int ms)
{
	long long end = now_ms() + ms;

	while (now_ms() < end) {
		pump(20);
		if ((!primary || !db_session_pending(primary))
		    && (!replica_session(rep) || !db_session_pending(replica_session(rep))) && !replica_checking(rep))
			return;
	}
}

static void note(char *buf, size_t n)
{
	double lag;
	replica_state st = replica_state_now(rep, &lag);
	db_session *route = replica_route(rep, primary);

	replica_note(st, lag, route && route == replica_session(rep), buf, n);
}

typedef struct answer {
	int done;
	db_status status;
	char sqlstate[6];
	char recovery[4], port[16], completed[32];
} answer;

static void where_answered(void *ctx, const db_reply *reply)
{
	answer *a = ctx;

	if (reply->status == DB_OK && reply->rows->nrows == 1) {
		snprintf(a->recovery, sizeof a->recovery, "%s", db_rows_get(reply->rows, 0, 0));
		snprintf(a->port, sizeof a->port, "%s", db_rows_get(reply->rows, 0, 1));
	}
}

static void figures_answered(void *ctx, db_rows *rows, const db_reply *reply)
{
	answer *a = ctx;

	a->done = 1;
	a->status = reply->status;
	snprintf(a->sqlstate, sizeof a->sqlstate, "%s", reply->sqlstate ? reply->sqlstate : "");
	if (rows && rows->nrows >= 1)
		snprintf(a->completed, sizeof a->completed, "%s", db_rows_get(rows, 0, SUP_DEPT_FIRST + SUP_COMPLETED));
	db_rows_free(rows);
}

static void slow_answered(void *ctx, const db_reply *reply)
{
	answer *a = ctx;

	a->done = 1;
	a->status = reply->status;
	snprintf(a->sqlstate, sizeof a->sqlstate, "%s", reply->sqlstate ? reply->sqlstate : "");
	if (reply->status == DB_OK && reply->rows->nrows == 1)
		snprintf(a->completed, sizeof a->completed, "%s", db_rows_get(reply->rows, 0, 0));
}

/* One read on s: where it was answered, then the figure (or the slow
 * read), both on the same connection. */
static void read_on(db_session *s, const char *from, const char *to, const char *slow, answer *a)
{
	static const char where[] = "SELECT pg_is_in_recovery(), current_setting('port')";

	memset(a, 0, sizeof *a);
	snprintf(a->recovery, sizeof a->recovery, "?");
	snprintf(a->port, sizeof a->port, "?");
	snprintf(a->completed, sizeof a->completed, "?");
	if (db_session_query(s, where, 0, NULL, where_answered, a) < 0) {
		a->done = 1;
		a->status = DB_OFFLINE;
		return;
	}
	if (slow) {
		const char *p[1] = { slow };
		db_session_query(s, "SELECT count(*) FROM (SELECT pg_sleep($1::float8) FROM public.conflict_probe) x", 1, p,
		                 slow_answered, a);
	} else {
		sup_department(s, from, to, figures_answered, a);
	}
	long long end = now_ms() + 30000;
	while (!a->done && now_ms() < end)
		pump(20);
}

static void cmd_read(const char *from, const char *to, const char *slow)
{
	answer a;
	db_session *s;
	int retried = 0;
	char buf[256];

	/* As a screen's load: whatever the sockets say first, then the lag. */
	pump(50);
	replica_check(rep);
	settle(5000);
	s = replica_route(rep, primary);
	if (!s) {
		note(buf, sizeof buf);
		printf("route=none state=%s note=%s\n", rstate_word(replica_state_now(rep, NULL)), buf);
		return;
	}
	read_on(s, from, to, slow, &a);
	if (a.status != DB_OK && s == replica_session(rep)) {
		db_reply r = { .status = a.status, .sqlstate = a.sqlstate, .reason = "", .error = "" };
		/* As app_report_again(): a conflict, or the standby gone. */
		if (replica_is_conflict(&r) || ((a.status == DB_LOST || a.status == DB_OFFLINE)
		                                && db_session_state(replica_session(rep)) != DB_READY)) {
			fprintf(stderr, "replicatest: the standby said %s (%s): reading again on the primary\n",
			        a.status == DB_FAILED ? "no" : "nothing", a.sqlstate);
			retried = 1;
			s = primary;
			read_on(s, from, to, slow, &a);
		}
	}
	note(buf, sizeof buf);
	if (a.status != DB_OK)
		printf("route=%s failed=%d sqlstate=%s retried=%d state=%s note=%s\n",
		       s == primary ? "primary" : "replica", (int)a.status, a.sqlstate, retried,
		       rstate_word(replica_state_now(rep, NULL)), buf);
	else
		printf("route=%s recovery=%s port=%s completed=%s retried=%d state=%s note=%s\n",
		       s == primary ? "primary" : "replica", a.recovery, a.port, a.completed, retried,
		       rstate_word(replica_state_now(rep, NULL)), buf);
}

static void where_primary(void *ctx, const db_reply *reply)
{
	int *done = ctx;

	*done = 1;
	if (reply->status == DB_OK && reply->rows->nrows == 1)
		printf("port=%s recovery=%s read_only=%s\n", db_rows_get(reply->rows, 0, 0), db_rows_get(reply->rows, 0, 1),
		       db_rows_get(reply->rows, 0, 2));
	else
		printf("failed=%d\n", (int)reply->status);
}

static void cmd_where(void)
{
	int done = 0;
	long long end = now_ms() + 10000;

	if (db_session_query(primary,
	                     "SELECT current_setting('port'), pg_is_in_recovery(), current_setting('transaction_read_only')",
	                     0, NULL, where_primary, &done) < 0) {
		printf("failed=offline\n");
		return;
	}
	while (!done && now_ms() < end)
		pump(20);
	if (!done)
		printf("timeout\n");
}

/* ---- every read routed to the report database -------------------------- */

typedef struct every {
	int answered, failed;
	char first[128];
	const char *name;     /* of the read being queued */
} every;

static void every_note(every *e, const char *name, const db_reply *reply)
{
	e->answered++;
	if (reply->status != DB_OK && !e->failed++)
		snprintf(e->first, sizeof e->first, "%s:%s", name, reply->sqlstate && *reply->sqlstate ? reply->sqlstate : "-");
}

typedef struct every_call {
	every *e;
	const char *name;
} every_call;

static every_call calls[64];
static int ncalls;

static every_call *call_of(every *e, const char *name)
{
	every_call *c = &calls[ncalls++ % 64];

	c->e = e;
	c->name = name;
	return c;
}

static void rows_done(void *ctx, db_rows *rows, const db_reply *reply)
{
	every_call *c = ctx;

	db_rows_free(rows);
	every_note(c->e, c->name, reply);
}

static void list_done(void *ctx, rating_list *l, const db_reply *reply)
{
	every_call *c = ctx;

	rating_list_free(l);
	every_note(c->e, c->name, reply);
}

static void reply_done(void *ctx, const db_reply *reply)
{
	every_call *c = ctx;

	every_note(c->e, c->name, reply);
}

static void cmd_every(const char *from, const char *to, const char *month)
{
	static const char *const sup_exports[] = { "clerks", "windows", "daily", "items", "ratings" };
	static const char *const sc_exports[] = { "scorecard", "platform" };
	every e = { 0 };
	int queued = 0;
	db_session *s;
	FILE *null = fopen("/dev/null", "w");
	long long end;

	pump(50);
	s = replica_route(rep, primary);
	if (!s || s != replica_session(rep) || !null) {
		printf("route=%s\n", s == primary ? "primary" : "none");
		if (null)
			fclose(null);
		return;
	}
	/* timeliness.c, deptratings.c */
	queued += sup_clerks(s, from, to, rows_done, call_of(&e, "timeliness_clerks")) == 0;
	queued += sup_windows(s, from, to, rows_done, call_of(&e, "timeliness_windows")) == 0;
	queued += sup_department(s, from, to, rows_done, call_of(&e, "timeliness_department")) == 0;
	queued += sup_daily(s, from, to, rows_done, call_of(&e, "timeliness_daily")) == 0;
	queued += sup_cards(s, from, to, rows_done, call_of(&e, "card_counts")) == 0;
	queued += sup_items(s, from, to, 0, "", rows_done, call_of(&e, "timeliness_items")) == 0;
	queued += sup_ratings(s, from, to, rows_done, call_of(&e, "department_ratings")) == 0;
	queued += ratings_of(s, 0, from, to, 50, list_done, call_of(&e, "ratings_of")) == 0;
	/* scorecard.c, frontdesk.c */
	queued += scorecard_windows(s, month, rows_done, call_of(&e, "scorecard_windows")) == 0;
	queued += scorecard_clerks(s, month, rows_done, call_of(&e, "scorecard_clerks")) == 0;
	queued += scorecard_closed(s, month, rows_done, call_of(&e, "scorecard_closed")) == 0;
	queued += scorecard_platform(s, month, rows_done, call_of(&e, "platform_figures")) == 0;
	queued += receive_desk_counts(s, month, rows_done, call_of(&e, "front_desk_counts")) == 0;
	/* E on those screens */
	for (size_t i = 0; i < sizeof sup_exports / sizeof *sup_exports; i++)
		queued += sup_export(s, sup_exports[i], from, to, null, reply_done, call_of(&e, sup_exports[i])) == 0;
	for (size_t i = 0; i < sizeof sc_exports / sizeof *sc_exports; i++)
		queued += scorecard_export(s, sc_exports[i], month, null, reply_done, call_of(&e, sc_exports[i])) == 0;
	end = now_ms() + 30000;
	while (e.answered < queued && now_ms() < end)
		pump(20);
	fclose(null);
	if (e.failed)
		printf("route=replica every=%d failed=%s\n", queued, e.first);
	else
		printf("route=replica every=%d failed=0 answered=%d\n", queued, e.answered);
}

/* Wait (pumping) until cond() holds or secs passed. */
static void wait_for(int (*cond)(void), int secs)
{
	long long end = now_ms() + secs * 1000LL;

	while (now_ms() < end) {
		pump(50);
		if (cond()) {
			printf("ok\n");
			return;
		}
	}
	printf("timeout\n");
}

static int replica_up(void)
{
	return db_session_state(replica_session(rep)) == DB_READY && !replica_checking(rep);
}
static int replica_down(void)
{
	return replica_state_now(rep, NULL) == REPLICA_DOWN;
}
static int primary_up(void)
{
	return db_session_state(primary) == DB_READY;
}
static int primary_down(void)
{
	/* A dead server is noticed at the next statement or at its goodbye. */
	if (db_session_state(primary) == DB_READY && !db_session_pending(primary))
		db_session_query(primary, "SELECT 1", 0, NULL, NULL, NULL);
	return db_session_state(primary) != DB_READY;
}

int main(int argc, char **argv)
{
	char line[256], err[512];
	int needs = 0, max_lag = 5, fallback = 60;

	i18n_init("hallterm");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 5 && argc != 7) {
		fprintf(stderr, "usage: replicatest PRIMARY_DSN REPORT_DSN USER PASSWORD [MAX_LAG FALLBACK_LAG]\n");
		return 2;
	}
	if (argc == 7) {
		max_lag = atoi(argv[5]);
		fallback = atoi(argv[6]);
	}
	primary = db_session_open(argv[1], argv[3], argv[4], 5, 1, &needs, err, sizeof err);
	if (!primary) {
		fprintf(stderr, "replicatest: %s\n", err);
		return 1;
	}
	rep = replica_open(primary, argv[2], 5, 1, max_lag, fallback);
	printf("started primary=%s replica=%s\n", state_word(primary), state_word(replica_session(rep)));
	while (fgets(line, sizeof line, stdin)) {
		char cmd[32] = "", a1[64] = "", a2[64] = "";
		if (sscanf(line, "%31s %63s %63s", cmd, a1, a2) < 1)
			continue;
		if (!strcmp(cmd, "quit"))
			break;
		if (!strcmp(cmd, "read")) {
			cmd_read(a1, a2, NULL);
		} else if (!strcmp(cmd, "slowread")) {
			cmd_read("", "", a1);
		} else if (!strcmp(cmd, "wait-replica")) {
			wait_for(replica_up, atoi(a1));
		} else if (!strcmp(cmd, "wait-down")) {
			wait_for(replica_down, atoi(a1));
		} else if (!strcmp(cmd, "wait-primary")) {
			wait_for(primary_up, atoi(a1));
		} else if (!strcmp(cmd, "wait-primary-down")) {
			wait_for(primary_down, atoi(a1));
		} else if (!strcmp(cmd, "every")) {
			char a3[64] = "";
			sscanf(line, "%*s %*s %*s %63s", a3);
			cmd_every(a1, a2, a3);
		} else if (!strcmp(cmd, "where")) {
			cmd_where();
		} else if (!strcmp(cmd, "state")) {
			char buf[256];
			pump(50);
			note(buf, sizeof buf);
			printf("primary=%s replica=%s state=%s note=%s\n", state_word(primary),
			       state_word(replica_session(rep)), rstate_word(replica_state_now(rep, NULL)), buf);
		} else {
			printf("unknown command %s\n", cmd);
		}
	}
	replica_free(rep);
	db_session_free(primary);
	return 0;
}
