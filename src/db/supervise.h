/* db/supervise.h - what a supervisor (the trainer, the director) reads and
 * does about timeliness: the figures of a period per clerk, per window and
 * for the department, the daily on-time rate, the late and overdue items
 * behind a row, the department's ratings per clerk; reassigning a case or
 * an inquiry, 督办 flags and the clerk's answer; CSV export streamed by the
 * database (COPY).  Periods are whole days "YYYY-MM-DD".
 *
 * The figures come as db_rows (the columns of the functions of schema/015
 * and 016, in their order: doc/sql-interface.md); the screens read them by
 * the column numbers below.  Same conventions as db/cases.h otherwise. */
#ifndef HALLTERM_DB_SUPERVISE_H
#define HALLTERM_DB_SUPERVISE_H

#include <stdio.h>

#include "db/session.h"

/* rows is the caller's (db_rows_free), NULL on failure (reply says why). */
typedef void (*sup_rows_fn)(void *ctx, db_rows *rows, const db_reply *reply);

/* The first and last day of a named period by the database's clock (the
 * training clock on a demo): "today", "week" (Monday to today), "month"
 * (the 1st to today), "last_month" (all of it).  One row: from, to, and
 * the period before it to compare with (yesterday, last week, last month
 * whole, the month before last): prev_from, prev_to. */
int sup_period(db_session *s, const char *name, sup_rows_fn fn, void *ctx);

/* Columns shared by the clerk, window and department rows, after each
 * one's own first columns (SUP_FIRST of them). */
enum {
	SUP_COMPLETED, SUP_ON_TIME, SUP_LATE, SUP_ON_TIME_RATE, SUP_EARLY, SUP_EARLY_RATE, SUP_ACCEPT_MISSED,
	SUP_ANSWERED, SUP_ANSWERED_ON_TIME, SUP_ANSWER_RATE, SUP_REPLY_MEDIAN, SUP_REPLY_P90,
	SUP_OVERDUE_CASES, SUP_DUE_SOON_CASES, SUP_OVERDUE_INQ, SUP_DUE_SOON_INQ,
	SUP_BREACHES, SUP_BAD, SUP_BAD_RECTIFIED, SUP_NFIGURES
};
/* clerks: staff_id, login, name, department_code, active, then figures */
enum { SUP_CLERK_ID, SUP_CLERK_LOGIN, SUP_CLERK_NAME, SUP_CLERK_DEPT, SUP_CLERK_ACTIVE, SUP_CLERK_FIRST };
/* windows: window_code, window_name, department_code, then figures */
enum { SUP_WIN_CODE, SUP_WIN_NAME, SUP_WIN_DEPT, SUP_WIN_FIRST };
/* department: code, name, clerks, then figures */
enum { SUP_DEPT_CODE, SUP_DEPT_NAME, SUP_DEPT_CLERKS, SUP_DEPT_FIRST };

int sup_clerks(db_session *s, const char *from, const char *to, sup_rows_fn fn, void *ctx);
int sup_windows(db_session *s, const char *from, const char *to, sup_rows_fn fn, void *ctx);
int sup_department(db_session *s, const char *from, const char *to, sup_rows_fn fn, void *ctx);
/* day, workday (t/f), completed, on_time, late, on_time_rate */
int sup_daily(db_session *s, const char *from, const char *to, sup_rows_fn fn, void *ctx);

/* The items behind a row: staff_id > 0 for a clerk, else window for a
 * window (both unset: everything in scope).
 * what, kind, id, ref, title, staff_name, window_code, deadline, done_on, days_left */
enum { SUP_IT_WHAT, SUP_IT_KIND, SUP_IT_ID, SUP_IT_REF, SUP_IT_TITLE, SUP_IT_STAFF, SUP_IT_WINDOW,
       SUP_IT_DEADLINE, SUP_IT_DONE, SUP_IT_DAYS_LEFT };
int sup_items(db_session *s, const char *from, const char *to, long long staff_id, const char *window,
              sup_rows_fn fn, void *ctx);

/* Per clerk: staff_id, login, name, department_code, ratings, good,
 * satisfaction, bad, bad_closed, bad_open, bad_late, appeals_pending */
int sup_ratings(db_session *s, const char *from, const char *to, sup_rows_fn fn, void *ctx);

/* Red and yellow cards (schema/017) per holder: issued in the period and
 * open now.  A clerk gets their own row, a supervisor the department's;
 * cards nobody holds come with staff_id NULL. */
enum { SUP_CARD_STAFF, SUP_CARD_LOGIN, SUP_CARD_NAME, SUP_CARD_DEPT, SUP_CARD_YELLOW, SUP_CARD_RED,
       SUP_CARD_OPEN_YELLOW, SUP_CARD_OPEN_RED };
int sup_cards(db_session *s, const char *from, const char *to, sup_rows_fn fn, void *ctx);
/* The caller's open cards (the clerk's queue header): one row, red, yellow. */
int sup_my_cards(db_session *s, sup_rows_fn fn, void *ctx);

/* The clerks a case may be given to (active, of its department, a window
 * that serves its item), or for an inquiry (app_id < 0: inquiry_id) the
 * department's clerks: login, name, windows ("A01 A02"). */
int sup_candidates(db_session *s, long long app_id, long long inquiry_id, sup_rows_fn fn, void *ctx);

int sup_reassign(db_session *s, long long app_id, const char *login, const char *note, db_reply_fn fn, void *ctx);
int sup_reassign_inquiry(db_session *s, long long inquiry_id, const char *login, const char *note,
                         db_reply_fn fn, void *ctx);
/* kind "application" or "inquiry"; reply_due "" = the next working day. */
int sup_flag(db_session *s, const char *kind, long long id, const char *note, const char *reply_due,
             db_reply_fn fn, void *ctx);
int sup_answer(db_session *s, long long flag_id, const char *answer, db_reply_fn fn, void *ctx);

/* The open 督办 flag of a case or inquiry the caller can see (zero or one
 * row): id, note, reply_due, staff_name, flagged_by_name, late (t/f). */
enum { SUP_FLAG_ID, SUP_FLAG_NOTE, SUP_FLAG_DUE, SUP_FLAG_STAFF, SUP_FLAG_BY, SUP_FLAG_LATE };
int sup_open_flag(db_session *s, const char *kind, long long id, sup_rows_fn fn, void *ctx);

/* CSV export of a table of the timeliness screen for the period, with
 * Chinese headers, streamed by the database into out (COPY ... TO STDOUT
 * WITH CSV HEADER).  which: "clerks", "windows", "daily", "items",
 * "ratings" (the department's ratings per clerk).  The
 * period goes in as parameters (set_config), never into the SQL text. */
int sup_export(db_session *s, const char *which, const char *from, const char *to, FILE *out,
               db_reply_fn fn, void *ctx);

#endif
