//! Times recording runs of N findings (default 100,000) into a store, as
//! `bench/store.sh` reports: the first run (every finding new), then a run
//! that changes a tenth of them (fixed, deleted, added).
//!
//!   cargo run --release -p vigil-store --example record -- [N] [STORE_URL]

use std::time::Instant;
use vigil_core::model::{Identity, SageMakerModel};
use vigil_core::rules::sagemaker::model_network_isolation::RULE;
use vigil_core::{Fact, Finding, Resource};
use vigil_store::{Place, RunRecord, Store, StoreUrl};

fn findings(n: usize, shift: usize) -> Vec<Finding> {
    (shift..n + shift)
        .map(|i| {
            let arn = format!("arn:aws:sagemaker:eu-west-1:123456789012:model/m{i:06}");
            let mut model = SageMakerModel::unreadable(Identity::from_arn(format!("m{i:06}"), Some(arn)), "");
            model.network_isolation = Fact::Known(i % 3 == 0);
            RULE.evaluate(&Resource::SageMakerModel(model))
                .expect("a model finding")
        })
        .collect()
}

fn run(id: &str, at: &str) -> RunRecord {
    RunRecord {
        id: id.into(),
        command: "audit".into(),
        started_at: at.into(),
        finished_at: at.into(),
        accounts: vec!["123456789012".into()],
        regions: vec!["eu-west-1".into()],
        rules: vec![RULE.id.into()],
        counts: Default::default(),
        errors: 0,
        read: vec![Place::Region {
            account: "123456789012".into(),
            region: "eu-west-1".into(),
        }],
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(100_000, |a| a.parse().expect("N is a number"));
    let dir = tempfile::tempdir().unwrap();
    let url = args.next().map_or_else(
        || StoreUrl::Sqlite(dir.path().join("findings.db")),
        |u| StoreUrl::parse(&u).expect("a store URL"),
    );
    let mut store = Store::open(&url).expect("opening the store");
    for (label, id, at, shift) in [
        ("first run (all new)", "r1", "2026-01-01T00:00:00.000Z", 0),
        ("second run (a tenth changed)", "r2", "2026-01-02T00:00:00.000Z", n / 10),
    ] {
        let batch = findings(n, shift);
        let start = Instant::now();
        let recorded = store.record(&run(id, at), &batch).expect("recording");
        println!(
            "{label}: {n} findings recorded in {:.3} s ({} opened, {} resolved)",
            start.elapsed().as_secs_f64(),
            recorded.opened.len(),
            recorded.resolved.len()
        );
    }
}
