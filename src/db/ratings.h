/* db/ratings.h - 好差评: the caller's own ratings (never a colleague's:
 * row-level security sees to that), their trend, and bad ratings with
 * their rectification.  Same conventions as db/cases.h. */
#ifndef HALLTERM_DB_RATINGS_H
#define HALLTERM_DB_RATINGS_H

#include "db/session.h"

typedef struct rating_summary {
	long long ratings;     /* those that count */
	long long per_level[6]; /* [1]..[5] */
	int has_satisfaction;
	double satisfaction;   /* 0..1: levels 4-5 over all */
	long long not_counting, rectifications_open, rectifications_late, appeals_pending;
	/* The last 12 weeks, oldest first. */
	int nweeks;
	const char *week_start[12];
	long long week_ratings[12], week_bad[12];
	double week_satisfaction[12]; /* NaN: no rating that week */
	db_rows *store_;
} rating_summary;

void rating_summary_free(rating_summary *r);
typedef void (*ratings_summary_fn)(void *ctx, rating_summary *r, const db_reply *reply);
int ratings_summary(db_session *s, ratings_summary_fn fn, void *ctx);

typedef struct rating_row {
	long long id;
	const char *kind, *target, *comment, *rated_at;
	int level;
	int bad, counts;
	const char *appeal_state;      /* "" none, pending upheld dismissed */
	/* Bad ratings: the rectification. */
	const char *callback_due, *rectify_due;
	const char *verified_at, *rectified_at, *callback_at, *closed_at;
	const char *verify_note, *rectify_note, *callback_note;
	int callback_late, rectify_late, open;
	const char *followup_comment;
	int followup_level;
	/* What it rates: the case or inquiry (target_id, as kind says), its
	 * number or reference alone, and the item or subject ("" when no
	 * longer visible). */
	long long target_id;
	const char *ref, *title;
	const char *appeal_reason;     /* "" without an appeal */
} rating_row;

typedef struct rating_list {
	rating_row *rows;
	int n;
	db_rows *store_;
} rating_list;

void rating_list_free(rating_list *l);
typedef void (*ratings_list_fn)(void *ctx, rating_list *l, const db_reply *reply);
/* The caller's bad ratings and latest commented ones, open
 * rectifications first, then newest first; at most limit. */
int ratings_mine(db_session *s, int limit, ratings_list_fn fn, void *ctx);
/* The same for one staff member (staff_id; 0: the caller) and the days
 * from..to ("YYYY-MM-DD"; NULL or "": no bound), as far as row-level
 * security shows them (a supervisor: their department). */
int ratings_of(db_session *s, long long staff_id, const char *from, const char *to, int limit,
               ratings_list_fn fn, void *ctx);

#endif
