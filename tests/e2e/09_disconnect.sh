#!/usr/bin/env bash
# Story: PostgreSQL stops while a clerk is typing a reply.  The screen says
# so and keeps everything; sending is refused, not lost; the text is on
# disk as a draft; when the server is back the session reconnects by
# itself and the same reply is sent.
source "$(dirname "$0")/lib.sh"
e2e_setup
who=$(e2e_inquiry_clerk 2)

e2e_start "$who" || { tap_ok 1 "log in"; e2e_done; }
e2e_keys 2
e2e_wait "待答复咨询"
e2e_wait_re 'Z[0-9]{6}-[0-9]{4}'
ref=$(e2e_screen | grep -m1 -oE 'Z[0-9]{6}-[0-9]{4}')
e2e_keys R
e2e_wait "您的答复"
e2e_type "您好，个人所得税汇算清缴"
e2e_wait "汇算清缴"

e2e_db_stop
e2e_wait "未连接" 10
tap_ok $? "the screen says the database is not connected"
e2e_shot disconnected
e2e_type "可在每年3月1日至6月30日办理。"
e2e_wait "6月30日办理。"
tap_ok $? "typing goes on while disconnected"
e2e_keys F9
e2e_wait "答复【未】发送"
tap_ok $? "sending is refused with a clear message"
tap_like "$(e2e_screen_both)" '您好，个人所得税汇算清缴可在每年3月1日至6月30日办理。' "the reply is still in the editor"
sleep 1.5
draft=$(cat "$E2E_TMP"/state/hallterm/*inquiry* 2>/dev/null)
tap_is "$draft" "您好，个人所得税汇算清缴可在每年3月1日至6月30日办理。" "the reply is saved as a draft on disk"
tap_is "$(stat -c %a "$E2E_TMP"/state/hallterm/*inquiry* 2>/dev/null)" 600 "the draft is readable by its owner only"

e2e_db_start
e2e_wait "已重新连接数据库" 15
tap_ok $? "the session reconnects by itself"
e2e_keys F9
e2e_wait "发送此答复吗"
e2e_keys y
e2e_wait "答复已发送" 10
tap_ok $? "the same reply is sent after the reconnection"
tap_is "$(e2e_psql "select r.body from hall.replies r join hall.inquiries q on q.id = r.inquiry_id where q.ref = '$ref'")" \
	"您好，个人所得税汇算清缴可在每年3月1日至6月30日办理。" "hall.replies holds it, once"
tap_ok $([ -z "$(ls "$E2E_TMP/state/hallterm" 2>/dev/null)" ] && echo 0 || echo 1) "the draft is gone once sent"

# The queue also comes back after a loss: reload, same screen.
e2e_keys 1
e2e_wait "办件号"
e2e_db_stop
e2e_wait "未连接" 10
e2e_keys n
e2e_wait "未做任何操作"
tap_ok $? "an action while disconnected is refused, nothing half-done"
e2e_db_start
e2e_wait "已重新连接数据库" 15
e2e_wait_gone "未连接" 5
tap_ok $? "the title no longer says disconnected"
e2e_quit
e2e_done
