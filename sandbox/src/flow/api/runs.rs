//! A flow's runs: the list, one run, and starting a manually triggered flow from the runtime
//! widget (the engine runs it; a gallery flow without a definition only completes).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::ENV;
use super::auth::in_environment;
use super::error::{ApiError, ApiResult, ok};
use super::flows::find_flow;
use crate::flow::state::{Flow, FlowStatus, Run, RunStatus, timestamp};
use crate::flow::{FlowService, runtime};

pub(super) fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route(
            &format!("{ENV}/flows/{{flow}}/runs"),
            get(runs).post(start_run),
        )
        .route(&format!("{ENV}/flows/{{flow}}/runs/{{run}}"), get(run))
}

fn run_json(r: &Run, with_actions: bool) -> Value {
    let mut json = json!({
        "name": r.name,
        "id": format!("/providers/Microsoft.ProcessSimple/environments/{}/flows/{}/runs/{}", r.environment, r.flow, r.name),
        "type": "Microsoft.ProcessSimple/environments/flows/runs",
        "properties": {
            "startTime": timestamp(r.start),
            "endTime": r.end.map(timestamp),
            "status": r.status,
            "correlation": {"clientTrackingId": r.name},
        }
    });
    if let Some((name, outputs)) = &r.trigger {
        json["properties"]["trigger"] = json!({
            "name": name, "status": "Succeeded", "code": "OK",
            "startTime": timestamp(r.start), "outputs": outputs,
        });
    }
    if with_actions {
        let actions: serde_json::Map<String, Value> = r
            .actions
            .iter()
            .map(|(name, a)| {
                let mut action =
                    json!({"status": a.status, "inputs": a.inputs, "outputs": a.outputs});
                if let Some(error) = &a.error {
                    action["code"] = error["code"].clone();
                    action["error"] = error.clone();
                }
                (name.clone(), action)
            })
            .collect();
        json["properties"]["actions"] = Value::Object(actions);
    }
    json
}

#[derive(Deserialize)]
struct RunQuery {
    #[serde(rename = "$expand")]
    expand: Option<String>,
}

impl RunQuery {
    fn actions(&self) -> bool {
        self.expand
            .as_deref()
            .is_some_and(|e| e.split(',').any(|x| x.trim() == "properties/actions"))
    }
}

/// A flow's runs, newest first; `$expand=properties/actions` adds each action's record.
async fn runs(
    State(flow): State<Arc<FlowService>>,
    Path((env, name)): Path<(String, String)>,
    Query(query): Query<RunQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let mut st = flow.lock();
    find_flow(&mut st, &caller, &env, &name)?;
    let value: Vec<Value> = st
        .runs
        .iter()
        .rev()
        .filter(|r| r.flow == name)
        .map(|r| run_json(r, query.actions()))
        .collect();
    ok(json!({ "value": value }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StartRun {
    implicit_data: Option<String>,
}

async fn start_run(
    State(flow): State<Arc<FlowService>>,
    Path((env, name)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<StartRun>,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let found = {
        let mut st = flow.lock();
        let found = find_flow(&mut st, &caller, &env, &name)?;
        if found.state != FlowStatus::Started {
            return Err(ApiError::bad_request(
                "FlowIsOff",
                "The flow is turned off. Turn it on to run it.",
            ));
        }
        if found.trigger != "manual" {
            return Err(ApiError::bad_request(
                "FlowNotManuallyTriggerable",
                "Only flows with a manual trigger can be run from here.",
            ));
        }
        found.clone()
    };
    let run = match found.workflow.clone() {
        // The button's inputs are the trigger's body, as the runtime widget's trigger schema
        // names them.
        Some(workflow) => {
            let inputs = match &body.implicit_data {
                Some(data) => json!({ "implicitData": data }),
                None => json!({}),
            };
            let outputs = json!({"headers": {}, "body": inputs});
            runtime::start(&flow, found, workflow, outputs)
        }
        None => stand_in(&flow, found),
    };
    Ok((StatusCode::ACCEPTED, Json(run_json(&run, false))).into_response())
}

/// How long the run of a flow the sandbox has no definition for takes before it completes.
const RUN_MILLIS: u64 = 600;

/// A run of a gallery template whose connectors the sandbox does not have: it completes after
/// `RUN_MILLIS` without doing anything.
fn stand_in(flow: &Arc<FlowService>, found: Flow) -> Run {
    let run = Run {
        name: runtime::run_name(),
        flow: found.name,
        environment: found.environment,
        status: RunStatus::Running,
        start: flow.idp.now(),
        end: None,
        trigger: None,
        actions: Default::default(),
    };
    flow.lock().runs.push(run.clone());
    let service = flow.clone();
    let run_name = run.name.clone();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(RUN_MILLIS)).await;
        let now = service.idp.now();
        if let Some(run) = service.lock().runs.iter_mut().find(|r| r.name == run_name) {
            run.status = RunStatus::Succeeded;
            run.end = Some(now);
        }
    });
    run
}

async fn run(
    State(flow): State<Arc<FlowService>>,
    Path((env, name, run)): Path<(String, String, String)>,
    Query(query): Query<RunQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let mut st = flow.lock();
    find_flow(&mut st, &caller, &env, &name)?;
    let found = st
        .runs
        .iter()
        .find(|r| r.name == run && r.flow == name)
        .ok_or_else(|| {
            ApiError::not_found(
                "WorkflowRunNotFound",
                &format!("The workflow run '{run}' could not be found."),
            )
        })?;
    ok(run_json(found, query.actions()))
}
