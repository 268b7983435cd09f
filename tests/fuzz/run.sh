#!/usr/bin/env bash
# Build and run the libFuzzer targets of src/common.
#
#   tests/fuzz/run.sh [SECONDS]
#
# Builds tests/fuzz/fuzz_*.c with clang (-fsanitize=fuzzer,address,undefined)
# into $FUZZ_BUILD (default build/fuzz), then runs each target for SECONDS
# (default 20) on a temporary copy of its seed corpus (tests/fuzz/corpus_*/ is
# never written to).  A crash, a broken invariant (abort()), a sanitizer
# report, a leak or a hang (over 10 s on one input) fails the run: the
# input is kept as $FUZZ_BUILD/artifacts/<target>-crash-... and the script
# exits 1.  Reproduce with `$FUZZ_BUILD/<target> <that file>`.
#
# Without clang or its fuzzer runtime (Debian: package clang) it says why,
# prints a "skipped" line and exits 0, so it can run anywhere.
#
# Environment: CLANG (default clang), FUZZ_BUILD, FUZZ_FLAGS (extra libFuzzer
# options, e.g. "-jobs=4 -workers=4").
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-20}
case $secs in
'' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
[ "$secs" -ge 1 ] || { echo "usage: $0 [SECONDS]: at least 1" >&2; exit 2; }

clang=${CLANG:-clang}
build=${FUZZ_BUILD:-$root/build/fuzz}
case $build in /*) ;; *) build=$root/$build ;; esac

skip() {
	echo "fuzz: $*" >&2
	echo "fuzz: skipped (no fuzzing done)"
	exit 0
}

command -v "$clang" >/dev/null 2>&1 || skip "$clang not found (Debian: apt-get install clang)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hallterm-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

CFLAGS=(-std=c11 -g -O1 -fno-omit-frame-pointer
	"-fsanitize=fuzzer,address,undefined" -fno-sanitize-recover=all
	-Wall -Wextra -Werror
	-D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE
	-I"$root/src" -I/usr/include/iniparser)

# Is the fuzzer runtime there (libclang_rt.fuzzer, with ASan and UBSan)?
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
	>"$tmp/probe.c"
if ! "$clang" "${CFLAGS[@]}" "$tmp/probe.c" -o "$tmp/probe" >"$tmp/probe.log" 2>&1; then
	sed 's/^/  /' "$tmp/probe.log" | head -5 >&2
	skip "$clang cannot link -fsanitize=fuzzer,address,undefined (libFuzzer runtime missing?)"
fi

common=(src/common/text.c src/common/xalloc.c src/common/i18n.c)
declare -A srcs=(
	[fuzz_text]="${common[*]}"
	[fuzz_config]="src/common/config.c ${common[*]}"
)
declare -A corpus=([fuzz_text]=corpus_text [fuzz_config]=corpus_config)
# Text bugs show in short strings (and short inputs run faster); config
# lines go up to its 1000-byte limit and past it.
declare -A maxlen=([fuzz_text]=1024 [fuzz_config]=4096)
targets=(fuzz_text fuzz_config)

mkdir -p "$build/artifacts" || exit 1
for t in "${targets[@]}"; do
	echo "fuzz: building $build/$t"
	# shellcheck disable=SC2086 # srcs holds a word list
	(cd "$root" && "$clang" "${CFLAGS[@]}" "tests/fuzz/$t.c" ${srcs[$t]} -liniparser -o "$build/$t") \
		|| { echo "fuzz: FAIL: $t does not build" >&2; exit 1; }
done

status=0
for t in "${targets[@]}"; do
	work=$tmp/${corpus[$t]}
	cp -R "$here/${corpus[$t]}" "$work" || exit 1
	log=$build/$t.log
	echo "fuzz: running $t for ${secs}s (log $log)"
	# shellcheck disable=SC2086 # FUZZ_FLAGS is a list of options
	TMPDIR=$tmp "$build/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="${maxlen[$t]}" \
		-print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" ${FUZZ_FLAGS:-} \
		"$work" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	if [ "$rc" -ne 0 ]; then
		status=1
		echo "fuzz: FAIL: $t exited $rc after ${runs:-?} runs; the end of $log:" >&2
		grep -E 'check failed|ERROR: |runtime error|SUMMARY|Test unit written|==[0-9]+==' "$log" \
			| head -20 | sed 's/^/  /' >&2
		tail -5 "$log" | sed 's/^/  /' >&2
	else
		echo "fuzz: ok: $t, ${runs:-?} runs, ${speed:-?} exec/s, corpus $(find "$work" -type f | wc -l) inputs"
	fi
done
exit $status
