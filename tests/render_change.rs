//! Render snapshots of the restore dialog: its preview with rows that come back, rows
//! that stay trashed and blockers, the reason line, and the outcome. Drawn with
//! `Theme::plain()` so the snapshots are plain text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use trashcan::engine::catalog::{ColumnInfo, ColumnKind, Convention};
use trashcan::engine::change::state::{Role, StateColumn};
use trashcan::engine::change::{
    Blocker, Change, ChangeKind, ChangePreview, RowChange, TableChange,
};
use trashcan::engine::sql::TableName;
use trashcan::tui::panes::change::{ChangeDialog, Stage};
use trashcan::tui::theme::Theme;

fn column(name: &str, kind: ColumnKind) -> ColumnInfo {
    ColumnInfo {
        name: name.into(),
        sql_type: "x".into(),
        kind,
        nullable: true,
    }
}

fn table(name: &str, rows: usize) -> TableChange {
    TableChange {
        table: TableName::new(Some("public"), name),
        convention: Convention::Timestamp,
        key_columns: vec![column("id", ColumnKind::Integer)],
        state_columns: vec![StateColumn {
            role: Role::Marker,
            column: column("deleted_at", ColumnKind::Timestamp { with_tz: true }),
        }],
        rows: (0..rows)
            .map(|i| RowChange {
                key: vec![i.to_string()],
                before: vec![Some("2026-01-10 12:00:00+00".into())],
                after: None,
            })
            .collect(),
    }
}

fn preview(blockers: Vec<Blocker>) -> ChangePreview {
    ChangePreview {
        change: Change {
            kind: ChangeKind::Restore,
            undo: false,
            root: TableName::new(Some("public"), "users"),
            tables: vec![
                table("users", 1),
                table("posts", 4),
                table("comments", 1204),
            ],
            implied_ignored: Vec::new(),
        },
        left_alone: vec![(TableName::new(Some("public"), "likes"), 4)],
        blockers,
        skipped: 0,
        incomplete: None,
    }
}

fn draw(dialog: &ChangeDialog) -> String {
    let mut terminal = Terminal::new(TestBackend::new(90, 24)).unwrap();
    terminal
        .draw(|frame| dialog.draw(frame, frame.area(), &Theme::plain()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn restore_preview_with_blockers() {
    let mut dialog = ChangeDialog::restore(
        TableName::new(Some("public"), "users"),
        vec![vec!["7".into()]],
    );
    assert_eq!(dialog.stage, Stage::Loading);
    assert!(draw(&dialog).contains("working out the preview"));
    dialog.apply_preview(Ok(preview(vec![
        Blocker::TrashedAncestor {
            table: TableName::new(Some("public"), "posts"),
            relation: "comments.post_id → posts.id".into(),
            keys: vec![vec!["77".into()], vec!["377".into()]],
            rows: 2,
        },
        Blocker::Collision {
            table: TableName::new(Some("public"), "users"),
            index: "users_email_live_key".into(),
            columns: vec!["email".into()],
            values: vec![Some("ann@example.com".into())],
            restored: vec!["7".into()],
            live: vec!["12".into()],
        },
    ])));
    assert!(!dialog.can_apply());
    insta::assert_snapshot!("restore_preview_blocked", draw(&dialog));
}

#[test]
fn restore_preview_reason_and_outcome() {
    let mut dialog = ChangeDialog::restore(
        TableName::new(Some("public"), "users"),
        vec![vec!["7".into()]],
    );
    dialog.apply_preview(Ok(preview(Vec::new())));
    assert!(dialog.can_apply());
    let screen = draw(&dialog);
    assert!(screen.contains("Enter: continue"), "{screen}");
    assert!(screen.contains("1,204  comments"), "{screen}");
    dialog.stage = Stage::Reason;
    dialog.reason = tui_input::Input::new("ticket 42".into());
    insta::assert_snapshot!("restore_reason", draw(&dialog));
    dialog.stage = Stage::Done(Err(
        "nothing was changed: the rows changed since the preview: 1 row(s) of users were restored, re-trashed or edited by someone else (e.g. (7))".into(),
    ));
    let screen = draw(&dialog);
    assert!(screen.contains("nothing was changed"), "{screen}");
    assert!(screen.contains("Enter or Esc: close"), "{screen}");
}

/// A move to trash that implied relations refuse says how to go on (`I`), and once the
/// override is on, says so in red.
#[test]
fn implied_relations_refuse_a_move_to_trash_until_ignored_once() {
    let mut dialog = ChangeDialog::trash(
        TableName::new(Some("public"), "channels"),
        vec![vec!["c2".into()]],
    );
    let mut refused = preview(vec![Blocker::Implied {
        relations: vec!["posts.channelid → channels.id".into()],
    }]);
    refused.change.kind = ChangeKind::Trash;
    dialog.apply_preview(Ok(refused));
    assert!(!dialog.can_apply());
    let screen = draw(&dialog);
    assert!(
        screen.contains("implied relations (I): refused until declared"),
        "{screen}"
    );
    dialog.choices.ignore_implied = true;
    let mut allowed = preview(Vec::new());
    allowed.change.kind = ChangeKind::Trash;
    allowed.change.implied_ignored = vec!["posts.channelid → channels.id".into()];
    dialog.apply_preview(Ok(allowed));
    assert!(dialog.can_apply());
    let screen = draw(&dialog);
    assert!(
        screen.contains("implied relations (I): IGNORED this once"),
        "{screen}"
    );
}
