#!/usr/bin/env bash
# Every test beyond the unit tests: the pgTAP suite, the shell suites
# (integration, concurrency), the whole-screen tests and a short fuzz run.
# Each suite that needs PostgreSQL starts its own throwaway cluster and
# stops it at exit, whatever happens.  Ends with one summary line.
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
export HALLCTL=$PWD/$BUILD/hallctl HALLTERM=$PWD/$BUILD/hallterm RECEIVER=$PWD/$BUILD/tests/receiver
export HALLTERM_LOCALEDIR=$PWD/$BUILD/locale
export TZ=Asia/Shanghai
passed=0 failed=0 failures=""

suite() { # suite NAME COMMAND...
	local name=$1; shift
	echo "== $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1)) failures="$failures $name"
	fi
}

suite "schema (pgTAP)" bash tests/sql/run.sh
# One at a time by default: several tests time what they wait for (pg_cron's
# minute, a dispatcher's lease) and a loaded machine made them late when two
# ran at once.  Each has its own cluster, port and temporary directory, so
# PROVE_JOBS=2 works on a quiet machine.
suite "integration and concurrency" prove -j "${PROVE_JOBS:-1}" --exec bash tests/integration/*_test.sh tests/concurrency/*_test.sh
suite "whole-screen (tmux)" bash tests/e2e/run.sh
suite "fuzz (${FUZZ_SECONDS:-20} s a target)" env FUZZ_BUILD="$PWD/$BUILD/fuzz" bash tests/fuzz/run.sh "${FUZZ_SECONDS:-20}"

[ -z "$failures" ] || echo "failed suites:$failures"
echo "suites: $passed passed, $failed failed"
[ "$failed" = 0 ]
