//! `AWS::SageMaker::Model` / `aws_sagemaker_model`.

use super::{CfnType, Declared, Kind, Remedy, TfType};
use vigil_core::model::{Container, Identity, SageMakerModel, VpcConfig};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::SageMakerModel,
    cloudformation: &[CfnType::named("AWS::SageMaker::Model")],
    terraform: &[TfType {
        name: "aws_sagemaker_model",
        reported_as: "AWS::SageMaker::Model",
    }],
    properties: &[
        SageMakerModel::NETWORK_ISOLATION,
        SageMakerModel::VPC_CONFIG,
        SageMakerModel::EXECUTION_ROLE_ARN,
        Container::PRIMARY,
    ],
    fixes: &[
        Remedy::SetTrue(SageMakerModel::NETWORK_ISOLATION),
        Remedy::ByHand(SageMakerModel::VPC_CONFIG, crate::source::VPC_FIX),
    ],
    build,
};

/// The single container and the pipeline's, with what rules read of them
/// (a remediation copies the rest from the live model).
fn containers(declared: &Declared) -> Fact<Vec<Container>> {
    let primary = declared.written(&Container::PRIMARY).map(|_| Container {
        repository_access_mode: declared.text(&Container::PRIMARY_REPOSITORY_ACCESS_MODE),
        ..Container::default()
    });
    declared
        .each(&Container::PIPELINE, |container| Container {
            repository_access_mode: container.text(&Container::REPOSITORY_ACCESS_MODE),
            ..Container::default()
        })
        .map(|pipeline| primary.into_iter().chain(pipeline).collect())
}

fn build(declared: &Declared) -> Resource {
    Resource::SageMakerModel(SageMakerModel {
        identity: Identity::declared(declared.name(&SageMakerModel::NAME)),
        network_isolation: declared.flag(&SageMakerModel::NETWORK_ISOLATION),
        execution_role_arn: declared.text(&SageMakerModel::EXECUTION_ROLE_ARN),
        // Whether a role exists is a fact of the account, not the template.
        execution_role_exists: Fact::unknown(SageMakerModel::ROLE_NOT_LOOKED_UP),
        containers: containers(declared),
        // Any VPC block, even one whose subnets are chosen at deployment.
        vpc: Fact::Known(
            declared
                .written(&SageMakerModel::VPC_CONFIG)
                .map(|_| VpcConfig::default()),
        ),
    })
}
