/* db/trainroom.h - the training room's reads and the trainer's changes
 * (schema/022_training_room.sql, schema/011_clock.sql, schema/012_training.sql).
 *
 * Reads hand back raw rows (db_rows, the column order of the functions
 * below, TR_* / TA_* / TD_* / TX_*); the screen keeps them.  Changes go
 * through db_session_change so their NOTIFYs reach the other terminals.
 * Starting an exercise is not here: its cases are loaded by
 * db/training.h (hallctl exercise start), run from the screen as a child.
 */
#ifndef HALLTERM_DB_TRAINROOM_H
#define HALLTERM_DB_TRAINROOM_H

#include "db/session.h"

/* hall.training_room(since) */
enum { TR_STAFF, TR_LOGIN, TR_NAME, TR_CLAIMS, TR_APPROVALS, TR_RETURNS, TR_BREACHES, TR_ESCALATIONS, TR_REPLIES,
       TR_REPLY_MIN, TR_LATE, TR_HANDLING_MIN, TR_REFUSED, TR_LAST_AT };
/* hall.training_actions(staff, since); `at` as "MM-DD HH24:MI" */
enum { TA_AT, TA_ACTION, TA_APP, TA_CASE_NO, TA_INQUIRY, TA_DETAIL, TA_RULE };
/* hall.training_debrief(since); `at` as "MM-DD HH24:MI" */
enum { TD_STAFF, TD_LOGIN, TD_NAME, TD_KIND, TD_CODE, TD_CASE_NO, TD_APP, TD_AT, TD_N };
/* hall.exercise_current(): TX_STARTED as timestamptz text (the room's
 * `since`), TX_CLOCK_AT the start as "MM-DD HH24:MI" in training time */
enum { TX_ID, TX_SCENARIO, TX_TITLE, TX_STARTED, TX_CLOCK_AT, TX_STATE };

typedef void (*troom_rows_fn)(void *ctx, db_rows *rows, const db_reply *reply);

/* since: a timestamptz as text (the exercise's start), or NULL for the
 * start of the training day (hall.today()). */
int troom_room(db_session *s, const char *since, troom_rows_fn fn, void *ctx);
int troom_actions(db_session *s, long long staff, const char *since, troom_rows_fn fn, void *ctx);
int troom_debrief(db_session *s, const char *since, troom_rows_fn fn, void *ctx);
/* Zero or one row (TX_*); started_at as a timestamptz text usable as since. */
int troom_exercise(db_session *s, troom_rows_fn fn, void *ctx);

/* The database clock against the real one: one row (epoch seconds of
 * hall.now(), of the real clock).  For the training-time segment. */
int troom_clock(db_session *s, troom_rows_fn fn, void *ctx);

/* The trainer's changes (demo databases only; refused with reason not_demo
 * or clock_production elsewhere). */
int troom_reset(db_session *s, db_reply_fn fn, void *ctx);            /* hall.demo_reset() */
int troom_set_clock(db_session *s, const char *moment, int run, db_reply_fn fn, void *ctx);
int troom_clock_step(db_session *s, const char *what, db_reply_fn fn, void *ctx); /* next_workday_9 pause run */
int troom_exercise_end(db_session *s, db_reply_fn fn, void *ctx);

#endif
