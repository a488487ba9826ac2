//! A customer's subscriptions, one subscription (with its `ETag`), and the change of its
//! licence count: the whole Subscription resource sent back with a new `quantity`, under
//! `If-Match` with its current etag. The tenant's Microsoft Graph seats follow the change.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde_json::Value;

use super::body::{self, Missing};
use super::call::{PcError, Request, Result, serve};
use super::catalog;
use super::customers::{collection_of, customer};
use super::state::{Answer, PartnerCenter, Subscription};
use crate::flow::FlowService;

/// How long after a purchase the licence count may still go down (new commerce's
/// cancellation window).
const DECREASE_WINDOW: time::Duration = time::Duration::hours(168);

/// The properties a Subscription sent back must carry; `parentSubscriptionId` may be null.
const WHOLE: [&str; 12] = [
    "id",
    "friendlyName",
    "quantity",
    "unitType",
    "creationDate",
    "effectiveStartDate",
    "commitmentEndDate",
    "status",
    "autoRenewEnabled",
    "billingType",
    "contractType",
    "orderId",
];

pub async fn list(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    serve(&flow, &request, |_, pc| {
        collection_of(pc, &id, "subscriptions", |pc, customer_id| {
            pc.subscriptions
                .iter()
                .filter(|s| s.customer_id == customer_id)
                .map(Subscription::json)
                .collect()
        })
    })
    .await
}

fn subscription<'a>(
    pc: &'a mut PartnerCenter,
    customer_id: &str,
    id: &str,
) -> Result<&'a mut Subscription> {
    pc.subscription_mut(customer_id, id).ok_or_else(|| {
        PcError::new(
            StatusCode::NOT_FOUND,
            20003,
            format!("Subscription with id {id} not found."),
        )
    })
}

fn with_etag(s: &Subscription, status: StatusCode) -> Answer {
    Answer {
        status,
        body: s.json(),
        etag: Some(s.etag()),
    }
}

pub async fn read(
    State(flow): State<Arc<FlowService>>,
    Path((id, sub)): Path<(String, String)>,
    request: Request,
) -> Response {
    serve(&flow, &request, |_, pc| {
        let customer_id = customer(pc, &id)?.id.clone();
        let s = subscription(pc, &customer_id, &sub)?;
        Ok(with_etag(s, StatusCode::OK))
    })
    .await
}

/// An etag as `If-Match` carries it: quoted or not, weak or not.
fn bare(tag: &str) -> &str {
    let tag = tag.trim();
    let tag = tag.strip_prefix("W/").unwrap_or(tag);
    tag.trim_matches('"')
}

/// Changes the licence count (and the friendly name or automatic renewal, if they differ).
pub async fn update(
    State(flow): State<Arc<FlowService>>,
    Path((id, sub)): Path<(String, String)>,
    request: Request,
    bytes: Bytes,
) -> Response {
    serve(&flow, &request, |call, pc| {
        let customer_id = customer(pc, &id)?.id.clone();
        let now = call.now;
        let s = subscription(pc, &customer_id, &sub)?;
        let if_match = call
            .headers
            .get(header::IF_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(bare)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                PcError::invalid("the If-Match header with the subscription's current ETag is required.")
            })?;
        if if_match != s.etag() {
            return Err(PcError::new(
                StatusCode::PRECONDITION_FAILED,
                2055,
                "Etag is no longer valid: the subscription changed since it was read; read it again.",
            ));
        }
        let request = body::parse(&bytes, true)?;
        let mut missing = Missing::new();
        for name in WHOLE {
            if body::field(&request, name).is_none() {
                missing.note("Subscription", name);
            }
        }
        missing.check()?;
        if body::text(&request, "id").is_none_or(|given| !given.eq_ignore_ascii_case(&s.id)) {
            return Err(PcError::invalid(format!(
                "the body's id is not the subscription {}.",
                s.id
            )));
        }
        if body::text(&request, "status").is_none_or(|st| !st.eq_ignore_ascii_case("active")) {
            return Err(PcError::new(
                StatusCode::BAD_REQUEST,
                800096,
                "Cannot update the status for this subscription.",
            ));
        }
        let quantity = body::integer(&request, "quantity")
            .ok_or_else(|| PcError::invalid("quantity is not a whole number."))?;
        let offer = catalog::offer(&s.offer_id)
            .ok_or_else(|| PcError::invalid("the subscription's offer is no longer sold."))?;
        if !offer.allows(quantity) {
            return Err(PcError::new(
                StatusCode::BAD_REQUEST,
                2002,
                format!(
                    "Subscription quantity is not within minimum and maximum allowed quantity: {} is sold from {} to {}.",
                    offer.name, offer.minimum_quantity, offer.maximum_quantity
                ),
            ));
        }
        let old = i64::from(s.quantity);
        if quantity < old && now > s.created + DECREASE_WINDOW {
            return Err(PcError::new(
                StatusCode::BAD_REQUEST,
                800090,
                "Subscription quantity cannot be decreased: licences can only be removed within 168 hours of the purchase.",
            ));
        }
        let name = body::text(&request, "friendlyName").unwrap_or(&s.friendly_name);
        let auto_renew = body::field(&request, "autoRenewEnabled")
            .and_then(Value::as_bool)
            .unwrap_or(s.auto_renew);
        s.friendly_name = name.to_owned();
        s.auto_renew = auto_renew;
        s.quantity = u32::try_from(quantity).unwrap_or(u32::MAX);
        s.version += 1;
        let answer = with_etag(s, StatusCode::OK);
        if quantity != old {
            call.flow
                .idp
                .adjust_prepaid_units(&customer_id, &offer.graph_sku_id, quantity - old);
        }
        Ok(answer)
    })
    .await
}
