/* ctl/cards.c - `hallctl cards`: issue the red and yellow cards due now.
 *
 * One call of hall.issue_cards_run() (schema/017_cards.sql), which issues
 * each card once per item and rule, reopens and clears cards, and queues
 * one message per new card; the database decides everything.  Run every
 * minute by etc/hallterm-cards.timer where pg_cron does not run the job
 * inside PostgreSQL, and by the tests.  Then one call of
 * hall.front_desk_run() (schema/020), which ends the cases accepted 容缺
 * whose material was not brought by its deadline: the timer's other
 * half.  Then hall.rating_requests_run() (schema/023): the rating SMS
 * and the default ratings of the services rated neither at the counter
 * nor online.  Needs hall_admin's rights (or hall_cards': the functions
 * are granted to nobody else).
 */
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "ctl/ctl.h"
#include "db/conn.h"

int ctl_cards(ctl_ctx *c, int argc, char **argv)
{
	char err[1024];
	PGresult *res;

	(void)argv;
	if (argc > 1) {
		ctl_error(c, _("cards takes no arguments"));
		return CTL_USAGE;
	}
	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	res = db_exec(c->pg, "SELECT issued, reopened, cleared, messages FROM hall.issue_cards_run()",
	              0, NULL, err, sizeof err);
	if (!res) {
		ctl_error(c, _("cannot issue cards: %s"), err);
		return CTL_FAIL;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		ctl_error(c, _("cannot issue cards: no answer"));
		return CTL_FAIL;
	}
	printf(_("cards: %s issued, %s reopened, %s cleared, %s messages queued\n"),
	       PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3));
	PQclear(res);
	/* The other deadline nobody may be logged in for (schema/020): a
	 * case accepted 容缺 whose material was not brought in time ends. */
	res = db_exec(c->pg, "SELECT terminated, messages FROM hall.front_desk_run()", 0, NULL, err, sizeof err);
	if (!res || PQntuples(res) != 1) {
		if (res)
			PQclear(res);
		ctl_error(c, _("cannot end the cases past their 容缺 deadline: %s"), res ? _("no answer") : err);
		return CTL_FAIL;
	}
	printf(_("front desk: %s cases ended past their 容缺 deadline, %s messages queued\n"), PQgetvalue(res, 0, 0),
	       PQgetvalue(res, 0, 1));
	PQclear(res);
	/* And 一次一评 (schema/023): the SMS of a service left unrated at the
	 * counter, the default rating of one unrated for days. */
	res = db_exec(c->pg, "SELECT sms, defaulted FROM hall.rating_requests_run()", 0, NULL, err, sizeof err);
	if (!res || PQntuples(res) != 1) {
		if (res)
			PQclear(res);
		ctl_error(c, _("cannot send the rating SMS or record the default ratings: %s"), res ? _("no answer") : err);
		return CTL_FAIL;
	}
	printf(_("ratings: %s SMS queued for services unrated at the counter, %s default ratings recorded\n"),
	       PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	PQclear(res);
	return CTL_OK;
}
