/* screens/supx.c - reassignment and 督办 on the case and inquiry screens;
 * see supx.h. */
#include "screens/supx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/xalloc.h"
#include "db/supervise.h"
#include "screens/app.h"
#include "ui/dialog.h"
#include "ui/loop.h"
#include "ui/term.h"

void supx_init(supx *x, const char *kind, long long id, void (*reload)(void *owner), void *owner)
{
	memset(x, 0, sizeof *x);
	x->kind = kind;
	x->id = id;
	x->reload = reload;
	x->owner = owner;
}

static void flag_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	supx *x = ctx;

	(void)reply; /* no flag line: the rest of the screen says what failed */
	db_rows_free(x->flag);
	x->flag = rows;
	x->changed = 1;
	ui_redraw();
}

static void candidates_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	supx *x = ctx;

	(void)reply;
	db_rows_free(x->candidates);
	x->candidates = rows;
	x->changed = 1;
	ui_redraw();
}

void supx_load(supx *x, const char *ref, int open_item)
{
	db_session *s = app_db();
	int inquiry = strcmp(x->kind, "inquiry") == 0;

	snprintf(x->ref, sizeof x->ref, "%s", ref ? ref : "");
	x->open_item = open_item;
	if (!s || !app_online())
		return;
	sup_open_flag(s, x->kind, x->id, flag_loaded, x);
	if (app_is_supervisor() && (open_item & SUPX_REASSIGNABLE))
		sup_candidates(s, inquiry ? 0 : x->id, inquiry ? x->id : 0, candidates_loaded, x);
}

static int has_flag(const supx *x)
{
	return x->flag && x->flag->nrows > 0;
}

void supx_lines(const supx *x, view *v)
{
	char buf[768];
	int late;

	if (!has_flag(x))
		return;
	late = db_rows_bool(x->flag, 0, SUP_FLAG_LATE);
	snprintf(buf, sizeof buf, _("%s  (from %s; answer by %s%s)"), db_rows_get(x->flag, 0, SUP_FLAG_NOTE),
	         db_rows_get(x->flag, 0, SUP_FLAG_BY), db_rows_get(x->flag, 0, SUP_FLAG_DUE),
	         late ? _(", LATE") : "");
	view_add(v, 0, late ? TERM_OVERDUE : TERM_WARN, _("督办"), buf);
}

int supx_available(const supx *x, int cmd)
{
	switch (cmd) {
	case CMD_REASSIGN:
		return app_is_supervisor() && (x->open_item & SUPX_REASSIGNABLE) && x->candidates && x->candidates->nrows > 0;
	case CMD_FLAG:
		return app_is_supervisor() && (x->open_item & SUPX_OPEN) && x->flag && !has_flag(x);
	case CMD_ANSWER_FLAG:
		return app_is_clerk() && has_flag(x);
	default:
		return 0;
	}
}

static void done(void *ctx, const db_reply *reply, const char *what, const char *ok)
{
	supx *x = ctx;

	if (reply->status == DB_OK)
		ui_status(UI_OK, "%s", ok);
	else
		app_show_error(what, reply);
	if (x->reload)
		x->reload(x->owner);
}

static void reassigned(void *ctx, const db_reply *reply)
{
	done(ctx, reply, _("Reassign"), _("Reassigned: it has left the previous clerk's screen."));
}

static void flagged(void *ctx, const db_reply *reply)
{
	done(ctx, reply, _("督办"), _("Flagged 督办; the clerk sees it on their screen."));
}

static void answered(void *ctx, const db_reply *reply)
{
	done(ctx, reply, _("Answer 督办"), _("Answer sent to the supervisor."));
}

static int ask_reassign(supx *x)
{
	int n = x->candidates ? x->candidates->nrows : 0;
	const char **items;
	char **owned, *note, *question;
	long pick;

	if (n == 0)
		return UI_REDRAW;
	items = x_calloc((size_t)n, sizeof *items);
	owned = x_calloc((size_t)n, sizeof *owned);
	for (int i = 0; i < n; i++) {
		owned[i] = x_asprintf("%s (%s)  %s", db_rows_get(x->candidates, i, 1), db_rows_get(x->candidates, i, 0),
		                      db_rows_get(x->candidates, i, 2));
		items[i] = owned[i];
	}
	pick = dialog_choose(_("Give it to which clerk?"), items, (size_t)n, 0);
	if (pick >= 0) {
		char login[64], name[128];

		snprintf(login, sizeof login, "%s", db_rows_get(x->candidates, (int)pick, 0));
		snprintf(name, sizeof name, "%s", db_rows_get(x->candidates, (int)pick, 1));
		note = dialog_prompt(_("Reassign (改派)"), _("Reason (the clerks and the audit log read it):"), NULL, 500,
		                     DIALOG_REQUIRED);
		if (note) {
			question = x_asprintf(_("Give %s to %s (%s)? The clerk who holds it now loses it."), x->ref, name,
			                      login);
			if (dialog_confirm(_("Reassign (改派)"), question) && app_require_online()) {
				if (strcmp(x->kind, "inquiry") == 0)
					sup_reassign_inquiry(app_db(), x->id, login, note, reassigned, x);
				else
					sup_reassign(app_db(), x->id, login, note, reassigned, x);
			} else {
				ui_status(UI_INFO, "%s", _("Cancelled; nothing was sent."));
			}
			free(question);
			free(note);
		}
	}
	for (int i = 0; i < n; i++)
		free(owned[i]);
	free(owned);
	free(items);
	return UI_REDRAW;
}

static int ask_flag(supx *x)
{
	char *note, *due;

	note = dialog_prompt(_("督办"), _("What do you ask of the clerk?"), NULL, 500, DIALOG_REQUIRED);
	if (!note)
		return UI_REDRAW;
	due = dialog_prompt(_("督办"), _("Answer by (YYYY-MM-DD; empty: the next working day):"), NULL, 10, 0);
	if (due && app_require_online())
		sup_flag(app_db(), x->kind, x->id, note, due, flagged, x);
	free(due);
	free(note);
	return UI_REDRAW;
}

static int ask_answer(supx *x)
{
	char *label, *text;

	if (!has_flag(x))
		return UI_REDRAW;
	label = x_asprintf(_("The supervisor asks: %s\nYour answer:"), db_rows_get(x->flag, 0, SUP_FLAG_NOTE));
	text = dialog_prompt(_("Answer 督办"), label, NULL, 1000, DIALOG_REQUIRED | DIALOG_MULTILINE);
	free(label);
	if (text && has_flag(x) && app_require_online())
		sup_answer(app_db(), db_rows_ll(x->flag, 0, SUP_FLAG_ID), text, answered, x);
	free(text);
	return UI_REDRAW;
}

int supx_key(supx *x, int cmd)
{
	if (cmd != CMD_REASSIGN && cmd != CMD_FLAG && cmd != CMD_ANSWER_FLAG)
		return UI_UNHANDLED;
	if (!app_require_online())
		return UI_REDRAW;
	if (!supx_available(x, cmd))
		return UI_REDRAW;
	switch (cmd) {
	case CMD_REASSIGN:
		return ask_reassign(x);
	case CMD_FLAG:
		return ask_flag(x);
	default:
		return ask_answer(x);
	}
}

void supx_free(supx *x)
{
	if (app_db())
		db_session_forget(app_db(), x);
	db_rows_free(x->candidates);
	db_rows_free(x->flag);
	x->candidates = x->flag = NULL;
}
