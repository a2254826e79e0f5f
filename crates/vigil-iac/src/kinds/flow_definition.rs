//! `aws_sagemaker_flow_definition`. CloudFormation has no flow definition
//! type, so this kind is Terraform only.

use super::{Declared, Kind, TfType};
use vigil_core::model::{FlowDefinition, Identity};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::FlowDefinition,
    cloudformation: &[],
    terraform: &[TfType {
        name: "aws_sagemaker_flow_definition",
        reported_as: "AWS::SageMaker::FlowDefinition",
    }],
    properties: &[FlowDefinition::OUTPUT_KMS_KEY_ID],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::FlowDefinition(FlowDefinition {
        identity: Identity::declared(declared.name(&FlowDefinition::NAME)),
        // A key chosen at deployment (a reference, a variable) is still a key.
        output_kms_key_id: Fact::Known(declared.key(&FlowDefinition::OUTPUT_KMS_KEY_ID)),
    })
}
