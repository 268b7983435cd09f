#!/usr/bin/env bash
# Story: the training room (issue 12).  trainer01 logs in to the training
# room; a trainee's queue is open in a second hallterm.  The trainer resets
# the training database (R, asks first) and the trainee's open screen sees
# it; sets the clock to the afternoon before the National Day holiday (c),
# which every screen then shows beside the real time, and steps it to the
# next working day 9:00; starts the 一次性告知 exercise (e).  The trainee
# returns a case, the applicant resubmits, and the trainee's second return
# names a material the first did not: the trainer's room shows that breach
# against that trainee, their actions list it, and the class's debrief
# saved as CSV (E) says so, read back with python3's csv module.
# The shared demo database is left as found: the exercise ended, the seed
# reloaded, the clock at E2E_NOW running.
source "$(dirname "$0")/lib.sh"
e2e_setup

trainee=clerk20
as_trainer() {
	PGPASSWORD=demo psql -X -At -v ON_ERROR_STOP=1 -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U trainer01 -d "$E2E_DB" -c "$1"
}
restored=
restore() {
	[ -n "$restored" ] && return
	restored=1
	as_trainer "select hall.exercise_end() from hall.exercise_current()" >/dev/null 2>&1
	as_trainer "select hall.demo_reset()" >/dev/null 2>&1
	as_trainer "select hall.set_clock('$E2E_NOW', true)" >/dev/null 2>&1
}
old_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "restore; $old_trap" EXIT

# The trainee first, their queue open.
e2e_start $trainee || { tap_ok 1 "the trainee logs in"; e2e_done; }
e2e_claim_next
e2e_wait "您本人" || { tap_ok 1 "the trainee claims a case"; e2e_done; }
claimed=$(e2e_screen | grep -m1 -oE '[0-9]{6}-[0-9]{4}')
e2e_keys Escape
e2e_wait "办件号"

# The trainer: the training room is the first screen.
E2E_SESSION=tr e2e_start trainer01 100 32 || { tap_ok 1 "the trainer logs in"; e2e_done; }
E2E_SESSION=tr e2e_wait "培训室" 5
tap_ok $? "the trainer's first screen is the training room"
E2E_SESSION=tr e2e_wait_re "$trainee +[1-9]" 5
tap_ok $? "the trainee is in the room with the claim they made"
E2E_SESSION=tr e2e_shot training-room-empty

# Reset, with a confirmation.
E2E_SESSION=tr e2e_keys R
E2E_SESSION=tr e2e_wait "恢复到初始状态吗"
tap_ok $? "R asks before resetting"
E2E_SESSION=tr e2e_keys y
E2E_SESSION=tr e2e_wait "培训数据库已恢复到初始状态" 10
tap_ok $? "the reset is done and says how long it took"
tap_is "$(e2e_psql "select coalesce(claimed_by::text, 'nobody') from hall.applications where case_no = '$claimed'")" nobody \
	"the case the trainee had claimed is unclaimed again"
unclaimed=1
for _ in $(seq 100); do
	e2e_screen | grep -E "^$claimed " | grep -q "您本人" || { unclaimed=0; break; }
	sleep 0.05
done
tap_ok $unclaimed "the trainee's open queue sees the reset by itself (still logged in)"

# The clock: the afternoon before the National Day holiday, then the
# next working day 9:00 (after the holiday).
E2E_SESSION=tr e2e_keys c
E2E_SESSION=tr e2e_wait "设定时刻"
E2E_SESSION=tr e2e_keys Enter
E2E_SESSION=tr e2e_wait "YYYY-MM-DD HH:MM"
E2E_SESSION=tr e2e_keys C-u
E2E_SESSION=tr e2e_type "2026-09-30 16:30"
E2E_SESSION=tr e2e_keys Enter
E2E_SESSION=tr e2e_wait "培训时间 09-30 16:3" 5
tap_ok $? "the trainer's screen shows the training time beside the real one"
E2E_SESSION=tr e2e_shot training-clock
E2E_SESSION=tr e2e_keys c
E2E_SESSION=tr e2e_wait "下一个工作日"
E2E_SESSION=tr e2e_keys Down Enter
E2E_SESSION=tr e2e_wait "培训时间 10-08 09:0" 5
tap_ok $? "next working day 9:00 skips the holiday"

# The 一次性告知 exercise (the first of the list, sorted by title).
E2E_SESSION=tr e2e_keys e
E2E_SESSION=tr e2e_wait "一次性告知 (one-time-notice)"
tap_ok $? "e lists the scenarios by title"
E2E_SESSION=tr e2e_keys Enter
E2E_SESSION=tr e2e_wait "演练：一次性告知" 15
tap_ok $? "the exercise runs and the room says so"
tap_is "$(e2e_psql "select count(*) from hall.exercise_current()")" 1 "the database has the exercise running"
e2e_wait "培训时间 10-08 09:0" 5
tap_ok $? "the trainee's screen shows the training time too (told by the exercise's NOTIFY)"

# The trainee: a return naming one material, the applicant resubmits it,
# a second return naming another one.
e2e_claim_next
e2e_wait "您本人" || { tap_ok 1 "the trainee claims a case in the exercise"; e2e_done; }
case_no=$(e2e_screen | grep -m1 -oE '[0-9]{6}-[0-9]{4}')
app=$(e2e_psql "select id from hall.applications where case_no = '$case_no'")
e2e_keys r
e2e_wait "请标出全部缺少或有误的材料"
e2e_keys Space Enter
e2e_wait "其他问题"
e2e_keys F9
e2e_wait "将此退回通知发送给申请人吗"
e2e_keys y
e2e_wait "办件已退回补正"
first_id=$(e2e_psql "select (material_ids)[1] from hall.returns where app_id = $app and seq = 1")
e2e_psql "select hall.resubmit($app, array[$first_id])" >/dev/null
e2e_wait "待受理" 5
e2e_keys c
e2e_wait "您本人"
e2e_keys r
e2e_wait "此办件此前已退回 1 次"
e2e_keys y
e2e_wait "请标出全部缺少或有误的材料"
e2e_keys Down Space Enter
e2e_wait "其他问题"
e2e_keys F9
e2e_wait "将此退回通知发送给申请人吗"
e2e_keys y
e2e_wait "违反一次性告知"
e2e_type "上次漏告知了该材料"
e2e_keys F9
e2e_wait "办件已退回补正"
tap_is "$(e2e_psql "select count(*) from hall.returns where app_id = $app and breach")" 1 \
	"the trainee's second return named a new material: a breach"

# The trainer's room: claims 2, approved 0, returns 2, notice broken 1,
# and the refused attempt (the second return without a reason).
E2E_SESSION=tr e2e_wait_re "$trainee +2 +0 +2 +1 " 8
tap_ok $? "the room shows the breach against the trainee"
row=$(E2E_SESSION=tr e2e_screen | grep -E "$trainee +[0-9]")
tap_like "$row" " 1 +[0-9]{2}:[0-9]{2} *$" "and the refused attempt, and the time of the last action"
E2E_SESSION=tr e2e_shot training-room
E2E_SESSION=tr e2e_keys Home
# Select the trainee's row, then their actions.
n=$(E2E_SESSION=tr e2e_screen | grep -nE "^ *[^ ].* $trainee +[0-9]" | head -1 | cut -d: -f1)
first=$(E2E_SESSION=tr e2e_screen | grep -nE " clerk[0-9]+ +[0-9]" | head -1 | cut -d: -f1)
for _ in $(seq $((n - first))); do E2E_SESSION=tr e2e_keys Down; done
E2E_SESSION=tr e2e_keys Enter
E2E_SESSION=tr e2e_wait "的操作（按时间顺序" 5
E2E_SESSION=tr e2e_wait "违反一次性告知" 5
tap_ok $? "Enter shows the trainee's actions in order, the breach marked"
E2E_SESSION=tr e2e_shot training-actions

# The class's debrief, saved as CSV.
E2E_SESSION=tr e2e_keys Escape
E2E_SESSION=tr e2e_wait "学员："
E2E_SESSION=tr e2e_keys b
E2E_SESSION=tr e2e_wait "全班讲评" 5
E2E_SESSION=tr e2e_wait "违规" 5
tap_ok $? "b shows the class's debrief with the rule broken"
E2E_SESSION=tr e2e_shot training-debrief
E2E_SESSION=tr e2e_keys E
E2E_SESSION=tr e2e_wait "保存为"
E2E_SESSION=tr e2e_keys C-u
E2E_SESSION=tr e2e_type "$E2E_TMP/debrief.csv"
E2E_SESSION=tr e2e_keys Enter
E2E_SESSION=tr e2e_wait "UTF-8"
E2E_SESSION=tr e2e_keys n
E2E_SESSION=tr e2e_wait "已保存 CSV" 5
csv=$(python3 - "$E2E_TMP/debrief.csv" "$trainee" "$case_no" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
body = rows[1:]
assert all(len(r) == len(rows[0]) for r in body), "ragged rows"
hit = [r for r in body if r[0] == sys.argv[2] and r[2] == "rule" and r[3] == "second_return" and r[5] == sys.argv[3]]
cls = [r for r in body if r[0] == "（全班）" and r[3] == "second_return"]
print("ok" if hit and cls else "missing: %r" % body)
EOF
)
tap_is "$csv" ok "the debrief CSV parses and names the breach, its trainee and its case, and the class's count"

# The simulated public from the screen (s): at the exercise's own pace, a
# hallctl simulate of its own, paused (the process stopped), then stopped
# (the process gone, reaped).
E2E_SESSION=tr e2e_keys Escape
E2E_SESSION=tr e2e_wait "学员："
E2E_SESSION=tr e2e_keys s
E2E_SESSION=tr e2e_wait "按演练自己的节奏" 5
E2E_SESSION=tr e2e_keys Enter
E2E_SESSION=tr e2e_wait "模拟运行中" 10
tap_ok $? "s starts the simulated public at the exercise's own pace"
sim_pid=""
for _ in $(seq 20); do sim_pid=$(pgrep -f "simulate --profile" | head -1); [ -n "$sim_pid" ] && break; sleep 0.1; done
tap_ok "$([ -n "$sim_pid" ] && echo 0 || echo 1)" "as a hallctl simulate process of its own (${sim_pid:-none})"
E2E_SESSION=tr e2e_keys s
E2E_SESSION=tr e2e_wait "停止" 5
E2E_SESSION=tr e2e_keys Enter
E2E_SESSION=tr e2e_wait "模拟暂停" 5
tap_like "$(ps -o stat= -p "${sim_pid:-0}" 2>/dev/null)" "^T" "s, 暂停: the simulation pauses, its process stopped"
E2E_SESSION=tr e2e_keys s
E2E_SESSION=tr e2e_wait "继续" 5
E2E_SESSION=tr e2e_keys Down Enter
E2E_SESSION=tr e2e_wait "模拟已停止" 10
tap_ok $? "s, 停止: the screen says the simulation stopped"
gone=1
for _ in $(seq 30); do kill -0 "${sim_pid:-0}" 2>/dev/null || { gone=0; break; }; sleep 0.1; done
tap_ok "$gone" "and its process is gone, nothing left behind"

# End the exercise from the screen.
E2E_SESSION=tr e2e_keys e
E2E_SESSION=tr e2e_wait "结束正在进行的演练吗"
E2E_SESSION=tr e2e_keys y
E2E_SESSION=tr e2e_wait "演练已结束" 5
tap_ok $? "e ends the exercise"
tap_is "$(e2e_psql "select count(*) from hall.exercise_current()")" 0 "no exercise runs any more"
E2E_SESSION=tr e2e_wait "演练「一次性告知」已结束" 5
E2E_SESSION=tr e2e_wait_re "$trainee +2 +0 +2 +1 " 5
tap_ok $? "the room still counts from the ended exercise's start"

restore
tap_is "$(e2e_psql "select count(*) from hall.returns where breach")" \
	"$(e2e_psql "select count(*) from hall_demo_seed.returns where breach")" "the seed is back for the stories after this one"
E2E_SESSION=tr e2e_quit
e2e_quit
e2e_done
