//! Approvals: the ones the caller received or sent, and answering one.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::ENV;
use super::auth::in_environment;
use super::error::{ApiError, ApiResult, ok};
use super::odata::{ListQuery, parse_filter};
use crate::flow::state::{Approval, ApprovalStatus, timestamp};
use crate::flow::{FlowService, approving};

pub(super) fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .route(&format!("{ENV}/approvals"), get(approvals))
        .route(
            &format!("{ENV}/approvals/{{approval}}/respond"),
            post(respond),
        )
}

fn approval_json(flow: &FlowService, a: &Approval) -> Value {
    let name_of = |oid: &str| {
        flow.idp
            .directory
            .users()
            .find(|(_, u)| u.object_id == oid)
            .map(|(_, u)| json!({"objectId": oid, "displayName": u.display_name, "userPrincipalName": u.upn}))
            .unwrap_or_else(|| json!({"objectId": oid}))
    };
    json!({
        "name": a.name,
        "properties": {
            "title": a.title,
            "details": a.details,
            "itemLink": a.item_link,
            "itemLinkDescription": a.item_link_description,
            "status": a.status,
            "requester": name_of(&a.requester),
            "assignedTo": a.assigned_to.iter().map(|o| name_of(o)).collect::<Vec<_>>(),
            "responder": a.responder.as_deref().map(name_of),
            "comments": a.comments,
            "createdDateTime": timestamp(a.created),
            "completedDateTime": a.completed.map(timestamp),
            "flowName": a.flow,
            "runName": a.run,
        }
    })
}

async fn approvals(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let filter = parse_filter(query.filter.as_deref())?;
    let sent = query.tab.as_deref() == Some("sent");
    let st = flow.lock();
    let value: Vec<Value> = st
        .approvals
        .iter()
        .filter(|a| a.tenant == caller.tenant && a.environment == env)
        .filter(|a| {
            if sent {
                a.requester == caller.object_id
            } else {
                a.assigned_to.contains(&caller.object_id)
            }
        })
        .filter(|a| {
            filter
                .as_ref()
                .is_none_or(|x| x.matches(&a.filter_record()))
        })
        .rev()
        .map(|a| approval_json(&flow, a))
        .collect();
    ok(json!({ "value": value }))
}

#[derive(Deserialize)]
struct Respond {
    outcome: String,
    comments: Option<String>,
}

async fn respond(
    State(flow): State<Arc<FlowService>>,
    Path((env, name)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Respond>,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let status = match body.outcome.as_str() {
        "Approve" => ApprovalStatus::Approved,
        "Reject" => ApprovalStatus::Rejected,
        other => {
            return Err(ApiError::bad_request(
                "InvalidApprovalResponse",
                &format!("'{other}' is not a response: use Approve or Reject."),
            ));
        }
    };
    let now = flow.idp.now();
    let mut st = flow.lock();
    let approval = st
        .approvals
        .iter_mut()
        .find(|a| {
            a.name == name
                && a.tenant == caller.tenant
                && a.environment == env
                && a.assigned_to.contains(&caller.object_id)
        })
        .ok_or_else(|| {
            ApiError::not_found(
                "ApprovalNotFound",
                &format!("The approval '{name}' was not found."),
            )
        })?;
    if approval.status != ApprovalStatus::Pending {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "ApprovalAlreadyCompleted",
            "This approval has already been responded to.",
        ));
    }
    approval.status = status;
    approval.responder = Some(caller.object_id);
    approval.comments = body.comments.filter(|c| !c.trim().is_empty());
    approval.completed = Some(now);
    let answered = approval.clone();
    // A run waiting for this answer goes on.
    if let Some(run) = st.waiting.remove(&answered.name) {
        let _gone = run.send(approving::answer(&flow, &answered));
    }
    ok(approval_json(&flow, &answered))
}
