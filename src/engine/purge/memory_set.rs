//! The set of a plan by reading, as the console holds it in memory: each row once, with
//! the rows it was found below, so what must stay (held back, up to the roots) and what
//! may go (below a root that stays) are two walks over it.

use std::collections::{BTreeMap, HashMap};

use super::Skipped;
use super::outline::Counted;
use super::reading::HELD_IN_MEMORY;
use crate::engine::error::EngineError;
use crate::engine::sql::TableName;

/// Skipped roots listed by key, per table (as the plan on the server lists them).
const SKIPPED_SAMPLE: usize = 10;

/// The set as the console holds it: each row once, with the rows it was found below.
#[derive(Default)]
pub(super) struct HeldSet {
    pub(super) tables: Vec<TableName>,
    pub(super) nodes: Vec<Node>,
    index: HashMap<(usize, Vec<String>), usize>,
    children: Vec<Vec<usize>>,
}

pub(super) struct Node {
    pub(super) table: usize,
    pub(super) key: Vec<String>,
    root: bool,
    live: bool,
    /// A child the purge will not take in hangs off it.
    blocked: bool,
}

impl HeldSet {
    fn table_index(&mut self, name: &TableName) -> usize {
        match self.tables.iter().position(|t| t == name) {
            Some(i) => i,
            None => {
                self.tables.push(name.clone());
                self.tables.len() - 1
            }
        }
    }

    /// The row's node, and whether it is new to the set.
    pub(super) fn add(
        &mut self,
        table: &TableName,
        key: Vec<String>,
        root: bool,
        live: bool,
    ) -> Result<(usize, bool), EngineError> {
        let table = self.table_index(table);
        if let Some(&node) = self.index.get(&(table, key.clone())) {
            return Ok((node, false));
        }
        if self.nodes.len() >= HELD_IN_MEMORY {
            return Err(super::reading::too_big());
        }
        let node = self.nodes.len();
        self.index.insert((table, key.clone()), node);
        self.nodes.push(Node {
            table,
            key,
            root,
            live,
            blocked: false,
        });
        self.children.push(Vec::new());
        Ok((node, true))
    }

    fn find(&self, table: &TableName, key: &[String]) -> Option<usize> {
        let table = self.tables.iter().position(|t| t == table)?;
        self.index.get(&(table, key.to_vec())).copied()
    }

    pub(super) fn block(&mut self, table: &TableName, key: &[String]) {
        if let Some(node) = self.find(table, key) {
            self.nodes[node].blocked = true;
        }
    }

    pub(super) fn link(&mut self, table: &TableName, key: &[String], child: usize) {
        if let Some(parent) = self.find(table, key) {
            self.children[parent].push(child);
        }
    }

    /// Rows held back: blocked ones, and every row they were found below, up to the
    /// roots (the fixpoint the plan on the server reaches by pruning).
    pub(super) fn held_back(&self) -> Vec<bool> {
        let mut parents = vec![Vec::new(); self.nodes.len()];
        for (parent, children) in self.children.iter().enumerate() {
            for &child in children {
                parents[child].push(parent);
            }
        }
        let mut held: Vec<bool> = self.nodes.iter().map(|n| n.blocked).collect();
        let mut stack: Vec<usize> = (0..held.len()).filter(|&n| held[n]).collect();
        while let Some(node) = stack.pop() {
            for &parent in &parents[node] {
                if !held[parent] {
                    held[parent] = true;
                    stack.push(parent);
                }
            }
        }
        held
    }

    /// Rows that stay: found below a root that is not held back, through rows that are
    /// not either. A row found only below skipped roots does not.
    pub(super) fn staying(&self, held: &[bool]) -> Vec<bool> {
        let mut staying = vec![false; self.nodes.len()];
        let mut stack: Vec<usize> = (0..self.nodes.len())
            .filter(|&n| self.nodes[n].root && !held[n])
            .collect();
        for &root in &stack {
            staying[root] = true;
        }
        while let Some(node) = stack.pop() {
            for &child in &self.children[node] {
                if !held[child] && !staying[child] {
                    staying[child] = true;
                    stack.push(child);
                }
            }
        }
        staying
    }

    pub(super) fn skipped(&self, held: &[bool]) -> Vec<Skipped> {
        let mut skipped: BTreeMap<&TableName, Skipped> = BTreeMap::new();
        for node in (0..self.nodes.len()).filter(|&n| held[n] && self.nodes[n].root) {
            let node = &self.nodes[node];
            let table = &self.tables[node.table];
            let entry = skipped.entry(table).or_insert_with(|| Skipped {
                table: table.clone(),
                rows: 0,
                sample: Vec::new(),
                because: Vec::new(),
            });
            entry.rows += 1;
            if entry.sample.len() < SKIPPED_SAMPLE {
                entry.sample.push(node.key.clone());
            }
        }
        skipped.into_values().collect()
    }

    pub(super) fn count(&self, staying: &[bool]) -> Counted {
        let mut counted = Counted::new();
        for node in (0..self.nodes.len()).filter(|&n| staying[n]) {
            let node = &self.nodes[node];
            let entry = counted
                .entry(self.tables[node.table].to_string())
                .or_default();
            entry.0 += 1;
            entry.1 += u64::from(node.root);
            entry.2 += u64::from(node.live);
        }
        counted
    }

    pub(super) fn keys_in(&self, table: &TableName, staying: &[bool]) -> Vec<Vec<String>> {
        let Some(table) = self.tables.iter().position(|t| t == table) else {
            return Vec::new();
        };
        (0..self.nodes.len())
            .filter(|&n| staying[n] && self.nodes[n].table == table)
            .map(|n| self.nodes[n].key.clone())
            .collect()
    }
}
