#!/usr/bin/env bash
# Story: the terminal grows to 120x40 and back to 80x24; every screen
# redraws to fit, text being typed is kept and reflowed, and below 80x24
# the program says the terminal is too small instead of drawing garbage.
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start "$(e2e_inquiry_clerk 4)" || { tap_ok 1 "log in"; e2e_done; }
e2e_wait "办件号"
rows80=$(e2e_screen | grep -cE '^[0-9]{6}-[0-9]{4} ')
e2e_resize 120 40
sleep 0.5
screen=$(e2e_screen)
tap_is "$(wc -l <<<"$screen")" 40 "the screen has 40 lines"
tap_like "$(sed -n 1p <<<"$screen")" '^ 待办 ' "the title stays on the first line"
tap_like "$(sed -n 40p <<<"$screen")" 'F1 帮助' "the key bar moves to the last line"
rows120=$(grep -cE '^[0-9]{6}-[0-9]{4} ' <<<"$screen")
tap_ok $([ "$rows120" -gt "$rows80" ] && echo 0 || echo 1) "more rows are shown ($rows80 -> $rows120)"
title_w=$(e2e_width "$(sed -n 1p <<<"$screen" | sed 's/ *$//')")
tap_ok $([ "$title_w" -gt 80 ] && echo 0 || echo 1) "the title line uses the full width ($title_w cells)"
e2e_shot queue-120x40

e2e_resize 80 24
sleep 0.5
screen=$(e2e_screen)
tap_is "$(wc -l <<<"$screen")" 24 "back to 24 lines"
tap_like "$(sed -n 24p <<<"$screen")" 'F1 帮助' "the key bar is on line 24 again"
over=0
while IFS= read -r line; do
	[ "$(e2e_width "$line")" -le 80 ] || over=$((over + 1))
done <<<"$screen"
tap_is "$over" 0 "no line is wider than 80 cells"

e2e_resize 70 20
e2e_wait "终端窗口太小"
tap_ok $? "below 80x24 the program says the terminal is too small"
e2e_resize 80 24
e2e_wait "办件号"
tap_ok $? "and draws the queue again at 80x24"

# A reply being typed survives resizes and is reflowed.
e2e_keys 2
e2e_wait "待答复咨询"
e2e_keys R
e2e_wait "您的答复"
e2e_type "这是一段很长的答复内容，用来检查终端尺寸改变时正在输入的文字不会丢失，而且会按新的宽度重新换行显示，不会从汉字中间断开。"
e2e_resize 120 40
sleep 0.4
tap_like "$(e2e_screen_both)" '按新的宽度' "text typed before growing is still there"
e2e_resize 80 24
sleep 0.4
screen=$(e2e_screen)
tap_like "$screen" '不会从汉字中间断开。' "and after shrinking back, reflowed"
tap_like "$screen" '（[0-9]+/4000 字）' "the character count is kept"
e2e_keys Escape
e2e_quit
e2e_done
