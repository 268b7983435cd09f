/* common/scenario.c - reading a scenario file with iniparser (scenario.h). */
#include "common/scenario.h"

#include <dirent.h>
#include <errno.h>
#include <iniparser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"

#ifndef SCENARIODIR
#define SCENARIODIR "/usr/local/share/hallterm/scenarios"
#endif

const char *const scenario_act_names[SCENARIO_NACT] = { "submit", "ask", "resubmit", "rate", "withdraw" };

/* Every key a scenario may have; anything else is an error. */
enum kind { K_TEXT, K_LONG, K_SEED, K_MIX };
typedef struct key {
	const char *section, *name;
	enum kind kind;
	long max;
	size_t off;
} key;

#define OFF(f) offsetof(scenario, f)
static const key keys[] = {
	{ "scenario", "title", K_TEXT, 60, OFF(title) },
	{ "scenario", "summary", K_TEXT, 200, OFF(summary) },
	{ "scenario", "clock", K_TEXT, 40, OFF(clock) },
	{ "load", "walk_ins", K_LONG, SCENARIO_LOAD_MAX, OFF(walk_ins) },
	{ "load", "online", K_LONG, SCENARIO_LOAD_MAX, OFF(online) },
	{ "load", "items", K_TEXT, 400, OFF(items) },
	{ "load", "asks", K_LONG, SCENARIO_LOAD_MAX, OFF(asks) },
	{ "load", "misdirected", K_LONG, SCENARIO_LOAD_MAX, OFF(misdirected) },
	{ "load", "bad_ratings", K_LONG, SCENARIO_LOAD_MAX, OFF(bad_ratings) },
	{ "load", "seed", K_SEED, 0, OFF(seed) },
	{ "simulate", "rate", K_LONG, SCENARIO_RATE_MAX, OFF(rate) },
	{ "simulate", "minutes", K_LONG, SCENARIO_MINUTES_MAX, OFF(minutes) },
	{ "simulate", "mix", K_MIX, 0, OFF(mix) },
};
#define NKEYS (sizeof keys / sizeof keys[0])

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int scenario_parse_mix(const char *spec, long weights[SCENARIO_NACT], char *err, size_t errlen)
{
	char *copy = x_strdup(spec ? spec : ""), *tok, *save = NULL;
	int given[SCENARIO_NACT] = { 0 };
	long total = 0;
	int rc = -1;

	for (int k = 0; k < SCENARIO_NACT; k++)
		weights[k] = 0;
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		char *eq = strchr(tok, '='), *end;
		int k;
		long w;

		if (!eq || eq == tok || !eq[1]) {
			set_err(err, errlen, _("expected ACTION=WEIGHT, got \"%s\""), tok);
			goto out;
		}
		*eq = '\0';
		for (k = 0; k < SCENARIO_NACT && strcmp(tok, scenario_act_names[k]) != 0; k++)
			;
		if (k == SCENARIO_NACT) {
			set_err(err, errlen, _("unknown action \"%s\" (submit, ask, resubmit, rate or withdraw)"), tok);
			goto out;
		}
		if (given[k]) {
			set_err(err, errlen, _("\"%s\" is given twice"), tok);
			goto out;
		}
		errno = 0;
		w = strtol(eq + 1, &end, 10);
		if (eq[1] < '0' || eq[1] > '9' || *end || errno || w > SCENARIO_WEIGHT_MAX) {
			set_err(err, errlen, _("the weight of \"%s\" must be a whole number from 0 to %ld, got \"%s\""),
			        tok, SCENARIO_WEIGHT_MAX, eq + 1);
			goto out;
		}
		given[k] = 1;
		weights[k] = w;
		total += w;
	}
	if (total == 0) {
		set_err(err, errlen, _("the weights add up to 0: nothing to do"));
		goto out;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

/* iniparser prints its complaints to stderr (the screen while curses
 * runs); ours are in err. */
static int quiet(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

static const key *find_key(const char *section, const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* Every section and key of d is one of ours.  0, or -1 with err set. */
static int check_known(dictionary *d, const char *qpath, char *err, size_t errlen)
{
	int nsec = iniparser_getnsec(d);

	for (int i = 0; i < nsec; i++) {
		const char *sec = iniparser_getsecname(d, i);
		int nk = iniparser_getsecnkeys(d, sec);
		const char **names;
		int known = 0;

		for (size_t k = 0; k < NKEYS; k++)
			known |= strcmp(keys[k].section, sec) == 0;
		if (!known) {
			set_err(err, errlen, _("%s: [%s]: unknown section (scenario, load or simulate)"), qpath, sec);
			return -1;
		}
		if (nk <= 0)
			continue;
		names = x_calloc((size_t)nk, sizeof *names);
		iniparser_getseckeys(d, sec, names);
		for (int k = 0; k < nk; k++) {
			const char *colon = strchr(names[k], ':');
			if (colon && !find_key(sec, colon + 1)) {
				set_err(err, errlen, _("%s: [%s] %s: unknown key"), qpath, sec, colon + 1);
				free(names);
				return -1;
			}
		}
		free(names);
	}
	return 0;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

scenario *scenario_load(const char *path, char *err, size_t errlen)
{
	scenario *s;
	dictionary *d;
	char *qpath, *base;
	const char *slash, *dot;
	struct stat st;

	if (err && errlen)
		err[0] = '\0';
	qpath = text_sanitize(path ? path : "", 0);
	if (!path || stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		set_err(err, errlen, _("%s: %s"), qpath, path && errno ? strerror(errno) : _("not a file"));
		free(qpath);
		return NULL;
	}
	iniparser_set_error_callback(quiet);
	d = iniparser_load(path);
	if (!d) {
		set_err(err, errlen, _("%s: could not be parsed"), qpath);
		free(qpath);
		return NULL;
	}
	if (check_known(d, qpath, err, errlen) < 0)
		goto fail_dict;

	s = x_calloc(1, sizeof *s);
	slash = strrchr(path, '/');
	base = x_strdup(slash ? slash + 1 : path);
	dot = strrchr(base, '.');
	if (dot && strcmp(dot, ".ini") == 0)
		base[dot - base] = '\0';
	s->name = base;
	s->path = x_strdup(path);
	/* Defaults: a quiet hall, no load; the title is required. */
	s->items = NULL;
	s->rate = 20;
	s->seed = 1;
	scenario_parse_mix("submit=60,ask=20,resubmit=10,rate=10", s->mix, NULL, 0);

	for (size_t i = 0; i < NKEYS; i++) {
		const key *k = &keys[i];
		char *ikey = x_asprintf("%s:%s", k->section, k->name);
		const char *raw = iniparser_getstring(d, ikey, NULL);
		char why[256] = "";
		char *end;

		free(ikey);
		if (!raw)
			continue;
		if (has_control(raw)) {
			snprintf(why, sizeof why, "%s", _("control characters are not allowed"));
		} else if (k->kind == K_TEXT) {
			if (text_width(raw) > (int)k->max * 2 || strlen(raw) > (size_t)k->max * 4)
				snprintf(why, sizeof why, _("at most %ld characters"), k->max);
			else
				*(char **)((char *)s + k->off) = x_strdup(raw);
		} else if (k->kind == K_LONG) {
			long v;
			errno = 0;
			v = strtol(raw, &end, 10);
			if (raw[0] < '0' || raw[0] > '9' || *end || errno || v > k->max)
				snprintf(why, sizeof why, _("expected a whole number from 0 to %ld, got \"%s\""), k->max, raw);
			else
				*(long *)((char *)s + k->off) = v;
		} else if (k->kind == K_SEED) {
			unsigned long v;
			errno = 0;
			v = strtoul(raw, &end, 10);
			if (raw[0] < '0' || raw[0] > '9' || *end || errno)
				snprintf(why, sizeof why, _("expected a whole number, got \"%s\""), raw);
			else
				s->seed = v;
		} else if (scenario_parse_mix(raw, s->mix, why, sizeof why) == 0) {
			why[0] = '\0';
		}
		if (why[0]) {
			set_err(err, errlen, "%s: [%s] %s: %s", qpath, k->section, k->name, why);
			scenario_free(s);
			goto fail_dict;
		}
	}
	if (!s->title || !*s->title) {
		set_err(err, errlen, _("%s: [scenario] title: required"), qpath);
		scenario_free(s);
		goto fail_dict;
	}
	if (!s->summary)
		s->summary = x_strdup("");
	if (!s->clock)
		s->clock = x_strdup("");
	if (!s->items)
		s->items = x_strdup("any");
	iniparser_freedict(d);
	free(qpath);
	return s;
fail_dict:
	iniparser_freedict(d);
	free(qpath);
	return NULL;
}

void scenario_free(scenario *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->path);
	free(s->title);
	free(s->summary);
	free(s->clock);
	free(s->items);
	free(s);
}

/* ---- where they are ----------------------------------------------------- */

static int is_dir(const char *p)
{
	struct stat st;
	return p && *p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void push(char ***list, size_t *n, char *item)
{
	*list = x_realloc(*list, (*n + 2) * sizeof **list);
	(*list)[(*n)++] = item;
	(*list)[*n] = NULL;
}

/* The etc/scenarios of the source tree the running program was built in
 * (its directory's parent: build/hallterm), or NULL. */
static char *beside_program(void)
{
	char exe[4096], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return x_asprintf("%s/../etc/scenarios", exe);
}

char **scenario_dirs(void)
{
	char **list = NULL;
	size_t n = 0;
	const char *env = getenv("HALLTERM_SCENARIOS");
	const char *home = getenv("HOME");
	char *cand[5];

	cand[0] = env && *env ? x_strdup(env) : NULL;
	cand[1] = home && *home ? x_asprintf("%s/.config/hallterm/scenarios", home) : NULL;
	cand[2] = x_strdup(SCENARIODIR);
	cand[3] = x_strdup("etc/scenarios");
	cand[4] = beside_program();
	for (int i = 0; i < 5; i++) {
		int dup = 0;
		if (!is_dir(cand[i])) {
			free(cand[i]);
			continue;
		}
		for (size_t j = 0; j < n; j++)
			dup |= strcmp(list[j], cand[i]) == 0;
		if (dup)
			free(cand[i]);
		else
			push(&list, &n, cand[i]);
	}
	if (!list)
		list = x_calloc(1, sizeof *list);
	return list;
}

static int ends_ini(const char *name)
{
	size_t len = strlen(name);
	return len > 4 && strcmp(name + len - 4, ".ini") == 0 && name[0] != '.';
}

static int by_base(const void *a, const void *b)
{
	const char *x = strrchr(*(char *const *)a, '/'), *y = strrchr(*(char *const *)b, '/');
	return strcmp(x ? x + 1 : *(char *const *)a, y ? y + 1 : *(char *const *)b);
}

char **scenario_list(void)
{
	char **dirs = scenario_dirs(), **list = NULL;
	size_t n = 0;

	for (size_t i = 0; dirs[i]; i++) {
		DIR *dp = opendir(dirs[i]);
		struct dirent *e;

		if (!dp)
			continue;
		while ((e = readdir(dp))) {
			int seen = 0;
			if (!ends_ini(e->d_name))
				continue;
			for (size_t j = 0; j < n; j++) {
				const char *b = strrchr(list[j], '/');
				seen |= strcmp(b + 1, e->d_name) == 0;
			}
			if (!seen)
				push(&list, &n, x_asprintf("%s/%s", dirs[i], e->d_name));
		}
		closedir(dp);
	}
	scenario_free_list(dirs);
	if (!list)
		return x_calloc(1, sizeof *list);
	qsort(list, n, sizeof *list, by_base);
	return list;
}

char *scenario_find(const char *name_or_path)
{
	char **dirs;
	char *found = NULL;

	if (!name_or_path || !*name_or_path)
		return NULL;
	if (strchr(name_or_path, '/') || ends_ini(name_or_path))
		return x_strdup(name_or_path);
	dirs = scenario_dirs();
	for (size_t i = 0; dirs[i] && !found; i++) {
		char *p = x_asprintf("%s/%s.ini", dirs[i], name_or_path);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			found = p;
		else
			free(p);
	}
	scenario_free_list(dirs);
	return found;
}

void scenario_free_list(char **list)
{
	if (!list)
		return;
	for (size_t i = 0; list[i]; i++)
		free(list[i]);
	free(list);
}
