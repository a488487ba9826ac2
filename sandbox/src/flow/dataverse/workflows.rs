//! Dataverse's `workflow` table, for cloud flows (`category` 5): create with `clientdata`
//! (the definition and its connection references, as a JSON string), read, list with `$filter`
//! and `$select`, update, turn on (`statecode` 1) or off (0), delete. A flow made here is one of
//! the Flow service's: the widgets list it and the engine runs it. It starts off; turning it on
//! needs its Flowhost connection reference bound to a signed-in connection, and subscribes its
//! trigger through that connection.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    DataverseError, ListQuery, Result, caller, connection_references, listed, made,
    matches_version, organisation_url, required,
};
use crate::flow::api::connections::FLOWHOST_API;
use crate::flow::api::new_flow::{default_parameters, operations_of, trigger_kind};
use crate::flow::catalog::Environment;
use crate::flow::state::{Flow, FlowState, FlowStatus, SolutionFlow, Workflow, timestamp};
use crate::flow::{FlowService, runtime};

/// Cloud flows' category.
const MODERN_FLOW: i64 = 5;

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

pub(super) fn solution_flows<'s>(
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

pub async fn list(
    State(flow): State<Arc<FlowService>>,
    Path(org): Path<String>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>> {
    caller(&flow, &headers, &org).await?;
    let rows = solution_flows(&flow.lock(), &org)
        .map(|(f, s)| row(f, s))
        .collect();
    listed(&flow, &org, "workflows", rows, &query)
}

#[derive(Deserialize)]
pub struct NewRow {
    /// The new row's id, when the caller chooses it.
    workflowid: Option<String>,
    category: Option<i64>,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<i64>,
    primaryentity: Option<String>,
    clientdata: Option<String>,
    #[serde(default)]
    description: String,
}

/// The flow `clientdata` holds, checked by the engine, and where its Flowhost connection comes
/// from: a connection it names (which must exist in the environment), or a connection
/// reference of the organisation (bound when the flow is turned on).
fn workflow(
    flow: &FlowService,
    env: &Environment,
    org: &str,
    clientdata: &str,
) -> Result<(Workflow, Option<String>)> {
    let data: Value = serde_json::from_str(clientdata)
        .map_err(|e| DataverseError::payload(format!("clientdata is not JSON: {e}")))?;
    let exported = json!({
        "definition": data["properties"]["definition"],
        "connectionReferences": data["properties"]["connectionReferences"],
    });
    let definition = runtime::check(flow, &exported).map_err(|refused| {
        DataverseError::payload(format!("The flow is not valid: {}", refused.0))
    })?;
    let binding = &data["properties"]["connectionReferences"][FLOWHOST_API]["connection"];
    let mut connection = String::new();
    let mut reference = None;
    if let Some(name) = binding["name"].as_str() {
        connection = known_connection(flow, env, name)?;
    } else if let Some(logical) = binding["connectionReferenceLogicalName"].as_str() {
        connection_references::find_logical(&flow.lock(), org, logical)?;
        reference = Some(logical.to_owned());
    }
    let workflow = Workflow {
        parameters: default_parameters(&exported),
        definition: Arc::new(definition),
        connection,
        hook: None,
    };
    Ok((workflow, reference))
}

/// `name`, if it is a connection to Flowhost in `env`.
pub(super) fn known_connection(
    flow: &FlowService,
    env: &Environment,
    name: &str,
) -> Result<String> {
    flow.lock()
        .connections
        .iter()
        .find(|c| {
            c.name == name
                && c.tenant.eq_ignore_ascii_case(&env.tenant)
                && c.environment == env.name
                && c.api == FLOWHOST_API
        })
        .map(|c| c.name.clone())
        .ok_or_else(|| {
            DataverseError::payload(format!(
                "There is no connection '{name}' to Flowhost in this environment."
            ))
        })
}

pub async fn create(
    State(flow): State<Arc<FlowService>>,
    Path(org): Path<String>,
    headers: HeaderMap,
    Json(body): Json<NewRow>,
) -> Result<Response> {
    let (caller, env) = caller(&flow, &headers, &org).await?;
    let name = required(body.name, "name")?;
    let clientdata = required(body.clientdata, "clientdata")?;
    required(body.primaryentity, "primaryentity")?;
    if body.category != Some(MODERN_FLOW) || body.kind != Some(1) {
        return Err(DataverseError::payload(
            "Only cloud flow definitions (category 5, type 1) are kept here.",
        ));
    }
    let (workflow, reference) = workflow(&flow, &env, &org, &clientdata)?;
    let now = flow.idp.now();
    let id = match body.workflowid.as_deref().map(uuid::Uuid::parse_str) {
        None => uuid::Uuid::new_v4(),
        Some(Ok(id)) => id,
        Some(Err(_)) => {
            return Err(DataverseError::payload(
                "workflowid is not a GUID (Edm.Guid).",
            ));
        }
    }
    .to_string();
    let solution = SolutionFlow {
        organisation: org.clone(),
        unique: uuid::Uuid::new_v4().to_string(),
        description: body.description,
        clientdata,
        reference,
        version: 1,
    };
    let made_flow = Flow {
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
        solution: None,
        created: now,
        modified: now,
    };
    let answer = row(&made_flow, &solution);
    {
        let mut st = flow.lock();
        if st.flows.iter().any(|f| f.name == id) {
            return Err(DataverseError::new(
                StatusCode::PRECONDITION_FAILED,
                "0x80040237",
                "Cannot insert duplicate key.",
            ));
        }
        st.flows.push(Flow {
            solution: Some(solution),
            ..made_flow
        });
    }
    let entity = format!(
        "{}/api/data/v9.2/workflows({id})",
        organisation_url(&flow.origin, &org)
    );
    Ok(made(&headers, &entity, answer))
}

/// The flow `id` of organisation `org`, cloned.
fn find(st: &FlowState, org: &str, id: &str) -> Result<(Flow, SolutionFlow)> {
    solution_flows(st, org)
        .find(|(f, _)| f.name == id)
        .map(|(f, s)| (f.clone(), s.clone()))
        .ok_or_else(|| DataverseError::not_found("workflow", id))
}

pub fn read(flow: &FlowService, org: &str, id: &str) -> Result<Value> {
    let (found, solution) = find(&flow.lock(), org, id)?;
    Ok(row(&found, &solution))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    name: Option<String>,
    description: Option<String>,
    clientdata: Option<String>,
    statecode: Option<i64>,
    statuscode: Option<i64>,
}

pub async fn update(
    flow: &FlowService,
    env: &Environment,
    org: &str,
    id: &str,
    if_match: Option<&str>,
    change: Change,
) -> Result<()> {
    let (found, solution) = find(&flow.lock(), org, id)?;
    matches_version(if_match, solution.version)?;
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
    let (mut workflow, reference) = match &new_data {
        Some(data) => self::workflow(flow, env, org, data)?,
        None => (old.clone(), solution.reference.clone()),
    };
    let was_on = found.state == FlowStatus::Started;
    // The new subscription is made before the old one goes, so a refused change leaves the
    // flow as it was.
    workflow.hook = match (was_on, on) {
        (_, false) => None,
        (true, true) if new_data.is_none() => old.hook.clone(),
        _ => {
            if let Some(logical) = &reference {
                workflow.connection = connection_references::bound(flow, org, logical)?;
            }
            turn_on(flow, id, &workflow).await?
        }
    };
    if was_on
        && (!on || new_data.is_some())
        && let Err(why) = runtime::unsubscribe(flow, &old).await
    {
        tracing::warn!(flow = %id, %why, "the trigger's hook was not deleted");
    }
    let mut st = flow.lock();
    let now = flow.idp.now();
    let kept = st
        .flows
        .iter_mut()
        .find(|f| f.name == id)
        .ok_or_else(|| DataverseError::not_found("workflow", id))?;
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
        solution.reference = reference;
    }
    solution.version += 1;
    Ok(())
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

pub async fn delete(flow: &FlowService, org: &str, id: &str) -> Result<()> {
    let found = {
        let mut st = flow.lock();
        let (found, _) = find(&st, org, id)?;
        st.flows.retain(|f| f.name != id);
        found
    };
    if let Some(workflow) = &found.workflow
        && let Err(why) = runtime::unsubscribe(flow, workflow).await
    {
        tracing::warn!(flow = %id, %why, "the trigger's hook was not deleted");
    }
    Ok(())
}
