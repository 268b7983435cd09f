/* drafts.c - reply drafts on disk, saved atomically, owner-only. */
#include "ui/drafts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "ui/loop.h"

#define MAX_KEY 128
#define MAX_DRAFT (1024 * 1024)
#define SUFFIX ".draft"

static void set_err(char *err, size_t errlen, const char *what, const char *path, int errnum)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s: %s", path, what, strerror(errnum));
}

char *drafts_dir(const config *cfg)
{
	const char *dir = cfg ? config_str(cfg, "drafts", "dir") : "";
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (dir && *dir)
		return x_strdup(dir);
	/* The XDG spec: a relative XDG_STATE_HOME is invalid and ignored. */
	if (xdg && xdg[0] == '/')
		return x_asprintf("%s/hallterm", xdg);
	if (home && home[0] == '/')
		return x_asprintf("%s/.local/state/hallterm", home);
	return NULL;
}

char *drafts_file_name(const char *key)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n, i, j;
	char *out;

	if (!key || !*key || (n = strlen(key)) > MAX_KEY)
		return NULL;
	out = x_malloc(n * 3 + sizeof SUFFIX);
	for (i = j = 0; i < n; i++) {
		unsigned char c = (unsigned char)key[i];

		/* No '.', no '/': the name can never be "..", hidden or a path;
		 * '%' itself is escaped so the mapping stays one-to-one. */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_') {
			out[j++] = (char)c;
		} else {
			out[j++] = '%';
			out[j++] = hex[c >> 4];
			out[j++] = hex[c & 15];
		}
	}
	memcpy(out + j, SUFFIX, sizeof SUFFIX);
	return out;
}

/* mkdir -p with 0700 for every directory we create; the last one is made
 * owner-only if it is ours and looser. */
static int make_dir(const char *dir, char *err, size_t errlen)
{
	char *path = x_strdup(dir);
	struct stat st;
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			set_err(err, errlen, _("cannot create directory"), path, errno);
			free(path);
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		set_err(err, errlen, _("cannot create directory"), path, errno);
		free(path);
		return -1;
	}
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		int e = errno;

		set_err(err, errlen, _("cannot use directory"), path, S_ISDIR(st.st_mode) ? e : ENOTDIR);
		free(path);
		return -1;
	}
	if (st.st_uid == geteuid() && (st.st_mode & 077))
		chmod(path, st.st_mode & 0700);
	free(path);
	return 0;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int drafts_save(const char *dir, const char *key, const char *text, char *err, size_t errlen)
{
	char *name = drafts_file_name(key);
	char *path = NULL, *tmp = NULL;
	int fd = -1, dfd, rc = -1;

	if (!name || !dir || !*dir) {
		if (err && errlen)
			snprintf(err, errlen, _("invalid draft name \"%s\""), key ? key : "");
		free(name);
		return -1;
	}
	if (make_dir(dir, err, errlen) < 0)
		goto out;
	path = x_asprintf("%s/%s", dir, name);
	/* Same directory, so rename() is atomic; a leading '.' keeps a
	 * leftover from a crash out of the way of real drafts. */
	tmp = x_asprintf("%s/.%s.XXXXXX", dir, name);
	fd = mkstemp(tmp);
	if (fd < 0) {
		set_err(err, errlen, _("cannot create file"), tmp, errno);
		goto out;
	}
	if (fchmod(fd, 0600) < 0 || write_all(fd, text ? text : "", text ? strlen(text) : 0) < 0 ||
	    fsync(fd) < 0) {
		set_err(err, errlen, _("cannot write"), tmp, errno);
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		set_err(err, errlen, _("cannot write"), tmp, errno);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		set_err(err, errlen, _("cannot rename"), path, errno);
		goto out;
	}
	free(tmp);
	tmp = NULL;
	/* Make the rename itself durable. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(path);
	free(name);
	return rc;
}

int drafts_load(const char *dir, const char *key, char **text, char *err, size_t errlen)
{
	char *name = drafts_file_name(key);
	char *path, *buf;
	struct stat st;
	size_t got = 0;
	int fd;

	*text = NULL;
	if (!name || !dir || !*dir) {
		if (err && errlen)
			snprintf(err, errlen, _("invalid draft name \"%s\""), key ? key : "");
		free(name);
		return -1;
	}
	path = x_asprintf("%s/%s", dir, name);
	free(name);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT) {
			free(path);
			return 0;
		}
		set_err(err, errlen, _("cannot open"), path, e);
		free(path);
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_DRAFT) {
		if (err && errlen)
			snprintf(err, errlen, _("%s: not a draft (not a regular file, or over 1 MiB)"), path);
		close(fd);
		free(path);
		return -1;
	}
	buf = x_malloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			set_err(err, errlen, _("cannot read"), path, errno);
			close(fd);
			free(buf);
			free(path);
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	close(fd);
	free(path);
	*text = text_sanitize(buf, TEXT_KEEP_NEWLINE | TEXT_TAB_SPACE);
	free(buf);
	return 1;
}

int drafts_remove(const char *dir, const char *key, char *err, size_t errlen)
{
	char *name = drafts_file_name(key);
	char *path;

	if (!name || !dir || !*dir) {
		if (err && errlen)
			snprintf(err, errlen, _("invalid draft name \"%s\""), key ? key : "");
		free(name);
		return -1;
	}
	path = x_asprintf("%s/%s", dir, name);
	free(name);
	if (unlink(path) < 0 && errno != ENOENT) {
		set_err(err, errlen, _("cannot remove"), path, errno);
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

/* --- autosave ------------------------------------------------------------ */

struct drafts_autosave {
	editor *e;       /* borrowed */
	char *dir, *key;
	unsigned timer;
	int discarded;
	int warned;      /* one warning per failure streak, not per tick */
};

static void tick(void *ctx)
{
	drafts_autosave_now(ctx);
}

drafts_autosave *drafts_autosave_new(editor *e, const char *dir, const char *key, int seconds)
{
	drafts_autosave *a = x_calloc(1, sizeof *a);

	a->e = e;
	a->dir = x_strdup(dir ? dir : "");
	a->key = x_strdup(key ? key : "");
	if (seconds < 1)
		seconds = 1;
	a->timer = loop_timer(seconds * 1000, 1, tick, a);
	return a;
}

int drafts_autosave_now(drafts_autosave *a)
{
	char err[512];
	int rc;

	if (!a || a->discarded || !editor_modified(a->e))
		return 0;
	if (editor_bytes(a->e) == 0)
		rc = drafts_remove(a->dir, a->key, err, sizeof err);
	else
		rc = drafts_save(a->dir, a->key, editor_text(a->e), err, sizeof err);
	if (rc == 0) {
		editor_clear_modified(a->e);
		a->warned = 0;
		return 0;
	}
	if (!a->warned)
		ui_status(UI_WARN, _("Draft not saved: %s"), err);
	a->warned = 1;
	return -1;
}

void drafts_autosave_discard(drafts_autosave *a)
{
	char err[512];

	if (!a)
		return;
	a->discarded = 1;
	loop_timer_cancel(a->timer);
	a->timer = 0;
	if (drafts_remove(a->dir, a->key, err, sizeof err) < 0)
		ui_status(UI_WARN, _("Draft not removed: %s"), err);
}

void drafts_autosave_free(drafts_autosave *a)
{
	if (!a)
		return;
	drafts_autosave_now(a);
	loop_timer_cancel(a->timer);
	free(a->dir);
	free(a->key);
	free(a);
}
