#!/usr/bin/env bash
# Story: help that reads as a table, undo in the reply editor, and the
# room a company's name gets.  F1: a description too long for the line
# wraps under its own column (not back at column 1), and the key bar says
# what the page keys do ("PgDn 下页  PgUp 上页").  In the reply editor
# Ctrl-Z undoes the last edit, word by word, again and again (F4 too),
# and says when nothing is left; Ctrl-Z never suspends hallterm.  At 120
# columns the extra width goes to the asker's (company's) name before the
# subject.
source "$(dirname "$0")/lib.sh"
e2e_setup
who=$(e2e_inquiry_clerk 2)
dept=$(e2e_psql "select department_code from hall.staff where login = '$who'")
company='哈尔滨市道里区鑫旺食品有限公司'
INQ=$(e2e_psql "select hall.ask('web', '$dept', '{\"name\": \"$company\", \"phone\": \"13600136000\"}',
                                '食品经营许可证延续换证需要哪些材料，办理时限多久', '许可证快到期了，请问延续换证需要哪些材料？')")
REF=$(e2e_psql "select ref from hall.inquiries where id = $INQ")

e2e_start "$who" || { tap_ok 1 "log in"; e2e_done; }
e2e_keys 2
e2e_wait "待答复咨询"

# ---- help ------------------------------------------------------------------
# On the queue (its / entry is too long for one line at 80 columns).
e2e_keys 1
e2e_wait "待办"
e2e_keys F1
e2e_wait "本界面按键"
screen=$(e2e_screen)
e2e_shot help
wrapped=$(echo "$screen" | grep -cE '^ {24}[^ ]')
tap_ok "$([ "$wrapped" -ge 1 ] && echo 0 || echo 1)" "a description too long for its line wraps ($wrapped continuation lines)"
orphans=$(echo "$screen" | awk '/^ {24}[^ ]/ && !(prev ~ /^   [^ ]/ || prev ~ /^ {24}[^ ]/) { n++ } { prev = $0 } END { print n + 0 }')
tap_is "$orphans" 0 "every continuation hangs under its entry's description (24 cells in), none at column 1"
tap_like "$(echo "$screen" | grep -A1 -E '^   / ' | tail -1)" '^ {24}[^ ]' "the search key's description continues under its column"
tap_like "$(echo "$screen" | tail -1)" 'PgDn 下页  PgUp 上页' "the key bar says what the page keys do"
e2e_keys NPage
e2e_wait "F10"
tap_like "$(e2e_screen_both)" '退出 hallterm' "PgDn shows the rest"
e2e_keys Escape
# The second page has no heading: wait for its last line to go, else the
# 2 comes within the escape delay and reads as Alt-2.
e2e_wait_gone "退出 hallterm"
e2e_keys 2
e2e_wait "待答复咨询"

# ---- undo in the reply editor -----------------------------------------------------
# The first inquiry of the list (nothing is sent).
e2e_keys R
e2e_wait "您的答复"
tap_like "$(e2e_screen | tail -1)" 'Ctrl-Z 撤销' "the editor's key bar offers Ctrl-Z to undo"
e2e_type "您好，"
e2e_type "请携带营业执照"
e2e_wait "您好，请携带营业执照"
e2e_wait "（10/4000 字）"
e2e_keys C-z
e2e_wait "（3/4000 字）"
tap_ok $? "Ctrl-Z undoes the last words typed"
tap_like "$(e2e_screen_both)" '^您好，$' "the first ones stay"
e2e_keys BSpace BSpace
e2e_wait "（1/4000 字）"
e2e_keys C-z
e2e_wait "（3/4000 字）"
tap_ok $? "Backspaces in a row are undone at once"
e2e_keys F4
e2e_wait "（0/4000 字）"
tap_ok $? "F4 undoes too: the text is empty again"
e2e_keys C-z
e2e_wait "没有可以撤销的编辑了"
tap_ok $? "and says when nothing is left to undo"
tap_ok "$([ -f "$E2E_TMP/exited" ] && echo 1 || echo 0)" "Ctrl-Z did not suspend or end hallterm"
e2e_type "x"
e2e_wait "（1/4000 字）"
tap_ok $? "the editor still takes text"
e2e_keys C-z
e2e_keys Escape
e2e_wait "待答复咨询"
e2e_quit

# ---- 120 columns: the company's name first ------------------------------------------
e2e_start "$who" 120 30 || { tap_ok 1 "log in at 120 columns"; e2e_done; }
e2e_keys 2
e2e_wait "$REF"
line=$(e2e_screen | grep -F -- "$REF")
e2e_shot inquiries_120
tap_like "$line" "${company:0:10}" "at 120 columns the asker's name shows ten characters or more (${company:0:10})"
tap_like "$line" "食品经营许可证延续换证" "and the subject keeps its start"
e2e_quit
e2e_done
