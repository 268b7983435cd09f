/* test_bigtext.c - the hall display's block font: every character a
 * ticket or a window code can hold is in it, sizes fit 80x24 and a big
 * monitor, and the cells drawn are the glyph's pixels. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "ui/bigtext.h"

static void test_font_covers_labels(void **state)
{
	(void)state;
	assert_true(bigtext_covers("A017 > A01"));
	assert_true(bigtext_covers("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-"));
	assert_true(bigtext_covers("e001")); /* lower case reads as upper */
	assert_false(bigtext_covers("号"));
	assert_null(bigtext_glyph('#'));
	/* Every glyph has something lit, and stays in 5 columns. */
	for (const char *c = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"; *c; c++) {
		const unsigned char *g = bigtext_glyph(*c);
		int lit = 0;
		assert_non_null(g);
		for (int r = 0; r < 7; r++) {
			assert_true(g[r] < 32);
			lit |= g[r];
		}
		assert_true(lit);
	}
}

static void test_sizes(void **state)
{
	int sx, sy;

	(void)state;
	assert_int_equal(bigtext_width("A017", 1), 4 * 6 - 1);
	assert_int_equal(bigtext_width("", 3), 0);
	assert_int_equal(bigtext_rows(1), 4);
	assert_int_equal(bigtext_rows(2), 7);
	/* 80x24: the call takes at most about half the body. */
	assert_int_equal(bigtext_fit("A017 > A01", 80, 10, &sx, &sy), 0);
	assert_int_equal(sx, 1);
	assert_int_equal(sy, 2);
	assert_true(bigtext_width("A017 > A01", sx) <= 80);
	/* A big monitor: larger, still inside. */
	assert_int_equal(bigtext_fit("A017 > A01", 200, 30, &sx, &sy), 0);
	assert_int_equal(sx, 3);
	assert_true(bigtext_width("A017 > A01", sx) <= 200 && bigtext_rows(sy) <= 30);
	assert_true(sy >= sx && sy <= 2 * sx);
	/* Too small for anything. */
	assert_int_equal(bigtext_fit("A017 > A01", 40, 10, &sx, &sy), -1);
	assert_int_equal(bigtext_fit("A017", 80, 3, &sx, &sy), -1);
}

/* Drawn on a pad of a terminal of its own: the first row of "1" at scale
 * (1, 1) is its two top pixel rows, "  #  " over " ## ": ▄ then █. */
static void test_draw_cells(void **state)
{
	FILE *out = fopen("/dev/null", "w");
	SCREEN *scr;
	WINDOW *pad;
	wchar_t row[16];

	(void)state;
	if (!out)
		skip();
	scr = newterm("xterm", out, stdin);
	if (!scr) {
		fclose(out);
		skip();
	}
	pad = newpad(8, 20);
	assert_non_null(pad);
	assert_int_equal(bigtext_draw(pad, 0, 0, "1", 1, 1, A_NORMAL), 5);
	assert_int_not_equal(mvwinnwstr(pad, 0, 0, row, 5), ERR);
	assert_true(wcscmp(row, L" ▄█  ") == 0);
	/* Clipped at the pad's edge, never past it. */
	assert_int_equal(bigtext_draw(pad, 0, 18, "88", 1, 1, A_NORMAL), 2);
	delwin(pad);
	endwin();
	delscreen(scr);
	fclose(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_font_covers_labels),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_draw_cells),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
