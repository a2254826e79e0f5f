#!/usr/bin/env bash
# Times recording into the findings store: N findings (default 100,000) into
# SQLite, twice (all new, then a tenth changed), and into PostgreSQL when
# PG_URL names a server. Then the cost of recording in a whole run: `vigil
# scan` of the bench corpus with and without the store.
#
#   bench/store.sh
#   N=100000 PG_URL=postgres://vigil@127.0.0.1:5432/postgres COUNT=20000 bench/store.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-100000}"
COUNT="${COUNT:-20000}"
RUNS="${RUNS:-5}"
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
echo "== SQLite, $N findings"
cargo run --release --quiet -p vigil-store --example record -- "$N"
if [ -n "${PG_URL:-}" ]; then
  echo "== PostgreSQL, $N findings"
  cargo run --release --quiet -p vigil-store --example record -- "$N" "$PG_URL"
fi

cargo build --release --quiet --bin vigil
target="${CARGO_TARGET_DIR:-target}"; [[ "$target" = /* ]] || target="$(pwd)/$target"
vigil="$target/release/vigil"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 bench/gen_corpus.py "$work/corpus" "$COUNT"
echo "== vigil scan of $COUNT templates, without and with the store"
hyperfine --warmup 1 --runs "$RUNS" --ignore-failure \
  --command-name "no store" "$vigil scan $work/corpus --format json --no-store -o $work/a.json" \
  --command-name "sqlite store" "$vigil scan $work/corpus --format json --store sqlite://$work/f.db -o $work/b.json"
