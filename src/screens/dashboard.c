/* screens/dashboard.c - the supervisor's (and the trainer's) first screen:
 * how many cases are in each state, what is overdue or due soon, the
 * escalations and extension requests waiting for a decision, bad ratings
 * being rectified, how the notifications to the public are doing; with b,
 * the bad ratings being rectified and the appeals waiting; with 4, the
 * outbox screen (the failed notifications, to send again).
 *
 * Enter on an escalation or a case opens it (a supervisor decides an
 * escalation there: a approve, x reject, r back to the clerk; and an
 * extension request: t grants or refuses it); on an
 * inquiry opens the inquiry; on a bad rating opens it (steps of the
 * rectification, judging an appeal).  NOTIFY hall_queue and
 * hall_inquiries refresh it, at most every couple of seconds: the counts
 * run over the whole department.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/cases.h"
#include "db/inquiries.h"
#include "db/rectify.h"
#include "db/reports.h"
#include "screens/app.h"
#include "screens/bench.h"
#include "screens/screens.h"
#include "screens/view.h"
#include "ui/dialog.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define DASH_RELOAD_GAP_MS 2000
#define DASH_ITEMS 300

typedef enum dash_mode { MODE_ATTENTION, MODE_RATINGS } dash_mode;

typedef struct dashboard {
	dash_mode mode;
	report_counts *counts;
	report_items *items;
	outbox_states *outbox;
	bad_ratings *bad;
	list *attention_list, *ratings_list;
	int loading;
	unsigned reload_timer;
	long long last_reload_ms;
	char error[512];
} dashboard;

/* Refresh (F5, Ctrl-L) works everywhere and is in the help: left out here
 * so that F10 still fits in 80 columns. */
static const int dash_keybar[] = { CMD_OPEN, CMD_BAD_RATINGS, CMD_OUTBOX, CMD_QUEUE, CMD_INQUIRIES, CMD_RATINGS,
                                   CMD_QUIT, CMD_NONE };
static const int dash_commands[] = { CMD_NONE };

/* --------------------------------------------------------- the two lists */

enum { AT_KIND, AT_REF, AT_TITLE, AT_STAFF, AT_DUE, AT_LEFT, AT_NCOLS };

static const list_column attention_cols[AT_NCOLS] = {
	[AT_KIND] = { N_("What"), 8, 10, 0, LIST_LEFT },
	[AT_REF] = { N_("Ref."), 12, 12, 0, LIST_LEFT },
	[AT_TITLE] = { N_("About"), 12, 0, 3, LIST_LEFT },
	[AT_STAFF] = { N_("Staff"), 6, 10, 1, LIST_LEFT },
	[AT_DUE] = { N_("Deadline"), 10, 10, 0, LIST_LEFT },
	[AT_LEFT] = { N_("Time left"), 5, 8, 0, LIST_RIGHT },
};

static const char *kind_name(const char *kind)
{
	if (strcmp(kind, "escalation") == 0)
		return _("escalated");
	if (strcmp(kind, "extension") == 0)
		return _("extension");
	if (strcmp(kind, "application") == 0)
		return _("case");
	if (strcmp(kind, "inquiry") == 0)
		return _("inquiry");
	if (strcmp(kind, "rating") == 0)
		return _("bad rating");
	return kind;
}

static const char *attention_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[32];
	dashboard *d = ctx;
	const report_item *it;

	if (!d->items || row >= (size_t)d->items->n)
		return NULL;
	it = &d->items->rows[row];
	switch (col) {
	case AT_KIND:
		return kind_name(it->kind);
	case AT_REF:
		return it->ref;
	case AT_TITLE:
		return it->title;
	case AT_STAFF:
		return it->staff_name;
	case AT_DUE:
		return it->deadline;
	case AT_LEFT:
		if (!it->has_days_left) {
			if (strcmp(it->urgency, "overdue") == 0) {
				*role = TERM_OVERDUE;
				return "!!";
			}
			return "";
		}
		return app_days_cell(buf, sizeof buf, 1, it->days_left, it->urgency, role);
	default:
		return NULL;
	}
}

static int64_t attention_id(void *ctx, size_t row)
{
	dashboard *d = ctx;

	/* Kinds share id spaces: mix the kind in so the cursor stays put. */
	if (!d->items || row >= (size_t)d->items->n)
		return -1;
	return d->items->rows[row].id * 8 + (int64_t)(unsigned char)d->items->rows[row].kind[0] % 8;
}

static const list_source attention_source = { attention_cell, attention_id, NULL };

enum { B_RATED, B_LEVEL, B_STAFF, B_ABOUT, B_APPEAL, B_DUE, B_NCOLS };

static const list_column ratings_cols[B_NCOLS] = {
	[B_RATED] = { N_("Rated at"), 16, 16, 0, LIST_LEFT },
	[B_LEVEL] = { N_("Level"), 5, 5, 0, LIST_LEFT },
	[B_STAFF] = { N_("Staff"), 6, 10, 1, LIST_LEFT },
	[B_ABOUT] = { N_("About"), 12, 0, 3, LIST_LEFT },
	[B_APPEAL] = { N_("Appeal"), 8, 8, 0, LIST_LEFT },
	[B_DUE] = { N_("Rectify by"), 12, 12, 0, LIST_LEFT },
};

static const char *ratings_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[64];
	dashboard *d = ctx;
	const bad_rating *b;

	if (!d->bad || row >= (size_t)d->bad->n)
		return NULL;
	b = &d->bad->rows[row];
	switch (col) {
	case B_RATED:
		return b->rated_at;
	case B_LEVEL:
		snprintf(buf, sizeof buf, "%d", b->level);
		return buf;
	case B_STAFF:
		return b->staff_name;
	case B_ABOUT:
		return b->target;
	case B_APPEAL:
		if (strcmp(b->appeal_state, "pending") == 0) {
			*role = TERM_WARN;
			return _("! waiting");
		}
		if (strcmp(b->appeal_state, "upheld") == 0)
			return _("upheld");
		if (strcmp(b->appeal_state, "dismissed") == 0)
			return _("dismissed");
		return "";
	case B_DUE:
		if (!b->open)
			return _("closed");
		if (b->late) {
			*role = TERM_OVERDUE;
			snprintf(buf, sizeof buf, "!!%s", b->rectify_due);
			return buf;
		}
		return b->rectify_due;
	default:
		return NULL;
	}
}

static int64_t ratings_id(void *ctx, size_t row)
{
	dashboard *d = ctx;

	return d->bad && row < (size_t)d->bad->n ? d->bad->rows[row].id : -1;
}

static const list_source ratings_source = { ratings_cell, ratings_id, NULL };

/* ---------------------------------------------------------------- loading */

static void counts_loaded(void *ctx, report_counts *c, const db_reply *reply)
{
	dashboard *d = ctx;

	if (c) {
		report_counts_free(d->counts);
		d->counts = c;
	} else if (reply->error) {
		snprintf(d->error, sizeof d->error, "%s", reply->error);
	}
	ui_redraw();
}

static void items_loaded(void *ctx, report_items *items, const db_reply *reply)
{
	dashboard *d = ctx;

	d->loading = 0;
	if (items) {
		report_items_free(d->items);
		d->items = items;
		d->error[0] = '\0';
		list_set_rows(d->attention_list, (size_t)items->n);
		bench_mark("dashboard_shown", NULL);
	} else if (reply->error) {
		snprintf(d->error, sizeof d->error, "%s", reply->error);
	}
	ui_redraw();
}

static void outbox_loaded(void *ctx, outbox_states *o, const db_reply *reply)
{
	dashboard *d = ctx;

	(void)reply; /* a clerk-only database role: no outbox line */
	if (o) {
		outbox_states_free(d->outbox);
		d->outbox = o;
	}
	ui_redraw();
}

static void bad_loaded(void *ctx, bad_ratings *b, const db_reply *reply)
{
	dashboard *d = ctx;

	if (b) {
		bad_ratings_free(d->bad);
		d->bad = b;
		list_set_rows(d->ratings_list, (size_t)b->n);
	} else if (reply->error && d->mode == MODE_RATINGS) {
		snprintf(d->error, sizeof d->error, "%s", reply->error);
	}
	ui_redraw();
}

static void load(dashboard *d)
{
	db_session *s = app_db();

	if (d->loading || !app_online())
		return;
	d->last_reload_ms = loop_now_ms();
	if (reports_counts(s, counts_loaded, d) < 0)
		return;
	reports_attention(s, DASH_ITEMS, items_loaded, d);
	reports_outbox_states(s, outbox_loaded, d);
	rectify_list(s, DASH_ITEMS, bad_loaded, d);
	d->loading = 1;
}

static void reload_fired(void *ctx)
{
	dashboard *d = ctx;

	d->reload_timer = 0;
	if (d->loading) {
		/* Try again a little later rather than pile up. */
		d->reload_timer = loop_timer(DASH_RELOAD_GAP_MS, 0, reload_fired, d);
		return;
	}
	load(d);
}

static void schedule_reload(dashboard *d)
{
	long long wait = d->last_reload_ms + DASH_RELOAD_GAP_MS - loop_now_ms();

	if (!d->reload_timer)
		d->reload_timer = loop_timer(wait > 0 ? (int)wait : 0, 0, reload_fired, d);
}

static void case_notified(void *ctx, const char *window)
{
	(void)window;
	schedule_reload(ctx);
}

static void inquiry_notified(void *ctx, const char *dept)
{
	(void)dept;
	schedule_reload(ctx);
}

static void db_state_changed(void *ctx, db_state st)
{
	dashboard *d = ctx;

	if (st == DB_READY) {
		d->loading = 0;
		load(d);
	}
}

/* ----------------------------------------------------------------- keys */

static int open_selected(dashboard *d)
{
	size_t sel;

	if (d->mode == MODE_RATINGS) {
		sel = list_selected(d->ratings_list);
		if (sel != LIST_NONE && d->bad && sel < (size_t)d->bad->n)
			rating_push(d->bad->rows[sel].id);
		return UI_REDRAW;
	}
	sel = list_selected(d->attention_list);
	if (sel == LIST_NONE || !d->items || sel >= (size_t)d->items->n)
		return UI_HANDLED;
	{
		const report_item *it = &d->items->rows[sel];
		if (strcmp(it->kind, "inquiry") == 0)
			inquiry_push(it->id);
		else if (strcmp(it->kind, "rating") == 0)
			rating_push(it->id);
		else
			case_push(it->id);
	}
	return UI_REDRAW;
}

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	dashboard *d = s->data;
	list *l = d->mode == MODE_RATINGS ? d->ratings_list : d->attention_list;
	int r;

	switch (cmd) {
	case CMD_QUEUE:
	case CMD_INQUIRIES:
	case CMD_RATINGS:
	case CMD_OUTBOX:
		if (app_me() && app_me()->nwindows == 0 && cmd == CMD_QUEUE) {
			ui_status(UI_INFO, "%s", _("No window to show a queue for."));
			return UI_REDRAW;
		}
		return app_goto(cmd);
	case CMD_BAD_RATINGS:
		d->mode = d->mode == MODE_RATINGS ? MODE_ATTENTION : MODE_RATINGS;
		return UI_REDRAW;
	case CMD_REFRESH:
		load(d);
		return UI_UNHANDLED;
	case CMD_BACK:
		if (ui_depth() <= 1) {
			ui_status(UI_INFO, "%s", _("This is your dashboard. F10 quits hallterm."));
			return UI_REDRAW;
		}
		return UI_UNHANDLED;
	case CMD_OPEN:
		return open_selected(d);
	default:
		break;
	}
	r = list_key(l, cmd, ev);
	if (r == LIST_ACTIVATE)
		return open_selected(d);
	return r == LIST_IGNORED ? UI_UNHANDLED : UI_REDRAW;
}

/* ---------------------------------------------------------------- drawing */

static int put_count(WINDOW *w, int y, int x, int cols, const char *label, long long n, int late_role)
{
	char buf[128];
	int width;

	snprintf(buf, sizeof buf, "%s %lld", label, n);
	width = text_width(buf);
	if (x + width >= cols)
		return x;
	term_put(w, y, x, width, n > 0 ? late_role : TERM_NORMAL, 0, buf);
	return x + width + 3;
}

static void draw(ui_screen *s, WINDOW *w)
{
	dashboard *d = s->data;
	const report_counts *c = d->counts;
	int lines, cols, x, y = 0;
	char buf[256];

	getmaxyx(w, lines, cols);
	werase(w);
	if (app_me()) {
		snprintf(buf, sizeof buf, "%s  %s", app_kind_name(app_me()->kind),
		         *app_me()->department_name ? app_me()->department_name : _("all departments"));
		term_put(w, y++, 0, cols, TERM_HEADER, 0, buf);
	}
	if (c) {
		/* Cases per state. */
		x = 0;
		for (int i = 0; i < c->nstates; i++)
			x = put_count(w, y, x, cols, app_state_name(c->state[i]), c->state_cases[i], TERM_NORMAL);
		y++;
		x = 0;
		x = put_count(w, y, x, cols, _("!! cases overdue"), c->cases_overdue, TERM_OVERDUE);
		x = put_count(w, y, x, cols, _("! due soon"), c->cases_warning, TERM_WARN);
		x = put_count(w, y, x, cols, _("!! inquiries overdue"), c->inquiries_overdue, TERM_OVERDUE);
		put_count(w, y, x, cols, _("! due soon"), c->inquiries_warning, TERM_WARN);
		y++;
		x = 0;
		x = put_count(w, y, x, cols, _("escalations waiting"), c->escalations, TERM_WARN);
		x = put_count(w, y, x, cols, _("!! late"), c->escalations_late, TERM_OVERDUE);
		x = put_count(w, y, x, cols, _("extensions asked"), c->extensions, TERM_WARN);
		x = put_count(w, y, x, cols, _("bad ratings open"), c->bad_ratings_open, TERM_WARN);
		x = put_count(w, y, x, cols, _("!! late"), c->bad_ratings_late, TERM_OVERDUE);
		put_count(w, y, x, cols, _("one-time notice breaches"), c->breaches, TERM_WARN);
		y++;
	} else {
		view_loading(w, y++, 0, cols, d->error);
	}
	if (d->outbox) {
		x = 0;
		for (int i = 0; i < d->outbox->n; i++) {
			const outbox_state *o = &d->outbox->rows[i];
			if (strcmp(o->state, "pending") == 0)
				x = put_count(w, y, x, cols, _("Notifications: waiting"), o->n, TERM_NORMAL);
			else if (strcmp(o->state, "failed") == 0)
				x = put_count(w, y, x, cols, _("!! failed"), o->n, TERM_OVERDUE);
		}
		if (x < cols - 4)
			term_put(w, y, x, cols - x, TERM_DIM, 0, _("(4: outbox)"));
		y++;
	}
	y++;
	if (d->mode == MODE_RATINGS) {
		term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD,
		         _("Bad ratings: appeals waiting, rectifications open (Enter opens; b: back)"));
		list_set_empty_text(d->ratings_list, !d->bad ? _("Loading...") : _("No bad rating open, no appeal waiting."));
		list_draw(d->ratings_list, w, y, 0, lines - y, cols);
	} else {
		term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD,
		         _("Needs attention (Enter opens; a escalated case is decided there)"));
		list_set_empty_text(d->attention_list, d->loading && !d->items ? _("Loading...") : _("Nothing waiting."));
		list_draw(d->attention_list, w, y, 0, lines - y, cols);
	}
}

static void focus(ui_screen *s, int focused)
{
	if (focused)
		schedule_reload(s->data);
}

static int open_screen(ui_screen *s)
{
	dashboard *d = s->data;

	d->attention_list = list_new(attention_cols, AT_NCOLS, &attention_source, d);
	d->ratings_list = list_new(ratings_cols, B_NCOLS, &ratings_source, d);
	ui_screen_title(s, _("Dashboard (督办)"));
	cases_listen(app_db(), case_notified, d);
	inquiries_listen(app_db(), inquiry_notified, d);
	app_watch_db(db_state_changed, d);
	load(d);
	return 0;
}

static void close_screen(ui_screen *s)
{
	dashboard *d = s->data;

	if (!d)
		return;
	if (app_db()) {
		db_session_forget(app_db(), d);
		cases_unlisten(app_db(), d);
		inquiries_unlisten(app_db(), d);
	}
	app_unwatch_db(d);
	loop_timer_cancel(d->reload_timer);
	report_counts_free(d->counts);
	report_items_free(d->items);
	outbox_states_free(d->outbox);
	bad_ratings_free(d->bad);
	list_free(d->attention_list);
	list_free(d->ratings_list);
	free(d);
	s->data = NULL;
}

const ui_screen_ops dashboard_ops = {
	.name = "dashboard",
	.keybar = dash_keybar,
	.commands = dash_commands,
	.open = open_screen,
	.draw = draw,
	.key = key,
	.focus = focus,
	.close = close_screen,
};

void *dashboard_new(void)
{
	return x_calloc(1, sizeof(dashboard));
}
