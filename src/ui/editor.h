/* editor.h - the multi-line UTF-8 reply editor.
 *
 * The model (text, cursor, wrapping) is separate from drawing, so it is
 * tested without a terminal.  Text is kept as UTF-8; the cursor is a byte
 * offset that is always on a character boundary; columns are measured with
 * text.h, the same routine that draws, so the cursor sits where the text
 * is.  Lines are soft-wrapped with text_wrap (never inside a character,
 * CJK punctuation rules respected); a width change reflows and keeps the
 * text and the cursor (an edit is never cancelled by a resize).
 *
 * Everything inserted is made safe first: control characters and escape
 * sequences become visible placeholders (text_sanitize), invalid UTF-8
 * U+FFFD, '\t' a space, "\r\n" and a lone '\r' a newline.  So the text of
 * the editor is always valid UTF-8 and drawable as it is.
 */
#ifndef HALLTERM_UI_EDITOR_H
#define HALLTERM_UI_EDITOR_H

#include <stddef.h>
#include <stdint.h>
#include <curses.h>

#include "ui/keys.h"

typedef struct editor editor;

/* max_chars: the most characters (code points) the text may hold; 0 = no
 * limit.  The wrap width starts at 40 cells until editor_set_width. */
editor *editor_new(size_t max_chars);
void editor_free(editor *e);

/* Replace the text (sanitised, cut to max_chars); cursor at the end.
 * Clears the modified flag. */
void editor_set_text(editor *e, const char *utf8);

/* The text: valid UTF-8, NUL-terminated, owned by e, valid until the next
 * change. */
const char *editor_text(const editor *e);
size_t editor_bytes(const editor *e);
size_t editor_chars(const editor *e);
size_t editor_max_chars(const editor *e);

/* 1 after any change of the text since editor_set_text or
 * editor_clear_modified (drafts autosave only then). */
int editor_modified(const editor *e);
void editor_clear_modified(editor *e);

/* Insert at the cursor (a paste may be long); the cursor ends after it.
 * Text beyond max_chars is dropped.  Returns the characters inserted. */
size_t editor_insert(editor *e, const char *utf8);
/* Insert one code point ('\n' starts a new line).  Returns 1 or 0 (full,
 * or not insertable). */
int editor_insert_cp(editor *e, uint32_t cp);

/* --- cursor ----------------------------------------------------------- */

size_t editor_cursor(const editor *e);           /* byte offset */
void editor_set_cursor(editor *e, size_t byte);  /* clamped, to a boundary */

/* Movement by character and by display line.  Up/down keep the cell
 * column (a sticky goal column, so passing a short line or a wide
 * character does not drift the cursor).  Each returns 1 if the cursor
 * moved. */
int editor_left(editor *e);
int editor_right(editor *e);
int editor_up(editor *e);
int editor_down(editor *e);
int editor_page_up(editor *e, int lines);
int editor_page_down(editor *e, int lines);
int editor_home(editor *e);   /* start of the display line */
int editor_end(editor *e);    /* end of the display line (before '\n') */

/* Undo (Ctrl-Z): every change of the text can be taken back, the last
 * first, again and again, down to the text of the last editor_set_text.
 * Characters typed in a row make one step up to the end of a word (the
 * word and the space or punctuation after it), at most 32 of them;
 * Backspaces or Deletes in a row one step; a paste, a canned reply or a
 * cut line one step.  Moving the cursor ends a step.  The stack keeps the
 * last EDITOR_UNDO_MAX steps and at most EDITOR_UNDO_BYTES bytes of text,
 * dropping the oldest.  editor_undo returns 1 if a step was undone (the
 * cursor goes back to where it was before it), 0 when there is none. */
#define EDITOR_UNDO_MAX   200
#define EDITOR_UNDO_BYTES (1024 * 1024)
int editor_undo(editor *e);
size_t editor_undo_depth(const editor *e);   /* steps that can be undone */

/* Editing; each returns 1 if the text changed. */
int editor_backspace(editor *e);  /* the character before the cursor */
int editor_delete(editor *e);     /* the character at the cursor */
int editor_kill_eol(editor *e);   /* to the end of the line (the next '\n',
                                     as in readline); at a '\n', joins the
                                     next line */
int editor_kill_bol(editor *e);   /* back to the start of the line */

/* --- layout ----------------------------------------------------------- */

/* Wrap width in cells (>= 2; smaller is taken as 2).  Reflows. */
void editor_set_width(editor *e, int cells);
int editor_width(const editor *e);

/* Display lines of the wrapped text (>= 1), and the byte range of line i:
 * s[*start .. *end) is what to draw (no '\n', no hanging spaces).
 * Returns 0, or -1 for i out of range. */
size_t editor_lines(editor *e);
int editor_line(editor *e, size_t i, size_t *start, size_t *end);

/* Display line and cell column of the cursor. */
void editor_cursor_pos(editor *e, size_t *line, int *col);

/* --- input and drawing ------------------------------------------------ */

/* What editor_key did (flags). */
enum {
	EDITOR_IGNORED = 0,
	EDITOR_MOVED   = 1 << 0, /* cursor or view moved: repaint */
	EDITOR_CHANGED = 1 << 1, /* text changed: repaint, draft is dirty */
	EDITOR_FULL    = 1 << 2, /* input dropped: max_chars reached */
	EDITOR_NOTHING = 1 << 3, /* UNDO with nothing left to undo */
};

/* The editing commands beyond navigation (BACKSPACE DELETE KILL_EOL
 * KILL_BOL UNDO), CMD_NONE-terminated: put it in the screen's ops->commands,
 * or Backspace never reaches editor_key (a screen only sees commands it
 * lists, plus the navigation ones). */
extern const int editor_commands[];

/* Handle one input of a UI_SCREEN_TEXT_INPUT screen: cmd CMD_NONE with a
 * code point in ev->key inserts it ('\n' and '\r' insert a newline);
 * LEFT RIGHT UP DOWN PGUP PGDN HOME END OPEN(newline) BACKSPACE DELETE
 * KILL_EOL KILL_BOL UNDO edit; anything else (SEND, BACK, CANNED ...) is
 * EDITOR_IGNORED for the screen to handle.  Page keys use the height of
 * the last draw. */
int editor_key(editor *e, int cmd, const ui_event *ev);

/* Draw into w at (y, x), `lines` x `cols` cells (wraps at `cols`, i.e. it
 * calls editor_set_width(e, cols)), scrolled so the cursor is visible, in
 * the TERM_INPUT role.  *cur_y / *cur_x receive the cursor cell in w's
 * coordinates: pass them to ui_screen_cursor(). */
void editor_draw(editor *e, WINDOW *w, int y, int x, int lines, int cols,
                 int *cur_y, int *cur_x);

/* --- helpers ------------------------------------------------------------ */

/* Encode a code point as UTF-8 into out (at least 5 bytes), NUL-terminated.
 * Returns the bytes written (0 for an invalid code point). */
size_t editor_utf8(uint32_t cp, char out[5]);

#endif
