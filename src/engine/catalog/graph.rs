//! The parent → child dependency graph over relations, with cycles found once (Tarjan's
//! strongly connected components) so later walks can mark and skip them.

use std::collections::BTreeMap;

use super::model::Relation;
use crate::engine::sql::TableName;

#[derive(Debug, Clone, Default)]
pub struct DependencyGraph {
    nodes: Vec<TableName>,
    index: BTreeMap<TableName, usize>,
    /// For each node, the relations (indexes into the catalog's list) where it is the parent.
    child_edges: Vec<Vec<usize>>,
    /// For each relation, whether it lies on a cycle (self-references included).
    cyclic: Vec<bool>,
    component: Vec<usize>,
}

impl DependencyGraph {
    pub fn build(tables: impl IntoIterator<Item = TableName>, relations: &[Relation]) -> Self {
        let mut graph = DependencyGraph::default();
        for t in tables {
            graph.add_node(t);
        }
        for rel in relations {
            graph.add_node(rel.child.clone());
            graph.add_node(rel.parent.clone());
        }
        graph.child_edges = vec![Vec::new(); graph.nodes.len()];
        for (i, rel) in relations.iter().enumerate() {
            let parent = graph.index[&rel.parent];
            graph.child_edges[parent].push(i);
        }
        let targets: Vec<usize> = relations.iter().map(|r| graph.index[&r.child]).collect();
        graph.component = strongly_connected(&graph.child_edges, &targets);
        graph.cyclic = relations
            .iter()
            .map(|r| {
                let (p, c) = (graph.index[&r.parent], graph.index[&r.child]);
                p == c || graph.component[p] == graph.component[c]
            })
            .collect();
        graph
    }

    fn add_node(&mut self, name: TableName) {
        if !self.index.contains_key(&name) {
            self.index.insert(name.clone(), self.nodes.len());
            self.nodes.push(name);
        }
    }

    /// Relations in which `table` is the parent.
    pub fn child_relations(&self, table: &TableName) -> &[usize] {
        self.index
            .get(table)
            .map(|&i| self.child_edges[i].as_slice())
            .unwrap_or(&[])
    }

    pub fn is_cyclic(&self, relation: usize) -> bool {
        self.cyclic.get(relation).copied().unwrap_or(false)
    }

    pub fn has_cycles(&self) -> bool {
        self.cyclic.iter().any(|c| *c)
    }

    /// Tables ordered so every child comes before its parents (the order deletes must
    /// run in). Tables on a cycle come out together, in name order.
    pub fn children_first(&self, relations: &[Relation]) -> Vec<TableName> {
        // Kahn's algorithm over components, counting acyclic child edges still unplaced.
        let n = self.nodes.len();
        let mut pending_children = vec![0usize; n];
        for (i, rel) in relations.iter().enumerate() {
            if !self.cyclic[i] {
                pending_children[self.index[&rel.parent]] += 1;
            }
        }
        let mut ready: Vec<usize> = (0..n).filter(|&i| pending_children[i] == 0).collect();
        ready.sort_by(|a, b| self.nodes[*b].cmp(&self.nodes[*a]));
        let mut order = Vec::with_capacity(n);
        let mut placed = vec![false; n];
        while let Some(node) = ready.pop() {
            if placed[node] {
                continue;
            }
            placed[node] = true;
            order.push(self.nodes[node].clone());
            for (i, rel) in relations.iter().enumerate() {
                if self.cyclic[i] || self.index[&rel.child] != node {
                    continue;
                }
                let parent = self.index[&rel.parent];
                pending_children[parent] -= 1;
                if pending_children[parent] == 0 {
                    ready.push(parent);
                    ready.sort_by(|a, b| self.nodes[*b].cmp(&self.nodes[*a]));
                }
            }
        }
        order
    }
}

/// Tarjan's algorithm, iterative so deep schemas cannot overflow the stack.
pub(crate) fn strongly_connected(edges: &[Vec<usize>], targets: &[usize]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (node, ref mut edge_pos)) = work.last_mut() {
            if *edge_pos == 0 && index[node] == usize::MAX {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&rel) = edges[node].get(*edge_pos) {
                *edge_pos += 1;
                let child = targets[rel];
                if index[child] == usize::MAX {
                    work.push((child, 0));
                } else if on_stack[child] {
                    low[node] = low[node].min(index[child]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::super::model::FkAction;
    use super::*;

    fn rel(child: &str, parent: &str) -> Relation {
        Relation {
            name: format!("{child}_{parent}"),
            child: TableName::new(None, child),
            child_columns: vec!["x".into()],
            parent: TableName::new(None, parent),
            parent_columns: vec!["id".into()],
            on_delete: FkAction::NoAction,
            deferrable: false,
            declared: true,
        }
    }

    #[test]
    fn orders_children_before_parents() {
        let rels = vec![
            rel("posts", "users"),
            rel("comments", "posts"),
            rel("comments", "users"),
        ];
        let g = DependencyGraph::build([], &rels);
        let order: Vec<String> = g
            .children_first(&rels)
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(order, vec!["comments", "posts", "users"]);
        assert!(!g.has_cycles());
    }

    #[test]
    fn marks_self_and_mutual_cycles() {
        let rels = vec![
            rel("comments", "comments"),
            rel("a", "b"),
            rel("b", "a"),
            rel("c", "a"),
        ];
        let g = DependencyGraph::build([], &rels);
        assert!(g.is_cyclic(0));
        assert!(g.is_cyclic(1) && g.is_cyclic(2));
        assert!(!g.is_cyclic(3));
        let order: Vec<String> = g
            .children_first(&rels)
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(
            order.len(),
            4,
            "every table is placed despite cycles: {order:?}"
        );
        let pos = |n: &str| order.iter().position(|t| t == n).unwrap();
        assert!(pos("c") < pos("a"));
    }
}
