# tests/bench/lib.sh - shared by the figure scripts of tests/bench (sourced).
#
# Every figure script of `make bench` (p1_transitions.sh ... p6_notify.sh)
# measures the hallterm path and a raw baseline in the same run, on the same
# cluster, alternating them over BENCH_ROUNDS rounds, and reports each
# figure with bench_result: one line in $BENCH_RESULTS (tab-separated),
# which tests/bench/run.sh prints as the table and writes into
# doc/performance.md.  Alone (no BENCH_RESULTS) the lines go to stdout.

BENCH_ROUNDS=${BENCH_ROUNDS:-5}
BENCH_RESULTS=${BENCH_RESULTS:-/dev/stdout}
BENCH_NOTES=${BENCH_NOTES:-/dev/null}

# bench_result ID FIGURE VALUE RAW UNIT TARGET VERDICT [SPREAD]
#   ID       P1 ... P6
#   FIGURE   what was measured (a few words)
#   VALUE    the hallterm path's median ("-" when not measured; fmt_num'd)
#   RAW      the raw baseline's median, or "-"; the ratio VALUE / RAW is
#            computed here
#   UNIT     ms, /s, s, KiB ...
#   TARGET   the issue's target, in words ("≥ 0.6× raw", "< 200 ms")
#   VERDICT  ok | MISS | -
#   SPREAD   min–max of the rounds, or the p50 beside a p99, free text
bench_result() {
	local ratio="-" a=${3//,/} b=${4//,/}
	if [[ $a =~ ^[0-9.]+$ && $b =~ ^[0-9.]+$ ]]; then
		ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$ratio" "$5" "$6" "$7" "${8:-}" >>"$BENCH_RESULTS"
}

# bench_note TEXT...: a line for the figures' notes (plans, what was run).
bench_note() {
	printf '%s\n' "$*" >>"$BENCH_NOTES"
}

# Statistics over numbers on stdin, one per line.
stat_median() { sort -g | awk '{a[NR] = $1} END { if (NR == 0) print "-"; else if (NR % 2) printf "%.3f\n", a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
stat_min() { sort -g | head -1; }
stat_max() { sort -g | tail -1; }
# stat_pct P: the P-th percentile (nearest rank).
stat_pct() { sort -g | awk -v p="$1" '{a[NR] = $1} END { if (NR == 0) { print "-"; exit } k = int(p / 100 * NR + 0.999999); if (k < 1) k = 1; if (k > NR) k = NR; printf "%.3f\n", a[k] }'; }
# stat_spread: "min – max" of the numbers, rounded as fmt_num does.
stat_spread() { local v; v=$(cat); printf '%s – %s' "$(fmt_num "$(stat_min <<<"$v")")" "$(fmt_num "$(stat_max <<<"$v")")"; }

# fmt_num X: 3 significant figures at most, thousands separated.
fmt_num() {
	awk -v x="$1" 'BEGIN {
		if (x !~ /^-?[0-9.]+$/) { print x; exit }
		d = (x >= 100 || x <= -100) ? 0 : (x >= 10 || x <= -10) ? 1 : (x >= 1 || x <= -1) ? 2 : 3
		s = sprintf("%.*f", d, x); i = index(s, "."); ip = i ? substr(s, 1, i - 1) : s; fp = i ? substr(s, i) : ""
		neg = ip ~ /^-/; if (neg) ip = substr(ip, 2)
		out = ""; while (length(ip) > 3) { out = "," substr(ip, length(ip) - 2) out; ip = substr(ip, 1, length(ip) - 3) }
		printf "%s%s%s%s\n", neg ? "-" : "", ip, out, fp }'
}

# The superuser of the cluster (tests/lib/cluster.sh's PGUSER).
bench_super() { echo "${PGUSER:-$([ "$(id -u)" = 0 ] && echo postgres || id -un)}"; }

# bench_psql SQL...: as the superuser, in BENCH_DB, unaligned, quiet.
bench_psql() { psql -X -Atq -v ON_ERROR_STOP=1 -U "$(bench_super)" -d "$BENCH_DB" "$@"; }

# bench_restart DIR OPTION...: restart the cluster of DIR (tests/lib/cluster.sh)
# with the options it runs with and these after them (`-c fsync=on` ...;
# the later one wins), e.g. durable commits for the measurements after a
# load with fsync off.
bench_restart() {
	local dir=$1 opts
	shift
	opts=$(python3 - "$dir/data/postmaster.opts" "$@" <<'PY'
import shlex, sys
args = shlex.split(open(sys.argv[1]).read())[1:]
out, i = [], 0
while i < len(args):
    if args[i] == '-D':
        i += 2
        continue
    out.append(args[i])
    i += 1
print(shlex.join(out + sys.argv[2:]))
PY
)
	cluster_as_owner "$(cluster_pgbin)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 300 -m fast restart -o "$opts" >/dev/null
}
