/* screens/pad.c - hallterm --pad WINDOW: the rating pad on the counter
 * (一次一评).  The citizen in front of the window rates the service just
 * finished: keys 1-5 (5 非常满意 ... 1 非常不满意), an optional comment,
 * Enter to confirm, then thanks.  It connects as a login in hall_pad,
 * which may read only the request open at its own window and rate it once
 * (a second rating is refused by the database: already_rated).
 *
 *   waiting    nothing to rate: the window's name, "请稍候"
 *   choosing   the service (ticket, item), the five levels in large bars
 *   chosen     the level picked: c adds a comment, Enter confirms, another
 *              digit changes it
 *   thanks     for [pad] thanks_seconds, then waiting again
 *
 * NOTIFY hall_pad with the window's code brings the next request at once;
 * a slow timer asks anyway.  The clerk's terminal never shows the choice:
 * it exists only here until the database has it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/session.h"
#include "db/tickets.h"
#include "screens/app.h"
#include "screens/screens.h"
#include "ui/dialog.h"
#include "ui/loop.h"
#include "ui/term.h"

#define PAD_RELOAD_MS 10000
#define PAD_RETRY_MS 3000
#define PAD_COMMENT_MAX 200

enum { PAD_WAITING, PAD_CHOOSING, PAD_CHOSEN, PAD_SENDING, PAD_THANKS };

typedef struct pad {
	char *conninfo, *window;
	int state;
	db_rows *req;           /* the open request, one row */
	int level;              /* 1-5 once chosen */
	char *comment;
	int loading;
	unsigned reload_timer, thanks_timer, retry_timer;
	char error[512];
} pad;

static const int pad_keybar[] = { CMD_OK, CMD_PAD_COMMENT, CMD_NONE };

/* The five levels, best first, as the national 好差评 rules name them. */
static const char *level_name(int level)
{
	switch (level) {
	case 5:
		return _("Very satisfied (非常满意)");
	case 4:
		return _("Satisfied (满意)");
	case 3:
		return _("Basically satisfied (基本满意)");
	case 2:
		return _("Dissatisfied (不满意)");
	case 1:
		return _("Very dissatisfied (非常不满意)");
	default:
		return "";
	}
}

/* ------------------------------------------------------------- loading */

static void req_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	pad *p = ctx;

	p->loading = 0;
	if (!rows) {
		app_refusal_text(reply, p->error, sizeof p->error);
		ui_redraw();
		return;
	}
	p->error[0] = '\0';
	/* The same request still open: keep what the citizen chose so far. */
	if (p->req && rows->nrows == 1 && p->state != PAD_WAITING
	    && db_rows_ll(rows, 0, TP_REQUEST) == db_rows_ll(p->req, 0, TP_REQUEST)) {
		db_rows_free(rows);
		return;
	}
	if (p->state == PAD_THANKS || p->state == PAD_SENDING) {
		db_rows_free(rows);
		return;
	}
	db_rows_free(p->req);
	p->req = rows->nrows == 1 ? rows : NULL;
	if (!p->req)
		db_rows_free(rows);
	p->state = p->req ? PAD_CHOOSING : PAD_WAITING;
	p->level = 0;
	free(p->comment);
	p->comment = NULL;
	ui_redraw();
}

static void load(pad *p)
{
	if (p->loading || !app_online())
		return;
	if (tickets_pad_request(app_db(), p->window, req_loaded, p) == 0)
		p->loading = 1;
}

static void notified(void *ctx, const char *window)
{
	pad *p = ctx;

	if (!*window || strcmp(window, p->window) == 0)
		load(p);
}

static void reload_fired(void *ctx)
{
	load(ctx);
}

static void db_changed(void *ctx, db_state st)
{
	pad *p = ctx;

	if (st == DB_READY) {
		p->loading = 0;
		load(p);
	}
	ui_redraw();
}

static void connect_now(void *ctx)
{
	pad *p = ctx;
	const config *cfg = app_config();
	int needs_password = 0;
	db_session *s;

	p->retry_timer = 0;
	s = db_session_open(p->conninfo, NULL, NULL, (int)config_int(cfg, "database", "connect_timeout"),
	                    (int)config_int(cfg, "database", "reconnect_max_seconds"), &needs_password, p->error,
	                    sizeof p->error);
	if (!s) {
		p->retry_timer = loop_timer(PAD_RETRY_MS, 0, connect_now, p);
		ui_redraw();
		return;
	}
	p->error[0] = '\0';
	app_set_session(s);
	tickets_listen_pad(s, notified, p);
	load(p);
	ui_redraw();
}

/* ------------------------------------------------------------- actions */

static void thanks_over(void *ctx)
{
	pad *p = ctx;

	p->thanks_timer = 0;
	p->state = PAD_WAITING;
	db_rows_free(p->req);
	p->req = NULL;
	load(p);
	ui_redraw();
}

static void rated(void *ctx, const db_reply *reply)
{
	pad *p = ctx;

	if (reply->status != DB_OK) {
		/* Rated already (or no longer open): say so, and wait for the
		 * next service; anything else: the citizen may try again. */
		app_show_error(_("Rating"), reply);
		p->state = strcmp(reply->reason, "already_rated") == 0 ? PAD_WAITING : PAD_CHOSEN;
		if (p->state == PAD_WAITING) {
			db_rows_free(p->req);
			p->req = NULL;
			load(p);
		}
		ui_redraw();
		return;
	}
	p->state = PAD_THANKS;
	loop_timer_cancel(p->thanks_timer);
	p->thanks_timer =
		loop_timer((int)config_int(app_config(), "pad", "thanks_seconds") * 1000, 0, thanks_over, p);
	ui_redraw();
}

static int pad_key(ui_screen *s, int cmd, const ui_event *ev)
{
	pad *p = s->data;
	char *text;

	if (p->state != PAD_CHOOSING && p->state != PAD_CHOSEN)
		return cmd == CMD_QUIT ? UI_UNHANDLED : UI_HANDLED;
	if (cmd == CMD_NONE && ev->key >= '1' && ev->key <= '5') {
		p->level = ev->key - '0';
		p->state = PAD_CHOSEN;
		return UI_REDRAW;
	}
	switch (cmd) {
	case CMD_PAD_COMMENT:
		if (p->state != PAD_CHOSEN)
			return UI_HANDLED;
		text = dialog_prompt(_("Your comment (optional)"), _("What would you like to tell us?"), p->comment,
		                     PAD_COMMENT_MAX, 0);
		if (text) {
			free(p->comment);
			p->comment = text;
		}
		return UI_REDRAW;
	case CMD_OK:
	case CMD_OPEN:
		if (p->state != PAD_CHOSEN || !p->req || !app_require_online())
			return UI_REDRAW;
		if (tickets_pad_rate(app_db(), db_rows_ll(p->req, 0, TP_REQUEST), p->level, p->comment, rated, p) == 0)
			p->state = PAD_SENDING;
		return UI_REDRAW;
	case CMD_BACK:
		p->level = 0;
		p->state = PAD_CHOOSING;
		return UI_REDRAW;
	default:
		return cmd == CMD_QUIT ? UI_UNHANDLED : UI_HANDLED;
	}
}

static int pad_available(ui_screen *s, int cmd)
{
	const pad *p = s->data;

	switch (cmd) {
	case CMD_OK:
	case CMD_PAD_COMMENT:
		return p->state == PAD_CHOSEN;
	default:
		return 1;
	}
}

/* -------------------------------------------------------------- drawing */

static void center(WINDOW *w, int y, int cols, int role, const char *text)
{
	int tw = text_width(text);

	if (tw > cols)
		tw = cols;
	term_put(w, y, (cols - tw) / 2, tw, role, 0, text);
}

static void draw_choices(pad *p, WINDOW *w, int y, int rows, int cols)
{
	/* Bars as tall as the room allows (1 to 3 rows each), 5 first. */
	int h = (rows - y) / 5 >= 3 ? 3 : (rows - y) / 5 >= 2 ? 2 : 1;
	int bw = cols * 2 / 3, x = (cols - bw) / 2;

	for (int level = 5; level >= 1; level--) {
		char buf[160];
		int chosen = p->level == level, role = chosen ? TERM_SELECTED : level <= 2 ? TERM_WARN : TERM_HEADER;

		snprintf(buf, sizeof buf, "%s  %d   %s", chosen ? "▶" : " ", level, level_name(level));
		for (int r = 0; r < h && y + r < rows; r++)
			term_fill(w, y + r, x, bw, role);
		if (y + h / 2 < rows)
			term_put(w, y + h / 2, x + 2, bw - 4, role, 0, buf);
		y += h + (h > 1 && rows - y > 5 * h + 4 ? 1 : 0);
	}
}

static void pad_draw(ui_screen *s, WINDOW *w)
{
	pad *p = s->data;
	int rows, cols, y = 0;
	char *t;

	getmaxyx(w, rows, cols);
	werase(w);
	if (!app_db()) {
		center(w, rows / 2 - 1, cols, TERM_WARN, _("Connecting to the database..."));
		center(w, rows / 2 + 1, cols, TERM_DIM, p->error);
		return;
	}
	switch (p->state) {
	case PAD_WAITING:
		t = x_asprintf(_("Window %s"), p->window);
		center(w, rows / 2 - 2, cols, TERM_HEADER, t);
		free(t);
		center(w, rows / 2, cols, TERM_NORMAL, _("Welcome. When your service is finished, please rate it here."));
		if (*p->error)
			center(w, rows / 2 + 3, cols, TERM_ERROR, p->error);
		return;
	case PAD_THANKS:
		center(w, rows / 2 - 1, cols, TERM_OK, _("Thank you for your rating! (感谢您的评价！)"));
		return;
	default:
		break;
	}
	t = x_asprintf(_("Please rate the service: ticket %s, %s, %s"), db_rows_get(p->req, 0, TP_LABEL),
	               db_rows_get(p->req, 0, TP_ITEM), db_rows_get(p->req, 0, TP_WINDOW_NAME));
	center(w, y++, cols, TERM_HEADER, t);
	free(t);
	center(w, y++, cols, TERM_DIM, _("Press a number from 5 (very satisfied) to 1 (very dissatisfied)."));
	y++;
	draw_choices(p, w, y, rows - 2, cols);
	if (p->state == PAD_CHOSEN || p->state == PAD_SENDING) {
		t = p->state == PAD_SENDING
		        ? x_strdup(_("Sending..."))
		        : x_asprintf(_("You chose %d, %s.  c: add a comment   Enter: confirm   another number: change"),
		                     p->level, level_name(p->level));
		center(w, rows - 2, cols, TERM_INPUT, t);
		free(t);
		if (p->comment && *p->comment) {
			t = x_asprintf(_("Comment: %s"), p->comment);
			center(w, rows - 1, cols, TERM_NORMAL, t);
			free(t);
		}
	}
}

/* --------------------------------------------------------------- life */

static int pad_open(ui_screen *s)
{
	pad *p = s->data;
	char *title = x_asprintf(_("Rate our service (服务评价) - window %s"), p->window);

	ui_screen_title(s, title);
	free(title);
	app_watch_db(db_changed, p);
	p->reload_timer = loop_timer(PAD_RELOAD_MS, 1, reload_fired, p);
	p->retry_timer = loop_timer(0, 0, connect_now, p);
	return 0;
}

static void pad_close(ui_screen *s)
{
	pad *p = s->data;

	if (!p)
		return;
	if (app_db())
		db_session_forget(app_db(), p);
	app_unwatch_db(p);
	loop_timer_cancel(p->reload_timer);
	loop_timer_cancel(p->thanks_timer);
	loop_timer_cancel(p->retry_timer);
	db_rows_free(p->req);
	free(p->comment);
	free(p->conninfo);
	free(p->window);
	free(p);
	s->data = NULL;
}

static const ui_screen_ops pad_ops = {
	.name = "pad",
	.keybar = pad_keybar,
	.available = pad_available,
	.open = pad_open,
	.draw = pad_draw,
	.key = pad_key,
	.close = pad_close,
};

ui_screen *pad_push(const char *conninfo, const char *window)
{
	pad *p = x_calloc(1, sizeof *p);

	p->conninfo = x_strdup(conninfo ? conninfo : "");
	p->window = x_strdup(window);
	return ui_push(&pad_ops, p);
}
