#!/usr/bin/env bash
# hallctl report (018's CSV reports, streamed by COPY) and hallctl hours
# (015's opening hours) on the demo hall: the CSV parses, its header is the
# Chinese column names of hall.report_*, the row count is the function's,
# --bom writes the UTF-8 byte order mark and only then, --department
# narrows, bad arguments are usage errors (exit 2, one line), and a
# weekday's hours are set and cleared again.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/cluster.sh
source tests/lib/tap.sh
HALLCTL=${HALLCTL:-$PWD/${1:-build}/hallctl}
export TZ=Asia/Shanghai
cluster_temp "${TEST_PORT:-55481}" || exit 1
createdb hall
DB=hall
DSN="dbname=$DB"
q() { psql -X -v ON_ERROR_STOP=1 -Atqd "$DB" -c "$1"; }
ctl() { "$HALLCTL" --dsn "$DSN" "$@"; }
OUT=$CLUSTER_TMP/out
mkdir -p "$OUT" && chmod 777 "$OUT"

out=$(ctl migrate 2>&1); rc=$?
tap_is "$rc" 0 "migrate succeeds" "$out"
out=$(ctl demo --scale 2000 --seed 7 --at '2026-11-23 10:00+08' 2>&1); rc=$?
tap_is "$rc" 0 "hallctl demo --scale 2000 succeeds" "$out"

# csvinfo FILE: "bom|rows|header" (rows: data rows; header joined by ','),
# or an error from Python's csv module.
csvinfo() {
	python3 - "$1" <<'EOF'
import csv, sys
raw = open(sys.argv[1], 'rb').read()
bom = raw.startswith(b'\xef\xbb\xbf')
with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
    rows = list(csv.reader(f, strict=True))
width = {len(r) for r in rows}
if len(width) != 1:
    sys.exit('rows of different widths: %s' % sorted(width))
print('%s|%d|%s' % ('bom' if bom else 'nobom', len(rows) - 1, ','.join(rows[0])))
EOF
}
# column FILE NAME: the distinct values of one column, sorted, joined by ','.
column() {
	python3 - "$1" "$2" <<'EOF'
import csv, sys
with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
    r = csv.DictReader(f)
    print(','.join(sorted({row[sys.argv[2]] for row in r})))
EOF
}

# ------------------------------------------------------------ scorecard
SC_HEADER="月份,类别,部门,窗口,工号,姓名,排名,上月排名,排名变化,综合得分,办结件数,按时办结率,提前办结率,受理超时,答复件数,按时答复率,服务件数,未评件数,未评率,评价数,好评率,满意率,主动评价率,主动评价好评率,差评数,差评整改率,回访整改率,回访整改满意率,黄牌,红牌,违反一次性告知,督办,督办超时,满意率末位,连续两月末位,已关账"
err=$(ctl report scorecard --month 2026-11 --bom --output "$OUT/sc.csv" 2>&1 >/dev/null); rc=$?
tap_is "$rc" 0 "report scorecard --month 2026-11 --bom --output exits 0" "$err"
tap_is "$(head -c 3 "$OUT/sc.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "the file starts with the UTF-8 byte order mark"
info=$(csvinfo "$OUT/sc.csv" 2>&1)
want=$(q "SELECT count(*) FROM hall.report_scorecard('2026-11-01')")
tap_is "${info%%|*}" "bom" "Python's csv module reads it (utf-8-sig)" "$info"
tap_is "${info##*|}" "$SC_HEADER" "the header row is report_scorecard's Chinese column names"
rows=${info#*|}; rows=${rows%%|*}
tap_is "$rows" "$want" "as many data rows as hall.report_scorecard('2026-11-01') returns"
tap_ok "$([ "${want:-0}" -gt 0 ]; echo $?)" "and there are some ($want)"
tap_is "$(column "$OUT/sc.csv" 类别)" "工作人员,窗口" "windows and clerks"

out=$(ctl report scorecard --month 2026-11 2>&1); rc=$?
tap_is "$rc" 0 "without --output the report goes to stdout"
tap_is "$(printf '%s' "$out" | head -c 3 | od -An -tx1 | tr -d ' ')" "$(printf '月' | od -An -tx1 | tr -d ' ')" \
	"without --bom there is no byte order mark: it starts with 月份"
ctl report scorecard --month 2026-11 --output "$OUT/nobom.csv" 2>/dev/null
info=$(csvinfo "$OUT/nobom.csv" 2>&1)
tap_is "${info%%|*}" "nobom" "--output without --bom: no byte order mark either" "$info"

# ------------------------------------------------------------ --department
err=$(ctl report scorecard --month 2026-11 --department SCJG --bom --output "$OUT/scjg.csv" 2>&1 >/dev/null); rc=$?
tap_is "$rc" 0 "--department SCJG exits 0" "$err"
tap_is "$(column "$OUT/scjg.csv" 部门)" "SCJG" "it gives SCJG's rows only"
info=$(csvinfo "$OUT/scjg.csv" 2>&1); rows=${info#*|}; rows=${rows%%|*}
tap_is "$rows" "$(q "SELECT count(*) FROM hall.report_scorecard('2026-11-01') WHERE \"部门\" = 'SCJG'")" \
	"as many rows as the hall's report has for SCJG"
err=$(ctl report scorecard --month 2026-11 --department NOSUCH 2>&1 >/dev/null); rc=$?
tap_is "$rc" 2 "an unknown department is a usage error" "$err"

# ------------------------------------------------------------ the other reports
for kind in timeliness platform; do
	err=$(ctl report $kind --month 2026-11 --bom --output "$OUT/$kind.csv" 2>&1 >/dev/null); rc=$?
	tap_is "$rc" 0 "report $kind exits 0" "$err"
	info=$(csvinfo "$OUT/$kind.csv" 2>&1); rows=${info#*|}; rows=${rows%%|*}
	tap_ok "$([ "${rows:-0}" -gt 0 ] 2>/dev/null; echo $?)" "report $kind parses, with rows ($rows)" "$info"
	tap_is "$rows" "$(q "SELECT count(*) FROM hall.report_$kind('2026-11-01')")" "as many as hall.report_$kind returns"
done
info=$(csvinfo "$OUT/timeliness.csv"); tap_is "${info##*|}" \
	"月份,类别,部门,窗口,工号,姓名,办结件数,按时办结,超期办结,按时办结率,提前办结率,受理超时,答复件数,按时答复,按时答复率,答复用时中位数(工时),答复用时P90(工时),超期在办,临期在办,违反一次性告知,差评,差评已整改" \
	"timeliness has its Chinese header"
info=$(csvinfo "$OUT/platform.csv"); tap_is "${info##*|}" "月份,范围,维度,项目,件数,占比" "platform has its Chinese header"
tap_like "$(column "$OUT/platform.csv" 项目)" "网上办件.*全程不见面|全程不见面.*网上办件" "platform lists 网上办件 and 全程不见面"

err=$(ctl report cards --month 2026-11 --bom --output "$OUT/cards.csv" 2>&1 >/dev/null); rc=$?
tap_is "$rc" 0 "report cards exits 0" "$err"
info=$(csvinfo "$OUT/cards.csv" 2>&1); rows=${info#*|}; rows=${rows%%|*}
tap_is "${info##*|}" "月份,颜色,规则,对象类型,编号,部门,窗口,工号,姓名,发出日期,整改期限,消除时间" "cards parses, with its Chinese header" "$info"
tap_is "$rows" "$(q "SELECT count(*) FROM hall.report_cards('2026-11-01')")" "cards: as many rows as hall.report_cards returns ($rows)"

# ------------------------------------------------------------ usage errors
err=$(ctl report scorecard --month 2026-13 --output "$OUT/bad.csv" 2>&1 >/dev/null); rc=$?
tap_is "$rc" 2 "--month 2026-13 exits 2"
tap_is "$(printf '%s\n' "$err" | wc -l)" 1 "with one line on stderr" "$err"
tap_like "$err" "2026-13" "naming the month"
tap_ok "$([ ! -e "$OUT/bad.csv" ]; echo $?)" "and writes no file"
err=$(ctl report bogus --month 2026-11 2>&1 >/dev/null); rc=$?
tap_is "$rc" 2 "an unknown report exits 2"
tap_is "$(printf '%s\n' "$err" | wc -l)" 1 "with one line on stderr" "$err"
tap_like "$err" "bogus" "naming it"
err=$(ctl report scorecard 2>&1 >/dev/null); rc=$?
tap_is "$rc" 2 "no --month exits 2" "$err"

# ------------------------------------------------------------ hours
out=$(ctl hours 2>&1); rc=$?
tap_is "$rc" 0 "hallctl hours exits 0" "$out"
tap_is "$(printf '%s\n' "$out" | wc -l)" 7 "one line a weekday"
out=$(ctl hours set 6 09:00-12:00 2>&1); rc=$?
tap_is "$rc" 0 "hours set 6 09:00-12:00 exits 0" "$out"
tap_like "$(ctl hours 2>&1 | grep '^6 ')" "^6 +09:00-12:00" "hallctl hours shows Saturday 09:00-12:00"
out=$(ctl hours set 6 '' 2>&1); rc=$?
tap_is "$rc" 0 "hours set 6 '' exits 0" "$out"
sat=$(ctl hours 2>&1 | grep '^6 ')
tap_ok "$(printf '%s' "$sat" | grep -q '[0-9]:[0-9]'; [ $? != 0 ]; echo $?)" "Saturday is closed again" "$sat"
err=$(ctl hours set 8 09:00-12:00 2>&1 >/dev/null); rc=$?
tap_is "$rc" 2 "weekday 8 is a usage error" "$err"

tap_done
