#!/usr/bin/env bash
# Run every whole-screen story (tests/e2e/[0-9]*.sh) against ONE throwaway
# cluster with one demo database; each story prints TAP, this prints a
# summary and fails if any story failed.
set -u
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
: "${BUILD:=build}"
: "${HALLCTL:=$PWD/$BUILD/hallctl}"
: "${E2E_SCALE:=3000}"
: "${E2E_NOW:=2026-11-23 10:00+08}"   # the fixed moment of tests/e2e/lib.sh
export BUILD HALLCTL E2E_NOW
for tool in tmux psql; do
	command -v $tool >/dev/null || { echo "e2e: $tool is missing" >&2; exit 1; }
done
cluster_temp "${E2E_PORT:-55472}" || exit 1
createdb hall_e2e || exit 1
"$HALLCTL" --dsn dbname=hall_e2e migrate >/dev/null || exit 1
"$HALLCTL" --dsn dbname=hall_e2e demo --scale "$E2E_SCALE" --at "$E2E_NOW" >/dev/null || exit 1
echo "# the demo database's clock: $E2E_NOW (E2E_NOW), running"
export E2E_PGHOST=$PGHOST E2E_PGPORT=$PGPORT E2E_PGUSER=$PGUSER E2E_DB=hall_e2e E2E_CLUSTER_DIR=$CLUSTER_TMP

# E2E_ONLY="09 11 29": only those stories (by number), for a developer's run.
stories=(tests/e2e/[0-9]*.sh)
if [ -n "${E2E_ONLY:-}" ]; then
	stories=()
	for n in $E2E_ONLY; do stories+=(tests/e2e/"$n"_*.sh); done
fi
failed=0 total=0
for t in "${stories[@]}"; do
	total=$((total + 1))
	echo "# $t"
	if ! bash "$t"; then
		failed=$((failed + 1))
		echo "# FAILED: $t"
	fi
	# A story that stopped the server must not leave it down.
	cluster_start "$CLUSTER_TMP" "$PGPORT" >/dev/null || true
done
echo "# e2e: $((total - failed)) of $total stories passed"
[ $failed = 0 ]
