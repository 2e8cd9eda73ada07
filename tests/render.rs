//! Render snapshots of the TUI, driven the way an operator drives it: keys and actions in,
//! worker answers fed back by hand. No database: the app talks to a detached worker
//! handle, so the tests also see (and assert) every request the UI sends.
//!
//! Panes are drawn with `Theme::plain()` (no colour, ASCII borders) so the snapshots do
//! not depend on the host's locale or `NO_COLOR`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod render_support;

use crossterm::event::KeyCode;
use ratatui::style::Modifier;

use render_support::*;
use trashcan::engine::filter::{AgeBound, Filter};
use trashcan::engine::trash::{Anchor, Page, TableStats};
use trashcan::tui::app::Focus;
use trashcan::tui::keymap::{self, Context};
use trashcan::worker::{Request, Response};

// ---------------------------------------------------------------------------------------
// Tests.

#[test]
fn main_screen() {
    let mut h = Harness::new(140, 16);
    h.main_screen();
    let screen = h.draw();
    insta::assert_snapshot!("main_screen", screen);

    // Tables pane: counts, the read-only marker, a failed count.
    assert!(lines_with(&screen, "comments")[0].contains("6,452"));
    assert!(lines_with(&screen, "legacy_events (ro)")[0].contains("error"));
    assert!(lines_with(&screen, "|users ")[0].contains("~179"));
    assert!(
        !screen.contains("settings"),
        "tables without soft delete are not trash bins"
    );
    // Records pane: the deleted-by column, NULL, binary as a size, a long deleter cut.
    assert!(screen.contains("Trashed rows: users | newest first"));
    let ann = lines_with(&screen, "ann@example.com")[0];
    assert!(ann.contains("NULL") && ann.contains("3h ago"), "{ann}");
    let whale = lines_with(&screen, "whale@example")[0];
    assert!(
        whale.contains("<binary 200") && whale.contains("45d ago"),
        "{whale}"
    );
    let bob = lines_with(&screen, "bob@example.com")[0];
    assert!(
        bob.contains("<binary 512 B>") && bob.contains("ops"),
        "{bob}"
    );
    assert!(
        whale.contains("support..."),
        "long deleted_by is cut with an ASCII ellipsis: {whale}"
    );
    assert!(screen.contains("3 rows on this page | more below"));
    // Status bar.
    let status = screen.lines().last().unwrap();
    assert!(
        status.contains("READ-ONLY") && status.contains("demo.sqlite3"),
        "{status}"
    );
    // NULL is styled apart from text even without colour.
    let (x, y) = find(h.buffer(), "NULL").unwrap();
    assert!(h.buffer()[(x, y)].modifier.contains(Modifier::ITALIC));
}

#[test]
fn moving_in_tables_pane_requests_pages_and_ignores_stale_answers() {
    let mut h = Harness::new(100, 20);
    h.main_screen();
    h.press(KeyCode::BackTab); // back to the tables pane
    assert_eq!(h.app.focus, Focus::Tables);

    h.press(KeyCode::Char('k'));
    let (legacy_generation, table) = only_page(&h.sent());
    assert_eq!(table.name, "legacy_events");
    h.press(KeyCode::Char('k'));
    let sent = h.sent();
    let Request::Page {
        generation: comments_generation,
        table,
        query,
    } = &sent[0]
    else {
        panic!("expected a page request, got {sent:?}");
    };
    assert_eq!(table.name, "comments");
    assert_eq!(query.anchor, Anchor::First);
    assert!(query.newest_first);
    assert_eq!(query.limit, 50);

    // Moving past the top sends nothing.
    h.press(KeyCode::Char('k'));
    assert!(
        h.sent().is_empty(),
        "no request when the selection does not change"
    );

    // The legacy_events answer is stale now.
    h.app.on_response(Response::Page {
        generation: legacy_generation,
        table: legacy_events().name,
        result: Ok(Page {
            rows: vec![user_row(5, 10.0, None, vec![text("login")])],
            ..Page::default()
        }),
    });
    assert!(h.app.records.page.rows.is_empty());
    h.app.on_response(Response::Page {
        generation: *comments_generation,
        table: comments().name,
        result: Ok(Page {
            rows: vec![user_row(3, 60.0, None, vec![text("first!")])],
            ..Page::default()
        }),
    });
    let screen = h.draw();
    assert!(screen.contains("first!"));
    assert!(!screen.contains("login"));
    assert!(screen.contains("Trashed rows: comments"));
    // comments has no deleted_by column, so no "by" column either.
    let header = lines_with(&screen, "trashed")[0];
    assert!(
        header.contains("id trashed") && !header.contains(" by "),
        "{header}"
    );
}

#[test]
fn detail_pane() {
    let mut h = Harness::new(140, 44);
    h.main_screen();
    h.press(KeyCode::Char('G')); // last row: the whale
    let sent = h.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    // `G` asks for the last page; answer with the same rows.
    let (generation, _) = only_page(&sent);
    h.app.on_response(Response::Page {
        generation,
        table: users().name,
        result: Ok(users_page()),
    });
    assert_eq!(
        h.app.records.selected_row().unwrap().key,
        vec!["1".to_string()]
    );
    let whale = vec![vec!["1".to_string()]];
    let related = only_related(&h.sent(), &users().name, &whale);
    h.app.on_response(Response::Related {
        generation: related,
        result: Ok(sample_report(whale)),
        settled: true,
    });
    // The selection is shown (reversed, as there is no colour) on the whale's row only.
    h.draw();
    let (wx, wy) = find(h.buffer(), "whale@example").unwrap();
    let (ax, ay) = find(h.buffer(), "ann@example").unwrap();
    assert!(h.buffer()[(wx, wy)].modifier.contains(Modifier::REVERSED));
    assert!(!h.buffer()[(ax, ay)].modifier.contains(Modifier::REVERSED));

    h.press(KeyCode::Enter);
    assert_eq!(h.app.focus, Focus::Detail);
    let sent = h.sent();
    let [
        Request::Detail {
            generation,
            table,
            key,
        },
    ] = &sent[..]
    else {
        panic!("expected a detail request, got {sent:?}");
    };
    assert_eq!(table.name, "users");
    assert_eq!(key, &vec!["1".to_string()]);
    let loading = h.draw();
    assert!(loading.contains("loading"), "{loading}");

    h.app.on_response(Response::Detail {
        generation: *generation,
        result: Ok(Some(whale_detail())),
    });
    let screen = h.draw();
    insta::assert_snapshot!("detail_pane", screen);

    assert!(
        screen.contains("+ users 1 ---"),
        "the title names table and key"
    );
    // NULL and the text "NULL" read alike but are styled apart.
    let (bx, by) = find(h.buffer(), "bio NULL").unwrap();
    let (nx, ny) = find(h.buffer(), "nickname NULL").unwrap();
    let bio = &h.buffer()[(bx + 4, by)];
    let nickname = &h.buffer()[(nx + 9, ny)];
    assert_eq!(bio.symbol(), "N");
    assert_eq!(nickname.symbol(), "N");
    assert!(
        !bio.modifier.contains(Modifier::ITALIC),
        "the text NULL is plain"
    );
    assert!(
        nickname.modifier.contains(Modifier::ITALIC),
        "a real NULL is italic"
    );
    assert!(screen.contains("<binary, 200.0 KiB>"));
    assert!(
        screen.contains("caf\u{FFFD} cr\u{FFFD}me"),
        "lossy decoding shows replacement characters"
    );
    assert!(
        screen.contains("Second paragraph."),
        "the second line of a multi-line value"
    );
    assert!(
        screen.contains("migration routes"),
        "long text wraps instead of being cut"
    );
    assert!(screen.contains("deletion_reason account closed on request"));

    // The end of a huge value says how much was left out.
    h.press(KeyCode::End);
    let bottom = h.draw();
    insta::assert_snapshot!("detail_pane_bottom", bottom);
    let shown = trashcan::tui::format::thousands(payload().chars().count() as i64);
    let footer = format!("… (1,048,576 characters in all; the first {shown} are shown)");
    assert!(bottom.contains(&footer), "{bottom}");
    assert!(
        bottom.contains("{\"event\":200,\"ok\":true},"),
        "the end of the shown part is reachable"
    );
    assert!(
        !bottom.contains("nickname"),
        "scrolled past the first columns"
    );
    // And scrolling back up from the bottom moves at once.
    h.press(KeyCode::Char('k'));
    let up = h.draw();
    assert_ne!(up, bottom, "one step up from the bottom must scroll");

    // Esc closes the detail and returns to the records.
    h.press(KeyCode::Esc);
    assert_eq!(h.app.focus, Focus::Records);
    assert!(!h.app.detail.open);
    assert!(!h.draw().contains("nickname"));

    // Opening another row drops a late answer for the previous one.
    h.press(KeyCode::Char('k'));
    h.press(KeyCode::Enter);
    let sent: Vec<Request> = h
        .sent()
        .into_iter()
        .filter(|r| !matches!(r, Request::Related { .. }))
        .collect();
    let [
        Request::Detail {
            generation: bob,
            key,
            ..
        },
    ] = &sent[..]
    else {
        panic!("expected a detail request, got {sent:?}");
    };
    assert_eq!(key, &vec!["7".to_string()]);
    h.app.on_response(Response::Detail {
        generation: *generation,
        result: Ok(Some(whale_detail())),
    });
    assert!(h.app.detail.detail.is_none(), "a stale detail was applied");
    h.app.on_response(Response::Detail {
        generation: *bob,
        result: Ok(None),
    });
    let gone = h.draw();
    assert!(gone.contains("this row no longer exists"), "{gone}");
    assert!(gone.contains("+ users 7 ---"));
}

#[test]
fn help_overlay() {
    let mut h = Harness::new(100, 36);
    h.main_screen();
    h.press(KeyCode::Char('?'));
    assert!(h.app.help_open);
    let screen = h.draw();
    insta::assert_snapshot!("help_overlay", screen);

    // The overlay's text, wrapped lines joined back together, over every scroll
    // position (`j` scrolls the overlay when it is taller than the terminal).
    let mut windows: Vec<String> = Vec::new();
    for _ in 0..120 {
        let inside = popup_text(h.buffer(), "Keys (Esc closes)");
        windows.push(
            inside
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        );
        h.press(KeyCode::Char('j'));
        h.draw();
    }
    assert_ne!(windows.first(), windows.last(), "j scrolls the overlay");
    let joined = windows.join(" | ");
    for context in [
        Context::Change,
        Context::ChangeReason,
        Context::Global,
        Context::Records,
        Context::FilterInput,
        Context::Help,
    ] {
        assert!(
            joined.contains(context.title()),
            "section {:?} missing",
            context.title()
        );
    }
    // Every binding, whatever its context: one the overlay leaves out is a bug (the
    // overlay has no Detail section, so such bindings must not exist yet).
    for binding in keymap::BINDINGS {
        let help = binding
            .help
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            joined.contains(&help),
            "help for {:?} missing: {help}",
            binding.action
        );
        let keys: Vec<String> = binding.keys.iter().map(keymap::describe).collect();
        assert!(
            joined.contains(&keys.join(" ")),
            "keys for {:?} missing",
            binding.action
        );
    }

    // The help overlay is modal: `j` does not move the records underneath.
    let selected = h.app.records.selected;
    h.press(KeyCode::Char('j'));
    assert_eq!(h.app.records.selected, selected);
    h.press(KeyCode::Esc);
    assert!(!h.app.help_open);
    assert!(!h.draw().contains("Keys (Esc closes)"));
}

#[test]
fn filter_line() {
    let mut h = Harness::new(140, 14);
    h.main_screen();
    h.press(KeyCode::Char('/'));
    assert!(h.app.records.editing.is_some());
    h.type_text("whale >30d");
    // While editing, `j` and `q` are text, not commands.
    assert!(!h.app.should_quit);
    let editing = h.draw();
    insta::assert_snapshot!("filter_editing", editing);
    assert!(editing.contains("filter: whale >30d"), "{editing}");
    assert!(h.sent().is_empty(), "nothing is queried while typing");
    let (x, y) = find(h.buffer(), "filter: ").unwrap();
    h.terminal
        .backend_mut()
        .assert_cursor_position((x + 8 + 10, y));

    h.press(KeyCode::Enter);
    assert!(h.app.records.editing.is_none());
    let sent = h.sent();
    let [
        Request::Page {
            generation,
            table,
            query,
        },
    ] = &sent[..]
    else {
        panic!("expected a page request, got {sent:?}");
    };
    assert_eq!(table.name, "users");
    assert_eq!(
        query.filter,
        Filter {
            words: vec!["whale".into()],
            ages: vec![AgeBound {
                older_than: true,
                seconds: 30 * 86_400
            }],
        }
    );
    assert_eq!(query.anchor, Anchor::First);
    let mut page = users_page();
    page.rows.retain(|r| r.key == ["1"]);
    page.more_after = false;
    h.app.on_response(Response::Page {
        generation: *generation,
        table: users().name,
        result: Ok(page),
    });
    let applied = h.draw();
    insta::assert_snapshot!("filter_applied", applied);
    assert!(applied.contains("Trashed rows: users | newest first | filter: whale >30d"));
    assert!(applied.contains("whale@example"));
    assert!(!applied.contains("ann@example.com"));
    assert!(applied.contains("1 row on this page"));

    // The filtered page selects the whale, whose related counts are asked for.
    only_related(&h.sent(), &users().name, &[vec!["1".into()]]);

    // A bad age bound is reported in the footer and queries nothing.
    h.press(KeyCode::Char('/'));
    h.type_text(" >soon");
    h.press(KeyCode::Enter);
    assert!(h.sent().is_empty());
    let error = h.draw();
    assert!(lines_with(&error, "age filter >soon").len() == 1, "{error}");
    assert!(
        error.contains("filter: whale >30d"),
        "the applied filter stays"
    );

    // Esc clears the applied filter and reloads.
    h.press(KeyCode::Esc);
    let (_, table) = only_page(&h.sent());
    assert_eq!(table.name, "users");
    assert!(h.app.records.filter.is_empty());
}

#[test]
fn terminal_too_small() {
    let mut h = Harness::new(20, 5);
    h.main_screen();
    let screen = h.draw();
    insta::assert_snapshot!("too_small", screen);
    assert!(screen.contains("Terminal too small"));
    assert!(screen.contains("enlarge"));
    h.press(KeyCode::Char('q'));
    assert!(h.app.should_quit);

    // Even before anything loaded, and at absurd sizes.
    for (w, hgt) in [(1, 1), (59, 40), (200, 11), (0, 0)] {
        let mut tiny = Harness::new(w, hgt);
        tiny.app.start();
        tiny.draw();
    }
}

#[test]
fn empty_catalog() {
    let mut h = Harness::new(100, 12);
    // Before the catalog arrives, an empty list means "not yet", not "none".
    h.app.start();
    let starting = h.draw();
    assert!(starting.contains("loading"), "{starting}");
    assert!(!starting.contains("no soft-delete tables"), "{starting}");
    let sent = h.sent();
    let [Request::LoadCatalog { generation }] = sent[..] else {
        panic!("expected one catalog request, got {sent:?}");
    };
    h.app.on_response(Response::Catalog {
        generation,
        result: Ok(catalog(vec![settings()])),
    });
    let sent = h.sent();
    let [Request::Stats { generation }] = sent[..] else {
        panic!("expected only a stats request when there is no table: {sent:?}");
    };
    // The worker finds nothing to count.
    h.app.on_response(Response::StatsDone { generation });
    assert!(!h.app.is_busy());
    let screen = h.draw();
    insta::assert_snapshot!("empty_catalog", screen);
    assert!(screen.contains("no soft-delete tables"));
    assert!(screen.contains("select a table"));
    assert!(
        screen
            .lines()
            .last()
            .unwrap()
            .contains("no soft-delete tables found")
    );
    // Nothing to open or filter; keys do not panic.
    for key in [
        KeyCode::Enter,
        KeyCode::Char('j'),
        KeyCode::Char('G'),
        KeyCode::Char('/'),
        KeyCode::Tab,
        KeyCode::Enter,
    ] {
        h.press(key);
    }
    assert!(h.app.records.editing.is_none());
    assert!(h.sent().is_empty());
}

#[test]
fn empty_trash() {
    let mut h = Harness::new(100, 12);
    let sent = h.load_catalog(catalog(vec![comments()]));
    let (generation, table) = only_page(&sent);
    assert_eq!(table.name, "comments");
    let loading = h.draw();
    assert!(loading.contains("loading"), "{loading}");
    assert!(
        loading.contains("working"),
        "the status bar shows pending work"
    );
    let stats = stats_generation(&sent);
    h.app.on_response(Response::Stats {
        generation: stats,
        table: table.clone(),
        result: Ok(TableStats {
            trashed: 0,
            oldest_age_seconds: None,
            live_estimate: Some(120),
            retention_days: 30,
            past_retention: Some(0),
        }),
    });
    h.app.on_response(Response::StatsDone { generation: stats });
    h.app.on_response(Response::Page {
        generation,
        table,
        result: Ok(Page::default()),
    });
    assert!(!h.app.is_busy());
    let screen = h.draw();
    insta::assert_snapshot!("empty_trash", screen);
    assert!(screen.contains("nothing in this trash bin"));
    assert!(screen.contains("0 rows on this page"));
    assert!(!screen.contains("working"));
    let row = lines_with(&screen, "|comments ")[0];
    assert!(row.contains(" 0 ") && row.contains("~120"), "{row}");
    // Opening a row of an empty trash does nothing.
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    assert!(!h.app.detail.open);
    assert!(h.sent().is_empty());
}

#[test]
fn related_pane_marks_cache_and_exact_counts() {
    let mut h = Harness::new(180, 30);
    h.main_screen();
    assert_eq!(h.app.focus, Focus::Records);
    let screen = h.draw();
    insta::assert_snapshot!("related_pane", screen);
    assert!(
        screen.contains("purge would hard-delete at least"),
        "estimates make the purge figure a lower bound: {screen}"
    );
    assert!(screen.contains("CREATE INDEX"), "index advice shown");

    // Moving to another row asks for its counts; coming back uses the cache.
    h.press(KeyCode::Char('j'));
    let seven = vec![vec!["7".to_string()]];
    let generation = only_related(&h.sent(), &users().name, &seven);
    h.app.on_response(Response::Related {
        generation,
        result: Ok(sample_report(seven)),
        settled: true,
    });
    h.press(KeyCode::Char('k'));
    let sent = h.sent();
    assert!(
        !sent.iter().any(|r| matches!(r, Request::Related { .. })),
        "a cached report is not counted again: {sent:?}"
    );
    assert_eq!(
        h.app.related.report.as_ref().map(|r| r.keys.clone()),
        Some(vec![vec!["42".to_string()]])
    );

    // Space marks and moves down; the pane then counts the marked set, keys sorted.
    h.press(KeyCode::Char(' '));
    h.press(KeyCode::Char(' '));
    let marked = vec![vec!["42".to_string()], vec!["7".to_string()]];
    let generation = only_related(&h.sent(), &users().name, &marked);
    // An answer for a request the operator has moved past is dropped.
    h.app.on_response(Response::Related {
        generation: generation - 1,
        result: Ok(sample_report(vec![vec!["1".into()]])),
        settled: true,
    });
    assert_eq!(h.app.related.awaiting, Some(generation));
    h.app.on_response(Response::Related {
        generation,
        result: Ok(sample_report(marked.clone())),
        settled: false,
    });
    assert!(h.app.is_busy(), "exact counts still to come");
    let screen = h.draw();
    assert!(screen.contains("Related: 2 marked users rows"), "{screen}");
    assert!(screen.contains("2 marked"), "footer counts marks");

    // `c` asks for exact counts of the same marked set.
    h.press(KeyCode::Char('c'));
    let sent = h.sent();
    assert!(
        sent.iter()
            .any(|r| matches!(r, Request::Related { keys, exact: true, .. } if *keys == marked)),
        "{sent:?}"
    );
    // `u` clears the marks: back to the selected row's counts.
    h.press(KeyCode::Char('u'));
    assert!(h.app.records.marked.is_empty());
    assert_eq!(
        h.app.related.selection.as_ref().map(|(_, k)| k.len()),
        Some(1)
    );
}

/// The exact answer is a row per table, whatever the number of paths; a partial one
/// says so in place of a total that could pass for complete, and rows a `SET NULL` key
/// would detach are shown apart, outside the total.
#[test]
fn related_pane_shows_the_closure_per_table() {
    use trashcan::engine::related::closure::{ClosureCounts, Detached, TableTotal};
    use trashcan::engine::sql::TableName;
    let mut h = Harness::new(180, 30);
    h.main_screen();
    let selected = h
        .app
        .related
        .selection
        .clone()
        .map(|(_, k)| k)
        .unwrap_or_default();
    h.sent();
    h.press(KeyCode::Char('c'));
    let generation = only_related(&h.sent(), &users().name, &selected);
    let total = |name: &str, live, trashed, same_group| TableTotal {
        table: TableName::new(None, name),
        live,
        trashed,
        same_group,
        cascading_only: false,
    };
    let mut report = sample_report(selected);
    report.closure = Some(ClosureCounts {
        tables: vec![
            total("comments", 2, 1_218, 1_194),
            total("posts", 11, 489_965, 489_900),
        ],
        detached: vec![Detached {
            relation: "pins.user_id → users.id".into(),
            rows: 3,
        }],
        partial: vec!["no permission to read legacy_events".into()],
    });
    h.app.on_response(Response::Related {
        generation,
        result: Ok(report),
        settled: true,
    });
    let screen = h.draw();
    assert!(lines_with(&screen, "|table ").len() == 1, "{screen}");
    assert!(
        lines_with(&screen, "|posts ")[0].contains("489,965"),
        "{screen}"
    );
    assert!(
        !screen.contains("via"),
        "no path lines once exact: {screen}"
    );
    assert!(
        screen.contains("PARTIAL: no permission to read legacy_events"),
        "{screen}"
    );
    assert!(screen.contains("3 row(s) would be detached"), "{screen}");
    let total_line = lines_with(&screen, "total (distinct rows)")[0];
    assert!(
        total_line.contains(">=13") && total_line.contains(">=491,183"),
        "{total_line}"
    );
}

/// A key is what the operator acts on: a uuid key shows whole, not cut to a prefix.
#[test]
fn uuid_keys_are_never_cut() {
    let mut h = Harness::new(180, 30);
    h.main_screen();
    let uuid = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    h.app.records.page.rows[0].key = vec![uuid.into()];
    let screen = h.draw();
    assert!(screen.contains(uuid), "{screen}");
}

#[test]
fn wide_tables_pane_shows_rows_past_retention() {
    let mut h = Harness::new(200, 24);
    h.main_screen();
    let screen = h.draw();
    let header = lines_with(&screen, "trashed")[0];
    assert!(header.contains("expired"), "{header}");
    assert!(lines_with(&screen, "comments")[0].contains("6,452     1,180"));
    assert!(lines_with(&screen, "|users ")[0].contains("21        3 "));
    // Beside the records, the related pane keeps its place.
    assert!(screen.contains("Related: users 42"), "{screen}");

    assert!(
        !screen.contains("past retention"),
        "the column says it: {screen}"
    );

    // Narrower, the column gives way to the records; the title keeps the sum.
    let mut h = Harness::new(180, 24);
    h.main_screen();
    let screen = h.draw();
    assert!(!screen.contains("expired"), "{screen}");
    assert!(
        screen.contains("Trash bins (3) | 1,183 past retention"),
        "{screen}"
    );
}

#[test]
fn production_marker_leads_the_status_bar() {
    let mut h = Harness::new(120, 16);
    h.app.status.production = Some("app prod".into());
    h.main_screen();
    let screen = h.draw();
    let status = screen.lines().last().unwrap();
    assert!(
        status.starts_with(" PRODUCTION app prod "),
        "the marker comes first: {status}"
    );
    let production = find(h.buffer(), "PRODUCTION").unwrap();
    let cell = &h.buffer()[production];
    assert!(
        cell.modifier.contains(ratatui::style::Modifier::REVERSED),
        "without colours the marker is reversed: {cell:?}"
    );
}
