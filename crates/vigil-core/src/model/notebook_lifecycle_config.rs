//! Notebook instance lifecycle configurations and their scripts.

use super::{Identity, Property};
use crate::fact::Fact;

/// A notebook instance lifecycle configuration: the shell scripts a
/// notebook runs as root when it is created and each time it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotebookLifecycleConfig {
    pub identity: Identity,
    pub scripts: Fact<Vec<LifecycleScript>>,
}

/// One script, decoded from its base64 `Content`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleScript {
    /// `OnCreate` or `OnStart`.
    pub hook: &'static str,
    pub text: String,
}

impl NotebookLifecycleConfig {
    pub const NAME: Property = Property {
        cloudformation: "NotebookInstanceLifecycleConfigName",
        terraform: "name",
    };
    /// A list of `{Content}` in CloudFormation, one base64 string in Terraform.
    pub const ON_CREATE: Property = Property {
        cloudformation: "OnCreate",
        terraform: "on_create",
    };
    pub const ON_START: Property = Property {
        cloudformation: "OnStart",
        terraform: "on_start",
    };
    /// Read from each element of `OnCreate` / `OnStart`.
    pub const CONTENT: Property = Property {
        cloudformation: "Content",
        terraform: "content",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        NotebookLifecycleConfig {
            identity: identity.unread(reason),
            scripts: Fact::unknown(reason),
        }
    }
}
