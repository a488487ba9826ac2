//! The customer's side of the marketplace over real HTTP: changes that wait for the publisher's
//! answer, the calls to the publisher's webhook with the marketplace's token, and the page that
//! buys.

use crate::marketplace::*;
use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn the_customers_changes_wait_for_the_publishers_answer() {
    let sandbox = Sandbox::start_for(NOWHERE).await;
    let token = publisher(&sandbox, ISV).await;
    let market = Publisher::new(&sandbox, &token);
    let id = market.subscribed("standard", 5).await;
    let path = |rest: &str| format!("subscriptions/{id}{rest}?{VERSION}");

    assert_eq!(
        control(
            &sandbox,
            &format!("subscriptions/{id}/changePlan"),
            json!({"planId": "enterprise"})
        )
        .await,
        StatusCode::OK
    );
    let pending = market.send(Method::GET, &path("/operations"), None).await;
    let op = pending.body["operations"][0].clone();
    assert_eq!(
        (op["action"].as_str(), op["status"].as_str()),
        (Some("ChangePlan"), Some("InProgress"))
    );
    assert_eq!(op["operationRequestSource"], "Azure");
    let op = op["id"].as_str().unwrap().to_owned();
    let ack = market
        .send(
            Method::PATCH,
            &path(&format!("/operations/{op}")),
            Some(json!({"status": "Success"})),
        )
        .await;
    assert_eq!(ack.status, StatusCode::OK);
    assert_eq!(
        market.send(Method::GET, &path(""), None).await.body["planId"],
        "enterprise"
    );
    let late = market
        .send(
            Method::PATCH,
            &path(&format!("/operations/{op}")),
            Some(json!({"status": "Success"})),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    // A flat-rate plan has no seats to change.
    let enterprise = market.send(Method::GET, &path(""), None).await;
    assert!(
        enterprise.body.get("quantity").is_none(),
        "{}",
        enterprise.body
    );
    let seats = market
        .send(Method::PATCH, &path(""), Some(json!({"quantity": 9})))
        .await;
    assert_eq!(seats.status, StatusCode::BAD_REQUEST);

    // Suspended at once; a reinstatement nobody answers stays in progress when the automatic
    // success is off.
    control(&sandbox, &format!("subscriptions/{id}/suspend"), json!({})).await;
    assert_eq!(
        market.send(Method::GET, &path(""), None).await.body["saasSubscriptionStatus"],
        "Suspended"
    );
    control(&sandbox, "settings", json!({"autoSuccess": false})).await;
    control(
        &sandbox,
        &format!("subscriptions/{id}/reinstate"),
        json!({}),
    )
    .await;
    let waiting = market.send(Method::GET, &path("/operations"), None).await;
    assert_eq!(waiting.body["operations"][0]["action"], "Reinstate");
    let op = waiting.body["operations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    market
        .send(
            Method::PATCH,
            &path(&format!("/operations/{op}")),
            Some(json!({"status": "Failure"})),
        )
        .await;
    assert_eq!(
        market.send(Method::GET, &path(""), None).await.body["saasSubscriptionStatus"],
        "Suspended"
    );

    control(
        &sandbox,
        &format!("subscriptions/{id}/unsubscribe"),
        json!({}),
    )
    .await;
    let ended = market.send(Method::GET, &path(""), None).await;
    assert_eq!(ended.body["saasSubscriptionStatus"], "Unsubscribed");
    let listed = market
        .send(Method::GET, &format!("subscriptions?{VERSION}"), None)
        .await;
    assert_eq!(
        listed.body["subscriptions"][0]["saasSubscriptionStatus"],
        "Unsubscribed"
    );
    let activate = market
        .send(
            Method::POST,
            &path("/activate"),
            Some(json!({"planId": "standard"})),
        )
        .await;
    assert_eq!(activate.status, StatusCode::NOT_FOUND);
}

/// A publisher's webhook that answers the statuses in `answers` in turn (then 200), keeping
/// each call's authorization and body.
async fn webhook(
    answers: Vec<u16>,
) -> (
    String,
    std::sync::Arc<std::sync::Mutex<Vec<(String, Value)>>>,
) {
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode as Status};
    type Calls = std::sync::Arc<std::sync::Mutex<Vec<(String, Value)>>>;
    let calls: Calls = Default::default();
    let answers = std::sync::Arc::new(std::sync::Mutex::new(answers));
    let app = axum::Router::new()
        .route(
            "/marketplace/webhook",
            axum::routing::post(
                |State((calls, answers)): State<(
                    Calls,
                    std::sync::Arc<std::sync::Mutex<Vec<u16>>>,
                )>,
                 headers: HeaderMap,
                 axum::Json(body): axum::Json<Value>| async move {
                    let auth = headers["authorization"].to_str().unwrap().to_owned();
                    calls.lock().unwrap().push((auth, body));
                    let mut answers = answers.lock().unwrap();
                    let status = if answers.is_empty() {
                        200
                    } else {
                        answers.remove(0)
                    };
                    Status::from_u16(status).unwrap()
                },
            ),
        )
        .with_state((calls.clone(), answers));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (origin, calls)
}

#[tokio::test]
async fn each_operation_reaches_the_publishers_webhook_signed_as_the_marketplace_and_retried() {
    let (origin, calls) = webhook(vec![500]).await;
    let sandbox = Sandbox::start_for(&origin).await;
    let token = publisher(&sandbox, ISV).await;
    let market = Publisher::new(&sandbox, &token);
    let id = market.subscribed("standard", 5).await;
    let landing = buy(&sandbox, "standard", 5, false).await;
    assert!(landing.starts_with(&format!("{origin}/marketplace/landing?token=")));

    control(
        &sandbox,
        &format!("subscriptions/{id}/changeQuantity"),
        json!({"quantity": 8}),
    )
    .await;
    for _ in 0..100 {
        if calls.lock().unwrap().len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let calls = calls.lock().unwrap().clone();
    assert_eq!(
        calls.len(),
        2,
        "the first call answered 500, so it was sent again"
    );
    let (authorization, body) = &calls[1];
    assert_eq!(
        (body["action"].as_str(), body["status"].as_str()),
        (Some("ChangeQuantity"), Some("InProgress"))
    );
    assert_eq!(body["subscriptionId"], id.as_str());
    assert_eq!(body["quantity"], 8);
    assert_eq!(body["subscription"]["id"], id.as_str());
    let bearer = authorization.strip_prefix("Bearer ").unwrap();
    sandbox.verify(bearer).await.unwrap();
    let (_, claims) = decode(bearer);
    assert_eq!(claims["aud"], sandbox::CLIENT_ID);
    assert_eq!(claims["tid"], ISV);
    assert_eq!(claims["appid"], MARKETPLACE);

    let spoiled: Value = sandbox
        .http
        .post(format!(
            "{}/_sandbox/marketplace/webhook-token",
            sandbox.flow
        ))
        .json(&json!({"spoil": "tid"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (_, claims) = decode(spoiled["token"].as_str().unwrap());
    assert_ne!(claims["tid"], ISV);
    assert_eq!(claims["aud"], sandbox::CLIENT_ID);
}

#[tokio::test]
async fn the_buy_page_sends_the_browser_to_the_landing_page_with_a_new_token() {
    let sandbox = Sandbox::start_for(NOWHERE).await;
    let page = format!("{}/_sandbox/marketplace", sandbox.flow);
    let form = sandbox
        .http
        .get(&page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("nora@northwind.example (Northwind Traders)"),
        "{form}"
    );
    assert!(form.contains("Standard, one month free"), "{form}");
    let bought = sandbox
        .http
        .post(&page)
        .form(&[
            ("purchaser", "nora@northwind.example"),
            ("planId", "standard"),
            ("quantity", "12"),
            ("freeTrial", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bought.status(), StatusCode::SEE_OTHER);
    let landing = location(&bought);
    let token = publisher(&sandbox, ISV).await;
    let resolved = call(
        &sandbox,
        Method::POST,
        &format!("subscriptions/resolve?{VERSION}"),
        Some(&token),
        None,
        &[("x-ms-marketplace-token", &landing_token(&landing))],
    )
    .await;
    assert_eq!(
        (
            resolved.body["quantity"].as_i64(),
            resolved.body["subscription"]["isFreeTrial"].as_bool()
        ),
        (Some(12), Some(true))
    );
    // A free trial of a plan without one is refused on the page.
    let refused = sandbox
        .http
        .post(&page)
        .form(&[
            ("purchaser", "nora@northwind.example"),
            ("planId", "widgets"),
            ("freeTrial", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("role=\"alert\""));
}
