#!/usr/bin/env bash
# The supervisor's figures on a big demo database: every function the
# supervisor's screens and reports call (015 timeliness, 016 drill-down and
# ratings, 017 cards, 018 scorecard and platform, 020 front desk), as
# super01 (SCJG: through row-level security, with their own role) for one
# month that has ended (BENCH_MONTH, default 2026-10) and for the current
# month of the database's clock, then the same as trainer01 (the whole
# hall, printed only).  First the red and yellow cards: one run that
# catches up with the clock (pg_cron does not run in this database), so
# that the figures count cards, then runs with nothing to change.
#
#   tests/bench/supervisor_bench.sh     (BENCH_DB and the PG* environment: tests/bench/run.sh)
#
# Each figure is the median of BENCH_RUNS (default 5) calls in one session
# after one that warms it (psql \timing: the client's round trip is in);
# the first call of a fresh session (the login excluded) is printed too.
# Each is also given as a ratio to a raw figure measured the same way in
# the same run, the count of the department's cases completed in the month
# as super01 (SELECT count(*) FROM hall.applications WHERE department_code =
# 'SCJG' AND state = 'completed' AND closed_at in the month), so that a
# busier machine shows in the raw figure too.  Exits 1 when a super01
# figure (the CSV exports aside) is over BENCH_LIMIT_MS (default 200).  The
# demo is tests/bench/run.sh's:
#   hallctl demo --scale 1000000 --at '2026-11-23 10:00+08'
set -u
cd "$(dirname "$0")/../.."
DB=${BENCH_DB:?BENCH_DB: the demo database (tests/bench/run.sh sets it)}
RUNS=${BENCH_RUNS:-5}
LIMIT=${BENCH_LIMIT_MS:-200}
MONTH=${BENCH_MONTH:-2026-10}
SUPER=${PGUSER:-$([ "$(id -u)" = 0 ] && echo postgres || id -un)}

adm() { psql -X -Atq -U "$SUPER" -d "$DB" -v ON_ERROR_STOP=1 -c "$1"; }
this=$(adm "SELECT to_char(hall.today(), 'YYYY-MM')") || exit 1
first_day() { echo "$1-01"; }
last_day() { adm "SELECT (date '$1-01' + interval '1 month' - interval '1 day')::date"; }

# median LOGIN SQL: the median of RUNS timed calls after one untimed, in
# one session; "ERROR ..." when the call fails.
median() {
	local login=$1 sql=$2 out
	out=$({ echo '\timing on'; for _ in $(seq 0 "$RUNS"); do echo "$sql;"; done; } |
		PGPASSWORD=demo psql -X -q -U "$login" -d "$DB" 2>&1 | grep -E '^(Time:|ERROR)')
	if grep -q ERROR <<<"$out"; then
		echo "ERROR $(grep ERROR <<<"$out" | head -1)"
		return
	fi
	grep '^Time:' <<<"$out" | tail -n "$RUNS" | awk '{print $2}' | sort -n |
		awk '{a[NR] = $1} END {printf "%.1f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

# first LOGIN SQL: the time of the first call in a fresh session (login not
# included).
first() {
	{ echo '\timing on'; echo "$2;"; } | PGPASSWORD=demo psql -X -q -U "$1" -d "$DB" 2>&1 |
		awk '/^Time:/ {print $2; exit}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a ~ /^[0-9.]+$/) printf "%.1f", a / b; else print "-" }'; }

failures=""
declare -a figures=(
	"timeliness_clerks|SELECT count(*) FROM hall.timeliness_clerks(%F, %L)"
	"timeliness_windows|SELECT count(*) FROM hall.timeliness_windows(%F, %L)"
	"timeliness_department|SELECT count(*) FROM hall.timeliness_department(%F, %L)"
	"timeliness_daily|SELECT count(*) FROM hall.timeliness_daily(%F, %L)"
	"timeliness_items (all)|SELECT count(*) FROM hall.timeliness_items(%F, %L, NULL, NULL)"
	"timeliness_items (clerk01)|SELECT count(*) FROM hall.timeliness_items(%F, %L, 1, NULL)"
	"timeliness_items (A01)|SELECT count(*) FROM hall.timeliness_items(%F, %L, NULL, 'A01')"
	"department_ratings|SELECT count(*) FROM hall.department_ratings(%F, %L)"
	"card_counts|SELECT count(*) FROM hall.card_counts(%F, %L)"
	"scorecard_windows|SELECT count(*) FROM hall.scorecard_windows(%F)"
	"scorecard_clerks|SELECT count(*) FROM hall.scorecard_clerks(%F)"
	"platform_figures|SELECT count(*) FROM hall.platform_figures(%F)"
	"front_desk_counts|SELECT count(*) FROM hall.front_desk_counts(%F)"
	# the CSV exports (hallctl report, the terminal's export): each is
	# several of the figures above at once; printed, not held to the limit
	"report_timeliness (CSV export)|SELECT count(*) FROM hall.report_timeliness(%F)"
	"report_scorecard (CSV export)|SELECT count(*) FROM hall.report_scorecard(%F)"
)

# bench LOGIN ENFORCE: one table for the two months.
bench() {
	local login=$1 enforce=$2 m f l raw1 raw2 t1 t2 name tmpl sql1 sql2 fst
	local f1 l1 f2 l2
	f1=$(first_day "$MONTH"); l1=$(last_day "$MONTH")
	f2=$(first_day "$this"); l2=$(last_day "$this")
	raw1=$(median super01 "SELECT count(*) FROM hall.applications WHERE department_code = 'SCJG' AND state = 'completed' AND closed_at >= hall.end_of_day(date '$f1' - 1) AND closed_at < hall.end_of_day(date '$l1')")
	raw2=$(median super01 "SELECT count(*) FROM hall.applications WHERE department_code = 'SCJG' AND state = 'completed' AND closed_at >= hall.end_of_day(date '$f2' - 1) AND closed_at < hall.end_of_day(date '$l2')")
	echo
	echo "as $login, median of $RUNS (ms); x raw: the ratio to the raw count as super01 (${raw1} ms for $MONTH, ${raw2} ms for $this)"
	echo
	echo "| figure | $MONTH | x raw | $this | x raw | first call of a session ($MONTH) |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: |"
	for fig in "${figures[@]}"; do
		name=${fig%%|*}; tmpl=${fig#*|}
		sql1=${tmpl//%F/\'$f1\'}; sql1=${sql1//%L/\'$l1\'}
		sql2=${tmpl//%F/\'$f2\'}; sql2=${sql2//%L/\'$l2\'}
		t1=$(median "$login" "$sql1")
		t2=$(median "$login" "$sql2")
		fst=$(first "$login" "$sql1")
		echo "| $name | $t1 | $(ratio "$t1" "$raw1") | $t2 | $(ratio "$t2" "$raw2") | $fst |"
		if [ "$enforce" = 1 ] && [[ $name != *export* ]]; then
			for t in "$t1" "$t2"; do
				if ! awk -v t="$t" -v l="$LIMIT" 'BEGIN { exit !(t ~ /^[0-9.]+$/ && t + 0 <= l) }'; then
					failures="$failures
  $name as $login: $t ms"
				fi
			done
		fi
	done
}

# The red and yellow cards, every minute (pg_cron is not running in this
# database): a first run catches up with the clock, as the job would have,
# so that the figures count the cards; then runs with nothing to change.
adm "SELECT 'cards, catch-up run: ' || row_to_json(r) FROM hall.issue_cards_run() r" 2>&1
t=$(median "$SUPER" "SELECT * FROM hall.issue_cards_run()")
echo "issue_cards_run() with nothing changed: $t ms (median of $RUNS; $(adm "SELECT row_to_json(r) FROM hall.issue_cards_run() r"))"

cases=$(adm "SELECT count(*) FROM hall.applications")
echo "demo: $cases cases, today $(adm "SELECT hall.today()") (database clock); limit ${LIMIT} ms a department-month figure"
bench super01 1
bench trainer01 0

if [ -n "$failures" ]; then
	echo "supervisor_bench: over ${LIMIT} ms for one department and one month:$failures" >&2
	exit 1
fi
