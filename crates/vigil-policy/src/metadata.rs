//! A policy's `metadata`: what makes it a rule (id, title, risk, kind,
//! the properties it reads, when it fails), checked field by field.

use serde_json::Value as Json;
use vigil_core::{ResourceKind, RiskLevel};

/// The metadata of one policy, checked.
#[derive(Debug, Clone)]
pub struct Metadata {
    pub id: String,
    pub title: String,
    pub risk: RiskLevel,
    pub kind: ResourceKind,
    /// The property that names a resource of the kind.
    pub name_property: &'static str,
    /// How the kind's live answer spells members.
    pub spelling: crate::kinds::Spelling,
    /// CloudFormation paths (`VpcConfig`, `VpcConfig.Subnets`).
    pub reads: Vec<String>,
    pub fails_when: String,
    pub categories: Vec<String>,
    /// The article's sections, by their field names, where given.
    pub article: Vec<(String, String)>,
}

/// Article sections a policy may write, as `metadata.article.<field>`.
pub const ARTICLE_FIELDS: &[&str] = &[
    "what",
    "why",
    "audit_console",
    "audit_cli",
    "remediate_console",
    "remediate_cli",
    "remediate_cloudformation",
    "remediate_terraform",
];

impl Metadata {
    /// Reads and checks `metadata` (JSON from the interpreter); says which
    /// field is wrong.
    pub fn read(value: &Json) -> Result<Metadata, String> {
        let object = value
            .as_object()
            .ok_or("metadata must be an object of id, title, risk, kind, reads and fails_when")?;
        let text = |field: &str| -> Result<String, String> {
            match object.get(field) {
                Some(Json::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
                Some(_) => Err(format!("metadata.{field} must be a non-empty string")),
                None => Err(format!("metadata has no {field}")),
            }
        };
        let id = text("id")?;
        if !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(format!("metadata.id {id:?} must be kebab-case (a-z, 0-9 and -)"));
        }
        let given = text("risk")?;
        let risk = RiskLevel::ALL
            .into_iter()
            .find(|risk| risk.to_string() == given)
            .ok_or_else(|| format!("metadata.risk {given:?} must be Low, Medium, High, Very High or Extreme"))?;
        let type_name = text("kind")?;
        let (kind, name_property, spelling) = crate::kinds::find(&type_name).ok_or_else(|| {
            format!(
                "metadata.kind {type_name:?} is not a kind policies judge; one of: {}",
                crate::kinds::listed()
            )
        })?;
        let reads = strings(object, "reads")?.ok_or("metadata has no reads")?;
        if reads.is_empty() {
            return Err("metadata.reads must name at least one property".into());
        }
        let schema = crate::schema::of(kind).ok_or_else(|| format!("{type_name} has no input schema"))?;
        for path in &reads {
            if crate::schema::at(schema, path).is_none() {
                return Err(format!(
                    "metadata.reads entry {path:?} is not in {} for {type_name} (docs/policy-input.schema.json lists what is)",
                    crate::schema::answer_of(kind)
                ));
            }
        }
        let categories = strings(object, "categories")?.unwrap_or_else(|| vec!["Custom".into()]);
        let mut article = Vec::new();
        if let Some(given) = object.get("article") {
            let given = given.as_object().ok_or("metadata.article must be an object")?;
            for (field, body) in given {
                if !ARTICLE_FIELDS.contains(&field.as_str()) {
                    return Err(format!(
                        "metadata.article.{field} is not a section; one of: {}",
                        ARTICLE_FIELDS.join(", ")
                    ));
                }
                let body = body
                    .as_str()
                    .ok_or_else(|| format!("metadata.article.{field} must be a string"))?;
                article.push((field.clone(), body.to_owned()));
            }
        }
        Ok(Metadata {
            id,
            title: text("title")?,
            risk,
            kind,
            name_property,
            spelling,
            reads,
            fails_when: text("fails_when")?,
            categories,
            article,
        })
    }
}

/// A list of strings, if the field is there.
fn strings(object: &serde_json::Map<String, Json>, field: &str) -> Result<Option<Vec<String>>, String> {
    let Some(value) = object.get(field) else {
        return Ok(None);
    };
    let wrong = || format!("metadata.{field} must be a list of strings");
    value
        .as_array()
        .ok_or_else(wrong)?
        .iter()
        .map(|item| item.as_str().map(str::to_owned).ok_or_else(wrong))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Json {
        json!({
            "id": "acme-model-isolated-or-in-vpc",
            "title": "Models are isolated or run in our VPCs",
            "risk": "High",
            "kind": "AWS::SageMaker::Model",
            "reads": ["EnableNetworkIsolation", "VpcConfig"],
            "fails_when": "a model has neither network isolation nor a VpcConfig",
        })
    }

    #[test]
    fn good_metadata_is_read_with_defaults() {
        let read = Metadata::read(&good()).unwrap();
        assert_eq!(read.kind, ResourceKind::SageMakerModel);
        assert_eq!(read.name_property, "ModelName");
        assert_eq!(read.categories, ["Custom"]);
        assert_eq!(read.risk, RiskLevel::High);
    }

    #[test]
    fn each_wrong_field_is_named() {
        let with = |field: &str, value: Json| {
            let mut metadata = good();
            match value {
                Json::Null => metadata.as_object_mut().unwrap().remove(field),
                value => metadata.as_object_mut().unwrap().insert(field.into(), value),
            };
            Metadata::read(&metadata).unwrap_err()
        };
        assert_eq!(with("title", Json::Null), "metadata has no title");
        assert!(with("risk", json!("Severe")).contains("Low, Medium, High"));
        assert!(with("kind", json!("AWS::S3::Bucket")).contains("AWS::SageMaker::Model"));
        assert!(with("reads", json!(["vpc_config"])).contains("\"vpc_config\""));
        assert!(with("reads", json!([])).contains("at least one"));
        assert!(with("id", json!("Acme Rule")).contains("kebab-case"));
        assert!(with("article", json!({"how": "x"})).contains("article.how"));
    }
}
