/* ctl/hours.c - `hallctl hours`: the hall's opening hours (015).
 *
 *   hallctl hours                      the week, one line a weekday
 *   hallctl hours set ISODOW SPANS     09:00-12:00,13:00-17:00 ('' closes the day)
 *   hallctl hours makeup ISODOW        whose hours a make-up working day keeps
 *
 * The database parses and checks the spans (hall.hours_set) and audits each
 * change; this only checks the weekday's shape.
 */
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "ctl/ctl.h"
#include "db/conn.h"

static int is_isodow(const char *s)
{
	return strlen(s) == 1 && s[0] >= '1' && s[0] <= '7';
}

static int hours_show(ctl_ctx *c)
{
	char err[1024];
	PGresult *res;

	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	res = db_exec(c->pg,
	              "SELECT d::text, hall.hours_spans(d),"
	              " (d = coalesce(hall.setting_int('makeup_hours_isodow'), 1))::text"
	              " FROM generate_series(1, 7) d ORDER BY d",
	              0, NULL, err, sizeof err);
	if (!res) {
		ctl_error(c, "%s", err);
		return CTL_FAIL;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		const char *spans = PQgetvalue(res, i, 1);
		printf("%s  %s%s\n", PQgetvalue(res, i, 0), *spans ? spans : _("closed"),
		       strcmp(PQgetvalue(res, i, 2), "true") == 0 ? _("  (make-up working days keep these hours)") : "");
	}
	PQclear(res);
	return CTL_OK;
}

int ctl_hours(ctl_ctx *c, int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";
	char err[1024];

	if (argc == 1 || (strcmp(sub, "show") == 0 && argc == 2))
		return hours_show(c);
	if (strcmp(sub, "set") == 0 && argc == 4) {
		const char *params[2] = { argv[2], argv[3] };
		PGresult *res;
		if (!is_isodow(argv[2])) {
			ctl_error(c, _("hours set: the weekday is 1 (Monday) to 7 (Sunday), not \"%s\""), argv[2]);
			return CTL_USAGE;
		}
		if (ctl_connect(c) < 0)
			return CTL_USAGE;
		res = db_exec(c->pg, "SELECT hall.hours_set($1::int, $2)", 2, params, err, sizeof err);
		if (!res) {
			ctl_error(c, _("hours set refused: %s"), err);
			return CTL_FAIL;
		}
		printf(_("weekday %s: %s\n"), argv[2], *PQgetvalue(res, 0, 0) ? PQgetvalue(res, 0, 0) : _("closed"));
		PQclear(res);
		return CTL_OK;
	}
	if (strcmp(sub, "makeup") == 0 && argc == 3) {
		const char *params[1] = { argv[2] };
		if (!is_isodow(argv[2])) {
			ctl_error(c, _("hours makeup: the weekday is 1 (Monday) to 7 (Sunday), not \"%s\""), argv[2]);
			return CTL_USAGE;
		}
		if (ctl_connect(c) < 0)
			return CTL_USAGE;
		if (db_command(c->pg, "SELECT hall.hours_makeup($1::int)", 1, params, err, sizeof err) < 0) {
			ctl_error(c, _("hours makeup refused: %s"), err);
			return CTL_FAIL;
		}
		printf(_("make-up working days now keep the hours of weekday %s\n"), argv[2]);
		return CTL_OK;
	}
	ctl_error(c, _("usage: hallctl hours [show] | hours set ISODOW SPANS | hours makeup ISODOW"));
	return CTL_USAGE;
}
