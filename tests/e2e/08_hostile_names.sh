#!/usr/bin/env bash
# Story: two applicants of window A01 have names with terminal escape
# sequences (ESC ] 0;pwned BEL sets a window title, ESC [2J clears the
# screen).  They must show as visible placeholders and do nothing.
#
# The demo data has no such names (a training room should not see them):
# the story makes its own.  The public submits two cases through the
# portal's function, as a portal role, on a day before any other case of
# the demo; the names then become the hostile ones as the cluster's
# superuser, the way data loaded from an older system would hold them
# (hall.submit itself replaces control characters by spaces).
source "$(dirname "$0")/lib.sh"
e2e_setup

hostile1=$'测试\e]0;pwned\a用户'
hostile2=$'\e[2J清屏者'
e2e_psql "
DO \$\$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'e2e_portal') THEN
		CREATE ROLE e2e_portal NOLOGIN IN ROLE hall_portal;
	END IF;
END \$\$;
SELECT set_config('hall.fake_now', (((hall.today() - 100)::timestamp + time '09:05') AT TIME ZONE 'Asia/Shanghai')::text, false);
SET SESSION AUTHORIZATION e2e_portal;
SELECT hall.submit('SCJG001', '{\"name\": \"测试用户\", \"id_number\": \"230102199003074513\", \"phone\": \"13800138000\"}', 'web');
SELECT hall.submit('SCJG001', '{\"name\": \"清屏者\", \"id_number\": \"230103198511112326\", \"phone\": \"15904510099\"}', 'web');
RESET SESSION AUTHORIZATION;
UPDATE hall.applicants SET name = CASE id_number WHEN '230102199003074513' THEN \$n1\$$hostile1\$n1\$ ELSE \$n2\$$hostile2\$n2\$ END
WHERE id_number IN ('230102199003074513', '230103198511112326');
" >/dev/null
tap_is "$(e2e_psql "SELECT count(*) FROM hall.v_queue q JOIN (SELECT id FROM hall.applications WHERE window_code = 'A01'
                    AND state IN ('submitted', 'in_review', 'returned', 'escalated') ORDER BY sort_due, id LIMIT 2) t ON t.id = q.id
                    WHERE q.applicant_name ~ '\x1b' AND q.channel = 'web'")" 2 \
	"the story's two hostile applicants, submitted through the portal, head A01's queue"

e2e_start clerk01 || { tap_ok 1 "log in"; e2e_done; }
title_before=$(e2e_pane_title)
# Received before every other case and never claimed, they head A01's queue.
e2e_wait "␛[2J清屏者"
tap_ok $? "ESC [2J shows as placeholders (␛[2J) in the queue"
# (the name column may cut the name after "pw": what matters is ESC drawn as ␛)
e2e_wait "测试␛]0;pw"
tap_ok $? "ESC ] 0;pwned BEL shows as placeholders in the queue"
screen=$(e2e_screen)
e2e_shot hostile
tap_is "$(e2e_pane_title)" "$title_before" "the terminal's title did not change"
tap_like "$(sed -n 1p <<<"$screen")" '^ 待办 ' "the screen was not cleared: title line"
tap_like "$screen" '办件号 +事项 +申请人' "the screen was not cleared: headings"
tap_like "$(tail -1 <<<"$screen")" 'F1 帮助' "the key bar is intact"
tap_ok $(grep -q $'\x1b' <<<"$screen" && echo 1 || echo 0) "no escape character reached the screen text"
# The same names, aligned like every other: the channel column still
# starts on the same cell on those rows.
w1=$(e2e_width "$(grep -m1 '清屏者' <<<"$screen" | sed 's/ 网站 .*//')")
w2=$(e2e_width "$(grep -m1 '测试' <<<"$screen" | sed 's/ 网站 .*//')")
tap_is "$w1" "$w2" "the placeholder names take the cells they are drawn in"

# Searching by the start of the name finds one; its case screen shows the
# whole name with the placeholders.
e2e_keys /
e2e_wait_re "办件号（或其中一部分）|办件号、申请人姓名中的任意部分"
e2e_type "测试"
e2e_keys Enter
e2e_wait_re '^[0-9]{6}-[0-9]{4} .*测试'
e2e_keys Enter
# The queue's heading says 申请人 too: wait for the case screen's own line.
e2e_wait_re '^申请人 +测试'
tap_like "$(e2e_screen_both)" '申请人 +测试␛\]0;pwned␇用户' "the case screen shows the whole name, made harmless"
tap_is "$(e2e_pane_title)" "$title_before" "still no title change"
e2e_keys Escape
e2e_quit
e2e_done
