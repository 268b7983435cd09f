/* ctl/notify.c - `hallctl notify [--once] [--syslog] [--worker NAME]`:
 * deliver hall.outbox to the notification gateway.
 *
 * The loop: claim as many due rows as there are free request slots
 * (hall.outbox_claim, FOR UPDATE SKIP LOCKED, so any number of dispatchers
 * can run side by side), post them through one libcurl multi handle,
 * record each outcome as soon as it is known (hall.outbox_sent / _retry /
 * _failed), and when nothing is due sleep in one poll() over the database
 * socket (LISTEN hall_outbox), the transfers and a signal pipe, until a
 * NOTIFY, a finished request or the next due time (hall.outbox_next_due).
 *
 * Claiming no more rows than free slots means every claimed row is on the
 * wire at once, so a lease only has to outlast one request (checked at
 * start: lease_seconds >= timeout_ms + 2 s).  A dispatcher killed at any
 * point loses nothing: its rows are claimed again when the lease runs out,
 * and the gateway drops a repeat by its Idempotency-Key.
 *
 * SIGTERM/SIGINT: claim nothing more, finish the requests in flight and
 * record them, exit 0; a second signal abandons them (their leases run
 * out) and exits 1.  --once: deliver what is due now and exit when a claim
 * finds nothing (retries scheduled for later are left for the next run).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "common/i18n.h"
#include "common/log.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "ctl/ctl.h"
#include "ctl/notify_db.h"
#include "ctl/notify_http.h"
#include "db/conn.h"

/* A lease must outlast one request by this much, for the outcome to be
 * recorded under it. */
#define LEASE_MARGIN_MS 2000
/* Longest sleep without looking at the queue: a safety net for a lost
 * notification, not the way work is found. */
#define MAX_SLEEP_MS 60000
/* Shortest sleep when the queue says a row is due but the claim found none
 * (another dispatcher is claiming it this very moment). */
#define MIN_RECHECK_MS 100

typedef struct dispatcher {
	ctl_ctx *c;
	nhttp *http;
	char *worker;
	int batch, in_flight, max_attempts, lease_seconds;
	long backoff_base_ms, backoff_max_ms;
	long reconnect_max_s;
	int once;

	int need_claim;          /* something may be due: claim when a slot is free */
	int due_stale;           /* ask the queue when the next row is due */
	int due_set;
	struct timespec due_at;  /* monotonic */
	int stopping;            /* claim nothing more */
	int status;              /* exit status once the loop ends */
	int abort_now;           /* leave the loop without finishing transfers */

	uint64_t rng;
	long n_sent, n_retry, n_failed;
} dispatcher;

/* ---- signals ---------------------------------------------------------- */

static volatile sig_atomic_t signals_seen;
static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	if (signals_seen < 100)
		signals_seen++;
	if (sig_pipe[1] >= 0 && write(sig_pipe[1], "x", 1) < 0) {
		/* Full pipe: the flag is enough. */
	}
	errno = saved;
}

static int signals_install(struct sigaction *old_term, struct sigaction *old_int,
                           struct sigaction *old_pipe)
{
	struct sigaction sa;

	if (pipe(sig_pipe) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* Restart writes and reads; poll() returns EINTR anyway, and the
	 * pipe wakes it if the signal came just before it. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, old_term);
	sigaction(SIGINT, &sa, old_int);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, old_pipe);
	return 0;
}

static void signals_restore(const struct sigaction *old_term, const struct sigaction *old_int,
                            const struct sigaction *old_pipe)
{
	sigaction(SIGTERM, old_term, NULL);
	sigaction(SIGINT, old_int, NULL);
	sigaction(SIGPIPE, old_pipe, NULL);
	for (int i = 0; i < 2; i++) {
		if (sig_pipe[i] >= 0)
			close(sig_pipe[i]);
		sig_pipe[i] = -1;
	}
}

static void drain_sig_pipe(void)
{
	char buf[64];

	while (read(sig_pipe[0], buf, sizeof buf) > 0)
		;
}

/* ---- time and randomness ---------------------------------------------- */

static long ms_until(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

static void set_due_in(dispatcher *d, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, &d->due_at);
	d->due_at.tv_sec += ms / 1000;
	d->due_at.tv_nsec += (ms % 1000) * 1000000L;
	if (d->due_at.tv_nsec >= 1000000000L) {
		d->due_at.tv_sec++;
		d->due_at.tv_nsec -= 1000000000L;
	}
	d->due_set = 1;
}

/* xorshift64*: jitter needs spread, not secrecy. */
static uint64_t next_random(dispatcher *d)
{
	uint64_t x = d->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	d->rng = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Exponential backoff with full jitter: uniform in [0, min(max, base *
 * 2^(attempt-1))]; Retry-After, when given, is the least we wait, even
 * beyond backoff_max_ms. */
static long retry_delay_ms(dispatcher *d, int attempt, long retry_after_ms)
{
	long cap = d->backoff_base_ms;
	long delay;

	for (int i = 1; i < attempt && cap < d->backoff_max_ms; i++)
		cap *= 2;
	if (cap > d->backoff_max_ms)
		cap = d->backoff_max_ms;
	delay = (long)(next_random(d) % (uint64_t)(cap + 1));
	/* The gateway's word beats our cap: asking again sooner would only
	 * earn another 429 (nhttp bounds it to a day). */
	if (retry_after_ms > delay)
		delay = retry_after_ms;
	return delay;
}

/* ---- the database ----------------------------------------------------- */

/* After a failed statement: when the connection is gone, reconnect (with
 * growing pauses, until it works or a signal comes) and return 0 so the
 * caller can try again; otherwise log the refusal and return -1. */
static int db_recover(dispatcher *d, const char *what, const char *err)
{
	PGconn *pg = d->c->pg;
	long pause = 1;
	char e[512];

	if (PQstatus(pg) == CONNECTION_OK) {
		log_msg(LOG_ERR, _("%s: %s"), what, err);
		return -1;
	}
	log_msg(LOG_WARNING, _("database connection lost (%s): reconnecting"), err);
	for (;;) {
		PQreset(pg);
		if (PQstatus(pg) == CONNECTION_OK &&
		    ndb_session(pg, d->worker, !d->once, e, sizeof e) == 0) {
			log_msg(LOG_INFO, _("database connection restored"));
			d->need_claim = 1;
			d->due_stale = 1;
			return 0;
		}
		if (PQstatus(pg) != CONNECTION_OK)
			db_error_line(pg, e, sizeof e);
		if (d->once || signals_seen) {
			log_msg(LOG_ERR, _("cannot reconnect to the database: %s"), e);
			return -1;
		}
		log_msg(LOG_WARNING, _("cannot reconnect to the database (%s): next try in %ld s"), e, pause);
		struct pollfd p = { .fd = sig_pipe[0], .events = POLLIN };
		if (poll(&p, 1, (int)(pause * 1000)) > 0 || signals_seen) {
			log_msg(LOG_ERR, _("stopped while reconnecting to the database"));
			return -1;
		}
		pause = pause * 2 > d->reconnect_max_s ? d->reconnect_max_s : pause * 2;
	}
}

static void db_fatal(dispatcher *d)
{
	d->status = CTL_FAIL;
	d->abort_now = 1;
}

/* The server's notices and warnings (a lost connection, hall.now()
 * refusing a moved clock) go to the log, not to a bare stderr. */
static void on_notice(void *arg, const char *message)
{
	size_t n = strcspn(message, "\n");

	(void)arg;
	log_msg(LOG_WARNING, _("database: %.*s"), (int)n, message);
}

/* Read notifications the connection has received: any means "look". */
static void drain_notifies(dispatcher *d)
{
	PGnotify *n;

	while ((n = PQnotifies(d->c->pg)) != NULL) {
		d->need_claim = 1;
		PQfreemem(n);
	}
}

/* ---- outcomes --------------------------------------------------------- */

/* The kept start of the gateway's answer as valid UTF-8 text: NULs made
 * visible, a character cut at the end dropped. */
static char *response_text(const char *body, size_t len)
{
	char *raw, *clean;

	if (len == 0)
		return NULL;
	if (len >= NHTTP_BODY_KEEP) {
		size_t lead = len;
		while (lead > 0 && len - lead < 4 && ((unsigned char)body[lead - 1] & 0xC0) == 0x80)
			lead--;
		if (lead > 0) {
			unsigned char c = (unsigned char)body[lead - 1];
			size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
			if (need > 1 && len - (lead - 1) < need)
				len = lead - 1;
		}
	}
	raw = x_malloc(len + 1);
	for (size_t i = 0; i < len; i++)
		raw[i] = body[i] ? body[i] : '\x01';
	raw[len] = '\0';
	clean = text_sanitize(raw, TEXT_KEEP_NEWLINE | TEXT_TAB_SPACE);
	free(raw);
	return clean;
}

static void record_sent(dispatcher *d, const nhttp_result *r)
{
	char verdict[32], err[512];

	for (;;) {
		if (ndb_sent(d->c->pg, r->id, d->worker, r->status, verdict, sizeof verdict,
		             err, sizeof err) == 0)
			break;
		if (db_recover(d, _("cannot record a delivery"), err) < 0) {
			log_msg(LOG_ERR, _("outbox %lld: delivered (HTTP %ld) but not recorded; it will be "
			                   "sent again after its lease and dropped by the gateway as a repeat"),
			        r->id, r->status);
			db_fatal(d);
			return;
		}
	}
	d->n_sent++;
	if (strcmp(verdict, "sent") == 0)
		log_msg(LOG_INFO, _("outbox %lld sent: HTTP %ld in %ld ms (attempt %d)"),
		        r->id, r->status, r->elapsed_ms, r->attempt);
	else if (strcmp(verdict, "sent_late") == 0)
		log_msg(LOG_INFO, _("outbox %lld sent: HTTP %ld in %ld ms (attempt %d; recorded although "
		                    "its lease had passed to another sender)"),
		        r->id, r->status, r->elapsed_ms, r->attempt);
	else
		log_msg(LOG_INFO, _("outbox %lld: HTTP %ld in %ld ms, but it was already recorded as sent"),
		        r->id, r->status, r->elapsed_ms);
}

static void record_failed(dispatcher *d, const nhttp_result *r, const char *why)
{
	char err[512];
	char *resp = response_text(r->body, r->body_len);
	int applied = 0;

	for (;;) {
		if (ndb_failed(d->c->pg, r->id, d->worker, r->status, why, resp, &applied,
		               err, sizeof err) == 0)
			break;
		if (db_recover(d, _("cannot record a failure"), err) < 0) {
			db_fatal(d);
			free(resp);
			return;
		}
	}
	free(resp);
	d->due_stale = 1;
	if (!applied) {
		log_msg(LOG_WARNING, _("outbox %lld: %s; not recorded: its lease had passed to another sender"),
		        r->id, why);
		return;
	}
	d->n_failed++;
	log_msg(LOG_ERR, _("outbox %lld failed: %s (attempt %d); a supervisor can requeue it"),
	        r->id, why, r->attempt);
}

static void record_retry(dispatcher *d, const nhttp_result *r, long delay_ms)
{
	char err[512];
	int applied = 0;

	for (;;) {
		if (ndb_retry(d->c->pg, r->id, d->worker, r->status, r->error, delay_ms, &applied,
		              err, sizeof err) == 0)
			break;
		if (db_recover(d, _("cannot record a retry"), err) < 0) {
			db_fatal(d);
			return;
		}
	}
	d->due_stale = 1;
	if (!applied) {
		log_msg(LOG_WARNING, _("outbox %lld: %s; not recorded: its lease had passed to another sender"),
		        r->id, r->error);
		return;
	}
	d->n_retry++;
	if (delay_ms < 1000)
		log_msg(LOG_WARNING, _("outbox %lld: %s; retry in %ld ms (attempt %d of %d)"),
		        r->id, r->error, delay_ms, r->attempt, d->max_attempts);
	else
		log_msg(LOG_WARNING, _("outbox %lld: %s; retry in %.1f s (attempt %d of %d)"),
		        r->id, r->error, (double)delay_ms / 1000.0, r->attempt, d->max_attempts);
}

static void on_done(void *arg, const nhttp_result *r)
{
	dispatcher *d = arg;

	if (d->abort_now)
		return;
	/* --once looks again once its requests are settled. */
	if (d->once)
		d->need_claim = 1;
	switch (r->outcome) {
	case NHTTP_SENT:
		record_sent(d, r);
		break;
	case NHTTP_FAILED:
		record_failed(d, r, r->error);
		break;
	case NHTTP_RETRY:
		if (r->attempt >= d->max_attempts) {
			char *why = x_asprintf(_("%s; gave up after %d attempts"), r->error, r->attempt);
			record_failed(d, r, why);
			free(why);
		} else {
			record_retry(d, r, retry_delay_ms(d, r->attempt, r->retry_after_ms));
		}
		break;
	case NHTTP_LOCAL:
		/* Our own set-up: keep the row for later and stop. */
		record_retry(d, r, retry_delay_ms(d, r->attempt, -1));
		if (!d->stopping)
			log_msg(LOG_ERR, _("cannot reach the gateway with this configuration: %s; "
			                   "stopping (fix [notify] in %s)"),
			        r->error, d->c->config_path ? d->c->config_path : _("the configuration"));
		d->stopping = 1;
		if (d->status == CTL_OK)
			d->status = CTL_USAGE;
		break;
	}
}

/* ---- the loop --------------------------------------------------------- */

static void claim_and_post(dispatcher *d)
{
	int free_slots = d->in_flight - nhttp_active(d->http);
	int want = free_slots < d->batch ? free_slots : d->batch;
	ndb_claim cl;
	char err[512];

	if (want <= 0)
		return;
	for (;;) {
		if (ndb_claim_rows(d->c->pg, d->worker, want, d->lease_seconds, &cl, err, sizeof err) == 0)
			break;
		if (db_recover(d, _("cannot claim notifications"), err) < 0) {
			db_fatal(d);
			return;
		}
	}
	if (cl.n < want) {
		/* Everything due is ours now. */
		d->need_claim = 0;
		d->due_stale = 1;
	}
	/* A row committed while we claimed may not have been seen: its
	 * NOTIFY, read now, makes us look again. */
	drain_notifies(d);
	for (int i = 0; i < cl.n; i++) {
		const ndb_row *row = &cl.rows[i];

		if (nhttp_post(d->http, row->id, row->attempts, row->key, row->payload,
		               err, sizeof err) < 0) {
			/* The claim stays; its lease runs out and it is taken again. */
			log_msg(LOG_ERR, _("outbox %lld: cannot start a request: %s"), row->id, err);
			d->status = CTL_FAIL;
			d->abort_now = 1;
			break;
		}
	}
	ndb_claim_free(&cl);
}

/* When nothing is claimable, ask the queue how long to sleep. */
static void refresh_due(dispatcher *d)
{
	double secs;
	int none;
	char err[512];

	for (;;) {
		if (ndb_next_due(d->c->pg, &secs, &none, err, sizeof err) == 0)
			break;
		if (db_recover(d, _("cannot read the queue"), err) < 0) {
			db_fatal(d);
			return;
		}
	}
	drain_notifies(d);
	d->due_stale = 0;
	if (none || secs * 1000.0 > MAX_SLEEP_MS)
		set_due_in(d, MAX_SLEEP_MS);
	else if (secs * 1000.0 < MIN_RECHECK_MS)
		set_due_in(d, MIN_RECHECK_MS);
	else
		set_due_in(d, (long)(secs * 1000.0) + 1);
}

static int run(dispatcher *d)
{
	int handled_signals = 0;
	char err[512];

	while (!d->abort_now) {
		if (signals_seen != handled_signals) {
			drain_sig_pipe();
			handled_signals = signals_seen;
			if (handled_signals >= 2) {
				log_msg(LOG_WARNING, _("second signal: abandoning %d requests in flight "
				                       "(they are sent again after their lease)"),
				        nhttp_active(d->http));
				d->status = CTL_FAIL;
				break;
			}
			if (!d->stopping)
				log_msg(LOG_INFO, _("stopping: finishing %d requests in flight"),
				        nhttp_active(d->http));
			d->stopping = 1;
		}
		if (!d->stopping && d->need_claim)
			claim_and_post(d);
		if (d->abort_now)
			break;
		if (nhttp_run(d->http, on_done, d, err, sizeof err) < 0) {
			log_msg(LOG_ERR, _("libcurl: %s"), err);
			d->status = CTL_FAIL;
			break;
		}
		if (d->abort_now)
			break;
		if (nhttp_active(d->http) == 0) {
			if (d->stopping)
				break;
			if (d->once && !d->need_claim)
				break;
		}

		/* Notifications read by any statement since. */
		drain_notifies(d);

		/* How long may we sleep?  Until the next row is due, at most. */
		if (!d->stopping && !d->once && !d->need_claim && d->due_stale) {
			refresh_due(d);
			if (d->abort_now)
				break;
		}
		int timeout = MAX_SLEEP_MS;
		int free_slots = d->in_flight - nhttp_active(d->http);

		if (!d->stopping && d->need_claim && free_slots > 0) {
			timeout = 0;
		} else if (!d->stopping && !d->once && d->due_set) {
			long ms = ms_until(&d->due_at);
			timeout = ms < 0 ? 0 : ms < timeout ? (int)ms : timeout;
		}

		struct pollfd fds[2] = {
			{ .fd = sig_pipe[0], .events = POLLIN },
			{ .fd = PQsocket(d->c->pg), .events = POLLIN },
		};
		unsigned nfds = !d->once && fds[1].fd >= 0 ? 2 : 1;

		if (nhttp_wait(d->http, fds, nfds, timeout, err, sizeof err) < 0) {
			log_msg(LOG_ERR, _("libcurl: %s"), err);
			d->status = CTL_FAIL;
			break;
		}
		if (nfds == 2 && (fds[1].revents & (POLLIN | POLLERR | POLLHUP))) {
			if (!PQconsumeInput(d->c->pg)) {
				db_error_line(d->c->pg, err, sizeof err);
				if (db_recover(d, _("cannot read from the database"), err) < 0) {
					db_fatal(d);
					break;
				}
			}
			drain_notifies(d);
		}
		if (d->due_set && ms_until(&d->due_at) <= 0) {
			d->due_set = 0;
			d->need_claim = 1;
		}
	}
	return d->status;
}

/* ---- start-up checks -------------------------------------------------- */

static const char *cfg_name(const ctl_ctx *c)
{
	return c->config_path ? c->config_path : _("(built-in defaults)");
}

/* A certificate, key or CA file must be a readable regular file. */
static int check_file(const ctl_ctx *c, const char *key, const char *path)
{
	struct stat st;
	int fd;

	if (!path || !*path)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ctl_error(c, _("%s: [notify] %s: cannot read \"%s\": %s"), cfg_name(c), key, path,
		          strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ctl_error(c, _("%s: [notify] %s: \"%s\" is not a regular file"), cfg_name(c), key, path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int check_config(const ctl_ctx *c)
{
	const config *cfg = c->cfg;
	const char *url = config_str(cfg, "notify", "url");
	long timeout = config_int(cfg, "notify", "timeout_ms");
	long connect = config_int(cfg, "notify", "connect_timeout_ms");
	long lease = config_int(cfg, "notify", "lease_seconds");

	if (!url || !*url) {
		ctl_error(c, _("%s: [notify] url: not set: there is no gateway to send to"), cfg_name(c));
		return -1;
	}
	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0) {
		ctl_error(c, _("%s: [notify] url: \"%s\" is not an http:// or https:// URL"), cfg_name(c), url);
		return -1;
	}
	if (timeout <= 0 || connect <= 0) {
		ctl_error(c, _("%s: [notify] timeouts must be positive"), cfg_name(c));
		return -1;
	}
	if (lease * 1000 < timeout + LEASE_MARGIN_MS) {
		ctl_error(c, _("%s: [notify] lease_seconds: %ld s must outlast timeout_ms (%ld ms) by %d s"),
		          cfg_name(c), lease, timeout, LEASE_MARGIN_MS / 1000);
		return -1;
	}
	if (config_int(cfg, "notify", "backoff_base_ms") > config_int(cfg, "notify", "backoff_max_ms")) {
		ctl_error(c, _("%s: [notify] backoff_base_ms must not exceed backoff_max_ms"), cfg_name(c));
		return -1;
	}
	if (*config_str(cfg, "notify", "client_key") && !*config_str(cfg, "notify", "client_cert")) {
		ctl_error(c, _("%s: [notify] client_key is set but client_cert is not"), cfg_name(c));
		return -1;
	}
	if (check_file(c, "client_cert", config_str(cfg, "notify", "client_cert")) < 0 ||
	    check_file(c, "client_key", config_str(cfg, "notify", "client_key")) < 0 ||
	    check_file(c, "ca_file", config_str(cfg, "notify", "ca_file")) < 0)
		return -1;
	return 0;
}


/* The URL for the log, without any user:password@ in it. */
static char *url_for_log(const char *url)
{
	const char *host = strstr(url, "://");
	const char *at, *slash;

	if (!host)
		return x_strdup(url);
	host += 3;
	slash = host + strcspn(host, "/?#");
	at = memchr(host, '@', (size_t)(slash - host));
	if (!at)
		return x_strdup(url);
	return x_asprintf("%.*s***%s", (int)(host - url), url, at);
}

/* http:// to anything but this machine. */
static int plain_http_elsewhere(const char *url)
{
	static const char *const local[] = { "localhost", "127.0.0.1", "[::1]", NULL };
	const char *host;
	size_t n;

	if (strncasecmp(url, "http://", 7) != 0)
		return 0;
	host = url + 7;
	n = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":/?#");
	for (int i = 0; local[i]; i++)
		if (strlen(local[i]) == n && strncasecmp(host, local[i], n) == 0)
			return 0;
	return 1;
}

static char *default_worker(void)
{
	char host[256];

	if (gethostname(host, sizeof host) < 0 || !host[0])
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	return x_asprintf("%s:%ld", host, (long)getpid());
}

static int valid_worker(const char *w)
{
	size_t n = strlen(w);

	if (n == 0 || n > 64)
		return 0;
	for (const unsigned char *p = (const unsigned char *)w; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return 0;
	return 1;
}

int ctl_notify(ctl_ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "syslog", no_argument, NULL, 's' },
		{ "worker", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	dispatcher d;
	const char *worker_opt = NULL;
	int use_syslog = 0, ch, rc;
	char err[512], mode[32], qs[16], qe[16], cfg_qs[8], cfg_qe[8];
	struct sigaction old_term, old_int, old_pipe;
	nhttp_settings hs;
	char *ua;

	memset(&d, 0, sizeof d);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': d.once = 1; break;
		case 's': use_syslog = 1; break;
		case 'w': worker_opt = optarg; break;
		case 'h':
			printf(_("usage: hallctl notify [--once] [--syslog] [--worker NAME]\n"));
			return CTL_OK;
		default:
			ctl_error(c, _("notify: bad option '%s' (usage: hallctl notify [--once] [--syslog] "
			               "[--worker NAME])"), argv[optind - 1]);
			return CTL_USAGE;
		}
	}
	if (optind < argc) {
		ctl_error(c, _("notify: unexpected argument '%s'"), argv[optind]);
		return CTL_USAGE;
	}
	if (worker_opt && !valid_worker(worker_opt)) {
		ctl_error(c, _("notify: --worker must be 1 to 64 characters without spaces"));
		return CTL_USAGE;
	}
	if (check_config(c) < 0)
		return CTL_USAGE;

	d.c = c;
	d.batch = (int)config_int(c->cfg, "notify", "batch");
	d.in_flight = (int)config_int(c->cfg, "notify", "in_flight");
	d.max_attempts = (int)config_int(c->cfg, "notify", "max_attempts");
	d.lease_seconds = (int)config_int(c->cfg, "notify", "lease_seconds");
	d.backoff_base_ms = config_int(c->cfg, "notify", "backoff_base_ms");
	d.backoff_max_ms = config_int(c->cfg, "notify", "backoff_max_ms");
	d.reconnect_max_s = config_int(c->cfg, "database", "reconnect_max_seconds");
	d.need_claim = 1;
	d.due_stale = 1;
	d.status = CTL_OK;

	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	if (ndb_mode(c->pg, mode, sizeof mode, qs, qe, sizeof qs, err, sizeof err) < 0) {
		ctl_error(c, _("cannot read the hall's settings (has `hallctl migrate` run?): %s"), err);
		return CTL_FAIL;
	}
	if (config_bool(c->cfg, "notify", "insecure") && strcmp(mode, "demo") != 0 &&
	    strcmp(mode, "test") != 0) {
		ctl_error(c, _("%s: [notify] insecure: refused: TLS checks can be switched off only on "
		               "a demo or test database, and this one is '%s'"), cfg_name(c), mode);
		return CTL_USAGE;
	}

	d.worker = worker_opt ? x_strdup(worker_opt) : default_worker();
	log_open("hallctl", use_syslog);
	if (strcmp(mode, "production") == 0 && plain_http_elsewhere(config_str(c->cfg, "notify", "url")))
		log_msg(LOG_WARNING, _("[notify] url is plain http to another host: phone numbers and "
		                       "messages cross the network unencrypted; use https"));
	{
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		d.rng = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
		        ((uint64_t)getpid() << 40) ^ 0x9E3779B97F4A7C15ULL;
		if (!d.rng)
			d.rng = 1;
	}

	snprintf(cfg_qs, sizeof cfg_qs, "%s", config_str(c->cfg, "notify", "quiet_start"));
	snprintf(cfg_qe, sizeof cfg_qe, "%s", config_str(c->cfg, "notify", "quiet_end"));
	/* hall.settings decides, for every dispatcher alike (messages are
	 * queued with their release time); say so when the file differs. */
	if (strncmp(qs, cfg_qs, 5) != 0 || strncmp(qe, cfg_qe, 5) != 0)
		log_msg(LOG_WARNING, _("quiet hours %s-%s of [notify] differ from the database's %s-%s; "
		                       "the database's apply"), cfg_qs, cfg_qe, qs, qe);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		ctl_error(c, _("cannot initialise libcurl"));
		free(d.worker);
		log_close();
		return CTL_FAIL;
	}
	ua = x_asprintf("hallctl/%s", VERSION);
	memset(&hs, 0, sizeof hs);
	hs.url = config_str(c->cfg, "notify", "url");
	hs.connect_timeout_ms = config_int(c->cfg, "notify", "connect_timeout_ms");
	hs.timeout_ms = config_int(c->cfg, "notify", "timeout_ms");
	hs.in_flight = d.in_flight;
	hs.insecure = config_bool(c->cfg, "notify", "insecure");
	hs.ca_file = config_str(c->cfg, "notify", "ca_file");
	hs.client_cert = config_str(c->cfg, "notify", "client_cert");
	hs.client_key = config_str(c->cfg, "notify", "client_key");
	hs.bearer_token = config_str(c->cfg, "notify", "bearer_token");
	hs.user_agent = ua;
	d.http = nhttp_new(&hs, err, sizeof err);
	free(ua);
	if (!d.http) {
		ctl_error(c, "%s", err);
		rc = CTL_FAIL;
		goto out;
	}
	PQsetNoticeProcessor(c->pg, on_notice, NULL);
	if (ndb_session(c->pg, d.worker, !d.once, err, sizeof err) < 0) {
		ctl_error(c, "%s", err);
		rc = CTL_FAIL;
		goto out;
	}
	if (signals_install(&old_term, &old_int, &old_pipe) < 0) {
		ctl_error(c, _("cannot set up signals: %s"), strerror(errno));
		rc = CTL_FAIL;
		goto out;
	}
	signals_seen = 0;
	{
		char *shown = url_for_log(hs.url);
		log_msg(LOG_INFO, _("delivering notifications as %s to %s (%d at a time%s%s)"),
		        d.worker, shown, d.in_flight, hs.insecure ? _(", TLS checks OFF") : "",
		        d.once ? _(", once") : "");
		free(shown);
	}
	rc = run(&d);
	log_msg(LOG_INFO, _("stopped: %ld sent, %ld to retry, %ld failed"), d.n_sent, d.n_retry, d.n_failed);
	signals_restore(&old_term, &old_int, &old_pipe);
out:
	nhttp_free(d.http);
	curl_global_cleanup();
	free(d.worker);
	log_close();
	return rc;
}
