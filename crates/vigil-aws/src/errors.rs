//! Turns SDK errors into the plain reasons Vigil reports: access denied,
//! throttled, gone, or unreachable. The distinction matters to the user: each
//! calls for a different fix.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    AccessDenied,
    Throttled,
    NotFound,
    Network,
    Other,
}

pub fn kind<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> ErrorKind {
    match err {
        SdkError::ServiceError(service) => classify(
            service.raw().status().as_u16(),
            service.err().code().unwrap_or_default(),
            service.err().message().unwrap_or_default(),
        ),
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => ErrorKind::Network,
        _ => ErrorKind::Other,
    }
}

/// What a service's refusal means, from its HTTP status, error code and
/// message; also for calls made without an SDK client (`describe_regions.rs`).
pub fn classify(status: u16, code: &str, message: &str) -> ErrorKind {
    if status == 403 || code.contains("AccessDenied") || code == "UnauthorizedOperation" {
        ErrorKind::AccessDenied
    } else if status == 429
        || code.contains("Throttl")
        || code == "TooManyRequestsException"
        || code == "RequestLimitExceeded"
    {
        ErrorKind::Throttled
    } else if code == "ResourceNotFound" || names_a_missing_resource(message) {
        ErrorKind::NotFound
    } else {
        ErrorKind::Other
    }
}

/// How SageMaker's describe calls say a resource does not exist: "Could
/// not find model …", "RecordNotFound" (notebook instances), "Requested
/// resource not found" (jobs).
fn names_a_missing_resource(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    ["could not find", "not found", "does not exist", "recordnotfound"]
        .iter()
        .any(|m| message.contains(m))
}

/// One line: the error code and message, or the transport failure.
pub fn describe<E: ProvideErrorMetadata + std::error::Error + 'static>(err: &SdkError<E, HttpResponse>) -> String {
    match err {
        SdkError::ServiceError(service) => refusal(
            service.raw().status().as_u16(),
            service.err().code(),
            service.err().message(),
        ),
        // The SDK's Display is terse ("dispatch failure"); its sources say why.
        other => with_causes(other),
    }
}

/// A service's refusal in one line: "Code: message", the code, or the status.
pub fn refusal(status: u16, code: Option<&str>, message: Option<&str>) -> String {
    match (code, message) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.to_owned(),
        _ => format!("HTTP {status}"),
    }
}

/// An error followed by each of its causes, "error: cause: cause"; but
/// when an AWS service refused somewhere down the chain (the STS refusal
/// behind credentials that could not be loaded, say), that refusal alone,
/// as "Code: message": the SDK's debug dump of it is no message.
pub fn with_causes(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        if let Some(meta) = cause.downcast_ref::<aws_smithy_types::error::ErrorMetadata>() {
            if meta.code().is_some() {
                return refusal(0, meta.code(), meta.message());
            }
        }
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The reason a call's answer is unknown, phrased for a report.
pub fn unknown_reason<E: ProvideErrorMetadata + std::error::Error + 'static>(
    operation: &str,
    err: &SdkError<E, HttpResponse>,
    max_attempts: u32,
) -> String {
    let detail = describe(err);
    match kind(err) {
        ErrorKind::AccessDenied => format!("access denied to {operation} ({detail})"),
        ErrorKind::Throttled => {
            format!("{operation} still throttled after {max_attempts} attempts ({detail})")
        }
        ErrorKind::NotFound => format!("deleted between listing and {operation} ({detail})"),
        ErrorKind::Network => format!("{operation} could not reach the endpoint ({detail})"),
        ErrorKind::Other => format!("{operation} failed ({detail})"),
    }
}
