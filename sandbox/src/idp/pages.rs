//! The HTML the user sees: sign-in error pages, the signed-out page, and the page chrome the
//! account picker and consent page share, in the language the request asks for.

use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use html_escape::encode_quoted_attribute as escape;
use serde::Deserialize;

use super::Idp;
use super::errors::AadError;
use super::params::Params;
use crate::directory::User;
use crate::lang::{Lang, t};

const STYLE: &str = "body{font-family:'Segoe UI',system-ui,sans-serif;background:#f2f2f2;margin:0}\
main{background:#fff;max-width:440px;margin:48px auto;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}\
h1{font-size:24px;font-weight:600;margin:0 0 12px}\
button{display:block;width:100%;text-align:left;padding:12px;margin:8px 0;border:1px solid #ccc;\
background:#fff;font:inherit;cursor:pointer}button:hover{background:#e6e6e6}\
button.secondary{text-align:center;background:#eee}.detail{font-size:12px;color:#555;white-space:pre-wrap}";

/// The language of a sign-in page: what the app asked for (`ui_locales`, else `mkt`), else
/// the browser's, else English.
pub fn lang(params: &Params, headers: &HeaderMap) -> Lang {
    Lang::choose(params.get("ui_locales"), params.get("mkt"), headers)
}

/// A page in the sign-in chrome; `body` is trusted HTML.
pub fn page(lang: Lang, status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        lang.tag(),
        escape(title)
    );
    (status, Html(html)).into_response()
}

/// The page Azure AD shows instead of redirecting when the redirect can't be trusted. The
/// error's own text is Azure AD's, in English.
pub fn error_page(idp: &Idp, lang: Lang, error: &AadError) -> Response {
    let stamped = error.stamp(idp.now());
    let body = format!(
        "<h1>{}</h1><p>{}</p><p class=\"detail\">{}</p>",
        escape(&t!(lang, "idp-sign-in")),
        escape(&t!(lang, "idp-trouble")),
        escape(&stamped.description)
    );
    page(
        lang,
        StatusCode::BAD_REQUEST,
        &t!(lang, "idp-sign-in-title"),
        &body,
    )
}

/// One submit button per account, named `field` and valued by its UPN, labelled with
/// `label(display name)` over the UPN.
pub fn account_buttons<'a>(
    field: &str,
    label: impl Fn(&str) -> String,
    users: impl IntoIterator<Item = &'a User>,
) -> String {
    users
        .into_iter()
        .map(|u| {
            format!(
                "<button name=\"{field}\" value=\"{upn}\">{}<br>{upn}</button>",
                escape(&label(&u.display_name)),
                upn = escape(&u.upn)
            )
        })
        .collect()
}

/// The Cancel button under a list of accounts.
pub fn cancel_button(lang: Lang) -> String {
    format!(
        "<button class=\"secondary\" name=\"cancel\" value=\"1\">{}</button>",
        escape(&t!(lang, "idp-cancel"))
    )
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

pub fn signed_out(lang: Lang) -> Response {
    let body = format!(
        "<h1>{}</h1><p>{}</p>",
        escape(&t!(lang, "idp-signed-out")),
        escape(&t!(lang, "idp-close-windows"))
    );
    page(
        lang,
        StatusCode::OK,
        &t!(lang, "idp-signed-out-title"),
        &body,
    )
}

#[derive(Deserialize)]
pub struct ErrorCodeQuery {
    code: Option<u32>,
}

/// `GET /error?code=…`, the target of `error_uri`.
pub async fn error_code(headers: HeaderMap, Query(query): Query<ErrorCodeQuery>) -> Response {
    let lang = Lang::of_browser(&headers).unwrap_or_default();
    let body = match query.code {
        Some(code) => format!(
            "<h1>AADSTS{code}</h1><p>{}</p>",
            escape(&t!(lang, "idp-error-code"))
        ),
        None => format!(
            "<h1>{}</h1><p>{}</p>",
            escape(&t!(lang, "idp-error-lookup")),
            t!(
                lang,
                "idp-error-lookup-how",
                example = "<code>?code=</code>"
            )
        ),
    };
    page(
        lang,
        StatusCode::OK,
        &t!(lang, "idp-error-lookup-title"),
        &body,
    )
}
