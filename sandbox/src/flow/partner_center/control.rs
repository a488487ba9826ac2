//! Test controls under `/_sandbox/partner-center`: whether inventory is available, a checkout
//! whose answer is held back (so the caller times out and retries), how long orders take to
//! complete, and every order of every customer placed since the start.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::state::{Order, Settings};
use crate::flow::FlowService;

/// The longest an order may be set to take.
const MAX_DELAY_SECONDS: f64 = 3600.0;

pub fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route("/_sandbox/partner-center", post(settings))
        .route("/_sandbox/partner-center/orders", get(orders))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Change {
    inventory_available: Option<bool>,
    timeout_next_checkout: Option<bool>,
    order_completes_after_seconds: Option<f64>,
}

fn json(s: &Settings) -> Value {
    json!({
        "inventoryAvailable": s.inventory_available,
        "timeoutNextCheckout": s.timeout_next_checkout,
        "orderCompletesAfterSeconds": s.order_delay.as_secs_f64(),
    })
}

/// Changes the settings named; the others stay. Answers all of them.
async fn settings(State(flow): State<Arc<FlowService>>, Json(change): Json<Change>) -> Response {
    let delay = change.order_completes_after_seconds;
    if delay.is_some_and(|d| !(0.0..=MAX_DELAY_SECONDS).contains(&d)) {
        let error = format!("orderCompletesAfterSeconds must be between 0 and {MAX_DELAY_SECONDS}");
        return (StatusCode::BAD_REQUEST, Json(json!({"error": error}))).into_response();
    }
    let mut st = flow.lock();
    let s = &mut st.partner_center.settings;
    if let Some(on) = change.inventory_available {
        s.inventory_available = on;
    }
    if let Some(on) = change.timeout_next_checkout {
        s.timeout_next_checkout = on;
    }
    if let Some(seconds) = delay {
        s.order_delay = Duration::from_secs_f64(seconds);
    }
    Json(json(s)).into_response()
}

/// Every order of every customer placed since the sandbox started (or was reset), as the API
/// gives it, in a JSON array; the fixture's purchase history is not among them.
async fn orders(State(flow): State<Arc<FlowService>>) -> Json<Vec<Value>> {
    let st = flow.lock();
    let orders = &st.partner_center.orders;
    Json(
        orders
            .iter()
            .filter(|o| !o.historical)
            .map(Order::json)
            .collect(),
    )
}
