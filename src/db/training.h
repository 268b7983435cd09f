/* db/training.h - starting and ending a training exercise (schema/022).
 *
 * db_training_start() is one transaction: the scenario's clock worked out
 * on the server ("next_workday 08:55" by the database's calendar), then
 * hall.exercise_begin(), then what the scenario loads through the public's
 * functions only (hall.demo_submit, demo_ask, demo_rate: 012), made-up
 * applicants and questions drawn from the scenario's seed.  Refused as a
 * whole (nothing loaded, no exercise) on anything but a demo database, by
 * anyone but a trainer or the superuser, or when an exercise runs already.
 *
 * libpq only, blocking: hallctl calls it, and the training room screen from
 * a child process (it takes a second or two).
 */
#ifndef HALLTERM_DB_TRAINING_H
#define HALLTERM_DB_TRAINING_H

#include <stddef.h>
#include <libpq-fe.h>

#include "common/scenario.h"

typedef struct db_training_loaded {
	int exercise;      /* hall.exercises.id */
	char clock[64];    /* the training clock after the start, "YYYY-MM-DD HH:MM" (Asia/Shanghai) */
	long submitted;    /* walk-ins and online cases */
	long asked;        /* questions, misdirected ones included */
	long misdirected;
	long rated;        /* bad ratings */
} db_training_loaded;

/* Start the scenario: returns the exercise's id, or -1 with one sentence in
 * err (the refusal's Chinese sentence when the database refused with a
 * reason, else the database's message). */
int db_training_start(PGconn *pg, const scenario *s, char *err, size_t errlen);

/* The same, telling what was loaded (out may be NULL). */
int db_training_start_ex(PGconn *pg, const scenario *s, db_training_loaded *out, char *err, size_t errlen);

/* End the running exercise (hall.exercise_end): 0, or -1 with err. */
int db_training_end(PGconn *pg, char *err, size_t errlen);

#endif
