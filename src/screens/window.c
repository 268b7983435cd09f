/* screens/window.c - the clerk's window on the queue screen; see window.h.
 *
 * Everything is decided by the database (schema/023): who is next (green
 * channel, appointments at their time, the longest wait), that two
 * windows never call the same ticket, the second no-show dropping a
 * ticket, the rating request a finished service opens for the pad.  The
 * panel shows hall.v_my_window and sends the clerk's keys; it reloads on
 * every NOTIFY hall_calls or hall_queue, at most every PANEL_GAP_MS.
 */
#include "screens/window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/cases.h"
#include "db/tickets.h"
#include "screens/app.h"
#include "ui/dialog.h"
#include "ui/loop.h"
#include "ui/term.h"

#define PANEL_GAP_MS 300

struct window_panel {
	db_rows *rows;          /* hall.v_my_window, one row a window */
	db_rows *lines;         /* the lines of those windows (NULL: not known yet) */
	int active;             /* the row of the window the clerk sits at */
	char active_code[32];   /* kept across reloads */
	int loading, again;
	unsigned timer;
	long long last_ms;
	int say_called;         /* after a call: say who was called once loaded */
	long long offer_app;    /* window_offer_link: the case, asked from the loop */
	char offer_no[32];
	unsigned offer_timer;
};

/* The panel the queue has open (one clerk, one queue). */
static window_panel *current;

static const char *status_name(const char *s)
{
	if (strcmp(s, "idle") == 0)
		return _("idle (空闲)");
	if (strcmp(s, "serving") == 0)
		return _("serving (办理中)");
	if (strcmp(s, "paused") == 0)
		return _("paused (暂停)");
	if (strcmp(s, "away") == 0)
		return _("away (离开)");
	return s;
}

static int has_row(const window_panel *p)
{
	return p && p->rows && p->active >= 0 && p->active < p->rows->nrows;
}

static const char *col(const window_panel *p, int c)
{
	return db_rows_get(p->rows, p->active, c);
}

/* The ticket being served at the active window, 0 when none. */
static long long ticket_now(const window_panel *p)
{
	return has_row(p) && !db_rows_null(p->rows, p->active, TW_TICKET) ? db_rows_ll(p->rows, p->active, TW_TICKET) : 0;
}

static int ticket_linked(const window_panel *p)
{
	return has_row(p) && !db_rows_null(p->rows, p->active, TW_APPLICATION);
}

/* ------------------------------------------------------------ loading */

static void load(window_panel *p);

/* The row of the window the clerk sits at: the one chosen before, else
 * one where the clerk serves a ticket, else one the clerk set last and
 * not away, else one nobody else serves at, else the first. */
static int find_active(const window_panel *p)
{
	const db_rows *r = p->rows;
	int me = app_me() ? app_me()->id : 0;

	for (int i = 0; *p->active_code && i < r->nrows; i++)
		if (strcmp(db_rows_get(r, i, TW_WINDOW), p->active_code) == 0)
			return i;
	for (int i = 0; i < r->nrows; i++)
		if (!db_rows_null(r, i, TW_TICKET) && db_rows_int(r, i, TW_STAFF) == me)
			return i;
	for (int i = 0; i < r->nrows; i++)
		if (db_rows_int(r, i, TW_STAFF) == me && strcmp(db_rows_get(r, i, TW_STATUS), "away") != 0)
			return i;
	for (int i = 0; i < r->nrows; i++)
		if (db_rows_null(r, i, TW_TICKET))
			return i;
	return 0;
}

static void pick_active(window_panel *p)
{
	p->active = 0;
	if (!p->rows || p->rows->nrows == 0)
		return;
	p->active = find_active(p);
	snprintf(p->active_code, sizeof p->active_code, "%s", db_rows_get(p->rows, p->active, TW_WINDOW));
}

static void loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	window_panel *p = ctx;

	p->loading = 0;
	if (rows) {
		db_rows_free(p->rows);
		p->rows = rows;
		pick_active(p);
		if (p->say_called && ticket_now(p))
			ui_status(UI_OK, _("Called %s (%s) to window %s."), col(p, TW_LABEL), col(p, TW_LINE_NAME),
			          col(p, TW_WINDOW));
		p->say_called = 0;
	} else if (reply->status == DB_FAILED) {
		/* A database without tickets (not migrated yet) shows no panel. */
		db_rows_free(p->rows);
		p->rows = NULL;
	}
	if (p->again) {
		p->again = 0;
		load(p);
	}
	ui_redraw();
}

static void load(window_panel *p)
{
	if (!app_online())
		return;
	if (p->loading) {
		p->again = 1;
		return;
	}
	p->last_ms = loop_now_ms();
	if (tickets_my_window(app_db(), loaded, p) == 0)
		p->loading = 1;
}

static void timer_fired(void *ctx)
{
	window_panel *p = ctx;

	p->timer = 0;
	load(p);
}

static void schedule(window_panel *p)
{
	long long wait = p->last_ms + PANEL_GAP_MS - loop_now_ms();

	if (!p->timer)
		p->timer = loop_timer(wait > 0 ? (int)wait : 0, 0, timer_fired, p);
}

/* Every call in the hall is announced on hall_calls with its line: only
 * those of the clerk's lines (or any, until they are known) reload, so 500
 * terminals do not all read again for each call of the hall. */
static void calls_notified(void *ctx, const char *line)
{
	window_panel *p = ctx;
	int ours = !p->lines || !*line;

	for (int i = 0; !ours && i < p->lines->nrows; i++)
		ours = strcmp(db_rows_get(p->lines, i, 0), line) == 0;
	if (ours)
		schedule(p);
}

/* hall_queue: a window's code ('' for all); a status or a link changed. */
static void queue_notified(void *ctx, const char *window)
{
	window_panel *p = ctx;
	int ours = !p->rows || !*window;

	for (int i = 0; !ours && i < p->rows->nrows; i++)
		ours = strcmp(db_rows_get(p->rows, i, TW_WINDOW), window) == 0;
	if (ours)
		schedule(p);
}

static void lines_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	window_panel *p = ctx;

	(void)reply; /* without them every call reloads: slower, still right */
	if (!rows)
		return;
	db_rows_free(p->lines);
	p->lines = rows;
}

static void db_changed(void *ctx, db_state st)
{
	window_panel *p = ctx;

	if (st == DB_READY) {
		p->loading = 0;
		load(p);
		tickets_my_lines(app_db(), lines_loaded, p);
	}
}

window_panel *window_panel_new(void)
{
	window_panel *p = x_calloc(1, sizeof *p);

	if (app_db()) {
		tickets_listen_calls(app_db(), calls_notified, p);
		cases_listen(app_db(), queue_notified, p);
	}
	app_watch_db(db_changed, p);
	load(p);
	if (app_online())
		tickets_my_lines(app_db(), lines_loaded, p);
	current = p;
	return p;
}

void window_panel_free(window_panel *p)
{
	if (!p)
		return;
	if (current == p)
		current = NULL;
	if (app_db()) {
		db_session_forget(app_db(), p);
		tickets_unlisten_calls(app_db(), p);
		cases_unlisten(app_db(), p);
	}
	app_unwatch_db(p);
	loop_timer_cancel(p->timer);
	loop_timer_cancel(p->offer_timer);
	db_rows_free(p->rows);
	db_rows_free(p->lines);
	free(p);
}

void window_panel_reload(window_panel *p)
{
	if (p)
		schedule(p);
}

/* ------------------------------------------------------------ actions */

/* A change was answered: say so (or why not) and reload. */
static void changed(window_panel *p, const db_reply *reply, const char *what, const char *ok)
{
	if (reply->status != DB_OK)
		app_show_error(what, reply);
	else if (ok)
		ui_status(UI_OK, "%s", ok);
	load(p);
}

static void called(void *ctx, db_rows *rows, const db_reply *reply)
{
	window_panel *p = ctx;

	if (!rows) {
		changed(p, reply, _("Calling the next ticket"), NULL);
		return;
	}
	if (rows->nrows != 1 || db_rows_null(rows, 0, 0))
		ui_status(UI_INFO, "%s", _("Nobody is waiting in the lines of your window."));
	else
		p->say_called = 1;
	db_rows_free(rows);
	load(p);
}

static void recalled(void *ctx, const db_reply *reply)
{
	changed(ctx, reply, _("Calling again"), _("Called again (重呼): the display shows the call once more."));
}

static void skipped(void *ctx, const db_reply *reply)
{
	changed(ctx, reply, _("No-show"),
	        _("Marked a no-show (过号): back in the line once; a second time it is dropped."));
}

static void finished(void *ctx, db_rows *rows, const db_reply *reply)
{
	window_panel *p = ctx;

	if (!rows) {
		changed(p, reply, _("Finishing the service"), NULL);
		return;
	}
	db_rows_free(rows);
	changed(p, reply, NULL, _("Service finished: the pad on the counter asks the citizen to rate it (一次一评)."));
}

static void status_set(void *ctx, const db_reply *reply)
{
	changed(ctx, reply, _("Setting the window's status"), _("The window's status is set."));
}

static void linked(void *ctx, const db_reply *reply)
{
	changed(ctx, reply, _("Linking the ticket to the case"), NULL);
}

static void offer_linked(void *ctx, const db_reply *reply)
{
	changed(ctx, reply, _("Linking the ticket to the case"), _("The ticket is linked to the case."));
}

/* s: which window (when the clerk has several), then the status and, for
 * a pause, the reason. */
static int ask_status(window_panel *p)
{
	static const char *const codes[] = { "idle", "paused", "away" };
	const char *items[3];
	char *reason = NULL;
	long pick;

	if (p->rows->nrows > 1) {
		const char **names = x_calloc((size_t)p->rows->nrows, sizeof *names);
		char **own = x_calloc((size_t)p->rows->nrows, sizeof *own);

		for (int i = 0; i < p->rows->nrows; i++) {
			own[i] = x_asprintf("%s  %s", db_rows_get(p->rows, i, TW_WINDOW),
			                    status_name(db_rows_get(p->rows, i, TW_STATUS)));
			names[i] = own[i];
		}
		pick = dialog_choose(_("Which window are you at?"), names, (size_t)p->rows->nrows, (size_t)p->active);
		for (int i = 0; i < p->rows->nrows; i++)
			free(own[i]);
		free(own);
		free(names);
		if (pick < 0 || !p->rows || pick >= p->rows->nrows)
			return UI_REDRAW;
		p->active = (int)pick;
		snprintf(p->active_code, sizeof p->active_code, "%s", db_rows_get(p->rows, p->active, TW_WINDOW));
	}
	for (int i = 0; i < 3; i++)
		items[i] = status_name(codes[i]);
	pick = dialog_choose(_("The window's status"), items, 3, 0);
	if (pick < 0)
		return UI_REDRAW;
	if (pick == 1) {
		reason = dialog_prompt(_("Pause the window (暂停)"), _("Why (your supervisor sees it):"), NULL,
		                       100, DIALOG_REQUIRED);
		if (!reason)
			return UI_REDRAW;
	}
	if (app_require_online() && has_row(p))
		tickets_set_status(app_db(), p->active_code, codes[pick], reason, status_set, p);
	free(reason);
	return UI_REDRAW;
}

int window_panel_available(const window_panel *p, int cmd)
{
	long long t = ticket_now(p);

	switch (cmd) {
	case CMD_TICKET_CALL:
		return app_is_clerk() && has_row(p) && !t;
	case CMD_TICKET_RECALL:
	case CMD_TICKET_SKIP:
	case CMD_TICKET_FINISH:
		return app_is_clerk() && t != 0;
	case CMD_WINDOW_STATUS:
		return app_is_clerk() && has_row(p);
	default:
		return -1;
	}
}

int window_panel_key(window_panel *p, int cmd)
{
	long long t = ticket_now(p);
	char *q;
	int yes;

	if (window_panel_available(p, cmd) < 0)
		return UI_UNHANDLED;
	if (!window_panel_available(p, cmd))
		return UI_REDRAW;
	if (cmd == CMD_WINDOW_STATUS)
		return ask_status(p);
	if (!app_require_online())
		return UI_REDRAW;
	switch (cmd) {
	case CMD_TICKET_CALL:
		tickets_call_next(app_db(), p->active_code, called, p);
		break;
	case CMD_TICKET_RECALL:
		tickets_recall(app_db(), t, recalled, p);
		break;
	case CMD_TICKET_SKIP:
		q = x_asprintf(_("%s did not come to the window? The ticket goes back into the line once; the second time it is "
		                 "dropped."),
		               col(p, TW_LABEL));
		yes = dialog_confirm(_("No-show (过号)"), q);
		free(q);
		if (yes && app_require_online() && ticket_now(p) == t)
			tickets_skip(app_db(), t, skipped, p);
		break;
	case CMD_TICKET_FINISH:
		q = ticket_linked(p)
		        ? x_asprintf(_("Finish the service of %s? The pad on the counter then asks for the rating."),
		                     col(p, TW_LABEL))
		        : x_asprintf(_("Finish the service of %s? It leads to no case (receive one with a, or find it with /). "
		                       "The pad on the counter then asks for the rating."),
		                     col(p, TW_LABEL));
		yes = dialog_confirm(_("Finish (办结)"), q);
		free(q);
		if (yes && app_require_online() && ticket_now(p) == t)
			tickets_finish(app_db(), t, finished, p);
		break;
	default:
		break;
	}
	return UI_REDRAW;
}

/* ------------------------------------------------------------- linking */

void window_link_case(long long application)
{
	window_panel *p = current;
	long long t = ticket_now(p);

	if (!t || ticket_linked(p) || !app_online())
		return;
	tickets_link(app_db(), t, application, linked, p);
}

static void offer_fired(void *ctx)
{
	window_panel *p = ctx;
	long long t = ticket_now(p), app = p->offer_app;
	char *q;
	int yes;

	p->offer_timer = 0;
	p->offer_app = 0;
	if (!t || ticket_linked(p) || !app)
		return;
	q = x_asprintf(_("Is ticket %s, served now, for case %s? Yes links them (the figures count the service for it)."),
	               col(p, TW_LABEL), p->offer_no);
	yes = dialog_confirm(_("Link the ticket"), q);
	free(q);
	if (yes && current == p && ticket_now(p) == t && app_require_online())
		tickets_link(app_db(), t, app, offer_linked, p);
}

void window_offer_link(long long application, const char *case_no)
{
	window_panel *p = current;

	if (!ticket_now(p) || ticket_linked(p))
		return;
	p->offer_app = application;
	snprintf(p->offer_no, sizeof p->offer_no, "%s", case_no ? case_no : "");
	if (!p->offer_timer)
		p->offer_timer = loop_timer(0, 0, offer_fired, p);
}

/* ------------------------------------------------------------- drawing */

int window_panel_draw(window_panel *p, WINDOW *w, int y, int cols)
{
	char buf[512], tail[96];
	const char *st;
	int role = TERM_NORMAL, n, tw;

	if (!has_row(p) || !app_is_clerk())
		return 0;
	st = col(p, TW_STATUS);
	n = snprintf(buf, sizeof buf, _("Window %s: %s"), col(p, TW_WINDOW), status_name(st));
	if (*col(p, TW_REASON) && n < (int)sizeof buf)
		n += snprintf(buf + n, sizeof buf - n, " (%s)", col(p, TW_REASON));
	if (ticket_now(p) && n < (int)sizeof buf) {
		n += snprintf(buf + n, sizeof buf - n, _("  ticket %s %s, called %s"), col(p, TW_LABEL), col(p, TW_LINE_NAME),
		              col(p, TW_CALLED_AT));
		if (db_rows_int(p->rows, p->active, TW_RECALLS) > 0 && n < (int)sizeof buf)
			n += snprintf(buf + n, sizeof buf - n, _(", recalled %d"), db_rows_int(p->rows, p->active, TW_RECALLS));
		if (n < (int)sizeof buf)
			snprintf(buf + n, sizeof buf - n, "%s", ticket_linked(p) ? _(", case linked") : "");
	} else if (*col(p, TW_SINCE) && n < (int)sizeof buf) {
		snprintf(buf + n, sizeof buf - n, _(" since %s"), col(p, TW_SINCE));
	}
	if (strcmp(st, "serving") == 0)
		role = TERM_OK;
	else if (strcmp(st, "paused") == 0 || strcmp(st, "away") == 0)
		role = TERM_WARN;
	snprintf(tail, sizeof tail, _("waiting %d"), db_rows_int(p->rows, p->active, TW_WAITING));
	tw = text_width(tail);
	term_fill(w, y, 0, cols, TERM_NORMAL);
	term_put(w, y, 0, cols - tw - 1, role, TEXT_PAD, buf);
	term_put(w, y, cols - tw, tw, db_rows_int(p->rows, p->active, TW_WAITING) ? TERM_WARN : TERM_DIM, 0, tail);
	return 1;
}
