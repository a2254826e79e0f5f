//! The result of one run: findings, what could not be read, notes, and the
//! counts derived from them. Its serialised form is Vigil's JSON schema
//! (documented in README.md), so fields are only ever added, never renamed.

use crate::finding::{Finding, Status};
use crate::findings::Findings;
use serde::Serialize;
use std::collections::BTreeMap;

/// Bump only on a breaking change to the JSON shape.
pub const SCHEMA_VERSION: &str = "1";

/// What part of a run an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorScope {
    /// A region (or one API call in it) could not be read.
    Region,
    /// The regions to audit could not be listed.
    Discovery,
    /// A template could not be read, or part of it.
    File,
    /// A suppression in a template is malformed.
    Suppression,
    /// The findings store could not record the run.
    Store,
    /// Security Hub did not take a finding (`--security-hub`).
    Import,
    /// An account could not be entered (its role could not be assumed).
    Account,
}

impl ErrorScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorScope::Region => "region",
            ErrorScope::Discovery => "discovery",
            ErrorScope::File => "file",
            ErrorScope::Suppression => "suppression",
            ErrorScope::Store => "store",
            ErrorScope::Import => "import",
            ErrorScope::Account => "account",
        }
    }
}

/// A part of the run that could not be read (a region, an account, a file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunError {
    pub scope: ErrorScope,
    /// The account at fault, in an audit of several accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub region: Option<String>,
    /// The API call that failed, as `service:Operation`.
    pub operation: Option<String>,
    pub message: String,
    /// The template at fault, for `file` and `suppression` errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl RunError {
    /// An error about a place in a file.
    pub fn in_file(scope: ErrorScope, file: &str, at: Option<crate::Position>, message: String) -> Self {
        RunError {
            scope,
            account: None,
            region: None,
            operation: None,
            message,
            file: Some(file.into()),
            line: at.map(|p| p.line),
            column: at.map(|p| p.column),
        }
    }

    /// An error about a region or an API call.
    pub fn in_region(scope: ErrorScope, region: Option<String>, operation: Option<String>, message: String) -> Self {
        RunError {
            scope,
            account: None,
            region,
            operation,
            message,
            file: None,
            line: None,
            column: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub suppressed: usize,
}

impl Counts {
    pub fn add(&mut self, finding: &Finding) {
        if finding.suppressed {
            self.suppressed += 1;
            return;
        }
        match finding.status {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::Unknown { .. } => self.unknown += 1,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub findings: usize,
    #[serde(flatten)]
    pub counts: Counts,
    pub errors: usize,
    /// Counts per region (`"-"` for findings without one).
    pub regions: BTreeMap<String, Counts>,
    /// Counts per account, for a live audit (none for a scan).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub accounts: BTreeMap<String, Counts>,
}

impl Summary {
    pub fn of<F: std::borrow::Borrow<Finding>>(findings: impl IntoIterator<Item = F>, errors: &[RunError]) -> Self {
        let mut summary = Summary {
            errors: errors.len(),
            ..Summary::default()
        };
        for finding in findings {
            let finding = finding.borrow();
            summary.findings += 1;
            summary.counts.add(finding);
            let region = finding.resource.region.clone().unwrap_or_else(|| "-".into());
            summary.regions.entry(region).or_default().add(finding);
            if let Some(account) = &finding.resource.account {
                summary.accounts.entry(account.clone()).or_default().add(finding);
            }
        }
        summary
    }
}

/// How the run ended, which the binary maps to its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything judged, nothing failed.
    Clean,
    /// At least one unsuppressed failure.
    Failures,
    /// No failure, but some files could not be parsed.
    Unparsable,
    /// No failure, but something was unknown or could not be read.
    Incomplete,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: &'static str,
    pub tool: Tool,
    /// The command that produced it: `audit` or `scan`.
    pub command: &'static str,
    pub started_at: String,
    pub finished_at: String,
    pub account: Option<String>,
    /// In an audit of several accounts, each one, audited or not, with its counts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<AccountReport>,
    pub regions: Vec<String>,
    pub findings: Findings,
    pub errors: Vec<RunError>,
    /// Things the user should know that are not errors (skipped regions …).
    pub notes: Vec<String>,
    /// API calls made, by `service:Operation`: operations and HTTP attempts.
    pub calls: BTreeMap<String, CallCount>,
    /// What a template scan read; absent for live audits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<FileStats>,
    /// The run as the findings store recorded it; absent when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<Recorded>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileStats {
    /// Files read and recognised as templates.
    pub templates: usize,
    /// YAML/JSON/HCL files that are not templates (Kubernetes manifests, package.json …).
    pub not_templates: usize,
    /// Files that could not be parsed or were refused by a limit.
    pub unparsable: usize,
    /// Terraform `module` calls whose source could not be read: what they
    /// create is not judged.
    pub modules_not_followed: usize,
    /// SageMaker resources, by type, that no chosen rule judged (a kind no
    /// rule reads, or one the rules chosen leave out): seen, not dropped.
    pub unjudged: BTreeMap<String, usize>,
    /// The bytes of each file name that is not UTF-8, by the name reports
    /// give it (with U+FFFD): SARIF names such a file by its bytes.
    #[serde(skip)]
    pub raw_names: Vec<(String, Vec<u8>)>,
}

impl FileStats {
    /// Counts one resource of type `kind` that no chosen rule judged: a
    /// count per type, since a name per resource would grow with the scan.
    pub fn count_unjudged(&mut self, kind: String) {
        *self.unjudged.entry(kind).or_default() += 1;
    }

    /// Adds the counts of another part of the scan.
    pub fn add(&mut self, other: FileStats) {
        self.templates += other.templates;
        self.not_templates += other.not_templates;
        self.unparsable += other.unparsable;
        self.modules_not_followed += other.modules_not_followed;
        for (kind, n) in other.unjudged {
            *self.unjudged.entry(kind).or_default() += n;
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CallCount {
    pub operations: u64,
    pub attempts: u64,
}

/// The run in the findings store, and what it resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    pub run: String,
    /// The store, without any password.
    pub store: String,
    /// Findings that were open and this run found fixed or gone: the
    /// first thousand (`vigil findings --state resolved` lists them all).
    pub resolved: Vec<ResolvedFinding>,
    /// How many this run resolved in all.
    pub resolved_total: usize,
    /// Open failures after each recorded run of the same command, oldest
    /// first (the HTML report's trend).
    #[serde(skip)]
    pub trend: Vec<(String, i64)>,
}

/// A finding this run resolved.
#[derive(Debug, Clone, Serialize)]
pub struct ResolvedFinding {
    pub rule: String,
    /// `fixed` or `deleted`.
    pub resolution: String,
    pub first_seen: String,
    pub resource: RecordedResource,
}

/// A resource as the findings store keeps it: owned text, and for a
/// template resource its file and line.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct RecordedResource {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub arn: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<i64>,
}

/// One account of an audit of several (`--accounts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRun {
    pub id: String,
    /// Its name in the organization, when the accounts came from `--org`.
    pub name: Option<String>,
    /// Whether the account could be entered (its role assumed).
    pub entered: bool,
    pub regions: Vec<String>,
}

/// An account of the report, with its counts.
#[derive(Debug, Clone, Serialize)]
pub struct AccountReport {
    pub id: String,
    pub name: Option<String>,
    /// `audited`, or `error` when it could not be entered.
    pub status: &'static str,
    pub regions: Vec<String>,
    pub counts: Counts,
}

/// What a run read: live accounts and regions, or template files. Given
/// when the report is made, so nothing is patched in afterwards.
#[derive(Debug, Clone)]
pub enum Reach {
    Live {
        account: Option<String>,
        /// Every account of an audit of several; empty for one account.
        accounts: Vec<AccountRun>,
        regions: Vec<String>,
        calls: BTreeMap<String, CallCount>,
    },
    Templates(FileStats),
}

impl Report {
    /// A report whose summary is computed from its findings and errors, so the
    /// two can never disagree.
    pub fn new(
        command: &'static str,
        (started_at, finished_at): (String, String),
        reach: Reach,
        (findings, recorded): (impl Into<Findings>, Option<Recorded>),
        errors: Vec<RunError>,
        notes: Vec<String>,
    ) -> Self {
        let (account, accounts, regions, calls, files) = match reach {
            Reach::Live {
                account,
                accounts,
                regions,
                calls,
            } => (account, accounts, regions, calls, None),
            Reach::Templates(files) => (None, Vec::new(), Vec::new(), BTreeMap::new(), Some(files)),
        };
        let findings = findings.into();
        let accounts = accounts
            .into_iter()
            .map(|a| {
                let mut counts = Counts::default();
                for f in findings.iter().filter(|f| f.resource.account.as_ref() == Some(&a.id)) {
                    counts.add(&f);
                }
                AccountReport {
                    status: if a.entered { "audited" } else { "error" },
                    id: a.id,
                    name: a.name,
                    regions: a.regions,
                    counts,
                }
            })
            .collect();
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "vigil",
                version: env!("CARGO_PKG_VERSION"),
            },
            command,
            started_at,
            finished_at,
            account,
            accounts,
            regions,
            summary: Summary::of(findings.iter(), &errors),
            findings,
            errors,
            notes,
            calls,
            files,
            recorded,
        }
    }

    /// A copy of everything but the findings (what a renderer that streams
    /// the findings writes around them), without copying them.
    pub fn without_findings(&self) -> Report {
        let Report {
            schema_version,
            tool,
            command,
            started_at,
            finished_at,
            account,
            accounts,
            regions,
            findings: _,
            errors,
            notes,
            calls,
            files,
            recorded,
            summary,
        } = self;
        Report {
            schema_version,
            tool: tool.clone(),
            command,
            started_at: started_at.clone(),
            finished_at: finished_at.clone(),
            account: account.clone(),
            accounts: accounts.clone(),
            regions: regions.clone(),
            findings: Findings::default(),
            errors: errors.clone(),
            notes: notes.clone(),
            calls: calls.clone(),
            files: files.clone(),
            recorded: recorded.clone(),
            summary: summary.clone(),
        }
    }

    pub fn outcome(&self) -> Outcome {
        self.gated_outcome(false)
    }

    /// The outcome when only failures new to the store count (`--fail-on
    /// new`); a failure with no history (the run was not recorded) counts.
    pub fn gated_outcome(&self, only_new: bool) -> Outcome {
        // The summary counts open failures and unknowns: only `--fail-on
        // new` needs to read the findings again (their history).
        let c = &self.summary.counts;
        let failed = match only_new {
            false => c.fail > 0,
            true => self
                .findings
                .iter()
                .any(|f| f.is_open_failure() && f.history.as_ref().is_none_or(|h| h.new)),
        };
        if failed {
            Outcome::Failures
        } else if self.errors.iter().any(|e| e.scope == ErrorScope::File) {
            Outcome::Unparsable
        } else if !self.errors.is_empty() || c.unknown > 0 {
            Outcome::Incomplete
        } else {
            Outcome::Clean
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::ResourceRef;
    use crate::RiskLevel;

    fn finding(status: Status, region: &str, suppressed: bool) -> Finding {
        Finding {
            rule: &crate::rules::sagemaker::model_network_isolation::RULE,
            title: "t",
            reason: status.reason().map(str::to_owned),
            status,
            risk: RiskLevel::Medium,
            message: String::new(),
            suppressed,
            suppression: None,
            resource: ResourceRef {
                kind: "AWS::SageMaker::Model",
                name: "m".into(),
                arn: None,
                account: None,
                region: Some(region.into()),
            },
            location: None,
            history: None,
        }
    }

    fn report(findings: Vec<Finding>, errors: Vec<RunError>) -> Report {
        let reach = Reach::Live {
            account: None,
            accounts: Vec::new(),
            regions: Vec::new(),
            calls: BTreeMap::new(),
        };
        Report::new(
            "audit",
            (String::new(), String::new()),
            reach,
            (findings, None),
            errors,
            vec![],
        )
    }

    fn region_error() -> RunError {
        RunError::in_region(ErrorScope::Region, None, None, "x".into())
    }

    #[test]
    fn outcome_orders_failure_over_unknown_over_clean() {
        let unknown = Status::Unknown {
            reason: "denied".into(),
        };
        assert_eq!(
            report(vec![finding(Status::Pass, "a", false)], vec![]).outcome(),
            Outcome::Clean
        );
        assert_eq!(
            report(vec![finding(unknown.clone(), "a", false)], vec![]).outcome(),
            Outcome::Incomplete
        );
        assert_eq!(report(vec![], vec![region_error()]).outcome(), Outcome::Incomplete);
        let mixed = vec![finding(unknown, "a", false), finding(Status::Fail, "b", false)];
        assert_eq!(report(mixed, vec![]).outcome(), Outcome::Failures);
        let file = RunError::in_file(ErrorScope::File, "a.yaml", None, "bad".into());
        assert_eq!(
            report(vec![], vec![region_error(), file.clone()]).outcome(),
            Outcome::Unparsable
        );
        assert_eq!(
            report(vec![finding(Status::Fail, "a", false)], vec![file]).outcome(),
            Outcome::Failures
        );
    }

    #[test]
    fn suppressed_failures_do_not_fail_the_run() {
        let r = report(vec![finding(Status::Fail, "a", true)], vec![]);
        assert_eq!(r.outcome(), Outcome::Clean);
        assert_eq!(r.summary.counts.suppressed, 1);
        assert_eq!(r.summary.counts.fail, 0);
    }

    #[test]
    fn summary_counts_per_region() {
        let s = Summary::of(
            &[
                finding(Status::Pass, "a", false),
                finding(Status::Fail, "a", false),
                finding(Status::Fail, "b", false),
            ],
            &[],
        );
        assert_eq!(
            s.regions["a"],
            Counts {
                pass: 1,
                fail: 1,
                unknown: 0,
                suppressed: 0
            }
        );
        assert_eq!(s.regions["b"].fail, 1);
        assert_eq!(s.findings, 3);
    }
}
