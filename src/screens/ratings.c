/* screens/ratings.c - 我的评价: the clerk's own ratings: counts per level
 * with bars, the satisfaction rate, the last 12 weeks as a sparkline, then
 * each bad rating with its rectification steps and deadlines, and the
 * latest comments.  Row-level security makes these the caller's only.
 *
 * p appeals one of the bad ratings (申诉, with a reason), s records a step
 * of a rectification (verify, rectify, call back, with a note): each asks
 * which rating first.  The database says whether it may be done.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/ratings.h"
#include "screens/app.h"
#include "screens/bench.h"
#include "screens/screens.h"
#include "screens/view.h"
#include "ui/chart.h"
#include "ui/dialog.h"
#include "ui/loop.h"
#include "ui/term.h"

#define RATINGS_SHOWN 60

typedef struct ratings {
	rating_summary *sum;
	rating_list *list;
	char error[512];
	int loading;
	view v;
	int built_width, dirty;
	int shown;           /* for --bench */
} ratings;

static const int ratings_keybar[] = { CMD_APPEAL, CMD_STEP, CMD_QUEUE, CMD_INQUIRIES, CMD_REFRESH, CMD_QUIT,
                                      CMD_NONE };
static const int ratings_commands[] = { CMD_RATINGS, CMD_NONE };

static const char *level_name(int level)
{
	static const char *const names[6] = {
		"", N_("very dissatisfied"), N_("dissatisfied"), N_("fairly satisfied"), N_("satisfied"),
		N_("very satisfied"),
	};
	return level >= 1 && level <= 5 ? _(names[level]) : "";
}

static void summary_loaded(void *ctx, rating_summary *r, const db_reply *reply)
{
	ratings *g = ctx;

	if (r) {
		rating_summary_free(g->sum);
		g->sum = r;
		g->error[0] = '\0';
	} else if (reply->error) {
		snprintf(g->error, sizeof g->error, "%s", reply->error);
		app_show_error(_("Loading the ratings"), reply);
	}
	g->dirty = 1;
	ui_redraw();
}

static void list_loaded(void *ctx, rating_list *l, const db_reply *reply)
{
	ratings *g = ctx;

	if (l) {
		rating_list_free(g->list);
		g->list = l;
	} else if (reply->error) {
		snprintf(g->error, sizeof g->error, "%s", reply->error);
		app_show_error(_("Loading the ratings"), reply);
	}
	g->loading = 0;
	g->dirty = 1;
	ui_redraw();
}

static void load(ratings *g)
{
	if (g->loading || !app_online())
		return;
	if (ratings_summary(app_db(), summary_loaded, g) < 0)
		return;
	ratings_mine(app_db(), RATINGS_SHOWN, list_loaded, g);
	g->loading = 1;
}

static void db_state_changed(void *ctx, db_state st)
{
	ratings *g = ctx;

	if (st == DB_READY) {
		g->loading = 0;
		load(g);
	}
}

/* A step of a rectification: done (with when), late, or due by a date. */
static void add_step(view *v, const char *what, const char *done_at, const char *due, int late, const char *note)
{
	char buf[512];
	int role = TERM_NORMAL;

	if (*done_at) {
		snprintf(buf, sizeof buf, _("done %s%s"), done_at, late ? _(" (late)") : "");
		role = late ? TERM_WARN : TERM_OK;
	} else if (*due) {
		snprintf(buf, sizeof buf, late ? _("!! OVERDUE since %s") : _("due by %s"), due);
		role = late ? TERM_OVERDUE : TERM_NORMAL;
	} else {
		snprintf(buf, sizeof buf, "%s", _("to do"));
	}
	if (note && *note) {
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof buf - n, "  %s", note);
	}
	view_add(v, 4, role, what, buf);
}

static void build(ratings *g, int cols)
{
	view *v = &g->v;
	const rating_summary *s = g->sum;
	char buf[512];

	view_clear(v);
	v->width = cols;
	g->built_width = cols;
	g->dirty = 0;
	if (!s)
		return;
	if (s->has_satisfaction)
		snprintf(buf, sizeof buf, _("%lld ratings, satisfaction %.1f%% (levels 4 and 5 over all)"), s->ratings,
		         s->satisfaction * 100.0);
	else
		snprintf(buf, sizeof buf, "%s", _("No ratings yet."));
	view_add(v, 0, TERM_HEADER, NULL, buf);
	if (s->not_counting > 0 || s->appeals_pending > 0) {
		snprintf(buf, sizeof buf, _("%lld not counted after an upheld appeal, %lld appeal(s) waiting"),
		         s->not_counting, s->appeals_pending);
		view_add(v, 0, TERM_DIM, NULL, buf);
	}
	view_add_blank(v);
	{
		long long max = 0;
		for (int l = 1; l <= 5; l++)
			if (s->per_level[l] > max)
				max = s->per_level[l];
		for (int l = 5; l >= 1; l--) {
			int bar_cells = cols - 16 - 8 - 1;
			char *bar = chart_bar((double)s->per_level[l], (double)(max ? max : 1), bar_cells > 10 ? bar_cells : 10);
			char label[64];
			snprintf(label, sizeof label, "%d %s", l, level_name(l));
			snprintf(buf, sizeof buf, "%s %6lld", bar, s->per_level[l]);
			view_add(v, 0, l <= 2 && s->per_level[l] ? TERM_WARN : TERM_OK, label, buf);
			free(bar);
		}
	}
	view_add_blank(v);
	if (s->nweeks > 0) {
		/* Scaled between the weeks' own lowest and highest rates (stated
		 * beside it): satisfaction moves within a few points, and a 0-100%
		 * scale would draw a flat line. */
		char *spark = chart_sparkline(s->week_satisfaction, (size_t)s->nweeks, 0.0, 0.0, 5);
		char counts[256];
		size_t n = 0;
		double lo = 2.0, hi = -1.0;
		for (int i = 0; i < s->nweeks; i++) {
			double x = s->week_satisfaction[i];
			if (isnan(x))
				continue;
			lo = x < lo ? x : lo;
			hi = x > hi ? x : hi;
		}
		snprintf(buf, sizeof buf, _("from %s, satisfaction per week (· no rating):"), s->week_start[0]);
		view_add(v, 0, TERM_NORMAL, _("12 weeks"), buf);
		view_add(v, 0, TERM_OK, "", spark);
		/* The number of ratings under each week, five cells apiece. */
		counts[0] = '\0';
		for (int i = 0; i < s->nweeks && n < sizeof counts; i++)
			n += (size_t)snprintf(counts + n, sizeof counts - n, "%-5lld",
			                      s->week_ratings[i] > 9999 ? 9999 : s->week_ratings[i]);
		view_add(v, 0, TERM_DIM, _("ratings"), counts);
		if (hi >= 0.0) {
			snprintf(buf, sizeof buf, _("lowest week %.1f%%, highest %.1f%%"), lo * 100.0, hi * 100.0);
			view_add(v, 0, TERM_DIM, "", buf);
		}
		free(spark);
	}
	if (s->rectifications_open > 0) {
		snprintf(buf, sizeof buf, _("%lld bad rating(s) being rectified; %lld rectification(s) late, now or before"),
		         s->rectifications_open, s->rectifications_late);
		view_add(v, 0, s->rectifications_late ? TERM_OVERDUE : TERM_WARN, NULL, buf);
	}

	if (g->list) {
		int any_bad = 0, any_comment = 0;
		for (int i = 0; i < g->list->n; i++) {
			const rating_row *r = &g->list->rows[i];
			if (!r->bad)
				continue;
			if (!any_bad) {
				view_add_blank(v);
				view_add_heading(v, _("Bad ratings and their rectification"));
				any_bad = 1;
			}
			snprintf(buf, sizeof buf, "%s  %d %s  %s%s", r->rated_at, r->level, level_name(r->level), r->target,
			         !r->counts ? _("  (appeal upheld: not counted)") : "");
			view_add(v, 0, r->open ? TERM_WARN : TERM_NORMAL, NULL, buf);
			if (*r->comment)
				view_add_wrapped(v, 4, TERM_NORMAL, NULL, r->comment);
			add_step(v, _("verify"), r->verified_at, "", 0, r->verify_note);
			add_step(v, _("call back"), r->callback_at, r->callback_due, r->callback_late, r->callback_note);
			add_step(v, _("rectify"), r->rectified_at, r->rectify_due, r->rectify_late, r->rectify_note);
			if (*r->appeal_state) {
				snprintf(buf, sizeof buf, "%s", strcmp(r->appeal_state, "pending") == 0 ? _("appeal waiting")
				                                : strcmp(r->appeal_state, "upheld") == 0 ? _("appeal upheld")
				                                                                         : _("appeal dismissed"));
				view_add(v, 4, TERM_DIM, _("appeal"), buf);
			}
			if (r->followup_level > 0) {
				snprintf(buf, sizeof buf, "%d %s  %s", r->followup_level, level_name(r->followup_level),
				         r->followup_comment);
				view_add_wrapped(v, 4, TERM_NORMAL, _("follow-up"), buf);
			}
		}
		for (int i = 0; i < g->list->n; i++) {
			const rating_row *r = &g->list->rows[i];
			if (r->bad || !*r->comment)
				continue;
			if (!any_comment) {
				view_add_blank(v);
				view_add_heading(v, _("Latest comments"));
				any_comment = 1;
			}
			snprintf(buf, sizeof buf, "%s  %d %s  %s", r->rated_at, r->level, level_name(r->level), r->target);
			view_add(v, 0, TERM_DIM, NULL, buf);
			view_add_wrapped(v, 4, TERM_NORMAL, NULL, r->comment);
		}
	}
}

static void draw(ui_screen *s, WINDOW *w)
{
	ratings *g = s->data;
	int lines, cols;

	getmaxyx(w, lines, cols);
	werase(w);
	if (!g->sum) {
		view_loading(w, 1, 2, cols - 4, g->error);
		return;
	}
	if (g->dirty || g->built_width != cols)
		build(g, cols);
	view_draw(&g->v, w, 0, lines, cols);
	if (!g->shown && g->list) {
		g->shown = 1;
		bench_mark("ratings_shown", NULL);
	}
}

/* ------------------------------------------------- appeal and rectify */

static void acted(void *ctx, const db_reply *reply)
{
	ratings *g = ctx;

	if (reply->status == DB_OK)
		ui_status(UI_OK, "%s", _("Recorded."));
	else
		app_show_error(_("Bad rating"), reply);
	g->loading = 0;
	load(g);
}

static int done_steps(const rating_row *r)
{
	return (*r->verified_at ? RATING_VERIFIED : 0) | (*r->rectified_at ? RATING_RECTIFIED : 0)
	       | (*r->callback_at ? RATING_CALLED_BACK : 0);
}

/* Which bad rating: those the action applies to (appeal: not appealed
 * yet; step: rectification open), as listed on the screen.  Everything
 * is copied before the dialog (a reload may replace the list meanwhile).
 * Returns 1 with *id, *done and about set, 0 when there is none or the
 * clerk cancelled. */
static int choose_rating(ratings *g, int for_appeal, long long *id, int *done, char *about, size_t n)
{
	const char **items;
	char **lines;
	long long *ids;
	int *dones, k = 0, ok = 0;
	long chosen;

	if (!g->list) {
		ui_status(UI_INFO, "%s", _("Loading..."));
		return 0;
	}
	items = x_calloc((size_t)g->list->n + 1, sizeof *items);
	lines = x_calloc((size_t)g->list->n + 1, sizeof *lines);
	ids = x_calloc((size_t)g->list->n + 1, sizeof *ids);
	dones = x_calloc((size_t)g->list->n + 1, sizeof *dones);
	for (int i = 0; i < g->list->n; i++) {
		const rating_row *r = &g->list->rows[i];
		if (!r->bad || (for_appeal ? *r->appeal_state != '\0' : !r->open))
			continue;
		lines[k] = x_asprintf("%s  %d %s  %s", r->rated_at, r->level, level_name(r->level), r->target);
		items[k] = lines[k];
		ids[k] = r->id;
		dones[k++] = done_steps(r);
	}
	if (k == 0) {
		ui_status(UI_INFO, "%s", for_appeal ? _("No bad rating left to appeal.")
		                                    : _("No bad rating with an open rectification."));
	} else {
		chosen = dialog_choose(for_appeal ? _("Which bad rating do you appeal?")
		                                  : _("Which bad rating is the step for?"),
		                       items, (size_t)k, 0);
		if (chosen >= 0 && chosen < k) {
			*id = ids[chosen];
			*done = dones[chosen];
			snprintf(about, n, "%s", lines[chosen]);
			ok = 1;
		}
	}
	for (int i = 0; i < k; i++)
		free(lines[i]);
	free(lines);
	free(items);
	free(ids);
	free(dones);
	return ok;
}

static int follow_up(ratings *g, int cmd)
{
	char about[512];
	long long id = 0;
	int done = 0;

	if (!choose_rating(g, cmd == CMD_APPEAL, &id, &done, about, sizeof about))
		return UI_REDRAW;
	if (cmd == CMD_APPEAL)
		rating_ask_appeal(id, about, acted, g);
	else
		rating_ask_step(id, about, done, acted, g);
	return UI_REDRAW;
}

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	ratings *g = s->data;

	(void)ev;
	if (view_scroll(&g->v, cmd))
		return UI_REDRAW;
	switch (cmd) {
	case CMD_RATINGS:
		return UI_HANDLED;
	case CMD_APPEAL:
	case CMD_STEP:
		return follow_up(g, cmd);
	case CMD_QUEUE:
	case CMD_INQUIRIES:
		return app_goto(cmd);
	case CMD_REFRESH:
		load(g);
		return UI_UNHANDLED;
	default:
		return UI_UNHANDLED;
	}
}

static int open_screen(ui_screen *s)
{
	ratings *g = s->data;

	view_init(&g->v, 16);
	ui_screen_title(s, _("My ratings (我的评价)"));
	app_watch_db(db_state_changed, g);
	load(g);
	return 0;
}

static void close_screen(ui_screen *s)
{
	ratings *g = s->data;

	if (!g)
		return;
	if (app_db())
		db_session_forget(app_db(), g);
	app_unwatch_db(g);
	rating_summary_free(g->sum);
	rating_list_free(g->list);
	view_free(&g->v);
	free(g);
	s->data = NULL;
}

const ui_screen_ops ratings_ops = {
	.name = "ratings",
	.keybar = ratings_keybar,
	.commands = ratings_commands,
	.open = open_screen,
	.draw = draw,
	.key = key,
	.close = close_screen,
};

void *ratings_new(void)
{
	return x_calloc(1, sizeof(ratings));
}
