//! What a queued EventBridge event says changed: the account, region, kind
//! and name of one SageMaker resource, read from a CloudTrail API-call event
//! (`detail.eventName`, `requestParameters`, `responseElements`) or from a
//! SageMaker state-change event. Pure, so every shape is unit-tested.

use serde_json::Value;
use vigil_core::ResourceKind;

/// One resource to describe and judge again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub account: String,
    pub region: String,
    pub kind: ResourceKind,
    /// The name the describe call takes (a domain's id for domains).
    pub name: String,
    /// The API call or state change that caused it, for the log.
    pub cause: String,
    /// Of a kind several types share (monitoring definitions and
    /// schedules, images and app image configurations): which type, as its
    /// CloudFormation type.
    pub of_type: Option<&'static str>,
}

/// What a message holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    Change(Change),
    /// A well-formed event that changes nothing Vigil judges, and why.
    Ignored(String),
}

/// CloudTrail API calls that create or change a judged resource: the call,
/// the kind, and the request parameter that names the resource.
const CALLS: &[(&str, ResourceKind, &str)] = &[
    ("CreateModel", ResourceKind::SageMakerModel, "modelName"),
    (
        "CreateNotebookInstance",
        ResourceKind::NotebookInstance,
        "notebookInstanceName",
    ),
    (
        "UpdateNotebookInstance",
        ResourceKind::NotebookInstance,
        "notebookInstanceName",
    ),
    ("UpdateDomain", ResourceKind::Domain, "domainId"),
    (
        "CreateEndpointConfig",
        ResourceKind::EndpointConfig,
        "endpointConfigName",
    ),
    ("CreateFeatureGroup", ResourceKind::FeatureGroup, "featureGroupName"),
    ("CreateCluster", ResourceKind::HyperPodCluster, "clusterName"),
    ("CreateInferenceExperiment", ResourceKind::InferenceExperiment, "name"),
    (
        "CreateFlowDefinition",
        ResourceKind::FlowDefinition,
        "flowDefinitionName",
    ),
    ("UpdateCluster", ResourceKind::HyperPodCluster, "clusterName"),
    (
        "CreateNotebookInstanceLifecycleConfig",
        ResourceKind::NotebookLifecycleConfig,
        "notebookInstanceLifecycleConfigName",
    ),
    (
        "UpdateNotebookInstanceLifecycleConfig",
        ResourceKind::NotebookLifecycleConfig,
        "notebookInstanceLifecycleConfigName",
    ),
    ("CreateTrainingJob", ResourceKind::TrainingJob, "trainingJobName"),
    ("CreateProcessingJob", ResourceKind::ProcessingJob, "processingJobName"),
    (
        "CreateHyperParameterTuningJob",
        ResourceKind::TuningJob,
        "hyperParameterTuningJobName",
    ),
];

/// The event sources Vigil reads.
const SOURCES: &[&str] = &[
    "aws.sagemaker",
    super::bedrock_event::AGENTCORE,
    super::bedrock_event::BEDROCK,
];

/// SageMaker's own state-change events: the detail type, the kind, and the
/// detail field that names the resource.
const STATE_CHANGES: &[(&str, ResourceKind, &str)] = &[
    (
        "SageMaker Model State Change",
        ResourceKind::SageMakerModel,
        "ModelName",
    ),
    (
        "SageMaker Training Job State Change",
        ResourceKind::TrainingJob,
        "TrainingJobName",
    ),
    (
        "SageMaker Processing Job State Change",
        ResourceKind::ProcessingJob,
        "ProcessingJobName",
    ),
    (
        "SageMaker HyperParameter Tuning Job State Change",
        ResourceKind::TuningJob,
        "HyperParameterTuningJobName",
    ),
];

/// Calls on kinds several types share (monitoring job definitions and
/// schedules, images and app image configurations): the call, the kind,
/// the request parameter that names the resource, and its type.
const TYPED: &[(&str, ResourceKind, &str, &str)] = &[
    (
        "CreateDataQualityJobDefinition",
        ResourceKind::MonitoringJob,
        "jobDefinitionName",
        "AWS::SageMaker::DataQualityJobDefinition",
    ),
    (
        "CreateModelQualityJobDefinition",
        ResourceKind::MonitoringJob,
        "jobDefinitionName",
        "AWS::SageMaker::ModelQualityJobDefinition",
    ),
    (
        "CreateModelBiasJobDefinition",
        ResourceKind::MonitoringJob,
        "jobDefinitionName",
        "AWS::SageMaker::ModelBiasJobDefinition",
    ),
    (
        "CreateModelExplainabilityJobDefinition",
        ResourceKind::MonitoringJob,
        "jobDefinitionName",
        "AWS::SageMaker::ModelExplainabilityJobDefinition",
    ),
    (
        "CreateMonitoringSchedule",
        ResourceKind::MonitoringJob,
        "monitoringScheduleName",
        "AWS::SageMaker::MonitoringSchedule",
    ),
    (
        "UpdateMonitoringSchedule",
        ResourceKind::MonitoringJob,
        "monitoringScheduleName",
        "AWS::SageMaker::MonitoringSchedule",
    ),
    (
        "CreateImage",
        ResourceKind::StudioImage,
        "imageName",
        "AWS::SageMaker::Image",
    ),
    (
        "CreateAppImageConfig",
        ResourceKind::StudioImage,
        "appImageConfigName",
        "AWS::SageMaker::AppImageConfig",
    ),
];

/// Reads one message body. `Err`: not an EventBridge event at all (the
/// message is poison); `Ignored`: an event, but nothing to judge.
pub fn parse(body: &str) -> Result<Event, String> {
    let event: Value = serde_json::from_str(body).map_err(|e| format!("not JSON: {e}"))?;
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let (Some(source), Some(detail_type), Some(detail)) =
        (text(&event, "source"), text(&event, "detail-type"), event.get("detail"))
    else {
        return Err("not an EventBridge event (no source, detail-type or detail)".into());
    };
    if !SOURCES.contains(&source.as_str()) {
        return Ok(Event::Ignored(format!(
            "an event from {source}, not {}",
            SOURCES.join(" or ")
        )));
    }
    let account = text(detail, "recipientAccountId").or_else(|| text(&event, "account"));
    let region = text(detail, "awsRegion").or_else(|| text(&event, "region"));
    let (Some(account), Some(region)) = (account, region) else {
        return Err("the event names no account or region".into());
    };
    let change = |kind, name: String, cause: String| {
        Ok(Event::Change(Change {
            account: account.clone(),
            region: region.clone(),
            kind,
            name,
            cause,
            of_type: None,
        }))
    };
    if detail_type == "AWS API Call via CloudTrail" {
        let call = text(detail, "eventName").unwrap_or_default();
        if let Some(code) = text(detail, "errorCode") {
            return Ok(Event::Ignored(format!("{call} failed ({code}): nothing changed")));
        }
        let request = detail.get("requestParameters").unwrap_or(&Value::Null);
        if let Some(named) = super::bedrock_event::named(&source, &call, detail) {
            return match named? {
                Some((kind, name)) => change(kind, name, call),
                None => Ok(Event::Ignored(format!("{call} changes nothing Vigil judges"))),
            };
        }
        if call == "CreateDomain" {
            // DescribeDomain takes the id, which only the answer carries.
            let arn = detail.pointer("/responseElements/domainArn").and_then(Value::as_str);
            return match arn.and_then(|a| a.rsplit_once('/')).map(|(_, id)| id.to_owned()) {
                Some(id) => change(ResourceKind::Domain, id, call),
                None => Err("CreateDomain without responseElements.domainArn".into()),
            };
        }
        if let Some((_, kind, key)) = CALLS.iter().find(|(name, _, _)| *name == call) {
            return match text(request, key) {
                Some(name) if !name.is_empty() => change(*kind, name, call),
                _ => Err(format!("{call} without requestParameters.{key}")),
            };
        }
        if let Some((_, kind, key, type_name)) = TYPED.iter().find(|(name, ..)| *name == call) {
            return match text(request, key) {
                Some(name) if !name.is_empty() => Ok(Event::Change(Change {
                    account,
                    region,
                    kind: *kind,
                    name,
                    cause: call,
                    of_type: Some(type_name),
                })),
                _ => Err(format!("{call} without requestParameters.{key}")),
            };
        }
        if call == "AddTags" || call == "DeleteTags" {
            // Tags are judged on images only (`sagemaker-image-tagged`).
            let arn =
                text(request, "resourceArn").ok_or_else(|| format!("{call} without requestParameters.resourceArn"))?;
            let resource = arn.rsplit(':').next().and_then(|r| r.split_once('/'));
            let of_type = match resource {
                Some(("image", _)) => "AWS::SageMaker::Image",
                Some(("app-image-config", _)) => "AWS::SageMaker::AppImageConfig",
                _ => return Ok(Event::Ignored(format!("{call} on {arn}: its tags are not judged"))),
            };
            let name = resource.map(|(_, name)| name.to_owned()).unwrap_or_default();
            return Ok(Event::Change(Change {
                account,
                region,
                kind: ResourceKind::StudioImage,
                name,
                cause: call,
                of_type: Some(of_type),
            }));
        }
        return Ok(Event::Ignored(format!("{call} changes nothing Vigil judges")));
    }
    if let Some((_, kind, key)) = STATE_CHANGES.iter().find(|(name, _, _)| *name == detail_type) {
        return match text(detail, key) {
            Some(name) if !name.is_empty() => change(*kind, name, detail_type),
            _ => Err(format!("'{detail_type}' without detail.{key}")),
        };
    }
    Ok(Event::Ignored(format!("'{detail_type}' changes nothing Vigil judges")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn api_call(name: &str, request: Value, response: Value) -> String {
        json!({
            "version": "0", "id": "e-1", "detail-type": "AWS API Call via CloudTrail",
            "source": "aws.sagemaker", "account": "111111111111", "region": "eu-west-1",
            "time": "2026-11-27T10:00:00Z", "resources": [],
            "detail": {
                "eventSource": "sagemaker.amazonaws.com", "eventName": name,
                "awsRegion": "eu-west-1", "recipientAccountId": "222222222222",
                "requestParameters": request, "responseElements": response
            }
        })
        .to_string()
    }

    fn change(event: Result<Event, String>) -> Change {
        match event {
            Ok(Event::Change(c)) => c,
            other => panic!("not a change: {other:?}"),
        }
    }

    #[test]
    fn create_model_names_the_model_in_the_recipient_account() {
        let c = change(parse(&api_call(
            "CreateModel",
            json!({"modelName": "fraud-a"}),
            json!({}),
        )));
        assert_eq!(
            (c.account.as_str(), c.region.as_str(), c.kind, c.name.as_str()),
            ("222222222222", "eu-west-1", ResourceKind::SageMakerModel, "fraud-a")
        );
    }

    #[test]
    fn create_endpoint_config_names_the_configuration() {
        let c = change(parse(&api_call(
            "CreateEndpointConfig",
            json!({"endpointConfigName": "fraud-cfg"}),
            json!({}),
        )));
        assert_eq!((c.kind, c.name.as_str()), (ResourceKind::EndpointConfig, "fraud-cfg"));
    }

    #[test]
    fn create_feature_group_names_the_group() {
        let c = change(parse(&api_call(
            "CreateFeatureGroup",
            json!({"featureGroupName": "customers"}),
            json!({}),
        )));
        assert_eq!((c.kind, c.name.as_str()), (ResourceKind::FeatureGroup, "customers"));
    }

    #[test]
    fn cluster_calls_name_the_cluster() {
        for call in ["CreateCluster", "UpdateCluster"] {
            let c = change(parse(&api_call(call, json!({"clusterName": "llm-train"}), json!({}))));
            assert_eq!((c.kind, c.name.as_str()), (ResourceKind::HyperPodCluster, "llm-train"));
        }
    }

    #[test]
    fn lifecycle_configuration_calls_name_the_configuration() {
        for call in [
            "CreateNotebookInstanceLifecycleConfig",
            "UpdateNotebookInstanceLifecycleConfig",
        ] {
            let request = json!({"notebookInstanceLifecycleConfigName": "research"});
            let c = change(parse(&api_call(call, request, json!({}))));
            assert_eq!(
                (c.kind, c.name.as_str()),
                (ResourceKind::NotebookLifecycleConfig, "research")
            );
        }
    }

    #[test]
    fn image_calls_and_their_tags_name_the_image_and_its_type() {
        let c = change(parse(&api_call(
            "CreateAppImageConfig",
            json!({"appImageConfigName": "py"}),
            json!({}),
        )));
        assert_eq!(
            (c.kind, c.name.as_str(), c.of_type),
            (ResourceKind::StudioImage, "py", Some("AWS::SageMaker::AppImageConfig"))
        );
        let arn = "arn:aws:sagemaker:eu-west-1:222222222222:image/base-python";
        let c = change(parse(&api_call("AddTags", json!({"resourceArn": arn}), json!({}))));
        assert_eq!(
            (c.kind, c.name.as_str(), c.of_type),
            (ResourceKind::StudioImage, "base-python", Some("AWS::SageMaker::Image"))
        );
        let model = "arn:aws:sagemaker:eu-west-1:222222222222:model/fraud";
        let ignored = parse(&api_call("DeleteTags", json!({"resourceArn": model}), json!({})));
        assert!(matches!(ignored, Ok(Event::Ignored(_))), "{ignored:?}");
    }

    #[test]
    fn create_inference_experiment_names_the_experiment() {
        let c = change(parse(&api_call(
            "CreateInferenceExperiment",
            json!({"name": "fraud-shadow"}),
            json!({}),
        )));
        assert_eq!(
            (c.kind, c.name.as_str()),
            (ResourceKind::InferenceExperiment, "fraud-shadow")
        );
    }

    #[test]
    fn create_flow_definition_names_the_definition() {
        let c = change(parse(&api_call(
            "CreateFlowDefinition",
            json!({"flowDefinitionName": "invoices"}),
            json!({}),
        )));
        assert_eq!((c.kind, c.name.as_str()), (ResourceKind::FlowDefinition, "invoices"));
    }

    #[test]
    fn create_domain_is_described_by_the_id_in_its_answer() {
        let response = json!({"domainArn": "arn:aws:sagemaker:eu-west-1:222222222222:domain/d-abc123"});
        let c = change(parse(&api_call(
            "CreateDomain",
            json!({"domainName": "studio"}),
            response,
        )));
        assert_eq!((c.kind, c.name.as_str()), (ResourceKind::Domain, "d-abc123"));
    }

    #[test]
    fn a_failed_call_changes_nothing() {
        let mut event: Value =
            serde_json::from_str(&api_call("CreateModel", json!({"modelName": "x"}), json!(null))).unwrap();
        event["detail"]["errorCode"] = json!("ValidationException");
        assert!(matches!(parse(&event.to_string()), Ok(Event::Ignored(why)) if why.contains("ValidationException")));
    }

    #[test]
    fn state_changes_name_their_job() {
        let body = json!({
            "detail-type": "SageMaker Training Job State Change", "source": "aws.sagemaker",
            "account": "111111111111", "region": "us-east-1",
            "detail": {"TrainingJobName": "train-7", "TrainingJobStatus": "InProgress"}
        });
        let c = change(parse(&body.to_string()));
        assert_eq!(
            (c.account.as_str(), c.region.as_str(), c.kind, c.name.as_str()),
            ("111111111111", "us-east-1", ResourceKind::TrainingJob, "train-7")
        );
    }

    #[test]
    fn other_calls_and_sources_are_ignored_with_a_reason() {
        assert!(matches!(
            parse(&api_call("DeleteModel", json!({"modelName": "x"}), json!(null))),
            Ok(Event::Ignored(_))
        ));
        let s3 = json!({"source": "aws.s3", "detail-type": "Object Created", "detail": {}});
        assert!(matches!(parse(&s3.to_string()), Ok(Event::Ignored(_))));
    }

    #[test]
    fn monitoring_calls_name_the_definition_and_its_type() {
        let schedule = change(parse(&api_call(
            "UpdateMonitoringSchedule",
            json!({"monitoringScheduleName": "nightly"}),
            json!(null),
        )));
        assert_eq!(
            (schedule.kind, schedule.name.as_str(), schedule.of_type),
            (
                ResourceKind::MonitoringJob,
                "nightly",
                Some("AWS::SageMaker::MonitoringSchedule")
            )
        );
        let bias = change(parse(&api_call(
            "CreateModelBiasJobDefinition",
            json!({"jobDefinitionName": "b"}),
            json!(null),
        )));
        assert_eq!(bias.of_type, Some("AWS::SageMaker::ModelBiasJobDefinition"));
    }

    #[test]
    fn poison_is_an_error_never_a_panic() {
        for body in [
            "",
            "{",
            "[]",
            "null",
            r#"{"source": 3}"#,
            r#"{"source":"aws.sagemaker","detail-type":"AWS API Call via CloudTrail","detail":{}}"#,
        ] {
            assert!(parse(body).is_err(), "{body:?}");
        }
        let nameless = api_call("CreateModel", json!({}), json!(null));
        assert!(parse(&nameless).unwrap_err().contains("modelName"));
    }
}
