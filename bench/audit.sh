#!/usr/bin/env bash
# Times `vigil audit` on an emulated estate of N models over R regions, and
# Prowler's sagemaker_models_network_isolation_enabled check on the same
# estate when PROWLER points at its executable, in one run, and prints ratios.
#
#   bench/audit.sh                       # 100 models in each of 5 regions
#   PER_REGION=200 LATENCY_MS=40 PROWLER=/tmp/peers/prowler/bin/prowler bench/audit.sh
#
# LATENCY_MS (default 30) adds that much latency to every AWS call through the
# microburst proxy, so concurrency counts as it does against real AWS; 0
# measures against the bare emulator. Needs hyperfine and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

PER_REGION="${PER_REGION:-100}"
REGIONS="${REGIONS:-us-east-1,us-west-2,eu-west-1,eu-central-1,ap-southeast-2}"
LATENCY_MS="${LATENCY_MS:-30}"
RUNS="${RUNS:-5}"
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

source bench/lib.sh
start_moto
endpoint="$moto"
if [ "$LATENCY_MS" != 0 ]; then
  start_latency_proxy "$moto" "$LATENCY_MS"
  endpoint="$proxy"
fi

"$py" tests/emulator/seed.py "$moto" --regions "$REGIONS" --per-region "$PER_REGION"
models=$(( PER_REGION * $(tr ',' '\n' <<<"$REGIONS" | wc -l) ))

echo "== estate: $models models over $REGIONS; added latency per call: ${LATENCY_MS} ms"
# The same scope as Prowler's single check: the flagship rule only.
audit=("$vigil" audit --regions "$REGIONS" --endpoint-url "$endpoint" --format json --no-progress
  --rules sagemaker-model-network-isolation --no-store)
"${audit[@]}" --output "$work/vigil.json" || true
"$py" - "$work/vigil.json" "$models" <<'PY'
import json, sys
report, models = json.load(open(sys.argv[1])), int(sys.argv[2])
s = report["summary"]
print(f"vigil verdicts: {s['pass']} pass, {s['fail']} fail, {s['unknown']} unknown, {s['errors']} errors")
ops = sum(c["operations"] for c in report["calls"].values())
print(f"vigil calls: {ops} operations for {models} models = {ops / models:.3f} per model")
for op, c in sorted(report["calls"].items()):
    print(f"  {op:<28} {c['operations']:>6} operations {c['attempts']:>6} attempts")
PY
/usr/bin/time -f "vigil peak RSS: %M KB" "${audit[@]}" --output /dev/null || true

# What every rule costs on top: the kinds they add (notebooks, domains,
# training, processing and tuning jobs, monitoring) are listed in every
# region even when empty, so the price is calls per region, not per model.
every=("$vigil" audit --regions "$REGIONS" --endpoint-url "$endpoint" --format json --no-progress --no-store)
start=$(date +%s.%N)
"${every[@]}" --output "$work/every.json" || true
end=$(date +%s.%N)
"$py" - "$work/vigil.json" "$work/every.json" "$(tr ',' '\n' <<<"$REGIONS" | wc -l)" "$(echo "$end - $start" | bc)" <<'PY'
import json, sys
flagship, every = (json.load(open(p)) for p in sys.argv[1:3])
regions, seconds = int(sys.argv[3]), float(sys.argv[4])
count = lambda r: sum(c["operations"] for c in r["calls"].values())
print(f"every rule ({len(set(f['rule'] for f in every['findings']))} with findings): {count(every)} calls in {seconds:.2f} s, "
      f"{(count(every) - count(flagship)) / regions:.1f} more per region than the flagship rule alone")
for op, c in sorted(every["calls"].items()):
    if op not in flagship["calls"]:
        print(f"  {op:<48} {c['operations']:>6} operations")
# Bedrock (agents, guardrails, prompts, flows, custom models, knowledge bases,
# the VPCs and log buckets of regions that use it) and AgentCore apart: what a
# team that runs no Bedrock pays for those rules. (CloudWatch's ListMetrics
# tells whether a region invokes models, for the logging and VPC rules.) The
# Bedrock rules' IAM reads are per account, not per region.
bedrock_iam = ("iam:ListRoles", "iam:ListEntitiesForPolicy", "iam:ListServiceSpecificCredentials",
               "iam:ListUserPolicies", "iam:GetUserPolicy", "iam:ListAttachedUserPolicies")
bedrock_ec2 = ("ec2:DescribeVpcs", "ec2:DescribeNetworkInterfaces")
for family, prefixes in [("Bedrock", ("bedrock:", "cloudwatch:", "s3:", "logs:") + bedrock_ec2),
                         ("AgentCore", ("bedrock-agentcore:",))]:
    ops = sum(c["operations"] for op, c in every["calls"].items() if op.startswith(prefixes))
    print(f"the {family} rules: {ops} calls, {ops / regions:.1f} per region")
accounts = max(1, len(every.get("accounts") or []) or 1)
ops = sum(c["operations"] for op, c in every["calls"].items() if op in bedrock_iam)
print(f"the Bedrock rules' IAM reads: {ops} calls, {ops / accounts:.1f} per account")
PY

# The same audit recorded into a SQLite store that already holds the estate
# (as every run after the first finds it): what recording costs.
commands=("${audit[*]} --output /dev/null" "${audit[*]/--no-store/--store sqlite://$work/f.db} --output /dev/null")
names=(vigil vigil+store)
if [ -n "${PROWLER:-}" ]; then
  prowler_cmd="AWS_ENDPOINT_URL=$endpoint $PROWLER aws --checks sagemaker_models_network_isolation_enabled \
    --region $(tr ',' ' ' <<<"$REGIONS") --output-formats json-ocsf --output-directory $work/prowler --no-banner"
  eval "$prowler_cmd" >/dev/null 2>&1 || true
  found=$(cat "$work"/prowler/*.ocsf.json 2>/dev/null | "$py" -c 'import json,sys; d=json.load(sys.stdin); print(sum(1 for f in d), "findings,", sum(1 for f in d if f["status_code"]=="FAIL"), "FAIL")' || echo "no output")
  echo "prowler verdicts: $found"
  commands+=("$prowler_cmd")
  names+=(prowler)
fi
hyperfine --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$work/times.json" \
  $(for n in "${names[@]}"; do printf -- "--command-name %s " "$n"; done) "${commands[@]}"
"$py" - "$work/times.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
base = results["vigil"]["mean"]
for name, r in results.items():
    print(f"{name:<8} mean {r['mean']:.3f} s  (±{r['stddev'] or 0:.3f})  {r['mean'] / base:6.1f}× vigil")
PY
