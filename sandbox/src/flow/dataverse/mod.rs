//! Each environment's Dataverse organisation, where pre-built flows are deployed: the Web API
//! (`/api/data/v9.2/`) of organisation `{org}` at `{origin}/orgs/{org}/` on this origin,
//! standing for `https://{org}.crm.dynamics.com/`. A call needs an access token whose audience
//! is the organisation's URL (the scope `{organisation URL}/.default` or `/user_impersonation`)
//! from a user of the environment's tenant. Errors have Dataverse's shape,
//! `{"error": {"code": "0x…", "message"}}`.
//!
//! The environments list of the Power Platform (BAP) gives each environment's organisation URL
//! (`linkedEnvironmentMetadata.instanceUrl`): `bap.rs`.

pub mod bap;
mod workflows;

use std::sync::Arc;

use axum::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::catalog::Environment;
use super::token::{self, Caller};
use super::{FlowService, catalog};
use crate::directory::Directory;

/// Dataverse's application id, which every organisation URL is an identifier of.
pub const APP_ID: &str = "00000007-0000-0000-c000-000000000000";

/// The delegated permission a Dataverse token carries.
const PERMISSION: &str = "user_impersonation";

pub fn routes() -> axum::Router<Arc<FlowService>> {
    workflows::routes().merge(bap::routes())
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
    code: &'static str,
    message: String,
}

impl DataverseError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        DataverseError {
            status,
            code,
            message: message.into(),
        }
    }

    /// A request Dataverse cannot carry out as given (`0x80048d19`, "Error identified in
    /// Payload provided by the user").
    fn payload(message: impl Into<String>) -> Self {
        DataverseError::new(StatusCode::BAD_REQUEST, "0x80048d19", message)
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
/// from a user of the environment's tenant.
fn caller(flow: &FlowService, headers: &HeaderMap, org: &str) -> Result<(Caller, Environment)> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let url = organisation_url(&flow.origin, org);
    let caller = token::check_for(flow, authorization, &url, PERMISSION).map_err(|refused| {
        DataverseError::new(
            StatusCode::UNAUTHORIZED,
            "0x80072560",
            format!("The access token was refused: {}", refused.message()),
        )
    })?;
    let environment = flow
        .catalog
        .environments(&caller.tenant, &caller.tenant_name)
        .into_iter()
        .find(|e| e.organisation().as_deref() == Some(org))
        .ok_or_else(|| {
            DataverseError::new(
                StatusCode::FORBIDDEN,
                "0x80072560",
                "The user is not a member of the organization.",
            )
        })?;
    Ok((caller, environment))
}
