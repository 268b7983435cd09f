/* fuzz_text.c - libFuzzer target for src/common/text.c.
 *
 * Feeds arbitrary bytes (as a NUL-terminated copy; an embedded NUL simply
 * ends the string, as it would for a C caller) to every routine of text.h
 * and checks the promises of its header with abort(), so libFuzzer reports
 * a broken invariant as a crash with the input that caused it:
 *
 *   - everything returned is valid UTF-8 that is safe to draw: no byte
 *     below 0x20 (except '\n' where TEXT_KEEP_NEWLINE keeps it), no DEL,
 *     no C1 control (U+0080-U+009F), no bidi control or U+2028/U+2029;
 *   - text_sanitize is idempotent, and text_width(s) is the width of
 *     text_sanitize(s, 0);
 *   - text_fit: at most `cells` wide, exactly `cells` with TEXT_PAD or
 *     TEXT_ALIGN_RIGHT, unchanged (but sanitised) when it fits, ending in
 *     the cut mark when it does not, "" for cells <= 0;
 *   - text_wrap: >= 1 line, starts[0] == 0, starts strictly increasing,
 *     on character boundaries, the same count with and without an array,
 *     and each line's drawable part fits (or is one over-wide character);
 *   - text_next/text_prev: the forward and backward walks visit the same
 *     boundaries, which are those of text_decode;
 *   - text_mask_id/text_mask_phone: safe, and as many characters as the
 *     sanitised input.
 *
 * Build (see tests/fuzz/run.sh):
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE \
 *     -Isrc -I/usr/include/iniparser tests/fuzz/fuzz_text.c \
 *     src/common/text.c src/common/xalloc.c src/common/i18n.c -o fuzz_text
 */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report which invariant broke before aborting: the crash input alone
 * does not say. */
#define CHECK(cond, ...)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "fuzz_text: %s:%d: check failed: %s: ", \
				__FILE__, __LINE__, #cond);                 \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
			abort();                                            \
		}                                                           \
	} while (0)

/* An independent strict UTF-8 decoder (Unicode table 3-7), so a bug in
 * text_decode cannot hide itself.  Returns the sequence length, 0 if
 * invalid. */
static size_t utf8_seq(const unsigned char *p, size_t avail, uint32_t *cp)
{
	unsigned c = p[0];
	size_t n, k;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[k] & 0x3F);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

static int is_bidi_or_separator(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x2028 || cp == 0x2029;
}

/* Valid UTF-8, nothing that moves the cursor or changes the terminal's
 * state.  Returns the number of characters. */
static size_t check_safe(const char *what, const char *s, int newline_ok)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, chars = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_seq(p + i, len - i, &cp);

		CHECK(n > 0, "%s: invalid UTF-8 at byte %zu (0x%02x)", what, i, p[i]);
		CHECK(cp >= 0x20 || (cp == '\n' && newline_ok),
		      "%s: control 0x%02x at byte %zu", what, (unsigned)cp, i);
		CHECK(cp != 0x7F, "%s: DEL at byte %zu", what, i);
		CHECK(!(cp >= 0x80 && cp <= 0x9F), "%s: C1 control U+%04X at byte %zu",
		      what, (unsigned)cp, i);
		CHECK(!is_bidi_or_separator(cp), "%s: bidi/separator U+%04X at byte %zu",
		      what, (unsigned)cp, i);
		i += n;
		chars++;
	}
	return chars;
}

/* Characters of s as text_decode counts them (an invalid byte is one). */
static size_t count_chars(const char *s)
{
	size_t len = strlen(s), pos = 0, n = 0;
	uint32_t cp;

	while (pos < len) {
		size_t before = pos;

		text_decode(s, len, &pos, &cp);
		CHECK(pos > before && pos - before <= 4, "text_decode advanced %zu bytes",
		      pos - before);
		n++;
	}
	return n;
}

static int width_of(const char *s, size_t from, size_t to)
{
	char *t = strndup(s + from, to - from);
	int w;

	CHECK(t != NULL, "out of memory");
	w = text_width(t);
	free(t);
	return w;
}

static void check_sanitize(const char *s)
{
	static const int flagsets[] = {
		0, TEXT_KEEP_NEWLINE, TEXT_TAB_SPACE, TEXT_KEEP_NEWLINE | TEXT_TAB_SPACE,
		/* Flags sanitize ignores must change nothing. */
		TEXT_PAD | TEXT_ALIGN_RIGHT,
	};
	char *plain = NULL;
	size_t i;

	for (i = 0; i < sizeof flagsets / sizeof flagsets[0]; i++) {
		int f = flagsets[i];
		char *t = text_sanitize(s, f), *again;

		CHECK(t != NULL, "text_sanitize returned NULL");
		check_safe("text_sanitize", t, f & TEXT_KEEP_NEWLINE);
		if (!(f & TEXT_KEEP_NEWLINE))
			CHECK(!strchr(t, '\n'), "text_sanitize(flags %d) kept a newline", f);
		/* One character for one; only "\r\n" -> "\n" merges two. */
		if (!(f & TEXT_KEEP_NEWLINE))
			CHECK(count_chars(t) == count_chars(s),
			      "text_sanitize(flags %d): %zu characters became %zu", f,
			      count_chars(s), count_chars(t));
		again = text_sanitize(t, f);
		CHECK(!strcmp(again, t), "text_sanitize(flags %d) is not idempotent", f);
		free(again);
		if (f == 0)
			plain = t;
		else if (f == (TEXT_PAD | TEXT_ALIGN_RIGHT)) {
			CHECK(!strcmp(t, plain), "text_sanitize: fit flags changed the result");
			free(t);
		} else
			free(t);
	}
	CHECK(text_width(s) == text_width(plain),
	      "text_width(s) = %d but text_width(text_sanitize(s, 0)) = %d",
	      text_width(s), text_width(plain));
	free(plain);
}

static void check_fit(const char *s)
{
	static const int widths[] = { 1, 2, 3, 5, 13, 80 };
	static const int flagsets[] = {
		0, TEXT_PAD, TEXT_ALIGN_RIGHT, TEXT_TAB_SPACE | TEXT_PAD,
	};
	size_t i, j;
	char *one_line = text_sanitize(s, 0);
	char *one_line_tab = text_sanitize(s, TEXT_TAB_SPACE);
	int full = text_width(one_line), full_tab = text_width(one_line_tab);

	for (j = 0; j < sizeof flagsets / sizeof flagsets[0]; j++) {
		int f = flagsets[j];
		char *t;

		t = text_fit(s, 0, f);
		CHECK(!strcmp(t, ""), "text_fit(s, 0, %d) is not empty", f);
		free(t);
		t = text_fit(s, -3, f);
		CHECK(!strcmp(t, ""), "text_fit(s, -3, %d) is not empty", f);
		free(t);

		for (i = 0; i < sizeof widths / sizeof widths[0]; i++) {
			int w = widths[i], tw;
			int pad = f & (TEXT_PAD | TEXT_ALIGN_RIGHT);
			const char *src = (f & TEXT_TAB_SPACE) ? one_line_tab : one_line;
			int srcw = (f & TEXT_TAB_SPACE) ? full_tab : full;

			t = text_fit(s, w, f);
			check_safe("text_fit", t, 0);
			tw = text_width(t);
			if (pad)
				CHECK(tw == w, "text_fit(s, %d, %d) is %d cells wide", w, f, tw);
			else
				CHECK(tw <= w, "text_fit(s, %d, %d) is %d cells wide", w, f, tw);
			if (srcw <= w) {
				/* It fits: the sanitised text, padded as asked. */
				size_t sl = strlen(src), tl = strlen(t);

				CHECK(tl >= sl, "text_fit(s, %d, %d) lost text that fits", w, f);
				if (f & TEXT_ALIGN_RIGHT)
					CHECK(!strcmp(t + (tl - sl), src),
					      "text_fit(s, %d, %d): text that fits changed", w, f);
				else
					CHECK(!strncmp(t, src, sl),
					      "text_fit(s, %d, %d): text that fits changed", w, f);
			} else {
				/* Too wide: cut, with the mark right after the kept text. */
				CHECK(strstr(t, TEXT_CUT_MARK) != NULL,
				      "text_fit(s, %d, %d): cut without the mark", w, f);
			}
			free(t);
		}
	}
	free(one_line);
	free(one_line_tab);
}

/* Is off a boundary of s as text_next walks it? */
static int is_boundary(const size_t *bounds, size_t nb, size_t off)
{
	size_t lo = 0, hi = nb;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (bounds[mid] == off)
			return 1;
		if (bounds[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Boundaries 0 .. len by text_next, checked against text_decode and
 * text_prev; returns them (caller frees), count in *nb. */
static size_t *check_walks(const char *s, size_t *nb)
{
	size_t len = strlen(s), pos = 0, n = 0, k;
	size_t *b = malloc((len + 1) * sizeof *b);

	CHECK(b != NULL, "out of memory");
	b[n++] = 0;
	while (pos < len) {
		size_t next = text_next(s, pos), dpos = pos;
		uint32_t cp;

		CHECK(next > pos && next - pos <= 4 && next <= len,
		      "text_next(s, %zu) = %zu (len %zu)", pos, next, len);
		text_decode(s, len, &dpos, &cp);
		CHECK(dpos == next, "text_next(s, %zu) = %zu but text_decode ends at %zu",
		      pos, next, dpos);
		CHECK(text_cp_width(cp) >= 0 && text_cp_width(cp) <= 2,
		      "text_cp_width(U+%04X) = %d", (unsigned)cp, text_cp_width(cp));
		pos = next;
		b[n++] = pos;
	}
	CHECK(text_next(s, len) == len, "text_next at the NUL moved");
	CHECK(text_prev(s, 0) == 0, "text_prev(s, 0) moved");
	/* Backwards from the end: the same boundaries in reverse. */
	pos = len;
	for (k = n - 1; k > 0; k--) {
		size_t prev = text_prev(s, pos);

		CHECK(prev == b[k - 1], "text_prev(s, %zu) = %zu, expected %zu", pos, prev,
		      b[k - 1]);
		pos = prev;
	}
	*nb = n;
	return b;
}

/* One character (and any zero-width marks after it) in s[from..to)? */
static int single_visible_char(const char *s, size_t from, size_t to)
{
	size_t pos = from, wide = 0;
	uint32_t cp;

	while (pos < to) {
		if (!text_decode(s, to, &pos, &cp))
			cp = TEXT_REPLACEMENT;
		if (text_cp_width(cp) > 0)
			wide++;
	}
	return wide == 1;
}

static void check_wrap(const char *label, const char *s)
{
	static const int widths[] = { -1, 1, 2, 3, 7, 20, 80 };
	size_t len = strlen(s), nb, i, k;
	size_t *bounds = check_walks(s, &nb);

	for (i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		int cells = widths[i], eff = cells < 1 ? 1 : cells;
		size_t n = text_wrap(s, cells, NULL, 0), n2, cap;
		size_t *starts;

		CHECK(n >= 1, "%s: text_wrap(s, %d) gave %zu lines", label, cells, n);
		CHECK(n <= len + 1, "%s: text_wrap(s, %d) gave %zu lines for %zu bytes", label,
		      cells, n, len);
		cap = n + 1;
		starts = malloc(cap * sizeof *starts);
		CHECK(starts != NULL, "out of memory");
		starts[n] = (size_t)-1; /* must stay untouched */
		n2 = text_wrap(s, cells, starts, n);
		CHECK(n2 == n, "%s: text_wrap(s, %d): %zu lines, then %zu", label, cells, n, n2);
		CHECK(starts[n] == (size_t)-1, "%s: text_wrap wrote past max", label);
		CHECK(starts[0] == 0, "%s: text_wrap(s, %d): first line starts at %zu", label,
		      cells, starts[0]);
		for (k = 0; k < n; k++) {
			size_t st = starts[k], next = k + 1 < n ? starts[k + 1] : len, end;
			int w;

			CHECK(st <= len, "%s: text_wrap(s, %d): line %zu starts at %zu > %zu", label,
			      cells, k, st, len);
			CHECK(is_boundary(bounds, nb, st),
			      "%s: text_wrap(s, %d): line %zu starts mid-character at %zu", label,
			      cells, k, st);
			if (k + 1 < n)
				CHECK(next > st, "%s: text_wrap(s, %d): line %zu starts at %zu, line %zu at %zu",
				      label, cells, k + 1, next, k, st);
			/* Only the last line may be empty, and only after a
			 * '\n' or for "". */
			if (k + 1 == n && next == st)
				CHECK(st == 0 || s[st - 1] == '\n',
				      "%s: text_wrap(s, %d): empty last line not after a newline",
				      label, cells);
			/* A '\n' only ever ends a line. */
			{
				const char *nl = memchr(s + st, '\n', next - st);

				CHECK(!nl || (size_t)(nl - s) == next - 1,
				      "%s: text_wrap(s, %d): line %zu has a newline inside", label,
				      cells, k);
			}
			end = text_line_end(s, st, next);
			CHECK(end >= st && end <= next, "%s: text_line_end = %zu for [%zu, %zu)", label,
			      end, st, next);
			w = width_of(s, st, end);
			CHECK(w <= eff || single_visible_char(s, st, end),
			      "%s: text_wrap(s, %d): line %zu [%zu, %zu) is %d cells wide", label,
			      cells, k, st, end, w);
		}
		free(starts);
	}
	free(bounds);
}

static void check_mask(const char *s)
{
	char *clean = text_sanitize(s, 0);
	size_t want = count_chars(clean);
	char *id = text_mask_id(s), *phone = text_mask_phone(s);
	size_t nid = check_safe("text_mask_id", id, 0);
	size_t nphone = check_safe("text_mask_phone", phone, 0);

	CHECK(nid == want, "text_mask_id: %zu characters for %zu", nid, want);
	CHECK(nphone == want, "text_mask_phone: %zu characters for %zu", nphone, want);
	/* Short input shows at most a third. */
	if (want < 11) {
		size_t stars = 0, i;

		for (i = 0; phone[i]; i++)
			stars += phone[i] == '*';
		CHECK(stars >= want - want / 3, "text_mask_phone: only %zu of %zu hidden", stars,
		      want);
	}
	free(clean);
	free(id);
	free(phone);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Widths need a UTF-8 LC_CTYPE (text.h); without one CJK would
	 * measure 1 and the width checks would test nothing real. */
	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "en_US.UTF-8")) {
		fprintf(stderr, "fuzz_text: no UTF-8 locale (C.UTF-8)\n");
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *nl;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	check_sanitize(s);
	check_fit(s);
	check_wrap("raw", s);
	nl = text_sanitize(s, TEXT_KEEP_NEWLINE | TEXT_TAB_SPACE);
	check_wrap("sanitized", nl);
	free(nl);
	check_mask(s);
	{
		/* A marker is a prefix of the line, never past its end. */
		size_t mark = text_list_marker(s);

		CHECK(mark <= strlen(s), "text_list_marker: %zu past the end (%zu)", mark, strlen(s));
	}

	/* NULL is documented for all of them. */
	if (size == 0) {
		char *t = text_sanitize(NULL, 0);

		CHECK(!strcmp(t, ""), "text_sanitize(NULL)");
		free(t);
		CHECK(text_width(NULL) == 0, "text_width(NULL)");
		CHECK(text_wrap(NULL, 10, NULL, 0) == 1, "text_wrap(NULL)");
		t = text_mask_id(NULL);
		CHECK(!strcmp(t, ""), "text_mask_id(NULL)");
		free(t);
	}
	free(s);
	return 0;
}
