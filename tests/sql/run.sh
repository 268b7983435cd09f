#!/usr/bin/env bash
# The pgTAP suite of the schema.
#
#   tests/sql/run.sh [TEST.sql ...]
#
# Starts a throwaway cluster (or, with SQL_TEST_REUSE=1, uses the one
# PGHOST/PGPORT point at), creates a fresh database, applies schema/0*.sql in
# order (each file in one transaction, as `hallctl migrate` does; with
# HALLCTL=path/to/hallctl, that program applies them), switches the database
# to mode 'test', loads tests/sql/fixture.psql and runs the t*.sql files with
# pg_prove, serially.  SQL_TEST_RUNS=N repeats the whole thing N times in the
# same cluster, each in a new database (fixtures must not collide: roles are
# cluster-wide).  Exits with pg_prove's status.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/cluster.sh
source "$root/tests/lib/cluster.sh"

if [ "${SQL_TEST_REUSE:-0}" != 1 ]; then
	cluster_temp "${SQL_TEST_PORT:-55433}"
fi

if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=("$here"/t*.sql)
fi

status=0
for run in $(seq 1 "${SQL_TEST_RUNS:-1}"); do
	db="hall_sqltest_$$_$run"
	createdb "$db"
	export PGDATABASE=$db
	if [ -n "${HALLCTL:-}" ]; then
		${HALLCTL:+"$HALLCTL"} --dsn "dbname=$db" --schema-dir "$root/schema" migrate >/dev/null
	else
		for f in "$root"/schema/0*.sql; do
			psql -X -v ON_ERROR_STOP=1 -q -1 -d "$db" -f "$f" >/dev/null
		done
	fi
	psql -X -v ON_ERROR_STOP=1 -q -d "$db" <<-'SQL'
		CREATE EXTENSION IF NOT EXISTS pgtap;
		UPDATE hall.settings SET value = 'test' WHERE key = 'mode';
	SQL
	if [ -f "$here/fixture.psql" ]; then
		psql -X -v ON_ERROR_STOP=1 -q -d "$db" -f "$here/fixture.psql" >/dev/null
	fi
	echo "# run $run: database $db"
	rc=0
	pg_prove -d "$db" "${tests[@]}" || rc=$?
	[ "$rc" -ne 0 ] && status=$rc
done
exit $status
