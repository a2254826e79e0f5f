//! `query.rs`'s tests: paging, error documents, and signed calls against a
//! loopback server that counts connections and calls in flight.

use super::*;

#[test]
fn pages_are_followed_to_the_last_and_a_repeated_token_is_refused() {
    let three = futures::executor::block_on(every_page("op", |token| async move {
        let n: usize = token.as_deref().map_or(0, |t| t.parse().unwrap());
        Ok((vec![n], (n < 2).then(|| (n + 1).to_string())))
    }));
    assert_eq!(three.unwrap(), [0, 1, 2]);
    let cycle = futures::executor::block_on(every_page("op", |_| async { Ok((vec![1], Some("again".to_owned()))) }));
    assert_eq!(cycle.unwrap_err(), "op answered the same page token twice");
    let endless = futures::executor::block_on(every_page("op", |token| async move {
        let n: usize = token.as_deref().map_or(0, |t| t.parse().unwrap());
        Ok((Vec::<usize>::new(), Some((n + 1).to_string())))
    }));
    assert!(endless.unwrap_err().contains("went on past 50 pages"));
}

#[test]
fn buckets_and_s3_control_accounts_go_in_the_host_unless_an_endpoint_is_set() {
    let s3 = "https://s3.eu-west-1.amazonaws.com";
    assert_eq!(
        bucket_url(s3, "logs", "acl", false),
        "https://logs.s3.eu-west-1.amazonaws.com/?acl"
    );
    assert_eq!(
        bucket_url(s3, "a.b", "acl", false),
        "https://s3.eu-west-1.amazonaws.com/a.b?acl"
    );
    assert_eq!(
        bucket_url("http://127.0.0.1:5000/", "logs", "acl", true),
        "http://127.0.0.1:5000/logs?acl"
    );
    let control = "https://s3-control.eu-west-1.amazonaws.com";
    let path = "/v20180820/configuration/publicAccessBlock";
    assert_eq!(
        account_url(control, "123456789012", path, false),
        format!("https://123456789012.s3-control.eu-west-1.amazonaws.com{path}")
    );
    assert_eq!(
        account_url("http://127.0.0.1:5000", "123456789012", path, true),
        format!("http://127.0.0.1:5000{path}")
    );
}

/// What a [`counting_server`] saw: connections accepted, requests
/// being answered now, and the most at once.
#[derive(Default)]
struct Seen {
    accepted: std::sync::atomic::AtomicUsize,
    answering: std::sync::atomic::AtomicUsize,
    most: std::sync::atomic::AtomicUsize,
}

/// A loopback HTTP/1.1 server answering `{}` to every request, after
/// `delay`, on keep-alive connections.
fn counting_server(delay: std::time::Duration) -> (String, std::sync::Arc<Seen>) {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::sync::atomic::Ordering;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(Seen::default());
    let counted = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counted.accepted.fetch_add(1, Ordering::SeqCst);
            let seen = counted.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut stream = stream;
                loop {
                    let mut length = 0;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = value.trim().parse().unwrap_or(0);
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0; length];
                    let _ = reader.read_exact(&mut body);
                    let now = seen.answering.fetch_add(1, Ordering::SeqCst) + 1;
                    seen.most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(delay);
                    seen.answering.fetch_sub(1, Ordering::SeqCst);
                    let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
                    if stream.write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, seen)
}

fn config(url: &str) -> SdkConfig {
    SdkConfig::builder()
        .region(aws_types::region::Region::new("eu-west-1"))
        .endpoint_url(url)
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(
            aws_credential_types::Credentials::new("AKIDEXAMPLE", "secret", None, None, "test"),
        ))
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build()
}

const BEDROCK: Service = Service {
    name: "bedrock",
    id: "Bedrock",
    endpoint: |region, fips, dual_stack| regional("bedrock", region, fips, dual_stack),
};

#[tokio::test]
async fn signed_calls_share_one_connection_pool() {
    let (url, seen) = counting_server(std::time::Duration::ZERO);
    let (config, counter) = (config(&url), CallCounter::default());
    for _ in 0..5 {
        let answer = call_rest(
            &config,
            &BEDROCK,
            ("GET", "/guardrails"),
            "",
            &counter,
            "bedrock:ListGuardrails",
        )
        .await;
        assert_eq!(answer.unwrap(), "{}");
    }
    let accepted = seen.accepted.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(accepted, 1, "five calls, one connection");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_calls_hold_the_places_of_their_scope() {
    let (url, seen) = counting_server(std::time::Duration::from_millis(150));
    let (config, counter) = (config(&url), CallCounter::default());
    let six = || {
        futures::future::join_all((0..6).map(|_| {
            call_rest(
                &config,
                &BEDROCK,
                ("GET", "/guardrails"),
                "",
                &counter,
                "bedrock:ListGuardrails",
            )
        }))
    };
    let places = crate::in_flight::Places::new(4).within(2);
    for answer in crate::in_flight::within(places, six()).await {
        assert_eq!(answer.unwrap(), "{}");
    }
    let most = || seen.most.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(most(), 2, "the scope's two places bound the calls in flight");
    // Outside any scope nothing bounds them.
    six().await;
    assert!(most() > 2, "{}", most());
}

#[test]
fn errors_keep_their_code_and_message_wherever_the_service_puts_them() {
    let ec2 = "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>x</RequestID></Response>";
    let (code, message) = parse_error(ec2);
    assert_eq!(
        describe_error(403, &code, &message),
        "UnauthorizedOperation: You are not authorized to perform this operation."
    );
    let iam = "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name sm cannot be found.</Message></Error><RequestId>x</RequestId></ErrorResponse>";
    assert_eq!(parse_error(iam).0, "NoSuchEntity");
    let kms = r#"{"__type":"com.amazonaws.kms#NotFoundException","message":"Key 'k' does not exist"}"#;
    assert_eq!(
        parse_json_error(kms),
        ("NotFoundException".to_owned(), "Key 'k' does not exist".to_owned())
    );
    let (code, message) = parse_error("<html>bad gateway</html>");
    assert_eq!(describe_error(502, &code, &message), "HTTP 502");
}
