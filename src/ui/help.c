/* help.c - the help screen; see help.h.  The model (help_lines) is plain
 * text in, lines out; the screen only scrolls and draws them. */
#include "ui/help.h"

#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "ui/loop.h"
#include "ui/term.h"

#define HELP_MIN_TEXT 12 /* cells a description needs beside the keys */

typedef struct lines {
	char **v;
	size_t n, cap;
} lines;

static void push(lines *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = x_realloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = s;
}

/* s wrapped at cells, each piece prefixed with `lead` (the first) or
 * `cont` (the others). */
static void wrap_into(lines *out, const char *s, int cells, const char *lead, const char *cont)
{
	size_t n = text_wrap(s, cells, NULL, 0), *st = x_calloc(n, sizeof *st), len = strlen(s);

	text_wrap(s, cells, st, n);
	for (size_t i = 0; i < n; i++) {
		size_t next = i + 1 < n ? st[i + 1] : len;
		size_t end = text_line_end(s, st[i], next);
		char *piece = x_strndup(s + st[i], end - st[i]);

		push(out, x_asprintf("%s%s", i == 0 ? lead : cont, piece));
		free(piece);
	}
	free(st);
}

/* One entry line: the first `hang` cells are the key column (never split
 * inside a character), the rest the description. */
static void entry(lines *out, const char *line, int width, int hang)
{
	size_t pos = 0, len = strlen(line);
	int cells = 0;
	char *keys, *pad, *lead;
	const char *desc;

	while (pos < len) {
		size_t next = pos;
		uint32_t cp;
		int w;

		text_decode(line, len, &next, &cp);
		w = text_cp_width(cp);
		if (cells + w > hang)
			break;
		cells += w;
		pos = next;
	}
	desc = line + pos;
	while (*desc == ' ')
		desc++;
	keys = x_strndup(line, pos);
	lead = x_asprintf("%s%*s", keys, hang - cells, "");
	pad = x_asprintf("%*s", hang, "");
	wrap_into(out, *desc ? desc : " ", width - hang, lead, pad);
	free(keys);
	free(lead);
	free(pad);
}

char **help_lines(const char *text, int width, int hang, size_t *n)
{
	lines out = { 0 };
	const char *p = text ? text : "";

	if (width < 2)
		width = 2;
	for (;;) {
		const char *nl = strchr(p, '\n');
		char *line = nl ? x_strndup(p, (size_t)(nl - p)) : x_strdup(p);

		if (!*line)
			push(&out, x_strdup(""));
		else if (line[0] == ' ' && hang > 0 && width - hang >= HELP_MIN_TEXT)
			entry(&out, line, width, hang);
		else
			wrap_into(&out, line, width, "", "");
		free(line);
		if (!nl || !nl[1])
			break;
		p = nl + 1;
	}
	*n = out.n;
	return out.v;
}

void help_lines_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ------------------------------------------------------------- the screen */

typedef struct help {
	const char *title, *text;
	int hang;
	char **v;
	size_t n, top;
	int width, page;
} help;

static const int help_keys[] = { CMD_BACK, CMD_PGDN, CMD_PGUP, CMD_NONE };

static int help_open(ui_screen *s)
{
	help *h = s->data;

	ui_screen_title(s, h->title);
	return 0;
}

static void help_draw(ui_screen *s, WINDOW *w)
{
	help *h = s->data;
	int wl, wc;

	getmaxyx(w, wl, wc);
	if (!h->v || h->width != wc - 2) {
		help_lines_free(h->v, h->n);
		h->width = wc - 2;
		h->v = help_lines(h->text, h->width, h->hang, &h->n);
	}
	h->page = wl;
	ui_scroll(&h->top, h->n, h->page > 0 ? (size_t)h->page : 1, CMD_NONE, NULL);
	for (int i = 0; i < wl && h->top + (size_t)i < h->n; i++)
		term_put(w, i, 1, wc - 2, TERM_NORMAL, 0, h->v[h->top + (size_t)i]);
	/* Say that there is more, not only with a scroll position. */
	if (h->top + (size_t)wl < h->n)
		term_put(w, wl - 1, wc - 1, 1, TERM_DIM, 0, "↓");
	if (h->top > 0)
		term_put(w, 0, wc - 1, 1, TERM_DIM, 0, "↑");
}

static int help_key(ui_screen *s, int cmd, const ui_event *ev)
{
	help *h = s->data;
	int moved = ui_scroll(&h->top, h->n, h->page > 0 ? (size_t)h->page : 1, cmd, ev);

	if (moved >= 0)
		return moved ? UI_REDRAW : UI_HANDLED;
	if (ev->mouse)
		return UI_HANDLED;
	if (cmd == CMD_BACK || cmd == CMD_OPEN)
		return UI_POP;
	return cmd == CMD_NONE ? UI_HANDLED : UI_UNHANDLED;
}

static const ui_screen_ops help_ops = {
	.name = "help",
	.keybar = help_keys,
	.open = help_open,
	.draw = help_draw,
	.key = help_key,
};

void help_view(const char *title, const char *text, int hang)
{
	help h = { .title = title, .text = text ? text : "", .hang = hang };

	ui_modal(&help_ops, &h);
	help_lines_free(h.v, h.n);
}
