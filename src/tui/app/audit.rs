//! The coordinator's part in the audit view: opening it reads the newest page, scrolling
//! to the end reads the next (keyset on the last entry), Enter shows one entry.

use super::App;
use crate::engine::EngineError;
use crate::engine::history::{AuditQuery, AuditRecord};
use crate::tui::action::Action;
use crate::tui::panes::audit::{AuditView, PAGE};
use crate::worker::{Request, Slot};

impl App {
    /// `a`: the view, from the newest entry.
    pub(super) fn open_audit(&mut self) {
        self.audit = Some(AuditView::default());
        self.read_audit(None);
    }

    fn read_audit(&mut self, before: Option<(String, i64)>) {
        let generation = self.next_generation();
        let mut search = None;
        if let Some(view) = &mut self.audit {
            view.awaiting = Some((generation, before.is_none()));
            search = Some(view.search.clone()).filter(|s| !s.trim().is_empty());
        }
        self.worker.send(Request::Audit {
            generation,
            query: AuditQuery {
                before,
                search,
                limit: PAGE,
                ..AuditQuery::default()
            },
        });
    }

    /// The search line's text, while it is being typed.
    pub(super) fn audit_search_input(&mut self) -> Option<&mut tui_input::Input> {
        self.audit.as_mut().and_then(|v| v.editing.as_mut())
    }

    pub(super) fn on_audit_action(&mut self, action: Action) {
        let Some(view) = &mut self.audit else {
            return;
        };
        match action {
            Action::StartFilter if view.detail.is_none() => {
                view.editing = Some(tui_input::Input::new(view.search.clone()));
            }
            Action::ApplyFilter => {
                if let Some(input) = view.editing.take() {
                    view.search = input.value().trim().to_owned();
                    view.selected = 0;
                    self.read_audit(None);
                }
            }
            Action::CancelFilter => view.editing = None,
            Action::CloseDialog if view.detail.is_some() => view.detail = None,
            Action::CloseDialog => {
                self.audit = None;
                self.worker.send(Request::Cancel(Slot::Audit));
            }
            Action::Open if view.detail.is_none() && view.selected_entry().is_some() => {
                view.detail = Some(0);
            }
            Action::Refresh if view.detail.is_none() => self.read_audit(None),
            Action::MoveDown
            | Action::MoveUp
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom => {
                // Reaching the last entry reads the page after it.
                let at_the_end = view.on_move(action);
                let cursor = view.entries.last().map(AuditRecord::cursor);
                if at_the_end {
                    self.read_audit(cursor);
                }
            }
            Action::Quit => self.quit(),
            Action::ToggleHelp => {
                self.help_open = true;
                self.help_scroll = 0;
            }
            _ => {}
        }
    }

    pub(super) fn on_audit_page(
        &mut self,
        generation: u64,
        result: Result<Vec<AuditRecord>, EngineError>,
    ) {
        if let Some(view) = &mut self.audit {
            view.apply_page(generation, result.map_err(|e| e.message));
        }
    }
}
