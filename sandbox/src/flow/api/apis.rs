//! The connectors a flow in an environment can use: Flowhost's custom connector, read from its
//! `connector/` package, and Approvals.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::get;
use serde_json::json;

use super::ENV;
use super::auth::in_environment;
use super::error::{ApiResult, ok};
use crate::flow::FlowService;

pub(super) fn routes() -> Router<Arc<FlowService>> {
    Router::new().route(&format!("{ENV}/apis"), get(apis))
}

async fn apis(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    in_environment(&flow, &headers, &env)?;
    let properties = &flow.connector_properties;
    let info = &flow.connector.definition()["info"];
    let flowhost = json!({
        "name": "shared_flowhost",
        "id": "/providers/Microsoft.PowerApps/apis/shared_flowhost",
        "type": "Microsoft.PowerApps/apis",
        "properties": {
            "displayName": info["title"],
            "description": info["description"],
            "iconBrandColor": properties["properties"]["iconBrandColor"],
            "isCustomApi": true,
            "tier": "Premium",
            "connectionParameters": properties["properties"]["connectionParameters"],
            "runtimeUrls": [flow.connector_host],
            "operations": flow.connector.operations(),
        }
    });
    let approvals = json!({
        "name": "shared_approvals",
        "id": "/providers/Microsoft.PowerApps/apis/shared_approvals",
        "type": "Microsoft.PowerApps/apis",
        "properties": {
            "displayName": "Approvals",
            "isCustomApi": false,
            "tier": "Standard",
            "operations": [{"operationId": "StartAndWaitForAnApproval", "summary": "Start and wait for an approval"}],
        }
    });
    ok(json!({ "value": [flowhost, approvals] }))
}
