/* screens/screens.h - how to open each screen.  Each screen lives in one
 * file as a table of functions (ui_screen_ops); these are the only ways in.
 * Each returns the pushed screen, or NULL when it could not open. */
#ifndef HALLTERM_SCREENS_H
#define HALLTERM_SCREENS_H

#include "ui/loop.h"

/* First screen: connects with app_conninfo(), asks for a user and a
 * password only when libpq needs them, then app_start_main(). */
ui_screen *login_push(void);

/* Main screens (push = on top of the current one; replace = instead). */
extern const ui_screen_ops queue_ops;
extern const ui_screen_ops dashboard_ops;
extern const ui_screen_ops inquiries_ops;
extern const ui_screen_ops ratings_ops;
void *queue_new(void);
void *dashboard_new(void);
void *inquiries_new(void);
void *ratings_new(void);

/* One case, pushed over the current screen. */
ui_screen *case_push(long long id);

/* One inquiry in full (its text, replies; reply, transfer). */
ui_screen *inquiry_push(long long inquiry_id);

/* The reply editor for an inquiry, with its draft. */
ui_screen *reply_push(long long inquiry_id);

/* The key of an inquiry's reply draft for the logged-in person (newly
 * allocated). */
char *reply_draft_key(long long inquiry_id);

#endif
