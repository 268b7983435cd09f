/* xalloc.h - allocation wrappers that never return NULL.
 *
 * On out-of-memory they run the fatal hook (the terminal module restores the
 * terminal there), print "hallterm: out of memory" to stderr and exit(70)
 * (EX_SOFTWARE).  Callers therefore never check the result.  Everything
 * returned is released with plain free().
 */
#ifndef HALLTERM_XALLOC_H
#define HALLTERM_XALLOC_H

#include <stddef.h>

void *x_malloc(size_t size);
/* Checks n * size for overflow (treated as out of memory). */
void *x_calloc(size_t n, size_t size);
void *x_realloc(void *p, size_t size);
/* x_strdup(NULL) and x_strndup(NULL, n) return NULL. */
char *x_strdup(const char *s);
/* Copies at most n bytes of s and always NUL-terminates. */
char *x_strndup(const char *s, size_t n);
char *x_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Hook run once before the program dies (out of memory or x_fatal).  It
 * must not allocate.  NULL removes it. */
void x_set_fatal_hook(void (*hook)(void));

/* For programming errors that must not go unnoticed (e.g. asking config for
 * a key that is not in its table): run the hook, print
 * "hallterm: <message>" to stderr and exit(70). */
_Noreturn void x_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
