/* tests/bench/notify_lat.c - how long from a clerk's call to the hall
 * display hearing of it (for tests/bench/p8_calls.sh).
 *
 *   notify_lat CLERK_CONNINFO DISPLAY_CONNINFO WINDOW LINE N INTERVAL_MS > lat.tsv
 *
 * The display connection LISTENs on hall_calls, as the display does.  N
 * times, every INTERVAL_MS: the clerk connection calls the next ticket of
 * WINDOW (SELECT hall.call_next($1)); the time from sending the call to
 * the first notification whose payload is LINE (the window's line: other
 * windows' calls go by on the same channel) is one line of output,
 *   call-returned-us TAB notify-received-us
 * both from the moment the call was sent; then the ticket is finished.  A
 * notification not heard within 5 s is a line "-1 TAB -1".  Exits 1 on an
 * error, printing it; 0 when no ticket was left to call (so far, printed). */
#define _POSIX_C_SOURCE 200809L
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

static long long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static PGconn *connect_or_die(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "notify_lat: %s", PQerrorMessage(c));
		exit(1);
	}
	return c;
}

/* Wait until a notification with this payload arrives (others are
 * dropped); its time, or -1 after timeout_us. */
static long long wait_for(PGconn *c, const char *payload, long long start, long long timeout_us)
{
	for (;;) {
		PGnotify *n;
		fd_set fds;
		struct timeval tv;
		long long left;

		if (!PQconsumeInput(c)) {
			fprintf(stderr, "notify_lat: %s", PQerrorMessage(c));
			exit(1);
		}
		while ((n = PQnotifies(c)) != NULL) {
			int mine = strcmp(n->extra, payload) == 0;

			PQfreemem(n);
			if (mine)
				return now_us();
		}
		left = start + timeout_us - now_us();
		if (left <= 0)
			return -1;
		FD_ZERO(&fds);
		FD_SET(PQsocket(c), &fds);
		tv.tv_sec = (time_t)(left / 1000000);
		tv.tv_usec = (suseconds_t)(left % 1000000);
		if (select(PQsocket(c) + 1, &fds, NULL, NULL, &tv) < 0) {
			perror("notify_lat: select");
			exit(1);
		}
	}
}

/* Drop whatever notifications are already there. */
static void drain(PGconn *c)
{
	PGnotify *n;

	PQconsumeInput(c);
	while ((n = PQnotifies(c)) != NULL)
		PQfreemem(n);
}

int main(int argc, char **argv)
{
	PGconn *clerk, *display;
	PGresult *r;
	const char *window, *line;
	int n, interval_ms;

	if (argc != 7) {
		fprintf(stderr, "usage: notify_lat CLERK_CONNINFO DISPLAY_CONNINFO WINDOW LINE N INTERVAL_MS\n");
		return 2;
	}
	clerk = connect_or_die(argv[1]);
	display = connect_or_die(argv[2]);
	window = argv[3];
	line = argv[4];
	n = atoi(argv[5]);
	interval_ms = atoi(argv[6]);
	r = PQexec(display, "LISTEN hall_calls");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "notify_lat: %s", PQerrorMessage(display));
		return 1;
	}
	PQclear(r);

	for (int i = 0; i < n; i++) {
		const char *p[1] = { window };
		long long t0, t1, t2;
		char id[32];
		struct timespec pause = { interval_ms / 1000, (long)(interval_ms % 1000) * 1000000L };

		drain(display);
		t0 = now_us();
		r = PQexecParams(clerk, "SELECT hall.call_next($1)", 1, NULL, p, NULL, NULL, 0);
		t1 = now_us();
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "notify_lat: %s", PQerrorMessage(clerk));
			return 1;
		}
		if (PQgetisnull(r, 0, 0)) {
			PQclear(r);
			fprintf(stderr, "notify_lat: no ticket left after %d calls\n", i);
			return 0;
		}
		snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		t2 = wait_for(display, line, t0, 5000000);
		if (t2 < 0)
			printf("-1\t-1\n");
		else
			printf("%lld\t%lld\n", t1 - t0, t2 - t0);
		fflush(stdout);
		p[0] = id;
		r = PQexecParams(clerk, "SELECT hall.finish_ticket($1::bigint)", 1, NULL, p, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "notify_lat: %s", PQerrorMessage(clerk));
			return 1;
		}
		PQclear(r);
		nanosleep(&pause, NULL);
	}
	PQfinish(clerk);
	PQfinish(display);
	return 0;
}
