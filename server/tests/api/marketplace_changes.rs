//! A fulfilled subscription's changes, over real HTTP between Flowhost and the sandbox's
//! marketplace: each arriving by webhook and taking effect, a lost webhook repaired by
//! reconciliation, and the tenant admin's plan change through the Fulfillment API.

use crate::marketplace::*;
use crate::support::*;
use domain::plan::Access;
use domain::subscription::SubscriptionStatus;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn each_change_arrives_by_webhook_and_takes_effect() {
    let app = spawn().await;
    let (id, landing) = buy(&app, "standard", 5, true).await;
    land_and_confirm(&app, &landing).await;
    let nora = signed_in(&app, NORA).await;
    // Flowhost, not the ten-second automatic success, acknowledges what it must.
    market(&app, "settings", json!({"autoSuccess": false})).await;

    let changed = market(
        &app,
        &format!("subscriptions/{id}/changePlan"),
        json!({"planId": "widgets"}),
    )
    .await;
    let op = changed["operationId"].as_str().unwrap().to_owned();
    until(&app, &id, "the plan changes", |s| s.plan_id == "widgets").await;
    assert_eq!(
        operation(&app, &id, &op).await["status"],
        "Succeeded",
        "acknowledged"
    );
    let refused = app.rest(NORA).await.get("/api/v1/accounts").await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "not_in_plan")
    );
    let flows = nora.page("/settings/flows").await;
    assert!(
        flows.contains("pre-built flows is not in your organisation&#x27;s plan")
            || flows.contains("pre-built flows is not in your organisation's plan"),
        "{flows}"
    );

    market(
        &app,
        &format!("subscriptions/{id}/changeQuantity"),
        json!({"quantity": 8}),
    )
    .await;
    until(&app, &id, "the seats change", |s| s.quantity == Some(8)).await;

    market(&app, &format!("subscriptions/{id}/suspend"), json!({})).await;
    until(&app, &id, "it is suspended", |s| {
        s.status == SubscriptionStatus::Suspended
    })
    .await;
    let (status, page) = html(&nora, "/accounts").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("subscription is suspended"), "{page}");
    assert!(
        app.db.scope(&northwind()).users().await.unwrap().len() == 1,
        "nothing deleted"
    );

    market(&app, &format!("subscriptions/{id}/reinstate"), json!({})).await;
    until(&app, &id, "it is reinstated", |s| {
        s.status == SubscriptionStatus::Subscribed
    })
    .await;
    assert_eq!(html(&nora, "/accounts").await.0, StatusCode::OK);

    market(&app, &format!("subscriptions/{id}/renew"), json!({})).await;
    market(&app, &format!("subscriptions/{id}/unsubscribe"), json!({})).await;
    until(&app, &id, "it ends", |s| {
        s.status == SubscriptionStatus::Unsubscribed
    })
    .await;
    let ended = app.db.subscription(&id).await.unwrap().unwrap();
    let kept = ended.delete_after.unwrap() - time::OffsetDateTime::now_utc();
    assert!(
        kept > time::Duration::days(29) && kept <= time::Duration::days(30),
        "{kept}"
    );
    assert_eq!(
        location(&nora.get("/accounts").await),
        login_redirect("/accounts"),
        "signed out"
    );
    assert_eq!(
        app.db.standing(&northwind()).await.unwrap().unwrap().access,
        Access::Ended
    );

    let renewed = app.db.subscription_events(&id).await.unwrap();
    let renewed = renewed.iter().find(|e| e.action == "Renew").unwrap();
    assert!(renewed.detail.contains("term until"), "{renewed:?}");
    let actions: Vec<String> = history(&app, &id)
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    for action in [
        "Activate",
        "ChangePlan",
        "ChangeQuantity",
        "Suspend",
        "Reinstate",
        "Renew",
        "Unsubscribe",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
    // The plan change delivered again changes nothing.
    let token = market(&app, "webhook-token", json!({})).await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = history(&app, &id).await.len();
    let replay = reqwest::Client::new()
        .post(format!("{}/marketplace/webhook", app.base))
        .bearer_auth(token)
        .json(&json!({"id": op, "subscriptionId": id, "action": "ChangePlan"}))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(history(&app, &id).await.len(), before);
}

#[tokio::test]
async fn reconciliation_repairs_what_a_lost_webhook_left_wrong() {
    let app = spawn_adjusted(
        |_| None,
        |c| c.marketplace.reconcile_every = Duration::from_millis(300),
    )
    .await;
    let (id, landing) = buy(&app, "standard", 5, false).await;
    land_and_confirm(&app, &landing).await;
    market(&app, "settings", json!({"deliverWebhooks": false})).await;
    market(&app, &format!("subscriptions/{id}/suspend"), json!({})).await;
    // The repair is recorded once it is made.
    let mut repaired = Vec::new();
    for _ in 0..300 {
        repaired = app.db.subscription_events(&id).await.unwrap();
        if repaired.iter().any(|e| e.action == "Reconcile") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let last = repaired.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.source.as_str()),
        ("Reconcile", "reconciliation")
    );
    let now = app.db.subscription(&id).await.unwrap().unwrap();
    assert_eq!(now.status, SubscriptionStatus::Suspended);
    assert!(
        last.detail.contains("status Subscribed → Suspended"),
        "{}",
        last.detail
    );
    assert_eq!(
        app.db.standing(&northwind()).await.unwrap().unwrap().access,
        Access::Suspended
    );
}

#[tokio::test]
async fn the_tenant_admin_changes_plan_and_seats_through_the_marketplace() {
    let app = spawn().await;
    let (id, landing) = buy(&app, "standard", 1, false).await;
    land_and_confirm(&app, &landing).await;
    let nora = signed_in(&app, NORA).await;
    // More people than seats: the admin is warned, nobody is locked out.
    let nils = signed_in(&app, NILS).await;
    assert_eq!(nils.get("/accounts").await.status(), StatusCode::OK);
    let page = nora.page("/settings").await;
    assert!(
        page.contains("2 people signed in this month, more than the 1 seat bought"),
        "{page}"
    );
    let csrf = nora.csrf("/settings").await;
    let refused = nora
        .post_form(
            "/settings/subscription",
            &[
                ("csrf_token", &csrf),
                ("intent", "seats"),
                ("quantity", "lots"),
            ],
        )
        .await;
    assert_eq!(location(&refused), "/settings");
    let page = nora.page("/settings").await;
    assert!(
        field_error(&page, "quantity").is_some_and(|e| e.contains("whole number")),
        "{page}"
    );

    let asked = nora
        .post_form(
            "/settings/subscription",
            &[
                ("csrf_token", &csrf),
                ("intent", "plan"),
                ("plan", "enterprise"),
            ],
        )
        .await;
    assert_eq!(location(&asked), "/settings");
    until(&app, &id, "the webhook confirms the new plan", |s| {
        s.plan_id == "enterprise" && s.requested.is_none()
    })
    .await;
    let page = nora.page("/settings").await;
    assert!(
        page.contains("Enterprise") && page.contains("Any number of people"),
        "{page}"
    );
    let sources: Vec<(String, String)> = history(&app, &id).await;
    assert!(
        sources.contains(&("ChangePlan".into(), "settings".into())),
        "{sources:?}"
    );
    assert!(
        sources.contains(&("ChangePlan".into(), "webhook".into())),
        "{sources:?}"
    );

    // Only the organisation's admin may.
    let csrf = nils.csrf("/accounts").await;
    let forbidden = nils
        .post_form(
            "/settings/subscription",
            &[
                ("csrf_token", &csrf),
                ("intent", "plan"),
                ("plan", "widgets"),
            ],
        )
        .await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
}

/// Flowhost with deliveries retried after 20 ms, callbacks given 300 ms, and held deliveries
/// looked at again after 100 ms.
async fn quick_hooks() -> TestApp {
    spawn_adjusted(
        |_| None,
        |config| {
            config.hook_timing = server::hooks::Timing {
                callback_timeout: Duration::from_millis(300),
                retry_base: Duration::from_millis(20),
                held_wait: Duration::from_millis(100),
            };
        },
    )
    .await
}

/// Northwind on the Standard plan, with an account and a flow listening for new tickets:
/// the subscription's id, the account and the flow's callback.
async fn northwind_listening(
    app: &TestApp,
) -> (String, domain::AccountId, crate::callbacks::Callbacks) {
    let (id, landing) = buy(app, "standard", 5, false).await;
    land_and_confirm(app, &landing).await;
    let account = app
        .db
        .scope(&northwind())
        .create_account(&domain::db::NewAccount {
            name: "Alfreds Futterkiste",
            domain: "alfreds.example",
            tier: domain::AccountTier::Standard,
            owner: NORA,
        })
        .await
        .unwrap();
    let callbacks = crate::callbacks::Callbacks::start().await;
    let made = app
        .rest(NORA)
        .await
        .post(
            "/api/v1/hooks/ticket-created",
            json!({ "callbackUrl": callbacks.url("flow") }),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    (id, account, callbacks)
}

/// Northwind's delivery that was not made, once there is one, and why.
async fn held_delivery(app: &TestApp) -> domain::hook::DeliveryRecord {
    for _ in 0..200 {
        let deliveries = app
            .db
            .scope(&northwind())
            .recent_deliveries(10)
            .await
            .unwrap();
        if let Some(held) = deliveries.into_iter().find(|d| d.last_error.is_some()) {
            return held;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no delivery was held");
}

#[tokio::test]
async fn the_triggers_stop_when_the_plan_leaves_the_connector_out() {
    let app = quick_hooks().await;
    let (id, account, callbacks) = northwind_listening(&app).await;
    let nora = signed_in(&app, NORA).await;
    let form = format!("/accounts/{}/tickets/new", account.0);
    let new_ticket = |title: &'static str| {
        let (nora, form) = (&nora, form.clone());
        async move {
            let csrf = nora.csrf(&form).await;
            let fields = [
                ("csrf_token", csrf.as_str()),
                ("title", title),
                ("description", "It hums."),
                ("priority", "normal"),
                ("requester", "maria@alfreds.example"),
            ];
            location(&nora.post_form(&form, &fields).await);
        }
    };
    new_ticket("Fridge hums").await;
    assert_eq!(
        callbacks
            .taken("flow", 1, Duration::from_secs(10))
            .await
            .len(),
        1
    );

    market(
        &app,
        &format!("subscriptions/{id}/changePlan"),
        json!({"planId": "widgets"}),
    )
    .await;
    until(&app, &id, "the plan changes", |s| s.plan_id == "widgets").await;
    new_ticket("Fridge still hums").await;
    let held = held_delivery(&app).await;
    assert!(
        held.last_error
            .as_deref()
            .unwrap()
            .contains("plan does not include"),
        "{held:?}"
    );
    assert_eq!(
        callbacks.received("flow").len(),
        1,
        "nothing more was delivered"
    );
}

#[tokio::test]
async fn a_suspended_organisations_triggers_wait_and_go_once_it_is_reinstated() {
    let app = quick_hooks().await;
    let (id, account, callbacks) = northwind_listening(&app).await;
    market(&app, &format!("subscriptions/{id}/suspend"), json!({})).await;
    until(&app, &id, "it is suspended", |s| {
        s.status == SubscriptionStatus::Suspended
    })
    .await;
    // Its people cannot reach the pages now; a ticket written meanwhile still makes its event.
    let ticket = domain::NewTicket {
        title: "Fridge hums".into(),
        description: "It hums.".into(),
        priority: domain::Priority::Normal,
        requester: "maria@alfreds.example".into(),
    };
    let tenant = northwind();
    app.db
        .scope(&tenant)
        .create_ticket(account, &ticket)
        .await
        .unwrap()
        .unwrap();
    let held = held_delivery(&app).await;
    assert!(
        held.last_error.as_deref().unwrap().contains("suspended"),
        "{held:?}"
    );
    assert_eq!(
        (held.state.as_str(), held.attempts),
        ("pending", 0),
        "{held:?}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        callbacks.received("flow").is_empty(),
        "held while suspended"
    );

    market(&app, &format!("subscriptions/{id}/reinstate"), json!({})).await;
    let taken = callbacks.taken("flow", 1, Duration::from_secs(10)).await;
    assert_eq!(taken.len(), 1, "delivered once reinstated");
}

#[tokio::test]
async fn a_rollout_skips_an_organisation_whose_plan_leaves_pre_built_flows_out() {
    let app = spawn().await;
    let (id, landing) = buy(&app, "widgets", 5, false).await;
    land_and_confirm(&app, &landing).await;
    until(&app, &id, "the subscription is recorded", |s| {
        s.plan_id == "widgets"
    })
    .await;
    let organisation = format!("{}/orgs/orgnorthwind/", app.flow);
    let old = domain::db::NewDeployment {
        flow_id: crate::prebuilt_flows::ESCALATION,
        version: 0,
        organisation_url: &organisation,
        workflow_id: "0f0f0f0f-0000-4000-8000-00000000a04a",
        reference_name: "flowhost_escalation",
        connection_name: None,
        parameters: "{}",
        by: "Nora",
    };
    assert!(
        app.db
            .scope(&northwind())
            .begin_install(&old)
            .await
            .unwrap()
    );
    let started = app
        .db
        .start_rollout(crate::prebuilt_flows::ESCALATION, 1, "Iris")
        .await
        .unwrap();
    assert!(matches!(
        started,
        domain::db::Started::Started { targets: 1, .. }
    ));
    for _ in 0..200 {
        let (_, targets) = app.db.rollouts(1).await.unwrap().remove(0);
        if let Some(t) = targets.iter().find(|t| t.state.finished()) {
            let said = t.said().unwrap().show(i18n::Lang::En);
            assert_eq!(said, "Skipped: its plan does not include pre-built flows.");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the roll-out did not finish");
}
