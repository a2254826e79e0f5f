//! The network a CloudFormation template declares: `AWS::EC2::Subnet`,
//! `RouteTable`, `Route`, `SubnetRouteTableAssociation` and `VPCEndpoint`,
//! linked by `!Ref` (or literal ids).

use super::for_each::Entry;
use super::resolve::Context;
use crate::networks::{Endpoint, Networks};
use crate::tree::Node;
use vigil_core::model::RouteTarget;

pub(super) fn declared(ctx: &Context, resources: &[Entry]) -> Networks {
    let mut networks = Networks::default();
    let of_type = |type_name: &'static str| {
        resources.iter().filter_map(move |entry| {
            let id = entry.id.as_str()?;
            let is = entry.decl.get("Type").and_then(|t| t.as_str()) == Some(type_name);
            is.then(|| (id, entry.decl.get("Properties").map(|p| p.as_ref())))
        })
    };
    let key = |props: Option<&Node>, name: &str| -> Option<String> {
        let node = props?.get(name)?;
        match node.get("Ref").and_then(|r| r.as_str()) {
            Some(id) => Some(id.to_owned()),
            None => ctx.string(name, node).ok().flatten(),
        }
    };
    let internet_gateways: Vec<&str> = of_type("AWS::EC2::InternetGateway").map(|(id, _)| id).collect();
    for (id, props) in of_type("AWS::EC2::Subnet") {
        networks.subnet(id.to_owned(), key(props, "VpcId"));
    }
    for (id, _) in of_type("AWS::EC2::RouteTable") {
        networks.table(id.to_owned());
    }
    for (id, props) in of_type("AWS::EC2::Route") {
        let destination = props
            .and_then(|p| p.get("DestinationCidrBlock"))
            .and_then(|d| d.as_str());
        let Some(table) = key(props, "RouteTableId").filter(|_| destination == Some("0.0.0.0/0")) else {
            continue;
        };
        let target = match (key(props, "NatGatewayId"), key(props, "GatewayId")) {
            (Some(nat), _) => Ok(RouteTarget::NatGateway(nat)),
            (None, Some(gateway)) if internet_gateways.contains(&gateway.as_str()) => {
                Ok(RouteTarget::InternetGateway(gateway))
            }
            (None, Some(gateway)) => Ok(RouteTarget::of_id(&gateway)),
            (None, None) => {
                let other = [
                    "TransitGatewayId",
                    "VpcPeeringConnectionId",
                    "NetworkInterfaceId",
                    "InstanceId",
                    "CarrierGatewayId",
                    "LocalGatewayId",
                    "CoreNetworkArn",
                    "VpcEndpointId",
                ];
                match other.iter().find_map(|name| key(props, name)) {
                    Some(target) => Ok(RouteTarget::Other(target)),
                    None => Err(format!("route {id} names no target Vigil reads")),
                }
            }
        };
        networks.default_route(&table, target);
    }
    for (_, props) in of_type("AWS::EC2::SubnetRouteTableAssociation") {
        if let (Some(subnet), Some(table)) = (key(props, "SubnetId"), key(props, "RouteTableId")) {
            networks.associate(subnet, table);
        }
    }
    for (id, props) in of_type("AWS::EC2::VPCEndpoint") {
        let service =
            props
                .and_then(|p| p.get("ServiceName"))
                .map(|name| match name.get("Fn::Sub").and_then(|s| s.as_str()) {
                    Some(pattern) => Ok(pattern.to_owned()),
                    None => ctx
                        .string("ServiceName", name)
                        .and_then(|s| s.ok_or_else(|| "ServiceName is AWS::NoValue".to_owned())),
                });
        let flag = |name: &str| {
            props
                .and_then(|p| p.get(name))
                .and_then(|f| ctx.string(name, f).ok().flatten())
        };
        let tables = props
            .and_then(|p| p.get("RouteTableIds"))
            .and_then(|t| t.as_seq())
            .unwrap_or_default();
        networks.endpoint(Endpoint {
            key: id.to_owned(),
            vpc: key(props, "VpcId"),
            service: service.unwrap_or_else(|| Err(format!("endpoint {id} has no ServiceName"))),
            // CloudFormation's default type is Gateway; private DNS is off unless set.
            gateway: flag("VpcEndpointType").is_none_or(|t| t.eq_ignore_ascii_case("Gateway")),
            private_dns: flag("PrivateDnsEnabled").is_some_and(|f| f.eq_ignore_ascii_case("true")),
            tables: tables
                .iter()
                .filter_map(|t| match t.get("Ref").and_then(|r| r.as_str()) {
                    Some(id) => Some(id.to_owned()),
                    None => t.as_str().map(str::to_owned),
                })
                .collect(),
        });
    }
    networks
}
