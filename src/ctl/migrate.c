/* ctl/migrate.c - `hallctl migrate`: apply schema/NNN_*.sql in order.
 *
 * Each file runs in its own transaction together with the row that records
 * it in public.hall_migrations, so a file is either wholly applied and
 * recorded or not at all; a failure names the file and line and leaves the
 * database as it was before that file.  An advisory lock keeps two
 * administrators from migrating at once.  Migration files are the
 * project's own trusted SQL, run with the simple protocol because they hold
 * many statements; no user data is ever spliced into them.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/xalloc.h"
#include "ctl/ctl.h"
#include "db/conn.h"

#define MIGRATION_LOCK "4242000001"

static int is_migration(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] >= '0' && d->d_name[0] <= '9' && n > 4 &&
	       strcmp(d->d_name + n - 4, ".sql") == 0;
}

char *ctl_read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	buf = x_malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		snprintf(err, errlen, "%s: %s", path, _("read error"));
		fclose(f);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The server reports an error position in characters from 1; turn it into a
 * line number of the file (UTF-8: count only lead bytes). */
static int line_of_position(const char *sql, long pos)
{
	int line = 1;
	long chars = 0;

	for (const unsigned char *p = (const unsigned char *)sql; *p; p++) {
		if ((*p & 0xC0) != 0x80 && ++chars >= pos)
			break;
		if (*p == '\n')
			line++;
	}
	return line;
}

/* "FILE:LINE: message" for a failed file. */
static void report_failure(ctl_ctx *c, const char *path, const char *sql, PGresult *res)
{
	char msg[1024];
	const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
	const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT);
	int line = pos ? line_of_position(sql, atol(pos)) : 0;

	db_result_error(res, msg, sizeof msg);
	if (line > 0)
		ctl_error(c, _("%s:%d: %s"), path, line, msg);
	else
		ctl_error(c, _("%s: %s"), path, msg);
	if (ctx && *ctx) {
		size_t n = strcspn(ctx, "\n");
		fprintf(stderr, "  %.*s\n", (int)n, ctx);
	}
	ctl_error(c, _("migration %s rolled back; the database is as it was before it"), path);
}

static int apply_one(ctl_ctx *c, const char *name, const char *path)
{
	char err[1024];
	char *sql = ctl_read_file(path, err, sizeof err);
	const char *params[2] = { name, sql };
	PGresult *res;
	int rc = CTL_FAIL;

	if (!sql) {
		ctl_error(c, "%s", err);
		return CTL_FAIL;
	}
	if (db_command(c->pg, "BEGIN", 0, NULL, err, sizeof err) < 0)
		goto fail_msg;
	res = PQexec(c->pg, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		report_failure(c, path, sql, res);
		PQclear(res);
		db_command(c->pg, "ROLLBACK", 0, NULL, err, sizeof err);
		free(sql);
		return CTL_FAIL;
	}
	PQclear(res);
	/* A file may SET LOCAL ROLE; the record is written as ourselves. */
	if (db_command(c->pg, "RESET ROLE", 0, NULL, err, sizeof err) < 0 ||
	    db_command(c->pg, "INSERT INTO public.hall_migrations (file, md5) VALUES ($1, md5($2))",
	               2, params, err, sizeof err) < 0 ||
	    db_command(c->pg, "COMMIT", 0, NULL, err, sizeof err) < 0)
		goto fail_msg;
	printf(_("applied %s\n"), name);
	free(sql);
	return CTL_OK;
fail_msg:
	ctl_error(c, "%s: %s", path, err);
	db_command(c->pg, "ROLLBACK", 0, NULL, err, sizeof err);
	free(sql);
	return rc;
}

/* Warn when a file that was applied has changed since: the database does
 * not have what the file now says. */
static int applied(ctl_ctx *c, const char *name, const char *path, int *is_applied)
{
	char err[1024];
	char *sql;
	const char *params[2];
	PGresult *res;

	*is_applied = 0;
	sql = ctl_read_file(path, err, sizeof err);
	if (!sql) {
		ctl_error(c, "%s", err);
		return -1;
	}
	params[0] = name;
	params[1] = sql;
	res = db_exec(c->pg, "SELECT md5 = md5($2) FROM public.hall_migrations WHERE file = $1",
	              2, params, err, sizeof err);
	free(sql);
	if (!res) {
		ctl_error(c, "%s", err);
		return -1;
	}
	if (PQntuples(res) == 1) {
		*is_applied = 1;
		if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
			fprintf(stderr, _("hallctl: warning: %s has changed since it was applied\n"), path);
	}
	PQclear(res);
	return 0;
}

int ctl_migrate(ctl_ctx *c, int argc, char **argv)
{
	struct dirent **list = NULL;
	char err[1024];
	int n, rc = CTL_OK, done = 0, total = 0;

	(void)argv;
	if (argc > 1) {
		ctl_error(c, _("migrate takes no arguments"));
		return CTL_USAGE;
	}
	n = scandir(c->schema_dir, &list, is_migration, alphasort);
	if (n < 0) {
		ctl_error(c, "%s: %s", c->schema_dir, strerror(errno));
		return CTL_USAGE;
	}
	if (n == 0) {
		ctl_error(c, _("%s: no migrations found"), c->schema_dir);
		free(list);
		return CTL_USAGE;
	}
	if (ctl_connect(c) < 0) {
		rc = CTL_USAGE;
		goto out;
	}
	if (db_command(c->pg, "SET client_min_messages = warning", 0, NULL, err, sizeof err) < 0 ||
	    db_command(c->pg, "SELECT pg_advisory_lock(" MIGRATION_LOCK ")", 0, NULL, err, sizeof err) < 0 ||
	    db_command(c->pg,
	               "CREATE TABLE IF NOT EXISTS public.hall_migrations ("
	               " file text PRIMARY KEY, md5 text NOT NULL,"
	               " applied_at timestamptz NOT NULL DEFAULT now(),"
	               " applied_by name NOT NULL DEFAULT session_user)",
	               0, NULL, err, sizeof err) < 0) {
		ctl_error(c, "%s", err);
		rc = CTL_FAIL;
		goto out;
	}
	for (int i = 0; i < n && rc == CTL_OK; i++) {
		char *path = x_asprintf("%s/%s", c->schema_dir, list[i]->d_name);
		int is_applied;

		total++;
		if (applied(c, list[i]->d_name, path, &is_applied) < 0)
			rc = CTL_FAIL;
		else if (!is_applied) {
			rc = apply_one(c, list[i]->d_name, path);
			done += rc == CTL_OK;
		}
		free(path);
	}
	if (rc == CTL_OK && done == 0)
		printf(_("schema is up to date (%d migrations)\n"), total);
out:
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return rc;
}
