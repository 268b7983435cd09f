/* screens/handled.c - the clerk's answered and transferred inquiries; see
 * handled.h. */
#include "screens/handled.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/xalloc.h"
#include "screens/app.h"
#include "screens/screens.h"
#include "ui/dialog.h"
#include "ui/term.h"

enum { H_AT, H_WHAT, H_REF, H_SUBJECT, H_ASKER, H_OUTCOME, H_NCOLS };

static const list_column handled_cols[H_NCOLS] = {
	[H_AT] = { N_("When"), 16, 16, 0, LIST_LEFT },
	[H_WHAT] = { N_("Done"), 6, 8, 0, LIST_LEFT },
	[H_REF] = { N_("Ref."), 13, 13, 0, LIST_LEFT },
	[H_SUBJECT] = { N_("Subject"), 10, 0, 1, LIST_LEFT },
	[H_ASKER] = { N_("Asked by"), 6, 18, 50, LIST_LEFT },
	[H_OUTCOME] = { N_("Outcome"), 10, 24, 2, LIST_LEFT },
};

static const handled_inquiry *row_at(void *ctx, size_t row)
{
	handled_inquiries *const *rows = ctx;

	return *rows && row < (size_t)(*rows)->n ? &(*rows)->rows[row] : NULL;
}

static int is_transfer(const handled_inquiry *h)
{
	return strcmp(h->kind, "transfer") == 0;
}

static const char *handled_cell(void *ctx, size_t row, int col, int *role)
{
	static char buf[256];
	const handled_inquiry *h = row_at(ctx, row);

	if (!h)
		return NULL;
	switch (col) {
	case H_AT:
		return h->at;
	case H_WHAT:
		return is_transfer(h) ? _("transferred") : _("answered");
	case H_REF:
		return h->ref;
	case H_SUBJECT:
		return h->subject;
	case H_ASKER:
		return h->asker_name;
	case H_OUTCOME:
		if (is_transfer(h)) {
			snprintf(buf, sizeof buf, h->answered ? _("to %s, answered there") : _("to %s, waiting there"),
			         h->to_department);
			return buf;
		}
		if (!h->on_time)
			*role = TERM_OVERDUE;
		return h->on_time ? _("on time") : _("LATE");
	default:
		return NULL;
	}
}

/* An inquiry may be both: transferred, sent back, then answered. */
static int64_t handled_id(void *ctx, size_t row)
{
	const handled_inquiry *h = row_at(ctx, row);

	return h ? h->id * 2 + is_transfer(h) : -1;
}

static const list_source handled_source = { handled_cell, handled_id, NULL };

list *handled_list_new(handled_inquiries **rows)
{
	return list_new(handled_cols, H_NCOLS, &handled_source, rows);
}

void handled_open(const handled_inquiry *h)
{
	char *text;

	if (!h)
		return;
	if (!is_transfer(h)) {
		inquiry_push(h->id);
		return;
	}
	text = x_asprintf(_("%s  %s\nAsked by %s (%s)\nYou transferred it to %s at %s.\nYour note: %s\n%s"), h->ref,
	                  h->subject, h->asker_name, app_channel_name(h->channel), h->to_department, h->at, h->note,
	                  h->answered ? _("It has been answered there.")
	                              : _("It is waiting for a reply there; it is no longer on your department's list."));
	dialog_message(_("Transferred inquiry"), text);
	free(text);
}
