/* screens/inquiries.c - 咨询: the open inquiries of the clerk's department,
 * the one due soonest first, with the time left; R replies to the selected
 * one, T transfers it (screens/inquiry.c asks where, a note, and once to
 * confirm).  m switches to what the clerk answered or transferred (我已答复
 * /已转办, screens/handled.c) and back.  The asker's name (often a
 * company's) gets the extra width first, the subject what is left.
 *
 * Keyset pages of hall.v_inquiries on (due_date, id), appended as the
 * selection nears the end; NOTIFY hall_inquiries reloads what is held
 * (throttled), keeping the cursor on the same inquiry.  A one-minute timer
 * redraws, so the countdown of the inquiries due today moves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/inquiries.h"
#include "db/staff.h"
#include "screens/app.h"
#include "screens/find.h"
#include "screens/bench.h"
#include "screens/handled.h"
#include "screens/screens.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define INQ_PAGE 50
#define HANDLED_SHOWN 200

typedef struct inquiries {
	list *list;
	inquiry_page **pages;
	int npages;
	inquiry_row *rows;
	size_t nrows;
	int more;
	int loading;
	int replacing;
	int reload_wanted;
	unsigned reload_timer, tick;
	long long last_reload_ms;
	char error[512];
	int shown;           /* for --bench */
	/* m: what I answered or transferred */
	int mine;
	list *mine_list;
	handled_inquiries *handled;
	int handled_loading;
	staff_departments *departments;  /* for T */
	char *find;            /* the last text / looked for */
} inquiries;

static const int inq_keybar[] = { CMD_OPEN, CMD_REPLY, CMD_TRANSFER, CMD_MINE, CMD_QUEUE, CMD_RATINGS, CMD_QUIT,
                                  CMD_NONE };
static const int inq_commands[] = { CMD_INQUIRIES, CMD_SEARCH, CMD_REFRESH, CMD_NONE };

/* The asker's name first: flex 50 against the subject's 1 gives it the
 * spare cells up to 22 (eleven characters: most company names), then the
 * subject takes the rest.  A reference is never cut. */
enum { COL_REF, COL_CHANNEL, COL_SUBJECT, COL_ASKER, COL_LEFT, NCOLS };

static const list_column inq_cols[NCOLS] = {
	[COL_REF] = { N_("Ref."), 13, 13, 0, LIST_LEFT },
	[COL_CHANNEL] = { N_("Channel"), 6, 8, 0, LIST_LEFT },
	[COL_SUBJECT] = { N_("Subject"), 16, 0, 1, LIST_LEFT },
	[COL_ASKER] = { N_("Asked by"), 8, 22, 50, LIST_LEFT },
	[COL_LEFT] = { N_("Time left"), 12, 14, 0, LIST_RIGHT },
};

static const char *inq_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[48];
	inquiries *q = ctx;
	const inquiry_row *r;

	if (row >= q->nrows)
		return NULL;
	r = &q->rows[row];
	switch (col) {
	case COL_REF:
		return r->ref;
	case COL_CHANNEL:
		return app_channel_name(r->channel);
	case COL_SUBJECT:
		if (r->transfer_count > 0) {
			/* Valid until the next cell() call, as the list asks. */
			static char both[1024];
			snprintf(both, sizeof both, "%s%s", _("(transferred) "), r->subject);
			return both;
		}
		return r->subject;
	case COL_ASKER:
		return r->asker_name;
	case COL_LEFT:
		return app_countdown(buf, sizeof buf, r->has_days_left, r->days_left, r->urgency, r->seconds_left, role);
	default:
		return NULL;
	}
}

static int64_t inq_row_id(void *ctx, size_t row)
{
	inquiries *q = ctx;

	return row < q->nrows ? (int64_t)q->rows[row].id : -1;
}

static void load(inquiries *q, int replace);

static void inq_need_more(void *ctx)
{
	inquiries *q = ctx;

	if (q->loading || !q->more) {
		if (!q->loading)
			list_set_rows(q->list, q->nrows);
		return;
	}
	load(q, 0);
}

static const list_source inq_source = { inq_cell, inq_row_id, inq_need_more };

static void flatten(inquiries *q)
{
	size_t n = 0, k = 0;

	for (int i = 0; i < q->npages; i++)
		n += (size_t)q->pages[i]->n;
	free(q->rows);
	q->rows = x_calloc(n ? n : 1, sizeof *q->rows);
	for (int i = 0; i < q->npages; i++)
		for (int j = 0; j < q->pages[i]->n; j++)
			q->rows[k++] = q->pages[i]->rows[j];
	q->nrows = n;
}

static void drop(inquiries *q)
{
	for (int i = 0; i < q->npages; i++)
		inquiry_page_free(q->pages[i]);
	q->npages = 0;
}

static void schedule_reload(inquiries *q);

static void loaded(void *ctx, inquiry_page *p, const db_reply *reply)
{
	inquiries *q = ctx;

	q->loading = 0;
	if (!p) {
		app_refusal_text(reply, q->error, sizeof q->error);
		if (reply->status == DB_FAILED)
			app_show_error(_("Loading the inquiries"), reply);
		list_set_rows(q->list, q->nrows);
		ui_redraw();
		return;
	}
	q->error[0] = '\0';
	if (q->replacing)
		drop(q);
	q->pages = x_realloc(q->pages, (size_t)(q->npages + 1) * sizeof *q->pages);
	q->pages[q->npages++] = p;
	q->more = p->more;
	flatten(q);
	list_set_more(q->list, q->more);
	list_set_rows(q->list, q->nrows);
	ui_redraw();
	if (q->reload_wanted)
		schedule_reload(q);
}

/* replace: from the top, as many rows as are held (a reload); else the
 * page after the last row. */
static void load(inquiries *q, int replace)
{
	const inquiry_row *last = !replace && q->nrows ? &q->rows[q->nrows - 1] : NULL;
	int limit = INQ_PAGE;

	if (q->loading || !app_online())
		return;
	if (replace && (int)q->nrows > limit)
		limit = (int)q->nrows < 500 ? (int)q->nrows : 500;
	if (inquiries_open(app_db(), last ? last->due_date : NULL, last ? last->id : 0, limit, loaded, q) == 0) {
		q->loading = 1;
		q->replacing = replace;
	}
}

static void reload_fired(void *ctx)
{
	inquiries *q = ctx;

	q->reload_timer = 0;
	if (q->loading) {
		q->reload_wanted = 1;
		return;
	}
	q->reload_wanted = 0;
	q->last_reload_ms = loop_now_ms();
	load(q, 1);
}

static void schedule_reload(inquiries *q)
{
	long long wait = q->last_reload_ms + app_refresh_ms() - loop_now_ms();

	q->reload_wanted = 1;
	if (!q->reload_timer)
		q->reload_timer = loop_timer(wait > 0 ? (int)wait : 0, 0, reload_fired, q);
}

static void inq_notified(void *ctx, const char *dept)
{
	inquiries *q = ctx;
	const staff_me *me = app_me();

	if (!*dept || strcmp(dept, me->department_code) == 0)
		schedule_reload(q);
}

static void inq_db_state(void *ctx, db_state st)
{
	inquiries *q = ctx;

	if (st == DB_READY) {
		q->loading = 0;
		schedule_reload(q);
	}
}

/* The countdown of inquiries due today moves by the minute. */
static void tick(void *ctx)
{
	(void)ctx;
	ui_redraw();
}

static void handled_loaded(void *ctx, handled_inquiries *h, const db_reply *reply)
{
	inquiries *q = ctx;

	q->handled_loading = 0;
	if (h) {
		handled_inquiries_free(q->handled);
		q->handled = h;
		list_set_rows(q->mine_list, (size_t)h->n);
	} else {
		app_refusal_text(reply, q->error, sizeof q->error);
		if (reply->status == DB_FAILED)
			app_show_error(_("Loading the inquiries"), reply);
	}
	ui_redraw();
}

static void load_handled(inquiries *q)
{
	if (q->handled_loading || !app_online())
		return;
	if (inquiries_handled(app_db(), HANDLED_SHOWN, handled_loaded, q) == 0)
		q->handled_loading = 1;
}

static void departments_loaded(void *ctx, staff_departments *d, const db_reply *reply)
{
	inquiries *q = ctx;

	(void)reply;
	if (d) {
		staff_departments_free(q->departments);
		q->departments = d;
	}
}

static void transferred(void *ctx, const db_reply *reply)
{
	inquiries *q = ctx;

	inquiry_transfer_said(reply);
	schedule_reload(q);
	if (q->mine)
		load_handled(q);
}

static const inquiry_row *selected(const inquiries *q)
{
	size_t sel = list_selected(q->list);

	return sel != LIST_NONE && sel < q->nrows ? &q->rows[sel] : NULL;
}

static const handled_inquiry *selected_handled(const inquiries *q)
{
	size_t sel = list_selected(q->mine_list);

	return q->handled && sel != LIST_NONE && sel < (size_t)q->handled->n ? &q->handled->rows[sel] : NULL;
}

/* The list of what I answered or transferred: moving, opening, back. */
static int mine_key(inquiries *q, int cmd, const ui_event *ev)
{
	int k;

	switch (cmd) {
	case CMD_MINE:
	case CMD_BACK:
		q->mine = 0;
		schedule_reload(q);
		return UI_REDRAW;
	case CMD_OPEN:
		handled_open(selected_handled(q));
		return UI_REDRAW;
	case CMD_REPLY:
	case CMD_TRANSFER:
		ui_status(UI_INFO, "%s", _("These are done already: m goes back to the inquiries waiting for a reply."));
		return UI_REDRAW;
	case CMD_REFRESH:
		load_handled(q);
		return UI_UNHANDLED;
	default:
		break;
	}
	k = list_key(q->mine_list, cmd, ev);
	if (k == LIST_ACTIVATE)
		handled_open(selected_handled(q));
	return k == LIST_IGNORED ? UI_UNHANDLED : UI_REDRAW;
}

static int inq_key(ui_screen *s, int cmd, const ui_event *ev)
{
	inquiries *q = s->data;
	const inquiry_row *r;
	int k;

	if (cmd == CMD_SEARCH)
		return find_in_list(q->mine ? q->mine_list : q->list, &q->find);
	if (q->mine && cmd != CMD_QUEUE && cmd != CMD_RATINGS && cmd != CMD_INQUIRIES)
		return mine_key(q, cmd, ev);
	switch (cmd) {
	case CMD_MINE:
		q->mine = 1;
		load_handled(q);
		return UI_REDRAW;
	case CMD_INQUIRIES:
		return UI_HANDLED;
	case CMD_QUEUE:
	case CMD_RATINGS:
		return app_goto(cmd);
	case CMD_REFRESH:
		schedule_reload(q);
		return UI_UNHANDLED;
	case CMD_OPEN:
		if ((r = selected(q)) != NULL)
			inquiry_push(r->id);
		return UI_REDRAW;
	case CMD_REPLY:
		if ((r = selected(q)) != NULL)
			reply_push(r->id);
		return UI_REDRAW;
	case CMD_TRANSFER:
		/* The selected one, from here: the dialogs name it and where
		 * it goes, so nothing needs opening first. */
		if ((r = selected(q)) != NULL)
			inquiry_ask_transfer(r->id, r->ref, r->subject, app_me() ? app_me()->department_code : NULL,
			                     q->departments, transferred, q);
		else
			ui_status(UI_INFO, "%s", _("No inquiry selected."));
		return UI_REDRAW;
	default:
		break;
	}
	k = list_key(q->list, cmd, ev);
	if (k == LIST_ACTIVATE && (r = selected(q)) != NULL) {
		inquiry_push(r->id);
		return UI_REDRAW;
	}
	return k == LIST_IGNORED ? UI_UNHANDLED : UI_REDRAW;
}

static void inq_draw(ui_screen *s, WINDOW *w)
{
	inquiries *q = s->data;
	int lines, cols;
	char buf[256];

	getmaxyx(w, lines, cols);
	werase(w);
	if (q->mine) {
		term_put(w, 0, 0, cols, TERM_NORMAL, TEXT_PAD,
		         _("Inquiries you answered or transferred, the latest first (m: back to those waiting)"));
		list_set_empty_text(q->mine_list, !q->handled ? (q->error[0] ? q->error : _("Loading..."))
		                                              : _("You have not answered or transferred an inquiry yet."));
		list_draw(q->mine_list, w, 1, 0, lines - 1, cols);
		return;
	}
	snprintf(buf, sizeof buf, _("Open inquiries of %s, the one due soonest first (m: those you answered or transferred)"),
	         app_me() ? app_me()->department_name : "");
	term_put(w, 0, 0, cols, TERM_NORMAL, TEXT_PAD, buf);
	if (q->nrows == 0)
		list_set_empty_text(q->list, q->loading ? _("Loading...")
		                                        : q->error[0] ? q->error
		                                                      : _("No open inquiries. Well done."));
	list_draw(q->list, w, 1, 0, lines - 1, cols);
	if (!q->shown && q->nrows) {
		q->shown = 1;
		bench_mark("inquiries_shown", NULL);
	}
}

static void inq_focus(ui_screen *s, int focused)
{
	inquiries *q = s->data;

	if (focused) {
		schedule_reload(q);
		if (q->mine)
			load_handled(q);
	}
}

static int inq_open(ui_screen *s)
{
	inquiries *q = s->data;

	q->list = list_new(inq_cols, NCOLS, &inq_source, q);
	q->mine_list = handled_list_new(&q->handled);
	ui_screen_title(s, _("Inquiries (咨询)"));
	inquiries_listen(app_db(), inq_notified, q);
	app_watch_db(inq_db_state, q);
	q->tick = loop_timer(60000, 1, tick, q);
	q->last_reload_ms = loop_now_ms();
	load(q, 1);
	if (app_online())
		staff_departments_load(app_db(), departments_loaded, q);
	return 0;
}

static void inq_close(ui_screen *s)
{
	inquiries *q = s->data;

	if (!q)
		return;
	if (app_db()) {
		db_session_forget(app_db(), q);
		inquiries_unlisten(app_db(), q);
	}
	app_unwatch_db(q);
	loop_timer_cancel(q->reload_timer);
	loop_timer_cancel(q->tick);
	drop(q);
	free(q->pages);
	free(q->rows);
	list_free(q->list);
	list_free(q->mine_list);
	handled_inquiries_free(q->handled);
	staff_departments_free(q->departments);
	free(q->find);
	free(q);
	s->data = NULL;
}

const ui_screen_ops inquiries_ops = {
	.name = "inquiries",
	.keybar = inq_keybar,
	.commands = inq_commands,
	.open = inq_open,
	.draw = inq_draw,
	.key = inq_key,
	.focus = inq_focus,
	.close = inq_close,
};

void *inquiries_new(void)
{
	return x_calloc(1, sizeof(inquiries));
}
