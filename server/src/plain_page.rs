//! A designed page for the answers given outside the Leptos app: a refused cross-site request,
//! a form that could not be saved because the database is gone, every sign-in outcome, and
//! the refusals of the request limits (too large, busy, too slow, a failure inside). Its markup
//! is the app's own error panel ([`app::components::error_document`]).

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// A way on from the page: a link shown as a button.
pub struct Action<'a> {
    pub label: &'a str,
    pub href: &'a str,
}

pub const TO_ACCOUNTS: Action<'static> = Action {
    label: "Go to accounts",
    href: "/accounts",
};

pub fn render(status: StatusCode, title: &str, message: &str) -> Response {
    render_with(status, title, message, &[TO_ACCOUNTS])
}

/// The page with `actions`, the first drawn as the main one.
pub fn render_with(status: StatusCode, title: &str, message: &str, actions: &[Action]) -> Response {
    let actions: Vec<(&str, &str)> = actions.iter().map(|a| (a.label, a.href)).collect();
    let html = app::components::error_document(status.as_u16(), title, message, &actions);
    (status, Html(html)).into_response()
}

/// A refused request's answer: the designed page for a browser (`Accept: text/html`), JSON
/// `{"error": code, "message": …}` for scripts and server function calls.
pub fn refusal(
    headers: &HeaderMap,
    status: StatusCode,
    code: &str,
    title: &str,
    message: &str,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_html {
        render(status, title, message)
    } else {
        let body = serde_json::json!({ "error": code, "message": message });
        (status, axum::Json(body)).into_response()
    }
}

/// 413: the body is larger than `limit` bytes; nothing of it was used.
pub fn too_large(headers: &HeaderMap, limit: usize) -> Response {
    let size = if limit.is_multiple_of(1024 * 1024) {
        format!("{} MB", limit / (1024 * 1024))
    } else {
        format!("{} KB", limit.div_ceil(1024))
    };
    refusal(
        headers,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        "Too much to send",
        &format!(
            "What you sent is larger than Flowhost accepts here ({size} at most), so nothing \
             was saved. Go back, shorten it and try again."
        ),
    )
}

/// 503: too many requests are being served; this one was not started.
pub fn busy(headers: &HeaderMap) -> Response {
    refusal(
        headers,
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        "Flowhost is busy",
        "Flowhost is serving too many requests at once, so this one was not started and \
         nothing was changed. Try again in a moment.",
    )
}

/// 503: the request did not finish in time and was stopped.
pub fn too_slow(headers: &HeaderMap) -> Response {
    refusal(
        headers,
        StatusCode::SERVICE_UNAVAILABLE,
        "timeout",
        "This took too long",
        "Flowhost could not finish this request in time and stopped it. Try again in a \
         minute; if you were saving something, check whether it was saved first.",
    )
}

/// 500: something went wrong inside Flowhost.
pub fn internal_error() -> Response {
    render(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "Flowhost failed while answering this request. Try again; if it keeps happening, \
         tell your administrator the time it happened.",
    )
}
