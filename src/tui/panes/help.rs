//! The help overlay, generated from the keymap: one column, or two side by side when the
//! terminal is wide enough, scrolled with j/k when it is still too tall.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::tui::keymap;
use crate::tui::theme::Theme;

/// Width of one column of bindings.
const COLUMN: u16 = 58;
/// Width of the keys within a column.
const KEYS: usize = 16;

pub fn draw(frame: &mut Frame, area: Rect, theme: &Theme, scroll: u16) {
    let sections: Vec<Vec<Line<'static>>> = keymap::help_sections()
        .into_iter()
        .map(|(title, bindings)| {
            let mut lines = vec![Line::from(Span::styled(title, theme.header()))];
            for (keys, help) in bindings {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys:<KEYS$}"), theme.accent()),
                    Span::raw(help),
                ]));
            }
            lines.push(Line::default());
            lines
        })
        .collect();
    let total: usize = sections.iter().map(Vec::len).sum();
    let two_columns = area.width >= 2 * COLUMN + 2 && total + 2 > area.height as usize;
    let columns: Vec<Vec<Line<'static>>> = if two_columns {
        // Whole sections, in order: the left column takes them while that keeps it the
        // taller of the two by the least.
        let mut left: Vec<Line<'static>> = Vec::new();
        let mut sections = sections.into_iter().peekable();
        while let Some(next) = sections.peek() {
            if left.len() + next.len() > total.div_ceil(2) + next.len() / 2 {
                break;
            }
            left.extend(sections.next().unwrap_or_default());
        }
        vec![left, sections.flatten().collect()]
    } else {
        vec![sections.into_iter().flatten().collect()]
    };
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0) as u16;
    let height = (tallest + 2).min(area.height);
    let width = (COLUMN * columns.len() as u16 + 2).min(area.width);
    let popup = crate::tui::panes::popup(area, width, height);
    frame.render_widget(Clear, popup);
    let block = theme.pane(" Keys (Esc closes) · j/k scroll ", true);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let parts = Layout::horizontal(vec![
        Constraint::Ratio(1, columns.len() as u32);
        columns.len()
    ])
    .split(inner);
    for (lines, part) in columns.into_iter().zip(parts.iter()) {
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((scroll, 0)),
            *part,
        );
    }
}
