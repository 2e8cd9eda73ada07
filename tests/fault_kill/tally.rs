//! Counting kills by where they landed, and the summary line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// Bookkeeping.

/// One test's seeds: what was tried, what survived, and where the kills landed.
pub(crate) struct Tally {
    pub(crate) test: &'static str,
    pub(crate) pg: bool,
    pub(crate) tried: u64,
    pub(crate) survived: u64,
    pub(crate) failures: Vec<String>,
    pub(crate) points: BTreeMap<String, u64>,
    pub(crate) sessions: BTreeMap<String, u64>,
    pub(crate) restores: u64,
    pub(crate) kills: u64,
    /// Kills after the job's first pass over the tables.
    pub(crate) later_pass: u64,
    /// Seeds whose job took more than one pass (a reply chain kept a comment back).
    pub(crate) multi_pass: u64,
    pub(crate) started: Instant,
}

/// One seed's outcome: its kill-point categories.
pub(crate) struct Outcome {
    pub(crate) kills: Vec<Kill>,
    pub(crate) restored: bool,
    /// The passes over the tables the job took in all.
    pub(crate) passes: u64,
}

/// Where one kill landed.
pub(crate) struct Kill {
    /// In the job's life, from the job as the kill left it.
    pub(crate) point: String,
    /// What the binary was seen doing just before.
    pub(crate) session: Option<String>,
    /// The job had finished its first pass over the tables.
    pub(crate) later_pass: bool,
}

impl Tally {
    pub(crate) fn new(test: &'static str, pg: bool) -> Tally {
        Tally {
            test,
            pg,
            tried: 0,
            survived: 0,
            failures: Vec::new(),
            points: BTreeMap::new(),
            sessions: BTreeMap::new(),
            restores: 0,
            multi_pass: 0,
            kills: 0,
            later_pass: 0,
            started: Instant::now(),
        }
    }

    /// Runs one seed on a task of its own, so a broken invariant (a panic) is counted
    /// and the other seeds still run.
    pub(crate) async fn seed<F>(&mut self, seed: u64, scenario: F)
    where
        F: Future<Output = Option<Outcome>> + Send + 'static,
    {
        match tokio::spawn(scenario).await {
            Ok(Some(outcome)) => {
                self.tried += 1;
                self.survived += 1;
                for kill in outcome.kills {
                    self.kills += 1;
                    self.later_pass += u64::from(kill.later_pass);
                    *self.points.entry(kill.point).or_default() += 1;
                    if let Some(s) = kill.session {
                        *self.sessions.entry(s).or_default() += 1;
                    }
                }
                self.restores += u64::from(outcome.restored);
                self.multi_pass += u64::from(outcome.passes > 1);
            }
            Ok(None) => {}
            Err(e) => {
                self.tried += 1;
                let message = match e.try_into_panic() {
                    Ok(p) => p
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                        .unwrap_or_default(),
                    Err(e) => e.to_string(),
                };
                self.failures.push(format!("seed {seed}: {message}"));
            }
        }
    }

    /// Prints the summary line, then fails if any seed broke an invariant.
    pub(crate) fn finish(self) {
        self.print();
        assert!(
            self.failures.is_empty(),
            "{}: {} of {} seeds broke an invariant:\n{}",
            self.test,
            self.failures.len(),
            self.tried,
            self.failures.join("\n")
        );
    }

    pub(crate) fn print(&self) {
        let list = |m: &BTreeMap<String, u64>| {
            m.iter()
                .map(|(k, v)| format!("{k}:{v}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let sessions = if self.sessions.is_empty() {
            String::new()
        } else {
            format!(" sessions={}", list(&self.sessions))
        };
        eprintln!(
            "FAULT-SUMMARY test={} backend={} tried={} survived={} lost={} kills={} points={}{sessions} \
             later_pass_kills={} restores={} multi_pass={} seeds={}-{} secs={:.1}",
            self.test,
            if self.pg { "pg" } else { "sqlite" },
            self.tried,
            self.survived,
            self.failures.len(),
            self.kills,
            list(&self.points),
            self.later_pass,
            self.restores,
            self.multi_pass,
            seeds().start,
            seeds().end - 1,
            self.started.elapsed().as_secs_f64()
        );
    }
}

/// The kill's place in the run, from the job as the kill left it.
pub(crate) fn run_phase(state: &str, deleted: i64, total: i64, exited: bool) -> &'static str {
    if state == "done" || exited {
        "after-end"
    } else if deleted == 0 {
        "before-first-batch"
    } else if deleted * 3 < total {
        "run-early"
    } else if deleted * 3 < total * 2 {
        "run-middle"
    } else {
        "run-late"
    }
}
