#!/usr/bin/env bash
# Story: a bad rating's follow-up.  An applicant rates a case of clerk01
# 1 (非常不满意); in My ratings clerk01 appeals it (p, with a reason), is
# refused a rectification step out of order (the database's reason is
# shown), then records the verification (s); the supervisor heading
# clerk01's department opens the dashboard's bad ratings (b), opens the
# rating and upholds the appeal (d): the rating no longer counts.
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

# ---- the public rates a case clerk01 completed --------------------------
IFS='|' read -r APP CASE_NO <<<"$(e2e_psql "
	select a.id, a.case_no from hall.applications a join hall.staff s on s.id = a.closed_by
	where s.login = '$me' and a.state = 'completed'
	  and not exists (select 1 from hall.ratings r where r.kind = 'application' and r.target_id = a.id)
	order by a.closed_at desc, a.id desc limit 1")"
[ -n "${APP:-}" ] || { echo "Bail out! no unrated completed case of $me"; exit 1; }
RID=$(e2e_psql "select hall.rate('application', $APP, 1, '窗口让我来回跑了三趟，态度冷淡')")
tap_is "$(e2e_psql "select count(*) from hall.rectifications where rating_id = $RID and closed_at is null")" 1 \
	"the bad rating of case $CASE_NO (#$RID) opened a rectification"

# ---- the clerk appeals it and verifies it ---------------------------------
e2e_start $me || { tap_ok 1 "log in"; e2e_done; }
e2e_keys 3
e2e_wait "满意率"
e2e_wait "── "
bar=$(e2e_screen | tail -1)
tap_like "$bar" 'p 申诉' "My ratings' key bar offers p to appeal"
tap_like "$bar" 's 整改' "and s to record a rectification step"

e2e_keys p
e2e_wait "申诉哪一条差评"
tap_like "$(e2e_screen)" "$CASE_NO" "p asks which bad rating, the new one listed"
e2e_keys Enter
e2e_wait "为什么认为该评价属恶意或有误"
tap_ok $? "then asks for the reason"
e2e_type "申请人材料不全，已一次性告知，评价与事实不符"
e2e_keys Enter
e2e_wait "已记录"
tap_is "$(db_wait "select appeal_state || '|' || appeal_reason || '|' || counts from hall.ratings where id = $RID" \
	"pending|申请人材料不全，已一次性告知，评价与事实不符|true")" \
	"pending|申请人材料不全，已一次性告知，评价与事实不符|true" "the database has the appeal pending with the reason"

# A step out of order: the database refuses, and says why.
e2e_keys s
e2e_wait "为哪一条差评记录整改步骤"
e2e_keys Enter
e2e_wait "核实：实际情况"
e2e_keys Down Enter
e2e_wait_gone "核实：实际情况"   # the choice closed: the note's prompt is up
e2e_type "已整改"
e2e_keys Enter
e2e_wait "verify the rating before the rectify step"
tap_ok $? "rectifying before verifying is refused with the database's reason"
tap_is "$(e2e_psql "select rectified_at is null from hall.rectifications where rating_id = $RID")" t \
	"and nothing was recorded"

e2e_keys s
e2e_wait "为哪一条差评记录整改步骤"
e2e_keys Enter
e2e_wait "核实：实际情况"
e2e_keys Enter
e2e_wait_gone "整改：采取的整改措施"   # the choice closed: the note's prompt is up
e2e_type "调阅窗口录像，当日材料缺两项，已当场告知"
e2e_keys Enter
tap_is "$(db_wait "select verified_at is not null and verify_note = '调阅窗口录像，当日材料缺两项，已当场告知'
                   from hall.rectifications where rating_id = $RID" t)" t \
	"s records the verification: rectifications.verified_at is set, with the note"
e2e_wait "已记录"
e2e_quit

# ---- the supervisor judges the appeal --------------------------------------
e2e_start "$SUP" || { tap_ok 1 "$SUP logs in"; e2e_done; }
e2e_wait "督办"
tap_like "$(e2e_screen | tail -1)" 'b 差评.*F10 退出' "the dashboard's key bar offers b for bad ratings (and still F10)"
e2e_keys b
e2e_wait "差评：待裁决的申诉"
tap_ok $? "b shows the bad ratings and appeals"
e2e_wait "$CASE_NO"
tap_like "$(e2e_screen)" "${CASE_NO}.*!待裁决" "the appealed rating is listed first, its appeal waiting"
e2e_keys Enter
e2e_wait "申请人材料不全"
tap_ok $? "Enter opens the rating with the appeal's reason"
screen=$(e2e_screen)
e2e_shot bad_rating
tap_like "$screen" '窗口让我来回跑了三趟' "and the applicant's comment"
tap_like "$screen" '调阅窗口录像' "and the verification recorded by the clerk"
tap_like "$(echo "$screen" | tail -1)" 's 整改  d 裁决' "the key bar offers s (steps) and d (judge)"
e2e_keys d
e2e_wait "支持申诉：该评价不再计入"
e2e_keys Enter
e2e_wait "裁决意见"
e2e_type "经核实材料确有缺失，差评不计入"
e2e_keys Enter
e2e_wait "申诉成立"
tap_ok $? "d upholds the appeal; the screen shows it upheld"
tap_is "$(db_wait "select appeal_state || '|' || counts || '|' || appeal_note from hall.ratings where id = $RID" \
	"upheld|false|经核实材料确有缺失，差评不计入")" "upheld|false|经核实材料确有缺失，差评不计入" \
	"the database: appeal upheld, the rating no longer counts, with the note"
tap_is "$(e2e_psql "select string_agg(action || ':' || actor || ':' || coalesce(details->>'step', to_state, ''), ' ' order by id)
                    from hall.audit where rating_id = $RID and action in ('appeal', 'rectify', 'judge_appeal')")" \
	"appeal:$me:pending rectify:$me:verify judge_appeal:$SUP:upheld" \
	"the audit log has the appeal, the verification and the judgement, by whom"
e2e_quit
e2e_done
