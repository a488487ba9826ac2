//! Test controls on the Flow service's origin, under `/_sandbox/`: faults of the script and
//! the widget pages, a slow `WIDGET_READY`, a token the service suddenly calls expired,
//! counters, reset, and which SDK script is served.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::FlowService;
use super::sdk_setting::SdkSetting;
use super::state::{Faults, FlowState, Stats};

pub fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route("/_sandbox/faults", post(set_faults))
        .route("/_sandbox/expire-token", post(expire_token))
        .route("/_sandbox/stats", get(stats))
        .route("/_sandbox/reset", post(reset))
        .route("/_sandbox/sdk", get(sdk).post(set_sdk))
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

/// Forgets flows, runs and approvals, faults and counters; the SDK setting stays.
async fn reset(State(flow): State<Arc<FlowService>>) -> Json<Value> {
    let mut st = flow.lock();
    *st = FlowState::new(st.sdk);
    Json(json!({"reset": true}))
}

async fn sdk(State(flow): State<Arc<FlowService>>) -> Json<Value> {
    Json(flow.lock().sdk.to_json())
}

/// Replaces the SDK setting, `{"sdk": "2.2"|"1.1", "host": "maker"|"classic"}`; fields left
/// out are back to their defaults. Anything else is a 400 naming the field.
async fn set_sdk(State(flow): State<Arc<FlowService>>, body: Bytes) -> Response {
    let parsed = serde_json::from_slice::<Value>(&body);
    let setting = match parsed.as_ref().map(SdkSetting::from_json) {
        Ok(Ok(setting)) => setting,
        Ok(Err(refused)) => {
            return (StatusCode::BAD_REQUEST, Json(refused.to_json())).into_response();
        }
        Err(e) => {
            let body = json!({"error": format!("the body is not JSON: {e}"), "field": null});
            return (StatusCode::BAD_REQUEST, Json(body)).into_response();
        }
    };
    flow.lock().sdk = setting;
    Json(setting.to_json()).into_response()
}
