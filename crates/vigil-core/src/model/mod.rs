//! Normalised resources: what a collector reads from AWS and what a template
//! reader maps CloudFormation or Terraform onto. Rules see only these.

use serde::Serialize;

/// The kinds of resource Vigil knows; a rule applies to exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ResourceKind {
    #[serde(rename = "AWS::SageMaker::Model")]
    SageMakerModel,
    #[serde(rename = "AWS::SageMaker::NotebookInstance")]
    NotebookInstance,
    #[serde(rename = "AWS::SageMaker::Domain")]
    Domain,
    #[serde(rename = "AWS::SageMaker::TrainingJob")]
    TrainingJob,
    #[serde(rename = "AWS::SageMaker::ProcessingJob")]
    ProcessingJob,
    #[serde(rename = "AWS::SageMaker::HyperParameterTuningJob")]
    TuningJob,
    /// Data-quality, model-quality, bias and explainability job definitions,
    /// and monitoring schedules.
    #[serde(rename = "AWS::SageMaker::MonitoringJob")]
    MonitoringJob,
    #[serde(rename = "AWS::SageMaker::EndpointConfig")]
    EndpointConfig,
    #[serde(rename = "AWS::SageMaker::Endpoint")]
    Endpoint,
    #[serde(rename = "AWS::SageMaker::FeatureGroup")]
    FeatureGroup,
    #[serde(rename = "AWS::SageMaker::Cluster")]
    HyperPodCluster,
    #[serde(rename = "AWS::SageMaker::NotebookInstanceLifecycleConfig")]
    NotebookLifecycleConfig,
    /// Studio images and app image configurations.
    #[serde(rename = "AWS::SageMaker::Image")]
    StudioImage,
    #[serde(rename = "AWS::SageMaker::InferenceExperiment")]
    InferenceExperiment,
    /// Augmented AI human-review workflows; CloudFormation has no type for
    /// them, so reports use the API's name.
    #[serde(rename = "AWS::SageMaker::FlowDefinition")]
    FlowDefinition,
    /// The model registry of a region (its model package groups), which no
    /// type declares: reports name it by this.
    #[serde(rename = "AWS::SageMaker::ModelRegistry")]
    ModelRegistry,
    #[serde(rename = "AWS::BedrockAgentCore::Runtime")]
    AgentRuntime,
    #[serde(rename = "AWS::BedrockAgentCore::Gateway")]
    AgentGateway,
    #[serde(rename = "AWS::BedrockAgentCore::Memory")]
    AgentMemory,
    #[serde(rename = "AWS::BedrockAgentCore::BrowserCustom")]
    AgentBrowser,
    #[serde(rename = "AWS::BedrockAgentCore::CodeInterpreterCustom")]
    AgentCodeInterpreter,
    #[serde(rename = "AWS::Bedrock::DataSource")]
    KnowledgeBaseDataSource,
    #[serde(rename = "AWS::Bedrock::Agent")]
    BedrockAgent,
    #[serde(rename = "AWS::Bedrock::Guardrail")]
    Guardrail,
    #[serde(rename = "AWS::Bedrock::Prompt")]
    BedrockPrompt,
    #[serde(rename = "AWS::Bedrock::Flow")]
    BedrockFlow,
    /// A VPC of a region where Bedrock is used, for its Bedrock endpoints.
    #[serde(rename = "AWS::EC2::VPC")]
    Vpc,
    /// IAM roles: global, read once per account.
    #[serde(rename = "AWS::IAM::Role")]
    IamRole,
    /// Bedrock long-term API keys (IAM service-specific credentials):
    /// global, read once per account.
    #[serde(rename = "AWS::IAM::ServiceSpecificCredential")]
    BedrockApiKey,
    /// Bedrock custom models, which no CloudFormation type declares:
    /// reports name them by this.
    #[serde(rename = "AWS::Bedrock::CustomModel")]
    CustomModel,
    /// Bedrock imported models, which no CloudFormation type declares:
    /// reports name them by this.
    #[serde(rename = "AWS::Bedrock::ImportedModel")]
    ImportedModel,
    /// Bedrock batch inference jobs, which no CloudFormation type
    /// declares: reports name them by this.
    #[serde(rename = "AWS::Bedrock::ModelInvocationJob")]
    InvocationJob,
    /// A region's Bedrock model invocation logging, which no
    /// CloudFormation type declares: reports name it by this.
    #[serde(rename = "AWS::Bedrock::ModelInvocationLogging")]
    InvocationLogging,
}

impl ResourceKind {
    /// The CloudFormation type name, which also names the kind in reports.
    pub fn type_name(self) -> &'static str {
        match self {
            ResourceKind::SageMakerModel => "AWS::SageMaker::Model",
            ResourceKind::NotebookInstance => "AWS::SageMaker::NotebookInstance",
            ResourceKind::Domain => "AWS::SageMaker::Domain",
            ResourceKind::TrainingJob => "AWS::SageMaker::TrainingJob",
            ResourceKind::ProcessingJob => "AWS::SageMaker::ProcessingJob",
            ResourceKind::TuningJob => "AWS::SageMaker::HyperParameterTuningJob",
            ResourceKind::MonitoringJob => "AWS::SageMaker::MonitoringSchedule",
            ResourceKind::EndpointConfig => "AWS::SageMaker::EndpointConfig",
            ResourceKind::Endpoint => "AWS::SageMaker::Endpoint",
            ResourceKind::FeatureGroup => "AWS::SageMaker::FeatureGroup",
            ResourceKind::HyperPodCluster => "AWS::SageMaker::Cluster",
            ResourceKind::NotebookLifecycleConfig => "AWS::SageMaker::NotebookInstanceLifecycleConfig",
            ResourceKind::StudioImage => "AWS::SageMaker::Image",
            ResourceKind::InferenceExperiment => "AWS::SageMaker::InferenceExperiment",
            ResourceKind::FlowDefinition => "AWS::SageMaker::FlowDefinition",
            ResourceKind::ModelRegistry => "AWS::SageMaker::ModelRegistry",
            ResourceKind::AgentRuntime => "AWS::BedrockAgentCore::Runtime",
            ResourceKind::AgentGateway => "AWS::BedrockAgentCore::Gateway",
            ResourceKind::AgentMemory => "AWS::BedrockAgentCore::Memory",
            ResourceKind::AgentBrowser => "AWS::BedrockAgentCore::BrowserCustom",
            ResourceKind::AgentCodeInterpreter => "AWS::BedrockAgentCore::CodeInterpreterCustom",
            ResourceKind::KnowledgeBaseDataSource => "AWS::Bedrock::DataSource",
            ResourceKind::BedrockAgent => "AWS::Bedrock::Agent",
            ResourceKind::Guardrail => "AWS::Bedrock::Guardrail",
            ResourceKind::BedrockPrompt => "AWS::Bedrock::Prompt",
            ResourceKind::BedrockFlow => "AWS::Bedrock::Flow",
            ResourceKind::Vpc => "AWS::EC2::VPC",
            ResourceKind::IamRole => "AWS::IAM::Role",
            ResourceKind::BedrockApiKey => "AWS::IAM::ServiceSpecificCredential",
            ResourceKind::CustomModel => "AWS::Bedrock::CustomModel",
            ResourceKind::ImportedModel => "AWS::Bedrock::ImportedModel",
            ResourceKind::InvocationJob => "AWS::Bedrock::ModelInvocationJob",
            ResourceKind::InvocationLogging => "AWS::Bedrock::ModelInvocationLogging",
        }
    }
}

/// Every resource a rule can judge.
#[derive(Debug, Clone)]
pub enum Resource {
    SageMakerModel(SageMakerModel),
    NotebookInstance(NotebookInstance),
    Domain(Domain),
    TrainingJob(TrainingJob),
    ProcessingJob(IsolatableJob),
    TuningJob(IsolatableJob),
    /// A monitoring job definition or schedule.
    MonitoringJob(MonitoringJob),
    EndpointConfig(EndpointConfig),
    Endpoint(Endpoint),
    FeatureGroup(FeatureGroup),
    HyperPodCluster(HyperPodCluster),
    NotebookLifecycleConfig(NotebookLifecycleConfig),
    StudioImage(StudioImage),
    InferenceExperiment(InferenceExperiment),
    FlowDefinition(FlowDefinition),
    ModelRegistry(ModelRegistry),
    AgentRuntime(AgentRuntime),
    AgentGateway(AgentGateway),
    AgentMemory(AgentMemory),
    AgentBrowser(AgentBrowser),
    AgentCodeInterpreter(AgentCodeInterpreter),
    KnowledgeBaseDataSource(KnowledgeBaseDataSource),
    BedrockAgent(BedrockAgent),
    Guardrail(Guardrail),
    BedrockPrompt(BedrockPrompt),
    BedrockFlow(BedrockFlow),
    Vpc(Vpc),
    IamRole(IamRole),
    BedrockApiKey(BedrockApiKey),
    CustomModel(CustomModel),
    ImportedModel(ImportedModel),
    InvocationJob(InvocationJob),
    InvocationLogging(InvocationLogging),
}

impl Resource {
    pub fn kind(&self) -> ResourceKind {
        match self {
            Resource::SageMakerModel(_) => ResourceKind::SageMakerModel,
            Resource::NotebookInstance(_) => ResourceKind::NotebookInstance,
            Resource::Domain(_) => ResourceKind::Domain,
            Resource::TrainingJob(_) => ResourceKind::TrainingJob,
            Resource::ProcessingJob(_) => ResourceKind::ProcessingJob,
            Resource::TuningJob(_) => ResourceKind::TuningJob,
            Resource::MonitoringJob(..) => ResourceKind::MonitoringJob,
            Resource::EndpointConfig(_) => ResourceKind::EndpointConfig,
            Resource::Endpoint(_) => ResourceKind::Endpoint,
            Resource::FeatureGroup(_) => ResourceKind::FeatureGroup,
            Resource::HyperPodCluster(_) => ResourceKind::HyperPodCluster,
            Resource::NotebookLifecycleConfig(_) => ResourceKind::NotebookLifecycleConfig,
            Resource::StudioImage(_) => ResourceKind::StudioImage,
            Resource::InferenceExperiment(_) => ResourceKind::InferenceExperiment,
            Resource::FlowDefinition(_) => ResourceKind::FlowDefinition,
            Resource::ModelRegistry(_) => ResourceKind::ModelRegistry,
            Resource::AgentRuntime(_) => ResourceKind::AgentRuntime,
            Resource::AgentGateway(_) => ResourceKind::AgentGateway,
            Resource::AgentMemory(_) => ResourceKind::AgentMemory,
            Resource::AgentBrowser(_) => ResourceKind::AgentBrowser,
            Resource::AgentCodeInterpreter(_) => ResourceKind::AgentCodeInterpreter,
            Resource::KnowledgeBaseDataSource(_) => ResourceKind::KnowledgeBaseDataSource,
            Resource::BedrockAgent(_) => ResourceKind::BedrockAgent,
            Resource::Guardrail(_) => ResourceKind::Guardrail,
            Resource::BedrockPrompt(_) => ResourceKind::BedrockPrompt,
            Resource::BedrockFlow(_) => ResourceKind::BedrockFlow,
            Resource::Vpc(_) => ResourceKind::Vpc,
            Resource::IamRole(_) => ResourceKind::IamRole,
            Resource::BedrockApiKey(_) => ResourceKind::BedrockApiKey,
            Resource::CustomModel(_) => ResourceKind::CustomModel,
            Resource::ImportedModel(_) => ResourceKind::ImportedModel,
            Resource::InvocationJob(_) => ResourceKind::InvocationJob,
            Resource::InvocationLogging(_) => ResourceKind::InvocationLogging,
        }
    }

    /// The CloudFormation type reports name: the kind's, or for monitoring
    /// jobs the precise definition or schedule type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Resource::MonitoringJob(job) => job.type_name,
            Resource::StudioImage(image) => image.type_name,
            other => other.kind().type_name(),
        }
    }

    /// Where the identity (and settings) live, to fill in the settings.
    pub fn identity_mut(&mut self) -> &mut Identity {
        match self {
            Resource::SageMakerModel(m) => &mut m.identity,
            Resource::NotebookInstance(n) => &mut n.identity,
            Resource::Domain(d) => &mut d.identity,
            Resource::TrainingJob(j) => &mut j.identity,
            Resource::ProcessingJob(j) | Resource::TuningJob(j) => &mut j.identity,
            Resource::MonitoringJob(j) => &mut j.identity,
            Resource::EndpointConfig(c) => &mut c.identity,
            Resource::Endpoint(e) => &mut e.identity,
            Resource::FeatureGroup(g) => &mut g.identity,
            Resource::HyperPodCluster(c) => &mut c.identity,
            Resource::NotebookLifecycleConfig(c) => &mut c.identity,
            Resource::StudioImage(i) => &mut i.identity,
            Resource::InferenceExperiment(e) => &mut e.identity,
            Resource::FlowDefinition(f) => &mut f.identity,
            Resource::ModelRegistry(r) => &mut r.identity,
            Resource::AgentRuntime(r) => &mut r.identity,
            Resource::AgentGateway(g) => &mut g.identity,
            Resource::AgentMemory(m) => &mut m.identity,
            Resource::AgentBrowser(b) => &mut b.identity,
            Resource::AgentCodeInterpreter(c) => &mut c.identity,
            Resource::KnowledgeBaseDataSource(d) => &mut d.identity,
            Resource::BedrockAgent(a) => &mut a.identity,
            Resource::Guardrail(g) => &mut g.identity,
            Resource::BedrockPrompt(p) => &mut p.identity,
            Resource::BedrockFlow(f) => &mut f.identity,
            Resource::Vpc(v) => &mut v.identity,
            Resource::IamRole(r) => &mut r.identity,
            Resource::BedrockApiKey(k) => &mut k.identity,
            Resource::CustomModel(m) => &mut m.identity,
            Resource::ImportedModel(m) => &mut m.identity,
            Resource::InvocationJob(j) => &mut j.identity,
            Resource::InvocationLogging(l) => &mut l.identity,
        }
    }

    /// Name, ARN, account and region, whatever the kind.
    pub fn identity(&self) -> &Identity {
        match self {
            Resource::SageMakerModel(m) => &m.identity,
            Resource::NotebookInstance(n) => &n.identity,
            Resource::Domain(d) => &d.identity,
            Resource::TrainingJob(j) => &j.identity,
            Resource::ProcessingJob(j) | Resource::TuningJob(j) => &j.identity,
            Resource::MonitoringJob(j) => &j.identity,
            Resource::EndpointConfig(c) => &c.identity,
            Resource::Endpoint(e) => &e.identity,
            Resource::FeatureGroup(g) => &g.identity,
            Resource::HyperPodCluster(c) => &c.identity,
            Resource::NotebookLifecycleConfig(c) => &c.identity,
            Resource::StudioImage(i) => &i.identity,
            Resource::InferenceExperiment(e) => &e.identity,
            Resource::FlowDefinition(f) => &f.identity,
            Resource::ModelRegistry(r) => &r.identity,
            Resource::AgentRuntime(r) => &r.identity,
            Resource::AgentGateway(g) => &g.identity,
            Resource::AgentMemory(m) => &m.identity,
            Resource::AgentBrowser(b) => &b.identity,
            Resource::AgentCodeInterpreter(c) => &c.identity,
            Resource::KnowledgeBaseDataSource(d) => &d.identity,
            Resource::BedrockAgent(a) => &a.identity,
            Resource::Guardrail(g) => &g.identity,
            Resource::BedrockPrompt(p) => &p.identity,
            Resource::BedrockFlow(f) => &f.identity,
            Resource::Vpc(v) => &v.identity,
            Resource::IamRole(r) => &r.identity,
            Resource::BedrockApiKey(k) => &k.identity,
            Resource::CustomModel(m) => &m.identity,
            Resource::ImportedModel(m) => &m.identity,
            Resource::InvocationJob(j) => &j.identity,
            Resource::InvocationLogging(l) => &l.identity,
        }
    }
}

/// Where a resource is: its name, and for a live one its ARN and the
/// account and region the ARN places it in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    pub name: String,
    pub arn: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// The settings its kind's rules declare, read by path; every kind
    /// carries them alike, so they sit with what every kind has.
    pub settings: Settings,
    /// What KMS says (or the template shows) of the keys it names.
    pub keys: KmsKeys,
}

impl Identity {
    /// A live resource, placed by its ARN.
    pub fn from_arn(name: String, arn: Option<String>) -> Self {
        Identity {
            account: arn.as_deref().and_then(account_of_arn),
            region: arn.as_deref().and_then(region_of_arn),
            name,
            arn,
            settings: Settings::default(),
            keys: KmsKeys::default(),
        }
    }

    /// A resource declared in a template: a name, not yet anywhere.
    pub fn declared(name: String) -> Self {
        Identity {
            name,
            ..Identity::default()
        }
    }

    /// The same resource, whose settings could not be read for `reason`.
    pub fn unread(self, reason: &str) -> Self {
        Identity {
            settings: Settings::unreadable(reason),
            ..self
        }
    }
}

/// A property as CloudFormation and Terraform spell its path (dots step
/// into nested objects or blocks). Declared once, next to the field it
/// fills; rules point at it and the template readers look it up by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Property {
    pub cloudformation: &'static str,
    pub terraform: &'static str,
}

impl Property {
    /// What only the live account can tell (whether a role still exists):
    /// a rule that points here judges audits only, never templates.
    pub const LIVE_ONLY: Property = Property {
        cloudformation: "",
        terraform: "",
    };

    pub fn is_live_only(&self) -> bool {
        *self == Property::LIVE_ONLY
    }
}

/// The partition a region is in, as ARNs spell it.
pub fn partition(region: &str) -> &'static str {
    match region {
        r if r.starts_with("cn-") => "aws-cn",
        r if r.starts_with("us-gov-") => "aws-us-gov",
        _ => "aws",
    }
}

mod agent_browser;
mod agent_code_interpreter;
mod agent_gateway;
mod agent_memory;
mod agent_runtime;
mod bedrock_agent;
mod bedrock_api_key;
mod bedrock_flow;
mod bedrock_prompt;
mod custom_model;
mod domain;
mod endpoint;
mod endpoint_config;
mod feature_group;
mod flow_definition;
mod guardrail;
mod hyperpod_cluster;
mod iam_role;
mod imported_model;
mod inference_experiment;
mod invocation_job;
mod invocation_logging;
mod isolatable_job;
mod kms_keys;
mod knowledge_base_data_source;
mod model_registry;
mod monitoring_job;
mod notebook_instance;
mod notebook_lifecycle_config;
mod sagemaker_model;
mod setting;
mod studio_image;
mod training_job;
mod vpc;

pub use agent_browser::*;
pub use agent_code_interpreter::*;
pub use agent_gateway::*;
pub use agent_memory::*;
pub use agent_runtime::*;
pub use bedrock_agent::*;
pub use bedrock_api_key::*;
pub use bedrock_flow::*;
pub use bedrock_prompt::*;
pub use custom_model::*;
pub use domain::*;
pub use endpoint::*;
pub use endpoint_config::*;
pub use feature_group::*;
pub use flow_definition::*;
pub use guardrail::*;
pub use hyperpod_cluster::*;
pub use iam_role::*;
pub use imported_model::*;
pub use inference_experiment::*;
pub use invocation_job::*;
pub use invocation_logging::*;
pub use isolatable_job::*;
pub use kms_keys::*;
pub use knowledge_base_data_source::*;
pub use model_registry::*;
pub use monitoring_job::*;
pub use notebook_instance::*;
pub use notebook_lifecycle_config::*;
pub use sagemaker_model::*;
pub use setting::*;
pub use studio_image::*;
pub use training_job::*;
pub use vpc::*;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct VpcConfig {
    pub subnets: Vec<String>,
    pub security_group_ids: Vec<String>,
}

/// `arn:partition:service:region:account:resource` → account.
pub fn account_of_arn(arn: &str) -> Option<String> {
    arn.split(':').nth(4).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// `arn:partition:service:region:account:resource` → region.
pub fn region_of_arn(arn: &str) -> Option<String> {
    arn.split(':').nth(3).filter(|s| !s.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_parts() {
        let arn = "arn:aws:sagemaker:eu-west-1:123456789012:model/fraud-a";
        assert_eq!(account_of_arn(arn).as_deref(), Some("123456789012"));
        assert_eq!(region_of_arn(arn).as_deref(), Some("eu-west-1"));
        assert_eq!(account_of_arn("not-an-arn"), None);
    }
}
