/* screens/inquiries.c - 咨询: the open inquiries of the clerk's department,
 * the one due soonest first, with the time left.
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
#include "screens/app.h"
#include "screens/bench.h"
#include "screens/screens.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define INQ_PAGE 50

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
} inquiries;

static const int inq_keybar[] = { CMD_OPEN, CMD_REPLY, CMD_TRANSFER, CMD_QUEUE, CMD_RATINGS, CMD_QUIT, CMD_NONE };
static const int inq_commands[] = { CMD_INQUIRIES, CMD_REFRESH, CMD_NONE };

enum { COL_REF, COL_CHANNEL, COL_SUBJECT, COL_ASKER, COL_LEFT, NCOLS };

static const list_column inq_cols[NCOLS] = {
	[COL_REF] = { N_("Ref."), 12, 12, 0, LIST_LEFT },
	[COL_CHANNEL] = { N_("Channel"), 6, 8, 0, LIST_LEFT },
	[COL_SUBJECT] = { N_("Subject"), 16, 0, 3, LIST_LEFT },
	[COL_ASKER] = { N_("Asked by"), 8, 12, 1, LIST_LEFT },
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
		snprintf(q->error, sizeof q->error, "%s", reply->error ? reply->error : "");
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

static const inquiry_row *selected(const inquiries *q)
{
	size_t sel = list_selected(q->list);

	return sel != LIST_NONE && sel < q->nrows ? &q->rows[sel] : NULL;
}

static int inq_key(ui_screen *s, int cmd, const ui_event *ev)
{
	inquiries *q = s->data;
	const inquiry_row *r;
	int k;

	switch (cmd) {
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
		/* Transferring needs the whole text in view: open it there. */
		if ((r = selected(q)) != NULL)
			inquiry_push(r->id);
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
	snprintf(buf, sizeof buf, _("Open inquiries of %s, the one due soonest first"),
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
	if (focused)
		schedule_reload(s->data);
}

static int inq_open(ui_screen *s)
{
	inquiries *q = s->data;

	q->list = list_new(inq_cols, NCOLS, &inq_source, q);
	ui_screen_title(s, _("Inquiries (咨询)"));
	inquiries_listen(app_db(), inq_notified, q);
	app_watch_db(inq_db_state, q);
	q->tick = loop_timer(60000, 1, tick, q);
	q->last_reload_ms = loop_now_ms();
	load(q, 1);
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
