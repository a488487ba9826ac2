//! Which Power Automate widget appears where, with which settings, and how a placement becomes
//! the options the widget SDK's `renderWidget` takes for one record.
//!
//! The defaults here are the seeded configuration. Text settings may hold record placeholders
//! (see [`crate::placeholders`]), filled from the record a page shows.

use crate::placeholders::{Escape, PlaceholderError, RecordContext};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The ISV's flow templates as published in the Power Automate gallery.
pub mod templates {
    /// Email the account owner when a ticket is opened.
    pub const NOTIFY_OWNER: &str = "f10a0057a0c1400080000000000a0001";
    /// Weekly digest of an account's open tickets.
    pub const WEEKLY_DIGEST: &str = "f10a0057a0c1400080000000000a0002";
    /// Request approval for a ticket (a manual flow that raises an approval on the ticket).
    pub const REQUEST_APPROVAL: &str = "f10a0057a0c1400080000000000a0003";
    /// Escalate a ticket to Teams.
    pub const ESCALATE: &str = "f10a0057a0c1400080000000000a0004";
    /// The gallery's blank flow, for "New flow".
    pub const BLANK: &str = "0b1a4c0000000000000000000000b1a4";

    /// Template names by id, for pages that list flows made from them.
    pub const NAMES: [(&str, &str); 4] = [
        (
            NOTIFY_OWNER,
            "Email the account owner when a ticket is opened",
        ),
        (WEEKLY_DIGEST, "Weekly digest of an account's open tickets"),
        (REQUEST_APPROVAL, "Request approval for a ticket"),
        (ESCALATE, "Escalate a ticket to Teams"),
    ];

    pub fn name(id: &str) -> Option<&'static str> {
        NAMES
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(id))
            .map(|(_, n)| *n)
    }
}

word_enum!(PageKind, "The page", {
    Account => "account", "Account page",
    Ticket => "ticket", "Ticket page",
    Flows => "flows", "My flows page",
    Approvals => "approvals", "Approvals page",
});

word_enum!(WidgetType, "The widget type", {
    Flows => "flows", "Flows",
    FlowCreation => "flowCreation", "Flow creation",
    FlowsRuntime => "flowsRuntime", "Run a flow",
    ApprovalCenter => "approvalCenter", "Approvals",
    Templates => "templates", "Templates",
});

/// One widget on one page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    /// Stable key, e.g. `account-templates`.
    pub key: String,
    pub page: PageKind,
    /// Where on the page: `main` (the Power Automate section) or `side`.
    pub slot: String,
    pub order: i32,
    pub enabled: bool,
    pub title: String,
    pub settings: Settings,
    /// Counts the saves of this placement, so that a stale edit is refused.
    #[serde(default)]
    pub revision: u32,
}

/// The settings of each widget type, as the SDK reference lists them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Settings {
    #[serde(rename_all = "camelCase")]
    Templates {
        search_term: String,
        template_category: String,
        page_size: Option<u32>,
        /// `details` or `new`.
        destination: String,
        /// `parameters.{name}` → value.
        default_params: BTreeMap<String, String>,
    },
    #[serde(rename_all = "camelCase")]
    Flows {
        /// `myFlows` or `sharedFlows`.
        tab: String,
        hide_tabs: bool,
        flows_filter: String,
        create_from_blank_template_id: String,
    },
    #[serde(rename_all = "camelCase")]
    ApprovalCenter {
        /// `receivedApprovals` or `sentApprovals`.
        tab: String,
        hide_tabs: bool,
        approvals_filter: String,
        hide_link: bool,
    },
    /// The page offers one button that runs a flow, or a template's flow, on the record.
    #[serde(rename_all = "camelCase")]
    FlowsRuntime {
        trigger: RunTrigger,
        button_text: String,
    },
    #[serde(rename_all = "camelCase")]
    FlowCreation { template_name: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "camelCase")]
pub enum RunTrigger {
    /// `triggerFlowByTemplate`: the user's flow from this template (made first if need be).
    Template(String),
    /// `triggerFlow`: one flow by its name.
    Flow(String),
}

impl Settings {
    pub fn widget_type(&self) -> WidgetType {
        match self {
            Settings::Templates { .. } => WidgetType::Templates,
            Settings::Flows { .. } => WidgetType::Flows,
            Settings::ApprovalCenter { .. } => WidgetType::ApprovalCenter,
            Settings::FlowsRuntime { .. } => WidgetType::FlowsRuntime,
            Settings::FlowCreation { .. } => WidgetType::FlowCreation,
        }
    }
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

/// A value the SDK inserts into the iframe URL without encoding it (reference §2.3 and
/// pitfall 5), encoded as `encodeURIComponent` would.
fn url_component(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
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
        let filter = |s: &str| record.fill(s, Escape::OData);
        let mut options = Map::new();
        if let Some(env) = environment.filter(|e| !e.is_empty()) {
            options.insert("environmentId".into(), json!(env));
        }
        options.insert("iframeTitle".into(), json!(text(&self.title)?));
        let mut action = None;
        match &self.settings {
            Settings::Templates {
                search_term,
                template_category,
                page_size,
                destination,
                default_params,
            } => {
                let mut s = Map::new();
                let term = text(search_term)?;
                if !term.is_empty() {
                    s.insert("searchTerm".into(), json!(url_component(&term)));
                }
                if !template_category.is_empty() {
                    s.insert(
                        "templateCategory".into(),
                        json!(url_component(&text(template_category)?)),
                    );
                }
                if let Some(size) = page_size {
                    s.insert("pageSize".into(), json!(size));
                }
                if !destination.is_empty() {
                    s.insert("destination".into(), json!(destination));
                }
                s.insert(
                    "defaultParams".into(),
                    Value::Object(params(record, default_params)?),
                );
                options.insert("templatesSettings".into(), Value::Object(s));
            }
            Settings::Flows {
                tab,
                hide_tabs,
                flows_filter,
                create_from_blank_template_id,
            } => {
                let mut s = Map::new();
                s.insert("tab".into(), json!(tab));
                s.insert("hideTabs".into(), json!(hide_tabs));
                let f = filter(flows_filter)?;
                if !f.is_empty() {
                    s.insert("flowsFilter".into(), json!(f));
                }
                if !create_from_blank_template_id.is_empty() {
                    s.insert(
                        "createFromBlankTemplateId".into(),
                        json!(create_from_blank_template_id),
                    );
                }
                options.insert("flowsSettings".into(), Value::Object(s));
            }
            Settings::ApprovalCenter {
                tab,
                hide_tabs,
                approvals_filter,
                hide_link,
            } => {
                let mut s = Map::new();
                s.insert("tab".into(), json!(tab));
                s.insert("hideTabs".into(), json!(hide_tabs));
                let f = filter(approvals_filter)?;
                if !f.is_empty() {
                    s.insert("approvalsFilter".into(), json!(f));
                }
                if *hide_link {
                    s.insert("hideLink".into(), json!(true));
                }
                options.insert("approvalCenterSettings".into(), Value::Object(s));
            }
            Settings::FlowsRuntime {
                trigger,
                button_text,
            } => {
                let implicit = implicit_data(record);
                let action_data = match trigger {
                    RunTrigger::Template(id) => json!({
                        "templateId": text(id)?,
                        "implicitData": implicit,
                        "designTimeParameters": design_parameters(record),
                    }),
                    RunTrigger::Flow(name) => json!({
                        "flowName": text(name)?,
                        "implicitData": implicit,
                    }),
                };
                let action_name = match trigger {
                    RunTrigger::Template(_) => "triggerFlowByTemplate",
                    RunTrigger::Flow(_) => "triggerFlow",
                };
                action = Some(WidgetAction {
                    label: text(button_text)?,
                    action_name: action_name.into(),
                    action_data,
                });
            }
            Settings::FlowCreation { template_name } => {
                action = Some(WidgetAction {
                    label: String::new(),
                    action_name: "createFlowFromTemplate".into(),
                    action_data: json!({
                        "templateName": text(template_name)?,
                        "designTimeParameters": design_parameters(record),
                    }),
                });
            }
        }
        Ok(ResolvedWidget {
            key: self.key.clone(),
            slot: self.slot.clone(),
            widget_type: self.settings.widget_type(),
            title: text(&self.title)?,
            options: Value::Object(options),
            action,
        })
    }
}

fn params(
    record: &RecordContext,
    given: &BTreeMap<String, String>,
) -> Result<Map<String, Value>, PlaceholderError> {
    given
        .iter()
        .map(|(k, v)| Ok((k.clone(), json!(record.fill(v, Escape::None)?))))
        .collect()
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

fn placement(key: &str, page: PageKind, order: i32, title: &str, settings: Settings) -> Placement {
    Placement {
        key: key.into(),
        page,
        slot: "main".into(),
        order,
        enabled: true,
        title: title.into(),
        settings,
        revision: 0,
    }
}

/// The seeded configuration: what every tenant gets until the ISV changes it.
pub fn defaults() -> Vec<Placement> {
    vec![
        placement(
            "account-templates",
            PageKind::Account,
            10,
            "Automate {account.name}",
            Settings::Templates {
                search_term: "flowhost account".into(),
                template_category: String::new(),
                page_size: Some(6),
                destination: "details".into(),
                default_params: BTreeMap::from([
                    (
                        "parameters.flowhost.accountId".into(),
                        "{account.id}".into(),
                    ),
                    (
                        "parameters.flowhost.accountName".into(),
                        "{account.name}".into(),
                    ),
                ]),
            },
        ),
        placement(
            "account-flows",
            PageKind::Account,
            20,
            "Flows for this account",
            Settings::Flows {
                tab: "myFlows".into(),
                hide_tabs: true,
                flows_filter:
                    "operations/any(operation: operation/flowhost.accountId eq '{account.id}')"
                        .into(),
                create_from_blank_template_id: templates::BLANK.into(),
            },
        ),
        placement(
            "ticket-runtime",
            PageKind::Ticket,
            10,
            "Flows for this ticket",
            Settings::FlowsRuntime {
                trigger: RunTrigger::Template(templates::REQUEST_APPROVAL.into()),
                button_text: "Run a flow on this ticket".into(),
            },
        ),
        placement(
            "ticket-approvals",
            PageKind::Ticket,
            20,
            "Approvals for this ticket",
            Settings::ApprovalCenter {
                tab: "receivedApprovals".into(),
                hide_tabs: false,
                approvals_filter: "properties/itemlink eq '{ticket.url}'".into(),
                hide_link: true,
            },
        ),
        placement(
            "flows",
            PageKind::Flows,
            10,
            "My flows",
            Settings::Flows {
                tab: "myFlows".into(),
                hide_tabs: false,
                flows_filter: String::new(),
                create_from_blank_template_id: templates::BLANK.into(),
            },
        ),
        placement(
            "approvals",
            PageKind::Approvals,
            10,
            "Approvals",
            Settings::ApprovalCenter {
                tab: "receivedApprovals".into(),
                hide_tabs: false,
                approvals_filter: String::new(),
                hide_link: false,
            },
        ),
    ]
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
    fn search_terms_are_encoded_like_encode_uri_component() {
        assert_eq!(url_component("a b&c/é'"), "a%20b%26c%2F%C3%A9'");
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
