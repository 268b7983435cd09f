/* test_text.c - unit tests for src/common/text.c.
 *
 * What a user would check on screen: CJK names line up, nothing from the
 * database can reach the terminal as a control sequence, cut text never
 * shows half a character.
 */
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

/* An independent validity check, written differently from text_decode
 * (ranges on the decoded value instead of second-byte tables), so one bug
 * can't hide in both. */
static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		uint32_t v;
		int n, i;

		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0) {
			n = 1;
			v = *p & 0x1F;
		} else if ((*p & 0xF0) == 0xE0) {
			n = 2;
			v = *p & 0x0F;
		} else if ((*p & 0xF8) == 0xF0) {
			n = 3;
			v = *p & 0x07;
		} else {
			return 0;
		}
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			v = (v << 6) | (p[i] & 0x3F);
		}
		if ((n == 1 && v < 0x80) || (n == 2 && v < 0x800) ||
		    (n == 3 && v < 0x10000))
			return 0; /* overlong */
		if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			return 0;
		p += n + 1;
	}
	return 1;
}

/* Safe to print: valid UTF-8, no C0 (except '\n' if allowed), no DEL, no
 * C1, no bidi controls. */
static int terminal_safe(const char *s, int allow_newline)
{
	size_t len = strlen(s), pos = 0;

	if (!valid_utf8(s))
		return 0;
	while (pos < len) {
		uint32_t cp;

		text_decode(s, len, &pos, &cp);
		if (cp == '\n' && allow_newline)
			continue;
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
			return 0;
		if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
		    cp == 0x200E || cp == 0x200F || cp == 0x2028 || cp == 0x2029)
			return 0;
	}
	return 1;
}

static void check_sanitize(const char *in, int flags, const char *want)
{
	char *out = text_sanitize(in, flags);

	assert_string_equal(out, want);
	assert_true(terminal_safe(out, flags & TEXT_KEEP_NEWLINE));
	free(out);
}

static void check_fit(const char *in, int cells, int flags, const char *want)
{
	char *out = text_fit(in, cells, flags);

	assert_string_equal(out, want);
	free(out);
}

/* ---- width ---------------------------------------------------------- */

static void test_width_ascii(void **state)
{
	(void)state;
	assert_int_equal(text_width("hello"), 5);
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width(NULL), 0);
}

static void test_width_cjk(void **state)
{
	(void)state;
	assert_int_equal(text_width("张伟"), 4);
	assert_int_equal(text_width("张伟 Zhang Wei"), 4 + 10);
	assert_int_equal(text_width("作者"), text_width("abcd"));
	assert_int_equal(text_width("ＡＢ，"), 6); /* fullwidth forms */
	assert_int_equal(text_width("카"), 2);     /* hangul */
	assert_int_equal(text_cp_width(0x4E00), 2);
	assert_int_equal(text_cp_width('a'), 1);
}

static void test_width_combining(void **state)
{
	(void)state;
	assert_int_equal(text_width("e\xcc\x81"), 1); /* e + U+0301 */
	assert_int_equal(text_width("Cafe\xcc\x81"), 4);
	assert_int_equal(text_cp_width(0x0301), 0);
	assert_int_equal(text_width("a\xe2\x80\x8b" "b"), 2); /* zero width space */
}

static void test_width_emoji(void **state)
{
	(void)state;
	assert_int_equal(text_width("\xf0\x9f\x98\x80"), 2); /* U+1F600 */
	assert_int_equal(text_width("a\xf0\x9f\x98\x80" "b"), 4);
}

/* Width is that of what will be drawn: each control and bad byte becomes a
 * one-cell placeholder. */
static void test_width_of_sanitised(void **state)
{
	const char *samples[] = {
		"\x1b[2J", "a\tb", "line\nnext", "\x7f", "\xc2\x85",
		"\xc0\xaf", "\xe5\xbc", ("\xe2\x80\xae" "abc"), "张\x01三",
	};
	size_t i;

	(void)state;
	assert_int_equal(text_width("\x1b[2J"), 4);
	assert_int_equal(text_width("\xff"), 1);
	assert_int_equal(text_cp_width(0), 1);
	assert_int_equal(text_cp_width(0x1B), 1);
	assert_int_equal(text_cp_width(0x110000), 1);
	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		char *t = text_sanitize(samples[i], 0);

		assert_int_equal(text_width(samples[i]), text_width(t));
		free(t);
	}
}

/* ---- fit ------------------------------------------------------------ */

static void test_fit_cut_never_splits(void **state)
{
	const char *src = "张三丰ABC"; /* 9 cells */
	int cells;

	(void)state;
	check_fit(src, 5, 0, "张三…");
	check_fit(src, 9, 0, src);
	check_fit(src, 8, 0, "张三丰A…");
	check_fit(src, 4, 0, "张…");
	check_fit(src, 1, 0, "…");
	for (cells = 1; cells <= 12; cells++) {
		char *out = text_fit(src, cells, 0);
		size_t len = strlen(out), mark = strlen(TEXT_CUT_MARK);

		assert_true(valid_utf8(out));
		assert_true(text_width(out) <= cells);
		if (cells < 9) {
			/* cut: ends in the mark, and what precedes it is whole
			 * characters of the original */
			assert_true(len >= mark);
			assert_memory_equal(out + len - mark, TEXT_CUT_MARK, mark);
			assert_memory_equal(out, src, len - mark);
			assert_true(text_width(out) >= cells - 1);
		} else {
			assert_string_equal(out, src);
		}
		free(out);
	}
}

static void test_fit_pad(void **state)
{
	const char *src = "张三丰ABC";
	int cells;

	(void)state;
	check_fit("ab", 5, TEXT_PAD, "ab   ");
	check_fit("ab", 5, TEXT_ALIGN_RIGHT, "   ab");
	check_fit("张伟", 5, TEXT_PAD, "张伟 ");
	/* 丰 would straddle the edge: a space takes its place */
	check_fit(src, 6, TEXT_PAD, "张三… ");
	check_fit(src, 4, TEXT_PAD, "张… ");
	check_fit(src, 4, TEXT_ALIGN_RIGHT, " 张…");
	check_fit("张", 1, TEXT_PAD, "…");
	check_fit("", 3, TEXT_PAD, "   ");
	for (cells = 1; cells <= 12; cells++) {
		char *l = text_fit(src, cells, TEXT_PAD);
		char *r = text_fit(src, cells, TEXT_ALIGN_RIGHT);

		assert_int_equal(text_width(l), cells);
		assert_int_equal(text_width(r), cells);
		free(l);
		free(r);
	}
}

static void test_fit_edges(void **state)
{
	(void)state;
	check_fit("abc", 0, TEXT_PAD, "");
	check_fit("abc", -3, 0, "");
	check_fit(NULL, 2, TEXT_PAD, "  ");
	check_fit("a\tb", 5, TEXT_TAB_SPACE, "a b");
	/* a fitted line never carries a real newline or escape */
	check_fit("a\nb", 5, TEXT_KEEP_NEWLINE, "a\xe2\x90\x8a" "b");
	check_fit("\x1b[2Jx", 3, 0, "\xe2\x90\x9b[…");
	/* combining mark stays with its letter */
	check_fit("e\xcc\x81" "fgh", 2, 0, "e\xcc\x81…");
}

/* ---- sanitize ------------------------------------------------------- */

static void test_sanitize_every_c0(void **state)
{
	int c;

	(void)state;
	for (c = 1; c < 0x20; c++) {
		char in[4] = { 'a', (char)c, 'b', 0 };
		char want[8];
		uint32_t pic = 0x2400 + (uint32_t)c;

		want[0] = 'a';
		want[1] = (char)(0xE0 | (pic >> 12));
		want[2] = (char)(0x80 | ((pic >> 6) & 0x3F));
		want[3] = (char)(0x80 | (pic & 0x3F));
		want[4] = 'b';
		want[5] = 0;
		check_sanitize(in, 0, want);
		if (c == '\n')
			check_sanitize(in, TEXT_KEEP_NEWLINE, "a\nb");
		else if (c == '\t')
			check_sanitize(in, TEXT_TAB_SPACE, "a b");
		else
			check_sanitize(in, TEXT_KEEP_NEWLINE | TEXT_TAB_SPACE, want);
	}
	/* NUL cannot be inside a C string, but is one character for decode */
	{
		size_t pos = 0;
		uint32_t cp = 99;

		assert_int_equal(text_decode("\0", 1, &pos, &cp), 1);
		assert_int_equal(cp, 0);
		assert_int_equal(pos, 1);
	}
}

static void test_sanitize_del_and_c1(void **state)
{
	uint32_t cp;

	(void)state;
	check_sanitize("\x7f", 0, "\xe2\x90\xa1"); /* U+2421 */
	for (cp = 0x80; cp <= 0x9F; cp++) {
		char enc[3] = { (char)(0xC0 | (cp >> 6)), (char)(0x80 | (cp & 0x3F)), 0 };
		char raw[2] = { (char)cp, 0 };

		check_sanitize(enc, 0, "\xef\xbf\xbd");
		check_sanitize(raw, 0, "\xef\xbf\xbd"); /* raw byte: invalid */
	}
	/* U+00A0 right after the C1 range is ordinary text */
	check_sanitize("\xc2\xa0", 0, "\xc2\xa0");
}

static void test_sanitize_escape_sequences(void **state)
{
	(void)state;
	check_sanitize("\x1b]0;pwned\x07", 0, "␛]0;pwned␇");
	check_sanitize("\x1b[2J", 0, "␛[2J");
	check_sanitize("\x1b[31mred\x1b[0m", 0, "␛[31mred␛[0m");
	/* 8-bit CSI (U+009B) */
	check_sanitize("\xc2\x9b" "2J", 0, "\xef\xbf\xbd" "2J");
	check_sanitize("\r\n", TEXT_KEEP_NEWLINE, "\n");
	check_sanitize("a\rb", TEXT_KEEP_NEWLINE, "a␍b");
	check_sanitize(NULL, 0, "");
	check_sanitize("张伟 OK", 0, "张伟 OK");
}

static void test_sanitize_bidi(void **state)
{
	static const char *const bidi[] = {
		"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad",
		"\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8",
		"\xe2\x81\xa9", "\xe2\x80\x8e", "\xe2\x80\x8f", "\xe2\x80\xa8",
		"\xe2\x80\xa9",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
		char in[16];

		snprintf(in, sizeof in, "1%s2", bidi[i]);
		check_sanitize(in, 0, "1\xef\xbf\xbd" "2");
	}
}

static void test_sanitize_invalid_utf8(void **state)
{
	(void)state;
	check_sanitize("a\x80z", 0, "a\xef\xbf\xbdz");                   /* lone continuation */
	check_sanitize("\xc0\xaf", 0, "\xef\xbf\xbd\xef\xbf\xbd");       /* overlong '/' */
	check_sanitize("\xe0\x80\xaf", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	check_sanitize("\xed\xa0\x80", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
	check_sanitize("\xe5\xbc", 0, "\xef\xbf\xbd\xef\xbf\xbd");       /* truncated at end */
	check_sanitize("\xe5\xbc" "A", 0, "\xef\xbf\xbd\xef\xbf\xbd" "A");
	check_sanitize("\xf4\x90\x80\x80", 0,
		       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* > U+10FFFF */
	check_sanitize("\xff\xfe", 0, "\xef\xbf\xbd\xef\xbf\xbd");
	/* the largest valid code points survive */
	check_sanitize("\xf4\x8f\xbf\xbf", 0, "\xf4\x8f\xbf\xbf");
	check_sanitize("\xed\x9f\xbf", 0, "\xed\x9f\xbf"); /* U+D7FF */
}

/* Pseudo-random bytes (fixed seed): whatever comes in, what goes out is
 * safe, measures the same and is a fixed point. */
static void test_sanitize_random_bytes(void **state)
{
	uint32_t seed = 12345;
	int round;

	(void)state;
	for (round = 0; round < 3000; round++) {
		char in[33];
		char *out, *again;
		int i, n;

		seed = seed * 1103515245u + 12345u;
		n = (int)(seed >> 16) % 32;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (char)((seed >> 16) % 255 + 1);
		}
		in[n] = 0;
		out = text_sanitize(in, 0);
		assert_true(terminal_safe(out, 0));
		assert_int_equal(text_width(in), text_width(out));
		again = text_sanitize(out, 0);
		assert_string_equal(again, out);
		free(again);
		free(out);
	}
}

/* ---- decode / cursor movement --------------------------------------- */

static void test_decode(void **state)
{
	const char *s = "a张\xff";
	size_t len = strlen(s), pos = 0;
	uint32_t cp;

	(void)state;
	assert_int_equal(text_decode(s, len, &pos, &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(text_decode(s, len, &pos, &cp), 1);
	assert_int_equal(cp, 0x5F20);
	assert_int_equal(pos, 4);
	assert_int_equal(text_decode(s, len, &pos, &cp), 0);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(pos, 5);
	/* a sequence cut by len is invalid, even if the bytes go on */
	pos = 1;
	assert_int_equal(text_decode(s, 3, &pos, &cp), 0);
	assert_int_equal(pos, 2);
}

static void test_next_prev(void **state)
{
	const char *s = "a张\xf0\x9f\x98\x80" "b\xff" "c"; /* a 张 😀 b <bad> c */
	size_t want[] = { 0, 1, 4, 8, 9, 10, 11 };
	size_t i, pos;

	(void)state;
	for (i = 0, pos = 0; i + 1 < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(pos, want[i]);
		pos = text_next(s, pos);
	}
	assert_int_equal(pos, 11);
	assert_int_equal(text_next(s, 11), 11); /* at the end */
	for (i = sizeof want / sizeof want[0] - 1; i > 0; i--) {
		assert_int_equal(pos, want[i]);
		pos = text_prev(s, pos);
	}
	assert_int_equal(pos, 0);
	assert_int_equal(text_prev(s, 0), 0);
	/* four continuation bytes: each one is its own character */
	assert_int_equal(text_prev("a\x80\x80\x80\x80", 5), 4);
	assert_int_equal(text_next("\x80\x80", 0), 1);
}

/* ---- wrap ----------------------------------------------------------- */

/* Wrap s and compare with the expected line starts; also check that no
 * line's drawable part is wider than cells (unless it is one character
 * wider than the whole line). */
static void check_wrap(const char *s, int cells, const size_t *want, size_t nwant)
{
	size_t starts[64], n, i, len = strlen(s);

	n = text_wrap(s, cells, starts, 64);
	assert_int_equal(n, nwant);
	for (i = 0; i < n; i++) {
		size_t next = i + 1 < n ? starts[i + 1] : len;
		size_t end = text_line_end(s, starts[i], next);
		char *line = strndup(s + starts[i], end - starts[i]);

		assert_non_null(line);
		if (want)
			assert_int_equal(starts[i], want[i]);
		if (text_next(line, 0) != strlen(line))
			assert_true(text_width(line) <= cells);
		free(line);
	}
}

static void test_wrap_cjk_odd_widths(void **state)
{
	const char *s = "张三李四王五"; /* 6 characters, 12 cells */
	size_t at5[] = { 0, 6, 12 }, at3[] = { 0, 3, 6, 9, 12, 15 };
	size_t at7[] = { 0, 9 }, at1[] = { 0, 3, 6, 9, 12, 15 };

	(void)state;
	check_wrap(s, 5, at5, 3);
	check_wrap(s, 3, at3, 6);
	check_wrap(s, 7, at7, 2);
	check_wrap(s, 1, at1, 6); /* too narrow: one character a line */
	check_wrap(s, 12, NULL, 1);
}

static void test_wrap_latin_and_newlines(void **state)
{
	size_t a[] = { 0, 12 }, b[] = { 0, 6, 12 }, c[] = { 0, 4, 8 };
	size_t d[] = { 0, 3 }, e[] = { 0, 2 };

	(void)state;
	check_wrap("hello world foo", 11, a, 2);
	check_wrap("hello world foo", 7, b, 3);
	check_wrap("abcdefghij", 4, c, 3); /* a word longer than the line */
	check_wrap("ab\ncd", 10, d, 2);
	check_wrap("a\n", 10, e, 2);
	check_wrap("", 10, NULL, 1);
	assert_int_equal(text_wrap(NULL, 10, NULL, 0), 1);
}

static void test_wrap_chinese_punctuation(void **state)
{
	/* "，" may not start a line: 好 moves down with it */
	size_t want[] = { 0, 3, 9 };
	size_t mixed[] = { 0, 5 };

	(void)state;
	check_wrap("你好，世界", 4, want, 3);
	/* Latin word then CJK: break before the ideograph */
	check_wrap("Email地址", 6, mixed, 2);
}

static void test_wrap_count_beyond_max(void **state)
{
	size_t starts[3] = { 111, 222, 333 };
	size_t n;

	(void)state;
	n = text_wrap("张三李四王五", 2, starts, 2);
	assert_int_equal(n, 6);
	assert_int_equal(starts[0], 0);
	assert_int_equal(starts[1], 3);
	assert_int_equal(starts[2], 333); /* not written past max */
}

static void test_wrap_property(void **state)
{
	static const char *const texts[] = {
		"您好：关于社保卡补办的问题，请携带身份证原件到三号窗口办理。谢谢！",
		"Please bring your ID card (original) to window 3. 请到三号窗口。",
		"line one\nline two is somewhat longer\n\nend",
		"e\xcc\x81\xcc\x81 combining marks stay attached",
		/* found by the fuzzer: zero-width marks after hanging spaces */
		"abc \xe2\x80\x8b" "def",
		"abc    \xcc\x81" "def",
		"9 \xcc\x81",
	};
	size_t t;
	int cells;

	(void)state;
	for (t = 0; t < sizeof texts / sizeof texts[0]; t++)
		for (cells = 1; cells <= 30; cells++)
			check_wrap(texts[t], cells, NULL,
				   text_wrap(texts[t], cells, NULL, 0));
}

/* ---- masks ---------------------------------------------------------- */

static void test_mask_id(void **state)
{
	char *m;
	size_t n;

	(void)state;
	m = text_mask_id("230102199001011234");
	assert_string_equal(m, "230102********1234");
	free(m);
	m = text_mask_id("23010219900101123X");
	assert_string_equal(m, "230102********123X");
	free(m);
	m = text_mask_id(NULL);
	assert_string_equal(m, "");
	free(m);
	/* shorter: never more than a third visible, same length */
	for (n = 1; n < 18; n++) {
		char in[19];
		size_t i, stars = 0;

		memcpy(in, "12345678901234567", n);
		in[n] = 0;
		m = text_mask_id(in);
		assert_int_equal(strlen(m), n);
		for (i = 0; i < n; i++)
			stars += m[i] == '*';
		assert_true(n - stars <= n / 3);
		free(m);
	}
}

static void test_mask_phone(void **state)
{
	char *m;

	(void)state;
	m = text_mask_phone("13812345678");
	assert_string_equal(m, "138****5678");
	free(m);
	m = text_mask_phone("123456");
	assert_string_equal(m, "1****6");
	free(m);
	m = text_mask_phone("");
	assert_string_equal(m, "");
	free(m);
	m = text_mask_phone("\x1b[2J13812345678"); /* still safe */
	assert_true(terminal_safe(m, 0));
	free(m);
}

/* The markers a one-time notice and a reply use, and lines that only look
 * like one. */
static void test_list_marker(void **state)
{
	(void)state;
	assert_int_equal(text_list_marker("1. 身份证原件"), 3);
	assert_int_equal(text_list_marker("12. 营业执照"), 4);
	assert_int_equal(text_list_marker("3、申请书"), 4);
	assert_int_equal(text_list_marker("（4）股东会决议"), 7);
	assert_int_equal(text_list_marker("(5) 委托书"), 4);
	assert_int_equal(text_list_marker("• 其他"), 4);
	assert_int_equal(text_list_marker("- 其他"), 2);
	assert_int_equal(text_list_marker("  2. indented"), 5);
	assert_int_equal(text_list_marker("2026 年"), 0);
	assert_int_equal(text_list_marker("-1 天"), 0);
	assert_int_equal(text_list_marker("（其他）"), 0);
	assert_int_equal(text_list_marker(""), 0);
	assert_int_equal(text_list_marker(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_ascii),
		cmocka_unit_test(test_width_cjk),
		cmocka_unit_test(test_width_combining),
		cmocka_unit_test(test_width_emoji),
		cmocka_unit_test(test_width_of_sanitised),
		cmocka_unit_test(test_fit_cut_never_splits),
		cmocka_unit_test(test_fit_pad),
		cmocka_unit_test(test_fit_edges),
		cmocka_unit_test(test_sanitize_every_c0),
		cmocka_unit_test(test_sanitize_del_and_c1),
		cmocka_unit_test(test_sanitize_escape_sequences),
		cmocka_unit_test(test_sanitize_bidi),
		cmocka_unit_test(test_sanitize_invalid_utf8),
		cmocka_unit_test(test_sanitize_random_bytes),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_next_prev),
		cmocka_unit_test(test_wrap_cjk_odd_widths),
		cmocka_unit_test(test_wrap_latin_and_newlines),
		cmocka_unit_test(test_wrap_chinese_punctuation),
		cmocka_unit_test(test_wrap_count_beyond_max),
		cmocka_unit_test(test_wrap_property),
		cmocka_unit_test(test_mask_id),
		cmocka_unit_test(test_mask_phone),
		cmocka_unit_test(test_list_marker),
	};

	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "test_text: the C.UTF-8 locale is missing\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
