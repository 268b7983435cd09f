/* test_help.c - the help screen's layout, without a terminal: a long
 * description wraps under its own column (a hanging indent), never back at
 * column 1 under the keys, and no line is wider than the screen. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "ui/help.h"

/* As the loop writes an entry: two spaces, the keys padded to 20 cells,
 * a space, the description (the description column is 23). */
static const char entry_zh[] =
	"我的评价\n"
	"  p                    申诉选中的差评（须填写理由，由科长裁决；申诉成立的差评不再计入满意率，也不再计入考核）\n"
	"  PgDn / Ctrl-F        下一页\n"
	"\n"
	"随时可用\n";

static void test_hanging_indent(void **state)
{
	size_t n, i;
	char **v = help_lines(entry_zh, 60, 23, &n);

	(void)state;
	assert_true(n >= 6);
	assert_string_equal(v[0], "我的评价");
	assert_true(strncmp(v[1], "  p                    申诉选中的差评", strlen("  p                    申诉选中的差评")) == 0);
	/* The rest of the description under its column, not at column 1. */
	for (i = 2; strncmp(v[i], "  PgDn", 6) != 0; i++) {
		assert_true(i < n);
		assert_true(strncmp(v[i], "                       ", 23) == 0);
		assert_true(v[i][23] != ' ');
	}
	assert_true(i >= 3); /* it did wrap */
	assert_string_equal(v[i], "  PgDn / Ctrl-F        下一页");
	assert_string_equal(v[i + 1], "");
	assert_string_equal(v[i + 2], "随时可用");
	for (i = 0; i < n; i++)
		assert_true(text_width(v[i]) <= 60);
	help_lines_free(v, n);
}

/* At 80 columns too, and a heading wider than the screen wraps plainly. */
static void test_widths(void **state)
{
	size_t n, i;
	char **v;
	char text[600];

	(void)state;
	snprintf(text, sizeof text, "%s\n  Ctrl-Z / F4          %s\n",
	         "A heading that is far too long to fit on one line of a narrow terminal window",
	         "Undo the last edit; again: the one before, and the one before that, as often as you like");
	for (int w = 20; w <= 120; w += 7) {
		v = help_lines(text, w, 23, &n);
		for (i = 0; i < n; i++)
			assert_true(text_width(v[i]) <= w);
		if (w - 23 >= 12) {
			/* Every continuation of the entry hangs at 23. */
			for (i = 0; i < n && strncmp(v[i], "  Ctrl-Z", 8) != 0; i++)
				;
			assert_true(i < n);
			for (i++; i < n && *v[i]; i++)
				assert_true(strspn(v[i], " ") == 23);
		}
		help_lines_free(v, n);
	}
}

static void test_empty(void **state)
{
	size_t n;
	char **v = help_lines("", 80, 23, &n);

	(void)state;
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "");
	help_lines_free(v, n);
	v = help_lines(NULL, 80, 23, &n);
	assert_int_equal(n, 1);
	help_lines_free(v, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hanging_indent),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_empty),
	};

	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "test_help: the C.UTF-8 locale is missing\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
