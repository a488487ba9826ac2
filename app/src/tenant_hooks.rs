//! The flows listening to an organisation's events (the connector's webhook subscriptions)
//! and their latest deliveries, for the organisation's `Flowhost.TenantAdmin`s on
//! `/settings/flows`. Removing one goes through the form handler
//! (`server::tenant_flows`).

use domain::hook::HookEvent;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// How many of the latest deliveries the page lists.
pub const DELIVERIES_SHOWN: i64 = 20;

/// One flow's subscription.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HookRow {
    pub id: i64,
    pub event: HookEvent,
    /// The person whose connection the flow uses.
    pub owner: String,
    pub account_id: Option<i64>,
    /// The flow, as its callback address names it: its workflow id, or the address's host.
    pub flow: String,
    pub pending: i64,
    pub failed: i64,
    pub since: OffsetDateTime,
}

/// One delivery of an event to a subscription.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub subscription_id: i64,
    pub event_id: i64,
    pub event: HookEvent,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: i64,
    /// The callback's last answer (`HTTP 500`), or why there was none.
    pub last_error: Option<String>,
    pub at: OffsetDateTime,
}

#[cfg(feature = "ssr")]
/// The flow a callback address belongs to: Power Automate's callbacks read
/// `…/workflows/{id}/triggers/…`; any other address is named by its host.
pub fn flow_of(callback: &str) -> String {
    let Ok(url) = url::Url::parse(callback) else {
        return callback.chars().take(80).collect();
    };
    let mut segments = url.path_segments().into_iter().flatten();
    while let Some(segment) = segments.next() {
        if segment == "workflows"
            && let Some(id) = segments.next().filter(|id| !id.is_empty())
        {
            return id.to_owned();
        }
    }
    url.host_str().unwrap_or_default().to_owned()
}

#[cfg(feature = "ssr")]
impl From<domain::hook::Subscription> for HookRow {
    fn from(s: domain::hook::Subscription) -> Self {
        HookRow {
            id: s.id,
            event: s.event,
            owner: s.owner_name,
            account_id: s.account_id,
            flow: flow_of(&s.callback_url),
            pending: s.pending,
            failed: s.failed,
            since: s.created_at,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::hook::DeliveryRecord> for DeliveryRow {
    fn from(d: domain::hook::DeliveryRecord) -> Self {
        DeliveryRow {
            subscription_id: d.subscription_id,
            event_id: d.event_id,
            event: d.event,
            state: d.state,
            attempts: d.attempts,
            last_error: d.last_error,
            at: d.finished_at.unwrap_or(d.created_at),
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn a_flow_is_named_by_its_workflow_id_else_its_host() {
        assert_eq!(
            super::flow_of(
                "https://prod-27.westeurope.logic.azure.com/workflows/5e1c/triggers/manual/paths/invoke?sig=x"
            ),
            "5e1c"
        );
        assert_eq!(
            super::flow_of("https://flows.example/callback"),
            "flows.example"
        );
    }
}
