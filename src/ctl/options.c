/* ctl/options.c - hallctl's command line: the common options, wherever
 * they are given, help, the schema directory, and the call of one
 * subcommand of the table in hallctl.c.
 *
 *   hallctl [COMMON...] COMMAND [ARGS and COMMON...]
 *
 * The common options (--dsn, --config, --schema-dir, --help) may come
 * before the command's name or among its arguments, as in git:
 * `hallctl migrate --dsn X` is `hallctl --dsn X migrate`.  Before the name
 * the short forms -d, -c, -s, -h and -V work too; after it only the long
 * forms and -h are taken, so a command keeps its own short options.  After
 * "--" everything is the command's.  `hallctl COMMAND --help`, `hallctl
 * --help COMMAND` and `hallctl help COMMAND` print the command's usage.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/config.h"
#include "common/i18n.h"
#include "common/xalloc.h"
#include "ctl/ctl.h"
#include "db/conn.h"

#ifndef SCHEMADIR
#define SCHEMADIR "/usr/local/share/hallterm/schema"
#endif

/* The file that says a directory holds the migrations. */
#define SCHEMA_MARKER "001_roles.sql"

void ctl_error(const ctl_ctx *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int ctl_connect(ctl_ctx *c)
{
	char err[512];
	long timeout;

	if (c->pg)
		return 0;
	timeout = config_int(c->cfg, "database", "connect_timeout");
	c->pg = db_connect(c->dsn, NULL, NULL, (int)timeout, NULL, err, sizeof err);
	if (!c->pg) {
		ctl_error(c, "%s", err);
		return -1;
	}
	return 0;
}

typedef struct cmdline {
	const char *dsn, *config, *schema_dir;
	int help, version;
	const ctl_command *cmd;
	int is_help_cmd;       /* `hallctl help [COMMAND]` */
	int argc;              /* the command's arguments, its name first */
	char **argv;
} cmdline;

static void print_synopsis(FILE *f, const ctl_command *cmd)
{
	const char *line = cmd->synopsis;
	int first = 1;

	while (*line) {
		size_t n = strcspn(line, "\n");

		fprintf(f, "%s hallctl [OPTIONS] %.*s\n", first ? _("usage:") : "      ", (int)n, line);
		first = 0;
		line += n;
		if (*line == '\n')
			line++;
	}
}

static void print_common_options(FILE *f)
{
	fprintf(f, _("Common options, before or after the command:\n"
	             "  --dsn CONNINFO     the database: a libpq connection string or URI (without it:\n"
	             "                     the configuration's [database] dsn, then the PG* environment)\n"
	             "  --config FILE      the configuration file (default: the first of\n"
	             "                     ~/.config/hallterm/hallterm.ini and /etc/hallterm/hallterm.ini)\n"
	             "  --schema-dir DIR   where the migrations and the demo generator are\n"
	             "  -h, --help         this help\n"));
}

static void command_help(FILE *f, const ctl_command *cmd)
{
	print_synopsis(f, cmd);
	fprintf(f, "\n%s\n", _(cmd->summary));
	if (cmd->options && *cmd->options)
		fprintf(f, "\n%s", _(cmd->options));
	fputc('\n', f);
	print_common_options(f);
	fprintf(f, _("\nExit status: 0 done, 1 refused or failed, 2 bad usage, configuration or connection.\n"));
}

static void usage(FILE *f, const ctl_command *cmds, size_t n)
{
	fprintf(f, _("usage: hallctl [OPTIONS] COMMAND [ARGS...]    (options may also follow the command)\n\n"));
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, _(cmds[i].summary));
	fprintf(f, "\n");
	for (size_t i = 0; i < n; i++) {
		const char *line = cmds[i].synopsis;

		while (*line) {
			size_t len = strcspn(line, "\n");

			fprintf(f, "  hallctl %.*s\n", (int)len, line);
			line += len;
			if (*line == '\n')
				line++;
		}
	}
	fprintf(f, "\n");
	print_common_options(f);
	fprintf(f, _("  -V, --version      print the version\n"));
	fprintf(f, _("\n`hallctl COMMAND --help` or `hallctl help COMMAND` describes one command.\n"
	             "Exit status: 0 done, 1 refused or failed, 2 bad usage, configuration or connection.\n"));
}

static const ctl_command *find_command(const char *name, const ctl_command *cmds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, cmds[i].name) == 0)
			return &cmds[i];
	return NULL;
}

/* A common option with a value, as "--NAME VALUE" or "--NAME=VALUE" (long)
 * or "-X VALUE" or "-XVALUE" (short, when shortc is not 0).  Returns 1 and
 * sets *value (advancing *i past a separate value), 0 when arg is not that
 * option, -1 when its value is missing (reported). */
static int take_value(const ctl_ctx *c, int argc, char **argv, int *i, const char *name, char shortc,
                      const char **value)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);

	if (strncmp(arg, "--", 2) == 0 && strncmp(arg + 2, name, n) == 0 && (arg[2 + n] == '=' || !arg[2 + n])) {
		if (arg[2 + n] == '=') {
			*value = arg + 3 + n;
			return 1;
		}
	} else if (shortc && arg[0] == '-' && arg[1] == shortc) {
		if (arg[2]) {
			*value = arg + 2;
			return 1;
		}
	} else {
		return 0;
	}
	if (*i + 1 >= argc) {
		ctl_error(c, _("option '%s' needs a value (see hallctl --help)"), arg);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

/* Splits argv into the common options and the command with its own
 * arguments.  Returns 0, or CTL_USAGE with the reason printed. */
static int parse(const ctl_ctx *c, int argc, char **argv, const ctl_command *cmds, size_t ncmds, cmdline *out)
{
	int literal = 0, name_next = 0;

	memset(out, 0, sizeof *out);
	out->argv = x_calloc((size_t)argc + 1, sizeof *out->argv);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int before = !out->cmd && !out->is_help_cmd;
		int r;

		if (literal || (!before && (arg[0] != '-' || !arg[1]))) {
			out->argv[out->argc++] = argv[i];
			continue;
		}
		if (before && (name_next || arg[0] != '-' || !arg[1])) {
			if (strcmp(arg, "help") == 0) {
				out->is_help_cmd = 1;
				out->argv[out->argc++] = argv[i];
				continue;
			}
			out->cmd = find_command(arg, cmds, ncmds);
			if (!out->cmd) {
				ctl_error(c, _("unknown command '%s' (see hallctl --help)"), arg);
				return CTL_USAGE;
			}
			out->argv[out->argc++] = argv[i];
			name_next = 0;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			if (before) {
				name_next = 1;
			} else {
				literal = 1;
				out->argv[out->argc++] = argv[i];
			}
			continue;
		}
		if ((r = take_value(c, argc, argv, &i, "dsn", before ? 'd' : 0, &out->dsn)) != 0 ||
		    (r = take_value(c, argc, argv, &i, "config", before ? 'c' : 0, &out->config)) != 0 ||
		    (r = take_value(c, argc, argv, &i, "schema-dir", before ? 's' : 0, &out->schema_dir)) != 0) {
			if (r < 0)
				return CTL_USAGE;
			continue;
		}
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			out->help = 1;
			continue;
		}
		if (before && (strcmp(arg, "--version") == 0 || strcmp(arg, "-V") == 0)) {
			out->version = 1;
			continue;
		}
		if (before) {
			ctl_error(c, _("unknown option '%s' (see hallctl --help)"), arg);
			return CTL_USAGE;
		}
		/* One of the command's own options. */
		out->argv[out->argc++] = argv[i];
	}
	out->argv[out->argc] = NULL;
	return 0;
}

/* Is DIR/001_roles.sql a file?  Then DIR (made absolute) goes into buf. */
static int schema_dir_at(const char *dir, char *buf, size_t n)
{
	char *marker = x_asprintf("%s/%s", dir, SCHEMA_MARKER);
	char resolved[PATH_MAX];
	struct stat st;
	int ok = stat(marker, &st) == 0 && S_ISREG(st.st_mode) && realpath(dir, resolved) && strlen(resolved) < n;

	free(marker);
	if (ok)
		snprintf(buf, n, "%s", resolved);
	return ok;
}

/* The migrations: --schema-dir; $HALLTERM_SCHEMA_DIR; next to the program
 * (build/hallctl in the source tree: ../schema; a relocated installation:
 * ../share/hallterm/schema); the installed copy (SCHEMADIR).  Whatever the
 * current directory is. */
static const char *find_schema_dir(const char *opt, char *buf, size_t n)
{
	static const char *const beside[] = { "../schema", "../../schema", "../share/hallterm/schema" };
	const char *env = getenv("HALLTERM_SCHEMA_DIR");
	char exe[PATH_MAX];
	ssize_t len;

	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		char *slash;

		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
				char *dir = x_asprintf("%s/%s", exe, beside[i]);
				int found = schema_dir_at(dir, buf, n);

				free(dir);
				if (found)
					return buf;
			}
		}
	}
	return SCHEMADIR;
}

int ctl_main(int argc, char **argv, const ctl_command *cmds, size_t ncmds)
{
	ctl_ctx c = { .prog = "hallctl" };
	cmdline cl;
	char err[1024], found[4096], schema_buf[PATH_MAX];
	int status;

	i18n_init("hallterm");
	status = parse(&c, argc, argv, cmds, ncmds, &cl);
	if (status != 0)
		goto out;
	if (cl.version && !cl.help && !cl.is_help_cmd) {
		printf("hallctl %s\n", VERSION);
		goto out;
	}
	if (cl.is_help_cmd) {
		const ctl_command *cmd = NULL;

		if (cl.argc > 2) {
			ctl_error(&c, _("help takes at most one command (see hallctl --help)"));
			status = CTL_USAGE;
			goto out;
		}
		if (cl.argc == 2 && !(cmd = find_command(cl.argv[1], cmds, ncmds))) {
			ctl_error(&c, _("unknown command '%s' (see hallctl --help)"), cl.argv[1]);
			status = CTL_USAGE;
			goto out;
		}
		if (cmd)
			command_help(stdout, cmd);
		else
			usage(stdout, cmds, ncmds);
		goto out;
	}
	if (cl.help) {
		if (cl.cmd)
			command_help(stdout, cl.cmd);
		else
			usage(stdout, cmds, ncmds);
		goto out;
	}
	if (!cl.cmd) {
		usage(stderr, cmds, ncmds);
		status = CTL_USAGE;
		goto out;
	}

	c.dsn = cl.dsn;
	c.config_path = cl.config ? cl.config : config_find(found, sizeof found);
	c.cfg = config_load(c.config_path, err, sizeof err);
	if (!c.cfg) {
		ctl_error(&c, "%s", err);
		status = CTL_USAGE;
		goto out;
	}
	if (!c.dsn) {
		const char *d = config_str(c.cfg, "database", "dsn");
		c.dsn = d && *d ? d : NULL;
	}
	if (db_check_conninfo(c.dsn, err, sizeof err) < 0) {
		ctl_error(&c, "%s", err);
		status = CTL_USAGE;
		goto out;
	}
	c.schema_dir = find_schema_dir(cl.schema_dir, schema_buf, sizeof schema_buf);
	/* Subcommands parse argv from their own name on. */
	status = cl.cmd->run(&c, cl.argc, cl.argv);
out:
	if (c.pg)
		PQfinish(c.pg);
	config_free(c.cfg);
	free(cl.argv);
	return status;
}
