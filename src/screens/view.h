/* screens/view.h - a scrolling page of labelled lines, for the screens that
 * show one thing in full (a case, an inquiry, the ratings).
 *
 * A screen rebuilds its lines when its data or its width changes; the view
 * wraps long text at character boundaries with text_wrap and draws every
 * string through term_put, so database text is sanitised on the way out.
 */
#ifndef HALLTERM_SCREENS_VIEW_H
#define HALLTERM_SCREENS_VIEW_H

#include <stddef.h>
#include <curses.h>

#include "ui/term.h"

typedef struct view_line {
	char *label;  /* NULL: none */
	char *text;
	int role;     /* term_role of the text */
	int indent;   /* cells before the label */
} view_line;

typedef struct view {
	view_line *lines;
	size_t n, cap;
	size_t top;        /* first line shown */
	int width;         /* cells available (set by the screen before adding) */
	int label_cells;   /* label column width */
	int height;        /* lines shown in the last draw */
} view;

void view_init(view *v, int label_cells);
void view_clear(view *v);  /* drop the lines, keep the scroll position */
void view_free(view *v);

/* One line, cut with a mark when too wide. */
void view_add(view *v, int indent, int role, const char *label, const char *text);
/* Text wrapped to the width (after the label); newlines kept. */
void view_add_wrapped(view *v, int indent, int role, const char *label, const char *text);
void view_add_blank(view *v);
/* A section heading: "── title ──". */
void view_add_heading(view *v, const char *title);

/* Draw lines [top, top + lines) at (y, 0) of w. */
void view_draw(view *v, WINDOW *w, int y, int lines, int cols);

/* What a screen shows before its data is in: the database's error when
 * the load failed, else "Loading...", in cells cells at (y, x). */
void view_loading(WINDOW *w, int y, int x, int cells, const char *error);

/* Scroll for UP DOWN PGUP PGDN HOME END; returns 1 if handled. */
int view_scroll(view *v, int cmd);

#endif
