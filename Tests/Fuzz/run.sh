#!/bin/bash
# Builds one libFuzzer target of this package and runs it (README.md).
#
#   run.sh TARGET SECONDS [libFuzzer flags...]   fuzz for SECONDS on a temporary copy of Corpus/TARGET
#   run.sh TARGET replay                         run every FailCases/TARGET and Corpus/TARGET input once
#   run.sh TARGET minimize FILE [SECONDS]        minimize a crashing input (default 60 s) into FailCases/TARGET
#
# TARGET is FuzzMessage or FuzzAddress. Crashes go to FailCases/TARGET/ (commit them, each with a regression test).
# Environment: ROOST_FUZZ_BUILD (scratch path, default /tmp/roost-fuzz-build), ROOST_FUZZ_KEEP_CORPUS=1 (keep
# the working corpus and log instead of deleting them).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
target=${1:?usage: run.sh TARGET SECONDS|replay|minimize FILE}
mode=${2:?usage: run.sh TARGET SECONDS|replay|minimize FILE}
shift 2
scratch=${ROOST_FUZZ_BUILD:-/tmp/roost-fuzz-build}

case "$target" in
    FuzzMessage | FuzzAddress) ;;
    *) echo "run.sh: unknown target '$target' (FuzzMessage, FuzzAddress)" >&2; exit 2 ;;
esac

echo "== building $target (release, fuzzer + address sanitizers, scratch path $scratch)"
(cd "$here" && swift build -c release --sanitize=fuzzer --sanitize=address --scratch-path "$scratch" \
    --product "$target" 2>&1) | { grep -v "Cannot export local symbol '__asan_extra_spill_area'" || true; }
binary="$scratch/release/$target"

# The Swift runtime's own crash handler fights ASan over the fault; libFuzzer's handler prints the stack instead.
export SWIFT_BACKTRACE=enable=no
fail_dir="$here/FailCases/$target"
mkdir -p "$fail_dir"

case "$mode" in
replay)
    shopt -s nullglob
    inputs=("$fail_dir"/* "$here/Corpus/$target"/*)
    echo "== replaying ${#inputs[@]} inputs"
    status=0
    log=$(mktemp /tmp/roost-fuzz-replay.XXXXXX)
    "$binary" "${inputs[@]}" > "$log" 2>&1 || status=$?
    grep -v '^Running: \|^Executed ' "$log" || true
    rm -f "$log"
    echo "== replay exit status $status"
    exit "$status"
    ;;
minimize)
    input=${1:?usage: run.sh TARGET minimize FILE [SECONDS]}
    seconds=${2:-60}
    out="$fail_dir/minimized-$(sha1sum "$input" | cut -c1-12)"
    "$binary" -minimize_crash=1 -max_total_time="$seconds" -exact_artifact_path="$out" "$input" 2>&1 |
        grep -E '^CRASH_MIN|Fatal error|ERROR: ' | tail -n 4 || true
    echo "== minimized input: $out ($(wc -c < "$out") bytes)"
    od -c "$out" | head -n 20
    exit 0
    ;;
esac

seconds=$mode
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "run.sh: SECONDS must be a number" >&2; exit 2; }

work=$(mktemp -d /tmp/roost-fuzz-"$target".XXXXXX)
cp "$here/Corpus/$target"/* "$work/"
log="$work.log"
seeds=$(ls "$work" | wc -l)
marker=$(mktemp)  # crashes newer than this are this run's
echo "== fuzzing $target for $seconds s: $seeds seeds copied to $work, dictionary $target.dict, log $log"

# Messages may be longer than libFuzzer's default 4 KB, so inputs past the byte-by-byte check are fuzzed too.
max_len=4096
[[ "$target" == FuzzMessage ]] && max_len=8192
status=0
"$binary" "$work" -max_len="$max_len" -max_total_time="$seconds" -dict="$here/$target.dict" -artifact_prefix="$fail_dir/" \
    -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 "$@" > "$log" 2>&1 || status=$?

echo "== result (libFuzzer exit status $status)"
grep -E '^#[0-9]+ +(INITED|DONE)' "$log" || grep -E '^#[0-9]+' "$log" | tail -n 1 || true
grep -E '^stat::' "$log" || true
echo "corpus: $seeds seeds, $(ls "$work" | wc -l) after the run"
found=$(find "$fail_dir" -type f -newer "$marker" | sort)
rm -f "$marker"
if [[ -n "$found" ]]; then
    echo "== findings (minimize with: run.sh $target minimize FILE):"
    for file in $found; do echo "$file ($(wc -c < "$file") bytes)"; done
    grep -E 'Fatal error|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|SUMMARY' "$log" | head -n 5 || true
else
    echo "== findings: none"
fi
if [[ "${ROOST_FUZZ_KEEP_CORPUS:-0}" == 1 ]]; then
    echo "working corpus kept: $work, log kept: $log"
else
    rm -rf "$work" "$log"
fi
exit "$status"
