/* screens/badlist.h - the supervisor's list of bad ratings (the
 * dashboard's b): appeals waiting for a ruling first, then the
 * rectifications, each step (callback, rectification) with its own day
 * and its own mark, so a callback made late does not mark the
 * rectification. */
#ifndef HALLTERM_SCREENS_BADLIST_H
#define HALLTERM_SCREENS_BADLIST_H

#include "db/rectify.h"
#include "ui/list.h"

/* A list widget over *rows (the screen replaces *rows as reloads come in
 * and calls list_set_rows); free it with list_free. */
list *badlist_new(bad_ratings **rows);

#endif
