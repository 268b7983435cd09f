#!/usr/bin/env bash
# P2 queue page: the statement the terminal sends for a page of the queue,
# as it sends it, first page and page 100 (keyset), over P2_SAMPLES random
# windows, each as the window's clerk through row-level security, against a
# raw index scan returning the same rows (the superuser on
# hall.applications, a prepared statement), alternated over P2_ROUNDS rounds.
#
#   tests/bench/p2_queue.sh     (BENCH_DB and the PG* environment: tests/bench/run.sh)
#
# The statement is not copied from the C source: a real hallterm logs in as
# clerk01 in tmux with log_statement = all for that role, draws its first
# screen and pages down until it has fetched a page by its key; the text,
# whether it is a named prepared statement, and its parameters come from
# the server log.  Of the parameters, the window list ('{A01}' for
# clerk01) and the key (NULL on the first page, a date and an id after)
# are replaced for each sample; the others (limit, filters) are kept.
#
# Samples: P2_SAMPLES windows drawn at random (seeded) among the windows
# served by a clerk of that one window only; page 100 reads after the row
# 99 pages of the captured size down (or the last full page of a shorter
# queue).  tests/bench/qbench (built from qbench.c) runs them, one
# connection per clerk (named: PQprepare once, PQexecPrepared each; else
# PQexecParams each, as libpq's PQsendQueryParams), and times each round
# trip; the first P2_WARMUP of each connection are not timed.  Each
# sample's rows (count and sum of ids) must be the raw statement's.
#
# Figures: per round the p50 and p99 over the samples, then the median of
# the rounds (spread: min - max of the rounds' p99); target at 32M cases:
# p99 <= 1.5x raw and <= 1 ms.  The plans (EXPLAIN ANALYZE, BUFFERS, of the
# statement as the terminal's session would run it) go to the notes.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/bench/lib.sh
: "${BENCH_DB:?BENCH_DB: the demo database (tests/bench/run.sh sets it)}"
HALLTERM=${HALLTERM:-$PWD/build/hallterm}
LOCALEDIR=${HALLTERM_LOCALEDIR:-$PWD/build/locale}
SAMPLES=${P2_SAMPLES:-1000}
ROUNDS=${P2_ROUNDS:-$BENCH_ROUNDS}
WARMUP=${P2_WARMUP:-5}
QBENCH=${QBENCH:-$PWD/build/tests/qbench}
SERVER_LOG=${BENCH_SERVER_LOG:-$(dirname "$PGHOST")/server.log}
WORK=$(mktemp -d /tmp/hallterm-p2.XXXXXX)
SOCK=hallterm-p2-$$
eval "set -- $(trap -p EXIT)"
PREV_TRAP=${3:-}
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$WORK"; eval "$PREV_TRAP"' EXIT
q() { bench_psql "$@"; }

if [ ! -x "$QBENCH" ] || [ tests/bench/qbench.c -nt "$QBENCH" ]; then
	mkdir -p "$(dirname "$QBENCH")"
	cc -std=c11 -O2 -Wall -Wextra -Werror -I"$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)" \
		-o "$QBENCH" tests/bench/qbench.c -lpq
fi

# ---------------------------------------------------------------- capture
printf '*:*:*:clerk01:demo\n' >"$WORK/pgpass"
chmod 600 "$WORK/pgpass"
q -c "ALTER ROLE clerk01 SET log_statement = 'all'" >/dev/null
log_from=$(stat -c %s "$SERVER_LOG")
tmux -L "$SOCK" -f /dev/null new-session -d -s keep "sleep 3600"
tmux -L "$SOCK" new-session -d -s t -x 80 -y 24 \
	"env -i PATH=/usr/bin:/bin HOME=$WORK TERM=screen-256color LANG=C.UTF-8 LANGUAGE=zh_CN TZ=Asia/Shanghai \
	 HALLTERM_LOCALEDIR=$LOCALEDIR XDG_STATE_HOME=$WORK/state PGPASSFILE=$WORK/pgpass \
	 $HALLTERM --bench $WORK/marks --dsn 'host=$PGHOST port=$PGPORT dbname=$BENCH_DB user=clerk01'; sleep 600"
wait_mark() { # wait_mark RE [N]: until the marks log has N lines matching RE (10 s)
	for _ in $(seq 1000); do
		n=$(grep -cE " $1( |$)" "$WORK/marks" 2>/dev/null || true)
		[ "${n:-0}" -ge "${2:-1}" ] && return 0
		sleep 0.01
	done
	echo "p2: hallterm never logged $1 (see $WORK/marks)" >&2
	return 1
}
wait_mark first_queue
sleep 1
loads=$(grep -cE ' page_loaded( |$)' "$WORK/marks" || true); loads=${loads:-0}
for _ in 1 2 3 4; do tmux -L "$SOCK" send-keys -t t NPage; sleep 0.3; done
wait_mark page_loaded $((loads + 1)) || true
sleep 0.5
tmux -L "$SOCK" send-keys -t t F10
sleep 0.5
q -c "ALTER ROLE clerk01 RESET log_statement" >/dev/null
tail -c +"$((log_from + 1))" "$SERVER_LOG" >"$WORK/server.log"

python3 tests/bench/p2_capture.py capture "$WORK/server.log" "$WORK"
cap() { python3 -c "import json; v = json.load(open('$WORK/capture.json'))['$1']; print('' if v is None else v)"; }
first_name=$(cap first_name)
keyed_name=$(cap keyed_name)
page_rows=$(cap page_rows)

# ---------------------------------------------------------------- samples
# Windows with a clerk of theirs alone; P2_SAMPLES draws; the key 99 pages down.
q -F $'\t' -c "
	WITH w AS (SELECT sw.window_code, min(s.login) AS login
	           FROM hall.staff s JOIN hall.staff_windows sw ON sw.staff_id = s.id
	           WHERE s.kind = 'clerk' AND s.active
	             AND (SELECT count(*) FROM hall.staff_windows x WHERE x.staff_id = s.id) = 1
	           GROUP BY sw.window_code),
	     d AS (SELECT g, (SELECT window_code FROM w ORDER BY window_code
	                      OFFSET abs(hashint4(g + 20261123)) % (SELECT count(*) FROM w) LIMIT 1) AS window_code
	           FROM generate_series(1, $SAMPLES) g)
	SELECT d.g, d.window_code, w.login, k.queue_rank, k.sort_due, k.id
	FROM d JOIN w USING (window_code)
	CROSS JOIN LATERAL (
		SELECT a.queue_rank, a.sort_due, a.id FROM hall.applications a
		WHERE a.window_code = d.window_code AND a.state IN ('submitted', 'in_review', 'returned', 'escalated')
		ORDER BY a.queue_rank, a.sort_due, a.id
		OFFSET greatest(0, least(99 * $page_rows, (SELECT count(*) FROM hall.applications x
		                                           WHERE x.window_code = d.window_code
		                                             AND x.state IN ('submitted', 'in_review', 'returned', 'escalated'))
		                                          - $page_rows) - 1)
		LIMIT 1) k
	ORDER BY d.g" >"$WORK/samples.tsv"
[ "$(wc -l <"$WORK/samples.tsv")" = "$SAMPLES" ] || { echo "p2: $(wc -l <"$WORK/samples.tsv") samples of $SAMPLES" >&2; exit 1; }

# The parameter files: per login and page for the terminal's statements,
# per page for raw.
python3 tests/bench/p2_capture.py params "$WORK" "$page_rows"
cat >"$WORK/raw1.sql" <<'SQL'
SELECT a.* FROM hall.applications a
 WHERE a.window_code = $1 AND a.state IN ('submitted', 'in_review', 'returned', 'escalated')
 ORDER BY a.queue_rank, a.sort_due, a.id LIMIT $2
SQL
cat >"$WORK/raw100.sql" <<'SQL'
SELECT a.* FROM hall.applications a
 WHERE a.window_code = $1 AND a.state IN ('submitted', 'in_review', 'returned', 'escalated')
   AND (a.queue_rank, a.sort_due, a.id) > ($2::smallint, $3::date, $4::bigint)
 ORDER BY a.queue_rank, a.sort_due, a.id LIMIT $5
SQL

conn() { echo "host=$PGHOST port=$PGPORT dbname=$BENCH_DB user=$1"; }
terminal_round() { # ROUND
	for f in "$WORK"/p1.*.tsv; do
		login=${f#"$WORK"/p1.}; login=${login%.tsv}
		PGPASSWORD=demo QBENCH_WARMUP=$WARMUP "$QBENCH" "$(conn "$login")" "$WORK/first.sql" "$first_name" <"$f" >>"$WORK/t.$1"
		PGPASSWORD=demo QBENCH_WARMUP=$WARMUP "$QBENCH" "$(conn "$login")" "$WORK/keyed.sql" "$keyed_name" \
			<"$WORK/p100.$login.tsv" >>"$WORK/t.$1"
	done
}
raw_round() { # ROUND
	QBENCH_WARMUP=$WARMUP "$QBENCH" "$(conn "$(bench_super)")" "$WORK/raw1.sql" raw1 <"$WORK/raw1.tsv" >>"$WORK/r.$1"
	QBENCH_WARMUP=$WARMUP "$QBENCH" "$(conn "$(bench_super)")" "$WORK/raw100.sql" raw100 <"$WORK/raw100.tsv" >>"$WORK/r.$1"
}
# Whichever side goes second reads the same rows' pages just after the
# other: the order turns each round, so that neither always finds them warm.
for ((r = 1; r <= ROUNDS; r++)); do
	if ((r % 2)); then terminal_round "$r"; raw_round "$r"; else raw_round "$r"; terminal_round "$r"; fi
done

# Same rows: for each sample and page, count and sum of ids, terminal
# against raw (both read the page and one more row).
mism=$(python3 tests/bench/p2_capture.py same "$WORK")

bench_note "P2: the terminal's statements, from the server log: first page $( [ -n "$first_name" ] && echo "(prepared as $first_name)" || echo "(unnamed)"), keyset page $( [ -n "$keyed_name" ] && echo "(prepared as $keyed_name)" || echo "(unnamed)"):"
bench_note '```sql'
bench_note "$(cat "$WORK/first.sql")"
bench_note ""
bench_note "$(cat "$WORK/keyed.sql")"
bench_note '```'
for page in 1 100; do
	for what in t r; do
		for ((r = 1; r <= ROUNDS; r++)); do
			grep -E "^$page:" "$WORK/$what.$r" | cut -f2 | awk '{print $1 / 1000}' >"$WORK/x"
			echo "$(stat_pct 50 <"$WORK/x") $(stat_pct 99 <"$WORK/x")"
		done >"$WORK/s.$what.$page"
	done
	p50=$(cut -d' ' -f1 "$WORK/s.t.$page" | stat_median); p99=$(cut -d' ' -f2 "$WORK/s.t.$page" | stat_median)
	r50=$(cut -d' ' -f1 "$WORK/s.r.$page" | stat_median); r99=$(cut -d' ' -f2 "$WORK/s.r.$page" | stat_median)
	verdict=$(awk -v a="$p99" -v b="$r99" 'BEGIN { print (a <= 1.5 * b && a <= 1.0) ? "ok" : "MISS" }')
	label=$([ "$page" = 1 ] && echo "first page" || echo "page 100 (keyset)")
	bench_result P2 "queue $label, p99 ms ($SAMPLES windows as their clerk)" "$(fmt_num "$p99")" "$(fmt_num "$r99")" ms \
		"p99 ≤ 1.5× raw and ≤ 1 ms (at 32M)" "$verdict" \
		"p50 $(fmt_num "$p50") vs raw $(fmt_num "$r50"); p99 of the rounds $(cut -d' ' -f2 "$WORK/s.t.$page" | stat_spread)"
	echo "  $label: p50 $p50 ms, p99 $p99 ms; raw p50 $r50 ms, p99 $r99 ms (medians of $ROUNDS rounds of $SAMPLES)"
done
bench_result P2 "samples whose rows differ from the raw scan's" "$mism" "-" "" "0" "$([ "$mism" = 0 ] && echo ok || echo MISS)"

# The plans, as clerk01's session runs the statements (A01, both pages): a
# named statement after a few executions (the plan cache may have gone
# generic), an unnamed one planned for its parameters each time.  The
# terminal's statement calls hall.queue_page, so the plans are
# auto_explain's of every statement, the function's query included, sent
# back as notices: the superuser loads it, then becomes clerk01 (SET
# SESSION AUTHORIZATION: session_user too, so row-level security is
# clerk01's).
{
	echo "LOAD 'auto_explain';"
	echo "SET auto_explain.log_analyze = on; SET auto_explain.log_buffers = on; SET auto_explain.log_timing = on;"
	echo "SET auto_explain.log_nested_statements = on; SET auto_explain.log_level = notice; SET client_min_messages = notice;"
	echo "SET SESSION AUTHORIZATION clerk01;"
	for k in first keyed; do
		nm=$([ "$k" = first ] && echo "$first_name" || echo "$keyed_name")
		lit=$(python3 tests/bench/p2_capture.py literals "$WORK" "$k")
		echo "RESET SESSION AUTHORIZATION; SET auto_explain.log_min_duration = -1; SET SESSION AUTHORIZATION clerk01;"
		echo "SET plan_cache_mode = $([ -n "$nm" ] && echo auto || echo force_custom_plan);"
		echo "PREPARE p_$k ($(python3 tests/bench/p2_capture.py types "$WORK" "$k")) AS $(cat "$WORK/$k.sql");"
		for _ in 1 2 3 4 5 6; do echo "EXECUTE p_$k($lit);"; done
		echo "RESET SESSION AUTHORIZATION; SET auto_explain.log_min_duration = 0; SET SESSION AUTHORIZATION clerk01;"
		echo "EXECUTE p_$k($lit);"
	done
} | psql -X -q -A -t -U "$(bench_super)" -d "$BENCH_DB" 2>&1 | grep -vE '^[0-9]+\|' >"$WORK/notices.txt" || true
# Keep the plans of the page's statements (the helpers' lookups, hall.now()
# and the like, are left out): one block per notice.
python3 - "$WORK/notices.txt" >"$WORK/plans.txt" <<'PY'
import re, sys
blocks = re.split(r'^(?:psql:\S+ )?NOTICE:\s+', open(sys.argv[1]).read(), flags=re.M)
for b in blocks:
    text = b[:600]
    # (the page's own query reads hall.queue_rows, inlined: its plan is the one that matters)
    if 'Query Text' in text and any(k in text for k in ('queue_page', 'queue_rows', 'v_queue', 'p_windows')):
        # the query's text, cut to its first line: the plan is what matters
        b = re.sub(r'^(Query Text: .{0,100}).*?(?=^\S*(Sort|Limit|Nested|Result|Function|Index|Subquery|Append))',
                   r'\1 ...\n', b.strip(), count=1, flags=re.M | re.S)
        print(b)
PY
bench_note "P2: plans as clerk01 (first page, then the keyset page), auto_explain (ANALYZE, BUFFERS) of each statement and of hall.queue_page's query:"
bench_note '```'
bench_note "$(grep -E '^ *(->|[A-Z])' "$WORK/plans.txt" | head -160)"
bench_note '```'
[ "$mism" = 0 ]
