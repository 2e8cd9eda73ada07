//! The detail pane: every column of one row. NULL looks different from the text "NULL",
//! binary shows its size, long text wraps, and invalid UTF-8 was made safe upstream.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::engine::expr::{Cell, human_bytes};
use crate::engine::trash::RowDetail;
use crate::tui::action::Action;
use crate::tui::format::{fit, thousands};
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

    /// The pane's lines, already cut to `width` display columns, so that their count is
    /// what the screen shows and scrolling reaches the end of a long value.
    fn lines(&self, theme: &Theme, width: usize) -> Vec<Line<'static>> {
        let width = width.max(1);
        let plain = |text: &str, style: Style| -> Vec<Line<'static>> {
            chop(text, width)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, style)))
                .collect()
        };
        if let Some(e) = &self.error {
            return plain(e, theme.error());
        }
        if self.missing {
            return plain(
                "this row no longer exists (purged or restored by someone else?)",
                theme.warning(),
            );
        }
        let Some(detail) = &self.detail else {
            return plain(&format!("loading{}", theme.ellipsis()), theme.muted());
        };
        let label_width = detail
            .columns
            .iter()
            .map(|(c, _)| c.name.width())
            .max()
            .unwrap_or(0)
            .min(width / 2);
        let indent = " ".repeat(label_width + 1);
        let room = width.saturating_sub(label_width + 1).max(1);
        let mut lines = Vec::new();
        if !detail.trashed {
            lines.extend(plain("this row is live now (restored?)", theme.warning()));
        }
        for (column, cell) in &detail.columns {
            let name = fit(&column.name, label_width, theme.ellipsis());
            let label = Span::styled(
                format!(
                    "{}{name} ",
                    " ".repeat(label_width.saturating_sub(name.width()))
                ),
                theme.header(),
            );
            let (style, texts): (Style, Vec<String>) = match cell {
                Cell::Null => (theme.null(), vec!["NULL".into()]),
                Cell::Binary { bytes } => (
                    theme.muted(),
                    vec![format!("<binary, {}>", human_bytes(*bytes))],
                ),
                Cell::Text(t) => (Style::default(), text_lines(t)),
                Cell::Truncated { text, total_chars } => {
                    let mut texts = text_lines(text);
                    texts.push(format!(
                        "… ({} characters in all; the first {} are shown)",
                        thousands(*total_chars as i64),
                        thousands(text.chars().count() as i64)
                    ));
                    (Style::default(), texts)
                }
            };
            let mut chunks = texts.iter().flat_map(|t| chop(t, room));
            let first = chunks.next().unwrap_or_default();
            lines.push(Line::from(vec![label, Span::styled(first, style)]));
            for more in chunks {
                lines.push(Line::from(vec![
                    Span::raw(indent.clone()),
                    Span::styled(more, style),
                ]));
            }
        }
        lines
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme, focused: bool) {
        let block = theme.pane(format!(" {} ", self.title), focused);
        let inner = block.inner(area);
        let lines = self.lines(theme, inner.width as usize);
        // Keep the scroll where the screen shows it, so a step up after `G` moves at once.
        let max_scroll = lines.len().saturating_sub(inner.height as usize);
        self.scroll = self
            .scroll
            .min(u16::try_from(max_scroll).unwrap_or(u16::MAX));
        let paragraph = Paragraph::new(lines).block(block).scroll((self.scroll, 0));
        frame.render_widget(paragraph, area);
    }
}

/// Cuts one line of text into pieces of at most `width` display columns, after a space
/// where there is one and mid-word where there is not. Spaces are kept, so the pieces
/// join back into the text. Empty text is one empty piece.
fn chop(text: &str, width: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    // Where `current` may be split: the byte offset just after its last space, and the
    // width up to there.
    let mut last_space: Option<(usize, usize)> = None;
    for ch in text.chars() {
        let w = UnicodeWidthChar::width(ch).unwrap_or(0);
        while used + w > width && !current.is_empty() {
            match last_space.take() {
                Some((at, at_width)) => {
                    let rest = current.split_off(at);
                    pieces.push(std::mem::replace(&mut current, rest));
                    used -= at_width;
                }
                None => {
                    pieces.push(std::mem::take(&mut current));
                    used = 0;
                }
            }
        }
        current.push(ch);
        used += w;
        if ch == ' ' {
            last_space = Some((current.len(), used));
        }
    }
    pieces.push(current);
    pieces
}

/// Splits multi-line text into its lines, with control characters (other than the line
/// breaks) made visible.
fn text_lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|l| {
            l.chars()
                .map(|c| {
                    if c == '\t' {
                        ' '
                    } else if c.is_control() {
                        '\u{FFFD}'
                    } else {
                        c
                    }
                })
                .collect::<String>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::chop;

    #[test]
    fn chop_breaks_after_spaces_and_inside_long_words() {
        assert_eq!(chop("", 5), vec![""]);
        assert_eq!(chop("one two three", 8), vec!["one two ", "three"]);
        assert_eq!(chop("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(chop("ab cdefghij", 4), vec!["ab ", "cdef", "ghij"]);
        assert_eq!(chop("a   b", 2), vec!["a ", "  ", "b"]);
        // Wide characters never overflow the width.
        assert_eq!(chop("日本語です", 4), vec!["日本", "語で", "す"]);
        assert_eq!(chop("a 日本", 3), vec!["a ", "日", "本"]);
        for (text, width) in [
            ("The quick brown fox jumps over the lazy dog", 7),
            ("x y", 1),
        ] {
            let pieces = chop(text, width);
            assert_eq!(pieces.concat(), text, "pieces join back into the text");
            assert!(
                pieces
                    .iter()
                    .all(|p| unicode_width::UnicodeWidthStr::width(p.as_str()) <= width)
            );
        }
    }
}
