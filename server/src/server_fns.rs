//! Server function errors with their HTTP status. Leptos answers every server function error
//! with 500; the error in the body says what it was, and the status here follows it, so an
//! anonymous call gets 401, a forbidden one 403, a missing record 404, as pages do.

use app::errors::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Server functions live under this prefix (Leptos's default).
const PREFIX: &str = "/api/";
/// An error body is one small JSON value; anything larger is left as it is.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn error_status(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with(PREFIX);
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
