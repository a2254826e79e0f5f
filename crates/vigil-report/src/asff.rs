//! AWS Security Finding Format: each judged live finding as Security Hub
//! stores it. One typed record serves `--format asff` (its JSON) and
//! `--security-hub` (the SDK request built from it), so the two never differ.
//! The `Id` is stable, so a re-import updates a finding in place.

use serde::Serialize;
use std::collections::BTreeMap;
use vigil_core::{Finding, RiskLevel, Status};

/// Security Hub's limits on free text.
const DESCRIPTION_MAX: usize = 1024;
const RECOMMENDATION_MAX: usize = 512;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Asff {
    pub schema_version: &'static str,
    pub id: String,
    pub product_arn: String,
    pub generator_id: String,
    pub aws_account_id: String,
    pub region: String,
    pub types: Vec<&'static str>,
    pub created_at: String,
    pub updated_at: String,
    pub severity: Severity,
    pub title: String,
    pub description: String,
    pub remediation: Remediation,
    pub product_fields: BTreeMap<String, String>,
    pub resources: Vec<Resource>,
    pub compliance: Compliance,
    pub workflow: Workflow,
    pub record_state: &'static str,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Severity {
    pub label: &'static str,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Remediation {
    pub recommendation: Recommendation,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Recommendation {
    pub text: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Resource {
    #[serde(rename = "Type")]
    pub kind: &'static str,
    pub id: String,
    pub partition: String,
    pub region: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Compliance {
    /// `PASSED`, `FAILED` or `NOT_AVAILABLE`.
    pub status: &'static str,
    pub related_requirements: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Workflow {
    /// `NEW`, or `SUPPRESSED` for a suppressed finding.
    pub status: &'static str,
}

fn label(risk: RiskLevel) -> &'static str {
    match risk {
        RiskLevel::Low => "LOW",
        RiskLevel::Medium => "MEDIUM",
        RiskLevel::High => "HIGH",
        RiskLevel::VeryHigh | RiskLevel::Extreme => "CRITICAL",
    }
}

fn clipped(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end.saturating_sub(3)]),
        None => text.to_owned(),
    }
}

/// The ASFF record of a live finding; `None` for one that names no account
/// or region (a template finding), which Security Hub cannot place.
pub fn asff(finding: &Finding, updated_at: &str) -> Option<Asff> {
    let r = &finding.resource;
    let (account, region) = (r.account.clone()?, r.region.clone()?);
    let rule = finding.rule;
    let partition = r
        .arn
        .as_deref()
        .and_then(|a| a.split(':').nth(1))
        .unwrap_or("aws")
        .to_owned();
    let resource_id = r.arn.clone().unwrap_or_else(|| r.name.clone());
    let mut description = finding.message.clone();
    if let Some(reason) = &finding.reason {
        description = format!("{description} Why unknown: {reason}");
    }
    let related = rule.xrefs.labelled();
    let created_at = finding
        .history
        .as_ref()
        .map_or_else(|| updated_at.to_owned(), |h| h.first_seen.clone());
    Some(Asff {
        schema_version: "2018-10-08",
        id: format!("vigil/{}/{resource_id}", rule.id),
        product_arn: format!("arn:{partition}:securityhub:{region}:{account}:product/{account}/default"),
        generator_id: format!("vigil/{}", rule.id),
        aws_account_id: account,
        types: vec!["Software and Configuration Checks/AWS Security Best Practices"],
        created_at,
        updated_at: updated_at.to_owned(),
        severity: Severity {
            label: label(rule.risk),
        },
        title: clipped(rule.title, 256),
        description: clipped(&description, DESCRIPTION_MAX),
        remediation: Remediation {
            recommendation: Recommendation {
                text: clipped(
                    &format!(
                        "Run `vigil explain {}` for the console, CLI, CloudFormation and Terraform steps.",
                        rule.id
                    ),
                    RECOMMENDATION_MAX,
                ),
                url: rule.article.references.first().map(|(_, url)| (*url).to_owned()),
            },
        },
        product_fields: BTreeMap::from([
            ("ProviderName".to_owned(), "Vigil".to_owned()),
            ("ProviderVersion".to_owned(), env!("CARGO_PKG_VERSION").to_owned()),
            ("vigil/RuleId".to_owned(), rule.id.to_owned()),
            ("vigil/ResourceType".to_owned(), r.kind.to_owned()),
        ]),
        resources: vec![Resource {
            kind: match r.kind {
                "AWS::SageMaker::NotebookInstance" => "AwsSageMakerNotebookInstance",
                _ => "Other",
            },
            id: resource_id,
            partition,
            region: region.clone(),
        }],
        region,
        compliance: Compliance {
            status: match finding.status {
                Status::Pass => "PASSED",
                Status::Fail => "FAILED",
                Status::Unknown { .. } => "NOT_AVAILABLE",
            },
            related_requirements: related,
        },
        workflow: Workflow {
            status: if finding.suppressed { "SUPPRESSED" } else { "NEW" },
        },
        record_state: "ACTIVE",
    })
}

/// Every live finding of a report as ASFF (a JSON array, `--format asff`).
pub fn write_asff(report: &vigil_core::Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let records: Vec<Asff> = report
        .findings
        .iter()
        .filter_map(|f| asff(&f, &report.finished_at))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &records)?;
    writeln!(out)
}
