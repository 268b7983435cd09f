#!/usr/bin/env bash
# Story: the front desk (收件).  A clerk receives a walk-in at the window
# whose materials are not all there: the case is created waiting for them
# and the one-time notice comes out of the window's printer (a private
# CUPS on loopback writing the job to a file, tests/lib/cups.sh).  The
# next applicant is accepted with a material 容缺 (supplied later, on a
# signed commitment): the 受理通知书 is printed.  The supervisor's
# dashboard counts the 容缺 case; the first applicant resubmits online and
# the case comes back to the window's queue.
source "$(dirname "$0")/lib.sh"
source "$E2E_ROOT/tests/lib/cups.sh"
e2e_setup

mkdir -p "$E2E_TMP/cups"
cups_start "$E2E_TMP/cups" "${E2E_CUPS_PORT:-55520}"
case $? in
0) ;;
2) echo "1..0 # SKIP $CUPS_SKIP"; exit 0 ;;
*) echo "Bail out! cannot start the private CUPS server"; exit 1 ;;
esac
prev=$(trap -p EXIT | sed "s/^trap -- '\(.*\)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "cups_stop; $prev" EXIT
printf '[print]\nprinter = %s\n' "$CUPS_PRINTER" >>"$E2E_TMP/hallterm.ini"
E2E_EXTRA_ENV="CUPS_SERVER=$CUPS_SERVER"

# A valid resident ID number (GB 11643: the check digit of the first 17).
id_number() { # id_number BIRTHDATE SERIAL
	python3 - "$1" "$2" <<'EOF'
import sys
body = '230102' + sys.argv[1] + sys.argv[2]
w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
print(body + '10X98765432'[sum(int(c) * k for c, k in zip(body, w)) % 11])
EOF
}
printed() { # printed: the printer's output so far
	cat "$CUPS_OUT" 2>/dev/null
}

# The item: one clerk01's window serves, filed in person, three materials
# or more of which a required one may be accepted 容缺.
read -r code item_name initials < <(e2e_psql "select i.code, i.name, i.initials
	from hall.items i join hall.situations s on s.item_id = i.id and s.code = 'self'
	where exists (select 1 from hall.window_items wi join hall.staff_windows sw on sw.window_code = wi.window_code
	              join hall.staff st on st.id = sw.staff_id where wi.item_id = i.id and st.login = 'clerk01')
	  and (select count(*) from hall.situation_materials x where x.situation_id = s.id) >= 3
	  and exists (select 1 from hall.situation_materials x where x.situation_id = s.id and x.may_defer)
	order by i.code limit 1" | tr '|' ' ')
tap_ok "$([ -n "$code" ] && echo 0 || echo 1)" "clerk01's window serves $item_name ($code, $initials) with a material that may be 容缺"
mapfile -t mats < <(e2e_psql "select m.name || '|' || x.may_defer from hall.situation_materials x
	join hall.situations s on s.id = x.situation_id join hall.items i on i.id = s.item_id
	join hall.materials m on m.id = x.material_id
	where i.code = '$code' and s.code = 'self' order by x.ord, x.material_id")
defer_at=-1
for k in "${!mats[@]}"; do
	[ "${mats[$k]##*|}" = true ] && [ $defer_at -lt 0 ] && defer_at=$k
done
missing_at=$(( defer_at == 0 ? 1 : 0 ))
missing_name=${mats[$missing_at]%|*}
defer_name=${mats[$defer_at]%|*}

# ---- 1. materials missing: the one-time notice ---------------------------
e2e_start clerk01 || { tap_ok 1 "clerk01 logs in"; e2e_done; }
e2e_keys a
e2e_wait "办理哪个事项" 5
tap_ok $? "a opens 收件 and asks for the item"
e2e_type "$initials"
e2e_wait "$code" 5
tap_ok $? "typing the pinyin initials $initials finds $code"
e2e_shot receive_pick
e2e_keys Enter
e2e_wait "受理条件" 10
tap_like "$(e2e_screen_both)" "$item_name.*承诺 [0-9]+ 个工作日" "the form shows the item's guide: its promised time limit"
id1=$(id_number 19800101 123)
e2e_keys e
e2e_wait "身份证号" 5
e2e_type "$id1"; e2e_keys Enter
e2e_wait "姓名" 5
e2e_type "收件测试甲"; e2e_keys Enter
e2e_wait "电话" 5
e2e_type "13800001234"; e2e_keys Enter
e2e_wait "申请人：收件测试甲" 5
tap_ok $? "e takes the applicant's ID number, name and phone"
# The missing material: down to it, then Space twice (复印件, 缺).
for ((k = 0; k < missing_at; k++)); do e2e_keys Down; done
e2e_keys Space Space
e2e_wait "材料：缺 1" 5
tap_ok $? "Space marks $missing_name missing"
e2e_shot receive_form
cups_clear_output
e2e_keys m
e2e_wait "一次性告知书吗" 5
e2e_keys y
e2e_wait "已打印" 15
tap_ok $? "m records the materials missing and says the notice was printed"
e2e_shot receive_printed
case1=$(e2e_psql "select a.case_no from hall.applications a join hall.applicants p on p.id = a.applicant_id
	where p.id_number = '$id1' order by a.id desc limit 1")
tap_is "$(e2e_psql "select state || ' ' || channel from hall.applications where case_no = '$case1'")" "returned window" \
	"the case $case1 waits for the material (returned), received at the window"
for i in $(seq 1 50); do [ -s "$CUPS_OUT" ] && grep -q "$case1" "$CUPS_OUT" && break; sleep 0.2; done
out=$(printed)
tap_like "$out" "一次性告知书" "the printer prints the one-time notice"
tap_like "$out" "$case1" "with the case number"
tap_like "$out" "$missing_name" "naming the missing material ($missing_name)"
tap_like "$out" "$(e2e_psql "select hall.setting('hall_name')")" "with the hall's name"
number=$(e2e_psql "select n.number from hall.notices n join hall.applications a on a.id = n.app_id where a.case_no = '$case1'")
tap_like "$out" "$number" "and its number $number, as the database issued it"

# ---- 2. accepted with a material 容缺 -------------------------------------
e2e_keys a
e2e_wait "办理哪个事项" 5
e2e_type "$code"
e2e_wait "$item_name" 5
e2e_keys Enter
e2e_wait "受理条件" 10
id2=$(id_number 19900202 456)
e2e_keys e
e2e_wait "身份证号" 5
e2e_type "$id2"; e2e_keys Enter
e2e_wait "姓名" 5
e2e_type "收件测试乙"; e2e_keys Enter
e2e_wait "电话" 5
e2e_keys Enter
e2e_wait "申请人：收件测试乙" 5
for ((k = 0; k < defer_at; k++)); do e2e_keys Down; done
# original -> copy -> missing -> (not applicable: it is required) -> 容缺
e2e_keys Space Space Space
e2e_wait "容缺 1" 5
tap_ok $? "Space steps $defer_name to 容缺 (the item allows it)"
cups_clear_output
e2e_keys F9
e2e_wait "现在受理此件吗" 5
e2e_keys y
e2e_wait "承诺书" 5
e2e_keys y
e2e_wait "已打印" 15
tap_ok $? "F9 accepts on the signed commitment and prints"
case2=$(e2e_psql "select a.case_no from hall.applications a join hall.applicants p on p.id = a.applicant_id
	where p.id_number = '$id2' order by a.id desc limit 1")
tap_is "$(e2e_psql "select a.state || ' ' || s.login from hall.applications a join hall.staff s on s.id = a.claimed_by where a.case_no = '$case2'")" \
	"in_review clerk01" "the case $case2 is accepted and held by clerk01"
tap_is "$(e2e_psql "select count(*) from hall.v_deferred where case_no = '$case2' and state = 'open'")" 1 \
	"one material is owed 容缺"
for i in $(seq 1 50); do grep -q "$case2" "$CUPS_OUT" 2>/dev/null && break; sleep 0.2; done
out=$(printed)
tap_like "$out" "受理通知书" "the printer prints the 受理通知书"
tap_like "$out" "$defer_name" "naming the material to supply later ($defer_name)"

# The case screen shows what is owed; b records it brought.
e2e_keys /
sleep 0.5
e2e_type "$case2"
e2e_keys Enter
e2e_wait_re "^办件号 +$case2 " 10
e2e_wait "容缺" 10
tap_like "$(e2e_screen)" "$defer_name：应于 [0-9-]+ 前补交，还有 [0-9]+ 个工作日" "the case screen says what is owed and by when"
e2e_shot receive_case
e2e_keys b
e2e_wait "补交了哪项容缺材料" 5
e2e_keys Enter
e2e_wait "已记录" 10
tap_is "$(e2e_psql "select state from hall.v_deferred where case_no = '$case2'")" "supplied" \
	"b records the material brought (hall.supply_deferred)"
e2e_quit

# ---- 3. an elderly applicant, filed online for them: first in the queue ---
e2e_start clerk01 || { tap_ok 1 "clerk01 logs in again"; e2e_done; }
e2e_keys a
e2e_wait "办理哪个事项" 5
e2e_type "$code"
e2e_wait "$item_name" 5
e2e_keys Enter
e2e_wait "受理条件" 10
id3=$(id_number 19480303 789)
e2e_keys e
e2e_wait "身份证号" 5
e2e_type "$id3"; e2e_keys Enter
e2e_wait "姓名" 5
e2e_type "收件测试丙"; e2e_keys Enter
e2e_wait "电话" 5
e2e_keys Enter
e2e_wait "申请人：收件测试丙" 5
e2e_keys l
e2e_wait "绿色通道：原因" 5
e2e_keys Down Enter
e2e_wait "绿色通道：elderly" 5
e2e_keys w
e2e_wait "帮办：代为网上申报" 5
tap_ok $? "l marks the green channel (70 or older), w files it online for the applicant (帮办)"
e2e_keys F9
e2e_wait "现在受理此件吗" 5
e2e_keys y
e2e_wait "已打印" 15
case3=$(e2e_psql "select a.case_no from hall.applications a join hall.applicants p on p.id = a.applicant_id
	where p.id_number = '$id3' order by a.id desc limit 1")
tap_is "$(e2e_psql "select a.channel || ' ' || a.green_channel || ' ' || a.queue_rank || ' ' || s.login
	from hall.applications a join hall.receptions r on r.app_id = a.id join hall.staff s on s.id = r.assisted_by
	where a.case_no = '$case3'")" "web elderly 0 clerk01" "the database has it filed on the web by clerk01 (帮办), green channel first"
# The cursor stays on the case it was on (the list keeps its place when
# a case arrives above it); Home shows the top.
e2e_keys Home
e2e_wait "$case3" 10
# (the first row under the headings: the window's status line is above them)
tap_like "$(e2e_screen | grep -A1 '^办件号 ' | sed -n 2p)" "^$case3 " "$case3 heads the window's queue"
e2e_quit

# ---- 4. the supervisor sees the 容缺 case ---------------------------------
e2e_start super01 || { tap_ok 1 "super01 logs in"; e2e_done; }
e2e_dashboard
owed=$(PGPASSWORD=demo psql -X -At -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U super01 -d "$E2E_DB" -c \
	"select coalesce(sum(open), 0) from hall.v_deferred_counts")
tap_like "$(e2e_screen)" "容缺：待补 $owed" "the supervisor's dashboard counts the 容缺 cases owed ($owed)"
e2e_shot receive_supervisor
# The month's front desk per clerk: m (scorecard), p this month, f.
e2e_keys Escape
e2e_wait "每日按时率" 10
e2e_keys m
e2e_wait "月度考评" 10
e2e_keys p
e2e_wait "YYYY-MM" 5
e2e_keys C-u
e2e_type "$(e2e_psql "select to_char(hall.today(), 'YYYY-MM')")"
e2e_keys Enter
sleep 0.5
e2e_keys f
e2e_wait "窗口收件（按人员）" 10
e2e_wait "窗口收件 " 10
mine=$(PGPASSWORD=demo psql -X -At -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U super01 -d "$E2E_DB" -c \
	"select received || ' ' || accepted || ' ' || incomplete from hall.front_desk_counts(date_trunc('month', hall.today())::date)
	 where login = 'clerk01'")
tap_is "$mine" "3 2 1" "the database counts clerk01's three walk-ins: two accepted, one incomplete"
tap_like "$(e2e_screen | grep -F "$(e2e_psql "select name from hall.staff where login = 'clerk01'")")" " +3 +2 +1 +0 +1 " \
	"f on the scorecard shows them on clerk01's row, 帮办 counted"
e2e_shot receive_frontdesk
e2e_quit

# ---- 5. the first applicant resubmits online: back in the queue -----------
e2e_start clerk01 || { tap_ok 1 "clerk01 logs in again"; e2e_done; }
app1=$(e2e_psql "select id from hall.applications where case_no = '$case1'")
mids=$(e2e_psql "select array_to_string(material_ids, ',') from hall.returns where app_id = $app1 and seq = 1")
e2e_psql "select hall.resubmit($app1, array[$mids])" >/dev/null
# A whole case number typed after / opens that case.
e2e_keys /
sleep 0.5
e2e_type "$case1"
e2e_keys Enter
e2e_wait_re "^办件号 +$case1 +待受理" 10
tap_ok $? "resubmitted, $case1 is back in the window's queue, to be accepted"
e2e_done
