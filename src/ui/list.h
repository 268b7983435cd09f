/* list.h - the one list widget: every table hallterm draws.
 *
 * Screens supply data, the widget draws (tig's view_column_draw): columns
 * are declared in cells, rows come from a callback, every cell goes through
 * text_fit() so CJK text lines up and is cut with "…" at a cell boundary,
 * never mid-character, and nothing from the database reaches the terminal
 * unsanitised.
 *
 * Rows are loaded by the screen in keyset pages: when the selection or the
 * view comes near the end of the loaded rows and the screen said more
 * exist, the widget calls need_more() once; the screen sends its query and,
 * when the rows arrive, appends them and calls list_set_rows().
 *
 * Live updates: when rows are replaced (a NOTIFY reloaded the page), call
 * list_set_rows(); if the source has row_id, the selection stays on the same
 * row id (and on the same screen line), so the clerk's cursor never jumps
 * off the case they are on.
 *
 * The widget's state (selection, scrolling, paging) needs no terminal:
 * list_key and list_set_rows can be unit-tested; only list_draw paints.
 * Empty and filtered-to-nothing lists are normal: every key and click is
 * safe on them and the empty text is shown.
 */
#ifndef HALLTERM_UI_LIST_H
#define HALLTERM_UI_LIST_H

#include <stddef.h>
#include <stdint.h>
#include <curses.h>

#include "ui/keys.h"
#include "ui/term.h"

#define LIST_NONE ((size_t)-1) /* "no row": the selection of an empty list */

typedef enum list_align { LIST_LEFT = 0, LIST_RIGHT, LIST_CENTER } list_align;

typedef struct list_column {
	const char *title; /* heading, untranslated (N_()); drawn as _(title) */
	int min;           /* cells the column always gets (>= 1) */
	int max;           /* cells it may grow to; 0 = no limit */
	int flex;          /* share of the spare width (0 = stays at min) */
	list_align align;
} list_column;

typedef struct list_source {
	/* Text of one cell (any UTF-8: it is sanitised and fitted when drawn;
	 * NULL draws nothing).  *role comes in as TERM_NORMAL; set it for a
	 * cell that needs TERM_WARN, TERM_OVERDUE, TERM_DIM ...  The string
	 * must stay valid until the next cell() call.  Required. */
	const char *(*cell)(void *ctx, size_t row, int col, int *role);
	/* A stable id of a row (e.g. the case id), for keeping the selection
	 * across list_set_rows.  May be NULL (the selection then keeps its
	 * index). */
	int64_t (*row_id)(void *ctx, size_t row);
	/* Load the next page, asynchronously; then list_set_rows() with the new
	 * count (and list_set_more).  Called only while list_set_more(l, 1) and
	 * not again until list_set_rows().  May be NULL. */
	void (*need_more)(void *ctx);
} list_source;

typedef struct list list;

/* cols (ncols of them) and src are kept by pointer: keep them static.
 * ctx is passed to the callbacks; the list does not own it. */
list *list_new(const list_column *cols, int ncols, const list_source *src, void *ctx);
void list_free(list *l);

/* The number of loaded rows changed or rows were replaced.  Keeps the
 * selection on the same row id (see above), else on the same index,
 * clamped; selects row 0 when there was none.  Ends a pending need_more. */
void list_set_rows(list *l, size_t nrows);
size_t list_rows(const list *l);

/* Whether more rows exist beyond the loaded ones (keyset paging). */
void list_set_more(list *l, int more);

/* Text shown when there are no rows, e.g. _("No cases in your queue") or
 * the database's error.  Copied; NULL restores the default. */
void list_set_empty_text(list *l, const char *text);

/* Show the heading line (default on). */
void list_set_header(list *l, int on);

/* The selected row, or LIST_NONE when the list is empty. */
size_t list_selected(const list *l);

/* The first row shown (for tests, and for a "12/340" position). */
size_t list_top(const list *l);

/* Select a row (clamped; ignored on an empty list) and scroll to it. */
void list_select(list *l, size_t row);

/* Select the row with this id among the loaded rows.  Returns 1 if found,
 * 0 otherwise (the selection is then unchanged). */
int list_select_by_id(list *l, int64_t id);

/* `/` on a list of loaded rows: select the next row after the selection
 * (wrapping round) with a cell that contains needle.  Returns 1 if one was
 * found, 0 otherwise (the selection is then unchanged). */
int list_find(list *l, const char *needle);

/* What list_key did. */
enum {
	LIST_IGNORED = 0,  /* not a list key */
	LIST_MOVED,        /* selection or scrolling changed: repaint */
	LIST_SAME,         /* a list key that changed nothing (End at the end) */
	LIST_ACTIVATE,     /* Enter or a double click on a row: open it */
};

/* Handle UP DOWN PGUP PGDN HOME END OPEN, mouse clicks (select),
 * double clicks (activate) and the wheel.  cmd and ev as given to the
 * screen's key handler.  Never fails on an empty list. */
int list_key(list *l, int cmd, const ui_event *ev);

/* Where the list sits, in the coordinates of ev->y/x (the body window),
 * for page size and mouse hits.  list_draw sets it too; tests call it
 * without a terminal. */
void list_set_area(list *l, int y, int x, int lines, int cols);

/* Draw the list into w at (y, x), `lines` high (heading included) and
 * `cols` wide: headings, rows, the selected row highlighted, "Loading…"
 * while a page is on its way, the empty text on an empty list. */
void list_draw(list *l, WINDOW *w, int y, int x, int lines, int cols);

/* The width in cells a column got in the last draw (0 if hidden), so a
 * screen can line a detail up with it. */
int list_column_width(const list *l, int col);

#endif
