/* ctl/exercise.c - `hallctl exercise list|start|end`: the trainer's
 * exercises (schema/022, doc/scenarios.md).
 *
 *   hallctl exercise list            the scenarios found (common/scenario.h
 *                                    says where), and the running exercise
 *                                    when a demo database is at hand
 *   hallctl exercise start NAME|FILE the scenario's clock, the exercise and
 *                                    its cases, in one transaction
 *                                    (db/training.h); then
 *                                    `hallctl simulate --profile NAME` keeps
 *                                    the hall busy
 *   hallctl exercise end             the running exercise ends
 *
 * As a trainer (hall_trainer) or the superuser, on a demo database only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/scenario.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "ctl/ctl.h"
#include "db/conn.h"
#include "db/training.h"

static int exercise_list(void)
{
	char **list = scenario_list();
	size_t n = 0;

	for (size_t i = 0; list[i]; i++) {
		char err[512];
		scenario *s = scenario_load(list[i], err, sizeof err);
		char *path = text_sanitize(list[i], 0);

		if (!s) {
			char *why = text_sanitize(err, 0);
			printf(_("  (unreadable) %s\n"), why);
			free(why);
		} else {
			char *name = text_sanitize(s->name, 0), *title = text_sanitize(s->title, 0);
			char *summary = text_sanitize(s->summary, 0);
			int pad = 18 - text_width(name);

			printf("  %s%*s %s  %s\n", name, pad > 0 ? pad : 0, "", title, summary);
			printf("  %18s %s\n", "", path);
			free(name);
			free(title);
			free(summary);
			scenario_free(s);
			n++;
		}
		free(path);
	}
	if (n == 0)
		printf(_("no scenario found (looked in $HALLTERM_SCENARIOS, ~/.config/hallterm/scenarios and the "
		         "installed ones)\n"));
	scenario_free_list(list);
	return CTL_OK;
}

static int exercise_start(ctl_ctx *c, const char *what)
{
	char err[1024];
	char *path = scenario_find(what);
	scenario *s;
	db_training_loaded got;

	if (!path) {
		char *q = text_sanitize(what, 0);
		ctl_error(c, _("exercise start: no scenario named \"%s\" (see hallctl exercise list)"), q);
		free(q);
		return CTL_USAGE;
	}
	s = scenario_load(path, err, sizeof err);
	free(path);
	if (!s) {
		ctl_error(c, "%s", err);
		return CTL_USAGE;
	}
	if (ctl_connect(c) < 0) {
		scenario_free(s);
		return CTL_USAGE;
	}
	if (db_training_start_ex(c->pg, s, &got, err, sizeof err) < 0) {
		ctl_error(c, _("exercise start refused: %s"), err);
		scenario_free(s);
		return PQstatus(c->pg) == CONNECTION_BAD ? CTL_USAGE : CTL_FAIL;
	}
	printf(_("exercise %d 「%s」 started (scenario %s), training clock %s: %ld cases submitted, %ld questions "
	         "asked (%ld to the wrong department), %ld bad ratings\n"),
	       got.exercise, s->title, s->name, got.clock, got.submitted, got.asked, got.misdirected, got.rated);
	printf(_("keep the hall busy with: hallctl simulate --profile %s\n"), s->name);
	scenario_free(s);
	return CTL_OK;
}

static int exercise_end(ctl_ctx *c)
{
	char err[1024];

	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	if (db_training_end(c->pg, err, sizeof err) < 0) {
		ctl_error(c, _("exercise end refused: %s"), err);
		return PQstatus(c->pg) == CONNECTION_BAD ? CTL_USAGE : CTL_FAIL;
	}
	printf(_("the exercise has ended; its debrief stays on the training room screen\n"));
	return CTL_OK;
}

int ctl_exercise(ctl_ctx *c, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return exercise_list();
	if (argc == 3 && strcmp(argv[1], "start") == 0)
		return exercise_start(c, argv[2]);
	if (argc == 2 && strcmp(argv[1], "end") == 0)
		return exercise_end(c);
	ctl_error(c, _("exercise: expected list, start NAME|FILE or end (see hallctl exercise --help)"));
	return CTL_USAGE;
}
