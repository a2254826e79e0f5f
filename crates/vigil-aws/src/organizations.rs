//! `--org`: the ACTIVE accounts of the caller's AWS Organization, or of one
//! organizational unit and every unit below it. The caller must be the
//! management account or a delegated administrator.

use crate::calls::CallCounter;
use crate::collect::PageGuard;
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

/// Every item of a paged listing, one `page(token)` call at a time, with the
/// guard the collectors use against a `NextToken` that never ends.
async fn all_pages<T, F, Fut>(operation: &str, mut page: F) -> Result<Vec<T>, String>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<String>), String>>,
{
    let (mut all, mut token, mut guard) = (Vec::new(), None, PageGuard::default());
    loop {
        let (items, next) = page(token.take()).await?;
        all.extend(items);
        if let Some(error) = guard.stop(next.as_deref(), "-", operation) {
            return Err(error.message);
        }
        match next {
            Some(next) => token = Some(next),
            None => return Ok(all),
        }
    }
}

/// The ids of the ACTIVE accounts, sorted; `ou` limits them to that unit
/// and the units below it.
pub async fn accounts(
    config: &SdkConfig,
    counter: &CallCounter,
    ou: Option<&str>,
) -> Result<Vec<(String, Option<String>)>, String> {
    let conf = aws_sdk_organizations::config::Builder::from(config)
        .interceptor(counter.clone())
        .build();
    let client = &Client::from_conf(conf);
    let fail = |e: String| {
        format!("{e}; listing accounts needs the organization's management account or a delegated administrator")
    };
    // One block, so that every listing's error gets the same explanation.
    let listed: Result<Vec<Account>, String> = async {
        match ou {
            None => {
                all_pages("organizations:ListAccounts", |token| async move {
                    let page = client.list_accounts().set_next_token(token).send().await;
                    let page = page.map_err(|e| crate::errors::describe(&e))?;
                    Ok((page.accounts().to_vec(), page.next_token().map(str::to_owned)))
                })
                .await
            }
            Some(root) => {
                let (mut found, mut units) = (Vec::new(), vec![root.to_owned()]);
                while let Some(unit) = units.pop() {
                    let unit = &unit;
                    found.extend(
                        all_pages("organizations:ListAccountsForParent", |token| async move {
                            let page = client.list_accounts_for_parent().parent_id(unit).set_next_token(token);
                            let page = page.send().await.map_err(|e| crate::errors::describe(&e))?;
                            Ok((page.accounts().to_vec(), page.next_token().map(str::to_owned)))
                        })
                        .await?,
                    );
                    units.extend(
                        all_pages("organizations:ListOrganizationalUnitsForParent", |token| async move {
                            let page = client.list_organizational_units_for_parent().parent_id(unit);
                            let page = page.set_next_token(token).send().await;
                            let page = page.map_err(|e| crate::errors::describe(&e))?;
                            let ids = page
                                .organizational_units()
                                .iter()
                                .filter_map(|u| u.id().map(str::to_owned));
                            Ok((ids.collect(), page.next_token().map(str::to_owned)))
                        })
                        .await?,
                    );
                }
                Ok(found)
            }
        }
    }
    .await;
    let found = listed.map_err(fail)?;
    let mut ids: Vec<(String, Option<String>)> = found
        .iter()
        .filter(|a| active(a))
        .filter_map(|a| a.id().map(|id| (id.to_owned(), a.name().map(str::to_owned))))
        .collect();
    ids.sort();
    ids.dedup_by(|a, b| a.0 == b.0);
    Ok(ids)
}
