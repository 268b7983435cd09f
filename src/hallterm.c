/* hallterm.c - the window clerk's terminal: options, configuration, the
 * terminal, the login screen, the loop.
 *
 * Everything after start-up happens in ui_run(): the login screen connects
 * and hands over to the queue (clerks) or the dashboard (supervisors, the
 * trainer).  Exit status: 0 normally, 2 for bad options or configuration,
 * 1 when the terminal can't be used, 128+N after a terminating signal.
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/xalloc.h"
#include "db/conn.h"
#include "screens/app.h"
#include "screens/bench.h"
#include "screens/screens.h"
#include "ui/loop.h"
#include "ui/term.h"

#ifndef VERSION
#define VERSION "0.0.0"
#endif

static void usage(FILE *f)
{
	fprintf(f, _("Usage: hallterm [OPTION]...\n"
	             "The service hall terminal: the window clerk's queue, cases, inquiries and ratings.\n"
	             "\n"
	             "  -d, --dsn CONNINFO   libpq connection string or URI (default: [database] of the\n"
	             "                       configuration, else PGSERVICE, PGHOST ... and ~/.pgpass)\n"
	             "  -c, --config FILE    configuration file (default: $XDG_CONFIG_HOME/hallterm/hallterm.ini,\n"
	             "                       then /etc/hallterm/hallterm.ini)\n"
	             "      --bench FILE     write start-up and key timings to FILE (performance tests)\n"
	             "  -h, --help           show this help and exit\n"
	             "  -V, --version        show the version and exit\n"
	             "\n"
	             "Keys: F1 or ? lists the keys of every screen; F10 quits.\n"));
	fprintf(f, _("\n"
	             "The hall's own screens, with no login (the connection's user is theirs):\n"
	             "      --display [LINES]  the waiting room's display of the calls: the ticket lines\n"
	             "                       LINES (e.g. A,B; default [display] lines, else every line);\n"
	             "                       connects with --dsn, else [display] dsn\n"
	             "      --pad WINDOW     the rating pad on WINDOW's counter (一次一评);\n"
	             "                       connects with --dsn, else [pad] dsn\n"));
}

/* [ui] locale overrides the environment's language for messages. */
static void apply_locale(const config *cfg)
{
	const char *loc = config_str(cfg, "ui", "locale");
	char lang[64];

	if (!loc || !*loc)
		return;
	if (!setlocale(LC_ALL, loc))
		log_msg(LOG_WARNING, "[ui] locale %s is not available here; keeping the environment's", loc);
	/* LANGUAGE would win over the locale for messages: follow the config. */
	snprintf(lang, sizeof lang, "%.*s", (int)strcspn(loc, ".@"), loc);
	setenv("LANGUAGE", lang, 1);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dsn", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "bench", required_argument, NULL, 'B' },
		{ "display", no_argument, NULL, 'D' },
		{ "pad", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dsn = NULL, *config_path = NULL, *bench_path = NULL, *pad_window = NULL, *lines = NULL;
	int display = 0;
	char found[4096], err[1024];
	char *conninfo;
	config *cfg;
	int ch, sig;

	bench_start();
	i18n_init("hallterm");
	while ((ch = getopt_long(argc, argv, "d:c:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dsn = optarg;
			break;
		case 'c':
			config_path = optarg;
			break;
		case 'B':
			bench_path = optarg;
			break;
		case 'D':
			display = 1;
			break;
		case 'P':
			pad_window = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("hallterm %s\n", VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	/* --display LINES: the one argument a display takes. */
	if (display && optind < argc)
		lines = argv[optind++];
	if (display && pad_window) {
		fprintf(stderr, "%s", _("hallterm: --display and --pad are two different screens: choose one\n"));
		return 2;
	}
	if (optind < argc) {
		fprintf(stderr, _("hallterm: unexpected argument: %s\n"), argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!config_path)
		config_path = config_find(found, sizeof found);
	cfg = config_load(config_path, err, sizeof err);
	if (!cfg) {
		fprintf(stderr, "hallterm: %s\n", err);
		return 2;
	}
	apply_locale(cfg);
	if (bench_path && bench_open(bench_path, err, sizeof err) < 0) {
		fprintf(stderr, "hallterm: %s\n", err);
		config_free(cfg);
		return 2;
	}

	/* --dsn, else the configuration's dsn, else its service, else libpq's
	 * own defaults (PGSERVICE, PG* variables, ~/.pgpass). */
	if (dsn)
		conninfo = x_strdup(dsn);
	else if (display || pad_window)
		conninfo = x_strdup(config_str(cfg, display ? "display" : "pad", "dsn"));
	else if (*config_str(cfg, "database", "dsn"))
		conninfo = x_strdup(config_str(cfg, "database", "dsn"));
	else if (*config_str(cfg, "database", "service"))
		conninfo = x_asprintf("service=%s", config_str(cfg, "database", "service"));
	else
		conninfo = x_strdup("");

	/* A typo in the DSN is the administrator's, not the network's: say so
	 * before taking over the screen, like any other bad start-up input. */
	if (db_check_conninfo(conninfo, err, sizeof err) < 0) {
		fprintf(stderr, "hallterm: %s\n", err);
		free(conninfo);
		config_free(cfg);
		bench_close();
		return 2;
	}

	/* While curses owns the screen, log lines would scribble over it. */
	log_open("hallterm", 1);
	if (term_init(cfg, err, sizeof err) < 0) {
		fprintf(stderr, "hallterm: %s\n", err);
		free(conninfo);
		config_free(cfg);
		bench_close();
		return 1;
	}
	app_init(cfg, conninfo);
	if (display || pad_window) {
		/* No login: the screen connects with its own login and keeps
		 * trying until the database is there. */
		if (!(display ? display_push(conninfo, lines) : pad_push(conninfo, pad_window))) {
			free(conninfo);
			term_end();
			app_shutdown();
			config_free(cfg);
			return 1;
		}
		free(conninfo);
		sig = ui_run();
		term_end();
		app_shutdown();
		display_shutdown();
		config_free(cfg);
		log_close();
		bench_close();
		return sig ? 128 + sig : 0;
	}
	free(conninfo);
	if (!login_push()) {
		term_end();
		app_shutdown();
		config_free(cfg);
		bench_close();
		return 1;
	}
	sig = ui_run();
	term_end();
	app_shutdown();
	config_free(cfg);
	log_close();
	bench_close();
	return sig ? 128 + sig : 0;
}
