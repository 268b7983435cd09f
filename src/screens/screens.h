/* screens/screens.h - how to open each screen.  Each screen lives in one
 * file as a table of functions (ui_screen_ops); these are the only ways in.
 * Each returns the pushed screen, or NULL when it could not open. */
#ifndef HALLTERM_SCREENS_H
#define HALLTERM_SCREENS_H

#include "db/session.h"
#include "ui/loop.h"

/* First screen: connects with app_conninfo(), asks for a user and a
 * password only when libpq needs them, then app_start_main(). */
ui_screen *login_push(void);

/* Main screens (push = on top of the current one; replace = instead). */
extern const ui_screen_ops queue_ops;
extern const ui_screen_ops dashboard_ops;
extern const ui_screen_ops inquiries_ops;
extern const ui_screen_ops ratings_ops;
extern const ui_screen_ops outbox_ops;   /* supervisors and the trainer */
extern const ui_screen_ops timeliness_ops; /* supervisors, the director, the trainer: their first screen */
extern const ui_screen_ops scorecard_ops;  /* the month's scorecard, ranking and platform figures (m) */
extern const ui_screen_ops deptratings_ops; /* 3 for supervisors: the department's ratings per clerk */
extern const ui_screen_ops training_ops;   /* the trainer's first screen on a demo database */
void *queue_new(void);
void *training_new(void);
void *dashboard_new(void);
void *inquiries_new(void);
void *ratings_new(void);
void *outbox_new(void);
void *timeliness_new(void);
void *scorecard_new(void);
void *deptratings_new(void);

/* The front desk (收件): the item first (a from the queue), then the form
 * for it, which replaces the picker. */
extern const ui_screen_ops itempick_ops;
extern const ui_screen_ops receive_ops;
void *itempick_new(void);
void *receive_new(const char *item_code);
/* The month's front desk per clerk ("YYYY-MM-01"), from the scorecard. */
extern const ui_screen_ops frontdesk_ops;
void *frontdesk_new(const char *month);

/* hallterm --display and --pad (screens/display.c, pad.c): a screen of
 * their own over a connection of their own (conninfo: --dsn, else the
 * configuration's [display] or [pad] dsn, else libpq's defaults), with no
 * login.  lines: "A,B" or NULL for every line; window: the pad's. */
ui_screen *display_push(const char *conninfo, const char *lines);
ui_screen *pad_push(const char *conninfo, const char *window);
/* Free what they keep after ui_run. */
void display_shutdown(void);

/* One case, pushed over the current screen. */
ui_screen *case_push(long long id);

/* One rating in full with its rectification and appeal (a supervisor
 * records steps and judges the appeal there). */
ui_screen *rating_push(long long rating_id);

/* The follow-up of a bad rating, from a key handler: ask with dialogs,
 * then send the request; fn (with ctx) gets the database's answer.  Return
 * 1 when a request was sent, 0 when cancelled or offline.
 *   done_steps: bit 1 verify, 2 rectify, 4 callback already recorded. */
int rating_ask_appeal(long long rating_id, const char *about, db_reply_fn fn, void *ctx);
int rating_ask_step(long long rating_id, const char *about, int done_steps, db_reply_fn fn, void *ctx);
int rating_ask_judge(long long rating_id, const char *about, db_reply_fn fn, void *ctx);
enum { RATING_VERIFIED = 1, RATING_RECTIFIED = 2, RATING_CALLED_BACK = 4 };

/* One inquiry in full (its text, replies; reply, transfer). */
ui_screen *inquiry_push(long long inquiry_id);

/* Transfer an inquiry, from a key handler: asks for the department (from
 * deps, without from_code), a note naming it, then once for confirmation
 * naming it again; fn (with ctx: the calling screen, which forgets its
 * requests when it closes) gets the database's answer and calls
 * inquiry_transfer_said(reply) to show the outcome in words naming both.
 * Returns 1 when sent. */
struct staff_departments;
int inquiry_ask_transfer(long long id, const char *ref, const char *subject, const char *from_code,
                         const struct staff_departments *deps, db_reply_fn fn, void *ctx);
void inquiry_transfer_said(const db_reply *reply);

/* The reply editor for an inquiry, with its draft. */
ui_screen *reply_push(long long inquiry_id);

/* The key of an inquiry's reply draft for the logged-in person (newly
 * allocated). */
char *reply_draft_key(long long inquiry_id);

#endif
