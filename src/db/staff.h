/* db/staff.h - who is logged in, their windows, the demo accounts, the
 * departments.  Same conventions as db/cases.h. */
#ifndef HALLTERM_DB_STAFF_H
#define HALLTERM_DB_STAFF_H

#include "db/session.h"

/* The logged-in staff member, and what the database says about itself. */
typedef struct staff_me {
	int id;
	const char *login, *name;
	const char *kind;            /* clerk supervisor trainer admin */
	const char *department_code, *department_name;
	const char *mode;            /* production demo test */
	const char *today;           /* hall.today(): the database's date */
	int warn_days;
	/* The windows whose queue this person reads: a clerk's own, a
	 * supervisor's department's, every window for the trainer. */
	const char **windows;
	const char **window_names;
	int nwindows;
	db_rows *store_;
} staff_me;

void staff_me_free(staff_me *me);
/* me is NULL on error (the caller is not a staff member: the database
 * says so in reply->error). */
typedef void (*staff_me_fn)(void *ctx, staff_me *me, const db_reply *reply);
int staff_load_me(db_session *s, staff_me_fn fn, void *ctx);

/* The demo accounts, listed on the login screen of a demo database
 * (hall.demo_accounts(), empty anywhere else). */
typedef struct staff_account {
	const char *login, *name, *kind, *windows;
} staff_account;

typedef struct staff_accounts {
	staff_account *rows;
	int n;
	db_rows *store_;
} staff_accounts;

void staff_accounts_free(staff_accounts *a);
typedef void (*staff_accounts_fn)(void *ctx, staff_accounts *a, const db_reply *reply);
int staff_demo_accounts(db_session *s, staff_accounts_fn fn, void *ctx);

/* The demo database's guest login (made by `hallctl demo`, demo databases
 * only): it can do nothing but call hall.demo_accounts(), and its password
 * is public, so the login screen can list the training accounts before
 * anybody has logged in. */
#define STAFF_DEMO_GUEST "hall_demo_guest"
#define STAFF_DEMO_GUEST_PASSWORD "guest"

/* Blocking: connect as the guest with conninfo, read the training
 * accounts, disconnect.  NULL when that is not possible or there are none
 * (not a demo database, no guest, server down). */
staff_accounts *staff_demo_accounts_guest(const char *conninfo, int connect_timeout);

/* Departments (for transferring an inquiry). */
typedef struct staff_department {
	const char *code, *name;
} staff_department;

typedef struct staff_departments {
	staff_department *rows;
	int n;
	db_rows *store_;
} staff_departments;

void staff_departments_free(staff_departments *d);
typedef void (*staff_departments_fn)(void *ctx, staff_departments *d, const db_reply *reply);
int staff_departments_load(db_session *s, staff_departments_fn fn, void *ctx);

#endif
