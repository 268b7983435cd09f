/* screens/view.c - see view.h. */
#include "screens/view.h"

#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "ui/keys.h"
#include "ui/term.h"

void view_init(view *v, int label_cells)
{
	memset(v, 0, sizeof *v);
	v->label_cells = label_cells;
	v->width = 80;
}

void view_clear(view *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->lines[i].label);
		free(v->lines[i].text);
	}
	v->n = 0;
}

void view_free(view *v)
{
	view_clear(v);
	free(v->lines);
	v->lines = NULL;
	v->cap = 0;
}

static view_line *push(view *v)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 32;
		v->lines = x_realloc(v->lines, v->cap * sizeof *v->lines);
	}
	memset(&v->lines[v->n], 0, sizeof v->lines[0]);
	return &v->lines[v->n++];
}

void view_add(view *v, int indent, int role, const char *label, const char *text)
{
	view_line *l = push(v);

	l->indent = indent;
	l->role = role;
	l->label = label ? x_strdup(label) : NULL;
	l->text = x_strdup(text ? text : "");
}

/* One paragraph (no newline): a numbered or bulleted one wraps with a
 * hanging indent, its continuation lines under its text. */
static void add_paragraph(view *v, int indent, int role, const char *label, const char *para, int cells, int *first)
{
	size_t mark = text_list_marker(para), n, *starts;
	char *marker = x_strndup(para, mark);
	int hang = mark ? text_width(marker) : 0;
	const char *body = para + mark;
	char *pad;

	free(marker);
	if (hang >= cells / 2)
		hang = 0, mark = 0, body = para;
	n = text_wrap(body, cells - hang, NULL, 0);
	starts = x_calloc(n, sizeof *starts);
	text_wrap(body, cells - hang, starts, n);
	pad = x_malloc((size_t)hang + 1);
	memset(pad, ' ', (size_t)hang);
	pad[hang] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t next = i + 1 < n ? starts[i + 1] : strlen(body);
		size_t end = text_line_end(body, starts[i], next);
		char *seg = x_strndup(body + starts[i], end - starts[i]);
		char *line = x_asprintf("%.*s%s", i == 0 ? (int)mark : hang, i == 0 ? para : pad, seg);

		/* The label on the first line; the rest line up under the text. */
		view_add(v, indent, role, label ? (*first ? label : "") : NULL, line);
		*first = 0;
		free(line);
		free(seg);
	}
	free(pad);
	free(starts);
}

void view_add_wrapped(view *v, int indent, int role, const char *label, const char *text)
{
	char *clean = text_sanitize(text ? text : "", TEXT_KEEP_NEWLINE | TEXT_TAB_SPACE);
	int cells = v->width - indent - (label ? v->label_cells : 0), first = 1;
	char *p = clean;

	if (cells < 10)
		cells = 10;
	for (;;) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		add_paragraph(v, indent, role, label, p, cells, &first);
		if (!nl)
			break;
		p = nl + 1;
	}
	free(clean);
}

void view_add_blank(view *v)
{
	view_add(v, 0, TERM_NORMAL, NULL, "");
}

void view_add_heading(view *v, const char *title)
{
	char *t = x_asprintf("── %s ──", title);

	view_add(v, 0, TERM_HEADER, NULL, t);
	free(t);
}

void view_draw(view *v, WINDOW *w, int y, int lines, int cols)
{
	v->height = lines;
	if (v->n <= (size_t)lines)
		v->top = 0;
	else if (v->top > v->n - (size_t)lines)
		v->top = v->n - (size_t)lines;
	for (int i = 0; i < lines && v->top + (size_t)i < v->n; i++) {
		const view_line *l = &v->lines[v->top + (size_t)i];
		int x = l->indent;
		if (l->label) {
			term_put(w, y + i, x, v->label_cells, TERM_DIM, TEXT_PAD, l->label);
			x += v->label_cells;
		}
		if (x < cols)
			term_put(w, y + i, x, cols - x, l->role, 0, l->text);
	}
}

void view_loading(WINDOW *w, int y, int x, int cells, const char *error)
{
	if (error && *error)
		term_put(w, y, x, cells, TERM_ERROR, 0, error);
	else
		term_put(w, y, x, cells, TERM_DIM, 0, _("Loading..."));
}

int view_scroll(view *v, int cmd)
{
	return ui_scroll(&v->top, v->n, v->height > 0 ? (size_t)v->height : 1, cmd, NULL) >= 0;
}
