#!/usr/bin/env bash
# Story: failures that sending again cannot fix, and answers in HTML.  The
# gateway refuses a hotline reply's number (400, E_MOBILE): the outbox says
# the number is invalid and that resending cannot help; r says so instead
# of resending; e corrects the number (checked by the database, audited,
# sent as a new message) and the next `hallctl notify --once` delivers it
# to the new number.  A message the dispatcher gave up on with a 503 HTML
# page reads "网关返回 503：Service Temporarily Unavailable" (the tags
# gone); x cancels it for good (audited).
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_gateway_start
DSN="host=$E2E_PGHOST port=$E2E_PGPORT dbname=$E2E_DB"

db_wait() { # SQL EXPECTED: at most 5 s
	local i got
	for i in $(seq 50); do
		got=$(e2e_psql "$1")
		[ "$got" = "$2" ] && break
		sleep 0.1
	done
	echo "$got"
}

# A message wider than the status line comes in a box as well: close it.
close_box() {
	sleep 0.3
	e2e_screen | grep -q '┌─' && { e2e_keys Enter; sleep 0.2; }
	return 0
}

tap_is "$(notify_once)" 0 "notify --once drains what is due"

# ---- two hotline replies of a department, and how they fail --------------------
IFS='|' read -r DEPT CLERK SUP <<<"$(e2e_psql "
	select d.code,
	       (select s.login from hall.staff s where s.kind = 'clerk' and s.active
	          and s.department_code = d.code order by s.login limit 1),
	       (select s.login from hall.staff s where s.kind = 'supervisor' and s.active
	          and s.department_code = d.code order by s.login limit 1)
	from hall.departments d
	where exists (select 1 from hall.staff s where s.kind = 'clerk' and s.active and s.department_code = d.code)
	  and exists (select 1 from hall.staff s where s.kind = 'supervisor' and s.active and s.department_code = d.code)
	order by d.code limit 1")"
[ -n "${SUP:-}" ] || { echo "Bail out! no department with a clerk and a supervisor"; exit 1; }
answer() { # PHONE SUBJECT: a hotline inquiry, answered by the clerk; prints "inquiry|ref|outbox id"
	local inq ref ob
	inq=$(e2e_psql "select hall.ask('hotline', '$DEPT', '{\"name\": \"钱七\", \"phone\": \"$1\"}', '$2', '请问$2需要哪些材料？')")
	ref=$(e2e_psql "select ref from hall.inquiries where id = $inq")
	PGPASSWORD=demo psql -X -At -v ON_ERROR_STOP=1 -h "$E2E_PGHOST" -p "$E2E_PGPORT" -d "$E2E_DB" -U "$CLERK" \
		-c "select hall.reply_inquiry($inq, '您好，请携带身份证原件到窗口办理。')" >/dev/null
	ob=$(e2e_psql "select id from hall.outbox where inquiry_id = $inq and event = 'inquiry_reply' order by id desc limit 1")
	echo "$inq|$ref|$ob"
}
# The 503 page: the dispatcher gave up after its attempts (its claim and
# its verdict, as hallctl notify records them).
IFS='|' read -r _ REF_HTML OB_HTML <<<"$(answer 13800138000 '营业执照补办')"
e2e_psql "select count(*) from hall.outbox_claim('e2e-html', 10, 60)" >/dev/null
tap_is "$(e2e_psql "select hall.outbox_failed($OB_HTML, 'e2e-html', 503, 'HTTP 503; gave up after 3 attempts',
                    '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>')")" t \
	"the reply about $REF_HTML failed with a 503 HTML page"
# The bad number: the gateway itself refuses it.
sleep 1
IFS='|' read -r _ REF_MOB OB_MOB <<<"$(answer 1390013900 '社保卡补办')"
KEY_MOB=$(e2e_psql "select key from hall.outbox where id = $OB_MOB")
set_receiver "# bad number" "action=400" 'body={"code":"E_MOBILE","message":"手机号码无效"}'
tap_is "$(notify_once)" 0 "notify --once posts the reply about $REF_MOB to a gateway refusing its number"
tap_is "$(e2e_psql "select state || ' ' || http_status from hall.outbox where id = $OB_MOB")" "failed 400" \
	"the row is failed, 400"

# ---- the supervisor's outbox ----------------------------------------------------
e2e_start "$SUP" || { tap_ok 1 "$SUP logs in"; e2e_done; }
e2e_dashboard
e2e_keys 4
e2e_wait "通知发件箱"
e2e_wait "$REF_HTML"
screen=$(e2e_screen)
e2e_shot outbox_fix
tap_ok "$(echo "$screen" | grep -q '<' && echo 1 || echo 0)" "no tag of the gateway's HTML is on the screen"
tap_like "$(echo "$screen" | grep -F -- "$REF_HTML")" "503 +[0-9]+ Service Temporarily" \
	"the 503 reads as the gateway's own words, once (not the title and the heading)"
tap_like "$(echo "$screen" | grep -F -- "$REF_MOB")" "400 +1 手机号码无效.*重发无用" \
	"the refused number says so, and that sending it again cannot help"
tap_like "$(echo "$screen" | tail -1)" "r 重新发送.*e 改号码.*x 取消通知" "the key bar offers r, e (correct the number) and x (cancel)"

# The newest first: the refused number is selected.
e2e_keys r
e2e_wait "重发解决不了"
tap_like "$(e2e_screen_both)" "重发解决不了.*手机号码无效" "r on it says resending cannot fix it, and what can"
close_box
tap_is "$(e2e_psql "select state from hall.outbox where id = $OB_MOB")" failed "nothing was resent"

# A number that is no mobile number: the database refuses it.
e2e_keys e
e2e_wait "正确的手机号码"
tap_like "$(e2e_screen_both)" "网关拒收了 1\*+00" "e asks for the number, showing the refused one masked"
e2e_type "1390013900"
e2e_keys Enter
e2e_wait "审计说明"
e2e_type "电话核实"
e2e_keys Enter
e2e_wait "11 位"
tap_ok $? "a 10-digit number is refused by the database, which says why"
tap_is "$(e2e_psql "select state || ' ' || (payload->>'phone') from hall.outbox where id = $OB_MOB")" "failed 1390013900" \
	"and nothing changed"
close_box
e2e_keys e
e2e_wait "正确的手机号码"
e2e_type "139 0013 9000"
e2e_keys Enter
e2e_wait "审计说明"
e2e_type "电话核实，少输了一位"
e2e_keys Enter
e2e_wait "号码已更正"
tap_ok $? "the correction is confirmed"
tap_is "$(db_wait "select state || ' ' || attempts || ' ' || (payload->>'phone') || ' ' || (key <> '$KEY_MOB')
                   from hall.outbox where id = $OB_MOB" "pending 0 13900139000 true")" "pending 0 13900139000 true" \
	"the database: pending, attempts from zero, to the cleaned number, under a new key"
tap_is "$(e2e_psql "select count(*) || '|' || min(actor) || '|' || min(note) || '|' || min(details->>'phone_was') || '|' || min(details->>'phone')
                    from hall.audit where action = 'outbox_correct' and details->>'outbox_id' = '$OB_MOB'")" \
	"1|$SUP|电话核实，少输了一位|1*******00|139****9000" "one audit row outbox_correct, by $SUP, the numbers masked"
e2e_wait_gone "$REF_MOB"
tap_ok $? "it leaves the failed list"

# ---- cancelling the 503 one --------------------------------------------------------
e2e_keys Home
e2e_keys Enter
e2e_wait "出错原因"
tap_like "$(e2e_screen_both)" "网关返回 503：Service Temporarily Unavailable" "Enter: the summary reads 网关返回 503：…"
e2e_keys Escape
e2e_wait_gone "出错原因"
e2e_keys x
e2e_wait "它将不再发送"
tap_like "$(e2e_screen_both)" "$REF_HTML" "x asks for a note, naming the notification"
e2e_type "申请人已到窗口，无需再通知"
e2e_keys Enter
e2e_wait "通知已取消"
tap_ok $? "the cancellation is confirmed"
tap_is "$(db_wait "select state from hall.outbox where id = $OB_HTML" cancelled)" cancelled "the database: cancelled"
tap_is "$(e2e_psql "select count(*) || '|' || min(actor) || '|' || min(to_state) from hall.audit
                    where action = 'outbox_cancel' and details->>'outbox_id' = '$OB_HTML'")" "1|$SUP|cancelled" \
	"one audit row outbox_cancel, by $SUP"
e2e_wait_gone "$REF_HTML"
tap_ok $? "it leaves the failed list"
e2e_quit

# ---- the corrected one goes out, to the new number; the cancelled one never --------
set_receiver "# fixed"
tap_is "$(notify_once)" 0 "notify --once runs again"
tap_is "$(e2e_psql "select state || ' ' || http_status from hall.outbox where id = $OB_MOB")" "sent 200" \
	"the corrected notification is sent"
NEWKEY=$(e2e_psql "select key from hall.outbox where id = $OB_MOB")
tap_like "$(awk -F'\t' -v k="$NEWKEY" '$4 == k && $5 == 200 { print $7 }' "$RECV_LOG")" '13900139000' \
	"the gateway got it under the new key, to 13900139000"
tap_is "$(e2e_psql "select state from hall.outbox where id = $OB_HTML")" cancelled "the cancelled one stays cancelled"
e2e_done
