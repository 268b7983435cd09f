/* loop.h - the one event loop and the screen stack.
 *
 * One poll() watches the tty, the signal pipe of term.h, every descriptor
 * registered with loop_watch_fd (hallterm.c registers the database socket:
 * ui/ never includes libpq) and the timers.  Keys are read with get_wch and
 * all queued keys are handled before the screen is painted again.
 *
 * Screens are small tables of functions (tig's view_ops, ncdu's X_draw/
 * X_key).  Handlers never paint: they return flags, and only the loop
 * repaints (wnoutrefresh per window, one doupdate), so a burst of keys or
 * database notifications costs one repaint.
 *
 * The screen layout, top to bottom:
 *   line 0          title: the top screen's title, ui_set_title_right text
 *   line 1          banner, when ui_set_banner set one (training database)
 *   body            the top screen's draw() area (a WINDOW of its own)
 *   line LINES-2    status line: ui_status messages
 *   line LINES-1    key bar: the keys of the top screen (from commands.def)
 *                   that are available now, most important first; when
 *                   they do not all fit, F1 says "more" and Back keeps
 *                   its place at the right end.
 * Ctrl-C (SIGINT) asks before quitting; a second Ctrl-C quits.
 * Below 80x24 the loop shows "terminal too small" instead of all of it.
 *
 * Everything here runs on the one thread; callbacks must not block.
 */
#ifndef HALLTERM_UI_LOOP_H
#define HALLTERM_UI_LOOP_H

#include <stddef.h>
#include <curses.h>

#include "ui/keys.h"

typedef struct ui_screen ui_screen;

/* Flags returned by key handlers (and OR-able). */
enum {
	UI_UNHANDLED = 0,      /* not mine: the loop applies the navigation/global
	                          meaning (BACK pops, HELP, QUIT, REFRESH) */
	UI_HANDLED   = 1 << 0, /* done, nothing to repaint */
	UI_REDRAW    = 1 << 1, /* repaint (the loop batches it) */
	UI_POP       = 1 << 2, /* close this screen (after the handler returns) */
	UI_QUIT      = 1 << 3, /* leave the program (screens are closed first) */
};

/* ops->flags */
enum {
	UI_SCREEN_TEXT_INPUT = 1 << 0, /* printable keys are text (cmd CMD_NONE,
	                                  ev->key the code point): editor, prompt */
	UI_SCREEN_OVERLAY    = 1 << 1, /* a dialog box: the screen below is drawn
	                                  first, this one on top of it */
};

typedef struct ui_screen_ops {
	const char *name;     /* for logs only */
	int flags;            /* UI_SCREEN_* */
	/* Commands shown in the key bar, in order (HELP is always shown first
	 * by the loop), CMD_NONE-terminated.  These and `commands` are the only
	 * screen commands the key handler will see, besides ui_always_commands. */
	const int *keybar;
	const int *commands;  /* further commands (help screen only); may be NULL */
	/* Whether a command of keybar/commands applies now (the case's state,
	 * the user's role): the key bar leaves out those that do not, their
	 * keys say so instead of acting, and help marks them.  Several
	 * commands may share a key (a: approve for the clerk, grant for the
	 * supervisor): the key goes to the first one available.  May be NULL
	 * (everything applies). */
	int (*available)(ui_screen *s, int cmd);

	/* Called once by ui_push.  Return 0, or -1 to refuse (the screen is
	 * then closed at once and not shown). */
	int (*open)(ui_screen *s);
	/* Draw the whole body window w (getmaxyx gives its size; it is at
	 * least 80 columns by 24 - 4 lines).  Call ui_screen_cursor() to show
	 * the text cursor.  Required. */
	void (*draw)(ui_screen *s, WINDOW *w);
	/* One input: cmd is the command the key is bound to on this screen
	 * (CMD_NONE for text or a mouse event), ev the raw input.  Returns UI_*
	 * flags.  May be NULL (every input is then unhandled). */
	int (*key)(ui_screen *s, int cmd, const ui_event *ev);
	/* The body area changed size (also called once before the first draw).
	 * May be NULL.  Editors reflow here - never cancel an edit. */
	void (*resize)(ui_screen *s, int lines, int cols);
	/* Another screen was pushed over this one (focused = 0), or the screen
	 * above it closed and it is the top one again (1).  Not called on the
	 * screen's own push.  Editors save their draft on 0.  May be NULL. */
	void (*focus)(ui_screen *s, int focused);
	/* The screen is removed (pop, replace, quit): free s->data and cancel
	 * its timers and watches.  May be NULL. */
	void (*close)(ui_screen *s);
} ui_screen_ops;

/* A screen on the stack.  Allocated and freed by the loop; screens use
 * only these two fields (the loop keeps its own bookkeeping elsewhere). */
struct ui_screen {
	const ui_screen_ops *ops;
	void *data;          /* the screen's own state; freed by ops->close */
};

/* --- running ------------------------------------------------------------ */

/* Run until ui_quit(), a UI_QUIT flag, the last screen popped, or a
 * terminating signal.  Needs term_init() and at least one pushed screen.
 * On the way out every screen is closed (top first), so drafts get saved.
 * Returns 0, or the number of the terminating signal that ended it. */
int ui_run(void);

/* Ask the loop to finish after the current callback. */
void ui_quit(void);

/* 1 once a quit was asked for (dialogs return "cancelled" from then on). */
int ui_quitting(void);

/* Ask for a repaint (from fd and timer callbacks; key handlers return
 * UI_REDRAW instead).  Cheap: only sets a flag. */
void ui_redraw(void);

/* Repaint everything from scratch (clearok) on the next paint: Ctrl-L. */
void ui_redraw_all(void);

/* --- the screen stack ----------------------------------------------------- */

/* Put a screen on top: allocates the ui_screen (the stack owns it),
 * calls ops->open, ops->resize, and focus(0) on the one below.  data is
 * handed to the screen (ops->close frees it).  Returns the screen, or NULL
 * when open() refused (close() has then been called). */
ui_screen *ui_push(const ui_screen_ops *ops, void *data);

/* Close the top screen once the current callback returns (handlers may
 * also return UI_POP).  Popping the last screen ends ui_run. */
void ui_pop(void);

/* Close the top screen and push another in its place (e.g. login ->
 * queue) without the one below seeing a focus change.  Same return as
 * ui_push. */
ui_screen *ui_replace(const ui_screen_ops *ops, void *data);

/* The top screen (NULL if none), and the number of screens. */
ui_screen *ui_top(void);
size_t ui_depth(void);

/* Push a screen and run the loop until it is popped (a nested loop: fds,
 * timers and repaints go on).  For dialogs that return an answer:
 * data belongs to the caller and stays valid afterwards (ops->close must
 * not free it when used this way).  Returns 0 when the screen was popped,
 * -1 when it could not open or the program is quitting (then treat the
 * dialog as cancelled). */
int ui_modal(const ui_screen_ops *ops, void *data);

/* Title of s shown on the top line (copied; NULL = none). */
void ui_screen_title(ui_screen *s, const char *title);

/* During draw(): put the visible text cursor at (y, x) of the body window.
 * Not called (or y < 0): the cursor is hidden. */
void ui_screen_cursor(ui_screen *s, int y, int x);

/* --- lines every screen shares ------------------------------------------- */

enum ui_status_kind {
	UI_INFO,   /* cleared after a few seconds or by the next key */
	UI_OK,     /* same, in the "ok" role */
	UI_WARN,   /* stays until the next key */
	UI_ERROR,  /* stays until the next key; use for the database's message */
};

/* Show a one-line message (formatted, then sanitised: text from the
 * database is safe here).  Replaces the previous one. */
void ui_status(enum ui_status_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ui_status_clear(void);

/* Persistent banner under the title, e.g. _("Training database - not
 * production"); NULL or "" removes it.  Copied. */
void ui_set_banner(const char *text);

/* Right-hand part of the title line: user, window, connection state.
 * Copied; NULL clears. */
void ui_set_title_right(const char *text);

/* --- descriptors and timers ---------------------------------------------- */

typedef void (*loop_fd_cb)(int fd, short revents, void *ctx);
typedef void (*loop_timer_cb)(void *ctx);

/* Watch fd for `events` (POLLIN, POLLOUT); cb runs with the revents
 * (POLLERR/POLLHUP/POLLNVAL included).  Watching an fd again replaces its
 * events, callback and ctx.  Returns 0, or -1 if fd < 0. */
int loop_watch_fd(int fd, short events, loop_fd_cb cb, void *ctx);

/* Change only the events of a watched fd (e.g. add POLLOUT while libpq has
 * output to flush).  No-op for an unknown fd. */
void loop_fd_events(int fd, short events);

/* Stop watching fd (safe inside its own callback, and for unknown fds).
 * Call it before closing the fd. */
void loop_unwatch_fd(int fd);

/* Run cb after `ms` milliseconds (monotonic clock), once, or every `ms`
 * when repeat != 0.  Returns an id > 0 for loop_timer_cancel. */
unsigned loop_timer(int ms, int repeat, loop_timer_cb cb, void *ctx);

/* Cancel a timer (safe inside its own callback, for finished one-shot
 * timers and for id 0). */
void loop_timer_cancel(unsigned id);

/* Milliseconds of the monotonic clock (for timing and backoff). */
long long loop_now_ms(void);

#endif
