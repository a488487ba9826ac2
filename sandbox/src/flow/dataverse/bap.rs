//! The Power Platform's environments list (BAP,
//! `https://api.bap.microsoft.com/providers/Microsoft.BusinessAppPlatform/environments`), on this
//! origin: the caller's tenant's environments, each with its Dataverse organisation's URL in
//! `linkedEnvironmentMetadata` when it has one. It takes a token for the PowerApps service
//! (`https://service.powerapps.com/`).
//!
//! An administrator adds an app to an environment's Dataverse as an application user with the
//! System Administrator role (`POST …/scopes/admin/environments/{name}/addAppUser` with
//! `{"servicePrincipalAppId"}`); the app may then call that organisation with tokens of its own.
//!
//! The Power Apps resource provider's list of the caller's connections to one connector in one
//! environment (`https://api.powerapps.com/providers/Microsoft.PowerApps/apis/{api}/connections`
//! with `$filter=environment eq '{name}'`) takes the same token.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::organisation_url;
use crate::flow::FlowService;
use crate::flow::api::connections::connection_json;
use crate::flow::api::error::ApiError;
use crate::flow::catalog::Environment;
use crate::flow::token;

use crate::POWERAPPS_RESOURCE as POWERAPPS_SERVICE;
const ENVIRONMENTS: &str = "/providers/Microsoft.BusinessAppPlatform/environments";

pub fn routes() -> axum::Router<Arc<FlowService>> {
    axum::Router::new()
        .route(ENVIRONMENTS, get(environments))
        .route(
            "/providers/Microsoft.PowerApps/apis/{api}/connections",
            get(connections),
        )
        .route(
            "/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/{name}/addAppUser",
            post(add_app_user),
        )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddAppUser {
    service_principal_app_id: Option<String>,
}

/// Makes the app an application user of the environment's organisation. Only a Power Platform
/// administrator (a directory administrator of the tenant) may; adding it again changes nothing.
async fn add_app_user(
    State(flow): State<Arc<FlowService>>,
    Path(name): Path<String>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let caller = match checked(&flow, &headers, &query) {
        Ok(caller) => caller,
        Err(refused) => return *refused,
    };
    let admin = flow
        .idp
        .directory
        .user(&caller.upn)
        .is_some_and(|(_, u)| u.directory_admin);
    if !admin {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "The caller is not a Power Platform administrator.",
        )
        .into_response();
    }
    let environment = flow
        .catalog
        .environments(&caller.tenant, &caller.tenant_name)
        .into_iter()
        .find(|e| e.name.eq_ignore_ascii_case(&name));
    let Some(environment) = environment else {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "EnvironmentNotFound",
            &format!("The environment '{name}' could not be found."),
        )
        .into_response();
    };
    let Some(org) = environment.organisation() else {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "EnvironmentHasNoDatabase",
            &format!("The environment '{name}' has no Dataverse database."),
        )
        .into_response();
    };
    let app_id = serde_json::from_slice::<AddAppUser>(&body)
        .ok()
        .and_then(|b| b.service_principal_app_id)
        .filter(|id| uuid::Uuid::parse_str(id).is_ok());
    let Some(app_id) = app_id else {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "InvalidRequestContent",
            "The request body must name the application: servicePrincipalAppId.",
        )
        .into_response();
    };
    let known = app_id.eq_ignore_ascii_case(&flow.idp.directory.app.client_id)
        && flow.idp.lock().consented.contains(&caller.tenant);
    if !known {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "ServicePrincipalNotFound",
            &format!("No service principal of the application '{app_id}' exists in the tenant."),
        )
        .into_response();
    }
    let mut st = flow.lock();
    if !st
        .app_users
        .iter()
        .any(|u| u.org == org && u.app_id.eq_ignore_ascii_case(&app_id))
    {
        st.app_users.push(crate::flow::state::AppUser {
            org,
            app_id: app_id.to_ascii_lowercase(),
            systemuserid: uuid::Uuid::new_v4().to_string(),
        });
    }
    StatusCode::OK.into_response()
}

#[derive(Deserialize)]
struct Versioned {
    #[serde(rename = "api-version")]
    api_version: Option<String>,
    #[serde(rename = "$filter")]
    filter: Option<String>,
}

/// The caller with a PowerApps token, on a call that names its `api-version`.
fn checked(
    flow: &FlowService,
    headers: &HeaderMap,
    query: &Versioned,
) -> Result<token::Caller, Box<Response>> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let caller = token::check_for(flow, authorization, POWERAPPS_SERVICE, "user_impersonation")
        .map_err(|refused| Box::new(refused.into_response()))?;
    if query.api_version.as_deref().is_none_or(str::is_empty) {
        return Err(Box::new(
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
            .into_response(),
        ));
    }
    Ok(caller)
}

/// The caller's connections to `api` in the environment `$filter` names
/// (`environment eq '{name}'`), newest first.
async fn connections(
    State(flow): State<Arc<FlowService>>,
    Path(api): Path<String>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
) -> Response {
    let caller = match checked(&flow, &headers, &query) {
        Ok(caller) => caller,
        Err(refused) => return *refused,
    };
    let environment = query
        .filter
        .as_deref()
        .and_then(|f| f.trim().strip_prefix("environment eq '"))
        .and_then(|f| f.strip_suffix('\''));
    let Some(environment) = environment else {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "InvalidFilter",
            "The $filter must name the environment: environment eq '{name}'.",
        )
        .into_response();
    };
    let st = flow.lock();
    let value: Vec<Value> = st
        .connections
        .iter()
        .filter(|c| c.api == api && c.tenant == caller.tenant && c.owner == caller.object_id)
        .filter(|c| c.environment.eq_ignore_ascii_case(environment))
        .rev()
        .map(connection_json)
        .collect();
    Json(json!({ "value": value })).into_response()
}

async fn environments(
    State(flow): State<Arc<FlowService>>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
) -> Response {
    let caller = match checked(&flow, &headers, &query) {
        Ok(caller) => caller,
        Err(refused) => return *refused,
    };
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
