#!/usr/bin/env bash
# P1 transitions: claim-then-approve cycles per second through
# hall.claim_next + hall.approve, each session logged in as its own clerk
# (SCRAM, password "demo", as the terminal logs in: staff are session_user,
# schema/004), at 1, 8 and 32 sessions, against a bare-table cycle on a copy
# of the same rows, alternated over P1_ROUNDS rounds of P1_SECONDS each.
#
#   tests/bench/p1_transitions.sh     (BENCH_DB and the PG* environment: tests/bench/run.sh)
#
# The hallterm path is the terminal's: when the schema has
# hall.flush_notify() (deferred NOTIFY) and the terminal asks for it
# (src/db sets hall.notify), every session starts with
# `-c hall.notify=deferred` and a cycle is four statements, each its own
# transaction: claim; flush; approve; flush.  Otherwise (the schema or the
# terminal before that change) two: claim; approve, each notifying at its
# commit.  When the schema has it, the other path is measured too and
# printed beside it.
#
# The bare cycle, as the superuser on bench_raw.p1_apps (a copy of the open
# cases: the same rows, the same partial index on (window_code, queue_rank,
# sort_due, id) WHERE state = 'submitted') and bench_raw.p1_audit:
#   UPDATE ... SET state = 'in_review', claimed_by = ... WHERE id =
#     (SELECT id ... ORDER BY queue_rank, sort_due, id LIMIT 1 FOR UPDATE SKIP LOCKED)
#   BEGIN; UPDATE ... SET state = 'completed' ...; INSERT INTO p1_audit ...; COMMIT;
# two commits a cycle, as the hallterm path has two durable ones.
#
# Where the factor goes, at P1_STEPS_AT sessions (default 8, the target's),
# in the same alternated rounds: two cycles between the bare one and the
# hall's, as the superuser in plain SQL, neither with a function, a check
# of state or right, a fact or a NOTIFY:
#   indexed  the bare cycle on bench_raw.p1_full, a copy of the open cases
#            in a table made LIKE hall.applications INCLUDING ALL (its
#            twelve indexes, its checks and defaults): what the case
#            table's shape costs;
#   rows     that table and the rows the hall's rules write for a cycle:
#            the claim's audit row with the claim (one statement), then the
#            approval, its audit row and the applicant's message, in
#            tables LIKE hall.audit and hall.outbox INCLUDING ALL.
# Their ratios say how much of the gap to the bare cycle is the data the
# rules keep rather than the code that keeps it (doc/performance.md, P1).
#
# Each session is one `pgbench -c 1 -M extended` process (the terminal
# sends unnamed parameterised statements), all started together; the
# figure is the sum of their rates.  Session i is clerk i (clerk21 ...
# clerk32 are added, password demo, on the windows in turn) on their first
# window, so 8 sessions work 8 windows and 32 share the 12.  Before each
# run every window is topped up to P1_SUPPLY claimable cases (clones of
# one of its own, new case numbers), in both tables; the bare table to
# P1_BARE_SUPPLY (4× as many: on a quiet host one bare session passes
# 1,200 cycles a second, and a window that runs dry aborts pgbench with
# "expected one row, got 0").  After the runs: no
# case approved twice, none claimed by two clerks, in both tables; a
# pgbench error fails the figure.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/bench/lib.sh
: "${BENCH_DB:?BENCH_DB: the demo database (tests/bench/run.sh sets it)}"
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
SECS=${P1_SECONDS:-5}
ROUNDS=${P1_ROUNDS:-$BENCH_ROUNDS}
SESSIONS=${P1_SESSIONS:-1 8 32}
STEPS_AT=${P1_STEPS_AT:-8}
SUPPLY=${P1_SUPPLY:-6000}
BARE_SUPPLY=${P1_BARE_SUPPLY:-$((SUPPLY * 4))}
PGBENCH=$(cluster_pgbin)/pgbench
WORK=$(mktemp -d /tmp/hallterm-p1.XXXXXX)
eval "set -- $(trap -p EXIT)"
PREV_TRAP=${3:-}
trap 'rm -rf "$WORK"; eval "$PREV_TRAP"' EXIT
q() { bench_psql "$@"; }

maxs=0
for n in $SESSIONS; do [ "$n" -gt "$maxs" ] && maxs=$n; done

# Clerks 21 ... maxs: the windows in turn, their department's.
for ((i = 21; i <= maxs; i++)); do
	login=$(printf 'clerk%02d' "$i")
	[ "$(q -c "SELECT count(*) FROM hall.staff WHERE login = '$login'")" = 1 ] && continue
	read -r win dept < <(q -F ' ' -c "SELECT code, department_code FROM hall.windows ORDER BY code
	                                  OFFSET ($i - 21) % (SELECT count(*) FROM hall.windows) LIMIT 1")
	# hallctl wants a real password; the bench's clerks log in with "demo"
	# as the demo's do (set by the superuser, SCRAM like theirs)
	"$HALLCTL" --dsn "dbname=$BENCH_DB" staff add "$login" "压测$i" clerk "$dept" "$win" >/dev/null
	q -c "ALTER ROLE $login PASSWORD 'demo'" >/dev/null
done
mapfile -t CLERKS < <(q -F ' ' -c "SELECT s.login, min(w.window_code), s.id FROM hall.staff s
                                  JOIN hall.staff_windows w ON w.staff_id = s.id
                                  WHERE s.login ~ '^clerk[0-9]+$' AND s.active GROUP BY s.login, s.id ORDER BY s.login")
[ "${#CLERKS[@]}" -ge "$maxs" ] || { echo "p1: only ${#CLERKS[@]} clerks" >&2; exit 1; }

# The bare copy: the open cases, their queue index, an audit table.
q <<'SQL'
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS bench_raw;
DROP TABLE IF EXISTS bench_raw.p1_apps, bench_raw.p1_audit;
CREATE TABLE bench_raw.p1_apps AS
	SELECT * FROM hall.applications WHERE state IN ('submitted', 'in_review', 'returned', 'escalated');
ALTER TABLE bench_raw.p1_apps ADD PRIMARY KEY (id);
CREATE INDEX ON bench_raw.p1_apps (window_code, queue_rank, sort_due, id) WHERE state = 'submitted';
CREATE TABLE bench_raw.p1_audit (LIKE hall.audit INCLUDING DEFAULTS INCLUDING IDENTITY);
ALTER TABLE bench_raw.p1_audit ADD PRIMARY KEY (id);
CREATE INDEX ON bench_raw.p1_audit (app_id);
ANALYZE bench_raw.p1_apps;
-- the steps (see above): the case table's shape, then the rows the rules
-- write; the case ids are the copy's and supply's, not generated
DROP TABLE IF EXISTS bench_raw.p1_full, bench_raw.p1_full_audit, bench_raw.p1_full_outbox, bench_raw.p1_audit_indexed;
CREATE TABLE bench_raw.p1_full (LIKE hall.applications INCLUDING ALL EXCLUDING IDENTITY);
INSERT INTO bench_raw.p1_full SELECT * FROM hall.applications
WHERE state IN ('submitted', 'in_review', 'returned', 'escalated');
CREATE TABLE bench_raw.p1_audit_indexed (LIKE bench_raw.p1_audit INCLUDING ALL);
CREATE TABLE bench_raw.p1_full_audit (LIKE hall.audit INCLUDING ALL);
CREATE TABLE bench_raw.p1_full_outbox (LIKE hall.outbox INCLUDING ALL);
ANALYZE bench_raw.p1_full;
SQL

# supply TABLE N: every window that has a clerk gets up to N claimable
# cases, clones of its most urgent claimable one (not green channel).
supply() {
	local tab=$1 n=$2 id_col id_val over=""
	if [ "$tab" = hall.applications ]; then
		id_col="" id_val="" over=""
	else
		id_col="id," id_val="(SELECT max(id) FROM $tab) + row_number() OVER ()," over=""
	fi
	q -c "
	INSERT INTO $tab ($id_col case_no, item_id, applicant_id, department_code, window_code, channel, state,
		received_at, received_on, accept_due, promised_days, sort_due, updated_at, queue_rank)
	SELECT $id_val 'P1-' || t.window_code || '-' || t.tag || '-' || g, t.item_id, t.applicant_id, t.department_code,
	       t.window_code, t.channel, 'submitted', t.received_at, t.received_on, t.accept_due, t.promised_days,
	       t.sort_due, t.updated_at, 1
	FROM (SELECT DISTINCT ON (a.window_code) a.*, $n - c.n AS need,
	             to_char(clock_timestamp(), 'HH24MISSUS') AS tag
	      FROM $tab a
	      JOIN (SELECT w.code, (SELECT count(*) FROM $tab x WHERE x.window_code = w.code AND x.state = 'submitted'
	                                                          AND x.claimed_by IS NULL) AS n
	            FROM hall.windows w) c ON c.code = a.window_code
	      WHERE a.state = 'submitted' AND a.claimed_by IS NULL AND a.queue_rank = 1 AND c.n < $n
	        AND EXISTS (SELECT 1 FROM hall.window_items wi WHERE wi.window_code = a.window_code AND wi.item_id = a.item_id)
	      ORDER BY a.window_code, a.sort_due, a.id) t
	CROSS JOIN LATERAL generate_series(1, t.need) g" >/dev/null
}

cat >"$WORK/immediate.sql" <<'EOF'
SELECT hall.claim_next(:w::text) AS id \gset
SELECT hall.approve(:id::bigint, ''::text);
EOF
cat >"$WORK/deferred.sql" <<'EOF'
SELECT hall.claim_next(:w::text) AS id \gset
SELECT hall.flush_notify();
SELECT hall.approve(:id::bigint, ''::text);
SELECT hall.flush_notify();
EOF
cat >"$WORK/bare.sql" <<'EOF'
UPDATE bench_raw.p1_apps SET state = 'in_review', claimed_by = :me, claimed_at = now(), updated_at = now()
 WHERE id = (SELECT id FROM bench_raw.p1_apps WHERE window_code = :w AND state = 'submitted' AND claimed_by IS NULL
             ORDER BY queue_rank, sort_due, id LIMIT 1 FOR UPDATE SKIP LOCKED)
 RETURNING id \gset
BEGIN;
UPDATE bench_raw.p1_apps SET state = 'completed', closed_at = now(), closed_by = :me, updated_at = now()
 WHERE id = :id AND state = 'in_review' AND claimed_by = :me;
INSERT INTO bench_raw.p1_audit (at, actor, staff_id, action, app_id, from_state, to_state, note)
VALUES (now(), session_user, :me, 'approve', :id, 'in_review', 'completed', '');
COMMIT;
EOF

sed 's/bench_raw\.p1_apps/bench_raw.p1_full/g; s/bench_raw\.p1_audit/bench_raw.p1_audit_indexed/g' "$WORK/bare.sql" >"$WORK/indexed.sql"
cat >"$WORK/rows.sql" <<'EOF'
BEGIN;
WITH c AS (
	UPDATE bench_raw.p1_full SET state = 'in_review', claimed_by = :me, claimed_at = now(), updated_at = now()
	 WHERE id = (SELECT id FROM bench_raw.p1_full WHERE window_code = :w AND state = 'submitted' AND claimed_by IS NULL
	             ORDER BY queue_rank, sort_due, id LIMIT 1 FOR UPDATE SKIP LOCKED)
	 RETURNING id)
INSERT INTO bench_raw.p1_full_audit (at, actor, staff_id, action, app_id, from_state, to_state, note)
SELECT now(), session_user, :me, 'claim', id, 'submitted', 'in_review', '' FROM c
RETURNING app_id AS id \gset
COMMIT;
BEGIN;
UPDATE bench_raw.p1_full SET state = 'completed', closed_at = now(), closed_by = :me, updated_at = now(),
       sort_due = 'infinity'
 WHERE id = :id AND state = 'in_review' AND claimed_by = :me;
INSERT INTO bench_raw.p1_full_audit (at, actor, staff_id, action, app_id, from_state, to_state, note)
VALUES (now(), session_user, :me, 'approve', :id, 'in_review', 'completed', '');
INSERT INTO bench_raw.p1_full_outbox (created_at, event, recipient, app_id, payload, not_before)
VALUES (now(), 'approved', 'applicant', :id,
        jsonb_build_object('event', 'approved', 'case_no', :id::text, 'item', '食品经营许可', 'name', '张三',
                           'phone', '13800000000', 'text', '您申请的「食品经营许可」（办件号 ' || :id::text || '）已办结，准予许可。'),
        now());
COMMIT;
EOF

# run PATH N: N pgbench processes together; prints the summed cycles/s.
run() {
	local path=$1 n=$2 i login win id pids=() rate
	rm -f "$WORK"/out.*
	for ((i = 0; i < n; i++)); do
		read -r login win id <<<"${CLERKS[$i]}"
		case $path in
		bare | indexed | rows)
			"$PGBENCH" -n -M extended -c 1 -T "$SECS" -D w="$win" -D me="$id" -f "$WORK/$path.sql" \
				-U "$(bench_super)" "$BENCH_DB" >"$WORK/out.$i" 2>&1 &
			;;
		deferred)
			PGOPTIONS='-c hall.notify=deferred' PGPASSWORD=demo "$PGBENCH" -n -M extended -c 1 -T "$SECS" \
				-D w="$win" -f "$WORK/deferred.sql" -U "$login" "$BENCH_DB" >"$WORK/out.$i" 2>&1 &
			;;
		immediate)
			PGPASSWORD=demo "$PGBENCH" -n -M extended -c 1 -T "$SECS" \
				-D w="$win" -f "$WORK/immediate.sql" -U "$login" "$BENCH_DB" >"$WORK/out.$i" 2>&1 &
			;;
		esac
		pids+=($!)
	done
	local failed=0
	for p in "${pids[@]}"; do wait "$p" || failed=1; done
	if [ "$failed" = 1 ] || grep -qE 'aborted|error' "$WORK"/out.*; then
		echo "p1: $path with $n sessions: pgbench failed:" >&2
		grep -hE 'aborted|ERROR|error' "$WORK"/out.* | sort | uniq -c | head -5 >&2
		grep -qs 'expected one row, got 0' "$WORK"/out.* &&
			echo "p1: a window ran out of claimable cases: raise P1_SUPPLY or P1_BARE_SUPPLY" >&2
		echo "ERR"
		return
	fi
	rate=$(grep -h '^tps = ' "$WORK"/out.* | awk '{s += $3} END {printf "%.1f", s}')
	echo "$rate"
}

has_flush=$(q -c "SELECT count(*) FROM pg_proc WHERE oid::regprocedure::text = 'hall.flush_notify()'")
if [ "$has_flush" = 1 ] && grep -rqs "hall.notify" src/db src/screens src/hallterm.c; then
	term=deferred; other=immediate
elif [ "$has_flush" = 1 ]; then
	term=immediate; other=deferred
else
	term=immediate; other=""
fi
echo "  terminal's path: $term$( [ -n "$other" ] && echo " (also measured: $other)"); $ROUNDS rounds of $SECS s, alternated with the bare cycle; fsync $(q -c 'SHOW fsync'), synchronous_commit $(q -c 'SHOW synchronous_commit')"
t0=$(q -c "SELECT max(id) FROM hall.audit")
declare -A R
for n in $SESSIONS; do
	paths="$term bare $other"
	[ "$n" = "$STEPS_AT" ] && paths+=" indexed rows"
	for ((r = 1; r <= ROUNDS; r++)); do
		for path in $paths; do
			case $path in
			bare) supply bench_raw.p1_apps "$BARE_SUPPLY" ;;
			indexed | rows) supply bench_raw.p1_full "$BARE_SUPPLY" ;;
			*) supply hall.applications "$SUPPLY" ;;
			esac
			q -c "CHECKPOINT" >/dev/null
			R[$path,$n]+="$(run "$path" "$n") "
		done
	done
	line="  $n session(s):"
	for path in $paths; do
		line+=" $path $(tr ' ' '\n' <<<"${R[$path,$n]}" | grep -v '^$' | tr '\n' ' ')"
	done
	echo "$line"
done

# No double claims, no double approvals: in the audit of the run, and in the bare copy.
doubles=$(q -c "
	SELECT (SELECT count(*) FROM (SELECT app_id FROM hall.audit WHERE id > $t0 AND action = 'approve'
	                              GROUP BY app_id HAVING count(*) > 1) x)
	     + (SELECT count(*) FROM (SELECT app_id FROM hall.audit WHERE id > $t0 AND action = 'claim'
	                              GROUP BY app_id HAVING count(DISTINCT staff_id) > 1 OR count(*) > 1) y)
	     + (SELECT count(*) FROM (SELECT app_id FROM bench_raw.p1_audit GROUP BY app_id HAVING count(*) > 1) z)
	     + (SELECT count(*) FROM (SELECT app_id FROM bench_raw.p1_audit_indexed GROUP BY app_id HAVING count(*) > 1) i)
	     + (SELECT count(*) FROM (SELECT app_id, action FROM bench_raw.p1_full_audit GROUP BY app_id, action
	                              HAVING count(*) > 1) f)")
cycles=$(q -c "SELECT count(*) FROM hall.audit WHERE id > $t0 AND action = 'approve'")
bare_cycles=$(q -c "SELECT count(*) FROM bench_raw.p1_audit")
echo "  cycles: $cycles through hall (approvals in the audit), $bare_cycles bare; cases approved twice or claimed by two: $doubles"

for n in $SESSIONS; do
	for path in $term $other; do
		v=$(tr ' ' '\n' <<<"${R[$path,$n]}" | grep -E '^[0-9.]+$' | stat_median)
		b=$(tr ' ' '\n' <<<"${R[bare,$n]}" | grep -E '^[0-9.]+$' | stat_median)
		spread="hallterm $(tr ' ' '\n' <<<"${R[$path,$n]}" | grep -E '^[0-9.]+$' | stat_spread), bare $(tr ' ' '\n' <<<"${R[bare,$n]}" | grep -E '^[0-9.]+$' | stat_spread)"
		label="claim+approve cycles/s, $n session$([ "$n" = 1 ] || echo s)"
		[ "$path" = "$term" ] || label="$label ($path NOTIFY, not the terminal's)"
		target="-" verdict="-"
		if [ "$n" = 8 ] && [ "$path" = "$term" ]; then
			target="≥ 0.6× bare"
			verdict=$(awk -v a="$v" -v b="$b" 'BEGIN { print (a ~ /^[0-9.]+$/ && b > 0 && a / b >= 0.6) ? "ok" : "MISS" }')
		fi
		grep -q ERR <<<"${R[$path,$n]}${R[bare,$n]}" && verdict="ERROR"
		bench_result P1 "$label" "$(fmt_num "$v")" "$(fmt_num "$b")" "/s" "$target" "$verdict" "$spread"
	done
done
# The steps, against the bare cycle of the same rounds.
for path in indexed rows; do
	[ -n "${R[$path,$STEPS_AT]:-}" ] || continue
	v=$(tr ' ' '\n' <<<"${R[$path,$STEPS_AT]}" | grep -E '^[0-9.]+$' | stat_median)
	b=$(tr ' ' '\n' <<<"${R[bare,$STEPS_AT]}" | grep -E '^[0-9.]+$' | stat_median)
	case $path in
	indexed) label="bare cycle on the case table as the schema builds it (12 indexes, checks), $STEPS_AT sessions" ;;
	rows) label="... and the rows the rules write (2 audit rows, the applicant's message), $STEPS_AT sessions" ;;
	esac
	verdict="-"
	grep -q ERR <<<"${R[$path,$STEPS_AT]}" && verdict="ERROR"
	bench_result P1 "$label" "$(fmt_num "$v")" "$(fmt_num "$b")" "/s" "-" "$verdict" \
		"step $(tr ' ' '\n' <<<"${R[$path,$STEPS_AT]}" | grep -E '^[0-9.]+$' | stat_spread)"
done
bench_result P1 "cases approved twice or claimed by two ($cycles + $bare_cycles cycles)" "$doubles" "-" "" "0" \
	"$([ "$doubles" = 0 ] && echo ok || echo MISS)"
bench_note "P1: terminal's path $term; pgbench -M extended, one process per clerk, $ROUNDS rounds of $SECS s; fsync $(q -c 'SHOW fsync'), synchronous_commit $(q -c 'SHOW synchronous_commit')"
[ "$doubles" = 0 ]
