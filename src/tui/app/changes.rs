//! The coordinator's part in restores and undo: opening the dialog, asking the worker
//! for previews and writes, and refreshing what a write changed.

use super::App;
use crate::engine::EngineError;
use crate::engine::change::{Applied, ApplyError, ChangeKind, ChangePreview};
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::panes::change::{ChangeDialog, Stage};
use crate::worker::{Request, Slot};

impl ChangeDialog {
    /// The keymap context the dialog is in.
    pub fn context(&self) -> Context {
        match self.stage {
            Stage::Reason => Context::ChangeReason,
            _ => Context::Change,
        }
    }
}

impl App {
    /// `r`: the restore preview for the marked rows, else the selected one.
    pub(super) fn open_restore(&mut self) {
        if self.records.live {
            self.status.last_error = Some("these rows are live; L shows the trash".into());
            return;
        }
        if let Some((table, keys)) = self.change_selection() {
            self.change = Some(ChangeDialog::restore(table, keys));
            self.request_change_preview();
        }
    }

    /// `d`: the move-to-trash preview for the marked live rows, else the selected one.
    pub(super) fn open_trash(&mut self) {
        if !self.records.live {
            self.status.last_error =
                Some("d moves live rows to trash; L shows this table's live rows".into());
            return;
        }
        if let Some((table, keys)) = self.change_selection() {
            self.change = Some(ChangeDialog::trash(table, keys));
            self.request_change_preview();
        }
    }

    /// The rows a change starts from: the marked ones, else the selected one.
    fn change_selection(&mut self) -> Option<(crate::engine::sql::TableName, Vec<Vec<String>>)> {
        if self.status.read_only {
            self.status.last_error = Some("read-only session: changes are turned off".into());
            return None;
        }
        let table = self.records.table.as_ref()?;
        if let Some(reason) = table.read_only_reason() {
            self.status.last_error = Some(format!("{}: {reason}", table.name.display()));
            return None;
        }
        let keys = if self.records.marked.is_empty() {
            vec![self.records.selected_row()?.key.clone()]
        } else {
            let mut keys = self.records.marked.clone();
            keys.sort();
            keys
        };
        Some((table.name.clone(), keys))
    }

    /// `U`: the last change of the session, reversed; previewed like any other change.
    pub(super) fn open_undo(&mut self) {
        if self.status.read_only {
            self.status.last_error = Some("read-only session: changes are turned off".into());
            return;
        }
        match &self.last_applied {
            Some(applied) => self.change = Some(ChangeDialog::undo(applied.undo())),
            None => self.status.last_error = Some("nothing to undo in this session".into()),
        }
    }

    pub(super) fn request_change_preview(&mut self) {
        let generation = self.next_generation();
        let Some(dialog) = self.change.as_mut() else {
            return;
        };
        dialog.awaiting = Some(generation);
        dialog.stage = Stage::Loading;
        self.worker.send(Request::PreviewChange {
            generation,
            kind: dialog.kind,
            table: dialog.table.clone(),
            keys: dialog.keys.clone(),
            choices: dialog.choices,
        });
    }

    pub(super) fn on_change_action(&mut self, action: Action) {
        let Some(dialog) = self.change.as_mut() else {
            return;
        };
        match (action, &dialog.stage) {
            (Action::MoveDown, _) => dialog.scroll = dialog.scroll.saturating_add(1),
            (Action::MoveUp, _) => dialog.scroll = dialog.scroll.saturating_sub(1),
            (Action::Confirm, Stage::Preview) if dialog.can_apply() => {
                dialog.stage = Stage::Reason;
            }
            (Action::Confirm, Stage::Reason) => {
                let Some(preview) = dialog.preview.as_ref() else {
                    return;
                };
                let change = Box::new(preview.change.clone());
                let reason = dialog.reason_text();
                dialog.stage = Stage::Applying;
                let generation = self.next_generation();
                if let Some(dialog) = self.change.as_mut() {
                    dialog.awaiting = Some(generation);
                }
                self.worker.send(Request::ApplyChange {
                    generation,
                    change,
                    reason,
                });
            }
            (Action::Confirm | Action::CloseDialog, Stage::Done(_)) => self.change = None,
            (Action::CloseDialog, Stage::Reason) => dialog.stage = Stage::Preview,
            (Action::CloseDialog, Stage::Applying) => {
                // Cancelling a write rolls it back on the server; the answer still comes
                // and says what happened.
                self.worker.send(Request::Cancel(Slot::ChangeWrite));
            }
            (Action::CloseDialog, _) => {
                self.worker.send(Request::Cancel(Slot::ChangePreview));
                self.change = None;
            }
            (Action::ToggleIgnoreImplied, Stage::Preview | Stage::Loading)
                if dialog.kind == ChangeKind::Trash && !dialog.undo && dialog.preset.is_none() =>
            {
                dialog.choices.ignore_implied = !dialog.choices.ignore_implied;
                self.request_change_preview();
            }
            (
                Action::ToggleGroup | Action::ToggleAncestors | Action::ToggleLeaveBlocked,
                Stage::Preview | Stage::Loading,
            ) if !dialog.undo && dialog.preset.is_none() => {
                let choices = &mut dialog.choices;
                match action {
                    Action::ToggleGroup => choices.with_group = !choices.with_group,
                    Action::ToggleAncestors => {
                        choices.with_ancestors = !choices.with_ancestors;
                        choices.leave_blocked &= !choices.with_ancestors;
                    }
                    _ => {
                        choices.leave_blocked = !choices.leave_blocked;
                        choices.with_ancestors &= !choices.leave_blocked;
                    }
                }
                self.request_change_preview();
            }
            _ => {}
        }
    }

    pub(super) fn on_change_preview(
        &mut self,
        generation: u64,
        result: Result<ChangePreview, EngineError>,
    ) {
        if let Some(dialog) = self.change.as_mut()
            && dialog.awaiting == Some(generation)
        {
            dialog.apply_preview(result.map_err(|e| e.message));
        }
    }

    pub(super) fn on_change_applied(
        &mut self,
        generation: u64,
        result: Result<Applied, ApplyError>,
    ) {
        // A write's outcome always matters, even if the dialog moved on: the data did
        // (or did not) change.
        match self.change.as_mut() {
            Some(dialog) if dialog.awaiting == Some(generation) => {
                dialog.awaiting = None;
                dialog.applied(&result);
            }
            _ => {
                if let Err(e) = &result {
                    self.status.last_error = Some(e.describe());
                }
            }
        }
        if let Ok(applied) = result {
            let was_undo = applied.change.undo;
            self.last_applied = (!was_undo).then_some(applied);
            self.after_write();
        }
    }

    /// Shows what a write changed: the page reloads, trash counts refresh, and cached
    /// related counts are dropped.
    pub(super) fn after_write(&mut self) {
        self.related.invalidate();
        self.records.clear_marks();
        let reload = self.records.on_action(Action::Refresh, self.visible_rows);
        self.load_page(reload);
        let generation = self.next_generation();
        self.stats_awaiting = Some(generation);
        self.worker.send(Request::Stats { generation });
    }
}
