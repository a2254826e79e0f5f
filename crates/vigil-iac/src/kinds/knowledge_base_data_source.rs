//! `AWS::Bedrock::DataSource` and `aws_bedrockagent_data_source`.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{Identity, KnowledgeBaseDataSource};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::KnowledgeBaseDataSource,
    cloudformation: &[CfnType::named("AWS::Bedrock::DataSource")],
    terraform: &[TfType {
        name: "aws_bedrockagent_data_source",
        reported_as: "AWS::Bedrock::DataSource",
    }],
    properties: &[KnowledgeBaseDataSource::KMS_KEY],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::KnowledgeBaseDataSource(KnowledgeBaseDataSource {
        identity: Identity::declared(declared.name(&KnowledgeBaseDataSource::NAME)),
        // A key chosen at deployment (a reference, a parameter) is still a key.
        kms_key_arn: Fact::Known(declared.key(&KnowledgeBaseDataSource::KMS_KEY)),
    })
}
