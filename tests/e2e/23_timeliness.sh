#!/usr/bin/env bash
# Story: a supervisor's month.  super01 lands on the timeliness of SCJG,
# changes the period to last month and back, sorts by the on-time rate,
# opens the clerk who holds an overdue case, opens the case and gives it to
# a colleague (改派); the clerk's own hallterm, showing the cases they hold,
# sees it leave.  Then the table is saved as CSV and read back with
# Python's csv module: a BOM, the Chinese headers, one row per clerk.
source "$(dirname "$0")/lib.sh"
e2e_setup

second() { # second COMMAND...: run one lib function against the second terminal
	local keep=$E2E_SESSION
	E2E_SESSION=ht2
	"$@"
	local rc=$?
	E2E_SESSION=$keep
	return $rc
}

# An overdue case held by a clerk of SCJG, and that clerk (from the data).
read -r app case_no holder holder_name < <(e2e_psql "select a.id, a.case_no, s.login, s.name
	from hall.applications a join hall.staff s on s.id = a.claimed_by
	where a.state = 'in_review' and a.department_code = 'SCJG' and a.sort_due < hall.today()
	  and exists (select 1 from hall.staff_windows w join hall.window_items wi on wi.window_code = w.window_code
	              join hall.staff o on o.id = w.staff_id
	              where wi.item_id = a.item_id and o.id <> s.id and o.kind = 'clerk' and o.active)
	order by a.sort_due, a.id limit 1" | tr '|' ' ')
tap_ok "$([ -n "$case_no" ] && echo 0 || echo 1)" "the demo has an overdue case held by a clerk of SCJG ($case_no, $holder)"

# The clerk's own terminal: the cases they hold (f: 由我受理).
second e2e_start "$holder" || tap_ok 1 "the clerk logs in"
second e2e_keys f
second e2e_wait "按状态筛选" 5
second e2e_keys End Enter
sleep 0.5
second e2e_keys Enter
second e2e_wait "筛选： 我受理的" 5
second e2e_wait "$case_no" 10
tap_ok $? "the clerk's screen lists $case_no among the cases they hold"

# ---- the supervisor's first screen ------------------------------------------
e2e_start super01 || { tap_ok 1 "super01 logs in"; e2e_done; }
e2e_wait "每日按时率" 10
screen=$(e2e_screen_both)
tap_like "$(e2e_screen | sed -n 1p)" "时效" "the supervisor's first screen is timeliness"
tap_like "$screen" "时段：本月 [0-9-]+ 至 [0-9-]+" "for this month"
tap_like "$screen" "办结 [0-9]+ 件：按时率 [0-9.]+%" "with the department's cases completed and on-time rate"
tap_like "$screen" "答复用时中位数 [0-9.-]+ 工时" "and the median reply time in working hours"
tap_like "$screen" "$holder_name" "one row per clerk, $holder_name among them"
prev=$(PGPASSWORD=demo psql -X -At -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U super01 -d "$E2E_DB" -c \
	"select to_char(round(on_time_rate * 100, 1), 'FM990.0') from hall.timeliness_department(
	   (date_trunc('month', hall.today()) - interval '1 month')::date, (date_trunc('month', hall.today()) - interval '1 day')::date)")
tap_like "$screen" "上期：按时率 ${prev}%" "compared with last month: its on-time rate, ${prev}%"
e2e_shot timeliness

# p: last month, then this month again.
e2e_keys p
e2e_wait "选择时段"
e2e_keys Home Down Down Down Enter
e2e_wait "时段：上月" 10
tap_ok $? "p changes the period to last month"
lm=$(e2e_psql "select to_char(date_trunc('month', hall.today()) - interval '1 month', 'YYYY-MM-DD')")
tap_like "$(e2e_screen_both)" "时段：上月 $lm 至" "last month starts on $lm"
e2e_keys p
e2e_wait "选择时段"
e2e_keys Home Down Down Enter
e2e_wait "时段：本月" 10

# >: sorted by the on-time rate, the highest first.
e2e_keys '>'
e2e_wait "排序：按时% ↓"
tap_ok $? "> sorts by the on-time rate, highest first"
sleep 0.5
rates=$(e2e_screen | sed -n '/人员\/窗口/,$p' | grep -oE ' [0-9]+\.[0-9]%' | head -20 | tr -d ' %' | sed -n '1~2p')
sorted=$(printf '%s\n' $rates | sort -rn)
tap_is "$(printf '%s\n' $rates)" "$sorted" "the rows are in descending on-time rate"

# Enter on the clerk: their late and overdue items.
e2e_keys /
e2e_wait "在本列表中查找"
e2e_keys C-u   # the last text looked for is offered again
e2e_type "$holder_name"
e2e_keys Enter
sleep 0.3
e2e_keys Enter
e2e_wait "超期与违规：$holder_name" 10
e2e_wait "$case_no" 10
tap_ok $? "Enter on $holder_name lists the overdue case $case_no"
e2e_shot timeliness_clerk

# Enter on the case, o: give it to a colleague.
e2e_keys /
e2e_wait "在本列表中查找"
e2e_keys C-u   # the last text looked for is offered again
e2e_type "$case_no"
e2e_keys Enter
sleep 0.3
e2e_keys Enter
e2e_wait_re "^办件号 +$case_no " 10
tap_ok $? "Enter on the item opens the case"
# o is offered once the clerks it may go to have come (supx.c asks for
# them when the case has): wait for the key bar, as the supervisor reads it.
e2e_wait "o 改派" 10
e2e_keys o
e2e_wait "改派给哪位窗口人员" 10
tap_ok $? "o asks which clerk to give it to"
e2e_keys Enter
e2e_wait "原因"
e2e_type "病假，改派"
e2e_keys Enter
e2e_wait "现经办人将不再持有"
e2e_keys y
e2e_wait "已改派" 10
tap_ok $? "the supervisor reassigns $case_no"
new_holder=$(e2e_psql "select s.login from hall.applications a join hall.staff s on s.id = a.claimed_by where a.id = $app")
tap_ok "$([ -n "$new_holder" ] && [ "$new_holder" != "$holder" ] && echo 0 || echo 1)" \
	"the database holds it for another clerk ($new_holder)"
tap_is "$(e2e_psql "select count(*) from hall.audit where app_id = $app and action = 'reassign' and note = '病假，改派'")" 1 \
	"audited with the reason"

second e2e_wait_gone "$case_no" 15
tap_ok $? "the clerk's own screen loses $case_no without a key pressed"
second e2e_shot timeliness_clerk_after

# ---- E: the table as CSV ----------------------------------------------------
e2e_keys Escape
e2e_wait "超期与违规"
e2e_keys Escape
e2e_wait "排序：按时率"
e2e_keys E
e2e_wait "保存为"
e2e_keys C-u
e2e_type "$E2E_TMP/clerks.csv"
e2e_keys Enter
e2e_wait "字节顺序标记"
e2e_keys y
e2e_wait "已保存 CSV" 10
tap_ok $? "E saves the table as CSV"
expected=$(PGPASSWORD=demo psql -X -At -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U super01 -d "$E2E_DB" -c \
	"select count(*) from hall.timeliness_clerks(date_trunc('month', hall.today())::date, hall.today())")
out=$(python3 - "$E2E_TMP/clerks.csv" <<'EOF'
import csv, sys
raw = open(sys.argv[1], 'rb').read()
print('bom' if raw.startswith(b'\xef\xbb\xbf') else 'nobom')
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
print(','.join(rows[0][:4]))
print(len(rows) - 1)
EOF
)
tap_is "$(echo "$out" | sed -n 1p)" "bom" "the file starts with the UTF-8 byte-order mark asked for"
tap_is "$(echo "$out" | sed -n 2p)" "工号,姓名,科室,办结数" "a CSV reader finds the Chinese headers"
tap_is "$(echo "$out" | sed -n 3p)" "$expected" "one row per clerk of the department ($expected)"

second e2e_keys F10
second e2e_exited 5 >/dev/null
e2e_quit
e2e_done
