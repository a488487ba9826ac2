//! What the widgets leave on a record stays bounded, and only confirmed approvals count.

use domain::db::testing::fresh_db;
use domain::db::{
    Db, LINKED_FLOWS_PER_RECORD, Linked, NewAccount, NewEvent, NewLinkedFlow, TIMELINE_KEPT,
};
use domain::{AccountTier, ApprovalState, EventKind, RecordRef, Tenant, TenantId};

async fn record() -> (Db, TenantId, RecordRef) {
    let db = fresh_db().await.expect("test database");
    let tenant = Tenant {
        id: TenantId::parse("aaaaaaaa-0000-4000-8000-000000000001").unwrap(),
        name: "Alpha".into(),
    };
    db.upsert_tenant(&tenant).await.unwrap();
    let account = NewAccount {
        name: "Alpha Works",
        domain: "example.com",
        tier: AccountTier::Premium,
        owner: "Dana",
    };
    let account = db.scope(&tenant.id).create_account(&account).await.unwrap();
    let record = RecordRef {
        account,
        ticket: None,
    };
    (db, tenant.id, record)
}

fn event(subject: &str) -> NewEvent<'_> {
    NewEvent {
        kind: EventKind::RunCompleted,
        subject,
        outcome: "succeeded",
        actor: "Alex",
        confirmed: true,
    }
}

async fn kept_events(db: &Db, tenant: &TenantId, record: RecordRef) -> i64 {
    let sql = "SELECT COUNT(*) FROM record_events WHERE tenant_id = $1 AND account_id = $2";
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql)
            .bind(tenant.as_str())
            .bind(record.account.0)
            .fetch_one(pool)
            .await
            .unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar(sql)
            .bind(tenant.as_str())
            .bind(record.account.0)
            .fetch_one(pool)
            .await
            .unwrap(),
    }
}

#[tokio::test]
async fn a_timeline_keeps_its_newest_entries_only() {
    let (db, tenant, record) = record().await;
    let scope = db.scope(&tenant);
    for n in 0..TIMELINE_KEPT + 5 {
        scope
            .add_event(record, &event(&format!("run {n}")))
            .await
            .unwrap();
    }
    assert_eq!(kept_events(&db, &tenant, record).await, TIMELINE_KEPT);
    let activity = scope.activity(record).await.unwrap();
    assert_eq!(
        activity.events[0].subject,
        format!("run {}", TIMELINE_KEPT + 4)
    );
    assert!(activity.events[0].confirmed);
}

#[tokio::test]
async fn a_record_takes_a_bounded_number_of_flows() {
    let (db, tenant, record) = record().await;
    let scope = db.scope(&tenant);
    let link = |id: String| {
        let scope = &scope;
        async move {
            let flow = NewLinkedFlow {
                flow_id: &id,
                flow_url: "https://make.powerautomate.com/flows/x",
                template: None,
                created_by: "Alex",
            };
            scope.link_flow(record, &flow).await.unwrap()
        }
    };
    for n in 0..LINKED_FLOWS_PER_RECORD {
        assert_eq!(link(format!("flow-{n}")).await, Linked::New);
    }
    assert_eq!(link("flow-0".into()).await, Linked::Already);
    assert_eq!(link("one-more".into()).await, Linked::Full);
    let activity = scope.activity(record).await.unwrap();
    assert_eq!(activity.flows.len() as i64, LINKED_FLOWS_PER_RECORD);
}

#[tokio::test]
async fn only_confirmed_approvals_are_counted() {
    let (db, tenant, account) = record().await;
    let scope = db.scope(&tenant);
    let ticket = scope
        .create_ticket(
            account.account,
            &domain::NewTicket::parse(&domain::TicketInput {
                title: "Discount".into(),
                priority: "high".into(),
                requester: "pat@example.com".into(),
                ..Default::default()
            })
            .unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    let record = RecordRef {
        account: account.account,
        ticket: Some(ticket),
    };
    scope
        .set_approval(record, "a1", "Reported", ApprovalState::Approved, false)
        .await
        .unwrap()
        .unwrap();
    scope
        .set_approval(record, "a2", "Confirmed", ApprovalState::Pending, true)
        .await
        .unwrap()
        .unwrap();
    let activity = scope.activity(record).await.unwrap();
    assert_eq!(
        (activity.approvals_waiting, activity.approvals_decided),
        (1, 0)
    );
}
