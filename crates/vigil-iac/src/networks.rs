//! The network a template or module declares around a notebook's subnet:
//! the route table associated with the subnet, that table's `0.0.0.0/0`
//! route, and the VPC endpoints that serve the subnet, so the egress rule
//! judges a template that declares them. What is declared elsewhere is
//! unknown: the live audit reads it.

use std::collections::HashMap;
use vigil_core::model::{RouteTarget, SubnetEgress};
use vigil_core::Fact;

/// A VPC endpoint as declared.
pub struct Endpoint {
    pub key: String,
    pub vpc: Option<String>,
    /// `com.amazonaws.REGION.s3`, as written (a `${…}` region included).
    pub service: Result<String, String>,
    pub gateway: bool,
    pub private_dns: bool,
    /// The route tables a gateway endpoint is on.
    pub tables: Vec<String>,
}

/// Subnets, route tables, routes and endpoints, by the keys the template
/// refers to them by (logical ids, `aws_subnet.s`, or literal ids).
#[derive(Default)]
pub struct Networks {
    subnets: HashMap<String, Option<String>>,
    /// Each table's default route: none declared, or where it goes.
    tables: HashMap<String, Option<Result<RouteTarget, String>>>,
    associations: HashMap<String, String>,
    endpoints: Vec<Endpoint>,
}

impl Networks {
    pub fn subnet(&mut self, key: String, vpc: Option<String>) {
        self.subnets.insert(key, vpc);
    }

    pub fn table(&mut self, key: String) {
        self.tables.entry(key).or_insert(None);
    }

    /// A `0.0.0.0/0` route of table `table`.
    pub fn default_route(&mut self, table: &str, target: Result<RouteTarget, String>) {
        if let Some(route) = self.tables.get_mut(table) {
            *route = Some(target);
        }
    }

    pub fn associate(&mut self, subnet: String, table: String) {
        self.associations.insert(subnet, table);
    }

    pub fn endpoint(&mut self, endpoint: Endpoint) {
        self.endpoints.push(endpoint);
    }

    /// A gateway endpoint put on a table by a separate declaration.
    pub fn endpoint_table(&mut self, endpoint: &str, table: String) {
        if let Some(found) = self.endpoints.iter_mut().find(|e| e.key == endpoint) {
            found.tables.push(table);
        }
    }

    /// The way out of subnet `key`, if the template declares the subnet.
    pub fn egress(&self, key: &str) -> Option<Fact<SubnetEgress>> {
        let vpc = self.subnets.get(key)?;
        let table = self.associations.get(key);
        let default_route = match table.map(|t| self.tables.get(t)) {
            Some(Some(None)) => Fact::Known(None),
            Some(Some(Some(Ok(target)))) => Fact::Known(Some(target.clone())),
            Some(Some(Some(Err(why)))) => Fact::Unknown(why.clone()),
            Some(None) => Fact::Unknown(format!("route table {} is not declared in this template", table?)),
            None => Fact::Unknown(format!(
                "{key} has no route table of its own here, so its VPC's main one applies, whose routes this template does not declare"
            )),
        };
        let mut endpoints = Vec::new();
        for endpoint in self.endpoints.iter().filter(|e| e.vpc.is_some() && e.vpc == *vpc) {
            let serves = match endpoint.gateway {
                true => table.is_some_and(|t| endpoint.tables.contains(t)),
                false => endpoint.private_dns,
            };
            if serves {
                match &endpoint.service {
                    Ok(service) => endpoints.push(service.trim_matches('"').to_owned()),
                    Err(why) => return Some(Fact::Unknown(why.clone())),
                }
            }
        }
        Some(Fact::Known(SubnetEgress {
            subnet_id: key.to_owned(),
            route_table: table
                .cloned()
                .unwrap_or_else(|| "its VPC's main route table".to_owned()),
            default_route,
            endpoints,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(service: &str, gateway: bool, tables: &[&str]) -> Endpoint {
        Endpoint {
            key: service.into(),
            vpc: Some("Vpc".into()),
            service: Ok(format!("com.amazonaws.${{AWS::Region}}.{service}")),
            gateway,
            private_dns: !gateway,
            tables: tables.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    #[test]
    fn a_subnet_is_served_by_its_table_and_its_vpc_endpoints() {
        let mut networks = Networks::default();
        networks.subnet("Private".into(), Some("Vpc".into()));
        networks.subnet("Loose".into(), Some("Vpc".into()));
        networks.table("Table".into());
        networks.default_route("Table", Ok(RouteTarget::NatGateway("Nat".into())));
        networks.associate("Private".into(), "Table".into());
        networks.endpoint(endpoint("s3", true, &["Table"]));
        networks.endpoint(endpoint("sagemaker.api", false, &[]));
        let Some(Fact::Known(private)) = networks.egress("Private") else {
            panic!("the private subnet is declared")
        };
        assert_eq!(
            private.default_route,
            Fact::Known(Some(RouteTarget::NatGateway("Nat".into())))
        );
        assert_eq!(private.endpoints.len(), 2);
        let Some(Fact::Known(loose)) = networks.egress("Loose") else {
            panic!("the loose subnet is declared")
        };
        assert!(matches!(loose.default_route, Fact::Unknown(ref why) if why.contains("main one")));
        assert_eq!(
            loose.endpoints,
            ["com.amazonaws.${AWS::Region}.sagemaker.api"],
            "the S3 gateway is on another table"
        );
        assert!(networks.egress("Elsewhere").is_none());
    }
}
