//! `AWS::SageMaker::Model` / `aws_sagemaker_model`.

use super::{CfnType, Declared, Kind, Remedy, TfType};
use vigil_core::model::{Identity, SageMakerModel, VpcConfig};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::SageMakerModel,
    cloudformation: &[CfnType {
        name: "AWS::SageMaker::Model",
        root: "",
    }],
    terraform: &[TfType {
        name: "aws_sagemaker_model",
        reported_as: "AWS::SageMaker::Model",
    }],
    properties: &[
        SageMakerModel::NETWORK_ISOLATION,
        SageMakerModel::VPC_CONFIG,
        SageMakerModel::EXECUTION_ROLE_ARN,
    ],
    fixes: &[
        Remedy::SetTrue(SageMakerModel::NETWORK_ISOLATION),
        Remedy::ByHand(SageMakerModel::VPC_CONFIG, crate::source::VPC_FIX),
    ],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::SageMakerModel(SageMakerModel {
        identity: Identity::declared(declared.name(&SageMakerModel::NAME)),
        network_isolation: declared.flag(&SageMakerModel::NETWORK_ISOLATION),
        execution_role_arn: declared.text(&SageMakerModel::EXECUTION_ROLE_ARN),
        // No rule reads a template's containers; a remediation reads them live.
        containers: Fact::unknown("containers are read from the live model, not from templates"),
        // Any VPC block, even one whose subnets are chosen at deployment.
        vpc: Fact::Known(
            declared
                .written(&SageMakerModel::VPC_CONFIG)
                .map(|_| VpcConfig::default()),
        ),
    })
}
