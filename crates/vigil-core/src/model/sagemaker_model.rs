//! SageMaker models and their containers.

use super::{Identity, Property, VpcConfig};
use crate::fact::Fact;

/// A SageMaker model as `DescribeModel` (or a template) tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SageMakerModel {
    pub identity: Identity,
    /// `EnableNetworkIsolation`; an absent flag is `false`, as on AWS.
    pub network_isolation: Fact<bool>,
    pub execution_role_arn: Fact<Option<String>>,
    /// Whether the execution role still exists in IAM: read only when a
    /// chosen rule needs it (one `iam:GetRole` per role), else unknown.
    pub execution_role_exists: Fact<bool>,
    pub containers: Fact<Vec<Container>>,
    /// `None` when the model is not attached to a VPC.
    pub vpc: Fact<Option<VpcConfig>>,
}

impl SageMakerModel {
    pub const NAME: Property = Property {
        cloudformation: "ModelName",
        terraform: "name",
    };
    pub const NETWORK_ISOLATION: Property = Property {
        cloudformation: "EnableNetworkIsolation",
        terraform: "enable_network_isolation",
    };
    pub const EXECUTION_ROLE_ARN: Property = Property {
        cloudformation: "ExecutionRoleArn",
        terraform: "execution_role_arn",
    };
    pub const VPC_CONFIG: Property = Property {
        cloudformation: "VpcConfig",
        terraform: "vpc_config",
    };

    /// A model that was listed but whose description could not be read: every
    /// property is unknown for the same reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        SageMakerModel {
            identity: identity.unread(reason),
            network_isolation: Fact::unknown(reason),
            execution_role_arn: Fact::unknown(reason),
            execution_role_exists: Fact::unknown(reason),
            containers: Fact::unknown(reason),
            vpc: Fact::unknown(reason),
        }
    }

    /// Why the role's existence is unknown until an audit looks it up.
    pub const ROLE_NOT_LOOKED_UP: &'static str = "the execution role was not looked up in IAM";
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    pub image: Option<String>,
    pub model_data_url: Option<String>,
    pub model_package_name: Option<String>,
    pub mode: Option<String>,
    /// `ImageConfig.RepositoryAccessMode`: `Platform` (Amazon ECR) or `Vpc`
    /// (a private registry reached through the model's VPC); `None` when
    /// the container has no `ImageConfig` (ECR).
    pub repository_access_mode: Fact<Option<String>>,
}

impl Default for Container {
    fn default() -> Self {
        Container {
            image: None,
            model_data_url: None,
            model_package_name: None,
            mode: None,
            repository_access_mode: Fact::Known(None),
        }
    }
}

impl Container {
    /// The model's single container and its list of containers (an
    /// inference pipeline); paths within one container follow.
    pub const PRIMARY: Property = Property {
        cloudformation: "PrimaryContainer",
        terraform: "primary_container",
    };
    pub const PIPELINE: Property = Property {
        cloudformation: "Containers",
        terraform: "container",
    };
    pub const REPOSITORY_ACCESS_MODE: Property = Property {
        cloudformation: "ImageConfig.RepositoryAccessMode",
        terraform: "image_config.repository_access_mode",
    };
    /// The same setting, of the single container, from the model's root.
    pub const PRIMARY_REPOSITORY_ACCESS_MODE: Property = Property {
        cloudformation: "PrimaryContainer.ImageConfig.RepositoryAccessMode",
        terraform: "primary_container.image_config.repository_access_mode",
    };
}
