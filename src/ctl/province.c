/* ctl/province.c - `hallctl province ...`: the province's reporting
 * database over the cities' own (issue 11; doc/province.md).
 *
 *   province init                          the files of schema/province, in order
 *   province add-city NAME CONNINFO [--wait SECONDS]
 *   province remove-city NAME
 *   province cities
 *   province report --month YYYY-MM [--csv]
 *
 * --dsn is the province's database.  add-city also connects to the city
 * (CONNINFO): it makes the city join as NAME (hall.feed_join, schema/021:
 * the city's code, its feed and its publication hall_feed), then creates
 * the subscription city_<NAME> here, which copies the city's feed and then
 * follows it.  CREATE SUBSCRIPTION takes no parameters: NAME is checked to
 * be [a-z][a-z0-9_] before anything, and the connection string is quoted
 * with PQescapeLiteral; everything else is parameterised.  The province's
 * files are applied as the migrations are (each in one transaction with the
 * row that records it, in public.province_migrations).
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "ctl/ctl.h"
#include "db/conn.h"
#include "db/refusal.h"

#define PROVINCE_LOCK "4242000011"
#define NAME_MAX_LEN 31

/* ------------------------------------------------------------ helpers */

/* A city's name: 2-31 of [a-z0-9_], beginning with a letter (it names the
 * subscription and the slot, and is the city's code). */
static int valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > NAME_MAX_LEN || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* YYYY-MM, month 01-12, into "YYYY-MM-01". */
static int parse_month(const char *s, char *out, size_t outlen)
{
	if (strlen(s) != 7 || s[4] != '-')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	if (s[0] == '0' || (s[5] == '0' && s[6] == '0') || (s[5] == '1' && s[6] > '2') || s[5] > '1')
		return -1;
	snprintf(out, outlen, "%.7s-01", s);
	return 0;
}

/* The sentence for a failed result: the refusal's own (refusals.def, in the
 * reader's language) when the schema gave a reason, else the database's
 * message and SQLSTATE. */
static const char *result_sentence(const PGresult *res, char *buf, size_t n)
{
	const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;

	if (hint && strncmp(hint, "reason:", 7) == 0 && refusal_known(hint + 7))
		return refusal_sentence(DB_FAILED, db_sqlstate(res), hint + 7, buf, n);
	return db_result_error(res, buf, n);
}

/* Runs sql with params; on failure prints "province WHAT: sentence" and
 * returns NULL. */
static PGresult *run(ctl_ctx *c, PGconn *pg, const char *what, const char *sql, int nparams,
                     const char *const *params)
{
	PGresult *res = PQexecParams(pg, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	char err[1024];

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	if (res)
		result_sentence(res, err, sizeof err);
	else
		db_error_line(pg, err, sizeof err);
	ctl_error(c, _("province %s: %s"), what, err);
	PQclear(res);
	return NULL;
}

static int run_command(ctl_ctx *c, PGconn *pg, const char *what, const char *sql, int nparams,
                       const char *const *params)
{
	PGresult *res = run(c, pg, what, sql, nparams, params);

	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

/* 1 when this database has the province's schema. */
static int is_province(ctl_ctx *c, const char *what)
{
	PGresult *res = run(c, c->pg, what, "SELECT to_regclass('province.cities') IS NOT NULL", 0, NULL);
	int yes;

	if (!res)
		return -1;
	yes = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!yes)
		ctl_error(c, _("province %s: this database is not a province's yet: run hallctl province init first"), what);
	return yes;
}

/* ------------------------------------------------------------ table output */

/* Prints rows of cells (row 0: the header) in columns measured in display
 * cells; right aligns the columns whose bit is set in right. */
static void print_table(char ***cells, int rows, int cols, unsigned right)
{
	int *w = x_calloc((size_t)cols, sizeof *w);

	for (int r = 0; r < rows; r++)
		for (int k = 0; k < cols; k++) {
			int cw = text_width(cells[r][k]);
			if (cw > w[k])
				w[k] = cw;
		}
	for (int r = 0; r < rows; r++) {
		for (int k = 0; k < cols; k++) {
			int pad = w[k] - text_width(cells[r][k]);
			int last = k == cols - 1;

			if (right & (1u << k))
				printf("%*s%s", pad, "", cells[r][k]);
			else
				printf("%s%*s", cells[r][k], last ? 0 : pad, "");
			if (!last)
				fputs("  ", stdout);
		}
		fputc('\n', stdout);
	}
	free(w);
}

static char ***table_new(int rows, int cols)
{
	char ***t = x_calloc((size_t)rows, sizeof *t);

	for (int r = 0; r < rows; r++)
		t[r] = x_calloc((size_t)cols, sizeof **t);
	return t;
}

static void table_free(char ***t, int rows, int cols)
{
	for (int r = 0; r < rows; r++) {
		for (int k = 0; k < cols; k++)
			free(t[r][k]);
		free(t[r]);
	}
	free(t);
}

/* ------------------------------------------------------------ init */

static int is_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] >= '0' && d->d_name[0] <= '9' && n > 4 && strcmp(d->d_name + n - 4, ".sql") == 0;
}

static int province_init(ctl_ctx *c, int argc)
{
	char err[1024], *dir;
	struct dirent **list = NULL;
	PGresult *res;
	int n, applied = 0, rc = CTL_OK;

	if (argc != 2) {
		ctl_error(c, _("usage: hallctl province init"));
		return CTL_USAGE;
	}
	dir = x_asprintf("%s/province", c->schema_dir);
	n = scandir(dir, &list, is_file, alphasort);
	if (n <= 0) {
		ctl_error(c, _("%s: no province schema found"), dir);
		free(dir);
		free(list);
		return CTL_USAGE;
	}
	if (ctl_connect(c) < 0) {
		rc = CTL_USAGE;
		goto out;
	}
	res = run(c, c->pg, "init", "SELECT to_regnamespace('hall') IS NOT NULL", 0, NULL);
	if (!res) {
		rc = CTL_FAIL;
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		PQclear(res);
		ctl_error(c, _("province init: this database is a city's (it has the schema hall); the province needs a database of its own"));
		rc = CTL_FAIL;
		goto out;
	}
	PQclear(res);
	if (run_command(c, c->pg, "init", "SELECT pg_advisory_lock(" PROVINCE_LOCK ")", 0, NULL) < 0 ||
	    run_command(c, c->pg, "init",
	                "DO $$ BEGIN IF to_regclass('public.province_migrations') IS NULL THEN"
	                " CREATE TABLE public.province_migrations (file text PRIMARY KEY, md5 text NOT NULL,"
	                " applied_at timestamptz NOT NULL DEFAULT now()); END IF; END $$",
	                0, NULL) < 0) {
		rc = CTL_FAIL;
		goto out;
	}
	for (int i = 0; i < n && rc == CTL_OK; i++) {
		const char *params[2] = { list[i]->d_name, NULL };
		char *path = x_asprintf("%s/%s", dir, list[i]->d_name), *sql;

		res = run(c, c->pg, "init", "SELECT 1 FROM public.province_migrations WHERE file = $1", 1, params);
		if (!res) {
			rc = CTL_FAIL;
		} else if (PQntuples(res) == 0) {
			PQclear(res);
			res = NULL;
			sql = ctl_read_file(path, err, sizeof err);
			if (!sql) {
				ctl_error(c, "%s", err);
				rc = CTL_FAIL;
			} else {
				params[1] = sql;
				/* The project's own file, many statements: the simple protocol. */
				if (run_command(c, c->pg, "init", "BEGIN", 0, NULL) < 0) {
					rc = CTL_FAIL;
				} else {
					PGresult *r = PQexec(c->pg, sql);
					ExecStatusType st = PQresultStatus(r);

					if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
						ctl_error(c, _("%s: %s"), path, db_result_error(r, err, sizeof err));
						rc = CTL_FAIL;
					}
					PQclear(r);
					if (rc == CTL_OK &&
					    (run_command(c, c->pg, "init", "RESET ROLE", 0, NULL) < 0 ||
					     run_command(c, c->pg, "init",
					                 "INSERT INTO public.province_migrations (file, md5) VALUES ($1, md5($2))",
					                 2, params) < 0 ||
					     run_command(c, c->pg, "init", "COMMIT", 0, NULL) < 0))
						rc = CTL_FAIL;
					if (rc != CTL_OK)
						PQclear(PQexec(c->pg, "ROLLBACK"));
					else {
						printf(_("applied %s\n"), list[i]->d_name);
						applied++;
					}
				}
				free(sql);
			}
		}
		PQclear(res);
		free(path);
	}
	if (rc == CTL_OK && applied == 0)
		printf(_("the province's schema is up to date\n"));
	PQclear(PQexec(c->pg, "SELECT pg_advisory_unlock(" PROVINCE_LOCK ")"));
out:
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	free(dir);
	return rc;
}

/* ------------------------------------------------------------ add-city */

/* Waits up to seconds for the subscription's tables to be copied; 1 when
 * they are, 0 when not yet, -1 on error. */
static int wait_synced(ctl_ctx *c, const char *sub, long seconds)
{
	const char *params[1] = { sub };
	struct timespec pause = { 0, 200 * 1000 * 1000 };
	long tries = seconds * 5;

	for (long i = 0;; i++) {
		PGresult *res = run(c, c->pg, "add-city",
		                    "SELECT count(*) FILTER (WHERE r.srsubstate <> 'r'), count(r.*)"
		                    "  FROM pg_catalog.pg_subscription s"
		                    "  LEFT JOIN pg_catalog.pg_subscription_rel r ON r.srsubid = s.oid"
		                    " WHERE s.subname = $1"
		                    "   AND s.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d"
		                    "                    WHERE d.datname = current_database())",
		                    1, params);
		int done;

		if (!res)
			return -1;
		done = strcmp(PQgetvalue(res, 0, 0), "0") == 0 && strcmp(PQgetvalue(res, 0, 1), "0") != 0;
		PQclear(res);
		if (done)
			return 1;
		if (i >= tries)
			return 0;
		nanosleep(&pause, NULL);
	}
}

static int province_add_city(ctl_ctx *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "wait", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name, *conninfo;
	char err[1024], sub[64], slot[64];
	long wait = 30;
	int opt, rc = CTL_FAIL, joined;
	PGconn *city = NULL;
	PGresult *res;
	char *lit = NULL, *sql = NULL;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		char *end;
		switch (opt) {
		case 'w':
			wait = strtol(optarg, &end, 10);
			if (*end || wait < 0 || wait > 3600) {
				ctl_error(c, _("province add-city: --wait: expected seconds from 0 to 3600, got \"%s\""), optarg);
				return CTL_USAGE;
			}
			break;
		default:
			ctl_error(c, _("province add-city: unknown option \"%s\" (see hallctl province --help)"), argv[optind - 1]);
			return CTL_USAGE;
		}
	}
	/* getopt has moved the words after the options: add-city NAME CONNINFO */
	if (argc - optind != 3 || strcmp(argv[optind], "add-city") != 0) {
		ctl_error(c, _("usage: hallctl province add-city NAME CONNINFO [--wait SECONDS]"));
		return CTL_USAGE;
	}
	name = argv[optind + 1];
	conninfo = argv[optind + 2];
	if (!valid_name(name)) {
		ctl_error(c, _("province add-city: a city's name is 2 to 31 lower-case letters, digits and _, beginning with a letter, not \"%s\""), name);
		return CTL_USAGE;
	}
	if (db_check_conninfo(conninfo, err, sizeof err) < 0) {
		ctl_error(c, _("province add-city: CONNINFO: %s"), err);
		return CTL_USAGE;
	}
	snprintf(sub, sizeof sub, "city_%s", name);
	snprintf(slot, sizeof slot, "province_%s", name);
	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	if (is_province(c, "add-city") != 1)
		return CTL_FAIL;
	{
		const char *params[2] = { name, sub };
		res = run(c, c->pg, "add-city",
		          "SELECT EXISTS (SELECT 1 FROM province.cities WHERE name = $1)"
		          "    OR EXISTS (SELECT 1 FROM pg_catalog.pg_subscription s WHERE s.subname = $2"
		          "               AND s.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d"
		          "                                WHERE d.datname = current_database()))",
		          2, params);
		if (!res)
			return CTL_FAIL;
		if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
			PQclear(res);
			ctl_error(c, _("province add-city: the name \"%s\" is taken: another city was added under it (see hallctl province cities)"), name);
			return CTL_FAIL;
		}
		PQclear(res);
	}

	/* The city: reachable, migrated, joins as NAME. */
	city = db_connect(conninfo, NULL, NULL, (int)config_int(c->cfg, "database", "connect_timeout"), NULL, err,
	                  sizeof err);
	if (!city) {
		ctl_error(c, _("province add-city: the city \"%s\" cannot be reached, nothing was changed: %s"), name, err);
		return CTL_FAIL;
	}
	res = run(c, city, "add-city", "SELECT to_regprocedure('hall.feed_join(text)') IS NOT NULL", 0, NULL);
	if (!res)
		goto out;
	joined = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!joined) {
		ctl_error(c, _("province add-city: the city's database has no feed for a province (schema/021): run hallctl migrate there first"));
		goto out;
	}
	{
		const char *params[1] = { name };
		res = run(c, city, "add-city",
		          "SELECT j.hall_name, j.departments, j.department_days FROM hall.feed_join($1) j", 1, params);
		if (!res)
			goto out;
		printf(_("city %s (%s) joined: %s departments, %s days of departments in its feed\n"), name,
		       PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
		PQclear(res);
	}
	PQfinish(city);
	city = NULL;

	/* The province: the city's row, then its subscription (which cannot run
	 * in a transaction block); the row goes again if the subscription
	 * cannot be made. */
	{
		const char *params[2] = { name, sub };
		PGresult *r = PQexecParams(c->pg, "INSERT INTO province.cities (name, subscription) VALUES ($1, $2)", 2,
		                           NULL, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			if (strcmp(db_sqlstate(r), "23505") == 0)
				ctl_error(c, _("province add-city: the name \"%s\" is taken: another city was added under it (see hallctl province cities)"), name);
			else
				ctl_error(c, _("province %s: %s"), "add-city", db_result_error(r, err, sizeof err));
			PQclear(r);
			goto out;
		}
		PQclear(r);
	}
	lit = PQescapeLiteral(c->pg, conninfo, strlen(conninfo));
	if (!lit) {
		ctl_error(c, _("province %s: %s"), "add-city", db_error_line(c->pg, err, sizeof err));
		goto undo;
	}
	/* sub and slot are [a-z0-9_]: safe as identifiers and literals. */
	sql = x_asprintf("CREATE SUBSCRIPTION %s CONNECTION %s PUBLICATION hall_feed"
	                 " WITH (slot_name = '%s', copy_data = true)", sub, lit, slot);
	/* (its NOTICE, the slot made on the city, is said below in our words) */
	PQclear(PQexec(c->pg, "SET client_min_messages = warning"));
	res = PQexec(c->pg, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		ctl_error(c, _("province add-city: the province could not subscribe to the city \"%s\", nothing was added: %s"),
		          name, db_result_error(res, err, sizeof err));
		PQclear(res);
		goto undo;
	}
	PQclear(res);
	printf(_("subscription %s made; the city keeps the replication slot %s for the province\n"), sub, slot);
	rc = CTL_OK;
	if (wait > 0) {
		int synced = wait_synced(c, sub, wait);
		if (synced == 1) {
			const char *params[1] = { name };
			res = run(c, c->pg, "add-city",
			          "SELECT count(*) FROM feed.department_days WHERE city_code = $1", 1, params);
			if (res) {
				printf(_("city %s added: its feed is copied (%s days of departments) and followed\n"), name,
				       PQgetvalue(res, 0, 0));
				PQclear(res);
			}
		} else if (synced == 0) {
			printf(_("city %s added: its feed is still being copied (see hallctl province cities)\n"), name);
		}
	} else {
		printf(_("city %s added: its feed is being copied (see hallctl province cities)\n"), name);
	}
	goto out;
undo:
	{
		const char *params[1] = { name };
		run_command(c, c->pg, "add-city", "DELETE FROM province.cities WHERE name = $1", 1, params);
	}
out:
	if (lit)
		PQfreemem(lit);
	free(sql);
	if (city)
		PQfinish(city);
	return rc;
}

/* ------------------------------------------------------------ remove-city */

static int province_remove_city(ctl_ctx *c, int argc, char **argv)
{
	const char *name;
	char err[1024], sub[64], slot[64], *sql;
	PGresult *res;
	int exists;

	if (argc != 3) {
		ctl_error(c, _("usage: hallctl province remove-city NAME"));
		return CTL_USAGE;
	}
	name = argv[2];
	if (!valid_name(name)) {
		ctl_error(c, _("province remove-city: no city \"%s\" (see hallctl province cities)"), name);
		return CTL_FAIL;
	}
	snprintf(sub, sizeof sub, "city_%s", name);
	snprintf(slot, sizeof slot, "province_%s", name);
	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	if (is_province(c, "remove-city") != 1)
		return CTL_FAIL;
	{
		const char *params[2] = { name, sub };
		res = run(c, c->pg, "remove-city",
		          "SELECT EXISTS (SELECT 1 FROM province.cities WHERE name = $1),"
		          "       EXISTS (SELECT 1 FROM pg_catalog.pg_subscription s WHERE s.subname = $2"
		          "               AND s.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d"
		          "                                WHERE d.datname = current_database()))",
		          2, params);
		if (!res)
			return CTL_FAIL;
		if (strcmp(PQgetvalue(res, 0, 0), "t") != 0 && strcmp(PQgetvalue(res, 0, 1), "t") != 0) {
			PQclear(res);
			ctl_error(c, _("province remove-city: no city \"%s\" (see hallctl province cities)"), name);
			return CTL_FAIL;
		}
		exists = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
		PQclear(res);
	}
	if (exists) {
		/* DROP SUBSCRIPTION drops the slot on the city; a city that cannot
		 * be reached keeps it, and it must go by hand (it holds the city's
		 * WAL). */
		PQclear(PQexec(c->pg, "SET client_min_messages = warning"));   /* the slot's NOTICE */
		sql = x_asprintf("DROP SUBSCRIPTION %s", sub);
		res = PQexec(c->pg, sql);
		free(sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			PQclear(res);
			sql = x_asprintf("ALTER SUBSCRIPTION %s DISABLE", sub);
			res = PQexec(c->pg, sql);
			free(sql);
			if (PQresultStatus(res) == PGRES_COMMAND_OK) {
				PQclear(res);
				sql = x_asprintf("ALTER SUBSCRIPTION %s SET (slot_name = NONE)", sub);
				res = PQexec(c->pg, sql);
				free(sql);
				if (PQresultStatus(res) == PGRES_COMMAND_OK) {
					PQclear(res);
					sql = x_asprintf("DROP SUBSCRIPTION %s", sub);
					res = PQexec(c->pg, sql);
					free(sql);
				}
			}
			if (PQresultStatus(res) != PGRES_COMMAND_OK) {
				ctl_error(c, _("province %s: %s"), "remove-city", db_result_error(res, err, sizeof err));
				PQclear(res);
				return CTL_FAIL;
			}
			ctl_error(c, _("province remove-city: the city could not be reached: drop its replication slot there, or it keeps the city's WAL: SELECT pg_drop_replication_slot('%s');"), slot);
		}
		PQclear(res);
	}
	{
		const char *params[1] = { name };
		if (run_command(c, c->pg, "remove-city", "BEGIN", 0, NULL) < 0 ||
		    run_command(c, c->pg, "remove-city", "DELETE FROM feed.department_days WHERE city_code = $1", 1, params) < 0 ||
		    run_command(c, c->pg, "remove-city", "DELETE FROM feed.departments WHERE city_code = $1", 1, params) < 0 ||
		    run_command(c, c->pg, "remove-city", "DELETE FROM feed.city WHERE city_code = $1", 1, params) < 0 ||
		    run_command(c, c->pg, "remove-city", "DELETE FROM province.cities WHERE name = $1", 1, params) < 0 ||
		    run_command(c, c->pg, "remove-city", "COMMIT", 0, NULL) < 0) {
			PQclear(PQexec(c->pg, "ROLLBACK"));
			return CTL_FAIL;
		}
	}
	printf(_("city %s removed: its subscription and its rows in the province are gone\n"), name);
	return CTL_OK;
}

/* ------------------------------------------------------------ cities */

static const char *state_word(const char *state)
{
	if (strcmp(state, "streaming") == 0)
		return _("streaming");
	if (strcmp(state, "syncing") == 0)
		return _("copying");
	if (strcmp(state, "waiting") == 0)
		return _("waiting for the city");
	if (strcmp(state, "disabled") == 0)
		return _("disabled");
	if (strcmp(state, "missing") == 0)
		return _("no subscription");
	return state;
}

static int province_cities(ctl_ctx *c, int argc)
{
	PGresult *res;
	char ***t;
	int rows;

	if (argc != 2) {
		ctl_error(c, _("usage: hallctl province cities"));
		return CTL_USAGE;
	}
	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	if (is_province(c, "cities") != 1)
		return CTL_FAIL;
	res = run(c, c->pg, "cities",
	          "SELECT s.name, coalesce(s.city_name, ''), s.state,"
	          "       coalesce(to_char(s.last_message AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS'), ''),"
	          "       s.days"
	          "  FROM province.city_status s ORDER BY s.name",
	          0, NULL);
	if (!res)
		return CTL_FAIL;
	rows = PQntuples(res) + 1;
	t = table_new(rows, 5);
	t[0][0] = x_strdup(_("city"));
	t[0][1] = x_strdup(_("hall"));
	t[0][2] = x_strdup(_("state"));
	t[0][3] = x_strdup(_("last message (Asia/Shanghai)"));
	t[0][4] = x_strdup(_("days"));
	for (int i = 1; i < rows; i++) {
		t[i][0] = text_sanitize(PQgetvalue(res, i - 1, 0), 0);
		t[i][1] = text_sanitize(PQgetvalue(res, i - 1, 1), 0);
		t[i][2] = x_strdup(state_word(PQgetvalue(res, i - 1, 2)));
		t[i][3] = x_strdup(*PQgetvalue(res, i - 1, 3) ? PQgetvalue(res, i - 1, 3) : "-");
		t[i][4] = x_strdup(PQgetvalue(res, i - 1, 4));
	}
	if (rows == 1)
		printf(_("no city yet: add one with hallctl province add-city NAME CONNINFO\n"));
	else
		print_table(t, rows, 5, 1u << 4);
	table_free(t, rows, 5);
	PQclear(res);
	return CTL_OK;
}

/* ------------------------------------------------------------ report */

static int report_csv(ctl_ctx *c, const char *day)
{
	char sql[160], err[1024], *buf;
	PGresult *res;
	int n, rc = CTL_OK;

	/* day is ten checked digits and dashes: safe as a literal. */
	snprintf(sql, sizeof sql, "COPY (SELECT * FROM province.report('%s'::date)) TO STDOUT WITH (FORMAT csv, HEADER)",
	         day);
	res = PQexec(c->pg, sql);
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		ctl_error(c, _("province %s: %s"), "report", db_result_error(res, err, sizeof err));
		PQclear(res);
		return CTL_FAIL;
	}
	PQclear(res);
	while ((n = PQgetCopyData(c->pg, &buf, 0)) > 0) {
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			rc = CTL_FAIL;
		PQfreemem(buf);
	}
	if (n == -2) {
		ctl_error(c, "%s", db_error_line(c->pg, err, sizeof err));
		rc = CTL_FAIL;
	}
	while ((res = PQgetResult(c->pg)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			ctl_error(c, _("province %s: %s"), "report", db_result_error(res, err, sizeof err));
			rc = CTL_FAIL;
		}
		PQclear(res);
	}
	if (fflush(stdout) != 0)
		rc = CTL_FAIL;
	return rc;
}

static int province_report(ctl_ctx *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "csv", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *month = NULL;
	char day[16];
	int csv = 0, opt, rows;
	PGresult *res;
	char ***t;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm': month = optarg; break;
		case 'c': csv = 1; break;
		default:
			ctl_error(c, _("province report: unknown option \"%s\" (see hallctl province --help)"), argv[optind - 1]);
			return CTL_USAGE;
		}
	}
	if (argc - optind != 1 || strcmp(argv[optind], "report") != 0) {
		ctl_error(c, _("usage: hallctl province report --month YYYY-MM [--csv]"));
		return CTL_USAGE;
	}
	if (!month) {
		ctl_error(c, _("province report: which month? give --month YYYY-MM"));
		return CTL_USAGE;
	}
	if (parse_month(month, day, sizeof day) < 0) {
		ctl_error(c, _("province report: --month: expected a month as YYYY-MM, got \"%s\""), month);
		return CTL_USAGE;
	}
	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	if (is_province(c, "report") != 1)
		return CTL_FAIL;
	if (csv)
		return report_csv(c, day);
	{
		const char *params[1] = { day };
		res = run(c, c->pg, "report",
		          /* rates as percentages with 2 decimals (by the server: no locale's
		           * decimal comma), "-" when there is none */
		          "SELECT m.city_code, m.city_name, m.received, m.completed,"
		          "       coalesce(round(m.on_time_rate * 100, 2) || '%', '-'),"
		          "       m.ratings, coalesce(round(m.satisfaction_rate * 100, 2) || '%', '-')"
		          "  FROM province.city_month($1::date) m",
		          1, params);
	}
	if (!res)
		return CTL_FAIL;
	rows = PQntuples(res) + 1;
	t = table_new(rows, 7);
	t[0][0] = x_strdup(_("city"));
	t[0][1] = x_strdup(_("hall"));
	t[0][2] = x_strdup(_("received"));
	t[0][3] = x_strdup(_("completed"));
	t[0][4] = x_strdup(_("on time"));
	t[0][5] = x_strdup(_("ratings"));
	t[0][6] = x_strdup(_("satisfaction"));
	for (int i = 1; i < rows; i++) {
		t[i][0] = text_sanitize(PQgetvalue(res, i - 1, 0), 0);
		t[i][1] = text_sanitize(PQgetvalue(res, i - 1, 1), 0);
		t[i][2] = x_strdup(PQgetvalue(res, i - 1, 2));
		t[i][3] = x_strdup(PQgetvalue(res, i - 1, 3));
		t[i][4] = x_strdup(PQgetvalue(res, i - 1, 4));
		t[i][5] = x_strdup(PQgetvalue(res, i - 1, 5));
		t[i][6] = x_strdup(PQgetvalue(res, i - 1, 6));
	}
	printf(_("%.7s, per city: cases received and completed, completed on time, ratings and satisfied (levels 4-5)\n"), day);
	print_table(t, rows, 7, 0x7c);
	table_free(t, rows, 7);
	PQclear(res);
	return CTL_OK;
}

/* ------------------------------------------------------------ dispatch */

int ctl_province(ctl_ctx *c, int argc, char **argv)
{
	/* The subcommand: the first word that is no option nor an option's
	 * value (add-city and report take options before their words too). */
	const char *sub = NULL;

	for (int i = 1; i < argc && !sub; i++) {
		if (strcmp(argv[i], "--wait") == 0 || strcmp(argv[i], "--month") == 0)
			i++;
		else if (argv[i][0] != '-')
			sub = argv[i];
	}
	if (!sub)
		sub = "";
	if (strcmp(sub, "init") == 0)
		return province_init(c, argc);
	else if (strcmp(sub, "add-city") == 0)
		return province_add_city(c, argc, argv);
	else if (strcmp(sub, "remove-city") == 0)
		return province_remove_city(c, argc, argv);
	else if (strcmp(sub, "cities") == 0)
		return province_cities(c, argc);
	else if (strcmp(sub, "report") == 0)
		return province_report(c, argc, argv);
	ctl_error(c, _("usage: hallctl province init|add-city|remove-city|cities|report ... (see hallctl province --help)"));
	return CTL_USAGE;
}
