/* screens/display.c - hallterm --display [LINES]: the waiting room's
 * monitor (叫号屏).  No login and no keys for anybody to press: it
 * connects as a login in hall_display, which may call two functions and
 * read nothing else, and shows
 *
 *   the newest call       its ticket and window in the block font of
 *                         ui/bigtext.h, sized to the terminal, and under
 *                         it "请 A017 号 到 综合受理1号窗口" at normal size,
 *                         highlighted for [display] highlight_seconds
 *   the calls before it   ticket, window, time, 重呼
 *   waiting per line      the lines shown (LINES, e.g. A,B; all without)
 *
 * NOTIFY hall_calls (payload: the line) reloads both at once, so a call
 * is on the screen well within a second; a slow timer reloads anyway (a
 * ticket taken changes the waiting counts).  The session reconnects by
 * itself when the server restarts (db/session.h) and the screen reloads
 * on DB_READY, like the terminal's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/session.h"
#include "db/tickets.h"
#include "screens/app.h"
#include "screens/screens.h"
#include "ui/bigtext.h"
#include "ui/loop.h"
#include "ui/term.h"

#define DISPLAY_CALLS 10        /* calls asked for: the newest and those before */
#define DISPLAY_RELOAD_MS 15000 /* the waiting counts, without a NOTIFY */
#define DISPLAY_RETRY_MS 3000   /* no connection at start: try again */

typedef struct display {
	char **lines;             /* line codes shown (NULL: all) */
	int nlines;
	db_rows *calls, *waiting;
	long long newest;         /* stamp of the newest call seen */
	int seen;                 /* the calls were read once (a call before that is not new) */
	long long new_until_ms;   /* the newest call is highlighted until then */
	int highlight_ms;
	int loading, again;
	unsigned reload_timer, tick_timer, retry_timer;
	char error[512];
} display;

static const int display_keybar[] = { CMD_NONE };

/* ------------------------------------------------------------- loading */

static void load(display *d);

static void part_done(display *d)
{
	if (d->loading > 0)
		d->loading--;
	if (!d->loading && d->again) {
		d->again = 0;
		load(d);
	}
	ui_redraw();
}

static void calls_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	display *d = ctx;

	if (rows) {
		long long top = rows->nrows ? db_rows_ll(rows, 0, TD_STAMP) : 0;

		/* A call newer than any shown (a recall is a new call too). */
		if (top > d->newest) {
			if (d->seen)
				d->new_until_ms = loop_now_ms() + d->highlight_ms;
			d->newest = top;
			log_msg(LOG_INFO, "display: call %s to %s", db_rows_get(rows, 0, TD_LABEL),
			        db_rows_get(rows, 0, TD_WINDOW));
		}
		d->seen = 1;
		db_rows_free(d->calls);
		d->calls = rows;
		d->error[0] = '\0';
	} else {
		app_refusal_text(reply, d->error, sizeof d->error);
	}
	part_done(d);
}

static void waiting_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	display *d = ctx;

	if (rows) {
		db_rows_free(d->waiting);
		d->waiting = rows;
	} else {
		app_refusal_text(reply, d->error, sizeof d->error);
	}
	part_done(d);
}

static void load(display *d)
{
	db_session *s = app_db();

	if (!app_online())
		return;
	if (d->loading) {
		d->again = 1;
		return;
	}
	if (tickets_display_calls(s, (const char *const *)d->lines, d->nlines, DISPLAY_CALLS, calls_loaded, d) == 0)
		d->loading++;
	if (tickets_display_waiting(s, (const char *const *)d->lines, d->nlines, waiting_loaded, d) == 0)
		d->loading++;
}

static void notified(void *ctx, const char *line)
{
	display *d = ctx;

	/* Another line's call changes nothing here but its count, which is
	 * not shown: every line's NOTIFY is cheap enough to follow anyway. */
	(void)line;
	load(d);
}

static void reload_fired(void *ctx)
{
	load(ctx);
}

/* Once a second: the highlight of a new call ends on time. */
static void tick(void *ctx)
{
	display *d = ctx;

	if (d->new_until_ms && loop_now_ms() >= d->new_until_ms) {
		d->new_until_ms = 0;
		ui_redraw();
	}
}

static void db_changed(void *ctx, db_state st)
{
	display *d = ctx;

	if (st == DB_READY) {
		d->loading = 0;
		load(d);
	}
	ui_redraw();
}

static const char *display_conninfo(void);

/* Connect (blocking, at most connect_timeout): at start, and again every
 * few seconds while the server is not there yet.  Once connected, the
 * session reconnects by itself. */
static void connect_now(void *ctx)
{
	display *d = ctx;
	const config *cfg = app_config();
	char err[512];
	int needs_password = 0;
	db_session *s;

	d->retry_timer = 0;
	s = db_session_open(display_conninfo(), NULL, NULL, (int)config_int(cfg, "database", "connect_timeout"),
	                    (int)config_int(cfg, "database", "reconnect_max_seconds"), &needs_password, err, sizeof err);
	if (!s) {
		snprintf(d->error, sizeof d->error, "%s", err);
		d->retry_timer = loop_timer(DISPLAY_RETRY_MS, 0, connect_now, d);
		ui_redraw();
		return;
	}
	d->error[0] = '\0';
	app_set_session(s);
	/* The display's session reads; nothing it does changes data. */
	tickets_listen_calls(s, notified, d);
	load(d);
	ui_redraw();
}

/* -------------------------------------------------------------- drawing */

static void center(WINDOW *w, int y, int cols, int role, const char *text)
{
	int tw = text_width(text);

	if (tw > cols)
		tw = cols;
	term_put(w, y, (cols - tw) / 2, tw, role, 0, text);
}

/* The newest call: big ticket and window, the sentence under them.
 * Returns the rows used. */
static int draw_newest(display *d, WINDOW *w, int rows, int cols)
{
	const char *label, *win, *name;
	char big[64], *line;
	int sx, sy, y = 0, fresh = d->new_until_ms && loop_now_ms() < d->new_until_ms;
	attr_t attr = term_attr(fresh ? TERM_OK : TERM_NORMAL) | A_BOLD;

	if (!d->calls || d->calls->nrows == 0) {
		center(w, rows / 3, cols, TERM_DIM, *d->error ? d->error : _("No ticket called yet (暂无叫号)."));
		return rows / 3 + 2;
	}
	label = db_rows_get(d->calls, 0, TD_LABEL);
	win = db_rows_get(d->calls, 0, TD_WINDOW);
	name = db_rows_get(d->calls, 0, TD_WINDOW_NAME);
	/* The ticket and the window code in block letters, "A017 > A01";
	 * "A017 A01", then the ticket alone when that does not fit. */
	for (int k = 0; k < 3; k++) {
		if (k < 2)
			snprintf(big, sizeof big, k == 0 ? "%s > %s" : "%s %s", label, win);
		else
			snprintf(big, sizeof big, "%s", label);
		if (!bigtext_covers(big) || bigtext_fit(big, cols, rows - 3, &sx, &sy) < 0)
			continue;
		if (fresh)
			for (int r = 0; r < bigtext_rows(sy); r++)
				term_fill(w, r, 0, cols, TERM_NORMAL);
		bigtext_draw(w, y, (cols - bigtext_width(big, sx)) / 2, big, sx, sy, attr);
		y += bigtext_rows(sy);
		break;
	}
	/* The words, at normal size: Chinese has no block font here. */
	line = x_asprintf(_("Number %s, please go to %s"), label, name);
	y++;
	if (fresh) {
		term_fill(w, y, 0, cols, TERM_SELECTED);
		center(w, y, cols, TERM_SELECTED, line);
	} else {
		center(w, y, cols, TERM_HEADER, line);
	}
	free(line);
	return y + 2;
}

static void draw_lists(display *d, WINDOW *w, int y, int rows, int cols)
{
	int left = cols * 3 / 5, right = cols - left - 2, ly = y, ry = y;
	char buf[256];

	if (y >= rows)
		return;
	term_put(w, ly++, 0, left, TERM_HEADER, TEXT_PAD, _("Called before (已叫号)"));
	for (int i = 1; d->calls && i < d->calls->nrows && ly < rows; i++) {
		snprintf(buf, sizeof buf, "%-6s %s  %s%s", db_rows_get(d->calls, i, TD_LABEL),
		         db_rows_get(d->calls, i, TD_WINDOW_NAME), db_rows_get(d->calls, i, TD_AT),
		         db_rows_bool(d->calls, i, TD_RECALL) ? _(" (recall 重呼)") : "");
		term_put(w, ly++, 0, left, TERM_NORMAL, TEXT_PAD, buf);
	}
	term_put(w, ry++, left + 2, right, TERM_HEADER, TEXT_PAD, _("Waiting (等候人数)"));
	for (int i = 0; d->waiting && i < d->waiting->nrows && ry < rows; i++) {
		char n[32];
		int nw;

		snprintf(n, sizeof n, "%s", db_rows_get(d->waiting, i, TL_WAITING));
		nw = text_width(n);
		snprintf(buf, sizeof buf, "%s %s", db_rows_get(d->waiting, i, TL_CODE), db_rows_get(d->waiting, i, TL_NAME));
		term_put(w, ry, left + 2, right - nw - 1, TERM_NORMAL, TEXT_PAD, buf);
		term_put(w, ry++, cols - nw, nw, TERM_NORMAL, 0, n);
	}
}

static void display_draw(ui_screen *s, WINDOW *w)
{
	display *d = s->data;
	int rows, cols, used;

	getmaxyx(w, rows, cols);
	werase(w);
	if (!app_db()) {
		center(w, rows / 2 - 1, cols, TERM_WARN, _("Connecting to the database..."));
		if (*d->error)
			center(w, rows / 2 + 1, cols, TERM_DIM, d->error);
		return;
	}
	/* The newest call takes up to half the height, the lists the rest. */
	used = draw_newest(d, w, rows / 2 + 2 < 9 ? 9 : rows / 2 + 2, cols);
	draw_lists(d, w, used, rows, cols);
}

/* --------------------------------------------------------------- life */

static int display_key(ui_screen *s, int cmd, const ui_event *ev)
{
	(void)s;
	(void)ev;
	/* Nobody in the waiting room should stop it by a stray key; F10
	 * (and Ctrl-C twice) still end it for the administrator. */
	return cmd == CMD_QUIT ? UI_UNHANDLED : UI_HANDLED;
}

static int display_open(ui_screen *s)
{
	display *d = s->data;

	ui_screen_title(s, _("Calls (叫号)"));
	app_watch_db(db_changed, d);
	d->reload_timer = loop_timer(DISPLAY_RELOAD_MS, 1, reload_fired, d);
	d->tick_timer = loop_timer(1000, 1, tick, d);
	d->retry_timer = loop_timer(0, 0, connect_now, d);
	return 0;
}

static void display_close(ui_screen *s)
{
	display *d = s->data;

	if (!d)
		return;
	if (app_db()) {
		db_session_forget(app_db(), d);
		tickets_unlisten_calls(app_db(), d);
	}
	app_unwatch_db(d);
	loop_timer_cancel(d->reload_timer);
	loop_timer_cancel(d->tick_timer);
	loop_timer_cancel(d->retry_timer);
	db_rows_free(d->calls);
	db_rows_free(d->waiting);
	for (int i = 0; i < d->nlines; i++)
		free(d->lines[i]);
	free(d->lines);
	free(d);
	s->data = NULL;
}

static const ui_screen_ops display_ops = {
	.name = "display",
	.keybar = display_keybar,
	.open = display_open,
	.draw = display_draw,
	.key = display_key,
	.close = display_close,
};

static char *the_conninfo;

static const char *display_conninfo(void)
{
	return the_conninfo ? the_conninfo : app_conninfo();
}

ui_screen *display_push(const char *conninfo, const char *lines)
{
	display *d = x_calloc(1, sizeof *d);
	const config *cfg = app_config();

	free(the_conninfo);
	the_conninfo = x_strdup(conninfo ? conninfo : "");
	d->highlight_ms = (int)config_int(cfg, "display", "highlight_seconds") * 1000;
	if (!lines || !*lines)
		lines = config_str(cfg, "display", "lines");
	/* "A,B": the lines shown. */
	for (const char *p = lines; p && *p;) {
		size_t n = strcspn(p, ", ");

		if (n) {
			d->lines = x_realloc(d->lines, (size_t)(d->nlines + 1) * sizeof *d->lines);
			d->lines[d->nlines++] = x_strndup(p, n);
		}
		p += n;
		p += strspn(p, ", ");
	}
	return ui_push(&display_ops, d);
}

void display_shutdown(void)
{
	free(the_conninfo);
	the_conninfo = NULL;
}
