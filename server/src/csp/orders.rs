//! Placing and following orders. A new order is a cart then its checkout; a seat change is a
//! PATCH of the whole subscription with its ETag. Each call is sent with the order's own
//! request id, so sending it again after a timeout is the same request to Partner Center and
//! never orders twice. An order Partner Center took is followed until it completes; then the
//! organisation's licences are read again.

use super::Csp;
use super::client::{PartnerCenterApi, PartnerError, segment};
use domain::TenantId;
use domain::csp::{CspOrder, OrderKind, OrderStatus};
use domain::db::Db;
use reqwest::Method;
use serde_json::Value;

/// Attempts at placing one order before it is kept as failed: about four hours of waits.
pub const ATTEMPTS: i64 = 8;
/// Times a call is sent again at once, with the same request id, after a timeout.
const AT_ONCE: usize = 1;
/// How long a follower holds the orders it works on.
const LEASE: time::Duration = time::Duration::minutes(5);

/// Where an order stands after it was sent.
pub struct Sent {
    pub status: OrderStatus,
    /// What Partner Center said when it did not take the order.
    pub said: Option<PartnerError>,
    /// It completed just now (and not before): the licences are to be read again.
    pub completed_now: bool,
}

/// Sends the order's calls, again at once after a timeout, and keeps where it stands. An
/// answer that does not come is tried again later with the same request ids, waiting longer
/// each time.
pub async fn place(csp: &Csp, db: &Db, order: &CspOrder) -> Result<Sent, sqlx::Error> {
    let mut order = order.clone();
    let mut tries = 0;
    let outcome = loop {
        let sent = match order.kind {
            OrderKind::New => match &order.cart_id {
                Some(_) => checkout(&csp.api, &order).await,
                None => match new_cart(&csp.api, &order).await {
                    Ok(cart) => {
                        db.csp_order_cart(&order.id, &cart).await?;
                        order.cart_id = Some(cart);
                        checkout(&csp.api, &order).await
                    }
                    Err(e) => Err(e),
                },
            },
            OrderKind::Seats => seat_change(&csp.api, &order).await,
        };
        match sent {
            Err(e) if e.retryable() && tries < AT_ONCE => {
                tracing::info!(order = %order.id, reason = ?e, "sending the order's request again with the same request id");
                tries += 1;
            }
            other => break other,
        }
    };
    match outcome {
        Ok(Placed {
            status,
            order_id,
            subscription_id,
        }) => {
            let changed = db
                .csp_order_status(
                    &order.id,
                    status,
                    order_id.as_deref(),
                    subscription_id.as_deref(),
                    "",
                )
                .await?;
            Ok(Sent {
                status,
                said: None,
                completed_now: changed && status == OrderStatus::Completed,
            })
        }
        Err(e) if e.retryable() => {
            let wait = time::Duration::minutes(1 << order.attempts.clamp(0, 6));
            let attempts = db
                .csp_order_attempted(&order.id, &describe(&e), wait)
                .await?;
            let status = if attempts >= ATTEMPTS {
                db.csp_order_status(&order.id, OrderStatus::Failed, None, None, &describe(&e))
                    .await?;
                OrderStatus::Failed
            } else {
                OrderStatus::Placing
            };
            Ok(Sent {
                status,
                said: Some(e),
                completed_now: false,
            })
        }
        Err(e) => {
            tracing::warn!(order = %order.id, reason = ?e, "Partner Center refused an order");
            db.csp_order_status(&order.id, OrderStatus::Failed, None, None, &describe(&e))
                .await?;
            Ok(Sent {
                status: OrderStatus::Failed,
                said: Some(e),
                completed_now: false,
            })
        }
    }
}

/// What Partner Center said, kept with the order: its code and description, or what kept
/// the answer from coming.
fn describe(e: &PartnerError) -> String {
    match e {
        PartnerError::Refused {
            code, description, ..
        } => format!("{code}: {description}"),
        PartnerError::TimedOut => "no answer in time".into(),
        PartnerError::Unreachable(why) => why.clone(),
    }
}

struct Placed {
    status: OrderStatus,
    order_id: Option<String>,
    subscription_id: Option<String>,
}

/// The cart of the order's seats.
async fn new_cart(api: &PartnerCenterApi, order: &CspOrder) -> Result<String, PartnerError> {
    let cart = PartnerCenterApi::cart(&order.offer_id, order.quantity);
    let path = format!("customers/{}/carts", segment(&order.customer_id));
    let made = api
        .call(Method::POST, &path, Some(&cart), &order.cart_request, &[])
        .await?;
    made.body["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| PartnerError::Unreachable("the cart has no id".into()))
}

/// The checkout of the order's cart.
async fn checkout(api: &PartnerCenterApi, order: &CspOrder) -> Result<Placed, PartnerError> {
    let cart_id = order.cart_id.as_deref().unwrap_or_default();
    let path = format!(
        "customers/{}/carts/{}/checkout",
        segment(&order.customer_id),
        segment(cart_id)
    );
    let checkout = api
        .call(Method::POST, &path, None, &order.checkout_request, &[])
        .await?;
    let body = checkout.body;
    if let Some(error) = body["orderErrors"].as_array().and_then(|e| e.first()) {
        return Err(PartnerError::refused(400, error));
    }
    let placed = &body["orders"][0];
    let order_id = placed["id"]
        .as_str()
        .ok_or_else(|| PartnerError::Unreachable("the checkout made no order".into()))?;
    Ok(Placed {
        status: order_status(placed),
        order_id: Some(order_id.to_owned()),
        subscription_id: placed["lineItems"][0]["subscriptionId"]
            .as_str()
            .map(str::to_owned),
    })
}

/// The subscription with the new seat count, sent whole under its ETag: one that changed
/// since it was read is refused (412), never overwritten.
async fn seat_change(api: &PartnerCenterApi, order: &CspOrder) -> Result<Placed, PartnerError> {
    let subscription = order
        .subscription_id
        .as_deref()
        .ok_or_else(|| PartnerError::Unreachable("the order names no subscription".into()))?;
    let path = format!(
        "customers/{}/subscriptions/{}",
        segment(&order.customer_id),
        segment(subscription)
    );
    let current = api.read(&path, &[]).await?;
    let etag = current
        .etag
        .clone()
        .or_else(|| {
            current.body["attributes"]["etag"]
                .as_str()
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let mut body = current.body;
    body["quantity"] = order.quantity.into();
    api.call(
        Method::PATCH,
        &path,
        Some(&body),
        &order.cart_request,
        &[("If-Match", etag.as_str())],
    )
    .await?;
    Ok(Placed {
        status: OrderStatus::Completed,
        order_id: None,
        subscription_id: Some(subscription.to_owned()),
    })
}

fn order_status(order: &Value) -> OrderStatus {
    match order["status"]
        .as_str()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("completed") => OrderStatus::Completed,
        Some("cancelled") => OrderStatus::Failed,
        _ => OrderStatus::Pending,
    }
}

/// Orders still open that no instance holds: placed again (same request ids) or read until
/// they complete. An order that completed just now has the organisation's licences read
/// again.
pub async fn follow(csp: &Csp, db: &Db) -> Result<(), sqlx::Error> {
    for order in db.claim_csp_orders(LEASE).await? {
        let completed_now = match (order.status, &order.order_id) {
            (OrderStatus::Placing, _) => place(csp, db, &order).await?.completed_now,
            (_, Some(id)) => {
                let path = format!(
                    "customers/{}/orders/{}",
                    segment(&order.customer_id),
                    segment(id)
                );
                match csp.api.get(&path, &[]).await {
                    Ok(read) => {
                        let status = order_status(&read);
                        let sub = read["lineItems"][0]["subscriptionId"].as_str();
                        let changed = db
                            .csp_order_status(&order.id, status, None, sub, "")
                            .await?;
                        changed && status == OrderStatus::Completed
                    }
                    Err(e) => {
                        tracing::info!(order = %order.id, reason = ?e, "could not read an order");
                        db.csp_order_attempted(
                            &order.id,
                            &describe(&e),
                            time::Duration::minutes(1),
                        )
                        .await?;
                        false
                    }
                }
            }
            (_, None) => false,
        };
        if completed_now {
            tracing::info!(order = %order.id, tenant = %order.tenant_id, "an order completed");
            if let Ok(tenant) = TenantId::parse(&order.tenant_id) {
                csp.licences.refresh(db, &tenant).await?;
            }
        }
    }
    Ok(())
}
