//! `AWS::SageMaker::InferenceExperiment`. The AWS provider for Terraform
//! declares no inference experiment, so this kind is CloudFormation only.

use super::{CfnType, Declared, Kind, Raw};
use vigil_core::model::{Identity, InferenceExperiment, KeyedStore};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::InferenceExperiment,
    cloudformation: &[CfnType::named("AWS::SageMaker::InferenceExperiment")],
    terraform: &[],
    properties: &[InferenceExperiment::KMS_KEY, InferenceExperiment::DATA_KMS_KEY],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    let data_storage = match declared.props.value(&InferenceExperiment::DATA_STORAGE) {
        Raw::Unset => Fact::Known(None),
        Raw::Unresolved { why, .. } => Fact::Unknown(why),
        // A key chosen at deployment (a reference, a parameter) is still a key.
        _ => Fact::Known(Some(KeyedStore {
            kms_key_id: declared.key(&InferenceExperiment::DATA_KMS_KEY),
        })),
    };
    let types = declared.each(&InferenceExperiment::MODEL_VARIANTS, |variant| {
        variant.text(&InferenceExperiment::VARIANT_INSTANCE_TYPE)
    });
    let instance_types = match types {
        Fact::Known(types) => {
            let mut known = Vec::new();
            let mut unread = None;
            for t in types {
                match t {
                    Fact::Known(Some(t)) => known.push(t),
                    Fact::Known(None) => unread = Some("a variant declares no instance type".to_owned()),
                    Fact::Unknown(why) => unread = Some(why),
                }
            }
            match unread {
                Some(why) => Fact::Unknown(why),
                None => Fact::Known(known),
            }
        }
        Fact::Unknown(why) => Fact::Unknown(why),
    };
    Resource::InferenceExperiment(InferenceExperiment {
        identity: Identity::declared(declared.name(&InferenceExperiment::NAME)),
        kms_key_id: Fact::Known(declared.key(&InferenceExperiment::KMS_KEY)),
        data_storage,
        instance_types,
    })
}
