/* i18n.c - locale and message catalogue set-up. */
#include "common/i18n.h"

#include <locale.h>
#include <stdlib.h>

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

void i18n_init(const char *domain)
{
	const char *dir;

	/* A locale named in the environment but not generated on this host
	 * (zh_CN.UTF-8 missing is common on fresh servers) leaves us in "C",
	 * where wcwidth() knows no CJK.  C.UTF-8 always exists on Debian and
	 * keeps widths right; messages simply stay in English. */
	if (!setlocale(LC_ALL, ""))
		setlocale(LC_CTYPE, "C.UTF-8");

	dir = getenv("HALLTERM_LOCALEDIR");
	if (!dir || !*dir)
		dir = LOCALEDIR;
	bindtextdomain(domain, dir);
	bind_textdomain_codeset(domain, "UTF-8");
	textdomain(domain);
}
