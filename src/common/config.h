/* config.h - hallterm.ini: one schema table, full validation.
 *
 * Every known key is a row of one table (config.c) with its type, range,
 * default and a one-line doc; config_keys() exposes it for docs and tests.
 * config_load() either returns a complete, validated configuration or NULL
 * with a message "FILE:LINE: [section] key: problem" - never a half-read
 * one.  Unknown sections or keys, duplicate keys and bad values are errors,
 * so a typo can't silently fall back to a default.
 *
 * The accessors take a section and key that must be in the table and of a
 * matching type; anything else is a programming error and ends the program
 * through x_fatal(), so a misspelt name shows up the first time it runs.
 */
#ifndef HALLTERM_CONFIG_H
#define HALLTERM_CONFIG_H

#include <stddef.h>

typedef enum config_type {
	CONFIG_STRING, /* any text without control characters */
	CONFIG_INT,    /* decimal integer in [min, max] */
	CONFIG_BOOL,   /* true/false yes/no on/off 1/0 (any case) */
	CONFIG_ENUM,   /* one of `choices` (any case; stored as in the table) */
	CONFIG_COLOR,  /* default, black, red, green, yellow, blue, magenta,
	                  cyan, white, bright-<colour>, or color0..color255 */
	CONFIG_TIME,   /* "HH:MM", 00:00-23:59 */
	CONFIG_URL,    /* http:// or https:// with a host, or empty */
	CONFIG_PATH,   /* absolute, or "~/..." (expanded from $HOME), or empty */
} config_type;

typedef struct config_key {
	const char *section;
	const char *name;
	config_type type;
	const char *def;             /* default, written as in the file */
	long min, max;               /* CONFIG_INT only */
	const char *const *choices;  /* CONFIG_ENUM only, NULL-terminated */
	const char *doc;             /* one line, English, marked N_() */
} config_key;

typedef struct config config;

/* The schema table, in file order; *n receives its length. */
const config_key *config_keys(size_t *n);

/* Load and validate path.  path == NULL gives all defaults.  On error
 * returns NULL and writes a one-line message into err (if errlen > 0). */
config *config_load(const char *path, char *err, size_t errlen);
void config_free(config *c);

/* Any type: the value as text (ints in decimal, bools "true"/"false",
 * enums as spelt in the table, paths with "~" expanded).  Owned by c. */
const char *config_str(const config *c, const char *section, const char *key);
/* CONFIG_INT. */
long config_int(const config *c, const char *section, const char *key);
/* CONFIG_BOOL: 1 or 0. */
int config_bool(const config *c, const char *section, const char *key);
/* CONFIG_TIME: minutes after midnight (0..1439). */
int config_time(const config *c, const char *section, const char *key);

/* The first existing file of $XDG_CONFIG_HOME/hallterm/hallterm.ini (or
 * $HOME/.config/hallterm/hallterm.ini) and /etc/hallterm/hallterm.ini,
 * written into buf; returns buf, or NULL if none exists (or fits in n). */
const char *config_find(char *buf, size_t n);

#endif
