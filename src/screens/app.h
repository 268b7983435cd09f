/* screens/app.h - what every screen shares: the database session, the
 * person logged in, the configuration, moving between the main screens,
 * and the words the screens use for states, channels and deadlines.
 *
 * hallterm has one session and one person at a time, so this is a small
 * module with file-level state (like tig's global options), not a context
 * threaded through every call.  It owns the session and the staff_me.
 */
#ifndef HALLTERM_SCREENS_APP_H
#define HALLTERM_SCREENS_APP_H

#include <stddef.h>
#include <time.h>

#include "common/config.h"
#include "db/session.h"
#include "db/staff.h"
#include "ui/loop.h"

/* Start-up (hallterm.c): cfg is borrowed and must outlive the loop;
 * conninfo is copied. */
void app_init(const config *cfg, const char *conninfo);
/* Close the session, free everything (after ui_run). */
void app_shutdown(void);

const config *app_config(void);
const char *app_conninfo(void);

/* --- the database ---------------------------------------------------- */

/* Adopt a connected session (the login screen made it): register its
 * socket with the loop.  Replaces (and frees) any previous one. */
void app_set_session(db_session *s);
db_session *app_db(void);             /* NULL before login */
int app_online(void);

/* For an action the clerk asked for: 1 when connected; otherwise shows
 * "not connected ..." on the status line and returns 0, so nothing is
 * attempted (never half-done, never queued for later behind their back). */
int app_require_online(void);

/* Show a reply that is not DB_OK as one sentence for the clerk: `what`
 * says what was not done ("Approve"), already translated, then what
 * happened and what to do (db/refusal.h: by the refusal's reason and
 * SQLSTATE, never the database's English, which goes to the log).  On the
 * status line, and in a box as well when it is wider than the line. */
void app_show_error(const char *what, const db_reply *reply);

/* The sentence alone, for a screen that shows a failed load in its own
 * body (refusal_text: "" for DB_OK).  Returns buf. */
const char *app_refusal_text(const db_reply *reply, char *buf, size_t len);

/* A message for the status line that may be long (a refusal the screen
 * words itself): shown there, and in a box titled `title` when it is wider
 * than the line (from the loop, not inside the caller). */
void app_show_message(enum ui_status_kind kind, const char *title, const char *text);

/* Let the session do its work now (the loop calls it; queued requests
 * are sent on the loop's next turn by themselves). */
void app_pump(void);

/* Screens that show database data register here to hear of a lost and a
 * restored connection (reload on DB_READY).  app_unwatch_db also ends
 * ctx's app_watch_report. */
typedef void (*app_db_fn)(void *ctx, db_state state);
void app_watch_db(app_db_fn fn, void *ctx);
void app_unwatch_db(void *ctx);

/* Drop ctx's callbacks on every session (db_session_forget on the primary
 * and on the report database): a screen that closes. */
void app_forget(void *ctx);

/* --- reports: a streaming standby (doc/replica.md) ---------------------- */

/* The supervisors' figures and exports read through here: the standby of
 * [database] report_dsn when it is connected and not too far behind, the
 * primary otherwise (db/replica.h replica_route; opened at login for all
 * but clerks).  Without report_dsn it is always the primary.  NULL when
 * nothing is connected.  Call once per load of a report screen and send
 * that load's reads to it: it also asks the standby its lag (one cheap
 * query), and gives the primary once after app_report_again() or
 * app_report_after_write().  NEVER for anything that writes: actions go
 * to app_db(). */
db_session *app_report_session(void);
/* A report read can be made now (the same choice, no side effect). */
int app_report_online(void);

/* A report read failed: 1 when it failed because of the standby (the
 * replay cancelled it, SQLSTATE 40001; or the standby went while it
 * answered) and the screen should load again, quietly: the next
 * app_report_session() gives the primary.  0: show the failure as ever. */
int app_report_again(const db_reply *reply);

/* The screen wrote something (closed a month): its next load reads from
 * the primary, where the change is sure to be. */
void app_report_after_write(void);

/* How long a reload caused by a NOTIFY should wait at least, so that the
 * standby has replayed what the notification announces (0 when reading
 * from the primary). */
int app_report_settle_ms(void);
enum { APP_REPORT_SETTLE_MS = 1000 };

/* Called when report reads move (to the primary or back to the standby,
 * or one of them came back): load again, from app_report_session().  The
 * title line says where the figures come from by itself. */
void app_watch_report(void (*fn)(void *ctx), void *ctx);

/* --- the person -------------------------------------------------------- */

/* Adopt the logged-in person (sets the banner on a demo database and the
 * title's right-hand side). */
void app_set_me(staff_me *me);
const staff_me *app_me(void);
int app_is_clerk(void);
int app_is_supervisor(void);
int app_is_demo(void);
int app_is_trainer(void);

/* The training time (011_clock.sql): on a demo or test database whose
 * clock is not the real one, the banner shows it beside the real time on
 * every screen, asked again every APP_CLOCK_MS; app_clock_refresh() asks
 * now (after the trainer moved it).  app_clock_now(): the database's
 * time as this terminal knows it (the real time when not set). */
enum { APP_CLOCK_MS = 10000 };
void app_clock_refresh(void);
time_t app_clock_now(void);
/* Working days left at or under which a deadline is marked "due soon"
 * ([ui] warn_days). */
int app_warn_days(void);
/* Shortest time between two reloads of a list caused by database changes
 * ([ui] refresh_ms): a burst of NOTIFYs costs one reload. */
int app_refresh_ms(void);

/* Drafts directory (NULL when none can be found). */
const char *app_drafts_dir(void);

/* --- the main screens -------------------------------------------------- */

/* Push the first main screen after login: the queue for a clerk, the
 * dashboard for a supervisor or the trainer.  Replaces the login screen. */
void app_start_main(void);

/* CMD_QUEUE, CMD_INQUIRIES, CMD_RATINGS: go to that main screen from a
 * main screen.  Returns UI_* flags for the key handler. */
int app_goto(int cmd);

/* The commands every main screen offers for switching. */
extern const int app_switch_commands[];

/* --- words --------------------------------------------------------------- */

/* Translated names of database codes (unknown codes come back as given). */
const char *app_state_name(const char *state);
const char *app_channel_name(const char *channel);
const char *app_kind_name(const char *kind);
const char *app_action_name(const char *action);

/* "Days left" cell: "!!-3" overdue, "!1" due soon, "5", or "paused".
 * *role gets TERM_OVERDUE / TERM_WARN / TERM_NORMAL / TERM_DIM.  Writes
 * into buf. */
const char *app_days_cell(char *buf, size_t n, int has_days, int days, const char *urgency, int *role);

/* An inquiry's countdown to the end of its due day: "!!2d over",
 * "!5h20m left" on the due day, "!1d", "4d".  Same roles as above. */
const char *app_countdown(char *buf, size_t n, int has_days, int days, const char *urgency,
                          long long seconds_left, int *role);

#endif
