//! The Flow resource provider, `/providers/Microsoft.ProcessSimple`, as the real service exposes
//! it at `https://api.flow.microsoft.com` (Microsoft does not support it for customers): reading
//! one flow and one run of it, and making a flow from a definition, over the same state and
//! token check as the widget API.
//!
//! The checks run in this order: the token (as the widget API checks it), `api-version`, the
//! environment (one of the caller's tenant's), the flow (the caller's own), the run.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{caller, environment};
use super::error::{ApiError, ApiResult, ok};
use super::new_flow::{NewFlow, make};
use crate::flow::FlowService;
use crate::flow::state::{Flow, FlowState, Run, RunStatus, timestamp};
use crate::flow::token::Caller;

/// The prefix of every resource provider route.
const PROVIDER: &str = "/providers/Microsoft.ProcessSimple";

/// The only `api-version` the provider's flow and run routes answer.
const API_VERSION: &str = "2016-11-01";

/// The connector every flow is exposed through.
const LOGIC_FLOWS_API: &str = "/providers/Microsoft.PowerApps/apis/shared_logicflows";

pub(super) fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route(
            &format!("{PROVIDER}/environments/{{env}}/flows"),
            post(create),
        )
        .route(
            &format!("{PROVIDER}/environments/{{env}}/flows/{{flow}}"),
            get(flow),
        )
        .route(
            &format!("{PROVIDER}/environments/{{env}}/flows/{{flow}}/runs/{{run}}"),
            get(run),
        )
}

/// The query every call carries; other parameters (`$expand`, …) are accepted and ignored.
#[derive(Deserialize)]
struct Versioned {
    #[serde(rename = "api-version")]
    api_version: Option<String>,
}

/// Azure Resource Manager's standard answers to a missing or unknown `api-version`.
fn check_api_version(query: &Versioned) -> Result<(), ApiError> {
    match query.api_version.as_deref() {
        Some(API_VERSION) => Ok(()),
        None | Some("") => Err(ApiError::bad_request(
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        )),
        Some(other) => Err(ApiError::bad_request(
            "InvalidApiVersionParameter",
            &format!(
                "The api-version '{other}' is invalid. The supported versions are '{API_VERSION}'."
            ),
        )),
    }
}

/// The caller's own flow `name` in `env`. Any other flow, whether it exists or not, is
/// answered as the service answers a flow that does not exist: `ConnectionAuthorizationFailed`.
/// The service's status code for it is not known; the sandbox's choice is `403 Forbidden`.
fn visible_flow<'s>(
    st: &'s FlowState,
    caller: &Caller,
    env: &str,
    name: &str,
) -> Result<&'s Flow, ApiError> {
    st.flows
        .iter()
        .find(|f| {
            f.name.eq_ignore_ascii_case(name)
                && f.tenant == caller.tenant
                && f.environment == env
                && f.owner == caller.object_id
        })
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "ConnectionAuthorizationFailed",
                &format!(
                    "The caller with object id '{}' does not have permission for connection \
                     '{name}' under Api 'shared_logicflows'.",
                    caller.object_id
                ),
            )
        })
}

fn environment_json(env: &str) -> Value {
    json!({
        "name": env,
        "type": "Microsoft.ProcessSimple/environments",
        "id": format!("{PROVIDER}/environments/{env}"),
    })
}

/// The trigger as the definition summary lists it, by the template's trigger kind.
fn trigger_summary(trigger: &str) -> Value {
    match trigger {
        "manual" => json!({"type": "Request", "kind": "Button"}),
        "scheduled" => json!({"type": "Recurrence"}),
        _ => json!({"type": "OpenApiConnectionWebhook"}),
    }
}

fn flow_json(flow: &FlowService, f: &Flow) -> Value {
    let actions: Vec<Value> = f
        .operations
        .iter()
        .map(|op| json!({"type": "ApiConnection", "swaggerOperationId": op["swaggerOperationId"]}))
        .collect();
    let description = f
        .template
        .as_deref()
        .and_then(|t| flow.catalog.template(t))
        .map(|t| t.description.clone())
        .unwrap_or_default();
    json!({
        "name": f.name,
        "id": format!("{PROVIDER}/environments/{}/flows/{}", f.environment, f.name),
        "type": "Microsoft.ProcessSimple/environments/flows",
        "properties": {
            "apiId": LOGIC_FLOWS_API,
            "displayName": f.display_name,
            "state": f.state,
            "createdTime": timestamp(f.created),
            "lastModifiedTime": timestamp(f.modified),
            "templateName": f.template,
            "environment": environment_json(&f.environment),
            "definitionSummary": {
                "triggers": [trigger_summary(&f.trigger)],
                "actions": actions,
                "description": description,
            },
            // The sandbox has no separate user id: it is the creator's object id.
            "creator": {
                "tenantId": f.tenant,
                "objectId": f.owner,
                "userId": f.owner,
                "userType": "ActiveDirectory",
            },
            "provisioningMethod": "FromDefinition",
        }
    })
}

fn run_json(r: &Run) -> Value {
    let start = timestamp(r.start);
    // The manual trigger has fired, and succeeded, by the time a run exists. Callers never
    // give a client tracking id here, so it is the run's name.
    let mut trigger = json!({
        "name": "manual",
        "startTime": start,
        "endTime": start,
        "status": RunStatus::Succeeded,
    });
    let mut properties = json!({
        "startTime": start,
        "status": r.status,
        "correlation": {"clientTrackingId": r.name},
    });
    if let Some(end) = r.end {
        properties["endTime"] = json!(timestamp(end));
    }
    trigger["correlation"] = properties["correlation"].clone();
    properties["trigger"] = trigger;
    json!({
        "name": r.name,
        "id": format!(
            "{PROVIDER}/environments/{}/flows/{}/runs/{}",
            r.environment, r.flow, r.name
        ),
        "type": "Microsoft.ProcessSimple/environments/flows/runs",
        "properties": properties,
    })
}

async fn flow(
    State(flow): State<Arc<FlowService>>,
    Path((env, name)): Path<(String, String)>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, env) = checked(&flow, &headers, &query, &env)?;
    let st = flow.lock();
    let found = visible_flow(&st, &caller, &env, &name)?;
    ok(flow_json(&flow, found))
}

async fn run(
    State(flow): State<Arc<FlowService>>,
    Path((env, name, run)): Path<(String, String, String)>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, env) = checked(&flow, &headers, &query, &env)?;
    let st = flow.lock();
    let found = visible_flow(&st, &caller, &env, &name)?;
    let run = st
        .runs
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(&run) && r.flow == found.name)
        .ok_or_else(|| run_not_found(&run))?;
    ok(run_json(run))
}

#[derive(Deserialize)]
struct NewFlowBody {
    properties: NewFlowProperties,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewFlowProperties {
    display_name: String,
    definition: Value,
    #[serde(default)]
    connection_references: serde_json::Map<String, Value>,
}

/// A flow from a definition in the workflow definition language: checked (anything outside
/// what the sandbox runs is refused, named), then kept and its trigger subscribed.
async fn create(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
    Json(body): Json<NewFlowBody>,
) -> ApiResult {
    let (caller, env) = checked(&flow, &headers, &query, &env)?;
    let properties = body.properties;
    let exported = json!({
        "definition": properties.definition,
        "connectionReferences": properties.connection_references,
    });
    let new = NewFlow {
        display_name: properties.display_name,
        template: None,
        trigger: String::new(),
        parameters: Default::default(),
        operations: Vec::new(),
        exported: Some(exported),
    };
    let made = make(&flow, caller, env, new).await?;
    Ok((StatusCode::CREATED, Json(flow_json(&flow, &made))).into_response())
}

/// The token, then `api-version`, then the environment.
fn checked(
    flow: &FlowService,
    headers: &HeaderMap,
    query: &Versioned,
    env: &str,
) -> Result<(Caller, String), ApiError> {
    let caller = caller(flow, headers)?;
    check_api_version(query)?;
    let env = environment(flow, &caller, env)?;
    Ok((caller, env))
}

/// The run operations pass the workflow engine's error through, wrapped.
fn run_not_found(run: &str) -> ApiError {
    let inner = json!({"error": {
        "code": "WorkflowRunNotFound",
        "message": format!("The workflow run '{run}' could not be found."),
    }});
    ApiError::not_found(
        "AzureResourceManagerRequestFailed",
        &format!("Request to Azure Resource Manager failed with error: '{inner}'"),
    )
}
