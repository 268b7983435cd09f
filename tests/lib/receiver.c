/* receiver - a small HTTP/1.1 server on 127.0.0.1 standing in for the
 * city's notification gateway in the tests and the benchmark.
 *
 *   receiver PORT LOGFILE [CONTROLFILE] [KEY=VALUE ...]
 *
 * PORT 0 picks a free port.  The port is printed on stdout as one line once
 * the server listens.  Every request is appended to LOGFILE as one line of
 * tab-separated fields:
 *
 *   SEQ  METHOD  PATH  IDEMPOTENCY-KEY  STATUS  DUP  BODY
 *
 * STATUS is the status answered (200, 400, 429, 500 ...), or "hang" or
 * "close"; DUP is 1 when the answer was a 200 for a key already answered
 * 200 before (a real gateway drops such a repeat: it is not delivered
 * again), else 0.  So "delivered" means STATUS 200 and DUP 0, and a test
 * can check that each key was delivered exactly once.  "-" stands for a
 * missing key; tabs, newlines and backslashes in the body are escaped.
 *
 * Behaviour, given as KEY=VALUE arguments and/or lines of CONTROLFILE
 * (re-read before each answer; when its content changes the settings are
 * those arguments plus the file, and the request counter starts again):
 *
 *   action=ok|500|503|408|429|400|hang|close   answer to every request (ok: 200)
 *   fail_every=N     every Nth request gets fail_with instead (0: never)
 *   fail_first=N     the first N requests get fail_with
 *   fail_with=...    as action; default 500
 *   latency_ms=N     wait this long before answering
 *   retry_after=N    the Retry-After seconds of a 429 (default 1)
 *   body=TEXT        the body of a 400 (default {"error":"invalid recipient"})
 *
 * "hang" never answers (the connection stays open until the client gives
 * up); "close" closes the connection without answering.  Connections are
 * kept alive (HTTP/1.1).  SIGTERM or SIGINT ends the server with status 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADER 16384
#define MAX_BODY (4 * 1024 * 1024)

/* ---- settings --------------------------------------------------------- */

enum action { A_OK, A_STATUS, A_HANG, A_CLOSE };

typedef struct behaviour {
	enum action action;
	int action_status;
	long fail_every;
	long fail_first;
	enum action fail_action;
	int fail_status;
	long latency_ms;
	long retry_after;
	char body[1024];
} behaviour;

static char **arg_settings;
static int n_arg_settings;
static const char *control_path;
static char *control_text; /* last content read */
static behaviour cur;
static long counter;       /* requests since the behaviour last changed */

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("receiver: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die("out of memory");
	return q;
}

static int parse_action(const char *v, enum action *a, int *status)
{
	if (strcmp(v, "ok") == 0 || strcmp(v, "200") == 0) {
		*a = A_OK;
		*status = 200;
	} else if (strcmp(v, "hang") == 0) {
		*a = A_HANG;
	} else if (strcmp(v, "close") == 0) {
		*a = A_CLOSE;
	} else {
		char *end;
		long s = strtol(v, &end, 10);

		if (*end || s < 100 || s > 599)
			return -1;
		*a = s >= 200 && s <= 299 ? A_OK : A_STATUS;
		*status = (int)s;
	}
	return 0;
}

static void defaults(behaviour *b)
{
	memset(b, 0, sizeof *b);
	b->action = A_OK;
	b->action_status = 200;
	b->fail_action = A_STATUS;
	b->fail_status = 500;
	b->retry_after = 1;
	snprintf(b->body, sizeof b->body, "{\"error\":\"invalid recipient\"}");
}

/* One KEY=VALUE; returns -1 for anything unknown. */
static int apply_setting(behaviour *b, const char *line)
{
	const char *eq = strchr(line, '=');
	char key[64];
	const char *v;
	char *end;
	long n;
	size_t klen;

	if (!eq)
		return -1;
	klen = (size_t)(eq - line);
	if (klen == 0 || klen >= sizeof key)
		return -1;
	memcpy(key, line, klen);
	key[klen] = '\0';
	v = eq + 1;
	if (strcmp(key, "action") == 0)
		return parse_action(v, &b->action, &b->action_status);
	if (strcmp(key, "fail_with") == 0)
		return parse_action(v, &b->fail_action, &b->fail_status);
	if (strcmp(key, "body") == 0) {
		snprintf(b->body, sizeof b->body, "%s", v);
		return 0;
	}
	n = strtol(v, &end, 10);
	if (!*v || *end || n < 0)
		return -1;
	if (strcmp(key, "fail_every") == 0)
		b->fail_every = n;
	else if (strcmp(key, "fail_first") == 0)
		b->fail_first = n;
	else if (strcmp(key, "latency_ms") == 0)
		b->latency_ms = n;
	else if (strcmp(key, "retry_after") == 0)
		b->retry_after = n;
	else
		return -1;
	return 0;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* Re-read the control file; a change of content resets the counter. */
static void refresh_behaviour(void)
{
	char *text;
	behaviour b;

	if (!control_path)
		return;
	text = read_all(control_path);
	if (!text)
		text = strdup("");
	if (!text)
		die("out of memory");
	if (control_text && strcmp(text, control_text) == 0) {
		free(text);
		return;
	}
	defaults(&b);
	for (int i = 0; i < n_arg_settings; i++)
		apply_setting(&b, arg_settings[i]);
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (*line && *line != '#' && apply_setting(&b, line) < 0)
			fprintf(stderr, "receiver: %s: ignoring \"%s\"\n", control_path, line);
		if (next)
			next[-1] = '\n';
	}
	free(control_text);
	control_text = text;
	cur = b;
	counter = 0;
}

/* ---- the set of keys answered 200 ------------------------------------- */

static char **keys;
static size_t keys_cap, keys_n;

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ULL & (size_t)-1;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

/* Adds key; returns 1 if it was there already. */
static int keys_add(const char *key)
{
	size_t i;

	if ((keys_n + 1) * 2 > keys_cap) {
		size_t ncap = keys_cap ? keys_cap * 2 : 1024;
		char **nk = calloc(ncap, sizeof *nk);

		if (!nk)
			die("out of memory");
		for (size_t j = 0; j < keys_cap; j++) {
			if (!keys[j])
				continue;
			for (i = hash(keys[j]) & (ncap - 1); nk[i]; i = (i + 1) & (ncap - 1))
				;
			nk[i] = keys[j];
		}
		free(keys);
		keys = nk;
		keys_cap = ncap;
	}
	for (i = hash(key) & (keys_cap - 1); keys[i]; i = (i + 1) & (keys_cap - 1))
		if (strcmp(keys[i], key) == 0)
			return 1;
	keys[i] = strdup(key);
	if (!keys[i])
		die("out of memory");
	keys_n++;
	return 0;
}

/* ---- connections ------------------------------------------------------ */

enum cstate { C_READ, C_WAIT, C_WRITE, C_HANG };

typedef struct conn {
	int fd;
	enum cstate state;
	char *in;
	size_t in_len, in_cap;
	char *out;
	size_t out_len, out_off;
	int close_after;
	struct timespec answer_at;
	/* the request being answered */
	char method[16];
	char path[512];
	char key[256];
	char *body;
	long seq;
	int status;
} conn;

static conn **conns;
static size_t nconns;
static FILE *log_file;
static long seq;
static volatile sig_atomic_t stop;
static int sig_pipe[2];

static void on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	stop = 1;
	if (write(sig_pipe[1], "x", 1) < 0) {
		/* the flag is enough */
	}
	errno = saved;
}

static void conn_close(size_t i)
{
	conn *c = conns[i];

	close(c->fd);
	free(c->in);
	free(c->out);
	free(c->body);
	free(c);
	conns[i] = conns[--nconns];
}

static void escape_to(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\\': fputs("\\\\", f); break;
		default: fputc(*s, f);
		}
	}
}

static void log_request(const conn *c, const char *status, int dup)
{
	fprintf(log_file, "%ld\t%s\t%s\t%s\t%s\t%d\t", c->seq, c->method, c->path,
	        c->key[0] ? c->key : "-", status, dup);
	escape_to(log_file, c->body ? c->body : "");
	fputc('\n', log_file);
	fflush(log_file);
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 408: return "Request Timeout";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

static void set_response(conn *c, int status, const char *extra, const char *body)
{
	size_t blen = strlen(body);
	int n = snprintf(NULL, 0,
		"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s%s\r\n%s",
		status, reason(status), blen, extra, c->close_after ? "Connection: close\r\n" : "", body);

	free(c->out);
	c->out = xrealloc(NULL, (size_t)n + 1);
	snprintf(c->out, (size_t)n + 1,
		"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s%s\r\n%s",
		status, reason(status), blen, extra, c->close_after ? "Connection: close\r\n" : "", body);
	c->out_len = (size_t)n;
	c->out_off = 0;
	c->status = status;
}

/* The request is complete: decide the answer (now or after latency). */
static int conn_decide(conn *c)
{
	enum action a;
	int status;

	refresh_behaviour();
	counter++;
	c->seq = ++seq;
	a = cur.action;
	status = cur.action_status;
	if ((cur.fail_first > 0 && counter <= cur.fail_first) ||
	    (cur.fail_every > 0 && counter % cur.fail_every == 0)) {
		a = cur.fail_action;
		status = cur.fail_status;
	}
	if (a == A_CLOSE) {
		log_request(c, "close", 0);
		return -1;
	}
	if (a == A_HANG) {
		log_request(c, "hang", 0);
		c->state = C_HANG;
		return 0;
	}
	if (a == A_OK) {
		set_response(c, status, "", "{\"status\":\"accepted\"}");
	} else if (status == 429) {
		char extra[64];
		snprintf(extra, sizeof extra, "Retry-After: %ld\r\n", cur.retry_after);
		set_response(c, status, extra, "{\"error\":\"slow down\"}");
	} else if (status >= 400 && status < 500) {
		set_response(c, status, "", cur.body);
	} else {
		set_response(c, status, "", "{\"error\":\"internal error\"}");
	}
	clock_gettime(CLOCK_MONOTONIC, &c->answer_at);
	c->answer_at.tv_sec += cur.latency_ms / 1000;
	c->answer_at.tv_nsec += (cur.latency_ms % 1000) * 1000000L;
	if (c->answer_at.tv_nsec >= 1000000000L) {
		c->answer_at.tv_sec++;
		c->answer_at.tv_nsec -= 1000000000L;
	}
	c->state = C_WAIT;
	return 0;
}

/* The answer goes out now: log it (a 200 for a key seen before is a repeat). */
static void conn_answer(conn *c)
{
	char st[16];
	int dup = 0;

	if (c->status >= 200 && c->status <= 299 && c->key[0])
		dup = keys_add(c->key);
	snprintf(st, sizeof st, "%d", c->status);
	log_request(c, st, dup);
	c->state = C_WRITE;
}

static int header_value(const char *hdrs, const char *name, char *out, size_t n)
{
	size_t nlen = strlen(name);

	for (const char *p = hdrs; p && *p; ) {
		const char *eol = strstr(p, "\r\n");
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len > nlen && strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1;
			size_t vlen = len - nlen - 1;
			while (vlen > 0 && (*v == ' ' || *v == '\t')) {
				v++;
				vlen--;
			}
			while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= n)
				vlen = n - 1;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return 1;
		}
		p = eol ? eol + 2 : NULL;
	}
	return 0;
}

/* Parse one complete request from c->in if there is one.  Returns 1 when a
 * request was taken, 0 when more input is needed, -1 to close. */
static int conn_parse(conn *c)
{
	char *end, *line_end, *hdrs;
	char version[16], cl[32], tmp[64];
	size_t head_len, body_len = 0;

	if (c->in_len == 0)
		return 0;
	c->in[c->in_len] = '\0';
	end = strstr(c->in, "\r\n\r\n");
	if (!end)
		return c->in_len > MAX_HEADER ? -1 : 0;
	head_len = (size_t)(end - c->in) + 4;
	line_end = strstr(c->in, "\r\n");
	*line_end = '\0';
	if (sscanf(c->in, "%15s %511s %15s", c->method, c->path, version) != 3) {
		*line_end = '\r';
		return -1;
	}
	*line_end = '\r';
	hdrs = line_end + 2;
	end[2] = '\0'; /* headers end with their last "\r\n" */
	c->key[0] = '\0';
	header_value(hdrs, "Idempotency-Key", c->key, sizeof c->key);
	c->close_after = strcmp(version, "HTTP/1.0") == 0;
	if (header_value(hdrs, "Connection", tmp, sizeof tmp))
		c->close_after = strcasecmp(tmp, "close") == 0 ||
		                 (c->close_after && strcasecmp(tmp, "keep-alive") != 0);
	if (header_value(hdrs, "Transfer-Encoding", tmp, sizeof tmp)) {
		end[2] = '\r';
		c->close_after = 1;
		free(c->body);
		c->body = NULL;
		set_response(c, 501, "", "{\"error\":\"chunked bodies are not supported\"}");
		c->seq = ++seq;
		conn_answer(c);
		c->in_len = 0;
		return 1;
	}
	if (header_value(hdrs, "Content-Length", cl, sizeof cl)) {
		char *e;
		long v = strtol(cl, &e, 10);
		if (*e || v < 0 || v > MAX_BODY)
			return -1;
		body_len = (size_t)v;
	}
	if (header_value(hdrs, "Expect", tmp, sizeof tmp) && strcasecmp(tmp, "100-continue") == 0 &&
	    c->in_len < head_len + body_len) {
		static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
		if (write(c->fd, cont, sizeof cont - 1) < 0) {
			/* the client will send anyway after its timeout */
		}
	}
	end[2] = '\r';
	if (c->in_len < head_len + body_len)
		return 0;
	free(c->body);
	c->body = xrealloc(NULL, body_len + 1);
	memcpy(c->body, c->in + head_len, body_len);
	c->body[body_len] = '\0';
	memmove(c->in, c->in + head_len + body_len, c->in_len - head_len - body_len);
	c->in_len -= head_len + body_len;
	return conn_decide(c) < 0 ? -1 : 1;
}

static int conn_read(conn *c)
{
	for (;;) {
		ssize_t n;

		if (c->in_cap - c->in_len < 4096 + 1) {
			c->in_cap = c->in_cap ? c->in_cap * 2 : 16384;
			c->in = xrealloc(c->in, c->in_cap);
		}
		n = read(c->fd, c->in + c->in_len, c->in_cap - c->in_len - 1);
		if (n > 0) {
			c->in_len += (size_t)n;
			if (c->in_len > MAX_HEADER + MAX_BODY)
				return -1;
			continue;
		}
		if (n == 0)
			return -1;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return -1;
	}
}

static int conn_write(conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
		if (n > 0) {
			c->out_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		return -1;
	}
	if (c->close_after)
		return -1;
	c->state = C_READ;
	return 1;
}

/* Move a connection on as far as it goes; -1 closes it. */
static int conn_step(conn *c)
{
	for (;;) {
		int r;

		switch (c->state) {
		case C_READ:
			r = conn_parse(c);
			if (r <= 0)
				return r;
			break;
		case C_WAIT: {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec < c->answer_at.tv_sec ||
			    (now.tv_sec == c->answer_at.tv_sec && now.tv_nsec < c->answer_at.tv_nsec))
				return 0;
			conn_answer(c);
			break;
		}
		case C_WRITE:
			r = conn_write(c);
			if (r <= 0)
				return r;
			break;
		case C_HANG:
			return 0;
		}
	}
}

static long ms_until(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000 + 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr;
	socklen_t alen = sizeof addr;
	struct sigaction sa;
	struct pollfd *pfd = NULL;
	size_t pfd_cap = 0;
	char *endp;
	long port;
	int lfd, one = 1, argi = 3;

	if (argc < 3) {
		fprintf(stderr, "usage: receiver PORT LOGFILE [CONTROLFILE] [KEY=VALUE ...]\n");
		return 2;
	}
	port = strtol(argv[1], &endp, 10);
	if (*endp || port < 0 || port > 65535)
		die("bad port \"%s\"", argv[1]);
	log_file = fopen(argv[2], "a");
	if (!log_file)
		die("%s: %s", argv[2], strerror(errno));
	if (argc > 3 && !strchr(argv[3], '=')) {
		control_path = argv[3];
		argi = 4;
	}
	arg_settings = argv + argi;
	n_arg_settings = argc - argi;
	defaults(&cur);
	for (int i = 0; i < n_arg_settings; i++)
		if (apply_setting(&cur, arg_settings[i]) < 0)
			die("bad setting \"%s\"", arg_settings[i]);
	refresh_behaviour();

	if (pipe(sig_pipe) < 0)
		die("pipe: %s", strerror(errno));
	fcntl(sig_pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(sig_pipe[1], F_SETFL, O_NONBLOCK);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((unsigned short)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0)
		die("bind 127.0.0.1:%ld: %s", port, strerror(errno));
	if (listen(lfd, 256) < 0)
		die("listen: %s", strerror(errno));
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	if (getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0)
		die("getsockname: %s", strerror(errno));
	printf("%d\n", ntohs(addr.sin_port));
	fflush(stdout);

	while (!stop) {
		long timeout = -1;
		size_t n = 0;

		if (pfd_cap < nconns + 2) {
			pfd_cap = (nconns + 2) * 2;
			pfd = xrealloc(pfd, pfd_cap * sizeof *pfd);
		}
		pfd[n++] = (struct pollfd){ .fd = sig_pipe[0], .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (size_t i = 0; i < nconns; i++) {
			conn *c = conns[i];
			short ev = POLLIN;

			if (c->state == C_WRITE)
				ev |= POLLOUT;
			if (c->state == C_WAIT) {
				long ms = ms_until(&c->answer_at);
				if (ms < 0)
					ms = 0;
				if (timeout < 0 || ms < timeout)
					timeout = ms;
			}
			pfd[n++] = (struct pollfd){ .fd = c->fd, .events = ev };
		}
		if (poll(pfd, n, (int)timeout) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		if (pfd[1].revents & POLLIN) {
			for (;;) {
				int fd = accept(lfd, NULL, NULL);
				conn *c;

				if (fd < 0)
					break;
				fcntl(fd, F_SETFL, O_NONBLOCK);
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
				c = calloc(1, sizeof *c);
				if (!c)
					die("out of memory");
				c->fd = fd;
				c->state = C_READ;
				conns = xrealloc(conns, (nconns + 1) * sizeof *conns);
				conns[nconns++] = c;
			}
		}
		/* Walk backwards: conn_close moves the last one into the gap.
		 * Connections accepted just now have no pollfd yet. */
		for (size_t i = nconns; i-- > 0; ) {
			conn *c = conns[i];
			short rev = 0;
			int r = 0;

			if (i + 2 < n && pfd[i + 2].fd == c->fd)
				rev = pfd[i + 2].revents;
			if (rev & POLLIN) {
				if (c->state == C_HANG || c->state == C_WAIT || c->state == C_WRITE) {
					/* Only notice a close; keep the bytes for later. */
					if (conn_read(c) < 0)
						r = -1;
				} else if (conn_read(c) < 0) {
					r = -1;
				}
			} else if (rev & (POLLERR | POLLHUP | POLLNVAL)) {
				r = -1;
			}
			/* A request fully read before the peer closed still counts. */
			if (r < 0 && c->state == C_READ && c->in_len > 0)
				conn_step(c);
			if (r == 0)
				r = conn_step(c);
			if (r < 0)
				conn_close(i);
		}
	}
	while (nconns > 0)
		conn_close(nconns - 1);
	free(pfd);
	free(conns);
	for (size_t i = 0; i < keys_cap; i++)
		free(keys[i]);
	free(keys);
	free(control_text);
	close(lfd);
	fclose(log_file);
	return 0;
}
