#!/usr/bin/env bash
# What one terminal costs the server: every hallterm window holds one
# backend of its own for the whole day (LISTEN needs the session), so the
# memory of the hall's server is about N backends.  This measures them.
#
#   bash tests/bench/connections_bench.sh          (after `make`; or via `make bench`)
#
# A throwaway cluster of its own (port CONN_BENCH_PORT, default 55633: it
# needs max_connections above the 200 of tests/lib/cluster.sh, so it is
# restarted with 600), a demo database, then for each size of CONN_SIZES
# (default "50 200") that many sessions that do what a clerk's terminal
# does when it opens (log in as clerk01 with SCRAM, LISTEN hall_queue,
# read the first page of the window's queue through row-level security)
# and then sit idle, held open by one pgbench process; and CONN_REAL
# (default 3) real hallterm programs in tmux, logged in as clerk01..,
# showing their queue, then after a tour of the clerk's screens (a case,
# the inquiries, the ratings).  Each backend's memory is read from
# /proc/PID/smaps and /proc/PID/status (VmPTE, its page tables):
#
#   Own       private pages of its private mappings (heap, stack, pages
#             written since the fork): what one more terminal costs
#   Shm       shared memory it touched (shared_buffers...): paid once
#   Pss       its share of every page it maps: summed over all processes
#             it is the server's real total
#   Rss       every page it maps, counted in full (what top shows)
#
# Needs read access to the backends' /proc files: run as root (the server
# runs as postgres) or as the user who owns the cluster.
set -euo pipefail
cd "$(dirname "$0")/../.."
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
HALLTERM=${HALLTERM:-$PWD/build/hallterm}
HALLTERM_LOCALEDIR=${HALLTERM_LOCALEDIR:-$(dirname "$HALLTERM")/locale}
PORT=${CONN_BENCH_PORT:-55633}
SIZES=${CONN_SIZES:-50 200}
REAL=${CONN_REAL:-3}
SCALE=${CONN_SCALE:-2000}
export TZ=Asia/Shanghai LC_ALL=C.UTF-8
unset BENCH_DB

source tests/lib/cluster.sh
bin=$(cluster_pgbin)
PGBENCH=$bin/pgbench
[ -x "$PGBENCH" ] || PGBENCH=$(command -v pgbench)
cluster_temp "$PORT" >/dev/null
WORK=$(mktemp -d /tmp/hallterm-conn-bench.XXXXXX)
chmod 755 "$WORK"
TMUX_SOCK=hallterm-connbench-$$
BENCH_PID=
eval "set -- $(trap -p EXIT)"
PREV_TRAP=${3:-}
cleanup() {
	[ -n "$BENCH_PID" ] && kill -TERM "$BENCH_PID" 2>/dev/null && wait "$BENCH_PID" 2>/dev/null
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true
	rm -rf "$WORK"
	eval "$PREV_TRAP"
}
trap cleanup EXIT

DB=hall
q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$DB" "$@"; }
createdb "$DB"
"$HALLCTL" --dsn "dbname=$DB" migrate >/dev/null
"$HALLCTL" --dsn "dbname=$DB" demo --scale "$SCALE" --at '2026-11-23 10:00+08' >/dev/null

# The same server with room for 600 sessions (a city's 500 windows and the
# rest).  shared_buffers stays at the tests' 256MB.
cluster_stop "$CLUSTER_TMP"
SHARED_BUFFERS=256MB
cluster_as_owner "$bin/pg_ctl" -D "$CLUSTER_TMP/data" -l "$CLUSTER_TMP/server.log" -w -t 60 start \
	-o "-c listen_addresses='' -k $CLUSTER_TMP/run -p $PORT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=600 -c shared_buffers=$SHARED_BUFFERS -c timezone=Asia/Shanghai -c log_min_messages=warning" \
	>/dev/null
q -c "VACUUM ANALYZE" >/dev/null

# mem PID...: "rss pss own shm pte" in KiB, summed over the processes.
#   own  private pages of private mappings: heap, stack, written copies of
#        the postmaster's pages; what this backend alone costs
#   shm  pages of shared mappings it touched (shared_buffers and the rest
#        of the shared memory): the server pays them once, in
#        shared_buffers, however many backends touch them.  (smaps counts
#        such a page as "Private" while only one process maps it, which is
#        why Private_* of the whole process would overstate a backend that
#        reads pages nobody else reads.)
mem() {
	local p
	for p in "$@"; do
		cat "/proc/$p/smaps" "/proc/$p/status" 2>/dev/null
	done | awk '
		/^[0-9a-f]+-[0-9a-f]+ / { shared = substr($2, 4, 1) == "s"; next }
		/^Rss:/ { rss += $2; if (shared) shm += $2 }
		/^Pss:/ { pss += $2 }
		/^Private_(Clean|Dirty):/ { if (!shared) own += $2 }
		/^VmPTE:/ { pte += $2 }
		END { print rss + 0, pss + 0, own + 0, shm + 0, pte + 0 }'
}
# row LABEL N PID...: one line of the table, per backend.
row() {
	local label=$1 n=$2 m; shift 2
	read -r -a m < <(mem "$@")
	awk -v l="$label" -v n="$n" -v rss="${m[0]}" -v pss="${m[1]}" -v own="${m[2]}" -v shm="${m[3]}" -v pte="${m[4]}" 'BEGIN {
		printf "  %-40s %4d  %7.1f %7.1f %7.1f %7.1f %6.0f\n", l, n, own / n / 1024, shm / n / 1024, pss / n / 1024, rss / n / 1024, pte / n }'
}
backends() { # APPLICATION_NAME STATE-FILTER: pids
	q -c "SELECT pid FROM pg_stat_activity WHERE datname = '$DB' AND application_name = '$1' $2"
}
server_procs() { # the postmaster and its background processes (not client backends)
	local pm; pm=$(cluster_as_owner head -1 "$CLUSTER_TMP/data/postmaster.pid")
	echo "$pm"
	q -c "SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend'"
}

echo "  shared_buffers $SHARED_BUFFERS, max_connections 600, demo of $SCALE cases; per backend, MiB (page tables KiB)"
printf '  %-40s %4s  %7s %7s %7s %7s %6s\n' "sessions" "n" "Own" "Shm" "Pss" "Rss" "PTE"
mapfile -t SP < <(server_procs)
row "server processes (postmaster etc.)" "${#SP[@]}" "${SP[@]}"

# ---- N sessions like a terminal's, held by pgbench ---------------------------
cat >"$WORK/terminal.sql" <<'SQL'
LISTEN hall_queue;
SELECT * FROM hall.v_queue WHERE window_code = 'A01' AND (queue_rank, sort_due, id) > (0::smallint, '2000-01-01'::date, 0::bigint)
 ORDER BY queue_rank, sort_due, id LIMIT 30;
\sleep 600 s
SQL
for n in $SIZES; do
	PGPASSWORD=demo PGAPPNAME=connbench "$PGBENCH" -n -d "$DB" -U clerk01 -c "$n" -j 2 -t 1 \
		-f "$WORK/terminal.sql" >"$WORK/pgbench.$n.log" 2>&1 &
	BENCH_PID=$!
	t0=$(date +%s.%N)
	for _ in $(seq 600); do
		[ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'connbench'
		           AND state = 'idle' AND query LIKE '%v_queue%'")" = "$n" ] && break
		kill -0 "$BENCH_PID" 2>/dev/null || { cat "$WORK/pgbench.$n.log" >&2; exit 1; }
		sleep 0.1
	done
	t1=$(date +%s.%N)
	sleep 1
	mapfile -t PIDS < <(backends connbench "AND state = 'idle'")
	[ "${#PIDS[@]}" = "$n" ] || { echo "  only ${#PIDS[@]} of $n sessions came up" >&2; exit 1; }
	row "LISTEN + queue page (pgbench)" "$n" "${PIDS[@]}"
	awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "  (%d logins, SCRAM, LISTEN and the first page: %.1f s)\n", n, b - a }'
	# The whole server with these sessions, for the table below.
	mapfile -t SP < <(server_procs)
	read -r -a tot < <(mem "${SP[@]}" "${PIDS[@]}")
	echo "$n ${tot[*]}" >>"$WORK/totals"
	kill -TERM "$BENCH_PID" 2>/dev/null || true
	wait "$BENCH_PID" 2>/dev/null || true
	BENCH_PID=
	for _ in $(seq 100); do
		[ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'connbench'")" = 0 ] && break
		sleep 0.1
	done
done

# ---- real terminals ------------------------------------------------------------
if [ "$REAL" -gt 0 ] && command -v tmux >/dev/null && [ -x "$HALLTERM" ]; then
	mkdir -p "$WORK/state" && chmod 700 "$WORK/state"
	printf '[database]\nconnect_timeout = 5\n' >"$WORK/hallterm.ini"
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s keep "sleep 3600"
	screen_has() { tmux -L "$TMUX_SOCK" capture-pane -p -t "$1" | grep -qE -- "$2"; }
	wait_screen() { # SESSION REGEX
		local i
		for i in $(seq 200); do screen_has "$1" "$2" && return 0; sleep 0.05; done
		echo "  hallterm $1 did not show /$2/" >&2
		return 1
	}
	up=0
	for i in $(seq "$REAL"); do
		login=$(printf 'clerk%02d' "$i")
		tmux -L "$TMUX_SOCK" new-session -d -s "t$i" -x 100 -y 30 \
			"env -i PATH=/usr/bin:/bin HOME=$WORK TERM=screen-256color LANG=C.UTF-8 LANGUAGE=zh_CN \
			 TZ=Asia/Shanghai HALLTERM_LOCALEDIR=$HALLTERM_LOCALEDIR XDG_STATE_HOME=$WORK/state \
			 $HALLTERM --config $WORK/hallterm.ini --dsn 'host=$PGHOST port=$PGPORT dbname=$DB user=$login'; sleep 600"
		wait_screen "t$i" '请输入密码' || continue
		tmux -L "$TMUX_SOCK" send-keys -t "t$i" -l demo
		tmux -L "$TMUX_SOCK" send-keys -t "t$i" Enter
		wait_screen "t$i" '待办|待决|时效' && up=$((up + 1))
	done
	if [ "$up" -gt 0 ]; then
		sleep 1
		mapfile -t PIDS < <(backends hallterm "")
		row "hallterm, its queue shown" "${#PIDS[@]}" "${PIDS[@]}"
		# A tour of a clerk's screens: the first case of the queue, back,
		# the inquiries, the ratings, the queue again.  What those
		# statements and functions cached now stays in each backend.
		for k in Enter Escape 2 3 1; do
			for i in $(seq "$REAL"); do
				tmux -L "$TMUX_SOCK" send-keys -t "t$i" "$k"
			done
			sleep 1.5
		done
		row "hallterm, after case/inquiries/ratings" "${#PIDS[@]}" "${PIDS[@]}"
		# The program itself, on the clerk's machine.
		CPIDS=()
		for p in $(tmux -L "$TMUX_SOCK" list-panes -a -F '#{pane_pid}'); do
			for c in $(ps -o pid= --ppid "$p"); do
				[ "$(ps -o comm= -p "$c")" = hallterm ] && CPIDS+=("$c")
			done
		done
		[ "${#CPIDS[@]}" -gt 0 ] && row "(the hallterm program, client side)" "${#CPIDS[@]}" "${CPIDS[@]}"
	else
		echo "  (no hallterm came up in tmux: the real terminals are not measured)"
	fi
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true
fi

echo "  the whole server (postmaster, background processes and the sessions), MiB:"
while read -r n _ pss own _ _; do
	awk -v n="$n" -v pss="$pss" -v own="$own" 'BEGIN {
		printf "  %4d sessions: Pss total %7.0f (shared memory touched included), Own total %6.0f\n", n, pss / 1024, own / 1024 }'
done <"$WORK/totals"
