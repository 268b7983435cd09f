#!/usr/bin/env bash
# The Chinese catalogue is complete: every string marked with _() or N_()
# anywhere in src/ (commands.def included) has a translation, none is fuzzy,
# and the catalogue compiles with msgfmt --check (format strings agree).
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

xgettext --from-code=UTF-8 -k_ -kN_ -L C -o "$tmp/all.pot" $(find src -name '*.c' -o -name '*.def' | sort) 2>"$tmp/xg.err"
tap_is "$?" 0 "xgettext reads every source file" 
n=$(grep -c '^msgid "' "$tmp/all.pot")
tap_ok "$([ "$n" -gt 300 ]; echo $?)" "the sources mark $n strings for translation"
missing=$(msgcmp src/po/zh_CN.po "$tmp/all.pot" 2>&1)
tap_is "$?" 0 "zh_CN.po has every marked string" "$missing"
stats=$(LC_ALL=C msgfmt --check --statistics -o "$tmp/zh_CN.mo" src/po/zh_CN.po 2>&1)
tap_is "$?" 0 "msgfmt --check accepts the catalogue (format strings agree)" "$stats"
tap_like "$stats" '^[0-9]+ translated messages\.$' "no fuzzy and no untranslated message ($stats)"
tap_done
