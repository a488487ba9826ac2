//! The HTML the user sees: sign-in error pages, the signed-out page, and the page chrome the
//! account picker and consent page share.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use html_escape::encode_quoted_attribute as escape;
use serde::Deserialize;

use super::Idp;
use super::errors::AadError;
use super::params::Params;
use crate::directory::User;

const STYLE: &str = "body{font-family:'Segoe UI',system-ui,sans-serif;background:#f2f2f2;margin:0}\
main{background:#fff;max-width:440px;margin:48px auto;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}\
h1{font-size:24px;font-weight:600;margin:0 0 12px}\
button{display:block;width:100%;text-align:left;padding:12px;margin:8px 0;border:1px solid #ccc;\
background:#fff;font:inherit;cursor:pointer}button:hover{background:#e6e6e6}\
button.secondary{text-align:center;background:#eee}.detail{font-size:12px;color:#555;white-space:pre-wrap}";

/// A page in the sign-in chrome; `body` is trusted HTML.
pub fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        escape(title)
    );
    (status, Html(html)).into_response()
}

/// The page Azure AD shows instead of redirecting when the redirect can't be trusted.
pub fn error_page(idp: &Idp, error: &AadError) -> Response {
    let stamped = error.stamp(idp.now());
    let body = format!(
        "<h1>Sign in</h1><p>Sorry, but we're having trouble signing you in.</p>\
         <p class=\"detail\">{}</p>",
        escape(&stamped.description)
    );
    page(StatusCode::BAD_REQUEST, "Sign in to your account", &body)
}

/// One submit button per account, named `field` and valued by its UPN, labelled
/// `{label}{display name}` over the UPN.
pub fn account_buttons<'a>(
    field: &str,
    label: &str,
    users: impl IntoIterator<Item = &'a User>,
) -> String {
    users
        .into_iter()
        .map(|u| {
            format!(
                "<button name=\"{field}\" value=\"{upn}\">{label}{}<br>{upn}</button>",
                escape(&u.display_name),
                upn = escape(&u.upn)
            )
        })
        .collect()
}

pub fn hidden_inputs(params: &Params) -> String {
    params
        .0
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(k),
                escape(v)
            )
        })
        .collect()
}

pub fn signed_out() -> Response {
    page(
        StatusCode::OK,
        "Sign out",
        "<h1>You signed out of your account</h1>\
         <p>It's a good idea to close all browser windows.</p>",
    )
}

#[derive(Deserialize)]
pub struct ErrorCodeQuery {
    code: Option<u32>,
}

/// `GET /error?code=…`, the target of `error_uri`.
pub async fn error_code(Query(query): Query<ErrorCodeQuery>) -> Response {
    let body = match query.code {
        Some(code) => format!("<h1>AADSTS{code}</h1><p>An Azure AD error code.</p>"),
        None => "<h1>Error lookup</h1><p>Give an error code as <code>?code=</code>.</p>".into(),
    };
    page(StatusCode::OK, "Error code lookup", &body)
}
