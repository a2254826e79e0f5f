//! `AWS::SageMaker::FeatureGroup` / `aws_sagemaker_feature_group`.

use super::{CfnType, Declared, Kind, Raw, TfType};
use vigil_core::model::{FeatureGroup, Identity, KeyedStore};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::FeatureGroup,
    cloudformation: &[CfnType::named("AWS::SageMaker::FeatureGroup")],
    terraform: &[TfType {
        name: "aws_sagemaker_feature_group",
        reported_as: "AWS::SageMaker::FeatureGroup",
    }],
    properties: &[
        FeatureGroup::ONLINE_STORE,
        FeatureGroup::ONLINE_KMS_KEY_ID,
        FeatureGroup::OFFLINE_STORE,
        FeatureGroup::OFFLINE_KMS_KEY_ID,
    ],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    // A key chosen at deployment (a reference, a parameter) is still a key.
    let store = |key| KeyedStore {
        kms_key_id: declared.key(key),
    };
    let online = declared
        .flag(&FeatureGroup::ENABLE_ONLINE_STORE)
        .map(|enabled| enabled.then(|| store(&FeatureGroup::ONLINE_KMS_KEY_ID)));
    let offline = match declared.props.value(&FeatureGroup::OFFLINE_STORE) {
        Raw::Unset => Fact::Known(None),
        Raw::Unresolved { why, .. } => Fact::Unknown(why),
        _ => Fact::Known(Some(store(&FeatureGroup::OFFLINE_KMS_KEY_ID))),
    };
    Resource::FeatureGroup(FeatureGroup {
        identity: Identity::declared(declared.name(&FeatureGroup::NAME)),
        online_store: online,
        offline_store: offline,
    })
}
