//! Selling through the marketplace, over real HTTP between Flowhost and the sandbox's
//! marketplace: a purchase landed, confirmed and admitted, and the webhook's authentication
//! and idempotency. The changes that follow are in `marketplace_changes`.

use crate::support::*;
use domain::TenantId;
use domain::plan::Access;
use domain::subscription::SubscriptionStatus;
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use std::time::Duration;

pub const NORA: &str = "nora@northwind.example";
pub const NILS: &str = "nils@northwind.example";
/// A personal Microsoft account.
const SAM: &str = "sam@outlook.example";
/// Northwind Traders, not admitted until it buys.
pub(crate) const NORTHWIND: &str = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";

/// A sandbox marketplace control; its JSON answer.
pub async fn market(app: &TestApp, path: &str, body: Value) -> Value {
    post_control(&app.flow, &format!("marketplace/{path}"), body).await
}

/// Nora buys `plan`: the subscription's id and the landing page's path with its token.
pub async fn buy(app: &TestApp, plan: &str, quantity: u32, trial: bool) -> (String, String) {
    let bought = market(
        app,
        "buy",
        json!({"purchaser": NORA, "planId": plan, "quantity": quantity, "freeTrial": trial}),
    )
    .await;
    let url = bought["landingUrl"].as_str().unwrap();
    let path = url
        .strip_prefix(&app.base)
        .expect("the landing page is Flowhost's");
    (
        bought["subscriptionId"].as_str().unwrap().to_owned(),
        path.to_owned(),
    )
}

/// The value of the hidden field `name` in the page's form.
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// Nora arrives at the landing page, signs in, and confirms; her browser and the page after.
pub async fn land_and_confirm(app: &TestApp, landing: &str) -> (Browser, String) {
    let browser = app.browser();
    let first = browser.get(landing).await;
    assert_eq!(location(&first), login_redirect(landing));
    let callback = browser.sign_in_as(NORA, landing).await;
    assert_eq!(location(&callback.response), landing);
    let page = browser.page(landing).await;
    let fields = [
        ("token", hidden(&page, "token")),
        ("csrf_token", hidden(&page, "csrf_token")),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = browser.post_form("/marketplace/landing", &fields).await;
    assert_eq!(done.status(), StatusCode::OK);
    let text = done.text().await.unwrap();
    (browser, text)
}

pub(crate) fn northwind() -> TenantId {
    TenantId::parse(NORTHWIND).unwrap()
}

/// Waits until `check` holds of Northwind's subscription, for up to fifteen seconds.
pub async fn until(
    app: &TestApp,
    id: &str,
    what: &str,
    check: impl Fn(&domain::subscription::Subscription) -> bool,
) {
    for _ in 0..300 {
        if let Some(s) = app.db.subscription(id).await.unwrap()
            && check(&s)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}: {:?}", app.db.subscription(id).await.unwrap());
}

pub(crate) async fn history(app: &TestApp, id: &str) -> Vec<(String, String)> {
    app.db
        .subscription_events(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.source))
        .collect()
}

/// The operation `op` of subscription `id` as the marketplace tells the publisher.
pub(crate) async fn operation(app: &TestApp, id: &str, op: &str) -> Value {
    let token = publisher_token(app).await;
    reqwest::Client::new()
        .get(format!(
            "{}/api/saas/subscriptions/{id}/operations/{op}?api-version=2018-08-31",
            app.flow
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

pub(crate) async fn publisher_token(app: &TestApp) -> String {
    let answer: Value = reqwest::Client::new()
        .post(format!(
            "{}/{}/oauth2/v2.0/token",
            app.sandbox,
            sandbox::ISV_TENANT_ID
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", sandbox::CLIENT_ID),
            ("client_secret", sandbox::CLIENT_SECRET),
            ("scope", "20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"].as_str().unwrap().to_owned()
}

/// A page as a browser asks for it.
pub(crate) async fn html(browser: &Browser, path: &str) -> (StatusCode, String) {
    let response = browser
        .client
        .get(format!("{}{path}", browser.base()))
        .header(header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_purchase_is_confirmed_on_the_landing_page_and_admits_its_organisation() {
    let app = spawn().await;
    let (id, landing) = buy(&app, "standard", 5, true).await;
    let browser = app.browser();
    let callback = browser.sign_in_as(NORA, &landing).await;
    assert_eq!(
        location(&callback.response),
        landing,
        "the purchaser is let through to the page"
    );
    assert_eq!(
        browser.me().await,
        Err(StatusCode::UNAUTHORIZED),
        "but not into Flowhost"
    );
    let page = browser.page(&landing).await;
    for shown in [
        "Confirm your purchase",
        "Standard",
        "5 people a month",
        "Yes, one month",
        NORA,
        "flowhost-desk",
    ] {
        assert!(page.contains(shown), "{shown} in {page}");
    }
    // A form that does not carry the session's token activates nothing.
    let token = hidden(&page, "token");
    let forged = browser
        .post_form(
            "/marketplace/landing",
            &[("token", &token), ("csrf_token", "forged")],
        )
        .await;
    assert_eq!(location(&forged), landing);
    assert!(app.db.subscription(&id).await.unwrap().is_none());
    assert_eq!(app.db.standing(&northwind()).await.unwrap(), None);

    let csrf = hidden(&page, "csrf_token");
    let done = browser
        .post_form(
            "/marketplace/landing",
            &[("token", &token), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(
        done.text()
            .await
            .unwrap()
            .contains("Your organisation is set up")
    );
    let fulfilled = app.db.subscription(&id).await.unwrap().unwrap();
    assert_eq!(fulfilled.status, SubscriptionStatus::Subscribed);
    assert_eq!(
        (
            fulfilled.plan_id.as_str(),
            fulfilled.quantity,
            fulfilled.free_trial
        ),
        ("standard", Some(5), true)
    );
    let standing = app.db.standing(&northwind()).await.unwrap().unwrap();
    assert_eq!(standing.access, Access::Subscribed);

    // Opened again from "Manage SaaS experience": the subscription, not a second activation.
    let again = browser.page(&landing).await;
    assert!(again.contains("Your Flowhost subscription"), "{again}");
    assert!(!again.contains("Confirm and start"));
    assert_eq!(
        history(&app, &id).await,
        [("Activate".to_owned(), "landing".to_owned())]
    );

    // Northwind's people sign in; the purchaser is its admin.
    let nora = signed_in(&app, NORA).await;
    let me = nora.me().await.unwrap();
    assert_eq!(me["roles"], json!(["Flowhost.TenantAdmin"]));
    assert_eq!(nora.get("/accounts").await.status(), StatusCode::OK);
    let nils = signed_in(&app, NILS).await;
    assert_eq!(nils.me().await.unwrap()["roles"], json!([]));
    assert_eq!(nils.get("/accounts").await.status(), StatusCode::OK);
    let settings = nora.page("/settings").await;
    assert!(settings.contains("2 of 5 used this month"), "{settings}");

    // A token the marketplace does not know gets the designed page.
    let (status, page) = html(&nora, "/marketplace/landing?token=bm90LWEtdG9rZW4%3D").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("This purchase link has expired"), "{page}");
}

#[tokio::test]
async fn the_webhook_takes_only_the_marketplaces_calls_and_each_operation_once() {
    let app = spawn().await;
    let body = json!({"id": "0a1b2c3d-0000-4000-8000-000000000001", "subscriptionId": "5f2c7a1e-0000-4000-8000-000000000009",
        "action": "Suspend", "status": "Succeeded"});
    let call = |token: Option<String>, body: Value| {
        let mut request = reqwest::Client::new()
            .post(format!("{}/marketplace/webhook", app.base))
            .json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let token = |spoil: Option<&'static str>| {
        let app = &app;
        async move {
            let body = spoil.map_or(json!({}), |s| json!({"spoil": s}));
            market(app, "webhook-token", body).await["token"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    assert_eq!(
        call(None, body.clone()).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    for spoil in ["aud", "tid", "appid", "expired", "signature"] {
        let answer = call(Some(token(Some(spoil)).await), body.clone())
            .await
            .unwrap();
        assert_eq!(
            answer.status(),
            StatusCode::UNAUTHORIZED,
            "a token with its {spoil} wrong"
        );
    }
    assert_eq!(
        app.db
            .operation_state("0a1b2c3d-0000-4000-8000-000000000001")
            .await
            .unwrap(),
        None
    );

    let good = token(None).await;
    let answer = call(Some(good.clone()), json!("not an object"))
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        call(Some(good.clone()), body.clone())
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        call(Some(good), body).await.unwrap().status(),
        StatusCode::OK,
        "replayed"
    );
    // Read back from the marketplace, which knows no such operation: not acted on.
    for _ in 0..100 {
        if app
            .db
            .operation_state("0a1b2c3d-0000-4000-8000-000000000001")
            .await
            .unwrap()
            .as_deref()
            == Some("done")
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the queued operation was not carried out");
}

#[tokio::test]
async fn a_personal_account_on_the_landing_page_is_asked_for_a_work_account() {
    let app = spawn().await;
    let (_, landing) = buy(&app, "standard", 5, false).await;
    let browser = app.browser();
    let authorize = browser.start_sign_in(&landing).await;
    assert!(
        authorize.contains("/common/oauth2/v2.0/authorize"),
        "{authorize}"
    );
    let callback = browser.get(&browser.pick(&authorize, SAM).await).await;
    assert_eq!(callback.status(), StatusCode::FORBIDDEN);
    let page = callback.text().await.unwrap();
    assert!(
        page.contains("A work or school account is needed"),
        "{page}"
    );
    assert_eq!(browser.me().await, Err(StatusCode::UNAUTHORIZED));
    // Everywhere else Flowhost asks for work accounts only.
    let elsewhere = browser.start_sign_in("/accounts").await;
    assert!(
        elsewhere.contains("/organizations/oauth2/v2.0/authorize"),
        "{elsewhere}"
    );
    let picker = browser.get(&elsewhere).await.text().await.unwrap();
    assert!(!picker.contains(SAM), "{picker}");
}

#[tokio::test]
async fn someone_signed_in_on_the_browser_before_gives_way_to_the_purchaser() {
    let app = spawn().await;
    let (_, landing) = buy(&app, "standard", 5, false).await;
    let browser = signed_in(&app, ALEX).await;
    let page = browser.page(&landing).await;
    assert!(
        page.contains("This purchase is for another organisation"),
        "{page}"
    );
    // "Sign in with another account", as the purchaser.
    let authorize = location(
        &browser
            .get(&format!(
                "/auth/login?reconnect=true&return_to={}",
                url::form_urlencoded::byte_serialize(landing.as_bytes()).collect::<String>()
            ))
            .await,
    );
    let callback = browser.get(&browser.pick(&authorize, NORA).await).await;
    assert_eq!(location(&callback), landing);
    let page = browser.page(&landing).await;
    assert!(
        page.contains("Confirm your purchase") && page.contains(NORA),
        "{page}"
    );
    assert_eq!(
        browser.me().await,
        Err(StatusCode::UNAUTHORIZED),
        "Alex is signed out"
    );
}

#[tokio::test]
async fn a_landing_token_past_its_day_gets_the_designed_page() {
    let app = spawn().await;
    let (id, landing) = buy(&app, "standard", 5, false).await;
    let browser = app.browser();
    browser.sign_in_as(NORA, &landing).await;
    // A day and an hour later on the marketplace's clock.
    control(&app, "clock", json!({ "offset_seconds": 25 * 3600 })).await;
    let (status, page) = html(&browser, &landing).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("This purchase link has expired"), "{page}");
    assert!(app.db.subscription(&id).await.unwrap().is_none());
}
