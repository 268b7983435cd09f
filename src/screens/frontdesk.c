/* screens/frontdesk.c - the month's front desk per clerk (f on the
 * scorecard): the walk-ins received and how each ended (受理, 材料不全,
 * 不予受理), the filings made for the applicant (帮办) or as their agent
 * (代办), by a 委托代理人, on the green channel, accepted 容缺 or on a
 * 告知承诺.  The figures are hall.front_desk_counts (schema/020), over
 * the supervisor's department (the hall for the director and trainer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/receive.h"
#include "screens/app.h"
#include "screens/screens.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

typedef struct frontdesk {
	char month[11];
	db_rows *rows;
	list *l;
	char error[512];
} frontdesk;

static const int fd_keybar[] = { CMD_REFRESH, CMD_BACK, CMD_NONE };

/* The table: the clerk, then each count, in the function's order. */
/* Widths fit the Chinese headings (two cells a character) in 80 columns. */
static const list_column fd_cols[] = {
	{ N_("Clerk"), 6, 16, 2, LIST_LEFT },   { N_("Received"), 4, 8, 0, LIST_RIGHT },
	{ N_("Accepted"), 4, 8, 0, LIST_RIGHT }, { N_("Incomplete"), 8, 10, 0, LIST_RIGHT },
	{ N_("Not accept"), 8, 10, 0, LIST_RIGHT }, { N_("Assisted"), 4, 8, 0, LIST_RIGHT },
	{ N_("Proxy"), 4, 8, 0, LIST_RIGHT },    { N_("Agent"), 6, 8, 0, LIST_RIGHT },
	{ N_("Green"), 8, 8, 0, LIST_RIGHT },    { N_("容缺"), 4, 8, 0, LIST_RIGHT },
	{ N_("告知承诺"), 8, 8, 0, LIST_RIGHT },
};
static const int fd_field[] = { RD_NAME, RD_RECEIVED, RD_ACCEPTED, RD_INCOMPLETE, RD_REFUSED, RD_ASSISTED,
                                RD_PROXY, RD_AGENT, RD_GREEN, RD_DEFERRED, RD_COMMITMENT };
#define FD_N ((int)(sizeof fd_cols / sizeof fd_cols[0]))

static const char *fd_cell(void *ctx, size_t row, int col, int *role)
{
	const frontdesk *f = ctx;

	(void)role;
	if (!f->rows || row >= (size_t)f->rows->nrows || col >= FD_N)
		return NULL;
	return db_rows_get(f->rows, (int)row, fd_field[col]);
}

static int64_t fd_id(void *ctx, size_t row)
{
	const frontdesk *f = ctx;

	return f->rows && row < (size_t)f->rows->nrows ? db_rows_ll(f->rows, (int)row, RD_STAFF) : -1;
}

static const list_source fd_source = { fd_cell, fd_id, NULL };

static void load(frontdesk *f);

static void loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	frontdesk *f = ctx;

	if (!rows && app_report_again(reply)) {
		/* The report database's doing: read it again (from the primary). */
		load(f);
	} else if (!rows) {
		app_refusal_text(reply, f->error, sizeof f->error);
	} else {
		db_rows_free(f->rows);
		f->rows = rows;
		list_set_rows(f->l, (size_t)rows->nrows);
	}
	ui_redraw();
}

static void load(frontdesk *f)
{
	if (app_report_online())
		receive_desk_counts(app_report_session(), f->month, loaded, f);
}

/* The figures now come from elsewhere (the standby, or the primary). */
static void report_moved(void *ctx)
{
	frontdesk *f = ctx;

	app_forget(f);
	load(f);
}

static int fd_key(ui_screen *s, int cmd, const ui_event *ev)
{
	frontdesk *f = s->data;
	int r;

	if (cmd == CMD_REFRESH) {
		load(f);
		return UI_UNHANDLED;
	}
	r = list_key(f->l, cmd, ev);
	return r == LIST_IGNORED ? UI_UNHANDLED : UI_REDRAW;
}

static void fd_draw(ui_screen *s, WINDOW *w)
{
	frontdesk *f = s->data;
	long long sum[FD_N] = { 0 };
	int lines, cols;
	char buf[512];

	getmaxyx(w, lines, cols);
	werase(w);
	for (int i = 0; f->rows && i < f->rows->nrows; i++)
		for (int k = 1; k < FD_N; k++)
			sum[k] += db_rows_ll(f->rows, i, fd_field[k]);
	snprintf(buf, sizeof buf, _("%.7s  received %lld: accepted %lld, incomplete %lld, not accepted %lld; 帮办 %lld, "
	                            "代办 %lld, 绿色通道 %lld, 容缺 %lld"),
	         f->month, sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[8], sum[9]);
	term_put(w, 0, 0, cols, TERM_HEADER, TEXT_PAD, buf);
	list_set_empty_text(f->l, *f->error ? f->error : f->rows ? _("Nobody to show for this month.") : _("Loading..."));
	list_draw(f->l, w, 1, 0, lines - 1, cols);
}

static int fd_open(ui_screen *s)
{
	frontdesk *f = s->data;

	f->l = list_new(fd_cols, FD_N, &fd_source, f);
	ui_screen_title(s, _("Front desk (收件) per clerk"));
	app_watch_report(report_moved, f);
	load(f);
	return 0;
}

static void fd_close(ui_screen *s)
{
	frontdesk *f = s->data;

	if (!f)
		return;
	app_forget(f);
	app_unwatch_db(f);
	db_rows_free(f->rows);
	list_free(f->l);
	free(f);
	s->data = NULL;
}

const ui_screen_ops frontdesk_ops = {
	.name = "frontdesk",
	.keybar = fd_keybar,
	.open = fd_open,
	.draw = fd_draw,
	.key = fd_key,
	.close = fd_close,
};

void *frontdesk_new(const char *month)
{
	frontdesk *f = x_calloc(1, sizeof *f);

	snprintf(f->month, sizeof f->month, "%s", month);
	return f;
}
