//! The values flags take, checked as clap parses them (and, for regions
//! and waits, as vigil.toml is read): each refusal says what was expected.

pub(crate) fn parse_shard(value: &str) -> Result<vigil_aws::Shard, String> {
    let bad = || format!("'{value}' is not a shard K/N with 0 <= K < N <= 100000, such as 0/4");
    let (index, count) = value.split_once('/').ok_or_else(bad)?;
    let (index, count): (u32, u32) = (index.parse().map_err(|_| bad())?, count.parse().map_err(|_| bad())?);
    if index >= count || count > 100_000 {
        return Err(bad());
    }
    Ok(vigil_aws::Shard { index, count })
}

pub(crate) fn parse_topic_arn(value: &str) -> Result<String, String> {
    let parts: Vec<&str> = value.split(':').collect();
    match parts.as_slice() {
        ["arn", _, "sns", region, account, name] if !region.is_empty() && account.len() == 12 && !name.is_empty() => {
            Ok(value.to_owned())
        }
        _ => Err(format!(
            "'{value}' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)"
        )),
    }
}

pub(crate) fn parse_wait(value: &str) -> Result<std::time::Duration, String> {
    let bad = || format!("'{value}' is not a duration such as 90s, 30m or 2h");
    let units = [('s', 1u64), ('m', 60), ('h', 3_600)];
    let (unit, seconds) = units.iter().find(|(u, _)| value.ends_with(*u)).ok_or_else(bad)?;
    let count: u64 = value.trim_end_matches(*unit).parse().map_err(|_| bad())?;
    match count.checked_mul(*seconds) {
        Some(total) if total > 0 && total <= 86_400 => Ok(std::time::Duration::from_secs(total)),
        _ => Err(format!("'{value}' must be between 1s and 24h")),
    }
}

/// A region named on the command line or in vigil.toml, checked.
pub(crate) fn parse_region(value: &str) -> Result<String, String> {
    if !vigil_aws::regions::is_well_formed(value) {
        return Err(format!(
            "'{value}' is not an AWS region name (expected something like eu-west-1)"
        ));
    }
    let extra: Vec<String> = std::env::var("VIGIL_EXTRA_REGIONS")
        .unwrap_or_default()
        .split(',')
        .map(|r| r.trim().to_owned())
        .collect();
    vigil_aws::regions::check(value, &extra)?;
    Ok(value.to_owned())
}

pub(crate) fn parse_account(value: &str) -> Result<String, String> {
    match value.len() == 12 && value.chars().all(|c| c.is_ascii_digit()) {
        true => Ok(value.to_owned()),
        false => Err(format!("'{value}' is not an AWS account id (12 digits)")),
    }
}

pub(crate) fn parse_url(value: &str) -> Result<String, String> {
    if value.starts_with("http://") || value.starts_with("https://") {
        Ok(value.trim_end_matches('/').to_owned())
    } else {
        Err(format!("'{value}' is not an http:// or https:// URL"))
    }
}

pub(crate) fn parse_parameter(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((key, v)) if !key.is_empty() => Ok((key.to_owned(), v.to_owned())),
        _ => Err(format!("'{value}' is not KEY=VALUE")),
    }
}

/// The start of the job window, and how the user said it.
#[derive(Debug, Clone)]
pub struct Since {
    pub time: std::time::SystemTime,
    pub said: String,
}

pub(crate) fn parse_since(value: &str) -> Result<Since, String> {
    let bad = || format!("'{value}' is neither a duration (90d, 12h, 2w) nor a date (2026-08-01)");
    // SageMaker is younger than 1970; a window that reaches further back is a typo.
    const EPOCH: std::time::SystemTime = std::time::UNIX_EPOCH;
    let too_early = || format!("'{value}' reaches back before 1970");
    let now = std::time::SystemTime::now();
    let units = [('h', 3_600u64), ('d', 86_400), ('w', 604_800)];
    if let Some((unit, seconds)) = units.iter().find(|(u, _)| value.ends_with(*u)) {
        let count: u64 = value.trim_end_matches(*unit).parse().map_err(|_| bad())?;
        let back = std::time::Duration::from_secs(count.checked_mul(*seconds).ok_or_else(bad)?);
        let time = now.checked_sub(back).filter(|t| *t >= EPOCH).ok_or_else(too_early)?;
        return Ok(Since {
            time,
            said: format!("in the last {value}"),
        });
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(value, &format).map_err(|_| bad())?;
    let time = std::time::SystemTime::from(date.midnight().assume_utc());
    if time > now {
        return Err(format!("'{value}' is in the future"));
    }
    if time < EPOCH {
        return Err(too_early());
    }
    Ok(Since {
        time,
        said: format!("since {value}"),
    })
}
