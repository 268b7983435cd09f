#!/usr/bin/env bash
# Story: a notification fails for real and a supervisor sends it again.
# A clerk answers a 12345 hotline inquiry (hall.reply_inquiry queues the
# message for the 12345 platform, never held by quiet hours); `hallctl
# notify --once` posts it to the test receiver answering 400, so the row is
# failed with the answer kept; the department's supervisor opens the outbox
# screen (4), sees it with its error, and sends it again with a note (r);
# the next `notify --once` delivers it.
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_gateway_start
DSN="host=$E2E_PGHOST port=$E2E_PGPORT dbname=$E2E_DB"

# Deliver what earlier stories queued, so the 400 below fails only ours.
tap_is "$(notify_once)" 0 "notify --once drains what is due"

# ---- a real transition queues the message ---------------------------------
# A department with a supervisor and a clerk; the public asks through the
# 12345 hotline (hall.ask), a clerk answers (hall.reply_inquiry).
IFS='|' read -r DEPT CLERK SUP <<<"$(e2e_psql "
	select d.code,
	       (select s.login from hall.staff s where s.kind = 'clerk' and s.active
	          and s.department_code = d.code order by s.login limit 1),
	       (select s.login from hall.staff s where s.kind = 'supervisor' and s.active
	          and s.department_code = d.code order by s.login limit 1)
	from hall.departments d
	where exists (select 1 from hall.staff s where s.kind = 'clerk' and s.active and s.department_code = d.code)
	  and exists (select 1 from hall.staff s where s.kind = 'supervisor' and s.active and s.department_code = d.code)
	order by d.code desc limit 1")"
[ -n "${SUP:-}" ] || { echo "Bail out! no department with a clerk and a supervisor"; exit 1; }
INQ=$(e2e_psql "select hall.ask('hotline', '$DEPT', '{\"name\": \"赵六\", \"phone\": \"13900139000\"}',
                                '社保转移（12345转办）', '请问社保关系转移需要哪些材料？')")
REF=$(e2e_psql "select ref from hall.inquiries where id = $INQ")
PGPASSWORD=demo psql -X -At -v ON_ERROR_STOP=1 -h "$E2E_PGHOST" -p "$E2E_PGPORT" -d "$E2E_DB" -U "$CLERK" \
	-c "select hall.reply_inquiry($INQ, '您好，转移社保请携带身份证到窗口办理。')" >/dev/null
tap_ok $? "$CLERK answers hotline inquiry $REF (hall.reply_inquiry)"
OB=$(e2e_psql "select id from hall.outbox where inquiry_id = $INQ and event = 'inquiry_reply' order by id desc limit 1")
tap_is "$(e2e_psql "select state || ' ' || recipient from hall.outbox where id = $OB")" "pending 12345" \
	"the reply queued notification #$OB for the 12345 platform"

# ---- the gateway refuses it -----------------------------------------------
set_receiver "# bad" "action=400" 'body={"error":"bad recipient E400"}'
tap_is "$(notify_once)" 0 "notify --once runs against a gateway answering 400"
tap_is "$(e2e_psql "select state || ' ' || http_status || ' ' || response from hall.outbox where id = $OB")" \
	'failed 400 {"error":"bad recipient E400"}' "the row is failed, with the status and the answer kept"

# ---- the supervisor sees it and sends it again ----------------------------
e2e_start "$SUP" || { tap_ok 1 "$SUP logs in"; e2e_done; }
e2e_dashboard
tap_like "$(e2e_screen | tail -1)" '4 发件箱' "the dashboard's key bar offers the outbox (4)"
e2e_keys 4
e2e_wait "通知发件箱"
tap_ok $? "4 opens the outbox screen"
e2e_wait "$REF"
tap_ok $? "the failed notification of $REF is listed"
screen=$(e2e_screen)
e2e_shot outbox
tap_like "$screen" "待发送 [0-9]+" "counts by state: waiting"
tap_like "$screen" "!! 发送失败 [0-9]+" "counts by state: failed, marked"
tap_like "$screen" "已发送 [0-9]+" "counts by state: sent"
tap_like "$screen" "$REF .*咨询答复.* 400 +1 .*bad recipient E400" \
	"its line has the message, the HTTP status, the tries and the gateway's answer"
tap_like "$(echo "$screen" | tail -1)" 'r 重新发送' "the key bar offers r to send it again"
e2e_keys Enter
e2e_wait "网关应答"
screen=$(e2e_screen)
tap_like "$screen" '最近错误： HTTP 400' "Enter shows it in full: the last error"
tap_like "$screen" 'bad recipient E400' "and the gateway's answer"
e2e_keys Escape
e2e_wait_gone "网关应答"
e2e_keys r
e2e_wait "重发通知 #$OB"
tap_ok $? "r asks for a note first"
e2e_keys Enter
e2e_wait "必须填写"
tap_ok $? "an empty note is refused by the dialog"
tap_is "$(e2e_psql "select state from hall.outbox where id = $OB")" failed "nothing changed in the database"
e2e_type "12345平台接口已修复"
e2e_keys Enter
e2e_wait "通知已重新排队发送"
tap_ok $? "the requeue is confirmed"
e2e_wait_gone "$REF"
tap_ok $? "and the row leaves the failed list"
tap_is "$(e2e_psql "select state || ' ' || attempts from hall.outbox where id = $OB")" "pending 0" \
	"the database has it pending again, attempts from zero"
tap_is "$(e2e_psql "select count(*) || '|' || min(actor) || '|' || min(note) || '|' || min(from_state) || '|' || min(to_state)
                    from hall.audit where action = 'outbox_requeue' and details->>'outbox_id' = '$OB'")" \
	"1|$SUP|12345平台接口已修复|failed|pending" "one audit row outbox_requeue, by $SUP, with the note"
e2e_quit

# ---- the gateway is fixed: it goes out -------------------------------------
set_receiver "# fixed"
tap_is "$(notify_once)" 0 "notify --once runs again"
tap_is "$(e2e_psql "select state || ' ' || http_status from hall.outbox where id = $OB")" "sent 200" \
	"the requeued notification is sent"
KEY=$(e2e_psql "select key from hall.outbox where id = $OB")
tap_is "$(awk -F'\t' -v k="$KEY" '$4 == k { print $5 }' "$RECV_LOG" | tr '\n' ' ')" "400 200 " \
	"the receiver saw its key refused once, then delivered"
e2e_done
