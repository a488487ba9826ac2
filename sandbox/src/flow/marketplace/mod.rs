//! The commercial marketplace's SaaS Fulfillment API v2 (`https://marketplaceapi.microsoft.com/api`,
//! here `{origin}/api` on the Power Automate origin): resolve a landing page token, activate,
//! list and read subscriptions and their plans, change plan or seats, cancel, and the operations
//! with their acknowledgement. Every call names `api-version=2018-08-31`, carries an app-only
//! token for the marketplace (`20e940b3-4c77-4b0b-9a53-9e16a1b010a7`) of the publisher's own
//! tenant and app, and gets its `x-ms-requestid` and `x-ms-correlationid` back (made up when
//! missing). Errors are `{code, message, target}`; a wrong `api-version` has the service's
//! other shape, `{"Error": {"Code", "Message"}}`.
//!
//! Customer actions (buy, change, suspend, reinstate, renew, unsubscribe) are test controls:
//! `control.rs`, and `/_sandbox/marketplace` is a page that buys (`page.rs`). Each operation, the customer's or the publisher's, is sent to the publisher's
//! webhook: `webhook.rs`.

mod api;
pub mod control;
mod page;
pub mod state;
pub mod webhook;

use std::sync::Arc;

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::FlowService;
use super::token;

/// The marketplace API's application id: the resource its tokens are for.
pub const RESOURCE: &str = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
/// Its identifier URI, the other name a token may be asked for with.
const IDENTIFIER_URI: &str = "https://marketplaceapi.microsoft.com";
const API_VERSION: &str = "2018-08-31";

pub fn routes() -> axum::Router<Arc<FlowService>> {
    api::routes().merge(control::routes()).merge(page::routes())
}

/// A refusal in the API's shape.
#[derive(Debug)]
pub struct MarketError {
    status: StatusCode,
    code: &'static str,
    message: String,
    target: Option<&'static str>,
    /// The `api-version` refusal's own shape.
    versioned: bool,
}

impl MarketError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        MarketError {
            status,
            code,
            message: message.into(),
            target: None,
            versioned: false,
        }
    }

    fn on(mut self, target: &'static str) -> Self {
        self.target = Some(target);
        self
    }

    fn bad(message: impl Into<String>) -> Self {
        MarketError::new(StatusCode::BAD_REQUEST, "BadArgument", message)
    }

    fn not_found(what: &str) -> Self {
        MarketError::new(
            StatusCode::NOT_FOUND,
            "EntityNotFound",
            format!("The {what} could not be found."),
        )
    }
}

impl IntoResponse for MarketError {
    fn into_response(self) -> Response {
        let body = if self.versioned {
            json!({"Error": {"Code": self.code, "Message": self.message}})
        } else {
            json!({"code": self.code, "message": self.message, "target": self.target})
        };
        (self.status, Json(body)).into_response()
    }
}

type Result<T> = std::result::Result<T, MarketError>;

/// Checks the call's `api-version` and token: an app-only token for the marketplace from the
/// offer's publisher tenant and app.
fn admitted(flow: &FlowService, headers: &HeaderMap, api_version: Option<&str>) -> Result<()> {
    let versioned = |code, message: &str| MarketError {
        versioned: true,
        ..MarketError::new(StatusCode::BAD_REQUEST, code, message)
    };
    match api_version {
        None | Some("") => {
            return Err(versioned(
                "ApiVersionUnspecified",
                "The api-version query parameter (?api-version=) is required for all requests.",
            ));
        }
        Some(API_VERSION) => {}
        Some(other) => {
            return Err(versioned(
                "UnsupportedApiVersion",
                &format!("The HTTP resource does not support the API version '{other}'."),
            ));
        }
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    // Its application id, or its identifier URI, as the token was asked for.
    let mut checked = Err(None);
    for audience in [RESOURCE, IDENTIFIER_URI] {
        checked = token::check_user_or_app(flow, authorization, audience, "user_impersonation")
            .map_err(Some);
        if checked.is_ok() {
            break;
        }
    }
    let caller = checked.map_err(|refused| {
        let why = refused.map(|r| r.message().to_owned()).unwrap_or_default();
        MarketError::new(StatusCode::UNAUTHORIZED, "Unauthorized", why)
    })?;
    let offer = &flow.offer;
    let publisher = caller.tenant == offer.publisher_tenant
        && caller
            .app
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(&offer.fulfillment_app));
    if !publisher {
        return Err(MarketError::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "The caller is not the publisher of this offer: the token's tenant and application must be the ones in the offer's Technical configuration.",
        ));
    }
    Ok(())
}

/// `x-ms-requestid` and `x-ms-correlationid` as the call sent them, or new ones.
fn echo_ids(request: &HeaderMap, mut response: Response) -> Response {
    for name in ["x-ms-requestid", "x-ms-correlationid"] {
        let value = request
            .get(name)
            .cloned()
            .or_else(|| HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()).ok());
        if let Some(value) = value {
            response.headers_mut().insert(name, value);
        }
    }
    response
}
