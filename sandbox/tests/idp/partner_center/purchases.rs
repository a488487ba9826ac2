//! Buying: a cart checked out into an order that completes into a subscription and Graph
//! seats, a checkout whose answer never came retried with its `MS-RequestId`, inventory
//! that is not available, expired carts, and customers without the agreement.

use std::time::Duration;

use super::*;
use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Contoso's new cart of `quantity` Power Automate Premium licences: its id.
async fn premium_cart(partner: &Partner<'_>, customer: &str, quantity: u32) -> String {
    let premium = offer_id(partner, "Power Automate Premium").await;
    let cart = partner
        .post(
            &format!("/customers/{customer}/carts"),
            &json!({"lineItems": [line(&premium, quantity)]}),
        )
        .await;
    assert_eq!(cart.status, StatusCode::CREATED, "{}", cart.body);
    cart.body["id"].as_str().unwrap().to_owned()
}

fn checkout_path(customer: &str, cart: &str) -> String {
    format!("/customers/{customer}/carts/{cart}/checkout")
}

/// Checks the cart out (an empty POST) with a new `MS-RequestId`.
async fn checkout(partner: &Partner<'_>, customer: &str, cart: &str) -> Answer {
    let id = uuid::Uuid::new_v4().to_string();
    let path = checkout_path(customer, cart);
    partner
        .send(Method::POST, &path, None, &[("MS-RequestId", &id)])
        .await
}

#[tokio::test]
async fn a_checked_out_cart_becomes_a_subscription_and_graph_seats() {
    let sandbox = Sandbox::start().await;
    let partner = Partner::new(&sandbox).await;
    settings(&sandbox, json!({"orderCompletesAfterSeconds": 0.5})).await;
    let premium = offer_id(&partner, "Power Automate Premium").await;
    let seats = prepaid_units(&sandbox, CONTOSO, PREMIUM_SKU).await;
    let subscriptions = |p: &str| format!("/customers/{CONTOSO}/subscriptions{p}");
    let before = partner.get(&subscriptions("")).await;
    assert!(
        !before.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["offerId"] == premium.as_str())
    );

    let carts = format!("/customers/{CONTOSO}/carts");
    for (item, code) in [
        (line("CFQ7TTC0XXXX:0001:CFQ7TTC0XXXX", 5), 800004),
        (line(&premium, 0), 2002),
        (line(&premium, 10001), 2002),
        (
            json!({"id": 0, "catalogItemId": premium, "quantity": 5, "billingCycle": "weekly", "termDuration": "P1M"}),
            900126,
        ),
        (
            json!({"id": 0, "catalogItemId": premium, "quantity": 5, "billingCycle": "monthly", "termDuration": "P3Y"}),
            800002,
        ),
        (
            json!({"id": 0, "catalogItemId": premium, "quantity": 5, "billingCycle": "annual", "termDuration": "P1M"}),
            800002,
        ),
    ] {
        partner
            .post(&carts, &json!({"lineItems": [item]}))
            .await
            .refused(StatusCode::BAD_REQUEST, code);
    }

    let cart = partner
        .post(&carts, &json!({"lineItems": [line(&premium, 5)]}))
        .await;
    assert_eq!(cart.status, StatusCode::CREATED, "{}", cart.body);
    assert_eq!(cart.body["status"], "Active");
    let created = time_of(&cart.body["creationTimestamp"]);
    let expires = time_of(&cart.body["expirationTimestamp"]);
    assert_eq!(expires - created, time::Duration::minutes(15));
    assert_eq!(cart.body["lineItems"][0]["currencyCode"], "USD");
    assert!(cart.body["lineItems"][0]["orderGroup"].is_string());
    assert!(cart.body["lastModifiedUser"].is_string());
    let cart_id = cart.body["id"].as_str().unwrap();

    let done = checkout(&partner, CONTOSO, cart_id).await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
    assert!(done.body.get("orderErrors").is_none_or(Value::is_null));
    let order = &done.body["orders"][0];
    assert_eq!(order["status"], "pending");
    assert_eq!(order["transactionType"], "UserPurchase");
    assert_eq!(order["referenceCustomerId"], CONTOSO);
    assert_eq!(order["billingCycle"], "monthly");
    let item = &order["lineItems"][0];
    assert_eq!(
        (item["offerId"].as_str(), item["quantity"].as_u64()),
        (Some(premium.as_str()), Some(5))
    );
    assert_eq!(item["transactionType"], "New");
    assert_eq!(item["termDuration"], "P1M");
    let order_id = order["id"].as_str().unwrap();
    let subscription_id = item["subscriptionId"].as_str().unwrap().to_owned();

    let pending = partner
        .get(&format!("/customers/{CONTOSO}/orders/{order_id}"))
        .await;
    assert_eq!(pending.body["status"], "pending");
    completed(&partner, CONTOSO, order_id).await;
    let listed = partner.get(&format!("/customers/{CONTOSO}/orders")).await;
    assert!(
        listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == order_id && o["status"] == "completed")
    );

    let subscription = partner
        .get(&subscriptions(&format!("/{subscription_id}")))
        .await;
    assert_eq!(subscription.status, StatusCode::OK, "{}", subscription.body);
    assert_eq!(subscription.body["offerId"], premium.as_str());
    assert_eq!(subscription.body["quantity"], 5);
    assert_eq!(subscription.body["status"], "active");
    assert_eq!(subscription.body["orderId"], order_id);
    assert_eq!(
        prepaid_units(&sandbox, CONTOSO, PREMIUM_SKU).await,
        seats + 5
    );

    // A cart is checked out once.
    checkout(&partner, CONTOSO, cart_id)
        .await
        .refused(StatusCode::BAD_REQUEST, 800065);
    // Buying the offer again adds licences to the subscription.
    let more = premium_cart(&partner, CONTOSO, 2).await;
    let again = checkout(&partner, CONTOSO, &more).await;
    let second = again.body["orders"][0]["id"].as_str().unwrap();
    assert_eq!(
        again.body["orders"][0]["lineItems"][0]["subscriptionId"],
        subscription_id.as_str()
    );
    completed(&partner, CONTOSO, second).await;
    let grown = partner
        .get(&subscriptions(&format!("/{subscription_id}")))
        .await;
    assert_eq!(grown.body["quantity"], 7);
    assert_eq!(
        prepaid_units(&sandbox, CONTOSO, PREMIUM_SKU).await,
        seats + 7
    );
}

fn time_of(value: &Value) -> time::OffsetDateTime {
    let text = value.as_str().unwrap();
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
}

#[tokio::test]
async fn a_timed_out_checkout_retried_with_its_request_id_places_one_order() {
    let sandbox = Sandbox::start().await;
    let partner = Partner::new(&sandbox).await;
    let cart = premium_cart(&partner, CONTOSO, 3).await;
    let before = all_orders(&sandbox).await.len();
    settings(&sandbox, json!({"timeoutNextCheckout": true})).await;

    let request_id = "2c5827c1-d5f9-4835-cc6d-f1918b782c79";
    let path = checkout_path(CONTOSO, &cart);
    let timed_out = partner
        .request(Method::POST, &path)
        .header("MS-RequestId", request_id)
        .timeout(Duration::from_millis(800))
        .send()
        .await;
    assert!(timed_out.unwrap_err().is_timeout());

    let retried = partner
        .request(Method::POST, &path)
        .header("MS-RequestId", request_id)
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    let retried = answer(retried).await;
    assert_eq!(retried.status, StatusCode::CREATED, "{}", retried.body);
    let order = retried.body["orders"][0]["id"].as_str().unwrap().to_owned();
    let orders = all_orders(&sandbox).await;
    assert_eq!(orders.len(), before + 1);
    assert!(orders.iter().any(|o| o["id"] == order.as_str()));

    // Again the same answer; a new request id finds the cart checked out.
    let third = partner
        .send(Method::POST, &path, None, &[("MS-RequestId", request_id)])
        .await;
    assert_eq!(third.body, retried.body);
    partner
        .send(
            Method::POST,
            &path,
            None,
            &[("MS-RequestId", "0b8f3c52-6f1e-4d9a-8a7e-3c2d1e0f9a8b")],
        )
        .await
        .refused(StatusCode::BAD_REQUEST, 800065);
    assert_eq!(all_orders(&sandbox).await.len(), before + 1);
}

#[tokio::test]
async fn without_inventory_no_order_is_placed() {
    let sandbox = Sandbox::start().await;
    let partner = Partner::new(&sandbox).await;
    let premium = offer_id(&partner, "Power Automate Premium").await;
    let cart = premium_cart(&partner, CONTOSO, 3).await;
    let before = all_orders(&sandbox).await.len();
    settings(&sandbox, json!({"inventoryAvailable": false})).await;

    let done = checkout(&partner, CONTOSO, &cart).await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
    assert_eq!(done.body["orders"], json!([]));
    let error = &done.body["orderErrors"][0];
    assert_eq!(error["code"], 2093);
    assert_eq!(error["description"], "Inventory is not available.");
    assert!(error["orderGroupId"].is_string());

    let direct = json!({"billingCycle": "monthly",
        "lineItems": [{"lineItemNumber": 0, "offerId": premium, "quantity": 3}]});
    let orders = format!("/customers/{CONTOSO}/orders");
    partner
        .post(&orders, &direct)
        .await
        .refused(StatusCode::BAD_REQUEST, 2093);
    assert_eq!(all_orders(&sandbox).await.len(), before);

    // With inventory again, the same cart and a direct order are ordered.
    settings(&sandbox, json!({"inventoryAvailable": true})).await;
    let done = checkout(&partner, CONTOSO, &cart).await;
    assert_eq!(done.body["orders"][0]["status"], "pending");
    let placed = partner.post(&orders, &direct).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    assert_eq!(placed.body["lineItems"][0]["termDuration"], "P1Y");
    let misnumbered = json!({"billingCycle": "monthly",
        "lineItems": [{"lineItemNumber": 1, "offerId": premium, "quantity": 3}]});
    partner
        .post(&orders, &misnumbered)
        .await
        .refused(StatusCode::BAD_REQUEST, 800071);
    assert_eq!(all_orders(&sandbox).await.len(), before + 2);
}

#[tokio::test]
async fn expired_carts_and_customers_without_the_agreement_are_refused() {
    let sandbox = Sandbox::start().await;
    let partner = Partner::new(&sandbox).await;

    // A new customer (a new tenant) has not accepted the Microsoft Customer Agreement, and
    // the partner's app alone cannot confirm it (App+User only).
    let newco = partner
        .post("/customers", &new_customer("newco.example", "NewCo"))
        .await;
    assert_eq!(newco.status, StatusCode::CREATED, "{}", newco.body);
    let newco = newco.body["id"].as_str().unwrap().to_owned();
    let cart = premium_cart(&partner, &newco, 1).await;
    checkout(&partner, &newco, &cart)
        .await
        .refused(StatusCode::FORBIDDEN, 13605);
    agree(&partner, &newco)
        .await
        .refused(StatusCode::FORBIDDEN, 600008);
    // Northwind's administrator accepts the invitation, and the agreement with it.
    sandbox
        .flow_post(
            "/_sandbox/partner-center/accept",
            &json!({"tenant": NORTHWIND}),
        )
        .await;
    let cart = premium_cart(&partner, NORTHWIND, 1).await;
    let done = checkout(&partner, NORTHWIND, &cart).await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);

    // Fifteen minutes on, a cart can no longer be checked out.
    let stale = premium_cart(&partner, CONTOSO, 1).await;
    sandbox
        .control("/_sandbox/clock", json!({"offset_seconds": 16 * 60}))
        .await;
    let why = checkout(&partner, CONTOSO, &stale)
        .await
        .refused(StatusCode::BAD_REQUEST, 800002)
        .to_owned();
    assert!(why.contains("expired"), "{why}");
    checkout(&partner, CONTOSO, "no-such-cart")
        .await
        .refused(StatusCode::NOT_FOUND, 800008);
}
