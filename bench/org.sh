#!/usr/bin/env bash
# An organization audit at scale, two ways:
#  1. moto through the microburst proxy (real AWS wire formats, real
#     AssumeRole into each account, LATENCY_MS added per call): ACCOUNTS
#     accounts × the REGIONS listed, PER_REGION models in each; with PROWLER
#     set, Prowler looped over `--role` per account on the same estate.
#  2. bench/synthetic_aws.py, a test tool that answers the same calls at a
#     high rate after a fixed latency (moto serves a few hundred requests a
#     second): SYN_ACCOUNTS accounts × SYN_REGIONS regions through --org.
# Prints wall time, peak memory and calls per account for each.
#
#   bench/org.sh
#   ACCOUNTS=10 PROWLER=/tmp/peers/prowler/bin/prowler bench/org.sh
#   SYN_ACCOUNTS=1000 SYN_REGIONS=30 SYN_LATENCY_MS=50 bench/org.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ACCOUNTS="${ACCOUNTS:-10}"
REGIONS="${REGIONS:-us-east-1,eu-west-1,ap-southeast-2}"
PER_REGION="${PER_REGION:-5}"
LATENCY_MS="${LATENCY_MS:-50}"
SYN_ACCOUNTS="${SYN_ACCOUNTS:-1000}"
SYN_REGIONS="${SYN_REGIONS:-30}"
SYN_MODELS="${SYN_MODELS:-1}"
SYN_LATENCY_MS="${SYN_LATENCY_MS:-50}"
CONCURRENCY="${CONCURRENCY:-256}"

source bench/lib.sh

summary() { # report.json seconds peak_kb label
  "$py" - "$@" <<'PY'
import json, sys
report, seconds, peak, label = json.load(open(sys.argv[1])), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
s = report["summary"]
accounts = report.get("accounts", [])
calls = sum(c["operations"] for c in report["calls"].values())
print(f"{label}: {len(accounts)} accounts, {len(report.get('regions', []))} regions: "
      f"{s['pass']} pass, {s['fail']} fail, {s['unknown']} unknown, {s['errors']} errors "
      f"in {seconds:.2f} s, peak RSS {peak / 1024:.1f} MB, {calls / max(len(accounts), 1):.1f} calls per account")
PY
}

timed() { # label report.json command...
  local label="$1" report="$2"; shift 2
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/peak" "$@" --output "$report" || true
  end=$(date +%s.%N)
  summary "$report" "$(echo "$end - $start" | bc)" "$(tail -1 "$work/peak")" "$label"
}

# 1. moto behind the latency proxy.
start_moto
start_latency_proxy "$moto" "$LATENCY_MS"
ids=$(for i in $(seq 1 "$ACCOUNTS"); do printf "%012d\n" $((300000000000 + i)); done | paste -sd,)
"$py" tests/emulator/seed.py "$moto" --regions "$REGIONS" --per-region "$PER_REGION" --accounts "$ids"
echo "== moto + ${LATENCY_MS} ms per call: $ACCOUNTS accounts × $REGIONS, $PER_REGION models each"
timed "vigil (moto)" "$work/moto.json" "$vigil" audit --accounts "$ids" --role-name VigilAudit \
  --regions "$REGIONS" --endpoint-url "$proxy" --rules sagemaker-model-network-isolation \
  --format json --no-progress --no-store
if [ -n "${PROWLER:-}" ]; then
  start=$(date +%s.%N)
  for id in ${ids//,/ }; do
    AWS_ENDPOINT_URL="$proxy" /usr/bin/time -f "%M" -a -o "$work/prowler-peaks" "$PROWLER" aws \
      --role "arn:aws:iam::$id:role/VigilAudit" --checks sagemaker_models_network_isolation_enabled \
      --region ${REGIONS//,/ } --output-formats json-ocsf --output-directory "$work/prowler-$id" \
      --no-banner >/dev/null 2>&1 || true
  done
  end=$(date +%s.%N)
  found=$(cat "$work"/prowler-*/*.ocsf.json 2>/dev/null | "$py" -c '
import json, sys
text = sys.stdin.read().replace("][", ",")
d = json.loads(text) if text.strip() else []
print(len(d), "findings,", sum(1 for f in d if f["status_code"] == "FAIL"), "FAIL")')
  printf "prowler looped over --role: %s in %.2f s, peak RSS %.1f MB per account\n" "$found" \
    "$(echo "$end - $start" | bc)" "$(grep -E '^[0-9]+$' "$work/prowler-peaks" | sort -n | tail -1 | awk '{print $1/1024}')"
fi

# 2. The synthetic endpoint, at organization scale.
python3 bench/synthetic_aws.py --accounts "$SYN_ACCOUNTS" --regions "$SYN_REGIONS" \
  --models "$SYN_MODELS" --latency-ms "$SYN_LATENCY_MS" > "$work/syn.log" 2>&1 &
pids+=($!)
until grep -q "listening on" "$work/syn.log"; do sleep 0.2; done
syn="$(sed -n 's/^listening on //p' "$work/syn.log")"
echo "== synthetic endpoint + ${SYN_LATENCY_MS} ms per call: --org of $SYN_ACCOUNTS members + the management account × $SYN_REGIONS regions, $SYN_MODELS model(s) each"
timed "vigil (synthetic)" "$work/syn.json" "$vigil" audit --org --role-name VigilAudit --endpoint-url "$syn" \
  --rules sagemaker-model-network-isolation --concurrency "$CONCURRENCY" --format json --no-progress --no-store
curl -s "$syn/_stats" | "$py" -c '
import json, sys
s = json.load(sys.stdin)
low, high = s["per_account"]["min"], s["per_account"]["max"]
print("  served:", ", ".join(f"{k} {v}" for k, v in sorted(s["operations"].items())),
      f"; {low}-{high} calls per account")'
