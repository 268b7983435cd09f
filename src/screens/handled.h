/* screens/handled.h - "answered or transferred by me" (我已答复/已转办),
 * the second list of the inquiries screen (m): the replies the clerk wrote
 * and the inquiries they transferred away, newest first. */
#ifndef HALLTERM_SCREENS_HANDLED_H
#define HALLTERM_SCREENS_HANDLED_H

#include "db/inquiries.h"
#include "ui/list.h"

/* A list widget over *rows (the screen replaces *rows as reloads come in
 * and calls list_set_rows); free it with list_free.  The asker's name
 * gets the extra width first, the subject what is left. */
list *handled_list_new(handled_inquiries **rows);

/* Enter on one: an answered inquiry opens (it is still the department's);
 * a transferred one is the other department's now, so what the clerk did
 * is shown in a box instead. */
void handled_open(const handled_inquiry *h);

#endif
