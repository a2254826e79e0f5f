//! `sagemaker-domain-kms-key`: a domain's EFS volume (its users' home
//! folders) is encrypted with a key the customer manages.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "sagemaker-domain-kms-key",
    aliases: &[],
    title: "Encrypt SageMaker Domain Storage with a Customer-Managed KMS Key",
    fails_when: "a domain has no `KmsKeyId`, or names a key KMS says AWS manages, or one that is disabled or pending deletion",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::Domain,
    property: crate::model::Domain::KMS_KEY_ID,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &[],
        checkov: &["CKV_AWS_187"],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::Domain(domain) = resource else {
        return None;
    };
    let name = &domain.identity.name;
    Some(key_verdict(
        &domain.identity.keys,
        &domain.kms_key_id,
        Storage {
            subject: &format!("Domain {name}"),
            subject_lower: &format!("domain {name}"),
            held: "its users' storage",
            held_is: "its users' home folders are",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker domain names a KMS key of your own (`KmsKeyId`). \
SageMaker uses it for the Amazon EFS volume that holds every user profile's \
home folder, and for the storage of the domain's apps. A domain without one, \
or one that names an AWS managed key by its `alias/aws/…` alias, fails. The \
key is chosen when the domain is created and cannot be changed afterwards.",
    why: "\
A Studio domain's EFS volume is where data scientists keep notebooks, \
downloaded datasets, credentials and intermediate results, for every user \
of the domain. With a key AWS manages you cannot narrow who may decrypt it, \
tell its use apart from every other EFS volume in the account, or disable \
it in an incident. A customer-managed key gives you all three.

Risk level Medium: the data is encrypted either way; what is missing is \
control over the key. Checkov's CKV_AWS_187 checks the same setting.",
    audit_console: "\
1. Open **Domains** in the SageMaker console and choose a domain.
2. On **Domain settings**, *Encryption key* must name a key of yours, not the AWS managed key.
3. Repeat in every region.",
    audit_cli: "\
```sh
aws sagemaker list-domains --query 'Domains[].DomainId'
aws sagemaker describe-domain --domain-id d-abc123def456 --query KmsKeyId
```

`null` fails, as does a key named by an `alias/aws/` alias.",
    remediate_console: "\
The key of an existing domain cannot be changed:
1. Create a KMS key whose key policy lets SageMaker and the domain's execution roles use it.
2. Create a new domain with the same settings, choosing that key under **Encryption key**.
3. Move the user profiles' work over (through S3 or a code repository), then delete the old domain's apps, spaces, user profiles and the domain.",
    remediate_cli: "\
```sh
KEY=$(aws kms create-key --description \"SageMaker Studio\" --query KeyMetadata.Arn --output text)
aws sagemaker create-domain --domain-name studio-v2 --auth-mode IAM \\
  --default-user-settings ExecutionRole=arn:aws:iam::123456789012:role/studio \\
  --vpc-id vpc-0abc --subnet-ids subnet-0abc --app-network-access-type VpcOnly \\
  --kms-key-id \"$KEY\"
```",
    remediate_cloudformation: "\
Setting `KmsKeyId` replaces the domain: move its users' work first.

```yaml
Studio:
  Type: AWS::SageMaker::Domain
  Properties:
    DomainName: studio
    AuthMode: IAM
    AppNetworkAccessType: VpcOnly
    VpcId: !Ref Vpc
    SubnetIds: [!Ref PrivateSubnet]
    DefaultUserSettings:
      ExecutionRole: !GetAtt StudioRole.Arn
    KmsKeyId: !GetAtt StudioKey.Arn
```",
    remediate_terraform: "\
Setting `kms_key_id` replaces the domain: move its users' work first.

```hcl
resource \"aws_sagemaker_domain\" \"studio\" {
  domain_name             = \"studio\"
  auth_mode               = \"IAM\"
  app_network_access_type = \"VpcOnly\"
  vpc_id                  = aws_vpc.main.id
  subnet_ids              = [aws_subnet.private.id]
  kms_key_id              = aws_kms_key.studio.arn

  default_user_settings {
    execution_role = aws_iam_role.studio.arn
  }
}
```",
    references: &[
        (
            "SageMaker API: CreateDomain (KmsKeyId)",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateDomain.html",
        ),
        (
            "SageMaker: data protection with encryption at rest",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html",
        ),
    ],
};
