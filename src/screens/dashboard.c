/* screens/dashboard.c - the supervisor's (and the trainer's) first screen:
 * how many cases are in each state, what is overdue or due soon, the
 * escalations and extension requests waiting for a decision, bad ratings
 * being rectified; and, with f, the notifications that failed to go out.
 *
 * Enter on an escalation or a case opens it (a supervisor decides an
 * escalation there: a approve, x reject, r back to the clerk); on an
 * inquiry opens the inquiry; on a failed notification offers to send it
 * again (hall.outbox_requeue, audited).  NOTIFY hall_queue and
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
#include "db/reports.h"
#include "screens/app.h"
#include "screens/bench.h"
#include "screens/screens.h"
#include "ui/dialog.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define DASH_RELOAD_GAP_MS 2000
#define DASH_ITEMS 300

typedef enum dash_mode { MODE_ATTENTION, MODE_OUTBOX } dash_mode;

typedef struct dashboard {
	dash_mode mode;
	report_counts *counts;
	report_items *items;
	outbox_states *outbox;
	outbox_failures *failed;
	list *attention_list, *outbox_list;
	int loading;
	unsigned reload_timer;
	long long last_reload_ms;
	char error[512];
} dashboard;

static const int dash_keybar[] = { CMD_OPEN, CMD_FILTER, CMD_QUEUE, CMD_INQUIRIES, CMD_RATINGS, CMD_REFRESH,
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

enum { O_REF, O_EVENT, O_FAILED, O_TRIES, O_ERROR, O_NCOLS };

static const list_column outbox_cols[O_NCOLS] = {
	[O_REF] = { N_("Ref."), 12, 12, 0, LIST_LEFT },
	[O_EVENT] = { N_("Message"), 10, 16, 0, LIST_LEFT },
	[O_FAILED] = { N_("Failed at"), 16, 16, 0, LIST_LEFT },
	[O_TRIES] = { N_("Tries"), 5, 5, 0, LIST_RIGHT },
	[O_ERROR] = { N_("Last error"), 12, 0, 1, LIST_LEFT },
};

static const char *outbox_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[32];
	dashboard *d = ctx;
	const outbox_failed *f;

	if (!d->failed || row >= (size_t)d->failed->n)
		return NULL;
	f = &d->failed->rows[row];
	switch (col) {
	case O_REF:
		return f->ref;
	case O_EVENT:
		return f->event;
	case O_FAILED:
		return f->failed_at;
	case O_TRIES:
		snprintf(buf, sizeof buf, "%d", f->attempts);
		return buf;
	case O_ERROR:
		*role = TERM_ERROR;
		return f->last_error;
	default:
		return NULL;
	}
}

static int64_t outbox_id(void *ctx, size_t row)
{
	dashboard *d = ctx;

	return d->failed && row < (size_t)d->failed->n ? d->failed->rows[row].id : -1;
}

static const list_source outbox_source = { outbox_cell, outbox_id, NULL };

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

static void failed_loaded(void *ctx, outbox_failures *o, const db_reply *reply)
{
	dashboard *d = ctx;

	if (o) {
		outbox_failures_free(d->failed);
		d->failed = o;
		list_set_rows(d->outbox_list, (size_t)o->n);
	} else if (reply->error && d->mode == MODE_OUTBOX) {
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
	reports_outbox_failed(s, 200, failed_loaded, d);
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

static void case_notified(void *ctx, const char *window, long long app_id, const char *state)
{
	(void)window;
	(void)app_id;
	(void)state;
	schedule_reload(ctx);
}

static void inquiry_notified(void *ctx, long long id, const char *dept)
{
	(void)id;
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

static void requeued(void *ctx, const db_reply *reply)
{
	dashboard *d = ctx;

	if (reply->status == DB_OK)
		ui_status(UI_OK, "%s", _("Notification queued to be sent again."));
	else
		app_show_error(_("Send again"), reply);
	schedule_reload(d);
}

static int open_selected(dashboard *d)
{
	size_t sel;

	if (d->mode == MODE_OUTBOX) {
		long long id;
		char *note;
		sel = list_selected(d->outbox_list);
		if (sel == LIST_NONE || !d->failed || sel >= (size_t)d->failed->n)
			return UI_HANDLED;
		if (!app_is_supervisor()) {
			ui_status(UI_INFO, "%s", _("Only a supervisor can send a notification again."));
			return UI_REDRAW;
		}
		id = d->failed->rows[sel].id;
		note = dialog_prompt(_("Send the notification again"),
		                     _("Note for the audit log (what was fixed, e.g. the phone number):"), NULL, 500, 0);
		if (note && app_require_online())
			reports_outbox_requeue(app_db(), id, note, requeued, d);
		free(note);
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
			dialog_message(_("Bad rating"), it->title);
		else
			case_push(it->id);
	}
	return UI_REDRAW;
}

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	dashboard *d = s->data;
	list *l = d->mode == MODE_OUTBOX ? d->outbox_list : d->attention_list;
	int r;

	switch (cmd) {
	case CMD_QUEUE:
	case CMD_INQUIRIES:
	case CMD_RATINGS:
		if (app_me() && app_me()->nwindows == 0 && cmd == CMD_QUEUE) {
			ui_status(UI_INFO, "%s", _("No window to show a queue for."));
			return UI_REDRAW;
		}
		return app_goto(cmd);
	case CMD_FILTER:
		d->mode = d->mode == MODE_OUTBOX ? MODE_ATTENTION : MODE_OUTBOX;
		ui_status(UI_INFO, "%s", d->mode == MODE_OUTBOX ? _("Showing failed notifications (f: back to the list)")
		                                               : _("Showing what needs attention (f: failed notifications)"));
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
		term_put(w, y++, 0, cols, d->error[0] ? TERM_ERROR : TERM_DIM, 0, d->error[0] ? d->error : _("Loading..."));
	}
	if (d->outbox) {
		x = 0;
		x = put_count(w, y, x, cols, _("Notifications: waiting"), d->outbox->n > 0 ? d->outbox->rows[0].n : 0,
		              TERM_NORMAL);
		for (int i = 1; i < d->outbox->n; i++)
			if (strcmp(d->outbox->rows[i].state, "failed") == 0)
				x = put_count(w, y, x, cols, _("!! failed"), d->outbox->rows[i].n, TERM_OVERDUE);
		y++;
	}
	y++;
	if (d->mode == MODE_OUTBOX) {
		term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD,
		         _("Failed notifications (Enter: send again with a note; f: back)"));
		list_set_empty_text(d->outbox_list, _("No failed notifications."));
		list_draw(d->outbox_list, w, y, 0, lines - y, cols);
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
	d->outbox_list = list_new(outbox_cols, O_NCOLS, &outbox_source, d);
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
	outbox_failures_free(d->failed);
	list_free(d->attention_list);
	list_free(d->outbox_list);
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
