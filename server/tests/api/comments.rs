//! Comments a person writes on a ticket's page: shown under their name, refused input kept as
//! typed, and nothing written to another organisation's ticket.

use crate::support::{ADELE, BIANCA, field_error, spawn, tag_of};
use domain::demo::CONTOSO;

#[tokio::test]
async fn a_person_comments_on_a_ticket_under_their_own_name() {
    let app = spawn().await;
    let (account, ticket) = app.first_records(CONTOSO).await;
    let adele = app.browser_with(&app.sign_in(ADELE).await);
    let page = format!("/accounts/{account}/tickets/{ticket}");
    let action = format!("{page}/comments");

    let csrf = adele.csrf(&page).await;
    let refused = adele
        .post_form(&action, &[("csrf_token", &csrf), ("text", "   ")])
        .await;
    assert!(refused.status().is_redirection());
    let html = adele.page(&page).await;
    assert_eq!(
        field_error(&html, "text").as_deref(),
        Some("Comment is required.")
    );
    assert!(tag_of(&html, "text").contains("aria-invalid=\"true\""));

    let long = "é".repeat(4001);
    let csrf = adele.csrf(&page).await;
    adele
        .post_form(&action, &[("csrf_token", &csrf), ("text", &long)])
        .await;
    let html = adele.page(&page).await;
    assert!(html.contains(&long), "what was typed comes back");

    let csrf = adele.csrf(&page).await;
    let done = adele
        .post_form(
            &action,
            &[("csrf_token", &csrf), ("text", "Called the customer back.")],
        )
        .await;
    assert!(done.status().is_redirection());
    let html = adele.page(&page).await;
    assert!(html.contains("Your comment was added."));
    let comment = html
        .split("data-testid=\"comment\"")
        .nth(1)
        .expect("a comment");
    assert!(comment.contains("Adele Vance"));
    assert!(comment.contains("Called the customer back."));
    assert!(!comment.contains("on behalf of"), "a person, not a flow");

    // Another organisation's person cannot comment on it.
    let bianca = app.browser_with(&app.sign_in(BIANCA).await);
    let csrf = bianca.csrf("/accounts").await;
    bianca
        .post_form(&action, &[("csrf_token", &csrf), ("text", "Not mine")])
        .await;
    let contoso = domain::TenantId::parse(CONTOSO).unwrap();
    let comments = app
        .db
        .scope(&contoso)
        .comments(ticket, 10, 0)
        .await
        .unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].via, domain::CommentVia::Person);
}
