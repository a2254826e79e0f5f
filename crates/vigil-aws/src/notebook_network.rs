//! The EC2 reads behind the notebook egress rule: the route table and VPC
//! endpoints that decide how a notebook instance's subnet reaches SageMaker
//! and S3 (`DescribeSubnets`, `DescribeRouteTables`, `DescribeVpcEndpoints`),
//! as signed Query calls in the notebook's region. Each subnet is read once,
//! each VPC's tables and endpoints once.

use crate::answer::Node;
use crate::calls::CallCounter;
use crate::iam::form_encoded;
use aws_config::SdkConfig;
use aws_types::region::Region;
use std::collections::{BTreeMap, HashMap};
use vigil_core::model::{RouteTarget, SubnetEgress};
use vigil_core::{Fact, NotebookInstance, Resource};

/// Fills the way out of the subnet of each notebook instance that has no
/// direct internet access (the others do not need it).
pub async fn read_egress(config: &SdkConfig, counter: &CallCounter, resources: &mut [Resource]) {
    let mut by_region: BTreeMap<String, Vec<&mut NotebookInstance>> = BTreeMap::new();
    for resource in resources.iter_mut() {
        if let Resource::NotebookInstance(notebook) = resource {
            let isolated = notebook.direct_internet_access == Fact::Known(false);
            if let (true, Some(region)) = (isolated, notebook.identity.region.clone()) {
                by_region.entry(region).or_default().push(notebook);
            }
        }
    }
    for (region, notebooks) in by_region {
        let regional = config.to_builder().region(Region::new(region)).build();
        let mut reader = Reader {
            config: &regional,
            counter,
            subnets: HashMap::new(),
            vpcs: HashMap::new(),
        };
        for notebook in notebooks {
            if let Fact::Known(Some(subnet)) = &notebook.subnet_id {
                notebook.egress = reader.egress_of(subnet).await;
            }
        }
    }
}

/// A VPC's route tables and endpoints, read once for all its subnets.
struct Vpc {
    tables: Vec<Node>,
    endpoints: Vec<Node>,
}

struct Reader<'a> {
    config: &'a SdkConfig,
    counter: &'a CallCounter,
    subnets: HashMap<String, Fact<SubnetEgress>>,
    vpcs: HashMap<String, Result<Vpc, String>>,
}

impl Reader<'_> {
    async fn egress_of(&mut self, subnet: &str) -> Fact<SubnetEgress> {
        if let Some(known) = self.subnets.get(subnet) {
            return known.clone();
        }
        let read = self.read(subnet).await.map_or_else(Fact::Unknown, Fact::Known);
        self.subnets.insert(subnet.to_owned(), read.clone());
        read
    }

    async fn read(&mut self, subnet: &str) -> Result<SubnetEgress, String> {
        let answer = self
            .call("ec2:DescribeSubnets", &format!("SubnetId.1={}", form_encoded(subnet)))
            .await?;
        let vpc_id = answer
            .items("subnetSet")
            .next()
            .and_then(|s| s.field("vpcId"))
            .ok_or_else(|| format!("ec2:DescribeSubnets did not describe {subnet}"))?
            .to_owned();
        if !self.vpcs.contains_key(&vpc_id) {
            let read = self.read_vpc(&vpc_id).await;
            self.vpcs.insert(vpc_id.clone(), read);
        }
        match &self.vpcs[&vpc_id] {
            Ok(vpc) => egress(subnet, &vpc_id, vpc),
            Err(why) => Err(why.clone()),
        }
    }

    async fn read_vpc(&self, vpc_id: &str) -> Result<Vpc, String> {
        let filter = format!("Filter.1.Name=vpc-id&Filter.1.Value.1={}", form_encoded(vpc_id));
        Ok(Vpc {
            tables: self.paged("ec2:DescribeRouteTables", &filter, "routeTableSet").await?,
            endpoints: self
                .paged("ec2:DescribeVpcEndpoints", &filter, "vpcEndpointSet")
                .await?,
        })
    }

    async fn paged(&self, operation: &str, params: &str, set: &str) -> Result<Vec<Node>, String> {
        crate::ec2::paged(self.config, self.counter, operation, params, set).await
    }

    async fn call(&self, operation: &str, params: &str) -> Result<Node, String> {
        crate::ec2::call(self.config, self.counter, operation, params).await
    }
}

/// The subnet's way out: its own route table or else its VPC's main one,
/// that table's active default route, and the endpoints it can use.
fn egress(subnet: &str, vpc_id: &str, vpc: &Vpc) -> Result<SubnetEgress, String> {
    let associated = |table: &&Node, test: &dyn Fn(&Node) -> bool| table.items("associationSet").any(test);
    let table = vpc
        .tables
        .iter()
        .find(|t| associated(t, &|a| a.field("subnetId") == Some(subnet)))
        .or_else(|| {
            vpc.tables
                .iter()
                .find(|t| associated(t, &|a| a.field("main") == Some("true")))
        })
        .ok_or_else(|| format!("{vpc_id} has no route table for {subnet}"))?;
    let table_id = table.field("routeTableId").unwrap_or_default().to_owned();
    let default_route = table
        .items("routeSet")
        .find(|r| r.field("destinationCidrBlock") == Some("0.0.0.0/0") && r.field("state") != Some("blackhole"))
        .and_then(route_target)
        .map(|target| RouteTarget::of_id(&target));
    let endpoints = vpc
        .endpoints
        .iter()
        .filter(|e| e.field("state").is_some_and(|s| s.eq_ignore_ascii_case("available")))
        .filter(|e| match e.field("vpcEndpointType") {
            Some("Gateway") => e.items("routeTableIdSet").any(|t| t.text == table_id),
            _ => e.field("privateDnsEnabled") == Some("true"),
        })
        .filter_map(|e| e.field("serviceName").map(str::to_owned))
        .collect();
    Ok(SubnetEgress {
        subnet_id: subnet.to_owned(),
        route_table: table_id,
        default_route: Fact::Known(default_route),
        endpoints,
    })
}

/// Where a route sends its traffic, whichever kind of target it names.
fn route_target(route: &Node) -> Option<String> {
    const TARGETS: &[&str] = &[
        "natGatewayId",
        "gatewayId",
        "transitGatewayId",
        "vpcPeeringConnectionId",
        "networkInterfaceId",
        "instanceId",
        "localGatewayId",
        "carrierGatewayId",
        "coreNetworkArn",
    ];
    TARGETS.iter().find_map(|t| route.field(t)).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vpc(tables: &str, endpoints: &str) -> Vpc {
        let take = |xml: &str, set: &str| {
            let mut root = crate::answer::tree(xml).unwrap();
            let list = root.children.iter_mut().find(|c| c.name == set).unwrap();
            std::mem::take(&mut list.children)
        };
        Vpc {
            tables: take(tables, "routeTableSet"),
            endpoints: take(endpoints, "vpcEndpointSet"),
        }
    }

    const TABLES: &str = "<R><routeTableSet>\
        <item><routeTableId>rtb-main</routeTableId><associationSet><item><main>true</main></item></associationSet>\
          <routeSet><item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><gatewayId>igw-1</gatewayId><state>active</state></item></routeSet></item>\
        <item><routeTableId>rtb-private</routeTableId><associationSet><item><main>false</main><subnetId>subnet-private</subnetId></item></associationSet>\
          <routeSet><item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><natGatewayId>nat-1</natGatewayId><state>blackhole</state></item></routeSet></item>\
        </routeTableSet></R>";
    const ENDPOINTS: &str = "<R><vpcEndpointSet>\
        <item><serviceName>com.amazonaws.eu-west-1.s3</serviceName><vpcEndpointType>Gateway</vpcEndpointType><state>available</state>\
          <routeTableIdSet><item>rtb-private</item></routeTableIdSet></item>\
        <item><serviceName>com.amazonaws.eu-west-1.sagemaker.api</serviceName><vpcEndpointType>Interface</vpcEndpointType><state>available</state><privateDnsEnabled>true</privateDnsEnabled></item>\
        <item><serviceName>com.amazonaws.eu-west-1.sagemaker.runtime</serviceName><vpcEndpointType>Interface</vpcEndpointType><state>pending</state><privateDnsEnabled>true</privateDnsEnabled></item>\
        </vpcEndpointSet></R>";

    #[test]
    fn a_subnet_uses_its_own_table_else_the_main_one() {
        let vpc = vpc(TABLES, ENDPOINTS);
        let private = egress("subnet-private", "vpc-1", &vpc).unwrap();
        assert_eq!(private.route_table, "rtb-private");
        assert_eq!(
            private.default_route,
            Fact::Known(None),
            "a blackhole route leads nowhere"
        );
        assert_eq!(
            private.endpoints,
            ["com.amazonaws.eu-west-1.s3", "com.amazonaws.eu-west-1.sagemaker.api"],
            "a pending endpoint is not one yet"
        );
        let other = egress("subnet-other", "vpc-1", &vpc).unwrap();
        assert_eq!(other.route_table, "rtb-main");
        assert_eq!(
            other.default_route,
            Fact::Known(Some(RouteTarget::InternetGateway("igw-1".into())))
        );
        assert_eq!(
            other.endpoints,
            ["com.amazonaws.eu-west-1.sagemaker.api"],
            "the S3 gateway is on another table"
        );
    }
}
