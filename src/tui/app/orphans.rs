//! The coordinator's part in the orphans view: opening it starts a scan, Enter lists a
//! relation's orphans, Esc steps back; closing stops whatever still runs.

use super::App;
use crate::engine::EngineError;
use crate::engine::orphans::{OrphanKind, RelationOrphans};
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
            Action::OpenPurge if view.listing.is_none() => self.purge_hard_orphans(),
            Action::Restore if view.listing.is_none() => self.restore_soft_orphan_parents(),
            Action::Trash if view.listing.is_none() => self.trash_soft_orphans(),
            Action::MoveDown | Action::MoveUp => view.on_move(action),
            Action::Quit => self.quit(),
            Action::ToggleHelp => {
                self.help_open = true;
                self.help_scroll = 0;
            }
            _ => {}
        }
    }

    /// `p`: the selected relation's hard orphans, through the supervised purge.
    fn purge_hard_orphans(&mut self) {
        let Some(entry) = self.orphans.as_ref().and_then(|v| v.selected_entry()) else {
            return;
        };
        if entry.count(OrphanKind::Hard) == 0 {
            self.status.last_error = Some("no hard orphans along this relation to purge".into());
            return;
        }
        let scope = self
            .catalog
            .as_ref()
            .and_then(|c| c.relations.get(entry.relation))
            .map(|r| Scope::Orphans {
                child: r.child.clone(),
                relation: OrphanRelation::of(r),
            });
        if let Some(scope) = scope {
            self.open_purge_of(scope);
        }
    }

    /// The selected relation, if it has soft orphans and this session may change rows;
    /// otherwise says why not (`nothing`: what there is nothing to do).
    fn soft_orphans_to_change(&mut self, nothing: &str) -> Option<RelationOrphans> {
        let entry = self.orphans.as_ref()?.selected_entry()?.clone();
        if entry.count(OrphanKind::Soft) == 0 {
            self.status.last_error =
                Some(format!("no soft orphans along this relation: {nothing}"));
            return None;
        }
        if self.status.read_only {
            self.status.last_error = Some("read-only session: changes are turned off".into());
            return None;
        }
        Some(entry)
    }

    /// `R`: the soft orphans' trashed parents, through the restore preview (the same
    /// checks, confirmation and audit as `r` on the records).
    fn restore_soft_orphan_parents(&mut self) {
        let Some(entry) = self.soft_orphans_to_change("no parent to restore") else {
            return;
        };
        let generation = self.next_generation();
        if let Some(view) = &mut self.orphans {
            view.parents_awaiting = Some(generation);
        }
        self.worker.send(Request::SoftOrphanParents {
            generation,
            relation: entry.relation,
        });
    }

    /// `T`: the soft orphans to trash, each with its parent's deletion group.
    fn trash_soft_orphans(&mut self) {
        let Some(entry) = self.soft_orphans_to_change("nothing to move to trash") else {
            return;
        };
        let title = format!(
            "Move the soft orphans of {} to trash with their parents",
            entry.path
        );
        let generation = self.next_generation();
        self.change = Some(ChangeDialog::trash_with_parents(
            entry.child,
            title,
            generation,
        ));
        self.worker.send(Request::TrashSoftOrphans {
            generation,
            relation: entry.relation,
        });
    }

    pub(super) fn on_orphans_scanned(
        &mut self,
        generation: u64,
        result: Result<Vec<RelationOrphans>, EngineError>,
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
        let Some(view) = &mut self.orphans else {
            return;
        };
        if view.parents_awaiting != Some(generation) {
            return;
        }
        view.parents_awaiting = None;
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
