#!/usr/bin/env bash
# The front desk's item search answers as the clerk types: hall.find_items
# over the seed city's 1,379 items (the demo's 63 and generated ones, each
# with two situations and their materials), one query a keystroke, as a
# clerk through row-level security.  Each figure is the median of
# RECEIVE_BENCH_RUNS runs in one psql session (the terminal keeps one
# connection), printed beside a raw baseline of the same run (SELECT 1:
# the round trip alone) as a ratio; fails when a keystroke is over 20 ms.
#
#   bash tests/bench/receive_bench.sh          (after `make`; or via `make bench`)
#
# Under tests/bench/run.sh it uses that cluster (PG* environment) with a
# small demo database of its own (the search does not read cases); alone
# it starts a throwaway cluster.
set -euo pipefail
cd "$(dirname "$0")/../.."
HALLCTL=${HALLCTL:-$PWD/build/hallctl}
RUNS=${RECEIVE_BENCH_RUNS:-30}
ITEMS=1379
DB=receive_bench
LIMIT_MS=20
export TZ=Asia/Shanghai

source tests/lib/cluster.sh
if [ -z "${BENCH_DB:-}" ]; then
	cluster_temp 55452 >/dev/null
fi
WORK=$(mktemp -d /tmp/hallterm-receive-bench.XXXXXX)
eval "set -- $(trap -p EXIT)"
PREV_TRAP=${3:-}
cleanup() {
	rm -rf "$WORK"
	dropdb --if-exists "$DB" >/dev/null 2>&1 || true
	eval "$PREV_TRAP"
}
trap cleanup EXIT

q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$DB" "$@"; }
dropdb --if-exists "$DB" >/dev/null 2>&1 || true
createdb "$DB"
"$HALLCTL" --dsn "dbname=$DB" migrate >/dev/null
"$HALLCTL" --dsn "dbname=$DB" demo --scale 2000 --at '2026-11-23 10:00+08' >/dev/null

# Up to 1,379 items: names from the words of real ones, spread over the
# departments and their windows (A01, clerk01's, serves a share), each
# with a self and an agent situation of four materials.
q <<'SQL'
BEGIN;
CREATE TEMP TABLE w (n int, word text, ini text);
INSERT INTO w VALUES (1, '营业执照', 'yyzz'), (2, '食品经营', 'spjy'), (3, '社会保险', 'shbx'), (4, '居民身份证', 'jmsfz'),
	(5, '不动产', 'bdc'), (6, '公积金', 'gjj'), (7, '医疗保险', 'ylbx'), (8, '户口', 'hk'), (9, '税务', 'sw'),
	(10, '建筑工程', 'jzgc'), (11, '卫生许可', 'wsxk'), (12, '就业创业', 'jycy'), (13, '特种设备', 'tzsb'),
	(14, '药品零售', 'ypls'), (15, '道路运输', 'dlys'), (16, '排水许可', 'psxk'), (17, '人力资源', 'rlzy');
CREATE TEMP TABLE v (n int, word text, ini text);
INSERT INTO v VALUES (1, '设立登记', 'sldj'), (2, '变更登记', 'bgdj'), (3, '注销登记', 'zxdj'), (4, '许可证核发', 'xkzhf'),
	(5, '证明开具', 'zmkj'), (6, '补办', 'bb'), (7, '延续', 'yx'), (8, '备案', 'ba'), (9, '年检', 'nj'),
	(10, '查询', 'cx'), (11, '申领', 'sl'), (12, '审批', 'sp');
INSERT INTO hall.items (code, name, department_code, category, promised_days, legal_days, online, initials)
SELECT 'BX' || lpad(g::text, 4, '0'),
       w.word || v.word || '（' || g || '）', d.code, '行政许可', 5 + g % 10, 20, g % 3 <> 0, w.ini || v.ini
FROM generate_series(1, 1379 - (SELECT count(*) FROM hall.items)::int) g
JOIN w ON w.n = 1 + g % 17
JOIN v ON v.n = 1 + (g / 17) % 12
JOIN LATERAL (SELECT code FROM hall.departments x WHERE EXISTS (SELECT 1 FROM hall.windows y WHERE y.department_code = x.code)
                ORDER BY code OFFSET g % (SELECT count(DISTINCT department_code) FROM hall.windows) LIMIT 1) d ON true;
INSERT INTO hall.window_items (window_code, item_id)
SELECT (SELECT w.code FROM hall.windows w WHERE w.department_code = i.department_code ORDER BY w.code LIMIT 1), i.id
FROM hall.items i WHERE i.code LIKE 'BX%';
INSERT INTO hall.window_items (window_code, item_id)
SELECT 'A01', i.id FROM hall.items i WHERE i.code LIKE 'BX%' AND i.department_code <> 'SCJG' AND i.id % 4 = 0
ON CONFLICT DO NOTHING;
INSERT INTO hall.materials (item_id, name, required, ord)
SELECT i.id, m.name, m.ord <= 3, m.ord FROM hall.items i
CROSS JOIN (VALUES ('身份证', 1), ('申请表', 2), ('证明材料', 3), ('委托书', 4)) m(name, ord)
WHERE i.code LIKE 'BX%';
INSERT INTO hall.situations (item_id, code, name, by_agent, ord)
SELECT i.id, s.code, s.name, s.by_agent, s.ord FROM hall.items i
CROSS JOIN (VALUES ('self', '本人办理', false, 1), ('agent', '委托代理人办理', true, 2)) s(code, name, by_agent, ord)
WHERE i.code LIKE 'BX%';
INSERT INTO hall.situation_materials (situation_id, item_id, material_id, required, ord)
SELECT s.id, s.item_id, m.id, m.required, m.ord FROM hall.situations s
JOIN hall.materials m ON m.item_id = s.item_id AND (m.ord < 4 OR s.by_agent)
JOIN hall.items i ON i.id = s.item_id WHERE i.code LIKE 'BX%';
COMMIT;
ANALYZE;
SQL
n=$(q -c "SELECT count(*) FROM hall.items")
echo "  items: $n, situations: $(q -c "SELECT count(*) FROM hall.situations"), their materials: $(q -c "SELECT count(*) FROM hall.situation_materials")"
echo "  clerk01's windows serve $(PGPASSWORD=demo psql -X -At -U clerk01 -d "$DB" -c "SELECT count(*) FROM hall.find_items('', 200)") of them (the first 200 shown)"

# Each keystroke of three searches a clerk types, then the baseline.
keys=(y yy yyz yyzz s sp spj spjy 营 营业 营业执 营业执照 S SC SCJ SCJG SCJG0 BX BX01 BX012)
{
	echo '\timing on'
	for k in "${keys[@]}"; do
		for ((i = 0; i < RUNS; i++)); do
			echo "SELECT count(*) FROM hall.find_items('$k', 100); -- key $k"
		done
	done
	for ((i = 0; i < RUNS; i++)); do echo "SELECT 1; -- key baseline"; done
} >"$WORK/script.sql"
PGPASSWORD=demo psql -X -At -U clerk01 -d "$DB" -f "$WORK/script.sql" >"$WORK/out.txt" 2>&1
python3 - "$WORK/script.sql" "$WORK/out.txt" "$LIMIT_MS" <<'EOF'
import re, statistics, sys, unicodedata
def pad(s, n):  # display cells, not characters: 营业 is four cells
    w = sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
    return s + ' ' * max(0, n - w)
keys = [m.group(1) for m in re.finditer(r'-- key (\S+)', open(sys.argv[1], encoding='utf-8').read())]
times = [float(t) for t in re.findall(r'^Time: ([0-9.]+) ms', open(sys.argv[2], encoding='utf-8').read(), re.M)]
assert len(times) == len(keys), (len(times), len(keys))
per = {}
for k, t in zip(keys, times):
    per.setdefault(k, []).append(t)
base = statistics.median(per.pop('baseline'))
limit = float(sys.argv[3])
worst = 0
print(f"  raw baseline (SELECT 1, same session): {base:.3f} ms")
print(f"  {'typed':<10} {'median ms':>10} {'p90 ms':>8} {'x baseline':>11}")
for k, ts in per.items():
    ts.sort()
    med = statistics.median(ts)
    p90 = ts[int(len(ts) * 0.9) - 1]
    worst = max(worst, med)
    print(f"  {pad(k, 10)} {med:>10.2f} {p90:>8.2f} {med / base:>11.1f}")
print(f"  slowest keystroke (median): {worst:.2f} ms, limit {limit:.0f} ms")
sys.exit(0 if worst <= limit else 1)
EOF
