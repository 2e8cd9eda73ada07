//! Recognising soft-delete conventions. A column marks soft deletes only when its name,
//! type, nullability and data all fit a convention; every verdict says why, and the
//! config's per-table overrides win over all of it.
//!
//! Two steps: [`consider`] reads names, types and nullability and lists the columns
//! whose data must be looked at; [`decide`] weighs that data ([`Evidence`]) and gives
//! the verdict.

use super::conventions::{self as names, NameRule, normalize};
use super::evidence::{EARLIEST_EPOCH, Evidence, Reading};
use super::model::{ColumnInfo, ColumnKind, Convention, Detection, SoftDelete, Verdict};
use crate::config::TableOverride;
use crate::db::Backend;

/// Fewer rows than this cannot show that "every row is trashed" means anything: a
/// small table emptied by hand (or a test's) is all trash and still a trash bin.
const ROWS_TO_JUDGE_ALL_TRASHED: f64 = 100.0;

/// A column worth looking at the data of, and the convention it would follow.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub column: ColumnInfo,
    pub reading: Reading,
    pub source: &'static str,
}

/// What names, types and nullability say about a table, before the data is read.
#[derive(Debug, Clone, Default)]
pub struct Considered {
    /// Deletion flags, in rule order.
    pub flags: Vec<Candidate>,
    /// Deletion times, in rule order.
    pub times: Vec<Candidate>,
    pub near_misses: Vec<(String, String)>,
    /// The table keeps snapshots (its name ends like this).
    pub history: Option<&'static str>,
}

impl Considered {
    /// Every candidate, flags first: the columns whose data is sampled.
    pub fn candidates(&self) -> impl Iterator<Item = &Candidate> {
        self.flags.iter().chain(&self.times)
    }
}

fn rule_for<'a>(rules: &'a [NameRule], normalized: &str) -> Option<&'a NameRule> {
    rules.iter().find(|r| r.matches(normalized))
}

/// Names, types and nullability: which columns could mark soft deletes, and which are
/// near misses whatever their data.
pub fn consider(table: &str, columns: &[ColumnInfo], backend: Backend) -> Considered {
    let normalized: Vec<String> = columns.iter().map(|c| normalize(&c.name)).collect();
    let job_queue = names::is_job_queue(&normalized);
    let mut found = Considered {
        history: names::is_history_table(table),
        ..Considered::default()
    };
    for (column, n) in columns.iter().zip(&normalized) {
        let miss = |why: &str| (column.name.clone(), why.to_owned());
        if let Some((_, why)) = names::NEAR_MISSES
            .iter()
            .find(|(n2, _)| n2.contains(&n.as_str()))
        {
            found.near_misses.push(miss(why));
            continue;
        }
        let is_flag_type = matches!(column.kind, ColumnKind::Bool | ColumnKind::Integer);
        let is_time_type = matches!(column.kind, ColumnKind::Timestamp { .. } | ColumnKind::Date);
        if let Some(rule) = rule_for(names::FLAG_RULES, n).filter(|_| is_flag_type) {
            found.flags.push(Candidate {
                column: column.clone(),
                reading: Reading::Flag,
                source: rule.source,
            });
            continue;
        }
        let time_rule = rule_for(names::TIME_RULES, n).or_else(|| {
            names::DJANGO_SAFEDELETE
                .matches(n)
                .then_some(&names::DJANGO_SAFEDELETE)
                .filter(|_| is_time_type)
        });
        let Some(rule) = time_rule else {
            continue;
        };
        if n == "discardedat" && job_queue {
            found.near_misses.push(miss(
                "a job queue's discarded jobs (good_job, solid_queue), not trash",
            ));
            continue;
        }
        let reading = match (column.kind, backend) {
            (ColumnKind::Timestamp { .. } | ColumnKind::Date, _) => Reading::Time,
            (ColumnKind::Integer | ColumnKind::Numeric | ColumnKind::Float, _) => Reading::Epoch,
            // SQLite keeps times as text or in untyped columns.
            (ColumnKind::Text | ColumnKind::Other, Backend::Sqlite) => Reading::Time,
            (ColumnKind::Bool, _) => Reading::Flag,
            _ => {
                found.near_misses.push(miss(&format!(
                    "its type ({}) holds no time a deletion could be read from",
                    column.sql_type
                )));
                continue;
            }
        };
        if reading == Reading::Time && !column.nullable {
            found.near_misses.push(miss(
                "NOT NULL: every row has a time, so it is a schedule or a record, not a deletion mark",
            ));
            continue;
        }
        let candidate = Candidate {
            column: column.clone(),
            reading,
            source: rule.source,
        };
        match reading {
            Reading::Flag => found.flags.push(candidate),
            _ => found.times.push(candidate),
        }
    }
    found
}

/// The verdict on one candidate from its data: `Ok` with what the data showed (and, for
/// an epoch, its unit), or `Err` with why the data says it is no marker.
fn judge(
    candidate: &Candidate,
    evidence: &Evidence,
    as_companion: bool,
) -> Result<(String, Option<Convention>), String> {
    let unit = match candidate.reading {
        Reading::Epoch => Some(epoch_unit(candidate, evidence)?),
        _ => None,
    };
    if let Some(why) = &evidence.unreadable {
        return Ok((
            format!("data not readable ({why}): judged by name and type"),
            unit,
        ));
    }
    let trashed = evidence.trashed;
    match candidate.reading {
        Reading::Time if evidence.odd * 2 > trashed && evidence.odd > 0 => {
            return Err(format!(
                "{} of {trashed} sampled values are no times",
                evidence.odd
            ));
        }
        Reading::Time if trashed > 0 && evidence.future * 2 > trashed => {
            return Err(format!(
                "{} of {trashed} sampled values lie in the future: a schedule, not a deletion",
                evidence.future
            ));
        }
        Reading::Flag if evidence.odd > 0 => {
            return Err(format!(
                "holds values other than 0 and 1 ({} of {} sampled rows)",
                evidence.odd, evidence.rows
            ));
        }
        _ => {}
    }
    let share = evidence.trashed_share();
    if let Some((share, rows)) = share
        && !as_companion
        && share >= 1.0
        && rows >= ROWS_TO_JUDGE_ALL_TRASHED
    {
        return Err(format!(
            "every one of ~{} rows would count as trashed ({}), so it marks something else",
            rows as u64,
            evidence.source()
        ));
    }
    let mut said = match share {
        Some((share, rows)) => format!(
            "{:.1}% of ~{} rows trashed ({})",
            share * 100.0,
            rows as u64,
            evidence.source()
        ),
        None if evidence.rows == 0 => "no rows yet to judge by".to_owned(),
        None => format!("{trashed} of {} sampled rows trashed", evidence.rows),
    };
    if let (Some(least), Some(most)) = (evidence.least, evidence.most) {
        let scale = if unit == Some(Convention::EpochMillis) {
            1000.0
        } else {
            1.0
        };
        said.push_str(&format!(
            ", trashed between {} and {}",
            day(least / scale),
            day(most / scale)
        ));
    }
    Ok((said, unit))
}

fn day(epoch: f64) -> String {
    chrono::DateTime::from_timestamp(epoch as i64, 0)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| format!("{epoch}"))
}

/// Seconds or milliseconds: what the trashed values are plausible times in (at least
/// 99 % of them), else what the name says when nothing is trashed yet.
fn epoch_unit(candidate: &Candidate, evidence: &Evidence) -> Result<Convention, String> {
    let trashed = evidence.trashed;
    if trashed == 0 || evidence.unreadable.is_some() {
        let n = normalize(&candidate.column.name);
        let seconds = ["sec", "seconds", "unix", "epochs"]
            .iter()
            .any(|s| n.ends_with(s));
        return Ok(if seconds {
            Convention::EpochSeconds
        } else {
            Convention::EpochMillis
        });
    }
    let fits = |n: u64| n * 100 >= trashed * 99;
    if fits(evidence.fits_ms) {
        Ok(Convention::EpochMillis)
    } else if fits(evidence.fits_seconds) {
        Ok(Convention::EpochSeconds)
    } else {
        Err(format!(
            "its values are no plausible deletion times: of {trashed} sampled, {} fit \
             milliseconds and {} seconds since the epoch between {} and a year from now",
            evidence.fits_ms,
            evidence.fits_seconds,
            day(EARLIEST_EPOCH)
        ))
    }
}

/// The verdict for a table from what [`consider`] found and the data of each candidate
/// (`evidence`, in [`Considered::candidates`] order), with the config's overrides on top.
pub fn decide(
    table: &str,
    columns: &[ColumnInfo],
    considered: &Considered,
    evidence: &[Evidence],
    overrides: Option<&TableOverride>,
) -> Result<(Option<SoftDelete>, Detection), String> {
    let mut detection = Detection {
        near_misses: considered.near_misses.clone(),
        ..Detection::default()
    };
    if overrides.is_some_and(|o| o.ignore) {
        detection.verdict = Verdict::Ignored;
        detection
            .because
            .push(format!("[tables.{table}] ignore = true"));
        return Ok((None, detection));
    }
    if let Some(marker) = overrides.and_then(|o| o.column.as_deref()) {
        return configured(table, columns, marker, overrides, detection);
    }
    let default_evidence = Evidence::default();
    let evidence_of = |i: usize| evidence.get(i).unwrap_or(&default_evidence);
    let flag_count = considered.flags.len();
    let mut marker: Option<(&Candidate, String, Option<Convention>)> = None;
    for (i, candidate) in considered.candidates().enumerate() {
        match judge(candidate, evidence_of(i), false) {
            Ok((said, unit)) if marker.is_none() => marker = Some((candidate, said, unit)),
            Ok(_) => {}
            Err(why) => detection
                .near_misses
                .push((candidate.column.name.clone(), why)),
        }
    }
    let Some((candidate, said, unit)) = marker else {
        detection.verdict = if detection.near_misses.is_empty() {
            Verdict::None
        } else {
            Verdict::NearMiss
        };
        if detection.verdict == Verdict::None {
            detection
                .because
                .push("no column is named like a deletion marker".into());
        }
        return Ok((None, detection));
    };
    let (convention, time) = match candidate.reading {
        Reading::Flag => {
            // A deletion time beside the flag, if its data allows it.
            let time = considered
                .times
                .iter()
                .enumerate()
                .find(|(i, t)| judge(t, evidence_of(flag_count + i), true).is_ok())
                .map(|(_, t)| t.column.clone());
            (Convention::Flag, time)
        }
        Reading::Time => (Convention::Timestamp, Some(candidate.column.clone())),
        Reading::Epoch => (
            unit.unwrap_or(Convention::EpochMillis),
            Some(candidate.column.clone()),
        ),
    };
    let mut soft_delete = with_bookkeeping(columns, convention, candidate.column.clone(), time);
    let live = match candidate.reading {
        Reading::Time => "NULL = live",
        Reading::Epoch => "0 or NULL = live",
        Reading::Flag => "false, 0 or NULL = live",
    };
    detection.because.push(format!(
        "{}: {} {} ({live}), as {}",
        candidate.column.name,
        if candidate.column.nullable {
            "nullable"
        } else {
            "NOT NULL"
        },
        convention.label(),
        candidate.source
    ));
    detection.because.push(said);
    if let (Reading::Flag, Some(time)) = (candidate.reading, &soft_delete.time) {
        detection
            .because
            .push(format!("{} says when a row was trashed", time.name));
    }
    apply_time_override(table, columns, overrides, &mut soft_delete, &mut detection)?;
    if soft_delete.time.is_none() {
        detection.proxy_suggestion = proxy_candidate(columns);
        detection.because.push(format!(
            "records no deletion time: a purge needs [tables.{table}] time_column{} or --ignore-age",
            detection
                .proxy_suggestion
                .as_ref()
                .map(|c| format!(" = \"{c}\""))
                .unwrap_or_default()
        ));
    }
    if let Some(suffix) = considered.history
        && !overrides.is_some_and(|o| o.include)
    {
        detection.verdict = Verdict::History;
        detection.because.insert(
            0,
            format!(
                "a history table (*{suffix}): its {} copies the rows it snapshots; \
                 [tables.{table}] include = true makes it a trash bin",
                candidate.column.name
            ),
        );
        return Ok((None, detection));
    }
    detection.verdict = Verdict::Convention;
    Ok((Some(soft_delete), detection))
}

/// A flag's age from another column (`[tables.T] time_column`): a proxy unless the
/// column is itself named like a deletion time.
fn apply_time_override(
    table: &str,
    columns: &[ColumnInfo],
    overrides: Option<&TableOverride>,
    soft_delete: &mut SoftDelete,
    detection: &mut Detection,
) -> Result<(), String> {
    let Some(name) = overrides.and_then(|o| o.time_column.as_deref()) else {
        return Ok(());
    };
    let column = by_name(columns, name)?;
    soft_delete.time_is_proxy = is_proxy(&column);
    detection.because.push(format!(
        "[tables.{table}] time_column = \"{name}\"{}",
        if soft_delete.time_is_proxy {
            ": rows' age is read from it in place of a deletion time"
        } else {
            ""
        }
    ));
    soft_delete.time = Some(column);
    Ok(())
}

fn is_proxy(column: &ColumnInfo) -> bool {
    let n = normalize(&column.name);
    rule_for(names::TIME_RULES, &n).is_none()
}

/// A column a flag-only table could take its age from: `updated_at` and the like.
fn proxy_candidate(columns: &[ColumnInfo]) -> Option<String> {
    names::PROXY_TIME_NAMES.iter().find_map(|wanted| {
        columns
            .iter()
            .find(|c| {
                normalize(&c.name) == *wanted
                    && matches!(
                        c.kind,
                        ColumnKind::Timestamp { .. } | ColumnKind::Date | ColumnKind::Integer
                    )
            })
            .map(|c| c.name.clone())
    })
}

fn by_name(columns: &[ColumnInfo], name: &str) -> Result<ColumnInfo, String> {
    columns
        .iter()
        .find(|c| c.name == name)
        .cloned()
        .ok_or_else(|| format!("column `{name}` does not exist"))
}

/// The config names the marker: it wins over every convention and every piece of data.
fn configured(
    table: &str,
    columns: &[ColumnInfo],
    marker_name: &str,
    overrides: Option<&TableOverride>,
    mut detection: Detection,
) -> Result<(Option<SoftDelete>, Detection), String> {
    let marker = by_name(columns, marker_name)?;
    let convention = match overrides.and_then(|o| o.convention) {
        Some(c) => c,
        None => match marker.kind {
            ColumnKind::Bool => Convention::Flag,
            ColumnKind::Integer => {
                let n = normalize(&marker.name);
                if ["sec", "seconds", "unix", "epochs"]
                    .iter()
                    .any(|s| n.ends_with(s))
                {
                    Convention::EpochSeconds
                } else {
                    Convention::EpochMillis
                }
            }
            _ => Convention::Timestamp,
        },
    };
    let time = if convention == Convention::Flag {
        columns
            .iter()
            .find(|c| {
                let n = normalize(&c.name);
                rule_for(names::TIME_RULES, &n).is_some()
                    && matches!(c.kind, ColumnKind::Timestamp { .. } | ColumnKind::Date)
            })
            .cloned()
    } else {
        Some(marker.clone())
    };
    let mut soft_delete = with_bookkeeping(columns, convention, marker, time);
    detection.verdict = Verdict::Configured;
    detection.because.push(format!(
        "[tables.{table}] column = \"{marker_name}\" ({})",
        convention.label()
    ));
    apply_time_override(table, columns, overrides, &mut soft_delete, &mut detection)?;
    Ok((Some(soft_delete), detection))
}

fn with_bookkeeping(
    columns: &[ColumnInfo],
    convention: Convention,
    marker: ColumnInfo,
    time: Option<ColumnInfo>,
) -> SoftDelete {
    let find = |wanted: &[&str]| {
        wanted.iter().find_map(|w| {
            columns
                .iter()
                .find(|c| normalize(&c.name) == *w)
                .map(|c| c.name.clone())
        })
    };
    SoftDelete {
        convention,
        marker,
        time,
        time_is_proxy: false,
        deleted_by: find(names::DELETED_BY_NAMES),
        reason: find(names::REASON_NAMES),
        token: find(names::TOKEN_NAMES),
    }
}

#[cfg(test)]
#[path = "detect_tests.rs"]
mod tests;
