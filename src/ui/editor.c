/* editor.c - the multi-line UTF-8 editor: model first, drawing last.
 *
 * The text is one UTF-8 buffer; the cursor a byte offset kept on character
 * boundaries by text_next/text_prev.  Display lines come from text_wrap
 * with the same width routine that draws, recomputed lazily (a 10,000
 * character paste inserts 10,000 times but wraps once, at the next draw).
 *
 * A display line i is buf[lines[i] .. lines[i+1]).  The cursor belongs to
 * the last line whose start is <= cursor, so the position at a wrap
 * boundary shows at the start of the next line.  That is why the last
 * position a cursor can take on a line that is not the last one is the
 * start of its last character (before the '\n', before the hanging space,
 * on the last CJK character of a full line).
 */
#include "ui/editor.h"

#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "common/xalloc.h"
#include "ui/term.h"

#define DEFAULT_WIDTH 40

struct editor {
	char *buf;        /* NUL-terminated UTF-8, always valid and safe */
	size_t len, cap;
	size_t nchars;
	size_t max_chars; /* 0 = unlimited */
	size_t cur;
	int goal;         /* sticky cell column for up/down; -1 = none */
	int width;
	size_t *lines;    /* starts of display lines */
	size_t nlines, caplines;
	int wrap_dirty;
	int modified;
	size_t top;       /* first display line drawn */
	int page;         /* lines shown in the last draw */
};

size_t editor_utf8(uint32_t cp, char out[5])
{
	size_t n;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		out[0] = '\0';
		return 0;
	}
	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	out[n] = '\0';
	return n;
}

static size_t count_chars(const char *s, size_t from, size_t to)
{
	size_t n = 0;

	while (from < to) {
		from = text_next(s, from);
		n++;
	}
	return n;
}

/* Cells of s[from .. to), measured as text_width measures. */
static int span_width(const char *s, size_t from, size_t to)
{
	int w = 0;

	while (from < to) {
		uint32_t cp;

		text_decode(s, to, &from, &cp);
		w += text_cp_width(cp);
	}
	return w;
}

static void changed(editor *e)
{
	e->wrap_dirty = 1;
	e->modified = 1;
	e->goal = -1;
}

editor *editor_new(size_t max_chars)
{
	editor *e = x_calloc(1, sizeof *e);

	e->cap = 64;
	e->buf = x_malloc(e->cap);
	e->buf[0] = '\0';
	e->max_chars = max_chars;
	e->goal = -1;
	e->width = DEFAULT_WIDTH;
	e->wrap_dirty = 1;
	e->page = 1;
	return e;
}

void editor_free(editor *e)
{
	if (!e)
		return;
	free(e->buf);
	free(e->lines);
	free(e);
}

/* Make text safe for the buffer: a lone '\r' (old Mac line ends, some
 * pastes) is a newline, "\r\n" one newline, '\t' a space, every other
 * control character a visible placeholder, bad UTF-8 U+FFFD. */
static char *clean(const char *utf8)
{
	size_t n = strlen(utf8), i, j;
	char *tmp = x_malloc(n + 1);
	char *out;

	for (i = j = 0; i < n; i++) {
		if (utf8[i] == '\r' && utf8[i + 1] != '\n')
			tmp[j++] = '\n';
		else
			tmp[j++] = utf8[i];
	}
	tmp[j] = '\0';
	out = text_sanitize(tmp, TEXT_KEEP_NEWLINE | TEXT_TAB_SPACE);
	free(tmp);
	return out;
}

size_t editor_insert(editor *e, const char *utf8)
{
	char *s;
	size_t n, chars, room;

	if (!utf8 || !*utf8)
		return 0;
	s = clean(utf8);
	n = strlen(s);
	chars = count_chars(s, 0, n);
	if (e->max_chars) {
		room = e->max_chars > e->nchars ? e->max_chars - e->nchars : 0;
		if (chars > room) {
			size_t pos = 0, k;

			for (k = 0; k < room; k++)
				pos = text_next(s, pos);
			n = pos;
			chars = room;
		}
	}
	if (n == 0) {
		free(s);
		return 0;
	}
	if (e->len + n + 1 > e->cap) {
		while (e->len + n + 1 > e->cap)
			e->cap *= 2;
		e->buf = x_realloc(e->buf, e->cap);
	}
	memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
	memcpy(e->buf + e->cur, s, n);
	e->len += n;
	e->cur += n;
	e->nchars += chars;
	free(s);
	changed(e);
	return chars;
}

int editor_insert_cp(editor *e, uint32_t cp)
{
	char u[5];

	if (!editor_utf8(cp, u) || cp == 0)
		return 0;
	return editor_insert(e, u) > 0;
}

void editor_set_text(editor *e, const char *utf8)
{
	e->len = 0;
	e->buf[0] = '\0';
	e->cur = 0;
	e->nchars = 0;
	e->top = 0;
	editor_insert(e, utf8 ? utf8 : "");
	e->wrap_dirty = 1;
	e->goal = -1;
	e->modified = 0;
}

const char *editor_text(const editor *e)
{
	return e->buf;
}

size_t editor_bytes(const editor *e)
{
	return e->len;
}

size_t editor_chars(const editor *e)
{
	return e->nchars;
}

size_t editor_max_chars(const editor *e)
{
	return e->max_chars;
}

int editor_modified(const editor *e)
{
	return e->modified;
}

void editor_clear_modified(editor *e)
{
	e->modified = 0;
}

/* --- layout ----------------------------------------------------------- */

static void ensure_wrap(editor *e)
{
	size_t n;

	if (!e->wrap_dirty)
		return;
	n = text_wrap(e->buf, e->width, e->lines, e->caplines);
	if (n > e->caplines) {
		free(e->lines);
		e->caplines = n + n / 4 + 16;
		e->lines = x_malloc(e->caplines * sizeof *e->lines);
		n = text_wrap(e->buf, e->width, e->lines, e->caplines);
	}
	e->nlines = n;
	e->wrap_dirty = 0;
}

void editor_set_width(editor *e, int cells)
{
	if (cells < 2)
		cells = 2;
	if (cells == e->width)
		return;
	e->width = cells;
	e->wrap_dirty = 1;
}

int editor_width(const editor *e)
{
	return e->width;
}

size_t editor_lines(editor *e)
{
	ensure_wrap(e);
	return e->nlines;
}

static size_t line_next(editor *e, size_t i)
{
	return i + 1 < e->nlines ? e->lines[i + 1] : e->len;
}

int editor_line(editor *e, size_t i, size_t *start, size_t *end)
{
	ensure_wrap(e);
	if (i >= e->nlines)
		return -1;
	*start = e->lines[i];
	*end = text_line_end(e->buf, e->lines[i], line_next(e, i));
	return 0;
}

static size_t line_of(editor *e, size_t pos)
{
	size_t lo = 0, hi;

	ensure_wrap(e);
	hi = e->nlines;
	/* the last line whose start <= pos */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->lines[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The furthest cursor position on line i (see the top comment). */
static size_t line_max(editor *e, size_t i)
{
	if (i + 1 >= e->nlines)
		return e->len;
	return text_prev(e->buf, e->lines[i + 1]);
}

void editor_cursor_pos(editor *e, size_t *line, int *col)
{
	size_t l = line_of(e, e->cur);

	if (line)
		*line = l;
	if (col)
		*col = span_width(e->buf, e->lines[l], e->cur);
}

/* The position on line i nearest to cell column `goal` without passing
 * it: a wide character that straddles the goal is not entered. */
static size_t pos_at_col(editor *e, size_t i, int goal)
{
	size_t pos = e->lines[i], max = line_max(e, i);
	int col = 0;

	while (pos < max) {
		size_t next = pos;
		uint32_t cp;
		int w;

		text_decode(e->buf, e->len, &next, &cp);
		w = text_cp_width(cp);
		if (col + w > goal)
			break;
		col += w;
		pos = next;
	}
	return pos;
}

/* --- cursor ----------------------------------------------------------- */

size_t editor_cursor(const editor *e)
{
	return e->cur;
}

void editor_set_cursor(editor *e, size_t byte)
{
	size_t pos = 0;

	if (byte >= e->len) {
		e->cur = e->len;
	} else {
		/* Walk from the start: the only way to be sure of a boundary when
		 * the offset came from outside. */
		while (pos < byte)
			pos = text_next(e->buf, pos);
		e->cur = pos > byte ? text_prev(e->buf, pos) : pos;
	}
	e->goal = -1;
}

int editor_left(editor *e)
{
	e->goal = -1;
	if (e->cur == 0)
		return 0;
	e->cur = text_prev(e->buf, e->cur);
	return 1;
}

int editor_right(editor *e)
{
	e->goal = -1;
	if (e->cur >= e->len)
		return 0;
	e->cur = text_next(e->buf, e->cur);
	return 1;
}

static int move_lines(editor *e, long delta)
{
	size_t l = line_of(e, e->cur), target;
	size_t old = e->cur;

	if (e->goal < 0)
		e->goal = span_width(e->buf, e->lines[l], e->cur);
	if (delta < 0)
		target = (size_t)-delta > l ? 0 : l - (size_t)-delta;
	else
		target = l + (size_t)delta >= e->nlines ? e->nlines - 1 : l + (size_t)delta;
	if (target == l) {
		/* Up on the first line goes to its start, down on the last to
		 * its end, as in most editors. */
		e->cur = delta < 0 ? e->lines[l] : line_max(e, l);
		return e->cur != old;
	}
	e->cur = pos_at_col(e, target, e->goal);
	return e->cur != old;
}

int editor_up(editor *e)
{
	return move_lines(e, -1);
}

int editor_down(editor *e)
{
	return move_lines(e, 1);
}

int editor_page_up(editor *e, int lines)
{
	return move_lines(e, -(long)(lines > 1 ? lines - 1 : 1));
}

int editor_page_down(editor *e, int lines)
{
	return move_lines(e, lines > 1 ? lines - 1 : 1);
}

int editor_home(editor *e)
{
	size_t l = line_of(e, e->cur), old = e->cur;

	e->goal = -1;
	e->cur = e->lines[l];
	return e->cur != old;
}

int editor_end(editor *e)
{
	size_t l = line_of(e, e->cur), old = e->cur;

	e->goal = -1;
	e->cur = line_max(e, l);
	/* On a line that ends in '\n' or a hanging space, line_max is that
	 * character; on the last line it is the end of the text. */
	return e->cur != old;
}

/* --- editing ---------------------------------------------------------- */

static void delete_range(editor *e, size_t from, size_t to)
{
	if (to <= from)
		return;
	e->nchars -= count_chars(e->buf, from, to);
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	if (e->cur >= to)
		e->cur -= to - from;
	else if (e->cur > from)
		e->cur = from;
	changed(e);
}

int editor_backspace(editor *e)
{
	if (e->cur == 0)
		return 0;
	delete_range(e, text_prev(e->buf, e->cur), e->cur);
	return 1;
}

int editor_delete(editor *e)
{
	if (e->cur >= e->len)
		return 0;
	delete_range(e, e->cur, text_next(e->buf, e->cur));
	return 1;
}

int editor_kill_eol(editor *e)
{
	const char *nl;
	size_t end;

	if (e->cur >= e->len)
		return 0;
	nl = strchr(e->buf + e->cur, '\n');
	end = nl ? (size_t)(nl - e->buf) : e->len;
	if (end == e->cur)
		end++; /* at the '\n': join with the next line */
	delete_range(e, e->cur, end);
	return 1;
}

int editor_kill_bol(editor *e)
{
	size_t start = e->cur;

	while (start > 0 && e->buf[start - 1] != '\n')
		start--;
	if (start == e->cur)
		return 0;
	delete_range(e, start, e->cur);
	return 1;
}

/* --- input and drawing ------------------------------------------------ */

const int editor_commands[] = { CMD_BACKSPACE, CMD_DELETE, CMD_KILL_EOL, CMD_KILL_BOL, CMD_NONE };

static int is_text(int key)
{
	if (key & (UI_KEYCODE | UI_ALT))
		return 0;
	return key == '\n' || (key >= 0x20 && key != 0x7f && key <= 0x10FFFF);
}

int editor_key(editor *e, int cmd, const ui_event *ev)
{
	int page = e->page > 1 ? e->page : 1;

	switch (cmd) {
	case CMD_NONE:
		if (!ev || ev->mouse || !is_text(ev->key))
			return EDITOR_IGNORED;
		if (ev->key == '\r')
			return editor_insert_cp(e, '\n') ? EDITOR_CHANGED : EDITOR_FULL;
		return editor_insert_cp(e, (uint32_t)ev->key) ? EDITOR_CHANGED : EDITOR_FULL;
	case CMD_OPEN:
		return editor_insert_cp(e, '\n') ? EDITOR_CHANGED : EDITOR_FULL;
	case CMD_LEFT:
		editor_left(e);
		return EDITOR_MOVED;
	case CMD_RIGHT:
		editor_right(e);
		return EDITOR_MOVED;
	case CMD_UP:
		editor_up(e);
		return EDITOR_MOVED;
	case CMD_DOWN:
		editor_down(e);
		return EDITOR_MOVED;
	case CMD_PGUP:
		editor_page_up(e, page);
		return EDITOR_MOVED;
	case CMD_PGDN:
		editor_page_down(e, page);
		return EDITOR_MOVED;
	case CMD_HOME:
		editor_home(e);
		return EDITOR_MOVED;
	case CMD_END:
		editor_end(e);
		return EDITOR_MOVED;
	case CMD_BACKSPACE:
		return editor_backspace(e) ? EDITOR_CHANGED : EDITOR_MOVED;
	case CMD_DELETE:
		return editor_delete(e) ? EDITOR_CHANGED : EDITOR_MOVED;
	case CMD_KILL_EOL:
		return editor_kill_eol(e) ? EDITOR_CHANGED : EDITOR_MOVED;
	case CMD_KILL_BOL:
		return editor_kill_bol(e) ? EDITOR_CHANGED : EDITOR_MOVED;
	default:
		return EDITOR_IGNORED;
	}
}

void editor_draw(editor *e, WINDOW *w, int y, int x, int lines, int cols,
                 int *cur_y, int *cur_x)
{
	size_t cl, i;
	int col, row;

	if (cur_y)
		*cur_y = -1;
	if (cur_x)
		*cur_x = -1;
	if (lines < 1 || cols < 2)
		return;
	editor_set_width(e, cols);
	e->page = lines;
	editor_cursor_pos(e, &cl, &col);
	if (cl < e->top)
		e->top = cl;
	if (cl >= e->top + (size_t)lines)
		e->top = cl - (size_t)lines + 1;
	if (e->top >= e->nlines)
		e->top = 0;
	for (row = 0; row < lines; row++) {
		size_t start, end;
		char *seg;

		i = e->top + (size_t)row;
		if (i >= e->nlines || editor_line(e, i, &start, &end) < 0) {
			term_fill(w, y + row, x, cols, TERM_INPUT);
			continue;
		}
		seg = x_strndup(e->buf + start, end - start);
		term_put(w, y + row, x, cols, TERM_INPUT, TEXT_PAD, seg);
		free(seg);
	}
	/* A cursor among spaces hanging past the edge stays on the edge. */
	if (col > cols - 1)
		col = cols - 1;
	if (cur_y)
		*cur_y = y + (int)(cl - e->top);
	if (cur_x)
		*cur_x = x + col;
}
