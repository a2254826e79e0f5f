//! EC2 `DescribeRegions` as one SigV4-signed Query call made with the SDK's
//! own parts (its HTTP connector, signer, credentials chain and XML reader).
//! Vigil needs this one operation of EC2; the generated `aws-sdk-ec2` crate
//! was the largest thing in the build (a 648 MB library, minutes of compile
//! and gigabytes of compiler memory) for it.

use crate::calls::CallCounter;
use crate::query::{self, Service};
use aws_config::SdkConfig;
use aws_smithy_xml::decode::{try_data, Document, ScopedDecoder};

/// The Query form: API version 2016-11-15, every region enabled or not.
const BODY: &str = "Action=DescribeRegions&Version=2016-11-15&AllRegions=true";

pub(crate) const EC2: Service = Service {
    name: "ec2",
    id: "EC2",
    endpoint: |region, fips, dual_stack| (regional_endpoint(region, fips, dual_stack), region.to_owned()),
};

/// One region as EC2 lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub name: String,
    /// `opt-in-not-required`, `opted-in` or `not-opted-in`.
    pub opt_in_status: Option<String>,
}

/// Every region of the partition, enabled or not (`AllRegions=true`), with
/// the SDK configuration's credentials, home region, endpoint override and
/// attempt count (retried as `query::call` retries).
pub async fn describe_regions(config: &SdkConfig, counter: &CallCounter) -> Result<Vec<Region>, String> {
    let xml = query::call(config, &EC2, BODY, counter, "ec2:DescribeRegions")
        .await
        .map_err(|refused| refused.reason)?;
    parse_regions(&xml).map_err(|err| format!("unreadable DescribeRegions answer: {err}"))
}

/// EC2's endpoint in `region`.
fn regional_endpoint(region: &str, fips: bool, dual_stack: bool) -> String {
    let host = if fips { "ec2-fips" } else { "ec2" };
    format!("https://{host}.{region}.{}/", query::dns_suffix(region, dual_stack))
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
