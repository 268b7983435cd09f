/* screens/supx.h - what the case and inquiry screens add for supervision:
 * the open 督办 flag shown at the top, and three keys: o reassigns (改派)
 * and u flags 督办 for a supervisor, u answers the flag for the clerk it
 * names.  The owner screen embeds a supx, calls supx_load() with its own
 * reloads, supx_lines() when it builds its text, supx_available() and
 * supx_key() from its own handlers, and supx_free() when it closes; after
 * an action supx calls reload(owner), so the screen shows what the
 * database now holds. */
#ifndef HALLTERM_SCREENS_SUPX_H
#define HALLTERM_SCREENS_SUPX_H

#include "db/session.h"
#include "screens/view.h"

typedef struct supx {
	const char *kind;          /* "application" or "inquiry" (static) */
	long long id;
	char ref[64];              /* the case number or inquiry reference, for the dialogs */
	int open_item;             /* SUPX_OPEN: may be flagged; SUPX_REASSIGNABLE: may be given to another clerk */
	db_rows *candidates;       /* login, name, windows */
	db_rows *flag;             /* the open flag, 0 or 1 row */
	int changed;               /* set when rows arrived: the owner rebuilds its text and clears it */
	void (*reload)(void *owner);
	void *owner;
} supx;

void supx_init(supx *x, const char *kind, long long id, void (*reload)(void *owner), void *owner);
enum { SUPX_OPEN = 1, SUPX_REASSIGNABLE = 2 };
/* Read the open flag (everybody) and the clerks it may go to (a
 * supervisor).  ref and open_item (SUPX_* bits) describe the item as last
 * read. */
void supx_load(supx *x, const char *ref, int open_item);
/* The flag's lines, at the top of the owner's text. */
void supx_lines(const supx *x, view *v);
int supx_available(const supx *x, int cmd);
/* Returns UI_* flags, or UI_UNHANDLED for a command that is not its own. */
int supx_key(supx *x, int cmd);
void supx_free(supx *x);

#endif
