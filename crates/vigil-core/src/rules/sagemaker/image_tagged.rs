//! `sagemaker-image-tagged`: Studio images and app image configurations
//! carry tags of their own, so their owner and purpose can be told.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind, StudioImage};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-image-tagged",
    aliases: &[],
    title: "Tag SageMaker Studio Images and App Image Configurations",
    fails_when: "a SageMaker image or app image configuration has no tag other than AWS's own (`aws:` keys)",
    risk: RiskLevel::Low,
    categories: &["Governance"],
    resource_kind: ResourceKind::StudioImage,
    property: StudioImage::TAGS,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.6", "SageMaker.7"],
        aws_config: &[],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::StudioImage(image) = resource else {
        return None;
    };
    let subject = image.described();
    Some(match &image.tag_keys {
        Fact::Unknown(why) => Verdict::unknown(why.clone(), format!("The tags of {subject} could not be read.")),
        Fact::Known(keys) => {
            let own: Vec<&str> = keys
                .iter()
                .map(String::as_str)
                .filter(|k| !k.starts_with("aws:"))
                .collect();
            match own.is_empty() {
                true => Verdict {
                    status: Status::Fail,
                    message: format!("{subject} has no tags: nothing says who owns it or what it is for."),
                },
                false => Verdict {
                    status: Status::Pass,
                    message: format!("{subject} is tagged ({}).", own.join(", ")),
                },
            }
        }
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that every SageMaker image (the custom images Studio users run) and \
every app image configuration (how Studio runs them) has at least one tag \
of your own; tags whose keys start with `aws:` are AWS's and do not count. \
Security Hub's SageMaker.6 and SageMaker.7 can also require given tag keys \
(`requiredTagKeys`); Vigil checks only that there is one.",
    why: "\
Custom images decide what code, libraries and credentials helpers every \
Studio user of a domain runs. An untagged image has no recorded owner, \
team, data classification or cost centre: nobody can tell whether it is \
still maintained, whom to ask before changing it, or which policy applies \
to it, and tag-based access control (`aws:ResourceTag` conditions) cannot \
reach it.

Risk level Low: tags are governance, not a barrier in themselves.",
    audit_console: "\
1. Open **Admin configurations > Images** in the SageMaker console (and \
each image's app image configuration).
2. Each must show at least one tag.
3. Repeat in every region.",
    audit_cli: "\
```sh
for arn in $(aws sagemaker list-images --query 'Images[].ImageArn' --output text) \\
           $(aws sagemaker list-app-image-configs --query 'AppImageConfigs[].AppImageConfigArn' --output text); do
  echo \"$arn $(aws sagemaker list-tags --resource-arn \"$arn\" --query 'length(Tags[?!starts_with(Key, `aws:`)])')\"
done
```

A count of `0` fails.",
    remediate_console: "\
Open the image or app image configuration and add tags under **Tags** (for \
example `owner`, `team`, `data-classification`).",
    remediate_cli: "\
```sh
for arn in $(aws sagemaker list-images --query 'Images[].ImageArn' --output text) \\
           $(aws sagemaker list-app-image-configs --query 'AppImageConfigs[].AppImageConfigArn' --output text); do
  aws sagemaker add-tags --resource-arn \"$arn\" --tags Key=owner,Value=ml-platform Key=team,Value=research
done
```

Give each its real owner and team rather than one value for all. Tags are \
added in place: nothing is re-created.",
    remediate_cloudformation: "\
```yaml
BasePython:
  Type: AWS::SageMaker::Image
  Properties:
    ImageName: base-python
    ImageRoleArn: !GetAtt ImageRole.Arn
    Tags:
      - { Key: owner, Value: ml-platform }
      - { Key: team, Value: research }
BasePythonConfig:
  Type: AWS::SageMaker::AppImageConfig
  Properties:
    AppImageConfigName: base-python
    Tags:
      - { Key: owner, Value: ml-platform }
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_image\" \"base_python\" {
  image_name = \"base-python\"
  role_arn   = aws_iam_role.image.arn
  tags = {
    owner = \"ml-platform\"
    team  = \"research\"
  }
}
```

Tags the provider adds through `default_tags` count in a plan \
(`tags_all`); in `.tf` files Vigil reads only the resource's own `tags`.",
    references: &[
        (
            "Security Hub: SageMaker controls",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html",
        ),
        (
            "SageMaker API: AddTags",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AddTags.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Identity;

    fn verdict(keys: Fact<Vec<&str>>) -> (&'static str, String) {
        let image = StudioImage {
            identity: Identity::declared("base-python".into()),
            type_name: StudioImage::APP_IMAGE_CONFIG,
            tag_keys: keys.map(|k| k.into_iter().map(str::to_owned).collect()),
        };
        let v = check(&Resource::StudioImage(image)).unwrap();
        (v.status.as_str(), v.message)
    }

    #[test]
    fn a_tag_of_its_own_is_needed() {
        let (s, why) = verdict(Fact::Known(vec!["aws:cloudformation:stack-name"]));
        assert_eq!(s, "fail");
        assert!(why.starts_with("AppImageConfig base-python has no tags"), "{why}");
        let (s, why) = verdict(Fact::Known(vec!["owner", "aws:cloudformation:stack-name"]));
        assert_eq!(s, "pass");
        assert!(why.contains("(owner)"), "{why}");
        assert_eq!(verdict(Fact::unknown("x")).0, "unknown");
    }
}
