/* screens/receive.c - receiving a walk-in at the window (收件), after the
 * item was chosen (itempick.c).
 *
 *   the guide         the item, its department and category, the promised
 *                     and legal time limits, the fee, where the result is
 *                     collected, the conditions (i: the whole guide)
 *   the situation     情形 (s): it decides the material list
 *   the applicant     e asks for the ID number or credit code, the name,
 *                     the phone (an entity: the legal representative; a
 *                     situation filed by an agent: the agent too)
 *   the checklist     each material of the situation, marked 原件已核验
 *                     until said otherwise: Space steps through the marks
 *                     the material allows (复印件, 缺, 不适用 when optional,
 *                     容缺 and 告知承诺 where the item allows them)
 *   the outcome       F9 accepts (受理), m records materials missing (材料
 *                     不全: a one-time notice listing them), x refuses to
 *                     accept (不予受理, with the legal reason)
 *
 * l marks the green channel, w files it online for the applicant (帮办),
 * p files it as their agent (代办).  Whatever is decided, hall.receive
 * does it in one transaction and issues the numbered notice, which is
 * printed at once (notice.h).  Every rule (check digits, what may be
 * deferred, who may receive for which item) is the database's: a refusal
 * comes back as a sentence and the form stays as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "db/receive.h"
#include "screens/app.h"
#include "screens/notice.h"
#include "screens/screens.h"
#include "screens/window.h"
#include "ui/dialog.h"
#include "ui/list.h"
#include "ui/loop.h"
#include "ui/term.h"

/* The marks, in the order Space steps through them. */
enum { M_ORIGINAL, M_COPY, M_MISSING, M_NA, M_DEFERRED, M_COMMITMENT, M_N };
static const char *const mark_word[M_N] = { "original", "copy", "missing", "na", "deferred", "commitment" };
static const char *const mark_name[M_N] = { N_("original checked"), N_("copy"), N_("missing"),
                                            N_("not applicable"), N_("容缺 (later)"), N_("告知承诺") };

/* The applicant's details, each owned here (NULL: not given). */
enum { F_ID, F_NAME, F_PHONE, F_REP, F_AGENT_NAME, F_AGENT_ID, F_AGENT_PHONE, F_AGENT_POA, F_PROXY, F_N };

typedef struct receive {
	char code[32];
	db_rows *guide, *sit;   /* the guide; one row a situation's material */
	int *marks;             /* per row of sit */
	char situation[32];
	list *l;
	size_t *shown;          /* the rows of sit of the current situation */
	size_t nshown;
	char *field[F_N];
	const char *green;      /* elderly disabled pregnant, NULL */
	int assisted;           /* 帮办: filed on the web for them */
	int busy;               /* a decision is on its way */
	char error[512];
} receive;

static const int rc_keybar[] = { CMD_ACCEPT_CASE, CMD_TOGGLE, CMD_APPLICANT, CMD_INCOMPLETE, CMD_NOT_ACCEPT,
                                 CMD_SITUATION, CMD_GUIDE, CMD_GREEN, CMD_ASSIST, CMD_PROXY, CMD_BACK, CMD_NONE };

/* ------------------------------------------------------------ the list */

enum { RC_NAME, RC_REQUIRED, RC_MARK, RC_N };
static const list_column rc_cols[RC_N] = {
	[RC_NAME] = { N_("Material"), 16, 0, 3, LIST_LEFT },
	[RC_REQUIRED] = { N_("Needed"), 12, 14, 0, LIST_LEFT },
	[RC_MARK] = { N_("Checked"), 12, 16, 1, LIST_LEFT },
};

static int row_of(const receive *r, size_t i)
{
	return i < r->nshown ? (int)r->shown[i] : -1;
}

static const char *rc_cell(void *ctx, size_t row, int col, int *role)
{
	const receive *r = ctx;
	int i = row_of(r, row);

	if (i < 0)
		return NULL;
	switch (col) {
	case RC_NAME:
		return db_rows_get(r->sit, i, RS_MATERIAL_NAME);
	case RC_REQUIRED:
		if (db_rows_bool(r->sit, i, RS_MAY_DEFER))
			return _("needed, 容缺");
		if (db_rows_bool(r->sit, i, RS_MAY_COMMIT))
			return _("needed, 承诺");
		return db_rows_bool(r->sit, i, RS_REQUIRED) ? _("needed") : _("optional");
	case RC_MARK:
		if (r->marks[i] == M_MISSING)
			*role = TERM_OVERDUE;
		else if (r->marks[i] != M_ORIGINAL)
			*role = TERM_WARN;
		return _(mark_name[r->marks[i]]);
	default:
		return NULL;
	}
}

static int64_t rc_id(void *ctx, size_t row)
{
	const receive *r = ctx;
	int i = row_of(r, row);

	return i < 0 ? -1 : db_rows_ll(r->sit, i, RS_MATERIAL);
}

static const list_source rc_source = { rc_cell, rc_id, NULL };

/* The rows of the chosen situation (the first one until chosen). */
static void show_situation(receive *r, const char *code)
{
	r->nshown = 0;
	if (!r->sit)
		return;
	if (!*code && r->sit->nrows)
		code = db_rows_get(r->sit, 0, RS_SITUATION);
	snprintf(r->situation, sizeof r->situation, "%s", code);
	for (int i = 0; i < r->sit->nrows; i++)
		if (strcmp(db_rows_get(r->sit, i, RS_SITUATION), r->situation) == 0)
			r->shown[r->nshown++] = (size_t)i;
	list_set_rows(r->l, r->nshown);
}

static int situation_row(const receive *r)
{
	return r->nshown ? (int)r->shown[0] : -1;
}

static int by_agent(const receive *r)
{
	int i = situation_row(r);

	return i >= 0 && db_rows_bool(r->sit, i, RS_BY_AGENT);
}

/* ------------------------------------------------------------- loading */

static void guide_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	receive *r = ctx;

	if (!rows)
		app_refusal_text(reply, r->error, sizeof r->error);
	db_rows_free(r->guide);
	r->guide = rows;
	ui_redraw();
}

static void situations_loaded(void *ctx, db_rows *rows, const db_reply *reply)
{
	receive *r = ctx;

	if (!rows) {
		app_refusal_text(reply, r->error, sizeof r->error);
		ui_redraw();
		return;
	}
	db_rows_free(r->sit);
	free(r->marks);
	free(r->shown);
	r->sit = rows;
	/* Everything is taken as seen in the original until said otherwise:
	 * the common case costs no key. */
	r->marks = x_calloc((size_t)rows->nrows + 1, sizeof *r->marks);
	r->shown = x_calloc((size_t)rows->nrows + 1, sizeof *r->shown);
	show_situation(r, r->situation);
	ui_redraw();
}

/* ----------------------------------------------------------- the form */

static void set_field(receive *r, int f, char *value)
{
	free(r->field[f]);
	r->field[f] = value;
}

static const char *fv(const receive *r, int f)
{
	return r->field[f] ? r->field[f] : "";
}

/* An ID number is 17 digits and a digit or X; anything else of 18 is a
 * unified social credit code.  The database checks both check digits. */
static int is_entity(const receive *r)
{
	const char *id = fv(r, F_ID);

	return strlen(id) == 18 && strspn(id, "0123456789") < 17;
}

/* One question of the applicant's; 0 when cancelled (what was typed
 * before stays). */
static int ask(receive *r, int f, const char *label, int required)
{
	char *v = dialog_prompt(_("Applicant"), label, fv(r, f), 200, required ? DIALOG_REQUIRED : 0);

	if (!v)
		return 0;
	set_field(r, f, v);
	return 1;
}

static int ask_applicant(receive *r)
{
	if (!ask(r, F_ID, _("ID number, or the unified social credit code of an entity:"), 1))
		return UI_REDRAW;
	if (!ask(r, F_NAME, is_entity(r) ? _("Name of the entity:") : _("Name:"), 1))
		return UI_REDRAW;
	if (!ask(r, F_PHONE, _("Phone (for the notices; may stay empty):"), 0))
		return UI_REDRAW;
	if (is_entity(r) && !ask(r, F_REP, _("Legal representative:"), 1))
		return UI_REDRAW;
	if (!by_agent(r) || r->field[F_PROXY])
		return UI_REDRAW;
	if (ask(r, F_AGENT_NAME, _("Agent (委托代理人), name:"), 1) && ask(r, F_AGENT_ID, _("Agent's ID number:"), 1)
	    && ask(r, F_AGENT_PHONE, _("Agent's phone (may stay empty):"), 0))
		ask(r, F_AGENT_POA, _("Power of attorney (its number, or what it authorises):"), 1);
	return UI_REDRAW;
}

static int choose_situation(receive *r)
{
	const char *names[32], *codes[32];
	size_t n = 0, cur = 0;
	long pick;

	for (int i = 0; r->sit && i < r->sit->nrows && n < 32; i++) {
		const char *c = db_rows_get(r->sit, i, RS_SITUATION);
		if (n && strcmp(codes[n - 1], c) == 0)
			continue;
		if (strcmp(c, r->situation) == 0)
			cur = n;
		codes[n] = c;
		names[n++] = db_rows_get(r->sit, i, RS_SITUATION_NAME);
	}
	if (!n)
		return UI_HANDLED;
	pick = dialog_choose(_("The applicant's situation (情形)"), names, n, cur);
	if (pick >= 0)
		show_situation(r, codes[pick]);
	return UI_REDRAW;
}

static int choose_green(receive *r)
{
	static const char *const words[] = { NULL, "elderly", "disabled", "pregnant" };
	const char *items[4] = { _("no green channel"), _("70 or older"), _("disabled"), _("pregnant") };
	long pick = dialog_choose(_("Green channel (绿色通道): why?"), items, 4, 0);

	if (pick >= 0)
		r->green = words[pick];
	return UI_REDRAW;
}

static int ask_proxy(receive *r)
{
	char *v;

	if (r->field[F_PROXY]) {
		set_field(r, F_PROXY, NULL);
		ui_status(UI_INFO, "%s", _("No longer filed as the applicant's agent."));
		return UI_REDRAW;
	}
	v = dialog_prompt(_("Proxy filing (代办)"), _("You file as the applicant's agent: the power of attorney "
	                                          "(its number, or what it authorises):"), "", 200, DIALOG_REQUIRED);
	if (v)
		set_field(r, F_PROXY, v);
	return UI_REDRAW;
}

/* Space: the next mark this material allows. */
static int next_mark(receive *r)
{
	int i = row_of(r, list_selected(r->l)), m;

	if (i < 0)
		return UI_HANDLED;
	for (m = (r->marks[i] + 1) % M_N; m != r->marks[i]; m = (m + 1) % M_N) {
		if ((m == M_NA && db_rows_bool(r->sit, i, RS_REQUIRED))
		    || (m == M_DEFERRED && !db_rows_bool(r->sit, i, RS_MAY_DEFER))
		    || (m == M_COMMITMENT && !db_rows_bool(r->sit, i, RS_MAY_COMMIT)))
			continue;
		break;
	}
	r->marks[i] = m;
	return UI_REDRAW;
}

/* --------------------------------------------------------- the outcome */

static void decided(void *ctx, db_rows *rows, const db_reply *reply)
{
	receive *r = ctx;
	char done[128];

	r->busy = 0;
	if (!rows || rows->nrows != 1) {
		app_show_error(_("Receiving"), reply);
		db_rows_free(rows);
		return;
	}
	/* The case exists now, whatever the printer does: the form closes and
	 * the notice is printed (or said why not: N on the case retries). */
	snprintf(done, sizeof done, "%s", _("Received."));
	r->busy = -1;   /* done: never twice, even if the form stays up a moment */
	notice_print(db_rows_ll(rows, 0, 0), done);
	window_link_case(db_rows_ll(rows, 0, 0)); /* the ticket being served leads to it */
	db_rows_free(rows);
	if (ui_top() && ui_top()->data == r)
		ui_pop();
}

static int count_marks(const receive *r, int mark)
{
	int n = 0;

	for (size_t k = 0; k < r->nshown; k++)
		n += r->marks[r->shown[k]] == mark;
	return n;
}

static int decide(receive *r, const char *outcome)
{
	receive_form f = { 0 };
	int ids[64];
	const char *marks[64];
	char *note = NULL;
	int n = 0;

	if (r->busy || !r->sit)
		return UI_HANDLED;
	if (!r->field[F_ID] || !r->field[F_NAME]) {
		ui_status(UI_WARN, "%s", _("Who applies? e asks for the applicant first."));
		return UI_REDRAW;
	}
	if (strcmp(outcome, "refuse") == 0) {
		note = dialog_prompt(_("Not accepted (不予受理)"), _("The legal reason, as the decision will say it:"), "",
		                     1000, DIALOG_REQUIRED | DIALOG_MULTILINE);
		if (!note)
			return UI_REDRAW;
	} else if (!dialog_confirm(strcmp(outcome, "accept") == 0 ? _("Accept (受理)") : _("Materials missing (材料不全)"),
	                           strcmp(outcome, "accept") == 0
	                               ? _("Accept the case now? It is yours and its clock starts today.")
	                               : _("Record the materials marked missing and print the one-time notice?"))) {
		return UI_REDRAW;
	}
	if (count_marks(r, M_DEFERRED) + count_marks(r, M_COMMITMENT) > 0)
		f.commitment_signed = dialog_confirm(_("Commitment (承诺书)"),
		                                     _("Has the applicant signed the written commitment (承诺书)?"));
	for (size_t k = 0; k < r->nshown && n < 64; k++, n++) {
		ids[n] = db_rows_int(r->sit, (int)r->shown[k], RS_MATERIAL);
		marks[n] = mark_word[r->marks[r->shown[k]]];
	}
	f.item_code = r->code;
	f.situation = r->situation;
	f.kind = is_entity(r) ? "entity" : "person";
	f.name = fv(r, F_NAME);
	f.id_number = fv(r, F_ID);
	f.phone = fv(r, F_PHONE);
	f.legal_rep = fv(r, F_REP);
	f.agent_name = by_agent(r) && !r->field[F_PROXY] ? fv(r, F_AGENT_NAME) : "";
	f.agent_id = fv(r, F_AGENT_ID);
	f.agent_phone = fv(r, F_AGENT_PHONE);
	f.agent_poa = fv(r, F_AGENT_POA);
	f.proxy_poa = fv(r, F_PROXY);
	f.material_ids = ids;
	f.marks = marks;
	f.nmaterials = n;
	f.outcome = outcome;
	f.note = note ? note : "";
	f.channel = r->assisted ? "web" : "window";
	f.green = r->green ? r->green : "";
	if (app_require_online() && receive_submit(app_db(), &f, decided, r) == 0)
		r->busy = 1;
	free(note);
	return UI_REDRAW;
}

static int key(ui_screen *s, int cmd, const ui_event *ev)
{
	receive *r = s->data;
	int k;

	switch (cmd) {
	case CMD_ACCEPT_CASE:
		return decide(r, "accept");
	case CMD_INCOMPLETE:
		return decide(r, "incomplete");
	case CMD_NOT_ACCEPT:
		return decide(r, "refuse");
	case CMD_TOGGLE:
		return next_mark(r);
	case CMD_APPLICANT:
		return ask_applicant(r);
	case CMD_SITUATION:
		return choose_situation(r);
	case CMD_GREEN:
		return choose_green(r);
	case CMD_PROXY:
		return ask_proxy(r);
	case CMD_ASSIST:
		r->assisted = !r->assisted;
		ui_status(UI_INFO, "%s", r->assisted ? _("Filed online for the applicant (帮办), in your name.")
		                                     : _("Received at the window."));
		return UI_REDRAW;
	case CMD_GUIDE:
		if (r->guide && r->guide->nrows == 1) {
			char *text = x_asprintf("%s\n\n%s %s\n%s %s\n%s %s\n%s %s", db_rows_get(r->guide, 0, RG_NAME),
			                        _("Conditions:"), db_rows_get(r->guide, 0, RG_CONDITIONS), _("Fee:"),
			                        db_rows_get(r->guide, 0, RG_FEE), _("Result:"),
			                        db_rows_get(r->guide, 0, RG_RESULT_PLACE), _("Basis:"),
			                        db_rows_get(r->guide, 0, RG_BASIS));
			dialog_viewer(_("Guide (办事指南)"), text);
			free(text);
		}
		return UI_REDRAW;
	default:
		break;
	}
	k = list_key(r->l, cmd, ev);
	return k == LIST_IGNORED ? UI_UNHANDLED : UI_REDRAW;
}

/* -------------------------------------------------------------- drawing */

static void draw(ui_screen *s, WINDOW *w)
{
	receive *r = s->data;
	const db_rows *g = r->guide;
	int lines, cols, y = 0, i = situation_row(r);
	char buf[768];

	getmaxyx(w, lines, cols);
	werase(w);
	if (!g || g->nrows != 1) {
		term_put(w, 0, 0, cols, TERM_DIM, TEXT_PAD, *r->error ? r->error : _("Loading..."));
		return;
	}
	snprintf(buf, sizeof buf, _("%s %s  %s · %s  promised %s working days (legal %s)  %s"),
	         db_rows_get(g, 0, RG_CODE), db_rows_get(g, 0, RG_NAME), db_rows_get(g, 0, RG_DEPT_NAME),
	         db_rows_get(g, 0, RG_CATEGORY), db_rows_get(g, 0, RG_PROMISED), db_rows_get(g, 0, RG_LEGAL),
	         db_rows_get(g, 0, RG_FEE));
	term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, buf);
	snprintf(buf, sizeof buf, _("Conditions: %s"), db_rows_get(g, 0, RG_CONDITIONS));
	term_put(w, y++, 0, cols, TERM_DIM, TEXT_PAD, buf);
	snprintf(buf, sizeof buf, _("Result: %s   (i: the whole guide)"), db_rows_get(g, 0, RG_RESULT_PLACE));
	term_put(w, y++, 0, cols, TERM_DIM, TEXT_PAD, buf);
	snprintf(buf, sizeof buf, _("Situation: %s   (s: another)%s%s"), i >= 0 ? db_rows_get(r->sit, i, RS_SITUATION_NAME) : "",
	         r->assisted ? _("   帮办: filed online for them") : "", r->field[F_PROXY] ? _("   代办: you are the agent") : "");
	term_put(w, y++, 0, cols, TERM_NORMAL, TEXT_PAD, buf);
	if (r->field[F_ID]) {
		char *masked = text_mask_id(fv(r, F_ID));
		snprintf(buf, sizeof buf, _("Applicant: %s  %s  %s%s%s   (e: correct)"), fv(r, F_NAME), masked, fv(r, F_PHONE),
		         r->field[F_REP] && is_entity(r) ? _("  legal rep. ") : "", is_entity(r) ? fv(r, F_REP) : "");
		free(masked);
	} else {
		snprintf(buf, sizeof buf, "%s", _("Applicant: (e: type the ID number, the name and the phone)"));
	}
	term_put(w, y++, 0, cols, r->field[F_ID] ? TERM_NORMAL : TERM_WARN, TEXT_PAD, buf);
	if (by_agent(r) && !r->field[F_PROXY]) {
		snprintf(buf, sizeof buf, _("Agent: %s  %s"), r->field[F_AGENT_NAME] ? fv(r, F_AGENT_NAME) : _("(e asks)"),
		         fv(r, F_AGENT_POA));
		term_put(w, y++, 0, cols, TERM_NORMAL, TEXT_PAD, buf);
	}
	if (r->green) {
		snprintf(buf, sizeof buf, _("Green channel (绿色通道): %s"), r->green);
		term_put(w, y++, 0, cols, TERM_OK, TEXT_PAD, buf);
	}
	snprintf(buf, sizeof buf, _("Materials: %d missing, %d 容缺, %d 告知承诺   (Space: the next mark)"),
	         count_marks(r, M_MISSING), count_marks(r, M_DEFERRED), count_marks(r, M_COMMITMENT));
	term_put(w, y++, 0, cols, TERM_HEADER, TEXT_PAD, buf);
	list_draw(r->l, w, y, 0, lines - y, cols);
}

/* ---------------------------------------------------------------- life */

static int open_screen(ui_screen *s)
{
	receive *r = s->data;

	r->l = list_new(rc_cols, RC_N, &rc_source, r);
	ui_screen_title(s, _("Receive (收件)"));
	if (!app_online())
		return 0;
	receive_guide(app_db(), r->code, guide_loaded, r);
	receive_situations(app_db(), r->code, situations_loaded, r);
	return 0;
}

static void close_screen(ui_screen *s)
{
	receive *r = s->data;

	if (!r)
		return;
	if (app_db())
		db_session_forget(app_db(), r);
	db_rows_free(r->guide);
	db_rows_free(r->sit);
	free(r->marks);
	free(r->shown);
	for (int f = 0; f < F_N; f++)
		free(r->field[f]);
	list_free(r->l);
	free(r);
	s->data = NULL;
}

const ui_screen_ops receive_ops = {
	.name = "receive",
	.keybar = rc_keybar,
	.open = open_screen,
	.draw = draw,
	.key = key,
	.close = close_screen,
};

void *receive_new(const char *item_code)
{
	receive *r = x_calloc(1, sizeof *r);

	snprintf(r->code, sizeof r->code, "%s", item_code);
	return r;
}
