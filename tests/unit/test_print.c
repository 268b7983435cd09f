/* test_print.c - print_text() against fake lp commands.
 *
 * Each test puts a small shell script named "lp" in a temporary directory
 * and makes that directory the whole PATH, so the real lp is never run and
 * no CUPS server is needed (tests/integration/print_test.sh prints through
 * a real one).  The scripts call other programs by absolute path.
 */
#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/print.h"

static char base[] = "/tmp/hallterm-print-XXXXXX";
static char *saved_path;

static char *path_in(const char *name)
{
	size_t n = strlen(base) + strlen(name) + 2;
	char *p = malloc(n);

	if (!p)
		abort();
	snprintf(p, n, "%s/%s", base, name);
	return p;
}

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (!d) {
		unlink(path);
		return;
	}
	while ((de = readdir(d))) {
		size_t n;
		char *sub;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n = strlen(path) + strlen(de->d_name) + 2;
		sub = malloc(n);
		if (!sub)
			abort();
		snprintf(sub, n, "%s/%s", path, de->d_name);
		remove_tree(sub);
		free(sub);
	}
	closedir(d);
	rmdir(path);
}

static int setup(void **state)
{
	const char *p = getenv("PATH");

	(void)state;
	strcpy(base, "/tmp/hallterm-print-XXXXXX");
	if (!mkdtemp(base))
		return -1;
	saved_path = strdup(p ? p : "/usr/bin:/bin");
	/* Only our fake can be found. */
	return setenv("PATH", base, 1);
}

static int teardown(void **state)
{
	(void)state;
	setenv("PATH", saved_path, 1);
	free(saved_path);
	saved_path = NULL;
	remove_tree(base);
	return 0;
}

/* Write the fake lp: "#!/bin/sh", then body with every "%D" replaced by
 * the temporary directory. */
static void fake_lp(const char *body)
{
	char *path = path_in("lp");
	FILE *f = fopen(path, "w");
	const char *p;

	assert_non_null(f);
	fputs("#!/bin/sh\n", f);
	for (p = body; *p; p++) {
		if (p[0] == '%' && p[1] == 'D') {
			fputs(base, f);
			p++;
		} else {
			fputc(*p, f);
		}
	}
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0755), 0);
	free(path);
}

/* The whole of a file in the temporary directory (NULL if missing). */
static char *slurp(const char *name)
{
	char *path = path_in(name);
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, len = 0, got;

	free(path);
	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n++;
	closedir(d);
	return n;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Gone, or a zombie waiting for init: either way no longer running. */
static int process_gone(long pid)
{
	char path[64], buf[512], *close_paren;
	FILE *f;
	int i;

	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof path, "/proc/%ld/stat", pid);
		f = fopen(path, "r");
		if (!f)
			return 1;
		buf[0] = '\0';
		if (!fgets(buf, sizeof buf, f))
			buf[0] = '\0';
		fclose(f);
		close_paren = strrchr(buf, ')');
		if (close_paren && close_paren[1] == ' ' && (close_paren[2] == 'Z' || close_paren[2] == 'X'))
			return 1;
		usleep(20000);
	}
	return 0;
}

/* A notice as the database writes them: Chinese, full-width punctuation,
 * a character outside the BMP (𠮷), blank lines, a tab. */
static const char notice[] =
	"受理通知书\n"
	"\n"
	"编号：A01-20250102-0007\n"
	"申请人：𠮷祥（身份证号 110101199001011234）\n"
	"事项：\t食品经营许可（新办）\n"
	"您提交的材料齐全、符合法定形式，本机关决定予以受理。\n"
	"\n"
	"承诺办结时限：10 个工作日。\n";

#define RECORDER \
	"for a in \"$@\"; do printf '%s\\n' \"$a\"; done > %D/args\n" \
	"/bin/cat > %D/stdin\n" \
	"printf '%s\\n' \"$CUPS_SERVER\" > %D/env\n" \
	"echo 'request id is hallprn-12 (0 file(s))'\n"

/* ---- what lp is given ------------------------------------------------ */

static void test_success_passes_everything(void **state)
{
	char job[64] = "x", err[256] = "x";
	char *args, *in, *env;
	int fds = count_fds();

	(void)state;
	fake_lp(RECORDER);
	setenv("CUPS_SERVER", "127.0.0.1:55519", 1);
	assert_int_equal(print_text("hallprn", "受理通知书 A01-20250102-0007", notice,
				    0, job, sizeof job, err, sizeof err), 0);
	unsetenv("CUPS_SERVER");
	assert_string_equal(job, "hallprn-12");
	assert_string_equal(err, "");
	args = slurp("args");
	in = slurp("stdin");
	env = slurp("env");
	assert_string_equal(args, "-d\nhallprn\n-t\n受理通知书 A01-20250102-0007\n"
			    "-o\ndocument-format=text/plain\n");
	assert_string_equal(in, notice);
	assert_string_equal(env, "127.0.0.1:55519\n");
	/* Every descriptor it opened is closed again. */
	assert_int_equal(count_fds(), fds);
	free(args);
	free(in);
	free(env);
}

static void test_default_printer_and_no_title(void **state)
{
	char job[64], err[256];
	char *args;

	(void)state;
	fake_lp(RECORDER);
	assert_int_equal(print_text(NULL, NULL, notice, 0, job, sizeof job,
				    err, sizeof err), 0);
	args = slurp("args");
	assert_string_equal(args, "-o\ndocument-format=text/plain\n");
	free(args);
	assert_int_equal(print_text("", "", notice, 0, job, sizeof job,
				    err, sizeof err), 0);
	args = slurp("args");
	assert_string_equal(args, "-o\ndocument-format=text/plain\n");
	free(args);
	assert_string_equal(job, "hallprn-12");
}

/* Far more than a socket buffer holds: the text is written while lp's
 * output is read, and arrives whole. */
static void test_large_text_arrives_whole(void **state)
{
	size_t n = 4 * 1024 * 1024, len = strlen(notice), i;
	char *big = malloc(n + 1), *in;
	char job[64], err[256];

	(void)state;
	assert_non_null(big);
	for (i = 0; i + len <= n; i += len)
		memcpy(big + i, notice, len);
	big[i] = '\0';
	fake_lp(RECORDER);
	assert_int_equal(print_text("hallprn", "big", big, 0, job, sizeof job,
				    err, sizeof err), 0);
	in = slurp("stdin");
	assert_non_null(in);
	assert_int_equal(strlen(in), strlen(big));
	assert_true(memcmp(in, big, strlen(big)) == 0);
	free(in);
	free(big);
}

/* The title is one line with nothing a terminal or the queue would
 * interpret. */
static void test_title_made_safe(void **state)
{
	char job[64], err[256];
	char *args;

	(void)state;
	fake_lp(RECORDER);
	assert_int_equal(print_text("hallprn", "受理\x1b[31m通知\n书", notice, 0,
				    job, sizeof job, err, sizeof err), 0);
	args = slurp("args");
	assert_string_equal(args, "-d\nhallprn\n-t\n受理\xe2\x90\x9b[31m通知\xe2\x90\x8a书\n"
			    "-o\ndocument-format=text/plain\n");
	free(args);
}

static void test_empty_text_runs_nothing(void **state)
{
	char job[64] = "x", err[256];
	char *args;

	(void)state;
	fake_lp(RECORDER);
	assert_int_equal(print_text("hallprn", "t", "", 0, job, sizeof job,
				    err, sizeof err), -1);
	assert_string_equal(err, "cannot print: the text is empty");
	assert_string_equal(job, "");
	assert_int_equal(print_text("hallprn", "t", NULL, 0, job, sizeof job,
				    err, sizeof err), -1);
	args = slurp("args");
	assert_null(args);
}

/* ---- what lp answers --------------------------------------------------- */

static void expect_job(const char *answer, const char *want)
{
	char body[512], job[64] = "x", err[256] = "x";

	snprintf(body, sizeof body, "/bin/cat >/dev/null\nprintf '%%s\\n' '%s'\n", answer);
	fake_lp(body);
	assert_int_equal(print_text("p", "t", notice, 0, job, sizeof job, err,
				    sizeof err), 0);
	assert_string_equal(job, want);
	assert_string_equal(err, "");
}

static void test_job_id_in_any_language(void **state)
{
	(void)state;
	expect_job("request id is hallprn-12 (0 file(s))", "hallprn-12");
	expect_job("请求 ID 为 hallprn-12（0 个文件）", "hallprn-12");
	expect_job("request id is hall-prn-2-7 (1 file(s))", "hall-prn-2-7");
	expect_job("请求 ID 为 窗口A01打印机-305（0 个文件）", "窗口A01打印机-305");
	/* Spooled (status 0) but said nothing we know: success, no id. */
	expect_job("ok", "");
}

static void test_missing_lp(void **state)
{
	char job[64] = "x", err[256];

	(void)state;
	/* PATH is the empty temporary directory. */
	assert_int_equal(print_text("hallprn", "t", notice, 0, job, sizeof job,
				    err, sizeof err), -1);
	assert_string_equal(err, "cannot print: the lp command was not found (install the cups-client package)");
	assert_string_equal(job, "");
}

static void test_lp_message_is_the_reason(void **state)
{
	char job[64] = "x", err[256];

	(void)state;
	fake_lp("/bin/cat >/dev/null\n"
		"echo 'lp: Warning - something harmless' >&2\n"
		"echo 'lp: Error - The printer or class does not exist.' >&2\n"
		"exit 1\n");
	assert_int_equal(print_text("nosuch", "t", notice, 0, job, sizeof job,
				    err, sizeof err), -1);
	assert_string_equal(err, "printer \"nosuch\": lp: Error - The printer or class does not exist.");
	assert_string_equal(job, "");

	fake_lp("echo 'lp: Error - No default destination.' >&2\nexit 1\n");
	assert_int_equal(print_text("", "t", notice, 0, job, sizeof job,
				    err, sizeof err), -1);
	assert_string_equal(err, "default printer: lp: Error - No default destination.");
}

/* lp that leaves without reading its input (as the real one does for an
 * unknown printer) must not raise SIGPIPE here: this test process keeps
 * SIGPIPE's default action, which would end it. */
static void test_lp_leaving_early_is_no_sigpipe(void **state)
{
	size_t n = 4 * 1024 * 1024;
	char *big = malloc(n + 1);
	char job[64], err[256];

	(void)state;
	assert_non_null(big);
	memset(big, 'a', n);
	big[n] = '\0';
	assert_true(signal(SIGPIPE, SIG_DFL) != SIG_ERR);
	fake_lp("echo 'lp: Error - The printer or class does not exist.' >&2\nexit 1\n");
	assert_int_equal(print_text("nosuch", "t", big, 0, job, sizeof job,
				    err, sizeof err), -1);
	assert_string_equal(err, "printer \"nosuch\": lp: Error - The printer or class does not exist.");
	free(big);
}

static void test_exit_status_without_message(void **state)
{
	char job[64], err[256];

	(void)state;
	fake_lp("/bin/cat >/dev/null\nexit 3\n");
	assert_int_equal(print_text("p", "t", notice, 0, job, sizeof job, err,
				    sizeof err), -1);
	assert_string_equal(err, "printer \"p\": lp failed with exit status 3");
}

static void test_killed_by_signal(void **state)
{
	char job[64], err[256];
	const char *want = "printer \"p\": lp was killed by signal 9 (";

	(void)state;
	fake_lp("/bin/cat >/dev/null\nkill -9 $$\n");
	assert_int_equal(print_text("p", "t", notice, 0, job, sizeof job, err,
				    sizeof err), -1);
	assert_memory_equal(err, want, strlen(want));
}

/* Escape sequences in lp's message never reach the screen. */
static void test_message_made_safe(void **state)
{
	char job[64], err[256];

	(void)state;
	fake_lp("printf 'lp: \\033[2Jbad\\tthing\\n' >&2\nexit 1\n");
	assert_int_equal(print_text("p", "t", notice, 0, job, sizeof job, err,
				    sizeof err), -1);
	assert_null(strchr(err, '\x1b'));
	assert_string_equal(err, "printer \"p\": lp: \xe2\x90\x9b[2Jbad thing");
}

/* Small buffers: cut between characters, always terminated; NULL ones
 * are fine. */
static void test_small_buffers(void **state)
{
	char job[5], err[20];

	(void)state;
	fake_lp("echo '打印机不存在' >&2\nexit 1\n");
	assert_int_equal(print_text("", "t", notice, 0, job, sizeof job, err,
				    sizeof err), -1);
	/* "default printer: " is 17 bytes; "打" (3) would need 21 with NUL. */
	assert_string_equal(err, "default printer: ");
	assert_int_equal(print_text("", "t", notice, 0, NULL, 0, NULL, 0), -1);

	fake_lp("/bin/cat >/dev/null\necho 'request id is hallprn-12 (0 file(s))'\n");
	assert_int_equal(print_text("", "t", notice, 0, job, sizeof job, err,
				    sizeof err), 0);
	assert_string_equal(job, "hall");
	assert_int_equal(print_text("", "t", notice, 0, NULL, 0, NULL, 0), 0);
}

/* With SIGCHLD ignored the kernel reaps lp at once and its exit status is
 * lost: its answer decides. */
static void test_sigchld_ignored(void **state)
{
	char job[64], err[256];

	(void)state;
	assert_true(signal(SIGCHLD, SIG_IGN) != SIG_ERR);
	fake_lp("/bin/cat >/dev/null\necho 'request id is hallprn-3 (0 file(s))'\n");
	assert_int_equal(print_text("hallprn", "t", notice, 0, job, sizeof job,
				    err, sizeof err), 0);
	assert_string_equal(job, "hallprn-3");
	fake_lp("/bin/cat >/dev/null\necho 'lp: Error - The printer or class does not exist.' >&2\nexit 1\n");
	assert_int_equal(print_text("nosuch", "t", notice, 0, job, sizeof job,
				    err, sizeof err), -1);
	assert_string_equal(err, "printer \"nosuch\": lp: Error - The printer or class does not exist.");
	fake_lp("/bin/cat >/dev/null\nexit 1\n");
	assert_int_equal(print_text("p", "t", notice, 0, job, sizeof job,
				    err, sizeof err), -1);
	assert_string_equal(err, "printer \"p\": lp ended without an answer");
	assert_true(signal(SIGCHLD, SIG_DFL) != SIG_ERR);
}

/* ---- lp never holds the terminal --------------------------------------- */

/* lp runs in a session of its own: it has no terminal to ask for a
 * password on. */
static void test_lp_has_a_session_of_its_own(void **state)
{
	char job[64], err[256];
	char *ids;
	long pid = 0, sid = -1;

	(void)state;
	fake_lp("/bin/cat >/dev/null\n"
		"set -- $(/bin/cat /proc/$$/stat)\n"
		"echo \"$1 $6\" > %D/ids\n"
		"echo 'request id is p-1 (0 file(s))'\n");
	assert_int_equal(print_text("p", "t", notice, 0, job, sizeof job, err,
				    sizeof err), 0);
	ids = slurp("ids");
	assert_non_null(ids);
	assert_int_equal(sscanf(ids, "%ld %ld", &pid, &sid), 2);
	assert_int_equal(pid, sid);
	assert_true(sid != (long)getsid(0));
	free(ids);
}

/* An lp that hangs is killed after the timeout, with whatever it started. */
static void test_timeout_kills_lp_and_children(void **state)
{
	char job[64] = "x", err[256];
	char *pids;
	long shell = 0, sleeper = 0;
	struct timespec t0;
	int fds = count_fds();

	(void)state;
	fake_lp("/bin/sleep 30 &\n"
		"echo \"$$ $!\" > %D/pids\n"
		"wait\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(print_text("p", "t", notice, 300, job, sizeof job, err,
				    sizeof err), -1);
	assert_true(seconds_since(&t0) < 3.0);
	assert_string_equal(err, "printer \"p\": lp did not finish within 0.3 seconds and was stopped");
	assert_string_equal(job, "");
	assert_int_equal(count_fds(), fds);
	pids = slurp("pids");
	assert_non_null(pids);
	assert_int_equal(sscanf(pids, "%ld %ld", &shell, &sleeper), 2);
	assert_true(process_gone(shell));
	assert_true(process_gone(sleeper));
	free(pids);
}

/* Closing its outputs and then hanging is caught too. */
static void test_timeout_after_outputs_closed(void **state)
{
	char job[64], err[256];
	struct timespec t0;

	(void)state;
	fake_lp("/bin/cat >/dev/null\nexec >&- 2>&-\nexec /bin/sleep 30\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(print_text("p", "t", notice, 300, job, sizeof job, err,
				    sizeof err), -1);
	assert_true(seconds_since(&t0) < 3.0);
	assert_string_equal(err, "printer \"p\": lp did not finish within 0.3 seconds and was stopped");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_success_passes_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_printer_and_no_title, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_text_arrives_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_title_made_safe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_text_runs_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_job_id_in_any_language, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_lp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lp_message_is_the_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lp_leaving_early_is_no_sigpipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_status_without_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_by_signal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_message_made_safe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_buffers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigchld_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lp_has_a_session_of_its_own, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_kills_lp_and_children, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_after_outputs_closed, setup, teardown),
	};

	/* Messages in English, widths for Chinese. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	unsetenv("LANGUAGE");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
