/* list.c - the one list widget.
 *
 * State (rows, selection, scrolling, paging) is kept apart from painting so
 * it can be tested without a terminal; list_draw is the only curses code.
 * Every index is checked against nrows first: an empty list, or one a
 * filter just emptied, must survive End, Down, PgDn and clicks.
 */
#include "ui/list.h"

#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"

/* Mouse wheel: lines per notch. */
#define WHEEL_STEP 3

struct list {
	const list_column *cols;
	int ncols;
	const list_source *src;
	void *ctx;

	size_t nrows;
	size_t sel;      /* LIST_NONE when nrows == 0 */
	size_t top;      /* first row shown */
	int64_t sel_id;
	int have_id;

	int more;        /* the screen says more rows exist */
	int pending;     /* need_more called, rows not yet delivered */
	int in_need_more;
	char *empty;
	int header;

	int ay, ax, alines, acols; /* area of the last draw / list_set_area */
	int *widths;               /* per column, from the last layout */
};

list *list_new(const list_column *cols, int ncols, const list_source *src, void *ctx)
{
	list *l = x_calloc(1, sizeof *l);

	l->cols = cols;
	l->ncols = ncols > 0 ? ncols : 0;
	l->src = src;
	l->ctx = ctx;
	l->sel = LIST_NONE;
	l->header = 1;
	l->alines = 1;
	l->widths = x_calloc((size_t)(l->ncols ? l->ncols : 1), sizeof *l->widths);
	return l;
}

void list_free(list *l)
{
	if (!l)
		return;
	free(l->empty);
	free(l->widths);
	free(l);
}

/* Rows that fit below the heading (at least 1, so paging always moves). */
static size_t page_rows(const list *l)
{
	int n = l->alines - (l->header ? 1 : 0);

	return n > 1 ? (size_t)n : 1;
}

static void remember_id(list *l)
{
	l->have_id = 0;
	if (l->sel != LIST_NONE && l->src && l->src->row_id) {
		l->sel_id = l->src->row_id(l->ctx, l->sel);
		l->have_id = 1;
	}
}

/* Keep top such that the selection is visible and no space is wasted
 * below the last row. */
static void fix_top(list *l)
{
	size_t page = page_rows(l);

	if (l->nrows == 0) {
		l->top = 0;
		return;
	}
	if (l->nrows <= page)
		l->top = 0;
	else if (l->top > l->nrows - page)
		l->top = l->nrows - page;
	if (l->sel != LIST_NONE) {
		if (l->sel < l->top)
			l->top = l->sel;
		else if (l->sel >= l->top + page)
			l->top = l->sel - page + 1;
	}
}

static void maybe_need_more(list *l)
{
	size_t page = page_rows(l);

	if (!l->more || l->pending || l->in_need_more || !l->src || !l->src->need_more)
		return;
	if (l->sel != LIST_NONE && l->sel + page < l->nrows && l->top + 2 * page < l->nrows)
		return;
	l->pending = 1;
	/* A screen that loads synchronously calls list_set_rows from inside
	 * need_more: don't let that ask again, recursively. */
	l->in_need_more = 1;
	l->src->need_more(l->ctx);
	l->in_need_more = 0;
}

static void select_row(list *l, size_t row)
{
	if (l->nrows == 0) {
		l->sel = LIST_NONE;
		l->have_id = 0;
		return;
	}
	if (row >= l->nrows)
		row = l->nrows - 1;
	l->sel = row;
	remember_id(l);
	fix_top(l);
	maybe_need_more(l);
}

static size_t find_id(list *l, int64_t id, size_t hint)
{
	size_t i;

	if (!l->src || !l->src->row_id)
		return LIST_NONE;
	if (hint < l->nrows && l->src->row_id(l->ctx, hint) == id)
		return hint;
	for (i = 0; i < l->nrows; i++)
		if (l->src->row_id(l->ctx, i) == id)
			return i;
	return LIST_NONE;
}

void list_set_rows(list *l, size_t nrows)
{
	size_t old_sel = l->sel;
	size_t screen_row = old_sel != LIST_NONE && old_sel >= l->top ? old_sel - l->top : 0;
	size_t found = LIST_NONE;

	l->nrows = nrows;
	l->pending = 0;
	if (nrows == 0) {
		/* keep have_id: the case may come back with the next reload */
		l->sel = LIST_NONE;
		l->top = 0;
		maybe_need_more(l);
		return;
	}
	if (l->have_id)
		found = find_id(l, l->sel_id, old_sel);
	if (found != LIST_NONE) {
		/* Same case, same screen line: the clerk's eye stays put. */
		l->sel = found;
		l->top = found >= screen_row ? found - screen_row : 0;
	} else if (old_sel == LIST_NONE) {
		l->sel = 0;
	} else {
		l->sel = old_sel < nrows ? old_sel : nrows - 1;
	}
	remember_id(l);
	fix_top(l);
	maybe_need_more(l);
}

size_t list_rows(const list *l)
{
	return l->nrows;
}

void list_set_more(list *l, int more)
{
	l->more = more != 0;
	if (!l->more)
		l->pending = 0;
}

void list_set_empty_text(list *l, const char *text)
{
	free(l->empty);
	l->empty = text ? x_strdup(text) : NULL;
}

void list_set_header(list *l, int on)
{
	l->header = on != 0;
	fix_top(l);
}

size_t list_selected(const list *l)
{
	return l->nrows ? l->sel : LIST_NONE;
}

size_t list_top(const list *l)
{
	return l->top;
}

void list_select(list *l, size_t row)
{
	if (l->nrows == 0)
		return;
	select_row(l, row);
}

int list_find(list *l, const char *needle)
{
	int role;

	if (!needle || !*needle || l->nrows == 0)
		return 0;
	/* From the row after the selection, round to the selection itself. */
	for (size_t k = 1; k <= l->nrows; k++) {
		size_t row = (l->sel == LIST_NONE ? 0 : l->sel + k) % l->nrows;

		for (int c = 0; c < l->ncols; c++) {
			const char *text;

			role = TERM_NORMAL;
			text = l->src->cell(l->ctx, row, c, &role);
			if (text && strstr(text, needle)) {
				select_row(l, row);
				return 1;
			}
		}
	}
	return 0;
}

int list_select_by_id(list *l, int64_t id)
{
	size_t i = find_id(l, id, l->sel);

	if (i == LIST_NONE)
		return 0;
	select_row(l, i);
	return 1;
}

void list_set_area(list *l, int y, int x, int lines, int cols)
{
	l->ay = y;
	l->ax = x;
	l->alines = lines > 0 ? lines : 1;
	l->acols = cols > 0 ? cols : 0;
	fix_top(l);
}

/* Move the selection by delta rows, clamped. */
static int move_by(list *l, long delta)
{
	size_t old = l->sel, row;

	if (l->nrows == 0)
		return LIST_SAME;
	if (delta < 0)
		row = (size_t)-delta > l->sel ? 0 : l->sel - (size_t)-delta;
	else
		row = l->sel + (size_t)delta >= l->nrows ? l->nrows - 1 : l->sel + (size_t)delta;
	select_row(l, row);
	/* At the end of the loaded rows a key still asks for more. */
	return l->sel != old ? LIST_MOVED : LIST_SAME;
}

static int mouse(list *l, const ui_event *ev)
{
	int first = l->ay + (l->header ? 1 : 0);
	size_t row;

	if (ev->mouse == UI_MOUSE_WHEEL_UP)
		return move_by(l, -WHEEL_STEP);
	if (ev->mouse == UI_MOUSE_WHEEL_DOWN)
		return move_by(l, WHEEL_STEP);
	if (ev->y < l->ay || ev->y >= l->ay + l->alines || ev->x < l->ax || ev->x >= l->ax + l->acols)
		return LIST_IGNORED;
	if (ev->y < first || l->nrows == 0)
		return LIST_SAME;
	row = l->top + (size_t)(ev->y - first);
	if (row >= l->nrows)
		return LIST_SAME;
	select_row(l, row);
	return ev->mouse == UI_MOUSE_DOUBLE ? LIST_ACTIVATE : LIST_MOVED;
}

int list_key(list *l, int cmd, const ui_event *ev)
{
	long page = (long)page_rows(l);

	if (ev && ev->mouse)
		return mouse(l, ev);
	switch (cmd) {
	case CMD_UP:
		return move_by(l, -1);
	case CMD_DOWN:
		return move_by(l, 1);
	case CMD_PGUP:
		return move_by(l, -page);
	case CMD_PGDN:
		return move_by(l, page);
	case CMD_HOME:
		return move_by(l, -(long)l->nrows);
	case CMD_END:
		return move_by(l, (long)l->nrows);
	case CMD_OPEN:
		return l->nrows ? LIST_ACTIVATE : LIST_SAME;
	default:
		return LIST_IGNORED;
	}
}

/* Give every shown column its minimum, drop columns from the right that
 * don't fit, then share the spare cells by flex up to each max. */
static void layout_columns(list *l, int cols)
{
	int i, shown = 0, used = 0, spare, total_flex, progress;

	for (i = 0; i < l->ncols; i++)
		l->widths[i] = 0;
	/* In order: once a column does not fit, it and every later one stay
	 * hidden (a later column showing while an earlier one is missing
	 * would mislead). */
	for (i = 0; i < l->ncols; i++) {
		int min = l->cols[i].min > 0 ? l->cols[i].min : 1;
		int gap = shown ? 1 : 0;

		if (used + gap + min > cols) {
			if (!shown && cols > 0) {
				l->widths[i] = cols;
				used = cols;
			}
			break;
		}
		l->widths[i] = min;
		used += gap + min;
		shown++;
	}
	spare = cols - used;
	do {
		progress = 0;
		total_flex = 0;
		for (i = 0; i < l->ncols; i++)
			if (l->widths[i] && l->cols[i].flex > 0 &&
			    (!l->cols[i].max || l->widths[i] < l->cols[i].max))
				total_flex += l->cols[i].flex;
		if (!total_flex || spare <= 0)
			break;
		{
			int share_left = spare;

			for (i = 0; i < l->ncols && share_left > 0; i++) {
				int add;

				if (!l->widths[i] || l->cols[i].flex <= 0 ||
				    (l->cols[i].max && l->widths[i] >= l->cols[i].max))
					continue;
				add = spare * l->cols[i].flex / total_flex;
				if (add < 1)
					add = 1;
				if (add > share_left)
					add = share_left;
				if (l->cols[i].max && l->widths[i] + add > l->cols[i].max)
					add = l->cols[i].max - l->widths[i];
				l->widths[i] += add;
				share_left -= add;
				if (add)
					progress = 1;
			}
			spare = share_left;
		}
	} while (progress && spare > 0);
}

int list_column_width(const list *l, int col)
{
	if (col < 0 || col >= l->ncols)
		return 0;
	return l->widths[col];
}

static int align_flags(list_align a)
{
	return a == LIST_RIGHT ? TEXT_PAD | TEXT_ALIGN_RIGHT : TEXT_PAD;
}

/* One cell: fitted, aligned, in attr. */
static void draw_cell(WINDOW *w, int y, int x, int width, attr_t attr, list_align align,
                      const char *text)
{
	if (align == LIST_CENTER) {
		char *fit = text_fit(text, width, 0);
		int pad = (width - text_width(fit)) / 2;

		term_put_attr(w, y, x, pad, attr, TEXT_PAD, "");
		term_put_attr(w, y, x + pad, width - pad, attr, TEXT_PAD, fit);
		free(fit);
		return;
	}
	term_put_attr(w, y, x, width, attr, align_flags(align), text);
}

void list_draw(list *l, WINDOW *w, int y, int x, int lines, int cols)
{
	size_t page, r;
	int row, i;

	list_set_area(l, y, x, lines, cols);
	if (cols <= 0 || lines <= 0)
		return;
	layout_columns(l, cols);
	page = page_rows(l);
	row = y;
	if (l->header) {
		int cx = x;

		term_fill(w, row, x, cols, TERM_HEADER);
		for (i = 0; i < l->ncols; i++) {
			if (!l->widths[i])
				continue;
			draw_cell(w, row, cx, l->widths[i], term_attr(TERM_HEADER), l->cols[i].align,
			          l->cols[i].title ? _(l->cols[i].title) : "");
			cx += l->widths[i] + 1;
		}
		row++;
	}
	if (l->nrows == 0) {
		const char *msg = l->pending ? _("Loading…")
		                  : l->empty ? l->empty : _("Nothing to show");

		if (row < y + lines)
			term_put(w, row, x + 1, cols - 1, TERM_DIM, 0, msg);
		return;
	}
	fix_top(l);
	for (r = l->top; r < l->nrows && r < l->top + page && row < y + lines; r++, row++) {
		int sel = r == l->sel;
		int cx = x;

		if (sel)
			term_fill(w, row, x, cols, TERM_SELECTED);
		for (i = 0; i < l->ncols; i++) {
			int role = TERM_NORMAL;
			const char *text;
			attr_t attr;

			if (!l->widths[i])
				continue;
			text = l->src->cell(l->ctx, r, i, &role);
			if (role < 0 || role >= TERM_ROLE_COUNT)
				role = TERM_NORMAL;
			if (!sel)
				attr = term_attr((term_role)role);
			else if (role == TERM_NORMAL)
				attr = term_attr(TERM_SELECTED);
			else
				attr = term_attr((term_role)role) | A_REVERSE;
			draw_cell(w, row, cx, l->widths[i], attr, l->cols[i].align, text ? text : "");
			cx += l->widths[i] + 1;
		}
	}
	if (l->pending && row < y + lines)
		term_put(w, row, x + 1, cols - 1, TERM_DIM, 0, _("Loading…"));
}
