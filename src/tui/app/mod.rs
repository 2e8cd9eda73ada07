//! The coordinator: routes actions to the focused pane, turns pane wishes into worker
//! requests, and drops answers whose generation is stale. Panes hold their own state.

use std::sync::Arc;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

mod audit;
mod changes;
mod orphans;
mod purges;

use super::action::Action;
use super::keymap::{self, Context};
use super::panes::audit::AuditView;
use super::panes::change::ChangeDialog;
use super::panes::detail::DetailPane;
use super::panes::explain::ExplainView;
use super::panes::help;
use super::panes::monitor::MonitorPane;
use super::panes::orphans::OrphansView;
use super::panes::purge_plan::PurgeDialog;
use super::panes::records::{Landing, RecordsPane};
use super::panes::related::RelatedPane;
use super::panes::status::StatusBar;
use super::panes::tables::TablesPane;
use super::theme::Theme;
use crate::engine::catalog::Catalog;
use crate::engine::change::Applied;
use crate::engine::purge::JobSummary;
use crate::engine::trash::PageQuery;
use crate::worker::link::LinkState;
use crate::worker::{Request, Response, Slot, WorkerHandle};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tables,
    Records,
    Related,
    Detail,
    Monitor,
}

pub struct App {
    pub tables: TablesPane,
    pub records: RecordsPane,
    pub detail: DetailPane,
    pub related: RelatedPane,
    /// The restore / undo dialog, while open.
    pub change: Option<ChangeDialog>,
    /// The last change written in this session, which `U` can undo.
    last_applied: Option<Applied>,
    /// The purge plan dialog, while open.
    pub purge: Option<PurgeDialog>,
    pub monitor: MonitorPane,
    /// The orphans view, while open.
    pub orphans: Option<OrphansView>,
    /// The audit view, while open.
    pub audit: Option<AuditView>,
    /// Purges a dead console left running, waiting for resume or abandon.
    pub interrupted: Vec<JobSummary>,
    jobs_awaiting: Option<u64>,
    /// The cutoff a purge plan starts from when tables set no retention.
    pub default_retention_days: u32,
    /// `q` was pressed once while a purge runs; the next one quits.
    quit_armed: bool,
    pub status: StatusBar,
    pub focus: Focus,
    pub help_open: bool,
    /// How tables were recognised, while open.
    explain: Option<ExplainView>,
    help_scroll: u16,
    pub theme: Theme,
    pub should_quit: bool,
    pub tick: u64,
    worker: WorkerHandle,
    /// Kept for the related pane's purge summary (children-first order, FK actions).
    catalog: Option<Arc<Catalog>>,
    generation: u64,
    catalog_awaiting: Option<u64>,
    stats_awaiting: Option<u64>,
    /// Rows visible in the records pane at the last draw, for page-sized moves.
    visible_rows: usize,
}

impl App {
    pub fn new(worker: WorkerHandle, status: StatusBar, theme: Theme, page_size: u32) -> Self {
        Self {
            tables: TablesPane::default(),
            records: RecordsPane::new(page_size),
            detail: DetailPane::default(),
            related: RelatedPane::default(),
            change: None,
            last_applied: None,
            purge: None,
            monitor: MonitorPane::default(),
            orphans: None,
            audit: None,
            interrupted: Vec::new(),
            jobs_awaiting: None,
            default_retention_days: 30,
            quit_armed: false,
            status,
            focus: Focus::Tables,
            help_open: false,
            explain: None,
            help_scroll: 0,
            theme,
            should_quit: false,
            tick: 0,
            worker,
            catalog: None,
            generation: 0,
            catalog_awaiting: None,
            stats_awaiting: None,
            visible_rows: 10,
        }
    }

    fn next_generation(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    pub fn start(&mut self) {
        let generation = self.next_generation();
        self.catalog_awaiting = Some(generation);
        self.worker.send(Request::LoadCatalog { generation });
    }

    pub fn is_busy(&self) -> bool {
        self.catalog_awaiting.is_some()
            || self.stats_awaiting.is_some()
            || self.records.awaiting.is_some()
            || self.detail.awaiting.is_some()
            || self.related.awaiting.is_some()
            || self.change.as_ref().is_some_and(|c| c.awaiting.is_some())
            || self.purge.as_ref().is_some_and(|p| p.awaiting.is_some())
            || self.audit.as_ref().is_some_and(|a| a.awaiting.is_some())
            || self.orphans.as_ref().is_some_and(|o| {
                o.awaiting.is_some() || o.listing.as_ref().is_some_and(|l| l.awaiting.is_some())
            })
    }

    fn context(&self) -> Context {
        if self.help_open {
            Context::Help
        } else if let Some(dialog) = &self.change {
            dialog.context()
        } else if let Some(dialog) = &self.purge {
            dialog.context()
        } else if self.explain.is_some() {
            Context::Explain
        } else if self.orphans.is_some() {
            Context::Orphans
        } else if let Some(view) = &self.audit {
            if view.editing.is_some() {
                Context::AuditSearch
            } else {
                Context::Audit
            }
        } else if !self.interrupted.is_empty() {
            Context::Interrupted
        } else if self.records.editing.is_some() {
            Context::FilterInput
        } else {
            match self.focus {
                Focus::Tables => Context::Tables,
                Focus::Records => Context::Records,
                Focus::Related => Context::Related,
                Focus::Detail => Context::Detail,
                Focus::Monitor => Context::Monitor,
            }
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        let context = self.context();
        match keymap::lookup(context, &key) {
            Some(action) => self.on_action(action),
            None if context == Context::PurgeInput => {
                if let Some(input) = self.purge.as_mut().and_then(PurgeDialog::input) {
                    tui_input::backend::crossterm::EventHandler::handle_event(
                        input,
                        &crossterm::event::Event::Key(key),
                    );
                }
            }
            None if context == Context::ChangeReason => {
                if let Some(dialog) = self.change.as_mut() {
                    tui_input::backend::crossterm::EventHandler::handle_event(
                        &mut dialog.reason,
                        &crossterm::event::Event::Key(key),
                    );
                }
            }
            None if context == Context::AuditSearch => {
                if let Some(input) = self.audit_search_input() {
                    tui_input::backend::crossterm::EventHandler::handle_event(
                        input,
                        &crossterm::event::Event::Key(key),
                    );
                }
            }
            None if context == Context::FilterInput => {
                if let Some(input) = self.records.editing.as_mut() {
                    tui_input::backend::crossterm::EventHandler::handle_event(
                        input,
                        &crossterm::event::Event::Key(key),
                    );
                }
            }
            None => {}
        }
    }

    pub fn on_action(&mut self, action: Action) {
        self.status.last_error = None;
        if action != Action::Quit {
            self.quit_armed = false;
        }
        if self.change.is_some() && !self.help_open {
            self.on_change_action(action);
            return;
        }
        if self.purge.is_some() && !self.help_open {
            self.on_purge_dialog_action(action);
            return;
        }
        if self.explain.is_some() && !self.help_open {
            self.on_explain_action(action);
            return;
        }
        if self.orphans.is_some() && !self.help_open {
            self.on_orphans_action(action);
            return;
        }
        if self.audit.is_some() && !self.help_open {
            self.on_audit_action(action);
            return;
        }
        if !self.interrupted.is_empty() && !self.help_open {
            self.on_interrupted_action(action);
            return;
        }
        if self.focus == Focus::Monitor && !self.help_open && self.on_monitor_action(action) {
            return;
        }
        match action {
            Action::Restore => self.open_restore(),
            Action::OpenPurge => self.open_purge(),
            Action::Trash => self.open_trash(),
            Action::ToggleLive => {
                if let Some(query) = self.records.toggle_live() {
                    self.detail.close();
                    self.focus = Focus::Records;
                    self.load_page(Some((query, Landing::Top)));
                    self.sync_related();
                }
            }
            Action::Undo => self.open_undo(),
            Action::OpenOrphans => self.open_orphans(),
            Action::OpenAudit => self.open_audit(),
            Action::OpenExplain => self.explain = Some(ExplainView::default()),
            // Dialog actions arrive only while the dialog is open.
            Action::Confirm
            | Action::CloseDialog
            | Action::ToggleGroup
            | Action::ToggleAncestors
            | Action::ToggleLeaveBlocked
            | Action::CycleScope
            | Action::TogglePurgeLive
            | Action::TogglePurgeYoung
            | Action::IgnoreAge
            | Action::ToggleIgnoreImplied
            | Action::OlderThanMore
            | Action::OlderThanLess
            | Action::PauseResumeJob
            | Action::CancelJob
            | Action::BatchBigger
            | Action::BatchSmaller
            | Action::SleepLonger
            | Action::SleepShorter
            | Action::ResumeJob
            | Action::AbandonJob
            | Action::ExplainAll => {}
            Action::Quit => self.quit(),
            Action::ToggleHelp => {
                self.help_open = !self.help_open;
                self.help_scroll = 0;
            }
            Action::MoveDown if self.help_open => {
                self.help_scroll = self.help_scroll.saturating_add(1);
            }
            Action::MoveUp if self.help_open => {
                self.help_scroll = self.help_scroll.saturating_sub(1);
            }
            Action::FocusNext => self.focus = self.cycle(1),
            Action::FocusPrev => self.focus = self.cycle(-1),
            Action::Refresh => {
                self.detail.close();
                self.related.invalidate();
                self.start();
            }
            Action::ToggleMark | Action::MarkRange | Action::ClearMarks => {
                match action {
                    Action::ToggleMark => self.records.toggle_mark(),
                    Action::MarkRange => self.records.mark_range(),
                    _ => self.records.clear_marks(),
                }
                self.sync_related();
            }
            Action::CountExactly => {
                if let Some((table, keys)) = self.related.recount() {
                    self.request_related(table, keys, true);
                }
            }
            Action::StartFilter => {
                if self.records.table.is_some() {
                    self.focus = Focus::Records;
                    self.records.start_filter();
                }
            }
            Action::ApplyFilter | Action::CancelFilter => {
                let load = self.records.finish_filter(action == Action::ApplyFilter);
                self.load_page(load);
            }
            Action::Open => self.open(),
            Action::Back => self.back(),
            movement => match self.focus {
                Focus::Tables => {
                    if self.tables.on_action(movement) {
                        self.show_selected_table();
                    }
                }
                Focus::Records => {
                    let load = self.records.on_action(movement, self.visible_rows);
                    self.load_page(load);
                    self.sync_related();
                }
                Focus::Related => self.related.on_action(movement),
                Focus::Detail => self.detail.on_action(movement),
                Focus::Monitor => {}
            },
        }
    }

    /// Quits, but not past a running purge without a second `q`: leaving mid-batch
    /// rolls the batch back and leaves the job interrupted (resumable next time).
    fn quit(&mut self) {
        if self.monitor.is_running() && !self.quit_armed {
            self.quit_armed = true;
            self.status.last_error = Some(
                "a purge is running: x in the monitor cancels it cleanly; q again quits and \
                 leaves it interrupted (resumable)"
                    .into(),
            );
            return;
        }
        self.should_quit = true;
    }

    fn cycle(&self, step: i32) -> Focus {
        let mut order = vec![Focus::Tables, Focus::Records, Focus::Related];
        if self.detail.open {
            order.push(Focus::Detail);
        }
        if self.monitor.progress.is_some() {
            order.push(Focus::Monitor);
        }
        let pos = order.iter().position(|f| *f == self.focus).unwrap_or(0) as i32;
        order[(pos + step).rem_euclid(order.len() as i32) as usize]
    }

    fn open(&mut self) {
        match self.focus {
            Focus::Tables => {
                if self.records.table.is_some() {
                    self.focus = Focus::Records;
                }
            }
            Focus::Records | Focus::Related | Focus::Detail => self.open_detail(),
            Focus::Monitor => {}
        }
    }

    fn back(&mut self) {
        match self.focus {
            Focus::Detail => {
                self.detail.close();
                self.focus = Focus::Records;
            }
            Focus::Related | Focus::Monitor => self.focus = Focus::Records,
            Focus::Records if self.detail.open => self.detail.close(),
            Focus::Records => {
                let load = self.records.clear_filter();
                if load.is_some() {
                    self.load_page(load);
                } else {
                    self.focus = Focus::Tables;
                }
            }
            Focus::Tables => {}
        }
    }

    fn show_selected_table(&mut self) {
        let Some(entry) = self.tables.selected_table() else {
            return;
        };
        let query = self.records.show_table(entry.info.clone());
        self.detail.close();
        self.load_page(Some((query, Landing::Top)));
        self.sync_related();
    }

    /// Points the related pane at the marked rows, else the selected row, and asks for
    /// counts unless a cached report already answers. Only the newest request matters:
    /// the worker stops the previous one (on the server too) before starting it.
    fn sync_related(&mut self) {
        let selection = self.records.table.as_ref().and_then(|table| {
            if !self.records.marked.is_empty() {
                let mut keys = self.records.marked.clone();
                keys.sort();
                Some((table.name.clone(), keys))
            } else {
                self.records
                    .selected_row()
                    .map(|row| (table.name.clone(), vec![row.key.clone()]))
            }
        });
        match self.related.select(selection) {
            Some(true) => {
                if let Some((table, keys)) = self.related.selection.clone() {
                    self.request_related(table, keys, false);
                }
            }
            // Nothing to count, or counted before: stop whatever is still running.
            Some(false) => self.worker.send(Request::Cancel(Slot::Related)),
            None => {}
        }
    }

    fn request_related(
        &mut self,
        table: crate::engine::sql::TableName,
        keys: Vec<Vec<String>>,
        exact: bool,
    ) {
        let generation = self.next_generation();
        self.related.awaiting = Some(generation);
        self.worker.send(Request::Related {
            generation,
            table,
            keys,
            exact,
        });
    }

    fn load_page(&mut self, load: Option<(PageQuery, Landing)>) {
        let Some((query, landing)) = load else { return };
        let Some(table) = self.records.table.as_ref().map(|t| t.name.clone()) else {
            return;
        };
        let generation = self.next_generation();
        self.records.awaiting = Some((generation, landing));
        self.worker.send(Request::Page {
            generation,
            table,
            query,
        });
    }

    fn open_detail(&mut self) {
        let (Some(table), Some(row)) = (self.records.table.as_ref(), self.records.selected_row())
        else {
            return;
        };
        let title = format!("{} {}", table.name, row.key.join(","));
        let request_table = table.name.clone();
        let key = row.key.clone();
        let generation = self.next_generation();
        self.detail.open(title);
        self.detail.awaiting = Some(generation);
        self.focus = Focus::Detail;
        self.worker.send(Request::Detail {
            generation,
            table: request_table,
            key,
        });
    }

    pub fn on_response(&mut self, response: Response) {
        match response {
            Response::Catalog { generation, result }
                if self.catalog_awaiting == Some(generation) =>
            {
                self.catalog_awaiting = None;
                match result {
                    Ok(catalog) => self.apply_catalog(&catalog),
                    Err(e) => self.status.last_error = Some(e),
                }
            }
            Response::Stats {
                generation,
                table,
                result,
            } if self.stats_awaiting == Some(generation) => {
                if let Err(e) = &result {
                    self.status.last_error = Some(e.message.clone());
                }
                self.tables.set_stats(&table, result.map_err(|e| e.message));
            }
            Response::StatsDone { generation } if self.stats_awaiting == Some(generation) => {
                self.stats_awaiting = None;
            }
            Response::Page {
                generation, result, ..
            } if self
                .records
                .awaiting
                .is_some_and(|(awaited, _)| awaited == generation) =>
            {
                let landing = self
                    .records
                    .awaiting
                    .take()
                    .map_or(Landing::Keep, |(_, l)| l);
                match result {
                    Ok(page) => self.records.apply_page(page, landing),
                    Err(e) => self.records.error = Some(e.message),
                }
                self.sync_related();
            }
            Response::Related {
                generation,
                result,
                settled,
            } if self.related.awaiting == Some(generation) => {
                let catalog = self.catalog.as_deref();
                self.related
                    .apply(result.map_err(|e| e.message), settled, catalog);
            }
            Response::ChangePreview { generation, result } => {
                self.on_change_preview(generation, result);
            }
            Response::ChangeApplied { generation, result } => {
                self.on_change_applied(generation, result);
            }
            Response::Purge(purge) => self.on_purge_response(purge),
            Response::Orphans { generation, result } => {
                self.on_orphans_scanned(generation, result);
            }
            Response::OrphanSamples {
                generation, result, ..
            } => self.on_orphan_samples(generation, result),
            Response::Audit { generation, result } => self.on_audit_page(generation, result),
            Response::SoftOrphanParents { generation, result } => {
                self.on_soft_orphan_parents(generation, result);
            }
            Response::Link(state) => self.on_link(state),
            Response::Detail { generation, result } if self.detail.awaiting == Some(generation) => {
                self.detail.awaiting = None;
                self.detail.apply(result.map_err(|e| e.message));
            }
            _ => {}
        }
    }

    /// The link lost: said in the status bar until it is back; then everything shown is
    /// read again, since whatever failed meanwhile left its pane with an error.
    fn on_link(&mut self, state: LinkState) {
        match state {
            LinkState::Lost {
                why,
                attempt,
                next_in,
            } => {
                self.status.link = Some(format!(
                    "connection lost, reconnecting (try {attempt} in {:.1} s): {why}",
                    next_in.as_secs_f64()
                ));
            }
            LinkState::Back { after } => {
                self.status.link = None;
                self.status.last_error = None;
                self.status.notice =
                    Some(format!("reconnected after {} s", after.as_secs().max(1)));
                self.detail.close();
                self.related.invalidate();
                self.start();
            }
        }
    }

    fn apply_catalog(&mut self, catalog: &Arc<Catalog>) {
        self.catalog = Some(catalog.clone());
        self.tables.set_catalog(catalog);
        if let Some(w) = catalog.warnings.first() {
            self.status.notice = Some(format!(
                "{w} ({} warning(s) in all)",
                catalog.warnings.len()
            ));
        }
        if self.tables.entries.is_empty() {
            self.status.notice = Some(
                "no soft-delete tables found (see assets/config.example.toml to declare one)"
                    .into(),
            );
        }
        let generation = self.next_generation();
        self.stats_awaiting = Some(generation);
        self.worker.send(Request::Stats { generation });
        self.show_selected_table();
        if !self.status.read_only {
            self.request_jobs();
        }
    }

    /// Stops work the operator no longer waits for (on quit).
    pub fn cancel_all(&self) {
        for slot in [
            Slot::Catalog,
            Slot::Stats,
            Slot::Page,
            Slot::Detail,
            Slot::Related,
            Slot::ChangePreview,
            Slot::ChangeWrite,
            Slot::PurgePlan,
            Slot::Orphans,
            Slot::OrphanSamples,
            Slot::Audit,
        ] {
            self.worker.send(Request::Cancel(slot));
        }
    }

    /// Whether the terminal takes UTF-8 (else what is drawn goes out as ASCII).
    pub fn unicode(&self) -> bool {
        self.theme.unicode
    }

    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            draw_too_small(frame, area);
            return;
        }
        let [main, status] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
        self.tables.show_expired = main.width >= super::panes::tables::EXPIRED_FROM_WIDTH;
        let tables_width = self
            .tables
            .preferred_width()
            .clamp(30, (main.width / 2).max(30));
        let [left, right] =
            Layout::horizontal([Constraint::Length(tables_width), Constraint::Min(1)]).areas(main);
        // A purge's monitor takes the bottom of the right side while there is one to show.
        let right = if self.monitor.progress.is_some() {
            // Half the height at most, however small the terminal has been made.
            let most = right.height / 2;
            let rows = (self.monitor.progress.as_ref().map_or(0, |p| p.tables.len()) as u16
                + super::panes::monitor::FIXED_LINES)
                .max(9)
                .min(most);
            let [top, bottom] =
                Layout::vertical([Constraint::Min(1), Constraint::Length(rows)]).areas(right);
            self.monitor
                .draw(frame, bottom, &self.theme, self.focus == Focus::Monitor);
            top
        } else {
            right
        };
        self.tables.draw(
            frame,
            left,
            &self.theme,
            self.focus == Focus::Tables,
            self.catalog_awaiting.is_some(),
        );
        let records_area = if self.detail.open {
            let [top, bottom] =
                Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)])
                    .areas(right);
            self.detail
                .draw(frame, bottom, &self.theme, self.focus == Focus::Detail);
            top
        } else {
            right
        };
        // The related pane sits beside the records when there is room, else below them.
        let [records_area, related_area] = if records_area.width >= 110 {
            let related_width = (records_area.width / 2).clamp(56, 96);
            Layout::horizontal([Constraint::Min(40), Constraint::Length(related_width)])
                .areas(records_area)
        } else {
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(records_area)
        };
        // Borders, header and footer take four lines.
        self.visible_rows = records_area.height.saturating_sub(4) as usize;
        self.records.draw(
            frame,
            records_area,
            &self.theme,
            self.focus == Focus::Records,
        );
        self.related.draw(
            frame,
            related_area,
            &self.theme,
            self.focus == Focus::Related,
        );
        self.status
            .draw(frame, status, &self.theme, self.is_busy(), self.tick);
        // The views first: a dialog opened from one (a purge of orphans) lies on top.
        if let Some(view) = &self.audit {
            view.draw(frame, main, &self.theme, self.tick);
        }
        if let Some(view) = &self.orphans {
            view.draw(frame, main, &self.theme, self.tick);
        }
        if let Some(view) = &self.explain {
            view.draw(frame, main, &self.theme, self.catalog.as_deref());
        }
        if let Some(dialog) = &self.change {
            dialog.draw(frame, main, &self.theme);
        }
        if let Some(dialog) = &self.purge {
            dialog.draw(frame, main, &self.theme);
        }
        if let Some(job) = self.interrupted.first() {
            draw_interrupted(frame, main, &self.theme, job, self.interrupted.len());
        }
        if self.help_open {
            help::draw(frame, main, &self.theme, self.help_scroll);
        }
    }
}

impl App {
    fn on_explain_action(&mut self, action: Action) {
        let Some(view) = self.explain.as_mut() else {
            return;
        };
        match action {
            Action::CloseDialog => self.explain = None,
            Action::MoveDown => view.scroll_by(1),
            Action::MoveUp => view.scroll_by(-1),
            Action::PageDown => view.scroll_by(20),
            Action::PageUp => view.scroll_by(-20),
            Action::ExplainAll => {
                view.all = !view.all;
                view.scroll = 0;
            }
            Action::ToggleHelp => self.help_open = true,
            _ => {}
        }
    }
}

/// The prompt about a purge a dead console left running.
fn draw_interrupted(frame: &mut Frame, area: Rect, theme: &Theme, job: &JobSummary, all: usize) {
    let width = area.width.saturating_sub(8).clamp(20, 90);
    let popup = crate::tui::panes::popup(area, width, 9);
    let text = vec![
        Line::from(format!(
            "Job {} ({}) stopped at {} of {} rows: its console went away.",
            job.id, job.scope, job.deleted_rows, job.total_rows
        )),
        Line::from(format!(
            "Started by {} at {}, cutoff {}.",
            job.os_user,
            job.created_at.chars().take(19).collect::<String>(),
            job.cutoff
        )),
        Line::default(),
        Line::styled(
            "r: resume where it stopped   a: abandon (deleted rows stay deleted)   Esc: later",
            theme.header(),
        ),
    ];
    frame.render_widget(ratatui::widgets::Clear, popup);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .block(theme.pane(format!(" {all} interrupted purge(s) "), true)),
        popup,
    );
}

fn draw_too_small(frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::from("Terminal too small"),
        Line::from(format!(
            "{}x{}: please enlarge to {MIN_WIDTH}x{MIN_HEIGHT}",
            area.width, area.height
        )),
        Line::from("q quits"),
    ];
    frame.render_widget(
        Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}
