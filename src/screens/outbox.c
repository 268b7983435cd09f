/* screens/outbox.c - 通知发件箱: the notifications to the public, for
 * supervisors (and the trainer): how many are waiting, being sent, failed
 * and sent (hall.v_outbox_summary, the whole hall), then the failed ones
 * the viewer may handle (hall.v_outbox_failed: their department), newest
 * first, with the HTTP status and the last error with the first bytes of
 * the gateway's answer.
 *
 * Each failure reads as a short summary in the gateway's own words
 * ("网关返回 503：Service Unavailable": hall.gateway_words, tags stripped,
 * first line), never its raw HTML.  Enter shows one in full; r sends it
 * again (hall.outbox_requeue), e sends it to a corrected phone number
 * (hall.outbox_correct), x cancels it (hall.outbox_cancel): each asks for a
 * note and is audited.  A failure that sending again cannot fix (E_MOBILE:
 * the gateway says the number is invalid) says so, and r points to e and
 * x instead.  The dispatcher does not NOTIFY when it settles a row, so the
 * screen reads again every few seconds while it is on top, after an action
 * and with F5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/reports.h"
#include "screens/app.h"
#include "screens/find.h"
#include "screens/screens.h"
#include "screens/view.h"
#include "ui/dialog.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define OUTBOX_ROWS 300
#define OUTBOX_POLL_MS 5000

typedef struct outbox {
	outbox_states *states;
	outbox_failures *failed;
	list *list;
	int loading;      /* reads on the wire */
	int focused;
	unsigned poll_timer;
	int acting;       /* the action (index in actions[]) on the wire */
	char error[512];
	char *find;            /* the last text / looked for */
} outbox;

static const int outbox_keybar[] = { CMD_OPEN, CMD_REQUEUE, CMD_FIX_PHONE, CMD_CANCEL_MSG, CMD_BACK, CMD_QUIT,
                                     CMD_NONE };
static const int outbox_commands[] = { CMD_OUTBOX, CMD_SEARCH, CMD_REFRESH, CMD_NONE };

/* The gateway refused the number itself: sending it again cannot help. */
static int bad_number(const outbox_failed *f)
{
	return strcmp(f->gateway_code, "E_MOBILE") == 0;
}

static const char *event_name(const char *event)
{
	if (strcmp(event, "approved") == 0)
		return _("approved");
	if (strcmp(event, "returned") == 0)
		return _("returned for correction");
	if (strcmp(event, "rejected") == 0)
		return _("rejected");
	if (strcmp(event, "escalated") == 0)
		return _("escalated");
	if (strcmp(event, "extension_granted") == 0)
		return _("extension granted");
	if (strcmp(event, "inquiry_reply") == 0)
		return _("inquiry reply");
	if (strcmp(event, "accepted") == 0)
		return _("accepted (受理)");
	if (strcmp(event, "not_accepted") == 0)
		return _("not accepted (不予受理)");
	if (strcmp(event, "terminated") == 0)
		return _("terminated");
	if (strcmp(event, "revoked") == 0)
		return _("revoked");
	if (strcmp(event, "card") == 0)
		return _("card (红黄牌)");
	return event;
}

static const char *outbox_state_name(const char *state)
{
	if (strcmp(state, "pending") == 0)
		return _("waiting");
	if (strcmp(state, "sending") == 0)
		return _("being sent");
	if (strcmp(state, "failed") == 0)
		return _("failed");
	if (strcmp(state, "sent") == 0)
		return _("sent");
	return state;
}

static const char *recipient_name(const char *recipient)
{
	if (strcmp(recipient, "applicant") == 0)
		return _("applicant (SMS/app)");
	if (strcmp(recipient, "12345") == 0)
		return _("12345 platform");
	return recipient;
}

/* ------------------------------------------------------------- the list */

enum { O_REF, O_EVENT, O_FAILED, O_HTTP, O_TRIES, O_ERROR, O_NCOLS };

static const list_column outbox_cols[O_NCOLS] = {
	[O_REF] = { N_("Ref."), 13, 16, 0, LIST_LEFT },
	[O_EVENT] = { N_("Message"), 8, 12, 0, LIST_LEFT },
	[O_FAILED] = { N_("Failed at"), 16, 16, 0, LIST_LEFT },
	[O_HTTP] = { N_("HTTP"), 4, 4, 0, LIST_RIGHT },
	[O_TRIES] = { N_("Tries"), 4, 5, 0, LIST_RIGHT },
	[O_ERROR] = { N_("Last error"), 12, 0, 1, LIST_LEFT },
};

/* What went wrong in one line: the gateway's own words with its status
 * ("网关返回 503：Service Unavailable"; in the list, where the status has
 * its column, the words alone), else the dispatcher's error (its first
 * line); for an invalid number, what to do about it. */
static const char *error_text(const outbox_failed *f, int with_status, char *buf, size_t n)
{
	size_t k;

	if (bad_number(f))
		snprintf(buf, n, _("%s: resending cannot fix it; e corrects the number, x cancels"),
		         *f->gateway_words ? f->gateway_words : f->gateway_code);
	else if (*f->gateway_words && !with_status)
		snprintf(buf, n, "%s", f->gateway_words);
	else if (*f->gateway_words && f->http_status > 0)
		snprintf(buf, n, _("gateway answered %d: %s"), f->http_status, f->gateway_words);
	else if (*f->gateway_words)
		snprintf(buf, n, _("gateway answered: %s"), f->gateway_words);
	else
		snprintf(buf, n, "%s", f->last_error);
	k = strcspn(buf, "\r\n");
	buf[k] = '\0';
	return buf;
}

static const char *outbox_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[1600];
	outbox *o = ctx;
	const outbox_failed *f;

	if (!o->failed || row >= (size_t)o->failed->n)
		return NULL;
	f = &o->failed->rows[row];
	switch (col) {
	case O_REF:
		return f->ref;
	case O_EVENT:
		return event_name(f->event);
	case O_FAILED:
		return f->failed_at;
	case O_HTTP:
		if (f->http_status <= 0)
			return "";
		snprintf(buf, sizeof buf, "%d", f->http_status);
		return buf;
	case O_TRIES:
		snprintf(buf, sizeof buf, "%d", f->attempts);
		return buf;
	case O_ERROR:
		*role = TERM_ERROR;
		return error_text(f, 0, buf, sizeof buf);
	default:
		return NULL;
	}
}

static int64_t outbox_id(void *ctx, size_t row)
{
	outbox *o = ctx;

	return o->failed && row < (size_t)o->failed->n ? o->failed->rows[row].id : -1;
}

static const list_source outbox_source = { outbox_cell, outbox_id, NULL };

/* ---------------------------------------------------------------- loading */

static void states_loaded(void *ctx, outbox_states *st, const db_reply *reply)
{
	outbox *o = ctx;

	if (st) {
		outbox_states_free(o->states);
		o->states = st;
	} else if (reply->error) {
		app_refusal_text(reply, o->error, sizeof o->error);
	}
	if (o->loading > 0)
		o->loading--;
	ui_redraw();
}

static void failed_loaded(void *ctx, outbox_failures *f, const db_reply *reply)
{
	outbox *o = ctx;

	if (f) {
		outbox_failures_free(o->failed);
		o->failed = f;
		o->error[0] = '\0';
		list_set_rows(o->list, (size_t)f->n);
	} else if (reply->error) {
		app_refusal_text(reply, o->error, sizeof o->error);
	}
	if (o->loading > 0)
		o->loading--;
	ui_redraw();
}

static void load(outbox *o)
{
	if (o->loading || !app_online())
		return;
	if (reports_outbox_states(app_db(), states_loaded, o) < 0)
		return;
	o->loading = 1;
	if (reports_outbox_failed(app_db(), OUTBOX_ROWS, failed_loaded, o) == 0)
		o->loading++;
}

static void poll_fired(void *ctx)
{
	outbox *o = ctx;

	if (o->focused)
		load(o);
}

static void db_state_changed(void *ctx, db_state st)
{
	outbox *o = ctx;

	if (st == DB_READY) {
		o->loading = 0;
		load(o);
	}
}

/* ------------------------------------------------------------------ keys */

static const outbox_failed *selected(outbox *o)
{
	size_t sel = list_selected(o->list);

	if (sel == LIST_NONE || !o->failed || sel >= (size_t)o->failed->n)
		return NULL;
	return &o->failed->rows[sel];
}

/* The three things a supervisor may do with a failed notification: one
 * row each (what the dialogs say, what is sent), one function for all. */
static int send_requeue(long long id, const char *phone, const char *note, void *ctx);
static int send_correct(long long id, const char *phone, const char *note, void *ctx);
static int send_cancel(long long id, const char *phone, const char *note, void *ctx);

static const struct outbox_action {
	int cmd;
	const char *title;    /* of the dialogs, and what failed on a refusal */
	const char *question; /* the note's prompt: %lld id, %s ref */
	const char *done;     /* on the status line once done */
	int asks_phone;
	int (*send)(long long id, const char *phone, const char *note, void *ctx);
} actions[] = {
	{ CMD_REQUEUE, N_("Send the notification again"),
	  N_("Send notification #%lld (%s) again. Note for the audit log (what was fixed):"),
	  N_("Notification queued to be sent again."), 0, send_requeue },
	{ CMD_FIX_PHONE, N_("Correct the phone number"),
	  N_("Send notification #%lld (%s) to the corrected number. Note for the audit log (how the number was checked):"),
	  N_("Number corrected: the notification is queued to be sent to it."), 1, send_correct },
	{ CMD_CANCEL_MSG, N_("Cancel the notification"),
	  N_("Cancel notification #%lld (%s) for good: it will not be sent. Note for the audit log (why):"),
	  N_("Notification cancelled: it will not be sent."), 0, send_cancel },
};

static void acted(void *ctx, const db_reply *reply)
{
	outbox *o = ctx;
	const struct outbox_action *a = &actions[o->acting];

	if (reply->status == DB_OK)
		ui_status(UI_OK, "%s", _(a->done));
	else
		app_show_error(_(a->title), reply);
	o->loading = 0;
	load(o);
}

static int send_requeue(long long id, const char *phone, const char *note, void *ctx)
{
	(void)phone;
	return reports_outbox_requeue(app_db(), id, note, acted, ctx);
}

static int send_correct(long long id, const char *phone, const char *note, void *ctx)
{
	return reports_outbox_correct(app_db(), id, phone, note, acted, ctx);
}

static int send_cancel(long long id, const char *phone, const char *note, void *ctx)
{
	(void)phone;
	return reports_outbox_cancel(app_db(), id, note, acted, ctx);
}

/* Whether the action applies to f; if not, says why (and what does). */
static int applies(const outbox_failed *f, int cmd)
{
	const char *why = NULL;

	if (!f)
		why = _("No failed notification selected.");
	else if (!app_is_supervisor())
		why = _("Only a supervisor of the department can send, correct or cancel a notification.");
	else if (cmd == CMD_REQUEUE && bad_number(f))
		why = _("Sending it again cannot fix this: the gateway says the phone number is invalid. "
		        "e corrects the number, x cancels the notification.");
	else if (cmd == CMD_FIX_PHONE && !f->has_phone)
		why = _("This notification carries no phone number to correct.");
	if (why)
		app_show_message(UI_INFO, _("Outbox (通知发件箱)"), why);
	return why == NULL;
}

static int act(outbox *o, int cmd)
{
	const outbox_failed *f = selected(o);
	const struct outbox_action *a = NULL;
	char question[512], label[256];
	char *phone = NULL, *note = NULL;
	long long id;
	int i;

	for (i = 0; i < (int)(sizeof actions / sizeof actions[0]); i++)
		if (actions[i].cmd == cmd)
			a = &actions[i];
	if (!a || !applies(f, cmd))
		return UI_REDRAW;
	/* Copy what the dialogs need: a reload may replace the rows under them. */
	id = f->id;
	snprintf(question, sizeof question, _(a->question), id, f->ref);
	if (a->asks_phone) {
		snprintf(label, sizeof label, _("The gateway refused %s. The correct mobile number (11 digits):"),
		         *f->phone_masked ? f->phone_masked : _("the number"));
		phone = dialog_prompt(_(a->title), label, NULL, 20, DIALOG_REQUIRED);
		if (!phone)
			return UI_REDRAW;
	}
	note = dialog_prompt(_(a->title), question, NULL, 500, DIALOG_REQUIRED);
	if (note && app_require_online()) {
		o->acting = (int)(a - actions);
		a->send(id, phone, note, o);
	}
	free(note);
	free(phone);
	return UI_REDRAW;
}

static void show_details(outbox *o)
{
	const outbox_failed *f = selected(o);
	char *text, summary[1024];
	size_t n;

	if (!f)
		return;
	error_text(f, 1, summary, sizeof summary);
	n = strlen(f->last_error) + strlen(f->response) + strlen(f->ref) + strlen(summary) + 2048;
	text = x_malloc(n);
	snprintf(text, n, "%s #%lld\n%s %s\n%s %s\n%s %s\n%s %s\n%s %s\n%s %d\n%s %d\n%s %s\n%s %s\n\n%s\n%s",
	         _("Notification"), f->id, _("Case or inquiry:"), f->ref, _("Message:"), event_name(f->event),
	         _("To:"), recipient_name(f->recipient), _("Phone:"), *f->phone_masked ? f->phone_masked : "-",
	         _("Queued at:"), f->created_at, _("Attempts:"), f->attempts, _("HTTP status:"), f->http_status,
	         _("What went wrong:"), summary, _("Last error:"), f->last_error, _("Gateway's answer:"),
	         *f->response ? f->response : _("(none kept)"));
	dialog_viewer(_("Failed notification"), text);
	free(text);
}

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	outbox *o = s->data;
	int r;

	switch (cmd) {
	case CMD_OUTBOX:
		return UI_HANDLED;
	case CMD_SEARCH:
		return find_in_list(o->list, &o->find);
	case CMD_REQUEUE:
	case CMD_FIX_PHONE:
	case CMD_CANCEL_MSG:
		return act(o, cmd);
	case CMD_REFRESH:
		o->loading = 0;
		load(o);
		return UI_UNHANDLED;
	case CMD_OPEN:
		show_details(o);
		return UI_REDRAW;
	default:
		break;
	}
	r = list_key(o->list, cmd, ev);
	if (r == LIST_ACTIVATE) {
		show_details(o);
		return UI_REDRAW;
	}
	return r == LIST_IGNORED ? UI_UNHANDLED : UI_REDRAW;
}

/* --------------------------------------------------------------- drawing */

static void draw(ui_screen *s, WINDOW *w)
{
	outbox *o = s->data;
	int lines, cols, y = 0, x = 0;
	char buf[256];

	getmaxyx(w, lines, cols);
	werase(w);
	term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, _("Notifications by state (the whole hall)"));
	if (o->states) {
		for (int i = 0; i < o->states->n; i++) {
			const outbox_state *st = &o->states->rows[i];
			int role = TERM_NORMAL, width;
			if (strcmp(st->state, "pending") == 0 && st->due != st->n)
				snprintf(buf, sizeof buf, _("%s %lld (%lld due now)"), outbox_state_name(st->state), st->n,
				         st->due);
			else
				snprintf(buf, sizeof buf, "%s %lld", outbox_state_name(st->state), st->n);
			if (strcmp(st->state, "failed") == 0 && st->n > 0) {
				role = TERM_OVERDUE;
				snprintf(buf, sizeof buf, "!! %s %lld", outbox_state_name(st->state), st->n);
			}
			width = text_width(buf);
			if (x + width >= cols)
				break;
			term_put(w, y, x, width, role, 0, buf);
			x += width + 3;
		}
		y++;
		for (int i = 0; i < o->states->n; i++) {
			const outbox_state *st = &o->states->rows[i];
			if (strcmp(st->state, "pending") == 0 && st->n > 0 && *st->oldest) {
				snprintf(buf, sizeof buf, _("oldest waiting since %s"), st->oldest);
				term_put(w, y, 0, cols, TERM_DIM, 0, buf);
			}
		}
		y++;
	} else {
		view_loading(w, y, 0, cols, o->error);
		y += 2;
	}
	term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD,
	         _("Failed notifications of your department (Enter: details; r: send again; e: correct the number; x: cancel)"));
	if (o->error[0] && !o->failed)
		list_set_empty_text(o->list, o->error);
	else
		list_set_empty_text(o->list, !o->failed ? _("Loading...") : _("No failed notifications."));
	list_draw(o->list, w, y, 0, lines - y, cols);
}

static void focus(ui_screen *s, int focused)
{
	outbox *o = s->data;

	o->focused = focused;
	if (focused)
		load(o);
}

static int open_screen(ui_screen *s)
{
	outbox *o = s->data;

	o->list = list_new(outbox_cols, O_NCOLS, &outbox_source, o);
	o->focused = 1;
	ui_screen_title(s, _("Outbox (通知发件箱)"));
	app_watch_db(db_state_changed, o);
	o->poll_timer = loop_timer(OUTBOX_POLL_MS, 1, poll_fired, o);
	load(o);
	return 0;
}

static void close_screen(ui_screen *s)
{
	outbox *o = s->data;

	if (!o)
		return;
	if (app_db())
		db_session_forget(app_db(), o);
	app_unwatch_db(o);
	loop_timer_cancel(o->poll_timer);
	outbox_states_free(o->states);
	outbox_failures_free(o->failed);
	list_free(o->list);
	free(o->find);
	free(o);
	s->data = NULL;
}

const ui_screen_ops outbox_ops = {
	.name = "outbox",
	.keybar = outbox_keybar,
	.commands = outbox_commands,
	.open = open_screen,
	.draw = draw,
	.key = key,
	.focus = focus,
	.close = close_screen,
};

void *outbox_new(void)
{
	return x_calloc(1, sizeof(outbox));
}
