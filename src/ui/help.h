/* help.h - the help screen: every key of a screen, one entry a line.
 *
 * An entry is "  KEYS<padded>  what it does"; when the description does
 * not fit, it wraps with a hanging indent under its own column, so the key
 * column stays clear and each entry reads as one block (not back at
 * column 1 under the keys).  Headings (lines not starting with a space)
 * wrap plainly.  The key bar says what the page keys do: "PgDn 下页".
 */
#ifndef HALLTERM_UI_HELP_H
#define HALLTERM_UI_HELP_H

#include <stddef.h>

/* Show text (lines separated by '\n') full screen until Esc/q/F3/Enter;
 * entry lines hang at `hang` cells (the description column).  A modal
 * screen (ui_modal): returns when closed. */
void help_view(const char *title, const char *text, int hang);

/* The layout, without a terminal (for the screen and the tests): text laid
 * out `width` cells wide.  Returns an array of *n newly allocated lines
 * (each at most width cells), free with help_lines_free.  A width too
 * narrow for a hanging indent (fewer than 12 cells after it) wraps at the
 * left edge instead. */
char **help_lines(const char *text, int width, int hang, size_t *n);
void help_lines_free(char **lines, size_t n);

#endif
