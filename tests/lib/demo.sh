#!/usr/bin/env bash
# `make demo`: the trainer's database under ./var, then hallterm on it.
# Idempotent: a second run reuses the cluster and its data and starts in
# about a second; `make demo-reset` regenerates the data.
set -euo pipefail
dir=$1 port=$2 scale=$3 build=$4 reset=${5:-}
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
cluster_start "$dir" "$port"
psql -Atqc "select 1 from pg_database where datname = 'hall'" | grep -q 1 || createdb hall
"$build/hallctl" --dsn "dbname=hall" migrate >/dev/null
loaded=$(psql -Atqd hall -c "select (select value from hall.settings where key = 'mode') = 'demo' and exists (select 1 from hall.applications)")
if [ "$loaded" != t ] || [ -n "$reset" ]; then
	echo "Generating the demo data ($scale cases)..."
	"$build/hallctl" --dsn "dbname=hall" demo --scale "$scale"
fi
if [ "$reset" = only ]; then
	exit 0
fi
# The screens are Chinese: make sure the terminal side speaks UTF-8.
if ! locale charmap 2>/dev/null | grep -qi 'utf-\?8'; then
	export LC_ALL=C.UTF-8
fi
export HALLTERM_LOCALEDIR=$PWD/$build/locale LANGUAGE=${LANGUAGE:-zh_CN} TZ=Asia/Shanghai
echo "Demo database: host=$dir/run port=$port dbname=hall (accounts: clerk01..clerk20, super01..super03, trainer01; password: demo)"
exec "$build/hallterm" --dsn "host=$dir/run port=$port dbname=hall"
