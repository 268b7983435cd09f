/* screens/ratinglist.c - a list of ratings; see ratinglist.h. */
#include "screens/ratinglist.h"

#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "ui/term.h"

const rating_row *ratinglist_row(rating_list *const *rows, size_t i)
{
	const rating_list *l = *rows;

	return l && i < (size_t)l->n ? &l->rows[i] : NULL;
}

const char *ratinglist_level_name(int level)
{
	static const char *const names[6] = {
		"", N_("very dissatisfied"), N_("dissatisfied"), N_("fairly satisfied"), N_("satisfied"),
		N_("very satisfied"),
	};
	return level >= 1 && level <= 5 ? _(names[level]) : "";
}


int ratinglist_step_late(const rating_row *r)
{
	return (r->callback_late && !*r->callback_at) || (r->rectify_late && !*r->rectified_at);
}

/* The state of a rating in a few words: its appeal, else its
 * rectification. */
static const char *state_word(const rating_row *r, int *role)
{
	if (strcmp(r->appeal_state, "pending") == 0) {
		*role = TERM_WARN;
		return _("! appeal waits");
	}
	if (strcmp(r->appeal_state, "upheld") == 0)
		return _("appeal upheld");
	if (strcmp(r->appeal_state, "dismissed") == 0)
		return _("appeal dismissed");
	if (!r->bad)
		return "";
	if (r->open && ratinglist_step_late(r)) {
		*role = TERM_OVERDUE;
		return _("!! step late");
	}
	return r->open ? _("rectifying") : _("rectified");
}

/* ------------------------------------------------------------- the list */

enum { C_RATED, C_LEVEL, C_REF, C_COMMENT, C_STATE, C_NCOLS };

static const list_column rating_cols[C_NCOLS] = {
	[C_RATED] = { N_("Rated at"), 16, 16, 0, LIST_LEFT },
	[C_LEVEL] = { N_("Rating"), 8, 12, 1, LIST_LEFT },
	[C_REF] = { N_("Ref."), 13, 13, 0, LIST_LEFT },
	[C_COMMENT] = { N_("Comment"), 12, 0, 4, LIST_LEFT },
	[C_STATE] = { N_("State"), 12, 12, 0, LIST_LEFT },
};

static const char *rating_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[64];
	const rating_row *r = ratinglist_row(ctx, row);

	if (!r)
		return NULL;
	switch (col) {
	case C_RATED:
		return r->rated_at;
	case C_LEVEL:
		if (r->bad)
			*role = TERM_WARN;
		snprintf(buf, sizeof buf, "%d %s", r->level, ratinglist_level_name(r->level));
		return buf;
	case C_REF:
		return *r->ref ? r->ref : r->target;
	case C_COMMENT:
		return *r->comment ? r->comment : _("(no comment)");
	case C_STATE:
		return state_word(r, role);
	default:
		return NULL;
	}
}

static int64_t rating_row_id(void *ctx, size_t row)
{
	const rating_row *r = ratinglist_row(ctx, row);

	return r ? r->id : -1;
}

static const list_source rating_source = { rating_cell, rating_row_id, NULL };

list *ratinglist_new(rating_list **rows)
{
	return list_new(rating_cols, C_NCOLS, &rating_source, rows);
}
