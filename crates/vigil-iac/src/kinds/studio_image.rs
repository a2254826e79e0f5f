//! `AWS::SageMaker::Image` / `aws_sagemaker_image` and
//! `AWS::SageMaker::AppImageConfig` / `aws_sagemaker_app_image_config`:
//! their tags (a plan's `tags_all` adds the provider's `default_tags`).

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{Identity, StudioImage};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::StudioImage,
    cloudformation: &[
        CfnType::named(StudioImage::IMAGE),
        CfnType::named(StudioImage::APP_IMAGE_CONFIG),
    ],
    terraform: &[
        TfType {
            name: "aws_sagemaker_image",
            reported_as: StudioImage::IMAGE,
        },
        TfType {
            name: "aws_sagemaker_app_image_config",
            reported_as: StudioImage::APP_IMAGE_CONFIG,
        },
    ],
    properties: &[StudioImage::TAGS],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    let name = match declared.type_name {
        StudioImage::IMAGE => &StudioImage::IMAGE_NAME,
        _ => &StudioImage::APP_IMAGE_CONFIG_NAME,
    };
    Resource::StudioImage(StudioImage {
        identity: Identity::declared(declared.name(name)),
        type_name: declared.type_name,
        tag_keys: tag_keys(declared),
    })
}

/// The resource's own tag keys; when it has none, those a plan says the
/// provider adds.
fn tag_keys(declared: &Declared) -> Fact<Vec<String>> {
    let own = match declared.props.tag_keys(&StudioImage::TAGS) {
        Ok(keys) => keys.unwrap_or_default(),
        Err(why) => return Fact::Unknown(why),
    };
    if own.iter().any(|k| !k.starts_with("aws:")) {
        return Fact::Known(own);
    }
    match declared.props.tag_keys(&StudioImage::TAGS_ALL) {
        Ok(all) => Fact::Known(all.unwrap_or(own)),
        Err(why) => Fact::Unknown(why),
    }
}
