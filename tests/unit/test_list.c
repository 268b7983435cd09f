/* test_list.c - the list widget's state, without a terminal.
 *
 * The empty and filtered-to-nothing cases first (End, Down and a click on
 * an empty list crashed htop more than once), then paging and the rule
 * that a live update never moves the cursor off the clerk's case.
 */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/chart.h"
#include "ui/list.h"

/* A fake screen: rows are ids, loaded in pages. */
typedef struct rows {
	int64_t ids[1000];
	size_t n;
	int more_calls;
} rows;

static const char *cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[32];
	rows *r = ctx;

	(void)role;
	snprintf(buf, sizeof buf, "%d:%lld", col, (long long)r->ids[row]);
	return buf;
}

static int64_t row_id(void *ctx, size_t row)
{
	rows *r = ctx;

	assert_true(row < r->n); /* the widget never asks past the end */
	return r->ids[row];
}

static void need_more(void *ctx)
{
	rows *r = ctx;

	r->more_calls++;
}

static const list_column cols[] = {
	{ "Case", 10, 12, 0, LIST_LEFT },
	{ "Applicant", 8, 0, 1, LIST_LEFT },
};
static const list_source src = { cell, row_id, need_more };

static void fill(rows *r, size_t n, int64_t first, int64_t step)
{
	size_t i;

	r->n = n;
	for (i = 0; i < n; i++)
		r->ids[i] = first + (int64_t)i * step;
}

static ui_event click(int y, int x, int kind)
{
	ui_event ev = { 0 };

	ev.mouse = kind;
	ev.y = y;
	ev.x = x;
	return ev;
}

static void test_empty_list_is_safe(void **state)
{
	static const int cmds[] = { CMD_UP, CMD_DOWN, CMD_PGUP, CMD_PGDN, CMD_HOME, CMD_END };
	rows r = { .n = 0 };
	list *l = list_new(cols, 2, &src, &r);
	ui_event none = { 0 };
	ui_event ev;
	size_t i;

	(void)state;
	list_set_area(l, 0, 0, 11, 80);
	list_set_rows(l, 0);
	assert_int_equal(list_selected(l), LIST_NONE);
	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		assert_int_equal(list_key(l, cmds[i], &none), LIST_SAME);
		assert_int_equal(list_selected(l), LIST_NONE);
	}
	/* Enter on nothing opens nothing. */
	assert_int_equal(list_key(l, CMD_OPEN, &none), LIST_SAME);
	ev = click(3, 5, UI_MOUSE_CLICK);
	assert_int_equal(list_key(l, CMD_NONE, &ev), LIST_SAME);
	ev = click(3, 5, UI_MOUSE_DOUBLE);
	assert_int_equal(list_key(l, CMD_NONE, &ev), LIST_SAME);
	ev = click(3, 5, UI_MOUSE_WHEEL_DOWN);
	assert_int_equal(list_key(l, CMD_NONE, &ev), LIST_SAME);
	assert_int_equal(list_select_by_id(l, 42), 0);
	list_select(l, 5);
	assert_int_equal(list_selected(l), LIST_NONE);
	/* Not a list key at all. */
	assert_int_equal(list_key(l, CMD_APPROVE, &none), LIST_IGNORED);
	list_free(l);
}

static void test_filtered_to_nothing_and_back(void **state)
{
	rows r;
	list *l = list_new(cols, 2, &src, &r);
	ui_event none = { 0 };

	(void)state;
	list_set_area(l, 0, 0, 11, 80);
	fill(&r, 50, 100, 1);
	list_set_rows(l, r.n);
	list_select(l, 30);
	assert_int_equal(list_selected(l), 30);
	/* A filter matches nothing. */
	r.n = 0;
	list_set_rows(l, 0);
	assert_int_equal(list_selected(l), LIST_NONE);
	assert_int_equal(list_key(l, CMD_END, &none), LIST_SAME);
	assert_int_equal(list_key(l, CMD_DOWN, &none), LIST_SAME);
	/* The filter is cleared: back on the same case. */
	fill(&r, 50, 100, 1);
	list_set_rows(l, r.n);
	assert_int_equal(list_selected(l), 30);
	/* A filter leaves fewer rows than the selection index, other ids. */
	fill(&r, 5, 900, 1);
	list_set_rows(l, r.n);
	assert_int_equal(list_selected(l), 4);
	list_free(l);
}

static void test_moving_and_paging(void **state)
{
	rows r;
	list *l = list_new(cols, 2, &src, &r);
	ui_event none = { 0 };

	(void)state;
	fill(&r, 100, 1, 1);
	list_set_area(l, 0, 0, 11, 80); /* heading + 10 rows */
	list_set_rows(l, r.n);
	assert_int_equal(list_selected(l), 0);
	assert_int_equal(list_key(l, CMD_UP, &none), LIST_SAME);
	assert_int_equal(list_key(l, CMD_DOWN, &none), LIST_MOVED);
	assert_int_equal(list_selected(l), 1);
	assert_int_equal(list_key(l, CMD_PGDN, &none), LIST_MOVED);
	assert_int_equal(list_selected(l), 11);
	assert_int_equal(list_top(l), 2); /* the selection stays on screen */
	assert_int_equal(list_key(l, CMD_END, &none), LIST_MOVED);
	assert_int_equal(list_selected(l), 99);
	assert_int_equal(list_top(l), 90);
	assert_int_equal(list_key(l, CMD_END, &none), LIST_SAME);
	assert_int_equal(list_key(l, CMD_DOWN, &none), LIST_SAME);
	assert_int_equal(list_key(l, CMD_PGUP, &none), LIST_MOVED);
	assert_int_equal(list_selected(l), 89);
	assert_int_equal(list_key(l, CMD_HOME, &none), LIST_MOVED);
	assert_int_equal(list_selected(l), 0);
	assert_int_equal(list_top(l), 0);
	assert_int_equal(list_key(l, CMD_OPEN, &none), LIST_ACTIVATE);

	/* A smaller terminal: the page shrinks, the selection stays visible. */
	list_select(l, 50);
	list_set_area(l, 0, 0, 4, 80);
	assert_true(list_top(l) <= 50 && 50 < list_top(l) + 3);
	list_free(l);
}

static void test_mouse(void **state)
{
	rows r;
	list *l = list_new(cols, 2, &src, &r);
	ui_event ev;

	(void)state;
	fill(&r, 30, 1, 1);
	list_set_area(l, 2, 0, 11, 80); /* list starts at body line 2 */
	list_set_rows(l, r.n);
	ev = click(2, 5, UI_MOUSE_CLICK); /* the heading */
	assert_int_equal(list_key(l, CMD_NONE, &ev), LIST_SAME);
	assert_int_equal(list_selected(l), 0);
	ev = click(6, 5, UI_MOUSE_CLICK); /* fourth row */
	assert_int_equal(list_key(l, CMD_NONE, &ev), LIST_MOVED);
	assert_int_equal(list_selected(l), 3);
	ev = click(6, 5, UI_MOUSE_DOUBLE);
	assert_int_equal(list_key(l, CMD_NONE, &ev), LIST_ACTIVATE);
	assert_int_equal(list_selected(l), 3);
	ev = click(20, 5, UI_MOUSE_CLICK); /* below the list */
	assert_int_equal(list_key(l, CMD_NONE, &ev), LIST_IGNORED);
	ev = click(0, 5, UI_MOUSE_WHEEL_DOWN);
	assert_int_equal(list_key(l, CMD_NONE, &ev), LIST_MOVED);
	assert_int_equal(list_selected(l), 6);

	/* Three rows in a ten-row area: a click under them selects nothing. */
	fill(&r, 3, 1, 1);
	list_set_rows(l, r.n);
	ev = click(10, 5, UI_MOUSE_CLICK);
	assert_int_equal(list_key(l, CMD_NONE, &ev), LIST_SAME);
	assert_true(list_selected(l) < 3);
	list_free(l);
}

static void test_keyset_paging(void **state)
{
	rows r = { .more_calls = 0 };
	list *l = list_new(cols, 2, &src, &r);
	ui_event none = { 0 };
	int i;

	(void)state;
	fill(&r, 50, 1, 1);
	list_set_area(l, 0, 0, 11, 80);
	list_set_more(l, 1);
	list_set_rows(l, r.n);
	assert_int_equal(r.more_calls, 0); /* far from the end */
	for (i = 0; i < 35; i++)
		list_key(l, CMD_DOWN, &none);
	assert_int_equal(r.more_calls, 0);
	for (i = 0; i < 10; i++)
		list_key(l, CMD_DOWN, &none);
	assert_int_equal(r.more_calls, 1); /* within a page of the end */
	list_key(l, CMD_END, &none);
	list_key(l, CMD_DOWN, &none);
	assert_int_equal(r.more_calls, 1); /* not again while loading */
	/* The page arrives: appended, selection unchanged. */
	fill(&r, 100, 1, 1);
	list_set_rows(l, r.n);
	assert_int_equal(list_selected(l), 49);
	assert_int_equal(list_key(l, CMD_DOWN, &none), LIST_MOVED);
	assert_int_equal(list_selected(l), 50);
	/* The last page: no more calls. */
	list_set_more(l, 0);
	list_key(l, CMD_END, &none);
	assert_int_equal(r.more_calls, 1);
	list_free(l);
}

static void test_select_by_id_after_replace(void **state)
{
	rows r;
	list *l = list_new(cols, 2, &src, &r);
	size_t screen_row;

	(void)state;
	fill(&r, 100, 10, 10); /* ids 10, 20, ... */
	list_set_area(l, 0, 0, 11, 80);
	list_set_rows(l, r.n);
	assert_int_equal(list_select_by_id(l, 250), 1);
	assert_int_equal(list_selected(l), 24);
	screen_row = list_selected(l) - list_top(l);

	/* A NOTIFY reload: two new cases arrive above (more urgent). */
	memmove(&r.ids[2], &r.ids[0], 100 * sizeof r.ids[0]);
	r.ids[0] = 5;
	r.ids[1] = 7;
	r.n = 102;
	list_set_rows(l, r.n);
	assert_int_equal(list_selected(l), 26);
	assert_int_equal(r.ids[list_selected(l)], 250);
	assert_int_equal(list_selected(l) - list_top(l), screen_row); /* same line */

	/* One case above is done and leaves the list. */
	memmove(&r.ids[0], &r.ids[1], 101 * sizeof r.ids[0]);
	r.n = 101;
	list_set_rows(l, r.n);
	assert_int_equal(r.ids[list_selected(l)], 250);

	/* The selected case itself leaves: the cursor stays at that place. */
	{
		size_t at = list_selected(l);

		memmove(&r.ids[at], &r.ids[at + 1], (r.n - at - 1) * sizeof r.ids[0]);
		r.n--;
		list_set_rows(l, r.n);
		assert_int_equal(list_selected(l), at);
		assert_int_equal(r.ids[at], 260);
	}
	assert_int_equal(list_select_by_id(l, 99999), 0);
	assert_int_equal(r.ids[list_selected(l)], 260);
	list_free(l);
}

static void test_charts(void **state)
{
	const double weeks[4] = { 0.0, 0.5, 1.0, NAN };
	char *s;

	(void)state;
	s = chart_sparkline(weeks, 4, 0.0, 1.0, 1);
	assert_string_equal(s, "▁▅█·");
	free(s);
	s = chart_sparkline(weeks, 2, 0.0, 0.0, 2); /* auto range */
	assert_string_equal(s, "▁▁██");
	free(s);
	s = chart_sparkline(weeks, 0, 0.0, 1.0, 1);
	assert_string_equal(s, "");
	free(s);
	s = chart_bar(5, 10, 4);
	assert_string_equal(s, "██  ");
	free(s);
	s = chart_bar(0.01, 10, 4); /* tiny but not nothing */
	assert_string_equal(s, "▏   ");
	free(s);
	s = chart_bar(0, 10, 3);
	assert_string_equal(s, "   ");
	free(s);
	s = chart_bar(20, 10, 2); /* clamped */
	assert_string_equal(s, "██");
	free(s);
}

/* `/` on a list: the next row after the selection that has the text,
 * wrapping round; nothing found leaves the selection where it was. */
static void test_find(void **state)
{
	rows r = { 0 };
	list *l;

	(void)state;
	fill(&r, 50, 100, 1);
	l = list_new(cols, 2, &src, &r);
	list_set_rows(l, r.n);
	assert_int_equal(list_find(l, "0:110"), 1);
	assert_int_equal(list_selected(l), 10);
	assert_int_equal(list_find(l, "1:10"), 1); /* 1:100 .. 1:109 come again after the wrap */
	assert_int_equal(list_selected(l), 0);
	assert_int_equal(list_find(l, "1:10"), 1);
	assert_int_equal(list_selected(l), 1);
	assert_int_equal(list_find(l, "nowhere"), 0);
	assert_int_equal(list_selected(l), 1);
	assert_int_equal(list_find(l, ""), 0);
	list_free(l);
	l = list_new(cols, 2, &src, &r);
	assert_int_equal(list_find(l, "0:1"), 0); /* no rows: nothing, no crash */
	list_free(l);
}

/* The one scroll of the help screen, the viewer and the case screen:
 * within [0, lines - height], a page is the height less one line. */
static void test_scroll(void **state)
{
	size_t top = 0;
	ui_event none = { 0 }, wheel = { .mouse = UI_MOUSE_WHEEL_DOWN };

	(void)state;
	assert_int_equal(ui_scroll(&top, 100, 20, CMD_UP, &none), 0);
	assert_int_equal(ui_scroll(&top, 100, 20, CMD_PGDN, &none), 1);
	assert_int_equal(top, 19);
	assert_int_equal(ui_scroll(&top, 100, 20, CMD_END, NULL), 1);
	assert_int_equal(top, 80);
	assert_int_equal(ui_scroll(&top, 100, 20, CMD_DOWN, NULL), 0);
	assert_int_equal(top, 80);
	assert_int_equal(ui_scroll(&top, 100, 20, CMD_HOME, NULL), 1);
	assert_int_equal(ui_scroll(&top, 100, 20, CMD_NONE, &wheel), 1);
	assert_int_equal(top, 1);
	assert_int_equal(ui_scroll(&top, 100, 20, CMD_OPEN, NULL), -1);
	top = 5;
	assert_int_equal(ui_scroll(&top, 10, 20, CMD_DOWN, NULL), 1); /* all fits: back to the top */
	assert_int_equal(top, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_list_is_safe),
		cmocka_unit_test(test_filtered_to_nothing_and_back),
		cmocka_unit_test(test_moving_and_paging),
		cmocka_unit_test(test_mouse),
		cmocka_unit_test(test_keyset_paging),
		cmocka_unit_test(test_select_by_id_after_replace),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_charts),
	};

	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "test_list: the C.UTF-8 locale is missing\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
