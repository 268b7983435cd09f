/* dialog.h - modal dialogs: prompt, confirm, checklist, choice, message,
 * text viewer.
 *
 * Each runs as a screen on the loop's stack through ui_modal(): the call
 * returns when the clerk answers, while database sockets, timers (draft
 * autosave) and repaints go on underneath.  Esc (or F3) cancels every
 * dialog.  All text passed in is sanitised before it is drawn; titles and
 * labels should already be translated (_()).  Boxes fit in 80x24 and
 * wrap long text; a resize while a dialog is open keeps what was typed.
 *
 * Call them from key handlers or callbacks; after one returns, the screen
 * that called it is still there (unless the program is quitting:
 * ui_quitting()).
 */
#ifndef HALLTERM_UI_DIALOG_H
#define HALLTERM_UI_DIALOG_H

#include <stddef.h>

enum {
	DIALOG_SECRET    = 1 << 0, /* prompt: show '*' for each character (passwords) */
	DIALOG_MULTILINE = 1 << 1, /* prompt: a box of several lines; Enter is a
	                              newline, F9 / Alt-s confirms */
	DIALOG_REQUIRED  = 1 << 2, /* prompt: an empty answer is refused */
};

/* Ask for text: label above the input line, initial text (may be NULL),
 * at most max_chars characters (0 = no limit).  Returns the text (newly
 * allocated, valid UTF-8, safe) or NULL when cancelled. */
char *dialog_prompt(const char *title, const char *label, const char *initial,
                    size_t max_chars, int flags);

/* Yes / no.  y or Enter on "Yes" answers yes; n, Esc answer no.
 * Returns 1 for yes, 0 for no or cancel. */
int dialog_confirm(const char *title, const char *question);

/* Several choices may be marked (materials of a case for a return):
 * checked[i] is read as the initial state and written on OK.  Space marks,
 * Enter confirms, Esc cancels (checked untouched).  Returns 1 on OK, 0 on
 * cancel. */
int dialog_checklist(const char *title, const char *label,
                     const char *const *items, size_t n, unsigned char *checked);

/* Pick one item (canned replies, a department to transfer to): Enter or a
 * double click chooses.  Returns the index, or -1 when cancelled or n == 0. */
long dialog_choose(const char *title, const char *const *items, size_t n, size_t initial);

/* Show a message (text wrapped; may be several lines) until a key. */
void dialog_message(const char *title, const char *text);

/* A full-screen viewer for long text (an inquiry, the one-time notice):
 * wrapped at character boundaries, scrolled with the navigation keys,
 * closed with Esc/q/F3/Enter. */
void dialog_viewer(const char *title, const char *text);

#endif
