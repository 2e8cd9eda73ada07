//! Which paths a related-count preview follows: every chain of relations leading down
//! from the selected table, breadth first, so shorter paths come before longer ones.

use std::collections::VecDeque;

use crate::engine::catalog::{Catalog, FkAction};
use crate::engine::sql::TableName;

/// One chain of relations from the root table down to `table`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedPath {
    /// Indexes into `Catalog::relations`, root side first.
    pub relations: Vec<usize>,
    pub table: TableName,
    /// The last relation lies on a cycle (a self-reference or mutual keys). Each relation
    /// is followed at most once per path, so the cycle is walked once and no further.
    pub on_cycle: bool,
    /// The path reached the depth limit while `table` still has children.
    pub cut_at_depth: bool,
    /// The last relation is `ON DELETE SET NULL` or `SET DEFAULT`: deleting the parent
    /// would detach these rows, not delete them, so the path goes no deeper.
    pub detaches: bool,
    /// The role may read `table`; otherwise the path is shown as "no permission".
    pub readable: bool,
}

impl RelatedPath {
    pub fn depth(&self) -> usize {
        self.relations.len()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathPlan {
    pub paths: Vec<RelatedPath>,
    /// Paths left out because `max_paths` was reached.
    pub not_counted: usize,
}

pub fn plan(catalog: &Catalog, root: &TableName, max_depth: usize, max_paths: usize) -> PathPlan {
    let mut plan = PathPlan::default();
    let mut queue: VecDeque<Vec<usize>> = catalog
        .graph
        .child_relations(root)
        .iter()
        .map(|&r| vec![r])
        .collect();
    while let Some(relations) = queue.pop_front() {
        if plan.paths.len() >= max_paths {
            plan.not_counted = queue.len() + 1;
            break;
        }
        let Some(&last) = relations.last() else {
            continue;
        };
        let relation = &catalog.relations[last];
        let table = relation.child.clone();
        let readable = catalog.table(&table).is_some_and(|t| t.can_select);
        let detaches = matches!(relation.on_delete, FkAction::SetNull | FkAction::SetDefault);
        let onward: Vec<usize> = catalog
            .graph
            .child_relations(&table)
            .iter()
            .copied()
            .filter(|r| !relations.contains(r))
            .collect();
        let extendable = readable && !detaches;
        let cut_at_depth = extendable && relations.len() >= max_depth && !onward.is_empty();
        if extendable && !cut_at_depth {
            for next in onward {
                let mut longer = relations.clone();
                longer.push(next);
                queue.push_back(longer);
            }
        }
        plan.paths.push(RelatedPath {
            on_cycle: catalog.graph.is_cyclic(last),
            relations,
            table,
            cut_at_depth,
            detaches,
            readable,
        });
    }
    plan
}
