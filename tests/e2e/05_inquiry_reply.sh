#!/usr/bin/env bash
# Story: answer an inquiry in Chinese, with a canned reply; the reply is
# stored in full, with who and when.
source "$(dirname "$0")/lib.sh"
e2e_setup
who=$(e2e_inquiry_clerk 1)

e2e_start "$who" || { tap_ok 1 "log in"; e2e_done; }
e2e_keys 2
e2e_wait "待答复咨询"
e2e_wait_re 'Z[0-9]{6}-[0-9]{4}'
tap_ok $? "2 shows the department's open inquiries"
e2e_shot inquiries
ref=$(e2e_screen | grep -m1 -oE 'Z[0-9]{6}-[0-9]{4}')
tap_like "$ref" '^Z[0-9]{6}-[0-9]{4}$' "the list shows inquiry references"
tap_like "$(e2e_screen_both)" '剩' "each inquiry shows its countdown"
e2e_keys Enter
e2e_wait "咨询内容"
tap_ok $? "Enter opens the inquiry in full"
e2e_keys R
e2e_wait "您的答复"
tap_ok $? "R opens the reply editor"
text="您好！医保报销请携带身份证、社保卡和发票原件，到5号窗口办理。"
e2e_type "$text"
e2e_keys Enter
e2e_type "如有疑问请致电12345。"
e2e_wait "如有疑问请致电12345。"
tap_ok $? "Chinese text appears in the editor as typed"
e2e_shot reply
e2e_keys F9
e2e_wait "发送此答复吗"
e2e_keys y
e2e_wait "答复已发送"
tap_ok $? "F9 sends the reply"
stored=$(e2e_psql "select r.body from hall.replies r join hall.inquiries q on q.id = r.inquiry_id join hall.staff s on s.id = r.staff_id where q.ref = '$ref' and s.login = '$who'")
tap_is "$stored" "$text
如有疑问请致电12345。" "hall.replies holds the reply exactly, by $who"
tap_is "$(e2e_psql "select state from hall.inquiries where ref = '$ref'")" answered "the inquiry is answered"
tap_ok $([ -z "$(ls "$E2E_TMP/state/hallterm" 2>/dev/null)" ] && echo 0 || echo 1) "no draft is left once sent"
e2e_quit
e2e_done
