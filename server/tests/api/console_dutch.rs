//! The ISV console in the reader's language: Dutch when the browser asks, English otherwise,
//! with refused fields' messages next to them in that language.

use crate::console::{config, post_placement};
use crate::support::*;
use i18n::Lang;
use reqwest::StatusCode;
use reqwest::header::ACCEPT_LANGUAGE;

/// The page at `path` as the browser gets it with `Accept-Language: nl`.
async fn dutch_page(app: &TestApp, browser: &Browser, path: &str) -> String {
    let response = browser
        .client
        .get(format!("{}{path}", app.base))
        .header(ACCEPT_LANGUAGE, "nl-NL,nl;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_console_speaks_dutch_when_the_browser_asks_and_english_by_default() {
    let app = spawn().await;
    let iris = signed_in(&app, IRIS).await;

    let list = dutch_page(&app, &iris, "/admin/widgets").await;
    assert!(list.contains(r#"<html lang="nl""#), "{list}");
    for dutch in [
        "<title>Widgets · Console",
        ">Een plaatsing toevoegen<",
        ">Geschiedenis<",
        ">Zoals gezien door<",
        ">Elke organisatie (de standaardwaarden)<",
        ">Volgorde<",
        ">Accountpagina<",
        ">Sjablonen<",
        ">Bewerken<",
        "Versie 1 · opgeslagen door Flowhost · ",
    ] {
        assert!(list.contains(dutch), "{dutch}: {list}");
    }
    assert!(!list.contains(">Add a placement<"));
    let english = iris.page("/admin/widgets").await;
    assert!(english.contains(r#"<html lang="en""#));
    for text in [
        ">Add a placement<",
        ">Every organisation (the defaults)<",
        ">Account page<",
        ">Edit<",
        "Version 1 · saved by Flowhost · ",
    ] {
        assert!(english.contains(text), "{text}: {english}");
    }
    assert!(!english.contains(">Bewerken<"));

    // A refused form: the messages next to its fields, in the reader's language.
    let path = "/admin/widgets/account-templates";
    let csrf = iris.csrf(path).await;
    let refuse = || async {
        let refused = post_placement(
            &iris,
            "account-templates",
            &[("searchTerm", "{account.owner}"), ("pageSize", "500")],
            0,
            "save",
            &csrf,
        )
        .await;
        assert_eq!(location(&refused), path);
    };
    refuse().await;
    let html = dutch_page(&app, &iris, path).await;
    assert_eq!(
        field_error(&html, "pageSize").as_deref(),
        Some("Een aantal sjablonen van 1 tot 50.")
    );
    let search = field_error(&html, "searchTerm").unwrap_or_default();
    assert!(
        search.starts_with(
            "{account.owner} is geen tijdelijke aanduiding; gebruik een van {tenant.id}"
        ),
        "{search}"
    );
    for dutch in [
        i18n::text(Lang::Nl, "form-correct").as_str(),
        ">Zoekterm<",
        ">Getoonde sjablonen (paginagrootte)<",
        "1 tot 50; leeg: de standaardwaarde van de widget (6).",
        "Tijdelijke aanduidingen: {tenant.id}, {account.id}",
        ">de details<",
        ">Opslaan<",
        ">Voorbeeld voor een record<",
        "<title>Plaatsing account-templates",
    ] {
        assert!(html.contains(dutch), "{dutch}: {html}");
    }
    assert!(html.contains("value=\"500\""), "the input is kept");

    refuse().await;
    let html = iris.page(path).await;
    assert_eq!(
        field_error(&html, "pageSize").as_deref(),
        Some("A number of templates from 1 to 50.")
    );
    let search = field_error(&html, "searchTerm").unwrap_or_default();
    assert!(
        search.starts_with("{account.owner} is not a placeholder; use one of"),
        "{search}"
    );
    for text in [
        "Please correct the fields marked below. Nothing was saved.",
        ">Search term<",
        ">Templates shown (page size)<",
        "Placeholders: {tenant.id}, {account.id}",
        ">its details<",
        ">Save<",
    ] {
        assert!(html.contains(text), "{text}: {html}");
    }
    assert_eq!(config(&app).await.0, 1, "nothing was saved");

    // The history says what each version changed in the reader's language, from what it stored.
    let saved = post_placement(
        &iris,
        "account-templates",
        &[("searchTerm", "flowhost digest"), ("enabled", "")],
        0,
        "save",
        &csrf,
    )
    .await;
    assert_eq!(location(&saved), path);
    let history = dutch_page(&app, &iris, "/admin/widgets/history").await;
    for dutch in [
        "<title>Geschiedenis · Console",
        "Versie 2",
        "account-templates: enabled \u{2018}aan\u{2019} \u{2192} \u{2018}uit\u{2019}",
        "account-templates: searchTerm \u{2018}flowhost account\u{2019} \u{2192} \u{2018}flowhost digest\u{2019}",
        "Standaardconfiguratie ingesteld",
        ">Versie 1 terugzetten<",
    ] {
        assert!(history.contains(dutch), "{dutch}: {history}");
    }
    let history = iris.page("/admin/widgets/history").await;
    for text in [
        "account-templates: enabled \u{201c}on\u{201d} \u{2192} \u{201c}off\u{201d}",
        "Seeded configuration",
        "Restore version 1",
    ] {
        assert!(history.contains(text), "{text}: {history}");
    }

    // An import's problems, in the reader's language.
    let csrf = iris.csrf("/admin/widgets/import").await;
    let exported = iris
        .get("/admin/widgets/export")
        .await
        .text()
        .await
        .unwrap();
    let bad = exported.replace("\"pageSize\": 6", "\"pageSize\": 0");
    let refused = iris
        .post_form(
            "/admin/widgets/import",
            &[
                ("csrf_token", &csrf),
                ("document", &bad),
                ("intent", "check"),
            ],
        )
        .await;
    assert_eq!(location(&refused), "/admin/widgets/import");
    let import = dutch_page(&app, &iris, "/admin/widgets/import").await;
    for dutch in [
        "Er is niets geïmporteerd: het bestand heeft 1 probleem.",
        "account-templates: pageSize: Een aantal sjablonen van 1 tot 50.",
        ">Een configuratie importeren<",
        ">Controleren<",
        "De configuratie die in gebruik is, is versie 2.",
    ] {
        assert!(import.contains(dutch), "{dutch}: {import}");
    }
}
