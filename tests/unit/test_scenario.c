/* test_scenario.c - unit tests for src/common/scenario.c.
 *
 * The five shipped scenarios read; a trainer's mistakes in a copy name the
 * file, the section and the key; the mix of `hallctl simulate` parsed.
 * Run from the source tree (etc/scenarios).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/scenario.h"

static char *write_temp(const char *content)
{
	char *path = strdup("/tmp/hallterm-scenario-XXXXXX.ini");
	int fd;
	size_t len = strlen(content);

	assert_non_null(path);
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	return path;
}

/* The error of loading content, or "" when it loads. */
static void load_err(const char *content, char *err, size_t len)
{
	char *path = write_temp(content);
	scenario *s = scenario_load(path, err, len);

	if (s)
		err[0] = '\0';
	scenario_free(s);
	unlink(path);
	free(path);
}

static void test_shipped(void **state)
{
	static const char *const names[] = { "morning-rush", "one-time-notice", "before-holiday", "bad-rating",
	                                     "inquiries" };
	char err[512];

	(void)state;
	setenv("HALLTERM_SCENARIOS", "etc/scenarios", 1);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *path = scenario_find(names[i]);
		scenario *s;

		assert_non_null(path);
		s = scenario_load(path, err, sizeof err);
		if (!s)
			fail_msg("%s: %s", names[i], err);
		assert_string_equal(s->name, names[i]);
		assert_true(strlen(s->title) > 0);
		assert_true(s->rate > 0);
		scenario_free(s);
		free(path);
	}
}

static void test_one_time_notice(void **state)
{
	char err[512];
	char *path;
	scenario *s;

	(void)state;
	setenv("HALLTERM_SCENARIOS", "etc/scenarios", 1);
	path = scenario_find("one-time-notice");
	assert_non_null(path);
	s = scenario_load(path, err, sizeof err);
	assert_non_null(s);
	assert_string_equal(s->title, "一次性告知");
	assert_string_equal(s->clock, "");          /* "clock =   ; comment": left alone */
	assert_string_equal(s->items, "most_materials");
	assert_int_equal(s->walk_ins + s->online, 16);
	assert_int_equal(s->mix[SCENARIO_RESUBMIT], 70);
	assert_int_equal(s->mix[SCENARIO_ASK], 0);
	scenario_free(s);
	free(path);
}

static void test_list(void **state)
{
	char **list;
	size_t n = 0;

	(void)state;
	setenv("HALLTERM_SCENARIOS", "etc/scenarios", 1);
	list = scenario_list();
	for (; list[n]; n++)
		if (n > 0)
			assert_true(strcmp(strrchr(list[n - 1], '/'), strrchr(list[n], '/')) < 0);
	assert_true(n >= 5);
	scenario_free_list(list);
	assert_null(scenario_find("no-such-scenario"));
}

static void test_mistakes(void **state)
{
	char err[512];

	(void)state;
	load_err("[scenario]\ntitle = 演练\n[load]\nwalkins = 3\n", err, sizeof err);
	assert_non_null(strstr(err, "[load] walkins: unknown key"));
	load_err("[scenario]\ntitle = 演练\n[extra]\na = 1\n", err, sizeof err);
	assert_non_null(strstr(err, "[extra]: unknown section"));
	load_err("[scenario]\nsummary = 无标题\n", err, sizeof err);
	assert_non_null(strstr(err, "[scenario] title: required"));
	load_err("[scenario]\ntitle = 演练\n[load]\nonline = 501\n", err, sizeof err);
	assert_non_null(strstr(err, "[load] online: expected a whole number from 0 to 500"));
	load_err("[scenario]\ntitle = 演练\n[load]\nonline = -1\n", err, sizeof err);
	assert_non_null(strstr(err, "[load] online:"));
	load_err("[scenario]\ntitle = 演练\n[simulate]\nmix = submit=1,fly=2\n", err, sizeof err);
	assert_non_null(strstr(err, "[simulate] mix: unknown action \"fly\""));
	load_err("[scenario]\ntitle = 演练\n[simulate]\nrate = 5\nminutes = 10\n", err, sizeof err);
	assert_string_equal(err, "");
}

static void test_mix(void **state)
{
	long w[SCENARIO_NACT];
	char err[256];

	(void)state;
	assert_int_equal(scenario_parse_mix("submit=60, ask=20,withdraw=5", w, err, sizeof err), 0);
	assert_int_equal(w[SCENARIO_SUBMIT], 60);
	assert_int_equal(w[SCENARIO_ASK], 20);
	assert_int_equal(w[SCENARIO_RATE], 0);
	assert_int_equal(w[SCENARIO_WITHDRAW], 5);
	assert_int_equal(scenario_parse_mix("submit=0", w, err, sizeof err), -1);
	assert_non_null(strstr(err, "add up to 0"));
	assert_int_equal(scenario_parse_mix("ask=1,ask=2", w, err, sizeof err), -1);
	assert_non_null(strstr(err, "given twice"));
	assert_int_equal(scenario_parse_mix("rate=x", w, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_one_time_notice),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_mistakes),
		cmocka_unit_test(test_mix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
