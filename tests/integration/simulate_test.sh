#!/usr/bin/env bash
# hallctl simulate as a trainer meets it: it refuses every database but a
# demo one; on a demo database each printed line is one portal action that
# really happened (cases, audit events, inquiries, ratings, NOTIFYs to the
# screens), always through the portal's functions and grants; the same seed
# on identical databases prints the same actions; bad options and a stop
# signal are handled in one line.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/lib/tap.sh
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
export LC_ALL=C.UTF-8 TZ=Asia/Shanghai
cluster_temp "${TEST_PORT:-55443}" || exit 1

q() { psql -AtXq -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
count_lines() { printf '%s\n' "$1" | grep -c -- "$2"; }

# ---- refusals: production and test databases are never touched ----------
createdb sim_prod
"$HALLCTL" --dsn dbname=sim_prod migrate >/dev/null || { echo "Bail out! migrate failed"; exit 1; }
refused() { # refused MODE
	local err rc
	err=$("$HALLCTL" --dsn dbname=sim_prod simulate --count 5 --rate 0 --seed 1 2>&1 >/dev/null); rc=$?
	tap_is "$rc" 1 "simulate on a '$1' database exits with status 1"
	tap_is "$(printf '%s\n' "$err" | wc -l)" 1 "simulate on a '$1' database: one line"
	tap_like "$err" "^hallctl: simulate refused: .*mode is '$1'" "simulate on a '$1' database says why"
	tap_is "$(q sim_prod 'select count(*) from hall.audit')" 0 "simulate on a '$1' database writes nothing"
}
refused production
q sim_prod "update hall.settings set value = 'test' where key = 'mode'"
refused test

# ---- the demo database -------------------------------------------------
createdb sim_a
"$HALLCTL" --dsn dbname=sim_a migrate >/dev/null || { echo "Bail out! migrate failed"; exit 1; }
"$HALLCTL" --dsn dbname=sim_a demo --scale 500 >/dev/null \
	|| { echo "Bail out! hallctl demo --scale 500 failed"; exit 1; }
tap_is "$(q sim_a "select hall.mode()")" demo "hallctl demo makes a demo database"
# Identical copies, for the determinism and the grants checks.
createdb -T sim_a sim_b
createdb -T sim_a sim_c

snapshot() { # snapshot DB: max case id, cases, inquiries, ratings, resubmit events
	q "$1" "select (select coalesce(max(id), 0) from hall.applications), (select count(*) from hall.applications),
	               (select count(*) from hall.inquiries), (select count(*) from hall.ratings),
	               (select count(*) from hall.audit where action = 'resubmit')"
}
IFS='|' read -r max_id cases0 inq0 rat0 res0 <<<"$(snapshot sim_a)"

# A screen's session: LISTEN, then wait (in a statement) while simulate
# runs; notifications queued meanwhile are printed when the wait is cancelled.
listen_out=$(mktemp)
printf 'LISTEN hall_queue;\nLISTEN hall_inquiries;\nLISTEN hall_ratings;\nSELECT pg_sleep(60);\nSELECT 1;\n' \
	| psql -X -d sim_a >"$listen_out" 2>&1 &
listener=$!
sleeping="select count(*) from pg_stat_activity where query like 'SELECT pg_sleep(60)%' and pid <> pg_backend_pid()"
for _ in $(seq 100); do [ "$(q sim_a "$sleeping")" = 1 ] && break; sleep 0.1; done

# Both runs at the same (demo) clock, so case numbers cannot differ by a
# midnight in between.
export PGOPTIONS="-c hall.fake_now=$(date +%F)T10:00:00+08"
err_file=$(mktemp)
out=$("$HALLCTL" --dsn dbname=sim_a simulate --count 40 --rate 0 --seed 3 2>"$err_file"); rc=$?
err=$(cat "$err_file")
tap_is "$rc" 0 "simulate --count 40 --rate 0 exits with status 0"
tap_is "$(printf '%s\n' "$out" | wc -l)" 40 "one line per action"
case_re='[0-9]{6}-[0-9]{4,}'
bad=$(printf '%s\n' "$out" | grep -Ev "^(submitted $case_re .+ \((window|web|app|kiosk)\)|asked Z$case_re .+: .+ \((web|app|hotline)\)|resubmitted $case_re .+|rated $case_re .+: [1-5]( 「.+」)?)$")
tap_is "$bad" "" "every line says what was done, to which case or inquiry"
tap_like "$err" "simulate done: 40 actions in [0-9.]+ s \(seed 3\): " "a summary at the end"

nsub=$(count_lines "$out" '^submitted ')
nask=$(count_lines "$out" '^asked ')
nres=$(count_lines "$out" '^resubmitted ')
nrat=$(count_lines "$out" '^rated ')
IFS='|' read -r _ cases1 inq1 rat1 res1 <<<"$(snapshot sim_a)"
tap_ok "$([ "$nsub" -gt 0 ] && [ "$nask" -gt 0 ] && [ "$nres" -gt 0 ] && [ "$nrat" -gt 0 ]; echo $?)" \
	"the default mix submits, asks, resubmits and rates ($nsub, $nask, $nres, $nrat)"
tap_is "$((cases1 - cases0))" "$nsub" "cases increase by the number of submit lines"
tap_is "$(q sim_a "select count(*) from hall.applications a where a.id > $max_id
                   and (select count(*) from hall.audit x where x.app_id = a.id and x.action = 'submit') <> 1")" 0 \
	"each new case has exactly one 'submit' audit event"
tap_is "$(q sim_a "select count(*) from hall.applications where id > $max_id and state = 'submitted'")" "$nsub" \
	"the new cases wait in the queue"
tap_is "$((inq1 - inq0))" "$nask" "inquiries increase by the number of ask lines"
tap_is "$((res1 - res0))" "$nres" "each resubmit line is one resubmission"
tap_is "$((rat1 - rat0))" "$nrat" "each rate line is one rating"
printf '%s\n' "$out" | grep '^submitted ' | awk '{print $2}' | sort >"$err_file"
tap_is "$(q sim_a "select case_no from hall.applications where id > $max_id order by 1")" "$(cat "$err_file")" \
	"the printed case numbers are the new cases"
tap_is "$(q sim_a "select count(*) from hall.applicants p join hall.applications a on a.applicant_id = p.id
                   where a.id > $max_id and p.kind = 'person'
                     and (p.id_number !~ '^[0-9]{17}[0-9X]$' or right(p.id_number, 1) <> substr('10X98765432', 1 +
                          (select sum(substr(p.id_number, k, 1)::int * (array[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[k])
                           from generate_series(1, 17) k)::int % 11, 1)
                          or p.phone !~ '^1[3-9][0-9]{9}$')")" 0 \
	"new applicants have valid 18-digit ID numbers (GB 11643 check digit) and mobile numbers"

psql -AtXq -d sim_a -c "select pg_cancel_backend(pid) from pg_stat_activity where query like 'SELECT pg_sleep(60)%' and pid <> pg_backend_pid()" >/dev/null
wait "$listener"
heard=$(grep -c 'Asynchronous notification "hall_queue"' "$listen_out")
tap_is "$heard" "$((nsub + nres))" "a LISTEN hall_queue session hears every submission and resubmission"
tap_is "$(grep -c 'Asynchronous notification "hall_inquiries"' "$listen_out")" "$nask" \
	"a LISTEN hall_inquiries session hears every inquiry"
tap_is "$(grep -c 'Asynchronous notification "hall_ratings"' "$listen_out")" "$nrat" \
	"a LISTEN hall_ratings session hears every rating"
rm -f "$listen_out"

# ---- deterministic ---------------------------------------------------------
out_b=$("$HALLCTL" --dsn dbname=sim_b simulate --count 40 --rate 0 --seed 3 2>/dev/null)
tap_is "$out_b" "$out" "the same seed on an identical database prints the same actions"
out_c=$("$HALLCTL" --dsn dbname=sim_c simulate --count 40 --rate 0 --seed 4 --mix submit=1,ask=1 2>/dev/null)
tap_ok "$([ "$out_c" != "$out" ]; echo $?)" "another seed and mix, other actions"
unset PGOPTIONS

# ---- only what the portal may do ------------------------------------------
q sim_c "revoke execute on function hall.ask(text, text, jsonb, text, text) from hall_portal"
inq_c=$(q sim_c "select count(*) from hall.inquiries")
err=$("$HALLCTL" --dsn dbname=sim_c simulate --count 3 --rate 0 --seed 5 --mix ask=1 2>&1 >/dev/null)
tap_like "$err" "permission denied for function ask" "actions run with the portal's grants (hall_portal)"
tap_like "$err" ", 3 failed" "failed actions are counted"
tap_is "$(q sim_c "select count(*) from hall.inquiries")" "$inq_c" "a refused action changes nothing"

# ---- timing and signals ----------------------------------------------------
start=$(date +%s%N)
out=$("$HALLCTL" --dsn dbname=sim_c simulate --rate 600 --duration 2 --seed 6 --mix submit=1 2>/dev/null); rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
n=$(printf '%s\n' "$out" | grep -c '^submitted ')
tap_is "$rc" 0 "--duration ends with status 0"
tap_ok "$([ "$n" -ge 5 ] && [ "$n" -le 21 ] && [ "$ms" -ge 1900 ] && [ "$ms" -lt 4000 ]; echo $?)" \
	"--rate 600 --duration 2: about 20 actions in about 2 s ($n in $ms ms)"

out_file=$(mktemp)
"$HALLCTL" --dsn dbname=sim_c simulate --rate 600 --seed 7 --mix submit=1 >"$out_file" 2>"$err_file" &
sim=$!
for _ in $(seq 100); do [ -s "$out_file" ] && break; sleep 0.05; done
kill -TERM "$sim"
wait "$sim"; rc=$?
tap_is "$rc" 0 "SIGTERM: exit status 0"
tap_like "$(cat "$err_file")" "simulate stopped: [0-9]+ actions" "SIGTERM: a summary"
tap_is "$(tail -c 1 "$out_file" | od -An -c | tr -d ' ')" '\n' "SIGTERM: no half-printed line"
rm -f "$out_file" "$err_file"

# ---- bad options: one line, exit status 2, before connecting --------------
one_line() { # one_line DESCRIPTION EXPECTED-REGEX ARGS...
	local desc=$1 re=$2 err rc; shift 2
	err=$("$HALLCTL" --dsn "host=/nonexistent dbname=x" simulate "$@" 2>&1 >/dev/null); rc=$?
	tap_is "$rc" 2 "$desc: exit status 2"
	tap_is "$(printf '%s\n' "$err" | wc -l)" 1 "$desc: one line"
	tap_like "$err" "$re" "$desc: says why"
}
one_line "--rate -1" "^hallctl: --rate: expected actions per minute from 0 to " --rate -1
one_line "--mix bogus=1" "^hallctl: --mix: unknown action \"bogus\"" --mix bogus=1
one_line "--mix without weight" "^hallctl: --mix: expected ACTION=WEIGHT" --mix submit
one_line "--count and --duration" "^hallctl: simulate: give --count or --duration, not both" --count 1 --duration 1
one_line "unknown option" "^hallctl: simulate: unknown option '--fast'" --fast
one_line "unreachable server" "^hallctl: cannot connect: " --count 1

tap_done
