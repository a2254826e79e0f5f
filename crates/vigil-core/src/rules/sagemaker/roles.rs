//! What the execution-role rules share: the verdict on a resource that runs
//! as a role which may no longer exist.

use crate::fact::Fact;
use crate::rule::Verdict;

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
