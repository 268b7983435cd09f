/* screens/case.c - one case in full, and what a clerk (or a supervisor, on
 * an escalated case or one with an extension request waiting) can do with
 * it.
 *
 * Four reads (hall.v_case, its materials, its returns, its history) fill
 * the page; every action is one function of the database.  Nothing on the
 * screen changes until the database has answered: after an action - done
 * or refused - the case is read again, so the screen shows what the
 * database holds, and a refusal shows the database's own reason.
 *
 * Dialogs run nested loops, so they are opened from key handlers or from
 * one-shot timers, never from inside a database callback (the session is
 * not re-entrant).  Data a dialog sequence needs is copied first: a NOTIFY
 * may reload the case while a dialog is open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/cases.h"
#include "screens/app.h"
#include "screens/notice.h"
#include "screens/bench.h"
#include "screens/screens.h"
#include "screens/casefront.h"
#include "screens/supx.h"
#include "screens/view.h"
#include "ui/dialog.h"
#include "ui/loop.h"
#include "ui/term.h"


/* A return being prepared: what the clerk chose, kept across the preview
 * and a possible breach-reason round trip. */
typedef struct pending_return {
	int *ids;
	int nids;
	char *defects;
	char *notice;       /* the preview from the database */
	char *breach_reason;
} pending_return;

typedef struct case_screen {
	long long id;
	case_detail *d;
	case_materials *m;
	case_history *h;
	case_returns *r;
	char *revealed;     /* the full ID number, after a logged reveal */
	char error[512];
	int loading;        /* reads on the wire */
	int reload_wanted;
	unsigned reload_timer;
	unsigned dialog_timer;
	long long last_reload_ms;
	int announce_due;   /* an extension was granted: say the new due date once reloaded */
	int explain_stale;  /* an action found the case changed: say by whom once reloaded */
	const struct case_action *retry_action; /* refused for its text: ask again ... */
	char *retry_text;   /* ... with what was typed */
	char *retry_why;    /* ... and why it was refused */
	char *ext_days, *ext_reason; /* an extension request on the wire, kept if refused */
	unsigned retry_timer;
	pending_return *ret;
	view v;
	int built_width;
	int dirty;          /* rebuild the lines */
	int shown;          /* for --bench */
	supx sx;            /* 督办 flag, reassignment */
	casefront cf;       /* how it was received: 容缺, 告知承诺, the notice */
} case_screen;

/* Every key the case screen has, most important first; case_available()
 * decides which apply to this case now and to this user (the key bar shows
 * only those).  Several share a key: a is the clerk's approve and the
 * supervisor's grant on an escalated case, t asks for or decides an
 * extension. */
static const int case_keybar[] = { CMD_APPROVE, CMD_RETURN, CMD_CLAIM, CMD_DECIDE_APPROVE, CMD_DECIDE_BACK,
                                   CMD_DECIDE_REJECT, CMD_EXT_DECIDE, CMD_ESCALATE, CMD_REJECT, CMD_EXTEND,
                                   CMD_RELEASE, CMD_ANSWER_FLAG, CMD_REASSIGN, CMD_FLAG, CMD_REVEAL,
                                   CMD_SUPPLY, CMD_CHECK, CMD_PRINT_NOTICE, CMD_BACK, CMD_NONE };
static const int case_commands[] = { CMD_REFRESH, CMD_NONE };

static void reload(case_screen *c);
static void supx_reload(void *owner);
static int state_is(const case_detail *d, const char *state);
static void say_stale(case_screen *c);

/* ----------------------------------------------------------- loading */

static void part_done(case_screen *c, const db_reply *reply)
{
	if (reply->status != DB_OK)
		app_refusal_text(reply, c->error, sizeof c->error);
	if (c->loading > 0)
		c->loading--;
	c->dirty = 1;
	ui_redraw();
}

static void detail_loaded(void *ctx, case_detail *d, const db_reply *reply)
{
	case_screen *c = ctx;

	if (d) {
		case_detail_free(c->d);
		c->d = d;
		c->error[0] = '\0';
		if (c->announce_due) {
			c->announce_due = 0;
			ui_status(UI_OK, _("Extension granted: the case is now due %s; the applicant is told."),
			          *d->due_date ? d->due_date : "-");
		}
		supx_load(&c->sx, d->case_no,
		          (state_is(d, "submitted") || state_is(d, "in_review") ? SUPX_OPEN | SUPX_REASSIGNABLE : 0)
		              | (state_is(d, "returned") || state_is(d, "escalated") ? SUPX_OPEN : 0));
	} else if (reply->status == DB_OK) {
		snprintf(c->error, sizeof c->error, "%s", _("This case is not (or no longer) visible to you."));
	}
	part_done(c, reply);
}

static void materials_loaded(void *ctx, case_materials *m, const db_reply *reply)
{
	case_screen *c = ctx;

	if (m) {
		case_materials_free(c->m);
		c->m = m;
	}
	part_done(c, reply);
}

static void returns_loaded(void *ctx, case_returns *r, const db_reply *reply)
{
	case_screen *c = ctx;

	if (r) {
		case_returns_free(c->r);
		c->r = r;
	}
	part_done(c, reply);
}

static void history_loaded(void *ctx, case_history *h, const db_reply *reply)
{
	case_screen *c = ctx;

	if (h) {
		case_history_free(c->h);
		c->h = h;
	}
	part_done(c, reply);
	if (c->reload_wanted && !c->loading)
		reload(c);
	else if (c->explain_stale && !c->loading)
		say_stale(c);
}

static void supx_reload(void *owner)
{
	case_screen *c = owner;

	if (c->loading)
		c->reload_wanted = 1;
	else
		reload(c);
}

static void reload(case_screen *c)
{
	db_session *s = app_db();

	c->reload_wanted = 0;
	if (c->loading || !app_online())
		return;
	c->last_reload_ms = loop_now_ms();
	c->loading = 4;
	if (cases_get(s, c->id, detail_loaded, c) < 0) {
		c->loading = 0;
		return;
	}
	cases_materials(s, c->id, materials_loaded, c);
	cases_returns(s, c->id, returns_loaded, c);
	cases_history(s, c->id, history_loaded, c);
	/* The front desk's part needs only the id: asked with the rest, not
	 * after the case has come (supervision needs its number and state). */
	casefront_load(&c->cf);
}

static void reload_fired(void *ctx)
{
	case_screen *c = ctx;

	c->reload_timer = 0;
	if (c->loading)
		c->reload_wanted = 1;
	else
		reload(c);
}

static void schedule_reload(case_screen *c)
{
	long long wait = c->last_reload_ms + app_refresh_ms() - loop_now_ms();

	if (c->reload_timer)
		return;
	c->reload_timer = loop_timer(wait > 0 ? (int)wait : 0, 0, reload_fired, c);
}

/* A case of this window changed: it may be this one. */
static void case_notified(void *ctx, const char *window)
{
	case_screen *c = ctx;

	if (!*window || !c->d || strcmp(window, c->d->window_code) == 0)
		schedule_reload(c);
}

static void case_db_state(void *ctx, db_state st)
{
	case_screen *c = ctx;

	if (st == DB_READY) {
		c->loading = 0;
		reload(c);
	}
}

/* ----------------------------------------------------------- drawing */

/* Who did it, for the history: a login that is not staff is the public. */
static const char *actor_name(const char *actor)
{
	if (strstr(actor, "portal"))
		return _("online applicant");
	return actor;
}

static const char *material_status(const char *s)
{
	if (strcmp(s, "submitted") == 0)
		return _("provided");
	if (strcmp(s, "missing") == 0)
		return _("missing");
	if (strcmp(s, "defective") == 0)
		return _("defective");
	if (strcmp(s, "resubmitted") == 0)
		return _("resubmitted");
	if (strcmp(s, "deferred") == 0)
		return _("容缺 (later)");
	if (strcmp(s, "committed") == 0)
		return _("告知承诺");
	if (strcmp(s, "not_applicable") == 0)
		return _("not applicable");
	return s;
}

static void build(case_screen *c, int cols)
{
	view *v = &c->v;
	const case_detail *d = c->d;
	char buf[1024], days[32];
	int role;

	view_clear(v);
	v->width = cols;
	c->built_width = cols;
	c->dirty = 0;
	if (!d)
		return;
	snprintf(buf, sizeof buf, "%s   %s", d->case_no, app_state_name(d->state));
	view_add(v, 0, TERM_HEADER, _("Case no."), buf);
	supx_lines(&c->sx, v);
	casefront_lines(&c->cf, v);
	if (*d->claimed_name)
		snprintf(buf, sizeof buf, "%s (%s)%s", d->claimed_name, d->claimed_login, d->mine ? _(" - you") : "");
	else
		snprintf(buf, sizeof buf, "%s", _("nobody"));
	view_add(v, 0, d->mine ? TERM_OK : TERM_NORMAL, _("Claimed by"), buf);
	snprintf(buf, sizeof buf, "%s  (%s, %s)", d->item_name, d->item_code, d->item_category);
	view_add(v, 0, TERM_NORMAL, _("Item"), buf);
	snprintf(buf, sizeof buf, _("%d working days promised"), d->promised_days);
	view_add(v, 0, TERM_NORMAL, "", buf);
	snprintf(buf, sizeof buf, "%s  (%s)", d->applicant_name,
	         strcmp(d->applicant_kind, "entity") == 0 ? _("legal entity") : _("person"));
	view_add(v, 0, TERM_NORMAL, _("Applicant"), buf);
	if (c->revealed)
		snprintf(buf, sizeof buf, _("%s  (revealed; this was logged)"), c->revealed);
	else
		snprintf(buf, sizeof buf, _("%s  (masked; v reveals it, with a reason)"), d->id_masked);
	view_add(v, 0, c->revealed ? TERM_WARN : TERM_NORMAL, _("ID number"), buf);
	view_add(v, 0, TERM_NORMAL, _("Phone"), d->phone_masked);
	snprintf(buf, sizeof buf, "%s %s, %s  ·  %s", d->window_code, d->window_name, d->department_name,
	         app_channel_name(d->channel));
	view_add(v, 0, TERM_NORMAL, _("Window"), buf);
	snprintf(buf, sizeof buf, _("received %s, to be accepted by %s"), d->received_at, d->accept_due);
	view_add(v, 0, TERM_NORMAL, _("Received"), buf);
	if (*d->accepted_on) {
		snprintf(buf, sizeof buf, "%s%s", d->accepted_on, d->accepted_late ? _(" (late: clock counts from receipt)") : "");
		view_add(v, 0, d->accepted_late ? TERM_WARN : TERM_NORMAL, _("Accepted"), buf);
	}
	app_days_cell(days, sizeof days, d->has_days_left, d->days_left, d->urgency, &role);
	if (strcmp(d->urgency, "closed") == 0)
		snprintf(buf, sizeof buf, "%s", *d->due_date ? d->due_date : "-");
	else if (!d->has_days_left)
		snprintf(buf, sizeof buf, _("%s  (clock paused while returned)"), *d->due_date ? d->due_date : "-");
	else if (d->days_left < 0)
		snprintf(buf, sizeof buf, _("%s  %s OVERDUE by %d working days"), d->deadline, days, -d->days_left);
	else
		snprintf(buf, sizeof buf, _("%s  %s working days left"), d->deadline, days);
	if (strcmp(d->urgency, "closed") == 0 && d->completed_late) {
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "  %s", _("completed late (超期办结)"));
		role = TERM_OVERDUE;
	} else if (strcmp(d->urgency, "closed") == 0) {
		role = TERM_NORMAL;
	} else if (d->returned_overdue) {
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "  %s", _("!! it was already overdue when returned"));
		role = TERM_OVERDUE;
	}
	/* Two deadlines, two names: acceptance (受理) until the case is
	 * accepted, completion (办结) after. */
	view_add(v, 0, role, *d->accepted_on || strcmp(d->urgency, "closed") == 0 ? _("Finish by") : _("Accept by"), buf);
	if (*d->due_explain)
		view_add_wrapped(v, 0, TERM_DIM, "", d->due_explain);
	if (*d->escalation_reason) {
		snprintf(buf, sizeof buf, _("%s (supervisor to decide by %s)"), d->escalation_reason,
		         *d->escalation_due ? d->escalation_due : "-");
		view_add_wrapped(v, 0, TERM_WARN, _("Escalated"), buf);
	}
	if (d->extension_pending_days > 0) {
		snprintf(buf, sizeof buf, _("%d working days asked: %s (waiting for the supervisor)"),
		         d->extension_pending_days, d->extension_pending_reason);
		view_add_wrapped(v, 0, TERM_WARN, _("Extension"), buf);
		if (*d->extension_due_if_granted) {
			snprintf(buf, sizeof buf, _("if granted, due %s instead of %s"), d->extension_due_if_granted,
			         *d->due_date ? d->due_date : "-");
			view_add(v, 0, TERM_WARN, "", buf);
		}
	}
	if (*d->closed_at) {
		snprintf(buf, sizeof buf, "%s %s %s", d->closed_at, d->closed_name, d->decision_note);
		view_add_wrapped(v, 0, TERM_NORMAL, _("Decided"), buf);
	}

	view_add_blank(v);
	view_add_heading(v, _("Materials"));
	if (c->m) {
		for (int i = 0; i < c->m->n; i++) {
			const case_material *m = &c->m->rows[i];
			int bad = strcmp(m->status, "missing") == 0 || strcmp(m->status, "defective") == 0;
			snprintf(buf, sizeof buf, "%s%s", m->name, m->required ? "" : _(" (optional)"));
			view_add(v, 2, bad ? TERM_WARN : TERM_NORMAL, material_status(m->status), buf);
		}
		if (c->m->n == 0)
			view_add(v, 2, TERM_DIM, NULL, _("(no materials listed for this item)"));
	}

	if (c->r && c->r->n > 0) {
		view_add_blank(v);
		view_add_heading(v, d->return_count > 1 ? _("Returns (this case was returned more than once)") : _("Returns"));
		for (int i = 0; i < c->r->n; i++) {
			const case_return *x = &c->r->rows[i];
			snprintf(buf, sizeof buf, _("#%d  %s  by %s%s"), x->seq, x->returned_at, x->staff_name,
			         *x->resubmitted_at ? _(", resubmitted") : "");
			view_add(v, 0, x->breach ? TERM_OVERDUE : TERM_NORMAL, NULL, buf);
			if (x->breach) {
				snprintf(buf, sizeof buf, _("breaks the one-time notice: %s"), x->breach_reason);
				view_add_wrapped(v, 2, TERM_OVERDUE, NULL, buf);
			}
			view_add_wrapped(v, 2, TERM_NORMAL, NULL, x->notice);
		}
	}

	view_add_blank(v);
	view_add_heading(v, _("History"));
	if (c->h) {
		for (int i = 0; i < c->h->n; i++) {
			const case_event *e = &c->h->rows[i];
			/* The arrow only when the state moved (an extension or a
			 * decision note leaves it where it was). */
			int moved = *e->to_state && strcmp(e->to_state, e->from_state) != 0;

			snprintf(buf, sizeof buf, "%s  %s  %s%s%s", e->at,
			         *e->staff_name ? e->staff_name : actor_name(e->actor), app_action_name(e->action),
			         moved ? "  → " : "", moved ? app_state_name(e->to_state) : "");
			view_add(v, 0, TERM_NORMAL, NULL, buf);
			if (*e->note)
				view_add_wrapped(v, 4, TERM_DIM, NULL, e->note);
		}
	}
}

static void case_draw(ui_screen *s, WINDOW *w)
{
	case_screen *c = s->data;
	int lines, cols;

	getmaxyx(w, lines, cols);
	werase(w);
	if (!c->d) {
		view_loading(w, 1, 2, cols - 4, c->error);
		return;
	}
	if (c->sx.changed || c->cf.changed) {
		c->sx.changed = c->cf.changed = 0;
		c->dirty = 1;
	}
	if (c->dirty || c->built_width != cols)
		build(c, cols);
	view_draw(&c->v, w, 0, lines, cols);
	if (!c->shown && !c->loading) {
		c->shown = 1;
		bench_mark("case_shown", c->d->case_no);
	}
}

/* ----------------------------------------------------------- actions */

/* The words of a refusal, for a dialog that asks again. */
static const char *refusal_words(const db_reply *r, char *buf, size_t n)
{
	return app_refusal_text(r, buf, n);
}


static void action_done(case_screen *c, const char *what, const char *ok, const db_reply *reply)
{
	if (reply->status == DB_OK)
		ui_status(UI_OK, "%s", ok);
	else if (reply->status == DB_FAILED && strcmp(reply->sqlstate, "55000") == 0)
		c->explain_stale = 1; /* said once the case is read again: by whom, and its state now */
	else
		app_show_error(what, reply);
	/* Done or refused, show what the database now holds - at once, not
	 * throttled like the reloads a NOTIFY asks for. */
	if (c->loading)
		c->reload_wanted = 1;
	else
		reload(c);
}

/* The case was read again after a stale action: who changed it last, and
 * what it is now. */
static void say_stale(case_screen *c)
{
	const case_event *e = c->h && c->h->n > 0 ? &c->h->rows[c->h->n - 1] : NULL;

	c->explain_stale = 0;
	if (!c->d)
		return;
	if (e)
		ui_status(UI_WARN, _("%s changed this case first (%s %s): it is now %s. Nothing was done; the screen shows "
		                     "it as it is now."),
		          *e->staff_name ? e->staff_name : actor_name(e->actor), e->at, app_action_name(e->action),
		          app_state_name(c->d->state));
	else
		ui_status(UI_WARN, _("This case changed meanwhile: it is now %s. Nothing was done; the screen shows it as "
		                     "it is now."),
		          app_state_name(c->d->state));
}

static void ext_granted(void *ctx, const db_reply *r)
{
	case_screen *c = ctx;

	/* The new due date is the database's: say it once the case is read
	 * again (the reload goes out after this answer, so it sees it). */
	if (r->status == DB_OK)
		c->announce_due = 1;
	action_done(c, _("Extension decision"), _("Extension granted."), r);
}

static void ext_refused(void *ctx, const db_reply *r)
{
	action_done(ctx, _("Extension decision"), _("Extension refused; the due date does not move."), r);
}

static void revealed(void *ctx, const char *text, const db_reply *reply)
{
	case_screen *c = ctx;

	if (!text) {
		app_show_error(_("Reveal"), reply);
		return;
	}
	free(c->revealed);
	c->revealed = x_strdup(text);
	c->dirty = 1;
	ui_status(UI_WARN, "%s", _("Full ID number shown; the reveal and its reason are in the audit log."));
	ui_redraw();
}

static void pending_free(pending_return *p)
{
	if (!p)
		return;
	free(p->ids);
	free(p->defects);
	free(p->notice);
	free(p->breach_reason);
	free(p);
}

static void send_return(case_screen *c);

/* After a refusal that wants a breach reason: ask for it (from a timer). */
static void ask_breach_reason(void *ctx)
{
	case_screen *c = ctx;
	char *reason;

	c->dialog_timer = 0;
	if (!c->ret)
		return;
	reason = dialog_prompt(_("Second return: breach of the one-time notice"),
	                       _("These materials were not resubmitted since the last return, so naming them now "
	                         "breaks the one-time notice (最多跑一次) and is counted. Give the reason, or Esc to cancel:"),
	                       NULL, 500, DIALOG_REQUIRED | DIALOG_MULTILINE);
	if (!reason) {
		ui_status(UI_INFO, "%s", _("Return cancelled; nothing was sent."));
		pending_free(c->ret);
		c->ret = NULL;
		return;
	}
	c->ret->breach_reason = reason;
	send_return(c);
}

static void return_done(void *ctx, const db_reply *reply)
{
	case_screen *c = ctx;

	if (cases_is_breach_refusal(reply) && c->ret && !c->ret->breach_reason) {
		char why[512];

		ui_status(UI_WARN, "%s", app_refusal_text(reply, why, sizeof why));
		c->dialog_timer = loop_timer(0, 0, ask_breach_reason, c);
		return;
	}
	pending_free(c->ret);
	c->ret = NULL;
	action_done(c, _("Return"), _("Case returned; the applicant gets the one-time notice."), reply);
}

static void send_return(case_screen *c)
{
	if (!app_require_online())
		return;
	if (cases_return(app_db(), c->id, c->ret->ids, c->ret->nids, c->ret->defects, c->ret->breach_reason,
	                 return_done, c) < 0) {
		pending_free(c->ret);
		c->ret = NULL;
	}
}

/* The preview is in: show it and ask (from a timer, not the callback). */
static void confirm_return(void *ctx)
{
	case_screen *c = ctx;
	char *question;
	int yes;

	c->dialog_timer = 0;
	if (!c->ret)
		return;
	question = x_asprintf("%s\n\n%s", c->ret->notice, _("Send this return to the applicant?"));
	yes = dialog_confirm(_("One-time notice (一次性告知)"), question);
	free(question);
	if (!yes) {
		ui_status(UI_INFO, "%s", _("Return cancelled; nothing was sent."));
		pending_free(c->ret);
		c->ret = NULL;
		return;
	}
	send_return(c);
}

static void preview_loaded(void *ctx, const char *text, const db_reply *reply)
{
	case_screen *c = ctx;

	if (!c->ret)
		return;
	if (!text) {
		app_show_error(_("Return"), reply);
		pending_free(c->ret);
		c->ret = NULL;
		return;
	}
	c->ret->notice = x_strdup(text);
	c->dialog_timer = loop_timer(0, 0, confirm_return, c);
}

static int start_return(case_screen *c)
{
	const case_materials *m;
	char **labels;
	unsigned char *checked;
	char *defects;
	int n, k = 0, *ids, ok;

	if (!c->m || !c->d)
		return UI_HANDLED;
	if (c->ret) {
		ui_status(UI_INFO, "%s", _("A return is already being prepared."));
		return UI_REDRAW;
	}
	if (c->d->return_count > 0) {
		char *q = x_asprintf(_("This case was returned %d time(s) before. A new return may only name materials "
		                       "the applicant resubmitted since; anything else breaks the one-time notice "
		                       "(最多跑一次) and is counted against you. Continue?"),
		                     c->d->return_count);
		int yes = dialog_confirm(_("Second return"), q);
		free(q);
		if (!yes)
			return UI_REDRAW;
	}
	/* Read c->m only now: the question above runs the event loop, and a
	 * reload (the queue's NOTIFY, a colleague's change) may have freed the
	 * list it had.  Copy what the dialogs show, for the same reason. */
	m = c->m;
	if (!m || !c->d)
		return UI_REDRAW;
	n = m->n;
	labels = x_calloc((size_t)n + 1, sizeof *labels);
	ids = x_calloc((size_t)n + 1, sizeof *ids);
	checked = x_calloc((size_t)n + 1, 1);
	for (int i = 0; i < n; i++) {
		labels[i] = x_asprintf("%s  [%s]", m->rows[i].name, material_status(m->rows[i].status));
		ids[i] = m->rows[i].material_id;
		checked[i] = strcmp(m->rows[i].status, "missing") == 0 || strcmp(m->rows[i].status, "defective") == 0;
	}
	ok = dialog_checklist(_("Return for correction"),
	                      _("Mark EVERY missing or faulty material (Space marks, Enter goes on):"),
	                      (const char *const *)labels, (size_t)n, checked);
	for (int i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	if (!ok) {
		free(ids);
		free(checked);
		return UI_REDRAW;
	}
	for (int i = 0; i < n; i++)
		if (checked[i])
			ids[k++] = ids[i];
	free(checked);
	defects = dialog_prompt(_("Return for correction"),
	                        _("Other defects, in words the applicant understands (optional; F9 to go on):"), NULL,
	                        2000, DIALOG_MULTILINE);
	if (!defects) {
		free(ids);
		return UI_REDRAW;
	}
	if (k == 0 && !*defects) {
		ui_status(UI_WARN, "%s", _("A return must name at least one material or describe the defects."));
		free(ids);
		free(defects);
		return UI_REDRAW;
	}
	if (!app_require_online()) {
		free(ids);
		free(defects);
		return UI_REDRAW;
	}
	c->ret = x_calloc(1, sizeof *c->ret);
	c->ret->ids = ids;
	c->ret->nids = k;
	c->ret->defects = defects;
	/* The database writes the notice; show its exact words first. */
	if (cases_notice_preview(app_db(), c->id, ids, k, defects, preview_loaded, c) < 0) {
		pending_free(c->ret);
		c->ret = NULL;
	}
	return UI_REDRAW;
}

static char *ask(const char *title, const char *label, int flags)
{
	return dialog_prompt(title, label, NULL, 1000, flags);
}

static int is_extension_decision(const case_screen *c)
{
	return app_is_supervisor() && c->d && c->d->extension_pending_days > 0;
}

static int decide_extension(case_screen *c)
{
	char title[256], grant_label[256], refuse_label[256], *text;
	const char *choices[2];
	long long ext_id;
	long pick;

	if (!is_extension_decision(c)) {
		ui_status(UI_INFO, "%s", _("No extension request is waiting on this case."));
		return UI_REDRAW;
	}
	/* Copy what the dialogs show: a NOTIFY may reload c->d meanwhile. */
	ext_id = c->d->extension_id;
	snprintf(title, sizeof title, _("Extension (延期): %d working days asked"), c->d->extension_pending_days);
	if (*c->d->extension_due_if_granted)
		snprintf(grant_label, sizeof grant_label, _("Grant %d working days (due %s instead of %s)"),
		         c->d->extension_pending_days, c->d->extension_due_if_granted,
		         *c->d->due_date ? c->d->due_date : "-");
	else
		snprintf(grant_label, sizeof grant_label, _("Grant %d working days"), c->d->extension_pending_days);
	snprintf(refuse_label, sizeof refuse_label, "%s", _("Refuse (the due date does not move)"));
	choices[0] = grant_label;
	choices[1] = refuse_label;
	pick = dialog_choose(title, choices, 2, 0);
	if (pick < 0)
		return UI_REDRAW;
	if (pick == 0)
		text = ask(_("Grant the extension"), _("Note for the record (optional); Enter grants, Esc cancels:"), 0);
	else
		text = ask(_("Refuse the extension"), _("Why it is refused (the clerk reads it):"), DIALOG_REQUIRED);
	if (!text)
		return UI_REDRAW;
	/* Decided on what the screen showed: if the request changed under
	 * the dialogs (decided elsewhere, asked anew), look again first. */
	if (!c->d || c->d->extension_id != ext_id) {
		ui_status(UI_WARN, "%s", _("The extension request changed while you were deciding; nothing was sent."));
		free(text);
		return UI_REDRAW;
	}
	if (app_require_online())
		cases_grant_extension(app_db(), c->id, pick == 0, text, pick == 0 ? ext_granted : ext_refused, c);
	free(text);
	return UI_REDRAW;
}

/* --------------------------------------------------- the action table */

/* The actions that are one prompt (or none), maybe one confirmation that
 * says what will happen, and one call of the database.  What was typed is
 * kept: if the database refuses the text (22023: too short, too long, a
 * number out of range), the same prompt opens again with it and the reason. */
typedef struct case_action {
	int cmd;
	const char *title, *label;  /* the prompt (N_); title NULL: no prompt */
	int flags;                  /* DIALOG_* of the prompt */
	size_t max_chars;
	const char *confirm;        /* N_ question asked last; NULL: the prompt is the confirmation */
	const char *what, *done;    /* N_: the action's name for a refusal, what is said when done */
	int (*send)(case_screen *c, const char *text, db_reply_fn fn);
} case_action;

static int send_approve(case_screen *c, const char *t, db_reply_fn fn)
{
	return cases_approve(app_db(), c->id, t, fn, c);
}
static int send_escalate(case_screen *c, const char *t, db_reply_fn fn)
{
	return cases_escalate(app_db(), c->id, t, fn, c);
}
static int send_reject(case_screen *c, const char *t, db_reply_fn fn)
{
	return cases_reject(app_db(), c->id, t, fn, c);
}
static int send_release(case_screen *c, const char *t, db_reply_fn fn)
{
	(void)t;
	return cases_release(app_db(), c->id, fn, c);
}
static int send_claim(case_screen *c, const char *t, db_reply_fn fn)
{
	(void)t;
	return cases_claim(app_db(), c->id, fn, c);
}
static int send_decide_approve(case_screen *c, const char *t, db_reply_fn fn)
{
	return cases_decide(app_db(), c->id, "approve", t, fn, c);
}
static int send_decide_back(case_screen *c, const char *t, db_reply_fn fn)
{
	return cases_decide(app_db(), c->id, "back", t, fn, c);
}
static int send_decide_reject(case_screen *c, const char *t, db_reply_fn fn)
{
	return cases_decide(app_db(), c->id, "reject", t, fn, c);
}

static const case_action actions[] = {
	{ CMD_APPROVE, N_("Approve (办结)"), N_("Note for the record (optional):"), 0, 1000,
	  N_("Approve this case? It is completed (办结) and the applicant is told."), N_("Approve"),
	  N_("Case approved (办结)."), send_approve },
	{ CMD_ESCALATE, N_("Escalate (上报)"), N_("Reason for the supervisor:"), DIALOG_REQUIRED | DIALOG_MULTILINE,
	  1000, NULL, N_("Escalate"), N_("Case escalated to the supervisors."), send_escalate },
	{ CMD_REJECT, N_("Reject (不予许可)"), N_("Legal reason for the refusal (the applicant reads it):"),
	  DIALOG_REQUIRED | DIALOG_MULTILINE, 1000, N_("Reject this application? This closes the case."),
	  N_("Reject"), N_("Case rejected."), send_reject },
	{ CMD_RELEASE, NULL, NULL, 0, 0, N_("Give this case back to the queue?"), N_("Release"),
	  N_("Case released to the queue."), send_release },
	{ CMD_CLAIM, NULL, NULL, 0, 0, NULL, N_("Claim"), N_("Case claimed."), send_claim },
	{ CMD_DECIDE_APPROVE, N_("Decide: approve"), N_("Note for the record:"), 0, 1000,
	  N_("Approve the escalated case? It is completed and the applicant is told."), N_("Decision"),
	  N_("Decision recorded."), send_decide_approve },
	{ CMD_DECIDE_BACK, N_("Decide: back to the clerk"), N_("What the clerk should do:"), DIALOG_REQUIRED, 1000,
	  N_("Send the case back to the clerk with this instruction?"), N_("Decision"), N_("Decision recorded."),
	  send_decide_back },
	{ CMD_DECIDE_REJECT, N_("Decide: reject"), N_("Legal reason for the refusal (the applicant reads it):"),
	  DIALOG_REQUIRED | DIALOG_MULTILINE, 1000, N_("Reject this application? This closes the case."),
	  N_("Decision"), N_("Decision recorded."), send_decide_reject },
};

static const case_action *action_of(int cmd)
{
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (actions[i].cmd == cmd)
			return &actions[i];
	return NULL;
}

static void run_action(case_screen *c, const case_action *a, const char *initial, const char *why);
static void extend_reply(void *ctx, const db_reply *r);

static void retry_fired(void *ctx)
{
	case_screen *c = ctx;
	const case_action *a = c->retry_action;
	char *text = c->retry_text, *why = c->retry_why;

	c->retry_timer = 0;
	c->retry_action = NULL;
	c->retry_text = c->retry_why = NULL;
	if (a)
		run_action(c, a, text, why);
	free(text);
	free(why);
}

static void action_reply(void *ctx, const db_reply *r)
{
	case_screen *c = ctx;
	const case_action *a = c->retry_action;

	if (a && r->status == DB_FAILED && strcmp(r->sqlstate, "22023") == 0 && a->title) {
		/* Refused for what was typed: ask again with it (from a timer:
		 * no dialog inside a database callback). */
		char why[512];

		free(c->retry_why);
		c->retry_why = x_strdup(refusal_words(r, why, sizeof why));
		c->retry_timer = loop_timer(0, 0, retry_fired, c);
		return;
	}
	c->retry_action = NULL;
	free(c->retry_text);
	c->retry_text = NULL;
	action_done(c, a ? _(a->what) : "", a ? _(a->done) : "", r);
}

/* Ask, confirm, send.  initial and why: a refused earlier attempt. */
static void run_action(case_screen *c, const case_action *a, const char *initial, const char *why)
{
	char *text = NULL, *label = NULL;

	if (!c->d || !app_require_online())
		return;
	if (a->title) {
		label = why ? x_asprintf("%s\n%s", why, _(a->label)) : x_strdup(_(a->label));
		text = dialog_prompt(_(a->title), label, initial, a->max_chars, a->flags);
		free(label);
		if (!text)
			return;
	}
	if (a->confirm && !dialog_confirm(_(a->title ? a->title : a->what), _(a->confirm))) {
		ui_status(UI_INFO, "%s", _("Cancelled; nothing was sent."));
		free(text);
		return;
	}
	if (!c->d || !app_require_online()) {
		free(text);
		return;
	}
	free(c->retry_text);
	c->retry_action = a;
	c->retry_text = text ? x_strdup(text) : NULL;
	if (a->send(c, text ? text : "", action_reply) < 0) {
		c->retry_action = NULL;
		free(c->retry_text);
		c->retry_text = NULL;
	}
	free(text);
}

/* t for a clerk: working days (a number, kept if refused), then a reason. */
static void ask_extension(case_screen *c, const char *days_typed, const char *reason_typed, const char *why)
{
	char *days_s, *text, *label, *end;
	long days;

	label = why ? x_asprintf("%s\n%s", why, _("Working days:")) : x_strdup(_("Working days:"));
	days_s = dialog_prompt(_("Ask for more time (延期)"), label, days_typed, 3, DIALOG_REQUIRED);
	free(label);
	if (!days_s)
		return;
	days = strtol(days_s, &end, 10);
	if (end == days_s || *end || days <= 0) {
		char *again = x_strdup(days_s);

		free(days_s);
		/* Not a number: the same question, with what was typed. */
		ask_extension(c, again, reason_typed, _("The number of working days must be a whole number, e.g. 5."));
		free(again);
		return;
	}
	text = dialog_prompt(_("Ask for more time (延期)"), _("Reason:"), reason_typed, 500,
	                     DIALOG_REQUIRED | DIALOG_MULTILINE);
	if (text && app_require_online()) {
		free(c->ext_days);
		free(c->ext_reason);
		c->ext_days = x_strdup(days_s);
		c->ext_reason = x_strdup(text);
		cases_request_extension(app_db(), c->id, (int)days, text, extend_reply, c);
	}
	free(days_s);
	free(text);
}

static void ext_retry_fired(void *ctx)
{
	case_screen *c = ctx;
	char *days = c->ext_days, *reason = c->ext_reason, *why = c->retry_why;

	c->retry_timer = 0;
	c->ext_days = c->ext_reason = c->retry_why = NULL;
	ask_extension(c, days, reason, why);
	free(days);
	free(reason);
	free(why);
}

static void extend_reply(void *ctx, const db_reply *r)
{
	case_screen *c = ctx;

	if (r->status == DB_FAILED && strcmp(r->sqlstate, "22023") == 0 && c->ext_days) {
		char why[512];

		free(c->retry_why);
		c->retry_why = x_strdup(refusal_words(r, why, sizeof why));
		c->retry_timer = loop_timer(0, 0, ext_retry_fired, c);
		return;
	}
	free(c->ext_days);
	free(c->ext_reason);
	c->ext_days = c->ext_reason = NULL;
	action_done(c, _("Extension"), _("Extension asked; the supervisor decides."), r);
}

static int state_is(const case_detail *d, const char *state)
{
	return d && strcmp(d->state, state) == 0;
}

/* What this user may do with this case now: the key bar shows only these
 * (the database decides in the end; a stale screen loses cleanly). */
static int case_available(ui_screen *s, int cmd)
{
	const case_screen *c = s->data;
	const case_detail *d = c ? c->d : NULL;
	int clerk = app_is_clerk(), sup = app_is_supervisor();

	switch (cmd) {
	case CMD_CLAIM:
		return clerk && state_is(d, "submitted") && !*d->claimed_login;
	case CMD_APPROVE:
	case CMD_RETURN:
	case CMD_ESCALATE:
	case CMD_REJECT:
	case CMD_RELEASE:
	case CMD_EXTEND:
		return clerk && state_is(d, "in_review") && d->mine;
	case CMD_DECIDE_APPROVE:
	case CMD_DECIDE_BACK:
	case CMD_DECIDE_REJECT:
		return sup && state_is(d, "escalated");
	case CMD_EXT_DECIDE:
		return is_extension_decision(c);
	case CMD_REVEAL:
		return d != NULL;
	case CMD_PRINT_NOTICE:
		return d != NULL && (clerk || sup);
	case CMD_REASSIGN:
	case CMD_FLAG:
	case CMD_ANSWER_FLAG:
		return c && supx_available(&c->sx, cmd);
	case CMD_SUPPLY:
	case CMD_CHECK:
		return c && (clerk || sup) && casefront_available(&c->cf, cmd);
	default:
		return 1;
	}
}

static int case_key(ui_screen *s, int cmd, const ui_event *ev)
{
	case_screen *c = s->data;
	const case_action *a;
	char *text;

	(void)ev;
	if (view_scroll(&c->v, cmd))
		return UI_REDRAW;
	if (cmd == CMD_REASSIGN || cmd == CMD_FLAG || cmd == CMD_ANSWER_FLAG)
		return supx_key(&c->sx, cmd);
	if (cmd == CMD_SUPPLY || cmd == CMD_CHECK)
		return casefront_key(&c->cf, cmd);
	if ((a = action_of(cmd)) != NULL) {
		run_action(c, a, NULL, NULL);
		return UI_REDRAW;
	}
	switch (cmd) {
	case CMD_REFRESH:
		reload(c);
		return UI_UNHANDLED;
	case CMD_EXT_DECIDE:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		return decide_extension(c);
	case CMD_RETURN:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		return start_return(c);
	case CMD_REVEAL:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		text = ask(_("Reveal the full ID number"), _("Reason (it is logged and your supervisor sees it):"),
		           DIALOG_REQUIRED);
		if (text && c->d && app_require_online())
			cases_reveal(app_db(), c->d->applicant_id, text, revealed, c);
		free(text);
		return UI_REDRAW;
	case CMD_EXTEND:
		if (c->d && app_require_online())
			ask_extension(c, NULL, NULL, NULL);
		return UI_REDRAW;
	case CMD_PRINT_NOTICE:
		if (c->d)
			notice_print(c->d->id, NULL);
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

/* ------------------------------------------------------------ life */

static int case_open(ui_screen *s)
{
	case_screen *c = s->data;

	view_init(&c->v, 12);
	supx_init(&c->sx, "application", c->id, supx_reload, c);
	casefront_init(&c->cf, c->id, supx_reload, c);
	ui_screen_title(s, _("Case (办件)"));
	cases_listen(app_db(), case_notified, c);
	app_watch_db(case_db_state, c);
	reload(c);
	return 0;
}

static void case_close(ui_screen *s)
{
	case_screen *c = s->data;

	if (!c)
		return;
	if (app_db()) {
		db_session_forget(app_db(), c);
		cases_unlisten(app_db(), c);
	}
	app_unwatch_db(c);
	supx_free(&c->sx);
	casefront_free(&c->cf);
	loop_timer_cancel(c->reload_timer);
	loop_timer_cancel(c->dialog_timer);
	loop_timer_cancel(c->retry_timer);
	free(c->retry_text);
	free(c->retry_why);
	free(c->ext_days);
	free(c->ext_reason);
	case_detail_free(c->d);
	case_materials_free(c->m);
	case_history_free(c->h);
	case_returns_free(c->r);
	pending_free(c->ret);
	if (c->revealed) {
		memset(c->revealed, 0, strlen(c->revealed));
		free(c->revealed);
	}
	view_free(&c->v);
	free(c);
	s->data = NULL;
}

static const ui_screen_ops case_ops = {
	.name = "case",
	.flags = 0,
	.keybar = case_keybar,
	.commands = case_commands,
	.available = case_available,
	.open = case_open,
	.draw = case_draw,
	.key = case_key,
	.close = case_close,
};

ui_screen *case_push(long long id)
{
	case_screen *c = x_calloc(1, sizeof *c);

	c->id = id;
	return ui_push(&case_ops, c);
}
