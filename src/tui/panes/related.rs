//! The related pane: what depends on the selected (or marked) rows, per path, with the
//! effect a purge would have and the indexes that would make it fast. Reports are cached
//! per selection until the operator refreshes or something changes the data.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use crate::engine::catalog::Catalog;
use crate::engine::related::{Counts, PathCount, PurgeEffect, RelatedReport};
use crate::engine::sql::TableName;
use crate::tui::action::Action;
use crate::tui::format::{fit, thousands};
use crate::tui::theme::Theme;

/// The rows a report is about: a table and the keys of its selected or marked rows.
pub type Selection = (TableName, Vec<Vec<String>>);

#[derive(Debug, Default)]
pub struct RelatedPane {
    /// What the pane shows figures for, whether or not they have arrived.
    pub selection: Option<Selection>,
    pub report: Option<RelatedReport>,
    /// What purging the selection would do, worked out once per report rather than on
    /// every frame (it orders the whole graph).
    effect: Option<PurgeEffect>,
    /// The request whose answers are awaited, and whether more answers will follow.
    pub awaiting: Option<u64>,
    pub error: Option<String>,
    pub scroll: usize,
    cache: HashMap<Selection, (RelatedReport, Option<PurgeEffect>)>,
}

impl RelatedPane {
    /// Switches to `selection`: `None` when it is already shown, else whether its
    /// figures must be requested (a cached report is shown at once instead).
    pub fn select(&mut self, selection: Option<Selection>) -> Option<bool> {
        if self.selection == selection {
            return None;
        }
        self.scroll = 0;
        self.error = None;
        self.awaiting = None;
        let cached = selection.as_ref().and_then(|s| self.cache.get(s).cloned());
        (self.report, self.effect) = match cached {
            Some((report, effect)) => (Some(report), effect),
            None => (None, None),
        };
        self.selection = selection;
        Some(self.selection.is_some() && self.report.is_none())
    }

    /// Drops every cached report (after a refresh, restore or purge).
    pub fn invalidate(&mut self) {
        self.cache.clear();
        self.report = None;
        self.effect = None;
        self.selection = None;
        self.awaiting = None;
    }

    /// Forgets the current selection's report so it is counted again.
    pub fn recount(&mut self) -> Option<Selection> {
        let selection = self.selection.clone()?;
        self.cache.remove(&selection);
        Some(selection)
    }

    /// Takes an answer; `catalog` orders the purge summary's tables.
    pub fn apply(
        &mut self,
        result: Result<RelatedReport, String>,
        settled: bool,
        catalog: Option<&Catalog>,
    ) {
        if settled {
            self.awaiting = None;
        }
        match result {
            Ok(report) => {
                let for_selection = self
                    .selection
                    .as_ref()
                    .is_some_and(|(t, k)| *t == report.table && *k == report.keys);
                if !for_selection {
                    return;
                }
                let effect = catalog.map(|c| report.purge_effect(c));
                if settled && let Some(selection) = self.selection.clone() {
                    self.cache
                        .insert(selection, (report.clone(), effect.clone()));
                }
                self.report = Some(report);
                self.effect = effect;
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    pub fn on_action(&mut self, action: Action) {
        match action {
            Action::MoveDown => self.scroll = self.scroll.saturating_add(1),
            Action::MoveUp => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll = self.scroll.saturating_add(10),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::Top => self.scroll = 0,
            _ => {}
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, focused: bool) {
        let title = match &self.selection {
            Some((table, keys)) if keys.len() == 1 => {
                format!(" Related: {table} {} ", keys[0].join(","))
            }
            Some((table, keys)) => format!(" Related: {} marked {table} rows ", keys.len()),
            None => " Related ".into(),
        };
        let block = theme.pane(title, focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let Some(report) = &self.report else {
            let text = match (&self.error, &self.selection) {
                (Some(e), _) => Span::styled(e.clone(), theme.error()),
                (None, Some(_)) => {
                    Span::styled(format!("counting{}", theme.ellipsis()), theme.muted())
                }
                (None, None) => Span::styled("select a trashed row", theme.muted()),
            };
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
            return;
        };
        // Each row with its height: long path labels take two lines. The exact answer is
        // a row per table; until it lands, the quick pass's paths stand in for it.
        let mut rows: Vec<(Row, u16)> = Vec::new();
        let label_width = inner.width.saturating_sub(3 * 9 + 3) as usize;
        match &report.closure {
            Some(closure) => {
                for t in &closure.tables {
                    rows.push((
                        Row::new([
                            Cell::from(t.table.display()),
                            number_cell(&thousands(t.live as i64)),
                            number_cell(&thousands(t.trashed as i64)),
                            number_cell(&thousands(t.same_group as i64)),
                        ]),
                        1,
                    ));
                }
            }
            None => {
                for line in &report.lines {
                    rows.push(path_row(line, label_width, theme));
                }
            }
        }
        let nothing = match &report.closure {
            Some(closure) => closure.tables.is_empty(),
            None => report.lines.is_empty(),
        };
        if nothing {
            rows.push((
                Row::new([Cell::from(Span::styled(
                    "nothing depends on it",
                    theme.muted(),
                ))]),
                1,
            ));
        }
        if report.closure.is_none() && report.not_counted > 0 {
            rows.push((
                Row::new([Cell::from(Span::styled(
                    format!(
                        "{} more paths not counted (related.max_paths)",
                        report.not_counted
                    ),
                    theme.warning(),
                ))]),
                1,
            ));
        }
        let totals = report.totals();
        let mark = if totals.complete { "" } else { at_least(theme) };
        rows.push((
            Row::new([
                Cell::from("total (distinct rows)"),
                number_cell(&format!("{mark}{}", thousands(totals.live as i64))),
                number_cell(&format!("{mark}{}", thousands(totals.trashed as i64))),
                number_cell(&format!("{mark}{}", thousands(totals.same_group as i64))),
            ])
            .style(theme.header()),
            1,
        ));
        let mut text_lines = Vec::new();
        if let Some(closure) = &report.closure {
            for why in &closure.partial {
                text_lines.push(Line::from(Span::styled(
                    format!("PARTIAL: {why}"),
                    theme.warning(),
                )));
            }
            for d in &closure.detached {
                text_lines.push(Line::from(Span::styled(
                    format!(
                        "{} row(s) would be detached, not deleted ({}; not in the total)",
                        thousands(d.rows as i64),
                        d.relation
                    ),
                    theme.muted(),
                )));
            }
        }
        if let Some(why) = &report.closure_error {
            text_lines.push(Line::from(Span::styled(
                format!("PARTIAL: {why}"),
                theme.warning(),
            )));
        }
        if let Some(effect) = &self.effect {
            text_lines.extend(purge_lines(effect, theme));
        }
        if self.awaiting.is_some() {
            text_lines.push(Line::from(Span::styled(
                format!("counting exactly{}", theme.ellipsis()),
                theme.muted(),
            )));
        }
        if let Some(e) = &self.error {
            text_lines.push(Line::from(Span::styled(e.clone(), theme.error())));
        }
        for line in &report.lines {
            if let Counts::Failed(message) = &line.counts {
                text_lines.push(Line::from(Span::styled(
                    format!("{}: {message}", line.path.table),
                    theme.error(),
                )));
            }
        }
        for advice in &report.advice {
            text_lines.push(Line::from(Span::styled(
                format!("index: {}", advice.reason),
                theme.warning(),
            )));
            text_lines.push(Line::from(Span::styled(
                format!("  {}", advice.create),
                theme.accent(),
            )));
        }
        let scroll = self.scroll.min(rows.len().saturating_sub(1));
        let rows: Vec<(Row, u16)> = rows.into_iter().skip(scroll).collect();
        let table_height = (1 + rows.iter().map(|(_, h)| *h).sum::<u16>()).min(inner.height);
        let rows: Vec<Row> = rows.into_iter().map(|(r, _)| r).collect();
        let widths = [
            Constraint::Fill(1),
            Constraint::Length(9),
            Constraint::Length(9),
            Constraint::Length(9),
        ];
        let first = if report.closure.is_some() {
            "table"
        } else {
            "path (first answer)"
        };
        let header = Row::new([first, "live", "trashed", "same grp"]).style(theme.header());
        let table_area = Rect {
            height: table_height,
            ..inner
        };
        frame.render_widget(Table::new(rows, widths).header(header), table_area);
        let rest = Rect {
            y: inner.y + table_height,
            height: inner.height.saturating_sub(table_height),
            ..inner
        };
        if rest.height > 0 {
            frame.render_widget(Paragraph::new(text_lines).wrap(Wrap { trim: false }), rest);
        }
    }
}

/// Wraps a path label onto at most two lines, breaking between hops, so lines that
/// differ only in their middle hops stay distinguishable. A second line still too long
/// keeps its end (the last hop and the markers), cut at the front.
fn wrap_path(label: &str, width: usize, ellipsis: &str, arrow: &str) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    if label.width() <= width {
        return vec![label.to_owned()];
    }
    let separator = format!(" {arrow} ");
    let parts: Vec<&str> = label.split(&separator).collect();
    let mut first = parts[0].to_owned();
    let mut taken = 1;
    while taken < parts.len() {
        let longer = format!("{first}{separator}{}", parts[taken]);
        if longer.width() + separator.width() > width {
            break;
        }
        first = longer;
        taken += 1;
    }
    let (first, rest) = if taken < parts.len() {
        (
            fit(&format!("{first} {arrow}"), width, ellipsis),
            format!("  {}", parts[taken..].join(&separator)),
        )
    } else if let Some((table, path)) = label.split_once(" via ") {
        (
            fit(&format!("{table} via"), width, ellipsis),
            format!("  {path}"),
        )
    } else {
        return vec![fit(label, width, ellipsis)];
    };
    let second = if rest.width() <= width {
        rest
    } else {
        let mut tail: Vec<char> = Vec::new();
        let mut used = ellipsis.width() + 2;
        for ch in rest.chars().rev() {
            let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
            if used + w > width {
                break;
            }
            used += w;
            tail.push(ch);
        }
        format!("  {ellipsis}{}", tail.into_iter().rev().collect::<String>())
    };
    vec![first, second]
}

fn at_least(theme: &Theme) -> &'static str {
    if theme.unicode { "≥" } else { ">=" }
}

fn number_cell(text: &str) -> Cell<'static> {
    Cell::from(Line::from(text.to_owned()).right_aligned())
}

fn path_row(line: &PathCount, width: usize, theme: &Theme) -> (Row<'static>, u16) {
    let mut label = if theme.unicode {
        line.label.clone()
    } else {
        line.label.replace('→', "->")
    };
    let ge = at_least(theme);
    if line.path.on_cycle {
        label.push_str(if theme.unicode { " ↻" } else { " (cycle)" });
    }
    if line.path.detaches {
        label.push_str(" (set null)");
    }
    if line.path.cut_at_depth {
        label.push_str(" (depth limit)");
    }
    let (live, trashed, group, style) = match &line.counts {
        Counts::Exact {
            live,
            trashed,
            same_group,
        } => (
            thousands(*live as i64),
            thousands(*trashed as i64),
            thousands(*same_group as i64),
            Default::default(),
        ),
        Counts::Estimated { at_least, estimate } => {
            let shown = match estimate {
                Some(e) if e >= at_least => format!("~{}", thousands(*e as i64)),
                _ => format!("{ge}{}", thousands(*at_least as i64)),
            };
            let unknown = theme.ellipsis().to_owned();
            (unknown.clone(), shown, unknown, theme.accent())
        }
        Counts::TimedOut { at_least } => {
            label.push_str(" timed out");
            (
                "?".into(),
                format!("{ge}{}", thousands(*at_least as i64)),
                "?".into(),
                theme.warning(),
            )
        }
        Counts::NoPermission => {
            label.push_str(" no permission");
            ("-".into(), "-".into(), "-".into(), theme.muted())
        }
        Counts::Failed(_) => {
            label.push_str(" failed");
            ("-".into(), "-".into(), "-".into(), theme.error())
        }
    };
    let arrow = if theme.unicode { "→" } else { "->" };
    let lines = wrap_path(&label, width.max(8), theme.ellipsis(), arrow);
    let height = lines.len() as u16;
    let row = Row::new([
        Cell::from(lines.into_iter().map(Line::from).collect::<Vec<_>>()),
        number_cell(&live),
        number_cell(&trashed),
        number_cell(&group),
    ])
    .height(height)
    .style(style);
    (row, height)
}

fn purge_lines(effect: &PurgeEffect, theme: &Theme) -> Vec<Line<'static>> {
    let prefix = if effect.complete { "" } else { "at least " };
    let tables: Vec<String> = effect
        .deletes
        .iter()
        .map(|(t, n)| format!("{t} {}", thousands(*n as i64)))
        .collect();
    let total = effect.total();
    let mut lines = vec![Line::from(format!(
        "purge would hard-delete {prefix}{} {}: {}",
        thousands(total as i64),
        if total == 1 { "row" } else { "rows" },
        tables.join(", ")
    ))];
    let notes = [
        (
            effect.live_blocking,
            "live rows depend on it: a purge skips it unless told to sweep them too",
            theme.error(),
        ),
        (
            effect.live_cascading,
            "live rows would go with it (ON DELETE CASCADE)",
            theme.warning(),
        ),
        (
            effect.detached,
            "rows would be detached (SET NULL), not deleted",
            ratatui::style::Style::default(),
        ),
    ];
    for (count, text, style) in notes {
        if count > 0 {
            lines.push(Line::from(Span::styled(
                format!("{} {text}", thousands(count as i64)),
                style,
            )));
        }
    }
    lines
}
