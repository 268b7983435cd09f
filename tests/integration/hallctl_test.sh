#!/usr/bin/env bash
# hallctl as an administrator meets it: migrations that apply once, a broken
# migration rolled back and reported by file and line, every way of not
# reaching the database reported in one line with exit status 2, the
# common options before or after the command (as in git), and a --help for
# every command.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/lib/tap.sh
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
cluster_temp "${TEST_PORT:-55433}" || exit 1
createdb hallctl_t
DSN="dbname=hallctl_t"
nfiles=$(ls schema/[0-9]*.sql | wc -l)

out=$("$HALLCTL" migrate --dsn "$DSN" 2>&1); rc=$?
tap_is "$rc" 0 "migrate on an empty database succeeds, --dsn given after the command"
tap_is "$(printf '%s\n' "$out" | grep -c '^applied ')" "$nfiles" "every migration file is applied once"
tap_is "$(psql -Atd hallctl_t -c 'select count(*) from public.hall_migrations')" "$nfiles" "each file is recorded"

before=$(psql -Atd hallctl_t -c "select string_agg(file || applied_at, ',' order by file) from public.hall_migrations")
out=$("$HALLCTL" --dsn "$DSN" migrate 2>&1); rc=$?
tap_is "$rc" 0 "a second migrate succeeds, --dsn given before the command"
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
one_line "unknown common option" "^hallctl: unknown option '--frob'" "$HALLCTL" --frob migrate
one_line "an option without its value" "^hallctl: option '--dsn' needs a value" "$HALLCTL" migrate --dsn
one_line "migrate with an argument" "^hallctl: migrate takes no arguments" "$HALLCTL" migrate --dsn "$DSN" extra
one_line "a second help topic" "^hallctl: help takes at most one command" "$HALLCTL" help migrate demo
one_line "help on an unknown command" "^hallctl: unknown command 'frobnicate'" "$HALLCTL" help frobnicate

# ---- the common options anywhere, as in git --------------------------------
for form in "--dsn=$DSN migrate" "migrate --dsn=$DSN" "-d $DSN migrate" "migrate --schema-dir $PWD/schema --dsn $DSN" \
            "--config /dev/null migrate --dsn $DSN"; do
	# shellcheck disable=SC2086
	out=$("$HALLCTL" $form 2>&1); rc=$?
	tap_is "$rc|$out" "0|schema is up to date ($nfiles migrations)" "hallctl $form"
done
out=$("$HALLCTL" migrate --dsn "dbname=no_such_db" 2>&1); rc=$?
tap_is "$rc" 2 "a --dsn after the command is the one used (a missing database: exit status 2)"
tap_like "$out" 'no_such_db' "and named in the error"
out=$("$HALLCTL" --dsn "dbname=no_such_db" migrate --dsn "$DSN" 2>&1); rc=$?
tap_is "$rc" 0 "the last --dsn wins, wherever it is"
broken=$(mktemp -d)
out=$("$HALLCTL" migrate --dsn "$DSN" --schema-dir "$broken" 2>&1); rc=$?
tap_is "$rc" 2 "--schema-dir after the command is used too (an empty directory: exit status 2)"
tap_like "$out" "no migrations found" "and says so"
rmdir "$broken"

# ---- help: every command, three ways, status 0, on standard output --------
export LANGUAGE=C
out=$("$HALLCTL" --help); rc=$?
tap_is "$rc" 0 "hallctl --help exits 0"
tap_like "$out" "^usage: hallctl " "and prints the usage"
commands=$(printf '%s\n' "$out" | sed -n 's/^  \([a-z]\{2,\}\)  .*/\1/p' | sort -u | tr '\n' ' ')
tap_is "$commands" "calendar cards demo exercise hours migrate notify province report simulate staff " "it lists every command"
tap_is "$("$HALLCTL" help)" "$out" "hallctl help says the same"
tap_is "$("$HALLCTL" -h 2>&1)" "$out" "so does -h"
for cmd in migrate demo staff calendar notify simulate exercise; do
	out=$("$HALLCTL" "$cmd" --help 2>&1); rc=$?
	tap_is "$rc" 0 "hallctl $cmd --help exits 0"
	tap_like "$out" "^usage: hallctl \[OPTIONS\] $cmd" "hallctl $cmd --help prints its usage"
	tap_like "$out" "--dsn CONNINFO" "hallctl $cmd --help lists the common options"
	tap_is "$("$HALLCTL" help "$cmd" 2>&1)" "$out" "hallctl help $cmd says the same"
	tap_is "$("$HALLCTL" --help "$cmd" 2>&1)" "$out" "and hallctl --help $cmd"
	tap_is "$("$HALLCTL" --dsn "host=/nonexistent" "$cmd" -h 2>&1)" "$out" "and $cmd -h, without connecting"
done
tap_like "$("$HALLCTL" demo --help)" "--reset" "demo --help describes --reset"
tap_like "$("$HALLCTL" simulate --help)" "--mix A=W" "simulate --help describes its options"
tap_like "$("$HALLCTL" staff --help)" "staff disable LOGIN\.\.\." "staff --help: disable takes several logins"
unset LANGUAGE

tap_done
