//! A designed page for the answers given outside the Leptos app: a refused cross-site request,
//! a form that could not be saved because the database is gone, and every sign-in outcome. Its
//! markup is the app's own error panel ([`app::components::error_document`]).

use axum::http::StatusCode;
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
