/* bigtext.h - large characters for the hall display: a built-in 5x7 block
 * font (A-Z, 0-9, '-', '>' and space) drawn with full- and half-block
 * cells (█ ▀ ▄), so a ticket number reads across a waiting room on any
 * terminal, 80x24 as well as a big monitor, with no font of its own.
 *
 * A pixel is sx cells wide and sy half-cells tall (a terminal cell is
 * about twice as tall as wide: sx == sy gives square pixels); a glyph is
 * 5 pixels wide with one pixel between glyphs.  Characters outside the
 * font are drawn as blanks (callers show them at normal size). */
#ifndef HALLTERM_UI_BIGTEXT_H
#define HALLTERM_UI_BIGTEXT_H

#include <curses.h>

/* Cells s takes across, and rows down, at scale (sx, sy). */
int bigtext_width(const char *s, int sx);
int bigtext_rows(int sy);

/* The largest scale that fits s in cols x rows: sx as wide as fits, then
 * sy from sx up to 2*sx (taller glyphs read better from afar).  Returns
 * 0 and sets *sx, *sy, or -1 when even (1, 1) does not fit. */
int bigtext_fit(const char *s, int cols, int rows, int *sx, int *sy);

/* 1 when every character of s is in the font. */
int bigtext_covers(const char *s);

/* Draw s with its top-left at (y, x) of w, clipped to w, in attr.
 * Returns the cells drawn across. */
int bigtext_draw(WINDOW *w, int y, int x, const char *s, int sx, int sy, attr_t attr);

/* The glyph rows of c (7 rows of 5 bits, bit 4 the left pixel), for
 * tests; NULL when c is not in the font. */
const unsigned char *bigtext_glyph(char c);

#endif
