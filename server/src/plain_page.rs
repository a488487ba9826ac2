//! A designed page for the answers given outside the Leptos app: a refused cross-site request,
//! a form that could not be saved because the database is gone, every sign-in outcome, and
//! the refusals of the request limits (too large, busy, too slow, a failure inside). Its markup
//! is the app's own error panel ([`app::components::error_document`]); its words are in the
//! request's language ([`lang`]).

use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use i18n::{Lang, t};

/// The language a request asks for: the one chosen with the switch (its cookie), else
/// `Accept-Language`, else English.
pub fn lang(headers: &HeaderMap) -> Lang {
    app::ssr::lang_of(headers)
}

tokio::task_local! {
    static LANGUAGE: Lang;
}

/// Chooses the request's language once, on arrival: kept in its extensions for the pages
/// (`app::ssr::lang`), and at hand for [`current_lang`] for the answers made where the request
/// is no longer in reach (a panic, a form's refusal).
pub async fn keep_language(mut request: Request, next: Next) -> Response {
    let lang = lang(request.headers());
    request.extensions_mut().insert(lang);
    LANGUAGE.scope(lang, next.run(request)).await
}

/// The language of the request being served; English outside [`keep_language`].
pub fn current_lang() -> Lang {
    LANGUAGE.try_with(|lang| *lang).unwrap_or_default()
}

/// A way on from the page: a link shown as a button.
pub struct Action<'a> {
    pub label: String,
    pub href: &'a str,
}

impl<'a> Action<'a> {
    pub fn new(label: String, href: &'a str) -> Action<'a> {
        Action { label, href }
    }
}

pub fn to_accounts(lang: Lang) -> Action<'static> {
    Action::new(t!(lang, "server-to-accounts"), "/accounts")
}

pub fn render(lang: Lang, status: StatusCode, title: &str, message: &str) -> Response {
    render_with(lang, status, title, message, &[to_accounts(lang)])
}

/// The page with `actions`, the first drawn as the main one.
pub fn render_with(
    lang: Lang,
    status: StatusCode,
    title: &str,
    message: &str,
    actions: &[Action],
) -> Response {
    let actions: Vec<(&str, &str)> = actions.iter().map(|a| (a.label.as_str(), a.href)).collect();
    let html = app::components::error_document(lang, status.as_u16(), title, message, &actions);
    (status, Html(html)).into_response()
}

/// A refused request's answer: the designed page for a browser (`Accept: text/html`), JSON
/// `{"error": {"code", "message"}}` (the REST API's error shape) for scripts and server
/// function calls. The code is for programs and never changes; the message is in the
/// request's language like the page.
pub fn refusal(
    headers: &HeaderMap,
    status: StatusCode,
    code: &str,
    title: &str,
    message: &str,
) -> Response {
    refusal_with(
        headers,
        status,
        code,
        title,
        message,
        &[to_accounts(lang(headers))],
    )
}

/// As [`refusal`], the page offering `actions` instead of the way to the accounts.
pub fn refusal_with(
    headers: &HeaderMap,
    status: StatusCode,
    code: &str,
    title: &str,
    message: &str,
    actions: &[Action],
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_html {
        render_with(lang(headers), status, title, message, actions)
    } else {
        let body = serde_json::json!({ "error": { "code": code, "message": message } });
        (status, axum::Json(body)).into_response()
    }
}

/// `limit` bytes as people read a size: whole megabytes or kilobytes.
pub fn size(lang: Lang, limit: usize) -> String {
    let mb = 1024 * 1024;
    let whole = |amount: usize| i18n::number(lang, i64::try_from(amount).unwrap_or(i64::MAX));
    if limit.is_multiple_of(mb) {
        t!(lang, "size-megabytes", amount = whole(limit / mb))
    } else {
        t!(lang, "size-kilobytes", amount = whole(limit.div_ceil(1024)))
    }
}

/// 413: the body is larger than `limit` bytes; nothing of it was used.
pub fn too_large(headers: &HeaderMap, limit: usize) -> Response {
    let lang = lang(headers);
    refusal(
        headers,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        &t!(lang, "server-too-large-title"),
        &t!(lang, "server-too-large", size = size(lang, limit)),
    )
}

/// 503: too many requests are being served; this one was not started.
pub fn busy(headers: &HeaderMap) -> Response {
    let lang = lang(headers);
    refusal(
        headers,
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        &t!(lang, "server-busy-title"),
        &t!(lang, "server-busy"),
    )
}

/// 503: the request did not finish in time and was stopped.
pub fn too_slow(headers: &HeaderMap) -> Response {
    let lang = lang(headers);
    refusal(
        headers,
        StatusCode::SERVICE_UNAVAILABLE,
        "timeout",
        &t!(lang, "server-too-slow-title"),
        &t!(lang, "server-too-slow"),
    )
}

/// 500: something went wrong inside Flowhost.
pub fn internal_error(lang: Lang) -> Response {
    render(
        lang,
        StatusCode::INTERNAL_SERVER_ERROR,
        &t!(lang, "server-failed-title"),
        &t!(lang, "server-failed"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_whole_megabytes_or_kilobytes_grouped_the_languages_way() {
        assert_eq!(size(Lang::En, 64 * 1024), "64 KB");
        assert_eq!(size(Lang::En, 1024 * 1024), "1 MB");
        assert_eq!(size(Lang::En, 1000), "1 KB");
        assert_eq!(size(Lang::Nl, 1500 * 1024), "1.500 KB");
    }
}
