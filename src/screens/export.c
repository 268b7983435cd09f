/* screens/export.c - saving a table as CSV; see export.h. */
#include "screens/export.h"

#include <stdlib.h>

#include "common/i18n.h"
#include "common/xalloc.h"
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
