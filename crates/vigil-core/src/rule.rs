//! What a rule is: metadata, cross-references, its knowledge-base article and
//! a pure check. Rules are plain statics listed once, in `rules/sagemaker/mod.rs`.

use crate::fact::Fact;
use crate::finding::{Finding, ResourceRef, Status};
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;

/// The same control in the systems users come from: each system's ids (a
/// system may split one control in several, e.g. AWS Config's four
/// monitoring-job rules); empty where it has no equivalent.
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossRefs {
    pub security_hub: &'static [&'static str],
    pub aws_config: &'static [&'static str],
    pub prowler: &'static [&'static str],
    pub checkov: &'static [&'static str],
    pub conformity: &'static [&'static str],
}

impl CrossRefs {
    /// A control no peer system checks.
    pub const NONE: CrossRefs = CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    };

    /// (system, ids) in a fixed order, for every list and table.
    pub fn systems(&self) -> [(&'static str, &'static [&'static str]); 5] {
        [
            ("AWS Security Hub", self.security_hub),
            ("AWS Config", self.aws_config),
            ("Prowler", self.prowler),
            ("Checkov", self.checkov),
            ("Trend Micro Conformity", self.conformity),
        ]
    }

    /// Each peer's id for this control, as "System: id", for the reports
    /// that list them (OCSF standards, ASFF related requirements).
    pub fn labelled(&self) -> Vec<String> {
        self.systems()
            .into_iter()
            .flat_map(|(system, ids)| ids.iter().map(move |id| format!("{system}: {id}")))
            .collect()
    }

    /// Whether any system names this control `id` (case-insensitive).
    pub fn names(&self, id: &str) -> bool {
        self.systems()
            .iter()
            .any(|(_, ids)| ids.iter().any(|i| i.eq_ignore_ascii_case(id)))
    }
}

/// The knowledge-base article, in fixed sections (Markdown bodies).
#[derive(Debug, Clone, Copy)]
pub struct Article {
    pub what: &'static str,
    pub why: &'static str,
    pub audit_console: &'static str,
    pub audit_cli: &'static str,
    pub remediate_console: &'static str,
    pub remediate_cli: &'static str,
    pub remediate_cloudformation: &'static str,
    pub remediate_terraform: &'static str,
    /// (title, URL) pairs.
    pub references: &'static [(&'static str, &'static str)],
}

impl Article {
    /// Sections in reading order, with their headings.
    pub fn sections(&self) -> [(&'static str, &'static str); 8] {
        [
            ("What it checks", self.what),
            ("Why it matters", self.why),
            ("Audit: console", self.audit_console),
            ("Audit: AWS CLI", self.audit_cli),
            ("Remediate: console", self.remediate_console),
            ("Remediate: AWS CLI", self.remediate_cli),
            ("Remediate: CloudFormation", self.remediate_cloudformation),
            ("Remediate: Terraform", self.remediate_terraform),
        ]
    }
}

/// A rule's verdict on one resource, before it is dressed as a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub status: Status,
    pub message: String,
}

impl Verdict {
    /// What could not be read, with the reason, in the rule's words.
    pub fn unknown(reason: String, message: String) -> Self {
        Verdict {
            status: Status::Unknown { reason },
            message,
        }
    }

    /// The usual shape of a check: a property that is good, bad, or could not
    /// be read. The messages are the rule's own words for each case.
    pub fn on<T>(
        fact: &Fact<T>,
        good: impl FnOnce(&T) -> bool,
        pass: String,
        fail: String,
        unreadable: String,
    ) -> Self {
        match fact {
            Fact::Known(value) if good(value) => Verdict {
                status: Status::Pass,
                message: pass,
            },
            Fact::Known(_) => Verdict {
                status: Status::Fail,
                message: fail,
            },
            Fact::Unknown(reason) => Verdict {
                status: Status::Unknown { reason: reason.clone() },
                message: unreadable,
            },
        }
    }
}

/// How safe deploying a template fix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixSafety {
    /// Updated in place.
    Safe,
    /// Deploying it replaces the resource; says what that does.
    Replaces(&'static str),
}

/// What a rule's check reads beyond its resource's own description: an
/// audit (and `vigil watch`) makes these reads only for the rules chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// The resource alone.
    Nothing,
    /// Whether its execution role still exists (IAM `GetRole`).
    RoleExists,
    /// Its execution role's policies (IAM; in a template, the roles it declares).
    RolePolicies,
    /// Its subnet's routes and VPC endpoints (EC2; in a template, the network it declares).
    SubnetEgress,
    /// Who manages each KMS key it names, and the key's state (KMS
    /// `DescribeKey`; in a template, the keys it declares).
    KeyStanding,
    /// The key each of its log destinations encrypts with (S3
    /// `GetBucketEncryption`, CloudWatch Logs `DescribeLogGroups`), then
    /// as [`Lookup::KeyStanding`].
    DestinationKeys,
    /// Its user's identity policies (IAM, inline and attached).
    UserPolicies,
    /// Whether its log bucket is public (S3 `GetBucketPolicyStatus`,
    /// `GetBucketAcl`, and the bucket's and account's Block Public Access).
    BucketExposure,
    /// The customization job that made it (Bedrock
    /// `GetModelCustomizationJob`; in a template, the job it declares).
    CustomizationJob,
    /// Every other resource of the account and the audited regions that
    /// acts as the same role (an audit reads them all; `vigil watch`, one).
    SharedRole,
}

pub struct Rule {
    /// Stable kebab-case slug, named after the resource and the property.
    pub id: &'static str,
    /// Former ids that still select this rule.
    pub aliases: &'static [&'static str],
    pub title: &'static str,
    /// When a resource fails, in a line (Markdown): the README's rule table.
    pub fails_when: &'static str,
    pub risk: RiskLevel,
    pub categories: &'static [&'static str],
    pub resource_kind: ResourceKind,
    /// The property the check reads, as each template language spells it,
    /// so template findings can point at it and `--fix` can set it.
    pub property: crate::model::Property,
    /// What `vigil remediate RULE` does for this rule's failures on a live
    /// account, when it can do anything: declared here, not listed apart.
    pub remediation: Option<&'static str>,
    /// What deploying `scan --fix`'s edit does, for rules whose property a
    /// template fix sets (`None`: no automatic template fix).
    pub template_fix: Option<FixSafety>,
    /// Run only when chosen (by id, category or peer id): a control whose
    /// definition fails most well-run estates (images in Amazon ECR) would
    /// drown every default report.
    pub opt_in: bool,
    /// What the check needs beyond the resource's own description, looked
    /// up only when a chosen rule needs it.
    pub lookup: Lookup,
    /// The setting it reads when the model holds no field for its
    /// property: `property` is then the setting's, and every source reads
    /// it by path (`model::Setting`).
    pub setting: Option<&'static crate::model::Setting>,
    pub xrefs: CrossRefs,
    pub article: Article,
    /// Judges a resource of `resource_kind`; `None` for any other kind.
    pub check: fn(&Resource) -> Option<Verdict>,
}

/// Rules are statics: one is the same as another when their ids are.
impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Rule {}

/// A rule shows as its id in messages and reports.
impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rule({})", self.id)
    }
}

impl Rule {
    /// Runs the check and dresses its verdict as a finding.
    pub fn evaluate(&'static self, resource: &Resource) -> Option<Finding> {
        let verdict = match crate::custom::judge_of(self) {
            Some(judge) if resource.kind() == self.resource_kind => judge.judge(resource),
            Some(_) => return None,
            None => (self.check)(resource)?,
        };
        Some(Finding {
            rule: self,
            title: self.title,
            reason: verdict.status.reason().map(str::to_owned),
            status: verdict.status,
            risk: self.risk,
            message: verdict.message,
            suppressed: false,
            suppression: None,
            resource: resource_ref(resource),
            location: None,
            history: None,
        })
    }

    pub fn answers_to(&self, id: &str) -> bool {
        self.id == id || self.aliases.contains(&id)
    }
}

fn resource_ref(resource: &Resource) -> ResourceRef {
    let identity = resource.identity().clone();
    ResourceRef {
        kind: resource.type_name(),
        name: identity.name,
        arn: identity.arn,
        account: identity.account,
        region: identity.region,
    }
}

/// The article as Markdown: what `vigil explain` prints and what the rule
/// documentation is generated from.
pub fn render_article(rule: &Rule) -> String {
    use std::fmt::Write;
    let mut out = format!("# {}\n\n", rule.title);
    let _ = writeln!(out, "- **Rule id:** `{}`", rule.id);
    let _ = writeln!(out, "- **Risk level:** {}", rule.risk);
    let _ = writeln!(out, "- **Categories:** {}", rule.categories.join(", "));
    let _ = writeln!(out, "- **Resource type:** `{}`", rule.resource_kind.type_name());
    for (system, ids) in rule.xrefs.systems() {
        let ids = if ids.is_empty() {
            "none".to_owned()
        } else {
            ids.join(", ")
        };
        let _ = writeln!(out, "- **{system}:** {ids}");
    }
    // A policy's article has the sections its author wrote.
    for (heading, body) in rule
        .article
        .sections()
        .into_iter()
        .filter(|(_, b)| !b.trim().is_empty())
    {
        let _ = write!(out, "\n## {heading}\n\n{}\n", body.trim_end());
    }
    if !rule.article.references.is_empty() {
        out.push_str("\n## References\n\n");
    }
    for (title, url) in rule.article.references {
        let _ = writeln!(out, "- [{title}]({url})");
    }
    out
}
