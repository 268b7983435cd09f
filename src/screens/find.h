/* find.h - `/` on a list whose rows are all loaded (inquiries, ratings,
 * the dashboard's lists, the outbox): ask for a text, select the next row
 * that contains it; `/` then Enter again finds the next one.
 *
 * The queue has its own `/` (a search of every case in the database); the
 * lists here hold everything there is, so they search what they hold. */
#ifndef HALLTERM_SCREENS_FIND_H
#define HALLTERM_SCREENS_FIND_H

#include "ui/list.h"

/* Ask (the last text offered again: *last, owned by the caller, replaced),
 * find, say what happened on the status line.  Returns UI_* flags. */
int find_in_list(list *l, char **last);

#endif
