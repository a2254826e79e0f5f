//! The resource kinds a policy may judge: those whose properties are read
//! by path both live (from one describe call) and in templates, each with
//! the property that names a resource, which every policy is given.

use vigil_core::ResourceKind;

/// Each kind a policy may name, with its name property.
pub const KINDS: &[(ResourceKind, &str)] = &[
    (ResourceKind::SageMakerModel, "ModelName"),
    (ResourceKind::NotebookInstance, "NotebookInstanceName"),
    (ResourceKind::Domain, "DomainName"),
    (ResourceKind::TrainingJob, "TrainingJobName"),
    (ResourceKind::ProcessingJob, "ProcessingJobName"),
    (ResourceKind::TuningJob, "HyperParameterTuningJobName"),
    (ResourceKind::EndpointConfig, "EndpointConfigName"),
    (ResourceKind::FeatureGroup, "FeatureGroupName"),
    (ResourceKind::HyperPodCluster, "ClusterName"),
    (
        ResourceKind::NotebookLifecycleConfig,
        "NotebookInstanceLifecycleConfigName",
    ),
    (ResourceKind::InferenceExperiment, "Name"),
    (ResourceKind::FlowDefinition, "FlowDefinitionName"),
];

/// The kind a CloudFormation type names, with its name property.
pub fn find(type_name: &str) -> Option<(ResourceKind, &'static str)> {
    KINDS.iter().copied().find(|(kind, _)| kind.type_name() == type_name)
}

/// The type names a policy may use, for a refusal.
pub fn listed() -> String {
    KINDS
        .iter()
        .map(|(kind, _)| kind.type_name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_kind_read_by_path_is_offered_and_no_other() {
        let offered: Vec<_> = super::KINDS.iter().map(|(kind, _)| *kind).collect();
        assert_eq!(offered, vigil_core::model::READ_BY_PATH);
    }
}
