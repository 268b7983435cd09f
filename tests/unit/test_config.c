/* test_config.c - unit tests for src/common/config.c.
 *
 * Every error a hall administrator can make in hallterm.ini must name the
 * file, the line, the section and the key.  Usage:
 *   test_config [path/to/etc/hallterm.ini]   (or $HALLTERM_INI)
 */
#include <errno.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/config.h"
#include "common/text.h"

static const char *sample_ini = "etc/hallterm.ini";

/* Write content to a new file under /tmp; returns its path (free it after
 * unlink). */
static char *write_temp(const char *content)
{
	char *path = strdup("/tmp/hallterm-test-XXXXXX");
	int fd;
	size_t len = strlen(content);

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	return path;
}

/* Load content; it must fail with exactly "<path>" + want. */
static void expect_error(const char *content, const char *want)
{
	char *path = write_temp(content);
	char err[512], full[600];
	config *c;

	memset(err, 'x', sizeof err);
	c = config_load(path, err, sizeof err);
	assert_null(c);
	snprintf(full, sizeof full, "%s%s", path, want);
	assert_string_equal(err, full);
	unlink(path);
	free(path);
}

static config *load_ok(const char *content)
{
	char *path = write_temp(content);
	char err[512] = "";
	config *c = config_load(path, err, sizeof err);

	if (!c)
		fail_msg("unexpected error: %s", err);
	unlink(path);
	free(path);
	return c;
}

/* ---- the table and defaults ----------------------------------------- */

static void test_table_is_sane(void **state)
{
	size_t n, i, j;
	const config_key *k = config_keys(&n);

	(void)state;
	assert_true(n >= 28);
	for (i = 0; i < n; i++) {
		assert_non_null(k[i].section);
		assert_non_null(k[i].name);
		assert_non_null(k[i].def);
		assert_true(k[i].doc && *k[i].doc);
		if (k[i].type == CONFIG_INT)
			assert_true(k[i].min <= k[i].max);
		if (k[i].type == CONFIG_ENUM)
			assert_non_null(k[i].choices);
		for (j = 0; j < i; j++)
			assert_false(!strcmp(k[i].section, k[j].section) &&
				     !strcmp(k[i].name, k[j].name));
	}
}

static void test_defaults_when_null(void **state)
{
	char err[256] = "untouched";
	config *c = config_load(NULL, err, sizeof err);

	(void)state;
	assert_non_null(c);
	assert_string_equal(err, "");
	assert_string_equal(config_str(c, "database", "dsn"), "");
	assert_int_equal(config_int(c, "database", "connect_timeout"), 10);
	assert_int_equal(config_int(c, "database", "reconnect_max_seconds"), 30);
	assert_string_equal(config_str(c, "ui", "colors"), "auto");
	assert_int_equal(config_bool(c, "ui", "mouse"), 1);
	assert_int_equal(config_int(c, "ui", "warn_days"), 1);
	assert_string_equal(config_str(c, "ui", "theme"), "default");
	assert_int_equal(config_int(c, "ui", "refresh_ms"), 1000);
	assert_string_equal(config_str(c, "drafts", "dir"), "");
	assert_int_equal(config_int(c, "drafts", "autosave_seconds"), 5);
	assert_string_equal(config_str(c, "notify", "url"), "");
	assert_int_equal(config_int(c, "notify", "connect_timeout_ms"), 5000);
	assert_int_equal(config_int(c, "notify", "timeout_ms"), 15000);
	assert_int_equal(config_int(c, "notify", "max_attempts"), 8);
	assert_int_equal(config_int(c, "notify", "batch"), 50);
	assert_int_equal(config_int(c, "notify", "in_flight"), 64);
	assert_int_equal(config_int(c, "notify", "backoff_base_ms"), 1000);
	assert_int_equal(config_int(c, "notify", "backoff_max_ms"), 600000);
	assert_int_equal(config_int(c, "notify", "lease_seconds"), 60);
	assert_int_equal(config_time(c, "notify", "quiet_start"), 21 * 60);
	assert_int_equal(config_time(c, "notify", "quiet_end"), 8 * 60);
	assert_string_equal(config_str(c, "notify", "quiet_start"), "21:00");
	assert_int_equal(config_bool(c, "notify", "insecure"), 0);
	assert_string_equal(config_str(c, "notify", "insecure"), "false");
	config_free(c);
	config_free(NULL);
}

/* ---- the shipped sample --------------------------------------------- */

static void test_sample_loads(void **state)
{
	char err[512] = "";
	config *c = config_load(sample_ini, err, sizeof err);

	(void)state;
	if (!c)
		fail_msg("%s does not load: %s", sample_ini, err);
	assert_int_equal(config_int(c, "ui", "warn_days"), 1);
	config_free(c);
}

/* The sample lists every key, commented out, with its table default, in
 * its section; uncommented it still loads to the defaults. */
static void test_sample_lists_every_key(void **state)
{
	FILE *f = fopen(sample_ini, "r");
	char line[1024], section[64] = "";
	char *all = NULL;
	size_t n, i, alllen = 0;
	const config_key *k = config_keys(&n);
	int *seen = calloc(n, sizeof *seen);
	config *c, *d;

	(void)state;
	assert_non_null(f);
	assert_non_null(seen);
	while (fgets(line, sizeof line, f)) {
		const char *src = line;

		all = realloc(all, alllen + strlen(line) + 1);
		assert_non_null(all);
		/* uncomment ";key = value" lines, keep prose comments */
		if (line[0] == ';' && line[1] != ' ' && strchr(line, '='))
			src = line + 1;
		memcpy(all + alllen, src, strlen(src) + 1);
		alllen += strlen(src);

		if (sscanf(line, "[%63[^]]]", section) == 1)
			continue;
		for (i = 0; i < n; i++) {
			char want[256];

			snprintf(want, sizeof want, *k[i].def ? ";%s = %s\n" : ";%s =\n",
				 k[i].name, k[i].def);
			if (!strcmp(line, want) && !strcmp(section, k[i].section))
				seen[i]++;
		}
	}
	fclose(f);
	for (i = 0; i < n; i++)
		if (seen[i] != 1)
			fail_msg("%s: [%s] %s is listed %d times with its default",
				 sample_ini, k[i].section, k[i].name, seen[i]);

	c = load_ok(all);
	d = config_load(NULL, NULL, 0);
	for (i = 0; i < n; i++)
		assert_string_equal(config_str(c, k[i].section, k[i].name),
				    config_str(d, k[i].section, k[i].name));
	config_free(c);
	config_free(d);
	free(all);
	free(seen);
}

/* ---- a full valid file ---------------------------------------------- */

static void test_full_file_round_trips(void **state)
{
	config *c;

	(void)state;
	setenv("HOME", "/home/clerk", 1);
	c = load_ok(
		"# hall 3, counter 12\n"
		"[database]\n"
		"dsn = \"host=db.hall.local dbname=hall\" ; quoted, with a comment\n"
		"service = hall\n"
		"connect_timeout = 120\n"
		"reconnect_max_seconds = 1\n"
		"\n"
		"[UI]\n"
		"  Colors = NEVER\n"
		"mouse = off\n"
		"warn_days = 0\n"
		"theme = mono\n"
		"refresh_ms = 60000\n"
		"locale = zh_CN.UTF-8\n"
		"[drafts]\n"
		"dir = ~/drafts\n"
		"autosave_seconds = 600\n"
		"[notify]\n"
		"url = https://sms.gov.example:8443/api/v1/send\n"
		"connect_timeout_ms = 100\n"
		"timeout_ms = 600000\n"
		"max_attempts = 100\n"
		"batch = 1000\n"
		"in_flight = 256\n"
		"backoff_base_ms = 10\n"
		"backoff_max_ms = 86400000\n"
		"lease_seconds = 5\n"
		"quiet_start = 22:30\n"
		"quiet_end = 07:05\n"
		"bearer_token = abc.DEF-123_xyz\n"
		"client_cert = /etc/hallterm/client.pem\n"
		"client_key = /etc/hallterm/client.key\n"
		"ca_file = /etc/ssl/certs/ca-certificates.crt\n"
		"insecure = YES\n");
	assert_string_equal(config_str(c, "database", "dsn"), "host=db.hall.local dbname=hall");
	assert_string_equal(config_str(c, "database", "service"), "hall");
	assert_int_equal(config_int(c, "database", "connect_timeout"), 120);
	assert_int_equal(config_int(c, "database", "reconnect_max_seconds"), 1);
	assert_string_equal(config_str(c, "ui", "colors"), "never");
	assert_int_equal(config_bool(c, "ui", "mouse"), 0);
	assert_int_equal(config_int(c, "ui", "warn_days"), 0);
	assert_string_equal(config_str(c, "ui", "theme"), "mono");
	assert_int_equal(config_int(c, "ui", "refresh_ms"), 60000);
	assert_string_equal(config_str(c, "ui", "locale"), "zh_CN.UTF-8");
	assert_string_equal(config_str(c, "drafts", "dir"), "/home/clerk/drafts");
	assert_int_equal(config_int(c, "drafts", "autosave_seconds"), 600);
	assert_string_equal(config_str(c, "notify", "url"), "https://sms.gov.example:8443/api/v1/send");
	assert_int_equal(config_int(c, "notify", "connect_timeout_ms"), 100);
	assert_int_equal(config_int(c, "notify", "timeout_ms"), 600000);
	assert_int_equal(config_int(c, "notify", "max_attempts"), 100);
	assert_int_equal(config_int(c, "notify", "batch"), 1000);
	assert_int_equal(config_int(c, "notify", "in_flight"), 256);
	assert_int_equal(config_int(c, "notify", "backoff_base_ms"), 10);
	assert_int_equal(config_int(c, "notify", "backoff_max_ms"), 86400000);
	assert_int_equal(config_int(c, "notify", "lease_seconds"), 5);
	assert_int_equal(config_time(c, "notify", "quiet_start"), 22 * 60 + 30);
	assert_int_equal(config_time(c, "notify", "quiet_end"), 7 * 60 + 5);
	assert_string_equal(config_str(c, "notify", "bearer_token"), "abc.DEF-123_xyz");
	assert_string_equal(config_str(c, "notify", "client_cert"), "/etc/hallterm/client.pem");
	assert_string_equal(config_str(c, "notify", "client_key"), "/etc/hallterm/client.key");
	assert_string_equal(config_str(c, "notify", "ca_file"), "/etc/ssl/certs/ca-certificates.crt");
	assert_int_equal(config_bool(c, "notify", "insecure"), 1);
	config_free(c);

	/* an empty file is all defaults too */
	c = load_ok("");
	assert_int_equal(config_int(c, "ui", "warn_days"), 1);
	config_free(c);
}

/* ---- every error path ----------------------------------------------- */

static void test_error_missing_file(void **state)
{
	char dir[] = "/tmp/hallterm-test-XXXXXX", path[64], err[256], want[128];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/missing.ini", dir);
	assert_null(config_load(path, err, sizeof err));
	snprintf(want, sizeof want, "%s: %s", path, strerror(ENOENT));
	assert_string_equal(err, want);
	assert_string_equal(strerror(ENOENT), "No such file or directory");

	/* a directory opens but can't be read */
	assert_null(config_load(dir, err, sizeof err));
	snprintf(want, sizeof want, "%s: %s", dir, strerror(EISDIR));
	assert_string_equal(err, want);
	assert_int_equal(rmdir(dir), 0);
}

static void test_error_unreadable_file(void **state)
{
	char *path = write_temp("[ui]\n");
	char err[256], want[128];

	(void)state;
	if (geteuid() == 0) {
		/* root reads mode 000 files; the directory case covers reads */
		unlink(path);
		free(path);
		skip();
	}
	assert_int_equal(chmod(path, 0), 0);
	assert_null(config_load(path, err, sizeof err));
	snprintf(want, sizeof want, "%s: %s", path, strerror(EACCES));
	assert_string_equal(err, want);
	unlink(path);
	free(path);
}

static void test_error_syntax(void **state)
{
	(void)state;
	expect_error("[ui]\n\n; ok\nwarn_days 3\n",
		     ":4: syntax error: expected [section], key = value or a comment");
	expect_error("[ui\n", ":1: syntax error: section header without a closing \"]\"");
	expect_error("[ ]\n", ":1: syntax error: empty section name");
	expect_error("[ui]\n = 3\n", ":2: syntax error: missing key name before \"=\"");
	expect_error("mouse = on\n", ":1: mouse: key outside any [section]");
	expect_error("[ui]\nmouse = \\\n", ":2: syntax error: \"\\\" continues past the end of the file");
}

static void test_error_unknown_section(void **state)
{
	(void)state;
	expect_error("; comment\n\n[colors]\nmouse = on\n", ":3: [colors]: unknown section");
	/* a valid section after a bad one is never reached */
	expect_error("[ui]\nmouse = on\n[UI.extra]\n", ":3: [ui.extra]: unknown section");
}

static void test_error_unknown_key(void **state)
{
	(void)state;
	expect_error("[ui]\ncolour = auto\n",
		     ":2: [ui] colour: unknown key (did you mean \"colors\"?)");
	expect_error("[database]\nhost = db\n", ":2: [database] host: unknown key");
	/* a key of another section is unknown here */
	expect_error("[ui]\ndsn = x\n", ":2: [ui] dsn: unknown key");
}

static void test_error_bad_int(void **state)
{
	(void)state;
	expect_error("; line 1\n;2\n;3\n;4\n;5\n;6\n;7\n;8\n;9\n;10\n[ui]\nwarn_days = abc\n",
		     ":12: [ui] warn_days: expected an integer from 0 to 30, got \"abc\"");
	expect_error("[ui]\nwarn_days = 3 days\n",
		     ":2: [ui] warn_days: expected an integer from 0 to 30, got \"3 days\"");
	expect_error("[ui]\nwarn_days =\n",
		     ":2: [ui] warn_days: expected an integer from 0 to 30, got \"\"");
	expect_error("[notify]\nbatch = 0x10\n",
		     ":2: [notify] batch: expected an integer from 1 to 1000, got \"0x10\"");
}

static void test_error_int_out_of_range(void **state)
{
	(void)state;
	expect_error("[ui]\nwarn_days = 31\n",
		     ":2: [ui] warn_days: expected an integer from 0 to 30, got \"31\"");
	expect_error("[ui]\nwarn_days = -1\n",
		     ":2: [ui] warn_days: expected an integer from 0 to 30, got \"-1\"");
	expect_error("[database]\nconnect_timeout = 99999999999999999999999\n",
		     ":2: [database] connect_timeout: expected an integer from 1 to 120, got \"99999999999999999999999\"");
}

static void test_error_bad_bool(void **state)
{
	(void)state;
	expect_error("[ui]\nmouse = maybe\n",
		     ":2: [ui] mouse: expected true/false, yes/no, on/off or 1/0, got \"maybe\"");
	expect_error("[notify]\ninsecure = 2\n",
		     ":2: [notify] insecure: expected true/false, yes/no, on/off or 1/0, got \"2\"");
}

static void test_error_bad_enum(void **state)
{
	(void)state;
	expect_error("[ui]\ncolors = sometimes\n",
		     ":2: [ui] colors: expected one of auto, never, always, got \"sometimes\"");
	expect_error("[ui]\ntheme = dark\n",
		     ":2: [ui] theme: expected one of default, mono, got \"dark\"");
}

static void test_error_bad_time(void **state)
{
	static const char *const bad[] = { "25:00", "8:00", "21:60", "2100", "21:00pm", "" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char in[64], want[128];

		snprintf(in, sizeof in, "[notify]\nquiet_start = %s\n", bad[i]);
		snprintf(want, sizeof want,
			 ":2: [notify] quiet_start: expected a time HH:MM from 00:00 to 23:59, got \"%s\"",
			 bad[i]);
		expect_error(in, want);
	}
}

static void test_error_bad_url(void **state)
{
	(void)state;
	expect_error("[notify]\nurl = ftp://sms.example/send\n",
		     ":2: [notify] url: expected an http:// or https:// URL with a host, got \"ftp://sms.example/send\"");
	expect_error("[notify]\nurl = sms.example/send\n",
		     ":2: [notify] url: expected an http:// or https:// URL with a host, got \"sms.example/send\"");
	expect_error("[notify]\nurl = https:///send\n",
		     ":2: [notify] url: expected an http:// or https:// URL with a host, got \"https:///send\"");
}

static void test_error_bad_path_and_string(void **state)
{
	(void)state;
	expect_error("[drafts]\ndir = drafts\n",
		     ":2: [drafts] dir: expected an absolute path or ~/..., got \"drafts\"");
	/* an escape in a value is shown harmlessly in the message */
	expect_error("[database]\ndsn = a\x1b[2Jb\n",
		     ":2: [database] dsn: contains control characters or invalid UTF-8: \"a␛[2Jb\"");
	expect_error("[database]\nservice = \xff\n",
		     ":2: [database] service: contains control characters or invalid UTF-8: \"\xef\xbf\xbd\"");
}

static void test_error_duplicate_key(void **state)
{
	(void)state;
	expect_error("[ui]\nmouse = on\n[database]\ndsn =\n[ui]\nMouse = off\n",
		     ":6: [ui] mouse: duplicate key (first set on line 2)");
}

static void test_error_long_line(void **state)
{
	char *content = malloc(1100);
	char want[128];

	(void)state;
	assert_non_null(content);
	strcpy(content, "[database]\ndsn = ");
	memset(content + strlen(content), 'a', 1000);
	strcpy(content + 17 + 1000, "\n");
	snprintf(want, sizeof want, ":2: line too long (more than 1000 bytes)");
	expect_error(content, want);
	free(content);
}

/* A message cut to fit the caller's buffer never ends in half a
 * character. */
static void test_error_truncated_safely(void **state)
{
	char *path = write_temp("[ui]\nwarn_days = 三十天\n");
	char err[128];
	size_t len;

	(void)state;
	for (len = 1; len < sizeof err; len++) {
		assert_null(config_load(path, err, len));
		assert_true(strlen(err) < len);
		{
			char *clean = text_sanitize(err, 0);

			assert_string_equal(clean, err);
			free(clean);
		}
	}
	assert_null(config_load(path, NULL, 0));
	unlink(path);
	free(path);
}

static void test_find(void **state)
{
	char dir[] = "/tmp/hallterm-test-XXXXXX", sub[80], file[96], buf[256];
	const char *found;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
	found = config_find(buf, sizeof buf);
	/* nothing under XDG: /etc or nothing */
	if (found)
		assert_string_equal(found, "/etc/hallterm/hallterm.ini");

	snprintf(sub, sizeof sub, "%s/hallterm", dir);
	snprintf(file, sizeof file, "%s/hallterm.ini", sub);
	assert_int_equal(mkdir(sub, 0700), 0);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	found = config_find(buf, sizeof buf);
	assert_non_null(found);
	assert_string_equal(found, file);
	/* too small a buffer is not an overflow */
	found = config_find(buf, 8);
	if (found)
		assert_true(strlen(found) < 8);

	unlink(file);
	rmdir(sub);
	rmdir(dir);
	unsetenv("XDG_CONFIG_HOME");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_sane),
		cmocka_unit_test(test_defaults_when_null),
		cmocka_unit_test(test_sample_loads),
		cmocka_unit_test(test_sample_lists_every_key),
		cmocka_unit_test(test_full_file_round_trips),
		cmocka_unit_test(test_error_missing_file),
		cmocka_unit_test(test_error_unreadable_file),
		cmocka_unit_test(test_error_syntax),
		cmocka_unit_test(test_error_unknown_section),
		cmocka_unit_test(test_error_unknown_key),
		cmocka_unit_test(test_error_bad_int),
		cmocka_unit_test(test_error_int_out_of_range),
		cmocka_unit_test(test_error_bad_bool),
		cmocka_unit_test(test_error_bad_enum),
		cmocka_unit_test(test_error_bad_time),
		cmocka_unit_test(test_error_bad_url),
		cmocka_unit_test(test_error_bad_path_and_string),
		cmocka_unit_test(test_error_duplicate_key),
		cmocka_unit_test(test_error_long_line),
		cmocka_unit_test(test_error_truncated_safely),
		cmocka_unit_test(test_find),
	};
	const char *env = getenv("HALLTERM_INI");

	if (argc > 1)
		sample_ini = argv[1];
	else if (env && *env)
		sample_ini = env;
	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "test_config: the C.UTF-8 locale is missing\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
