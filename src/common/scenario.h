/* common/scenario.h - a training exercise's scenario file (doc/scenarios.md).
 *
 * A scenario is an INI file a trainer can copy and edit (etc/scenarios/,
 * installed under DATADIR/scenarios): [scenario] its title and the moment
 * the training clock is set to, [load] what the public brings at the start
 * (walk-ins, online cases, questions, bad ratings), [simulate] how busy the
 * public keeps the hall afterwards (`hallctl simulate --profile`).  Read with
 * iniparser into a struct; no SQL here (db/training.h starts it).
 *
 * Unknown sections or keys and bad values are errors ("FILE: [section] key:
 * problem"), so a typo never falls back to a default silently.
 */
#ifndef HALLTERM_SCENARIO_H
#define HALLTERM_SCENARIO_H

#include <stddef.h>

/* The public's actions of `hallctl simulate`, in its order. */
enum { SCENARIO_SUBMIT, SCENARIO_ASK, SCENARIO_RESUBMIT, SCENARIO_RATE, SCENARIO_WITHDRAW, SCENARIO_NACT };
extern const char *const scenario_act_names[SCENARIO_NACT];

#define SCENARIO_LOAD_MAX 500    /* cases, questions or ratings loaded at the start, each */
#define SCENARIO_RATE_MAX 60000  /* simulate: actions a minute */
#define SCENARIO_MINUTES_MAX 1440
#define SCENARIO_WEIGHT_MAX 1000000L

typedef struct scenario {
	char *name;        /* the file's name without .ini: one-time-notice */
	char *path;        /* the file read */
	char *title;       /* [scenario] title: 一次性告知 */
	char *summary;     /* [scenario] summary: one line for the trainer (may be "") */
	char *clock;       /* [scenario] clock: "" (leave the clock), "today HH:MM",
	                      "next_workday HH:MM" or a timestamp ("2026-09-30 15:00+08") */
	/* [load] */
	long walk_ins;     /* cases submitted at the window */
	long online;       /* cases submitted on the web or the app */
	char *items;       /* "any", "most_materials" or item codes separated by spaces or commas */
	long asks;         /* questions to the right department */
	long misdirected;  /* questions sent to a department that does not handle them */
	long bad_ratings;  /* completed cases rated 1 or 2 with a comment */
	unsigned long seed;
	/* [simulate] */
	long rate;         /* actions a minute; 0: as fast as possible */
	long minutes;      /* 0: until stopped */
	long mix[SCENARIO_NACT];
} scenario;

/* Parse "submit=60,ask=20": names from scenario_act_names, each at most
 * once, weights 0..SCENARIO_WEIGHT_MAX, not all 0; names left out weigh 0.
 * Returns 0, or -1 with the problem in err. */
int scenario_parse_mix(const char *spec, long weights[SCENARIO_NACT], char *err, size_t errlen);

/* Read a scenario file.  NULL with "PATH: [section] key: problem" in err. */
scenario *scenario_load(const char *path, char *err, size_t errlen);
void scenario_free(scenario *s);

/* Where scenarios are looked for, first wins for a name: $HALLTERM_SCENARIOS
 * (one directory), ~/.config/hallterm/scenarios, SCENARIODIR (installed),
 * then ./etc/scenarios and the etc/scenarios of the source tree the running
 * program was built in (build/hallterm run from elsewhere).  Returns a new
 * NULL-terminated array of the existing ones' paths (free with
 * scenario_free_list). */
char **scenario_dirs(void);

/* Every scenario file in those directories (*.ini), one per name (the
 * first directory's wins), sorted by name: a new NULL-terminated array of
 * paths (free with scenario_free_list). */
char **scenario_list(void);

/* A name (one-time-notice) or a path (anything with a '/' or ending in
 * .ini): the file to read, new string, or NULL if no scenario has that name. */
char *scenario_find(const char *name_or_path);

void scenario_free_list(char **list);

#endif
