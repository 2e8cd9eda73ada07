//! The coordinator's part in purges: the plan dialog, starting a job, steering it from
//! the monitor, and the prompt about jobs a dead console left behind.

use super::{App, Focus};
use crate::engine::purge::{JobSummary, Progress, RunOutcome, Scope, state};
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::panes::purge_plan::{PurgeDialog, PurgeStage};
use crate::worker::{PurgeAction, PurgeRequest, PurgeResponse, Request};

impl PurgeDialog {
    pub fn context(&self) -> Context {
        match self.stage {
            PurgeStage::Confirm | PurgeStage::Reason | PurgeStage::IgnoreAge => Context::PurgeInput,
            _ => Context::PurgePlan,
        }
    }

    /// The input line being typed into, if any.
    pub fn input(&mut self) -> Option<&mut tui_input::Input> {
        match self.stage {
            PurgeStage::Confirm => Some(&mut self.confirm),
            PurgeStage::Reason => Some(&mut self.reason),
            PurgeStage::IgnoreAge => Some(&mut self.ignore_age),
            _ => None,
        }
    }
}

impl App {
    /// `p`: a plan for the marked rows (or the selected one), the table, or all trash.
    pub(super) fn open_purge(&mut self) {
        if !self.may_plan_purge() {
            return;
        }
        let mut scopes = Vec::new();
        if let Some(table) = &self.records.table {
            if self.focus == Focus::Records && !self.records.live {
                let keys = if self.records.marked.is_empty() {
                    self.records
                        .selected_row()
                        .map(|r| vec![r.key.clone()])
                        .unwrap_or_default()
                } else {
                    self.records.marked.clone()
                };
                if !keys.is_empty() {
                    scopes.push(Scope::Rows {
                        table: table.name.clone(),
                        keys,
                    });
                }
            }
            scopes.push(Scope::Table(table.name.clone()));
        }
        scopes.push(Scope::All);
        self.open_purge_dialog(scopes);
    }

    /// A read-only session plans by reading only, and can look but not start.
    fn open_purge_dialog(&mut self, scopes: Vec<Scope>) {
        let mut dialog = PurgeDialog::new(scopes);
        dialog.preview_only = self.status.read_only;
        self.purge = Some(dialog);
        self.request_plan();
    }

    /// Whether a purge may be planned now; if not, says why.
    fn may_plan_purge(&mut self) -> bool {
        let why = if self.monitor.is_running() {
            "a purge is running; this console runs one at a time"
        } else {
            return true;
        };
        self.status.last_error = Some(why.into());
        false
    }

    /// A plan for one given scope (the orphans view's hard orphans of a relation).
    pub(super) fn open_purge_of(&mut self, scope: Scope) {
        if !self.may_plan_purge() {
            return;
        }
        self.open_purge_dialog(vec![scope]);
    }

    fn request_plan(&mut self) {
        let generation = self.next_generation();
        let Some(dialog) = self.purge.as_mut() else {
            return;
        };
        dialog.awaiting = Some(generation);
        dialog.plan = None;
        dialog.error = None;
        dialog.stage = PurgeStage::Loading;
        self.worker.send(Request::Purge(PurgeRequest::Plan {
            generation,
            scope: dialog.scope(),
            older_than: dialog.older_than(),
            policy: dialog.policy.clone(),
        }));
    }

    pub(super) fn on_purge_dialog_action(&mut self, action: Action) {
        let Some(dialog) = self.purge.as_mut() else {
            return;
        };
        match (action, &dialog.stage) {
            (Action::MoveDown, _) => dialog.scroll = dialog.scroll.saturating_add(1),
            (Action::MoveUp, _) => dialog.scroll = dialog.scroll.saturating_sub(1),
            (Action::TogglePurgeLive, PurgeStage::Preview | PurgeStage::Loading) => {
                dialog.policy.purge_live = !dialog.policy.purge_live;
                self.request_plan();
            }
            (Action::TogglePurgeYoung, PurgeStage::Preview | PurgeStage::Loading) => {
                dialog.policy.purge_young = !dialog.policy.purge_young;
                self.request_plan();
            }
            (Action::ToggleIgnoreImplied, PurgeStage::Preview | PurgeStage::Loading) => {
                dialog.policy.ignore_implied = !dialog.policy.ignore_implied;
                self.request_plan();
            }
            (Action::IgnoreAge, PurgeStage::Preview | PurgeStage::Loading) => {
                dialog.ignore_age = tui_input::Input::default();
                dialog.stage = PurgeStage::IgnoreAge;
            }
            (Action::Confirm, PurgeStage::IgnoreAge) => self.take_ignored_age(),
            (Action::CloseDialog, PurgeStage::IgnoreAge) => dialog.stage = PurgeStage::Preview,
            (Action::CycleScope, PurgeStage::Preview | PurgeStage::Loading) => {
                dialog.scope = (dialog.scope + 1) % dialog.scopes.len().max(1);
                self.request_plan();
            }
            (
                Action::OlderThanMore | Action::OlderThanLess,
                PurgeStage::Preview | PurgeStage::Loading,
            ) => {
                let days = dialog
                    .older_than_days
                    .unwrap_or(self.default_retention_days);
                dialog.older_than_days = Some(if action == Action::OlderThanMore {
                    days.saturating_add(1).min(36_500)
                } else {
                    days.saturating_sub(1)
                });
                self.request_plan();
            }
            (Action::Confirm, PurgeStage::Preview) if dialog.can_start() => {
                dialog.stage = PurgeStage::Confirm;
            }
            (Action::Confirm, PurgeStage::Confirm) => {
                if dialog.confirmed() {
                    dialog.stage = PurgeStage::Reason;
                } else {
                    let want = dialog.confirmation().unwrap_or_default();
                    self.status.last_error = Some(format!("type {want} exactly to confirm"));
                }
            }
            (Action::Confirm, PurgeStage::Reason) => {
                let required = dialog.plan.as_ref().is_some_and(|p| p.needs_reason);
                let reason = dialog.reason_text();
                if required && reason.is_none() {
                    self.status.last_error = Some("this many rows needs a reason".into());
                    return;
                }
                dialog.stage = PurgeStage::Starting;
                let (scope, older_than, policy) =
                    (dialog.scope(), dialog.older_than(), dialog.policy.clone());
                let generation = self.next_generation();
                if let Some(dialog) = self.purge.as_mut() {
                    dialog.awaiting = Some(generation);
                }
                self.worker.send(Request::Purge(PurgeRequest::Start {
                    generation,
                    scope,
                    older_than,
                    policy,
                    reason,
                }));
            }
            (Action::CloseDialog, PurgeStage::Confirm) => dialog.stage = PurgeStage::Preview,
            (Action::CloseDialog, PurgeStage::Reason) => dialog.stage = PurgeStage::Confirm,
            // Once the job is being written it is the monitor's to stop.
            (Action::CloseDialog, PurgeStage::Starting) => {}
            (Action::CloseDialog | Action::Confirm, PurgeStage::Done(_))
            | (Action::CloseDialog, _) => {
                // A plan still being worked out is stopped on the server too.
                self.worker
                    .send(Request::Cancel(crate::worker::Slot::PurgePlan));
                self.purge = None;
            }
            _ => {}
        }
    }

    /// The table typed to purge whatever its age: it must soft-delete without recording
    /// when (for others the cutoff applies). Nothing typed clears the list.
    fn take_ignored_age(&mut self) {
        let Some(dialog) = self.purge.as_mut() else {
            return;
        };
        let typed = dialog.ignore_age.value().trim().to_owned();
        if typed.is_empty() {
            dialog.policy.ignore_age.clear();
        } else {
            let table = self
                .catalog
                .as_deref()
                .and_then(|c| c.tables.iter().find(|t| t.name.matches(&typed)));
            let why = match table.map(|t| (t, t.soft_delete.as_ref())) {
                None => Some(format!("no table {typed}")),
                Some((t, None)) => Some(format!("{} does not soft-delete", t.name.display())),
                Some((t, Some(sd))) if sd.time.is_some() => Some(format!(
                    "{} records deletion times ({}): the cutoff applies to it",
                    t.name.display(),
                    sd.describe()
                )),
                Some((t, Some(_))) => {
                    if !dialog.policy.ignore_age.contains(&t.name) {
                        dialog.policy.ignore_age.push(t.name.clone());
                    }
                    None
                }
            };
            if let Some(why) = why {
                self.status.last_error = Some(why);
                return;
            }
        }
        dialog.stage = PurgeStage::Preview;
        self.request_plan();
    }

    pub(super) fn on_monitor_action(&mut self, action: Action) -> bool {
        let Some(job) = self.monitor.job() else {
            return false;
        };
        let control = match action {
            Action::PauseResumeJob => {
                let paused = self
                    .monitor
                    .progress
                    .as_ref()
                    .is_some_and(|p| p.state == state::PAUSED);
                if paused {
                    PurgeAction::Resume
                } else {
                    PurgeAction::Pause
                }
            }
            Action::CancelJob => PurgeAction::Cancel,
            Action::BatchBigger => PurgeAction::ScaleBatch(2.0),
            Action::BatchSmaller => PurgeAction::ScaleBatch(0.5),
            Action::SleepLonger => PurgeAction::AddSleep(50),
            Action::SleepShorter => PurgeAction::AddSleep(-50),
            _ => return false,
        };
        self.worker.send(Request::Purge(PurgeRequest::Control {
            job,
            action: control,
        }));
        true
    }

    pub(super) fn on_interrupted_action(&mut self, action: Action) {
        let Some(job) = self.interrupted.first().cloned() else {
            return;
        };
        match action {
            Action::ResumeJob => {
                self.interrupted.remove(0);
                self.watch_job(&job);
                self.worker
                    .send(Request::Purge(PurgeRequest::Resume { job: job.id }));
            }
            Action::AbandonJob => {
                self.interrupted.remove(0);
                self.worker
                    .send(Request::Purge(PurgeRequest::Abandon { job: job.id }));
            }
            Action::CloseDialog => self.interrupted.clear(),
            _ => {}
        }
    }

    /// Shows a job in the monitor before its first report arrives.
    fn watch_job(&mut self, job: &JobSummary) {
        self.monitor.update(Progress {
            job_id: job.id,
            state: state::RUNNING.into(),
            total: job.total_rows,
            deleted: job.deleted_rows,
            ..Progress::default()
        });
        self.focus = Focus::Monitor;
    }

    pub(super) fn request_jobs(&mut self) {
        let generation = self.next_generation();
        self.jobs_awaiting = Some(generation);
        self.worker
            .send(Request::Purge(PurgeRequest::ListJobs { generation }));
    }

    pub(super) fn on_purge_response(&mut self, response: PurgeResponse) {
        match response {
            PurgeResponse::Plan { generation, result } => {
                if let Some(dialog) = self.purge.as_mut()
                    && dialog.awaiting == Some(generation)
                {
                    dialog.awaiting = None;
                    match result {
                        Ok(plan) => dialog.plan = Some(plan),
                        Err(e) => dialog.error = Some(e.message),
                    }
                    dialog.stage = PurgeStage::Preview;
                }
            }
            PurgeResponse::Started { generation, result } => {
                let Some(dialog) = self.purge.as_mut() else {
                    return;
                };
                if dialog.awaiting != Some(generation) {
                    return;
                }
                dialog.awaiting = None;
                match result {
                    Ok(plan) if plan.needs_approval => {
                        let job = plan.job_id.unwrap_or_default();
                        dialog.stage = PurgeStage::Done(Ok(format!(
                            "job {job} is written and waits for a second person's approval \
                             (a supervisor runs `trashcan approve {job} --reason …`); nothing \
                             was deleted. Once approved, it starts with `trashcan jobs resume \
                             {job}`"
                        )));
                    }
                    Ok(plan) => {
                        self.purge = None;
                        // The monitor takes over; the orphans view it was started from
                        // would only hide it (and its counts are about to change).
                        self.orphans = None;
                        self.watch_job(&JobSummary {
                            id: plan.job_id.unwrap_or_default(),
                            state: state::RUNNING.into(),
                            interrupted: false,
                            scope: plan.scope.clone(),
                            created_at: String::new(),
                            os_user: String::new(),
                            cutoff: String::new(),
                            reason: None,
                            total_rows: plan.total(),
                            deleted_rows: 0,
                            last_error: None,
                            approved_by: None,
                            approval_expires: None,
                        });
                    }
                    Err(e) => {
                        dialog.stage =
                            PurgeStage::Done(Err(format!("nothing was written: {}", e.message)));
                    }
                }
            }
            PurgeResponse::Progress(progress) => {
                if self.monitor.job().is_none_or(|j| j == progress.job_id) {
                    self.monitor.update(progress);
                }
            }
            PurgeResponse::Finished { job, result } => {
                if self.monitor.job() == Some(job) {
                    self.monitor.outcome = Some(match result {
                        Ok(RunOutcome::Done { deleted, kept }) => Ok(format!(
                            "done: {deleted} rows deleted; {kept} kept (restored meanwhile or still referenced)"
                        )),
                        Ok(RunOutcome::Cancelled { deleted }) => Ok(format!(
                            "cancelled after {deleted} rows; resumable (trashcan jobs resume {job})"
                        )),
                        Err(e) => Err(format!("stopped: {e}; resumable once fixed")),
                    });
                }
                self.after_write();
            }
            PurgeResponse::Jobs { generation, result } => {
                if self.jobs_awaiting == Some(generation) {
                    self.jobs_awaiting = None;
                    if let Ok(jobs) = result {
                        self.interrupted = jobs.into_iter().filter(|j| j.interrupted).collect();
                    }
                }
            }
            PurgeResponse::Abandoned { job, result } => match result {
                Ok(()) => self.status.notice = Some(format!("purge job {job} abandoned")),
                Err(e) => self.status.last_error = Some(e.message),
            },
        }
    }
}
