//! Graph's test controls under `/_sandbox/graph/`: a tenant's grant of the app's
//! application permissions, throttling or an outage of its next requests, and SKUs added or
//! replaced.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::super::Idp;
use super::Throttle;
use super::licences::{
    AppliesTo, Assignment, CapabilityStatus, PrepaidUnits, ProvisioningStatus, ServicePlan, Sku,
};
use super::shapes::subscribed_sku;
use crate::directory::Tenant;

pub fn routes() -> Router<Arc<Idp>> {
    Router::new()
        .route("/_sandbox/graph/consent", post(consent))
        .route("/_sandbox/graph/throttle", post(throttle))
        .route("/_sandbox/graph/skus", post(put_sku))
        .route("/_sandbox/graph/outage", post(outage))
}

fn refused(status: StatusCode, why: impl Into<String>) -> Response {
    (status, Json(json!({ "error": why.into() }))).into_response()
}

fn tenant<'d>(idp: &'d Idp, id: &str) -> Result<&'d Tenant, Box<Response>> {
    idp.directory
        .tenant(id)
        .ok_or_else(|| Box::new(refused(StatusCode::NOT_FOUND, format!("no tenant {id}"))))
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Consent {
    tenant: String,
    granted: bool,
}

/// Withdraws (`granted: false`) or restores the tenant's grant of the app's application
/// permissions; app tokens issued from then on carry the roles or none.
async fn consent(State(idp): State<Arc<Idp>>, Json(body): Json<Consent>) -> Response {
    let tenant = match tenant(&idp, &body.tenant) {
        Ok(tenant) => tenant,
        Err(response) => return *response,
    };
    let mut st = idp.lock();
    if body.granted {
        st.app_permissions_withdrawn.remove(&tenant.id);
    } else {
        st.app_permissions_withdrawn.insert(tenant.id.clone());
    }
    Json(body).into_response()
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ThrottleRequest {
    tenant: String,
    /// How many of the tenant's next Graph requests are answered 429 (0 ends throttling).
    requests: u32,
    /// The `Retry-After` seconds they name.
    retry_after: u64,
}

async fn throttle(State(idp): State<Arc<Idp>>, Json(body): Json<ThrottleRequest>) -> Response {
    let tenant = match tenant(&idp, &body.tenant) {
        Ok(tenant) => tenant,
        Err(response) => return *response,
    };
    let throttle = Throttle {
        remaining: body.requests,
        retry_after: body.retry_after,
    };
    idp.lock()
        .graph
        .throttles
        .insert(tenant.id.clone(), throttle);
    Json(body).into_response()
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OutageRequest {
    tenant: String,
    /// How many of the tenant's next Graph requests are answered 503 (0 ends the outage).
    requests: u32,
}

async fn outage(State(idp): State<Arc<Idp>>, Json(body): Json<OutageRequest>) -> Response {
    let tenant = match tenant(&idp, &body.tenant) {
        Ok(tenant) => tenant,
        Err(response) => return *response,
    };
    idp.lock()
        .graph
        .outages
        .insert(tenant.id.clone(), body.requests);
    Json(body).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SkuRequest {
    tenant: String,
    sku_id: String,
    /// The product table's, when it has the SKU.
    sku_part_number: Option<String>,
    #[serde(default)]
    capability_status: CapabilityStatus,
    #[serde(default)]
    enabled: i64,
    #[serde(default)]
    warning: i64,
    #[serde(default)]
    suspended: i64,
    #[serde(default)]
    locked_out: i64,
    /// The product table's, when it has the SKU.
    service_plans: Option<Vec<PlanRequest>>,
    /// People of the tenant who hold a seat, assigned directly.
    #[serde(default)]
    assign_to: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PlanRequest {
    service_plan_id: String,
    service_plan_name: String,
    #[serde(default)]
    provisioning_status: ProvisioningStatus,
    service: String,
    #[serde(default)]
    applies_to: AppliesTo,
}

/// Adds the SKU to the tenant, or replaces the one of its skuId (keeping its subscription
/// ids); answers it as `/subscribedSkus` shows it.
async fn put_sku(State(idp): State<Arc<Idp>>, Json(body): Json<SkuRequest>) -> Response {
    let tenant = match tenant(&idp, &body.tenant) {
        Ok(tenant) => tenant,
        Err(response) => return *response,
    };
    let now = idp.now();
    let sku = match build(&idp, tenant, body, now) {
        Ok(sku) => sku,
        Err(why) => return refused(StatusCode::BAD_REQUEST, why),
    };
    let sku_id = sku.sku_id.clone();
    let mut st = idp.lock();
    let licences = st.graph.licences.tenant_mut(&tenant.id);
    licences.put(sku, now);
    let stored = licences.sku(&sku_id).expect("just put");
    Json(subscribed_sku(tenant, stored)).into_response()
}

fn build(
    idp: &Idp,
    tenant: &Tenant,
    body: SkuRequest,
    now: time::OffsetDateTime,
) -> Result<Sku, String> {
    let guid = |id: &str| {
        uuid::Uuid::parse_str(id)
            .map(drop)
            .map_err(|_| format!("{id} is not a GUID"))
    };
    guid(&body.sku_id)?;
    let counters = [body.enabled, body.warning, body.suspended, body.locked_out];
    if counters.iter().any(|c| *c < 0) {
        return Err("prepaid units cannot be negative".into());
    }
    let product = idp.licence_fixture.product(&body.sku_id);
    let service_plans = match body.service_plans {
        Some(plans) => plans
            .into_iter()
            .map(|p| {
                guid(&p.service_plan_id)?;
                Ok(ServicePlan {
                    id: p.service_plan_id,
                    name: p.service_plan_name,
                    service: p.service,
                    applies_to: p.applies_to,
                    provisioning_status: p.provisioning_status,
                })
            })
            .collect::<Result<Vec<_>, String>>()?,
        None => {
            let product =
                product.ok_or("servicePlans are needed for a SKU the product table lacks")?;
            Sku::from_product(product).service_plans
        }
    };
    let sku_part_number = body
        .sku_part_number
        .or_else(|| product.map(|p| p.sku_part_number.clone()))
        .ok_or("skuPartNumber is needed for a SKU the product table lacks")?;
    let mut assignments: Vec<Assignment> = Vec::new();
    for upn in &body.assign_to {
        let user = tenant
            .users
            .iter()
            .find(|u| u.upn.eq_ignore_ascii_case(upn))
            .ok_or_else(|| format!("{upn} is not in {}", tenant.domain))?;
        if !assignments.iter().any(|a| a.upn == user.upn) {
            assignments.push(Assignment {
                upn: user.upn.clone(),
                since: now,
            });
        }
    }
    Ok(Sku {
        sku_id: body.sku_id.to_ascii_lowercase(),
        sku_part_number,
        capability_status: body.capability_status,
        prepaid: PrepaidUnits {
            enabled: body.enabled,
            locked_out: body.locked_out,
            suspended: body.suspended,
            warning: body.warning,
        },
        unlisted: 0,
        service_plans,
        subscription_ids: Vec::new(),
        assignments,
    })
}
