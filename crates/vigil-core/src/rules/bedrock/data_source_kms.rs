//! `bedrock-data-source-kms`: knowledge-base data sources encrypt what they
//! ingest with a KMS key of the customer's.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "bedrock-data-source-kms",
    aliases: &[],
    title: "Encrypt Amazon Bedrock Knowledge Base Data Sources with a Customer-Managed KMS Key",
    fails_when: "a knowledge-base data source has no `ServerSideEncryptionConfiguration.KmsKeyArn`, or names an AWS managed key",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::KnowledgeBaseDataSource,
    property: crate::model::KnowledgeBaseDataSource::KMS_KEY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["Bedrock.1"],
        aws_config: &["bedrock-data-source-encryption-enabled"],
        prowler: &["bedrock_knowledge_base_encrypted_with_cmk"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::KnowledgeBaseDataSource(source) = resource else {
        return None;
    };
    let name = &source.identity.name;
    Some(key_verdict(
        &source.identity.keys,
        &source.kms_key_arn,
        Storage {
            subject: &format!("Data source {name}"),
            subject_lower: &format!("data source {name}"),
            held: "the documents it ingests while they are processed",
            held_is: "the documents it ingests are",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each data source of an Amazon Bedrock knowledge base names a \
KMS key of your own (`ServerSideEncryptionConfiguration.KmsKeyArn`). A data \
source without one, or naming an AWS managed key, fails; a key KMS says is \
disabled or pending deletion fails too.",
    why: "\
A data source is where a knowledge base reads your documents from (S3, \
Confluence, SharePoint, web crawls). While it ingests them, Bedrock keeps \
transient copies of the documents and their chunks; without a key of your \
own they are encrypted with a key AWS owns, which you cannot restrict with \
a key policy, audit apart in CloudTrail, or revoke. Knowledge bases are \
usually fed the documents a team considers most useful, which are often \
the most sensitive.

Risk level Medium: the data is encrypted either way; what is missing is \
control over who can decrypt it.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Knowledge Bases**.
2. Open each knowledge base, then each data source; under *Advanced \
settings*, the KMS key must be one of yours.
3. Repeat in every region.",
    audit_cli: "\
```sh
for kb in $(aws bedrock-agent list-knowledge-bases --query 'knowledgeBaseSummaries[].knowledgeBaseId' --output text); do
  for ds in $(aws bedrock-agent list-data-sources --knowledge-base-id \"$kb\" --query 'dataSourceSummaries[].dataSourceId' --output text); do
    aws bedrock-agent get-data-source --knowledge-base-id \"$kb\" --data-source-id \"$ds\" \\
      --query 'dataSource.[name, serverSideEncryptionConfiguration.kmsKeyArn]' --output text
  done
done
```

`None` fails.",
    remediate_console: "\
Open the data source, choose **Edit**, choose a customer managed KMS key \
under *Advanced settings*, and save. The knowledge base's service role \
needs `kms:Decrypt` and `kms:GenerateDataKey` on the key.",
    remediate_cli: "\
`update-data-source` takes the name and configuration again, so carry them \
over and set the key:

```sh
KEY=$(aws kms create-key --description \"Bedrock data source\" --query KeyMetadata.Arn --output text)
kb=$(aws bedrock-agent list-knowledge-bases --query \"knowledgeBaseSummaries[?name=='manuals'].knowledgeBaseId | [0]\" --output text)
ds=$(aws bedrock-agent list-data-sources --knowledge-base-id \"$kb\" --query \"dataSourceSummaries[?name=='manuals-s3'].dataSourceId | [0]\" --output text)
aws bedrock-agent get-data-source --knowledge-base-id \"$kb\" --data-source-id \"$ds\" \\
  | jq --arg key \"$KEY\" '.dataSource | {knowledgeBaseId, dataSourceId, name, description, dataSourceConfiguration,
        dataDeletionPolicy, vectorIngestionConfiguration}
      | with_entries(select(.value != null))
      | .serverSideEncryptionConfiguration = {kmsKeyArn: $key}' > data-source.json
aws bedrock-agent update-data-source --cli-input-json file://data-source.json
```",
    remediate_cloudformation: "\
```yaml
ManualsSource:
  Type: AWS::Bedrock::DataSource
  Properties:
    KnowledgeBaseId: !Ref ManualsKnowledgeBase
    Name: manuals-s3
    DataSourceConfiguration:
      Type: S3
      S3Configuration:
        BucketArn: !GetAtt ManualsBucket.Arn
    ServerSideEncryptionConfiguration:
      KmsKeyArn: !GetAtt KnowledgeKey.Arn
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagent_data_source\" \"manuals\" {
  knowledge_base_id = aws_bedrockagent_knowledge_base.manuals.id
  name              = \"manuals-s3\"
  data_source_configuration {
    type = \"S3\"
    s3_configuration {
      bucket_arn = aws_s3_bucket.manuals.arn
    }
  }
  server_side_encryption_configuration {
    kms_key_arn = aws_kms_key.knowledge.arn
  }
}
```",
    references: &[
        (
            "Amazon Bedrock: encryption of knowledge base resources",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html",
        ),
        (
            "AWS Security Hub: Bedrock.1",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/bedrock-controls.html#bedrock-1",
        ),
        (
            "AWS Config: bedrock-data-source-encryption-enabled",
            "https://docs.aws.amazon.com/config/latest/developerguide/bedrock-data-source-encryption-enabled.html",
        ),
    ],
};
