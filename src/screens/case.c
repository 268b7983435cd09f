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
#include "screens/bench.h"
#include "screens/screens.h"
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
	ui_screen *screen;  /* for switching between the clerk's and the decision keys */
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
	pending_return *ret;
	view v;
	int built_width;
	int dirty;          /* rebuild the lines */
	int shown;          /* for --bench */
} case_screen;

static const int case_keybar_clerk[] = { CMD_APPROVE, CMD_RETURN, CMD_ESCALATE, CMD_REJECT, CMD_RELEASE,
                                         CMD_CLAIM, CMD_REVEAL, CMD_BACK, CMD_NONE };
/* A supervisor on an escalated case decides it: the same keys, but the key
 * bar says what they do then (准予 / 退回经办人 / 不予许可). */
static const int case_keybar_decide[] = { CMD_DECIDE_APPROVE, CMD_DECIDE_BACK, CMD_DECIDE_REJECT, CMD_REVEAL,
                                          CMD_BACK, CMD_NONE };
/* ... and with an extension request waiting, t decides it (延期审批): on
 * an escalated case next to the decision keys, otherwise on its own (a
 * supervisor cannot do the clerk's actions). */
static const int case_keybar_decide_ext[] = { CMD_DECIDE_APPROVE, CMD_DECIDE_BACK, CMD_DECIDE_REJECT,
                                              CMD_EXT_DECIDE, CMD_REVEAL, CMD_BACK, CMD_NONE };
static const int case_keybar_ext[] = { CMD_EXT_DECIDE, CMD_REVEAL, CMD_BACK, CMD_NONE };
static const int case_commands[] = { CMD_EXTEND, CMD_REFRESH, CMD_NONE };
/* A supervisor never asks for an extension: for them t is always the
 * decision (with nothing waiting it says so). */
static const int case_commands_decide[] = { CMD_EXT_DECIDE, CMD_REFRESH, CMD_NONE };

static void sync_keys(case_screen *c);

static void reload(case_screen *c);

/* ----------------------------------------------------------- loading */

static void part_done(case_screen *c, const db_reply *reply)
{
	if (reply->status != DB_OK && reply->error)
		snprintf(c->error, sizeof c->error, "%s", reply->error);
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
		sync_keys(c);
		if (c->announce_due) {
			c->announce_due = 0;
			ui_status(UI_OK, _("Extension granted: the case is now due %s; the applicant is told."),
			          *d->due_date ? d->due_date : "-");
		}
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
	view_add(v, 0, strcmp(d->urgency, "closed") == 0 ? TERM_NORMAL : role, _("Due"), buf);
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
			snprintf(buf, sizeof buf, "%s  %s  %s%s%s%s", e->at, *e->staff_name ? e->staff_name : e->actor,
			         app_action_name(e->action), *e->to_state ? "  → " : "",
			         *e->to_state ? app_state_name(e->to_state) : "", "");
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
	if (c->dirty || c->built_width != cols)
		build(c, cols);
	view_draw(&c->v, w, 0, lines, cols);
	if (!c->shown && !c->loading) {
		c->shown = 1;
		bench_mark("case_shown", c->d->case_no);
	}
}

/* ----------------------------------------------------------- actions */

static void action_done(case_screen *c, const char *what, const char *ok, const db_reply *reply)
{
	if (reply->status == DB_OK)
		ui_status(UI_OK, "%s", ok);
	else
		app_show_error(what, reply);
	/* Done or refused, show what the database now holds - at once, not
	 * throttled like the reloads a NOTIFY asks for. */
	if (c->loading)
		c->reload_wanted = 1;
	else
		reload(c);
}

static void approve_done(void *ctx, const db_reply *r)
{
	action_done(ctx, _("Approve"), _("Case approved (办结)."), r);
}

static void escalate_done(void *ctx, const db_reply *r)
{
	action_done(ctx, _("Escalate"), _("Case escalated to the supervisors."), r);
}

static void reject_done(void *ctx, const db_reply *r)
{
	action_done(ctx, _("Reject"), _("Case rejected."), r);
}

static void release_done(void *ctx, const db_reply *r)
{
	action_done(ctx, _("Release"), _("Case released to the queue."), r);
}

static void claim_done(void *ctx, const db_reply *r)
{
	action_done(ctx, _("Claim"), _("Case claimed."), r);
}

static void decide_done(void *ctx, const db_reply *r)
{
	action_done(ctx, _("Decision"), _("Decision recorded."), r);
}

static void extend_done(void *ctx, const db_reply *r)
{
	action_done(ctx, _("Extension"), _("Extension asked; the supervisor decides."), r);
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
		ui_status(UI_WARN, "%s", reply->error);
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
	const case_materials *m = c->m;
	char **labels;
	unsigned char *checked;
	char *defects;
	int n, k = 0, *ids, ok;

	if (!m || !c->d)
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
	/* Copy what the dialogs show: a reload may replace c->m meanwhile. */
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

static int is_supervisor_decision(const case_screen *c)
{
	return app_is_supervisor() && c->d && strcmp(c->d->state, "escalated") == 0;
}

/* A supervisor looking at a case with an extension request waiting (the
 * database still checks the department). */
static int is_extension_decision(const case_screen *c)
{
	return app_is_supervisor() && c->d && c->d->extension_pending_days > 0;
}

/* t for a supervisor: grant or refuse the extension asked, then a note
 * (required when refusing), then one call of hall.grant_extension. */
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

static int case_key(ui_screen *s, int cmd, const ui_event *ev)
{
	case_screen *c = s->data;
	long long id = c->id;
	char *text;

	(void)ev;
	if (view_scroll(&c->v, cmd))
		return UI_REDRAW;
	switch (cmd) {
	case CMD_REFRESH:
		reload(c);
		return UI_UNHANDLED;
	case CMD_EXT_DECIDE:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		return decide_extension(c);
	case CMD_DECIDE_APPROVE:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		text = ask(_("Decide: approve"), _("Note for the record:"), 0);
		if (text && app_require_online())
			cases_decide(app_db(), id, "approve", text, decide_done, c);
		free(text);
		return UI_REDRAW;
	case CMD_DECIDE_BACK:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		text = ask(_("Decide: back to the clerk"), _("What the clerk should do:"), DIALOG_REQUIRED);
		if (text && app_require_online())
			cases_decide(app_db(), id, "back", text, decide_done, c);
		free(text);
		return UI_REDRAW;
	case CMD_DECIDE_REJECT:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		text = ask(_("Decide: reject"), _("Legal reason for the refusal (the applicant reads it):"),
		           DIALOG_REQUIRED | DIALOG_MULTILINE);
		if (text && dialog_confirm(_("Reject"), _("Reject this application? This closes the case.")) &&
		    app_require_online())
			cases_decide(app_db(), id, "reject", text, decide_done, c);
		free(text);
		return UI_REDRAW;
	case CMD_APPROVE:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		text = ask(_("Approve (办结)"), _("Note for the record (optional); Enter approves, Esc cancels:"), 0);
		if (text && app_require_online())
			cases_approve(app_db(), id, text, approve_done, c);
		free(text);
		return UI_REDRAW;
	case CMD_RETURN:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		return start_return(c);
	case CMD_ESCALATE:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		text = ask(_("Escalate (上报)"), _("Reason for the supervisor:"), DIALOG_REQUIRED | DIALOG_MULTILINE);
		if (text && app_require_online())
			cases_escalate(app_db(), id, text, escalate_done, c);
		free(text);
		return UI_REDRAW;
	case CMD_REJECT:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		text = ask(_("Reject (不予许可)"), _("Legal reason for the refusal (the applicant reads it):"),
		           DIALOG_REQUIRED | DIALOG_MULTILINE);
		if (text && dialog_confirm(_("Reject"), _("Reject this application? This closes the case.")) &&
		    app_require_online())
			cases_reject(app_db(), id, text, reject_done, c);
		free(text);
		return UI_REDRAW;
	case CMD_RELEASE:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		if (dialog_confirm(_("Release"), _("Give this case back to the queue?")) && app_require_online())
			cases_release(app_db(), id, release_done, c);
		return UI_REDRAW;
	case CMD_CLAIM:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		cases_claim(app_db(), id, claim_done, c);
		return UI_REDRAW;
	case CMD_REVEAL:
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		text = ask(_("Reveal the full ID number"), _("Reason (it is logged and your supervisor sees it):"),
		           DIALOG_REQUIRED);
		if (text && c->d && app_require_online())
			cases_reveal(app_db(), c->d->applicant_id, text, revealed, c);
		free(text);
		return UI_REDRAW;
	case CMD_EXTEND: {
		char *days_s;
		int days;
		if (!c->d || !app_require_online())
			return UI_REDRAW;
		days_s = ask(_("Ask for more time (延期)"), _("Working days:"), DIALOG_REQUIRED);
		if (!days_s)
			return UI_REDRAW;
		days = atoi(days_s);
		free(days_s);
		if (days <= 0) {
			ui_status(UI_WARN, "%s", _("The number of working days must be a positive number."));
			return UI_REDRAW;
		}
		text = ask(_("Ask for more time (延期)"), _("Reason:"), DIALOG_REQUIRED | DIALOG_MULTILINE);
		if (text && app_require_online())
			cases_request_extension(app_db(), id, days, text, extend_done, c);
		free(text);
		return UI_REDRAW;
	}
	default:
		return UI_UNHANDLED;
	}
}

/* ------------------------------------------------------------ life */

static int case_open(ui_screen *s)
{
	case_screen *c = s->data;

	c->screen = s;
	view_init(&c->v, 12);
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
	loop_timer_cancel(c->reload_timer);
	loop_timer_cancel(c->dialog_timer);
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
	.keybar = case_keybar_clerk,
	.commands = case_commands,
	.open = case_open,
	.draw = case_draw,
	.key = case_key,
	.close = case_close,
};

/* Same screen, the supervisor's decision keys. */
static const ui_screen_ops case_decide_ops = {
	.name = "case",
	.flags = 0,
	.keybar = case_keybar_decide,
	.commands = case_commands_decide,
	.open = case_open,
	.draw = case_draw,
	.key = case_key,
	.close = case_close,
};

/* ... with the extension decision too. */
static const ui_screen_ops case_decide_ext_ops = {
	.name = "case",
	.flags = 0,
	.keybar = case_keybar_decide_ext,
	.commands = case_commands_decide,
	.open = case_open,
	.draw = case_draw,
	.key = case_key,
	.close = case_close,
};

/* A supervisor, an extension request waiting, no escalation. */
static const ui_screen_ops case_ext_ops = {
	.name = "case",
	.flags = 0,
	.keybar = case_keybar_ext,
	.commands = case_commands_decide,
	.open = case_open,
	.draw = case_draw,
	.key = case_key,
	.close = case_close,
};

/* A supervisor on any other case: the clerk's key bar, t decides. */
static const ui_screen_ops case_super_ops = {
	.name = "case",
	.flags = 0,
	.keybar = case_keybar_clerk,
	.commands = case_commands_decide,
	.open = case_open,
	.draw = case_draw,
	.key = case_key,
	.close = case_close,
};

/* The key bar tells the truth: the decision keys while a supervisor looks
 * at an escalated case, t while an extension request waits, the clerk's
 * otherwise (the state may change under the screen: a NOTIFY reloads
 * it). */
static void sync_keys(case_screen *c)
{
	int decide, ext;

	if (!c->screen)
		return;
	decide = is_supervisor_decision(c);
	ext = is_extension_decision(c);
	if (decide)
		c->screen->ops = ext ? &case_decide_ext_ops : &case_decide_ops;
	else if (ext)
		c->screen->ops = &case_ext_ops;
	else
		c->screen->ops = app_is_supervisor() ? &case_super_ops : &case_ops;
}

ui_screen *case_push(long long id)
{
	case_screen *c = x_calloc(1, sizeof *c);

	c->id = id;
	return ui_push(&case_ops, c);
}
