//! EC2 calls as signed Query calls (EC2's SDK crate is the largest of
//! all, `docs/BENCHMARKS.md`): one call, read into a tree, and a listing
//! followed over its `nextToken` pages. The notebook egress and Bedrock
//! VPC-endpoint reads share them.

use crate::answer::{tree, Node};
use crate::calls::CallCounter;
use crate::describe_regions::EC2;
use crate::iam::form_encoded;
use crate::query::{self, every_page};
use aws_config::SdkConfig;

/// Every `item` of list `set` that `operation` (`ec2:DescribeVpcs`) with
/// `params` answers, over the listing's `nextToken` pages.
pub(crate) async fn paged(
    config: &SdkConfig,
    counter: &CallCounter,
    operation: &str,
    params: &str,
    set: &str,
) -> Result<Vec<Node>, String> {
    every_page(operation, |token| async move {
        let page_params = match &token {
            Some(token) => format!("{params}&NextToken={}", form_encoded(token)),
            None => params.to_owned(),
        };
        let mut answer = call(config, counter, operation, &page_params).await?;
        let next = answer.field("nextToken").map(str::to_owned);
        let items = match answer.children.iter_mut().find(|c| c.name == set) {
            Some(list) => std::mem::take(&mut list.children),
            None => Vec::new(),
        };
        Ok((items.into_iter().filter(|i| i.name == "item").collect(), next))
    })
    .await
}

/// One EC2 call's answer, or why there is none, in words a report shows.
pub(crate) async fn call(
    config: &SdkConfig,
    counter: &CallCounter,
    operation: &str,
    params: &str,
) -> Result<Node, String> {
    let action = operation.trim_start_matches("ec2:");
    let body = format!("Action={action}&Version=2016-11-15&{params}");
    let xml = query::call(config, &EC2, &body, counter, operation)
        .await
        .map_err(|refused| match refused.code.as_str() {
            code if code.ends_with(".NotFound") => format!("{operation}: {}", refused.reason),
            code if code.contains("Unauthorized") || code.contains("AccessDenied") => {
                format!("access denied to {operation} ({})", refused.reason)
            }
            _ => format!("{operation} failed ({})", refused.reason),
        })?;
    tree(&xml).map_err(|why| format!("unreadable {operation} answer: {why}"))
}
