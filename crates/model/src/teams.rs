//! Team names ↔ dense indices, so model parameters live in flat vectors.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Dense, stable indices for team names (in order of first appearance).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamIndex {
    names: Vec<String>,
    by_name: HashMap<String, usize>,
}

impl TeamIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Index of `name`, adding it if unseen.
    pub fn insert(&mut self, name: &str) -> usize {
        if let Some(&i) = self.by_name.get(name) {
            return i;
        }
        let i = self.names.len();
        self.names.push(name.to_owned());
        self.by_name.insert(name.to_owned(), i);
        i
    }

    /// Index of a known team.
    pub fn get(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// Name of the team at `index`.
    pub fn name(&self, index: usize) -> Option<&str> {
        self.names.get(index).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// All names in index order.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}
