//! An organisation's admin sees the flows listening to its events on `/settings/flows`, with
//! their latest deliveries, and removes one.

use crate::callbacks::Callbacks;
use crate::support::{ADELE, ALEX, spawn};
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn the_admin_sees_each_flows_subscription_and_its_deliveries_and_removes_one() {
    let app = spawn().await;
    let callbacks = Callbacks::start().await;
    let alex = app.rest(ALEX).await;
    let callback = format!("{}/workflows/flow-7/triggers/manual", callbacks.url("seen"));
    let made = alex
        .post(
            "/api/v1/hooks/ticket-created",
            json!({ "callbackUrl": callback }),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED);
    let id = made.body["id"].as_i64().unwrap();
    let (account, _) = app.first_records(domain::demo::CONTOSO).await;
    alex.post(
        &format!("/api/v1/accounts/{account}/tickets"),
        json!({"title": "Seen by a flow"}),
    )
    .await;
    callbacks.taken("seen", 1, Duration::from_secs(10)).await;
    let kept = alex
        .post(
            "/api/v1/hooks/comment-added",
            json!({ "callbackUrl": "https://flows.example/workflows/flow-8/triggers/manual" }),
        )
        .await;
    let id_kept = kept.body["id"].as_i64().unwrap();
    let contoso = domain::TenantId::parse(domain::demo::CONTOSO).unwrap();

    let adele = app.browser_with(&app.sign_in(ADELE).await);
    let page = adele.page("/settings/flows").await;
    assert!(page.contains("data-testid=\"flow-hooks\""));
    for (flow, trigger) in [
        ("flow-7", "When a ticket is created"),
        ("flow-8", "When a comment is added"),
    ] {
        assert!(page.contains(flow), "the flow, by its workflow id");
        assert!(page.contains(trigger), "which trigger");
    }
    assert!(page.contains("Alex Wilber"), "whose connection");
    let deliveries = page.split("data-testid=\"deliveries\"").nth(1).unwrap();
    assert!(
        deliveries.contains("data-state=\"delivered\""),
        "the delivery"
    );
    assert!(page.contains(&format!("data-hook=\"{id}\"")));

    // Alex is no admin: the remove form is refused to him.
    let alex_browser = app.browser_with(&app.sign_in(ALEX).await);
    let path = format!("/settings/flows/hooks/{id_kept}/remove");
    let csrf = alex_browser.csrf("/accounts").await;
    let refused = alex_browser
        .post_form(&path, &[("csrf_token", &csrf)])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let csrf = adele.csrf("/settings/flows").await;
    let removed = adele.post_form(&path, &[("csrf_token", &csrf)]).await;
    assert!(removed.status().is_redirection());
    let page = adele.page("/settings/flows").await;
    assert!(page.contains("The subscription was removed"));
    assert!(!page.contains(&format!("data-hook=\"{id_kept}\"")));
    let left = app.db.scope(&contoso).subscriptions().await.unwrap();
    assert_eq!(left.iter().map(|s| s.id).collect::<Vec<_>>(), [id]);
    let csrf = adele.csrf("/settings/flows").await;
    adele.post_form(&path, &[("csrf_token", &csrf)]).await;
    assert!(adele.page("/settings/flows").await.contains("already gone"));
}
