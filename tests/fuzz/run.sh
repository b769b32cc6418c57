#!/bin/sh
# run.sh: run one libFuzzer target for a bounded time over its seed corpus (make fuzz, tests/sanitize.sh).
#   sh tests/fuzz/run.sh BINARY SEEDS SECONDS WORKDIR
# New inputs go to WORKDIR/corpus, never into the seeds (the source tree may be read-only);
# a crash leaves its reproducer in WORKDIR/ and the exit status is non-zero.
# Reproduce a crash with: BINARY WORKDIR/crash-...   (or leak-..., timeout-..., oom-...)
set -eu
[ $# -eq 4 ] || { echo "usage: run.sh BINARY SEEDS SECONDS WORKDIR" >&2; exit 2; }
bin=$1 seeds=$2 secs=$3 work=$4
name=$(basename "$bin")
case $secs in '' | *[!0-9]*) echo "run.sh: SECONDS must be a number, not [$secs]" >&2; exit 2 ;; esac
[ -x "$bin" ] || { echo "run.sh: $bin is not built" >&2; exit 2; }
[ -d "$seeds" ] || { echo "run.sh: no seed corpus $seeds" >&2; exit 2; }
rm -rf "$work"
mkdir -p "$work/corpus"
# -timeout: one input taking 10 s is a hang worth reporting; -rss_limit_mb: a parser of
# one short line has no business using 1 GB.  Leaks are errors (ASan's detect_leaks).
rc=0
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=4096 \
    -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$seeds" \
    > "$work/log" 2>&1 || rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
if [ $rc -ne 0 ]; then
	echo "FAIL: $name (exit $rc, budget ${secs}s); log: $work/log"
	grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$work/log" | head -n 5 || true
	for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
		[ -f "$f" ] || continue
		echo "reproducer: $f ($(wc -c < "$f") bytes): $bin $f"
		od -c "$f" | head -n 8
	done
	exit 1
fi
echo "PASS: $name: ${runs:-?} inputs in ${secs}s, corpus $(ls "$work/corpus" | wc -l) new + $(ls "$seeds" | wc -l) seeds"
