//! The resource kinds a policy may judge: those whose properties are read
//! by path both live (from one describe call) and in templates, each with
//! the property that names a resource, which every policy is given.

use vigil_core::ResourceKind;

/// How a kind's live answer spells its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// As CloudFormation does (SageMaker).
    Pascal,
    /// In camelCase (Bedrock, AgentCore): `agentName` for `AgentName`.
    Camel,
}

/// Each kind a policy may name, with its name property and how its answer
/// spells members.
pub const KINDS: &[(ResourceKind, &str, Spelling)] = &[
    (ResourceKind::SageMakerModel, "ModelName", Spelling::Pascal),
    (ResourceKind::NotebookInstance, "NotebookInstanceName", Spelling::Pascal),
    (ResourceKind::Domain, "DomainName", Spelling::Pascal),
    (ResourceKind::TrainingJob, "TrainingJobName", Spelling::Pascal),
    (ResourceKind::ProcessingJob, "ProcessingJobName", Spelling::Pascal),
    (ResourceKind::TuningJob, "HyperParameterTuningJobName", Spelling::Pascal),
    (ResourceKind::EndpointConfig, "EndpointConfigName", Spelling::Pascal),
    (ResourceKind::FeatureGroup, "FeatureGroupName", Spelling::Pascal),
    (ResourceKind::HyperPodCluster, "ClusterName", Spelling::Pascal),
    (
        ResourceKind::NotebookLifecycleConfig,
        "NotebookInstanceLifecycleConfigName",
        Spelling::Pascal,
    ),
    (ResourceKind::InferenceExperiment, "Name", Spelling::Pascal),
    (ResourceKind::FlowDefinition, "FlowDefinitionName", Spelling::Pascal),
    (ResourceKind::BedrockAgent, "AgentName", Spelling::Camel),
    (ResourceKind::BedrockPrompt, "Name", Spelling::Camel),
    (ResourceKind::BedrockFlow, "Name", Spelling::Camel),
    (ResourceKind::KnowledgeBaseDataSource, "Name", Spelling::Camel),
    (ResourceKind::Guardrail, "Name", Spelling::Camel),
    (ResourceKind::CustomModel, "ModelName", Spelling::Camel),
    (ResourceKind::ImportedModel, "ModelName", Spelling::Camel),
    (ResourceKind::InvocationJob, "JobName", Spelling::Camel),
    (ResourceKind::AgentRuntime, "AgentRuntimeName", Spelling::Camel),
    (ResourceKind::AgentGateway, "Name", Spelling::Camel),
    (ResourceKind::AgentMemory, "Name", Spelling::Camel),
    (ResourceKind::AgentBrowser, "Name", Spelling::Camel),
    (ResourceKind::AgentCodeInterpreter, "Name", Spelling::Camel),
];

impl Spelling {
    /// A CloudFormation path as the live answer spells it.
    pub fn api_path(self, path: &str) -> String {
        match self {
            Spelling::Pascal => path.to_owned(),
            Spelling::Camel => path
                .split('.')
                .map(|step| vigil_core::model::first_letter(step, false))
                .collect::<Vec<_>>()
                .join("."),
        }
    }
}

/// The kind a CloudFormation type names, with its name property.
pub fn find(type_name: &str) -> Option<(ResourceKind, &'static str, Spelling)> {
    KINDS.iter().copied().find(|(kind, ..)| kind.type_name() == type_name)
}

/// The type names a policy may use, for a refusal.
pub fn listed() -> String {
    KINDS
        .iter()
        .map(|(kind, ..)| kind.type_name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_kind_read_by_path_is_offered_and_no_other() {
        let offered: Vec<_> = super::KINDS.iter().map(|(kind, ..)| *kind).collect();
        assert_eq!(offered, vigil_core::model::READ_BY_PATH);
    }

    #[test]
    fn a_path_is_spelled_as_the_answer_does() {
        use super::Spelling;
        assert_eq!(
            Spelling::Camel.api_path("GuardrailConfiguration.GuardrailIdentifier"),
            "guardrailConfiguration.guardrailIdentifier"
        );
        assert_eq!(Spelling::Pascal.api_path("VpcConfig.Subnets"), "VpcConfig.Subnets");
    }
}
