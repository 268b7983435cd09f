/* db/cases.h - cases (办件): the queue, one case in full, the transitions.
 *
 * Every function queues one parameterised statement on the session and
 * returns at once (0), or -1 when the session is not connected (nothing is
 * sent; say db_session_error()).  The answer comes later through the
 * callback, with the data in plain structs whose strings point into the
 * result they came from: free the whole struct with its _free function.
 * Strings are the database's text, untrusted: draw them through the text
 * layer.  Dates are "YYYY-MM-DD", times "YYYY-MM-DD HH:MM" in Asia/Shanghai.
 */
#ifndef HALLTERM_DB_CASES_H
#define HALLTERM_DB_CASES_H

#include "db/session.h"

/* One line of the queue. */
typedef struct case_row {
	long long id;
	int item_id;
	const char *case_no;
	const char *item_name;
	const char *applicant_name;
	const char *id_masked;
	const char *channel;       /* window web app kiosk */
	const char *state;         /* submitted in_review returned escalated */
	const char *sort_due;      /* the keyset key: a date or "infinity" */
	const char *deadline;      /* "" while the clock is paused */
	int has_days_left;
	int days_left;             /* working days; < 0 overdue */
	const char *urgency;       /* ok warning overdue paused */
	const char *claimed_login; /* "" when unclaimed */
	const char *claimed_name;
	const char *window_code;
	int return_count;
	int completed_late;        /* completed after its due date: 超期办结 */
	int returned_overdue;      /* returned (clock paused) when it was already overdue */
	int queue_rank;            /* 0 green channel, 1 the others; -1 unknown (a search's row) */
} case_row;

typedef struct case_page {
	case_row *rows;
	int n;
	int more;        /* more rows exist past the last one (or before the first, paging back) */
	db_rows *store_; /* private */
} case_page;

void case_page_free(case_page *p);

/* Which page: the keyset position is (sort_due, id) of a row. */
typedef enum cases_dir {
	CASES_FIRST,    /* from the top (key ignored) */
	CASES_FROM,     /* rows >= key: reload the page that starts at key */
	CASES_AFTER,    /* rows > key: next page */
	CASES_BEFORE,   /* rows < key: previous page (still returned top to bottom) */
	CASES_LAST,     /* the last page (key ignored) */
} cases_dir;

typedef struct case_query {
	const char *const *windows; /* the windows whose queue to read */
	int nwindows;
	const char *state;          /* NULL or "": every open state */
	int item_id;                /* 0: every item */
	int mine;                   /* only cases the caller has claimed */
	cases_dir dir;
	const char *key_due;        /* for FROM, AFTER, BEFORE */
	long long key_id;
	int key_rank;               /* the key row's queue_rank; -1: read from the row by its id */
	int limit;                  /* rows wanted (1..500) */
} case_query;

/* page is NULL unless reply->status == DB_OK; the callee owns it. */
typedef void (*cases_page_fn)(void *ctx, case_page *page, const db_reply *reply);
int cases_queue(db_session *s, const case_query *q, cases_page_fn fn, void *ctx);

/* Cases of the windows in ANY state whose number or applicant name contains
 * text (a trigram index), or whose applicant's ID number is text (compared
 * in the database, audited, never shown): open ones first, then closed ones,
 * newest first.  state: NULL, a state, "overdue" or "closed" (completed,
 * rejected, withdrawn).  At most limit rows; page->more says there were
 * more. */
int cases_search(db_session *s, const char *const *windows, int nwindows, const char *text, const char *state,
                 int limit, cases_page_fn fn, void *ctx);

/* The case hall.claim_next would claim at these windows now (a page of 0
 * or 1 row): the queue names it before claiming it. */
int cases_peek_next(db_session *s, const char *const *windows, int nwindows, cases_page_fn fn, void *ctx);

/* Cases per state of some windows, for the summary and the queue header. */
typedef struct case_count {
	const char *state;
	long long cases, overdue, warning;
} case_count;

typedef struct case_counts {
	case_count *rows;
	int n;
	db_rows *store_;
} case_counts;

void case_counts_free(case_counts *c);
typedef void (*cases_counts_fn)(void *ctx, case_counts *counts, const db_reply *reply);
/* open_only: the four open states only (cheap: the queue index). */
int cases_counts(db_session *s, const char *const *windows, int nwindows, int open_only,
                 cases_counts_fn fn, void *ctx);

/* One case in full (hall.v_case). */
typedef struct case_detail {
	long long id, applicant_id;
	int item_id;
	const char *case_no, *item_code, *item_name, *item_category;
	const char *applicant_name, *applicant_kind, *id_masked, *phone_masked;
	const char *channel, *state, *window_code, *window_name, *department_name;
	const char *received_at, *accept_due, *accepted_on, *due_date, *deadline;
	const char *due_explain, *urgency;
	int promised_days, extension_days, paused_days;
	int has_days_left, days_left;
	int accepted_late, calendar_unpublished;
	const char *claimed_login, *claimed_name;
	const char *escalated_at, *escalation_reason, *escalation_due;
	int return_count, breach_count;
	const char *last_notice;
	long long extension_id;     /* the pending request; 0: none pending */
	int extension_pending_days; /* 0: none pending */
	const char *extension_pending_reason;
	const char *extension_due_if_granted; /* "" when none pending or not accepted yet */
	const char *closed_at, *closed_name, *decision_note;
	int mine;                   /* claimed by the caller */
	int completed_late;         /* completed after its due date: 超期办结 */
	int returned_overdue;       /* returned (clock paused) when it was already overdue */
	db_rows *store_;
} case_detail;

void case_detail_free(case_detail *c);
/* detail is NULL on error, and also when the case is not visible (DB_OK,
 * no row). */
typedef void (*cases_detail_fn)(void *ctx, case_detail *detail, const db_reply *reply);
int cases_get(db_session *s, long long id, cases_detail_fn fn, void *ctx);
/* Send, in the background, every read that opening case id makes, and
 * drop the answers: a new backend loads the catalogue and makes the plans
 * of those reads on their first call (tens of ms), so the queue calls this
 * once its first page is up and the clerk's first Enter is as quick as the
 * next (doc/performance.md, P3). */
void cases_warm(db_session *s, long long id);

/* The item's materials with their state for this case. */
typedef struct case_material {
	int material_id;
	const char *name;
	int required;
	const char *status; /* submitted missing defective resubmitted */
} case_material;

typedef struct case_materials {
	case_material *rows;
	int n;
	db_rows *store_;
} case_materials;

void case_materials_free(case_materials *m);
typedef void (*cases_materials_fn)(void *ctx, case_materials *m, const db_reply *reply);
int cases_materials(db_session *s, long long id, cases_materials_fn fn, void *ctx);

/* The audit history of a case, oldest first. */
typedef struct case_event {
	const char *at, *actor, *staff_name, *action, *from_state, *to_state, *note;
} case_event;

typedef struct case_history {
	case_event *rows;
	int n;
	db_rows *store_;
} case_history;

void case_history_free(case_history *h);
typedef void (*cases_history_fn)(void *ctx, case_history *h, const db_reply *reply);
int cases_history(db_session *s, long long id, cases_history_fn fn, void *ctx);

/* Earlier returns with their one-time notices, oldest first. */
typedef struct case_return {
	int seq;
	const char *materials; /* names joined with "、" */
	const char *defects, *notice, *staff_name, *returned_at, *resubmitted_at;
	int breach;
	const char *breach_reason;
} case_return;

typedef struct case_returns {
	case_return *rows;
	int n;
	db_rows *store_;
} case_returns;

void case_returns_free(case_returns *r);
typedef void (*cases_returns_fn)(void *ctx, case_returns *r, const db_reply *reply);
int cases_returns(db_session *s, long long id, cases_returns_fn fn, void *ctx);

/* Items served by some windows (for the queue filter). */
typedef struct case_item {
	int id;
	const char *code, *name;
} case_item;

typedef struct case_items {
	case_item *rows;
	int n;
	db_rows *store_;
} case_items;

void case_items_free(case_items *i);
typedef void (*cases_items_fn)(void *ctx, case_items *items, const db_reply *reply);
int cases_items(db_session *s, const char *const *windows, int nwindows, cases_items_fn fn, void *ctx);

/* Live updates: fn is called for every NOTIFY hall_queue with the window
 * of the case that changed state or was submitted ("" when every window is
 * concerned, e.g. the calendar changed and due dates moved).  That is all
 * it says: which case changed is re-read through row-level security.  The
 * LISTEN is repeated after a reconnection.  cases_unlisten(s, ctx) stops it. */
typedef void (*cases_notify_fn)(void *ctx, const char *window);
void cases_listen(db_session *s, cases_notify_fn fn, void *ctx);
void cases_unlisten(db_session *s, void *ctx);

/* --- transitions: each one function of the database, one transaction ---
 * The callback gets DB_OK, or DB_FAILED with the database's refusal in
 * reply->error (nothing changed), or DB_LOST (outcome unknown: reload). */

/* id is the case found, 0 when none. */
typedef void (*cases_id_fn)(void *ctx, long long id, const db_reply *reply);
/* The id of the case numbered case_no, in any state, when the caller may
 * see it (row-level security decides); 0 when there is none.  The queue
 * holds open cases only, but an applicant at the counter also asks about
 * a case that is closed. */
int cases_find_no(db_session *s, const char *case_no, cases_id_fn fn, void *ctx);
int cases_claim(db_session *s, long long id, db_reply_fn fn, void *ctx);
int cases_release(db_session *s, long long id, db_reply_fn fn, void *ctx);
int cases_approve(db_session *s, long long id, const char *note, db_reply_fn fn, void *ctx);
/* breach_reason: NULL for a normal return; a reason to name materials a
 * second time (the database refuses that without one). */
int cases_return(db_session *s, long long id, const int *material_ids, int nmaterials,
                 const char *defects, const char *breach_reason, db_reply_fn fn, void *ctx);
int cases_escalate(db_session *s, long long id, const char *reason, db_reply_fn fn, void *ctx);
int cases_reject(db_session *s, long long id, const char *reason, db_reply_fn fn, void *ctx);
/* Supervisor: decision is "approve", "reject" or "back". */
int cases_decide(db_session *s, long long id, const char *decision, const char *note,
                 db_reply_fn fn, void *ctx);
int cases_request_extension(db_session *s, long long id, int days, const char *reason,
                            db_reply_fn fn, void *ctx);
/* Supervisor of the case's department: grant (granted != 0) or refuse the
 * pending extension request; note may be empty when granting (the
 * terminal asks for one when refusing). */
int cases_grant_extension(db_session *s, long long id, int granted, const char *note,
                          db_reply_fn fn, void *ctx);

/* The full ID number, logged with the reason.  text is valid during the
 * callback only. */
typedef void (*cases_text_fn)(void *ctx, const char *text, const db_reply *reply);
int cases_reveal(db_session *s, long long applicant_id, const char *reason, cases_text_fn fn, void *ctx);

/* The one-time notice a return with these materials and defects would
 * send (hall.return_notice_preview), to show before confirming. */
int cases_notice_preview(db_session *s, long long id, const int *material_ids, int nmaterials,
                         const char *defects, cases_text_fn fn, void *ctx);

/* 1 when a failed cases_return() was refused because it names materials
 * not resubmitted since the previous return: the one-time notice would be
 * broken, and the database wants a breach reason to allow it. */
int cases_is_breach_refusal(const db_reply *reply);

#endif
