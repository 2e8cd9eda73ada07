//! The coordinator's part in the orphans view: opening it starts a scan, Enter lists a
//! relation's orphans, Esc steps back; closing stops whatever still runs.

use super::App;
use crate::engine::EngineError;
use crate::engine::purge::{OrphanRelation, Scope};
use crate::engine::sql::TableName;
use crate::tui::action::Action;
use crate::tui::panes::change::ChangeDialog;
use crate::tui::panes::orphans::{Listing, OrphansView};
use crate::worker::{OrphanSamples, Request, Slot};

impl App {
    /// `o`: the view, with a fresh scan.
    pub(super) fn open_orphans(&mut self) {
        self.orphans = Some(OrphansView::default());
        self.scan_orphans();
    }

    fn scan_orphans(&mut self) {
        let generation = self.next_generation();
        if let Some(view) = &mut self.orphans {
            view.awaiting = Some(generation);
        }
        self.worker.send(Request::ScanOrphans { generation });
    }

    pub(super) fn on_orphans_action(&mut self, action: Action) {
        let Some(view) = &mut self.orphans else {
            return;
        };
        match action {
            Action::CloseDialog if view.listing.is_some() => {
                view.listing = None;
                self.worker.send(Request::Cancel(Slot::OrphanSamples));
            }
            Action::CloseDialog => {
                self.orphans = None;
                self.worker.send(Request::Cancel(Slot::Orphans));
                self.worker.send(Request::Cancel(Slot::OrphanSamples));
            }
            Action::Refresh if view.listing.is_none() => self.scan_orphans(),
            Action::Open if view.listing.is_none() => {
                let Some(relation) = view.selected_entry().map(|e| e.relation) else {
                    return;
                };
                let entry = view.selected;
                let generation = self.next_generation();
                if let Some(view) = &mut self.orphans {
                    view.listing = Some(Listing {
                        entry,
                        awaiting: Some(generation),
                        rows: None,
                        scroll: 0,
                    });
                }
                self.worker.send(Request::OrphanSamples {
                    generation,
                    relation,
                });
            }
            Action::OpenPurge if view.listing.is_none() => {
                let Some(entry) = view.selected_entry() else {
                    return;
                };
                if entry.counts.as_ref().map_or(0, |c| c.hard) == 0 {
                    self.status.last_error =
                        Some("no hard orphans along this relation to purge".into());
                    return;
                }
                let relation = entry.relation;
                let scope = self
                    .catalog
                    .as_ref()
                    .and_then(|c| c.relations.get(relation))
                    .map(|r| Scope::Orphans {
                        child: r.child.clone(),
                        relation: OrphanRelation::of(r),
                    });
                if let Some(scope) = scope {
                    self.open_purge_of(scope);
                }
            }
            // Soft orphans: bring their trashed parents back, through the restore
            // preview (the same checks, confirmation and audit as `r` on the records).
            Action::Restore if view.listing.is_none() => {
                let Some(entry) = view.selected_entry() else {
                    return;
                };
                if entry.counts.as_ref().ok().and_then(|c| c.soft).unwrap_or(0) == 0 {
                    self.status.last_error =
                        Some("no soft orphans along this relation: no parent to restore".into());
                    return;
                }
                if self.status.read_only {
                    self.status.last_error =
                        Some("read-only session: changes are turned off".into());
                    return;
                }
                let relation = entry.relation;
                let generation = self.next_generation();
                self.orphan_parents_awaiting = Some(generation);
                self.worker.send(Request::SoftOrphanParents {
                    generation,
                    relation,
                });
            }
            // Soft orphans: or move them to trash, each with its parent's deletion group.
            Action::Trash if view.listing.is_none() => {
                let Some(entry) = view.selected_entry() else {
                    return;
                };
                if entry.counts.as_ref().ok().and_then(|c| c.soft).unwrap_or(0) == 0 {
                    self.status.last_error =
                        Some("no soft orphans along this relation to move to trash".into());
                    return;
                }
                if self.status.read_only {
                    self.status.last_error =
                        Some("read-only session: changes are turned off".into());
                    return;
                }
                let (relation, table) = (entry.relation, entry.child.clone());
                let title = format!(
                    "Move the soft orphans of {} to trash with their parents",
                    entry.path
                );
                let generation = self.next_generation();
                self.change = Some(ChangeDialog::trash_with_parents(table, title, generation));
                self.worker.send(Request::TrashSoftOrphans {
                    generation,
                    relation,
                });
            }
            Action::MoveDown | Action::MoveUp => view.on_move(action),
            Action::Quit => self.quit(),
            Action::ToggleHelp => {
                self.help_open = true;
                self.help_scroll = 0;
            }
            _ => {}
        }
    }

    pub(super) fn on_orphans_scanned(
        &mut self,
        generation: u64,
        result: Result<Vec<crate::engine::orphans::RelationOrphans>, EngineError>,
    ) {
        let Some(view) = &mut self.orphans else {
            return;
        };
        if view.awaiting != Some(generation) {
            return;
        }
        view.apply_scan(result.map_err(|e| e.message));
    }

    /// The parents to restore arrived: the restore preview opens on them.
    pub(super) fn on_soft_orphan_parents(
        &mut self,
        generation: u64,
        result: Result<(TableName, Vec<Vec<String>>), EngineError>,
    ) {
        if self.orphan_parents_awaiting != Some(generation) || self.orphans.is_none() {
            return;
        }
        self.orphan_parents_awaiting = None;
        match result {
            Ok((_, keys)) if keys.is_empty() => {
                self.status.last_error = Some("no trashed parent left to restore".into());
            }
            Ok((table, keys)) => {
                self.change = Some(ChangeDialog::restore(table, keys));
                self.request_change_preview();
            }
            Err(e) => self.status.last_error = Some(e.message),
        }
    }

    pub(super) fn on_orphan_samples(
        &mut self,
        generation: u64,
        result: Result<OrphanSamples, EngineError>,
    ) {
        let Some(listing) = self.orphans.as_mut().and_then(|v| v.listing.as_mut()) else {
            return;
        };
        if listing.awaiting != Some(generation) {
            return;
        }
        listing.awaiting = None;
        listing.rows = Some(result.map_err(|e| e.message));
    }
}
