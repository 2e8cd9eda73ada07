//! The purge dialog: scope and cutoff, the plan (children-first counts, bytes, skipped
//! roots, what the database cascades, missing indexes), then the typed confirmation and
//! the reason. Nothing is written until the last Enter.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use tui_input::Input;

use crate::engine::expr::human_bytes;
use crate::engine::purge::{Policy, PurgePlan, Scope, cutoff_text};
use crate::tui::format::count;
use crate::tui::theme::Theme;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PurgeStage {
    Loading,
    Preview,
    /// Typing the row count (or the table name) to confirm.
    Confirm,
    /// Typing a table without deletion times to purge whatever its age.
    IgnoreAge,
    Reason,
    Starting,
    Done(Result<String, String>),
}

pub struct PurgeDialog {
    /// The scopes the operator can switch between, narrowest first.
    pub scopes: Vec<Scope>,
    pub scope: usize,
    /// `None`: each table's retention.
    pub older_than_days: Option<u32>,
    /// The policies for live descendants and for descendants trashed after the cutoff:
    /// purge them too (shown in red) or skip their roots (the default).
    pub policy: Policy,
    pub plan: Option<PurgePlan>,
    pub error: Option<String>,
    pub awaiting: Option<u64>,
    pub stage: PurgeStage,
    pub confirm: Input,
    pub reason: Input,
    pub ignore_age: Input,
    pub scroll: u16,
    /// A read-only session: the plan is shown, and cannot be started.
    pub preview_only: bool,
}

impl PurgeDialog {
    pub fn new(scopes: Vec<Scope>) -> Self {
        Self {
            scopes,
            scope: 0,
            older_than_days: None,
            policy: Policy::default(),
            plan: None,
            error: None,
            awaiting: None,
            stage: PurgeStage::Loading,
            confirm: Input::default(),
            reason: Input::default(),
            ignore_age: Input::default(),
            scroll: 0,
            preview_only: false,
        }
    }

    pub fn scope(&self) -> Scope {
        self.scopes.get(self.scope).cloned().unwrap_or(Scope::All)
    }

    pub fn older_than(&self) -> Option<std::time::Duration> {
        self.older_than_days
            .map(|d| std::time::Duration::from_secs(u64::from(d) * 86_400))
    }

    /// What must be typed to confirm: the table's name for a table-wide purge, else the
    /// number of rows.
    pub fn confirmation(&self) -> Option<String> {
        let plan = self.plan.as_ref()?;
        Some(match self.scope() {
            Scope::Table(table) => table.display(),
            _ => plan.total().to_string(),
        })
    }

    pub fn confirmed(&self) -> bool {
        let typed = self.confirm.value().trim().replace([',', '_'], "");
        self.confirmation().is_some_and(|want| typed == want)
    }

    pub fn reason_text(&self) -> Option<String> {
        let text = self.reason.value().trim();
        (!text.is_empty()).then(|| text.to_owned())
    }

    pub fn can_start(&self) -> bool {
        !self.preview_only && self.plan.as_ref().is_some_and(|p| p.total() > 0)
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = area.width.saturating_sub(8).clamp(20, 104);
        let height = area.height.saturating_sub(2).max(6);
        let popup = crate::tui::panes::popup(area, width, height);
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(self.lines(theme))
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0))
                .block(theme.pane(format!(" Purge {} ", self.scope().describe()), true)),
            popup,
        );
    }

    fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        let older = match self.older_than_days {
            Some(d) => format!("older than {d} days"),
            None => "older than each table's retention".into(),
        };
        lines.push(Line::from(vec![
            Span::styled("scope (s): ", theme.muted()),
            Span::raw(self.scope().describe()),
            Span::styled("   cutoff (-/+): ", theme.muted()),
            Span::raw(older),
        ]));
        self.policy_lines(theme, &mut lines);
        lines.push(Line::default());
        if let Some(error) = &self.error {
            lines.push(Line::styled(format!("cannot plan: {error}"), theme.error()));
        }
        match &self.plan {
            None if self.awaiting.is_some() => {
                lines.push(Line::styled("planning…", theme.muted()));
            }
            None => {}
            Some(plan) => plan_lines(plan, theme, &mut lines),
        }
        lines.push(Line::default());
        match &self.stage {
            PurgeStage::Loading => {}
            PurgeStage::Preview if self.can_start() => lines.push(Line::styled(
                "Enter: confirm   Esc: close (nothing is written)",
                theme.header(),
            )),
            PurgeStage::Preview if self.preview_only => lines.push(Line::styled(
                "read-only session: a preview, planned by reading only   Esc: close",
                theme.muted(),
            )),
            PurgeStage::Preview => lines.push(Line::styled("Esc: close", theme.muted())),
            PurgeStage::Confirm => {
                let want = self.confirmation().unwrap_or_default();
                lines.push(Line::from(vec![
                    Span::styled(format!("Type {want} to confirm: "), theme.error()),
                    Span::raw(self.confirm.value().to_owned()),
                    Span::styled(if theme.unicode { "▏" } else { "_" }, theme.accent()),
                ]));
                lines.push(Line::styled("Enter: go on   Esc: back", theme.muted()));
            }
            PurgeStage::IgnoreAge => {
                lines.push(Line::from(vec![
                    Span::styled(
                        "Table to purge WHATEVER ITS AGE (it records no deletion time): ",
                        theme.error(),
                    ),
                    Span::raw(self.ignore_age.value().to_owned()),
                    Span::styled(if theme.unicode { "▏" } else { "_" }, theme.accent()),
                ]));
                lines.push(Line::styled(
                    "Enter: take it (nothing typed: clear the list)   Esc: back",
                    theme.muted(),
                ));
            }
            PurgeStage::Reason => {
                let required = self.plan.as_ref().is_some_and(|p| p.needs_reason);
                let label = if required {
                    "Reason (required for this many rows): "
                } else {
                    "Reason (optional): "
                };
                lines.push(Line::from(vec![
                    Span::styled(label, theme.header()),
                    Span::raw(self.reason.value().to_owned()),
                    Span::styled(if theme.unicode { "▏" } else { "_" }, theme.accent()),
                ]));
                lines.push(Line::styled(
                    "Enter: write the job and start it   Esc: back",
                    theme.muted(),
                ));
            }
            PurgeStage::Starting => lines.push(Line::styled("writing the job…", theme.muted())),
            PurgeStage::Done(Ok(message)) => {
                lines.push(Line::styled(message.clone(), theme.accent()));
                lines.push(Line::styled("Enter or Esc: close", theme.muted()));
            }
            PurgeStage::Done(Err(message)) => {
                lines.push(Line::styled(message.clone(), theme.error()));
                lines.push(Line::styled("Enter or Esc: close", theme.muted()));
            }
        }
        lines
    }
}

impl PurgeDialog {
    /// The operator's choices, each in red when it widens what the purge deletes. The
    /// rarer two are shown only when chosen, or when the plan needs one of them.
    fn policy_lines(&self, theme: &Theme, lines: &mut Vec<Line<'static>>) {
        let choice = |on: bool, chosen: String, default: &str| {
            if on {
                Line::styled(chosen, theme.error())
            } else {
                Line::styled(default.to_owned(), theme.muted())
            }
        };
        lines.push(choice(
            self.policy.purge_live,
            "live descendants (l): PURGED TOO — live rows under the roots are hard-deleted".into(),
            "live descendants (l): their roots are skipped and listed (the default)",
        ));
        lines.push(choice(
            self.policy.purge_young,
            "young descendants (y): PURGED TOO — rows trashed after the cutoff go with their roots"
                .into(),
            "young descendants (y): roots with rows trashed after the cutoff are skipped (the default)",
        ));
        let said = |needle: &str| {
            self.error.as_deref().is_some_and(|e| e.contains(needle))
                || self
                    .plan
                    .as_ref()
                    .is_some_and(|p| p.left_out.iter().any(|l| l.why.contains(needle)))
        };
        if !self.policy.ignore_age.is_empty() || said("--ignore-age") {
            let names: Vec<String> = self.policy.ignore_age.iter().map(|t| t.display()).collect();
            lines.push(choice(
                !names.is_empty(),
                format!(
                    "age ignored (i): {} PURGED WHATEVER THE AGE",
                    names.join(", ")
                ),
                "no deletion time (i): type a table's name to purge it whatever the age",
            ));
        }
        if self.policy.ignore_implied || said("--ignore-implied") {
            lines.push(choice(
                self.policy.ignore_implied,
                "implied relations (I): IGNORED this once — rows along them may lose their parent"
                    .into(),
                "implied relations (I): refused until declared (the default); I ignores them once",
            ));
        }
    }
}

fn plan_lines(plan: &PurgePlan, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    lines.push(Line::styled(
        "Will be hard-deleted, in this order (children first)",
        theme.header(),
    ));
    if plan.tables.is_empty() {
        lines.push(Line::styled("  nothing", theme.muted()));
    }
    for table in &plan.tables {
        let cutoff = table
            .cutoff_epoch
            .map(|c| format!("  (trashed before {})", cutoff_text(c)))
            .unwrap_or_default();
        let mut spans = vec![
            Span::raw(format!(
                "  {:>12}  {}",
                count(table.rows),
                table.table_name().display()
            )),
            Span::styled(cutoff, theme.muted()),
        ];
        if table.live > 0 {
            spans.push(Span::styled(
                format!("  {} of them LIVE", count(table.live)),
                theme.error(),
            ));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(format!(
        "  {:>12}  rows in all",
        count(plan.total())
    )));
    if let Some(bytes) = plan.bytes_estimate {
        lines.push(Line::styled(
            format!("  about {} freed", human_bytes(bytes)),
            theme.muted(),
        ));
    }
    for skipped in &plan.skipped {
        let sample: Vec<String> = skipped
            .sample
            .iter()
            .map(|k| format!("({})", k.join(", ")))
            .collect();
        let because = if skipped.because.is_empty() {
            "rows hang off them that the purge keeps".to_owned()
        } else {
            skipped.because.join("; ")
        };
        lines.push(Line::styled(
            format!(
                "  skipped {} root(s) of {} ({because}): {}",
                count(skipped.rows),
                skipped.table.display(),
                sample.join(", ")
            ),
            theme.warning(),
        ));
    }
    for left in &plan.left_out {
        lines.push(Line::styled(
            format!("  left out: {}: {}", left.table.display(), left.why),
            theme.warning(),
        ));
    }
    if let Some(names) = plan.not_permitted_note() {
        lines.push(Line::styled(format!("  {names}"), theme.warning()));
    }
    for effect in &plan.effects {
        lines.push(Line::styled(
            format!(
                "  the database will {} {} row(s) along {}",
                if effect.action == "Cascade" {
                    "delete"
                } else {
                    "detach"
                },
                count(effect.rows),
                effect.relation
            ),
            theme.warning(),
        ));
    }
    for advice in &plan.advice {
        lines.push(Line::styled(
            format!("  slow without an index: {}", advice.create),
            theme.warning(),
        ));
    }
    if plan.needs_approval {
        lines.push(Line::styled(
            "  this many rows needs a second person's approval: the job will wait for it",
            theme.error(),
        ));
    }
}
