//! The pre-built "Ask the account owner to approve new tickets", installed by Contoso's admin
//! with her connection: a ticket on an account whose owner is a name goes to the fallback
//! approver (the admin by default); one whose owner is an address of the organisation goes to
//! that owner; each decision is commented on its ticket.

use crate::prebuilt_flows::act_on;
use crate::rest_client::Rest;
use crate::support::*;
use crate::widget_api::{WidgetApi, comment_on, open_ticket};
use domain::db::Db;
use domain::demo::CONTOSO;
use reqwest::StatusCode;

const OWNER_APPROVES: &str = "f10a0057a0c1400080000000000b0002";

async fn set_owner(app: &TestApp, account: i64, owner: &str) {
    const SQL: &str = "UPDATE accounts SET owner = $1 WHERE id = $2";
    match &app.db {
        Db::Sqlite(pool) => sqlx::query(SQL)
            .bind(owner)
            .bind(account)
            .execute(pool)
            .await
            .map(drop),
        Db::Postgres(pool) => sqlx::query(SQL)
            .bind(owner)
            .bind(account)
            .execute(pool)
            .await
            .map(drop),
    }
    .unwrap();
}

/// `who` answers the approval of the ticket at `link`; the comment it leaves on `ticket`.
async fn decide(who: &WidgetApi, rest: &Rest, link: &str, ticket: i64, outcome: &str) -> String {
    let approval = who.received_approval(link).await;
    let (status, _) = who.answer(&approval, outcome).await;
    assert_eq!(status, StatusCode::OK);
    comment_on(rest, ticket).await["text"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn owner_article(page: &str) -> &str {
    let start = page
        .find(&format!("data-flow=\"{OWNER_APPROVES}\""))
        .expect("the owner approval's article");
    &page[start..start + page[start..].find("</article>").unwrap()]
}

/// A fallback approver who is nobody of the organisation: the run fails, and the page says so.
#[tokio::test]
async fn a_run_that_fails_shows_as_the_flows_last_run() {
    let app = spawn().await;
    let adele = signed_in(&app, ADELE).await;
    let connection = WidgetApi::of(&app, ADELE).await.connect(&app, ADELE).await;
    let name = connection["name"].as_str().unwrap();
    let fields = [
        ("connection", name),
        ("parameter.fallbackApprover", "nobody@contoso.example"),
    ];
    let page = act_on(&adele, OWNER_APPROVES, "install", &fields).await;
    assert!(
        owner_article(&page).contains("It has not run yet."),
        "{page}"
    );
    let (account, _) = app.first_records(CONTOSO).await;
    let alex = app.rest(ALEX).await;
    open_ticket(&app, &alex, account.0, "Who approves this?").await;
    for _ in 0..50 {
        let page = adele.page("/settings/flows").await;
        let shown = owner_article(&page);
        if shown.contains("Its last run, on ") {
            assert!(shown.contains(", failed: "), "{shown}");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the run never finished");
}

#[tokio::test]
async fn new_tickets_go_to_the_account_owner_or_the_fallback_approver() {
    let app = spawn().await;
    let adele = signed_in(&app, ADELE).await;
    let adele_api = WidgetApi::of(&app, ADELE).await;
    let connection = adele_api.connect(&app, ADELE).await;
    let name = connection["name"].as_str().unwrap();
    let page = adele.page("/settings/flows").await;
    let field = tag_of(&page, &format!("{OWNER_APPROVES}-fallbackApprover"));
    assert!(field.contains(&format!("value=\"{ADELE}\"")), "{field}");
    let page = act_on(&adele, OWNER_APPROVES, "install", &[("connection", name)]).await;
    assert!(
        page.contains("Ask the account owner to approve new tickets is installed and on."),
        "{page}"
    );

    let (account, _) = app.first_records(CONTOSO).await;
    let alex = app.rest(ALEX).await;
    let (ticket, link) = open_ticket(&app, &alex, account.0, "A new laptop for the intern").await;
    let comment = decide(&adele_api, &alex, &link, ticket, "Approve").await;
    assert_eq!(comment, "Approved by Adele Vance");
    let page = adele.page("/settings/flows").await;
    let shown = owner_article(&page);
    assert!(
        shown.contains("Version 1, on. Its last run, on "),
        "{shown}"
    );
    assert!(shown.contains(", succeeded."), "{shown}");

    set_owner(&app, account.0, ALEX).await;
    let (ticket, link) = open_ticket(&app, &alex, account.0, "A second screen").await;
    let alex_api = WidgetApi::of(&app, ALEX).await;
    let comment = decide(&alex_api, &alex, &link, ticket, "Reject").await;
    assert_eq!(comment, "Rejected by Alex Wilber");
}
