#!/usr/bin/env bash
# The terminal's connection (src/db/session.c) sends reads queued together
# in one pipeline (opening a case asks six things at once): against a real
# server, tests/lib/sessiontest checks that each is answered in order and
# on its own (a refusal in the middle refuses only itself, a named
# statement used twice is prepared once), that a change is not pipelined
# (its notification flush follows it), and that a connection ended under a
# pipeline answers every request on the wire DB_LOST and comes back.
#
#   bash tests/integration/session_test.sh      (after `make`)
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/tap.sh

SESSIONTEST=${SESSIONTEST:-$(dirname "${HALLCTL:-build/hallctl}")/tests/sessiontest}
[ -x "$SESSIONTEST" ] || { echo "Bail out! $SESSIONTEST is missing: run make first"; exit 1; }

source tests/lib/cluster.sh
cluster_temp 55458 || { echo "Bail out! cannot start PostgreSQL"; exit 1; }
export LC_ALL=C.UTF-8

psql -X -q -v ON_ERROR_STOP=1 -d postgres <<'SQL' || { echo "Bail out! cannot set the database up"; exit 1; }
CREATE DATABASE session_test;
CREATE ROLE pipe_user LOGIN PASSWORD 'pipe-secret';
\c session_test
CREATE SCHEMA hall;
GRANT USAGE ON SCHEMA hall TO pipe_user;
CREATE FUNCTION hall.flush_notify() RETURNS integer LANGUAGE sql AS 'SELECT 0';
SQL
# the second connection (the one that ends the first) is the superuser's
out=$("$SESSIONTEST" "dbname=session_test user=$PGUSER host=$PGHOST port=$PGPORT" pipe_user pipe-secret 2>"$CLUSTER_TMP/stderr")
echo "# its log: $(tr "\n" " " <"$CLUSTER_TMP/stderr")"
echo "$out" | sed 's/^/# /'

line() { grep -m1 "^$1 " <<<"$out"; }
tap_is "$(line p1)" "p1 ok 42" "a named statement, prepared in the pipeline with its PREPARE"
tap_is "$(line p2)" "p2 ok 14" "a second one"
tap_is "$(line bad)" "bad failed 22012" "a refusal in the middle is its own (division by zero)"
tap_is "$(line after_bad)" "after_bad ok still here" "and refuses nothing after it"
tap_is "$(line p1_again)" "p1_again ok 8" "the first statement again in the same pipeline: not prepared twice"
tap_is "$(line change)" "change ok changed" "a change, after the reads"
tap_is "$(line after_change)" "after_change ok after the change" "and a read after it"
tap_is "$(grep -v '^#' <<<"$out" | head -7 | cut -d' ' -f1 | tr '\n' ' ')" \
	"p1 p2 bad after_bad p1_again change after_change " "answered in the order asked"
tap_is "$(grep -m1 '^batches' <<<"$out")" "batches 2" \
	"two pipelines: the five reads, then the change alone and the read after it with its flush"
tap_is "$(line terminated)" "terminated 1" "the server ended the connection with a pipeline on the wire"
tap_is "$(line slow)" "slow lost -" "the statement it was running: lost (reload to know)"
tap_is "$(line lost1)$(line lost2)" "lost1 lost -lost2 lost -" "the two sent behind it: lost too, none left waiting"
tap_is "$(grep -c '^back ok' <<<"$out")" "2" "the session came back and answers again"
tap_done
