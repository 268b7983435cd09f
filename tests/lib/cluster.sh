#!/usr/bin/env bash
# A private PostgreSQL cluster on a Unix socket only, for the tests and the
# trainer's demo.  Source this file, then:
#
#   cluster_start DIR [PORT]   initdb DIR/data if needed, start it with its
#                              socket in DIR/run, export PGHOST/PGPORT/PGUSER
#   cluster_stop  DIR          stop it (fast shutdown)
#
# PostgreSQL refuses to run as root, so as root the server runs as the
# `postgres` system user, which must own DIR.  It never listens on TCP and
# never touches the machine's default cluster or port 5432.  Local
# connections by the superuser are trusted; every other role needs its
# password (scram), so the password tests are real.

cluster_pgbin() {
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
	echo "cluster: no PostgreSQL server binaries (initdb) found" >&2
	return 1
}

# Run a command as the cluster owner.
cluster_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

cluster_start() {
	local dir=$1 port=${2:-55432} bin super
	bin=$(cluster_pgbin) || return 1
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ "$(id -u)" = 0 ]; then
		super=postgres
		chown postgres: "$dir"
	else
		super=$(id -un)
	fi
	cluster_as_owner mkdir -p "$dir/run"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		cluster_as_owner "$bin/initdb" -D "$dir/data" -U "$super" -E UTF8 \
			--locale=C.UTF-8 --auth-local=trust --auth-host=reject >"$dir/initdb.log" 2>&1 \
			|| { echo "cluster: initdb failed, see $dir/initdb.log" >&2; return 1; }
		# The superuser is trusted on the socket; everybody else logs in
		# with a password, as clerks do in the hall.
		cluster_as_owner sh -c "printf 'local all %s trust\nlocal all all scram-sha-256\n' '$super' > '$dir/data/pg_hba.conf'"
	fi
	export PGHOST="$dir/run" PGPORT="$port" PGUSER="$super" PGDATABASE=postgres
	if cluster_as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		return 0
	fi
	# pg_cron (postgresql-15-cron), when installed, runs the red and yellow
	# cards job (schema/017) in the database CLUSTER_CRON_DB (default hall,
	# the demo's): it connects through the socket as the superuser.
	local cron=""
	if [ -f "$("$bin/pg_config" --pkglibdir 2>/dev/null || echo /nonexistent)/pg_cron.so" ] ||
	   [ -f "$(dirname "$bin")/lib/pg_cron.so" ]; then
		cron="-c shared_preload_libraries=pg_cron -c cron.database_name=${CLUSTER_CRON_DB:-hall} -c cron.host=$dir/run"
	fi
	# CLUSTER_SETTINGS: more server settings for this start, as "-c name=value ..."
	# (e.g. "-c wal_level=logical" for logical replication); none by default.
	cluster_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
		-o "-c listen_addresses='' -k $dir/run -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB -c timezone=Asia/Shanghai -c log_min_messages=warning $cron ${CLUSTER_SETTINGS:-}" \
		>/dev/null || { echo "cluster: start failed, see $dir/server.log" >&2; tail -5 "$dir/server.log" >&2; return 1; }
}

cluster_stop() {
	local dir=$1 bin
	bin=$(cluster_pgbin) || return 1
	[ -f "$dir/data/PG_VERSION" ] || return 0
	cluster_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# A fresh temporary cluster that is stopped and removed when the calling
# shell exits, whatever the reason.
cluster_temp() {
	CLUSTER_TMP=$(mktemp -d /tmp/hallterm-pg.XXXXXX)
	[ "$(id -u)" = 0 ] && chmod 755 "$CLUSTER_TMP"
	trap 'cluster_stop "$CLUSTER_TMP"; rm -rf "$CLUSTER_TMP"' EXIT
	trap 'exit 130' INT TERM
	cluster_start "$CLUSTER_TMP" "${1:-55433}"
}
