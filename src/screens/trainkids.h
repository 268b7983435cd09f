/* screens/trainkids.h - hallctl run from the training room: the simulated
 * public (hallctl simulate) and the loading of an exercise (hallctl
 * exercise start), as children the trainer controls from the screen.
 *
 * The child connects as the person logged in, to the same database (host,
 * port, database and user of the session); the password goes in the
 * child's environment only.  Its output is read from a pipe in the event
 * loop (the last line is kept, to show); at its end it is reaped and done()
 * is called.  Pause is SIGSTOP, go on SIGCONT, stop SIGINT (hallctl stops
 * cleanly on it and prints what it did).
 */
#ifndef HALLTERM_SCREENS_TRAINKIDS_H
#define HALLTERM_SCREENS_TRAINKIDS_H

#include <stddef.h>
#include <sys/types.h>

typedef struct tkid tkid;
/* ok: exited with status 0.  last: its last line of output ("" if none). */
typedef void (*tkid_done_fn)(void *ctx, int ok, const char *last);

struct tkid {
	pid_t pid;           /* 0: not running */
	int fd;
	int paused;
	char line[256];      /* last complete line of output */
	char part[256];
	size_t plen;
	tkid_done_fn done;
	void *ctx;
};

/* Run `hallctl --dsn <the session's> args...` (args NULL-terminated).
 * Returns 0, or -1 with a reason in err. */
int tkid_hallctl(tkid *k, const char *const *args, tkid_done_fn done, void *ctx, char *err, size_t errlen);
int tkid_running(const tkid *k);
void tkid_pause(tkid *k, int pause);
void tkid_stop(tkid *k);
/* The screen closes: stop the child, stop watching, no done() call. */
void tkid_forget(tkid *k);

#endif
