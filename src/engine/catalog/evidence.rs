//! What the data says about a column named like a deletion marker: how many rows it
//! calls trashed, and whether its values are plausible deletion times or flags. Planner
//! statistics where PostgreSQL keeps them (free, and they speak for the whole table),
//! and a small bounded sample of every candidate on both backends, so a verdict is never
//! made that the data contradicts. Only catalog names reach the SQL, quoted.

use std::collections::BTreeMap;

use super::model::{ColumnInfo, ColumnKind};
use crate::db::{Backend, DbConn, rows};
use crate::engine::expr;
use crate::engine::sql::{Binds, TableName};

/// Rows a sample reads at most per column.
pub const SAMPLE_ROWS: u64 = 2_000;
/// Candidates sampled per statement.
const PROBES_PER_STATEMENT: usize = 25;

/// Epoch seconds of 1990-01-01 and the span after now that still counts as "now":
/// deletion times outside [1990, now + 1 year] are no deletion times.
pub const EARLIEST_EPOCH: f64 = 631_152_000.0;
pub const LATEST_AHEAD: f64 = 366.0 * 86_400.0;

/// How a candidate column would be read as a marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// A timestamp or date (on SQLite also text): NULL is live.
    Time,
    /// An epoch integer: 0 or NULL is live.
    Epoch,
    /// A boolean or 0/1 integer: false, 0 or NULL is live.
    Flag,
}

/// One column to look at.
#[derive(Debug, Clone)]
pub struct Probe {
    pub table: TableName,
    pub column: ColumnInfo,
    pub reading: Reading,
    pub estimated_rows: Option<i64>,
}

/// Planner statistics for a column (PostgreSQL's `pg_stats`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    /// The table's estimated rows.
    pub rows: f64,
    /// The share of rows whose value reads as live (NULL, 0, false).
    pub live_share: f64,
}

/// What a sample (and the statistics) found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    pub rows: u64,
    /// The sample read every row of the table.
    pub whole_table: bool,
    pub trashed: u64,
    /// Time: trashed values more than a day ahead of the database's clock.
    pub future: u64,
    /// Epoch: trashed values that are plausible times as milliseconds, as seconds.
    pub fits_ms: u64,
    pub fits_seconds: u64,
    /// Flag: values other than 0/1; time: values that are no time at all.
    pub odd: u64,
    /// Time: the earliest and latest trashed value, in epoch seconds; epoch: raw values.
    pub least: Option<f64>,
    pub most: Option<f64>,
    pub stats: Option<Stats>,
    /// The column could not be read (no permission, a timeout): judged by name alone.
    pub unreadable: Option<String>,
}

impl Evidence {
    /// The share of rows the column calls trashed, and how many rows that speaks for,
    /// when it speaks for the whole table: statistics, else a sample that read it all.
    pub fn trashed_share(&self) -> Option<(f64, f64)> {
        if let Some(stats) = self.stats {
            return Some((1.0 - stats.live_share, stats.rows));
        }
        (self.whole_table && self.rows > 0)
            .then(|| (self.trashed as f64 / self.rows as f64, self.rows as f64))
    }

    /// How the figures were had, for the explanation.
    pub fn source(&self) -> String {
        match (&self.stats, self.whole_table) {
            (Some(_), _) => format!("planner statistics; {} rows sampled", self.rows),
            (None, true) => "every row read".to_owned(),
            (None, false) => format!("{} rows sampled", self.rows),
        }
    }
}

/// The evidence for each probe, in order.
pub async fn gather(conn: &mut DbConn, probes: &[Probe]) -> Vec<Evidence> {
    let backend = conn.backend();
    let mut found: Vec<Evidence> = vec![Evidence::default(); probes.len()];
    if backend == Backend::Postgres
        && let Ok(stats) = planner_stats(conn, probes).await
    {
        for (i, s) in stats {
            found[i].stats = Some(s);
        }
    }
    let indexes: Vec<usize> = (0..probes.len()).collect();
    for chunk in indexes.chunks(PROBES_PER_STATEMENT) {
        let statement = union_of(chunk, probes, backend);
        match rows::query(conn, &statement, &[]).await {
            Ok(rows) => read_rows(&rows, &mut found),
            // One unreadable table fails the union: ask each alone to find which.
            Err(_) => {
                for &i in chunk {
                    let alone = union_of(&[i], probes, backend);
                    match rows::query(conn, &alone, &[]).await {
                        Ok(rows) => read_rows(&rows, &mut found),
                        Err(e) => found[i].unreadable = Some(first_line(&e.to_string())),
                    }
                }
            }
        }
    }
    found
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_owned()
}

fn read_rows(rows: &[rows::TextRow], found: &mut [Evidence]) {
    for row in rows {
        let Some(slot) = row
            .int(0)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| found.get_mut(i))
        else {
            continue;
        };
        let n = |i| row.int(i).unwrap_or(0).max(0) as u64;
        slot.rows = n(1);
        slot.trashed = n(2);
        slot.future = n(3);
        slot.fits_ms = n(4);
        slot.fits_seconds = n(5);
        slot.odd = n(6);
        slot.least = row.float(7);
        slot.most = row.float(8);
        slot.whole_table = row.bool(9).unwrap_or(false);
    }
}

/// One statement sampling the probes `which`: a row each, tagged with its index.
fn union_of(which: &[usize], probes: &[Probe], backend: Backend) -> String {
    which
        .iter()
        .map(|&i| sample_sql(i, &probes[i], backend))
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// Per-row tests on the sampled value `v`: trashed, ahead of now, fits ms, fits
/// seconds, odd, and the value compared for least/most.
fn tests(probe: &Probe, backend: Backend) -> [String; 6] {
    let now = expr::now_epoch(backend);
    // Written as decimals: integer literals would multiply in 32 bits on PostgreSQL.
    let (lo, lo_ms) = (
        format!("{EARLIEST_EPOCH:.1}"),
        format!("{:.1}", EARLIEST_EPOCH * 1000.0),
    );
    let ahead = format!("{LATEST_AHEAD:.1}");
    let none = || "0".to_owned();
    match probe.reading {
        Reading::Time => {
            let epoch = match backend {
                Backend::Postgres => "date_part('epoch', v)".to_owned(),
                Backend::Sqlite => "unixepoch(v, 'auto')".to_owned(),
            };
            [
                "CASE WHEN v IS NOT NULL THEN 1 ELSE 0 END".into(),
                format!("CASE WHEN {epoch} > {now} + 86400.0 THEN 1 ELSE 0 END"),
                none(),
                none(),
                format!(
                    "CASE WHEN v IS NOT NULL AND ({epoch} IS NULL OR {epoch} < {lo}) THEN 1 ELSE 0 END"
                ),
                format!("CASE WHEN v IS NOT NULL THEN {epoch} END"),
            ]
        }
        Reading::Epoch => [
            "CASE WHEN v <> 0 THEN 1 ELSE 0 END".into(),
            none(),
            format!(
                "CASE WHEN v <> 0 AND v >= {lo_ms} AND v <= ({now} + {ahead}) * 1000.0 THEN 1 ELSE 0 END"
            ),
            format!("CASE WHEN v <> 0 AND v >= {lo} AND v <= {now} + {ahead} THEN 1 ELSE 0 END"),
            none(),
            "CASE WHEN v <> 0 THEN v END".into(),
        ],
        Reading::Flag => {
            let (trashed, odd) = match (backend, probe.column.kind) {
                (Backend::Postgres, ColumnKind::Bool) => ("v".to_owned(), "FALSE".to_owned()),
                (Backend::Postgres, _) => ("v <> 0".into(), "v NOT IN (0, 1)".into()),
                (Backend::Sqlite, _) => (
                    "v IN (1, '1', 't', 'true', 'T', 'TRUE')".into(),
                    "v NOT IN (0, 1, '0', '1', 't', 'f', 'true', 'false', 'T', 'F', 'TRUE', 'FALSE')"
                        .into(),
                ),
            };
            [
                format!("CASE WHEN {trashed} THEN 1 ELSE 0 END"),
                none(),
                none(),
                none(),
                format!("CASE WHEN {odd} THEN 1 ELSE 0 END"),
                "NULL".into(),
            ]
        }
    }
}

/// One probe's sample as a row: index, rows, trashed, ahead, fits ms, fits seconds,
/// odd, least, most, whole table.
fn sample_sql(index: usize, probe: &Probe, backend: Backend) -> String {
    let [trashed, ahead, ms, seconds, odd, value] = tests(probe, backend);
    let text = |e: &str| expr::cast_text(e, backend);
    let column = probe.column.quoted();
    let table = probe.table.quoted();
    let limit = SAMPLE_ROWS;
    let (source, whole) = match backend {
        Backend::Postgres => {
            let rows = probe.estimated_rows.unwrap_or(-1);
            // Past a few samples' worth of rows, pages picked at random (the same ones on
            // every load, so verdicts do not flicker), not the table's first pages.
            // The pages come in physical order, so the share is chosen to give about
            // `limit` rows and the cap (for stale statistics) lies well beyond it:
            // cutting the sample short would favour the table's first pages again.
            if rows > (4 * limit) as i64 {
                let percent = (100.0 * limit as f64 / rows as f64).clamp(0.0001, 100.0);
                (
                    format!(
                        "SELECT {column} AS v FROM {table} TABLESAMPLE SYSTEM ({percent:.6}) \
                         REPEATABLE (7) LIMIT {}",
                        4 * limit
                    ),
                    "FALSE".to_owned(),
                )
            } else {
                (
                    format!("SELECT {column} AS v FROM {table} LIMIT {}", limit + 1),
                    format!("count(*) <= {limit}"),
                )
            }
        }
        // Rows spread over the rowid range, the same ones every time; a small table is
        // read whole.
        Backend::Sqlite => (
            format!(
                "SELECT {column} AS v FROM {table} WHERE rowid IN (SELECT CASE WHEN b.m <= {limit} \
                 THEN p.n ELSE (p.n * 2654435761) % b.m + 1 END FROM trashcan_pick p, \
                 (SELECT COALESCE(max(rowid), 0) AS m FROM {table}) b)"
            ),
            format!("(SELECT COALESCE(max(rowid), 0) FROM {table}) <= {limit}"),
        ),
    };
    let pick = match backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE trashcan_pick(n) AS (SELECT 1 UNION ALL SELECT n + 1 \
             FROM trashcan_pick WHERE n < {limit}) "
        ),
        Backend::Postgres => String::new(),
    };
    format!(
        "SELECT * FROM ({pick}SELECT {}, {}, {}, {}, {}, {}, {}, {}, {}, {} FROM \
         (SELECT {trashed} AS tr, {ahead} AS ah, {ms} AS ms, {seconds} AS se, {odd} AS od, \
         {value} AS va FROM ({source}) AS raw) AS s) AS probe{index}",
        text(&index.to_string()),
        text("count(*)"),
        text("COALESCE(sum(tr), 0)"),
        text("COALESCE(sum(ah), 0)"),
        text("COALESCE(sum(ms), 0)"),
        text("COALESCE(sum(se), 0)"),
        text("COALESCE(sum(od), 0)"),
        text("min(va)"),
        text("max(va)"),
        text(&whole),
    )
}

/// PostgreSQL's statistics for the probes that have them: the share of live values
/// (NULL, plus 0 or false among the most common values), over the table's estimate.
async fn planner_stats(
    conn: &mut DbConn,
    probes: &[Probe],
) -> Result<BTreeMap<usize, Stats>, diesel::result::Error> {
    let mut binds = Binds::new(Backend::Postgres);
    let tuples: Vec<String> = probes
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "({}, {}, {}, {})",
                binds.push(i.to_string()),
                binds.push(p.table.schema.clone().unwrap_or_else(|| "public".into())),
                binds.push(p.table.name.clone()),
                binds.push(p.column.name.clone()),
            )
        })
        .collect();
    if tuples.is_empty() {
        return Ok(BTreeMap::new());
    }
    // A time's live value is NULL alone; `0` or `f` cannot be one of its values.
    let sql = format!(
        "SELECT w.i, CAST(c.reltuples AS text), CAST(s.null_frac + COALESCE((SELECT sum(m.f) \
           FROM unnest(CAST(CAST(s.most_common_vals AS text) AS text[]), s.most_common_freqs) \
           AS m(v, f) WHERE m.v IN ('0', 'f', 'false')), 0) AS text) \
         FROM (VALUES {}) AS w(i, sch, tab, col) \
         JOIN pg_stats s ON s.schemaname = w.sch AND s.tablename = w.tab AND s.attname = w.col \
         JOIN pg_namespace n ON n.nspname = w.sch \
         JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.tab \
         WHERE c.reltuples >= 0 AND NOT s.inherited",
        tuples.join(", ")
    );
    let found = rows::query(conn, &sql, &binds.into_values()).await?;
    let mut stats = BTreeMap::new();
    for row in found {
        let (Some(i), Some(rows), Some(live)) = (row.int(0), row.float(1), row.float(2)) else {
            continue;
        };
        let Ok(i) = usize::try_from(i) else { continue };
        stats.insert(
            i,
            Stats {
                rows,
                live_share: live.clamp(0.0, 1.0),
            },
        );
    }
    Ok(stats)
}
