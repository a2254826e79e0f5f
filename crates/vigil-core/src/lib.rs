//! Vigil's vocabulary: the resources rules judge, the findings they produce and
//! the rules themselves. No I/O here, so every source (live AWS, templates) and
//! every report can share it without waiting on the AWS SDK to compile.

pub mod custom;
pub mod fact;
pub mod finding;
pub mod findings;
pub mod hash;
pub mod journal;
pub mod judge;
pub mod model;
pub mod registry;
pub mod remediation;
pub mod report;
pub mod risk;
pub mod rule;
pub mod rules;
pub mod standards;

pub use fact::Fact;
pub use finding::{Finding, History, Location, Position, PropertyLocation, ResourceRef, Status, Suppression};
pub use findings::{Findings, Spilled};
pub use model::{
    AgentBrowser, AgentCodeInterpreter, AgentGateway, AgentMemory, AgentRuntime, BedrockAgent, BedrockApiKey,
    BedrockFlow, BedrockPrompt, ClusterInstanceGroup, ClusterVolume, Container, CustomModel, Domain, Endpoint,
    EndpointConfig, FeatureGroup, FlowDefinition, Guardrail, GuardrailFilter, HyperPodCluster, IamRole, Identity,
    ImportedModel, InferenceExperiment, InvocationJob, InvocationLogging, IsolatableJob, KeyedStore,
    KnowledgeBaseDataSource, LifecycleScript, LogDestination, LoggingDestinations, ModelRegistry, MonitoringJob,
    MonitoringSettings, NotebookInstance, NotebookLifecycleConfig, ProductionVariant, Property, Resource, ResourceKind,
    SageMakerModel, StudioImage, TrainingJob, Vpc, VpcConfig,
};
pub use report::{ErrorScope, Outcome, Reach, Report, RunError, Summary};
pub use risk::RiskLevel;
pub use rule::{Article, CrossRefs, FixSafety, Lookup, Rule, Verdict};
