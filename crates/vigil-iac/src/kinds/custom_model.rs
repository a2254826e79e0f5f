//! `aws_bedrock_custom_model`. CloudFormation has no custom model type, so
//! this kind is Terraform only.

use super::{Declared, Kind, TfType};
use vigil_core::model::{CustomModel, Identity, VpcConfig};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::CustomModel,
    cloudformation: &[],
    terraform: &[TfType {
        name: "aws_bedrock_custom_model",
        reported_as: "AWS::Bedrock::CustomModel",
    }],
    properties: &[CustomModel::KMS_KEY, CustomModel::VPC_CONFIG],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::CustomModel(CustomModel {
        identity: Identity::declared(declared.name(&CustomModel::NAME)),
        // A key chosen at deployment (a reference, a variable) is still a key.
        kms_key_arn: Fact::Known(declared.key(&CustomModel::KMS_KEY)),
        // The resource is the job: any VPC block, even one whose subnets
        // are chosen at deployment.
        job_arn: None,
        job_vpc: Fact::Known(declared.written(&CustomModel::VPC_CONFIG).map(|_| VpcConfig::default())),
    })
}
