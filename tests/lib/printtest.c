/* printtest - print standard input through print_text(), the module the
 * terminal prints notices with, for tests/integration/print_test.sh.
 *
 *   printtest PRINTER TITLE [TIMEOUT_MS] < notice.txt
 *
 * PRINTER "" means the default printer.  On success the job id is printed
 * on stdout as one line and the status is 0; on failure the reason goes to
 * stderr as "printtest: REASON" and the status is 1; 2 for bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/print.h"
#include "common/xalloc.h"

/* All of stdin, NUL-terminated; a NUL inside it is an error. */
static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = x_malloc(cap);

	for (;;) {
		size_t got;

		if (cap - n < 2)
			buf = x_realloc(buf, cap *= 2);
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	char job[128], err[1024];
	char *text;
	size_t len;
	int timeout_ms = 0, rc;

	i18n_init("hallterm");
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: printtest PRINTER TITLE [TIMEOUT_MS] < text\n");
		return 2;
	}
	if (argc == 4)
		timeout_ms = atoi(argv[3]);
	text = read_all(stdin, &len);
	if (ferror(stdin) || strlen(text) != len) {
		fprintf(stderr, "printtest: cannot read the text (or it holds a NUL byte)\n");
		free(text);
		return 2;
	}
	rc = print_text(argv[1], argv[2], text, timeout_ms, job, sizeof job,
			err, sizeof err);
	free(text);
	if (rc != 0) {
		fprintf(stderr, "printtest: %s\n", err);
		return 1;
	}
	printf("%s\n", job);
	return 0;
}
