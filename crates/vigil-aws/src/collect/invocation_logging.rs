//! Amazon Bedrock's model invocation logging of a region
//! (`GetModelInvocationLoggingConfiguration`, REST-JSON) and, where it is
//! off, whether the region invokes models at all: CloudWatch's
//! `ListMetrics` for the `AWS/Bedrock` namespace (a signed Query call), one
//! page. A region that invoked nothing gets a note, not a failure.

use crate::bedrock::CONTROL;
use crate::calls::CallCounter;
use crate::query::{self, regional, Refused, Service};
use crate::rest::{self, reason, Found};
use aws_config::SdkConfig;
use aws_types::region::Region;
use serde_json::Value;
use vigil_core::{Fact, Identity, InvocationLogging, LogDestination, LoggingDestinations, Resource};

const CLOUDWATCH: Service = Service {
    name: "monitoring",
    id: "CloudWatch",
    endpoint: |region, fips, dual_stack| regional("monitoring", region, fips, dual_stack),
};

pub(crate) const GET: &str = "bedrock:GetModelInvocationLoggingConfiguration";
const LIST_METRICS: &str = "cloudwatch:ListMetrics";

/// Whether a region invokes models, asked of CloudWatch at most once per
/// (account, region) of an audit: the logging and VPC rules both need it.
#[derive(Clone, Default)]
pub(crate) struct Invoked(std::sync::Arc<tokio::sync::OnceCell<Fact<bool>>>);

impl Invoked {
    pub(crate) async fn get(&self, config: &SdkConfig, region: &str, counter: &CallCounter) -> Fact<bool> {
        self.0.get_or_init(|| invoked(config, region, counter)).await.clone()
    }
}

/// The region's logging, with the note for a region that invokes no model
/// or where Bedrock is not offered.
pub(crate) async fn collect(
    config: &SdkConfig,
    (account, region): (&str, &str),
    counter: &CallCounter,
    asked: &Invoked,
) -> Found {
    let answer = describe(config, region, counter).await;
    if let Err(refused) = &answer {
        if rest::not_offered(CONTROL.offered, region, refused) {
            return Found::unlisted((CONTROL.offered, region), GET, refused, || {
                (CONTROL.not_offered)(region)
            });
        }
    }
    let logging = read(config, answer, (account, region), counter, asked).await;
    let note = match (&logging.destinations, &logging.in_use) {
        (Fact::Known(None), Fact::Known(false)) => Some(format!(
            "Amazon Bedrock invoked no model in {region} in the last two weeks (CloudWatch lists no AWS/Bedrock metric there): its model invocation logging is not judged there"
        )),
        _ => None,
    };
    Found {
        resources: vec![Resource::InvocationLogging(logging)],
        error: None,
        note,
    }
}

/// The region's logging from its `GetModelInvocationLoggingConfiguration`
/// answer; where logging is off, whether models are invoked there. The
/// audit and `vigil watch` both read through it.
pub(crate) async fn read(
    config: &SdkConfig,
    answer: Result<Value, Refused>,
    (account, region): (&str, &str),
    counter: &CallCounter,
    asked: &Invoked,
) -> InvocationLogging {
    let destinations = match answer {
        Ok(answer) => Fact::Known(destinations(&answer)),
        Err(refused) => Fact::Unknown(reason(GET, &refused)),
    };
    let in_use = match destinations {
        Fact::Known(None) => asked.get(config, region, counter).await,
        // Not asked: the verdict needs it only where logging is off.
        _ => Fact::unknown("not asked: logging is on, or could not be read"),
    };
    InvocationLogging {
        identity: Identity::from_arn(
            InvocationLogging::NAME.to_owned(),
            Some(InvocationLogging::arn(region, account)),
        ),
        destinations,
        in_use,
    }
}

/// `GetModelInvocationLoggingConfiguration` of `region`.
pub(crate) async fn describe(config: &SdkConfig, region: &str, counter: &CallCounter) -> Result<Value, Refused> {
    rest::call(
        config,
        (&CONTROL.service, region),
        ("GET", "/logging/modelinvocations", ""),
        counter,
        GET,
    )
    .await
}

/// Where the answer says invocations are logged; `None` when it has no
/// configuration (AWS leaves `loggingConfig` out; an empty one is none too).
fn destinations(answer: &Value) -> Option<LoggingDestinations> {
    let config = answer
        .get("loggingConfig")
        .filter(|c| c.as_object().is_some_and(|o| !o.is_empty()))?;
    let named = |value: &Value| {
        let name = value.as_str().filter(|t| !t.is_empty());
        name.map(|name| LogDestination::named(name.to_owned()))
    };
    Some(LoggingDestinations {
        text: config["textDataDeliveryEnabled"].as_bool(),
        s3_bucket: named(&config["s3Config"]["bucketName"]),
        log_group: named(&config["cloudWatchConfig"]["logGroupName"]),
    })
}

/// Whether CloudWatch lists any `AWS/Bedrock` metric in `region`.
async fn invoked(config: &SdkConfig, region: &str, counter: &CallCounter) -> Fact<bool> {
    let regional = config.to_builder().region(Region::new(region.to_owned())).build();
    let body = "Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FBedrock";
    match query::call(&regional, &CLOUDWATCH, body, counter, LIST_METRICS).await {
        Ok(xml) => match query::texts(&xml, "MetricName") {
            Ok(names) => Fact::Known(!names.is_empty()),
            Err(why) => Fact::Unknown(format!("{LIST_METRICS} answered what cannot be read: {why}")),
        },
        Err(refused) => Fact::Unknown(reason(LIST_METRICS, &refused)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absent_or_empty_configuration_is_off_and_a_present_one_names_its_destinations() {
        assert_eq!(destinations(&serde_json::json!({})), None);
        assert_eq!(destinations(&serde_json::json!({"loggingConfig": {}})), None);
        let on = serde_json::json!({"loggingConfig": {
            "textDataDeliveryEnabled": true,
            "s3Config": {"bucketName": "acme-bedrock-logs", "keyPrefix": "invocations"},
            "cloudWatchConfig": {"logGroupName": "/bedrock/invocations", "roleArn": "arn:aws:iam::123456789012:role/b"}
        }});
        assert_eq!(
            destinations(&on),
            Some(LoggingDestinations {
                text: Some(true),
                s3_bucket: Some(LogDestination::named("acme-bedrock-logs".into())),
                log_group: Some(LogDestination::named("/bedrock/invocations".into())),
            })
        );
    }
}
