/* screens/scorecard.c - the month's scorecard (月度考评), m from timeliness.
 *
 *   per window (the first view)   rank, the change since last month, the
 *                                 composite score, the on-time rate and the
 *                                 GB/T 39734-2020 rating figures, cards,
 *                                 breaches, late 督办; ⚑ marks a window at
 *                                 the bottom by satisfaction two months
 *                                 running (to be summoned, 约谈), ⚐ this month
 *   per clerk (w)                 the same with the reply on-time rate
 *   platform figures (w again)    the cases received in the month by
 *                                 channel, 网上办件, 最多跑一次, 全程不见面,
 *                                 applicant kind and category: the
 *                                 department's beside the whole hall's
 *
 * The month is last month by the database's clock until p chooses another.
 * C (supervisors only: the director and the trainer read) closes the month
 * for the department: its figures are frozen for good.  E saves the
 * scorecard or the platform figures as CSV (written by the database).
 * Enter shows every figure of a row by its full name.  Every figure, the
 * rank included, comes from the database (schema/018); nothing is counted
 * here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/scorecard.h"
#include "db/supervise.h"
#include "screens/app.h"
#include "screens/export.h"
#include "screens/find.h"
#include "screens/screens.h"
#include "ui/dialog.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

enum { V_WINDOWS, V_CLERKS, V_PLATFORM, V_N };
static const char *const view_name[V_N] = { N_("Per window"), N_("Per clerk"), N_("Platform figures") };
static const char *const view_next[V_N] = { N_("per clerk"), N_("platform figures"), N_("per window") };

typedef struct scorecard {
	char month[11];          /* "YYYY-MM-01"; "" until the database's clock said */
	int view;
	int sort, desc;          /* a column of the view's table (-1: by rank, the database's order) */
	db_rows *rows[V_N];      /* each view's own answer: a late one never lands in another view */
	db_rows *closed;         /* the departments that closed the month */
	size_t *order;           /* the scorecard rows shown, in the sort order */
	list *lists[V_N];
	char error[512];
	char *find;
	int pending;             /* reads under way */
	int again;               /* load again when they are done (db/replica.h) */
} scorecard;

static const int sc_keybar[] = { CMD_OPEN, CMD_PERIOD, CMD_SCORE_VIEW, CMD_CLOSE_MONTH, CMD_EXPORT, CMD_SORT_NEXT,
                                 CMD_SORT_PREV, CMD_FRONT_DESK, CMD_BACK, CMD_QUIT, CMD_NONE };
static const int sc_commands[] = { CMD_SEARCH, CMD_REFRESH, CMD_NONE };

/* ------------------------------------------------------------ the tables */

/* How a column reads its field: the headings are short to fit 80
 * columns; the legend under the table, Enter and the guide say them in
 * full. */
enum { K_NAME, K_RANK, K_CHANGE, K_NUM, K_RATE, K_CARDS, K_FLAGS };
typedef struct { int field, kind; } sc_field;

static const list_column win_cols[] = {
	{ N_("Rank"), 4, 4, 0, LIST_RIGHT },     { N_("+/-"), 4, 4, 0, LIST_RIGHT },
	{ N_("Window"), 10, 24, 3, LIST_LEFT },  { N_("Score"), 6, 6, 0, LIST_RIGHT },
	{ N_("On-time%"), 5, 7, 1, LIST_RIGHT }, { N_("Good%"), 5, 7, 1, LIST_RIGHT },
	{ N_("Proact.%"), 5, 7, 1, LIST_RIGHT }, { N_("Unrated%"), 5, 7, 1, LIST_RIGHT },
	{ N_("Rectif.%"), 5, 7, 1, LIST_RIGHT }, { N_("Callb.%"), 5, 7, 1, LIST_RIGHT },
	{ N_("R/Y"), 5, 5, 0, LIST_RIGHT },      { N_("Breach"), 4, 4, 0, LIST_RIGHT },
	{ N_("督办"), 5, 5, 0, LIST_RIGHT },     { N_("Satisf.%"), 5, 7, 1, LIST_RIGHT },
};
static const sc_field win_fields[] = {
	{ SC_RANK, K_RANK }, { SC_RANK_CHANGE, K_CHANGE }, { SC_KEY, K_NAME }, { SC_SCORE, K_NUM },
	{ SC_ON_TIME_RATE, K_RATE }, { SC_GOOD_RATE, K_RATE }, { SC_PROACTIVE_RATE, K_RATE },
	{ SC_UNRATED_RATE, K_RATE }, { SC_RECTIFY_RATE, K_RATE }, { SC_CALLBACK_RECTIFY_RATE, K_RATE },
	{ SC_RED_CARDS, K_CARDS }, { SC_BREACHES, K_NUM }, { SC_SUPERVISIONS_LATE, K_FLAGS },
	{ SC_SATISFACTION_RATE, K_RATE },
};
static const list_column clerk_cols[] = {
	{ N_("Rank"), 4, 4, 0, LIST_RIGHT },     { N_("+/-"), 4, 4, 0, LIST_RIGHT },
	{ N_("Clerk"), 6, 16, 3, LIST_LEFT },    { N_("Score"), 6, 6, 0, LIST_RIGHT },
	{ N_("On-time%"), 5, 7, 1, LIST_RIGHT }, { N_("Reply%"), 5, 7, 1, LIST_RIGHT },
	{ N_("Good%"), 5, 7, 1, LIST_RIGHT },    { N_("Satisf.%"), 5, 7, 1, LIST_RIGHT },
	{ N_("Proact.%"), 5, 7, 1, LIST_RIGHT }, { N_("Unrated%"), 5, 7, 1, LIST_RIGHT },
	{ N_("Rectif.%"), 5, 7, 1, LIST_RIGHT }, { N_("Callb.%"), 5, 7, 1, LIST_RIGHT },
	{ N_("R/Y"), 5, 5, 0, LIST_RIGHT },      { N_("Breach"), 4, 4, 0, LIST_RIGHT },
	{ N_("督办"), 5, 5, 0, LIST_RIGHT },
};
static const sc_field clerk_fields[] = {
	{ SC_RANK, K_RANK }, { SC_RANK_CHANGE, K_CHANGE }, { SC_KEY, K_NAME }, { SC_SCORE, K_NUM },
	{ SC_ON_TIME_RATE, K_RATE }, { SC_ANSWER_RATE, K_RATE }, { SC_GOOD_RATE, K_RATE },
	{ SC_SATISFACTION_RATE, K_RATE }, { SC_PROACTIVE_RATE, K_RATE }, { SC_UNRATED_RATE, K_RATE },
	{ SC_RECTIFY_RATE, K_RATE }, { SC_CALLBACK_RECTIFY_RATE, K_RATE }, { SC_RED_CARDS, K_CARDS },
	{ SC_BREACHES, K_NUM }, { SC_SUPERVISIONS_LATE, K_FLAGS },
};
#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))
static const struct {
	const list_column *cols;
	const sc_field *fields;
	int n;
} tables[2] = { { win_cols, win_fields, NCOLS(win_cols) }, { clerk_cols, clerk_fields, NCOLS(clerk_cols) } };

/* Enter: every figure of a row, by its full name. */
static const struct {
	const char *label;
	int field, kind;
} details[] = {
	{ N_("Composite score"), SC_SCORE, K_NUM },
	{ N_("Cases completed"), SC_COMPLETED, K_NUM },
	{ N_("On-time completion rate"), SC_ON_TIME_RATE, K_RATE },
	{ N_("Completed early"), SC_EARLY_RATE, K_RATE },
	{ N_("Acceptance deadlines missed"), SC_ACCEPT_MISSED, K_NUM },
	{ N_("Inquiries answered"), SC_ANSWERED, K_NUM },
	{ N_("On-time reply rate"), SC_ANSWER_RATE, K_RATE },
	{ N_("Services (cases and replies)"), SC_SERVICES, K_NUM },
	{ N_("Services not rated"), SC_UNRATED, K_NUM },
	{ N_("未评率 (not rated)"), SC_UNRATED_RATE, K_RATE },
	{ N_("Ratings given in the month"), SC_RATINGS, K_NUM },
	{ N_("好评率 (levels 3-5)"), SC_GOOD_RATE, K_RATE },
	{ N_("满意率 (levels 4-5)"), SC_SATISFACTION_RATE, K_RATE },
	{ N_("主动评价率 (rated unasked)"), SC_PROACTIVE_RATE, K_RATE },
	{ N_("主动评价好评率"), SC_PROACTIVE_GOOD_RATE, K_RATE },
	{ N_("Bad ratings (levels 1-2)"), SC_BAD, K_NUM },
	{ N_("差评整改率 (rectified)"), SC_RECTIFY_RATE, K_RATE },
	{ N_("回访整改率 (closed after the callback)"), SC_CALLBACK_RECTIFY_RATE, K_RATE },
	{ N_("回访整改满意率 (follow-up 3-5)"), SC_CALLBACK_SATISFACTION_RATE, K_RATE },
	{ N_("Red cards"), SC_RED_CARDS, K_NUM },
	{ N_("Yellow cards"), SC_YELLOW_CARDS, K_NUM },
	{ N_("One-time notice breaches"), SC_BREACHES, K_NUM },
	{ N_("督办 flags"), SC_SUPERVISIONS, K_NUM },
	{ N_("督办 answered late"), SC_SUPERVISIONS_LATE, K_NUM },
};

/* A rate as shown: "93.7%", "100%" (it fits five cells), "-" when nothing
 * was counted. */
static const char *rate_text(const db_rows *r, int i, int f, char *buf, size_t n)
{
	double v;

	if (db_rows_null(r, i, f))
		return "-";
	v = strtod(db_rows_get(r, i, f), NULL) * 100.0;
	snprintf(buf, n, v >= 99.95 ? "%.0f%%" : "%.1f%%", v);
	return buf;
}

static const char *change_text(const db_rows *r, int i, char *buf, size_t n, int *role)
{
	long long d;

	if (db_rows_null(r, i, SC_RANK))
		return "";
	if (db_rows_null(r, i, SC_PREV_RANK))
		return _("new");
	d = db_rows_ll(r, i, SC_RANK_CHANGE);
	if (d == 0)
		return "–";
	*role = d > 0 ? TERM_OK : TERM_WARN;
	snprintf(buf, n, "%s%lld", d > 0 ? "↑" : "↓", d > 0 ? d : -d);
	return buf;
}

static size_t row_at(const scorecard *c, size_t i)
{
	return c->order ? c->order[i] : i;
}

static const char *score_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[160];
	scorecard *c = ctx;
	const db_rows *r = c->rows[c->view];
	const sc_field *f;
	int i;

	if (!r || c->view == V_PLATFORM || row >= (size_t)r->nrows || col >= tables[c->view].n)
		return NULL;
	f = &tables[c->view].fields[col];
	i = (int)row_at(c, row);
	switch (f->kind) {
	case K_NAME: {
		/* The marks also say it without colour. */
		int two = db_rows_bool(r, i, SC_BOTTOM_TWO_MONTHS), bottom = db_rows_bool(r, i, SC_BOTTOM);
		if (two || bottom)
			*role = two ? TERM_OVERDUE : TERM_WARN;
		if (c->view == V_CLERKS)
			snprintf(buf, sizeof buf, "%s", db_rows_get(r, i, SC_NAME));
		else
			snprintf(buf, sizeof buf, "%s%s %s", two ? "⚑" : bottom ? "⚐" : "", db_rows_get(r, i, SC_KEY),
			         db_rows_get(r, i, SC_NAME));
		return buf;
	}
	case K_RANK:
		return db_rows_null(r, i, f->field) ? "-" : db_rows_get(r, i, f->field);
	case K_CHANGE:
		return change_text(r, i, buf, sizeof buf, role);
	case K_RATE:
		return rate_text(r, i, f->field, buf, sizeof buf);
	case K_CARDS:
		if (db_rows_ll(r, i, SC_RED_CARDS) || db_rows_ll(r, i, SC_YELLOW_CARDS))
			*role = db_rows_ll(r, i, SC_RED_CARDS) ? TERM_OVERDUE : TERM_WARN;
		snprintf(buf, sizeof buf, "%s/%s", db_rows_get(r, i, SC_RED_CARDS), db_rows_get(r, i, SC_YELLOW_CARDS));
		return buf;
	case K_FLAGS:
		if (db_rows_ll(r, i, SC_SUPERVISIONS_LATE))
			*role = TERM_OVERDUE;
		snprintf(buf, sizeof buf, "%s/%s", db_rows_get(r, i, SC_SUPERVISIONS_LATE),
		         db_rows_get(r, i, SC_SUPERVISIONS));
		return buf;
	default:
		if (f->field == SC_BREACHES && db_rows_ll(r, i, f->field))
			*role = TERM_OVERDUE;
		return db_rows_null(r, i, f->field) ? "-" : db_rows_get(r, i, f->field);
	}
}

static int64_t score_id(void *ctx, size_t row)
{
	scorecard *c = ctx;
	const db_rows *r = c->rows[c->view];
	int64_t h = 0;

	if (!r || row >= (size_t)r->nrows)
		return -1;
	/* A window code or a login is short text: its bytes make a stable id. */
	for (const char *p = db_rows_get(r, (int)row_at(c, row), SC_KEY); *p; p++)
		h = h * 131 + (unsigned char)*p;
	return h;
}

static const list_source score_source = { score_cell, score_id, NULL };

/* The platform: one line per row of the whole hall (the database lists the
 * hall's rows first, then the department's, in the same order), with the
 * department's figures of the same dimension and key beside it. */
enum { PC_GROUP, PC_LABEL, PC_DEPT, PC_DEPT_SHARE, PC_HALL, PC_HALL_SHARE, PC_N };
static const list_column pf_cols[PC_N] = {
	[PC_GROUP] = { N_("Group"), 8, 10, 0, LIST_LEFT },   [PC_LABEL] = { N_("Item"), 10, 20, 1, LIST_LEFT },
	[PC_DEPT] = { N_("Dept."), 8, 10, 0, LIST_RIGHT },   [PC_DEPT_SHARE] = { N_("Dept. %"), 8, 10, 0, LIST_RIGHT },
	[PC_HALL] = { N_("Hall"), 8, 10, 0, LIST_RIGHT },    [PC_HALL_SHARE] = { N_("Hall %"), 8, 10, 0, LIST_RIGHT },
};
/* The groups of several rows get a name on their first row, and the total
 * says what is counted (cases received); a group of one row is named by its
 * label. */
static const struct {
	const char *dimension, *name;
} pf_groups[] = { { "total", N_("Received") }, { "channel", N_("Channel") }, { "applicant", N_("Applicant") },
                  { "category", N_("Category") } };

static int pf_hall_rows(const db_rows *r)
{
	int n = 0;

	while (r && n < r->nrows && db_rows_null(r, n, SC_PF_SCOPE))
		n++;
	return n;
}

static int pf_dept_row(const db_rows *r, int hall_row)
{
	for (int j = pf_hall_rows(r); j < r->nrows; j++)
		if (strcmp(db_rows_get(r, j, SC_PF_DIMENSION), db_rows_get(r, hall_row, SC_PF_DIMENSION)) == 0
		    && strcmp(db_rows_get(r, j, SC_PF_KEY), db_rows_get(r, hall_row, SC_PF_KEY)) == 0)
			return j;
	return -1;
}

static const char *pf_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[64];
	scorecard *c = ctx;
	const db_rows *r = c->rows[V_PLATFORM];
	int i = (int)row, j;

	if (!r || i >= pf_hall_rows(r))
		return NULL;
	j = col == PC_DEPT || col == PC_DEPT_SHARE ? pf_dept_row(r, i) : i;
	switch (col) {
	case PC_GROUP:
		if (i > 0 && strcmp(db_rows_get(r, i - 1, SC_PF_DIMENSION), db_rows_get(r, i, SC_PF_DIMENSION)) == 0)
			return "";
		for (size_t g = 0; g < sizeof pf_groups / sizeof pf_groups[0]; g++)
			if (strcmp(pf_groups[g].dimension, db_rows_get(r, i, SC_PF_DIMENSION)) == 0)
				return _(pf_groups[g].name);
		return "";
	case PC_LABEL:
		if (strcmp(db_rows_get(r, i, SC_PF_DIMENSION), "total") == 0)
			*role = TERM_HEADER;
		return db_rows_get(r, i, SC_PF_LABEL);
	}
	/* A category the department had no case of: none, when it has a
	 * column at all (the director and the trainer read the hall's only). */
	if (j < 0)
		return pf_hall_rows(r) == r->nrows ? "-" : col == PC_DEPT ? "0" : "0.0%";
	return col == PC_DEPT || col == PC_HALL ? db_rows_get(r, j, SC_PF_CASES)
	                                        : rate_text(r, j, SC_PF_SHARE, buf, sizeof buf);
}

static const list_source pf_source = { pf_cell, NULL, NULL };

/* ----------------------------------------------------------------- sorting */

static const scorecard *sort_ctx;

static int cmp_rows(const void *a, const void *b)
{
	const scorecard *c = sort_ctx;
	const sc_field *f = &tables[c->view].fields[c->sort];
	int x = (int)*(const size_t *)a, y = (int)*(const size_t *)b, nx, ny, d;

	if (f->kind == K_NAME) {
		d = strcmp(db_rows_get(c->rows[c->view], x, SC_KEY), db_rows_get(c->rows[c->view], y, SC_KEY));
	} else {
		const db_rows *r = c->rows[c->view];
		nx = db_rows_null(r, x, f->field);
		ny = db_rows_null(r, y, f->field);
		/* Nothing counted sorts last whichever the order. */
		if (nx || ny)
			return nx != ny ? nx - ny : x - y;
		double vx = strtod(db_rows_get(r, x, f->field), NULL), vy = strtod(db_rows_get(r, y, f->field), NULL);
		d = vx < vy ? -1 : vx > vy;
	}
	if (d == 0)
		return x - y;
	return c->desc ? -d : d;
}

static void apply_sort(scorecard *c)
{
	size_t n = c->view != V_PLATFORM && c->rows[c->view] ? (size_t)c->rows[c->view]->nrows : 0;

	free(c->order);
	c->order = NULL;
	if (!n)
		return;
	c->order = x_calloc(n, sizeof *c->order);
	for (size_t i = 0; i < n; i++)
		c->order[i] = i;
	if (c->sort >= 0) {
		sort_ctx = c;
		qsort(c->order, n, sizeof *c->order, cmp_rows);
	}
}

/* The view's rows were replaced, or another view or order was chosen. */
static void show_rows(scorecard *c)
{
	const db_rows *r = c->rows[c->view];

	apply_sort(c);
	list_set_rows(c->lists[c->view], !r ? 0 : c->view == V_PLATFORM ? (size_t)pf_hall_rows(r) : (size_t)r->nrows);
}

/* ------------------------------------------------------------- loading */

static void load(scorecard *c);

/* One read of a load is done: the last one loads again if the report
 * database asked for it. */
static void read_done(scorecard *c, const db_reply *reply)
{
	if (c->pending > 0)
		c->pending--;
	if (reply && app_report_again(reply))
		c->again = 1;
	if (!c->pending && c->again) {
		c->again = 0;
		load(c);
	}
}

static void loaded(scorecard *c, int view, db_rows *rows, const db_reply *reply)
{
	if (!rows) {
		if (!app_report_again(reply))
			app_refusal_text(reply, c->error, sizeof c->error);
		else
			c->again = 1;
		read_done(c, NULL);
		ui_redraw();
		return;
	}
	read_done(c, NULL);
	c->error[0] = '\0';
	db_rows_free(c->rows[view]);
	c->rows[view] = rows;
	if (view == c->view)
		show_rows(c);
	ui_redraw();
}

static void windows_loaded(void *ctx, db_rows *rows, const db_reply *reply) { loaded(ctx, V_WINDOWS, rows, reply); }
static void clerks_loaded(void *ctx, db_rows *rows, const db_reply *reply) { loaded(ctx, V_CLERKS, rows, reply); }
static void platform_loaded(void *ctx, db_rows *rows, const db_reply *reply) { loaded(ctx, V_PLATFORM, rows, reply); }

static void closed_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	scorecard *c = ctx;

	/* A failure leaves the state unsaid: the table's load says why. */
	if (rows) {
		db_rows_free(c->closed);
		c->closed = rows;
	}
	read_done(c, rows ? NULL : reply);
	ui_redraw();
}

static int (*const loaders[V_N])(db_session *, const char *, sc_rows_fn, void *) = {
	scorecard_windows, scorecard_clerks, scorecard_platform
};
static const sc_rows_fn loaded_fns[V_N] = { windows_loaded, clerks_loaded, platform_loaded };

static void load(scorecard *c)
{
	db_session *s;

	if (!app_report_online() || !*c->month)
		return;
	s = app_report_session();
	c->again = 0;
	db_session_next_background(s);
	if (loaders[c->view](s, c->month, loaded_fns[c->view], c) == 0)
		c->pending++;
	if (scorecard_closed(s, c->month, closed_loaded, c) == 0)
		c->pending++;
}

/* The month shown changes: what was loaded for another month goes. */
static void set_month(scorecard *c, const char *first_day)
{
	snprintf(c->month, sizeof c->month, "%s", first_day);
	for (int v = 0; v < V_N; v++) {
		db_rows_free(c->rows[v]);
		c->rows[v] = NULL;
		list_set_rows(c->lists[v], 0);
	}
	db_rows_free(c->closed);
	c->closed = NULL;
	show_rows(c);
	load(c);
}

static void last_month_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	scorecard *c = ctx;

	if (rows && rows->nrows > 0)
		set_month(c, db_rows_get(rows, 0, 0));
	else
		app_refusal_text(reply, c->error, sizeof c->error);
	db_rows_free(rows);
	ui_redraw();
}

static void db_state_changed(void *ctx, db_state st)
{
	scorecard *c = ctx;

	if (st != DB_READY)
		return;
	if (*c->month)
		load(c);
	else
		sup_period(app_db(), "last_month", last_month_loaded, c);
}

/* The figures now come from elsewhere (the standby, or the primary). */
static void report_moved(void *ctx)
{
	scorecard *c = ctx;

	if (!*c->month)
		return;
	if (c->pending)
		c->again = 1;
	else
		load(c);
}

/* ---------------------------------------------------------------- keys */

/* "YYYY-MM" (digits, months 01-12) into its first day. */
static int parse_month(const char *s, char *out, size_t n)
{
	if (!s || strlen(s) != 7 || s[0] == '0' || s[4] != '-' || strspn(s, "0123456789") != 4
	    || strspn(s + 5, "0123456789") != 2 || atoi(s + 5) < 1 || atoi(s + 5) > 12)
		return -1;
	snprintf(out, n, "%.7s-01", s);
	return 0;
}

static int choose_month(scorecard *c)
{
	char *answer, day[16];

	snprintf(day, sizeof day, "%.7s", c->month);
	answer = dialog_prompt(_("Month"), _("Which month (YYYY-MM)?"), day, 7, DIALOG_REQUIRED);
	if (!answer)
		return UI_REDRAW;
	if (parse_month(answer, day, sizeof day) < 0)
		ui_status(UI_WARN, "%s", _("A month is written YYYY-MM, such as 2026-10; nothing was changed."));
	else
		set_month(c, day);
	free(answer);
	return UI_REDRAW;
}

static void month_closed(void *ctx, const db_reply *reply)
{
	scorecard *c = ctx;

	if (reply->status != DB_OK) {
		app_show_error(_("Close month"), reply);
		return;
	}
	ui_status(UI_OK, _("The scorecard of %.7s is closed."), c->month);
	/* The standby may not have it yet: this load reads the primary. */
	app_report_after_write();
	load(c);
}

static int close_month(scorecard *c)
{
	const staff_me *me = app_me();
	char question[512];

	if (!app_is_supervisor() || !*c->month)
		return UI_HANDLED;
	snprintf(question, sizeof question,
	         _("Close the scorecard of %.7s for %s? Its figures are then frozen for good; a rating that arrives "
	           "later counts in the month it arrives."),
	         c->month, me->department_name);
	if (!dialog_confirm(_("Close month"), question) || !app_require_online())
		return UI_REDRAW;
	if (scorecard_close(app_db(), c->month, me->department_code, month_closed, c) < 0)
		ui_status(UI_ERROR, "%s", _("Not connected to the database: nothing was changed."));
	return UI_REDRAW;
}

/* Enter: the row's every figure, by its full name. */
static void show_row(scorecard *c)
{
	const db_rows *r = c->rows[c->view];
	size_t sel = list_selected(c->lists[c->view]);
	char text[4096], v[64], title[160];
	size_t len = 0;
	int i, role = TERM_NORMAL;

	if (c->view == V_PLATFORM || !r || sel == LIST_NONE || sel >= (size_t)r->nrows)
		return;
	i = (int)row_at(c, sel);
	len += (size_t)snprintf(text, sizeof text, _("Rank %s of the month (last month %s, %s)\n"),
	                        db_rows_null(r, i, SC_RANK) ? "-" : db_rows_get(r, i, SC_RANK),
	                        db_rows_null(r, i, SC_PREV_RANK) ? "-" : db_rows_get(r, i, SC_PREV_RANK),
	                        change_text(r, i, v, sizeof v, &role));
	for (size_t k = 0; k < sizeof details / sizeof details[0] && len < sizeof text; k++) {
		int f = details[k].field;
		/* An inquiry has no window: a window has no replies. */
		if (c->view == V_WINDOWS && (f == SC_ANSWERED || f == SC_ANSWER_RATE))
			continue;
		len += (size_t)snprintf(text + len, sizeof text - len, "%s: %s\n", _(details[k].label),
		                        details[k].kind == K_RATE ? rate_text(r, i, f, v, sizeof v)
		                        : db_rows_null(r, i, f)   ? "-"
		                                                  : db_rows_get(r, i, f));
	}
	if (len < sizeof text && db_rows_bool(r, i, SC_BOTTOM))
		snprintf(text + len, sizeof text - len, "%s",
		         db_rows_bool(r, i, SC_BOTTOM_TWO_MONTHS)
		                 ? _("⚑ Bottom by satisfaction two months running: to be summoned (约谈).")
		                 : _("⚐ Bottom by satisfaction this month."));
	snprintf(title, sizeof title, "%s %s", db_rows_get(r, i, SC_KEY), db_rows_get(r, i, SC_NAME));
	dialog_viewer(title, text);
}

/* E: the scorecard or the platform figures of the month, streamed by the
 * database into the file export_open asked for. */
static int export_month(scorecard *c)
{
	const char *which = c->view == V_PLATFORM ? "platform" : "scorecard";
	char name[64];
	FILE *f;

	if (!*c->month)
		return UI_HANDLED;
	snprintf(name, sizeof name, "%s-%.7s", which, c->month);
	f = export_open(name);
	export_month_csv(f, which, c->month);
	return UI_REDRAW;
}

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	scorecard *c = s->data;
	list *l = c->lists[c->view];
	int r, n, kind;

	switch (cmd) {
	case CMD_SEARCH:
		return find_in_list(l, &c->find);
	case CMD_PERIOD:
		return choose_month(c);
	case CMD_FRONT_DESK:
		if (*c->month)
			ui_push(&frontdesk_ops, frontdesk_new(c->month));
		return UI_REDRAW;
	case CMD_SCORE_VIEW:
		/* Windows, clerks, the platform, round again; what another view
		 * loaded stays on screen until its reload answers. */
		c->view = (c->view + 1) % V_N;
		c->sort = -1;
		show_rows(c);
		load(c);
		return UI_REDRAW;
	case CMD_SORT_NEXT:
	case CMD_SORT_PREV:
		if (c->view == V_PLATFORM)
			return UI_HANDLED;
		n = tables[c->view].n;
		c->sort = ((c->sort < 0 ? 0 : c->sort) + (cmd == CMD_SORT_NEXT ? 1 : -1) + n) % n;
		/* Names A to Z, ranks best first, figures largest first. */
		kind = tables[c->view].fields[c->sort].kind;
		c->desc = kind != K_NAME && kind != K_RANK;
		show_rows(c);
		return UI_REDRAW;
	case CMD_CLOSE_MONTH:
		return close_month(c);
	case CMD_EXPORT:
		return export_month(c);
	case CMD_REFRESH:
		load(c);
		return UI_UNHANDLED;
	case CMD_OPEN:
		show_row(c);
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
	const scorecard *c = s->data;

	switch (cmd) {
	case CMD_OPEN:
	case CMD_SORT_NEXT:
	case CMD_SORT_PREV:
		return c->view != V_PLATFORM;
	case CMD_CLOSE_MONTH:
		return app_is_supervisor();
	default:
		return 1;
	}
}

/* -------------------------------------------------------------- drawing */

/* Closed or live: a supervisor's department, or how many departments of
 * the hall closed it. */
static const char *state_text(const scorecard *c, char *buf, size_t n, int *role)
{
	const db_rows *d = c->closed;

	if (!d)
		return "";
	if (d->nrows == 0)
		return _("live (not closed)");
	*role = TERM_OK;
	if (app_is_supervisor())
		snprintf(buf, n, _("closed on %s by %s"), db_rows_get(d, 0, SC_CLOSED_AT),
		         db_rows_get(d, 0, SC_CLOSED_BY));
	else
		snprintf(buf, n, _("closed by %d departments"), d->nrows);
	return buf;
}

/* The windows to be summoned (bottom by satisfaction two months running),
 * by code; 0 when none. */
static int summon_names(const scorecard *c, char *buf, size_t n)
{
	const db_rows *r = c->rows[V_WINDOWS];
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; c->view == V_WINDOWS && r && i < r->nrows && len < n; i++)
		if (db_rows_bool(r, i, SC_BOTTOM_TWO_MONTHS))
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", db_rows_get(r, i, SC_KEY));
	return len > 0;
}

/* Under the table: who is to be summoned, and what the short headings
 * mean (the key bar has no room for it, and F1 lists keys, not columns). */
static void draw_legend(const scorecard *c, WINDOW *w, int y, int cols)
{
	char names[256], buf[512];

	if (summon_names(c, names, sizeof names)) {
		snprintf(buf, sizeof buf,
		         _("⚑ %s: bottom by satisfaction two months running (连续两月满意度末位): summon (约谈)"), names);
		term_put(w, y++, 0, cols, TERM_OVERDUE, TEXT_PAD, buf);
	}
	term_put(w, y, 0, cols, TERM_DIM, TEXT_PAD,
	         c->view == V_WINDOWS ? _("⚐ bottom by satisfaction this month; Proact. 主动评价率, Rectif. 差评整改率, "
	                                  "Callb. 回访整改率; R/Y cards; 督办 late/all")
	                              : _("Reply: on-time replies; Proact. 主动评价率, Rectif. 差评整改率, Callb. 回访整改率; "
	                                  "R/Y cards; 督办 late/all"));
}

static void draw(ui_screen *s, WINDOW *w)
{
	scorecard *c = s->data;
	const staff_me *me = app_me();
	const db_rows *r = c->rows[c->view];
	int lines, cols, y = 0, role = TERM_HEADER, legend = 0, head;
	char buf[512], state[256], names[256];
	const char *st;

	getmaxyx(w, lines, cols);
	werase(w);
	st = state_text(c, state, sizeof state, &role);
	snprintf(buf, sizeof buf, _("%s  %s   Month: %.7s   "), me ? app_kind_name(me->kind) : "",
	         me && *me->department_name ? me->department_name : _("all departments"), c->month);
	head = text_width(buf);
	term_put(w, y, 0, cols, TERM_HEADER, TEXT_PAD, buf);
	if (head < cols)
		term_put(w, y, head, cols - head, role, TEXT_PAD, st);
	y++;
	if (c->view == V_PLATFORM) {
		int n = pf_hall_rows(r);
		snprintf(buf, sizeof buf, _("Platform figures (w: %s)   Dept.: %s   Hall: %s"),
		         _(view_next[c->view]), r && n < r->nrows ? db_rows_get(r, n, SC_PF_SCOPE_NAME) : "-",
		         n ? db_rows_get(r, 0, SC_PF_SCOPE_NAME) : "");
	} else {
		snprintf(buf, sizeof buf, _("%s (w: %s)   sorted by: %s%s"), _(view_name[c->view]), _(view_next[c->view]),
		         c->sort < 0 ? _("rank") : _(tables[c->view].cols[c->sort].title),
		         c->sort < 0 ? "" : c->desc ? " ↓" : " ↑");
		legend = 1 + summon_names(c, names, sizeof names);
	}
	term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, buf);
	list_set_empty_text(c->lists[c->view], r             ? _("Nothing to show for this month.")
	                                       : *c->error ? c->error
	                                                   : _("Loading..."));
	list_draw(c->lists[c->view], w, y, 0, lines - y - legend, cols);
	if (legend)
		draw_legend(c, w, lines - legend, cols);
}

/* ---------------------------------------------------------------- life */

static int open_screen(ui_screen *s)
{
	scorecard *c = s->data;

	c->sort = -1;
	c->lists[V_WINDOWS] = list_new(win_cols, NCOLS(win_cols), &score_source, c);
	c->lists[V_CLERKS] = list_new(clerk_cols, NCOLS(clerk_cols), &score_source, c);
	c->lists[V_PLATFORM] = list_new(pf_cols, PC_N, &pf_source, c);
	ui_screen_title(s, _("Monthly scorecard (月度考评)"));
	app_watch_db(db_state_changed, c);
	app_watch_report(report_moved, c);
	/* Last month by the database's clock (the training clock on a demo). */
	if (app_online())
		sup_period(app_db(), "last_month", last_month_loaded, c);
	return 0;
}

static void close_screen(ui_screen *s)
{
	scorecard *c = s->data;

	if (!c)
		return;
	app_forget(c);
	app_unwatch_db(c);
	for (int v = 0; v < V_N; v++) {
		db_rows_free(c->rows[v]);
		list_free(c->lists[v]);
	}
	db_rows_free(c->closed);
	free(c->order);
	free(c->find);
	free(c);
	s->data = NULL;
}

const ui_screen_ops scorecard_ops = {
	.name = "scorecard",
	.keybar = sc_keybar,
	.commands = sc_commands,
	.available = available,
	.open = open_screen,
	.draw = draw,
	.key = key,
	.close = close_screen,
};

void *scorecard_new(void)
{
	return x_calloc(1, sizeof(scorecard));
}
