/* screens/debrief.c - the debrief's words; see debrief.h. */
#include "screens/debrief.h"

#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/xalloc.h"
#include "db/refusal.h"
#include "db/trainroom.h"
#include "ui/term.h"

typedef struct word {
	const char *kind, *code, *text;
} word;

/* The codes of hall.training_debrief and training_actions' rules
 * (schema/022): kind, code, words. */
static const word words[] = {
	{ "well", "claims", N_("cases claimed or accepted at the window") },
	{ "well", "approved_on_time", N_("cases approved within their deadline") },
	{ "well", "replied_on_time", N_("inquiries answered in time") },
	{ "well", "complete_notice", N_("returns that listed every material the first time (one-time notice kept)") },
	{ "late", "late_reply", N_("an inquiry answered after its deadline") },
	{ "late", "late_decision", N_("a case decided after its deadline") },
	{ "late", "late_claim", N_("a case claimed when it was already late") },
	{ "late", "overdue_held", N_("a case still held past its deadline") },
	{ "rule", "second_return", N_("one-time notice broken: a second return named a material the first did not") },
	{ "rule", "refused", N_("an action the database refused") },
	{ "rule", "late_reply", N_("an inquiry answered after its deadline") },
	{ "rule", "late_decision", N_("a case decided after its deadline") },
	{ "rule", "late_claim", N_("a case claimed when it was already late") },
	{ NULL, NULL, NULL },
};

/* 'refused:<reason>': the refusal's own sentence (refusals.def). */
static const char *refused_text(const char *reason)
{
	static char buf[1024], sentence[768];

	refusal_sentence(DB_FAILED, "", reason, sentence, sizeof sentence);
	snprintf(buf, sizeof buf, _("an action the database refused: %s"), sentence);
	return buf;
}

const char *debrief_code_text(const char *kind, const char *code)
{
	if (!code)
		return "";
	if (strncmp(code, "refused:", 8) == 0)
		return refused_text(code + 8);
	for (const word *w = words; w->code; w++)
		if (strcmp(w->code, code) == 0 && (!kind || strcmp(w->kind, kind) == 0))
			return _(w->text);
	for (const word *w = words; w->code; w++)
		if (strcmp(w->code, code) == 0)
			return _(w->text);
	return code;
}

const char *debrief_rule_text(const char *rule)
{
	return rule && *rule ? debrief_code_text("rule", rule) : "";
}

static const char *kind_title(const char *kind)
{
	if (strcmp(kind, "well") == 0)
		return _("Went well");
	if (strcmp(kind, "late") == 0)
		return _("Went late");
	if (strcmp(kind, "rule") == 0)
		return _("Rules broken");
	return kind;
}

static int keep(const db_rows *r, int i, long long only)
{
	if (only <= 0)
		return 1;
	return !db_rows_null(r, i, TD_STAFF) && db_rows_ll(r, i, TD_STAFF) == only;
}

/* One line's text: "words ×n  case  at". */
static char *line_text(const db_rows *r, int i)
{
	const char *n = db_rows_get(r, i, TD_N), *cno = db_rows_get(r, i, TD_CASE_NO), *at = db_rows_get(r, i, TD_AT);

	return x_asprintf("%s%s%s%s%s%s%s", debrief_code_text(db_rows_get(r, i, TD_KIND), db_rows_get(r, i, TD_CODE)),
	                  *n && strcmp(n, "1") != 0 ? " ×" : "", *n && strcmp(n, "1") != 0 ? n : "",
	                  *cno ? "  " : "", cno, *at ? "  " : "", at);
}

static void group_title(const db_rows *r, int i, char *buf, size_t n)
{
	if (db_rows_null(r, i, TD_STAFF))
		snprintf(buf, n, "%s", _("The class"));
	else
		snprintf(buf, n, "%s (%s)", db_rows_get(r, i, TD_NAME), db_rows_get(r, i, TD_LOGIN));
}

static int same_group(const db_rows *r, int a, int b)
{
	if (db_rows_null(r, a, TD_STAFF) || db_rows_null(r, b, TD_STAFF))
		return db_rows_null(r, a, TD_STAFF) && db_rows_null(r, b, TD_STAFF);
	return db_rows_ll(r, a, TD_STAFF) == db_rows_ll(r, b, TD_STAFF);
}

static int role_of(const char *kind)
{
	return strcmp(kind, "rule") == 0 ? TERM_OVERDUE : strcmp(kind, "late") == 0 ? TERM_WARN : TERM_NORMAL;
}

void debrief_view(view *v, const db_rows *r, long long only)
{
	char title[256];
	int prev = -1;

	view_clear(v);
	if (!r)
		return;
	for (int i = 0; i < r->nrows; i++) {
		const char *kind = db_rows_get(r, i, TD_KIND);
		char *t;

		if (!keep(r, i, only))
			continue;
		if (prev < 0 || !same_group(r, prev, i)) {
			if (prev >= 0)
				view_add_blank(v);
			group_title(r, i, title, sizeof title);
			view_add_heading(v, title);
		}
		t = line_text(r, i);
		view_add_wrapped(v, 1, role_of(kind), kind_title(kind), t);
		free(t);
		prev = i;
	}
	if (prev < 0)
		view_add(v, 0, TERM_DIM, NULL, _("Nothing to debrief yet: no trainee has acted since the exercise began."));
}

char *debrief_text(const db_rows *r, long long only, const char *title)
{
	size_t cap = 4096, len = 0;
	char *out = x_malloc(cap), group[256];
	int prev = -1;

#define APPEND(...) do { \
		int m_ = snprintf(out + len, cap - len, __VA_ARGS__); \
		while ((size_t)m_ >= cap - len) { cap *= 2; out = x_realloc(out, cap); \
			m_ = snprintf(out + len, cap - len, __VA_ARGS__); } \
		len += (size_t)m_; } while (0)

	APPEND("%s\n", title);
	for (int i = 0; r && i < r->nrows; i++) {
		char *t;

		if (!keep(r, i, only))
			continue;
		if (prev < 0 || !same_group(r, prev, i)) {
			group_title(r, i, group, sizeof group);
			APPEND("\n%s\n", group);
		}
		t = line_text(r, i);
		APPEND("  [%s] %s\n", kind_title(db_rows_get(r, i, TD_KIND)), t);
		free(t);
		prev = i;
	}
#undef APPEND
	return out;
}

static void csv_field(FILE *f, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}

long debrief_csv(FILE *f, const db_rows *r, long long only)
{
	long n = 0;

	csv_field(f, _("Login"), 0);
	csv_field(f, _("Name"), 0);
	csv_field(f, _("Kind"), 0);
	csv_field(f, _("Code"), 0);
	csv_field(f, _("What"), 0);
	csv_field(f, _("Case"), 0);
	csv_field(f, _("Time"), 0);
	csv_field(f, _("Count"), 1);
	for (int i = 0; r && i < r->nrows; i++) {
		const char *kind = db_rows_get(r, i, TD_KIND);

		if (!keep(r, i, only))
			continue;
		csv_field(f, db_rows_null(r, i, TD_STAFF) ? _("(class)") : db_rows_get(r, i, TD_LOGIN), 0);
		csv_field(f, db_rows_get(r, i, TD_NAME), 0);
		csv_field(f, kind, 0);
		csv_field(f, db_rows_get(r, i, TD_CODE), 0);
		csv_field(f, debrief_code_text(kind, db_rows_get(r, i, TD_CODE)), 0);
		csv_field(f, db_rows_get(r, i, TD_CASE_NO), 0);
		csv_field(f, db_rows_get(r, i, TD_AT), 0);
		csv_field(f, db_rows_get(r, i, TD_N), 1);
		n++;
	}
	return ferror(f) ? -1 : n;
}
