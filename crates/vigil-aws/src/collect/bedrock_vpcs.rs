//! The VPCs of a region where Amazon Bedrock is used, for the Bedrock
//! VPC-endpoint rule: whether the region invokes models (CloudWatch's
//! `AWS/Bedrock` metrics, as the logging rule reads them), then its VPCs
//! (`DescribeVpcs`), their Bedrock interface endpoints
//! (`DescribeVpcEndpoints`, one listing for the region) and whether each
//! runs anything (`DescribeNetworkInterfaces`, one call per VPC). A region
//! that invokes no model costs one call and yields no VPC.

use crate::answer::Node;
use crate::calls::CallCounter;
use crate::iam::form_encoded;
use crate::rest::Found;
use aws_config::SdkConfig;
use aws_types::region::Region;
use std::collections::HashMap;
use vigil_core::model::Vpc;
use vigil_core::{ErrorScope, Fact, Identity, Resource, RunError};

const DESCRIBE_VPCS: &str = "ec2:DescribeVpcs";
const DESCRIBE_ENDPOINTS: &str = "ec2:DescribeVpcEndpoints";
const DESCRIBE_INTERFACES: &str = "ec2:DescribeNetworkInterfaces";

pub(crate) async fn collect(
    config: &SdkConfig,
    (account, region): (&str, &str),
    counter: &CallCounter,
    asked: &super::invocation_logging::Invoked,
) -> Found {
    let invoked = asked.get(config, region, counter).await;
    let none = |error| Found {
        resources: Vec::new(),
        error,
        note: None,
    };
    if invoked == Fact::Known(false) {
        return none(None);
    }
    let regional = config.to_builder().region(Region::new(region.to_owned())).build();
    let vpcs = match crate::ec2::paged(&regional, counter, DESCRIBE_VPCS, "", "vpcSet").await {
        Ok(vpcs) => vpcs,
        Err(why) => {
            let error = RunError::in_region(
                ErrorScope::Region,
                Some(region.to_owned()),
                Some(DESCRIBE_VPCS.to_owned()),
                why,
            );
            return none(Some(error));
        }
    };
    let filter = "Filter.1.Name=vpc-endpoint-state&Filter.1.Value.1=available";
    let endpoints = crate::ec2::paged(&regional, counter, DESCRIBE_ENDPOINTS, filter, "vpcEndpointSet")
        .await
        .map(|endpoints| bedrock_endpoints(&endpoints, region));
    let mut resources = Vec::new();
    for vpc in &vpcs {
        let Some(id) = vpc.field("vpcId") else {
            continue;
        };
        let name = vpc
            .items("tagSet")
            .find(|tag| tag.field("key") == Some("Name"))
            .and_then(|tag| tag.field("value"))
            .map_or_else(|| id.to_owned(), |name| format!("{id} ({name})"));
        let arn = Vpc::arn(region, account, id);
        resources.push(Resource::Vpc(Vpc {
            identity: Identity::from_arn(name, Some(arn)),
            in_use: in_use(&regional, counter, id).await,
            bedrock_invoked: invoked.clone(),
            bedrock_endpoints: match &endpoints {
                Ok(by_vpc) => Fact::Known(by_vpc.get(id).cloned().unwrap_or_default()),
                Err(why) => Fact::Unknown(why.clone()),
            },
        }));
    }
    Found {
        resources,
        error: None,
        note: None,
    }
}

/// The Bedrock APIs each VPC has an available endpoint for, by the last
/// label of the service name (`com.amazonaws.eu-west-1.bedrock-runtime`).
fn bedrock_endpoints(endpoints: &[Node], region: &str) -> HashMap<String, Vec<String>> {
    let prefixes = [
        format!("com.amazonaws.{region}."),
        format!("cn.com.amazonaws.{region}."),
    ];
    let mut by_vpc: HashMap<String, Vec<String>> = HashMap::new();
    for endpoint in endpoints {
        let (Some(vpc), Some(service)) = (endpoint.field("vpcId"), endpoint.field("serviceName")) else {
            continue;
        };
        let Some(api) = prefixes.iter().find_map(|p| service.strip_prefix(p.as_str())) else {
            continue;
        };
        let bedrock = Vpc::BEDROCK_APIS
            .iter()
            .any(|b| api == *b || api.strip_suffix("-fips") == Some(b));
        if bedrock
            && endpoint
                .field("state")
                .is_none_or(|s| s.eq_ignore_ascii_case("available"))
        {
            by_vpc.entry(vpc.to_owned()).or_default().push(api.to_owned());
        }
    }
    by_vpc
}

/// Whether the VPC has any network interface: one page of at most five.
async fn in_use(config: &SdkConfig, counter: &CallCounter, vpc: &str) -> Fact<bool> {
    let params = format!(
        "Filter.1.Name=vpc-id&Filter.1.Value.1={}&MaxResults=5",
        form_encoded(vpc)
    );
    match crate::ec2::call(config, counter, DESCRIBE_INTERFACES, &params).await {
        Ok(answer) => Fact::Known(answer.items("networkInterfaceSet").next().is_some()),
        Err(why) => Fact::Unknown(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_available_bedrock_endpoints_of_the_region_count() {
        let xml = r#"<DescribeVpcEndpointsResponse><vpcEndpointSet>
            <item><vpcId>vpc-1</vpcId><serviceName>com.amazonaws.eu-west-1.bedrock-runtime</serviceName><state>available</state></item>
            <item><vpcId>vpc-1</vpcId><serviceName>com.amazonaws.eu-west-1.s3</serviceName><state>available</state></item>
            <item><vpcId>vpc-1</vpcId><serviceName>com.amazonaws.eu-west-1.bedrock-agent-fips</serviceName><state>available</state></item>
            <item><vpcId>vpc-2</vpcId><serviceName>com.amazonaws.eu-west-1.bedrock-runtime</serviceName><state>pending</state></item>
            <item><vpcId>vpc-3</vpcId><serviceName>com.amazonaws.us-east-1.bedrock-runtime</serviceName><state>available</state></item>
            <item><vpcId>vpc-4</vpcId><serviceName>com.amazonaws.vpce.eu-west-1.vpce-svc-0bedrock</serviceName><state>available</state></item>
        </vpcEndpointSet></DescribeVpcEndpointsResponse>"#;
        let answer = crate::answer::tree(xml).unwrap();
        let set = answer.child("vpcEndpointSet").unwrap();
        let by_vpc = bedrock_endpoints(&set.children, "eu-west-1");
        assert_eq!(by_vpc.get("vpc-1").unwrap(), &["bedrock-runtime", "bedrock-agent-fips"]);
        assert_eq!(by_vpc.len(), 1, "{by_vpc:?}");
    }
}
