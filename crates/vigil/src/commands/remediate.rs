//! `vigil remediate RULE`: the plan for fixing a rule's failures on live
//! accounts, and with `--apply` the fix itself, journaled step by step;
//! `--resume` finishes a run that was interrupted.

use crate::cli::{RemediateArgs, ReportFormat};
use crate::journal::{self, JournalFile};
use crate::{exit, output};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use vigil_aws::remediate::{ApplyOptions, Journal, PlanRequest, Session};
use vigil_core::journal::{Entry, RunRequest, UnfinishedRollback};
use vigil_core::registry;
use vigil_core::remediation::{Applied, Plan, RemediationDocument, UnitOutcome, UnitStatus};

/// What this invocation will do, new or resumed.
struct Run {
    request: RunRequest,
    apply: bool,
    /// A resumed run: its journal and the rollbacks it left open.
    resumed: Option<(PathBuf, u64, Vec<UnfinishedRollback>)>,
}

pub fn run(args: RemediateArgs) -> anyhow::Result<u8> {
    output::check(args.output.as_deref())?;
    let run = match prepare(&args)? {
        Ok(run) => run,
        Err(code) => return Ok(code),
    };
    if run.apply && !args.yes && !std::io::stdin().is_terminal() {
        eprintln!("vigil: error: --apply needs --yes when standard input is not a terminal (nothing was changed)");
        return Ok(exit::USAGE);
    }
    // Two runs applying from one state folder would each take the other's
    // steps for their own; the second is refused before it reads anything.
    let _lock = match run.apply {
        true => Some(journal::lock(&journal::folder(args.state_dir.as_deref())?)?),
        false => None,
    };
    tokio::runtime::Runtime::new()?.block_on(execute(&args, run))
}

/// The run to make: from the command line, or from the journal to resume.
fn prepare(args: &RemediateArgs) -> anyhow::Result<Result<Run, u8>> {
    if let Some(resume) = &args.resume {
        let folder = journal::folder(args.state_dir.as_deref())?;
        let path = journal::find(&folder, Some(resume.as_str()).filter(|r| !r.is_empty()))?;
        let records = journal::read(&path)?;
        let Some(replay) = vigil_core::journal::replay(&records) else {
            anyhow::bail!("{} has no start record: not a remediation journal", path.display());
        };
        let next = records.last().map_or(0, |r| r.seq + 1);
        eprintln!("vigil: resuming run {} ({})", replay.run, path.display());
        return Ok(Ok(Run {
            request: replay.request,
            apply: true,
            resumed: Some((path, next, replay.rollbacks)),
        }));
    }
    let name = args.rule.as_deref().unwrap_or_default();
    let Some(rule) = registry::find(name) else {
        let remediable: Vec<&str> = registry::RULES
            .iter()
            .filter(|r| r.remediation.is_some())
            .map(|r| r.id)
            .collect();
        eprintln!(
            "vigil: error: no rule '{}'; rules with a remediation: {}",
            vigil_report::safe(name),
            remediable.join(", ")
        );
        return Ok(Err(exit::USAGE));
    };
    if rule.remediation.is_none() {
        eprintln!(
            "vigil: error: {} has no automatic remediation; `vigil explain {}` says how to fix it",
            rule.id, rule.id
        );
        return Ok(Err(exit::USAGE));
    }
    Ok(Ok(Run {
        request: RunRequest {
            rule: rule.id.to_owned(),
            regions: args.aws.regions.clone().map(super::dedup),
            models: args.models.clone(),
            exclude: args.exclude.clone(),
            update_endpoints: args.update_endpoints,
            delete_old: args.delete_old,
            wait_timeout_secs: args.wait_timeout.as_secs(),
            endpoint_url: args
                .aws
                .endpoint_url
                .as_deref()
                .map(vigil_core::journal::without_credentials),
            profile: args.aws.profile.clone(),
        },
        apply: args.apply,
        resumed: None,
    }))
}

async fn execute(args: &RemediateArgs, run: Run) -> anyhow::Result<u8> {
    let request = &run.request;
    // A resumed run talks to the account it started on unless told otherwise.
    let mut aws = super::aws_options(&args.aws);
    aws.endpoint_url = aws.endpoint_url.or_else(|| request.endpoint_url.clone());
    aws.profile = aws.profile.or_else(|| request.profile.clone());
    let session = match Session::connect(&aws).await {
        Ok(session) => session,
        Err(err) => return Ok(super::config_error(&err, args.verbose)),
    };
    let (journal, earlier) = match &run.resumed {
        Some((path, next, rollbacks)) => {
            let file = Arc::new(JournalFile::reopen(path, *next)?);
            file.record(Entry::Resumed).map_err(anyhow::Error::msg)?;
            // Open rollbacks first: the plan must not build on what is being undone.
            let options = options(request, &file, run_id(path), args);
            let undone = vigil_aws::remediate::finish_rollbacks(&session, rollbacks, &options, file.clone()).await;
            (Some(file), undone)
        }
        None => (None, Vec::new()),
    };
    let plan_request = PlanRequest {
        regions: request.regions.clone(),
        models: request.models.clone(),
        exclude: request.exclude.clone(),
        concurrency: usize::from(args.aws.concurrency),
    };
    let plan = match vigil_aws::remediate::plan(&session, plan_request).await {
        Ok(plan) => plan,
        Err(err) => return Ok(super::config_error(&err, args.verbose)),
    };
    if !run.apply {
        write_plan(args, &plan)?;
        return Ok(plan_code(&plan));
    }
    let pending = plan.models.iter().filter(|m| m.pending() || request.delete_old).count();
    if journal.is_none() && pending > 0 && !args.yes && !confirm(&plan, request, pending)? {
        eprintln!("vigil: nothing was changed");
        return Ok(exit::USAGE);
    }
    let journal = match journal {
        Some(journal) => journal,
        None => {
            let folder = journal::folder(args.state_dir.as_deref())?;
            let file = Arc::new(JournalFile::create(&folder, &journal::new_run_id())?);
            let run = run_id(file.path());
            file.record(Entry::Start {
                run,
                vigil: env!("CARGO_PKG_VERSION").to_owned(),
                request: request.clone(),
            })
            .map_err(anyhow::Error::msg)?;
            file
        }
    };
    let options = options(request, &journal, run_id(journal.path()), args);
    let mut applied = vigil_aws::remediate::apply(&session, &plan, &options, journal.clone()).await;
    applied.units.splice(0..0, earlier);
    applied.errors.splice(0..0, plan.errors.iter().cloned());
    let stranded = applied.units.iter().any(|u| u.status == UnitStatus::RollbackFailed);
    if !stranded {
        journal
            .record(Entry::Finish { ok: applied.ok() })
            .map_err(anyhow::Error::msg)?;
    }
    write_applied(args, &plan, &applied)?;
    Ok(applied_code(&applied))
}

fn run_id(path: &std::path::Path) -> String {
    path.file_stem().unwrap_or_default().to_string_lossy().into_owned()
}

fn options(request: &RunRequest, journal: &JournalFile, run: String, args: &RemediateArgs) -> ApplyOptions {
    ApplyOptions {
        run,
        journal: journal.path().display().to_string(),
        update_endpoints: request.update_endpoints,
        delete_old: request.delete_old,
        wait_timeout: std::time::Duration::from_secs(request.wait_timeout_secs),
        concurrency: usize::from(args.aws.concurrency),
    }
}

/// Shows the plan on the terminal and asks; only "yes" goes on.
fn confirm(plan: &Plan, request: &RunRequest, pending: usize) -> anyhow::Result<bool> {
    eprint!("{}", vigil_report::render_plan_text(plan));
    let endpoints: usize = plan
        .models
        .iter()
        .flat_map(|m| &m.endpoint_configs)
        .map(|c| c.endpoints.len())
        .sum();
    let moves = if request.update_endpoints {
        format!(", move up to {endpoints} endpoint(s)")
    } else {
        String::new()
    };
    let deletes = if request.delete_old {
        ", then delete the old models and configurations nothing runs on"
    } else {
        ""
    };
    eprint!(
        "\nApply to account {}: re-create {pending} model(s) with network isolation{moves}{deletes}?\nType 'yes' to go on: ",
        plan.account.as_deref().unwrap_or("(unknown)")
    );
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(answer.trim().eq_ignore_ascii_case("yes"))
}

fn write_plan(args: &RemediateArgs, plan: &Plan) -> anyhow::Result<()> {
    let rendered = match args.format {
        ReportFormat::Json => json(&RemediationDocument::planned(plan))?,
        ReportFormat::Text => vigil_report::render_plan_text(plan),
    };
    output::write(args.output.as_deref(), &rendered)
}

fn write_applied(args: &RemediateArgs, plan: &Plan, applied: &Applied) -> anyhow::Result<()> {
    let rendered = match args.format {
        ReportFormat::Json => json(&RemediationDocument::applied(plan, applied))?,
        ReportFormat::Text => vigil_report::render_applied_text(applied),
    };
    output::write(args.output.as_deref(), &rendered)
}

fn json(document: &RemediationDocument) -> anyhow::Result<String> {
    Ok(format!("{}\n", serde_json::to_string_pretty(document)?))
}

/// As for audit: something to fix outranks something unread.
fn plan_code(plan: &Plan) -> u8 {
    if plan.models.iter().any(|m| m.pending()) {
        exit::FAILURES
    } else if !plan.errors.is_empty() {
        exit::INCOMPLETE
    } else {
        exit::CLEAN
    }
}

fn applied_code(applied: &Applied) -> u8 {
    let any = |status: UnitStatus| applied.units.iter().any(|u: &UnitOutcome| u.status == status);
    // A rollback a resumed run finished, then re-did successfully, is no failure.
    let redone = |unit: &UnitOutcome| {
        applied
            .units
            .iter()
            .any(|u| u.unit == unit.unit && u.status == UnitStatus::Applied)
    };
    let rolled_back = applied
        .units
        .iter()
        .any(|u| u.status == UnitStatus::RolledBack && !redone(u));
    if any(UnitStatus::RollbackFailed) {
        exit::STRANDED
    } else if rolled_back {
        exit::FAILURES
    } else if !applied.errors.is_empty() {
        exit::INCOMPLETE
    } else {
        exit::CLEAN
    }
}
