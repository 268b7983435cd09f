/* chart.c - sparklines and bars in block characters. */
#include "ui/chart.h"

#include <math.h>
#include <string.h>

#include "common/xalloc.h"

/* U+2581..U+2588, lowest to full; each 3 bytes in UTF-8. */
static const char *const spark[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
/* U+258F..U+2589: one to seven eighths of a cell, left-aligned. */
static const char *const eighths[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
#define NO_DATA "·"

char *chart_sparkline(const double *values, size_t n, double lo, double hi, int cells_per_value)
{
	size_t i, len = 0;
	char *out;
	int k;

	if (cells_per_value < 1)
		cells_per_value = 1;
	if (lo >= hi) {
		int any = 0;

		for (i = 0; i < n; i++) {
			if (isnan(values[i]))
				continue;
			if (!any || values[i] < lo)
				lo = values[i];
			if (!any || values[i] > hi)
				hi = values[i];
			any = 1;
		}
	}
	/* Every block is 3 bytes, "·" is 2. */
	out = x_malloc(n * (size_t)cells_per_value * 3 + 1);
	for (i = 0; i < n; i++) {
		const char *glyph;

		if (isnan(values[i])) {
			glyph = NO_DATA;
		} else if (hi <= lo) {
			glyph = spark[3]; /* flat series: mid-height, not "nothing" */
		} else {
			double f = (values[i] - lo) / (hi - lo);
			int level = (int)(f * 7.0 + 0.5); /* no libm: the Makefile links none */

			if (level < 0)
				level = 0;
			if (level > 7)
				level = 7;
			glyph = spark[level];
		}
		for (k = 0; k < cells_per_value; k++) {
			size_t g = strlen(glyph);

			memcpy(out + len, glyph, g);
			len += g;
		}
	}
	out[len] = '\0';
	return out;
}

char *chart_bar(double value, double max, int cells)
{
	long total, full, rest, i;
	size_t len = 0;
	char *out;

	if (cells < 0)
		cells = 0;
	out = x_malloc((size_t)cells * 3 + 1);
	if (isnan(value) || max <= 0 || value <= 0) {
		total = 0;
	} else {
		double f = value >= max ? 1.0 : value / max;

		total = (long)(f * cells * 8.0 + 0.5);
		if (total == 0)
			total = 1; /* something, however small, is not nothing */
	}
	full = total / 8;
	rest = total % 8;
	for (i = 0; i < full; i++) {
		memcpy(out + len, spark[7], 3);
		len += 3;
	}
	if (rest && full < cells) {
		memcpy(out + len, eighths[rest], 3);
		len += 3;
		full++;
	}
	for (i = full; i < cells; i++)
		out[len++] = ' ';
	out[len] = '\0';
	return out;
}
