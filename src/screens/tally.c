/* screens/tally.c - a line of counts; see tally.h. */
#include "screens/tally.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/text.h"
#include "common/xalloc.h"
#include "ui/term.h"

#define MAX_COUNTS 10

void tally_line(WINDOW *w, int y, int cols, const tally *it, int n, const char *tail)
{
	int lw[MAX_COUNTS], nw[MAX_COUNTS], gap = 3, total, x = 0;
	char num[32];

	if (n > MAX_COUNTS)
		n = MAX_COUNTS;
	for (int i = 0; i < n; i++) {
		snprintf(num, sizeof num, "%lld", it[i].n);
		lw[i] = text_width(it[i].label);
		nw[i] = text_width(num);
	}
	for (;;) {
		int longest = -1;
		total = tail ? text_width(tail) + 2 : 0;
		for (int i = 0; i < n; i++)
			total += lw[i] + 1 + nw[i] + (i ? gap : 0);
		if (total <= cols)
			break;
		if (gap > 2) {
			gap = 2;
			continue;
		}
		for (int i = 0; i < n; i++)
			if (lw[i] > 3 && (longest < 0 || lw[i] > lw[longest]))
				longest = i;
		if (longest < 0)
			break; /* as short as they go: the edge cuts the rest */
		lw[longest]--;
	}
	for (int i = 0; i < n && x < cols; i++) {
		char *label = text_fit(it[i].label, lw[i], 0), *cell;

		snprintf(num, sizeof num, "%lld", it[i].n);
		cell = x_asprintf("%s %s", label, num);
		term_put(w, y, x, cols - x, it[i].n > 0 ? it[i].role : TERM_NORMAL, 0, cell);
		x += text_width(cell) + gap;
		free(cell);
		free(label);
	}
	if (tail && x < cols)
		term_put(w, y, x, cols - x, TERM_DIM, 0, tail);
}
