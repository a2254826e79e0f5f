#!/usr/bin/env bash
# The first hour, timed: a fresh clone of this repository's HEAD, an empty
# target folder (crate downloads already cached), then the README's first
# command (`cargo run --bin vigil -- scan examples/`) and `scripts/test`,
# each under /usr/bin/time -v, with every rustc's peak memory recorded
# through a RUSTC_WRAPPER. Prints wall times, the largest compiler
# processes and the test total. Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/clone"
export RSS_LOG="$work/rss.log" RUSTC_WRAPPER="$repo/bench/rustc-rss" CARGO_TARGET_DIR="$work/clone/target"
: > "$RSS_LOG"
cd "$work/clone"

echo "== cargo run --bin vigil -- scan examples/ (cold target folder)"
/usr/bin/time -v -o "$work/run.time" cargo run --quiet --bin vigil -- scan examples/ > "$work/run.log" 2>&1 || true
grep -E "Elapsed" "$work/run.time"
echo "   largest compiler processes (peak RSS, crate, seconds):"
sort -n "$RSS_LOG" | tail -4 | awk '{printf "     %.2f GiB  %s  %ss\n", $1/1048576, $2, $3}'
echo "   crates compiled: $(wc -l < "$RSS_LOG")"

: > "$RSS_LOG"
echo "== scripts/test (clippy, emulator patch tests, the tests' build and run)"
/usr/bin/time -v -o "$work/test.time" scripts/test > "$work/test.log" 2>&1 || { tail -30 "$work/test.log"; exit 1; }
grep -E "Elapsed" "$work/test.time"
tail -1 "$work/test.log"
echo "   largest compiler processes:"
sort -n "$RSS_LOG" | tail -3 | awk '{printf "     %.2f GiB  %s  %ss\n", $1/1048576, $2, $3}'
echo "   crates compiled: $(wc -l < "$RSS_LOG")"
