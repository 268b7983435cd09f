#!/usr/bin/env bash
# Story: a colleague claims a case of the same window; the clerk's queue
# shows it by itself within a second (LISTEN/NOTIFY), and the cursor stays
# on the case the clerk was on.  Then the colleague claims the next one
# from their own hallterm: its notification is deferred past the commit
# (hall.notify = 'deferred', then hall.flush_notify(): schema/005), and
# the clerk's queue still follows within a second.
source "$(dirname "$0")/lib.sh"
e2e_setup

# Prints how many ms until the clerk's counts show one case fewer waiting
# than $waiting (nothing after a second), reading the clerk's screen.
wait_one_less() {
	local i=0
	while [ $i -lt 20 ]; do
		[ "$(e2e_screen | grep -oE '待受理 [0-9]+')" = "待受理 $((waiting - 1))" ] && { echo $((i * 50)); return; }
		sleep 0.05
		i=$((i + 1))
	done
}

e2e_start clerk13 || { tap_ok 1 "log in"; e2e_done; }
e2e_wait "办件号"
screen=$(e2e_screen)
mapfile -t nos < <(grep -oE '^[0-9]{6}-[0-9]{4}' <<<"$screen")
# A waiting case (no one has it) a few rows down, and the cursor on row 3.
target=
for no in "${nos[@]:3}"; do
	if grep -E "^$no " <<<"$screen" | grep -qE '待受理 +受理 +!*-?[0-9]+ *$'; then target=$no; break; fi
done
e2e_keys Down Down
on=${nos[2]}
waiting=$(grep -oE '待受理 [0-9]+' <<<"$screen" | head -1 | cut -d' ' -f2)
tap_ok $([ -n "$target" ] && echo 0 || echo 1) "a waiting case to be claimed by a colleague: $target"
app=$(e2e_psql "select id from hall.applications where case_no = '$target'")
IFS='|' read -r who name < <(e2e_psql "select s.login, s.name from hall.staff s join hall.staff_windows w on w.staff_id = s.id
	join hall.applications a on a.window_code = w.window_code where a.id = $app and s.login <> 'clerk13' order by s.login limit 1")
PGPASSWORD=demo psql -X -q -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U "$who" -d "$E2E_DB" \
	-c "select hall.claim($app)" >/dev/null
tap_ok $? "$who claims $target in another session"
# The claim moves the case (its clock now runs to the due date, further
# down): its old line changes and the counts on top move by one.
waited=$(wait_one_less)
tap_ok $([ -n "$waited" ] && echo 0 || echo 1) "the queue shows the claim within a second ($waited ms), no key pressed"
now=$(e2e_screen)
row=$(grep -E "^$target " <<<"$now")
tap_ok $([ -z "$row" ] || grep -q "$name" <<<"$row"; echo $?) "the case shows its new holder or has moved down the queue"

# The colleague's own hallterm, in a second tmux session: n, y.
main_session=$E2E_SESSION
waiting=$((waiting - 1))
E2E_SESSION=colleague e2e_start "$who" || true
E2E_SESSION=colleague e2e_claim_next
E2E_SESSION=colleague e2e_wait "已受理" 5
tap_ok $? "$who claims the next case from hallterm"
waited=$(wait_one_less)
tap_ok $([ -n "$waited" ] && echo 0 || echo 1) \
	"the clerk's queue shows the colleague's hallterm claim within a second ($waited ms)"
E2E_SESSION=colleague e2e_quit
E2E_SESSION=$main_session

e2e_keys Enter
# The queue's heading says 办件号 too: wait for the case screen's own line.
e2e_wait_re '^办件号 +[0-9]{6}-[0-9]{4} '
tap_like "$(e2e_screen | sed -n 3p)" "$on" "the cursor stayed on the case it was on ($on)"
e2e_keys Escape
e2e_quit
e2e_done
