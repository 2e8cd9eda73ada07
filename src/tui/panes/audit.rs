//! The audit view (`a`): the log newest first — when, who, what, which tables, how many
//! rows, the job and the reason — read a page at a time; Enter shows one entry with the
//! keys it touched.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Clear, Paragraph, Row, Table, TableState, Wrap};

use crate::engine::expr::sanitize_line;
use crate::engine::history::AuditRecord;
use crate::tui::action::Action;
use crate::tui::format::{count, fit};
use crate::tui::theme::Theme;

/// Entries read per page.
pub const PAGE: u32 = 200;
/// Keys listed per table in an entry's detail.
const KEYS_SHOWN: usize = 50;

#[derive(Debug, Default)]
pub struct AuditView {
    /// The page in flight, by generation, and whether it starts the list afresh.
    pub awaiting: Option<(u64, bool)>,
    pub entries: Vec<AuditRecord>,
    pub error: Option<String>,
    /// The last page read was full: older entries may follow.
    pub more: bool,
    pub selected: usize,
    /// The entry shown in full, with its scroll offset.
    pub detail: Option<u16>,
    /// The search applied to the pages read (a bound value, never SQL).
    pub search: String,
    /// The search line while it is being typed.
    pub editing: Option<tui_input::Input>,
}

impl AuditView {
    pub fn selected_entry(&self) -> Option<&AuditRecord> {
        self.entries.get(self.selected)
    }

    /// Moves the selection (or scrolls the detail); returns true when the selection
    /// reached the last entry while older ones may follow.
    pub fn on_move(&mut self, action: Action) -> bool {
        if let Some(scroll) = &mut self.detail {
            *scroll = match action {
                Action::MoveDown => scroll.saturating_add(1),
                Action::MoveUp => scroll.saturating_sub(1),
                _ => *scroll,
            };
            return false;
        }
        let last = self.entries.len().saturating_sub(1);
        self.selected = match action {
            Action::MoveDown => (self.selected + 1).min(last),
            Action::MoveUp => self.selected.saturating_sub(1),
            Action::PageDown => (self.selected + 20).min(last),
            Action::PageUp => self.selected.saturating_sub(20),
            Action::Top => 0,
            Action::Bottom => last,
            _ => self.selected,
        };
        self.more && self.awaiting.is_none() && self.selected == last
    }

    /// Adds the page awaited under `generation` (a first page replaces whatever was
    /// shown); an answer to an older request is dropped.
    pub fn apply_page(&mut self, generation: u64, page: Result<Vec<AuditRecord>, String>) {
        let Some((awaited, first)) = self.awaiting else {
            return;
        };
        if awaited != generation {
            return;
        }
        self.awaiting = None;
        match page {
            Ok(entries) => {
                self.more = entries.len() as u32 >= PAGE;
                if first {
                    self.entries = entries;
                    self.selected = 0;
                } else {
                    self.entries.extend(entries);
                }
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, tick: u64) {
        let width = area.width.saturating_sub(4).clamp(20, 140);
        let height = area.height.saturating_sub(2).max(5);
        let popup = crate::tui::panes::popup(area, width, height);
        frame.render_widget(Clear, popup);
        let title = match (self.detail, self.selected_entry()) {
            (Some(_), Some(e)) => format!(" Audit entry {} ", e.id),
            _ => " Audit log, newest first ".to_owned(),
        };
        let block = theme.pane(title, true);
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let [body, footer] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        match &self.editing {
            Some(input) => {
                let line = Line::from(vec![
                    Span::styled("search: ", theme.header()),
                    Span::raw(input.value().to_owned()),
                    Span::styled("  (Enter applies, Esc cancels)", theme.muted()),
                ]);
                frame.render_widget(Paragraph::new(line), footer);
                let x = footer.x + 8 + input.visual_cursor() as u16;
                frame.set_cursor_position((x.min(footer.right().saturating_sub(1)), footer.y));
            }
            None => {
                let keys = if self.detail.is_some() {
                    "j/k scroll · Esc back to the log"
                } else {
                    "Enter show an entry and its keys · / search · r reload · Esc close"
                };
                frame.render_widget(Paragraph::new(Span::styled(keys, theme.muted())), footer);
            }
        }
        match (self.detail, self.selected_entry()) {
            (Some(scroll), Some(entry)) => draw_entry(frame, body, theme, entry, scroll),
            _ => self.draw_list(frame, body, theme, tick),
        }
    }

    fn draw_list(&self, frame: &mut Frame, area: Rect, theme: &Theme, tick: u64) {
        let [summary, table] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let status = if let Some(e) = &self.error {
            Span::styled(format!("cannot read the log: {e}"), theme.error())
        } else if self.awaiting.is_some() {
            Span::raw(format!("{} reading the log …", theme.spinner_frame(tick)))
        } else if self.entries.is_empty() && self.search.is_empty() {
            Span::styled("no audit entries yet", theme.muted())
        } else {
            Span::raw(format!(
                "{} entries{}{}",
                self.entries.len(),
                if self.search.is_empty() {
                    String::new()
                } else {
                    format!(" matching \"{}\"", sanitize_line(&self.search))
                },
                if self.more {
                    " (older ones load as you scroll)"
                } else {
                    ""
                }
            ))
        };
        frame.render_widget(Paragraph::new(status), summary);
        let tables_width = table.width.saturating_sub(19 + 22 + 14 + 9 + 6 + 6).max(8) as usize;
        let rows: Vec<Row> = self
            .entries
            .iter()
            .map(|e| {
                Row::new(vec![
                    Cell::from(e.at.clone()),
                    Cell::from(fit(&sanitize_line(&e.who()), 21, theme.ellipsis())),
                    Cell::from(fit(&sanitize_line(&e.action), 13, theme.ellipsis())),
                    Cell::from(count(e.rows)),
                    Cell::from(e.job_id.map(|j| j.to_string()).unwrap_or_default()),
                    Cell::from(fit(
                        &sanitize_line(&format!(
                            "{}{}",
                            e.table_names,
                            e.reason
                                .as_ref()
                                .map(|r| format!(" · {r}"))
                                .unwrap_or_default()
                        )),
                        tables_width,
                        theme.ellipsis(),
                    )),
                ])
            })
            .collect();
        let widths = [
            Constraint::Length(19),
            Constraint::Length(21),
            Constraint::Length(13),
            Constraint::Length(9),
            Constraint::Length(5),
            Constraint::Min(8),
        ];
        let header = Row::new(vec![
            "when (UTC)",
            "who",
            "action",
            "rows",
            "job",
            "tables · reason",
        ])
        .style(theme.header());
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

fn draw_entry(frame: &mut Frame, area: Rect, theme: &Theme, e: &AuditRecord, scroll: u16) {
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<9}"), theme.header()),
            Span::raw(sanitize_line(&value)),
        ])
    };
    let mut lines = vec![
        field("when", format!("{} UTC", e.at)),
        field("who", e.who()),
        field(
            "role",
            Some(e.db_user.clone())
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "–".into()),
        ),
        field("action", e.action.clone()),
        field("rows", count(e.rows)),
        field(
            "job",
            e.job_id
                .map(|j| j.to_string())
                .unwrap_or_else(|| "–".into()),
        ),
        field("reason", e.reason.clone().unwrap_or_else(|| "–".into())),
    ];
    if let Some(context) = &e.context {
        lines.push(field("context", context.clone()));
    }
    lines.push(Line::default());
    if e.tables.is_empty() {
        lines.push(Line::styled("no keys recorded", theme.muted()));
    }
    for t in &e.tables {
        lines.push(Line::styled(
            sanitize_line(&format!(
                "{}: {} rows{}",
                t.table,
                count(t.rows),
                if t.key_columns.is_empty() {
                    String::new()
                } else {
                    format!(", keys ({})", t.key_columns.join(", "))
                }
            )),
            theme.header(),
        ));
        for key in t.keys.iter().take(KEYS_SHOWN) {
            lines.push(Line::from(format!("  {}", sanitize_line(&key.join(", ")))));
        }
        let hidden = (t.rows as usize).saturating_sub(t.keys.len().min(KEYS_SHOWN));
        if hidden > 0 && !t.keys.is_empty() {
            lines.push(Line::styled(
                format!("  … {} more", count(hidden as u64)),
                theme.muted(),
            ));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}
