/* test_spawn.c - spawn_start(): the training room's hallctl children.
 * Real /bin/sh children: output and errors in one pipe, the extra
 * environment in the child only, stdin from /dev/null, a process group of
 * their own (the terminal's Ctrl-C is not theirs), the exit status reaped. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/spawn.h"

/* Everything the child writes, until end of file. */
static void read_all(int fd, char *buf, size_t n)
{
	size_t len = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		assert_true(poll(&p, 1, 5000) == 1);
		r = read(fd, buf + len, n - 1 - len);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	close(fd);
}

static int wait_end(pid_t pid)
{
	int status = 0;

	for (int i = 0; i < 500 && spawn_reap(pid, &status) == 0; i++)
		usleep(10000);
	return status;
}

static void test_output_env_status(void **state)
{
	const char *argv[] = { "/bin/sh", "-c", "echo out; echo err >&2; echo \"v=$X_SPAWN_TEST\"; cat; exit 3", NULL };
	const char *env[] = { "X_SPAWN_TEST=secret 42", NULL };
	char err[256], out[512];
	int fd = -1, status;
	pid_t pid;

	(void)state;
	pid = spawn_start(argv, env, &fd, err, sizeof err);
	assert_true(pid > 0);
	read_all(fd, out, sizeof out);
	assert_non_null(strstr(out, "out\n"));
	assert_non_null(strstr(out, "err\n"));
	assert_non_null(strstr(out, "v=secret 42\n"));
	assert_null(getenv("X_SPAWN_TEST")); /* the child's, not ours */
	status = wait_end(pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);
	assert_int_equal(spawn_reap(pid, &status), -1); /* reaped once */
}

static void test_own_group(void **state)
{
	const char *argv[] = { "/bin/sh", "-c", "sleep 0.3", NULL };
	char err[256], out[64];
	int fd = -1;
	pid_t pid;

	(void)state;
	pid = spawn_start(argv, NULL, &fd, err, sizeof err);
	assert_true(pid > 0);
	for (int i = 0; i < 100 && getpgid(pid) != pid; i++)
		usleep(2000);
	assert_int_equal(getpgid(pid), pid);
	assert_int_equal(spawn_reap(pid, &(int){ 0 }), 0); /* still running */
	read_all(fd, out, sizeof out);
	wait_end(pid);
}

static void test_missing_program(void **state)
{
	const char *argv[] = { "/nonexistent/hallctl", "simulate", NULL };
	char err[256], out[512];
	int fd = -1, status;
	pid_t pid;

	(void)state;
	pid = spawn_start(argv, NULL, &fd, err, sizeof err);
	assert_true(pid > 0);
	read_all(fd, out, sizeof out);
	assert_non_null(strstr(out, "/nonexistent/hallctl: "));
	status = wait_end(pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 127);
}

static void test_sibling(void **state)
{
	char *p = spawn_sibling("no-such-program-here");

	(void)state;
	assert_string_equal(p, "no-such-program-here");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_env_status),
		cmocka_unit_test(test_own_group),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_sibling),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
