//! The purge dialog's rarer choices, as the CLI's `--ignore-age T` and
//! `--ignore-implied`: a table without deletion times is purged whatever its age only
//! once its name is typed (and only such a table), and implied relations are ignored
//! for one plan with `I`; both are shown in red and sent with the plan's policy.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod render_support;

use crossterm::event::KeyCode;
use render_support::{Harness, catalog, column, soft_delete, table, users};
use trashcan::engine::EngineError;
use trashcan::engine::catalog::{ColumnKind, Convention, TableInfo};
use trashcan::engine::purge::Policy;
use trashcan::worker::{PurgeRequest, PurgeResponse, Request, Response};

/// Soft-deletes with a flag and records no time.
fn flagged() -> TableInfo {
    let flag = column("is_deleted", "BOOLEAN", ColumnKind::Bool, false);
    let columns = vec![
        column("id", "INTEGER", ColumnKind::Integer, false),
        flag.clone(),
    ];
    let sd = soft_delete(Convention::Flag, flag, None);
    table("flagged", columns, &["id"], Some(sd), &[])
}

/// The policy of the one plan request sent since the last look, and its generation.
fn planned(h: &mut Harness) -> (u64, Policy) {
    let sent = h.sent();
    match sent.as_slice() {
        [
            Request::Purge(PurgeRequest::Plan {
                generation, policy, ..
            }),
        ] => (*generation, policy.clone()),
        other => panic!("expected one plan request, got {other:?}"),
    }
}

#[test]
fn ignored_age_is_typed_and_implied_relations_are_ignored_once() {
    let mut h = Harness::new(120, 40);
    h.load_catalog(catalog(vec![flagged(), users()]));
    h.sent();
    h.press(KeyCode::Char('p'));
    let (generation, policy) = planned(&mut h);
    assert_eq!(policy, Policy::default());
    h.app.on_response(Response::Purge(PurgeResponse::Plan {
        generation,
        result: Err(EngineError::refused(
            "the purge could leave rows without their parent along 1 relation(s) the \
             schema implies but does not declare: notes.userid -> users.id. Declare each \
             as [[relations]] in the config, list it in [implied] ignore, or pass \
             --ignore-implied for this run",
        )),
    }));
    let screen = h.draw();
    assert!(
        screen.contains("implied relations (I): refused until declared"),
        "{screen}"
    );

    h.press(KeyCode::Char('I'));
    let (_, policy) = planned(&mut h);
    assert!(policy.ignore_implied);
    assert!(
        h.draw()
            .contains("implied relations (I): IGNORED this once")
    );

    // Only a table that records no deletion time may be purged whatever its age.
    h.press(KeyCode::Char('i'));
    assert!(h.draw().contains("Table to purge WHATEVER ITS AGE"));
    h.type_text("users");
    h.press(KeyCode::Enter);
    assert!(
        h.sent().is_empty(),
        "a table with deletion times is refused"
    );
    assert!(h.draw().contains("records deletion times"), "{}", h.draw());
    for _ in 0.."users".len() {
        h.press(KeyCode::Backspace);
    }
    h.type_text("flagged");
    h.press(KeyCode::Enter);
    let (_, policy) = planned(&mut h);
    assert_eq!(
        policy
            .ignore_age
            .iter()
            .map(|t| t.display())
            .collect::<Vec<_>>(),
        ["flagged"]
    );
    assert!(policy.ignore_implied, "the other choice stays");
    let screen = h.draw();
    assert!(
        screen.contains("age ignored (i): flagged PURGED WHATEVER THE AGE"),
        "{screen}"
    );

    // Nothing typed clears the list.
    h.press(KeyCode::Char('i'));
    h.press(KeyCode::Enter);
    let (_, policy) = planned(&mut h);
    assert!(policy.ignore_age.is_empty());
}
