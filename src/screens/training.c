/* screens/training.c - the training room: the trainer's first screen on a
 * demo database (issue 12).
 *
 *   the room      one row per trainee (a demo clerk active since the
 *                 exercise began, or connected now) with what they did,
 *                 read from the audit log (hall.training_room); live: a
 *                 NOTIFY on the queue, inquiries or ratings reloads it, and
 *                 every few seconds while an exercise or a simulation runs
 *   Enter         that trainee's actions in order (hall.training_actions);
 *                 Enter on one opens its case or inquiry
 *   b             the debrief (debrief.h) of the class, or of the trainee
 *                 shown; P prints it, E saves it as CSV
 *   e             choose a scenario and start it (hallctl exercise start,
 *                 a child: trainkids.h), or end the running one
 *   c             the clock: a moment, the next working day 9:00, run, stop
 *   R             reset the training database (asks first)
 *   s             the simulated public: start, pause, go on, stop
 *
 * Reads go through the report session like the supervisors' figures;
 * changes through the primary.  The training time beside the real one is
 * the banner's, on every screen (app.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "common/config.h"
#include "common/i18n.h"
#include "common/print.h"
#include "common/scenario.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/refusal.h"
#include "db/trainroom.h"
#include "screens/app.h"
#include "screens/bench.h"
#include "screens/debrief.h"
#include "screens/export.h"
#include "screens/screens.h"
#include "screens/trainkids.h"
#include "screens/view.h"
#include "ui/dialog.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define TR_LIVE_MS 3000   /* reload while an exercise or a simulation runs */

enum { V_ROOM, V_ACTIONS, V_DEBRIEF };

typedef struct training {
	int v;                 /* what is shown */
	int back;              /* the debrief goes back to this */
	db_rows *room, *actions, *debrief, *ex;
	list *table, *alist;
	view dview;
	long long staff;       /* the trainee drilled into (0: none) */
	char who[160];
	char since[64];        /* the running exercise's start ("" none) */
	char ended[160];       /* the exercise ended on this screen: since stays its start */
	char error[512];
	int loading;
	unsigned live_timer, reload_timer;
	long long last_reload_ms;
	tkid sim, exk;
	char sim_what[160];
	long long reset_ms;    /* when the reset was sent */
} training;

static const int tr_keybar[] = { CMD_OPEN, CMD_EX_START, CMD_EX_END, CMD_CLOCK, CMD_SIMULATE, CMD_DEBRIEF,
	                         CMD_PRINT, CMD_EXPORT, CMD_RESET, CMD_QUIT, CMD_NONE };
static const int tr_commands[] = { CMD_REFRESH, CMD_QUEUE, CMD_INQUIRIES, CMD_RATINGS, CMD_OUTBOX, CMD_NONE };

/* ------------------------------------------------------------ the tables */

enum { RC_NAME, RC_CLAIMS, RC_APPROVALS, RC_RETURNS, RC_BREACHES, RC_ESC, RC_REPLIES, RC_REPLY_MIN, RC_LATE,
       RC_HANDLING, RC_REFUSED, RC_LAST, RC_N };
static const list_column room_cols[RC_N] = {
	[RC_NAME] = { N_("Trainee"), 8, 20, 2, LIST_LEFT },
	[RC_CLAIMS] = { N_("Claims"), 4, 6, 0, LIST_RIGHT },
	[RC_APPROVALS] = { N_("Approved"), 4, 8, 0, LIST_RIGHT },
	[RC_RETURNS] = { N_("Returned"), 4, 8, 0, LIST_RIGHT },
	[RC_BREACHES] = { N_("Notice broken"), 6, 8, 0, LIST_RIGHT },
	[RC_ESC] = { N_("Escalations"), 4, 8, 0, LIST_RIGHT },
	[RC_REPLIES] = { N_("Replied"), 4, 8, 0, LIST_RIGHT },
	[RC_REPLY_MIN] = { N_("Reply min"), 8, 9, 0, LIST_RIGHT },
	[RC_LATE] = { N_("Gone late"), 4, 9, 0, LIST_RIGHT },
	[RC_HANDLING] = { N_("Handling min"), 8, 12, 0, LIST_RIGHT },
	[RC_REFUSED] = { N_("Refused"), 4, 7, 0, LIST_RIGHT },
	[RC_LAST] = { N_("Last"), 5, 5, 0, LIST_RIGHT },
};
static const int rc_column[RC_N] = {
	[RC_NAME] = TR_NAME, [RC_CLAIMS] = TR_CLAIMS, [RC_APPROVALS] = TR_APPROVALS, [RC_RETURNS] = TR_RETURNS,
	[RC_BREACHES] = TR_BREACHES, [RC_ESC] = TR_ESCALATIONS, [RC_REPLIES] = TR_REPLIES,
	[RC_REPLY_MIN] = TR_REPLY_MIN, [RC_LATE] = TR_LATE, [RC_HANDLING] = TR_HANDLING_MIN,
	[RC_REFUSED] = TR_REFUSED, [RC_LAST] = TR_LAST_AT,
};

static const char *room_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[200];
	const training *t = ctx;
	int i = (int)row, c = rc_column[col];

	if (!t->room || row >= (size_t)t->room->nrows)
		return NULL;
	if (col == RC_NAME) {
		snprintf(buf, sizeof buf, "%s %s", db_rows_get(t->room, i, TR_NAME), db_rows_get(t->room, i, TR_LOGIN));
		return buf;
	}
	if (db_rows_null(t->room, i, c))
		return "-";
	if (col == RC_REPLY_MIN || col == RC_HANDLING) {
		snprintf(buf, sizeof buf, "%.0f", strtod(db_rows_get(t->room, i, c), NULL));
		return buf;
	}
	if ((col == RC_BREACHES || col == RC_LATE) && db_rows_ll(t->room, i, c) > 0)
		*role = TERM_OVERDUE;
	else if (col == RC_REFUSED && db_rows_ll(t->room, i, c) > 0)
		*role = TERM_WARN;
	return db_rows_get(t->room, i, c);
}

static int64_t room_id(void *ctx, size_t row)
{
	const training *t = ctx;

	return t->room && row < (size_t)t->room->nrows ? db_rows_ll(t->room, (int)row, TR_STAFF) : -1;
}

static const list_source room_source = { room_cell, room_id, NULL };

enum { AC_AT, AC_ACTION, AC_CASE, AC_DETAIL, AC_RULE, AC_N };
static const list_column act_cols[AC_N] = {
	[AC_AT] = { N_("Time"), 11, 11, 0, LIST_LEFT },
	[AC_ACTION] = { N_("Action"), 8, 14, 1, LIST_LEFT },
	[AC_CASE] = { N_("Case"), 10, 20, 1, LIST_LEFT },
	[AC_DETAIL] = { N_("Detail"), 8, 0, 3, LIST_LEFT },
	[AC_RULE] = { N_("Rule broken"), 8, 0, 2, LIST_LEFT },
};

/* The audit's actions (app_action_name), the inquiries' too, and the
 * functions a refused attempt names. */
static const char *action_name(const char *action)
{
	static const struct { const char *code, *name; } more[] = {
		{ "reply", N_("replied") }, { "transfer", N_("transferred") },
		{ "return_for_correction", N_("returned for correction") }, { "reply_inquiry", N_("replied") },
		{ "transfer_inquiry", N_("transferred") }, { "claim_next", N_("claimed") },
	};
	const char *name = app_action_name(action);

	if (name != action)
		return name;
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
		if (strcmp(more[i].code, action) == 0)
			return _(more[i].name);
	return action;
}

static const char *act_cell(void *ctx, size_t row, int col, int *role)
{
	const training *t = ctx;
	int i = (int)row;

	if (!t->actions || row >= (size_t)t->actions->nrows)
		return NULL;
	switch (col) {
	case AC_AT:
		return db_rows_get(t->actions, i, TA_AT);
	case AC_ACTION:
		return action_name(db_rows_get(t->actions, i, TA_ACTION));
	case AC_CASE:
		if (*db_rows_get(t->actions, i, TA_CASE_NO))
			return db_rows_get(t->actions, i, TA_CASE_NO);
		return db_rows_null(t->actions, i, TA_INQUIRY) ? "" : _("inquiry");
	case AC_DETAIL:
		/* A refused action's detail is its reason code: the sentence. */
		if (strcmp(db_rows_get(t->actions, i, TA_RULE), "refused") == 0) {
			static char why[768];
			return refusal_sentence(DB_FAILED, "", db_rows_get(t->actions, i, TA_DETAIL), why, sizeof why);
		}
		return db_rows_get(t->actions, i, TA_DETAIL);
	case AC_RULE:
		if (db_rows_null(t->actions, i, TA_RULE))
			return "";
		*role = TERM_OVERDUE;
		return debrief_rule_text(db_rows_get(t->actions, i, TA_RULE));
	default:
		return NULL;
	}
}

static const list_source act_source = { act_cell, NULL, NULL };

/* ------------------------------------------------------------- loading */

static void load(training *t);

static void room_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	training *t = ctx;

	if (t->loading > 0)
		t->loading--;
	bench_mark("training_loaded", "room");
	if (rows) {
		db_rows_free(t->room);
		t->room = rows;
		t->error[0] = '\0';
		list_set_rows(t->table, (size_t)rows->nrows);
	} else if (app_report_again(reply)) {
		load(t);
	} else {
		app_refusal_text(reply, t->error, sizeof t->error);
	}
	ui_redraw();
}

static void actions_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	training *t = ctx;

	if (rows) {
		db_rows_free(t->actions);
		t->actions = rows;
		list_set_rows(t->alist, (size_t)rows->nrows);
	} else if (!app_report_again(reply)) {
		app_show_error(_("Loading the trainee's actions"), reply);
	}
	ui_redraw();
}

static void debrief_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	training *t = ctx;

	if (rows) {
		db_rows_free(t->debrief);
		t->debrief = rows;
		debrief_view(&t->dview, rows, t->back == V_ACTIONS ? t->staff : 0);
	} else if (!app_report_again(reply)) {
		app_show_error(_("Loading the debrief"), reply);
	}
	ui_redraw();
}

static void live(training *t);

/* The exercise (and so `since`) first; the room's reads follow it. */
static void ex_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	training *t = ctx;
	db_session *s;

	if (!rows) {
		if (!app_report_again(reply))
			app_refusal_text(reply, t->error, sizeof t->error);
		if (t->loading > 0)
			t->loading--;
		ui_redraw();
		return;
	}
	/* An exercise that just ended keeps its start: the room and the
	 * debrief go on showing it until another begins or a reset. */
	if (rows->nrows == 0 && t->ex && t->ex->nrows > 0)
		snprintf(t->ended, sizeof t->ended, "%s", db_rows_get(t->ex, 0, TX_TITLE));
	db_rows_free(t->ex);
	t->ex = rows;
	if (rows->nrows > 0) {
		snprintf(t->since, sizeof t->since, "%s", db_rows_get(rows, 0, TX_STARTED));
		t->ended[0] = '\0';
	} else if (!*t->ended) {
		t->since[0] = '\0';
	}
	live(t);
	s = app_report_session();
	if (!s || troom_room(s, t->since, room_loaded, t) < 0) {
		if (t->loading > 0)
			t->loading--;
		return;
	}
	if (t->v == V_ACTIONS || (t->v == V_DEBRIEF && t->back == V_ACTIONS))
		troom_actions(s, t->staff, t->since, actions_loaded, t);
	if (t->v == V_DEBRIEF)
		troom_debrief(s, t->since, debrief_loaded, t);
}

static void load(training *t)
{
	db_session *s;

	if (!app_report_online())
		return;
	app_forget(t);
	t->loading = 1;
	t->last_reload_ms = loop_now_ms();
	s = app_report_session();
	bench_mark("training_load", NULL);
	if (troom_exercise(s, ex_loaded, t) < 0)
		t->loading = 0;
}

static void reload_fired(void *ctx)
{
	training *t = ctx;

	t->reload_timer = 0;
	load(t);
}

/* A burst of NOTIFYs costs one reload, at most every [ui] refresh_ms. */
static void schedule_reload(training *t, int at_least)
{
	long long wait = t->last_reload_ms + app_refresh_ms() - loop_now_ms();

	if (wait < at_least)
		wait = at_least;
	if (!t->reload_timer)
		t->reload_timer = loop_timer((int)wait, 0, reload_fired, t);
}

static void notified(void *ctx, const char *channel, const char *payload)
{
	(void)channel;
	(void)payload;
	schedule_reload(ctx, app_report_settle_ms());
}

static void live_fired(void *ctx)
{
	schedule_reload(ctx, 0);
}

/* Every few seconds while something runs (what the audit log gains without
 * a NOTIFY: a reply's time, an item gone late as the clock moves). */
static void live(training *t)
{
	int running = (t->ex && t->ex->nrows > 0) || tkid_running(&t->sim);

	if (running && !t->live_timer)
		t->live_timer = loop_timer(TR_LIVE_MS, 1, live_fired, t);
	else if (!running && t->live_timer) {
		loop_timer_cancel(t->live_timer);
		t->live_timer = 0;
	}
}

static void db_state_changed(void *ctx, db_state st)
{
	if (st == DB_READY)
		load(ctx);
}

static void report_moved(void *ctx)
{
	load(ctx);
}

/* ------------------------------------------------------ the trainer's changes */

static void changed(void *ctx, const db_reply *reply, const char *what, const char *done)
{
	training *t = ctx;

	if (reply->status != DB_OK) {
		app_show_error(what, reply);
		return;
	}
	ui_status(UI_OK, "%s", done);
	app_report_after_write();
	app_clock_refresh();
	load(t);
}

static void reset_done(void *ctx, const db_reply *reply)
{
	training *t = ctx;
	char msg[256];

	snprintf(msg, sizeof msg, _("The training database is back to its seed state (%lld ms)."),
	         loop_now_ms() - t->reset_ms);
	if (reply->status == DB_OK)
		t->ended[0] = t->since[0] = '\0';
	changed(ctx, reply, _("Reset"), msg);
}

static void clock_done(void *ctx, const db_reply *reply)
{
	changed(ctx, reply, _("Setting the clock"), _("The training clock is set."));
}

static void ex_end_done(void *ctx, const db_reply *reply)
{
	changed(ctx, reply, _("Ending the exercise"), _("The exercise has ended: b shows its debrief."));
}

static int ask_reset(training *t)
{
	if (!app_require_online())
		return UI_REDRAW;
	if (!dialog_confirm(_("Reset"),
	                    _("Bring the training database back to its seed state? Every case, inquiry and rating "
	                      "goes back to how it was; what the trainees did is gone. Trainees stay logged in: "
	                      "their screens reload.")))
		return UI_REDRAW;
	t->reset_ms = loop_now_ms();
	if (troom_reset(app_db(), reset_done, t) < 0)
		app_require_online();
	return UI_REDRAW;
}

static int valid_moment(const char *s)
{
	int y, mo, d, h, mi;
	char end;

	return sscanf(s, "%4d-%2d-%2d %2d:%2d%c", &y, &mo, &d, &h, &mi, &end) == 5 && mo >= 1 && mo <= 12 && d >= 1
	       && d <= 31 && h >= 0 && h < 24 && mi >= 0 && mi < 60;
}

static int ask_clock(training *t)
{
	const char *items[] = { _("Set a moment (date and time)"), _("Next working day 9:00"), _("Let it run"),
		                _("Stop it (it stands still)") };
	static const char *steps[] = { NULL, "next_workday_9", "run", "pause" };
	long c;

	if (!app_require_online())
		return UI_REDRAW;
	c = dialog_choose(_("The training clock"), items, 4, 0);
	if (c < 0)
		return UI_REDRAW;
	if (c == 0) {
		char now[32], *m;
		time_t tt = app_clock_now();

		strftime(now, sizeof now, "%Y-%m-%d %H:%M", localtime(&tt));
		m = dialog_prompt(_("The training clock"),
		                  _("The training time (YYYY-MM-DD HH:MM), e.g. the afternoon before a holiday; it runs on from there:"),
		                  now, 16, DIALOG_REQUIRED);
		if (!m)
			return UI_REDRAW;
		if (!valid_moment(m))
			ui_status(UI_ERROR, _("%s is not a date and time like 2026-09-30 16:30: the clock was not changed."), m);
		else if (troom_set_clock(app_db(), m, 1, clock_done, t) < 0)
			app_require_online();
		free(m);
		return UI_REDRAW;
	}
	if (troom_clock_step(app_db(), steps[c], clock_done, t) < 0)
		app_require_online();
	return UI_REDRAW;
}

/* ------------------------------------------------------------ exercises */

typedef struct scen {
	char *path, *label;
} scen;

static int scen_cmp(const void *a, const void *b)
{
	return strcmp(((const scen *)a)->label, ((const scen *)b)->label);
}

/* The scenarios of scenario_list() (the trainer's own, the installed ones,
 * a source tree's), labelled with their titles and sorted by them. */
static size_t scen_list(scen **out)
{
	char **paths = scenario_list();
	size_t n = 0;
	scen *v;

	while (paths[n])
		n++;
	v = x_calloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1 : paths[i];
		char err[512];
		scenario *sc = scenario_load(paths[i], err, sizeof err);

		v[i].path = x_strdup(paths[i]);
		/* A file that does not parse is listed with its problem: starting
		 * it says the same, and the trainer sees which file to fix. */
		v[i].label = sc ? x_asprintf("%s (%s)", sc->title, sc->name) : x_asprintf("%s: %s", base, err);
		scenario_free(sc);
	}
	scenario_free_list(paths);
	qsort(v, n, sizeof *v, scen_cmp);
	*out = v;
	return n;
}

static void scen_free(scen *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].label);
	}
	free(v);
}

static void ex_started(void *ctx, int ok, const char *last)
{
	training *t = ctx;

	if (ok)
		ui_status(UI_OK, _("The exercise has started: %s"), last);
	else
		app_show_message(UI_ERROR, _("Exercise"), *last ? last : _("The exercise could not be started."));
	app_report_after_write();
	app_clock_refresh();
	load(t);
}

static int ask_exercise(training *t)
{
	scen *v;
	size_t n = scen_list(&v);
	const char **items;
	long c;
	char err[256];

	if (!app_require_online()) {
		scen_free(v, n);
		return UI_REDRAW;
	}
	if (n == 0) {
		ui_status(UI_WARN, "%s", _("No scenario files found ($HALLTERM_SCENARIOS, ~/.config/hallterm/scenarios, the installed ones)."));
		scen_free(v, n);
		return UI_REDRAW;
	}
	items = x_calloc(n, sizeof *items);
	for (size_t i = 0; i < n; i++)
		items[i] = v[i].label;
	c = dialog_choose(_("Start an exercise for the class"), items, n, 0);
	free(items);
	if (c >= 0) {
		const char *args[] = { "exercise", "start", v[c].path, NULL };

		if (tkid_hallctl(&t->exk, args, ex_started, t, err, sizeof err) < 0)
			ui_status(UI_ERROR, _("hallctl could not be started: %s"), err);
		else
			ui_status(UI_INFO, "%s", _("Starting the exercise ..."));
	}
	scen_free(v, n);
	return UI_REDRAW;
}

static int ask_end(training *t)
{
	if (!app_require_online())
		return UI_REDRAW;
	if (!dialog_confirm(_("End exercise"), _("End the running exercise? The room keeps what the trainees did.")))
		return UI_REDRAW;
	if (troom_exercise_end(app_db(), ex_end_done, t) < 0)
		app_require_online();
	return UI_REDRAW;
}

/* ------------------------------------------------------------ simulation */

static void sim_done(void *ctx, int ok, const char *last)
{
	training *t = ctx;

	ui_status(ok ? UI_OK : UI_WARN, _("The simulation has stopped: %s"), *last ? last : "-");
	live(t);
	schedule_reload(t, 0);
}

static int ask_simulate(training *t)
{
	char err[256];

	if (tkid_running(&t->sim)) {
		const char *items[] = { t->sim.paused ? _("Go on") : _("Pause"), _("Stop") };
		long c = dialog_choose(_("The simulated public"), items, 2, 0);

		if (c == 0)
			tkid_pause(&t->sim, !t->sim.paused);
		else if (c == 1)
			tkid_stop(&t->sim);
		return UI_REDRAW;
	}
	const char *profiles[] = { "busy-morning", "mixed", "quiet" };
	const char *items[4] = { _("Busy morning (busy-morning)"), _("Mixed (mixed)"), _("Quiet (quiet)"), NULL };
	int ex = t->ex && t->ex->nrows > 0;
	char *own = ex ? x_asprintf(_("The exercise's own pace: %s (%s)"), db_rows_get(t->ex, 0, TX_TITLE),
	                            db_rows_get(t->ex, 0, TX_SCENARIO))
	               : NULL;
	long c;
	char *rate, *minutes;

	items[3] = own;
	c = dialog_choose(_("The simulated public"), items, ex ? 4 : 3, ex ? 3 : 0);
	free(own);
	if (c < 0)
		return UI_REDRAW;
	if (c == 3) {
		/* The scenario's [simulate]: its rate, minutes and mix. */
		char *path = scenario_find(db_rows_get(t->ex, 0, TX_SCENARIO));
		const char *args[] = { "simulate", "--profile", path ? path : db_rows_get(t->ex, 0, TX_SCENARIO), NULL };

		if (tkid_hallctl(&t->sim, args, sim_done, t, err, sizeof err) < 0)
			ui_status(UI_ERROR, _("hallctl could not be started: %s"), err);
		else
			snprintf(t->sim_what, sizeof t->sim_what, "%s", db_rows_get(t->ex, 0, TX_TITLE));
		free(path);
		live(t);
		return UI_REDRAW;
	}
	rate = dialog_prompt(_("The simulated public"), _("Arrivals per minute:"), "30", 5, DIALOG_REQUIRED);
	if (!rate)
		return UI_REDRAW;
	minutes = dialog_prompt(_("The simulated public"), _("For how many minutes:"), "60", 5, DIALOG_REQUIRED);
	if (minutes && atoi(rate) > 0 && atoi(minutes) > 0) {
		const char *args[] = { "simulate", "--profile", profiles[c], "--rate", rate, "--minutes", minutes, NULL };

		if (tkid_hallctl(&t->sim, args, sim_done, t, err, sizeof err) < 0)
			ui_status(UI_ERROR, _("hallctl could not be started: %s"), err);
		else
			snprintf(t->sim_what, sizeof t->sim_what, "%s, %s/min, %s min", profiles[c], rate, minutes);
		live(t);
	} else if (minutes) {
		ui_status(UI_ERROR, "%s", _("Give whole numbers above 0: the simulation was not started."));
	}
	free(rate);
	free(minutes);
	return UI_REDRAW;
}

/* -------------------------------------------------------- the debrief */

static int show_debrief(training *t)
{
	db_session *s = app_report_session();

	if (t->v == V_DEBRIEF)
		return UI_HANDLED;
	t->back = t->v;
	t->v = V_DEBRIEF;
	view_clear(&t->dview);
	db_rows_free(t->debrief);
	t->debrief = NULL;
	if (!s || troom_debrief(s, t->since, debrief_loaded, t) < 0)
		app_require_online();
	return UI_REDRAW;
}

static const char *debrief_title(training *t, char *buf, size_t n)
{
	const char *ex = t->ex && t->ex->nrows > 0 ? db_rows_get(t->ex, 0, TX_TITLE) : t->ended;

	if (t->back == V_ACTIONS)
		snprintf(buf, n, _("Debrief of %s%s%s"), t->who, *ex ? " - " : "", ex);
	else
		snprintf(buf, n, _("Debrief of the class%s%s"), *ex ? " - " : "", ex);
	return buf;
}

static int print_debrief(training *t)
{
	const config *cfg = app_config();
	char title[256], job[64], err[512];
	char *text;

	if (!t->debrief) {
		ui_status(UI_INFO, "%s", _("The debrief is not loaded yet."));
		return UI_REDRAW;
	}
	debrief_title(t, title, sizeof title);
	text = debrief_text(t->debrief, t->back == V_ACTIONS ? t->staff : 0, title);
	if (print_text(cfg ? config_str(cfg, "print", "printer") : "", title, text, 0, job, sizeof job, err,
	               sizeof err) == 0)
		ui_status(UI_OK, _("The debrief was printed (%s)."), job);
	else
		ui_status(UI_ERROR, _("The debrief was not printed: %s."), err);
	free(text);
	return UI_REDRAW;
}

static int export_debrief(training *t)
{
	FILE *f;
	long n;
	int bad;

	if (!t->debrief) {
		ui_status(UI_INFO, "%s", _("The debrief is not loaded yet."));
		return UI_REDRAW;
	}
	f = export_open(t->back == V_ACTIONS ? "debrief-trainee" : "debrief");
	if (!f)
		return UI_REDRAW;
	n = debrief_csv(f, t->debrief, t->back == V_ACTIONS ? t->staff : 0);
	bad = fclose(f) != 0;
	if (n < 0 || bad)
		ui_status(UI_ERROR, "%s", _("The file could not be written completely; check the disk and try again."));
	else
		ui_status(UI_OK, _("Saved %lld rows (and the header) as CSV."), (long long)n);
	return UI_REDRAW;
}

/* ---------------------------------------------------------------- keys */

static void drill_into(training *t)
{
	size_t sel = list_selected(t->table);
	int i;
	db_session *s;

	if (sel == LIST_NONE || !t->room || sel >= (size_t)t->room->nrows)
		return;
	i = (int)sel;
	t->staff = db_rows_ll(t->room, i, TR_STAFF);
	snprintf(t->who, sizeof t->who, "%s (%s)", db_rows_get(t->room, i, TR_NAME), db_rows_get(t->room, i, TR_LOGIN));
	t->v = V_ACTIONS;
	db_rows_free(t->actions);
	t->actions = NULL;
	list_set_rows(t->alist, 0);
	s = app_report_session();
	if (!s || troom_actions(s, t->staff, t->since, actions_loaded, t) < 0)
		app_require_online();
}

static int open_action(training *t)
{
	size_t sel = list_selected(t->alist);
	int i;

	if (sel == LIST_NONE || !t->actions || sel >= (size_t)t->actions->nrows)
		return UI_HANDLED;
	i = (int)sel;
	if (!db_rows_null(t->actions, i, TA_APP))
		case_push(db_rows_ll(t->actions, i, TA_APP));
	else if (!db_rows_null(t->actions, i, TA_INQUIRY))
		inquiry_push(db_rows_ll(t->actions, i, TA_INQUIRY));
	else
		ui_status(UI_INFO, "%s", _("This action has no case or inquiry to open."));
	return UI_REDRAW;
}

static int in_debrief(const training *t)
{
	return t->v == V_DEBRIEF;
}

static int not_in_debrief(const training *t)
{
	return t->v != V_DEBRIEF;
}

static int exercise_running(const training *t)
{
	return t->ex && t->ex->nrows > 0;
}

static int exercise_startable(const training *t)
{
	return !exercise_running(t) && !tkid_running(&t->exk);
}

/* The room's own commands: what each runs, and when it is offered (NULL:
 * always), as tig's request table. */
static const struct tr_action {
	int cmd;
	int (*run)(training *t);
	int (*offered)(const training *t);
} tr_actions[] = {
	{ CMD_DEBRIEF, show_debrief, not_in_debrief },
	{ CMD_PRINT, print_debrief, in_debrief },
	{ CMD_EXPORT, export_debrief, in_debrief },
	{ CMD_EX_START, ask_exercise, exercise_startable },
	{ CMD_EX_END, ask_end, exercise_running },
	{ CMD_CLOCK, ask_clock, NULL },
	{ CMD_RESET, ask_reset, NULL },
	{ CMD_SIMULATE, ask_simulate, NULL },
};

static const struct tr_action *tr_action_of(int cmd)
{
	for (size_t i = 0; i < sizeof tr_actions / sizeof tr_actions[0]; i++)
		if (tr_actions[i].cmd == cmd)
			return &tr_actions[i];
	return NULL;
}

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	training *t = s->data;
	const struct tr_action *a = tr_action_of(cmd);
	int r;

	if (a)
		return a->run(t);
	switch (cmd) {
	case CMD_OPEN:
		if (t->v == V_ROOM) {
			drill_into(t);
			return UI_REDRAW;
		}
		if (t->v == V_ACTIONS)
			return open_action(t);
		return UI_HANDLED;
	case CMD_BACK:
		if (t->v == V_DEBRIEF) {
			t->v = t->back;
			return UI_REDRAW;
		}
		if (t->v == V_ACTIONS) {
			t->v = V_ROOM;
			return UI_REDRAW;
		}
		return UI_UNHANDLED;
	case CMD_REFRESH:
		load(t);
		return UI_UNHANDLED;
	case CMD_QUEUE:
	case CMD_INQUIRIES:
	case CMD_RATINGS:
	case CMD_OUTBOX:
		return app_goto(cmd);
	default:
		break;
	}
	if (t->v == V_DEBRIEF)
		return view_scroll(&t->dview, cmd) ? UI_REDRAW : UI_UNHANDLED;
	r = list_key(t->v == V_ROOM ? t->table : t->alist, cmd, ev);
	if (r == LIST_ACTIVATE)
		return key(s, CMD_OPEN, ev);
	return r == LIST_IGNORED ? UI_UNHANDLED : UI_REDRAW;
}

static int available(ui_screen *s, int cmd)
{
	const training *t = s->data;
	const struct tr_action *a = tr_action_of(cmd);

	if (a)
		return !a->offered || a->offered(t);
	if (cmd == CMD_QUEUE)
		return app_me() && app_me()->nwindows > 0;
	return 1;
}

/* -------------------------------------------------------------- drawing */

static void draw_head(training *t, WINDOW *w, int y, int cols)
{
	char buf[512];

	if (!t->ex) {
		view_loading(w, y, 0, cols, t->error);
	} else if (t->ex->nrows > 0) {
		snprintf(buf, sizeof buf, _("Exercise: %s   started %s (training time)   e: end it"),
		         db_rows_get(t->ex, 0, TX_TITLE), db_rows_get(t->ex, 0, TX_CLOCK_AT));
		term_put(w, y, 0, cols, TERM_HEADER, TEXT_PAD, buf);
	} else if (*t->ended && !tkid_running(&t->exk)) {
		snprintf(buf, sizeof buf, _("Exercise %s has ended: the room still counts from its start   e: another"),
		         t->ended);
		term_put(w, y, 0, cols, TERM_HEADER, TEXT_PAD, buf);
	} else {
		term_put(w, y, 0, cols, TERM_HEADER, TEXT_PAD,
		         tkid_running(&t->exk) ? _("Starting the exercise ...")
		                               : _("No exercise running: e chooses one; the room counts from today's start"));
	}
	if (tkid_running(&t->sim))
		snprintf(buf, sizeof buf, _("Simulation %s: %s   %s"), t->sim.paused ? _("paused") : _("running"),
		         t->sim_what, t->sim.line);
	else
		snprintf(buf, sizeof buf, "%s", _("Simulation: not running (s starts it)"));
	term_put(w, y + 1, 0, cols, tkid_running(&t->sim) && !t->sim.paused ? TERM_OK : TERM_DIM, TEXT_PAD, buf);
}

static void draw(ui_screen *s, WINDOW *w)
{
	training *t = s->data;
	int lines, cols, y = 0;
	struct timespec a, b;
	char buf[512];

	clock_gettime(CLOCK_MONOTONIC, &a);
	getmaxyx(w, lines, cols);
	werase(w);
	draw_head(t, w, y, cols);
	y += 2;
	if (t->v == V_DEBRIEF) {
		term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, debrief_title(t, buf, sizeof buf));
		if (t->dview.width != cols) {
			t->dview.width = cols;
			debrief_view(&t->dview, t->debrief, t->back == V_ACTIONS ? t->staff : 0);
		}
		if (!t->debrief)
			view_loading(w, y, 0, cols, NULL);
		else
			view_draw(&t->dview, w, y, lines - y, cols);
	} else if (t->v == V_ACTIONS) {
		snprintf(buf, sizeof buf, _("Actions of %s in order (Enter: the case; b: their debrief)"), t->who);
		term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, buf);
		list_set_empty_text(t->alist, !t->actions ? _("Loading...") : _("No action since the exercise began."));
		list_draw(t->alist, w, y, 0, lines - y, cols);
	} else {
		snprintf(buf, sizeof buf, _("Trainees: %d (Enter: their actions; b: the class's debrief)"),
		         t->room ? t->room->nrows : 0);
		term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, buf);
		list_set_empty_text(t->table, t->room ? _("No trainee has logged in or acted yet.")
		                                      : *t->error ? t->error : _("Loading..."));
		list_draw(t->table, w, y, 0, lines - y, cols);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (bench_on()) {
		char us[32];
		snprintf(us, sizeof us, "%ld", (long)((b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000));
		bench_mark("training_draw_us", us);
	}
}

/* ---------------------------------------------------------------- life */

static void focus(ui_screen *s, int focused)
{
	if (focused)
		load(s->data);
}

static int open_screen(ui_screen *s)
{
	training *t = s->data;
	db_session *db = app_db();

	t->table = list_new(room_cols, RC_N, &room_source, t);
	t->alist = list_new(act_cols, AC_N, &act_source, t);
	view_init(&t->dview, 8);
	t->sim.fd = t->exk.fd = -1;
	ui_screen_title(s, _("Training room (培训室)"));
	app_watch_db(db_state_changed, t);
	app_watch_report(report_moved, t);
	if (db) {
		db_session_listen(db, "hall_queue", notified, t);
		db_session_listen(db, "hall_inquiries", notified, t);
		db_session_listen(db, "hall_ratings", notified, t);
		db_session_listen(db, "hall_training", notified, t);
	}
	load(t);
	return 0;
}

static void close_screen(ui_screen *s)
{
	training *t = s->data;

	if (!t)
		return;
	tkid_forget(&t->sim);
	tkid_forget(&t->exk);
	loop_timer_cancel(t->live_timer);
	loop_timer_cancel(t->reload_timer);
	if (app_db())
		db_session_unlisten(app_db(), t);
	app_forget(t);
	app_unwatch_db(t);
	db_rows_free(t->room);
	db_rows_free(t->actions);
	db_rows_free(t->debrief);
	db_rows_free(t->ex);
	list_free(t->table);
	list_free(t->alist);
	view_free(&t->dview);
	free(t);
	s->data = NULL;
}

const ui_screen_ops training_ops = {
	.name = "training",
	.keybar = tr_keybar,
	.commands = tr_commands,
	.available = available,
	.open = open_screen,
	.draw = draw,
	.key = key,
	.focus = focus,
	.close = close_screen,
};

void *training_new(void)
{
	return x_calloc(1, sizeof(training));
}
