//! Puts models into the emulator through the AWS SDK, as a user's pipeline
//! would, and remembers what each one should be judged.

use aws_sdk_sagemaker::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sagemaker::types::{ContainerDefinition, VpcConfig};
use aws_sdk_sagemaker::Client;
use futures::stream::{self, StreamExt};

pub const ROLE: &str = "arn:aws:iam::123456789012:role/sagemaker-exec";

/// A model of one container running as `role`, ready to send.
pub fn model_as(
    sm: &Client,
    name: &str,
    role: &str,
) -> aws_sdk_sagemaker::operation::create_model::builders::CreateModelFluentBuilder {
    sm.create_model()
        .model_name(name)
        .execution_role_arn(role)
        .primary_container(ContainerDefinition::builder().image("img").build())
}

/// A feature group keyed by `id` with event time `t`, ready to be given
/// its stores and sent.
pub fn feature_group(
    sm: &Client,
    name: &str,
) -> aws_sdk_sagemaker::operation::create_feature_group::builders::CreateFeatureGroupFluentBuilder {
    use aws_sdk_sagemaker::types::{FeatureDefinition, FeatureType};
    let feature = |name: &str| {
        FeatureDefinition::builder()
            .feature_name(name)
            .feature_type(FeatureType::String)
            .build()
    };
    sm.create_feature_group()
        .feature_group_name(name)
        .record_identifier_feature_name("id")
        .event_time_feature_name("t")
        .feature_definitions(feature("id"))
        .feature_definitions(feature("t"))
}

/// A training job of `instances` ml.m5.xlarge running as `role`, ready to
/// send or to change further (isolation, VPC, keys).
pub fn training_job(
    sm: &Client,
    name: &str,
    role: &str,
    instances: i32,
) -> aws_sdk_sagemaker::operation::create_training_job::builders::CreateTrainingJobFluentBuilder {
    use aws_sdk_sagemaker::types::{
        AlgorithmSpecification, OutputDataConfig, ResourceConfig, StoppingCondition, TrainingInputMode,
        TrainingInstanceType,
    };
    sm.create_training_job()
        .training_job_name(name)
        .role_arn(role)
        .algorithm_specification(
            AlgorithmSpecification::builder()
                .training_image("123456789012.dkr.ecr.eu-west-1.amazonaws.com/train:1")
                .training_input_mode(TrainingInputMode::File)
                .build(),
        )
        .output_data_config(OutputDataConfig::builder().s3_output_path("s3://out/").build())
        .resource_config(
            ResourceConfig::builder()
                .instance_type(TrainingInstanceType::MlM5Xlarge)
                .instance_count(instances)
                .volume_size_in_gb(10)
                .build(),
        )
        .stopping_condition(StoppingCondition::builder().max_runtime_in_seconds(3600).build())
}

/// How a seeded model is built; the expected verdict follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isolation {
    On,
    Off,
    /// The request leaves the flag out: AWS applies false.
    Absent,
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub region: String,
    pub name: String,
    pub isolation: Isolation,
    pub containers: usize,
    pub in_vpc: bool,
}

impl Spec {
    pub fn new(region: &str, name: &str, isolation: Isolation) -> Self {
        Spec {
            region: region.into(),
            name: name.into(),
            isolation,
            containers: 1,
            in_vpc: false,
        }
    }

    /// The same model, attached to a VPC.
    pub fn in_vpc(mut self) -> Self {
        self.in_vpc = true;
        self
    }

    pub fn expected_status(&self) -> &'static str {
        if self.isolation == Isolation::On {
            "pass"
        } else {
            "fail"
        }
    }
}

pub fn client(endpoint: &str, region: &str) -> Client {
    let config = aws_sdk_sagemaker::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
        .build();
    Client::from_conf(config)
}

fn container(i: usize) -> ContainerDefinition {
    ContainerDefinition::builder()
        .image(format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/infer-{i}:1"))
        .model_data_url(format!("s3://models/{i}/model.tar.gz"))
        .build()
}

pub async fn create(endpoint: &str, spec: &Spec) {
    let mut req = client(endpoint, &spec.region)
        .create_model()
        .model_name(&spec.name)
        .execution_role_arn(ROLE);
    req = if spec.containers > 1 {
        (0..spec.containers).fold(req, |req, i| req.containers(container(i)))
    } else {
        req.primary_container(container(0))
    };
    if spec.in_vpc {
        req = req.vpc_config(
            VpcConfig::builder()
                .subnets("subnet-0abc")
                .security_group_ids("sg-0abc")
                .build(),
        );
    }
    match spec.isolation {
        Isolation::On => req = req.enable_network_isolation(true),
        Isolation::Off => req = req.enable_network_isolation(false),
        Isolation::Absent => {}
    }
    req.send()
        .await
        .unwrap_or_else(|err| panic!("seeding {}: {err:?}", spec.name));
}

/// Creates every model, a few at a time.
pub fn create_all(endpoint: &str, specs: &[Spec]) {
    // The models' execution role exists, as it does in a healthy account.
    iam_role(endpoint, ROLE.rsplit('/').next().unwrap());
    super::block_on(async {
        stream::iter(specs)
            .for_each_concurrent(8, |spec| create(endpoint, spec))
            .await;
    });
}

/// Creates IAM role `name` in the emulator (an existing one is kept). The
/// tests build no IAM SDK client for this: one Query form POST, whose
/// signature moto does not check, names the service in its scope.
pub fn iam_role(endpoint: &str, name: &str) {
    let auth =
        "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0";
    let answer = ureq::post(endpoint)
        .header("Authorization", auth)
        .config()
        .http_status_as_error(false)
        .build()
        .send_form([
            ("Action", "CreateRole"),
            ("Version", "2010-05-08"),
            ("RoleName", name),
            ("AssumeRolePolicyDocument", "{}"),
        ])
        .expect("reaching the emulator's IAM");
    let status = answer.status().as_u16();
    assert!(status == 200 || status == 409, "CreateRole {name}: HTTP {status}");
}

pub fn delete(endpoint: &str, region: &str, name: &str) {
    super::block_on(async {
        client(endpoint, region)
            .delete_model()
            .model_name(name)
            .send()
            .await
            .expect("deleting a model");
    });
}

/// An endpoint configuration with one production variant serving `model`
/// (and a shadow variant serving `shadow`, if given), and `endpoints` on it.
pub fn serve(endpoint: &str, region: &str, config: &str, model: &str, shadow: Option<&str>, endpoints: &[&str]) {
    use aws_sdk_sagemaker::types::{ProductionVariant, ProductionVariantInstanceType};
    let variant = |name: &str, model: &str| {
        ProductionVariant::builder()
            .variant_name(name)
            .model_name(model)
            .initial_instance_count(1)
            .instance_type(ProductionVariantInstanceType::MlM5Large)
            .build()
    };
    super::block_on(async {
        let sm = client(endpoint, region);
        let mut request = sm
            .create_endpoint_config()
            .endpoint_config_name(config)
            .production_variants(variant("primary", model));
        if let Some(shadow) = shadow {
            request = request.shadow_production_variants(variant("shadow", shadow));
        }
        request.send().await.expect("creating an endpoint config");
        for name in endpoints {
            sm.create_endpoint()
                .endpoint_name(*name)
                .endpoint_config_name(config)
                .send()
                .await
                .expect("creating an endpoint");
        }
    });
}

/// Every model, endpoint configuration and endpoint in a region, by name:
/// what a test compares before and after a command.
pub fn inventory(endpoint: &str, region: &str) -> Vec<String> {
    super::block_on(async {
        let sm = client(endpoint, region);
        let mut all = Vec::new();
        let models = sm.list_models().max_results(100).send().await.unwrap();
        all.extend(
            models
                .models()
                .iter()
                .map(|m| format!("model {}", m.model_name().unwrap())),
        );
        let configs = sm.list_endpoint_configs().max_results(100).send().await.unwrap();
        all.extend(
            configs
                .endpoint_configs()
                .iter()
                .map(|c| format!("endpoint-config {}", c.endpoint_config_name().unwrap())),
        );
        for e in sm.list_endpoints().max_results(100).send().await.unwrap().endpoints() {
            let described = sm
                .describe_endpoint()
                .endpoint_name(e.endpoint_name().unwrap())
                .send()
                .await
                .unwrap();
            all.push(format!(
                "endpoint {} on {}",
                e.endpoint_name().unwrap(),
                described.endpoint_config_name().unwrap()
            ));
        }
        all.sort();
        all
    })
}

/// Six models in eu-west-1, `a` to `f`: a, c and e without isolation (they
/// fail), b, d and f with it. Returns their names.
pub fn six_models(endpoint: &str) -> [&'static str; 6] {
    let names = ["a", "b", "c", "d", "e", "f"];
    let specs: Vec<Spec> = names
        .iter()
        .enumerate()
        .map(|(i, n)| Spec::new("eu-west-1", n, if i % 2 == 0 { Isolation::Off } else { Isolation::On }))
        .collect();
    create_all(endpoint, &specs);
    names
}

/// Credentials of a session of `account`'s `VigilAudit` role (moto puts the
/// session in the role's account).
pub async fn session(endpoint: &str, account: &str) -> Credentials {
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("eu-west-1"))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
            .build(),
    );
    let session = sts
        .assume_role()
        .role_arn(format!("arn:aws:iam::{account}:role/VigilAudit"))
        .role_session_name("seed")
        .send()
        .await
        .expect("AssumeRole")
        .credentials
        .expect("credentials");
    Credentials::new(
        session.access_key_id(),
        session.secret_access_key(),
        Some(session.session_token().to_owned()),
        None,
        "seed",
    )
}

/// Models created in `account` (eu-west-1), each isolated or not.
pub fn in_account(endpoint: &str, account: &str, models: &[(&str, bool)]) {
    in_account_region(endpoint, account, "eu-west-1", models);
}

/// Models (name, isolated) created in `region` of `account`.
pub fn in_account_region(endpoint: &str, account: &str, region: &str, models: &[(&str, bool)]) {
    super::block_on(async {
        let client = Client::from_conf(
            aws_sdk_sagemaker::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new(region.to_owned()))
                .endpoint_url(endpoint)
                .credentials_provider(session(endpoint, account).await)
                .build(),
        );
        for (name, isolated) in models {
            client
                .create_model()
                .model_name(*name)
                .execution_role_arn(format!("arn:aws:iam::{account}:role/sm"))
                .primary_container(ContainerDefinition::builder().image("img").build())
                .enable_network_isolation(*isolated)
                .send()
                .await
                .expect("CreateModel");
        }
    });
}

/// Model-monitoring resources in `region`. Data-quality definitions:
/// `dq-isolated` (two instances, isolated, inter-container encryption,
/// both keys) and `dq-open` (two instances, nothing set), and `shared`
/// (two instances, nothing set); a model-bias definition also named
/// `shared` (two instances, encrypted, both keys). Schedules:
/// `embedded-isolated` (its own isolated definition on one instance, a
/// volume key and no output key), `names-open` (runs the data-quality
/// `shared`),
/// `names-missing` (runs a definition that does not exist), and
/// `names-bias` (runs the bias `shared`, told apart by its type).
pub fn monitoring(endpoint: &str, region: &str) {
    let key_arn = super::customer_key(endpoint, region);
    let key_arn = key_arn.as_str();
    use aws_sdk_sagemaker::types::{
        DataQualityAppSpecification, DataQualityJobInput, EndpointInput, ModelBiasAppSpecification, ModelBiasJobInput,
        MonitoringAppSpecification, MonitoringClusterConfig, MonitoringGroundTruthS3Input, MonitoringJobDefinition,
        MonitoringNetworkConfig, MonitoringOutput, MonitoringOutputConfig, MonitoringResources, MonitoringS3Output,
        MonitoringScheduleConfig, MonitoringType, NetworkConfig, ProcessingInstanceType,
    };
    super::block_on(async {
        let sm = client(endpoint, region);
        let resources = |count: i32, key: Option<&str>| {
            MonitoringResources::builder()
                .cluster_config(
                    MonitoringClusterConfig::builder()
                        .instance_count(count)
                        .instance_type(ProcessingInstanceType::MlM5Large)
                        .volume_size_in_gb(20)
                        .set_volume_kms_key_id(key.map(str::to_owned))
                        .build(),
                )
                .build()
        };
        let outputs = |key: Option<&str>| {
            MonitoringOutputConfig::builder()
                .monitoring_outputs(
                    MonitoringOutput::builder()
                        .s3_output(
                            MonitoringS3Output::builder()
                                .s3_uri("s3://b/o")
                                .local_path("/opt/ml/processing/output")
                                .build(),
                        )
                        .build(),
                )
                .set_kms_key_id(key.map(str::to_owned))
                .build()
        };
        let image = format!("123456789012.dkr.ecr.{region}.amazonaws.com/monitor:1");
        let endpoint_input = || {
            EndpointInput::builder()
                .endpoint_name("fraud")
                .local_path("/opt/ml/processing/input")
                .build()
        };
        for (name, locked) in [("dq-isolated", true), ("dq-open", false), ("shared", false)] {
            let key = locked.then_some(key_arn);
            let mut request = sm
                .create_data_quality_job_definition()
                .job_definition_name(name)
                .role_arn(ROLE)
                .job_resources(resources(2, key))
                .data_quality_app_specification(DataQualityAppSpecification::builder().image_uri(&image).build())
                .data_quality_job_input(DataQualityJobInput::builder().endpoint_input(endpoint_input()).build())
                .data_quality_job_output_config(outputs(key));
            if locked {
                request = request.network_config(
                    MonitoringNetworkConfig::builder()
                        .enable_network_isolation(true)
                        .enable_inter_container_traffic_encryption(true)
                        .build(),
                );
            }
            request.send().await.unwrap();
        }
        sm.create_model_bias_job_definition()
            .job_definition_name("shared")
            .role_arn(ROLE)
            .job_resources(resources(2, Some(key_arn)))
            .model_bias_app_specification(
                ModelBiasAppSpecification::builder()
                    .image_uri(&image)
                    .config_uri("s3://b/analysis_config.json")
                    .build(),
            )
            .model_bias_job_input(
                ModelBiasJobInput::builder()
                    .endpoint_input(endpoint_input())
                    .ground_truth_s3_input(MonitoringGroundTruthS3Input::builder().s3_uri("s3://b/truth").build())
                    .build(),
            )
            .model_bias_job_output_config(outputs(Some(key_arn)))
            .network_config(
                MonitoringNetworkConfig::builder()
                    .enable_network_isolation(true)
                    .enable_inter_container_traffic_encryption(true)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let embedded = MonitoringJobDefinition::builder()
            .role_arn(ROLE)
            .monitoring_resources(resources(1, Some(key_arn)))
            .monitoring_output_config(outputs(None))
            .monitoring_app_specification(MonitoringAppSpecification::builder().image_uri(&image).build())
            .network_config(NetworkConfig::builder().enable_network_isolation(true).build())
            .build();
        let schedules = [
            (
                "embedded-isolated",
                MonitoringScheduleConfig::builder()
                    .monitoring_job_definition(embedded)
                    .build(),
            ),
            (
                "names-open",
                MonitoringScheduleConfig::builder()
                    .monitoring_job_definition_name("shared")
                    .monitoring_type(MonitoringType::DataQuality)
                    .build(),
            ),
            (
                "names-missing",
                MonitoringScheduleConfig::builder()
                    .monitoring_job_definition_name("gone")
                    .monitoring_type(MonitoringType::DataQuality)
                    .build(),
            ),
            (
                "names-bias",
                MonitoringScheduleConfig::builder()
                    .monitoring_job_definition_name("shared")
                    .monitoring_type(MonitoringType::ModelBias)
                    .build(),
            ),
        ];
        for (name, config) in schedules {
            sm.create_monitoring_schedule()
                .monitoring_schedule_name(name)
                .monitoring_schedule_config(config)
                .send()
                .await
                .unwrap();
        }
    });
}
