#!/usr/bin/env bash
# What one `vigil watch` handles against the emulator: the time from
# CreateModel (and its CloudTrail-shaped event on the bus) to the printed
# finding, and events per second through one watcher when EVENTS events are
# queued at once. moto delivers EventBridge events to the SQS target.
#
#   bench/watch.sh                 # EVENTS=300, SAMPLES=20
#   EVENTS=1000 WATCHERS=2 bench/watch.sh
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS="${EVENTS:-300}"
SAMPLES="${SAMPLES:-20}"
WATCHERS="${WATCHERS:-1}"

source bench/lib.sh
start_moto

queue=$("$py" - "$moto" <<'PY'
import json, sys, boto3
url = sys.argv[1]
sqs = boto3.client("sqs", endpoint_url=url)
q = sqs.create_queue(QueueName="vigil-watch")["QueueUrl"]
ev = boto3.client("events", endpoint_url=url)
ev.put_rule(Name="vigil-watch", EventPattern=json.dumps({"source": ["aws.sagemaker"]}))
ev.put_targets(Rule="vigil-watch", Targets=[{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:vigil-watch"}])
print(q)
PY
)
for i in $(seq 1 "$WATCHERS"); do
  "$vigil" watch --queue-url "$queue" --endpoint-url "$moto" --format json --wait-seconds 1 \
    --rules sagemaker-model-network-isolation --no-store > "$work/out-$i.jsonl" 2> "$work/err-$i.log" &
  pids+=($!)
done
sleep 1

"$py" - "$moto" "$work" "$EVENTS" "$SAMPLES" "$WATCHERS" <<'PY'
import glob, json, statistics, sys, time, boto3
url, work, events, samples, watchers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
sm = boto3.client("sagemaker", endpoint_url=url)
ev = boto3.client("events", endpoint_url=url)
ROLE = "arn:aws:iam::123456789012:role/sm"

def event(name):
    detail = {"eventSource": "sagemaker.amazonaws.com", "eventName": "CreateModel", "awsRegion": "us-east-1",
              "recipientAccountId": "123456789012", "requestParameters": {"modelName": name}}
    return {"Source": "aws.sagemaker", "DetailType": "AWS API Call via CloudTrail", "Detail": json.dumps(detail)}

def lines():
    found = []
    for path in glob.glob(f"{work}/out-*.jsonl"):
        with open(path) as f:
            found += [json.loads(l) for l in f if l.strip()]
    return found

def wait_for(names, limit=120):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        seen = {l["resource"]["name"] for l in lines()}
        if names <= seen:
            return time.monotonic()
        time.sleep(0.005)
    raise SystemExit(f"not all findings within {limit} s")

latencies = []
for i in range(samples):
    name = f"latency-{i}"
    start = time.monotonic()
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "img"},
                    EnableNetworkIsolation=(i % 2 == 0))
    ev.put_events(Entries=[event(name)])
    latencies.append(wait_for({name}) - start)
latencies.sort()
print(f"CreateModel to finding, {samples} samples: median {statistics.median(latencies) * 1000:.0f} ms, "
      f"max {latencies[-1] * 1000:.0f} ms (CreateModel and PutEvents included)")

names = [f"burst-{i:05}" for i in range(events)]
for n in names:
    sm.create_model(ModelName=n, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "img"})
start = time.monotonic()
for i in range(0, events, 10):
    ev.put_events(Entries=[event(n) for n in names[i:i + 10]])
queued = time.monotonic()
done = wait_for(set(names))
print(f"{events} events through {watchers} watcher(s): {events / (done - start):.0f} events/s "
      f"(queueing them took {queued - start:.2f} s of the {done - start:.2f} s)")
PY
grep -h "vigil watch" "$work"/err-*.log | grep -v "receiving from" | sort | uniq -c | head -5 || true
