#!/usr/bin/env bash
# Minimal TAP for the shell tests: ok/not ok lines, a plan at the end, and
# a non-zero exit when anything failed.  Source it, call tap_ok/tap_is,
# finish with tap_done.
TAP_N=0
TAP_FAILED=0

tap_ok() {   # tap_ok CONDITION-STATUS DESCRIPTION [DIAGNOSTIC]
	TAP_N=$((TAP_N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $TAP_N - $2"
	else
		echo "not ok $TAP_N - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

tap_is() {   # tap_is GOT EXPECTED DESCRIPTION
	if [ "$1" = "$2" ]; then
		tap_ok 0 "$3"
	else
		tap_ok 1 "$3" "got:      '$1'
expected: '$2'"
	fi
}

tap_like() { # tap_like GOT REGEX DESCRIPTION
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		tap_ok 0 "$3"
	else
		tap_ok 1 "$3" "got:      '$1'
expected to match: '$2'"
	fi
}

tap_done() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" = 0 ] || { echo "# $TAP_FAILED of $TAP_N failed"; exit 1; }
}
