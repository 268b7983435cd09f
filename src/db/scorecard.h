/* db/scorecard.h - the month's scorecard (schema/018): the ranking of the
 * windows and of the clerks with the GB/T 39734-2020 rating figures, the
 * platform's own figures, closing a month, and the CSV reports streamed by
 * the database.  A month is given as its first day, "YYYY-MM-01".
 *
 * Windows and clerks come back in one layout (the SC_* columns below), so
 * a screen reads both with one table of columns: the columns one kind
 * lacks are NULL (a window answers no inquiry, a clerk is never "bottom").
 * Who sees what is the database's business (timeliness_scope(): a
 * supervisor their department, the director and the trainer the hall).
 * Same conventions as db/supervise.h otherwise. */
#ifndef HALLTERM_DB_SCORECARD_H
#define HALLTERM_DB_SCORECARD_H

#include <stdio.h>

#include "db/session.h"

/* rows is the caller's (db_rows_free), NULL on failure (reply says why). */
typedef void (*sc_rows_fn)(void *ctx, db_rows *rows, const db_reply *reply);

/* One scorecard row, window or clerk, in rank order (unranked last).
 * SC_KEY is the window code or the clerk's login, SC_NAME the window's or
 * the clerk's name, SC_STAFF_ID the clerk's id (NULL for a window).  Rates
 * are 0..1 with 4 decimals, NULL when nothing was counted; rank_change is
 * prev_rank - rank (positive: moved up), NULL without both; frozen is t
 * when the row is read from a closed month. */
enum {
	SC_KEY, SC_NAME, SC_DEPT, SC_STAFF_ID,
	SC_RANK, SC_PREV_RANK, SC_RANK_CHANGE, SC_SCORE, SC_BOTTOM, SC_BOTTOM_TWO_MONTHS,
	SC_COMPLETED, SC_ON_TIME_RATE, SC_EARLY_RATE, SC_ACCEPT_MISSED, SC_ANSWERED, SC_ANSWER_RATE,
	SC_SERVICES, SC_UNRATED, SC_UNRATED_RATE, SC_RATINGS, SC_GOOD_RATE, SC_SATISFACTION_RATE,
	SC_PROACTIVE_RATE, SC_PROACTIVE_GOOD_RATE, SC_BAD, SC_RECTIFY_RATE, SC_CALLBACK_RECTIFY_RATE,
	SC_CALLBACK_SATISFACTION_RATE, SC_YELLOW_CARDS, SC_RED_CARDS, SC_BREACHES, SC_SUPERVISIONS,
	SC_SUPERVISIONS_LATE, SC_FROZEN, SC_NCOLS
};
int scorecard_windows(db_session *s, const char *month, sc_rows_fn fn, void *ctx);
int scorecard_clerks(db_session *s, const char *month, sc_rows_fn fn, void *ctx);

/* Which departments of the caller's scope have closed the month: one row
 * each, department code, department name, closed at ("YYYY-MM-DD HH:MM",
 * Asia/Shanghai), closed by (a name, or the administrator's login). */
enum { SC_CLOSED_DEPT, SC_CLOSED_DEPT_NAME, SC_CLOSED_AT, SC_CLOSED_BY };
int scorecard_closed(db_session *s, const char *month, sc_rows_fn fn, void *ctx);

/* The platform's figures of the cases received in the month, the whole
 * hall first (scope code NULL), then the caller's department when their
 * scope is one; in the database's order (total, channels, online, one
 * trip, no visit, applicant kinds, categories).  share is 0..1, NULL when
 * the scope has no case. */
enum { SC_PF_SCOPE, SC_PF_SCOPE_NAME, SC_PF_DIMENSION, SC_PF_KEY, SC_PF_LABEL, SC_PF_CASES, SC_PF_SHARE };
int scorecard_platform(db_session *s, const char *month, sc_rows_fn fn, void *ctx);

/* Close (freeze) a department's month: NULL or "" department means the
 * caller's own (a supervisor's).  fn gets the rows frozen (one value) or
 * the refusal: month_not_over, month_closed, not_your_department,
 * supervisor_only (reply->reason). */
int scorecard_close(db_session *s, const char *month, const char *department, db_reply_fn fn, void *ctx);

/* CSV of the month with Chinese headers, streamed by the database into out
 * (COPY (SELECT * FROM hall.report_<which>(month)) TO STDOUT WITH CSV
 * HEADER).  which: "scorecard" or "platform".  The month goes in as a
 * parameter (set_config), never into the SQL text.  -1: unknown which or
 * not connected (fn is then not called). */
int scorecard_export(db_session *s, const char *which, const char *month, FILE *out, db_reply_fn fn, void *ctx);

#endif
