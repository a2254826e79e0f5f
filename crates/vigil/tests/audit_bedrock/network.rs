//! The VPCs of regions that invoke Bedrock models, audited live: each one
//! that runs something reaches the Bedrock runtime through an endpoint.

use super::*;

/// Makes, in `region`, a VPC tagged `name` with a subnet; with a network
/// interface when `busy`, and an interface endpoint for each of `apis`.
fn vpc(endpoint: &str, region: &str, name: &str, busy: bool, apis: &[&str]) {
    let apis = serde_json::to_string(apis).unwrap();
    let busy = if busy { "True" } else { "False" };
    in_region(
        endpoint,
        region,
        &format!(
            r#"ec2 = client('ec2')
vpc = ec2.create_vpc(CidrBlock='10.0.0.0/16', TagSpecifications=[{{'ResourceType': 'vpc', 'Tags': [{{'Key': 'Name', 'Value': '{name}'}}]}}])['Vpc']['VpcId']
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock='10.0.1.0/24')['Subnet']['SubnetId']
if {busy}:
    ec2.create_network_interface(SubnetId=subnet)
for api in {apis}:
    ec2.create_vpc_endpoint(VpcId=vpc, VpcEndpointType='Interface', ServiceName=f'com.amazonaws.{{region}}.{{api}}', SubnetIds=[subnet])"#
        ),
    );
}

/// The verdict of the VPC tagged `name`, by the name findings give it.
fn of<'a>(found: &'a std::collections::BTreeMap<(String, String), serde_json::Value>, name: &str) -> &'a str {
    let suffix = format!("({name})");
    let (_, finding) = found
        .iter()
        .find(|((_, vpc), _)| vpc.ends_with(&suffix))
        .unwrap_or_else(|| panic!("no finding for {name}: {found:?}"));
    finding["status"].as_str().unwrap()
}

#[test]
fn vpcs_that_run_something_where_models_are_invoked_need_the_runtime_endpoint() {
    let emulator = Emulator::start();
    in_region(&emulator.url, REGION, INVOKED);
    vpc(&emulator.url, REGION, "private", true, &["bedrock-runtime"]);
    vpc(&emulator.url, REGION, "open", true, &["bedrock", "bedrock-agent"]);
    vpc(&emulator.url, REGION, "empty", false, &[]);
    // us-east-1 invokes no model: its VPCs are not read.
    vpc(&emulator.url, "us-east-1", "elsewhere", true, &[]);
    let rule = "bedrock-vpc-endpoints";
    let regions = format!("{REGION},us-east-1");
    let (code, report) = audit_json(&emulator.url, &["--regions", &regions, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let found = support::verdicts_for(&report, rule);
    assert_eq!(of(&found, "private"), "pass");
    assert_eq!(of(&found, "open"), "fail");
    // The default VPC and the empty one run nothing; us-east-1 is not read.
    assert_eq!(found.len(), 2, "{report:#}");
    let open = found.values().find(|f| f["status"] == "fail").unwrap();
    assert_eq!(open["resource"]["type"], "AWS::EC2::VPC", "{open:#}");
    let message = open["message"].as_str().unwrap();
    assert!(
        message.contains("missing: bedrock-runtime, bedrock-agent-runtime, bedrock-mantle"),
        "{message}"
    );
    assert_eq!(report["calls"]["ec2:DescribeVpcs"]["operations"], 1, "{report:#}");
    // The logging rule asks the same question where logging is off: one
    // ListMetrics per region answers both.
    let both = format!("{rule},bedrock-invocation-logging");
    let (_, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", &both]);
    assert_eq!(report["calls"]["cloudwatch:ListMetrics"]["operations"], 1, "{report:#}");
    let logging = support::verdicts_for(&report, "bedrock-invocation-logging");
    assert_eq!(logging.values().next().unwrap()["status"], "fail", "{report:#}");

    // Each VPC's interfaces refused: unknown, with the refusal, unless
    // the endpoint is there.
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "ec2", "operation": "DescribeNetworkInterfaces",
         "error": {"code": "UnauthorizedOperation", "status": 403, "message": "You are not authorized"}},
    ]));
    let (code, report) = audit_json(&proxy.url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(code, 3, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    assert_eq!(found.len(), 4, "{report:#}");
    // The VPC with the endpoint passes whatever runs in it.
    assert_eq!(of(&found, "private"), "pass");
    for finding in found.values().filter(|f| f["status"] != "pass") {
        assert_eq!(finding["status"], "unknown", "{finding:#}");
        let reason = finding["reason"].as_str().unwrap();
        assert!(
            reason.contains("access denied to ec2:DescribeNetworkInterfaces"),
            "{reason}"
        );
    }
}
