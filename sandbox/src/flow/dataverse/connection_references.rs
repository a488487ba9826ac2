//! Dataverse's `connectionreference` table: a solution's name for a connection its flows use
//! (`connectionreferencelogicalname`, unique in the organisation), for a connector
//! (`connectorid`), bound to one of the environment's connections (`connectionid`) or not yet.
//! A flow whose `clientdata` names one by `connectionReferenceLogicalName` takes its connection
//! from it when it is turned on.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::workflows::known_connection;
use super::{
    DataverseError, ListQuery, Result, caller, listed, made, matches_version, organisation_url,
    required,
};
use crate::flow::FlowService;
use crate::flow::catalog::Environment;
use crate::flow::state::{ConnectionReference, FlowState};

fn row(r: &ConnectionReference) -> Value {
    json!({
        "@odata.etag": format!("W/\"{}\"", r.version),
        "connectionreferenceid": r.id,
        "connectionreferencelogicalname": r.logical_name,
        "connectionreferencedisplayname": r.display_name,
        "connectorid": r.connector_id,
        "connectionid": r.connection_id,
        "statecode": 0,
    })
}

pub async fn list(
    State(flow): State<Arc<FlowService>>,
    Path(org): Path<String>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>> {
    caller(&flow, &headers, &org).await?;
    let rows = flow
        .lock()
        .connection_references
        .iter()
        .filter(|r| r.organisation == org)
        .map(row)
        .collect();
    listed(&flow, &org, "connectionreferences", rows, &query)
}

#[derive(Deserialize)]
pub struct NewReference {
    connectionreferencelogicalname: Option<String>,
    #[serde(default)]
    connectionreferencedisplayname: String,
    connectorid: Option<String>,
    connectionid: Option<String>,
}

pub async fn create(
    State(flow): State<Arc<FlowService>>,
    Path(org): Path<String>,
    headers: HeaderMap,
    Json(body): Json<NewReference>,
) -> Result<Response> {
    let (_, env) = caller(&flow, &headers, &org).await?;
    let logical_name = required(
        body.connectionreferencelogicalname,
        "connectionreferencelogicalname",
    )?;
    let connector_id = required(
        body.connectorid
            .filter(|c| c.starts_with("/providers/Microsoft.PowerApps/apis/")),
        "connectorid",
    )?;
    let connection_id = match body.connectionid.filter(|c| !c.is_empty()) {
        Some(name) => Some(known_connection(&flow, &env, &name)?),
        None => None,
    };
    let made_row = {
        let mut st = flow.lock();
        if find_logical(&st, &org, &logical_name).is_ok() {
            return Err(DataverseError::new(
                axum::http::StatusCode::PRECONDITION_FAILED,
                "0x80040237",
                format!(
                    "A record with the connectionreferencelogicalname '{logical_name}' already exists."
                ),
            ));
        }
        let made_row = ConnectionReference {
            id: uuid::Uuid::new_v4().to_string(),
            organisation: org.clone(),
            logical_name,
            display_name: body.connectionreferencedisplayname,
            connector_id,
            connection_id,
            version: 1,
        };
        st.connection_references.push(made_row.clone());
        made_row
    };
    let entity = format!(
        "{}/api/data/v9.2/connectionreferences({})",
        organisation_url(&flow.origin, &org),
        made_row.id
    );
    Ok(made(&headers, &entity, row(&made_row)))
}

/// The reference of `org` whose logical name is `logical`.
pub fn find_logical<'s>(
    st: &'s FlowState,
    org: &str,
    logical: &str,
) -> Result<&'s ConnectionReference> {
    st.connection_references
        .iter()
        .find(|r| r.organisation == org && r.logical_name == logical)
        .ok_or_else(|| {
            DataverseError::payload(format!(
                "There is no connection reference '{logical}' in this organisation."
            ))
        })
}

/// The connection the reference `logical` is bound to.
pub fn bound(flow: &FlowService, org: &str, logical: &str) -> Result<String> {
    let st = flow.lock();
    find_logical(&st, org, logical)?
        .connection_id
        .clone()
        .ok_or_else(|| {
            DataverseError::payload(format!(
                "The connection reference '{logical}' is not bound to a connection."
            ))
        })
}

fn position(st: &FlowState, org: &str, id: &str) -> Result<usize> {
    st.connection_references
        .iter()
        .position(|r| r.organisation == org && r.id == id)
        .ok_or_else(|| DataverseError::not_found("connectionreference", id))
}

pub fn read(flow: &FlowService, org: &str, id: &str) -> Result<Value> {
    let st = flow.lock();
    Ok(row(&st.connection_references[position(&st, org, id)?]))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    connectionreferencedisplayname: Option<String>,
    /// A connection's name binds the reference; `null` unbinds it.
    #[serde(default, with = "serde_with_null")]
    connectionid: Option<Option<String>>,
}

/// Tells a `null` apart from a column left out.
mod serde_with_null {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }
}

pub fn update(
    flow: &FlowService,
    env: &Environment,
    org: &str,
    id: &str,
    if_match: Option<&str>,
    change: Change,
) -> Result<()> {
    let connection = match change.connectionid {
        Some(Some(name)) if !name.is_empty() => Some(Some(known_connection(flow, env, &name)?)),
        Some(_) => Some(None),
        None => None,
    };
    let mut st = flow.lock();
    let at = position(&st, org, id)?;
    let kept = &mut st.connection_references[at];
    matches_version(if_match, kept.version)?;
    if let Some(name) = change.connectionreferencedisplayname {
        kept.display_name = name;
    }
    if let Some(connection) = connection {
        kept.connection_id = connection;
    }
    kept.version += 1;
    Ok(())
}

pub fn delete(flow: &FlowService, org: &str, id: &str) -> Result<()> {
    let mut st = flow.lock();
    let at = position(&st, org, id)?;
    st.connection_references.remove(at);
    Ok(())
}
