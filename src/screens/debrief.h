/* screens/debrief.h - the debrief of a training exercise, from the rows of
 * hall.training_debrief (db/trainroom.h TD_*): the database gives codes,
 * this module gives the Chinese words, in three forms - lines for the
 * screen, plain text for the printer, CSV for a spreadsheet.
 *
 * Per trainee: what went well, what went late, which rule was broken and
 * where (the case); then the class's lines (staff_id NULL).  only_staff > 0
 * keeps one trainee's lines (and leaves out the class's).
 */
#ifndef HALLTERM_SCREENS_DEBRIEF_H
#define HALLTERM_SCREENS_DEBRIEF_H

#include <stdio.h>

#include "db/session.h"
#include "screens/view.h"

/* The words of one line: "第二次退回时才告知新材料" for ('rule',
 * 'second_return'); unknown codes come back as given. */
const char *debrief_code_text(const char *kind, const char *code);
/* The rule an action broke (training_actions' rule), in words. */
const char *debrief_rule_text(const char *rule);

/* Lines into v (cleared first), v->width set by the caller. */
void debrief_view(view *v, const db_rows *rows, long long only_staff);

/* The same as plain text with a title line, newly allocated. */
char *debrief_text(const db_rows *rows, long long only_staff, const char *title);

/* Write CSV (a header, then one line per row; fields quoted as RFC 4180)
 * to f.  Returns the data rows written, or -1 on a write error. */
long debrief_csv(FILE *f, const db_rows *rows, long long only_staff);

#endif
