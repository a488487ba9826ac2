//! Microsoft Graph v1.0's licence data on the identity provider's origin, under
//! `/graph/v1.0` (standing for `https://graph.microsoft.com/v1.0`): the tenant's subscribed
//! SKUs, its people with their assigned plans, and their licence details.
//!
//! The licences start as `fixtures/licences.toml` says; Partner Center's orders change them
//! through [`Idp::adjust_prepaid_units`], and tests through `/_sandbox/graph/…`.

mod auth;
pub mod control;
mod errors;
pub mod fixture;
pub mod licences;
mod license_details;
mod query;
mod shapes;
mod skus;
mod users;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

use super::Idp;
use auth::Caller;
use errors::{Ctx, GraphError};
use licences::Licences;

/// What Graph remembers between requests; `/_sandbox/reset` puts it back.
#[derive(Debug, Clone, Default)]
pub struct GraphState {
    pub licences: Licences,
    /// Per tenant id: the tenant's next requests answered 429.
    pub throttles: HashMap<String, Throttle>,
    /// Per tenant id: how many of the tenant's next requests are answered 503.
    pub outages: HashMap<String, u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub remaining: u32,
    pub retry_after: u64,
}

impl GraphState {
    pub fn new(fixture: &fixture::Fixture) -> GraphState {
        GraphState {
            licences: Licences::from_fixture(fixture),
            throttles: HashMap::new(),
            outages: HashMap::new(),
        }
    }
}

impl Idp {
    /// Adds `delta` enabled prepaid units of `sku_id` to the tenant's subscribed SKUs, or
    /// removes them when negative (down to none; seats in use stay assigned). A tenant
    /// without the SKU first gets it from the product table, with no units and a new
    /// subscription id (nothing happens when `delta` is not positive). Then each licensing
    /// group's waiting members get free seats, in member order. False for a tenant the
    /// directory does not know, or a SKU neither the tenant nor the product table has.
    pub fn adjust_prepaid_units(&self, tenant_id: &str, sku_id: &str, delta: i64) -> bool {
        let Some(tenant) = self.directory.tenant(tenant_id) else {
            return false;
        };
        let mut st = self.lock();
        let now = st.now();
        st.graph
            .licences
            .adjust(&self.licence_fixture, &tenant.id, sku_id, delta, now)
    }

    /// Graph's base URL on this origin, e.g. `http://127.0.0.1:3100/graph/v1.0`.
    fn graph_base(&self) -> String {
        format!("{}/graph/v1.0", self.origin)
    }
}

/// Authenticates a Graph request and counts it against its tenant's throttle.
fn admit(idp: &Idp, ctx: &Ctx) -> Result<Caller, GraphError> {
    let caller = auth::authenticate(idp, ctx.authorization())?;
    let mut st = idp.lock();
    if let Some(remaining) = st.graph.outages.get_mut(&caller.tenant)
        && *remaining > 0
    {
        *remaining -= 1;
        return Err(GraphError::unavailable());
    }
    if let Some(throttle) = st.graph.throttles.get_mut(&caller.tenant)
        && throttle.remaining > 0
    {
        throttle.remaining -= 1;
        return Err(GraphError::throttled(throttle.retry_after));
    }
    Ok(caller)
}

pub fn routes() -> Router<Arc<Idp>> {
    Router::new()
        .route("/graph/v1.0/subscribedSkus", get(skus::list))
        .route("/graph/v1.0/users", get(users::list))
        .route("/graph/v1.0/users/{id}", get(users::one))
        .route("/graph/v1.0/me", get(users::me))
        .route("/graph/v1.0/me/licenseDetails", get(license_details::mine))
        .route(
            "/graph/v1.0/users/{id}/licenseDetails",
            get(license_details::of_user),
        )
        .route("/graph/v1.0/{*rest}", get(unknown_segment))
        .merge(control::routes())
}

async fn unknown_segment(
    State(idp): State<Arc<Idp>>,
    ctx: Ctx,
    Path(rest): Path<String>,
) -> Response {
    // The first segment past the ones this Graph knows.
    let segments: Vec<&str> = rest.split('/').collect();
    let known = match segments.first().copied() {
        Some("users") => 2,
        Some("me" | "subscribedSkus") => 1,
        _ => 0,
    };
    let segment = segments.get(known).copied().unwrap_or_default();
    let error = GraphError::bad_request(
        "BadRequest",
        format!("Resource not found for the segment '{segment}'."),
    );
    ctx.respond(&idp, Err(error))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTOSO: &str = "c0a7f3e2-1b4d-4e8a-9c6f-2d3e4f5a6b70";
    const PREMIUM: &str = "eda1941c-3c4f-4995-b5eb-e85a42175ab9";
    const PER_USER: &str = "4a51bf65-409c-4a91-b845-1121b571cc9d";
    const NORTHWIND: &str = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";

    fn idp() -> Idp {
        Idp::new("http://idp.test".into(), Vec::new(), ("", Vec::new()))
    }

    /// (enabled, consumed, whether megan holds a seat) of Contoso's `sku`.
    fn seats(idp: &Idp, tenant: &str, sku: &str) -> Option<(i64, i64, bool)> {
        let st = idp.lock();
        let sku = st.graph.licences.tenant(tenant)?.sku(sku)?;
        let megan = sku.assignment("megan@contoso.example").is_some();
        Some((sku.prepaid.enabled, sku.consumed(), megan))
    }

    #[test]
    fn added_premium_seats_go_to_the_waiting_group_member() {
        let idp = idp();
        assert_eq!(seats(&idp, CONTOSO, PREMIUM), Some((18, 18, false)));
        assert!(idp.adjust_prepaid_units(CONTOSO, PREMIUM, 5));
        assert_eq!(seats(&idp, CONTOSO, PREMIUM), Some((23, 19, true)));
        // Removing units leaves the seats in use assigned.
        assert!(idp.adjust_prepaid_units(CONTOSO, PREMIUM, -10));
        assert_eq!(seats(&idp, CONTOSO, PREMIUM), Some((13, 19, true)));
        assert!(idp.adjust_prepaid_units(CONTOSO, PREMIUM, -100));
        assert_eq!(seats(&idp, CONTOSO, PREMIUM), Some((0, 19, true)));
    }

    #[test]
    fn a_tenant_gets_a_product_of_the_table_on_a_new_subscription() {
        let idp = idp();
        assert_eq!(seats(&idp, NORTHWIND, PER_USER), None);
        assert!(idp.adjust_prepaid_units("northwind.example", PER_USER, 3));
        assert_eq!(seats(&idp, NORTHWIND, PER_USER), Some((3, 0, false)));
        let st = idp.lock();
        let sku = st
            .graph
            .licences
            .tenant(NORTHWIND)
            .unwrap()
            .sku(PER_USER)
            .unwrap();
        assert_eq!(sku.sku_part_number, "FLOW_PER_USER");
        assert_eq!(sku.subscription_ids.len(), 1);
        assert!(
            sku.service_plans
                .iter()
                .any(|p| p.service == "ProcessSimple")
        );
        drop(st);
        // More units of it keep the subscription.
        assert!(idp.adjust_prepaid_units(NORTHWIND, PER_USER, 2));
        assert_eq!(seats(&idp, NORTHWIND, PER_USER), Some((5, 0, false)));
        let st = idp.lock();
        let sku = st
            .graph
            .licences
            .tenant(NORTHWIND)
            .unwrap()
            .sku(PER_USER)
            .unwrap();
        assert_eq!(sku.subscription_ids.len(), 1);
    }

    #[test]
    fn unknown_skus_and_tenants_are_refused() {
        let idp = idp();
        let nowhere = "00000000-0000-4000-8000-000000000000";
        assert!(!idp.adjust_prepaid_units(CONTOSO, nowhere, 1));
        assert!(!idp.adjust_prepaid_units(nowhere, PREMIUM, 1));
        assert!(
            idp.lock()
                .graph
                .licences
                .tenant(CONTOSO)
                .unwrap()
                .sku(nowhere)
                .is_none()
        );
        // Removing units of a product the tenant never had changes nothing.
        assert!(idp.adjust_prepaid_units(NORTHWIND, PER_USER, -1));
        assert_eq!(seats(&idp, NORTHWIND, PER_USER), None);
    }
}
