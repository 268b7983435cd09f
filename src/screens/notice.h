/* screens/notice.h - printing a case's notice (受理通知书, 一次性告知书,
 * 不予受理决定书) on the window's printer: the text is the one the
 * database issued (hall.notice_text), the printer is [print] printer of
 * hallterm.ini (empty: the system's default), the spooler is CUPS's lp
 * (common/print.h).  The outcome is said on the status line. */
#ifndef HALLTERM_SCREENS_NOTICE_H
#define HALLTERM_SCREENS_NOTICE_H

/* Read the latest notice of the case and print it.  done_text (may be
 * NULL) opens the status line on success, e.g. "Accepted 261202-0001:"
 * (copied). */
void notice_print(long long app_id, const char *done_text);

#endif
