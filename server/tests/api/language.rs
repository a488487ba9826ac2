//! The language switch: `POST /language` remembers the choice; pages follow the choice, else
//! the browser's `Accept-Language`, else English; a post from another site changes nothing.

use crate::support::{ALEX, location, spawn};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE, SET_COOKIE};

/// The home page for Alex, with `headers` (a `Cookie` given there is added to the session's).
async fn home(app: &crate::support::TestApp, headers: &[(&str, &str)]) -> String {
    let session = app.sign_in(ALEX).await;
    let mut request = app.browser().client.get(format!("{}/", app.base));
    let mut cookie = session;
    for (name, value) in headers {
        if *name == COOKIE.as_str() {
            cookie = format!("{cookie}; {value}");
            continue;
        }
        request = request.header(*name, *value);
    }
    let response = request.header(COOKIE, cookie).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[tokio::test]
async fn pages_follow_the_choice_then_the_browser_then_english() {
    let app = spawn().await;
    let english = home(&app, &[]).await;
    assert!(english.contains(r#"<html lang="en""#), "{english}");
    assert!(english.contains(">My flows<"));

    let dutch = home(
        &app,
        &[(ACCEPT_LANGUAGE.as_str(), "nl-NL,nl;q=0.9,en;q=0.8")],
    )
    .await;
    assert!(dutch.contains(r#"<html lang="nl""#));
    assert!(dutch.contains(">Mijn stromen<"));
    assert!(dutch.contains(">Afmelden<"));
    assert!(!dutch.contains(">My flows<"));

    let unknown = home(&app, &[(ACCEPT_LANGUAGE.as_str(), "fr-FR,de;q=0.8")]).await;
    assert!(unknown.contains(r#"<html lang="en""#));

    let chosen = home(
        &app,
        &[
            (ACCEPT_LANGUAGE.as_str(), "nl-NL"),
            (COOKIE.as_str(), "flowhost_lang=en"),
        ],
    )
    .await;
    assert!(chosen.contains(r#"<html lang="en""#));
    assert!(chosen.contains(">My flows<"));
}

#[tokio::test]
async fn the_switch_remembers_the_choice_and_goes_back_to_the_page() {
    let app = spawn().await;
    let browser = app.browser_with(&app.sign_in(ALEX).await);
    let switched = browser
        .post_form(
            "/language",
            &[("lang", "nl"), ("return_to", "/accounts?q=coho")],
        )
        .await;
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&switched), "/accounts?q=coho");
    let cookie = switched.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("flowhost_lang=nl;"), "{cookie}");
    for part in ["Path=/", "Max-Age=31536000", "HttpOnly", "SameSite=Lax"] {
        assert!(cookie.contains(part), "{cookie} has {part}");
    }
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");

    // The browser keeps the cookie: the next page is Dutch whatever it asks for.
    let page = browser.page("/").await;
    assert!(page.contains(r#"<html lang="nl""#));
    assert!(page.contains(r#"aria-pressed="true""#) && page.contains(">Nederlands<"));

    let back = browser
        .post_form("/language", &[("lang", "en"), ("return_to", "/")])
        .await;
    assert!(
        back.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("flowhost_lang=en;")
    );
    assert!(browser.page("/").await.contains(r#"<html lang="en""#));
}

#[tokio::test]
async fn the_switch_goes_only_to_local_pages_and_knows_only_its_languages() {
    let app = spawn().await;
    let browser = app.browser();
    for away in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let response = browser
            .post_form("/language", &[("lang", "nl"), ("return_to", away)])
            .await;
        assert_eq!(location(&response), "/", "{away}");
    }
    let unknown = browser
        .post_form("/language", &[("lang", "fr"), ("return_to", "/accounts")])
        .await;
    assert_eq!(unknown.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&unknown), "/accounts");
    assert!(unknown.headers().get(SET_COOKIE).is_none());
}

#[tokio::test]
async fn a_switch_posted_from_another_site_changes_nothing() {
    let app = spawn().await;
    let browser = app.browser();
    let response = browser
        .post_from(
            "/language",
            &[("lang", "nl"), ("return_to", "/")],
            Some("https://evil.example"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get(SET_COOKIE).is_none());
}
