/* screens/queue.c - 待办: the open cases of the clerk's windows, most
 * urgent first.
 *
 * Rows come in keyset pages of hall.v_queue (never OFFSET, never all): the
 * list asks for the next page as the selection nears the end, Up or PgUp
 * on the first row fetches the page before.  At most QUEUE_MAX_PAGES are
 * held; the farthest one is dropped, so paging through a million cases
 * uses the memory of a few pages.
 *
 * Live updates: NOTIFY hall_queue for one of our windows reloads what is
 * held (from the first held row, or from the top when we are there), at
 * most a few times a second; the list keeps the cursor on the same case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/cases.h"
#include "db/supervise.h"
#include "screens/app.h"
#include "screens/bench.h"
#include "screens/screens.h"
#include "screens/window.h"
#include "ui/dialog.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

#define QUEUE_PAGE 30          /* rows per page at least (more on a tall terminal) */
#define SEARCH_LIMIT 100       /* rows a search or a closed/overdue filter shows */
#define QUEUE_MAX_PAGES 4      /* pages held at once */

typedef enum load_kind {
	LOAD_NONE,
	LOAD_REPLACE, /* first page, a reload, Home, End, a new filter */
	LOAD_APPEND,  /* the page after the last row */
	LOAD_PREPEND, /* the page before the first row */
} load_kind;

typedef struct queue {
	list *list;
	case_page *pages[QUEUE_MAX_PAGES + 1];
	int npages;
	case_row *rows;      /* the held pages' rows, flattened (pointers into pages) */
	size_t nrows;
	int at_top;          /* rows[0] is the first case of the queue */
	int more_after;

	load_kind loading;   /* a page request on the wire */
	int then_cmd;        /* a move to repeat once a prepended page is in */
	int then_open;       /* Enter came while a new first page was on its way */
	int select_last;     /* after LOAD_REPLACE: select the last row (End) */
	int reload_wanted;
	unsigned reload_timer;
	long long last_reload_ms;
	int visible;         /* rows the list shows (from the last draw) */

	case_counts *counts;
	db_rows *cards;         /* my open red and yellow cards: one row */
	case_items *items;   /* for the filter */

	/* Filters. */
	char *state;         /* NULL: every open state */
	int item_id;
	char *item_name;
	char *search;
	char *finding;       /* a whole case number being looked up in every state */
	int mine;
	int search_more;     /* a search found more than SEARCH_LIMIT */
	long long claiming;  /* n: the case being claimed */
	case_page *next;     /* n: the case it would claim, being confirmed */

	window_panel *win;   /* the window's status line and its ticket keys */
	char error[512];
	int first_shown;     /* for --bench */
	/* The first page first: what the screen can do without (the page
	 * after it, the counts, the filter's items, the first case's reads)
	 * waits until the first page has been painted (first_painted). */
	int first_drawn;
	unsigned first_timer;
	int more_held;       /* the list asked for the next page meanwhile */
	int bench_pgdn;
} queue;

/* Enter opens a case on every list: the bar leaves it to the help, for
 * 收件 (a) to fit in 80 columns. */
static const int queue_keybar[] = { CMD_CLAIM_NEXT, WINDOW_KEYBAR, CMD_CLAIM, CMD_RECEIVE, CMD_SEARCH,
                                    CMD_INQUIRIES, CMD_RATINGS, CMD_BACK, CMD_QUIT, CMD_NONE };
static const int queue_commands[] = { CMD_OPEN, CMD_FILTER, CMD_QUEUE, CMD_REFRESH, WINDOW_MORE, CMD_NONE };

enum { COL_CASE, COL_ITEM, COL_APPLICANT, COL_CHANNEL, COL_STATE, COL_DAYS, COL_CLAIMED, NCOLS };

static const list_column queue_cols[NCOLS] = {
	[COL_CASE] = { N_("Case no."), 12, 12, 0, LIST_LEFT }, /* never cut: 250930-10000 too */
	[COL_ITEM] = { N_("Service item"), 10, 0, 1, LIST_LEFT },
	/* Company names are long and the counter asks by them: spare width goes
	 * to the applicant first. */
	[COL_APPLICANT] = { N_("Applicant"), 8, 22, 50, LIST_LEFT },
	[COL_CHANNEL] = { N_("Channel"), 6, 6, 0, LIST_LEFT },
	[COL_STATE] = { N_("State"), 8, 10, 0, LIST_LEFT },
	/* Working days left to finish (办结剩余); a case not yet accepted
	 * counts to its acceptance deadline instead, and says so (受理). */
	[COL_DAYS] = { N_("Days to finish"), 10, 10, 0, LIST_RIGHT },
	[COL_CLAIMED] = { N_("Claimed by"), 6, 10, 1, LIST_LEFT },
};

/* ------------------------------------------------------------- the rows */

static const char *queue_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[32];
	queue *q = ctx;
	const case_row *c;

	if (row >= q->nrows)
		return NULL;
	c = &q->rows[row];
	switch (col) {
	case COL_CASE:
		return c->case_no;
	case COL_ITEM:
		return c->item_name;
	case COL_APPLICANT:
		return c->applicant_name;
	case COL_CHANNEL:
		return app_channel_name(c->channel);
	case COL_STATE:
		if (c->completed_late) {
			*role = TERM_OVERDUE;
			return _("Completed late");
		}
		if (strcmp(c->state, "escalated") == 0 || strcmp(c->state, "returned") == 0 ||
		    strcmp(c->urgency, "closed") == 0)
			*role = TERM_DIM;
		return app_state_name(c->state);
	case COL_DAYS:
		if (strcmp(c->urgency, "closed") == 0) {
			*role = TERM_DIM;
			return _("closed");
		}
		if (c->returned_overdue) {
			/* Paused by the return, but it was late already. */
			*role = TERM_OVERDUE;
			snprintf(buf, sizeof buf, "!!%s", _("paused"));
			return buf;
		}
		if (strcmp(c->state, "submitted") == 0) {
			char days[16];

			app_days_cell(days, sizeof days, c->has_days_left, c->days_left, c->urgency, role);
			snprintf(buf, sizeof buf, "%s %s", _("accept"), days);
			return buf;
		}
		return app_days_cell(buf, sizeof buf, c->has_days_left, c->days_left, c->urgency, role);
	case COL_CLAIMED:
		return c->claimed_name;
	default:
		return NULL;
	}
}

static int64_t queue_row_id(void *ctx, size_t row)
{
	queue *q = ctx;

	return row < q->nrows ? (int64_t)q->rows[row].id : -1;
}

static void load_page(queue *q, load_kind kind, cases_dir dir, const case_row *key, int limit);

/* A search, or the closed or overdue cases: matches in any state. */
static int search_mode(const queue *q)
{
	return q->search || (q->state && (strcmp(q->state, "closed") == 0 || strcmp(q->state, "overdue") == 0));
}

static void queue_need_more(void *ctx)
{
	queue *q = ctx;

	if (!q->first_drawn && q->nrows) {
		q->more_held = 1;
		return;
	}
	if (q->loading != LOAD_NONE || !q->nrows || !q->more_after) {
		/* The list waits for list_set_rows(); give it one. */
		if (q->loading == LOAD_NONE)
			list_set_rows(q->list, q->nrows);
		return;
	}
	load_page(q, LOAD_APPEND, CASES_AFTER, &q->rows[q->nrows - 1], QUEUE_PAGE);
}

static const list_source queue_source = { queue_cell, queue_row_id, queue_need_more };

static int page_size(const queue *q)
{
	return q->visible > QUEUE_PAGE ? q->visible : QUEUE_PAGE;
}

/* Rebuild the flat row array from the held pages. */
static void flatten(queue *q)
{
	size_t n = 0, k = 0;

	for (int i = 0; i < q->npages; i++)
		n += (size_t)q->pages[i]->n;
	free(q->rows);
	q->rows = x_calloc(n ? n : 1, sizeof *q->rows);
	for (int i = 0; i < q->npages; i++)
		for (int j = 0; j < q->pages[i]->n; j++)
			q->rows[k++] = q->pages[i]->rows[j];
	q->nrows = n;
}

static void drop_pages(queue *q)
{
	for (int i = 0; i < q->npages; i++)
		case_page_free(q->pages[i]);
	q->npages = 0;
}

/* ----------------------------------------------------------- loading */

static void counts_loaded(void *ctx, case_counts *c, const db_reply *reply)
{
	queue *q = ctx;

	(void)reply; /* the header simply keeps the old counts */
	if (!c)
		return;
	case_counts_free(q->counts);
	q->counts = c;
	ui_redraw();
}

static void cards_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	queue *q = ctx;

	(void)reply; /* as the counts: the header keeps the old figures */
	if (!rows)
		return;
	db_rows_free(q->cards);
	q->cards = rows;
	ui_redraw();
}

static void load_counts(queue *q)
{
	const staff_me *me = app_me();

	if (!app_online())
		return;
	cases_counts(app_db(), me->windows, me->nwindows, 1, counts_loaded, q);
	/* Cards are issued by the database's scheduler, with no NOTIFY of
	 * their own: they are read whenever the counts are. */
	sup_my_cards(app_db(), cards_loaded, q);
}

static void schedule_reload(queue *q);

static const case_row *selected_row(const queue *q)
{
	size_t sel = list_selected(q->list);

	return sel != LIST_NONE && sel < q->nrows ? &q->rows[sel] : NULL;
}

static void page_loaded(void *ctx, case_page *p, const db_reply *reply)
{
	queue *q = ctx;
	load_kind kind = q->loading;
	int then = q->then_cmd;

	int then_open = q->then_open;

	q->loading = LOAD_NONE;
	q->then_cmd = CMD_NONE;
	q->then_open = 0;
	if (!p) {
		/* Keep what is shown; say why nothing new came. */
		app_refusal_text(reply, q->error, sizeof q->error);
		if (reply->status == DB_FAILED)
			app_show_error(_("Loading the queue"), reply);
		list_set_rows(q->list, q->nrows);
		ui_redraw();
		return;
	}
	q->error[0] = '\0';
	switch (kind) {
	case LOAD_REPLACE:
		drop_pages(q);
		q->pages[q->npages++] = p;
		q->more_after = p->more;
		q->search_more = 0;
		if (search_mode(q)) {
			/* The matches are all there is: no next page to fetch. */
			q->search_more = p->more;
			q->more_after = 0;
		}
		break;
	case LOAD_APPEND:
		q->pages[q->npages++] = p;
		q->more_after = p->more;
		if (q->npages > QUEUE_MAX_PAGES) {
			case_page_free(q->pages[0]);
			memmove(q->pages, q->pages + 1, (size_t)(q->npages - 1) * sizeof q->pages[0]);
			q->npages--;
			q->at_top = 0;
		}
		break;
	case LOAD_PREPEND:
		memmove(q->pages + 1, q->pages, (size_t)q->npages * sizeof q->pages[0]);
		q->pages[0] = p;
		q->npages++;
		q->at_top = !p->more;
		if (q->npages > QUEUE_MAX_PAGES) {
			case_page_free(q->pages[q->npages - 1]);
			q->npages--;
			q->more_after = 1;
		}
		break;
	case LOAD_NONE:
		case_page_free(p);
		return;
	}
	flatten(q);
	list_set_more(q->list, q->more_after);
	list_set_rows(q->list, q->nrows);
	if (kind == LOAD_REPLACE && q->select_last && q->nrows)
		list_select(q->list, q->nrows - 1);
	q->select_last = 0;
	if (then != CMD_NONE) {
		ui_event ev = { 0 };
		list_key(q->list, then, &ev);
	}
	if (then_open) {
		const case_row *c = selected_row(q);

		if (c)
			case_push(c->id);
	}
	if (bench_on() && kind == LOAD_APPEND)
		bench_mark("page_loaded", NULL);
	ui_redraw();
	if (q->reload_wanted)
		schedule_reload(q);
}

static void load_page(queue *q, load_kind kind, cases_dir dir, const case_row *key, int limit)
{
	const staff_me *me = app_me();
	case_query cq = {
		.windows = me->windows,
		.nwindows = me->nwindows,
		.state = q->state,
		.item_id = q->item_id,
		.mine = q->mine,
		.dir = dir,
		.key_due = key ? key->sort_due : NULL,
		.key_id = key ? key->id : 0,
		.key_rank = key ? key->queue_rank : -1,
		.limit = limit,
	};

	if (q->loading != LOAD_NONE || !app_online())
		return;
	if (search_mode(q)) {
		/* One list of matches in any state, not pages of the queue. */
		if (kind == LOAD_REPLACE &&
		    cases_search(app_db(), me->windows, me->nwindows, q->search ? q->search : "", q->state, SEARCH_LIMIT,
		                 page_loaded, q) == 0)
			q->loading = kind;
		return;
	}
	if (cases_queue(app_db(), &cq, page_loaded, q) == 0)
		q->loading = kind;
}

/* Reload what is held, keeping the cursor's case. */
static void reload(queue *q)
{
	int limit = (int)q->nrows;

	q->reload_wanted = 0;
	q->last_reload_ms = loop_now_ms();
	if (limit < page_size(q))
		limit = page_size(q);
	if (limit > 200)
		limit = 200;
	if (q->at_top || !q->nrows)
		load_page(q, LOAD_REPLACE, CASES_FIRST, NULL, limit);
	else
		load_page(q, LOAD_REPLACE, CASES_FROM, &q->rows[0], limit);
	load_counts(q);
}

static void reload_timer_fired(void *ctx)
{
	queue *q = ctx;

	q->reload_timer = 0;
	if (q->loading != LOAD_NONE) {
		q->reload_wanted = 1; /* page_loaded() comes back here */
		return;
	}
	reload(q);
}

static void schedule_reload(queue *q)
{
	long long wait = q->last_reload_ms + app_refresh_ms() - loop_now_ms();

	q->reload_wanted = 1;
	if (q->reload_timer)
		return;
	q->reload_timer = loop_timer(wait > 0 ? (int)wait : 0, 0, reload_timer_fired, q);
}

static void queue_notified(void *ctx, const char *window)
{
	queue *q = ctx;
	const staff_me *me = app_me();
	int ours = !*window;

	for (int i = 0; !ours && i < me->nwindows; i++)
		ours = strcmp(me->windows[i], window) == 0;
	if (ours)
		schedule_reload(q);
}

static void queue_db_state(void *ctx, db_state st)
{
	queue *q = ctx;

	if (st == DB_READY) {
		/* Back after a loss: whatever was on the wire is gone. */
		q->loading = LOAD_NONE;
		reload(q);
	}
	ui_redraw();
}

static void restart(queue *q)
{
	q->at_top = 1;
	q->loading = LOAD_NONE;
	if (app_db())
		db_session_forget(app_db(), q);
	drop_pages(q);
	flatten(q);
	list_set_more(q->list, 0);
	list_set_rows(q->list, 0);
	load_page(q, LOAD_REPLACE, CASES_FIRST, NULL, page_size(q));
	load_counts(q);
}

/* ------------------------------------------------------------- actions */

static void claim_next_done(void *ctx, const db_reply *reply);

/* n: name the case first, then claim that one. */
static void confirm_next(void *ctx)
{
	queue *q = ctx;
	case_page *p = q->next;
	const case_row *c;
	char *question;
	long long id;
	int yes;

	q->next = NULL;
	if (!p)
		return;
	if (p->n == 0) {
		ui_status(UI_INFO, "%s", _("No unclaimed case is waiting at your windows."));
		case_page_free(p);
		return;
	}
	c = &p->rows[0];
	id = c->id;
	question = x_asprintf(_("Claim %s, %s for %s (window %s)? It becomes yours to handle."), c->case_no,
	                      c->item_name, c->applicant_name, c->window_code);
	yes = dialog_confirm(_("Claim the next case"), question);
	free(question);
	case_page_free(p);
	if (!yes) {
		ui_status(UI_INFO, "%s", _("Not claimed."));
		return;
	}
	if (app_require_online()) {
		q->claiming = id;
		cases_claim(app_db(), id, claim_next_done, q);
	}
}

static void next_peeked(void *ctx, case_page *p, const db_reply *reply)
{
	queue *q = ctx;

	if (!p) {
		app_show_error(_("Claiming the next case"), reply);
		return;
	}
	case_page_free(q->next);
	q->next = p;
	/* The question is a dialog: not from inside a database callback. */
	loop_timer(0, 0, confirm_next, q);
}

static void claim_next_done(void *ctx, const db_reply *reply)
{
	queue *q = ctx;
	long long id = q->claiming;

	q->claiming = 0;
	if (reply->status == DB_FAILED && strcmp(reply->sqlstate, "55000") == 0) {
		ui_status(UI_WARN, "%s", _("Someone claimed that case a moment ago; press n for the next one."));
		reload(q);
		return;
	}
	if (reply->status != DB_OK) {
		app_show_error(_("Claiming the next case"), reply);
		return;
	}
	ui_status(UI_OK, "%s", _("Claimed; it is yours to handle."));
	case_push(id);
}

/* "250930-0042": six digits, a dash, four or more digits. */
static int is_case_no(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 11 || s[6] != '-')
		return 0;
	for (i = 0; i < n; i++)
		if (i != 6 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

static void find_no_done(void *ctx, long long id, const db_reply *reply)
{
	queue *q = ctx;
	char *no = q->finding;

	q->finding = NULL;
	if (reply->status != DB_OK) {
		app_show_error(_("Looking up the case"), reply);
		free(no);
		return;
	}
	if (id) {
		case_push(id);
		window_offer_link(id, no);
		free(no);
		return;
	}
	/* Not one of ours in any state: show it as a search that finds nothing,
	 * so the clerk sees what was looked for. */
	ui_status(UI_INFO, _("No case %s at your windows."), no);
	free(q->search);
	q->search = no;
	restart(q);
}


static void claim_done(void *ctx, const db_reply *reply)
{
	(void)ctx;
	if (reply->status != DB_OK) {
		app_show_error(_("Claim"), reply);
		return;
	}
	ui_status(UI_OK, "%s", _("Case claimed."));
}

/* 'f': state (the open ones, the overdue ones, the closed ones, mine),
 * then item. */
static void choose_filter(queue *q)
{
	static const char *const codes[] = { NULL, "submitted", "in_review", "returned", "escalated", "overdue",
	                                      "closed", "mine" };
	const char *items[8];
	long pick;

	items[0] = _("All open cases");
	for (int i = 1; i < 5; i++)
		items[i] = app_state_name(codes[i]);
	items[5] = _("Overdue (超期)");
	items[6] = _("Closed: completed, rejected, withdrawn, terminated (已办结)");
	items[7] = _("Claimed by me");
	pick = dialog_choose(_("Filter by state"), items, 8, 0);
	if (pick < 0)
		return;
	free(q->state);
	q->state = pick >= 1 && pick <= 6 ? x_strdup(codes[pick]) : NULL;
	q->mine = pick == 7;
	q->item_id = 0;
	free(q->item_name);
	q->item_name = NULL;
	/* Then one of the items the windows serve (loaded when the queue
	 * opened: a dialog must not wait on the database); the queue's pages
	 * only: a search lists every item. */
	if (q->items && q->items->n > 0 && !search_mode(q)) {
		const char **names = x_calloc((size_t)q->items->n + 1, sizeof *names);
		names[0] = _("All service items");
		for (int i = 0; i < q->items->n; i++)
			names[i + 1] = q->items->rows[i].name;
		pick = dialog_choose(_("Filter by service item"), names, (size_t)q->items->n + 1, 0);
		if (pick >= 1) {
			q->item_id = q->items->rows[pick - 1].id;
			q->item_name = x_strdup(q->items->rows[pick - 1].name);
		}
		free(names);
	}
	restart(q);
}

static int filtered(const queue *q)
{
	return q->state || q->mine || q->search || q->item_id;
}

static void clear_filters(queue *q)
{
	free(q->state);
	free(q->search);
	free(q->item_name);
	q->state = q->search = q->item_name = NULL;
	q->item_id = 0;
	q->mine = 0;
	restart(q);
}

static void items_loaded(void *ctx, case_items *it, const db_reply *reply)
{
	queue *q = ctx;

	(void)reply; /* without the list the filter offers states only */
	case_items_free(q->items);
	q->items = it;
}

static int queue_key(ui_screen *s, int cmd, const ui_event *ev)
{
	queue *q = s->data;
	const case_row *c;
	int r = window_panel_key(q->win, cmd);

	if (r != UI_UNHANDLED)
		return r;
	switch (cmd) {
	case CMD_QUEUE:
		return UI_HANDLED;
	case CMD_INQUIRIES:
	case CMD_RATINGS:
		return app_goto(cmd);
	case CMD_BACK:
		/* Esc first clears a search or a filter. */
		if (filtered(q)) {
			clear_filters(q);
			ui_status(UI_INFO, "%s", _("Search and filter cleared: the whole queue."));
			return UI_REDRAW;
		}
		/* The queue is the clerk's home: leaving is F10, not a stray Esc. */
		if (ui_depth() <= 1) {
			ui_status(UI_INFO, "%s", _("This is your queue. F10 quits hallterm."));
			return UI_REDRAW;
		}
		return UI_UNHANDLED;
	case CMD_REFRESH:
		if (!app_require_online())
			return UI_REDRAW;
		reload(q);
		return UI_UNHANDLED; /* the loop also repaints from scratch */
	case CMD_SEARCH: {
		char *text = dialog_prompt(_("Search every case, closed ones too"),
		                           _("Case number, part of the applicant's name, or the full ID number:"),
		                           q->search, 64, 0);
		if (!text)
			return UI_REDRAW;
		if (is_case_no(text) && app_require_online()) {
			/* A whole number opens that case, closed ones too. */
			free(q->finding);
			q->finding = text;
			cases_find_no(app_db(), text, find_no_done, q);
			return UI_REDRAW;
		}
		free(q->search);
		q->search = *text ? text : NULL;
		if (!*text)
			free(text);
		restart(q);
		return UI_REDRAW;
	}
	case CMD_FILTER:
		choose_filter(q);
		return UI_REDRAW;
	case CMD_RECEIVE:
		if (app_require_online())
			ui_push(&itempick_ops, itempick_new());
		return UI_REDRAW;
	case CMD_CLAIM_NEXT:
		if (!app_require_online())
			return UI_REDRAW;
		if (app_me()->nwindows == 0) {
			ui_status(UI_WARN, "%s", _("You serve no window: nothing to claim."));
			return UI_REDRAW;
		}
		cases_peek_next(app_db(), app_me()->windows, app_me()->nwindows, next_peeked, q);
		return UI_REDRAW;
	case CMD_CLAIM:
		c = selected_row(q);
		if (!c || !app_require_online())
			return UI_REDRAW;
		cases_claim(app_db(), c->id, claim_done, q);
		return UI_REDRAW;
	case CMD_OPEN:
		c = selected_row(q);
		if (!c && q->loading == LOAD_REPLACE && q->nrows == 0) {
			/* A search or filter has just emptied the list and its first
			 * page is on the way: a clerk who presses Enter at once
			 * means its first case, not nothing. */
			q->then_open = 1;
			return UI_HANDLED;
		}
		if (!c)
			return UI_HANDLED;
		bench_mark("case_key", c->case_no);
		case_push(c->id);
		return UI_REDRAW;
	case CMD_UP:
	case CMD_PGUP:
		if (list_selected(q->list) == 0 && !q->at_top && q->nrows) {
			if (q->loading == LOAD_NONE) {
				q->then_cmd = cmd;
				load_page(q, LOAD_PREPEND, CASES_BEFORE, &q->rows[0], QUEUE_PAGE);
			}
			return UI_REDRAW;
		}
		break;
	case CMD_HOME:
		if (!q->at_top) {
			load_page(q, LOAD_REPLACE, CASES_FIRST, NULL, page_size(q));
			q->at_top = 1;
			list_select(q->list, 0);
			return UI_REDRAW;
		}
		break;
	case CMD_END:
		if (q->more_after) {
			q->select_last = 1;
			q->at_top = 0;
			load_page(q, LOAD_REPLACE, CASES_LAST, NULL, page_size(q));
			return UI_REDRAW;
		}
		break;
	case CMD_PGDN:
		if (bench_on())
			bench_mark("pgdn_key", NULL);
		break;
	default:
		break;
	}
	r = list_key(q->list, cmd, ev);
	if (r == LIST_ACTIVATE && (c = selected_row(q)) != NULL) {
		case_push(c->id);
		return UI_REDRAW;
	}
	return r == LIST_IGNORED ? UI_UNHANDLED : UI_REDRAW;
}

/* ------------------------------------------------------------- drawing */

static void draw_header(queue *q, WINDOW *w, int y, int cols)
{
	char buf[512];
	size_t n = 0;
	long long overdue = 0, warning = 0;

	buf[0] = '\0';
	if (q->counts) {
		for (int i = 0; i < q->counts->n; i++) {
			const case_count *c = &q->counts->rows[i];
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s %lld", i ? "  " : "",
			                      app_state_name(c->state), c->cases);
			overdue += c->overdue;
			warning += c->warning;
			if (n >= sizeof buf)
				break;
		}
	}
	term_put(w, y, 0, cols, TERM_NORMAL, TEXT_PAD, buf);
	if (q->counts) {
		char tail[128];
		int role = overdue ? TERM_OVERDUE : warning ? TERM_WARN : TERM_OK;
		snprintf(tail, sizeof tail, _("!! overdue %lld  ! due soon %lld"), overdue, warning);
		int tw = text_width(tail);
		if (tw < cols)
			term_put(w, y, cols - tw, tw, role, 0, tail);
	}
	/* The filters in force, so an empty list is never a mystery. */
	buf[0] = '\0';
	n = 0;
	if (q->state || q->mine || q->search || q->item_id) {
		n += (size_t)snprintf(buf, sizeof buf, "%s", _("Showing:"));
		if (q->state)
			n += (size_t)snprintf(buf + n, sizeof buf - n, " %s",
			                      strcmp(q->state, "overdue") == 0 ? _("overdue")
			                      : strcmp(q->state, "closed") == 0 ? _("closed cases") : app_state_name(q->state));
		if (q->mine && n < sizeof buf)
			n += (size_t)snprintf(buf + n, sizeof buf - n, " %s", _("claimed by me"));
		if (q->item_name && n < sizeof buf)
			n += (size_t)snprintf(buf + n, sizeof buf - n, " %s", q->item_name);
		if (q->search && n < sizeof buf) {
			/* A full ID number typed stays off the screen: it shows masked. */
			char *masked = text_mask_id(q->search);

			n += (size_t)snprintf(buf + n, sizeof buf - n, " %s \"%s\"", _("matching"),
			                      strlen(q->search) >= 15 && strspn(q->search, "0123456789Xx") == strlen(q->search)
			                          ? masked : q->search);
			free(masked);
		}
		if (search_mode(q) && n < sizeof buf)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "  %s", _("(every state; Esc clears)"));
		if (q->search_more && n < sizeof buf)
			snprintf(buf + n, sizeof buf - n, "  %s", _("- only the first 100: type more to narrow it"));
	}
	term_put(w, y + 1, 0, cols, TERM_DIM, TEXT_PAD, buf);
	/* My open red and yellow cards (红黄牌), at the right end. */
	if (q->cards && q->cards->nrows == 1) {
		long long red = db_rows_ll(q->cards, 0, 0), yellow = db_rows_ll(q->cards, 0, 1);
		char tail[128];
		snprintf(tail, sizeof tail, _("cards: red %lld  yellow %lld"), red, yellow);
		int tw = text_width(tail);
		if (tw < cols - text_width(buf) - 2)
			term_put(w, y + 1, cols - tw, tw, red ? TERM_OVERDUE : yellow ? TERM_WARN : TERM_DIM, 0, tail);
	}
}

/* The first page is on the terminal: now the rest.  Sent before, these
 * reads (the next page's first plan, the counts) kept the server busy
 * while the terminal drew the first screen, and on a small machine that
 * is the same CPUs (doc/performance.md, P3). */
static void first_painted(void *ctx)
{
	queue *q = ctx;

	q->first_timer = 0;
	if (q->nrows)
		cases_warm(app_db(), q->rows[0].id);
	if (q->more_held) {
		q->more_held = 0;
		queue_need_more(q);
	}
	load_counts(q);
	if (app_online())
		cases_items(app_db(), app_me()->windows, app_me()->nwindows, items_loaded, q);
}

static void queue_draw(ui_screen *s, WINDOW *w)
{
	queue *q = s->data;
	int lines, cols, top;

	getmaxyx(w, lines, cols);
	werase(w);
	top = window_panel_draw(q->win, w, 0, cols);
	draw_header(q, w, top, cols);
	q->visible = lines - 3 - top;
	if (q->nrows == 0) {
		if (q->loading != LOAD_NONE)
			list_set_empty_text(q->list, _("Loading..."));
		else if (q->error[0])
			list_set_empty_text(q->list, q->error);
		else if (q->state || q->search || q->mine || q->item_id)
			list_set_empty_text(q->list, _("No case matches. Press f to change the filter, / to search again."));
		else
			list_set_empty_text(q->list, _("No open cases at your windows."));
	}
	list_draw(q->list, w, 2 + top, 0, lines - 2 - top, cols);
	/* A timer fires after this paint has reached the terminal. */
	if (!q->first_drawn && q->loading == LOAD_NONE) {
		q->first_drawn = 1;
		q->first_timer = loop_timer(0, 0, first_painted, q);
	}
	/* The first screen is full once rows are drawn. */
	if (!q->first_shown && q->nrows) {
		q->first_shown = 1;
		bench_mark("first_queue", NULL);
	} else if (bench_on()) {
		char sel[32];
		size_t i = list_selected(q->list);
		snprintf(sel, sizeof sel, "%s", i != LIST_NONE && i < q->nrows ? q->rows[i].case_no : "-");
		bench_mark("queue_drawn", sel);
	}
}

static void queue_resize(ui_screen *s, int lines, int cols)
{
	queue *q = s->data;

	(void)cols;
	q->visible = lines - 3;
	/* A taller terminal may show more than is held: fetch more. */
	if (q->nrows && (int)q->nrows < q->visible && q->more_after && q->loading == LOAD_NONE)
		load_page(q, LOAD_APPEND, CASES_AFTER, &q->rows[q->nrows - 1], QUEUE_PAGE);
}

static void queue_focus(ui_screen *s, int focused)
{
	queue *q = s->data;

	/* Back from a case: it may have changed; the NOTIFY may already have
	 * reloaded, a second reload is cheap and certain. */
	if (focused && q->first_shown)
		schedule_reload(q);
	if (focused)
		window_panel_reload(q->win);
}

static int queue_open(ui_screen *s)
{
	queue *q = s->data;

	q->at_top = 1;
	q->list = list_new(queue_cols, NCOLS, &queue_source, q);
	ui_screen_title(s, _("Queue (待办)"));
	if (app_is_clerk())
		q->win = window_panel_new();
	cases_listen(app_db(), queue_notified, q);
	app_watch_db(queue_db_state, q);
	bench_mark("queue_open", NULL);
	/* The first page fills the screen: on a tall terminal a page of
	 * QUEUE_PAGE left its last rows to a second query (6 ms later at
	 * 160x45).  The body's size comes with resize, after open; the
	 * terminal's lines, less the title, key bar and header (and no
	 * window panel), are the most it can show. */
	q->visible = LINES > 0 ? LINES - 4 - 3 : 0;
	load_page(q, LOAD_REPLACE, CASES_FIRST, NULL, page_size(q));
	return 0;
}

static void queue_close(ui_screen *s)
{
	queue *q = s->data;

	if (!q)
		return;
	if (app_db()) {
		db_session_forget(app_db(), q);
		cases_unlisten(app_db(), q);
	}
	app_unwatch_db(q);
	window_panel_free(q->win);
	loop_timer_cancel(q->reload_timer);
	loop_timer_cancel(q->first_timer);
	drop_pages(q);
	free(q->rows);
	case_counts_free(q->counts);
	db_rows_free(q->cards);
	case_items_free(q->items);
	list_free(q->list);
	free(q->state);
	free(q->item_name);
	free(q->search);
	free(q->finding);
	case_page_free(q->next);
	free(q);
	s->data = NULL;
}

/* Claiming is a clerk's; c only on a case waiting to be claimed; Esc only
 * when there is something to clear or a screen to go back to. */
static int queue_available(ui_screen *s, int cmd)
{
	const queue *q = s->data;
	const case_row *c;
	int mine = window_panel_available(q ? q->win : NULL, cmd);

	if (mine >= 0)
		return mine;
	switch (cmd) {
	case CMD_CLAIM_NEXT:
	case CMD_RECEIVE:
		return app_is_clerk();
	case CMD_CLAIM:
		c = q ? selected_row(q) : NULL;
		return app_is_clerk() && c && strcmp(c->state, "submitted") == 0 && !*c->claimed_login;
	case CMD_BACK:
		return q && (filtered(q) || ui_depth() > 1);
	default:
		return 1;
	}
}

const ui_screen_ops queue_ops = {
	.name = "queue",
	.flags = 0,
	.keybar = queue_keybar,
	.commands = queue_commands,
	.available = queue_available,
	.open = queue_open,
	.draw = queue_draw,
	.key = queue_key,
	.resize = queue_resize,
	.focus = queue_focus,
	.close = queue_close,
};

void *queue_new(void)
{
	return x_calloc(1, sizeof(queue));
}
