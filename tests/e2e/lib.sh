#!/usr/bin/env bash
# Whole-screen tests of hallterm: drive the real program in tmux, read the
# screen back, check the database.  Source this file from a test:
#
#   source "$(dirname "$0")/lib.sh"
#   e2e_setup                         # the demo database (shared or own)
#   e2e_start clerk01                 # hallterm in tmux, logged in
#   e2e_keys n; e2e_wait "审核中"      # keys, then wait for text
#   tap_like "$(e2e_screen)" '...' 'the queue shows ...'
#   e2e_done                          # stop hallterm, print the plan
#
# tests/e2e/run.sh starts ONE throwaway cluster with a demo database and
# exports E2E_* so every test uses it; a test run on its own starts its
# own.  Everything is fixed: 80x24 (unless asked), TZ Asia/Shanghai,
# LANG C.UTF-8 with the Chinese catalogue, a private tmux server, a private
# drafts directory and a test configuration (short reconnect backoff).
#
# Fixed whatever day and hour the suite runs: the demo database is generated
# with `hallctl demo --at "$E2E_NOW"`, which sets the database's own clock
# (hall.set_clock) to that moment, running, for every session; so the seed
# gives the same cases, inquiries, texts and deadlines, and every "today",
# countdown and quiet hour the stories see is counted from E2E_NOW, not from
# the machine's date.  E2E_NOW may be set to another moment (a Friday
# evening, the day before a holiday) to run the stories there.
#
# Nothing waits for text a shell prints: a program's exit is read from the
# status file the pane writes (e2e_exited), and e2e_wait also reads the
# screen with wrapped lines joined, so text that wraps at the edge is found.
set -u

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/cluster.sh
source "$E2E_ROOT/tests/lib/cluster.sh"
# shellcheck source=../lib/tap.sh
source "$E2E_ROOT/tests/lib/tap.sh"

: "${BUILD:=build}"
: "${HALLTERM:=$E2E_ROOT/$BUILD/hallterm}"
: "${HALLCTL:=$E2E_ROOT/$BUILD/hallctl}"
: "${HALLTERM_LOCALEDIR:=$E2E_ROOT/$BUILD/locale}"
: "${E2E_SCALE:=3000}"
: "${E2E_NOW:=2026-11-23 10:00+08}"   # a Monday morning, an ordinary working week
export HALLTERM_LOCALEDIR TZ=Asia/Shanghai LC_ALL=C.UTF-8 E2E_NOW

E2E_SOCK=hallterm-e2e-$$
E2E_SESSION=ht
E2E_TMP=

# The database: the runner's, or a cluster of our own for this test alone.
e2e_setup() {
	E2E_TMP=$(mktemp -d /tmp/hallterm-e2e.XXXXXX)
	[ "$(id -u)" = 0 ] && chmod 755 "$E2E_TMP"
	mkdir -p "$E2E_TMP/state"
	chmod 700 "$E2E_TMP/state"
	cat >"$E2E_TMP/hallterm.ini" <<-'EOF'
		[database]
		connect_timeout = 5
		reconnect_max_seconds = 2
		[drafts]
		autosave_seconds = 1
	EOF
	if [ -z "${E2E_PGHOST:-}" ]; then
		# shellcheck disable=SC2064
		cluster_temp "${E2E_PORT:-55471}" >/dev/null || { echo "Bail out! no cluster"; exit 1; }
		E2E_CLUSTER_DIR=$CLUSTER_TMP
		e2e_make_demo_db || { echo "Bail out! no demo database"; exit 1; }
		E2E_PGHOST=$PGHOST E2E_PGPORT=$PGPORT E2E_DB=hall_e2e
		trap 'e2e_cleanup; cluster_stop "$CLUSTER_TMP"; rm -rf "$CLUSTER_TMP"' EXIT
	else
		export PGHOST=$E2E_PGHOST PGPORT=$E2E_PGPORT PGUSER=${E2E_PGUSER:-$PGUSER}
		trap 'e2e_cleanup' EXIT
	fi
	export E2E_PGHOST E2E_PGPORT E2E_DB E2E_CLUSTER_DIR
	# An idle session keeps the private tmux server up between the
	# programs a story starts (a server exiting while the next session
	# starts makes the start fail).
	tmux -L "$E2E_SOCK" -f /dev/null new-session -d -s keep "sleep 3600"
}

# Create and fill the demo database in the current cluster (PG* exported).
e2e_make_demo_db() {
	createdb hall_e2e || return 1
	"$HALLCTL" --dsn "dbname=hall_e2e" migrate >/dev/null || return 1
	"$HALLCTL" --dsn "dbname=hall_e2e" demo --scale "$E2E_SCALE" --at "$E2E_NOW" >/dev/null || return 1
}

e2e_cleanup() {
	tmux -L "$E2E_SOCK" kill-server 2>/dev/null
	[ -n "$E2E_TMP" ] && rm -rf "$E2E_TMP"
}

# Run SQL as the cluster's superuser on the test database: one value per
# line, fields separated by |.
e2e_psql() {
	psql -X -At -v ON_ERROR_STOP=1 -h "$E2E_PGHOST" -p "$E2E_PGPORT" -d "$E2E_DB" -c "$1"
}

# A clerk of the Nth department (1, 2 ...) that has open inquiries, so the
# inquiry stories don't depend on how the demo spread them, and two
# stories never answer the same inquiry.
e2e_inquiry_clerk() {
	e2e_psql "select (select s.login from hall.staff s where s.kind = 'clerk' and s.department_code = d.code
	                  order by s.login limit 1)
	          from hall.departments d
	          where (select count(*) from hall.inquiries q where q.department_code = d.code and q.state = 'open') >= 1
	            and exists (select 1 from hall.staff s where s.kind = 'clerk' and s.department_code = d.code)
	          order by d.code offset $(($1 - 1)) limit 1"
}

# Start hallterm as USER in a fresh tmux session [COLS ROWS] and log in
# with the demo password; returns when the first main screen is up (the
# trainer's: the training room).
e2e_start() {
	local user=$1 cols=${2:-80} rows=${3:-24}
	tmux -L "$E2E_SOCK" kill-session -t "=$E2E_SESSION" 2>/dev/null
	rm -f "$E2E_TMP/exited"
	# The pane's shell writes the program's exit status to a file (read by
	# e2e_exited) before it prints it for a person watching.
	tmux -L "$E2E_SOCK" new-session -d -s "$E2E_SESSION" -x "$cols" -y "$rows" \
		"env -i PATH=/usr/bin:/bin HOME=$E2E_TMP TERM=${E2E_TERM:-screen-256color} LANG=C.UTF-8 LANGUAGE=zh_CN \
		 TZ=Asia/Shanghai HALLTERM_LOCALEDIR=$HALLTERM_LOCALEDIR XDG_STATE_HOME=$E2E_TMP/state \
		 ${E2E_EXTRA_ENV:-} $HALLTERM --config $E2E_TMP/hallterm.ini \
		 --dsn 'host=$E2E_PGHOST port=$E2E_PGPORT dbname=$E2E_DB user=$user' ${E2E_ARGS:-}; \
		 rc=\$?; echo \$rc >$E2E_TMP/exited.new && mv $E2E_TMP/exited.new $E2E_TMP/exited; \
		 echo \"[hallterm exited \$rc]\"; sleep 600"
	e2e_wait "请输入密码" 10 || return 1
	e2e_type demo
	e2e_keys Enter
	e2e_wait_re '待办|待决|时效|培训室' 10
}

# From a supervisor's first screen (timeliness), open the dashboard of
# decisions waiting (d) and wait for it.
e2e_dashboard() {
	e2e_keys d
	e2e_wait "待处理事项" 10
}

e2e_keys() {
	tmux -L "$E2E_SOCK" send-keys -t "$E2E_SESSION" "$@"
}

# Type text literally (Chinese included), as an input method would.
e2e_type() {
	tmux -L "$E2E_SOCK" send-keys -t "$E2E_SESSION" -l -- "$1"
}

e2e_screen() {
	tmux -L "$E2E_SOCK" capture-pane -p -t "$E2E_SESSION"
}

# The text inside a dialog box, its lines joined: a box wraps its text at
# its own width, and where depends on the data (a longer subject moves a
# department's name onto the next line).
e2e_box_text() {
	e2e_screen | sed -n 's/^[^│]*│\(.*\)│[^│]*$/\1/p' | sed 's/^ *//; s/ *$//' | tr -d '\n'
	echo
}

# The screen as rows, then again with wrapped lines joined (-J), then the
# text of a dialog box joined: what the waits and the positive checks
# search, so text cut by the right edge or by a box is still found whole.
# (Counting rows or checking that something is absent: use e2e_screen.)
e2e_screen_both() {
	tmux -L "$E2E_SOCK" capture-pane -p -t "$E2E_SESSION"
	tmux -L "$E2E_SOCK" capture-pane -p -J -t "$E2E_SESSION"
	e2e_box_text
}

# Wait until TEXT (fixed string) is on the screen, at most SECONDS (5).
e2e_wait() {
	local text=$1 limit=${2:-5} i=0
	while [ $i -lt $((limit * 20)) ]; do
		e2e_screen_both | grep -qF -- "$text" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "# timed out waiting for: $text" >&2
	e2e_screen | sed 's/^/#   | /' >&2
	return 1
}

# Same with an extended regular expression.
e2e_wait_re() {
	local re=$1 limit=${2:-5} i=0
	while [ $i -lt $((limit * 20)) ]; do
		e2e_screen_both | grep -qE -- "$re" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "# timed out waiting for /$re/" >&2
	e2e_screen | sed 's/^/#   | /' >&2
	return 1
}

# Wait until TEXT is gone from the screen.
e2e_wait_gone() {
	local text=$1 limit=${2:-5} i=0
	while [ $i -lt $((limit * 20)) ]; do
		e2e_screen_both | grep -qF -- "$text" || return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# Display width of a string in terminal cells (wcwidth via wc -L).
e2e_width() {
	printf '%s' "$1" | LC_ALL=C.UTF-8 wc -L
}

# Resize the tmux window (the program gets SIGWINCH / KEY_RESIZE).
e2e_resize() {
	tmux -L "$E2E_SOCK" resize-window -t "$E2E_SESSION" -x "$1" -y "$2"
}

e2e_pane_title() {
	tmux -L "$E2E_SOCK" display-message -p -t "$E2E_SESSION" '#{pane_title}'
}

# The pid of the hallterm running in the session (the pane's shell runs it
# as its child), for the crash story.
e2e_program_pid() {
	local shell
	shell=$(tmux -L "$E2E_SOCK" display-message -p -t "$E2E_SESSION" '#{pane_pid}')
	ps -o pid= --ppid "$shell" | head -1 | tr -d ' '
}

# Wait at most SECONDS (5) for the program of the session to end; print
# its exit status (128+N for signal N).  Fails if it is still running.
e2e_exited() {
	local limit=${1:-5} i=0
	while [ $i -lt $((limit * 20)) ]; do
		if [ -f "$E2E_TMP/exited" ]; then
			cat "$E2E_TMP/exited"
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "# hallterm still running after ${limit} s" >&2
	e2e_screen | sed 's/^/#   | /' >&2
	return 1
}

# n: the queue names the most urgent waiting case and asks before claiming
# it; answer yes.
e2e_claim_next() {
	e2e_keys n
	e2e_wait "受理下一件" 5 || return 1
	e2e_keys y
}

# Quit hallterm with F10 and check it left by itself.
e2e_quit() {
	e2e_keys F10
	e2e_exited 5 >/dev/null
}

# Stop and start the cluster (for the connection-loss story).
e2e_db_stop() {
	cluster_stop "$E2E_CLUSTER_DIR"
}

e2e_db_start() {
	cluster_start "$E2E_CLUSTER_DIR" "$E2E_PGPORT" >/dev/null
}

# The SMS gateway for the outbox stories: the test receiver on a free port
# of 127.0.0.1 (stopped at exit), set_receiver KEY=VALUE... to change how it
# answers from its next request on, and notify_once to run one
# `hallctl notify --once` against it (prints its exit status).
e2e_gateway_start() {
	: "${RECEIVER:=$E2E_ROOT/$BUILD/tests/receiver}"
	RECV_LOG=$E2E_TMP/receiver.tsv
	RECV_CTL=$E2E_TMP/receiver.ctl
	set_receiver "# ok"
	"$RECEIVER" 0 "$RECV_LOG" "$RECV_CTL" >"$E2E_TMP/receiver.port" 2>"$E2E_TMP/receiver.err" &
	RECV_PID=$!
	local old_trap
	old_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
	# shellcheck disable=SC2064
	trap "kill $RECV_PID 2>/dev/null; wait $RECV_PID 2>/dev/null; $old_trap" EXIT
	for _ in $(seq 50); do [ -s "$E2E_TMP/receiver.port" ] && break; sleep 0.1; done
	PORT=$(head -1 "$E2E_TMP/receiver.port")
	[ -n "$PORT" ] || { echo "Bail out! the receiver did not start"; exit 1; }
	cat >"$E2E_TMP/notify.ini" <<-EOF2
		[notify]
		url = http://127.0.0.1:$PORT/v1/messages
		connect_timeout_ms = 1000
		timeout_ms = 3000
		max_attempts = 3
	EOF2
}

set_receiver() { # KEY=VALUE...: its behaviour from its next request on
	printf '%s\n' "$@" >"$RECV_CTL.tmp"
	mv "$RECV_CTL.tmp" "$RECV_CTL"
}

notify_once() {
	local st=0
	"$HALLCTL" --dsn "host=$E2E_PGHOST port=$E2E_PGPORT dbname=$E2E_DB" --config "$E2E_TMP/notify.ini" \
		notify --once --worker e2e >>"$E2E_TMP/notify.log" 2>&1 || st=$?
	echo "$st"
}

# Save the screen as a text screenshot (doc/guide-clerk.md uses them).
e2e_shot() {
	[ -n "${E2E_SHOTS:-}" ] || return 0
	mkdir -p "$E2E_SHOTS"
	e2e_screen >"$E2E_SHOTS/$1.txt"
}

e2e_done() {
	e2e_cleanup
	tap_done
}

# --- a second and third program at once (29_tickets: the display, the pad)

# Start hallterm in another tmux session NAME [COLS ROWS] with ARGS (no
# login: --display, --pad), beside the one of e2e_start.  The helpers above
# work on it with E2E_SESSION=NAME in front (E2E_SESSION=disp e2e_wait ...).
e2e_start_other() { # NAME COLS ROWS ARGS...
	local name=$1 cols=$2 rows=$3
	shift 3
	tmux -L "$E2E_SOCK" kill-session -t "=$name" 2>/dev/null
	tmux -L "$E2E_SOCK" new-session -d -s "$name" -x "$cols" -y "$rows" \
		"env -i PATH=/usr/bin:/bin HOME=$E2E_TMP TERM=${E2E_TERM:-screen-256color} LANG=C.UTF-8 LANGUAGE=zh_CN \
		 TZ=Asia/Shanghai HALLTERM_LOCALEDIR=$HALLTERM_LOCALEDIR XDG_STATE_HOME=$E2E_TMP/state \
		 ${E2E_EXTRA_ENV:-} $HALLTERM --config $E2E_TMP/hallterm.ini $*; echo \"[hallterm exited \$?]\"; sleep 600"
}
