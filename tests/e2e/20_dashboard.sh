#!/usr/bin/env bash
# Story: the supervisor's dashboard as the tour found it (issue 8).  At 80
# columns every count is there (已撤回 and 违反一次性告知 included, cut
# with a visible "…" if they must be); references are never cut, at 80 or
# 120 columns; a bad rating is marked by the step that is late ("!!回访"
# when the callback is overdue, "!回访迟了" when it was only made late, not
# "!!" on the rectification); in the bad ratings (b) the appeals waiting
# come first and a ruling already made gives no precedence; Esc leaves b.
source "$(dirname "$0")/lib.sh"
e2e_setup

SUP=super01
DEPT=$(e2e_psql "select department_code from hall.staff where login = '$SUP'")
CLERK=$(e2e_psql "select login from hall.staff where kind = 'clerk' and department_code = '$DEPT' and active
                  and exists (select 1 from hall.applications a where a.closed_by = staff.id and a.state = 'completed')
                  order by login limit 1")

# ---- four bad ratings of the department, each in its own state --------------
cases=$(e2e_psql "
	select a.id || '|' || a.case_no from hall.applications a join hall.staff s on s.id = a.closed_by
	where s.login = '$CLERK' and a.state = 'completed'
	  and not exists (select 1 from hall.ratings r where r.kind = 'application' and r.target_id = a.id)
	order by a.closed_at desc, a.id desc limit 4")
[ "$(echo "$cases" | wc -l)" = 4 ] || { echo "Bail out! no four unrated completed cases of $CLERK"; exit 1; }
IFS='|' read -r A_LATECB C_LATECB <<<"$(echo "$cases" | sed -n 1p)"
IFS='|' read -r A_OVER C_OVER <<<"$(echo "$cases" | sed -n 2p)"
IFS='|' read -r A_JUDGED C_JUDGED <<<"$(echo "$cases" | sed -n 3p)"
IFS='|' read -r A_WAIT C_WAIT <<<"$(echo "$cases" | sed -n 4p)"
R_LATECB=$(e2e_psql "select hall.rate('application', $A_LATECB, 2, '回访迟了但已整改中')")
R_OVER=$(e2e_psql "select hall.rate('application', $A_OVER, 1, '一直没人回访')")
R_JUDGED=$(e2e_psql "select hall.rate('application', $A_JUDGED, 2, '申诉已被驳回的差评')")
R_WAIT=$(e2e_psql "select hall.rate('application', $A_WAIT, 1, '申诉还在等待裁决')")
# Their history, written straight into the tables (the superuser): the
# first had its callback made two days after its day, its rectification
# still due next week; the second's callback day passed three days ago; the
# third's appeal was dismissed; the fourth's appeal waits.
e2e_psql "
	update hall.rectifications set verified_at = hall.now() - interval '5 days',
	       callback_due = hall.today() - 4, callback_at = hall.now() - interval '2 days',
	       rectify_due = hall.today() + 7 where rating_id = $R_LATECB;
	update hall.rectifications set callback_due = hall.today() - 3, rectify_due = hall.today() + 9
	 where rating_id = $R_OVER;
	update hall.rectifications set rectify_due = hall.today() + 2 where rating_id = $R_JUDGED;
	update hall.ratings set appeal_state = 'dismissed', appeal_reason = '理由', appeal_at = hall.now() - interval '1 day',
	       appeal_note = '不成立', appeal_judged_at = hall.now() - interval '1 hour' where id = $R_JUDGED;
	update hall.ratings set appeal_state = 'pending', appeal_reason = '理由', appeal_at = hall.now() - interval '2 hours'
	 where id = $R_WAIT" >/dev/null
# And an inquiry of the department past its day (an overdue one is listed).
INQ=$(e2e_psql "select hall.ask('web', '$DEPT', '{\"name\": \"哈尔滨市道里区某某食品有限公司\"}', '许可证到期换证', '请问怎么换证？')")
ZREF=$(e2e_psql "with u as (update hall.inquiries set due_date = hall.today() - 1 where id = $INQ returning ref)
                  select ref from u")
tap_is "$(e2e_psql "select string_agg(callback_late || '/' || rectify_late, ' ' order by id) from hall.v_ratings
                    where id in ($R_LATECB, $R_OVER)")" "true/false true/false" \
	"the database: both callbacks late, neither rectification"

# ---- 80 columns: every count, whole references ----------------------------
e2e_start "$SUP" || { tap_ok 1 "$SUP logs in"; e2e_done; }
e2e_dashboard
# The counts come in the background after the lists ("正在加载……" until then).
e2e_wait_re '已撤回|撤…' 15
screen=$(e2e_screen)
e2e_shot dashboard
tap_like "$(echo "$screen" | sed -n 4p)" '已撤回 [0-9]+$|撤…[^ ]* [0-9]+$' "line 1 ends with the withdrawn cases (已撤回), not dropped"
tap_like "$(echo "$screen" | sed -n 6p)" '(违反一次性告知|违反[^ ]*…) [0-9]+$' "line 3 ends with the one-time notice breaches, whole or visibly cut"
for n in 4 5 6; do
	w=$(e2e_width "$(echo "$screen" | sed -n ${n}p)")
	tap_ok "$([ "$w" -le 80 ] && echo 0 || echo 1)" "count line $((n - 3)) fits in 80 cells ($w)"
done
tap_is "$(echo "$screen" | grep -cE '(Z[0-9]{6}|[0-9]{6})-[0-9]{0,3}…')" 0 "no reference is cut"
# The bad ratings come last: End.
e2e_keys End
e2e_wait "$C_OVER"
screen=$(e2e_screen)
tap_is "$(echo "$screen" | grep -cE '(Z[0-9]{6}|[0-9]{6})-[0-9]{0,3}…')" 0 "no reference is cut at the end of the list either"
line=$(echo "$screen" | grep -F -- "$C_LATECB")
tap_like "$line" "差评 +$C_LATECB " "a bad rating shows its case number alone, whole"
tap_like "$line" '!回访迟了$' "the rating whose callback was made late says so: !回访迟了"
tap_ok "$(echo "$line" | grep -q '!!' && echo 1 || echo 0)" "and is not marked !! (its rectification is on time)"
tap_like "$(echo "$screen" | grep -F -- "$C_OVER")" '!!回访$' "the rating whose callback is overdue now: !!回访"

# ---- b: appeals waiting first; Esc back -------------------------------------
e2e_keys b
e2e_wait "差评：待裁决的申诉在前"
e2e_wait "$C_JUDGED"
screen=$(e2e_screen)
e2e_shot dashboard_bad
first=$(echo "$screen" | grep -A1 '评价日期' | tail -1)
tap_like "$first" "$C_WAIT.*!待裁决" "the appeal waiting for a ruling comes first"
pos() { echo "$screen" | grep -n -F -- "$1" | head -1 | cut -d: -f1; }
tap_ok "$([ "$(pos "$C_OVER")" -lt "$(pos "$C_JUDGED")" ] && echo 0 || echo 1)" \
	"a late rectification ($C_OVER) comes before one whose appeal was already dismissed ($C_JUDGED)"
tap_like "$(echo "$screen" | grep -F -- "$C_OVER")" '!![0-9]{2}-[0-9]{2} ' "its callback column marks the overdue day"
tap_like "$(echo "$screen" | grep -F -- "$C_LATECB")" '✓ 迟了 +[0-9]{2}-[0-9]{2}$' \
	"the late callback is done (✓ 迟了), the rectification's day unmarked"
e2e_keys Escape
e2e_wait "待处理事项"
tap_ok $? "Esc leaves the bad ratings for the dashboard"
e2e_keys Escape
e2e_wait "按时率"
tap_ok $? "and Esc on the dashboard goes back to the timeliness screen under it"
tap_like "$(e2e_screen | sed -n 1p)" "时效" "the first screen, timeliness, is on top again"

# ---- 120 columns: references whole, as ever ------------------------------------
e2e_quit
e2e_start "$SUP" 120 50 || { tap_ok 1 "$SUP logs in at 120 columns"; e2e_done; }
e2e_dashboard
e2e_wait "$ZREF"
# The counts are background work (db/reports.c): they may come after the
# list, which the session now reads in one pipeline.
e2e_wait "已撤回" 15
screen=$(e2e_screen)
tap_is "$(echo "$screen" | grep -cE '(Z[0-9]{6}|[0-9]{6})-[0-9]{0,3}…')" 0 "at 120 columns no reference is cut either"
tap_like "$screen" "咨询 +$ZREF +许可证到期换证" "the overdue inquiry's reference ($ZREF) is whole"
tap_like "$(echo "$screen" | sed -n 4p)" '已撤回 [0-9]+' "every state count, whole"
tap_like "$(echo "$screen" | sed -n 6p)" '违反一次性告知 [0-9]+' "and every attention count, whole"
e2e_quit
e2e_done
