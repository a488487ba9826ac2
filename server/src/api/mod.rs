//! Flowhost's REST API, `/api/v1`: the organisation's accounts, tickets and comments for
//! Power Automate's Flowhost connector and any other client with an Azure AD access token for
//! Flowhost. Each request is authenticated by its bearer token alone ([`caller`]); records are
//! those of the token's organisation, and another organisation's ids are answered exactly as
//! missing ones. Errors have one shape ([`error`]); lists come a page at a time ([`paging`]).

mod accounts;
mod caller;
mod comments;
mod error;
mod extract;
mod hooks;
mod paging;
mod tickets;

use crate::auth::Auth;
use axum::Router;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::handler::Handler;
use axum::http::Method;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use domain::db::Db;
use error::ApiError;
use std::collections::BTreeMap;
use std::sync::Arc;

pub const PREFIX: &str = "/api/v1";

#[derive(Clone)]
pub struct ApiState {
    db: Db,
    auth: Arc<Auth>,
    calls: caller::Calls,
    /// `PUBLIC_URL`, which the next page's address starts with.
    public_url: url::Url,
    /// The largest body taken (the forms' limit).
    body_limit: usize,
    /// Wakes the webhook worker after a write that may have made events.
    wake: crate::hooks::Wake,
}

impl ApiState {
    pub fn new(
        db: Db,
        auth: Arc<Auth>,
        public_url: url::Url,
        limits: &crate::config::Limits,
        wake: crate::hooks::Wake,
    ) -> ApiState {
        ApiState {
            db,
            auth,
            calls: caller::calls(limits.api_requests_per_minute),
            public_url,
            body_limit: limits.form_body,
            wake,
        }
    }
}

/// One operation of the API: a method on a path (under [`PREFIX`], parameters named as the
/// connector's definition names them) and its `operationId` there. The router is built from
/// these, so the list is what the API serves.
pub struct Operation {
    pub method: Method,
    pub path: &'static str,
    pub id: &'static str,
    handler: MethodRouter<ApiState>,
}

impl Operation {
    fn new<H, T>(method: Method, path: &'static str, id: &'static str, handler: H) -> Operation
    where
        H: Handler<T, ApiState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("a method axum routes");
        Operation {
            method,
            path,
            id,
            handler: on(filter, handler),
        }
    }
}

/// Every operation the API serves.
pub fn operations() -> Vec<Operation> {
    [
        accounts::operations(),
        tickets::operations(),
        comments::operations(),
        hooks::operations(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The API's routes under [`PREFIX`]; anything else there is a JSON 404 or 405.
pub fn router(state: ApiState) -> Router {
    let mut paths: BTreeMap<&'static str, MethodRouter<ApiState>> = BTreeMap::new();
    for op in operations() {
        let merged = match paths.remove(op.path) {
            Some(existing) => existing.merge(op.handler),
            None => op.handler,
        };
        paths.insert(op.path, merged);
    }
    let api = paths
        .into_iter()
        .fold(Router::new(), |router, (path, handler)| {
            router.route(path, handler)
        })
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::map_response(uncacheable));
    Router::new().nest(PREFIX, api).with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// Answers hold one organisation's records: no cache keeps them, and nothing sniffs them.
async fn uncacheable(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response.into_response()
}

/// A record id in a path: one that is not a number names no record.
fn record_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(ApiError::NotFound)
}

/// The request's absolute address under `PUBLIC_URL`.
pub struct Here(pub url::Url);

impl FromRequestParts<ApiState> for Here {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, ApiError> {
        let original = OriginalUri::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        let path = original
            .0
            .path_and_query()
            .map_or(original.0.path(), |p| p.as_str());
        state
            .public_url
            .join(path)
            .map(Here)
            .map_err(|e| ApiError::Unreadable(e.to_string()))
    }
}
