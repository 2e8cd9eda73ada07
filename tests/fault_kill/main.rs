//! Fault injection for the supervised purge: the real binary is killed with SIGKILL at
//! randomized points, then the job is resumed, and after every kill and at the end the
//! invariants are checked:
//!
//! - no child row whose parent is gone, along every relation (`SOFT_BLOG_RELS`, and
//!   SQLite's own foreign key check);
//! - the rows gone are a subset of the frozen plan, and the job's frozen set still holds
//!   exactly the planned rows not gone (a batch forgets what it deletes, nothing else);
//! - the job's `deleted_rows` is the number of rows actually gone;
//! - no row restored mid-purge is deleted;
//! - once the job is done: without restores, every planned row is gone and the counts
//!   are the plan's exactly; with restores, every planned row still there is live
//!   (restored) or still has a child along some relation.
//!
//! The kill points, each randomized by seed, on both backends:
//!
//! - `plan_writing_*`: `trashcan purge --yes` killed during its preview, while it writes
//!   the plan, or early in the run (rarely after its end); the delays after the preview
//!   count from the moment it printed the preview. Afterwards there is either no job at
//!   all (no job row, no frozen row, no audit entry, nothing deleted) or one complete
//!   job with the frozen set of a reference plan the engine made (then abandoned); it
//!   is resumed (or `purge` run again) to the end. On PostgreSQL, two seeds in five kill
//!   it deterministically inside the plan's transaction: the test locks the frozen-set
//!   table against writers, lets the preview through and catches the plan's first
//!   INSERT waiting, after its (uncommitted) job row went in.
//! - `run_killed_*`: `trashcan jobs resume ID` killed after a random delay (before the
//!   first batch, early, middle, late, after the end). Each kill is also classified by
//!   what the binary was doing just before it: on PostgreSQL its session in
//!   `pg_stat_activity` (idle: between batches; idle in transaction or active: inside a
//!   batch, by statement), on SQLite whether it held the write lock (a batch's
//!   transaction) or not.
//! - `checkpoint_lock_postgres`: deterministic kill inside a batch. A test session holds
//!   the job row `FOR UPDATE`, so the binary's next batch runs its DELETE and then blocks
//!   on its checkpoint `UPDATE` (see `src/engine/purge/run/batch.rs`); the test sees the
//!   wait in `pg_stat_activity`, sees the batch's uncommitted deletes (rows whose `xmax`
//!   is the binary's transaction), kills the binary, releases the lock, and checks that
//!   the batch was rolled back to the last checkpoint exactly. Most seeds lock after 5%
//!   to 75% of the plan is deleted; three in ten as soon as the job is in its second
//!   pass, where the lock may instead catch the final state change to `done` (which
//!   must roll back as well).
//! - In some seeds of every test, frozen rows are restored through the engine (with
//!   their deletion group and ancestors) while the killed run goes on, or between the
//!   kill and the resume.
//!
//! Each test prints one line to stderr:
//! `FAULT-SUMMARY test=<name> backend=<pg|sqlite> tried=N survived=N lost=N points=...`
//! where `lost` counts seeds whose invariants broke (the test then fails too), `points`
//! counts the kills by where they landed (from the job as the kill left it) and
//! `sessions` by what the binary was seen doing just before.
//!
//! Also counted: `kills` (a third of the `run_killed_*` seeds kill the resume too),
//! `later_pass_kills` (kills after the job's first pass over the tables), `restores`
//! (seeds with rows restored mid-purge) and `multi_pass` (seeds whose job took more than
//! one pass: one comment in eight replies to another, which keeps it back a pass).
//!
//! Seeds per test: `TRASHCAN_FAULT_SEEDS`, default 10, so a plain `cargo test` (CI)
//! covers 50 seeds, some 58 kill points, in about 70 s on two cores. The full run, 40
//! seeds per test (about 220 kill points, four and a half minutes):
//! `TRASHCAN_FAULT_SEEDS=40 cargo test --test fault_kill -- --nocapture`.
//! `TRASHCAN_FAULT_FIRST_SEED` moves the seed range (default 1): with
//! `TRASHCAN_FAULT_SEEDS=1` it replays one seed (a failure names its seed). Each test
//! also runs one uninterrupted calibration (seed 0), checked like the others, that
//! times the phases the kills aim at.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
#[macro_use]
#[path = "../purge_db/mod.rs"]
mod purge_db;

mod binary;
mod checkpoint;
mod data;
mod invariants;
mod plan_writing;
mod restores;
mod run_killed;
mod server;
mod tally;

use binary::*;
use data::*;
use invariants::*;
use restores::*;
use server::*;
use tally::*;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::PgDb;
use purge_db::*;
use trashcan::engine::catalog::Catalog;
use trashcan::engine::change::{self, ChangeOptions};
use trashcan::engine::purge::{self, PurgeOptions, Scope};
use trashcan::engine::sql::TableName;

/// Seeds per test without `TRASHCAN_FAULT_SEEDS`.
const DEFAULT_SEEDS: u64 = 10;

const REASON: &str = "fault injection";

fn seeds() -> std::ops::Range<u64> {
    let read = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .map(|v| {
                v.trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}: not a number: {v}"))
            })
            .unwrap_or(default)
    };
    let first = read("TRASHCAN_FAULT_FIRST_SEED", 1);
    first..first + read("TRASHCAN_FAULT_SEEDS", DEFAULT_SEEDS)
}
