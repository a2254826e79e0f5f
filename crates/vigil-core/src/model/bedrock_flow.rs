//! Amazon Bedrock flows: the nodes of a flow's definition that call a model.

use super::{Identity, Property};
use crate::fact::Fact;

/// A node of a flow that sends text to a model and can apply a guardrail
/// while it does: a prompt node, or a knowledge-base node that generates
/// an answer (one that only retrieves calls no model and takes none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowModelNode {
    pub name: String,
    /// `Prompt` or `KnowledgeBase`; empty where a template decides it at
    /// deployment.
    pub node_type: String,
    /// The guardrail it applies (`guardrailConfiguration.guardrailIdentifier`).
    pub guardrail: Fact<Option<String>>,
}

/// A flow (Bedrock Flows), as its working draft defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BedrockFlow {
    pub identity: Identity,
    /// Every node that calls a model, those inside loops included.
    pub model_nodes: Fact<Vec<FlowModelNode>>,
}

impl BedrockFlow {
    pub const NAME: Property = Property {
        cloudformation: "Name",
        terraform: "name",
    };
    pub const NODES: Property = Property {
        cloudformation: "Definition.Nodes",
        terraform: "definition.node",
    };
    pub const NODE_NAME: Property = Property {
        cloudformation: "Name",
        terraform: "name",
    };
    pub const NODE_TYPE: Property = Property {
        cloudformation: "Type",
        terraform: "type",
    };
    pub const PROMPT_GUARDRAIL: Property = Property {
        cloudformation: "Configuration.Prompt.GuardrailConfiguration.GuardrailIdentifier",
        terraform: "configuration.prompt.guardrail_configuration.guardrail_identifier",
    };
    pub const KNOWLEDGE_BASE_MODEL: Property = Property {
        cloudformation: "Configuration.KnowledgeBase.ModelId",
        terraform: "configuration.knowledge_base.model_id",
    };
    pub const KNOWLEDGE_BASE_GUARDRAIL: Property = Property {
        cloudformation: "Configuration.KnowledgeBase.GuardrailConfiguration.GuardrailIdentifier",
        terraform: "configuration.knowledge_base.guardrail_configuration.guardrail_identifier",
    };
    /// The nodes of a loop node's own definition.
    pub const LOOP_NODES: Property = Property {
        cloudformation: "Configuration.Loop.Definition.Nodes",
        terraform: "configuration.loop.definition.node",
    };
    /// Where else CloudFormation takes a definition from.
    pub const DEFINITION_STRING: Property = Property {
        cloudformation: "DefinitionString",
        terraform: "definition_string",
    };
    pub const DEFINITION_S3: Property = Property {
        cloudformation: "DefinitionS3Location",
        terraform: "definition_s3_location",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        BedrockFlow {
            identity: identity.unread(reason),
            model_nodes: Fact::unknown(reason),
        }
    }
}
