/* screens/itempick.c - the first step of receiving a walk-in (a from the
 * queue): which item?  The clerk types a code, the pinyin initials of the
 * name ("yyzz" finds 营业执照…) or a part of it; the list below answers
 * as they type (hall.find_items: only the items their windows serve, best
 * match first).  Enter on an item opens the receiving form for it
 * (receive.c) in this screen's place.
 *
 * Only the newest answer is shown: each keystroke sends a query, and the
 * session answers in the order asked, so every answer but the last one
 * sent is dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/receive.h"
#include "screens/app.h"
#include "screens/screens.h"
#include "ui/editor.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define PICK_QUERY_MAX 50
#define PICK_ROWS 100

typedef struct itempick {
	char query[PICK_QUERY_MAX * 4 + 1];
	unsigned sent, answered; /* queries sent, answers come (in order) */
	db_rows *rows;
	list *l;
	char error[512];
} itempick;

static const int pick_keybar[] = { CMD_OPEN, CMD_QUIT, CMD_BACK, CMD_NONE };
static const int pick_commands[] = { CMD_BACKSPACE, CMD_KILL_BOL, CMD_NONE };

enum { PC_CODE, PC_NAME, PC_CATEGORY, PC_DAYS, PC_WINDOWS, PC_N };
static const list_column pick_cols[PC_N] = {
	[PC_CODE] = { N_("Code"), 8, 10, 0, LIST_LEFT },
	[PC_NAME] = { N_("Item"), 16, 0, 4, LIST_LEFT },
	[PC_CATEGORY] = { N_("Category"), 8, 12, 1, LIST_LEFT },
	[PC_DAYS] = { N_("Days"), 4, 6, 0, LIST_RIGHT },
	[PC_WINDOWS] = { N_("Windows"), 5, 12, 1, LIST_LEFT },
};
static const int pc_column[PC_N] = {
	[PC_CODE] = RI_CODE, [PC_NAME] = RI_NAME, [PC_CATEGORY] = RI_CATEGORY, [PC_DAYS] = RI_PROMISED,
	[PC_WINDOWS] = RI_WINDOWS,
};

static const char *pick_cell(void *ctx, size_t row, int col, int *role)
{
	const itempick *p = ctx;

	(void)role;
	if (!p->rows || row >= (size_t)p->rows->nrows)
		return NULL;
	return db_rows_get(p->rows, (int)row, pc_column[col]);
}

static int64_t pick_id(void *ctx, size_t row)
{
	const itempick *p = ctx;

	return p->rows && row < (size_t)p->rows->nrows ? db_rows_ll(p->rows, (int)row, RI_ID) : -1;
}

static const list_source pick_source = { pick_cell, pick_id, NULL };

static void found(void *ctx, db_rows *rows, const db_reply *reply)
{
	itempick *p = ctx;

	/* A later query was sent meanwhile: its answer is the one to show. */
	if (++p->answered != p->sent) {
		db_rows_free(rows);
		return;
	}
	if (!rows) {
		app_refusal_text(reply, p->error, sizeof p->error);
		ui_redraw();
		return;
	}
	p->error[0] = '\0';
	db_rows_free(p->rows);
	p->rows = rows;
	list_set_rows(p->l, (size_t)rows->nrows);
	ui_redraw();
}

static void search(itempick *p)
{
	if (app_online() && receive_find_items(app_db(), p->query, PICK_ROWS, found, p) == 0)
		p->sent++;
}

static int pick_key(ui_screen *s, int cmd, const ui_event *ev)
{
	itempick *p = s->data;
	size_t len = strlen(p->query), sel;
	int r;

	switch (cmd) {
	case CMD_NONE:
		if (ev->key > 0 && !ev->mouse && ev->key != '\n' && ev->key != '\r') {
			char buf[5];
			size_t n = editor_utf8((uint32_t)ev->key, buf);
			if (n && text_width(p->query) < PICK_QUERY_MAX && len + n < sizeof p->query) {
				memcpy(p->query + len, buf, n + 1);
				search(p);
			}
		}
		return UI_REDRAW;
	case CMD_BACKSPACE:
		if (len) {
			p->query[text_prev(p->query, len)] = '\0';
			search(p);
		}
		return UI_REDRAW;
	case CMD_KILL_BOL:
		p->query[0] = '\0';
		search(p);
		return UI_REDRAW;
	case CMD_OPEN:
		sel = list_selected(p->l);
		if (sel == LIST_NONE || !p->rows || sel >= (size_t)p->rows->nrows)
			return UI_HANDLED;
		ui_replace(&receive_ops, receive_new(db_rows_get(p->rows, (int)sel, RI_CODE)));
		return UI_REDRAW;
	default:
		break;
	}
	r = list_key(p->l, cmd, ev);
	if (r == LIST_ACTIVATE)
		return pick_key(s, CMD_OPEN, ev);
	return r == LIST_IGNORED ? UI_UNHANDLED : UI_REDRAW;
}

static void pick_draw(ui_screen *s, WINDOW *w)
{
	itempick *p = s->data;
	int lines, cols, lw;
	char label[128];

	getmaxyx(w, lines, cols);
	werase(w);
	snprintf(label, sizeof label, "%s ", _("Item (code, pinyin initials or name):"));
	lw = text_width(label);
	term_put(w, 0, 0, lw, TERM_HEADER, 0, label);
	term_put(w, 0, lw, cols - lw, TERM_INPUT, TEXT_PAD, p->query);
	ui_screen_cursor(s, 0, lw + text_width(p->query) < cols ? lw + text_width(p->query) : cols - 1);
	term_put(w, 1, 0, cols, TERM_DIM, TEXT_PAD,
	         _("Only the items your windows serve.  Enter: receive for the item selected; Esc: back."));
	list_set_empty_text(p->l, *p->error ? p->error : p->rows ? _("No item of your windows matches.") : _("Loading..."));
	list_draw(p->l, w, 2, 0, lines - 2, cols);
}

static int pick_open(ui_screen *s)
{
	itempick *p = s->data;

	p->l = list_new(pick_cols, PC_N, &pick_source, p);
	ui_screen_title(s, _("Receive (收件): which item?"));
	search(p);
	return 0;
}

static void pick_close(ui_screen *s)
{
	itempick *p = s->data;

	if (!p)
		return;
	if (app_db())
		db_session_forget(app_db(), p);
	db_rows_free(p->rows);
	list_free(p->l);
	free(p);
	s->data = NULL;
}

const ui_screen_ops itempick_ops = {
	.name = "itempick",
	.flags = UI_SCREEN_TEXT_INPUT,
	.keybar = pick_keybar,
	.commands = pick_commands,
	.open = pick_open,
	.draw = pick_draw,
	.key = pick_key,
	.close = pick_close,
};

void *itempick_new(void)
{
	return x_calloc(1, sizeof(itempick));
}
