#!/usr/bin/env bash
# Story: a clerk looks at their own ratings: counts per level,
# satisfaction, the 12-week trend; the bad ratings and the commented ones
# in a list with a cursor, each with its comment and the selected one in
# full (its rectification steps); Enter opens the case or inquiry a rating
# is about.
source "$(dirname "$0")/lib.sh"
e2e_setup

me=clerk01
e2e_start $me || { tap_ok 1 "log in"; e2e_done; }
e2e_keys 3
e2e_wait "满意率"
tap_ok $? "3 shows my ratings"
screen=$(e2e_screen)
n=$(e2e_psql "select count(*) from hall.ratings r join hall.staff s on s.id = r.staff_id where s.login = '$me' and r.counts")
tap_like "$screen" "共 $n 条评价" "the total is the database's ($n)"
for l in 非常满意 满意 基本满意 不满意 非常不满意; do
	tap_like "$screen" "[1-5] $l" "level $l has its line"
done
tap_like "$screen" '近12周' "the 12-week trend is there"
tap_like "$screen" '[▁▂▃▄▅▆▇█·]{12}' "drawn with block characters"

# The list: newest open bad rating first, with its comment; the detail
# under the list follows the cursor.
e2e_wait "评价内容"
screen=$(e2e_screen)
e2e_shot ratings
IFS='|' read -r kind ref comment <<<"$(e2e_psql "
	select r.kind, coalesce(a.case_no, q.ref), r.comment
	from hall.ratings r join hall.staff s on s.id = r.staff_id
	left join hall.rectifications x on x.rating_id = r.id
	left join hall.applications a on r.kind = 'application' and a.id = r.target_id
	left join hall.inquiries q on r.kind = 'inquiry' and q.id = r.target_id
	where s.login = '$me' and (r.level <= 2 or r.comment <> '')
	order by x.rating_id is not null and x.closed_at is null desc, x.rating_id is not null desc, r.rated_at desc, r.id desc
	limit 1")"
tap_like "$screen" "评价时间 +评价 +编号 +评价内容 +状态" "the list has its columns"
tap_like "$(echo "$screen" | grep -m1 -F -- "$ref")" "${comment:0:6}" "the first rating ($ref) shows its comment in the list"
tap_like "$screen" "── $ref " "the selected rating is shown in full under the list"
tap_like "$screen" "核实：.*回访：.*整改：" "with the steps of its rectification"
bar=$(e2e_screen | tail -1)
tap_like "$bar" '回车 打开.*p 申诉.*w 撤回申诉.*s 整改' "the key bar: open, appeal, withdraw, rectify"

# The cursor moves; the detail follows.
ref2=$(e2e_screen | grep -A2 -F -- "$ref" | sed -n 2p | grep -oE '(Z[0-9]{6}|[0-9]{6})-[0-9]{4,5}')
e2e_keys Down
e2e_wait "── $ref2 "
tap_ok $? "Down selects the next rating ($ref2): the detail follows"
e2e_keys Up
e2e_wait "── $ref "

# Enter opens what the rating is about.
e2e_keys Enter
if [ "$kind" = inquiry ]; then
	e2e_wait "咨询内容"
	tap_ok $? "Enter on the rating of inquiry $ref opens the inquiry"
else
	e2e_wait "办件号"
	tap_ok $? "Enter on the rating of case $ref opens the case"
fi
tap_like "$(e2e_screen_both)" "$ref" "the one the rating is about"
e2e_keys Escape
e2e_wait "满意率"
tap_like "$(e2e_screen_both)" "── $ref " "Esc comes back to the ratings, the same rating selected"
# A case rating further down opens the case screen.
other=$(e2e_psql "
	select a.case_no from hall.ratings r join hall.staff s on s.id = r.staff_id
	join hall.applications a on r.kind = 'application' and a.id = r.target_id
	left join hall.rectifications x on x.rating_id = r.id
	where s.login = '$me' and (r.level <= 2 or r.comment <> '')
	order by x.rating_id is not null and x.closed_at is null desc, x.rating_id is not null desc, r.rated_at desc, r.id desc
	limit 1")
for _ in $(seq 12); do
	e2e_screen | grep -q -- "── $other " && break
	e2e_keys Down
	sleep 0.1
done
e2e_keys Enter
e2e_wait "办件号"
tap_like "$(e2e_screen_both)" "办件号 +$other" "Enter on a case's rating ($other) opens the case screen"
e2e_keys Escape
e2e_wait "满意率"
e2e_quit
e2e_done
