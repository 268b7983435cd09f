/* screens/casefront.h - what the case screen adds about the front desk
 * (schema/020): how the case was received (the situation, by whom, 帮办,
 * 代办 or an agent, the green channel, its notice), the 容缺 materials
 * still owed with their deadline, and the 告知承诺 check; two keys: b
 * records a 容缺 material brought (hall.supply_deferred), k records the
 * check (hall.record_check: true, or false with the finding, which ends
 * the case).  Embedded like supx.h: the owner calls casefront_load() with
 * its reloads, casefront_lines() when it builds its text, the key
 * functions from its handlers; after an action, reload(owner). */
#ifndef HALLTERM_SCREENS_CASEFRONT_H
#define HALLTERM_SCREENS_CASEFRONT_H

#include "db/session.h"
#include "screens/view.h"

typedef struct casefront {
	long long id;
	db_rows *rows;           /* db/receive.h receive_front */
	int changed;             /* rows arrived: the owner rebuilds its text and clears it */
	void (*reload)(void *owner);
	void *owner;
} casefront;

void casefront_init(casefront *f, long long id, void (*reload)(void *owner), void *owner);
void casefront_load(casefront *f);
void casefront_lines(const casefront *f, view *v);
int casefront_available(const casefront *f, int cmd);
/* Returns UI_* flags, or UI_UNHANDLED for a command that is not its own. */
int casefront_key(casefront *f, int cmd);
void casefront_free(casefront *f);

#endif
