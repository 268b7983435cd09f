/* screens/tally.h - one line of counts ("待受理 7   审核中 15 ...") that
 * always shows every count: when they do not fit, the gaps shrink from
 * three cells to two, then the longest labels are cut with a visible "…"
 * (never a number, never an item dropped silently). */
#ifndef HALLTERM_SCREENS_TALLY_H
#define HALLTERM_SCREENS_TALLY_H

#include <curses.h>

typedef struct tally {
	const char *label;  /* translated */
	long long n;
	int role;           /* term_role when n > 0 (TERM_NORMAL otherwise) */
} tally;

/* At most 10 items at (y, 0) of w, `cols` wide; tail (may be NULL) after
 * them, dimmed, if there is room. */
void tally_line(WINDOW *w, int y, int cols, const tally *items, int n, const char *tail);

#endif
