/* log.h - one log sink: stderr or syslog.
 *
 * stderr lines look like "2024-05-01T09:30:00+0800 hallterm[123]: message".
 * While curses owns the screen, call log_open(prog, 1) (syslog) or redirect
 * stderr: writing to the terminal would scribble over the screen.
 * Messages are sanitised (control characters made visible) before output.
 */
#ifndef HALLTERM_LOG_H
#define HALLTERM_LOG_H

#include <syslog.h> /* LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG ... */

/* prog is copied.  use_syslog != 0 sends messages to syslog (facility
 * LOG_USER, with the pid); otherwise to stderr.  May be called again to
 * switch.  Without log_open, messages go to stderr as "hallterm". */
void log_open(const char *prog, int use_syslog);

/* prio is a syslog priority.  A trailing newline in fmt is not needed. */
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Close syslog if open and free the program name. */
void log_close(void);

#endif
