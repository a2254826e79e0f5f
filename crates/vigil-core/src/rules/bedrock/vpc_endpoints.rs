//! `bedrock-vpc-endpoints`: a VPC in a region that invokes Bedrock models
//! reaches the Bedrock runtime through an interface endpoint, not the
//! internet.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Property, Resource, ResourceKind, Vpc};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-vpc-endpoints",
    aliases: &[],
    title: "Reach Amazon Bedrock Through VPC Endpoints",
    fails_when: "a VPC with network interfaces, in a region that invokes Bedrock models, has no available interface endpoint for `bedrock-runtime`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::Vpc,
    property: Property::LIVE_ONLY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_vpc_endpoints_configured"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::Vpc(vpc) = resource else {
        return None;
    };
    let name = &vpc.identity.name;
    let region = vpc.identity.region.as_deref().unwrap_or("its region");
    let endpoints = match &vpc.bedrock_endpoints {
        Fact::Known(endpoints) => endpoints,
        Fact::Unknown(_) if vpc.in_use == Fact::Known(false) => return None,
        Fact::Unknown(why) => {
            return Some(Verdict::unknown(
                why.clone(),
                format!("Which Bedrock APIs VPC {name} reaches through endpoints could not be read."),
            ))
        }
    };
    let has = |api: &str| endpoints.iter().any(|e| e == api || *e == format!("{api}-fips"));
    let missing: Vec<&str> = Vpc::BEDROCK_APIS.into_iter().filter(|api| !has(api)).collect();
    if has("bedrock-runtime") {
        let mut message = format!("VPC {name} reaches the Bedrock runtime through an interface endpoint, so prompts and answers stay on the AWS network.");
        if !missing.is_empty() {
            message = format!(
                "{message} It has none for {}, whose calls leave through its internet route if they are made from it.",
                missing.join(", ")
            );
        }
        return Some(Verdict {
            status: Status::Pass,
            message,
        });
    }
    // An empty VPC runs nothing that calls Bedrock.
    match &vpc.in_use {
        Fact::Known(false) => return None,
        Fact::Unknown(why) => {
            return Some(Verdict::unknown(
                why.clone(),
                format!("Whether anything runs in VPC {name} could not be read."),
            ))
        }
        Fact::Known(true) => {}
    }
    Some(match &vpc.bedrock_invoked {
        Fact::Known(true) => Verdict {
            status: Status::Fail,
            message: format!(
                "VPC {name} runs workloads in {region}, where Bedrock models are invoked, and has no interface endpoint for bedrock-runtime: model calls from it, with their prompts and answers, leave through its internet route (missing: {}).",
                missing.join(", ")
            ),
        },
        // The collector reads no VPC of a region that invokes no model.
        Fact::Known(false) => return None,
        Fact::Unknown(why) => Verdict::unknown(
            why.clone(),
            format!("VPC {name} has no Bedrock runtime endpoint; whether {region} invokes Bedrock models could not be read."),
        ),
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks, in each audited region where Amazon Bedrock models are invoked \
(CloudWatch lists an `AWS/Bedrock` metric there, as for the logging \
rule), that every VPC with network interfaces has an `available` \
interface endpoint for `com.amazonaws.REGION.bedrock-runtime` (or its \
FIPS twin), the API that carries prompts and answers. The endpoints for \
the agent runtime, the control planes and `bedrock-mantle` are named when \
missing, but do not fail: they carry no model data. VPCs without network \
interfaces and regions that invoke no model are not judged. Live audits \
only: a template does not show whether the region invokes models, nor \
the endpoints other stacks made.",
    why: "\
Without an endpoint, a model call from a VPC leaves through a NAT gateway \
or internet gateway to Bedrock's public endpoint: the workload needs an \
internet route, and every prompt and answer crosses it. An interface \
endpoint keeps the calls on the AWS network, lets a VPC with no internet \
route at all use Bedrock, and takes an endpoint policy that limits which \
principals and models may be called through it.

Risk level Medium: the calls are encrypted in transit either way; what \
the endpoint removes is the need for an internet path, and with it a \
route for data to leave by.

Prowler fails a VPC that lacks any of five Bedrock endpoints. Vigil asks \
for the runtime's only, because the control-plane APIs carry no prompts \
or answers, and names the missing ones.",
    audit_console: "\
1. Open the Amazon VPC console and choose **Endpoints**.
2. For each VPC that runs workloads, look for an *Interface* endpoint with \
service name `com.amazonaws.REGION.bedrock-runtime` whose status is \
*Available*.
3. Repeat in every region where Bedrock is used.",
    audit_cli: "\
```sh
for vpc in $(aws ec2 describe-vpcs --query 'Vpcs[].VpcId' --output text); do
  printf '%s\\t%s\\n' \"$vpc\" \"$(aws ec2 describe-vpc-endpoints \\
    --filters Name=vpc-id,Values=\"$vpc\" Name=vpc-endpoint-state,Values=available \\
    --query \"VpcEndpoints[?ends_with(ServiceName, '.bedrock-runtime')].VpcEndpointId | [0]\" --output text)\"
done
```

A VPC that runs workloads and shows `None` fails.",
    remediate_console: "\
In the Amazon VPC console choose **Endpoints**, **Create endpoint**, \
*AWS services*, and `com.amazonaws.REGION.bedrock-runtime`; choose the \
VPC, a subnet in each Availability Zone the workloads use and a security \
group that admits HTTPS from them, and keep *Enable DNS name* on so the \
SDKs reach the endpoint without a change.",
    remediate_cli: "\
```sh
vpc=$(aws ec2 describe-vpcs --filters Name=tag:Name,Values=workloads --query 'Vpcs[0].VpcId' --output text)
subnets=$(aws ec2 describe-subnets --filters Name=vpc-id,Values=\"$vpc\" --query 'Subnets[].SubnetId' --output text)
region=$(aws ec2 describe-availability-zones --query 'AvailabilityZones[0].RegionName' --output text)
aws ec2 create-vpc-endpoint --vpc-id \"$vpc\" --vpc-endpoint-type Interface \\
  --service-name \"com.amazonaws.$region.bedrock-runtime\" --subnet-ids $subnets --private-dns-enabled
```",
    remediate_cloudformation: "\
```yaml
BedrockRuntimeEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    VpcEndpointType: Interface
    ServiceName: !Sub com.amazonaws.${AWS::Region}.bedrock-runtime
    SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
    SecurityGroupIds: [!Ref EndpointSecurityGroup]
    PrivateDnsEnabled: true
```",
    remediate_terraform: "\
```hcl
resource \"aws_vpc_endpoint\" \"bedrock_runtime\" {
  vpc_id              = aws_vpc.workloads.id
  vpc_endpoint_type   = \"Interface\"
  service_name        = \"com.amazonaws.${data.aws_region.current.name}.bedrock-runtime\"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}
```",
    references: &[
        (
            "Amazon Bedrock: use interface VPC endpoints (AWS PrivateLink)",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/vpc-interface-endpoints.html",
        ),
        (
            "AWS PrivateLink: access an AWS service using an interface VPC endpoint",
            "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Identity;

    fn vpc(in_use: Fact<bool>, invoked: Fact<bool>, endpoints: &[&str]) -> Resource {
        Resource::Vpc(Vpc {
            identity: Identity::from_arn(
                "vpc-1".into(),
                Some("arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1".into()),
            ),
            in_use,
            bedrock_invoked: invoked,
            bedrock_endpoints: Fact::Known(endpoints.iter().map(|e| e.to_string()).collect()),
        })
    }

    fn status(resource: &Resource) -> Option<&'static str> {
        check(resource).map(|v| match v.status {
            Status::Pass => "pass",
            Status::Fail => "fail",
            _ => "unknown",
        })
    }

    #[test]
    fn the_runtime_endpoint_decides_where_models_are_invoked_and_the_vpc_runs_something() {
        let yes = || Fact::Known(true);
        assert_eq!(status(&vpc(yes(), yes(), &["bedrock-runtime"])), Some("pass"));
        assert_eq!(status(&vpc(yes(), yes(), &["bedrock-runtime-fips"])), Some("pass"));
        assert_eq!(status(&vpc(yes(), yes(), &["bedrock", "bedrock-agent"])), Some("fail"));
        assert_eq!(status(&vpc(yes(), Fact::unknown("refused"), &[])), Some("unknown"));
        assert_eq!(status(&vpc(Fact::unknown("refused"), yes(), &[])), Some("unknown"));
        // An empty VPC, or a region that invokes no model, is not judged.
        assert_eq!(status(&vpc(Fact::Known(false), yes(), &[])), None);
        assert_eq!(status(&vpc(yes(), Fact::Known(false), &[])), None);
        let pass = check(&vpc(yes(), yes(), &["bedrock-runtime"])).unwrap();
        assert!(pass.message.contains("none for bedrock-agent-runtime, bedrock, bedrock-agent, bedrock-mantle"), "{}", pass.message);
    }
}
