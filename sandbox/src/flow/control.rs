//! Test controls on the Flow service's origin, under `/_sandbox/`: faults of the script and
//! the widget pages, a slow `WIDGET_READY`, a token the service suddenly calls expired,
//! counters, and reset.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::FlowService;
use super::state::{Faults, FlowState, Stats};

pub fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route("/_sandbox/faults", post(set_faults))
        .route("/_sandbox/expire-token", post(expire_token))
        .route("/_sandbox/stats", get(stats))
        .route("/_sandbox/reset", post(reset))
}

/// Replaces every fault at once; fields left out are back to normal.
async fn set_faults(
    State(flow): State<Arc<FlowService>>,
    Json(faults): Json<Faults>,
) -> Json<Faults> {
    flow.lock().faults = faults.clone();
    Json(faults)
}

/// The next API call with a valid token is answered `ExpiredAuthenticationToken`.
async fn expire_token(State(flow): State<Arc<FlowService>>) -> Json<Value> {
    flow.lock().expire_next_token = true;
    Json(json!({"expire_next_token": true}))
}

async fn stats(State(flow): State<Arc<FlowService>>) -> Json<Value> {
    let st = flow.lock();
    let Stats {
        script_requests,
        page_requests,
        tokens_checked,
        tokens_refused,
    } = st.stats.clone();
    Json(json!({
        "script_requests": script_requests,
        "page_requests": page_requests,
        "tokens_checked": tokens_checked,
        "tokens_refused": tokens_refused,
        "flows": st.flows.len(),
        "runs": st.runs.len(),
        "approvals": st.approvals.len(),
    }))
}

async fn reset(State(flow): State<Arc<FlowService>>) -> Json<Value> {
    *flow.lock() = FlowState::default();
    Json(json!({"reset": true}))
}
