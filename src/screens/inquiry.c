/* screens/inquiry.c - one inquiry in full: who asked, through which
 * channel, the question, the time left, earlier replies; R replies,
 * T transfers it to another department (the clock keeps running).
 */
#include <stdio.h>
#include <stdlib.h>
#include <regex.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/cases.h"
#include "db/inquiries.h"
#include "db/staff.h"
#include "screens/app.h"
#include "screens/screens.h"
#include "screens/view.h"
#include "ui/dialog.h"
#include "screens/supx.h"
#include "ui/drafts.h"
#include "ui/loop.h"
#include "ui/term.h"

typedef struct inquiry_screen {
	long long id;
	inquiry_detail *d;
	inquiry_replies *r;
	staff_departments *departments;
	int has_draft;
	char error[512];
	int loading;
	view v;
	int built_width, dirty;
	ui_screen *self;
	supx sx;            /* 督办 flag, reassignment */
} inquiry_screen;

static const int inquiry_keybar[] = { CMD_OPEN, CMD_REPLY, CMD_TRANSFER, CMD_ANSWER_FLAG, CMD_REASSIGN, CMD_FLAG,
                                      CMD_BACK, CMD_NONE };
static const int inquiry_commands[] = { CMD_REFRESH, CMD_NONE };

static void check_draft(inquiry_screen *c)
{
	char *key = reply_draft_key(c->id), *text = NULL, err[256];

	c->has_draft = app_drafts_dir() && drafts_load(app_drafts_dir(), key, &text, err, sizeof err) == 1 && text
	               && *text;
	free(text);
	free(key);
}

static void detail_loaded(void *ctx, inquiry_detail *d, const db_reply *reply)
{
	inquiry_screen *c = ctx;

	if (d) {
		inquiry_detail_free(c->d);
		c->d = d;
		c->error[0] = '\0';
		supx_load(&c->sx, d->ref, strcmp(d->state, "open") == 0 ? SUPX_OPEN | SUPX_REASSIGNABLE : 0);
	} else if (reply->status == DB_OK) {
		snprintf(c->error, sizeof c->error, "%s",
		         _("This inquiry is not (or no longer) with your department."));
	} else if (reply->error) {
		app_refusal_text(reply, c->error, sizeof c->error);
	}
	c->dirty = 1;
	ui_redraw();
}

static void replies_loaded(void *ctx, inquiry_replies *r, const db_reply *reply)
{
	inquiry_screen *c = ctx;

	(void)reply;
	if (r) {
		inquiry_replies_free(c->r);
		c->r = r;
	}
	c->loading = 0;
	c->dirty = 1;
	ui_redraw();
}

static void departments_loaded(void *ctx, staff_departments *d, const db_reply *reply)
{
	inquiry_screen *c = ctx;

	(void)reply;
	if (d) {
		staff_departments_free(c->departments);
		c->departments = d;
	}
}

static void reload(inquiry_screen *c);

static void supx_reload(void *owner)
{
	inquiry_screen *c = owner;

	c->loading = 0;
	reload(c);
}

static void reload(inquiry_screen *c)
{
	if (c->loading || !app_online())
		return;
	if (inquiries_get(app_db(), c->id, detail_loaded, c) < 0)
		return;
	inquiries_replies(app_db(), c->id, replies_loaded, c);
	c->loading = 1;
	check_draft(c);
}

/* An inquiry of its department changed: it may be this one (a transfer
 * tells the department it left too). */
static void notified(void *ctx, const char *dept)
{
	inquiry_screen *c = ctx;

	if (!*dept || !c->d || strcmp(dept, c->d->department_code) == 0)
		reload(c);
}

static void db_state_changed(void *ctx, db_state st)
{
	inquiry_screen *c = ctx;

	if (st == DB_READY) {
		c->loading = 0;
		reload(c);
	}
}

static void build(inquiry_screen *c, int cols)
{
	view *v = &c->v;
	const inquiry_detail *d = c->d;
	char buf[1024], left[48];
	int role;

	view_clear(v);
	v->width = cols;
	c->built_width = cols;
	c->dirty = 0;
	if (!d)
		return;
	snprintf(buf, sizeof buf, "%s   %s", d->ref, app_state_name(d->state));
	view_add(v, 0, TERM_HEADER, _("Ref."), buf);
	supx_lines(&c->sx, v);
	if (*d->assigned_to_name)
		view_add(v, 0, TERM_NORMAL, _("Assigned to"), d->assigned_to_name);
	view_add_wrapped(v, 0, TERM_NORMAL, _("Subject"), d->subject);
	snprintf(buf, sizeof buf, "%s  %s  (%s)", d->asker_name, d->phone_masked, app_channel_name(d->channel));
	view_add(v, 0, TERM_NORMAL, _("Asked by"), buf);
	view_add(v, 0, TERM_NORMAL, _("Received"), d->received_at);
	app_countdown(left, sizeof left, d->has_days_left, d->days_left, d->urgency, d->seconds_left, &role);
	snprintf(buf, sizeof buf, _("%s (end of day, %d working days)  %s"), d->due_date, d->due_days, left);
	view_add(v, 0, role, _("Reply by"), buf);
	if (d->calendar_unpublished)
		view_add(v, 0, TERM_WARN, "", _("That year's holidays are not published yet: counted Monday to Friday."));
	if (d->transfer_count > 0) {
		snprintf(buf, sizeof buf, _("transferred %d time(s); the deadline did not move"), d->transfer_count);
		view_add(v, 0, TERM_DIM, _("Transfers"), buf);
	}
	if (c->has_draft)
		view_add(v, 0, TERM_WARN, _("Draft"), _("your unsent reply is saved: R continues it"));
	view_add_blank(v);
	view_add_heading(v, _("Question"));
	view_add_wrapped(v, 2, TERM_NORMAL, NULL, d->body);
	if (c->r && c->r->n > 0) {
		view_add_blank(v);
		view_add_heading(v, _("Replies"));
		for (int i = 0; i < c->r->n; i++) {
			const inquiry_reply_row *x = &c->r->rows[i];
			snprintf(buf, sizeof buf, "%s  %s  %s", x->replied_at, x->staff_name,
			         x->on_time ? _("on time") : _("LATE"));
			view_add(v, 0, x->on_time ? TERM_OK : TERM_OVERDUE, NULL, buf);
			view_add_wrapped(v, 2, TERM_NORMAL, NULL, x->body);
		}
	}
}

static void draw(ui_screen *s, WINDOW *w)
{
	inquiry_screen *c = s->data;
	int lines, cols;

	getmaxyx(w, lines, cols);
	werase(w);
	if (!c->d) {
		view_loading(w, 1, 2, cols - 4, c->error);
		return;
	}
	if (c->sx.changed) {
		c->sx.changed = 0;
		c->dirty = 1;
	}
	if (c->dirty || c->built_width != cols)
		build(c, cols);
	view_draw(&c->v, w, 0, lines, cols);
}

/* ------------------------------------------------------------ transfer */

/* The last transfer sent, for the words of its outcome: the request
 * itself carries the caller's own ctx, so a screen closed meanwhile
 * forgets it (db_session_forget) and nothing is left dangling. */
static struct {
	char ref[32], to_name[160];
} last_transfer;

void inquiry_transfer_said(const db_reply *reply)
{
	if (reply->status == DB_OK)
		ui_status(UI_OK, _("Inquiry %s transferred to %s; its deadline did not change."), last_transfer.ref,
		          last_transfer.to_name);
	else
		app_show_error(_("Transfer"), reply);
}

int inquiry_ask_transfer(long long id, const char *ref, const char *subject, const char *from_code,
                         const staff_departments *deps, db_reply_fn fn, void *ctx)
{
	const char **items;
	char **owned, **codes, **names;
	char *note = NULL, *label, *question;
	int n = 0, code_cells = 0, sent = 0;
	long pick;

	if (!app_require_online())
		return 0;
	if (!deps) {
		ui_status(UI_INFO, "%s", _("Loading..."));
		return 0;
	}
	if (deps->n < 2) {
		ui_status(UI_WARN, "%s", _("No other department to transfer to."));
		return 0;
	}
	/* The codes padded to the widest, in cells, so the names line up. */
	for (int i = 0; i < deps->n; i++)
		if (text_width(deps->rows[i].code) > code_cells)
			code_cells = text_width(deps->rows[i].code);
	items = x_calloc((size_t)deps->n, sizeof *items);
	owned = x_calloc((size_t)deps->n, sizeof *owned);
	codes = x_calloc((size_t)deps->n, sizeof *codes);
	names = x_calloc((size_t)deps->n, sizeof *names);
	for (int i = 0; i < deps->n; i++) {
		char *code;
		if (from_code && strcmp(deps->rows[i].code, from_code) == 0)
			continue;
		code = text_fit(deps->rows[i].code, code_cells, TEXT_PAD);
		owned[n] = x_asprintf("%s  %s", code, deps->rows[i].name);
		free(code);
		items[n] = owned[n];
		codes[n] = x_strdup(deps->rows[i].code);
		names[n] = x_asprintf("%s (%s)", deps->rows[i].name, deps->rows[i].code);
		n++;
	}
	pick = dialog_choose(_("Transfer to which department?"), items, (size_t)n, 0);
	if (pick >= 0 && pick < n) {
		label = x_asprintf(_("Note for %s, the receiving department (why it is theirs):"), names[pick]);
		note = dialog_prompt(_("Transfer"), label, NULL, 500, DIALOG_REQUIRED);
		free(label);
	}
	if (note) {
		question = x_asprintf(_("Transfer inquiry %s (%s) to %s?\nIt leaves your department's list; its deadline "
		                        "does not change."),
		                      ref, subject, names[pick]);
		if (dialog_confirm(_("Transfer"), question) && app_require_online()) {
			snprintf(last_transfer.ref, sizeof last_transfer.ref, "%s", ref);
			snprintf(last_transfer.to_name, sizeof last_transfer.to_name, "%s", names[pick]);
			sent = inquiries_transfer(app_db(), id, codes[pick], note, fn, ctx) == 0;
		}
		free(question);
	}
	free(note);
	for (int i = 0; i < n; i++) {
		free(owned[i]);
		free(codes[i]);
		free(names[i]);
	}
	free(owned);
	free(codes);
	free(names);
	free(items);
	return sent;
}

static void transfer_done(void *ctx, const db_reply *reply)
{
	inquiry_screen *c = ctx;

	inquiry_transfer_said(reply);
	if (reply->status != DB_OK) {
		reload(c);
		return;
	}
	/* It has left the department: back to the list. */
	if (ui_top() == c->self)
		ui_pop();
}

static int transfer(inquiry_screen *c)
{
	if (!c->d)
		return UI_REDRAW;
	inquiry_ask_transfer(c->id, c->d->ref, c->d->subject, c->d->department_code, c->departments, transfer_done, c);
	return UI_REDRAW;
}

/* A progress inquiry (进度查询) names the case it is about: the first case
 * number (six digits, a dash, four or more) in its subject or text. */
static int case_no_in(const char *text, char *out, size_t n)
{
	regex_t re;
	regmatch_t g[3];
	int found;

	if (!text || regcomp(&re, "(^|[^0-9])([0-9]{6}-[0-9]{4,})([^0-9]|$)", REG_EXTENDED) != 0)
		return 0;
	found = regexec(&re, text, 3, g, 0) == 0 && g[2].rm_so >= 0;
	if (found)
		snprintf(out, n, "%.*s", (int)(g[2].rm_eo - g[2].rm_so), text + g[2].rm_so);
	regfree(&re);
	return found;
}

static int mentioned_case(const inquiry_screen *c, char *out, size_t n)
{
	return c->d && (case_no_in(c->d->subject, out, n) || case_no_in(c->d->body, out, n));
}

static void case_found(void *ctx, long long id, const db_reply *reply)
{
	inquiry_screen *c = ctx;

	if (reply->status != DB_OK) {
		app_show_error(_("Looking up the case"), reply);
		return;
	}
	(void)c;
	if (!id) {
		ui_status(UI_INFO, "%s", _("The case this inquiry names is not one of yours to open."));
		return;
	}
	case_push(id);
}

/* Enter opens the case a progress inquiry is about. */
static int available(ui_screen *s, int cmd)
{
	char no[32];

	if (cmd == CMD_REASSIGN || cmd == CMD_FLAG || cmd == CMD_ANSWER_FLAG)
		return supx_available(&((inquiry_screen *)s->data)->sx, cmd);
	return cmd != CMD_OPEN || mentioned_case(s->data, no, sizeof no);
}

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	inquiry_screen *c = s->data;
	char no[32];

	(void)ev;
	if (view_scroll(&c->v, cmd))
		return UI_REDRAW;
	if (cmd == CMD_REASSIGN || cmd == CMD_FLAG || cmd == CMD_ANSWER_FLAG)
		return supx_key(&c->sx, cmd);
	switch (cmd) {
	case CMD_OPEN:
		if (mentioned_case(c, no, sizeof no) && app_require_online())
			cases_find_no(app_db(), no, case_found, c);
		return UI_REDRAW;
	case CMD_REPLY:
		if (c->d && strcmp(c->d->state, "open") != 0) {
			ui_status(UI_INFO, "%s", _("This inquiry is already answered."));
			return UI_REDRAW;
		}
		reply_push(c->id);
		return UI_REDRAW;
	case CMD_TRANSFER:
		return transfer(c);
	case CMD_REFRESH:
		reload(c);
		return UI_UNHANDLED;
	default:
		return UI_UNHANDLED;
	}
}

static void focus(ui_screen *s, int focused)
{
	inquiry_screen *c = s->data;

	/* Back from the editor: a reply may have been sent, a draft saved. */
	if (focused) {
		check_draft(c);
		c->dirty = 1;
		reload(c);
	}
}

static int open_screen(ui_screen *s)
{
	inquiry_screen *c = s->data;

	c->self = s;
	view_init(&c->v, 12);
	supx_init(&c->sx, "inquiry", c->id, supx_reload, c);
	ui_screen_title(s, _("Inquiry (咨询)"));
	inquiries_listen(app_db(), notified, c);
	app_watch_db(db_state_changed, c);
	reload(c);
	if (app_online())
		staff_departments_load(app_db(), departments_loaded, c);
	return 0;
}

static void close_screen(ui_screen *s)
{
	inquiry_screen *c = s->data;

	if (!c)
		return;
	if (app_db()) {
		db_session_forget(app_db(), c);
		inquiries_unlisten(app_db(), c);
	}
	app_unwatch_db(c);
	supx_free(&c->sx);
	inquiry_detail_free(c->d);
	inquiry_replies_free(c->r);
	staff_departments_free(c->departments);
	view_free(&c->v);
	free(c);
	s->data = NULL;
}

static const ui_screen_ops inquiry_ops = {
	.name = "inquiry",
	.keybar = inquiry_keybar,
	.commands = inquiry_commands,
	.available = available,
	.open = open_screen,
	.draw = draw,
	.key = key,
	.focus = focus,
	.close = close_screen,
};

ui_screen *inquiry_push(long long id)
{
	inquiry_screen *c = x_calloc(1, sizeof *c);

	c->id = id;
	return ui_push(&inquiry_ops, c);
}
