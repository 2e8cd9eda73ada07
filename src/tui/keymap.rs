//! The one keymap: every binding, the context it applies in, and its help text. Key
//! handling and the help overlay both read this table, so they cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Anywhere, unless a more specific binding matches first.
    Global,
    Tables,
    Records,
    Detail,
    Related,
    /// While the filter line is being edited; other keys edit the text.
    FilterInput,
    /// The restore / undo dialog.
    Change,
    /// Typing the change's reason; other keys edit the text.
    ChangeReason,
    /// The purge plan dialog.
    PurgePlan,
    /// Typing the purge's confirmation or reason; other keys edit the text.
    PurgeInput,
    /// The purge monitor pane.
    Monitor,
    /// The prompt about purges a dead console left behind.
    Interrupted,
    /// The orphans view.
    Orphans,
    /// The audit view.
    Audit,
    /// Typing the audit view's search; other keys edit the text.
    AuditSearch,
    /// How tables were recognised.
    Explain,
    Help,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Tables => "Tables pane",
            Context::Records => "Records pane",
            Context::Detail => "Detail pane",
            Context::Related => "Related pane",
            Context::FilterInput => "Filter line",
            Context::Change => "Restore / undo dialog",
            Context::ChangeReason => "Reason line",
            Context::PurgePlan => "Purge plan",
            Context::PurgeInput => "Purge confirmation",
            Context::Monitor => "Purge monitor",
            Context::Interrupted => "Interrupted purge",
            Context::Orphans => "Orphans view",
            Context::Audit => "Audit view",
            Context::AuditSearch => "Audit search line",
            Context::Explain => "How tables were recognised",
            Context::Help => "Help",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        context: Context::AuditSearch,
        keys: &[key(KeyCode::Enter)],
        action: Action::ApplyFilter,
        help: "search: who, action, tables, reason, job",
    },
    Binding {
        context: Context::AuditSearch,
        keys: &[key(KeyCode::Esc)],
        action: Action::CancelFilter,
        help: "cancel typing",
    },
    Binding {
        context: Context::Audit,
        keys: &[ch('/')],
        action: Action::StartFilter,
        help: "search the log",
    },
    Binding {
        context: Context::Audit,
        keys: &[key(KeyCode::Enter)],
        action: Action::Open,
        help: "show the entry and the keys it touched",
    },
    Binding {
        context: Context::Audit,
        keys: &[key(KeyCode::Esc), ch('a'), ctrl('c')],
        action: Action::CloseDialog,
        help: "back, or close the log",
    },
    Binding {
        context: Context::Audit,
        keys: &[ch('r'), ctrl('r')],
        action: Action::Refresh,
        help: "read the newest entries again",
    },
    Binding {
        context: Context::Audit,
        keys: &[ch('j'), key(KeyCode::Down)],
        action: Action::MoveDown,
        help: "older entry / scroll",
    },
    Binding {
        context: Context::Audit,
        keys: &[ch('k'), key(KeyCode::Up)],
        action: Action::MoveUp,
        help: "newer entry / scroll",
    },
    Binding {
        context: Context::Audit,
        keys: &[ctrl('d'), key(KeyCode::PageDown)],
        action: Action::PageDown,
        help: "20 entries older",
    },
    Binding {
        context: Context::Audit,
        keys: &[ctrl('u'), key(KeyCode::PageUp)],
        action: Action::PageUp,
        help: "20 entries newer",
    },
    Binding {
        context: Context::Audit,
        keys: &[ch('q')],
        action: Action::Quit,
        help: "quit",
    },
    Binding {
        context: Context::Audit,
        keys: &[ch('?')],
        action: Action::ToggleHelp,
        help: "help",
    },
    Binding {
        context: Context::Orphans,
        keys: &[key(KeyCode::Enter)],
        action: Action::Open,
        help: "list the selected relation's orphans",
    },
    Binding {
        context: Context::Orphans,
        keys: &[key(KeyCode::Esc), ch('o'), ctrl('c')],
        action: Action::CloseDialog,
        help: "back, or close the view",
    },
    Binding {
        context: Context::Orphans,
        keys: &[ch('p')],
        action: Action::OpenPurge,
        help: "purge the relation's hard orphans",
    },
    Binding {
        context: Context::Orphans,
        keys: &[ch('T')],
        action: Action::Trash,
        help: "trash soft orphans with their parents",
    },
    Binding {
        context: Context::Orphans,
        keys: &[ch('R')],
        action: Action::Restore,
        help: "restore the soft orphans' parents",
    },
    Binding {
        context: Context::Orphans,
        keys: &[ch('r'), ctrl('r')],
        action: Action::Refresh,
        help: "scan again",
    },
    Binding {
        context: Context::Orphans,
        keys: &[ch('j'), key(KeyCode::Down)],
        action: Action::MoveDown,
        help: "next relation / scroll",
    },
    Binding {
        context: Context::Orphans,
        keys: &[ch('k'), key(KeyCode::Up)],
        action: Action::MoveUp,
        help: "previous relation / scroll",
    },
    Binding {
        context: Context::Orphans,
        keys: &[ch('q')],
        action: Action::Quit,
        help: "quit",
    },
    Binding {
        context: Context::Orphans,
        keys: &[ch('?')],
        action: Action::ToggleHelp,
        help: "help",
    },
    Binding {
        context: Context::PurgeInput,
        keys: &[key(KeyCode::Enter)],
        action: Action::Confirm,
        help: "go on",
    },
    Binding {
        context: Context::PurgeInput,
        keys: &[key(KeyCode::Esc), ctrl('c')],
        action: Action::CloseDialog,
        help: "back",
    },
    Binding {
        context: Context::PurgePlan,
        keys: &[key(KeyCode::Enter)],
        action: Action::Confirm,
        help: "confirm: type the count, then a reason",
    },
    Binding {
        context: Context::PurgePlan,
        keys: &[key(KeyCode::Esc), ch('q'), ctrl('c')],
        action: Action::CloseDialog,
        help: "close (nothing is written)",
    },
    Binding {
        context: Context::PurgePlan,
        keys: &[ch('s')],
        action: Action::CycleScope,
        help: "rows / table / all trash",
    },
    Binding {
        context: Context::PurgePlan,
        keys: &[ch('l')],
        action: Action::TogglePurgeLive,
        help: "live descendants: skip roots / purge too",
    },
    Binding {
        context: Context::PurgePlan,
        keys: &[ch('y')],
        action: Action::TogglePurgeYoung,
        help: "descendants trashed after the cutoff: skip roots / purge too",
    },
    Binding {
        context: Context::PurgePlan,
        keys: &[ch('i')],
        action: Action::IgnoreAge,
        help: "purge a table with no deletion time at any age",
    },
    Binding {
        context: Context::PurgePlan,
        keys: &[ch('I')],
        action: Action::ToggleIgnoreImplied,
        help: "implied relations: refuse / ignore this once",
    },
    Binding {
        context: Context::PurgePlan,
        keys: &[ch('+'), ch('=')],
        action: Action::OlderThanMore,
        help: "cutoff a day earlier",
    },
    Binding {
        context: Context::PurgePlan,
        keys: &[ch('-')],
        action: Action::OlderThanLess,
        help: "cutoff a day later",
    },
    Binding {
        context: Context::PurgePlan,
        keys: &[ch('j'), key(KeyCode::Down)],
        action: Action::MoveDown,
        help: "scroll down",
    },
    Binding {
        context: Context::PurgePlan,
        keys: &[ch('k'), key(KeyCode::Up)],
        action: Action::MoveUp,
        help: "scroll up",
    },
    Binding {
        context: Context::Interrupted,
        keys: &[ch('r')],
        action: Action::ResumeJob,
        help: "resume where it stopped",
    },
    Binding {
        context: Context::Interrupted,
        keys: &[ch('a')],
        action: Action::AbandonJob,
        help: "abandon it (deleted rows stay deleted)",
    },
    Binding {
        context: Context::Interrupted,
        keys: &[key(KeyCode::Esc), ch('q'), ctrl('c')],
        action: Action::CloseDialog,
        help: "decide later",
    },
    Binding {
        context: Context::Monitor,
        keys: &[ch('p')],
        action: Action::PauseResumeJob,
        help: "pause / resume the purge",
    },
    Binding {
        context: Context::Monitor,
        keys: &[ch('x')],
        action: Action::CancelJob,
        help: "cancel after this batch (resumable)",
    },
    Binding {
        context: Context::Monitor,
        keys: &[ch('+'), ch('=')],
        action: Action::BatchBigger,
        help: "bigger batches (fixed size)",
    },
    Binding {
        context: Context::Monitor,
        keys: &[ch('-')],
        action: Action::BatchSmaller,
        help: "smaller batches (fixed size)",
    },
    Binding {
        context: Context::Monitor,
        keys: &[ch(']')],
        action: Action::SleepLonger,
        help: "longer pause between batches",
    },
    Binding {
        context: Context::Monitor,
        keys: &[ch('[')],
        action: Action::SleepShorter,
        help: "shorter pause between batches",
    },
    Binding {
        context: Context::Tables,
        keys: &[ch('p')],
        action: Action::OpenPurge,
        help: "purge this table's old trash",
    },
    Binding {
        context: Context::Records,
        keys: &[ch('p')],
        action: Action::OpenPurge,
        help: "purge marked rows, else this one",
    },
    Binding {
        context: Context::ChangeReason,
        keys: &[key(KeyCode::Enter)],
        action: Action::Confirm,
        help: "write the change, with its audit record",
    },
    Binding {
        context: Context::ChangeReason,
        keys: &[key(KeyCode::Esc), ctrl('c')],
        action: Action::CloseDialog,
        help: "back to the preview",
    },
    Binding {
        context: Context::Change,
        keys: &[key(KeyCode::Enter)],
        action: Action::Confirm,
        help: "continue: a reason, then write",
    },
    Binding {
        context: Context::Change,
        keys: &[key(KeyCode::Esc), ch('q'), ctrl('c')],
        action: Action::CloseDialog,
        help: "cancel (nothing is written)",
    },
    Binding {
        context: Context::Change,
        keys: &[ch('g')],
        action: Action::ToggleGroup,
        help: "with/without rows trashed with it",
    },
    Binding {
        context: Context::Change,
        keys: &[ch('a')],
        action: Action::ToggleAncestors,
        help: "also restore trashed ancestors",
    },
    Binding {
        context: Context::Change,
        keys: &[ch('b')],
        action: Action::ToggleLeaveBlocked,
        help: "leave rows under trashed parents",
    },
    Binding {
        context: Context::Change,
        keys: &[ch('I')],
        action: Action::ToggleIgnoreImplied,
        help: "move to trash: implied relations refuse / ignore this once",
    },
    Binding {
        context: Context::Change,
        keys: &[ch('j'), key(KeyCode::Down)],
        action: Action::MoveDown,
        help: "scroll down",
    },
    Binding {
        context: Context::Change,
        keys: &[ch('k'), key(KeyCode::Up)],
        action: Action::MoveUp,
        help: "scroll up",
    },
    Binding {
        context: Context::FilterInput,
        keys: &[key(KeyCode::Enter)],
        action: Action::ApplyFilter,
        help: "apply the filter",
    },
    Binding {
        context: Context::FilterInput,
        keys: &[key(KeyCode::Esc)],
        action: Action::CancelFilter,
        help: "cancel editing",
    },
    Binding {
        context: Context::Help,
        keys: &[key(KeyCode::Esc), ch('?'), ch('q')],
        action: Action::ToggleHelp,
        help: "close help",
    },
    Binding {
        context: Context::Help,
        keys: &[ch('j'), key(KeyCode::Down)],
        action: Action::MoveDown,
        help: "scroll down",
    },
    Binding {
        context: Context::Help,
        keys: &[ch('k'), key(KeyCode::Up)],
        action: Action::MoveUp,
        help: "scroll up",
    },
    Binding {
        context: Context::Global,
        keys: &[ch('q'), ctrl('c')],
        action: Action::Quit,
        help: "quit",
    },
    Binding {
        context: Context::Global,
        keys: &[ch('?')],
        action: Action::ToggleHelp,
        help: "show this help",
    },
    Binding {
        context: Context::Global,
        keys: &[ch('a')],
        action: Action::OpenAudit,
        help: "audit log: who changed what",
    },
    Binding {
        context: Context::Global,
        keys: &[ch('e')],
        action: Action::OpenExplain,
        help: "explain how tables were recognised",
    },
    Binding {
        context: Context::Explain,
        keys: &[key(KeyCode::Esc), ch('e'), ctrl('c')],
        action: Action::CloseDialog,
        help: "close",
    },
    Binding {
        context: Context::Explain,
        keys: &[ch('j'), key(KeyCode::Down)],
        action: Action::MoveDown,
        help: "scroll down",
    },
    Binding {
        context: Context::Explain,
        keys: &[ch('k'), key(KeyCode::Up)],
        action: Action::MoveUp,
        help: "scroll up",
    },
    Binding {
        context: Context::Explain,
        keys: &[ctrl('d'), key(KeyCode::PageDown)],
        action: Action::PageDown,
        help: "scroll a page down",
    },
    Binding {
        context: Context::Explain,
        keys: &[ctrl('u'), key(KeyCode::PageUp)],
        action: Action::PageUp,
        help: "scroll a page up",
    },
    Binding {
        context: Context::Explain,
        keys: &[ch('a')],
        action: Action::ExplainAll,
        help: "every table, or only those with a candidate column",
    },
    Binding {
        context: Context::Explain,
        keys: &[ch('?')],
        action: Action::ToggleHelp,
        help: "help",
    },
    Binding {
        context: Context::Global,
        keys: &[ch('o')],
        action: Action::OpenOrphans,
        help: "orphans: parent gone or trashed",
    },
    Binding {
        context: Context::Global,
        keys: &[key(KeyCode::Tab)],
        action: Action::FocusNext,
        help: "next pane",
    },
    Binding {
        context: Context::Global,
        keys: &[key(KeyCode::BackTab)],
        action: Action::FocusPrev,
        help: "previous pane",
    },
    Binding {
        context: Context::Global,
        keys: &[ch('j'), key(KeyCode::Down)],
        action: Action::MoveDown,
        help: "move down",
    },
    Binding {
        context: Context::Global,
        keys: &[ch('k'), key(KeyCode::Up)],
        action: Action::MoveUp,
        help: "move up",
    },
    Binding {
        context: Context::Global,
        keys: &[ctrl('d'), key(KeyCode::PageDown)],
        action: Action::PageDown,
        help: "page down",
    },
    Binding {
        context: Context::Global,
        keys: &[ctrl('u'), key(KeyCode::PageUp)],
        action: Action::PageUp,
        help: "page up",
    },
    Binding {
        context: Context::Global,
        keys: &[ch('g'), key(KeyCode::Home)],
        action: Action::Top,
        help: "first row",
    },
    Binding {
        context: Context::Global,
        keys: &[ch('G'), key(KeyCode::End)],
        action: Action::Bottom,
        help: "last row",
    },
    Binding {
        context: Context::Global,
        keys: &[key(KeyCode::Enter), ch('l'), key(KeyCode::Right)],
        action: Action::Open,
        help: "open: table → records → row detail",
    },
    Binding {
        context: Context::Global,
        keys: &[key(KeyCode::Esc), ch('h'), key(KeyCode::Left)],
        action: Action::Back,
        help: "back: close detail, clear filter",
    },
    Binding {
        context: Context::Global,
        keys: &[ctrl('r')],
        action: Action::Refresh,
        help: "reload catalog and counts",
    },
    Binding {
        context: Context::Records,
        keys: &[ch('/')],
        action: Action::StartFilter,
        help: "filter: words, >30d, <2h",
    },
    Binding {
        context: Context::Records,
        keys: &[ch('s')],
        action: Action::ToggleSort,
        help: "sort newest/oldest first",
    },
    Binding {
        context: Context::Records,
        keys: &[ch(' ')],
        action: Action::ToggleMark,
        help: "mark/unmark row (counts sum marks)",
    },
    Binding {
        context: Context::Records,
        keys: &[ch('V')],
        action: Action::MarkRange,
        help: "mark from the last marked row to here",
    },
    Binding {
        context: Context::Records,
        keys: &[ch('u')],
        action: Action::ClearMarks,
        help: "unmark all rows",
    },
    Binding {
        context: Context::Records,
        keys: &[ch('c')],
        action: Action::CountExactly,
        help: "count related rows exactly (replaces ~)",
    },
    Binding {
        context: Context::Records,
        keys: &[ch('r')],
        action: Action::Restore,
        help: "restore marked rows, else this one",
    },
    Binding {
        context: Context::Records,
        keys: &[ch('d')],
        action: Action::Trash,
        help: "trash marked live rows, else this one",
    },
    Binding {
        context: Context::Global,
        keys: &[ch('L')],
        action: Action::ToggleLive,
        help: "switch between trashed and live rows",
    },
    Binding {
        context: Context::Global,
        keys: &[ch('U')],
        action: Action::Undo,
        help: "undo the last restore or trash",
    },
    Binding {
        context: Context::Related,
        keys: &[ch('c')],
        action: Action::CountExactly,
        help: "count related rows exactly (replaces ~)",
    },
];

fn matches(binding_key: &Key, event: &KeyEvent) -> bool {
    match (binding_key.code, event.code) {
        // Terminals report shifted letters with or without SHIFT; compare the letter.
        (KeyCode::Char(a), KeyCode::Char(b)) => {
            a == b && binding_key.modifiers == (event.modifiers - KeyModifiers::SHIFT)
        }
        (a, b) => a == b && binding_key.modifiers == event.modifiers,
    }
}

/// Finds the action for a key in the given context, falling back to global bindings.
/// The filter line and the help overlay are modal: they see only their own bindings.
pub fn lookup(context: Context, event: &KeyEvent) -> Option<Action> {
    let find = |ctx: Context| {
        BINDINGS
            .iter()
            .filter(|b| b.context == ctx)
            .find(|b| b.keys.iter().any(|k| matches(k, event)))
            .map(|b| b.action)
    };
    match context {
        Context::FilterInput
        | Context::Help
        | Context::Change
        | Context::ChangeReason
        | Context::PurgePlan
        | Context::PurgeInput
        | Context::Interrupted
        | Context::Orphans
        | Context::Audit
        | Context::AuditSearch
        | Context::Explain => find(context),
        _ => find(context).or_else(|| find(Context::Global)),
    }
}

pub fn describe(k: &Key) -> String {
    let base = match k.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        other => format!("{other:?}"),
    };
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{base}")
    } else {
        base
    }
}

/// Help lines grouped by context: (context title, [(keys, help)]).
pub fn help_sections() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let order = [
        Context::Global,
        Context::Tables,
        Context::Records,
        Context::Related,
        Context::Change,
        Context::ChangeReason,
        Context::PurgePlan,
        Context::PurgeInput,
        Context::Monitor,
        Context::Interrupted,
        Context::Orphans,
        Context::Audit,
        Context::AuditSearch,
        Context::Explain,
        Context::FilterInput,
        Context::Help,
    ];
    order
        .iter()
        .map(|ctx| {
            let lines = BINDINGS
                .iter()
                .filter(|b| b.context == *ctx)
                .map(|b| {
                    let keys: Vec<String> = b.keys.iter().map(describe).collect();
                    (keys.join(" "), b.help)
                })
                .collect();
            (ctx.title(), lines)
        })
        .filter(|(_, lines): &(_, Vec<_>)| !lines.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn contexts_fall_back_to_global_except_modal_ones() {
        let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(lookup(Context::Records, &j), Some(Action::MoveDown));
        assert_eq!(
            lookup(Context::FilterInput, &j),
            None,
            "typing j edits the filter"
        );
        let slash = press(KeyCode::Char('/'), KeyModifiers::NONE);
        assert_eq!(lookup(Context::Records, &slash), Some(Action::StartFilter));
        assert_eq!(lookup(Context::Tables, &slash), None);
        let big_g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(lookup(Context::Tables, &big_g), Some(Action::Bottom));
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Context::Detail, &ctrl_c), Some(Action::Quit));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for a in BINDINGS {
            for b in BINDINGS {
                if std::ptr::eq(a, b) || a.context != b.context {
                    continue;
                }
                for ka in a.keys {
                    assert!(
                        !b.keys
                            .iter()
                            .any(|kb| ka.code == kb.code && ka.modifiers == kb.modifiers),
                        "{} bound twice in {:?}",
                        describe(ka),
                        a.context
                    );
                }
            }
        }
    }

    #[test]
    fn help_lists_every_binding() {
        let listed: usize = help_sections().iter().map(|(_, l)| l.len()).sum();
        assert_eq!(
            listed,
            BINDINGS
                .iter()
                .filter(|b| b.context != Context::Detail)
                .count()
        );
    }
}
