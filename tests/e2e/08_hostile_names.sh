#!/usr/bin/env bash
# Story: two applicants of window A01 have names with terminal escape
# sequences (ESC ] 0;pwned BEL sets a window title, ESC [2J clears the
# screen).  They must show as visible placeholders and do nothing.
source "$(dirname "$0")/lib.sh"
e2e_setup

e2e_start clerk01 || { tap_ok 1 "log in"; e2e_done; }
title_before=$(e2e_pane_title)
# Received on the first day and never claimed, they head A01's queue.
e2e_wait "␛[2J清屏者"
tap_ok $? "ESC [2J shows as placeholders (␛[2J) in the queue"
e2e_wait "测试␛]0;pwn"
tap_ok $? "ESC ] 0;pwned BEL shows as placeholders in the queue"
screen=$(e2e_screen)
e2e_shot hostile
tap_is "$(e2e_pane_title)" "$title_before" "the terminal's title did not change"
tap_like "$(sed -n 1p <<<"$screen")" '^ 待办 ' "the screen was not cleared: title line"
tap_like "$screen" '办件号 +事项 +申请人' "the screen was not cleared: headings"
tap_like "$(tail -1 <<<"$screen")" 'F1 帮助' "the key bar is intact"
tap_ok $(grep -q $'\x1b' <<<"$screen" && echo 1 || echo 0) "no escape character reached the screen text"
# The same names, aligned like every other: the channel column still
# starts on the same cell on those rows.
w1=$(e2e_width "$(grep -m1 '清屏者' <<<"$screen" | sed 's/ 网站 .*//')")
w2=$(e2e_width "$(grep -m1 '测试' <<<"$screen" | sed 's/ 网站 .*//')")
tap_is "$w1" "$w2" "the placeholder names take the cells they are drawn in"

# Searching by the start of the name finds one; its case screen shows the
# whole name with the placeholders.
e2e_keys /
e2e_wait "办件号（或其中一部分）"
e2e_type "测试"
e2e_keys Enter
e2e_wait_re '^[0-9]{6}-[0-9]{4} .*测试'
e2e_keys Enter
# The queue's heading says 申请人 too: wait for the case screen's own line.
e2e_wait_re '^申请人 +测试'
tap_like "$(e2e_screen)" '申请人 +测试␛\]0;pwned␇用户' "the case screen shows the whole name, made harmless"
tap_is "$(e2e_pane_title)" "$title_before" "still no title change"
e2e_keys Escape
e2e_quit
e2e_done
