//! The caller (`/_widget-api/me`) and the environment they work in.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::get;
use serde_json::json;

use super::ENV;
use super::auth::{caller, in_environment};
use super::error::{ApiResult, ok};
use crate::flow::FlowService;
use crate::flow::catalog::default_environment;

pub(super) fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route("/_widget-api/me", get(me))
        .route(ENV, get(environment))
}

async fn me(State(flow): State<Arc<FlowService>>, headers: HeaderMap) -> ApiResult {
    let caller = caller(&flow, &headers)?;
    ok(json!({
        "tenantId": caller.tenant,
        "tenantName": caller.tenant_name,
        "objectId": caller.object_id,
        "displayName": caller.name,
        "userPrincipalName": caller.upn,
    }))
}

async fn environment(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, name) = in_environment(&flow, &headers, &env)?;
    let environment = flow
        .catalog
        .environments(&caller.tenant, &caller.tenant_name)
        .into_iter()
        .find(|e| e.name == name)
        .expect("checked above");
    ok(json!({
        "name": environment.name,
        "id": format!("/providers/Microsoft.ProcessSimple/environments/{}", environment.name),
        "type": "Microsoft.ProcessSimple/environments",
        "properties": {
            "displayName": environment.display_name,
            "isDefault": environment.name == default_environment(&caller.tenant),
        }
    }))
}
