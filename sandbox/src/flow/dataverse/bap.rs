//! The Power Platform's environments list (BAP,
//! `https://api.bap.microsoft.com/providers/Microsoft.BusinessAppPlatform/environments`), on this
//! origin: the caller's tenant's environments, each with its Dataverse organisation's URL in
//! `linkedEnvironmentMetadata` when it has one. It takes a token for the PowerApps service
//! (`https://service.powerapps.com/`).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use super::organisation_url;
use crate::flow::FlowService;
use crate::flow::api::error::ApiError;
use crate::flow::catalog::Environment;
use crate::flow::token;

const POWERAPPS_SERVICE: &str = "https://service.powerapps.com/";
const ENVIRONMENTS: &str = "/providers/Microsoft.BusinessAppPlatform/environments";

pub fn routes() -> axum::Router<Arc<FlowService>> {
    axum::Router::new().route(ENVIRONMENTS, get(environments))
}

#[derive(Deserialize)]
struct Versioned {
    #[serde(rename = "api-version")]
    api_version: Option<String>,
}

async fn environments(
    State(flow): State<Arc<FlowService>>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let caller = match token::check_for(
        &flow,
        authorization,
        POWERAPPS_SERVICE,
        "user_impersonation",
    ) {
        Ok(caller) => caller,
        Err(refused) => return refused.into_response(),
    };
    if query.api_version.as_deref().is_none_or(str::is_empty) {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        )
        .into_response();
    }
    let value: Vec<Value> = flow
        .catalog
        .environments(&caller.tenant, &caller.tenant_name)
        .iter()
        .map(|e| environment(&flow.origin, e))
        .collect();
    Json(json!({ "value": value })).into_response()
}

fn environment(origin: &str, e: &Environment) -> Value {
    let default = e.name.starts_with("Default-");
    let mut properties = json!({
        "displayName": e.display_name,
        "provisioningState": "Succeeded",
        "creationType": if default { "DefaultTenant" } else { "User" },
        "environmentSku": if default { "Default" } else { "Sandbox" },
        "isDefault": default,
        "azureRegion": "westeurope",
        "runtimeEndpoints": {"microsoft.Flow": origin},
        "states": {"management": {"id": "Ready"}, "runtime": {"id": "Enabled"}},
    });
    if let Some(org) = e.organisation() {
        let url = organisation_url(origin, &org);
        properties["databaseType"] = json!("CommonDataService");
        properties["linkedEnvironmentMetadata"] = json!({
            "friendlyName": e.display_name,
            "uniqueName": org,
            "domainName": org,
            "version": "9.2.25113.00000",
            "instanceUrl": format!("{url}/"),
            "instanceApiUrl": url,
            "instanceState": "Ready",
        });
    }
    json!({
        "id": format!("{ENVIRONMENTS}/{}", e.name),
        "type": "Microsoft.BusinessAppPlatform/environments",
        "location": "europe",
        "name": e.name,
        "properties": properties,
    })
}
