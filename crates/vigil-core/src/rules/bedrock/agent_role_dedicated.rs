//! `bedrock-agent-role-dedicated`: each Bedrock agent acts as a service
//! role of its own; and how an audit finds the agents that share one.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Property, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use std::collections::BTreeMap;

pub static RULE: Rule = Rule {
    id: "bedrock-agent-role-dedicated",
    aliases: &[],
    title: "Give Each Amazon Bedrock Agent a Service Role of Its Own",
    fails_when: "a Bedrock agent's `agentResourceRoleArn` is also another agent's (in the audited account and regions)",
    risk: RiskLevel::Medium,
    categories: &["Security", "IAM"],
    resource_kind: ResourceKind::BedrockAgent,
    property: Property::LIVE_ONLY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::SharedRole,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_agent_role_not_shared_across_agents"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::BedrockAgent(agent) = resource else {
        return None;
    };
    let name = &agent.identity.name;
    let role = agent.role_arn.known().cloned().flatten().unwrap_or_default();
    Some(match &agent.role_shared_with {
        Fact::Unknown(why) => Verdict::unknown(
            why.clone(),
            format!("Whether another agent shares the service role of agent {name} could not be told."),
        ),
        Fact::Known(others) if others.is_empty() => Verdict {
            status: Status::Pass,
            message: format!("Agent {name} is the only agent of the audited regions acting as {role}."),
        },
        Fact::Known(others) => Verdict {
            status: Status::Fail,
            message: format!(
                "Agent {name} acts as {role}, as {} also do: each holds the union of their permissions, and CloudTrail cannot tell which agent acted.",
                others.join(", ")
            ),
        },
    })
}

/// Records, on each agent of one account's `resources`, the other agents
/// that act as its role. `unlisted` names what was not read (a region whose
/// agents could not be listed): an agent that shares with none of the
/// agents read is then unknown, since one unread may share its role; one
/// that shares with an agent read fails whatever else is missing.
pub fn find_shared_roles(resources: &mut [Resource], unlisted: &[String]) {
    let mut by_role: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    let mut unread: Vec<String> = unlisted.to_vec();
    for (index, resource) in resources.iter().enumerate() {
        let Resource::BedrockAgent(agent) = resource else {
            continue;
        };
        match &agent.role_arn {
            Fact::Known(Some(role)) => {
                let region = agent.identity.region.as_deref().unwrap_or("?");
                let named = format!("{} ({region})", agent.identity.name);
                by_role.entry(role.clone()).or_default().push((index, named));
            }
            Fact::Known(None) => {}
            Fact::Unknown(_) => unread.push(format!("the role of agent {}", agent.identity.name)),
        }
    }
    for agents in by_role.values() {
        for (index, _) in agents {
            let Resource::BedrockAgent(agent) = &mut resources[*index] else {
                continue;
            };
            let others: Vec<String> = agents
                .iter()
                .filter(|(other, _)| other != index)
                .map(|(_, named)| named.clone())
                .collect();
            agent.role_shared_with = if others.is_empty() && !unread.is_empty() {
                Fact::Unknown(format!(
                    "no agent read shares its role, but {} could not be read",
                    unread.join(", ")
                ))
            } else {
                Fact::Known(others)
            };
        }
    }
    for resource in resources.iter_mut() {
        if let Resource::BedrockAgent(agent) = resource {
            if let Fact::Known(None) = agent.role_arn {
                agent.role_shared_with = Fact::unknown("GetAgent named no agentResourceRoleArn");
            }
        }
    }
}

const ARTICLE: Article = Article {
    what: "\
Checks, in an audit, that no two Bedrock agents of the account act as the \
same service role (`agentResourceRoleArn`), across the audited regions. \
Agents are compared by their role's ARN. Where an agent's role could not \
be read, or a region's agents could not be listed, an agent that shares \
with none of the agents read is unknown; one that shares with an agent \
read fails. Templates hold only some of an account's agents, and `vigil \
watch` reads one agent at a time: only `vigil audit` judges this rule.",
    why: "\
An agent acts as its service role whenever it calls a model, reads a \
knowledge base or invokes an action group. Two agents on one role each \
hold the permissions of both: the customer-facing chatbot can read the \
finance agent's knowledge base, and a prompt injection against the \
weaker agent reaches everything the stronger one may do. CloudTrail \
records the role's session, so an action cannot be tied to the agent \
that took it, and the role cannot be narrowed for one agent without \
breaking the other.

Risk level Medium: the harm needs an agent to be misled or misused, but \
it is then as wide as every agent on the role.",
    audit_console: "\
1. Open the Amazon Bedrock console, **Agents**, in each region.
2. Open each agent; note the *Agent resource role* under *Agent details*.
3. No role may appear for two agents.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agent list-agents --query 'agentSummaries[].agentId' --output text); do
  aws bedrock-agent get-agent --agent-id \"$id\" --query '[agent.agentResourceRoleArn, agent.agentName]' --output text
done | awk '{ agents[$1] = agents[$1] \" \" $2; n[$1]++ } END { for (r in n) if (n[r] > 1) print r \":\" agents[r] }'
```

Each line printed is a role and the agents that share it. Run it in each \
region and compare the roles across regions too.",
    remediate_console: "\
Create a role for the agent (trusting `bedrock.amazonaws.com`, with only \
what this agent needs), then open the agent, choose **Edit in Agent \
builder**, choose the new role under *Agent resource role*, save and \
prepare the agent.",
    remediate_cli: "\
`update-agent` takes the agent's name, model and role again; give it a \
role of its own, then prepare it:

```sh
aws iam create-role --role-name AmazonBedrockExecutionRoleForAgents_billing \\
  --assume-role-policy-document '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"bedrock.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}' >/dev/null
id=$(aws bedrock-agent list-agents --query \"agentSummaries[?agentName=='billing-agent'].agentId | [0]\" --output text)
aws bedrock-agent update-agent --agent-id \"$id\" --agent-name billing-agent \\
  --foundation-model anthropic.claude-3-5-sonnet-20240620-v1:0 \\
  --agent-resource-role-arn arn:aws:iam::123456789012:role/AmazonBedrockExecutionRoleForAgents_billing >/dev/null
aws bedrock-agent prepare-agent --agent-id \"$id\" >/dev/null
```

Then grant the new role only what this agent uses.",
    remediate_cloudformation: "\
```yaml
BillingAgentRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Version: \"2012-10-17\"
      Statement:
        - Effect: Allow
          Principal: { Service: bedrock.amazonaws.com }
          Action: sts:AssumeRole
BillingAgent:
  Type: AWS::Bedrock::Agent
  Properties:
    AgentName: billing-agent
    AgentResourceRoleArn: !GetAtt BillingAgentRole.Arn
    FoundationModel: anthropic.claude-3-5-sonnet-20240620-v1:0
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagent_agent\" \"billing\" {
  agent_name              = \"billing-agent\"
  agent_resource_role_arn = aws_iam_role.billing_agent.arn # this agent's alone
  foundation_model        = \"anthropic.claude-3-5-sonnet-20240620-v1:0\"
}
```",
    references: &[(
        "Amazon Bedrock: create a service role for Agents for Amazon Bedrock",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/agents-permissions.html",
    )],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BedrockAgent, Identity};

    fn agent(name: &str, region: &str, role: Fact<Option<String>>) -> Resource {
        let arn = format!("arn:aws:bedrock:{region}:123456789012:agent/{name}");
        let mut agent = BedrockAgent::unreadable(Identity::from_arn(name.to_owned(), Some(arn)), "x");
        agent.role_arn = role;
        Resource::BedrockAgent(agent)
    }

    fn role(name: &str) -> Fact<Option<String>> {
        Fact::Known(Some(format!("arn:aws:iam::123456789012:role/{name}")))
    }

    fn statuses(resources: &[Resource]) -> Vec<String> {
        resources
            .iter()
            .map(|r| match check(r).unwrap().status {
                Status::Unknown { .. } => "unknown".to_owned(),
                status => format!("{status:?}").to_lowercase(),
            })
            .collect()
    }

    #[test]
    fn agents_on_one_role_fail_across_regions_and_a_role_of_its_own_passes() {
        let mut agents = vec![
            agent("chat", "eu-west-1", role("shared")),
            agent("billing", "us-east-1", role("shared")),
            agent("search", "eu-west-1", role("search")),
        ];
        find_shared_roles(&mut agents, &[]);
        assert_eq!(statuses(&agents), ["fail", "fail", "pass"]);
        let message = check(&agents[0]).unwrap().message;
        assert!(message.contains("billing (us-east-1)"), "{message}");
    }

    #[test]
    fn what_was_not_read_makes_a_dedicated_role_unknown_but_not_a_shared_one() {
        let mut agents = vec![
            agent("chat", "eu-west-1", role("shared")),
            agent("billing", "eu-west-1", role("shared")),
            agent("search", "eu-west-1", role("search")),
            agent("hidden", "eu-west-1", Fact::unknown("access denied")),
        ];
        find_shared_roles(&mut agents, &["the agents of ap-south-1".to_owned()]);
        assert_eq!(statuses(&agents), ["fail", "fail", "unknown", "unknown"]);
        let Status::Unknown { reason } = check(&agents[2]).unwrap().status else {
            unreachable!()
        };
        assert!(reason.contains("the agents of ap-south-1, the role of agent hidden"), "{reason}");
    }

    #[test]
    fn sharing_is_unknown_until_an_audit_looks() {
        let lone = agent("chat", "eu-west-1", role("chat"));
        assert_eq!(statuses(&[lone]), ["unknown"]);
    }
}
