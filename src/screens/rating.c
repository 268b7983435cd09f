/* screens/rating.c - one bad rating (差评) in full: what was rated, by whom
 * it was earned, the comment, the steps of its rectification (verify,
 * rectify, call back) with their deadlines and notes, and the appeal.
 *
 * A supervisor opens it from the dashboard and records steps (s) and
 * judges an appeal (d); the rated clerk may record steps, appeal (p) and
 * withdraw the appeal while it waits (w) here too (the clerk's own list is "My ratings", which uses the same
 * dialogs).  The database decides who may do what: a refusal shows its
 * reason and changes nothing on screen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/rectify.h"
#include "screens/app.h"
#include "screens/screens.h"
#include "screens/view.h"
#include "ui/dialog.h"
#include "ui/loop.h"
#include "ui/term.h"

typedef struct rating_screen {
	long long id;
	rating_detail *d;
	char error[512];
	int loading;
	view v;
	int built_width, dirty;
} rating_screen;

static const int rating_keybar_supervisor[] = { CMD_STEP, CMD_JUDGE, CMD_BACK, CMD_NONE };
static const int rating_keybar_clerk[] = { CMD_STEP, CMD_APPEAL, CMD_WITHDRAW, CMD_BACK, CMD_NONE };
static const int rating_commands[] = { CMD_REFRESH, CMD_NONE };

/* ------------------------------------------------------------ the dialogs */

static char *ask_text(const char *title, const char *about, const char *label)
{
	char prompt[1024];

	snprintf(prompt, sizeof prompt, "%s\n%s", about ? about : "", label);
	return dialog_prompt(title, prompt, NULL, 1000, DIALOG_REQUIRED);
}

int rating_ask_appeal(long long rating_id, const char *about, db_reply_fn fn, void *ctx)
{
	char *reason;
	int sent = 0;

	if (!app_require_online())
		return 0;
	reason = ask_text(_("Appeal the bad rating (申诉)"), about,
	                  _("Why is this rating malicious or mistaken? (your supervisor judges it)"));
	if (reason && app_require_online())
		sent = rectify_appeal(app_db(), rating_id, reason, fn, ctx) == 0;
	free(reason);
	return sent;
}

int rating_ask_step(long long rating_id, const char *about, int done_steps, db_reply_fn fn, void *ctx)
{
	static const struct {
		const char *code, *label;
		int bit;
	} steps[] = {
		{ "verify", N_("Verify: what really happened"), RATING_VERIFIED },
		{ "rectify", N_("Rectify: what was put right"), RATING_RECTIFIED },
		{ "callback", N_("Call back: what the rater said"), RATING_CALLED_BACK },
	};
	const char *items[3];
	int codes[3], n = 0;
	long pick;
	char *note;
	int sent = 0;

	if (!app_require_online())
		return 0;
	for (int i = 0; i < 3; i++)
		if (!(done_steps & steps[i].bit)) {
			items[n] = _(steps[i].label);
			codes[n++] = i;
		}
	if (n == 0) {
		ui_status(UI_INFO, "%s", _("Every step of this rectification is recorded."));
		return 0;
	}
	pick = dialog_choose(_("Record a rectification step (整改)"), items, (size_t)n, 0);
	if (pick < 0)
		return 0;
	note = ask_text(_("Record a rectification step (整改)"), about, _(steps[codes[pick]].label));
	if (note && app_require_online())
		sent = rectify_step(app_db(), rating_id, steps[codes[pick]].code, note, fn, ctx) == 0;
	free(note);
	return sent;
}

int rating_ask_judge(long long rating_id, const char *about, db_reply_fn fn, void *ctx)
{
	const char *items[2] = { _("Uphold: the rating no longer counts"), _("Dismiss: the rating still counts") };
	long pick;
	char *note;
	int sent = 0;

	if (!app_require_online())
		return 0;
	pick = dialog_choose(_("Judge the appeal (裁决申诉)"), items, 2, 0);
	if (pick < 0)
		return 0;
	note = ask_text(pick == 0 ? _("Uphold the appeal") : _("Dismiss the appeal"), about,
	                _("Note for the record (the clerk reads it):"));
	if (note && app_require_online())
		sent = rectify_judge(app_db(), rating_id, pick == 0, note, fn, ctx) == 0;
	free(note);
	return sent;
}

/* ------------------------------------------------------------- loading */

static void load(rating_screen *r);

static void loaded(void *ctx, rating_detail *d, const db_reply *reply)
{
	rating_screen *r = ctx;

	r->loading = 0;
	if (d) {
		rating_detail_free(r->d);
		r->d = d;
		r->error[0] = '\0';
	} else if (reply->status == DB_OK) {
		snprintf(r->error, sizeof r->error, "%s", _("This rating is not (or no longer) visible to you."));
	} else if (reply->error) {
		app_refusal_text(reply, r->error, sizeof r->error);
	}
	r->dirty = 1;
	ui_redraw();
}

static void load(rating_screen *r)
{
	if (r->loading || !app_online())
		return;
	if (rectify_get(app_db(), r->id, loaded, r) == 0)
		r->loading = 1;
}

static void db_state_changed(void *ctx, db_state st)
{
	rating_screen *r = ctx;

	if (st == DB_READY) {
		r->loading = 0;
		load(r);
	}
}

static void acted(void *ctx, const db_reply *reply)
{
	rating_screen *r = ctx;

	if (reply->status == DB_OK)
		ui_status(UI_OK, "%s", _("Recorded."));
	else
		app_show_error(_("Bad rating"), reply);
	r->loading = 0;
	load(r);
}

/* ------------------------------------------------------------- drawing */

static const char *level_name(int level)
{
	static const char *const names[6] = {
		"", N_("very dissatisfied"), N_("dissatisfied"), N_("fairly satisfied"), N_("satisfied"),
		N_("very satisfied"),
	};
	return level >= 1 && level <= 5 ? _(names[level]) : "";
}

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
	view_add(v, 0, role, what, buf);
	if (*note)
		view_add_wrapped(v, 2, TERM_NORMAL, "", note);
}

static const char *appeal_name(const char *state)
{
	if (strcmp(state, "pending") == 0)
		return _("appeal waiting");
	if (strcmp(state, "upheld") == 0)
		return _("appeal upheld");
	if (strcmp(state, "dismissed") == 0)
		return _("appeal dismissed");
	return _("not appealed");
}

static void build(rating_screen *r, int cols)
{
	view *v = &r->v;
	const rating_detail *d = r->d;
	char buf[512];

	view_clear(v);
	v->width = cols;
	r->built_width = cols;
	r->dirty = 0;
	if (!d)
		return;
	view_add(v, 0, TERM_NORMAL, _("About"), d->target);
	snprintf(buf, sizeof buf, "%s (%s)", d->staff_name, d->staff_login);
	view_add(v, 0, TERM_NORMAL, _("Staff"), buf);
	snprintf(buf, sizeof buf, "%d %s", d->level, level_name(d->level));
	view_add(v, 0, d->level <= 2 ? TERM_WARN : TERM_NORMAL, _("Rating"), buf);
	view_add(v, 0, TERM_NORMAL, _("Rated at"), d->rated_at);
	view_add(v, 0, d->counts ? TERM_NORMAL : TERM_DIM, _("Counts"),
	         d->counts ? _("yes") : _("no (appeal upheld)"));
	view_add_wrapped(v, 0, TERM_NORMAL, _("Comment"), *d->comment ? d->comment : _("(no comment)"));
	if (d->bad) {
		view_add_blank(v);
		view_add_heading(v, *d->closed_at ? _("Rectification (closed)") : _("Rectification"));
		add_step(v, _("verify"), d->verified_at, "", 0, d->verify_note);
		add_step(v, _("call back"), d->callback_at, d->callback_due, d->callback_late, d->callback_note);
		add_step(v, _("rectify"), d->rectified_at, d->rectify_due, d->rectify_late, d->rectify_note);
	}
	view_add_blank(v);
	view_add_heading(v, _("Appeal (申诉)"));
	view_add(v, 0, strcmp(d->appeal_state, "pending") == 0 ? TERM_WARN : TERM_NORMAL, _("State"),
	         appeal_name(d->appeal_state));
	if (*d->appeal_state) {
		view_add(v, 0, TERM_NORMAL, _("Appealed at"), d->appeal_at);
		view_add_wrapped(v, 0, TERM_NORMAL, _("Reason"), d->appeal_reason);
	}
	if (*d->appeal_judged_at) {
		view_add(v, 0, TERM_NORMAL, _("Judged at"), d->appeal_judged_at);
		view_add_wrapped(v, 0, TERM_NORMAL, _("Note"), d->appeal_note);
	}
}

static void draw(ui_screen *s, WINDOW *w)
{
	rating_screen *r = s->data;
	int lines, cols;

	getmaxyx(w, lines, cols);
	werase(w);
	if (!r->d) {
		view_loading(w, 1, 2, cols - 4, r->error);
		return;
	}
	if (r->dirty || r->built_width != cols)
		build(r, cols);
	view_draw(&r->v, w, 0, lines, cols);
}

/* ---------------------------------------------------------------- keys */

static int done_steps(const rating_detail *d)
{
	return (*d->verified_at ? RATING_VERIFIED : 0) | (*d->rectified_at ? RATING_RECTIFIED : 0)
	       | (*d->callback_at ? RATING_CALLED_BACK : 0);
}

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	rating_screen *r = s->data;
	char about[512];

	(void)ev;
	if (view_scroll(&r->v, cmd))
		return UI_REDRAW;
	if (cmd == CMD_REFRESH) {
		r->loading = 0;
		load(r);
		return UI_UNHANDLED;
	}
	if (cmd != CMD_STEP && cmd != CMD_JUDGE && cmd != CMD_APPEAL && cmd != CMD_WITHDRAW)
		return UI_UNHANDLED;
	if (!r->d)
		return UI_HANDLED;
	/* Copied: a reload may replace r->d while a dialog is open. */
	snprintf(about, sizeof about, "%d %s  %s", r->d->level, level_name(r->d->level), r->d->target);
	if (cmd == CMD_STEP) {
		if (!r->d->bad || *r->d->closed_at) {
			ui_status(UI_INFO, "%s", _("This rating has no open rectification."));
			return UI_REDRAW;
		}
		rating_ask_step(r->id, about, done_steps(r->d), acted, r);
	} else if (cmd == CMD_JUDGE) {
		rating_ask_judge(r->id, about, acted, r);
	} else if (cmd == CMD_WITHDRAW) {
		if (strcmp(r->d->appeal_state, "pending") != 0) {
			ui_status(UI_INFO, "%s", *r->d->appeal_state
			                             ? _("The appeal of this rating was already judged: it can no longer be withdrawn.")
			                             : _("This rating has no appeal to withdraw."));
			return UI_REDRAW;
		}
		if (dialog_confirm(_("Withdraw the appeal (撤回申诉)"),
		                   _("Withdraw your appeal of this rating? You may appeal it again later."))
		    && app_require_online())
			rectify_withdraw(app_db(), r->id, acted, r);
	} else {
		rating_ask_appeal(r->id, about, acted, r);
	}
	return UI_REDRAW;
}

/* ---------------------------------------------------------------- life */

static int open_screen(ui_screen *s)
{
	rating_screen *r = s->data;

	view_init(&r->v, 12);
	ui_screen_title(s, _("Bad rating (差评)"));
	app_watch_db(db_state_changed, r);
	load(r);
	return 0;
}

static void focus(ui_screen *s, int focused)
{
	if (focused)
		load(s->data);
}

static void close_screen(ui_screen *s)
{
	rating_screen *r = s->data;

	if (!r)
		return;
	if (app_db())
		db_session_forget(app_db(), r);
	app_unwatch_db(r);
	rating_detail_free(r->d);
	view_free(&r->v);
	free(r);
	s->data = NULL;
}

static const ui_screen_ops rating_ops_supervisor = {
	.name = "rating",
	.keybar = rating_keybar_supervisor,
	.commands = rating_commands,
	.open = open_screen,
	.draw = draw,
	.key = key,
	.focus = focus,
	.close = close_screen,
};

static const ui_screen_ops rating_ops_clerk = {
	.name = "rating",
	.keybar = rating_keybar_clerk,
	.commands = rating_commands,
	.open = open_screen,
	.draw = draw,
	.key = key,
	.focus = focus,
	.close = close_screen,
};

ui_screen *rating_push(long long rating_id)
{
	rating_screen *r = x_calloc(1, sizeof *r);

	r->id = rating_id;
	/* The trainer sees the supervisor's keys (the database refuses them). */
	return ui_push(app_is_clerk() ? &rating_ops_clerk : &rating_ops_supervisor, r);
}
