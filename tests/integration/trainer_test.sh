#!/usr/bin/env bash
# The trainer without the cluster's superuser: trainer01 (password demo)
# makes a demo database busy with `hallctl simulate` and puts it back as it
# was generated with `hallctl demo --reset`, through the functions granted
# to hall_trainer (schema/012_training.sql); trainees stay logged in and are
# told to reload; on a database that is not a demo one both are refused
# with exit status 1 and nothing changes.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/lib/tap.sh
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
export LC_ALL=C.UTF-8 TZ=Asia/Shanghai LANGUAGE=C
cluster_temp "${TEST_PORT:-55446}" || exit 1

q() { psql -AtXq -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
as_trainer() { # as_trainer DB ARGS...: hallctl as trainer01
	local db=$1; shift
	PGPASSWORD=demo "$HALLCTL" "$@" --dsn "dbname=$db user=trainer01"
}
as_staff() { # as_staff LOGIN DB SQL
	PGPASSWORD=demo psql -AtXq -v ON_ERROR_STOP=1 -U "$1" -d "$2" -c "$3"
}
# Every data table's rows (in any physical order) and the identity
# sequences, as the superuser sees them; the reset's own audit row (and the
# audit id it takes) left out.
fingerprint() {
	psql -AtXq -v ON_ERROR_STOP=1 -d "$1" <<-'SQL'
		CREATE TEMP TABLE fp (t text, h text);
		DO $$
		DECLARE t text; h text;
		BEGIN
			FOR t IN SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'hall'::regnamespace AND c.relkind = 'r'
			         AND c.relname NOT IN ('calendar', 'calendar_years', 'days', 'settings', 'text_fields', 'secrets')
			         ORDER BY 1 LOOP
				EXECUTE format('SELECT md5(coalesce(string_agg(x::text, E''\n'' ORDER BY x::text), '''')) FROM hall.%I x %s',
				               t, CASE WHEN t = 'audit' THEN 'WHERE action <> ''demo_reset''' ELSE '' END) INTO h;
				INSERT INTO fp VALUES (t, h);
			END LOOP;
			INSERT INTO fp SELECT 'seq:' || sequencename, coalesce(last_value::text, '-') FROM pg_sequences
			WHERE schemaname = 'hall' AND sequencename <> 'audit_id_seq';
		END $$;
		SELECT md5(string_agg(t || '=' || h, ';' ORDER BY t)) FROM fp;
	SQL
}

createdb train
"$HALLCTL" migrate --dsn dbname=train >/dev/null || { echo "Bail out! migrate failed"; exit 1; }
"$HALLCTL" demo --dsn dbname=train --scale 2000 --seed 5 --at "2026-11-23 10:00+08" >/dev/null \
	|| { echo "Bail out! hallctl demo failed"; exit 1; }
seed=$(fingerprint train)
tap_like "$seed" '^[0-9a-f]{32}$' "the generated demo database has a fingerprint"
# A copy that is not a demo database (trainer01 is staff there too).
createdb -T train train_prod
q train_prod "UPDATE hall.settings SET value = 'production' WHERE key = 'mode'"
prod=$(fingerprint train_prod)

# ---- refused on a database that is not a demo one --------------------------
for mode in production test; do
	q train_prod "UPDATE hall.settings SET value = '$mode' WHERE key = 'mode'"
	err=$(as_trainer train_prod simulate --count 5 --rate 0 --seed 1 2>&1 >/dev/null); rc=$?
	tap_is "$rc" 1 "simulate as trainer01 on a '$mode' database: exit status 1"
	tap_like "$err" "^hallctl: simulate refused: this database's mode is '$mode'" "and says why"
	err=$(as_trainer train_prod demo --reset 2>&1 >/dev/null); rc=$?
	tap_is "$rc" 1 "demo --reset as trainer01 on a '$mode' database: exit status 1"
	tap_like "$err" "^hallctl: demo --reset refused: the demo data can be reset only on a demo database \\(this one's mode is $mode\\)" \
		"and says why"
	err=$(PGPASSWORD=demo psql -AtXq -U trainer01 -d train_prod \
		-c "SELECT hall.demo_submit('SCJG002', '{\"name\": \"王五\", \"id_number\": \"230102199001011234\"}', 'web')" 2>&1)
	tap_like "$err" "only on a demo database" "the simulation's functions refuse it too, called by hand ('$mode')"
done
q train_prod "UPDATE hall.settings SET value = 'production' WHERE key = 'mode'"
tap_is "$(fingerprint train_prod)" "$prod" "nothing changed on the database that is not a demo one"

# ---- simulate as trainer01 -------------------------------------------------
before=$(q train "SELECT count(*) FROM hall.applications")
max_id=$(q train "SELECT max(id) FROM hall.applications")
out=$(as_trainer train simulate --count 30 --rate 0 --seed 3 --mix submit=3,ask=1,resubmit=1,rate=1 2>"$CLUSTER_TMP/err"); rc=$?
tap_is "$rc" 0 "simulate as trainer01 on the demo database: exit status 0" "$(cat "$CLUSTER_TMP/err")"
tap_is "$(printf '%s\n' "$out" | wc -l)" 30 "one line per action"
nsub=$(printf '%s\n' "$out" | grep -c '^submitted ')
after=$(q train "SELECT count(*) FROM hall.applications")
tap_ok "$([ "$nsub" -gt 0 ]; echo $?)" "it submits cases ($nsub)"
tap_is "$((after - before))" "$nsub" "cases increase by the number of submit lines ($before -> $after)"
tap_is "$(q train "SELECT count(*) FROM hall.audit WHERE action = 'submit' AND app_id > $max_id AND actor = 'trainer01'")" "$nsub" \
	"each new case's submit is in the audit log, under the trainer's name"
tap_like "$(cat "$CLUSTER_TMP/err")" "simulate done: 30 actions in [0-9.]+ s \(seed 3\): [0-9]+ submitted, [0-9]+ asked, [0-9]+ resubmitted, [0-9]+ rated, 0 withdrawn, 0 failed" \
	"the summary counts every action, none failed"

# Ctrl-C: the action in progress ends, the summary says what was done.
out_file=$CLUSTER_TMP/sim.out
# (hallctl itself in the background, not a function's subshell: $! is its pid.)
PGPASSWORD=demo "$HALLCTL" simulate --rate 600 --seed 7 --mix submit=1 --dsn "dbname=train user=trainer01" \
	>"$out_file" 2>"$CLUSTER_TMP/err" &
sim=$!
for _ in $(seq 100); do [ "$(wc -l <"$out_file")" -ge 3 ] && break; sleep 0.05; done
kill -INT "$sim"
for _ in $(seq 100); do kill -0 "$sim" 2>/dev/null || break; sleep 0.1; done
kill -0 "$sim" 2>/dev/null && { kill -KILL "$sim"; echo "# simulate did not stop on SIGINT"; }
wait "$sim"; rc=$?
tap_is "$rc" 0 "SIGINT stops simulate as trainer01 with exit status 0"
done_n=$(sed -n 's/.*simulate stopped: \([0-9]*\) actions.*/\1/p' "$CLUSTER_TMP/err")
tap_is "$done_n" "$(wc -l <"$out_file")" "and the summary counts the actions printed ($done_n)"
tap_is "$(tail -c 1 "$out_file" | od -An -c | tr -d ' ')" '\n' "no half-printed line"

# ---- a training session, then demo --reset as trainer01 --------------------
app=$(q train "SELECT id FROM hall.applications WHERE window_code = 'A01' AND state = 'submitted' ORDER BY sort_due, id LIMIT 1")
as_staff clerk01 train "SELECT hall.claim($app)" >/dev/null
as_staff clerk01 train "SELECT hall.approve($app, '材料齐全，准予许可')" >/dev/null
tap_is "$(q train "SELECT state FROM hall.applications WHERE id = $app")" completed "clerk01 claims and approves a case"
as_staff trainer01 train "SELECT hall.set_clock('2026-11-24 15:30+08', false)" >/dev/null
clock=$(q train "SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM hall.settings WHERE key LIKE 'clock%'")
tap_ok "$([ "$(fingerprint train)" != "$seed" ]; echo $?)" "the session changed the demo data"

# A trainee's session stays open across the reset and is told to reload.
listen_out=$CLUSTER_TMP/listen.out
printf 'LISTEN hall_queue;\nSELECT pg_sleep(30);\nSELECT count(*) AS queue_after FROM hall.v_queue;\n' \
	| PGPASSWORD=demo psql -X -U clerk01 -d train >"$listen_out" 2>&1 &
listener=$!
sleeping="SELECT count(*) FROM pg_stat_activity WHERE usename = 'clerk01' AND query LIKE 'SELECT pg_sleep(30)%'"
for _ in $(seq 100); do [ "$(q train "$sleeping")" = 1 ] && break; sleep 0.1; done

start=$(date +%s%N)
out=$(as_trainer train demo --reset 2>&1); rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
tap_is "$rc" 0 "demo --reset as trainer01 (not the superuser): exit status 0" "$out"
tap_like "$out" "^demo data reset to what was generated on 2026-11-23 [0-9:]+ \(2000 cases, seed 5\): [0-9]+ rows in [0-9.]+ s$" \
	"it says what it put back"
echo "# demo --reset of 2000 cases: $ms ms"
tap_is "$(fingerprint train)" "$seed" "every data table and sequence is as generated (fingerprint)"
tap_is "$(q train "SELECT actor FROM hall.audit WHERE action = 'demo_reset'")" trainer01 "the reset is audited, under the trainer's name"
tap_like "$(q train "SELECT details->>'restored' FROM hall.audit WHERE action = 'demo_reset'")" '^[0-9]+$' \
	"it put back only the rows changed since the generation (hall.demo_delta), not every table"
tap_is "$(q train "SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM hall.settings WHERE key LIKE 'clock%'")" "$clock" \
	"the database's clock is left where the trainer put it"
tap_is "$(q train "SELECT hall.mode()")" demo "the database is still a demo one"

q train "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE usename = 'clerk01' AND query LIKE 'SELECT pg_sleep(30)%'" >/dev/null
wait "$listener"
tap_like "$(cat "$listen_out")" 'Asynchronous notification "hall_queue" received from server' \
	"a trainee's screen hears hall_queue '' (reload every window)"
tap_like "$(cat "$listen_out")" 'queue_after' "and its session still works after the reset"
tap_is "$(as_staff clerk01 train "SELECT state FROM hall.v_case WHERE id = $app")" submitted "the trainee sees the case waiting again"

# Life goes on: the simulation adds cases after the seed's last one.
out=$(as_trainer train simulate --count 3 --rate 0 --seed 9 --mix submit=1 2>/dev/null); rc=$?
tap_is "$rc" 0 "simulate runs on after a reset"
tap_is "$(q train "SELECT min(id) FROM hall.applications a WHERE NOT EXISTS (SELECT 1 FROM hall_demo_seed.applications s WHERE s.id = a.id)")" \
	"$(( $(q train "SELECT max(id) FROM hall_demo_seed.applications") + 1 ))" "its first case takes the id after the seed's last"

# A second reset puts back what changed since the first (the mark the first
# left), and nothing more: the same fingerprint, a handful of rows.
as_staff clerk01 train "SELECT hall.claim($app)" >/dev/null
out=$(as_trainer train demo --reset 2>&1); rc=$?
tap_is "$rc" 0 "a second reset: exit status 0" "$out"
tap_is "$(fingerprint train)" "$seed" "every data table and sequence is as generated again"
restored=$(q train "SELECT details->>'restored' FROM hall.audit WHERE action = 'demo_reset'")
tap_ok "$([ "$restored" -gt 0 ] && [ "$restored" -lt 200 ]; echo $?)" \
	"it put back only what the simulation and the claim changed since the first ($restored rows)"
out=$(as_trainer train demo --reset 2>&1); rc=$?
tap_is "$(q train "SELECT details->>'restored' FROM hall.audit WHERE action = 'demo_reset'")" 1 \
	"a reset with nothing changed puts back one row (the previous reset's audit row)"

# ---- exercises (schema/022, etc/scenarios) and simulate's profiles ---------
out=$(HALLTERM_SCENARIOS= "$HALLCTL" exercise list); rc=$?
tap_is "$rc" 0 "exercise list: exit status 0"
tap_is "$(printf '%s\n' "$out" | grep -cE '^  (morning-rush|one-time-notice|before-holiday|bad-rating|inquiries) ')" 5 \
	"it lists the five scenarios of etc/scenarios"
err=$(as_trainer train_prod exercise start one-time-notice 2>&1 >/dev/null); rc=$?
tap_is "$rc" 1 "exercise start on a production database: exit status 1"
tap_like "$err" "^hallctl: exercise start refused: This can be done only on a training \(demo\) database" "and says why"
before=$(q train "SELECT count(*) FROM hall.applications")
out=$(as_trainer train exercise start one-time-notice 2>&1); rc=$?
tap_is "$rc" 0 "exercise start one-time-notice as trainer01: exit status 0" "$out"
tap_like "$out" "^exercise [0-9]+ 「一次性告知」 started \(scenario one-time-notice\), training clock [0-9-]+ [0-9:]+: 16 cases submitted" \
	"it says what it loaded"
tap_is "$(( $(q train "SELECT count(*) FROM hall.applications") - before ))" 16 "16 cases were submitted"
tap_is "$(q train "SELECT count(*) FROM hall.audit WHERE action = 'submit' AND actor = 'trainer01'
                   AND id > (SELECT audit_from FROM hall.exercises WHERE ended_at IS NULL)")" 16 \
	"through the public's function, under the trainer's name"
tap_is "$(as_staff trainer01 train "SELECT scenario || ' ' || state FROM hall.exercise_current()")" "one-time-notice paused" \
	"the exercise runs, its clock standing where the trainer paused it (the scenario leaves the clock alone)"
err=$(as_trainer train exercise start inquiries 2>&1 >/dev/null); rc=$?
tap_is "$rc" 1 "a second exercise is refused while one runs (exit status 1)"
tap_is "$(( $(q train "SELECT count(*) FROM hall.applications") - before ))" 16 "and loads nothing"
out=$(as_trainer train simulate --profile one-time-notice --rate 0 --count 6 --seed 4 2>&1 >/dev/null); rc=$?
tap_is "$rc" 0 "simulate --profile one-time-notice: exit status 0"
tap_like "$out" "simulate done: 6 actions" "it stops at --count, which overrides the profile's minutes"
out=$(as_trainer train simulate --profile busy-morning --minutes 1 --count 2 2>&1 >/dev/null); rc=$?
tap_is "$rc" 2 "--minutes and --count together are a usage error"
out=$(as_trainer train simulate --profile no-such-profile 2>&1 >/dev/null); rc=$?
tap_is "$rc" 2 "an unknown profile is a usage error"
tap_like "$out" "--profile: expected busy-morning, quiet, mixed" "and says which there are"
out=$(as_trainer train exercise end 2>&1); rc=$?
tap_is "$rc" 0 "exercise end: exit status 0"
out=$(as_trainer train exercise end 2>&1); rc=$?
tap_is "$rc" 1 "ending it twice: exit status 1"

# ---- refusals that are not about the mode ----------------------------------
err=$(PGPASSWORD=demo "$HALLCTL" demo --reset --dsn "dbname=train user=clerk01" 2>&1 >/dev/null); rc=$?
tap_is "$rc" 1 "a clerk may not reset the demo database (exit status 1)"
tap_like "$err" "^hallctl: demo --reset refused: permission denied for function demo_reset" "the database says no"
err=$(PGPASSWORD=demo "$HALLCTL" demo --dsn "dbname=train user=trainer01" --scale 100 2>&1 >/dev/null); rc=$?
tap_is "$rc" 1 "generating anew needs the cluster's superuser, even for a trainer"
err=$(as_trainer train demo --reset --scale 100 2>&1 >/dev/null); rc=$?
tap_is "$rc" 2 "--reset with --scale is a usage error"
tap_like "$err" "^hallctl: demo: --reset puts back the data of the last generation" "and says why"
createdb train_noseed
"$HALLCTL" migrate --dsn dbname=train_noseed >/dev/null
q train_noseed "UPDATE hall.settings SET value = 'demo' WHERE key = 'mode'"
err=$("$HALLCTL" demo --reset --dsn dbname=train_noseed 2>&1 >/dev/null); rc=$?
tap_is "$rc" 1 "a demo database never generated has no seed to reset to (exit status 1)"
tap_like "$err" "keeps no seed to reset to: generate it again with hallctl demo" "and says what to do"

tap_done
