/* xalloc.c - allocation wrappers that end the program on out-of-memory. */
#include "common/xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"

/* EX_SOFTWARE from sysexits.h, spelt out to keep the header list short. */
#define X_EXIT_STATUS 70

static void (*fatal_hook)(void);

void x_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

/* Run the hook at most once: if restoring the terminal itself runs out of
 * memory we must not loop back into it. */
static void run_hook(void)
{
	static int running;
	void (*hook)(void) = fatal_hook;

	if (running || !hook)
		return;
	running = 1;
	hook();
}

_Noreturn static void out_of_memory(void)
{
	run_hook();
	/* fputs, not fprintf: nothing here should need the heap. */
	fputs(_("hallterm: out of memory"), stderr);
	fputc('\n', stderr);
	exit(X_EXIT_STATUS);
}

_Noreturn void x_fatal(const char *fmt, ...)
{
	va_list ap;

	run_hook();
	fputs("hallterm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(X_EXIT_STATUS);
}

/* malloc(0) may legally return NULL; asking for one byte keeps "NULL means
 * out of memory" true. */
void *x_malloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *x_calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		out_of_memory();
	p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

/* realloc(p, 0) frees p on glibc and returns NULL: never ask for 0. */
void *x_realloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (!q)
		out_of_memory();
	return q;
}

char *x_strdup(const char *s)
{
	if (!s)
		return NULL;
	return x_strndup(s, strlen(s));
}

char *x_strndup(const char *s, size_t n)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strnlen(s, n);
	p = x_malloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *x_asprintf(const char *fmt, ...)
{
	va_list ap, ap2;
	int len;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0) {
		/* Only an invalid format or an encoding error gets here. */
		va_end(ap2);
		x_fatal("x_asprintf: bad format \"%s\"", fmt);
	}
	p = x_malloc((size_t)len + 1);
	vsnprintf(p, (size_t)len + 1, fmt, ap2);
	va_end(ap2);
	return p;
}
