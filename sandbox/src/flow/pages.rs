//! The widget pages the SDK frames, `/{locale}/widgets/…` (the path names the widget type, its
//! tab and the environment, as the SDK builds the iframe URL), and the maker portal's flow page
//! that `flowUrl` points to. A widget page is a shell: its script talks to the host over
//! postMessage and to the service API with the token the host gives it.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use html_escape::encode_quoted_attribute as escape;
use serde::Deserialize;

use super::FlowService;
use super::state::Mode;

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
    match faults.pages {
        Mode::Fail => return server_error(),
        Mode::Hang => return std::future::pending().await,
        Mode::Ok | Mode::Silent => {}
    }
    let Some(mut path) = parse_widget_path(&rest) else {
        return not_found();
    };
    if path.environment.is_none() {
        path.environment = query.environment.filter(|e| !e.is_empty());
    }
    let lang = locale
        .split('-')
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Microsoft Power Automate</title><link rel=\"stylesheet\" href=\"/Content/widget.css\"></head>\
         <body data-widget-type=\"{widget_type}\" data-path-alias=\"{alias}\" data-environment=\"{env}\" \
         data-locale=\"{locale}\" data-ready-delay=\"{delay}\" data-silent=\"{silent}\">\
         <div id=\"widget\" class=\"widget\" aria-live=\"polite\"><p class=\"muted\">Loading…</p></div>\
         <script src=\"/Content/widget-rpc.js\"></script><script src=\"/Content/widget.js\"></script>\
         </body></html>",
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

fn server_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html("<!DOCTYPE html><title>Error</title><h1>Something went wrong</h1>"),
    )
        .into_response()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html("<!DOCTYPE html><title>Not found</title><h1>This widget page does not exist</h1>"),
    )
        .into_response()
}

/// `flowUrl`: the maker portal's page of a flow. The sandbox has no portal session, so it
/// says where the flow lives.
pub async fn flow_details(Path((env, name)): Path<(String, String)>) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Flow · Power Automate</title>\
         <link rel=\"stylesheet\" href=\"/Content/widget.css\"></head><body><div class=\"widget\">\
         <h1>Flow {}</h1><p>Environment {}</p><p class=\"muted\">This is the Power Automate sandbox; \
         the flow is managed from the widgets in Flowhost.</p></div></body></html>",
        escape(&name),
        escape(&env)
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
