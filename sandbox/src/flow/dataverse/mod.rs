//! Each environment's Dataverse organisation, where pre-built flows are deployed: the Web API
//! (`/api/data/v9.2/`) of organisation `{org}` at `{origin}/orgs/{org}/` on this origin,
//! standing for `https://{org}.crm.dynamics.com/`. A call needs an access token whose audience
//! is the organisation's URL (the scope `{organisation URL}/.default` or `/user_impersonation`)
//! from a user of the environment's tenant, or a token of an app that is an application user of
//! the organisation (client credentials, `idtyp: app`). Errors have Dataverse's shape,
//! `{"error": {"code": "0x…", "message"}}`.
//!
//! Finished runs of those flows are rows of the `flowrun` table (`flowruns`).
//!
//! The environments list of the Power Platform (BAP) gives each environment's organisation URL
//! (`linkedEnvironmentMetadata.instanceUrl`): `bap.rs`.

pub mod bap;
mod connection_references;
mod flow_runs;
mod workflows;

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::catalog::Environment;
use super::state::DataverseFaults;
use super::token::{self, Caller};
use super::{FlowService, catalog};
use crate::directory::Directory;

/// Dataverse's application id, which every organisation URL is an identifier of.
pub const APP_ID: &str = "00000007-0000-0000-c000-000000000000";

/// The delegated permission a Dataverse token carries.
const PERMISSION: &str = "user_impersonation";

const BASE: &str = "/orgs/{org}/api/data/v9.2";

pub fn routes() -> axum::Router<Arc<FlowService>> {
    axum::Router::new()
        .route(
            &format!("{BASE}/workflows"),
            get(workflows::list).post(workflows::create),
        )
        .route(
            &format!("{BASE}/connectionreferences"),
            get(connection_references::list).post(connection_references::create),
        )
        .route(&format!("{BASE}/flowruns"), get(flow_runs::list))
        .route(
            &format!("{BASE}/{{record}}"),
            get(read).patch(update).delete(delete),
        )
        .route("/_sandbox/dataverse-faults", post(set_faults))
        .merge(bap::routes())
}

/// A record named as the Web API names one: `{entity set}({id})`.
enum Record {
    Workflow(String),
    ConnectionReference(String),
}

impl Record {
    fn parse(segment: &str) -> Result<Record> {
        let (set, rest) = segment.split_once('(').unwrap_or((segment, ""));
        let id = rest
            .strip_suffix(')')
            .map(|id| id.trim_matches('\'').to_ascii_lowercase());
        match (set, id) {
            ("workflows", Some(id)) => Ok(Record::Workflow(id)),
            ("connectionreferences", Some(id)) => Ok(Record::ConnectionReference(id)),
            _ => Err(DataverseError::new(
                StatusCode::NOT_FOUND,
                "0x80060888",
                format!("Resource not found for the segment '{segment}'."),
            )),
        }
    }
}

type RecordPath = Path<(String, String)>;

async fn read(
    State(flow): State<Arc<FlowService>>,
    Path((org, segment)): RecordPath,
    Query(query): Query<Select>,
    headers: HeaderMap,
) -> Result<Json<Value>> {
    caller(&flow, &headers, &org).await?;
    let row = match Record::parse(&segment)? {
        Record::Workflow(id) => workflows::read(&flow, &org, &id)?,
        Record::ConnectionReference(id) => connection_references::read(&flow, &org, &id)?,
    };
    Ok(Json(selected(row, query.select.as_deref())))
}

async fn update(
    State(flow): State<Arc<FlowService>>,
    Path((org, segment)): RecordPath,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let (_, env) = caller(&flow, &headers, &org).await?;
    let if_match = headers.get("if-match").and_then(|v| v.to_str().ok());
    match Record::parse(&segment)? {
        Record::Workflow(id) => {
            let change = serde_json::from_slice(&body).map_err(unreadable)?;
            workflows::update(&flow, &env, &org, &id, if_match, change).await?
        }
        Record::ConnectionReference(id) => {
            let change = serde_json::from_slice(&body).map_err(unreadable)?;
            connection_references::update(&flow, &env, &org, &id, if_match, change)?
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn delete(
    State(flow): State<Arc<FlowService>>,
    Path((org, segment)): RecordPath,
    headers: HeaderMap,
) -> Result<Response> {
    caller(&flow, &headers, &org).await?;
    match Record::parse(&segment)? {
        Record::Workflow(id) => workflows::delete(&flow, &org, &id).await?,
        Record::ConnectionReference(id) => connection_references::delete(&flow, &org, &id)?,
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The text of a column a new row must have.
fn required(value: Option<String>, column: &str) -> Result<String> {
    value
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| DataverseError::required(column))
}

fn unreadable(e: serde_json::Error) -> DataverseError {
    DataverseError::payload(format!("The request body cannot be read: {e}"))
}

/// `$select`.
#[derive(Deserialize)]
struct Select {
    #[serde(rename = "$select")]
    select: Option<String>,
}

/// `$filter` and `$select` of a list.
#[derive(Deserialize)]
struct ListQuery {
    #[serde(rename = "$filter")]
    filter: Option<String>,
    #[serde(rename = "$select")]
    select: Option<String>,
}

/// The rows of `rows` that `query`'s filter keeps, with its columns; in Dataverse's list shape.
fn listed(
    flow: &FlowService,
    org: &str,
    set: &str,
    rows: Vec<Value>,
    query: &ListQuery,
) -> Result<Json<Value>> {
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
    let value: Vec<Value> = rows
        .into_iter()
        .filter(|r| filter.as_ref().is_none_or(|f| f.matches(r)))
        .map(|r| selected(r, query.select.as_deref()))
        .collect();
    Ok(Json(json!({
        "@odata.context": format!("{}/api/data/v9.2/$metadata#{set}", organisation_url(&flow.origin, org)),
        "value": value,
    })))
}

/// Only `$select`'s columns (and the annotations), when it names any.
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

/// A made row's answer: `204` with `OData-EntityId`, or `201` with the row when the request
/// prefers `return=representation`.
fn made(headers: &HeaderMap, entity: &str, row: Value) -> Response {
    let representation = headers
        .get("prefer")
        .and_then(|p| p.to_str().ok())
        .is_some_and(|p| p.contains("return=representation"));
    let mut response = if representation {
        (StatusCode::CREATED, Json(row)).into_response()
    } else {
        StatusCode::NO_CONTENT.into_response()
    };
    if let Ok(value) = HeaderValue::from_str(entity) {
        response.headers_mut().insert("OData-EntityId", value);
    }
    response
}

/// Whether `if_match` (absent, `*`, or the row's etag) lets a change of a row at `version` go.
fn matches_version(if_match: Option<&str>, version: u64) -> Result<()> {
    match if_match {
        Some(tag) if tag != "*" && tag != format!("W/\"{version}\"") => Err(DataverseError::new(
            StatusCode::PRECONDITION_FAILED,
            "0x80060882",
            "The version of the existing record doesn't match the RowVersion property provided.",
        )),
        _ => Ok(()),
    }
}

/// Replaces what Dataverse's calls do; the calls are counted from now. An empty body is normal.
async fn set_faults(
    State(flow): State<Arc<FlowService>>,
    Json(faults): Json<DataverseFaults>,
) -> Json<DataverseFaults> {
    let mut st = flow.lock();
    st.dataverse_faults = faults.clone();
    st.dataverse_calls = 0;
    Json(faults)
}

/// How long a call the faults hang waits: longer than any client waits.
const HANG: std::time::Duration = std::time::Duration::from_secs(600);

/// Counts the call, and fails or hangs it as the faults say.
async fn fault(flow: &FlowService) -> Result<()> {
    let (fail, hang, faults) = {
        let mut st = flow.lock();
        st.dataverse_calls += 1;
        let call = st.dataverse_calls;
        let faults = st.dataverse_faults.clone();
        (
            faults.fail.contains(&call),
            faults.hang.contains(&call),
            faults,
        )
    };
    if hang {
        tokio::time::sleep(HANG).await;
    }
    if fail {
        let status = faults
            .status
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        return Err(DataverseError {
            status,
            code: faults.code.unwrap_or_else(|| "0x80040216".into()),
            message: faults
                .message
                .unwrap_or_else(|| "An unexpected error occurred.".into()),
        });
    }
    Ok(())
}

/// The URL of organisation `org` on the Power Automate origin `origin` (no trailing slash, as
/// a token's audience has it).
pub fn organisation_url(origin: &str, org: &str) -> String {
    format!("{origin}/orgs/{org}")
}

/// Every organisation's URL, with and without its trailing slash: the identifiers the identity
/// provider adds to Dataverse's.
pub fn identifiers(origin: &str) -> Vec<String> {
    let directory = Directory::embedded();
    let catalog = catalog::Catalog::embedded();
    directory
        .tenants
        .iter()
        .flat_map(|t| catalog.environments(&t.id, &t.display_name))
        .filter_map(|e| e.organisation())
        .flat_map(|org| {
            let url = organisation_url(origin, &org);
            [format!("{url}/"), url]
        })
        .collect()
}

/// A Dataverse error.
#[derive(Debug)]
pub struct DataverseError {
    status: StatusCode,
    code: String,
    message: String,
}

impl DataverseError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        DataverseError {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// A request Dataverse cannot carry out as given (`0x80048d19`, "Error identified in
    /// Payload provided by the user").
    fn payload(message: impl Into<String>) -> Self {
        DataverseError::new(StatusCode::BAD_REQUEST, "0x80048d19", message)
    }

    fn required(column: &str) -> Self {
        DataverseError::payload(format!("The column '{column}' is required."))
    }

    fn not_found(entity: &str, id: &str) -> Self {
        DataverseError::new(
            StatusCode::NOT_FOUND,
            "0x80040217",
            format!("{entity} With Id = {id} Does Not Exist"),
        )
    }
}

impl IntoResponse for DataverseError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

type Result<T> = std::result::Result<T, DataverseError>;

/// The caller and the environment whose organisation is `org`: a token for this organisation,
/// from a user of the environment's tenant. Every Web API call comes here first, so this is
/// where the faults count it.
async fn caller(
    flow: &FlowService,
    headers: &HeaderMap,
    org: &str,
) -> Result<(Caller, Environment)> {
    fault(flow).await?;
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let url = organisation_url(&flow.origin, org);
    let caller =
        token::check_user_or_app(flow, authorization, &url, PERMISSION).map_err(|refused| {
            DataverseError::new(
                StatusCode::UNAUTHORIZED,
                "0x80072560",
                format!("The access token was refused: {}", refused.message()),
            )
        })?;
    let not_member = || {
        DataverseError::new(
            StatusCode::FORBIDDEN,
            "0x80072560",
            "The user is not a member of the organization.",
        )
    };
    let environment = flow
        .catalog
        .environments(&caller.tenant, &caller.tenant_name)
        .into_iter()
        .find(|e| e.organisation().as_deref() == Some(org))
        .ok_or_else(not_member)?;
    let Some(app) = caller.app.clone() else {
        return Ok((caller, environment));
    };
    let user = flow
        .lock()
        .app_users
        .iter()
        .find(|u| u.org == org && u.app_id.eq_ignore_ascii_case(&app))
        .map(|u| u.systemuserid.clone())
        .ok_or_else(not_member)?;
    let name = format!("# {}", flow.idp.directory.app.display_name);
    Ok((
        Caller {
            object_id: user,
            name,
            ..caller
        },
        environment,
    ))
}
