//! What requests keep in memory between them (the widget configuration, each organisation's
//! settings and standing): a change shows at once on the instance that made it, and within
//! `FRESH_FOR` on every other instance on the same database. Within one request, each record
//! is read once.

use crate::console::{alex_panel, post_placement, search_term};
use crate::support::*;
use app::records::RequestRecords;
use domain::db::FRESH_FOR;
use domain::demo::{CONTOSO, FABRIKAM};
use domain::{Priority, Status, TenantId, TicketChange};
use serde_json::Value;
use std::time::Duration;

fn keys(panel: &Value) -> Vec<&str> {
    panel["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["key"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_save_shows_at_once_where_it_was_made_and_within_the_bound_on_another_instance() {
    let app = spawn().await;
    let other = app.another_instance().await;
    // Both instances have read the configuration and Contoso's settings.
    for instance in [&app, &other] {
        let panel = alex_panel(instance, "account").await;
        assert_eq!(search_term(&panel), "flowhost%20account");
        assert_eq!(keys(&panel), ["account-templates", "account-flows"]);
    }

    let iris = signed_in(&app, IRIS).await;
    let csrf = iris.csrf("/admin/widgets/account-templates").await;
    let changes = [("searchTerm", "flowhost digest")];
    post_placement(&iris, "account-templates", &changes, 0, "save", &csrf).await;
    // Adele turns every widget off but the account's templates.
    let adele = app.browser_with(&app.sign_in(ADELE).await);
    let csrf = adele.csrf("/settings/flows").await;
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("on.account-templates", "on"),
    ];
    adele.post_form("/settings/flows", &fields).await;

    let here = alex_panel(&app, "account").await;
    assert_eq!(search_term(&here), "flowhost%20digest");
    assert_eq!(keys(&here), ["account-templates"]);

    tokio::time::sleep(FRESH_FOR + Duration::from_millis(100)).await;
    let there = alex_panel(&other, "account").await;
    assert_eq!(search_term(&there), "flowhost%20digest");
    assert_eq!(keys(&there), ["account-templates"]);
}

#[tokio::test]
async fn a_suspension_shows_at_once_where_it_arrived_and_within_the_bound_on_another_instance() {
    use crate::marketplace::{NORA, buy, land_and_confirm, market, until};
    use domain::subscription::SubscriptionStatus;
    use reqwest::StatusCode;
    let app = spawn().await;
    let (id, landing) = buy(&app, "standard", 5, true).await;
    land_and_confirm(&app, &landing).await;
    let other = app.another_instance().await;
    let (here, there) = (signed_in(&app, NORA).await, signed_in(&other, NORA).await);
    // Both instances have admitted Nora by Northwind's standing.
    for nora in [&here, &there] {
        assert_eq!(nora.get("/accounts").await.status(), StatusCode::OK);
    }

    // The marketplace's webhook reaches the first instance.
    market(
        &app,
        &format!("subscriptions/{id}/suspend"),
        serde_json::json!({}),
    )
    .await;
    until(&app, &id, "it is suspended", |s| {
        s.status == SubscriptionStatus::Suspended
    })
    .await;
    assert_eq!(here.get("/accounts").await.status(), StatusCode::FORBIDDEN);

    tokio::time::sleep(FRESH_FOR + Duration::from_millis(100)).await;
    assert_eq!(there.get("/accounts").await.status(), StatusCode::FORBIDDEN);
}

/// A request's readers (the page, its widget panel, its activity) share one read of each
/// record, even when they ask at the same moment; the next request reads it again.
#[tokio::test]
async fn a_request_reads_each_record_once_and_the_next_request_reads_it_again() {
    let app = spawn().await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let contoso = TenantId::parse(CONTOSO).unwrap();
    let scope = app.db.scope(&contoso);
    let request = RequestRecords::default();
    let (first, second) = tokio::join!(
        request.ticket(&scope, account, ticket),
        request.ticket(&scope, account, ticket)
    );
    let read = first.unwrap().expect("Contoso's ticket");
    assert_eq!(second.unwrap().as_ref(), Some(&read));

    let status = if read.status == Status::Closed {
        Status::Open
    } else {
        Status::Closed
    };
    let change = TicketChange {
        status,
        priority: Priority::High,
    };
    assert!(scope.update_ticket(account, ticket, change).await.unwrap());
    let again = request.ticket(&scope, account, ticket).await.unwrap();
    assert_eq!(again.unwrap().status, read.status, "the same request");
    let next = RequestRecords::default()
        .ticket(&scope, account, ticket)
        .await
        .unwrap();
    assert_eq!(next.unwrap().status, status, "the next request");

    // Another organisation's scope finds nothing, whatever this one read.
    let fabrikam = TenantId::parse(FABRIKAM).unwrap();
    let elsewhere = RequestRecords::default();
    let theirs = elsewhere.account(&app.db.scope(&fabrikam), account).await;
    assert_eq!(theirs.unwrap(), None);
}
