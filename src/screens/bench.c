/* screens/bench.c - see bench.h. */
#include "screens/bench.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static struct timespec t0;
static FILE *out;

void bench_start(void)
{
	clock_gettime(CLOCK_MONOTONIC, &t0);
}

int bench_open(const char *path, char *err, size_t errlen)
{
	out = fopen(path, "w");
	if (!out) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* One line per event, readable while the program runs. */
	setvbuf(out, NULL, _IOLBF, 0);
	return 0;
}

int bench_on(void)
{
	return out != NULL;
}

void bench_mark(const char *event, const char *detail)
{
	struct timespec t;
	double ms;

	if (!out)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	ms = (double)(t.tv_sec - t0.tv_sec) * 1e3 + (double)(t.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(out, "%.3f %s%s%s\n", ms, event, detail ? " " : "", detail ? detail : "");
}

void bench_close(void)
{
	FILE *f;
	char line[256];

	if (!out)
		return;
	f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, "VmHWM:", 6) == 0) {
			line[strcspn(line, "\n")] = '\0';
			bench_mark("peak_rss", line + 6 + strspn(line + 6, " \t"));
		}
	}
	if (f)
		fclose(f);
	fclose(out);
	out = NULL;
}
