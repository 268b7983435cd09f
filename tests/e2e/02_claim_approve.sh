#!/usr/bin/env bash
# Story: claim the most urgent case with one key, approve it with a note;
# the database holds the new state and exactly one audit row for it.
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start clerk02 || { tap_ok 1 "log in"; e2e_done; }
e2e_claim_next
e2e_wait "您本人"
tap_ok $? "n claims the next case and opens it"
case_no=$(e2e_screen | grep -m1 -oE '[0-9]{6}-[0-9]{4}')
e2e_shot case
tap_is "$(e2e_psql "select a.state || ' ' || s.login from hall.applications a join hall.staff s on s.id = a.claimed_by where a.case_no = '$case_no'")" \
	"in_review clerk02" "the database has $case_no in review, claimed by clerk02"
audit_before=$(e2e_psql "select count(*) from hall.audit a join hall.applications p on p.id = a.app_id where p.case_no = '$case_no'")

e2e_keys a
e2e_wait "备注（可不填）"
tap_ok $? "a asks for the approval note"
e2e_type "材料齐全，准予办结"
e2e_keys Enter
e2e_wait "确定准予办结此办件吗"
tap_ok $? "then says what it will do and asks once"
e2e_keys y
e2e_wait "办件已办结"
tap_ok $? "the status line confirms the approval"
e2e_wait "已办结"
tap_ok $? "the case screen shows the new state"
tap_is "$(e2e_psql "select state from hall.applications where case_no = '$case_no'")" completed \
	"the database has the case completed"
tap_is "$(e2e_psql "select count(*) from hall.audit a join hall.applications p on p.id = a.app_id where p.case_no = '$case_no'")" \
	"$((audit_before + 1))" "exactly one audit row was written"
tap_is "$(e2e_psql "select a.action || '|' || a.actor || '|' || a.from_state || '|' || a.to_state || '|' || a.note from hall.audit a join hall.applications p on p.id = a.app_id where p.case_no = '$case_no' order by a.id desc limit 1")" \
	"approve|clerk02|in_review|completed|材料齐全，准予办结" "the audit row says who, from, to and the note"

# A completed case offers no approve: the key says so and changes nothing.
e2e_keys a
e2e_wait "在当前状态下不可用"
tap_ok $? "approving again is not offered: a says it is not possible now"
tap_is "$(e2e_psql "select count(*) from hall.audit a join hall.applications p on p.id = a.app_id where p.case_no = '$case_no'")" \
	"$((audit_before + 1))" "a refused action writes nothing"

# The applicant comes back and asks: the completed case has left the
# queue, but its whole number still opens it.
e2e_keys Escape
e2e_wait_re "办件号 +事项 +申请人"
e2e_wait_gone "$case_no" 3
tap_ok $? "the completed case has left the queue"
e2e_keys /
e2e_wait "搜索"
e2e_type "$case_no"
e2e_keys Enter
e2e_wait_re "办件号 +$case_no +已办结"
tap_ok $? "/ with the whole case number opens the completed case"
e2e_keys Escape
e2e_wait_re "办件号 +事项 +申请人"
e2e_keys /
e2e_wait "搜索"
e2e_type "990101-0001"
e2e_keys Enter
e2e_wait "您的窗口没有办件 990101-0001"
tap_ok $? "a number that is not at the clerk's windows says so"
e2e_quit
e2e_done
