//! The Power Automate stand-in on its own origin: the host SDK script, the widget pages it
//! frames, the service API those pages call with the user's Flow token, and test controls.

mod api;
mod assets;
mod catalog;
mod control;
mod control_page;
mod pages;
pub(crate) mod sdk_setting;
mod state;
mod token;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::routing::get;

use crate::idp::Idp;
use catalog::Catalog;
use sdk_setting::SdkSetting;
use state::FlowState;

pub(crate) struct FlowService {
    /// `http://host:port`, standing in for `https://make.powerautomate.com` or, as the SDK
    /// setting says, `https://flow.microsoft.com`.
    pub origin: String,
    /// The identity provider whose keys sign the tokens the service accepts.
    pub idp: Arc<Idp>,
    pub catalog: Catalog,
    state: Mutex<FlowState>,
}

impl FlowService {
    pub fn new(origin: String, idp: Arc<Idp>, sdk: SdkSetting) -> FlowService {
        FlowService {
            origin,
            idp,
            catalog: Catalog::embedded(),
            state: Mutex::new(FlowState::new(sdk)),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, FlowState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(crate) fn routes(flow: Arc<FlowService>) -> Router {
    Router::new()
        .route("/Content/msflowsdk-1.1.js", get(assets::sdk))
        .route("/Content/widget-rpc.js", get(assets::widget_rpc))
        .route("/Content/widget.js", get(assets::widget))
        .route("/Content/widget.css", get(assets::widget_css))
        .route("/{locale}/widgets/{*rest}", get(pages::widget))
        .route(
            "/environments/{env}/flows/{flow}/details",
            get(pages::flow_details),
        )
        .merge(api::routes())
        .merge(control::routes())
        .merge(control_page::routes())
        .with_state(flow)
}
