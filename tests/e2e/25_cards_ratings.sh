#!/usr/bin/env bash
# Story: red and yellow cards, and the department's ratings.  The
# database's scheduler issues the cards (here: one run of
# hall.issue_cards(), as pg_cron does every minute); a clerk sees their
# open cards on the queue header, the supervisor the cards per clerk on
# the timeliness screen.  Then 3 shows the supervisor the department's
# ratings per clerk; Enter on a clerk lists their bad ratings, Enter on
# one opens the case it rates.
source "$(dirname "$0")/lib.sh"
e2e_setup

issued=$(e2e_psql "select hall.issue_cards()")
tap_ok "$([ "${issued:-0}" -gt 0 ] && echo 0 || echo 1)" "the scheduled run issues cards on the demo ($issued)"
tap_is "$(e2e_psql "select hall.issue_cards()")" 0 "a second run issues none: one card per item and rule"

# ---- the clerk: their open cards on the queue header --------------------
read -r clerk red yellow < <(e2e_psql "select s.login,
		count(*) filter (where k.color = 'red'), count(*) filter (where k.color = 'yellow')
	from hall.cards k join hall.staff s on s.id = k.staff_id
	where k.cleared_at is null and s.kind = 'clerk' and s.department_code = 'SCJG'
	group by s.login order by count(*) desc, s.login limit 1" | tr '|' ' ')
tap_ok "$([ -n "$clerk" ] && echo 0 || echo 1)" "a clerk of SCJG holds open cards ($clerk: red $red, yellow $yellow)"
e2e_start "$clerk" || tap_ok 1 "$clerk logs in"
e2e_wait "红牌 $red  黄牌 $yellow" 10
tap_ok $? "the queue header shows $clerk's open cards: 红牌 $red 黄牌 $yellow"
e2e_shot cards_clerk
e2e_quit

# ---- the supervisor: cards per clerk -------------------------------------
e2e_start super01 || { tap_ok 1 "super01 logs in"; e2e_done; }
e2e_wait "本时段发牌" 10
tap_ok $? "the timeliness screen counts the cards of the period"
totals=$(PGPASSWORD=demo psql -X -At -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U super01 -d "$E2E_DB" -c \
	"select sum(red) || ' ' || sum(yellow) from hall.card_counts(date_trunc('month', hall.today())::date, hall.today())")
read -r t_red t_yellow <<<"$totals"
tap_like "$(e2e_screen)" "本时段发牌：红牌 $t_red，黄牌 $t_yellow" "the department's totals are the database's (red $t_red, yellow $t_yellow)"
name=$(e2e_psql "select name from hall.staff where login = '$clerk'")
crow=$(PGPASSWORD=demo psql -X -At -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U super01 -d "$E2E_DB" -c \
	"select red || '/' || yellow from hall.card_counts(date_trunc('month', hall.today())::date, hall.today())
	 where login = '$clerk'")
e2e_keys /
e2e_wait "在本列表中查找"
e2e_keys C-u   # the last text looked for is offered again
e2e_type "$name"
e2e_keys Enter
sleep 0.5
tap_like "$(e2e_screen | grep -F "$name" | head -1)" " $crow *\$" "$name's row ends with the cards issued, red/yellow: $crow"
e2e_shot cards_supervisor

# ---- 3: the department's ratings per clerk ------------------------------
e2e_keys 3
e2e_wait "部门评价" 10
e2e_wait "按人员" 10
tap_ok $? "3 opens the department's ratings for the supervisor, not their own"
read -r bad_login bad_name bad_n < <(PGPASSWORD=demo psql -X -At -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U super01 -d "$E2E_DB" -c \
	"select login, name, bad from hall.department_ratings(date_trunc('month', hall.today())::date, hall.today())
	 where bad > 0 order by bad desc, login limit 1" | tr '|' ' ')
total=$(PGPASSWORD=demo psql -X -At -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U super01 -d "$E2E_DB" -c \
	"select sum(ratings) || ' ' || sum(bad) from hall.department_ratings(date_trunc('month', hall.today())::date, hall.today())")
read -r n_ratings n_bad <<<"$total"
tap_like "$(e2e_screen)" "评价 $n_ratings 条.*差评 $n_bad" "the totals are the department's: $n_ratings ratings, $n_bad bad"
rows=$(PGPASSWORD=demo psql -X -At -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U super01 -d "$E2E_DB" -c \
	"select count(*) from hall.department_ratings(date_trunc('month', hall.today())::date, hall.today())")
tap_ok "$([ "$rows" -gt 1 ] && echo 0 || echo 1)" "more than one clerk's row ($rows)"
e2e_shot dept_ratings
tap_ok "$([ -n "$bad_login" ] && echo 0 || echo 1)" "a clerk of SCJG has bad ratings this month ($bad_name: $bad_n)"
e2e_keys /
e2e_wait "在本列表中查找"
e2e_keys C-u   # the last text looked for is offered again
e2e_type "$bad_name"
e2e_keys Enter
sleep 0.3
e2e_keys Enter
e2e_wait "$bad_name ($bad_login) 的差评" 10
tap_ok $? "Enter on $bad_name lists their bad and commented ratings"
case_no=$(PGPASSWORD=demo psql -X -At -h "$E2E_PGHOST" -p "$E2E_PGPORT" -U super01 -d "$E2E_DB" -c \
	"select a.case_no from hall.ratings r join hall.staff s on s.id = r.staff_id
	   join hall.applications a on r.kind = 'application' and a.id = r.target_id
	 where s.login = '$bad_login' and r.level <= 2
	   and r.rated_at >= date_trunc('month', hall.today()::timestamp) at time zone 'Asia/Shanghai'
	 order by (select x.closed_at is null from hall.rectifications x where x.rating_id = r.id) desc nulls last,
	          r.rated_at desc, r.id desc limit 1")
e2e_wait "$case_no" 10
tap_ok $? "the list shows the rated case $case_no"
e2e_shot dept_ratings_clerk
e2e_keys /
e2e_wait "在本列表中查找"
e2e_keys C-u   # the last text looked for is offered again
e2e_type "$case_no"
e2e_keys Enter
sleep 0.3
e2e_keys Enter
e2e_wait_re "^办件号 +$case_no " 10
tap_ok $? "Enter on the rating opens the case it rates ($case_no)"
e2e_keys Escape
e2e_wait "的差评" 10
e2e_keys s
e2e_wait "整改" 10
tap_ok $? "s opens the rating in full, with its rectification"

# E on the table: the department's ratings as CSV, without the mark.
e2e_keys Escape
e2e_wait "的差评" 10
e2e_keys Escape
e2e_wait "按人员（回车" 10
e2e_keys E
e2e_wait "保存为"
e2e_keys C-u
e2e_type "$E2E_TMP/ratings.csv"
e2e_keys Enter
e2e_wait "字节顺序标记"
e2e_keys n
e2e_wait "已保存 CSV" 10
tap_ok $? "E saves the department's ratings as CSV"
out=$(python3 - "$E2E_TMP/ratings.csv" <<'EOF'
import csv, sys
raw = open(sys.argv[1], 'rb').read()
print('bom' if raw.startswith(b'\xef\xbb\xbf') else 'nobom')
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))
print(len(rows), sum(int(r['评价数']) for r in rows), sum(int(r['差评']) for r in rows))
EOF
)
tap_is "$(echo "$out" | sed -n 1p)" "nobom" "no byte-order mark when not asked for"
tap_is "$(echo "$out" | sed -n 2p)" "$rows $n_ratings $n_bad" "a CSV reader finds one row per clerk and the same totals"

e2e_done
