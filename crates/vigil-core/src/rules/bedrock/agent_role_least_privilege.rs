//! `bedrock-agent-role-least-privilege`: the role a Bedrock agent acts as
//! cannot do everything in a service, so a prompt that turns the agent
//! cannot either.

use crate::finding::Status;
use crate::model::{Resource, ResourceKind, RolePolicy};
use crate::rules::role_policies::{granted, Granted};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-agent-role-least-privilege",
    aliases: &[],
    title: "Keep the Service Role of Amazon Bedrock Agents to Least Privilege",
    fails_when: "a policy of the agent's `AgentResourceRoleArn` allows every action, a whole sensitive service (`iam:*`, `s3:*`, `sts:*`, …) on every resource, or is an AWS managed `…FullAccess` or `AdministratorAccess` policy",
    risk: RiskLevel::High,
    categories: &["Security", "IAM"],
    resource_kind: ResourceKind::BedrockAgent,
    property: crate::model::BedrockAgent::ROLE_ARN,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::RolePolicies,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_agent_role_least_privilege"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

/// Services whose every action on every resource lets an agent's caller
/// escalate or reach any data (Prowler's list).
const SENSITIVE: &[&str] = &[
    "iam:*",
    "s3:*",
    "ec2:*",
    "kms:*",
    "secretsmanager:*",
    "dynamodb:*",
    "lambda:*",
    "sts:*",
];

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::BedrockAgent(agent) = resource else {
        return None;
    };
    let name = &agent.identity.name;
    let grants_of = |policy: &RolePolicy| match is_broad_managed(&policy.name) {
        true => Ok(vec![policy.name.clone()]),
        false => Ok(broad_grants(&policy.document)?
            .into_iter()
            .map(|s| format!("{} ({s})", policy.name))
            .collect()),
    };
    let subject = format!("agent {name}");
    let pass = |message| Verdict {
        status: Status::Pass,
        message,
    };
    let Granted { role, policies, grants } =
        match granted((&subject, "service role"), &agent.role_arn, &agent.role_policies, grants_of) {
            Err(unknown) => return Some(unknown),
            Ok(None) => return Some(pass(format!("Agent {name} names no service role."))),
            Ok(Some(granted)) => granted,
        };
    Some(if grants.is_empty() {
        pass(format!(
            "Agent {name} acts as {role}, none of whose {policies} policies grants a whole sensitive service or every action."
        ))
    } else {
        Verdict {
            status: Status::Fail,
            message: format!(
                "Agent {name} acts as {role}, which {} grants far more than an agent needs: a prompt that turns the agent can use all of it.",
                grants.join(", ")
            ),
        }
    })
}

/// An AWS managed policy that grants a whole service or everything.
pub(super) fn is_broad_managed(name: &str) -> bool {
    name.split_once(":iam::aws:policy/").is_some_and(|(_, policy)| {
        let policy = policy.rsplit('/').next().unwrap_or(policy);
        policy.ends_with("FullAccess") || policy == "AdministratorAccess"
    })
}

/// The allowing statements of a policy document that grant every action,
/// or every action of a sensitive service on every resource, each named
/// by its `Sid` or position. `Err` when the document is not a policy, or
/// an allowing statement's actions (or, for a whole service, its
/// resources) are not plain strings.
pub fn broad_grants(document: &str) -> Result<Vec<String>, String> {
    let policy: serde_json::Value = serde_json::from_str(document).map_err(|e| format!("not JSON ({e})"))?;
    let statements = match &policy["Statement"] {
        serde_json::Value::Array(list) => list.iter().collect(),
        statement @ serde_json::Value::Object(_) => vec![statement],
        _ => return Err("no Statement".to_owned()),
    };
    let strings = |value: &serde_json::Value, what: &str, index: usize| match value {
        serde_json::Value::String(one) => Ok(vec![one.clone()]),
        serde_json::Value::Array(many) if many.iter().all(|a| a.is_string()) => {
            Ok(many.iter().filter_map(|a| a.as_str().map(str::to_owned)).collect())
        }
        serde_json::Value::Null => Ok(Vec::new()),
        other => Err(format!("statement {} allows {what} that are not names: {other}", index + 1)),
    };
    let mut grants = Vec::new();
    for (index, statement) in statements.into_iter().enumerate() {
        if statement["Effect"] != "Allow" {
            continue;
        }
        let actions = strings(&statement["Action"], "actions", index)?;
        let everything = actions.iter().any(|a| a == "*");
        let service_wide = actions.iter().any(|a| SENSITIVE.iter().any(|s| s.eq_ignore_ascii_case(a)));
        // Where a statement grants a whole service, where it grants it
        // decides; otherwise its resources need not be read.
        let anywhere = service_wide && strings(&statement["Resource"], "resources", index)?.iter().any(|r| r == "*");
        if everything || anywhere {
            let sid = statement["Sid"].as_str().filter(|s| !s.is_empty());
            grants.push(sid.map_or_else(|| format!("statement {}", index + 1), |sid| format!("statement {sid}")));
        }
    }
    Ok(grants)
}

const ARTICLE: Article = Article {
    what: "\
Checks the identity policies of each Amazon Bedrock agent's service role \
(`AgentResourceRoleArn`), inline and attached. A role fails when a policy \
allows every action (`\"Action\": \"*\"`), every action of a sensitive \
service (`iam:*`, `s3:*`, `ec2:*`, `kms:*`, `secretsmanager:*`, \
`dynamodb:*`, `lambda:*`, `sts:*`) on every resource, or is an AWS \
managed `…FullAccess` or `AdministratorAccess` policy. Unlike Prowler, a \
role without a permissions boundary is not failed for that alone.",
    why: "\
An agent acts as its service role when it calls models, reads knowledge \
bases and runs action groups. Whatever the role may do, a user who steers \
the agent, by a jailbreak or by instructions hidden in a document the \
agent reads, may make it do: a prompt injection becomes a privilege \
escalation. The role needs `bedrock:InvokeModel` on its model, access to \
its knowledge bases and guardrail, and nothing else.

Risk level High: the role bounds the damage of every other failure of \
the agent.",
    audit_console: "\
1. Open the Amazon Bedrock console, choose **Agents**, open each agent and \
note its *Agent resource role*.
2. Open the role in the IAM console; under *Permissions*, no policy may \
allow `*`, a whole sensitive service on every resource, or be an AWS \
managed *FullAccess* policy.
3. Repeat in every region.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agent list-agents --query 'agentSummaries[].agentId' --output text); do
  role=$(aws bedrock-agent get-agent --agent-id \"$id\" --query 'agent.agentResourceRoleArn' --output text)
  echo \"${role##*/}\"
  aws iam list-attached-role-policies --role-name \"${role##*/}\" --query 'AttachedPolicies[].PolicyArn' --output text
  for p in $(aws iam list-role-policies --role-name \"${role##*/}\" --query PolicyNames --output text); do
    aws iam get-role-policy --role-name \"${role##*/}\" --policy-name \"$p\" --query 'PolicyDocument.Statement[].Action' --output json
  done
done
```

A `…FullAccess` policy, `\"*\"`, or a whole sensitive service on `*` fails.",
    remediate_console: "\
In the IAM console, detach the broad managed policies from the role and \
give it one inline policy that allows `bedrock:InvokeModel` on the \
agent's foundation model (and its knowledge bases and guardrail, if any).",
    remediate_cli: "\
```sh
id=$(aws bedrock-agent list-agents --query \"agentSummaries[?agentName=='support-agent'].agentId | [0]\" --output text)
role=$(aws bedrock-agent get-agent --agent-id \"$id\" --query 'agent.agentResourceRoleArn' --output text)
role=${role##*/}
for arn in $(aws iam list-attached-role-policies --role-name \"$role\" --query 'AttachedPolicies[].PolicyArn' --output text); do
  aws iam detach-role-policy --role-name \"$role\" --policy-arn \"$arn\"
done
for p in $(aws iam list-role-policies --role-name \"$role\" --query PolicyNames --output text); do
  aws iam delete-role-policy --role-name \"$role\" --policy-name \"$p\"
done
aws iam put-role-policy --role-name \"$role\" --policy-name invoke-its-model --policy-document '{
  \"Version\": \"2012-10-17\",
  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"bedrock:InvokeModel\",
    \"Resource\": \"arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0\"}]
}'
```

Add the knowledge bases (`bedrock:Retrieve`) and guardrail \
(`bedrock:ApplyGuardrail`) the agent uses.",
    remediate_cloudformation: "\
```yaml
AgentRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {Service: bedrock.amazonaws.com}
          Action: sts:AssumeRole
    Policies:
      - PolicyName: invoke-its-model
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: bedrock:InvokeModel
              Resource: !Sub arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0
```",
    remediate_terraform: "\
```hcl
resource \"aws_iam_role_policy\" \"agent\" {
  role = aws_iam_role.agent.id
  policy = jsonencode({
    Version = \"2012-10-17\"
    Statement = [{
      Effect   = \"Allow\"
      Action   = \"bedrock:InvokeModel\"
      Resource = \"arn:aws:bedrock:${data.aws_region.current.name}::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0\"
    }]
  })
}
```",
    references: &[(
        "Amazon Bedrock: service role for agents",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/agents-permissions.html",
    )],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broad_grants_are_everything_or_a_sensitive_service_everywhere() {
        let admin = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        assert_eq!(broad_grants(admin).unwrap(), ["statement 1"]);
        let s3 = r#"{"Statement":[{"Sid":"All","Effect":"Allow","Action":["s3:*"],"Resource":"*"}]}"#;
        assert_eq!(broad_grants(s3).unwrap(), ["statement All"]);
        let scoped = r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::manuals/*"}}"#;
        assert!(broad_grants(scoped).unwrap().is_empty());
        let model = r#"{"Statement":{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"*"}}"#;
        assert!(broad_grants(model).unwrap().is_empty());
        let denied = r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#;
        assert!(broad_grants(denied).unwrap().is_empty());
        assert!(broad_grants(r#"{"Statement":{"Effect":"Allow","Action":{"Ref":"A"}}}"#).is_err());
        let sub = r#"{"Statement":{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":{"Fn::Sub":"arn"}}}"#;
        assert!(broad_grants(sub).unwrap().is_empty());
        let s3_sub = r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":{"Fn::Sub":"arn"}}}"#;
        assert!(broad_grants(s3_sub).unwrap_err().contains("resources"));
    }

    #[test]
    fn aws_managed_full_access_and_administrator_policies_are_broad() {
        assert!(is_broad_managed("arn:aws:iam::aws:policy/AmazonS3FullAccess"));
        assert!(is_broad_managed("arn:aws:iam::aws:policy/AdministratorAccess"));
        assert!(is_broad_managed("arn:aws-cn:iam::aws:policy/service-role/AmazonBedrockFullAccess"));
        assert!(!is_broad_managed("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        assert!(!is_broad_managed("arn:aws:iam::123456789012:policy/TeamFullAccess"));
        assert!(!is_broad_managed("inline-FullAccess"));
    }
}
