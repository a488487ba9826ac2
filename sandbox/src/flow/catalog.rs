//! The fixture (`fixtures/flow.toml`): each tenant's environments and the template gallery.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const FIXTURE: &str = include_str!("../../fixtures/flow.toml");

/// The templates' flows (`fixtures/templates/{name}.json`): the definition and its connection
/// references, as a flow exported from Power Automate carries them.
const DEFINITIONS: [(&str, &str); 5] = [
    (
        "ticket-acknowledge",
        include_str!("../../fixtures/templates/ticket-acknowledge.json"),
    ),
    (
        "ticket-reopen",
        include_str!("../../fixtures/templates/ticket-reopen.json"),
    ),
    (
        "ticket-request-approval",
        include_str!("../../fixtures/templates/ticket-request-approval.json"),
    ),
    (
        "ticket-escalate",
        include_str!("../../fixtures/templates/ticket-escalate.json"),
    ),
    (
        "ticket-approval",
        include_str!("../../fixtures/templates/ticket-approval.json"),
    ),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub environments: Vec<Environment>,
    pub templates: Vec<Template>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    pub tenant: String,
    pub name: String,
    pub display_name: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub category: String,
    pub keywords: Vec<String>,
    /// `manual` (run from a button or the runtime widget), `automated` or `scheduled`.
    pub trigger: String,
    /// Design-time parameters, filled from `parameters.{name}` when a flow is made from it.
    pub parameters: Vec<String>,
    pub operations: Vec<Operation>,
    /// The flow the template makes, by file name in `fixtures/templates/`. Every Flowhost
    /// template has one; a gallery template without one (another publisher's, whose
    /// connectors the sandbox does not have) makes a flow whose runs only complete.
    #[serde(default)]
    pub definition: Option<String>,
    /// Values of parameters the maker may leave empty; `{maker}` is the maker's own address.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
}

/// The placeholder in [`Template::defaults`] for the maker's address.
pub const MAKER: &str = "{maker}";

impl Template {
    /// The flow this template makes: `definition` and `connectionReferences`.
    pub fn flow(&self) -> Option<serde_json::Value> {
        let name = self.definition.as_deref()?;
        let (_, text) = DEFINITIONS.iter().find(|(n, _)| *n == name)?;
        Some(serde_json::from_str(text).expect("fixtures/templates hold JSON"))
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub api: String,
    pub operation: String,
    /// Which design-time parameters the operation's inputs are bound to.
    #[serde(default)]
    pub parameters: Vec<String>,
}

impl Catalog {
    pub fn embedded() -> Catalog {
        let catalog: Catalog = toml::from_str(FIXTURE).expect("fixtures/flow.toml is valid");
        for t in &catalog.templates {
            if let Some(name) = &t.definition {
                assert!(
                    t.flow().is_some(),
                    "{}: no fixtures/templates/{name}.json",
                    t.name
                );
            }
        }
        catalog
    }

    /// A tenant's environments, the default one first.
    pub fn environments(&self, tenant: &str, tenant_name: &str) -> Vec<Environment> {
        let default = Environment {
            tenant: tenant.to_owned(),
            name: default_environment(tenant),
            display_name: format!("{tenant_name} (default)"),
        };
        std::iter::once(default)
            .chain(
                self.environments
                    .iter()
                    .filter(|e| e.tenant.eq_ignore_ascii_case(tenant))
                    .cloned(),
            )
            .collect()
    }

    pub fn template(&self, name: &str) -> Option<&Template> {
        self.templates
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// Templates matching a search term (every word, in the name, description or keywords)
    /// and a category, in gallery order.
    pub fn search(&self, term: &str, category: Option<&str>) -> Vec<&Template> {
        let words: Vec<String> = term.split_whitespace().map(str::to_lowercase).collect();
        self.templates
            .iter()
            .filter(|t| category.is_none_or(|c| t.category.eq_ignore_ascii_case(c)))
            .filter(|t| {
                let haystack = format!(
                    "{} {} {}",
                    t.display_name,
                    t.description,
                    t.keywords.join(" ")
                )
                .to_lowercase();
                words.iter().all(|w| haystack.contains(w.as_str()))
            })
            .collect()
    }
}

/// The name of a tenant's default environment.
pub fn default_environment(tenant: &str) -> String {
    format!("Default-{}", tenant.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gallery_searches_by_every_word_and_category() {
        let catalog = Catalog::embedded();
        let names = |found: Vec<&Template>| -> Vec<String> {
            found.iter().map(|t| t.display_name.clone()).collect()
        };
        let flowhost = catalog.search("flowhost", None);
        assert_eq!(flowhost.len(), 5);
        assert_eq!(
            names(catalog.search("flowhost approval", None)),
            [
                "Request approval for a ticket",
                "Ask for approval when a ticket is opened"
            ]
        );
        assert!(catalog.search("sharepoint", Some("Flowhost")).is_empty());
        assert_eq!(catalog.search("", None).len(), catalog.templates.len());
    }

    #[test]
    fn every_tenant_has_a_default_environment_first() {
        let catalog = Catalog::embedded();
        let contoso = catalog.environments("C0A7F3E2-1B4D-4E8A-9C6F-2D3E4F5A6B70", "Contoso");
        assert_eq!(
            contoso[0].name,
            "Default-c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70"
        );
        assert_eq!(contoso[1].display_name, "Contoso Production");
    }

    #[test]
    fn template_parameters_are_bound_by_known_names() {
        for t in &Catalog::embedded().templates {
            for op in &t.operations {
                for p in &op.parameters {
                    assert!(
                        t.parameters.contains(p) || p == "flowhost.ticketId",
                        "{}: {p}",
                        t.name
                    );
                }
            }
        }
    }
}
