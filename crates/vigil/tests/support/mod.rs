//! The test bed: the patched moto server and the microburst fault proxy, each
//! started on a free loopback port for one test, and the real `vigil` binary
//! run against them. Python comes from the venv that `scripts/test` builds
//! (`VIGIL_EMULATOR_PYTHON`).

#![allow(dead_code)] // each test file uses a different part of the bed

mod fork_server;
pub mod postgres;
pub mod remediation;
pub mod seed;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn python() -> PathBuf {
    let path = std::env::var_os("VIGIL_EMULATOR_PYTHON")
        .map(PathBuf::from)
        .expect("VIGIL_EMULATOR_PYTHON is not set: run the tests with scripts/test, which builds the emulator venv");
    assert!(path.exists(), "VIGIL_EMULATOR_PYTHON={} does not exist", path.display());
    path
}

/// Runs `script` with the emulator venv's Python (boto3 is there), the
/// emulator's URL as its argument, for what the Rust SDK crates Vigil
/// builds cannot create (IAM, EC2); what it printed.
pub fn python_scene(script: &str, endpoint: &str) -> Vec<u8> {
    let made = fork_server::scene(script, &[endpoint]);
    assert!(
        made.code == 0,
        "the scene exited {}:\n{}\n{}",
        made.code,
        made.stdout,
        made.stderr
    );
    made.stdout.into_bytes()
}

/// A customer-managed KMS key, enabled, made in the emulator's `region`
/// (KMS answers for it, as for a real key): its ARN.
pub fn customer_key(endpoint: &str, region: &str) -> String {
    let script = format!(
        "import boto3, sys\nkms = boto3.client('kms', endpoint_url=sys.argv[1], region_name='{region}', aws_access_key_id='testing', aws_secret_access_key='testing')\nprint(kms.create_key()['KeyMetadata']['Arn'])"
    );
    String::from_utf8(python_scene(&script, endpoint))
        .unwrap()
        .trim()
        .to_owned()
}

/// A knowledge base made through boto3 in `region`, with data sources
/// (name, customer key or none): its id and theirs, in order.
pub fn knowledge_base(endpoint: &str, region: &str, sources: &[(&str, Option<&str>)]) -> (String, Vec<String>) {
    let sources = serde_json::to_string(sources).unwrap();
    let script = format!(
        r#"
import boto3, json, sys
b = boto3.client('bedrock-agent', endpoint_url=sys.argv[1], region_name='{region}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
kb = b.create_knowledge_base(name='manuals', roleArn='arn:aws:iam::123456789012:role/kb',
    knowledgeBaseConfiguration={{'type': 'VECTOR', 'vectorKnowledgeBaseConfiguration':
        {{'embeddingModelArn': 'arn:aws:bedrock:{region}::foundation-model/amazon.titan-embed-text-v2:0'}}}},
    storageConfiguration={{'type': 'OPENSEARCH_SERVERLESS', 'opensearchServerlessConfiguration':
        {{'collectionArn': 'arn:aws:aoss:{region}:123456789012:collection/abc', 'vectorIndexName': 'i',
          'fieldMapping': {{'vectorField': 'v', 'textField': 't', 'metadataField': 'm'}}}}}})['knowledgeBase']
made = []
for name, key in json.loads('{sources}'):
    extra = {{'serverSideEncryptionConfiguration': {{'kmsKeyArn': key}}}} if key else {{}}
    made.append(b.create_data_source(knowledgeBaseId=kb['knowledgeBaseId'], name=name,
        dataSourceConfiguration={{'type': 'S3', 's3Configuration': {{'bucketArn': 'arn:aws:s3:::acme-manuals'}}}},
        **extra)['dataSource']['dataSourceId'])
print(json.dumps([kb['knowledgeBaseId'], made]))
"#
    );
    serde_json::from_slice(&python_scene(&script, endpoint)).unwrap()
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// A process killed when the test is done with it.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// moto's server with Vigil's fixes (tests/emulator/vigil_moto.py).
pub struct Emulator {
    _alive: Alive,
    pub url: String,
}

/// What keeps an emulator running until the test drops it.
enum Alive {
    /// Its own process, killed on drop.
    Process(Guard),
    /// A child of the fork server, which exits when this is closed.
    Forked(std::os::unix::net::UnixStream),
}

impl Emulator {
    /// A fresh emulator with the fixes, forked from the test binary's fork
    /// server (tests/emulator/fork_server.py).
    pub fn start() -> Self {
        let (conn, url) = fork_server::emulator();
        Emulator {
            _alive: Alive::Forked(conn),
            url,
        }
    }

    /// An emulator started with vigil_moto.py's `flags` (faults, timings),
    /// as a process of its own.
    pub fn start_with(flags: &[&str]) -> Self {
        let script = repo_root().join("tests/emulator/vigil_moto.py");
        let mut child = Command::new(python())
            .arg(script)
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting the emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("emulator said {line:?}"))
            .to_owned();
        Emulator {
            _alive: Alive::Process(Guard(child)),
            url,
        }
    }
}

/// microburst between vigil and the emulator, to inject faults.
pub struct FaultProxy {
    _process: Guard,
    pub url: String,
}

impl FaultProxy {
    /// microburst in PostgreSQL wire mode in front of `upstream`
    /// (`host:port`); its control API answers at `url`, the proxy at `port`.
    pub fn start_postgres(upstream: &str) -> (Self, u16) {
        let (port, control) = (free_port(), free_port());
        let args = [
            "--protocol",
            "postgres",
            "--upstream",
            upstream,
            "--port",
            &port.to_string(),
        ];
        (Self::launch(&args, control), port)
    }

    pub fn start(upstream: &str) -> Self {
        let port = free_port();
        Self::launch(&["--port", &port.to_string(), "--upstream", upstream], port)
    }

    /// microburst with `args`, its control API on `control` (in HTTP mode,
    /// the proxy's own port).
    fn launch(args: &[&str], control: u16) -> Self {
        let microburst = python().with_file_name("microburst");
        let child = Command::new(microburst)
            .args(["--host", "127.0.0.1", "--control-port", &control.to_string()])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting microburst");
        let proxy = FaultProxy {
            _process: Guard(child),
            url: format!("http://127.0.0.1:{control}"),
        };
        wait_for(30, &format!("microburst did not start on port {control}"), || {
            ureq::get(format!("{}/_microburst/health", proxy.url)).call().is_ok()
        });
        proxy
    }

    /// Replaces the proxy's rules.
    pub fn set_rules(&self, rules: serde_json::Value) {
        ureq::post(format!("{}/_microburst/rules", self.url))
            .send_json(rules)
            .expect("setting fault rules");
    }

    /// The faults fired so far.
    pub fn fired(&self) -> Vec<serde_json::Value> {
        ureq::get(format!("{}/_microburst/fired?limit=10000", self.url))
            .call()
            .expect("reading fired faults")
            .body_mut()
            .read_json()
            .expect("fired faults are JSON")
    }
}

/// Runs a future (SDK calls that seed or inspect the emulator) to its end.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Runtime::new().unwrap().block_on(future)
}

/// Polls `ready` until it holds; fails the test, saying `what`, after `seconds`.
pub fn wait_for(seconds: u64, what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !ready() {
        assert!(Instant::now() < deadline, "{what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `vigil ARGS` with dummy credentials and no trace of the developer's own
/// AWS configuration.
pub fn vigil_command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        // Runs are recorded only where a test asks for it (`store.rs`).
        .env("VIGIL_NO_STORE", "true");
    cmd
}

pub fn vigil(args: &[&str]) -> Output {
    vigil_command(args).output().expect("running vigil")
}

/// Runs `vigil audit --format json` against `endpoint` and parses the report.
pub fn audit_json(endpoint: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["audit", "--format", "json", "--endpoint-url", endpoint];
    args.extend_from_slice(extra);
    let out = vigil(&args);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|err| {
        panic!(
            "not JSON ({err}): stdout={} stderr={}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("vigil exited by signal"), report)
}

/// The network-isolation findings of a JSON report keyed by (region, model name).
pub fn verdicts(report: &serde_json::Value) -> std::collections::BTreeMap<(String, String), serde_json::Value> {
    verdicts_for(report, "sagemaker-model-network-isolation")
}

/// A rule's `live.json` (beside its template fixtures), if it has one: the
/// live resources to create and their verdicts.
pub fn live_fixture(rule: &str) -> Option<serde_json::Value> {
    let path = format!(
        "{}/../vigil-iac/tests/fixtures/{rule}/live.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).ok()?;
    Some(serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}")))
}

/// One rule's findings of a JSON report keyed by (region, model name).
pub fn verdicts_for(
    report: &serde_json::Value,
    rule: &str,
) -> std::collections::BTreeMap<(String, String), serde_json::Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            let r = &f["resource"];
            (
                (
                    r["region"].as_str().unwrap().to_owned(),
                    r["name"].as_str().unwrap().to_owned(),
                ),
                f.clone(),
            )
        })
        .collect()
}

/// The status of one rule's finding on each named resource of `region`.
/// The status of the finding on `name` in `region` among `found`
/// (`verdicts_for`), and its message as JSON text.
pub fn status_and_message(
    found: &std::collections::BTreeMap<(String, String), serde_json::Value>,
    region: &str,
    name: &str,
) -> (String, String) {
    let finding = &found[&(region.to_owned(), name.to_owned())];
    (
        finding["status"].as_str().unwrap().to_owned(),
        finding["message"].to_string(),
    )
}

pub fn statuses_of(report: &serde_json::Value, rule: &str, region: &str, names: &[&str]) -> Vec<String> {
    let found = verdicts_for(report, rule);
    names
        .iter()
        .map(|name| {
            let finding = found.get(&(region.to_owned(), (*name).to_owned()));
            let finding = finding.unwrap_or_else(|| panic!("no {rule} finding on {name}: {report:#}"));
            finding["status"].as_str().unwrap().to_owned()
        })
        .collect()
}

pub fn calls(report: &serde_json::Value, operation: &str, field: &str) -> u64 {
    report["calls"][operation][field].as_u64().unwrap_or(0)
}
