//! `--security-hub`: imports a run's findings into AWS Security Hub with
//! `BatchImportFindings`, in batches of 100 per account and region (the
//! SDK retries throttled calls), and says which findings were not taken
//! and why. Nothing is dropped silently.

use crate::audit::Sessions;
use crate::errors::describe;
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, Compliance, ComplianceStatus, Recommendation, Remediation, Resource, Severity, SeverityLabel,
    Workflow, WorkflowStatus,
};
use aws_sdk_securityhub::Client;
use std::collections::BTreeMap;
use vigil_report::asff::Asff;

/// Security Hub's most findings per `BatchImportFindings`.
const BATCH: usize = 100;

/// A finding Security Hub did not take: its `Id` and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotImported {
    pub id: String,
    pub region: String,
    pub reason: String,
}

/// Imports `records`, each with the session the audit used in its own
/// account, in its own region; returns how many were taken and those that
/// were not.
pub async fn import(sessions: &Sessions, records: Vec<Asff>) -> (usize, Vec<NotImported>) {
    let mut by_place: BTreeMap<(String, String), Vec<Asff>> = BTreeMap::new();
    for record in records {
        let place = (record.aws_account_id.clone(), record.region.clone());
        by_place.entry(place).or_default().push(record);
    }
    let (mut taken, mut refused) = (0, Vec::new());
    for ((account, region), records) in by_place {
        let Some(config) = sessions.of(&account) else {
            // A finding only comes from an account the audit entered.
            refused.extend(records.iter().map(|r| NotImported {
                id: r.id.clone(),
                region: region.clone(),
                reason: format!("no session in account {account}"),
            }));
            continue;
        };
        let client = Client::new(
            &config
                .to_builder()
                .region(aws_config::Region::new(region.clone()))
                .build(),
        );
        for batch in records.chunks(BATCH) {
            let sent = client
                .batch_import_findings()
                .set_findings(Some(batch.iter().map(to_sdk).collect()))
                .send()
                .await
                .map_err(|e| describe(&e));
            match sent {
                Ok(out) => {
                    taken += out.success_count().unwrap_or_default() as usize;
                    refused.extend(out.failed_findings().iter().map(|f| NotImported {
                        id: f.id().unwrap_or_default().to_owned(),
                        region: region.clone(),
                        reason: format!(
                            "{}: {}",
                            f.error_code().unwrap_or("error"),
                            f.error_message().unwrap_or_default()
                        ),
                    }));
                }
                Err(why) => refused.extend(batch.iter().map(|r| NotImported {
                    id: r.id.clone(),
                    region: region.clone(),
                    reason: why.clone(),
                })),
            }
        }
    }
    (taken, refused)
}

/// The SDK's finding, field for field from the record `--format asff` writes.
fn to_sdk(r: &Asff) -> AwsSecurityFinding {
    let resources = r
        .resources
        .iter()
        .map(|res| {
            Resource::builder()
                .r#type(res.kind)
                .id(&res.id)
                .partition(res.partition.as_str().into())
                .region(&res.region)
                .build()
        })
        .collect();
    AwsSecurityFinding::builder()
        .schema_version(r.schema_version)
        .id(&r.id)
        .product_arn(&r.product_arn)
        .generator_id(&r.generator_id)
        .aws_account_id(&r.aws_account_id)
        .region(&r.region)
        .set_types(Some(r.types.iter().map(|t| t.to_string()).collect()))
        .created_at(&r.created_at)
        .updated_at(&r.updated_at)
        .severity(Severity::builder().label(SeverityLabel::from(r.severity.label)).build())
        .title(&r.title)
        .description(&r.description)
        .remediation(
            Remediation::builder()
                .recommendation(
                    Recommendation::builder()
                        .text(&r.remediation.recommendation.text)
                        .set_url(r.remediation.recommendation.url.clone())
                        .build(),
                )
                .build(),
        )
        .set_product_fields(Some(r.product_fields.clone().into_iter().collect()))
        .set_resources(Some(resources))
        .compliance(
            Compliance::builder()
                .status(ComplianceStatus::from(r.compliance.status))
                .set_related_requirements(Some(r.compliance.related_requirements.clone()))
                .build(),
        )
        .workflow(
            Workflow::builder()
                .status(WorkflowStatus::from(r.workflow.status))
                .build(),
        )
        .record_state(r.record_state.into())
        .build()
}
