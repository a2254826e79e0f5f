//! `--org`: the ACTIVE accounts of the caller's AWS Organization, or of one
//! organizational unit and every unit below it. The caller must be the
//! management account or a delegated administrator.

use crate::calls::CallCounter;
use aws_config::SdkConfig;
use aws_sdk_organizations::types::{Account, AccountState, AccountStatus};
use aws_sdk_organizations::Client;

/// Whether an account is ACTIVE (the newer `State`, else the older `Status`).
fn active(account: &Account) -> bool {
    match account.state() {
        Some(state) => *state == AccountState::Active,
        None => account.status() == Some(&AccountStatus::Active),
    }
}

/// The ids of the ACTIVE accounts, sorted; `ou` limits them to that unit
/// and the units below it.
pub async fn accounts(config: &SdkConfig, counter: &CallCounter, ou: Option<&str>) -> Result<Vec<String>, String> {
    let conf = aws_sdk_organizations::config::Builder::from(config)
        .interceptor(counter.clone())
        .build();
    let client = Client::from_conf(conf);
    let fail = |e: String| {
        format!("{e}; listing accounts needs the organization's management account or a delegated administrator")
    };
    let mut found: Vec<Account> = Vec::new();
    match ou {
        None => {
            let mut token = None;
            loop {
                let page = client
                    .list_accounts()
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|e| fail(crate::errors::describe(&e)))?;
                found.extend(page.accounts().iter().cloned());
                token = page.next_token().map(str::to_owned);
                if token.is_none() {
                    break;
                }
            }
        }
        Some(root) => {
            let mut units = vec![root.to_owned()];
            while let Some(unit) = units.pop() {
                let mut token = None;
                loop {
                    let page = client
                        .list_accounts_for_parent()
                        .parent_id(&unit)
                        .set_next_token(token)
                        .send()
                        .await
                        .map_err(|e| fail(crate::errors::describe(&e)))?;
                    found.extend(page.accounts().iter().cloned());
                    token = page.next_token().map(str::to_owned);
                    if token.is_none() {
                        break;
                    }
                }
                let mut token = None;
                loop {
                    let page = client
                        .list_organizational_units_for_parent()
                        .parent_id(&unit)
                        .set_next_token(token)
                        .send()
                        .await
                        .map_err(|e| fail(crate::errors::describe(&e)))?;
                    units.extend(
                        page.organizational_units()
                            .iter()
                            .filter_map(|u| u.id().map(str::to_owned)),
                    );
                    token = page.next_token().map(str::to_owned);
                    if token.is_none() {
                        break;
                    }
                }
            }
        }
    }
    let mut ids: Vec<String> = found
        .iter()
        .filter(|a| active(a))
        .filter_map(|a| a.id().map(str::to_owned))
        .collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}
