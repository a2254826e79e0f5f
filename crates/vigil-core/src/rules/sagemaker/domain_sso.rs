//! `sagemaker-domain-sso`: a domain's users sign in through IAM Identity
//! Center rather than with IAM credentials.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-domain-sso",
    aliases: &[],
    title: "Sign in to SageMaker Domains through IAM Identity Center",
    fails_when: "a domain's `AuthMode` is `IAM` rather than `SSO`",
    risk: RiskLevel::Low,
    categories: &["Security", "IAM"],
    resource_kind: ResourceKind::Domain,
    property: crate::model::Domain::AUTH_MODE,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["sagemaker_domain_sso_configured"],
        checkov: &[],
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
    Some(Verdict::on(
        &domain.sso,
        |sso| *sso,
        format!("Domain {name} signs its users in through IAM Identity Center."),
        format!("Domain {name} signs its users in with IAM (AuthMode IAM): access follows IAM principals and presigned URLs, not your identity provider's users and groups."),
        format!("The authentication mode of domain {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker domain uses `AuthMode` `SSO`: users reach Studio \
by signing in to IAM Identity Center, which federates your identity \
provider. A domain on `IAM` fails. The mode is chosen when the domain is \
created and cannot be changed.",
    why: "\
With Identity Center, who may open Studio, and as which user profile, \
follows the users and groups of your identity provider: joiners, movers and \
leavers are handled where they already are, sign-in carries your MFA and \
session policies, and CloudTrail names the person. With IAM, anyone who can \
call `CreatePresignedDomainUrl` for a profile can open it, and mapping \
people to profiles is a convention you maintain.

Risk level Low, and IAM can be the right choice: a team without Identity \
Center, automation that opens Studio on behalf of users, or an organization \
that federates into IAM roles already and grants \
`sagemaker:CreatePresignedDomainUrl` per profile with tags. Suppress this \
rule for such domains in vigil.toml, with the reason.",
    audit_console: "\
1. Open **Domains** in the SageMaker console and choose a domain.
2. On **Domain settings**, *Authentication method* must read **AWS IAM Identity Center**.
3. Repeat in every region.",
    audit_cli: "\
```sh
aws sagemaker describe-domain --domain-id d-abc123def456 --query AuthMode
```

`\"IAM\"` fails.",
    remediate_console: "\
The authentication method of a domain cannot be changed:
1. Enable IAM Identity Center in the organization's management account (or its delegated administrator), in the domain's region.
2. Create a new domain with **AWS IAM Identity Center** as the authentication method, and assign its users and groups.
3. Move the user profiles' work over, then delete the old domain's apps, spaces, user profiles and the domain.",
    remediate_cli: "\
```sh
aws sagemaker create-domain --domain-name studio-sso --auth-mode SSO \\
  --default-user-settings ExecutionRole=arn:aws:iam::123456789012:role/studio \\
  --vpc-id vpc-0abc --subnet-ids subnet-0abc --app-network-access-type VpcOnly
```",
    remediate_cloudformation: "\
Changing `AuthMode` replaces the domain: move its users' work first.

```yaml
Studio:
  Type: AWS::SageMaker::Domain
  Properties:
    DomainName: studio
    AuthMode: SSO
    AppNetworkAccessType: VpcOnly
    VpcId: !Ref Vpc
    SubnetIds: [!Ref PrivateSubnet]
    DefaultUserSettings:
      ExecutionRole: !GetAtt StudioRole.Arn
```",
    remediate_terraform: "\
Changing `auth_mode` replaces the domain: move its users' work first.

```hcl
resource \"aws_sagemaker_domain\" \"studio\" {
  domain_name             = \"studio\"
  auth_mode               = \"SSO\"
  app_network_access_type = \"VpcOnly\"
  vpc_id                  = aws_vpc.main.id
  subnet_ids              = [aws_subnet.private.id]

  default_user_settings {
    execution_role = aws_iam_role.studio.arn
  }
}
```",
    references: &[
        (
            "SageMaker: onboard to a domain using IAM Identity Center",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/onboard-sso-users.html",
        ),
        (
            "SageMaker API: CreateDomain (AuthMode)",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateDomain.html",
        ),
    ],
};
