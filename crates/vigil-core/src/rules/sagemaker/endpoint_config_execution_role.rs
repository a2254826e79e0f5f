//! `sagemaker-endpoint-config-execution-role-exists`: the IAM role an
//! endpoint configuration names (for its inference components) still
//! exists. Only an audit can tell.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, Rule, Verdict};
use crate::rules::sagemaker::roles::{RoleRule, role_verdict};

pub static RULE: Rule = RoleRule {
    id: "sagemaker-endpoint-config-execution-role-exists",
    title: "Keep the Execution Role of SageMaker Endpoint Configurations",
    fails_when: "the IAM role an endpoint configuration names as its `ExecutionRoleArn` no longer exists",
    risk: RiskLevel::Medium,
    resource_kind: ResourceKind::EndpointConfig,
    article: ARTICLE,
    check,
}
.rule();

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::EndpointConfig(config) = resource else {
        return None;
    };
    let name = &config.identity.name;
    if config.role_arn == Fact::Known(None) {
        return Some(Verdict {
            status: Status::Pass,
            message: format!(
                "Endpoint configuration {name} names no role of its own: its models' roles are judged by sagemaker-model-execution-role-exists."
            ),
        });
    }
    let subject = format!("Endpoint configuration {name}");
    Some(role_verdict(&subject, &config.role_arn, &config.role_exists))
}

const ARTICLE: Article = Article {
    what: "\
Checks that the IAM role an endpoint configuration names as its \
`ExecutionRoleArn` (the role SageMaker assumes for endpoints that host \
inference components) still exists, one `iam:GetRole` per distinct role, \
shared with the other execution-role rules. A configuration without one \
passes: its endpoints run as their models' roles, which \
`sagemaker-model-execution-role-exists` judges. Endpoints themselves name \
no role. A role in another account is unknown; templates are not judged \
(whether a role exists is a fact of the account).",
    why: "\
An endpoint built on inference components runs as the configuration's \
role: SageMaker assumes it to pull images, read artefacts and scale the \
components. With the role gone, adding a component, scaling out or \
replacing an instance fails; a role created again under the same name by \
anyone allowed to create roles is trusted by the endpoint again.

Risk level Medium: the endpoint serves from what runs, but cannot recover \
or grow, and its identity is up for grabs.",
    audit_console: "\
1. Open **Inference > Endpoint configurations** in the SageMaker console \
and, for each configuration, note its IAM role, if any.
2. Open the role in the IAM console: *NoSuchEntity* fails.",
    audit_cli: "\
```sh
for c in $(aws sagemaker list-endpoint-configs --query 'EndpointConfigs[].EndpointConfigName' --output text); do
  role=$(aws sagemaker describe-endpoint-config --endpoint-config-name \"$c\" --query ExecutionRoleArn --output text)
  [ \"$role\" = None ] && continue
  aws iam get-role --role-name \"${role##*/}\" > /dev/null 2>&1 || echo \"$c $role missing\"
done
```",
    remediate_console: "\
Create the role again with a trust policy for `sagemaker.amazonaws.com` \
and what the endpoint's components read, or create a configuration naming \
an existing role and update the endpoint to it.",
    remediate_cli: "\
Create the role again under the same name, trusted by SageMaker only:

```sh
aws iam create-role --role-name fraud-endpoint \\
  --assume-role-policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sagemaker.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}'
```

Then give it what the components read (their images, artefacts and keys).",
    remediate_cloudformation: "\
Declare the role in the configuration's stack and reference it, so it \
cannot be deleted while the configuration stands:

```yaml
EndpointRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - { Effect: Allow, Principal: { Service: sagemaker.amazonaws.com }, Action: sts:AssumeRole }
FraudConfig:
  Type: AWS::SageMaker::EndpointConfig
  Properties:
    ExecutionRoleArn: !GetAtt EndpointRole.Arn
    # ProductionVariants …
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_endpoint_configuration\" \"fraud\" {
  execution_role_arn = aws_iam_role.endpoint.arn
  # production_variants …
}
```",
    references: &[
        (
            "SageMaker API: CreateEndpointConfig (ExecutionRoleArn)",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html",
        ),
        (
            "SageMaker: how to use SageMaker execution roles",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EndpointConfig, Identity};

    #[test]
    fn no_role_passes_and_a_gone_one_fails() {
        let mut config = EndpointConfig::unreadable(Identity::declared("fraud-cfg".into()), "x");
        config.role_arn = Fact::Known(None);
        let verdict = check(&Resource::EndpointConfig(config.clone())).unwrap();
        assert_eq!(verdict.status, Status::Pass);
        config.role_arn = Fact::Known(Some("arn:aws:iam::123456789012:role/fraud-endpoint".into()));
        config.role_exists = Fact::Known(false);
        assert_eq!(check(&Resource::EndpointConfig(config)).unwrap().status, Status::Fail);
    }
}
