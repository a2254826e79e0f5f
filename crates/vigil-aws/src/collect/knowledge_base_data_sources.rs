//! Amazon Bedrock knowledge-base data sources: every `ListKnowledgeBases`
//! page, every `ListDataSources` page of each knowledge base, then one
//! `GetDataSource` per data source, as signed REST-JSON calls to Bedrock
//! Agents (no SDK crate for three reads). A region where knowledge bases
//! are not offered gives a note; a knowledge base whose data sources
//! cannot be listed is an error, and the others are still judged.

use super::{describe_each, Limits};
use crate::bedrock::AGENTS;
use crate::calls::CallCounter;
use crate::progress::Progress;
use crate::query::Refused;
use crate::rest::{self, reason, Found, Listing, Paging};
use aws_config::SdkConfig;
use serde_json::Value;
use std::sync::Arc;
use vigil_core::report::ErrorScope;
use vigil_core::{Fact, Identity, KnowledgeBaseDataSource, Resource, RunError};

const LIST_KNOWLEDGE_BASES: &str = "bedrock:ListKnowledgeBases";
const LIST_DATA_SOURCES: &str = "bedrock:ListDataSources";
pub(crate) const GET: &str = "bedrock:GetDataSource";

pub async fn collect(
    config: &SdkConfig,
    (account, region): (&str, &str),
    counter: &CallCounter,
    (limits, progress): (&Limits, &Arc<dyn Progress>),
) -> Found {
    let error = |operation: &str, message: String| {
        RunError::in_region(
            ErrorScope::Region,
            Some(region.to_owned()),
            Some(operation.into()),
            message,
        )
    };
    let bases = Listing {
        method: "POST",
        path: "/knowledgebases/",
        field: "knowledgeBaseSummaries",
        paging: Paging::Body,
    };
    let bases = match rest::list(config, (&AGENTS.service, region), &bases, counter, LIST_KNOWLEDGE_BASES).await {
        Ok(bases) => bases,
        Err(refused) => {
            return Found::unlisted((AGENTS.offered, region), LIST_KNOWLEDGE_BASES, &refused, || {
                (AGENTS.not_offered)(region)
            })
        }
    };
    // (knowledge base id, data source id, data source name)
    let mut listed: Vec<(String, String, String)> = Vec::new();
    let mut failed = None;
    for base in &bases {
        let id = base["knowledgeBaseId"].as_str().unwrap_or_default();
        let path = format!("/knowledgebases/{id}/datasources/");
        let sources = Listing {
            method: "POST",
            path: &path,
            field: "dataSourceSummaries",
            paging: Paging::Body,
        };
        match rest::list(config, (&AGENTS.service, region), &sources, counter, LIST_DATA_SOURCES).await {
            Ok(sources) => listed.extend(sources.iter().map(|s| {
                let text = |field: &str| s[field].as_str().unwrap_or_default().to_owned();
                (id.to_owned(), text("dataSourceId"), text("name"))
            })),
            Err(refused) => {
                let why = reason(LIST_DATA_SOURCES, &refused);
                failed = Some(error(LIST_DATA_SOURCES, format!("knowledge base {id}: {why}")));
            }
        }
    }
    let resources = describe_each(listed, limits, progress, |(base, source, name)| {
        let (config, counter) = (config.clone(), counter.clone());
        let (account, region) = (account.to_owned(), region.to_owned());
        async move {
            let described = describe(&config, &region, (&base, &source), &counter).await;
            // Named as a description would name it: by the listed name.
            read_or_unreadable(described, format!("{base}/{name}"), (&account, &region))
        }
    })
    .await;
    Found {
        resources,
        error: failed,
        note: None,
    }
}

/// `GetDataSource` of data source `source` of knowledge base `base`.
pub(crate) async fn describe(
    config: &SdkConfig,
    region: &str,
    (base, source): (&str, &str),
    counter: &CallCounter,
) -> Result<Value, Refused> {
    let path = format!("/knowledgebases/{base}/datasources/{source}");
    rest::call(config, (&AGENTS.service, region), ("GET", &path, ""), counter, GET).await
}

/// The data source a `GetDataSource` answered, or the one it could not
/// read, named `name`; the audit and `vigil watch` both read through it.
pub(crate) fn read_or_unreadable(
    described: Result<Value, Refused>,
    name: String,
    (account, region): (&str, &str),
) -> Resource {
    match described {
        Ok(answer) => crate::collect::settings::read_from(
            Resource::KnowledgeBaseDataSource(from_answer(&answer, (Some(account), region))),
            &answer,
        ),
        Err(refused) => Resource::KnowledgeBaseDataSource(KnowledgeBaseDataSource::unreadable(
            placed(name, (Some(account), region)),
            &reason(GET, &refused),
        )),
    }
}

/// Maps a `GetDataSource` answer, placed where it was read.
fn from_answer(answer: &Value, place: (Option<&str>, &str)) -> KnowledgeBaseDataSource {
    let source = &answer["dataSource"];
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let name = format!("{}/{}", text(&source["knowledgeBaseId"]), text(&source["name"]));
    KnowledgeBaseDataSource {
        identity: placed(name, place),
        kms_key_arn: Fact::Known(
            source["serverSideEncryptionConfiguration"]["kmsKeyArn"]
                .as_str()
                .filter(|k| !k.is_empty())
                .map(str::to_owned),
        ),
    }
}

/// An identity in `region` (and `account`, when known): a data source has
/// no ARN to place it.
fn placed(name: String, (account, region): (Option<&str>, &str)) -> Identity {
    Identity {
        name,
        account: account.map(str::to_owned),
        region: Some(region.to_owned()),
        ..Identity::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_names_the_source_within_its_knowledge_base_and_gives_its_key() {
        let answer = serde_json::json!({"dataSource": {
            "knowledgeBaseId": "KB12345678", "dataSourceId": "DS87654321", "name": "manuals-s3",
            "serverSideEncryptionConfiguration": {"kmsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/k"}
        }});
        let source = from_answer(&answer, (Some("123456789012"), "eu-west-1"));
        assert_eq!(source.identity.name, "KB12345678/manuals-s3");
        assert_eq!(source.identity.region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            source.kms_key_arn,
            Fact::Known(Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()))
        );
        let bare = from_answer(
            &serde_json::json!({"dataSource": {"knowledgeBaseId": "KB", "name": "n"}}),
            (None, "eu-west-1"),
        );
        assert_eq!(bare.kms_key_arn, Fact::Known(None));
    }
}
