//! A subscription's licence count changed as Partner Center changes it: the whole resource
//! back with a new quantity, under `If-Match` with its current etag; Graph's seats follow.

use super::*;
use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::Value;

const CONTOSO_E3: &str = "5e3c0a7f-0e30-4e3a-9c40-0000000e3040";

#[tokio::test]
async fn the_licence_count_changes_under_the_current_etag() {
    let sandbox = Sandbox::start().await;
    let partner = Partner::new(&sandbox).await;
    let path = format!("/customers/{CONTOSO}/subscriptions/{CONTOSO_E3}");

    let listed = partner
        .get(&format!("/customers/{CONTOSO}/subscriptions"))
        .await;
    assert_eq!(listed.body["attributes"]["objectType"], "Collection");
    let e3 = offer_id(&partner, "Office 365 E3").await;
    let items = listed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only Office 365 E3, no Power Automate");
    assert_eq!(items[0]["offerId"], e3.as_str());

    let read = partner.get(&path).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let sub = read.body.clone();
    assert_eq!(sub["quantity"], 40);
    assert_eq!(sub["offerName"], "Office 365 E3");
    assert_eq!(sub["billingType"], "license");
    assert_eq!(sub["contractType"], "subscription");
    assert_eq!(sub["attributes"]["objectType"], "Subscription");
    let etag = sub["attributes"]["etag"].as_str().unwrap().to_owned();
    assert_eq!(read.header("etag"), Some(format!("\"{etag}\"").as_str()));
    let seats = prepaid_units(&sandbox, CONTOSO, E3_SKU).await;
    // Bought before the sandbox started: its order is in Contoso's history, and not among
    // the orders placed since.
    let bought = partner
        .get(&format!(
            "/customers/{CONTOSO}/orders/{}",
            sub["orderId"].as_str().unwrap()
        ))
        .await;
    assert_eq!(bought.body["status"], "completed", "{}", bought.body);
    assert!(all_orders(&sandbox).await.is_empty());

    let mut changed = sub.clone();
    changed["quantity"] = 45.into();
    let patch = |body: Value, if_match: Option<String>, request: String| {
        let partner = &partner;
        let path = path.clone();
        async move {
            let mut headers = vec![("MS-RequestId", request)];
            if let Some(tag) = if_match {
                headers.push(("If-Match", tag));
            }
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            partner
                .send(Method::PATCH, &path, Some(&body), &headers)
                .await
        }
    };
    let fresh = || uuid::Uuid::new_v4().to_string();

    patch(changed.clone(), None, fresh())
        .await
        .refused(StatusCode::BAD_REQUEST, 800002);
    patch(changed.clone(), Some("\"c3RhbGU=\"".into()), fresh())
        .await
        .refused(StatusCode::PRECONDITION_FAILED, 2055);
    let partial = serde_json::json!({"quantity": 45});
    let why = patch(partial, Some(format!("\"{etag}\"")), fresh())
        .await
        .refused(StatusCode::BAD_REQUEST, 800002)
        .to_owned();
    assert!(why.contains("status"), "{why}");
    let mut zero = sub.clone();
    zero["quantity"] = 0.into();
    patch(zero, Some(format!("\"{etag}\"")), fresh())
        .await
        .refused(StatusCode::BAD_REQUEST, 2002);
    assert_eq!(prepaid_units(&sandbox, CONTOSO, E3_SKU).await, seats);

    let request = fresh();
    let done = patch(
        changed.clone(),
        Some(format!("\"{etag}\"")),
        request.clone(),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["quantity"], 45);
    let new_etag = done.body["attributes"]["etag"].as_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    assert_eq!(
        done.header("etag"),
        Some(format!("\"{new_etag}\"").as_str())
    );
    assert_eq!(prepaid_units(&sandbox, CONTOSO, E3_SKU).await, seats + 5);

    // The same request again: the same answer, and no second change.
    let repeated = patch(changed.clone(), Some(format!("\"{etag}\"")), request).await;
    assert_eq!(repeated.status, StatusCode::OK);
    assert_eq!(repeated.body, done.body);
    assert_eq!(prepaid_units(&sandbox, CONTOSO, E3_SKU).await, seats + 5);
    // The old etag is stale now.
    patch(changed, Some(format!("\"{etag}\"")), fresh())
        .await
        .refused(StatusCode::PRECONDITION_FAILED, 2055);

    // Ninety days after the purchase, licences can no longer be removed.
    let mut fewer = done.body.clone();
    fewer["quantity"] = 30.into();
    patch(fewer, Some(new_etag.clone()), fresh())
        .await
        .refused(StatusCode::BAD_REQUEST, 800090);
    assert_eq!(partner.get(&path).await.body["quantity"], 45);
    partner
        .get(&format!(
            "/customers/{CONTOSO}/subscriptions/no-such-subscription"
        ))
        .await
        .refused(StatusCode::NOT_FOUND, 20003);
}
