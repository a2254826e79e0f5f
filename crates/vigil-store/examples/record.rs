//! Records one run of N findings (default 100,000) into a store, a batch at
//! a time as `vigil` does, for `bench/store.sh` to time and measure: run 1
//! (every finding new), or run 2 (a tenth changed: fixed, deleted, added).
//! The findings are spread over every rule of the registry, as an audit's
//! are, one in three failing.
//!
//!   cargo run --release -p vigil-store --example record -- N STORE_URL 1|2

use std::time::Instant;
use vigil_core::finding::ResourceRef;
use vigil_core::registry::RULES;
use vigil_core::{Finding, Status};
use vigil_store::{Lineage, Place, RunRecord, Store, StoreUrl, BATCH};

/// Finding `i`: rule `i` modulo the registry, on resource `i / rules`; one
/// in three fails, and in run 2 a tenth of those passes.
fn finding(i: usize, run: u8) -> Finding {
    let rule = RULES[i % RULES.len()];
    let name = format!("r{:08}", i / RULES.len());
    let fails = i.is_multiple_of(3) && !(run == 2 && (i / 3) % 10 == 1);
    Finding {
        rule,
        title: rule.title,
        status: if fails { Status::Fail } else { Status::Pass },
        reason: None,
        risk: rule.risk,
        message: format!("{name} is judged by {}", rule.id),
        suppressed: false,
        suppression: None,
        resource: ResourceRef {
            kind: rule.resource_kind.type_name(),
            arn: Some(format!("arn:aws:sagemaker:eu-west-1:123456789012:thing/{name}")),
            name,
            account: Some("123456789012".into()),
            region: Some("eu-west-1".into()),
        },
        location: None,
        history: None,
    }
}

fn run(id: &str, at: &str) -> RunRecord {
    RunRecord {
        id: id.into(),
        command: "audit".into(),
        started_at: at.into(),
        finished_at: at.into(),
        accounts: vec!["123456789012".into()],
        regions: vec!["eu-west-1".into()],
        rules: RULES.iter().map(|r| r.id.to_owned()).collect(),
        counts: Default::default(),
        errors: 0,
        read: vec![Place::Region {
            account: "123456789012".into(),
            region: "eu-west-1".into(),
        }],
        lineage: Lineage::observing(""),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(100_000, |a| a.parse().expect("N is a number"));
    let url = StoreUrl::parse(&args.next().expect("a store URL")).expect("a store URL");
    let which: u8 = args.next().map_or(1, |a| a.parse().expect("1 or 2"));
    let mut store = Store::open(&url).expect("opening the store");
    // Run 2 no longer sees the first twentieth and sees a twentieth more.
    let (label, id, at, from) = match which {
        1 => ("run 1 (all new)", "r1", "2026-01-01T00:00:00.000Z", 0),
        _ => ("run 2 (a tenth changed)", "r2", "2026-01-02T00:00:00.000Z", n / 20),
    };
    let start = Instant::now();
    let mut recording = store.begin(run(id, at)).expect("starting the run");
    let mut i = from;
    while i < from + n {
        let mut batch: Vec<Finding> = (i..(i + BATCH).min(from + n)).map(|i| finding(i, which)).collect();
        recording.add(&mut batch).expect("recording a batch");
        i += batch.len();
    }
    let recorded = recording.finish().expect("finishing the run");
    println!(
        "{label}: {n} findings recorded in {:.3} s ({} opened, {} resolved)",
        start.elapsed().as_secs_f64(),
        recorded.opened,
        recorded.resolved.len()
    );
}
