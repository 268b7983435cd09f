/* log.c - log lines to stderr or syslog. */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "common/text.h"
#include "common/xalloc.h"

static char *log_prog;  /* owned; openlog() keeps a pointer to it */
static int log_syslog;

void log_open(const char *prog, int use_syslog)
{
	char *old = log_prog;

	if (log_syslog)
		closelog();
	log_prog = x_strdup(prog ? prog : "hallterm");
	log_syslog = use_syslog != 0;
	if (log_syslog)
		openlog(log_prog, LOG_PID, LOG_USER);
	/* Freed only now: syslog may have been holding the old name. */
	free(old);
}

void log_close(void)
{
	if (log_syslog)
		closelog();
	log_syslog = 0;
	free(log_prog);
	log_prog = NULL;
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;
	char *raw, *msg;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	raw = x_malloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(raw, (size_t)len + 1, fmt, ap);
	va_end(ap);

	/* Messages often quote database or network text: keep escape
	 * sequences out of the terminal and the log viewer, and keep one
	 * message on one line. */
	msg = text_sanitize(raw, TEXT_TAB_SPACE);
	free(raw);

	if (log_syslog) {
		syslog(prio, "%s", msg);
	} else {
		char stamp[40] = "";
		time_t now = time(NULL);
		struct tm tm;

		if (localtime_r(&now, &tm))
			strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S%z", &tm);
		fprintf(stderr, "%s %s[%ld]: %s\n", stamp,
			log_prog ? log_prog : "hallterm", (long)getpid(), msg);
	}
	free(msg);
}
