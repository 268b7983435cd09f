/* hallctl - the administrator's command: a table of subcommands.
 *
 * Common options come before the subcommand:
 *   hallctl [--dsn CONNINFO] [--config FILE] [--schema-dir DIR] SUBCOMMAND ...
 * Exit status: 0 done, 1 refused or failed, 2 bad usage, configuration or
 * connection.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/config.h"
#include "common/i18n.h"
#include "ctl/ctl.h"
#include "db/conn.h"

#ifndef SCHEMADIR
#define SCHEMADIR "/usr/local/share/hallterm/schema"
#endif

typedef struct subcommand {
	const char *name;
	int (*run)(ctl_ctx *c, int argc, char **argv);
	const char *synopsis;
	const char *help;
} subcommand;

static const subcommand subcommands[] = {
	{ "migrate", ctl_migrate, "migrate", N_("apply the schema migrations not yet applied") },
	{ "demo", ctl_demo, "demo [--scale N] [--seed S] [--at TIME]", N_("(re)create the demo database's data") },
	{ "staff", ctl_staff, "staff add LOGIN NAME KIND DEPT [WINDOW,...] | staff disable LOGIN",
	  N_("add or disable a staff account") },
	{ "calendar", ctl_calendar,
	  "calendar add DATE holiday|workday [NOTE] | remove DATE | publish YEAR SOURCE | list [YEAR]",
	  N_("maintain the working-day calendar") },
	{ "notify", ctl_notify, "notify [--once] [--syslog] [--worker NAME]",
	  N_("deliver queued notifications to the gateway") },
	{ "simulate", ctl_simulate, "simulate [--rate N] [--count N | --duration S] [--seed S] [--mix A=W,...]",
	  N_("make a demo database busy: the public submits, asks, resubmits and rates") },
};

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

static void usage(FILE *f)
{
	fprintf(f, _("usage: hallctl [--dsn CONNINFO] [--config FILE] [--schema-dir DIR] COMMAND ...\n\n"));
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		fprintf(f, "  %-34s %s\n", subcommands[i].name, _(subcommands[i].help));
	fprintf(f, "\n");
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		fprintf(f, "  hallctl %s\n", subcommands[i].synopsis);
	fprintf(f, _("\nCONNINFO is any libpq connection string or URI; without it the PG* "
	             "environment is used.\nExit status: 0 done, 1 refused or failed, 2 bad "
	             "usage, configuration or connection.\n"));
}

/* Migrations are found in --schema-dir, $HALLTERM_SCHEMA_DIR, ./schema when
 * run from the source tree, or the installed copy. */
static const char *find_schema_dir(const char *opt)
{
	const char *env = getenv("HALLTERM_SCHEMA_DIR");
	struct stat st;

	if (opt)
		return opt;
	if (env && *env)
		return env;
	if (stat("schema/001_roles.sql", &st) == 0)
		return "schema";
	return SCHEMADIR;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dsn", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "schema-dir", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	ctl_ctx c = { .prog = "hallctl" };
	const char *schema_opt = NULL;
	char err[1024];
	char found[4096];
	int ch, status;

	i18n_init("hallterm");
	/* Stop at the first non-option: the subcommand parses its own. */
	while ((ch = getopt_long(argc, argv, "+d:c:s:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': c.dsn = optarg; break;
		case 'c': c.config_path = optarg; break;
		case 's': schema_opt = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("hallctl %s\n", VERSION); return 0;
		default: usage(stderr); return CTL_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CTL_USAGE;
	}
	if (!c.config_path)
		c.config_path = config_find(found, sizeof found);
	c.cfg = config_load(c.config_path, err, sizeof err);
	if (!c.cfg) {
		ctl_error(&c, "%s", err);
		return CTL_USAGE;
	}
	if (!c.dsn) {
		const char *d = config_str(c.cfg, "database", "dsn");
		c.dsn = d && *d ? d : NULL;
	}
	if (db_check_conninfo(c.dsn, err, sizeof err) < 0) {
		ctl_error(&c, "%s", err);
		config_free(c.cfg);
		return CTL_USAGE;
	}
	c.schema_dir = find_schema_dir(schema_opt);

	status = -1;
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
		if (strcmp(argv[optind], subcommands[i].name) == 0) {
			optind++;
			/* Subcommands parse argv from their own name on. */
			status = subcommands[i].run(&c, argc - optind + 1, argv + optind - 1);
			break;
		}
	}
	if (status < 0) {
		ctl_error(&c, _("unknown command '%s' (see hallctl --help)"), argv[optind]);
		status = CTL_USAGE;
	}
	if (c.pg)
		PQfinish(c.pg);
	config_free(c.cfg);
	return status;
}
