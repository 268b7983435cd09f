/* text.c - UTF-8 decoding, sanitising, measuring, cutting and wrapping.
 *
 * Decoding is done by hand (not mbrtowc) so the result does not depend on
 * the locale's idea of validity, and every invalid byte is handled the same
 * way in every function: one U+FFFD, one cell, one cursor step.
 */
#include "common/text.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "common/xalloc.h"

/* wcwidth() is called with code points cast to wchar_t. */
#ifndef __STDC_ISO_10646__
#error "wchar_t must hold Unicode code points (__STDC_ISO_10646__)"
#endif

int text_decode(const char *s, size_t len, size_t *pos, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = *pos, n, k;
	unsigned c, lo = 0x80, hi = 0xBF;
	uint32_t v;

	*cp = TEXT_REPLACEMENT;
	if (i >= len)
		return 0;
	c = p[i];
	if (c < 0x80) {
		*cp = c;
		*pos = i + 1;
		return 1;
	}
	/* The second-byte limits reject overlongs (E0, F0), surrogates (ED)
	 * and code points above U+10FFFF (F4); C0, C1 and F5..FF never start
	 * a valid sequence (Unicode table 3-7). */
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		goto bad;
	}
	if (len - i - 1 < n)
		goto bad;
	for (k = 1; k <= n; k++) {
		unsigned b = p[i + k];

		if (b < lo || b > hi)
			goto bad;
		lo = 0x80;
		hi = 0xBF;
		v = (v << 6) | (b & 0x3F);
	}
	*cp = v;
	*pos = i + 1 + n;
	return 1;
bad:
	*pos = i + 1;
	return 0;
}

/* Characters that reorder or break the surrounding text on a bidi-aware
 * terminal, so a name could make an ID number read backwards. */
static int is_bidi_control(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x2028 || cp == 0x2029;
}

/* What a (valid) code point is drawn as, ignoring the '\n' and '\t'
 * flags. */
static uint32_t visible_cp(uint32_t cp)
{
	if (cp < 0x20)
		return 0x2400 + cp;
	if (cp == 0x7F)
		return 0x2421;
	if (cp >= 0x80 && cp <= 0x9F)
		return TEXT_REPLACEMENT;
	if (is_bidi_control(cp))
		return TEXT_REPLACEMENT;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return TEXT_REPLACEMENT;
	return cp;
}

int text_cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)visible_cp(cp));

	/* -1 means unprintable in this locale; the terminal will still use a
	 * cell for whatever it draws. */
	if (w < 0)
		return 1;
	return w > 2 ? 2 : w;
}

static size_t encode(char *out, uint32_t cp)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

char *text_sanitize(const char *s, int flags)
{
	size_t len, pos = 0, n = 0;
	char *out;

	if (!s)
		return x_strdup("");
	len = strlen(s);
	/* Worst case is 3 output bytes per input byte (a control or invalid
	 * byte becomes a 3-byte picture or U+FFFD). */
	if (len > (SIZE_MAX - 1) / 3)
		x_fatal("text_sanitize: string too long");
	out = x_malloc(len * 3 + 1);

	while (pos < len) {
		uint32_t cp;

		if (!text_decode(s, len, &pos, &cp)) {
			n += encode(out + n, TEXT_REPLACEMENT);
			continue;
		}
		if (cp == '\n' && (flags & TEXT_KEEP_NEWLINE)) {
			out[n++] = '\n';
			continue;
		}
		/* Web forms send "\r\n"; a "␍" at every line end is noise. */
		if (cp == '\r' && (flags & TEXT_KEEP_NEWLINE) && s[pos] == '\n')
			continue;
		if (cp == '\t' && (flags & TEXT_TAB_SPACE)) {
			out[n++] = ' ';
			continue;
		}
		n += encode(out + n, visible_cp(cp));
	}
	out[n] = '\0';
	return x_realloc(out, n + 1);
}

/* Width of the character at *pos as drawn after sanitising; advances
 * *pos. */
static int next_width(const char *s, size_t len, size_t *pos, uint32_t *cpp)
{
	uint32_t cp;

	if (!text_decode(s, len, pos, &cp))
		cp = TEXT_REPLACEMENT;
	if (cpp)
		*cpp = cp;
	return text_cp_width(cp);
}

int text_width(const char *s)
{
	size_t len, pos = 0;
	long w = 0;

	if (!s)
		return 0;
	len = strlen(s);
	while (pos < len && w < INT_MAX)
		w += next_width(s, len, &pos, NULL);
	return w > INT_MAX ? INT_MAX : (int)w;
}

char *text_fit(const char *s, int cells, int flags)
{
	char *t, *out;
	size_t len, pos = 0, cut = 0, n = 0, keep;
	int w = 0, cutw = 0, outw, pad = 0, over = 0;

	if (cells <= 0)
		return x_strdup("");
	/* One line: a kept '\n' would move the cursor. */
	t = text_sanitize(s, flags & TEXT_TAB_SPACE);
	len = strlen(t);

	/* Walk until the text is known to be too wide, remembering the last
	 * boundary that still leaves a cell for the cut mark. */
	while (pos < len) {
		int cw = next_width(t, len, &pos, NULL);

		if (w + cw <= cells - 1) {
			cut = pos;
			cutw = w + cw;
		}
		w += cw;
		if (w > cells) {
			over = 1;
			break;
		}
	}

	keep = over ? cut : len;
	outw = over ? cutw + 1 : w;
	if (flags & (TEXT_PAD | TEXT_ALIGN_RIGHT))
		pad = cells - outw;

	out = x_malloc(keep + strlen(TEXT_CUT_MARK) + (size_t)pad + 1);
	if (flags & TEXT_ALIGN_RIGHT) {
		memset(out, ' ', (size_t)pad);
		n = (size_t)pad;
	}
	memcpy(out + n, t, keep);
	n += keep;
	if (over) {
		memcpy(out + n, TEXT_CUT_MARK, strlen(TEXT_CUT_MARK));
		n += strlen(TEXT_CUT_MARK);
	}
	if (!(flags & TEXT_ALIGN_RIGHT)) {
		memset(out + n, ' ', (size_t)pad);
		n += (size_t)pad;
	}
	out[n] = '\0';
	free(t);
	return out;
}

size_t text_next(const char *s, size_t pos)
{
	uint32_t cp;
	size_t len;

	if (!s || !s[pos])
		return pos;
	/* A sequence is at most 4 bytes: no need to measure the rest. */
	len = pos + strnlen(s + pos, 4);
	text_decode(s, len, &pos, &cp);
	return pos;
}

size_t text_prev(const char *s, size_t pos)
{
	size_t start = pos, p;
	uint32_t cp;

	if (!s || pos == 0)
		return 0;
	/* Back over at most 3 continuation bytes to a candidate start, then
	 * check that it really decodes to a sequence ending at pos; if not,
	 * the byte before pos is an invalid byte, a character of its own. */
	while (start > 0 && pos - start < 4) {
		start--;
		if (((unsigned char)s[start] & 0xC0) != 0x80)
			break;
	}
	p = start;
	if (text_decode(s, pos, &p, &cp) && p == pos)
		return start;
	return pos - 1;
}

/* Chinese typesetting: these may not start a line ... */
static int no_break_before(uint32_t cp)
{
	static const uint32_t set[] = {
		',', '.', ';', ':', '!', '?', ')', ']', '}',
		0x00B7, 0x2019, 0x201D, 0x2026, 0x3001, 0x3002, 0x3009,
		0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x30FB, 0xFF01,
		0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF3D,
		0xFF5D,
	};
	size_t i;

	for (i = 0; i < sizeof set / sizeof set[0]; i++)
		if (set[i] == cp)
			return 1;
	return 0;
}

/* ... and these may not end one. */
static int no_break_after(uint32_t cp)
{
	static const uint32_t set[] = {
		'(', '[', '{', 0x2018, 0x201C, 0x3008, 0x300A, 0x300C,
		0x300E, 0x3010, 0x3014, 0xFF08, 0xFF3B, 0xFF5B,
	};
	size_t i;

	for (i = 0; i < sizeof set / sizeof set[0]; i++)
		if (set[i] == cp)
			return 1;
	return 0;
}

/* May a line break go between prev and cp (cw = width of cp)?  After a
 * space, or next to a wide (CJK) character unless punctuation forbids it.
 * Never before a zero-width mark, which belongs to the character before
 * it. */
static int can_break(uint32_t prev, uint32_t cp, int cw)
{
	if (cw == 0)
		return 0;
	if (prev == ' ')
		return 1;
	if (no_break_before(cp) || no_break_after(prev))
		return 0;
	return cw == 2 || text_cp_width(prev) == 2;
}

/* Lay out one line from start; returns where the next line starts and
 * sets *more if there is one. */
static size_t wrap_line(const char *s, size_t len, size_t start, int cells,
			int *more)
{
	size_t pos = start, brk = 0;
	uint32_t prev = 0;
	long w = 0;

	*more = 1;
	while (pos < len) {
		size_t next = pos;
		uint32_t cp;
		int cw = next_width(s, len, &next, &cp);
		int ok;

		if (cp == '\n')
			return next;
		/* Spaces hang past the edge rather than start the next line. */
		if (cp == ' ') {
			w++;
			prev = cp;
			pos = next;
			continue;
		}
		/* A zero-width mark after hanging spaces would keep them on a
		 * line they overflow: break before it instead (found by
		 * tests/fuzz/fuzz_text.c with U+200B and U+0301). */
		if (cw == 0 && prev == ' ' && w > cells && pos > start)
			return pos;
		ok = pos > start && can_break(prev, cp, cw);
		if (cw > 0 && w + cw > cells && pos > start) {
			if (ok)
				return pos;
			if (brk)
				return brk;
			return pos; /* a word longer than the line */
		}
		if (ok)
			brk = pos;
		w += cw;
		prev = cp;
		pos = next;
	}
	*more = 0;
	return len;
}

size_t text_wrap(const char *s, int cells, size_t *starts, size_t max)
{
	size_t len, start = 0, n = 0;
	int more = 1;

	if (!s)
		s = "";
	if (cells < 1)
		cells = 1;
	len = strlen(s);
	while (more) {
		if (n < max)
			starts[n] = start;
		n++;
		start = wrap_line(s, len, start, cells, &more);
	}
	return n;
}

size_t text_line_end(const char *s, size_t start, size_t next)
{
	size_t e = next;

	if (e > start && s[e - 1] == '\n')
		e--;
	while (e > start && s[e - 1] == ' ')
		e--;
	return e;
}

/* Keep `head` characters and `tail` characters of a sanitised copy of s,
 * '*' in between.  Below `full` characters, at most a third is shown. */
static char *mask(const char *s, size_t full, size_t head, size_t tail)
{
	char *t = text_sanitize(s, 0), *out;
	size_t len = strlen(t), pos = 0, nchars = 0, i, n = 0, head_end, tail_start;

	while (pos < len) {
		pos = text_next(t, pos);
		nchars++;
	}
	if (nchars < full) {
		size_t visible = nchars / 3;

		tail = visible / 2;
		head = visible - tail;
	}
	head_end = 0;
	for (i = 0; i < head; i++)
		head_end = text_next(t, head_end);
	tail_start = len;
	for (i = 0; i < tail; i++)
		tail_start = text_prev(t, tail_start);

	out = x_malloc(len + nchars + 1);
	memcpy(out, t, head_end);
	n = head_end;
	for (i = head + tail; i < nchars; i++)
		out[n++] = '*';
	memcpy(out + n, t + tail_start, len - tail_start);
	n += len - tail_start;
	out[n] = '\0';
	free(t);
	return out;
}

char *text_mask_id(const char *id)
{
	return mask(id, 18, 6, 4);
}

char *text_mask_phone(const char *p)
{
	return mask(p, 11, 3, 4);
}

size_t text_list_marker(const char *p)
{
	size_t i = 0;

	if (!p)
		return 0;
	while (p[i] == ' ')
		i++;
	if (p[i] >= '0' && p[i] <= '9') {
		while (p[i] >= '0' && p[i] <= '9')
			i++;
		if (p[i] == '.' || p[i] == ')')
			i++;
		else if (strncmp(p + i, "、", 3) == 0 || strncmp(p + i, "．", 3) == 0)
			i += 3;
		else
			return 0;
	} else if (strncmp(p + i, "（", 3) == 0 || p[i] == '(') {
		size_t j = i + (p[i] == '(' ? 1 : 3), k = j;

		while (p[k] >= '0' && p[k] <= '9')
			k++;
		if (k == j)
			return 0;
		if (strncmp(p + k, "）", 3) == 0)
			i = k + 3;
		else if (p[k] == ')')
			i = k + 1;
		else
			return 0;
	} else if (strncmp(p + i, "•", 3) == 0 || p[i] == '-') {
		i += p[i] == '-' ? 1 : 3;
		if (p[i] != ' ')
			return 0;
	} else {
		return 0;
	}
	while (p[i] == ' ')
		i++;
	return i;
}
