/* db/tickets.c - the window, the display, the pad and the ticket figures;
 * see tickets.h. */
#include "db/tickets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

static void rows_adapt(const db_reply *reply, db_any_fn any, void *ctx)
{
	tickets_rows_fn fn = (tickets_rows_fn)any;

	fn(ctx, reply->status == DB_OK ? db_reply_take(reply) : NULL, reply);
}

/* ------------------------------------------------------------ the window */

int tickets_my_window(db_session *s, tickets_rows_fn fn, void *ctx)
{
	/* Background: the queue's first page goes before the window's line
	 * (it was 10 ms of a new backend's first screen). */
	db_session_next_background(s);
	return db_session_call(s,
		"SELECT w.window_code, w.status, coalesce(w.reason, ''),"
		"       coalesce(to_char(w.since AT TIME ZONE 'Asia/Shanghai', 'HH24:MI'), ''),"
		"       w.ticket_id, coalesce(w.label, ''), coalesce(w.line_name, ''),"
		"       coalesce(to_char(w.called_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI'), ''),"
		"       coalesce(w.recalls, 0), w.application_id, coalesce(w.waiting, 0), coalesce(w.staff_id, 0)"
		"  FROM hall.v_my_window w ORDER BY w.window_code",
		0, NULL, rows_adapt, (db_any_fn)fn, ctx);
}

int tickets_my_lines(db_session *s, tickets_rows_fn fn, void *ctx)
{
	db_session_next_background(s);
	return db_session_call(s, "SELECT unnest(hall.my_lines())", 0, NULL, rows_adapt, (db_any_fn)fn, ctx);
}

int tickets_set_status(db_session *s, const char *window, const char *status, const char *reason, db_reply_fn fn,
                       void *ctx)
{
	const char *p[3] = { window, status, reason && *reason ? reason : NULL };

	return db_session_change(s, "SELECT hall.window_set_status($1, $2, $3)", 3, p, fn, ctx);
}

int tickets_call_next(db_session *s, const char *window, tickets_rows_fn fn, void *ctx)
{
	const char *p[1] = { window };

	return db_session_call_change(s, "SELECT hall.call_next($1)", 1, p, rows_adapt, (db_any_fn)fn, ctx);
}

static int ticket_change(db_session *s, const char *sql, long long ticket, db_reply_fn fn, void *ctx)
{
	char id[24];
	const char *p[1] = { id };

	snprintf(id, sizeof id, "%lld", ticket);
	return db_session_change(s, sql, 1, p, fn, ctx);
}

int tickets_recall(db_session *s, long long ticket, db_reply_fn fn, void *ctx)
{
	return ticket_change(s, "SELECT hall.recall($1::bigint)", ticket, fn, ctx);
}

int tickets_skip(db_session *s, long long ticket, db_reply_fn fn, void *ctx)
{
	return ticket_change(s, "SELECT hall.skip_ticket($1::bigint)", ticket, fn, ctx);
}

int tickets_finish(db_session *s, long long ticket, tickets_rows_fn fn, void *ctx)
{
	char id[24];
	const char *p[1] = { id };

	snprintf(id, sizeof id, "%lld", ticket);
	return db_session_call_change(s, "SELECT hall.finish_ticket($1::bigint)", 1, p, rows_adapt, (db_any_fn)fn, ctx);
}

int tickets_link(db_session *s, long long ticket, long long application, db_reply_fn fn, void *ctx)
{
	char t[24], a[24];
	const char *p[2] = { t, a };

	snprintf(t, sizeof t, "%lld", ticket);
	snprintf(a, sizeof a, "%lld", application);
	return db_session_change(s, "SELECT hall.link_ticket($1::bigint, $2::bigint)", 2, p, fn, ctx);
}

/* The payload is a line or window code: nothing a listener couldn't read. */
static void on_notify(db_any_fn any, void *ctx, const char *payload)
{
	tickets_notify_fn fn = (tickets_notify_fn)any;

	fn(ctx, payload);
}

void tickets_listen_calls(db_session *s, tickets_notify_fn fn, void *ctx)
{
	db_session_listen_typed(s, "hall_calls", on_notify, (db_any_fn)fn, ctx);
}

void tickets_unlisten_calls(db_session *s, void *ctx)
{
	if (s)
		db_session_unlisten_channel(s, "hall_calls", ctx);
}

void tickets_listen_pad(db_session *s, tickets_notify_fn fn, void *ctx)
{
	db_session_listen_typed(s, "hall_pad", on_notify, (db_any_fn)fn, ctx);
}

/* ----------------------------------------------------------- the display */

int tickets_display_calls(db_session *s, const char *const *lines, int nlines, int n, tickets_rows_fn fn,
                          void *ctx)
{
	char *arr = lines && nlines > 0 ? db_text_array(lines, nlines) : NULL;
	char nb[16];
	const char *p[2] = { arr, nb };
	int rc;

	snprintf(nb, sizeof nb, "%d", n > 0 ? n : 8);
	rc = db_session_call(s,
		"SELECT c.label, c.window_code, coalesce(c.window_name, c.window_code),"
		"       to_char(c.at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI:SS'), coalesce(c.recall, false),"
		"       (extract(epoch FROM c.at) * 1000000)::bigint"
		"  FROM hall.display_calls($1::text[], $2::int) c",
		2, p, rows_adapt, (db_any_fn)fn, ctx);
	free(arr);
	return rc;
}

int tickets_display_waiting(db_session *s, const char *const *lines, int nlines, tickets_rows_fn fn, void *ctx)
{
	char *arr = lines && nlines > 0 ? db_text_array(lines, nlines) : NULL;
	const char *p[1] = { arr };
	int rc;

	rc = db_session_call(s, "SELECT w.line_code, w.name, w.waiting FROM hall.display_waiting($1::text[]) w", 1, p,
	                     rows_adapt, (db_any_fn)fn, ctx);
	free(arr);
	return rc;
}

/* ---------------------------------------------------------------- the pad */

int tickets_pad_request(db_session *s, const char *window, tickets_rows_fn fn, void *ctx)
{
	const char *p[1] = { window };

	return db_session_call(s,
		"SELECT r.request_id, coalesce(r.label, ''), coalesce(r.item_name, ''), coalesce(r.window_name, ''),"
		"       coalesce(to_char(r.opened_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI'), '')"
		"  FROM hall.pad_request($1) r",
		1, p, rows_adapt, (db_any_fn)fn, ctx);
}

int tickets_pad_rate(db_session *s, long long request, int level, const char *comment, db_reply_fn fn, void *ctx)
{
	char r[24], l[8];
	const char *p[3] = { r, l, comment && *comment ? comment : NULL };

	snprintf(r, sizeof r, "%lld", request);
	snprintf(l, sizeof l, "%d", level);
	return db_session_change(s, "SELECT hall.pad_rate($1::bigint, $2::int, $3)", 3, p, fn, ctx);
}

/* ------------------------------------------------------------ the figures */

int tickets_figures(db_session *s, const char *department, const char *from, const char *to, const char *by,
                    tickets_rows_fn fn, void *ctx)
{
	const char *p[4] = { department && *department ? department : NULL, from, to, by };

	return db_session_call(s,
		"SELECT f.key, coalesce(f.name, f.key), f.served, round(f.wait_avg_s), round(f.wait_p90_s),"
		"       round(f.service_avg_s), f.no_shows, f.rated_pad, f.rated_sms, f.defaulted, f.unrated"
		"  FROM hall.ticket_figures($1, $2::date, $3::date, $4) f ORDER BY f.key",
		4, p, rows_adapt, (db_any_fn)fn, ctx);
}

int tickets_export(db_session *s, const char *department, const char *from, const char *to, const char *by,
                   FILE *out, db_reply_fn fn, void *ctx)
{
	/* COPY takes no parameters: they go in as the session's settings
	 * first (as sup_export does), read back by the statement. */
	static const char sql[] =
		"COPY (SELECT f.key AS \"编号\", f.name AS \"名称\", f.served AS \"办理数\","
		"             round(f.wait_avg_s) AS \"平均等候(秒)\", round(f.wait_p90_s) AS \"等候P90(秒)\","
		"             round(f.service_avg_s) AS \"平均办理(秒)\", f.no_shows AS \"过号\","
		"             round(f.rated_pad * 100, 1) AS \"现场评价%\", round(f.rated_sms * 100, 1) AS \"短信评价%\","
		"             round(f.defaulted * 100, 1) AS \"默认评价%\", round(f.unrated * 100, 1) AS \"未评%\""
		"        FROM hall.ticket_figures(nullif(current_setting('hall.export_dept'), ''),"
		"                                 current_setting('hall.export_from')::date,"
		"                                 current_setting('hall.export_to')::date,"
		"                                 current_setting('hall.export_by')) f ORDER BY f.key)"
		"  TO STDOUT WITH (FORMAT csv, HEADER)";
	const char *p[4] = { department ? department : "", from, to, by };

	if (db_session_query(s, "SELECT set_config('hall.export_dept', $1, false),"
	                        "       set_config('hall.export_from', $2::date::text, false),"
	                        "       set_config('hall.export_to', $3::date::text, false),"
	                        "       set_config('hall.export_by', $4, false)",
	                     4, p, NULL, NULL) < 0)
		return -1;
	return db_session_copy_out(s, sql, 0, NULL, out, fn, ctx);
}
