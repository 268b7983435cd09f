/* chart.h - small charts in block characters, returned as strings so the
 * screens draw them with term_put like any other text.
 */
#ifndef HALLTERM_UI_CHART_H
#define HALLTERM_UI_CHART_H

#include <stddef.h>

/* A sparkline: one cell per value, "▁▂▃▄▅▆▇█" scaled between lo and hi
 * (lo >= hi: the values' own minimum and maximum, with a flat series drawn
 * mid-height).  A NaN value (a week without ratings) is drawn as "·", so
 * "no data" never looks like "lowest".  cells_per_value >= 1 repeats each
 * value's block to widen the chart.  Newly allocated UTF-8; n == 0 gives "". */
char *chart_sparkline(const double *values, size_t n, double lo, double hi,
                      int cells_per_value);

/* A horizontal bar `cells` wide for value/max, in eighths ("█" full cells,
 * then one of "▏▎▍▌▋▊▉"), padded with spaces to exactly `cells`.  A value
 * above 0 always shows at least "▏".  Newly allocated UTF-8. */
char *chart_bar(double value, double max, int cells);

#endif
