/* ctl/ctl.h - hallctl's subcommands share this interface.
 *
 * hallctl.c is the table of subcommands; ctl_main() (ctl/options.c) parses
 * the common options (--dsn, --config, --schema-dir, --help: before or
 * after the subcommand's name), prints help, loads the configuration,
 * finds the schema directory and calls one subcommand of the table.  A
 * subcommand connects when it needs to (ctl_connect), does its work and
 * returns an exit status: CTL_OK, CTL_FAIL (the operation was refused or
 * failed: the database's reason is printed) or CTL_USAGE (bad arguments,
 * configuration or connection: one clear line, exit status 2).
 */
#ifndef HALLTERM_CTL_H
#define HALLTERM_CTL_H

#include <stddef.h>
#include <libpq-fe.h>

#include "common/config.h"

enum { CTL_OK = 0, CTL_FAIL = 1, CTL_USAGE = 2 };

typedef struct ctl_ctx {
	const char *prog;        /* "hallctl" */
	const char *dsn;         /* --dsn, or the config's [database] dsn, or NULL */
	const char *config_path; /* the file loaded, or NULL for defaults */
	const char *schema_dir;  /* where the migrations are */
	config *cfg;             /* validated configuration (owned by main) */
	PGconn *pg;              /* set by ctl_connect(), closed by main */
} ctl_ctx;

/* Connect once (the DSN, else the PG* environment); on failure prints
 * "hallctl: cannot connect: ..." and returns -1. */
int ctl_connect(ctl_ctx *c);

/* Print "hallctl: <message>" to stderr (printf format). */
void ctl_error(const ctl_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Read a whole file into a new string; NULL with "PATH: reason" in err. */
char *ctl_read_file(const char *path, char *err, size_t errlen);

/* One subcommand of hallctl.  synopsis: its usage lines after "hallctl",
 * separated by '\n' (not translated); summary: one line, N_(); options:
 * its own options and notes, "  --opt  text\n" lines, N_(), or NULL. */
typedef struct ctl_command {
	const char *name;
	int (*run)(ctl_ctx *c, int argc, char **argv);
	const char *synopsis;
	const char *summary;
	const char *options;
} ctl_command;

/* The whole program: parse argv, then run one command of cmds (or print
 * help).  Returns the exit status. */
int ctl_main(int argc, char **argv, const ctl_command *cmds, size_t ncmds);

/* The subcommands.  argv[0] is the subcommand's name; its own options and
 * arguments follow, the common options taken out. */
int ctl_migrate(ctl_ctx *c, int argc, char **argv);
int ctl_demo(ctl_ctx *c, int argc, char **argv);
int ctl_staff(ctl_ctx *c, int argc, char **argv);
int ctl_calendar(ctl_ctx *c, int argc, char **argv);
int ctl_notify(ctl_ctx *c, int argc, char **argv);
int ctl_simulate(ctl_ctx *c, int argc, char **argv);
int ctl_cards(ctl_ctx *c, int argc, char **argv);
int ctl_report(ctl_ctx *c, int argc, char **argv);
int ctl_hours(ctl_ctx *c, int argc, char **argv);
int ctl_province(ctl_ctx *c, int argc, char **argv);
int ctl_exercise(ctl_ctx *c, int argc, char **argv);

#endif
