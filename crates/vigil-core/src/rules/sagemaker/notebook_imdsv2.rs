//! `sagemaker-notebook-imdsv2`: a notebook instance answers instance
//! metadata requests only with IMDSv2 session tokens.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-notebook-imdsv2",
    aliases: &[],
    title: "Require IMDSv2 on SageMaker Notebook Instances",
    fails_when: "a notebook instance's `MinimumInstanceMetadataServiceVersion` is not `2` (`1` is the default)",
    risk: RiskLevel::Medium,
    categories: &["Security", "IAM"],
    resource_kind: ResourceKind::NotebookInstance,
    property: crate::model::NotebookInstance::IMDS_MINIMUM_VERSION,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &[],
        checkov: &["CKV_AWS_371"],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::NotebookInstance(notebook) = resource else {
        return None;
    };
    let name = &notebook.identity.name;
    Some(Verdict::on(
        &notebook.imds_v2_required,
        |required| *required,
        format!("Notebook instance {name} answers instance metadata requests only with IMDSv2 tokens."),
        format!("Notebook instance {name} still answers IMDSv1: a request forged by code on the instance (an SSRF) can read its role's credentials."),
        format!("The instance metadata setting of notebook instance {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker notebook instance sets \
`InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion` \
to `2`. SageMaker applies `1` when the setting is left out, so an instance \
created without it fails.",
    why: "\
The instance metadata service hands the notebook's execution-role \
credentials to anything on the instance that asks. With version 1 allowed, a \
plain HTTP GET is enough: a server-side request forgery in a notebook \
extension, a data-loading library that follows a crafted URL, or a package \
that fetches an address it was given can read the credentials and send them \
away. Version 2 requires a session token obtained with a PUT request that \
such forged requests cannot make, and tokens do not cross a network hop.

Risk level Medium: the attacker needs code or a request path on the \
instance, but the prize is the role's credentials. Checkov's CKV_AWS_371 \
checks the same setting.",
    audit_console: "\
1. Open **Notebook instances** in the SageMaker console.
2. Open each instance; under **Notebook instance settings**, *Minimum IMDS version* must read **2**.
3. Repeat in every region.",
    audit_cli: "\
```sh
aws sagemaker describe-notebook-instance --notebook-instance-name research \\
  --query InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion
```

`\"1\"` (or nothing) fails.",
    remediate_console: "\
1. Stop the instance.
2. Choose **Edit**, set *Minimum IMDS version* to **2**, and save.
3. Start the instance. Tools on it that read instance metadata need an SDK recent enough to use IMDSv2 (every current AWS SDK and the AWS CLI v2 do).",
    remediate_cli: "\
```sh
aws sagemaker stop-notebook-instance --notebook-instance-name research
aws sagemaker wait notebook-instance-stopped --notebook-instance-name research
aws sagemaker update-notebook-instance --notebook-instance-name research \\
  --instance-metadata-service-configuration MinimumInstanceMetadataServiceVersion=2
aws sagemaker start-notebook-instance --notebook-instance-name research
```",
    remediate_cloudformation: "\
```yaml
Notebook:
  Type: AWS::SageMaker::NotebookInstance
  Properties:
    InstanceType: ml.t3.medium
    RoleArn: !GetAtt NotebookRole.Arn
    InstanceMetadataServiceConfiguration:
      MinimumInstanceMetadataServiceVersion: \"2\"
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_notebook_instance\" \"research\" {
  name          = \"research\"
  instance_type = \"ml.t3.medium\"
  role_arn      = aws_iam_role.notebook.arn

  instance_metadata_service_configuration {
    minimum_instance_metadata_service_version = \"2\"
  }
}
```",
    references: &[
        (
            "SageMaker: configure the instance metadata service version of a notebook instance",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-update-imds.html",
        ),
        (
            "Amazon EC2: use IMDSv2",
            "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html",
        ),
    ],
};
