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

/// Whether the organisation `tenant`'s plan includes `feature` (every feature without a
/// subscription).
pub async fn includes(
    state: &AppState,
    tenant: &domain::TenantId,
    feature: domain::plan::Feature,
) -> Result<bool, domain::db::DbError> {
    let standing = state.db.standing(tenant).await?;
    Ok(standing
        .unwrap_or(domain::plan::Standing::OPEN)
        .has(&state.market.plans, feature))
}

/// What a form says where the plan leaves `feature` out.
pub fn not_in_plan(feature: domain::plan::Feature) -> i18n::Msg {
    use domain::plan::Feature;
    let name = match feature {
        Feature::Widgets => "plan-feature-widgets",
        Feature::Connector => "plan-feature-connector",
        Feature::PrebuiltFlows => "plan-feature-prebuilt-flows",
    };
    i18n::Msg::new("plan-not-included").with("feature", i18n::Msg::new(name))
}

/// The page (or, for scripts, the JSON error) the people of an organisation whose
/// subscription is suspended get instead of Flowhost's pages.
pub fn suspended(headers: &HeaderMap) -> Response {
    let lang = plain_page::lang(headers);
    let wants_html = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if !wants_html {
        return plain_page::refusal(
            headers,
            StatusCode::FORBIDDEN,
            "subscription_suspended",
            &t!(lang, "market-suspended-title"),
            &t!(lang, "market-suspended"),
        );
    }
    plain_page::render_with(
        lang,
        StatusCode::FORBIDDEN,
        &t!(lang, "market-suspended-title"),
        &t!(lang, "market-suspended"),
        &[Action::new(
            t!(lang, "sign-in-another-account"),
            "/auth/login?reconnect=true",
        )],
    )
}
