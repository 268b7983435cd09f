#!/usr/bin/env bash
# Story: the keys fit the case and the role, and a refusal keeps what was
# typed.  A second hallterm approves a case first; the first one's approve
# is refused with who did it and the state now, and its key bar then offers
# no approve.  A refused extension (30 days) reopens with "30" in it.
# Ctrl-C asks before quitting.  A supervisor's queue offers no claim.  /
# finds a completed case by part of a name and by the full ID number (never
# shown); Esc clears a filter before it leaves.
source "$(dirname "$0")/lib.sh"
e2e_setup

as_clerk() { # as_clerk LOGIN SQL: run SQL logged in as a demo account
	PGPASSWORD=demo psql -X -At -v ON_ERROR_STOP=1 -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U "$1" -d "$E2E_DB" -c "$2"
}
second() { # second COMMAND...: run one lib function against the second terminal
	local keep=$E2E_SESSION
	E2E_SESSION=ht2
	"$@"
	local rc=$?
	E2E_SESSION=$keep
	return $rc
}
open_case() { # open_case CASE_NO: / with the whole number opens it
	e2e_keys /
	e2e_wait "搜索全部办件"
	e2e_type "$1"
	e2e_keys Enter
	e2e_wait_re "^办件号 +$1 "
}

# --------------------------------------------------------------- stale
app=$(as_clerk clerk05 "select hall.claim_next('A05')")
tap_ok $([ -n "$app" ] && echo 0 || echo 1) "clerk05 holds a case of A05 (#$app)"
case_no=$(e2e_psql "select case_no from hall.applications where id = $app")

e2e_start clerk05 || { tap_ok 1 "log in"; e2e_done; }
open_case "$case_no"
bar=$(e2e_screen | tail -1)
tap_like "$bar" 'a 办结' "a case in review held by the clerk offers a 办结"
e2e_keys a
e2e_wait "备注（可不填）"
e2e_type "材料齐全"
e2e_keys Enter
e2e_wait "确定准予办结此办件吗"
tap_ok $? "approve says what it will do and asks once"

# Meanwhile the same clerk's second terminal approves it first.
second e2e_start clerk05 || tap_ok 1 "second terminal"
second open_case "$case_no"
second e2e_keys a
second e2e_wait "备注（可不填）"
second e2e_keys Enter
second e2e_wait "确定准予办结此办件吗"
second e2e_keys y
second e2e_wait "办件已办结"
tap_ok $? "the second hallterm approves the case"
second e2e_keys F10
second e2e_exited 5 >/dev/null

e2e_keys y
e2e_wait "已先处理了此办件"
tap_ok $? "the first one is refused: someone changed the case first"
screen=$(e2e_screen)
tap_like "$screen" '王丽|杨帆' "the message names who did it"
tap_like "$screen" '现在的状态是“已办结”' "and the state it is in now"
tap_like "$screen" '办件号 +'"$case_no"' +已办结' "the case screen shows it as it is now"
tap_is "$(e2e_psql "select count(*) from hall.audit where app_id = $app and action = 'approve'")" 1 \
	"the case was approved once"
bar=$(e2e_screen | tail -1)
printf '%s' "$bar" | grep -qE 'a 办结|r 退回|e 上报|x 不予许可|l 放回'
tap_ok $((! $?)) "the key bar of a completed case offers no approve, return, escalate, reject or release" "$bar"
tap_like "$bar" 'Esc 返回' "and still shows the way back"
e2e_keys a
e2e_wait "在当前状态下不可用"
tap_ok $? "a on a completed case says it is not possible now"

# --------------------------------------------------- a refused extension
app2=$(as_clerk clerk05 "select hall.claim_next('A05')")
case2=$(e2e_psql "select case_no from hall.applications where id = $app2")
e2e_keys Escape
e2e_wait "办结剩余"
open_case "$case2"
e2e_keys t
e2e_wait "工作日数"
e2e_type "abc"
e2e_keys Enter
e2e_wait "须为整数"
tap_like "$(e2e_screen_both)" 'abc' "a number that is not one is refused and the dialog keeps it"
e2e_keys C-u
e2e_type "30"
e2e_keys Enter
e2e_wait "理由"
e2e_type "需要向外省调取档案核实"
e2e_keys F9
e2e_wait "工作日数" 5
screen=$(e2e_screen)
tap_like "$screen" '30' "30 days refused by the database: the dialog opens again with 30 in it"
tap_like "$screen" '10' "and says why (at most 10 working days)"
tap_is "$(e2e_psql "select count(*) from hall.extensions where app_id = $app2")" 0 "nothing was asked"
e2e_keys C-u
e2e_type "3"
e2e_keys Enter
e2e_wait "需要向外省调取档案核实"
tap_ok $? "the reason typed before is still there"
e2e_keys F9
e2e_wait "已申请延期"
tap_is "$(e2e_psql "select days || '|' || reason from hall.extensions where app_id = $app2")" \
	"3|需要向外省调取档案核实" "3 days with the reason typed the first time"
e2e_keys Escape

# ------------------------------------------------------- search any case
IFS='|' read -r done_no part < <(e2e_psql "select a.case_no, substr(p.name, 2) from hall.applications a
	join hall.applicants p on p.id = a.applicant_id
	where a.window_code = 'A05' and a.state = 'completed' and char_length(p.name) >= 3
	  and (select count(*) from hall.applications b join hall.applicants q on q.id = b.applicant_id
	       where b.window_code = 'A05' and q.name like '%' || substr(p.name, 2) || '%') <= 12
	order by a.id limit 1")
tap_ok $([ -n "$done_no" ] && echo 0 || echo 1) "a completed case of A05 ($done_no), its applicant's name contains $part"
e2e_wait "办结剩余"
e2e_keys /
e2e_wait "搜索全部办件"
e2e_type "$part"
e2e_keys Enter
e2e_wait "$done_no"
tap_ok $? "/ with part of the name finds the completed case"
tap_like "$(e2e_screen | grep "^$done_no")" '已办结|超期办结' "marked as completed"
tap_like "$(e2e_screen_both)" '所有状态；Esc 清除' "the header says the search covers every state"

IFS='|' read -r id_no id_case < <(e2e_psql "select p.id_number, a.case_no from hall.applications a
	join hall.applicants p on p.id = a.applicant_id
	where a.window_code = 'A05' and a.state in ('completed', 'rejected') and p.kind = 'person'
	  and (select count(*) from hall.applications b where b.applicant_id = p.id) = 1
	order by a.id limit 1")
e2e_keys /
e2e_wait "搜索全部办件"
e2e_keys C-u
e2e_type "$id_no"
e2e_keys Enter
e2e_wait "$id_case"
tap_ok $? "/ with the full ID number finds the applicant's case"
screen=$(e2e_screen)
tap_is "$(grep -c '^[0-9]\{6\}-[0-9]\{4\} ' <<<"$screen")" 1 "and only that one"
printf '%s' "$screen" | grep -qF "$id_no"
tap_ok $((! $?)) "the full ID number is not shown on the list"

e2e_keys Escape
e2e_wait "已清除搜索和筛选"
tap_ok $? "Esc clears the search first"
e2e_keys f
e2e_wait "全部在办办件"
e2e_keys Down Down Down Down Down Enter
e2e_wait "筛选： 超期"
tap_ok $? "the filter offers 超期"
rows=$(e2e_screen | grep -E '^[0-9]{6}-[0-9]{4} ')
tap_ok $(grep -qv '!!' <<<"$rows" && echo 1 || echo 0) "every case listed is overdue"
e2e_keys Escape
e2e_wait "已清除搜索和筛选"
tap_ok $? "Esc clears the filter before it leaves"
e2e_wait_gone "筛选："
tap_ok $? "the whole queue is back"

# ------------------------------------- a progress inquiry opens its case
dept=$(e2e_psql "select department_code from hall.windows where code = 'A05'")
# Asked a month before the database's clock (whatever E2E_NOW is), so it
# heads the department's list.
ref=$(e2e_psql "select set_config('hall.fake_now', (hall.now() - interval '30 days')::text, false);
	select ref from hall.inquiries where id = hall.ask('web', '$dept', '{\"name\": \"张三\"}',
	'办件进度查询', '您好，请问办件 $done_no 现在办到哪一步了？')")
e2e_keys 2
e2e_wait "待答复咨询"
e2e_keys /
e2e_wait "在本列表中查找"
e2e_type "$ref"
e2e_keys Enter Enter
e2e_wait "办件进度查询"
tap_like "$(e2e_screen | tail -1)" '回车 打开' "a progress inquiry offers Enter to open the case it names"
e2e_keys Enter
e2e_wait_re "^办件号 +$done_no "
tap_ok $? "Enter opens $done_no from the inquiry"
e2e_keys Escape Escape 1
e2e_wait "办结剩余"

# ------------------------------------------------------------- Ctrl-C
e2e_keys C-c
e2e_wait "要退出 hallterm 吗"
tap_ok $? "Ctrl-C asks before quitting"
e2e_keys n
e2e_wait_gone "要退出 hallterm 吗"
tap_like "$(e2e_screen_both)" '办结剩余' "n: still running, the queue is there"
e2e_keys C-c
e2e_wait "要退出 hallterm 吗"
e2e_keys y
tap_is "$(e2e_exited 5)" 0 "Ctrl-C then y leaves, exit status 0"

# ------------------------------------------------- a supervisor's queue
e2e_start super02 || tap_ok 1 "log in as a supervisor"
e2e_keys 1
e2e_wait "办结剩余"
bar=$(e2e_screen | tail -1)
printf '%s' "$bar" | grep -qE 'n 下一件|c 受理'
tap_ok $((! $?)) "a supervisor's queue offers no claim (n, c)" "$bar"
e2e_keys n
e2e_wait "在当前状态下不可用"
tap_ok $? "and n says so"
e2e_quit
e2e_done
