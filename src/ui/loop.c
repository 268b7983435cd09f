/* loop.c - the one poll() loop, the screen stack and the one repaint.
 *
 * Handlers (keys, descriptors, timers) only change state and ask for a
 * repaint; paint() is the only place that draws the shared lines and calls
 * the screens' draw(), and it ends in a single doupdate().
 *
 * Nested loops (ui_modal) run the same iterate() as ui_run, so dialogs
 * don't freeze database traffic or the draft autosave.  Because a callback
 * may start a nested loop, nothing here frees a screen, a watch or a timer
 * while a callback that might refer to it is still running: removals are
 * marked and swept when no callback is on the stack.
 */
#include "ui/loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "ui/dialog.h"
#include "ui/help.h"
#include "ui/term.h"

/* INFO and OK messages go away by themselves after this long. */
#define STATUS_TIMEOUT_MS 5000
/* Two presses of button 1 on the same line within this long are a double
 * click (we detect it ourselves so a single click is not delayed). */
#define DOUBLE_CLICK_MS 400

typedef struct node {
	ui_screen pub;     /* first: a ui_screen * is a node * */
	char *title;
	int cursor_y, cursor_x;
	int closing;       /* pop requested: close at the next sweep */
	int busy;          /* a handler of this screen is running */
	int modal;         /* pushed by ui_modal: it frees the node */
	int removed;       /* closed and off the stack (modal nodes only) */
} node;

typedef struct watch {
	unsigned id;   /* a reused fd number (reconnect) gets a new id */
	int fd;
	short events;
	loop_fd_cb cb;
	void *ctx;
	int removed;
} watch;

typedef struct timer {
	unsigned id;
	long long due;
	int interval; /* ms; 0 = one-shot */
	loop_timer_cb cb;
	void *ctx;
	int removed;
} timer;

static struct {
	node **stack;
	size_t depth, cap;

	watch *watches;
	size_t nwatches, capwatches;
	timer *timers;
	size_t ntimers, captimers;
	unsigned next_timer_id;
	unsigned next_watch_id;

	int callbacks;    /* callbacks now running (nested loops count) */
	int need_paint;
	int clear_all;
	int quit;
	int exit_signal;
	int running;

	WINDOW *title_w, *banner_w, *body_w, *status_w, *keybar_w;
	int body_lines, body_cols, body_top;

	char *banner;
	char *title_right;
	char *status;
	enum ui_status_kind status_kind;
	long long status_expires; /* 0 = stays */

	/* key bar hit boxes for mouse clicks */
	struct keybar_hit {
		int cmd, x0, x1;
	} *hits;
	size_t nhits, caphits;
	int keybar_more;  /* not every key fitted: F1 reads "More" */

	int in_help;      /* no help on the help screen */
	int interrupts;   /* Ctrl-C pressed, not yet asked about */
	int asking_quit;  /* the "leave hallterm?" question is open */
	long long last_click_ms;
	int last_click_y, last_click_x;
} L = { .next_timer_id = 1 };

/* --- small helpers ------------------------------------------------------ */

static int listed(const int *cmds, int cmd)
{
	for (; cmds && *cmds != CMD_NONE; cmds++)
		if (*cmds == cmd)
			return 1;
	return 0;
}

long long loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	*cap = n;
	return x_realloc(p, n * size);
}

static void set_string(char **dst, const char *src)
{
	free(*dst);
	*dst = src && *src ? x_strdup(src) : NULL;
}

static node *as_node(ui_screen *s)
{
	return (node *)s;
}

/* --- screen stack --------------------------------------------------------- */

static node *top_node(void)
{
	size_t i;

	/* A screen being closed no longer counts as the top. */
	for (i = L.depth; i > 0; i--)
		if (!L.stack[i - 1]->closing)
			return L.stack[i - 1];
	return NULL;
}

ui_screen *ui_top(void)
{
	node *n = top_node();

	return n ? &n->pub : NULL;
}

size_t ui_depth(void)
{
	size_t i, n = 0;

	for (i = 0; i < L.depth; i++)
		if (!L.stack[i]->closing)
			n++;
	return n;
}

static void call_focus(node *n, int focused)
{
	if (!n || !n->pub.ops->focus)
		return;
	n->busy++;
	L.callbacks++;
	n->pub.ops->focus(&n->pub, focused);
	L.callbacks--;
	n->busy--;
}

static void call_resize(node *n)
{
	if (!n || !n->pub.ops->resize || !L.body_w)
		return;
	n->busy++;
	L.callbacks++;
	n->pub.ops->resize(&n->pub, L.body_lines, L.body_cols);
	L.callbacks--;
	n->busy--;
}

static void call_close(node *n)
{
	if (n->pub.ops->close) {
		L.callbacks++;
		n->pub.ops->close(&n->pub);
		L.callbacks--;
	}
}

static void free_node(node *n)
{
	free(n->title);
	free(n);
}

/* notify_below: tell the screen now covered that it lost the focus (not
 * when it is being replaced and is closing anyway). */
static node *push_node(const ui_screen_ops *ops, void *data, int modal, int notify_below)
{
	node *below = notify_below ? top_node() : NULL;
	node *n = x_calloc(1, sizeof *n);
	int rc = 0;

	n->pub.ops = ops;
	n->pub.data = data;
	n->cursor_y = -1;
	n->modal = modal;
	L.stack = grow(L.stack, &L.cap, L.depth + 1, sizeof *L.stack);
	L.stack[L.depth++] = n;

	if (ops->open) {
		n->busy++;
		L.callbacks++;
		rc = ops->open(&n->pub);
		L.callbacks--;
		n->busy--;
	}
	if (rc < 0) {
		size_t i;

		for (i = 0; i < L.depth; i++) {
			if (L.stack[i] == n) {
				memmove(&L.stack[i], &L.stack[i + 1], (L.depth - i - 1) * sizeof *L.stack);
				L.depth--;
				break;
			}
		}
		call_close(n);
		free_node(n);
		return NULL;
	}
	if (below)
		call_focus(below, 0);
	call_resize(n);
	L.need_paint = 1;
	return n;
}

ui_screen *ui_push(const ui_screen_ops *ops, void *data)
{
	node *n = push_node(ops, data, 0, 1);

	return n ? &n->pub : NULL;
}

void ui_pop(void)
{
	node *n = top_node();

	if (n) {
		n->closing = 1;
		L.need_paint = 1;
	}
}

ui_screen *ui_replace(const ui_screen_ops *ops, void *data)
{
	node *old = top_node();
	node *n;

	if (old)
		old->closing = 1;
	n = push_node(ops, data, 0, 0);
	return n ? &n->pub : NULL;
}

void ui_screen_title(ui_screen *s, const char *title)
{
	if (!s)
		return;
	set_string(&as_node(s)->title, title);
	L.need_paint = 1;
}

void ui_screen_cursor(ui_screen *s, int y, int x)
{
	if (!s)
		return;
	as_node(s)->cursor_y = y;
	as_node(s)->cursor_x = x;
}

/* Close screens marked closing.  Runs only when no callback is on the
 * stack, or for screens that are not busy. */
static void sweep_screens(void)
{
	node *before = top_node();
	size_t i = L.depth;

	while (i > 0) {
		node *n = L.stack[--i];

		if (!n->closing || n->busy)
			continue;
		memmove(&L.stack[i], &L.stack[i + 1], (L.depth - i - 1) * sizeof *L.stack);
		L.depth--;
		call_close(n);
		if (n->modal)
			n->removed = 1;
		else
			free_node(n);
		L.need_paint = 1;
		i = L.depth; /* a close() may have pushed or popped: start over */
	}
	if (top_node() && top_node() != before)
		call_focus(top_node(), 1);
}

/* --- shared lines -------------------------------------------------------- */

void ui_status(enum ui_status_kind kind, const char *fmt, ...)
{
	va_list ap;
	char *raw;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	raw = x_malloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(raw, (size_t)n + 1, fmt, ap);
	va_end(ap);
	free(L.status);
	L.status = text_sanitize(raw, TEXT_TAB_SPACE);
	free(raw);
	L.status_kind = kind;
	L.status_expires = (kind == UI_INFO || kind == UI_OK) ? loop_now_ms() + STATUS_TIMEOUT_MS : 0;
	L.need_paint = 1;
}

void ui_status_clear(void)
{
	if (!L.status)
		return;
	free(L.status);
	L.status = NULL;
	L.need_paint = 1;
}

static void layout(void);

void ui_set_banner(const char *text)
{
	int had = L.banner != NULL;

	set_string(&L.banner, text);
	if (had != (L.banner != NULL) && L.running)
		layout();
	L.need_paint = 1;
}

void ui_set_title_right(const char *text)
{
	set_string(&L.title_right, text);
	L.need_paint = 1;
}

void ui_redraw(void)
{
	L.need_paint = 1;
}

void ui_redraw_all(void)
{
	L.need_paint = 1;
	L.clear_all = 1;
}

void ui_quit(void)
{
	L.quit = 1;
}

int ui_quitting(void)
{
	return L.quit;
}

/* --- descriptors and timers ----------------------------------------------- */

static watch *find_watch(int fd)
{
	size_t i;

	for (i = 0; i < L.nwatches; i++)
		if (!L.watches[i].removed && L.watches[i].fd == fd)
			return &L.watches[i];
	return NULL;
}

int loop_watch_fd(int fd, short events, loop_fd_cb cb, void *ctx)
{
	watch *w;

	if (fd < 0 || !cb)
		return -1;
	w = find_watch(fd);
	if (!w) {
		L.watches = grow(L.watches, &L.capwatches, L.nwatches + 1, sizeof *L.watches);
		w = &L.watches[L.nwatches++];
		w->id = 0;
	}
	if (!w->id || w->removed)
		w->id = ++L.next_watch_id;
	w->fd = fd;
	w->events = events;
	w->cb = cb;
	w->ctx = ctx;
	w->removed = 0;
	return 0;
}

void loop_fd_events(int fd, short events)
{
	watch *w = find_watch(fd);

	if (w)
		w->events = events;
}

void loop_unwatch_fd(int fd)
{
	watch *w = find_watch(fd);

	if (w)
		w->removed = 1;
}

unsigned loop_timer(int ms, int repeat, loop_timer_cb cb, void *ctx)
{
	timer *t;

	if (!cb)
		return 0;
	if (ms < 0)
		ms = 0;
	L.timers = grow(L.timers, &L.captimers, L.ntimers + 1, sizeof *L.timers);
	t = &L.timers[L.ntimers++];
	t->id = L.next_timer_id++;
	if (L.next_timer_id == 0)
		L.next_timer_id = 1;
	t->due = loop_now_ms() + ms;
	t->interval = repeat ? (ms > 0 ? ms : 1) : 0;
	t->cb = cb;
	t->ctx = ctx;
	t->removed = 0;
	return t->id;
}

void loop_timer_cancel(unsigned id)
{
	size_t i;

	if (id == 0)
		return;
	for (i = 0; i < L.ntimers; i++)
		if (L.timers[i].id == id)
			L.timers[i].removed = 1;
}

/* Drop removed watches and timers; only when no callback can be
 * iterating over the arrays. */
static void sweep_tables(void)
{
	size_t i, j;

	if (L.callbacks)
		return;
	for (i = j = 0; i < L.nwatches; i++)
		if (!L.watches[i].removed)
			L.watches[j++] = L.watches[i];
	L.nwatches = j;
	for (i = j = 0; i < L.ntimers; i++)
		if (!L.timers[i].removed)
			L.timers[j++] = L.timers[i];
	L.ntimers = j;
}

static void run_timers(void)
{
	long long now = loop_now_ms();
	size_t i;

	/* By index and re-read: a callback may add timers (realloc). */
	for (i = 0; i < L.ntimers; i++) {
		loop_timer_cb cb;
		void *ctx;

		if (L.timers[i].removed || L.timers[i].due > now)
			continue;
		cb = L.timers[i].cb;
		ctx = L.timers[i].ctx;
		if (L.timers[i].interval) {
			/* Skip missed ticks instead of firing a burst. */
			L.timers[i].due += L.timers[i].interval;
			if (L.timers[i].due <= now)
				L.timers[i].due = now + L.timers[i].interval;
		} else {
			L.timers[i].removed = 1;
		}
		L.callbacks++;
		cb(ctx);
		L.callbacks--;
	}
}

static int poll_timeout(void)
{
	long long now = loop_now_ms(), next = -1;
	size_t i;

	for (i = 0; i < L.ntimers; i++)
		if (!L.timers[i].removed && (next < 0 || L.timers[i].due < next))
			next = L.timers[i].due;
	if (L.status && L.status_expires && (next < 0 || L.status_expires < next))
		next = L.status_expires;
	if (next < 0)
		return -1;
	if (next <= now)
		return 0;
	return next - now > 60000 ? 60000 : (int)(next - now);
}

/* --- layout and painting ------------------------------------------------- */

static void del_windows(void)
{
	WINDOW **ws[] = { &L.title_w, &L.banner_w, &L.body_w, &L.status_w, &L.keybar_w };
	size_t i;

	for (i = 0; i < sizeof ws / sizeof ws[0]; i++) {
		if (*ws[i])
			delwin(*ws[i]);
		*ws[i] = NULL;
	}
}

/* The one function that computes where everything goes (ncdu ncresize). */
static void layout(void)
{
	size_t i;

	del_windows();
	L.body_lines = L.body_cols = 0;
	L.clear_all = 1;
	L.need_paint = 1;
	if (term_too_small())
		return;
	L.body_top = 1 + (L.banner ? 1 : 0);
	L.body_lines = LINES - L.body_top - 2;
	L.body_cols = COLS;
	/* Subwindows of stdscr, which they tile: they share its cells instead
	 * of holding a second copy of the screen (28 bytes a cell: 197 KiB at
	 * 160x45, the peak RSS of P3).  stdscr itself is never refreshed with
	 * changes of its own, and its subwindows are made again on a resize. */
	L.title_w = subwin(stdscr, 1, COLS, 0, 0);
	if (L.banner)
		L.banner_w = subwin(stdscr, 1, COLS, 1, 0);
	L.body_w = subwin(stdscr, L.body_lines, COLS, L.body_top, 0);
	L.status_w = subwin(stdscr, 1, COLS, LINES - 2, 0);
	L.keybar_w = subwin(stdscr, 1, COLS, LINES - 1, 0);
	if (!L.title_w || !L.body_w || !L.status_w || !L.keybar_w || (L.banner && !L.banner_w)) {
		del_windows();
		L.body_lines = L.body_cols = 0;
		return;
	}
	keypad(L.body_w, TRUE);
	for (i = 0; i < L.depth; i++)
		if (!L.stack[i]->closing)
			call_resize(L.stack[i]);
}

static void paint_too_small(void)
{
	char *msg = x_asprintf(_("terminal too small (need %dx%d)"), TERM_MIN_COLS, TERM_MIN_LINES);
	int w = text_width(msg);
	int x = w < COLS ? (COLS - w) / 2 : 0;

	werase(stdscr);
	term_put(stdscr, LINES / 2, x, COLS - x, TERM_WARN, 0, msg);
	free(msg);
	curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

static void paint_title(void)
{
	const char *title = NULL;
	int right_w = 0;
	size_t i;

	/* A dialog usually has no title of its own: show the screen's. */
	for (i = L.depth; i > 0 && !title; i--)
		if (!L.stack[i - 1]->closing)
			title = L.stack[i - 1]->title;
	term_fill(L.title_w, 0, 0, COLS, TERM_TITLE);
	if (L.title_right) {
		right_w = text_width(L.title_right);
		if (right_w > COLS / 2)
			right_w = COLS / 2;
		term_put(L.title_w, 0, COLS - right_w - 1, right_w, TERM_TITLE, 0, L.title_right);
	}
	term_put(L.title_w, 0, 1, COLS - right_w - 3, TERM_TITLE, 0,
	         title ? title : "hallterm");
}

static void paint_banner(void)
{
	int w;

	if (!L.banner_w)
		return;
	term_fill(L.banner_w, 0, 0, COLS, TERM_BANNER);
	w = text_width(L.banner);
	if (w > COLS)
		w = COLS;
	term_put(L.banner_w, 0, (COLS - w) / 2, w, TERM_BANNER, 0, L.banner);
}

static void paint_status(void)
{
	static const term_role role[] = {
		[UI_INFO] = TERM_NORMAL, [UI_OK] = TERM_OK,
		[UI_WARN] = TERM_WARN, [UI_ERROR] = TERM_ERROR,
	};

	werase(L.status_w);
	if (!L.status)
		return;
	term_put(L.status_w, 0, 0, COLS, role[L.status_kind], L.status_kind == UI_ERROR ? TEXT_PAD : 0,
	         L.status);
}

/* One key bar entry: "F1" in the key role, a space, the label; entries
 * two cells apart.  Returns the next x, or -1 when it does not fit. */
static int keybar_entry(int x, int cmd, int text_input)
{
	const ui_command *c = ui_command_info(cmd);
	int key = ui_command_key(cmd, text_input);
	char kn[32];
	const char *label;
	int kw, lw;

	if (!c || !key)
		return x;
	ui_key_name(key, kn, sizeof kn);
	label = cmd == CMD_HELP && L.keybar_more ? _("More") : _(c->name);
	if (strcmp(label, kn) == 0)
		label = ""; /* "PgDn PgDn" says nothing twice */
	kw = text_width(kn);
	lw = text_width(label);
	if (x + kw + (lw ? 1 + lw : 0) > COLS)
		return -1;
	term_put(L.keybar_w, 0, x, kw, TERM_KEYBAR_KEY, 0, kn);
	if (lw)
		term_put(L.keybar_w, 0, x + kw + 1, lw, TERM_KEYBAR, 0, label);
	lw = lw ? lw + 1 : 0;
	L.hits = grow(L.hits, &L.caphits, L.nhits + 1, sizeof *L.hits);
	L.hits[L.nhits++] = (struct keybar_hit){ cmd, x, x + kw + lw };
	return x + kw + lw + 2;
}

/* A screen decides for the commands it lists (Enter, Esc included); the
 * navigation and global commands it does not list always apply. */
static int cmd_available(node *n, int cmd)
{
	const ui_screen_ops *o = n->pub.ops;

	if (!o->available)
		return 1;
	if (listed(ui_always_commands, cmd) && !listed(o->keybar, cmd) && !listed(o->commands, cmd))
		return 1;
	return o->available(&n->pub, cmd);
}

/* Cells an entry takes with the two-cell gap after it (0: not shown). */
static int keybar_width(int cmd, int text_input, const char *label_override)
{
	const ui_command *c = ui_command_info(cmd);
	int key = ui_command_key(cmd, text_input);
	char kn[32];
	const char *label;

	if (!c || !key)
		return 0;
	ui_key_name(key, kn, sizeof kn);
	label = label_override ? label_override : _(c->name);
	if (strcmp(label, kn) == 0)
		label = "";
	return text_width(kn) + (*label ? 1 + text_width(label) : 0) + 2;
}

/* The screen's available commands in its order of importance.  If they do
 * not all fit, F1 reads "More" (help lists every key) and Back keeps its
 * place at the right end: a narrow terminal never silently loses the way
 * out. */
static void paint_keybar(void)
{
	node *n = top_node();
	const int *cmds;
	int text_input, x, total, back = 0, backw = 0, fits;

	L.nhits = 0;
	term_fill(L.keybar_w, 0, 0, COLS, TERM_KEYBAR);
	if (!n)
		return;
	text_input = n->pub.ops->flags & UI_SCREEN_TEXT_INPUT;
	total = keybar_width(CMD_HELP, text_input, NULL);
	for (cmds = n->pub.ops->keybar; cmds && *cmds != CMD_NONE; cmds++) {
		if (*cmds == CMD_HELP || !cmd_available(n, *cmds))
			continue;
		if (*cmds == CMD_BACK) {
			back = 1;
			backw = keybar_width(CMD_BACK, text_input, NULL);
		}
		total += keybar_width(*cmds, text_input, NULL);
	}
	fits = total - 2 <= COLS;
	L.keybar_more = !fits;
	x = keybar_entry(0, CMD_HELP, text_input);
	for (cmds = n->pub.ops->keybar; cmds && *cmds != CMD_NONE && x >= 0; cmds++) {
		if (*cmds == CMD_HELP || *cmds == CMD_BACK || !cmd_available(n, *cmds))
			continue;
		if (!fits && x + keybar_width(*cmds, text_input, NULL) - 2 > COLS - backw)
			break;
		x = keybar_entry(x, *cmds, text_input);
	}
	if (back && x >= 0)
		keybar_entry(fits ? x : COLS - backw + 2, CMD_BACK, text_input);
}

static void paint(void)
{
	node *top = top_node();
	size_t first, i;

	L.need_paint = 0;
	if (L.clear_all) {
		clearok(curscr, TRUE);
		L.clear_all = 0;
	}
	if (!L.body_w) {
		paint_too_small();
		return;
	}
	/* stdscr is never drawn on; refreshing it first keeps get_wch(stdscr)
	 * from repainting it over everything after a resize touched it. */
	wnoutrefresh(stdscr);

	paint_title();
	paint_banner();
	werase(L.body_w);
	/* Draw from the lowest screen an overlay (dialog) sits on. */
	first = L.depth;
	for (i = L.depth; i > 0; i--) {
		node *n = L.stack[i - 1];

		if (n->closing)
			continue;
		first = i - 1;
		if (!(n->pub.ops->flags & UI_SCREEN_OVERLAY))
			break;
	}
	for (i = first; i < L.depth; i++) {
		node *n = L.stack[i];

		if (n->closing)
			continue;
		n->cursor_y = -1;
		n->busy++;
		L.callbacks++;
		n->pub.ops->draw(&n->pub, L.body_w);
		L.callbacks--;
		n->busy--;
	}
	paint_status();
	paint_keybar();

	wnoutrefresh(L.title_w);
	if (L.banner_w)
		wnoutrefresh(L.banner_w);
	wnoutrefresh(L.status_w);
	wnoutrefresh(L.keybar_w);
	/* The body last: the terminal cursor ends where its cursor is. */
	if (top && top->cursor_y >= 0 && top->cursor_y < L.body_lines &&
	    top->cursor_x >= 0 && top->cursor_x < L.body_cols) {
		wmove(L.body_w, top->cursor_y, top->cursor_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	wnoutrefresh(L.body_w);
	doupdate();
}

/* --- input ----------------------------------------------------------------- */

static void show_help(node *n);

static int default_action(node *n, int cmd)
{
	switch (cmd) {
	case CMD_BACK:
		if (ui_depth() > 1)
			return UI_POP;
		ui_status(UI_INFO, _("This is the first screen: F10 quits."));
		return UI_REDRAW;
	case CMD_HELP:
		if (!L.in_help)
			show_help(n);
		return UI_REDRAW;
	case CMD_QUIT:
		return UI_QUIT;
	case CMD_REFRESH:
		ui_redraw_all();
		return UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

static void dispatch(int cmd, const ui_event *ev)
{
	node *n = top_node();
	int r = UI_UNHANDLED;

	if (!n)
		return;
	/* A message stays until the clerk does something. */
	if (L.status && ev->key)
		ui_status_clear();
	if (!L.body_w) {
		/* Too small to show anything: only quitting makes sense. */
		if (cmd == CMD_QUIT)
			L.quit = 1;
		return;
	}
	if (n->pub.ops->key) {
		n->busy++;
		L.callbacks++;
		r = n->pub.ops->key(&n->pub, cmd, ev);
		L.callbacks--;
		n->busy--;
	}
	if (r == UI_UNHANDLED && cmd != CMD_NONE)
		r = default_action(n, cmd);
	if (r & UI_REDRAW)
		L.need_paint = 1;
	if (r & UI_POP) {
		n->closing = 1;
		L.need_paint = 1;
	}
	if (r & UI_QUIT)
		L.quit = 1;
}

static int first_available_in(node *n, const int *cmds, int key)
{
	const ui_command *c;

	for (; cmds && *cmds != CMD_NONE; cmds++) {
		c = ui_command_info(*cmds);
		if (!c || !cmd_available(n, *cmds))
			continue;
		for (int i = 0; i < 3; i++)
			if (c->keys[i] && c->keys[i] == key)
				return *cmds;
	}
	return CMD_NONE;
}

static int first_available(node *n, int key)
{
	int cmd = first_available_in(n, n->pub.ops->keybar, key);

	return cmd != CMD_NONE ? cmd : first_available_in(n, n->pub.ops->commands, key);
}

static void handle_key(int key)
{
	node *n = top_node();
	ui_event ev = { .key = key };
	int cmd;

	if (!n)
		return;
	cmd = ui_key_command(key, n->pub.ops->keybar, n->pub.ops->commands,
	                     n->pub.ops->flags & UI_SCREEN_TEXT_INPUT);
	if (cmd != CMD_NONE && !cmd_available(n, cmd)) {
		/* Another command of the screen on the same key may apply. */
		int alt = first_available(n, key);

		if (alt == CMD_NONE) {
			const ui_command *c = ui_command_info(cmd);

			if (L.status)
				ui_status_clear();
			ui_status(UI_INFO, _("%s: not possible here now (F1 lists what is)."), c ? _(c->name) : "?");
			L.need_paint = 1;
			return;
		}
		cmd = alt;
	}
	dispatch(cmd, &ev);
}

static void handle_mouse(void)
{
	MEVENT me;
	ui_event ev = { 0 };
	long long now;
	size_t i;

	if (getmouse(&me) != OK)
		return;
	if (me.bstate & BUTTON4_PRESSED) {
		ev.mouse = UI_MOUSE_WHEEL_UP;
	} else if (me.bstate & BUTTON5_PRESSED) {
		ev.mouse = UI_MOUSE_WHEEL_DOWN;
	} else if (me.bstate & BUTTON1_PRESSED) {
		now = loop_now_ms();
		ev.mouse = UI_MOUSE_CLICK;
		if (now - L.last_click_ms <= DOUBLE_CLICK_MS && me.y == L.last_click_y &&
		    abs(me.x - L.last_click_x) <= 2) {
			ev.mouse = UI_MOUSE_DOUBLE;
			now = 0; /* a third click starts over */
		}
		L.last_click_ms = now;
		L.last_click_y = me.y;
		L.last_click_x = me.x;
		/* A click on the key bar is that key. */
		if (me.y == LINES - 1) {
			for (i = 0; i < L.nhits; i++) {
				if (me.x >= L.hits[i].x0 && me.x < L.hits[i].x1) {
					int cmd = L.hits[i].cmd;
					ui_event kev = { .key = ui_command_key(cmd, 0) };

					dispatch(cmd, &kev);
					return;
				}
			}
			return;
		}
	} else {
		return;
	}
	ev.y = me.y - L.body_top;
	ev.x = me.x;
	dispatch(CMD_NONE, &ev);
}

static void on_resize(void)
{
	layout();
}

/* Read every key that is waiting (a paste arrives as a burst) before the
 * next paint.  Esc followed at once by a character is Alt-<character>. */
static void read_keys(node *until)
{
	wint_t wc;
	int rc;

	nodelay(stdscr, TRUE);
	/* A dialog that was just answered stops the reading: the keys after
	 * the answer belong to the code that asked, once it has the answer. */
	while (!L.quit && !(until && until->closing) && (rc = wget_wch(stdscr, &wc)) != ERR) {
		if (rc == KEY_CODE_YES && wc == KEY_RESIZE) {
			on_resize();
			continue;
		}
		if (rc == KEY_CODE_YES && wc == KEY_MOUSE) {
			handle_mouse();
			continue;
		}
		if (rc == OK && wc == UI_ESC) {
			wint_t next;
			int rc2 = wget_wch(stdscr, &next);

			if (rc2 == OK && next >= 0x20 && next != 0x7f) {
				handle_key(UI_ALT_KEY((int)next));
				continue;
			}
			handle_key(UI_ESC);
			if (rc2 == ERR)
				continue;
			rc = rc2;
			wc = next;
			if (rc == KEY_CODE_YES && wc == KEY_RESIZE) {
				on_resize();
				continue;
			}
			if (rc == KEY_CODE_YES && wc == KEY_MOUSE) {
				handle_mouse();
				continue;
			}
		}
		handle_key(ui_key_from_wch(rc, wc));
	}
}

/* One turn of the loop: input already buffered by curses, sweep, paint,
 * wait, then keys, descriptors and timers.  `until` is the dialog a nested
 * loop waits for (NULL in ui_run): once it closes, return at once. */
static void iterate(node *until)
{
	/* Per call, not static: a callback may run a nested loop (a dialog)
	 * while this one is still walking its results. */
	struct pollfd *pfds;
	unsigned *ids;
	size_t npfds = 0, i, nwatch;
	int sigfd = term_signal_fd();
	int timeout, rc;

	read_keys(until);
	sweep_screens();
	sweep_tables();
	if (L.quit || ui_depth() == 0 || (until && until->removed))
		return;
	if (L.interrupts && !L.asking_quit) {
		L.interrupts = 0;
		L.asking_quit = 1;
		if (dialog_confirm(_("Quit"), _("Leave hallterm? Unsent replies are kept as drafts.\n"
		                                "(y or Ctrl-C again: leave; n or Esc: stay)")))
			L.quit = 1;
		L.asking_quit = 0;
		return;
	}
	if (L.status && L.status_expires && loop_now_ms() >= L.status_expires)
		ui_status_clear();
	if (L.need_paint)
		paint();

	nwatch = L.nwatches;
	pfds = x_calloc(nwatch + 2, sizeof *pfds);
	ids = x_calloc(nwatch + 2, sizeof *ids);
	pfds[npfds++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
	if (sigfd >= 0)
		pfds[npfds++] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
	for (i = 0; i < nwatch; i++) {
		if (L.watches[i].removed)
			continue;
		ids[npfds] = L.watches[i].id;
		pfds[npfds++] = (struct pollfd){ .fd = L.watches[i].fd, .events = L.watches[i].events };
	}
	timeout = poll_timeout();
	rc = poll(pfds, npfds, timeout);
	if (rc < 0) {
		free(pfds);
		free(ids);
		if (errno != EINTR)
			L.quit = 1; /* cannot happen with valid descriptors */
		return;
	}
	if (sigfd >= 0 && (pfds[1].revents & POLLIN)) {
		int sig = term_take_signal();

		/* Clerks press Ctrl-C to copy: it asks first; pressed again
		 * while asked, it quits.  SIGTERM and SIGHUP quit at once. */
		if (sig == SIGINT && !L.asking_quit) {
			L.interrupts++;
		} else if (sig) {
			L.exit_signal = sig;
			L.quit = 1;
		}
	}
	/* The terminal went away (SSH dropped without SIGHUP). */
	if (pfds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
		if (!L.exit_signal)
			L.exit_signal = SIGHUP;
		L.quit = 1;
	}
	if (pfds[0].revents & POLLIN)
		read_keys(until);
	for (i = sigfd >= 0 ? 2 : 1; i < npfds && !L.quit; i++) {
		watch *w;

		if (!pfds[i].revents)
			continue;
		/* The watch may have gone, or the fd been reused, in a
		 * callback before this one: then these results are stale. */
		w = find_watch(pfds[i].fd);
		if (!w || w->id != ids[i])
			continue;
		{
			loop_fd_cb cb = w->cb;
			void *ctx = w->ctx;

			L.callbacks++;
			cb(pfds[i].fd, pfds[i].revents, ctx);
			L.callbacks--;
		}
	}
	free(pfds);
	free(ids);
	if (!L.quit)
		run_timers();
	sweep_screens();
}

static void close_all(void)
{
	size_t i;

	for (i = L.depth; i > 0; i--)
		L.stack[i - 1]->closing = 1;
	sweep_screens();
}

int ui_run(void)
{
	L.quit = 0;
	L.exit_signal = 0;
	L.running = 1;
	layout();
	sweep_screens();
	while (!L.quit && ui_depth() > 0)
		iterate(NULL);
	close_all();
	del_windows();
	L.running = 0;
	free(L.hits);
	L.hits = NULL;
	L.nhits = L.caphits = 0;
	free(L.status);
	L.status = NULL;
	set_string(&L.banner, NULL);
	set_string(&L.title_right, NULL);
	free(L.stack);
	L.stack = NULL;
	L.depth = L.cap = 0;
	sweep_tables();
	if (L.nwatches == 0) {
		free(L.watches);
		L.watches = NULL;
		L.capwatches = 0;
	}
	if (L.ntimers == 0) {
		free(L.timers);
		L.timers = NULL;
		L.captimers = 0;
	}
	return L.exit_signal;
}

int ui_modal(const ui_screen_ops *ops, void *data)
{
	node *n;
	int rc;

	if (L.quit)
		return -1;
	n = push_node(ops, data, 1, 1);
	if (!n)
		return -1;
	while (!n->removed && !L.quit)
		iterate(n);
	rc = n->removed ? 0 : -1;
	if (!n->removed) {
		/* Quitting: the caller's data dies when we return, so the
		 * dialog must go now, whatever sits above it. */
		size_t i;

		for (i = 0; i < L.depth; i++) {
			if (L.stack[i] == n) {
				memmove(&L.stack[i], &L.stack[i + 1], (L.depth - i - 1) * sizeof *L.stack);
				L.depth--;
				break;
			}
		}
		call_close(n);
	}
	free_node(n);
	L.need_paint = 1;
	return rc;
}

/* --- help, generated from commands.def ------------------------------------ */

/* One help line: the keys (padded to a column) and the help text. */
static void help_line(char **buf, size_t *len, size_t *cap, int cmd, int text_input)
{
	const ui_command *c = ui_command_info(cmd);
	char keys[96] = "";
	char *col, *line;
	size_t n;
	int i;

	if (!c)
		return;
	for (i = 0; i < 3; i++) {
		char kn[32];
		int k = c->keys[i];

		if (!k || (text_input && !(k & (UI_KEYCODE | UI_ALT)) && k >= 0x20 && k != 0x7f))
			continue;
		ui_key_name(k, kn, sizeof kn);
		if (strstr(keys, kn))
			continue; /* "\n" and "\r" are both "Enter" */
		if (*keys)
			strncat(keys, " / ", sizeof keys - strlen(keys) - 1);
		strncat(keys, kn, sizeof keys - strlen(keys) - 1);
	}
	if (!*keys)
		return;
	col = text_fit(keys, 20, TEXT_PAD);
	line = x_asprintf("  %s %s\n", col, _(c->help));
	free(col);
	n = strlen(line);
	*buf = grow(*buf, cap, *len + n + 1, 1);
	memcpy(*buf + *len, line, n + 1);
	*len += n;
	free(line);
}

static void help_heading(char **buf, size_t *len, size_t *cap, const char *h)
{
	char *line = x_asprintf("%s%s\n", *len ? "\n" : "", h);
	size_t n = strlen(line);

	*buf = grow(*buf, cap, *len + n + 1, 1);
	memcpy(*buf + *len, line, n + 1);
	*len += n;
	free(line);
}

static void show_help(node *n)
{
	static const int global[] = { CMD_HELP, CMD_BACK, CMD_REFRESH, CMD_QUIT, CMD_NONE };
	const ui_screen_ops *ops = n->pub.ops;
	int text_input = ops->flags & UI_SCREEN_TEXT_INPUT;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	const int *c;

	help_heading(&buf, &len, &cap, _("Keys of this screen"));
	for (c = ops->keybar; c && *c != CMD_NONE; c++)
		if (!listed(ui_always_commands, *c))
			help_line(&buf, &len, &cap, *c, text_input);
	for (c = ops->commands; c && *c != CMD_NONE; c++)
		if (!listed(ui_always_commands, *c) && !listed(ops->keybar, *c))
			help_line(&buf, &len, &cap, *c, text_input);
	help_heading(&buf, &len, &cap, _("Moving"));
	for (c = ui_always_commands; *c != CMD_NONE; c++)
		if (!listed(global, *c))
			help_line(&buf, &len, &cap, *c, text_input);
	help_heading(&buf, &len, &cap, _("Everywhere"));
	for (c = global; *c != CMD_NONE; c++)
		help_line(&buf, &len, &cap, *c, text_input);
	L.in_help = 1;
	help_view(_("Help"), buf, 23); /* descriptions hang under their column: 2 + 20 + 1 */
	L.in_help = 0;
	free(buf);
}
