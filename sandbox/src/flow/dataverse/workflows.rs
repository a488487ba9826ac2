//! Dataverse's `workflow` table, for cloud flows (`category` 5): create with `clientdata`
//! (the definition and its connection references, as a JSON string), read, list with `$filter`
//! and `$select`, update, turn on (`statecode` 1) or off (0), delete. A flow made here is one of
//! the Flow service's: the widgets list it and the engine runs it. It starts off; turning it on
//! needs its Flowhost connection reference bound to a signed-in connection, and subscribes its
//! trigger through that connection.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{DataverseError, Result, caller};
use crate::flow::api::connections::FLOWHOST_API;
use crate::flow::api::new_flow::{default_parameters, operations_of, trigger_kind};
use crate::flow::state::{Flow, FlowState, FlowStatus, SolutionFlow, Workflow, timestamp};
use crate::flow::{FlowService, runtime};

const BASE: &str = "/orgs/{org}/api/data/v9.2";

/// Cloud flows' category.
const MODERN_FLOW: i64 = 5;

pub fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route(&format!("{BASE}/workflows"), get(list).post(create))
        .route(
            &format!("{BASE}/{{record}}"),
            get(read).patch(update).delete(delete),
        )
}

/// `workflows({id})`'s id.
fn record_id(record: &str) -> Result<String> {
    record
        .strip_prefix("workflows(")
        .and_then(|r| r.strip_suffix(')'))
        .map(|id| id.trim_matches('\'').to_ascii_lowercase())
        .ok_or_else(|| {
            DataverseError::new(
                StatusCode::NOT_FOUND,
                "0x80060888",
                format!("Resource not found for the segment '{record}'."),
            )
        })
}

/// The row of `flow`, as Dataverse answers it.
fn row(flow: &Flow, solution: &SolutionFlow) -> Value {
    let on = flow.state == FlowStatus::Started;
    json!({
        "@odata.etag": format!("W/\"{}\"", solution.version),
        "workflowid": flow.name,
        "workflowidunique": solution.unique,
        "name": flow.display_name,
        "description": solution.description,
        "category": MODERN_FLOW,
        "type": 1,
        "primaryentity": "none",
        "statecode": if on { 1 } else { 0 },
        "statuscode": if on { 2 } else { 1 },
        "clientdata": solution.clientdata,
        "_ownerid_value": flow.owner,
        "createdon": timestamp(flow.created),
        "modifiedon": timestamp(flow.modified),
    })
}

/// Only `$select`'s columns (and the etag), when it names any.
fn selected(row: Value, select: Option<&str>) -> Value {
    let Some(columns) = select.filter(|s| !s.trim().is_empty()) else {
        return row;
    };
    let wanted: Vec<&str> = columns.split(',').map(str::trim).collect();
    let kept: Map<String, Value> = row
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.starts_with('@') || wanted.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(kept)
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(rename = "$filter")]
    filter: Option<String>,
    #[serde(rename = "$select")]
    select: Option<String>,
}

fn solution_flows<'s>(
    st: &'s FlowState,
    org: &'s str,
) -> impl Iterator<Item = (&'s Flow, &'s SolutionFlow)> {
    st.flows.iter().filter_map(move |f| {
        f.solution
            .as_ref()
            .filter(|s| s.organisation == org)
            .map(|s| (f, s))
    })
}

async fn list(
    State(flow): State<Arc<FlowService>>,
    Path(org): Path<String>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>> {
    caller(&flow, &headers, &org)?;
    let filter = match query.filter.as_deref().filter(|f| !f.trim().is_empty()) {
        Some(text) => Some(odata_filter::Filter::parse(text).map_err(|e| {
            DataverseError::new(
                StatusCode::BAD_REQUEST,
                "0x80060888",
                format!("Syntax error in the $filter '{text}': {e}."),
            )
        })?),
        None => None,
    };
    let st = flow.lock();
    let value: Vec<Value> = solution_flows(&st, &org)
        .map(|(f, s)| row(f, s))
        .filter(|r| filter.as_ref().is_none_or(|f| f.matches(r)))
        .map(|r| selected(r, query.select.as_deref()))
        .collect();
    Ok(Json(json!({
        "@odata.context": format!("{}/api/data/v9.2/$metadata#workflows", super::organisation_url(&flow.origin, &org)),
        "value": value,
    })))
}

#[derive(Deserialize)]
struct NewRow {
    category: Option<i64>,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<i64>,
    primaryentity: Option<String>,
    clientdata: Option<String>,
    #[serde(default)]
    description: String,
}

/// The flow `clientdata` holds, checked by the engine, with its Flowhost connection reference
/// bound to the connection it names (empty when it names none).
fn workflow(flow: &FlowService, env: &str, tenant: &str, clientdata: &str) -> Result<Workflow> {
    let data: Value = serde_json::from_str(clientdata)
        .map_err(|e| DataverseError::payload(format!("clientdata is not JSON: {e}")))?;
    let exported = json!({
        "definition": data["properties"]["definition"],
        "connectionReferences": data["properties"]["connectionReferences"],
    });
    let definition = runtime::check(flow, &exported).map_err(|refused| {
        DataverseError::payload(format!("The flow is not valid: {}", refused.0))
    })?;
    let connection =
        match data["properties"]["connectionReferences"][FLOWHOST_API]["connection"]["name"]
            .as_str()
        {
            Some(name) => {
                let st = flow.lock();
                st.connections
                    .iter()
                    .find(|c| {
                        c.name == name
                            && c.tenant == tenant
                            && c.environment == env
                            && c.api == FLOWHOST_API
                    })
                    .map(|c| c.name.clone())
                    .ok_or_else(|| {
                        DataverseError::payload(format!(
                            "There is no connection '{name}' to Flowhost in this environment."
                        ))
                    })?
            }
            None => String::new(),
        };
    let parameters = default_parameters(&exported);
    Ok(Workflow {
        definition: Arc::new(definition),
        parameters,
        connection,
        hook: None,
    })
}

async fn create(
    State(flow): State<Arc<FlowService>>,
    Path(org): Path<String>,
    headers: HeaderMap,
    Json(body): Json<NewRow>,
) -> Result<Response> {
    let (caller, env) = caller(&flow, &headers, &org)?;
    let missing =
        |column: &str| DataverseError::payload(format!("The column '{column}' is required."));
    let name = body
        .name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| missing("name"))?;
    let clientdata = body.clientdata.ok_or_else(|| missing("clientdata"))?;
    body.primaryentity.ok_or_else(|| missing("primaryentity"))?;
    if body.category != Some(MODERN_FLOW) || body.kind != Some(1) {
        return Err(DataverseError::payload(
            "Only cloud flow definitions (category 5, type 1) are kept here.",
        ));
    }
    let workflow = workflow(&flow, &env.name, &caller.tenant, &clientdata)?;
    let now = flow.idp.now();
    let id = uuid::Uuid::new_v4().to_string();
    let made = Flow {
        name: id.clone(),
        tenant: caller.tenant,
        environment: env.name,
        owner: caller.object_id,
        display_name: name,
        template: None,
        trigger: trigger_kind(&workflow.definition).to_owned(),
        state: FlowStatus::Stopped,
        parameters: Default::default(),
        operations: operations_of(&workflow.definition),
        workflow: Some(workflow),
        solution: Some(SolutionFlow {
            organisation: org.clone(),
            unique: uuid::Uuid::new_v4().to_string(),
            description: body.description,
            clientdata,
            version: 1,
        }),
        created: now,
        modified: now,
    };
    let entity = format!(
        "{}/api/data/v9.2/workflows({id})",
        super::organisation_url(&flow.origin, &org)
    );
    let representation = headers
        .get("prefer")
        .and_then(|p| p.to_str().ok())
        .is_some_and(|p| p.contains("return=representation"));
    let answer = representation.then(|| row(&made, made.solution.as_ref().expect("made with one")));
    flow.lock().flows.push(made);
    let mut response = match answer {
        Some(row) => (StatusCode::CREATED, Json(row)).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    };
    if let Ok(value) = HeaderValue::from_str(&entity) {
        response.headers_mut().insert("OData-EntityId", value);
    }
    Ok(response)
}

#[derive(Deserialize)]
struct ReadQuery {
    #[serde(rename = "$select")]
    select: Option<String>,
}

/// The flow `id` of organisation `org`, cloned.
fn find(st: &FlowState, org: &str, id: &str) -> Result<(Flow, SolutionFlow)> {
    solution_flows(st, org)
        .find(|(f, _)| f.name == id)
        .map(|(f, s)| (f.clone(), s.clone()))
        .ok_or_else(|| DataverseError::not_found("workflow", id))
}

async fn read(
    State(flow): State<Arc<FlowService>>,
    Path((org, record)): Path<(String, String)>,
    Query(query): Query<ReadQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>> {
    caller(&flow, &headers, &org)?;
    let id = record_id(&record)?;
    let (found, solution) = find(&flow.lock(), &org, &id)?;
    Ok(Json(selected(
        row(&found, &solution),
        query.select.as_deref(),
    )))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    name: Option<String>,
    description: Option<String>,
    clientdata: Option<String>,
    statecode: Option<i64>,
    statuscode: Option<i64>,
}

async fn update(
    State(flow): State<Arc<FlowService>>,
    Path((org, record)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response> {
    let (caller, env) = caller(&flow, &headers, &org)?;
    let id = record_id(&record)?;
    let change: Change = serde_json::from_slice(&body)
        .map_err(|e| DataverseError::payload(format!("The request body cannot be read: {e}")))?;
    let (found, solution) = find(&flow.lock(), &org, &id)?;
    if let Some(tag) = headers.get("if-match").and_then(|v| v.to_str().ok())
        && tag != "*"
        && tag != format!("W/\"{}\"", solution.version)
    {
        return Err(DataverseError::new(
            StatusCode::PRECONDITION_FAILED,
            "0x80060882",
            "The version of the existing record doesn't match the RowVersion property provided.",
        ));
    }
    let on = match (change.statecode, change.statuscode) {
        (None, _) => found.state == FlowStatus::Started,
        (Some(1), None | Some(2)) => true,
        (Some(0), None | Some(1)) => false,
        _ => {
            return Err(DataverseError::payload(
                "statecode 0 (Draft) goes with statuscode 1, statecode 1 (Activated) with 2.",
            ));
        }
    };
    let old = found.workflow.clone().expect("a Dataverse flow has one");
    let new_data = change.clientdata.filter(|c| *c != solution.clientdata);
    let mut workflow = match &new_data {
        Some(data) => self::workflow(&flow, &env.name, &caller.tenant, data)?,
        None => old.clone(),
    };
    let was_on = found.state == FlowStatus::Started;
    // The new subscription is made before the old one goes, so a refused change leaves the
    // flow as it was.
    workflow.hook = match (was_on, on) {
        (_, false) => None,
        (true, true) if new_data.is_none() => old.hook.clone(),
        _ => turn_on(&flow, &id, &workflow).await?,
    };
    if was_on
        && (!on || new_data.is_some())
        && let Err(why) = runtime::unsubscribe(&flow, &old).await
    {
        tracing::warn!(flow = %id, %why, "the trigger's hook was not deleted");
    }
    let mut st = flow.lock();
    let now = flow.idp.now();
    let kept = st
        .flows
        .iter_mut()
        .find(|f| f.name == id)
        .ok_or_else(|| DataverseError::not_found("workflow", &id))?;
    kept.state = if on {
        FlowStatus::Started
    } else {
        FlowStatus::Stopped
    };
    if let Some(name) = change.name.filter(|n| !n.trim().is_empty()) {
        kept.display_name = name;
    }
    kept.trigger = trigger_kind(&workflow.definition).to_owned();
    kept.operations = operations_of(&workflow.definition);
    kept.workflow = Some(workflow);
    kept.modified = now;
    let solution = kept.solution.as_mut().expect("found as one");
    if let Some(description) = change.description {
        solution.description = description;
    }
    if let Some(data) = new_data {
        solution.clientdata = data;
    }
    solution.version += 1;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Subscribes `workflow`'s trigger through its bound, signed-in connection.
async fn turn_on(flow: &FlowService, id: &str, workflow: &Workflow) -> Result<Option<String>> {
    let signed_in = {
        let st = flow.lock();
        st.connections
            .iter()
            .any(|c| c.name == workflow.connection && c.connected())
    };
    if !signed_in {
        return Err(DataverseError::payload(
            "The flow's connection reference shared_flowhost is not bound to a signed-in connection.",
        ));
    }
    runtime::subscribe(flow, id, workflow).await.map_err(|why| {
        DataverseError::payload(format!("The flow's trigger could not be subscribed: {why}"))
    })
}

async fn delete(
    State(flow): State<Arc<FlowService>>,
    Path((org, record)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response> {
    caller(&flow, &headers, &org)?;
    let id = record_id(&record)?;
    let (found, _) = {
        let mut st = flow.lock();
        let found = find(&st, &org, &id)?;
        st.flows.retain(|f| f.name != id);
        found
    };
    if let Some(workflow) = &found.workflow
        && let Err(why) = runtime::unsubscribe(&flow, workflow).await
    {
        tracing::warn!(flow = %id, %why, "the trigger's hook was not deleted");
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
