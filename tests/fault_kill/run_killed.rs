//! Kills while `trashcan jobs resume` runs the job.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

// ---------------------------------------------------------------------------------------
// (b) `trashcan jobs resume` killed after a random delay, with restores in some seeds.

/// Seed 0: an uninterrupted `jobs resume`, checked like the others; how long it took.
pub(crate) async fn calibrate_run(pg: bool) -> Option<Duration> {
    let s = setup(fresh_db(pg, "fault_run_cal").await?, 0).await;
    let (job, frozen) = engine_plan(&s, 0).await;
    let id = job.to_string();
    let took = run_to_end(&s.db, &["jobs", "resume", &id], "calibration").await;
    let e = Expect {
        before: &s.before,
        frozen: &frozen,
        restored: &BTreeSet::new(),
    };
    check_finished(&s.db, job, &e, "calibration").await;
    eprintln!(
        "{}: run calibration {took:?}, {} rows",
        s.db.backend(),
        frozen.len()
    );
    Some(took)
}

pub(crate) async fn run_killed_seed(pg: bool, seed: u64, run: Duration) -> Option<Outcome> {
    let s = setup(fresh_db(pg, "fault_run").await?, seed).await;
    let db = &s.db;
    let (job, frozen) = engine_plan(&s, seed).await;
    let mut rng = Rng::new(seed.wrapping_mul(7919) ^ 0xb);
    // Anywhere from the binary's start to a quarter past a whole run's length.
    let mut kill_at = run * rng.below(1_250) as u32 / 1_000;
    // In a third of the seeds the resume is killed too.
    let kills_planned = if rng.chance(33) { 2 } else { 1 };
    // In a third of the seeds, rows are restored while the job runs (before the kill),
    // and in some of those again between the kill and the resume.
    let restore_during = rng.chance(33);
    let restore_after = restore_during && rng.chance(50);
    let restore_at = kill_at * rng.below(1_000) as u32 / 1_000;
    let id = job.to_string();
    let mut restored = BTreeSet::new();
    let mut kills = Vec::new();
    let mut context = String::new();
    let mut state = String::new();
    while kills.len() < kills_planned && state != "done" {
        context = format!(
            "{} seed {seed}, resume killed ({} of {kills_planned}) after {kill_at:?}",
            db.backend(),
            kills.len() + 1
        );
        let since = server_clock(db).await;
        let mut bin = Running::spawn(db, &["jobs", "resume", &id]);
        if restore_during && kills.is_empty() {
            tokio::time::sleep(restore_at).await;
            let n = 1 + rng.below(3) as usize;
            restored = restore_some(&s, &frozen, &mut rng, n).await;
        }
        tokio::time::sleep(kill_at.saturating_sub(bin.started.elapsed())).await;
        let exited = bin.exited();
        let session = Some(if db.pg {
            session_category(runner_session(db).await, exited).to_owned()
        } else if exited {
            "exited".to_owned()
        } else {
            sqlite_category(db).await.to_owned()
        });
        let killed_at = bin.started.elapsed();
        let (status, _) = bin.kill();
        context = format!("{context} (at {killed_at:?})");
        wait_sessions_gone(db, &since).await;
        let e = Expect {
            before: &s.before,
            frozen: &frozen,
            restored: &restored,
        };
        let gone = check(db, job, &e, &format!("{context}, after the kill")).await;
        let deleted;
        let total;
        (state, deleted, total, _) = job_row(db, job).await;
        let point = run_phase(&state, deleted, total, status.success());
        let pass = job_pass(db, job).await;
        eprintln!(
            "{context}: {status}, {point} in pass {pass}, session {session:?}, {} of {} rows \
             gone, {} restored",
            gone.len(),
            frozen.len(),
            restored.len()
        );
        kills.push(Kill {
            point: point.into(),
            session,
            later_pass: pass > 0 && state != "done",
        });
        // The next kill falls within what is left of the run.
        let left = (total - deleted).max(0) as u32;
        kill_at = run * left / total.max(1) as u32 * rng.below(1_100) as u32 / 1_000;
    }
    if restore_after && state != "done" {
        restored.extend(restore_some(&s, &frozen, &mut rng, 1).await);
    }
    let e = Expect {
        before: &s.before,
        frozen: &frozen,
        restored: &restored,
    };
    if state != "done" {
        check(db, job, &e, &format!("{context}, restored {restored:?}")).await;
        run_to_end(db, &["jobs", "resume", &id], &context).await;
    }
    let passes = check_finished(db, job, &e, &format!("{context}, resumed")).await;
    Some(Outcome {
        kills,
        restored: !restored.is_empty(),
        passes,
    })
}

pub(crate) async fn run_killed(test: &'static str, pg: bool) {
    let mut tally = Tally::new(test, pg);
    let Some(run) = calibrate_run(pg).await else {
        return tally.finish();
    };
    for seed in seeds() {
        tally.seed(seed, run_killed_seed(pg, seed, run)).await;
    }
    tally.finish();
}

#[tokio::test(flavor = "multi_thread")]
pub(crate) async fn run_killed_sqlite() {
    run_killed("run_killed_sqlite", false).await;
}

#[tokio::test(flavor = "multi_thread")]
pub(crate) async fn run_killed_postgres() {
    run_killed("run_killed_postgres", true).await;
}
