//! `AWS::SageMaker::NotebookInstanceLifecycleConfig` /
//! `aws_sagemaker_notebook_instance_lifecycle_configuration`. CloudFormation
//! lists `{Content}` objects per hook, Terraform gives one string; both are
//! base64 (`!Base64` and `base64encode()` are evaluated).

use super::{CfnType, Declared, Kind, Raw, TfType};
use base64::Engine;
use vigil_core::model::{Identity, LifecycleScript, NotebookLifecycleConfig};
use vigil_core::{Fact, Property, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::NotebookLifecycleConfig,
    cloudformation: &[CfnType::named("AWS::SageMaker::NotebookInstanceLifecycleConfig")],
    terraform: &[TfType {
        name: "aws_sagemaker_notebook_instance_lifecycle_configuration",
        reported_as: "AWS::SageMaker::NotebookInstanceLifecycleConfig",
    }],
    properties: &[NotebookLifecycleConfig::ON_CREATE, NotebookLifecycleConfig::ON_START],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    let hooks = [
        ("OnCreate", NotebookLifecycleConfig::ON_CREATE),
        ("OnStart", NotebookLifecycleConfig::ON_START),
    ];
    let scripts: Result<Vec<Vec<LifecycleScript>>, String> = hooks
        .iter()
        .map(|(hook, property)| scripts(declared, hook, property))
        .collect();
    Resource::NotebookLifecycleConfig(NotebookLifecycleConfig {
        identity: Identity::declared(declared.name(&NotebookLifecycleConfig::NAME)),
        scripts: match scripts {
            Ok(scripts) => Fact::Known(scripts.into_iter().flatten().collect()),
            Err(why) => Fact::Unknown(why),
        },
    })
}

/// One hook's scripts, decoded; why not, when they cannot be read.
fn scripts(declared: &Declared, hook: &'static str, property: &Property) -> Result<Vec<LifecycleScript>, String> {
    let encoded: Vec<String> = match declared.props.value(property) {
        Raw::Unset => Vec::new(),
        // Terraform: the script itself.
        Raw::Text(content) => vec![content],
        // CloudFormation: a list of `{Content}`.
        Raw::Block => {
            let contents = match declared.each(property, |element| element.text(&NotebookLifecycleConfig::CONTENT)) {
                Fact::Known(contents) => contents,
                Fact::Unknown(why) => return Err(why),
            };
            let mut encoded = Vec::new();
            for content in contents {
                match content {
                    Fact::Known(text) => encoded.extend(text),
                    Fact::Unknown(why) => return Err(why),
                }
            }
            encoded
        }
        Raw::Unresolved { why, .. } => return Err(why),
        Raw::Bool(_) => return Err(format!("{hook} is a boolean, not a script")),
    };
    encoded
        .iter()
        .map(|content| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(content.trim())
                .map_err(|_| format!("{hook}'s Content is not base64"))?;
            Ok(LifecycleScript {
                hook,
                text: String::from_utf8_lossy(&bytes).into_owned(),
            })
        })
        .collect()
}
