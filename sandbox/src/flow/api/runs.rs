//! Runs of a manually triggered flow: starting one, which completes on its own after
//! `RUN_MILLIS` (raising an approval when its template asks for one), and reading one.

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
use crate::flow::state::{Approval, ApprovalStatus, FlowStatus, Run, RunStatus, timestamp};
use crate::flow::token::Caller;
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

/// How long a sandbox run takes before it completes.
const RUN_MILLIS: u64 = 600;

async fn start_run(
    State(flow): State<Arc<FlowService>>,
    Path((env, name)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<StartRun>,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let run = {
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
        let run = Run {
            name: runtime::run_name(),
            flow: name.clone(),
            tenant: caller.tenant.clone(),
            environment: env.clone(),
            status: RunStatus::Running,
            implicit_data: body.implicit_data,
            start: flow.idp.now(),
            end: None,
            trigger: None,
            actions: Default::default(),
        };
        st.runs.push(run.clone());
        run
    };
    let service = flow.clone();
    let run_name = run.name.clone();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(RUN_MILLIS)).await;
        complete(&service, &run_name, &caller);
    });
    Ok((StatusCode::ACCEPTED, Json(run_json(&run, false))).into_response())
}

/// Finishes a run; a template that asks for an approval raises one on the run's item.
fn complete(flow: &FlowService, run_name: &str, caller: &Caller) {
    let now = flow.idp.now();
    let mut st = flow.lock();
    let Some(index) = st.runs.iter().position(|r| r.name == run_name) else {
        return;
    };
    let flow_name = st.runs[index].flow.clone();
    let wants_approval = st
        .flows
        .iter()
        .find(|f| f.name == flow_name)
        .and_then(|f| f.template.as_deref())
        .and_then(|t| flow.catalog.template(t))
        .is_some_and(|t| t.approval);
    let run = &mut st.runs[index];
    let implicit: Value = run
        .implicit_data
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or(Value::Null);
    let link = implicit["url"].as_str().unwrap_or_default().to_owned();
    run.status = if wants_approval && link.is_empty() {
        // The approval has nothing to link to: the run fails as the real action would on an
        // empty required input.
        RunStatus::Failed
    } else {
        RunStatus::Succeeded
    };
    run.end = Some(now);
    let run = run.clone();
    if wants_approval && run.status == RunStatus::Succeeded {
        let title = implicit["title"].as_str().unwrap_or("a ticket");
        st.approvals.push(Approval {
            name: uuid::Uuid::new_v4().to_string(),
            tenant: run.tenant.clone(),
            environment: run.environment.clone(),
            title: format!("Approve: {title}"),
            details: format!("{} asks for your approval.", caller.name),
            item_link: link,
            item_link_description: title.to_owned(),
            requester: caller.object_id.clone(),
            assigned_to: vec![caller.object_id.clone()],
            status: ApprovalStatus::Pending,
            responder: None,
            comments: None,
            flow: run.flow.clone(),
            run: run.name.clone(),
            created: now,
            completed: None,
        });
    }
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
