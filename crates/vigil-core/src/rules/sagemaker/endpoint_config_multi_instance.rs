//! `sagemaker-endpoint-config-multi-instance`: every instance-backed
//! production variant starts with more than one instance, so one failed
//! instance or Availability Zone does not take the endpoint down.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-endpoint-config-multi-instance",
    aliases: &[],
    title: "Run SageMaker Endpoint Production Variants on More Than One Instance",
    fails_when: "a production variant that runs on instances has an `InitialInstanceCount` of 1 (serverless variants are not judged)",
    risk: RiskLevel::Medium,
    categories: &["Resilience"],
    resource_kind: ResourceKind::EndpointConfig,
    property: crate::model::EndpointConfig::PRODUCTION_VARIANTS,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.4"],
        aws_config: &[],
        prowler: &["sagemaker_endpoint_config_prod_variant_instances"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::EndpointConfig(config) = resource else {
        return None;
    };
    let name = &config.identity.name;
    let variants = match &config.variants {
        Fact::Known(variants) => variants,
        Fact::Unknown(reason) => {
            let message = format!("The production variants of endpoint configuration {name} could not be read.");
            return Some(Verdict::unknown(reason.clone(), message));
        }
    };
    let count_unknown = |reason: String| {
        Verdict::unknown(
            reason,
            format!("The instance count of endpoint configuration {name} could not be read."),
        )
    };
    let mut single = Vec::new();
    let mut instance_backed = 0;
    for variant in variants.iter().filter(|v| !v.serverless) {
        instance_backed += 1;
        match &variant.initial_instance_count {
            Fact::Known(Some(count)) if *count > 1 => {}
            Fact::Known(Some(_)) => single.push(variant.name.clone()),
            // The API requires a count for instance variants; none written
            // in a template is one AWS would refuse, so say it is unknown.
            Fact::Known(None) => {
                return Some(count_unknown(format!(
                    "variant {} names no InitialInstanceCount",
                    variant.name
                )))
            }
            Fact::Unknown(reason) => return Some(count_unknown(reason.clone())),
        }
    }
    Some(if !single.is_empty() {
        Verdict {
            status: Status::Fail,
            message: format!(
                "Endpoint configuration {name} starts {} on a single instance: one instance or Availability Zone failing takes it down.",
                plural_variants(&single)
            ),
        }
    } else if instance_backed == 0 {
        Verdict {
            status: Status::Pass,
            message: format!(
                "Endpoint configuration {name} has only serverless variants, which SageMaker scales and spreads itself."
            ),
        }
    } else {
        Verdict {
            status: Status::Pass,
            message: format!("Endpoint configuration {name} starts every instance variant on more than one instance."),
        }
    })
}

fn plural_variants(names: &[String]) -> String {
    match names {
        [one] => format!("variant {one}"),
        many => format!("variants {}", many.join(", ")),
    }
}

const ARTICLE: Article = Article {
    what: "\
Checks that every production variant of an endpoint configuration that runs \
on instances has an `InitialInstanceCount` greater than 1. Serverless \
variants (`ServerlessConfig`) have no instance count and are not judged. \
The count is what the endpoint starts with; auto scaling may add instances \
later, but a variant that starts on one instance is down whenever that \
instance is.",
    why: "\
With two or more instances, SageMaker places them in different \
Availability Zones of the region: a failed instance, a zone outage or a \
host replaced for maintenance leaves the endpoint serving. With one, each \
of these is an outage of every application that calls the endpoint.

Risk level Medium: no data is exposed, but production inference stops.",
    audit_console: "\
1. Open **Inference > Endpoint configurations** in the SageMaker console.
2. Open each configuration; under **Production variants**, *Initial instance count* must be 2 or more for every variant with an instance type.
3. Repeat in every region.",
    audit_cli: "\
```sh
for c in $(aws sagemaker list-endpoint-configs --query 'EndpointConfigs[].EndpointConfigName' --output text); do
  echo \"$c $(aws sagemaker describe-endpoint-config --endpoint-config-name \"$c\" \\
    --query 'ProductionVariants[].InitialInstanceCount' --output text)\"
done
```

Any `1` fails.",
    remediate_console: "\
An endpoint configuration cannot be changed. Open the endpoint, choose \
**Update endpoint > Change the endpoint configuration > Create a new \
endpoint configuration**, set each variant's instance count to 2 or more, \
and update the endpoint to it.",
    remediate_cli: "\
```sh
aws sagemaker describe-endpoint-config --endpoint-config-name fraud-cfg --query ProductionVariants \\
  | jq 'map(if .InitialInstanceCount == 1 then .InitialInstanceCount = 2 else . end)' > variants.json
aws sagemaker create-endpoint-config --endpoint-config-name fraud-cfg-ha --production-variants file://variants.json
aws sagemaker update-endpoint --endpoint-name fraud --endpoint-config-name fraud-cfg-ha
```

Copy the old configuration's KMS key, data capture and async inference \
settings to the new one too. For an endpoint that already runs, \
`aws sagemaker update-endpoint-weights-and-capacities` changes the count \
in place, but the configuration keeps saying 1 for the next deployment.",
    remediate_cloudformation: "\
```yaml
EndpointConfig:
  Type: AWS::SageMaker::EndpointConfig
  Properties:
    ProductionVariants:
      - VariantName: primary
        ModelName: !GetAtt Model.ModelName
        InstanceType: ml.m5.large
        InitialInstanceCount: 2
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_endpoint_configuration\" \"fraud\" {
  production_variants {
    variant_name           = \"primary\"
    model_name             = aws_sagemaker_model.fraud.name
    instance_type          = \"ml.m5.large\"
    initial_instance_count = 2
  }

  lifecycle {
    create_before_destroy = true
  }
}
```",
    references: &[
        (
            "AWS Security Hub: SageMaker.4",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html#sagemaker-4",
        ),
        (
            "SageMaker: best practices for deploying models (multiple instances across Availability Zones)",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-best-practices.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EndpointConfig, Identity, ProductionVariant};

    fn variant(name: &str, count: Option<u32>) -> ProductionVariant {
        ProductionVariant {
            name: name.into(),
            serverless: count.is_none(),
            instance_type: Fact::Known(count.map(|_| "ml.m5.large".to_owned())),
            initial_instance_count: Fact::Known(count),
        }
    }

    fn status(variants: Vec<ProductionVariant>) -> (String, String) {
        let mut config = EndpointConfig::unreadable(Identity::declared("c".into()), "x");
        config.variants = Fact::Known(variants);
        let v = check(&Resource::EndpointConfig(config)).unwrap();
        (v.status.as_str().to_owned(), v.message)
    }

    #[test]
    fn each_single_instance_variant_fails_and_is_named() {
        assert_eq!(status(vec![variant("a", Some(2))]).0, "pass");
        let (s, m) = status(vec![
            variant("a", Some(2)),
            variant("b", Some(1)),
            variant("c", Some(1)),
        ]);
        assert_eq!(s, "fail");
        assert!(m.contains("variants b, c"), "{m}");
    }

    #[test]
    fn serverless_variants_are_not_judged() {
        let (s, m) = status(vec![variant("s", None)]);
        assert_eq!(s, "pass");
        assert!(m.contains("serverless"), "{m}");
        assert_eq!(status(vec![variant("s", None), variant("b", Some(1))]).0, "fail");
    }

    #[test]
    fn an_unreadable_count_is_unknown() {
        let mut v = variant("a", Some(1));
        v.initial_instance_count = Fact::unknown("InitialInstanceCount is a parameter without a default");
        assert_eq!(status(vec![v]).0, "unknown");
    }
}
