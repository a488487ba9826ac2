//! Orders: the checks every ordered line passes, placing an order (from a cart's checkout or
//! directly), its completion a little later (the subscription it creates or adds licences to,
//! and the tenant's Microsoft Graph seats), and reading orders.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;
use time::OffsetDateTime;

use super::body;
use super::call::{Call, PcError, Request, Result, serve};
use super::catalog::{self, Offer};
use super::customers::{collection_of, customer};
use super::state::{
    Answer, BillingCycle, Order, OrderLine, PartnerCenter, Subscription, Term, alternate_id,
    midnight, order_id,
};
use crate::flow::FlowService;

/// One line to order, checked against the catalog.
pub struct Line {
    pub offer: &'static Offer,
    pub quantity: u32,
    pub billing_cycle: BillingCycle,
    pub term: Term,
}

/// Checks a line (`what` names it in refusals): a catalog offer, a quantity within its bounds,
/// and a billing cycle and term it is sold with (monthly or annual billing; a month or a year,
/// annual billing only for a year).
pub fn check_line(
    what: &str,
    offer_id: Option<&str>,
    quantity: Option<i64>,
    billing_cycle: Option<&str>,
    term: Option<&str>,
) -> Result<Line> {
    let offer_id =
        offer_id.ok_or_else(|| PcError::invalid(format!("{what} names no catalog item.")))?;
    let offer = catalog::offer(offer_id).ok_or_else(|| {
        PcError::new(
            StatusCode::BAD_REQUEST,
            800004,
            format!("Invalid offer Id: {offer_id} is not in the catalog ({what})."),
        )
    })?;
    let quantity =
        quantity.ok_or_else(|| PcError::invalid(format!("{what} has no whole quantity.")))?;
    if !offer.allows(quantity) {
        return Err(PcError::new(
            StatusCode::BAD_REQUEST,
            2002,
            format!(
                "Subscription quantity is not within minimum and maximum allowed quantity: {what} asks for {quantity} of {}, which is sold from {} to {}.",
                offer.name, offer.minimum_quantity, offer.maximum_quantity
            ),
        ));
    }
    let cycle_name =
        billing_cycle.ok_or_else(|| PcError::invalid(format!("{what} has no billingCycle.")))?;
    let billing_cycle = BillingCycle::parse(cycle_name).ok_or_else(|| {
        PcError::new(
            StatusCode::BAD_REQUEST,
            900126,
            format!(
                "Unable to parse enum: {cycle_name} is not a billing cycle (monthly, annual, triennial, one_time, none)."
            ),
        )
    })?;
    if !matches!(billing_cycle, BillingCycle::Monthly | BillingCycle::Annual) {
        return Err(PcError::invalid(format!(
            "{what}: {} is sold with monthly or annual billing, not {}.",
            offer.name,
            billing_cycle.name()
        )));
    }
    let term_name = term.ok_or_else(|| PcError::invalid(format!("{what} has no termDuration.")))?;
    let term = Term::parse(term_name).ok_or_else(|| {
        PcError::invalid(format!(
            "{what}: {} is sold for a term of P1M or P1Y, not {term_name}.",
            offer.name
        ))
    })?;
    if billing_cycle == BillingCycle::Annual && term != Term::P1Y {
        return Err(PcError::invalid(format!(
            "{what}: annual billing is for a term of P1Y, not {}.",
            term.name()
        )));
    }
    Ok(Line {
        offer,
        quantity: u32::try_from(quantity).unwrap_or(u32::MAX),
        billing_cycle,
        term,
    })
}

/// Refuses an order for a customer who has not accepted the Microsoft Customer Agreement.
pub fn require_mca(pc: &PartnerCenter, customer: &str) -> Result<()> {
    if pc.has_mca(customer) {
        return Ok(());
    }
    Err(PcError::new(
        StatusCode::FORBIDDEN,
        13605,
        "Either a partner confirmation of the customer acceptance of the Microsoft Customer Agreement must be provided or the customer must accept the Microsoft Customer Agreement in the Microsoft Admin Center before you can complete this purchase.",
    ))
}

/// Places a pending order of `lines` (with their friendly names) and has it completed after
/// the configured delay.
pub fn place(
    call: &Call<'_>,
    pc: &mut PartnerCenter,
    customer: &str,
    currency: &str,
    lines: &[(Line, Option<String>)],
) -> Order {
    let mut placed: Vec<OrderLine> = Vec::new();
    for (number, (line, name)) in (0u32..).zip(lines) {
        let subscription_id = pc.subscription_for(customer, &line.offer.id, &placed);
        placed.push(OrderLine {
            number,
            offer_id: line.offer.id.clone(),
            subscription_id,
            term: line.term,
            friendly_name: name.clone().unwrap_or_else(|| line.offer.name.clone()),
            quantity: line.quantity,
        });
    }
    let order = Order {
        id: order_id(),
        alternate_id: alternate_id(),
        customer_id: customer.to_owned(),
        billing_cycle: lines
            .first()
            .map(|(l, _)| l.billing_cycle)
            .unwrap_or(BillingCycle::Monthly),
        currency: currency.to_owned(),
        lines: placed,
        created: call.now,
        completed: false,
        historical: false,
    };
    pc.orders.push(order.clone());
    complete_later(call.flow.clone(), order.id.clone(), pc.settings.order_delay);
    order
}

fn complete_later(flow: Arc<FlowService>, order: String, delay: Duration) {
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let now = flow.idp.now();
        let mut st = flow.lock();
        complete(&flow, &mut st.partner_center, &order, now);
    });
}

/// Completes the pending order `id`: each line creates its subscription or adds its licences
/// to it, and the customer's tenant gets as many more prepaid units of the offer's SKU.
fn complete(flow: &FlowService, pc: &mut PartnerCenter, id: &str, now: OffsetDateTime) {
    let Some(order) = pc.orders.iter_mut().find(|o| o.id == id && !o.completed) else {
        return;
    };
    order.completed = true;
    let order = order.clone();
    for line in &order.lines {
        let Some(offer) = catalog::offer(&line.offer_id) else {
            continue;
        };
        match pc.subscription_mut(&order.customer_id, &line.subscription_id) {
            Some(s) => {
                s.quantity = s.quantity.saturating_add(line.quantity);
                s.version += 1;
            }
            None => pc.subscriptions.push(Subscription {
                id: line.subscription_id.clone(),
                customer_id: order.customer_id.clone(),
                offer_id: offer.id.clone(),
                friendly_name: line.friendly_name.clone(),
                quantity: line.quantity,
                created: now,
                effective_start: midnight(now),
                billing_cycle: order.billing_cycle,
                term: line.term,
                auto_renew: true,
                order_id: order.id.clone(),
                version: 1,
            }),
        }
        flow.idp.adjust_prepaid_units(
            &order.customer_id,
            &offer.graph_sku_id,
            i64::from(line.quantity),
        );
    }
}

/// An order placed directly: `{billingCycle, lineItems: [{lineItemNumber, offerId,
/// friendlyName?, quantity, termDuration?}]}`, numbered 0 to count − 1; a year's term unless
/// named.
pub async fn create(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    request: Request,
    bytes: Bytes,
) -> Response {
    serve(&flow, &request, |call, pc| {
        let c = customer(pc, &id)?;
        let (customer_id, country) = (c.id.clone(), c.billing.address.country.clone());
        let request = body::parse(&bytes, true)?;
        let items = body::field(&request, "lineItems")
            .and_then(Value::as_array)
            .filter(|items| !items.is_empty())
            .ok_or_else(|| PcError::invalid("the order has no lineItems."))?;
        let cycle = body::text(&request, "billingCycle").unwrap_or("monthly");
        let mut numbers: Vec<i64> = items
            .iter()
            .map(|i| body::integer(i, "lineItemNumber").unwrap_or(-1))
            .collect();
        numbers.sort_unstable();
        if numbers.iter().zip(0..).any(|(n, expected)| *n != expected) {
            return Err(PcError::new(
                StatusCode::BAD_REQUEST,
                800071,
                "Line Item number should be from 0 to number of line items count.",
            ));
        }
        let mut lines = Vec::new();
        for item in items {
            let number = body::integer(item, "lineItemNumber").unwrap_or_default();
            let line = check_line(
                &format!("line item {number}"),
                body::text(item, "offerId"),
                body::integer(item, "quantity"),
                Some(cycle),
                Some(body::text(item, "termDuration").unwrap_or("P1Y")),
            )?;
            let name = body::text(item, "friendlyName").map(str::to_owned);
            lines.push((number, line, name));
        }
        lines.sort_by_key(|(number, _, _)| *number);
        require_mca(pc, &customer_id)?;
        if !pc.settings.inventory_available {
            return Err(PcError::new(
                StatusCode::BAD_REQUEST,
                2093,
                "Inventory is not available.",
            ));
        }
        let lines: Vec<_> = lines.into_iter().map(|(_, l, n)| (l, n)).collect();
        let currency = catalog::currency(&country).unwrap_or("USD");
        let order = place(call, pc, &customer_id, currency, &lines);
        Ok(Answer::created(order.json()))
    })
    .await
}

pub async fn list(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    serve(&flow, &request, |_, pc| {
        collection_of(pc, &id, "orders", |pc, customer_id| {
            pc.orders
                .iter()
                .filter(|o| o.customer_id == customer_id)
                .map(Order::json)
                .collect()
        })
    })
    .await
}

pub async fn read(
    State(flow): State<Arc<FlowService>>,
    Path((id, order)): Path<(String, String)>,
    request: Request,
) -> Response {
    serve(&flow, &request, |_, pc| {
        let customer_id = customer(pc, &id)?.id.clone();
        pc.orders
            .iter()
            .find(|o| o.customer_id == customer_id && o.id == order)
            .map(|o| Answer::ok(o.json()))
            .ok_or_else(|| {
                PcError::new(
                    StatusCode::NOT_FOUND,
                    20000,
                    format!("Order Id {order} not found."),
                )
            })
    })
    .await
}
