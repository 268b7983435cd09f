/* screens/login.c - connect, and ask for a user and password only when the
 * server wants them.
 *
 * The first attempt uses the connection string as it is (the config, PG*
 * variables, ~/.pgpass may be all it takes).  If the server asks for a
 * password, or the account is not a staff member, or the server can't be
 * reached, the screen shows one line saying so and a form; Enter tries
 * again.  Nothing here exits the program except Esc / F10.
 *
 * On a demo database the accounts of hall.demo_accounts() are listed under
 * the form (when a first connection could be made to ask for them); Up and
 * Down pick one into the user field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/refusal.h"
#include "db/session.h"
#include "db/staff.h"
#include "screens/app.h"
#include "screens/bench.h"
#include "screens/screens.h"
#include "ui/dialog.h"
#include "ui/editor.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define LOGIN_FIELD_MAX 128

typedef enum phase {
	PHASE_CONNECTING, /* a connection attempt is about to run (blocking) */
	PHASE_CHECKING,   /* connected: asking who we are */
	PHASE_FORM,       /* waiting for the clerk */
} phase;

typedef struct login {
	phase phase;
	int attempts;
	int focus;                     /* 0 user, 1 password */
	char user[LOGIN_FIELD_MAX];
	char password[LOGIN_FIELD_MAX];
	int have_password;             /* a password was typed for this attempt */
	char message[512];
	int message_is_error;          /* drawn in the error role */
	char *target;                  /* where we connect, for the screen */
	unsigned timer;
	staff_accounts *accounts;
	list *list;
	int guest_tried;               /* the demo guest was asked for the accounts */
	int user_named;                /* the user was given (user=, PGUSER), not the OS login */
	char refused[512];             /* why the database said we are no staff member */
} login;

static const int login_keybar[] = { CMD_LOGIN, CMD_NEXT_FIELD, CMD_QUIT, CMD_NONE };
static const int login_commands[] = { CMD_LOGIN, CMD_NEXT_FIELD, CMD_PREV_FIELD, CMD_BACKSPACE, CMD_KILL_BOL,
                                      CMD_NONE };

static const list_column account_cols[] = {
	{ N_("Login"), 10, 12, 0, LIST_LEFT },
	{ N_("Name"), 8, 12, 1, LIST_LEFT },
	{ N_("Role"), 8, 10, 0, LIST_LEFT },
	{ N_("Windows"), 8, 0, 2, LIST_LEFT },
};

static const char *account_cell(void *ctx, size_t row, int col, int *role)
{
	login *l = ctx;
	const staff_account *a;

	(void)role;
	if (!l->accounts || row >= (size_t)l->accounts->n)
		return NULL;
	a = &l->accounts->rows[row];
	switch (col) {
	case 0:
		return a->login;
	case 1:
		return a->name;
	case 2:
		return app_kind_name(a->kind);
	default:
		return a->windows;
	}
}

static const list_source account_source = { account_cell, NULL, NULL };

static int account_index(const login *l, const char *user)
{
	for (int i = 0; l->accounts && i < l->accounts->n; i++)
		if (strcmp(l->accounts->rows[i].login, user) == 0)
			return i;
	return -1;
}

static int account_listed(const login *l, const char *user)
{
	return account_index(l, user) >= 0;
}

static void wipe_password(login *l)
{
	/* Not a secret worth keeping around once used. */
	memset(l->password, 0, sizeof l->password);
	l->have_password = 0;
}

static void accounts_loaded(void *ctx, staff_accounts *a, const db_reply *reply)
{
	login *l = ctx;

	(void)reply; /* an older schema without hall.demo_accounts(): no list */
	if (!a)
		return;
	staff_accounts_free(l->accounts);
	l->accounts = a;
	list_set_rows(l->list, (size_t)a->n);
	/* Start on the account in the user field, if it is listed. */
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->rows[i].login, l->user) == 0)
			list_select(l->list, (size_t)i);
	ui_redraw();
}

/* Connected, but not as a staff member (the cluster's superuser on a demo
 * machine, say): ask for an account, offering the training ones when the
 * database lists them.  refused: the database's refusal ("" when the
 * connection failed instead). */
static void not_staff(login *l, int refused)
{
	l->phase = PHASE_FORM;
	l->focus = 0;
	if (l->accounts && l->accounts->n > 0 && refused) {
		/* A demo machine's own account: offer the training ones. */
		size_t sel = list_selected(l->list);
		snprintf(l->user, sizeof l->user, "%s", l->accounts->rows[sel != LIST_NONE ? sel : 0].login);
		snprintf(l->message, sizeof l->message, "%s",
		         _("Choose a training account below (Up/Down) and enter its password."));
		l->message_is_error = 0;
		l->focus = 1;
	} else {
		if (refused)
			snprintf(l->message, sizeof l->message, "%s", l->refused);
		else
			refusal_connect_text(db_session_error(app_db()), 0, l->target, 0, l->message, sizeof l->message);
		l->message_is_error = 1;
	}
	ui_redraw();
}

static void accounts_then_offer(void *ctx, staff_accounts *a, const db_reply *reply)
{
	accounts_loaded(ctx, a, reply);
	not_staff(ctx, 1);
}

static void me_loaded(void *ctx, staff_me *me, const db_reply *reply)
{
	login *l = ctx;

	if (!me) {
		int refused = reply->status == DB_FAILED;
		if (refused)
			app_refusal_text(reply, l->refused, sizeof l->refused);
		/* The training accounts are read only now: a staff member's
		 * login does not wait for a list it never shows. */
		if (refused && !l->accounts && staff_demo_accounts(app_db(), accounts_then_offer, l) == 0)
			return;
		not_staff(l, refused);
		return;
	}
	bench_mark("login", me->login);
	app_set_me(me);
	app_start_main();
}

static void attempt(void *ctx)
{
	login *l = ctx;
	const config *cfg = app_config();
	int needs_password = 0;
	char err[512];
	db_session *s;

	l->timer = 0;
	l->attempts++;
	/* Blocking, bounded by [database] connect_timeout: the screen already
	 * says "connecting". */
	s = db_session_open(app_conninfo(), l->user[0] ? l->user : NULL, l->have_password ? l->password : NULL,
	                    (int)config_int(cfg, "database", "connect_timeout"),
	                    (int)config_int(cfg, "database", "reconnect_max_seconds"), &needs_password, err,
	                    sizeof err);
	wipe_password(l);
	if (!s && !l->accounts && !l->guest_tried) {
		/* Not connected yet (an unknown user, a password to ask): a demo
		 * database still lists its training accounts, through its guest
		 * login that can do nothing else. */
		l->guest_tried = 1;
		l->accounts = staff_demo_accounts_guest(app_conninfo(), (int)config_int(cfg, "database", "connect_timeout"));
		if (l->accounts) {
			list_set_rows(l->list, (size_t)l->accounts->n);
			/* The operating-system login is no training account: offer
			 * the first one.  A user the clerk named stays as named. */
			if (!l->user_named && !account_listed(l, l->user))
				snprintf(l->user, sizeof l->user, "%s", l->accounts->rows[0].login);
			if (account_listed(l, l->user))
				list_select(l->list, (size_t)account_index(l, l->user));
		}
	}
	if (!s) {
		l->phase = PHASE_FORM;
		/* A first attempt that only lacked the password is not an error
		 * worth shouting about. */
		l->message_is_error = !(needs_password && l->attempts == 1);
		if (l->message_is_error)
			snprintf(l->message, sizeof l->message, "%s", err);
		else
			snprintf(l->message, sizeof l->message, "%s", _("Enter your password."));
		l->focus = l->user[0] ? 1 : 0;
		/* A sentence wider than the form opens in a box, never cut (this
		 * runs from a timer: a dialog may open here). */
		if (l->message_is_error && text_width(l->message) > COLS - 4)
			dialog_message(_("Log in"), l->message);
		ui_redraw();
		return;
	}
	app_set_session(s);
	l->phase = PHASE_CHECKING;
	l->message[0] = '\0';
	staff_load_me(s, me_loaded, l);
	ui_redraw();
}

static void start_attempt(login *l)
{
	l->phase = PHASE_CONNECTING;
	l->message_is_error = 0;
	snprintf(l->message, sizeof l->message, "%s", _("Connecting..."));
	/* Let the loop paint "connecting" before the blocking attempt: it
	 * paints before it polls, so the next turn is enough (a 10 ms wait
	 * here was a tenth of the start-up, doc/performance.md P3). */
	loop_timer_cancel(l->timer);
	l->timer = loop_timer(0, 0, attempt, l);
	ui_redraw();
}

static int login_open(ui_screen *s)
{
	login *l = s->data;
	char *user = db_conninfo_user(app_conninfo());

	snprintf(l->user, sizeof l->user, "%s", user);
	free(user);
	l->user_named = db_conninfo_names_user(app_conninfo());
	l->target = db_conninfo_describe(app_conninfo());
	l->list = list_new(account_cols, 4, &account_source, l);
	list_set_empty_text(l->list, "");
	ui_screen_title(s, _("hallterm - service hall terminal: log in"));
	start_attempt(l);
	return 0;
}

static void draw_field(WINDOW *w, int y, int x, const char *label, const char *value, int secret, int focused,
                       int *cur_x)
{
	char stars[LOGIN_FIELD_MAX];
	size_t n = 0;
	int width = 30;

	term_put(w, y, x, 12, TERM_NORMAL, TEXT_PAD | TEXT_ALIGN_RIGHT, label);
	if (secret) {
		/* One star per character, not per byte. */
		for (size_t i = 0; value[i] && n + 1 < sizeof stars; i = text_next(value, i))
			stars[n++] = '*';
		stars[n] = '\0';
		value = stars;
	}
	term_put(w, y, x + 13, width, focused ? TERM_INPUT : TERM_NORMAL, TEXT_PAD, value);
	if (focused && cur_x) {
		int wv = text_width(value);
		*cur_x = x + 13 + (wv < width ? wv : width - 1);
	}
}

static void login_draw(ui_screen *s, WINDOW *w)
{
	login *l = s->data;
	int lines, cols, y = 1, cur_x = -1;

	getmaxyx(w, lines, cols);
	werase(w);
	term_put(w, y++, 2, cols - 4, TERM_HEADER, 0, _("Service hall terminal (政务服务大厅窗口终端)"));
	y++;
	{
		char buf[512];
		snprintf(buf, sizeof buf, _("Database: %s"), l->target ? l->target : "");
		term_put(w, y++, 2, cols - 4, TERM_DIM, 0, buf);
	}
	y++;
	draw_field(w, y, 2, _("User:"), l->user, 0, l->phase == PHASE_FORM && l->focus == 0, &cur_x);
	if (l->phase == PHASE_FORM && l->focus == 0)
		ui_screen_cursor(s, y, cur_x);
	y++;
	draw_field(w, y, 2, _("Password:"), l->password, 1, l->phase == PHASE_FORM && l->focus == 1, &cur_x);
	if (l->phase == PHASE_FORM && l->focus == 1)
		ui_screen_cursor(s, y, cur_x);
	y += 2;
	if (l->message[0])
		term_put(w, y, 2, cols - 4,
		         l->phase == PHASE_FORM && l->message_is_error ? TERM_ERROR : TERM_DIM,
		         0, l->message);
	y++;
	if (l->phase == PHASE_FORM)
		term_put(w, y, 2, cols - 4, TERM_DIM, 0,
		         _("Enter: log in   Tab: next field   Up/Down: pick a training account   F10: quit"));
	y += 2;
	if (l->accounts && l->accounts->n > 0 && y + 3 < lines) {
		term_put(w, y++, 2, cols - 4, TERM_BANNER, TEXT_PAD,
		         _("Training database: these demo accounts can log in (password on the trainer's sheet)"));
		list_draw(l->list, w, y, 2, lines - y, cols - 4);
	}
}

static void field_backspace(char *f)
{
	size_t len = strlen(f);

	if (len)
		f[text_prev(f, len)] = '\0';
}

static int login_key(ui_screen *s, int cmd, const ui_event *ev)
{
	login *l = s->data;
	char *f;

	if (l->phase != PHASE_FORM) {
		/* Only leaving works while connecting. */
		return cmd == CMD_QUIT || cmd == CMD_BACK ? UI_UNHANDLED : UI_HANDLED;
	}
	f = l->focus == 0 ? l->user : l->password;
	switch (cmd) {
	case CMD_NONE:
		if (ev->key > 0 && !ev->mouse) {
			char buf[5];
			size_t n = editor_utf8((uint32_t)ev->key, buf), len = strlen(f);
			if (n && len + n < LOGIN_FIELD_MAX) {
				memcpy(f + len, buf, n + 1);
				if (l->focus == 1)
					l->have_password = 1;
			}
		}
		return UI_REDRAW;
	case CMD_BACKSPACE:
		field_backspace(f);
		return UI_REDRAW;
	case CMD_KILL_BOL:
		memset(f, 0, LOGIN_FIELD_MAX);
		return UI_REDRAW;
	case CMD_NEXT_FIELD:
	case CMD_PREV_FIELD:
		l->focus = !l->focus;
		return UI_REDRAW;
	case CMD_UP:
	case CMD_DOWN:
	case CMD_PGUP:
	case CMD_PGDN:
		if (l->accounts && l->accounts->n > 0) {
			size_t sel;
			list_key(l->list, cmd, ev);
			sel = list_selected(l->list);
			if (sel != LIST_NONE) {
				snprintf(l->user, sizeof l->user, "%s", l->accounts->rows[sel].login);
				l->focus = 1;
			}
		}
		return UI_REDRAW;
	case CMD_LOGIN:
		if (!l->user[0]) {
			l->focus = 0;
			snprintf(l->message, sizeof l->message, "%s", _("Enter your user name."));
			l->message_is_error = 1;
			return UI_REDRAW;
		}
		if (!l->password[0]) {
			/* Refused here: an empty password is never worth a round trip. */
			if (l->focus == 1) {
				snprintf(l->message, sizeof l->message, "%s", _("Enter your password."));
				l->message_is_error = 1;
			}
			l->focus = 1;
			return UI_REDRAW;
		}
		l->have_password = 1;
		start_attempt(l);
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

static void login_close(ui_screen *s)
{
	login *l = s->data;

	if (!l)
		return;
	loop_timer_cancel(l->timer);
	if (app_db())
		db_session_forget(app_db(), l);
	wipe_password(l);
	staff_accounts_free(l->accounts);
	list_free(l->list);
	free(l->target);
	free(l);
	s->data = NULL;
}

static const ui_screen_ops login_ops = {
	.name = "login",
	.flags = UI_SCREEN_TEXT_INPUT,
	.keybar = login_keybar,
	.commands = login_commands,
	.open = login_open,
	.draw = login_draw,
	.key = login_key,
	.close = login_close,
};

ui_screen *login_push(void)
{
	return ui_push(&login_ops, x_calloc(1, sizeof(login)));
}
