//! The widget pages the SDK frames, `/{locale}/widgets/…` (the path names the widget type, its
//! tab and the environment, as the SDK builds the iframe URL), and the maker portal's flow page
//! that `flowUrl` points to. A widget page is a shell: its script talks to the host over
//! postMessage and to the service API with the token the host gives it.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use html_escape::encode_quoted_attribute as escape;
use serde::Deserialize;

use super::FlowService;
use super::state::Mode;
use crate::lang::{Lang, t};

/// A widget page the path names: its type, tab (path alias) and environment.
#[derive(Debug, PartialEq, Eq)]
pub struct WidgetPath {
    pub widget_type: &'static str,
    pub path_alias: &'static str,
    /// From the path, or for templates from the `environment` query parameter.
    pub environment: Option<String>,
}

/// Reads the part after `/widgets/`. `manage` pages may name an environment; templates take
/// it from the query. Both `templates` and `templates/` are served.
pub fn parse_widget_path(rest: &str) -> Option<WidgetPath> {
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    if segments == ["templates"] {
        return Some(WidgetPath {
            widget_type: "templates",
            path_alias: "templates",
            environment: None,
        });
    }
    let (environment, tail) = match segments.as_slice() {
        ["manage", "environments", env, tail @ ..] if !env.is_empty() => {
            (Some((*env).to_owned()), tail)
        }
        ["manage", tail @ ..] => (None, tail),
        _ => return None,
    };
    let (widget_type, path_alias) = match tail {
        ["flows"] => ("flows", "myFlows"),
        ["flows", "shared"] => ("flows", "sharedFlows"),
        ["approvals" | "approvalcenter", "received"] => ("approvalCenter", "receivedApprovals"),
        ["approvals" | "approvalcenter", "sent"] => ("approvalCenter", "sentApprovals"),
        ["templates", "flowCreation"] => ("flowCreation", "flowCreation"),
        ["flow", "run"] => ("flowsRuntime", "flowsRuntime"),
        _ => return None,
    };
    Some(WidgetPath {
        widget_type,
        path_alias,
        environment,
    })
}

#[derive(Deserialize)]
pub struct PageQuery {
    environment: Option<String>,
}

pub async fn widget(
    State(flow): State<Arc<FlowService>>,
    Path((locale, rest)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> Response {
    let faults = {
        let mut st = flow.lock();
        st.stats.page_requests += 1;
        st.faults.clone()
    };
    // The page speaks the language of its path's locale, as the SDK asked for it.
    let lang = Lang::from_tag(&locale).unwrap_or_default();
    match faults.pages {
        Mode::Fail => return server_error(lang),
        Mode::Hang => return std::future::pending().await,
        Mode::Ok | Mode::Silent => {}
    }
    let Some(mut path) = parse_widget_path(&rest) else {
        return not_found(lang);
    };
    if path.environment.is_none() {
        path.environment = query.environment.filter(|e| !e.is_empty());
    }
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Microsoft Power Automate</title><link rel=\"stylesheet\" href=\"/Content/widget.css\"></head>\
         <body data-widget-type=\"{widget_type}\" data-path-alias=\"{alias}\" data-environment=\"{env}\" \
         data-locale=\"{locale}\" data-ready-delay=\"{delay}\" data-silent=\"{silent}\">\
         <div id=\"widget\" class=\"widget\" aria-live=\"polite\"><p class=\"muted\">{loading}</p></div>\
         <script src=\"/Content/widget-rpc.js\"></script><script src=\"/Content/widget.js\"></script>\
         </body></html>",
        lang = lang.tag(),
        loading = escape(&t!(lang, "flow-loading")),
        widget_type = path.widget_type,
        alias = path.path_alias,
        env = escape(path.environment.as_deref().unwrap_or("~default")),
        locale = escape(&locale),
        delay = faults.ready_delay_ms,
        silent = faults.pages == Mode::Silent,
    );
    let mut response = Html(html).into_response();
    // Framed by any host, as Microsoft's widget pages are; the page itself runs only its own
    // scripts.
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors *",
        ),
    );
    response
}

/// A page with only a title and a heading.
fn bare(status: StatusCode, lang: Lang, title: &str, heading: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><title>{}</title><h1>{}</h1>",
        lang.tag(),
        escape(title),
        escape(heading)
    );
    (status, Html(html)).into_response()
}

fn server_error(lang: Lang) -> Response {
    bare(
        StatusCode::INTERNAL_SERVER_ERROR,
        lang,
        &t!(lang, "flow-error-title"),
        &t!(lang, "flow-error"),
    )
}

fn not_found(lang: Lang) -> Response {
    bare(
        StatusCode::NOT_FOUND,
        lang,
        &t!(lang, "flow-not-found-title"),
        &t!(lang, "flow-not-found"),
    )
}

/// `flowUrl`: the maker portal's page of a flow, in the browser's language. The sandbox has no
/// portal session, so it says where the flow lives.
pub async fn flow_details(
    Path((env, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::of_browser(&headers).unwrap_or_default();
    let body = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <link rel=\"stylesheet\" href=\"/Content/widget.css\"></head><body><div class=\"widget\">\
         <h1>{}</h1><p>{}</p><p class=\"muted\">{}</p></div></body></html>",
        lang.tag(),
        escape(&t!(lang, "flow-details-title")),
        escape(&t!(lang, "flow-details-heading", name = name.as_str())),
        escape(&t!(
            lang,
            "flow-details-environment",
            environment = env.as_str()
        )),
        escape(&t!(lang, "flow-details-note")),
    );
    Html(body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(rest: &str) -> Option<(&'static str, &'static str, Option<String>)> {
        parse_widget_path(rest).map(|p| (p.widget_type, p.path_alias, p.environment))
    }

    #[test]
    fn every_path_the_sdk_builds_is_a_widget() {
        let env = Some("E".to_owned());
        assert_eq!(
            parsed("manage/environments/E/flows"),
            Some(("flows", "myFlows", env.clone()))
        );
        assert_eq!(
            parsed("manage/flows/shared"),
            Some(("flows", "sharedFlows", None))
        );
        assert_eq!(
            parsed("manage/environments/E/approvals/received"),
            Some(("approvalCenter", "receivedApprovals", env.clone()))
        );
        assert_eq!(
            parsed("manage/approvalcenter/sent"),
            Some(("approvalCenter", "sentApprovals", None))
        );
        assert_eq!(
            parsed("manage/environments/E/templates/flowCreation"),
            Some(("flowCreation", "flowCreation", env.clone()))
        );
        assert_eq!(
            parsed("manage/flow/run"),
            Some(("flowsRuntime", "flowsRuntime", None))
        );
        assert_eq!(parsed("templates/"), Some(("templates", "templates", None)));
        assert_eq!(parsed("templates"), Some(("templates", "templates", None)));
        assert_eq!(parsed("manage/environments//flows"), None);
        assert_eq!(parsed("manage/nothing"), None);
    }
}
