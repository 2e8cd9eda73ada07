//! The change dialog: a restore (or undo) preview with its blockers, then a reason, then
//! the outcome. Nothing is written before the operator has seen the preview and pressed
//! Enter twice.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use tui_input::Input;

use crate::engine::change::{ApplyError, Change, ChangeKind, ChangePreview};
use crate::engine::sql::TableName;
use crate::tui::format::thousands;

/// Row counts as the panes print them.
fn rows_text(n: u64) -> String {
    thousands(i64::try_from(n).unwrap_or(i64::MAX))
}
use crate::tui::theme::Theme;
use crate::worker::ChangeChoices;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Waiting for the preview.
    Loading,
    /// Showing the preview; Enter goes on to the reason.
    Preview,
    /// Typing the reason; Enter writes.
    Reason,
    /// The write is running.
    Applying,
    /// The outcome: a success line, or why nothing was changed.
    Done(Result<String, String>),
}

pub struct ChangeDialog {
    pub kind: ChangeKind,
    /// Set for an undo, whose preview is the reversing change itself.
    pub undo: bool,
    pub table: TableName,
    pub keys: Vec<Vec<String>>,
    pub choices: ChangeChoices,
    pub stage: Stage,
    pub preview: Option<ChangePreview>,
    pub error: Option<String>,
    pub reason: Input,
    pub awaiting: Option<u64>,
    pub scroll: u16,
    /// Set when the preview is worked out for a purpose of its own (soft orphans moved
    /// to trash with their parents' groups): the title; the options do not apply.
    pub preset: Option<String>,
}

impl ChangeDialog {
    pub fn restore(table: TableName, keys: Vec<Vec<String>>) -> Self {
        Self {
            kind: ChangeKind::Restore,
            undo: false,
            table,
            keys,
            choices: ChangeChoices {
                with_group: true,
                ..ChangeChoices::default()
            },
            stage: Stage::Loading,
            preview: None,
            error: None,
            reason: Input::default(),
            awaiting: None,
            scroll: 0,
            preset: None,
        }
    }

    /// Soft orphans along a relation, to be moved to trash with their parents' groups;
    /// the preview comes from the worker under `generation`.
    pub fn trash_with_parents(table: TableName, title: String, generation: u64) -> Self {
        Self {
            preset: Some(title),
            awaiting: Some(generation),
            ..Self::trash(table, Vec::new())
        }
    }

    pub fn trash(table: TableName, keys: Vec<Vec<String>>) -> Self {
        Self {
            kind: ChangeKind::Trash,
            choices: ChangeChoices::default(),
            ..Self::restore(table, keys)
        }
    }

    /// An undo needs no preview query: it changes exactly the rows the last change did,
    /// back to their state before it, and the write re-checks they are still as left.
    pub fn undo(change: Change) -> Self {
        let table = change.root.clone();
        let preview = ChangePreview {
            change,
            left_alone: Vec::new(),
            blockers: Vec::new(),
            skipped: 0,
            incomplete: None,
        };
        Self {
            kind: preview.change.kind,
            undo: true,
            table,
            keys: Vec::new(),
            choices: ChangeChoices::default(),
            stage: Stage::Preview,
            preview: Some(preview),
            error: None,
            reason: Input::default(),
            awaiting: None,
            scroll: 0,
            preset: None,
        }
    }

    pub fn apply_preview(&mut self, result: Result<ChangePreview, String>) {
        self.awaiting = None;
        match result {
            Ok(preview) => {
                self.preview = Some(preview);
                self.error = None;
            }
            Err(e) => {
                self.preview = None;
                self.error = Some(e);
            }
        }
        self.stage = Stage::Preview;
    }

    pub fn can_apply(&self) -> bool {
        self.preview.as_ref().is_some_and(ChangePreview::can_apply)
    }

    pub fn reason_text(&self) -> Option<String> {
        let text = self.reason.value().trim();
        (!text.is_empty()).then(|| text.to_owned())
    }

    pub fn applied(&mut self, result: &Result<crate::engine::change::Applied, ApplyError>) {
        self.stage = Stage::Done(match result {
            Ok(applied) => Ok(format!(
                "{} {} rows in {} table(s) (audit entry {}).{}",
                past_tense(applied.change.action()),
                rows_text(applied.change.rows()),
                applied.change.counts().len(),
                applied.audit_id,
                if self.undo { "" } else { " U undoes it." }
            )),
            Err(e) => Err(e.describe()),
        });
    }

    fn title(&self) -> String {
        if let Some(title) = &self.preset {
            return format!(" {title} ");
        }
        let verb = match (self.kind, self.undo) {
            (_, true) => "Undo",
            (ChangeKind::Restore, false) => "Restore",
            (ChangeKind::Trash, false) => "Move to trash",
        };
        let rows = if self.undo {
            String::new()
        } else {
            format!(" {} row(s) of", self.keys.len())
        };
        format!(" {verb}{rows} {} ", self.table.display())
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = area.width.saturating_sub(8).clamp(20, 100);
        let height = area.height.saturating_sub(4).max(6);
        let popup = crate::tui::panes::popup(area, width, height);
        frame.render_widget(Clear, popup);
        let lines = self.lines(theme);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0))
                .block(theme.pane(self.title(), true)),
            popup,
        );
    }

    /// Shown once it matters: the override is on, or implied relations refuse the move.
    fn implied_line(&self, theme: &Theme, lines: &mut Vec<Line<'static>>) {
        let refused = self.preview.as_ref().is_some_and(|p| {
            p.blockers
                .iter()
                .any(|b| matches!(b, crate::engine::change::Blocker::Implied { .. }))
        });
        if self.choices.ignore_implied {
            lines.push(Line::styled(
                "implied relations (I): IGNORED this once — rows along them stay live under \
                 trashed parents",
                theme.error(),
            ));
            lines.push(Line::default());
        } else if refused {
            lines.push(Line::styled(
                "implied relations (I): refused until declared (the default); I ignores them once",
                theme.muted(),
            ));
            lines.push(Line::default());
        }
    }

    fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        if self.kind == ChangeKind::Restore && !self.undo {
            let check = |on: bool| if on { "[x]" } else { "[ ]" };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} ", check(self.choices.with_group)),
                    theme.accent(),
                ),
                Span::raw("group (g)   "),
                Span::styled(
                    format!("{} ", check(self.choices.with_ancestors)),
                    theme.accent(),
                ),
                Span::raw("ancestors too (a)   "),
                Span::styled(
                    format!("{} ", check(self.choices.leave_blocked)),
                    theme.accent(),
                ),
                Span::raw("leave blocked rows (b)"),
            ]));
            lines.push(Line::default());
        }
        if self.kind == ChangeKind::Trash && !self.undo {
            self.implied_line(theme, &mut lines);
        }
        if let Some(error) = &self.error {
            lines.push(Line::styled(
                format!("{} {error}", failed(theme)),
                theme.error(),
            ));
        }
        match &self.preview {
            None if self.stage == Stage::Loading => {
                lines.push(Line::styled("working out the preview…", theme.muted()));
            }
            None => {}
            Some(preview) => self.preview_lines(preview, theme, &mut lines),
        }
        lines.push(Line::default());
        match &self.stage {
            Stage::Loading | Stage::Applying => {
                let what = if self.stage == Stage::Loading {
                    "Esc cancels"
                } else {
                    "writing… Esc cancels (nothing is written unless it commits)"
                };
                lines.push(Line::styled(what, theme.muted()));
            }
            Stage::Preview if self.can_apply() => lines.push(Line::styled(
                "Enter: continue   Esc: cancel",
                theme.header(),
            )),
            Stage::Preview => lines.push(Line::styled(
                "Nothing can be written as it stands.   Esc: close",
                theme.muted(),
            )),
            Stage::Reason => {
                lines.push(Line::from(vec![
                    Span::styled("Reason (optional, goes to the audit log): ", theme.header()),
                    Span::raw(self.reason.value().to_owned()),
                    Span::styled(if theme.unicode { "▏" } else { "_" }, theme.accent()),
                ]));
                let rows = self.preview.as_ref().map_or(0, |p| p.change.rows());
                lines.push(Line::styled(
                    format!(
                        "Enter: write {} rows in one transaction   Esc: back",
                        rows_text(rows)
                    ),
                    theme.muted(),
                ));
            }
            Stage::Done(Ok(message)) => {
                lines.push(Line::styled(
                    format!("{} {message}", if theme.unicode { "✓" } else { "ok:" }),
                    theme.accent(),
                ));
                lines.push(Line::styled("Enter or Esc: close", theme.muted()));
            }
            Stage::Done(Err(message)) => {
                lines.push(Line::styled(
                    format!("{} {message}", failed(theme)),
                    theme.error(),
                ));
                lines.push(Line::styled("Enter or Esc: close", theme.muted()));
            }
        }
        lines
    }

    fn preview_lines(
        &self,
        preview: &ChangePreview,
        theme: &Theme,
        lines: &mut Vec<Line<'static>>,
    ) {
        let heading = match (self.kind, self.undo) {
            (_, true) => "Will be put back as before the last change",
            (ChangeKind::Restore, false) => "Will come back",
            (ChangeKind::Trash, false) => "Will move to trash",
        };
        lines.push(Line::styled(heading, theme.header()));
        let counts = preview.change.counts();
        if counts.is_empty() {
            lines.push(Line::styled("  nothing", theme.muted()));
        }
        for (table, rows) in counts {
            lines.push(Line::from(format!(
                "  {:>12}  {}",
                rows_text(rows),
                table.display()
            )));
        }
        if !preview.left_alone.is_empty() {
            let heading = match self.kind {
                ChangeKind::Restore => "Stay trashed (trashed separately)",
                ChangeKind::Trash => "Left as they are",
            };
            lines.push(Line::styled(heading, theme.header()));
            for (table, rows) in &preview.left_alone {
                lines.push(Line::styled(
                    format!("  {:>12}  {}", rows_text(*rows), table.display()),
                    theme.muted(),
                ));
            }
        }
        if preview.skipped > 0 {
            lines.push(Line::styled(
                format!(
                    "{} selected row(s) are not in the trash and are skipped",
                    preview.skipped
                ),
                theme.muted(),
            ));
        }
        if let Some(note) = &preview.incomplete {
            lines.push(Line::styled(format!("note: {note}"), theme.warning()));
        }
        if !preview.blockers.is_empty() {
            lines.push(Line::styled("Blocked", theme.error()));
            for blocker in &preview.blockers {
                lines.push(Line::styled(
                    format!(
                        "  {} {}",
                        failed(theme),
                        ascii_if(theme, blocker.describe())
                    ),
                    theme.error(),
                ));
            }
            if preview
                .blockers
                .iter()
                .any(|b| matches!(b, crate::engine::change::Blocker::TrashedAncestor { .. }))
            {
                lines.push(Line::styled(
                    "  a: restore the trashed ancestors too   b: leave rows under them in the trash",
                    theme.muted(),
                ));
            }
        }
    }
}

/// Arrows as `->` where the terminal cannot show them.
fn ascii_if(theme: &Theme, text: String) -> String {
    if theme.unicode {
        text
    } else {
        text.replace('→', "->")
    }
}

/// The mark before a failure or a blocker.
fn failed(theme: &Theme) -> &'static str {
    if theme.unicode { "✗" } else { "x" }
}

fn past_tense(action: &str) -> String {
    match action {
        "restore" => "Restored".into(),
        "trash" => "Moved to trash".into(),
        other => format!("Applied {other} to"),
    }
}
