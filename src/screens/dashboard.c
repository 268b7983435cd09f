/* screens/dashboard.c - the supervisor's (and the trainer's) first screen:
 * how many cases are in each state, what is overdue or due soon, the
 * escalations and extension requests waiting for a decision, bad ratings
 * being rectified, how the notifications to the public are doing; with b,
 * the bad ratings being rectified and the appeals waiting (screens/
 * badlist.c; b again or Esc comes back); with 4, the outbox screen (the
 * failed notifications, to send again, correct or cancel).  Every count is
 * shown, shortened visibly if it must be (screens/tally.c); a reference is
 * never cut; a bad rating says which of its steps is late.
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
#include "screens/find.h"
#include "screens/badlist.h"
#include "screens/bench.h"
#include "screens/screens.h"
#include "screens/tally.h"
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
	char *find;            /* the last text / looked for */
} dashboard;

/* Refresh (F5, Ctrl-L) works everywhere and is in the help: left out here
 * so that F10 still fits in 80 columns. */
static const int dash_keybar[] = { CMD_OPEN, CMD_BAD_RATINGS, CMD_OUTBOX, CMD_QUEUE, CMD_INQUIRIES, CMD_RATINGS,
                                   CMD_QUIT, CMD_NONE };
static const int dash_commands[] = { CMD_SEARCH, CMD_NONE };

/* --------------------------------------------------------- the two lists */

enum { AT_KIND, AT_REF, AT_TITLE, AT_STAFF, AT_DUE, AT_LEFT, AT_NCOLS };

/* A reference (261123-0002, Z261115-0001, 13 with a five-digit count)
 * is never cut: its column is as wide as the longest; the others give way
 * first. */
static const list_column attention_cols[AT_NCOLS] = {
	[AT_KIND] = { N_("What"), 8, 10, 0, LIST_LEFT },
	[AT_REF] = { N_("Ref."), 13, 13, 0, LIST_LEFT },
	[AT_TITLE] = { N_("About"), 12, 0, 3, LIST_LEFT },
	[AT_STAFF] = { N_("Staff"), 6, 10, 1, LIST_LEFT },
	[AT_DUE] = { N_("Deadline"), 10, 10, 0, LIST_LEFT },
	[AT_LEFT] = { N_("Time left"), 6, 11, 1, LIST_RIGHT },
};

/* Which step of a bad rating is late, in its own words: "!!回访" (the
 * callback is overdue now), "!整改迟了" (the rectification was recorded
 * late); "" when every step is on time. */
static const char *late_steps(const char *callback, const char *rectify, char *buf, size_t n, int *role)
{
	const char *overdue[2] = { NULL, NULL }, *late = NULL;
	int k = 0;

	if (strcmp(callback, "overdue") == 0)
		overdue[k++] = _("call back");
	else if (strcmp(callback, "late") == 0)
		late = _("call back");
	if (strcmp(rectify, "overdue") == 0)
		overdue[k++] = _("rectify");
	else if (strcmp(rectify, "late") == 0 && !late)
		late = _("rectify");
	if (k > 0) {
		*role = TERM_OVERDUE;
		snprintf(buf, n, "!!%s%s%s", overdue[0], k > 1 ? "+" : "", k > 1 ? overdue[1] : "");
	} else if (late) {
		*role = TERM_WARN;
		snprintf(buf, n, _("!%s late"), late);
	} else {
		buf[0] = '\0';
	}
	return buf;
}

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
	static char buf[64];
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
		if (strcmp(it->kind, "rating") == 0)
			return late_steps(it->callback, it->rectify, buf, sizeof buf, role);
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

/* ---------------------------------------------------------------- loading */

static void counts_loaded(void *ctx, report_counts *c, const db_reply *reply)
{
	dashboard *d = ctx;

	if (c) {
		report_counts_free(d->counts);
		d->counts = c;
	} else if (reply->error) {
		app_refusal_text(reply, d->error, sizeof d->error);
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
		app_refusal_text(reply, d->error, sizeof d->error);
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
		app_refusal_text(reply, d->error, sizeof d->error);
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
	case CMD_SEARCH:
		return find_in_list(l, &d->find);
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
		/* Esc leaves the bad ratings first, then says where it is. */
		if (d->mode == MODE_RATINGS) {
			d->mode = MODE_ATTENTION;
			return UI_REDRAW;
		}
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

static void draw(ui_screen *s, WINDOW *w)
{
	dashboard *d = s->data;
	const report_counts *c = d->counts;
	int lines, cols, y = 0;
	char buf[256];

	getmaxyx(w, lines, cols);
	werase(w);
	if (app_me()) {
		snprintf(buf, sizeof buf, "%s  %s", app_kind_name(app_me()->kind),
		         *app_me()->department_name ? app_me()->department_name : _("all departments"));
		term_put(w, y++, 0, cols, TERM_HEADER, 0, buf);
	}
	if (c) {
		tally states[REPORT_STATES];
		const tally due[] = {
			{ _("!! cases overdue"), c->cases_overdue, TERM_OVERDUE },
			{ _("! due soon"), c->cases_warning, TERM_WARN },
			{ _("!! inquiries overdue"), c->inquiries_overdue, TERM_OVERDUE },
			{ _("! due soon"), c->inquiries_warning, TERM_WARN },
		};
		const tally waiting[] = {
			{ _("escalations waiting"), c->escalations, TERM_WARN },
			{ _("!! late"), c->escalations_late, TERM_OVERDUE },
			{ _("extensions asked"), c->extensions, TERM_WARN },
			{ _("bad ratings open"), c->bad_ratings_open, TERM_WARN },
			{ _("!! late"), c->bad_ratings_late, TERM_OVERDUE },
			{ _("one-time notice breaches"), c->breaches, TERM_WARN },
		};
		const tally front[] = {
			{ _("容缺: owed"), c->deferred_open, c->deferred_open ? TERM_WARN : TERM_NORMAL },
			{ _("supplied"), c->deferred_supplied, TERM_NORMAL },
			{ _("ended"), c->deferred_ended, c->deferred_ended ? TERM_OVERDUE : TERM_NORMAL },
			{ _("告知承诺 checks waiting"), c->checks_pending, TERM_NORMAL },
			{ _("!! late"), c->checks_late, TERM_OVERDUE },
		};
		int ns = 0;
		/* Terminated (终止) only when there is one: the line has room for
		 * seven states in 80 columns. */
		for (int i = 0; i < c->nstates; i++)
			if (strcmp(c->state[i], "terminated") != 0 || c->state_cases[i] > 0)
				states[ns++] = (tally){ app_state_name(c->state[i]), c->state_cases[i], TERM_NORMAL };
		tally_line(w, y++, cols, states, ns, NULL);
		tally_line(w, y++, cols, due, 4, NULL);
		tally_line(w, y++, cols, waiting, 6, NULL);
		tally_line(w, y++, cols, front, 5, NULL);
	} else {
		view_loading(w, y++, 0, cols, d->error);
	}
	if (d->outbox) {
		tally o[2];
		int k = 0;
		for (int i = 0; i < d->outbox->n && k < 2; i++) {
			const outbox_state *st = &d->outbox->rows[i];
			if (strcmp(st->state, "pending") == 0)
				o[k++] = (tally){ _("Notifications: waiting"), st->n, TERM_NORMAL };
			else if (strcmp(st->state, "failed") == 0)
				o[k++] = (tally){ _("!! failed"), st->n, TERM_OVERDUE };
		}
		tally_line(w, y++, cols, o, k, _("(4: outbox)"));
	}
	y++;
	if (d->mode == MODE_RATINGS) {
		term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD,
		         _("Bad ratings: appeals waiting first, then rectifications open (Enter opens; b or Esc: back)"));
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
	d->ratings_list = badlist_new(&d->bad);
	ui_screen_title(s, _("Dashboard (待决)"));
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
	free(d->find);
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
