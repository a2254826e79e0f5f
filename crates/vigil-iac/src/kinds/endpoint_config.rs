//! `AWS::SageMaker::EndpointConfig` / `aws_sagemaker_endpoint_configuration`.

use super::{CfnType, Declared, Kind, Raw, TfType};
use vigil_core::model::{EndpointConfig, Identity, ProductionVariant};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::EndpointConfig,
    cloudformation: &[CfnType::named("AWS::SageMaker::EndpointConfig")],
    terraform: &[TfType {
        name: "aws_sagemaker_endpoint_configuration",
        reported_as: "AWS::SageMaker::EndpointConfig",
    }],
    properties: &[
        EndpointConfig::KMS_KEY_ID,
        EndpointConfig::DATA_CAPTURE,
        EndpointConfig::PRODUCTION_VARIANTS,
    ],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    let variants = declared.each(&EndpointConfig::PRODUCTION_VARIANTS, |variant| ProductionVariant {
        name: variant.name(&EndpointConfig::VARIANT_NAME),
        serverless: variant.written(&EndpointConfig::VARIANT_SERVERLESS).is_some(),
        instance_type: variant.text(&EndpointConfig::VARIANT_INSTANCE_TYPE),
        initial_instance_count: variant.number(&EndpointConfig::VARIANT_INSTANCE_COUNT),
    });
    // AWS requires at least one variant: none read means a list Vigil
    // could not see (a module's variable, say), not an empty endpoint.
    let variants = match variants {
        Fact::Known(v) if v.is_empty() => {
            Fact::unknown("the configuration declares no production variant Vigil can read")
        }
        other => other,
    };
    Resource::EndpointConfig(EndpointConfig {
        identity: Identity::declared(declared.name(&EndpointConfig::NAME)),
        // A key chosen at deployment (a reference, a parameter) is still a key.
        kms_key_id: Fact::Known(declared.key(&EndpointConfig::KMS_KEY_ID)),
        data_capture: data_capture(declared),
        variants,
        // Whether a role exists is a fact of the account, not the template.
        role_arn: Fact::unknown(vigil_core::SageMakerModel::ROLE_NOT_LOOKED_UP),
        role_exists: Fact::unknown(vigil_core::SageMakerModel::ROLE_NOT_LOOKED_UP),
    })
}

/// A `DataCaptureConfig` block captures unless `EnableCapture` is false.
fn data_capture(declared: &Declared) -> Fact<bool> {
    match declared.props.value(&EndpointConfig::DATA_CAPTURE) {
        Raw::Unset => return Fact::Known(false),
        Raw::Unresolved { why, .. } => return Fact::Unknown(why),
        _ => {}
    }
    match declared.props.value(&EndpointConfig::ENABLE_CAPTURE) {
        Raw::Unset => Fact::Known(true),
        _ => declared.flag(&EndpointConfig::ENABLE_CAPTURE),
    }
}
