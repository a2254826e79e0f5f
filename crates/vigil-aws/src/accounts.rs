//! Which accounts an audit covers and how it enters each: the organization's
//! listing, exclusions, this worker's shard, and the assumed role whose
//! credentials the SDK refreshes before they expire.

use crate::calls::CallCounter;
use crate::progress::Progress;
use crate::sdk::{self, ConfigError};
use aws_config::identity::IdentityCache;
use aws_config::sts::AssumeRoleProvider;
use aws_sdk_sts::config::SharedCredentialsProvider;
use std::sync::Arc;
use std::time::Duration;

/// Accounts to audit, each other than the caller's entered by assuming a
/// role of the same name in it.
pub struct AccountsRequest {
    /// The accounts named; with `org`, those listed from the organization.
    pub ids: Vec<String>,
    /// List the organization's ACTIVE accounts (`Some(Some(ou))`: of that
    /// unit and the units below it).
    pub org: Option<Option<String>>,
    /// Accounts left out, whichever way they were chosen.
    pub exclude: Vec<String>,
    /// This worker's share of the accounts chosen.
    pub shard: Option<Shard>,
    pub role_name: String,
    /// `/` unless the role lives under a path.
    pub role_path: String,
    pub external_id: Option<String>,
    pub session_name: String,
}

/// Share `index` (from 0) of `count`: each account falls in exactly one,
/// decided by its id alone, so workers agree without talking to each other
/// and an account added to the organization moves no other account.
/// Growing `count` moves only about 1/`count` of the accounts (jump
/// consistent hashing, Lamping and Veach 2014).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub fn holds(&self, account: &str) -> bool {
        jump(fnv1a(account.as_bytes()), self.count) == self.index
    }
}

/// FNV-1a, 64 bits: fixed for ever, unlike std's hasher, because a shard
/// must mean the same accounts on every worker and in every Vigil version.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The bucket of `key` among `buckets` (Lamping and Veach's jump hash).
fn jump(mut key: u64, buckets: u32) -> u32 {
    let (mut b, mut j) = (-1i64, 0i64);
    while j < i64::from(buckets) {
        b = j;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        j = ((b + 1) as f64 * ((1u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    b as u32
}

/// The accounts to audit, with their names where the organization gives
/// them: the caller's alone, the ones named, or the organization's; less
/// those left out and those of other shards.
pub(crate) async fn choose(
    config: &aws_config::SdkConfig,
    counter: &CallCounter,
    caller: &str,
    how: Option<&AccountsRequest>,
    progress: &Arc<dyn Progress>,
) -> Result<Vec<(String, Option<String>)>, ConfigError> {
    let Some(how) = how else {
        return Ok(vec![(caller.to_owned(), None)]);
    };
    let mut targets: Vec<(String, Option<String>)> = how.ids.iter().map(|id| (id.clone(), None)).collect();
    if let Some(ou) = &how.org {
        progress.phase("listing the organization's accounts");
        targets = crate::organizations::accounts(config, counter, ou.as_deref())
            .await
            .map_err(ConfigError::Usage)?;
    }
    let listed = targets.len();
    targets.retain(|(id, _)| !how.exclude.contains(id));
    // Nothing to audit is never a clean run.
    if targets.is_empty() {
        return Err(ConfigError::Usage(match (listed, &how.org) {
            (0, Some(_)) => "the organization lists no ACTIVE account; listing accounts needs the organization's management account or a delegated administrator".into(),
            _ => "every account is left out by --exclude-accounts: nothing to audit".into(),
        }));
    }
    // An empty shard is a fine outcome: a worker of many may draw none.
    if let Some(shard) = how.shard {
        targets.retain(|(id, _)| shard.holds(id));
    }
    Ok(targets)
}

/// How long assumed sessions last: the role's default (one hour) unless
/// VIGIL_ROLE_SESSION_SECONDS says otherwise, which the tests use to make a
/// run outlive its first credentials.
fn session_length() -> Option<Duration> {
    std::env::var("VIGIL_ROLE_SESSION_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
}

/// Credentials for account `id` through its audit role, proven with one
/// call before its regions fan out. The SDK's provider assumes the role
/// once; the identity cache refreshes the session a while before it
/// expires, so a run longer than the session keeps going.
pub(crate) async fn enter(
    base: &aws_config::SdkConfig,
    counter: &CallCounter,
    id: &str,
    how: &AccountsRequest,
) -> Result<aws_config::SdkConfig, String> {
    let home = base.region().map(|r| r.to_string()).unwrap_or_default();
    let partition = vigil_core::model::partition(&home);
    let path = format!("/{}/", how.role_path.trim_matches('/')).replace("//", "/");
    let arn = format!("arn:{partition}:iam::{id}:role{path}{}", how.role_name);
    let mut role = AssumeRoleProvider::builder(&arn)
        .session_name(&how.session_name)
        .configure(base);
    if let Some(external) = &how.external_id {
        role = role.external_id(external);
    }
    let length = session_length();
    if let Some(length) = length {
        role = role.session_length(length);
    }
    // Renewed a quarter of an hour before expiry, as botocore does (a
    // session lasts an hour by default), or a quarter into a shorter one; a
    // request that still reaches AWS too late is tried again (`expired.rs`).
    let margin = length.map_or(Duration::from_secs(900), |l| (l / 4).min(Duration::from_secs(900)));
    let provider = role.build().await;
    let config = base
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .identity_cache(IdentityCache::lazy().buffer_time(margin).build())
        .build();
    match sdk::caller_account(&config, counter).await {
        Ok(got) if got == id => Ok(config),
        Ok(got) => Err(format!("{arn} gave credentials of account {got}, not {id}")),
        Err(err) => {
            let why = err.detail().map_or_else(|| err.to_string(), |d| d.replace('\n', " "));
            Err(format!("{arn} could not be assumed: {why}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: u64) -> Vec<String> {
        (0..n).map(|i| format!("{:012}", 100_000_000_000 + i * 7_919)).collect()
    }

    #[test]
    fn every_account_falls_in_exactly_one_shard() {
        for id in ids(500) {
            let holders = (0..7).filter(|&index| Shard { index, count: 7 }.holds(&id)).count();
            assert_eq!(holders, 1, "{id}");
        }
    }

    #[test]
    fn shards_are_even_and_growing_them_moves_few_accounts() {
        let accounts = ids(10_000);
        let share = |id: &str, count| (0..count).find(|&index| Shard { index, count }.holds(id)).unwrap();
        let mut sizes = [0usize; 8];
        for id in &accounts {
            sizes[share(id, 8) as usize] += 1;
        }
        assert!(sizes.iter().all(|&n| (1_000..1_500).contains(&n)), "{sizes:?}");
        let moved = accounts.iter().filter(|id| share(id, 8) != share(id, 9)).count();
        // Ideal: 1/9 of the accounts (about 1,111); a mod-N hash moves 8/9.
        assert!(
            (900..1_350).contains(&moved),
            "{moved} of 10000 moved from 8 to 9 shards"
        );
    }

    #[test]
    fn the_hashes_are_the_published_ones() {
        // FNV-1a's reference vectors, and jump hash's golden values as
        // published with its reference implementations.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        let golden = [
            (1, 1, 0),
            (42, 57, 43),
            (0xDEAD_10CC, 1, 0),
            (0xDEAD_10CC, 666, 361),
            (256, 1024, 520),
        ];
        for (key, buckets, bucket) in golden {
            assert_eq!(jump(key, buckets), bucket, "jump({key}, {buckets})");
        }
    }

    #[test]
    fn a_shard_means_the_same_accounts_in_every_version() {
        // Workers of different Vigil versions must agree: these never change.
        let fixed: Vec<u32> = ["123456789012", "111111111111", "222222222222", "000000000001"]
            .iter()
            .map(|id| (0..10).find(|&index| Shard { index, count: 10 }.holds(id)).unwrap())
            .collect();
        assert_eq!(fixed, [7, 7, 0, 7]);
    }
}
