#!/usr/bin/env bash
# hallterm's own figures on a big demo database: time from start to the
# first full queue screen, time to open a case, time to page down 100
# pages, key latency, peak RSS.  The program measures itself (--bench FILE
# logs "<ms since start> <event>" lines from its own monotonic clock), so
# tmux and the shell add nothing to the figures; the script only drives it.
#
#   tests/bench/hallterm_bench.sh [BUILD] [SCALE]     (default build 1000000)
#
# Prints the figures as a Markdown table (doc/performance.md quotes it).
# Reuses a demo database instead of making one when BENCH_DSN is set, or
# BENCH_DB with the PG* environment (tests/bench/run.sh, `make bench`).
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SCALE=${2:-1000000}
HALLTERM=${HALLTERM:-$PWD/$BUILD/hallterm}
HALLCTL=${HALLCTL:-$PWD/$BUILD/hallctl}
LOCALEDIR=${HALLTERM_LOCALEDIR:-$PWD/$BUILD/locale}
if [ -z "${BENCH_DSN:-}" ] && [ -n "${BENCH_DB:-}" ]; then
	BENCH_DSN="host=$PGHOST port=$PGPORT dbname=$BENCH_DB"
fi
USER_LOGIN=${BENCH_USER:-clerk01}
RUNS=${BENCH_RUNS:-5}
source tests/lib/cluster.sh

work=$(mktemp -d /tmp/hallterm-bench.XXXXXX)
sock=hallterm-bench-$$
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null
	rm -rf "$work"
}

if [ -z "${BENCH_DSN:-}" ]; then
	cluster_temp "${BENCH_PORT:-55481}" >/dev/null || exit 1
	trap 'cleanup; cluster_stop "$CLUSTER_TMP"; rm -rf "$CLUSTER_TMP"' EXIT
	createdb hall_bench || exit 1
	"$HALLCTL" --dsn dbname=hall_bench migrate >/dev/null || exit 1
	t0=$(date +%s.%N)
	"$HALLCTL" --dsn dbname=hall_bench demo --scale "$SCALE" >/dev/null || exit 1
	gen=$(echo "$(date +%s.%N) - $t0" | bc)
	psql -q -d hall_bench -c 'VACUUM ANALYZE' >/dev/null
	BENCH_DSN="host=$PGHOST port=$PGPORT dbname=hall_bench"
else
	trap cleanup EXIT
	gen=
fi
SUPER=${PGUSER:-$([ "$(id -u)" = 0 ] && echo postgres || id -un)}
cases=$(psql -X -At -U "$SUPER" -d "$BENCH_DSN" -c "select count(*) from hall.applications")
queue=$(psql -X -At -U "$SUPER" -d "$BENCH_DSN" -c "select count(*) from hall.applications a join hall.staff_windows w on w.window_code = a.window_code join hall.staff s on s.id = w.staff_id where s.login = '$USER_LOGIN' and a.state in ('submitted','in_review','returned','escalated')")

# One idle session keeps the private tmux server up between the runs
# (a server exiting while the next session starts fails the start).
tmux -L "$sock" -f /dev/null new-session -d -s keep "sleep 3600"

# No password prompt: the figures are the program's, not a typist's.
printf '*:*:*:%s:demo\n' "$USER_LOGIN" >"$work/pgpass"
chmod 600 "$work/pgpass"

start() { # start hallterm with --bench $1
	tmux -L "$sock" kill-session -t b 2>/dev/null
	tmux -L "$sock" new-session -d -s b -x 80 -y 24 \
		"env -i PATH=/usr/bin:/bin HOME=$work TERM=screen-256color LANG=C.UTF-8 LANGUAGE=zh_CN \
		 TZ=Asia/Shanghai HALLTERM_LOCALEDIR=$LOCALEDIR XDG_STATE_HOME=$work/state \
		 PGPASSFILE=$work/pgpass $HALLTERM --bench $1 --dsn '$BENCH_DSN user=$USER_LOGIN'; sleep 600"
}

# Wait until the log has a line matching $2 (at most 10 s); print its ms.
wait_mark() {
	local file=$1 re=$2 i=0 line
	while [ $i -lt 1000 ]; do
		line=$(grep -E " $re( |$)" "$file" 2>/dev/null | tail -1)
		[ -n "$line" ] && { echo "${line%% *}"; return 0; }
		sleep 0.01
		i=$((i + 1))
	done
	echo "bench: timed out waiting for $re in $file" >&2
	return 1
}

count_marks() { grep -cE " $2( |$)" "$1" 2>/dev/null; }

keys() { tmux -L "$sock" send-keys -t b "$@"; }

first=() opens=() rates=() inqs=() pages=() keymax=() rss=()
for run in $(seq "$RUNS"); do
	log=$work/run$run.log
	start "$log"
	t_first=$(wait_mark "$log" first_queue) || exit 1
	first+=("$t_first")

	# Open the most urgent case: Enter -> case screen drawn.  Once the
	# start-up's background reads (counts, filter items) are done: this is
	# a key's latency, not start-up contention.
	sleep 0.5
	keys Enter
	wait_mark "$log" case_shown >/dev/null || exit 1
	k=$(wait_mark "$log" case_key)
	s=$(wait_mark "$log" case_shown)
	opens+=("$(echo "$s - $k" | bc)")
	keys Escape
	sleep 0.3

	# My ratings (3) and the inquiries (2): key to screen drawn.
	keys 3
	s=$(wait_mark "$log" ratings_shown) || exit 1
	k=$(grep ' goto_key ratings' "$log" | tail -1 | cut -d' ' -f1)
	rates+=("$(echo "$s - $k" | bc)")
	keys 2
	s=$(wait_mark "$log" inquiries_shown) || exit 1
	k=$(grep ' goto_key inquiries' "$log" | tail -1 | cut -d' ' -f1)
	inqs+=("$(echo "$s - $k" | bc)")
	keys 1
	sleep 0.5

	# 100 pages down, one key at a time: each waits for its repaint, so
	# the time includes every page fetched from the database on the way.
	n0=$(count_marks "$log" queue_drawn)
	worst=0
	total=0
	for i in $(seq 100); do
		before=$(count_marks "$log" queue_drawn)
		keys NPage
		j=0
		while [ "$(count_marks "$log" queue_drawn)" -le "$before" ] && [ $j -lt 500 ]; do
			sleep 0.002
			j=$((j + 1))
		done
		# The repaint for this key may come after a page load: take the
		# last repaint once the screen settles.
		sleep 0.01
		k=$(grep ' pgdn_key' "$log" | tail -1 | cut -d' ' -f1)
		d=$(grep ' queue_drawn' "$log" | tail -1 | cut -d' ' -f1)
		lat=$(echo "$d - $k" | bc)
		total=$(echo "$total + $lat" | bc)
		worst=$(echo "if ($lat > $worst) $lat else $worst" | bc)
	done
	pages+=("$total")
	keymax+=("$worst")
	keys F10
	for _ in $(seq 200); do grep -q ' peak_rss' "$log" && break; sleep 0.02; done
	rss+=("$(grep ' peak_rss' "$log" | awk '{print $3}')")
	: "$n0"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
fmt() { printf '%.1f' "$1"; }

echo "| figure | median of $RUNS runs | target |"
echo "| --- | --- | --- |"
[ -n "$gen" ] && echo "| demo data, $SCALE cases (\`hallctl demo\`) | $(fmt "$gen") s | < 120 s |"
echo "| cases in the database / open in $USER_LOGIN's queue | $cases / $queue | |"
echo "| start to first full queue screen (login included) | $(fmt "$(median "${first[@]}")") ms | < 50 ms |"
echo "| open a case (Enter to case screen drawn) | $(fmt "$(median "${opens[@]}")") ms | < 20 ms |"
echo "| my ratings (3 to screen drawn) | $(fmt "$(median "${rates[@]}")") ms | < 20 ms |"
echo "| inquiries (2 to list drawn) | $(fmt "$(median "${inqs[@]}")") ms | < 20 ms |"
echo "| page down 100 pages (sum of 100 PgDn-to-repaint times) | $(fmt "$(median "${pages[@]}")") ms | |"
echo "| slowest PgDn to repaint (page loads included) | $(fmt "$(median "${keymax[@]}")") ms | < 20 ms |"
echo "| peak RSS (VmHWM) | $(median "${rss[@]}") KiB | < 12288 KiB |"
