//! The tables pane: every soft-deleting table with its trash counts.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row, Table, TableState};

use crate::engine::catalog::{Catalog, TableInfo};
use crate::engine::sql::TableName;
use crate::engine::trash::TableStats;
use crate::tui::action::Action;
use crate::tui::format::{age, fit, thousands};
use crate::tui::theme::Theme;

#[derive(Debug, Clone)]
pub struct TableEntry {
    pub info: TableInfo,
    pub stats: Option<Result<TableStats, String>>,
}

#[derive(Debug, Default)]
pub struct TablesPane {
    pub entries: Vec<TableEntry>,
    pub selected: usize,
    /// Whether the "expired" column (rows past retention) fits: only on wide terminals,
    /// so that on narrower ones the related pane keeps its place beside the records.
    pub show_expired: bool,
}

/// Terminal width from which the tables pane shows rows past retention.
pub const EXPIRED_FROM_WIDTH: u16 = 200;

impl TablesPane {
    /// Replaces the list, keeping the selection on the same table if it still exists.
    pub fn set_catalog(&mut self, catalog: &Catalog) {
        let keep = self.selected_table().map(|e| e.info.name.clone());
        self.entries = catalog
            .soft_delete_tables()
            .map(|t| TableEntry {
                info: t.clone(),
                stats: None,
            })
            .collect();
        self.selected = keep
            .and_then(|name| self.entries.iter().position(|e| e.info.name == name))
            .unwrap_or(0);
    }

    pub fn set_stats(&mut self, table: &TableName, stats: Result<TableStats, String>) {
        if let Some(entry) = self.entries.iter_mut().find(|e| &e.info.name == table) {
            entry.stats = Some(stats);
        }
    }

    pub fn selected_table(&self) -> Option<&TableEntry> {
        self.entries.get(self.selected)
    }

    /// Moves the selection; returns true if it changed.
    pub fn on_action(&mut self, action: Action) -> bool {
        let last = self.entries.len().saturating_sub(1);
        let before = self.selected;
        self.selected = match action {
            Action::MoveDown => (self.selected + 1).min(last),
            Action::MoveUp => self.selected.saturating_sub(1),
            Action::PageDown => (self.selected + 10).min(last),
            Action::PageUp => self.selected.saturating_sub(10),
            Action::Top => 0,
            Action::Bottom => last,
            _ => self.selected,
        };
        before != self.selected
    }

    /// The count columns with their gaps.
    fn counts_width(&self) -> usize {
        if self.show_expired {
            9 + 9 + 6 + 9 + 4
        } else {
            9 + 6 + 9 + 3
        }
    }

    /// Wide enough for the longest table name next to the count columns.
    pub fn preferred_width(&self) -> u16 {
        let longest = self
            .entries
            .iter()
            .map(|e| e.info.name.display().chars().count() + 5)
            .max()
            .unwrap_or(10);
        (longest + 2 + self.counts_width()) as u16
    }

    /// `loading`: the catalog is still on its way, so an empty list means "not yet".
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, focused: bool, loading: bool) {
        // Rows past retention, summed, in the title: seen at any width, while the
        // per-table column needs a wide terminal.
        let expired: i64 = self
            .entries
            .iter()
            .filter_map(|e| e.stats.as_ref()?.as_ref().ok()?.past_retention)
            .sum();
        let title = if expired > 0 && !self.show_expired {
            format!(
                " Trash bins ({}){}{} past retention ",
                self.entries.len(),
                theme.dot(),
                thousands(expired)
            )
        } else {
            format!(" Trash bins ({}) ", self.entries.len())
        };
        let block = theme.pane(title, focused);
        let name_width = area
            .width
            .saturating_sub(2 + self.counts_width() as u16)
            .max(6) as usize;
        let rows = self.entries.iter().map(|e| {
            let name = e.info.name.display();
            // Cut the name, never the read-only marker.
            let name = if e.info.read_only_reason().is_some() {
                let room = name_width.saturating_sub(5);
                format!("{} (ro)", fit(&name, room, theme.ellipsis()))
            } else {
                fit(&name, name_width, theme.ellipsis())
            };
            let (trashed, expired, oldest, live) = match &e.stats {
                None => (
                    theme.ellipsis().to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                ),
                Some(Err(_)) => (
                    "error".to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                ),
                Some(Ok(s)) => (
                    thousands(s.trashed),
                    s.past_retention.map(thousands).unwrap_or_default(),
                    s.oldest_age_seconds.map(age).unwrap_or_default(),
                    s.live_estimate
                        .map(|n| format!("~{}", thousands(n)))
                        .unwrap_or_default(),
                ),
            };
            let mut cells = vec![Cell::from(name), Cell::from(trashed)];
            if self.show_expired {
                cells.push(Cell::from(expired));
            }
            cells.extend([Cell::from(oldest), Cell::from(live)]);
            Row::new(cells)
        });
        // "expired": trashed longer ago than the table's retention (its own, else the
        // default), which a purge plan starts from.
        let mut titles = vec!["table", "trashed"];
        let mut widths = vec![Constraint::Min(6), Constraint::Length(9)];
        if self.show_expired {
            titles.push("expired");
            widths.push(Constraint::Length(9));
        }
        titles.extend(["oldest", "live"]);
        widths.extend([Constraint::Length(6), Constraint::Length(9)]);
        let header = Row::new(titles).style(theme.header());
        let table = Table::new(rows, widths)
            .header(header)
            .block(block)
            .row_highlight_style(theme.selected());
        let mut state = TableState::default().with_selected(Some(self.selected));
        if self.entries.is_empty() {
            let empty = Table::new(
                [Row::new(vec![Cell::from(Span::styled(
                    if loading {
                        format!("loading{}", theme.ellipsis())
                    } else {
                        "no soft-delete tables".to_string()
                    },
                    theme.muted(),
                ))])],
                [Constraint::Min(1)],
            )
            .block(theme.pane(" Trash bins ", focused));
            frame.render_widget(empty, area);
            return;
        }
        frame.render_stateful_widget(table, area, &mut state);
    }
}
