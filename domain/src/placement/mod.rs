//! Which Power Automate widget appears where, with which settings, and how a placement becomes
//! the options the widget SDK's `renderWidget` takes for one record.
//!
//! Text settings may hold record placeholders (see [`crate::placeholders`]), filled from the
//! record a page shows.

mod seed;
pub mod settings;

pub use seed::{blank, defaults, templates};
pub use settings::{Kind, Sdk, Setting, Settings, WidgetSpec, spec};

use crate::placeholders::{Escape, PlaceholderError, RecordContext};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

word_enum!(PageKind, "field-page", {
    Account => "account", "page-kind-account",
    Ticket => "ticket", "page-kind-ticket",
    Flows => "flows", "page-kind-flows",
    Approvals => "approvals", "page-kind-approvals",
});

word_enum!(WidgetType, "field-widget-type", {
    Flows => "flows", "widget-type-flows",
    FlowCreation => "flowCreation", "widget-type-flow-creation",
    FlowsRuntime => "flowsRuntime", "widget-type-flows-runtime",
    ApprovalCenter => "approvalCenter", "widget-type-approval-center",
    Templates => "templates", "widget-type-templates",
});

/// One widget on one page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    /// Stable key, e.g. `account-templates`.
    pub key: String,
    pub page: PageKind,
    /// Where on the page: `top`, above the record, or `main`, the Power Automate section below
    /// it.
    pub slot: String,
    pub order: i32,
    pub enabled: bool,
    pub title: String,
    pub settings: Settings,
    /// Counts the saves of this placement, so that a stale edit is refused.
    #[serde(default)]
    pub revision: u32,
}

/// A host → widget action the page sends: at once when the widget is ready (flowCreation), or
/// when the user presses its button (runtime).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WidgetAction {
    /// Shown on the button; empty for actions sent on ready.
    pub label: String,
    pub action_name: String,
    pub action_data: Value,
}

/// A placement resolved for one record: what the page hands the SDK.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResolvedWidget {
    pub key: String,
    pub slot: String,
    pub widget_type: WidgetType,
    pub title: String,
    /// `renderWidget`'s second argument, without `container`.
    pub options: Value,
    pub action: Option<WidgetAction>,
}

/// One setting's value as `renderWidget` takes it, or `None` when it is left out.
fn option(
    setting: &Setting,
    value: &Value,
    record: &RecordContext,
) -> Result<Option<Value>, PlaceholderError> {
    let escape = match setting.kind {
        Kind::Filter => Escape::OData,
        _ => Escape::None,
    };
    let value = match value {
        Value::String(text) => Value::String(record.fill(text, escape)?),
        Value::Object(_) if setting.kind == Kind::Params => Value::Object(params(record, value)?),
        other => other.clone(),
    };
    let empty = match &value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    };
    Ok(match setting.sdk {
        Sdk::Action => None,
        Sdk::Always => Some(value),
        Sdk::UnlessEmpty => (!empty).then_some(value),
        Sdk::UriComponent => match value {
            Value::String(s) if !s.is_empty() => Some(json!(crate::encode::uri_component(&s))),
            _ => None,
        },
        Sdk::WhenOn => (value == Value::Bool(true)).then_some(value),
    })
}

fn params(record: &RecordContext, given: &Value) -> Result<Map<String, Value>, PlaceholderError> {
    let empty = Map::new();
    given
        .as_object()
        .unwrap_or(&empty)
        .iter()
        .map(|(k, v)| {
            let text = v.as_str().unwrap_or_default();
            Ok((k.clone(), json!(record.fill(text, Escape::None)?)))
        })
        .collect()
}

impl Placement {
    /// The widget for `record`, in `environment` (none: the service's default environment).
    pub fn resolve(
        &self,
        record: &RecordContext,
        environment: Option<&str>,
    ) -> Result<ResolvedWidget, PlaceholderError> {
        let text = |s: &str| record.fill(s, Escape::None);
        let mut options = Map::new();
        if let Some(env) = environment.filter(|e| !e.is_empty()) {
            options.insert("environmentId".into(), json!(env));
        }
        options.insert("iframeTitle".into(), json!(text(&self.title)?));
        let spec = self.settings.spec();
        if let Some(member) = spec.options {
            let mut settings = Map::new();
            for setting in spec.settings {
                if let Some(v) = option(setting, self.settings.get(setting.name), record)? {
                    settings.insert(setting.name.into(), v);
                }
            }
            options.insert(member.into(), Value::Object(settings));
        }
        Ok(ResolvedWidget {
            key: self.key.clone(),
            slot: self.slot.clone(),
            widget_type: self.settings.widget_type(),
            title: text(&self.title)?,
            options: Value::Object(options),
            action: self.action(record)?,
        })
    }

    /// The action a runtime or flow creation widget is driven by.
    fn action(&self, record: &RecordContext) -> Result<Option<WidgetAction>, PlaceholderError> {
        let text = |name: &str| record.fill(self.settings.text(name), Escape::None);
        Ok(match self.settings.widget_type() {
            WidgetType::FlowsRuntime => {
                let trigger = self.settings.get("trigger");
                let id = text_of(&trigger["id"]);
                let implicit = implicit_data(record);
                let (action_name, action_data) = match trigger["kind"].as_str() {
                    Some("flow") => (
                        "triggerFlow",
                        json!({"flowName": record.fill(id, Escape::None)?, "implicitData": implicit}),
                    ),
                    _ => (
                        "triggerFlowByTemplate",
                        json!({
                            "templateId": record.fill(id, Escape::None)?,
                            "implicitData": implicit,
                            "designTimeParameters": design_parameters(record),
                        }),
                    ),
                };
                Some(WidgetAction {
                    label: text("buttonText")?,
                    action_name: action_name.into(),
                    action_data,
                })
            }
            WidgetType::FlowCreation => Some(WidgetAction {
                label: String::new(),
                action_name: "createFlowFromTemplate".into(),
                action_data: json!({
                    "templateName": text("templateName")?,
                    "designTimeParameters": design_parameters(record),
                }),
            }),
            WidgetType::Templates | WidgetType::Flows | WidgetType::ApprovalCenter => None,
        })
    }
}

fn text_of(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

/// The design-time parameters a record gives the ISV's templates.
fn design_parameters(record: &RecordContext) -> Value {
    let mut p = Map::new();
    if let Some(a) = &record.account {
        p.insert(
            "parameters.flowhost.accountId".into(),
            json!(a.id.to_string()),
        );
        p.insert("parameters.flowhost.accountName".into(), json!(a.name));
    }
    Value::Object(p)
}

/// The record a run is about, as the runtime widget's `implicitData` (a string).
fn implicit_data(record: &RecordContext) -> String {
    let mut item = Map::new();
    if let Some(a) = &record.account {
        item.insert("accountId".into(), json!(a.id));
        item.insert("accountName".into(), json!(a.name));
    }
    if let Some(t) = &record.ticket {
        item.insert("ticketId".into(), json!(t.id));
        item.insert("title".into(), json!(t.title));
        item.insert("url".into(), json!(t.url));
    }
    Value::Object(item).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placeholders::{AccountFacts, TicketFacts};
    use crate::tenant::TenantId;

    fn record() -> RecordContext {
        RecordContext {
            tenant: TenantId::parse("c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70").unwrap(),
            account: Some(AccountFacts {
                id: 42,
                name: "Margie's Travel & Co".into(),
                domain: "margies.example".into(),
                url: "http://localhost:3000/accounts/42".into(),
            }),
            ticket: Some(TicketFacts {
                id: 7,
                title: "Cannot sign in".into(),
                url: "http://localhost:3000/accounts/42/tickets/7".into(),
            }),
        }
    }

    fn default(key: &str) -> Placement {
        defaults().into_iter().find(|p| p.key == key).unwrap()
    }

    #[test]
    fn the_account_templates_carry_the_account() {
        let w = default("account-templates")
            .resolve(&record(), Some("Default-c0a7"))
            .unwrap();
        assert_eq!(w.widget_type, WidgetType::Templates);
        assert_eq!(w.title, "Automate Margie's Travel & Co");
        assert_eq!(
            w.options,
            json!({
                "environmentId": "Default-c0a7",
                "iframeTitle": "Automate Margie's Travel & Co",
                "templatesSettings": {
                    // Encoded here: the SDK puts the search term into the URL as it is.
                    "searchTerm": "flowhost%20account",
                    "pageSize": 6,
                    "destination": "details",
                    "defaultParams": {
                        "parameters.flowhost.accountId": "42",
                        "parameters.flowhost.accountName": "Margie's Travel & Co",
                        "parameters.flowhost.accountUrl": "http://localhost:3000/accounts/42",
                    },
                },
            })
        );
    }

    #[test]
    fn the_account_flows_are_filtered_to_the_account() {
        let w = default("account-flows").resolve(&record(), None).unwrap();
        assert_eq!(
            w.options["flowsSettings"],
            json!({
                "tab": "myFlows",
                "hideTabs": true,
                "flowsFilter": "operations/any(operation: operation/flowhost.accountId eq '42')",
                "createFromBlankTemplateId": templates::BLANK,
            })
        );
        assert!(
            w.options.get("environmentId").is_none(),
            "the default environment"
        );
        let parsed = crate::flow_filter::Filter::parse(
            w.options["flowsSettings"]["flowsFilter"].as_str().unwrap(),
        );
        assert!(parsed.is_ok());
    }

    #[test]
    fn the_ticket_runtime_runs_the_approval_template_on_the_ticket() {
        let w = default("ticket-runtime").resolve(&record(), None).unwrap();
        let action = w.action.unwrap();
        assert_eq!(action.label, "Run a flow on this ticket");
        assert_eq!(action.action_name, "triggerFlowByTemplate");
        assert_eq!(
            action.action_data["templateId"],
            templates::REQUEST_APPROVAL
        );
        assert_eq!(
            action.action_data["designTimeParameters"],
            json!({
                "parameters.flowhost.accountId": "42",
                "parameters.flowhost.accountName": "Margie's Travel & Co",
            })
        );
        let implicit: Value =
            serde_json::from_str(action.action_data["implicitData"].as_str().unwrap()).unwrap();
        assert_eq!(
            implicit["url"],
            "http://localhost:3000/accounts/42/tickets/7"
        );
        assert_eq!(implicit["ticketId"], 7);
    }

    #[test]
    fn the_ticket_approvals_are_filtered_by_item_link_with_quotes_escaped() {
        let mut r = record();
        r.ticket.as_mut().unwrap().url = "http://x/it's".into();
        let w = default("ticket-approvals").resolve(&r, None).unwrap();
        assert_eq!(
            w.options["approvalCenterSettings"],
            json!({
                "tab": "receivedApprovals",
                "hideTabs": false,
                "approvalsFilter": "properties/itemlink eq 'http://x/it''s'",
                "hideLink": true,
            })
        );
    }

    #[test]
    fn every_default_resolves_and_keys_are_unique() {
        let all = defaults();
        for p in &all {
            p.resolve(&record(), None).unwrap();
        }
        let mut keys: Vec<_> = all.iter().map(|p| p.key.as_str()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), all.len());
    }
}
