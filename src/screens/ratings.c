/* screens/ratings.c - 我的评价: the clerk's own ratings.  On top the
 * figures: the satisfaction rate, the count per level as bars and, beside
 * them, the last 12 weeks as a sparkline; below, the bad ratings (open
 * rectifications first) and the latest commented ones in the list widget,
 * each with its comment; under the list, the selected rating in full: its
 * comment, the steps of its rectification with their dates, its appeal.
 * Row-level security makes these the caller's only.
 *
 * Everything acts on the selected rating, which stays selected (by its id)
 * when the list is read again: Enter opens the case or inquiry it rates,
 * p appeals it (申诉, with a reason), w withdraws that appeal while it
 * waits, s records a step of its rectification.  The database says
 * whether it may be done.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/ratings.h"
#include "db/rectify.h"
#include "screens/app.h"
#include "screens/find.h"
#include "screens/ratinglist.h"
#include "screens/bench.h"
#include "screens/screens.h"
#include "screens/view.h"
#include "ui/chart.h"
#include "ui/dialog.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define RATINGS_SHOWN 60
#define DETAIL_LINES 4   /* the selected rating, under the list */

typedef struct ratings {
	rating_summary *sum;
	rating_list *list;
	list *l;
	char error[512];
	int loading;
	int shown;           /* for --bench */
	char *find;            /* the last text / looked for */
} ratings;

static const int ratings_keybar[] = { CMD_OPEN, CMD_APPEAL, CMD_WITHDRAW, CMD_STEP, CMD_QUEUE, CMD_INQUIRIES,
                                      CMD_QUIT, CMD_NONE };
static const int ratings_commands[] = { CMD_RATINGS, CMD_SEARCH, CMD_REFRESH, CMD_NONE };

static const rating_row *row_at(const ratings *g, size_t i)
{
	return g->list && i < (size_t)g->list->n ? &g->list->rows[i] : NULL;
}

static const rating_row *selected(const ratings *g)
{
	return row_at(g, list_selected(g->l));
}

/* ------------------------------------------------------------ loading */

static void summary_loaded(void *ctx, rating_summary *r, const db_reply *reply)
{
	ratings *g = ctx;

	if (r) {
		rating_summary_free(g->sum);
		g->sum = r;
		g->error[0] = '\0';
	} else if (reply->error) {
		app_refusal_text(reply, g->error, sizeof g->error);
		app_show_error(_("Loading the ratings"), reply);
	}
	ui_redraw();
}

static void list_loaded(void *ctx, rating_list *l, const db_reply *reply)
{
	ratings *g = ctx;

	if (l) {
		rating_list_free(g->list);
		g->list = l;
		/* The selection stays on the same rating (its id), wherever the
		 * reload put it. */
		list_set_rows(g->l, (size_t)l->n);
	} else if (reply->error) {
		app_refusal_text(reply, g->error, sizeof g->error);
		app_show_error(_("Loading the ratings"), reply);
	}
	g->loading = 0;
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

/* ------------------------------------------------------------ drawing */

/* The counts per level, as bars, `cells` wide at (y, 0). */
static void draw_levels(WINDOW *w, int y, int cells, const rating_summary *s)
{
	long long max = 0;
	char buf[512], label[64];

	for (int l = 1; l <= 5; l++)
		max = s->per_level[l] > max ? s->per_level[l] : max;
	for (int l = 5; l >= 1; l--) {
		int bar_cells = cells - 13 - 7;
		char *bar = chart_bar((double)s->per_level[l], (double)(max ? max : 1), bar_cells > 4 ? bar_cells : 4);

		snprintf(label, sizeof label, "%d %s", l, ratinglist_level_name(l));
		term_put(w, y, 0, 13, TERM_NORMAL, TEXT_PAD, label);
		snprintf(buf, sizeof buf, "%s %6lld", bar, s->per_level[l]);
		term_put(w, y++, 13, cells - 13, l <= 2 && s->per_level[l] ? TERM_WARN : TERM_OK, 0, buf);
		free(bar);
	}
}

/* The last 12 weeks, `cells` wide at (y, x): what it is, the sparkline,
 * the lowest and highest week, and the rectifications. */
static void draw_weeks(WINDOW *w, int y, int x, int cells, const rating_summary *s)
{
	char buf[512];
	double lo = 2.0, hi = -1.0;
	int per = (cells - 1) / 12;

	if (s->nweeks > 0) {
		char *spark = chart_sparkline(s->week_satisfaction, (size_t)s->nweeks, 0.0, 0.0, per > 0 ? per : 1);

		/* Scaled between the weeks' own lowest and highest rates (stated
		 * below it): satisfaction moves within a few points, and a 0-100%
		 * scale would draw a flat line. */
		for (int i = 0; i < s->nweeks; i++) {
			double v = s->week_satisfaction[i];
			if (isnan(v))
				continue;
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		snprintf(buf, sizeof buf, _("12 weeks from %s, satisfaction per week (· no rating):"), s->week_start[0]);
		term_put(w, y++, x, cells, TERM_NORMAL, 0, buf);
		term_put(w, y++, x, cells, TERM_OK, 0, spark);
		free(spark);
		if (hi >= 0.0) {
			snprintf(buf, sizeof buf, _("lowest week %.1f%%, highest %.1f%%"), lo * 100.0, hi * 100.0);
			term_put(w, y, x, cells, TERM_DIM, 0, buf);
		}
		y++;
	}
	if (s->rectifications_open > 0 || s->rectifications_late > 0) {
		snprintf(buf, sizeof buf, _("%lld bad rating(s) being rectified; %lld rectification(s) late, now or before"),
		         s->rectifications_open, s->rectifications_late);
		term_put(w, y, x, cells, s->rectifications_late ? TERM_OVERDUE : TERM_WARN, 0, buf);
	}
}

/* One step of a rectification, in a few words: "verify: done 11-20 09:10",
 * "call back: !! overdue since 2026-11-25", "rectify: due by 2026-12-15". */
static void step_words(char *buf, size_t n, const char *what, const char *done_at, const char *due, int late)
{
	if (*done_at)
		snprintf(buf, n, late ? _("%s done %s (late)") : _("%s done %s"), what, done_at);
	else if (*due)
		snprintf(buf, n, late ? _("%s !! overdue since %s") : _("%s due by %s"), what, due);
	else
		snprintf(buf, n, _("%s to do"), what);
}

/* The selected rating in full, DETAIL_LINES lines at y. */
static void draw_detail(WINDOW *w, int y, int cols, const rating_row *r)
{
	char buf[1024], a[256], b[256], c[256];
	char *clean;
	size_t n, *st, len;

	snprintf(buf, sizeof buf, "── %s  %s ──", *r->ref ? r->ref : r->target, r->title);
	term_put(w, y++, 0, cols, TERM_HEADER, 0, buf);
	/* The applicant's comment, two lines at most. */
	clean = text_sanitize(*r->comment ? r->comment : _("(no comment)"), TEXT_TAB_SPACE);
	len = strlen(clean);
	n = text_wrap(clean, cols - 2, NULL, 0);
	st = x_calloc(n, sizeof *st);
	text_wrap(clean, cols - 2, st, n);
	for (size_t i = 0; i < 2; i++) {
		if (i < n) {
			size_t next = i + 1 < n ? st[i + 1] : len, end = text_line_end(clean, st[i], next);
			char *line = x_strndup(clean + st[i], end - st[i]);
			if (i == 1 && n > 2) {
				char *more = x_asprintf("%s…", line);
				free(line);
				line = more;
			}
			term_put(w, y, 2, cols - 2, TERM_NORMAL, 0, line);
			free(line);
		}
		y++;
	}
	free(st);
	free(clean);
	if (r->bad) {
		step_words(a, sizeof a, _("verify:"), r->verified_at, "", 0);
		step_words(b, sizeof b, _("call back:"), r->callback_at, r->callback_due, r->callback_late);
		step_words(c, sizeof c, _("rectify:"), r->rectified_at, r->rectify_due, r->rectify_late);
		snprintf(buf, sizeof buf, "%s · %s · %s", a, b, c);
		term_put(w, y, 2, cols - 2, ratinglist_step_late(r) ? TERM_OVERDUE : TERM_NORMAL, 0, buf);
	} else if (r->followup_level > 0) {
		snprintf(buf, sizeof buf, _("follow-up: %d %s  %s"), r->followup_level, ratinglist_level_name(r->followup_level),
		         r->followup_comment);
		term_put(w, y, 2, cols - 2, TERM_NORMAL, 0, buf);
	}
}

static void draw(ui_screen *s, WINDOW *w)
{
	ratings *g = s->data;
	const rating_summary *sum = g->sum;
	int lines, cols, y = 0, left, list_lines;
	char buf[512];

	getmaxyx(w, lines, cols);
	werase(w);
	if (!sum) {
		view_loading(w, 1, 2, cols - 4, g->error);
		return;
	}
	if (sum->has_satisfaction)
		snprintf(buf, sizeof buf, _("%lld ratings, satisfaction %.1f%% (levels 4 and 5 over all)"), sum->ratings,
		         sum->satisfaction * 100.0);
	else
		snprintf(buf, sizeof buf, "%s", _("No ratings yet."));
	if (sum->not_counting > 0 || sum->appeals_pending > 0) {
		size_t k = strlen(buf);
		snprintf(buf + k, sizeof buf - k, _("; %lld not counted after an upheld appeal, %lld appeal(s) waiting"),
		         sum->not_counting, sum->appeals_pending);
	}
	term_put(w, y++, 0, cols, TERM_HEADER, 0, buf);
	/* The bars on the left, the weeks beside them. */
	left = cols / 2;
	draw_levels(w, y, left - 2, sum);
	draw_weeks(w, y, left, cols - left, sum);
	y += 6;

	list_lines = lines - y - DETAIL_LINES;
	list_set_empty_text(g->l, !g->list ? _("Loading...") : _("No bad rating and no comment yet."));
	list_draw(g->l, w, y, 0, list_lines > 2 ? list_lines : 2, cols);
	if (selected(g) && list_lines > 2)
		draw_detail(w, lines - DETAIL_LINES, cols, selected(g));
	if (!g->shown && g->list) {
		g->shown = 1;
		bench_mark("ratings_shown", NULL);
	}
}

/* ------------------------------------------------- acting on a rating */

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

/* Whether cmd applies to r; if not, says why on the status line. */
static int applies(const rating_row *r, int cmd)
{
	const char *why = NULL;

	if (!r)
		why = _("No rating selected.");
	else if (cmd == CMD_APPEAL && !r->bad)
		why = _("Only a bad rating (levels 1 and 2) can be appealed.");
	else if (cmd == CMD_APPEAL && strcmp(r->appeal_state, "pending") == 0)
		why = _("Your appeal of this rating is waiting for the supervisor: w withdraws it.");
	else if (cmd == CMD_APPEAL && *r->appeal_state)
		why = _("The appeal of this rating was already judged.");
	else if (cmd == CMD_WITHDRAW && strcmp(r->appeal_state, "pending") != 0)
		why = *r->appeal_state ? _("The appeal of this rating was already judged: it can no longer be withdrawn.")
		                       : _("This rating has no appeal to withdraw.");
	else if (cmd == CMD_STEP && (!r->bad || !r->open))
		why = _("This rating has no open rectification.");
	if (why)
		ui_status(UI_INFO, "%s", why);
	return why == NULL;
}

static int act(ratings *g, int cmd)
{
	const rating_row *r = selected(g);
	char about[1024];
	long long id;
	int done;

	if (!applies(r, cmd))
		return UI_REDRAW;
	/* Copied: a reload may replace the list while a dialog is open. */
	id = r->id;
	done = done_steps(r);
	snprintf(about, sizeof about, "%s  %d %s  %s %s\n%s%s", r->rated_at, r->level, ratinglist_level_name(r->level),
	         *r->ref ? r->ref : r->target, r->title, _("Comment: "), *r->comment ? r->comment : _("(no comment)"));
	if (cmd == CMD_APPEAL) {
		rating_ask_appeal(id, about, acted, g);
	} else if (cmd == CMD_STEP) {
		rating_ask_step(id, about, done, acted, g);
	} else {
		char *question = x_asprintf("%s\n\n%s", about,
		                            _("Withdraw your appeal of this rating? You may appeal it again later."));
		if (dialog_confirm(_("Withdraw the appeal (撤回申诉)"), question) && app_require_online())
			rectify_withdraw(app_db(), id, acted, g);
		free(question);
	}
	return UI_REDRAW;
}

static int open_rated(ratings *g)
{
	const rating_row *r = selected(g);

	if (!r)
		return UI_HANDLED;
	if (strcmp(r->kind, "inquiry") == 0)
		inquiry_push(r->target_id);
	else if (strcmp(r->kind, "service") == 0)
		rating_push(r->id); /* a service at the counter (一次一评): the rating itself */
	else
		case_push(r->target_id);
	return UI_REDRAW;
}

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	ratings *g = s->data;
	int k;

	switch (cmd) {
	case CMD_RATINGS:
		return UI_HANDLED;
	case CMD_SEARCH:
		return find_in_list(g->l, &g->find);
	case CMD_APPEAL:
	case CMD_WITHDRAW:
	case CMD_STEP:
		return act(g, cmd);
	case CMD_OPEN:
		return open_rated(g);
	case CMD_QUEUE:
	case CMD_INQUIRIES:
		return app_goto(cmd);
	case CMD_REFRESH:
		load(g);
		return UI_UNHANDLED;
	default:
		break;
	}
	k = list_key(g->l, cmd, ev);
	if (k == LIST_ACTIVATE)
		return open_rated(g);
	return k == LIST_IGNORED ? UI_UNHANDLED : UI_REDRAW;
}

static void focus(ui_screen *s, int focused)
{
	/* Back from the case or inquiry: it may have changed. */
	if (focused)
		load(s->data);
}

static int open_screen(ui_screen *s)
{
	ratings *g = s->data;

	g->l = ratinglist_new(&g->list);
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
	list_free(g->l);
	free(g->find);
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
	.focus = focus,
	.close = close_screen,
};

void *ratings_new(void)
{
	return x_calloc(1, sizeof(ratings));
}
