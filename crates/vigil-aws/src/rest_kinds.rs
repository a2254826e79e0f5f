//! A kind read through a REST-JSON control plane (AgentCore, Bedrock
//! Agents): its listing, then one description per resource, concurrently
//! under the run's bounds. Each collector declares its [`KindReads`]; the
//! audit and `vigil watch` read through the functions here.

use crate::calls::CallCounter;
use crate::collect::{describe_each, Limits};
use crate::iam::form_encoded;
use crate::progress::Progress;
use crate::query::{Refused, Service};
use crate::rest::{self, reason, Found, Listing};
use aws_config::SdkConfig;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use serde_json::Value;
use std::sync::Arc;
use std::time::SystemTime;
use vigil_core::{Identity, Resource, ResourceKind};

/// A REST-JSON control plane: its endpoint, the regions AWS lists it in,
/// and the note for a region where it is not offered (once per region,
/// however many of its kinds were chosen: notes are deduplicated).
pub(crate) struct Plane {
    pub service: Service,
    pub offered: &'static [&'static str],
    pub not_offered: fn(&str) -> String,
}

/// How one kind is listed and read: its collector declares it.
pub(crate) struct KindReads {
    pub kind: ResourceKind,
    pub plane: &'static Plane,
    pub listing: Listing<'static>,
    pub list_operation: &'static str,
    pub get_operation: &'static str,
    /// The path that describes one resource, from its id.
    pub get_path: fn(&str) -> String,
    /// (id, name, ARN) of a listed item; a kind whose listing carries no
    /// name is named by its id until described.
    pub summary: fn(&Value) -> (String, String, Option<String>),
    /// The resource a description gives, from its listed name and ARN.
    pub read: fn(String, Option<String>, &Value) -> Resource,
    /// The resource whose description failed, for this reason.
    pub unreadable: fn(Identity, &str) -> Resource,
    /// A job kind's audit window; `None` for a kind whose every resource
    /// counts.
    pub window: Option<Window>,
}

/// How a job kind's listing is kept to the audit window: the query
/// parameter that asks the service for jobs since a time, and the
/// summary's timestamp, which keeps the window exact on a service that
/// ignores the parameter.
pub(crate) struct Window {
    pub after: &'static str,
    pub field: &'static str,
}

/// Every resource of a kind in `region` (of a job kind, those since
/// `since`): the listing, then one description each. A region where the
/// plane is not offered gives its note.
pub(crate) async fn collect(
    reads: &'static KindReads,
    config: &SdkConfig,
    (account, region): (&str, &str),
    counter: &CallCounter,
    (limits, progress, since): (&Limits, &Arc<dyn Progress>, SystemTime),
) -> Found {
    let plane = reads.plane;
    let since = DateTime::from(since);
    let path = match &reads.window {
        Some(window) => {
            let after = since.fmt(Format::DateTime).unwrap_or_default();
            format!("{}?{}={}", reads.listing.path, window.after, form_encoded(&after))
        }
        None => reads.listing.path.to_owned(),
    };
    let listing = Listing {
        path: &path,
        ..reads.listing
    };
    let listed = match rest::list(
        config,
        (&plane.service, region),
        &listing,
        counter,
        reads.list_operation,
    )
    .await
    {
        Ok(listed) => listed,
        Err(refused) => {
            let place = (plane.offered, region);
            return Found::unlisted(place, reads.list_operation, &refused, || (plane.not_offered)(region));
        }
    };
    let in_window = |item: &&Value| match &reads.window {
        // A time that is missing or unreadable keeps the job: judged, not dropped.
        Some(window) => item[window.field]
            .as_str()
            .and_then(|t| DateTime::from_str(t, Format::DateTime).ok())
            .is_none_or(|t| t >= since),
        None => true,
    };
    let summaries: Vec<(String, String, Option<String>)> = listed.iter().filter(in_window).map(reads.summary).collect();
    let resources = describe_each(summaries, limits, progress, |(id, name, arn)| {
        let (config, region, counter) = (config.clone(), region.to_owned(), counter.clone());
        let account = account.to_owned();
        async move {
            let described = describe(reads, &config, &region, &id, &counter).await;
            read_or_unreadable(reads, described, (name, arn), (&account, &region))
        }
    })
    .await;
    Found {
        resources,
        error: None,
        note: None,
    }
}

/// The resource a description answered, or the one it could not read,
/// placed where it was listed or named (not every listing gives an ARN).
pub(crate) fn read_or_unreadable(
    reads: &KindReads,
    described: Result<Value, Refused>,
    (name, arn): (String, Option<String>),
    (account, region): (&str, &str),
) -> Resource {
    match described {
        Ok(answer) => crate::collect::settings::read_from((reads.read)(name, arn, &answer), &answer),
        Err(refused) => {
            let mut identity = Identity::from_arn(name, arn);
            identity.account.get_or_insert_with(|| account.to_owned());
            identity.region.get_or_insert_with(|| region.to_owned());
            (reads.unreadable)(identity, &reason(reads.get_operation, &refused))
        }
    }
}

/// The description of the resource with this id.
pub(crate) async fn describe(
    reads: &KindReads,
    config: &SdkConfig,
    region: &str,
    id: &str,
    counter: &CallCounter,
) -> Result<Value, Refused> {
    let path = (reads.get_path)(id);
    rest::call(
        config,
        (&reads.plane.service, region),
        ("GET", &path, ""),
        counter,
        reads.get_operation,
    )
    .await
}
