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

/// `/Content/msflowsdk-1.1.js` as the SDK setting says: the script learns the sandbox's own
/// origin, the generation to behave as and the host the origin stands for, and takes from
/// these its allow-list and its widget paths.
pub async fn sdk(State(flow): State<Arc<FlowService>>) -> Response {
    let (mode, setting) = {
        let mut st = flow.lock();
        st.stats.script_requests += 1;
        (st.faults.script, st.sdk)
    };
    match mode {
        Mode::Fail => return (StatusCode::INTERNAL_SERVER_ERROR, "server error").into_response(),
        Mode::Hang => return std::future::pending().await,
        Mode::Ok | Mode::Silent => {}
    }
    let script = SDK
        .replace("__SANDBOX_ORIGIN__", &flow.origin)
        .replace("__SANDBOX_SDK__", setting.sdk.as_str())
        .replace("__SANDBOX_HOST__", setting.host.as_str());
    asset("application/javascript; charset=utf-8", script)
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
