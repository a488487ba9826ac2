use crate::support::*;
use domain::demo::{CONTOSO, FABRIKAM};
use domain::{Priority, Status, TenantId};
use reqwest::StatusCode;

fn contoso() -> TenantId {
    TenantId::parse(CONTOSO).unwrap()
}

/// A Contoso ticket as the database holds it.
async fn ticket_in_db(
    app: &TestApp,
    account: domain::AccountId,
    ticket: domain::TicketId,
) -> domain::Ticket {
    app.db
        .scope(&contoso())
        .ticket(account, ticket)
        .await
        .unwrap()
        .expect("the ticket exists")
}

#[tokio::test]
async fn a_ticket_is_created_through_the_form() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let (account, _) = app.first_records(CONTOSO).await;
    let form = format!("/accounts/{account}/tickets/new");
    let csrf = app.csrf(&form, &alex).await;

    let fields = [
        ("csrf_token", csrf.as_str()),
        ("title", "  Printer on fire  "),
        ("description", "Smoke from tray 2."),
        ("priority", "urgent"),
        ("requester", "pat@adventure-works.example"),
    ];
    let to = location(&app.post_form(&form, &alex, &fields).await);
    let id: i64 = to
        .strip_prefix(&format!("/accounts/{account}/tickets/"))
        .unwrap()
        .parse()
        .unwrap();

    let ticket = app
        .db
        .scope(&contoso())
        .ticket(account, id.into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (ticket.title.as_str(), ticket.priority, ticket.status),
        ("Printer on fire", Priority::Urgent, Status::Open)
    );

    let html = app.get(&to, Some(&alex)).await.text().await.unwrap();
    assert!(html.contains(&format!("Ticket #{id} created.")));
    assert!(html.contains("Smoke from tray 2."));
    let again = app.get(&to, Some(&alex)).await.text().await.unwrap();
    assert!(!again.contains("created."), "the notice is shown once");
}

#[tokio::test]
async fn refused_input_is_kept_and_each_error_shown_by_its_field() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let (account, _) = app.first_records(CONTOSO).await;
    let before = app
        .db
        .scope(&contoso())
        .account(account)
        .await
        .unwrap()
        .unwrap()
        .open_tickets;
    let form = format!("/accounts/{account}/tickets/new");
    let csrf = app.csrf(&form, &alex).await;

    let long_title = "x".repeat(201);
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("title", long_title.as_str()),
        (
            "description",
            "Keep <this> text</textarea><script>alert(1)</script>",
        ),
        ("priority", "asap"),
        ("requester", "pat@example.com"),
    ];
    assert_eq!(location(&app.post_form(&form, &alex, &fields).await), form);

    let html = app.get(&form, Some(&alex)).await.text().await.unwrap();
    assert_eq!(
        field_error(&html, "title").as_deref(),
        Some("Title must be at most 200 characters (it has 201).")
    );
    assert_eq!(
        field_error(&html, "priority").as_deref(),
        Some("Priority must be one of: low, normal, high, urgent.")
    );
    assert_eq!(field_error(&html, "requester"), None);
    assert!(
        html.contains("Keep &lt;this&gt; text&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"),
        "the description is kept, escaped"
    );
    assert!(!html.contains("<script>alert(1)"));
    assert!(
        tag_of(&html, "title").contains(&format!("value=\"{long_title}\"")),
        "the title is kept in its field"
    );
    assert!(
        html.contains("value=\"pat@example.com\""),
        "the requester is kept"
    );
    assert!(html.contains("Please correct the fields marked below."));

    let after = app
        .db
        .scope(&contoso())
        .account(account)
        .await
        .unwrap()
        .unwrap()
        .open_tickets;
    assert_eq!(before, after, "nothing was stored");
}

#[tokio::test]
async fn status_and_priority_are_changed_and_bad_values_refused() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let page = format!("/accounts/{account}/tickets/{ticket}");
    let csrf = app.csrf(&page, &alex).await;

    let fields = [
        ("csrf_token", csrf.as_str()),
        ("status", "resolved"),
        ("priority", "urgent"),
    ];
    assert_eq!(location(&app.post_form(&page, &alex, &fields).await), page);
    let stored = ticket_in_db(&app, account, ticket).await;
    assert_eq!(
        (stored.status, stored.priority),
        (Status::Resolved, Priority::Urgent)
    );
    let html = app.get(&page, Some(&alex)).await.text().await.unwrap();
    assert!(html.contains("Changes saved."));
    assert!(html.contains("<option value=\"resolved\" selected>"));

    let fields = [
        ("csrf_token", csrf.as_str()),
        ("status", "done"),
        ("priority", "low"),
    ];
    assert_eq!(location(&app.post_form(&page, &alex, &fields).await), page);
    let html = app.get(&page, Some(&alex)).await.text().await.unwrap();
    assert_eq!(
        field_error(&html, "status").as_deref(),
        Some("Status must be one of: open, pending, resolved, closed.")
    );
    assert!(
        html.contains("<option value=\"low\" selected>"),
        "the submitted priority stays selected"
    );
    let stored = ticket_in_db(&app, account, ticket).await;
    assert_eq!(
        (stored.status, stored.priority),
        (Status::Resolved, Priority::Urgent),
        "unchanged"
    );
}

#[tokio::test]
async fn a_form_without_the_sessions_token_changes_nothing() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let page = format!("/accounts/{account}/tickets/{ticket}");
    let before = ticket_in_db(&app, account, ticket).await;
    app.csrf(&page, &alex).await;

    let fields = [
        ("csrf_token", "forged"),
        ("status", "closed"),
        ("priority", "low"),
    ];
    assert_eq!(location(&app.post_form(&page, &alex, &fields).await), page);
    let html = app.get(&page, Some(&alex)).await.text().await.unwrap();
    assert!(html.contains("This form had expired."));
    assert_eq!(ticket_in_db(&app, account, ticket).await, before);
}

#[tokio::test]
async fn cross_site_posts_are_refused_before_anything_runs() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let page = format!("/accounts/{account}/tickets/{ticket}");
    let csrf = app.csrf(&page, &alex).await;
    let before = ticket_in_db(&app, account, ticket).await;
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("status", "closed"),
        ("priority", "low"),
    ];

    for origin in [Some("http://evil.example"), Some("null"), None] {
        let response = app.post_from(&page, &alex, &fields, origin).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{origin:?}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("did not come from a Flowhost page")
        );
    }
    assert_eq!(ticket_in_db(&app, account, ticket).await, before);
}

#[tokio::test]
async fn another_organisations_records_cannot_be_changed_through_forms() {
    let app = spawn().await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let before = ticket_in_db(&app, account, ticket).await;
    let bianca = app.sign_in(BIANCA).await;
    let (own, own_ticket) = app.first_records(FABRIKAM).await;
    let csrf = app
        .csrf(&format!("/accounts/{own}/tickets/{own_ticket}"), &bianca)
        .await;

    let edit = format!("/accounts/{account}/tickets/{ticket}");
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("status", "closed"),
        ("priority", "low"),
    ];
    assert_eq!(
        location(&app.post_form(&edit, &bianca, &fields).await),
        edit
    );
    assert_eq!(
        app.get(&edit, Some(&bianca)).await.status(),
        StatusCode::NOT_FOUND
    );

    let create = format!("/accounts/{account}/tickets/new");
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("title", "Sneaky"),
        ("priority", "low"),
        ("requester", "b"),
    ];
    assert_eq!(
        location(&app.post_form(&create, &bianca, &fields).await),
        create
    );

    let tenant = contoso();
    let scope = app.db.scope(&tenant);
    assert_eq!(
        scope.ticket(account, ticket).await.unwrap().unwrap(),
        before
    );
    assert!(
        scope
            .tickets(account, 1000)
            .await
            .unwrap()
            .iter()
            .all(|t| t.title != "Sneaky")
    );
}

#[tokio::test]
async fn an_anonymous_post_goes_back_to_the_page_and_changes_nothing() {
    let app = spawn().await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let before = ticket_in_db(&app, account, ticket).await;
    let edit = format!("/accounts/{account}/tickets/{ticket}");
    let fields = [
        ("csrf_token", "none"),
        ("status", "closed"),
        ("priority", "low"),
    ];
    assert_eq!(location(&app.post_form(&edit, "", &fields).await), edit);
    assert_eq!(location(&app.get(&edit, None).await), login_redirect(&edit));
    assert_eq!(ticket_in_db(&app, account, ticket).await, before);
}
