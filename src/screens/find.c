/* screens/find.c - `/` on a list of loaded rows; see find.h. */
#include "screens/find.h"

#include <stdlib.h>

#include "common/i18n.h"
#include "ui/dialog.h"
#include "ui/loop.h"

int find_in_list(list *l, char **last)
{
	char *text = dialog_prompt(_("Find in this list"), _("Text to find (Enter again finds the next):"),
	                           *last, 64, 0);

	if (!text)
		return UI_REDRAW;
	free(*last);
	*last = text;
	if (!*text)
		return UI_REDRAW;
	if (!list_find(l, text))
		ui_status(UI_INFO, _("\"%s\" is not in this list."), text);
	return UI_REDRAW;
}
