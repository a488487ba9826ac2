//! The marketplace's calls to the publisher's webhook (its "Connection webhook",
//! `{Flowhost}/marketplace/webhook`): one POST per operation, with a bearer token the
//! marketplace's app (`20e940b3-…`) gets in the publisher's tenant for the publisher's
//! fulfillment app (`aud`), retried while the publisher does not answer 2xx.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::RESOURCE;
use super::state::{Operation, timestamp};
use crate::flow::FlowService;
use crate::idp::app_token::{Spoil, first_party};

/// Attempts per operation, and the first wait between two (doubling after each).
const ATTEMPTS: u32 = 5;
const FIRST_WAIT: Duration = Duration::from_millis(500);

/// One delivery attempt, as the tests and the controls page read them.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub operation: String,
    pub action: String,
    pub status: Option<u16>,
}

/// The webhook's body for `op`, with the subscription as it is now.
pub fn payload(flow: &FlowService, op: &Operation) -> Value {
    let st = flow.lock();
    let subscription = st
        .market
        .subscription(&op.subscription_id)
        .map(|s| s.json(&flow.offer))
        .unwrap_or(Value::Null);
    let mut body = op.json(&flow.offer);
    body["timeStamp"] = json!(timestamp(op.at));
    body["subscription"] = subscription;
    body["purchaseToken"] = Value::Null;
    body
}

/// A token the marketplace sends with its calls, optionally spoiled.
pub fn token(flow: &FlowService, spoiled: Option<Spoil>) -> String {
    first_party(
        &flow.idp,
        &flow.offer.publisher_tenant,
        RESOURCE,
        &flow.offer.fulfillment_app,
        spoiled,
    )
}

/// Sends the operation `id` to the publisher's webhook, retrying in the background.
pub fn send(flow: Arc<FlowService>, id: String) {
    tokio::spawn(async move {
        if flow.lock().market.webhooks_lost {
            return;
        }
        let Some(op) = flow
            .lock()
            .market
            .operations
            .iter()
            .find(|o| o.id == id)
            .cloned()
        else {
            return;
        };
        let body = payload(&flow, &op);
        let url = format!("{}/marketplace/webhook", flow.connector_host);
        let mut wait = FIRST_WAIT;
        for _ in 0..ATTEMPTS {
            let sent = flow
                .http
                .post(&url)
                .bearer_auth(token(&flow, None))
                .json(&body)
                .send()
                .await;
            let status = sent.as_ref().ok().map(|r| r.status().as_u16());
            flow.lock().market.deliveries.push(Delivery {
                operation: op.id.clone(),
                action: format!("{:?}", op.action),
                status,
            });
            if status.is_some_and(|s| (200..300).contains(&s)) {
                return;
            }
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
    });
}
