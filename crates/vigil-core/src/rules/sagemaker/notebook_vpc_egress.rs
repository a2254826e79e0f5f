//! `sagemaker-notebook-vpc-egress`: a notebook instance without direct
//! internet access can still reach SageMaker and S3 from its subnet (a NAT
//! gateway, or VPC endpoints), live or where the template declares the
//! subnet.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{NotebookInstance, Resource, ResourceKind, RouteTarget, SubnetEgress};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-notebook-vpc-egress",
    aliases: &[],
    title: "Give SageMaker Notebook Instances in VPC-Only Mode a Way to SageMaker and S3",
    fails_when: "a notebook instance without direct internet access has neither a NAT gateway route nor VPC endpoints for the SageMaker API, SageMaker Runtime and S3 in its subnet",
    risk: RiskLevel::Low,
    categories: &["Network", "Resilience"],
    resource_kind: ResourceKind::NotebookInstance,
    property: NotebookInstance::SUBNET_ID,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::SubnetEgress,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &[],
        checkov: &[],
        conformity: &["Notebook in VPC Only Mode Can Access Required Resources"],
    },
    article: ARTICLE,
    check,
};

/// What a notebook needs to train and host models (the endpoint service
/// names' last part): the SageMaker API, SageMaker Runtime and S3.
const REQUIRED: &[(&str, &str)] = &[
    ("sagemaker.api", "the SageMaker API"),
    ("sagemaker.runtime", "SageMaker Runtime"),
    ("s3", "S3"),
];

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::NotebookInstance(notebook) = resource else {
        return None;
    };
    let name = &notebook.identity.name;
    let unknown = |why: &String, what: &str| {
        Some(Verdict::unknown(
            why.clone(),
            format!("{what} of notebook instance {name} could not be read."),
        ))
    };
    match (&notebook.direct_internet_access, &notebook.subnet_id) {
        (Fact::Unknown(why), _) => return unknown(why, "The internet access setting"),
        (Fact::Known(true), _) => {
            return Some(verdict(
                Status::Pass,
                format!("Notebook instance {name} reaches AWS through SageMaker's network (direct internet access)."),
            ))
        }
        (_, Fact::Unknown(why)) => return unknown(why, "The subnet"),
        (_, Fact::Known(None)) => {
            return Some(verdict(
                Status::Pass,
                format!("Notebook instance {name} is in no subnet of yours."),
            ))
        }
        (Fact::Known(false), Fact::Known(Some(_))) => {}
    }
    Some(match &notebook.egress {
        Fact::Known(egress) => judge(name, egress),
        Fact::Unknown(why) => return unknown(why, "The routes and VPC endpoints of the subnet"),
    })
}

fn judge(name: &str, egress: &SubnetEgress) -> Verdict {
    let subnet = &egress.subnet_id;
    if let Fact::Known(Some(RouteTarget::NatGateway(nat))) = &egress.default_route {
        return verdict(
            Status::Pass,
            format!("Notebook instance {name} reaches AWS from {subnet} through NAT gateway {nat}."),
        );
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|(service, _)| {
            let suffix = format!(".{service}");
            !egress.endpoints.iter().any(|e| e.ends_with(&suffix))
        })
        .map(|(_, said)| *said)
        .collect();
    if missing.is_empty() {
        return verdict(
            Status::Pass,
            format!("Notebook instance {name} reaches the SageMaker API, SageMaker Runtime and S3 from {subnet} through VPC endpoints."),
        );
    }
    let missing = missing.join(", ");
    match &egress.default_route {
        Fact::Known(Some(RouteTarget::Other(target))) => Verdict::unknown(
            format!("0.0.0.0/0 in {} goes to {target}, whose onward path Vigil cannot follow", egress.route_table),
            format!("Notebook instance {name} has no VPC endpoint for {missing}; whether {target} leads to them could not be told."),
        ),
        Fact::Unknown(why) => Verdict::unknown(
            why.clone(),
            format!("Notebook instance {name} has no VPC endpoint for {missing}; whether {subnet} routes to a NAT gateway could not be read."),
        ),
        Fact::Known(through_igw) => {
            let route = match through_igw {
                Some(igw) => format!("its default route goes to internet gateway {}, which the instance (no public address) cannot use", target_id(igw)),
                None => format!("{} has no default route", egress.route_table),
            };
            verdict(
                Status::Fail,
                format!("Notebook instance {name} cannot reach {missing} from {subnet}: no NAT gateway, no VPC endpoint for them, and {route}. It cannot train or host models."),
            )
        }
    }
}

fn target_id(target: &RouteTarget) -> &str {
    match target {
        RouteTarget::NatGateway(id) | RouteTarget::InternetGateway(id) | RouteTarget::Other(id) => id,
    }
}

fn verdict(status: Status, message: String) -> Verdict {
    Verdict { status, message }
}

const ARTICLE: Article = Article {
    what: "\
Checks that each notebook instance with direct internet access disabled can \
still reach what SageMaker notebooks need from its subnet: either the \
subnet's route table (its own, or its VPC's main one) sends `0.0.0.0/0` to \
a NAT gateway, or the VPC has available endpoints for the SageMaker API \
(`sagemaker.api`), SageMaker Runtime (`sagemaker.runtime`) and S3 (an \
interface endpoint with private DNS, or a gateway endpoint on the subnet's \
route table). A default route to a transit gateway, a peering connection \
or an appliance may lead anywhere: `unknown`, with the route named. \
Instances with direct internet access pass (the direct-internet rule judges \
them). Security groups and network ACLs are not read.

In templates, the subnet must be declared in the same CloudFormation \
template or Terraform module or plan (`SubnetId: !Ref Subnet`, \
`subnet_id = aws_subnet.s.id`): its route table association, that table's \
routes (`AWS::EC2::Route`, `aws_route`, inline `route` blocks) and the VPC \
endpoints of its VPC are read. A subnet declared elsewhere is `unknown`; \
so is one without a route table of its own in the template (its VPC's main \
table applies, whose routes the template does not show) unless the \
endpoints alone suffice.",
    why: "\
Turning direct internet access off is the right call, and it leaves the \
instance with nothing but its VPC. Without a NAT gateway or endpoints, the \
notebook cannot call the SageMaker API to start a training job, cannot read \
its data from S3, and cannot invoke an endpoint: the locked-down notebook \
does not work, and the usual fix under deadline is to turn direct internet \
access back on. Proving the way out before users hit the wall keeps the \
secure setting in place.

Risk level Low: nothing is exposed; what is at stake is the notebook's use, \
and the pressure to undo its isolation.",
    audit_console: "\
1. Open the notebook instance in the SageMaker console and note its subnet under **Network**.
2. In the VPC console, open that subnet's **Route table**: a `0.0.0.0/0` route to a `nat-` target passes.
3. Otherwise, under **Endpoints**, the VPC needs available endpoints for `com.amazonaws.REGION.sagemaker.api`, `…sagemaker.runtime` (interface, private DNS enabled) and `…s3` (a gateway endpoint associated with that route table, or an interface endpoint).",
    audit_cli: "\
```sh
subnet=$(aws sagemaker describe-notebook-instance --notebook-instance-name research \\
  --query SubnetId --output text)
vpc=$(aws ec2 describe-subnets --subnet-ids \"$subnet\" --query 'Subnets[0].VpcId' --output text)
aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=\"$subnet\" \\
  --query 'RouteTables[].Routes[?DestinationCidrBlock==`0.0.0.0/0`]'
aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=\"$vpc\" \\
  --query 'VpcEndpoints[].[ServiceName,VpcEndpointType,State]' --output text
```

No NAT route and no endpoint for `sagemaker.api`, `sagemaker.runtime` and `s3` fails.",
    remediate_console: "\
Either add a NAT gateway in a public subnet and a `0.0.0.0/0` route to it \
in the notebook subnet's route table, or, to keep the notebook off the \
internet entirely, create VPC endpoints: interface endpoints for \
`com.amazonaws.REGION.sagemaker.api` and `com.amazonaws.REGION.sagemaker.runtime` \
(private DNS enabled, in the notebook's subnet, with a security group that \
allows HTTPS from it), and a gateway endpoint for `com.amazonaws.REGION.s3` \
associated with the subnet's route table. Add `sts`, `logs` and `ecr` \
endpoints if the notebook's code uses them.",
    remediate_cli: "\
```sh
subnet=$(aws sagemaker describe-notebook-instance --notebook-instance-name research \\
  --query SubnetId --output text)
vpc=$(aws ec2 describe-subnets --subnet-ids \"$subnet\" --query 'Subnets[0].VpcId' --output text)
table=$(aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=\"$subnet\" \\
  --query 'RouteTables[0].RouteTableId' --output text)
for service in sagemaker.api sagemaker.runtime; do
  aws ec2 create-vpc-endpoint --vpc-id \"$vpc\" --vpc-endpoint-type Interface \\
    --service-name \"com.amazonaws.eu-west-1.$service\" --subnet-ids \"$subnet\" --private-dns-enabled
done
aws ec2 create-vpc-endpoint --vpc-id \"$vpc\" --vpc-endpoint-type Gateway \\
  --service-name com.amazonaws.eu-west-1.s3 --route-table-ids \"$table\"
```",
    remediate_cloudformation: "\
```yaml
SageMakerApiEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    VpcEndpointType: Interface
    ServiceName: !Sub com.amazonaws.${AWS::Region}.sagemaker.api
    SubnetIds: [!Ref NotebookSubnet]
    SecurityGroupIds: [!Ref EndpointSecurityGroup]
    PrivateDnsEnabled: true
SageMakerRuntimeEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    VpcEndpointType: Interface
    ServiceName: !Sub com.amazonaws.${AWS::Region}.sagemaker.runtime
    SubnetIds: [!Ref NotebookSubnet]
    SecurityGroupIds: [!Ref EndpointSecurityGroup]
    PrivateDnsEnabled: true
S3Endpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    VpcEndpointType: Gateway
    ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
    RouteTableIds: [!Ref NotebookRouteTable]
```",
    remediate_terraform: "\
```hcl
data \"aws_region\" \"current\" {}

resource \"aws_vpc_endpoint\" \"sagemaker\" {
  for_each            = toset([\"sagemaker.api\", \"sagemaker.runtime\"])
  vpc_id              = aws_vpc.main.id
  vpc_endpoint_type   = \"Interface\"
  service_name        = \"com.amazonaws.${data.aws_region.current.name}.${each.key}\"
  subnet_ids          = [aws_subnet.notebooks.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}

resource \"aws_vpc_endpoint\" \"s3\" {
  vpc_id            = aws_vpc.main.id
  vpc_endpoint_type = \"Gateway\"
  service_name      = \"com.amazonaws.${data.aws_region.current.name}.s3\"
  route_table_ids   = [aws_route_table.notebooks.id]
}
```",
    references: &[
        (
            "SageMaker: connect a notebook instance in a VPC to external resources",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html",
        ),
        (
            "SageMaker: connect to SageMaker through a VPC interface endpoint",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html",
        ),
        (
            "Amazon VPC: gateway endpoints for Amazon S3",
            "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn egress(default_route: Option<&str>, endpoints: &[&str]) -> SubnetEgress {
        SubnetEgress {
            subnet_id: "subnet-1".into(),
            route_table: "rtb-1".into(),
            default_route: Fact::Known(default_route.map(RouteTarget::of_id)),
            endpoints: endpoints
                .iter()
                .map(|e| format!("com.amazonaws.eu-west-1.{e}"))
                .collect(),
        }
    }

    #[test]
    fn a_nat_route_or_all_three_endpoints_pass() {
        assert_eq!(judge("nb", &egress(Some("nat-1"), &[])).status, Status::Pass);
        let all = ["sagemaker.api", "sagemaker.runtime", "s3"];
        assert_eq!(judge("nb", &egress(None, &all)).status, Status::Pass);
        assert_eq!(judge("nb", &egress(Some("tgw-1"), &all)).status, Status::Pass);
    }

    #[test]
    fn what_is_missing_is_named_and_an_unfollowable_route_is_unknown() {
        let partial = judge("nb", &egress(None, &["s3"]));
        assert_eq!(partial.status, Status::Fail);
        assert!(
            partial.message.contains("the SageMaker API, SageMaker Runtime"),
            "{}",
            partial.message
        );
        let igw = judge("nb", &egress(Some("igw-1"), &[]));
        assert_eq!(igw.status, Status::Fail);
        assert!(igw.message.contains("internet gateway igw-1"), "{}", igw.message);
        let tgw = judge("nb", &egress(Some("tgw-1"), &["s3"]));
        assert_eq!(tgw.status.as_str(), "unknown");
        assert!(tgw.status.reason().unwrap().contains("tgw-1"));
    }
}
