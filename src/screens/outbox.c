/* screens/outbox.c - 通知发件箱: the notifications to the public, for
 * supervisors (and the trainer): how many are waiting, being sent, failed
 * and sent (hall.v_outbox_summary, the whole hall), then the failed ones
 * the viewer may handle (hall.v_outbox_failed: their department), newest
 * first, with the HTTP status and the last error with the first bytes of
 * the gateway's answer.
 *
 * Enter shows one in full; r sends it again after asking for a note
 * (hall.outbox_requeue, audited).  The dispatcher does not NOTIFY when it
 * settles a row, so the screen reads again every few seconds while it is
 * on top, after a requeue and with F5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/reports.h"
#include "screens/app.h"
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
	char error[512];
} outbox;

static const int outbox_keybar[] = { CMD_OPEN, CMD_REQUEUE, CMD_REFRESH, CMD_BACK, CMD_QUIT, CMD_NONE };
static const int outbox_commands[] = { CMD_OUTBOX, CMD_NONE };

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
	[O_REF] = { N_("Ref."), 12, 16, 0, LIST_LEFT },
	[O_EVENT] = { N_("Message"), 8, 12, 0, LIST_LEFT },
	[O_FAILED] = { N_("Failed at"), 16, 16, 0, LIST_LEFT },
	[O_HTTP] = { N_("HTTP"), 4, 4, 0, LIST_RIGHT },
	[O_TRIES] = { N_("Tries"), 4, 5, 0, LIST_RIGHT },
	[O_ERROR] = { N_("Last error"), 12, 0, 1, LIST_LEFT },
};

/* The error and, when it adds something, the gateway's answer; an error
 * that only repeats the HTTP status (shown beside it) gives way to the
 * answer. */
static const char *error_text(const outbox_failed *f, char *buf, size_t n)
{
	char status_only[32];

	snprintf(status_only, sizeof status_only, "HTTP %d", f->http_status);
	if (*f->response && strcmp(f->last_error, status_only) == 0)
		snprintf(buf, n, "%s", f->response);
	else if (*f->response && !strstr(f->last_error, f->response))
		snprintf(buf, n, "%s  %s", f->last_error, f->response);
	else
		snprintf(buf, n, "%s", f->last_error);
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
		return error_text(f, buf, sizeof buf);
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
		snprintf(o->error, sizeof o->error, "%s", reply->error);
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
		snprintf(o->error, sizeof o->error, "%s", reply->error);
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

static void requeued(void *ctx, const db_reply *reply)
{
	outbox *o = ctx;

	if (reply->status == DB_OK)
		ui_status(UI_OK, "%s", _("Notification queued to be sent again."));
	else
		app_show_error(_("Send again"), reply);
	o->loading = 0;
	load(o);
}

static int requeue(outbox *o)
{
	const outbox_failed *f = selected(o);
	long long id;
	char *note, question[256];

	if (!f) {
		ui_status(UI_INFO, "%s", _("No failed notification selected."));
		return UI_REDRAW;
	}
	if (!app_is_supervisor()) {
		ui_status(UI_INFO, "%s", _("Only a supervisor can send a notification again."));
		return UI_REDRAW;
	}
	/* Copy what the dialog needs: a reload may replace the rows under it. */
	id = f->id;
	snprintf(question, sizeof question, _("Send notification #%lld (%s) again. Note for the audit log (what was fixed):"),
	         id, f->ref);
	note = dialog_prompt(_("Send the notification again"), question, NULL, 500, DIALOG_REQUIRED);
	if (note && app_require_online())
		reports_outbox_requeue(app_db(), id, note, requeued, o);
	free(note);
	return UI_REDRAW;
}

static void show_details(outbox *o)
{
	const outbox_failed *f = selected(o);
	char *text;
	size_t n;

	if (!f)
		return;
	n = strlen(f->last_error) + strlen(f->response) + strlen(f->ref) + 1024;
	text = x_malloc(n);
	snprintf(text, n, "%s #%lld\n%s %s\n%s %s\n%s %s\n%s %s\n%s %d\n%s %d\n%s %s\n%s\n%s",
	         _("Notification"), f->id, _("Case or inquiry:"), f->ref, _("Message:"), event_name(f->event),
	         _("To:"), recipient_name(f->recipient), _("Queued at:"), f->created_at, _("Attempts:"), f->attempts,
	         _("HTTP status:"), f->http_status, _("Last error:"), f->last_error, _("Gateway's answer:"),
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
	case CMD_REQUEUE:
		return requeue(o);
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
	         _("Failed notifications of your department (Enter: details; r: send again with a note)"));
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
