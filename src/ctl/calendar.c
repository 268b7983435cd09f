/* ctl/calendar.c - `hallctl calendar`: the working-day calendar.
 *
 * Each change goes through hall.calendar_set/remove/publish; the database
 * then recomputes the due dates of every open case and inquiry in the same
 * transaction, so a screen never shows a deadline from the old calendar.
 */
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "ctl/ctl.h"
#include "db/conn.h"

/* YYYY-MM-DD with plausible fields; the server checks the real date. */
static int looks_like_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

static int run(ctl_ctx *c, const char *what, const char *sql, int n, const char *const *params)
{
	char err[1024];

	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	if (db_command(c->pg, sql, n, params, err, sizeof err) < 0) {
		ctl_error(c, _("calendar %s refused: %s"), what, err);
		return CTL_FAIL;
	}
	return CTL_OK;
}

static int calendar_list(ctl_ctx *c, const char *year)
{
	char err[1024];
	const char *params[1] = { year };
	PGresult *res;

	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	res = db_exec(c->pg,
	              "SELECT d::text, kind, note FROM hall.calendar"
	              " WHERE $1::int IS NULL OR extract(year FROM d) = $1::int ORDER BY d",
	              1, params, err, sizeof err);
	if (!res) {
		ctl_error(c, "%s", err);
		return CTL_FAIL;
	}
	for (int i = 0; i < PQntuples(res); i++)
		printf("%s  %-8s %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
	PQclear(res);
	return CTL_OK;
}

int ctl_calendar(ctl_ctx *c, int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";

	if (strcmp(sub, "add") == 0 && (argc == 4 || argc == 5)) {
		const char *params[3] = { argv[2], argv[3], argc == 5 ? argv[4] : "" };
		int rc;
		if (!looks_like_date(argv[2])) {
			ctl_error(c, _("calendar add: expected a date as YYYY-MM-DD, got \"%s\""), argv[2]);
			return CTL_USAGE;
		}
		if (strcmp(argv[3], "holiday") != 0 && strcmp(argv[3], "workday") != 0) {
			ctl_error(c, _("calendar add: the kind is holiday or workday, not \"%s\""), argv[3]);
			return CTL_USAGE;
		}
		rc = run(c, "add", "SELECT hall.calendar_set($1::date, $2, $3)", 3, params);
		if (rc == CTL_OK)
			printf(_("%s is now a %s; open due dates recomputed\n"), argv[2], argv[3]);
		return rc;
	}
	if (strcmp(sub, "remove") == 0 && argc == 3) {
		const char *params[1] = { argv[2] };
		int rc;
		if (!looks_like_date(argv[2])) {
			ctl_error(c, _("calendar remove: expected a date as YYYY-MM-DD, got \"%s\""), argv[2]);
			return CTL_USAGE;
		}
		rc = run(c, "remove", "SELECT hall.calendar_remove($1::date)", 1, params);
		if (rc == CTL_OK)
			printf(_("%s follows Monday-Friday again; open due dates recomputed\n"), argv[2]);
		return rc;
	}
	if (strcmp(sub, "publish") == 0 && argc == 4) {
		const char *params[2] = { argv[2], argv[3] };
		int rc = run(c, "publish", "SELECT hall.calendar_publish($1::int, $2)", 2, params);
		if (rc == CTL_OK)
			printf(_("calendar %s marked as published (%s)\n"), argv[2], argv[3]);
		return rc;
	}
	if (strcmp(sub, "list") == 0 && argc <= 3)
		return calendar_list(c, argc == 3 ? argv[2] : NULL);
	ctl_error(c, _("usage: hallctl calendar add DATE holiday|workday [NOTE] | remove DATE | publish YEAR SOURCE | list [YEAR]"));
	return CTL_USAGE;
}
