/* db/receive.h - the front desk (收件, schema/020): finding an item, its
 * guide and situations, receiving a walk-in in one call of hall.receive,
 * the notice it issued (its text for the printer), and what follows at the
 * counter: a 容缺 material supplied, a 告知承诺 checked.
 *
 * Results come as db_rows with the column numbers below; everything is
 * passed as parameters (the JSON hall.receive takes is built by the
 * database from them, never in C).  Same conventions as db/supervise.h. */
#ifndef HALLTERM_DB_RECEIVE_H
#define HALLTERM_DB_RECEIVE_H

#include "db/session.h"

typedef void (*receive_rows_fn)(void *ctx, db_rows *rows, const db_reply *reply);

/* hall.find_items: code, pinyin initials or part of the name; the
 * caller's windows only (a clerk). */
enum { RI_ID, RI_CODE, RI_NAME, RI_DEPT, RI_CATEGORY, RI_PROMISED, RI_LEGAL, RI_ONLINE, RI_INITIALS, RI_WINDOWS };
int receive_find_items(db_session *s, const char *query, int max_rows, receive_rows_fn fn, void *ctx);

/* One item's guide (hall.v_item_guides): one row. */
enum { RG_CODE, RG_NAME, RG_DEPT_NAME, RG_CATEGORY, RG_PROMISED, RG_LEGAL, RG_CONDITIONS, RG_FEE, RG_RESULT_PLACE,
       RG_BASIS };
int receive_guide(db_session *s, const char *item_code, receive_rows_fn fn, void *ctx);

/* Its situations and each one's materials, in order: one row a material
 * (hall.v_situation_materials). */
enum { RS_SITUATION, RS_SITUATION_NAME, RS_BY_AGENT, RS_MATERIAL, RS_MATERIAL_NAME, RS_REQUIRED, RS_MAY_DEFER,
       RS_MAY_COMMIT };
int receive_situations(db_session *s, const char *item_code, receive_rows_fn fn, void *ctx);

/* What hall.receive is told.  Empty strings are "not given". */
typedef struct receive_form {
	const char *item_code, *situation;
	const char *kind;                 /* person, entity */
	const char *name, *id_number, *phone, *legal_rep;
	const char *agent_name, *agent_id, *agent_phone, *agent_poa; /* agent_name "": none */
	const char *proxy_poa;            /* 代办: the clerk files as the agent */
	const int *material_ids;          /* the checklist */
	const char *const *marks;         /* original copy missing na deferred commitment */
	int nmaterials;
	const char *outcome;              /* accept incomplete refuse */
	const char *note;                 /* the legal reason when refusing */
	const char *channel;              /* window, or web/app for 帮办 */
	const char *green;                /* elderly disabled pregnant, "" none */
	int commitment_signed;            /* 承诺书 signed (容缺, 告知承诺) */
} receive_form;

/* One row, one column: the new case's id.  (Its notice is read with
 * receive_notice next: a statement does not see what a function it calls
 * wrote.) */
int receive_submit(db_session *s, const receive_form *f, receive_rows_fn fn, void *ctx);

/* The latest notice of a case, with its text as issued: id, number, kind,
 * issued (YYYY-MM-DD HH:MM), text, the case's number.  No row: none. */
enum { RN_ID, RN_NUMBER, RN_KIND, RN_ISSUED, RN_TEXT, RN_CASE_NO };
int receive_notice(db_session *s, long long app_id, receive_rows_fn fn, void *ctx);

/* What the front desk recorded about a case (hall.v_case_front and
 * hall.v_deferred), for the case screen: one row a 容缺 material (none:
 * one row with material NULL), each repeating the case's columns:
 * situation name, received by, assisted by (帮办), green channel, agent,
 * power of attorney, proxy (t: the clerk is the agent), notice number,
 * notice kind, check state, check due, check outcome; then material id,
 * material name, due, state (open supplied ended), days left, urgency. */
enum { RF_SITUATION, RF_RECEIVED_BY, RF_ASSISTED_BY, RF_GREEN, RF_AGENT, RF_POA, RF_PROXY, RF_NOTICE, RF_NOTICE_KIND,
       RF_CHECK_STATE, RF_CHECK_DUE, RF_CHECK_OUTCOME, RF_MATERIAL, RF_MATERIAL_NAME, RF_DUE, RF_STATE,
       RF_DAYS_LEFT, RF_URGENCY };
int receive_front(db_session *s, long long app_id, receive_rows_fn fn, void *ctx);

/* hall.front_desk_counts(month "YYYY-MM-01"): per clerk of the scope. */
enum { RD_STAFF, RD_LOGIN, RD_NAME, RD_DEPT, RD_RECEIVED, RD_ACCEPTED, RD_INCOMPLETE, RD_REFUSED, RD_ASSISTED,
       RD_PROXY, RD_AGENT, RD_GREEN, RD_DEFERRED, RD_COMMITMENT };
int receive_desk_counts(db_session *s, const char *month, receive_rows_fn fn, void *ctx);

int receive_supply_deferred(db_session *s, long long app_id, int material_id, db_reply_fn fn, void *ctx);
int receive_record_check(db_session *s, long long app_id, int truthful, const char *note, db_reply_fn fn, void *ctx);

#endif
