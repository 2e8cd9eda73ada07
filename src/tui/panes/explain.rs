//! How each table was recognised: detection's verdicts and what they rest on (the same
//! as `trashcan tables --explain`), drawn from the catalog the console already holds, so
//! an operator can check what was taken for trash, and what was not, before a purge.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::engine::catalog::{Catalog, TableInfo, Verdict};
use crate::tui::theme::Theme;

/// The overlay's state: where it is scrolled, and whether it lists every table.
#[derive(Debug, Default)]
pub struct ExplainView {
    pub scroll: u16,
    pub all: bool,
    /// The last line drawn, so scrolling stops at the end of the text.
    last_line: std::cell::Cell<u16>,
}

impl ExplainView {
    pub fn scroll_by(&mut self, lines: i16) {
        self.scroll = self
            .scroll
            .saturating_add_signed(lines)
            .min(self.last_line.get());
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, catalog: Option<&Catalog>) {
        let width = area.width.saturating_sub(4).clamp(20, 120);
        let height = area.height.saturating_sub(2).max(5);
        let popup = crate::tui::panes::popup(area, width, height);
        frame.render_widget(Clear, popup);
        let lines = match catalog {
            Some(catalog) => lines(catalog, self.all, theme),
            None => vec![Line::styled("the catalog is loading…", theme.muted())],
        };
        let last_line = u16::try_from(lines.len().saturating_sub(1)).unwrap_or(u16::MAX);
        self.last_line.set(last_line);
        let title = if self.all {
            " How tables were recognised · every table (a: only candidates) · Esc closes "
        } else {
            " How tables were recognised (a: every table) · Esc closes "
        };
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((self.scroll.min(last_line), 0))
                .block(theme.pane(title, true)),
            popup,
        );
    }
}

/// Each shown table: its name and verdict, then what the verdict rests on, the columns
/// that looked like markers and were not taken, and a suggested time column.
pub fn lines(catalog: &Catalog, all: bool, theme: &Theme) -> Vec<Line<'static>> {
    let shown: Vec<&TableInfo> = catalog
        .tables
        .iter()
        .filter(|t| all || t.detection.verdict != Verdict::None)
        .collect();
    let mut lines = Vec::new();
    for table in &shown {
        let d = &table.detection;
        lines.push(Line::from(vec![
            Span::styled(table.name.display(), theme.header()),
            Span::raw("  "),
            Span::styled(d.verdict.label(), verdict_style(d.verdict, theme)),
        ]));
        for because in d.because.iter().filter(|b| !b.is_empty()) {
            lines.push(Line::raw(format!("  {because}")));
        }
        for (column, why) in &d.near_misses {
            lines.push(Line::styled(
                format!("  near miss {column}: {why}"),
                theme.muted(),
            ));
        }
    }
    let hidden = catalog.tables.len() - shown.len();
    if hidden > 0 {
        lines.push(Line::default());
        lines.push(Line::styled(
            format!("{hidden} more table(s) have no column named like a deletion marker"),
            theme.muted(),
        ));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "Override a verdict in the config, [tables.NAME]: column = \"…\", ignore = true, \
         include = true, time_column = \"…\"",
        theme.muted(),
    ));
    lines
}

fn verdict_style(verdict: Verdict, theme: &Theme) -> Style {
    match verdict {
        Verdict::Convention | Verdict::Configured => theme.accent(),
        Verdict::NearMiss | Verdict::History => theme.warning(),
        Verdict::Ignored | Verdict::None => theme.muted(),
    }
}
