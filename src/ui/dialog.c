/* dialog.c - modal dialogs on the screen stack (ui_modal).
 *
 * Each dialog is a small screen (ops table + state on the caller's stack)
 * drawn as a box over the screen below it; the viewer takes the whole body.
 * They reuse the editor model (prompt) and the list widget (checklist,
 * choice), so CJK text is measured, cut and wrapped exactly as elsewhere.
 */
#include "ui/dialog.h"

#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "ui/editor.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define BOX_MAX_COLS 72
#define PROMPT_MAX_LINES 3   /* a one-line prompt grows to this, then scrolls */
#define MULTI_LINES 8

/* --- shared pieces ----------------------------------------------------- */

typedef struct dbox {
	int y, x, lines, cols; /* outer edge, border included */
} dbox;

/* A box of `inner` lines centred in w, as wide as the text needs up to
 * BOX_MAX_COLS (and the window). */
static dbox place_box(WINDOW *w, int inner_lines, int inner_cols)
{
	int wl, wc;
	dbox b;

	getmaxyx(w, wl, wc);
	b.cols = inner_cols + 4;
	if (b.cols > BOX_MAX_COLS)
		b.cols = BOX_MAX_COLS;
	if (b.cols > wc)
		b.cols = wc;
	b.lines = inner_lines + 2;
	if (b.lines > wl)
		b.lines = wl;
	b.y = (wl - b.lines) / 2;
	b.x = (wc - b.cols) / 2;
	return b;
}

/* Width inside the border and margins. */
static int box_inner(const dbox *b)
{
	return b->cols - 4 > 1 ? b->cols - 4 : 1;
}

static void draw_box(WINDOW *w, const dbox *b, const char *title)
{
	int i;

	for (i = 0; i < b->lines; i++)
		term_fill(w, b->y + i, b->x, b->cols, TERM_NORMAL);
	wattrset(w, term_attr(TERM_NORMAL));
	mvwaddch(w, b->y, b->x, ACS_ULCORNER);
	mvwhline(w, b->y, b->x + 1, ACS_HLINE, b->cols - 2);
	mvwaddch(w, b->y, b->x + b->cols - 1, ACS_URCORNER);
	for (i = 1; i < b->lines - 1; i++) {
		mvwaddch(w, b->y + i, b->x, ACS_VLINE);
		mvwaddch(w, b->y + i, b->x + b->cols - 1, ACS_VLINE);
	}
	mvwaddch(w, b->y + b->lines - 1, b->x, ACS_LLCORNER);
	mvwhline(w, b->y + b->lines - 1, b->x + 1, ACS_HLINE, b->cols - 2);
	mvwaddch(w, b->y + b->lines - 1, b->x + b->cols - 1, ACS_LRCORNER);
	wattrset(w, A_NORMAL);
	if (title && *title) {
		char *t = text_fit(title, b->cols - 6, 0);
		char *padded = x_asprintf(" %s ", t);

		term_put(w, b->y, b->x + 2, b->cols - 4, TERM_TITLE, 0, padded);
		free(padded);
		free(t);
	}
}

/* Sanitised text wrapped at a width, recomputed when the width changes.
 * A numbered or bulleted line ("1. 身份证原件", "（2）…", "• …") wraps
 * with a hanging indent: its continuation lines start under its text, not
 * under its number (a one-time notice reads as a list). */
typedef struct wrapped_line {
	size_t start, end; /* the drawable bytes */
	int indent;        /* cells to the right of the box's text column */
} wrapped_line;

typedef struct wrapped {
	char *text;
	wrapped_line *lines;
	size_t n, cap;
	int width;
} wrapped;

static void wrapped_init(wrapped *t, const char *text)
{
	memset(t, 0, sizeof *t);
	t->text = text_sanitize(text ? text : "", TEXT_KEEP_NEWLINE | TEXT_TAB_SPACE);
}

static void wrapped_free(wrapped *t)
{
	free(t->text);
	free(t->lines);
}

static void wrapped_add(wrapped *t, size_t start, size_t end, int indent)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->lines = x_realloc(t->lines, t->cap * sizeof *t->lines);
	}
	t->lines[t->n++] = (wrapped_line){ start, end, indent };
}

/* Wrap one paragraph (no newline inside) that starts at byte off. */
static void wrap_paragraph(wrapped *t, size_t off, size_t len, int width)
{
	char *para = x_strndup(t->text + off, len);
	size_t mark = text_list_marker(para), nb, *starts;
	char *marker = x_strndup(para, mark);
	int indent = mark ? text_width(marker) : 0;
	const char *body = para + mark;

	free(marker);
	if (indent >= width / 2)
		indent = 0, mark = 0, body = para; /* too narrow to hang: plain */
	nb = text_wrap(body, width - indent, NULL, 0);
	starts = x_malloc(nb * sizeof *starts);
	text_wrap(body, width - indent, starts, nb);
	for (size_t i = 0; i < nb; i++) {
		size_t next = i + 1 < nb ? starts[i + 1] : strlen(body);
		size_t end = text_line_end(body, starts[i], next);

		/* The first line carries the marker itself. */
		wrapped_add(t, off + (i == 0 ? 0 : mark + starts[i]), off + mark + end, i == 0 ? 0 : indent);
	}
	free(starts);
	free(para);
}

static size_t wrapped_lines(wrapped *t, int width)
{
	size_t off = 0, len = strlen(t->text);

	if (width < 1)
		width = 1;
	if (t->lines && width == t->width)
		return t->n;
	t->n = 0;
	for (;;) {
		const char *nl = strchr(t->text + off, '\n');
		size_t plen = nl ? (size_t)(nl - (t->text + off)) : len - off;

		wrap_paragraph(t, off, plen, width);
		if (!nl)
			break;
		off += plen + 1;
	}
	t->width = width;
	return t->n;
}

static char *wrapped_segment(const wrapped *t, size_t i)
{
	return x_strndup(t->text + t->lines[i].start, t->lines[i].end - t->lines[i].start);
}

/* Cells of the widest wrapped line. */
static int wrapped_widest(const wrapped *t)
{
	int widest = 0;

	for (size_t i = 0; i < t->n; i++) {
		char *seg = wrapped_segment(t, i);
		int w = text_width(seg) + t->lines[i].indent;

		if (w > widest)
			widest = w;
		free(seg);
	}
	return widest;
}

static void wrapped_draw_line(WINDOW *w, int y, int x, int cols, term_role role, wrapped *t,
                              size_t i)
{
	char *seg;

	if (i >= t->n)
		return;
	seg = wrapped_segment(t, i);
	term_put(w, y, x + t->lines[i].indent, cols - t->lines[i].indent, role, 0, seg);
	free(seg);
}

/* --- prompt ------------------------------------------------------------ */

typedef struct prompt {
	const char *title;
	wrapped label;
	editor *e;
	int flags;
	char *result;
} prompt;

static const int prompt_keys[] = { CMD_OK, CMD_BACK, CMD_NONE };
static const int multi_keys[] = { CMD_DONE, CMD_BACK, CMD_NONE };

static void prompt_draw(ui_screen *s, WINDOW *w)
{
	prompt *p = s->data;
	int wl, wc, inner, label_n, input_n, cy, cx, y;
	size_t i;
	dbox b;

	getmaxyx(w, wl, wc);
	(void)wc;
	/* Width first (from the widest the box may be), then height. */
	b = place_box(w, 1, BOX_MAX_COLS);
	inner = box_inner(&b);
	label_n = (int)wrapped_lines(&p->label, inner);
	if (p->flags & DIALOG_MULTILINE) {
		input_n = MULTI_LINES;
	} else {
		editor_set_width(p->e, inner);
		input_n = (int)editor_lines(p->e);
		if (input_n > PROMPT_MAX_LINES)
			input_n = PROMPT_MAX_LINES;
	}
	if (p->flags & DIALOG_SECRET)
		input_n = 1;
	if (label_n + 1 + input_n + 2 > wl) {
		/* A tiny body: the input keeps its lines, the label gives way. */
		label_n = wl - 3 - input_n;
		if (label_n < 0) {
			label_n = 0;
			input_n = wl - 2 > 1 ? wl - 2 : 1;
		}
	}
	b = place_box(w, label_n + (label_n ? 1 : 0) + input_n, BOX_MAX_COLS);
	draw_box(w, &b, p->title);
	y = b.y + 1;
	for (i = 0; i < (size_t)label_n; i++)
		wrapped_draw_line(w, y++, b.x + 2, inner, TERM_NORMAL, &p->label, i);
	if (label_n)
		y++;
	if (p->flags & DIALOG_SECRET) {
		size_t n = editor_chars(p->e);
		size_t shown = n < (size_t)inner - 1 ? n : (size_t)inner - 1;
		char *stars = x_malloc(shown + 1);

		memset(stars, '*', shown);
		stars[shown] = '\0';
		term_put(w, y, b.x + 2, inner, TERM_INPUT, TEXT_PAD, stars);
		free(stars);
		ui_screen_cursor(s, y, b.x + 2 + (int)shown);
		return;
	}
	editor_draw(p->e, w, y, b.x + 2, input_n, inner, &cy, &cx);
	ui_screen_cursor(s, cy, cx);
}

static int prompt_finish(prompt *p)
{
	const char *t = editor_text(p->e);

	if ((p->flags & DIALOG_REQUIRED) && t[strspn(t, " \n")] == '\0') {
		ui_status(UI_WARN, _("An answer is required (Esc cancels)."));
		return UI_REDRAW;
	}
	p->result = x_strdup(t);
	return UI_POP;
}

static int prompt_key(ui_screen *s, int cmd, const ui_event *ev)
{
	prompt *p = s->data;
	int r;

	switch (cmd) {
	case CMD_OK:
	case CMD_DONE:
		return prompt_finish(p);
	case CMD_OPEN:
		if (!(p->flags & DIALOG_MULTILINE))
			return prompt_finish(p);
		break;
	case CMD_BACK:
		return UI_POP;
	default:
		break;
	}
	if (ev->mouse)
		return UI_HANDLED;
	r = editor_key(p->e, cmd, ev);
	if (r & EDITOR_FULL)
		ui_status(UI_WARN, _("At most %zu characters."), editor_max_chars(p->e));
	return r ? UI_REDRAW : UI_UNHANDLED;
}

static const ui_screen_ops prompt_ops = {
	.name = "prompt",
	.flags = UI_SCREEN_TEXT_INPUT | UI_SCREEN_OVERLAY,
	.keybar = prompt_keys,
	.commands = editor_commands,
	.draw = prompt_draw,
	.key = prompt_key,
};

static const ui_screen_ops multi_ops = {
	.name = "prompt-multiline",
	.flags = UI_SCREEN_TEXT_INPUT | UI_SCREEN_OVERLAY,
	.keybar = multi_keys,
	.commands = editor_commands,
	.draw = prompt_draw,
	.key = prompt_key,
};

char *dialog_prompt(const char *title, const char *label, const char *initial,
                    size_t max_chars, int flags)
{
	prompt p = { .title = title, .flags = flags };

	wrapped_init(&p.label, label);
	p.e = editor_new(max_chars);
	if (initial) {
		editor_set_text(p.e, initial);
		if (!(flags & DIALOG_MULTILINE)) {
			/* One line: a pasted or stored newline becomes a space. */
			char *flat = x_strdup(editor_text(p.e));
			char *c;

			for (c = flat; *c; c++)
				if (*c == '\n')
					*c = ' ';
			editor_set_text(p.e, flat);
			free(flat);
		}
	}
	if (ui_modal(flags & DIALOG_MULTILINE ? &multi_ops : &prompt_ops, &p) < 0) {
		free(p.result);
		p.result = NULL;
	}
	editor_free(p.e);
	wrapped_free(&p.label);
	return p.result;
}

/* --- confirm ------------------------------------------------------------ */

typedef struct confirm {
	const char *title;
	wrapped text;
	int focus;   /* 0 = Yes, 1 = No */
	int answer;
	int btn_y, btn_x[2], btn_w[2];
} confirm;

static const int confirm_keys[] = { CMD_YES, CMD_NO, CMD_OK, CMD_BACK, CMD_NONE };
static const int confirm_more[] = { CMD_NEXT_FIELD, CMD_PREV_FIELD, CMD_NONE };

static void confirm_draw(ui_screen *s, WINDOW *w)
{
	confirm *c = s->data;
	const char *label[2] = { _("Yes"), _("No") };
	int wl, wc, inner, n, i, y, x, total, widest;
	dbox b = place_box(w, 1, BOX_MAX_COLS);

	getmaxyx(w, wl, wc);
	(void)wc;
	total = text_width(label[0]) + text_width(label[1]) + 4 + 3;
	/* As narrow as the question, the buttons and the title allow. */
	wrapped_lines(&c->text, box_inner(&b));
	widest = wrapped_widest(&c->text);
	if (total > widest)
		widest = total;
	if (text_width(c->title) + 4 > widest)
		widest = text_width(c->title) + 4;
	if (widest < 30)
		widest = 30;
	b = place_box(w, 1, widest);
	inner = box_inner(&b);
	n = (int)wrapped_lines(&c->text, inner);
	if (n > wl - 4)
		n = wl - 4 > 1 ? wl - 4 : 1;
	b = place_box(w, n + 2, widest);
	draw_box(w, &b, c->title);
	for (i = 0, y = b.y + 1; i < n; i++)
		wrapped_draw_line(w, y++, b.x + 2, inner, TERM_NORMAL, &c->text, (size_t)i);
	y++;
	x = b.x + (b.cols - total) / 2;
	c->btn_y = y;
	for (i = 0; i < 2; i++) {
		char *t = x_asprintf("[%s]", label[i]);

		c->btn_x[i] = x;
		c->btn_w[i] = text_width(t);
		term_put(w, y, x, c->btn_w[i], c->focus == i ? TERM_SELECTED : TERM_NORMAL, 0, t);
		x += c->btn_w[i] + 3;
		free(t);
	}
}

static int confirm_key(ui_screen *s, int cmd, const ui_event *ev)
{
	confirm *c = s->data;
	int i;

	if (ev->mouse == UI_MOUSE_CLICK || ev->mouse == UI_MOUSE_DOUBLE) {
		for (i = 0; i < 2; i++) {
			if (ev->y == c->btn_y && ev->x >= c->btn_x[i] && ev->x < c->btn_x[i] + c->btn_w[i]) {
				c->answer = i == 0;
				return UI_POP;
			}
		}
		return UI_HANDLED;
	}
	switch (cmd) {
	case CMD_YES:
		c->answer = 1;
		return UI_POP;
	case CMD_NO:
	case CMD_BACK:
		c->answer = 0;
		return UI_POP;
	case CMD_OK:
	case CMD_OPEN:
		c->answer = c->focus == 0;
		return UI_POP;
	case CMD_LEFT:
	case CMD_RIGHT:
	case CMD_NEXT_FIELD:
	case CMD_PREV_FIELD:
		c->focus = !c->focus;
		return UI_REDRAW;
	default:
		return cmd == CMD_NONE ? UI_HANDLED : UI_UNHANDLED;
	}
}

static const ui_screen_ops confirm_ops = {
	.name = "confirm",
	.flags = UI_SCREEN_OVERLAY,
	.keybar = confirm_keys,
	.commands = confirm_more,
	.draw = confirm_draw,
	.key = confirm_key,
};

int dialog_confirm(const char *title, const char *question)
{
	confirm c = { .title = title };

	wrapped_init(&c.text, question);
	if (ui_modal(&confirm_ops, &c) < 0)
		c.answer = 0;
	wrapped_free(&c.text);
	return c.answer;
}

/* --- checklist and choice (the list widget in a box) ------------------- */

typedef struct picker {
	const char *title;
	wrapped label;
	const char *const *items;
	size_t n;
	unsigned char *marks; /* checklist only; NULL for a choice */
	list *l;
	int ok;
} picker;

static const char *picker_cell(void *ctx, size_t row, int col, int *role)
{
	picker *p = ctx;

	(void)role;
	if (row >= p->n)
		return "";
	if (p->marks && col == 0)
		return p->marks[row] ? "[x]" : "[ ]";
	return p->items[row] ? p->items[row] : "";
}

static const list_column check_cols[] = {
	{ NULL, 3, 3, 0, LIST_LEFT },
	{ NULL, 10, 0, 1, LIST_LEFT },
};
static const list_column choose_cols[] = {
	{ NULL, 10, 0, 1, LIST_LEFT },
};
static const list_source picker_src = { .cell = picker_cell };

static void picker_draw(ui_screen *s, WINDOW *w)
{
	picker *p = s->data;
	int wl, wc, inner, label_n, rows, y, widest = 0;
	size_t i;
	dbox b;

	getmaxyx(w, wl, wc);
	(void)wc;
	for (i = 0; i < p->n; i++) {
		int iw = text_width(p->items[i]) + (p->marks ? 4 : 0);

		if (iw > widest)
			widest = iw;
	}
	b = place_box(w, 1, BOX_MAX_COLS);
	inner = box_inner(&b);
	label_n = (int)wrapped_lines(&p->label, inner);
	if (!p->label.text[0])
		label_n = 0;
	rows = p->n ? (int)p->n : 1;
	if (label_n + (label_n ? 1 : 0) + rows + 2 > wl) {
		rows = wl - 2 - label_n - (label_n ? 1 : 0);
		if (rows < 3) {
			label_n = 0;
			rows = wl - 2 > 1 ? wl - 2 : 1;
		}
	}
	if (label_n) {
		wrapped_lines(&p->label, inner);
		if (wrapped_widest(&p->label) > widest)
			widest = wrapped_widest(&p->label);
	}
	if (text_width(p->title) + 4 > widest)
		widest = text_width(p->title) + 4;
	if (widest < 20)
		widest = 20;
	b = place_box(w, label_n + (label_n ? 1 : 0) + rows, widest);
	inner = box_inner(&b);
	draw_box(w, &b, p->title);
	y = b.y + 1;
	for (i = 0; i < (size_t)label_n; i++)
		wrapped_draw_line(w, y++, b.x + 2, inner, TERM_NORMAL, &p->label, i);
	if (label_n)
		y++;
	list_draw(p->l, w, y, b.x + 2, rows, inner);
}

static int picker_key(ui_screen *s, int cmd, const ui_event *ev)
{
	picker *p = s->data;
	size_t sel = list_selected(p->l);
	int r;

	switch (cmd) {
	case CMD_BACK:
		p->ok = 0;
		return UI_POP;
	case CMD_OK:
		if (!p->marks && sel == LIST_NONE)
			return UI_HANDLED;
		p->ok = 1;
		return UI_POP;
	case CMD_TOGGLE:
		if (p->marks && sel != LIST_NONE) {
			p->marks[sel] = !p->marks[sel];
			return UI_REDRAW;
		}
		return UI_HANDLED;
	default:
		break;
	}
	r = list_key(p->l, cmd, ev);
	if (r == LIST_ACTIVATE) {
		sel = list_selected(p->l);
		if (p->marks) {
			/* Enter is OK (bound first); a double click marks. */
			p->marks[sel] = !p->marks[sel];
			return UI_REDRAW;
		}
		p->ok = 1;
		return UI_POP;
	}
	if (r == LIST_MOVED)
		return UI_REDRAW;
	if (r == LIST_SAME || ev->mouse)
		return UI_HANDLED;
	return cmd == CMD_NONE ? UI_HANDLED : UI_UNHANDLED;
}

static const int checklist_keys[] = { CMD_TOGGLE, CMD_OK, CMD_BACK, CMD_NONE };
static const int choose_keys[] = { CMD_OK, CMD_BACK, CMD_NONE };

static const ui_screen_ops checklist_ops = {
	.name = "checklist",
	.flags = UI_SCREEN_OVERLAY,
	.keybar = checklist_keys,
	.draw = picker_draw,
	.key = picker_key,
};

static const ui_screen_ops choose_ops = {
	.name = "choose",
	.flags = UI_SCREEN_OVERLAY,
	.keybar = choose_keys,
	.draw = picker_draw,
	.key = picker_key,
};

int dialog_checklist(const char *title, const char *label,
                     const char *const *items, size_t n, unsigned char *checked)
{
	picker p = { .title = title, .items = items, .n = n };

	if (!items || !checked)
		return 0;
	wrapped_init(&p.label, label);
	/* Work on a copy: cancel must leave the caller's marks alone. */
	p.marks = x_malloc(n ? n : 1);
	memcpy(p.marks, checked, n);
	p.l = list_new(check_cols, 2, &picker_src, &p);
	list_set_header(p.l, 0);
	list_set_empty_text(p.l, _("Nothing to choose from"));
	list_set_rows(p.l, n);
	if (ui_modal(&checklist_ops, &p) < 0)
		p.ok = 0;
	if (p.ok)
		memcpy(checked, p.marks, n);
	list_free(p.l);
	free(p.marks);
	wrapped_free(&p.label);
	return p.ok;
}

long dialog_choose(const char *title, const char *const *items, size_t n, size_t initial)
{
	picker p = { .title = title, .items = items, .n = n };
	long rc = -1;

	if (!items || n == 0)
		return -1;
	wrapped_init(&p.label, "");
	p.l = list_new(choose_cols, 1, &picker_src, &p);
	list_set_header(p.l, 0);
	list_set_rows(p.l, n);
	list_select(p.l, initial < n ? initial : 0);
	if (ui_modal(&choose_ops, &p) == 0 && p.ok && list_selected(p.l) != LIST_NONE)
		rc = (long)list_selected(p.l);
	list_free(p.l);
	wrapped_free(&p.label);
	return rc;
}

/* --- message ------------------------------------------------------------- */

typedef struct message {
	const char *title;
	wrapped text;
} message;

static const int message_keys[] = { CMD_OK, CMD_NONE };

static void message_draw(ui_screen *s, WINDOW *w)
{
	message *m = s->data;
	int wl, wc, inner, n, i, widest;
	dbox b = place_box(w, 1, BOX_MAX_COLS);

	getmaxyx(w, wl, wc);
	(void)wc;
	/* As narrow as the text allows: wrap at the widest box, then shrink
	 * the box to the longest line (the breaks stay the same). */
	wrapped_lines(&m->text, box_inner(&b));
	widest = wrapped_widest(&m->text);
	if (text_width(m->title) + 4 > widest)
		widest = text_width(m->title) + 4;
	b = place_box(w, 1, widest);
	inner = box_inner(&b);
	n = (int)wrapped_lines(&m->text, inner);
	if (n > wl - 2)
		n = wl - 2 > 1 ? wl - 2 : 1;
	b = place_box(w, n, widest);
	draw_box(w, &b, m->title);
	for (i = 0; i < n; i++)
		wrapped_draw_line(w, b.y + 1 + i, b.x + 2, inner, TERM_NORMAL, &m->text, (size_t)i);
}

static int message_key(ui_screen *s, int cmd, const ui_event *ev)
{
	(void)s;
	if (ev->mouse == UI_MOUSE_WHEEL_UP || ev->mouse == UI_MOUSE_WHEEL_DOWN)
		return UI_HANDLED;
	if (cmd == CMD_QUIT || cmd == CMD_HELP)
		return UI_UNHANDLED;
	return UI_POP;
}

static const ui_screen_ops message_ops = {
	.name = "message",
	.flags = UI_SCREEN_OVERLAY,
	.keybar = message_keys,
	.draw = message_draw,
	.key = message_key,
};

void dialog_message(const char *title, const char *text)
{
	message m = { .title = title };

	wrapped_init(&m.text, text);
	ui_modal(&message_ops, &m);
	wrapped_free(&m.text);
}

/* --- viewer ---------------------------------------------------------------- */

typedef struct viewer {
	const char *title;
	wrapped text;
	size_t top;
	int page;
} viewer;

static const int viewer_keys[] = { CMD_BACK, CMD_PGDN, CMD_PGUP, CMD_NONE };

static int viewer_open(ui_screen *s)
{
	viewer *v = s->data;

	ui_screen_title(s, v->title);
	return 0;
}

static void viewer_draw(ui_screen *s, WINDOW *w)
{
	viewer *v = s->data;
	int wl, wc, i;

	getmaxyx(w, wl, wc);
	wrapped_lines(&v->text, wc - 2);
	v->page = wl;
	ui_scroll(&v->top, v->text.n, v->page > 0 ? (size_t)v->page : 1, CMD_NONE, NULL);
	for (i = 0; i < wl; i++)
		wrapped_draw_line(w, i, 1, wc - 2, TERM_NORMAL, &v->text, v->top + (size_t)i);
	/* Say that there is more, not only with a scroll position. */
	if (v->top + (size_t)wl < v->text.n)
		term_put(w, wl - 1, wc - 1, 1, TERM_DIM, 0, "↓");
	if (v->top > 0)
		term_put(w, 0, wc - 1, 1, TERM_DIM, 0, "↑");
}

static int viewer_key(ui_screen *s, int cmd, const ui_event *ev)
{
	viewer *v = s->data;
	int moved = ui_scroll(&v->top, v->text.n, v->page > 0 ? (size_t)v->page : 1, cmd, ev);

	if (moved >= 0)
		return moved ? UI_REDRAW : UI_HANDLED;
	if (ev->mouse)
		return UI_HANDLED;
	if (cmd == CMD_BACK || cmd == CMD_OPEN)
		return UI_POP;
	return cmd == CMD_NONE ? UI_HANDLED : UI_UNHANDLED;
}

static const ui_screen_ops viewer_ops = {
	.name = "viewer",
	.keybar = viewer_keys,
	.open = viewer_open,
	.draw = viewer_draw,
	.key = viewer_key,
};

void dialog_viewer(const char *title, const char *text)
{
	viewer v = { .title = title };

	wrapped_init(&v.text, text);
	ui_modal(&viewer_ops, &v);
	wrapped_free(&v.text);
}
