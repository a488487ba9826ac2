//! A designed page for the few answers given before the Leptos app can render: a refused
//! cross-site request, or a form that could not be saved because the database is gone.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn render(status: StatusCode, title: &str, message: &str) -> Response {
    let (title, message) = (escape(title), escape(message));
    let code = status.as_u16();
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Flowhost</title><link rel=\"stylesheet\" href=\"/pkg/flowhost.css\"></head>\
         <body><header class=\"site-header\"><a class=\"brand\" href=\"/\">Flowhost</a></header>\
         <main class=\"content\"><section class=\"error-page\" data-status=\"{code}\">\
         <p class=\"error-code\">{code}</p><h1>{title}</h1><p class=\"lead\">{message}</p>\
         <p class=\"actions\"><a class=\"button\" href=\"/accounts\">Go to accounts</a></p>\
         </section></main></body></html>"
    );
    (status, Html(html)).into_response()
}
