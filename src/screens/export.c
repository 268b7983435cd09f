/* screens/export.c - saving a table as CSV; see export.h. */
#include "screens/export.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/xalloc.h"
#include "db/scorecard.h"
#include "db/supervise.h"
#include "db/tickets.h"
#include "screens/app.h"
#include "ui/dialog.h"
#include "ui/loop.h"

static char *default_path(const char *name)
{
	const char *dir = getenv("XDG_DOCUMENTS_DIR");

	if (!dir || !*dir)
		dir = getenv("HOME");
	if (!dir || !*dir)
		dir = ".";
	return x_asprintf("%s/hallterm-%s.csv", dir, name);
}

FILE *export_open(const char *name)
{
	char *path, *def = default_path(name);
	FILE *f;
	int bom;

	path = dialog_prompt(_("Export as CSV"), _("Save as (a file name; it is replaced if it exists):"), def, 1000,
	                     DIALOG_REQUIRED);
	free(def);
	if (!path)
		return NULL;
	bom = dialog_confirm(_("Export as CSV"), _("Mark the file as UTF-8 for Excel on Windows (a byte-order mark)?"));
	/* Exports read the report database when there is one (db/replica.h):
	 * either connection will do; with neither, the usual sentence. */
	if (!app_report_online() && !app_require_online()) {
		free(path);
		return NULL;
	}
	f = fopen(path, "w");
	if (!f) {
		ui_status(UI_ERROR, _("Cannot write %s; choose another place."), path);
		free(path);
		return NULL;
	}
	if (bom)
		fputs("\xEF\xBB\xBF", f);
	ui_status(UI_INFO, _("Saving %s ..."), path);
	free(path);
	return f;
}

void export_done(void *ctx, const db_reply *reply)
{
	FILE *f = ctx;
	int bad = fclose(f) != 0;

	if (reply->status == DB_OK && !bad)
		ui_status(UI_OK, _("Saved %lld rows (and the header) as CSV."), reply->copied > 0 ? reply->copied - 1 : 0);
	else if (reply->status == DB_OK)
		ui_status(UI_ERROR, "%s", _("The file could not be written completely; check the disk and try again."));
	else
		app_show_error(_("Export"), reply);
}

void export_failed(FILE *f)
{
	fclose(f);
	ui_status(UI_ERROR, "%s", _("Not connected to the database: nothing was saved."));
}

/* ------------------------------------------- from the report database */

typedef struct export_job {
	FILE *f;
	long start;          /* where the rows begin (after the byte-order mark) */
	int month;           /* scorecard_export (which, month), else sup_export (which, from, to) */
	char which[16], from[16], to[16];
	int again;           /* already run again on the primary */
} export_job;

static void job_done(void *ctx, const db_reply *reply);

static int job_start(export_job *j, db_session *s)
{
	if (!s)
		return -1;
	if (strncmp(j->which, "tickets_", 8) == 0)
		return tickets_export(s, NULL, j->from, j->to, j->which + 8, j->f, job_done, j);
	return j->month ? scorecard_export(s, j->which, j->from, j->f, job_done, j)
	                : sup_export(s, j->which, j->from, j->to, j->f, job_done, j);
}

static void job_done(void *ctx, const db_reply *reply)
{
	export_job *j = ctx;

	/* The standby cancelled the COPY for its replay, or went while it
	 * streamed: the rows written so far go, the primary writes them all. */
	if (reply->status != DB_OK && !j->again && app_report_again(reply)) {
		j->again = 1;
		if (fflush(j->f) == 0 && ftruncate(fileno(j->f), j->start) == 0 && fseek(j->f, j->start, SEEK_SET) == 0
		    && job_start(j, app_report_session()) == 0)
			return;
	}
	export_done(j->f, reply);
	free(j);
}

static void job_run(FILE *f, int month, const char *which, const char *a, const char *b)
{
	export_job *j;

	if (!f)
		return;
	j = x_calloc(1, sizeof *j);
	j->f = f;
	j->start = ftell(f);
	j->month = month;
	snprintf(j->which, sizeof j->which, "%s", which);
	snprintf(j->from, sizeof j->from, "%s", a ? a : "");
	snprintf(j->to, sizeof j->to, "%s", b ? b : "");
	if (j->start < 0 || job_start(j, app_report_session()) < 0) {
		free(j);
		export_failed(f);
	}
}

void export_period_csv(FILE *f, const char *which, const char *from, const char *to)
{
	job_run(f, 0, which, from, to);
}

void export_month_csv(FILE *f, const char *which, const char *month)
{
	job_run(f, 1, which, month, NULL);
}
