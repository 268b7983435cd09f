/* db/tickets.h - the ticket machine's side of the hall (取号, 叫号, 一次一评;
 * schema/023): the clerk's window (status, call, recall, skip, finish,
 * link to a case), the waiting-room display, the pad on the counter and
 * the supervisor's ticket figures.
 *
 * Results come as db_rows with the column numbers below (the same
 * conventions as db/receive.h); every value is a parameter.  The window's
 * changes go through db_session_change (their NOTIFYs are deferred like
 * every transition's).  The display and the pad run with roles that can
 * read nothing else (hall_display, hall_pad). */
#ifndef HALLTERM_DB_TICKETS_H
#define HALLTERM_DB_TICKETS_H

#include <stdio.h>

#include "db/session.h"

typedef void (*tickets_rows_fn)(void *ctx, db_rows *rows, const db_reply *reply);

/* --- the clerk's window ------------------------------------------------ */

/* hall.v_my_window, one row a window of the clerk: its code, status
 * (idle serving paused away), reason, since (HH:MM), the current ticket's
 * id (NULL: none), label, line name, called at (HH:MM), recalls, the case
 * it is linked to (NULL: none), the number waiting in the window's lines
 * and who set its status last (0: nobody yet). */
enum { TW_WINDOW, TW_STATUS, TW_REASON, TW_SINCE, TW_TICKET, TW_LABEL, TW_LINE_NAME, TW_CALLED_AT, TW_RECALLS,
       TW_APPLICATION, TW_WAITING, TW_STAFF, TW_N };
int tickets_my_window(db_session *s, tickets_rows_fn fn, void *ctx);

/* The line codes of the clerk's windows (hall.my_lines()), one a row:
 * to tell which NOTIFY hall_calls concern the clerk. */
int tickets_my_lines(db_session *s, tickets_rows_fn fn, void *ctx);

/* hall.window_set_status(window, status, reason); reason NULL or "": none. */
int tickets_set_status(db_session *s, const char *window, const char *status, const char *reason, db_reply_fn fn,
                       void *ctx);
/* hall.call_next(window): one row, one column, the ticket's id (NULL when
 * nobody waits). */
int tickets_call_next(db_session *s, const char *window, tickets_rows_fn fn, void *ctx);
int tickets_recall(db_session *s, long long ticket, db_reply_fn fn, void *ctx);
int tickets_skip(db_session *s, long long ticket, db_reply_fn fn, void *ctx);
/* hall.finish_ticket: one row, one column, the rating request opened. */
int tickets_finish(db_session *s, long long ticket, tickets_rows_fn fn, void *ctx);
int tickets_link(db_session *s, long long ticket, long long application, db_reply_fn fn, void *ctx);

/* NOTIFY hall_calls (payload: the line code) and hall_queue reach fn;
 * one listener per ctx. */
typedef void (*tickets_notify_fn)(void *ctx, const char *line);
void tickets_listen_calls(db_session *s, tickets_notify_fn fn, void *ctx);
void tickets_unlisten_calls(db_session *s, void *ctx);

/* --- the hall display (role hall_display) ------------------------------- */

/* hall.display_calls(lines, n), newest first: label, window code, window
 * name, at (HH:MM:SS), recall (t/f), at as epoch microseconds (to
 * tell a new call from one shown already).  lines NULL: every line. */
enum { TD_LABEL, TD_WINDOW, TD_WINDOW_NAME, TD_AT, TD_RECALL, TD_STAMP, TD_N };
int tickets_display_calls(db_session *s, const char *const *lines, int nlines, int n, tickets_rows_fn fn,
                          void *ctx);
/* hall.display_waiting(lines): line code, name, waiting. */
enum { TL_CODE, TL_NAME, TL_WAITING, TL_N };
int tickets_display_waiting(db_session *s, const char *const *lines, int nlines, tickets_rows_fn fn, void *ctx);

/* --- the pad on the counter (role hall_pad) ----------------------------- */

/* hall.pad_request(window): request id, label, item name, window name,
 * opened at (HH:MM).  No row: nothing to rate now. */
enum { TP_REQUEST, TP_LABEL, TP_ITEM, TP_WINDOW_NAME, TP_OPENED, TP_N };
int tickets_pad_request(db_session *s, const char *window, tickets_rows_fn fn, void *ctx);
/* hall.pad_rate(request, level 1-5, comment or NULL). */
int tickets_pad_rate(db_session *s, long long request, int level, const char *comment, db_reply_fn fn, void *ctx);
/* NOTIFY hall_pad (payload: the window code). */
void tickets_listen_pad(db_session *s, tickets_notify_fn fn, void *ctx);

/* --- the supervisor's figures -------------------------------------------- */

/* hall.ticket_figures(department, from, to, by 'line' | 'window' |
 * 'clerk'): key, name, served, wait average and P90 (s), service average
 * (s), no-shows, shares rated at the pad, by SMS, by default, unrated
 * (0..1).  department NULL or "": every one the caller sees. */
enum { TF_KEY, TF_NAME, TF_SERVED, TF_WAIT_AVG, TF_WAIT_P90, TF_SERVICE_AVG, TF_NO_SHOWS, TF_RATED_PAD, TF_RATED_SMS,
       TF_DEFAULTED, TF_UNRATED, TF_N };
int tickets_figures(db_session *s, const char *department, const char *from, const char *to, const char *by,
                    tickets_rows_fn fn, void *ctx);
/* The same as CSV (Chinese headers, shares in per cent, times in
 * seconds), streamed into out: see sup_export of db/supervise.h. */
int tickets_export(db_session *s, const char *department, const char *from, const char *to, const char *by,
                   FILE *out, db_reply_fn fn, void *ctx);

#endif
