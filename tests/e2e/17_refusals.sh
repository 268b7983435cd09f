#!/usr/bin/env bash
# Story: every refusal reaches the clerk as one Chinese sentence that says
# what happened and what to do, never in PostgreSQL's or libpq's English.
# A wrong password and an unknown user read the same; a server that is
# down is named, and the clerk is told to press Enter again; once logged
# in, a reply the database refuses says why in Chinese, and a server that
# goes away is named and retried by itself.
source "$(dirname "$0")/lib.sh"
e2e_setup
who=$(e2e_inquiry_clerk 1)

# hallterm for USER at the login screen, without logging in [COLS ROWS].
start_plain() {
	local user=$1 cols=${2:-80} rows=${3:-24}
	tmux -L "$E2E_SOCK" kill-session -t "=$E2E_SESSION" 2>/dev/null
	rm -f "$E2E_TMP/exited"
	tmux -L "$E2E_SOCK" new-session -d -s "$E2E_SESSION" -x "$cols" -y "$rows" \
		"env -i PATH=/usr/bin:/bin HOME=$E2E_TMP TERM=${E2E_TERM:-screen-256color} LANG=C.UTF-8 LANGUAGE=zh_CN \
		 TZ=Asia/Shanghai HALLTERM_LOCALEDIR=$HALLTERM_LOCALEDIR XDG_STATE_HOME=$E2E_TMP/state \
		 $HALLTERM --config $E2E_TMP/hallterm.ini \
		 --dsn 'host=$E2E_PGHOST port=$E2E_PGPORT dbname=$E2E_DB user=$user'; \
		 rc=\$?; echo \$rc >$E2E_TMP/exited.new && mv $E2E_TMP/exited.new $E2E_TMP/exited; \
		 echo \"[hallterm exited \$rc]\"; sleep 600"
}

# Nothing of PostgreSQL's or libpq's own words on the screen.
no_english() {
	local screen
	screen=$(e2e_screen)
	printf '%s' "$screen" | grep -qE 'FATAL|password authentication|does not exist|No such file|Connection refused|connection to server|Is the server|terminating connection|server closed|SQLSTATE|needs at least'
	tap_ok $((! $?)) "$1" "$screen"
}

# ----------------------------------------------------- a wrong password
start_plain "$who"
e2e_wait "请输入密码" 10
e2e_type "not-the-password"
e2e_keys Enter
e2e_wait "用户名或密码不正确" 10
tap_ok $? "a wrong password: one Chinese sentence"
tap_like "$(e2e_screen_both)" '请核对后重新输入' "which says what to do"
no_english "and no English of the server's"
wrong_password=$(e2e_screen | grep -F "用户名或密码不正确")
e2e_quit

# ----------------------------------------------------- an unknown user
start_plain nosuchclerk
e2e_wait "请输入密码" 10
e2e_type "demo"
e2e_keys Enter
e2e_wait "用户名或密码不正确" 10
tap_ok $? "an unknown user: the same sentence"
tap_is "$(e2e_screen | grep -F "用户名或密码不正确")" "$wrong_password" "word for word: it never tells which of the two was wrong"
no_english "and no English of the server's"
e2e_quit

# ----------------------------------------------------- the server is down
e2e_db_stop
start_plain "$who" 200 30
e2e_wait "无法连接数据库服务器" 15
tap_ok $? "the server down at login: a Chinese sentence"
screen=$(e2e_screen)
tap_like "$screen" "无法连接数据库服务器 $E2E_DB @ .*:$E2E_PGPORT（服务器未运行或网络不通）" "it names the server"
tap_like "$screen" '请稍后按 Enter 重试' "and says what to do"
no_english "and no English of libpq's"
e2e_shot login_server_down

e2e_db_start
e2e_type "demo"
e2e_keys Enter
e2e_wait_re '待办|督办|待答复' 15
tap_ok $? "once the server is back, Enter logs in"

# ----------------------------------------------------- a refused reply
e2e_keys 2
e2e_wait "待答复咨询" 10
e2e_wait_re 'Z[0-9]{6}-[0-9]{4}'
e2e_keys R
e2e_wait "您的答复"
e2e_type "好"
e2e_keys F9
e2e_wait "发送此答复吗"
e2e_keys y
e2e_wait "答复内容太短：至少需要 2 个字" 10
tap_ok $? "a reply the database refuses: why, in Chinese, with the limit"
tap_like "$(e2e_screen_both)" '发送未完成：答复内容太短：至少需要 2 个字；请补充后再提交。' "what was not done, what happened, what to do"
no_english "and not the database's English"

# ----------------------------------------------------- the server goes away
e2e_db_stop
e2e_wait "正在自动" 15
tap_ok $? "a lost server: the session says it retries by itself"
tap_like "$(e2e_screen_both)" "数据库服务器 $E2E_DB @" "and names the server"
no_english "in Chinese only"
e2e_db_start
e2e_wait "已重新连接数据库" 20
tap_ok $? "and reconnects"
e2e_keys Escape
e2e_quit
e2e_done
