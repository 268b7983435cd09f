/* text.h - the one set of UTF-8 routines for everything hallterm draws.
 *
 * Lists, titles, the editor and the key bar all measure and cut text here,
 * so a column never splits a wide character and nothing from the database
 * can put an escape sequence on the terminal.
 *
 * Widths come from wcwidth() and need a UTF-8 LC_CTYPE (C.UTF-8 will do);
 * i18n_init() sets the locale.  All returned strings are newly allocated
 * (free() them) and never NULL.
 */
#ifndef HALLTERM_TEXT_H
#define HALLTERM_TEXT_H

#include <stddef.h>
#include <stdint.h>

enum {
	TEXT_KEEP_NEWLINE = 1 << 0, /* sanitize: keep '\n' (and turn "\r\n" into "\n") */
	TEXT_TAB_SPACE    = 1 << 1, /* sanitize: '\t' -> one space */
	TEXT_PAD          = 1 << 2, /* fit: pad with spaces to exactly `cells` */
	TEXT_ALIGN_RIGHT  = 1 << 3, /* fit: pad on the left (implies TEXT_PAD) */
};

#define TEXT_REPLACEMENT 0xFFFDu /* U+FFFD, drawn for anything unsafe */
#define TEXT_CUT_MARK "\xe2\x80\xa6" /* U+2026 "…", 1 cell */

/* A valid UTF-8 copy of s that is safe to draw:
 *   invalid UTF-8 (overlong, surrogate, > U+10FFFF, truncated) -> U+FFFD
 *     one U+FFFD per bad byte;
 *   C0 control c (0x00-0x1F)   -> U+2400+c ("\x1b" shows as "␛");
 *   DEL                        -> U+2421 "␡";
 *   C1 controls U+0080-U+009F  -> U+FFFD;
 *   bidi controls U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069,
 *   and U+2028/U+2029          -> U+FFFD.
 * flags: TEXT_KEEP_NEWLINE, TEXT_TAB_SPACE (others ignored).
 * s == NULL gives "". */
char *text_sanitize(const char *s, int flags);

/* Terminal cells taken by text_sanitize(s, 0): wide (CJK) characters 2,
 * combining marks 0, everything replaced by a placeholder 1.  NULL -> 0. */
int text_width(const char *s);

/* Cells taken by one code point once sanitised: 0, 1 or 2. */
int text_cp_width(uint32_t cp);

/* Sanitise s (TEXT_TAB_SPACE honoured; newlines always become "␊" since the
 * result is one line) and make it at most `cells` wide.  Text that is too
 * wide is cut at a character boundary and ends in TEXT_CUT_MARK.
 * TEXT_PAD pads with spaces to exactly `cells` (a wide character that would
 * straddle the edge leaves a space); TEXT_ALIGN_RIGHT pads on the left.
 * cells <= 0 gives "". */
char *text_fit(const char *s, int cells, int flags);

/* Byte offset of the next / previous character boundary from pos, for
 * moving an editor cursor.  An invalid byte counts as one character (as in
 * text_sanitize).  text_next at the terminating NUL returns pos;
 * text_prev(s, 0) returns 0. */
size_t text_next(const char *s, size_t pos);
size_t text_prev(const char *s, size_t pos);

/* Decode one code point of s[0..len) at *pos and advance *pos.  Returns 1
 * for a valid sequence; 0 for an invalid byte, with *cp = U+FFFD and *pos
 * advanced by one.  Requires *pos < len (otherwise returns 0 and leaves
 * *pos alone). */
int text_decode(const char *s, size_t len, size_t *pos, uint32_t *cp);

/* Break s into display lines of at most `cells` cells (cells < 1 counts as
 * 1).  s is normally text_sanitize(x, TEXT_KEEP_NEWLINE); raw text works
 * too, measured as it will be drawn.  Breaks go after spaces between Latin
 * words, anywhere between CJK characters (but never before closing
 * punctuation such as "，" or "。" nor after opening ones such as "《"),
 * and mid-word only for words longer than a line.  '\n' ends a line.
 *
 * Line i is s[starts[i] .. starts[i+1]) (the last runs to the end).  It may
 * end in '\n' and in spaces that hang past the edge: do not draw those
 * (text_line_end gives the drawable end).  Everything else fits in `cells`.
 * A character wider than `cells` gets a line of its own.
 *
 * Writes at most `max` offsets into starts (starts may be NULL if max is 0)
 * and returns the total number of lines, always >= 1 ("" and "a\n" give 1
 * and 2), so a caller can size the array and call again. */
size_t text_wrap(const char *s, int cells, size_t *starts, size_t max);

/* End of the drawable part of the line s[start .. next) from text_wrap:
 * before a trailing '\n' and trailing spaces. */
size_t text_line_end(const char *s, size_t start, size_t next);

/* Bytes of a list marker at the start of a line - "12. ", "3、", "（4）",
 * "(5) ", "• ", "- " and the spaces after it - or 0.  A line that starts
 * with one wraps with a hanging indent: its continuation lines start under
 * its text (the numbered materials of a one-time notice). */
size_t text_list_marker(const char *line);

/* Masked ID card number for display: the first 6 and last 4 characters
 * kept, the rest '*' ("230102********1234").  Shorter than 18 characters:
 * at most a third stays visible, split between head and tail.  The input is
 * sanitised first; NULL -> "". */
char *text_mask_id(const char *id);

/* Masked phone number: first 3 and last 4 kept ("138****5678") for 11 or
 * more characters; shorter: at most a third visible.  NULL -> "". */
char *text_mask_phone(const char *p);

#endif
