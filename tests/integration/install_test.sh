#!/usr/bin/env bash
# `make install` honours PREFIX and DESTDIR and installs what an
# administrator needs: both programs, the schema, the catalogue, man pages.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/tap.sh
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make --no-print-directory install DESTDIR="$dest" PREFIX=/opt/hall >"$dest.log" 2>&1
tap_is "$?" 0 "make install DESTDIR=… PREFIX=/opt/hall succeeds" 
rm -f "$dest.log"
for f in bin/hallterm bin/hallctl share/hallterm/schema/001_roles.sql share/hallterm/schema/demo/demo.sql \
	share/locale/zh_CN/LC_MESSAGES/hallterm.mo share/man/man1/hallctl.1; do
	tap_ok "$([ -f "$dest/opt/hall/$f" ]; echo $?)" "installs /opt/hall/$f"
done
tap_ok "$([ -f "$dest/etc/hallterm/hallterm.ini.example" ]; echo $?)" "installs the example configuration under /etc/hallterm"
tap_like "$("$dest/opt/hall/bin/hallctl" --version)" '^hallctl [0-9]' "the installed hallctl runs"
tap_like "$("$dest/opt/hall/bin/hallterm" --version)" '^hallterm [0-9]' "the installed hallterm runs"
tap_is "$(find "$dest" -path "$dest/opt" -prune -o -path "$dest/etc" -prune -o -type f -print | wc -l)" 0 \
	"nothing is installed outside PREFIX and /etc"
tap_done
