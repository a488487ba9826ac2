//! Partner Center's REST API for Cloud Solution Provider partners
//! (`https://api.partnercenter.microsoft.com/v1`, here `{origin}/partnercenter/v1` on the Power
//! Automate origin): customers (paged with `MS-ContinuationToken`), their agreements, the
//! catalog of a market, carts and their checkout, orders that complete a little later,
//! and subscriptions whose licence count changes under an etag. The partner is the ISV's own
//! tenant; its app-only (or delegated) tokens for Partner Center are accepted on every call.
//!
//! `MS-RequestId` makes a POST or PATCH idempotent: the same id again, on the same method and
//! path, gets the first answer and changes nothing. `MS-CorrelationId` is echoed. Errors are
//! `{code, description, data, source}`.
//!
//! A completed order's licences become prepaid units of the offer's SKU in the customer
//! tenant's Microsoft Graph `subscribedSkus`. Test controls: `control.rs`.

mod agreements;
mod body;
mod call;
mod carts;
mod catalog;
mod control;
mod customers;
mod invitation;
mod offers;
mod orders;
mod resources;
mod seed;
pub mod state;
mod subscriptions;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, head, post};

use super::FlowService;

/// Partner Center's application id: the resource its tokens are for.
pub const RESOURCE: &str = "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd";
/// Its identifier URI (with or without the trailing slash).
const IDENTIFIER_URI: &str = "https://api.partnercenter.microsoft.com";
/// Where the API is on the Power Automate origin.
const BASE: &str = "/partnercenter/v1";

pub fn routes() -> Router<Arc<FlowService>> {
    let at = |path: &str| format!("{BASE}{path}");
    let customer = |path: &str| format!("{BASE}/customers/{{id}}{path}");
    Router::new()
        .route(
            &at("/customers"),
            get(customers::list).post(customers::create),
        )
        .route(
            &at("/customers/relationshiprequests"),
            get(invitation::request),
        )
        .route(&customer(""), get(customers::read))
        .route(&at("/domains/{domain}"), head(customers::domain_taken))
        .route(&at("/agreements"), get(agreements::templates))
        .route(
            &customer("/agreements"),
            get(agreements::list).post(agreements::create),
        )
        .route(&at("/offers"), get(offers::list))
        .route(&at("/offers/{offer}"), get(offers::read))
        .route(&customer("/carts"), post(carts::create))
        .route(&customer("/carts/{cart}"), get(carts::read))
        .route(&customer("/carts/{cart}/checkout"), post(carts::checkout))
        .route(&customer("/orders"), get(orders::list).post(orders::create))
        .route(&customer("/orders/{order}"), get(orders::read))
        .route(&customer("/subscriptions"), get(subscriptions::list))
        .route(
            &customer("/subscriptions/{subscription}"),
            get(subscriptions::read).patch(subscriptions::update),
        )
        .merge(control::routes())
        .merge(invitation::routes())
}
