//! What the marketplace stand-in remembers: the offer and its plans (`fixtures/marketplace.toml`),
//! each purchase's SaaS subscription, its operations, and the landing tokens handed out.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const FIXTURE: &str = include_str!("../../../fixtures/marketplace.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    pub publisher_id: String,
    pub offer_id: String,
    /// The publisher's own tenant, whose app calls the API.
    pub publisher_tenant: String,
    /// The app the offer's Technical configuration names.
    pub fulfillment_app: String,
    pub plans: Vec<Plan>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub plan_id: String,
    pub display_name: String,
    pub description: String,
    pub has_free_trials: bool,
    pub is_price_per_seat: bool,
    pub min_quantity: u32,
    pub max_quantity: u32,
}

impl Offer {
    pub fn embedded() -> Offer {
        toml::from_str(FIXTURE).expect("fixtures/marketplace.toml is valid")
    }

    pub fn plan(&self, id: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.plan_id == id)
    }
}

impl Plan {
    /// Whether a per-seat subscription of this plan may have `quantity` seats.
    pub fn allows(&self, quantity: u64) -> bool {
        (u64::from(self.min_quantity)..=u64::from(self.max_quantity)).contains(&quantity)
    }

    /// The seats a subscription with `quantity` has on this plan: none on a flat rate, and
    /// within the plan's bounds per seat.
    pub fn seats_after(&self, quantity: Option<u32>) -> Option<u32> {
        self.is_price_per_seat.then(|| {
            quantity
                .unwrap_or(self.min_quantity)
                .clamp(self.min_quantity.max(1), self.max_quantity.max(1))
        })
    }

    /// As `listAvailablePlans` gives it.
    pub fn json(&self) -> Value {
        json!({
            "planId": self.plan_id,
            "displayName": self.display_name,
            "isPrivate": false,
            "description": self.description,
            "minQuantity": self.min_quantity,
            "maxQuantity": self.max_quantity,
            "hasFreeTrials": self.has_free_trials,
            "isPricePerSeat": self.is_price_per_seat,
            "isStopSell": false,
            "market": "US",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    PendingFulfillmentStart,
    Subscribed,
    Suspended,
    Unsubscribed,
}

/// A person of a customer tenant: who bought, or for whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub email: String,
    pub object_id: String,
    pub tenant_id: String,
}

impl Party {
    fn json(&self) -> Value {
        json!({"emailId": self.email, "objectId": self.object_id, "tenantId": self.tenant_id,
            "puid": format!("1003{:0>12}", self.object_id.replace('-', "").chars().take(12).collect::<String>().to_uppercase())})
    }
}

#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: String,
    pub name: String,
    pub plan_id: String,
    /// For a per-seat plan; dropped when it is unsubscribed.
    pub quantity: Option<u32>,
    pub status: Status,
    pub beneficiary: Party,
    pub purchaser: Party,
    pub free_trial: bool,
    /// The term, from activation on.
    pub term: Option<(OffsetDateTime, OffsetDateTime)>,
    pub created: OffsetDateTime,
    pub modified: OffsetDateTime,
}

pub fn timestamp(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

impl Subscription {
    pub fn json(&self, offer: &Offer) -> Value {
        let term = match self.term {
            Some((start, end)) => {
                json!({"startDate": timestamp(start), "endDate": timestamp(end), "termUnit": "P1M"})
            }
            None => json!({"termUnit": "P1M"}),
        };
        let mut value = json!({
            "id": self.id,
            "publisherId": offer.publisher_id,
            "offerId": offer.offer_id,
            "name": self.name,
            "saasSubscriptionStatus": self.status,
            "beneficiary": self.beneficiary.json(),
            "purchaser": self.purchaser.json(),
            "planId": self.plan_id,
            "term": term,
            "autoRenew": true,
            "isTest": false,
            "isFreeTrial": self.free_trial,
            "allowedCustomerOperations": ["Read", "Update", "Delete"],
            "sandboxType": "None",
            "sessionMode": "None",
            "created": timestamp(self.created),
            "lastModified": timestamp(self.modified),
        });
        if let Some(quantity) = self.quantity {
            value["quantity"] = json!(quantity);
        }
        value
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Unsubscribe,
    ChangePlan,
    ChangeQuantity,
    Suspend,
    Reinstate,
    Renew,
}

impl Action {
    /// Whether the publisher must acknowledge it (PATCH the operation) within ten seconds.
    pub fn acknowledged(self) -> bool {
        matches!(
            self,
            Action::ChangePlan | Action::ChangeQuantity | Action::Reinstate
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OperationStatus {
    NotStarted,
    InProgress,
    Succeeded,
    Failed,
    Conflict,
}

/// Who asked for an operation: the customer (`Azure`) or the publisher through the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    Azure,
    Partner,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    pub activity_id: String,
    pub subscription_id: String,
    pub action: Action,
    pub plan_id: String,
    pub quantity: Option<u32>,
    pub status: OperationStatus,
    pub source: Source,
    pub at: OffsetDateTime,
}

impl Operation {
    pub fn json(&self, offer: &Offer) -> Value {
        let mut value = json!({
            "id": self.id,
            "activityId": self.activity_id,
            "subscriptionId": self.subscription_id,
            "offerId": offer.offer_id,
            "publisherId": offer.publisher_id,
            "planId": self.plan_id,
            "action": self.action,
            "timeStamp": timestamp(self.at),
            "status": self.status,
            "operationRequestSource": self.source,
            "errorStatusCode": "",
            "errorMessage": "",
        });
        if let Some(quantity) = self.quantity {
            value["quantity"] = json!(quantity);
        }
        value
    }
}

/// A landing page token: opaque, for one subscription, until it expires.
#[derive(Debug, Clone)]
pub struct LandingToken {
    pub token: String,
    pub subscription_id: String,
    pub expires: OffsetDateTime,
}

#[derive(Debug, Default)]
pub struct Market {
    pub subscriptions: Vec<Subscription>,
    pub operations: Vec<Operation>,
    pub tokens: Vec<LandingToken>,
    /// Every call to the publisher's webhook, in order.
    pub deliveries: Vec<super::webhook::Delivery>,
    /// Customer operations left unacknowledged are patched as succeeded after ten seconds,
    /// unless this is off (then they stay in progress, as some have in practice).
    pub no_auto_success: bool,
    /// Webhook calls are lost on the way: none reaches the publisher.
    pub webhooks_lost: bool,
}

impl Market {
    pub fn subscription(&self, id: &str) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| s.id == id)
    }

    pub fn subscription_mut(&mut self, id: &str) -> Option<&mut Subscription> {
        self.subscriptions.iter_mut().find(|s| s.id == id)
    }

    /// Whether an operation on the subscription waits to be carried out.
    pub fn in_progress(&self, id: &str) -> bool {
        self.operations
            .iter()
            .any(|o| o.subscription_id == id && o.status == OperationStatus::InProgress)
    }

    /// Records `action` on `s`, in progress; its id.
    pub fn begin(
        &mut self,
        s: &Subscription,
        action: Action,
        plan_id: String,
        quantity: Option<u32>,
        source: Source,
        now: OffsetDateTime,
    ) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.operations.push(Operation {
            id: id.clone(),
            activity_id: uuid::Uuid::new_v4().to_string(),
            subscription_id: s.id.clone(),
            action,
            plan_id,
            quantity,
            status: OperationStatus::InProgress,
            source,
            at: now,
        });
        id
    }

    /// Ends the operation `id`: carried out on its subscription, or failed.
    pub fn settle(&mut self, id: &str, succeeded: bool, now: OffsetDateTime) {
        let Some(op) = self.operations.iter_mut().find(|o| o.id == id) else {
            return;
        };
        if op.status != OperationStatus::InProgress {
            return;
        }
        op.status = if succeeded {
            OperationStatus::Succeeded
        } else {
            OperationStatus::Failed
        };
        let op = op.clone();
        if !succeeded {
            return;
        }
        let Some(s) = self.subscription_mut(&op.subscription_id) else {
            return;
        };
        s.modified = now;
        match op.action {
            Action::ChangePlan => {
                s.plan_id = op.plan_id;
                s.quantity = op.quantity;
            }
            Action::ChangeQuantity => s.quantity = op.quantity,
            Action::Suspend => s.status = Status::Suspended,
            Action::Reinstate => s.status = Status::Subscribed,
            Action::Renew => {
                if let Some((_, end)) = s.term {
                    s.term = Some((end, end + time::Duration::days(30)));
                }
            }
            Action::Unsubscribe => {
                s.status = Status::Unsubscribed;
                // Unsubscribing a per-seat subscription drops its quantity.
                s.quantity = None;
            }
        }
    }
}
