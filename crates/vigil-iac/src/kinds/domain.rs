//! `AWS::SageMaker::Domain` / `aws_sagemaker_domain`.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{Domain, Identity};
use vigil_core::{Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::Domain,
    cloudformation: &[CfnType::named("AWS::SageMaker::Domain")],
    terraform: &[TfType {
        name: "aws_sagemaker_domain",
        reported_as: "AWS::SageMaker::Domain",
    }],
    properties: &[Domain::APP_NETWORK_ACCESS_TYPE, Domain::KMS_KEY_ID, Domain::AUTH_MODE],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::Domain(Domain {
        identity: Identity::declared(declared.name(&Domain::NAME)),
        // Unset is `PublicInternetOnly`, as AWS applies it.
        vpc_only: declared.equals(&Domain::APP_NETWORK_ACCESS_TYPE, "VpcOnly"),
        // A key chosen at deployment (a reference, a parameter) is still a key.
        kms_key_id: vigil_core::Fact::Known(declared.key(&Domain::KMS_KEY_ID)),
        // AuthMode is required by both; a missing one is not SSO.
        sso: declared.equals(&Domain::AUTH_MODE, "SSO"),
    })
}
