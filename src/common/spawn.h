/* common/spawn.h - a helper program run beside the terminal (hallctl
 * simulate, hallctl exercise start), never waited for.
 *
 * The child runs in a process group of its own (the terminal's Ctrl-C is
 * hallterm's, not the child's), with standard input from /dev/null and its
 * standard output and error into one pipe the caller watches in the event
 * loop; at end of file the caller reaps it with spawn_reap().  Extra
 * environment (a password) is set in the child only, never in hallterm's
 * own environment or on a command line that ps shows.
 */
#ifndef HALLTERM_SPAWN_H
#define HALLTERM_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

/* Start argv[0] (looked up on PATH when it has no '/') with argv; env is
 * NULL or a NULL-terminated list of "NAME=value" added to the child's
 * environment.  Returns the child's pid and the read end of its output
 * pipe in *fd (non-blocking, close-on-exec), or -1 with a reason in err. */
pid_t spawn_start(const char *const *argv, const char *const *env, int *fd, char *err, size_t errlen);

/* Reap pid without waiting: 1 when it has ended (*status as waitpid's),
 * 0 while it runs, -1 when it is not our child. */
int spawn_reap(pid_t pid, int *status);

/* The program next to the running one (the directory of /proc/self/exe)
 * called name, if it exists and is executable; else name itself (PATH).
 * Newly allocated. */
char *spawn_sibling(const char *name);

#endif
