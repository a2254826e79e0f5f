//! Recording one run, a batch at a time, in one transaction: the findings
//! stream in (from a scan's spill, from an audit as it goes), each batch
//! takes its transitions in the database (`sql`) and comes back with each
//! finding's history; `finish` resolves what the run no longer saw and
//! commits. Dropped before `finish`, nothing of the run is kept.

use crate::failed;
use crate::row::{Baseline, Columns, Place, RunRecord, StoredFinding};
use crate::sql::{self, Sql};
use crate::transition::{Recorded, State};
use crate::StoreError;
use std::collections::HashMap;
use vigil_core::{Finding, History};

/// The open transaction of a run, on either back end.
pub(crate) enum Open<'s> {
    Sqlite(rusqlite::Transaction<'s>),
    Postgres(crate::postgres::Tx<'s>),
}

impl Open<'_> {
    fn with<R>(&mut self, f: impl FnOnce(&mut dyn Sql) -> R) -> R {
        match self {
            Open::Sqlite(tx) => f(&mut crate::sqlite::Lite(tx)),
            Open::Postgres(tx) => f(&mut tx.sql()),
        }
    }
}

/// A run being recorded.
pub struct Recording<'s> {
    open: Open<'s>,
    run: RunRecord,
    recorded: Recorded,
    /// The baseline as the gate's statements take it: a branch (`*` for
    /// any), and the latest acceptance that counts.
    baseline: (String, String),
}

/// No acceptance is later than this.
const NEVER: &str = "9999";

impl<'s> Recording<'s> {
    /// Starts recording `run` (its counts are those of the findings added).
    pub(crate) fn begin(mut open: Open<'s>, mut run: RunRecord) -> Result<Self, StoreError> {
        run.counts = Default::default();
        open.with(|sql| -> Result<(), String> {
            let rules: Vec<&str> = run.rules.iter().map(String::as_str).collect();
            sql.insert_rows("run_rules", &["rule"], &rules)?;
            let (mut files, mut folders, mut unread, mut regions) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for place in &run.read {
                match place {
                    Place::File(file) => files.push(file.as_str()),
                    Place::Folder(prefix) => folders.push(prefix.as_str()),
                    Place::Unread(file) => unread.push(file.as_str()),
                    Place::Region { account, region } => regions.extend([account.as_str(), region.as_str()]),
                }
            }
            sql.per_row(true)?;
            sql.insert_rows("read_files", &["file"], &files)?;
            sql.insert_rows("read_folders", &["prefix"], &folders)?;
            sql.insert_rows("unread_files", &["file"], &unread)?;
            sql.insert_rows("read_regions", &["account", "region"], &regions)
        })
        .map_err(failed("recording the places the run read"))?;
        let baseline = match &run.lineage.baseline {
            Baseline::Any => ("*".to_owned(), NEVER.to_owned()),
            Baseline::Branch(branch) => (branch.clone(), NEVER.to_owned()),
            Baseline::Run(id) => {
                let mut found = None;
                open.with(|sql| {
                    sql.select(
                        "SELECT COALESCE(branch, ''), finished_at FROM runs WHERE id = ?1",
                        &[id],
                        &mut |c| {
                            found = Some((c.text(0)?, c.text(1)?));
                            Ok(())
                        },
                    )
                })
                .map_err(failed("reading the baseline run"))?;
                found.ok_or_else(|| StoreError(format!("--baseline {id}: the store has no such run")))?
            }
        };
        let recorded = Recorded {
            run: run.id.clone(),
            ..Recorded::default()
        };
        Ok(Recording {
            open,
            run,
            recorded,
            baseline,
        })
    }

    /// Records a batch of the run's findings and gives each its history.
    /// A key seen twice in one run is recorded once, as last seen.
    pub fn add(&mut self, batch: &mut [Finding]) -> Result<(), StoreError> {
        self.add_named(batch, &mut |file| file.to_owned())
    }

    /// [`Recording::add`], with each template file stored as `name` names it.
    pub fn add_named(&mut self, batch: &mut [Finding], name: &mut dyn FnMut(&str) -> String) -> Result<(), StoreError> {
        let mut rows: Vec<StoredFinding> = Vec::with_capacity(batch.len());
        let mut keys: Vec<usize> = Vec::with_capacity(batch.len());
        let mut place: HashMap<String, usize> = HashMap::with_capacity(batch.len());
        for finding in batch.iter() {
            self.run.counts.add(finding);
            let file = finding.location.as_ref().map(|l| name(&l.file));
            let row = StoredFinding::seen(finding, &self.run, file);
            match place.get(&row.key) {
                Some(&i) => {
                    keys.push(i);
                    rows[i] = row;
                }
                None => {
                    place.insert(row.key.clone(), rows.len());
                    keys.push(rows.len());
                    rows.push(row);
                }
            }
        }
        let keys: Vec<String> = keys.into_iter().map(|i| rows[i].key.clone()).collect();
        let learned = self.add_rows(rows)?;
        for (finding, key) in batch.iter_mut().zip(keys) {
            finding.history = learned.get(&key).cloned();
        }
        Ok(())
    }

    /// Records rows of unique keys; says what each one's history now is.
    pub(crate) fn add_rows(&mut self, rows: Vec<StoredFinding>) -> Result<HashMap<String, History>, StoreError> {
        let now = self.run.finished_at.clone();
        let (baseline, until) = (&self.baseline.0, &self.baseline.1);
        let lineage = &self.run.lineage;
        let mut learned: HashMap<String, (History, bool, bool)> = HashMap::with_capacity(rows.len());
        self.open
            .with(|sql| -> Result<(), String> {
                sql.insert_seen(&rows)?;
                sql.execute(sql::PRIOR, &[])?;
                sql.execute(sql::TRANSITION, &[&now])?;
                sql.select(sql::HISTORY, &[baseline, until], &mut |c: &dyn Columns| {
                    let history = History {
                        state: c.text(1)?,
                        first_seen: c.text(2)?,
                        new: c.flag(3)?,
                        key: c.text(0)?,
                    };
                    learned.insert(c.text(0)?, (history, c.flag(4)?, c.flag(5)?));
                    Ok(())
                })?;
                if lineage.accepts {
                    let withdraw = if sql.joins_in_delete() {
                        sql::WITHDRAW_JOINED
                    } else {
                        sql::WITHDRAW
                    };
                    sql.execute(withdraw, &[&lineage.branch])?;
                    sql.execute(sql::ACCEPT, &[&lineage.branch, &now])?;
                }
                sql.execute(&sql::upsert(), &[])?;
                sql.execute(sql::TOUCH, &[&now, &self.run.id])?;
                sql.clear("seen")?;
                Ok(())
            })
            .map_err(failed("recording findings"))?;
        for mut row in rows {
            let Some((history, fixed, opened)) = learned.get(&row.key) else {
                continue;
            };
            self.recorded.opened += usize::from(*opened);
            if *fixed {
                row.state = State::Resolved;
                row.first_seen = history.first_seen.clone();
                row.resolved_at = Some(now.clone());
                row.resolution = Some("fixed".into());
                self.recorded.resolve(row);
            }
        }
        Ok(learned.into_iter().map(|(key, (history, ..))| (key, history)).collect())
    }

    /// Resolves what the run's places held and it did not see, records the
    /// run, and commits: all of the run, or (on an error) none of it.
    pub fn finish(mut self) -> Result<Recorded, StoreError> {
        let (id, now) = (self.run.id.clone(), self.run.finished_at.clone());
        let lineage = self.run.lineage.clone();
        let recorded = &mut self.recorded;
        self.open
            .with(|sql| -> Result<(), String> {
                sql.per_row(false)?;
                sql.execute(&sql::find_gone(), &[&id])?;
                sql.select(&sql::gone_open(), &[], &mut |c: &dyn Columns| {
                    let mut row = StoredFinding::from_columns(c)?;
                    row.state = State::Resolved;
                    row.resolved_at = Some(now.clone());
                    row.resolution = Some("deleted".into());
                    row.last_run = id.clone();
                    recorded.resolve(row);
                    Ok(())
                })?;
                if lineage.accepts {
                    sql.execute(sql::WITHDRAW_GONE, &[&lineage.branch])?;
                }
                sql.execute(sql::RESOLVE_GONE, &[&id, &now])?;
                Ok(())
            })
            .map_err(failed("resolving what the run no longer saw"))?;
        let run = &self.run;
        self.open
            .with(|sql| sql.insert_run(run))
            .map_err(failed("recording the run"))?;
        match self.open {
            Open::Sqlite(tx) => tx.commit().map_err(|e| e.to_string()),
            Open::Postgres(tx) => tx.commit(),
        }
        .map_err(failed("committing the run"))?;
        Ok(self.recorded)
    }
}
