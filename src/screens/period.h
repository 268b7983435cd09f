/* screens/period.h - the period a supervisor's figures cover: today, this
 * week, this month, last month or chosen dates.  The named periods' days
 * come from the database's clock (the training clock on a demo), so the
 * screens ask it (sup_period) rather than the PC's clock. */
#ifndef HALLTERM_SCREENS_PERIOD_H
#define HALLTERM_SCREENS_PERIOD_H

enum { PERIOD_TODAY, PERIOD_WEEK, PERIOD_MONTH, PERIOD_LAST_MONTH, PERIOD_CUSTOM, PERIOD_N };

typedef struct period_sel {
	int which;              /* PERIOD_* */
	char from[11], to[11];  /* "YYYY-MM-DD", "" until the database said */
	char prev_from[11], prev_to[11]; /* the period before, to compare with:
	                                    as long, just before (chosen dates) */
	void (*changed)(void *ctx); /* called once from and to are known */
	void *ctx;
} period_sel;

/* The period's name, translated ("this month"). */
const char *period_name(int which);

/* Set p->which and find its days: a named period asks the database (the
 * answer calls p->changed), chosen dates call it at once.  Offline: only
 * p->which changes. */
void period_set(period_sel *p, int which);

/* p: ask which period (and the dates for chosen dates), then period_set.
 * Wrong dates are said on the status line and change nothing. */
void period_ask(period_sel *p);

/* Forget the database's answers still due (the screen closes). */
void period_forget(period_sel *p);

#endif
