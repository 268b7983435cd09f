/* tests/bench/qbench.c - time one statement over many parameter sets, on one
 * connection, the way a libpq client sends it (for tests/bench/p2_queue.sh).
 *
 *   qbench CONNINFO SQLFILE [NAME] < params.tsv > times.tsv
 *
 * SQLFILE holds the statement text exactly as the client sends it ($1..$n
 * placeholders).  Without NAME each execution is PQexecParams (an unnamed
 * statement: parsed and planned every time, as PQsendQueryParams does);
 * with NAME the statement is prepared once under that name and each
 * execution is PQexecPrepared (PostgreSQL's plan cache decides custom or
 * generic plans, as for a client that prepares).  Parameters are sent as
 * text; their types are left to the server (0) except for those the text
 * never mentions, declared text (a client that prepares a statement that
 * ignores some of its parameters must name their types).
 *
 * Each input line is TAG TAB P1 TAB P2 ...; "\N" is NULL.  Lines starting
 * with '#' are skipped.  For each line one output line:
 *   TAG TAB microseconds TAB rows TAB id-of-first-row TAB id-of-last-row TAB sum-of-ids
 * (ids: the first column), so that two statements can be checked to return
 * the same rows.  QBENCH_WARMUP=N (default 0) first runs the first N lines
 * untimed.  Exits 1 on the first error, printing it. */
#define _POSIX_C_SOURCE 200809L
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXP 32

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		exit(2);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(2);
	}
	buf[n] = '\0';
	fclose(f);
	/* trailing newlines and a trailing ';' are not part of the statement */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == ';'))
		buf[--n] = '\0';
	return buf;
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* Split a line in place on tabs: tag, then up to MAXP values. */
static int split(char *line, char **tag, const char **vals)
{
	int n = 0;
	char *p = line, *tab;

	line[strcspn(line, "\r\n")] = '\0';
	*tag = p;
	tab = strchr(p, '\t');
	if (!tab)
		return 0;
	*tab = '\0';
	p = tab + 1;
	for (;;) {
		tab = strchr(p, '\t');
		if (tab)
			*tab = '\0';
		if (n < MAXP)
			vals[n++] = strcmp(p, "\\N") == 0 ? NULL : p;
		if (!tab)
			break;
		p = tab + 1;
	}
	return n;
}

static Oid types[MAXP];

/* $k appears in the text (not as the start of $k0 ...). */
static int mentioned(const char *sql, int k)
{
	char tag[8];
	size_t len;

	snprintf(tag, sizeof tag, "$%d", k);
	len = strlen(tag);
	for (const char *p = strstr(sql, tag); p; p = strstr(p + 1, tag))
		if (p[len] < '0' || p[len] > '9')
			return 1;
	return 0;
}

static PGresult *run(PGconn *c, const char *sql, const char *name, int n, const char *const *vals)
{
	if (name)
		return PQexecPrepared(c, name, n, vals, NULL, NULL, 0);
	return PQexecParams(c, sql, n, types, vals, NULL, NULL, 0);
}

int main(int argc, char **argv)
{
	PGconn *c;
	char *sql, line[8192], *tag;
	const char *vals[MAXP];
	const char *name = argc > 3 && argv[3][0] ? argv[3] : NULL;
	char **lines = NULL;
	size_t nlines = 0, cap = 0;
	int warm = getenv("QBENCH_WARMUP") ? atoi(getenv("QBENCH_WARMUP")) : 0;

	if (argc < 3) {
		fprintf(stderr, "usage: qbench CONNINFO SQLFILE [NAME] < params.tsv\n");
		return 2;
	}
	sql = slurp(argv[2]);
	while (fgets(line, sizeof line, stdin)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (nlines == cap) {
			cap = cap ? 2 * cap : 1024;
			lines = realloc(lines, cap * sizeof *lines);
		}
		lines[nlines++] = strdup(line);
	}
	c = PQconnectdb(argv[1]);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "qbench: %s", PQerrorMessage(c));
		return 1;
	}
	for (int k = 0; k < MAXP; k++)
		types[k] = mentioned(sql, k + 1) ? 0 : 25;
	if (name) {
		int n = 0;
		char *copy = nlines ? strdup(lines[0]) : NULL;
		if (copy) {
			n = split(copy, &tag, vals);
			free(copy);
		}
		PGresult *r = PQprepare(c, name, sql, n, types);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "qbench: prepare: %s", PQerrorMessage(c));
			return 1;
		}
		PQclear(r);
	}
	for (int pass = 0; pass < 2; pass++) {
		size_t todo = pass == 0 ? (warm < 0 ? 0 : (size_t)warm) : nlines;
		for (size_t i = 0; i < todo && i < nlines; i++) {
			char *copy = strdup(lines[i]);
			int n = split(copy, &tag, vals);
			double t0 = now_us(), t1;
			PGresult *r = run(c, sql, name, n, vals);
			t1 = now_us();
			if (PQresultStatus(r) != PGRES_TUPLES_OK) {
				fprintf(stderr, "qbench: %s: %s", tag, PQerrorMessage(c));
				return 1;
			}
			if (pass == 1) {
				int rows = PQntuples(r);
				long long sum = 0;
				for (int k = 0; k < rows; k++)
					sum += atoll(PQgetvalue(r, k, 0));
				printf("%s\t%.1f\t%d\t%s\t%s\t%lld\n", tag, t1 - t0, rows,
				       rows ? PQgetvalue(r, 0, 0) : "-", rows ? PQgetvalue(r, rows - 1, 0) : "-", sum);
			}
			PQclear(r);
			free(copy);
		}
	}
	PQfinish(c);
	return 0;
}
