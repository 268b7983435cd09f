#!/usr/bin/env bash
# P3 terminal: hallterm against pspg in tmux, at 80x24 and 160x45: start to
# the first full queue screen, peak RSS, and keypress to screen settled
# (page down; for hallterm also open a case and back), P3_ROUNDS rounds,
# the two programs alternated.
# Back is q: Esc (its twin) waits the terminal's escape delay (25 ms,
# src/ui/term.c) to tell a lone Esc from the start of a key's sequence.
#
#   tests/bench/p3_terminal.sh     (BENCH_DB and the PG* environment: tests/bench/run.sh)
#
# Both log in the same way: as clerk01 over the Unix socket with SCRAM,
# the password "demo" from a PGPASSFILE (no prompt, no typing in the
# figure).  pspg shows the rows of the same query: the statement the
# terminal sent for its first page at that size (captured from the server
# log of an untimed hallterm run with log_statement = all for clerk01),
# its parameters written in, run by `pspg -q` (libpq, one PQexec).
#
# Both are measured from outside the same way: tmux pipe-pane hands every
# byte the program writes to tests/bench/p3_stamp.py, which time-stamps it;
# the pane's shell writes the start time just before exec.  "First full
# screen" is when the case number of the last row on the screen (read from
# tmux when it has settled) has been written; "settled" is the last write
# after a key before 150 ms of silence; the key's time is taken just before
# `tmux send-keys`.  Peak RSS is GNU time's %M for both (hallterm's own
# VmHWM mark agrees).  hallterm's own marks (--bench: first_queue,
# pgdn_key -> queue_drawn, case_key -> case_shown) are printed beside.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/bench/lib.sh
: "${BENCH_DB:?BENCH_DB: the demo database (tests/bench/run.sh sets it)}"
HALLTERM=${HALLTERM:-$PWD/build/hallterm}
LOCALEDIR=${HALLTERM_LOCALEDIR:-$PWD/build/locale}
ROUNDS=${P3_ROUNDS:-$BENCH_ROUNDS}
SIZES=${P3_SIZES:-80x24 160x45}
SERVER_LOG=${BENCH_SERVER_LOG:-$(dirname "$PGHOST")/server.log}
PSPG=$(command -v pspg || true)
WORK=$(mktemp -d /tmp/hallterm-p3.XXXXXX)
SOCK=hallterm-p3-$$
eval "set -- $(trap -p EXIT)"
PREV_TRAP=${3:-}
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; [ -n "${P3_KEEP:-}" ] || rm -rf "$WORK"; eval "$PREV_TRAP"' EXIT
q() { bench_psql "$@"; }
[ -n "$PSPG" ] || { echo "p3: pspg is not installed (make bench installs BENCH_PKGS)" >&2; exit 1; }
ns() { date +%s%N; }

printf '*:*:*:clerk01:demo\n' >"$WORK/pgpass"
chmod 600 "$WORK/pgpass"
ENV="env -i PATH=/usr/bin:/bin HOME=$WORK TERM=screen-256color LANG=C.UTF-8 LANGUAGE=zh_CN TZ=Asia/Shanghai \
HALLTERM_LOCALEDIR=$LOCALEDIR XDG_STATE_HOME=$WORK/state PGPASSFILE=$WORK/pgpass"
DSN="host=$PGHOST port=$PGPORT dbname=$BENCH_DB user=clerk01"
tmux -L "$SOCK" -f /dev/null new-session -d -s keep "sleep 3600"

# launch NAME SIZE OUT CMD: a pane of SIZE that waits for Enter, stamps the
# time in OUT.t0 and execs CMD under GNU time (peak RSS to OUT.rss), its
# output recorded to OUT.bytes/.idx.
launch() {
	local name=$1 size=$2 out=$3 cmd=$4
	tmux -L "$SOCK" kill-session -t "$name" 2>/dev/null || true
	tmux -L "$SOCK" new-session -d -s "$name" -x "${size%x*}" -y "${size#*x}" \
		"read _; date +%s%N >$out.t0; exec /usr/bin/time -f %M -o $out.rss $ENV $cmd"
	tmux -L "$SOCK" pipe-pane -O -t "$name" "exec python3 $PWD/tests/bench/p3_stamp.py record $out"
	for _ in $(seq 200); do [ -e "$out.ready" ] && break; sleep 0.05; done
	sleep 0.2
	tmux -L "$SOCK" send-keys -t "$name" Enter
}
screen_of() { tmux -L "$SOCK" capture-pane -p -t "$1"; }
# last_case NAME: the case number of the last row on the screen.
last_case() { screen_of "$1" | grep -oE '[0-9]{6}-[0-9]{4,}' | tail -1; }
wait_quiet() { # until OUT.idx has not grown for 300 ms (at most 10 s)
	local out=$1 prev=-1 n i
	for i in $(seq 100); do
		n=$(wc -l <"$out.idx" 2>/dev/null || echo 0)
		[ "$n" -gt 0 ] && [ "$n" = "$prev" ] && return 0
		prev=$n
		sleep 0.3
	done
}
# key NAME OUT KEY: send KEY, wait, print ms from the key to settled.
key() {
	local t
	t=$(ns)
	tmux -L "$SOCK" send-keys -t "$1" "$3"
	wait_quiet "$2"
	python3 tests/bench/p3_stamp.py settled "$2" "$t"
}
first_screen() { # NAME OUT: ms from start to the last row's case number written
	local c
	wait_quiet "$2"
	c=$(last_case "$1")
	[ -n "$c" ] || { echo "-"; return; }
	python3 tests/bench/p3_stamp.py appears "$2" "$(cat "$2.t0")" "$c"
}
mark() { grep -E " $2( |$)" "$1" | tail -1 | cut -d' ' -f1; }

for size in $SIZES; do
	# The query at this size, from an untimed run with the statement log on.
	q -c "ALTER ROLE clerk01 SET log_statement = 'all'" >/dev/null
	from=$(stat -c %s "$SERVER_LOG")
	launch cap "$size" "$WORK/cap" "$HALLTERM --dsn '$DSN'"
	wait_quiet "$WORK/cap"; sleep 0.5
	tmux -L "$SOCK" send-keys -t cap F10; sleep 0.5
	q -c "ALTER ROLE clerk01 RESET log_statement" >/dev/null
	tail -c +"$((from + 1))" "$SERVER_LOG" >"$WORK/cap.log"
	python3 tests/bench/p2_capture.py literal_sql "$WORK/cap.log" >"$WORK/query.$size.sql"
	# counted as clerk01, as pspg runs it: hall.queue_page answers staff only
	rows=$(PGPASSFILE=$WORK/pgpass psql -X -At -d "$DSN" -c "SELECT count(*) FROM ($(cat "$WORK/query.$size.sql")) x" \
		2>/dev/null || echo "?")

	for ((r = 1; r <= ROUNDS; r++)); do
		# hallterm: start, page down, open the case, back, quit
		o=$WORK/h.$size.$r
		launch h "$size" "$o" "$HALLTERM --bench $o.marks --dsn '$DSN'"
		echo "$(first_screen h "$o") $(mark "$o.marks" first_queue)" >>"$WORK/h.$size.first"
		sleep 0.3
		echo "$(key h "$o" NPage) $(awk '/ pgdn_key/ {k = $1} / queue_drawn/ {d = $1} END {printf "%.3f", d - k}' "$o.marks")" >>"$WORK/h.$size.pgdn"
		echo "$(key h "$o" Enter) $(awk '/ case_key/ {k = $1} / case_shown/ {d = $1} END {printf "%.3f", d - k}' "$o.marks")" >>"$WORK/h.$size.open"
		echo "$(key h "$o" q) -" >>"$WORK/h.$size.back"
		tmux -L "$SOCK" send-keys -t h F10
		for _ in $(seq 100); do [ -s "$o.rss" ] && break; sleep 0.05; done
		cat "$o.rss" >>"$WORK/h.$size.rss"
		# pspg: start, page down, quit
		o=$WORK/p.$size.$r
		launch p "$size" "$o" "$PSPG -h $PGHOST -p $PGPORT -d $BENCH_DB -U clerk01 -q \"\$(cat $WORK/query.$size.sql)\""
		echo "$(first_screen p "$o") -" >>"$WORK/p.$size.first"
		sleep 0.3
		echo "$(key p "$o" NPage) -" >>"$WORK/p.$size.pgdn"
		tmux -L "$SOCK" send-keys -t p q
		for _ in $(seq 100); do [ -s "$o.rss" ] && break; sleep 0.05; done
		cat "$o.rss" >>"$WORK/p.$size.rss"
	done

	med() { cut -d' ' -f"${2:-1}" "$1" | grep -E '^[0-9.]+$' | stat_median; }
	spr() { cut -d' ' -f"${2:-1}" "$1" | grep -E '^[0-9.]+$' | stat_spread; }
	hf=$(med "$WORK/h.$size.first"); pf=$(med "$WORK/p.$size.first")
	hr=$(med "$WORK/h.$size.rss"); pr=$(med "$WORK/p.$size.rss")
	bench_result P3 "$size: start to first full queue screen, ms (pspg: same $rows rows)" "$(fmt_num "$hf")" "$(fmt_num "$pf")" ms \
		"no slower than pspg" "$(awk -v a="$hf" -v b="$pf" 'BEGIN { print (a ~ /^[0-9.]+$/ && a <= b) ? "ok" : "MISS" }')" \
		"hallterm $(spr "$WORK/h.$size.first"), pspg $(spr "$WORK/p.$size.first"); own mark first_queue $(fmt_num "$(med "$WORK/h.$size.first" 2)")"
	bench_result P3 "$size: peak RSS, KiB" "$(fmt_num "$hr")" "$(fmt_num "$pr")" KiB "no larger than pspg" \
		"$(awk -v a="$hr" -v b="$pr" 'BEGIN { print (a ~ /^[0-9.]+$/ && a <= b) ? "ok" : "MISS" }')" \
		"hallterm $(spr "$WORK/h.$size.rss"), pspg $(spr "$WORK/p.$size.rss")"
	for k in pgdn open back; do
		v=$(med "$WORK/h.$size.$k")
		raw="-"; [ "$k" = pgdn ] && raw=$(med "$WORK/p.$size.pgdn")
		label=$(case $k in pgdn) echo "page down";; open) echo "open a case (Enter)";; back) echo "back to the queue (q)";; esac)
		own=""; [ "$k" != back ] && own="; own marks $(fmt_num "$(med "$WORK/h.$size.$k" 2)")"
		bench_result P3 "$size: $label, key to settled, ms" "$(fmt_num "$v")" "$(fmt_num "$raw")" ms "< 20 ms" \
			"$(awk -v a="$v" 'BEGIN { print (a ~ /^[0-9.]+$/ && a < 20) ? "ok" : "MISS" }')" "$(spr "$WORK/h.$size.$k")$own"
	done
	echo "  $size: first screen hallterm $hf ms, pspg $pf ms; peak RSS $hr KiB, pspg $pr KiB; keys (ms): page down $(med "$WORK/h.$size.pgdn") (pspg $(med "$WORK/p.$size.pgdn")), open $(med "$WORK/h.$size.open"), back $(med "$WORK/h.$size.back")"
done
bench_note "P3: both as clerk01 over the socket, SCRAM with the password from a PGPASSFILE; pspg $("$PSPG" --version 2>/dev/null | head -1) runs the terminal's first-page statement with its parameters written in (\`pspg -q\`)."
