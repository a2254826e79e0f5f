#!/usr/bin/env bash
# What an AWS SDK crate would add to Vigil's build: a scratch crate that
# depends on the SDK's runtime (aws-config, aws-sdk-sts, as Vigil does) is
# built first, then each crate named is added and built alone, under a
# RUSTC_WRAPPER that records that rustc's wall time and peak memory.
# Debug profile, as the README's first command and the tests build.
# Usage: bench/sdk-cost.sh [crate ...]  (default: the two Vigil does without)
set -euo pipefail
crates=("$@")
[ ${#crates[@]} -gt 0 ] || crates=(aws-sdk-bedrockagentcorecontrol aws-sdk-bedrockagent)
cd "$(dirname "$0")/.."
repo="$(pwd)"
config_version=$(awk '/^name = "aws-config"$/{getline; print $3}' Cargo.lock | tr -d '"')
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo new -q --lib "$work/probe"
cd "$work/probe"
cargo add -q "aws-config@$config_version" aws-sdk-sts
cargo build -q 2>/dev/null
export RSS_LOG="$work/rss.log" RUSTC_WRAPPER="$repo/bench/rustc-rss"
for crate in "${crates[@]}"; do
  : > "$RSS_LOG"
  cargo add -q "$crate"
  start=$(date +%s)
  cargo build -q 2>/dev/null
  end=$(date +%s)
  own=$(awk -v c="${crate//-/_}" '$2 == c {printf "%.2f GiB, %s s", $1/1048576, $3}' "$RSS_LOG")
  echo "$crate: +$((end - start)) s wall for the build it adds; its own rustc: $own"
done
