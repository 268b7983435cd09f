/* screens/period.c - the period of the supervisor's screens (period.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "db/supervise.h"
#include "screens/app.h"
#include "screens/period.h"
#include "ui/dialog.h"
#include "ui/loop.h"

static const char *const keys[PERIOD_N] = { "today", "week", "month", "last_month", "" };
static const char *const names[PERIOD_N] = { N_("today"), N_("this week"), N_("this month"), N_("last month"),
                                             N_("dates") };

const char *period_name(int which)
{
	return which >= 0 && which < PERIOD_N ? _(names[which]) : "";
}

static void days_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	period_sel *p = ctx;

	if (!rows || rows->nrows == 0) {
		if (reply->status != DB_OK)
			app_show_error(_("Period"), reply);
		db_rows_free(rows);
		ui_redraw();
		return;
	}
	snprintf(p->from, sizeof p->from, "%s", db_rows_get(rows, 0, 0));
	snprintf(p->to, sizeof p->to, "%s", db_rows_get(rows, 0, 1));
	snprintf(p->prev_from, sizeof p->prev_from, "%s", db_rows_get(rows, 0, 2));
	snprintf(p->prev_to, sizeof p->prev_to, "%s", db_rows_get(rows, 0, 3));
	db_rows_free(rows);
	if (p->changed)
		p->changed(p->ctx);
}

/* Chosen dates are compared with as many days just before them. */
static void previous_days(period_sel *p)
{
	struct tm a = { 0 }, b = { 0 };
	time_t ta, tb, day = 24 * 3600;

	p->prev_from[0] = p->prev_to[0] = '\0';
	if (sscanf(p->from, "%4d-%2d-%2d", &a.tm_year, &a.tm_mon, &a.tm_mday) != 3
	    || sscanf(p->to, "%4d-%2d-%2d", &b.tm_year, &b.tm_mon, &b.tm_mday) != 3)
		return;
	a.tm_year -= 1900, a.tm_mon -= 1, b.tm_year -= 1900, b.tm_mon -= 1;
	a.tm_hour = b.tm_hour = 12;   /* whole days, whatever the time zone */
	ta = timegm(&a);
	tb = timegm(&b);
	if (ta == (time_t)-1 || tb < ta)
		return;
	ta -= day;
	tb = ta - (tb - (ta + day));
	strftime(p->prev_to, sizeof p->prev_to, "%Y-%m-%d", gmtime_r(&ta, &a));
	strftime(p->prev_from, sizeof p->prev_from, "%Y-%m-%d", gmtime_r(&tb, &b));
}

void period_set(period_sel *p, int which)
{
	p->which = which;
	if (which != PERIOD_CUSTOM) {
		if (app_online())
			sup_period(app_db(), keys[which], days_loaded, p);
		return;
	}
	previous_days(p);
	if (p->changed)
		p->changed(p->ctx);
}

void period_forget(period_sel *p)
{
	if (app_db())
		db_session_forget(app_db(), p);
}

static int valid_day(const char *s)
{
	int y, m, d;
	char tail;

	return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12
	       && d >= 1 && d <= 31;
}

void period_ask(period_sel *p)
{
	const char *items[PERIOD_N];
	long pick;
	char *from, *to;

	for (int i = 0; i < PERIOD_N; i++)
		items[i] = _(names[i]);
	pick = dialog_choose(_("Which period?"), items, PERIOD_N, (size_t)p->which);
	if (pick < 0)
		return;
	if (pick != PERIOD_CUSTOM) {
		period_set(p, (int)pick);
		return;
	}
	from = dialog_prompt(_("Period"), _("From (YYYY-MM-DD):"), p->from, 10, DIALOG_REQUIRED);
	to = from ? dialog_prompt(_("Period"), _("To (YYYY-MM-DD, the same or a later day):"), p->to, 10, DIALOG_REQUIRED)
	          : NULL;
	if (from && to) {
		if (!valid_day(from) || !valid_day(to) || strcmp(from, to) > 0) {
			ui_status(UI_WARN, "%s", _("A period runs from one day to the same or a later day, written "
			                           "YYYY-MM-DD; nothing was changed."));
		} else {
			snprintf(p->from, sizeof p->from, "%s", from);
			snprintf(p->to, sizeof p->to, "%s", to);
			period_set(p, PERIOD_CUSTOM);
		}
	}
	free(from);
	free(to);
}
