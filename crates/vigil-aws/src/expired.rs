//! A call refused because its session expired is tried again. The SDK signs
//! a request before it waits for a place in flight (`in_flight.rs`), so a
//! request signed just before an assumed role's session ran out can reach
//! AWS after it; the retry resolves the credentials again, and the identity
//! cache, seeing them expired, assumes the role anew.

use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};

/// What AWS answers for an expired session: `ExpiredToken` (query
/// protocols, in `<Code>`) or `ExpiredTokenException` (JSON protocols, in
/// `__type` or the `x-amzn-ErrorType` header).
const CODE: &[u8] = b"ExpiredToken";

/// Only the start of an error body is read: the code comes first.
const HEAD: usize = 512;

#[derive(Debug, Default)]
pub struct ExpiredSession;

impl ClassifyRetry for ExpiredSession {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(response) = ctx.response() else {
            return RetryAction::NoActionIndicated;
        };
        if !matches!(response.status().as_u16(), 400 | 403) {
            return RetryAction::NoActionIndicated;
        }
        let header = response
            .headers()
            .get("x-amzn-errortype")
            .is_some_and(|t| t.starts_with("ExpiredToken"));
        let body = response.body().bytes().is_some_and(|b| {
            let head = &b[..b.len().min(HEAD)];
            head.windows(CODE.len()).any(|w| w == CODE)
        });
        if header || body {
            RetryAction::transient_error()
        } else {
            RetryAction::NoActionIndicated
        }
    }

    fn name(&self) -> &'static str {
        "expired session"
    }
}
