/* ctl/notify_http.c - posting notifications with one libcurl multi handle;
 * see notify_http.h.
 *
 * Each request is one easy handle added to the multi handle; the multi
 * handle keeps the connections, so consecutive requests reuse them (up to
 * in_flight of them to the gateway).  Redirects are not followed: a 3xx
 * means the configured URL is wrong, which a person must fix.
 */
#include "ctl/notify_http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/i18n.h"
#include "common/xalloc.h"

struct nhttp {
	CURLM *multi;
	nhttp_settings s;        /* strings owned */
	struct curl_slist *base; /* the headers every request carries */
	struct request *reqs;    /* unfinished requests (owned) */
	int active;
};

typedef struct request {
	struct request *prev, *next;
	CURL *easy;
	struct curl_slist *headers;
	long long id;
	int attempt;
	char *payload;
	char body[NHTTP_BODY_KEEP];
	size_t body_len;
	long retry_after_ms;
	struct timespec started;
	char errbuf[CURL_ERROR_SIZE];
} request;

static char *dup_or_empty(const char *s)
{
	return x_strdup(s ? s : "");
}

nhttp *nhttp_new(const nhttp_settings *s, char *err, size_t errlen)
{
	nhttp *h;

	if (!s->url || !*s->url) {
		snprintf(err, errlen, "%s", _("no gateway URL"));
		return NULL;
	}
	h = x_calloc(1, sizeof *h);
	h->s = *s;
	h->s.url = x_strdup(s->url);
	h->s.ca_file = dup_or_empty(s->ca_file);
	h->s.client_cert = dup_or_empty(s->client_cert);
	h->s.client_key = dup_or_empty(s->client_key);
	h->s.bearer_token = dup_or_empty(s->bearer_token);
	h->s.user_agent = dup_or_empty(s->user_agent);
	if (h->s.in_flight < 1)
		h->s.in_flight = 1;
	h->multi = curl_multi_init();
	if (!h->multi) {
		snprintf(err, errlen, "%s", _("cannot initialise libcurl"));
		nhttp_free(h);
		return NULL;
	}
	curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)h->s.in_flight);
	curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)h->s.in_flight);
	curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, (long)h->s.in_flight);
	h->base = curl_slist_append(h->base, "Content-Type: application/json");
	h->base = curl_slist_append(h->base, "Accept: application/json, */*");
	/* Small bodies: no "Expect: 100-continue" round trip. */
	h->base = curl_slist_append(h->base, "Expect:");
	if (!h->base) {
		snprintf(err, errlen, "%s", _("out of memory"));
		nhttp_free(h);
		return NULL;
	}
	return h;
}

static void request_free(request *r)
{
	if (!r)
		return;
	if (r->easy)
		curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	free(r->payload);
	free(r);
}

void nhttp_free(nhttp *h)
{
	if (!h)
		return;
	while (h->reqs) {
		request *r = h->reqs;

		h->reqs = r->next;
		curl_multi_remove_handle(h->multi, r->easy);
		request_free(r);
	}
	if (h->multi)
		curl_multi_cleanup(h->multi);
	curl_slist_free_all(h->base);
	free((char *)h->s.url);
	free((char *)h->s.ca_file);
	free((char *)h->s.client_cert);
	free((char *)h->s.client_key);
	free((char *)h->s.bearer_token);
	free((char *)h->s.user_agent);
	free(h);
}

int nhttp_active(const nhttp *h)
{
	return h->active;
}

/* Keep the first NHTTP_BODY_KEEP bytes; swallow the rest. */
static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	request *r = arg;
	size_t len = size * n;
	size_t room = sizeof r->body - r->body_len;
	size_t take = len < room ? len : room;

	memcpy(r->body + r->body_len, data, take);
	r->body_len += take;
	return len;
}

/* Retry-After: delta-seconds or an HTTP date (RFC 9110 10.2.3). */
static long parse_retry_after(const char *v, size_t len)
{
	char buf[128];
	char *end;
	long secs;

	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)v[len - 1]))
		len--;
	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	if (isdigit((unsigned char)buf[0])) {
		secs = strtol(buf, &end, 10);
		if (*end || secs < 0)
			return -1;
		if (secs > 86400)
			secs = 86400;
		return secs * 1000;
	} else {
		time_t when = curl_getdate(buf, NULL);
		time_t now = time(NULL);

		if (when == (time_t)-1)
			return -1;
		return when > now ? (long)(when - now) * 1000 : 0;
	}
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	static const char name[] = "retry-after:";
	request *r = arg;
	size_t len = size * n;

	/* A new status line (after "100 Continue") starts a new answer. */
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0)
		r->retry_after_ms = -1;
	else if (len > sizeof name - 1 && strncasecmp(data, name, sizeof name - 1) == 0)
		r->retry_after_ms = parse_retry_after(data + sizeof name - 1, len - (sizeof name - 1));
	return len;
}

int nhttp_post(nhttp *h, long long id, int attempt, const char *key, const char *payload,
               char *err, size_t errlen)
{
	request *r = x_calloc(1, sizeof *r);
	char *hdr;
	CURLMcode mc;

	r->id = id;
	r->attempt = attempt;
	r->retry_after_ms = -1;
	r->payload = x_strdup(payload);
	r->easy = curl_easy_init();
	if (!r->easy) {
		snprintf(err, errlen, "%s", _("cannot initialise libcurl"));
		request_free(r);
		return -1;
	}
	for (struct curl_slist *l = h->base; l; l = l->next)
		r->headers = curl_slist_append(r->headers, l->data);
	hdr = x_asprintf("Idempotency-Key: %s", key);
	r->headers = curl_slist_append(r->headers, hdr);
	free(hdr);
	if (!r->headers) {
		snprintf(err, errlen, "%s", _("out of memory"));
		request_free(r);
		return -1;
	}

	CURL *e = r->easy;
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)r);
	curl_easy_setopt(e, CURLOPT_URL, h->s.url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->payload);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(r->payload));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(e, CURLOPT_USERAGENT, h->s.user_agent);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->s.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->s.timeout_ms);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, h->s.insecure ? 0L : 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, h->s.insecure ? 0L : 2L);
	if (*h->s.ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, h->s.ca_file);
	if (*h->s.client_cert)
		curl_easy_setopt(e, CURLOPT_SSLCERT, h->s.client_cert);
	if (*h->s.client_key)
		curl_easy_setopt(e, CURLOPT_SSLKEY, h->s.client_key);
	if (*h->s.bearer_token) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		curl_easy_setopt(e, CURLOPT_XOAUTH2_BEARER, h->s.bearer_token);
	}
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	mc = curl_multi_add_handle(h->multi, e);
	if (mc != CURLM_OK) {
		snprintf(err, errlen, "%s", curl_multi_strerror(mc));
		request_free(r);
		return -1;
	}
	r->next = h->reqs;
	if (h->reqs)
		h->reqs->prev = r;
	h->reqs = r;
	h->active++;
	return 0;
}

/* Errors of our own set-up: every request would fail the same way, so
 * the dispatcher stops instead of using up the attempts of every row. */
static int is_local_error(CURLcode rc)
{
	switch (rc) {
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_NOT_BUILT_IN:
	case CURLE_FAILED_INIT:
	case CURLE_OUT_OF_MEMORY:
	case CURLE_BAD_FUNCTION_ARGUMENT:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CRL_BADFILE:
		return 1;
	default:
		return 0;
	}
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void finish(nhttp *h, CURLMsg *msg, nhttp_done_fn done, void *arg)
{
	request *r = NULL;
	nhttp_result res;
	char line[CURL_ERROR_SIZE + 64];
	CURLcode rc = msg->data.result;

	curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
	memset(&res, 0, sizeof res);
	res.id = r->id;
	res.attempt = r->attempt;
	res.retry_after_ms = r->retry_after_ms;
	res.elapsed_ms = ms_since(&r->started);
	res.body = r->body;
	res.body_len = r->body_len;
	curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &res.status);
	line[0] = '\0';

	if (res.status >= 200 && res.status <= 299) {
		/* The gateway said 2xx: it has the message, even if the rest
		 * of its answer got lost on the way. */
		res.outcome = NHTTP_SENT;
	} else if (rc == CURLE_OK) {
		if (res.status == 408 || res.status == 429 || res.status >= 500)
			res.outcome = NHTTP_RETRY;
		else
			res.outcome = NHTTP_FAILED;
		snprintf(line, sizeof line, "HTTP %ld", res.status);
	} else {
		res.outcome = is_local_error(rc) ? NHTTP_LOCAL : NHTTP_RETRY;
		/* A status line without a whole answer is still an answer. */
		if (res.status != 0 && res.status != 408 && res.status != 429 && res.status < 500 &&
		    res.outcome == NHTTP_RETRY)
			res.outcome = NHTTP_FAILED;
		snprintf(line, sizeof line, "%s", r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
	}
	res.error = line;
	curl_multi_remove_handle(h->multi, msg->easy_handle);
	if (r->prev)
		r->prev->next = r->next;
	else
		h->reqs = r->next;
	if (r->next)
		r->next->prev = r->prev;
	h->active--;
	done(arg, &res);
	request_free(r);
}

int nhttp_run(nhttp *h, nhttp_done_fn done, void *arg, char *err, size_t errlen)
{
	int running, left;
	CURLMsg *msg;
	CURLMcode mc = curl_multi_perform(h->multi, &running);

	if (mc != CURLM_OK) {
		snprintf(err, errlen, "%s", curl_multi_strerror(mc));
		return -1;
	}
	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (msg->msg == CURLMSG_DONE)
			finish(h, msg, done, arg);
	}
	return 0;
}

int nhttp_wait(nhttp *h, struct pollfd *extra, unsigned nextra, int timeout_ms,
               char *err, size_t errlen)
{
	struct curl_waitfd wfd[4];
	CURLMcode mc;

	if (nextra > sizeof wfd / sizeof wfd[0])
		nextra = sizeof wfd / sizeof wfd[0];
	for (unsigned i = 0; i < nextra; i++) {
		wfd[i].fd = extra[i].fd;
		wfd[i].events = (short)extra[i].events;
		wfd[i].revents = 0;
	}
	mc = curl_multi_poll(h->multi, wfd, nextra, timeout_ms < 0 ? 0 : timeout_ms, NULL);
	for (unsigned i = 0; i < nextra; i++)
		extra[i].revents = (short)wfd[i].revents;
	if (mc != CURLM_OK) {
		snprintf(err, errlen, "%s", curl_multi_strerror(mc));
		return -1;
	}
	return 0;
}
