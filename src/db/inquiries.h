/* db/inquiries.h - 咨询: open inquiries of the department, one inquiry in
 * full, its replies, canned replies, replying and transferring.  Same
 * conventions as db/cases.h. */
#ifndef HALLTERM_DB_INQUIRIES_H
#define HALLTERM_DB_INQUIRIES_H

#include "db/session.h"

typedef struct inquiry_row {
	long long id;
	const char *ref, *channel, *asker_name, *subject;
	const char *received_at, *due_date;
	int has_days_left, days_left;
	const char *urgency;        /* ok warning overdue answered */
	long long seconds_left;     /* to the end of the due day; < 0 past it */
	int transfer_count;
} inquiry_row;

typedef struct inquiry_page {
	inquiry_row *rows;
	int n;
	int more;
	db_rows *store_;
} inquiry_page;

void inquiry_page_free(inquiry_page *p);
typedef void (*inquiries_page_fn)(void *ctx, inquiry_page *page, const db_reply *reply);
/* Open inquiries of the caller's department, due soonest first, keyset
 * paged after (after_due, after_id) (after_due NULL: from the top). */
int inquiries_open(db_session *s, const char *after_due, long long after_id, int limit,
                   inquiries_page_fn fn, void *ctx);

typedef struct inquiry_detail {
	long long id;
	const char *ref, *channel, *department_code, *asker_name, *phone_masked;
	const char *subject, *body, *received_at, *due_date, *state, *urgency;
	int due_days, has_days_left, days_left, transfer_count, calendar_unpublished;
	long long seconds_left;
	const char *answered_at, *answered_by_name;
	const char *assigned_to_name; /* the clerk a supervisor gave it to, or "" */
	db_rows *store_;
} inquiry_detail;

void inquiry_detail_free(inquiry_detail *d);
/* d is NULL on error and when the inquiry is not visible (any more). */
typedef void (*inquiries_detail_fn)(void *ctx, inquiry_detail *d, const db_reply *reply);
int inquiries_get(db_session *s, long long id, inquiries_detail_fn fn, void *ctx);

typedef struct inquiry_reply_row {
	const char *staff_name, *body, *replied_at;
	int on_time;
} inquiry_reply_row;

typedef struct inquiry_replies {
	inquiry_reply_row *rows;
	int n;
	db_rows *store_;
} inquiry_replies;

void inquiry_replies_free(inquiry_replies *r);
typedef void (*inquiries_replies_fn)(void *ctx, inquiry_replies *r, const db_reply *reply);
int inquiries_replies(db_session *s, long long id, inquiries_replies_fn fn, void *ctx);

/* 常用语 of the caller's department and the general ones. */
typedef struct canned_reply {
	const char *title, *body;
} canned_reply;

typedef struct canned_replies {
	canned_reply *rows;
	int n;
	db_rows *store_;
} canned_replies;

void canned_replies_free(canned_replies *c);
typedef void (*inquiries_canned_fn)(void *ctx, canned_replies *c, const db_reply *reply);
int inquiries_canned(db_session *s, inquiries_canned_fn fn, void *ctx);

/* What the caller did with inquiries, newest first: the replies they
 * wrote (read through row-level security: their department's inquiries)
 * and the inquiries they transferred away (hall.my_transfers(): the
 * caller's own audit rows; the inquiry itself is the other department's
 * now). */
typedef struct handled_inquiry {
	const char *kind;           /* "reply" or "transfer" */
	long long id;               /* the inquiry */
	const char *ref, *channel, *asker_name, *subject;
	const char *at;             /* replied or transferred, "YYYY-MM-DD HH:MM" */
	int on_time;                /* a reply: within the deadline */
	const char *to_department;  /* a transfer: where it went (name) */
	const char *note;           /* a transfer: the note */
	int answered;               /* a transfer: answered there since */
} handled_inquiry;

typedef struct handled_inquiries {
	handled_inquiry *rows;
	int n;
	db_rows *store_;
} handled_inquiries;

void handled_inquiries_free(handled_inquiries *h);
typedef void (*inquiries_handled_fn)(void *ctx, handled_inquiries *h, const db_reply *reply);
int inquiries_handled(db_session *s, int limit, inquiries_handled_fn fn, void *ctx);

/* Transitions (one database function each; see db/cases.h). */
int inquiries_reply(db_session *s, long long id, const char *body, db_reply_fn fn, void *ctx);
int inquiries_transfer(db_session *s, long long id, const char *department_code, const char *note,
                       db_reply_fn fn, void *ctx);

/* NOTIFY hall_inquiries: an inquiry of department arrived, was answered or
 * moved (a transfer tells both departments); which one is re-read. */
typedef void (*inquiries_notify_fn)(void *ctx, const char *department);
void inquiries_listen(db_session *s, inquiries_notify_fn fn, void *ctx);
void inquiries_unlisten(db_session *s, void *ctx);

#endif
