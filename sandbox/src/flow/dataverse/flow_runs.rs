//! Dataverse's `flowrun` table: one row per finished run of the organisation's solution cloud
//! flows (those made through `workflows`), read with the Web API's `$filter` and `$select`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};

use super::{ListQuery, Result, caller, listed, workflows};
use crate::flow::FlowService;
use crate::flow::state::{Flow, Run, RunStatus, timestamp};

/// The row of `run` of `flow`, once it has finished.
fn row(flow: &Flow, run: &Run) -> Option<Value> {
    let end = run.end?;
    let status = match run.status {
        RunStatus::Running => return None,
        RunStatus::Succeeded => "Success",
        RunStatus::Failed => "Failed",
    };
    let error = run
        .actions
        .values()
        .find_map(|a| a.error.clone())
        .unwrap_or(Value::Null);
    Some(json!({
        "@odata.etag": "W/\"1\"",
        "flowrunid": run.name,
        "name": run.name,
        "starttime": timestamp(run.start),
        "endtime": timestamp(end),
        "duration": (end - run.start).whole_seconds(),
        "status": status,
        "triggertype": if flow.trigger == "manual" { "Manual" } else { "Automated" },
        "errorcode": error["code"],
        "errormessage": error["message"],
        "_workflow_value": flow.name,
        "workflowid": flow.name,
        "workflowname": flow.display_name,
        "_ownerid_value": flow.owner,
    }))
}

pub async fn list(
    State(flow): State<Arc<FlowService>>,
    Path(org): Path<String>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>> {
    caller(&flow, &headers, &org).await?;
    let rows: Vec<Value> = {
        let st = flow.lock();
        st.runs
            .iter()
            .rev()
            .filter_map(|run| {
                let (made, _) =
                    workflows::solution_flows(&st, &org).find(|(f, _)| f.name == run.flow)?;
                row(made, run)
            })
            .collect()
    };
    listed(&flow, &org, "flowruns", rows, &query)
}
