#!/usr/bin/env bash
# Story: a clerk escalates a case with a reason; the department's
# supervisor finds it and decides it.
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start clerk03 || { tap_ok 1 "log in"; e2e_done; }
e2e_claim_next
e2e_wait "您本人" || { tap_ok 1 "claim"; e2e_done; }
case_no=$(e2e_screen | grep -m1 -oE '[0-9]{6}-[0-9]{4}')
e2e_keys e
e2e_wait "上报理由"
tap_ok $? "e asks for the reason"
e2e_type "涉及跨部门审批，请科长决定"
e2e_keys F9
e2e_wait "办件已上报科长"
tap_ok $? "the escalation is confirmed"
tap_is "$(e2e_psql "select state || '|' || escalation_reason from hall.applications where case_no = '$case_no'")" \
	"escalated|涉及跨部门审批，请科长决定" "the database has the case escalated with the reason"
e2e_wait "科长应于"
tap_ok $? "the case screen shows the supervisor's deadline"
e2e_quit

# The supervisor of the department: dashboard first, then the case.
e2e_start super02 || { tap_ok 1 "supervisor logs in"; e2e_done; }
e2e_wait "按时率"
tap_ok $? "the supervisor's first screen is the timeliness of their department"
e2e_dashboard
e2e_wait "待决上报"
tap_ok $? "d opens the dashboard, with escalations waiting"
e2e_shot dashboard
e2e_keys 1
e2e_wait "办件号"
e2e_keys /
e2e_wait "搜索全部办件"
e2e_type "$case_no"
e2e_keys Enter
e2e_wait_re "^$case_no " && e2e_keys Enter
e2e_wait "涉及跨部门审批"
tap_ok $? "the supervisor opens the escalated case and reads the reason"
# The key bar says what the keys do here: the supervisor decides.
bar=$(e2e_screen | tail -1)
tap_like "$bar" 'a 准予' "the key bar shows a as 准予 (approve the escalated case)"
tap_like "$bar" 'r 退回经办人' "r as 退回经办人 (back to the clerk)"
tap_like "$bar" 'x 不予许可' "x as 不予许可 (reject)"
printf '%s' "$bar" | grep -qE '办结|上报|放回|受理'
tap_ok $((! $?)) "and none of the clerk's labels (办结 上报 放回 受理)" "$bar"
e2e_keys a
e2e_wait "决定：准予"
e2e_type "同意办理"
e2e_keys Enter
e2e_wait "确定准予办结此上报办件吗"
e2e_keys y
e2e_wait "决定已记录"
tap_ok $? "a decides it (approve)"
tap_is "$(e2e_psql "select state from hall.applications where case_no = '$case_no'")" completed \
	"the database has the case completed by the decision"
e2e_quit
e2e_done
