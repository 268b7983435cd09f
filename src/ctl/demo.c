/* ctl/demo.c - `hallctl demo [--scale N] [--seed S] [--at TIME]` and
 * `hallctl demo --reset`: the trainer's database.
 *
 * Generating loads schema/demo/demo.sql (the generator, SQL) and runs
 * hall_demo.generate(scale, seed) in one transaction, so a failed run
 * leaves the previous demo data in place.  The generator refuses to touch
 * a production database that holds cases, needs the cluster's superuser
 * (it creates the demo login roles) and keeps a copy of what it made as
 * the seed (hall.demo_keep_seed, 012).  The accounts it creates are
 * printed once, here.  --at sets the database's clock to TIME (running)
 * first, so the same seed gives the same hall whatever day it is run.
 *
 * --reset calls hall.demo_reset() (012): the data back as the last
 * generation left it, in a second or two, as a trainer (hall_trainer) or
 * the superuser, on a demo database only; the database's clock is left as
 * it is and trainees stay logged in.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "common/xalloc.h"
#include "ctl/ctl.h"
#include "db/conn.h"

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* `hallctl demo --reset`: one call of hall.demo_reset(), which refuses
 * anything but a demo database with a seed. */
static int demo_reset(ctl_ctx *c)
{
	char err[1024];
	struct timespec t0;
	PGresult *res;

	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	res = db_exec(c->pg,
		"SELECT coalesce(r->>'rows', '0'), coalesce(r->>'scale', '?'), coalesce(r->>'seed', '?'),"
		"       coalesce(to_char((r->>'kept_at')::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), '?')"
		"  FROM hall.demo_reset() AS r",
		0, NULL, err, sizeof err);
	if (!res) {
		ctl_error(c, _("demo --reset refused: %s"), err);
		return PQstatus(c->pg) == CONNECTION_BAD ? CTL_USAGE : CTL_FAIL;
	}
	printf(_("demo data reset to what was generated on %s (%s cases, seed %s): %s rows in %.1f s\n"),
	       PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 0),
	       seconds_since(&t0));
	PQclear(res);
	return CTL_OK;
}

static void print_accounts(ctl_ctx *c, const char *summary)
{
	char err[512];
	const char *params[1] = { summary };
	PGresult *res = db_exec(c->pg,
		"SELECT a->>'login', a->>'name', a->>'kind', a->>'password',"
		"       coalesce((SELECT string_agg(w, ',') FROM jsonb_array_elements_text(a->'windows') w), '')"
		"  FROM jsonb_array_elements($1::jsonb->'accounts') a",
		1, params, err, sizeof err);

	if (!res) {
		ctl_error(c, "%s", err);
		return;
	}
	printf(_("Demo accounts (shown once; the login screen of a demo database lists them too):\n"));
	for (int i = 0; i < PQntuples(res); i++)
		printf("  %-10s %-10s %-11s %-8s %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 2),
		       PQgetvalue(res, i, 3), PQgetvalue(res, i, 4), PQgetvalue(res, i, 1));
	PQclear(res);
}

int ctl_demo(ctl_ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scale", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "at", required_argument, NULL, 'a' },
		{ "reset", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	long scale = 20000, seed = 1;
	char err[1024], scale_s[32], seed_s[32];
	char *path, *sql;
	const char *at = NULL;
	const char *params[3] = { scale_s, seed_s, NULL };
	struct timespec t0;
	PGresult *res;
	int ch, reset = 0, generating = 0;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:n:s:a:", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			at = optarg;
			generating = 1;
			break;
		case 'r':
			reset = 1;
			break;
		case 'n':
			if (parse_long(optarg, 0, 100000000, &scale) < 0) {
				ctl_error(c, _("--scale: expected a number of cases from 0 to 100000000, got \"%s\""), optarg);
				return CTL_USAGE;
			}
			generating = 1;
			break;
		case 's':
			if (parse_long(optarg, 0, 2147483647, &seed) < 0) {
				ctl_error(c, _("--seed: expected a whole number from 0 to 2147483647, got \"%s\""), optarg);
				return CTL_USAGE;
			}
			generating = 1;
			break;
		case ':':
			ctl_error(c, _("demo: option '%s' needs a value"), argv[optind - 1]);
			return CTL_USAGE;
		default:
			ctl_error(c, _("demo: unknown option '%s' (see hallctl demo --help)"), argv[optind - 1]);
			return CTL_USAGE;
		}
	}
	if (optind < argc) {
		ctl_error(c, _("demo: unexpected argument '%s'"), argv[optind]);
		return CTL_USAGE;
	}
	if (reset && generating) {
		ctl_error(c, _("demo: --reset puts back the data of the last generation; it takes no --scale, --seed or --at"));
		return CTL_USAGE;
	}
	if (reset)
		return demo_reset(c);
	path = x_asprintf("%s/demo/demo.sql", c->schema_dir);
	sql = ctl_read_file(path, err, sizeof err);
	free(path);
	if (!sql) {
		ctl_error(c, "%s", err);
		return CTL_USAGE;
	}
	if (ctl_connect(c) < 0) {
		free(sql);
		return CTL_USAGE;
	}
	snprintf(scale_s, sizeof scale_s, "%ld", scale);
	snprintf(seed_s, sizeof seed_s, "%ld", seed);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (db_command(c->pg, "SET client_min_messages = warning", 0, NULL, err, sizeof err) < 0 ||
	    db_command(c->pg, "BEGIN", 0, NULL, err, sizeof err) < 0) {
		ctl_error(c, "%s", err);
		free(sql);
		return CTL_FAIL;
	}
	res = PQexec(c->pg, sql);
	free(sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		ctl_error(c, "demo.sql: %s", db_result_error(res, err, sizeof err));
		PQclear(res);
		db_command(c->pg, "ROLLBACK", 0, NULL, err, sizeof err);
		return CTL_FAIL;
	}
	PQclear(res);
	params[2] = at;
	res = db_exec(c->pg, "SELECT hall_demo.generate($1::int, $2::bigint, $3::timestamptz)::text", 3, params,
		      err, sizeof err);
	if (!res || db_command(c->pg, "COMMIT", 0, NULL, err, sizeof err) < 0) {
		ctl_error(c, _("demo refused: %s"), err);
		PQclear(res);
		db_command(c->pg, "ROLLBACK", 0, NULL, err, sizeof err);
		return CTL_FAIL;
	}
	printf(_("demo data created: %ld cases, seed %ld, in %.1f s\n"), scale, seed, seconds_since(&t0));
	print_accounts(c, PQgetvalue(res, 0, 0));
	PQclear(res);
	return CTL_OK;
}
