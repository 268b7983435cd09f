/* screens/bench.h - timings for the performance test (hallterm --bench FILE).
 *
 * Each mark is one line "<ms since start> <event> [detail]" appended to the
 * file, so tests/bench/hallterm_bench.sh can compute start-up, key and page
 * times from the program's own clock instead of guessing from the outside.
 * Without --bench every call is a cheap no-op.
 */
#ifndef HALLTERM_SCREENS_BENCH_H
#define HALLTERM_SCREENS_BENCH_H

#include <stddef.h>

/* Remember the start time: first thing in main(). */
void bench_start(void);
/* Open the log (truncated).  Returns 0, or -1 with the reason in err. */
int bench_open(const char *path, char *err, size_t errlen);
int bench_on(void);
/* Log an event; detail may be NULL. */
void bench_mark(const char *event, const char *detail);
/* Log the peak resident set size (VmHWM) and close. */
void bench_close(void);

#endif
