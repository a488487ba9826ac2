//! The caller's connections to connectors that sign in (Flowhost's): listing them, and making
//! one, which answers with the consent link its sign-in window opens.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::ENV;
use super::auth::in_environment;
use super::error::{ApiError, ApiResult, ok};
use crate::flow::FlowService;
use crate::flow::consent::consent_link;
use crate::flow::state::{Connection, timestamp};
use crate::flow::token::Caller;

/// The one connector whose connections sign in here.
pub const FLOWHOST_API: &str = "shared_flowhost";

pub(super) fn routes() -> Router<Arc<FlowService>> {
    Router::new().route(
        &format!("{ENV}/connections"),
        get(connections).post(create_connection),
    )
}

pub(crate) fn connection_json(c: &Connection) -> Value {
    let statuses = if c.connected() {
        json!([{"status": "Connected"}])
    } else {
        json!([{"status": "Error", "error": {"code": "Unauthenticated",
            "message": "This connection is not authenticated. Sign in to use it."}}])
    };
    json!({
        "name": c.name,
        "id": format!("/providers/Microsoft.PowerApps/apis/{}/connections/{}", c.api, c.name),
        "type": "Microsoft.PowerApps/apis/connections",
        "properties": {
            "apiId": format!("/providers/Microsoft.PowerApps/apis/{}", c.api),
            "displayName": c.account,
            "statuses": statuses,
            "createdTime": timestamp(c.created),
            "environment": {"name": c.environment},
        }
    })
}

async fn connections(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let st = flow.lock();
    let value: Vec<Value> = st
        .connections
        .iter()
        .filter(|c| c.tenant == caller.tenant && c.environment == env)
        .filter(|c| c.owner == caller.object_id)
        .rev()
        .map(connection_json)
        .collect();
    ok(json!({ "value": value }))
}

#[derive(Deserialize)]
struct CreateConnection {
    api: String,
}

async fn create_connection(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    headers: HeaderMap,
    Json(body): Json<CreateConnection>,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    if body.api != FLOWHOST_API {
        return Err(ApiError::bad_request(
            "ApiNotFound",
            &format!(
                "The API '{}' does not take connections that sign in here.",
                body.api
            ),
        ));
    }
    let made = begin_connection(&flow, caller, env, body.api);
    Ok((StatusCode::CREATED, Json(made)).into_response())
}

/// A new connection of `caller` to `api` in the environment `env`, waiting for its sign-in:
/// the connection with its `consentLink`.
pub(crate) fn begin_connection(
    flow: &FlowService,
    caller: Caller,
    env: String,
    api: String,
) -> Value {
    let state = uuid::Uuid::new_v4().simple().to_string();
    let connection = Connection {
        name: format!("shared-flowhost-{}", uuid::Uuid::new_v4()),
        tenant: caller.tenant,
        environment: env,
        owner: caller.object_id,
        api,
        account: None,
        consent_state: Some(state.clone()),
        tokens: None,
        created: flow.idp.now(),
    };
    let mut answer = connection_json(&connection);
    answer["properties"]["consentLink"] = json!(consent_link(flow, &state, &caller.upn));
    flow.lock().connections.push(connection);
    answer
}
