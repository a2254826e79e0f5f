//! Notebook instances.

use super::{Identity, Property};
use crate::fact::Fact;

/// A notebook instance as `DescribeNotebookInstance` (or a template) tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotebookInstance {
    pub identity: Identity,
    /// `DirectInternetAccess == Enabled`; absent means enabled, as on AWS.
    pub direct_internet_access: Fact<bool>,
    /// The subnet the instance's network interface lives in, if any.
    pub subnet_id: Fact<Option<String>>,
    /// `RootAccess == Enabled`; absent means enabled, as on AWS.
    pub root_access: Fact<bool>,
    /// The KMS key of its storage volume (`None`: a key AWS manages).
    pub kms_key_id: Fact<Option<String>>,
    /// `MinimumInstanceMetadataServiceVersion == 2`; absent means 1, as on AWS.
    pub imds_v2_required: Fact<bool>,
    /// `PlatformIdentifier` (`None`: a template that leaves it to AWS's default).
    pub platform: Fact<Option<String>>,
    /// `RoleArn`, and whether that role still exists (looked up only when
    /// a chosen rule needs it, as for models).
    pub role_arn: Fact<Option<String>>,
    pub role_exists: Fact<bool>,
    /// The identity policies of that role, inline and attached (read only
    /// when a chosen rule needs them).
    pub role_policies: Fact<Vec<RolePolicy>>,
    /// How its subnet reaches beyond the VPC (read only for an instance
    /// without direct internet access, when a chosen rule needs it).
    pub egress: Fact<SubnetEgress>,
}

/// What EC2 says of the way out of a subnet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetEgress {
    pub subnet_id: String,
    /// The route table that applies: the subnet's own, or its VPC's main one.
    pub route_table: String,
    /// Where the table's active `0.0.0.0/0` route goes, if it has one
    /// (unknown: a template that does not declare the table's routes).
    pub default_route: Fact<Option<RouteTarget>>,
    /// The services (`com.amazonaws.eu-west-1.s3`, …) the subnet reaches
    /// through an available VPC endpoint: interface endpoints of its VPC with
    /// private DNS, gateway endpoints on its route table.
    pub endpoints: Vec<String>,
}

/// What a route sends its traffic to, as far as reaching AWS goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteTarget {
    NatGateway(String),
    /// Useless to an interface without a public address, as a notebook's is.
    InternetGateway(String),
    /// A transit gateway, peering, appliance…: it may lead anywhere.
    Other(String),
}

impl RouteTarget {
    /// Told apart by the id's prefix, as EC2 names them.
    pub fn of_id(id: &str) -> Self {
        match id {
            id if id.starts_with("nat-") => RouteTarget::NatGateway(id.to_owned()),
            id if id.starts_with("igw-") => RouteTarget::InternetGateway(id.to_owned()),
            id => RouteTarget::Other(id.to_owned()),
        }
    }
}

/// One identity policy of a role: its name (inline) or ARN (managed), and
/// its JSON document as IAM stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolePolicy {
    pub name: String,
    pub document: String,
}

impl NotebookInstance {
    pub const ROLE_ARN: Property = Property {
        cloudformation: "RoleArn",
        terraform: "role_arn",
    };
    pub const NAME: Property = Property {
        cloudformation: "NotebookInstanceName",
        terraform: "name",
    };
    pub const DIRECT_INTERNET_ACCESS: Property = Property {
        cloudformation: "DirectInternetAccess",
        terraform: "direct_internet_access",
    };
    pub const SUBNET_ID: Property = Property {
        cloudformation: "SubnetId",
        terraform: "subnet_id",
    };
    pub const ROOT_ACCESS: Property = Property {
        cloudformation: "RootAccess",
        terraform: "root_access",
    };
    pub const KMS_KEY_ID: Property = Property {
        cloudformation: "KmsKeyId",
        terraform: "kms_key_id",
    };
    pub const IMDS_MINIMUM_VERSION: Property = Property {
        cloudformation: "InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion",
        terraform: "instance_metadata_service_configuration.minimum_instance_metadata_service_version",
    };

    pub const PLATFORM: Property = Property {
        cloudformation: "PlatformIdentifier",
        terraform: "platform_identifier",
    };

    /// Why a role's policies are unknown until an audit reads them.
    pub const POLICIES_NOT_READ: &'static str = "the execution role's policies were not read from IAM";

    /// Why a subnet's way out is unknown until an audit reads it.
    pub const EGRESS_NOT_READ: &'static str = "the subnet's routes and VPC endpoints were not read from EC2";

    /// Listed, but not described: every property unknown for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        NotebookInstance {
            identity: identity.unread(reason),
            direct_internet_access: Fact::unknown(reason),
            subnet_id: Fact::unknown(reason),
            root_access: Fact::unknown(reason),
            kms_key_id: Fact::unknown(reason),
            imds_v2_required: Fact::unknown(reason),
            platform: Fact::unknown(reason),
            role_arn: Fact::unknown(reason),
            role_exists: Fact::unknown(reason),
            role_policies: Fact::unknown(reason),
            egress: Fact::unknown(reason),
        }
    }
}
