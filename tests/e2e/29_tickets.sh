#!/usr/bin/env bash
# Story: a ticket's day at the counter (取号, 叫号, 一次一评).  A citizen
# takes a number for 税务办理 at the kiosk; the waiting room's display
# (hallterm --display, a second tmux session) counts them.  clerk07 calls
# the next ticket from the queue screen (h): the display shows
# "请 E001 号 到 …" within a second (measured).  The clerk receives the
# walk-in at the front desk (a): the ticket is linked to the new case;
# then finishes the service (d).  The pad on the counter (hallterm --pad
# A07, a third session) asks for the rating; the citizen presses 2 and
# leaves a comment.  The bad rating is in clerk07's ratings (3) and its
# rectification is open.  Works on its own objects: line E and window A07,
# which no other story uses; the window is idle again at the end.
source "$(dirname "$0")/lib.sh"
e2e_setup

me=clerk07 win=A07 line=E
DSN="host=$E2E_PGHOST port=$E2E_PGPORT dbname=$E2E_DB"

# A valid resident ID number (GB 11643: the check digit of the first 17).
id_number() { # id_number BIRTHDATE SERIAL
	python3 - "$1" "$2" <<'PY'
import sys
body = '230102' + sys.argv[1] + sys.argv[2]
w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
print(body + '10X98765432'[sum(int(c) * k for c, k in zip(body, w)) % 11])
PY
}
# Wait until the SQL gives the expected value, at most 5 s.
db_wait() { # SQL EXPECTED
	local i got
	for i in $(seq 50); do
		got=$(e2e_psql "$1")
		[ "$got" = "$2" ] && break
		sleep 0.1
	done
	echo "$got"
}
now_ms() { date +%s%3N; }

# ---- a citizen takes a number -------------------------------------------
label=$(psql -X -qAt -h "$E2E_PGHOST" -p "$E2E_PGPORT" -d "$E2E_DB" \
	-c "set role trainer01" -c "select hall.demo_take_ticket('$line', 'kiosk')")
tap_like "$label" "^${line}[0-9]{3}$" "the kiosk issues ticket $label for line $line (税务办理)"
waiting=$(e2e_psql "select count(*) from hall.tickets where line_code = '$line' and day = hall.today() and state = 'waiting'")

# ---- the display and the pad ------------------------------------------------
e2e_start_other disp 80 24 "--display $line --dsn '$DSN user=display password=demo'"
E2E_SESSION=disp e2e_wait "等候人数" 10
tap_like "$(E2E_SESSION=disp e2e_screen | grep -F "$line 税务办理")" " $waiting$" \
	"the display counts $waiting waiting for $line 税务办理 (hall_display: no login)"
e2e_start_other pad 80 24 "--pad $win --dsn '$DSN user=pad07 password=demo'"
E2E_SESSION=pad e2e_wait "办理完毕后，请在此评价本次服务" 10
tap_ok $? "the pad on $win's counter waits for a service to rate"

# ---- the clerk calls the next ticket -------------------------------------
e2e_start $me || { tap_ok 1 "$me logs in"; e2e_done; }
e2e_wait "窗口 $win：空闲" 5
tap_ok $? "the queue screen shows window $win idle"
tap_like "$(e2e_screen | tail -1)" 'h 叫号' "the key bar offers h to call the next ticket"
t0=$(now_ms)
e2e_keys h
for i in $(seq 200); do
	E2E_SESSION=disp e2e_screen | grep -qF "请 $label 号 到" && break
	sleep 0.01
done
t1=$(now_ms)
E2E_SESSION=disp e2e_wait "请 $label 号 到" 1
tap_ok $? "the display shows the call of $label"
echo "# call to display: $((t1 - t0)) ms (key sent to text on the display's screen)"
tap_ok "$([ $((t1 - t0)) -lt 1000 ]; echo $?)" "within a second of the key ($((t1 - t0)) ms)"
E2E_SESSION=disp e2e_shot tickets_display
e2e_wait "$label 号" 5
tap_like "$(e2e_screen | sed -n 3p)" "窗口 $win：办理中  $label 号 税务办理" "the clerk's status line shows $label being served"
e2e_shot tickets_window
tap_is "$(e2e_psql "select state || ' ' || window_code from hall.tickets where label = '$label' and day = hall.today()")" \
	"called $win" "the database has $label called to $win"

# ---- the walk-in is received: the ticket leads to the case ------------------
read -r code item_name < <(e2e_psql "select i.code, i.name from hall.items i
	join hall.situations s on s.item_id = i.id and s.code = 'self'
	where exists (select 1 from hall.window_items wi where wi.window_code = '$win' and wi.item_id = i.id)
	  and not exists (select 1 from hall.situation_materials x where x.situation_id = s.id and (x.may_defer or x.may_commit))
	order by i.code limit 1" | tr '|' ' ')
e2e_keys a
e2e_wait "办理哪个事项" 5
e2e_type "$code"
e2e_wait "$item_name" 5
e2e_keys Enter
e2e_wait "受理条件" 10
idn=$(id_number 19850505 291)
e2e_keys e
e2e_wait "身份证号" 5
e2e_type "$idn"; e2e_keys Enter
e2e_wait "姓名" 5
e2e_type "取号人甲"; e2e_keys Enter
e2e_wait "电话" 5
e2e_keys Enter
e2e_wait "申请人：取号人甲" 5
e2e_keys F9
e2e_wait "现在受理此件吗" 5
e2e_keys y
db_wait "select count(*) from hall.applications a join hall.applicants p on p.id = a.applicant_id
	where p.id_number = '$idn'" 1 >/dev/null
case_no=$(e2e_psql "select a.case_no from hall.applications a join hall.applicants p on p.id = a.applicant_id
	where p.id_number = '$idn' order by a.id desc limit 1")
tap_is "$(db_wait "select a.case_no from hall.tickets t join hall.applications a on a.id = t.application_id
	where t.label = '$label' and t.day = hall.today()" "$case_no")" "$case_no" \
	"$item_name is received as $case_no, and $label is linked to it"
# Whatever the printer said (no printer here), back on the queue.
for i in $(seq 50); do
	e2e_screen | grep -qF "窗口 $win：" && ! e2e_screen | grep -qF "┌" && break
	e2e_screen | grep -qF "┌" && e2e_keys Escape
	sleep 0.1
done
e2e_wait "已关联办件" 5
tap_ok $? "the status line says the ticket leads to a case"

# ---- finished: the pad asks, the citizen rates 2 with a comment -------------
e2e_keys d
e2e_wait "办结 $label 号的服务" 5
e2e_keys y
e2e_wait "服务已办结" 5
tap_ok $? "d finishes the service"
E2E_SESSION=pad e2e_wait "请评价本次服务：$label 号" 5
tap_ok $? "the pad asks for the rating of $label"
E2E_SESSION=pad e2e_shot tickets_pad
E2E_SESSION=pad e2e_keys 2
E2E_SESSION=pad e2e_wait "您选择了 2，不满意" 5
E2E_SESSION=pad e2e_keys c
E2E_SESSION=pad e2e_wait "请写下您的意见" 5
comment="等了很久，材料说明也不清楚"
E2E_SESSION=pad e2e_type "$comment"
E2E_SESSION=pad e2e_keys Enter
E2E_SESSION=pad e2e_wait "意见：$comment" 5
E2E_SESSION=pad e2e_shot tickets_pad_chosen
E2E_SESSION=pad e2e_keys Enter
E2E_SESSION=pad e2e_wait "感谢您的评价" 5
tap_ok $? "2, c with a comment, Enter: the pad thanks the citizen"
db_wait "select count(*) from hall.ratings r join hall.tickets t on t.id = r.target_id
	where r.kind = 'service' and t.label = '$label' and t.day = hall.today()" 1 >/dev/null
read -r rid level rcomment rstaff < <(e2e_psql "select r.id, r.level, r.comment, s.login from hall.ratings r
	join hall.tickets t on t.id = r.target_id join hall.staff s on s.id = r.staff_id
	where r.kind = 'service' and t.label = '$label' and t.day = hall.today()" | tr '|' ' ')
tap_is "$level $rcomment $rstaff" "2 $comment $me" "the database has one rating of the service: 2, the comment, $me's"
tap_is "$(e2e_psql "select count(*) from hall.rectifications where rating_id = $rid and closed_at is null")" 1 \
	"the bad rating opened its rectification"
tap_is "$(e2e_psql "select count(*) from hall.rating_requests q join hall.tickets t on t.id = q.ticket_id
	where t.label = '$label' and t.day = hall.today() and q.rated_at is not null and q.channel = 'pad'")" 1 \
	"its request is closed, rated at the pad"

# ---- the clerk's ratings ------------------------------------------------------
e2e_keys 3
e2e_wait "满意率" 10
e2e_wait "$comment" 10
tap_ok $? "the bad rating and its comment are in $me's ratings"
e2e_shot tickets_ratings

# ---- a no-show twice (过号), a recall (重呼); the window paused and back ----
e2e_keys q
e2e_wait "窗口 $win：空闲" 5
label3=$(psql -X -qAt -h "$E2E_PGHOST" -p "$E2E_PGPORT" -d "$E2E_DB" \
	-c "set role trainer01" -c "select hall.demo_take_ticket('$line', 'kiosk')")
tk3="label = '$label3' and day = hall.today()"
e2e_keys h
e2e_wait "$label3 号" 5
e2e_keys H
tap_is "$(db_wait "select recalls from hall.tickets where $tk3" 1)" 1 "H calls $label3 again (重呼)"
e2e_keys p
e2e_wait "过号" 5
e2e_keys y
tap_is "$(db_wait "select state || ' ' || skips from hall.tickets where $tk3" "waiting 1")" "waiting 1" \
	"p, y: $label3 did not come, back into the line once"
e2e_wait "窗口 $win：空闲" 5
e2e_keys h
e2e_wait "$label3 号" 5
e2e_keys p
e2e_wait "过号" 5
e2e_keys y
tap_is "$(db_wait "select state from hall.tickets where $tk3" dropped)" dropped "the second time it is dropped"
e2e_wait "窗口 $win：空闲" 5
e2e_keys s
e2e_wait "窗口状态" 5
e2e_keys Down Enter
e2e_wait "暂停窗口" 5
e2e_type "午休"
e2e_keys Enter
tap_is "$(db_wait "select status || ' ' || reason from hall.window_status where window_code = '$win'" "paused 午休")" \
	"paused 午休" "s: window $win paused, with the reason"
e2e_wait "窗口 $win：暂停" 5
tap_ok $? "the status line says so"
e2e_keys s
e2e_wait "窗口状态" 5
e2e_keys Enter
tap_is "$(db_wait "select status from hall.window_status where window_code = '$win'" idle)" idle "s again: idle"
e2e_quit

# ---- the server restarts: the display carries on by itself --------------
e2e_db_stop
E2E_SESSION=disp e2e_wait "未连接" 10
tap_ok $? "the display's title says the database is gone"
e2e_db_start
E2E_SESSION=disp e2e_wait_gone "未连接" 15
tap_ok $? "and reconnects by itself when it is back"
label2=$(psql -X -qAt -h "$E2E_PGHOST" -p "$E2E_PGPORT" -d "$E2E_DB" \
	-c "set role trainer01" -c "select hall.demo_take_ticket('$line', 'kiosk')")
as_clerk() { PGPASSWORD=demo psql -X -qAt -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U $me -d "$E2E_DB" -c "$1"; }
id2=$(as_clerk "select hall.call_next('$win')")
E2E_SESSION=disp e2e_wait "请 $label2 号 到" 5
tap_ok $? "a call after the restart ($label2) is on the display: it listens again"
as_clerk "select hall.finish_ticket($id2)" >/dev/null
tap_is "$(e2e_psql "select coalesce((select status from hall.window_status where window_code = '$win'), 'idle')")" idle \
	"window $win is idle again"
e2e_done
