/* common/spawn.c - a helper program beside the terminal; see spawn.h. */
#define _GNU_SOURCE
#include "common/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/xalloc.h"

pid_t spawn_start(const char *const *argv, const char *const *env, int *fd, char *err, size_t errlen)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		/* The terminal's handlers are not the child's. */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGTSTP, SIG_DFL);
		if (null >= 0)
			dup2(null, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		/* The database socket, the tty's other descriptors: not the child's. */
		for (int i = 3; i < 1024; i++)
			close(i);
		for (; env && *env; env++) {
			const char *eq = strchr(*env, '=');
			char name[128];

			if (!eq || (size_t)(eq - *env) >= sizeof name)
				continue;
			memcpy(name, *env, (size_t)(eq - *env));
			name[eq - *env] = '\0';
			setenv(name, eq + 1, 1);
		}
		execvp(argv[0], (char *const *)argv);
		dprintf(2, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	*fd = p[0];
	return pid;
}

int spawn_reap(pid_t pid, int *status)
{
	pid_t r = waitpid(pid, status, WNOHANG);

	if (r == pid)
		return 1;
	return r == 0 ? 0 : -1;
}

char *spawn_sibling(const char *name)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	char *slash, *path;

	if (n <= 0)
		return x_strdup(name);
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return x_strdup(name);
	*slash = '\0';
	path = x_asprintf("%s/%s", self, name);
	if (access(path, X_OK) == 0)
		return path;
	free(path);
	return x_strdup(name);
}
