#!/usr/bin/env bash
# The administrator's tasks through hallctl, against a demo database:
# staff accounts that can (and then cannot) log in, and calendar changes
# that move the due dates of open cases at once.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/lib/tap.sh
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
cluster_temp "${TEST_PORT:-55444}" || exit 1
createdb admin_t
DSN="dbname=admin_t"
"$HALLCTL" --dsn "$DSN" migrate >/dev/null && "$HALLCTL" --dsn "$DSN" demo --scale 400 >/dev/null \
	|| { echo "Bail out! no demo database"; exit 1; }
q() { psql -XAtd admin_t -c "$1"; }
login_as() { # login_as USER PASSWORD SQL
	PGPASSWORD=$2 psql -XAtq -U "$1" -d admin_t -c "$3" 2>&1
}
dept=$(q "select department_code from hall.windows where code = 'A01'")

# --- staff ---------------------------------------------------------------
out=$(printf 'long-enough-pw\n' | "$HALLCTL" --dsn "$DSN" staff add newclerk '新来的' clerk "$dept" A01 --password-stdin 2>&1)
tap_is "$?" 0 "staff add with --password-stdin succeeds"
tap_unlike() { if printf '%s' "$1" | grep -q -- "$2"; then tap_ok 1 "$3" "'$2' was printed"; else tap_ok 0 "$3"; fi; }
tap_unlike "$out" "long-enough-pw" "the password read from stdin is not printed"
tap_is "$(login_as newclerk long-enough-pw 'select hall.my_windows()')" "{A01}" "the new clerk logs in and serves A01"
tap_is "$(login_as newclerk long-enough-pw "select count(*) > 0 from hall.v_queue where window_code <> 'A01'")" "f" \
	"the new clerk sees no other window's cases"

out=$("$HALLCTL" --dsn "$DSN" staff add gensup '王科长' supervisor "$dept" 2>&1)
tap_is "$?" 0 "staff add without a password generates one"
pw=$(printf '%s\n' "$out" | sed -n 's/^password (shown once): //p')
tap_like "$pw" '^[a-z0-9]{16}$' "the generated password is shown once"
tap_is "$(login_as gensup "$pw" 'select hall.my_kind()')" "supervisor" "the supervisor logs in with it"

out=$(printf 'long-enough-pw\n' | "$HALLCTL" --dsn "$DSN" staff add Bad-Name x clerk "$dept" A01 --password-stdin 2>&1); rc=$?
tap_is "$rc" 1 "a malformed login is refused (status 1)"
tap_like "$out" '^hallctl: staff add refused: login "Bad-Name"' "and the database says why"
out=$(printf 'short\n' | "$HALLCTL" --dsn "$DSN" staff add shorty x clerk "$dept" A01 --password-stdin 2>&1); rc=$?
tap_is "$rc" 1 "a short password is refused"
tap_like "$out" 'at least 8 characters' "and the database says why"
tap_is "$(q "select count(*) from pg_roles where rolname in ('bad-name', 'shorty')")" 0 "no role was created by a refused add"
out=$("$HALLCTL" --dsn "$DSN" staff add x 2>&1); rc=$?
tap_is "$rc" 2 "staff add with missing arguments is a usage error"

"$HALLCTL" --dsn "$DSN" staff disable newclerk >/dev/null
tap_is "$?" 0 "staff disable succeeds"
tap_like "$(login_as newclerk long-enough-pw 'select 1')" 'not permitted to log in' "the disabled clerk can no longer log in"
tap_like "$("$HALLCTL" --dsn "$DSN" staff list)" 'newclerk +clerk .*disabled' "staff list shows the account disabled"
tap_is "$(q "select string_agg(action, ',' order by id) from hall.audit where note = 'newclerk'")" \
	"staff_add,staff_disable" "adding and disabling the account are audited"

# Several logins: each on its own; any refusal is exit status 1 and named.
out=$("$HALLCTL" staff disable nosuch1 nosuch2 --dsn "$DSN" 2>&1); rc=$?
tap_is "$rc" 1 "staff disable of two unknown logins: both refused, exit status 1"
tap_like "$out" "staff disable: 2 of 2 refused: nosuch1, nosuch2" "and both are named"
out=$("$HALLCTL" staff disable gensup nosuch1 --dsn "$DSN" 2>&1); rc=$?
tap_is "$rc" 1 "one disabled, one refused: exit status 1 too"
tap_like "$out" "disabled gensup" "the one that could be is disabled"
tap_like "$out" "staff disable: 1 of 2 refused: nosuch1" "the refused one is named"
tap_like "$(login_as gensup "$pw" 'select 1')" 'not permitted to log in' "and can no longer log in"
out=$("$HALLCTL" staff disable 2>&1); rc=$?
tap_is "$rc" 2 "staff disable without a login is a usage error"

# --- calendar ------------------------------------------------------------
# An open case with a few working days to run: a new holiday inside its
# clock moves its due date one working day on, at once.
read -r app due < <(q "select id, due_date from hall.applications where state = 'in_review'
	and due_date > hall.today() + 3 order by due_date, id limit 1" | tr '|' ' ')
hol=$(q "select d from hall.days where workday and d > hall.today() and d < '$due' order by d limit 1")
"$HALLCTL" --dsn "$DSN" calendar add "$hol" holiday '临时休假' >/dev/null
tap_is "$?" 0 "calendar add $hol holiday succeeds"
tap_is "$(q "select due_date from hall.applications where id = $app")" "$(q "select hall.workday_add('$due', 1)")" \
	"the open case's due date moved one working day on"
tap_is "$(q "select due_date = hall.workday_add(clock_start, promised_days + extension_days + paused_days)
	from hall.applications where id = $app")" t "and equals the rule computed on the new calendar"
"$HALLCTL" --dsn "$DSN" calendar remove "$hol" >/dev/null
tap_is "$(q "select due_date from hall.applications where id = $app")" "$due" "calendar remove moves it back"
tap_is "$(q "select count(*) from hall.audit where action in ('calendar_set', 'calendar_remove')")" 2 \
	"both calendar changes are audited"

out=$("$HALLCTL" --dsn "$DSN" calendar add 26-1-1 holiday 2>&1); rc=$?
tap_is "$rc" 2 "a malformed date is a usage error"
tap_like "$out" 'YYYY-MM-DD' "and says the expected form"
out=$("$HALLCTL" --dsn "$DSN" calendar add 2026-12-01 vacation 2>&1); rc=$?
tap_is "$rc" 2 "an unknown kind is a usage error"
out=$("$HALLCTL" --dsn "$DSN" calendar add 2026-02-30 holiday 2>&1); rc=$?
tap_is "$rc" 1 "an impossible date is refused by the database"
tap_like "$out" 'calendar add refused: .*2026-02-30' "with the database's reason"
tap_is "$(q "select count(*) from hall.calendar where note = '临时休假'")" 0 "nothing of the refused changes is kept"

tap_is "$(q "select hall.calendar_published(2027)")" f "2027 is not published yet"
"$HALLCTL" --dsn "$DSN" calendar publish 2027 '国办发明电〔2026〕测试' >/dev/null
tap_is "$(q "select hall.calendar_published(2027)")" t "calendar publish 2027 marks it published"
tap_like "$("$HALLCTL" --dsn "$DSN" calendar list 2025)" '2025-10-08  holiday +国庆节' "calendar list shows the official days"
tap_done
