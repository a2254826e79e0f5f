//! Amazon Bedrock imported models: every `ListImportedModels` page (paged
//! in its query), then one `GetImportedModel` per model, by name
//! (`rest_kinds::collect` does both, and says once when a region has no
//! Bedrock).

use crate::rest::{Listing, Paging};
use crate::rest_kinds::KindReads;
use serde_json::Value;
use vigil_core::{ImportedModel, Resource, ResourceKind};

pub(crate) static READS: KindReads = KindReads {
    kind: ResourceKind::ImportedModel,
    plane: &crate::bedrock::CONTROL,
    listing: Listing {
        method: "GET",
        path: "/imported-models",
        field: "modelSummaries",
        paging: Paging::Query,
    },
    list_operation: "bedrock:ListImportedModels",
    get_operation: "bedrock:GetImportedModel",
    get_path: |name| format!("/imported-models/{name}"),
    // A model's name is its identifier within the account and region.
    summary: |s| {
        let name = s["modelName"].as_str().unwrap_or_default().to_owned();
        (name.clone(), name, s["modelArn"].as_str().map(str::to_owned))
    },
    read: |name, arn, answer| Resource::ImportedModel(from_answer(name, arn, answer)),
    unreadable: |identity, why| Resource::ImportedModel(ImportedModel::unreadable(identity, why)),
    window: None,
};

/// Maps a `GetImportedModel` answer.
pub fn from_answer(name: String, arn: Option<String>, answer: &Value) -> ImportedModel {
    let (identity, kms_key_arn) = super::custom_models::model_and_key(name, arn, answer);
    ImportedModel { identity, kms_key_arn }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::Fact;

    #[test]
    fn an_answer_gives_the_model_s_name_and_key() {
        let answer = serde_json::json!({
            "modelName": "support-llama",
            "modelArn": "arn:aws:bedrock:eu-west-1:123456789012:imported-model/abc123",
            "modelKmsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/k"
        });
        let model = from_answer("support-llama".into(), None, &answer);
        assert_eq!(model.identity.region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            model.kms_key_arn,
            Fact::Known(Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()))
        );
        let bare = from_answer("m".into(), None, &serde_json::json!({"modelName": "m"}));
        assert_eq!(bare.kms_key_arn, Fact::Known(None));
    }
}
