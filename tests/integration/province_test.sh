#!/usr/bin/env bash
# A province over two city databases by logical replication (issue 11,
# doc/province.md): two city clusters (wal_level = logical) and one
# provincial cluster on Unix sockets.  Each city is migrated and gets a
# small demo (different seeds, different hall names); `hallctl province
# init` makes the provincial database; `province add-city` subscribes to
# both.  Then: the provincial figures of a month (cases received and
# completed, on-time rate, satisfaction) equal each city's own, read in the
# city with its own functions (015, 016, 018); the feed rows are the
# city's, byte for byte; a completion and a rating made in a city arrive;
# one city's server is stopped, the other keeps changing and arriving, the
# stopped one is started again, changes, and the province catches up with
# no row lost or doubled; add-city is refused, with nothing left behind,
# for an unreachable city, a taken name, and a city already in under
# another name (in Chinese too); the province's supervisors read and
# cannot write; remove-city drops the subscription, its slot and its rows,
# and the city can be added again.
#
# Time: one initdb and one migration, whose files are copied for the second
# city and the province; the demos side by side; psql itself rather than
# Debian's perl wrapper.  TEST_PORT (default 55620) and the next two ports.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/lib/tap.sh
HALLCTL=${HALLCTL:-$PWD/${1:-build}/hallctl}
export HALLTERM_LOCALEDIR=${HALLTERM_LOCALEDIR:-$PWD/${1:-build}/locale}
export TZ=Asia/Shanghai
START=$(date +%s)
P1=${TEST_PORT:-55620}
P2=$((P1 + 1))
PP=$((P1 + 2))
CITY_SETTINGS="-c wal_level=logical -c max_wal_senders=4 -c max_replication_slots=4"
# a subscription whose city is away is retried every second (default 5 s)
PROVINCE_SETTINGS="-c wal_retrieve_retry_interval=1s"

T=$(mktemp -d /tmp/hallterm-province.XXXXXX)
[ "$(id -u)" = 0 ] && chmod 755 "$T"
cleanup() {
	local d
	for d in pv c1 c2; do cluster_stop "$T/$d"; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_city() { CLUSTER_SETTINGS=$CITY_SETTINGS cluster_start "$T/$1" "$2"; }
start_city c1 "$P1" || { echo "Bail out! cannot start PostgreSQL"; exit 1; }
SUPER=$PGUSER
# the programs themselves, not Debian's perl wrapper (a tenth of a second of
# CPU at every call: this test makes a few hundred)
BIN=$(cluster_pgbin)
C1="host=$T/c1/run port=$P1 dbname=hall user=$SUPER"
C2="host=$T/c2/run port=$P2 dbname=hall user=$SUPER"
PV="host=$T/pv/run port=$PP dbname=province user=$SUPER"
sql() { "$BIN/psql" -X -v ON_ERROR_STOP=1 -Atq "$@"; }
c1() { sql "$C1" -c "$1"; }
c2() { sql "$C2" -c "$1"; }
pv() { sql "$PV" -c "$1"; }
city() { if [ "$1" = hangzhou ]; then c1 "$2"; else c2 "$2"; fi; }
ctl() { "$HALLCTL" --dsn "$PV" "$@"; }

# ------------------------------------------------------------ three clusters
# The first city is migrated; its files are copied for the second city and
# the province (whose copy of the hall's database is dropped).
"$BIN/createdb" -h "$T/c1/run" -p "$P1" -U "$SUPER" hall
out=$("$HALLCTL" --dsn "$C1" migrate 2>&1); rc=$?
tap_is "$rc" 0 "the first city is migrated" "$out"
cluster_stop "$T/c1"
mkdir -p "$T/pv" "$T/c2"
cp -a "$T/c1/data" "$T/c2/data"
cp -a "$T/c1/data" "$T/pv/data"
start_city c1 "$P1" & s1=$!
start_city c2 "$P2" & s2=$!
CLUSTER_SETTINGS=$PROVINCE_SETTINGS CLUSTER_CRON_DB=province cluster_start "$T/pv" "$PP"; s3=$?
wait $s1 && wait $s2 && [ $s3 = 0 ] || { echo "Bail out! cannot start the clusters"; exit 1; }
sql "host=$T/pv/run port=$PP dbname=postgres user=$SUPER" -c "DROP DATABASE hall" -c "CREATE DATABASE province"
tap_is "$(c2 "SELECT current_setting('wal_level') || ' ' || count(*) FROM public.hall_migrations")" \
	"logical $(c1 "SELECT count(*) FROM public.hall_migrations")" \
	"both cities' servers keep logical replication, and the second city has the first's migrations"

"$HALLCTL" --dsn "$C1" demo --scale 2000 --seed 11 --at '2026-11-23 10:00+08' >"$T/demo1.out" 2>&1 &
d1=$!
"$HALLCTL" --dsn "$C2" demo --scale 2000 --seed 12 --at '2026-11-23 10:00+08' >"$T/demo2.out" 2>&1 &
d2=$!
wait $d1; r1=$?
wait $d2; r2=$?
tap_is "$r1$r2" "00" "a small demo in each city (seeds 11 and 12)" "$(cat "$T/demo1.out" "$T/demo2.out" | grep -v '^ ')"
tap_is "$(c1 "SELECT value FROM hall.settings WHERE key = 'city_code'")|$(c1 "SELECT count(*) FROM feed.department_days")" "|0" \
	"a city not in a province has no code and keeps no feed"

# ------------------------------------------------------------ province init
out=$(ctl province init 2>&1); rc=$?
tap_is "$rc $out" "0 applied 001_province.sql" "province init creates the province's schema"
out=$(ctl province init 2>&1); rc=$?
tap_is "$rc $out" "0 the province's schema is up to date" "a second init changes nothing"
out=$("$HALLCTL" --dsn "$C1" province init 2>&1); rc=$?
tap_is "$rc" 1 "province init in a city's database is refused" "$out"
tap_like "$out" "is a city's" "and says why: the province needs a database of its own"

# ------------------------------------------------------------ add-city
out=$(ctl province add-city hangzhou "$C1" 2>&1); rc=$?
tap_is "$rc" 0 "add-city hangzhou (the first city)" "$out"
tap_like "$out" "city hangzhou added: its feed is copied \([0-9]+ days of departments\) and followed" "its feed is copied" 
out=$(ctl province add-city ningbo "$C2" --wait 30 2>&1); rc=$?
tap_is "$rc" 0 "add-city ningbo (the second city)" "$out"
tap_like "$out" "replication slot province_ningbo" "it says which replication slot the city keeps"
tap_is "$(c1 "SELECT value FROM hall.settings WHERE key = 'city_code'") $(c2 "SELECT value FROM hall.settings WHERE key = 'city_code'")" \
	"hangzhou ningbo" "each city has its code"
tap_is "$(c1 "SELECT slot_name || ' ' || plugin || ' ' || database FROM pg_replication_slots")" "province_hangzhou pgoutput hall" \
	"the first city keeps one logical slot for the province"

# The halls get their names: a change the province receives (and after
# which each subscription's worker has heard from its city).
c1 "UPDATE hall.settings SET value = '杭州市民中心' WHERE key = 'hall_name'"
c2 "UPDATE hall.settings SET value = '宁波市民中心' WHERE key = 'hall_name'"

# cities_state NAME: the city's state in `province cities`
city_state() { ctl province cities 2>/dev/null | awk -v n="$1" '$1 == n { print $3 }'; }
# wait_for WHAT SECONDS COMMAND...: until the command succeeds
wait_for() {
	local what=$1 secs=$2 i
	shift 2
	for ((i = 0; i < secs * 5; i++)); do
		"$@" && return 0
		sleep 0.2
	done
	echo "# timed out after ${secs}s waiting for $what"
	return 1
}
streaming() { [ "$(city_state "$1")" = streaming ]; }
named() { [ "$(pv "SELECT string_agg(name, ',' ORDER BY city_code) FROM feed.city")" = "杭州市民中心,宁波市民中心" ]; }
wait_for "the names" 20 named
tap_is "$(pv "SELECT string_agg(city_code || ' ' || name, ',' ORDER BY city_code) FROM feed.city")" \
	"hangzhou 杭州市民中心,ningbo 宁波市民中心" "a hall's new name arrives in the province"
wait_for "hangzhou streaming" 20 streaming hangzhou
wait_for "ningbo streaming" 20 streaming ningbo
out=$(ctl province cities 2>&1); rc=$?
tap_is "$rc" 0 "province cities" "$out"
tap_like "$(printf '%s\n' "$out" | grep '^hangzhou')" "^hangzhou +杭州市民中心 +streaming +20[0-9-]+ [0-9:]+ +[0-9]+$" \
	"hangzhou: its hall, streaming, the last message's time and its rows"
tap_like "$(printf '%s\n' "$out" | grep '^ningbo')" "^ningbo +宁波市民中心 +streaming" "ningbo too"

# ------------------------------------------------------------ refusals
out=$(ctl province add-city hangzhou "$C2" 2>&1); rc=$?
tap_is "$rc" 1 "add-city under a taken name is refused" "$out"
tap_like "$out" 'the name "hangzhou" is taken' "and says the name is taken"
out=$(env LANG=C.UTF-8 LANGUAGE=zh_CN "$HALLCTL" --dsn "$PV" province add-city hangzhou "$C2" 2>&1)
tap_like "$out" "名称“hangzhou”已被占用" "in Chinese with LANGUAGE=zh_CN" 
NOWHERE="host=$T/nowhere port=$PP dbname=hall user=$SUPER connect_timeout=2"
out=$(ctl province add-city wenzhou "$NOWHERE" 2>&1); rc=$?
tap_is "$rc" 1 "add-city of a city that cannot be reached is refused" "$out"
tap_like "$out" 'the city "wenzhou" cannot be reached, nothing was changed' "and says so"
out=$(env LANG=C.UTF-8 LANGUAGE=zh_CN "$HALLCTL" --dsn "$PV" province add-city wenzhou "$NOWHERE" 2>&1)
tap_like "$out" "无法连接城市“wenzhou”" "in Chinese too"
out=$(env LANG=C.UTF-8 LANGUAGE=zh_CN "$HALLCTL" --dsn "$PV" province add-city shaoxing "$C1" 2>&1); rc=$?
tap_is "$rc" 1 "a city in the province already cannot be added again under another name" "$out"
tap_like "$out" "该城市已以 hangzhou 加入省级平台" "the city's refusal (reason:city_code_set, here in Chinese) names the name it is in under"
out=$(ctl province add-city Bad-Name "$C1" 2>&1); rc=$?
tap_is "$rc" 2 "a malformed name is a usage error" "$out"
tap_is "$(pv "SELECT string_agg(name, ',' ORDER BY name) FROM province.cities") $(pv "SELECT count(*) FROM pg_subscription")" \
	"hangzhou,ningbo 2" "the refusals left nothing behind: two cities, two subscriptions"
tap_is "$(c1 "SELECT count(*) FROM pg_replication_slots")$(c2 "SELECT count(*) FROM pg_replication_slots")" "11" \
	"and no other slot in the cities"

# ------------------------------------------------------------ the figures
# city_figures CITY FIRST_DAY: received|completed|on_time|on-time rate|ratings|satisfied|satisfaction, read in the city
# with its own functions (an administrator: the whole hall)
city_figures() {
	city "$1" "SELECT p.cases || '|' || t.completed || '|' || t.on_time || '|' || coalesce(t.on_time_rate::text, '') || '|'
	                  || r.n || '|' || r.s || '|' || coalesce(round(r.s::numeric / nullif(r.n, 0), 4)::text, '')
	           FROM (SELECT cases FROM hall.platform_figures('$2') WHERE dimension = 'total') p,
	                hall.timeliness_department('$2', ('$2'::date + interval '1 month')::date - 1) t,
	                (SELECT coalesce(sum(ratings), 0) AS n, coalesce(sum(good), 0) AS s
	                 FROM hall.department_ratings('$2', ('$2'::date + interval '1 month')::date - 1)) r"
}
province_figures() {
	pv "SELECT received || '|' || completed || '|' || on_time || '|' || coalesce(on_time_rate::text, '') || '|'
	           || ratings || '|' || satisfied || '|' || coalesce(satisfaction_rate::text, '')
	    FROM province.city_month('$2') WHERE city_code = '$1'"
}
# the city's feed rows, and the province's rows of that city: count and md5
city_rows() { city "$1" "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, ';' ORDER BY t.department_code, t.day), ''))
                         FROM feed.department_days t"; }
province_rows() { pv "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, ';' ORDER BY t.department_code, t.day), ''))
                      FROM feed.department_days t WHERE city_code = '$1'"; }
in_step() { [ "$(city_rows "$1")" = "$(province_rows "$1")" ]; }

for c in hangzhou ningbo; do
	for m in 2026-10-01 2026-11-01; do
		want=$(city_figures $c $m)
		tap_is "$(province_figures $c $m)" "$want" "$c ${m%-01}: the province's figures are the city's own ($want)"
	done
	tap_is "$(province_rows $c)" "$(city_rows $c)" "$c: the province has the city's feed rows exactly"
	tap_is "$(city "$c" "SELECT sum(rows_differing) FROM hall.feed_drift()")" 0 "$c: the city's feed is its definition"
done
tap_like "$(city_figures hangzhou 2026-11-01)" '^[1-9][0-9]*\|[1-9][0-9]*\|[1-9][0-9]*\|0\.[0-9]+\|[1-9][0-9]*\|[1-9][0-9]*\|0\.[0-9]+$' \
	"and there is something to compare: cases, completions, ratings"
tap_is "$(pv "SELECT received || '|' || completed || '|' || on_time || '|' || on_time_rate || '|' || ratings || '|' || satisfied
              FROM province.department_month('2026-11-01') WHERE city_code = 'hangzhou' AND department_code = 'SCJG'")" \
	"$(sql "$C1" -c "SET hall.scope_department = 'SCJG'" -c "
	   SELECT p.cases || '|' || t.completed || '|' || t.on_time || '|' || t.on_time_rate || '|' || r.n || '|' || r.s
	   FROM (SELECT cases FROM hall.platform_figures('2026-11-01') WHERE dimension = 'total' AND scope_code = 'SCJG') p,
	        hall.timeliness_department('2026-11-01', '2026-11-30') t,
	        (SELECT sum(ratings) AS n, sum(good) AS s FROM hall.department_ratings('2026-11-01', '2026-11-30')) r")" \
	"one department's November in the province (department_month) is the department's own (SET hall.scope_department)"
tap_is "$(pv "SELECT name FROM feed.departments WHERE city_code = 'ningbo' AND department_code = 'SCJG'")" \
	"$(c2 "SELECT name FROM hall.departments WHERE code = 'SCJG'")" "the departments' names arrive too"

out=$(ctl province report --month 2026-11 2>&1); rc=$?
tap_is "$rc" 0 "province report --month 2026-11" "$out"
rate=$(pv "SELECT round(on_time_rate * 100, 2) FROM province.city_month('2026-11-01') WHERE city_code = 'ningbo'")
tap_like "$(printf '%s\n' "$out" | grep '^ningbo')" "^ningbo +宁波市民中心 .* ${rate}% " "one line per city, rates as percentages"
out=$(ctl province report --month 2026-11 --csv 2>&1); rc=$?
tap_is "$rc" 0 "province report --csv" "$out"
tap_is "$(printf '%s\n' "$out" | head -1)" "月份,城市代码,城市,收件,办结件数,按时办结,按时办结率,评价数,满意,满意率" "the CSV's Chinese header"
tap_is "$(printf '%s\n' "$out" | grep -c '^2026-11,')" 2 "one row per city"
tap_is "$(printf '%s\n' "$out" | grep '^2026-11,hangzhou' | cut -d, -f4-5,7-8,10 | tr , '|')" \
	"$(city_figures hangzhou 2026-11-01 | cut -d'|' -f1-2,4-5,7)" "its hangzhou row: received, completed, on-time rate, ratings, satisfaction"
out=$(ctl province report --month 2026-13 2>&1); rc=$?
tap_is "$rc" 2 "a bad month is a usage error" "$out"

# ------------------------------------------------------------ changes arrive
# act CITY N: as clerk01 (window A01), complete the first N submitted cases
# that can be completed; then the public rates each 5.  Prints their ids.
act() {
	local dsn ids
	if [ "$1" = hangzhou ]; then dsn=$C1; else dsn=$C2; fi
	ids=$(PGPASSWORD=demo sql "${dsn/user=$SUPER/user=clerk01}" -v n="$2" 2>&1 <<-'SQL'
		SELECT set_config('province_test.n', :'n', false) IS NULL;
		SELECT coalesce(max(a.closed_at), '-infinity') AS since FROM hall.applications a WHERE a.closed_by = hall.my_id() \gset
		DO $$
		DECLARE
			v bigint;
			n int := 0;
		BEGIN
			FOR v IN SELECT a.id FROM hall.applications a
			         WHERE a.state = 'submitted' AND a.window_code = ANY (hall.my_windows()) ORDER BY a.id LOOP
				BEGIN
					PERFORM hall.claim(v);
					PERFORM hall.approve(v, '');
					n := n + 1;
					EXIT WHEN n >= current_setting('province_test.n')::int;
				EXCEPTION WHEN OTHERS THEN
					NULL;
				END;
			END LOOP;
		END $$;
		SELECT string_agg(a.id::text, ',' ORDER BY a.id) FROM hall.applications a
		WHERE a.closed_by = hall.my_id() AND a.closed_at > :'since';
	SQL
	) || { echo "# $ids"; return 1; }
	ids=$(printf '%s\n' "$ids" | tail -1)
	[ "$(printf '%s' "$ids" | tr ',' '\n' | grep -c .)" = "$2" ] || { echo "# completed: $ids"; return 1; }
	[ "$(city "$1" "SELECT count(hall.demo_rate('application', x, 5, '')) FROM unnest('{$ids}'::bigint[]) x")" = "$2" ] ||
		return 1
	echo "$ids"
}
completed_now() { pv "SELECT completed || '/' || ratings FROM province.city_month('2026-11-01') WHERE city_code = '$1'"; }

before=$(completed_now hangzhou)
id=$(act hangzhou 1); rc=$?
tap_is "$rc" 0 "in hangzhou clerk01 completes case $id and the applicant rates it" "$id"
wait_for "hangzhou in step" 20 in_step hangzhou
tap_is "$(province_rows hangzhou)" "$(city_rows hangzhou)" "the province has the change"
b=${before%/*} r=${before#*/}
tap_is "$(completed_now hangzhou)" "$((b + 1))/$((r + 1))" "one more completed case and one more rating in hangzhou's November"
tap_is "$(province_figures hangzhou 2026-11-01)" "$(city_figures hangzhou 2026-11-01)" "still the city's own figures"

# ------------------------------------------------------------ a city goes away
ningbo_rows=$(province_rows ningbo)
cluster_stop "$T/c2"
waiting() { [ "$(city_state ningbo)" = "waiting" ]; }
wait_for "ningbo waiting" 20 waiting
tap_is "$(city_state ningbo)" "waiting" "ningbo's server is stopped: province cities says the province waits for it"
tap_like "$(ctl province cities 2>&1 | grep '^ningbo')" "waiting for the city +- +[0-9]+$" \
	"with no message time (nobody is connected to it)"
ids=$(act hangzhou 2); rc=$?
tap_is "$rc" 0 "meanwhile hangzhou completes and rates two more ($ids)" "$ids"
wait_for "hangzhou in step" 20 in_step hangzhou
tap_is "$(province_rows hangzhou)" "$(city_rows hangzhou)" "and they arrive while ningbo is away"
tap_is "$(province_rows ningbo)" "$ningbo_rows" "ningbo's rows in the province are as they were"
tap_is "$(ctl province report --month 2026-11 --csv 2>&1 | grep -c '^2026-11,')" 2 "the report still has both cities"

start_city c2 "$P2" || { echo "Bail out! cannot restart ningbo"; exit 1; }
ids=$(act ningbo 3); rc=$?
tap_is "$rc" 0 "ningbo is back: it completes and rates three ($ids)" "$ids"
wait_for "ningbo in step" 30 in_step ningbo
tap_is "$(province_rows ningbo)" "$(city_rows ningbo)" "the province catches up with ningbo: the same rows, none lost, none doubled"
wait_for "ningbo streaming" 20 streaming ningbo
tap_is "$(city_state ningbo)" streaming "ningbo is streaming again"
for c in hangzhou ningbo; do
	tap_is "$(province_figures $c 2026-11-01)" "$(city_figures $c 2026-11-01)" "$c: the province's November is the city's own"
done
tap_is "$(pv "SELECT count(*) FROM feed.department_days")" \
	"$(( $(c1 "SELECT count(*) FROM feed.department_days") + $(c2 "SELECT count(*) FROM feed.department_days") ))" \
	"the province holds exactly the two cities' rows"

# ------------------------------------------------------------ the province's supervisors
pv "CREATE ROLE prov01 LOGIN PASSWORD 'demo' IN ROLE province_supervisor"
SUP="host=$T/pv/run port=$PP dbname=province user=prov01"
out=$(PGPASSWORD=demo "$HALLCTL" --dsn "$SUP" province report --month 2026-11 --csv 2>&1); rc=$?
tap_is "$rc $(printf '%s\n' "$out" | grep -c '^2026-11,')" "0 2" "a provincial supervisor reads the report" "$out"
out=$(PGPASSWORD=demo "$HALLCTL" --dsn "$SUP" province cities 2>&1); rc=$?
tap_is "$rc" 0 "and the cities' states" "$out"
out=$(PGPASSWORD=demo sql "$SUP" -c "DELETE FROM feed.department_days" 2>&1); rc=$?
tap_like "$rc $out" "^[1-9].*permission denied" "but cannot change a figure"
out=$(PGPASSWORD=demo sql "$SUP" -c "INSERT INTO province.cities (name, subscription) VALUES ('xx', 'city_xx')" 2>&1); rc=$?
tap_like "$rc $out" "^[1-9].*permission denied" "nor the list of cities"

# ------------------------------------------------------------ remove-city, add again
out=$(ctl province remove-city ningbo 2>&1); rc=$?
tap_is "$rc" 0 "remove-city ningbo" "$out"
tap_is "$(pv "SELECT count(*) FROM feed.department_days WHERE city_code = 'ningbo'")|$(pv "SELECT count(*) FROM pg_subscription")|$(c2 "SELECT count(*) FROM pg_replication_slots")" \
	"0|1|0" "its rows and its subscription are gone, and so is its slot in the city"
out=$(ctl province add-city ningbo "$C2" 2>&1); rc=$?
tap_is "$rc" 0 "ningbo is added again under its name" "$out"
tap_is "$(province_rows ningbo)" "$(city_rows ningbo)" "and copied again, whole"
out=$(ctl province remove-city wenzhou 2>&1); rc=$?
tap_is "$rc" 1 "remove-city of a city never added is refused" "$out"

echo "# $(($(date +%s) - START)) s"
tap_done
