//! The replacements' requests, built from what `Describe*` returned: the SDK
//! uses the same types for a model's (and an endpoint configuration's)
//! description and for its creation, so every field the old resource has is
//! carried over as is, including fields this code never names. Also the
//! plan's summary of a model's configuration.

use aws_sdk_sagemaker::operation::create_endpoint_config::builders::CreateEndpointConfigFluentBuilder;
use aws_sdk_sagemaker::operation::create_model::builders::CreateModelFluentBuilder;
use aws_sdk_sagemaker::operation::describe_endpoint_config::DescribeEndpointConfigOutput;
use aws_sdk_sagemaker::operation::describe_model::DescribeModelOutput;
use aws_sdk_sagemaker::types::{ContainerDefinition, ProductionVariant, Tag};
use aws_sdk_sagemaker::Client;
use std::collections::BTreeMap;
use vigil_core::model::VpcConfig;
use vigil_core::remediation::{ContainerConfig, ModelConfig, REPLACES_TAG, RUN_TAG};

/// The old resource's tags plus `vigil:replaces` and `vigil:run`. Tags under
/// the reserved `aws:` prefix are AWS's own and cannot be set by a caller.
fn replacement_tags(old_name: &str, run: &str, tags: &BTreeMap<String, String>) -> Vec<Tag> {
    tags.iter()
        .filter(|(k, _)| !k.starts_with("aws:") && k.as_str() != REPLACES_TAG && k.as_str() != RUN_TAG)
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([(REPLACES_TAG, old_name), (RUN_TAG, run)])
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// `CreateModel` for the isolated copy of `old`.
pub(super) fn create_model(
    client: &Client,
    new_name: &str,
    old_name: &str,
    run: &str,
    old: &DescribeModelOutput,
    tags: &BTreeMap<String, String>,
) -> CreateModelFluentBuilder {
    client
        .create_model()
        .model_name(new_name)
        .set_primary_container(old.primary_container.clone())
        .set_containers(old.containers.clone())
        .set_inference_execution_config(old.inference_execution_config.clone())
        .set_execution_role_arn(old.execution_role_arn.clone())
        .set_vpc_config(old.vpc_config.clone())
        .set_tags(Some(replacement_tags(old_name, run, tags)))
        .enable_network_isolation(true)
}

/// `CreateEndpointConfig` for the copy of `old` whose variants serve the
/// replacements named in `models` (old -> new) instead of the old models.
pub(super) fn create_endpoint_config(
    client: &Client,
    new_name: &str,
    old_name: &str,
    run: &str,
    old: &DescribeEndpointConfigOutput,
    tags: &BTreeMap<String, String>,
    models: &BTreeMap<String, String>,
) -> CreateEndpointConfigFluentBuilder {
    let swap = |variants: &Option<Vec<ProductionVariant>>| {
        variants.as_ref().map(|variants| {
            variants
                .iter()
                .map(|v| match v.model_name().and_then(|m| models.get(m)) {
                    Some(new_model) => {
                        let mut v = v.clone();
                        v.model_name = Some(new_model.clone());
                        v
                    }
                    None => v.clone(),
                })
                .collect::<Vec<_>>()
        })
    };
    client
        .create_endpoint_config()
        .endpoint_config_name(new_name)
        .set_production_variants(swap(&old.production_variants))
        .set_shadow_production_variants(swap(&old.shadow_production_variants))
        .set_data_capture_config(old.data_capture_config.clone())
        .set_kms_key_id(old.kms_key_id.clone())
        .set_async_inference_config(old.async_inference_config.clone())
        .set_explainer_config(old.explainer_config.clone())
        .set_execution_role_arn(old.execution_role_arn.clone())
        .set_vpc_config(old.vpc_config.clone())
        .set_enable_network_isolation(old.enable_network_isolation)
        .set_metrics_config(old.metrics_config.clone())
        .set_tags(Some(replacement_tags(old_name, run, tags)))
}

/// What the plan shows of the replacement: the old configuration, field for
/// field, with isolation on.
pub(super) fn plan_view(out: &DescribeModelOutput, tags: BTreeMap<String, String>) -> ModelConfig {
    let containers: Vec<ContainerConfig> = out
        .primary_container()
        .into_iter()
        .chain(out.containers())
        .map(container)
        .collect();
    ModelConfig {
        execution_role_arn: out.execution_role_arn().map(str::to_owned),
        enable_network_isolation: true,
        single_container: out.primary_container().is_some(),
        containers,
        vpc_config: out.vpc_config().filter(|v| !v.subnets().is_empty()).map(|v| VpcConfig {
            subnets: v.subnets().to_vec(),
            security_group_ids: v.security_group_ids().to_vec(),
        }),
        inference_execution_mode: out
            .inference_execution_config()
            .and_then(|c| c.mode())
            .map(|m| m.as_str().to_owned()),
        tags,
    }
}

fn container(def: &ContainerDefinition) -> ContainerConfig {
    ContainerConfig {
        container_hostname: def.container_hostname().map(str::to_owned),
        image: def.image().map(str::to_owned),
        mode: def.mode().map(|m| m.as_str().to_owned()),
        model_data_url: def.model_data_url().map(str::to_owned),
        model_data_source: def
            .model_data_source()
            .and_then(|s| s.s3_data_source())
            .and_then(|s| s.s3_uri())
            .map(str::to_owned),
        model_package_name: def.model_package_name().map(str::to_owned),
        inference_specification_name: def.inference_specification_name().map(str::to_owned),
        environment: def
            .environment()
            .map(|e| {
                let mut names: Vec<String> = e.keys().cloned().collect();
                names.sort();
                names
            })
            .unwrap_or_default(),
        multi_model: def.multi_model_config().is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_kept_except_aws_reserved_ones_and_name_what_is_replaced() {
        let old: BTreeMap<String, String> = [("team", "fraud"), ("aws:cloudformation:stack-name", "s")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let tags: Vec<(String, String)> = replacement_tags("fraud-a", "run-1", &old)
            .into_iter()
            .map(|t| {
                (
                    t.key().unwrap_or_default().to_owned(),
                    t.value().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            tags,
            [
                ("team".to_owned(), "fraud".to_owned()),
                (REPLACES_TAG.to_owned(), "fraud-a".to_owned()),
                (RUN_TAG.to_owned(), "run-1".to_owned())
            ]
        );
    }
}
