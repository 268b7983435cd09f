/* screens/ratinglist.h - a list of ratings (db/ratings.h rating_list):
 * when, the level in words, the case or inquiry, the comment and the
 * state of its rectification or appeal.  The clerk's own ratings (3) and
 * a supervisor's view of one clerk's use it. */
#ifndef HALLTERM_SCREENS_RATINGLIST_H
#define HALLTERM_SCREENS_RATINGLIST_H

#include "db/ratings.h"
#include "ui/list.h"

/* A list widget over *rows (the screen replaces *rows as reloads come in
 * and calls list_set_rows); free it with list_free.  Row ids are the
 * ratings' ids, so the selection stays on its rating across reloads. */
list *ratinglist_new(rating_list **rows);

/* The row shown at i (NULL past the end). */
const rating_row *ratinglist_row(rating_list *const *rows, size_t i);

/* "very satisfied" ... for 1..5, translated; "" otherwise. */
const char *ratinglist_level_name(int level);

/* A step of its rectification is late and still not done. */
int ratinglist_step_late(const rating_row *r);

#endif
