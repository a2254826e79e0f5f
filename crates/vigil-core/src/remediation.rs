//! Pure parts of remediation: the names of the replacements Vigil creates.
//! SageMaker names are immutable identities, so they must be valid,
//! deterministic (a re-run finds its own work) and never collide. Also the
//! plan's and the outcome's data types, which every renderer shares.

use crate::journal::Step;
use crate::model::VpcConfig;
use crate::report::{CallCount, RunError};
use serde::Serialize;
use std::collections::BTreeMap;

/// `^[a-zA-Z0-9](-*[a-zA-Z0-9])*$`, at most 63 characters: SageMaker's rule
/// for model and endpoint-configuration names.
pub fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
}

const SUFFIX: &str = "-isolated";

/// The tag Vigil puts on every model and endpoint configuration it creates,
/// naming what it replaces: how a re-run or `--resume` recognises its own
/// work instead of creating a duplicate.
pub const REPLACES_TAG: &str = "vigil:replaces";

/// The tag naming the run that created a replacement. Ownership is per run:
/// a rollback deletes only what its own run created, so two runs on one
/// account (two machines, two state folders) never undo each other's work.
pub const RUN_TAG: &str = "vigil:run";

/// What `vigil remediate` proposes for one run; its serialised form is the
/// JSON plan (documented in README.md).
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub rule: &'static str,
    pub account: Option<String>,
    pub regions: Vec<String>,
    pub models: Vec<ModelFix>,
    /// What remediation does to running workloads, said before anything runs.
    pub warnings: Vec<&'static str>,
    pub errors: Vec<RunError>,
    pub calls: BTreeMap<String, CallCount>,
}

/// One failing model and everything that will change for it.
#[derive(Debug, Clone, Serialize)]
pub struct ModelFix {
    pub region: String,
    pub model: String,
    pub arn: Option<String>,
    pub new_model: String,
    /// `new_model` already exists, made by Vigil for this model (tagged
    /// `vigil:replaces`): nothing to create.
    pub replacement_exists: bool,
    /// The replacement's full configuration: the old one with isolation on.
    pub new_config: ModelConfig,
    pub endpoint_configs: Vec<EndpointConfigFix>,
}

/// A model's configuration as `CreateModel` takes it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ModelConfig {
    pub execution_role_arn: Option<String>,
    pub enable_network_isolation: bool,
    /// `PrimaryContainer` when true, else `Containers`.
    pub single_container: bool,
    pub containers: Vec<ContainerConfig>,
    pub vpc_config: Option<VpcConfig>,
    pub inference_execution_mode: Option<String>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ContainerConfig {
    pub container_hostname: Option<String>,
    pub image: Option<String>,
    pub mode: Option<String>,
    pub model_data_url: Option<String>,
    pub model_data_source: Option<String>,
    pub model_package_name: Option<String>,
    pub inference_specification_name: Option<String>,
    /// The environment variables' names only: their values are often
    /// secrets, and plans and outcomes are written to files and CI logs.
    pub environment: Vec<String>,
    pub multi_model: bool,
}

/// An endpoint configuration that serves the model, and its endpoints.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointConfigFix {
    pub name: String,
    pub new_name: String,
    /// `new_name` already exists, made by Vigil for this configuration.
    pub replacement_exists: bool,
    /// Every model this configuration names that the run replaces: old -> new.
    pub models: BTreeMap<String, String>,
    pub production_variants: Vec<String>,
    pub shadow_variants: Vec<String>,
    /// Endpoints running on this configuration, to move with UpdateEndpoint.
    pub endpoints: Vec<String>,
}

/// Bump only on a breaking change to the remediation JSON's shape.
pub const REMEDIATION_SCHEMA_VERSION: &str = "1";

/// `vigil remediate --format json`: the plan, and after `--apply` what
/// became of it (documented in README.md).
#[derive(Debug, Serialize)]
pub struct RemediationDocument<'a> {
    pub schema_version: &'static str,
    pub mode: Mode,
    pub plan: &'a Plan,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<&'a Applied>,
}

/// Whether a remediation run only planned or also applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Plan,
    Apply,
}

impl<'a> RemediationDocument<'a> {
    pub fn planned(plan: &'a Plan) -> Self {
        RemediationDocument {
            schema_version: REMEDIATION_SCHEMA_VERSION,
            mode: Mode::Plan,
            plan,
            outcome: None,
        }
    }

    pub fn applied(plan: &'a Plan, outcome: &'a Applied) -> Self {
        RemediationDocument {
            schema_version: REMEDIATION_SCHEMA_VERSION,
            mode: Mode::Apply,
            plan,
            outcome: Some(outcome),
        }
    }
}

/// What `vigil remediate --apply` did; its serialised form is the JSON
/// outcome (documented in README.md).
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    pub run: String,
    pub journal: String,
    pub units: Vec<UnitOutcome>,
    pub errors: Vec<RunError>,
    pub calls: BTreeMap<String, CallCount>,
}

/// Models and endpoint configurations changed together because they share
/// endpoints, and what became of them.
#[derive(Debug, Clone, Serialize)]
pub struct UnitOutcome {
    pub region: String,
    pub unit: String,
    /// Old model -> its isolated replacement.
    pub models: BTreeMap<String, String>,
    pub status: UnitStatus,
    /// Why the unit was rolled back, or why the rollback failed.
    pub error: Option<String>,
    /// The changes that stand, in the order they were made.
    pub steps: Vec<Step>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    /// Every change was made (or had been by an earlier run).
    Applied,
    /// A step failed; everything the unit had changed was undone.
    RolledBack,
    /// A step failed and so did undoing it: `steps` lists what remains;
    /// `vigil remediate --resume` tries again.
    RollbackFailed,
}

impl Applied {
    pub fn ok(&self) -> bool {
        self.errors.is_empty() && self.units.iter().all(|u| u.status == UnitStatus::Applied)
    }
}

/// Said with every plan: isolation changes what a container can do.
pub const WARNINGS: &[&str] = &[
    "Network isolation blocks every outbound call from the model's containers at run time, including to Amazon S3 and other AWS services: a container that downloads data, calls an API or reads AWS credentials while serving will break.",
    "Isolated containers get no AWS credentials: code that uses the execution role from inside the container stops working. SageMaker still fetches model artefacts and writes logs for the container.",
    "Endpoints are moved with UpdateEndpoint, which SageMaker applies as a blue/green deployment; test the new model on a non-production endpoint first.",
];

impl ModelFix {
    /// Whether applying this fix would change anything.
    pub fn pending(&self) -> bool {
        !self.replacement_exists
            || self
                .endpoint_configs
                .iter()
                .any(|c| !c.replacement_exists || !c.endpoints.is_empty())
    }
}

/// The name of the isolated copy of `old`: the first of its candidate names
/// that `taken` (names already in use by someone else) does not hold.
pub fn isolated_name(old: &str, taken: impl Fn(&str) -> bool) -> String {
    candidate_names(old)
        .find(|candidate| !taken(candidate))
        .expect("some counter is free")
}

/// The names the isolated copy of `old` may get, in order: `old-isolated`
/// when it fits, else `old` shortened, a short hash of the full name and the
/// suffix; then the same with a counter (`-2`, `-3`, ...).
pub fn candidate_names(old: &str) -> impl Iterator<Item = String> {
    let base = if old.len() + SUFFIX.len() <= 63 {
        format!("{old}{SUFFIX}")
    } else {
        let hash = format!("{:08x}", crate::hash::fnv1a64(old.as_bytes()) as u32);
        let keep = 63 - SUFFIX.len() - hash.len() - 1;
        let stem: String = old.chars().take(keep).collect();
        let stem = stem.trim_end_matches('-');
        format!("{stem}-{hash}{SUFFIX}")
    };
    debug_assert!(is_valid_name(&base), "{base}");
    let first = base.clone();
    let counted = (2..).map(move |n: u32| {
        let tail = format!("-{n}");
        let stem = base[..base.len().min(63 - tail.len())].trim_end_matches('-');
        format!("{stem}{tail}")
    });
    std::iter::once(first).chain(counted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_get_a_suffix() {
        assert_eq!(isolated_name("fraud-a", |_| false), "fraud-a-isolated");
    }

    #[test]
    fn long_names_are_shortened_with_a_hash_and_stay_valid_and_distinct() {
        let a = "a".repeat(60) + "-x1";
        let b = "a".repeat(60) + "-x2";
        let (na, nb) = (isolated_name(&a, |_| false), isolated_name(&b, |_| false));
        assert!(is_valid_name(&na) && is_valid_name(&nb), "{na} {nb}");
        assert_eq!(na.len(), 63);
        assert_ne!(na, nb);
        assert_eq!(na, isolated_name(&a, |_| false), "deterministic");
    }

    #[test]
    fn a_taken_name_gets_a_counter() {
        let name = isolated_name("fraud-a", |n| n == "fraud-a-isolated");
        assert_eq!(name, "fraud-a-isolated-2");
        let long = "b".repeat(63);
        let first = isolated_name(&long, |_| false);
        let second = isolated_name(&long, |n| n == first);
        assert!(is_valid_name(&second) && second != first, "{second}");
    }

    #[test]
    fn validity_follows_sagemakers_pattern() {
        for good in ["a", "fraud-a", "A1--b2", &"x".repeat(63)] {
            assert!(is_valid_name(good), "{good}");
        }
        for bad in ["", "-a", "a-", "a_b", "a.b", &"x".repeat(64)] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }
}
