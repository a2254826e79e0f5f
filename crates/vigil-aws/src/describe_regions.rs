//! EC2 `DescribeRegions` as one SigV4-signed Query call made with the SDK's
//! own parts (its HTTP connector, signer, credentials chain and XML reader).
//! Vigil needs this one operation of EC2; the generated `aws-sdk-ec2` crate
//! was the largest thing in the build (a 648 MB library, minutes of compile
//! and gigabytes of compiler memory) for it.

use crate::calls::CallCounter;
use aws_config::SdkConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::http::{HttpConnector, HttpConnectorSettings};
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_xml::decode::{try_data, Document, ScopedDecoder};
use aws_types::service_config::ServiceConfigKey;
use std::time::{Duration, SystemTime};

/// The Query form: API version 2016-11-15, every region enabled or not.
const BODY: &str = "Action=DescribeRegions&Version=2016-11-15&AllRegions=true";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";
/// Bounds on one attempt (the SDK's clients use the same ones).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_TIMEOUT: Duration = crate::in_flight::ATTEMPT_TIMEOUT;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// One region as EC2 lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub name: String,
    /// `opt-in-not-required`, `opted-in` or `not-opted-in`.
    pub opt_in_status: Option<String>,
}

/// Every region of the partition, enabled or not (`AllRegions=true`), with
/// the SDK configuration's credentials, home region, endpoint override and
/// attempt count; throttling, server errors and failed connections are
/// retried with back-off as the SDK's standard mode would.
pub async fn describe_regions(config: &SdkConfig, counter: &CallCounter) -> Result<Vec<Region>, String> {
    const OPERATION: &str = "ec2:DescribeRegions";
    counter.record(OPERATION, false);
    let region = config
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| crate::sdk::FALLBACK_REGION.to_owned());
    let url = endpoint(config, &region);
    let attempts = config.retry_config().map_or(3, |r| r.max_attempts()).max(1);
    let connector = crate::in_flight::connector(
        HttpConnectorSettings::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(READ_TIMEOUT)
            .build(),
    );
    let mut backoff = FIRST_BACKOFF;
    let mut attempt = 1;
    loop {
        counter.record(OPERATION, true);
        let request = signed_request(config, &region, &url).await?;
        let (retryable, message) = match connector.call(request).await {
            Ok(response) => {
                let status = response.status().as_u16();
                let body = ByteStream::new(response.into_body())
                    .collect()
                    .await
                    .map(|b| b.into_bytes())
                    .map_err(|err| format!("reading the answer from {url}: {err}"))?;
                let text = String::from_utf8_lossy(&body);
                if status == 200 {
                    return parse_regions(&text).map_err(|err| format!("unreadable DescribeRegions answer: {err}"));
                }
                let (code, message) = parse_error(&text);
                let throttled = crate::errors::classify(status, &code, &message) == crate::errors::ErrorKind::Throttled;
                (status >= 500 || throttled, describe_error(status, &code, &message))
            }
            Err(err) => (true, connector_error(&url, &err)),
        };
        if !retryable || attempt >= attempts {
            return Err(message);
        }
        tokio::time::sleep(backoff).await;
        backoff *= 2;
        attempt += 1;
    }
}

/// `AWS_ENDPOINT_URL_EC2` or the profile's `ec2` service section, then the
/// general endpoint override (`--endpoint-url`, `AWS_ENDPOINT_URL`), then
/// EC2's own regional endpoint, as the SDK's clients resolve it.
fn endpoint(config: &SdkConfig, region: &str) -> String {
    let explicit = if config.get_origin("endpoint_url").is_client_config() {
        config.endpoint_url().map(str::to_owned)
    } else {
        config
            .service_config()
            .and_then(|conf| {
                let key = ServiceConfigKey::builder()
                    .service_id("EC2")
                    .env("AWS_ENDPOINT_URL")
                    .profile("endpoint_url")
                    .build()
                    .expect("every field is set");
                conf.load_config(key)
            })
            .or_else(|| config.endpoint_url().map(str::to_owned))
    };
    explicit.unwrap_or_else(|| {
        regional_endpoint(
            region,
            config.use_fips().unwrap_or(false),
            config.use_dual_stack().unwrap_or(false),
        )
    })
}

/// EC2's endpoint in `region` (the partitions' DNS suffixes as the SDK's
/// endpoint rules give them).
fn regional_endpoint(region: &str, fips: bool, dual_stack: bool) -> String {
    let host = if fips { "ec2-fips" } else { "ec2" };
    let suffix = match (region.starts_with("cn-"), dual_stack) {
        (true, false) => "amazonaws.com.cn",
        (true, true) => "api.amazonwebservices.com.cn",
        (false, false) => "amazonaws.com",
        (false, true) => "api.aws",
    };
    format!("https://{host}.{region}.{suffix}/")
}

/// The POST of the Query form, signed for `ec2` in `region` with the
/// configuration's current credentials (an assumed role's are renewed by
/// its provider).
async fn signed_request(
    config: &SdkConfig,
    region: &str,
    url: &str,
) -> Result<aws_smithy_runtime_api::http::Request, String> {
    let provider = config
        .credentials_provider()
        .ok_or_else(|| "no AWS credentials found".to_owned())?;
    let credentials = provider
        .provide_credentials()
        .await
        .map_err(|err| format!("no AWS credentials: {err}"))?;
    let identity = Identity::from(credentials);
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("ec2")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|err| format!("signing DescribeRegions: {err}"))?
        .into();
    let headers = [("content-type", CONTENT_TYPE)];
    let signable = SignableRequest::new(
        "POST",
        url,
        headers.iter().copied(),
        SignableBody::Bytes(BODY.as_bytes()),
    )
    .map_err(|err| format!("signing DescribeRegions for {url}: {err}"))?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|err| format!("signing DescribeRegions: {err}"))?
        .into_parts();
    let mut request = aws_smithy_runtime_api::http::Request::new(SdkBody::from(BODY));
    request
        .set_uri(url)
        .map_err(|err| format!("endpoint {url} is not a URL: {err}"))?;
    request.set_method("POST").expect("POST is a method");
    let out = request.headers_mut();
    out.insert("content-type", CONTENT_TYPE);
    out.insert("content-length", BODY.len().to_string());
    for (name, value) in instructions.headers() {
        out.insert(name.to_owned(), value.to_owned());
    }
    Ok(request)
}

/// `regionInfo/item/{regionName, optInStatus}` of a `DescribeRegionsResponse`.
fn parse_regions(xml: &str) -> Result<Vec<Region>, String> {
    let mut doc = Document::new(xml);
    let mut root = doc.root_element().map_err(|e| e.to_string())?;
    if !root.start_el().matches("DescribeRegionsResponse") {
        return Err(format!(
            "expected DescribeRegionsResponse, found <{}>",
            root.start_el().local()
        ));
    }
    let mut regions = Vec::new();
    while let Some(mut section) = root.next_tag() {
        if !section.start_el().matches("regionInfo") {
            continue;
        }
        while let Some(mut item) = section.next_tag() {
            if item.start_el().matches("item") {
                regions.push(parse_region(&mut item)?);
            }
        }
    }
    Ok(regions)
}

fn parse_region(item: &mut ScopedDecoder<'_, '_>) -> Result<Region, String> {
    let (mut name, mut opt_in_status) = (None, None);
    while let Some(mut field) = item.next_tag() {
        let slot = match field.start_el().local() {
            "regionName" => &mut name,
            "optInStatus" => &mut opt_in_status,
            _ => continue,
        };
        *slot = Some(try_data(&mut field).map_err(|e| e.to_string())?.into_owned());
    }
    let name = name.ok_or_else(|| "a region item without regionName".to_owned())?;
    Ok(Region { name, opt_in_status })
}

/// EC2's error document, `Response/Errors/Error/{Code, Message}`; empty
/// strings when the body is not one (a proxy's page, say).
fn parse_error(xml: &str) -> (String, String) {
    let mut found = (String::new(), String::new());
    let mut doc = Document::new(xml);
    let Ok(mut root) = doc.root_element() else {
        return found;
    };
    while let Some(mut errors) = root.next_tag() {
        while let Some(mut error) = errors.next_tag() {
            while let Some(mut field) = error.next_tag() {
                let slot = match field.start_el().local() {
                    "Code" => &mut found.0,
                    "Message" => &mut found.1,
                    _ => continue,
                };
                *slot = try_data(&mut field).map(|s| s.into_owned()).unwrap_or_default();
            }
        }
    }
    found
}

/// Worded as `errors::describe` words the SDK's service errors.
fn describe_error(status: u16, code: &str, message: &str) -> String {
    fn given(s: &str) -> Option<&str> {
        Some(s).filter(|s| !s.is_empty())
    }
    crate::errors::refusal(status, given(code), given(message))
}

fn connector_error(url: &str, err: &aws_smithy_runtime_api::client::result::ConnectorError) -> String {
    format!("could not reach {url}: {}", crate::errors::with_causes(err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_read_from_ec2s_answer() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <regionInfo>
    <item><regionName>eu-west-1</regionName><regionEndpoint>ec2.eu-west-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
    <item><regionName>af-south-1</regionName><regionEndpoint>ec2.af-south-1.amazonaws.com</regionEndpoint><optInStatus>not-opted-in</optInStatus></item>
    <item><regionName>us-east-1</regionName></item>
  </regionInfo>
</DescribeRegionsResponse>"#;
        let regions = parse_regions(xml).unwrap();
        let pairs: Vec<(&str, Option<&str>)> = regions
            .iter()
            .map(|r| (r.name.as_str(), r.opt_in_status.as_deref()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("eu-west-1", Some("opt-in-not-required")),
                ("af-south-1", Some("not-opted-in")),
                ("us-east-1", None)
            ]
        );
    }

    #[test]
    fn another_document_is_refused_not_read_as_no_regions() {
        assert!(parse_regions("<Response><Errors/></Response>").is_err());
        assert!(parse_regions("not xml").is_err());
        assert!(parse_regions("<DescribeRegionsResponse><regionInfo><item><optInStatus>x</optInStatus></item></regionInfo></DescribeRegionsResponse>").is_err());
    }

    #[test]
    fn ec2_errors_keep_their_code_and_message() {
        let xml = "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>x</RequestID></Response>";
        let (code, message) = parse_error(xml);
        assert_eq!(
            describe_error(403, &code, &message),
            "UnauthorizedOperation: You are not authorized to perform this operation."
        );
        let (code, message) = parse_error("<html>bad gateway</html>");
        assert_eq!(describe_error(502, &code, &message), "HTTP 502");
    }

    #[test]
    fn endpoints_follow_the_partition() {
        assert_eq!(
            regional_endpoint("eu-west-1", false, false),
            "https://ec2.eu-west-1.amazonaws.com/"
        );
        assert_eq!(
            regional_endpoint("cn-north-1", false, false),
            "https://ec2.cn-north-1.amazonaws.com.cn/"
        );
        assert_eq!(
            regional_endpoint("us-gov-west-1", true, false),
            "https://ec2-fips.us-gov-west-1.amazonaws.com/"
        );
        assert_eq!(
            regional_endpoint("us-east-1", false, true),
            "https://ec2.us-east-1.api.aws/"
        );
    }
}
