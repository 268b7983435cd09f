/* print.c - text to CUPS through lp.
 *
 * lp rather than libcups: lp is what the hall's administrator installs,
 * configures (lpoptions, LPDEST, CUPS_SERVER) and tries by hand, its
 * messages are CUPS's own, translated, and hallterm links nothing more.
 *
 * The terminal must not freeze or die because of the printer, so:
 *   - lp runs in a session of its own, without the terminal: a CUPS server
 *     that asks for a password can't take over the screen or stop lp with
 *     SIGTTIN; lp fails and says so instead;
 *   - the text goes to lp over a socket written with MSG_NOSIGNAL: lp
 *     exits without reading its input when the printer does not exist, and
 *     a pipe would then raise SIGPIPE in hallterm;
 *   - one poll() loop writes the text and reads lp's two outputs, so
 *     neither side can block the other, all under one deadline after which
 *     lp's whole process group is killed.
 */
#define _GNU_SOURCE /* POSIX_SPAWN_SETSID (glibc 2.26, POSIX 2024) */

#include "common/print.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"

extern char **environ;

/* lp says a line or two; keep this much of each stream, drain the rest. */
#define OUTPUT_MAX 8192
/* The job's name as the queue shows it; CUPS allows 255 bytes. */
#define TITLE_CELLS 80
/* lp's message in err: one line, cut to this many cells. */
#define MESSAGE_CELLS 200

/* Copy src into dst[n], cut before a UTF-8 character that doesn't fit. */
static void copy_out(char *dst, size_t n, const char *src)
{
	size_t len;

	if (!dst || n == 0)
		return;
	len = strlen(src);
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

__attribute__((format(printf, 3, 4)))
static void fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap, again;
	char *msg;
	int n;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(again);
		copy_out(err, errlen, fmt);
		return;
	}
	msg = x_malloc((size_t)n + 1);
	vsnprintf(msg, (size_t)n + 1, fmt, again);
	va_end(again);
	copy_out(err, errlen, msg);
	free(msg);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int set_flag(int fd, int cmd_get, int cmd_set, int flag)
{
	int flags = fcntl(fd, cmd_get);

	if (flags < 0)
		return -1;
	return fcntl(fd, cmd_set, flags | flag);
}

/* Make *fd close-on-exec and at least 3: with 0, 1 or 2 closed in the
 * caller a new descriptor could be one of them, and the dup2 onto lp's
 * standard streams would then overwrite another of ours. */
static int prepare_fd(int *fd)
{
	int moved;

	if (*fd > 2)
		return set_flag(*fd, F_GETFD, F_SETFD, FD_CLOEXEC);
	moved = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
	if (moved < 0)
		return -1;
	close(*fd);
	*fd = moved;
	return 0;
}

/* Our ends of lp's three streams.  The child's ends are close-on-exec
 * too: posix_spawn's dup2 onto 0, 1 and 2 clears the flag there only, so
 * no copy of them leaks into lp or into anything else spawned later. */
struct channels {
	int in[2];  /* socket pair: [0] ours, [1] lp's stdin */
	int out[2]; /* pipe: [0] ours, [1] lp's stdout */
	int err[2]; /* pipe: [0] ours, [1] lp's stderr */
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void close_channels(struct channels *ch)
{
	close_fd(&ch->in[0]);
	close_fd(&ch->in[1]);
	close_fd(&ch->out[0]);
	close_fd(&ch->out[1]);
	close_fd(&ch->err[0]);
	close_fd(&ch->err[1]);
}

static int open_channels(struct channels *ch)
{
	int i;
	int *fds[] = { &ch->in[0], &ch->in[1], &ch->out[0], &ch->out[1],
		       &ch->err[0], &ch->err[1] };

	for (i = 0; i < 6; i++)
		*fds[i] = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, ch->in) || pipe(ch->out) ||
	    pipe(ch->err))
		return -1;
	for (i = 0; i < 6; i++)
		if (prepare_fd(fds[i]))
			return -1;
	/* Ours never block: the loop polls them. */
	if (set_flag(ch->in[0], F_GETFL, F_SETFL, O_NONBLOCK) ||
	    set_flag(ch->out[0], F_GETFL, F_SETFL, O_NONBLOCK) ||
	    set_flag(ch->err[0], F_GETFL, F_SETFL, O_NONBLOCK))
		return -1;
	return 0;
}

struct sink {
	char buf[OUTPUT_MAX + 1];
	size_t len;
};

/* Read what is there; 1 at end of file (or error), else 0. */
static int drain(int fd, struct sink *s)
{
	char chunk[4096];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);

		if (n > 0) {
			size_t room = OUTPUT_MAX - s->len;
			size_t take = (size_t)n < room ? (size_t)n : room;

			memcpy(s->buf + s->len, chunk, take);
			s->len += take;
			s->buf[s->len] = '\0';
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		return 1;
	}
}

/* lp answers "request id is hallprn-12 (0 file(s))", or the same in the
 * user's language ("请求 ID 为 hallprn-12（0 个文件）"), and a queue name
 * may be Chinese or hold "-" and digits itself.  So the id is the last
 * "-digits" of the answer together with the name before it, back to the
 * previous white space.  "" if there is none. */
static int find_job_id(const char *s, char *job, size_t joblen)
{
	const char *best = NULL, *best_end = NULL, *p;

	for (p = s; *p; p++) {
		const char *d = p + 1, *start = p;

		if (*p != '-' || !isdigit((unsigned char)*d))
			continue;
		while (isdigit((unsigned char)*d))
			d++;
		while (start > s && !isspace((unsigned char)start[-1]))
			start--;
		if (start == p)
			continue;
		best = start;
		best_end = d;
	}
	if (!best) {
		copy_out(job, joblen, "");
		return 0;
	}
	{
		char *id = x_strndup(best, (size_t)(best_end - best));
		char *clean = text_sanitize(id, 0);

		copy_out(job, joblen, clean);
		free(clean);
		free(id);
	}
	return 1;
}

/* lp's reason: its last non-empty line, made safe to draw. */
static char *last_line(const char *s)
{
	const char *end = s + strlen(s), *start;
	char *line, *fit;

	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	start = end;
	while (start > s && start[-1] != '\n')
		start--;
	while (start < end && isspace((unsigned char)*start))
		start++;
	line = x_strndup(start, (size_t)(end - start));
	fit = text_fit(line, MESSAGE_CELLS, TEXT_TAB_SPACE);
	free(line);
	return fit;
}

static void kill_group(pid_t pid)
{
	/* lp leads its own session, so its process group is its pid and holds
	 * anything it started; kill the pid too, should setsid have failed. */
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

/* Reap pid, retrying on EINTR.  0 and *status on success; -1 if someone
 * else reaped it (SIGCHLD ignored, or a handler of their own). */
static int reap(pid_t pid, int *status, int flags)
{
	pid_t r;

	do
		r = waitpid(pid, status, flags);
	while (r < 0 && errno == EINTR);
	if (r == pid)
		return 0;
	return r == 0 ? 1 : -1;
}

static int spawn_lp(pid_t *pid, char *const argv[], struct channels *ch)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, defaults;
	short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
	int rc;

#ifdef POSIX_SPAWN_SETSID
	flags |= POSIX_SPAWN_SETSID;
#else
	flags |= POSIX_SPAWN_SETPGROUP;
#endif
	/* hallterm may block or ignore signals (curses does, SIGPIPE often
	 * is); lp gets the defaults, as it would from a shell. */
	sigemptyset(&none);
	sigemptyset(&defaults);
	sigaddset(&defaults, SIGPIPE);
	sigaddset(&defaults, SIGINT);
	sigaddset(&defaults, SIGQUIT);
	sigaddset(&defaults, SIGTERM);
	sigaddset(&defaults, SIGHUP);
	sigaddset(&defaults, SIGCHLD);
	sigaddset(&defaults, SIGTSTP);
	sigaddset(&defaults, SIGTTIN);
	sigaddset(&defaults, SIGTTOU);
	sigaddset(&defaults, SIGWINCH);

	if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
		return rc;
	if ((rc = posix_spawnattr_init(&attr)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return rc;
	}
	if ((rc = posix_spawn_file_actions_adddup2(&fa, ch->in[1], 0)) == 0 &&
	    (rc = posix_spawn_file_actions_adddup2(&fa, ch->out[1], 1)) == 0 &&
	    (rc = posix_spawn_file_actions_adddup2(&fa, ch->err[1], 2)) == 0 &&
	    (rc = posix_spawnattr_setflags(&attr, flags)) == 0 &&
	    (rc = posix_spawnattr_setsigmask(&attr, &none)) == 0 &&
	    (rc = posix_spawnattr_setsigdefault(&attr, &defaults)) == 0)
		rc = posix_spawnp(pid, "lp", &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* A reason, prefixed with where lp was to print: the queue or the
 * default printer. */
static void fail_lp(char *err, size_t errlen, const char *printer,
		    const char *why)
{
	char *q;

	if (!printer || !*printer) {
		fail(err, errlen, _("default printer: %s"), why);
		return;
	}
	q = text_fit(printer, 60, TEXT_TAB_SPACE);
	fail(err, errlen, _("printer \"%s\": %s"), q, why);
	free(q);
}

int print_text(const char *printer, const char *title, const char *text,
	       int timeout_ms, char *job, size_t joblen, char *err,
	       size_t errlen)
{
	struct channels ch;
	struct sink *out, *errs;
	char *argv[8], *name = NULL, *msg = NULL;
	const char *rest;
	size_t left, argc = 0;
	long long deadline;
	pid_t pid;
	int rc, status = 0, reaped = 1, timed_out = 0, broken = 0;
	int out_eof = 0, err_eof = 0;

	copy_out(job, joblen, "");
	copy_out(err, errlen, "");
	/* lp would say "stdin is empty, so no job has been sent". */
	if (!text || !*text) {
		fail(err, errlen, _("cannot print: the text is empty"));
		return -1;
	}
	if (timeout_ms <= 0)
		timeout_ms = PRINT_TIMEOUT_MS;

	argv[argc++] = "lp";
	if (printer && *printer) {
		argv[argc++] = "-d";
		argv[argc++] = (char *)printer;
	}
	if (title && *title) {
		name = text_fit(title, TITLE_CELLS, TEXT_TAB_SPACE);
		argv[argc++] = "-t";
		argv[argc++] = name;
	}
	/* Say what it is rather than let CUPS guess: the notices are plain
	 * UTF-8 text (CUPS's text filters read UTF-8). */
	argv[argc++] = "-o";
	argv[argc++] = "document-format=text/plain";
	argv[argc] = NULL;

	if (open_channels(&ch)) {
		fail(err, errlen, _("cannot print: %s"), strerror(errno));
		close_channels(&ch);
		free(name);
		return -1;
	}
	rc = spawn_lp(&pid, argv, &ch);
	free(name);
	/* lp holds its own copies now; ours would hide its end of file. */
	close_fd(&ch.in[1]);
	close_fd(&ch.out[1]);
	close_fd(&ch.err[1]);
	if (rc != 0) {
		if (rc == ENOENT)
			fail(err, errlen, _("cannot print: the lp command was not found (install the cups-client package)"));
		else
			fail(err, errlen, _("cannot print: lp does not run: %s"), strerror(rc));
		close_channels(&ch);
		return -1;
	}

	out = x_calloc(1, sizeof *out);
	errs = x_calloc(1, sizeof *errs);
	rest = text;
	left = strlen(text);
	deadline = now_ms() + timeout_ms;

	/* Until lp has closed both outputs: feed it, read it. */
	while (!out_eof || !err_eof) {
		struct pollfd fds[3];
		nfds_t n = 0;
		long long wait = deadline - now_ms();
		int r;

		if (wait <= 0) {
			timed_out = 1;
			break;
		}
		if (ch.in[0] >= 0)
			fds[n++] = (struct pollfd){ .fd = ch.in[0], .events = POLLOUT };
		if (!out_eof)
			fds[n++] = (struct pollfd){ .fd = ch.out[0], .events = POLLIN };
		if (!err_eof)
			fds[n++] = (struct pollfd){ .fd = ch.err[0], .events = POLLIN };
		r = poll(fds, n, (int)wait);
		if (r < 0 && errno != EINTR) {
			/* We can't follow lp any more: stop it. */
			fail(err, errlen, _("cannot print: %s"), strerror(errno));
			broken = 1;
			break;
		}
		if (r <= 0)
			continue;
		if (ch.in[0] >= 0) {
			ssize_t w = send(ch.in[0], rest, left, MSG_NOSIGNAL | MSG_DONTWAIT);

			if (w > 0) {
				rest += w;
				left -= (size_t)w;
			} else if (w < 0 && errno != EAGAIN &&
				   errno != EWOULDBLOCK && errno != EINTR) {
				/* lp went without reading it all (EPIPE):
				 * its exit status and message say why. */
				left = 0;
			}
			if (left == 0)
				close_fd(&ch.in[0]); /* end of file for lp */
		}
		if (!out_eof)
			out_eof = drain(ch.out[0], out);
		if (!err_eof)
			err_eof = drain(ch.err[0], errs);
	}

	/* Both outputs closed: lp is exiting.  Give it the rest of the time. */
	while (!timed_out && !broken && (reaped = reap(pid, &status, WNOHANG)) == 1) {
		struct timespec tick = { 0, 10 * 1000000L };

		if (now_ms() >= deadline)
			timed_out = 1;
		else
			nanosleep(&tick, NULL);
	}
	close_channels(&ch);

	rc = -1;
	if (timed_out || broken) {
		kill_group(pid);
		reap(pid, &status, 0);
		if (timed_out) {
			char secs[32];

			snprintf(secs, sizeof secs, "%g", timeout_ms / 1000.0);
			msg = x_asprintf(_("lp did not finish within %s seconds and was stopped"), secs);
		}
	} else if (reaped < 0) {
		/* Someone else reaped it (SIGCHLD ignored): lp's answer is
		 * all there is to go by. */
		if (find_job_id(out->buf, job, joblen))
			rc = 0;
		else
			msg = last_line(errs->buf);
		if (rc && !*msg) {
			free(msg);
			msg = x_strdup(_("lp ended without an answer"));
		}
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		find_job_id(out->buf, job, joblen);
		rc = 0;
	} else if (WIFEXITED(status)) {
		msg = last_line(errs->buf);
		if (!*msg) {
			free(msg);
			msg = x_asprintf(_("lp failed with exit status %d"), WEXITSTATUS(status));
		}
	} else { /* WIFSIGNALED: waitpid reports nothing else here */
		msg = x_asprintf(_("lp was killed by signal %d (%s)"),
				 WTERMSIG(status), strsignal(WTERMSIG(status)));
	}
	if (msg)
		fail_lp(err, errlen, printer, msg);
	free(msg);
	free(out);
	free(errs);
	return rc;
}
