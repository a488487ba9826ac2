//! An organisation's SaaS subscription on the commercial marketplace, as Flowhost keeps it:
//! what the marketplace last said of it, and what happened to it.

use crate::plan::Access;
use crate::tenant::TenantId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The marketplace's `saasSubscriptionStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubscriptionStatus {
    NotStarted,
    PendingFulfillmentStart,
    Subscribed,
    Suspended,
    Unsubscribed,
}

impl SubscriptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::NotStarted => "NotStarted",
            SubscriptionStatus::PendingFulfillmentStart => "PendingFulfillmentStart",
            SubscriptionStatus::Subscribed => "Subscribed",
            SubscriptionStatus::Suspended => "Suspended",
            SubscriptionStatus::Unsubscribed => "Unsubscribed",
        }
    }

    pub fn parse(raw: &str) -> Option<SubscriptionStatus> {
        Some(match raw {
            "NotStarted" => SubscriptionStatus::NotStarted,
            "PendingFulfillmentStart" => SubscriptionStatus::PendingFulfillmentStart,
            "Subscribed" => SubscriptionStatus::Subscribed,
            "Suspended" => SubscriptionStatus::Suspended,
            "Unsubscribed" => SubscriptionStatus::Unsubscribed,
            _ => return None,
        })
    }

    /// The access this status leaves the organisation with.
    pub fn access(self) -> Access {
        match self {
            SubscriptionStatus::Suspended => Access::Suspended,
            SubscriptionStatus::Unsubscribed => Access::Ended,
            _ => Access::Subscribed,
        }
    }
}

/// A subscription as the Fulfillment API describes it, with what Flowhost uses of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Offered {
    pub id: String,
    pub name: String,
    pub offer_id: String,
    pub plan_id: String,
    /// Seats of a per-person plan; none for a flat-rate one.
    pub quantity: Option<i64>,
    pub status: SubscriptionStatus,
    pub free_trial: bool,
    pub term_start: Option<OffsetDateTime>,
    pub term_end: Option<OffsetDateTime>,
    /// The organisation it is for.
    pub beneficiary_tenant: String,
    pub purchaser_email: String,
    pub purchaser_tenant: String,
    pub purchaser_object_id: String,
}

/// A subscription Flowhost fulfilled, as the ISV console and the tenant's settings show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub tenant_id: TenantId,
    pub tenant_name: String,
    pub name: String,
    pub offer_id: String,
    pub plan_id: String,
    pub quantity: Option<i64>,
    pub status: SubscriptionStatus,
    pub free_trial: bool,
    pub term_start: Option<OffsetDateTime>,
    pub term_end: Option<OffsetDateTime>,
    pub purchaser_email: String,
    pub activated_by: String,
    pub activated_at: OffsetDateTime,
    /// A change asked of the marketplace from Flowhost, waiting for its webhook.
    pub requested: Option<String>,
    /// After it ended: when the organisation's data is deleted, and when it was.
    pub delete_after: Option<OffsetDateTime>,
    pub deleted_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

/// One thing that happened to a subscription.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionEvent {
    pub at: OffsetDateTime,
    /// `Activate`, an operation's action (`ChangePlan`, `Suspend`, …), `Reconcile`, `Delete`.
    pub action: String,
    /// `landing`, `webhook`, `reconciliation`, `settings`, `retention`.
    pub source: String,
    pub detail: String,
}

/// What an activation came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Activation {
    /// Activated now: the organisation is admitted with the plan.
    Activated,
    /// Flowhost had fulfilled it before: the existing subscription.
    Existing(Box<Subscription>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_reads_back_and_decides_access() {
        for status in [
            SubscriptionStatus::NotStarted,
            SubscriptionStatus::PendingFulfillmentStart,
            SubscriptionStatus::Subscribed,
            SubscriptionStatus::Suspended,
            SubscriptionStatus::Unsubscribed,
        ] {
            assert_eq!(SubscriptionStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(SubscriptionStatus::Suspended.access(), Access::Suspended);
        assert_eq!(SubscriptionStatus::Unsubscribed.access(), Access::Ended);
        assert_eq!(SubscriptionStatus::Subscribed.access(), Access::Subscribed);
        assert_eq!(SubscriptionStatus::parse("subscribed"), None);
    }
}
