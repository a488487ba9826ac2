//! The Fulfillment API's ten operations.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::state::{Action, Operation, OperationStatus, Source, Status};
use super::{MarketError, Result, admitted, echo_ids};
use crate::flow::FlowService;

const SUBSCRIPTIONS: &str = "/api/saas/subscriptions";
/// Subscriptions per page of the list.
const PAGE: usize = 100;
/// The largest seat count a change may ask for.
const MAX_QUANTITY: u64 = 1_000_000;

pub fn routes() -> axum::Router<Arc<FlowService>> {
    axum::Router::new()
        .route(&format!("{SUBSCRIPTIONS}/resolve"), post(resolve))
        .route(SUBSCRIPTIONS, get(list))
        .route(
            &format!("{SUBSCRIPTIONS}/{{id}}"),
            get(read).patch(change).delete(cancel),
        )
        .route(&format!("{SUBSCRIPTIONS}/{{id}}/activate"), post(activate))
        .route(
            &format!("{SUBSCRIPTIONS}/{{id}}/listAvailablePlans"),
            get(plans),
        )
        .route(
            &format!("{SUBSCRIPTIONS}/{{id}}/operations"),
            get(operations),
        )
        .route(
            &format!("{SUBSCRIPTIONS}/{{id}}/operations/{{op}}"),
            get(operation).patch(acknowledge),
        )
}

#[derive(Deserialize)]
struct Versioned {
    #[serde(rename = "api-version")]
    api_version: Option<String>,
    #[serde(rename = "continuationToken")]
    continuation: Option<String>,
}

/// Admits the call, runs `work`, and echoes the call's ids on whatever it answers.
fn answer(
    flow: &FlowService,
    headers: &HeaderMap,
    query: &Versioned,
    work: impl FnOnce() -> Result<Response>,
) -> Response {
    let response = match admitted(flow, headers, query.api_version.as_deref()).and_then(|()| work())
    {
        Ok(response) => response,
        Err(refused) => refused.into_response(),
    };
    echo_ids(headers, response)
}

fn found<T>(value: Option<T>, what: &str) -> Result<T> {
    value.ok_or_else(|| MarketError::not_found(what))
}

async fn resolve(
    State(flow): State<Arc<FlowService>>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
) -> Response {
    answer(&flow, &headers, &query, || {
        let raw = headers
            .get("x-ms-marketplace-token")
            .and_then(|v| v.to_str().ok())
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| {
                MarketError::new(
                    StatusCode::BAD_REQUEST,
                    "HeaderNotPresent",
                    "The header x-ms-marketplace-token is required.",
                )
                .on("x-ms-marketplace-token")
            })?;
        // A token still URL-encoded (as the landing page's query carries it) is not the token.
        let token = raw.trim();
        let st = flow.lock();
        let now = flow.idp.now();
        let landing = st
            .market
            .tokens
            .iter()
            .find(|t| t.token == token && t.expires > now)
            .ok_or_else(|| {
                MarketError::new(
                    StatusCode::BAD_REQUEST,
                    "InvalidValue",
                    "Failed to decrypt token with either primary or secondary secret.",
                )
                .on("x-ms-marketplace-token")
            })?;
        let subscription = found(
            st.market
                .subscriptions
                .iter()
                .find(|s| s.id == landing.subscription_id),
            "subscription",
        )?;
        let mut body = json!({
            "id": subscription.id,
            "subscriptionName": subscription.name,
            "offerId": flow.offer.offer_id,
            "planId": subscription.plan_id,
            "subscription": subscription.json(&flow.offer),
        });
        if let Some(quantity) = subscription.quantity {
            body["quantity"] = json!(quantity);
        }
        Ok(Json(body).into_response())
    })
}

async fn list(
    State(flow): State<Arc<FlowService>>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
) -> Response {
    answer(&flow, &headers, &query, || {
        let start: usize = query
            .continuation
            .as_deref()
            .map(|c| {
                c.parse()
                    .map_err(|_| MarketError::bad("The continuation token is not valid."))
            })
            .transpose()?
            .unwrap_or(0);
        let st = flow.lock();
        let all = &st.market.subscriptions;
        let page: Vec<Value> = all
            .iter()
            .skip(start)
            .take(PAGE)
            .map(|s| s.json(&flow.offer))
            .collect();
        let mut body = json!({ "subscriptions": page });
        if start.saturating_add(PAGE) < all.len() {
            body["@nextLink"] = json!(format!(
                "{}{SUBSCRIPTIONS}?continuationToken={}&api-version=2018-08-31",
                flow.origin,
                start + PAGE
            ));
        }
        Ok(Json(body).into_response())
    })
}

async fn read(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
) -> Response {
    answer(&flow, &headers, &query, || {
        let st = flow.lock();
        let s = found(st.market.subscription(&id), "subscription")?;
        Ok(Json(s.json(&flow.offer)).into_response())
    })
}

async fn plans(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
) -> Response {
    answer(&flow, &headers, &query, || {
        found(
            flow.lock().market.subscription(&id).cloned(),
            "subscription",
        )?;
        let plans: Vec<Value> = flow.offer.plans.iter().map(|p| p.json()).collect();
        Ok(Json(json!({ "plans": plans })).into_response())
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Activation {
    #[allow(dead_code)]
    plan_id: Option<String>,
}

/// Starts billing. The plan named is not compared with the subscription's, as the real service
/// does not compare it.
async fn activate(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(&flow, &headers, &query, || {
        serde_json::from_slice::<Activation>(&body)
            .map_err(|e| MarketError::bad(format!("The request body is not valid: {e}")))?;
        let now = flow.idp.now();
        let mut st = flow.lock();
        let s = found(st.market.subscription_mut(&id), "subscription")?;
        match s.status {
            Status::PendingFulfillmentStart => {
                s.status = Status::Subscribed;
                s.term = Some((now, now + time::Duration::days(30)));
                s.modified = now;
                Ok(StatusCode::OK.into_response())
            }
            Status::Unsubscribed => Err(MarketError::not_found("subscription")),
            Status::Subscribed | Status::Suspended => {
                Err(MarketError::bad("The subscription is already activated."))
            }
        }
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Change {
    plan_id: Option<String>,
    quantity: Option<Value>,
}

/// A seat count given as a number or as text, as the service's own examples do.
fn seats(value: &Value) -> Option<u64> {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

/// `202` with `Operation-Location`, the publisher's operation on `id`.
fn accepted(flow: &FlowService, subscription: &str, operation: &str) -> Response {
    let mut response = StatusCode::ACCEPTED.into_response();
    let url = format!(
        "{}{SUBSCRIPTIONS}/{subscription}/operations/{operation}?api-version=2018-08-31",
        flow.origin
    );
    if let Ok(value) = HeaderValue::from_str(&url) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("operation-location"), value);
    }
    response
}

/// The publisher changes the plan or the seat count: one of them, never both.
async fn change(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    finish_partner(&flow, &headers, &query, &id, || {
        let change: Change = serde_json::from_slice(&body)
            .map_err(|e| MarketError::bad(format!("The request body is not valid: {e}")))?;
        let mut st = flow.lock();
        let s = found(st.market.subscription(&id).cloned(), "subscription")?;
        if st.market.in_progress(&id) {
            return Err(MarketError::bad(format!(
                "The subscription {id} is locked due to pending operations."
            )));
        }
        let (action, plan, quantity) = match (change.plan_id, change.quantity) {
            (Some(_), Some(_)) => {
                return Err(MarketError::bad(
                    "Cannot patch more than one field in the same request.",
                ));
            }
            (Some(plan), None) => {
                if plan == s.plan_id {
                    return Err(MarketError::bad(
                        "Changing plans only supported between two different plans.",
                    ));
                }
                let target = found(flow.offer.plan(&plan), "plan")?;
                let quantity = target.seats_after(s.quantity);
                (Action::ChangePlan, plan, quantity)
            }
            (None, Some(quantity)) => {
                let quantity = seats(&quantity)
                    .ok_or_else(|| MarketError::bad("The quantity is not a number."))?;
                if quantity > MAX_QUANTITY {
                    return Err(MarketError::bad(
                        "The quantity exceeded the maximal limit of 1000000.",
                    ));
                }
                let plan = found(flow.offer.plan(&s.plan_id), "plan")?;
                if !plan.is_price_per_seat {
                    return Err(MarketError::bad(
                        "The plan is not priced per seat; its quantity cannot change.",
                    ));
                }
                if !plan.allows(quantity) {
                    return Err(MarketError::bad(format!(
                        "The quantity must be between {} and {}.",
                        plan.min_quantity, plan.max_quantity
                    )));
                }
                (
                    Action::ChangeQuantity,
                    s.plan_id.clone(),
                    Some(quantity as u32),
                )
            }
            (None, None) => return Err(MarketError::bad("Nothing to change.")),
        };
        if s.status != Status::Subscribed {
            return Err(MarketError::bad("Only a subscribed subscription changes."));
        }
        Ok(st
            .market
            .begin(&s, action, plan, quantity, Source::Partner, flow.idp.now()))
    })
}

/// The publisher cancels the subscription.
async fn cancel(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
) -> Response {
    finish_partner(&flow, &headers, &query, &id, || {
        let mut st = flow.lock();
        let s = found(st.market.subscription(&id).cloned(), "subscription")?;
        if s.status == Status::Unsubscribed {
            return Err(MarketError::not_found("subscription"));
        }
        let plan = s.plan_id.clone();
        Ok(st.market.begin(
            &s,
            Action::Unsubscribe,
            plan,
            s.quantity,
            Source::Partner,
            flow.idp.now(),
        ))
    })
}

/// Begins a publisher's change of `subscription` (`begin` answers the operation's id) and
/// answers `202` with its `Operation-Location`; the marketplace then carries it out on its own.
fn finish_partner(
    flow: &Arc<FlowService>,
    headers: &HeaderMap,
    query: &Versioned,
    subscription: &str,
    begin: impl FnOnce() -> Result<String>,
) -> Response {
    let mut begun = None;
    let response = answer(flow, headers, query, || {
        let op = begin()?;
        let response = accepted(flow, subscription, &op);
        begun = Some(op);
        Ok(response)
    });
    if let Some(op) = begun {
        super::control::complete_later(flow.clone(), op, super::control::PARTNER_DELAY);
    }
    response
}

async fn operations(
    State(flow): State<Arc<FlowService>>,
    Path(id): Path<String>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
) -> Response {
    answer(&flow, &headers, &query, || {
        // An unknown subscription has no operations, rather than a 404.
        let st = flow.lock();
        let listed: Vec<Value> = st
            .market
            .operations
            .iter()
            .filter(|o| o.subscription_id == id && o.status == OperationStatus::InProgress)
            .map(|o| o.json(&flow.offer))
            .collect();
        Ok(Json(json!({ "operations": listed })).into_response())
    })
}

fn unknown_operation() -> MarketError {
    MarketError::bad("The operation could not be found.")
}

async fn operation(
    State(flow): State<Arc<FlowService>>,
    Path((id, op)): Path<(String, String)>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
) -> Response {
    answer(&flow, &headers, &query, || {
        let st = flow.lock();
        // An unknown operation is a 400, not the 404 the documentation names.
        let o: &Operation = st
            .market
            .operations
            .iter()
            .find(|o| o.id == op && o.subscription_id == id)
            .ok_or_else(unknown_operation)?;
        Ok(Json(o.json(&flow.offer)).into_response())
    })
}

#[derive(Deserialize)]
struct Acknowledgement {
    status: Option<String>,
}

/// The publisher's answer to a customer's change: `Success` carries it out, `Failure` refuses
/// it.
async fn acknowledge(
    State(flow): State<Arc<FlowService>>,
    Path((id, op)): Path<(String, String)>,
    Query(query): Query<Versioned>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(&flow, &headers, &query, || {
        let ack: Acknowledgement = serde_json::from_slice(&body)
            .map_err(|e| MarketError::bad(format!("The request body is not valid: {e}")))?;
        let mut st = flow.lock();
        let o = st
            .market
            .operations
            .iter()
            .find(|o| o.id == op && o.subscription_id == id)
            .cloned()
            .ok_or_else(unknown_operation)?;
        if o.source == Source::Partner {
            return Err(MarketError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                "An internal error occurred.",
            ));
        }
        if o.status != OperationStatus::InProgress {
            return Err(MarketError::new(
                StatusCode::CONFLICT,
                "Conflict",
                "A newer update is already fulfilled.",
            ));
        }
        let succeeded = match ack.status.as_deref() {
            Some(s) if s.eq_ignore_ascii_case("Success") => true,
            Some(s) if s.eq_ignore_ascii_case("Failure") => false,
            _ => {
                return Err(MarketError::bad("The status must be Success or Failure."));
            }
        };
        st.market.settle(&op, succeeded, flow.idp.now());
        Ok(StatusCode::OK.into_response())
    })
}
