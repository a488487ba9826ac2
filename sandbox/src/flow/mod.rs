//! The Power Automate stand-in on its own origin: the host SDK script, the widget pages it
//! frames, the service API those pages call with the user's Flow token, and test controls.

mod api;
mod approving;
mod assets;
mod catalog;
mod consent;
mod control;
mod control_page;
mod dataverse;
pub(crate) mod marketplace;
mod pages;
mod partner_center;
mod portal;
mod runtime;
pub(crate) mod sdk_setting;
mod state;
mod submissions;
mod token;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::routing::get;

use crate::engine::connector::Connector;
use crate::engine::http::ConnectorCalls;
use crate::idp::Idp;
use catalog::Catalog;
pub use consent::redirect_uri as consent_redirect_uri;
pub use dataverse::{APP_ID as DATAVERSE_APP_ID, identifiers as dataverse_identifiers};
pub use portal::signed_in_uri as portal_redirect_uri;
use sdk_setting::SdkSetting;
use state::FlowState;

const CONNECTOR_PROPERTIES: &str = include_str!("../../../connector/apiProperties.json");

pub(crate) struct FlowService {
    /// `http://host:port`, standing in for `https://make.powerautomate.com` or, as the SDK
    /// setting says, `https://flow.microsoft.com`.
    pub origin: String,
    /// The identity provider whose keys sign the tokens the service accepts.
    pub idp: Arc<Idp>,
    pub catalog: Catalog,
    /// Flowhost's custom connector, from its `connector/` package.
    pub connector: Connector,
    /// The package's `apiProperties.json`: the connection's Azure AD settings, brand colour.
    pub connector_properties: serde_json::Value,
    /// The origin the connector's calls go to.
    pub connector_host: String,
    /// The ISV's SaaS offer on the marketplace.
    pub offer: marketplace::state::Offer,
    /// Flowhost's landing page, where a purchase sends the browser.
    pub landing_page: String,
    /// Signs the callback URLs of webhook triggers.
    callback_key: [u8; 32],
    pub http: reqwest::Client,
    state: Mutex<FlowState>,
}

impl FlowService {
    pub fn new(
        origin: String,
        idp: Arc<Idp>,
        sdk: SdkSetting,
        connector_host: String,
    ) -> FlowService {
        FlowService {
            origin,
            idp,
            catalog: Catalog::embedded(),
            connector: Connector::flowhost(),
            connector_properties: serde_json::from_str(CONNECTOR_PROPERTIES)
                .expect("connector/apiProperties.json is JSON"),
            landing_page: format!(
                "{}/marketplace/landing",
                connector_host.trim_end_matches('/')
            ),
            offer: marketplace::state::Offer::embedded(),
            connector_host: connector_host.trim_end_matches('/').to_owned(),
            callback_key: rand::random(),
            http: ConnectorCalls::client(),
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
        .merge(consent::routes())
        .merge(portal::routes())
        .merge(marketplace::routes())
        .merge(partner_center::routes())
        .merge(runtime::routes())
        .merge(control::routes())
        .merge(submissions::routes())
        .merge(dataverse::routes())
        .merge(control_page::routes())
        .with_state(flow)
}
