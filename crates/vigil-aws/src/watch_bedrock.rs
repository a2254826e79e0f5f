//! The Bedrock AgentCore or knowledge-base resource a `vigil watch` event
//! names, described in its account as the audit describes it (the
//! collectors' `KindReads` and `describe`), or gone, or unreadable with why.

use crate::calls::CallCounter;
use crate::watch::Described;
use vigil_core::{Identity, Resource};

/// A Bedrock AgentCore resource, by the id an event names.
pub(crate) async fn agentcore(
    reads: &crate::agentcore::KindReads,
    config: &aws_config::SdkConfig,
    (account, region): (&str, &str),
    id: &str,
    counter: &CallCounter,
) -> Described {
    match crate::agentcore::describe(reads, config, region, id, counter).await {
        Ok(answer) => Described::Found((reads.read)(id.to_owned(), None, &answer)),
        Err(refused) if crate::rest::is_gone(&refused) => {
            Described::Gone(format!("{} {id} no longer exists", reads.get_operation))
        }
        Err(refused) => {
            let identity = Identity {
                name: id.to_owned(),
                account: Some(account.to_owned()),
                region: Some(region.to_owned()),
                ..Identity::default()
            };
            let why = crate::rest::reason(reads.get_operation, &refused);
            Described::Found((reads.unreadable)(identity, &why))
        }
    }
}

/// A knowledge-base data source, named `<knowledge base id>/<data source
/// id>` by its event.
pub(crate) async fn data_source(
    config: &aws_config::SdkConfig,
    (account, region): (&str, &str),
    ids: &str,
    counter: &CallCounter,
) -> Described {
    use crate::collect::knowledge_base_data_sources::{describe, from_answer, placed, GET};
    let (base, source) = ids.split_once('/').unwrap_or((ids, ""));
    match describe(config, region, (base, source), counter).await {
        Ok(answer) => Described::Found(Resource::KnowledgeBaseDataSource(from_answer(
            &answer,
            (Some(account), region),
        ))),
        Err(refused) if crate::rest::is_gone(&refused) => Described::Gone(format!("{GET} {ids} no longer exists")),
        Err(refused) => {
            let why = crate::rest::reason(GET, &refused);
            let identity = placed(ids.to_owned(), (Some(account), region));
            Described::Found(Resource::KnowledgeBaseDataSource(
                vigil_core::KnowledgeBaseDataSource::unreadable(identity, &why),
            ))
        }
    }
}
