#!/usr/bin/env bash
# The findings store at scale, on both back ends. For each size N (findings
# spread over every rule, one in three failing; crates/vigil-store/examples/
# record.rs): record run 1 (all new) and run 2 (a tenth changed: fixed,
# deleted, added), then ask `vigil findings` what one rule has open (the
# first page of 50, and the whole list as JSON); each with its time and
# peak RSS (/usr/bin/time). Then the cost of recording in a whole run:
# `vigil scan` of a generated corpus with and without the store.
#
#   bench/store.sh                                     # SQLite, 10k 100k 1M
#   SIZES="10000 100000 1000000 10000000" PG_URL=postgres://vigil@127.0.0.1:5432/postgres bench/store.sh
#   COUNT=40000 SIZES= bench/store.sh                  # only the scan, 40,000 templates
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES-10000 100000 1000000}"
COUNT="${COUNT:-2000}"
RUNS="${RUNS:-5}"
RULE=sagemaker-model-network-isolation
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 2; }
cargo build --release --quiet --bin vigil -p vigil --example record -p vigil-store
target="${CARGO_TARGET_DIR:-target}"; [[ "$target" = /* ]] || target="$(pwd)/$target"
vigil="$target/release/vigil"
record="$target/release/examples/record"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# "<seconds> s, <peak RSS> MB": what /usr/bin/time measured of a command
# (a scan that finds failures exits 1: that is its answer, not an error).
measure() {
  local code=0
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || code=$?
  if [ "$code" -gt 1 ]; then cat "$work/err" >&2; return 1; fi
  awk '/^[0-9.]+ [0-9]+$/ {printf "%.2f s, %.1f MB", $1, $2 / 1024}' "$work/time"
}

# One size on one store: the two runs and the queries.
store_at() {
  local n="$1" url="$2" name="$3"
  local one two page all count
  one="$(measure "$record" "$n" "$url" 1)"
  two="$(measure "$record" "$n" "$url" 2)"
  page="$(measure "$vigil" findings --store "$url" --state open --rule "$RULE" --limit 50 --format json)"
  all="$(measure "$vigil" findings --store "$url" --state open --rule "$RULE" --format json)"
  count="$(grep -c '"rule"' "$work/out" || true)"
  printf '| %s | %s | %s | %s | %s | %s (%s findings) |\n' "$name" "$n" "$one" "$two" "$page" "$all" "$count"
}

if [ -n "$SIZES" ]; then
  echo "| store | findings | run 1 (all new) | run 2 (a tenth changed) | one rule's open, first 50 | one rule's open, all, JSON |"
  echo "|---|---|---|---|---|---|"
  for n in $SIZES; do
    rm -f "$work"/store.db*
    store_at "$n" "sqlite://$work/store.db" SQLite
    if [ -n "${PG_URL:-}" ]; then
      db="vigil_bench_$n"
      psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
      store_at "$n" "${PG_URL%/*}/$db" PostgreSQL
      psql "$PG_URL" -qc "DROP DATABASE $db" >/dev/null
    fi
  done
  rm -f "$work"/store.db*
fi

echo
python3 bench/gen_corpus.py "$work/corpus" "$COUNT" >/dev/null
echo "== vigil scan of $COUNT templates, without and with the store (a fresh store, then the same scan again)"
rm -f "$work"/scan.db*
echo "no store:       $(measure "$vigil" scan "$work/corpus" --format json --no-store -o "$work/a.json")"
echo "store, first:   $(measure "$vigil" scan "$work/corpus" --format json --store "sqlite://$work/scan.db" -o "$work/b.json")"
echo "store, second:  $(measure "$vigil" scan "$work/corpus" --format json --store "sqlite://$work/scan.db" -o "$work/b.json")"
hyperfine --warmup 1 --runs "$RUNS" --ignore-failure \
  --command-name "no store" "$vigil scan $work/corpus --format json --no-store -o $work/a.json" \
  --command-name "sqlite store (again)" "$vigil scan $work/corpus --format json --store sqlite://$work/scan.db -o $work/b.json"
