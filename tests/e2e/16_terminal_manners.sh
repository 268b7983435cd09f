#!/usr/bin/env bash
# Story: the clerk's terminal is whatever the hall has — the Linux console,
# xterm, screen, an old vt100 with no colours, a NO_COLOR setting — and
# hallterm works on each and never leaves it broken: after F10, SIGTERM
# or a crash (SIGSEGV) the alternate screen is left, the cursor is back
# and the mouse is off.  Colour never carries meaning alone: the overdue
# mark "!!" is there with or without colours.
source "$(dirname "$0")/lib.sh"
e2e_setup

flag() { tmux -L "$E2E_SOCK" display-message -p -t "$E2E_SESSION" "#{$1}"; }
colour_sgr() { # how many colour SGR sequences the pane holds
	tmux -L "$E2E_SOCK" capture-pane -e -p -t "$E2E_SESSION" | grep -oE $'\e\\[[0-9;]*m' |
		grep -cE '\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|38;5;[0-9]+|48;5;[0-9]+)(;[0-9;]*)?m'
}
restored() { # restored HOW: the terminal is usable again
	tap_is "$(flag alternate_on)" 0 "$1: the alternate screen is left"
	tap_is "$(flag cursor_flag)" 1 "$1: the cursor is visible again"
	tap_is "$(flag mouse_any_flag)$(flag mouse_standard_flag)$(flag mouse_button_flag)" 000 "$1: mouse reporting is off"
}

for term in xterm-256color linux screen; do
	E2E_TERM=$term e2e_start clerk01 || { tap_ok 1 "TERM=$term: log in"; continue; }
	e2e_wait "办件号"
	tap_like "$(e2e_screen_both)" '!!' "TERM=$term: overdue cases carry the !! mark"
	tap_ok "$([ "$(colour_sgr)" -gt 0 ]; echo $?)" "TERM=$term: the screen uses colour"
	e2e_keys F10
	tap_is "$(e2e_exited 5)" 0 "TERM=$term: F10 quits, exit status 0"
	restored "TERM=$term, F10"
done

# No colours at all: a vt100, and NO_COLOR on a colour terminal.
E2E_TERM=vt100 e2e_start clerk01 && e2e_wait "办件号"
tap_is "$(colour_sgr)" 0 "TERM=vt100: no colour sequence is sent"
tap_like "$(e2e_screen_both)" '!!' "TERM=vt100: the overdue mark is still there"
kill -TERM "$(e2e_program_pid)"
e2e_exited 5 >/dev/null
tap_ok $? "TERM=vt100: SIGTERM ends the program"
restored "SIGTERM"

E2E_EXTRA_ENV="NO_COLOR=1" E2E_TERM=xterm-256color e2e_start clerk01 && e2e_wait "办件号"
tap_is "$(colour_sgr)" 0 "NO_COLOR: no colour sequence is sent on a colour terminal"
tap_like "$(e2e_screen_both)" '!!' "NO_COLOR: the overdue mark is still there"
on=$(( $(flag mouse_any_flag) + $(flag mouse_button_flag) + $(flag mouse_standard_flag) ))
tap_ok "$([ "$on" -gt 0 ]; echo $?)" "while running, the mouse is on (so the checks below can fail)"
tap_is "$(flag alternate_on)" 1 "while running, the alternate screen is in use"
kill -SEGV "$(e2e_program_pid)"
tap_is "$(e2e_exited 5)" 139 "a crash (SIGSEGV) ends the program by the signal (status 139), not a normal exit"
restored "SIGSEGV"
e2e_done
