//! Selling Flowhost as a SaaS offer on the commercial marketplace: the landing page a purchase
//! arrives at (`/marketplace/landing`), the webhook the marketplace calls with each change
//! (`/marketplace/webhook`), the worker that carries the changes out, the periodic
//! reconciliation with the marketplace's own list, the deletion of ended organisations' data
//! after the retention period, and the tenant admin's plan and seat changes
//! (`/settings/subscription`).

mod change;
mod fulfillment;
mod landing;
mod pages;
mod webhook;
mod worker;

pub use fulfillment::{Change, FulfillmentApi};
pub use landing::{Purchaser, is_landing, keep_purchaser};
pub use worker::start;

use crate::AppState;
use crate::hooks::Wake;
use crate::plain_page::{self, Action};
use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use domain::plan::Plans;
use i18n::t;
use std::sync::Arc;

/// The marketplace as Flowhost sells through it.
pub struct Market {
    /// The Fulfillment API; `None` when Flowhost is not sold through the marketplace.
    pub api: Option<FulfillmentApi>,
    pub plans: Arc<Plans>,
    /// How long an ended subscription's data is kept.
    pub retention: time::Duration,
    /// The ISV's own tenant, whose data a test purchase never deletes.
    pub isv_tenant: domain::TenantId,
    /// Wakes this instance's worker after an operation was queued.
    pub wake: Wake,
    /// The standings admission holds: a subscription's change forgets its organisation's.
    pub standings: Arc<domain::db::Standings>,
}

impl Market {
    /// After a subscription's change was recorded: its organisation's standing is read again.
    fn changed(&self, offered: &domain::subscription::Offered) {
        if let Ok(tenant) = domain::TenantId::parse(&offered.beneficiary_tenant) {
            self.standings.forget(&tenant);
        }
    }
}

/// The landing page and the plan change: pages and forms, behind sessions and the
/// cross-site checks.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            landing::LANDING_PATH,
            get(landing::show).post(landing::confirm),
        )
        .route(change::CHANGE_PATH, post(change::change))
}

/// The webhook: the marketplace's server calls it with a bearer token, its only credential,
/// so it has no session and no cross-site check.
pub fn webhook_router() -> Router<AppState> {
    Router::new().route("/marketplace/webhook", post(webhook::receive))
}

/// The page (or, for scripts, the JSON error) the people of an organisation whose
/// subscription is suspended get instead of Flowhost's pages.
pub fn suspended(headers: &HeaderMap) -> Response {
    let lang = plain_page::lang(headers);
    plain_page::refusal_with(
        headers,
        StatusCode::FORBIDDEN,
        "subscription_suspended",
        &t!(lang, "market-suspended-title"),
        &t!(lang, "market-suspended"),
        &[Action::new(
            t!(lang, "sign-in-another-account"),
            "/auth/login?reconnect=true",
        )],
    )
}
