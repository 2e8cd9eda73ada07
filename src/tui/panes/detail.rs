//! The detail pane: every column of one row. NULL looks different from the text "NULL",
//! binary shows its size, long text wraps, and invalid UTF-8 was made safe upstream.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::engine::expr::{Cell, human_bytes};
use crate::engine::trash::RowDetail;
use crate::tui::action::Action;
use crate::tui::format::thousands;
use crate::tui::theme::Theme;

#[derive(Debug, Default)]
pub struct DetailPane {
    pub open: bool,
    pub title: String,
    pub detail: Option<RowDetail>,
    pub missing: bool,
    pub awaiting: Option<u64>,
    pub error: Option<String>,
    pub scroll: u16,
}

impl DetailPane {
    pub fn open(&mut self, title: String) {
        self.open = true;
        self.title = title;
        self.detail = None;
        self.missing = false;
        self.error = None;
        self.scroll = 0;
    }

    pub fn close(&mut self) {
        self.open = false;
        self.awaiting = None;
    }

    pub fn apply(&mut self, result: Result<Option<RowDetail>, String>) {
        match result {
            Ok(Some(detail)) => self.detail = Some(detail),
            Ok(None) => self.missing = true,
            Err(e) => self.error = Some(e),
        }
    }

    pub fn on_action(&mut self, action: Action) {
        self.scroll = match action {
            Action::MoveDown => self.scroll.saturating_add(1),
            Action::MoveUp => self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll.saturating_add(10),
            Action::PageUp => self.scroll.saturating_sub(10),
            Action::Top => 0,
            Action::Bottom => u16::MAX / 2,
            _ => self.scroll,
        };
    }

    fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        if let Some(e) = &self.error {
            return vec![Line::from(Span::styled(e.clone(), theme.error()))];
        }
        if self.missing {
            return vec![Line::from(Span::styled(
                "this row no longer exists (purged or restored by someone else?)",
                theme.warning(),
            ))];
        }
        let Some(detail) = &self.detail else {
            return vec![Line::from(Span::styled("loading…", theme.muted()))];
        };
        let width = detail.columns.iter().map(|(c, _)| c.name.chars().count()).max().unwrap_or(0);
        let mut lines = Vec::new();
        if !detail.trashed {
            lines.push(Line::from(Span::styled("this row is live now (restored?)", theme.warning())));
        }
        for (column, cell) in &detail.columns {
            let label = Span::styled(format!("{:>width$} ", column.name), theme.header());
            let (first, rest): (Span<'static>, Vec<String>) = match cell {
                Cell::Null => (Span::styled("NULL", theme.null()), Vec::new()),
                Cell::Binary { bytes } => (
                    Span::styled(format!("<binary, {}>", human_bytes(*bytes)), theme.muted()),
                    Vec::new(),
                ),
                Cell::Text(t) => split_text(t),
                Cell::Truncated { text, total_chars } => {
                    let (first, mut rest) = split_text(text);
                    rest.push(format!("… ({} characters in all; the first {} are shown)", thousands(*total_chars as i64), thousands(text.chars().count() as i64)));
                    (first, rest)
                }
            };
            lines.push(Line::from(vec![label, first]));
            let indent = " ".repeat(width + 1);
            for more in rest {
                lines.push(Line::from(format!("{indent}{more}")));
            }
        }
        lines
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, focused: bool) {
        let block = Block::bordered()
            .border_set(theme.border_set())
            .border_style(theme.border(focused))
            .title(format!(" {} ", self.title));
        let lines = self.lines(theme);
        let max_scroll = (lines.len() as u16).saturating_sub(1);
        let paragraph = Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((self.scroll.min(max_scroll), 0));
        frame.render_widget(paragraph, area);
    }
}

/// Splits multi-line text into its first line and the rest, with control characters
/// (other than the line breaks) made visible.
fn split_text(text: &str) -> (Span<'static>, Vec<String>) {
    let mut lines = text.split('\n').map(|l| {
        l.chars()
            .map(|c| if c == '\t' { ' ' } else if c.is_control() { '�' } else { c })
            .collect::<String>()
    });
    let first = lines.next().unwrap_or_default();
    (Span::raw(first), lines.collect())
}
