/* screens/casefront.c - the front desk on the case screen; see
 * casefront.h. */
#include "screens/casefront.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "db/receive.h"
#include "screens/app.h"
#include "ui/dialog.h"
#include "ui/loop.h"
#include "ui/term.h"

void casefront_init(casefront *f, long long id, void (*reload)(void *owner), void *owner)
{
	memset(f, 0, sizeof *f);
	f->id = id;
	f->reload = reload;
	f->owner = owner;
}

static void loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	casefront *f = ctx;

	(void)reply; /* the case screen says what failed; this part stays as it was */
	if (!rows)
		return;
	db_rows_free(f->rows);
	f->rows = rows;
	f->changed = 1;
	ui_redraw();
}

void casefront_load(casefront *f)
{
	if (app_online())
		receive_front(app_db(), f->id, loaded, f);
}

static const char *get(const casefront *f, int row, int col)
{
	return db_rows_get(f->rows, row, col);
}

static int received(const casefront *f)
{
	return f->rows && f->rows->nrows > 0 && *get(f, 0, RF_NOTICE);
}

void casefront_lines(const casefront *f, view *v)
{
	static const struct { const char *word, *name; } green[] = {
		{ "elderly", N_("70 or older") }, { "disabled", N_("disabled") }, { "pregnant", N_("pregnant") },
	};
	char buf[512];

	if (!received(f))
		return;
	snprintf(buf, sizeof buf, _("%s, by %s; notice %s"), get(f, 0, RF_SITUATION), get(f, 0, RF_RECEIVED_BY),
	         get(f, 0, RF_NOTICE));
	view_add(v, 0, TERM_NORMAL, _("Front desk"), buf);
	if (*get(f, 0, RF_ASSISTED_BY)) {
		snprintf(buf, sizeof buf, _("filed online for the applicant by %s"), get(f, 0, RF_ASSISTED_BY));
		view_add(v, 0, TERM_NORMAL, _("帮办"), buf);
	}
	if (*get(f, 0, RF_AGENT)) {
		snprintf(buf, sizeof buf, "%s%s  %s", get(f, 0, RF_AGENT), db_rows_bool(f->rows, 0, RF_PROXY) ? _(" (代办)") : "",
		         get(f, 0, RF_POA));
		view_add(v, 0, TERM_NORMAL, _("Agent"), buf);
	}
	for (size_t k = 0; k < sizeof green / sizeof green[0]; k++)
		if (strcmp(get(f, 0, RF_GREEN), green[k].word) == 0)
			view_add(v, 0, TERM_OK, _("Green channel"), _(green[k].name));
	for (int i = 0; i < f->rows->nrows; i++) {
		int role = TERM_NORMAL;
		const char *st = get(f, i, RF_STATE);

		if (db_rows_null(f->rows, i, RF_MATERIAL))
			continue;
		if (strcmp(st, "open") == 0) {
			char cell[64];
			/* The cell only for its colour: the words say the days. */
			app_days_cell(cell, sizeof cell, 1, db_rows_int(f->rows, i, RF_DAYS_LEFT), get(f, i, RF_URGENCY), &role);
			snprintf(buf, sizeof buf, _("%s: to be brought by %s, %d working days left (b: brought)"),
			         get(f, i, RF_MATERIAL_NAME), get(f, i, RF_DUE), db_rows_int(f->rows, i, RF_DAYS_LEFT));
		} else {
			snprintf(buf, sizeof buf, "%s: %s", get(f, i, RF_MATERIAL_NAME),
			         strcmp(st, "supplied") == 0 ? _("brought") : _("not brought: the case was ended"));
			role = strcmp(st, "supplied") == 0 ? TERM_OK : TERM_OVERDUE;
		}
		view_add(v, 0, role, _("容缺"), buf);
	}
	if (*get(f, 0, RF_CHECK_STATE)) {
		const char *cs = get(f, 0, RF_CHECK_STATE);
		if (strcmp(cs, "pending") == 0)
			snprintf(buf, sizeof buf, _("to be checked by %s (k: record the check)"), get(f, 0, RF_CHECK_DUE));
		else
			snprintf(buf, sizeof buf, "%s", strcmp(cs, "true") == 0 ? _("checked: true")
			                                : _("checked: false; the case was ended"));
		view_add(v, 0, strcmp(cs, "false") == 0 ? TERM_OVERDUE : TERM_NORMAL, _("告知承诺"), buf);
	}
}

static int open_material(const casefront *f)
{
	for (int i = 0; f->rows && i < f->rows->nrows; i++)
		if (!db_rows_null(f->rows, i, RF_MATERIAL) && strcmp(get(f, i, RF_STATE), "open") == 0)
			return i;
	return -1;
}

int casefront_available(const casefront *f, int cmd)
{
	if (cmd == CMD_SUPPLY)
		return open_material(f) >= 0;
	if (cmd == CMD_CHECK)
		return f->rows && f->rows->nrows > 0 && strcmp(get(f, 0, RF_CHECK_STATE), "pending") == 0;
	return 0;
}

static void acted(void *ctx, const db_reply *reply)
{
	casefront *f = ctx;

	if (reply->status == DB_OK)
		ui_status(UI_OK, "%s", _("Recorded."));
	else
		app_show_error(_("Recording"), reply);
	f->reload(f->owner);
}

static int supply(casefront *f)
{
	const char *names[16];
	int rows[16], n = 0;
	long pick;

	for (int i = 0; f->rows && i < f->rows->nrows && n < 16; i++)
		if (!db_rows_null(f->rows, i, RF_MATERIAL) && strcmp(get(f, i, RF_STATE), "open") == 0) {
			rows[n] = i;
			names[n++] = get(f, i, RF_MATERIAL_NAME);
		}
	if (!n)
		return UI_HANDLED;
	pick = dialog_choose(_("Which 容缺 material did the applicant bring?"), names, (size_t)n, 0);
	if (pick >= 0 && app_require_online())
		receive_supply_deferred(app_db(), f->id, db_rows_int(f->rows, rows[pick], RF_MATERIAL), acted, f);
	return UI_REDRAW;
}

static int check(casefront *f)
{
	const char *items[2] = { _("true: the commitment holds"), _("false: it does not (the case is ended)") };
	long pick = dialog_choose(_("The check of the commitment (告知承诺核查)"), items, 2, 0);
	char *note;

	if (pick < 0)
		return UI_REDRAW;
	note = dialog_prompt(_("The check (核查)"), pick ? _("What the check found (required):") : _("A note (may stay empty):"),
	                     "", 1000, pick ? DIALOG_REQUIRED : 0);
	if (note && (!pick || dialog_confirm(_("The check (核查)"), _("The commitment is false: end the case now? "
	                                                          "The applicant is told."))))
		if (app_require_online())
			receive_record_check(app_db(), f->id, !pick, note, acted, f);
	free(note);
	return UI_REDRAW;
}

int casefront_key(casefront *f, int cmd)
{
	if (cmd == CMD_SUPPLY)
		return supply(f);
	if (cmd == CMD_CHECK)
		return check(f);
	return UI_UNHANDLED;
}

void casefront_free(casefront *f)
{
	if (app_db())
		db_session_forget(app_db(), f);
	db_rows_free(f->rows);
	f->rows = NULL;
}
