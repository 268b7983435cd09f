#!/usr/bin/env bash
# Notices printed through the real CUPS: tests/lib/printtest runs
# print_text() (src/common/print.c, what the terminal prints with) against
# a private cupsd on 127.0.0.1 (tests/lib/cups.sh) whose queue "hallprn"
# writes each job to a file, and the file must hold the notice byte for
# byte: every line, every Chinese character.  TAP output; a TAP skip when
# cupsd can't run here.
#
#   bash tests/integration/print_test.sh      (after `make`)
#
# PRINTTEST names the program (default: tests/printtest next to $HALLCTL,
# else build/tests/printtest).
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/tap.sh
source tests/lib/cups.sh

PRINTTEST=${PRINTTEST:-$(dirname "${HALLCTL:-build/hallctl}")/tests/printtest}
[ -x "$PRINTTEST" ] || { echo "Bail out! $PRINTTEST is missing: run make first"; exit 1; }
PRINTTEST=$(cd "$(dirname "$PRINTTEST")" && pwd)/$(basename "$PRINTTEST")

# English messages, UTF-8 widths; lp's choice of printer from nothing of
# the user running the tests (LPDEST, PRINTER, ~/.cups/lpoptions).
export LC_ALL=C.UTF-8 TZ=Asia/Shanghai
unset LANG LANGUAGE LPDEST PRINTER

cups_temp 55512
case $? in
0) ;;
2) echo "1..0 # SKIP $CUPS_SKIP"; exit 0 ;;
*) echo "Bail out! cannot start the private CUPS server on 127.0.0.1:55512"; exit 1 ;;
esac
export HOME=$CUPS_TMP/home
mkdir -p "$HOME"
W=$CUPS_TMP/work
mkdir -p "$W"
echo "# cupsd runs as $(ps -o user= -p "$CUPS_PID"), pid $CUPS_PID, on $CUPS_SERVER"

# The number of jobs the server knows, whatever their state.
jobs_known() {
	lpstat -W all -o 2>/dev/null | grep -c '^hallprn-'
}

# A 受理通知书 of 40 lines as the database composes them: full-width
# punctuation, a name outside the BMP (𠮷), blank lines, a tab, trailing
# spaces, and lines of every length.
cat >"$W/notice.txt" <<'EOF'
                          受理通知书

                                   编号：A01-20250102-0007

𠮷祥女士：

    您于 2025 年 1 月 2 日提交的食品经营许可（新办）申请，经审查，
申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条
第一款第（五）项的规定，本机关决定予以受理。

    一、受理事项：食品经营许可（新办）
    二、受理窗口：市民之家二楼 A01 号窗口
    三、承诺办结时限：10 个工作日（不含现场核查时间）
    四、办理结果领取方式：窗口领取／邮寄送达

收到的材料：
	1. 食品经营许可申请书（原件 1 份）
	2. 营业执照复印件（1 份，加盖公章）
	3. 法定代表人身份证明（复印件 1 份）
	4. 与食品经营相适应的主要设备设施布局、操作流程等文件
	5. 食品安全自查、从业人员健康管理、进货查验记录等制度   
	6. 其他材料：无

注意事项：
    1. 请妥善保管本通知书，凭此通知书查询办理进度、领取结果；
    2. 如需补正材料，本机关将一次性告知需要补正的全部内容；
    3. 办理进度可登录政务服务网或拨打 12345 政务服务便民热线查询；
    4. 对本决定不服的，可以依法申请行政复议或者提起行政诉讼。

经办人：王丽（工号 clerk01）          复核人：李强（工号 super01）
联系电话：0571-12345678

                                       某某市市场监督管理局（印章）
                                             2025 年 1 月 2 日

————————————————————————————————————————
本通知书一式两份，申请人与受理机关各执一份。
Notice of acceptance No. A01-20250102-0007 (plain ASCII line).
最后一行：完。

EOF
tap_is "$(wc -l <"$W/notice.txt")" 40 "the notice has 40 lines"

# ---- a notice on a named printer ---------------------------------------
title="受理通知书 A01-20250102-0007"
cups_clear_output
job=$("$PRINTTEST" hallprn "$title" <"$W/notice.txt" 2>"$W/err")
tap_is "$?" 0 "printtest prints the notice on hallprn" "$(cat "$W/err")"
tap_like "$job" '^hallprn-[0-9]+$' "lp's job id is returned ($job)"
cups_wait_job "$job" 20 2>"$W/wait"
tap_ok "$?" "the job completes" "$(cat "$W/wait")"
cmp -s "$W/notice.txt" "$CUPS_OUT"
tap_ok "$?" "the printer's file holds the notice byte for byte" \
	"$(diff "$W/notice.txt" "$CUPS_OUT" | head -20)"
tap_is "$(grep -c '' "$CUPS_OUT")" 40 "all 40 lines arrived"
grep -qxF "𠮷祥女士：" "$CUPS_OUT"
tap_ok "$?" "a character outside the BMP (𠮷) arrives intact"
grep -qxF "$(printf '\t5. 食品安全自查、从业人员健康管理、进货查验记录等制度   ')" "$CUPS_OUT"
tap_ok "$?" "a tab and trailing spaces arrive intact"
grep -qF " localhost $title " "$CUPS_DIR/log/page_log"
tap_ok "$?" "the queue shows the job under its Chinese title" "$(cat "$CUPS_DIR/log/page_log")"

# ---- the default printer -----------------------------------------------
cups_lpadmin -d hallprn 2>"$W/err"
tap_ok "$?" "hallprn becomes the server's default printer" "$(cat "$W/err")"
sed -e 's/受理通知书/一次性告知书/' -e '/^收到的材料/,/^	6\./d' "$W/notice.txt" >"$W/notice2.txt"
cups_clear_output
job=$("$PRINTTEST" "" "一次性告知书 A01-20250102-0008" <"$W/notice2.txt" 2>"$W/err")
tap_is "$?" 0 "an empty printer name prints on the default printer" "$(cat "$W/err")"
tap_like "$job" '^hallprn-[0-9]+$' "and returns its job id ($job)"
cups_wait_job "$job" 20 2>"$W/wait"
tap_ok "$?" "that job completes" "$(cat "$W/wait")"
cmp -s "$W/notice2.txt" "$CUPS_OUT"
tap_ok "$?" "the file holds the second notice byte for byte" \
	"$(diff "$W/notice2.txt" "$CUPS_OUT" | head -20)"

# ---- an unknown printer ------------------------------------------------
cups_clear_output
before=$(jobs_known)
"$PRINTTEST" nosuch "不予受理决定书" <"$W/notice.txt" >"$W/out" 2>"$W/err"
tap_is "$?" 1 "an unknown printer fails"
tap_is "$(cat "$W/err")" 'printtest: printer "nosuch": lp: Error - The printer or class does not exist.' \
	"with the printer's name and lp's own reason"
tap_is "$(cat "$W/out")" "" "and no job id"
sleep 0.5
tap_is "$(jobs_known)" "$before" "no job is queued"
tap_is "$(stat -c %s "$CUPS_OUT")" 0 "nothing is printed"

# ---- the server gone -----------------------------------------------------
cups_stop
start=$(date +%s)
"$PRINTTEST" hallprn "受理通知书" <"$W/notice.txt" >"$W/out" 2>"$W/err"
rc=$?
took=$(($(date +%s) - start))
tap_is "$rc" 1 "with the server stopped printing fails"
tap_like "$(cat "$W/err")" '^printtest: printer "hallprn": lp: ' "with lp's reason ($(cat "$W/err"))"
tap_ok "$([ "$took" -le 10 ]; echo $?)" "within the 10 s timeout (${took} s)"

tap_done
