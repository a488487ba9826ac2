//! The seeded configuration, what every tenant gets until the ISV changes it, and the starting
//! point of a new placement.

use super::{PageKind, Placement, Settings, WidgetType};
use serde_json::json;

/// The ISV's flow templates as published in the Power Automate gallery.
pub mod templates {
    /// Acknowledge new tickets on the account (a comment naming who looks after it).
    pub const ACKNOWLEDGE: &str = "f10a0057a0c1400080000000000a0001";
    /// Reopen a resolved ticket when someone comments on it.
    pub const REOPEN: &str = "f10a0057a0c1400080000000000a0002";
    /// Request approval for a ticket (a manual flow that raises an approval on the ticket).
    pub const REQUEST_APPROVAL: &str = "f10a0057a0c1400080000000000a0003";
    /// Escalate a ticket (raise its priority to urgent and say so in a comment).
    pub const ESCALATE: &str = "f10a0057a0c1400080000000000a0004";
    /// Ask for approval when a ticket is opened, and comment the decision on the ticket.
    pub const ASK_APPROVAL: &str = "f10a0057a0c1400080000000000a0005";
    /// The gallery's blank flow, for "New flow".
    pub const BLANK: &str = "0b1a4c0000000000000000000000b1a4";

    /// Template names by id, for pages that list flows made from them.
    pub const NAMES: [(&str, &str); 5] = [
        (ACKNOWLEDGE, "Acknowledge new tickets on the account"),
        (
            REOPEN,
            "Reopen a resolved ticket when someone comments on it",
        ),
        (REQUEST_APPROVAL, "Request approval for a ticket"),
        (ESCALATE, "Escalate a ticket"),
        (ASK_APPROVAL, "Ask for approval when a ticket is opened"),
    ];

    pub fn name(id: &str) -> Option<&'static str> {
        NAMES
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(id))
            .map(|(_, n)| *n)
    }
}

/// A new placement's starting point: every setting of `widget` at its default.
pub fn blank(widget: WidgetType, page: PageKind) -> Placement {
    Placement {
        key: String::new(),
        page,
        slot: "main".into(),
        order: 50,
        enabled: true,
        title: String::new(),
        settings: Settings::defaults(widget),
        revision: 0,
    }
}

fn placement(
    key: &str,
    page: PageKind,
    order: i32,
    title: &str,
    widget: WidgetType,
    settings: serde_json::Value,
) -> Placement {
    Placement {
        key: key.into(),
        order,
        title: title.into(),
        settings: Settings::of(widget, settings).expect("seeded settings fit their type"),
        ..blank(widget, page)
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
            WidgetType::Templates,
            json!({
                "searchTerm": "flowhost account",
                "pageSize": 6,
                "destination": "details",
                "defaultParams": {
                    "parameters.flowhost.accountId": "{account.id}",
                    "parameters.flowhost.accountName": "{account.name}",
                    "parameters.flowhost.accountUrl": "{account.url}",
                },
            }),
        ),
        placement(
            "account-flows",
            PageKind::Account,
            20,
            "Flows for this account",
            WidgetType::Flows,
            json!({
                "tab": "myFlows",
                "hideTabs": true,
                "flowsFilter": "operations/any(operation: operation/flowhost.accountId eq '{account.id}')",
                "createFromBlankTemplateId": templates::BLANK,
            }),
        ),
        placement(
            "ticket-runtime",
            PageKind::Ticket,
            10,
            "Flows for this ticket",
            WidgetType::FlowsRuntime,
            json!({
                "trigger": {"kind": "template", "id": templates::REQUEST_APPROVAL},
                "buttonText": "Run a flow on this ticket",
            }),
        ),
        placement(
            "ticket-approvals",
            PageKind::Ticket,
            20,
            "Approvals for this ticket",
            WidgetType::ApprovalCenter,
            json!({
                "tab": "receivedApprovals",
                "hideTabs": false,
                "approvalsFilter": "properties/itemlink eq '{ticket.url}'",
                "hideLink": true,
            }),
        ),
        placement(
            "flows",
            PageKind::Flows,
            10,
            "My flows",
            WidgetType::Flows,
            json!({"tab": "myFlows", "hideTabs": false, "createFromBlankTemplateId": templates::BLANK}),
        ),
        placement(
            "approvals",
            PageKind::Approvals,
            10,
            "Approvals",
            WidgetType::ApprovalCenter,
            json!({"tab": "receivedApprovals", "hideTabs": false, "hideLink": false}),
        ),
    ]
}
