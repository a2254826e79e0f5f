//! The live side of `vigil watch`: the SQS queue an EventBridge rule feeds,
//! and describing the one resource an event names, in its account (entered
//! through the audit role, once per account) and region.

use crate::accounts::{self, AccountsRequest};
use crate::calls::CallCounter;
use crate::collect::monitoring::{self, ScheduleRuns, SCHEDULE};
use crate::collect::{
    domains, endpoint_configs, endpoints, feature_groups, flow_definitions, hyperpod_clusters, inference_experiments,
    isolated_jobs, model_registry, models, notebook_lifecycle_configs, notebooks, studio_images, training_jobs,
};
use crate::errors::unknown_reason;
use crate::in_flight::Places;
use crate::sdk::{self, AwsOptions, Clients, ConfigError};
use aws_sdk_sagemaker::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sagemaker::Client;
use std::collections::HashMap;
use tokio::sync::Mutex;
use vigil_core::{
    Domain, Fact, Identity, IsolatableJob, MonitoringJob, MonitoringSettings, NotebookInstance, Resource, ResourceKind,
    StudioImage, TrainingJob,
};

/// What describing one resource found (one at a time: its size is no matter).
#[allow(clippy::large_enum_variant)]
pub enum Described {
    /// Read (each property known, or unknown with its reason).
    Found(Resource),
    /// Deleted since the event: nothing to judge.
    Gone(String),
    /// The account could not be entered.
    NoAccount(String),
}

/// One message of the queue.
pub struct Message {
    pub id: String,
    pub receipt: String,
    pub body: String,
}

pub struct Watcher {
    base: aws_config::SdkConfig,
    counter: CallCounter,
    caller: String,
    accounts: Option<AccountsRequest>,
    entered: Mutex<HashMap<String, aws_config::SdkConfig>>,
    /// A client per (account, region), made on its first event and kept:
    /// events keep coming from the same few places.
    clients: Mutex<HashMap<(String, String), Client>>,
    places: Places,
    max_attempts: u32,
    queue: aws_sdk_sqs::Client,
    queue_url: String,
}

impl Watcher {
    /// Proves the credentials (GetCallerIdentity) before the first receive.
    pub async fn new(
        aws: &AwsOptions,
        queue_url: &str,
        accounts: Option<AccountsRequest>,
        concurrency: usize,
    ) -> Result<Self, ConfigError> {
        if let Some(profile) = &aws.profile {
            sdk::check_profile(profile).await?;
        }
        let base = sdk::load(aws).await;
        let counter = CallCounter::default();
        let caller = sdk::caller_account(&base, &counter).await?;
        let mut sqs = aws_sdk_sqs::config::Builder::from(&base).interceptor(counter.clone());
        // A queue URL names its region (https://sqs.REGION.amazonaws.com/…).
        if let Some(region) = queue_region(queue_url) {
            sqs = sqs.region(aws_config::Region::new(region));
        }
        let queue = aws_sdk_sqs::Client::from_conf(sqs.build());
        // The queue is asked for once before the first receive: one that
        // does not exist, or cannot be read, stops the watcher at once
        // with SQS's own words, instead of a receive retried for ever.
        queue
            .get_queue_attributes()
            .queue_url(queue_url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(|e| {
                ConfigError::Usage(format!(
                    "--queue-url {queue_url}: {}",
                    sqs_error("sqs:GetQueueAttributes", &e)
                ))
            })?;
        Ok(Watcher {
            base,
            counter,
            caller,
            accounts,
            entered: Mutex::new(HashMap::new()),
            clients: Mutex::new(HashMap::new()),
            places: Places::new(concurrency),
            max_attempts: aws.max_attempts,
            queue,
            queue_url: queue_url.to_owned(),
        })
    }

    /// Up to ten messages, waiting up to `wait_seconds` for the first.
    /// An error is worded as the queue's, never as a resource's.
    pub async fn receive(&self, wait_seconds: i32) -> Result<Vec<Message>, String> {
        let answer = self
            .queue
            .receive_message()
            .queue_url(&self.queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(wait_seconds)
            .send()
            .await
            .map_err(|e| sqs_error("sqs:ReceiveMessage", &e))?;
        Ok(answer
            .messages()
            .iter()
            .map(|m| Message {
                id: m.message_id().unwrap_or_default().to_owned(),
                receipt: m.receipt_handle().unwrap_or_default().to_owned(),
                body: m.body().unwrap_or_default().to_owned(),
            })
            .collect())
    }

    /// Deletes a handled message (its findings are out).
    pub async fn delete(&self, message: &Message) -> Result<(), String> {
        self.queue
            .delete_message()
            .queue_url(&self.queue_url)
            .receipt_handle(&message.receipt)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sqs_error("sqs:DeleteMessage", &e))
    }

    /// Publishes `message` to an SNS topic, in the topic's own region.
    pub async fn publish(&self, topic_arn: &str, subject: &str, message: &str) -> Result<(), String> {
        let mut conf = aws_sdk_sns::config::Builder::from(&self.base).interceptor(self.counter.clone());
        if let Some(region) = topic_arn.split(':').nth(3).filter(|r| !r.is_empty()) {
            conf = conf.region(aws_config::Region::new(region.to_owned()));
        }
        aws_sdk_sns::Client::from_conf(conf.build())
            .publish()
            .topic_arn(topic_arn)
            .subject(subject)
            .message(message)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| unknown_reason("sns:Publish", &e, self.max_attempts))
    }

    /// Calls made so far, by operation.
    pub fn calls(&self) -> std::collections::BTreeMap<String, vigil_core::report::CallCount> {
        self.counter.snapshot()
    }

    /// The credentials for `account`: the caller's own, or its audit role's
    /// (assumed once and kept; the SDK renews the session).
    async fn session(&self, account: &str) -> Result<aws_config::SdkConfig, String> {
        if account == self.caller {
            return Ok(self.base.clone());
        }
        let Some(how) = &self.accounts else {
            return Err(format!(
                "the event is in account {account}, not the watcher's {}; give --role-name to enter other accounts",
                self.caller
            ));
        };
        let mut entered = self.entered.lock().await;
        if let Some(config) = entered.get(account) {
            return Ok(config.clone());
        }
        let config = accounts::enter(&self.base, &self.counter, account, how).await?;
        entered.insert(account.to_owned(), config.clone());
        Ok(config)
    }

    /// Completes a described resource with what the chosen rules read
    /// beyond its description (its role in IAM, its subnet in EC2), as an
    /// audit does; an account that cannot be entered leaves them unknown.
    pub async fn complete(&self, account: &str, resource: &mut Resource, reads: crate::Reads) {
        if reads == crate::Reads::default() {
            return;
        }
        if let Ok(config) = self.session(account).await {
            reads
                .complete(&config, &self.counter, std::slice::from_mut(resource))
                .await;
        }
    }

    /// The SageMaker client of one account's region.
    async fn client(&self, account: &str, region: &str) -> Result<Client, String> {
        let key = (account.to_owned(), region.to_owned());
        if let Some(client) = self.clients.lock().await.get(&key) {
            return Ok(client.clone());
        }
        let config = self.session(account).await?;
        let client = Clients::for_region(&config, region, &self.counter, &self.places, Some(account)).sagemaker;
        self.clients.lock().await.insert(key, client.clone());
        Ok(client)
    }

    /// Describes the resource an event names (`of_type`: which type of a
    /// kind several share, as its CloudFormation type).
    pub async fn describe(
        &self,
        (account, region): (&str, &str),
        kind: ResourceKind,
        name: &str,
        of_type: Option<&'static str>,
    ) -> Described {
        let client = match self.client(account, region).await {
            Ok(client) => client,
            Err(why) => return Described::NoAccount(why),
        };
        if kind == ResourceKind::MonitoringJob {
            let type_name = of_type.unwrap_or(SCHEDULE);
            return monitoring(&client, type_name, name, (account, region), self.max_attempts).await;
        }
        if kind == ResourceKind::StudioImage {
            let type_name = of_type.unwrap_or(vigil_core::StudioImage::IMAGE);
            return match studio_image(&client, type_name, name, self.max_attempts).await {
                Some(mut image) => {
                    image.identity.account.get_or_insert_with(|| account.to_owned());
                    image.identity.region.get_or_insert_with(|| region.to_owned());
                    Described::Found(Resource::StudioImage(image))
                }
                None => Described::Gone(format!("{type_name} {name} no longer exists")),
            };
        }
        if crate::watch_bedrock::reads(kind) {
            return match self.session(account).await {
                Ok(config) => {
                    crate::watch_bedrock::describe(kind, &config, (account, region), name, &self.counter).await
                }
                Err(why) => Described::NoAccount(why),
            };
        }
        describe(&client, kind, name, (account, region), self.max_attempts).await
    }
}

/// The region in an AWS queue URL, if it names one.
fn queue_region(url: &str) -> Option<String> {
    let host = url.split("://").nth(1)?.split('/').next()?;
    let mut parts = host.split('.');
    (parts.next()? == "sqs")
        .then(|| parts.next().map(str::to_owned))
        .flatten()
}

/// Not found, as each describe call says it: the resource was deleted.
fn gone<E: ProvideErrorMetadata>(err: &SdkError<E, aws_smithy_runtime_api::http::Response>) -> bool {
    crate::errors::kind(err) == crate::errors::ErrorKind::NotFound
}

async fn describe(
    client: &Client,
    kind: ResourceKind,
    name: &str,
    (account, region): (&str, &str),
    attempts: u32,
) -> Described {
    let owned = name.to_owned();
    // Where the event placed it, for a resource that could not be read.
    let identity = || Identity {
        name: owned.clone(),
        arn: None,
        account: Some(account.to_owned()),
        region: Some(region.to_owned()),
        ..Identity::default()
    };
    // The answer, kept for the settings rules of this kind declare.
    let answer = crate::collect::settings::Answer::of(kind);
    macro_rules! outcome {
        ($call:expr, $op:literal, |$out:ident| $found:expr, |$why:ident| $unreadable:expr) => {
            match $call.customize().interceptor(answer.clone()).send().await {
                Ok($out) => Described::Found(answer.settle($found)),
                Err(err) if gone(&err) => Described::Gone(format!("{} {name} no longer exists", $op)),
                Err(err) => {
                    let $why = unknown_reason($op, &err, attempts);
                    Described::Found($unreadable)
                }
            }
        };
    }
    match kind {
        ResourceKind::SageMakerModel => outcome!(
            client.describe_model().model_name(name),
            "sagemaker:DescribeModel",
            |out| Resource::SageMakerModel(models::from_description(owned.clone(), None, &out)),
            |why| Resource::SageMakerModel(vigil_core::SageMakerModel::unreadable(identity(), &why))
        ),
        ResourceKind::NotebookInstance => outcome!(
            client.describe_notebook_instance().notebook_instance_name(name),
            "sagemaker:DescribeNotebookInstance",
            |out| Resource::NotebookInstance(notebooks::from_description(owned.clone(), None, &out)),
            |why| Resource::NotebookInstance(NotebookInstance::unreadable(identity(), &why))
        ),
        ResourceKind::Domain => outcome!(
            client.describe_domain().domain_id(name),
            "sagemaker:DescribeDomain",
            |out| Resource::Domain(domains::from_description(name, None, &out)),
            |why| Resource::Domain(Domain::unreadable(identity(), &why))
        ),
        ResourceKind::TrainingJob => outcome!(
            client.describe_training_job().training_job_name(name),
            "sagemaker:DescribeTrainingJob",
            |out| Resource::TrainingJob(training_jobs::from_description(owned.clone(), None, &out)),
            |why| Resource::TrainingJob(TrainingJob::unreadable(identity(), &why))
        ),
        ResourceKind::ProcessingJob => outcome!(
            client.describe_processing_job().processing_job_name(name),
            "sagemaker:DescribeProcessingJob",
            |out| Resource::ProcessingJob(IsolatableJob::new(
                Identity::from_arn(owned.clone(), out.processing_job_arn().map(str::to_owned)),
                Fact::Known(isolated_jobs::processing_isolation(&out)),
                isolated_jobs::processing_role(&out),
            )),
            |why| Resource::ProcessingJob(IsolatableJob::new(
                identity(),
                Fact::Unknown(why.clone()),
                Fact::Unknown(why)
            ))
        ),
        ResourceKind::TuningJob => outcome!(
            client
                .describe_hyper_parameter_tuning_job()
                .hyper_parameter_tuning_job_name(name),
            "sagemaker:DescribeHyperParameterTuningJob",
            |out| Resource::TuningJob(IsolatableJob::new(
                Identity::from_arn(owned.clone(), out.hyper_parameter_tuning_job_arn().map(str::to_owned)),
                Fact::Known(isolated_jobs::tuning_isolation(&out)),
                isolated_jobs::tuning_role(&out),
            )),
            |why| Resource::TuningJob(IsolatableJob::new(
                identity(),
                Fact::Unknown(why.clone()),
                Fact::Unknown(why)
            ))
        ),
        ResourceKind::EndpointConfig => outcome!(
            client.describe_endpoint_config().endpoint_config_name(name),
            "sagemaker:DescribeEndpointConfig",
            |out| Resource::EndpointConfig(endpoint_configs::from_description(owned.clone(), None, &out)),
            |why| Resource::EndpointConfig(vigil_core::EndpointConfig::unreadable(identity(), &why))
        ),
        ResourceKind::FeatureGroup => outcome!(
            client.describe_feature_group().feature_group_name(name),
            "sagemaker:DescribeFeatureGroup",
            |out| Resource::FeatureGroup(feature_groups::from_description(owned.clone(), None, &out)),
            |why| Resource::FeatureGroup(vigil_core::FeatureGroup::unreadable(identity(), &why))
        ),
        ResourceKind::HyperPodCluster => outcome!(
            client.describe_cluster().cluster_name(name),
            "sagemaker:DescribeCluster",
            |out| Resource::HyperPodCluster(hyperpod_clusters::from_description(owned.clone(), None, &out)),
            |why| Resource::HyperPodCluster(vigil_core::HyperPodCluster::unreadable(identity(), &why))
        ),
        ResourceKind::NotebookLifecycleConfig => outcome!(
            client
                .describe_notebook_instance_lifecycle_config()
                .notebook_instance_lifecycle_config_name(name),
            "sagemaker:DescribeNotebookInstanceLifecycleConfig",
            |out| Resource::NotebookLifecycleConfig(notebook_lifecycle_configs::from_description(
                owned.clone(),
                None,
                &out
            )),
            |why| Resource::NotebookLifecycleConfig(vigil_core::NotebookLifecycleConfig::unreadable(identity(), &why))
        ),
        ResourceKind::InferenceExperiment => outcome!(
            client.describe_inference_experiment().name(name),
            "sagemaker:DescribeInferenceExperiment",
            |out| Resource::InferenceExperiment(inference_experiments::from_description(owned.clone(), &out)),
            |why| Resource::InferenceExperiment(vigil_core::InferenceExperiment::unreadable(identity(), &why))
        ),
        ResourceKind::FlowDefinition => outcome!(
            client.describe_flow_definition().flow_definition_name(name),
            "sagemaker:DescribeFlowDefinition",
            |out| Resource::FlowDefinition(flow_definitions::from_description(owned.clone(), None, &out)),
            |why| Resource::FlowDefinition(vigil_core::FlowDefinition {
                identity: identity(),
                output_kms_key_id: Fact::Unknown(why)
            })
        ),
        // No event names a registry; this serves a change named otherwise.
        ResourceKind::ModelRegistry => {
            Described::Found(model_registry::collect(client, region, account, attempts).await)
        }
        // No event subscribes to endpoints (a new endpoint has no schedule
        // yet: it would fail at once); this serves a change named otherwise.
        ResourceKind::Endpoint => match client.describe_endpoint().endpoint_name(name).send().await {
            Err(err) if gone(&err) => Described::Gone(format!("sagemaker:DescribeEndpoint {name} no longer exists")),
            answer => {
                let arn = answer.ok().and_then(|out| out.endpoint_arn().map(str::to_owned));
                let limits = crate::collect::Limits::new(1, attempts);
                let identity = match arn {
                    Some(arn) => Identity::from_arn(owned.clone(), Some(arn)),
                    None => identity(),
                };
                Described::Found(Resource::Endpoint(vigil_core::Endpoint {
                    identity,
                    monitoring_schedules: endpoints::monitoring_schedules(client, region, name, &limits).await,
                }))
            }
        },
        ResourceKind::MonitoringJob => unreachable!("monitoring jobs are described by monitoring()"),
        ResourceKind::KnowledgeBaseDataSource => {
            unreachable!("data sources are described by watch_bedrock::describe()")
        }
        ResourceKind::AgentRuntime
        | ResourceKind::AgentGateway
        | ResourceKind::AgentMemory
        | ResourceKind::AgentBrowser
        | ResourceKind::AgentCodeInterpreter
        | ResourceKind::BedrockAgent
        | ResourceKind::Guardrail
        | ResourceKind::BedrockPrompt
        | ResourceKind::BedrockFlow
        | ResourceKind::CustomModel
        | ResourceKind::ImportedModel
        | ResourceKind::InvocationJob
        | ResourceKind::InvocationLogging => {
            unreachable!("AgentCore and Bedrock kinds are described by watch_bedrock::describe()")
        }
        ResourceKind::StudioImage => unreachable!("images are described by studio_images::describe()"),
        ResourceKind::Vpc => unreachable!("no event names a VPC: audits judge them"),
        ResourceKind::IamRole | ResourceKind::BedrockApiKey => {
            unreachable!("no event names an IAM role or API key: audits judge them")
        }
    }
}

/// A monitoring job definition, or a schedule judged as the audit judges
/// it: on its embedded definition, or on the definition it names.
async fn monitoring(
    client: &Client,
    type_name: &'static str,
    name: &str,
    (account, region): (&str, &str),
    attempts: u32,
) -> Described {
    let identity = |arn: Option<String>| {
        let mut identity = Identity::from_arn(name.to_owned(), arn);
        identity.account.get_or_insert_with(|| account.to_owned());
        identity.region.get_or_insert_with(|| region.to_owned());
        identity
    };
    let found = |arn, settings| {
        Described::Found(Resource::MonitoringJob(MonitoringJob {
            identity: identity(arn),
            type_name,
            settings,
        }))
    };
    if type_name != SCHEDULE {
        return match monitoring::read_definition(client, type_name, name, attempts).await {
            Ok(settings) => found(None, settings),
            Err(unread) if unread.gone => Described::Gone(format!("job definition {name} no longer exists")),
            Err(unread) => found(None, MonitoringSettings::unreadable(&unread.reason)),
        };
    }
    let op = "sagemaker:DescribeMonitoringSchedule";
    let out = match client
        .describe_monitoring_schedule()
        .monitoring_schedule_name(name)
        .send()
        .await
    {
        Ok(out) => out,
        Err(err) if gone(&err) => return Described::Gone(format!("{op} {name} no longer exists")),
        Err(err) => {
            return found(
                None,
                MonitoringSettings::unreadable(&unknown_reason(op, &err, attempts)),
            )
        }
    };
    let arn = out.monitoring_schedule_arn().map(str::to_owned);
    let Some(config) = out.monitoring_schedule_config() else {
        return found(
            arn,
            MonitoringSettings::unreadable("the schedule has no MonitoringScheduleConfig"),
        );
    };
    let settings = match monitoring::schedule_runs(config, out.monitoring_type()) {
        ScheduleRuns::Embedded(settings) => settings,
        ScheduleRuns::Named(definition_type, definition) => {
            match monitoring::read_definition(client, definition_type, definition, attempts).await {
                Ok(settings) => settings,
                Err(unread) => monitoring::unread_definition(definition, unread),
            }
        }
        ScheduleRuns::Nothing => MonitoringSettings::unreadable("the schedule names no job definition"),
    };
    found(arn, settings)
}

/// One image or app image configuration, for `vigil watch`; `None` when it
/// no longer exists.
async fn studio_image(client: &Client, type_name: &'static str, name: &str, attempts: u32) -> Option<StudioImage> {
    let arn = match type_name {
        StudioImage::APP_IMAGE_CONFIG => {
            let out = client
                .describe_app_image_config()
                .app_image_config_name(name)
                .send()
                .await;
            match out {
                Ok(out) => Ok(out.app_image_config_arn().map(str::to_owned)),
                Err(err) if gone(&err) => return None,
                Err(err) => Err(unknown_reason("sagemaker:DescribeAppImageConfig", &err, attempts)),
            }
        }
        _ => match client.describe_image().image_name(name).send().await {
            Ok(out) => Ok(out.image_arn().map(str::to_owned)),
            Err(err) if gone(&err) => return None,
            Err(err) => Err(unknown_reason("sagemaker:DescribeImage", &err, attempts)),
        },
    };
    let (arn, tag_keys) = match arn {
        Ok(arn) => (
            arn.clone(),
            studio_images::tag_keys(client, arn.as_deref(), attempts).await,
        ),
        Err(why) => (None, Fact::Unknown(why)),
    };
    Some(StudioImage {
        identity: Identity::from_arn(name.to_owned(), arn),
        type_name,
        tag_keys,
    })
}

/// A call to the queue that failed, in SQS's own words: `operation failed
/// (Code: message)`, or why the endpoint could not be reached.
fn sqs_error<E: ProvideErrorMetadata + std::error::Error + 'static>(
    operation: &str,
    err: &SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
) -> String {
    let detail = crate::errors::describe(err);
    match err {
        SdkError::ServiceError(_) => format!("{operation} failed ({detail})"),
        _ => format!("{operation} could not reach SQS ({detail})"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_queue_url_names_its_region() {
        assert_eq!(
            super::queue_region("https://sqs.eu-west-1.amazonaws.com/123456789012/vigil").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(super::queue_region("http://127.0.0.1:5000/123456789012/vigil"), None);
    }
}
