//! Endpoints and the monitoring schedules that watch them.

use super::{Identity, Property};
use crate::fact::Fact;

/// A live endpoint and the model-monitoring schedules that watch it. Read
/// live only: in a template, what monitors an endpoint is another resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub identity: Identity,
    /// The schedules `ListMonitoringSchedules` names for it.
    pub monitoring_schedules: Fact<Vec<String>>,
}

impl Endpoint {
    /// Its API field, for reports (endpoints are judged live only).
    pub const MONITORING: Property = Property {
        cloudformation: "MonitoringSchedules",
        terraform: "monitoring_schedules",
    };
}
