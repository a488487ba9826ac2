//! The record pages in Dutch: a browser asking for Dutch (`Accept-Language: nl-NL`) gets the
//! accounts list, an account and a ticket with Dutch headings, labels, values and dates, in a
//! document marked `lang="nl"`; the language switch's choice (`flowhost_lang=en`) wins over
//! the browser.

use crate::support::{ALEX, TestApp, spawn};
use domain::db::NewEvent;
use domain::demo::CONTOSO;
use domain::{EventKind, RecordRef, TenantId};
use i18n::Lang;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE};

/// `path` for a signed-in Alex, with `Accept-Language: accept` and `extra_cookie` added to
/// the session's cookie.
async fn page(
    app: &TestApp,
    session: &str,
    path: &str,
    accept: &str,
    extra_cookie: Option<&str>,
) -> String {
    let cookie = match extra_cookie {
        Some(extra) => format!("{session}; {extra}"),
        None => session.to_owned(),
    };
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}{path}", app.base))
        .header(ACCEPT_LANGUAGE, accept)
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

fn has(html: &str, wanted: &[&str]) {
    for text in wanted {
        assert!(html.contains(text), "{text:?} is missing from:\n{html}");
    }
}

fn lacks(html: &str, unwanted: &[&str]) {
    for text in unwanted {
        assert!(!html.contains(text), "{text:?} is shown in:\n{html}");
    }
}

#[tokio::test]
async fn the_record_pages_speak_dutch_to_a_dutch_browser() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let (account_id, ticket_id) = app.first_records(CONTOSO).await;
    let contoso = TenantId::parse(CONTOSO).unwrap();
    let scope = app.db.scope(&contoso);
    let account = scope.account(account_id).await.unwrap().unwrap();
    let ticket = scope.ticket(account_id, ticket_id).await.unwrap().unwrap();
    let record = RecordRef {
        account: account_id,
        ticket: Some(ticket_id),
    };
    for (kind, subject, outcome) in [
        (
            EventKind::RunCompleted,
            "Escalate a ticket to Teams",
            "succeeded",
        ),
        // An approval as older entries hold it: the English label.
        (EventKind::Approval, "Approve: new toner", "waiting"),
        (EventKind::Approval, "Approve: new tray", "approved"),
    ] {
        let event = NewEvent {
            kind,
            subject,
            outcome,
            actor: "Alex Wilber",
            confirmed: true,
        };
        scope.add_event(record, &event).await.unwrap();
    }

    let accounts = page(&app, &alex, "/accounts", "nl-NL,nl;q=0.9,en;q=0.8", None).await;
    has(
        &accounts,
        &[
            r#"<html lang="nl""#,
            "<title>Accounts · Flowhost</title>",
            r#"placeholder="Zoeken op naam""#,
            ">Accounts zoeken op naam<",
            ">Zoeken<",
            ">Naam<",
            ">Eigenaar<",
            ">Niveau<",
            ">Open tickets<",
            "30 accounts",
            "Pagina 1 van 2",
            ">Volgende →<",
            r#"aria-label="Pagina's""#,
        ],
    );
    lacks(&accounts, &[">Owner<", ">Tier<", "Page 1 of 2", ">Search<"]);

    let account_page = format!("/accounts/{account_id}");
    let html = page(&app, &alex, &account_page, "nl-NL", None).await;
    has(
        &html,
        &[
            r#"<html lang="nl""#,
            r#"aria-label="Kruimelpad""#,
            ">Nieuw ticket<",
            ">Website<",
            ">Niveau<",
            ">Eigenaar<",
            ">Titel<",
            ">Prioriteit<",
            ">Aanvrager<",
            ">Bijgewerkt<",
            &format!(">{}<", account.tier.label().show(Lang::Nl)),
            &format!(">{}<", ticket.status.label().show(Lang::Nl)),
            &i18n::date_time(Lang::Nl, ticket.updated_at),
            ">Stromen gemaakt op dit account<",
            ">Activiteit<",
        ],
    );
    lacks(
        &html,
        &[">New ticket<", ">Owner<", ">Requester<", ">Updated<"],
    );

    let ticket_page = format!("/accounts/{account_id}/tickets/{ticket_id}");
    let html = page(&app, &alex, &ticket_page, "nl-NL", None).await;
    has(
        &html,
        &[
            r#"<html lang="nl""#,
            ">Prioriteit<",
            ">Aanvrager<",
            ">Geopend<",
            ">Bijgewerkt<",
            ">Beschrijving<",
            ">Wijzigen<",
            ">Wijzigingen opslaan<",
            &i18n::date_time(Lang::Nl, ticket.created_at),
            &format!(
                r#"data-testid="ticket-status">{}<"#,
                ticket.status.label().show(Lang::Nl)
            ),
            ">Goedkeuringen in afwachting<",
            ">Stromen gemaakt op dit ticket<",
            "Alex Wilber heeft “Escalate a ticket to Teams” uitgevoerd: geslaagd",
            "Goedkeuring “Approve: new toner” is in afwachting",
            "Goedkeuring “Approve: new tray” goedgekeurd door Alex Wilber",
        ],
    );
    lacks(
        &html,
        &[">Save changes<", ">Opened<", ">Priority<", " ran “"],
    );
}

#[tokio::test]
async fn the_chosen_language_wins_over_the_browser() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let (account_id, ticket_id) = app.first_records(CONTOSO).await;
    let chosen = Some("flowhost_lang=en");

    let accounts = page(&app, &alex, "/accounts", "nl", chosen).await;
    has(
        &accounts,
        &[
            r#"<html lang="en""#,
            ">Owner<",
            ">Tier<",
            "30 accounts",
            "Page 1 of 2",
            r#"placeholder="Search by name""#,
        ],
    );
    lacks(&accounts, &[">Eigenaar<", "Pagina 1 van 2"]);

    let html = page(
        &app,
        &alex,
        &format!("/accounts/{account_id}"),
        "nl",
        chosen,
    )
    .await;
    has(
        &html,
        &[
            r#"<html lang="en""#,
            ">New ticket<",
            ">Owner<",
            ">Updated<",
            ">Activity<",
        ],
    );
    lacks(&html, &[">Nieuw ticket<", ">Activiteit<"]);

    let ticket_page = format!("/accounts/{account_id}/tickets/{ticket_id}");
    let html = page(&app, &alex, &ticket_page, "nl", chosen).await;
    has(
        &html,
        &[
            r#"<html lang="en""#,
            ">Save changes<",
            ">Priority<",
            ">Opened<",
            ">Approvals waiting<",
        ],
    );
    lacks(&html, &[">Wijzigingen opslaan<", ">Geopend<"]);
}

#[tokio::test]
async fn a_missing_record_is_a_dutch_error_page() {
    let app = spawn().await;
    let alex = app.sign_in(ALEX).await;
    let response = reqwest::Client::new()
        .get(format!("{}/accounts/999999", app.base))
        .header(ACCEPT_LANGUAGE, "nl")
        .header(COOKIE, &alex)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = response.text().await.unwrap();
    has(
        &html,
        &[
            r#"<html lang="nl""#,
            "<title>Pagina niet gevonden · Flowhost</title>",
            ">We kunnen die pagina niet vinden.<",
            ">Naar accounts<",
        ],
    );
}
