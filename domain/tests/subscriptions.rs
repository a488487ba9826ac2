//! Marketplace subscriptions on the database: a purchase admits its organisation once and
//! makes its purchaser the admin; the marketplace decides its standing after; an ended one's
//! data is deleted after its retention; and the webhook's operations are queued once each.

use domain::db::testing::fresh_db;
use domain::plan::Access;
use domain::subscription::{Activation, Offered, SubscriptionStatus};
use domain::{CurrentUser, Role, TenantId};
use std::time::Duration;

const NORTHWIND: &str = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";
const WEBHOOK: (&str, &str) = ("Suspend", "webhook");

fn offered() -> Offered {
    Offered {
        id: "5f2c7a1e-0000-4000-8000-000000000001".into(),
        name: "Flowhost for Northwind".into(),
        offer_id: "flowhost-desk".into(),
        plan_id: "standard".into(),
        quantity: Some(10),
        status: SubscriptionStatus::PendingFulfillmentStart,
        free_trial: true,
        term_start: None,
        term_end: None,
        beneficiary_tenant: NORTHWIND.into(),
        purchaser_email: "nora@northwind.example".into(),
        purchaser_tenant: NORTHWIND.into(),
        purchaser_object_id: "nora-oid".into(),
    }
}

#[tokio::test]
async fn a_purchase_admits_its_organisation_once_and_the_marketplace_decides_after() {
    let db = fresh_db().await.unwrap();
    let tenant = TenantId::parse(NORTHWIND).unwrap();
    assert_eq!(db.standing(&tenant).await.unwrap(), None);
    let offer = offered();
    let first = db
        .activate_subscription(&offer, "Northwind", "Nora", Some("nora-oid"))
        .await
        .unwrap();
    assert_eq!(first, Activation::Activated);
    let standing = db.standing(&tenant).await.unwrap().unwrap();
    assert_eq!(standing.access, Access::Subscribed);
    assert_eq!(standing.plan_id.as_deref(), Some("standard"));
    assert!(db.granted_admin(&tenant, "nora-oid").await.unwrap());
    assert!(!db.granted_admin(&tenant, "someone").await.unwrap());
    // Opened again: the same subscription, not a second activation.
    let again = db
        .activate_subscription(&offer, "Northwind", "Nora", Some("nora-oid"))
        .await
        .unwrap();
    assert!(matches!(again, Activation::Existing(s) if s.status == SubscriptionStatus::Subscribed));

    // The marketplace says it is suspended, then unsubscribed.
    let mut now = offer.clone();
    now.status = SubscriptionStatus::Suspended;
    now.plan_id = "widgets".into();
    let changes = db
        .sync_subscription(&now, time::Duration::ZERO, WEBHOOK)
        .await
        .unwrap();
    assert_eq!(
        changes,
        ["plan standard → widgets", "status Subscribed → Suspended"]
    );
    assert!(
        db.sync_subscription(&now, time::Duration::ZERO, WEBHOOK)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        db.standing(&tenant).await.unwrap().unwrap().access,
        Access::Suspended
    );

    let nora = CurrentUser {
        tenant_id: tenant.clone(),
        tenant_name: "Northwind".into(),
        object_id: "nora-oid".into(),
        name: "Nora".into(),
        email: "nora@northwind.example".into(),
        roles: vec![Role::TenantAdmin],
    };
    db.scope(&tenant).upsert_user(&nora).await.unwrap();
    let month = time::OffsetDateTime::now_utc() - time::Duration::days(1);
    assert_eq!(db.people_since(&tenant, month).await.unwrap(), 1);

    now.status = SubscriptionStatus::Unsubscribed;
    db.sync_subscription(&now, time::Duration::ZERO, WEBHOOK)
        .await
        .unwrap();
    assert_eq!(
        db.standing(&tenant).await.unwrap().unwrap().access,
        Access::Ended
    );
    let kept = db.subscription(&offer.id).await.unwrap().unwrap();
    assert!(kept.delete_after.is_some() && kept.deleted_at.is_none());
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert_eq!(
        db.delete_expired_data(&isv()).await.unwrap(),
        std::slice::from_ref(&offer.id)
    );
    assert!(db.scope(&tenant).users().await.unwrap().is_empty());
    assert!(!db.granted_admin(&tenant, "nora-oid").await.unwrap());
    let gone = db.subscription(&offer.id).await.unwrap().unwrap();
    assert!(gone.deleted_at.is_some());
    assert!(db.delete_expired_data(&isv()).await.unwrap().is_empty());
    let history: Vec<String> = db
        .subscription_events(&offer.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(history, ["Activate", "Suspend", "Suspend", "Delete"]);
}

#[tokio::test]
async fn an_operation_is_queued_once_and_retried_until_its_attempts_are_spent() {
    let db = fresh_db().await.unwrap();
    assert!(
        db.receive_operation("op-1", "sub-1", "ChangePlan")
            .await
            .unwrap()
    );
    assert!(
        !db.receive_operation("op-1", "sub-1", "ChangePlan")
            .await
            .unwrap()
    );
    let lease = Duration::from_secs(60);
    let claimed = db.claim_operation(lease).await.unwrap().unwrap();
    assert_eq!(claimed.action, "ChangePlan");
    assert!(db.claim_operation(lease).await.unwrap().is_none());
    // Failed: tried again once its wait is over.
    assert!(
        db.finish_operation(&claimed, Err(Duration::ZERO))
            .await
            .unwrap()
    );
    tokio::time::sleep(Duration::from_millis(5)).await;
    let again = db.claim_operation(lease).await.unwrap().unwrap();
    assert_eq!(again.attempts, 1);
    assert!(
        !db.finish_operation(&claimed, Ok(())).await.unwrap(),
        "a lapsed claim"
    );
    assert!(db.finish_operation(&again, Ok(())).await.unwrap());
    assert_eq!(
        db.operation_state("op-1").await.unwrap().as_deref(),
        Some("done")
    );
    assert!(db.claim_operation(lease).await.unwrap().is_none());
}

fn isv() -> TenantId {
    TenantId::parse("f1a0b0c7-4d2e-4f6a-8b3c-5d6e7f8091a2").unwrap()
}

#[tokio::test]
async fn an_older_subscription_that_ends_neither_locks_out_nor_deletes_a_newer_ones_organisation() {
    let db = fresh_db().await.unwrap();
    let tenant = TenantId::parse(NORTHWIND).unwrap();
    let first = offered();
    db.activate_subscription(&first, "Northwind", "Nora", Some("nora-oid"))
        .await
        .unwrap();
    let mut ended = first.clone();
    ended.status = SubscriptionStatus::Unsubscribed;
    db.sync_subscription(&ended, time::Duration::ZERO, ("Unsubscribe", "webhook"))
        .await
        .unwrap();
    assert_eq!(
        db.standing(&tenant).await.unwrap().unwrap().access,
        Access::Ended
    );

    // Bought again: a new subscription admits the organisation again.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let mut second = offered();
    second.id = "5f2c7a1e-0000-4000-8000-000000000002".into();
    db.activate_subscription(&second, "Northwind", "Nora", Some("nora-oid"))
        .await
        .unwrap();
    assert_eq!(
        db.standing(&tenant).await.unwrap().unwrap().access,
        Access::Subscribed
    );
    // The first one's retention is over, but the organisation is a customer again.
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert!(db.delete_expired_data(&isv()).await.unwrap().is_empty());
    assert!(db.granted_admin(&tenant, "nora-oid").await.unwrap());
    // News of the old subscription does not touch the new one's access.
    db.sync_subscription(
        &ended,
        time::Duration::ZERO,
        ("Unsubscribe", "reconciliation"),
    )
    .await
    .unwrap();
    let mut first_suspended = first.clone();
    first_suspended.status = SubscriptionStatus::Suspended;
    db.sync_subscription(
        &first_suspended,
        time::Duration::ZERO,
        ("Suspend", "webhook"),
    )
    .await
    .unwrap();
    assert_eq!(
        db.standing(&tenant).await.unwrap().unwrap().access,
        Access::Subscribed
    );
}

#[tokio::test]
async fn the_isvs_own_test_purchase_never_deletes_its_data() {
    let db = fresh_db().await.unwrap();
    let mut own = offered();
    own.beneficiary_tenant = isv().to_string();
    own.purchaser_tenant = isv().to_string();
    db.activate_subscription(&own, "Flowhost", "Iris", None)
        .await
        .unwrap();
    own.status = SubscriptionStatus::Unsubscribed;
    db.sync_subscription(&own, time::Duration::ZERO, ("Unsubscribe", "webhook"))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert!(db.delete_expired_data(&isv()).await.unwrap().is_empty());
}
