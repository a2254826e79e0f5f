//! The other judged Terraform kinds (notebook instances, domains,
//! data-quality job definitions) in Terraform's JSON forms: plan JSON (an
//! `after` or `values` object, with `after_unknown`) and `.tf.json` (literal
//! values; `${…}` interpolations are unknown). So a plan or a `.tf.json`
//! holding only these is judged, never an empty pass.

use crate::tree::{Node, Value};
use vigil_core::model::{Domain, IsolatedJob, NotebookInstance};
use vigil_core::{Fact, Position, Resource};

/// One attribute: `None` when unset (or `null`), else its text, or why it
/// is not known before apply.
fn attribute(values: Option<&Node>, unknown: Option<&Node>, key: &str) -> Option<Result<String, String>> {
    if unknown
        .and_then(|u| u.get(key))
        .is_some_and(|v| !matches!(v.value, Value::Bool(false) | Value::Null))
    {
        return Some(Err(format!("{key} is known only after apply")));
    }
    let value = values?.get(key)?;
    match &value.value {
        Value::Null => None,
        Value::Bool(b) => Some(Ok(b.to_string())),
        Value::Scalar { text, .. } if text.contains("${") => Some(Err(format!(
            "{key} is \"{text}\", which cannot be resolved before apply"
        ))),
        Value::Scalar { text, .. } => Some(Ok(text.clone())),
        _ => Some(Err(format!("{key} is {}, not a value", value.describe()))),
    }
}

/// `Enabled`/`Disabled`, enabled when unset, as AWS applies it.
fn enabled(values: Option<&Node>, unknown: Option<&Node>, key: &str) -> Fact<bool> {
    match attribute(values, unknown, key) {
        None => Fact::Known(true),
        Some(Ok(v)) if v.eq_ignore_ascii_case("enabled") => Fact::Known(true),
        Some(Ok(v)) if v.eq_ignore_ascii_case("disabled") => Fact::Known(false),
        Some(Ok(v)) => Fact::Unknown(format!("{key} is {v:?}, neither Enabled nor Disabled")),
        Some(Err(why)) => Fact::Unknown(why),
    }
}

/// Where each property is written, for those that are.
fn positions(values: Option<&Node>, names: &[(&str, &'static str)]) -> Vec<(&'static str, Position)> {
    names
        .iter()
        .filter_map(|(tf, cfn)| Some((*cfn, values?.entry(tf)?.0.pos)))
        .collect()
}

/// The resource of `kind` named `name`, from its values.
pub fn resource(
    kind: &str,
    name: String,
    values: Option<&Node>,
    unknown: Option<&Node>,
) -> Option<(Resource, Vec<(&'static str, Position)>)> {
    let named = |key: &str| match attribute(values, unknown, key) {
        Some(Ok(text)) => text,
        _ => name.clone(),
    };
    Some(match kind {
        "aws_sagemaker_notebook_instance" => {
            // Any subnet, even one known only after apply, puts it in a VPC.
            let subnet_id = match attribute(values, unknown, "subnet_id") {
                None => None,
                Some(Ok(subnet)) => Some(subnet),
                Some(Err(_)) => Some("(known after apply)".to_owned()),
            };
            let notebook = NotebookInstance {
                name: named("name"),
                arn: None,
                account: None,
                region: None,
                direct_internet_access: enabled(values, unknown, "direct_internet_access"),
                subnet_id: Fact::Known(subnet_id),
                root_access: enabled(values, unknown, "root_access"),
            };
            let properties = positions(
                values,
                &[
                    ("direct_internet_access", "DirectInternetAccess"),
                    ("subnet_id", "SubnetId"),
                    ("root_access", "RootAccess"),
                ],
            );
            (Resource::NotebookInstance(notebook), properties)
        }
        "aws_sagemaker_domain" => {
            let vpc_only = match attribute(values, unknown, "app_network_access_type") {
                None => Fact::Known(false),
                Some(Ok(access)) => Fact::Known(access == "VpcOnly"),
                Some(Err(why)) => Fact::Unknown(why),
            };
            let domain = Domain {
                name: named("domain_name"),
                arn: None,
                account: None,
                region: None,
                vpc_only,
            };
            let properties = positions(values, &[("app_network_access_type", "AppNetworkAccessType")]);
            (Resource::Domain(domain), properties)
        }
        "aws_sagemaker_data_quality_job_definition" => {
            // `network_config` is a list of one block in these forms.
            let network = values.and_then(|v| v.get("network_config")).map(|n| match n.as_seq() {
                Some(blocks) => blocks.first().cloned(),
                None => Some(n.clone()),
            });
            let network = network.flatten();
            let network_unknown = unknown
                .and_then(|u| u.get("network_config"))
                .and_then(|n| n.as_seq().and_then(|b| b.first().cloned()));
            let isolation = match attribute(
                network.as_deref(),
                network_unknown.as_deref(),
                "enable_network_isolation",
            ) {
                None => Fact::Known(false),
                Some(Ok(flag)) => Fact::Known(flag == "true"),
                Some(Err(why)) => Fact::Unknown(why),
            };
            let job = IsolatedJob::new(named("name"), None, isolation);
            let properties = positions(
                network.as_deref(),
                &[("enable_network_isolation", "NetworkConfig.EnableNetworkIsolation")],
            );
            (
                Resource::MonitoringJob(job, "AWS::SageMaker::DataQualityJobDefinition"),
                properties,
            )
        }
        _ => return None,
    })
}
