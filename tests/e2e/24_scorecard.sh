#!/usr/bin/env bash
# Story: a supervisor closes last month.  super01 presses m on the
# timeliness screen: last month's scorecard of SCJG, the windows ranked by
# their composite score as the database ranks them; w shows the clerks, w
# again the platform's figures (网上办件 with its share).  C for this month
# is refused (it has not ended); C for last month closes it: the header says
# 已封存 and hall.scorecard_closed has the row.  A rating then given for
# last month changes the live figures in the database but not the closed
# ones on the screen, F5 or not.  E saves the scorecard as CSV, read back
# with Python's csv module: a BOM, the Chinese headers, one row per window
# and per clerk, every one marked closed.
source "$(dirname "$0")/lib.sh"
e2e_setup

sup() { # SQL as super01: the scope and the ranking the supervisor gets
	PGPASSWORD=demo psql -X -At -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U super01 -d "$E2E_DB" -c "$1"
}
table() { # the table shown: from its heading to the line before the legend
	e2e_screen | sed -n '/^名次 升降/,/^⚐\|^⚑/p' | grep -v '^[⚐⚑]'
}

lm=$(e2e_psql "select to_char(date_trunc('month', hall.today()) - interval '1 month', 'YYYY-MM-DD')")
ym=${lm:0:7}
tm=$(e2e_psql "select to_char(hall.today(), 'YYYY-MM')")
IFS='|' read -r first first_score < <(sup "select window_code, score from hall.scorecard_windows('$lm') limit 1")
nwin=$(sup "select count(*) from hall.scorecard_windows('$lm')")
nclerk=$(sup "select count(*) from hall.scorecard_clerks('$lm')")
tap_ok "$([ -n "$first" ] && [ "$nwin" -ge 2 ] && echo 0 || echo 1)" \
	"SCJG has $nwin windows ranked for $ym, $first first with $first_score"

# ---- m: last month's scorecard ---------------------------------------------
e2e_start super01 || { tap_ok 1 "super01 logs in"; e2e_done; }
e2e_wait "每日按时率" 10
e2e_keys m
e2e_wait "月份：$ym" 10
e2e_wait "名次 升降 窗口" 10
sleep 0.3
tap_like "$(e2e_screen | sed -n 1p)" "月度考评" "m opens the monthly scorecard"
tap_like "$(e2e_screen | sed -n 3p)" "科长  市场监管局   月份：$ym   实时（未封存）" \
	"of last month ($ym) for the department, live"
row1=$(table | sed -n 2p)
tap_like "$row1" "^ +1 +(↑[0-9]+|↓[0-9]+|–|新) [⚑⚐]?$first .* $first_score " \
	"the first window shown is the one the database ranks first ($first, $first_score)"
tap_is "$(table | grep -cE '^ +([0-9]+|-) ')" "$nwin" "one row per window ($nwin)"
tap_like "$(table | sed -n 1p)" "得分 +按时 +好评 +主动 +未评 +整改 +回访 +红/黄 +违规 +督办" \
	"with the score, on-time rate and the GB/T rating figures"
e2e_shot scorecard

# ---- w: the clerks, w: the platform ----------------------------------------
first_clerk=$(sup "select name from hall.scorecard_clerks('$lm') limit 1")
e2e_keys w
e2e_wait "按人员（w 切换为平台数据）" 5
e2e_wait "名次 升降 人员" 10
# the header comes before the rows (正在加载…… under it meanwhile)
e2e_wait "$first_clerk" 10
tap_like "$(e2e_screen | sed -n '/^名次 升降/{n;p;q}')" "^ +1 .*$first_clerk " "w: the clerks, $first_clerk ranked first"
tap_is "$(e2e_screen | sed -n '/^名次 升降/,$p' | grep -cE '^ +([0-9]+|-) ')" "$nclerk" "one row per clerk ($nclerk)"

IFS='|' read -r online online_share < <(sup "select cases, round(share * 100, 1) from hall.platform_figures('$lm')
	where scope_code = 'SCJG' and key = 'online'")
IFS='|' read -r hall_online hall_share < <(sup "select cases, round(share * 100, 1) from hall.platform_figures('$lm')
	where scope_code is null and key = 'online'")
e2e_keys w
e2e_wait "平台数据（w 切换为按窗口）" 5
e2e_wait "网上办件" 10
tap_like "$(e2e_screen | grep '网上办件')" "网上办件 +$online +$online_share% +$hall_online +$hall_share%" \
	"w again: the platform, 网上办件 $online ($online_share%) beside the hall's $hall_online ($hall_share%)"
tap_like "$(e2e_screen_both)" "本部门：市场监管局  全大厅：" "the department's column beside the whole hall's"
e2e_shot scorecard_platform
e2e_keys w
e2e_wait "按窗口（w 切换为按人员）" 5

# ---- C: this month cannot be closed yet; last month can --------------------
e2e_keys p
e2e_wait "哪个月"
e2e_keys C-u
e2e_type "$tm"
e2e_keys Enter
e2e_wait "月份：$tm" 10
e2e_keys C
e2e_wait "封存 $tm 的考评（市场监管局）吗" 5
e2e_keys y
e2e_wait "该月尚未结束" 10
tap_ok $? "C on this month ($tm) is refused in words: it has not ended"
e2e_keys p
e2e_wait "哪个月"
e2e_keys C-u
e2e_type "$ym"
e2e_keys Enter
e2e_wait "月份：$ym" 10
e2e_wait "名次 升降 窗口" 10
sleep 0.3
e2e_keys C
e2e_wait "封存 $ym 的考评（市场监管局）吗" 5
tap_ok $? "C asks, naming the month and the department"
e2e_keys y
e2e_wait "$ym 的考评已封存" 10
tap_ok $? "the month is closed"
e2e_wait "已封存（" 10
tap_like "$(e2e_screen | sed -n 3p)" "月份：$ym   已封存（[0-9-]+ [0-9:]+，李建国）" "the header says 已封存, when and by whom"
tap_is "$(e2e_psql "select count(*) from hall.scorecard_closed c join hall.staff s on s.id = c.closed_by
	where c.month = '$lm' and c.department_code = 'SCJG' and s.login = 'super01'")" 1 \
	"hall.scorecard_closed has SCJG's $ym, closed by super01"
tap_is "$(e2e_psql "select count(*) from hall.scorecard_frozen where month = '$lm' and department_code = 'SCJG'")" \
	"$((nwin + nclerk))" "its $nwin windows and $nclerk clerks are frozen"
e2e_shot scorecard_closed
sleep 0.3
before=$(table)

# ---- a rating for the closed month changes nothing on the screen -----------
target=$(e2e_psql "select a.id from hall.applications a
	where a.window_code = '$first' and a.state = 'completed'
	  and a.closed_at >= hall.end_of_day('$lm'::date - 1) and a.closed_at < hall.end_of_day(('$lm'::date + interval '1 month')::date - 1)
	  and not exists (select 1 from hall.ratings r where r.kind = 'application' and r.target_id = a.id)
	order by a.id limit 1")
# Level 3: it counts (满意率 falls) and opens no rectification, so the
# stories after this one in a shared database meet no new bad rating.
live() { e2e_psql "select satisfaction_rate from hall.scorecard_rows_for('$lm', 'SCJG') where grp = 'window' and window_code = '$first'"; }
live_before=$(live)
e2e_psql "insert into hall.ratings (kind, target_id, staff_id, department_code, level, proactive, rated_at)
	select 'application', a.id, a.closed_by, a.department_code, 3, false, '$lm'::date + 24 + time '10:00'
	from hall.applications a where a.id = $target" >/dev/null
live_after=$(live)
tap_ok "$([ -n "$target" ] && [ "$live_before" != "$live_after" ] && echo 0 || echo 1)" \
	"a rating given in $ym at $first changes its live 满意率 ($live_before -> $live_after)"
e2e_keys F5
sleep 1.5
e2e_wait "名次 升降 窗口" 10
tap_is "$(table)" "$before" "after F5 the closed month shows the same figures"
tap_like "$(e2e_screen | sed -n 3p)" "已封存" "and still says 已封存"

e2e_keys C
e2e_wait "封存 $ym 的考评" 5
e2e_keys y
e2e_wait "该月已封存" 10
tap_ok $? "C again is refused in words: the month is closed already"

# ---- E: the scorecard as CSV -----------------------------------------------
e2e_keys E
e2e_wait "保存为"
tap_like "$(e2e_screen_both)" "hallterm-scorecard-$ym.csv" "E offers hallterm-scorecard-$ym.csv"
e2e_keys C-u
e2e_type "$E2E_TMP/scorecard.csv"
e2e_keys Enter
e2e_wait "字节顺序标记"
e2e_keys y
e2e_wait "已保存 CSV" 10
tap_ok $? "E saves the scorecard as CSV"
out=$(python3 - "$E2E_TMP/scorecard.csv" <<'EOF'
import csv, sys
raw = open(sys.argv[1], 'rb').read()
print('bom' if raw.startswith(b'\xef\xbb\xbf') else 'nobom')
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
head = open(sys.argv[1], encoding='utf-8-sig').readline().strip().split(',')
print(','.join(head[:10]))
print(sum(r['类别'] == '窗口' for r in rows), sum(r['类别'] == '工作人员' for r in rows))
print(rows[0]['窗口'], rows[0]['排名'], rows[0]['综合得分'])
print(sorted(set(r['已关账'] for r in rows)), sorted(set(r['月份'] for r in rows)))
EOF
)
tap_is "$(echo "$out" | sed -n 1p)" "bom" "the file starts with the UTF-8 byte-order mark asked for"
tap_is "$(echo "$out" | sed -n 2p)" "月份,类别,部门,窗口,工号,姓名,排名,上月排名,排名变化,综合得分" "a CSV reader finds the Chinese headers"
tap_is "$(echo "$out" | sed -n 3p)" "$nwin $nclerk" "one row per window ($nwin) and per clerk ($nclerk)"
tap_is "$(echo "$out" | sed -n 4p)" "$first 1 $first_score" "the first row is the first window, with its frozen score"
tap_is "$(echo "$out" | sed -n 5p)" "['是'] ['$ym']" "every row is of $ym and marked closed (已关账)"

e2e_quit
e2e_done
