/* sessiontest - db/session.c's pipeline against a real server, for
 * tests/integration/session_test.sh.
 *
 *   sessiontest DSN USER PASSWORD
 *
 * Queues, all at once as the case screen does, a mix the session must
 * answer in order and each on its own: two named prepared statements (one
 * of them twice, so its PREPARE goes once), a refusal in the middle, a
 * read after it, a change (never pipelined: its notification flush follows
 * its success) and a read after the change.  Then, with a pipeline on the
 * wire, the server ends the connection (pg_terminate_backend from a second,
 * plain connection): every request sent must be answered DB_LOST and the
 * session must come back.  One line per callback on stdout, "batches N"
 * after each stage. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db/session.h"

typedef struct seen {
	const char *name;
} seen;

static void said(void *ctx, const db_reply *reply)
{
	const seen *w = ctx;
	const char *st = reply->status == DB_OK ? "ok" : reply->status == DB_FAILED ? "failed"
	                 : reply->status == DB_LOST ? "lost" : "offline";

	if (reply->status == DB_OK && reply->rows && reply->rows->nrows > 0)
		printf("%s %s %s\n", w->name, st, db_rows_get(reply->rows, 0, 0));
	else
		printf("%s %s %s\n", w->name, st, reply->status == DB_FAILED ? reply->sqlstate : "-");
}

static void adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	(void)any;
	said(ctx, reply);
}

static int wait_ready(db_session *s, int ms)
{
	for (int t = 0; t < ms; t += 50) {
		db_session_process(s);
		if (db_session_state(s) == DB_READY)
			return 0;
		poll(NULL, 0, 50);
	}
	return -1;
}

int main(int argc, char **argv)
{
	static const unsigned int4[1] = { 23 };
	static seen w[] = { { "p1" }, { "p2" }, { "bad" }, { "after_bad" }, { "p1_again" }, { "change" },
	                    { "after_change" }, { "pid" }, { "slow" }, { "lost1" }, { "lost2" }, { "back" } };
	const char *one[1] = { "41" }, *two[1] = { "7" };
	char err[256];
	int needs = 0;
	db_session *s;

	if (argc != 4) {
		fprintf(stderr, "usage: sessiontest DSN USER PASSWORD\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	s = db_session_open(argv[1], argv[2], argv[3], 10, 1, &needs, err, sizeof err);
	if (!s) {
		fprintf(stderr, "sessiontest: %s\n", err);
		return 1;
	}

	/* Stage 1: answered in order, each on its own. */
	db_session_call_prepared(s, "t_plus_one", "SELECT $1::int + 1", 1, int4, one, adapt, (db_any_fn)said, &w[0]);
	db_session_call_prepared(s, "t_times_two", "SELECT $1::int * 2", 1, int4, two, adapt, (db_any_fn)said, &w[1]);
	db_session_query(s, "SELECT 1 / 0", 0, NULL, said, &w[2]);
	db_session_query(s, "SELECT 'still here'", 0, NULL, said, &w[3]);
	db_session_call_prepared(s, "t_plus_one", "SELECT $1::int + 1", 1, int4, two, adapt, (db_any_fn)said, &w[4]);
	db_session_change(s, "SELECT 'changed'", 0, NULL, said, &w[5]);
	db_session_query(s, "SELECT 'after the change'", 0, NULL, said, &w[6]);
	if (db_session_drain(s, 10000) != 0) {
		fprintf(stderr, "sessiontest: stage 1 did not finish\n");
		return 1;
	}
	printf("batches %d\n", db_session_batches(s));

	/* Stage 2: the connection ends under a pipeline. */
	db_session_query(s, "SELECT pg_sleep(2)::text", 0, NULL, said, &w[8]);
	db_session_query(s, "SELECT 'never'", 0, NULL, said, &w[9]);
	db_session_query(s, "SELECT 'never either'", 0, NULL, said, &w[10]);
	for (int i = 0; i < 10; i++) { /* sent, not yet answered */
		db_session_process(s);
		poll(NULL, 0, 20);
	}
	PGconn *killer = PQconnectdb(argv[1]);
	PGresult *res = PQexec(killer, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
	                               " WHERE query = 'SELECT pg_sleep(2)::text'");
	printf("terminated %s\n", PQresultStatus(res) == PGRES_TUPLES_OK ? PQgetvalue(res, 0, 0) : PQerrorMessage(killer));
	PQclear(res);
	PQfinish(killer);
	db_session_drain(s, 3000);
	printf("state %s\n", db_session_state(s) == DB_READY ? "ready" : "down");
	if (wait_ready(s, 10000) != 0) {
		printf("never back\n");
		return 1;
	}
	db_session_query(s, "SELECT 'back'", 0, NULL, said, &w[11]);
	db_session_query(s, "SELECT 'back again'", 0, NULL, said, &w[11]);
	db_session_drain(s, 10000);
	printf("batches %d\n", db_session_batches(s));
	db_session_free(s);
	return 0;
}
