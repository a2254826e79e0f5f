//! `sagemaker-domain-vpc-only`: SageMaker Studio domains send their apps'
//! traffic through the account's VPC, not straight to the internet.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-domain-vpc-only",
    aliases: &[],
    title: "Use VPC-Only Network Access for SageMaker Domains",
    fails_when: "a domain's `AppNetworkAccessType` is not `VpcOnly` (`PublicInternetOnly` is the default)",
    risk: RiskLevel::High,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::Domain,
    property: crate::model::Domain::APP_NETWORK_ACCESS_TYPE,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &["sagemaker-domain-in-vpc"],
        prowler: &[],
        checkov: &[],
        conformity: &["Enable VPC Only for SageMaker Domains"],
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
        &domain.vpc_only,
        |vpc_only| *vpc_only,
        format!("Domain {name} sends its apps' traffic only through your VPC."),
        format!(
            "Domain {name} uses PublicInternetOnly: its Studio apps reach the internet directly, outside your VPC."
        ),
        format!("The network access type of domain {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker domain (the home of SageMaker Studio users and \
apps) has `AppNetworkAccessType` set to `VpcOnly`. SageMaker applies \
`PublicInternetOnly` when the setting is left out, so such a domain fails.",
    why: "\
In `PublicInternetOnly` mode, every Studio app (JupyterLab, Code Editor, \
kernels running user code) gets direct internet access through a \
SageMaker-managed network. Users routinely run arbitrary code there against \
training data and with the credentials of their execution roles; direct \
egress means that data can leave the account without crossing any control \
you own.

In `VpcOnly` mode, app traffic goes through the domain's subnets in your VPC, \
where security groups, VPC endpoints, NAT or proxy egress and flow logs \
apply, and where you can allow exactly the destinations users need.

Risk level High: it is direct, unmonitored internet egress for interactive \
machines that hold data and credentials, like a notebook instance with direct \
internet access.",
    audit_console: "\
1. Open the SageMaker console and choose **Admin configurations > Domains**.
2. Open each domain; on **Domain settings**, *Network* must show **VPC only**.
3. Repeat in every region.",
    audit_cli: "\
```sh
for id in $(aws sagemaker list-domains --query 'Domains[].DomainId' --output text); do
  echo \"$id $(aws sagemaker describe-domain --domain-id \"$id\" --query AppNetworkAccessType --output text)\"
done
```

`PublicInternetOnly` fails.",
    remediate_console: "\
1. Give the domain's subnets what Studio needs without the internet: VPC \
endpoints for the SageMaker API, runtime and Studio, S3, STS, CloudWatch \
Logs and ECR, or a NAT gateway where egress is allowed.
2. Delete or stop every running app in the domain (the setting cannot change \
while apps run).
3. **Edit** the domain's network settings, choose **VPC only**, pick the \
subnets and security groups, and save.",
    remediate_cli: "\
```sh
aws sagemaker update-domain --domain-id d-abc123 \\
  --app-network-access-type VpcOnly \\
  --default-user-settings '{\"SecurityGroups\": [\"sg-0123abcd\"]}'
```

Apps must be deleted first; the subnets are the domain's `SubnetIds`.",
    remediate_cloudformation: "\
```yaml
StudioDomain:
  Type: AWS::SageMaker::Domain
  Properties:
    DomainName: research
    AuthMode: IAM
    AppNetworkAccessType: VpcOnly
    VpcId: !Ref Vpc
    SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
    DefaultUserSettings:
      ExecutionRole: !GetAtt StudioRole.Arn
      SecurityGroups: [!Ref StudioSecurityGroup]
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_domain\" \"research\" {
  domain_name             = \"research\"
  auth_mode               = \"IAM\"
  vpc_id                  = aws_vpc.main.id
  subnet_ids              = aws_subnet.private[*].id
  app_network_access_type = \"VpcOnly\"

  default_user_settings {
    execution_role  = aws_iam_role.studio.arn
    security_groups = [aws_security_group.studio.id]
  }
}
```",
    references: &[
        (
            "SageMaker: connect Studio notebooks in a VPC to external resources",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/studio-notebooks-and-internet-access.html",
        ),
        (
            "AWS Config: sagemaker-domain-in-vpc",
            "https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-domain-in-vpc.html",
        ),
    ],
};
