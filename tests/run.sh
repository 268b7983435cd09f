#!/usr/bin/env bash
# Every test that needs PostgreSQL: the pgTAP suite, then the shell suites
# (integration, concurrency, whole-screen).  Each suite starts its own
# throwaway cluster and stops it at exit, whatever happens.
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
export HALLCTL=$PWD/$BUILD/hallctl HALLTERM=$PWD/$BUILD/hallterm RECEIVER=$PWD/$BUILD/tests/receiver
export HALLTERM_LOCALEDIR=$PWD/$BUILD/locale
export TZ=Asia/Shanghai
failed=0

echo "== schema (pgTAP)"
bash tests/sql/run.sh || failed=1

suites=$(ls tests/integration/*_test.sh tests/concurrency/*_test.sh 2>/dev/null)
echo "== integration and concurrency"
prove --exec bash $suites || failed=1

if [ -f tests/e2e/run.sh ]; then
	echo "== whole-screen (tmux)"
	bash tests/e2e/run.sh || failed=1
fi

if [ $failed = 0 ]; then echo "all suites passed"; else echo "SOME SUITES FAILED"; fi
exit $failed
