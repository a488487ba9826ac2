//! Webhook triggers as Power Automate uses them: a flow subscribes its callback, Flowhost
//! posts each matching event to it (at least once, in order, retried), and the flow's delete
//! ends the subscription.

use crate::callbacks::{Answer, Callbacks};
use crate::rest_client::Rest;
use crate::support::{ADELE, ALEX, BIANCA, TestApp, spawn_adjusted};
use domain::demo::CONTOSO;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::Duration;

const SOON: Duration = Duration::from_secs(10);

/// Flowhost with deliveries retried after 20 ms (doubling) and callbacks given 300 ms.
async fn quick() -> TestApp {
    retried_after(Duration::from_millis(20)).await
}

async fn retried_after(base: Duration) -> TestApp {
    spawn_adjusted(
        |_| None,
        |config| {
            config.hook_timing = server::hooks::Timing {
                callback_timeout: Duration::from_millis(300),
                retry_base: base,
                ..Default::default()
            };
        },
    )
    .await
}

async fn subscribe(rest: &Rest, trigger: &str, callback: &str, account: Option<i64>) -> String {
    let mut body = json!({ "callbackUrl": callback });
    if let Some(account) = account {
        body["accountId"] = json!(account);
    }
    let made = rest.post(&format!("/api/v1/hooks/{trigger}"), body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    made.header("location").expect("the hook's address")
}

async fn accounts(app: &TestApp) -> (i64, i64) {
    let contoso = domain::TenantId::parse(CONTOSO).unwrap();
    let scope = app.db.scope(&contoso);
    let page = scope
        .accounts("", domain::PageRequest::new(1, 2))
        .await
        .unwrap();
    (page.items[0].id.0, page.items[1].id.0)
}

#[tokio::test]
async fn each_trigger_gets_its_events_on_its_account_until_the_flow_deletes_it() {
    let app = quick().await;
    let callbacks = Callbacks::start().await;
    let alex = app.rest(ALEX).await;
    let (first, second) = accounts(&app).await;
    let on_first = subscribe(
        &alex,
        "ticket-created",
        &callbacks.url("first"),
        Some(first),
    )
    .await;
    assert!(
        on_first.starts_with(&format!("{}/api/v1/hooks/", app.base)),
        "{on_first}"
    );
    subscribe(&alex, "ticket-created", &callbacks.url("all"), None).await;
    subscribe(
        &alex,
        "ticket-status-changed",
        &callbacks.url("status"),
        None,
    )
    .await;
    subscribe(&alex, "comment-added", &callbacks.url("comments"), None).await;

    let open = |account: i64, title: &'static str| {
        let alex = &alex;
        async move {
            let made = alex
                .post(
                    &format!("/api/v1/accounts/{account}/tickets"),
                    json!({ "title": title }),
                )
                .await;
            made.body["id"].as_i64().unwrap()
        }
    };
    let ticket = open(first, "On the first account").await;
    open(second, "On the second account").await;

    let all = callbacks.taken("all", 2, SOON).await;
    assert_eq!(all.len(), 2);
    let mine = callbacks.taken("first", 1, SOON).await;
    assert_eq!(mine.len(), 1, "only the first account's ticket");
    assert_eq!(mine[0].body["title"], "On the first account");
    assert_eq!(mine[0].body["eventType"], "ticket_created");
    assert_eq!(mine[0].body["eventId"], mine[0].event_id.as_str());
    assert_ne!(all[0].event_id, all[1].event_id);

    // A change on the ticket page (a person, not the API) is an event too.
    let browser = app.browser_with(&app.sign_in(ADELE).await);
    let path = format!("/accounts/{first}/tickets/{ticket}");
    let csrf = browser.csrf(&path).await;
    let saved = browser
        .post_form(
            &path,
            &[
                ("csrf_token", &csrf),
                ("status", "pending"),
                ("priority", "high"),
            ],
        )
        .await;
    assert!(saved.status().is_redirection());
    let status = callbacks.taken("status", 1, SOON).await;
    assert_eq!(status[0].body["status"], "pending");
    assert_eq!(status[0].body["previousStatus"], "open");
    assert_eq!(status[0].body["id"], ticket);

    alex.post(
        &format!("/api/v1/tickets/{ticket}/comments"),
        json!({"text": "Looked at it"}),
    )
    .await;
    let comments = callbacks.taken("comments", 1, SOON).await;
    assert_eq!(comments[0].body["text"], "Looked at it");
    assert_eq!(comments[0].body["accountId"], first);

    // Another user's delete of Alex's hook finds nothing; Alex's own ends it.
    let bianca = app.rest(BIANCA).await;
    let adele = app.rest(ADELE).await;
    for other in [&bianca, &adele] {
        let refused = other.send(Method::DELETE, &on_first, None, &[]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
    }
    let deleted = alex.send(Method::DELETE, &on_first, None, &[]).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let again = alex.send(Method::DELETE, &on_first, None, &[]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    open(first, "After the delete").await;
    callbacks.taken("all", 3, SOON).await;
    assert_eq!(
        callbacks.received("first").len(),
        1,
        "nothing after the delete"
    );
}

#[tokio::test]
async fn subscriptions_that_cannot_work_are_refused() {
    let app = quick().await;
    let alex = app.rest(ALEX).await;
    let refused = alex
        .post(
            "/api/v1/hooks/ticket-created",
            json!({"callbackUrl": "http://flows.example/callback"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.body["error"]["details"][0]["target"], "callbackUrl");
    let (fabrikam_account, _) = app.first_records(domain::demo::FABRIKAM).await;
    let foreign = alex
        .post(
            "/api/v1/hooks/ticket-created",
            json!({"callbackUrl": "https://flows.example/callback", "accountId": fabrikam_account.0}),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    for n in 0..domain::hook::SUBSCRIPTIONS_PER_USER {
        subscribe(
            &alex,
            "comment-added",
            &format!("https://flows.example/{n}"),
            None,
        )
        .await;
    }
    let one_more = alex
        .post(
            "/api/v1/hooks/comment-added",
            json!({"callbackUrl": "https://flows.example/last"}),
        )
        .await;
    assert_eq!(one_more.status, StatusCode::CONFLICT);
    assert_eq!(one_more.code(), "too_many_subscriptions");
}

#[tokio::test]
async fn failed_deliveries_are_retried_in_order_without_holding_up_other_callbacks() {
    let app = quick().await;
    let callbacks = Callbacks::start().await;
    let alex = app.rest(ALEX).await;
    let (account, _) = accounts(&app).await;
    callbacks.script(
        "flaky",
        &[
            Answer::Status(500),
            Answer::Hang(Duration::from_secs(2)),
            Answer::Busy(1),
            Answer::Status(503),
        ],
    );
    subscribe(&alex, "ticket-created", &callbacks.url("flaky"), None).await;
    subscribe(&alex, "ticket-created", &callbacks.url("healthy"), None).await;
    for title in ["one", "two", "three"] {
        alex.post(
            &format!("/api/v1/accounts/{account}/tickets"),
            json!({ "title": title }),
        )
        .await;
    }
    let healthy = callbacks.taken("healthy", 3, SOON).await;
    assert_eq!(healthy.len(), 3, "the healthy callback is not held up");
    let flaky = callbacks.taken("flaky", 3, SOON).await;
    let titles: Vec<&str> = flaky
        .iter()
        .map(|r| r.body["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["one", "two", "three"], "in order, each once taken");
    let tries = callbacks.received("flaky");
    assert_eq!(tries.len(), 7, "four failures, then the three events");
    assert!(tries[..5].iter().all(|r| r.body["title"] == "one"));
}

#[tokio::test]
async fn a_gone_callback_ends_its_subscription_and_an_unreachable_one_is_kept_as_failed() {
    // Twelve attempts: waits of 2 ms doubling, at most 360 ms.
    let app = retried_after(Duration::from_millis(2)).await;
    let callbacks = Callbacks::start().await;
    let alex = app.rest(ALEX).await;
    let (account, _) = accounts(&app).await;
    callbacks.script("gone", &[Answer::Status(410)]);
    callbacks.script("broken", &[Answer::Status(500); 12]);
    subscribe(&alex, "ticket-created", &callbacks.url("gone"), None).await;
    subscribe(&alex, "ticket-created", &callbacks.url("broken"), None).await;
    alex.post(
        &format!("/api/v1/accounts/{account}/tickets"),
        json!({ "title": "Lost" }),
    )
    .await;
    let contoso = domain::TenantId::parse(CONTOSO).unwrap();
    let scope = app.db.scope(&contoso);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let subscriptions = scope.subscriptions().await.unwrap();
        let gone = !subscriptions
            .iter()
            .any(|s| s.callback_url.ends_with("/gone"));
        let failed = subscriptions
            .iter()
            .any(|s| s.callback_url.ends_with("/broken") && s.failed == 1);
        if gone && failed {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not yet: {subscriptions:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(callbacks.received("broken").len(), 12, "twelve attempts");
    let deliveries = scope.recent_deliveries(10).await.unwrap();
    assert_eq!(deliveries[0].state, "failed");
    assert_eq!(deliveries[0].last_status, Some(500));
}
