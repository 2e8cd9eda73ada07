//! The records pane: one table's trashed rows, a page at a time, newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use tui_input::Input;

use crate::engine::catalog::TableInfo;
use crate::engine::filter::Filter;
use crate::engine::trash::{Anchor, Page, PageQuery, TrashRow};
use crate::tui::action::Action;
use crate::tui::format::{age, fit};
use crate::tui::theme::Theme;

/// Where the selection lands once a requested page arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landing {
    Top,
    Bottom,
    Keep,
}

#[derive(Debug)]
pub struct RecordsPane {
    pub table: Option<TableInfo>,
    pub page: Page,
    pub selected: usize,
    pub newest_first: bool,
    /// Showing the table's live rows rather than its trash.
    pub live: bool,
    pub filter_text: String,
    pub filter: Filter,
    /// The filter line while it is being edited.
    pub editing: Option<Input>,
    pub awaiting: Option<(u64, Landing)>,
    pub error: Option<String>,
    pub page_size: u32,
    /// Keys of marked rows, in marking order; they outlive page moves and filters.
    pub marked: Vec<Vec<String>>,
    /// The last row marked with Space, where a range mark starts.
    mark_anchor: Option<Vec<String>>,
}

impl RecordsPane {
    pub fn new(page_size: u32) -> Self {
        Self {
            table: None,
            page: Page::default(),
            selected: 0,
            newest_first: true,
            live: false,
            filter_text: String::new(),
            filter: Filter::default(),
            editing: None,
            awaiting: None,
            error: None,
            page_size,
            marked: Vec::new(),
            mark_anchor: None,
        }
    }

    pub fn is_marked(&self, key: &[String]) -> bool {
        self.marked.iter().any(|k| k == key)
    }

    /// Marks or unmarks the selected row and moves down, so Space Space marks two rows.
    pub fn toggle_mark(&mut self) {
        let Some(key) = self.selected_row().map(|r| r.key.clone()) else {
            return;
        };
        if let Some(pos) = self.marked.iter().position(|k| *k == key) {
            self.marked.remove(pos);
        } else {
            self.marked.push(key.clone());
            self.mark_anchor = Some(key);
        }
        self.selected = (self.selected + 1).min(self.page.rows.len().saturating_sub(1));
    }

    /// Marks every row on this page between the anchor (or the selection) and the
    /// selected row.
    pub fn mark_range(&mut self) {
        let anchor = self
            .mark_anchor
            .as_ref()
            .and_then(|a| self.page.rows.iter().position(|r| r.key == *a))
            .unwrap_or(self.selected);
        let (from, to) = (anchor.min(self.selected), anchor.max(self.selected));
        let keys: Vec<Vec<String>> = self
            .page
            .rows
            .iter()
            .skip(from)
            .take(to + 1 - from)
            .map(|r| r.key.clone())
            .collect();
        for key in keys {
            if !self.is_marked(&key) {
                self.marked.push(key);
            }
        }
    }

    pub fn clear_marks(&mut self) {
        self.marked.clear();
        self.mark_anchor = None;
    }

    /// Switches to a table; returns the first page to load.
    pub fn show_table(&mut self, table: TableInfo) -> PageQuery {
        let same = self.table.as_ref().is_some_and(|t| t.name == table.name);
        self.table = Some(table);
        if !same {
            self.live = false;
        }
        self.reset_unless(same)
    }

    /// Switches between the table's trash and its live rows; returns the first page.
    pub fn toggle_live(&mut self) -> Option<PageQuery> {
        self.table.as_ref()?;
        self.live = !self.live;
        Some(self.reset_unless(false))
    }

    fn reset_unless(&mut self, same: bool) -> PageQuery {
        if !same {
            self.page = Page::default();
            self.selected = 0;
            self.clear_marks();
            self.filter_text.clear();
            self.filter = Filter::default();
        }
        self.error = None;
        self.query(Anchor::First)
    }

    fn query(&self, anchor: Anchor) -> PageQuery {
        PageQuery {
            anchor,
            filter: self.filter.clone(),
            newest_first: self.newest_first,
            limit: self.page_size,
            live: self.live,
        }
    }

    pub fn selected_row(&self) -> Option<&TrashRow> {
        self.page.rows.get(self.selected)
    }

    /// Applies a movement; returns a page to load when it crosses the page's edge.
    pub fn on_action(
        &mut self,
        action: Action,
        visible_rows: usize,
    ) -> Option<(PageQuery, Landing)> {
        self.table.as_ref()?;
        let len = self.page.rows.len();
        let last = len.saturating_sub(1);
        let step = visible_rows.max(1);
        let first_cursor = self.page.rows.first().map(|r| r.cursor.clone());
        let last_cursor = self.page.rows.last().map(|r| r.cursor.clone());
        match action {
            Action::MoveDown | Action::PageDown => {
                let want = self.selected + if action == Action::MoveDown { 1 } else { step };
                if want > last && self.page.more_after {
                    return last_cursor.map(|c| (self.query(Anchor::After(c)), Landing::Top));
                }
                self.selected = want.min(last);
            }
            Action::MoveUp | Action::PageUp => {
                let delta = if action == Action::MoveUp { 1 } else { step };
                if self.selected < delta && self.page.more_before {
                    return first_cursor.map(|c| (self.query(Anchor::Before(c)), Landing::Bottom));
                }
                self.selected = self.selected.saturating_sub(delta);
            }
            Action::Top => return Some((self.query(Anchor::First), Landing::Top)),
            Action::Bottom => return Some((self.query(Anchor::Last), Landing::Bottom)),
            Action::ToggleSort => {
                self.newest_first = !self.newest_first;
                return Some((self.query(Anchor::First), Landing::Top));
            }
            Action::Refresh => return Some((self.query(Anchor::First), Landing::Top)),
            _ => {}
        }
        None
    }

    pub fn start_filter(&mut self) {
        self.editing = Some(Input::new(self.filter_text.clone()));
    }

    /// Ends editing; on apply, returns the reload (or sets an error for a bad filter).
    pub fn finish_filter(&mut self, apply: bool) -> Option<(PageQuery, Landing)> {
        let input = self.editing.take()?;
        if !apply {
            return None;
        }
        match Filter::parse(input.value()) {
            Ok(filter) => {
                self.filter_text = input.value().to_owned();
                self.filter = filter;
                self.error = None;
                Some((self.query(Anchor::First), Landing::Top))
            }
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }

    pub fn clear_filter(&mut self) -> Option<(PageQuery, Landing)> {
        if self.filter.is_empty() {
            return None;
        }
        self.filter_text.clear();
        self.filter = Filter::default();
        Some((self.query(Anchor::First), Landing::Top))
    }

    pub fn apply_page(&mut self, page: Page, landing: Landing) {
        self.selected = match landing {
            Landing::Top => 0,
            Landing::Bottom => page.rows.len().saturating_sub(1),
            Landing::Keep => self.selected.min(page.rows.len().saturating_sub(1)),
        };
        self.page = page;
        self.error = None;
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, focused: bool) {
        let title = match &self.table {
            Some(t) => {
                let order = if self.newest_first {
                    "newest first"
                } else {
                    "oldest first"
                };
                let filter = if self.filter.is_empty() {
                    String::new()
                } else {
                    format!("{}filter: {}", theme.dot(), self.filter_text)
                };
                let what = if self.live {
                    "Live rows"
                } else {
                    "Trashed rows"
                };
                format!(" {what}: {}{}{order}{filter} ", t.name, theme.dot())
            }
            None => " Trashed rows ".into(),
        };
        let block = theme.pane(title, focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [body, footer] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        self.draw_footer(frame, footer, theme);
        let Some(table) = &self.table else {
            frame.render_widget(
                Paragraph::new(Span::styled("select a table", theme.muted())),
                body,
            );
            return;
        };
        if self.page.rows.is_empty() {
            let loading = format!("loading{}", theme.ellipsis());
            let text = if self.awaiting.is_some() {
                loading.as_str()
            } else if self.live && self.filter.is_empty() {
                "no live rows"
            } else if self.live {
                "no live rows match the filter"
            } else if self.filter.is_empty() {
                "nothing in this trash bin"
            } else {
                "no trashed rows match the filter"
            };
            frame.render_widget(Paragraph::new(Span::styled(text, theme.muted())), body);
            return;
        }
        let show_by = table
            .soft_delete
            .as_ref()
            .is_some_and(|sd| sd.deleted_by.is_some());
        let mut header = vec![key_header(table), "trashed".to_string()];
        let mut widths = vec![
            Constraint::Length(
                // A key is what the operator acts on: never cut while the pane can hold
                // it beside the age (a uuid is 36 characters).
                (key_width(&self.page) + if self.marked.is_empty() { 0 } else { 2 })
                    .min(usize::from(area.width.saturating_sub(12)))
                    .max(2) as u16,
            ),
            Constraint::Length(8),
        ];
        if show_by {
            header.push("by".into());
            widths.push(Constraint::Length(10));
        }
        for c in &table.display_columns {
            header.push(c.clone());
            widths.push(Constraint::Fill(1));
        }
        let mark = if theme.unicode { "● " } else { "* " };
        let rows = self.page.rows.iter().map(|r| {
            let marked = self.is_marked(&r.key);
            let key = if self.marked.is_empty() {
                r.key.join(",")
            } else if marked {
                format!("{mark}{}", r.key.join(","))
            } else {
                format!("  {}", r.key.join(","))
            };
            let mut cells = vec![
                Cell::from(key),
                Cell::from(match r.age_seconds {
                    Some(s) => format!("{} ago", age(s)),
                    None if self.live => "live".into(),
                    None => "?".into(),
                }),
            ];
            if show_by {
                cells.push(match &r.deleted_by {
                    Some(by) => Cell::from(fit(by, 10, theme.ellipsis())),
                    None => Cell::from(Span::styled("-", theme.muted())),
                });
            }
            for value in &r.summary {
                let style = if matches!(value, crate::engine::expr::Cell::Null) {
                    theme.null()
                } else {
                    Default::default()
                };
                cells.push(Cell::from(Span::styled(value.inline(), style)));
            }
            if marked {
                Row::new(cells).style(theme.accent())
            } else {
                Row::new(cells)
            }
        });
        let widget = Table::new(rows, widths)
            .header(Row::new(header).style(theme.header()))
            .row_highlight_style(theme.selected());
        let mut state = TableState::default().with_selected(Some(self.selected));
        frame.render_stateful_widget(widget, body, &mut state);
    }

    fn draw_footer(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let line = if let Some(input) = &self.editing {
            let width = area.width.saturating_sub(9) as usize;
            let scroll = input.visual_scroll(width);
            let value: String = input.value().chars().skip(scroll).collect();
            frame.set_cursor_position((
                area.x + 8 + (input.visual_cursor().saturating_sub(scroll)) as u16,
                area.y,
            ));
            Line::from(vec![
                Span::styled("filter: ", theme.accent()),
                Span::raw(value),
            ])
        } else if let Some(err) = &self.error {
            Line::from(Span::styled(err.clone(), theme.error()))
        } else if self.table.is_some() {
            let count = self.page.rows.len();
            let mut parts = vec![if self.awaiting.is_some() {
                format!("loading{}", theme.ellipsis())
            } else if count == 1 {
                "1 row on this page".to_string()
            } else {
                format!("{count} rows on this page")
            }];
            if !self.marked.is_empty() {
                parts.push(format!("{} marked", self.marked.len()));
            }
            if self.page.more_before {
                parts.push("more above".into());
            }
            if self.page.more_after {
                parts.push("more below".into());
            }
            Line::from(Span::styled(parts.join(theme.dot()), theme.muted()))
        } else {
            Line::default()
        };
        frame.render_widget(Paragraph::new(line), area);
    }
}

fn key_header(table: &TableInfo) -> String {
    if table.primary_key.is_empty() {
        "row".into()
    } else {
        table.primary_key.join(",")
    }
}

fn key_width(page: &Page) -> usize {
    page.rows
        .iter()
        .map(|r| r.key.join(",").chars().count())
        .max()
        .unwrap_or(2)
        .max(2)
}
