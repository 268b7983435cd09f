/* term.h - the terminal: the only module that sets it up, picks colours,
 * handles signals and gives it back.
 *
 * After term_init() the terminal is restored on every way out: normal exit
 * (term_end or atexit), the fatal hook of xalloc (out of memory, x_fatal),
 * SIGTERM/SIGINT/SIGHUP (turned into a quit request the loop sees, so open
 * screens still save their drafts) and crash signals SIGSEGV/SIGABRT/SIGBUS/
 * SIGFPE (endwin, mouse reporting off, then the signal is re-raised so a core
 * dump and the exit status stay right).
 *
 * Colours are roles, never raw colours, with a monochrome scheme (bold,
 * underline, reverse) used when NO_COLOR is set, when the terminal has no
 * colours, or with [ui] colors = never / theme = mono.  Colour never carries
 * meaning alone: screens add a mark ("!" overdue, "~" due soon) as well.
 */
#ifndef HALLTERM_UI_TERM_H
#define HALLTERM_UI_TERM_H

#include <stddef.h>
#include <curses.h>

#include "common/config.h"

#define TERM_MIN_COLS 80
#define TERM_MIN_LINES 24

typedef enum term_role {
	TERM_NORMAL = 0,  /* body text */
	TERM_TITLE,       /* top line */
	TERM_BANNER,      /* training-database banner under the title */
	TERM_KEYBAR,      /* bottom line: labels */
	TERM_KEYBAR_KEY,  /* bottom line: the key itself ("F1") */
	TERM_HEADER,      /* column headings of a list */
	TERM_SELECTED,    /* selected row */
	TERM_WARN,        /* due soon (yellow) */
	TERM_OVERDUE,     /* overdue (red) */
	TERM_OK,          /* done / success (green) */
	TERM_DIM,         /* secondary text: hints, empty-list message */
	TERM_ERROR,       /* error messages (the database's own words) */
	TERM_INPUT,       /* editable text: prompts and the reply editor */
	TERM_ROLE_COUNT
} term_role;

/* Set the terminal up.  Needs the locale already set (i18n_init) and
 * checks nl_langinfo(CODESET): a terminal that is not UTF-8 is refused with
 * a message saying so plainly.  cfg may be NULL (defaults); it reads
 * [ui] colors, theme and mouse.  Does cbreak, noecho, keypad, nl,
 * set_escdelay(25), curs_set(0), use_default_colors, installs the signal
 * handlers and the fatal hook, registers atexit(term_end).
 * Returns 0, or -1 with a one-line reason in err (the terminal is then
 * untouched). */
int term_init(const config *cfg, char *err, size_t errlen);

/* Give the terminal back: mouse reporting off, cursor visible, endwin.
 * Safe to call any number of times, before term_init too, and from the
 * fatal hook (it does not allocate). */
void term_end(void);

/* 1 between term_init and term_end. */
int term_active(void);

/* curses attributes (colour pair included) for a role. */
attr_t term_attr(term_role role);

/* 1 when colours are in use (0: the monochrome scheme). */
int term_colors(void);

/* Mouse reporting: term_mouse(1) asks for clicks and the wheel (only if
 * [ui] mouse allowed it at init), term_mouse(0) switches it off (the
 * terminal's own copy and paste then works).  Returns the new state. */
int term_mouse(int on);
int term_mouse_enabled(void);

/* 1 when the terminal is smaller than TERM_MIN_COLS x TERM_MIN_LINES.  The
 * loop then draws "terminal too small (need 80x24)" instead of the screens,
 * so screens need not check it themselves. */
int term_too_small(void);

/* Read end of a pipe that becomes readable when SIGTERM/SIGINT/SIGHUP
 * arrives (the loop polls it), or -1 before term_init. */
int term_signal_fd(void);

/* The terminating signal that arrived since the last call (and empty the
 * pipe), or 0. */
int term_take_signal(void);

/* Draw s at (y, x) of w in the role's attributes, made safe and fitted to
 * exactly `cells` cells with text_fit(s, cells, flags) - pass TEXT_PAD to
 * fill the field, TEXT_ALIGN_RIGHT to right-align.  Never writes past
 * `cells` nor past the window's edge.  Returns the cells drawn. */
int term_put(WINDOW *w, int y, int x, int cells, term_role role, int flags, const char *s);

/* The same with explicit attributes (e.g. term_attr(TERM_WARN) | A_REVERSE
 * for a warning cell on the selected row). */
int term_put_attr(WINDOW *w, int y, int x, int cells, attr_t attr, int flags, const char *s);

/* Fill `cells` cells at (y, x) with blanks in the role's attributes. */
void term_fill(WINDOW *w, int y, int x, int cells, term_role role);

#endif
