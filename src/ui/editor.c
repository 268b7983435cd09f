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
 *
 * Undo: every change of the text is one record (where, what went, what
 * came, where the cursor was), kept on a bounded stack: EDITOR_UNDO_MAX
 * records and EDITOR_UNDO_BYTES bytes of text in all, the oldest dropped
 * first.  Characters typed one after another at the same place make one
 * record up to a word's end (a space or punctuation after a word ends it),
 * and so do Backspaces and Deletes pressed in a row; moving the cursor
 * ends a record.  Undoing applies the record backwards and puts the
 * cursor back where it was before the edit.
 */
#include "ui/editor.h"

#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "common/xalloc.h"
#include "ui/term.h"

#define DEFAULT_WIDTH 40
#define UNDO_GROUP_CHARS 32 /* typed characters one record holds at most */

/* One change: at byte pos, del (what was removed) was replaced by ins. */
typedef struct undo_rec {
	size_t pos;
	char *del, *ins;
	size_t del_len, ins_len;
	size_t cur_before;  /* the cursor before the change */
	int kind;           /* UNDO_* : what may be merged into it */
	size_t ins_chars;   /* typed records: characters so far */
} undo_rec;

enum { UNDO_OTHER, UNDO_TYPED, UNDO_ERASE_BACK, UNDO_ERASE_FWD };

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
	undo_rec *undo;   /* oldest first */
	size_t nundo, capundo, undo_bytes;
	int undo_sealed;  /* the next change starts a new record */
	int in_undo;      /* applying a record: don't record it */
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

/* --- undo ------------------------------------------------------------- */

static void undo_rec_free(undo_rec *r)
{
	free(r->del);
	free(r->ins);
}

static void undo_clear(editor *e)
{
	for (size_t i = 0; i < e->nundo; i++)
		undo_rec_free(&e->undo[i]);
	e->nundo = 0;
	e->undo_bytes = 0;
	e->undo_sealed = 1;
}

/* Drop the oldest records until the stack is within its bounds. */
static void undo_trim(editor *e)
{
	size_t drop = 0;

	while (drop < e->nundo && (e->nundo - drop > EDITOR_UNDO_MAX || e->undo_bytes > EDITOR_UNDO_BYTES)) {
		e->undo_bytes -= e->undo[drop].del_len + e->undo[drop].ins_len;
		undo_rec_free(&e->undo[drop]);
		drop++;
	}
	if (drop) {
		memmove(e->undo, e->undo + drop, (e->nundo - drop) * sizeof *e->undo);
		e->nundo -= drop;
	}
}

static char *dup_bytes(const char *s, size_t n)
{
	char *p = x_malloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Append b (n bytes) to *a (*alen bytes), or put it in front. */
static void join_bytes(char **a, size_t *alen, const char *b, size_t n, int front)
{
	char *p = x_malloc(*alen + n + 1);

	if (front) {
		memcpy(p, b, n);
		memcpy(p + n, *a, *alen);
	} else {
		memcpy(p, *a, *alen);
		memcpy(p + *alen, b, n);
	}
	p[*alen + n] = '\0';
	free(*a);
	*a = p;
	*alen += n;
}

/* A typed character that ends a word: what follows it starts a new
 * record (the last word typed goes first on undo). */
static int ends_word(const char *s, size_t n)
{
	static const char *const marks[] = { "\xef\xbc\x8c", "\xe3\x80\x82", "\xef\xbc\x81", "\xef\xbc\x9f",
	                                     "\xef\xbc\x9b", "\xef\xbc\x9a", "\xe3\x80\x81" }; /* ，。！？；：、 */

	if (n == 1)
		return s[0] == ' ' || s[0] == '\n' || strchr(",.;:!?", s[0]) != NULL;
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (n == strlen(marks[i]) && memcmp(s, marks[i], n) == 0)
			return 1;
	return 0;
}

/* Record that s[pos..pos+del_len) was replaced by ins (ins_len bytes),
 * the cursor having been at cur_before: merged into the last record when
 * it continues it, else pushed. */
static void undo_record(editor *e, int kind, size_t pos, const char *del, size_t del_len, const char *ins,
                        size_t ins_len, size_t cur_before)
{
	undo_rec *last = e->nundo ? &e->undo[e->nundo - 1] : NULL;

	if (e->in_undo)
		return;
	if (last && !e->undo_sealed && last->kind == kind) {
		if (kind == UNDO_TYPED && last->pos + last->ins_len == pos && last->ins_chars < UNDO_GROUP_CHARS) {
			size_t lp = text_prev(last->ins, last->ins_len);

			/* A word and the spaces or marks after it are one record;
			 * the next word starts another. */
			if (!ends_word(last->ins + lp, last->ins_len - lp) || ends_word(ins, ins_len)) {
				join_bytes(&last->ins, &last->ins_len, ins, ins_len, 0);
				last->ins_chars++;
				e->undo_bytes += ins_len;
				undo_trim(e);
				return;
			}
		} else if (kind == UNDO_ERASE_BACK && pos + del_len == last->pos) {
			join_bytes(&last->del, &last->del_len, del, del_len, 1);
			last->pos = pos;
			e->undo_bytes += del_len;
			undo_trim(e);
			return;
		} else if (kind == UNDO_ERASE_FWD && pos == last->pos) {
			join_bytes(&last->del, &last->del_len, del, del_len, 0);
			e->undo_bytes += del_len;
			undo_trim(e);
			return;
		}
	}
	if (e->nundo == e->capundo) {
		e->capundo = e->capundo ? e->capundo * 2 : 16;
		e->undo = x_realloc(e->undo, e->capundo * sizeof *e->undo);
	}
	e->undo[e->nundo++] = (undo_rec){
		.pos = pos,
		.del = dup_bytes(del ? del : "", del_len),
		.ins = dup_bytes(ins ? ins : "", ins_len),
		.del_len = del_len,
		.ins_len = ins_len,
		.cur_before = cur_before,
		.kind = kind,
		.ins_chars = kind == UNDO_TYPED ? 1 : 0,
	};
	e->undo_bytes += del_len + ins_len;
	e->undo_sealed = kind == UNDO_OTHER;
	undo_trim(e);
}

size_t editor_undo_depth(const editor *e)
{
	return e->nundo;
}

void editor_free(editor *e)
{
	if (!e)
		return;
	undo_clear(e);
	free(e->undo);
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

/* Insert at the cursor, recorded for undo as `kind`. */
static size_t insert_text(editor *e, const char *utf8, int kind)
{
	char *s;
	size_t n, chars, room, at = e->cur;

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
	undo_record(e, kind, at, NULL, 0, s, n, at);
	free(s);
	changed(e);
	return chars;
}

size_t editor_insert(editor *e, const char *utf8)
{
	return insert_text(e, utf8, UNDO_OTHER);
}

int editor_insert_cp(editor *e, uint32_t cp)
{
	char u[5];

	if (!editor_utf8(cp, u) || cp == 0)
		return 0;
	return insert_text(e, u, UNDO_TYPED) > 0;
}

void editor_set_text(editor *e, const char *utf8)
{
	e->len = 0;
	e->buf[0] = '\0';
	e->cur = 0;
	e->nchars = 0;
	e->top = 0;
	e->in_undo = 1;
	editor_insert(e, utf8 ? utf8 : "");
	e->in_undo = 0;
	undo_clear(e);
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
	e->undo_sealed = 1;
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

static void delete_range(editor *e, size_t from, size_t to, int kind)
{
	if (to <= from)
		return;
	undo_record(e, kind, from, e->buf + from, to - from, NULL, 0, e->cur);
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
	delete_range(e, text_prev(e->buf, e->cur), e->cur, UNDO_ERASE_BACK);
	return 1;
}

int editor_delete(editor *e)
{
	if (e->cur >= e->len)
		return 0;
	delete_range(e, e->cur, text_next(e->buf, e->cur), UNDO_ERASE_FWD);
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
	delete_range(e, e->cur, end, UNDO_OTHER);
	return 1;
}

int editor_kill_bol(editor *e)
{
	size_t start = e->cur;

	while (start > 0 && e->buf[start - 1] != '\n')
		start--;
	if (start == e->cur)
		return 0;
	delete_range(e, start, e->cur, UNDO_OTHER);
	return 1;
}

int editor_undo(editor *e)
{
	undo_rec r;
	size_t chars;

	if (e->nundo == 0)
		return 0;
	r = e->undo[--e->nundo];
	e->undo_bytes -= r.del_len + r.ins_len;
	/* What came goes, what went comes back: the bytes are the editor's
	 * own (already clean), so they go in as they are. */
	chars = count_chars(e->buf, r.pos, r.pos + r.ins_len);
	memmove(e->buf + r.pos, e->buf + r.pos + r.ins_len, e->len - r.pos - r.ins_len + 1);
	e->len -= r.ins_len;
	e->nchars -= chars;
	if (e->len + r.del_len + 1 > e->cap) {
		while (e->len + r.del_len + 1 > e->cap)
			e->cap *= 2;
		e->buf = x_realloc(e->buf, e->cap);
	}
	memmove(e->buf + r.pos + r.del_len, e->buf + r.pos, e->len - r.pos + 1);
	memcpy(e->buf + r.pos, r.del, r.del_len);
	e->len += r.del_len;
	e->nchars += count_chars(r.del, 0, r.del_len);
	e->cur = r.cur_before <= e->len ? r.cur_before : e->len;
	undo_rec_free(&r);
	changed(e);
	e->undo_sealed = 1;
	return 1;
}

/* --- input and drawing ------------------------------------------------ */

const int editor_commands[] = { CMD_BACKSPACE, CMD_DELETE, CMD_KILL_EOL, CMD_KILL_BOL, CMD_UNDO, CMD_NONE };

static int is_text(int key)
{
	if (key & (UI_KEYCODE | UI_ALT))
		return 0;
	return key == '\n' || (key >= 0x20 && key != 0x7f && key <= 0x10FFFF);
}

int editor_key(editor *e, int cmd, const ui_event *ev)
{
	int page = e->page > 1 ? e->page : 1;

	/* Moving ends the record being typed: what comes next is undone
	 * apart from it. */
	if (cmd == CMD_UP || cmd == CMD_DOWN || cmd == CMD_LEFT || cmd == CMD_RIGHT || cmd == CMD_PGUP
	    || cmd == CMD_PGDN || cmd == CMD_HOME || cmd == CMD_END)
		e->undo_sealed = 1;

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
	case CMD_UNDO:
		return editor_undo(e) ? EDITOR_CHANGED : EDITOR_NOTHING;
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
