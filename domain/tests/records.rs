//! Persistence against a real database: SQLite, or PostgreSQL when FLOWHOST_TEST_DATABASE_URL is set.

use domain::db::testing::fresh_db;
use domain::db::{Db, NewAccount};
use domain::{
    AccountId, AccountTier, NewTicket, PageRequest, Priority, Status, Tenant, TenantId,
    TicketChange, TicketInput,
};

fn tenant(id: &str, name: &str) -> Tenant {
    Tenant {
        id: TenantId::parse(id).unwrap(),
        name: name.into(),
    }
}

async fn db_with_two_tenants() -> (Db, Tenant, Tenant) {
    let db = fresh_db().await.expect("test database");
    let a = tenant("aaaaaaaa-0000-4000-8000-000000000001", "Alpha");
    let b = tenant("bbbbbbbb-0000-4000-8000-000000000002", "Beta");
    db.upsert_tenant(&a).await.unwrap();
    db.upsert_tenant(&b).await.unwrap();
    (db, a, b)
}

fn new_ticket(title: &str) -> NewTicket {
    NewTicket::parse(&TicketInput {
        title: title.into(),
        priority: "high".into(),
        requester: "pat@example.com".into(),
        ..Default::default()
    })
    .unwrap()
}

async fn account(db: &Db, t: &Tenant, name: &str) -> AccountId {
    let account = NewAccount {
        name,
        domain: "example.com",
        tier: AccountTier::Premium,
        owner: "Dana",
    };
    db.scope(&t.id).create_account(&account).await.unwrap()
}

#[tokio::test]
async fn records_of_another_tenant_cannot_be_reached() {
    let (db, alpha, beta) = db_with_two_tenants().await;
    let alphas = account(&db, &alpha, "Alpha Works").await;
    let ticket = db
        .scope(&alpha.id)
        .create_ticket(alphas, &new_ticket("Mine"))
        .await
        .unwrap()
        .unwrap();

    let beta_scope = db.scope(&beta.id);
    assert_eq!(beta_scope.account(alphas).await.unwrap(), None);
    assert_eq!(beta_scope.ticket(alphas, ticket).await.unwrap(), None);
    assert!(beta_scope.tickets(alphas, 50).await.unwrap().is_empty());
    assert_eq!(
        beta_scope
            .accounts("", PageRequest::new(1, 20))
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        beta_scope
            .create_ticket(alphas, &new_ticket("Theirs"))
            .await
            .unwrap(),
        None
    );
    let change = TicketChange {
        status: Status::Closed,
        priority: Priority::Low,
    };
    assert!(
        !beta_scope
            .update_ticket(alphas, ticket, change)
            .await
            .unwrap()
    );

    let still = db
        .scope(&alpha.id)
        .ticket(alphas, ticket)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (still.status, still.priority),
        (Status::Open, Priority::High)
    );
    assert_eq!(
        db.scope(&alpha.id).tickets(alphas, 50).await.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn a_ticket_is_created_listed_and_changed() {
    let (db, alpha, _) = db_with_two_tenants().await;
    let scope = db.scope(&alpha.id);
    let acc = account(&db, &alpha, "Alpha Works").await;
    let id = scope
        .create_ticket(acc, &new_ticket("Printer on fire"))
        .await
        .unwrap()
        .unwrap();

    let ticket = scope.ticket(acc, id).await.unwrap().unwrap();
    assert_eq!(ticket.title, "Printer on fire");
    assert_eq!(ticket.status, Status::Open);
    assert_eq!(scope.account(acc).await.unwrap().unwrap().open_tickets, 1);

    let change = TicketChange {
        status: Status::Resolved,
        priority: Priority::Urgent,
    };
    assert!(scope.update_ticket(acc, id, change).await.unwrap());
    let ticket = scope.ticket(acc, id).await.unwrap().unwrap();
    assert_eq!(
        (ticket.status, ticket.priority),
        (Status::Resolved, Priority::Urgent)
    );
    assert!(ticket.updated_at >= ticket.created_at);
    assert_eq!(scope.account(acc).await.unwrap().unwrap().open_tickets, 0);
}

#[tokio::test]
async fn account_search_ignores_case_treats_wildcards_literally_and_pages() {
    let (db, alpha, _) = db_with_two_tenants().await;
    for name in [
        "Coho Winery",
        "coho vineyard",
        "Litware",
        "100% Juice",
        "100 Juices",
    ] {
        account(&db, &alpha, name).await;
    }
    let scope = db.scope(&alpha.id);
    let found = scope
        .accounts("COHO", PageRequest::new(1, 20))
        .await
        .unwrap();
    let names: Vec<&str> = found.items.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["coho vineyard", "Coho Winery"]);
    assert_eq!(found.total, 2);
    assert_eq!(
        scope
            .accounts("100%", PageRequest::new(1, 20))
            .await
            .unwrap()
            .total,
        1
    );

    let second = scope.accounts("", PageRequest::new(2, 2)).await.unwrap();
    assert_eq!(second.total, 5);
    assert_eq!(second.items.len(), 2);
    assert_eq!(second.page_count(), 3);
    let past_the_end = scope.accounts("", PageRequest::new(9, 2)).await.unwrap();
    assert!(past_the_end.items.is_empty());
    assert_eq!(past_the_end.total, 5);
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn demo_data_loads_once() {
    let db = fresh_db().await.unwrap();
    assert_eq!(domain::demo::load(&db).await.unwrap(), 2);
    assert_eq!(domain::demo::load(&db).await.unwrap(), 0);
    for tenant in domain::demo::tenants() {
        let scope = db.scope(&tenant.id);
        let accounts = scope.accounts("", PageRequest::new(1, 100)).await.unwrap();
        assert_eq!(accounts.total, domain::demo::ACCOUNTS_PER_TENANT as i64);
        let mut tickets = 0;
        for a in &accounts.items {
            tickets += scope.tickets(a.id, 1000).await.unwrap().len();
        }
        assert_eq!(tickets, domain::demo::TICKETS_PER_TENANT);
    }
}

#[tokio::test]
async fn users_are_listed_per_tenant_with_their_roles() {
    let (db, alpha, beta) = db_with_two_tenants().await;
    let user = |t: &Tenant, oid: &str, name: &str, roles| domain::CurrentUser {
        tenant_id: t.id.clone(),
        tenant_name: t.name.clone(),
        object_id: oid.into(),
        name: name.into(),
        email: format!("{oid}@example.com"),
        roles,
    };
    db.scope(&alpha.id)
        .upsert_user(&user(&alpha, "u1", "Ada", vec![domain::Role::TenantAdmin]))
        .await
        .unwrap();
    db.scope(&alpha.id)
        .upsert_user(&user(
            &alpha,
            "u1",
            "Ada L.",
            vec![domain::Role::TenantAdmin],
        ))
        .await
        .unwrap();
    db.scope(&beta.id)
        .upsert_user(&user(&beta, "u2", "Bo", vec![]))
        .await
        .unwrap();
    let users = db.scope(&alpha.id).users().await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].name, "Ada L.");
    assert_eq!(users[0].roles, vec![domain::Role::TenantAdmin]);
}
