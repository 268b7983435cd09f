#!/usr/bin/env bash
# Story: bad ratings' follow-up.  Applicants rate two cases of clerk01 1 and
# 2 (差评).  In My ratings clerk01 appeals the first (p on the selected
# rating, whose comment the dialog shows), and the selection stays on it
# when the list is read again, so the second appeal (Down, p) goes to the
# second rating, not to whatever moved into the first line; then clerk01
# withdraws the first appeal while it waits (w), is refused a
# rectification step out of order (the database's reason is shown),
# records the verification (s).  The supervisor opens the dashboard's bad
# ratings (b), opens the second and upholds its appeal (d): it no longer
# counts; a judged appeal cannot be withdrawn.
source "$(dirname "$0")/lib.sh"
e2e_setup

me=clerk01
SUP=$(e2e_psql "select s.login from hall.staff s join hall.staff c on c.department_code = s.department_code
                where c.login = '$me' and s.kind = 'supervisor' and s.active order by s.login limit 1")
[ -n "$SUP" ] || { echo "Bail out! no supervisor for $me's department"; exit 1; }

# Wait until the SQL gives the expected value (the screen confirms before
# the next read), at most 5 s.
db_wait() { # SQL EXPECTED
	local i got
	for i in $(seq 50); do
		got=$(e2e_psql "$1")
		[ "$got" = "$2" ] && break
		sleep 0.1
	done
	echo "$got"
}

# ---- the public rates two cases clerk01 completed --------------------------
cases=$(e2e_psql "
	select a.id || '|' || a.case_no from hall.applications a join hall.staff s on s.id = a.closed_by
	where s.login = '$me' and a.state = 'completed'
	  and not exists (select 1 from hall.ratings r where r.kind = 'application' and r.target_id = a.id)
	order by a.closed_at desc, a.id desc limit 2")
IFS='|' read -r APP1 CASE1 <<<"$(echo "$cases" | sed -n 1p)"
IFS='|' read -r APP2 CASE2 <<<"$(echo "$cases" | sed -n 2p)"
[ -n "${APP2:-}" ] || { echo "Bail out! no two unrated completed cases of $me"; exit 1; }
# Rated a second apart: the newest is listed first.
RID2=$(e2e_psql "select hall.rate('application', $APP2, 2, '材料清单前后说法不一致')")
sleep 1
RID1=$(e2e_psql "select hall.rate('application', $APP1, 1, '窗口让我来回跑了三趟，态度冷淡')")
tap_is "$(e2e_psql "select count(*) from hall.rectifications where rating_id in ($RID1, $RID2) and closed_at is null")" 2 \
	"the bad ratings of $CASE1 (#$RID1) and $CASE2 (#$RID2) opened rectifications"

# ---- the clerk appeals both, each the right one ------------------------------
e2e_start $me || { tap_ok 1 "log in"; e2e_done; }
e2e_keys 3
e2e_wait "满意率"
e2e_wait "── $CASE1 "
tap_ok $? "the newest bad rating ($CASE1) is listed first and selected"
bar=$(e2e_screen | tail -1)
tap_like "$bar" 'p 申诉' "My ratings' key bar offers p to appeal"
tap_like "$bar" 'w 撤回申诉' "w to withdraw an appeal"
tap_like "$bar" 's 整改' "and s to record a rectification step"
tap_like "$(e2e_screen | grep -F -- "$CASE2")" '材料清单前后说法不一致' "each rating shows its complaint in the list"

e2e_keys p
e2e_wait "为什么认为该评价属恶意或有误"
screen=$(e2e_screen)
tap_like "$screen" "$CASE1" "p asks about the selected rating, $CASE1"
tap_like "$screen" '窗口让我来回跑了三趟' "and shows its complaint"
e2e_type "当天系统故障，材料无法上传"
e2e_keys Enter
e2e_wait "已记录"
tap_is "$(db_wait "select appeal_state || '|' || appeal_reason from hall.ratings where id = $RID1" \
	"pending|当天系统故障，材料无法上传")" "pending|当天系统故障，材料无法上传" "the database has $CASE1's appeal pending"
e2e_wait "!申诉待裁决"
tap_like "$(e2e_screen_both)" "── $CASE1 " "after the reload the selection is still on $CASE1"

e2e_keys Down
e2e_wait "── $CASE2 "
e2e_keys p
e2e_wait "为什么认为该评价属恶意或有误"
tap_like "$(e2e_screen_both)" '材料清单前后说法不一致' "the second appeal's dialog shows $CASE2's complaint"
e2e_type "申请人材料不全，已一次性告知"
e2e_keys Enter
e2e_wait "已记录"
tap_is "$(db_wait "select appeal_state || '|' || appeal_reason from hall.ratings where id = $RID2" \
	"pending|申请人材料不全，已一次性告知")" "pending|申请人材料不全，已一次性告知" \
	"the second appeal went to $CASE2 (#$RID2), the rating selected"
tap_is "$(e2e_psql "select appeal_reason from hall.ratings where id = $RID1")" "当天系统故障，材料无法上传" \
	"and $CASE1's appeal is untouched"

# ---- withdrawing the first appeal while it waits ------------------------------
e2e_keys Up
e2e_wait "── $CASE1 "
e2e_keys w
e2e_wait "撤回对这条评价的申诉吗"
tap_like "$(e2e_screen_both)" "$CASE1" "w asks once, naming the rating"
e2e_keys y
e2e_wait "已记录"
tap_is "$(db_wait "select coalesce(appeal_state, 'none') from hall.ratings where id = $RID1" none)" none \
	"the database: $CASE1 has no appeal any more"
tap_is "$(e2e_psql "select actor || '|' || from_state || '|' || (details->>'reason') from hall.audit
                    where rating_id = $RID1 and action = 'withdraw_appeal'")" "$me|pending|当天系统故障，材料无法上传" \
	"one audit row withdraw_appeal by $me, keeping the reason"
tap_is "$(e2e_psql "select appeal_state from hall.ratings where id = $RID2")" pending "$CASE2's appeal still waits"

# ---- rectification steps on the selected rating --------------------------------
# A step out of order: the database refuses, and the screen says why.
e2e_keys s
e2e_wait "核实：实际情况"
e2e_keys Down Enter
e2e_wait_gone "核实：实际情况"   # the choice closed: the note's prompt is up
e2e_type "已整改"
e2e_keys Enter
e2e_wait_re "请先登记「核实」|verify the rating before"
tap_ok $? "rectifying before verifying is refused with the database's reason"
tap_is "$(e2e_psql "select rectified_at is null from hall.rectifications where rating_id = $RID1")" t \
	"and nothing was recorded"
e2e_keys s
e2e_wait "核实：实际情况"
e2e_keys Enter
e2e_wait_gone "整改：采取的整改措施"   # the choice closed: the note's prompt is up
e2e_type "调阅窗口录像，当日材料缺两项，已当场告知"
e2e_keys Enter
tap_is "$(db_wait "select verified_at is not null and verify_note = '调阅窗口录像，当日材料缺两项，已当场告知'
                   from hall.rectifications where rating_id = $RID1" t)" t \
	"s records the verification of the selected rating, with the note"
e2e_wait "已记录"
e2e_quit

# ---- the supervisor judges the second appeal ---------------------------------------
e2e_start "$SUP" || { tap_ok 1 "$SUP logs in"; e2e_done; }
e2e_dashboard
tap_like "$(e2e_screen | tail -1)" 'b 差评.*F10 退出' "the dashboard's key bar offers b for bad ratings (and still F10)"
e2e_keys b
e2e_wait "差评：待裁决的申诉"
tap_ok $? "b shows the bad ratings and appeals"
e2e_wait "$CASE2"
tap_like "$(e2e_screen | grep -A1 '评价日期' | tail -1)" "${CASE2}.*!待裁决" \
	"the appealed rating is listed first, its appeal waiting"
e2e_keys Enter
e2e_wait "申请人材料不全"
tap_ok $? "Enter opens the rating with the appeal's reason"
screen=$(e2e_screen)
e2e_shot bad_rating
tap_like "$screen" '材料清单前后说法不一致' "and the applicant's comment"
tap_like "$(echo "$screen" | tail -1)" 's 整改  d 裁决' "the key bar offers s (steps) and d (judge)"
e2e_keys d
e2e_wait "支持申诉：该评价不再计入"
e2e_keys Enter
e2e_wait "裁决意见"
e2e_type "经核实材料确有缺失，差评不计入"
e2e_keys Enter
e2e_wait "申诉成立"
tap_ok $? "d upholds the appeal; the screen shows it upheld"
tap_is "$(db_wait "select appeal_state || '|' || counts || '|' || appeal_note from hall.ratings where id = $RID2" \
	"upheld|false|经核实材料确有缺失，差评不计入")" "upheld|false|经核实材料确有缺失，差评不计入" \
	"the database: appeal upheld, the rating no longer counts, with the note"
tap_is "$(e2e_psql "select string_agg(action || ':' || actor || ':' || coalesce(details->>'step', to_state, ''), ' ' order by id)
                    from hall.audit where rating_id in ($RID1, $RID2) and action in ('appeal', 'withdraw_appeal', 'rectify', 'judge_appeal')")" \
	"appeal:$me:pending appeal:$me:pending withdraw_appeal:$me: rectify:$me:verify judge_appeal:$SUP:upheld" \
	"the audit log has both appeals, the withdrawal, the verification and the judgement, by whom"
e2e_quit

# ---- a judged appeal cannot be withdrawn ---------------------------------------------
e2e_start $me || { tap_ok 1 "log in again"; e2e_done; }
e2e_keys 3
e2e_wait "── $CASE1 "
e2e_keys Down
e2e_wait "── $CASE2 "
tap_like "$(e2e_screen | grep -F -- "$CASE2" | head -1)" '申诉成立' "$CASE2 shows its appeal upheld"
e2e_keys w
e2e_wait "已经裁决，不能再撤回"
tap_ok $? "w on a judged appeal says it can no longer be withdrawn"
tap_is "$(e2e_psql "select appeal_state from hall.ratings where id = $RID2")" upheld "and nothing changed"
e2e_quit
e2e_done
