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

/// A new ticket on `account`'s account, as a record.
async fn ticket_of(db: &Db, tenant: &TenantId, account: RecordRef, title: &str) -> RecordRef {
    let input = domain::TicketInput {
        title: title.into(),
        priority: "high".into(),
        requester: "pat@example.com".into(),
        ..Default::default()
    };
    let ticket = db
        .scope(tenant)
        .create_ticket(account.account, &domain::NewTicket::parse(&input).unwrap())
        .await
        .unwrap()
        .unwrap();
    RecordRef {
        account: account.account,
        ticket: Some(ticket),
    }
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
    let record = ticket_of(&db, &tenant, account, "Discount").await;
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

/// Flows, timeline and approval counts come back together, each in its own order: flows and
/// timeline newest first; an account's include its tickets'.
#[tokio::test]
async fn an_account_s_activity_holds_its_flows_timeline_and_approvals_in_order() {
    let (db, tenant, account) = record().await;
    let scope = db.scope(&tenant);
    let on_ticket = ticket_of(&db, &tenant, account, "Renewal").await;
    let ticket = on_ticket.ticket.unwrap();
    for (record, id) in [
        (account, "flow-a"),
        (on_ticket, "flow-b"),
        (account, "flow-c"),
    ] {
        let flow = NewLinkedFlow {
            flow_id: id,
            flow_url: "https://make.powerautomate.com/flows/x",
            template: Some("tpl-1"),
            created_by: "Alex",
        };
        assert_eq!(scope.link_flow(record, &flow).await.unwrap(), Linked::New);
        // Each flow gets its own moment, so newest first is one order.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    for subject in ["first", "second", "third"] {
        scope.add_event(on_ticket, &event(subject)).await.unwrap();
    }
    scope
        .add_event(
            account,
            &NewEvent {
                confirmed: false,
                ..event("reported")
            },
        )
        .await
        .unwrap();
    for (id, state) in [
        ("a1", ApprovalState::Pending),
        ("a2", ApprovalState::Approved),
        ("a3", ApprovalState::Rejected),
        ("a4", ApprovalState::Pending),
    ] {
        scope
            .set_approval(on_ticket, id, "Discount", state, true)
            .await
            .unwrap()
            .unwrap();
    }

    let activity = scope.activity(account).await.unwrap();
    let flows: Vec<(&str, Option<i64>)> = activity
        .flows
        .iter()
        .map(|f| (f.flow_id.as_str(), f.ticket.map(|t| t.0)))
        .collect();
    assert_eq!(
        flows,
        [
            ("flow-c", None),
            ("flow-b", Some(ticket.0)),
            ("flow-a", None)
        ]
    );
    assert_eq!(activity.flows[0].template.as_deref(), Some("tpl-1"));
    let events: Vec<(&str, bool)> = activity
        .events
        .iter()
        .map(|e| (e.subject.as_str(), e.confirmed))
        .collect();
    assert_eq!(
        events,
        [
            ("reported", false),
            ("third", true),
            ("second", true),
            ("first", true)
        ]
    );
    assert_eq!(
        (activity.approvals_waiting, activity.approvals_decided),
        (2, 2)
    );

    let on_ticket_only = scope.activity(on_ticket).await.unwrap();
    assert_eq!(on_ticket_only.flows.len(), 1);
    assert_eq!(on_ticket_only.events.len(), 3);
}
