#!/usr/bin/env bash
# Story: the login screen of a demo database, started as `make demo` would
# be by someone whose operating-system user is no database role: the
# training accounts are listed anyway (read through the demo guest), the
# user name is one of them and the cursor is on the password; an empty
# password is refused by the form itself; Up/Down fill the user name.
source "$(dirname "$0")/lib.sh"
e2e_setup

tmux -L "$E2E_SOCK" kill-session -t "=$E2E_SESSION" 2>/dev/null
rm -f "$E2E_TMP/exited"
tmux -L "$E2E_SOCK" new-session -d -s "$E2E_SESSION" -x 80 -y 24 \
	"env -i PATH=/usr/bin:/bin HOME=$E2E_TMP USER=nosuchrole LOGNAME=nosuchrole TERM=screen-256color LANG=C.UTF-8 \
	 LANGUAGE=zh_CN TZ=Asia/Shanghai HALLTERM_LOCALEDIR=$HALLTERM_LOCALEDIR XDG_STATE_HOME=$E2E_TMP/state \
	 $HALLTERM --config $E2E_TMP/hallterm.ini --dsn 'host=$E2E_PGHOST port=$E2E_PGPORT dbname=$E2E_DB'; \
	 rc=\$?; echo \$rc >$E2E_TMP/exited.new && mv $E2E_TMP/exited.new $E2E_TMP/exited; sleep 600"
e2e_wait "可用以下演示账号登录" 10
tap_ok $? "the training accounts are listed before anybody has logged in"
screen=$(e2e_screen)
tap_like "$screen" 'clerk01 +王丽 +窗口人员 +A01' "clerk01 is among them"
tap_like "$screen" '用户名： clerk01' "the user name is a training account, not the operating-system user"
tap_ok $(grep -q nosuchrole <<<"$screen" && echo 1 || echo 0) "the operating-system user is not offered"
tap_like "$(e2e_screen | tail -1)" '回车 登录' "the key bar says Enter logs in"

e2e_keys Enter
e2e_wait "请输入密码"
tap_ok $? "Enter with an empty password: the form asks for it"
tap_is "$(e2e_psql "select count(*) from pg_stat_activity where usename = 'clerk01'")" 0 \
	"and nothing was sent to the server"

e2e_keys Down
e2e_wait '用户名： clerk02'
tap_ok $? "Down fills the user name with the next account"
e2e_type demo
e2e_keys Enter
e2e_wait_re '待办 .*张伟 clerk02' 10
tap_ok $? "the password typed straight away logs clerk02 in (the cursor was on the password)"
e2e_quit

# The cluster's superuser (trusted on the socket: no password asked) is
# no staff member: only then are the training accounts read, and offered.
super=$(e2e_psql "select current_user")
E2E_SESSION=super
tmux -L "$E2E_SOCK" new-session -d -s "$E2E_SESSION" -x 80 -y 24 \
	"env -i PATH=/usr/bin:/bin HOME=$E2E_TMP TERM=screen-256color LANG=C.UTF-8 \
	 LANGUAGE=zh_CN TZ=Asia/Shanghai HALLTERM_LOCALEDIR=$HALLTERM_LOCALEDIR XDG_STATE_HOME=$E2E_TMP/state \
	 $HALLTERM --config $E2E_TMP/hallterm.ini --dsn 'host=$E2E_PGHOST port=$E2E_PGPORT dbname=$E2E_DB user=$super'; sleep 600"
e2e_wait "请在下面选择一个培训账号" 10
tap_ok $? "connected as the superuser ($super), no staff member: the training accounts are offered"
tap_like "$(e2e_screen)" 'clerk01 +王丽 +窗口人员 +A01' "and listed"
tmux -L "$E2E_SOCK" kill-session -t "=$E2E_SESSION" 2>/dev/null
e2e_done
