#!/usr/bin/env bash
# hallterm refuses to start, with one clear line and its documented exit status, on
# everything that would leave a clerk with a broken screen: a bad or
# unreadable configuration or DSN (status 2), a non-UTF-8 locale or no
# terminal (status 1).  No database is needed: these are checked before connecting.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/tap.sh
HALLTERM=${HALLTERM:-$PWD/build/hallterm}
export HALLTERM_LOCALEDIR=${HALLTERM_LOCALEDIR:-$PWD/build/locale}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

refuses() { # refuses DESCRIPTION REGEX CMD...   (exit status $STATUS, default 2)
	local desc=$1 re=$2; shift 2
	local err rc
	err=$("$@" 2>&1 >/dev/null </dev/null); rc=$?
	tap_is "$rc" "${STATUS:-2}" "$desc: exit status ${STATUS:-2}"
	tap_is "$(printf '%s\n' "$err" | wc -l)" 1 "$desc: one line"
	tap_like "$err" "$re" "$desc: says why"
}

printf '[database]\nconnect_timeout = 5\n\n[ui]\nwarn_days = soon\n' > "$tmp/bad.ini"
refuses "bad value" "^hallterm: $tmp/bad.ini:5: \[ui\] warn_days: expected an integer" \
	env LANG=C.UTF-8 "$HALLTERM" --config "$tmp/bad.ini"
printf '[ui]\ncolours = never\n' > "$tmp/key.ini"
refuses "unknown key" "^hallterm: $tmp/key.ini:2: \[ui\] colours: " env LANG=C.UTF-8 "$HALLTERM" --config "$tmp/key.ini"
printf '[screen]\nmouse = on\n' > "$tmp/sec.ini"
refuses "unknown section" "^hallterm: $tmp/sec.ini:1: \[screen\]" env LANG=C.UTF-8 "$HALLTERM" --config "$tmp/sec.ini"
refuses "missing file" "^hallterm: $tmp/none.ini" env LANG=C.UTF-8 "$HALLTERM" --config "$tmp/none.ini"
refuses "bad DSN" "bad connection string" env LANG=C.UTF-8 "$HALLTERM" --dsn "host=x port"

# The chinese catalogue speaks for the configuration errors too.
err=$(env LANG=C.UTF-8 LANGUAGE=zh_CN "$HALLTERM" --config "$tmp/bad.ini" 2>&1 </dev/null)
tap_like "$err" "warn_days: 应为 0 到 30 之间的整数" "with LANGUAGE=zh_CN the message is in Chinese"

# Terminal checks happen before any connection: point at nothing.
printf '[database]\nconnect_timeout = 1\n' > "$tmp/ok.ini"
STATUS=1 refuses "not UTF-8" "not UTF-8" env LC_ALL=C LANG=C TERM=xterm "$HALLTERM" --config "$tmp/ok.ini" --dsn "host=/nonexistent"
STATUS=1 refuses "not a terminal" "must be a terminal" env LANG=C.UTF-8 TERM=xterm "$HALLTERM" --config "$tmp/ok.ini" --dsn "host=/nonexistent"

# The options a person tries first.
tap_like "$("$HALLTERM" --version)" '^hallterm [0-9]+\.[0-9]+' "--version"
tap_like "$("$HALLTERM" --help)" '--dsn CONNINFO' "--help names the connection option"
out=$("$HALLTERM" --frobnicate 2>&1); rc=$?
tap_is "$rc" 2 "an unknown option: exit status 2"
# The hall's own screens (issue 13): the display and the pad.
tap_like "$("$HALLTERM" --help)" '--display \[LINES\]' "--help names --display [LINES]"
tap_like "$("$HALLTERM" --help)" '--pad WINDOW' "--help names --pad WINDOW"
refuses "--display with --pad" "^hallterm: --display and --pad are two different screens" \
	env LANG=C.UTF-8 "$HALLTERM" --config "$tmp/ok.ini" --display --pad A01
out=$("$HALLTERM" --pad 2>&1); rc=$?
tap_is "$rc" 2 "--pad without its window: exit status 2"
tap_done
