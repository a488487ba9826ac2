//! A designed page for the answers given outside the Leptos app: a refused cross-site request,
//! a form that could not be saved because the database is gone, and every sign-in outcome.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

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

pub fn render_with(status: StatusCode, title: &str, message: &str, actions: &[Action]) -> Response {
    let (title, message) = (escape(title), escape(message));
    let code = status.as_u16();
    let actions: String = actions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let class = if i == 0 { "button" } else { "button secondary" };
            format!(
                "<a class=\"{class}\" href=\"{}\">{}</a>",
                escape(a.href),
                escape(a.label)
            )
        })
        .collect();
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Flowhost</title><link rel=\"stylesheet\" href=\"/pkg/flowhost.css\"></head>\
         <body><header class=\"site-header\"><a class=\"brand\" href=\"/\">Flowhost</a></header>\
         <main class=\"content\"><section class=\"error-page\" data-status=\"{code}\">\
         <p class=\"error-code\">{code}</p><h1>{title}</h1><p class=\"lead\">{message}</p>\
         <p class=\"actions\">{actions}</p>\
         </section></main></body></html>"
    );
    (status, Html(html)).into_response()
}
