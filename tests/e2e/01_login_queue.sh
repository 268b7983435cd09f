#!/usr/bin/env bash
# Story: a clerk logs in and sees the queue of their window, the most
# urgent case first, Chinese names lined up, the training banner on top.
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start clerk01
tap_ok $? "clerk01 logs in with the demo password and gets the queue"
e2e_wait "办件号"
screen=$(e2e_screen)
e2e_shot queue
tap_like "$(sed -n 1p <<<"$screen")" '^ 待办 .*王丽 clerk01' "title line names the screen and the clerk"
tap_like "$(sed -n 2p <<<"$screen")" '培训数据库' "a demo database carries the training banner"
tap_like "$screen" '办件号 +事项 +申请人 +渠道 +状态' "column headings are Chinese"
tap_like "$(tail -1 <<<"$screen")" 'F1 帮助.*n 下一件.*F10 退出' "key bar lists the keys of the queue"
# The window's counts are asked once the first page is on the screen
# (src/screens/queue.c, first_painted): they must still come.
e2e_wait "!!超期"
tap_like "$(e2e_screen)" '!!超期 [0-9]+  !预警 [0-9]+' "then the header counts the overdue and due-soon cases"

# Every row's channel column starts on the same cell as its heading,
# whatever the width of the name before it (display width, not bytes).
head_prefix=${screen%%渠道*}
head_prefix=${head_prefix##*$'\n'}
want=$(e2e_width "$head_prefix")
rows=0 bad=0 cjk=0
while IFS= read -r line; do
	[[ $line =~ ^[0-9]{6}-[0-9]{4}\  ]] || continue
	rows=$((rows + 1))
	prefix=
	for ch in ' 窗口 ' ' 网站 ' ' App ' ' 自助机 '; do
		p=${line%%"$ch"*}
		[ "$p" != "$line" ] || continue
		if [ -z "$prefix" ] || [ ${#p} -lt ${#prefix} ]; then prefix=$p; fi
	done
	[ -n "$prefix" ] || { bad=$((bad + 1)); continue; }
	[ "$(e2e_width "$prefix ")" = "$want" ] || { bad=$((bad + 1)); echo "# misaligned: $line"; }
	printf '%s' "${line#* }" | grep -qP '\p{Han}' && cjk=$((cjk + 1))
done <<<"$screen"
tap_ok $([ $rows -ge 10 ] && echo 0 || echo 1) "the queue fills the screen ($rows rows)"
tap_ok $([ $cjk -ge 10 ] && echo 0 || echo 1) "rows hold Chinese text ($cjk rows)"
tap_is "$bad" 0 "the channel column starts at cell $want on every row"

# Most urgent first: the days-left column never decreases downwards
# (overdue cases show !!-N, due soon !N).
days=$(grep -E '^[0-9]{6}-[0-9]{4} ' <<<"$screen" | sed -E 's/.* (!{0,2}-?[0-9]+|暂停) *[^ ]* *$/\1/; s/!//g' | grep -E '^-?[0-9]+$')
sorted=$(sort -n <<<"$days")
tap_is "$days" "$sorted" "cases are listed most urgent first"

# Paging: PgDn moves on, the list loads further pages by itself.
first=$(grep -m1 -oE '^[0-9]{6}-[0-9]{4}' <<<"$screen")
for _ in 1 2 3; do e2e_keys PPage; done
for _ in 1 2 3 4; do e2e_keys NPage; done
sleep 0.5
later=$(e2e_screen | grep -m1 -oE '^[0-9]{6}-[0-9]{4}')
tap_ok $([ "$first" != "$later" ] && echo 0 || echo 1) "PgDn pages through the queue ($first -> $later)"
e2e_keys Home
e2e_wait "$first"
tap_ok $? "Home goes back to the most urgent case"

e2e_quit
tap_ok $? "F10 quits"
e2e_done
