/* screens/export.h - saving a table as CSV from a screen (E).  The
 * database writes the file (COPY ... TO STDOUT WITH CSV HEADER, streamed
 * by db_session_copy_out): the screen only asks where, and whether the
 * file starts with a UTF-8 byte-order mark (what Excel on the hall's
 * Windows PCs needs to read Chinese headers). */
#ifndef HALLTERM_SCREENS_EXPORT_H
#define HALLTERM_SCREENS_EXPORT_H

#include <stdio.h>

#include "db/session.h"

/* Ask for the file (default $XDG_DOCUMENTS_DIR, else $HOME, then
 * "hallterm-<name>.csv") and the byte-order mark; returns the file open
 * for writing, the mark written, or NULL (cancelled, offline, or not
 * writable: the status line says which). */
FILE *export_open(const char *name);

/* The reply function of the COPY, with the file as ctx: closes it and
 * says how many rows were saved (or why not). */
void export_done(void *ctx, const db_reply *reply);

/* When the COPY could not be sent: closes the file and says so. */
void export_failed(FILE *f);

/* E on a report screen: the export `which` streamed into f (from
 * export_open; NULL does nothing) from app_report_session(), the standby
 * when there is one: sup_export of db/supervise.h for a period, or
 * scorecard_export of db/scorecard.h for a month ("YYYY-MM-01"), or
 * tickets_export of db/tickets.h for "tickets_line", "tickets_window" or
 * "tickets_clerk" and a period.  A COPY
 * the standby cancels for its replay or loses as it goes is run again on
 * the primary from the start (the file emptied back to its mark), not
 * shown as a refusal.  f is closed in the end, and the status line says
 * what was saved. */
void export_period_csv(FILE *f, const char *which, const char *from, const char *to);
void export_month_csv(FILE *f, const char *which, const char *month);

#endif
