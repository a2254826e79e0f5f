//! AWS Security Finding Format: each judged live finding as Security Hub
//! stores it. One typed record serves `--format asff` (its JSON) and
//! `--security-hub` (the SDK request built from it), so the two never differ.
//! The `Id` is stable, so a re-import updates a finding in place.

use serde::Serialize;
use std::collections::BTreeMap;
use vigil_core::{Finding, RiskLevel, Status};

/// Security Hub's limits (in characters) on free text and on ids.
const DESCRIPTION_MAX: usize = 1024;
const RECOMMENDATION_MAX: usize = 512;
const TITLE_MAX: usize = 256;
const ID_MAX: usize = 512;

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

/// At most `max` characters, cut at a character boundary, with `…` for
/// what was left out.
fn clipped(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some(_) => {
            let end = text.char_indices().nth(max - 1).map_or(text.len(), |(at, _)| at);
            format!("{}…", &text[..end])
        }
        None => text.to_owned(),
    }
}

/// An id of at most `max` characters that stays unique and stable: one
/// too long keeps its start and ends with a hash of the whole.
fn bounded_id(id: String, max: usize) -> String {
    if id.chars().count() <= max {
        return id;
    }
    // FNV-1a: the same id gives the same hash in every run and version.
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let tail = format!("#{hash:016x}");
    let keep = max - tail.len();
    let end = id.char_indices().nth(keep).map_or(id.len(), |(at, _)| at);
    format!("{}{tail}", &id[..end])
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
        id: bounded_id(format!("vigil/{}/{resource_id}", rule.id), ID_MAX),
        product_arn: format!("arn:{partition}:securityhub:{region}:{account}:product/{account}/default"),
        generator_id: format!("vigil/{}", rule.id),
        aws_account_id: account,
        types: vec!["Software and Configuration Checks/AWS Security Best Practices"],
        created_at,
        updated_at: updated_at.to_owned(),
        severity: Severity {
            label: label(rule.risk),
        },
        title: clipped(rule.title, TITLE_MAX),
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
            id: bounded_id(resource_id, ID_MAX),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_clipped_at_a_character_boundary_whatever_the_width_of_its_characters() {
        for wide in ["a", "é", "語", "🦀"] {
            for len in DESCRIPTION_MAX - 3..=DESCRIPTION_MAX + 3 {
                for lead in 0..4 {
                    let text = format!("{}{}", "x".repeat(lead), wide.repeat(len - lead));
                    let clipped = clipped(&text, DESCRIPTION_MAX);
                    let chars = clipped.chars().count();
                    assert!(chars <= DESCRIPTION_MAX, "{wide} × {len}: {chars}");
                    if len <= DESCRIPTION_MAX {
                        assert_eq!(clipped, text);
                    } else {
                        assert!(clipped.ends_with('…') && chars == DESCRIPTION_MAX);
                    }
                }
            }
        }
    }

    #[test]
    fn ids_stay_within_the_limit_unique_and_stable() {
        let long = |end: &str| format!("vigil/rule/{}{end}", "語".repeat(600));
        let (a, b) = (bounded_id(long("a"), ID_MAX), bounded_id(long("b"), ID_MAX));
        assert!(a.chars().count() <= ID_MAX && b.chars().count() <= ID_MAX);
        assert_ne!(a, b, "ids that differ only past the limit stay apart");
        assert_eq!(a, bounded_id(long("a"), ID_MAX));
        assert_eq!(bounded_id("short".into(), ID_MAX), "short");
    }

    #[test]
    fn a_finding_with_long_multibyte_text_gives_a_record_within_every_limit() {
        let rule = vigil_core::registry::RULES[0];
        let mut finding = Finding {
            rule,
            title: rule.title,
            status: Status::Unknown {
                reason: "é".repeat(2000),
            },
            reason: Some("語".repeat(1100)),
            risk: rule.risk,
            message: "🦀".repeat(1023),
            suppressed: false,
            suppression: None,
            resource: vigil_core::finding::ResourceRef {
                kind: "AWS::SageMaker::Model",
                name: "m".repeat(700),
                arn: None,
                account: Some("123456789012".into()),
                region: Some("eu-west-1".into()),
            },
            location: None,
            history: None,
        };
        let record = asff(&finding, "2026-12-07T00:00:00Z").unwrap();
        assert_eq!(record.description.chars().count(), DESCRIPTION_MAX);
        assert!(record.id.chars().count() <= ID_MAX);
        assert!(record.resources[0].id.chars().count() <= ID_MAX);
        finding.message = "short".into();
        finding.reason = None;
        assert_eq!(asff(&finding, "t").unwrap().description, "short");
    }
}
