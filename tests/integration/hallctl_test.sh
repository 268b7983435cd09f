#!/usr/bin/env bash
# hallctl as an administrator meets it: migrations that apply once, a broken
# migration rolled back and reported by file and line, and every way of not
# reaching the database reported in one line with exit status 2.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/lib/tap.sh
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
cluster_temp || exit 1
createdb hallctl_t
DSN="dbname=hallctl_t"
nfiles=$(ls schema/[0-9]*.sql | wc -l)

out=$("$HALLCTL" --dsn "$DSN" migrate 2>&1); rc=$?
tap_is "$rc" 0 "migrate on an empty database succeeds"
tap_is "$(printf '%s\n' "$out" | grep -c '^applied ')" "$nfiles" "every migration file is applied once"
tap_is "$(psql -Atd hallctl_t -c 'select count(*) from public.hall_migrations')" "$nfiles" "each file is recorded"

before=$(psql -Atd hallctl_t -c "select string_agg(file || applied_at, ',' order by file) from public.hall_migrations")
out=$("$HALLCTL" --dsn "$DSN" migrate 2>&1); rc=$?
tap_is "$rc" 0 "a second migrate succeeds"
tap_like "$out" "^schema is up to date \($nfiles migrations\)$" "a second migrate says there is nothing to do"
after=$(psql -Atd hallctl_t -c "select string_agg(file || applied_at, ',' order by file) from public.hall_migrations")
tap_is "$after" "$before" "a second migrate changes nothing"

# A broken migration: the first statement would succeed, the third fails.
broken=$(mktemp -d)
cp schema/[0-9]*.sql "$broken/"
cat > "$broken/999_broken.sql" <<'SQL'
-- a migration with a mistake on line 4
CREATE TABLE hall.should_not_exist (id int);
INSERT INTO hall.should_not_exist VALUES (1);
SELECT * FROM hall.no_such_table;
SQL
out=$("$HALLCTL" --dsn "$DSN" --schema-dir "$broken" migrate 2>&1); rc=$?
tap_is "$rc" 1 "a failing migration exits with status 1"
tap_like "$out" "999_broken\.sql:4: relation \"hall\.no_such_table\" does not exist" "the failure names the file, the line and the reason"
tap_is "$(psql -Atd hallctl_t -c "select to_regclass('hall.should_not_exist') is null")" "t" "the failed file's earlier statements are rolled back"
tap_is "$(psql -Atd hallctl_t -c "select count(*) from public.hall_migrations where file = '999_broken.sql'")" "0" "the failed file is not recorded"
rm -rf "$broken"

# Ways of not reaching the database: one line on stderr, exit status 2.
one_line() { # one_line DESCRIPTION EXPECTED-REGEX CMD...
	local desc=$1 re=$2; shift 2
	local err rc
	err=$("$@" 2>&1 >/dev/null); rc=$?
	tap_is "$rc" 2 "$desc: exit status 2"
	tap_is "$(printf '%s\n' "$err" | wc -l)" 1 "$desc: one line"
	tap_like "$err" "$re" "$desc: says why"
}
one_line "bad --dsn" "^hallctl: bad connection string: " "$HALLCTL" --dsn "host=x port" migrate
one_line "bad URI" "^hallctl: bad connection string: " "$HALLCTL" --dsn "postgresql://[::1" migrate
one_line "unreachable server" "^hallctl: cannot connect: .*(No such file|Connection refused)" \
	"$HALLCTL" --dsn "host=/nonexistent port=1 dbname=x connect_timeout=2" migrate
psql -qd hallctl_t -c "CREATE ROLE pw_test LOGIN PASSWORD 'right'"
one_line "wrong password" "^hallctl: cannot connect: .*password authentication failed for user \"pw_test\"" \
	env PGPASSWORD=wrong "$HALLCTL" --dsn "dbname=hallctl_t user=pw_test" migrate
one_line "no password" "^hallctl: cannot connect: .*(no password supplied|password)" \
	env -u PGPASSWORD PGPASSFILE=/nonexistent "$HALLCTL" --dsn "dbname=hallctl_t user=pw_test" migrate

# A bad configuration file is reported by file, line and key.
cfg=$(mktemp)
printf '[database]\nconnect_timeout = 5\nconect_timeout = 5\n' > "$cfg"
one_line "unknown config key" "^hallctl: $cfg:3: \[database\] conect_timeout: " "$HALLCTL" --config "$cfg" --dsn "$DSN" migrate
printf '[ui]\nwarn_days = soon\n' > "$cfg"
one_line "bad config value" "^hallctl: $cfg:2: \[ui\] warn_days: " "$HALLCTL" --config "$cfg" --dsn "$DSN" migrate
rm -f "$cfg"
one_line "unreadable config" "^hallctl: /nonexistent/hallterm.ini" "$HALLCTL" --config /nonexistent/hallterm.ini migrate
one_line "unknown command" "^hallctl: unknown command 'frobnicate'" "$HALLCTL" --dsn "$DSN" frobnicate

tap_done
