//! Which regions an audit covers: by default every commercial region where
//! SageMaker is offered and that the account has enabled.

use crate::calls::CallCounter;
use aws_config::SdkConfig;

/// Commercial regions where SageMaker is offered (checked against the AWS
/// regional services list on 2026-11-26). A newer region can always be named
/// with `--regions`; an enabled region missing here is reported in a note.
pub const SAGEMAKER_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// Whether `name` is shaped like an AWS region (`eu-west-1`, `us-gov-west-1`).
/// Catches typos before any call is made.
pub fn is_well_formed(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    let (Some(number), true) = (parts.last(), (3..=4).contains(&parts.len())) else {
        return false;
    };
    parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
}

/// Refuses a region name that is well formed but names no region Vigil
/// knows, when it is one typo away from one (`eu-west-7`): a likely
/// mistake, said before any call. Regions of other partitions (`us-gov-`,
/// `cn-`, `us-iso`) and regions newer than this list are let through when
/// they resemble none; `VIGIL_EXTRA_REGIONS` (comma-separated) lets through
/// a new region that happens to resemble an old one.
pub fn check(name: &str, extra: &[String]) -> Result<(), String> {
    if SAGEMAKER_REGIONS.contains(&name) || extra.iter().any(|e| e == name) {
        return Ok(());
    }
    let score = |r: &str| strsim::jaro_winkler(name, r);
    let best = SAGEMAKER_REGIONS.iter().map(|r| score(r)).fold(0.0, f64::max);
    if best < 0.93 {
        return Ok(());
    }
    // Every region as close as the closest (eu-west-7: eu-west-1, -2 and -3).
    let near: Vec<String> = SAGEMAKER_REGIONS
        .iter()
        .filter(|r| score(r) == best)
        .map(|r| format!("'{r}'"))
        .collect();
    let near = match near.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => near.join(""),
    };
    Err(format!(
        "'{name}' is not a region where SageMaker is offered; did you mean {near}? (a region newer than this Vigil: list it in VIGIL_EXTRA_REGIONS)"
    ))
}

/// The regions to audit, and what was left out and why.
#[derive(Debug, Default)]
pub struct RegionPlan {
    pub regions: Vec<String>,
    pub notes: Vec<String>,
}

/// Asks EC2 which regions exist and which the account has opted in to.
pub async fn discover(config: &SdkConfig, counter: &CallCounter) -> Result<RegionPlan, String> {
    let listed = crate::describe_regions::describe_regions(config, counter).await?;
    let mut plan = RegionPlan::default();
    let mut not_opted_in = Vec::new();
    let mut unlisted = Vec::new();
    for region in &listed {
        let name = region.name.as_str();
        let enabled = region.opt_in_status.as_deref() != Some("not-opted-in");
        if !SAGEMAKER_REGIONS.contains(&name) {
            // Other partitions (China, GovCloud) need their own credentials;
            // only commercial regions are worth a note.
            if enabled && !name.starts_with("cn-") && !name.starts_with("us-gov-") && !name.contains("-iso") {
                unlisted.push(name.to_owned());
            }
        } else if enabled {
            plan.regions.push(name.to_owned());
        } else {
            not_opted_in.push(name.to_owned());
        }
    }
    plan.regions.sort();
    if !not_opted_in.is_empty() {
        not_opted_in.sort();
        plan.notes.push(format!(
            "skipped {} region(s) the account has not opted in to: {}",
            not_opted_in.len(),
            not_opted_in.join(", ")
        ));
    }
    if !unlisted.is_empty() {
        unlisted.sort();
        plan.notes.push(format!(
            "skipped enabled region(s) where Vigil does not know SageMaker to be offered: {} (name them with --regions to include them)",
            unlisted.join(", ")
        ));
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_are_checked_for_shape() {
        for good in ["eu-west-1", "us-gov-west-1", "ap-southeast-4", "mx-central-1"] {
            assert!(is_well_formed(good), "{good}");
        }
        for bad in [
            "",
            "eu-west",
            "euwest1",
            "EU-WEST-1",
            "eu-west-1a",
            "e-west-1",
            "eu--1",
            "us-east-1 ",
        ] {
            assert!(!is_well_formed(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_known_list_is_sorted_and_well_formed() {
        let mut sorted = SAGEMAKER_REGIONS.to_vec();
        sorted.sort();
        assert_eq!(sorted, SAGEMAKER_REGIONS);
        assert!(SAGEMAKER_REGIONS.iter().all(|r| is_well_formed(r)));
    }
}

#[cfg(test)]
mod checks {
    use super::check;

    #[test]
    fn typos_are_caught_and_other_partitions_pass() {
        assert!(check("eu-west-7", &[])
            .unwrap_err()
            .contains("'eu-west-1', 'eu-west-2' or 'eu-west-3'"));
        assert!(check("us-east-3", &[]).is_err());
        assert!(check("eu-west-7", &["eu-west-7".into()]).is_ok());
        for fine in [
            "eu-west-1",
            "us-gov-west-1",
            "us-gov-east-1",
            "cn-north-1",
            "cn-northwest-1",
            "us-iso-east-1",
        ] {
            assert_eq!(check(fine, &[]), Ok(()), "{fine}");
        }
    }
}
