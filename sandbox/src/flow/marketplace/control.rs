//! The customer's side of the marketplace, as test controls under `/_sandbox/marketplace`:
//! a purchase for one organisation's person (a subscription waiting for fulfilment, and the
//! landing page URL with its token), and the customer's changes to a subscription. A change
//! the publisher must acknowledge (plan, seats, reinstate) is patched as succeeded after ten
//! seconds unless the publisher answered first, or unless `/_sandbox/marketplace/settings` has
//! turned that off (it can also lose the webhook calls, as an outage would); the others (suspend, renew, unsubscribe) take effect at once. Tests also
//! get the tokens the webhook calls carry (`webhook-token`, optionally with one claim spoiled)
//! and the calls made (`deliveries`).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::json;

use super::state::{Action, LandingToken, Party, Source, Status, Subscription};
use super::webhook;
use crate::flow::FlowService;
use crate::idp::app_token::Spoil;

/// How long a landing page token lives.
const TOKEN_LIFETIME: time::Duration = time::Duration::hours(24);
/// How long an unacknowledged customer change waits before it is patched as succeeded.
const AUTO_SUCCESS: Duration = Duration::from_secs(10);
/// How long the marketplace takes to carry out a publisher's change.
pub const PARTNER_DELAY: Duration = Duration::from_millis(500);

pub fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route("/_sandbox/marketplace/buy", post(buy))
        .route("/_sandbox/marketplace/settings", post(settings))
        .route(
            "/_sandbox/marketplace/subscriptions/{id}/{action}",
            post(customer_action),
        )
        .route("/_sandbox/marketplace/webhook-token", post(webhook_token))
        .route("/_sandbox/marketplace/deliveries", get(deliveries))
}

#[derive(Deserialize, Default)]
struct TokenRequest {
    spoil: Option<Spoil>,
}

/// A token as the marketplace sends with its webhook calls, with one claim spoiled if asked.
async fn webhook_token(
    State(flow): State<Arc<FlowService>>,
    body: Option<Json<TokenRequest>>,
) -> Json<serde_json::Value> {
    let spoil = body.and_then(|Json(b)| b.spoil);
    Json(json!({"token": webhook::token(&flow, spoil)}))
}

/// Every webhook call so far: the operation, its action, and the status the publisher
/// answered (none when it could not be reached).
async fn deliveries(State(flow): State<Arc<FlowService>>) -> Json<serde_json::Value> {
    let st = flow.lock();
    let listed: Vec<_> = st
        .market
        .deliveries
        .iter()
        .map(|d| json!({"operationId": d.operation, "action": d.action, "status": d.status}))
        .collect();
    Json(json!({ "deliveries": listed }))
}

/// Carries out the operation `op` after `delay`, unless it was answered meanwhile (or, for a
/// customer's change, automatic success is off).
pub fn complete_later(flow: Arc<FlowService>, op: String, delay: Duration) {
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let now = flow.idp.now();
        let source = {
            let mut st = flow.lock();
            let source = st
                .market
                .operations
                .iter()
                .find(|o| o.id == op)
                .map(|o| o.source);
            if source == Some(Source::Azure) && st.market.no_auto_success {
                return;
            }
            st.market.settle(&op, true, now);
            source
        };
        // The publisher learns of its own change, once carried out, from the webhook.
        if source == Some(Source::Partner) {
            webhook::send(flow, op);
        }
    });
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Purchase {
    /// Who buys: a person of the directory, whose organisation is the beneficiary.
    pub purchaser: String,
    pub plan_id: String,
    #[serde(default)]
    pub quantity: Option<u32>,
    #[serde(default)]
    pub free_trial: bool,
}

/// A purchase: the subscription, waiting for fulfilment, and where the browser goes next.
async fn buy(State(flow): State<Arc<FlowService>>, Json(p): Json<Purchase>) -> Response {
    match purchase(&flow, &p) {
        Ok(bought) => Json(json!({"subscriptionId": bought.subscription_id,
            "token": bought.token, "landingUrl": bought.landing_url}))
        .into_response(),
        Err(why) => (StatusCode::BAD_REQUEST, Json(json!({"error": why}))).into_response(),
    }
}

/// A subscription bought, waiting for fulfilment.
pub struct Bought {
    pub subscription_id: String,
    pub token: String,
    /// Flowhost's landing page with the token, URL-encoded.
    pub landing_url: String,
}

/// Buys `p.plan_id` for the purchaser's organisation; why not, in a few words.
pub fn purchase(flow: &FlowService, p: &Purchase) -> Result<Bought, &'static str> {
    let (tenant, user) = flow
        .idp
        .directory
        .user(&p.purchaser)
        .ok_or("no such person")?;
    let plan = flow.offer.plan(&p.plan_id).ok_or("no such plan")?;
    if p.free_trial && !plan.has_free_trials {
        return Err("the plan has no free trial");
    }
    let party = Party {
        email: user.upn.clone(),
        object_id: user.object_id.clone(),
        tenant_id: tenant.id.clone(),
    };
    let now = flow.idp.now();
    let subscription = Subscription {
        id: uuid::Uuid::new_v4().to_string(),
        name: format!("Flowhost for {}", tenant.display_name),
        plan_id: plan.plan_id.clone(),
        quantity: plan.seats_after(p.quantity),
        status: Status::PendingFulfillmentStart,
        beneficiary: party.clone(),
        purchaser: party,
        free_trial: p.free_trial,
        term: None,
        created: now,
        modified: now,
    };
    // Opaque, and with the characters that must be URL-encoded in a query.
    let token = STANDARD.encode(
        [
            uuid::Uuid::new_v4().as_bytes().as_slice(),
            &[0xfb, 0xff, 0xfe],
        ]
        .concat(),
    );
    let landing_url = url::Url::parse_with_params(&flow.landing_page, &[("token", token.as_str())])
        .map(|u| u.to_string())
        .unwrap_or_default();
    let subscription_id = subscription.id.clone();
    let mut st = flow.lock();
    st.market.tokens.push(LandingToken {
        token: token.clone(),
        subscription_id: subscription_id.clone(),
        expires: now + TOKEN_LIFETIME,
    });
    st.market.subscriptions.push(subscription);
    Ok(Bought {
        subscription_id,
        token,
        landing_url,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Settings {
    auto_success: Option<bool>,
    /// Off: webhook calls are lost on the way, as a publisher's outage loses them.
    deliver_webhooks: Option<bool>,
}

async fn settings(State(flow): State<Arc<FlowService>>, Json(s): Json<Settings>) -> Response {
    let mut st = flow.lock();
    if let Some(on) = s.auto_success {
        st.market.no_auto_success = !on;
    }
    if let Some(on) = s.deliver_webhooks {
        st.market.webhooks_lost = !on;
    }
    Json(json!({"autoSuccess": !st.market.no_auto_success, "deliverWebhooks": !st.market.webhooks_lost}))
        .into_response()
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CustomerChange {
    plan_id: Option<String>,
    quantity: Option<u32>,
}

/// The customer changes plan (`changePlan`) or seats (`changeQuantity`), or the subscription
/// is suspended, reinstated, renewed or unsubscribed: the operation, as the publisher will
/// read it.
async fn customer_action(
    State(flow): State<Arc<FlowService>>,
    Path((id, action)): Path<(String, String)>,
    body: Option<Json<CustomerChange>>,
) -> Response {
    let change = body.map(|Json(c)| c).unwrap_or_default();
    let action = match action.as_str() {
        "changePlan" => Action::ChangePlan,
        "changeQuantity" => Action::ChangeQuantity,
        "suspend" => Action::Suspend,
        "reinstate" => Action::Reinstate,
        "renew" => Action::Renew,
        "unsubscribe" => Action::Unsubscribe,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let now = flow.idp.now();
    let mut st = flow.lock();
    let Some(s) = st.market.subscription(&id).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let allowed = match action {
        Action::Reinstate => s.status == Status::Suspended,
        Action::Unsubscribe => matches!(s.status, Status::Subscribed | Status::Suspended),
        _ => s.status == Status::Subscribed,
    };
    let plan = change.plan_id.clone().unwrap_or_else(|| s.plan_id.clone());
    let Some(target) = flow.offer.plan(&plan) else {
        return StatusCode::CONFLICT.into_response();
    };
    if !allowed || st.market.in_progress(&id) {
        return StatusCode::CONFLICT.into_response();
    }
    let quantity = target.seats_after(change.quantity.or(s.quantity));
    let op = st
        .market
        .begin(&s, action, plan, quantity, Source::Azure, now);
    if action.acknowledged() {
        drop(st);
        complete_later(flow.clone(), op.clone(), AUTO_SUCCESS);
    } else {
        st.market.settle(&op, true, now);
        drop(st);
    }
    webhook::send(flow.clone(), op.clone());
    Json(json!({"operationId": op})).into_response()
}
