//! The customization job behind each Bedrock custom model
//! (`GetModelCustomizationJob` by the ARN `GetCustomModel` names, a signed
//! REST-JSON call in the job's region): its `vpcConfig`. Read only for the
//! rule on it; each job once.

use crate::bedrock::CONTROL;
use crate::calls::CallCounter;
use crate::rest::{self, reason};
use aws_config::SdkConfig;
use serde_json::Value;
use vigil_core::model::{region_of_arn, VpcConfig};
use vigil_core::{Fact, Resource};

const GET: &str = "bedrock:GetModelCustomizationJob";

/// Fills the job network of every custom model of `resources`.
pub async fn read_jobs(config: &SdkConfig, counter: &CallCounter, resources: &mut [Resource]) {
    for resource in resources.iter_mut() {
        let Resource::CustomModel(model) = resource else {
            continue;
        };
        // A model that could not be described keeps that reason.
        if model.kms_key_arn.known().is_none() {
            continue;
        }
        model.job_vpc = match &model.job_arn {
            None => Fact::unknown("GetCustomModel named no jobArn: the job that made the model is not known"),
            Some(job) => match region_of_arn(job).or_else(|| model.identity.region.clone()) {
                None => Fact::unknown(format!("the region of job {job} is not known")),
                Some(region) => job_vpc(config, job, &region, counter).await,
            },
        };
    }
}

/// The `vpcConfig` of `job` (its ARN), read in `region`.
async fn job_vpc(config: &SdkConfig, job: &str, region: &str, counter: &CallCounter) -> Fact<Option<VpcConfig>> {
    let path = format!("/model-customization-jobs/{}", crate::iam::form_encoded(job));
    match rest::call(config, (&CONTROL.service, region), ("GET", &path, ""), counter, GET).await {
        Ok(answer) => Fact::Known(vpc_of(&answer)),
        Err(refused) if rest::is_gone(&refused) => Fact::Unknown(format!(
            "the customization job {job} is gone ({}): where it ran cannot be read",
            reason(GET, &refused)
        )),
        Err(refused) => Fact::Unknown(reason(GET, &refused)),
    }
}

/// A job's `vpcConfig`; `None` when it has none or names no subnet.
fn vpc_of(answer: &Value) -> Option<VpcConfig> {
    let texts = |field: &str| -> Vec<String> {
        let items = answer["vpcConfig"][field].as_array().cloned().unwrap_or_default();
        items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
    };
    let vpc = VpcConfig {
        subnets: texts("subnetIds"),
        security_group_ids: texts("securityGroupIds"),
    };
    (!vpc.subnets.is_empty()).then_some(vpc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_in_a_vpc_names_its_subnets_and_one_without_has_none() {
        let answer = serde_json::json!({"vpcConfig": {"subnetIds": ["subnet-1"], "securityGroupIds": ["sg-1"]}});
        assert_eq!(
            vpc_of(&answer),
            Some(VpcConfig {
                subnets: vec!["subnet-1".into()],
                security_group_ids: vec!["sg-1".into()],
            })
        );
        assert_eq!(vpc_of(&serde_json::json!({"jobName": "j"})), None);
        assert_eq!(vpc_of(&serde_json::json!({"vpcConfig": {"subnetIds": []}})), None);
    }
}
