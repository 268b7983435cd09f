/* ctl/report.c - `hallctl report timeliness|scorecard|platform|cards
 * --month YYYY-MM [--department CODE] [--bom] [--output FILE]`: one of the
 * supervisors' tables of a month as CSV, for a cron job.
 *
 * The database writes the CSV (COPY (SELECT * FROM hall.report_<kind>(month))
 * TO STDOUT WITH CSV HEADER, Chinese column names, UTF-8); this program
 * only streams it (PQgetCopyData), after a UTF-8 byte order mark when
 * --bom is given (what a spreadsheet program needs to read UTF-8).  COPY
 * takes no parameters: the month is checked here to be YYYY-MM digits and
 * the report's name comes from a fixed table, so nothing typed is spliced
 * into the statement as text.  --department narrows a hall-wide caller
 * (an administrator, the director) with hall.scope_department, sent as a
 * parameter; a supervisor always gets their own department.  With
 * --output, a failed report leaves no file behind.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/i18n.h"
#include "ctl/ctl.h"
#include "db/conn.h"

static const char *const reports[] = { "timeliness", "scorecard", "platform", "cards" };

/* YYYY-MM, month 01-12. */
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

int ctl_report(ctl_ctx *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "department", required_argument, NULL, 'd' },
		{ "bom", no_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *month = NULL, *dept = NULL, *output = NULL, *kind = NULL;
	char day[16], sql[256], err[1024];
	int bom = 0, opt, rc = CTL_OK;
	FILE *out = stdout;
	PGresult *res;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm': month = optarg; break;
		case 'd': dept = optarg; break;
		case 'b': bom = 1; break;
		case 'o': output = optarg; break;
		default:
			ctl_error(c, _("report: unknown option \"%s\" (see hallctl report --help)"), argv[optind - 1]);
			return CTL_USAGE;
		}
	}
	if (optind != argc - 1) {
		ctl_error(c, _("usage: hallctl report timeliness|scorecard|platform|cards --month YYYY-MM [--department CODE] [--bom] [--output FILE]"));
		return CTL_USAGE;
	}
	for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++)
		if (strcmp(argv[optind], reports[i]) == 0)
			kind = reports[i];
	if (!kind) {
		ctl_error(c, _("report: the report is timeliness, scorecard, platform or cards, not \"%s\""), argv[optind]);
		return CTL_USAGE;
	}
	if (!month) {
		ctl_error(c, _("report: which month? give --month YYYY-MM"));
		return CTL_USAGE;
	}
	if (parse_month(month, day, sizeof day) < 0) {
		ctl_error(c, _("report: --month: expected a month as YYYY-MM, got \"%s\""), month);
		return CTL_USAGE;
	}
	if (dept && !*dept) {
		ctl_error(c, _("report: --department: give a department code"));
		return CTL_USAGE;
	}
	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	if (dept) {
		const char *params[1] = { dept };
		res = db_exec(c->pg,
		              "SELECT set_config('hall.scope_department', d.code, false)"
		              " FROM hall.departments d WHERE d.code = $1",
		              1, params, err, sizeof err);
		if (!res) {
			ctl_error(c, "%s", err);
			return CTL_FAIL;
		}
		if (PQntuples(res) != 1) {
			PQclear(res);
			ctl_error(c, _("report: no department \"%s\""), dept);
			return CTL_USAGE;
		}
		PQclear(res);
	}
	if (output) {
		out = fopen(output, "w");
		if (!out) {
			ctl_error(c, "%s: %s", output, strerror(errno));
			return CTL_USAGE;
		}
	}
	/* day is ten checked digits and dashes: safe as a literal. */
	snprintf(sql, sizeof sql, "COPY (SELECT * FROM hall.report_%s('%s'::date)) TO STDOUT WITH (FORMAT csv, HEADER)",
	         kind, day);
	res = PQexec(c->pg, sql);
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		ctl_error(c, _("report %s refused: %s"), kind, db_result_error(res, err, sizeof err));
		PQclear(res);
		rc = CTL_FAIL;
	} else {
		char *buf;
		int n, wrote_bom = 0;
		PQclear(res);
		while ((n = PQgetCopyData(c->pg, &buf, 0)) > 0) {
			if (bom && !wrote_bom) {
				fputs("\xEF\xBB\xBF", out);
				wrote_bom = 1;
			}
			if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
				rc = CTL_FAIL;
			PQfreemem(buf);
		}
		if (n == -2) {
			ctl_error(c, "%s", db_error_line(c->pg, err, sizeof err));
			rc = CTL_FAIL;
		}
		while ((res = PQgetResult(c->pg)) != NULL) {
			if (PQresultStatus(res) != PGRES_COMMAND_OK) {
				ctl_error(c, _("report %s refused: %s"), kind, db_result_error(res, err, sizeof err));
				rc = CTL_FAIL;
			}
			PQclear(res);
		}
	}
	if (fflush(out) != 0)
		rc = CTL_FAIL;
	if (output) {
		if (fclose(out) != 0)
			rc = CTL_FAIL;
		if (rc != CTL_OK)
			unlink(output);
	}
	return rc;
}
