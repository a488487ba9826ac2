//! The gallery and the environments: Flowhost's templates (the template entries of the ISV's
//! catalog, `flows/`) first, then the fixture (`fixtures/flow.toml`) with each tenant's
//! environments and other publishers' templates.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const FIXTURE: &str = include_str!("../../fixtures/flow.toml");

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
    /// Whether it has a Dataverse organisation (where pre-built flows are deployed).
    #[serde(default = "has_dataverse")]
    pub dataverse: bool,
}

fn has_dataverse() -> bool {
    true
}

impl Environment {
    /// Its Dataverse organisation's unique name, if it has one: `org` and the first eight
    /// hexadecimal digits of its name.
    pub fn organisation(&self) -> Option<String> {
        let digits: String = self
            .name
            .trim_start_matches("Default-")
            .chars()
            .filter(char::is_ascii_hexdigit)
            .take(8)
            .collect();
        self.dataverse
            .then(|| format!("org{}", digits.to_lowercase()))
    }
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
    /// The flow the template makes (`definition` and `connectionReferences`). Every Flowhost
    /// template has one; another publisher's template, whose connectors the sandbox does not
    /// have, makes a flow whose runs only complete.
    #[serde(skip)]
    pub exported: Option<serde_json::Value>,
    /// Values of parameters the maker may leave empty; `{maker}` is the maker's own address.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
}

/// The placeholder in [`Template::defaults`] for the maker's address.
pub const MAKER: &str = ::catalog::MAKER;

impl Template {
    /// The flow this template makes: `definition` and `connectionReferences`.
    pub fn flow(&self) -> Option<&serde_json::Value> {
        self.exported.as_ref()
    }

    /// A template entry of the ISV's catalog, as the gallery lists it.
    fn of(flow: &::catalog::Flow) -> Template {
        let meta = &flow.meta;
        Template {
            name: meta.id.clone(),
            display_name: meta.title.clone(),
            description: meta.description.clone(),
            category: FLOWHOST_CATEGORY.to_owned(),
            keywords: meta.keywords.clone(),
            trigger: meta.trigger.clone(),
            parameters: meta.parameters.iter().map(|p| p.name.clone()).collect(),
            operations: meta.operations.clone(),
            exported: Some(flow.exported.clone()),
            defaults: meta
                .parameters
                .iter()
                .filter_map(|p| Some((p.name.clone(), p.default.clone()?)))
                .collect(),
        }
    }
}

/// The gallery category of the ISV's templates.
pub const FLOWHOST_CATEGORY: &str = "Flowhost";

/// A connector operation of a template, and the design-time parameters it is bound to.
pub use ::catalog::Operation;

impl Catalog {
    pub fn embedded() -> Catalog {
        let mut catalog: Catalog = toml::from_str(FIXTURE).expect("fixtures/flow.toml is valid");
        // In the order of their ids, as the gallery has published them.
        let mut flowhost: Vec<Template> = ::catalog::flows()
            .iter()
            .filter(|f| f.is(::catalog::Use::Template))
            .map(Template::of)
            .collect();
        flowhost.sort_by(|a, b| a.name.cmp(&b.name));
        catalog.templates.splice(0..0, flowhost);
        catalog
    }

    /// A tenant's environments, the default one first.
    pub fn environments(&self, tenant: &str, tenant_name: &str) -> Vec<Environment> {
        let default = Environment {
            tenant: tenant.to_owned(),
            name: default_environment(tenant),
            display_name: format!("{tenant_name} (default)"),
            dataverse: true,
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
