#!/usr/bin/env bash
# The lean history of `make bench` above the demo's cases (tests/bench/run.sh
# when BENCH_SCALE > the demo's 1,000,000): the demo's closed cases again,
# further back in time, until the database holds TARGET cases, with their
# audit rows; nothing else.  Left out of the history: ratings, inquiries and
# replies, materials, returns, extensions, receptions, cards and outbox rows
# (the demo's own 90 days keep all of them).
#
#   tests/bench/history.sh TARGET      (BENCH_DB and the PG* environment, as the superuser)
#
# Copy k (k = 1, 2, ...) is every closed case of the demo (completed,
# rejected, withdrawn, terminated) moved back k * P days, where P is the
# demo's span rounded up to whole weeks (weekdays stay weekdays, no two
# copies share a day), with the id + k * 100,000,000 and the case number of
# its new day; the last copy stops at TARGET.  Open cases are not copied:
# a city's history is closed, its queue is today's.  32,104,514 cases at
# the demo's pace (about 1M cases in 13 weeks) reach back eight years.
#
# How it loads fast enough for an hour (doc/performance.md, "32 million"):
# - session_replication_role = replica (no foreign-key checks, no ordinary
#   triggers), as the demo generator loads; the daily facts' triggers of
#   019 (ENABLE ALWAYS) are switched off too and the facts the history
#   changes (completed_days, accept_misses, platform_days, closed_counts)
#   are computed again at the end in one pass each (hall.facts_rebuild),
#   then the triggers are switched back on (hall.facts_drift() says 0 at
#   4M);
# - every index of hall.applications and hall.audit that the history's
#   rows would enter (full indexes, and partial ones whose predicate holds
#   for some closed case or its audit rows) is dropped first and built
#   again at the end, sorted, HISTORY_JOBS at a time; partial indexes of
#   open cases stay (a closed row only evaluates their predicate); the
#   primary keys stay, the case number's unique constraint is built again;
# - what each copy reads is extracted once (bench_cases, bench_audit:
#   unlogged), so a copy never scans the growing tables;
# - HISTORY_JOBS (default 2) sessions load copies side by side, each copy
#   its own transaction.
# Progress and the time of each step on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/lib.sh
TARGET=${1:?usage: history.sh TARGET}
JOBS=${HISTORY_JOBS:-2}
: "${BENCH_DB:?BENCH_DB}"
q() { bench_psql "$@"; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

t_all=$(now)
have=$(q -c "SELECT count(*) FROM hall.applications")
if [ "$have" -ge "$TARGET" ]; then
	echo "  history: $have cases already, nothing to add"
	exit 0
fi

t=$(now)
q <<'SQL'
SET client_min_messages = warning;
SET session_replication_role = replica;
DROP TABLE IF EXISTS public.bench_cases, public.bench_audit, public.bench_dropped;
CREATE UNLOGGED TABLE public.bench_cases AS
SELECT * FROM hall.applications
WHERE id < 100000000 AND state IN ('completed', 'rejected', 'withdrawn', 'terminated');
CREATE UNLOGGED TABLE public.bench_audit AS
SELECT u.* FROM hall.audit u JOIN public.bench_cases a ON a.id = u.app_id
WHERE u.inquiry_id IS NULL AND u.rating_id IS NULL
ORDER BY u.app_id, u.id;
CREATE INDEX ON public.bench_cases (id);
ANALYZE public.bench_cases, public.bench_audit;

-- Which indexes the history's rows enter: those without a predicate, and
-- those whose predicate holds for a row of the staging tables.
CREATE UNLOGGED TABLE public.bench_dropped (name text, def text, tab text, con text);
DO $$
DECLARE
	r record;
	hit boolean;
BEGIN
	FOR r IN
		SELECT i.indexrelid::regclass AS idx, pg_get_indexdef(i.indexrelid) AS def, i.indrelid::regclass::text AS tab,
		       pg_get_expr(i.indpred, i.indrelid) AS pred, c.conname, i.indisprimary
		FROM pg_index i
		LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
		WHERE i.indrelid IN ('hall.applications'::regclass, 'hall.audit'::regclass, 'hall.case_numbers'::regclass) AND NOT i.indisprimary
	LOOP
		IF r.pred IS NULL THEN
			hit := true;
		ELSE
			EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %s)',
			               CASE r.tab WHEN 'hall.applications' THEN 'public.bench_cases' ELSE 'public.bench_audit' END,
			               r.pred) INTO hit;
		END IF;
		CONTINUE WHEN NOT hit;
		INSERT INTO public.bench_dropped VALUES (r.idx::text, r.def, r.tab, r.conname);
		IF r.conname IS NOT NULL THEN
			EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tab, r.conname);
		ELSE
			EXECUTE format('DROP INDEX %s', r.idx);
		END IF;
	END LOOP;
END $$;
ALTER TABLE hall.applications DISABLE TRIGGER facts_insert;
ALTER TABLE hall.audit DISABLE TRIGGER facts_insert;
SQL
echo "  history: staging ($(q -c "SELECT count(*) FROM public.bench_cases") closed cases, $(q -c "SELECT count(*) FROM public.bench_audit") audit rows a copy), $(q -c "SELECT count(*) FROM public.bench_dropped") indexes dropped: $(took "$t") s"

# The copies: k, its size, the last id it takes.
closed=$(q -c "SELECT count(*) FROM public.bench_cases")
period=$(q -c "SELECT ((max(greatest(received_on, (closed_at AT TIME ZONE 'Asia/Shanghai')::date,
                                   (updated_at AT TIME ZONE 'Asia/Shanghai')::date)) - min(received_on)) / 7 + 1) * 7
               FROM hall.applications WHERE id < 100000000")
ncopies=$(( (TARGET - have + closed - 1) / closed ))
copy_sql() { # k n
	cat <<-SQL
	SET session_replication_role = replica;
	BEGIN;
	INSERT INTO hall.applications (id, case_no, item_id, applicant_id, department_code, window_code, channel, state,
		received_at, received_on, accept_due, accepted_on, clock_start, promised_days, extension_days, paused_days,
		accept_paused, returned_on, due_date, sort_due, claimed_by, claimed_at, escalated_at, escalation_reason,
		escalation_due, return_count, closed_at, closed_by, decision_note, updated_at, queue_rank, green_channel)
	OVERRIDING SYSTEM VALUE
	SELECT a.id + $1 * 100000000::bigint, to_char(a.received_on - $1 * $period, 'YYMMDD') || substr(a.case_no, 7),
	       a.item_id, a.applicant_id, a.department_code, a.window_code, a.channel, a.state,
	       a.received_at - make_interval(days => $1 * $period), a.received_on - $1 * $period, a.accept_due - $1 * $period,
	       a.accepted_on - $1 * $period, a.clock_start - $1 * $period, a.promised_days, a.extension_days, a.paused_days,
	       a.accept_paused, a.returned_on - $1 * $period, a.due_date - $1 * $period, a.sort_due - $1 * $period, a.claimed_by,
	       a.claimed_at - make_interval(days => $1 * $period), a.escalated_at - make_interval(days => $1 * $period),
	       a.escalation_reason, a.escalation_due - $1 * $period, a.return_count,
	       a.closed_at - make_interval(days => $1 * $period), a.closed_by, a.decision_note,
	       a.updated_at - make_interval(days => $1 * $period), a.queue_rank, a.green_channel
	FROM public.bench_cases a
	WHERE a.id <= (SELECT max(id) FROM (SELECT id FROM public.bench_cases ORDER BY id LIMIT $2) x);
	INSERT INTO hall.audit (at, actor, staff_id, action, app_id, applicant_id, from_state, to_state, note, details)
	SELECT u.at - make_interval(days => $1 * $period), u.actor, u.staff_id, u.action, u.app_id + $1 * 100000000::bigint,
	       u.applicant_id, u.from_state, u.to_state, u.note, u.details
	FROM public.bench_audit u
	WHERE u.app_id <= (SELECT max(id) FROM (SELECT id FROM public.bench_cases ORDER BY id LIMIT $2) x);
	INSERT INTO hall.case_numbers (app_id, case_no)
	SELECT a.id, a.case_no FROM hall.applications a
	WHERE a.id > $1 * 100000000::bigint AND a.id < ($1 + 1) * 100000000::bigint;
	COMMIT;
	SQL
}
t=$(now)
pids=()
for ((j = 0; j < JOBS; j++)); do
	(
		for ((k = 1 + j; k <= ncopies; k += JOBS)); do
			n=$(( k < ncopies ? closed : TARGET - have - (ncopies - 1) * closed ))
			t1=$(now)
			copy_sql "$k" "$n" | q >/dev/null
			echo "  history: copy $k ($((k * period)) days back): $n cases, $(took "$t1") s"
		done
	) &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
echo "  history: $ncopies copies, $((TARGET - have)) cases: $(took "$t") s"

# The indexes again, JOBS at a time (largest table's first), then the
# unique constraint on top of its index.
t=$(now)
mapfile -t defs < <(q -c "SELECT name || E'\x1f' || def || E'\x1f' || coalesce(con, '') || E'\x1f' || tab FROM public.bench_dropped
                          ORDER BY tab = 'hall.audit' DESC, def LIKE '%gin%' DESC, name")
pids=()
for ((j = 0; j < JOBS; j++)); do
	(
		for ((i = j; i < ${#defs[@]}; i += JOBS)); do
			IFS=$'\x1f' read -r name def con tab <<<"${defs[$i]}"
			t1=$(now)
			{
				echo "SET maintenance_work_mem = '1GB';"
				echo "$def;"
				if [ -n "$con" ]; then
					echo "ALTER TABLE $tab ADD CONSTRAINT $con UNIQUE USING INDEX ${name#hall.};"
				fi
			} | q >/dev/null
			echo "  history: index $name: $(took "$t1") s"
		done
	) &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
echo "  history: ${#defs[@]} indexes: $(took "$t") s"

t=$(now)
{ q <<'SQL'
SELECT hall.facts_rebuild('{completed_days,accept_misses,platform_days,closed_counts}');
ALTER TABLE hall.applications ENABLE ALWAYS TRIGGER facts_insert;
ALTER TABLE hall.audit ENABLE REPLICA TRIGGER facts_insert;   -- as 019 has it
DROP TABLE public.bench_cases, public.bench_audit, public.bench_dropped;
SQL
} >/dev/null
echo "  history: facts of 019 computed again: $(took "$t") s"
# The cases and their audit rows are vacuumed as autovacuum would have done
# long ago for rows this old: their visibility map set (index-only scans,
# e.g. the dashboard's counts of rejected and withdrawn cases, read no heap)
# and their hint bits written (the first reader does not rewrite the pages).
# The audit log is read by case, through the heap, so its vacuum is not for
# the readers: the copies' rows put it past autovacuum's insert threshold,
# and a worker that had not finished would read and dirty some 20 GB beside
# the first figures.  So far one always has, during the index builds (the
# 32M run of 2026-12-03 17:02: about 12 minutes on it, and this VACUUM
# then took 0.1 s); this makes sure, and run.sh says what autovacuum did.
t=$(now)
q -c "VACUUM (ANALYZE) hall.applications" >/dev/null
q -c "VACUUM ANALYZE hall.completed_days, hall.accept_misses, hall.platform_days" >/dev/null
echo "  history: VACUUM hall.applications: $(took "$t") s"
t=$(now)
q -c "VACUUM hall.audit" >/dev/null
echo "  history: VACUUM hall.audit: $(took "$t") s"
t=$(now)
q -c "ANALYZE" >/dev/null
echo "  history: ANALYZE: $(took "$t") s"
echo "  history: $TARGET cases in $(took "$t_all") s"
