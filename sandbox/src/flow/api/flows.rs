//! The caller's flows in one environment: listing, reading, creating from a template, turning
//! on and off, and deleting.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::ENV;
use super::auth::in_environment;
use super::error::{ApiError, ApiResult, ok};
use super::new_flow::{NewFlow, make, subscription_failed};
use super::odata::{ListQuery, parse_filter};
use crate::flow::catalog::MAKER;
use crate::flow::state::{Flow, FlowState, FlowStatus, timestamp};
use crate::flow::token::Caller;
use crate::flow::{FlowService, runtime};

pub(super) fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route(&format!("{ENV}/flows"), get(flows).post(create_flow))
        .route(
            &format!("{ENV}/flows/{{flow}}"),
            get(flow).delete(delete_flow),
        )
        .route(&format!("{ENV}/flows/{{flow}}/state"), post(set_state))
}

fn flow_json(origin: &str, f: &Flow) -> Value {
    json!({
        "name": f.name,
        "id": format!("/providers/Microsoft.ProcessSimple/environments/{}/flows/{}", f.environment, f.name),
        "type": "Microsoft.ProcessSimple/environments/flows",
        "properties": {
            "displayName": f.display_name,
            "state": f.state,
            "createdTime": timestamp(f.created),
            "templateName": f.template,
            "environment": {"name": f.environment},
            "definitionSummary": {
                "triggers": [{"kind": f.trigger}],
                "actions": f.operations,
            },
            "creator": {"tenantId": f.tenant, "objectId": f.owner, "userType": "ActiveDirectory"},
            "parameters": f.parameters,
            "flowUrl": flow_url(origin, &f.environment, &f.name),
        }
    })
}

/// Where the maker portal shows a flow.
pub fn flow_url(origin: &str, environment: &str, flow: &str) -> String {
    format!("{origin}/environments/{environment}/flows/{flow}/details")
}

async fn flows(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let filter = parse_filter(query.filter.as_deref())?;
    // Nobody shares flows in the sandbox, so the shared tab is always empty.
    let shared = query.tab.as_deref() == Some("shared");
    let st = flow.lock();
    let value: Vec<Value> = st
        .flows
        .iter()
        .filter(|f| f.tenant == caller.tenant && f.environment == env)
        .filter(|f| !shared && f.owner == caller.object_id)
        .filter(|f| {
            filter
                .as_ref()
                .is_none_or(|x| x.matches(&f.filter_record()))
        })
        .rev()
        .map(|f| flow_json(&flow.origin, f))
        .collect();
    ok(json!({ "value": value }))
}

/// The caller's own flow `name` in `env`; a `404 FlowNotFound` otherwise.
pub(super) fn find_flow<'s>(
    st: &'s mut FlowState,
    caller: &Caller,
    env: &str,
    name: &str,
) -> Result<&'s mut Flow, ApiError> {
    st.flows
        .iter_mut()
        .find(|f| {
            f.name == name
                && f.tenant == caller.tenant
                && f.environment == env
                && f.owner == caller.object_id
        })
        .ok_or_else(|| {
            ApiError::not_found(
                "FlowNotFound",
                &format!("The flow '{name}' was not found in environment '{env}'."),
            )
        })
}

async fn flow(
    State(flow): State<Arc<FlowService>>,
    Path((env, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let mut st = flow.lock();
    let found = find_flow(&mut st, &caller, &env, &name)?;
    ok(flow_json(&flow.origin, found))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateFlow {
    template_name: String,
    display_name: Option<String>,
    /// `parameters.{name}` (or bare `{name}`) → value.
    #[serde(default)]
    parameters: BTreeMap<String, String>,
}

async fn create_flow(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    headers: HeaderMap,
    Json(body): Json<CreateFlow>,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let template = flow.catalog.template(&body.template_name).ok_or_else(|| {
        ApiError::not_found(
            "TemplateNotFound",
            &format!("The template '{}' was not found.", body.template_name),
        )
    })?;
    let given: BTreeMap<String, String> = body
        .parameters
        .into_iter()
        .map(|(k, v)| (k.strip_prefix("parameters.").unwrap_or(&k).to_owned(), v))
        .collect();
    let mut parameters = BTreeMap::new();
    for name in &template.parameters {
        let value = given
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .or_else(|| {
                let default = template.defaults.get(name)?;
                Some(if default == MAKER {
                    caller.upn.clone()
                } else {
                    default.clone()
                })
            });
        match value {
            Some(value) => {
                parameters.insert(name.clone(), value);
            }
            None => {
                return Err(ApiError::bad_request(
                    "MissingTemplateParameter",
                    &format!("The template needs a value for '{name}'."),
                ));
            }
        }
    }
    let operations = template
        .operations
        .iter()
        .map(|op| {
            let mut value = json!({"api": op.api, "swaggerOperationId": op.operation});
            for p in &op.parameters {
                if let Some(bound) = parameters.get(p) {
                    value[p] = json!(bound);
                }
            }
            value
        })
        .collect();
    let made = make(
        &flow,
        caller,
        env,
        NewFlow {
            display_name: body
                .display_name
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| template.display_name.clone()),
            template: Some(template.name.clone()),
            trigger: template.trigger.clone(),
            parameters,
            operations,
            exported: template.flow().cloned(),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(flow_json(&flow.origin, &made))).into_response())
}

#[derive(Deserialize)]
struct SetState {
    state: FlowStatus,
}

async fn set_state(
    State(flow): State<Arc<FlowService>>,
    Path((env, name)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<SetState>,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let (state, workflow) = {
        let mut st = flow.lock();
        let found = find_flow(&mut st, &caller, &env, &name)?;
        (found.state, found.workflow.clone())
    };
    // Turning a flow off takes its trigger's subscription away; turning it on makes one again.
    let mut hook = workflow.as_ref().and_then(|w| w.hook.clone());
    if let Some(workflow) = workflow.filter(|_| state != body.state) {
        hook = match body.state {
            FlowStatus::Stopped => {
                if let Err(why) = runtime::unsubscribe(&flow, &workflow).await {
                    tracing::warn!(flow = %name, %why, "the trigger's hook was not deleted");
                }
                None
            }
            FlowStatus::Started => runtime::subscribe(&flow, &name, &workflow)
                .await
                .map_err(|why| subscription_failed(&why))?,
        };
    }
    let mut st = flow.lock();
    let found = find_flow(&mut st, &caller, &env, &name)?;
    found.state = body.state;
    found.modified = flow.idp.now();
    if let Some(workflow) = &mut found.workflow {
        workflow.hook = hook;
    }
    ok(flow_json(&flow.origin, found))
}

async fn delete_flow(
    State(flow): State<Arc<FlowService>>,
    Path((env, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let workflow = {
        let mut st = flow.lock();
        let workflow = find_flow(&mut st, &caller, &env, &name)?.workflow.clone();
        st.flows.retain(|f| f.name != name);
        workflow
    };
    // The flow is gone either way; a hook that could not be deleted is removed by Flowhost when
    // its next event finds no flow at the callback.
    if let Some(workflow) = workflow
        && let Err(why) = runtime::unsubscribe(&flow, &workflow).await
    {
        tracing::warn!(flow = %name, %why, "the trigger's hook was not deleted");
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
