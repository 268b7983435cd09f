/* screens/notice.c - printing a case's notice; see notice.h. */
#include "screens/notice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/print.h"
#include "common/xalloc.h"
#include "db/receive.h"
#include "screens/app.h"
#include "ui/loop.h"

static const char *kind_name(const char *kind)
{
	static const struct { const char *kind, *name; } names[] = {
		{ "acceptance", N_("acceptance notice (受理通知书)") },
		{ "correction", N_("one-time notice (一次性告知书)") },
		{ "refusal", N_("decision not to accept (不予受理决定书)") },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].kind, kind) == 0)
			return _(names[i].name);
	return kind;
}

static void loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	char *done = ctx;
	const config *cfg = app_config();
	char job[64], err[512];

	if (!rows || rows->nrows == 0) {
		if (!rows)
			app_show_error(_("Printing the notice"), reply);
		else
			ui_status(UI_WARN, "%s", _("This case has no notice to print."));
		db_rows_free(rows);
		free(done);
		return;
	}
	if (print_text(cfg ? config_str(cfg, "print", "printer") : "", db_rows_get(rows, 0, RN_NUMBER),
	               db_rows_get(rows, 0, RN_TEXT), 0, job, sizeof job, err, sizeof err) == 0) {
		ui_status(UI_OK, _("%s%s%s No. %s printed (%s)."), done ? done : "", done ? " " : "",
		          kind_name(db_rows_get(rows, 0, RN_KIND)), db_rows_get(rows, 0, RN_NUMBER), job);
	} else {
		log_msg(LOG_WARNING, "printing notice %s: %s", db_rows_get(rows, 0, RN_NUMBER), err);
		ui_status(UI_ERROR, _("%s%sThe %s No. %s was not printed: %s. N on the case prints it again."),
		          done ? done : "", done ? " " : "", kind_name(db_rows_get(rows, 0, RN_KIND)),
		          db_rows_get(rows, 0, RN_NUMBER), err);
	}
	db_rows_free(rows);
	free(done);
}

void notice_print(long long app_id, const char *done_text)
{
	char *done = done_text ? x_strdup(done_text) : NULL;

	if (!app_require_online() || receive_notice(app_db(), app_id, loaded, done) < 0)
		free(done);
}
