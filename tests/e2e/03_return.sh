#!/usr/bin/env bash
# Story: return a case for two materials plus a defect; the clerk sees the
# one-time notice before it goes, and it is what the applicant gets.
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start clerk20 || { tap_ok 1 "log in"; e2e_done; }
e2e_claim_next
e2e_wait "您本人" || { tap_ok 1 "claim"; e2e_done; }
case_no=$(e2e_screen | grep -m1 -oE '[0-9]{6}-[0-9]{4}')
mapfile -t mats < <(e2e_psql "select m.name from hall.v_case_materials m join hall.applications a on a.id = m.app_id where a.case_no = '$case_no' order by m.ord, m.material_id")
e2e_keys r
e2e_wait "请标出全部缺少或有误的材料"
tap_ok $? "r opens the checklist of the item's materials"
tap_like "$(e2e_screen_both)" "\[ \] ${mats[0]}" "the checklist lists the item's materials"
e2e_keys Space Down Space Enter
e2e_wait "其他问题"
e2e_type "营业执照复印件不清晰"
e2e_keys F9
e2e_wait "将此退回通知发送给申请人吗"
tap_ok $? "the one-time notice is shown before sending"
screen=$(e2e_screen)
e2e_shot return-notice
tap_like "$screen" "一次性告知：您申请的" "it is the applicant's notice"
tap_like "$screen" "1\. ${mats[0]}" "it names the first material"
tap_like "$screen" "2\. ${mats[1]}" "it names the second material"
tap_like "$screen" "3\. 其他问题：营业执照复印件不清晰" "it names the defect in the clerk's words"
e2e_keys y
e2e_wait "办件已退回补正"
tap_ok $? "the return is confirmed"
tap_is "$(e2e_psql "select state || ' ' || return_count from hall.applications where case_no = '$case_no'")" "returned 1" \
	"the database has the case returned"
tap_is "$(e2e_psql "select cardinality(x.material_ids) from hall.returns x join hall.applications a on a.id = x.app_id where a.case_no = '$case_no'")" \
	2 "the return names two materials"
notice=$(e2e_psql "select x.notice from hall.returns x join hall.applications a on a.id = x.app_id where a.case_no = '$case_no'")
tap_like "$notice" "1\. ${mats[0]}.*" "the stored notice is the one shown"
tap_is "$(e2e_psql "select count(*) from hall.outbox o join hall.applications a on a.id = o.app_id where a.case_no = '$case_no' and o.event = 'returned'")" \
	1 "the notice is queued for the applicant"
e2e_keys End
e2e_wait "退回记录"
tap_ok $? "the case screen lists the return with its notice"
e2e_keys Home

# The applicant resubmits only the first material; the case is claimed
# again.  Naming the second one now breaks the one-time notice: the clerk
# is warned first, the database refuses, the clerk gives the reason.
app=$(e2e_psql "select id from hall.applications where case_no = '$case_no'")
first_id=$(e2e_psql "select (material_ids)[1] from hall.returns where app_id = $app and seq = 1")
e2e_psql "select hall.resubmit($app, array[$first_id])" >/dev/null
e2e_wait "待受理" 5
e2e_keys c
e2e_wait "您本人"
e2e_keys r
e2e_wait "此办件此前已退回 1 次"
tap_ok $? "a second return warns about the one-time notice first"
e2e_keys y
e2e_wait "请标出全部缺少或有误的材料"
# The checklist starts with the material still missing marked; keep it.
e2e_keys Enter
e2e_wait "其他问题"
e2e_keys F9
e2e_wait "将此退回通知发送给申请人吗"
e2e_keys y
e2e_wait "违反一次性告知"
tap_ok $? "the database refuses and the clerk is asked for a breach reason"
tap_is "$(e2e_psql "select return_count from hall.applications where id = $app")" 1 "nothing was returned yet"
e2e_type "申请人上次未提交该材料的原件，需再次补正"
e2e_keys F9
e2e_wait "办件已退回补正"
tap_ok $? "with the reason, the second return goes through"
tap_is "$(e2e_psql "select breach || '|' || breach_reason from hall.returns where app_id = $app and seq = 2")" \
	"true|申请人上次未提交该材料的原件，需再次补正" "it is recorded as a breach, with the reason"
e2e_quit
e2e_done
