//! `trashcan audit`: the audit log, newest first, for a quick look from a shell or for
//! a script (`--json`, which carries every entry's keys).

use serde_json::json;

use crate::cli::AuditArgs;
use crate::db::DbPool;
use crate::engine::expr::sanitize_line;
use crate::engine::history::{self, AuditQuery, AuditRecord};
use crate::error::UserError;

pub async fn audit(pool: &DbPool, args: &AuditArgs) -> Result<(), UserError> {
    let mut conn = pool.get().await.map_err(UserError::new)?;
    let since_epoch = match args.since {
        Some(age) => {
            let now = crate::engine::database_now(&mut conn)
                .await
                .map_err(|e| UserError::new(e.to_string()))?;
            Some(now - age.as_secs_f64())
        }
        None => None,
    };
    let query = AuditQuery {
        since_epoch,
        search: args.search.clone(),
        before: None,
        limit: args.limit,
    };
    let entries = history::list(&mut conn, &query)
        .await
        .map_err(|e| UserError::new(format!("cannot read the audit log: {e}")))?;
    if args.json {
        println!("{}", json!({ "entries": entries }));
    } else {
        print_text(&entries, args.limit);
    }
    Ok(())
}

const HEADER: [&str; 8] = [
    "at (UTC)", "who", "action", "tables", "rows", "keys", "job", "reason",
];

/// Columns are as wide as their widest value up to a cap; longer values run over rather
/// than being cut, since an audit line must not lose what it says.
const WIDTH_CAP: [usize; 7] = [19, 32, 14, 40, 10, 10, 8];

fn print_text(entries: &[AuditRecord], limit: u32) {
    if entries.is_empty() {
        println!("no audit entries");
        return;
    }
    let lines: Vec<[String; 8]> = entries.iter().map(cells).collect();
    let mut widths = [0usize; 7];
    for (i, width) in widths.iter_mut().enumerate() {
        let widest = lines
            .iter()
            .map(|cells| cells[i].chars().count())
            .chain([HEADER[i].chars().count()])
            .max()
            .unwrap_or(0);
        *width = widest.min(WIDTH_CAP[i]);
    }
    print_line(&HEADER.map(str::to_owned), &widths);
    for cells in &lines {
        print_line(cells, &widths);
    }
    let more = if entries.len() as u64 >= u64::from(limit) {
        " (the newest; older ones may follow: raise --limit or narrow with --since/--search)"
    } else {
        ""
    };
    println!(
        "{} entr{}{more}",
        entries.len(),
        if entries.len() == 1 { "y" } else { "ies" }
    );
}

/// One entry as text cells. Every value is made one line: a reason or user name holding
/// control characters must not move the cursor or clear the operator's screen.
fn cells(e: &AuditRecord) -> [String; 8] {
    [
        e.at.clone(),
        sanitize_line(&e.who()),
        sanitize_line(&e.action),
        sanitize_line(if e.table_names.is_empty() {
            "–"
        } else {
            &e.table_names
        }),
        e.rows.to_string(),
        e.key_count().to_string(),
        e.job_id.map_or_else(|| "–".to_owned(), |id| id.to_string()),
        e.reason.as_deref().map(sanitize_line).unwrap_or_default(),
    ]
}

fn print_line(cells: &[String; 8], widths: &[usize; 7]) {
    let pad = |i: usize| {
        let fill = widths[i].saturating_sub(cells[i].chars().count());
        if (4..=6).contains(&i) {
            format!("{}{}", " ".repeat(fill), cells[i])
        } else {
            format!("{}{}", cells[i], " ".repeat(fill))
        }
    };
    let line = format!(
        "{}  {}  {}  {}  {}  {}  {}  {}",
        pad(0),
        pad(1),
        pad(2),
        pad(3),
        pad(4),
        pad(5),
        pad(6),
        cells[7]
    );
    println!("{}", line.trim_end());
}
