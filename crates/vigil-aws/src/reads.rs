//! What the chosen rules need beyond each resource's own description, read
//! once per account after its resources are collected (by an audit) or
//! described (by `vigil watch`): execution roles, their policies, the way
//! out of notebook subnets, the keys of log destinations and whether the
//! log bucket is public, the jobs behind
//! custom models, the KMS keys resources name.

use crate::calls::CallCounter;
use aws_config::SdkConfig;
use vigil_core::{Lookup, Resource};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reads {
    /// Whether each execution role still exists (IAM `GetRole`).
    pub execution_roles: bool,
    /// The policies of notebook instances' execution roles (IAM).
    pub role_policies: bool,
    /// The routes and VPC endpoints of notebook subnets (EC2).
    pub notebook_egress: bool,
    /// The keys of Bedrock's invocation log destinations (S3, CloudWatch Logs).
    pub destination_keys: bool,
    /// The policies of the users Bedrock API keys belong to (IAM).
    pub user_policies: bool,
    /// Whether the bucket Bedrock's invocation logs go to is public (S3).
    pub bucket_exposure: bool,
    /// The customization job behind each Bedrock custom model.
    pub customization_jobs: bool,
    /// Which Bedrock agents share a service role: an audit's, from every
    /// agent of the account it read (`vigil watch` reads one, and leaves
    /// it unknown).
    pub shared_roles: bool,
    /// Who manages each KMS key resources name, and its state (KMS).
    pub kms_keys: bool,
}

impl Reads {
    /// What the chosen rules look up (each rule declares its `Lookup`).
    pub fn of(rules: &[&'static vigil_core::Rule]) -> Self {
        let any = |lookup: Lookup| rules.iter().any(|r| r.lookup == lookup);
        Reads {
            execution_roles: any(Lookup::RoleExists),
            role_policies: any(Lookup::RolePolicies),
            notebook_egress: any(Lookup::SubnetEgress),
            destination_keys: any(Lookup::DestinationKeys),
            bucket_exposure: any(Lookup::BucketExposure),
            user_policies: any(Lookup::UserPolicies),
            customization_jobs: any(Lookup::CustomizationJob),
            shared_roles: any(Lookup::SharedRole),
            // A destination's key is judged as every other key.
            kms_keys: any(Lookup::KeyStanding) || any(Lookup::DestinationKeys),
        }
    }

    /// Fills in what `resources` (of one account) need, with that account's
    /// credentials. IAM is global; EC2 is read in each resource's region.
    pub async fn complete(&self, config: &SdkConfig, counter: &CallCounter, resources: &mut [Resource]) {
        if self.execution_roles {
            crate::iam::check_roles(config, counter, resources).await;
        }
        if self.role_policies {
            crate::iam_policies::read_role_policies(config, counter, resources).await;
        }
        if self.user_policies {
            crate::iam_policies::read_user_policies(config, counter, resources).await;
        }
        if self.notebook_egress {
            crate::notebook_network::read_egress(config, counter, resources).await;
        }
        if self.customization_jobs {
            crate::customization_jobs::read_jobs(config, counter, resources).await;
        }
        if self.destination_keys {
            crate::log_destinations::read_keys(config, counter, resources).await;
        }
        if self.bucket_exposure {
            crate::bucket_exposure::read_exposure(config, counter, resources).await;
        }
        if self.kms_keys {
            crate::kms::describe_keys(config, counter, resources).await;
        }
    }
}
