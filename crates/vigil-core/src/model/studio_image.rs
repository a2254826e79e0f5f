//! SageMaker images and app image configurations, and their tags.

use super::{Identity, Property};
use crate::fact::Fact;

/// A SageMaker Studio image (`AWS::SageMaker::Image`) or app image
/// configuration (`AWS::SageMaker::AppImageConfig`), and its tag keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudioImage {
    pub identity: Identity,
    pub type_name: &'static str,
    pub tag_keys: Fact<Vec<String>>,
}

impl StudioImage {
    pub const IMAGE: &'static str = "AWS::SageMaker::Image";
    pub const APP_IMAGE_CONFIG: &'static str = "AWS::SageMaker::AppImageConfig";
    pub const IMAGE_NAME: Property = Property {
        cloudformation: "ImageName",
        terraform: "image_name",
    };
    pub const APP_IMAGE_CONFIG_NAME: Property = Property {
        cloudformation: "AppImageConfigName",
        terraform: "app_image_config_name",
    };
    pub const TAGS: Property = Property {
        cloudformation: "Tags",
        terraform: "tags",
    };
    /// What a Terraform plan says the tags will be, the provider's
    /// `default_tags` included.
    pub const TAGS_ALL: Property = Property {
        cloudformation: "Tags",
        terraform: "tags_all",
    };

    /// What reports call it: `Image base-python`.
    pub fn described(&self) -> String {
        format!(
            "{} {}",
            self.type_name.trim_start_matches("AWS::SageMaker::"),
            self.identity.name
        )
    }
}
