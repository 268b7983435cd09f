/* screens/app.c - the shared state of the screens; see app.h. */
#include "screens/app.h"
#include "screens/bench.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/refusal.h"
#include "db/replica.h"
#include "db/trainroom.h"
#include "screens/screens.h"
#include "ui/dialog.h"
#include "ui/drafts.h"
#include "ui/keys.h"
#include "ui/loop.h"
#include "ui/term.h"

typedef struct watcher {
	app_db_fn fn;
	void *ctx;
	struct watcher *next;
} watcher;

/* A session the loop polls: its socket as watched now and its timer. */
typedef struct pumped {
	db_session *s;
	int fd;              /* the socket watched (-1: none) */
	short events;
	unsigned timer;      /* the session's own timeout (reconnect, send) */
} pumped;

typedef struct report_watcher {
	void (*fn)(void *ctx);
	void *ctx;
	struct report_watcher *next;
} report_watcher;

static struct {
	const config *cfg;
	char *conninfo;
	db_session *db;
	staff_me *me;
	char *drafts_dir;
	pumped main;         /* the primary: app.db */
	pumped rep;          /* the standby of [database] report_dsn, if any */
	replica *replica;
	int report_used;     /* a report screen has read since login: show the note */
	int retry_next;      /* the next report read goes to the primary (a conflict, a write) */
	int in_retry;        /* the reads under way are that retry */
	db_session *last_route;
	long long last_check_ms; /* the standby's lag was last asked */
	report_watcher *report_watchers;
	unsigned tick;       /* a slow heartbeat for output still to flush */
	watcher *watchers;
	ui_screen *root;
	int was_lost;
	char *server;        /* db_conninfo_describe(conninfo), for messages */
	unsigned box_timer;  /* a message too wide for the status line, to box */
	char *box_title, *box_text;
	char *banner;        /* the database's kind (training, test), or NULL */
	unsigned clock_timer;
	int clock_set;       /* the database's clock is not the real one */
	double clock_offset; /* hall.now() - the real time, seconds */
} app = { .main = { .fd = -1 }, .rep = { .fd = -1 } };

const int app_switch_commands[] = { CMD_QUEUE, CMD_INQUIRIES, CMD_RATINGS, CMD_NONE };

void app_init(const config *cfg, const char *conninfo)
{
	app.cfg = cfg;
	app.conninfo = x_strdup(conninfo ? conninfo : "");
	app.server = db_conninfo_describe(app.conninfo);
	app.drafts_dir = drafts_dir(cfg);
}

const config *app_config(void)
{
	return app.cfg;
}

const char *app_conninfo(void)
{
	return app.conninfo;
}

const char *app_drafts_dir(void)
{
	return app.drafts_dir;
}

/* ------------------------------------------------------------ the sockets */

static void sync_loop(void);

static void pump_one(pumped *p)
{
	if (p->s)
		db_session_process(p->s);
}

static void on_fd(int fd, short revents, void *ctx)
{
	(void)fd;
	(void)revents;
	pump_one(ctx);
	sync_loop();
}

static void on_timer(void *ctx)
{
	pumped *p = ctx;

	p->timer = 0;
	pump_one(p);
	sync_loop();
}

/* libpq may keep output it could not write yet; a slow heartbeat makes
 * sure it goes out even when nothing else wakes the sessions. */
static void on_tick(void *ctx)
{
	(void)ctx;
	if ((app.db && (db_session_events(app.db) & DB_WANT_WRITE))
	    || (app.rep.s && (db_session_events(app.rep.s) & DB_WANT_WRITE)))
		app_pump();
}

/* Keep the loop's watch in step with a session: its socket changes on
 * every reconnection and disappears while it is down. */
static void sync_one(pumped *p)
{
	int fd = p->s ? db_session_fd(p->s) : -1;
	int ev = p->s ? db_session_events(p->s) : 0;
	short events = (short)(((ev & DB_WANT_READ) ? POLLIN : 0) | ((ev & DB_WANT_WRITE) ? POLLOUT : 0));
	int t;

	if (fd != p->fd) {
		if (p->fd >= 0)
			loop_unwatch_fd(p->fd);
		p->fd = fd;
		p->events = events;
		if (fd >= 0)
			loop_watch_fd(fd, events, on_fd, p);
	} else if (fd >= 0 && events != p->events) {
		p->events = events;
		loop_fd_events(fd, events);
	}
	loop_timer_cancel(p->timer);
	p->timer = 0;
	t = p->s ? db_session_timeout_ms(p->s) : -1;
	if (t >= 0)
		p->timer = loop_timer(t, 0, on_timer, p);
}

static void sync_loop(void)
{
	sync_one(&app.main);
	sync_one(&app.rep);
}

static void unwatch(pumped *p)
{
	if (p->fd >= 0)
		loop_unwatch_fd(p->fd);
	p->fd = -1;
	loop_timer_cancel(p->timer);
	p->timer = 0;
}

void app_pump(void)
{
	if (!app.db)
		return;
	pump_one(&app.main);
	pump_one(&app.rep);
	sync_loop();
}

/* The report database's state in words, "" when there is nothing to say
 * (none configured, fresh, or no report screen has read yet). */
static const char *report_note(char *buf, size_t n)
{
	replica_state st;
	double lag;
	db_session *route;

	buf[0] = '\0';
	if (!app.replica || !app.report_used)
		return buf;
	st = replica_state_now(app.replica, &lag);
	route = replica_route(app.replica, app.db);
	return replica_note(st, lag, route && route == replica_session(app.replica), buf, n);
}

static void update_title(void)
{
	char buf[512], note[160];
	const char *state = "";

	if (app.db && db_session_state(app.db) != DB_READY)
		state = db_session_state(app.db) == DB_CONNECTING ? _("reconnecting") : _("DISCONNECTED");
	report_note(note, sizeof note);
	if (app.me)
		snprintf(buf, sizeof buf, "%s%s%s %s%s%s", note, *note ? " | " : "", app.me->name, app.me->login,
		         *state ? " | " : "", state);
	else
		snprintf(buf, sizeof buf, "%s%s%s", note, *note && *state ? " | " : "", state);
	/* The title gives its right-hand side half the line: the report
	 * database's state and the connection's come before the name. */
	if (app.me && *note && text_width(buf) > COLS / 2)
		snprintf(buf, sizeof buf, "%s%s%s", note, *state ? " | " : "", state);
	ui_set_title_right(buf);
}

/* Where report reads go may have changed (the standby or the primary came
 * or went, the standby fell behind or caught up): the report screens load
 * again from there, unless told otherwise (the primary is back: every
 * screen reloads on its DB_READY anyway). */
static void report_route_check(int reload)
{
	db_session *route = replica_route(app.replica, app.db);

	update_title();
	if (!app.replica || route == app.last_route)
		return;
	app.last_route = route;
	if (!route || !reload)
		return;
	for (report_watcher *w = app.report_watchers, *next; w; w = next) {
		next = w->next;
		w->fn(w->ctx);
	}
	ui_redraw();
}

static void on_state(void *ctx, db_state st, const char *msg)
{
	(void)ctx;
	update_title();
	if (st == DB_DISCONNECTED) {
		/* libpq's words to the log, one sentence to the clerk.  Only the
		 * status line: a box on every attempt would take the keys of
		 * someone typing on through the outage. */
		if (!app.was_lost || (msg && *msg)) {
			char text[512];
			log_msg(LOG_WARNING, "database connection to %s down: %s", app.server ? app.server : "",
			        msg && *msg ? msg : "no answer");
			refusal_connect_text(msg, 0, app.server, 1, text, sizeof text);
			ui_status(UI_WARN, "%s", text);
		}
		app.was_lost = 1;
	} else if (st == DB_READY) {
		if (app.was_lost)
			ui_status(UI_OK, _("Reconnected to the database."));
		app.was_lost = 0;
	}
	/* A callback may unwatch (free) its own entry: find the next first. */
	for (watcher *w = app.watchers, *next; w; w = next) {
		next = w->next;
		if (st != DB_CONNECTING)
			w->fn(w->ctx, st);
	}
	if (st != DB_CONNECTING)
		report_route_check(st != DB_READY);
	ui_redraw();
}

static void on_report_change(void *ctx)
{
	(void)ctx;
	report_route_check(1);
	ui_redraw();
}

/* A request was queued: send it on the next turn of the loop (not from
 * inside the caller's key handler, which may not expect its callback yet). */
static void on_wake(void *ctx)
{
	pumped *p = ctx;

	loop_timer_cancel(p->timer);
	p->timer = loop_timer(0, 0, on_timer, p);
}

static void close_replica(void)
{
	unwatch(&app.rep);
	replica_free(app.replica);
	app.replica = NULL;
	app.rep.s = NULL;
	app.last_route = NULL;
	app.report_used = app.retry_next = app.in_retry = 0;
}

/* The report database of [database] report_dsn, as the person logged in
 * (only for those who have report screens: not a clerk). */
static void open_replica(void)
{
	const char *dsn = app.cfg ? config_str(app.cfg, "database", "report_dsn") : "";

	close_replica();
	if (!app.db || !dsn || !*dsn || app_is_clerk())
		return;
	app.replica = replica_open(app.db, dsn, (int)config_int(app.cfg, "database", "connect_timeout"),
	                           (int)config_int(app.cfg, "database", "reconnect_max_seconds"),
	                           (int)config_int(app.cfg, "database", "report_max_lag"),
	                           (int)config_int(app.cfg, "database", "report_fallback_lag"));
	if (!app.replica)
		return;
	app.rep.s = replica_session(app.replica);
	replica_on_change(app.replica, on_report_change, NULL);
	db_session_on_wake(app.rep.s, on_wake, &app.rep);
	app.last_route = replica_route(app.replica, app.db);
	sync_loop();
}

void app_set_session(db_session *s)
{
	close_replica();
	if (app.db) {
		unwatch(&app.main);
		db_session_free(app.db);
	}
	app.db = s;
	app.main.s = s;
	db_session_on_state(s, on_state, NULL);
	db_session_on_wake(s, on_wake, &app.main);
	if (!app.tick)
		app.tick = loop_timer(200, 1, on_tick, NULL);
	sync_loop();
	update_title();
}

db_session *app_db(void)
{
	return app.db;
}

int app_online(void)
{
	return app.db && db_session_state(app.db) == DB_READY;
}

int app_require_online(void)
{
	if (app_online())
		return 1;
	ui_status(UI_ERROR, _("Not connected to the database: nothing was done. Try again once it is back."));
	return 0;
}

/* ------------------------------------------------------------ the reports */

db_session *app_report_session(void)
{
	if (!app.db)
		return NULL;
	if (!app.report_used && app.replica) {
		app.report_used = 1;
		update_title();
	}
	/* At most once a second: a lag hovering at report_fallback_lag must
	 * not have the screens reload back and forth as fast as they can. */
	if (app.replica && loop_now_ms() - app.last_check_ms >= 1000) {
		app.last_check_ms = loop_now_ms();
		replica_check(app.replica);
	}
	if (app.retry_next && app_online()) {
		app.retry_next = 0;
		app.in_retry = 1;
		return app.db;
	}
	app.retry_next = app.in_retry = 0;
	return replica_route(app.replica, app.db);
}

int app_report_online(void)
{
	return app.db && replica_route(app.replica, app.db) != NULL;
}

int app_report_again(const db_reply *reply)
{
	db_session *rs = replica_session(app.replica);

	if (!reply || !rs || reply->status == DB_OK)
		return 0;
	if (replica_is_conflict(reply) && !app.in_retry) {
		log_msg(LOG_NOTICE, "report database cancelled a read (conflict with recovery): reading it from the primary");
		app.retry_next = 1;
		return 1;
	}
	/* The standby went while it answered: the primary takes over. */
	return (reply->status == DB_LOST || reply->status == DB_OFFLINE) && db_session_state(rs) != DB_READY
	       && app_online();
}

void app_report_after_write(void)
{
	if (app.replica)
		app.retry_next = 1;
}

int app_report_settle_ms(void)
{
	db_session *route = replica_route(app.replica, app.db);

	return route && route == replica_session(app.replica) ? APP_REPORT_SETTLE_MS : 0;
}

void app_watch_report(void (*fn)(void *ctx), void *ctx)
{
	report_watcher *w = x_calloc(1, sizeof *w);

	w->fn = fn;
	w->ctx = ctx;
	w->next = app.report_watchers;
	app.report_watchers = w;
}

void app_forget(void *ctx)
{
	if (app.db)
		db_session_forget(app.db, ctx);
	if (app.rep.s)
		db_session_forget(app.rep.s, ctx);
}

const char *app_refusal_text(const db_reply *reply, char *buf, size_t len)
{
	return refusal_text(reply, buf, len);
}

static void show_box(void *ctx)
{
	char *title = app.box_title, *text = app.box_text;

	(void)ctx;
	app.box_timer = 0;
	app.box_title = app.box_text = NULL;
	if (text && !ui_quitting())
		dialog_message(title, text);
	free(title);
	free(text);
}

void app_show_message(enum ui_status_kind kind, const char *title, const char *text)
{
	if (!text || !*text)
		return;
	ui_status(kind, "%s", text);
	if (text_width(text) <= COLS)
		return;
	/* Too wide for the status line: the whole sentence in a box as well,
	 * opened from the loop (not inside the caller's callback), one at a
	 * time - a newer message replaces one not shown yet. */
	free(app.box_title);
	free(app.box_text);
	app.box_title = x_strdup(title && *title ? title : _("Not done"));
	app.box_text = x_strdup(text);
	if (!app.box_timer)
		app.box_timer = loop_timer(0, 0, show_box, NULL);
}

void app_show_error(const char *what, const db_reply *reply)
{
	char why[1024];
	char *text;

	if (!reply || reply->status == DB_OK)
		return;
	refusal_text(reply, why, sizeof why);
	/* Done or not is unknown after a loss; otherwise nothing was done. */
	if (!what || !*what)
		text = x_strdup(why);
	else if (reply->status == DB_LOST)
		text = x_asprintf(_("%s: %s"), what, why);
	else
		text = x_asprintf(_("%s was not done: %s"), what, why);
	app_show_message(UI_ERROR, what, text);
	free(text);
}

void app_watch_db(app_db_fn fn, void *ctx)
{
	watcher *w = x_calloc(1, sizeof *w);

	w->fn = fn;
	w->ctx = ctx;
	w->next = app.watchers;
	app.watchers = w;
}

void app_unwatch_db(void *ctx)
{
	watcher **pp = &app.watchers;
	report_watcher **rp = &app.report_watchers;

	while (*rp) {
		report_watcher *w = *rp;
		if (w->ctx == ctx) {
			*rp = w->next;
			free(w);
		} else {
			rp = &w->next;
		}
	}

	while (*pp) {
		watcher *w = *pp;
		if (w->ctx == ctx) {
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
}

/* ------------------------------------------------------------ the clock */

/* The banner: the database's kind, and the training time beside the real
 * one when the database's clock is not the real clock (011_clock.sql). */
static void show_banner(void)
{
	char *text, tr[32], real[32];
	time_t now = time(NULL), at = app_clock_now();

	if (!app.banner) {
		ui_set_banner(NULL);
		return;
	}
	if (!app.clock_set) {
		ui_set_banner(app.banner);
		return;
	}
	strftime(tr, sizeof tr, "%m-%d %H:%M", localtime(&at));
	strftime(real, sizeof real, "%H:%M", localtime(&now));
	text = x_asprintf(_("%s   Training time %s · real %s"), app.banner, tr, real);
	ui_set_banner(text);
	free(text);
}

static void clock_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	(void)ctx;
	(void)reply;
	if (rows && rows->nrows == 1) {
		app.clock_offset = strtod(db_rows_get(rows, 0, 0), NULL) - strtod(db_rows_get(rows, 0, 1), NULL);
		/* A minute either way is the real clock (the display shows minutes). */
		app.clock_set = app.clock_offset >= 60 || app.clock_offset <= -60;
		show_banner();
		ui_redraw();
	}
	db_rows_free(rows);
}

void app_clock_refresh(void)
{
	if (!app.me || strcmp(app.me->mode, "production") == 0 || !app_online())
		return;
	troom_clock(app.db, clock_loaded, &app.clock_timer);
}

time_t app_clock_now(void)
{
	return time(NULL) + (time_t)(app.clock_set ? app.clock_offset : 0);
}

/* The trainer began or ended an exercise (its clock), or reset the
 * database: ask now rather than at the next tick. */
static void training_notified(void *ctx, const char *channel, const char *payload)
{
	(void)ctx;
	(void)channel;
	(void)payload;
	app_clock_refresh();
}

/* Asked again every few seconds: another trainer may move the clock, a
 * stopped clock stands still while ours runs on, and the minutes move. */
static void clock_tick(void *ctx)
{
	(void)ctx;
	app_clock_refresh();
}

/* -------------------------------------------------------------- the person */

void app_set_me(staff_me *me)
{
	staff_me_free(app.me);
	app.me = me;
	free(app.banner);
	app.banner = NULL;
	if (me && strcmp(me->mode, "production") != 0)
		app.banner = x_strdup(strcmp(me->mode, "demo") == 0
		                          ? _("TRAINING DATABASE - demo data, not real cases (培训数据库)")
		                          : _("TEST DATABASE - not real cases"));
	app.clock_set = 0;
	show_banner();
	loop_timer_cancel(app.clock_timer);
	app.clock_timer = 0;
	if (app.db)
		db_session_unlisten(app.db, &app.clock_set);
	if (app.banner) {
		app_clock_refresh();
		app.clock_timer = loop_timer(APP_CLOCK_MS, 1, clock_tick, NULL);
		if (app.db)
			db_session_listen(app.db, "hall_training", training_notified, &app.clock_set);
	}
	update_title();
}

const staff_me *app_me(void)
{
	return app.me;
}

int app_is_clerk(void)
{
	return app.me && strcmp(app.me->kind, "clerk") == 0;
}

int app_is_supervisor(void)
{
	return app.me && strcmp(app.me->kind, "supervisor") == 0;
}

int app_is_trainer(void)
{
	return app.me && strcmp(app.me->kind, "trainer") == 0;
}

int app_is_demo(void)
{
	return app.me && strcmp(app.me->mode, "demo") == 0;
}

/* [ui] warn_days decides the yellow mark on this terminal; the database's
 * own setting (the same default) decides the supervisors' counts. */
int app_warn_days(void)
{
	if (app.cfg)
		return (int)config_int(app.cfg, "ui", "warn_days");
	return app.me ? app.me->warn_days : 1;
}

int app_refresh_ms(void)
{
	return app.cfg ? (int)config_int(app.cfg, "ui", "refresh_ms") : 1000;
}

/* ------------------------------------------------------- the main screens */

void app_start_main(void)
{
	open_replica();
	if (app_is_clerk())
		app.root = ui_replace(&queue_ops, queue_new());
	else if (app_is_trainer() && app_is_demo())
		app.root = ui_replace(&training_ops, training_new());
	else
		app.root = ui_replace(&timeliness_ops, timeliness_new());
}

static const ui_screen_ops *ops_for(int cmd, void **data)
{
	switch (cmd) {
	case CMD_QUEUE:
		*data = queue_new();
		return &queue_ops;
	case CMD_INQUIRIES:
		*data = inquiries_new();
		return &inquiries_ops;
	case CMD_RATINGS:
		/* A clerk's own ratings; for everyone else the department's
		 * (the hall's for the director and the trainer). */
		if (!app_is_clerk()) {
			*data = deptratings_new();
			return &deptratings_ops;
		}
		*data = ratings_new();
		return &ratings_ops;
	case CMD_OUTBOX:
		*data = outbox_new();
		return &outbox_ops;
	default:
		*data = NULL;
		return NULL;
	}
}

int app_goto(int cmd)
{
	ui_screen *top = ui_top();
	const ui_screen_ops *ops;
	void *data;

	if (!top)
		return UI_HANDLED;
	/* Already there. */
	if ((cmd == CMD_QUEUE && top->ops == &queue_ops) || (cmd == CMD_INQUIRIES && top->ops == &inquiries_ops)
	    || (cmd == CMD_RATINGS && (top->ops == &ratings_ops || top->ops == &deptratings_ops)) || (cmd == CMD_OUTBOX && top->ops == &outbox_ops))
		return UI_HANDLED;
	/* Back to the root screen: close what is on top of it. */
	if (app.root && app.root != top && cmd == CMD_QUEUE && app.root->ops == &queue_ops)
		return UI_POP;
	ops = ops_for(cmd, &data);
	if (!ops)
		return UI_HANDLED;
	bench_mark("goto_key", ops->name);
	if (top == app.root)
		ui_push(ops, data);
	else
		ui_replace(ops, data);
	return UI_REDRAW;
}

void app_shutdown(void)
{
	watcher *w, *next;

	loop_timer_cancel(app.tick);
	loop_timer_cancel(app.box_timer);
	loop_timer_cancel(app.clock_timer);
	app.tick = app.box_timer = app.clock_timer = 0;
	free(app.banner);
	app.banner = NULL;
	free(app.box_title);
	free(app.box_text);
	app.box_title = app.box_text = NULL;
	free(app.server);
	app.server = NULL;
	close_replica();
	unwatch(&app.main);
	db_session_free(app.db);
	app.db = app.main.s = NULL;
	staff_me_free(app.me);
	app.me = NULL;
	for (w = app.watchers; w; w = next) {
		next = w->next;
		free(w);
	}
	app.watchers = NULL;
	for (report_watcher *r = app.report_watchers, *rn; r; r = rn) {
		rn = r->next;
		free(r);
	}
	app.report_watchers = NULL;
	free(app.conninfo);
	app.conninfo = NULL;
	free(app.drafts_dir);
	app.drafts_dir = NULL;
}

/* ------------------------------------------------------------------ words */

typedef struct word {
	const char *code, *name;
} word;

static const char *lookup(const word *t, const char *code)
{
	if (!code)
		return "";
	for (; t->code; t++)
		if (strcmp(t->code, code) == 0)
			return _(t->name);
	return code;
}

const char *app_state_name(const char *state)
{
	static const word t[] = {
		{ "submitted", N_("submitted") }, { "in_review", N_("in review") },
		{ "returned", N_("returned") },   { "escalated", N_("escalated") },
		{ "completed", N_("completed") }, { "rejected", N_("rejected") },
		{ "withdrawn", N_("withdrawn") }, { "terminated", N_("terminated") },
		{ "open", N_("open") },
		{ "answered", N_("answered") },   { NULL, NULL },
	};
	return lookup(t, state);
}

const char *app_channel_name(const char *channel)
{
	static const word t[] = {
		{ "window", N_("window") }, { "web", N_("web") }, { "app", N_("app") },
		{ "kiosk", N_("kiosk") },   { "hotline", N_("12345") }, { NULL, NULL },
	};
	return lookup(t, channel);
}

const char *app_kind_name(const char *kind)
{
	static const word t[] = {
		{ "clerk", N_("clerk") }, { "supervisor", N_("supervisor") },
		{ "trainer", N_("trainer") }, { "director", N_("director") }, { "admin", N_("administrator") }, { NULL, NULL },
	};
	return lookup(t, kind);
}

const char *app_action_name(const char *action)
{
	static const word t[] = {
		{ "submit", N_("application received") },      { "claim", N_("claimed") },
		{ "release", N_("released") },      { "approve", N_("approved") },
		{ "return", N_("returned for correction") },
		{ "resubmit", N_("resubmitted") },  { "escalate", N_("escalated") },
		{ "decide", N_("decided") },        { "reject", N_("rejected") },
		{ "withdraw", N_("withdrawn") },    { "request_extension", N_("extension asked") },
		{ "grant_extension", N_("extension granted") }, { "refuse_extension", N_("extension refused") },
		{ "reveal", N_("ID number revealed") }, { "recompute", N_("due date recomputed") },
		{ "receive", N_("received at the window") }, { "supply_deferred", N_("容缺 material supplied") },
		{ "record_check", N_("告知承诺 checked") }, { "terminate", N_("terminated") },
		{ "revoke", N_("revoked") },
		{ NULL, NULL },
	};
	return lookup(t, action);
}

const char *app_days_cell(char *buf, size_t n, int has_days, int days, const char *urgency, int *role)
{
	int r = TERM_NORMAL;

	if (!has_days || !urgency || strcmp(urgency, "paused") == 0) {
		snprintf(buf, n, "%s", _("paused"));
		r = TERM_DIM;
	} else if (strcmp(urgency, "overdue") == 0) {
		/* Two marks and the sign: readable without colour. */
		snprintf(buf, n, "!!%d", days);
		r = TERM_OVERDUE;
	} else if (days <= app_warn_days()) {
		snprintf(buf, n, "!%d", days);
		r = TERM_WARN;
	} else {
		snprintf(buf, n, "%d", days);
	}
	if (role)
		*role = r;
	return buf;
}

const char *app_countdown(char *buf, size_t n, int has_days, int days, const char *urgency,
                          long long seconds_left, int *role)
{
	int r = TERM_NORMAL;

	if (!has_days || !urgency || strcmp(urgency, "answered") == 0) {
		snprintf(buf, n, "%s", _("answered"));
		r = TERM_DIM;
	} else if (strcmp(urgency, "overdue") == 0 || seconds_left < 0) {
		snprintf(buf, n, _("!!%dd over"), days < 0 ? -days : 1);
		r = TERM_OVERDUE;
	} else if (days == 0) {
		long long m = seconds_left / 60;
		snprintf(buf, n, _("!%lldh%02lldm working left"), m / 60, m % 60);
		r = TERM_OVERDUE;
	} else if (days <= app_warn_days()) {
		snprintf(buf, n, _("!%dd left"), days);
		r = TERM_WARN;
	} else {
		snprintf(buf, n, _("%dd left"), days);
	}
	if (role)
		*role = r;
	return buf;
}
