/* test_drafts.c - reply drafts on disk.
 *
 * A draft holds a citizen's details: owner-only permissions whatever the
 * umask, never half-written, never outside its directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

#include "ui/drafts.h"
#include "ui/editor.h"

static char base[] = "/tmp/hallterm-drafts-XXXXXX";

static char *path_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (!p)
		abort();
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* rm -r of our temp tree (small, no symlink following needed: unlink
 * removes links themselves). */
static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (!d) {
		unlink(path);
		return;
	}
	while ((de = readdir(d))) {
		char *sub;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = path_in(path, de->d_name);
		remove_tree(sub);
		free(sub);
	}
	closedir(d);
	rmdir(path);
}

static int setup(void **state)
{
	(void)state;
	strcpy(base, "/tmp/hallterm-drafts-XXXXXX");
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	remove_tree(base);
	return 0;
}


static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_save_load_remove(void **state)
{
	char *dir = path_in(base, "state/hallterm");
	char err[256] = "";
	char *text = NULL;

	(void)state;
	assert_int_equal(drafts_load(dir, "inquiry-123", &text, err, sizeof err), 0);
	assert_null(text);
	assert_int_equal(drafts_save(dir, "inquiry-123", "您好，\n材料已收到。", err, sizeof err), 0);
	assert_int_equal(drafts_load(dir, "inquiry-123", &text, err, sizeof err), 1);
	assert_string_equal(text, "您好，\n材料已收到。");
	free(text);
	assert_int_equal(drafts_remove(dir, "inquiry-123", err, sizeof err), 0);
	assert_int_equal(drafts_load(dir, "inquiry-123", &text, err, sizeof err), 0);
	assert_null(text);
	/* Removing what is not there is fine (sent twice, or never saved). */
	assert_int_equal(drafts_remove(dir, "inquiry-123", err, sizeof err), 0);
	/* An empty draft is still a draft. */
	assert_int_equal(drafts_save(dir, "inquiry-7", "", err, sizeof err), 0);
	assert_int_equal(drafts_load(dir, "inquiry-7", &text, err, sizeof err), 1);
	assert_string_equal(text, "");
	free(text);
	free(dir);
}

static void test_permissions(void **state)
{
	char *parent = path_in(base, "perm");
	char *dir = path_in(base, "perm/hallterm");
	char *file;
	char err[256];
	struct stat st;
	mode_t old = umask(0); /* the most permissive umask must not matter */

	(void)state;
	assert_int_equal(drafts_save(dir, "inquiry-1", "x", err, sizeof err), 0);
	umask(old);
	assert_int_equal(stat(parent, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	file = path_in(dir, "inquiry-1.draft");
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(S_ISREG(st.st_mode));

	/* An existing directory of ours that is too open is tightened. */
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(drafts_save(dir, "inquiry-1", "y", err, sizeof err), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	free(file);
	free(dir);
	free(parent);
}

static void test_atomic_replace(void **state)
{
	char *dir = path_in(base, "atomic");
	char *file, *text = NULL;
	char err[256];
	struct stat before, after;

	(void)state;
	assert_int_equal(drafts_save(dir, "inquiry-9", "第一稿", err, sizeof err), 0);
	file = path_in(dir, "inquiry-9.draft");
	assert_int_equal(stat(file, &before), 0);
	assert_int_equal(drafts_save(dir, "inquiry-9", "第二稿，更长一些", err, sizeof err), 0);
	assert_int_equal(stat(file, &after), 0);
	/* Replaced by rename: a new inode, never the old file rewritten in
	 * place (which a crash could leave half-written). */
	assert_true(before.st_ino != after.st_ino);
	assert_int_equal(drafts_load(dir, "inquiry-9", &text, err, sizeof err), 1);
	assert_string_equal(text, "第二稿，更长一些");
	free(text);
	/* No temporary file is left behind. */
	assert_int_equal(count_entries(dir), 1);

	/* A failed save leaves the old draft as it was. */
	assert_int_equal(chmod(dir, 0500), 0);
	if (geteuid() != 0) { /* root ignores the mode */
		assert_int_equal(drafts_save(dir, "inquiry-9", "lost", err, sizeof err), -1);
		assert_non_null(strstr(err, dir));
		assert_int_equal(drafts_load(dir, "inquiry-9", &text, err, sizeof err), 1);
		assert_string_equal(text, "第二稿，更长一些");
		free(text);
	}
	assert_int_equal(chmod(dir, 0700), 0);
	free(file);
	free(dir);
}

static void test_key_sanitising(void **state)
{
	char *dir = path_in(base, "keys");
	char *name, *other, *text = NULL;
	char err[256];
	char longkey[200];
	struct stat st;

	(void)state;
	name = drafts_file_name("../../etc/passwd");
	assert_non_null(name);
	assert_null(strchr(name, '/'));
	assert_true(name[0] != '.');
	free(name);

	/* One-to-one: keys that differ never share a file. */
	name = drafts_file_name("a/b");
	other = drafts_file_name("a_b");
	assert_string_not_equal(name, other);
	free(other);
	other = drafts_file_name("a%2Fb");
	assert_string_not_equal(name, other);
	free(name);
	free(other);
	name = drafts_file_name("inquiry-123");
	assert_string_equal(name, "inquiry-123.draft");
	free(name);
	name = drafts_file_name("咨询-1");
	assert_non_null(name);
	assert_null(strchr(name, '/'));
	free(name);

	assert_int_equal(drafts_save(dir, "../escape", "x", err, sizeof err), 0);
	/* The file is inside dir, nothing appeared next to it. */
	assert_int_equal(count_entries(dir), 1);
	{
		char *outside = path_in(base, "escape.draft");

		assert_int_equal(stat(outside, &st), -1);
		free(outside);
	}
	assert_int_equal(drafts_load(dir, "../escape", &text, err, sizeof err), 1);
	assert_string_equal(text, "x");
	free(text);
	assert_int_equal(drafts_remove(dir, "../escape", err, sizeof err), 0);

	assert_null(drafts_file_name(""));
	assert_null(drafts_file_name(NULL));
	assert_int_equal(drafts_save(dir, "", "x", err, sizeof err), -1);
	memset(longkey, 'k', sizeof longkey - 1);
	longkey[sizeof longkey - 1] = '\0';
	assert_int_equal(drafts_save(dir, longkey, "x", err, sizeof err), -1);
	assert_int_equal(drafts_load(dir, longkey, &text, err, sizeof err), -1);
	assert_null(text);
	free(dir);
}

static void test_load_refuses_odd_files(void **state)
{
	char *dir = path_in(base, "odd");
	char *target = path_in(base, "secret");
	char *link, *text = NULL;
	char err[256];
	FILE *f;

	(void)state;
	assert_int_equal(mkdir(dir, 0700), 0);
	f = fopen(target, "w");
	assert_non_null(f);
	fputs("not yours", f);
	fclose(f);
	/* A symlink planted in place of a draft is not followed. */
	link = path_in(dir, "inquiry-5.draft");
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(drafts_load(dir, "inquiry-5", &text, err, sizeof err), -1);
	assert_null(text);
	free(link);
	/* A directory is not a draft. */
	link = path_in(dir, "inquiry-6.draft");
	assert_int_equal(mkdir(link, 0700), 0);
	assert_int_equal(drafts_load(dir, "inquiry-6", &text, err, sizeof err), -1);
	assert_null(text);
	free(link);

	/* Whatever is in the file comes back safe to draw. */
	link = path_in(dir, "inquiry-8.draft");
	f = fopen(link, "w");
	assert_non_null(f);
	fputs("a\x1b]0;pwned\x07\x1b[2Jb\xff", f);
	fclose(f);
	assert_int_equal(drafts_load(dir, "inquiry-8", &text, err, sizeof err), 1);
	assert_null(strchr(text, '\x1b'));
	assert_null(strchr(text, '\x07'));
	free(text);
	free(link);
	free(target);
	free(dir);
}

static void test_dir_from_environment(void **state)
{
	char *old_xdg = getenv("XDG_STATE_HOME") ? strdup(getenv("XDG_STATE_HOME")) : NULL;
	char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char *d;

	(void)state;
	setenv("XDG_STATE_HOME", "/srv/state", 1);
	d = drafts_dir(NULL);
	assert_string_equal(d, "/srv/state/hallterm");
	free(d);
	/* A relative XDG_STATE_HOME is invalid by the spec: use HOME. */
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", "/home/clerk", 1);
	d = drafts_dir(NULL);
	assert_string_equal(d, "/home/clerk/.local/state/hallterm");
	free(d);
	unsetenv("XDG_STATE_HOME");
	d = drafts_dir(NULL);
	assert_string_equal(d, "/home/clerk/.local/state/hallterm");
	free(d);
	unsetenv("HOME");
	assert_null(drafts_dir(NULL));

	if (old_xdg)
		setenv("XDG_STATE_HOME", old_xdg, 1);
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_xdg);
	free(old_home);
}

static void test_autosave(void **state)
{
	char *dir = path_in(base, "auto");
	editor *e = editor_new(0);
	drafts_autosave *a;
	char err[256], *text = NULL;

	(void)state;
	a = drafts_autosave_new(e, dir, "inquiry-42", 5);
	/* Nothing typed: nothing written. */
	assert_int_equal(drafts_autosave_now(a), 0);
	assert_int_equal(drafts_load(dir, "inquiry-42", &text, err, sizeof err), 0);
	editor_insert(e, "正在回复");
	assert_int_equal(drafts_autosave_now(a), 0);
	assert_false(editor_modified(e));
	assert_int_equal(drafts_load(dir, "inquiry-42", &text, err, sizeof err), 1);
	assert_string_equal(text, "正在回复");
	free(text);
	/* Emptied by the clerk: the draft goes. */
	editor_set_text(e, "");
	editor_insert(e, "x");
	editor_backspace(e);
	assert_int_equal(drafts_autosave_now(a), 0);
	assert_int_equal(drafts_load(dir, "inquiry-42", &text, err, sizeof err), 0);
	/* Freeing saves what is left (the screen closing, the program ending). */
	editor_insert(e, "最后一句");
	drafts_autosave_free(a);
	assert_int_equal(drafts_load(dir, "inquiry-42", &text, err, sizeof err), 1);
	assert_string_equal(text, "最后一句");
	free(text);
	/* Sent: discard removes it and the final free does not bring it back. */
	a = drafts_autosave_new(e, dir, "inquiry-42", 5);
	editor_insert(e, "。");
	drafts_autosave_discard(a);
	drafts_autosave_free(a);
	assert_int_equal(drafts_load(dir, "inquiry-42", &text, err, sizeof err), 0);
	editor_free(e);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_save_load_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_sanitising, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_refuses_odd_files, setup, teardown),
		cmocka_unit_test(test_dir_from_environment),
		cmocka_unit_test_setup_teardown(test_autosave, setup, teardown),
	};

	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "test_drafts: the C.UTF-8 locale is missing\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
