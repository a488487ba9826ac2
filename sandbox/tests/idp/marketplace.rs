//! The marketplace's SaaS Fulfillment API over real HTTP, with the publisher's app-only token:
//! a purchase's landing token resolved and activated, the publisher's changes with their
//! operations, and the real service's refusals and quirks.

/// Where the sandbox's calls to Flowhost go in these tests: nothing listens there.
pub(crate) const NOWHERE: &str = "http://127.0.0.1:9";

use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub(crate) const ISV: &str = "f1a0b0c7-4d2e-4f6a-8b3c-5d6e7f8091a2";
pub(crate) const MARKETPLACE: &str = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
pub(crate) const VERSION: &str = "api-version=2018-08-31";

/// The publisher's token for the marketplace, from its own tenant.
pub(crate) async fn publisher(sandbox: &Sandbox, tenant: &str) -> String {
    let scope = format!("{MARKETPLACE}/.default");
    let (status, body) = sandbox
        .token(
            tenant,
            &[("grant_type", "client_credentials"), ("scope", &scope)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

pub(crate) struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

pub(crate) async fn call(
    sandbox: &Sandbox,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = sandbox
        .http
        .request(method, format!("{}/api/saas/{path}", sandbox.flow));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let text = response.text().await.unwrap();
    Answer {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// The publisher calling the API with its token.
pub(crate) struct Publisher<'s> {
    sandbox: &'s Sandbox,
    token: String,
}

impl<'s> Publisher<'s> {
    pub(crate) fn new(sandbox: &'s Sandbox, token: &str) -> Self {
        Publisher {
            sandbox,
            token: token.to_owned(),
        }
    }

    /// Nora's purchase of `plan`, resolved and activated: the subscription's id.
    pub(crate) async fn subscribed(&self, plan: &str, quantity: u32) -> String {
        let landing = buy(self.sandbox, plan, quantity, false).await;
        let token = landing_token(&landing);
        let headers = [("x-ms-marketplace-token", token.as_str())];
        let path = format!("subscriptions/resolve?{VERSION}");
        let resolved = call(
            self.sandbox,
            Method::POST,
            &path,
            Some(&self.token),
            None,
            &headers,
        )
        .await;
        let id = resolved.body["id"].as_str().unwrap().to_owned();
        let path = format!("subscriptions/{id}/activate?{VERSION}");
        let activated = self
            .send(Method::POST, &path, Some(json!({"planId": plan})))
            .await;
        assert_eq!(activated.status, StatusCode::OK);
        id
    }

    /// `method` on `path` (under `/api/saas/`, with its query) with the publisher's token.
    pub(crate) async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        call(self.sandbox, method, path, Some(&self.token), body, &[]).await
    }
}

/// Nora of Northwind buys `plan`; the landing page's URL.
pub(crate) async fn buy(sandbox: &Sandbox, plan: &str, quantity: u32, trial: bool) -> String {
    let response = sandbox
        .http
        .post(format!("{}/_sandbox/marketplace/buy", sandbox.flow))
        .json(
            &json!({"purchaser": "nora@northwind.example", "planId": plan,
            "quantity": quantity, "freeTrial": trial}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bought: Value = response.json().await.unwrap();
    bought["landingUrl"].as_str().unwrap().to_owned()
}

/// The token as the landing page reads it from its query, decoded.
pub(crate) fn landing_token(url: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "token")
        .unwrap()
        .1
        .into_owned()
}

pub(crate) async fn control(sandbox: &Sandbox, path: &str, body: Value) -> StatusCode {
    sandbox
        .http
        .post(format!("{}/_sandbox/marketplace/{path}", sandbox.flow))
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
}

/// The operation at `location`, once it is no longer in progress.
pub(crate) async fn settled(sandbox: &Sandbox, token: &str, location: &str) -> Value {
    for _ in 0..100 {
        let body: Value = sandbox
            .http
            .get(location)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if body["status"] != "InProgress" {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the operation stayed in progress");
}

#[tokio::test]
async fn only_the_publisher_calls_and_every_call_names_the_api_version() {
    let sandbox = Sandbox::start_for(NOWHERE).await;
    let token = publisher(&sandbox, ISV).await;
    let market = Publisher::new(&sandbox, &token);
    let none = market.send(Method::GET, "subscriptions", None).await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert_eq!(none.body["Error"]["Code"], "ApiVersionUnspecified");
    let old = market
        .send(Method::GET, "subscriptions?api-version=2017-01-01", None)
        .await;
    assert_eq!(old.body["Error"]["Code"], "UnsupportedApiVersion");
    let anonymous = call(
        &sandbox,
        Method::GET,
        &format!("subscriptions?{VERSION}"),
        None,
        None,
        &[],
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    // Flowhost's app, but in a customer's tenant: not the offer's publisher.
    let contoso = publisher(&sandbox, CONTOSO).await;
    let foreign = call(
        &sandbox,
        Method::GET,
        &format!("subscriptions?{VERSION}"),
        Some(&contoso),
        None,
        &[],
    )
    .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    let listed = call(
        &sandbox,
        Method::GET,
        &format!("subscriptions?{VERSION}"),
        Some(&token),
        None,
        &[("x-ms-requestid", "7f1c0000-0000-4000-8000-000000000001")],
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body, json!({"subscriptions": []}));
    assert_eq!(
        listed.headers["x-ms-requestid"],
        "7f1c0000-0000-4000-8000-000000000001"
    );
    assert!(listed.headers.contains_key("x-ms-correlationid"));
}

#[tokio::test]
async fn a_purchase_is_resolved_activated_and_changed_by_the_publisher() {
    let sandbox = Sandbox::start_for(NOWHERE).await;
    let token = publisher(&sandbox, ISV).await;
    let market = Publisher::new(&sandbox, &token);
    let landing = buy(&sandbox, "standard", 10, true).await;
    assert!(landing.starts_with(&format!("{NOWHERE}/marketplace/landing?token=")));
    assert!(
        landing.contains("%2B") || landing.contains("%2F"),
        "{landing}"
    );
    let decoded = landing_token(&landing);

    let resolve = |t: Option<String>| {
        let headers: Vec<(&str, String)> = t
            .into_iter()
            .map(|t| ("x-ms-marketplace-token", t))
            .collect();
        let (sandbox, token) = (&sandbox, token.clone());
        async move {
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            call(
                sandbox,
                Method::POST,
                &format!("subscriptions/resolve?{VERSION}"),
                Some(&token),
                None,
                &headers,
            )
            .await
        }
    };
    let missing = resolve(None).await;
    assert_eq!(
        (missing.status, missing.body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("HeaderNotPresent"))
    );
    assert_eq!(missing.body["target"], "x-ms-marketplace-token");
    let encoded = landing.split("token=").nth(1).unwrap().to_owned();
    assert_eq!(resolve(Some(encoded)).await.body["code"], "InvalidValue");
    let resolved = resolve(Some(decoded)).await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.body);
    assert_eq!(resolved.body["planId"], "standard");
    assert_eq!(resolved.body["quantity"], 10);
    let s = &resolved.body["subscription"];
    assert_eq!(s["saasSubscriptionStatus"], "PendingFulfillmentStart");
    assert_eq!(s["isFreeTrial"], true);
    assert_eq!(
        s["beneficiary"]["tenantId"],
        "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"
    );
    let id = resolved.body["id"].as_str().unwrap().to_owned();

    let path = |rest: &str| format!("subscriptions/{id}{rest}?{VERSION}");
    let activated = market
        .send(
            Method::POST,
            &path("/activate"),
            Some(json!({"planId": "standard"})),
        )
        .await;
    assert_eq!(activated.status, StatusCode::OK);
    let again = market
        .send(
            Method::POST,
            &path("/activate"),
            Some(json!({"planId": "standard"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    let read = market.send(Method::GET, &path(""), None).await;
    assert_eq!(read.body["saasSubscriptionStatus"], "Subscribed");
    assert!(read.body["term"]["startDate"].is_string());
    let plans = market
        .send(Method::GET, &path("/listAvailablePlans"), None)
        .await;
    assert_eq!(plans.body["plans"].as_array().unwrap().len(), 3);

    let both = market
        .send(
            Method::PATCH,
            &path(""),
            Some(json!({"planId": "enterprise", "quantity": 3})),
        )
        .await;
    assert!(
        both.body["message"]
            .as_str()
            .unwrap()
            .contains("more than one field"),
        "{}",
        both.body
    );
    let same = market
        .send(
            Method::PATCH,
            &path(""),
            Some(json!({"planId": "standard"})),
        )
        .await;
    assert!(
        same.body["message"]
            .as_str()
            .unwrap()
            .contains("two different plans")
    );
    let many = market
        .send(
            Method::PATCH,
            &path(""),
            Some(json!({"quantity": 2_000_000})),
        )
        .await;
    assert!(many.body["message"].as_str().unwrap().contains("1000000"));
    let seats = market
        .send(Method::PATCH, &path(""), Some(json!({"quantity": "25"})))
        .await;
    assert_eq!(seats.status, StatusCode::ACCEPTED);
    let location = seats.headers["operation-location"]
        .to_str()
        .unwrap()
        .to_owned();
    let locked = market
        .send(Method::PATCH, &path(""), Some(json!({"quantity": 30})))
        .await;
    assert!(
        locked.body["message"]
            .as_str()
            .unwrap()
            .contains("locked due to pending operations")
    );
    let done = settled(&sandbox, &token, &location).await;
    assert_eq!(
        (done["status"].as_str(), done["action"].as_str()),
        (Some("Succeeded"), Some("ChangeQuantity"))
    );
    let read = market.send(Method::GET, &path(""), None).await;
    assert_eq!(read.body["quantity"], 25);
    // A publisher's own operation is not acknowledged: the service answers 500.
    let op = done["id"].as_str().unwrap();
    let patched = market
        .send(
            Method::PATCH,
            &path(&format!("/operations/{op}")),
            Some(json!({"status": "Success"})),
        )
        .await;
    assert_eq!(patched.status, StatusCode::INTERNAL_SERVER_ERROR);
    let unknown = market
        .send(
            Method::GET,
            &path("/operations/00000000-0000-4000-8000-000000000000"),
            None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let nobody = market
        .send(
            Method::GET,
            &format!("subscriptions/00000000-0000-4000-8000-000000000000/operations?{VERSION}"),
            None,
        )
        .await;
    assert_eq!(nobody.body, json!({"operations": []}));
}
