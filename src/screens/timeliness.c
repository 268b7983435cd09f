/* screens/timeliness.c - the supervisor's first screen (the director's and
 * the trainer's too): response timeliness for a period.
 *
 *   the department's totals        cases completed, on time, early, late,
 *                                  acceptance misses; inquiries answered, on
 *                                  time, median and P90 reply time in working
 *                                  hours; what is overdue or due soon now
 *   the daily on-time rate         a sparkline, one cell a day ("·": nothing
 *                                  completed that day)
 *   per clerk or per window (w)    the same figures, sorted by any column
 *                                  (> the next column, < the previous one; the
 *                                  names A to Z, the figures largest first)
 *   Enter on a row                 the late and overdue items behind it;
 *                                  Enter on an item opens the case or inquiry
 *                                  (where o reassigns it and u flags it 督办)
 *
 * p chooses the period (today, this week, this month, last month, or
 * dates), E saves the table shown as CSV (streamed by the database), d
 * opens the dashboard of decisions waiting.  Every figure comes from the
 * database (schema/015, 016; doc/timeliness.md); NOTIFY hall_queue and
 * hall_inquiries reload it, at most every few seconds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/cases.h"
#include "db/inquiries.h"
#include "db/supervise.h"
#include "db/tickets.h"
#include "screens/app.h"
#include "screens/export.h"
#include "screens/find.h"
#include "screens/period.h"
#include "screens/screens.h"
#include "screens/view.h"
#include "ui/chart.h"
#include "ui/dialog.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define TL_RELOAD_GAP_MS 3000

typedef struct timeliness {
	period_sel period;      /* first: its database answers are the screen's */
	int windows;            /* 0: per clerk, 1: per window */
	int sort;               /* a column of the table, -1: the database's order */
	int desc;
	db_rows *rows, *dept, *daily, *items;
	db_rows *cards;         /* red and yellow cards per holder (017) */
	db_rows *prev;          /* the department in the period before */
	size_t *order;          /* rows shown, in the sort order */
	list *table, *item_list;
	int drill;              /* the items behind one row are shown */
	char drill_what[160];
	long long drill_staff;
	char drill_window[32];
	int loading;
	int again;              /* load again once this load is done (db/replica.h) */
	unsigned reload_timer;
	long long last_reload_ms;
	char error[512];
	char *find;
	/* t: the ticket figures (取号, schema/023) instead of the table, by
	 * line, window or clerk (w goes round the three). */
	int tickets;
	int ticket_by;          /* TB_* */
	db_rows *trows;
	list *ticket_list;
} timeliness;

enum { TB_LINE, TB_WINDOW, TB_CLERK, TB_N };
static const char *const ticket_by_code[TB_N] = { "line", "window", "clerk" };

static const int tl_keybar[] = { CMD_OPEN, CMD_PERIOD, CMD_GROUPING, CMD_SORT_NEXT, CMD_SORT_PREV, CMD_EXPORT,
                                 CMD_TICKET_FIGURES, CMD_SCORECARD, CMD_DASHBOARD, CMD_INQUIRIES, CMD_RATINGS, CMD_QUIT, CMD_NONE };
static const int tl_commands[] = { CMD_SEARCH, CMD_QUEUE, CMD_OUTBOX, CMD_REFRESH, CMD_NONE };

/* ------------------------------------------------------------ the table */

/* The columns shown, with the database column each reads (relative to
 * the figures' first column; NAME: the row's own name). */
enum { TC_NAME, TC_COMPLETED, TC_RATE, TC_EARLY, TC_LATE, TC_MISSED, TC_ANSWERED, TC_ANSWER_RATE, TC_MEDIAN,
       TC_P90, TC_OVERDUE, TC_DUE_SOON, TC_BREACH, TC_BAD, TC_CARDS, TC_N };
static const list_column table_cols[TC_N] = {
	[TC_NAME] = { N_("Clerk / window"), 6, 16, 2, LIST_LEFT },
	[TC_COMPLETED] = { N_("Done"), 4, 6, 0, LIST_RIGHT },
	[TC_RATE] = { N_("On time"), 5, 7, 0, LIST_RIGHT },
	[TC_EARLY] = { N_("Early"), 5, 7, 0, LIST_RIGHT },
	[TC_LATE] = { N_("Late"), 4, 5, 0, LIST_RIGHT },
	[TC_MISSED] = { N_("Acc.miss"), 4, 5, 0, LIST_RIGHT },
	[TC_ANSWERED] = { N_("Replies"), 4, 6, 0, LIST_RIGHT },
	[TC_ANSWER_RATE] = { N_("Rep.on time"), 5, 7, 0, LIST_RIGHT },
	[TC_MEDIAN] = { N_("Median h"), 4, 6, 0, LIST_RIGHT },
	[TC_P90] = { N_("P90 h"), 4, 6, 0, LIST_RIGHT },
	[TC_OVERDUE] = { N_("Overdue"), 4, 5, 0, LIST_RIGHT },
	[TC_DUE_SOON] = { N_("Due soon"), 4, 5, 0, LIST_RIGHT },
	[TC_BREACH] = { N_("Breach"), 4, 5, 0, LIST_RIGHT },
	[TC_BAD] = { N_("Bad"), 4, 6, 0, LIST_RIGHT },
	[TC_CARDS] = { N_("Red/Yel"), 4, 7, 0, LIST_RIGHT },
};
/* The columns' meaning, in full, is in the help (F1) and in
 * doc/guide-supervisor.md: the headings are short to fit 80 columns. */
static const int col_figure[TC_N] = {
	[TC_NAME] = -1, [TC_COMPLETED] = SUP_COMPLETED, [TC_RATE] = SUP_ON_TIME_RATE, [TC_EARLY] = SUP_EARLY_RATE,
	[TC_LATE] = SUP_LATE, [TC_MISSED] = SUP_ACCEPT_MISSED, [TC_ANSWERED] = SUP_ANSWERED,
	[TC_ANSWER_RATE] = SUP_ANSWER_RATE, [TC_MEDIAN] = SUP_REPLY_MEDIAN, [TC_P90] = SUP_REPLY_P90,
	[TC_OVERDUE] = SUP_OVERDUE_CASES, [TC_DUE_SOON] = SUP_DUE_SOON_CASES, [TC_BREACH] = SUP_BREACHES,
	[TC_BAD] = SUP_BAD, [TC_CARDS] = -1,
};

/* The cards issued in the period to the clerk of row i (per clerk only:
 * cards are held by a person).  Returns 0 when there is nothing to show. */
static int cards_of(const timeliness *t, int i, long long *red, long long *yellow, long long *open_red)
{
	long long id;

	*red = *yellow = *open_red = 0;
	if (t->windows || !t->cards)
		return 0;
	id = db_rows_ll(t->rows, i, SUP_CLERK_ID);
	for (int k = 0; k < t->cards->nrows; k++) {
		if (db_rows_null(t->cards, k, SUP_CARD_STAFF) || db_rows_ll(t->cards, k, SUP_CARD_STAFF) != id)
			continue;
		*red = db_rows_ll(t->cards, k, SUP_CARD_RED);
		*yellow = db_rows_ll(t->cards, k, SUP_CARD_YELLOW);
		*open_red = db_rows_ll(t->cards, k, SUP_CARD_OPEN_RED);
		return 1;
	}
	return 1;
}

static int first_figure(const timeliness *t)
{
	return t->windows ? SUP_WIN_FIRST : SUP_CLERK_FIRST;
}

static int is_rate(int fig)
{
	return fig == SUP_ON_TIME_RATE || fig == SUP_EARLY_RATE || fig == SUP_ANSWER_RATE;
}

/* A figure as shown: rates in per cent, "-" when nothing was counted. */
static const char *figure_text(const db_rows *r, int row, int col, char *buf, size_t n, int fig)
{
	if (db_rows_null(r, row, col))
		return "-";
	if (is_rate(fig)) {
		double v = strtod(db_rows_get(r, row, col), NULL) * 100.0;
		/* "100%", not "100.0%": a rate fits in five cells. */
		snprintf(buf, n, v >= 99.95 ? "%.0f%%" : "%.1f%%", v);
		return buf;
	}
	return db_rows_get(r, row, col);
}

static size_t row_at(const timeliness *t, size_t i)
{
	return t->order ? t->order[i] : i;
}

static const char *table_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[128];
	timeliness *t = ctx;
	const db_rows *r = t->rows;
	int i, base = first_figure(t), fig = col_figure[col];

	if (!r || row >= (size_t)r->nrows)
		return NULL;
	i = (int)row_at(t, row);
	if (col == TC_NAME) {
		if (t->windows)
			snprintf(buf, sizeof buf, "%s %s", db_rows_get(r, i, SUP_WIN_CODE), db_rows_get(r, i, SUP_WIN_NAME));
		else
			snprintf(buf, sizeof buf, "%s%s", db_rows_get(r, i, SUP_CLERK_NAME),
			         db_rows_bool(r, i, SUP_CLERK_ACTIVE) ? "" : _(" (left)"));
		return buf;
	}
	if (col == TC_CARDS) {
		long long red, yellow, open_red;
		if (!cards_of(t, i, &red, &yellow, &open_red))
			return "-";
		if (open_red)
			*role = TERM_OVERDUE;
		else if (red + yellow)
			*role = TERM_WARN;
		snprintf(buf, sizeof buf, "%lld/%lld", red, yellow);
		return buf;
	}
	if (col == TC_BAD && !db_rows_null(r, i, base + SUP_BAD)) {
		long long bad = db_rows_ll(r, i, base + SUP_BAD), fixed = db_rows_ll(r, i, base + SUP_BAD_RECTIFIED);
		if (bad > fixed)
			*role = TERM_WARN;
		snprintf(buf, sizeof buf, "%lld/%lld", fixed, bad);
		return bad ? buf : "0";
	}
	if ((col == TC_OVERDUE || col == TC_LATE || col == TC_MISSED || col == TC_BREACH)
	    && db_rows_ll(r, i, base + fig) > 0)
		*role = TERM_OVERDUE;
	if (col == TC_DUE_SOON && db_rows_ll(r, i, base + fig) > 0)
		*role = TERM_WARN;
	return figure_text(r, i, base + fig, buf, sizeof buf, fig);
}

static int64_t table_id(void *ctx, size_t row)
{
	timeliness *t = ctx;
	const db_rows *r = t->rows;
	int i;

	if (!r || row >= (size_t)r->nrows)
		return -1;
	i = (int)row_at(t, row);
	if (!t->windows)
		return db_rows_ll(r, i, SUP_CLERK_ID);
	/* A window code is short text: its bytes make a stable id. */
	{
		int64_t h = 0;
		for (const char *p = db_rows_get(r, i, SUP_WIN_CODE); *p; p++)
			h = h * 131 + (unsigned char)*p;
		return h;
	}
}

static const list_source table_source = { table_cell, table_id, NULL };

static const timeliness *sort_ctx;

static int cmp_rows(const void *a, const void *b)
{
	const timeliness *t = sort_ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int r;

	if (t->sort == TC_NAME) {
		int c = t->windows ? SUP_WIN_CODE : SUP_CLERK_LOGIN;
		r = strcmp(db_rows_get(t->rows, (int)x, c), db_rows_get(t->rows, (int)y, c));
	} else if (t->sort == TC_CARDS) {
		long long rx, yx, ox, ry, yy, oy;
		cards_of(t, (int)x, &rx, &yx, &ox);
		cards_of(t, (int)y, &ry, &yy, &oy);
		r = rx != ry ? (rx < ry ? -1 : 1) : yx != yy ? (yx < yy ? -1 : 1) : 0;
	} else {
		int c = first_figure(t) + col_figure[t->sort];
		int nx = db_rows_null(t->rows, (int)x, c), ny = db_rows_null(t->rows, (int)y, c);
		/* Nothing counted sorts last whichever the order. */
		if (nx || ny)
			return nx - ny;
		double dx = strtod(db_rows_get(t->rows, (int)x, c), NULL), dy = strtod(db_rows_get(t->rows, (int)y, c), NULL);
		r = dx < dy ? -1 : dx > dy ? 1 : 0;
	}
	if (r == 0)
		return x < y ? -1 : x > y;
	return t->desc ? -r : r;
}

static void apply_sort(timeliness *t)
{
	size_t n = t->rows ? (size_t)t->rows->nrows : 0;

	free(t->order);
	t->order = NULL;
	if (!n)
		return;
	t->order = x_calloc(n, sizeof *t->order);
	for (size_t i = 0; i < n; i++)
		t->order[i] = i;
	if (t->sort >= 0) {
		sort_ctx = t;
		qsort(t->order, n, sizeof *t->order, cmp_rows);
	}
}

/* ------------------------------------------------------- the ticket figures */

enum { KC_NAME, KC_SERVED, KC_WAIT, KC_WAIT_P90, KC_SERVICE, KC_NO_SHOWS, KC_PAD, KC_SMS, KC_DEFAULT, KC_UNRATED, KC_N };
static const list_column ticket_cols[KC_N] = {
	[KC_NAME] = { N_("Line / window / clerk"), 8, 18, 2, LIST_LEFT },
	[KC_SERVED] = { N_("Served"), 6, 6, 0, LIST_RIGHT },
	[KC_WAIT] = { N_("Wait avg"), 6, 6, 0, LIST_RIGHT },
	[KC_WAIT_P90] = { N_("Wait P90"), 7, 7, 0, LIST_RIGHT },
	[KC_SERVICE] = { N_("Service avg"), 6, 6, 0, LIST_RIGHT },
	[KC_NO_SHOWS] = { N_("No-shows"), 4, 4, 0, LIST_RIGHT },
	[KC_PAD] = { N_("Rated at pad"), 6, 6, 0, LIST_RIGHT },
	[KC_SMS] = { N_("Rated by SMS"), 6, 6, 0, LIST_RIGHT },
	[KC_DEFAULT] = { N_("Default rating"), 6, 6, 0, LIST_RIGHT },
	[KC_UNRATED] = { N_("Unrated"), 5, 5, 0, LIST_RIGHT },
};
/* The headings are short (Chinese: 办理数 均等候 ... 未评) to fit 80
 * columns; F1 and doc/guide-supervisor.md say what each one counts. */
static const int ticket_fig[KC_N] = {
	[KC_NAME] = TF_NAME, [KC_SERVED] = TF_SERVED, [KC_WAIT] = TF_WAIT_AVG, [KC_WAIT_P90] = TF_WAIT_P90,
	[KC_SERVICE] = TF_SERVICE_AVG, [KC_NO_SHOWS] = TF_NO_SHOWS, [KC_PAD] = TF_RATED_PAD, [KC_SMS] = TF_RATED_SMS,
	[KC_DEFAULT] = TF_DEFAULTED, [KC_UNRATED] = TF_UNRATED,
};

static const char *ticket_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[128];
	timeliness *t = ctx;
	const db_rows *r = t->trows;
	int i = (int)row, c = ticket_fig[col];

	if (!r || row >= (size_t)r->nrows)
		return NULL;
	if (db_rows_null(r, i, c))
		return "-";
	switch (col) {
	case KC_NAME:
		/* A line or a window by its code and name; a clerk by name. */
		if (t->ticket_by == TB_CLERK)
			return db_rows_get(r, i, TF_NAME);
		snprintf(buf, sizeof buf, "%s %s", db_rows_get(r, i, TF_KEY), db_rows_get(r, i, TF_NAME));
		return buf;
	case KC_WAIT:
	case KC_WAIT_P90:
	case KC_SERVICE: {
		/* Minutes and seconds: a wait reads as the clock does. */
		long long sec = db_rows_ll(r, i, c);
		snprintf(buf, sizeof buf, "%lld:%02lld", sec / 60, sec % 60);
		return buf;
	}
	case KC_PAD:
	case KC_SMS:
	case KC_DEFAULT:
	case KC_UNRATED: {
		double v = strtod(db_rows_get(r, i, c), NULL) * 100.0;
		if (col == KC_UNRATED && v > 0)
			*role = TERM_WARN;
		snprintf(buf, sizeof buf, v >= 99.95 ? "%.0f%%" : "%.1f%%", v);
		return buf;
	}
	case KC_NO_SHOWS:
		if (db_rows_ll(r, i, c) > 0)
			*role = TERM_WARN;
		return db_rows_get(r, i, c);
	default:
		return db_rows_get(r, i, c);
	}
}

static int64_t ticket_id(void *ctx, size_t row)
{
	timeliness *t = ctx;
	int64_t h = 0;

	if (!t->trows || row >= (size_t)t->trows->nrows)
		return -1;
	for (const char *p = db_rows_get(t->trows, (int)row, TF_KEY); *p; p++)
		h = h * 131 + (unsigned char)*p;
	return h;
}

static const list_source ticket_source = { ticket_cell, ticket_id, NULL };

static const char *ticket_by_name(int by)
{
	return by == TB_LINE ? _("Per line") : by == TB_WINDOW ? _("Per window") : _("Per clerk");
}

/* ------------------------------------------------------------ the items */

enum { IC_WHAT, IC_REF, IC_TITLE, IC_STAFF, IC_DEADLINE, IC_DONE, IC_N };
static const list_column item_cols[IC_N] = {
	[IC_WHAT] = { N_("What"), 8, 12, 0, LIST_LEFT },
	[IC_REF] = { N_("Ref."), 13, 13, 0, LIST_LEFT },
	[IC_TITLE] = { N_("About"), 10, 0, 3, LIST_LEFT },
	[IC_STAFF] = { N_("Staff"), 6, 10, 1, LIST_LEFT },
	[IC_DEADLINE] = { N_("Deadline"), 10, 10, 0, LIST_LEFT },
	[IC_DONE] = { N_("Done / left"), 8, 12, 0, LIST_RIGHT },
};

static const char *what_name(const char *w, int *role)
{
	if (strcmp(w, "late") == 0) {
		*role = TERM_OVERDUE;
		return _("completed late");
	}
	if (strcmp(w, "overdue") == 0) {
		*role = TERM_OVERDUE;
		return _("!! overdue");
	}
	if (strcmp(w, "due_soon") == 0) {
		*role = TERM_WARN;
		return _("! due soon");
	}
	if (strcmp(w, "accept_miss") == 0) {
		*role = TERM_OVERDUE;
		return _("acceptance missed");
	}
	if (strcmp(w, "breach") == 0) {
		*role = TERM_OVERDUE;
		return _("notice breach");
	}
	if (strcmp(w, "bad_rating") == 0) {
		*role = TERM_WARN;
		return _("bad rating");
	}
	if (strcmp(w, "supervision") == 0) {
		*role = TERM_OVERDUE;
		return _("督办 late");
	}
	return w;
}

static const char *item_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[64];
	timeliness *t = ctx;
	const db_rows *r = t->items;
	int i = (int)row;

	if (!r || row >= (size_t)r->nrows)
		return NULL;
	switch (col) {
	case IC_WHAT:
		return what_name(db_rows_get(r, i, SUP_IT_WHAT), role);
	case IC_REF:
		return db_rows_get(r, i, SUP_IT_REF);
	case IC_TITLE:
		return db_rows_get(r, i, SUP_IT_TITLE);
	case IC_STAFF:
		return db_rows_get(r, i, SUP_IT_STAFF);
	case IC_DEADLINE:
		return db_rows_get(r, i, SUP_IT_DEADLINE);
	case IC_DONE:
		if (!db_rows_null(r, i, SUP_IT_DAYS_LEFT)) {
			int d = db_rows_int(r, i, SUP_IT_DAYS_LEFT);
			return app_days_cell(buf, sizeof buf, 1, d, d < 0 ? "overdue" : "warning", role);
		}
		return db_rows_get(r, i, SUP_IT_DONE);
	default:
		return NULL;
	}
}

static int64_t item_id(void *ctx, size_t row)
{
	timeliness *t = ctx;

	if (!t->items || row >= (size_t)t->items->nrows)
		return -1;
	return db_rows_ll(t->items, (int)row, SUP_IT_ID) * 16 + (int64_t)row % 16;
}

static const list_source item_source = { item_cell, item_id, NULL };

/* ------------------------------------------------------------- loading */

static void load(timeliness *t);

static void part_loaded(timeliness *t, db_rows **slot, db_rows *rows, const db_reply *reply)
{
	if (t->loading > 0)
		t->loading--;
	if (rows) {
		db_rows_free(*slot);
		*slot = rows;
	} else if (app_report_again(reply)) {
		/* The report database's doing: read it again (from the primary). */
		t->again = 1;
	} else if (reply->status != DB_OK) {
		app_refusal_text(reply, t->error, sizeof t->error);
	}
	if (!t->loading && t->again) {
		t->again = 0;
		load(t);
	}
	ui_redraw();
}

static void rows_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	timeliness *t = ctx;

	part_loaded(t, &t->rows, rows, reply);
	if (rows) {
		t->error[0] = '\0';
		apply_sort(t);
		list_set_rows(t->table, (size_t)rows->nrows);
	}
}

static void dept_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	timeliness *t = ctx;

	part_loaded(t, &t->dept, rows, reply);
}

static void prev_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	timeliness *t = ctx;

	part_loaded(t, &t->prev, rows, reply);
}

static void daily_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	timeliness *t = ctx;

	part_loaded(t, &t->daily, rows, reply);
}

static void cards_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	timeliness *t = ctx;

	part_loaded(t, &t->cards, rows, reply);
	if (rows && t->sort == TC_CARDS)
		apply_sort(t);
}

static void items_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	timeliness *t = ctx;

	part_loaded(t, &t->items, rows, reply);
	if (rows)
		list_set_rows(t->item_list, (size_t)rows->nrows);
}

static void tickets_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	timeliness *t = ctx;

	part_loaded(t, &t->trows, rows, reply);
	if (rows)
		list_set_rows(t->ticket_list, (size_t)rows->nrows);
}

static void load(timeliness *t)
{
	db_session *s;

	if (t->loading || !app_report_online() || !*t->period.from)
		return;
	s = app_report_session();
	t->again = 0;
	t->last_reload_ms = loop_now_ms();
	db_session_next_background(s);
	if ((t->windows ? sup_windows : sup_clerks)(s, t->period.from, t->period.to, rows_loaded, t) < 0)
		return;
	t->loading = 1;
	if (sup_department(s, t->period.from, t->period.to, dept_loaded, t) == 0)
		t->loading++;
	if (sup_daily(s, t->period.from, t->period.to, daily_loaded, t) == 0)
		t->loading++;
	if (sup_cards(s, t->period.from, t->period.to, cards_loaded, t) == 0)
		t->loading++;
	db_rows_free(t->prev);
	t->prev = NULL;
	if (*t->period.prev_from
	    && sup_department(s, t->period.prev_from, t->period.prev_to, prev_loaded, t) == 0)
		t->loading++;
	if (t->drill && sup_items(s, t->period.from, t->period.to, t->drill_staff, t->drill_window, items_loaded, t) == 0)
		t->loading++;
	if (t->tickets
	    && tickets_figures(s, NULL, t->period.from, t->period.to, ticket_by_code[t->ticket_by], tickets_loaded, t) == 0)
		t->loading++;
}

static void period_changed(void *ctx)
{
	timeliness *t = ctx;

	t->loading = 0;
	load(t);
}

static void reload_fired(void *ctx)
{
	timeliness *t = ctx;

	t->reload_timer = 0;
	if (t->loading) {
		t->reload_timer = loop_timer(TL_RELOAD_GAP_MS, 0, reload_fired, t);
		return;
	}
	load(t);
}

/* at_least: ms to wait whatever the gap (a NOTIFY: for the standby to
 * replay what it announces). */
static void schedule_reload(timeliness *t, int at_least)
{
	long long wait = t->last_reload_ms + TL_RELOAD_GAP_MS - loop_now_ms();

	if (wait < at_least)
		wait = at_least;
	if (!t->reload_timer)
		t->reload_timer = loop_timer((int)wait, 0, reload_fired, t);
}

static void case_notified(void *ctx, const char *window)
{
	(void)window;
	schedule_reload(ctx, app_report_settle_ms());
}

static void inquiry_notified(void *ctx, const char *dept)
{
	(void)dept;
	schedule_reload(ctx, app_report_settle_ms());
}

static void db_state_changed(void *ctx, db_state st)
{
	timeliness *t = ctx;

	if (st == DB_READY) {
		t->loading = 0;
		period_set(&t->period, t->period.which);
	}
}

/* The figures now come from elsewhere (the standby, or the primary). */
static void report_moved(void *ctx)
{
	timeliness *t = ctx;

	if (!*t->period.from)
		period_set(&t->period, t->period.which);
	else if (t->loading)
		t->again = 1;
	else
		load(t);
}

/* ---------------------------------------------------------------- keys */

static void drill_into(timeliness *t)
{
	size_t sel = list_selected(t->table);
	int i;

	if (sel == LIST_NONE || !t->rows || sel >= (size_t)t->rows->nrows)
		return;
	i = (int)row_at(t, sel);
	t->drill = 1;
	t->drill_staff = 0;
	t->drill_window[0] = '\0';
	if (t->windows) {
		snprintf(t->drill_window, sizeof t->drill_window, "%s", db_rows_get(t->rows, i, SUP_WIN_CODE));
		snprintf(t->drill_what, sizeof t->drill_what, "%s %s", t->drill_window,
		         db_rows_get(t->rows, i, SUP_WIN_NAME));
	} else {
		t->drill_staff = db_rows_ll(t->rows, i, SUP_CLERK_ID);
		snprintf(t->drill_what, sizeof t->drill_what, "%s (%s)", db_rows_get(t->rows, i, SUP_CLERK_NAME),
		         db_rows_get(t->rows, i, SUP_CLERK_LOGIN));
	}
	db_rows_free(t->items);
	t->items = NULL;
	list_set_rows(t->item_list, 0);
	if (app_report_online()
	    && sup_items(app_report_session(), t->period.from, t->period.to, t->drill_staff, t->drill_window,
	                 items_loaded, t) == 0)
		t->loading++;
}

static void open_item(timeliness *t)
{
	size_t sel = list_selected(t->item_list);

	if (sel == LIST_NONE || !t->items || sel >= (size_t)t->items->nrows)
		return;
	if (strcmp(db_rows_get(t->items, (int)sel, SUP_IT_KIND), "inquiry") == 0)
		inquiry_push(db_rows_ll(t->items, (int)sel, SUP_IT_ID));
	else
		case_push(db_rows_ll(t->items, (int)sel, SUP_IT_ID));
}

/* E: where to save, then the database streams the table into the file. */
static int export_table(timeliness *t)
{
	const char *which = t->tickets ? (t->ticket_by == TB_LINE ? "tickets_line" : t->ticket_by == TB_WINDOW
	                                  ? "tickets_window" : "tickets_clerk")
	                    : t->drill ? "items" : t->windows ? "windows" : "clerks";
	char *name = x_asprintf("%s-%s-%s", which, t->period.from, t->period.to);
	FILE *f = export_open(name);

	free(name);
	export_period_csv(f, which, t->period.from, t->period.to);
	return UI_REDRAW;
}

static int sort_step(timeliness *t, int step)
{
	int next = t->sort < 0 ? (step > 0 ? TC_RATE : TC_NAME) : (t->sort + step + TC_N) % TC_N;

	t->sort = next;
	/* Rates and counts are read best or worst first: the larger first. */
	t->desc = next != TC_NAME;
	apply_sort(t);
	list_set_rows(t->table, t->rows ? (size_t)t->rows->nrows : 0);
	return UI_REDRAW;
}

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	timeliness *t = s->data;
	list *l = t->tickets ? t->ticket_list : t->drill ? t->item_list : t->table;
	int r;

	switch (cmd) {
	case CMD_SEARCH:
		return find_in_list(l, &t->find);
	case CMD_PERIOD:
		period_ask(&t->period);
		return UI_REDRAW;
	case CMD_TICKET_FIGURES:
		t->tickets = !t->tickets;
		t->drill = 0;
		db_rows_free(t->trows);
		t->trows = NULL;
		list_set_rows(t->ticket_list, 0);
		t->loading = 0;
		load(t);
		return UI_REDRAW;
	case CMD_GROUPING:
		if (t->tickets) {
			t->ticket_by = (t->ticket_by + 1) % TB_N;
			db_rows_free(t->trows);
			t->trows = NULL;
			list_set_rows(t->ticket_list, 0);
			t->loading = 0;
			load(t);
			return UI_REDRAW;
		}
		if (t->drill)
			return UI_HANDLED;
		t->windows = !t->windows;
		t->sort = -1;
		db_rows_free(t->rows);
		t->rows = NULL;
		free(t->order);
		t->order = NULL;
		list_set_rows(t->table, 0);
		t->loading = 0;
		load(t);
		return UI_REDRAW;
	case CMD_SORT_NEXT:
	case CMD_SORT_PREV:
		if (t->drill)
			return UI_HANDLED;
		return sort_step(t, cmd == CMD_SORT_NEXT ? 1 : -1);
	case CMD_EXPORT:
		return export_table(t);
	case CMD_DASHBOARD:
		ui_push(&dashboard_ops, dashboard_new());
		return UI_REDRAW;
	case CMD_SCORECARD:
		ui_push(&scorecard_ops, scorecard_new());
		return UI_REDRAW;
	case CMD_QUEUE:
	case CMD_INQUIRIES:
	case CMD_RATINGS:
	case CMD_OUTBOX:
		if (cmd == CMD_QUEUE && app_me() && app_me()->nwindows == 0) {
			ui_status(UI_INFO, "%s", _("No window to show a queue for."));
			return UI_REDRAW;
		}
		return app_goto(cmd);
	case CMD_REFRESH:
		t->loading = 0;
		period_set(&t->period, t->period.which);
		return UI_UNHANDLED;
	case CMD_BACK:
		if (t->drill) {
			t->drill = 0;
			return UI_REDRAW;
		}
		if (ui_depth() <= 1) {
			ui_status(UI_INFO, "%s", _("This is your first screen. F10 quits hallterm."));
			return UI_REDRAW;
		}
		return UI_UNHANDLED;
	case CMD_OPEN:
		if (t->tickets)
			return UI_HANDLED;
		if (t->drill)
			open_item(t);
		else
			drill_into(t);
		return UI_REDRAW;
	default:
		break;
	}
	r = list_key(l, cmd, ev);
	if (r == LIST_ACTIVATE)
		return key(s, CMD_OPEN, ev);
	return r == LIST_IGNORED ? UI_UNHANDLED : UI_REDRAW;
}

static int available(ui_screen *s, int cmd)
{
	const timeliness *t = s->data;

	switch (cmd) {
	case CMD_GROUPING:
		return !t->drill || t->tickets;
	case CMD_SORT_NEXT:
	case CMD_SORT_PREV:
		return !t->drill && !t->tickets;
	case CMD_OPEN:
		return !t->tickets;
	case CMD_OUTBOX:
		return !app_is_clerk();
	default:
		return 1;
	}
}

/* -------------------------------------------------------------- drawing */

static void put_line(WINDOW *w, int y, int cols, int role, const char *text)
{
	term_put(w, y, 0, cols, role, TEXT_PAD, text);
}

static void draw_totals(timeliness *t, WINDOW *w, int *y, int cols)
{
	const db_rows *d = t->dept;
	char buf[512], a[32], b[32], c[32];
	int f = SUP_DEPT_FIRST;

	if (!d || d->nrows == 0) {
		view_loading(w, (*y)++, 0, cols, t->error);
		return;
	}
	snprintf(buf, sizeof buf, _("Cases completed %s: on time %s, early %s, late %s; acceptance missed %s"),
	         db_rows_get(d, 0, f + SUP_COMPLETED), figure_text(d, 0, f + SUP_ON_TIME_RATE, a, sizeof a, SUP_ON_TIME_RATE),
	         figure_text(d, 0, f + SUP_EARLY_RATE, b, sizeof b, SUP_EARLY_RATE), db_rows_get(d, 0, f + SUP_LATE),
	         db_rows_get(d, 0, f + SUP_ACCEPT_MISSED));
	put_line(w, (*y)++, cols, db_rows_ll(d, 0, f + SUP_LATE) ? TERM_WARN : TERM_NORMAL, buf);
	snprintf(buf, sizeof buf, _("Inquiries answered %s: on time %s; reply time median %s h, P90 %s h (working hours)"),
	         db_rows_get(d, 0, f + SUP_ANSWERED), figure_text(d, 0, f + SUP_ANSWER_RATE, a, sizeof a, SUP_ANSWER_RATE),
	         figure_text(d, 0, f + SUP_REPLY_MEDIAN, b, sizeof b, SUP_REPLY_MEDIAN),
	         figure_text(d, 0, f + SUP_REPLY_P90, c, sizeof c, SUP_REPLY_P90));
	put_line(w, (*y)++, cols, TERM_NORMAL, buf);
	snprintf(buf, sizeof buf,
	         _("Now: !! cases overdue %s, ! due soon %s; !! inquiries overdue %s, ! due soon %s; notice breaches %s; "
	           "bad ratings %s (rectified %s)"),
	         db_rows_get(d, 0, f + SUP_OVERDUE_CASES), db_rows_get(d, 0, f + SUP_DUE_SOON_CASES),
	         db_rows_get(d, 0, f + SUP_OVERDUE_INQ), db_rows_get(d, 0, f + SUP_DUE_SOON_INQ),
	         db_rows_get(d, 0, f + SUP_BREACHES), db_rows_get(d, 0, f + SUP_BAD), db_rows_get(d, 0, f + SUP_BAD_RECTIFIED));
	put_line(w, (*y)++, cols,
	         db_rows_ll(d, 0, f + SUP_OVERDUE_CASES) + db_rows_ll(d, 0, f + SUP_OVERDUE_INQ) ? TERM_OVERDUE : TERM_NORMAL,
	         buf);
	if (t->cards) {
		long long n[4] = { 0, 0, 0, 0 };
		for (int k = 0; k < t->cards->nrows; k++)
			for (int j = 0; j < 4; j++)
				n[j] += db_rows_ll(t->cards, k, SUP_CARD_YELLOW + j);
		snprintf(buf, sizeof buf, _("Cards issued: red %lld, yellow %lld; open now: red %lld, yellow %lld"), n[1],
		         n[0], n[3], n[2]);
		put_line(w, (*y)++, cols, n[3] ? TERM_OVERDUE : n[2] ? TERM_WARN : TERM_NORMAL, buf);
	}
}

static void draw_chart(timeliness *t, WINDOW *w, int y, int cols)
{
	const db_rows *d = t->daily;
	char label[96];
	int n, lw, room;
	double *v;
	char *spark;

	if (!d || d->nrows == 0)
		return;
	snprintf(label, sizeof label, "%s ", _("On time, per day:"));
	lw = text_width(label);
	room = cols - lw - 1;
	/* At the right: the same rates in the period before, to compare. */
	if (t->prev && t->prev->nrows == 1) {
		char a[32], b[32], tail[160];
		int f = SUP_DEPT_FIRST, tw;
		snprintf(tail, sizeof tail, _("before: on time %s, replies %s"),
		         figure_text(t->prev, 0, f + SUP_ON_TIME_RATE, a, sizeof a, SUP_ON_TIME_RATE),
		         figure_text(t->prev, 0, f + SUP_ANSWER_RATE, b, sizeof b, SUP_ANSWER_RATE));
		tw = text_width(tail);
		if (tw + 12 < room) {
			term_put(w, y, cols - tw, tw, TERM_DIM, 0, tail);
			room -= tw + 1;
		}
	}
	n = d->nrows;
	/* The last days when the period is longer than the line. */
	int first = n > room ? n - room : 0;
	v = x_calloc((size_t)(n - first) + 1, sizeof *v);
	for (int i = first; i < n; i++)
		v[i - first] = db_rows_null(d, i, 5) ? NAN : strtod(db_rows_get(d, i, 5), NULL);
	spark = chart_sparkline(v, (size_t)(n - first), 0.0, 1.0, (n - first) * 3 <= room ? 3 : 1);
	term_put(w, y, 0, lw, TERM_DIM, 0, label);
	term_put(w, y, lw, cols - lw, TERM_OK, 0, spark);
	free(spark);
	free(v);
}

static void draw(ui_screen *s, WINDOW *w)
{
	timeliness *t = s->data;
	int lines, cols, y = 0;
	char buf[512];

	getmaxyx(w, lines, cols);
	werase(w);
	snprintf(buf, sizeof buf, _("%s  %s   Period: %s %s .. %s   (p: another)"),
	         app_me() ? app_kind_name(app_me()->kind) : "",
	         app_me() && *app_me()->department_name ? app_me()->department_name : _("all departments"),
	         period_name(t->period.which), t->period.from, t->period.to);
	term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, buf);
	draw_totals(t, w, &y, cols);
	draw_chart(t, w, y++, cols);
	if (t->tickets) {
		snprintf(buf, sizeof buf,
		         _("Tickets (取号) %s (w: next grouping)   wait and service in min:sec; shares of the services rated"),
		         ticket_by_name(t->ticket_by));
		term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, buf);
		list_set_empty_text(t->ticket_list, t->trows ? _("No ticket served in this period.")
		                                             : *t->error ? t->error : _("Loading..."));
		list_draw(t->ticket_list, w, y, 0, lines - y, cols);
		return;
	}
	if (t->drill) {
		snprintf(buf, sizeof buf, _("Late and overdue: %s (Enter opens; Esc: back to the table)"), t->drill_what);
		term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, buf);
		list_set_empty_text(t->item_list, !t->items ? _("Loading...") : _("Nothing late, overdue or broken here."));
		list_draw(t->item_list, w, y, 0, lines - y, cols);
		return;
	}
	snprintf(buf, sizeof buf, _("%s (w: %s)   sorted by: %s%s   (Enter: what is late)"),
	         t->windows ? _("Per window") : _("Per clerk"), t->windows ? _("per clerk") : _("per window"),
	         t->sort < 0 ? _("name") : _(table_cols[t->sort].title), t->sort < 0 ? "" : t->desc ? " ↓" : " ↑");
	term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, buf);
	list_set_empty_text(t->table, t->rows ? _("Nobody to show for this period.") : *t->error ? t->error : _("Loading..."));
	list_draw(t->table, w, y, 0, lines - y, cols);
}

/* ---------------------------------------------------------------- life */

static void focus(ui_screen *s, int focused)
{
	if (focused)
		schedule_reload(s->data, 0);
}

static int open_screen(ui_screen *s)
{
	timeliness *t = s->data;

	t->sort = -1;
	t->period.changed = period_changed;
	t->period.ctx = t;
	t->table = list_new(table_cols, TC_N, &table_source, t);
	t->item_list = list_new(item_cols, IC_N, &item_source, t);
	t->ticket_list = list_new(ticket_cols, KC_N, &ticket_source, t);
	ui_screen_title(s, _("Timeliness (时效)"));
	cases_listen(app_db(), case_notified, t);
	inquiries_listen(app_db(), inquiry_notified, t);
	app_watch_db(db_state_changed, t);
	app_watch_report(report_moved, t);
	period_set(&t->period, PERIOD_MONTH);
	return 0;
}

static void close_screen(ui_screen *s)
{
	timeliness *t = s->data;

	if (!t)
		return;
	if (app_db()) {
		app_forget(t);
		period_forget(&t->period);
		cases_unlisten(app_db(), t);
		inquiries_unlisten(app_db(), t);
	}
	app_unwatch_db(t);
	loop_timer_cancel(t->reload_timer);
	db_rows_free(t->rows);
	db_rows_free(t->dept);
	db_rows_free(t->daily);
	db_rows_free(t->items);
	db_rows_free(t->cards);
	db_rows_free(t->prev);
	db_rows_free(t->trows);
	list_free(t->ticket_list);
	free(t->order);
	list_free(t->table);
	list_free(t->item_list);
	free(t->find);
	free(t);
	s->data = NULL;
}

const ui_screen_ops timeliness_ops = {
	.name = "timeliness",
	.keybar = tl_keybar,
	.commands = tl_commands,
	.available = available,
	.open = open_screen,
	.draw = draw,
	.key = key,
	.focus = focus,
	.close = close_screen,
};

void *timeliness_new(void)
{
	return x_calloc(1, sizeof(timeliness));
}
