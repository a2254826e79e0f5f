//! The Bedrock AgentCore, agent or knowledge-base resource a `vigil watch` event
//! names, described in its account as the audit describes it (the
//! collectors' `KindReads`, `describe` and `read_or_unreadable`), or gone.

use crate::calls::CallCounter;
use crate::watch::Described;
use vigil_core::ResourceKind;

/// Whether `kind` is read through Bedrock's REST-JSON APIs, here.
pub(crate) fn reads(kind: ResourceKind) -> bool {
    matches!(
        kind,
        ResourceKind::KnowledgeBaseDataSource | ResourceKind::InvocationLogging
    ) || crate::collect::rest_reads(kind).is_some()
}

/// The resource of `kind` (one [`reads`] answers for) that an event names:
/// an AgentCore resource or a Bedrock agent by its id, a knowledge-base data source by
/// `<knowledge base id>/<data source id>`, a region's invocation logging
/// by the region it is in.
pub(crate) async fn describe(
    kind: ResourceKind,
    config: &aws_config::SdkConfig,
    place: (&str, &str),
    id: &str,
    counter: &CallCounter,
) -> Described {
    let region = place.1;
    if kind == ResourceKind::InvocationLogging {
        use crate::collect::invocation_logging::{describe, read};
        let answer = describe(config, region, counter).await;
        return Described::Found(vigil_core::Resource::InvocationLogging(
            read(config, answer, place, counter, &Default::default()).await,
        ));
    }
    if let Some(reads) = crate::collect::rest_reads(kind) {
        return match crate::rest_kinds::describe(reads, config, region, id, counter).await {
            Err(refused) if crate::rest::is_gone(&refused) => {
                Described::Gone(format!("{} {id} no longer exists", reads.get_operation))
            }
            described => Described::Found(crate::rest_kinds::read_or_unreadable(
                reads,
                described,
                (id.to_owned(), None),
                place,
            )),
        };
    }
    use crate::collect::knowledge_base_data_sources::{describe, read_or_unreadable, GET};
    let (base, source) = id.split_once('/').unwrap_or((id, ""));
    match describe(config, region, (base, source), counter).await {
        Err(refused) if crate::rest::is_gone(&refused) => Described::Gone(format!("{GET} {id} no longer exists")),
        described => Described::Found(read_or_unreadable(described, id.to_owned(), place)),
    }
}
