//! The service API the widget pages call with the bearer token their host handed them: the
//! template gallery, the user's flows, runs and approvals in one environment; and the Flow
//! resource provider's reads of a flow and a run (`/providers/Microsoft.ProcessSimple`). Errors
//! have the Flow service's shape, `{"error": {"code", "message"}}`.
//!
//! Each resource module owns its routes; this module merges them.

mod apis;
mod approvals;
mod auth;
pub(crate) mod connections;
mod environments;
pub(crate) mod error;
mod flows;
pub(crate) mod new_flow;
mod odata;
mod resource_provider;
mod runs;
mod templates;

use std::sync::Arc;

use axum::Router;

use super::FlowService;

pub use error::ApiError;

/// The prefix of every route inside one environment.
const ENV: &str = "/_widget-api/environments/{env}";

pub fn routes() -> Router<Arc<FlowService>> {
    Router::new()
        .merge(environments::routes())
        .merge(apis::routes())
        .merge(connections::routes())
        .merge(templates::routes())
        .merge(flows::routes())
        .merge(runs::routes())
        .merge(approvals::routes())
        .merge(resource_provider::routes())
}
