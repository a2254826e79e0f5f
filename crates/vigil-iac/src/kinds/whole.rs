//! A property read whole, as JSON in CloudFormation's spelling: what a
//! policy is given, whichever language declared the resource. The shared
//! conventions live here; each language walks its own syntax.

use serde_json::Value as Json;

/// A scalar as a deployment would take it: `true`/`false` in any case are
/// booleans (CloudFormation and Terraform both coerce them), an unquoted
/// number is a number, anything else is a string.
pub fn scalar(text: &str, quoted: bool) -> Json {
    if text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false") {
        return Json::Bool(text.eq_ignore_ascii_case("true"));
    }
    if !quoted {
        if let Ok(n) = text.parse::<i64>() {
            return Json::from(n);
        }
        if let Some(n) = text.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            return Json::Number(n);
        }
    }
    Json::String(text.to_owned())
}

/// A number as JSON: whole numbers without a fraction.
pub fn number(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        return Json::from(n as i64);
    }
    serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)
}

/// A Terraform attribute or block name in CloudFormation's spelling
/// (`security_group_ids`: `SecurityGroupIds`).
pub fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| vigil_core::model::first_letter(word, true))
        .collect()
}

/// Whether a map's keys are the user's own (tags), not attribute names.
pub fn keeps_keys(name: &str) -> bool {
    matches!(name, "tags" | "tags_all" | "Tags")
}

/// Blocks as CloudFormation writes them: one block is an object, several
/// are a list.
pub fn blocks(mut objects: Vec<Json>) -> Json {
    match objects.len() {
        1 => objects.remove(0),
        _ => Json::Array(objects),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_are_taken_as_a_deployment_takes_them() {
        assert_eq!(scalar("TRUE", true), json!(true));
        assert_eq!(scalar("false", false), json!(false));
        assert_eq!(scalar("2", false), json!(2));
        assert_eq!(scalar("2", true), json!("2"));
        assert_eq!(scalar("1.5", false), json!(1.5));
        assert_eq!(scalar("ml.m5.large", false), json!("ml.m5.large"));
        assert_eq!(number(3.0), json!(3));
        assert_eq!(number(0.25), json!(0.25));
    }

    #[test]
    fn names_are_spelled_both_ways() {
        assert_eq!(pascal("security_group_ids"), "SecurityGroupIds");
        assert_eq!(blocks(vec![json!({"A": 1})]), json!({"A": 1}));
        assert_eq!(blocks(vec![json!({}), json!({})]), json!([{}, {}]));
    }
}
