/* screens/badlist.c - the supervisor's list of bad ratings; see
 * badlist.h. */
#include "screens/badlist.h"

#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "ui/term.h"

/* Each step has its own column and its own mark: a callback made late
 * does not mark the rectification. */
enum { B_RATED, B_LEVEL, B_STAFF, B_REF, B_ABOUT, B_APPEAL, B_CALLBACK, B_RECTIFY, B_NCOLS };

static const list_column ratings_cols[B_NCOLS] = {
	[B_RATED] = { N_("Rated on"), 10, 10, 0, LIST_LEFT },
	[B_LEVEL] = { N_("Level"), 4, 5, 0, LIST_LEFT },
	[B_STAFF] = { N_("Staff"), 6, 10, 1, LIST_LEFT },
	[B_REF] = { N_("Ref."), 13, 13, 0, LIST_LEFT },
	[B_ABOUT] = { N_("Comment"), 8, 0, 3, LIST_LEFT },
	[B_APPEAL] = { N_("Appeal"), 8, 8, 0, LIST_LEFT },
	[B_CALLBACK] = { N_("Call back"), 8, 10, 0, LIST_LEFT },
	[B_RECTIFY] = { N_("Rectify by"), 8, 10, 0, LIST_LEFT },
};

/* A step's cell: "✓" done ("✓ late" when late), else its day (MM-DD),
 * "!!" in front when overdue. */
static const char *step_cell(int done, int late, const char *due, char *buf, size_t n, int *role)
{
	const char *day = strlen(due) >= 10 ? due + 5 : due;

	if (done) {
		if (late)
			*role = TERM_WARN;
		snprintf(buf, n, late ? _("✓ late") : "✓");
	} else if (late) {
		*role = TERM_OVERDUE;
		snprintf(buf, n, "!!%s", day);
	} else {
		snprintf(buf, n, "%s", day);
	}
	return buf;
}

static const char *ratings_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[64];
	bad_ratings *const *rows = ctx;
	const bad_rating *b;

	if (!*rows || row >= (size_t)(*rows)->n)
		return NULL;
	b = &(*rows)->rows[row];
	switch (col) {
	case B_RATED:
		snprintf(buf, sizeof buf, "%.10s", b->rated_at);
		return buf;
	case B_LEVEL:
		snprintf(buf, sizeof buf, "%d", b->level);
		return buf;
	case B_STAFF:
		return b->staff_name;
	case B_REF:
		return *b->ref ? b->ref : b->target;
	case B_ABOUT:
		return b->comment;
	case B_APPEAL:
		if (strcmp(b->appeal_state, "pending") == 0) {
			*role = TERM_WARN;
			return _("! waiting");
		}
		if (strcmp(b->appeal_state, "upheld") == 0)
			return _("upheld");
		if (strcmp(b->appeal_state, "dismissed") == 0)
			return _("dismissed");
		return "";
	case B_CALLBACK:
		if (!b->open)
			return _("closed");
		return step_cell(b->callback_done, b->callback_late, b->callback_due, buf, sizeof buf, role);
	case B_RECTIFY:
		if (!b->open)
			return "";
		return step_cell(b->rectify_done, b->rectify_late, b->rectify_due, buf, sizeof buf, role);
	default:
		return NULL;
	}
}

static int64_t ratings_id(void *ctx, size_t row)
{
	bad_ratings *const *rows = ctx;

	return *rows && row < (size_t)(*rows)->n ? (*rows)->rows[row].id : -1;
}

static const list_source ratings_source = { ratings_cell, ratings_id, NULL };

list *badlist_new(bad_ratings **rows)
{
	return list_new(ratings_cols, B_NCOLS, &ratings_source, rows);
}
