/* db/rectify.h - the follow-up of bad ratings (差评): one rating in full
 * with its rectification and appeal, the department's open ones for a
 * supervisor, and the three actions: a step of the rectification
 * (hall.rectify), an appeal (hall.appeal) and its judgement
 * (hall.judge_appeal).  Row-level security decides what the caller sees;
 * the functions decide what the caller may do and say why not.  Same
 * conventions as db/cases.h.  (The clerk's own list and summary are in
 * db/ratings.h.) */
#ifndef HALLTERM_DB_RECTIFY_H
#define HALLTERM_DB_RECTIFY_H

#include "db/session.h"

/* One rating, as hall.v_ratings shows it.  Empty strings for what is not
 * there (no rectification, no appeal, a step not done). */
typedef struct rating_detail {
	long long id;
	const char *kind, *target, *staff_login, *staff_name, *comment, *rated_at;
	int level, counts, bad, open, mine;
	const char *appeal_state;  /* "" none, pending upheld dismissed */
	const char *appeal_reason, *appeal_at, *appeal_note, *appeal_judged_at;
	const char *callback_due, *rectify_due;
	const char *verified_at, *verify_note, *rectified_at, *rectify_note, *callback_at, *callback_note;
	const char *closed_at;
	int callback_late, rectify_late;
	db_rows *store_;
} rating_detail;

void rating_detail_free(rating_detail *d);
/* d is NULL with a DB_OK reply when the rating is not visible. */
typedef void (*rectify_get_fn)(void *ctx, rating_detail *d, const db_reply *reply);
int rectify_get(db_session *s, long long id, rectify_get_fn fn, void *ctx);

/* A line of the supervisor's list of bad ratings.  Each step is late on
 * its own: the callback (1 working day) or the rectification (10-15). */
typedef struct bad_rating {
	long long id;
	const char *rated_at, *staff_name, *target, *comment, *appeal_state, *rectify_due, *callback_due;
	int level, open, verified, late;    /* late: either step */
	const char *ref;                    /* case number or inquiry reference alone */
	int callback_done, callback_late, rectify_done, rectify_late;
} bad_rating;

typedef struct bad_ratings {
	bad_rating *rows;
	int n;
	db_rows *store_;
} bad_ratings;

void bad_ratings_free(bad_ratings *b);
typedef void (*rectify_list_fn)(void *ctx, bad_ratings *b, const db_reply *reply);
/* The visible bad ratings whose rectification is open or whose appeal
 * waits: appeals waiting for a ruling first (newest first), then the
 * rest, appeals already judged or never lodged alike: those with a step
 * overdue now first, then by the rectification's due date; at most
 * limit. */
int rectify_list(db_session *s, int limit, rectify_list_fn fn, void *ctx);

/* hall.rectify(rating, step, note): step is verify, rectify or callback. */
int rectify_step(db_session *s, long long id, const char *step, const char *note, db_reply_fn fn, void *ctx);
/* hall.appeal(rating, reason): the rated clerk only. */
int rectify_appeal(db_session *s, long long id, const char *reason, db_reply_fn fn, void *ctx);
/* hall.withdraw_appeal(rating): the rated clerk, while it waits. */
int rectify_withdraw(db_session *s, long long id, db_reply_fn fn, void *ctx);
/* hall.judge_appeal(rating, upheld, note): a supervisor of the department. */
int rectify_judge(db_session *s, long long id, int upheld, const char *note, db_reply_fn fn, void *ctx);

#endif
