//! Amazon Bedrock custom models: every `ListCustomModels` page (paged in
//! its query), then one `GetCustomModel` per model, by name
//! (`rest_kinds::collect` does both, and says once when a region has no
//! Bedrock).

use crate::rest::{Listing, Paging};
use crate::rest_kinds::KindReads;
use serde_json::Value;
use vigil_core::{CustomModel, Fact, Identity, Resource, ResourceKind};

pub(crate) static READS: KindReads = KindReads {
    kind: ResourceKind::CustomModel,
    plane: &crate::bedrock::CONTROL,
    listing: Listing {
        method: "GET",
        path: "/custom-models",
        field: "modelSummaries",
        paging: Paging::Query,
    },
    list_operation: "bedrock:ListCustomModels",
    get_operation: "bedrock:GetCustomModel",
    get_path: |name| format!("/custom-models/{name}"),
    // A model's name is its identifier within the account and region.
    summary: |s| {
        let name = s["modelName"].as_str().unwrap_or_default().to_owned();
        (name.clone(), name, s["modelArn"].as_str().map(str::to_owned))
    },
    read: |name, arn, answer| Resource::CustomModel(from_answer(name, arn, answer)),
    unreadable: |identity, why| Resource::CustomModel(CustomModel::unreadable(identity, why)),
    window: None,
};

/// Maps a `GetCustomModel` answer.
pub fn from_answer(name: String, arn: Option<String>, answer: &Value) -> CustomModel {
    let (identity, kms_key_arn) = model_and_key(name, arn, answer);
    CustomModel {
        identity,
        kms_key_arn,
        job_arn: text(&answer["jobArn"]),
        job_vpc: Fact::unknown(CustomModel::JOB_NOT_READ),
    }
}

/// A Bedrock model's identity and key, as `GetCustomModel` and
/// `GetImportedModel` both answer them. AWS leaves `modelKmsKeyArn` out
/// when the model is encrypted with a key AWS owns.
pub(crate) fn model_and_key(name: String, arn: Option<String>, answer: &Value) -> (Identity, Fact<Option<String>>) {
    let identity = Identity::from_arn(
        text(&answer["modelName"]).unwrap_or(name),
        text(&answer["modelArn"]).or(arn),
    );
    (identity, Fact::Known(text(&answer["modelKmsKeyArn"])))
}

fn text(value: &Value) -> Option<String> {
    value.as_str().filter(|t| !t.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_the_model_s_name_and_key() {
        let answer = serde_json::json!({
            "modelName": "support-model",
            "modelArn": "arn:aws:bedrock:eu-west-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abc",
            "modelKmsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/k"
        });
        let model = from_answer("support-model".into(), None, &answer);
        assert_eq!(model.identity.name, "support-model");
        assert_eq!(model.identity.region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            model.kms_key_arn,
            Fact::Known(Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()))
        );
        let bare = from_answer("m".into(), None, &serde_json::json!({"modelName": "m"}));
        assert_eq!(bare.kms_key_arn, Fact::Known(None));
    }
}
