//! A finding: one rule's verdict on one resource. Every report format, the
//! exit code and the remediation planner are computed from a list of these.

use serde::{Serialize, Serializer};

/// The verdict. `Unknown` carries why it could not be decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Unknown { reason: String },
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown { .. } => "unknown",
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Status::Unknown { reason } => Some(reason),
            _ => None,
        }
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Why a finding does not count against the run, and until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub reason: String,
    /// RFC 3339 date after which the suppression no longer applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// Which resource a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceRef {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: String,
    pub arn: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule that judged: reports, fixes and SARIF read it from here,
    /// never by looking its id up. Serialized as its id.
    #[serde(serialize_with = "rule_id")]
    pub rule: &'static crate::Rule,
    pub title: &'static str,
    pub status: Status,
    /// Present exactly when `status` is `unknown`.
    pub reason: Option<String>,
    pub risk: crate::RiskLevel,
    pub message: String,
    pub suppressed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
    pub resource: ResourceRef,
    /// Where in a template the resource is declared; absent for live resources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What the findings store knows of it; absent when the run was not recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<History>,
}

impl Finding {
    /// What makes a finding the same one run after run: the rule and the
    /// resource's ARN for live ones (or account, region, type and name when
    /// there is no ARN); the rule, file and logical id (or address) for
    /// template ones. The findings store keys on it; reports derive their
    /// stable ids from it.
    pub fn key(&self) -> String {
        self.key_named(|file| file.to_owned())
    }

    /// The key, with a template's file named by `name` (the findings store
    /// names it by repository and path, however the scan was given it).
    pub fn key_named(&self, name: impl FnOnce(&str) -> String) -> String {
        let r = &self.resource;
        match (&self.location, &r.arn) {
            (Some(location), _) => format!("{}|{}|{}", self.rule.id, name(&location.file), location.logical_id),
            (None, Some(arn)) => format!("{}|{arn}", self.rule.id),
            (None, None) => format!(
                "{}|{}|{}|{}|{}",
                self.rule.id,
                r.account.as_deref().unwrap_or_default(),
                r.region.as_deref().unwrap_or_default(),
                r.kind,
                r.name
            ),
        }
    }
}

/// A finding's history, from the findings store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct History {
    /// `open`, `resolved`, `passing` or `unknown` (never judged).
    pub state: String,
    /// When the current episode began: first seen failing, or first seen.
    pub first_seen: String,
    /// Failing now and not open before this run.
    pub new: bool,
    /// The store's key of the finding (templates are named there by their
    /// repository and path): the stable id reports derive theirs from.
    #[serde(skip)]
    pub key: String,
}

fn rule_id<S: Serializer>(rule: &&'static crate::Rule, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(rule.id)
}

/// A line and column in a file, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where a template declares a resource, and the property a rule looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// CloudFormation logical id or Terraform address.
    pub logical_id: String,
    /// The offending property, when the template sets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property: Option<PropertyLocation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyLocation {
    pub name: String,
    pub line: usize,
    pub column: usize,
}

impl Finding {
    /// Counts against the run: failed or unknown, and not suppressed.
    pub fn is_open_failure(&self) -> bool {
        !self.suppressed && self.status == Status::Fail
    }

    pub fn is_open_unknown(&self) -> bool {
        !self.suppressed && matches!(self.status, Status::Unknown { .. })
    }
}
