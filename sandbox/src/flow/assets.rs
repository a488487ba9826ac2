//! The scripts and stylesheet the sandbox serves from `/Content/`: the host SDK, and the
//! widget pages' own script, RPC library and styles.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::FlowService;
use super::state::Mode;

const SDK: &str = include_str!("../../assets/msflowsdk-1.1.js");
const WIDGET_RPC: &str = include_str!("../../assets/widget-rpc.js");
const WIDGET: &str = include_str!("../../assets/widget.js");
const WIDGET_CSS: &str = include_str!("../../assets/widget.css");

fn asset(content_type: &'static str, body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// `/Content/msflowsdk-1.1.js`, with the sandbox's own origin among the origins it accepts
/// widget messages from.
pub async fn sdk(State(flow): State<Arc<FlowService>>) -> Response {
    let mode = {
        let mut st = flow.lock();
        st.stats.script_requests += 1;
        st.faults.script
    };
    match mode {
        Mode::Fail => return (StatusCode::INTERNAL_SERVER_ERROR, "server error").into_response(),
        Mode::Hang => return std::future::pending().await,
        Mode::Ok | Mode::Silent => {}
    }
    asset(
        "application/javascript; charset=utf-8",
        SDK.replace("__SANDBOX_ORIGIN__", &flow.origin),
    )
}

pub async fn widget_rpc() -> Response {
    asset(
        "application/javascript; charset=utf-8",
        WIDGET_RPC.to_owned(),
    )
}

pub async fn widget() -> Response {
    asset("application/javascript; charset=utf-8", WIDGET.to_owned())
}

pub async fn widget_css() -> Response {
    asset("text/css; charset=utf-8", WIDGET_CSS.to_owned())
}
