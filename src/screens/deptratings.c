/* screens/deptratings.c - 3 for a supervisor (the director, the trainer):
 * the department's ratings (好差评) per clerk for a period.
 *
 *   totals        ratings that count, satisfaction, bad ratings and how
 *                 many are rectified, open, late; appeals waiting
 *   per clerk     the same, one row each (hall.department_ratings)
 *   Enter         that clerk's bad and commented ratings of the period,
 *                 open rectifications first; Enter on one opens the case
 *                 or inquiry it rates, s the rating in full (where the
 *                 supervisor records a step or judges an appeal)
 *
 * p chooses the period (period.h), as on the timeliness screen; E saves
 * the table as CSV (streamed by the database, export.h).  Rows
 * come through row-level security: a supervisor sees their department.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/ratings.h"
#include "db/supervise.h"
#include "screens/app.h"
#include "screens/export.h"
#include "screens/find.h"
#include "screens/period.h"
#include "screens/ratinglist.h"
#include "screens/screens.h"
#include "screens/view.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define DR_SHOWN 100

/* hall.department_ratings' columns (db/supervise.h sup_ratings). */
enum { R_ID, R_LOGIN, R_NAME, R_DEPT, R_RATINGS, R_GOOD, R_SATISFACTION, R_BAD, R_CLOSED, R_OPEN, R_LATE,
       R_APPEALS };

typedef struct deptratings {
	period_sel period;      /* first: its database answers are the screen's */
	db_rows *rows;
	rating_list *ratings;   /* the clerk drilled into */
	list *table, *rlist;
	int drill;
	long long drill_staff;
	char drill_who[160];
	int loading;
	int again;              /* load again when the reads are done (db/replica.h) */
	char error[512];
	char *find;
} deptratings;

static const int dr_keybar[] = { CMD_OPEN, CMD_STEP, CMD_PERIOD, CMD_EXPORT, CMD_INQUIRIES, CMD_QUIT, CMD_NONE };
static const int dr_commands[] = { CMD_SEARCH, CMD_REFRESH, CMD_QUEUE, CMD_OUTBOX, CMD_NONE };

/* ------------------------------------------------------------ the table */

enum { DC_NAME, DC_RATINGS, DC_SATISFACTION, DC_BAD, DC_CLOSED, DC_OPEN, DC_LATE, DC_APPEALS, DC_N };
static const list_column dr_cols[DC_N] = {
	[DC_NAME] = { N_("Clerk"), 6, 16, 2, LIST_LEFT },
	[DC_RATINGS] = { N_("Ratings"), 5, 7, 0, LIST_RIGHT },
	[DC_SATISFACTION] = { N_("Satisfied"), 6, 9, 0, LIST_RIGHT },
	[DC_BAD] = { N_("Bad"), 4, 5, 0, LIST_RIGHT },
	[DC_CLOSED] = { N_("Rectified"), 6, 9, 0, LIST_RIGHT },
	[DC_OPEN] = { N_("Rectifying"), 6, 8, 0, LIST_RIGHT },
	[DC_LATE] = { N_("Late"), 4, 5, 0, LIST_RIGHT },
	[DC_APPEALS] = { N_("Appeals"), 4, 8, 0, LIST_RIGHT },
};
static const int dc_column[DC_N] = {
	[DC_NAME] = R_NAME, [DC_RATINGS] = R_RATINGS, [DC_SATISFACTION] = R_SATISFACTION, [DC_BAD] = R_BAD,
	[DC_CLOSED] = R_CLOSED, [DC_OPEN] = R_OPEN, [DC_LATE] = R_LATE, [DC_APPEALS] = R_APPEALS,
};

static const char *table_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[32];
	const deptratings *d = ctx;
	int i = (int)row, c = dc_column[col];

	if (!d->rows || row >= (size_t)d->rows->nrows)
		return NULL;
	if (db_rows_null(d->rows, i, c))
		return "-";
	if (col == DC_SATISFACTION) {
		snprintf(buf, sizeof buf, "%.1f%%", strtod(db_rows_get(d->rows, i, c), NULL) * 100.0);
		return buf;
	}
	if ((col == DC_LATE || col == DC_APPEALS) && db_rows_ll(d->rows, i, c) > 0)
		*role = col == DC_LATE ? TERM_OVERDUE : TERM_WARN;
	if ((col == DC_BAD || col == DC_OPEN) && db_rows_ll(d->rows, i, c) > 0)
		*role = TERM_WARN;
	return db_rows_get(d->rows, i, c);
}

static int64_t table_id(void *ctx, size_t row)
{
	const deptratings *d = ctx;

	return d->rows && row < (size_t)d->rows->nrows ? db_rows_ll(d->rows, (int)row, R_ID) : -1;
}

static const list_source table_source = { table_cell, table_id, NULL };

/* ------------------------------------------------------------- loading */

static void load(deptratings *d);

/* A read failed because of the report database: the last read loads
 * again (from the primary). */
static int read_again(deptratings *d, const db_reply *reply)
{
	if (reply && reply->status != DB_OK && app_report_again(reply))
		d->again = 1;
	if (!d->loading && d->again) {
		d->again = 0;
		load(d);
		return 1;
	}
	return d->again;
}

static void rows_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	deptratings *d = ctx;

	if (d->loading > 0)
		d->loading--;
	if (rows) {
		db_rows_free(d->rows);
		d->rows = rows;
		d->error[0] = '\0';
		list_set_rows(d->table, (size_t)rows->nrows);
	} else if (!read_again(d, reply) && reply->status != DB_OK) {
		app_refusal_text(reply, d->error, sizeof d->error);
	}
	if (rows)
		read_again(d, NULL);
	ui_redraw();
}

static void ratings_loaded(void *ctx, rating_list *l, const db_reply *reply)
{
	deptratings *d = ctx;

	if (d->loading > 0)
		d->loading--;
	if (l) {
		rating_list_free(d->ratings);
		d->ratings = l;
		list_set_rows(d->rlist, (size_t)l->n);
		read_again(d, NULL);
	} else if (!read_again(d, reply) && reply->status != DB_OK) {
		app_show_error(_("Loading the ratings"), reply);
	}
	ui_redraw();
}

static void load(deptratings *d)
{
	db_session *s;

	if (!app_report_online() || !*d->period.from)
		return;
	app_forget(d);
	s = app_report_session();
	d->loading = 0;
	d->again = 0;
	if (sup_ratings(s, d->period.from, d->period.to, rows_loaded, d) == 0)
		d->loading++;
	if (d->drill && ratings_of(s, d->drill_staff, d->period.from, d->period.to, DR_SHOWN, ratings_loaded, d) == 0)
		d->loading++;
}

static void period_changed(void *ctx)
{
	load(ctx);
}

static void db_state_changed(void *ctx, db_state st)
{
	deptratings *d = ctx;

	if (st == DB_READY)
		period_set(&d->period, d->period.which);
}

/* The figures now come from elsewhere (the standby, or the primary). */
static void report_moved(void *ctx)
{
	load(ctx);
}

/* ---------------------------------------------------------------- keys */

static void drill_into(deptratings *d)
{
	size_t sel = list_selected(d->table);
	int i;

	if (sel == LIST_NONE || !d->rows || sel >= (size_t)d->rows->nrows)
		return;
	i = (int)sel;
	d->drill = 1;
	d->drill_staff = db_rows_ll(d->rows, i, R_ID);
	snprintf(d->drill_who, sizeof d->drill_who, "%s (%s)", db_rows_get(d->rows, i, R_NAME),
	         db_rows_get(d->rows, i, R_LOGIN));
	rating_list_free(d->ratings);
	d->ratings = NULL;
	list_set_rows(d->rlist, 0);
	if (app_report_online()
	    && ratings_of(app_report_session(), d->drill_staff, d->period.from, d->period.to, DR_SHOWN, ratings_loaded,
	                  d) == 0)
		d->loading++;
}

static int open_selected(deptratings *d, int cmd)
{
	const rating_row *r = ratinglist_row(&d->ratings, list_selected(d->rlist));

	if (!r) {
		ui_status(UI_INFO, "%s", _("No rating selected."));
		return UI_REDRAW;
	}
	if (cmd == CMD_STEP || strcmp(r->kind, "service") == 0)
		rating_push(r->id); /* a service at the counter: the rating itself */
	else if (strcmp(r->kind, "inquiry") == 0)
		inquiry_push(r->target_id);
	else
		case_push(r->target_id);
	return UI_REDRAW;
}

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	deptratings *d = s->data;
	list *l = d->drill ? d->rlist : d->table;
	int r;

	switch (cmd) {
	case CMD_SEARCH:
		return find_in_list(l, &d->find);
	case CMD_PERIOD:
		period_ask(&d->period);
		return UI_REDRAW;
	case CMD_OPEN:
		if (!d->drill) {
			drill_into(d);
			return UI_REDRAW;
		}
		return open_selected(d, cmd);
	case CMD_STEP:
		return d->drill ? open_selected(d, cmd) : UI_HANDLED;
	case CMD_EXPORT: {
		char *name = x_asprintf("ratings-%s-%s", d->period.from, d->period.to);
		FILE *f = export_open(name);

		free(name);
		export_period_csv(f, "ratings", d->period.from, d->period.to);
		return UI_REDRAW;
	}
	case CMD_BACK:
		if (d->drill) {
			d->drill = 0;
			return UI_REDRAW;
		}
		return UI_UNHANDLED;
	case CMD_REFRESH:
		period_set(&d->period, d->period.which);
		return UI_UNHANDLED;
	case CMD_QUEUE:
	case CMD_INQUIRIES:
	case CMD_OUTBOX:
		return app_goto(cmd);
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
	const deptratings *d = s->data;

	switch (cmd) {
	case CMD_STEP:
		return d->drill;
	case CMD_EXPORT:
		return !d->drill;
	case CMD_QUEUE:
		return app_me() && app_me()->nwindows > 0;
	default:
		return 1;
	}
}

/* -------------------------------------------------------------- drawing */

static void draw_totals(deptratings *d, WINDOW *w, int y, int cols)
{
	long long n = 0, good = 0, bad = 0, closed = 0, open = 0, late = 0, appeals = 0;
	char buf[512], rate[32] = "-";

	if (!d->rows) {
		view_loading(w, y, 0, cols, d->error);
		return;
	}
	for (int i = 0; i < d->rows->nrows; i++) {
		n += db_rows_ll(d->rows, i, R_RATINGS);
		good += db_rows_ll(d->rows, i, R_GOOD);
		bad += db_rows_ll(d->rows, i, R_BAD);
		closed += db_rows_ll(d->rows, i, R_CLOSED);
		open += db_rows_ll(d->rows, i, R_OPEN);
		late += db_rows_ll(d->rows, i, R_LATE);
		appeals += db_rows_ll(d->rows, i, R_APPEALS);
	}
	if (n)
		snprintf(rate, sizeof rate, "%.1f%%", 100.0 * (double)good / (double)n);
	snprintf(buf, sizeof buf,
	         _("Ratings %lld, satisfied %s; bad %lld: rectified %lld, open %lld, late %lld; appeals waiting %lld"), n,
	         rate, bad, closed, open, late, appeals);
	term_put(w, y, 0, cols, late ? TERM_OVERDUE : open ? TERM_WARN : TERM_NORMAL, TEXT_PAD, buf);
}

static void draw(ui_screen *s, WINDOW *w)
{
	deptratings *d = s->data;
	int lines, cols, y = 0;
	char buf[512];

	getmaxyx(w, lines, cols);
	werase(w);
	snprintf(buf, sizeof buf, _("%s   Period: %s %s .. %s   (p: another)"),
	         app_me() && *app_me()->department_name ? app_me()->department_name : _("all departments"),
	         period_name(d->period.which), d->period.from, d->period.to);
	term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, buf);
	draw_totals(d, w, y++, cols);
	if (d->drill) {
		snprintf(buf, sizeof buf, _("Bad and commented ratings of %s (Enter: the case or inquiry; s: the rating)"),
		         d->drill_who);
		term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, buf);
		list_set_empty_text(d->rlist, !d->ratings ? _("Loading...") : _("No bad or commented rating in this period."));
		list_draw(d->rlist, w, y, 0, lines - y, cols);
		return;
	}
	term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, _("Per clerk (Enter: their ratings)"));
	list_set_empty_text(d->table, d->rows ? _("Nobody to show for this period.") : *d->error ? d->error : _("Loading..."));
	list_draw(d->table, w, y, 0, lines - y, cols);
}

/* ---------------------------------------------------------------- life */

static void focus(ui_screen *s, int focused)
{
	if (focused)
		load(s->data);
}

static int open_screen(ui_screen *s)
{
	deptratings *d = s->data;

	d->table = list_new(dr_cols, DC_N, &table_source, d);
	d->rlist = ratinglist_new(&d->ratings);
	d->period.changed = period_changed;
	d->period.ctx = d;
	ui_screen_title(s, _("Department ratings (好差评)"));
	app_watch_db(db_state_changed, d);
	app_watch_report(report_moved, d);
	period_set(&d->period, PERIOD_MONTH);
	return 0;
}

static void close_screen(ui_screen *s)
{
	deptratings *d = s->data;

	if (!d)
		return;
	app_forget(d);
	period_forget(&d->period);
	app_unwatch_db(d);
	db_rows_free(d->rows);
	rating_list_free(d->ratings);
	list_free(d->table);
	list_free(d->rlist);
	free(d->find);
	free(d);
	s->data = NULL;
}

const ui_screen_ops deptratings_ops = {
	.name = "deptratings",
	.keybar = dr_keybar,
	.commands = dr_commands,
	.available = available,
	.open = open_screen,
	.draw = draw,
	.key = key,
	.focus = focus,
	.close = close_screen,
};

void *deptratings_new(void)
{
	return x_calloc(1, sizeof(deptratings));
}
