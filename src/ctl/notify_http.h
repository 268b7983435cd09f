/* ctl/notify_http.h - the dispatcher's HTTP side: one libcurl multi handle.
 *
 * nhttp posts JSON payloads to one URL, several at a time over reused
 * connections, and reports each finished request as an nhttp_result with
 * its outcome already classified (sent / retry / failed / local problem).
 * It knows nothing of the database: the caller claims rows, posts them
 * and records what comes back.  The bearer token is handed to libcurl and
 * never appears in a result or a message.
 */
#ifndef HALLTERM_CTL_NOTIFY_HTTP_H
#define HALLTERM_CTL_NOTIFY_HTTP_H

#include <poll.h>
#include <stddef.h>

/* How much of an answer's body is kept for a person to read. */
#define NHTTP_BODY_KEEP 512

typedef struct nhttp_settings {
	const char *url;          /* http:// or https:// */
	long connect_timeout_ms;
	long timeout_ms;          /* the whole request */
	int in_flight;            /* most requests at once (and connections kept) */
	int insecure;             /* skip TLS verification (demo/test only: the caller decides) */
	const char *ca_file;      /* "" or NULL: the system store */
	const char *client_cert;  /* "" or NULL: none */
	const char *client_key;
	const char *bearer_token; /* "" or NULL: none */
	const char *user_agent;
} nhttp_settings;

typedef enum nhttp_outcome {
	NHTTP_SENT,    /* 2xx: the gateway has it */
	NHTTP_RETRY,   /* 5xx, 408, 429, timeout, connection trouble */
	NHTTP_FAILED,  /* any other answer (4xx, 3xx): a person must look */
	NHTTP_LOCAL,   /* our own set-up is wrong (certificate, CA file, URL): stop */
} nhttp_outcome;

typedef struct nhttp_result {
	long long id;           /* as given to nhttp_post */
	int attempt;            /* as given to nhttp_post */
	nhttp_outcome outcome;
	long status;            /* HTTP status, 0 when there was no answer */
	long retry_after_ms;    /* Retry-After, or -1 */
	long elapsed_ms;
	const char *error;      /* one line: "HTTP 503" or libcurl's reason; "" if sent */
	const char *body;       /* the first NHTTP_BODY_KEEP bytes of the answer (may hold NULs) */
	size_t body_len;
} nhttp_result;

typedef struct nhttp nhttp;

/* Set up the multi handle.  Returns NULL with a reason in err. */
nhttp *nhttp_new(const nhttp_settings *s, char *err, size_t errlen);
/* Abandons unfinished requests. */
void nhttp_free(nhttp *h);

/* Start posting payload (JSON text) with "Idempotency-Key: key".  The
 * strings are copied.  Returns 0, or -1 with a reason in err. */
int nhttp_post(nhttp *h, long long id, int attempt, const char *key, const char *payload,
               char *err, size_t errlen);

/* Requests started and not yet reported. */
int nhttp_active(const nhttp *h);

typedef void (*nhttp_done_fn)(void *arg, const nhttp_result *r);

/* Move the transfers on without waiting, and call done for each one that
 * finished (the result is valid during the call only).  Returns 0, or -1
 * with a reason in err when libcurl itself fails. */
int nhttp_run(nhttp *h, nhttp_done_fn done, void *arg, char *err, size_t errlen);

/* Wait up to timeout_ms for the transfers or for one of the caller's
 * descriptors (whose revents are filled in); a signal ends the wait. */
int nhttp_wait(nhttp *h, struct pollfd *extra, unsigned nextra, int timeout_ms,
               char *err, size_t errlen);

#endif
