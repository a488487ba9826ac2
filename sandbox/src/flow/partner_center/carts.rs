//! Carts: a new cart of catalog items (it expires fifteen minutes after it was made), reading
//! it, and its checkout, which places one order per order group (the lines billed alike), or
//! reports each group's failure in `orderErrors`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::body;
use super::call::{PcError, Request, Result, serve};
use super::catalog;
use super::customers::customer;
use super::orders::{self, check_line};
use super::resources::timestamp;
use super::state::{Answer, BillingCycle, Cart, CartLine, PartnerCenter, new_id};
use crate::flow::FlowService;

/// How long a cart may be checked out after it was made.
const LIFETIME: time::Duration = time::Duration::minutes(15);
/// How long the answer of a checkout that times out is held back.
const HELD: Duration = Duration::from_secs(120);

/// `{lineItems: [{id, catalogItemId, quantity, billingCycle, termDuration, friendlyName?,
/// provisioningContext?}]}`.
pub async fn create(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    request: Request,
    bytes: Bytes,
) -> Response {
    serve(&flow, &request, |call, pc| {
        let c = customer(pc, &id)?;
        let customer_id = c.id.clone();
        let currency = catalog::currency(&c.billing.address.country).unwrap_or("USD");
        let request = body::parse(&bytes, true)?;
        let items = body::field(&request, "lineItems")
            .and_then(Value::as_array)
            .filter(|items| !items.is_empty())
            .ok_or_else(|| PcError::invalid("the cart has no lineItems."))?;
        let mut groups: Vec<BillingCycle> = Vec::new();
        let mut lines = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let line_id = body::field(item, "id").cloned().unwrap_or(json!(index));
            let line = check_line(
                &format!("line item {line_id}"),
                body::text(item, "catalogItemId"),
                body::integer(item, "quantity"),
                body::text(item, "billingCycle"),
                body::text(item, "termDuration"),
            )?;
            let context = body::field(item, "provisioningContext");
            if context.is_some_and(|c| !c.is_object()) {
                return Err(PcError::invalid(format!(
                    "line item {line_id}: provisioningContext is not an object."
                )));
            }
            let group = match groups.iter().position(|g| *g == line.billing_cycle) {
                Some(group) => group,
                None => {
                    groups.push(line.billing_cycle);
                    groups.len() - 1
                }
            };
            lines.push(CartLine {
                id: line_id,
                offer_id: line.offer.id.clone(),
                friendly_name: body::text(item, "friendlyName").map(str::to_owned),
                quantity: line.quantity,
                billing_cycle: line.billing_cycle,
                term: line.term,
                provisioning_context: context.cloned(),
                currency: currency.to_owned(),
                order_group: group.to_string(),
            });
        }
        let cart = Cart {
            id: new_id(),
            customer_id,
            created: call.now,
            modified: call.now,
            expires: call.now + LIFETIME,
            user: call.caller.object_id.clone(),
            ordered: false,
            lines,
        };
        let created = cart.json();
        pc.carts.push(cart);
        Ok(Answer::created(created))
    })
    .await
}

/// The customer's cart `cart`, or 404.
fn cart<'a>(pc: &'a mut PartnerCenter, customer: &str, cart: &str) -> Result<&'a mut Cart> {
    pc.carts
        .iter_mut()
        .find(|c| c.customer_id == customer && c.id.eq_ignore_ascii_case(cart))
        .ok_or_else(|| {
            PcError::new(
                StatusCode::NOT_FOUND,
                800008,
                format!("Unable to retrieve cart Id {cart}."),
            )
        })
}

pub async fn read(
    State(flow): State<Arc<FlowService>>,
    Path((id, cart_id)): Path<(String, String)>,
    request: Request,
) -> Response {
    serve(&flow, &request, |_, pc| {
        let customer_id = customer(pc, &id)?.id.clone();
        Ok(Answer::ok(cart(pc, &customer_id, &cart_id)?.json()))
    })
    .await
}

/// Orders what the cart holds: one order per order group. Without inventory, no order is
/// placed and each group is in `orderErrors` (2093); the cart can then be checked out again.
pub async fn checkout(
    State(flow): State<Arc<FlowService>>,
    Path((id, cart_id)): Path<(String, String)>,
    request: Request,
) -> Response {
    serve(&flow, &request, |call, pc| {
        if std::mem::take(&mut pc.settings.timeout_next_checkout) {
            call.hold = Some(HELD);
        }
        let c = customer(pc, &id)?;
        let (customer_id, country) = (c.id.clone(), c.billing.address.country.clone());
        let now = call.now;
        let held = cart(pc, &customer_id, &cart_id)?;
        if held.ordered {
            return Err(PcError::new(
                StatusCode::BAD_REQUEST,
                800065,
                format!("Cannot check out an already submitted cart {}.", held.id),
            ));
        }
        if now >= held.expires {
            return Err(PcError::invalid(format!(
                "the cart {} expired at {}; create a new cart.",
                held.id,
                timestamp(held.expires)
            )));
        }
        let lines = held.lines.clone();
        orders::require_mca(pc, &customer_id)?;
        let mut groups: Vec<&str> = Vec::new();
        for line in &lines {
            if !groups.contains(&line.order_group.as_str()) {
                groups.push(&line.order_group);
            }
        }
        if !pc.settings.inventory_available {
            let errors: Vec<Value> = groups
                .iter()
                .map(|g| json!({"orderGroupId": g, "code": 2093, "description": "Inventory is not available."}))
                .collect();
            return Ok(Answer::created(
                json!({"orders": [], "orderErrors": errors}),
            ));
        }
        let currency = catalog::currency(&country).unwrap_or("USD");
        let mut placed = Vec::new();
        for group in groups {
            let group_lines = lines
                .iter()
                .filter(|l| l.order_group == group)
                .map(|l| {
                    let line = check_line(
                        "cart line",
                        Some(&l.offer_id),
                        Some(i64::from(l.quantity)),
                        Some(l.billing_cycle.name()),
                        Some(l.term.name()),
                    )?;
                    Ok((line, l.friendly_name.clone()))
                })
                .collect::<Result<Vec<_>>>()?;
            let order = orders::place(call, pc, &customer_id, currency, &group_lines);
            placed.push(order.json());
        }
        let held = cart(pc, &customer_id, &cart_id)?;
        held.ordered = true;
        held.modified = now;
        Ok(Answer::created(json!({"orders": placed})))
    })
    .await
}
