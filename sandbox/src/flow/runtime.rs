//! Flows the engine runs. Saving one subscribes its webhook trigger through the maker's
//! connection with a signed callback URL; deleting it (or turning it off) sends `DELETE` to the
//! hook's `Location`. A POST to the callback URL starts a run, whose connector calls go to
//! Flowhost with the connection's token and whose approvals wait in the approvals widget for
//! the approver's answer.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use sha2::Sha256;

use super::FlowService;
use super::api::error::ApiError;
use super::approving;
use super::consent::fresh_token;
use super::state::{Flow, Run, RunStatus, Workflow};
use crate::engine::connector::Connector;
use crate::engine::definition::{self, Connectors, Definition, Host, Refused, Trigger};
use crate::engine::expression::{self, Scope};
use crate::engine::http::ConnectorCalls;
use crate::engine::run::{self, Calls, Failure, Status};

pub const FLOWHOST: &str = "/providers/Microsoft.PowerApps/apis/shared_flowhost";
pub const APPROVALS: &str = "/providers/Microsoft.PowerApps/apis/shared_approvals";
const START_AND_WAIT: &str = "StartAndWaitForAnApproval";

pub(super) fn routes() -> Router<Arc<FlowService>> {
    Router::new().route("/workflows/{flow}/triggers/{trigger}/run", post(invoked))
}

/// The connectors flows may use here: Flowhost's, and Approvals' wait for an answer.
struct Known<'c>(&'c Connector);

impl Connectors for Known<'_> {
    fn has_operation(&self, api_id: &str, operation_id: &str) -> bool {
        match api_id {
            FLOWHOST => self.0.has(operation_id),
            APPROVALS => operation_id == START_AND_WAIT,
            _ => false,
        }
    }
}

/// Checks an exported flow (`definition` and `connectionReferences`).
pub fn check(flow: &FlowService, exported: &Value) -> Result<Definition, Refused> {
    check_with(&flow.connector, exported)
}

/// Checks an exported flow against `connector` and Approvals.
pub fn check_with(connector: &Connector, exported: &Value) -> Result<Definition, Refused> {
    let references = exported["connectionReferences"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    definition::parse(&exported["definition"], &references, &Known(connector))
}

/// Only the flow's parameters, for the trigger's inputs.
struct Parameters<'p>(&'p Map<String, Value>);

impl Scope for Parameters<'_> {
    fn trigger(&self) -> Value {
        Value::Null
    }
    fn action(&self, _: &str) -> Option<Value> {
        None
    }
    fn parameter(&self, name: &str) -> Option<Value> {
        self.0.get(name).cloned()
    }
}

type Signer = Hmac<Sha256>;

fn signer(flow: &FlowService, flow_name: &str, path: &str) -> Signer {
    let mut mac = Signer::new_from_slice(&flow.callback_key).expect("any key length");
    mac.update(flow_name.as_bytes());
    mac.update(path.as_bytes());
    mac
}

/// The trigger's callback URL, signed as Logic Apps signs one (`sp`, `sv`, `sig`).
pub fn callback_url(flow: &FlowService, flow_name: &str, trigger: &str) -> String {
    let path = format!("/triggers/{trigger}/run");
    let sig = URL_SAFE_NO_PAD.encode(signer(flow, flow_name, &path).finalize().into_bytes());
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("api-version", "2016-06-01")
        .append_pair("sp", &path)
        .append_pair("sv", "1.0")
        .append_pair("sig", &sig)
        .finish();
    format!("{}/workflows/{flow_name}{path}?{query}", flow.origin)
}

fn calls_with<'c>(flow: &'c FlowService, token: String) -> ConnectorCalls<'c> {
    ConnectorCalls {
        connector: &flow.connector,
        origin: flow.connector_host.clone(),
        token,
        http: flow.http.clone(),
    }
}

/// Subscribes the webhook trigger of `flow_name`; the hook's `Location`. A manual trigger has
/// nothing to subscribe.
pub async fn subscribe(
    flow: &FlowService,
    flow_name: &str,
    workflow: &Workflow,
) -> Result<Option<String>, String> {
    let definition = &workflow.definition;
    let Trigger::Webhook { host, parameters } = &definition.trigger else {
        return Ok(None);
    };
    let evaluated = expression::evaluate(
        &Value::Object(parameters.clone()),
        &Parameters(&workflow.parameters),
    )
    .map_err(|e| e.0)?;
    let mut inputs = evaluated.as_object().cloned().unwrap_or_default();
    let field = flow
        .connector
        .notification_field(&host.operation_id)
        .ok_or_else(|| format!("'{}' is not a webhook trigger", host.operation_id))?;
    let callback = callback_url(flow, flow_name, &definition.trigger_name);
    inputs.insert(format!("body/{field}"), json!(callback));
    let token = fresh_token(flow, &workflow.connection).await?;
    let answer = calls_with(flow, token)
        .call(host, &inputs)
        .await
        .map_err(|f| f.message)?;
    answer["headers"]["location"]
        .as_str()
        .map(|l| Some(l.to_owned()))
        .ok_or_else(|| "the subscription answered without a Location".to_owned())
}

/// Sends `DELETE` to the hook's `Location` through the flow's connection.
pub async fn unsubscribe(flow: &FlowService, workflow: &Workflow) -> Result<(), String> {
    let Some(location) = &workflow.hook else {
        return Ok(());
    };
    let token = fresh_token(flow, &workflow.connection).await?;
    let answer = flow
        .http
        .delete(location)
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    // Gone already is as good as deleted.
    if answer.status().is_success() || answer.status() == StatusCode::NOT_FOUND {
        Ok(())
    } else {
        Err(format!("the hook's DELETE answered {}", answer.status()))
    }
}

#[derive(Deserialize)]
struct Signature {
    sp: Option<String>,
    sig: Option<String>,
}

/// `POST` to a trigger's callback URL: a run of the flow with the request as the trigger's
/// outputs, started at once (`202`).
async fn invoked(
    State(flow): State<Arc<FlowService>>,
    Path((flow_name, trigger)): Path<(String, String)>,
    Query(signature): Query<Signature>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = format!("/triggers/{trigger}/run");
    let signed = signature.sp.as_deref() == Some(path.as_str())
        && signature
            .sig
            .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
            .is_some_and(|sig| signer(&flow, &flow_name, &path).verify_slice(&sig).is_ok());
    if !signed {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "DirectApiInvalidAuthorizationSignature",
            "The provided callback URL signature is not valid.",
        )
        .into_response();
    }
    let found = {
        let st = flow.lock();
        st.flows
            .iter()
            .find(|f| f.name == flow_name)
            .map(|f| (f.clone(), f.state))
    };
    let Some((target, state)) = found.filter(|(f, _)| f.workflow.is_some()) else {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "WorkflowNotFound",
            &format!("The workflow '{flow_name}' could not be found."),
        )
        .into_response();
    };
    if state != super::state::FlowStatus::Started {
        return ApiError::new(
            StatusCode::CONFLICT,
            "WorkflowDisabled",
            &format!("The workflow '{flow_name}' is disabled."),
        )
        .into_response();
    }
    let text = String::from_utf8_lossy(&body).into_owned();
    let content: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    let request_headers: Map<String, Value> = headers
        .iter()
        .filter_map(|(k, v)| Some((k.to_string(), json!(v.to_str().ok()?))))
        .collect();
    let outputs = json!({"headers": request_headers, "body": content});
    let workflow = target.workflow.clone().expect("checked above");
    let name = start(&flow, target, workflow, outputs).name;
    let mut response = StatusCode::ACCEPTED.into_response();
    if let Ok(value) = name.parse() {
        response.headers_mut().insert("x-ms-workflow-run-id", value);
    }
    response
}

/// Starts a run of `target` with `outputs` as its trigger's; the run as it begins.
pub fn start(flow: &Arc<FlowService>, target: Flow, workflow: Workflow, outputs: Value) -> Run {
    let run = Run {
        name: run_name(),
        flow: target.name.clone(),
        environment: target.environment.clone(),
        status: RunStatus::Running,
        start: flow.idp.now(),
        end: None,
        trigger: Some((workflow.definition.trigger_name.clone(), outputs.clone())),
        actions: Default::default(),
    };
    flow.lock().runs.push(run.clone());
    let context = RunContext {
        flow: flow.clone(),
        run: run.name.clone(),
        flow_name: target.name,
        tenant: target.tenant,
        environment: target.environment,
        owner: target.owner,
        connection: workflow.connection.clone(),
    };
    tokio::spawn(execute(context, workflow, outputs));
    run
}

/// Run names look like Logic Apps run ids: 32 digits and capitals.
pub fn run_name() -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    format!("0858{}CU{}", &hex[..24], &hex[24..26])
}

/// Who a run is for, and where it records what happens.
pub struct RunContext {
    pub flow: Arc<FlowService>,
    pub run: String,
    pub flow_name: String,
    pub tenant: String,
    pub environment: String,
    /// The flow's maker, who asks for its approvals.
    pub owner: String,
    pub connection: String,
}

async fn execute(context: RunContext, workflow: Workflow, outputs: Value) {
    let finished = run::run(
        &workflow.definition,
        outputs,
        &workflow.parameters,
        &context,
    )
    .await;
    let now = context.flow.idp.now();
    let mut st = context.flow.lock();
    if let Some(record) = st.runs.iter_mut().find(|r| r.name == context.run) {
        record.status = match finished.status {
            Status::Succeeded => RunStatus::Succeeded,
            _ => RunStatus::Failed,
        };
        record.end = Some(now);
        record.actions = finished.actions;
    }
}

fn failure(code: &str, message: String) -> Failure {
    Failure {
        status: Status::Failed,
        code: code.to_owned(),
        message,
        outputs: Value::Null,
    }
}

impl Calls for RunContext {
    async fn call(&self, host: &Host, parameters: &Map<String, Value>) -> Result<Value, Failure> {
        if host.api_id != FLOWHOST {
            return Err(failure(
                "ConnectorNotFound",
                format!("The connector '{}' cannot be called here.", host.api_id),
            ));
        }
        let token = fresh_token(&self.flow, &self.connection)
            .await
            .map_err(|why| failure("Unauthorized", why))?;
        calls_with(&self.flow, token).call(host, parameters).await
    }

    async fn wait(&self, host: &Host, parameters: &Map<String, Value>) -> Result<Value, Failure> {
        if host.api_id != APPROVALS || host.operation_id != START_AND_WAIT {
            return Err(failure(
                "InvalidTemplate",
                format!(
                    "The operation '{}' is not one to wait for.",
                    host.operation_id
                ),
            ));
        }
        let answer =
            approving::start(self, parameters).map_err(|why| failure("BadRequest", why))?;
        let body = answer.await.map_err(|_| {
            failure(
                "Cancelled",
                "The approval was removed before anyone answered it.".into(),
            )
        })?;
        Ok(json!({"statusCode": 200, "headers": {}, "body": body}))
    }
}
