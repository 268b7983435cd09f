#!/usr/bin/env bash
# Story: hallterm dies (kill -9) in the middle of a reply; started again,
# opening the same inquiry offers the draft back.
source "$(dirname "$0")/lib.sh"
e2e_setup
who=$(e2e_inquiry_clerk 3)

e2e_start "$who" || { tap_ok 1 "log in"; e2e_done; }
e2e_keys 2
e2e_wait "待答复咨询"
e2e_wait_re 'Z[0-9]{6}-[0-9]{4}'
ref=$(e2e_screen | grep -m1 -oE 'Z[0-9]{6}-[0-9]{4}')
e2e_keys R
e2e_wait "您的答复"
e2e_type "您好，出生医学证明补发需要父母双方身份证。"
sleep 2 # autosave_seconds = 1
kill -KILL "$(e2e_program_pid)"
tap_is "$(e2e_exited 5)" 137 "hallterm was killed (SIGKILL)"
tap_like "$(cat "$E2E_TMP"/state/hallterm/*inquiry* 2>/dev/null)" '出生医学证明补发' "the draft was on disk before the crash"

e2e_start "$who" || { tap_ok 1 "log in again"; e2e_done; }
e2e_keys 2
e2e_wait "$ref"
e2e_keys Enter
e2e_wait "您未发送的答复已保存"
tap_ok $? "the inquiry says a draft is waiting"
e2e_keys R
e2e_wait "要继续编辑吗"
tap_ok $? "opening the reply offers the draft back"
e2e_keys y
e2e_wait "出生医学证明补发需要父母双方身份证。"
tap_ok $? "the draft is back in the editor"
e2e_keys Escape
e2e_quit
e2e_done
