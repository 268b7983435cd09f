#!/usr/bin/env bash
# Story: a clerk asks for more time on a case (延期, §42); the supervisor
# of the case's department finds the request on the dashboard, grants it
# with a note: the due date moves by the working days asked, the applicant
# is told, the audit log has it.  A second request is refused: nothing moves.
source "$(dirname "$0")/lib.sh"
e2e_setup

q() { e2e_psql "$1"; }

e2e_start clerk01 || { tap_ok 1 "log in"; e2e_done; }
e2e_claim_next
e2e_wait "您本人" || { tap_ok 1 "claim"; e2e_done; }
case_no=$(e2e_screen | grep -m1 -oE '[0-9]{6}-[0-9]{4}')
app=$(q "select id from hall.applications where case_no = '$case_no'")
tap_is "$(q "select state || '|' || (clock_start is not null) || '|' ||
                    (select count(*) from hall.extensions e where e.app_id = a.id and e.state = 'pending')
             from hall.applications a where a.id = $app")" "in_review|true|0" \
	"clerk01 claimed $case_no: in review, its clock running, no extension waiting"
ext_before=$(q "select extension_days from hall.applications where id = $app")
due_before=$(q "select due_date from hall.applications where id = $app")

# The clerk asks for 3 working days with a reason (t).
e2e_keys t
e2e_wait "工作日数"
tap_ok $? "t asks for the number of working days"
e2e_type 3
e2e_keys Enter
e2e_wait "理由"
e2e_type "需现场核查经营场所，请求延期"
e2e_keys F9
e2e_wait "已申请延期，由科长审批"
tap_ok $? "the request is confirmed"
tap_is "$(q "select days || '|' || state || '|' || reason from hall.extensions where app_id = $app")" \
	"3|pending|需现场核查经营场所，请求延期" "the database has the request pending, 3 days, with the reason"
e2e_quit

# The supervisor of the case's department.
super=$(q "select s.login from hall.staff s join hall.applications a on a.department_code = s.department_code
           where a.id = $app and s.kind = 'supervisor' and s.active order by s.login limit 1")
tap_like "$super" '^[a-z][a-z0-9_]+$' "the department has a supervisor ($super)"
due_if=$(q "select hall.workday_add(clock_start, promised_days + extension_days + paused_days + 3)
            from hall.applications where id = $app")
e2e_start "$super" || { tap_ok 1 "supervisor logs in"; e2e_done; }
e2e_dashboard
e2e_wait "延期"
tap_ok $? "the dashboard lists extension requests"
# Open it from the dashboard when its line is on the first page (the cursor
# starts on the first line of the list), else through the queue's search.
screen=$(e2e_screen)
line=$(printf '%s\n' "$screen" | grep -n -m1 -F "$case_no" | cut -d: -f1)
first=$(printf '%s\n' "$screen" | grep -n -m1 -E '[0-9]{6}-[0-9]{4}' | cut -d: -f1)
if [ -n "$line" ] && [ -n "$first" ]; then
	tap_like "$(printf '%s\n' "$screen" | sed -n "${line}p")" "延期.*$case_no" \
		"the request is on the dashboard as 延期 $case_no"
	for _ in $(seq $((line - first))); do e2e_keys Down; done
	e2e_keys Enter
else
	tap_ok 0 "# the request is past the dashboard's first page: open it from the queue"
	e2e_keys 1
	e2e_wait "办件号"
	e2e_keys /
	e2e_wait "搜索全部办件"
	e2e_type "$case_no"
	e2e_keys Enter
	e2e_wait_re "^$case_no " && e2e_keys Enter
fi
e2e_wait "需现场核查经营场所"
tap_ok $? "the supervisor opens $case_no and reads the request and its reason"
e2e_wait "如批准，办结期限为 $due_if"
tap_ok $? "the case screen says the due date if granted ($due_if)"
bar=$(e2e_screen | tail -1)
tap_like "$bar" 't 延期审批' "the key bar offers t 延期审批"
printf '%s' "$bar" | grep -qE '办结|上报|放回|受理'
tap_ok $((! $?)) "and none of the clerk's actions (办结 上报 放回 受理)" "$bar"
e2e_shot extension_decide

e2e_keys t
e2e_wait "批准延期 3 个工作日"
tap_ok $? "t offers to grant the 3 working days"
e2e_wait "不予延期"
tap_ok $? "or to refuse them"
e2e_keys Enter
e2e_wait "审批意见"
tap_ok $? "granting asks for a note"
e2e_type "同意延期3个工作日"
e2e_keys Enter
e2e_wait "延期已批准：办结期限改为 $due_if"
tap_ok $? "the status line shows the new due date"
e2e_wait_gone "等待科长审批"
tap_ok $? "the screen no longer shows a request waiting"

tap_is "$(q "select e.state || '|' || s.login || '|' || e.note from hall.extensions e join hall.staff s on s.id = e.decided_by
             where e.app_id = $app")" "granted|$super|同意延期3个工作日" "the request is granted by $super with the note"
tap_is "$(q "select extension_days from hall.applications where id = $app")" "$((ext_before + 3))" \
	"applications.extension_days grew by 3"
tap_is "$(q "select (due_date = hall.workday_add(clock_start, promised_days + extension_days + paused_days))::text || '|' || due_date
             from hall.applications where id = $app")" "true|$due_if" \
	"due_date = workday_add(clock_start, promised + extension + paused) = $due_if"
tap_is "$(q "select count(*) || '|' || min(actor) || '|' || min(note) from hall.audit where app_id = $app and action = 'grant_extension'")" \
	"1|$super|同意延期3个工作日" "one audit row grant_extension, by $super, with the note"
tap_is "$(q "select count(*) || '|' || min(payload->>'days') || '|' || min(payload->>'due_date')
             from hall.outbox where app_id = $app and event = 'extension_granted' and recipient = 'applicant'")" \
	"1|3|$due_if" "one outbox message tells the applicant (3 days, new due date)"
tap_ok $(e2e_screen | tail -1 | grep -q 't 延期审批' && echo 1 || echo 0) "the key bar no longer offers t: nothing is waiting"
e2e_keys t
e2e_wait "在当前状态下不可用"
tap_ok $? "t again says so"
e2e_quit

# A second request, refused.
due_granted=$(q "select due_date from hall.applications where id = $app")
ext_granted=$(q "select extension_days from hall.applications where id = $app")
outbox_before=$(q "select count(*) from hall.outbox where app_id = $app")
e2e_start clerk01 || { tap_ok 1 "clerk logs in again"; e2e_done; }
e2e_keys /
e2e_wait "搜索全部办件"
e2e_type "$case_no"
e2e_keys Enter
e2e_wait_re "^$case_no " && e2e_keys Enter
e2e_wait "您本人"
e2e_keys t
e2e_wait "工作日数"
e2e_type 2
e2e_keys Enter
e2e_wait "理由"
e2e_type "还需补充调查"
e2e_keys F9
e2e_wait "已申请延期，由科长审批"
tap_ok $? "clerk01 asks again, 2 working days"
e2e_quit

e2e_start "$super" || { tap_ok 1 "supervisor logs in again"; e2e_done; }
e2e_dashboard
e2e_keys 1
e2e_wait "办件号"
e2e_keys /
e2e_wait "搜索全部办件"
e2e_type "$case_no"
e2e_keys Enter
e2e_wait_re "^$case_no " && e2e_keys Enter
e2e_wait "还需补充调查"
tap_ok $? "the supervisor reads the second request"
e2e_keys t
e2e_wait "批准延期 2 个工作日"
e2e_keys Down Enter
e2e_wait "不予延期的理由"
tap_ok $? "refusing asks why"
e2e_keys Enter
sleep 0.3
tap_like "$(e2e_screen_both)" "不予延期的理由" "an empty reason is not accepted"
e2e_type "期限内可以办结，不予延期"
e2e_keys Enter
e2e_wait "已不予延期，办结期限不变"
tap_ok $? "the status line confirms the refusal"
tap_is "$(q "select string_agg(state || ':' || days, ',' order by id) from hall.extensions where app_id = $app")" \
	"granted:3,refused:2" "the second request is refused"
tap_is "$(q "select note from hall.extensions where app_id = $app and state = 'refused'")" "期限内可以办结，不予延期" \
	"with the supervisor's reason"
tap_is "$(q "select due_date || '|' || extension_days from hall.applications where id = $app")" \
	"$due_granted|$ext_granted" "the due date and the extension days did not move"
tap_is "$(q "select count(*) from hall.audit where app_id = $app and action = 'refuse_extension'")" 1 \
	"one audit row refuse_extension"
tap_is "$(q "select count(*) from hall.outbox where app_id = $app")" "$outbox_before" "no message for a refusal"
e2e_quit
[ "$due_before" != "$due_granted" ]
tap_ok $? "the granted extension moved the due date ($due_before -> $due_granted)"
e2e_done
