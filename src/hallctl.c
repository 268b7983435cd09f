/* hallctl - the administrator's command: a table of subcommands.
 *
 *   hallctl [--dsn CONNINFO] [--config FILE] [--schema-dir DIR] SUBCOMMAND ...
 *
 * The common options may also follow the subcommand (`hallctl migrate
 * --dsn ...`); `hallctl SUBCOMMAND --help` and `hallctl help SUBCOMMAND`
 * describe one.  Parsing, help and dispatch are ctl_main() (ctl/options.c).
 * Exit status: 0 done, 1 refused or failed, 2 bad usage, configuration or
 * connection.
 */
#include "common/i18n.h"
#include "ctl/ctl.h"

static const ctl_command commands[] = {
	{ "migrate", ctl_migrate, "migrate", N_("apply the schema migrations not yet applied"), NULL },
	{ "demo", ctl_demo, "demo [--scale N] [--seed S] [--at TIME]\ndemo --reset",
	  N_("(re)create the demo database's data, or put it back as it was generated"),
	  N_("  --scale N    cases to generate (default 20000)\n"
	     "  --seed S     the same seed gives the same data (default 1)\n"
	     "  --at TIME    first set the database's clock to TIME, running (e.g. '2026-11-23 10:00+08')\n"
	     "  --reset      put the data back as the last generation left it, in a second or two;\n"
	     "               a trainer may run it (generating needs the cluster's superuser)\n"
	     "Both work only on a demo database (a new, empty one becomes one).\n") },
	{ "staff", ctl_staff, "staff add LOGIN NAME KIND DEPT [WINDOW,...] [--password-stdin]\nstaff disable LOGIN...\nstaff list",
	  N_("add or disable a staff account"),
	  N_("  KIND is clerk, supervisor, trainer or admin; a clerk needs a department and windows,\n"
	     "  a supervisor a department.\n"
	     "  --password-stdin  read the new account's password from standard input;\n"
	     "                    without it one is generated and printed once\n"
	     "disable takes one or more logins, each on its own; the exit status is 1 if any was\n"
	     "refused (the refused ones are named).\n") },
	{ "calendar", ctl_calendar,
	  "calendar add DATE holiday|workday [NOTE]\ncalendar remove DATE\ncalendar publish YEAR SOURCE\ncalendar list [YEAR]",
	  N_("maintain the working-day calendar"),
	  N_("  DATE is YYYY-MM-DD.  The due dates of every open case and inquiry are recomputed\n"
	     "  in the same transaction.\n") },
	{ "cards", ctl_cards, "cards",
	  N_("issue the red and yellow cards due now (what the cron job or the systemd timer runs)"),
	  N_("  Issues each card once per item and rule, clears those whose condition ended and\n"
	     "  queues one message per new card; prints the counts.  Needs hall_admin's rights.\n") },
	{ "hours", ctl_hours, "hours [show]\nhours set ISODOW SPANS\nhours makeup ISODOW",
	  N_("show or change the hall's opening hours"),
	  N_("  ISODOW is 1 (Monday) to 7 (Sunday); SPANS like 09:00-12:00,13:00-17:00, or '' to close\n"
	     "  the day.  makeup: a make-up working day on a weekend keeps that weekday's hours.\n"
	     "  Changes need hall_admin's rights and are audited.\n") },
	{ "report", ctl_report, "report timeliness|scorecard|platform|cards --month YYYY-MM [--department CODE] [--bom] [--output FILE]",
	  N_("write a month's supervisor report as CSV (for a cron job)"),
	  N_("  --month YYYY-MM     the month (required)\n"
	     "  --department CODE   one department (an administrator or the director; a supervisor\n"
	     "                      always gets their own)\n"
	     "  --bom               begin with a UTF-8 byte order mark (for spreadsheet programs)\n"
	     "  --output FILE       write to FILE instead of standard output (removed if it fails)\n"
	     "The CSV comes from the database (Chinese column headers, UTF-8).\n") },
	{ "notify", ctl_notify, "notify [--once] [--syslog] [--worker NAME]",
	  N_("deliver queued notifications to the gateway"),
	  N_("  --once         deliver what is due now, then exit\n"
	     "  --syslog       log to syslog instead of standard error\n"
	     "  --worker NAME  the name this dispatcher claims under (default host:pid)\n"
	     "SIGTERM or SIGINT stops it after the requests in flight.\n") },
	{ "province", ctl_province,
	  "province init\nprovince add-city NAME CONNINFO [--wait SECONDS]\nprovince remove-city NAME\nprovince cities\nprovince report --month YYYY-MM [--csv]",
	  N_("the province's reporting database: its cities' figures by logical replication"),
	  N_("  --dsn is the province's own database (not a city's).\n"
	     "  init         create or update its schema (schema/province; a superuser)\n"
	     "  add-city     the city at CONNINFO joins as NAME (2-31 of a-z, 0-9, _) and the province\n"
	     "               subscribes to its feed; CONNINFO is used by this program and by the\n"
	     "               province's server, as a superuser or a REPLICATION member of hall_feed\n"
	     "  --wait SECONDS  wait that long for the first copy (default 30; 0: do not wait)\n"
	     "  remove-city  drop the city's subscription and its rows in the province\n"
	     "  cities       each city, how its feed arrives and when it last sent anything\n"
	     "  report       cases received and completed, on-time rate and satisfaction per city\n"
	     "  --csv        the report as CSV (Chinese column headers, UTF-8, rates 0..1)\n") },
	{ "exercise", ctl_exercise, "exercise list\nexercise start NAME|FILE\nexercise end",
	  N_("list, start or end a training exercise on a demo database"),
	  N_("  list          the scenarios found ($HALLTERM_SCENARIOS, ~/.config/hallterm/scenarios,\n"
	     "                the installed ones; the first of a name wins) with their titles\n"
	     "  start NAME|FILE  set the training clock, begin the exercise and load its cases through\n"
	     "                the public's functions, in one transaction (doc/scenarios.md)\n"
	     "  end           end the running exercise (the clock stays where it is)\n"
	     "As a trainer or the superuser, on a demo database only.\n") },
	{ "simulate", ctl_simulate,
	  "simulate [--profile P] [--rate PER_MINUTE] [--minutes M | --count N | --duration S] [--seed S] [--mix A=W,...]",
	  N_("make a demo database busy: the public submits, asks, resubmits and rates"),
	  N_("  --profile P    how busy: busy-morning (60 a minute, mostly new cases), quiet (6 a\n"
	     "                 minute), mixed (30 a minute, every action), or a scenario's [simulate]\n"
	     "                 (its name or file: rate, minutes, mix); --rate, --mix and a stop given override it\n"
	     "  --rate N       actions a minute (default 30; 0: as fast as possible)\n"
	     "  --minutes M    stop after M minutes\n"
	     "  --count N      stop after N actions\n"
	     "  --duration S   stop after S seconds\n"
	     "  --seed S       the same seed gives the same actions on the same data\n"
	     "  --mix A=W,...  weights of submit, ask, resubmit, rate and withdraw\n"
	     "                 (default submit=60,ask=20,resubmit=10,rate=10)\n"
	     "Runs as the portal (a hall_portal member or the superuser) or as a trainer, on a demo\n"
	     "database only.  Ctrl-C stops after the action in progress and prints a summary.\n") },
};

int main(int argc, char **argv)
{
	return ctl_main(argc, argv, commands, sizeof commands / sizeof commands[0]);
}
