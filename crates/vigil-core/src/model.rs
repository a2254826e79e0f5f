//! Normalised resources: what a collector reads from AWS and what a template
//! reader will map CloudFormation or Terraform onto. Rules see only these.

use crate::fact::Fact;
use serde::Serialize;

/// The kinds of resource Vigil knows; a rule applies to exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ResourceKind {
    #[serde(rename = "AWS::SageMaker::Model")]
    SageMakerModel,
    #[serde(rename = "AWS::SageMaker::NotebookInstance")]
    NotebookInstance,
    #[serde(rename = "AWS::SageMaker::Domain")]
    Domain,
    #[serde(rename = "AWS::SageMaker::TrainingJob")]
    TrainingJob,
    #[serde(rename = "AWS::SageMaker::ProcessingJob")]
    ProcessingJob,
    #[serde(rename = "AWS::SageMaker::HyperParameterTuningJob")]
    TuningJob,
    /// Data-quality, model-quality, bias and explainability job definitions,
    /// and monitoring schedules.
    #[serde(rename = "AWS::SageMaker::MonitoringJob")]
    MonitoringJob,
}

impl ResourceKind {
    /// Where resources of this kind can be read from.
    pub fn sources(self) -> &'static [&'static str] {
        match self {
            ResourceKind::SageMakerModel => &["live", "cloudformation", "terraform"],
            ResourceKind::NotebookInstance => &["live", "cloudformation", "terraform"],
            ResourceKind::Domain => &["live", "cloudformation", "terraform"],
            // Jobs are started by code, not declared in templates.
            ResourceKind::TrainingJob | ResourceKind::ProcessingJob | ResourceKind::TuningJob => &["live"],
            ResourceKind::MonitoringJob => &["live", "cloudformation", "terraform"],
        }
    }

    /// The CloudFormation type name, which also names the kind in reports.
    pub fn type_name(self) -> &'static str {
        match self {
            ResourceKind::SageMakerModel => "AWS::SageMaker::Model",
            ResourceKind::NotebookInstance => "AWS::SageMaker::NotebookInstance",
            ResourceKind::Domain => "AWS::SageMaker::Domain",
            ResourceKind::TrainingJob => "AWS::SageMaker::TrainingJob",
            ResourceKind::ProcessingJob => "AWS::SageMaker::ProcessingJob",
            ResourceKind::TuningJob => "AWS::SageMaker::HyperParameterTuningJob",
            ResourceKind::MonitoringJob => "AWS::SageMaker::MonitoringSchedule",
        }
    }
}

/// Every resource a rule can judge.
#[derive(Debug, Clone)]
pub enum Resource {
    SageMakerModel(SageMakerModel),
    NotebookInstance(NotebookInstance),
    Domain(Domain),
    TrainingJob(TrainingJob),
    ProcessingJob(IsolatedJob),
    TuningJob(IsolatedJob),
    /// A monitoring job definition or schedule; the string is its CloudFormation type.
    MonitoringJob(IsolatedJob, &'static str),
}

impl Resource {
    pub fn kind(&self) -> ResourceKind {
        match self {
            Resource::SageMakerModel(_) => ResourceKind::SageMakerModel,
            Resource::NotebookInstance(_) => ResourceKind::NotebookInstance,
            Resource::Domain(_) => ResourceKind::Domain,
            Resource::TrainingJob(_) => ResourceKind::TrainingJob,
            Resource::ProcessingJob(_) => ResourceKind::ProcessingJob,
            Resource::TuningJob(_) => ResourceKind::TuningJob,
            Resource::MonitoringJob(..) => ResourceKind::MonitoringJob,
        }
    }

    /// The CloudFormation type reports name: the kind's, or for monitoring
    /// jobs the precise definition or schedule type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Resource::MonitoringJob(_, type_name) => type_name,
            other => other.kind().type_name(),
        }
    }

    /// Name, ARN, account and region, whatever the kind.
    pub fn identity(&self) -> (&str, Option<&str>, Option<&str>, Option<&str>) {
        match self {
            Resource::SageMakerModel(m) => (&m.name, m.arn.as_deref(), m.account.as_deref(), m.region.as_deref()),
            Resource::NotebookInstance(n) => (&n.name, n.arn.as_deref(), n.account.as_deref(), n.region.as_deref()),
            Resource::Domain(d) => (&d.name, d.arn.as_deref(), d.account.as_deref(), d.region.as_deref()),
            Resource::TrainingJob(j) => (&j.name, j.arn.as_deref(), j.account.as_deref(), j.region.as_deref()),
            Resource::ProcessingJob(j) | Resource::TuningJob(j) | Resource::MonitoringJob(j, _) => {
                (&j.name, j.arn.as_deref(), j.account.as_deref(), j.region.as_deref())
            }
        }
    }
}

/// A workload whose only network property a rule reads is its isolation
/// flag: processing jobs, tuning jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsolatedJob {
    pub name: String,
    pub arn: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub network_isolation: Fact<bool>,
}

impl IsolatedJob {
    /// Placed by its ARN; `network_isolation` as read (or why it could not be).
    pub fn new(name: String, arn: Option<String>, network_isolation: Fact<bool>) -> Self {
        IsolatedJob {
            account: arn.as_deref().and_then(account_of_arn),
            region: arn.as_deref().and_then(region_of_arn),
            name,
            arn,
            network_isolation,
        }
    }
}

/// A training job as `DescribeTrainingJob` tells it, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingJob {
    pub name: String,
    pub arn: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub network_isolation: Fact<bool>,
    pub vpc: Fact<Option<VpcConfig>>,
    pub inter_container_encryption: Fact<bool>,
    /// Instances across all instance groups; more than one is distributed training.
    pub instance_count: Fact<u32>,
}

impl TrainingJob {
    /// Listed, but not described: every property unknown for one reason.
    pub fn unreadable(name: String, arn: Option<String>, reason: &str) -> Self {
        TrainingJob {
            account: arn.as_deref().and_then(account_of_arn),
            region: arn.as_deref().and_then(region_of_arn),
            name,
            arn,
            network_isolation: Fact::unknown(reason),
            vpc: Fact::unknown(reason),
            inter_container_encryption: Fact::unknown(reason),
            instance_count: Fact::unknown(reason),
        }
    }
}

/// A SageMaker (Studio) domain as `DescribeDomain` (or a template) tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub name: String,
    pub arn: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// `AppNetworkAccessType == VpcOnly`; absent means `PublicInternetOnly`, as on AWS.
    pub vpc_only: Fact<bool>,
}

/// A notebook instance as `DescribeNotebookInstance` (or a template) tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotebookInstance {
    pub name: String,
    pub arn: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// `DirectInternetAccess == Enabled`; absent means enabled, as on AWS.
    pub direct_internet_access: Fact<bool>,
    /// The subnet the instance's network interface lives in, if any.
    pub subnet_id: Fact<Option<String>>,
    /// `RootAccess == Enabled`; absent means enabled, as on AWS.
    pub root_access: Fact<bool>,
}

impl NotebookInstance {
    /// Listed, but not described: every property unknown for one reason.
    pub fn unreadable(name: String, arn: Option<String>, reason: &str) -> Self {
        NotebookInstance {
            account: arn.as_deref().and_then(account_of_arn),
            region: arn.as_deref().and_then(region_of_arn),
            name,
            arn,
            direct_internet_access: Fact::unknown(reason),
            subnet_id: Fact::unknown(reason),
            root_access: Fact::unknown(reason),
        }
    }
}

/// A SageMaker model as `DescribeModel` (or a template) tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SageMakerModel {
    pub name: String,
    pub arn: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// `EnableNetworkIsolation`; an absent flag is `false`, as on AWS.
    pub network_isolation: Fact<bool>,
    pub execution_role_arn: Fact<Option<String>>,
    pub containers: Fact<Vec<Container>>,
    /// `None` when the model is not attached to a VPC.
    pub vpc: Fact<Option<VpcConfig>>,
}

impl SageMakerModel {
    /// A model that was listed but whose description could not be read: every
    /// property is unknown for the same reason.
    pub fn unreadable(name: String, arn: Option<String>, reason: &str) -> Self {
        SageMakerModel {
            account: arn.as_deref().and_then(account_of_arn),
            region: arn.as_deref().and_then(region_of_arn),
            name,
            arn,
            network_isolation: Fact::unknown(reason),
            execution_role_arn: Fact::unknown(reason),
            containers: Fact::unknown(reason),
            vpc: Fact::unknown(reason),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Container {
    pub image: Option<String>,
    pub model_data_url: Option<String>,
    pub model_package_name: Option<String>,
    pub mode: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct VpcConfig {
    pub subnets: Vec<String>,
    pub security_group_ids: Vec<String>,
}

/// `arn:partition:service:region:account:resource` → account.
pub fn account_of_arn(arn: &str) -> Option<String> {
    arn.split(':').nth(4).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// `arn:partition:service:region:account:resource` → region.
pub fn region_of_arn(arn: &str) -> Option<String> {
    arn.split(':').nth(3).filter(|s| !s.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_parts() {
        let arn = "arn:aws:sagemaker:eu-west-1:123456789012:model/fraud-a";
        assert_eq!(account_of_arn(arn).as_deref(), Some("123456789012"));
        assert_eq!(region_of_arn(arn).as_deref(), Some("eu-west-1"));
        assert_eq!(account_of_arn("not-an-arn"), None);
    }
}
