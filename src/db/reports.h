/* db/reports.h - what supervisors and the trainer watch: the counts of the
 * dashboard, the list of what needs attention (escalations waiting, cases
 * and inquiries overdue or due soon, bad ratings being rectified), and the
 * notification outbox.  Row-level security limits a supervisor to their
 * department.  Same conventions as db/cases.h. */
#ifndef HALLTERM_DB_REPORTS_H
#define HALLTERM_DB_REPORTS_H

#include "db/session.h"

#define REPORT_STATES 8

typedef struct report_counts {
	long long cases_overdue, cases_warning, inquiries_overdue, inquiries_warning;
	long long escalations, escalations_late, extensions;
	long long bad_ratings_open, bad_ratings_late, breaches;
	/* The front desk: cases accepted 容缺 with a material owed, all
	 * supplied, ended for want of one; 告知承诺 checks waiting, late. */
	long long deferred_open, deferred_supplied, deferred_ended, checks_pending, checks_late;
	/* Cases per state over the visible windows, in lifecycle order. */
	int nstates;
	const char *state[REPORT_STATES];
	long long state_cases[REPORT_STATES];
	db_rows *store_;
} report_counts;

void report_counts_free(report_counts *c);
typedef void (*reports_counts_fn)(void *ctx, report_counts *c, const db_reply *reply);
int reports_counts(db_session *s, reports_counts_fn fn, void *ctx);

/* One thing needing attention. */
typedef struct report_item {
	const char *kind;     /* escalation application inquiry rating extension */
	long long id;         /* case, inquiry or rating id */
	const char *ref, *title, *staff_name, *deadline;
	int has_days_left, days_left;
	const char *urgency;  /* ok warning overdue */
	/* Bad ratings: each step on its own, "" when on time:
	 * callback / rectify  overdue now ("overdue") or done late ("late"). */
	const char *callback, *rectify;
} report_item;

typedef struct report_items {
	report_item *rows;
	int n;
	db_rows *store_;
} report_items;

void report_items_free(report_items *i);
typedef void (*reports_items_fn)(void *ctx, report_items *items, const db_reply *reply);
/* At most limit rows: escalations, then extension requests, then overdue
 * and due-soon cases and inquiries by deadline, then bad ratings (ref:
 * the case number or inquiry reference alone; deadline: that of the next
 * step due, the callback, then the rectification; urgency overdue only
 * when a step is overdue now, warning when one was done late). */
int reports_attention(db_session *s, int limit, reports_items_fn fn, void *ctx);

/* --- the outbox ------------------------------------------------------- */

typedef struct outbox_state {
	const char *state;
	long long n, due;
	const char *oldest;
} outbox_state;

typedef struct outbox_failed {
	long long id;
	const char *event, *recipient, *created_at, *failed_at, *last_error, *ref;
	const char *response; /* the first bytes of the gateway's answer, or "" */
	int attempts, http_status;
	/* The answer for a person (hall.gateway_words: tags stripped, first
	 * line, at most 120 characters) and the gateway's code ("E_MOBILE":
	 * the number is invalid, resending cannot help), "" when none. */
	const char *gateway_words, *gateway_code;
	int has_phone;             /* it carries a phone number to correct */
	const char *phone_masked;  /* 138****5678, or "" */
} outbox_failed;

typedef struct outbox_states {
	outbox_state *rows;
	int n;
	db_rows *store_;
} outbox_states;

void outbox_states_free(outbox_states *o);
typedef void (*reports_outbox_states_fn)(void *ctx, outbox_states *o, const db_reply *reply);
/* Counts per state, the whole hall (hall.v_outbox_summary). */
int reports_outbox_states(db_session *s, reports_outbox_states_fn fn, void *ctx);

typedef struct outbox_failures {
	outbox_failed *rows;
	int n;
	db_rows *store_;
} outbox_failures;

void outbox_failures_free(outbox_failures *o);
typedef void (*reports_outbox_failed_fn)(void *ctx, outbox_failures *o, const db_reply *reply);
/* The failed notifications the caller may send again, newest first. */
int reports_outbox_failed(db_session *s, int limit, reports_outbox_failed_fn fn, void *ctx);

/* Send a failed notification again (hall.outbox_requeue, audited). */
int reports_outbox_requeue(db_session *s, long long id, const char *note, db_reply_fn fn, void *ctx);
/* Send it to a corrected phone number (hall.outbox_correct, audited; a
 * supervisor of its department). */
int reports_outbox_correct(db_session *s, long long id, const char *phone, const char *note, db_reply_fn fn,
                           void *ctx);
/* Give up on it for good (hall.outbox_cancel, audited). */
int reports_outbox_cancel(db_session *s, long long id, const char *note, db_reply_fn fn, void *ctx);

#endif
