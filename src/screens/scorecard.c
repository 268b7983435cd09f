/* screens/scorecard.c - placeholder, being written. */
#include <stdlib.h>

#include "common/xalloc.h"
#include "screens/screens.h"
#include "ui/loop.h"

static void draw(ui_screen *s, WINDOW *w)
{
	(void)s;
	werase(w);
}

static void close_screen(ui_screen *s)
{
	free(s->data);
	s->data = NULL;
}

const ui_screen_ops scorecard_ops = { .name = "scorecard", .draw = draw, .close = close_screen };

void *scorecard_new(void)
{
	return x_calloc(1, 1);
}
