//! The IAM roles a template (or Terraform module) declares and the policies
//! it gives each, so that a resource naming a role (`!GetAtt Role.Arn`,
//! `aws_iam_role.r.arn`, or the ARN of a role whose name is declared) is
//! judged on what the role may do. A role declared elsewhere is unknown:
//! the live audit reads it.

use crate::tree::{Node, Value};
use std::collections::HashMap;
use vigil_core::model::RolePolicy;
use vigil_core::Fact;

/// The AWS managed policies that allow every action (`"Action": "*"`
/// under `Allow`), from moto 5.2.5's snapshot of the 1,582 AWS managed
/// policies: no other does. Their documents are AWS's, not the template's.
const AWS_MANAGED_ALL_ACTIONS: &[&str] = &["AdministratorAccess", "AWSMcpServiceActionsFullAccess"];

/// Policies given to roles, by how the template refers to each role.
#[derive(Default)]
pub struct Roles {
    /// By logical id (CloudFormation) or `aws_iam_role.NAME` (Terraform).
    given: HashMap<String, Vec<Result<RolePolicy, String>>>,
    /// The same roles' declared names, for a resource that gives an ARN.
    names: HashMap<String, String>,
}

impl Roles {
    /// A role the template declares, by its key and, when written, its name.
    pub fn declare(&mut self, key: &str, name: Option<String>) {
        self.given.entry(key.to_owned()).or_default();
        if let Some(name) = name {
            self.names.insert(name, key.to_owned());
        }
    }

    /// The key of a role given by reference (`key`) or by name.
    pub fn key_of(&self, reference: Option<&str>, name: Option<&str>) -> Option<String> {
        match reference {
            Some(key) => self.given.contains_key(key).then(|| key.to_owned()),
            None => name.and_then(|n| self.names.get(n)).cloned(),
        }
    }

    /// A policy the template gives role `key` (unreadable: why).
    pub fn give(&mut self, key: &str, policy: Result<RolePolicy, String>) {
        if let Some(policies) = self.given.get_mut(key) {
            policies.push(policy);
        }
    }

    /// What role `key` (or the role of `arn`) is given, if it is declared here.
    pub fn policies(&self, key: Option<&str>, arn: Option<&str>) -> Option<Fact<Vec<RolePolicy>>> {
        let name = arn
            .and_then(|arn| arn.rsplit_once(":role/"))
            .map(|(_, path)| path.rsplit('/').next().unwrap_or(path));
        let key = self.key_of(key, name)?;
        Some(
            self.given[&key]
                .iter()
                .cloned()
                .collect::<Result<Vec<_>, _>>()
                .map_or_else(Fact::Unknown, Fact::Known),
        )
    }
}

/// A managed policy attached by ARN: an AWS managed one is known (see
/// [`AWS_MANAGED_ALL_ACTIONS`]); any other is not in the template.
pub fn managed_by_arn(arn: &str) -> Result<RolePolicy, String> {
    let Some((_, path)) = arn.split_once(":iam::aws:policy/") else {
        return Err(format!("managed policy {arn} is not declared in this template"));
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    let document = match AWS_MANAGED_ALL_ACTIONS.contains(&name) {
        true => r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        false => r#"{"Statement":[]}"#,
    };
    Ok(RolePolicy {
        name: arn.to_owned(),
        document: document.to_owned(),
    })
}

/// A policy document written as YAML or JSON in the template, as JSON text.
/// Intrinsics stay objects (`{"Ref": …}`), which the judge reads as actions
/// it cannot name.
pub fn document_of(name: String, node: &Node) -> Result<RolePolicy, String> {
    fn json(node: &Node, depth: usize) -> Result<serde_json::Value, String> {
        if depth > crate::tree::MAX_DEPTH {
            return Err("the policy document is nested too deep".to_owned());
        }
        Ok(match &node.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Scalar { text, .. } => serde_json::Value::String(text.clone()),
            Value::Seq(items) => items.iter().map(|i| json(i, depth + 1)).collect::<Result<_, _>>()?,
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| Ok((k.as_str().unwrap_or_default().to_owned(), json(v, depth + 1)?)))
                .collect::<Result<serde_json::Map<_, _>, String>>()?
                .into(),
        })
    }
    // A document given as a JSON string (CloudFormation accepts both).
    let document = match node.as_str() {
        Some(text) => text.to_owned(),
        None => json(node, 0)?.to_string(),
    };
    Ok(RolePolicy { name, document })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_is_found_by_reference_or_by_the_name_in_its_arn() {
        let mut roles = Roles::default();
        roles.declare("NotebookRole", Some("notebook".into()));
        roles.give(
            "NotebookRole",
            managed_by_arn("arn:aws:iam::aws:policy/AdministratorAccess"),
        );
        roles.give(
            "Elsewhere",
            managed_by_arn("arn:aws:iam::aws:policy/AdministratorAccess"),
        );
        let by_ref = roles.policies(Some("NotebookRole"), None).unwrap();
        let by_arn = roles
            .policies(None, Some("arn:aws:iam::123456789012:role/team/notebook"))
            .unwrap();
        assert_eq!(by_ref, by_arn);
        assert!(
            roles.policies(Some("Elsewhere"), None).is_none(),
            "never declared as a role"
        );
        assert!(roles.policies(None, Some("arn:aws:iam::1:role/other")).is_none());
    }

    #[test]
    fn only_the_aws_managed_policies_that_allow_everything_do() {
        let admin = managed_by_arn("arn:aws-cn:iam::aws:policy/AdministratorAccess").unwrap();
        assert!(admin.document.contains(r#""Action":"*""#));
        let sagemaker = managed_by_arn("arn:aws:iam::aws:policy/AmazonSageMakerFullAccess").unwrap();
        assert_eq!(sagemaker.document, r#"{"Statement":[]}"#);
        let own = managed_by_arn("arn:aws:iam::123456789012:policy/everything").unwrap_err();
        assert!(own.contains("not declared in this template"), "{own}");
    }

    #[test]
    fn an_unreadable_policy_makes_the_role_unknown() {
        let mut roles = Roles::default();
        roles.declare("R", None);
        roles.give("R", Err("policy X is not read".into()));
        assert_eq!(
            roles.policies(Some("R"), None),
            Some(Fact::Unknown("policy X is not read".into()))
        );
    }
}
