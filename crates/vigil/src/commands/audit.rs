//! `vigil audit`: collect live resources, judge them with every rule, report.
//! Each account's resources are judged as soon as its audit is done and its
//! findings spilled to a temporary file, so an organization's audit holds
//! a few accounts at a time; the store and the report read them back.

use super::record;
use crate::cli::{AuditArgs, AuditFormat, FailOn};
use crate::config::Config;
use crate::progress::Bar;
use crate::{exit, exit_code, output};
use std::sync::Arc;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use vigil_aws::AuditRequest;
use vigil_core::{ErrorScope, Report, ResourceKind, Rule, RunError};
use vigil_report::TextOptions;

pub fn run(args: AuditArgs, config: &Config) -> anyhow::Result<u8> {
    output::check(args.output.as_deref())?;
    let started_at = crate::clock::timestamp();
    let rules = match super::selected_rules(&args.selection, config) {
        Ok(rules) => rules,
        Err(code) => return Ok(code),
    };
    if args.shard.is_some() && args.accounts.is_none() && !args.org {
        eprintln!("vigil: error: --shard shares out the accounts of --accounts or --org; give one of them");
        return Ok(exit::USAGE);
    }
    if let Err(why) = record::check(&args.store, config) {
        eprintln!("vigil: error: {}", vigil_report::safe(&why));
        return Ok(exit::USAGE);
    }
    let request = AuditRequest {
        aws: super::aws_options(&args.aws),
        regions: args.aws.regions.clone().or(config.regions.clone()).map(super::dedup),
        concurrency: usize::from(args.aws.concurrency),
        region_concurrency: usize::from(args.region_concurrency),
        kinds: kinds(&rules),
        reads: vigil_aws::Reads::of(&rules),
        jobs_since: args.since.time,
        accounts: (args.accounts.is_some() || args.org).then(|| vigil_aws::AccountsRequest {
            org: args.org.then(|| args.ou.clone()),
            exclude: args.exclude_accounts.clone(),
            shard: args.shard,
            ..args
                .role
                .accounts(super::dedup(args.accounts.clone().unwrap_or_default()))
        }),
        keep_sessions: args.security_hub,
    };
    let bar = Arc::new(Bar::new(!args.no_progress));
    let runtime = tokio::runtime::Runtime::new()?;
    let mut marker = crate::suppress::Marker::new(&config.suppressions, &rules, &started_at[..10]);
    let mut spill = vigil_iac::Spill::in_file();
    // The resources are not kept once judged: only the findings, spilled.
    let mut found = |account: &str, resources: Vec<vigil_core::Resource>| {
        let mut findings = vigil_core::judge::judge_all(&rules, &resources);
        findings.iter_mut().for_each(|f| marker.mark(f));
        spill.push_keyed(findings, account);
    };
    let collected = runtime.block_on(vigil_aws::audit(request, bar.clone(), &mut found));
    bar.finish();
    let mut collected = match collected {
        Ok(collected) => collected,
        Err(err) => return Ok(super::config_error(&err, args.verbose)),
    };
    spill.sort();
    let sessions = std::mem::take(&mut collected.sessions);
    let mut notes = std::mem::take(&mut collected.notes);
    marker.finish(&mut notes);
    if let Some(why) = spill.failure() {
        anyhow::bail!("{why}: the report would be incomplete");
    }
    let jobs = [
        ResourceKind::TrainingJob,
        ResourceKind::ProcessingJob,
        ResourceKind::TuningJob,
    ];
    if rules.iter().any(|r| jobs.contains(&r.resource_kind)) {
        let start = OffsetDateTime::from(args.since.time)
            .format(&Rfc3339)
            .unwrap_or_default();
        notes.push(format!(
            "jobs audited: those created {} (from {start}), of every status, stopped and failed included; --since changes the window",
            args.since.said
        ));
    }
    let finished_at = crate::clock::timestamp();
    let audited = collected.entered();
    let run = record::Run {
        command: "audit",
        started_at: &started_at,
        finished_at: &finished_at,
        accounts: audited.iter().map(|a| a.id.clone()).collect(),
        regions: collected.regions.clone(),
        rules: rules.iter().map(|r| r.id.to_owned()).collect(),
        errors: collected.errors.len(),
        read: record::live_places(&audited, &collected.errors),
        trend: args.format == AuditFormat::Html,
        namer: None,
        lineage: record::lineage(&args.store, None),
    };
    let mut errors = collected.errors;
    let recorded = record::record_spilled(&args.store, config, |_| run, &mut spill, &mut notes, &mut errors);
    let findings = spill.into_findings();
    if args.security_hub {
        let only_failed = args.security_hub_only_failed;
        let records = findings
            .iter()
            .filter(|f| !only_failed || f.status == vigil_core::Status::Fail)
            .filter_map(|f| vigil_report::asff::asff(&f, &finished_at))
            .collect();
        let (taken, refused) = runtime.block_on(vigil_aws::security_hub::import(&sessions, records));
        notes.push(format!(
            "Security Hub: {taken} finding(s) imported, {} refused",
            refused.len()
        ));
        errors.extend(refused.into_iter().map(|n| {
            let message = format!("finding {} was not imported: {}", n.id, n.reason);
            let operation = Some("securityhub:BatchImportFindings".to_owned());
            RunError::in_region(ErrorScope::Import, Some(n.region), operation, message)
        }));
    }
    let reach = vigil_core::Reach::Live {
        account: collected.account,
        accounts: collected.accounts,
        regions: collected.regions,
        calls: collected.calls,
    };
    let report = Report::new(
        "audit",
        (started_at, finished_at),
        reach,
        (findings, recorded),
        errors,
        notes,
    );
    // JSON and CSV are written as they are rendered; text is rendered whole.
    let path = args.output.as_deref();
    match args.format {
        AuditFormat::Json => output::write_streamed(path, |w| vigil_report::write_json(&report, w))?,
        AuditFormat::Csv => output::write_streamed(path, |w| vigil_report::write_csv(&report, w))?,
        AuditFormat::Ocsf => output::write_streamed(path, |w| vigil_report::write_ocsf(&report, w))?,
        AuditFormat::Asff => output::write_streamed(path, |w| vigil_report::write_asff(&report, w))?,
        AuditFormat::Html => output::write(path, &vigil_report::render_html(&report, record::trend(&report)))?,
        AuditFormat::Text => {
            let color = path.is_none() && crate::progress::stdout_wants_color();
            let options = TextOptions {
                color,
                verbose: args.verbose,
            };
            output::write(path, &vigil_report::render_text(&report, options))?
        }
    }
    Ok(exit_code(report.gated_outcome(args.store.fail_on == FailOn::New)))
}

/// The resource kinds the chosen rules judge, each once: rules of one kind
/// share one collection pass.
pub(super) fn kinds(rules: &[&'static Rule]) -> Vec<vigil_core::ResourceKind> {
    let mut kinds: Vec<_> = rules.iter().map(|r| r.resource_kind).collect();
    kinds.sort_by_key(|k| k.type_name());
    kinds.dedup();
    kinds
}
