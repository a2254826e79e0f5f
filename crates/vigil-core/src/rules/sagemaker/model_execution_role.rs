//! `sagemaker-model-execution-role-exists`: the IAM role a model runs as
//! still exists. Only an audit can tell: templates are not judged.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, Rule, Verdict};
use crate::rules::sagemaker::roles::{RoleRule, role_verdict};

pub static RULE: Rule = RoleRule {
    id: "sagemaker-model-execution-role-exists",
    title: "Keep the Execution Role of Every SageMaker Model",
    fails_when: "the IAM role a model names as its `ExecutionRoleArn` no longer exists",
    risk: RiskLevel::Medium,
    resource_kind: ResourceKind::SageMakerModel,
    article: ARTICLE,
    check,
}
.rule();

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::SageMakerModel(model) = resource else {
        return None;
    };
    let subject = format!("Model {}", model.identity.name);
    Some(role_verdict(
        &subject,
        &model.execution_role_arn,
        &model.execution_role_exists,
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that the IAM role each SageMaker model names as its \
`ExecutionRoleArn` still exists (one `iam:GetRole` per distinct role). \
Deleting a role does not touch the models that use it, so they go on \
looking healthy. Only the account can tell: templates are not judged by \
this rule; `vigil watch` looks the role of the model an event names up. A role in another account \
than the model's is not this account's to read, so the verdict is unknown.",
    why: "\
SageMaker assumes the execution role whenever it starts an instance for the \
model: to pull the image from ECR, read the model artefacts from S3 and \
decrypt them. With the role gone, scaling an endpoint out, replacing an \
unhealthy instance or updating the endpoint fails, usually during the \
incident that needed the capacity. And a role created again later under the \
same name, by anyone allowed to create roles, is trusted by the model again: \
whatever that new role can reach, the model's containers can.

Risk level Medium: the model still serves from its running instances, but \
it cannot recover, and its identity is up for grabs.",
    audit_console: "\
1. Open **Inference > Models** in the SageMaker console and, for each \
model, note its IAM role.
2. Open the role in the IAM console: *NoSuchEntity* (the role cannot be \
found) fails.",
    audit_cli: "\
```sh
for m in $(aws sagemaker list-models --query 'Models[].ModelName' --output text); do
  role=$(aws sagemaker describe-model --model-name \"$m\" --query ExecutionRoleArn --output text)
  aws iam get-role --role-name \"${role##*/}\" > /dev/null 2>&1 || echo \"$m $role missing\"
done
```",
    remediate_console: "\
Create the role again with the permissions the model needs (ECR pull, S3 \
read of its artefacts, KMS decrypt) and a trust policy for \
`sagemaker.amazonaws.com`, or create a new model that names an existing \
role and move its endpoints to it.",
    remediate_cli: "\
Create the role again under the same name, trusted by SageMaker only, with \
what the model reads:

```sh
cat > trust.json <<'EOF'
{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\",
  \"Principal\": {\"Service\": \"sagemaker.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}
EOF
cat > artefacts.json <<'EOF'
{\"Version\": \"2012-10-17\", \"Statement\": [
  {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::acme-models/fraud/*\"},
  {\"Effect\": \"Allow\", \"Action\": [\"ecr:GetAuthorizationToken\", \"ecr:BatchGetImage\",
    \"ecr:GetDownloadUrlForLayer\"], \"Resource\": \"*\"}]}
EOF
aws iam create-role --role-name fraud-model --assume-role-policy-document file://trust.json
aws iam put-role-policy --role-name fraud-model --policy-name artefacts --policy-document file://artefacts.json
```

Add `kms:Decrypt` on the artefacts' key if they are encrypted with one.",
    remediate_cloudformation: "\
Declare the role in the same stack as the model and reference it, so the \
role cannot be deleted while the model stands:

```yaml
FraudModelRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - { Effect: Allow, Principal: { Service: sagemaker.amazonaws.com }, Action: sts:AssumeRole }
    ManagedPolicyArns: [!Ref FraudModelArtefacts]
FraudModel:
  Type: AWS::SageMaker::Model
  Properties:
    ExecutionRoleArn: !GetAtt FraudModelRole.Arn
    # PrimaryContainer, EnableNetworkIsolation …
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_model\" \"fraud\" {
  execution_role_arn = aws_iam_role.fraud_model.arn
  # primary_container, enable_network_isolation …
}
```

Referencing the role resource makes Terraform keep the two together.",
    references: &[
        (
            "SageMaker: how to use SageMaker execution roles",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html",
        ),
        (
            "IAM API: GetRole",
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::{Identity, SageMakerModel};

    fn status(exists: Fact<bool>) -> &'static str {
        let mut model = SageMakerModel::unreadable(Identity::declared("fraud".into()), "unused");
        model.execution_role_arn = Fact::Known(Some("arn:aws:iam::123456789012:role/fraud-model".into()));
        model.execution_role_exists = exists;
        check(&Resource::SageMakerModel(model)).unwrap().status.as_str()
    }

    #[test]
    fn a_missing_role_fails_and_an_unread_one_is_unknown() {
        assert_eq!(status(Fact::Known(true)), "pass");
        assert_eq!(status(Fact::Known(false)), "fail");
        assert_eq!(status(Fact::unknown(SageMakerModel::ROLE_NOT_LOOKED_UP)), "unknown");
    }

    #[test]
    fn the_rule_is_live_only() {
        assert!(RULE.property.is_live_only());
    }
}
