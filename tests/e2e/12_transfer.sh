#!/usr/bin/env bash
# Story: an inquiry belongs to another department; the clerk transfers it
# with a note.  It leaves the list; its deadline does not move.
source "$(dirname "$0")/lib.sh"
e2e_setup
who=$(e2e_inquiry_clerk 5)

e2e_start "$who" || { tap_ok 1 "log in"; e2e_done; }
e2e_keys 2
e2e_wait "待答复咨询"
e2e_wait_re 'Z[0-9]{6}-[0-9]{4}'
ref=$(e2e_screen | grep -m1 -oE 'Z[0-9]{6}-[0-9]{4}')
IFS='|' read -r dept due < <(e2e_psql "select department_code, due_date from hall.inquiries where ref = '$ref'")
e2e_keys Enter
e2e_wait "咨询内容"
e2e_keys T
e2e_wait "转办到哪个部门"
tap_ok $? "T asks for the department"
e2e_keys Enter
e2e_wait "给接收部门的说明"
e2e_type "属于贵部门职责，请协助答复"
e2e_keys Enter
e2e_wait "咨询已转办"
tap_ok $? "the transfer is confirmed"
IFS='|' read -r dept2 due2 count < <(e2e_psql "select department_code, due_date, transfer_count from hall.inquiries where ref = '$ref'")
tap_ok $([ "$dept2" != "$dept" ] && echo 0 || echo 1) "the inquiry moved from $dept to $dept2"
tap_is "$due2" "$due" "its deadline did not move"
tap_is "$count" 1 "it counts one transfer"
e2e_wait_gone "$ref" 5
tap_ok $? "it left the department's list"
e2e_quit
e2e_done
