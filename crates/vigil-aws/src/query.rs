//! One SigV4-signed AWS call made with the SDK's own parts (its HTTP
//! connector, signer, credentials chain and XML reader): a Query call (a
//! form POST answered in XML), a JSON 1.1 call (KMS, CloudWatch Logs), a
//! REST-JSON call (Bedrock) or a GET of an S3 bucket's setting. Vigil
//! makes a handful of calls to each of EC2, IAM, KMS, S3, CloudWatch and
//! Bedrock; their generated SDK crates would be the largest things in the
//! build (`docs/BENCHMARKS.md` weighs them).

use crate::calls::CallCounter;
use aws_config::SdkConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
    UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::http::{HttpConnector, HttpConnectorSettings};
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_xml::decode::{try_data, Document};
use aws_types::service_config::ServiceConfigKey;
use std::time::{Duration, SystemTime};

const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";
const JSON_CONTENT_TYPE: &str = "application/x-amz-json-1.1";
const REST_JSON_CONTENT_TYPE: &str = "application/json";
/// Bounds on one attempt (the SDK's clients use the same ones).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_TIMEOUT: Duration = crate::in_flight::ATTEMPT_TIMEOUT;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// A service the Query calls go to.
pub(crate) struct Service {
    /// The SigV4 signing name, and the endpoint host's first label.
    pub name: &'static str,
    /// Its id for `AWS_ENDPOINT_URL_<ID>` and the profile's service section.
    pub id: &'static str,
    /// Its endpoint and signing region for the configuration's region,
    /// FIPS and dual-stack settings, as the SDK's endpoint rules give them.
    pub endpoint: fn(region: &str, fips: bool, dual_stack: bool) -> (String, String),
}

/// A call the service refused: its HTTP status, error code and the line
/// reports show.
#[derive(Debug)]
pub(crate) struct Refused {
    pub code: String,
    pub reason: String,
}

/// How a call is written and its errors read.
#[derive(Clone, Copy)]
enum Protocol<'a> {
    /// A form POST answered in XML.
    Query,
    /// A JSON body with its operation in `X-Amz-Target` (`TrentService.DescribeKey`).
    Json { target: &'a str },
    /// An HTTP method and path (with its query string) that name the
    /// operation, and a JSON body or none.
    Rest { method: &'a str, path: &'a str },
    /// A GET of one S3 bucket's subresource (`encryption`), answered in XML.
    S3 { bucket: &'a str, subresource: &'a str },
    /// A GET of an S3 Control `path` for `account` (its host's first
    /// label and its `x-amz-account-id` header), answered in XML.
    S3Control { account: &'a str, path: &'a str },
}

/// POSTs the Query `body` to `service` with the SDK configuration's
/// credentials, endpoint override and attempt count; throttling, server
/// errors and failed connections are retried with back-off as the SDK's
/// standard mode would. `Ok` is the answer's XML.
pub(crate) async fn call(
    config: &SdkConfig,
    service: &Service,
    body: &str,
    counter: &CallCounter,
    operation: &str,
) -> Result<String, Refused> {
    send(config, service, Protocol::Query, body, counter, operation).await
}

/// As [`call`], for a JSON 1.1 service: `target` names the operation and
/// `Ok` is the answer's JSON.
pub(crate) async fn call_json(
    config: &SdkConfig,
    service: &Service,
    target: &str,
    body: &str,
    counter: &CallCounter,
    operation: &str,
) -> Result<String, Refused> {
    send(config, service, Protocol::Json { target }, body, counter, operation).await
}

/// As [`call`], for a REST-JSON service: `method` and `path` (with any
/// query string, already encoded) name the operation, `body` is its JSON
/// (empty for none) and `Ok` is the answer's JSON.
pub(crate) async fn call_rest(
    config: &SdkConfig,
    service: &Service,
    (method, path): (&str, &str),
    body: &str,
    counter: &CallCounter,
    operation: &str,
) -> Result<String, Refused> {
    send(
        config,
        service,
        Protocol::Rest { method, path },
        body,
        counter,
        operation,
    )
    .await
}

/// As [`call`], a GET of S3 Control's `path` for `account` from `service`
/// (`s3-control`, signed as S3): at `<account>.s3-control.<region>…`, or
/// at the endpoint set (an emulator). `Ok` is the answer's XML.
pub(crate) async fn call_s3_control(
    config: &SdkConfig,
    service: &Service,
    (account, path): (&str, &str),
    counter: &CallCounter,
    operation: &str,
) -> Result<String, Refused> {
    send(
        config,
        service,
        Protocol::S3Control { account, path },
        "",
        counter,
        operation,
    )
    .await
}

/// As [`call`], a GET of `bucket`'s `subresource` (`?encryption`) from
/// `service` (S3): virtual-hosted, as the SDK addresses a bucket, or by path
/// where an endpoint is set (an emulator) or the name has a dot (no
/// certificate covers it). `Ok` is the answer's XML.
pub(crate) async fn call_s3(
    config: &SdkConfig,
    service: &Service,
    (bucket, subresource): (&str, &str),
    counter: &CallCounter,
    operation: &str,
) -> Result<String, Refused> {
    send(
        config,
        service,
        Protocol::S3 { bucket, subresource },
        "",
        counter,
        operation,
    )
    .await
}

async fn send(
    config: &SdkConfig,
    service: &Service,
    protocol: Protocol<'_>,
    body: &str,
    counter: &CallCounter,
    operation: &str,
) -> Result<String, Refused> {
    counter.record(operation, false);
    let region = config
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| crate::sdk::FALLBACK_REGION.to_owned());
    let (mut url, signing_region, explicit) = endpoint(config, service, &region);
    match protocol {
        Protocol::Rest { path, .. } => url = format!("{}{path}", url.trim_end_matches('/')),
        Protocol::S3 { bucket, subresource } => url = bucket_url(&url, bucket, subresource, explicit),
        Protocol::S3Control { account, path } => url = account_url(&url, account, path, explicit),
        _ => {}
    }
    let attempts = config.retry_config().map_or(3, |r| r.max_attempts()).max(1);
    let connector = shared_connector();
    let refused = |reason: String| Refused {
        code: String::new(),
        reason,
    };
    let mut backoff = FIRST_BACKOFF;
    let mut attempt = 1;
    loop {
        counter.record(operation, true);
        let request = signed_request(config, service.name, &signing_region, &url, (protocol, body))
            .await
            .map_err(refused)?;
        // A place of the run and of its (account, region), per attempt, as
        // the SDK's clients hold theirs: given back while backing off.
        let held = crate::in_flight::hold_current()
            .await
            .map_err(|e| refused(e.to_string()))?;
        let answered = connector.call(request).await;
        drop(held);
        let (retryable, why) = match answered {
            Ok(response) => {
                let status = response.status().as_u16();
                let error_type = response.headers().get("x-amzn-errortype").map(str::to_owned);
                let answer = ByteStream::new(response.into_body())
                    .collect()
                    .await
                    .map(|b| b.into_bytes())
                    .map_err(|err| refused(format!("reading the answer from {url}: {err}")))?;
                let text = String::from_utf8_lossy(&answer).into_owned();
                if (200..300).contains(&status) {
                    return Ok(text);
                }
                let (code, message) = match protocol {
                    Protocol::Query | Protocol::S3 { .. } | Protocol::S3Control { .. } => parse_error(&text),
                    Protocol::Json { .. } => parse_json_error(&text),
                    Protocol::Rest { .. } => {
                        let (code, message) = parse_json_error(&text);
                        // REST-JSON services name the error in a header.
                        let header = error_type.map(|t| t.split(':').next().unwrap_or_default().to_owned());
                        (header.filter(|h| !h.is_empty()).unwrap_or(code), message)
                    }
                };
                let throttled = crate::errors::classify(status, &code, &message) == crate::errors::ErrorKind::Throttled;
                let reason = describe_error(status, &code, &message);
                (status >= 500 || throttled, Refused { code, reason })
            }
            Err(err) => (true, refused(connector_error(&url, &err))),
        };
        if !retryable || attempt >= attempts {
            return Err(why);
        }
        tokio::time::sleep(backoff).await;
        backoff *= 2;
        attempt += 1;
    }
}

/// The HTTPS connector every signed call goes through, made once so that
/// they share one connection pool: a call to a host already reached
/// reuses its connection (and TLS session) instead of opening a new one.
/// One per process: each command runs a single tokio runtime, on which the
/// pool's connections live.
fn shared_connector() -> &'static aws_smithy_http_client::Connector {
    static CONNECTOR: std::sync::OnceLock<aws_smithy_http_client::Connector> = std::sync::OnceLock::new();
    CONNECTOR.get_or_init(|| {
        crate::in_flight::connector(
            HttpConnectorSettings::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .read_timeout(READ_TIMEOUT)
                .build(),
        )
    })
}

/// `AWS_ENDPOINT_URL_<ID>` or the profile's service section, then the
/// general endpoint override (`--endpoint-url`, `AWS_ENDPOINT_URL`), then
/// the service's own endpoint, as the SDK's clients resolve it; with the
/// region to sign for, and whether it was set rather than resolved.
fn endpoint(config: &SdkConfig, service: &Service, region: &str) -> (String, String, bool) {
    let explicit = if config.get_origin("endpoint_url").is_client_config() {
        config.endpoint_url().map(str::to_owned)
    } else {
        config
            .service_config()
            .and_then(|conf| {
                let key = ServiceConfigKey::builder()
                    .service_id(service.id)
                    .env("AWS_ENDPOINT_URL")
                    .profile("endpoint_url")
                    .build()
                    .expect("every field is set");
                conf.load_config(key)
            })
            .or_else(|| config.endpoint_url().map(str::to_owned))
    };
    let (url, signing_region) = (service.endpoint)(
        region,
        config.use_fips().unwrap_or(false),
        config.use_dual_stack().unwrap_or(false),
    );
    let set = explicit.is_some();
    (explicit.unwrap_or(url), signing_region, set)
}

/// The URL of `bucket`'s `subresource` on the S3 endpoint `base`.
fn bucket_url(base: &str, bucket: &str, subresource: &str, explicit: bool) -> String {
    let base = base.trim_end_matches('/');
    match base.split_once("://") {
        Some((scheme, host)) if !explicit && !bucket.contains('.') => {
            format!("{scheme}://{bucket}.{host}/?{subresource}")
        }
        _ => format!("{base}/{bucket}?{subresource}"),
    }
}

/// S3 Control's URL for `account`: the account is the host's first label,
/// unless the endpoint was set (an emulator, a proxy).
fn account_url(base: &str, account: &str, path: &str, explicit: bool) -> String {
    let base = base.trim_end_matches('/');
    match base.split_once("://") {
        Some((scheme, host)) if !explicit => format!("{scheme}://{account}.{host}{path}"),
        _ => format!("{base}{path}"),
    }
}

/// `https://<host>.<region>.<suffix>` (`<host>-fips` with FIPS), and the
/// region to sign for: the endpoint of most regional services.
pub(crate) fn regional(host: &str, region: &str, fips: bool, dual_stack: bool) -> (String, String) {
    let fips = if fips { "-fips" } else { "" };
    let url = format!("https://{host}{fips}.{region}.{}", dns_suffix(region, dual_stack));
    (url, region.to_owned())
}

/// The partition's DNS suffix for a region.
pub(crate) fn dns_suffix(region: &str, dual_stack: bool) -> &'static str {
    match (region.starts_with("cn-"), dual_stack) {
        (true, false) => "amazonaws.com.cn",
        (true, true) => "api.amazonwebservices.com.cn",
        (false, false) => "amazonaws.com",
        (false, true) => "api.aws",
    }
}

/// The request, signed for `service` in `region` with the configuration's
/// current credentials (an assumed role's are renewed by its provider).
async fn signed_request(
    config: &SdkConfig,
    service: &str,
    region: &str,
    url: &str,
    (protocol, body): (Protocol<'_>, &str),
) -> Result<aws_smithy_runtime_api::http::Request, String> {
    let provider = config
        .credentials_provider()
        .ok_or_else(|| "no AWS credentials found".to_owned())?;
    let credentials = provider
        .provide_credentials()
        .await
        .map_err(|err| format!("no AWS credentials: {err}"))?;
    let identity = Identity::from(credentials);
    let mut settings = SigningSettings::default();
    if let Protocol::S3 { .. } | Protocol::S3Control { .. } = protocol {
        // S3 signs the payload's hash in a header, and its paths as sent.
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.percent_encoding_mode = PercentEncodingMode::Single;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(SystemTime::now())
        .settings(settings)
        .build()
        .map_err(|err| format!("signing a {service} call: {err}"))?
        .into();
    let headers: Vec<(&str, &str)> = match protocol {
        Protocol::Query => vec![("content-type", CONTENT_TYPE)],
        Protocol::Json { target } => vec![("content-type", JSON_CONTENT_TYPE), ("x-amz-target", target)],
        Protocol::S3Control { account, .. } => vec![("x-amz-account-id", account)],
        Protocol::Rest { .. } | Protocol::S3 { .. } if body.is_empty() => vec![],
        Protocol::Rest { .. } | Protocol::S3 { .. } => vec![("content-type", REST_JSON_CONTENT_TYPE)],
    };
    let method = match protocol {
        Protocol::Rest { method, .. } => method,
        Protocol::S3 { .. } | Protocol::S3Control { .. } => "GET",
        _ => "POST",
    };
    let signable = SignableRequest::new(
        method,
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .map_err(|err| format!("signing a {service} call for {url}: {err}"))?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|err| format!("signing a {service} call: {err}"))?
        .into_parts();
    let mut request = aws_smithy_runtime_api::http::Request::new(SdkBody::from(body.to_owned()));
    request
        .set_uri(url)
        .map_err(|err| format!("endpoint {url} is not a URL: {err}"))?;
    request
        .set_method(method)
        .map_err(|err| format!("{method} is not an HTTP method: {err}"))?;
    let out = request.headers_mut();
    for (name, value) in &headers {
        out.insert(*name, value.to_string());
    }
    out.insert("content-length", body.len().to_string());
    for (name, value) in instructions.headers() {
        out.insert(name.to_owned(), value.to_owned());
    }
    Ok(request)
}

/// The error document's `Code` and `Message`, wherever they sit (EC2:
/// `Response/Errors/Error`, IAM: `ErrorResponse/Error`); empty strings when
/// the body is not one (a proxy's page, say).
pub(crate) fn parse_error(xml: &str) -> (String, String) {
    fn walk(element: &mut aws_smithy_xml::decode::ScopedDecoder<'_, '_>, found: &mut (String, String), depth: usize) {
        while let Some(mut child) = element.next_tag() {
            let slot = match child.start_el().local() {
                "Code" => &mut found.0,
                "Message" => &mut found.1,
                _ if depth < 4 => {
                    walk(&mut child, found, depth + 1);
                    continue;
                }
                _ => continue,
            };
            *slot = try_data(&mut child).map(|s| s.into_owned()).unwrap_or_default();
        }
    }
    let mut found = (String::new(), String::new());
    let mut doc = Document::new(xml);
    if let Ok(mut root) = doc.root_element() {
        walk(&mut root, &mut found, 0);
    }
    found
}

/// A JSON service's error: `__type` (after any `namespace#`) and
/// `message` (or `Message`); empty strings when the body is not one.
pub(crate) fn parse_json_error(body: &str) -> (String, String) {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        return (String::new(), String::new());
    };
    let text = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    let code = text("__type").map(|t| t.rsplit('#').next().unwrap_or_default().to_owned());
    let message = text("message").or_else(|| text("Message"));
    (code.unwrap_or_default(), message.unwrap_or_default())
}

/// Most pages a Query listing is followed for: more than a role's policies
/// or a VPC's endpoints fill. A listing that goes on is broken.
const MAX_PAGES: usize = 50;

/// Every item of a paged Query listing: `page(token)` answers one page's
/// items and the next page's token (`None` after the last). A token answered
/// twice, or more than [`MAX_PAGES`] pages, is an error: a broken endpoint
/// must not keep the audit in a loop.
pub(crate) async fn every_page<T, Fut>(
    operation: &str,
    mut page: impl FnMut(Option<String>) -> Fut,
) -> Result<Vec<T>, String>
where
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<String>), String>>,
{
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let (found, next) = page(token.clone()).await?;
        items.extend(found);
        match next {
            None => return Ok(items),
            Some(next) if token.as_ref() == Some(&next) => {
                return Err(format!("{operation} answered the same page token twice"))
            }
            Some(next) => token = Some(next),
        }
    }
    Err(format!("{operation} went on past {MAX_PAGES} pages"))
}

/// The text of every element named `name`, at any depth, in document
/// order: Query answers nest their fields a few levels down
/// (`GetRolePolicyResponse/GetRolePolicyResult/PolicyDocument`).
pub(crate) fn texts(xml: &str, name: &str) -> Result<Vec<String>, String> {
    fn walk(
        element: &mut aws_smithy_xml::decode::ScopedDecoder<'_, '_>,
        name: &str,
        found: &mut Vec<String>,
        depth: usize,
    ) -> Result<(), String> {
        while let Some(mut child) = element.next_tag() {
            if child.start_el().local() == name {
                found.push(try_data(&mut child).map_err(|e| e.to_string())?.into_owned());
            } else if depth < 8 {
                walk(&mut child, name, found, depth + 1)?;
            }
        }
        Ok(())
    }
    let mut doc = Document::new(xml);
    let mut root = doc.root_element().map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    walk(&mut root, name, &mut found, 0)?;
    Ok(found)
}

/// Worded as `errors::describe` words the SDK's service errors.
pub(crate) fn describe_error(status: u16, code: &str, message: &str) -> String {
    fn given(s: &str) -> Option<&str> {
        Some(s).filter(|s| !s.is_empty())
    }
    crate::errors::refusal(status, given(code), given(message))
}

fn connector_error(url: &str, err: &aws_smithy_runtime_api::client::result::ConnectorError) -> String {
    format!("could not reach {url}: {}", crate::errors::with_causes(err))
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
