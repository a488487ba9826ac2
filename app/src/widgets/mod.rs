//! The Power Automate widgets on Flowhost's pages: what the server resolves for a page, the
//! server functions the widgets' events and token requests go through, and the component that
//! drives the SDK in the browser.

mod api;
mod component;
#[cfg(feature = "ssr")]
mod confirm;
#[cfg(feature = "hydrate")]
mod sdk;
pub mod strings;
mod trace;

pub use api::*;
pub use component::{FlowWidget, FlowWidgets, RECORD_CHANGED, WidgetState};
pub use trace::Trace;

use domain::RecordRef;
use domain::placement::ResolvedWidget;
use serde::{Deserialize, Serialize};
use strings::Lang;

/// Everything a page needs to show its widgets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WidgetPanel {
    /// The Flow host's origin: the SDK comes from there and the widgets live there.
    pub host: String,
    pub lang: Lang,
    /// The record the page shows, which the widgets' events are recorded on.
    pub record: Option<RecordRef>,
    pub widgets: Vec<ResolvedWidget>,
    /// On a record page, for a person whose licence does not cover flows that use Flowhost.
    pub licence_note: Option<crate::licences::LicenceNote>,
}

/// What a widget's `GET_ACCESS_TOKEN` gets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenAnswer {
    /// An access token for the resource, valid until `expires_on` (Unix seconds).
    Token { token: String, expires_on: i64 },
    /// The refresh token is gone, expired or refused: sign in again.
    Reconnect,
    /// The organisation has no Power Automate service principal yet.
    NotProvisioned,
    /// Widgets get tokens for the Flow service only.
    NotAllowed,
    /// The identity provider or the session store cannot be reached.
    Unavailable,
}

/// Where "Reconnect to Power Automate" goes: a fresh sign-in that comes back to `here`.
pub fn reconnect_href(here: &str) -> String {
    let encoded = domain::encode::uri_component(here);
    format!("/auth/login?reconnect=true&return_to={encoded}")
}
