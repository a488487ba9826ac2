//! The service API the widget pages call with the bearer token their host handed them: the
//! template gallery, the user's flows, runs and approvals in one environment. Errors have the
//! Flow service's shape, `{"error": {"code", "message"}}`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::flow_filter::Filter;
use serde::Deserialize;
use serde_json::{Value, json};

use super::FlowService;
use super::catalog::{Template, default_environment};
use super::state::{
    Approval, ApprovalStatus, Flow, FlowState, FlowStatus, Run, RunStatus, timestamp,
};
use super::token::{self, Caller};

pub fn routes() -> Router<Arc<FlowService>> {
    let env = "/_widget-api/environments/{env}";
    Router::new()
        .route("/_widget-api/me", get(me))
        .route(env, get(environment))
        .route(&format!("{env}/templates"), get(templates))
        .route(&format!("{env}/templates/{{template}}"), get(template))
        .route(&format!("{env}/flows"), get(flows).post(create_flow))
        .route(
            &format!("{env}/flows/{{flow}}"),
            get(flow).delete(delete_flow),
        )
        .route(&format!("{env}/flows/{{flow}}/state"), post(set_state))
        .route(&format!("{env}/flows/{{flow}}/runs"), post(start_run))
        .route(&format!("{env}/flows/{{flow}}/runs/{{run}}"), get(run))
        .route(&format!("{env}/approvals"), get(approvals))
        .route(
            &format!("{env}/approvals/{{approval}}/respond"),
            post(respond),
        )
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: &str) -> ApiError {
        ApiError {
            status,
            code,
            message: message.to_owned(),
        }
    }

    pub fn unauthorized(code: &'static str, message: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, code, message)
    }

    pub fn forbidden(code: &'static str, message: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, code, message)
    }

    fn not_found(code: &'static str, message: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, code, message)
    }

    fn bad_request(code: &'static str, message: &str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

type ApiResult = Result<Response, ApiError>;

/// The caller, after the token check (and the fault that makes one token expire early).
fn caller(flow: &FlowService, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let checked = token::check(flow, authorization);
    let mut st = flow.lock();
    st.stats.tokens_checked += 1;
    let checked = checked.and_then(|caller| {
        if st.faults.reject_tokens {
            Err(ApiError::unauthorized(
                "InvalidAuthenticationToken",
                "The access token is invalid: it has been revoked.",
            ))
        } else if std::mem::take(&mut st.expire_next_token) {
            Err(ApiError::unauthorized(
                "ExpiredAuthenticationToken",
                "The access token has expired. Get a new token and try again.",
            ))
        } else {
            Ok(caller)
        }
    });
    if checked.is_err() {
        st.stats.tokens_refused += 1;
    }
    checked
}

/// The caller and the environment they named (`~default` is their default), which must be one
/// of their tenant's.
fn in_environment(
    flow: &FlowService,
    headers: &HeaderMap,
    env: &str,
) -> Result<(Caller, String), ApiError> {
    let caller = caller(flow, headers)?;
    let name = if env.eq_ignore_ascii_case("~default") {
        default_environment(&caller.tenant)
    } else {
        env.to_owned()
    };
    let known = flow
        .catalog
        .environments(&caller.tenant, &caller.tenant_name)
        .into_iter()
        .find(|e| e.name.eq_ignore_ascii_case(&name))
        .ok_or_else(|| {
            ApiError::forbidden(
                "EnvironmentAccessDenied",
                &format!("Access to the environment '{env}' is denied."),
            )
        })?;
    Ok((caller, known.name))
}

fn ok(value: Value) -> ApiResult {
    Ok(Json(value).into_response())
}

async fn me(State(flow): State<Arc<FlowService>>, headers: HeaderMap) -> ApiResult {
    let caller = caller(&flow, &headers)?;
    ok(json!({
        "tenantId": caller.tenant,
        "tenantName": caller.tenant_name,
        "objectId": caller.object_id,
        "displayName": caller.name,
        "userPrincipalName": caller.upn,
    }))
}

async fn environment(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, name) = in_environment(&flow, &headers, &env)?;
    let environment = flow
        .catalog
        .environments(&caller.tenant, &caller.tenant_name)
        .into_iter()
        .find(|e| e.name == name)
        .expect("checked above");
    ok(json!({
        "name": environment.name,
        "id": format!("/providers/Microsoft.ProcessSimple/environments/{}", environment.name),
        "type": "Microsoft.ProcessSimple/environments",
        "properties": {
            "displayName": environment.display_name,
            "isDefault": environment.name == default_environment(&caller.tenant),
        }
    }))
}

fn template_json(t: &Template) -> Value {
    json!({
        "name": t.name,
        "properties": {
            "displayName": t.display_name,
            "description": t.description,
            "category": t.category,
            "trigger": t.trigger,
            "parameters": t.parameters,
            "operations": t.operations,
        }
    })
}

#[derive(Deserialize)]
struct TemplateQuery {
    q: Option<String>,
    category: Option<String>,
    top: Option<usize>,
}

async fn templates(
    State(flow): State<Arc<FlowService>>,
    Path(env): Path<String>,
    Query(query): Query<TemplateQuery>,
    headers: HeaderMap,
) -> ApiResult {
    in_environment(&flow, &headers, &env)?;
    let category = query.category.as_deref().filter(|c| !c.is_empty());
    let found = flow
        .catalog
        .search(query.q.as_deref().unwrap_or(""), category);
    let total = found.len();
    let value: Vec<Value> = found
        .into_iter()
        .take(query.top.unwrap_or(usize::MAX))
        .map(template_json)
        .collect();
    ok(json!({ "value": value, "total": total }))
}

async fn template(
    State(flow): State<Arc<FlowService>>,
    Path((env, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    in_environment(&flow, &headers, &env)?;
    let template = flow.catalog.template(&name).ok_or_else(|| {
        ApiError::not_found(
            "TemplateNotFound",
            &format!("The template '{name}' was not found."),
        )
    })?;
    ok(template_json(template))
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

fn parse_filter(text: Option<&str>) -> Result<Option<Filter>, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => Filter::parse(text).map(Some).map_err(|e| {
            ApiError::bad_request(
                "InvalidFilter",
                &format!("The filter '{text}' is not valid: {e}."),
            )
        }),
    }
}

#[derive(Deserialize)]
struct ListQuery {
    tab: Option<String>,
    filter: Option<String>,
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

fn find_flow<'s>(
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
        match given.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
            Some(value) => {
                parameters.insert(name.clone(), value.to_owned());
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
    let created = Flow {
        name: uuid::Uuid::new_v4().to_string(),
        tenant: caller.tenant,
        environment: env,
        owner: caller.object_id,
        display_name: body
            .display_name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| template.display_name.clone()),
        template: Some(template.name.clone()),
        trigger: template.trigger.clone(),
        state: FlowStatus::Started,
        parameters,
        operations,
        created: flow.idp.now(),
    };
    let body = flow_json(&flow.origin, &created);
    flow.lock().flows.push(created);
    Ok((StatusCode::CREATED, Json(body)).into_response())
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
    let mut st = flow.lock();
    let found = find_flow(&mut st, &caller, &env, &name)?;
    found.state = body.state;
    ok(flow_json(&flow.origin, found))
}

async fn delete_flow(
    State(flow): State<Arc<FlowService>>,
    Path((env, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let (caller, env) = in_environment(&flow, &headers, &env)?;
    let mut st = flow.lock();
    find_flow(&mut st, &caller, &env, &name)?;
    st.flows.retain(|f| f.name != name);
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn run_json(r: &Run) -> Value {
    json!({
        "name": r.name,
        "id": format!("/providers/Microsoft.ProcessSimple/environments/{}/flows/{}/runs/{}", r.environment, r.flow, r.name),
        "type": "Microsoft.ProcessSimple/environments/flows/runs",
        "properties": {
            "startTime": timestamp(r.start),
            "endTime": r.end.map(timestamp),
            "status": r.status,
        }
    })
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
            name: run_name(),
            flow: name.clone(),
            tenant: caller.tenant.clone(),
            environment: env.clone(),
            status: RunStatus::Running,
            implicit_data: body.implicit_data,
            start: flow.idp.now(),
            end: None,
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
    Ok((StatusCode::ACCEPTED, Json(run_json(&run))).into_response())
}

/// Run names look like Logic Apps run ids: 32 digits and capitals.
fn run_name() -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    format!("0858{}CU{}", &hex[..24], &hex[24..26])
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
    ok(run_json(found))
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
    let answer = approval_json(&flow, approval);
    ok(answer)
}
