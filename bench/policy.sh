#!/usr/bin/env bash
# What a rule written as a Rego policy costs beside the built-in rule it
# copies: `vigil scan` of a generated corpus with the flagship rule, then
# with bench/isolation.rego (the same check as a policy), then with the
# README's example policy; verdicts compared, times (hyperfine) and peak
# memory (GNU time) printed with ratios.
#
#   bench/policy.sh              # 2,000 templates
#   COUNT=8000 RUNS=10 bench/policy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${COUNT:-2000}"
RUNS="${RUNS:-10}"
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet --bin vigil
target="${CARGO_TARGET_DIR:-target}"; [[ "$target" = /* ]] || target="$(pwd)/$target"
vigil="$target/release/vigil"
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
python3 bench/gen_corpus.py "$corpus" "$COUNT"
echo "== corpus: $COUNT templates ($(du -sh "$corpus" | cut -f1))"

builtin=(scan "$corpus" --format json --no-store --rules sagemaker-model-network-isolation)
copy=(scan "$corpus" --format json --no-store --policy bench/isolation.rego --rules bench-model-isolation)
example=(scan "$corpus" --format json --no-store --policy examples/policies/model_isolated_or_in_vpc.rego --rules acme-model-isolated-or-in-vpc)

verdicts() {
  { "$vigil" "$@" || true; } | python3 -c '
import json, sys
s = json.load(sys.stdin)["summary"]
print(s["pass"], "pass,", s["fail"], "fail,", s["unknown"], "unknown")'
}
same() {
  { "$vigil" "$@" || true; } | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("\n".join(sorted(f'"'"'{f["location"]["file"]}:{f["resource"]["name"]}:{f["status"]}'"'"' for f in d["findings"])))'
}
echo "built-in rule:          $(verdicts "${builtin[@]}")"
echo "the same, as a policy:  $(verdicts "${copy[@]}")"
echo "README example policy:  $(verdicts "${example[@]}")"
if [ "$(same "${builtin[@]}")" = "$(same "${copy[@]}")" ]; then
  echo "verdicts: the policy gives every resource the built-in rule's verdict"
else
  echo "verdicts: the policy and the built-in rule DIFFER" >&2
  diff <(same "${builtin[@]}") <(same "${copy[@]}") | head -20 >&2
fi

peak() { /usr/bin/time -f "%M" "$vigil" "$@" >/dev/null 2>"$corpus.time" || true; tail -n1 "$corpus.time"; }
echo "peak RSS: built-in $(peak "${builtin[@]}") KB, as a policy $(peak "${copy[@]}") KB, example $(peak "${example[@]}") KB"

hyperfine --warmup 2 --runs "$RUNS" -N -i --export-json "$corpus.json" \
  -n builtin "$vigil ${builtin[*]}" \
  -n policy "$vigil ${copy[*]}" \
  -n example "$vigil ${example[*]}" >/dev/null
python3 - "$corpus.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
b = r["builtin"]["mean"]
for name in ("builtin", "policy", "example"):
    x = r[name]
    print(f"{name:8} {x['mean']*1000:7.1f} ms ± {x['stddev']*1000:4.1f}   {x['mean']/b:4.2f}x the built-in rule")
PY
