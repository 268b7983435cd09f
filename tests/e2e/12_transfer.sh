#!/usr/bin/env bash
# Story: an inquiry belongs to another department; the clerk transfers it
# straight from the list (T on the selected inquiry).  The department
# picker lines its names up whatever the codes' lengths; the note's dialog
# and the one confirmation name the department; answering no changes
# nothing.  Transferred, it leaves the list, its deadline does not move,
# and it is listed under m (我已答复/已转办) with where it went.
source "$(dirname "$0")/lib.sh"
e2e_setup
who=$(e2e_inquiry_clerk 5)

e2e_start "$who" || { tap_ok 1 "log in"; e2e_done; }
e2e_keys 2
e2e_wait "待答复咨询"
e2e_wait_re 'Z[0-9]{6}-[0-9]{4}'
ref=$(e2e_screen | grep -m1 -oE 'Z[0-9]{6}-[0-9]{4}')
IFS='|' read -r dept due subject < <(e2e_psql "select department_code, due_date, subject from hall.inquiries where ref = '$ref'")
tap_like "$(e2e_screen | tail -1)" 'T 转办.*m 我经办的' "the list's key bar offers T (transfer) and m (mine)"

# ---- T on the list: the picker, aligned -------------------------------------
e2e_keys T
e2e_wait "转办到哪个部门"
tap_ok $? "T on the list asks for the department, for the selected inquiry"
screen=$(e2e_screen)
e2e_shot transfer_picker
starts=$(echo "$screen" | grep -E '│ [A-Z]+ +[^ │]' | while IFS= read -r line; do
	pre=$(echo "$line" | sed -E 's/^(.*│ [A-Z]+ +)[^ ].*$/\1/')
	e2e_width "$pre"
done | sort -u)
tap_is "$(echo "$starts" | wc -l)" 1 "every department's name starts in the same cell (measured in cells: $starts)"
tap_ok "$(echo "$screen" | grep -q "│ $dept " && echo 1 || echo 0)" "its own department ($dept) is not offered"
IFS='|' read -r to_code to_name < <(e2e_psql "select code, name from hall.departments where code <> '$dept' order by code limit 1")
e2e_keys Enter
e2e_wait "给接收部门"
tap_like "$(e2e_screen_both)" "给接收部门${to_name} \(${to_code}\)的说明" "the note's dialog names the department ($to_name)"
e2e_type "属于贵部门职责，请协助答复"
e2e_keys Enter
e2e_wait "${to_code})吗"
screen=$(e2e_screen_both)
tap_like "$screen" "把咨询 $ref" "one confirmation, naming the inquiry"
tap_like "$screen" "${to_name} \(${to_code}\)吗" "and the department"
e2e_keys n
e2e_wait_gone "${to_code})吗"
tap_is "$(e2e_psql "select department_code || '|' || transfer_count from hall.inquiries where ref = '$ref'")" "$dept|0" \
	"answering no transfers nothing"

e2e_keys T
e2e_wait "转办到哪个部门"
e2e_keys Enter
e2e_wait "给接收部门"
e2e_type "属于贵部门职责，请协助答复"
e2e_keys Enter
e2e_wait "${to_code})吗"
e2e_keys y
e2e_wait "咨询 $ref 已转办到${to_name}"
tap_ok $? "the transfer is confirmed on the status line, naming where it went"
IFS='|' read -r dept2 due2 count < <(e2e_psql "select department_code, due_date, transfer_count from hall.inquiries where ref = '$ref'")
tap_is "$dept2" "$to_code" "the inquiry moved from $dept to $to_code"
tap_is "$due2" "$due" "its deadline did not move"
tap_is "$count" 1 "it counts one transfer"
e2e_wait_gone "$ref" 5
tap_ok $? "it left the department's list"

# ---- m: what I answered or transferred ----------------------------------------
e2e_keys m
e2e_wait "我已答复/已转办的咨询"
tap_ok $? "m switches to the inquiries I answered or transferred"
e2e_wait "$ref"
line=$(e2e_screen | grep -F -- "$ref")
tap_like "$line" "已转办" "$ref is there, transferred"
tap_like "$line" "转至${to_name:0:3}" "with where it went (cut at 80 columns: the asker's name has the room)"
e2e_shot inquiries_mine
answered=$(e2e_psql "select count(*) from hall.replies r join hall.staff s on s.id = r.staff_id where s.login = '$who'")
if [ "$answered" -gt 0 ]; then
	tap_like "$(e2e_screen_both)" "已答复" "and the inquiries $who answered ($answered)"
else
	tap_ok 0 "$who answered none # SKIP nothing else to list"
fi
# The newest first: the transfer just made is the first line, selected.
e2e_keys Enter
e2e_wait "已转办的咨询"
screen=$(e2e_screen)
tap_like "$screen" "属于贵部门职责，请协助答复" "Enter on it shows what I did: my note"
tap_like "$screen" "等待对方部门答复" "and that it waits there"
e2e_keys Enter
e2e_wait_gone "已转办的咨询"
e2e_keys m
e2e_wait "的待答复咨询"
tap_ok $? "m again goes back to the inquiries waiting"
e2e_quit
e2e_done
