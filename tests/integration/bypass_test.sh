#!/usr/bin/env bash
# The bypass suite: staff who log in with psql as their own roles try to
# break the database's rules (tests/bypass/attempts.sql, whose header
# describes the format), on a throwaway demo hall.  For every attempt the
# runner, as the superuser:
#
#   1. has the placeholders (:my_case, :other_case, ...), computed afresh
#      after any attempt that changed something (one that wrongly succeeded
#      may have used a case up);
#   2. has a fingerprint: per table of every schema but the system ones, its
#      row count and the md5 of its rows; per catalog (pg_proc, pg_class,
#      pg_attribute, pg_roles, pg_auth_members, pg_trigger, pg_namespace,
#      pg_policy, pg_type, pg_operator, the database's ACL, role and
#      database settings, ...) an md5, objects of the system schemas only
#      counted; objects in temporary schemas left out: they die with their
#      session, a little after its psql exits;
#   3. runs the attempt as its role (password demo) in one psql session with
#      ON_ERROR_STOP and VERBOSITY verbose, and reads the SQLSTATE of the
#      first error (or "ok");
#   4. takes the fingerprint again (it is the next attempt's "before": only
#      read-only queries come in between, and the GRANT and REVOKE of
#      TEMPORARY of some attempts, after which the database's ACL is
#      hashed again) and checks the SQLSTATE, the
#      message directives (hide, shape), the superuser checks of a
#      successful attempt, and that the fingerprint is exactly the same (a
#      successful attempt may change only the tables its "-- changes:" line
#      names; a refused one nothing at all, audit log included).
#
# Then three stories that need more than one session: a clerk listening on
# every channel while others work (payloads carry only a window or a
# department code), a claim made 1.5 s into a transaction (stamped with the
# time it was made), and the open session of a clerk who is disabled
# meanwhile (it reads nothing more).
#
#   bash tests/integration/bypass_test.sh           (after `make all`)
#   BYPASS_ONLY=REGEX bash tests/integration/bypass_test.sh
#                      only the attempts whose "ROLE description" matches;
#                      the stories are left out
#   BYPASS_ATTEMPTS=FILE                             another attempts file
#   KEEP_WORK=1                                      keep the work directory
#
# The fingerprints, placeholders and grants go through one superuser psql
# kept open (a fifo), so an attempt costs little more than its own login.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HALLCTL=${HALLCTL:-$ROOT/build/hallctl}
if [ ! -x "$HALLCTL" ]; then
	make -C "$ROOT" all >/dev/null 2>&1 || { echo "Bail out! $HALLCTL is missing and make all failed"; exit 1; }
fi
HALLCTL=$(cd "$(dirname "$HALLCTL")" && pwd)/$(basename "$HALLCTL")
ATTEMPTS=${BYPASS_ATTEMPTS:-$ROOT/tests/bypass/attempts.sql}
[ -r "$ATTEMPTS" ] || { echo "Bail out! $ATTEMPTS is missing"; exit 1; }
ONLY=${BYPASS_ONLY:-}

source tests/lib/cluster.sh
source tests/lib/tap.sh
export LC_ALL=C.UTF-8 TZ=Asia/Shanghai
cluster_temp 55476 || { echo "Bail out! cannot start PostgreSQL"; exit 1; }

WORK=$(mktemp -d /tmp/hallterm-bypass.XXXXXX)
chmod 755 "$WORK"
SESS_PIDS=()
SESS_FDS=()
# cluster_temp's own EXIT trap (stop and remove the cluster) runs after ours.
eval "set -- $(trap -p EXIT)"
CLUSTER_TRAP=${3:-}
cleanup() {
	local fd p
	for fd in "${SESS_FDS[@]}"; do eval "exec $fd>&-" 2>/dev/null || true; done
	for p in "${SESS_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${SESS_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	if [ -n "${KEEP_WORK:-}" ]; then echo "# kept $WORK" >&2; else rm -rf "$WORK"; fi
	eval "$CLUSTER_TRAP"
}
trap cleanup EXIT

DB=bypass
PASSWORD=demo
SUPER=(psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB")

bail() { echo "Bail out! $*"; exit 1; }
tap_skip() { # tap_skip DESCRIPTION REASON
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}
q() { "${SUPER[@]}" -c "$1"; }
login_dsn() { echo "host=$PGHOST port=$PGPORT dbname=$DB user=$1"; }
as_user() { # as_user ROLE SQL: SQL in one session of a staff or portal login
	PGPASSWORD=$PASSWORD psql -X -At -q -v ON_ERROR_STOP=1 "$(login_dsn "$1")" -c "$2"
}

# ---- sessions kept open ----------------------------------------------------------
# A psql reading from a fifo; its output (and notifications) go to a file.
sess_open() { # sess_open NAME CONNINFO
	local fd
	mkfifo "$WORK/$1.in"
	PGPASSWORD=$PASSWORD psql -X -At -v VERBOSITY=verbose "$2" <"$WORK/$1.in" >"$WORK/$1.out" 2>&1 &
	SESS_PIDS+=($!)
	exec {fd}>"$WORK/$1.in"
	SESS_FDS+=("$fd")
	eval "SESS_FD_$1=$fd"
}
sess_send() { # sess_send NAME TEXT
	local fd
	eval "fd=\$SESS_FD_$1"
	printf '%s\n' "$2" >&"$fd"
}
sess_sync() { # sess_sync NAME MARK: wait (up to 30 s) until the session has printed MARK
	local k
	sess_send "$1" "\\echo $2"
	for k in $(seq 600); do
		grep -qx -- "$2" "$WORK/$1.out" && return 0
		sleep 0.05
	done
	return 1
}
sess_between() { # sess_between NAME MARK1 MARK2: what the session printed between the two marks
	sed -n "/^$2\$/,/^$3\$/p" "$WORK/$1.out" | sed '1d;$d'
}

# The superuser's session, for the fingerprints, the placeholders and the
# grants: psql reads SQL from one fifo and writes its results to another,
# which su_call reads up to a mark; no polling, no process per call.
su_open() {
	mkfifo "$WORK/su.in" "$WORK/su.pipe"
	psql -X -At -q -v VERBOSITY=verbose -d "$DB" <"$WORK/su.in" >"$WORK/su.pipe" 2>"$WORK/su.err" &
	SESS_PIDS+=($!)
	exec {SU_IN}>"$WORK/su.in"
	exec {SU_OUT}<"$WORK/su.pipe"
	SESS_FDS+=("$SU_IN" "$SU_OUT")
}
# su_call ITEM...: each ITEM is a file (starting with /) or one line of SQL;
# the lines printed are left in SU_LINES.
SU_N=0
su_call() {
	local item mark line
	SU_N=$((SU_N + 1))
	mark="-- su done $SU_N"
	for item in "$@"; do
		case $item in
		/*) printf '\\i %s\n' "$item" >&"$SU_IN" ;;
		*) printf '%s\n' "$item" >&"$SU_IN" ;;
		esac
	done
	printf '\\echo %s\n' "$mark" >&"$SU_IN"
	SU_LINES=()
	while IFS= read -r -t 120 -u "$SU_OUT" line; do
		[ "$line" = "$mark" ] && return 0
		SU_LINES+=("$line")
	done
	echo "# the superuser's session did not answer: $(tail -3 "$WORK/su.err")"
	return 1
}

# ---- the demo hall ------------------------------------------------------------
createdb "$DB" || bail "createdb failed"
"$HALLCTL" --dsn "dbname=$DB" migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log"; bail "migrate failed"; }
"$HALLCTL" --dsn "dbname=$DB" demo --scale 400 --at '2026-11-23 10:00+08' >"$WORK/demo.log" 2>&1 \
	|| { cat "$WORK/demo.log"; bail "hallctl demo failed"; }
[ "$(q "SELECT hall.mode()")" = demo ] || bail "the demo database is not in mode 'demo'"
q "DO \$\$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'bypass_portal') THEN
		CREATE ROLE bypass_portal LOGIN PASSWORD '$PASSWORD' IN ROLE hall_portal;
	END IF;
END \$\$;
GRANT CONNECT ON DATABASE $DB TO bypass_portal" >/dev/null || bail "cannot create bypass_portal"

# Material for the attempts, made the way the hall makes it (through the
# functions, as the portal and the clerks), so that the attempts do not
# depend on what the demo generator happens to produce: cases submitted
# through the portal (SCJG001 is served by A01 only, SCJG002 by A02 only,
# RSJ001 by A03 only) and claimed by their clerks, and what is described
# below.  RSJ is another department than super01's SCJG.
setup_material() {
	local r1 r2 rating mine theirs
	as_user bypass_portal "
		SELECT hall.submit(s.item, jsonb_build_object('name', '申请人' || s.tag || g,
		                   'id_number', '110105199001' || s.tag || lpad(g::text, 3, '0') || '7',
		                   'phone', '139' || s.tag || lpad(g::text, 6, '0')), 'web')
		FROM (VALUES ('SCJG001', '11', 26), ('SCJG002', '22', 8), ('RSJ001', '33', 3)) s(item, tag, n),
		     generate_series(1, s.n) g" >/dev/null || { SETUP_LINE=$LINENO; return 1; }
	# clerk01: cases in review; one escalated, one with an extension
	# request, one approved and rated badly (a rectification is open).
	[ "$(as_user clerk01 "SELECT count(hall.claim_next('A01')) FROM generate_series(1, 18)")" = 18 ] \
		|| { SETUP_LINE=$LINENO; return 1; }
	mine=$(as_user clerk01 "
		SELECT hall.escalate(min(id), '申请材料涉及跨部门核查，请科长决定')
		FROM hall.applications WHERE state = 'in_review' AND claimed_by = hall.my_id();
		SELECT hall.request_extension(min(id), 5, '需要现场核查经营场所')
		FROM hall.applications WHERE state = 'in_review' AND claimed_by = hall.my_id()
		  AND id NOT IN (SELECT app_id FROM hall.extensions WHERE state = 'pending');
		SELECT min(id) FROM hall.applications WHERE state = 'in_review' AND claimed_by = hall.my_id()
		  AND id NOT IN (SELECT app_id FROM hall.extensions WHERE state = 'pending')" | tail -1) \
		&& [ -n "$mine" ] || { SETUP_LINE=$LINENO; return 1; }
	as_user clerk01 "SELECT hall.approve($mine, '准予')" >/dev/null || { SETUP_LINE=$LINENO; return 1; }
	as_user bypass_portal "SELECT hall.rate('application', $mine, 1, '态度不好')" >/dev/null \
		|| { SETUP_LINE=$LINENO; return 1; }
	# clerk02: a case in review at A02, and an approved one rated badly,
	# the rating under appeal.
	theirs=$(as_user clerk02 "SELECT hall.claim_next('A02'); SELECT hall.claim_next('A02')" | tail -1) \
		&& [ -n "$theirs" ] || { SETUP_LINE=$LINENO; return 1; }
	as_user clerk02 "SELECT hall.approve($theirs, '准予')" >/dev/null || { SETUP_LINE=$LINENO; return 1; }
	rating=$(as_user bypass_portal "SELECT hall.rate('application', $theirs, 2, '等得太久')") && [ -n "$rating" ] \
		|| { SETUP_LINE=$LINENO; return 1; }
	as_user clerk02 "SELECT hall.appeal($rating, '延误系系统故障所致，与本人无关')" >/dev/null || { SETUP_LINE=$LINENO; return 1; }
	# RSJ: an escalated case with an extension pending, a bad rating under
	# appeal, an open inquiry.
	r1=$(as_user clerk03 "SELECT hall.claim_next('A03')") && [ -n "$r1" ] || { SETUP_LINE=$LINENO; return 1; }
	as_user clerk03 "SELECT hall.request_extension($r1, 3, '等待社保中心出具证明');
	                 SELECT hall.escalate($r1, '材料真实性存疑，请科长审核')" >/dev/null || { SETUP_LINE=$LINENO; return 1; }
	r2=$(as_user clerk03 "SELECT hall.claim_next('A03')") && [ -n "$r2" ] || { SETUP_LINE=$LINENO; return 1; }
	as_user clerk03 "SELECT hall.approve($r2, '准予')" >/dev/null || { SETUP_LINE=$LINENO; return 1; }
	rating=$(as_user bypass_portal "SELECT hall.rate('application', $r2, 1, '态度差')") && [ -n "$rating" ] \
		|| { SETUP_LINE=$LINENO; return 1; }
	as_user clerk03 "SELECT hall.appeal($rating, '申请人对办理结果不满，与服务无关')" >/dev/null || { SETUP_LINE=$LINENO; return 1; }
	# Inquiries: five open in SCJG, one in RSJ.
	as_user bypass_portal "
		SELECT hall.ask('web', d, jsonb_build_object('name', '咨询人' || g, 'phone', '1370000000' || g),
		                '营业执照变更', '请问变更经营范围需要哪些材料？')
		FROM (VALUES ('SCJG', 5), ('RSJ', 1)) v(d, n), generate_series(1, v.n) g" >/dev/null \
		|| { SETUP_LINE=$LINENO; return 1; }
	# A failed notification in each of SCJG and RSJ (by hand: only the
	# dispatcher fails a message).
	q "UPDATE hall.outbox o SET state = 'failed', failed_at = o.created_at, attempts = 5, http_status = 400,
	          last_error = 'bypass test: gateway refused'
	   WHERE o.id IN (SELECT min(x.id) FROM hall.outbox x JOIN hall.applications a ON a.id = x.app_id
	                  WHERE a.department_code IN ('SCJG', 'RSJ') AND x.state = 'pending'
	                  GROUP BY a.department_code)" >/dev/null || { SETUP_LINE=$LINENO; return 1; }
}
SETUP_LINE=?
setup_material || bail "setting up the material of the attempts failed (line $SETUP_LINE of $0)"

# ---- placeholders -------------------------------------------------------------
# One row per placeholder: ph|name|value (value empty when there is none left).
cat >"$WORK/placeholders.sql" <<'SQL'
WITH me AS (SELECT id FROM hall.staff WHERE login = 'clerk01'),
     clerk02 AS (SELECT id, login, name FROM hall.staff WHERE login = 'clerk02'),
     my_case AS (
	SELECT a.* FROM hall.applications a
	WHERE a.window_code = 'A01' AND a.state = 'in_review' AND a.claimed_by = (SELECT id FROM me)
	  AND NOT EXISTS (SELECT 1 FROM hall.extensions e WHERE e.app_id = a.id AND e.state = 'pending')
	ORDER BY a.id LIMIT 1),
     my_sub AS (
	SELECT a.* FROM hall.applications a
	WHERE a.window_code = 'A01' AND a.state = 'submitted' AND a.claimed_by IS NULL
	  AND EXISTS (SELECT 1 FROM hall.window_items wi WHERE wi.window_code = a.window_code AND wi.item_id = a.item_id)
	ORDER BY a.id LIMIT 1),
     other_case AS (
	SELECT a.* FROM hall.applications a
	WHERE a.window_code = 'A02' AND a.state = 'in_review' AND a.claimed_by = (SELECT id FROM clerk02)
	ORDER BY a.id LIMIT 1),
     other_sub AS (
	SELECT a.* FROM hall.applications a
	WHERE a.window_code = 'A02' AND a.state = 'submitted' AND a.claimed_by IS NULL ORDER BY a.id LIMIT 1),
     other_app AS (
	SELECT p.id, p.name FROM hall.applicants p
	WHERE EXISTS (SELECT 1 FROM hall.applications a WHERE a.applicant_id = p.id AND a.window_code = 'A02')
	  AND NOT EXISTS (SELECT 1 FROM hall.applications a WHERE a.applicant_id = p.id AND a.window_code = 'A01')
	ORDER BY p.id LIMIT 1),
     my_inq AS (
	SELECT q.* FROM hall.inquiries q WHERE q.department_code = 'SCJG' AND q.state = 'open' ORDER BY q.id LIMIT 1),
     other_inq AS (
	SELECT q.* FROM hall.inquiries q WHERE q.department_code = 'RSJ' AND q.state = 'open' ORDER BY q.id LIMIT 1),
     my_rating AS (
	SELECT r.* FROM hall.ratings r JOIN hall.rectifications x ON x.rating_id = r.id
	WHERE r.staff_id = (SELECT id FROM me) AND r.level <= 2
	ORDER BY x.closed_at IS NULL DESC, r.id LIMIT 1),
     other_rating AS (
	SELECT r.* FROM hall.ratings r WHERE r.staff_id = (SELECT id FROM clerk02) ORDER BY r.level, r.id LIMIT 1),
     other_dept_case AS (
	SELECT a.* FROM hall.applications a
	WHERE a.department_code = 'RSJ' AND a.state = 'escalated'
	  AND EXISTS (SELECT 1 FROM hall.extensions e WHERE e.app_id = a.id AND e.state = 'pending')
	ORDER BY a.id LIMIT 1),
     other_dept_rating AS (
	SELECT r.* FROM hall.ratings r WHERE r.department_code = 'RSJ' AND r.appeal_state = 'pending' ORDER BY r.id LIMIT 1),
     other_dept_outbox AS (
	SELECT o.id FROM hall.outbox o JOIN hall.applications a ON a.id = o.app_id
	WHERE a.department_code = 'RSJ' AND o.state = 'failed' ORDER BY o.id LIMIT 1),
     my_dept_esc AS (
	SELECT a.id FROM hall.applications a
	WHERE a.department_code = 'SCJG' AND a.state = 'escalated' ORDER BY a.id LIMIT 1),
     my_dept_ext AS (
	SELECT e.app_id AS id FROM hall.extensions e JOIN hall.applications a ON a.id = e.app_id
	WHERE a.department_code = 'SCJG' AND e.state = 'pending'
	  AND a.state IN ('submitted', 'in_review', 'returned', 'escalated') ORDER BY e.id LIMIT 1),
     my_dept_appeal AS (
	SELECT r.id FROM hall.ratings r WHERE r.department_code = 'SCJG' AND r.appeal_state = 'pending' ORDER BY r.id LIMIT 1),
     my_dept_outbox AS (
	SELECT o.id FROM hall.outbox o JOIN hall.applications a ON a.id = o.app_id
	WHERE a.department_code = 'SCJG' AND o.state = 'failed' ORDER BY o.id LIMIT 1),
     unrated AS (
	SELECT a.id FROM hall.applications a
	WHERE a.state = 'completed' AND a.closed_by IS NOT NULL
	  AND NOT EXISTS (SELECT 1 FROM hall.ratings r WHERE r.kind = 'application' AND r.target_id = a.id)
	ORDER BY a.id LIMIT 1)
SELECT 'ph|' || k || '|' || coalesce(v, '') FROM (VALUES
	('my_case', (SELECT id::text FROM my_case)),
	('my_case_no', (SELECT case_no FROM my_case)),
	('my_applicant', (SELECT applicant_id::text FROM my_case)),
	('my_submitted_case', (SELECT id::text FROM my_sub)),
	('my_inquiry', (SELECT id::text FROM my_inq)),
	('my_rating', (SELECT id::text FROM my_rating)),
	('other_case', (SELECT id::text FROM other_case)),
	('other_case_no', (SELECT case_no FROM other_case)),
	('other_window', (SELECT window_code FROM other_case)),
	('other_holder', (SELECT name FROM clerk02)),
	('other_submitted_case', (SELECT id::text FROM other_sub)),
	('other_submitted_case_no', (SELECT case_no FROM other_sub)),
	('other_applicant', (SELECT id::text FROM other_app)),
	('other_applicant_name', (SELECT name FROM other_app)),
	('other_inquiry', (SELECT id::text FROM other_inq)),
	('other_inquiry_ref', (SELECT ref FROM other_inq)),
	('other_inquiry_dept', (SELECT department_code FROM other_inq)),
	('other_rating', (SELECT id::text FROM other_rating)),
	('other_rating_login', (SELECT login::text FROM clerk02)),
	('other_rating_name', (SELECT name FROM clerk02)),
	('other_dept_case', (SELECT id::text FROM other_dept_case)),
	('other_dept_case_no', (SELECT case_no FROM other_dept_case)),
	('other_dept', (SELECT department_code FROM other_dept_case)),
	('other_dept_rating', (SELECT id::text FROM other_dept_rating)),
	('other_dept_outbox', (SELECT id::text FROM other_dept_outbox)),
	('my_dept_escalated_case', (SELECT id::text FROM my_dept_esc)),
	('my_dept_extension_case', (SELECT id::text FROM my_dept_ext)),
	('my_dept_appeal', (SELECT id::text FROM my_dept_appeal)),
	('my_dept_outbox', (SELECT id::text FROM my_dept_outbox)),
	('completed_case', (SELECT id::text FROM unrated)),
	('missing_case', (SELECT (coalesce(max(id), 0) + 1000000)::text FROM hall.applications)),
	('missing_applicant', (SELECT (coalesce(max(id), 0) + 1000000)::text FROM hall.applicants)),
	('missing_inquiry', (SELECT (coalesce(max(id), 0) + 1000000)::text FROM hall.inquiries)),
	('missing_rating', (SELECT (coalesce(max(id), 0) + 1000000)::text FROM hall.ratings)),
	('today', (SELECT hall.today()::text))
) p(k, v);
SQL

# ---- fingerprint ----------------------------------------------------------------
# One line per table (schema.table|count:md5 of its rows, in the order a
# sequential scan reads them: a refused write leaves that order alone, so no
# sort is needed) and per catalog (catalog:name|md5).
# Objects of the system schemas (pg_catalog, information_schema), which
# only a superuser may change, are counted; those of every other schema but
# the temporary ones are hashed in full.
cat >"$WORK/catalogs.sql" <<'SQL'
WITH ns AS (
	SELECT oid, nspname FROM pg_catalog.pg_namespace
	WHERE nspname !~ '^pg_(toast_)?temp_' AND nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
), sys AS (
	SELECT oid FROM pg_catalog.pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema', 'pg_toast')
)
SELECT 'catalog:system objects|' || concat_ws(',',
	(SELECT count(*) FROM pg_catalog.pg_proc WHERE pronamespace IN (SELECT oid FROM sys)),
	(SELECT count(*) FROM pg_catalog.pg_class WHERE relnamespace IN (SELECT oid FROM sys)),
	(SELECT count(*) FROM pg_catalog.pg_type WHERE typnamespace IN (SELECT oid FROM sys)),
	(SELECT count(*) FROM pg_catalog.pg_operator WHERE oprnamespace IN (SELECT oid FROM sys)))
UNION ALL
SELECT 'catalog:pg_proc|' || md5(coalesce(string_agg(concat_ws('|', p.oid, p.pronamespace, p.proname, md5(p.prosrc),
	p.proconfig::text, p.prosecdef, p.provolatile, p.proowner, p.proacl::text), E'\n' ORDER BY p.oid), ''))
FROM pg_catalog.pg_proc p JOIN ns ON ns.oid = p.pronamespace
UNION ALL
SELECT 'catalog:pg_class|' || md5(coalesce(string_agg(concat_ws('|', c.oid, c.relname, c.relnamespace, c.relkind, c.relowner,
	c.relacl::text, c.relrowsecurity, c.relforcerowsecurity, c.reloptions::text), E'\n' ORDER BY c.oid), ''))
FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace
UNION ALL
SELECT 'catalog:pg_attribute|' || md5(coalesce(string_agg(concat_ws('|', a.attrelid, a.attnum, a.attname, a.atttypid,
	a.attisdropped, a.attacl::text), E'\n' ORDER BY a.attrelid, a.attnum), ''))
FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace
UNION ALL
SELECT 'catalog:pg_roles|' || md5(coalesce(string_agg(concat_ws('|', r.oid, r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole,
	r.rolcreatedb, r.rolcanlogin, r.rolreplication, r.rolbypassrls, r.rolconnlimit, r.rolvaliduntil, r.rolconfig::text),
	E'\n' ORDER BY r.oid), ''))
FROM pg_catalog.pg_roles r
UNION ALL
SELECT 'catalog:pg_auth_members|' || md5(coalesce(string_agg(concat_ws('|', m.roleid, m.member, m.admin_option),
	E'\n' ORDER BY m.roleid, m.member), ''))
FROM pg_catalog.pg_auth_members m
UNION ALL
SELECT 'catalog:pg_trigger|' || md5(coalesce(string_agg(concat_ws('|', t.oid, t.tgrelid, t.tgname, t.tgenabled, t.tgfoid),
	E'\n' ORDER BY t.oid), ''))
FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN ns ON ns.oid = c.relnamespace
UNION ALL
SELECT 'catalog:pg_namespace|' || md5(coalesce(string_agg(concat_ws('|', n.oid, n.nspname, n.nspowner, n.nspacl::text),
	E'\n' ORDER BY n.oid), ''))
FROM pg_catalog.pg_namespace n WHERE n.nspname !~ '^pg_(toast_)?temp_'
UNION ALL
SELECT 'catalog:pg_policy|' || md5(coalesce(string_agg(concat_ws('|', p.oid, p.polname, p.polrelid, p.polcmd,
	p.polpermissive, p.polroles::text, pg_catalog.pg_get_expr(p.polqual, p.polrelid),
	pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)), E'\n' ORDER BY p.oid), ''))
FROM pg_catalog.pg_policy p
UNION ALL
SELECT 'catalog:pg_type|' || md5(coalesce(string_agg(concat_ws('|', t.oid, t.typname, t.typnamespace, t.typowner),
	E'\n' ORDER BY t.oid), ''))
FROM pg_catalog.pg_type t JOIN ns ON ns.oid = t.typnamespace
UNION ALL
SELECT 'catalog:pg_operator|' || md5(coalesce(string_agg(concat_ws('|', o.oid, o.oprname, o.oprnamespace, o.oprcode),
	E'\n' ORDER BY o.oid), ''))
FROM pg_catalog.pg_operator o JOIN ns ON ns.oid = o.oprnamespace
UNION ALL
SELECT 'catalog:pg_db_role_setting|' || md5(coalesce(string_agg(concat_ws('|', s.setdatabase, s.setrole,
	s.setconfig::text), E'\n' ORDER BY s.setdatabase, s.setrole), ''))
FROM pg_catalog.pg_db_role_setting s
UNION ALL
SELECT 'catalog:pg_default_acl|' || md5(coalesce(string_agg(concat_ws('|', a.defaclrole, a.defaclnamespace,
	a.defaclobjtype, a.defaclacl::text), E'\n' ORDER BY a.oid), ''))
FROM pg_catalog.pg_default_acl a
UNION ALL
SELECT 'catalog:pg_extension|' || md5(coalesce(string_agg(concat_ws('|', e.extname, e.extversion), E'\n' ORDER BY e.oid), ''))
FROM pg_catalog.pg_extension e
UNION ALL
SELECT 'catalog:pg_event_trigger|' || md5(coalesce(string_agg(concat_ws('|', e.evtname, e.evtenabled, e.evtfoid),
	E'\n' ORDER BY e.oid), ''))
FROM pg_catalog.pg_event_trigger e;
SQL
# The table part is generated once, from the tables there are after the
# setup: a table created later shows in pg_class, one dropped makes its line
# go missing.
"${SUPER[@]}" >"$WORK/tables.sql" <<'SQL' || bail "cannot list the tables"
SELECT string_agg(format($f$SELECT %L || '|' || count(*) || ':' || md5(coalesce(string_agg(t::text, E'\n'), '')) FROM %I.%I t$f$,
                         n.nspname || '.' || c.relname, n.nspname, c.relname),
                  E'\nUNION ALL\n' ORDER BY n.nspname, c.relname) || ';'
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname !~ '^pg_(toast_)?temp_';
SQL
grep -q "'hall.audit'" "$WORK/tables.sql" || bail "no hall tables to fingerprint"
DERIVED_FACTS="hall.completed_days hall.rating_days hall.answer_facts hall.accept_misses hall.platform_days hall.closed_counts"
# The database's ACL alone: what a GRANT TEMPORARY changes.
cat >"$WORK/database.sql" <<'SQL'
SELECT 'catalog:pg_database|' || md5(coalesce(string_agg(concat_ws('|', d.datname, d.datacl::text, d.datallowconn,
	d.datconnlimit), E'\n' ORDER BY d.oid), ''))
FROM pg_catalog.pg_database d;
SQL
cat "$WORK/tables.sql" "$WORK/catalogs.sql" "$WORK/database.sql" >"$WORK/fingerprint.sql"

# The superuser's session: no parallel or synchronized scans, so a table's
# rows always come in the same order.
su_open
su_call "SET max_parallel_workers_per_gather = 0; SET synchronize_seqscans = off;" "SELECT 'su ok';" \
	&& [ "${SU_LINES[*]}" = "su ok" ] || bail "the superuser's session does not work: $(cat "$WORK/su.err")"

# ---- the attempts file ------------------------------------------------------------
shopt -s extglob
trim() { local _t=${1##+([[:space:]])}; printf -v "$2" "%s" "${_t%%+([[:space:]])}"; }
N_ATT=0
declare -a A_ROLE A_EXPECT A_DESC A_CHANGES A_HIDE A_SHAPE A_CHECKS A_TEMP A_LINE A_SQL
parse_attempts() {
	local line lineno=0 cur=0 v re='^-- attempt: ([a-z][a-z0-9_]*) ([^ ]+) (.+)$'
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		if [[ $line =~ $re ]]; then
			N_ATT=$((N_ATT + 1)); cur=$N_ATT
			A_ROLE[cur]=${BASH_REMATCH[1]} A_EXPECT[cur]=${BASH_REMATCH[2]} A_DESC[cur]=${BASH_REMATCH[3]}
			A_CHANGES[cur]="" A_HIDE[cur]="" A_SHAPE[cur]="" A_CHECKS[cur]="" A_TEMP[cur]="" A_LINE[cur]=$lineno
			A_SQL[cur]=""
			continue
		fi
		[ "$cur" = 0 ] && continue
		case $line in
		'-- changes:'*) A_CHANGES[cur]+=" ${line#-- changes:}" ;;
		'-- hide:'*) A_HIDE[cur]+=" ${line#-- hide:}" ;;
		'-- shape:'*) trim "${line#-- shape:}" v; A_SHAPE[cur]=$v ;;
		'-- check:'*) trim "${line#-- check:}" v; A_CHECKS[cur]+="$v"$'\n' ;;
		'-- temp:'*) trim "${line#-- temp:}" v; A_TEMP[cur]=$v ;;
		esac
		A_SQL[cur]+="$line"$'\n'
	done <"$ATTEMPTS"
	for cur in $(seq "$N_ATT"); do
		printf '%s' "${A_SQL[cur]}" >"$WORK/attempt-$cur.sql"
	done
}
parse_attempts
[ "$N_ATT" -gt 0 ] || bail "no attempts in $ATTEMPTS"

# SU_LINES of a fingerprint, from index $1 up to a line "-- end", into the
# associative array named $2; sets SU_NEXT to the index after the end.
declare -A FP_CUR FP_AFTER FP_NEXT FP_ACL CHECK_OUT PH
take_fingerprint() { # take_fingerprint START ARRAY
	local k=$1 line
	local -n arr=$2
	arr=()
	while [ "$k" -lt "${#SU_LINES[@]}" ]; do
		line=${SU_LINES[k]}
		k=$((k + 1))
		[ "$line" = "-- end" ] && break
		arr[${line%%|*}]=${line#*|}
	done
	SU_NEXT=$k
}
take_placeholders() { # take_placeholders START
	local k=$1 line rest
	PH=()
	for ((; k < ${#SU_LINES[@]}; k++)); do
		line=${SU_LINES[k]}
		[[ $line == ph\|* ]] || continue
		rest=${line#ph|}
		PH[${rest%%|*}]=${rest#*|}
	done
}
FP="$WORK/fingerprint.sql"
END="\\echo -- end"
PLACEHOLDERS="$WORK/placeholders.sql"

declare -A SHAPE_REF SHAPE_REF_DESC
run_attempt() { # run_attempt I: the fingerprint before is FP_CUR, the placeholders PH
	local i=$1 role=${A_ROLE[$1]} expect=${A_EXPECT[$1]} desc="${A_ROLE[$1]} → ${A_EXPECT[$1]}: ${A_DESC[$1]}"
	local f="$WORK/attempt-$i.sql" out="$WORK/out-$i.txt" sql="${A_SQL[$1]}${A_CHECKS[$1]}"
	local name missing="" rc got="" msg="" line alt okcode=1 bad k grant="" revoke="" c n res content re changed
	local -a vars=() outlines=()
	local gucs="-c statement_timeout=30000 -c lock_timeout=10000"

	if [ "${A_TEMP[$i]}" = grant ]; then
		grant="GRANT TEMPORARY ON DATABASE $DB TO $role;"
		revoke="REVOKE TEMPORARY ON DATABASE $DB FROM $role;"
	fi
	for name in "${!PH[@]}"; do
		[ -z "${PH[$name]}" ] || continue
		re="(^|[^:]):['\"]?$name(['\"]|[^a-z0-9_]|\$)"
		[[ $sql =~ $re ]] && missing+=" :$name"
	done
	for name in ${A_HIDE[$i]}; do
		[ -n "${PH[$name]:-}" ] || missing+=" $name (hide)"
	done
	if [ -n "$missing" ]; then
		tap_ok 1 "$desc" "line ${A_LINE[$i]}: no value for$missing (the demo ran out of material)"
		return
	fi
	for name in "${!PH[@]}"; do
		vars+=(-v "$name=${PH[$name]}")
		k=${PH[$name]//\\/\\\\}
		gucs+=" -c bypass.$name=${k// /\\ }"
	done
	if [ -n "$grant" ]; then
		# Only the database's ACL changes.
		su_call "$grant" "$WORK/database.sql" "$END" || bail "the superuser's session is gone"
		take_fingerprint 0 FP_ACL
		for k in "${!FP_ACL[@]}"; do FP_CUR[$k]=${FP_ACL[$k]}; done
	fi

	PGPASSWORD=$PASSWORD PGOPTIONS="$gucs" psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose "${vars[@]}" \
		"host=$PGHOST port=$PGPORT dbname=$DB user=$role" -f "$f" >"$out" 2>&1
	rc=$?
	# The fingerprint after, and (after the revoke) the next attempt's
	# fingerprint before.
	su_call "$FP" "$END" ${revoke:+"$revoke" "$WORK/database.sql" "$END"} || bail "the superuser's session is gone"
	take_fingerprint 0 FP_AFTER
	FP_NEXT=()
	for k in "${!FP_AFTER[@]}"; do FP_NEXT[$k]=${FP_AFTER[$k]}; done
	if [ -n "$revoke" ]; then
		take_fingerprint "$SU_NEXT" FP_ACL
		for k in "${!FP_ACL[@]}"; do FP_NEXT[$k]=${FP_ACL[$k]}; done
	fi

	mapfile -t outlines <"$out"
	printf -v content '%s\n' "${outlines[@]}"
	for line in "${outlines[@]}"; do
		if [[ $line =~ ERROR:\ \ ([0-9A-Z]{5}):\ (.*)$ ]]; then
			got=${BASH_REMATCH[1]} msg=${BASH_REMATCH[2]}
			break
		fi
	done
	if [ "$rc" = 0 ]; then
		got=ok msg=""
	elif [ -z "$got" ]; then
		got="exit status $rc, no SQLSTATE"
	fi
	for alt in ${expect//|/ }; do [ "$alt" = "$got" ] && okcode=0; done
	if [ "$okcode" = 0 ]; then
		tap_ok 0 "$desc"
	else
		tap_ok 1 "$desc" "line ${A_LINE[$i]}: got $got
${content:0:1200}"
	fi

	# What a refusal says.
	if [ -n "${A_HIDE[$i]// /}" ]; then
		bad=""
		for name in ${A_HIDE[$i]}; do
			[[ $content == *"${PH[$name]}"* ]] && bad+=" $name (${PH[$name]})"
		done
		if [ "$got" = ok ]; then
			tap_ok 1 "$desc: names nothing it must hide" "it was not refused"
		else
			[ -z "$bad" ]
			tap_ok "$?" "$desc: names nothing it must hide" "the output names$bad:
${content:0:400}"
		fi
	fi
	if [ -n "${A_SHAPE[$i]}" ]; then
		local shape="${A_SHAPE[$i]}" norm=${msg//+([0-9])/N}
		if [ -z "${SHAPE_REF[$shape]+x}" ]; then
			SHAPE_REF[$shape]=$norm SHAPE_REF_DESC[$shape]=${A_DESC[$i]}
		else
			tap_is "$norm" "${SHAPE_REF[$shape]}" "$desc: same words as '${SHAPE_REF_DESC[$shape]}'"
		fi
	fi

	# The superuser's checks of what a successful attempt stored, in the
	# superuser's session with the same placeholders (psql variables).
	if [ -n "${A_CHECKS[$i]}" ]; then
		local -a items=() checks=()
		for name in "${!PH[@]}"; do
			k=${PH[$name]//\\/\\\\}
			items+=("\\set $name '${k//\'/\\\'}'")
		done
		while IFS= read -r c; do
			[ -n "${c// /}" ] || continue
			checks+=("$c")
			c=${c%%+([[:space:];])}
			items+=("$c;" "$END")
		done <<<"${A_CHECKS[$i]}"
		if [ "$got" = ok ]; then
			su_call "${items[@]}" || bail "the superuser's session is gone"
		fi
		SU_NEXT=0
		for n in "${!checks[@]}"; do
			if [ "$got" != ok ]; then
				tap_skip "$desc: check $((n + 1))" "refused ($got), nothing stored"
				continue
			fi
			take_fingerprint "$SU_NEXT" CHECK_OUT
			res=""
			for k in "${!CHECK_OUT[@]}"; do res+=$k; done
			tap_is "$res" t "$desc: check $((n + 1)): ${checks[n]}"
		done
	fi

	# Nothing else changed.  The daily facts of 019 are derived from the
	# tables an allowed change writes (kept by their triggers): they may
	# change with it, never alone.
	bad=""
	for k in "${!FP_CUR[@]}" "${!FP_AFTER[@]}"; do
		[ "${FP_CUR[$k]-MISSING}" = "${FP_AFTER[$k]-MISSING}" ] && continue
		[[ $bad == *" $k"* ]] && continue
		if [ "$got" = ok ] && [[ " ${A_CHANGES[$i]} " == *" $k "* ]]; then
			continue
		fi
		if [ "$got" = ok ] && [ -n "${A_CHANGES[$i]// /}" ] && [[ " $DERIVED_FACTS " == *" $k "* ]]; then
			continue
		fi
		bad+=" $k"
	done
	if [ "$got" = ok ] && [ -n "${A_CHANGES[$i]// /}" ]; then
		local changes
		trim "${A_CHANGES[$i]}" changes
		[ -z "$bad" ]
		tap_ok "$?" "$desc: nothing but ${changes//+( )/ } changed" "changed:$bad"
	else
		[ -z "$bad" ]
		tap_ok "$?" "$desc: nothing changed" "changed:$bad"
	fi

	# The next attempt's placeholders: the same, unless something changed.
	changed=""
	for k in "${!FP_CUR[@]}" "${!FP_NEXT[@]}"; do
		[ "${FP_CUR[$k]-MISSING}" = "${FP_NEXT[$k]-MISSING}" ] || { changed=1; break; }
	done
	FP_CUR=()
	for k in "${!FP_NEXT[@]}"; do FP_CUR[$k]=${FP_NEXT[$k]}; done
	if [ -n "$changed" ]; then
		su_call "$PLACEHOLDERS" || bail "the superuser's session is gone"
		take_placeholders 0
	fi
}

su_call "$FP" "$END" "$PLACEHOLDERS" || bail "no fingerprint"
take_fingerprint 0 FP_CUR
take_placeholders 0
[ "${#FP_CUR[@]}" -gt 20 ] && [ -n "${FP_CUR[hall.audit]:-}" ] || bail "the fingerprint is incomplete: $(cat "$WORK/su.err")"
n_run=0
for i in $(seq "$N_ATT"); do
	if [ -n "$ONLY" ] && ! [[ "${A_ROLE[$i]} ${A_DESC[$i]}" =~ $ONLY ]]; then
		continue
	fi
	run_attempt "$i"
	n_run=$((n_run + 1))
done
echo "# $n_run of the $N_ATT attempts of $ATTEMPTS run"
if [ -n "$ONLY" ]; then tap_done; exit; fi

# ---- listening on every channel --------------------------------------------------------
# Anybody may LISTEN to any channel, so a payload may say no more than the
# listener could read anyway: a window code (hall_queue; '' = every window),
# a department code (hall_inquiries, hall_ratings), nothing (hall_outbox).
q "SELECT code FROM hall.windows" >"$WORK/windows.txt"
q "SELECT code FROM hall.departments" >"$WORK/departments.txt"
sess_open listen "$(login_dsn clerk01)"
sess_send listen 'LISTEN hall_queue; LISTEN hall_inquiries; LISTEN hall_ratings; LISTEN hall_outbox;'
if sess_sync listen LISTENING; then
	a02=$(as_user clerk02 "SELECT hall.claim_next('A02')")
	[ -n "$a02" ] && as_user clerk02 "SELECT hall.approve($a02, '准予许可')" >/dev/null
	as_user bypass_portal "SELECT hall.submit('SCJG002', '{\"name\": \"旁听\", \"id_number\": \"110105199001019999\", \"phone\": \"13912345678\"}', 'app')" >/dev/null
	as_user bypass_portal "SELECT hall.ask('hotline', 'RSJ', '{\"name\": \"来电人\", \"phone\": \"13812345678\"}', '社保转移', '如何办理社保关系转移？')" >/dev/null
	[ -n "$a02" ] && as_user bypass_portal "SELECT hall.rate('application', $a02, 2, '等得太久')" >/dev/null
	# Notifications are printed after the next statement's result; give
	# the last one a moment to arrive first.
	sess_send listen 'SELECT pg_sleep(0.3);'
	sess_sync listen HEARD
fi
notes="$WORK/notifications.txt"
sed -nE 's/^Asynchronous notification "([^"]*)"( with payload "(.*)")? received from server process with PID [0-9]+\.$/\1|\3/p' \
	"$WORK/listen.out" >"$notes"
for ch in hall_queue hall_inquiries hall_ratings hall_outbox; do
	case $ch in
	hall_queue) allowed="$WORK/windows.txt" what="a window code or nothing" ;;
	hall_outbox) allowed=/dev/null what="nothing" ;;
	*) allowed="$WORK/departments.txt" what="a department code" ;;
	esac
	heard=$(grep -c "^$ch|" "$notes")
	bad=$(grep "^$ch|" "$notes" | cut -d'|' -f2- | grep -v '^$' | grep -vxF -f "$allowed" | head -3)
	if [ "$heard" = 0 ]; then
		tap_ok 1 "clerk01 listening on $ch hears $what" "heard nothing on $ch:
$(head -5 "$WORK/listen.out")"
	else
		tap_ok "$([ -z "$bad" ]; echo $?)" "clerk01 listening on $ch hears $what ($heard heard)" "payloads: $bad"
	fi
done

# ---- back-dating: a claim is stamped with the time it is made ------------------------
# hall.now() at the start of the transaction, the claim 1.5 s later: its
# audit row must not carry the transaction's start.
bd=$(PGPASSWORD=$PASSWORD psql -X -At -q -v ON_ERROR_STOP=1 "$(login_dsn clerk01)" 2>&1 <<'SQL'
BEGIN;
SELECT hall.now()::text AS t0 \gset
SELECT pg_sleep(1.5);
SELECT hall.claim_next('A01') AS claimed \gset
COMMIT;
\echo BD|:t0|:claimed
SQL
)
IFS='|' read -r _ t0 claimed <<<"$(printf '%s\n' "$bd" | grep '^BD|')"
if [ -z "${claimed:-}" ] || [ "$claimed" = ":claimed" ]; then
	tap_ok 1 "a claim made 1.5 s into a transaction is stamped with the time it was made" "no claim: $bd"
else
	res=$(q "SELECT (x.at >= '$t0'::timestamptz + interval '1.5 s')::text || '|' || x.at
	         FROM hall.audit x WHERE x.app_id = $claimed AND x.action = 'claim' ORDER BY x.id DESC LIMIT 1")
	tap_ok "$([ "${res%%|*}" = true ]; echo $?)" "a claim made 1.5 s into a transaction is stamped with the time it was made" \
		"the transaction began at $t0 (hall.now()), the audit row says ${res#*|}"
fi

# ---- a disabled clerk's open session reads nothing more -----------------------------------
sess_open gone "$(login_dsn clerk20)"
sess_sync gone READY
sess_send gone 'SELECT count(*) > 0 FROM hall.staff;'
sess_sync gone BEFORE
tap_is "$(sess_between gone READY BEFORE)" t "clerk20's open session reads hall.staff before being disabled (the session works)"
q "SELECT hall.staff_disable('clerk20')" >/dev/null || tap_ok 1 "the superuser disables clerk20"
k=0
for stmt in "SELECT count(*) FROM hall.staff;" "SELECT * FROM hall.settings;" \
            "SELECT hall.claim_next('A02');" "SELECT count(*) FROM hall.applications;"; do
	k=$((k + 1))
	sess_sync gone "M$k-START"
	sess_send gone "$stmt"
	sess_sync gone "M$k-END"
	got=$(sess_between gone "M$k-START" "M$k-END")
	if printf '%s\n' "$got" | grep -q 'ERROR: *42501'; then
		ok=0
	else
		case $stmt in
		*claim_next*) ok=1 ;;
		*count*) ok=$([ "$got" = 0 ]; echo $?) ;;
		*) ok=$([ -z "$got" ]; echo $?) ;;
		esac
	fi
	tap_ok "$ok" "clerk20 disabled, its open session: $stmt refused (42501) or empty" "got: $(printf '%s\n' "$got" | head -3)"
done

tap_done
