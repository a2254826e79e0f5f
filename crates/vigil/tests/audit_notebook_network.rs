//! `vigil audit` proving the way out of notebook subnets: route tables,
//! NAT gateways and VPC endpoints built in the emulator's EC2, read once per
//! subnet and VPC, and only when the egress rule is chosen.

mod support;

use support::seed;
use support::{audit_json, calls, Emulator};

/// Four subnets in three VPCs, printed as JSON: one behind a NAT gateway,
/// one with the three endpoints, one on a main table whose default route is
/// an internet gateway (its VPC's S3 endpoint is on another table), one
/// whose default route is a transit gateway.
const EC2_SCENE: &str = r#"
import boto3, json, sys
ec2 = boto3.client('ec2', endpoint_url=sys.argv[1], region_name='eu-west-1',
                   aws_access_key_id='testing', aws_secret_access_key='testing')
def vpc():
    return ec2.create_vpc(CidrBlock='10.0.0.0/16')['Vpc']['VpcId']
def subnet(vpc, n, table=None):
    s = ec2.create_subnet(VpcId=vpc, CidrBlock=f'10.0.{n}.0/24')['Subnet']['SubnetId']
    if table:
        ec2.associate_route_table(RouteTableId=table, SubnetId=s)
    return s
def table(vpc):
    return ec2.create_route_table(VpcId=vpc)['RouteTable']['RouteTableId']
def main_table(vpc):
    tables = ec2.describe_route_tables(Filters=[{'Name': 'vpc-id', 'Values': [vpc]}])['RouteTables']
    return next(t['RouteTableId'] for t in tables if any(a.get('Main') for a in t['Associations']))

v1 = vpc(); t1 = table(v1)
public = subnet(v1, 9)
eip = ec2.allocate_address(Domain='vpc')['AllocationId']
nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=eip)['NatGateway']['NatGatewayId']
ec2.create_route(RouteTableId=t1, DestinationCidrBlock='0.0.0.0/0', NatGatewayId=nat)
behind_nat = subnet(v1, 1, t1)

v2 = vpc(); t2 = table(v2)
with_endpoints = subnet(v2, 1, t2)
for service in ['sagemaker.api', 'sagemaker.runtime']:
    ec2.create_vpc_endpoint(VpcId=v2, VpcEndpointType='Interface', ServiceName=f'com.amazonaws.eu-west-1.{service}',
                            SubnetIds=[with_endpoints], PrivateDnsEnabled=True)
ec2.create_vpc_endpoint(VpcId=v2, VpcEndpointType='Gateway', ServiceName='com.amazonaws.eu-west-1.s3', RouteTableIds=[t2])
igw = ec2.create_internet_gateway()['InternetGateway']['InternetGatewayId']
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=v2)
ec2.create_route(RouteTableId=main_table(v2), DestinationCidrBlock='0.0.0.0/0', GatewayId=igw)
on_main_table = subnet(v2, 2)

v3 = vpc(); t3 = table(v3)
tgw = ec2.create_transit_gateway()['TransitGateway']['TransitGatewayId']
ec2.create_route(RouteTableId=t3, DestinationCidrBlock='0.0.0.0/0', TransitGatewayId=tgw)
via_tgw = subnet(v3, 1, t3)
print(json.dumps({'nat': behind_nat, 'endpoints': with_endpoints, 'stranded': on_main_table, 'tgw': via_tgw, 'igw': igw, 'gw': tgw}))
"#;

#[test]
fn a_notebook_without_direct_internet_must_reach_sagemaker_and_s3_from_its_subnet() {
    use aws_sdk_sagemaker::types::{DirectInternetAccess, InstanceType};
    let emulator = Emulator::start();
    let ids: serde_json::Value = serde_json::from_slice(&support::python_scene(EC2_SCENE, &emulator.url)).unwrap();
    let subnet = |key: &str| ids[key].as_str().unwrap().to_owned();
    let notebooks = [
        ("nat", Some(subnet("nat"))),
        ("endpoints", Some(subnet("endpoints"))),
        ("stranded", Some(subnet("stranded"))),
        ("tgw", Some(subnet("tgw"))),
        ("gone-subnet", Some("subnet-0123456789abcdef0".to_owned())),
        ("direct", None),
    ];
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        for (name, subnet) in &notebooks {
            let create = sm
                .create_notebook_instance()
                .notebook_instance_name(*name)
                .instance_type(InstanceType::MlT3Medium)
                .role_arn(seed::ROLE);
            let create = match subnet {
                Some(subnet) => create
                    .subnet_id(subnet)
                    .security_group_ids("sg-0abc")
                    .direct_internet_access(DirectInternetAccess::Disabled),
                None => create,
            };
            create.send().await.unwrap();
        }
    });
    let rule = "sagemaker-notebook-vpc-egress";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let names: Vec<&str> = notebooks.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        support::statuses_of(&report, rule, "eu-west-1", &names),
        ["pass", "pass", "fail", "unknown", "unknown", "pass"]
    );
    let found = support::verdicts_for(&report, rule);
    let finding = |name: &str| found[&("eu-west-1".to_owned(), name.to_owned())].clone();
    let stranded = finding("stranded")["message"].as_str().unwrap().to_owned();
    assert!(stranded.contains("cannot reach S3"), "{stranded}");
    assert!(
        stranded.contains(&format!("internet gateway {}", ids["igw"].as_str().unwrap())),
        "{stranded}"
    );
    let tgw = finding("tgw")["reason"].as_str().unwrap().to_owned();
    assert!(tgw.contains(ids["gw"].as_str().unwrap()), "{tgw}");
    let gone = finding("gone-subnet")["reason"].as_str().unwrap().to_owned();
    assert!(gone.contains("subnet-0123456789abcdef0"), "{gone}");
    // One DescribeSubnets per subnet of an isolated notebook; the tables and
    // endpoints of each of the three VPCs once.
    assert_eq!(calls(&report, "ec2:DescribeSubnets", "operations"), 5);
    assert_eq!(calls(&report, "ec2:DescribeRouteTables", "operations"), 3);
    assert_eq!(calls(&report, "ec2:DescribeVpcEndpoints", "operations"), 3);
    let (_, other) = audit_json(
        &emulator.url,
        &["--regions", "eu-west-1", "--rules", "sagemaker-notebook-in-vpc"],
    );
    assert_eq!(calls(&other, "ec2:DescribeSubnets", "operations"), 0);
}
