//! Index changes of autoscaled tables: what differs between the module already in a directory
//! and a new render.
//!
//! An autoscaled table with indexes ignores its `global_secondary_index` blocks after creation
//! (their capacity is autoscaling's), so an index added, changed or removed in the profile is
//! not applied — and an added one usually makes `terraform plan` fail with the provider's "all
//! attributes must be indexed". `render` reads the module in the directory, and when such a
//! table's indexes change it says which tables need `--manage-indexes` and what that apply does.

use std::collections::BTreeMap;

use hcl::Expression;

use super::module::{Block, Module, as_string, attr, blocks};
use crate::plan::{ModulePlan, TablePlan};

/// How an index is defined: hash key, range key, projection, projected attributes.
type Definition = (Option<String>, Option<String>, Option<String>, Vec<String>);

/// What changes in one table's indexes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct IndexChange {
    /// The table's profile key.
    pub table: String,
    /// Whether this render manages the table's indexes (`--manage-indexes TABLE`).
    pub managed: bool,
    /// Indexes the profile adds.
    pub added: Vec<String>,
    /// Indexes the profile no longer has.
    pub removed: Vec<String>,
    /// Indexes whose keys or projection change.
    pub changed: Vec<String>,
}

impl IndexChange {
    /// `adds by_priority, changes by_status` …
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        for (verb, names) in [
            ("adds", &self.added),
            ("changes", &self.changed),
            ("removes", &self.removed),
        ] {
            if !names.is_empty() {
                let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                parts.push(format!(
                    "{verb} index{} {}",
                    if names.len() == 1 { "" } else { "es" },
                    names.join(", ")
                ));
            }
        }
        parts.join(", ")
    }
}

fn strings(e: Option<&Expression>) -> Vec<String> {
    match e {
        Some(Expression::Array(a)) => a.iter().filter_map(as_string).collect(),
        _ => Vec::new(),
    }
}

fn in_module(table: &Block) -> BTreeMap<String, Definition> {
    blocks(&table.body, "global_secondary_index")
        .filter_map(|ix| {
            let name = attr(&ix.body, "name").and_then(as_string)?;
            let get = |k: &str| attr(&ix.body, k).and_then(as_string);
            let mut nka = strings(attr(&ix.body, "non_key_attributes"));
            nka.sort();
            Some((
                name,
                (
                    get("hash_key"),
                    get("range_key"),
                    get("projection_type"),
                    nka,
                ),
            ))
        })
        .collect()
}

fn in_plan(t: &TablePlan) -> BTreeMap<String, Definition> {
    t.indexes
        .iter()
        .map(|ix| {
            let mut nka = ix.non_key_attributes.clone();
            nka.sort();
            (
                ix.name.clone(),
                (
                    Some(ix.hash_key.clone()),
                    ix.range_key.clone(),
                    Some(ix.projection_type.to_owned()),
                    nka,
                ),
            )
        })
        .collect()
}

/// The index changes of every autoscaled table with indexes that the module in the directory
/// already has (new tables are created with their indexes, and need nothing).
pub fn changes(existing: &Module, plan: &ModulePlan) -> Vec<IndexChange> {
    let mut out = Vec::new();
    for t in plan.tables.iter().filter(|t| t.autoscaled) {
        let Some(block) = existing
            .resources("aws_dynamodb_table")
            .find(|b| b.labels.get(1).map(String::as_str) == Some(t.key.as_str()))
        else {
            continue;
        };
        let (before, after) = (in_module(&block.block), in_plan(t));
        let mut change = IndexChange {
            table: t.key.clone(),
            managed: t.indexes_managed,
            ..IndexChange::default()
        };
        for (name, def) in &after {
            match before.get(name) {
                None => change.added.push(name.clone()),
                Some(old) if old != def => change.changed.push(name.clone()),
                Some(_) => {}
            }
        }
        change.removed = before
            .keys()
            .filter(|n| !after.contains_key(*n))
            .cloned()
            .collect();
        if !(change.added.is_empty() && change.changed.is_empty() && change.removed.is_empty()) {
            out.push(change);
        }
    }
    out
}

/// The `aws_dynamodb_table` blocks of `tables` in the text of capform's
/// `dynamodb-autoscaling.tf`, parsed alone: a module of 1,000 tables is not parsed whole to
/// compare the few tables whose indexes are ignored.
pub fn table_blocks(text: &str, tables: &[&str]) -> Module {
    let wanted: std::collections::HashSet<String> = tables
        .iter()
        .map(|k| format!("resource \"aws_dynamodb_table\" \"{k}\" {{"))
        .collect();
    let mut picked = String::new();
    let mut inside = false;
    for line in text.lines() {
        if !inside && wanted.contains(line) {
            inside = true;
        }
        if inside {
            picked.push_str(line);
            picked.push('\n');
            if line == "}" {
                inside = false;
            }
        }
    }
    let name = "dynamodb-autoscaling.tf".to_owned();
    Module::from_files([(&name, picked.as_str())])
}
