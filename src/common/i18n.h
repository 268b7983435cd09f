/* i18n.h - gettext glue for hallterm.
 *
 * Every user-visible string goes through _().  N_() marks a string for
 * xgettext without translating it at that point (for static tables that are
 * translated when shown: _(table[i].help)).
 */
#ifndef HALLTERM_I18N_H
#define HALLTERM_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Set the locale from the environment (setlocale(LC_ALL, "")) and bind the
 * message catalogue `domain` (normally "hallterm") with UTF-8 output.
 * Catalogues are looked up in $HALLTERM_LOCALEDIR if set (tests, running
 * from the build tree), else in the compile-time LOCALEDIR
 * (default /usr/local/share/locale).  Call once, first thing in main(). */
void i18n_init(const char *domain);

#endif
