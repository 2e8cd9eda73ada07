//! The purge monitor: the job's per-table progress, rate with a sparkline, ETA, batch
//! latency and size, retries and the last error, and the keys that steer it. It keeps
//! the last report of each job, so it stays current while the operator is elsewhere.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline, Wrap};

use crate::engine::purge::Progress;
use crate::tui::format::count;
use crate::tui::theme::Theme;

/// Sparkline bars for terminals without Unicode block characters.
const ASCII_BARS: ratatui::symbols::bar::Set = ratatui::symbols::bar::Set {
    full: "#",
    seven_eighths: "#",
    three_quarters: "=",
    five_eighths: "=",
    half: "-",
    three_eighths: "-",
    one_quarter: ".",
    one_eighth: ".",
    empty: " ",
};

/// Lines the pane needs besides one per table: five of figures, two of sparkline, two
/// of border, and one for a throttle.
pub const FIXED_LINES: u16 = 10;

#[derive(Debug, Default)]
pub struct MonitorPane {
    /// The job shown, and its last report.
    pub progress: Option<Progress>,
    /// How the job ended, once it has.
    pub outcome: Option<Result<String, String>>,
}

fn clock(d: Duration) -> String {
    let s = d.as_secs();
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

impl MonitorPane {
    pub fn job(&self) -> Option<i64> {
        self.progress.as_ref().map(|p| p.job_id)
    }

    pub fn is_running(&self) -> bool {
        self.outcome.is_none() && self.progress.is_some()
    }

    pub fn update(&mut self, progress: Progress) {
        if self.job() != Some(progress.job_id) {
            self.outcome = None;
        }
        self.progress = Some(progress);
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, focused: bool) {
        let Some(p) = &self.progress else {
            return;
        };
        let title = format!(
            " Purge job {} · {} · pass {} · {} ",
            p.job_id,
            p.state,
            p.pass + 1,
            clock(p.elapsed)
        );
        let block = theme.pane(title, focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [text, spark] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(inner);
        frame.render_widget(
            Paragraph::new(self.lines(p, theme, text.width)).wrap(Wrap { trim: false }),
            text,
        );
        let history: Vec<u64> = p
            .history
            .iter()
            .rev()
            .take(spark.width as usize)
            .rev()
            .copied()
            .collect();
        let mut sparkline = Sparkline::default().data(&history).style(theme.accent());
        if !theme.unicode {
            sparkline = sparkline.bar_set(ASCII_BARS);
        }
        frame.render_widget(sparkline, spark);
    }

    fn lines(&self, p: &Progress, theme: &Theme, width: u16) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        let name_width = p
            .tables
            .iter()
            .map(|(t, ..)| t.display().chars().count())
            .max()
            .unwrap_or(5)
            .min(28);
        let bar_width = (width as usize)
            .saturating_sub(name_width + 30)
            .clamp(4, 40);
        let (full, empty) = if theme.unicode {
            ("█", "░")
        } else {
            ("#", ".")
        };
        for (table, done, total) in &p.tables {
            let filled = if *total == 0 {
                bar_width
            } else {
                ((*done as f64 / *total as f64) * bar_width as f64).round() as usize
            }
            .min(bar_width);
            let current = p.current.as_ref() == Some(table);
            let name: String = table.display().chars().take(name_width).collect();
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{name:<name_width$} "),
                    if current {
                        theme.header()
                    } else {
                        theme.muted()
                    },
                ),
                Span::styled(full.repeat(filled), theme.accent()),
                Span::styled(empty.repeat(bar_width - filled), theme.muted()),
                Span::raw(format!(" {:>9} / {}", count(*done), count(*total))),
            ]));
        }
        let percent = if p.total == 0 {
            100.0
        } else {
            p.deleted as f64 * 100.0 / p.total as f64
        };
        let eta = p.eta.map_or_else(|| "-".into(), clock);
        lines.push(Line::from(format!(
            "{} / {} rows ({percent:.1}%) · {} rows/s · ETA {eta}",
            count(p.deleted),
            count(p.total),
            count(p.rows_per_second as u64)
        )));
        let sizing = if p.tuning.adaptive {
            let arrow = if theme.unicode { "→" } else { "->" };
            format!("adaptive {arrow} {} ms", p.tuning.target.as_millis())
        } else {
            "fixed".into()
        };
        lines.push(Line::styled(
            format!(
                "batch {} ({sizing}) · sleep {} ms · latency p50 {} ms, p99 {} ms",
                count(u64::from(p.tuning.batch_size)),
                p.tuning.sleep.as_millis(),
                p.batch_p50.as_millis(),
                p.batch_p99.as_millis()
            ),
            theme.muted(),
        ));
        if let Some(why) = &p.throttled {
            lines.push(Line::styled(format!("holding off: {why}"), theme.warning()));
        }
        if let Some(what) = &p.waiting {
            lines.push(Line::styled(format!("waiting: {what}"), theme.warning()));
        }
        let errors = if p.reconnects > 0 {
            format!(
                "retries {} · reconnects {} · errors {}",
                p.retries, p.reconnects, p.errors
            )
        } else {
            format!("retries {} · errors {}", p.retries, p.errors)
        };
        match &p.last_error {
            Some(e) => lines.push(Line::styled(
                format!("{errors} · last error: {e}"),
                theme.warning(),
            )),
            None => lines.push(Line::styled(errors, theme.muted())),
        }
        match &self.outcome {
            Some(Ok(message)) => lines.push(Line::styled(message.clone(), theme.accent())),
            Some(Err(message)) => lines.push(Line::styled(message.clone(), theme.error())),
            None => lines.push(Line::styled(
                "p pause/resume · x cancel (after this batch) · +/- batch size · [/] sleep",
                theme.muted(),
            )),
        }
        lines
    }
}
