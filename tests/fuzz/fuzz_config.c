/* fuzz_config.c - libFuzzer target for config_load() (src/common/config.c).
 *
 * Writes each input to a file in a private temporary directory and loads
 * it.  config.h promises a complete, validated configuration or NULL with
 * a one-line message "FILE:LINE: ..." - never a crash, never half a
 * configuration.  Checked with abort():
 *
 *   - on success every key of the table reads back: text that is valid
 *     UTF-8 without control characters, ints in [min, max], bools 0/1,
 *     times 0..1439, enums spelt as one of their choices;
 *   - on failure the message is non-empty, starts with the file name and
 *     a ':', is one line of valid UTF-8 without control characters (user
 *     text is quoted through text_fit, so the file cannot put an escape
 *     sequence on the screen);
 *   - a small error buffer (1..80 bytes) gives the same outcome and a
 *     prefix of the full message, cut at a character boundary.
 *
 * Build (see tests/fuzz/run.sh):
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE \
 *     -Isrc -I/usr/include/iniparser tests/fuzz/fuzz_config.c \
 *     src/common/config.c src/common/text.c src/common/xalloc.c \
 *     src/common/i18n.c -liniparser -o fuzz_config
 */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "fuzz_config: %s:%d: check failed: %s: ", \
				__FILE__, __LINE__, #cond);                   \
			fprintf(stderr, __VA_ARGS__);                         \
			fputc('\n', stderr);                                  \
			abort();                                              \
		}                                                             \
	} while (0)

static char dir[4096];
static char path[4200];

/* Strict UTF-8 (Unicode table 3-7) with no C0, DEL or C1 control. */
static void check_line(const char *what, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0;

	while (i < len) {
		unsigned c = p[i];
		size_t n, k;
		uint32_t v;

		if (c < 0x80) {
			CHECK(c >= 0x20 && c != 0x7F, "%s: control 0x%02x at byte %zu: \"%s\"",
			      what, c, i, s);
			i++;
			continue;
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
			CHECK(0, "%s: invalid UTF-8 lead 0x%02x at byte %zu", what, c, i);
		}
		CHECK(len - i >= n, "%s: truncated UTF-8 at byte %zu", what, i);
		for (k = 1; k < n; k++) {
			CHECK((p[i + k] & 0xC0) == 0x80, "%s: invalid UTF-8 at byte %zu", what,
			      i + k);
			v = (v << 6) | (p[i + k] & 0x3F);
		}
		CHECK(!((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
			(v >= 0xD800 && v <= 0xDFFF)),
		      "%s: overlong or surrogate at byte %zu", what, i);
		CHECK(!(v >= 0x80 && v <= 0x9F), "%s: C1 control at byte %zu", what, i);
		i += n;
	}
}

static void check_config(const config *c)
{
	size_t n, i, j;
	const config_key *keys = config_keys(&n);

	for (i = 0; i < n; i++) {
		const config_key *k = &keys[i];
		const char *text = config_str(c, k->section, k->name);

		CHECK(text != NULL, "[%s] %s: no text", k->section, k->name);
		check_line(k->name, text);
		switch (k->type) {
		case CONFIG_INT: {
			long v = config_int(c, k->section, k->name);

			CHECK(v >= k->min && v <= k->max, "[%s] %s = %ld out of range", k->section,
			      k->name, v);
			break;
		}
		case CONFIG_BOOL: {
			int v = config_bool(c, k->section, k->name);

			CHECK(v == 0 || v == 1, "[%s] %s = %d", k->section, k->name, v);
			CHECK(!strcmp(text, v ? "true" : "false"), "[%s] %s: text \"%s\"",
			      k->section, k->name, text);
			break;
		}
		case CONFIG_TIME: {
			int v = config_time(c, k->section, k->name);

			CHECK(v >= 0 && v < 1440, "[%s] %s = %d", k->section, k->name, v);
			break;
		}
		case CONFIG_ENUM:
			for (j = 0; k->choices[j]; j++)
				if (!strcmp(text, k->choices[j]))
					break;
			CHECK(k->choices[j] != NULL, "[%s] %s = \"%s\" is no choice", k->section,
			      k->name, text);
			break;
		case CONFIG_URL:
			CHECK(!*text || !strncasecmp(text, "http://", 7) ||
				      !strncasecmp(text, "https://", 8),
			      "[%s] %s = \"%s\"", k->section, k->name, text);
			break;
		case CONFIG_PATH:
			CHECK(!*text || text[0] == '/', "[%s] %s = \"%s\" is not absolute",
			      k->section, k->name, text);
			break;
		default:
			break;
		}
	}
}

static void cleanup(void)
{
	if (path[0])
		unlink(path);
	if (dir[0])
		rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	setlocale(LC_ALL, "C.UTF-8");
	/* "~/..." paths expand from $HOME: make that deterministic. */
	setenv("HOME", "/home/fuzz", 1);
	if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(dir, sizeof dir, "%s/fuzz_config.XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		perror("fuzz_config: mkdtemp");
		abort();
	}
	snprintf(path, sizeof path, "%s/hallterm.ini", dir);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	char err[1024], small[80];
	size_t plen = strlen(path), smalllen;
	config *c, *c2;
	int ok;

	CHECK(f != NULL, "cannot write %s", path);
	CHECK(fwrite(data, 1, size, f) == size, "short write to %s", path);
	CHECK(fclose(f) == 0, "cannot close %s", path);

	memset(err, 'X', sizeof err);
	c = config_load(path, err, sizeof err);
	ok = c != NULL;
	if (ok) {
		CHECK(err[0] == '\0', "success, but the error message is \"%.*s\"",
		      (int)sizeof err - 1, err);
		check_config(c);
	} else {
		CHECK(memchr(err, '\0', sizeof err) != NULL, "error message not terminated");
		CHECK(strlen(err) > plen && !strncmp(err, path, plen) && err[plen] == ':',
		      "error message does not start with \"%s:\": \"%s\"", path, err);
		check_line("error message", err);
	}

	/* The same with a short buffer: same outcome, a prefix of the full
	 * message, still valid UTF-8. */
	smalllen = 1 + (size ? data[size - 1] : 0) % sizeof small;
	memset(small, 'X', sizeof small);
	c2 = config_load(path, small, smalllen);
	CHECK(ok == (c2 != NULL), "config_load: different outcome with a %zu-byte buffer", smalllen);
	CHECK(memchr(small, '\0', smalllen) != NULL, "short error message not terminated");
	CHECK(smalllen == sizeof small || small[smalllen] == 'X',
	      "config_load wrote past errlen %zu", smalllen);
	if (!ok) {
		CHECK(!strncmp(small, err, strlen(small)),
		      "short message \"%s\" is not a prefix of \"%s\"", small, err);
		check_line("short error message", small);
	}
	config_free(c);
	config_free(c2);

	/* errlen 0 and err NULL must be accepted too. */
	c2 = config_load(path, NULL, 0);
	CHECK(ok == (c2 != NULL), "config_load: different outcome without a buffer");
	config_free(c2);
	return 0;
}
