#!/usr/bin/env bash
# The release build, cold: `cargo build --release --locked -p vigil` into an
# empty target folder (crate downloads already cached), as `cargo install`
# and the Dockerfile's build stage run it, under /usr/bin/time -v, with
# every rustc's peak memory recorded through a RUSTC_WRAPPER. Prints the
# wall time, the largest compiler processes and the binary's size. Run it on
# an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export RSS_LOG="$work/rss.log" RUSTC_WRAPPER="$(pwd)/bench/rustc-rss" CARGO_TARGET_DIR="$work/target"
: > "$RSS_LOG"
echo "== cargo build --release --locked -p vigil (cold target folder)"
/usr/bin/time -v -o "$work/build.time" cargo build --quiet --release --locked -p vigil
grep -E "Elapsed|Maximum resident" "$work/build.time"
echo "   largest compiler processes (peak RSS, crate, seconds):"
sort -n "$RSS_LOG" | tail -4 | awk '{printf "     %.2f GiB  %s  %ss\n", $1/1048576, $2, $3}'
echo "   crates compiled: $(wc -l < "$RSS_LOG")"
binary="$work/target/release/vigil"
echo "== the binary"
printf "   size: %.1f MB (%d bytes)\n" "$(echo "$(stat -c %s "$binary") / 1000000" | bc -l)" "$(stat -c %s "$binary")"
"$binary" --version
echo "   startup (vigil --version), mean of 20:"
start=$(date +%s%N); for _ in $(seq 20); do "$binary" --version > /dev/null; done; end=$(date +%s%N)
echo "     $(( (end - start) / 20000000 )) ms"
