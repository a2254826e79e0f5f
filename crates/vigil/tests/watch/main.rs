//! `vigil watch` against the emulator: an EventBridge rule delivers
//! SageMaker events to an SQS queue (moto routes PutEvents to SQS targets);
//! the watcher judges the model an event names within seconds, ignores and
//! deletes poison, leaves the queue empty, and ends on SIGTERM with exit 0.

#[path = "../support/mod.rs"]
mod support;

mod kinds;

use aws_sdk_sagemaker::config::{BehaviorVersion, Credentials, Region};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use support::seed::{self, Isolation, Spec};
use support::{block_on, Emulator};

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";

fn sqs(endpoint: &str) -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::from_conf(
        aws_sdk_sqs::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
            .build(),
    )
}

fn events(endpoint: &str) -> aws_sdk_eventbridge::Client {
    aws_sdk_eventbridge::Client::from_conf(
        aws_sdk_eventbridge::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
            .build(),
    )
}

/// A queue fed by a rule for every SageMaker and AgentCore event; returns its URL.
fn plumbing(endpoint: &str) -> String {
    plumbing_with(endpoint, 30)
}

/// The same, with a message coming back `visibility` seconds after a
/// receive that did not delete it.
fn plumbing_with(endpoint: &str, visibility: u32) -> String {
    block_on(async {
        let queue = sqs(endpoint)
            .create_queue()
            .queue_name("vigil-watch")
            .attributes(
                aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
                visibility.to_string(),
            )
            .send()
            .await
            .expect("CreateQueue");
        let url = queue.queue_url().unwrap().to_owned();
        let arn = format!("arn:aws:sqs:{REGION}:{ACCOUNT}:vigil-watch");
        let bridge = events(endpoint);
        bridge
            .put_rule()
            .name("vigil-watch")
            .event_pattern(json!({"source": ["aws.sagemaker", "aws.bedrock-agentcore", "aws.bedrock"]}).to_string())
            .send()
            .await
            .expect("PutRule");
        bridge
            .put_targets()
            .rule("vigil-watch")
            .targets(
                aws_sdk_eventbridge::types::Target::builder()
                    .id("queue")
                    .arn(arn)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("PutTargets");
        url
    })
}

/// What CloudTrail puts on the bus after a CreateModel call.
fn create_model_event(endpoint: &str, name: &str) {
    let request = json!({"modelName": name, "executionRoleArn": "arn:aws:iam::123456789012:role/sm"});
    api_call_event(endpoint, "CreateModel", request);
}

/// What CloudTrail puts on the bus after the SageMaker API call `call`.
fn api_call_event(endpoint: &str, call: &str, request: Value) {
    cloudtrail_event(endpoint, "sagemaker", call, request, Value::Null);
}

/// What CloudTrail puts on the bus after the AgentCore control-plane call `call`.
fn agentcore_call_event(endpoint: &str, call: &str, request: Value, response: Value) {
    cloudtrail_event(endpoint, "bedrock-agentcore", call, request, response);
}

/// A CloudTrail API-call event of `service` (`sagemaker`: source
/// `aws.sagemaker`, event source `sagemaker.amazonaws.com`).
fn cloudtrail_event(endpoint: &str, service: &str, call: &str, request: Value, response: Value) {
    let detail = json!({
        "eventSource": format!("{service}.amazonaws.com"), "eventName": call,
        "awsRegion": REGION, "recipientAccountId": ACCOUNT,
        "requestParameters": request, "responseElements": response
    });
    block_on(async {
        let entry = aws_sdk_eventbridge::types::PutEventsRequestEntry::builder()
            .source(format!("aws.{service}"))
            .detail_type("AWS API Call via CloudTrail")
            .detail(detail.to_string())
            .build();
        let out = events(endpoint)
            .put_events()
            .entries(entry)
            .send()
            .await
            .expect("PutEvents");
        assert_eq!(out.failed_entry_count(), 0);
    });
}

fn messages_left(endpoint: &str, url: &str) -> u64 {
    block_on(async {
        let attributes = sqs(endpoint)
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
            .send()
            .await
            .expect("GetQueueAttributes");
        let count = |name| {
            attributes
                .attributes()
                .and_then(|a| a.get(&name))
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        count(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages)
            + count(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
    })
}

/// The next finding line for `name`, waiting at most `limit`.
fn finding_for(lines: &mpsc::Receiver<Value>, name: &str, limit: Duration) -> Value {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line["resource"]["name"] == name => return line,
            Ok(_) => continue,
            Err(_) => panic!("no finding for {name} within {limit:?}"),
        }
    }
}

/// A running watcher, its finding lines, and the thread collecting its log.
fn spawn_watcher(
    endpoint: &str,
    queue: &str,
    extra: &[&str],
) -> (
    std::process::Child,
    mpsc::Receiver<Value>,
    std::thread::JoinHandle<String>,
) {
    spawn_with(&mut watcher_command(endpoint, queue, extra))
}

/// `vigil watch` on `queue`, printing JSON lines, judging models.
fn watcher_command(endpoint: &str, queue: &str, extra: &[&str]) -> std::process::Command {
    let mut args = vec![
        "watch",
        "--queue-url",
        queue,
        "--endpoint-url",
        endpoint,
        "--format",
        "json",
        "--wait-seconds",
        "1",
        "--rules",
        "sagemaker-model-network-isolation",
    ];
    args.extend_from_slice(extra);
    support::vigil_command(&args)
}

/// Starts `command` as a watcher (see `spawn_watcher`).
fn spawn_with(
    command: &mut std::process::Command,
) -> (
    std::process::Child,
    mpsc::Receiver<Value>,
    std::thread::JoinHandle<String>,
) {
    let mut watcher = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting vigil watch");
    let (send, lines) = mpsc::channel();
    let stdout = watcher.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let parsed: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
            if send.send(parsed).is_err() {
                break;
            }
        }
    });
    let stderr = watcher.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut text).ok();
        text
    });
    (watcher, lines, log)
}

fn stop(mut watcher: std::process::Child) {
    let pid = watcher.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = watcher.wait().unwrap();
    assert_eq!(status.code(), Some(0), "SIGTERM ends the watcher cleanly");
}

/// The next `count` findings, keyed by resource name: events handled in
/// one batch are judged in any order.
fn findings_by_name(lines: &mpsc::Receiver<Value>, count: usize) -> std::collections::BTreeMap<String, Value> {
    let mut found = std::collections::BTreeMap::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while found.len() < count {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("only {found:?} within 5 s"));
        found.insert(line["resource"]["name"].as_str().unwrap().to_owned(), line);
    }
    found
}

#[test]
fn a_created_model_is_judged_within_seconds_and_poison_changes_nothing() {
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    let (watcher, lines, log) = spawn_watcher(&emulator.url, &url, &[]);

    // A message that is no event at all comes first: it must not stop the watcher.
    block_on(async {
        sqs(&emulator.url)
            .send_message()
            .queue_url(&url)
            .message_body("{ this is not an event")
            .send()
            .await
            .expect("SendMessage");
    });

    seed::create_all(&emulator.url, &[Spec::new(REGION, "open-model", Isolation::Off)]);
    let created = Instant::now();
    create_model_event(&emulator.url, "open-model");
    let open = finding_for(&lines, "open-model", Duration::from_secs(5));
    let took = created.elapsed();
    assert_eq!(open["status"], "fail", "{open:#}");
    assert_eq!(open["rule"], "sagemaker-model-network-isolation");
    assert_eq!(open["resource"]["account"], ACCOUNT);
    assert_eq!(open["resource"]["region"], REGION);
    eprintln!("CreateModel event to finding: {took:?}");

    seed::create_all(&emulator.url, &[Spec::new(REGION, "isolated-model", Isolation::On)]);
    create_model_event(&emulator.url, "isolated-model");
    let isolated = finding_for(&lines, "isolated-model", Duration::from_secs(5));
    assert_eq!(isolated["status"], "pass", "{isolated:#}");

    // An event for a model deleted since: a clear outcome, no finding.
    create_model_event(&emulator.url, "never-created");

    support::wait_for(10, "the queue to empty", || messages_left(&emulator.url, &url) == 0);

    stop(watcher);
    let log = log.join().unwrap();
    assert!(log.contains("not a SageMaker event"), "{log}");
    assert!(log.contains("never-created no longer exists"), "{log}");
    assert!(log.contains("stopped"), "{log}");
    // Nothing else was emitted: one line per judged model, none for poison or the deleted model.
    let rest: Vec<Value> = lines.try_iter().collect();
    assert!(
        rest.iter().all(|l| l["resource"]["name"] != "never-created"),
        "{rest:?}"
    );
}

#[test]
fn failures_and_only_failures_are_published_to_the_sns_topic() {
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    let (topic, inbox) = block_on(async {
        let sns = aws_sdk_sns::Client::from_conf(
            aws_sdk_sns::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new(REGION))
                .endpoint_url(&emulator.url)
                .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
                .build(),
        );
        let topic = sns
            .create_topic()
            .name("vigil-failures")
            .send()
            .await
            .expect("CreateTopic");
        let topic = topic.topic_arn().unwrap().to_owned();
        let inbox = sqs(&emulator.url)
            .create_queue()
            .queue_name("inbox")
            .send()
            .await
            .expect("CreateQueue");
        sns.subscribe()
            .topic_arn(&topic)
            .protocol("sqs")
            .endpoint(format!("arn:aws:sqs:{REGION}:{ACCOUNT}:inbox"))
            .send()
            .await
            .expect("Subscribe");
        (topic, inbox.queue_url().unwrap().to_owned())
    });
    let (watcher, lines, _log) = spawn_watcher(&emulator.url, &url, &["--notify-sns", &topic]);
    seed::create_all(
        &emulator.url,
        &[
            Spec::new(REGION, "open-model", Isolation::Off),
            Spec::new(REGION, "isolated-model", Isolation::On),
        ],
    );
    create_model_event(&emulator.url, "open-model");
    create_model_event(&emulator.url, "isolated-model");
    let found = findings_by_name(&lines, 2);
    assert_eq!(
        (
            found["open-model"]["status"].as_str(),
            found["isolated-model"]["status"].as_str()
        ),
        (Some("fail"), Some("pass"))
    );
    support::wait_for(10, "the queue to empty", || messages_left(&emulator.url, &url) == 0);
    stop(watcher);
    let published: Vec<Value> = block_on(async {
        let got = sqs(&emulator.url)
            .receive_message()
            .queue_url(&inbox)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .send()
            .await
            .expect("ReceiveMessage");
        got.messages()
            .iter()
            .map(|m| {
                let envelope: Value = serde_json::from_str(m.body().unwrap()).unwrap();
                serde_json::from_str(envelope["Message"].as_str().unwrap()).unwrap()
            })
            .collect()
    });
    assert_eq!(published.len(), 1, "{published:?}");
    assert_eq!(published[0]["resource"]["name"], "open-model");
    assert_eq!(published[0]["status"], "fail");
}

/// A webhook that answers 503 to its first POST and 200 after, sending
/// each body it gets down `bodies`; returns its URL.
fn webhook(bodies: mpsc::Sender<Value>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { break };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let status = if n == 0 { "503 Service Unavailable" } else { "200 OK" };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            if bodies.send(serde_json::from_slice(&body).unwrap()).is_err() {
                break;
            }
        }
    });
    url
}

#[test]
fn a_failure_the_webhook_refused_is_posted_again_before_its_message_goes() {
    let emulator = Emulator::start();
    let url = plumbing_with(&emulator.url, 1);
    let (send, posted) = mpsc::channel();
    let hook = webhook(send);
    let (watcher, lines, log) = spawn_watcher(&emulator.url, &url, &["--notify-url", &hook]);
    seed::create_all(&emulator.url, &[Spec::new(REGION, "open-model", Isolation::Off)]);
    create_model_event(&emulator.url, "open-model");
    // Judged and printed at once; the webhook refuses, so the message stays
    // and comes back a second later: judged, printed and posted again.
    finding_for(&lines, "open-model", Duration::from_secs(5));
    let first = posted.recv_timeout(Duration::from_secs(5)).expect("a first POST");
    let second = posted
        .recv_timeout(Duration::from_secs(10))
        .expect("a POST after the redelivery");
    for body in [&first, &second] {
        assert_eq!(body["finding"]["resource"]["name"], "open-model", "{body:#}");
        assert!(body["text"].as_str().unwrap().contains("open-model"), "{body:#}");
    }
    support::wait_for(10, "the queue to empty", || messages_left(&emulator.url, &url) == 0);
    stop(watcher);
    let log = log.join().unwrap();
    assert!(log.contains("not posted to --notify-url (answered HTTP 503"), "{log}");
}

#[test]
fn judged_events_are_recorded_and_reconciliation_audits_at_start() {
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    // Created before the watcher starts, with no event: only the
    // reconciliation audit can see it.
    seed::create_all(
        &emulator.url,
        &[Spec::new(REGION, "before-the-watcher", Isolation::Off)],
    );
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite://{}", dir.path().join("findings.db").display());
    let extra = ["--reconcile", "1h", "--regions", REGION, "--store", &store];
    // The test bed turns recording off by default; this test records.
    let (watcher, lines, _log) = spawn_with(watcher_command(&emulator.url, &url, &extra).env_remove("VIGIL_NO_STORE"));
    let reconciled = finding_for(&lines, "before-the-watcher", Duration::from_secs(10));
    assert_eq!(reconciled["status"], "fail", "{reconciled:#}");
    seed::create_all(&emulator.url, &[Spec::new(REGION, "after", Isolation::Off)]);
    create_model_event(&emulator.url, "after");
    let judged = finding_for(&lines, "after", Duration::from_secs(5));
    assert_eq!(judged["history"]["new"], true, "recorded as a new failure: {judged:#}");
    support::wait_for(10, "the queue to empty", || messages_left(&emulator.url, &url) == 0);
    stop(watcher);
    let listed = support::vigil_command(&["findings", "--store", &store, "--state", "open", "--format", "json"])
        .env_remove("VIGIL_NO_STORE")
        .output()
        .unwrap();
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let mut names: Vec<&str> = listed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"]["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["after", "before-the-watcher"], "{listed:#}");
}

#[test]
fn print_template_prints_a_template_vigil_scans_cleanly() {
    let out = support::vigil(&["watch", "--print-template"]);
    assert_eq!(out.status.code(), Some(0));
    let template = String::from_utf8(out.stdout).unwrap();
    assert!(template.contains("AWS::Events::Rule") && template.contains("RedrivePolicy"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("watch.yaml");
    std::fs::write(&path, &template).unwrap();
    let scanned = support::vigil(&["scan", path.to_str().unwrap(), "--format", "json"]);
    let report: Value = serde_json::from_slice(&scanned.stdout).unwrap();
    assert_eq!(scanned.status.code(), Some(0), "{report:#}");
    assert_eq!(report["files"]["templates"], 1, "{report:#}");
    assert_eq!(report["files"]["unparsable"], 0, "{report:#}");
}

#[test]
fn watch_without_a_queue_is_a_usage_error() {
    let out = support::vigil(&["watch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--queue-url"));
}

#[test]
fn a_queue_that_does_not_exist_stops_the_watcher_at_once_in_sqss_words() {
    let emulator = Emulator::start();
    let missing = format!("{}/{ACCOUNT}/no-such-queue", emulator.url);
    let out = watcher_command(&emulator.url, &missing, &[])
        .output()
        .expect("running vigil watch");
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    let first = said.lines().next().unwrap_or_default();
    assert!(
        first.contains(&missing)
            && first.contains("sqs:GetQueueAttributes failed")
            && first.contains("NonExistentQueue"),
        "{said}"
    );
    assert!(!said.contains("deleted between listing"), "{said}");
}

#[test]
fn a_closed_standard_output_keeps_the_message_and_the_watcher() {
    let emulator = Emulator::start();
    let url = plumbing_with(&emulator.url, 1);
    let mut watcher = watcher_command(&emulator.url, &url, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting vigil watch");
    drop(watcher.stdout.take());
    let stderr = watcher.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut text).ok();
        text
    });
    seed::create_all(&emulator.url, &[Spec::new(REGION, "unseen", Isolation::Off)]);
    create_model_event(&emulator.url, "unseen");
    // Delivered again and again (a one-second visibility), never deleted.
    std::thread::sleep(Duration::from_secs(4));
    assert!(watcher.try_wait().unwrap().is_none(), "the watcher is still running");
    assert_eq!(messages_left(&emulator.url, &url), 1, "the message is kept");
    stop(watcher);
    let log = log.join().unwrap();
    assert!(log.contains("unseen: not written to standard output"), "{log}");
    assert!(!log.contains("panicked"), "{log}");
}

#[test]
fn a_policy_judges_a_created_model_as_it_does_in_an_audit() {
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    let policies = format!("{}/../../examples/policies", env!("CARGO_MANIFEST_DIR"));
    let rule = "acme-model-isolated-or-in-vpc";
    let (watcher, lines, _log) = spawn_watcher(&emulator.url, &url, &["--rules", rule, "--policy", &policies]);
    seed::create_all(
        &emulator.url,
        &[
            Spec::new(REGION, "bare-model", Isolation::Off),
            Spec::new(REGION, "vpc-model", Isolation::Off).in_vpc(),
        ],
    );
    create_model_event(&emulator.url, "bare-model");
    create_model_event(&emulator.url, "vpc-model");
    let mut judged = std::collections::BTreeMap::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while judged.len() < 2 {
        let line = lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("only {judged:?} within 10 s"));
        if line["rule"] == rule {
            let name = line["resource"]["name"].as_str().unwrap().to_owned();
            judged.insert(name, (line["status"].clone(), line["message"].clone()));
        }
    }
    assert_eq!(
        judged["bare-model"],
        (json!("fail"), json!("model bare-model has neither isolation nor a VPC"))
    );
    assert_eq!(judged["vpc-model"].0, "pass");
    stop(watcher);
}
