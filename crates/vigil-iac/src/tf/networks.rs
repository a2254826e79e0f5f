//! The network a Terraform module (HCL, `.tf.json`) or plan declares:
//! `aws_subnet`, `aws_route_table` (with inline `route` blocks), `aws_route`,
//! `aws_route_table_association`, `aws_vpc_endpoint` and
//! `aws_vpc_endpoint_route_table_association`, linked by reference (or, in a
//! plan, by the ids already known).

use super::resolve::{text_of, ModuleValues};
use super::roles::{blocks, reference_key, Hcl, Named};
use super::HclFile;
use crate::networks::{Endpoint, Networks};
use crate::tree::Node;
use hcl_edit::structure::Block;
use vigil_core::model::RouteTarget;

/// The attributes a route names its target by, NAT and gateway first.
const OTHER_TARGETS: &[&str] = &[
    "transit_gateway_id",
    "vpc_peering_connection_id",
    "network_interface_id",
    "local_gateway_id",
    "carrier_gateway_id",
    "core_network_arn",
    "vpc_endpoint_id",
];

fn key(named: Named) -> Option<String> {
    match named {
        Named::Key(key) | Named::Literal(key) => Some(key),
        Named::Unreadable(_) => None,
    }
}

/// Where a default route goes, from how it names its target.
fn target(nat: Option<String>, gateway: Option<String>, other: Option<String>) -> Result<RouteTarget, String> {
    match (nat, gateway, other) {
        (Some(nat), _, _) => Ok(RouteTarget::NatGateway(nat)),
        (None, Some(gateway), _) if gateway.starts_with("aws_internet_gateway.") => {
            Ok(RouteTarget::InternetGateway(gateway))
        }
        (None, Some(gateway), _) => Ok(RouteTarget::of_id(&gateway)),
        (None, None, Some(other)) => Ok(RouteTarget::Other(other)),
        (None, None, None) => Err("a default route names no target Vigil reads".to_owned()),
    }
}

pub(super) fn from_hcl(files: &[&HclFile], values: &ModuleValues) -> Networks {
    let mut networks = Networks::default();
    let mut attachments = Vec::new();
    for file in files {
        let hcl = Hcl {
            values,
            text: &file.text,
        };
        let attribute =
            |block: &Block, name: &str| block.body.get_attribute(name).and_then(|_| key(hcl.named(block, name)));
        let route_of = |block: &Block| {
            let other = OTHER_TARGETS.iter().find_map(|name| attribute(block, name));
            target(
                attribute(block, "nat_gateway_id"),
                attribute(block, "gateway_id"),
                other,
            )
        };
        for block in file.body.get_blocks("resource") {
            let (Some(kind), Some(name)) = (block.labels.first(), block.labels.get(1)) else {
                continue;
            };
            let resource = format!("{}.{}", super::label(kind), super::label(name));
            match super::label(kind) {
                "aws_subnet" => networks.subnet(resource, attribute(block, "vpc_id")),
                "aws_route_table" => {
                    networks.table(resource.clone());
                    for route in block.body.get_blocks("route") {
                        if hcl.text(route, "cidr_block").as_deref() == Some("0.0.0.0/0") {
                            networks.default_route(&resource, route_of(route));
                        }
                    }
                }
                "aws_route" if hcl.text(block, "destination_cidr_block").as_deref() == Some("0.0.0.0/0") => {
                    if let Some(table) = attribute(block, "route_table_id") {
                        networks.default_route(&table, route_of(block));
                    }
                }
                "aws_route_table_association" => {
                    if let (Some(subnet), Some(table)) =
                        (attribute(block, "subnet_id"), attribute(block, "route_table_id"))
                    {
                        networks.associate(subnet, table);
                    }
                }
                "aws_vpc_endpoint" => {
                    // One endpoint per instance (`for_each` over service names is usual).
                    let instances = super::instances(block, values, &file.text).unwrap_or_default();
                    for instance in instances {
                        let values = instance.values.as_ref();
                        let hcl = Hcl {
                            values,
                            text: &file.text,
                        };
                        // The region is often interpolated: the name's end is what counts.
                        let service = match block.body.get_attribute("service_name") {
                            Some(attr) => values.partial(&attr.value, &file.text).ok_or_else(|| {
                                format!(
                                    "the service_name of {resource} is `{}`, which is not read",
                                    text_of(&attr.value, &file.text)
                                )
                            }),
                            None => Err(format!("{resource} has no service_name")),
                        };
                        let private_dns = block
                            .body
                            .get_attribute("private_dns_enabled")
                            .map(|a| values.literal("private_dns_enabled", &a.value, &file.text, 0));
                        networks.endpoint(Endpoint {
                            key: resource.clone(),
                            vpc: block
                                .body
                                .get_attribute("vpc_id")
                                .and_then(|_| key(hcl.named(block, "vpc_id"))),
                            service,
                            gateway: hcl
                                .text(block, "vpc_endpoint_type")
                                .is_none_or(|t| t.eq_ignore_ascii_case("Gateway")),
                            private_dns: matches!(private_dns, Some(Ok(super::resolve::Literal::Bool(true)))),
                            tables: hcl.list(block, "route_table_ids").into_iter().filter_map(key).collect(),
                        });
                    }
                }
                "aws_vpc_endpoint_route_table_association" => {
                    if let (Some(endpoint), Some(table)) =
                        (attribute(block, "vpc_endpoint_id"), attribute(block, "route_table_id"))
                    {
                        attachments.push((endpoint, table));
                    }
                }
                _ => {}
            }
        }
    }
    for (endpoint, table) in attachments {
        networks.endpoint_table(&endpoint, table);
    }
    networks
}

/// `.tf.json` (values that refer as `${aws_subnet.s.id}`) or a plan (ids
/// already known: each declaration is found by its `id` when it has one).
pub(super) fn from_json(resources: &[(&str, String, &Node)]) -> Networks {
    let mut networks = Networks::default();
    let mut attachments = Vec::new();
    let named = |body: &Node, name: &str| -> Option<String> {
        let text = body.get(name)?.as_str()?;
        match text.starts_with("${") {
            true => reference_key(text),
            false => Some(text.to_owned()),
        }
    };
    let route_of = |body: &Node| {
        let other = OTHER_TARGETS.iter().find_map(|name| named(body, name));
        target(named(body, "nat_gateway_id"), named(body, "gateway_id"), other)
    };
    for (kind, address, body) in resources {
        let key = body
            .get("id")
            .and_then(|id| id.as_str())
            .map_or_else(|| address.clone(), str::to_owned);
        let text = |name: &str| body.get(name).and_then(|v| v.as_str());
        match *kind {
            "aws_subnet" => networks.subnet(key, named(body, "vpc_id")),
            "aws_route_table" => {
                networks.table(key.clone());
                for route in blocks(body, "route") {
                    if route.get("cidr_block").and_then(|c| c.as_str()) == Some("0.0.0.0/0") {
                        networks.default_route(&key, route_of(route));
                    }
                }
            }
            "aws_route" if text("destination_cidr_block") == Some("0.0.0.0/0") => {
                if let Some(table) = named(body, "route_table_id") {
                    networks.default_route(&table, route_of(body));
                }
            }
            "aws_route_table_association" => {
                if let (Some(subnet), Some(table)) = (named(body, "subnet_id"), named(body, "route_table_id")) {
                    networks.associate(subnet, table);
                }
            }
            "aws_vpc_endpoint" => networks.endpoint(Endpoint {
                key,
                vpc: named(body, "vpc_id"),
                service: text("service_name")
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{address} has no service_name")),
                gateway: text("vpc_endpoint_type").is_none_or(|t| t.eq_ignore_ascii_case("Gateway")),
                private_dns: matches!(
                    body.get("private_dns_enabled").map(|v| &v.value),
                    Some(crate::tree::Value::Bool(true))
                ) || text("private_dns_enabled") == Some("true"),
                tables: body
                    .get("route_table_ids")
                    .and_then(|t| t.as_seq())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|t| t.as_str())
                    .filter_map(|t| {
                        if t.starts_with("${") {
                            reference_key(t)
                        } else {
                            Some(t.to_owned())
                        }
                    })
                    .collect(),
            }),
            "aws_vpc_endpoint_route_table_association" => {
                if let (Some(endpoint), Some(table)) = (named(body, "vpc_endpoint_id"), named(body, "route_table_id")) {
                    attachments.push((endpoint, table));
                }
            }
            _ => {}
        }
    }
    for (endpoint, table) in attachments {
        networks.endpoint_table(&endpoint, table);
    }
    networks
}
