//! The ISV's flows, one folder each under `flows/`: `flow.toml` (what the flow is for, its
//! parameters, its version) and `definition.json` (the definition in the workflow definition
//! language with its connection references, as an exported flow carries them).
//!
//! Template entries are published in the Power Automate gallery (their export package is what
//! a Partner Center offer carries); pre-built entries are deployed into an organisation's
//! environment. Every entry is checked when the catalog is read: a mistake names its folder.

pub mod package;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::LazyLock;

include!(concat!(env!("OUT_DIR"), "/flows.rs"));

/// What an entry is used as.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Use {
    /// Published in the gallery, made into a flow by a maker.
    Template,
    /// Deployed into an organisation's environment, ready to run.
    Prebuilt,
}

/// The record type a flow serves.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Record {
    Account,
    Ticket,
}

/// `flow.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The template's gallery name: 32 hexadecimal digits.
    pub id: String,
    pub title: String,
    pub description: String,
    pub record: Record,
    pub kinds: BTreeSet<Use>,
    /// Raised with every change to the definition; deployed flows are upgraded to it.
    pub version: u32,
    /// `manual` (the runtime widget's button) or `automated` (a connector's webhook trigger).
    pub trigger: String,
    pub keywords: Vec<String>,
    /// The connection references the definition needs (`shared_flowhost`, `shared_approvals`).
    pub connections: Vec<String>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// The connector operations the flow uses, and which design-time parameters each is bound
    /// to: what the flows widget's `flowsFilter` looks at.
    pub operations: Vec<Operation>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub name: String,
    pub description: String,
    /// The value when the maker leaves it empty; `{maker}` is the maker's own address.
    pub default: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub api: String,
    pub operation: String,
    #[serde(default)]
    pub parameters: Vec<String>,
}

/// One entry of the catalog.
#[derive(Clone, Debug)]
pub struct Flow {
    /// Its folder under `flows/`.
    pub folder: String,
    pub meta: Meta,
    /// `{"definition", "connectionReferences"}`.
    pub exported: Value,
}

impl Flow {
    pub fn definition(&self) -> &Value {
        &self.exported["definition"]
    }

    pub fn is(&self, kind: Use) -> bool {
        self.meta.kinds.contains(&kind)
    }
}

/// The placeholder in [`Parameter::default`] for the maker's address.
pub const MAKER: &str = "{maker}";

/// The catalog built into this binary, in folder order.
pub fn flows() -> &'static [Flow] {
    static FLOWS: LazyLock<Vec<Flow>> =
        LazyLock::new(|| read(EMBEDDED).unwrap_or_else(|why| panic!("flows/: {why}")));
    &FLOWS
}

/// The entry whose id is `id`.
pub fn find(id: &str) -> Option<&'static Flow> {
    flows().iter().find(|f| f.meta.id.eq_ignore_ascii_case(id))
}

/// Reads and checks a catalog laid out as `flows/` is: every folder of `dir` holding a
/// `flow.toml` (with its `definition.json`), in name order.
pub fn read_dir(dir: &std::path::Path) -> Result<Vec<Flow>, String> {
    let listed = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut folders: Vec<String> = listed
        .filter_map(Result::ok)
        .filter(|e| e.path().join("flow.toml").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    folders.sort();
    let mut files = Vec::new();
    for folder in &folders {
        let read = |name: &str| {
            let path = dir.join(folder).join(name);
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
        };
        files.push((
            folder.as_str(),
            read("flow.toml")?,
            read("definition.json")?,
        ));
    }
    let entries: Vec<(&str, &str, &str)> = files
        .iter()
        .map(|(folder, meta, definition)| (*folder, meta.as_str(), definition.as_str()))
        .collect();
    read(&entries)
}

/// Reads and checks `(folder, flow.toml, definition.json)` entries.
pub fn read(entries: &[(&str, &str, &str)]) -> Result<Vec<Flow>, String> {
    let mut flows = Vec::new();
    let mut ids = BTreeSet::new();
    for (folder, meta, definition) in entries {
        let flow = entry(folder, meta, definition).map_err(|why| format!("{folder}: {why}"))?;
        if !ids.insert(flow.meta.id.to_ascii_lowercase()) {
            return Err(format!("{folder}: the id {} is taken", flow.meta.id));
        }
        flows.push(flow);
    }
    Ok(flows)
}

fn entry(folder: &str, meta: &str, definition: &str) -> Result<Flow, String> {
    let meta: Meta = toml::from_str(meta).map_err(|e| format!("flow.toml: {e}"))?;
    let exported: Value =
        serde_json::from_str(definition).map_err(|e| format!("definition.json: {e}"))?;
    check(&meta, &exported)?;
    Ok(Flow {
        folder: folder.to_owned(),
        meta,
        exported,
    })
}

/// What can be checked without running the flow: the metadata against itself and against the
/// definition it describes.
fn check(meta: &Meta, exported: &Value) -> Result<(), String> {
    if meta.id.len() != 32 || !meta.id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("the id {:?} is not 32 hexadecimal digits", meta.id));
    }
    if meta.title.trim().is_empty() || meta.description.trim().is_empty() {
        return Err("the title and the description must say something".into());
    }
    if meta.kinds.is_empty() {
        return Err("`kinds` names neither template nor prebuilt".into());
    }
    if meta.version == 0 {
        return Err("versions start at 1".into());
    }
    let definition = &exported["definition"];
    if definition["$schema"].as_str().is_none() {
        return Err("definition.json has no definition with a $schema".into());
    }
    let triggers = definition["triggers"].as_object().map_or(0, |t| t.len());
    if triggers != 1 {
        return Err(format!(
            "the definition has {triggers} triggers; a flow has one"
        ));
    }
    let referenced: BTreeSet<&str> = exported["connectionReferences"]
        .as_object()
        .map(|r| r.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let listed: BTreeSet<&str> = meta.connections.iter().map(String::as_str).collect();
    if referenced != listed {
        return Err(format!(
            "`connections` lists {listed:?} but the definition references {referenced:?}"
        ));
    }
    let declared: BTreeSet<&str> = definition["parameters"]
        .as_object()
        .map(|p| {
            p.keys()
                .map(String::as_str)
                .filter(|name| !name.starts_with('$'))
                .collect()
        })
        .unwrap_or_default();
    let described: BTreeSet<&str> = meta.parameters.iter().map(|p| p.name.as_str()).collect();
    if declared != described {
        return Err(format!(
            "`parameters` describes {described:?} but the definition declares {declared:?}"
        ));
    }
    for op in &meta.operations {
        if !listed.contains(op.api.as_str()) {
            return Err(format!(
                "the operation {} uses {}, which is not among `connections`",
                op.operation, op.api
            ));
        }
        if let Some(p) = op
            .parameters
            .iter()
            .find(|p| !described.contains(p.as_str()))
        {
            return Err(format!(
                "the operation {} is bound to {p}, which is not a parameter",
                op.operation
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
