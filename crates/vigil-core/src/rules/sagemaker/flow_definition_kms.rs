//! `sagemaker-flow-definition-kms`: the results of human reviews are
//! encrypted with a key the customer manages.

use crate::model::{FlowDefinition, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "sagemaker-flow-definition-kms",
    aliases: &[],
    title: "Encrypt SageMaker Augmented AI Review Results with a Customer-Managed KMS Key",
    fails_when: "a human-review flow definition has no `OutputConfig.KmsKeyId`, or names an AWS managed key",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::FlowDefinition,
    property: FlowDefinition::OUTPUT_KMS_KEY_ID,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &[],
        checkov: &["CKV_AWS_372"],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::FlowDefinition(flow) = resource else {
        return None;
    };
    let name = &flow.identity.name;
    Some(key_verdict(
        &flow.identity.keys,
        &flow.output_kms_key_id,
        Storage {
            subject: &format!("Flow definition {name}"),
            subject_lower: &format!("flow definition {name}"),
            held: "the review results it writes to S3",
            held_is: "the review results it writes to S3 are",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Augmented AI flow definition (the human-review \
workflow that sends low-confidence predictions to reviewers) names a KMS \
key of your own for the review results it writes to S3 \
(`OutputConfig.KmsKeyId`). A definition without one, or one naming an AWS \
managed key (`alias/aws/…`), fails.",
    why: "\
Review results hold the very inputs a model was unsure about (documents, \
images, transcripts sent to human reviewers) together with the reviewers' \
answers: often personal data, and often the hardest cases a team has. \
Without a key of your own they are encrypted with a key AWS manages, which \
you cannot restrict, audit apart or revoke.

Risk level Medium: the data is encrypted either way; what is missing is \
control over the key.",
    audit_console: "\
1. Open **Augmented AI > Human review workflows** in the SageMaker console.
2. For each workflow, *Output configuration* must show a KMS key of yours.
3. Repeat in every region.",
    audit_cli: "\
```sh
for f in $(aws sagemaker list-flow-definitions --query 'FlowDefinitionSummaries[].FlowDefinitionName' --output text); do
  aws sagemaker describe-flow-definition --flow-definition-name \"$f\" --output text \\
    --query '[FlowDefinitionName, OutputConfig.KmsKeyId]'
done
```

`None`, or an `alias/aws/…` key, fails.",
    remediate_console: "\
Flow definitions cannot be changed. Create a new human review workflow with \
the same settings and an encryption key under *Output*, point the code that \
starts human loops at it, then delete the old one.",
    remediate_cli: "\
Copy the definition with a key, then delete the old one:

```sh
KEY=$(aws kms create-key --description \"Augmented AI output\" --query KeyMetadata.Arn --output text)
aws sagemaker describe-flow-definition --flow-definition-name invoices \\
  | jq --arg key \"$KEY\" '{HumanLoopRequestSource, HumanLoopActivationConfig, HumanLoopConfig, OutputConfig, RoleArn}
        | with_entries(select(.value != null))
        | .FlowDefinitionName = \"invoices-kms\" | .OutputConfig.KmsKeyId = $key' > invoices-kms.json
aws sagemaker create-flow-definition --cli-input-json file://invoices-kms.json
aws sagemaker delete-flow-definition --flow-definition-name invoices
```

Start new human loops with `invoices-kms`. The flow definition's role \
needs `kms:GenerateDataKey` and `kms:Decrypt` on the key.",
    remediate_cloudformation: "\
CloudFormation has no flow definition resource; create it with the CLI or \
Terraform.",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_flow_definition\" \"invoices\" {
  flow_definition_name = \"invoices-kms\"
  role_arn             = aws_iam_role.a2i.arn

  human_loop_config {
    human_task_ui_arn                     = aws_sagemaker_human_task_ui.invoices.arn
    task_availability_lifetime_in_seconds = 3600
    task_count                            = 1
    task_description                      = \"Check the extracted invoice fields\"
    task_title                            = \"Invoice review\"
    workteam_arn                          = aws_sagemaker_workteam.reviewers.arn
  }

  output_config {
    s3_output_path = \"s3://acme-a2i/invoices/\"
    kms_key_id     = aws_kms_key.a2i.arn
  }
}
```",
    references: &[
        (
            "SageMaker API: FlowDefinitionOutputConfig",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_FlowDefinitionOutputConfig.html",
        ),
        (
            "Amazon Augmented AI: create a human review workflow",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/a2i-create-flow-definition.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::Identity;

    fn status(key: Option<&str>) -> &'static str {
        let flow = FlowDefinition {
            identity: Identity::declared("invoices".into()),
            output_kms_key_id: Fact::Known(key.map(str::to_owned)),
        };
        check(&crate::rules::kms::as_customer_keys(Resource::FlowDefinition(flow))).unwrap().status.as_str()
    }

    #[test]
    fn a_customer_managed_output_key_is_needed() {
        assert_eq!(status(Some("arn:aws:kms:eu-west-1:123456789012:key/k")), "pass");
        assert_eq!(status(Some("alias/aws/s3")), "fail");
        assert_eq!(status(None), "fail");
    }
}
