//! The command line, declared once with clap; `--help` is generated from it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

mod values;
use values::{parse_account, parse_parameter, parse_shard, parse_since, parse_topic_arn, parse_url};
pub(crate) use values::{parse_region, parse_wait, Since};

#[derive(Debug, Parser)]
#[command(
    name = "vigil",
    version = env!("VIGIL_VERSION"),
    propagate_version = true,
    about = "Cloud-posture assurance for machine-learning workloads on AWS",
    after_help = "Exit codes: 0 clean, 1 failures found (remediate: a plan with work to do, or a change rolled back), 2 usage or configuration error, 3 something could not be read or judged, 4 (scan) some templates could not be parsed, 5 (remediate) a rollback failed: run `vigil remediate --resume`."
)]
pub struct Cli {
    /// Read defaults and suppressions from FILE instead of the nearest
    /// vigil.toml (or $XDG_CONFIG_HOME/vigil/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Add your own rules: a Rego policy file, or a folder of them
    /// (repeatable; replaces vigil.toml's `policies`). See README, "Your own rules".
    #[arg(long = "policy", global = true, value_name = "PATH")]
    pub policies: Vec<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit live AWS accounts: every enabled region unless --regions says otherwise.
    Audit(AuditArgs),
    /// Scan CloudFormation and Terraform templates with the same rules, before they deploy.
    Scan(ScanArgs),
    /// Fix a rule's failures on live accounts: a plan by default; --apply makes the changes, journaled and rolled back on failure.
    Remediate(RemediateArgs),
    /// List the rules Vigil knows, with risk level and cross-references.
    Rules(RulesArgs),
    /// Findings recorded in the store, with when each was first and last seen.
    Findings(FindingsArgs),
    /// Recorded runs, newest first; `vigil runs prune --keep 90d` forgets old ones.
    Runs(RunsArgs),
    /// Judge SageMaker changes as they happen, from an SQS queue an EventBridge rule feeds (deploy/watch.yaml).
    Watch(WatchArgs),
    /// Your own rules: `vigil policy test PATH` runs the tests beside your Rego policies.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Print a rule's knowledge-base article.
    Explain {
        /// Rule id, e.g. sagemaker-model-network-isolation.
        rule: String,
        /// `text`: set for a terminal (wrapped, headings underlined);
        /// `markdown`: the article's Markdown as is.
        #[arg(long, value_enum, default_value_t = ArticleFormat::Text)]
        format: ArticleFormat,
    },
    /// Print a shell completion script, e.g. `vigil completions bash > /etc/bash_completion.d/vigil`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `vigil man | man -l -`; --out-dir writes one page per subcommand.
    Man {
        /// Write vigil.1 and vigil-<subcommand>.1 into DIR instead.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Run the `test_*` rules of the `*_test.rego` files under PATH (and
    /// check every policy there), as `opa test` does; exit 1 when one fails.
    Test {
        /// Policy files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ArticleFormat {
    Text,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Text,
    Json,
    /// One row per finding (RFC 4180).
    Csv,
    /// OCSF 1.5.0 Compliance Finding events, a JSON array.
    Ocsf,
    /// AWS Security Finding Format (what --security-hub imports), a JSON array.
    Asff,
    /// One self-contained HTML page (use with --output report.html).
    Html,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Audit these accounts (12-digit ids, comma-separated) instead of the
    /// caller's alone; each other account is entered through --role-name.
    #[arg(long, value_delimiter = ',', value_name = "IDS", value_parser = parse_account, requires = "role_name")]
    pub accounts: Option<Vec<String>>,
    /// Audit every ACTIVE account of the caller's AWS Organization (the
    /// caller must be its management account or a delegated administrator).
    #[arg(long, conflicts_with = "accounts", requires = "role_name")]
    pub org: bool,
    /// With --org: only the accounts of this organizational unit and the units below it.
    #[arg(long, value_name = "OU", requires = "org")]
    pub ou: Option<String>,
    /// Leave these accounts out (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "IDS", value_parser = parse_account)]
    pub exclude_accounts: Vec<String>,
    #[command(flatten)]
    pub role: RoleArgs,
    /// Audit only share K (from 0) of N of the accounts chosen, as worker K
    /// of N (an AWS Batch array job, a Kubernetes indexed Job); an account's
    /// share depends on its id alone.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<vigil_aws::Shard>,
    /// AWS calls in flight at once in one region of one account (SageMaker's
    /// rate limits are per account and region); --concurrency caps the total.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub region_concurrency: u16,
    /// Import every judged finding into AWS Security Hub (BatchImportFindings,
    /// in each finding's account and region); a re-run updates them in place.
    #[arg(long)]
    pub security_hub: bool,
    /// With --security-hub: import failures only.
    #[arg(long, requires = "security_hub")]
    pub security_hub_only_failed: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    pub format: AuditFormat,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Audit jobs created since: a duration back from now (90d, 12h, 2w) or a date (2026-08-01).
    #[arg(long, default_value = "90d", value_parser = parse_since)]
    pub since: Since,
    #[command(flatten)]
    pub selection: RuleSelection,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Also list passing resources and the API calls made.
    #[arg(long, short)]
    pub verbose: bool,
    /// Never draw the progress bar (it is drawn only when stderr is a terminal).
    #[arg(long)]
    pub no_progress: bool,
}

/// Where and how to reach AWS; shared by `audit` and `remediate`.
#[derive(Debug, Args)]
pub struct AwsArgs {
    /// Regions, comma-separated [default: every enabled region where SageMaker is offered].
    #[arg(long, value_delimiter = ',', value_parser = parse_region)]
    pub regions: Option<Vec<String>>,
    /// Named profile from the shared AWS config and credentials files.
    #[arg(long)]
    pub profile: Option<String>,
    /// Send every AWS call to this endpoint (an emulator, a VPC endpoint). Also read from AWS_ENDPOINT_URL.
    #[arg(long, value_parser = parse_url)]
    pub endpoint_url: Option<String>,
    /// AWS calls in flight at once, across all regions and accounts.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Attempts per AWS call before giving up; throttled calls back off between attempts.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,
}

#[derive(Debug, Args)]
pub struct RemediateArgs {
    /// The rule whose failures to fix (sagemaker-model-network-isolation).
    #[arg(required_unless_present = "resume")]
    pub rule: Option<String>,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Only these models: names or globs, comma-separated [default: every failing model].
    #[arg(long, value_delimiter = ',', value_name = "GLOBS")]
    pub models: Vec<String>,
    /// Leave these models alone: names or globs, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "GLOBS")]
    pub exclude: Vec<String>,
    /// Make the changes (after a confirmation on a terminal). Without it, only the plan is printed.
    #[arg(long)]
    pub apply: bool,
    /// Also copy the endpoint configurations that serve each model and move their endpoints (UpdateEndpoint).
    #[arg(long)]
    pub update_endpoints: bool,
    /// Delete the old models and endpoint configurations once nothing runs on them.
    #[arg(long)]
    pub delete_old: bool,
    /// Do not ask for confirmation (required to --apply when standard input is not a terminal).
    #[arg(long, short)]
    pub yes: bool,
    /// How long each endpoint may take to settle after an update before it is rolled back: 90s, 30m, 2h.
    #[arg(long, default_value = "30m", value_parser = parse_wait, value_name = "DURATION")]
    pub wait_timeout: std::time::Duration,
    /// Finish an interrupted run: the newest unfinished one, or the run id given.
    #[arg(long, value_name = "RUN", num_args = 0..=1, default_missing_value = "", conflicts_with_all = ["rule", "models", "exclude", "regions", "update_endpoints", "delete_old", "apply"])]
    pub resume: Option<String>,
    /// Where remediation journals are kept [default: $XDG_STATE_HOME/vigil, else ~/.local/state/vigil].
    #[arg(long, env = "VIGIL_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Plan (or outcome) format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Write the plan (or outcome) to FILE (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// With an error that stops the run, also the AWS SDK's own account of it.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    Text,
    Json,
    Sarif,
    Junit,
    /// One row per finding (RFC 4180).
    Csv,
    /// OCSF 1.5.0 Compliance Finding events, a JSON array.
    Ocsf,
    /// One self-contained HTML page (use with --output report.html).
    Html,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and folders to scan; folders are walked, honouring .gitignore.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Terraform variable values (a .tfvars file); may be repeated, later files win.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Also scan files that .gitignore and .ignore files exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Set the failing properties to true in place, with the smallest edit.
    #[arg(long)]
    pub fix: bool,
    /// Print the fix as a unified diff instead of writing it.
    #[arg(long)]
    pub diff: bool,
    /// A CloudFormation parameter's value, to scan the template as deployed
    /// (repeatable; wins over defaults and over --parameter-file).
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = parse_parameter)]
    pub parameters: Vec<(String, String)>,
    /// CloudFormation parameter values from a JSON file: a list of
    /// {"ParameterKey", "ParameterValue"} (as `aws cloudformation create-stack
    /// --parameters file://…` takes) or {"Parameters": {KEY: VALUE}} (a
    /// CodePipeline template configuration).
    #[arg(long = "parameter-file", value_name = "FILE")]
    pub parameter_files: Vec<PathBuf>,
    /// Exit 2 when no template at all was found (for CI: a wrong path or an
    /// ignore file that hides everything must not pass).
    #[arg(long)]
    pub fail_on_empty: bool,
    /// Refuse files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = vigil_iac::scan::DEFAULT_MAX_FILE_BYTES)]
    pub max_file_size: u64,
    #[command(flatten)]
    pub selection: RuleSelection,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Also show passing resources.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The SQS queue EventBridge delivers SageMaker events to.
    #[arg(long, value_parser = parse_url, required_unless_present = "print_template")]
    pub queue_url: Option<String>,
    /// Print the CloudFormation template of the EventBridge rule, queue,
    /// dead-letter queue and queue policy (deploy/watch.yaml), and exit.
    #[arg(long)]
    pub print_template: bool,
    /// `text`: a line per finding; `json`: a JSON object per finding and line (the audit's finding objects).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub selection: RuleSelection,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub role: RoleArgs,
    /// Also audit the caller's account in full at this interval (6h, 30m),
    /// for events that were missed; the first audit runs at once.
    #[arg(long, value_parser = parse_wait, value_name = "DURATION")]
    pub reconcile: Option<std::time::Duration>,
    /// Also publish each failure to this SNS topic (its ARN), as the finding's JSON.
    #[arg(long, value_name = "ARN", value_parser = parse_topic_arn)]
    pub notify_sns: Option<String>,
    /// Also POST each failure to this webhook, as JSON: `text` (for Slack
    /// or Teams incoming webhooks) and `finding`.
    #[arg(long, value_name = "URL", value_parser = parse_url)]
    pub notify_url: Option<String>,
    /// Longest wait of one receive (SQS long polling), 0 to 20 seconds.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i32).range(0..=20))]
    pub wait_seconds: i32,
}

/// The role entered in accounts other than the caller's; shared by `audit`
/// (`--accounts`, `--org`) and `watch` (events from other accounts).
#[derive(Debug, Args)]
pub struct RoleArgs {
    /// The role to assume in each other account.
    #[arg(long, value_name = "NAME")]
    pub role_name: Option<String>,
    /// The role's IAM path.
    #[arg(long, value_name = "PATH", default_value = "/")]
    pub role_path: String,
    /// The external id the role's trust policy asks for.
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// The session name the assumed roles carry (CloudTrail shows it).
    #[arg(long, value_name = "NAME", default_value = "vigil")]
    pub role_session_name: String,
}

impl RoleArgs {
    /// The accounts request for these accounts (none named: the caller's
    /// own and whichever others an event names).
    pub fn accounts(&self, ids: Vec<String>) -> vigil_aws::AccountsRequest {
        vigil_aws::AccountsRequest {
            ids,
            org: None,
            exclude: Vec::new(),
            shard: None,
            role_name: self.role_name.clone().unwrap_or_default(),
            role_path: self.role_path.clone(),
            external_id: self.external_id.clone(),
            session_name: self.role_session_name.clone(),
        }
    }
}

/// Where a run is recorded, and what fails it; shared by `audit` and `scan`.
#[derive(Debug, Args)]
pub struct StoreArgs {
    #[command(flatten)]
    pub location: StoreLocation,
    /// Do not record this run.
    #[arg(long, env = "VIGIL_NO_STORE")]
    pub no_store: bool,
    /// Which unsuppressed failures make the exit code 1: `any`, or only
    /// `new` ones, which the baseline has not accepted (a run with
    /// `--fail-on new` accepts nothing, so a retry fails again).
    #[arg(long, value_enum, default_value_t = FailOn::Any)]
    pub fail_on: FailOn,
    /// What `new` is measured against: a branch (the failures the runs
    /// recorded on it accept) or a run id [default: every branch].
    #[arg(long, value_name = "BRANCH|RUN")]
    pub baseline: Option<String>,
    /// The branch this run is recorded on [default: the scanned
    /// repository's checked-out branch, else the CI system's; none for audits].
    #[arg(long, env = "VIGIL_BRANCH", value_name = "NAME")]
    pub branch: Option<String>,
}

/// The findings store's address.
#[derive(Debug, Args)]
pub struct StoreLocation {
    /// The findings store: sqlite://PATH or postgres://USER@HOST/DATABASE
    /// [default: the store in vigil.toml, else $XDG_DATA_HOME/vigil/findings.db].
    #[arg(long, env = "VIGIL_STORE", value_name = "URL", global = true)]
    pub store: Option<String>,
    /// How long one store statement may run (PostgreSQL's statement_timeout,
    /// and the client's own wait for an answer) [default: vigil.toml's
    /// store_statement_timeout, else 120s].
    #[arg(long, value_parser = parse_wait, value_name = "DURATION", global = true)]
    pub store_statement_timeout: Option<std::time::Duration>,
    /// How long to wait for another run that holds the store (its lock)
    /// [default: vigil.toml's store_lock_timeout, else 120s].
    #[arg(long, value_parser = parse_wait, value_name = "DURATION", global = true)]
    pub store_lock_timeout: Option<std::time::Duration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Any,
    New,
}

#[derive(Debug, Args)]
pub struct FindingsArgs {
    #[command(flatten)]
    pub location: StoreLocation,
    /// Only findings in this state.
    #[arg(long, value_enum)]
    pub state: Option<StateArg>,
    /// Only this rule's findings.
    #[arg(long, value_name = "ID")]
    pub rule: Option<String>,
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    #[arg(long, value_parser = parse_region)]
    pub region: Option<String>,
    /// Only findings seen since then: a duration (7d, 12h, 2w) or a date (2026-08-01).
    #[arg(long, value_parser = parse_since, value_name = "WHEN")]
    pub since: Option<Since>,
    /// At most N findings (most recently seen first), for paging.
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Skip the first N findings, for paging with --limit.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: u64,
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    pub format: AuditFormat,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StateArg {
    Open,
    Resolved,
    Passing,
    Unknown,
}

#[derive(Debug, Args)]
pub struct RunsArgs {
    #[command(flatten)]
    pub location: StoreLocation,
    /// Only runs of this command: audit, scan or watch.
    #[arg(long, value_name = "COMMAND")]
    pub command: Option<String>,
    /// At most the N newest runs.
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    #[command(subcommand)]
    pub action: Option<RunsAction>,
}

#[derive(Debug, Subcommand)]
pub enum RunsAction {
    /// Forget runs older than --keep, and findings resolved before then (open ones are kept).
    Prune {
        /// How much history to keep: 90d, 12w, 24h.
        #[arg(long, value_parser = parse_since, value_name = "AGE")]
        keep: Since,
    },
}

/// Which rules a run uses; shared by `audit` and `scan`.
#[derive(Debug, Args)]
pub struct RuleSelection {
    /// Run only these rules, comma-separated: rule ids, families (SageMaker,
    /// AgentCore, Bedrock), categories (Network, Encryption, IAM, …) or
    /// peers' ids (SageMaker.5, CKV_AWS_370) [default: all].
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub rules: Option<Vec<String>>,
    /// Skip these rules: ids, families, categories or peers' ids, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub exclude_rules: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Print a table mapping each rule to Security Hub, AWS Config, Prowler, Checkov and Conformity.
    #[arg(long)]
    pub xref: bool,
}
