//! The orphans view (`o`): per relation, the children whose parent is gone (hard) and
//! the live children whose parent is trashed (soft), with the time each scan took;
//! Enter lists one relation's orphans.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Clear, Paragraph, Row, Table, TableState, Wrap};

use crate::engine::orphans::{OrphanRow, RelationOrphans};
use crate::tui::action::Action;
use crate::tui::format::{count, fit};
use crate::tui::theme::Theme;
use crate::worker::{OrphanSamples, SAMPLE_ROWS};

#[derive(Debug, Default)]
pub struct OrphansView {
    /// The scan in flight, by generation.
    pub awaiting: Option<u64>,
    pub scan: Option<Result<Vec<RelationOrphans>, String>>,
    pub selected: usize,
    /// The relation being listed (an index into `scan`), with its rows once they arrive.
    pub listing: Option<Listing>,
    /// The soft orphans' parents being looked up for a restore, by generation.
    pub parents_awaiting: Option<u64>,
}

#[derive(Debug)]
pub struct Listing {
    pub entry: usize,
    pub awaiting: Option<u64>,
    pub rows: Option<Result<OrphanSamples, String>>,
    pub scroll: u16,
}

impl OrphansView {
    pub fn entries(&self) -> &[RelationOrphans] {
        match &self.scan {
            Some(Ok(found)) => found,
            _ => &[],
        }
    }

    pub fn selected_entry(&self) -> Option<&RelationOrphans> {
        self.entries().get(self.selected)
    }

    pub fn on_move(&mut self, action: Action) {
        if let Some(listing) = &mut self.listing {
            listing.scroll = match action {
                Action::MoveDown => listing.scroll.saturating_add(1),
                Action::MoveUp => listing.scroll.saturating_sub(1),
                _ => listing.scroll,
            };
            return;
        }
        let last = self.entries().len().saturating_sub(1);
        self.selected = match action {
            Action::MoveDown => (self.selected + 1).min(last),
            Action::MoveUp => self.selected.saturating_sub(1),
            _ => self.selected,
        };
    }

    pub fn apply_scan(&mut self, result: Result<Vec<RelationOrphans>, String>) {
        self.awaiting = None;
        let last = result.as_ref().map_or(0, |f| f.len().saturating_sub(1));
        self.selected = self.selected.min(last);
        self.scan = Some(result);
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, tick: u64) {
        let width = area.width.saturating_sub(4).clamp(20, 110);
        let height = area.height.saturating_sub(2).max(5);
        let popup = crate::tui::panes::popup(area, width, height);
        frame.render_widget(Clear, popup);
        let title = match &self.listing {
            Some(listing) => match self.entries().get(listing.entry) {
                Some(entry) => format!(" Orphans of {} ", entry.path),
                None => " Orphans ".to_owned(),
            },
            None => " Orphans: children whose parent is gone (hard) or trashed (soft) ".into(),
        };
        let block = theme.pane(title, true);
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let [body, footer] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        let keys = if self.listing.is_some() {
            "j/k scroll · Esc back to the relations"
        } else {
            "Enter list · p purge hard orphans · R restore parents · T trash with parents · r rescan · Esc close"
        };
        frame.render_widget(Paragraph::new(Span::styled(keys, theme.muted())), footer);
        match &self.listing {
            Some(listing) => draw_listing(frame, body, theme, listing, tick),
            None => self.draw_relations(frame, body, theme, tick),
        }
    }

    fn draw_relations(&self, frame: &mut Frame, area: Rect, theme: &Theme, tick: u64) {
        let found = match &self.scan {
            None => {
                let text = format!("{} scanning every relation …", theme.spinner_frame(tick));
                frame.render_widget(Paragraph::new(text), area);
                return;
            }
            Some(Err(e)) => {
                frame.render_widget(
                    Paragraph::new(Span::styled(format!("scan failed: {e}"), theme.error()))
                        .wrap(Wrap { trim: false }),
                    area,
                );
                return;
            }
            Some(Ok(found)) => found,
        };
        let [summary, table] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let total: u64 = found.iter().map(RelationOrphans::total).sum();
        let unscanned = found.iter().filter(|r| r.counts.is_err()).count();
        let mut line = vec![Span::raw(format!(
            "{} orphans along {} relations",
            count(total),
            found.len()
        ))];
        if unscanned > 0 {
            line.push(Span::styled(
                format!(" · {unscanned} could not be scanned"),
                theme.warning(),
            ));
        }
        if self.awaiting.is_some() {
            line.push(Span::raw(format!(
                "  {} scanning again …",
                theme.spinner_frame(tick)
            )));
        }
        frame.render_widget(Paragraph::new(Line::from(line)), summary);

        let path_width = table.width.saturating_sub(34).max(10) as usize;
        let rows: Vec<Row> = found
            .iter()
            .map(|r| {
                let path = format!("{}{}", r.path, if r.declared { "" } else { " (config)" });
                match &r.counts {
                    Ok(c) => {
                        let style = if c.hard + c.soft.unwrap_or(0) > 0 {
                            theme.warning()
                        } else {
                            theme.muted()
                        };
                        Row::new(vec![
                            Cell::from(fit(&path, path_width, theme.ellipsis())),
                            Cell::from(count(c.hard)),
                            Cell::from(c.soft.map(count).unwrap_or_else(|| "–".into())),
                            Cell::from(format!("{} ms", c.took.as_millis())),
                        ])
                        .style(style)
                    }
                    // No counts to show: the reason takes the relation's line.
                    Err(why) => Row::new(vec![Cell::from(fit(
                        &format!("{path}: {why}"),
                        path_width,
                        theme.ellipsis(),
                    ))])
                    .style(theme.error()),
                }
            })
            .collect();
        let widths = [
            Constraint::Min(10),
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(10),
        ];
        let header = Row::new(vec!["relation", "hard", "soft", "took"]).style(theme.header());
        let mut state = TableState::default().with_selected(Some(self.selected));
        frame.render_stateful_widget(
            Table::new(rows, widths)
                .header(header)
                .row_highlight_style(theme.selected()),
            table,
            &mut state,
        );
    }
}

fn draw_listing(frame: &mut Frame, area: Rect, theme: &Theme, listing: &Listing, tick: u64) {
    let lines: Vec<Line> = match &listing.rows {
        None => vec![Line::from(format!(
            "{} listing …",
            theme.spinner_frame(tick)
        ))],
        Some(Err(e)) => vec![Line::styled(format!("cannot list: {e}"), theme.error())],
        Some(Ok(samples)) => {
            let mut lines = Vec::new();
            for (title, rows) in [
                ("hard: the parent key matches no row", &samples.hard),
                ("soft: live, under a trashed parent", &samples.soft),
            ] {
                lines.push(Line::styled(
                    format!("{title} ({}{})", rows.len(), more(rows)),
                    theme.header(),
                ));
                if rows.is_empty() {
                    lines.push(Line::styled("  none", theme.muted()));
                }
                for row in rows {
                    lines.push(Line::from(vec![
                        Span::raw(format!("  key {}", row.key.join(", "))),
                        Span::styled(
                            format!("  → points at {}", row.refers_to.join(", ")),
                            theme.muted(),
                        ),
                    ]));
                }
                lines.push(Line::default());
            }
            lines
        }
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((listing.scroll, 0)),
        area,
    );
}

/// Said when the list stopped at the sample size: there may be more.
fn more(rows: &[OrphanRow]) -> &'static str {
    if rows.len() as u32 >= SAMPLE_ROWS {
        " shown, maybe more"
    } else {
        ""
    }
}
