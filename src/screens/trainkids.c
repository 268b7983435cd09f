/* screens/trainkids.c - hallctl children of the training room; see trainkids.h. */
#include "screens/trainkids.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "common/spawn.h"
#include "common/xalloc.h"
#include "screens/app.h"
#include "ui/loop.h"

/* 'value' for a conninfo string: quotes and backslashes escaped. */
static void add_param(char *dsn, size_t n, const char *key, const char *value)
{
	size_t len = strlen(dsn);

	if (!value || !*value || len + 1 >= n)
		return;
	len += (size_t)snprintf(dsn + len, n - len, "%s%s='", len ? " " : "", key);
	for (; *value && len + 3 < n; value++) {
		if (*value == '\'' || *value == '\\')
			dsn[len++] = '\\';
		dsn[len++] = *value;
	}
	if (len + 2 < n) {
		dsn[len++] = '\'';
		dsn[len] = '\0';
	}
}

static void ended(tkid *k)
{
	int status = 0, ok;
	tkid_done_fn done = k->done;

	loop_unwatch_fd(k->fd);
	close(k->fd);
	k->fd = -1;
	/* The pipe closes as the child exits: a short wait at most. */
	for (int i = 0; i < 200 && spawn_reap(k->pid, &status) == 0; i++)
		poll(NULL, 0, 5);
	ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	log_msg(LOG_INFO, "hallctl child %d ended (status %d): %s", (int)k->pid, status, k->line);
	k->pid = 0;
	k->paused = 0;
	if (k->plen) {
		snprintf(k->line, sizeof k->line, "%.*s", (int)k->plen, k->part);
		k->plen = 0;
	}
	if (done)
		done(k->ctx, ok, k->line);
	ui_redraw();
}

static void on_output(int fd, short revents, void *ctx)
{
	tkid *k = ctx;
	char buf[512];
	ssize_t n;

	(void)revents;
	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			ended(k);
			return;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				if (k->plen) {
					snprintf(k->line, sizeof k->line, "%.*s", (int)k->plen, k->part);
					log_msg(LOG_INFO, "hallctl: %s", k->line);
				}
				k->plen = 0;
			} else if (k->plen + 1 < sizeof k->part) {
				k->part[k->plen++] = buf[i];
			}
		}
		ui_redraw();
	}
}

int tkid_hallctl(tkid *k, const char *const *args, tkid_done_fn done, void *ctx, char *err, size_t errlen)
{
	db_session *s = app_db();
	char dsn[1024] = "", *pw = NULL, *prog;
	const char *argv[24];
	const char *env[2] = { NULL, NULL };
	size_t n = 0;
	pid_t pid;
	int fd;

	if (k->pid) {
		snprintf(err, errlen, "busy");
		return -1;
	}
	if (!s) {
		snprintf(err, errlen, "not connected");
		return -1;
	}
	add_param(dsn, sizeof dsn, "host", db_session_param(s, "host"));
	add_param(dsn, sizeof dsn, "hostaddr", db_session_param(s, "hostaddr"));
	add_param(dsn, sizeof dsn, "port", db_session_param(s, "port"));
	add_param(dsn, sizeof dsn, "dbname", db_session_param(s, "dbname"));
	add_param(dsn, sizeof dsn, "user", db_session_user(s));
	if (db_session_param(s, "password"))
		pw = x_asprintf("PGPASSWORD=%s", db_session_param(s, "password"));
	env[0] = pw;
	prog = spawn_sibling("hallctl");
	argv[n++] = prog;
	argv[n++] = "--dsn";
	argv[n++] = dsn;
	for (; *args && n + 1 < sizeof argv / sizeof argv[0]; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	pid = spawn_start(argv, env, &fd, err, errlen);
	free(prog);
	free(pw);
	if (pid < 0)
		return -1;
	memset(k, 0, sizeof *k);
	k->pid = pid;
	k->fd = fd;
	k->done = done;
	k->ctx = ctx;
	loop_watch_fd(fd, POLLIN, on_output, k);
	return 0;
}

int tkid_running(const tkid *k)
{
	return k->pid > 0;
}

void tkid_pause(tkid *k, int pause)
{
	if (!k->pid || k->paused == pause)
		return;
	if (kill(k->pid, pause ? SIGSTOP : SIGCONT) == 0)
		k->paused = pause;
}

void tkid_stop(tkid *k)
{
	if (!k->pid)
		return;
	/* A stopped process handles SIGINT only once it goes on. */
	kill(k->pid, SIGINT);
	if (k->paused)
		kill(k->pid, SIGCONT);
	k->paused = 0;
}

void tkid_forget(tkid *k)
{
	if (!k->pid)
		return;
	tkid_stop(k);
	loop_unwatch_fd(k->fd);
	close(k->fd);
	spawn_reap(k->pid, &(int){ 0 });
	k->pid = 0;
	k->fd = -1;
}
