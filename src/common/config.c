/* config.c - the hallterm.ini schema, loader and validation.
 *
 * iniparser reads the values (quoting, inline comments, continuation
 * lines), but it reports no line numbers, silently keeps the last of two
 * duplicate keys and accepts any name.  So the file is first read by a
 * small line scanner that finds every section and key with its line,
 * rejects syntax errors, unknown names and duplicates; values are then
 * fetched from iniparser and checked against the table.
 */
#include "common/config.h"

#include <ctype.h>
#include <errno.h>
#include <iniparser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"

static const char *const colors_choices[] = { "auto", "never", "always", NULL };
static const char *const theme_choices[] = { "default", "mono", NULL };

#define STRING(sec, key, def, doc) \
	{ sec, key, CONFIG_STRING, def, 0, 0, NULL, doc }
#define INT(sec, key, def, lo, hi, doc) \
	{ sec, key, CONFIG_INT, def, lo, hi, NULL, doc }
#define TYPED(sec, key, type, def, doc) \
	{ sec, key, type, def, 0, 0, NULL, doc }
#define ENUM(sec, key, choices, def, doc) \
	{ sec, key, CONFIG_ENUM, def, 0, 0, choices, doc }

/* The one table of settings.  New keys go here; etc/hallterm.ini and
 * tests/unit/test_config.c list every row. */
static const config_key keys[] = {
	STRING("database", "dsn", "",
	       N_("libpq connection string, e.g. \"host=db dbname=hall\"")),
	STRING("database", "service", "",
	       N_("pg_service.conf service name, used when dsn is empty")),
	INT("database", "connect_timeout", "10", 1, 120,
	    N_("seconds to wait for the database to answer a connection")),
	INT("database", "reconnect_max_seconds", "30", 1, 3600,
	    N_("longest pause between reconnection attempts, in seconds")),
	STRING("database", "report_dsn", "",
	       N_("libpq connection string of a streaming standby for the supervisors' figures and exports; empty: the primary")),
	INT("database", "report_max_lag", "5", 1, 86400,
	    N_("seconds the standby may be behind before the screens say so")),
	INT("database", "report_fallback_lag", "60", 0, 86400,
	    N_("seconds behind after which the figures are read from the primary instead; 0: never")),

	ENUM("ui", "colors", colors_choices, "auto",
	     N_("use colours: auto (terminal and NO_COLOR decide), never, always")),
	TYPED("ui", "mouse", CONFIG_BOOL, "true",
	      N_("mouse clicks and wheel (off keeps the terminal's copy and paste)")),
	INT("ui", "warn_days", "1", 0, 30,
	    N_("highlight cases due within this many days")),
	ENUM("ui", "theme", theme_choices, "default",
	     N_("colour scheme: default or mono")),
	INT("ui", "refresh_ms", "1000", 100, 60000,
	    N_("how often open lists are refreshed, in milliseconds")),
	STRING("ui", "locale", "",
	       N_("message language, e.g. zh_CN.UTF-8; empty follows the environment")),

	STRING("display", "dsn", "",
	       N_("hallterm --display: libpq connection string of the hall display (a login in hall_display); --dsn wins")),
	STRING("display", "lines", "",
	       N_("hallterm --display: the ticket lines shown, e.g. A,B; empty: every line (an argument wins)")),
	INT("display", "highlight_seconds", "8", 1, 120,
	    N_("hallterm --display: seconds a new call stays highlighted")),

	STRING("pad", "dsn", "",
	       N_("hallterm --pad: libpq connection string of the counter's rating pad (a login in hall_pad); --dsn wins")),
	INT("pad", "thanks_seconds", "5", 1, 120,
	    N_("hallterm --pad: seconds the thanks stay on the pad after a rating")),

	TYPED("drafts", "dir", CONFIG_PATH, "",
	      N_("where reply drafts are kept; empty means $XDG_STATE_HOME/hallterm")),
	INT("drafts", "autosave_seconds", "5", 1, 600,
	    N_("seconds between automatic saves of an open draft")),

	STRING("print", "printer", "",
	       N_("CUPS queue for notices (lpstat -p lists them); empty uses the system's default printer")),

	TYPED("notify", "url", CONFIG_URL, "",
	      N_("SMS/app gateway endpoint (http or https); hallctl notify requires it")),
	INT("notify", "connect_timeout_ms", "5000", 100, 120000,
	    N_("milliseconds to wait for a connection to the service")),
	INT("notify", "timeout_ms", "15000", 100, 600000,
	    N_("milliseconds allowed for one whole request")),
	INT("notify", "max_attempts", "8", 1, 100,
	    N_("attempts before a notification is marked failed")),
	INT("notify", "batch", "50", 1, 1000,
	    N_("notifications claimed from the queue at a time")),
	INT("notify", "in_flight", "64", 1, 256,
	    N_("requests sent in parallel")),
	INT("notify", "backoff_base_ms", "1000", 10, 600000,
	    N_("first retry delay in milliseconds; doubles on each attempt")),
	INT("notify", "backoff_max_ms", "600000", 100, 86400000,
	    N_("longest retry delay in milliseconds")),
	INT("notify", "lease_seconds", "60", 5, 3600,
	    N_("seconds a claimed notification stays reserved for this sender")),
	TYPED("notify", "quiet_start", CONFIG_TIME, "21:00",
	      N_("SMS quiet hours start (HH:MM, Asia/Shanghai); must match the database setting, which decides")),
	TYPED("notify", "quiet_end", CONFIG_TIME, "08:00",
	      N_("SMS quiet hours end (HH:MM, Asia/Shanghai); hallctl notify warns when they differ")),
	STRING("notify", "bearer_token", "",
	       N_("sent as \"Authorization: Bearer ...\"; keep the file private")),
	TYPED("notify", "client_cert", CONFIG_PATH, "",
	      N_("client certificate (PEM) for mutual TLS")),
	TYPED("notify", "client_key", CONFIG_PATH, "",
	      N_("private key (PEM) for client_cert")),
	TYPED("notify", "ca_file", CONFIG_PATH, "",
	      N_("CA bundle to verify the service; empty uses the system store")),
	TYPED("notify", "insecure", CONFIG_BOOL, "false",
	      N_("skip TLS certificate checks (testing only)")),
};

#define NKEYS (sizeof keys / sizeof keys[0])

/* iniparser copies lines into 1024-byte buffers and fails on longer ones;
 * stay well inside that and say so clearly. */
#define MAX_LINE 1000

struct config_value {
	char *text; /* normalised text, always set */
	long num;   /* int value, bool 0/1, time in minutes */
};

struct config {
	struct config_value v[NKEYS];
};

const config_key *config_keys(size_t *n)
{
	if (n)
		*n = NKEYS;
	return keys;
}

/* Format into err; if it had to be cut, cut at a character boundary so
 * the screen never gets half a UTF-8 sequence. */
__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int r;
	size_t n, i, need;
	unsigned char lead;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	r = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (r < 0) {
		err[0] = '\0';
		return;
	}
	if ((size_t)r < errlen)
		return;
	n = strlen(err);
	i = n;
	while (i > 0 && ((unsigned char)err[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	lead = (unsigned char)err[i - 1];
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (n - (i - 1) < need)
		err[i - 1] = '\0';
}

/* User text quoted in a message: made visible and kept short. */
static char *quote(const char *s)
{
	return text_fit(s, 60, TEXT_TAB_SPACE);
}

static const config_key *find_key(const char *section, const char *name,
				  size_t *index)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name)) {
			if (index)
				*index = i;
			return &keys[i];
		}
	}
	return NULL;
}

static int known_section(const char *section)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section))
			return 1;
	return 0;
}

/* Edit distance, for "did you mean"; names are short. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t *row, result;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	row = x_calloc(lb + 1, sizeof *row);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	result = row[lb];
	free(row);
	return result;
}

static const char *suggest(const char *section, const char *name)
{
	const char *best = NULL;
	size_t i, bestd = 3; /* only close misspellings */

	for (i = 0; i < NKEYS; i++) {
		size_t d;

		if (strcmp(keys[i].section, section))
			continue;
		d = distance(keys[i].name, name);
		if (d < bestd) {
			bestd = d;
			best = keys[i].name;
		}
	}
	return best;
}

static int is_color(const char *v)
{
	static const char *const base[] = {
		"black", "red", "green", "yellow", "blue", "magenta", "cyan",
		"white", NULL,
	};
	const char *p = v;
	size_t i;

	if (!strcasecmp(v, "default"))
		return 1;
	if (!strncasecmp(v, "color", 5) && v[5]) {
		char *end;
		long n;

		if (!isdigit((unsigned char)v[5]))
			return 0;
		errno = 0;
		n = strtol(v + 5, &end, 10);
		return !*end && !errno && n >= 0 && n <= 255;
	}
	if (!strncasecmp(p, "bright-", 7))
		p += 7;
	for (i = 0; base[i]; i++)
		if (!strcasecmp(p, base[i]))
			return 1;
	return 0;
}

static int is_url(const char *v)
{
	const char *host;
	size_t i, hostlen;

	if (!strncasecmp(v, "http://", 7))
		host = v + 7;
	else if (!strncasecmp(v, "https://", 8))
		host = v + 8;
	else
		return 0;
	for (i = 0; v[i]; i++) {
		unsigned char c = (unsigned char)v[i];

		/* Non-ASCII hosts and paths must be punycode / %-encoded. */
		if (c <= 0x20 || c >= 0x7F)
			return 0;
	}
	hostlen = strcspn(host, "/?#");
	return hostlen > 0 && host[0] != ':' && host[0] != '@';
}

/* Check raw against k.  On success store the normalised text and number;
 * on failure write the problem (no prefix) into why. */
static int parse_value(const config_key *k, const char *raw,
		       struct config_value *out, char *why, size_t whylen)
{
	char *q = NULL;
	size_t i;
	int ok = 0;

	out->text = NULL;
	out->num = 0;

	switch (k->type) {
	case CONFIG_INT: {
		char *end;
		long n;

		errno = 0;
		n = strtol(raw, &end, 10);
		if (*raw && !isspace((unsigned char)*raw) && !*end && !errno &&
		    n >= k->min && n <= k->max) {
			out->num = n;
			out->text = x_asprintf("%ld", n);
			return 0;
		}
		q = quote(raw);
		set_err(why, whylen, _("expected an integer from %ld to %ld, got \"%s\""),
			k->min, k->max, q);
		break;
	}
	case CONFIG_BOOL: {
		static const char *const yes[] = { "true", "yes", "on", "1", NULL };
		static const char *const no[] = { "false", "no", "off", "0", NULL };

		for (i = 0; yes[i]; i++) {
			if (!strcasecmp(raw, yes[i])) {
				out->num = 1;
				out->text = x_strdup("true");
				return 0;
			}
			if (!strcasecmp(raw, no[i])) {
				out->text = x_strdup("false");
				return 0;
			}
		}
		q = quote(raw);
		set_err(why, whylen, _("expected true/false, yes/no, on/off or 1/0, got \"%s\""), q);
		break;
	}
	case CONFIG_ENUM: {
		char list[256] = "";

		for (i = 0; k->choices[i]; i++) {
			if (!strcasecmp(raw, k->choices[i])) {
				out->num = (long)i;
				out->text = x_strdup(k->choices[i]);
				return 0;
			}
		}
		for (i = 0; k->choices[i]; i++) {
			if (i)
				strncat(list, ", ", sizeof list - strlen(list) - 1);
			strncat(list, k->choices[i], sizeof list - strlen(list) - 1);
		}
		q = quote(raw);
		set_err(why, whylen, _("expected one of %s, got \"%s\""), list, q);
		break;
	}
	case CONFIG_COLOR:
		if (is_color(raw)) {
			out->text = x_strdup(raw);
			for (i = 0; out->text[i]; i++)
				out->text[i] = (char)tolower((unsigned char)out->text[i]);
			return 0;
		}
		q = quote(raw);
		set_err(why, whylen, _("expected a colour name (default, red, bright-blue, color0..color255, ...), got \"%s\""), q);
		break;
	case CONFIG_TIME:
		if (strlen(raw) == 5 && isdigit((unsigned char)raw[0]) &&
		    isdigit((unsigned char)raw[1]) && raw[2] == ':' &&
		    isdigit((unsigned char)raw[3]) && isdigit((unsigned char)raw[4])) {
			int h = (raw[0] - '0') * 10 + (raw[1] - '0');
			int m = (raw[3] - '0') * 10 + (raw[4] - '0');

			if (h < 24 && m < 60) {
				out->num = h * 60 + m;
				out->text = x_strdup(raw);
				return 0;
			}
		}
		q = quote(raw);
		set_err(why, whylen, _("expected a time HH:MM from 00:00 to 23:59, got \"%s\""), q);
		break;
	case CONFIG_URL:
		if (!*raw || is_url(raw)) {
			out->text = x_strdup(raw);
			return 0;
		}
		q = quote(raw);
		set_err(why, whylen, _("expected an http:// or https:// URL with a host, got \"%s\""), q);
		break;
	case CONFIG_STRING:
	case CONFIG_PATH: {
		char *clean = text_sanitize(raw, 0);

		ok = !strcmp(clean, raw);
		free(clean);
		if (!ok) {
			q = quote(raw);
			set_err(why, whylen, _("contains control characters or invalid UTF-8: \"%s\""), q);
			break;
		}
		if (k->type == CONFIG_STRING || !*raw || raw[0] == '/') {
			out->text = x_strdup(raw);
			return 0;
		}
		if (raw[0] == '~' && (raw[1] == '/' || !raw[1])) {
			const char *home = getenv("HOME");

			if (home && home[0] == '/') {
				out->text = x_asprintf("%s%s", home, raw + 1);
				return 0;
			}
			set_err(why, whylen, _("\"~\" needs $HOME to be set"));
			break;
		}
		q = quote(raw);
		set_err(why, whylen, _("expected an absolute path or ~/..., got \"%s\""), q);
		break;
	}
	}
	free(q);
	return -1;
}

void config_free(config *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < NKEYS; i++)
		free(c->v[i].text);
	free(c);
}

/* One scanned line: where each known key was set, for duplicates and for
 * the line number of a bad value. */
struct scan {
	const char *file;   /* as given, for fopen */
	const char *path;   /* sanitised, for messages */
	char *err;
	size_t errlen;
	int line_of[NKEYS]; /* 0 = not in the file */
};

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	return s;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Check one logical line (continuations already joined).  section holds
 * the current section name (lower case), "" before the first one. */
static int scan_line(struct scan *sc, int lineno, char *text, char **section)
{
	char *line = trim(text), *eq, *q = NULL, *q2 = NULL;
	size_t idx;
	int rc = -1;

	if (!*line || line[0] == '#' || line[0] == ';')
		return 0;

	if (line[0] == '[') {
		char *name;
		size_t len = strlen(line);

		if (line[len - 1] != ']') {
			set_err(sc->err, sc->errlen, _("%s:%d: syntax error: section header without a closing \"]\""),
				sc->path, lineno);
			return -1;
		}
		line[len - 1] = '\0';
		name = trim(line + 1);
		if (!*name) {
			set_err(sc->err, sc->errlen, _("%s:%d: syntax error: empty section name"),
				sc->path, lineno);
			return -1;
		}
		lower(name);
		if (!known_section(name)) {
			q = quote(name);
			set_err(sc->err, sc->errlen, _("%s:%d: [%s]: unknown section"),
				sc->path, lineno, q);
			free(q);
			return -1;
		}
		free(*section);
		*section = x_strdup(name);
		return 0;
	}

	eq = strchr(line, '=');
	if (!eq) {
		set_err(sc->err, sc->errlen, _("%s:%d: syntax error: expected [section], key = value or a comment"),
			sc->path, lineno);
		return -1;
	}
	*eq = '\0';
	line = trim(line);
	if (!*line) {
		set_err(sc->err, sc->errlen, _("%s:%d: syntax error: missing key name before \"=\""),
			sc->path, lineno);
		return -1;
	}
	lower(line);
	q = quote(line);
	if (!**section) {
		set_err(sc->err, sc->errlen, _("%s:%d: %s: key outside any [section]"),
			sc->path, lineno, q);
		goto out;
	}
	q2 = quote(*section);
	if (!find_key(*section, line, &idx)) {
		const char *hint = suggest(*section, line);

		if (hint)
			set_err(sc->err, sc->errlen, _("%s:%d: [%s] %s: unknown key (did you mean \"%s\"?)"),
				sc->path, lineno, q2, q, hint);
		else
			set_err(sc->err, sc->errlen, _("%s:%d: [%s] %s: unknown key"),
				sc->path, lineno, q2, q);
		goto out;
	}
	if (sc->line_of[idx]) {
		set_err(sc->err, sc->errlen, _("%s:%d: [%s] %s: duplicate key (first set on line %d)"),
			sc->path, lineno, q2, q, sc->line_of[idx]);
		goto out;
	}
	sc->line_of[idx] = lineno;
	rc = 0;
out:
	free(q);
	free(q2);
	return rc;
}

/* Read path line by line the way iniparser does (a trailing backslash
 * joins the next line) and check its structure. */
static int scan_file(struct scan *sc)
{
	FILE *f;
	char *buf = NULL, *logical = NULL, *section = x_strdup("");
	size_t cap = 0, loglen = 0;
	ssize_t n;
	int lineno = 0, first = 0, rc = 0;
	const char *qpath = sc->path;

	f = fopen(sc->file, "r");
	if (!f) {
		set_err(sc->err, sc->errlen, "%s: %s", qpath, strerror(errno));
		free(section);
		return -1;
	}
	errno = 0;
	while ((n = getline(&buf, &cap, f)) != -1) {
		size_t len = (size_t)n;

		lineno++;
		if (!logical)
			first = lineno;
		if (memchr(buf, '\0', len)) {
			set_err(sc->err, sc->errlen, _("%s:%d: syntax error: NUL byte in the file"),
				qpath, lineno);
			rc = -1;
			break;
		}
		if (loglen + len > MAX_LINE) {
			set_err(sc->err, sc->errlen, _("%s:%d: line too long (more than %d bytes)"),
				qpath, first, MAX_LINE);
			rc = -1;
			break;
		}
		while (len > 0 && isspace((unsigned char)buf[len - 1]))
			len--;
		logical = x_realloc(logical, loglen + len + 1);
		memcpy(logical + loglen, buf, len);
		loglen += len;
		logical[loglen] = '\0';
		if (loglen > 0 && logical[loglen - 1] == '\\') {
			loglen--; /* iniparser drops the backslash and joins */
			continue;
		}
		rc = scan_line(sc, first, logical, &section);
		free(logical);
		logical = NULL;
		loglen = 0;
		if (rc)
			break;
		errno = 0;
	}
	if (!rc && ferror(f)) {
		/* A directory opens fine and fails here with EISDIR. */
		set_err(sc->err, sc->errlen, "%s: %s", qpath,
			strerror(errno ? errno : EIO));
		rc = -1;
	}
	if (!rc && logical) {
		set_err(sc->err, sc->errlen, _("%s:%d: syntax error: \"\\\" continues past the end of the file"),
			qpath, first);
		rc = -1;
	}
	fclose(f);
	free(buf);
	free(logical);
	free(section);
	return rc;
}

/* iniparser prints its own complaints to stderr, which is the screen
 * while curses runs; the scanner reports everything it would. */
static int quiet(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

config *config_load(const char *path, char *err, size_t errlen)
{
	struct scan sc;
	dictionary *d = NULL;
	config *c = NULL;
	char why[512];
	char *qpath = NULL;
	size_t i;

	if (err && errlen)
		err[0] = '\0';
	memset(&sc, 0, sizeof sc);
	if (path) {
		/* Sanitised but never cut: the user needs the whole path. */
		qpath = text_sanitize(path, 0);
		sc.file = path;
		sc.path = qpath;
		sc.err = err;
		sc.errlen = errlen;
		if (scan_file(&sc))
			goto fail;
		iniparser_set_error_callback(quiet);
		d = iniparser_load(path);
		if (!d) {
			set_err(err, errlen, _("%s: could not be parsed"), qpath);
			goto fail;
		}
	}

	c = x_calloc(1, sizeof *c);
	for (i = 0; i < NKEYS; i++) {
		const config_key *k = &keys[i];
		const char *raw = k->def;
		char *ikey;

		if (sc.line_of[i]) {
			ikey = x_asprintf("%s:%s", k->section, k->name);
			raw = iniparser_getstring(d, ikey, NULL);
			free(ikey);
			if (!raw) {
				set_err(err, errlen, _("%s:%d: [%s] %s: could not be read"),
					qpath, sc.line_of[i], k->section, k->name);
				goto fail;
			}
		}
		if (parse_value(k, raw, &c->v[i], why, sizeof why) == 0)
			continue;
		if (!sc.line_of[i])
			x_fatal("config: default of [%s] %s is invalid: %s",
				k->section, k->name, why);
		set_err(err, errlen, "%s:%d: [%s] %s: %s", qpath,
			sc.line_of[i], k->section, k->name, why);
		goto fail;
	}
	if (d)
		iniparser_freedict(d);
	free(qpath);
	return c;
fail:
	if (d)
		iniparser_freedict(d);
	config_free(c);
	free(qpath);
	return NULL;
}

static size_t lookup(const char *section, const char *key, config_type type,
		     int any_type)
{
	size_t idx;
	const config_key *k = find_key(section, key, &idx);

	if (!k)
		x_fatal("config: no key [%s] %s in the table", section, key);
	if (!any_type && k->type != type)
		x_fatal("config: [%s] %s read with the wrong type", section, key);
	return idx;
}

const char *config_str(const config *c, const char *section, const char *key)
{
	return c->v[lookup(section, key, CONFIG_STRING, 1)].text;
}

long config_int(const config *c, const char *section, const char *key)
{
	return c->v[lookup(section, key, CONFIG_INT, 0)].num;
}

int config_bool(const config *c, const char *section, const char *key)
{
	return (int)c->v[lookup(section, key, CONFIG_BOOL, 0)].num;
}

int config_time(const config *c, const char *section, const char *key)
{
	return (int)c->v[lookup(section, key, CONFIG_TIME, 0)].num;
}

static const char *existing(char *buf, size_t n, const char *fmt,
			    const char *dir)
{
	struct stat st;
	int r = snprintf(buf, n, fmt, dir);

	if (r < 0 || (size_t)r >= n)
		return NULL;
	/* Existing, not readable: return it anyway, so the user gets
	 * "Permission denied" instead of a silent fall-back to /etc. */
	if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
		return buf;
	return NULL;
}

const char *config_find(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (!buf || n == 0)
		return NULL;
	/* The XDG spec says to ignore a relative XDG_CONFIG_HOME. */
	if (xdg && xdg[0] == '/') {
		if (existing(buf, n, "%s/hallterm/hallterm.ini", xdg))
			return buf;
	} else if (home && home[0] == '/') {
		if (existing(buf, n, "%s/.config/hallterm/hallterm.ini", home))
			return buf;
	}
	if (existing(buf, n, "%s", "/etc/hallterm/hallterm.ini"))
		return buf;
	buf[0] = '\0';
	return NULL;
}
