/* db/receive.c - the front desk's queries; see receive.h. */
#include "db/receive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

static void rows_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	receive_rows_fn fn = (receive_rows_fn)any;

	fn(ctx, reply->status == DB_OK ? db_reply_take(reply) : NULL, reply);
}

int receive_find_items(db_session *s, const char *query, int max_rows, receive_rows_fn fn, void *ctx)
{
	char n[16];
	const char *p[2] = { query ? query : "", n };

	snprintf(n, sizeof n, "%d", max_rows > 0 ? max_rows : 30);
	return db_session_call(s,
		"SELECT item_id, code, name, department_code, category, promised_days, legal_days, online, initials,"
		"       array_to_string(windows, ' ')"
		"  FROM hall.find_items($1, $2::int)",
		2, p, rows_adapt, (db_any_fn)fn, ctx);
}

int receive_guide(db_session *s, const char *item_code, receive_rows_fn fn, void *ctx)
{
	const char *p[1] = { item_code };

	return db_session_call(s,
		"SELECT code, name, department_name, category, promised_days, legal_days, coalesce(conditions, ''),"
		"       coalesce(fee, ''), coalesce(result_place, ''), coalesce(basis, '')"
		"  FROM hall.v_item_guides WHERE code = $1",
		1, p, rows_adapt, (db_any_fn)fn, ctx);
}

int receive_situations(db_session *s, const char *item_code, receive_rows_fn fn, void *ctx)
{
	const char *p[1] = { item_code };

	return db_session_call(s,
		"SELECT m.situation, m.situation_name, m.by_agent, m.material_id, m.name, m.required, m.may_defer,"
		"       m.may_commit"
		"  FROM hall.v_situation_materials m JOIN hall.v_situations v ON v.situation_id = m.situation_id"
		" WHERE m.item_code = $1 ORDER BY v.ord, v.situation_id, m.ord, m.material_id",
		1, p, rows_adapt, (db_any_fn)fn, ctx);
}

/* A PostgreSQL array literal of the checklist: {"1","2"}.  Ids are
 * numbers and marks are from a fixed list, so nothing needs quoting
 * beyond the quotes themselves. */
static char *array_text(int n, const int *ids, const char *const *words)
{
	size_t cap = 16 + (size_t)n * 24, len = 0;
	char *out = x_malloc(cap);

	out[len++] = '{';
	for (int i = 0; i < n; i++) {
		int w = ids ? snprintf(out + len, cap - len, "%s%d", i ? "," : "", ids[i])
		            : snprintf(out + len, cap - len, "%s\"%s\"", i ? "," : "", words[i]);
		len += (size_t)w;
	}
	out[len++] = '}';
	out[len] = '\0';
	return out;
}

int receive_submit(db_session *s, const receive_form *f, receive_rows_fn fn, void *ctx)
{
	/* The JSON objects are built by the database from parameters: jsonb_
	 * build_object quotes them, and empty means "not given". */
	static const char sql[] =
		"SELECT hall.receive($1, $2,"
		"    jsonb_build_object('kind', $3::text, 'name', $4::text, 'id_number', $5::text, 'phone', $6::text,"
		"                       'legal_rep', nullif($7, '')),"
		"    CASE WHEN $8 = '' THEN NULL ELSE jsonb_build_object('name', $8::text, 'id_number', $9::text,"
		"                                                       'phone', $10::text, 'poa', $11::text) END,"
		"    (SELECT coalesce(jsonb_agg(jsonb_build_object('material_id', u.m, 'mark', u.k) ORDER BY u.o), '[]')"
		"       FROM unnest($12::int[], $13::text[]) WITH ORDINALITY u(m, k, o)),"
		"    $14, nullif($15, ''),"
		"    jsonb_strip_nulls(jsonb_build_object('channel', nullif($16, ''), 'green', nullif($17, ''),"
		"                                         'commitment_signed', $18::boolean, 'proxy_poa', nullif($19, ''))))";
	char *ids = array_text(f->nmaterials, f->material_ids, NULL);
	char *marks = array_text(f->nmaterials, NULL, f->marks);
	const char *p[19] = {
		f->item_code, f->situation, f->kind, f->name, f->id_number, f->phone ? f->phone : "",
		f->legal_rep ? f->legal_rep : "", f->agent_name ? f->agent_name : "", f->agent_id ? f->agent_id : "",
		f->agent_phone ? f->agent_phone : "", f->agent_poa ? f->agent_poa : "", ids, marks, f->outcome,
		f->note ? f->note : "", f->channel ? f->channel : "", f->green ? f->green : "",
		f->commitment_signed ? "true" : "false", f->proxy_poa ? f->proxy_poa : "",
	};
	int rc = db_session_call_change(s, sql, 19, p, rows_adapt, (db_any_fn)fn, ctx);

	free(ids);
	free(marks);
	return rc;
}

int receive_notice(db_session *s, long long app_id, receive_rows_fn fn, void *ctx)
{
	char id[24];
	const char *p[1] = { id };

	snprintf(id, sizeof id, "%lld", app_id);
	return db_session_call(s,
		"SELECT n.id, n.number, n.kind,"
		"       to_char(n.issued_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), hall.notice_text(n.id),"
		"       n.case_no"
		"  FROM hall.v_notices n WHERE n.app_id = $1::bigint ORDER BY n.id DESC LIMIT 1",
		1, p, rows_adapt, (db_any_fn)fn, ctx);
}

int receive_front(db_session *s, long long app_id, receive_rows_fn fn, void *ctx)
{
	char id[24];
	const char *p[1] = { id };

	snprintf(id, sizeof id, "%lld", app_id);
	static const unsigned types[1] = { 20 };

	return db_session_call_prepared(s, "hallterm_case_front",
		"SELECT coalesce(f.situation_name, ''), coalesce(f.received_by_name, ''), coalesce(f.assisted_by_name, ''),"
		"       coalesce(f.green_channel, ''), coalesce(f.agent_name, ''), coalesce(f.poa, ''),"
		"       f.proxy_staff_id IS NOT NULL, coalesce(f.notice_number, ''), coalesce(f.notice_kind, ''),"
		"       coalesce(f.check_state, ''), coalesce(f.check_due::text, ''), coalesce(f.check_outcome, ''),"
		"       d.material_id, coalesce(d.material_name, ''), coalesce(d.due_on::text, ''), coalesce(d.state, ''),"
		"       d.days_left, coalesce(d.urgency, '')"
		"  FROM hall.case_front_of($1::bigint) f"
		"  LEFT JOIN hall.deferred_of($1::bigint) d ON true"
		" ORDER BY d.material_id",
		1, types, p, rows_adapt, (db_any_fn)fn, ctx);
}

int receive_desk_counts(db_session *s, const char *month, receive_rows_fn fn, void *ctx)
{
	const char *p[1] = { month };

	return db_session_call(s, "SELECT * FROM hall.front_desk_counts($1::date)", 1, p, rows_adapt, (db_any_fn)fn, ctx);
}

int receive_supply_deferred(db_session *s, long long app_id, int material_id, db_reply_fn fn, void *ctx)
{
	char a[24], m[16];
	const char *p[2] = { a, m };

	snprintf(a, sizeof a, "%lld", app_id);
	snprintf(m, sizeof m, "%d", material_id);
	return db_session_change(s, "SELECT hall.supply_deferred($1::bigint, $2::int)", 2, p, fn, ctx);
}

int receive_record_check(db_session *s, long long app_id, int truthful, const char *note, db_reply_fn fn, void *ctx)
{
	char a[24];
	const char *p[3] = { a, truthful ? "true" : "false", note };

	snprintf(a, sizeof a, "%lld", app_id);
	return db_session_change(s, "SELECT hall.record_check($1::bigint, $2::boolean, $3)", 3, p, fn, ctx);
}
