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

/// Attempts at placing one order before it is kept as failed.
pub const ATTEMPTS: i64 = 6;
/// Times a call is sent again at once, with the same request id, after a timeout.
const AT_ONCE: usize = 1;

/// Sends the order's calls, again at once after a timeout, and keeps where it stands; with
/// what Partner Center said when it did not take the order.
pub async fn place(
    csp: &Csp,
    db: &Db,
    order: &CspOrder,
) -> Result<(OrderStatus, Option<PartnerError>), sqlx::Error> {
    let mut tries = 0;
    let outcome = loop {
        let sent = match order.kind {
            OrderKind::New => new_seats(&csp.api, db, order).await,
            OrderKind::Seats => seat_change(&csp.api, order).await,
        };
        match sent {
            Err(e) if e.retryable() && tries < AT_ONCE => {
                tracing::info!(order = %order.id, reason = ?e, "sending the order's request again with the same request id");
                tries += 1;
            }
            other => break other,
        }
    };
    let status = match outcome {
        Ok(Placed {
            status,
            order_id,
            subscription_id,
        }) => {
            db.csp_order_status(
                &order.id,
                status,
                order_id.as_deref(),
                subscription_id.as_deref(),
                "",
            )
            .await?;
            (status, None)
        }
        Err(e) if e.retryable() => {
            let attempts = db.csp_order_attempted(&order.id, &format!("{e:?}")).await?;
            let status = if attempts >= ATTEMPTS {
                db.csp_order_status(&order.id, OrderStatus::Failed, None, None, &describe(&e))
                    .await?;
                OrderStatus::Failed
            } else {
                OrderStatus::Placing
            };
            (status, Some(e))
        }
        Err(e) => {
            tracing::warn!(order = %order.id, reason = ?e, "Partner Center refused an order");
            db.csp_order_status(&order.id, OrderStatus::Failed, None, None, &describe(&e))
                .await?;
            (OrderStatus::Failed, Some(e))
        }
    };
    Ok(status)
}

/// What Partner Center said, kept with the order.
fn describe(e: &PartnerError) -> String {
    match e {
        PartnerError::Refused {
            code, description, ..
        } => format!("{code} {description}"),
        PartnerError::TimedOut => "no answer in time".into(),
        PartnerError::Unreachable(why) => why.clone(),
    }
}

struct Placed {
    status: OrderStatus,
    order_id: Option<String>,
    subscription_id: Option<String>,
}

/// The cart (made once; its id is kept) and its checkout.
async fn new_seats(
    api: &PartnerCenterApi,
    db: &Db,
    order: &CspOrder,
) -> Result<Placed, PartnerError> {
    let customer = segment(&order.customer_id);
    let cart_id = match &order.cart_id {
        Some(id) => id.clone(),
        None => {
            let cart = PartnerCenterApi::cart(&order.offer_id, order.quantity);
            let made = api
                .call(
                    Method::POST,
                    &format!("customers/{customer}/carts"),
                    Some(&cart),
                    &order.cart_request,
                    &[],
                )
                .await?;
            let id = made.body["id"]
                .as_str()
                .ok_or_else(|| PartnerError::Unreachable("the cart has no id".into()))?
                .to_owned();
            db.csp_order_cart(&order.id, &id).await.map_err(|e| {
                PartnerError::Unreachable(format!("the cart could not be kept: {e}"))
            })?;
            id
        }
    };
    let checkout = api
        .call(
            Method::POST,
            &format!("customers/{customer}/carts/{}/checkout", segment(&cart_id)),
            None,
            &order.checkout_request,
            &[],
        )
        .await?;
    let body = checkout.body;
    if let Some(error) = body["orderErrors"].as_array().and_then(|e| e.first()) {
        return Err(PartnerError::Refused {
            status: 400,
            code: match &error["code"] {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => String::new(),
            },
            description: error["description"].as_str().unwrap_or_default().to_owned(),
        });
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

/// The subscription with the new seat count, sent whole with its ETag; a subscription that
/// changed in between is read again once.
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
    let mut reread = false;
    loop {
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
        // A PATCH refused for a stale ETag changed nothing; the one after reading the
        // subscription again is another request.
        let request = if reread {
            format!("{}-reread", order.cart_request)
        } else {
            order.cart_request.clone()
        };
        let sent = api
            .call(
                Method::PATCH,
                &path,
                Some(&body),
                &request,
                &[("If-Match", etag.as_str())],
            )
            .await;
        match sent {
            Ok(_) => {
                return Ok(Placed {
                    status: OrderStatus::Completed,
                    order_id: None,
                    subscription_id: Some(subscription.to_owned()),
                });
            }
            Err(PartnerError::Refused { status: 412, .. }) if !reread => reread = true,
            Err(e) => return Err(e),
        }
    }
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

/// Orders still open: placed again (same request ids) or read until they complete. An order
/// that completed has the organisation's licences read again.
pub async fn follow(csp: &Csp, db: &Db) -> Result<(), sqlx::Error> {
    for order in db.open_csp_orders().await? {
        let status = match order.status {
            OrderStatus::Placing => place(csp, db, &order).await?.0,
            _ => match &order.order_id {
                Some(id) => {
                    let path = format!(
                        "customers/{}/orders/{}",
                        segment(&order.customer_id),
                        segment(id)
                    );
                    match csp.api.get(&path, &[]).await {
                        Ok(read) => {
                            let status = order_status(&read);
                            if status != order.status {
                                let sub = read["lineItems"][0]["subscriptionId"].as_str();
                                db.csp_order_status(&order.id, status, None, sub, "")
                                    .await?;
                            }
                            status
                        }
                        Err(e) => {
                            tracing::info!(order = %order.id, reason = ?e, "could not read an order");
                            order.status
                        }
                    }
                }
                None => order.status,
            },
        };
        if status == OrderStatus::Completed {
            tracing::info!(order = %order.id, tenant = %order.tenant_id, "an order completed");
            if let Ok(tenant) = TenantId::parse(&order.tenant_id) {
                csp.licences.refresh(db, &tenant).await?;
            }
        }
    }
    Ok(())
}
