//! The spill against held findings: order, round trips, forgetting, blocks, cut records.

use super::*;
use vigil_core::finding::{History, Location, PropertyLocation, ResourceRef, Status, Suppression};

fn finding(file: &str, line: usize, id: &str, status: Status) -> Finding {
    let rule = vigil_core::registry::RULES[3];
    Finding {
        rule,
        title: rule.title,
        reason: status.reason().map(str::to_owned),
        status,
        risk: rule.risk,
        message: format!("{id} in {file}"),
        suppressed: false,
        suppression: None,
        resource: ResourceRef {
            kind: "AWS::SageMaker::MonitoringSchedule",
            name: id.into(),
            arn: None,
            account: Some("123456789012".into()),
            region: None,
        },
        location: Some(Location {
            file: file.into(),
            line,
            column: 3,
            logical_id: id.into(),
            property: Some(PropertyLocation {
                name: "EnableNetworkIsolation".into(),
                line: line + 1,
                column: 7,
            }),
        }),
        history: None,
    }
}

fn read(spill: Spill) -> Vec<Finding> {
    let findings = spill.into_findings();
    assert!(matches!(findings, Findings::Spilled(_)), "kept in a file");
    let read: Vec<Finding> = findings.iter().map(std::borrow::Cow::into_owned).collect();
    assert_eq!(findings.failure(), None);
    read
}

#[test]
fn findings_come_back_whole_and_in_report_order_whatever_order_files_finish_in() {
    let unknown = || Status::Unknown {
        reason: "a parameter".into(),
    };
    let mut spill = Spill::in_file();
    spill.push(vec![
        finding("b.yaml", 9, "Z", Status::Fail),
        finding("b.yaml", 2, "A", unknown()),
    ]);
    spill.push(vec![finding("a.tf", 40, "aws_sagemaker_model.m", Status::Pass)]);
    spill.push(Vec::new());
    spill.sort();
    let mut expected = vec![
        finding("a.tf", 40, "aws_sagemaker_model.m", Status::Pass),
        finding("b.yaml", 2, "A", unknown()),
        finding("b.yaml", 9, "Z", Status::Fail),
    ];
    expected[0].suppressed = true;
    expected[0].suppression = Some(Suppression {
        reason: "accepted".into(),
        expires: Some("2030-01-01".into()),
    });
    expected[2].history = Some(History {
        state: "open".into(),
        first_seen: "2026-11-01T00:00:00Z".into(),
        new: false,
        key: "rule|b.yaml|Z".into(),
    });
    spill.update(|f| {
        if f.location.as_ref().is_some_and(|l| l.file == "a.tf") {
            f.suppressed = true;
            f.suppression = expected[0].suppression.clone();
        }
        if f.resource.name == "Z" {
            f.history = expected[2].history.clone();
        }
    });
    assert_eq!(spill.len(), 3);
    assert_eq!(read(spill), expected);
}

#[test]
fn a_record_cut_short_is_an_error_not_a_panic() {
    let found = finding("a.yaml", 1, "M", Status::Fail);
    let mut bytes = Vec::new();
    let statics = codec::Statics {
        rule: 3,
        title: 0,
        kind: 1,
    };
    codec::encode(&found, statics, &mut bytes);
    let texts = [found.title, found.resource.kind];
    assert_eq!(codec::decode(&bytes, &texts), Ok(found));
    for cut in 0..bytes.len() {
        assert!(codec::decode(&bytes[..cut], &texts).is_err(), "cut at {cut}");
    }
    assert!(
        codec::decode(&bytes, &texts[..1]).is_err(),
        "a text the spill never listed"
    );
}

#[test]
fn findings_keep_the_numbers_of_the_files_a_work_read_and_sort_by_name() {
    let mut spill = Spill::in_file();
    let b = spill.files().add(std::path::Path::new("b.yaml"));
    let a = spill.files().add(std::path::Path::new("a.yaml"));
    spill.push_from(vec![finding("b.yaml", 2, "B", Status::Fail)], &[b]);
    spill.push_from(vec![finding("a.yaml", 9, "A", Status::Fail)], &[a]);
    spill.sort();
    spill.update(|f| f.suppressed = true);
    assert_eq!(
        spill.files().number("c.yaml", &[]),
        2,
        "no name was added for a or b, when pushed or rewritten"
    );
    let read: Vec<(String, bool)> = read(spill)
        .into_iter()
        .map(|f| (f.resource.name, f.suppressed))
        .collect();
    assert_eq!(read, [("A".into(), true), ("B".into(), true)]);
}

#[test]
fn a_nested_childs_standalone_findings_can_be_forgotten() {
    let mut spill = Spill::in_file();
    spill.push(vec![finding("child.yaml", 5, "M", Status::Pass)]);
    spill.push(vec![finding("parent.yaml", 5, "Stack", Status::Fail)]);
    spill.forget(|file| file == "child.yaml");
    spill.push(vec![finding("child.yaml", 5, "Stack/M", Status::Fail)]);
    spill.sort();
    let names: Vec<String> = read(spill).into_iter().map(|f| f.resource.name).collect();
    assert_eq!(names, ["Stack/M", "Stack"]);
}

#[test]
fn more_findings_than_one_block_are_read_back_across_blocks() {
    let mut spill = Spill::in_file();
    // About 600 bytes each: several blocks, pushed from the last file.
    let count = 2 * BLOCK / 300;
    for i in (0..count).rev() {
        spill.push(vec![finding(
            &format!("f{i:05}.yaml"),
            1,
            &"x".repeat(200),
            Status::Fail,
        )]);
    }
    spill.sort();
    let files: Vec<String> = read(spill)
        .into_iter()
        .map(|f| f.location.expect("placed").file)
        .collect();
    let expected: Vec<String> = (0..count).map(|i| format!("f{i:05}.yaml")).collect();
    assert_eq!(files, expected);
}

#[test]
fn held_findings_sort_the_same_as_spilled_ones() {
    let batches = || {
        vec![
            vec![
                finding("b.yaml", 9, "Z", Status::Fail),
                finding("b.yaml", 9, "A", Status::Pass),
            ],
            vec![finding("a.yaml", 1, "Q", Status::Fail)],
        ]
    };
    let (mut held, mut spilled) = (Spill::held(), Spill::in_file());
    for batch in batches() {
        held.push(batch.clone());
        spilled.push(batch);
    }
    held.sort();
    spilled.sort();
    assert!(!held.is_spilled() && spilled.is_spilled());
    let held = match held.into_findings() {
        Findings::Held(held) => held,
        Findings::Spilled(_) => panic!("held in memory"),
    };
    assert_eq!(held, read(spilled));
}

#[test]
fn batches_come_in_report_order_no_larger_than_asked_and_their_changes_stay() {
    let mut spill = Spill::in_file();
    for n in 0..7 {
        spill.push(vec![finding(&format!("f{}.yaml", 6 - n), n, "M", Status::Fail)]);
    }
    spill.sort();
    let mut sizes = Vec::new();
    let mut order = Vec::new();
    spill.update_batches(3, |batch| {
        sizes.push(batch.len());
        for f in batch.iter_mut() {
            order.push(f.location.as_ref().unwrap().file.clone());
            f.history = Some(History {
                state: "open".into(),
                first_seen: f.message.clone(),
                new: true,
                key: f.key(),
            });
        }
    });
    assert_eq!(sizes, [3, 3, 1]);
    let files: Vec<String> = (0..7).map(|n| format!("f{n}.yaml")).collect();
    assert_eq!(order, files);
    let read = read(spill);
    assert_eq!(read.len(), 7);
    assert!(read
        .iter()
        .all(|f| f.history.as_ref().is_some_and(|h| h.first_seen == f.message)));
}

#[test]
fn findings_that_cannot_be_written_make_the_report_fail_not_shrink() {
    // A file open for reading only: every write fails, as on a full disk.
    let mut spill = Spill::on(File::open("/dev/null").unwrap());
    spill.push(vec![finding("a.yaml", 1, "M", Status::Fail)]);
    spill.sort();
    let why = spill.failure().expect("the write failed").to_owned();
    assert!(why.contains("could not be written to a temporary file"), "{why}");
    let findings = spill.into_findings();
    assert_eq!(
        findings.failure().as_deref(),
        Some(why.as_str()),
        "the report sees it too"
    );
}

#[test]
fn keyed_findings_sort_by_key_and_keep_their_order_within_it() {
    let live = |name: &str| {
        let mut f = finding("", 0, name, Status::Fail);
        f.location = None;
        f
    };
    let mut spill = Spill::in_file();
    spill.push_keyed(vec![live("b2"), live("b1")], "222222222222");
    spill.push_keyed(vec![live("a1"), live("a2")], "111111111111");
    spill.push_keyed(vec![live("b3")], "222222222222");
    spill.sort();
    let names: Vec<String> = read(spill).into_iter().map(|f| f.resource.name).collect();
    assert_eq!(names, ["a1", "a2", "b2", "b1", "b3"]);
}

#[test]
fn a_length_that_runs_past_the_file_stops_the_reading_with_a_reason() {
    let mut spill = Spill::in_file();
    spill.push(vec![
        finding("a.yaml", 1, "A", Status::Fail),
        finding("a.yaml", 2, "B", Status::Fail),
    ]);
    spill.sort();
    let Kept::File(spilled) = &spill.kept else {
        panic!("kept in a file")
    };
    assert_eq!(std::mem::size_of::<Entry>(), 16, "the index holds 16 bytes a finding");
    // The second finding's length, spoilt as a damaged file would be.
    let second = spilled.index[1].offset;
    std::os::unix::fs::FileExt::write_all_at(&spilled.file, &u32::MAX.to_le_bytes(), second).unwrap();
    let findings = spill.into_findings();
    let read: Vec<_> = findings.iter().map(std::borrow::Cow::into_owned).collect();
    assert_eq!(read.len(), 1, "the first finding, then nothing");
    let why = findings.failure().expect("the reading stopped");
    assert!(why.contains("runs past the end of the file"), "{why}");
}
