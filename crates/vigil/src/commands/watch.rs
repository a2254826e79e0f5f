//! `vigil watch`: long-polls the queue an EventBridge rule feeds, describes
//! and judges each SageMaker resource an event names, emits its findings at
//! once, records them, and only then deletes the message (at least once: a
//! redelivered event is judged again, harmlessly).

use super::record;
use crate::cli::{ReportFormat, WatchArgs};
use crate::config::Config;
use crate::exit;
use crate::watch::event::{self, Change, Event};
use crate::watch::webhook::Webhook;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use vigil_aws::watch::{Described, Message, Watcher};
use vigil_aws::AuditRequest;
use vigil_core::{Finding, Rule, Status};

/// deploy/watch.yaml (through a link, so `cargo package` carries it),
/// printed by `--print-template`.
const TEMPLATE: &str = include_str!("watch-stack.yaml");

/// Receive errors back off from one second up to this.
const LONGEST_BACKOFF: Duration = Duration::from_secs(30);

pub fn run(args: WatchArgs, config: &Config) -> anyhow::Result<u8> {
    if args.print_template {
        std::io::stdout().lock().write_all(TEMPLATE.as_bytes())?;
        return Ok(exit::CLEAN);
    }
    let rules = match super::selected_rules(&args.selection, config) {
        Ok(rules) => rules,
        Err(code) => return Ok(code),
    };
    if let Err(why) = record::check(&args.store, config) {
        eprintln!("vigil: error: {}", vigil_report::safe(&why));
        return Ok(exit::USAGE);
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(watch(&args, config, &rules))
}

/// What handling a message needs.
struct Context<'a> {
    args: &'a WatchArgs,
    webhook: Option<Webhook>,
    config: &'a Config,
    rules: &'a [&'static Rule],
    watcher: &'a Watcher,
    /// The findings store, opened at the first event that records and kept
    /// (a PostgreSQL store is one connection, not one per event); dropped
    /// after a failed write, so the next event opens it again.
    store: std::sync::Mutex<Option<record::Opened>>,
}

async fn watch(args: &WatchArgs, config: &Config, rules: &[&'static Rule]) -> anyhow::Result<u8> {
    let accounts = args.role.role_name.is_some().then(|| args.role.accounts(Vec::new()));
    let url = args.queue_url.as_deref().unwrap_or_default();
    let concurrency = usize::from(args.aws.concurrency);
    let watcher = match Watcher::new(&super::aws_options(&args.aws), url, accounts, concurrency).await {
        Ok(watcher) => watcher,
        Err(err) => return Ok(super::config_error(&err, false)),
    };
    let stop = Arc::new(Notify::new());
    listen_for_signals(stop.clone())?;
    log(&format!("receiving from {url}"));
    let webhook = match args.notify_url.as_deref().map(Webhook::new).transpose() {
        Ok(webhook) => webhook,
        Err(why) => {
            eprintln!("vigil: error: --notify-url: {}", vigil_report::safe(&why));
            return Ok(exit::USAGE);
        }
    };
    let context = Context {
        args,
        webhook,
        config,
        rules,
        watcher: &watcher,
        store: std::sync::Mutex::new(None),
    };
    let mut next_reconcile = args.reconcile.map(|_| Instant::now());
    let mut backoff = Duration::from_secs(1);
    loop {
        if let (Some(due), Some(every)) = (next_reconcile, args.reconcile) {
            if due <= Instant::now() {
                reconcile(&context).await;
                next_reconcile = Some(Instant::now() + every);
            }
        }
        let received = tokio::select! {
            _ = stop.notified() => break,
            got = watcher.receive(args.wait_seconds) => got,
        };
        match received {
            Ok(messages) => {
                backoff = Duration::from_secs(1);
                // A batch is finished even when a signal comes meanwhile.
                futures::future::join_all(messages.iter().map(|m| handle(&context, m))).await;
            }
            Err(why) => {
                log(&format!(
                    "could not receive ({why}); trying again in {} s",
                    backoff.as_secs()
                ));
                tokio::select! {
                    _ = stop.notified() => break,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(LONGEST_BACKOFF);
            }
        }
    }
    log("stopped: nothing in flight");
    Ok(exit::CLEAN)
}

/// SIGTERM or SIGINT: stop receiving; what is in flight is finished.
fn listen_for_signals(stop: Arc<Notify>) -> anyhow::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::spawn(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
        // Kept as a permit when nothing waits yet: the loop sees it next.
        stop.notify_one();
    });
    Ok(())
}

/// One line on stderr: what happened to a message, or to the watcher.
fn log(what: &str) {
    // A closed stderr loses the line, never the watcher.
    let _ = writeln!(std::io::stderr(), "vigil watch: {}", vigil_report::safe(what));
}

/// Handles one message and deletes it when it is done with: judged and
/// emitted (and recorded), or never to be judged (poison, ignored, gone).
/// A message left (an account not entered, an unknown verdict, a store
/// that failed) comes back after the queue's visibility timeout, and the
/// queue's redrive policy dead-letters one that never succeeds.
async fn handle(context: &Context<'_>, message: &Message) {
    let done = match event::parse(&message.body) {
        Err(why) => {
            log(&format!(
                "message {}: not a SageMaker event ({why}): deleted",
                message.id
            ));
            true
        }
        Ok(Event::Ignored(why)) => {
            log(&format!("message {}: {why}: deleted", message.id));
            true
        }
        Ok(Event::Change(change)) => judge(context, message, &change).await,
    };
    if done {
        if let Err(why) = context.watcher.delete(message).await {
            log(&format!(
                "message {}: could not be deleted ({why}); it will come again",
                message.id
            ));
        }
    }
}

/// Describes and judges the resource a change names; whether the message is done.
async fn judge(context: &Context<'_>, message: &Message, change: &Change) -> bool {
    let rules: Vec<&'static Rule> = context
        .rules
        .iter()
        .copied()
        // What a resource shares with the account's others (an agent's
        // role) is judged by the reconciling audit, which reads them all:
        // one resource's event cannot tell.
        .filter(|r| r.resource_kind == change.kind && r.lookup != vigil_core::Lookup::SharedRole)
        .collect();
    let place = format!("{} in {} {}", change.name, change.account, change.region);
    if rules.is_empty() {
        log(&format!(
            "message {}: {place}: no chosen rule judges it: deleted",
            message.id
        ));
        return true;
    }
    let watcher = context.watcher;
    let place_of = (change.account.as_str(), change.region.as_str());
    let mut resource = match watcher
        .describe(place_of, change.kind, &change.name, change.of_type)
        .await
    {
        Described::Found(resource) => resource,
        Described::Gone(why) => {
            log(&format!("message {} ({}): {why}: deleted", message.id, change.cause));
            return true;
        }
        Described::NoAccount(why) => {
            log(&format!(
                "message {} ({}): {place}: {why}: left in the queue",
                message.id, change.cause
            ));
            return false;
        }
    };
    watcher
        .complete(&change.account, &mut resource, vigil_aws::Reads::of(&rules))
        .await;
    let mut findings = vigil_core::judge::judge(&rules, &resource);
    // A watch run looked at one resource: it can resolve that resource's
    // findings (fixed), never anything by absence.
    let recorded = out(context, &mut findings, ("watch", 0), Vec::new());
    let notified = notify(context, &findings).await;
    let unknown = findings.iter().any(|f| matches!(f.status, Status::Unknown { .. }));
    if unknown {
        log(&format!(
            "message {} ({}): {place}: not every verdict could be read: left in the queue",
            message.id, change.cause
        ));
    }
    recorded && notified && !unknown
}

/// Suppresses, records and emits findings; whether they were recorded (or
/// recording is off).
fn out(
    context: &Context<'_>,
    findings: &mut [Finding],
    (command, errors): (&str, usize),
    read: Vec<vigil_store::Place>,
) -> bool {
    let started_at = crate::clock::timestamp();
    let mut notes = Vec::new();
    let rules = context.rules;
    crate::suppress::apply(
        &context.config.suppressions,
        rules,
        findings,
        &started_at[..10],
        &mut notes,
    );
    let mut accounts: Vec<String> = findings.iter().filter_map(|f| f.resource.account.clone()).collect();
    accounts.dedup();
    let mut regions: Vec<String> = findings.iter().filter_map(|f| f.resource.region.clone()).collect();
    regions.dedup();
    let run = record::Run {
        command,
        started_at: &started_at,
        finished_at: &crate::clock::timestamp(),
        accounts,
        regions,
        rules: rules.iter().map(|r| r.id.to_owned()).collect(),
        errors,
        read,
        trend: false,
        namer: None,
        // What a watcher sees is what the account holds: accepted, on no branch.
        lineage: vigil_store::Lineage::observing(""),
    };
    let error = record_kept(context, run, findings, &mut notes);
    // Every finding is written, even after one that could not be: the
    // message stays on the queue, and comes back, unless all went out.
    let unwritten = findings.iter().filter(|f| !emit(context.args.format, f)).count();
    let written = unwritten == 0;
    if let Some(error) = error {
        log(&error.message);
        return false;
    }
    written
}

/// Records into the store the watcher keeps open, opening it first if need be.
fn record_kept(
    context: &Context<'_>,
    run: record::Run,
    findings: &mut [Finding],
    notes: &mut Vec<String>,
) -> Option<vigil_core::RunError> {
    let mut kept = context.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if kept.is_none() {
        match record::open(&context.args.store, context.config, notes) {
            Ok(opened) => *kept = opened,
            Err(why) => return Some(record::not_recorded(why)),
        }
    }
    let opened = kept.as_mut()?;
    let (_, error) = record::record_in(opened, run, findings);
    if error.is_some() {
        *kept = None;
    }
    error
}

/// Sends each unsuppressed failure to the `--notify-sns` topic and the
/// `--notify-url` webhook; whether every one went out.
async fn notify(context: &Context<'_>, findings: &[Finding]) -> bool {
    let mut all = true;
    for finding in findings.iter().filter(|f| f.status == Status::Fail && !f.suppressed) {
        if let Some(webhook) = &context.webhook {
            if let Err(why) = webhook.post(finding).await {
                log(&format!(
                    "{}: not posted to --notify-url ({why})",
                    finding.resource.name
                ));
                all = false;
            }
        }
        let Some(topic) = context.args.notify_sns.as_deref() else {
            continue;
        };
        let subject: String = format!("Vigil: {} fails {}", finding.resource.name, finding.rule.id)
            .chars()
            .filter(|c| !c.is_control())
            .take(100)
            .collect();
        let message = serde_json::to_string(finding).unwrap_or_default();
        if let Err(why) = context.watcher.publish(topic, &subject, &message).await {
            log(&format!("{}: not published to {topic} ({why})", finding.resource.name));
            all = false;
        }
    }
    all
}

/// Writes a finding's line to standard output; whether it went out. A
/// closed or broken output is said on stderr, never a panic: the message
/// is then not deleted, so another watcher (or this one, once its output
/// is back) delivers it.
fn emit(format: ReportFormat, finding: &Finding) -> bool {
    let line = match format {
        ReportFormat::Json => match serde_json::to_string(finding) {
            Ok(line) => line,
            Err(err) => {
                log(&format!("a finding could not be written as JSON: {err}"));
                return false;
            }
        },
        ReportFormat::Text => {
            let r = &finding.resource;
            let status = match (&finding.status, finding.suppressed) {
                (_, true) => "SUPPRESSED".to_owned(),
                (Status::Unknown { reason }, _) => format!("UNKNOWN ({reason})"),
                (status, _) => status.as_str().to_ascii_uppercase(),
            };
            vigil_report::safe(&format!(
                "{status}  {}  {}  {}  [{:?}] {}: {}",
                r.name,
                r.account.as_deref().unwrap_or("-"),
                r.region.as_deref().unwrap_or("-"),
                finding.risk,
                finding.rule.id,
                finding.message
            ))
            .into_owned()
        }
    };
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{line}").and_then(|()| out.flush()) {
        Ok(()) => true,
        Err(err) => {
            log(&format!(
                "{}: not written to standard output ({err}); its message is kept",
                finding.resource.name
            ));
            false
        }
    }
}

/// A full audit of the caller's account, for changes whose events were
/// missed: recorded as an audit, so it resolves what it no longer finds.
async fn reconcile(context: &Context<'_>) {
    let args = context.args;
    let concurrency = usize::from(args.aws.concurrency);
    let request = AuditRequest {
        aws: super::aws_options(&args.aws),
        regions: args.aws.regions.clone(),
        concurrency,
        region_concurrency: concurrency,
        kinds: super::audit::kinds(context.rules),
        reads: vigil_aws::Reads::of(context.rules),
        jobs_since: std::time::SystemTime::now() - Duration::from_secs(90 * 86_400),
        accounts: None,
        keep_sessions: false,
    };
    log("reconciling: auditing the account in full");
    let mut resources = Vec::new();
    let mut found = |_: &str, more: Vec<vigil_core::Resource>| resources.extend(more);
    let audited = vigil_aws::audit(request, Arc::new(crate::progress::Bar::new(false)), &mut found).await;
    let collected = match audited {
        Ok(collected) => collected,
        Err(err) => {
            log(&format!("the reconciliation audit could not start: {err}"));
            return;
        }
    };
    let mut findings = vigil_core::judge::judge_all(context.rules, &resources);
    let accounts = collected.entered();
    for error in &collected.errors {
        log(&format!("reconciliation: {}", error.message));
    }
    let read = record::live_places(&accounts, &collected.errors);
    out(context, &mut findings, ("audit", collected.errors.len()), read);
    log(&format!("reconciled: {} findings", findings.len()));
}
