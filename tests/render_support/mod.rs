//! Fixtures and the harness for the render tests: a small, realistic catalog built by
//! hand, and the app driven against a detached worker handle.
#![allow(dead_code, unused_imports, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use tokio::sync::mpsc::UnboundedReceiver;
use unicode_width::UnicodeWidthStr;

use trashcan::db::Backend;
use trashcan::engine::catalog::{
    Catalog, ColumnInfo, ColumnKind, Convention, DependencyGraph, FkAction, SoftDelete, TableInfo,
};
use trashcan::engine::expr::Cell;
use trashcan::engine::filter::{AgeBound, Filter};
use trashcan::engine::related::{Counts, IndexAdvice, PathCount, RelatedPath, RelatedReport};
use trashcan::engine::sql::TableName;
use trashcan::engine::trash::{Anchor, Cursor, Page, RowDetail, TableStats, TrashRow};
use trashcan::tui::action::Action;
use trashcan::tui::app::{App, Focus};
use trashcan::tui::keymap::{self, Context};
use trashcan::tui::panes::status::StatusBar;
use trashcan::tui::theme::Theme;
use trashcan::worker::{Request, Response, WorkerHandle};

// ---------------------------------------------------------------------------------------
// Fixtures: a small, realistic catalog built by hand.

pub fn column(name: &str, sql_type: &str, kind: ColumnKind, nullable: bool) -> ColumnInfo {
    ColumnInfo {
        name: name.into(),
        sql_type: sql_type.into(),
        kind,
        nullable,
    }
}

pub fn deleted_at() -> ColumnInfo {
    column(
        "deleted_at",
        "TIMESTAMP",
        ColumnKind::Timestamp { with_tz: false },
        true,
    )
}

pub fn users_columns() -> Vec<ColumnInfo> {
    vec![
        column("id", "INTEGER", ColumnKind::Integer, false),
        column("email", "TEXT", ColumnKind::Text, false),
        column("name", "TEXT", ColumnKind::Text, false),
        column("bio", "TEXT", ColumnKind::Text, true),
        column("nickname", "TEXT", ColumnKind::Text, true),
        column("about", "TEXT", ColumnKind::Text, true),
        column("avatar", "BLOB", ColumnKind::Binary, true),
        column("legacy_notes", "TEXT", ColumnKind::Text, true),
        deleted_at(),
        column("deleted_by", "TEXT", ColumnKind::Text, true),
        column("deletion_reason", "TEXT", ColumnKind::Text, true),
        column("payload", "TEXT", ColumnKind::Text, true),
    ]
}

/// A readable, writable table; fixtures override what sets them apart.
pub fn table(
    name: &str,
    columns: Vec<ColumnInfo>,
    primary_key: &[&str],
    soft_delete: Option<SoftDelete>,
    display: &[&str],
) -> TableInfo {
    TableInfo {
        name: TableName::new(None, name),
        columns,
        primary_key: primary_key.iter().map(|c| c.to_string()).collect(),
        soft_delete,
        estimated_rows: None,
        can_select: true,
        can_modify: true,
        display_columns: display.iter().map(|c| c.to_string()).collect(),
        retention_days: None,
        indexes: Vec::new(),
        detection: Default::default(),
    }
}

pub fn soft_delete(
    convention: Convention,
    marker: ColumnInfo,
    time: Option<ColumnInfo>,
) -> SoftDelete {
    SoftDelete {
        convention,
        marker,
        time,
        time_is_proxy: false,
        deleted_by: None,
        reason: None,
        token: None,
    }
}

pub fn users() -> TableInfo {
    let sd = SoftDelete {
        deleted_by: Some("deleted_by".into()),
        reason: Some("deletion_reason".into()),
        ..soft_delete(Convention::Timestamp, deleted_at(), Some(deleted_at()))
    };
    TableInfo {
        retention_days: Some(90),
        ..table(
            "users",
            users_columns(),
            &["id"],
            Some(sd),
            &["email", "name", "bio", "avatar"],
        )
    }
}

pub fn comments() -> TableInfo {
    let columns = vec![
        column("id", "INTEGER", ColumnKind::Integer, false),
        column("body", "TEXT", ColumnKind::Text, false),
        deleted_at(),
    ];
    let sd = soft_delete(Convention::Timestamp, deleted_at(), Some(deleted_at()));
    table("comments", columns, &["id"], Some(sd), &["body"])
}

/// No primary key: the console may read it but marks it read-only.
pub fn legacy_events() -> TableInfo {
    let flag = column("is_deleted", "BOOLEAN", ColumnKind::Bool, false);
    let columns = vec![
        column("kind", "TEXT", ColumnKind::Text, false),
        flag.clone(),
    ];
    let sd = soft_delete(Convention::Flag, flag, None);
    table("legacy_events", columns, &[], Some(sd), &["kind"])
}

/// A table that does not soft-delete at all.
pub fn settings() -> TableInfo {
    let columns = vec![column("key", "TEXT", ColumnKind::Text, false)];
    table("settings", columns, &["key"], None, &[])
}

pub fn catalog(tables: Vec<TableInfo>) -> Arc<Catalog> {
    Arc::new(Catalog {
        backend: Backend::Sqlite,
        tables,
        relations: Vec::new(),
        implied: Vec::new(),
        graph: DependencyGraph::default(),
        warnings: Vec::new(),
    })
}

pub const DAY: f64 = 86_400.0;

pub fn user_row(id: u32, age: f64, by: Option<&str>, summary: Vec<Cell>) -> TrashRow {
    TrashRow {
        key: vec![id.to_string()],
        cursor: Cursor(vec![format!("2025-01-01 00:00:{id:02}"), id.to_string()]),
        deleted_epoch: Some(1_735_689_600.0 - age),
        age_seconds: Some(age),
        deleted_by: by.map(str::to_owned),
        summary,
    }
}

pub fn text(s: &str) -> Cell {
    Cell::Text(s.into())
}

pub fn users_page() -> Page {
    Page {
        rows: vec![
            user_row(
                42,
                3.0 * 3_600.0,
                None,
                vec![
                    text("ann@example.com"),
                    text("Ann Example"),
                    Cell::Null,
                    Cell::Null,
                ],
            ),
            user_row(
                7,
                7.0 * DAY,
                Some("ops"),
                vec![
                    text("bob@example.com"),
                    text("Bob Builder"),
                    text("NULL"),
                    Cell::Binary { bytes: 512 },
                ],
            ),
            user_row(
                1,
                45.0 * DAY,
                Some("support-bot-eu-west"),
                vec![
                    text("whale@example.com"),
                    text("Wanda Whale"),
                    Cell::Truncated {
                        text: "Owns 40% of all posts".into(),
                        total_chars: 5_000,
                    },
                    Cell::Binary { bytes: 204_800 },
                ],
            ),
        ],
        more_before: false,
        more_after: true,
    }
}

/// The part of a huge value the engine sends (it cuts values to their first characters).
pub fn payload() -> String {
    (1..=200)
        .map(|i| format!("{{\"event\":{i},\"ok\":true}},"))
        .collect()
}

pub fn whale_detail() -> RowDetail {
    let cells = vec![
        text("1"),
        text("whale@example.com"),
        text("Wanda Whale"),
        text("NULL"),
        Cell::Null,
        text(
            "Joined in the first week and never left. Posts about whales, tides, the \
             migration routes of humpbacks and, occasionally, database administration.\n\
             Second paragraph.",
        ),
        Cell::Binary { bytes: 204_800 },
        // Latin-1 bytes from an old import, decoded lossily by the engine.
        Cell::decode(Some(b"tcaf\xe9 cr\xe8me \xff\xfe")),
        text("2024-11-17 09:30:00"),
        text("support-bot-eu-west"),
        text("account closed on request"),
        Cell::Truncated {
            text: payload(),
            total_chars: 1_048_576,
        },
    ];
    RowDetail {
        columns: users_columns().into_iter().zip(cells).collect(),
        trashed: true,
    }
}

// ---------------------------------------------------------------------------------------
// Harness.

pub struct Harness {
    pub app: App,
    pub requests: UnboundedReceiver<Request>,
    pub terminal: Terminal<TestBackend>,
}

impl Harness {
    pub fn new(width: u16, height: u16) -> Self {
        let (worker, requests) = WorkerHandle::detached();
        let status = StatusBar {
            backend: "sqlite".into(),
            database: "demo.sqlite3".into(),
            read_only: true,
            production: None,
            last_error: None,
            notice: None,
            link: None,
            who: Some("as tester (os tester)".into()),
        };
        let app = App::new(worker, status, Theme::plain(), 50);
        let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        Self {
            app,
            requests,
            terminal,
        }
    }

    /// A harness whose session may write (the default one is read-only).
    pub fn writable(width: u16, height: u16) -> Self {
        let mut h = Self::new(width, height);
        h.app.status.read_only = false;
        h
    }

    /// Everything the app has sent to the worker since the last call.
    pub fn sent(&mut self) -> Vec<Request> {
        let mut out = Vec::new();
        while let Ok(r) = self.requests.try_recv() {
            out.push(r);
        }
        out
    }

    pub fn press(&mut self, code: KeyCode) {
        self.app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    pub fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            let modifiers = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            self.app.on_key(KeyEvent::new(KeyCode::Char(c), modifiers));
        }
    }

    pub fn draw(&mut self) -> String {
        let app = &mut self.app;
        self.terminal.draw(|frame| app.draw(frame)).unwrap();
        screen_text(self.terminal.backend().buffer())
    }

    pub fn buffer(&self) -> &Buffer {
        self.terminal.backend().buffer()
    }

    /// Starts the app and answers its catalog request; returns the requests that follow
    /// (stats, and the first table's page).
    pub fn load_catalog(&mut self, catalog: Arc<Catalog>) -> Vec<Request> {
        self.app.start();
        let sent = self.sent();
        let [Request::LoadCatalog { generation }] = sent[..] else {
            panic!("expected one catalog request, got {sent:?}");
        };
        self.app.on_response(Response::Catalog {
            generation,
            result: Ok(catalog),
        });
        self.sent()
    }

    /// Loads the standard catalog with stats filled in and the users page showing,
    /// focused on the records pane.
    pub fn main_screen(&mut self) {
        let sent = self.load_catalog(catalog(vec![
            comments(),
            legacy_events(),
            users(),
            settings(),
        ]));
        let stats_generation = stats_generation(&sent);
        let (first_page, first_table) = only_page(&sent);
        assert_eq!(
            first_table.name, "comments",
            "the first table is shown right away"
        );

        let stats = [
            (
                comments(),
                Ok(TableStats {
                    trashed: 6_452,
                    oldest_age_seconds: Some(400.0 * DAY),
                    live_estimate: Some(3_448),
                    retention_days: 30,
                    past_retention: Some(1_180),
                }),
            ),
            (
                legacy_events(),
                Err(trashcan::engine::EngineError::other(
                    "legacy_events: no permission",
                )),
            ),
            (
                users(),
                Ok(TableStats {
                    trashed: 21,
                    oldest_age_seconds: Some(45.0 * DAY),
                    live_estimate: Some(179),
                    retention_days: 30,
                    past_retention: Some(3),
                }),
            ),
        ];
        for (table, result) in stats {
            self.app.on_response(Response::Stats {
                generation: stats_generation,
                table: table.name,
                result,
            });
        }
        self.app.on_response(Response::StatsDone {
            generation: stats_generation,
        });

        // The operator jumps to the last table before the comments page arrives.
        self.app.on_action(Action::Bottom);
        let sent = self.sent();
        let (users_page_generation, table) = only_page(&sent);
        assert_eq!(
            table.name, "users",
            "moving the selection loads the newly selected table"
        );
        assert!(users_page_generation > first_page);

        // The comments page arrives late: it must not land in the users view.
        self.app.on_response(Response::Page {
            generation: first_page,
            table: comments().name,
            result: Ok(Page {
                rows: vec![user_row(99, 1.0, None, vec![text("stale comment")])],
                ..Page::default()
            }),
        });
        assert!(
            self.app.records.page.rows.is_empty(),
            "a stale page was applied"
        );
        assert!(
            self.app.records.awaiting.is_some(),
            "still waiting for the users page"
        );

        self.app.on_response(Response::Page {
            generation: users_page_generation,
            table: users().name,
            result: Ok(users_page()),
        });
        assert_eq!(self.app.records.page.rows.len(), 3);
        // The first row is selected, so its related counts are asked for.
        let related_generation = only_related(&self.sent(), &users().name, &[vec!["42".into()]]);
        self.app.on_response(Response::Related {
            generation: related_generation,
            result: Ok(sample_report(vec![vec!["42".into()]])),
            settled: true,
        });
        assert!(
            !self.app.is_busy(),
            "nothing is pending once every answer arrived"
        );

        self.press(KeyCode::Enter);
        assert_eq!(self.app.focus, Focus::Records);
    }
}

/// The one related-count request in `sent`, checked against the expected rows.
pub fn only_related(sent: &[Request], table: &TableName, keys: &[Vec<String>]) -> u64 {
    let related: Vec<_> = sent
        .iter()
        .filter_map(|r| match r {
            Request::Related {
                generation,
                table: t,
                keys: k,
                ..
            } => Some((*generation, t.clone(), k.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(related.len(), 1, "expected one related request in {sent:?}");
    let (generation, t, k) = related.into_iter().next().unwrap();
    assert_eq!((&t, k.as_slice()), (table, keys));
    generation
}

pub fn path(relations: usize, table: &str, on_cycle: bool) -> RelatedPath {
    RelatedPath {
        relations: (0..relations).collect(),
        table: TableName::new(None, table),
        on_cycle,
        cut_at_depth: false,
        detaches: false,
        readable: true,
    }
}

pub fn line(label: &str, path: RelatedPath, counts: Counts) -> PathCount {
    PathCount {
        label: label.into(),
        path,
        on_delete: FkAction::NoAction,
        declared: true,
        counts,
    }
}

/// What the engine reports for a user with a little of everything: exact lines, a
/// cycle, an over-budget estimate, a timeout, an unreadable table and index advice.
pub fn sample_report(keys: Vec<Vec<String>>) -> RelatedReport {
    RelatedReport {
        table: users().name,
        keys,
        lines: vec![
            line(
                "comments via comments.user_id",
                path(1, "comments", false),
                Counts::Exact {
                    live: 2,
                    trashed: 1_204,
                    same_group: 1_180,
                },
            ),
            line(
                "posts via posts.user_id",
                path(1, "posts", false),
                Counts::Estimated {
                    at_least: 100_001,
                    estimate: Some(489_976),
                },
            ),
            line(
                "comments via comments.user_id → comments.parent_id",
                path(2, "comments", true),
                Counts::Exact {
                    live: 0,
                    trashed: 14,
                    same_group: 14,
                },
            ),
            line(
                "likes via posts.user_id → likes.post_id",
                path(2, "likes", false),
                Counts::TimedOut { at_least: 100_001 },
            ),
            line(
                "legacy_events via legacy_events.user_id",
                path(1, "legacy_events", false),
                Counts::NoPermission,
            ),
        ],
        not_counted: 0,
        advice: vec![IndexAdvice {
            table: "comments".into(),
            reason: "comments.user_id has no index: counting and purging children scans the table"
                .into(),
            create: "CREATE INDEX \"comments_user_id_idx\" ON \"comments\" (\"user_id\")".into(),
        }],
        closure: None,
        closure_error: None,
    }
}

/// The generation of the stats request in `sent`.
pub fn stats_generation(sent: &[Request]) -> u64 {
    sent.iter()
        .find_map(|r| match r {
            Request::Stats { generation } => Some(*generation),
            _ => None,
        })
        .expect("stats requested after the catalog")
}

/// The one page request in `sent`: its generation and table.
pub fn only_page(sent: &[Request]) -> (u64, TableName) {
    let pages: Vec<_> = sent
        .iter()
        .filter_map(|r| match r {
            Request::Page {
                generation, table, ..
            } => Some((*generation, table.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        pages.len(),
        1,
        "expected exactly one page request in {sent:?}"
    );
    pages.into_iter().next().unwrap()
}

/// The buffer as text, one line per row, trailing blanks trimmed.
pub fn screen_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = symbol.width().saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Where `needle` starts on screen, as (x, y), counting cells.
pub fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let area = buffer.area;
    (0..area.height).find_map(|y| {
        (0..area.width)
            .find(|&x| {
                needle.chars().enumerate().all(|(i, c)| {
                    let x = x + i as u16;
                    x < area.width && buffer[(x, y)].symbol() == c.to_string()
                })
            })
            .map(|x| (x, y))
    })
}

/// The text inside the bordered box whose title contains `title`, one string per row.
pub fn popup_text(buffer: &Buffer, title: &str) -> Vec<String> {
    let (title_x, top) = find(buffer, title).expect("popup title on screen");
    let row = |y: u16, from: u16, to: u16| -> String {
        (from..to).map(|x| buffer[(x, y)].symbol()).collect()
    };
    let left = (0..title_x)
        .rev()
        .find(|&x| buffer[(x, top)].symbol() == "+")
        .expect("left corner");
    let right = (title_x..buffer.area.width)
        .find(|&x| buffer[(x, top)].symbol() == "+")
        .expect("right corner");
    (top + 1..buffer.area.height)
        .take_while(|&y| buffer[(left, y)].symbol() == "|")
        .map(|y| row(y, left + 1, right))
        .collect()
}

/// Every on-screen line that contains `needle`.
pub fn lines_with<'a>(screen: &'a str, needle: &str) -> Vec<&'a str> {
    screen.lines().filter(|l| l.contains(needle)).collect()
}
