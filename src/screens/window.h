/* screens/window.h - the clerk's window on the queue screen (叫号): one
 * status line (the window's status, the ticket being served, how many
 * wait) and the keys that pace the counter: call the next ticket, call it
 * again, a no-show, finish, and the window's status.
 *
 * The queue owns one panel (queue.c stays a list of cases); the front
 * desk and the case search link the ticket being served to the case they
 * create or find through window_link_case / window_offer_link, which act
 * on the panel the queue has open (none: they do nothing). */
#ifndef HALLTERM_SCREENS_WINDOW_H
#define HALLTERM_SCREENS_WINDOW_H

#include <curses.h>

#include "ui/keys.h"

typedef struct window_panel window_panel;

/* The commands the panel handles: those for the key bar (each shown only
 * when it applies: h while nobody is at the counter, H p d while a ticket
 * is served) and the window's status (in the help: it is seldom used). */
#define WINDOW_KEYBAR CMD_TICKET_CALL, CMD_TICKET_RECALL, CMD_TICKET_SKIP, CMD_TICKET_FINISH
#define WINDOW_MORE CMD_WINDOW_STATUS

/* Load the clerk's windows (hall.v_my_window) and follow NOTIFY
 * hall_calls and hall_queue.  Needs a logged-in clerk. */
window_panel *window_panel_new(void);
void window_panel_free(window_panel *p);

/* Draw the status line at row y of w; returns the rows used (0 when the
 * clerk has no ticket window: nothing drawn). */
int window_panel_draw(window_panel *p, WINDOW *w, int y, int cols);

/* A key: UI_* flags, or UI_UNHANDLED when cmd is not the panel's. */
int window_panel_key(window_panel *p, int cmd);

/* Whether the panel's cmd applies now (-1: not the panel's command). */
int window_panel_available(const window_panel *p, int cmd);

/* Reload (the queue came back into view). */
void window_panel_reload(window_panel *p);

/* A case was received at the window: the ticket being served, if it
 * leads to no case yet, is linked to it (quietly; a refusal is shown). */
void window_link_case(long long application);

/* A case was found with /: asks whether the ticket being served (if any,
 * with no case yet) is for it, and links it if so.  From a database
 * callback too: the question waits for the loop. */
void window_offer_link(long long application, const char *case_no);

#endif
