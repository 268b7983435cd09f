/* print.h - plain text on the window's printer, through the system's
 * spooler (CUPS's lp).
 *
 * Notices (受理通知书, 一次性告知书, 不予受理决定书) are UTF-8 text composed
 * by the database; CUPS owns the printers, their drivers and queues, so
 * hallterm hands the text to lp and reports what lp says.  lp returns as
 * soon as the job is spooled, not when it is on paper.
 */
#ifndef HALLTERM_PRINT_H
#define HALLTERM_PRINT_H

#include <stddef.h>

/* How long lp may take when timeout_ms is 0: it only spools the job, so
 * anything longer means a server that doesn't answer. */
#define PRINT_TIMEOUT_MS 10000

/* Run `lp [-d printer] [-t title] -o document-format=text/plain` (lp
 * found on PATH, the environment passed on, so CUPS_SERVER, LPDEST and
 * LANG apply) with text on its standard input, byte for byte.
 *
 * text:    NUL-terminated, not empty.
 * printer: a CUPS queue name; NULL or "" means the system's default.
 * title:   the job's name in the queue (made one safe line, cut to 80
 *          cells); NULL or "" leaves lp's own.
 * timeout_ms: 0 for PRINT_TIMEOUT_MS; after it lp (and anything it
 *          started) is killed and the call fails.
 *
 * Returns 0 with the job id lp reported ("hallprn-12") in job, or "" if
 * its answer held none; or -1 with a one-line, printable reason in err
 * (lp missing, lp's own message such as "The printer or class does not
 * exist", killed, timed out).  job and err may be NULL or of length 0;
 * what is written is always NUL-terminated and cut only between UTF-8
 * characters.  It blocks for at most the timeout; it neither changes nor
 * relies on the caller's signal handlers (SIGPIPE included).  A caller
 * that reaps children itself (SIGCHLD ignored, waitpid(-1)) loses lp's exit
 * status; lp's answer alone then decides. */
int print_text(const char *printer, const char *title, const char *text,
	       int timeout_ms, char *job, size_t joblen, char *err,
	       size_t errlen);

#endif
