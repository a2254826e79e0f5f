//! What the execution-role rules share: the verdict on a resource that runs
//! as a role which may no longer exist.

use crate::fact::Fact;
use crate::model::{Property, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

/// What differs between the execution-role rules, one per kind that runs
/// as a role; `rule` adds what they share.
pub struct RoleRule {
    pub id: &'static str,
    pub title: &'static str,
    pub fails_when: &'static str,
    pub risk: RiskLevel,
    pub resource_kind: ResourceKind,
    pub article: Article,
    pub check: fn(&Resource) -> Option<Verdict>,
}

impl RoleRule {
    /// The rule: live only (whether a role still exists is a fact of the
    /// account, not of a template), nothing remediated or fixed, on by
    /// default, answering to Conformity's "Check for Missing Execution Role".
    pub const fn rule(self) -> Rule {
        Rule {
            id: self.id,
            aliases: &[],
            title: self.title,
            fails_when: self.fails_when,
            risk: self.risk,
            categories: &["Security", "IAM", "Resilience"],
            resource_kind: self.resource_kind,
            property: Property::LIVE_ONLY,
            remediation: None,
            template_fix: None,
            opt_in: false,
            lookup: Lookup::RoleExists,
            setting: None,
            xrefs: CrossRefs {
                security_hub: &[],
                aws_config: &[],
                prowler: &[],
                checkov: &[],
                conformity: &["Check for Missing Execution Role"],
            },
            article: self.article,
            check: self.check,
        }
    }
}

/// Pass when the role exists, fail when IAM says it does not, unknown when
/// the role or its existence could not be read.
pub fn role_verdict(subject: &str, role: &Fact<Option<String>>, exists: &Fact<bool>) -> Verdict {
    let lower = subject.to_lowercase();
    let role = match role {
        Fact::Known(Some(role)) => role.as_str(),
        Fact::Known(None) => "(none)",
        Fact::Unknown(why) => {
            return Verdict::unknown(why.clone(), format!("The execution role of {lower} could not be read."))
        }
    };
    Verdict::on(
        exists,
        |exists| *exists,
        format!("{subject} runs as {role}, which exists."),
        format!(
            "{subject} runs as {role}, which no longer exists: SageMaker cannot start it on new instances, and a role created again under that name would receive what it reads."
        ),
        format!("Whether the execution role of {lower} still exists could not be read."),
    )
}

/// How the job rules' articles fix a missing role: a finished job is not
/// changed, what re-runs it is (one role, `ml-jobs`, in the examples).
pub mod job_articles {
    use crate::rule::Article;

    /// What a job rule's article says of its own kind; `article` adds the
    /// shared fix.
    pub struct JobArticle {
        pub what: &'static str,
        pub why: &'static str,
        pub audit_console: &'static str,
        pub audit_cli: &'static str,
    }

    impl JobArticle {
        pub const fn article(self) -> Article {
            Article {
                what: self.what,
                why: self.why,
                audit_console: self.audit_console,
                audit_cli: self.audit_cli,
                remediate_console: REMEDIATE_CONSOLE,
                remediate_cli: REMEDIATE_CLI,
                remediate_cloudformation: REMEDIATE_CLOUDFORMATION,
                remediate_terraform: REMEDIATE_TERRAFORM,
                references: REFERENCES,
            }
        }
    }

    pub const REMEDIATE_CONSOLE: &str = "\
Point what re-runs the job (the pipeline step, the retraining script) at a \
role that exists, or create the role again with a trust policy for \
`sagemaker.amazonaws.com` and what the job reads and writes.";

    pub const REMEDIATE_CLI: &str = "\
Create the role again under the same name, trusted by SageMaker only:

```sh
aws iam create-role --role-name ml-jobs \\
  --assume-role-policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sagemaker.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}'
```

Then give it what the job reads and writes (its S3 prefixes, its ECR image, \
its KMS keys).";

    pub const REMEDIATE_CLOUDFORMATION: &str = "\
Jobs are not CloudFormation resources; declare the role the pipeline runs \
them with in the pipeline's stack, so it cannot be deleted while the \
pipeline stands:

```yaml
JobsRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - { Effect: Allow, Principal: { Service: sagemaker.amazonaws.com }, Action: sts:AssumeRole }
Pipeline:
  Type: AWS::SageMaker::Pipeline
  Properties:
    PipelineName: churn
    RoleArn: !GetAtt JobsRole.Arn
    # PipelineDefinition …
```";

    pub const REMEDIATE_TERRAFORM: &str = "\
```hcl
resource \"aws_sagemaker_pipeline\" \"churn\" {
  pipeline_name         = \"churn\"
  pipeline_display_name = \"churn\"
  role_arn              = aws_iam_role.jobs.arn
  # pipeline_definition …
}
```";

    pub const REFERENCES: &[(&str, &str)] = &[
        (
            "SageMaker: how to use SageMaker execution roles",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html",
        ),
        (
            "IAM API: GetRole",
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html",
        ),
    ];
}

/// The statements of an IAM policy document that allow every action
/// (`"Action": "*"` under `"Effect": "Allow"`), each named by its `Sid` or
/// its position. `Err` when the document is not a policy, or when an
/// allowed statement's actions are not plain names (a value a template
/// leaves to deployment): they could be anything.
pub fn all_action_grants(document: &str) -> Result<Vec<String>, String> {
    let policy: serde_json::Value = serde_json::from_str(document).map_err(|e| format!("not JSON ({e})"))?;
    let statements = match &policy["Statement"] {
        serde_json::Value::Array(list) => list.iter().collect(),
        statement @ serde_json::Value::Object(_) => vec![statement],
        _ => return Err("no Statement".to_owned()),
    };
    let mut grants = Vec::new();
    for (index, statement) in statements.into_iter().enumerate() {
        if statement["Effect"] != "Allow" {
            continue;
        }
        let actions = match &statement["Action"] {
            serde_json::Value::String(one) => vec![one.as_str()],
            serde_json::Value::Array(many) if many.iter().all(|a| a.is_string()) => {
                many.iter().filter_map(|a| a.as_str()).collect()
            }
            serde_json::Value::Null => Vec::new(),
            other => {
                return Err(format!(
                    "statement {} allows actions that are not names: {other}",
                    index + 1
                ))
            }
        };
        if actions.contains(&"*") {
            let sid = statement["Sid"].as_str().filter(|s| !s.is_empty());
            grants.push(sid.map_or_else(|| format!("statement {}", index + 1), |sid| format!("statement {sid}")));
        }
    }
    Ok(grants)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_allowed_star_actions_are_grants_of_everything() {
        let admin = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        assert_eq!(all_action_grants(admin).unwrap(), ["statement 1"]);
        let listed = r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"},
                         {"Sid":"Everything","Effect":"Allow","Action":["s3:*","*"],"Resource":"*"},
                         {"Effect":"Deny","Action":"*","Resource":"*"}]}"#;
        assert_eq!(all_action_grants(listed).unwrap(), ["statement Everything"]);
        let scoped = r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        assert!(all_action_grants(scoped).unwrap().is_empty());
        assert!(all_action_grants("{not json").is_err());
        assert!(all_action_grants(r#"{"Version":"2012-10-17"}"#).is_err());
        let unresolved = r#"{"Statement":{"Effect":"Allow","Action":{"Ref":"Actions"},"Resource":"*"}}"#;
        assert!(all_action_grants(unresolved).unwrap_err().contains("not names"));
        let denied = r#"{"Statement":{"Effect":"Deny","Action":{"Ref":"Actions"},"Resource":"*"}}"#;
        assert!(all_action_grants(denied).unwrap().is_empty());
    }
}
