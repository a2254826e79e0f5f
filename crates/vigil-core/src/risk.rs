//! The five-step risk scale Conformity uses, so Vigil's levels read the same
//! to people who come from it.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
    VeryHigh,
    Extreme,
}

impl RiskLevel {
    /// Every level, lowest first.
    pub const ALL: [RiskLevel; 5] = [
        RiskLevel::Low,
        RiskLevel::Medium,
        RiskLevel::High,
        RiskLevel::VeryHigh,
        RiskLevel::Extreme,
    ];
}

impl fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RiskLevel::Low => "Low",
            RiskLevel::Medium => "Medium",
            RiskLevel::High => "High",
            RiskLevel::VeryHigh => "Very High",
            RiskLevel::Extreme => "Extreme",
        })
    }
}
