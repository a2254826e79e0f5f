#!/usr/bin/env bash
# Times `vigil scan` on a generated corpus of templates beside Checkov
# (CKV_AWS_370) and cfn-guard when they are installed, in one run, and prints
# ratios and peak memory.
#
#   bench/scan.sh                                  # 2,000 templates
#   COUNT=5000 CHECKOV=/tmp/peers/checkov/bin/checkov CFN_GUARD=~/.cargo/bin/cfn-guard bench/scan.sh
#
# cfn-guard reads CloudFormation only, so it is also timed against Vigil on
# the CloudFormation part of the corpus. Needs hyperfine and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${COUNT:-2000}"
RUNS="${RUNS:-5}"
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet --bin vigil
target="${CARGO_TARGET_DIR:-target}"; [[ "$target" = /* ]] || target="$(pwd)/$target"
vigil="$target/release/vigil"
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
python3 bench/gen_corpus.py "$corpus" "$COUNT"
mkdir -p "$corpus-cfn" && trap 'rm -rf "$corpus" "$corpus-cfn"' EXIT
cp -r "$corpus/cfn-yaml" "$corpus/cfn-json" "$corpus-cfn/"
echo "== corpus: $COUNT templates ($(du -sh "$corpus" | cut -f1)), $(find "$corpus-cfn" -type f | wc -l) of them CloudFormation"

peak() { /usr/bin/time -f "%M" "$@" >/dev/null 2>"$corpus.time" || true; tail -n1 "$corpus.time"; }
# Vigil's peak RSS moves by a megabyte from run to run (the allocator, the
# page cache), as much as the growth it is meant to show: the median of
# five runs, and their range.
runs_of_peak() { for _ in 1 2 3 4 5; do peak "$@"; done | sort -n | tr '\n' ' '; }
median() { echo "$1" | awk '{print $3}'; }
range() { echo "$1" | awk '{print $1 "–" $5}'; }
# The same scope as CKV_AWS_370 and the guard rule: the flagship rule only.
only=(--rules sagemaker-model-network-isolation --no-store)
summary() {
  { "$vigil" scan "$1" --format json "${only[@]}" || true; } | python3 -c '
import json, sys
s = json.load(sys.stdin)["summary"]
print(s["pass"], "pass,", s["fail"], "fail,", s["unknown"], "unknown")'
}

echo "vigil verdicts (all): $(summary "$corpus")"
small="$(runs_of_peak "$vigil" scan "$corpus" --format json "${only[@]}")"
echo "vigil peak RSS (all): $(median "$small") KB (median of 5; $(range "$small"))"
# The same at four times the corpus: findings are spilled to a temporary
# file as each file is judged, so peak memory should stay within 10 %.
big="$corpus-4x"
python3 bench/gen_corpus.py "$big" $((COUNT * 4))
large="$(runs_of_peak "$vigil" scan "$big" --format json "${only[@]}")"
echo "vigil peak RSS at $((COUNT * 4)) templates: $(median "$large") KB (median of 5; $(range "$large")), $(awk -v a="$(median "$small")" -v b="$(median "$large")" 'BEGIN {printf "%+.1f %%", (b - a) * 100 / a}')"
rm -rf "$big"
names=(vigil); cmds=("$vigil scan $corpus --format json ${only[*]}")
if [ -n "${CHECKOV:-}" ]; then
  verdict=$({ "$CHECKOV" -d "$corpus" --check CKV_AWS_370 --quiet --compact -o json 2>/dev/null || true; } | python3 -c '
import json,sys
d=json.load(sys.stdin); d=d if isinstance(d,list) else [d]
p=sum(x["summary"]["passed"] for x in d); f=sum(x["summary"]["failed"] for x in d); print(f"{p} pass, {f} fail")' || echo "no output")
  echo "checkov verdicts (all): $verdict"
  echo "checkov peak RSS (all): $(peak "$CHECKOV" -d "$corpus" --check CKV_AWS_370 --quiet --compact -o json) KB"
  names+=(checkov); cmds+=("$CHECKOV -d $corpus --check CKV_AWS_370 --quiet --compact -o json")
fi
hyperfine --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$corpus.all.json" \
  $(for n in "${names[@]}"; do printf -- "--command-name %s " "$n"; done) "${cmds[@]}"

if [ -n "${CFN_GUARD:-}" ]; then
  echo "== CloudFormation only"
  echo "vigil verdicts (cfn): $(summary "$corpus-cfn")"
  echo "cfn-guard peak RSS (cfn): $(peak "$CFN_GUARD" validate --rules bench/sagemaker-model-isolation.guard --data "$corpus-cfn" --show-summary none) KB"
  echo "vigil peak RSS (cfn): $(peak "$vigil" scan "$corpus-cfn" --format json "${only[@]}") KB"
  hyperfine --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$corpus.cfn.json" \
    --command-name vigil "$vigil scan $corpus-cfn --format json ${only[*]}" \
    --command-name cfn-guard "$CFN_GUARD validate --rules bench/sagemaker-model-isolation.guard --data $corpus-cfn --show-summary none"
fi

python3 - "$corpus".*.json <<'PY'
import json, sys
for path in sys.argv[1:]:
    results = {r["command"]: r for r in json.load(open(path))["results"]}
    base = results["vigil"]["mean"]
    print(f"-- {'CloudFormation subset' if path.endswith('.cfn.json') else 'whole corpus'}")
    for name, r in results.items():
        print(f"{name:<10} mean {r['mean']:.3f} s  (±{r['stddev'] or 0:.3f})  {r['mean'] / base:7.1f}× vigil")
PY
