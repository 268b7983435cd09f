/* ctl/staff.c - `hallctl staff add|disable|list`: staff accounts.
 *
 * Accounts are PostgreSQL login roles made by hall.staff_add(), the same
 * function the schema tests call, so the rules live in one place.  A new
 * account's password is read from standard input with --password-stdin
 * (never from the command line, where `ps` would show it) or generated
 * and printed once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/xalloc.h"
#include "ctl/ctl.h"
#include "db/conn.h"

static int random_password(char *buf, size_t n)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	unsigned char raw[16];
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0 || n < sizeof raw + 1 || read(fd, raw, sizeof raw) != (ssize_t)sizeof raw) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	for (size_t i = 0; i < sizeof raw; i++)
		buf[i] = alphabet[raw[i] % (sizeof alphabet - 1)];
	buf[sizeof raw] = '\0';
	return 0;
}

static int read_password(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return *buf ? 0 : -1;
}

static int staff_add(ctl_ctx *c, int argc, char **argv)
{
	char password[256], err[1024];
	const char *windows = "";
	int from_stdin = 0, pos = 0;
	const char *args[5] = { 0 };

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--password-stdin") == 0)
			from_stdin = 1;
		else if (pos < 5)
			args[pos++] = argv[i];
		else {
			ctl_error(c, _("staff add: unexpected argument '%s'"), argv[i]);
			return CTL_USAGE;
		}
	}
	if (pos < 4) {
		ctl_error(c, _("usage: hallctl staff add LOGIN NAME clerk|supervisor|trainer|admin DEPT [WINDOW,...] [--password-stdin]"));
		return CTL_USAGE;
	}
	if (pos == 5)
		windows = args[4];
	if (from_stdin ? read_password(password, sizeof password) < 0
	               : random_password(password, sizeof password) < 0) {
		ctl_error(c, from_stdin ? _("no password on standard input") : _("cannot read /dev/urandom"));
		return CTL_USAGE;
	}
	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	{
		const char *params[6] = { args[0], args[1], args[2], *args[3] ? args[3] : NULL, windows, password };
		if (db_command(c->pg,
		               "SELECT hall.staff_add($1, $2, $3, $4,"
		               " coalesce(string_to_array(nullif($5, ''), ','), '{}'), $6)",
		               6, params, err, sizeof err) < 0) {
			ctl_error(c, _("staff add refused: %s"), err);
			return CTL_FAIL;
		}
	}
	printf(_("added %s (%s)\n"), args[0], args[2]);
	if (!from_stdin)
		printf(_("password (shown once): %s\n"), password);
	return CTL_OK;
}

/* `staff disable LOGIN...`: each login on its own (one refused does not
 * keep the others enabled); status 1 if any was refused, and which. */
static int staff_disable(ctl_ctx *c, int argc, char **argv)
{
	char err[1024];
	const char *params[1];
	size_t failed_len = 1;
	char *failed;
	int nfailed = 0;

	if (argc < 3) {
		ctl_error(c, _("usage: hallctl staff disable LOGIN..."));
		return CTL_USAGE;
	}
	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	for (int i = 2; i < argc; i++)
		failed_len += strlen(argv[i]) + 2;
	failed = x_calloc(failed_len, 1);
	for (int i = 2; i < argc; i++) {
		params[0] = argv[i];
		if (db_command(c->pg, "SELECT hall.staff_disable($1)", 1, params, err, sizeof err) < 0) {
			ctl_error(c, _("staff disable refused: %s"), err);
			if (PQstatus(c->pg) == CONNECTION_BAD) {
				free(failed);
				return CTL_USAGE;
			}
			if (nfailed++)
				strcat(failed, ", ");
			strcat(failed, argv[i]);
			continue;
		}
		printf(_("disabled %s\n"), argv[i]);
	}
	if (nfailed && argc > 3)
		ctl_error(c, _("staff disable: %d of %d refused: %s"), nfailed, argc - 2, failed);
	free(failed);
	return nfailed ? CTL_FAIL : CTL_OK;
}

static int staff_list(ctl_ctx *c)
{
	char err[1024];
	PGresult *res;

	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	res = db_exec(c->pg,
	              "SELECT s.login, s.kind, coalesce(s.department_code, ''),"
	              "       coalesce(string_agg(w.window_code, ',' ORDER BY w.window_code), ''),"
	              "       CASE WHEN s.active THEN '' ELSE 'disabled' END, s.name"
	              "  FROM hall.staff s LEFT JOIN hall.staff_windows w ON w.staff_id = s.id"
	              " GROUP BY s.id ORDER BY s.login",
	              0, NULL, err, sizeof err);
	if (!res) {
		ctl_error(c, "%s", err);
		return CTL_FAIL;
	}
	for (int i = 0; i < PQntuples(res); i++)
		printf("%-12s %-10s %-8s %-12s %-8s %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		       PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
		       PQgetvalue(res, i, 5));
	PQclear(res);
	return CTL_OK;
}

int ctl_staff(ctl_ctx *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return staff_add(c, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "disable") == 0)
		return staff_disable(c, argc, argv);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return staff_list(c);
	ctl_error(c, _("usage: hallctl staff add|disable|list ..."));
	return CTL_USAGE;
}
