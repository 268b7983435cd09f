#!/usr/bin/env bash
# Story: a clerk looks at their own ratings: counts per level,
# satisfaction, the 12-week trend, bad ratings with their rectification.
source "$(dirname "$0")/lib.sh"
e2e_setup

me=clerk01
e2e_start $me || { tap_ok 1 "log in"; e2e_done; }
e2e_keys 3
e2e_wait "满意率"
tap_ok $? "3 shows my ratings"
screen=$(e2e_screen)
e2e_shot ratings
n=$(e2e_psql "select count(*) from hall.ratings r join hall.staff s on s.id = r.staff_id where s.login = '$me' and r.counts")
tap_like "$screen" "共 $n 条评价" "the total is the database's ($n)"
for l in 非常满意 满意 基本满意 不满意 非常不满意; do
	tap_like "$screen" "[1-5] $l" "level $l has its line"
done
tap_like "$screen" '近12周' "the 12-week trend is there"
tap_like "$screen" '[▁▂▃▄▅▆▇█·]{12}' "drawn with block characters"
bad=$(e2e_psql "select count(*) from hall.ratings r join hall.staff s on s.id = r.staff_id join hall.rectifications x on x.rating_id = r.id where s.login = '$me'")
if [ "$bad" -gt 0 ]; then
	e2e_wait "── "  # the lists come with the second read
	all=$(e2e_screen)
	for _ in 1 2 3; do
		e2e_keys NPage
		sleep 0.2
		all="$all
$(e2e_screen)"
	done
	tap_like "$all" '差评及整改' "bad ratings are listed with their rectification"
	tap_like "$all" '回访' "with the callback step"
	tap_like "$all" '整改' "and the rectification step with its deadline"
else
	tap_ok 0 "no bad rating for $me # SKIP nothing to list"
fi
e2e_quit
e2e_done
