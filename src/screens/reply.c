/* screens/reply.c - the reply editor: the question on top, the answer
 * below, canned replies (F2), undo (Ctrl-Z or F4, again and again: the
 * editor keeps the steps), send (F9), Esc back with the draft kept.
 *
 * The text lives in the editor and, every few seconds and whenever the
 * screen loses focus or closes, in a draft file (ui/drafts: owner-only,
 * written atomically).  So a lost connection, a crash or a restart loses
 * nothing: opening the inquiry again offers the draft back.  Sending while
 * disconnected is refused with a message and the text stays; a send whose
 * answer was lost is checked once the connection is back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/inquiries.h"
#include "screens/app.h"
#include "screens/screens.h"
#include "screens/view.h"
#include "ui/dialog.h"
#include "ui/drafts.h"
#include "ui/editor.h"
#include "ui/loop.h"
#include "ui/term.h"

#define REPLY_MAX_CHARS 4000
#define REPLY_QUESTION_LINES 4

typedef struct reply_screen {
	long long id;
	ui_screen *self;
	editor *ed;
	drafts_autosave *autosave;
	char *key;              /* draft key */
	inquiry_detail *d;
	canned_replies *canned;
	char *draft;            /* a draft found on opening, until the clerk decides */
	unsigned offer_timer;
	int sending;
	int lost_send;          /* the answer to a send was lost: check on reconnect */
	char error[512];
} reply_screen;

static const int reply_keybar[] = { CMD_SEND, CMD_CANNED, CMD_UNDO, CMD_BACK, CMD_NONE };
static const int reply_commands[] = { CMD_BACKSPACE, CMD_DELETE, CMD_KILL_EOL, CMD_KILL_BOL, CMD_NONE };

char *reply_draft_key(long long inquiry_id)
{
	const staff_me *me = app_me();

	/* Per person: two clerks sharing a PC account keep separate drafts. */
	return x_asprintf("%s-inquiry-%lld", me ? me->login : "anon", inquiry_id);
}

static void start_autosave(reply_screen *r)
{
	const config *cfg = app_config();

	if (r->autosave || !app_drafts_dir())
		return;
	r->autosave = drafts_autosave_new(r->ed, app_drafts_dir(), r->key,
	                                  (int)config_int(cfg, "drafts", "autosave_seconds"));
}

/* ------------------------------------------------------------ loading */

static void detail_loaded(void *ctx, inquiry_detail *d, const db_reply *reply)
{
	reply_screen *r = ctx;

	if (d) {
		inquiry_detail_free(r->d);
		r->d = d;
	} else if (reply->error) {
		app_refusal_text(reply, r->error, sizeof r->error);
	}
	if (d && r->lost_send) {
		/* A send lost its answer; the database now says what happened. */
		r->lost_send = 0;
		if (strcmp(d->state, "answered") == 0 && app_me() && strcmp(d->answered_by_name, app_me()->name) == 0) {
			ui_status(UI_OK, "%s", _("Your reply had arrived before the connection dropped: it is sent."));
			drafts_autosave_discard(r->autosave);
		} else {
			ui_status(UI_WARN, "%s", _("Your reply did not arrive. It is still here: press F9 to send it."));
		}
	}
	ui_redraw();
}

static void canned_loaded(void *ctx, canned_replies *c, const db_reply *reply)
{
	reply_screen *r = ctx;

	(void)reply;
	if (c) {
		canned_replies_free(r->canned);
		r->canned = c;
	}
}

static void load(reply_screen *r)
{
	if (!app_online())
		return;
	inquiries_get(app_db(), r->id, detail_loaded, r);
}

static void db_state_changed(void *ctx, db_state st)
{
	reply_screen *r = ctx;

	if (st == DB_READY) {
		r->sending = 0;
		load(r);
		if (!r->canned)
			inquiries_canned(app_db(), canned_loaded, r);
	}
}

/* ---------------------------------------------------------- the draft */

static void offer_draft(void *ctx)
{
	reply_screen *r = ctx;
	int yes;

	r->offer_timer = 0;
	if (!r->draft)
		return;
	yes = dialog_confirm(_("Unsent reply"),
	                     _("You started a reply to this inquiry earlier and it was kept as a draft. "
	                       "Continue with it? (No starts an empty reply; the draft is replaced once you type.)"));
	if (yes) {
		editor_set_text(r->ed, r->draft);
		ui_status(UI_INFO, "%s", _("Your draft is back in the editor."));
	}
	free(r->draft);
	r->draft = NULL;
	start_autosave(r);
	ui_redraw();
}

/* ------------------------------------------------------------ sending */

static void sent(void *ctx, const db_reply *reply)
{
	reply_screen *r = ctx;

	r->sending = 0;
	switch (reply->status) {
	case DB_OK:
		drafts_autosave_discard(r->autosave);
		ui_status(UI_OK, "%s", _("Reply sent; the asker will be notified."));
		if (ui_top() == r->self)
			ui_pop();
		return;
	case DB_LOST:
		r->lost_send = 1;
		drafts_autosave_now(r->autosave);
		app_show_message(UI_ERROR, _("Send"),
		                 _("The connection dropped while sending: your text is kept here and as a draft; "
		                   "hallterm checks whether it arrived once reconnected."));
		break;
	default:
		drafts_autosave_now(r->autosave);
		app_show_error(_("Send"), reply);
		break;
	}
	ui_redraw();
}

static int send_reply(reply_screen *r)
{
	const char *text = editor_text(r->ed);
	char *trimmed;
	size_t a = 0, b = strlen(text);

	if (r->sending)
		return UI_HANDLED;
	while (a < b && (text[a] == ' ' || text[a] == '\n'))
		a++;
	while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\n'))
		b--;
	if (a == b) {
		ui_status(UI_WARN, "%s", _("The reply is empty."));
		return UI_REDRAW;
	}
	/* Kept on disk before anything goes on the wire. */
	drafts_autosave_now(r->autosave);
	if (!app_require_online()) {
		ui_status(UI_ERROR, "%s",
		          _("Not connected to the database: the reply was NOT sent. It stays here and as a draft; "
		            "press F9 again once reconnected."));
		return UI_REDRAW;
	}
	if (!dialog_confirm(_("Send the reply"), _("Send this reply? The asker reads it exactly as written.")))
		return UI_REDRAW;
	if (!app_require_online()) {
		ui_status(UI_ERROR, "%s", _("Not connected to the database: the reply was NOT sent."));
		return UI_REDRAW;
	}
	trimmed = x_strndup(text + a, b - a);
	if (inquiries_reply(app_db(), r->id, trimmed, sent, r) == 0)
		r->sending = 1;
	free(trimmed);
	return UI_REDRAW;
}

static int insert_canned(reply_screen *r)
{
	const char **titles;
	long pick;
	int n;

	if (!r->canned || r->canned->n == 0) {
		ui_status(UI_INFO, "%s", _("No canned replies for your department."));
		return UI_REDRAW;
	}
	n = r->canned->n;
	titles = x_calloc((size_t)n, sizeof *titles);
	for (int i = 0; i < n; i++)
		titles[i] = r->canned->rows[i].title;
	pick = dialog_choose(_("Canned replies (常用语)"), titles, (size_t)n, 0);
	free(titles);
	/* r->canned is only replaced on reconnection; still, re-check. */
	if (pick >= 0 && r->canned && pick < r->canned->n)
		editor_insert(r->ed, r->canned->rows[pick].body);
	return UI_REDRAW;
}

/* ------------------------------------------------------------- screen */

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	reply_screen *r = s->data;
	int k;

	switch (cmd) {
	case CMD_SEND:
		return send_reply(r);
	case CMD_CANNED:
		return insert_canned(r);
	case CMD_BACK:
		drafts_autosave_now(r->autosave);
		if (editor_chars(r->ed) > 0)
			ui_status(UI_INFO, "%s", _("Reply kept as a draft."));
		return UI_POP;
	default:
		break;
	}
	k = editor_key(r->ed, cmd, ev);
	if (k & EDITOR_FULL)
		ui_status(UI_WARN, _("A reply holds at most %d characters."), REPLY_MAX_CHARS);
	if (k & EDITOR_NOTHING)
		ui_status(UI_INFO, "%s", _("Nothing more to undo."));
	return k ? UI_REDRAW : UI_UNHANDLED;
}

static void draw(ui_screen *s, WINDOW *w)
{
	reply_screen *r = s->data;
	int lines, cols, y = 0, cy = -1, cx = -1, role = TERM_NORMAL;
	char buf[512], left[48];

	getmaxyx(w, lines, cols);
	werase(w);
	if (r->d) {
		app_countdown(left, sizeof left, r->d->has_days_left, r->d->days_left, r->d->urgency, r->d->seconds_left,
		              &role);
		snprintf(buf, sizeof buf, "%s  %s  ·  %s", r->d->ref, r->d->asker_name, app_channel_name(r->d->channel));
		term_put(w, y, 0, cols - 16, TERM_HEADER, 0, buf);
		term_put(w, y++, cols - 15, 15, role, TEXT_ALIGN_RIGHT, left);
		term_put(w, y++, 0, cols, TERM_NORMAL, 0, r->d->subject);
		/* The first lines of the question, for reference while writing. */
		{
			char *clean = text_sanitize(r->d->body, TEXT_KEEP_NEWLINE | TEXT_TAB_SPACE);
			size_t n = text_wrap(clean, cols - 2, NULL, 0), *st = x_calloc(n, sizeof *st);
			text_wrap(clean, cols - 2, st, n);
			for (size_t i = 0; i < n && i < REPLY_QUESTION_LINES; i++) {
				size_t next = i + 1 < n ? st[i + 1] : strlen(clean);
				size_t end = text_line_end(clean, st[i], next);
				char *line = x_strndup(clean + st[i], end - st[i]);
				if (i + 1 == REPLY_QUESTION_LINES && n > REPLY_QUESTION_LINES) {
					char *more = x_asprintf("%s …", line);
					free(line);
					line = more;
				}
				term_put(w, y++, 2, cols - 2, TERM_DIM, 0, line);
				free(line);
			}
			free(st);
			free(clean);
		}
	} else {
		view_loading(w, y++, 0, cols, r->error);
	}
	snprintf(buf, sizeof buf, _("── Your reply (%zu/%d characters)%s ──"), editor_chars(r->ed), REPLY_MAX_CHARS,
	         r->sending ? _(", sending...") : !app_online() ? _(", NOT CONNECTED: kept as a draft") : "");
	term_put(w, y++, 0, cols, app_online() ? TERM_HEADER : TERM_WARN, TEXT_PAD, buf);
	if (lines - y > 0) {
		editor_draw(r->ed, w, y, 0, lines - y, cols, &cy, &cx);
		ui_screen_cursor(s, cy, cx);
	}
}

static void focus(ui_screen *s, int focused)
{
	reply_screen *r = s->data;

	if (!focused)
		drafts_autosave_now(r->autosave);
}

static int open_screen(ui_screen *s)
{
	reply_screen *r = s->data;
	char err[256];

	r->self = s;
	r->ed = editor_new(REPLY_MAX_CHARS);
	r->key = reply_draft_key(r->id);
	ui_screen_title(s, _("Reply (答复)"));
	app_watch_db(db_state_changed, r);
	load(r);
	if (app_online())
		inquiries_canned(app_db(), canned_loaded, r);
	/* A draft from before: offered back (from a timer, once the screen is
	 * up); autosave starts after the clerk has chosen, so it can't
	 * overwrite the draft first. */
	if (app_drafts_dir() && drafts_load(app_drafts_dir(), r->key, &r->draft, err, sizeof err) == 1 && r->draft
	    && *r->draft) {
		r->offer_timer = loop_timer(0, 0, offer_draft, r);
	} else {
		free(r->draft);
		r->draft = NULL;
		start_autosave(r);
	}
	return 0;
}

static void close_screen(ui_screen *s)
{
	reply_screen *r = s->data;

	if (!r)
		return;
	if (app_db())
		db_session_forget(app_db(), r);
	app_unwatch_db(r);
	loop_timer_cancel(r->offer_timer);
	drafts_autosave_free(r->autosave); /* saves what changed */
	editor_free(r->ed);
	inquiry_detail_free(r->d);
	canned_replies_free(r->canned);
	free(r->draft);
	free(r->key);
	free(r);
	s->data = NULL;
}

static const ui_screen_ops reply_ops = {
	.name = "reply",
	.flags = UI_SCREEN_TEXT_INPUT,
	.keybar = reply_keybar,
	.commands = reply_commands,
	.open = open_screen,
	.draw = draw,
	.key = key,
	.focus = focus,
	.close = close_screen,
};

ui_screen *reply_push(long long inquiry_id)
{
	reply_screen *r = x_calloc(1, sizeof *r);

	r->id = inquiry_id;
	return ui_push(&reply_ops, r);
}
